#ifndef NUMBERDESK_API_SERVICE_H_
#define NUMBERDESK_API_SERVICE_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "api/docs_handlers.h"
#include "api/idempotency.h"
#include "api/notification_handlers.h"
#include "api/notifier.h"
#include "api/number_request_handlers.h"
#include "api/reference_handlers.h"
#include "api/workflow_handlers.h"
#include "documents/document_files.h"
#include "domain/region_catalog.h"
#include "http/message.h"
#include "http/router.h"
#include "storage/store.h"

namespace numberdesk::api {

// The API versions this server speaks, oldest first.
inline const std::vector<std::string> kSupportedApiVersions = {"1.0"};

// Service is the whole public API behind one call. Handle runs every request
// through the same steps: request id, single-value headers sent once, API
// version, route, authentication, handler; it turns every failure into a problem response (a 500
// for a server fault, logged with the request id) and writes one log line per request. It is
// thread-safe.
class Service {
 public:
  Service(Store& store, DocumentFiles& files, const RegionCatalog& regions,
          NotifierSettings notifications = {},
          const std::filesystem::path& swagger_ui_dir = NUMBERDESK_SWAGGER_UI_DIR);

  http::HttpResponse Handle(http::HttpRequest& request);

  // CheckHeaders is the server's HeaderCheck: it refuses, before the body is
  // read, a request that the full pipeline would refuse anyway (repeated
  // headers, version, route, method, token, content type, the endpoint's
  // body limit), and
  // logs the refusal like Handle.
  std::optional<http::HttpResponse> CheckHeaders(http::HttpRequest& request);

  // The routes, for documentation and tests.
  const http::Router& router() const { return router_; }

 private:
  void AddRoutes();
  http::HttpResponse Dispatch(const http::HttpRequest& request);
  std::optional<http::HttpResponse> RefuseOnHeaders(const http::HttpRequest& request);
  // Route finds the route of a request, or the 400, 404 or 405 to send.
  std::variant<const http::Router::Route*, http::HttpResponse> Route(
      const http::HttpRequest& request, http::PathParams* params) const;
  // Finish adds the headers every response carries and logs the request.
  void Finish(const http::HttpRequest& request, const std::string& request_id,
              std::chrono::steady_clock::time_point started, http::HttpResponse& response);
  http::HttpResponse Failure(const http::HttpRequest& request, const std::string& request_id,
                             const std::exception& error);
  static std::string RequestIdOf(const http::HttpRequest& request);

  // Secure adds a route whose caller `authorize` must accept (a 401 or 403
  // otherwise, checked before the body is read). A POST runs through
  // IdempotentCall, keyed by the caller.
  using Authorizer = std::variant<Caller, http::HttpResponse> (*)(const http::HttpRequest&, Store&);
  using CallerHandler = std::function<http::HttpResponse(const http::HttpRequest&,
                                                         const http::PathParams&, const Caller&)>;
  void Secure(std::string method, std::string pattern, Authorizer authorize, CallerHandler handler,
              std::size_t max_body = 0, std::vector<std::string> content_types = {});

  Store& store_;
  Notifier notifier_;
  NumberRequestHandlers requests_;
  WorkflowHandlers workflow_;
  NotificationHandlers notifications_;
  IdempotentCall idempotency_;
  ReferenceHandlers reference_;
  DocsHandlers docs_;
  http::Router router_;
};

}  // namespace numberdesk::api

#endif  // NUMBERDESK_API_SERVICE_H_
