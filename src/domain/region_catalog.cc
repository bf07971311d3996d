#include "domain/region_catalog.h"

#include <algorithm>
#include <tuple>

#include "domain/place_names.h"
#include "domain/text.h"

namespace numberdesk {
namespace {

auto Key(const Region& region) {
  return std::tie(region.country_code, region.code);
}

bool Contains(const std::vector<std::string>& sorted, std::string_view value) {
  return std::binary_search(sorted.begin(), sorted.end(), value,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

// Ranks `candidates` by how close their key is to `wanted`: a prefix match
// first, then edit distance; too distant ones are left out.
template <typename T, typename KeyOf>
std::vector<const T*> Nearest(const std::vector<const T*>& candidates, const std::string& wanted,
                              std::size_t limit, KeyOf key_of) {
  std::vector<std::pair<std::size_t, const T*>> ranked;
  std::size_t tolerance = std::max<std::size_t>(2, wanted.size() / 3);
  for (const T* candidate : candidates) {
    std::string key = key_of(*candidate);
    std::size_t distance = key.starts_with(wanted) && !wanted.empty()
                               ? 0
                               : EditDistance(wanted, key.substr(0, wanted.size() + 2));
    if (distance <= tolerance) ranked.emplace_back(distance, candidate);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const T*> best;
  for (const auto& [distance, candidate] : ranked) {
    if (best.size() == limit) break;
    best.push_back(candidate);
  }
  return best;
}

}  // namespace

bool IsSupportedCountry(std::string_view code) {
  return std::any_of(std::begin(kSupportedCountries), std::end(kSupportedCountries),
                     [&](std::string_view known) { return EqualsIgnoringAsciiCase(known, code); });
}

void RegionCatalog::Add(Region region) {
  region.country_code = AsciiUpper(region.country_code);
  region.code = AsciiUpper(region.code);
  std::sort(region.area_codes.begin(), region.area_codes.end());
  for (City& city : region.cities) {
    city.key = PlaceNameKey(city.name);
    std::sort(city.area_codes.begin(), city.area_codes.end());
  }
  std::sort(region.cities.begin(), region.cities.end(),
            [](const City& a, const City& b) { return a.key < b.key; });

  auto at = std::lower_bound(regions_.begin(), regions_.end(), region,
                             [](const Region& a, const Region& b) { return Key(a) < Key(b); });
  if (at != regions_.end() && Key(*at) == Key(region)) {
    *at = std::move(region);
  } else {
    regions_.insert(at, std::move(region));
  }
}

void RegionCatalog::SetTollFreePrefixes(std::vector<std::string> prefixes) {
  std::sort(prefixes.begin(), prefixes.end());
  toll_free_prefixes_ = std::move(prefixes);
}

const Region* RegionCatalog::Find(std::string_view country_code, std::string_view code) const {
  Region probe{AsciiUpper(country_code), AsciiUpper(code), {}, {}, {}};
  auto at = std::lower_bound(regions_.begin(), regions_.end(), probe,
                             [](const Region& a, const Region& b) { return Key(a) < Key(b); });
  if (at == regions_.end() || Key(*at) != Key(probe)) return nullptr;
  return &*at;
}

std::vector<const Region*> RegionCatalog::RegionsOf(std::string_view country_code) const {
  std::string country = AsciiUpper(country_code);
  std::vector<const Region*> out;
  for (const Region& region : regions_) {
    if (region.country_code == country) out.push_back(&region);
  }
  return out;
}

const City* RegionCatalog::FindCity(const Region& region, std::string_view name) const {
  std::string key = PlaceNameKey(name);
  auto at = std::lower_bound(region.cities.begin(), region.cities.end(), key,
                             [](const City& city, const std::string& k) { return city.key < k; });
  if (at == region.cities.end() || at->key != key) return nullptr;
  return &*at;
}

bool RegionCatalog::IsAreaCodeInService(std::string_view area_code) const {
  return IsTollFreePrefixInService(area_code) || !RegionsServedBy(area_code).empty();
}

bool RegionCatalog::IsTollFreePrefixInService(std::string_view prefix) const {
  return Contains(toll_free_prefixes_, prefix);
}

std::vector<const Region*> RegionCatalog::RegionsServedBy(std::string_view area_code) const {
  std::vector<const Region*> out;
  for (const Region& region : regions_) {
    if (Contains(region.area_codes, area_code)) out.push_back(&region);
  }
  return out;
}

std::vector<const Region*> RegionCatalog::SuggestRegions(std::string_view country_code,
                                                         std::string_view text,
                                                         std::size_t limit) const {
  std::string wanted = PlaceNameKey(text);
  std::vector<const Region*> regions = RegionsOf(country_code);
  for (const Region* region : regions) {
    if (AsciiLower(region->code) == wanted) return {region};
  }
  return Nearest(regions, wanted, limit,
                 [](const Region& region) { return PlaceNameKey(region.name); });
}

std::vector<const City*> RegionCatalog::SuggestCities(const Region& region, std::string_view text,
                                                      std::size_t limit) const {
  std::vector<const City*> cities;
  for (const City& city : region.cities)
    cities.push_back(&city);
  return Nearest(cities, PlaceNameKey(text), limit, [](const City& city) { return city.key; });
}

}  // namespace numberdesk
