#include "reference/numbering_data.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace numberdesk {
namespace {

bool Has(const std::vector<std::string>& codes, const std::string& code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

// The committed data file, loaded once for all tests.
const RegionCatalog& Nanp() {
  static const RegionCatalog catalog = LoadNumberingData(NUMBERDESK_REFERENCE_DATA);
  return catalog;
}

TEST(NumberingData, HasTheThirteenCanadianRegions) {
  std::vector<std::string> codes;
  for (const Region* region : Nanp().RegionsOf("CA"))
    codes.push_back(region->code);
  EXPECT_EQ(codes, (std::vector<std::string>{"AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON",
                                             "PE", "QC", "SK", "YT"}));
}

TEST(NumberingData, HasStatesDcAndTerritoriesWithAreaCodesButNotOutlyingIslands) {
  EXPECT_EQ(Nanp().RegionsOf("US").size(), 56u);  // 50 states, DC, PR, VI, GU, MP, AS
  EXPECT_NE(Nanp().Find("US", "DC"), nullptr);
  EXPECT_NE(Nanp().Find("US", "PR"), nullptr);
  EXPECT_EQ(Nanp().Find("US", "UM"), nullptr);
}

TEST(NumberingData, KnowsCitiesAndTheirAreaCodes) {
  const Region* massachusetts = Nanp().Find("us", "ma");
  ASSERT_NE(massachusetts, nullptr);
  const City* acton = Nanp().FindCity(*massachusetts, "Acton");
  ASSERT_NE(acton, nullptr);
  EXPECT_TRUE(Has(acton->area_codes, "978"));
  const City* boston = Nanp().FindCity(*massachusetts, "boston");
  ASSERT_NE(boston, nullptr);
  EXPECT_TRUE(Has(boston->area_codes, "617"));
  EXPECT_TRUE(Has(boston->area_codes, "857"));
}

TEST(NumberingData, ReturnsCanonicalNamesWithAccents) {
  const Region* quebec = Nanp().Find("CA", "QC");
  ASSERT_NE(quebec, nullptr);
  const City* montreal = Nanp().FindCity(*quebec, "MONTREAL");
  ASSERT_NE(montreal, nullptr);
  EXPECT_EQ(montreal->name, "Montr\u00e9al");
  EXPECT_TRUE(Has(montreal->area_codes, "514"));
}

TEST(NumberingData, ListsOverlaysAndSharedAreaCodes) {
  EXPECT_TRUE(Has(Nanp().Find("CA", "QC")->area_codes, "354"));
  EXPECT_TRUE(Has(Nanp().Find("US", "OK")->area_codes, "572"));
  for (const char* region : {"NS", "PE"}) {
    EXPECT_TRUE(Has(Nanp().Find("CA", region)->area_codes, "902")) << region;
    EXPECT_TRUE(Has(Nanp().Find("CA", region)->area_codes, "782")) << region;
  }
  for (const char* region : {"YT", "NT", "NU"}) {
    EXPECT_TRUE(Has(Nanp().Find("CA", region)->area_codes, "867")) << region;
  }
  EXPECT_EQ(Nanp().RegionsServedBy("867").size(), 3u);
}

TEST(NumberingData, TellsWashingtonDcFromWashingtonState) {
  EXPECT_TRUE(Has(Nanp().Find("US", "DC")->area_codes, "202"));
  EXPECT_FALSE(Has(Nanp().Find("US", "WA")->area_codes, "202"));
  EXPECT_TRUE(Has(Nanp().Find("US", "WA")->area_codes, "206"));
}

TEST(NumberingData, KnowsWhichAreaCodesAreInService) {
  EXPECT_TRUE(Nanp().IsAreaCodeInService("978"));
  EXPECT_TRUE(Nanp().IsAreaCodeInService("833"));
  EXPECT_FALSE(Nanp().IsAreaCodeInService("400"));
  EXPECT_FALSE(Nanp().IsAreaCodeInService("999"));
}

TEST(NumberingData, HasTheSevenTollFreePrefixes) {
  EXPECT_EQ(Nanp().toll_free_prefixes(),
            (std::vector<std::string>{"800", "833", "844", "855", "866", "877", "888"}));
}

TEST(NumberingData, HasAVersion) {
  EXPECT_FALSE(Nanp().version().empty());
}

class NumberingDataFile : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove(path_); }

  std::filesystem::path Write(const std::string& text) {
    std::ofstream(path_) << text;
    return path_;
  }

  std::filesystem::path path_ = std::filesystem::temp_directory_path() /
                                ("numberdesk-nanp-" + std::to_string(::getpid()) + ".json");
};

TEST_F(NumberingDataFile, RefusesMissingFile) {
  EXPECT_THROW(LoadNumberingData(path_), std::runtime_error);
}

TEST_F(NumberingDataFile, RefusesOtherFormat) {
  EXPECT_THROW(LoadNumberingData(Write(R"({"format": 2})")), std::runtime_error);
}

TEST_F(NumberingDataFile, RefusesBrokenJson) {
  EXPECT_THROW(LoadNumberingData(Write("{\"format\": 1,")), std::runtime_error);
}

TEST_F(NumberingDataFile, RefusesDataWithoutBothCountries) {
  EXPECT_THROW(LoadNumberingData(Write(R"({"format": 1, "version": "t",
      "toll_free_prefixes": ["800"], "regions": [{"country_code": "US", "code": "MA",
      "name": "Massachusetts", "area_codes": ["978"], "cities": []}]})")),
               std::runtime_error);
}

}  // namespace
}  // namespace numberdesk
