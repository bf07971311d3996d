#ifndef NUMBERDESK_DOMAIN_NUMBER_REQUEST_H_
#define NUMBERDESK_DOMAIN_NUMBER_REQUEST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numberdesk {

// The three kinds of fax-number request, named as in the API.
enum class RequestType { kNonTollFree, kTollFree, kPortIn };

std::string_view ToString(RequestType type);  // "non_toll_free", "toll_free", "port_in"
std::optional<RequestType> ParseRequestType(std::string_view text);

// Where a request stands in the procurement workflow.
enum class RequestStatus {
  kSubmitted,
  kInProgress,
  kAwaitingCustomer,
  kSubmittedToCarrier,  // port-ins only
  kFocScheduled,        // port-ins only
  kCompleted,
  kRejected,
  kCancelled,
};

std::string_view ToString(RequestStatus status);  // "submitted", "in_progress", ...
std::optional<RequestStatus> ParseRequestStatus(std::string_view text);

// NumberRequest is a validated request as it is stored and shown. Optional
// preferences that were not given are empty.
struct NumberRequest {
  std::string id;
  std::string account_id;
  std::string requester_user_id;
  RequestType type = RequestType::kNonTollFree;
  RequestStatus status = RequestStatus::kSubmitted;

  std::string country_code;  // "US" or "CA"
  std::optional<std::string> department_name;
  std::optional<std::string> assign_to_user;  // the user's canonical username
  std::optional<std::string> assign_to_user_id;
  std::vector<std::string> notify_email;  // at least one, trimmed, unique ignoring case
  std::optional<std::string> comment;
  std::optional<std::string> forward_from;  // E.164

  // Non-toll-free only.
  std::optional<std::string> region;  // "MA"
  std::optional<std::string> city;
  // Preferred area codes: for a new local number its area codes, for a
  // toll-free number its toll-free prefixes. Empty when not given.
  std::vector<std::string> area_code;

  // Port-in only.
  std::optional<std::string> number_to_port;  // E.164
  std::optional<bool> toll_free;

  // Filled in as the request is worked.
  std::optional<std::string> carrier_reference;  // the carrier's order id; staff only
  std::optional<std::string> foc_date;           // "YYYY-MM-DD", port-ins only
  std::optional<std::string> number;             // E.164, the number obtained or ported

  // Bumped by every status change, so that two people moving the request at
  // once cannot both win.
  std::int64_t version = 1;

  std::string created_at;  // RFC 3339, UTC
  std::string updated_at;
  std::string status_changed_at;  // how long it has waited is counted from here
};

// The documents a request can carry: a port-in's letter of authorisation and
// phone bill (the newest of each kind is the one in force), and files
// attached to a customer's message.
enum class DocumentKind { kLoa, kBill, kAttachment };

std::string_view ToString(DocumentKind kind);  // "loa", "bill", "attachment"
std::optional<DocumentKind> ParseDocumentKind(std::string_view text);

// RequestDocument is the metadata of one stored document; its bytes live
// elsewhere.
struct RequestDocument {
  std::string id;
  std::string request_id;
  DocumentKind kind = DocumentKind::kLoa;
  std::string file_name;  // as uploaded, path parts removed
  std::string content_type;
  std::int64_t size_bytes = 0;
  std::string sha256;  // lower-case hex
  int page_count = 0;
  std::optional<std::string> event_id;  // the message or change that brought it
  std::string created_at;
};

// Who may read an event.
enum class EventVisibility { kCustomer, kInternal };

std::string_view ToString(EventVisibility visibility);

// What an event records.
enum class EventKind {
  kStatusChange,  // old_status -> new_status, with a note
  kMessage,       // a message between the customer and support
  kNote,          // an internal note by support staff
  kDocuments,     // the customer replaced the LOA or the bill
};

std::string_view ToString(EventKind kind);  // "status_change", "message", "note", "documents"
std::optional<EventKind> ParseEventKind(std::string_view text);

// RequestEvent is one entry of a request's timeline. Events that are not
// status changes carry the request's status at the time in both statuses.
struct RequestEvent {
  std::string id;
  std::string request_id;
  std::string actor_user_id;
  std::string actor_username;
  std::string occurred_at;
  EventKind kind = EventKind::kStatusChange;
  std::optional<RequestStatus> old_status;
  RequestStatus new_status = RequestStatus::kSubmitted;
  std::string note;
  EventVisibility visibility = EventVisibility::kCustomer;
};

}  // namespace numberdesk

#endif  // NUMBERDESK_DOMAIN_NUMBER_REQUEST_H_
