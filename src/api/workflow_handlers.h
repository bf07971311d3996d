#ifndef NUMBERDESK_API_WORKFLOW_HANDLERS_H_
#define NUMBERDESK_API_WORKFLOW_HANDLERS_H_

#include <chrono>
#include <functional>

#include "api/auth.h"
#include "api/handler_parts.h"
#include "api/notifier.h"
#include "documents/document_files.h"
#include "domain/region_catalog.h"
#include "domain/workflow.h"
#include "http/message.h"
#include "http/router.h"
#include "storage/store.h"

namespace numberdesk::api {

// WorkflowHandlers serves the life of a request after it is submitted: the
// support desk's queue, moves and messages, and the customer's replies,
// document replacements and cancellations, plus the account's numbers and
// users. Callers are authenticated and authorised by the routes.
class WorkflowHandlers {
 public:
  WorkflowHandlers(Store& store, DocumentFiles& files, const RegionCatalog& regions,
                   const Notifier& notifier)
      : store_(store), files_(files), regions_(regions), notifier_(notifier) {}

  // Support staff.
  // GET /api/support/requests
  http::HttpResponse Queue(const http::HttpRequest& request);
  // GET /api/support/requests/{id}
  http::HttpResponse Detail(const http::PathParams& params);
  // GET /api/support/requests/{id}/documents/{doc}
  http::HttpResponse Document(const http::HttpRequest& request, const http::PathParams& params);
  // POST /api/support/requests/{id}/transitions
  http::HttpResponse Transition(const http::HttpRequest& request, const http::PathParams& params,
                                const Caller& caller);
  // POST /api/support/requests/{id}/messages
  http::HttpResponse StaffMessage(const http::HttpRequest& request, const http::PathParams& params,
                                  const Caller& caller);

  // Customers.
  // POST /api/numbers/requests/{id}/messages
  http::HttpResponse Reply(const http::HttpRequest& request, const http::PathParams& params,
                           const Caller& caller);
  // POST /api/numbers/requests/{id}/documents
  http::HttpResponse ReplaceDocuments(const http::HttpRequest& request,
                                      const http::PathParams& params, const Caller& caller);
  // POST /api/numbers/requests/{id}/cancel
  http::HttpResponse Cancel(const http::HttpRequest& request, const http::PathParams& params,
                            const Caller& caller);
  // GET /api/numbers
  http::HttpResponse Numbers(const http::HttpRequest& request, const Caller& caller);
  // GET /api/users
  http::HttpResponse Users(const http::HttpRequest& request, const Caller& caller);

 private:
  // A customer's message with what it brought, before it is stored.
  struct CustomerReply {
    std::string body;
    std::vector<Upload> uploads;
  };
  // Answer stores a customer's reply or new documents on `request`: one
  // event of `kind` with the documents, and a move back to in_progress if
  // support was waiting for the customer.
  http::HttpResponse Answer(const NumberRequest& request, const Caller& caller, EventKind kind,
                            std::string note, const std::vector<Upload>& uploads);
  // Apply stores `change` to `request`, made by `caller`, with the
  // notifications it causes, turning the conflicts it may meet into 409s.
  std::optional<http::HttpResponse> Apply(RequestChange& change, const NumberRequest& request,
                                          const Caller& caller);
  http::HttpResponse CustomerDetail(const std::string& request_id, const std::string& account_id,
                                    int status);
  http::HttpResponse StaffDetail(const NumberRequest& request, int status);

  Store& store_;
  DocumentFiles& files_;
  const RegionCatalog& regions_;
  const Notifier& notifier_;
};

}  // namespace numberdesk::api

#endif  // NUMBERDESK_API_WORKFLOW_HANDLERS_H_
