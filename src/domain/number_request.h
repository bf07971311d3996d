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

  std::string created_at;  // RFC 3339, UTC
  std::string updated_at;
};

// The documents a request can carry.
enum class DocumentKind { kLoa, kBill };

std::string_view ToString(DocumentKind kind);  // "loa", "bill"
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
  std::string created_at;
};

// Who may read an event.
enum class EventVisibility { kCustomer, kInternal };

std::string_view ToString(EventVisibility visibility);

// RequestEvent is one entry of a request's timeline.
struct RequestEvent {
  std::string id;
  std::string request_id;
  std::string actor_user_id;
  std::string actor_username;
  std::string occurred_at;
  std::optional<RequestStatus> old_status;
  RequestStatus new_status = RequestStatus::kSubmitted;
  std::string note;
  EventVisibility visibility = EventVisibility::kCustomer;
};

}  // namespace numberdesk

#endif  // NUMBERDESK_DOMAIN_NUMBER_REQUEST_H_
