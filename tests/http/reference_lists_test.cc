// Black-box tests of the public reference lists (regions, cities, area codes,
// toll-free prefixes) and of the API's own documentation: both need no token
// and both answer If-None-Match with 304.

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "http/http_client.h"
#include "http/server_process.h"

namespace numberdesk::testing {
namespace {

using nlohmann::json;

// No Authorization header at all: these endpoints are public.
const std::vector<std::string> kNoToken = {"Authorization:"};

class ReferenceListsTest : public ::testing::Test {
 protected:
  // A 200 JSON answer to an anonymous GET, with its caching headers checked.
  json Fetch(const std::string& path) {
    HttpResult result = api_.Get(path, kNoToken);
    EXPECT_EQ(result.status, 200) << path << ": " << result.body;
    EXPECT_EQ(result.Header("Cache-Control").value_or(""), "public, max-age=86400") << path;
    EXPECT_TRUE(result.Header("ETag").has_value()) << path;
    return result.Json();
  }

  static std::set<std::string> AreaCodes(const json& answer) {
    std::set<std::string> codes;
    for (const json& item : answer["area_codes"])
      codes.insert(item["area_code"].get<std::string>());
    return codes;
  }

  ServerProcess server_;
  HttpClient api_{server_.base_url(), server_.token()};
};

TEST_F(ReferenceListsTest, ListsCanadasThirteenProvincesAndTerritories) {
  json answer = Fetch("/api/numbers/regions/CA");
  EXPECT_EQ(answer["country_code"], "CA");
  EXPECT_FALSE(answer["data_version"].get<std::string>().empty());
  ASSERT_EQ(answer["regions"].size(), 13u);
  EXPECT_TRUE(std::any_of(answer["regions"].begin(), answer["regions"].end(), [](const json& r) {
    return r["code"] == "QC" && r["name"] == "Quebec";
  }));
}

TEST_F(ReferenceListsTest, MatchesTheCountryInAnyCaseAndAnswersInUpperCase) {
  json answer = Fetch("/api/numbers/regions/us");
  EXPECT_EQ(answer["country_code"], "US");
  std::set<std::string> codes;
  for (const json& region : answer["regions"])
    codes.insert(region["code"].get<std::string>());
  for (const char* code : {"MA", "CA", "DC", "PR", "GU"})
    EXPECT_TRUE(codes.count(code)) << code;
}

TEST_F(ReferenceListsTest, ListsARegionsCitiesWithTheirAreaCodes) {
  json answer = Fetch("/api/numbers/cities/US/ma");
  EXPECT_EQ(answer["region_code"], "MA");
  auto boston = std::find_if(answer["cities"].begin(), answer["cities"].end(),
                             [](const json& city) { return city["name"] == "Boston"; });
  ASSERT_NE(boston, answer["cities"].end());
  std::vector<std::string> codes = (*boston)["area_codes"];
  EXPECT_NE(std::find(codes.begin(), codes.end(), "617"), codes.end());
}

TEST_F(ReferenceListsTest, ListsARegionsAreaCodes) {
  json answer = Fetch("/api/numbers/area_codes/US/MA");
  EXPECT_TRUE(answer["city"].is_null());
  std::set<std::string> codes = AreaCodes(answer);
  for (const char* code : {"339", "351", "413", "508", "617", "774", "781", "857", "978"})
    EXPECT_TRUE(codes.count(code)) << code;
  EXPECT_FALSE(codes.count("212"));
}

TEST_F(ReferenceListsTest, ListsACitysAreaCodesUnderItsCanonicalName) {
  json boston = Fetch("/api/numbers/area_codes/US/MA/Boston");
  EXPECT_EQ(boston["city"], "Boston");
  EXPECT_EQ(AreaCodes(boston), (std::set<std::string>{"617", "857"}));

  // Case and accents do not matter; the answer gives the name with its accent.
  for (const char* spelling : {"MONTREAL", "Montr%C3%A9al", "montreal"}) {
    SCOPED_TRACE(spelling);
    json montreal = Fetch(std::string("/api/numbers/area_codes/CA/QC/") + spelling);
    EXPECT_EQ(montreal["city"], "Montr\u00e9al");
    EXPECT_TRUE(AreaCodes(montreal).count("514"));
  }
}

TEST_F(ReferenceListsTest, ListsTheSevenTollFreePrefixes) {
  json answer = Fetch("/api/numbers/toll_free_prefixes");
  std::vector<std::string> prefixes;
  for (const json& item : answer["toll_free_prefixes"])
    prefixes.push_back(item["prefix"]);
  EXPECT_EQ(prefixes, (std::vector<std::string>{"800", "833", "844", "855", "866", "877", "888"}));
}

TEST_F(ReferenceListsTest, AnswersNotModifiedToItsOwnETag) {
  HttpResult first = api_.Get("/api/numbers/cities/US/MA", kNoToken);
  ASSERT_EQ(first.status, 200);
  std::string etag = first.Header("ETag").value_or("");
  HttpResult again =
      api_.Get("/api/numbers/cities/US/MA", {"Authorization:", "If-None-Match: " + etag});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.Header("ETag").value_or(""), etag);

  HttpResult other =
      api_.Get("/api/numbers/cities/US/MA", {"Authorization:", "If-None-Match: \"x\""});
  EXPECT_EQ(other.status, 200);
}

TEST_F(ReferenceListsTest, SuggestsTheNearestNamesForUnknownPlaces) {
  HttpResult country = api_.Get("/api/numbers/regions/MX", kNoToken);
  EXPECT_TRUE(IsProblem(country, 404, "unknown_country"));
  EXPECT_EQ(country.Json()["suggestions"], json::parse(R"([{"code":"US"},{"code":"CA"}])"));

  HttpResult region = api_.Get("/api/numbers/cities/US/MAS", kNoToken);
  EXPECT_TRUE(IsProblem(region, 404, "unknown_region"));
  EXPECT_FALSE(region.Json()["suggestions"].empty());

  HttpResult city = api_.Get("/api/numbers/area_codes/US/MA/Bostn", kNoToken);
  EXPECT_TRUE(IsProblem(city, 404, "unknown_city"));
  EXPECT_EQ(city.Json()["suggestions"][0]["name"], "Boston");
}

class DocumentationTest : public ReferenceListsTest {};

TEST_F(DocumentationTest, ServesTheOpenApiDocumentWithoutAToken) {
  HttpResult result = api_.Get("/swagger/v1/swagger.json", kNoToken);
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.Header("Content-Type").value_or(""), "application/json");
  json document = result.Json();
  EXPECT_EQ(document["openapi"], "3.1.0");
  EXPECT_TRUE(document["paths"].contains("/api/numbers/add-port-request"));
  EXPECT_TRUE(document["paths"]["/api/support/requests/{id}/transitions"].contains("post"));

  std::string etag = result.Header("ETag").value_or("");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(
      api_.Get("/swagger/v1/swagger.json", {"Authorization:", "If-None-Match: " + etag}).status,
      304);
}

TEST_F(DocumentationTest, ServesSwaggerUiFromItsOwnFiles) {
  HttpResult page = api_.Get("/swagger/index.html", kNoToken);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.Header("Content-Type").value_or(""), "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("v1/swagger.json"), std::string::npos);
  EXPECT_EQ(page.body.find("https://"), std::string::npos)
      << "the page must load nothing from a CDN";

  for (const auto& [file, type] : std::vector<std::pair<std::string, std::string>>{
           {"swagger-ui.css", "text/css; charset=utf-8"},
           {"swagger-ui-bundle.js", "text/javascript; charset=utf-8"},
           {"swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8"},
           {"favicon-32x32.png", "image/png"}}) {
    SCOPED_TRACE(file);
    HttpResult asset = api_.Get("/swagger/" + file, kNoToken);
    EXPECT_EQ(asset.status, 200);
    EXPECT_EQ(asset.Header("Content-Type").value_or(""), type);
    EXPECT_GT(asset.body.size(), 100u);
  }
}

TEST_F(DocumentationTest, HasNoOtherFiles) {
  for (const char* file : {"swagger-ui.js.map", "package.json", "..%2F..%2FCMakeLists.txt"}) {
    SCOPED_TRACE(file);
    EXPECT_TRUE(IsProblem(api_.Get(std::string("/swagger/") + file, kNoToken), 404, "not_found"));
  }
}

}  // namespace
}  // namespace numberdesk::testing
