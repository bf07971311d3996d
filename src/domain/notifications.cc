#include "domain/notifications.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "domain/text.h"

namespace numberdesk {
namespace {

std::string Join(const std::vector<std::string>& values) {
  std::string joined;
  for (const std::string& value : values)
    joined += (joined.empty() ? "" : ", ") + value;
  return joined;
}

// The customers of a request: notify_email and the requester, each once.
std::vector<std::string> CustomerAddresses(const MailContext& context) {
  std::vector<std::string> addresses;
  auto add = [&addresses](const std::string& address) {
    if (address.empty()) return;
    bool known = std::any_of(addresses.begin(), addresses.end(), [&](const std::string& a) {
      return EqualsIgnoringAsciiCase(a, address);
    });
    if (!known) addresses.push_back(address);
  };
  for (const std::string& address : context.request->notify_email)
    add(address);
  add(context.requester_email);
  return addresses;
}

std::string_view TypeName(RequestType type) {
  switch (type) {
    case RequestType::kNonTollFree:
      return "a new local number";
    case RequestType::kTollFree:
      return "a new toll-free number";
    case RequestType::kPortIn:
      return "the port-in of a number";
  }
  return "a number";
}

// What was asked, one "label: value" line each.
std::vector<std::pair<std::string, std::string>> Summary(const NumberRequest& request) {
  std::vector<std::pair<std::string, std::string>> lines = {
      {"Request", request.id},
      {"Asked for", std::string(TypeName(request.type))},
      {"Country", request.country_code},
  };
  if (request.region) lines.emplace_back("Region", *request.region);
  if (request.city) lines.emplace_back("City", *request.city);
  if (!request.area_code.empty()) {
    lines.emplace_back(
        request.type == RequestType::kTollFree ? "Preferred prefixes" : "Preferred area codes",
        Join(request.area_code));
  }
  if (request.number_to_port) lines.emplace_back("Number to port", *request.number_to_port);
  if (request.assign_to_user) lines.emplace_back("For user", *request.assign_to_user);
  if (request.department_name) lines.emplace_back("Department", *request.department_name);
  if (request.comment) lines.emplace_back("Comment", *request.comment);
  return lines;
}

// Body builds the two forms of one mail from a heading, a free text (what a
// person wrote, or a note) and summary lines.
struct Body {
  std::string text;
  std::string html;
};

Body Compose(std::string_view heading, std::string_view note,
             const std::vector<std::pair<std::string, std::string>>& lines) {
  Body body;
  body.text = std::string(heading) + "\n\n";
  body.html = "<!DOCTYPE html>\n<html><body>\n<p>" + EscapeHtml(heading) + "</p>\n";
  if (!note.empty()) {
    body.text += std::string(note) + "\n\n";
    std::string escaped = EscapeHtml(note);
    std::string with_breaks;
    for (char c : escaped)
      with_breaks += c == '\n' ? std::string("<br>\n") : std::string(1, c);
    body.html += "<blockquote>" + with_breaks + "</blockquote>\n";
  }
  if (!lines.empty()) {
    body.html += "<table>\n";
    for (const auto& [label, value] : lines) {
      body.text += label + ": " + value + "\n";
      body.html += "<tr><th align=\"left\">" + EscapeHtml(label) + "</th><td>" + EscapeHtml(value) +
                   "</td></tr>\n";
    }
    body.html += "</table>\n";
  }
  body.text += "\n-- \nnumberdesk\n";
  body.html += "</body></html>\n";
  return body;
}

Mail MailTo(const std::string& to, const RequestEvent& event, std::string subject, Body body) {
  return Mail{to, std::move(subject), std::move(body.text), std::move(body.html),
              MessageIdFor(event.id, to)};
}

std::string SubjectFor(const NumberRequest& request, RequestStatus status, std::string_view what) {
  return "[" + request.id + "] " + std::string(ToString(status)) + ": " + std::string(what);
}

}  // namespace

std::string MessageIdFor(std::string_view event_id, std::string_view recipient) {
  // FNV-1a of the recipient in lower case: stable across runs and machines.
  std::uint64_t hash = 1469598103934665603ull;
  for (char c : AsciiLower(recipient)) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016" PRIx64, hash);
  return "<" + std::string(event_id) + "." + hex + "@numberdesk>";
}

std::string EscapeHtml(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

std::vector<Mail> MailFor(const RequestEvent& event, const MailContext& context) {
  std::vector<Mail> mail;
  if (event.visibility == EventVisibility::kInternal || context.request == nullptr) return mail;
  const NumberRequest& request = *context.request;
  bool created = event.kind == EventKind::kStatusChange && !event.old_status;

  std::vector<std::string> customers;
  std::string subject;
  Body body;
  if (created) {
    customers = CustomerAddresses(context);
    subject = SubjectFor(request, event.new_status, "we received your request");
    body = Compose("We received your request for " + std::string(TypeName(request.type)) +
                       ". We will write again at each step.",
                   "", Summary(request));
  } else if (event.kind == EventKind::kStatusChange) {
    customers = CustomerAddresses(context);
    subject = SubjectFor(request, event.new_status,
                         event.new_status == RequestStatus::kCompleted
                             ? "your number " + request.number.value_or("") + " is active"
                             : "status changed to " + std::string(ToString(event.new_status)));
    body = Compose("Request " + request.id + " is now " + std::string(ToString(event.new_status)) +
                       " (it was " +
                       std::string(ToString(event.old_status.value_or(event.new_status))) + ").",
                   event.note, {});
  } else if (event.kind == EventKind::kMessage && context.actor_is_staff) {
    customers = CustomerAddresses(context);
    subject = SubjectFor(request, event.new_status, "a message from support");
    body = Compose("Support wrote about request " + request.id + ":", event.note, {});
  }
  for (const std::string& to : customers)
    mail.push_back(MailTo(to, event, subject, body));

  // Support hears of new requests and of whatever the customer sends or
  // does: a cancelled request may have a carrier order to stop.
  if (context.support_email.empty()) return mail;
  const std::string& who = event.actor_username;
  std::string what;
  Body to_support;
  if (created) {
    what = "new request from " + who;
    to_support = Compose("A new request was submitted by " + who + ".", "", Summary(request));
  } else if (context.actor_is_staff) {
    return mail;
  } else if (event.kind == EventKind::kMessage) {
    what = "the customer " + who + " wrote";
    to_support = Compose(who + " wrote about request " + request.id + ":", event.note, {});
  } else if (event.kind == EventKind::kDocuments) {
    what = "the customer " + who + " sent documents";
    to_support = Compose(who + " sent documents for request " + request.id + ":", event.note, {});
  } else if (event.kind == EventKind::kStatusChange &&
             event.new_status == RequestStatus::kCancelled) {
    what = "the customer " + who + " cancelled it";
    to_support = Compose(who + " cancelled request " + request.id + ":", event.note, {});
  } else {
    return mail;
  }
  mail.push_back(MailTo(context.support_email, event, SubjectFor(request, event.new_status, what),
                        std::move(to_support)));
  return mail;
}

}  // namespace numberdesk
