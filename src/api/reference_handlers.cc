#include "api/reference_handlers.h"

#include <nlohmann/json.hpp>

#include "domain/text.h"
#include "http/problem.h"
#include "security/random_ids.h"

namespace numberdesk::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using nlohmann::ordered_json;

constexpr std::size_t kSuggestions = 5;
// The lists change only when the data file does, which needs a restart.
constexpr char kCacheControl[] = "public, max-age=86400";

std::string Key(std::string_view kind, std::string_view country, std::string_view region = {}) {
  std::string key = std::string(kind) + "/" + std::string(country);
  if (!region.empty()) key += "/" + std::string(region);
  return key;
}

ordered_json AreaCodeList(const std::vector<std::string>& area_codes) {
  ordered_json list = ordered_json::array();
  for (const std::string& code : area_codes)
    list.push_back({{"area_code", code}});
  return list;
}

}  // namespace

ReferenceHandlers::ReferenceHandlers(const RegionCatalog& catalog) : catalog_(catalog) {
  for (std::string_view country : kSupportedCountries) {
    ordered_json regions = ordered_json::array();
    for (const Region* region : catalog_.RegionsOf(country)) {
      regions.push_back({{"code", region->code}, {"name", region->name}});

      ordered_json cities = ordered_json::array();
      for (const City& city : region->cities) {
        cities.push_back({{"name", city.name}, {"area_codes", city.area_codes}});
      }
      cached_.emplace(Key("cities", country, region->code),
                      Represent(ordered_json{
                          {"data_version", catalog_.version()},
                          {"country_code", country},
                          {"region_code", region->code},
                          {"cities",
                           cities}}.dump()));
      cached_.emplace(Key("area_codes", country, region->code),
                      Represent(ordered_json{{"data_version", catalog_.version()},
                                             {"country_code", country},
                                             {"region_code", region->code},
                                             {"city", nullptr},
                                             {"area_codes", AreaCodeList(region->area_codes)}}
                                    .dump()));
    }
    cached_.emplace(Key("regions", country), Represent(ordered_json{
                                                 {"data_version", catalog_.version()},
                                                 {"country_code", country},
                                                 {"regions",
                                                  regions}}.dump()));
  }

  ordered_json prefixes = ordered_json::array();
  for (const std::string& prefix : catalog_.toll_free_prefixes()) {
    prefixes.push_back({{"prefix", prefix}});
  }
  cached_.emplace("toll_free", Represent(ordered_json{{"data_version", catalog_.version()},
                                                      {"toll_free_prefixes", prefixes}}
                                             .dump()));
}

ReferenceHandlers::Representation ReferenceHandlers::Represent(std::string body) {
  std::string etag = "\"" + Sha256Hex(body).substr(0, 32) + "\"";
  return Representation{std::move(body), std::move(etag)};
}

HttpResponse ReferenceHandlers::Answer(const HttpRequest& request,
                                       const Representation& representation) {
  HttpResponse response;
  response.headers.Set("ETag", representation.etag);
  response.headers.Set("Cache-Control", kCacheControl);
  if (http::MatchesIfNoneMatch(request, representation.etag)) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.headers.Set("Content-Type", "application/json");
  response.body = representation.body;
  return response;
}

std::variant<const Region*, HttpResponse> ReferenceHandlers::FindRegion(
    const http::PathParams& params) const {
  const std::string& country = params.Get("country_code");
  if (!IsSupportedCountry(country)) {
    return http::Problem(404, "unknown_country",
                         "\"" + country + "\" is not a country numberdesk serves; use US or CA.",
                         {{"suggestions", {{{"code", "US"}}, {{"code", "CA"}}}}});
  }
  const std::string& code = params.Get("region_code");
  if (const Region* region = catalog_.Find(country, code)) return region;

  ordered_json suggestions = ordered_json::array();
  for (const Region* near : catalog_.SuggestRegions(country, code, kSuggestions)) {
    suggestions.push_back({{"code", near->code}, {"name", near->name}});
  }
  return http::Problem(404, "unknown_region",
                       "\"" + code + "\" is not a region of " + AsciiUpper(country) + ".",
                       {{"suggestions", suggestions}});
}

HttpResponse ReferenceHandlers::Regions(const HttpRequest& request,
                                        const http::PathParams& params) const {
  const std::string& country = params.Get("country_code");
  auto found = cached_.find(Key("regions", AsciiUpper(country)));
  if (found == cached_.end()) {
    return http::Problem(404, "unknown_country",
                         "\"" + country + "\" is not a country numberdesk serves; use US or CA.",
                         {{"suggestions", {{{"code", "US"}}, {{"code", "CA"}}}}});
  }
  return Answer(request, found->second);
}

HttpResponse ReferenceHandlers::Cities(const HttpRequest& request,
                                       const http::PathParams& params) const {
  auto region = FindRegion(params);
  if (auto* refusal = std::get_if<HttpResponse>(&region)) return std::move(*refusal);
  const Region& found = *std::get<const Region*>(region);
  return Answer(request, cached_.at(Key("cities", found.country_code, found.code)));
}

HttpResponse ReferenceHandlers::AreaCodes(const HttpRequest& request,
                                          const http::PathParams& params) const {
  auto region = FindRegion(params);
  if (auto* refusal = std::get_if<HttpResponse>(&region)) return std::move(*refusal);
  const Region& found = *std::get<const Region*>(region);
  if (!params.Has("city")) {
    return Answer(request, cached_.at(Key("area_codes", found.country_code, found.code)));
  }

  const std::string& name = params.Get("city");
  const City* city = catalog_.FindCity(found, name);
  if (city == nullptr) {
    ordered_json suggestions = ordered_json::array();
    for (const City* near : catalog_.SuggestCities(found, name, kSuggestions)) {
      suggestions.push_back({{"name", near->name}});
    }
    return http::Problem(
        404, "unknown_city",
        "\"" + name + "\" is not a city of " + found.name + " in the numbering data.",
        {{"suggestions", suggestions}});
  }
  return Answer(request, Represent(ordered_json{{"data_version", catalog_.version()},
                                                {"country_code", found.country_code},
                                                {"region_code", found.code},
                                                {"city", city->name},
                                                {"area_codes", AreaCodeList(city->area_codes)}}
                                       .dump()));
}

HttpResponse ReferenceHandlers::TollFreePrefixes(const HttpRequest& request) const {
  return Answer(request, cached_.at("toll_free"));
}

}  // namespace numberdesk::api
