// Black-box tests of the procurement workflow: requests worked by support
// from submission to a live number, each move allowed or refused by role,
// two agents racing, internal notes kept from customers, and duplicate
// port-ins.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "http/http_client.h"
#include "http/server_process.h"
#include "support/pdf_factory.h"

namespace numberdesk::testing {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

std::string SupportPath(const std::string& id, const std::string& tail = "") {
  return "/api/support/requests/" + id + tail;
}

std::string CustomerPath(const std::string& id, const std::string& tail = "") {
  return std::string(kRequestsPath) + "/" + id + tail;
}

std::string IsoDate(year_month_day day) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

// The business day `count` business days after today (UTC).
std::string BusinessDaysAhead(int count) {
  sys_days day = std::chrono::floor<days>(std::chrono::system_clock::now());
  while (count > 0) {
    day += days(1);
    std::chrono::weekday weekday(day);
    if (weekday != std::chrono::Saturday && weekday != std::chrono::Sunday) --count;
  }
  return IsoDate(year_month_day(day));
}

// A Massachusetts number, different each call.
std::string NextLocalNumber() {
  static std::atomic<int> line{1000};
  return "+1978555" + std::to_string(line++);
}

std::string NextTollFreeNumber() {
  static std::atomic<int> line{1000};
  return "+1800555" + std::to_string(line++);
}

std::vector<std::string> Strings(const json& array) {
  std::vector<std::string> values;
  for (const json& value : array)
    values.push_back(value.get<std::string>());
  return values;
}

class WorkflowTest : public ::testing::Test {
 protected:
  json CreateRequest(const std::string& type, json extra = json::object()) {
    if (type == "port_in") {
      json data = MinimalPortInData();
      data.update(extra);
      return ExpectCreated(api_.PostMultipart(kPortInPath, PortInParts(data, loa_, bill_)),
                           "port_in");
    }
    json body = type == "toll_free" ? MinimalTollFree() : MinimalNonTollFree();
    body.update(extra);
    return ExpectCreated(
        api_.PostJson(type == "toll_free" ? kTollFreePath : kNonTollFreePath, body), type);
  }

  // The data a move to `to` needs, for request `request`.
  static json MoveBody(const json& request, const std::string& to) {
    json body = {{"to", to}};
    if (to == "awaiting_customer") body["message"] = "Please send a clearer LOA.";
    if (to == "submitted_to_carrier") body["carrier_reference"] = "ORD-4471";
    if (to == "foc_scheduled") body["foc_date"] = BusinessDaysAhead(5);
    if (to == "rejected") body["reason"] = "The number cannot be ported.";
    if (to == "completed") {
      std::string type = request["type"];
      body["number"] = type == "port_in"     ? request["number_to_port"].get<std::string>()
                       : type == "toll_free" ? NextTollFreeNumber()
                                             : NextLocalNumber();
    }
    return body;
  }

  HttpResult Move(const json& request, const std::string& to) {
    return desk_.PostJson(SupportPath(request["id"], "/transitions"), MoveBody(request, to));
  }

  json MoveOk(const json& request, const std::string& to) {
    HttpResult result = Move(request, to);
    EXPECT_EQ(result.status, 200) << "to " << to << ": " << result.body;
    json moved = result.Json();
    EXPECT_EQ(moved["status"], to);
    return moved;
  }

  // Walks `request` through `statuses` with the data each move needs.
  json Walk(json request, const std::vector<std::string>& statuses) {
    for (const std::string& to : statuses)
      request = MoveOk(request, to);
    return request;
  }

  // The path from submitted to `status` for a request of `type`.
  static std::vector<std::string> PathTo(const std::string& type, const std::string& status) {
    std::map<std::string, std::vector<std::string>> paths = {
        {"submitted", {}},
        {"in_progress", {"in_progress"}},
        {"awaiting_customer", {"in_progress", "awaiting_customer"}},
        {"submitted_to_carrier", {"in_progress", "submitted_to_carrier"}},
        {"foc_scheduled", {"in_progress", "submitted_to_carrier", "foc_scheduled"}},
        {"rejected", {"rejected"}},
        {"completed", type == "port_in"
                          ? std::vector<std::string>{"in_progress", "submitted_to_carrier",
                                                     "foc_scheduled", "completed"}
                          : std::vector<std::string>{"in_progress", "completed"}},
    };
    return paths.at(status);
  }

  json RequestIn(const std::string& type, const std::string& status) {
    json request = CreateRequest(type);
    if (status == "cancelled") {
      HttpResult cancelled = api_.PostJson(CustomerPath(request["id"], "/cancel"), json::object());
      EXPECT_EQ(cancelled.status, 200) << cancelled.body;
      return cancelled.Json();
    }
    return Walk(request, PathTo(type, status));
  }

  json ActiveNumbers() {
    HttpResult result = api_.Get("/api/numbers");
    EXPECT_EQ(result.status, 200) << result.body;
    return result.Json()["numbers"];
  }

  const std::string loa_ = MakePdf(2, "letter of authorisation");
  const std::string bill_ = MakePdf(1, "phone bill");
  ServerProcess server_;
  HttpClient api_{server_.base_url(), server_.token()};
  HttpClient desk_{server_.base_url(), server_.support_token()};
};

TEST_F(WorkflowTest, WalksAPortInToALiveNumberForTheNamedUser) {
  json request = CreateRequest("port_in", {{"assign_to_user", "s_smith"}});
  std::string id = request["id"];
  MoveOk(request, "in_progress");
  json asked = MoveOk(request, "awaiting_customer");
  EXPECT_EQ(asked["events"].back()["note"], "Please send a clearer LOA.");

  // The customer answers with a new LOA, which sends it back to support.
  std::string new_loa = MakePdf(3, "signed again");
  HttpResult reply = api_.PostMultipart(
      CustomerPath(id, "/messages"),
      {FormPart{"data", std::nullopt, "application/json", json{{"body", "Signed again."}}.dump()},
       FormPart{"loaFile", "loa-signed.pdf", "application/pdf", new_loa}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  json replied = reply.Json();
  EXPECT_EQ(replied["status"], "in_progress");
  json loas = json::array();
  for (const json& document : replied["documents"]) {
    if (document["kind"] == "loa") loas.push_back(document);
  }
  ASSERT_EQ(loas.size(), 2u);
  EXPECT_EQ(loas[0]["current"], false);
  EXPECT_EQ(loas[1]["current"], true);
  EXPECT_EQ(loas[1]["file_name"], "loa-signed.pdf");
  EXPECT_EQ(loas[1]["page_count"], 3);
  HttpResult download =
      desk_.Get(SupportPath(id, "/documents/" + loas[1]["id"].get<std::string>()));
  ASSERT_EQ(download.status, 200);
  EXPECT_TRUE(download.body == new_loa) << "the support desk downloads other bytes";

  MoveOk(request, "submitted_to_carrier");
  std::string foc = BusinessDaysAhead(3);
  HttpResult scheduled =
      desk_.PostJson(SupportPath(id, "/transitions"), {{"to", "foc_scheduled"}, {"foc_date", foc}});
  ASSERT_EQ(scheduled.status, 200) << scheduled.body;
  EXPECT_EQ(scheduled.Json()["foc_date"], foc);

  HttpResult completed =
      desk_.PostJson(SupportPath(id, "/transitions"),
                     {{"to", "completed"}, {"number", request["number_to_port"]}});
  ASSERT_EQ(completed.status, 200) << completed.body;
  json done = completed.Json();
  EXPECT_EQ(done["status"], "completed");
  EXPECT_EQ(done["number"], request["number_to_port"]);
  EXPECT_EQ(done["activation"]["assigned_user"]["username"], "s_smith");
  EXPECT_EQ(done["activation"]["reason"], "requested_user");

  json numbers = ActiveNumbers();
  ASSERT_EQ(numbers.size(), 1u);
  EXPECT_EQ(numbers[0]["number"], request["number_to_port"]);
  EXPECT_EQ(numbers[0]["assigned_user"]["username"], "s_smith");
  EXPECT_EQ(numbers[0]["request_id"], id);

  // The customer's timeline tells the whole story, in order.
  json shown = api_.Get(CustomerPath(id)).Json();
  std::vector<std::string> statuses;
  for (const json& event : shown["events"]) {
    if (event["kind"] == "status_change") statuses.push_back(event["new_status"]);
  }
  EXPECT_EQ(statuses, (std::vector<std::string>{"submitted", "in_progress", "awaiting_customer",
                                                "in_progress", "submitted_to_carrier",
                                                "foc_scheduled", "completed"}));
  EXPECT_NE(shown["events"].back()["note"].get<std::string>().find("s_smith"), std::string::npos);
}

TEST_F(WorkflowTest, CompletesARequestWithNoUserForTheDefaultUser) {
  json request = CreateRequest("non_toll_free");
  MoveOk(request, "in_progress");
  std::string number = NextLocalNumber();

  HttpResult completed = desk_.PostJson(SupportPath(request["id"], "/transitions"),
                                        {{"to", "completed"}, {"number", number}});

  ASSERT_EQ(completed.status, 200) << completed.body;
  json done = completed.Json();
  EXPECT_EQ(done["activation"]["assigned_user"]["username"], "acme_default");
  EXPECT_EQ(done["activation"]["reason"], "default_user_none_named");
  std::string note = done["events"].back()["note"];
  EXPECT_NE(note.find("default user acme_default"), std::string::npos) << note;
  EXPECT_NE(note.find("named no user"), std::string::npos) << note;
  json numbers = ActiveNumbers();
  ASSERT_EQ(numbers.size(), 1u);
  EXPECT_EQ(numbers[0]["number"], number);
  EXPECT_EQ(numbers[0]["assigned_user"]["username"], "acme_default");
}

TEST_F(WorkflowTest, CompletesForTheDefaultUserWhenTheNamedUserWasDeactivated) {
  json request = CreateRequest("toll_free", {{"assign_to_user", "s_smith"}});
  MoveOk(request, "in_progress");
  ASSERT_EQ(server_.RunCommand({"user", "deactivate", "--username", "s_smith"}).exit_code, 0);

  json done = MoveOk(request, "completed");

  EXPECT_EQ(done["activation"]["assigned_user"]["username"], "acme_default");
  EXPECT_EQ(done["activation"]["reason"], "default_user_named_unavailable");
  std::string note = done["events"].back()["note"];
  EXPECT_NE(note.find("s_smith"), std::string::npos) << note;
  EXPECT_EQ(ActiveNumbers()[0]["assigned_user"]["username"], "acme_default");
}

// The moves support may make, from the product's workflow.
const std::map<std::string, std::vector<std::string>> kNewNumberMoves = {
    {"submitted", {"in_progress", "rejected"}},
    {"in_progress", {"awaiting_customer", "completed", "rejected"}},
    {"awaiting_customer", {"in_progress", "rejected"}},
    {"completed", {}},
    {"rejected", {}},
    {"cancelled", {}},
};
const std::map<std::string, std::vector<std::string>> kPortInMoves = {
    {"submitted", {"in_progress", "rejected"}},
    {"in_progress", {"awaiting_customer", "submitted_to_carrier", "rejected"}},
    {"awaiting_customer", {"in_progress", "rejected"}},
    {"submitted_to_carrier", {"awaiting_customer", "foc_scheduled", "rejected"}},
    {"foc_scheduled", {"awaiting_customer", "completed", "rejected"}},
    {"completed", {}},
    {"rejected", {}},
    {"cancelled", {}},
};
const std::vector<std::string> kAllStatuses = {
    "submitted",     "in_progress", "awaiting_customer", "submitted_to_carrier",
    "foc_scheduled", "completed",   "rejected",          "cancelled"};

class WorkflowMovesTest : public WorkflowTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(WorkflowMovesTest, SupportMakesExactlyTheMovesOfTheWorkflow) {
  const std::string type = GetParam();
  const auto& table = type == "port_in" ? kPortInMoves : kNewNumberMoves;
  for (const auto& [from, allowed] : table) {
    SCOPED_TRACE(type + " from " + from);
    json request = RequestIn(type, from);
    ASSERT_EQ(request["status"], from);
    for (const std::string& to : kAllStatuses) {
      bool expected = std::find(allowed.begin(), allowed.end(), to) != allowed.end();
      if (expected) continue;
      SCOPED_TRACE("refused: to " + to);
      HttpResult refused = Move(request, to);
      ASSERT_TRUE(IsProblem(refused, 409, "transition_not_allowed"));
      EXPECT_EQ(Strings(refused.Json()["allowed_moves"]), allowed);
      EXPECT_EQ(refused.Json()["current_status"], from);
    }
    EXPECT_EQ(desk_.Get(SupportPath(request["id"])).Json()["status"], from)
        << "a refused move changed the request";
    for (const std::string& to : allowed) {
      SCOPED_TRACE("allowed: to " + to);
      json fresh = RequestIn(type, from);
      int version = desk_.Get(SupportPath(fresh["id"])).Json()["version"];
      json moved = MoveOk(fresh, to);
      EXPECT_EQ(moved["version"], version + 1);
    }
  }
}

TEST_P(WorkflowMovesTest, TheCustomerCancelsAnyOpenRequestAndNothingClosed) {
  const std::string type = GetParam();
  const auto& table = type == "port_in" ? kPortInMoves : kNewNumberMoves;
  for (const auto& [from, allowed] : table) {
    SCOPED_TRACE(type + " from " + from);
    json request = RequestIn(type, from);
    HttpResult cancel = api_.PostJson(CustomerPath(request["id"], "/cancel"), json::object());
    if (allowed.empty()) {
      ASSERT_TRUE(IsProblem(cancel, 409, "transition_not_allowed"));
      EXPECT_EQ(cancel.Json()["allowed_moves"], json::array());
    } else {
      ASSERT_EQ(cancel.status, 200) << cancel.body;
      EXPECT_EQ(cancel.Json()["status"], "cancelled");
    }
  }
}

TEST_P(WorkflowMovesTest, AReplyMovesOnlyARequestAwaitingTheCustomer) {
  const std::string type = GetParam();
  const auto& table = type == "port_in" ? kPortInMoves : kNewNumberMoves;
  for (const auto& [from, allowed] : table) {
    SCOPED_TRACE(type + " from " + from);
    json request = RequestIn(type, from);
    HttpResult reply =
        api_.PostJson(CustomerPath(request["id"], "/messages"), {{"body", "Any news?"}});
    if (allowed.empty()) {
      EXPECT_TRUE(IsProblem(reply, 409, "request_closed"));
      continue;
    }
    ASSERT_EQ(reply.status, 201) << reply.body;
    EXPECT_EQ(reply.Json()["status"], from == "awaiting_customer" ? "in_progress" : from);
  }
}

INSTANTIATE_TEST_SUITE_P(EachType, WorkflowMovesTest,
                         ::testing::Values("non_toll_free", "toll_free", "port_in"));

TEST_F(WorkflowTest, SupportCannotCancelAndCustomersCannotUseTheDesk) {
  json request = CreateRequest("non_toll_free");
  HttpResult cancel =
      desk_.PostJson(SupportPath(request["id"], "/transitions"), {{"to", "cancelled"}});
  EXPECT_TRUE(IsProblem(cancel, 409, "transition_not_allowed"));

  HttpClient viewer(server_.base_url(), server_.viewer_token());
  for (HttpClient* customer : {&api_, &viewer}) {
    EXPECT_TRUE(IsProblem(customer->Get("/api/support/requests"), 403, "forbidden"));
    EXPECT_TRUE(IsProblem(customer->Get(SupportPath(request["id"])), 403, "forbidden"));
    EXPECT_TRUE(IsProblem(
        customer->PostJson(SupportPath(request["id"], "/transitions"), {{"to", "in_progress"}}),
        403, "forbidden"));
    EXPECT_TRUE(
        IsProblem(customer->PostJson(SupportPath(request["id"], "/messages"), {{"body", "hi"}}),
                  403, "forbidden"));
  }
  EXPECT_TRUE(IsProblem(desk_.PostJson(CustomerPath(request["id"], "/cancel"), json::object()), 403,
                        "forbidden"));
  EXPECT_EQ(api_.Get(CustomerPath(request["id"])).Json()["status"], "submitted");
}

TEST_F(WorkflowTest, OfTwoAgentsMovingOneRequestAtOnceExactlyOneWins) {
  for (int round = 0; round < 8; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    json request = RequestIn("non_toll_free", "in_progress");
    std::string path = SupportPath(request["id"], "/transitions");
    // Two different moves, each allowed from in_progress but not after the
    // other, so that even one after the other only one may succeed.
    const json bodies[2] = {MoveBody(request, "awaiting_customer"), MoveBody(request, "completed")};
    std::atomic<int> ready{0};
    long statuses[2] = {0, 0};
    std::string codes[2];
    std::vector<std::thread> agents;
    for (int i = 0; i < 2; ++i) {
      agents.emplace_back([&, i] {
        HttpClient agent(server_.base_url(), server_.support_token());
        ++ready;
        while (ready < 2) {
        }
        HttpResult result = agent.PostJson(path, bodies[i]);
        statuses[i] = result.status;
        codes[i] = result.Json().value("code", "");
      });
    }
    for (std::thread& agent : agents)
      agent.join();

    int wins = (statuses[0] == 200) + (statuses[1] == 200);
    EXPECT_EQ(wins, 1) << statuses[0] << " " << statuses[1];
    for (int i = 0; i < 2; ++i) {
      if (statuses[i] != 200) {
        EXPECT_EQ(statuses[i], 409);
        EXPECT_TRUE(codes[i] == "concurrent_update" || codes[i] == "transition_not_allowed")
            << codes[i];
      }
    }
    json events = desk_.Get(SupportPath(request["id"])).Json()["events"];
    int moves_out_of_progress = 0;
    for (const json& event : events) {
      if (event["kind"] == "status_change" && event["old_status"] == "in_progress") {
        ++moves_out_of_progress;
      }
    }
    EXPECT_EQ(moves_out_of_progress, 1) << "both moves were recorded";
  }
}

TEST_F(WorkflowTest, CustomersNeverSeeInternalNotes) {
  const std::string secret = "Customer seems to be a reseller; check credit";
  json request = CreateRequest("port_in");
  std::string id = request["id"];
  MoveOk(request, "in_progress");
  HttpResult note =
      desk_.PostJson(SupportPath(id, "/messages"), {{"body", secret}, {"internal", true}});
  ASSERT_EQ(note.status, 201) << note.body;
  EXPECT_EQ(note.Json()["visibility"], "internal");
  HttpResult message = desk_.PostJson(SupportPath(id, "/messages"), {{"body", "We are on it."}});
  ASSERT_EQ(message.status, 201) << message.body;
  json ordered = MoveOk(request, "submitted_to_carrier");  // the carrier reference is internal

  // Staff see all of it.
  std::string staff_view = desk_.Get(SupportPath(id)).body;
  EXPECT_NE(staff_view.find(secret), std::string::npos);
  EXPECT_NE(staff_view.find("ORD-4471"), std::string::npos);

  // Customers see none of it, wherever they look.
  std::vector<HttpResult> customer_views = {
      api_.Get(CustomerPath(id)),
      api_.Get(kRequestsPath),
      api_.PostJson(CustomerPath(id, "/messages"), {{"body", "Thanks."}}),
      api_.PostJson(CustomerPath(id, "/cancel"), {{"reason", "Changed our mind."}}),
      api_.Get(CustomerPath(id)),
  };
  for (const HttpResult& view : customer_views) {
    ASSERT_LT(view.status, 300) << view.body;
    EXPECT_EQ(view.body.find(secret), std::string::npos) << view.body;
    EXPECT_EQ(view.body.find("ORD-4471"), std::string::npos) << view.body;
    EXPECT_EQ(view.body.find("\"internal\""), std::string::npos) << view.body;
    EXPECT_EQ(view.body.find("carrier_reference"), std::string::npos) << view.body;
  }
  json shown = customer_views.back().Json();
  bool saw_message = false;
  for (const json& event : shown["events"]) {
    EXPECT_EQ(event["visibility"], "customer");
    if (event["note"] == "We are on it.") saw_message = true;
  }
  EXPECT_TRUE(saw_message) << "a message to the customer is not internal";
}

TEST_F(WorkflowTest, RefusesASecondOpenPortInOfTheSameNumber) {
  json data = MinimalPortInData();
  json first =
      ExpectCreated(api_.PostMultipart(kPortInPath, PortInParts(data, loa_, bill_)), "port_in");

  HttpResult again = api_.PostMultipart(kPortInPath, PortInParts(data, loa_, bill_));
  ASSERT_TRUE(IsProblem(again, 409, "duplicate_port_in"));
  EXPECT_EQ(again.Json()["request_id"], first["id"]);
  EXPECT_NE(again.Json()["detail"].get<std::string>().find(first["id"].get<std::string>()),
            std::string::npos);

  // Another account learns there is one, but not which.
  HttpClient other(server_.base_url(), server_.CreateAccountWithAdmin("Globex"));
  HttpResult theirs = other.PostMultipart(kPortInPath, PortInParts(data, loa_, bill_));
  ASSERT_TRUE(IsProblem(theirs, 409, "duplicate_port_in"));
  EXPECT_FALSE(theirs.Json().contains("request_id"));
  EXPECT_EQ(theirs.body.find(first["id"].get<std::string>()), std::string::npos);

  // Once the first is closed, the number may be ported again.
  ASSERT_EQ(api_.PostJson(CustomerPath(first["id"], "/cancel"), json::object()).status, 200);
  ExpectCreated(api_.PostMultipart(kPortInPath, PortInParts(data, loa_, bill_)), "port_in");
}

}  // namespace
}  // namespace numberdesk::testing
