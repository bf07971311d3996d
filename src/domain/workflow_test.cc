#include "domain/workflow.h"

#include <gtest/gtest.h>

#include <tuple>

namespace numberdesk {
namespace {

using S = RequestStatus;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr WorkflowRole kAgent = WorkflowRole::kSupportAgent;
constexpr WorkflowRole kCustomer = WorkflowRole::kCustomer;

// 2026-12-03 is a Thursday.
const year_month_day kThursday{year(2026), month(12), day(3)};

year_month_day Date(int y, unsigned m, unsigned d) {
  return {year(y), month(m), day(d)};
}

// MoveData with one field set.
MoveData With(std::optional<std::string> MoveData::*field, std::string value) {
  MoveData data;
  data.*field = std::move(value);
  return data;
}

// Every status and role, with the moves each role may make from it, move by
// move, for both kinds of request.
struct Case {
  RequestType type;
  S from;
  WorkflowRole role;
  std::vector<S> allowed;
};

class AllowedMovesTable : public ::testing::TestWithParam<Case> {};

TEST_P(AllowedMovesTable, ListsExactlyTheMovesOfTheDesign) {
  const Case& c = GetParam();
  EXPECT_EQ(AllowedMoves(c.type, c.from, c.role), c.allowed)
      << ToString(c.type) << " from " << ToString(c.from);
}

// Names each case "<type>_from_<status>_by_<role>" in test listings.
std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  return std::string(ToString(info.param.type)) + "_from_" +
         std::string(ToString(info.param.from)) +
         (info.param.role == kAgent ? "_by_agent" : "_by_customer");
}

constexpr RequestType kNew = RequestType::kNonTollFree;
constexpr RequestType kTollFree = RequestType::kTollFree;
constexpr RequestType kPortIn = RequestType::kPortIn;

INSTANTIATE_TEST_SUITE_P(
    NewNumber, AllowedMovesTable,
    ::testing::Values(
        Case{kNew, S::kSubmitted, kAgent, {S::kInProgress, S::kRejected}},
        Case{kNew, S::kSubmitted, kCustomer, {S::kCancelled}},
        Case{kNew, S::kInProgress, kAgent, {S::kAwaitingCustomer, S::kCompleted, S::kRejected}},
        Case{kNew, S::kInProgress, kCustomer, {S::kCancelled}},
        Case{kNew, S::kAwaitingCustomer, kAgent, {S::kInProgress, S::kRejected}},
        Case{kNew, S::kAwaitingCustomer, kCustomer, {S::kInProgress, S::kCancelled}},
        Case{
            kTollFree, S::kInProgress, kAgent, {S::kAwaitingCustomer, S::kCompleted, S::kRejected}},
        Case{kNew, S::kCompleted, kAgent, {}}, Case{kNew, S::kCompleted, kCustomer, {}},
        Case{kNew, S::kRejected, kAgent, {}}, Case{kNew, S::kCancelled, kCustomer, {}}),
    CaseName);

INSTANTIATE_TEST_SUITE_P(
    PortIn, AllowedMovesTable,
    ::testing::Values(
        Case{kPortIn, S::kSubmitted, kAgent, {S::kInProgress, S::kRejected}},
        Case{kPortIn, S::kSubmitted, kCustomer, {S::kCancelled}},
        Case{kPortIn,
             S::kInProgress,
             kAgent,
             {S::kAwaitingCustomer, S::kSubmittedToCarrier, S::kRejected}},
        Case{kPortIn, S::kInProgress, kCustomer, {S::kCancelled}},
        Case{kPortIn, S::kAwaitingCustomer, kAgent, {S::kInProgress, S::kRejected}},
        Case{kPortIn, S::kAwaitingCustomer, kCustomer, {S::kInProgress, S::kCancelled}},
        Case{kPortIn,
             S::kSubmittedToCarrier,
             kAgent,
             {S::kAwaitingCustomer, S::kFocScheduled, S::kRejected}},
        Case{kPortIn, S::kSubmittedToCarrier, kCustomer, {S::kCancelled}},
        Case{
            kPortIn, S::kFocScheduled, kAgent, {S::kAwaitingCustomer, S::kCompleted, S::kRejected}},
        Case{kPortIn, S::kFocScheduled, kCustomer, {S::kCancelled}},
        Case{kPortIn, S::kCompleted, kAgent, {}}, Case{kPortIn, S::kCancelled, kAgent, {}}),
    CaseName);

TEST(Workflow, NeverCompletesAPortInStraightFromInProgress) {
  std::vector<S> moves = AllowedMoves(kPortIn, S::kInProgress, kAgent);
  EXPECT_EQ(std::count(moves.begin(), moves.end(), S::kCompleted), 0);
}

TEST(Workflow, OnlyTerminalStatusesAreClosed) {
  EXPECT_TRUE(IsOpen(S::kSubmitted));
  EXPECT_TRUE(IsOpen(S::kFocScheduled));
  EXPECT_FALSE(IsOpen(S::kCompleted));
  EXPECT_FALSE(IsOpen(S::kRejected));
  EXPECT_FALSE(IsOpen(S::kCancelled));
}

TEST(BusinessDays, AreMondayToFriday) {
  EXPECT_TRUE(IsBusinessDay(kThursday));
  EXPECT_TRUE(IsBusinessDay(Date(2026, 12, 4)));   // Friday
  EXPECT_FALSE(IsBusinessDay(Date(2026, 12, 5)));  // Saturday
  EXPECT_FALSE(IsBusinessDay(Date(2026, 12, 6)));  // Sunday
}

TEST(BusinessDays, CountsTheDaysAfterTheFirstUpToTheLast) {
  EXPECT_EQ(BusinessDaysBetween(kThursday, kThursday), 0);
  EXPECT_EQ(BusinessDaysBetween(kThursday, Date(2026, 12, 4)), 1);
  EXPECT_EQ(BusinessDaysBetween(kThursday, Date(2026, 12, 7)), 2);  // Friday, Monday
  EXPECT_EQ(BusinessDaysBetween(kThursday, Date(2026, 12, 1)), 0);
}

TEST(IsoDate, ReadsAndWritesRealDatesOnly) {
  ASSERT_TRUE(ParseIsoDate("2026-12-07").has_value());
  EXPECT_EQ(FormatIsoDate(*ParseIsoDate("2026-12-07")), "2026-12-07");
  EXPECT_FALSE(ParseIsoDate("2026-02-30").has_value());
  EXPECT_FALSE(ParseIsoDate("2026-12-7").has_value());
  EXPECT_FALSE(ParseIsoDate("07/12/2026").has_value());
}

TEST(MoveData, AwaitingCustomerNeedsAMessage) {
  FieldErrors errors = CheckMoveData(S::kAwaitingCustomer, {}, kThursday);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].pointer, "/message");
  EXPECT_EQ(errors[0].code, "required");
  EXPECT_TRUE(CheckMoveData(S::kAwaitingCustomer,
                            With(&MoveData::message, "Please re-sign the LOA."), kThursday)
                  .empty());
}

TEST(MoveData, SubmittedToCarrierNeedsAReference) {
  FieldErrors errors =
      CheckMoveData(S::kSubmittedToCarrier, With(&MoveData::carrier_reference, "  "), kThursday);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].pointer, "/carrier_reference");
}

TEST(MoveData, RejectedNeedsAReason) {
  FieldErrors errors = CheckMoveData(S::kRejected, {}, kThursday);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].pointer, "/reason");
}

TEST(MoveData, FocDateMustBeAFutureBusinessDay) {
  auto code_for = [](const char* date) {
    FieldErrors errors =
        CheckMoveData(S::kFocScheduled, With(&MoveData::foc_date, date), kThursday);
    return errors.empty() ? std::string() : errors[0].code;
  };
  EXPECT_EQ(code_for("2026-12-04"), "");                                  // Friday
  EXPECT_EQ(code_for("2026-12-07"), "");                                  // Monday
  EXPECT_EQ(code_for("2026-12-03"), "foc_date_not_future_business_day");  // today
  EXPECT_EQ(code_for("2026-12-05"), "foc_date_not_future_business_day");  // Saturday
  EXPECT_EQ(code_for("2026-11-30"), "foc_date_not_future_business_day");
  EXPECT_EQ(code_for("next week"), "invalid_date");
  EXPECT_EQ(CheckMoveData(S::kFocScheduled, {}, kThursday)[0].code, "required");
}

TEST(MoveData, FocDateIsAtMostAYearAhead) {
  auto code_for = [](const char* date) {
    FieldErrors errors =
        CheckMoveData(S::kFocScheduled, With(&MoveData::foc_date, date), kThursday);
    return errors.empty() ? std::string() : errors[0].code;
  };
  EXPECT_EQ(code_for("2027-12-03"), "");  // Friday, 365 days after kThursday
  EXPECT_EQ(code_for("2027-12-06"), "foc_date_too_far");
  EXPECT_EQ(code_for("9999-12-31"), "foc_date_too_far");
}

TEST(MoveData, RefusesAFieldThatBelongsToAnotherMove) {
  MoveData data;
  data.carrier_reference = "ORD-1";
  data.foc_date = "2026-12-10";
  data.number = "+16175550000";
  data.reason = "x";
  FieldErrors errors = CheckMoveData(S::kInProgress, data, kThursday);
  std::vector<std::string> pointers;
  for (const FieldError& error : errors) {
    EXPECT_EQ(error.code, "not_for_this_move") << error.pointer;
    pointers.push_back(error.pointer);
  }
  EXPECT_EQ(pointers,
            (std::vector<std::string>{"/carrier_reference", "/foc_date", "/number", "/reason"}));

  // Each field fits its own move, and a message fits every move.
  MoveData order = With(&MoveData::carrier_reference, "ORD-1");
  order.message = "Ordered.";
  EXPECT_TRUE(CheckMoveData(S::kSubmittedToCarrier, order, kThursday).empty());
  MoveData blank = With(&MoveData::foc_date, "  ");  // blank is "not given"
  EXPECT_TRUE(CheckMoveData(S::kInProgress, blank, kThursday).empty());
  order.foc_date = "2026-12-10";
  errors = CheckMoveData(S::kSubmittedToCarrier, order, kThursday);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].pointer, "/foc_date");
}

TEST(Cancel, IsAllowedWhileOpen) {
  EXPECT_FALSE(CancelRefusal(kNew, S::kSubmitted, std::nullopt, kThursday).has_value());
  EXPECT_FALSE(CancelRefusal(kPortIn, S::kSubmittedToCarrier, std::nullopt, kThursday));
}

TEST(Cancel, IsRefusedOnceClosed) {
  for (S status : {S::kCompleted, S::kRejected, S::kCancelled}) {
    EXPECT_TRUE(CancelRefusal(kNew, status, std::nullopt, kThursday).has_value())
        << ToString(status);
  }
}

TEST(Cancel, IsRefusedWhenThePortIsLessThanTwoBusinessDaysAway) {
  // From Thursday, Friday is one business day away and Monday two.
  std::optional<std::string> friday =
      CancelRefusal(kPortIn, S::kFocScheduled, Date(2026, 12, 4), kThursday);
  ASSERT_TRUE(friday.has_value());
  EXPECT_NE(friday->find("2026-12-04"), std::string::npos);
  EXPECT_FALSE(CancelRefusal(kPortIn, S::kFocScheduled, Date(2026, 12, 7), kThursday));
  EXPECT_TRUE(CancelRefusal(kPortIn, S::kFocScheduled, Date(2026, 12, 3), kThursday))
      << "the port is today";
}

// Regression: moving a scheduled port back to awaiting_customer lifted the
// notice period, though the carrier still had the date.
TEST(Cancel, KeepsTheNoticePeriodAfterThePortLeavesFocScheduled) {
  for (S status : {S::kAwaitingCustomer, S::kInProgress, S::kSubmittedToCarrier}) {
    EXPECT_TRUE(CancelRefusal(kPortIn, status, Date(2026, 12, 4), kThursday)) << ToString(status);
  }
}

TEST(Cancel, IgnoresAnFocDateThatHasPassed) {
  EXPECT_FALSE(CancelRefusal(kPortIn, S::kAwaitingCustomer, Date(2026, 12, 2), kThursday));
}

}  // namespace
}  // namespace numberdesk
