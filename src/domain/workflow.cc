#include "domain/workflow.h"

#include <algorithm>
#include <cstdio>

#include "domain/text.h"

namespace numberdesk {
namespace {

using S = RequestStatus;

// One edge of the workflow and who may take it.
struct Edge {
  S from;
  S to;
  bool port_in_only;
  WorkflowRole role;
};

constexpr Edge kEdges[] = {
    {S::kSubmitted, S::kInProgress, false, WorkflowRole::kSupportAgent},
    {S::kInProgress, S::kAwaitingCustomer, false, WorkflowRole::kSupportAgent},
    {S::kAwaitingCustomer, S::kInProgress, false, WorkflowRole::kSupportAgent},
    {S::kAwaitingCustomer, S::kInProgress, false, WorkflowRole::kCustomer},  // by replying
    {S::kInProgress, S::kSubmittedToCarrier, true, WorkflowRole::kSupportAgent},
    {S::kSubmittedToCarrier, S::kFocScheduled, true, WorkflowRole::kSupportAgent},
    {S::kSubmittedToCarrier, S::kAwaitingCustomer, true, WorkflowRole::kSupportAgent},
    {S::kFocScheduled, S::kAwaitingCustomer, true, WorkflowRole::kSupportAgent},
    {S::kFocScheduled, S::kCompleted, true, WorkflowRole::kSupportAgent},
};

bool Given(const std::optional<std::string>& value) {
  return value && !TrimWhitespace(*value).empty();
}

}  // namespace

bool IsOpen(RequestStatus status) {
  return status != S::kCompleted && status != S::kRejected && status != S::kCancelled;
}

std::vector<RequestStatus> AllowedMoves(RequestType type, RequestStatus from, WorkflowRole role) {
  std::vector<RequestStatus> moves;
  if (!IsOpen(from)) return moves;
  bool port_in = type == RequestType::kPortIn;
  for (const Edge& edge : kEdges) {
    if (edge.from == from && edge.role == role && (port_in || !edge.port_in_only)) {
      moves.push_back(edge.to);
    }
  }
  // A new number is completed straight from in_progress.
  if (!port_in && from == S::kInProgress && role == WorkflowRole::kSupportAgent) {
    moves.push_back(S::kCompleted);
  }
  moves.push_back(role == WorkflowRole::kSupportAgent ? S::kRejected : S::kCancelled);
  std::sort(moves.begin(), moves.end());
  moves.erase(std::unique(moves.begin(), moves.end()), moves.end());
  return moves;
}

bool IsBusinessDay(std::chrono::year_month_day day) {
  std::chrono::weekday weekday{std::chrono::sys_days(day)};
  return weekday != std::chrono::Saturday && weekday != std::chrono::Sunday;
}

int BusinessDaysBetween(std::chrono::year_month_day from, std::chrono::year_month_day to) {
  int count = 0;
  for (auto day = std::chrono::sys_days(from) + std::chrono::days(1);
       day <= std::chrono::sys_days(to); day += std::chrono::days(1)) {
    if (IsBusinessDay(std::chrono::year_month_day(day))) ++count;
  }
  return count;
}

std::optional<std::chrono::year_month_day> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  std::size_t starts[3] = {0, 5, 8};
  std::size_t lengths[3] = {4, 2, 2};
  for (int i = 0; i < 3; ++i) {
    for (std::size_t j = starts[i]; j < starts[i] + lengths[i]; ++j) {
      if (text[j] < '0' || text[j] > '9') return std::nullopt;
      parts[i] = parts[i] * 10 + (text[j] - '0');
    }
  }
  std::chrono::year_month_day day{std::chrono::year(parts[0]),
                                  std::chrono::month(static_cast<unsigned>(parts[1])),
                                  std::chrono::day(static_cast<unsigned>(parts[2]))};
  if (!day.ok()) return std::nullopt;
  return day;
}

std::string FormatIsoDate(std::chrono::year_month_day day) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

FieldErrors CheckMoveData(RequestStatus to, const MoveData& data,
                          std::chrono::year_month_day today) {
  FieldErrors errors;
  // Each field but the message belongs to one move; given with another it
  // would be dropped, so it is refused instead.
  const struct {
    const std::optional<std::string>& value;
    const char* name;
    RequestStatus move;
  } kOwnMove[] = {
      {data.carrier_reference, "carrier_reference", S::kSubmittedToCarrier},
      {data.foc_date, "foc_date", S::kFocScheduled},
      {data.number, "number", S::kCompleted},
      {data.reason, "reason", S::kRejected},
  };
  for (const auto& field : kOwnMove) {
    if (field.move != to && Given(field.value)) {
      errors.push_back(ErrorAt("/" + std::string(field.name), "not_for_this_move",
                               std::string(field.name) + " belongs to a move to " +
                                   std::string(ToString(field.move)) + ", not to " +
                                   std::string(ToString(to)) + "."));
    }
  }
  switch (to) {
    case S::kAwaitingCustomer:
      if (!Given(data.message)) {
        errors.push_back(
            ErrorAt("/message", "required", "Say what the customer must do: message is required."));
      }
      break;
    case S::kSubmittedToCarrier:
      if (!Given(data.carrier_reference)) {
        errors.push_back(ErrorAt("/carrier_reference", "required",
                                 "carrier_reference (the carrier's order id) is required."));
      }
      break;
    case S::kFocScheduled: {
      if (!Given(data.foc_date)) {
        errors.push_back(ErrorAt("/foc_date", "required", "foc_date (YYYY-MM-DD) is required."));
        break;
      }
      std::optional<std::chrono::year_month_day> day = ParseIsoDate(TrimWhitespace(*data.foc_date));
      if (!day) {
        errors.push_back(ErrorAt("/foc_date", "invalid_date", "foc_date must be YYYY-MM-DD."));
      } else if (std::chrono::sys_days(*day) <= std::chrono::sys_days(today) ||
                 !IsBusinessDay(*day)) {
        errors.push_back(ErrorAt("/foc_date", "foc_date_not_future_business_day",
                                 "The FOC date must be a business day (Monday to Friday) after "
                                 "today."));
      } else if (std::chrono::sys_days(*day) >
                 std::chrono::sys_days(today) + std::chrono::days(kMaxFocDaysAhead)) {
        errors.push_back(ErrorAt("/foc_date", "foc_date_too_far",
                                 "The FOC date must be within " + std::to_string(kMaxFocDaysAhead) +
                                     " days of today; carriers commit to nearer dates."));
      }
      break;
    }
    case S::kRejected:
      if (!Given(data.reason)) {
        errors.push_back(ErrorAt("/reason", "required", "Say why: reason is required."));
      }
      break;
    default:
      break;
  }
  return errors;
}

std::optional<std::string> CancelRefusal(RequestType type, RequestStatus status,
                                         std::optional<std::chrono::year_month_day> foc_date,
                                         std::chrono::year_month_day today) {
  if (!IsOpen(status)) {
    return "The request is " + std::string(ToString(status)) + " and can no longer be cancelled.";
  }
  // The date binds whatever the status: carrier trouble may send a scheduled
  // port back to awaiting_customer without unscheduling it. A date that has
  // passed no longer does.
  bool scheduled_ahead =
      foc_date && std::chrono::sys_days(*foc_date) >= std::chrono::sys_days(today);
  if (type == RequestType::kPortIn && scheduled_ahead &&
      BusinessDaysBetween(today, *foc_date) < kCancelNoticeBusinessDays) {
    return "The port is scheduled with the carrier for " + FormatIsoDate(*foc_date) +
           ", less than " + std::to_string(kCancelNoticeBusinessDays) +
           " business days away; contact support to stop it.";
  }
  return std::nullopt;
}

}  // namespace numberdesk
