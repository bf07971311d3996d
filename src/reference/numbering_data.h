#ifndef NUMBERDESK_REFERENCE_NUMBERING_DATA_H_
#define NUMBERDESK_REFERENCE_NUMBERING_DATA_H_

#include <filesystem>

#include "domain/region_catalog.h"

namespace numberdesk {

// LoadNumberingData reads the reference file made by tools/reference-data
// (format 1): regions with their area codes and cities, and the toll-free
// prefixes in service. Throws std::runtime_error, naming the file and what is
// wrong, if it is missing, not JSON or not in that format.
RegionCatalog LoadNumberingData(const std::filesystem::path& file);

}  // namespace numberdesk

#endif  // NUMBERDESK_REFERENCE_NUMBERING_DATA_H_
