#include "api/docs_handlers.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <iterator>

#include "api/openapi_document.inc"
#include "api/swagger_page.inc"
#include "http/problem.h"
#include "security/random_ids.h"

namespace numberdesk::api {
namespace {

// The files of swagger-ui-dist the page loads, with their media types.
constexpr std::pair<std::string_view, std::string_view> kSwaggerUiFiles[] = {
    {"swagger-ui.css", "text/css; charset=utf-8"},
    {"swagger-ui-bundle.js", "text/javascript; charset=utf-8"},
    {"swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8"},
    {"favicon-32x32.png", "image/png"},
    {"favicon-16x16.png", "image/png"},
};

std::string StrongTag(std::string_view bytes) {
  return "\"" + Sha256Hex(bytes) + "\"";
}

}  // namespace

std::string_view DocsHandlers::OpenApiDocument() {
  return docs::kOpenApiDocument;
}

DocsHandlers::DocsHandlers(const std::filesystem::path& swagger_ui_dir) {
  document_ = {"application/json", std::string(docs::kOpenApiDocument),
               StrongTag(docs::kOpenApiDocument)};
  std::map<std::string, Asset, std::less<>> files;
  for (const auto& [name, type] : kSwaggerUiFiles) {
    std::ifstream in(swagger_ui_dir / name, std::ios::binary);
    if (!in) {
      spdlog::warn(
          "swagger ui not served: {} is missing; run npm ci in the source tree, or set "
          "--swagger-ui-dir",
          (swagger_ui_dir / name).string());
      return;
    }
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string etag = StrongTag(bytes);
    files.emplace(std::string(name), Asset{std::string(type), std::move(bytes), std::move(etag)});
  }
  files.emplace("index.html", Asset{"text/html; charset=utf-8", std::string(docs::kSwaggerPage),
                                    StrongTag(docs::kSwaggerPage)});
  page_files_ = std::move(files);
}

http::HttpResponse DocsHandlers::Serve(const http::HttpRequest& request, const Asset& asset,
                                       std::string_view cache_control) {
  http::HttpResponse response;
  response.headers.Set("ETag", asset.etag);
  response.headers.Set("Cache-Control", std::string(cache_control));
  if (http::MatchesIfNoneMatch(request, asset.etag)) {
    response.status = 304;
    return response;
  }
  response.headers.Set("Content-Type", asset.content_type);
  response.body = asset.bytes;
  return response;
}

http::HttpResponse DocsHandlers::Document(const http::HttpRequest& request) const {
  // Revalidated on every use: it changes with the binary.
  return Serve(request, document_, "no-cache");
}

http::HttpResponse DocsHandlers::Page(const http::HttpRequest& request,
                                      std::string_view file) const {
  auto found = page_files_.find(file);
  if (found == page_files_.end()) {
    return http::Problem(404, "not_found",
                         page_files_.empty()
                             ? "Swagger UI is not installed on this server; the OpenAPI document "
                               "is at /swagger/v1/swagger.json."
                             : "There is no such file of the documentation page.");
  }
  return Serve(request, found->second, "no-cache");
}

}  // namespace numberdesk::api
