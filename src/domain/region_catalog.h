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

// Region is a state, province, territory or district: "MA", "QC", "DC".
struct Region {
  std::string country_code;  // "US" or "CA"
  std::string code;          // the part after "US-" in ISO 3166-2
  std::string name;          // "Massachusetts"
};

// RegionCatalog holds the regions numbers can be ordered in. It is filled once
// at start-up and then only read, so it may be shared between threads.
class RegionCatalog {
 public:
  // Add records `region`; a second region with the same country and code
  // replaces the first.
  void Add(Region region);

  // Find returns the region `code` of `country_code`, matching both in any
  // letter case, or nullptr.
  const Region* Find(std::string_view country_code, std::string_view code) const;

  // RegionsOf lists a country's regions sorted by code.
  std::vector<Region> RegionsOf(std::string_view country_code) const;

  std::size_t size() const { return regions_.size(); }

 private:
  std::vector<Region> regions_;  // sorted by (country_code, code)
};

}  // namespace numberdesk

#endif  // NUMBERDESK_DOMAIN_REGION_CATALOG_H_
