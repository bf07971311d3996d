#include "reference/iso_regions.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace numberdesk {

RegionCatalog LoadIsoRegions(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(file.string() + " is not valid JSON: " + e.what());
  }

  RegionCatalog catalog;
  for (const auto& entry : document.value("3166-2", nlohmann::json::array())) {
    std::string code = entry.value("code", "");
    if (code.size() < 4 || code[2] != '-') continue;
    std::string country = code.substr(0, 2);
    std::string region = code.substr(3);
    if (country != "US" && country != "CA") continue;
    if (region == "UM") continue;
    catalog.Add(Region{country, region, entry.value("name", region)});
  }
  if (catalog.RegionsOf("US").empty() || catalog.RegionsOf("CA").empty()) {
    throw std::runtime_error(file.string() + " lists no US or Canadian regions");
  }
  return catalog;
}

}  // namespace numberdesk
