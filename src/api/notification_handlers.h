#ifndef NUMBERDESK_API_NOTIFICATION_HANDLERS_H_
#define NUMBERDESK_API_NOTIFICATION_HANDLERS_H_

#include "api/auth.h"
#include "http/message.h"
#include "http/router.h"
#include "storage/store.h"

namespace numberdesk::api {

// NotificationHandlers serves an account's webhooks and, for support, the
// state of the outbox. Callers are authenticated and authorised by the
// routes.
class NotificationHandlers {
 public:
  explicit NotificationHandlers(Store& store) : store_(store) {}

  // POST /api/webhooks {"url": ...}: 201 with the webhook and its signing
  // secret, which is shown only here.
  http::HttpResponse CreateWebhook(const http::HttpRequest& request, const Caller& caller);
  // GET /api/webhooks
  http::HttpResponse ListWebhooks(const http::HttpRequest& request, const Caller& caller);
  // DELETE /api/webhooks/{id}: 204; deliveries still due to it are dropped.
  http::HttpResponse DeleteWebhook(const http::PathParams& params, const Caller& caller);

  // GET /api/support/outbox?state=pending|sent|failed&limit=N, newest first.
  http::HttpResponse Outbox(const http::HttpRequest& request);
  // POST /api/support/outbox/{id}/retry: 202, and a failed message is tried
  // again with a fresh count of attempts; 404 if `id` is not a failed
  // message; 409 webhook_deleted, the message left failed, if it is a
  // delivery to a webhook that was deleted.
  http::HttpResponse RetryOutbox(const http::PathParams& params);

 private:
  Store& store_;
};

}  // namespace numberdesk::api

#endif  // NUMBERDESK_API_NOTIFICATION_HANDLERS_H_
