#ifndef NUMBERDESK_API_SERVICE_H_
#define NUMBERDESK_API_SERVICE_H_

#include <memory>
#include <string>
#include <vector>

#include "api/number_request_handlers.h"
#include "api/reference_handlers.h"
#include "documents/document_files.h"
#include "domain/region_catalog.h"
#include "http/message.h"
#include "http/router.h"
#include "storage/store.h"

namespace numberdesk::api {

// The API versions this server speaks, oldest first.
inline const std::vector<std::string> kSupportedApiVersions = {"1.0"};

// Service is the whole public API behind one call. Handle runs every request
// through the same steps: request id, API version, route, authentication,
// handler; it turns every failure into a problem response (a 500 for a
// server fault, logged with the request id) and writes one log line per
// request. It is thread-safe.
class Service {
 public:
  Service(Store& store, DocumentFiles& files, const RegionCatalog& regions);

  http::HttpResponse Handle(http::HttpRequest& request);

  // The routes, for documentation and tests.
  const http::Router& router() const { return router_; }

 private:
  http::HttpResponse Dispatch(const http::HttpRequest& request);
  void AddRoutes();

  // Wraps a handler that needs a customer administrator allowed to manage
  // fax numbers.
  using ManagerHandler = std::function<http::HttpResponse(const http::HttpRequest&,
                                                          const http::PathParams&, const Caller&)>;
  http::RouteHandler ForFaxNumberManager(ManagerHandler handler);

  Store& store_;
  NumberRequestHandlers requests_;
  ReferenceHandlers reference_;
  http::Router router_;
};

}  // namespace numberdesk::api

#endif  // NUMBERDESK_API_SERVICE_H_
