#ifndef NUMBERDESK_API_DOCS_HANDLERS_H_
#define NUMBERDESK_API_DOCS_HANDLERS_H_

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "http/message.h"
#include "http/router.h"

namespace numberdesk::api {

// DocsHandlers serves the API's own documentation: the OpenAPI document
// compiled into the binary, and Swagger UI, whose files come from the npm
// package swagger-ui-dist and are read once, at start-up, from
// `swagger_ui_dir`. Public, like the reference lists.
class DocsHandlers {
 public:
  // A missing or incomplete `swagger_ui_dir` leaves the page unserved (404,
  // logged at start-up); the document is served regardless.
  explicit DocsHandlers(const std::filesystem::path& swagger_ui_dir);

  // GET /swagger/v1/swagger.json
  http::HttpResponse Document(const http::HttpRequest& request) const;
  // GET /swagger/index.html and GET /swagger/{file}: the page and its files.
  http::HttpResponse Page(const http::HttpRequest& request, std::string_view file) const;
  // The document, as served.
  static std::string_view OpenApiDocument();

 private:
  struct Asset {
    std::string content_type;
    std::string bytes;
    std::string etag;
  };
  static http::HttpResponse Serve(const http::HttpRequest& request, const Asset& asset,
                                  std::string_view cache_control);

  Asset document_;
  std::map<std::string, Asset, std::less<>> page_files_;
};

}  // namespace numberdesk::api

#endif  // NUMBERDESK_API_DOCS_HANDLERS_H_
