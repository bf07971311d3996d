#ifndef NUMBERDESK_DOMAIN_REGION_CATALOG_H_
#define NUMBERDESK_DOMAIN_REGION_CATALOG_H_

#include <string>
#include <string_view>
#include <vector>

namespace numberdesk {

// The countries numberdesk orders numbers in.
inline constexpr std::string_view kSupportedCountries[] = {"US", "CA"};

// IsSupportedCountry matches `code` against kSupportedCountries in any case.
bool IsSupportedCountry(std::string_view code);

// A city and the area codes that serve it.
struct City {
  std::string name;                     // canonical, with its accents: "Montréal"
  std::vector<std::string> area_codes;  // sorted
  std::string key;                      // PlaceNameKey(name); filled in by RegionCatalog::Add
};

// Region is a state, province, territory or district: "MA", "QC", "DC".
struct Region {
  std::string country_code;             // "US" or "CA"
  std::string code;                     // the part after "US-" in ISO 3166-2
  std::string name;                     // "Massachusetts"
  std::vector<std::string> area_codes;  // every geographic area code serving it, sorted
  std::vector<City> cities;             // sorted by name
};

// RegionCatalog is the North American numbering reference: regions, their
// cities and area codes, and the toll-free prefixes in service. It is filled
// once at start-up and then only read, so it may be shared between threads;
// pointers it returns stay valid while it is not modified.
class RegionCatalog {
 public:
  // Add records `region`; a second region with the same country and code
  // replaces the first.
  void Add(Region region);

  void SetVersion(std::string version) { version_ = std::move(version); }
  void SetTollFreePrefixes(std::vector<std::string> prefixes);

  // The data's version, for clients that cache it.
  const std::string& version() const { return version_; }
  const std::vector<std::string>& toll_free_prefixes() const { return toll_free_prefixes_; }

  // Find returns the region `code` of `country_code`, matching both in any
  // letter case, or nullptr.
  const Region* Find(std::string_view country_code, std::string_view code) const;

  // RegionsOf lists a country's regions sorted by code.
  std::vector<const Region*> RegionsOf(std::string_view country_code) const;

  // FindCity returns the city of `region` whose name matches `name` as
  // PlaceNameKey does, or nullptr.
  const City* FindCity(const Region& region, std::string_view name) const;

  // IsAreaCodeInService reports whether `area_code` serves some region or is
  // a toll-free prefix in service.
  bool IsAreaCodeInService(std::string_view area_code) const;

  bool IsTollFreePrefixInService(std::string_view prefix) const;

  // RegionsServedBy lists the regions `area_code` serves (several for codes
  // such as 902, shared by Nova Scotia and Prince Edward Island).
  std::vector<const Region*> RegionsServedBy(std::string_view area_code) const;

  // SuggestRegions returns up to `limit` regions of the country whose code or
  // name is nearest to `text`, best first, for "did you mean" answers.
  std::vector<const Region*> SuggestRegions(std::string_view country_code, std::string_view text,
                                            std::size_t limit) const;

  // SuggestCities does the same for the cities of `region`.
  std::vector<const City*> SuggestCities(const Region& region, std::string_view text,
                                         std::size_t limit) const;

  std::size_t size() const { return regions_.size(); }

 private:
  std::vector<Region> regions_;  // sorted by (country_code, code)
  std::vector<std::string> toll_free_prefixes_;
  std::string version_;
};

}  // namespace numberdesk

#endif  // NUMBERDESK_DOMAIN_REGION_CATALOG_H_
