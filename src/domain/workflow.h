#ifndef NUMBERDESK_DOMAIN_WORKFLOW_H_
#define NUMBERDESK_DOMAIN_WORKFLOW_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "domain/field_error.h"
#include "domain/number_request.h"

namespace numberdesk {

// Who asks for a move. Customers are account administrators allowed to
// manage fax numbers; agents are the provider's support staff.
enum class WorkflowRole { kCustomer, kSupportAgent };

// IsOpen reports whether a request in `status` can still change: every status
// but completed, rejected and cancelled.
bool IsOpen(RequestStatus status);

// AllowedMoves lists the statuses `role` may move a request of `type` to from
// `from`, in workflow order. The rules, from the product design:
//
//   new number: submitted -> in_progress <-> awaiting_customer
//               in_progress -> completed | rejected
//   port-in:    submitted -> in_progress <-> awaiting_customer
//               in_progress -> submitted_to_carrier -> foc_scheduled -> completed
//               submitted_to_carrier, foc_scheduled -> awaiting_customer (carrier trouble)
//   any open status -> cancelled (customer) or rejected (agent)
//
// Agents make every move but cancelling. A customer cancels, and moves a
// request from awaiting_customer back to in_progress only by replying.
std::vector<RequestStatus> AllowedMoves(RequestType type, RequestStatus from, WorkflowRole role);

// The data a move may carry; which fields a move needs is MoveRequirements'.
struct MoveData {
  std::optional<std::string> message;            // to the customer
  std::optional<std::string> carrier_reference;  // the carrier's order id
  std::optional<std::string> foc_date;           // "YYYY-MM-DD"
  std::optional<std::string> number;             // the number obtained
  std::optional<std::string> reason;             // why it is rejected
};

// IsBusinessDay reports whether `day` is a Monday to Friday. Public holidays
// are not known to numberdesk and count as business days.
bool IsBusinessDay(std::chrono::year_month_day day);

// BusinessDaysBetween counts the business days after `from` up to and
// including `to` (0 when `to` is not after `from`).
int BusinessDaysBetween(std::chrono::year_month_day from, std::chrono::year_month_day to);

// ParseIsoDate reads "YYYY-MM-DD"; nothing if it is not a real date.
std::optional<std::chrono::year_month_day> ParseIsoDate(std::string_view text);

// FormatIsoDate writes "YYYY-MM-DD".
std::string FormatIsoDate(std::chrono::year_month_day day);

// The furthest ahead, in days, that an FOC date may be booked.
inline constexpr int kMaxFocDaysAhead = 365;

// CheckMoveData returns the problems with `data` for a move to `to`, as field
// errors at "/message", "/carrier_reference", "/foc_date", "/number" or
// "/reason": awaiting_customer needs a message, submitted_to_carrier a
// carrier reference, foc_scheduled an FOC date on a business day after
// `today` and at most kMaxFocDaysAhead days ahead, rejected a reason. A
// field that belongs to another move is `not_for_this_move`; a message fits
// every move. The number of a completion is checked by the caller, which
// knows the numbering data.
FieldErrors CheckMoveData(RequestStatus to, const MoveData& data,
                          std::chrono::year_month_day today);

// The least notice, in business days, before an FOC date that a customer may
// still cancel a port-in.
inline constexpr int kCancelNoticeBusinessDays = 2;

// CancelRefusal returns why a customer may not cancel a request now, or
// nothing if they may: it must be open, and a port-in with an FOC date from
// today to less than kCancelNoticeBusinessDays business days away is in the
// carrier's hands, whatever its status (carrier trouble may have sent it
// back to awaiting_customer with the date still booked).
std::optional<std::string> CancelRefusal(RequestType type, RequestStatus status,
                                         std::optional<std::chrono::year_month_day> foc_date,
                                         std::chrono::year_month_day today);

}  // namespace numberdesk

#endif  // NUMBERDESK_DOMAIN_WORKFLOW_H_
