#ifndef NUMBERDESK_DOMAIN_NOTIFICATIONS_H_
#define NUMBERDESK_DOMAIN_NOTIFICATIONS_H_

#include <string>
#include <string_view>
#include <vector>

#include "domain/number_request.h"

namespace numberdesk {

// Mail is one email to one recipient, before it is put in MIME form.
struct Mail {
  std::string to;
  std::string subject;  // carries the request id and its status
  std::string text;     // the plain-text body
  std::string html;     // the same as HTML; everything a person typed is escaped
  // Derived from the event and the recipient only, so that the same mail
  // sent twice (a retry after a crash) is recognisably the same message.
  std::string message_id;  // "<evt_....3f2a9c1b@numberdesk>"
};

// Who an event is about and who should hear of it.
struct MailContext {
  const NumberRequest* request = nullptr;
  std::string requester_email;
  std::string support_email;  // empty: support is not mailed
  bool actor_is_staff = false;
};

// MailFor returns the mail `event` causes:
//   - customers (the request's notify_email addresses and the requester,
//     each once, in any letter case) hear of a new request (with a summary
//     of what was asked), every status change with its note, and every
//     message from support;
//   - the support address hears of a new request and of every reply or
//     document the customer sends.
// Internal events cause no mail to anyone outside support, and none at all
// here: staff read them on the desk.
std::vector<Mail> MailFor(const RequestEvent& event, const MailContext& context);

// MessageIdFor returns the Message-ID of the mail about `event_id` to `recipient`.
std::string MessageIdFor(std::string_view event_id, std::string_view recipient);

// EscapeHtml escapes &, <, >, " and ' for HTML text and attribute values.
std::string EscapeHtml(std::string_view text);

}  // namespace numberdesk

#endif  // NUMBERDESK_DOMAIN_NOTIFICATIONS_H_
