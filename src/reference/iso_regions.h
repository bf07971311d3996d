#ifndef NUMBERDESK_REFERENCE_ISO_REGIONS_H_
#define NUMBERDESK_REFERENCE_ISO_REGIONS_H_

#include <filesystem>

#include "domain/region_catalog.h"

namespace numberdesk {

// Where Debian's iso-codes package keeps ISO 3166-2.
inline constexpr char kDefaultIsoCodesFile[] = "/usr/share/iso-codes/json/iso_3166-2.json";

// LoadIsoRegions reads the US and Canadian subdivisions from iso-codes'
// iso_3166-2.json: Canada's 13 provinces and territories, and the US states,
// DC and the territories that have area codes (AS, GU, MP, PR, VI). The
// United States Minor Outlying Islands (UM) have no area codes and are left
// out. Throws std::runtime_error if the file is missing or unreadable.
RegionCatalog LoadIsoRegions(const std::filesystem::path& file);

}  // namespace numberdesk

#endif  // NUMBERDESK_REFERENCE_ISO_REGIONS_H_
