// Black-box tests of the workflow's rules around the happy path:
// Idempotency-Key on every authenticated POST, the data each support move
// needs, completion warnings and numbers already in use, the customer's
// cancel and its FOC notice, replies and documents, who may use which
// endpoint, and the support queue's order, filters and pages.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <latch>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "http/http_client.h"
#include "http/server_process.h"
#include "support/pdf_factory.h"

namespace numberdesk::testing {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::sys_days;

std::string CustomerPath(const std::string& id, const std::string& tail = "") {
  return std::string(kRequestsPath) + "/" + id + tail;
}

std::string SupportPath(const std::string& id, const std::string& tail = "") {
  return "/api/support/requests/" + id + tail;
}

std::string KeyHeader(const std::string& key) {
  return "Idempotency-Key: " + key;
}

// Dates, from today's date in UTC as the server sees it.
sys_days TodayUtc() {
  return std::chrono::floor<days>(std::chrono::system_clock::now());
}

bool IsWeekday(sys_days day) {
  std::chrono::weekday weekday{day};
  return weekday != std::chrono::Saturday && weekday != std::chrono::Sunday;
}

std::string IsoDate(sys_days day) {
  std::chrono::year_month_day date{day};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return text;
}

// The `count`th business day after today (count > 0) or before it (< 0).
std::string BusinessDays(int count) {
  sys_days day = TodayUtc();
  int step = count > 0 ? 1 : -1;
  for (int left = count > 0 ? count : -count; left > 0;) {
    day += days(step);
    if (IsWeekday(day)) --left;
  }
  return IsoDate(day);
}

// The first Saturday or Sunday after today.
std::string NextWeekendDay() {
  sys_days day = TodayUtc() + days(1);
  while (IsWeekday(day))
    day += days(1);
  return IsoDate(day);
}

// Numbers for completions: each different, within one test binary run.
std::string NextSuffix() {
  static std::atomic<int> next{1000};
  return std::to_string(next++);
}
// MA local numbers of area code 978 and of 351, Vermont (802) and toll-free (800).
std::string NextLocalNumber() {
  return "+1978555" + NextSuffix();
}
std::string NextOtherMaNumber() {
  return "+1351555" + NextSuffix();
}
std::string NextVermontNumber() {
  return "+1802555" + NextSuffix();
}
std::string NextTollFreeNumber() {
  return "+1800555" + NextSuffix();
}

std::size_t CountEvents(const json& request, const std::string& kind, const std::string& status) {
  std::size_t count = 0;
  for (const json& event : request["events"]) {
    if (event["kind"] == kind && event["new_status"] == status) ++count;
  }
  return count;
}

std::vector<std::string> Ids(const json& page) {
  std::vector<std::string> ids;
  for (const json& item : page["requests"])
    ids.push_back(item["id"].get<std::string>());
  return ids;
}

class WorkflowRulesTest : public ::testing::Test {
 protected:
  std::string CreateLocal(json body = MinimalNonTollFree()) {
    return ExpectCreated(api_.PostJson(kNonTollFreePath, body), "non_toll_free")["id"];
  }

  std::string CreateTollFree() {
    return ExpectCreated(api_.PostJson(kTollFreePath, MinimalTollFree()), "toll_free")["id"];
  }

  json CreatePortIn() {
    return ExpectCreated(
        api_.PostMultipart(kPortInPath, PortInParts(MinimalPortInData(), loa_, bill_)), "port_in");
  }

  // Move sends a support transition and returns the answer, unchecked.
  HttpResult Move(const std::string& id, const json& body,
                  const std::vector<std::string>& headers = {}) {
    return desk_.PostJson(SupportPath(id, "/transitions"), body, headers);
  }

  // MoveOk makes a move that must succeed and returns the staff view.
  json MoveOk(const std::string& id, const json& body) {
    HttpResult result = Move(id, body);
    EXPECT_EQ(result.status, 200) << body.dump() << ": " << result.body;
    json moved = result.Json();
    if (body.contains("to")) {
      EXPECT_EQ(moved["status"], body["to"]) << result.body;
    }
    return moved;
  }

  // Takes a port-in to foc_scheduled with `foc_date`.
  void ScheduleFoc(const std::string& id, const std::string& foc_date) {
    MoveOk(id, {{"to", "in_progress"}});
    MoveOk(id, {{"to", "submitted_to_carrier"}, {"carrier_reference", "ORD-" + id}});
    MoveOk(id, {{"to", "foc_scheduled"}, {"foc_date", foc_date}});
  }

  json Staff(const std::string& id) {
    HttpResult result = desk_.Get(SupportPath(id));
    EXPECT_EQ(result.status, 200) << result.body;
    return result.Json();
  }

  json Customer(const std::string& id) {
    HttpResult result = api_.Get(CustomerPath(id));
    EXPECT_EQ(result.status, 200) << result.body;
    return result.Json();
  }

  std::size_t CustomerRequestCount(HttpClient& client) {
    HttpResult result = client.Get(std::string(kRequestsPath) + "?limit=100");
    EXPECT_EQ(result.status, 200) << result.body;
    return result.Json()["requests"].size();
  }

  // ExpectUnchanged checks that a refused move left the request as it was.
  void ExpectUnchanged(const std::string& id, const json& before) {
    json now = Staff(id);
    EXPECT_EQ(now["status"], before["status"]);
    EXPECT_EQ(now["version"], before["version"]);
    EXPECT_EQ(now["events"].size(), before["events"].size());
    EXPECT_EQ(now["number"], before["number"]);
    EXPECT_EQ(now.value("foc_date", json()), before.value("foc_date", json()));
    EXPECT_EQ(now["carrier_reference"], before["carrier_reference"]);
  }

  json Queue(const std::string& query = "") {
    HttpResult result =
        desk_.Get(std::string("/api/support/requests") + (query.empty() ? "" : "?" + query));
    EXPECT_EQ(result.status, 200) << query << ": " << result.body;
    return result.Json();
  }

  const std::string loa_ = MakePdf(2, "letter of authorisation");
  const std::string bill_ = MakePdf(1, "phone bill");
  ServerProcess server_;
  HttpClient api_{server_.base_url(), server_.token()};
  HttpClient desk_{server_.base_url(), server_.support_token()};
};

// --- Idempotency -------------------------------------------------------------

TEST_F(WorkflowRulesTest, IdempotencyReplaysTheFirstAnswerToTheSameRequest) {
  json body = MinimalNonTollFree();
  HttpResult first = api_.PostJson(kNonTollFreePath, body, {KeyHeader("create-once-1")});
  json created = ExpectCreated(first, "non_toll_free");
  EXPECT_FALSE(first.Header("Idempotent-Replayed")) << "the first answer is not a replay";

  HttpResult second = api_.PostJson(kNonTollFreePath, body, {KeyHeader("create-once-1")});
  EXPECT_EQ(second.status, first.status);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.Header("Idempotent-Replayed"), "true");
  EXPECT_EQ(second.Header("Location"), first.Header("Location"));
  EXPECT_EQ(second.Header("Content-Type"), "application/json");

  EXPECT_EQ(CustomerRequestCount(api_), 1u);
  // A new key is a new request.
  ExpectCreated(api_.PostJson(kNonTollFreePath, body, {KeyHeader("create-once-2")}),
                "non_toll_free");
  EXPECT_EQ(CustomerRequestCount(api_), 2u);
}

TEST_F(WorkflowRulesTest, IdempotencyRefusesAKeyReusedForAnotherRequest) {
  json body = MinimalNonTollFree();
  ExpectCreated(api_.PostJson(kNonTollFreePath, body, {KeyHeader("reused-key")}), "non_toll_free");

  json changed = body;
  changed["comment"] = "a different request";
  EXPECT_TRUE(IsProblem(api_.PostJson(kNonTollFreePath, changed, {KeyHeader("reused-key")}), 422,
                        "idempotency_key_reused"));
  // The same body to another endpoint is another request too.
  EXPECT_TRUE(IsProblem(api_.PostJson(kTollFreePath, body, {KeyHeader("reused-key")}), 422,
                        "idempotency_key_reused"));
  EXPECT_EQ(CustomerRequestCount(api_), 1u);
}

TEST_F(WorkflowRulesTest, IdempotencyRefusesInvalidKeys) {
  json body = MinimalNonTollFree();
  const std::vector<std::string> invalid = {
      "Idempotency-Key;",                // sent empty
      "Idempotency-Key: two words",      // a space inside
      KeyHeader(std::string(256, 'k')),  // one too long
      "Idempotency-Key: caf\xc3\xa9",    // not ASCII
  };
  for (const std::string& header : invalid) {
    SCOPED_TRACE(header.substr(0, 40));
    EXPECT_TRUE(
        IsProblem(api_.PostJson(kNonTollFreePath, body, {header}), 400, "invalid_idempotency_key"));
  }
  EXPECT_EQ(CustomerRequestCount(api_), 0u) << "a refused key must not create a request";

  // The longest key allowed works.
  ExpectCreated(api_.PostJson(kNonTollFreePath, body, {KeyHeader(std::string(255, 'k'))}),
                "non_toll_free");
  EXPECT_EQ(CustomerRequestCount(api_), 1u);
}

TEST_F(WorkflowRulesTest, IdempotencyRunsSimultaneousDuplicatesOnce) {
  constexpr int kRounds = 4;
  HttpClient clients[2] = {{server_.base_url(), server_.token()},
                           {server_.base_url(), server_.token()}};
  for (HttpClient& client : clients)
    ASSERT_EQ(client.Get("/api/users").status, 200);  // connections open before the race

  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    std::string key = "simultaneous-" + std::to_string(round);
    json body = MinimalNonTollFree();
    body["comment"] = key;
    HttpResult results[2];
    std::latch start(2);
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        results[i] = clients[i].PostJson(kNonTollFreePath, body, {KeyHeader(key)});
      });
    }
    for (std::thread& thread : threads)
      thread.join();

    std::set<std::string> ids;
    int created = 0;
    int replayed = 0;
    for (const HttpResult& result : results) {
      if (result.status == 201) {
        ++created;
        ids.insert(result.Json()["id"].get<std::string>());
        if (result.Header("Idempotent-Replayed") == "true") ++replayed;
      } else {
        EXPECT_TRUE(IsProblem(result, 409, "idempotency_key_in_use"));
      }
    }
    EXPECT_GE(created, 1);
    EXPECT_EQ(ids.size(), 1u) << "both answers must name the same request";
    EXPECT_EQ(replayed, created - 1) << "exactly one answer is the original";
  }
  EXPECT_EQ(CustomerRequestCount(api_), std::size_t{kRounds});
}

TEST_F(WorkflowRulesTest, IdempotencyKeysBelongToOneUser) {
  json body = MinimalNonTollFree();
  json acme = ExpectCreated(api_.PostJson(kNonTollFreePath, body, {KeyHeader("shared-key")}),
                            "non_toll_free");

  // The same key and body from another user is that user's own request.
  HttpClient globex(server_.base_url(), server_.CreateAccountWithAdmin("globex"));
  HttpResult theirs = globex.PostJson(kNonTollFreePath, body, {KeyHeader("shared-key")});
  json globex_request = ExpectCreated(theirs, "non_toll_free");
  EXPECT_FALSE(theirs.Header("Idempotent-Replayed"));
  EXPECT_NE(globex_request["id"], acme["id"]);

  // Another user's key does not bind this user to its body either.
  HttpClient initech(server_.base_url(), server_.CreateAccountWithAdmin("initech"));
  json other = body;
  other["comment"] = "not the body the key was first used with";
  ExpectCreated(initech.PostJson(kNonTollFreePath, other, {KeyHeader("shared-key")}),
                "non_toll_free");

  EXPECT_EQ(CustomerRequestCount(api_), 1u);
  EXPECT_EQ(CustomerRequestCount(globex), 1u);
  EXPECT_EQ(CustomerRequestCount(initech), 1u);
  // jdoe's key still replays jdoe's request.
  HttpResult again = api_.PostJson(kNonTollFreePath, body, {KeyHeader("shared-key")});
  EXPECT_EQ(again.Header("Idempotent-Replayed"), "true");
  EXPECT_EQ(again.Json()["id"], acme["id"]);
}

TEST_F(WorkflowRulesTest, IdempotencyReplaysAValidationErrorAsItWas) {
  json body = MinimalNonTollFree();
  body["colour"] = "blue";
  HttpResult first = api_.PostJson(kNonTollFreePath, body, {KeyHeader("bad-body")});
  EXPECT_TRUE(HasFieldError(first, "/colour", "unknown_field"));
  EXPECT_FALSE(first.Header("Idempotent-Replayed"));

  HttpResult second = api_.PostJson(kNonTollFreePath, body, {KeyHeader("bad-body")});
  EXPECT_EQ(second.status, 400);
  EXPECT_TRUE(HasFieldError(second, "/colour", "unknown_field"));
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.Header("Idempotent-Replayed"), "true");
  EXPECT_EQ(CustomerRequestCount(api_), 0u);
}

TEST_F(WorkflowRulesTest, IdempotencyReplaysAPortInSentAgainByteForByte) {
  MultipartBody form = BuildMultipart(PortInParts(MinimalPortInData(), loa_, bill_));
  HttpResult first = api_.Post(kPortInPath, form.bytes, form.content_type, {KeyHeader("port-1")});
  json created = ExpectCreated(first, "port_in");
  HttpResult second = api_.Post(kPortInPath, form.bytes, form.content_type, {KeyHeader("port-1")});
  EXPECT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.Header("Idempotent-Replayed"), "true");
  EXPECT_EQ(CustomerRequestCount(api_), 1u);
  EXPECT_EQ(Customer(created["id"])["documents"].size(), 2u);
}

// Regression: the fingerprint once covered the raw bytes, so a client
// resending the same form with a new boundary was refused with 422.
TEST_F(WorkflowRulesTest, IdempotencyReplaysAPortInResentWithANewBoundary) {
  std::vector<FormPart> parts = PortInParts(MinimalPortInData(), loa_, bill_);
  HttpResult first = api_.PostMultipart(kPortInPath, parts, {KeyHeader("port-2")});
  json created = ExpectCreated(first, "port_in");
  HttpResult second = api_.PostMultipart(kPortInPath, parts, {KeyHeader("port-2")});
  ASSERT_NE(first.body, "");
  EXPECT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.Header("Idempotent-Replayed"), "true");
  EXPECT_EQ(CustomerRequestCount(api_), 1u);

  // Other content under the same key is still another request.
  parts[1].bytes = MakePdf(5, "another letter");
  EXPECT_TRUE(IsProblem(api_.PostMultipart(kPortInPath, parts, {KeyHeader("port-2")}), 422,
                        "idempotency_key_reused"));
}

TEST_F(WorkflowRulesTest, IdempotencyKeepsARepeatedReplyToOneMessage) {
  std::string id = CreateLocal();
  json reply = {{"body", "Any news?"}};
  HttpResult first = api_.PostJson(CustomerPath(id, "/messages"), reply, {KeyHeader("reply-1")});
  ASSERT_EQ(first.status, 201) << first.body;
  HttpResult second = api_.PostJson(CustomerPath(id, "/messages"), reply, {KeyHeader("reply-1")});
  EXPECT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.Header("Idempotent-Replayed"), "true");
  EXPECT_EQ(CountEvents(Customer(id), "message", "submitted"), 1u);
  // The same key on another request's path is another request.
  std::string other = CreateLocal();
  EXPECT_TRUE(
      IsProblem(api_.PostJson(CustomerPath(other, "/messages"), reply, {KeyHeader("reply-1")}), 422,
                "idempotency_key_reused"));
  EXPECT_EQ(CountEvents(Customer(other), "message", "submitted"), 0u);
}

TEST_F(WorkflowRulesTest, IdempotencyAppliesToSupportTransitions) {
  std::string id = CreateLocal();
  json before = Staff(id);

  HttpResult first = Move(id, {{"to", "in_progress"}}, {KeyHeader("move-1")});
  ASSERT_EQ(first.status, 200) << first.body;
  HttpResult second = Move(id, {{"to", "in_progress"}}, {KeyHeader("move-1")});
  EXPECT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.Header("Idempotent-Replayed"), "true");

  json now = Staff(id);
  EXPECT_EQ(now["status"], "in_progress");
  EXPECT_EQ(now["version"], before["version"].get<int>() + 1) << "the move ran more than once";
  EXPECT_EQ(CountEvents(now, "status_change", "in_progress"), 1u);
  // Without the key the same move is refused: the replay really did not run it.
  EXPECT_TRUE(IsProblem(Move(id, {{"to", "in_progress"}}), 409, "transition_not_allowed"));
  // And the same key for another move is a reused key.
  EXPECT_TRUE(IsProblem(Move(id, {{"to", "rejected"}, {"reason", "no"}}, {KeyHeader("move-1")}),
                        422, "idempotency_key_reused"));
  EXPECT_EQ(Staff(id)["status"], "in_progress");
}

// --- Move data ---------------------------------------------------------------

TEST_F(WorkflowRulesTest, MovesOfANewNumberNeedTheirData) {
  std::string id = CreateLocal();
  MoveOk(id, {{"to", "in_progress"}});
  json before = Staff(id);

  const std::tuple<json, const char*, const char*> cases[] = {
      {{{"to", "awaiting_customer"}}, "/message", "required"},
      {{{"to", "awaiting_customer"}, {"message", "   "}}, "/message", "required"},
      {{{"to", "rejected"}}, "/reason", "required"},
      {{{"to", "rejected"}, {"message", "sorry"}}, "/reason", "required"},
      {{{"to", "completed"}}, "/number", "required"},
      {{{"to", "completed"}, {"number", NextVermontNumber()}}, "/number", "number_outside_region"},
      {{{"to", "completed"}, {"number", NextTollFreeNumber()}}, "/number", "number_wrong_kind"},
  };
  for (const auto& [body, pointer, code] : cases) {
    SCOPED_TRACE(body.dump());
    HttpResult result = Move(id, body);
    EXPECT_TRUE(HasFieldError(result, pointer, code));
    ExpectUnchanged(id, before);
  }
  HttpResult numbers = api_.Get("/api/numbers");
  ASSERT_EQ(numbers.status, 200);
  EXPECT_TRUE(numbers.Json()["numbers"].empty()) << numbers.body;
}

TEST_F(WorkflowRulesTest, MovesOfAPortInNeedTheirData) {
  json port_in = CreatePortIn();
  std::string id = port_in["id"];
  MoveOk(id, {{"to", "in_progress"}});

  json before = Staff(id);
  EXPECT_TRUE(
      HasFieldError(Move(id, {{"to", "submitted_to_carrier"}}), "/carrier_reference", "required"));
  EXPECT_TRUE(HasFieldError(Move(id, {{"to", "submitted_to_carrier"}, {"carrier_reference", " "}}),
                            "/carrier_reference", "required"));
  ExpectUnchanged(id, before);

  MoveOk(id, {{"to", "submitted_to_carrier"}, {"carrier_reference", "ORD-1"}});
  before = Staff(id);
  const std::tuple<json, const char*> cases[] = {
      {{{"to", "foc_scheduled"}}, "required"},
      {{{"to", "foc_scheduled"}, {"foc_date", BusinessDays(-3)}},
       "foc_date_not_future_business_day"},
      {{{"to", "foc_scheduled"}, {"foc_date", IsoDate(TodayUtc())}},
       "foc_date_not_future_business_day"},
      {{{"to", "foc_scheduled"}, {"foc_date", NextWeekendDay()}},
       "foc_date_not_future_business_day"},
      {{{"to", "foc_scheduled"}, {"foc_date", "2026-02-30"}}, "invalid_date"},
      {{{"to", "foc_scheduled"}, {"foc_date", "next tuesday"}}, "invalid_date"},
  };
  for (const auto& [body, code] : cases) {
    SCOPED_TRACE(body.dump());
    EXPECT_TRUE(HasFieldError(Move(id, body), "/foc_date", code));
    ExpectUnchanged(id, before);
  }

  std::string foc = BusinessDays(3);
  json scheduled = MoveOk(id, {{"to", "foc_scheduled"}, {"foc_date", foc}});
  EXPECT_EQ(scheduled["foc_date"], foc);
  before = Staff(id);
  std::string ported = port_in["number_to_port"];
  std::string other = ported.substr(0, ported.size() - 1) + (ported.back() == '9' ? "8" : "9");
  EXPECT_TRUE(HasFieldError(Move(id, {{"to", "completed"}, {"number", other}}), "/number",
                            "number_not_ported_number"));
  EXPECT_TRUE(HasFieldError(Move(id, {{"to", "completed"}}), "/number", "required"));
  EXPECT_TRUE(HasFieldError(Move(id, {{"to", "rejected"}}), "/reason", "required"));
  ExpectUnchanged(id, before);

  // The ported number itself completes it.
  json completed = MoveOk(id, {{"to", "completed"}, {"number", ported}});
  EXPECT_EQ(completed["number"], ported);
}

TEST_F(WorkflowRulesTest, TransitionBodiesMustBeWellFormed) {
  std::string id = CreateLocal();
  json before = Staff(id);

  EXPECT_TRUE(HasFieldError(Move(id, {{"to", "in_progress"}, {"colour", "blue"}}), "/colour",
                            "unknown_field"));
  EXPECT_TRUE(HasFieldError(Move(id, {{"message", "where to?"}}), "/to", "required"));
  EXPECT_TRUE(HasFieldError(Move(id, json::object()), "/to", "required"));
  EXPECT_TRUE(HasFieldError(Move(id, {{"to", "flying"}}), "/to", "invalid_status"));
  EXPECT_TRUE(HasFieldError(Move(id, {{"to", 3}}), "/to", "invalid_type"));
  EXPECT_TRUE(IsProblem(
      desk_.Post(SupportPath(id, "/transitions"), "{\"to\": in_progress}", "application/json"), 400,
      "malformed_json"));
  EXPECT_TRUE(
      IsProblem(desk_.Post(SupportPath(id, "/transitions"), "to=in_progress", "application/json"),
                400, "malformed_json"));
  ExpectUnchanged(id, before);
  EXPECT_EQ(Staff(id)["status"], "submitted");
}

// --- Completion ----------------------------------------------------------------

TEST_F(WorkflowRulesTest, CompletionWarnsWhenTheAreaCodeIsNotAPreferredOne) {
  json body = MinimalNonTollFree();
  body["area_code"] = {"978"};
  std::string warned = CreateLocal(body);
  std::string plain = CreateLocal(body);
  MoveOk(warned, {{"to", "in_progress"}});
  MoveOk(plain, {{"to", "in_progress"}});

  std::string number = NextOtherMaNumber();
  HttpResult result = Move(warned, {{"to", "completed"}, {"number", number}});
  ASSERT_EQ(result.status, 200) << result.body;
  json completed = result.Json();
  EXPECT_EQ(completed["status"], "completed");
  EXPECT_EQ(completed["number"], number);
  ASSERT_TRUE(completed["warnings"].is_array()) << result.body;
  ASSERT_FALSE(completed["warnings"].empty()) << result.body;
  EXPECT_NE(completed["warnings"][0].get<std::string>().find("351"), std::string::npos)
      << result.body;

  // The customer sees the note on the completed event.
  json shown = Customer(warned);
  bool noted = false;
  for (const json& event : shown["events"]) {
    if (event["new_status"] == "completed" && event["kind"] == "status_change") {
      noted = event["note"].get<std::string>().find("Note:") != std::string::npos;
    }
  }
  EXPECT_TRUE(noted) << shown["events"].dump();

  // A number of a preferred area code gives no warning and no note.
  HttpResult quiet = Move(plain, {{"to", "completed"}, {"number", NextLocalNumber()}});
  ASSERT_EQ(quiet.status, 200) << quiet.body;
  EXPECT_EQ(quiet.Json()["warnings"], json::array());
  json quiet_body = quiet.Json();
  for (const json& event : quiet_body["events"])
    EXPECT_EQ(event["note"].get<std::string>().find("Note:"), std::string::npos) << event.dump();

  HttpResult numbers = api_.Get("/api/numbers");
  ASSERT_EQ(numbers.status, 200);
  ASSERT_EQ(numbers.Json()["numbers"].size(), 2u) << numbers.body;
}

TEST_F(WorkflowRulesTest, CompletionRefusesANumberAlreadyActive) {
  std::string first = CreateLocal();
  std::string second = CreateLocal();
  MoveOk(first, {{"to", "in_progress"}});
  MoveOk(second, {{"to", "in_progress"}});
  std::string number = NextLocalNumber();
  MoveOk(first, {{"to", "completed"}, {"number", number}});

  json before = Staff(second);
  HttpResult refused = Move(second, {{"to", "completed"}, {"number", number}});
  EXPECT_TRUE(IsProblem(refused, 409, "number_in_use"));
  EXPECT_EQ(refused.Json()["number"], number) << refused.body;
  ExpectUnchanged(second, before);

  HttpResult numbers = api_.Get("/api/numbers");
  ASSERT_EQ(numbers.status, 200);
  json active = numbers.Json()["numbers"];
  ASSERT_EQ(active.size(), 1u) << numbers.body;
  EXPECT_EQ(active[0]["number"], number);
  EXPECT_EQ(active[0]["request_id"], first);

  // Another number completes it.
  MoveOk(second, {{"to", "completed"}, {"number", NextLocalNumber()}});
}

TEST_F(WorkflowRulesTest, APortInOfANumberAlreadyActiveIsRefused) {
  std::string local = CreateLocal();
  MoveOk(local, {{"to", "in_progress"}});
  std::string number = NextLocalNumber();
  MoveOk(local, {{"to", "completed"}, {"number", number}});

  json data = MinimalPortInData();
  data["number_to_port"] = number;
  json before = api_.Get(kRequestsPath).Json();
  HttpResult refused = api_.PostMultipart(kPortInPath, PortInParts(data, loa_, bill_));
  EXPECT_TRUE(IsProblem(refused, 409, "number_in_use"));
  EXPECT_EQ(refused.Json()["number"], number);
  EXPECT_EQ(api_.Get(kRequestsPath).Json(), before) << "nothing may be stored";
}

TEST_F(WorkflowRulesTest, CompletionRefusesANumberAnotherRequestIsPortingIn) {
  json port_in = CreatePortIn();
  std::string ported = port_in["number_to_port"];
  std::string local = CreateLocal();
  MoveOk(local, {{"to", "in_progress"}});

  json before = Staff(local);
  HttpResult refused = Move(local, {{"to", "completed"}, {"number", ported}});
  EXPECT_TRUE(IsProblem(refused, 409, "number_in_use"));
  EXPECT_EQ(refused.Json()["request_id"], port_in["id"]) << refused.body;
  ExpectUnchanged(local, before);
  EXPECT_TRUE(api_.Get("/api/numbers").Json()["numbers"].empty());

  // The port-in itself completes with it.
  std::string id = port_in["id"];
  ScheduleFoc(id, BusinessDays(3));
  MoveOk(id, {{"to", "completed"}, {"number", ported}});
}

TEST_F(WorkflowRulesTest, AMoveFromAStaleVersionIsRefused) {
  std::string id = CreateLocal();
  std::int64_t seen = Staff(id)["version"];
  MoveOk(id, {{"to", "in_progress"}});  // another agent, meanwhile

  json before = Staff(id);
  HttpResult stale = Move(id, {{"to", "rejected"}, {"reason", "Duplicate."}, {"version", seen}});
  EXPECT_TRUE(IsProblem(stale, 409, "concurrent_update"));
  EXPECT_EQ(stale.Json()["current_version"], seen + 1) << stale.body;
  EXPECT_EQ(stale.Json()["current_status"], "in_progress");
  ExpectUnchanged(id, before);

  EXPECT_TRUE(HasFieldError(Move(id, {{"to", "rejected"}, {"reason", "x"}, {"version", "2"}}),
                            "/version", "invalid_type"));
  json moved = MoveOk(id, {{"to", "rejected"}, {"reason", "Duplicate."}, {"version", seen + 1}});
  EXPECT_EQ(moved["version"], seen + 2);
}

TEST_F(WorkflowRulesTest, AMoveRefusesTheDataOfAnotherMove) {
  std::string id = CreatePortIn()["id"];
  MoveOk(id, {{"to", "in_progress"}});
  json before = Staff(id);
  HttpResult refused = Move(id, {{"to", "submitted_to_carrier"},
                                 {"carrier_reference", "ORD-1"},
                                 {"foc_date", BusinessDays(3)}});
  EXPECT_TRUE(IsProblem(refused, 400, "not_for_this_move"));
  EXPECT_TRUE(HasFieldError(refused, "/foc_date", "not_for_this_move"));
  ExpectUnchanged(id, before);

  HttpResult far = Move(id, {{"to", "awaiting_customer"},
                             {"message", "Please re-sign."},
                             {"number", "+19782631234"},
                             {"reason", "x"}});
  EXPECT_TRUE(HasFieldError(far, "/number", "not_for_this_move"));
  EXPECT_TRUE(HasFieldError(far, "/reason", "not_for_this_move"));
  ExpectUnchanged(id, before);
}

// --- Cancel --------------------------------------------------------------------

TEST_F(WorkflowRulesTest, CancelIsTooLateForAPortScheduledForTheNextBusinessDay) {
  std::string id = CreatePortIn()["id"];
  std::string foc = BusinessDays(1);
  ScheduleFoc(id, foc);
  json before = Staff(id);

  HttpResult result = api_.PostJson(CustomerPath(id, "/cancel"), {{"reason", "changed our mind"}});
  EXPECT_TRUE(IsProblem(result, 409, "cancel_too_late"));
  EXPECT_EQ(result.Json()["foc_date"], foc) << result.body;
  ExpectUnchanged(id, before);
  EXPECT_EQ(Customer(id)["status"], "foc_scheduled");
}

TEST_F(WorkflowRulesTest, CancelWorksForAPortScheduledAWeekAhead) {
  std::string id = CreatePortIn()["id"];
  ScheduleFoc(id, BusinessDays(5));

  HttpResult result = api_.PostJson(CustomerPath(id, "/cancel"), {{"reason", "changed our mind"}});
  ASSERT_EQ(result.status, 200) << result.body;
  json cancelled = result.Json();
  EXPECT_EQ(cancelled["status"], "cancelled");
  const json& last = cancelled["events"].back();
  EXPECT_EQ(last["new_status"], "cancelled");
  EXPECT_EQ(last["old_status"], "foc_scheduled");
  EXPECT_EQ(last["actor"], "jdoe");
  EXPECT_NE(last["note"].get<std::string>().find("changed our mind"), std::string::npos)
      << last.dump();
  EXPECT_EQ(Staff(id)["status"], "cancelled");
}

TEST_F(WorkflowRulesTest, CancelOfACancelledRequestIsNotAllowed) {
  std::string id = CreateLocal();
  HttpResult first = api_.PostJson(CustomerPath(id, "/cancel"), json::object());
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Json()["status"], "cancelled");
  json before = Staff(id);

  HttpResult second = api_.PostJson(CustomerPath(id, "/cancel"), json::object());
  EXPECT_TRUE(IsProblem(second, 409, "transition_not_allowed"));
  EXPECT_EQ(second.Json()["allowed_moves"], json::array()) << second.body;
  ExpectUnchanged(id, before);
}

TEST_F(WorkflowRulesTest, CancelRefusesUnknownFields) {
  std::string id = CreateLocal();
  json before = Staff(id);
  HttpResult result =
      api_.PostJson(CustomerPath(id, "/cancel"), {{"reason", "no"}, {"colour", "blue"}});
  EXPECT_TRUE(HasFieldError(result, "/colour", "unknown_field"));
  EXPECT_TRUE(IsProblem(api_.Post(CustomerPath(id, "/cancel"), "{reason}", "application/json"), 400,
                        "malformed_json"));
  ExpectUnchanged(id, before);
  EXPECT_EQ(Customer(id)["status"], "submitted");
}

// --- Replies and documents ---------------------------------------------------------

TEST_F(WorkflowRulesTest, ReplyToAClosedRequestIsRefused) {
  std::string id = CreateLocal();
  ASSERT_EQ(api_.PostJson(CustomerPath(id, "/cancel"), json::object()).status, 200);
  json before = Staff(id);

  EXPECT_TRUE(IsProblem(api_.PostJson(CustomerPath(id, "/messages"), {{"body", "hello?"}}), 409,
                        "request_closed"));
  std::vector<FormPart> parts = {
      FormPart{"data", std::nullopt, std::nullopt, json({{"body", "hello?"}}).dump()},
      FormPart{"extra", "extra.pdf", "application/pdf", MakePdf(1, "extra")},
  };
  EXPECT_TRUE(
      IsProblem(api_.PostMultipart(CustomerPath(id, "/messages"), parts), 409, "request_closed"));
  ExpectUnchanged(id, before);
}

TEST_F(WorkflowRulesTest, ReplyNeedsABody) {
  std::string id = CreateLocal();
  json before = Staff(id);
  for (const json& body : {json::object(), json({{"body", ""}}), json({{"body", " \n\t "}})}) {
    SCOPED_TRACE(body.dump());
    EXPECT_TRUE(
        HasFieldError(api_.PostJson(CustomerPath(id, "/messages"), body), "/body", "required"));
  }
  std::vector<FormPart> parts = {
      FormPart{"data", std::nullopt, std::nullopt, json({{"body", "  "}}).dump()},
  };
  EXPECT_TRUE(
      HasFieldError(api_.PostMultipart(CustomerPath(id, "/messages"), parts), "/body", "required"));
  ExpectUnchanged(id, before);
}

TEST_F(WorkflowRulesTest, ReplyRefusesAnAttachmentThatIsNotAPdf) {
  std::string id = CreateLocal();
  json before = Staff(id);
  std::vector<FormPart> parts = {
      FormPart{"data", std::nullopt, std::nullopt, json({{"body", "see attached"}}).dump()},
      FormPart{"good", "good.pdf", "application/pdf", MakePdf(1, "fine")},
      FormPart{"notes", "notes.txt", "text/plain", "just some text, not a PDF"},
  };
  HttpResult result = api_.PostMultipart(CustomerPath(id, "/messages"), parts);
  EXPECT_TRUE(HasPartError(result, "notes", "not_a_pdf"));
  EXPECT_FALSE(HasPartError(result, "good", "not_a_pdf"));
  ExpectUnchanged(id, before);
  EXPECT_TRUE(Customer(id)["documents"].empty());
}

TEST_F(WorkflowRulesTest, ReplyKeepsTwoPdfAttachments) {
  std::string id = CreateLocal();
  const std::string first = MakePdf(1, "first attachment");
  const std::string second = MakePdf(3, "second attachment");
  std::vector<FormPart> parts = {
      FormPart{"data", std::nullopt, std::nullopt, json({{"body", "Two files attached."}}).dump()},
      FormPart{"first", "first.pdf", "application/pdf", first},
      FormPart{"second", "second.pdf", "application/pdf", second},
  };
  HttpResult result = api_.PostMultipart(CustomerPath(id, "/messages"), parts);
  ASSERT_EQ(result.status, 201) << result.body;
  json shown = result.Json();

  const json* message = nullptr;
  for (const json& event : shown["events"]) {
    if (event["kind"] == "message") message = &event;
  }
  ASSERT_NE(message, nullptr) << shown["events"].dump();
  EXPECT_EQ((*message)["note"], "Two files attached.");
  EXPECT_EQ((*message)["actor"], "jdoe");
  ASSERT_EQ((*message)["documents"].size(), 2u) << message->dump();

  std::set<std::string> listed;
  for (const json& document_id : (*message)["documents"])
    listed.insert(document_id.get<std::string>());
  EXPECT_EQ(listed.size(), 2u);
  int downloaded = 0;
  for (const json& document : shown["documents"]) {
    if (!listed.contains(document["id"].get<std::string>())) continue;
    SCOPED_TRACE(document.dump());
    EXPECT_EQ(document["kind"], "attachment");
    bool is_first = document["file_name"] == "first.pdf";
    EXPECT_EQ(document["page_count"], is_first ? 1 : 3);
    HttpResult bytes = api_.Get(document["href"].get<std::string>());
    ASSERT_EQ(bytes.status, 200);
    EXPECT_TRUE(bytes.body == (is_first ? first : second)) << "the downloaded bytes differ";
    ++downloaded;
  }
  EXPECT_EQ(downloaded, 2);
  EXPECT_EQ(Customer(id), shown);
}

TEST_F(WorkflowRulesTest, DocumentsAreOnlyForPortIns) {
  for (const std::string& id : {CreateLocal(), CreateTollFree()}) {
    std::vector<FormPart> parts = {FormPart{"loaFile", "loa.pdf", "application/pdf", loa_}};
    EXPECT_TRUE(
        IsProblem(api_.PostMultipart(CustomerPath(id, "/documents"), parts), 409, "not_a_port_in"));
    EXPECT_TRUE(Customer(id)["documents"].empty());
  }
}

TEST_F(WorkflowRulesTest, DocumentsRefuseAnUnknownPart) {
  std::string id = CreatePortIn()["id"];
  json before = Staff(id);
  std::vector<FormPart> parts = {FormPart{"passport", "passport.pdf", "application/pdf", loa_}};
  HttpResult result = api_.PostMultipart(CustomerPath(id, "/documents"), parts);
  EXPECT_TRUE(HasPartError(result, "passport", "unknown_part"));
  ExpectUnchanged(id, before);
  EXPECT_EQ(Staff(id)["documents"].size(), 2u);
}

// Regression: a form that sends every file input, chosen or not (Swagger UI
// does), could not replace one document: the empty one was `empty_file`.
TEST_F(WorkflowRulesTest, DocumentsTakeAnEmptyPartAsNotSent) {
  std::string id = CreatePortIn()["id"];
  std::vector<FormPart> parts = {FormPart{"loaFile", "blob", "application/octet-stream", ""},
                                 FormPart{"billFile", "bill.pdf", "application/pdf", bill_}};
  HttpResult result = api_.PostMultipart(CustomerPath(id, "/documents"), parts);
  ASSERT_EQ(result.status, 201) << result.body;
  json shown = result.Json();
  std::vector<std::string> kinds;
  for (const json& document : shown["documents"])
    kinds.push_back(document["kind"]);
  EXPECT_EQ(kinds, (std::vector<std::string>{"loa", "bill", "bill"}));

  // Both empty is nothing sent at all.
  json before = Staff(id);
  HttpResult nothing =
      api_.PostMultipart(CustomerPath(id, "/documents"),
                         {FormPart{"loaFile", "blob", "application/octet-stream", ""},
                          FormPart{"billFile", "blob", "application/octet-stream", ""}});
  EXPECT_TRUE(HasPartError(nothing, "loaFile", "required"));
  ExpectUnchanged(id, before);
}

TEST_F(WorkflowRulesTest, ANewLoaReplacesTheCurrentOne) {
  json port_in = CreatePortIn();
  std::string id = port_in["id"];
  std::string old_loa;
  for (const json& document : port_in["documents"]) {
    EXPECT_EQ(document["current"], true) << document.dump();
    if (document["kind"] == "loa") old_loa = document["id"].get<std::string>();
  }
  ASSERT_FALSE(old_loa.empty());

  const std::string new_loa = MakePdf(3, "signed again");
  std::vector<FormPart> parts = {FormPart{"loaFile", "loa-v2.pdf", "application/pdf", new_loa}};
  HttpResult result = api_.PostMultipart(CustomerPath(id, "/documents"), parts);
  ASSERT_EQ(result.status, 201) << result.body;
  json shown = result.Json();
  ASSERT_EQ(shown["documents"].size(), 3u) << result.body;
  int current_loas = 0;
  for (const json& document : shown["documents"]) {
    SCOPED_TRACE(document.dump());
    if (document["kind"] == "bill") {
      EXPECT_EQ(document["current"], true);
    } else if (document["id"] == old_loa) {
      EXPECT_EQ(document["current"], false);
    } else {
      EXPECT_EQ(document["kind"], "loa");
      EXPECT_EQ(document["current"], true);
      EXPECT_EQ(document["file_name"], "loa-v2.pdf");
      ++current_loas;
      HttpResult bytes = api_.Get(document["href"].get<std::string>());
      ASSERT_EQ(bytes.status, 200);
      EXPECT_TRUE(bytes.body == new_loa) << "the new LOA's bytes differ";
    }
  }
  EXPECT_EQ(current_loas, 1);
  EXPECT_EQ(CountEvents(shown, "documents", "submitted"), 1u) << shown["events"].dump();
  // Support sees the same.
  json staff = Staff(id);
  for (const json& document : staff["documents"]) {
    EXPECT_EQ(document["current"], document["id"] != old_loa) << document.dump();
  }
}

TEST_F(WorkflowRulesTest, AReplyWithABillReplacesTheBillAndKeepsAttachmentsApart) {
  json port_in = CreatePortIn();
  std::string id = port_in["id"];
  std::string old_bill;
  for (const json& document : port_in["documents"]) {
    if (document["kind"] == "bill") old_bill = document["id"].get<std::string>();
  }
  const std::string new_bill = MakePdf(2, "newer bill");
  std::vector<FormPart> parts = {
      FormPart{"data", std::nullopt, std::nullopt,
               json({{"body", "Here is a newer bill and a note."}}).dump()},
      FormPart{"billFile", "bill-june.pdf", "application/pdf", new_bill},
      FormPart{"note", "note.pdf", "application/pdf", MakePdf(1, "note")},
  };
  HttpResult result = api_.PostMultipart(CustomerPath(id, "/messages"), parts);
  ASSERT_EQ(result.status, 201) << result.body;
  json shown = result.Json();
  ASSERT_EQ(shown["documents"].size(), 4u) << result.body;
  int bills = 0;
  int attachments = 0;
  for (const json& document : shown["documents"]) {
    SCOPED_TRACE(document.dump());
    if (document["kind"] == "loa") {
      EXPECT_EQ(document["current"], true);
    } else if (document["kind"] == "bill") {
      ++bills;
      EXPECT_EQ(document["current"], document["id"] != old_bill);
      if (document["id"] != old_bill) {
        EXPECT_EQ(document["file_name"], "bill-june.pdf");
      }
    } else {
      ++attachments;
      EXPECT_EQ(document["kind"], "attachment");
      EXPECT_FALSE(document.contains("current"));
    }
  }
  EXPECT_EQ(bills, 2);
  EXPECT_EQ(attachments, 1);
  const json& message = shown["events"].back();
  EXPECT_EQ(message["kind"], "message");
  EXPECT_EQ(message["documents"].size(), 2u) << message.dump();
}

// --- Access --------------------------------------------------------------------------

TEST_F(WorkflowRulesTest, CustomersAndViewersCannotUseTheSupportDesk) {
  json port_in = CreatePortIn();
  std::string id = port_in["id"];
  std::string document = port_in["documents"][0]["id"];
  HttpClient viewer(server_.base_url(), server_.viewer_token());
  for (HttpClient* client : {&api_, &viewer}) {
    EXPECT_TRUE(IsProblem(client->Get("/api/support/requests"), 403, "forbidden"));
    EXPECT_TRUE(IsProblem(client->Get(SupportPath(id)), 403, "forbidden"));
    EXPECT_TRUE(
        IsProblem(client->Get(SupportPath(id, "/documents/" + document)), 403, "forbidden"));
    EXPECT_TRUE(
        IsProblem(client->PostJson(SupportPath(id, "/transitions"), {{"to", "in_progress"}}), 403,
                  "forbidden"));
    EXPECT_TRUE(IsProblem(
        client->PostJson(SupportPath(id, "/messages"), {{"body", "hi"}, {"internal", true}}), 403,
        "forbidden"));
  }
  json staff = Staff(id);
  EXPECT_EQ(staff["status"], "submitted");
  EXPECT_EQ(staff["events"].size(), 1u);
}

TEST_F(WorkflowRulesTest, SupportAndViewersCannotUseCustomerEndpoints) {
  std::string id = CreateLocal();
  HttpClient viewer(server_.base_url(), server_.viewer_token());
  for (HttpClient* client : {&desk_, &viewer}) {
    EXPECT_TRUE(IsProblem(client->Get("/api/numbers"), 403, "forbidden"));
    EXPECT_TRUE(IsProblem(client->Get("/api/users"), 403, "forbidden"));
    EXPECT_TRUE(IsProblem(client->Get(CustomerPath(id)), 403, "forbidden"));
    EXPECT_TRUE(
        IsProblem(client->PostJson(CustomerPath(id, "/cancel"), json::object()), 403, "forbidden"));
    EXPECT_TRUE(IsProblem(client->PostJson(CustomerPath(id, "/messages"), {{"body", "hi"}}), 403,
                          "forbidden"));
    EXPECT_TRUE(
        IsProblem(client->PostJson(kNonTollFreePath, MinimalNonTollFree()), 403, "forbidden"));
  }
  json staff = Staff(id);
  EXPECT_EQ(staff["status"], "submitted");
  EXPECT_EQ(staff["events"].size(), 1u);
  EXPECT_EQ(CustomerRequestCount(api_), 1u);
}

TEST_F(WorkflowRulesTest, AnotherAccountCannotReachAcmesRequests) {
  json port_in = CreatePortIn();
  std::string id = port_in["id"];
  json before = Staff(id);
  HttpClient globex(server_.base_url(), server_.CreateAccountWithAdmin("globex"));

  EXPECT_TRUE(IsProblem(globex.Get(CustomerPath(id)), 404, "not_found"));
  EXPECT_TRUE(IsProblem(globex.PostJson(CustomerPath(id, "/messages"), {{"body", "hi"}}), 404,
                        "not_found"));
  EXPECT_TRUE(
      IsProblem(globex.PostJson(CustomerPath(id, "/cancel"), json::object()), 404, "not_found"));
  std::vector<FormPart> parts = {FormPart{"loaFile", "loa.pdf", "application/pdf", loa_}};
  EXPECT_TRUE(
      IsProblem(globex.PostMultipart(CustomerPath(id, "/documents"), parts), 404, "not_found"));
  ExpectUnchanged(id, before);
  EXPECT_EQ(Staff(id)["documents"].size(), 2u);
}

TEST_F(WorkflowRulesTest, UsersListsTheAccountsOwnUsers) {
  HttpClient globex(server_.base_url(), server_.CreateAccountWithAdmin("globex"));

  HttpResult result = api_.Get("/api/users");
  ASSERT_EQ(result.status, 200) << result.body;
  std::set<std::string> names;
  json users = result.Json()["users"];
  ASSERT_TRUE(users.is_array()) << result.body;
  for (const json& user : users) {
    std::string name = user["username"];
    names.insert(name);
    EXPECT_EQ(user["default_user"], name == "acme_default") << user.dump();
    EXPECT_EQ(user["active"], true) << user.dump();
  }
  EXPECT_EQ(names, (std::set<std::string>{"acme_default", "jdoe", "s_smith", "viewer"}));

  HttpResult theirs = globex.Get("/api/users");
  ASSERT_EQ(theirs.status, 200) << theirs.body;
  std::set<std::string> their_names;
  json their_users = theirs.Json()["users"];
  for (const json& user : their_users) {
    std::string name = user["username"];
    their_names.insert(name);
    EXPECT_EQ(user["default_user"], name == "globex_default") << user.dump();
  }
  EXPECT_EQ(their_names, (std::set<std::string>{"globex_default", "globex_admin"}));
}

// --- The support queue -----------------------------------------------------------------

TEST_F(WorkflowRulesTest, QueueListsOpenRequestsOldestWaitingFirst) {
  std::string a = CreateLocal();
  std::string b = CreateTollFree();
  std::string c = CreatePortIn()["id"];
  std::string d = CreateLocal();
  // a has just been picked up: it has waited least in its new status.
  MoveOk(a, {{"to", "in_progress"}});
  ASSERT_EQ(api_.PostJson(CustomerPath(d, "/cancel"), json::object()).status, 200);

  json queue = Queue();
  EXPECT_EQ(Ids(queue), (std::vector<std::string>{b, c, a}));
  EXPECT_TRUE(queue["next_cursor"].is_null());
  for (const json& item : queue["requests"]) {
    EXPECT_TRUE(item.contains("version")) << "the queue shows the staff view: " << item.dump();
    EXPECT_TRUE(item.contains("account_id")) << item.dump();
  }

  EXPECT_EQ(Ids(Queue("status=cancelled")), std::vector<std::string>{d});
  EXPECT_EQ(Ids(Queue("status=in_progress")), std::vector<std::string>{a});
  EXPECT_EQ(Ids(Queue("type=port_in")), std::vector<std::string>{c});
  EXPECT_TRUE(Ids(Queue("status=completed")).empty());
}

TEST_F(WorkflowRulesTest, QueueFiltersByAccount) {
  std::string acme_first = CreateLocal();
  HttpClient globex(server_.base_url(), server_.CreateAccountWithAdmin("globex"));
  std::string theirs =
      ExpectCreated(globex.PostJson(kTollFreePath, MinimalTollFree()), "toll_free")["id"];
  std::string acme_second = CreateTollFree();

  std::string acme_account = Staff(acme_first)["account_id"];
  std::string globex_account = Staff(theirs)["account_id"];
  ASSERT_NE(acme_account, globex_account);

  EXPECT_EQ(Ids(Queue()), (std::vector<std::string>{acme_first, theirs, acme_second}));
  EXPECT_EQ(Ids(Queue("account=" + acme_account)),
            (std::vector<std::string>{acme_first, acme_second}));
  EXPECT_EQ(Ids(Queue("account=" + globex_account)), std::vector<std::string>{theirs});
  EXPECT_EQ(Ids(Queue("account=" + globex_account + "&type=non_toll_free")),
            std::vector<std::string>{});
  EXPECT_TRUE(Ids(Queue("account=acc_nosuchaccount")).empty());
}

TEST_F(WorkflowRulesTest, QueuePagesWithALimitAndACursor) {
  std::vector<std::string> oldest_first;
  for (int i = 0; i < 5; ++i)
    oldest_first.push_back(CreateLocal());

  std::vector<std::string> seen;
  json page = Queue("limit=2");
  int pages = 1;
  std::vector<std::string> ids = Ids(page);
  EXPECT_EQ(ids.size(), 2u);
  seen.insert(seen.end(), ids.begin(), ids.end());
  while (page["next_cursor"].is_string() && pages < 10) {
    page = Queue("limit=2&cursor=" + page["next_cursor"].get<std::string>());
    ids = Ids(page);
    EXPECT_FALSE(ids.empty()) << "a page with a cursor before it is never empty";
    seen.insert(seen.end(), ids.begin(), ids.end());
    ++pages;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, oldest_first);
  EXPECT_TRUE(page["next_cursor"].is_null());

  // Any page size walks the same queue, each request once.
  for (int limit : {1, 3, 4}) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    std::vector<std::string> walked;
    std::string query = "limit=" + std::to_string(limit);
    json next = Queue(query);
    std::vector<std::string> first_ids = Ids(next);
    walked.insert(walked.end(), first_ids.begin(), first_ids.end());
    while (next["next_cursor"].is_string() && walked.size() < 20) {
      next = Queue(query + "&cursor=" + next["next_cursor"].get<std::string>());
      std::vector<std::string> more = Ids(next);
      EXPECT_LE(more.size(), std::size_t(limit));
      walked.insert(walked.end(), more.begin(), more.end());
    }
    EXPECT_EQ(walked, oldest_first);
  }
}

TEST_F(WorkflowRulesTest, QueueRefusesBadParameters) {
  CreateLocal();
  const std::tuple<const char*, const char*, const char*> cases[] = {
      {"cursor=garbage", "invalid_cursor", "cursor"},
      {"cursor=q", "invalid_cursor", "cursor"},
      {"cursor=qzz", "invalid_cursor", "cursor"},
      {"cursor=req_aaaaaaaaaaaaaaaaaaaaaaaaaa", "invalid_cursor", "cursor"},
      {"colour=blue", "unknown_parameter", "colour"},
      {"status=open", "invalid_parameter", "status"},
      {"limit=0", "invalid_parameter", "limit"},
      {"limit=1&limit=2", "invalid_parameter", "limit"},
  };
  for (const auto& [query, code, parameter] : cases) {
    SCOPED_TRACE(query);
    HttpResult result = desk_.Get(std::string("/api/support/requests?") + query);
    EXPECT_TRUE(IsProblem(result, 400, code));
    EXPECT_EQ(result.Json()["parameter"], parameter) << result.body;
  }
}

// --- Regressions ---------------------------------------------------------------

// A JSON number too large for a double once made every JSON endpoint answer 500.
TEST_F(WorkflowRulesTest, NumbersOutOfRangeAreMalformedJsonEverywhere) {
  std::string id = CreateLocal();
  json before = Staff(id);
  const std::string huge = "{\"to\": \"in_progress\", \"x\": 1e999}";

  EXPECT_TRUE(IsProblem(desk_.Post(SupportPath(id, "/transitions"), huge, "application/json"), 400,
                        "malformed_json"));
  EXPECT_TRUE(IsProblem(desk_.Post(SupportPath(id, "/messages"), "{\"body\": \"a\", \"n\": -1e999}",
                                   "application/json"),
                        400, "malformed_json"));
  EXPECT_TRUE(IsProblem(api_.Post(CustomerPath(id, "/messages"), "{\"body\": \"a\", \"n\": 1e999}",
                                  "application/json"),
                        400, "malformed_json"));
  EXPECT_TRUE(
      IsProblem(api_.Post(CustomerPath(id, "/cancel"), "{\"reason\": 1e999}", "application/json"),
                400, "malformed_json"));
  ExpectUnchanged(id, before);

  std::size_t count = CustomerRequestCount(api_);
  std::string create = MinimalNonTollFree().dump();
  create.insert(1, "\"quantity\": 1e999, ");
  EXPECT_TRUE(
      IsProblem(api_.Post(kNonTollFreePath, create, "application/json"), 400, "malformed_json"));
  std::vector<FormPart> port_in = PortInParts(MinimalPortInData(), loa_, bill_);
  port_in[0].bytes.insert(1, "\"quantity\": 1e999, ");
  EXPECT_TRUE(HasPartError(api_.PostMultipart(kPortInPath, port_in), "data", "malformed_json"));
  EXPECT_EQ(CustomerRequestCount(api_), count);
}

// The FOC notice once applied only in foc_scheduled: sending the port back to
// the customer the day before it happened let them cancel it.
TEST_F(WorkflowRulesTest, CancelStaysTooLateAfterAScheduledPortGoesBackToTheCustomer) {
  std::string id = CreatePortIn()["id"];
  std::string foc = BusinessDays(1);
  ScheduleFoc(id, foc);
  MoveOk(id, {{"to", "awaiting_customer"}, {"message", "Please confirm the port time."}});
  json before = Staff(id);

  HttpResult result = api_.PostJson(CustomerPath(id, "/cancel"), json::object());
  EXPECT_TRUE(IsProblem(result, 409, "cancel_too_late"));
  EXPECT_EQ(result.Json()["foc_date"], foc) << result.body;
  ExpectUnchanged(id, before);
  EXPECT_EQ(Customer(id)["status"], "awaiting_customer");
}

// Control characters in free text would reach emails and logs as they are.
TEST_F(WorkflowRulesTest, FreeTextRefusesControlCharactersButKeepsTabsAndLineBreaks) {
  std::string id = CreatePortIn()["id"];
  MoveOk(id, {{"to", "in_progress"}});
  json before = Staff(id);
  for (const std::string& bad : {std::string("ring\a"), std::string("line\xE2\x80\xA8separator"),
                                 std::string("next\xC2\x85line")}) {
    SCOPED_TRACE(json(bad).dump());
    EXPECT_TRUE(HasFieldError(api_.PostJson(CustomerPath(id, "/messages"), {{"body", bad}}),
                              "/body", "control_characters"));
    EXPECT_TRUE(HasFieldError(desk_.PostJson(SupportPath(id, "/messages"), {{"body", bad}}),
                              "/body", "control_characters"));
    EXPECT_TRUE(HasFieldError(Move(id, {{"to", "awaiting_customer"}, {"message", bad}}), "/message",
                              "control_characters"));
    EXPECT_TRUE(HasFieldError(Move(id, {{"to", "rejected"}, {"reason", bad}}), "/reason",
                              "control_characters"));
    EXPECT_TRUE(HasFieldError(api_.PostJson(CustomerPath(id, "/cancel"), {{"reason", bad}}),
                              "/reason", "control_characters"));
    EXPECT_TRUE(HasFieldError(
        Move(id, {{"to", "submitted_to_carrier"}, {"carrier_reference", "ORD" + bad}}),
        "/carrier_reference", "control_characters"));
  }
  ExpectUnchanged(id, before);

  HttpResult kept =
      api_.PostJson(CustomerPath(id, "/messages"), {{"body", "Line one\r\n\tLine two\nDone"}});
  ASSERT_EQ(kept.status, 201) << kept.body;
  EXPECT_EQ(kept.Json()["events"].back()["note"], "Line one\r\n\tLine two\nDone");
}

// A rejection once dropped the message sent with it.
TEST_F(WorkflowRulesTest, RejectionKeepsTheMessageSentWithIt) {
  std::string id = CreateLocal();
  json rejected = MoveOk(id, {{"to", "rejected"},
                              {"reason", "No numbers left in 978."},
                              {"message", "Try a toll-free number instead."}});
  std::string note = rejected["events"].back()["note"];
  EXPECT_NE(note.find("No numbers left in 978."), std::string::npos) << note;
  EXPECT_NE(note.find("Try a toll-free number instead."), std::string::npos) << note;
  EXPECT_EQ(Customer(id)["events"].back()["note"], note);
}

// A field of the wrong type once gave a second, misleading "required" error.
TEST_F(WorkflowRulesTest, AWrongTypedBodyIsOneError) {
  std::string id = CreateLocal();
  for (HttpResult result : {api_.PostJson(CustomerPath(id, "/messages"), {{"body", {"x"}}}),
                            desk_.PostJson(SupportPath(id, "/messages"), {{"body", {"x"}}})}) {
    ASSERT_TRUE(HasFieldError(result, "/body", "invalid_type"));
    EXPECT_EQ(result.Json()["errors"].size(), 1u) << result.body;
  }
}

TEST_F(WorkflowRulesTest, AJsonReplyOverOneMebibyteIsTooLarge) {
  std::string id = CreateLocal();
  json before = Staff(id);
  HttpResult result =
      api_.PostJson(CustomerPath(id, "/messages"), {{"body", std::string(2 * 1024 * 1024, 'a')}});
  EXPECT_TRUE(IsProblem(result, 413, "payload_too_large"));
  EXPECT_EQ(result.Json()["limit_bytes"], 1024 * 1024) << result.body;
  ExpectUnchanged(id, before);
}

TEST_F(WorkflowRulesTest, NumbersAndUsersRefuseQueryParameters) {
  EXPECT_TRUE(IsProblem(api_.Get("/api/numbers?foo=bar"), 400, "unknown_parameter"));
  EXPECT_TRUE(IsProblem(api_.Get("/api/users?limit=1"), 400, "unknown_parameter"));
  EXPECT_EQ(api_.Get("/api/numbers").status, 200);
  EXPECT_EQ(api_.Get("/api/users").status, 200);
}

// The detail once ended "use ." for a list that takes no parameters at all.
TEST_F(WorkflowRulesTest, AListWithoutParametersSaysItTakesNone) {
  for (const char* path : {"/api/numbers", "/api/users", "/api/webhooks"}) {
    SCOPED_TRACE(path);
    HttpResult result = api_.Get(std::string(path) + "?limit=5");
    EXPECT_TRUE(IsProblem(result, 400, "unknown_parameter"));
    EXPECT_EQ(result.Json()["parameter"], "limit") << result.body;
    EXPECT_EQ(result.Json()["detail"],
              "Unknown query parameter \"limit\"; this endpoint takes no query parameters.")
        << result.body;
  }
  EXPECT_EQ(api_.Get(std::string(kRequestsPath) + "?colour=blue").Json()["detail"],
            "Unknown query parameter \"colour\"; use status, type, limit or cursor.");
}

// A 404 once echoed whatever the path held, markup included.
TEST_F(WorkflowRulesTest, NotFoundNamesOnlyIdShapedIds) {
  const std::string odd = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";
  for (HttpResult result : {api_.Get(CustomerPath(odd)), desk_.Get(SupportPath(odd))}) {
    ASSERT_TRUE(IsProblem(result, 404, "not_found"));
    std::string detail = result.Json()["detail"];
    EXPECT_EQ(detail.find("script"), std::string::npos) << detail;
    EXPECT_EQ(detail.find('<'), std::string::npos) << detail;
  }
  const std::string missing = "req_aaaaaaaaaaaaaaaaaaaaaaaaaa";
  HttpResult result = desk_.Get(SupportPath(missing));
  ASSERT_TRUE(IsProblem(result, 404, "not_found"));
  EXPECT_NE(result.Json()["detail"].get<std::string>().find(missing), std::string::npos)
      << result.body;
}

}  // namespace
}  // namespace numberdesk::testing
