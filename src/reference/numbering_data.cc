#include "reference/numbering_data.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace numberdesk {
namespace {

constexpr int kFormat = 1;

}  // namespace

RegionCatalog LoadNumberingData(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read numbering data " + file.string());

  RegionCatalog catalog;
  try {
    nlohmann::json document = nlohmann::json::parse(in);
    if (document.at("format").get<int>() != kFormat) {
      throw std::runtime_error("format " + document.at("format").dump() + " is not " +
                               std::to_string(kFormat));
    }
    catalog.SetVersion(document.at("version").get<std::string>());
    catalog.SetTollFreePrefixes(document.at("toll_free_prefixes").get<std::vector<std::string>>());
    for (const auto& entry : document.at("regions")) {
      Region region;
      region.country_code = entry.at("country_code").get<std::string>();
      region.code = entry.at("code").get<std::string>();
      region.name = entry.at("name").get<std::string>();
      region.area_codes = entry.at("area_codes").get<std::vector<std::string>>();
      for (const auto& city : entry.at("cities")) {
        region.cities.push_back(City{city.at("name").get<std::string>(),
                                     city.at("area_codes").get<std::vector<std::string>>(),
                                     {}});
      }
      catalog.Add(std::move(region));
    }
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("numbering data " + file.string() + " is malformed: " + e.what());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("numbering data " + file.string() + ": " + e.what());
  }
  if (catalog.RegionsOf("US").empty() || catalog.RegionsOf("CA").empty()) {
    throw std::runtime_error("numbering data " + file.string() + " has no US or CA regions");
  }
  return catalog;
}

}  // namespace numberdesk
