#include "domain/region_catalog.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace numberdesk {
namespace {

// A region with no area codes or cities.
Region MakeRegion(std::string country_code, std::string code, std::string name) {
  Region region;
  region.country_code = std::move(country_code);
  region.code = std::move(code);
  region.name = std::move(name);
  return region;
}

std::vector<std::string> CodesOf(const std::vector<const Region*>& regions) {
  std::vector<std::string> codes;
  for (const Region* region : regions)
    codes.push_back(region->code);
  return codes;
}

TEST(SupportedCountry, AcceptsUsAndCanadaInAnyCase) {
  EXPECT_TRUE(IsSupportedCountry("US"));
  EXPECT_TRUE(IsSupportedCountry("ca"));
  EXPECT_TRUE(IsSupportedCountry("Us"));
}

TEST(SupportedCountry, RefusesOtherCountries) {
  EXPECT_FALSE(IsSupportedCountry("MX"));
  EXPECT_FALSE(IsSupportedCountry("USA"));
  EXPECT_FALSE(IsSupportedCountry(""));
}

TEST(RegionCatalog, FindsRegionInAnyLetterCase) {
  RegionCatalog catalog;
  catalog.Add(MakeRegion("US", "MA", "Massachusetts"));

  const Region* region = catalog.Find("us", "ma");

  ASSERT_NE(region, nullptr);
  EXPECT_EQ(region->country_code, "US");
  EXPECT_EQ(region->code, "MA");
  EXPECT_EQ(region->name, "Massachusetts");
}

TEST(RegionCatalog, StoresCodesUpperCase) {
  RegionCatalog catalog;
  catalog.Add(MakeRegion("ca", "qc", "Quebec"));

  const Region* region = catalog.Find("CA", "QC");

  ASSERT_NE(region, nullptr);
  EXPECT_EQ(region->country_code, "CA");
  EXPECT_EQ(region->code, "QC");
}

TEST(RegionCatalog, DoesNotFindRegionOfAnotherCountry) {
  RegionCatalog catalog;
  catalog.Add(MakeRegion("US", "MA", "Massachusetts"));

  EXPECT_EQ(catalog.Find("CA", "MA"), nullptr);
  EXPECT_EQ(catalog.Find("US", "ZZ"), nullptr);
  EXPECT_EQ(catalog.Find("US", ""), nullptr);
}

TEST(RegionCatalog, SecondAddOfSameRegionReplacesFirst) {
  RegionCatalog catalog;
  catalog.Add(MakeRegion("US", "MA", "Old name"));
  catalog.Add(MakeRegion("us", "ma", "Massachusetts"));

  EXPECT_EQ(catalog.size(), 1u);
  ASSERT_NE(catalog.Find("US", "MA"), nullptr);
  EXPECT_EQ(catalog.Find("US", "MA")->name, "Massachusetts");
}

TEST(RegionCatalog, ListsOneCountrySortedByCode) {
  RegionCatalog catalog;
  catalog.Add(MakeRegion("US", "TX", "Texas"));
  catalog.Add(MakeRegion("CA", "ON", "Ontario"));
  catalog.Add(MakeRegion("US", "AL", "Alabama"));
  catalog.Add(MakeRegion("US", "MA", "Massachusetts"));

  EXPECT_EQ(CodesOf(catalog.RegionsOf("us")), (std::vector<std::string>{"AL", "MA", "TX"}));
  EXPECT_EQ(CodesOf(catalog.RegionsOf("CA")), std::vector<std::string>{"ON"});
  EXPECT_TRUE(catalog.RegionsOf("MX").empty());
}

// A catalog with cities and area codes, as the numbering data fills it.
RegionCatalog NumberingCatalog() {
  RegionCatalog catalog;
  Region ma = MakeRegion("US", "MA", "Massachusetts");
  ma.area_codes = {"978", "617", "339"};
  City boston;
  boston.name = "Boston";
  boston.area_codes = {"857", "617"};
  ma.cities = {boston};
  catalog.Add(ma);

  Region qc = MakeRegion("CA", "QC", "Quebec");
  qc.area_codes = {"514", "438"};
  City montreal;
  montreal.name = "Montr\u00e9al";
  montreal.area_codes = {"514", "438"};
  City saint_jean;
  saint_jean.name = "Saint-Jean-sur-Richelieu";
  saint_jean.area_codes = {"450"};
  qc.cities = {montreal, saint_jean};
  catalog.Add(qc);

  Region ns = MakeRegion("CA", "NS", "Nova Scotia");
  ns.area_codes = {"902", "782"};
  catalog.Add(ns);
  Region pe = MakeRegion("CA", "PE", "Prince Edward Island");
  pe.area_codes = {"902", "782"};
  catalog.Add(pe);

  catalog.SetTollFreePrefixes({"888", "800", "833"});
  return catalog;
}

TEST(RegionCatalog, SortsAreaCodes) {
  RegionCatalog catalog = NumberingCatalog();

  EXPECT_EQ(catalog.Find("US", "MA")->area_codes, (std::vector<std::string>{"339", "617", "978"}));
  EXPECT_EQ(catalog.toll_free_prefixes(), (std::vector<std::string>{"800", "833", "888"}));
}

TEST(RegionCatalog, FindsCityInAnySpelling) {
  RegionCatalog catalog = NumberingCatalog();
  const Region& qc = *catalog.Find("CA", "QC");

  for (std::string_view spelling :
       {"Montr\u00e9al", "montreal", "MONTR\u00c9AL", "Montre\u0301al", " Montreal "}) {
    SCOPED_TRACE(spelling);
    const City* city = catalog.FindCity(qc, spelling);
    ASSERT_NE(city, nullptr);
    EXPECT_EQ(city->name, "Montr\u00e9al");
  }
  ASSERT_NE(catalog.FindCity(qc, "st jean sur richelieu"), nullptr);
  EXPECT_EQ(catalog.FindCity(qc, "st jean sur richelieu")->name, "Saint-Jean-sur-Richelieu");
}

TEST(RegionCatalog, DoesNotFindCityOfAnotherRegion) {
  RegionCatalog catalog = NumberingCatalog();

  EXPECT_EQ(catalog.FindCity(*catalog.Find("CA", "QC"), "Boston"), nullptr);
  EXPECT_EQ(catalog.FindCity(*catalog.Find("US", "MA"), "Toronto"), nullptr);
}

TEST(RegionCatalog, KnowsWhichAreaCodesAreInService) {
  RegionCatalog catalog = NumberingCatalog();

  EXPECT_TRUE(catalog.IsAreaCodeInService("978"));
  EXPECT_TRUE(catalog.IsAreaCodeInService("833"));
  EXPECT_FALSE(catalog.IsAreaCodeInService("223"));
  EXPECT_FALSE(catalog.IsAreaCodeInService("844"));  // not in this catalog's list
}

TEST(RegionCatalog, KnowsWhichTollFreePrefixesAreInService) {
  RegionCatalog catalog = NumberingCatalog();

  EXPECT_TRUE(catalog.IsTollFreePrefixInService("833"));
  EXPECT_FALSE(catalog.IsTollFreePrefixInService("844"));
  EXPECT_FALSE(catalog.IsTollFreePrefixInService("978"));
}

TEST(RegionCatalog, ListsEveryRegionAnAreaCodeServes) {
  RegionCatalog catalog = NumberingCatalog();

  EXPECT_EQ(CodesOf(catalog.RegionsServedBy("902")), (std::vector<std::string>{"NS", "PE"}));
  EXPECT_EQ(CodesOf(catalog.RegionsServedBy("617")), std::vector<std::string>{"MA"});
  EXPECT_TRUE(catalog.RegionsServedBy("223").empty());
}

TEST(RegionCatalog, SuggestsRegionForMisspeltName) {
  RegionCatalog catalog = NumberingCatalog();

  std::vector<const Region*> suggestions = catalog.SuggestRegions("US", "Massachusets", 3);

  ASSERT_FALSE(suggestions.empty());
  EXPECT_EQ(suggestions[0]->code, "MA");
}

TEST(RegionCatalog, SuggestsCityForMisspeltName) {
  RegionCatalog catalog = NumberingCatalog();

  std::vector<const City*> suggestions =
      catalog.SuggestCities(*catalog.Find("CA", "QC"), "Montrael", 3);

  ASSERT_FALSE(suggestions.empty());
  EXPECT_EQ(suggestions[0]->name, "Montr\u00e9al");
}

TEST(RegionCatalog, SuggestsNothingForUnrelatedName) {
  RegionCatalog catalog = NumberingCatalog();

  EXPECT_TRUE(catalog.SuggestCities(*catalog.Find("US", "MA"), "Vancouver", 3).empty());
}

}  // namespace
}  // namespace numberdesk
