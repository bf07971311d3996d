#include "domain/region_catalog.h"

#include <algorithm>
#include <tuple>

#include "domain/text.h"

namespace numberdesk {
namespace {

auto Key(const Region& region) {
  return std::tie(region.country_code, region.code);
}

}  // namespace

bool IsSupportedCountry(std::string_view code) {
  return std::any_of(std::begin(kSupportedCountries), std::end(kSupportedCountries),
                     [&](std::string_view known) { return EqualsIgnoringAsciiCase(known, code); });
}

void RegionCatalog::Add(Region region) {
  region.country_code = AsciiUpper(region.country_code);
  region.code = AsciiUpper(region.code);
  auto at = std::lower_bound(regions_.begin(), regions_.end(), region,
                             [](const Region& a, const Region& b) { return Key(a) < Key(b); });
  if (at != regions_.end() && Key(*at) == Key(region)) {
    *at = std::move(region);
  } else {
    regions_.insert(at, std::move(region));
  }
}

const Region* RegionCatalog::Find(std::string_view country_code, std::string_view code) const {
  Region probe{AsciiUpper(country_code), AsciiUpper(code), {}};
  auto at = std::lower_bound(regions_.begin(), regions_.end(), probe,
                             [](const Region& a, const Region& b) { return Key(a) < Key(b); });
  if (at == regions_.end() || Key(*at) != Key(probe)) return nullptr;
  return &*at;
}

std::vector<Region> RegionCatalog::RegionsOf(std::string_view country_code) const {
  std::string country = AsciiUpper(country_code);
  std::vector<Region> out;
  for (const Region& region : regions_) {
    if (region.country_code == country) out.push_back(region);
  }
  return out;
}

}  // namespace numberdesk
