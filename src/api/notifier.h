#ifndef NUMBERDESK_API_NOTIFIER_H_
#define NUMBERDESK_API_NOTIFIER_H_

#include <string>

#include "domain/account.h"
#include "domain/number_request.h"
#include "storage/store.h"

namespace numberdesk::api {

struct NotifierSettings {
  std::string mail_from = "numberdesk@numberdesk.example";
  std::string support_email;  // empty: support is not mailed
};

// Notifier decides what the events of a change send, and to whom: the mail
// of MailFor, rendered as it will be sent, and a webhook delivery of each
// customer-visible event to each webhook of the request's account. It only
// composes; the store writes the result to the outbox with the events, and
// the outbox worker delivers it.
class Notifier {
 public:
  Notifier(Store& store, NotifierSettings settings)
      : store_(store), settings_(std::move(settings)) {}

  // For returns the composer for a change to `request` made by `actor`.
  // `request` is the request as the change leaves it (its number, once
  // completed); each event's own status is used for what it says. The
  // requester and the account's webhooks are looked up now, outside the
  // transaction.
  OutboxComposer For(NumberRequest request, const User& actor) const;

 private:
  Store& store_;
  NotifierSettings settings_;
};

}  // namespace numberdesk::api

#endif  // NUMBERDESK_API_NOTIFIER_H_
