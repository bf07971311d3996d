#include "domain/number_request.h"

#include <array>
#include <utility>

namespace numberdesk {
namespace {

template <typename Enum, std::size_t N>
std::optional<Enum> Lookup(const std::array<std::pair<Enum, std::string_view>, N>& names,
                           std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

template <typename Enum, std::size_t N>
std::string_view NameOf(const std::array<std::pair<Enum, std::string_view>, N>& names, Enum value) {
  for (const auto& [known, name] : names) {
    if (known == value) return name;
  }
  return "unknown";
}

constexpr std::array<std::pair<RequestType, std::string_view>, 3> kTypeNames = {{
    {RequestType::kNonTollFree, "non_toll_free"},
    {RequestType::kTollFree, "toll_free"},
    {RequestType::kPortIn, "port_in"},
}};

constexpr std::array<std::pair<RequestStatus, std::string_view>, 8> kStatusNames = {{
    {RequestStatus::kSubmitted, "submitted"},
    {RequestStatus::kInProgress, "in_progress"},
    {RequestStatus::kAwaitingCustomer, "awaiting_customer"},
    {RequestStatus::kSubmittedToCarrier, "submitted_to_carrier"},
    {RequestStatus::kFocScheduled, "foc_scheduled"},
    {RequestStatus::kCompleted, "completed"},
    {RequestStatus::kRejected, "rejected"},
    {RequestStatus::kCancelled, "cancelled"},
}};

constexpr std::array<std::pair<DocumentKind, std::string_view>, 3> kDocumentKindNames = {{
    {DocumentKind::kLoa, "loa"},
    {DocumentKind::kBill, "bill"},
    {DocumentKind::kAttachment, "attachment"},
}};

constexpr std::array<std::pair<EventKind, std::string_view>, 4> kEventKindNames = {{
    {EventKind::kStatusChange, "status_change"},
    {EventKind::kMessage, "message"},
    {EventKind::kNote, "note"},
    {EventKind::kDocuments, "documents"},
}};

}  // namespace

std::string_view ToString(RequestType type) {
  return NameOf(kTypeNames, type);
}
std::optional<RequestType> ParseRequestType(std::string_view text) {
  return Lookup(kTypeNames, text);
}

std::string_view ToString(RequestStatus status) {
  return NameOf(kStatusNames, status);
}
std::optional<RequestStatus> ParseRequestStatus(std::string_view text) {
  return Lookup(kStatusNames, text);
}

std::string_view ToString(DocumentKind kind) {
  return NameOf(kDocumentKindNames, kind);
}
std::optional<DocumentKind> ParseDocumentKind(std::string_view text) {
  return Lookup(kDocumentKindNames, text);
}

std::string_view ToString(EventKind kind) {
  return NameOf(kEventKindNames, kind);
}
std::optional<EventKind> ParseEventKind(std::string_view text) {
  return Lookup(kEventKindNames, text);
}

std::string_view ToString(EventVisibility visibility) {
  return visibility == EventVisibility::kCustomer ? "customer" : "internal";
}

}  // namespace numberdesk
