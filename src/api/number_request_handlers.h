#ifndef NUMBERDESK_API_NUMBER_REQUEST_HANDLERS_H_
#define NUMBERDESK_API_NUMBER_REQUEST_HANDLERS_H_

#include "api/auth.h"
#include "api/handler_parts.h"
#include "api/notifier.h"
#include "documents/document_files.h"
#include "domain/region_catalog.h"
#include "domain/request_validation.h"
#include "http/message.h"
#include "http/router.h"
#include "storage/store.h"

namespace numberdesk::api {

// NumberRequestHandlers serves the customer's request endpoints: the three
// ways to ask for a number, and reading requests and their documents back.
// Each handler parses, calls the domain, stores and serialises; the caller
// has already been authenticated and checked for the permission.
class NumberRequestHandlers {
 public:
  NumberRequestHandlers(Store& store, DocumentFiles& files, const RegionCatalog& regions,
                        const Notifier& notifier)
      : store_(store), files_(files), regions_(regions), notifier_(notifier) {}

  // POST /api/numbers/add-new-number-request/non-toll-free and .../toll-free
  http::HttpResponse CreateNewNumber(RequestType type, const http::HttpRequest& request,
                                     const Caller& caller);
  // POST /api/numbers/add-port-request (multipart: data, loaFile, billFile)
  http::HttpResponse CreatePortIn(const http::HttpRequest& request, const Caller& caller);
  // GET /api/numbers/requests
  http::HttpResponse List(const http::HttpRequest& request, const Caller& caller);
  // GET /api/numbers/requests/{id}
  http::HttpResponse Get(const http::PathParams& params, const Caller& caller);
  // GET /api/numbers/requests/{id}/documents/{doc}
  http::HttpResponse GetDocument(const http::HttpRequest& http_request,
                                 const http::PathParams& params, const Caller& caller);

 private:
  ValidationContext ContextFor(const Caller& caller);
  // Save stores a validated request with its documents and answers 201.
  http::HttpResponse Save(NumberRequest request, const Caller& caller,
                          const std::vector<Upload>& uploads);

  numberdesk::Store& store_;
  DocumentFiles& files_;
  const RegionCatalog& regions_;
  const Notifier& notifier_;
};

}  // namespace numberdesk::api

#endif  // NUMBERDESK_API_NUMBER_REQUEST_HANDLERS_H_
