// The OpenAPI document served at /swagger/v1/swagger.json against the routes
// the server registers: every route is documented, and every documented
// operation is a route. The responses themselves are checked against the
// document by tests/openapi/check_responses.mjs, after the HTTP tests.

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "api/docs_handlers.h"
#include "api/service.h"
#include "reference/numbering_data.h"
#include "security/random_ids.h"
#include "storage/sqlite/sqlite_store.h"

namespace numberdesk::api {
namespace {

namespace fs = std::filesystem;

using Operations = std::set<std::string>;  // "GET /api/numbers/requests/{id}"

// The operations of the document served by the binary.
Operations DocumentedOperations() {
  nlohmann::json document = nlohmann::json::parse(DocsHandlers::OpenApiDocument());
  Operations operations;
  for (const auto& [path, item] : document.at("paths").items()) {
    for (const auto& [method, operation] : item.items()) {
      if (method == "parameters" || method == "summary" || method == "description") continue;
      std::string upper;
      for (char c : method)
        upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      operations.insert(upper + " " + path);
    }
  }
  return operations;
}

class OpenApiDocumentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = fs::temp_directory_path() / ("numberdesk-openapi-" + HexEncode(RandomBytes(8)));
    fs::create_directories(folder_);
    store_ = std::make_unique<SqliteStore>(folder_ / "numberdesk.db");
    files_ = std::make_unique<DocumentFiles>(folder_ / "documents");
    regions_ = std::make_unique<RegionCatalog>(LoadNumberingData(NUMBERDESK_REFERENCE_DATA));
    service_ = std::make_unique<Service>(*store_, *files_, *regions_);
  }
  void TearDown() override {
    service_.reset();
    store_.reset();
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }

  Operations RegisteredOperations() const {
    Operations operations;
    for (const http::Router::Route& route : service_->router().routes())
      operations.insert(route.method + " " + route.pattern);
    return operations;
  }

  fs::path folder_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<DocumentFiles> files_;
  std::unique_ptr<RegionCatalog> regions_;
  std::unique_ptr<Service> service_;
};

TEST_F(OpenApiDocumentTest, DocumentsEveryRouteTheServerRegisters) {
  Operations documented = DocumentedOperations();
  for (const std::string& operation : RegisteredOperations())
    EXPECT_TRUE(documented.count(operation)) << operation << " is served but not documented";
}

TEST_F(OpenApiDocumentTest, EveryDocumentedOperationIsServed) {
  Operations registered = RegisteredOperations();
  for (const std::string& operation : DocumentedOperations())
    EXPECT_TRUE(registered.count(operation)) << operation << " is documented but not served";
}

TEST(OpenApiDocument, IsOpenApi31WithTheBearerSchemeAndTheVersionHeader) {
  nlohmann::json document = nlohmann::json::parse(DocsHandlers::OpenApiDocument());
  EXPECT_EQ(document.at("openapi"), "3.1.0");
  EXPECT_EQ(document.at("components").at("securitySchemes").at("bearerAuth").at("scheme"),
            "bearer");
  EXPECT_EQ(document.at("components").at("parameters").at("ApiVersion").at("name"), "api-version");
}

// Regression: Swagger UI filled a documented example key into every POST, so
// the second different request tried from the page was 422
// idempotency_key_reused.
TEST(OpenApiDocument, GivesIdempotencyKeyNoValueForSwaggerUiToFillIn) {
  nlohmann::json document = nlohmann::json::parse(DocsHandlers::OpenApiDocument());
  const nlohmann::json& key = document.at("components").at("parameters").at("IdempotencyKey");
  EXPECT_EQ(key.at("name"), "Idempotency-Key");
  EXPECT_FALSE(key.contains("example"));
  EXPECT_FALSE(key.contains("examples"));
  EXPECT_FALSE(key.at("schema").contains("default"));
  EXPECT_FALSE(key.at("schema").contains("example"));
}

}  // namespace
}  // namespace numberdesk::api
