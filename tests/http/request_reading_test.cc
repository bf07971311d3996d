// Black-box tests of reading requests back: GET /api/numbers/requests (list,
// filters, cursor pagination), GET /api/numbers/requests/{id} and its
// documents, account isolation and durability across a restart.

#include <gtest/gtest.h>

#include <optional>
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

// One page of the list endpoint.
struct Page {
  std::vector<std::string> ids;
  std::optional<std::string> next_cursor;
};

class RequestReadingTest : public ::testing::Test {
 protected:
  json CreateNonTollFree() {
    return ExpectCreated(api_.PostJson(kNonTollFreePath, MinimalNonTollFree()), "non_toll_free");
  }

  json CreateTollFree() {
    return ExpectCreated(api_.PostJson(kTollFreePath, MinimalTollFree()), "toll_free");
  }

  json CreatePortIn() {
    std::vector<FormPart> parts = PortInParts(MinimalPortInData(), loa_, bill_);
    parts[1].filename = "Lettre d\u2019autorisation \u00e9.pdf";
    return ExpectCreated(api_.PostMultipart(kPortInPath, parts), "port_in");
  }

  // Creates `count` requests and returns their ids, oldest first.
  std::vector<std::string> CreateSeveral(int count) {
    std::vector<std::string> ids;
    for (int i = 0; i < count; ++i)
      ids.push_back(CreateNonTollFree()["id"].get<std::string>());
    return ids;
  }

  Page List(const std::string& query = "") {
    HttpResult result = api_.Get(std::string(kRequestsPath) + (query.empty() ? "" : "?" + query));
    EXPECT_EQ(result.status, 200) << query << ": " << result.body;
    json body = result.Json();
    Page page;
    for (const json& item : body["requests"])
      page.ids.push_back(item["id"].get<std::string>());
    if (body["next_cursor"].is_string()) page.next_cursor = body["next_cursor"].get<std::string>();
    return page;
  }

  const std::string loa_ = MakePdf(4, "letter of authorisation");
  const std::string bill_ = MakePdf(1, "phone bill");
  ServerProcess server_;
  HttpClient api_{server_.base_url(), server_.token()};
};

std::vector<std::string> Reversed(std::vector<std::string> ids) {
  return std::vector<std::string>(ids.rbegin(), ids.rend());
}

TEST_F(RequestReadingTest, ListsNewestFirst) {
  json first = CreateNonTollFree();
  json second = CreateTollFree();
  json third = CreatePortIn();

  HttpResult result = api_.Get(kRequestsPath);
  ASSERT_EQ(result.status, 200);
  json body = result.Json();
  ASSERT_EQ(body["requests"].size(), 3u) << result.body;
  EXPECT_TRUE(body["next_cursor"].is_null());

  // A list item is the request without its documents and timeline.
  const json* expected[] = {&third, &second, &first};
  for (std::size_t i = 0; i < 3; ++i) {
    json summary = *expected[i];
    summary.erase("documents");
    summary.erase("events");
    EXPECT_EQ(body["requests"][i], summary);
  }
}

TEST_F(RequestReadingTest, FiltersByTypeAndStatus) {
  std::string local = CreateNonTollFree()["id"];
  std::string toll_free = CreateTollFree()["id"];
  std::string port_in = CreatePortIn()["id"];

  EXPECT_EQ(List("type=non_toll_free").ids, std::vector<std::string>{local});
  EXPECT_EQ(List("type=toll_free").ids, std::vector<std::string>{toll_free});
  EXPECT_EQ(List("type=port_in").ids, std::vector<std::string>{port_in});
  EXPECT_EQ(List("status=submitted").ids, (std::vector<std::string>{port_in, toll_free, local}));
  EXPECT_TRUE(List("status=completed").ids.empty());
  EXPECT_TRUE(List("status=in_progress").ids.empty());
  EXPECT_EQ(List("status=submitted&type=toll_free").ids, std::vector<std::string>{toll_free});
}

TEST_F(RequestReadingTest, PagesThroughWithALimitAndACursor) {
  std::vector<std::string> newest_first = Reversed(CreateSeveral(5));

  // The cursor is the id of the last request of the page.
  Page first = List("limit=2");
  EXPECT_EQ(first.ids, (std::vector<std::string>{newest_first[0], newest_first[1]}));
  ASSERT_TRUE(first.next_cursor);
  EXPECT_EQ(*first.next_cursor, newest_first[1]);

  Page second = List("limit=2&cursor=" + *first.next_cursor);
  EXPECT_EQ(second.ids, (std::vector<std::string>{newest_first[2], newest_first[3]}));
  ASSERT_TRUE(second.next_cursor);
  EXPECT_EQ(*second.next_cursor, newest_first[3]);

  Page last = List("cursor=" + *second.next_cursor + "&limit=2");
  EXPECT_EQ(last.ids, std::vector<std::string>{newest_first[4]});
  EXPECT_FALSE(last.next_cursor);

  Page all = List();
  EXPECT_EQ(all.ids, newest_first);
  EXPECT_FALSE(all.next_cursor);
}

TEST_F(RequestReadingTest, KeepsPagesStableWhileRequestsAreCreated) {
  std::vector<std::string> newest_first = Reversed(CreateSeveral(5));

  std::vector<std::string> seen;
  Page page = List("limit=2");
  seen.insert(seen.end(), page.ids.begin(), page.ids.end());
  std::vector<std::string> created_meanwhile = CreateSeveral(2);
  while (page.next_cursor) {
    page = List("limit=2&cursor=" + *page.next_cursor);
    seen.insert(seen.end(), page.ids.begin(), page.ids.end());
    std::vector<std::string> more = CreateSeveral(1);
    created_meanwhile.insert(created_meanwhile.end(), more.begin(), more.end());
  }

  // No repeats, no gaps, and nothing created after the first page.
  EXPECT_EQ(seen, newest_first);

  std::vector<std::string> everything = Reversed(created_meanwhile);
  everything.insert(everything.end(), newest_first.begin(), newest_first.end());
  EXPECT_EQ(List("limit=100").ids, everything);
}

TEST_F(RequestReadingTest, RefusesBadListParameters) {
  CreateNonTollFree();
  const std::tuple<const char*, const char*, const char*> cases[] = {
      {"cursor=abc", "invalid_cursor", "cursor"},
      {"cursor=0", "invalid_cursor", "cursor"},
      {"cursor=-3", "invalid_cursor", "cursor"},
      {"cursor=", "invalid_cursor", "cursor"},
      {"cursor=1", "invalid_cursor", "cursor"},
      {"cursor=req_aaaaaaaaaaaaaaaaaaaaaaaaaa", "invalid_cursor", "cursor"},
      {"limit=1&limit=2", "invalid_parameter", "limit"},
      {"limit=2&limit=2", "invalid_parameter", "limit"},
      {"status=submitted&type=port_in&status=completed", "invalid_parameter", "status"},
      {"type=port_in&type=toll_free", "invalid_parameter", "type"},
      {"cursor=a&cursor=b", "invalid_parameter", "cursor"},
      {"limit=0", "invalid_parameter", "limit"},
      {"limit=101", "invalid_parameter", "limit"},
      {"limit=ten", "invalid_parameter", "limit"},
      {"limit=-1", "invalid_parameter", "limit"},
      {"limit=2.5", "invalid_parameter", "limit"},
      {"status=open", "invalid_parameter", "status"},
      {"status=", "invalid_parameter", "status"},
      {"type=tollfree", "invalid_parameter", "type"},
      {"colour=blue", "unknown_parameter", "colour"},
      {"limit=%zz", "invalid_parameter", "limit"},
  };
  for (const auto& [query, code, parameter] : cases) {
    SCOPED_TRACE(query);
    HttpResult result = api_.Get(std::string(kRequestsPath) + "?" + query);
    EXPECT_TRUE(IsProblem(result, 400, code));
    EXPECT_EQ(result.Json()["parameter"], parameter) << result.body;
  }
}

// "%00" is valid percent-encoding; what is refused is the NUL it stands
// for, and the detail once blamed the encoding.
TEST_F(RequestReadingTest, SaysWhyAParameterValueIsRefused) {
  for (const char* query : {"cursor=%00", "cursor=a%01b", "status=submitted%0A", "type=%7F"}) {
    SCOPED_TRACE(query);
    HttpResult result = api_.Get(std::string(kRequestsPath) + "?" + query);
    EXPECT_TRUE(IsProblem(result, 400, "invalid_parameter"));
    std::string detail = result.Json().value("detail", "");
    EXPECT_NE(detail.find("control character"), std::string::npos) << detail;
    EXPECT_EQ(detail.find("percent"), std::string::npos) << detail;
  }
  for (const char* query : {"cursor=%zz", "limit=5%", "cursor=%4"}) {
    SCOPED_TRACE(query);
    HttpResult result = api_.Get(std::string(kRequestsPath) + "?" + query);
    EXPECT_TRUE(IsProblem(result, 400, "invalid_parameter"));
    EXPECT_NE(result.Json().value("detail", "").find("malformed percent-escape"), std::string::npos)
        << result.body;
  }
}

TEST_F(RequestReadingTest, RefusesACursorFromAnotherAccount) {
  std::string mine = CreateNonTollFree()["id"];
  HttpClient globex(server_.base_url(), server_.CreateAccountWithAdmin("globex"));
  json theirs = ExpectCreated(globex.PostJson(kTollFreePath, MinimalTollFree()), "toll_free");

  HttpResult result =
      api_.Get(std::string(kRequestsPath) + "?cursor=" + theirs["id"].get<std::string>());
  EXPECT_TRUE(IsProblem(result, 400, "invalid_cursor"));
  EXPECT_EQ(result.Json()["parameter"], "cursor") << result.body;
  EXPECT_TRUE(
      IsProblem(globex.Get(std::string(kRequestsPath) + "?cursor=" + mine), 400, "invalid_cursor"));
}

TEST_F(RequestReadingTest, ListsNewestFirstByCreationTimeAfterAConcurrentBurst) {
  constexpr int kClients = 6;
  constexpr int kEach = 5;
  std::vector<std::vector<long>> statuses(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      HttpClient client(server_.base_url(), server_.token());
      for (int i = 0; i < kEach; ++i)
        statuses[c].push_back(client.PostJson(kNonTollFreePath, MinimalNonTollFree()).status);
    });
  }
  for (std::thread& client : clients)
    client.join();
  for (const std::vector<long>& sent : statuses)
    EXPECT_EQ(sent, std::vector<long>(kEach, 201));

  HttpResult result = api_.Get(std::string(kRequestsPath) + "?limit=100");
  ASSERT_EQ(result.status, 200);
  json requests = result.Json()["requests"];
  ASSERT_EQ(requests.size(), std::size_t{kClients * kEach});
  for (std::size_t i = 1; i < requests.size(); ++i) {
    EXPECT_GE(requests[i - 1]["created_at"].get<std::string>(),
              requests[i]["created_at"].get<std::string>())
        << "position " << i;
  }
}

TEST_F(RequestReadingTest, AnswersCreationWithTheStoredTimes) {
  json created = CreatePortIn();
  const json& created_at = created["created_at"];

  EXPECT_EQ(created["updated_at"], created_at);
  ASSERT_EQ(created["documents"].size(), 2u);
  for (const json& document : created["documents"])
    EXPECT_EQ(document["created_at"], created_at);
  ASSERT_EQ(created["events"].size(), 1u);
  EXPECT_EQ(created["events"][0]["occurred_at"], created_at);
  HttpResult shown = api_.Get("/api/numbers/requests/" + created["id"].get<std::string>());
  ASSERT_EQ(shown.status, 200);
  EXPECT_EQ(shown.Json()["created_at"], created_at);
  EXPECT_EQ(List().ids, std::vector<std::string>{created["id"].get<std::string>()});
}

TEST_F(RequestReadingTest, ShowsOneRequestWithItsDocumentsAndTimeline) {
  json created = CreatePortIn();
  HttpResult result = api_.Get("/api/numbers/requests/" + created["id"].get<std::string>());
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(result.Header("Content-Type"), "application/json");
  json shown = result.Json();
  EXPECT_EQ(shown, created);

  EXPECT_EQ(shown["number_to_port"], created["number_to_port"]);
  EXPECT_TRUE(shown["number_to_port"].get<std::string>().starts_with("+1978263"));
  EXPECT_EQ(shown["notify_email"], json({"jdoe@example.com"}));
  ASSERT_EQ(shown["documents"].size(), 2u);
  for (const json& document : shown["documents"]) {
    bool is_loa = document["kind"] == "loa";
    EXPECT_EQ(document["size_bytes"], (is_loa ? loa_ : bill_).size());
    EXPECT_EQ(document["page_count"], is_loa ? 4 : 1);
    EXPECT_EQ(document["file_name"], is_loa ? "Lettre d\u2019autorisation \u00e9.pdf" : "bill.pdf");
  }
  ASSERT_EQ(shown["events"].size(), 1u);
  const json& submitted = shown["events"][0];
  EXPECT_EQ(submitted["new_status"], "submitted");
  EXPECT_TRUE(submitted["old_status"].is_null());
  EXPECT_EQ(submitted["actor"], "jdoe");
  EXPECT_EQ(submitted["visibility"], "customer");
  EXPECT_EQ(submitted["occurred_at"], created["created_at"]);
}

TEST_F(RequestReadingTest, DownloadsTheExactUploadedBytes) {
  json created = CreatePortIn();
  ASSERT_EQ(created["documents"].size(), 2u);
  for (const json& document : created["documents"]) {
    bool is_loa = document["kind"] == "loa";
    SCOPED_TRACE(document["kind"].get<std::string>());
    HttpResult result = api_.Get(document["href"].get<std::string>());
    ASSERT_EQ(result.status, 200);
    EXPECT_TRUE(result.body == (is_loa ? loa_ : bill_)) << "the downloaded bytes differ";
    EXPECT_EQ(result.Header("Content-Type"), "application/pdf");
    EXPECT_EQ(result.Header("ETag"), "\"" + document["sha256"].get<std::string>() + "\"");
    std::string disposition = result.Header("Content-Disposition").value_or("");
    EXPECT_TRUE(disposition.starts_with("attachment")) << disposition;
    if (is_loa) {
      EXPECT_NE(disposition.find("filename*=UTF-8''Lettre%20d%E2%80%99autorisation%20%C3%A9.pdf"),
                std::string::npos)
          << disposition;
    }
  }
}

TEST_F(RequestReadingTest, AnswersNotModifiedWhenIfNoneMatchListsTheETag) {
  json created = CreatePortIn();
  const json& document = created["documents"][0];
  std::string href = document["href"];
  std::string etag = "\"" + document["sha256"].get<std::string>() + "\"";

  for (const std::string& condition : {etag, "W/" + etag, "\"other\", " + etag,
                                       "\"other\",W/" + etag + " , \"x\"", std::string("*")}) {
    SCOPED_TRACE(condition);
    HttpResult result = api_.Get(href, {"If-None-Match: " + condition});
    EXPECT_EQ(result.status, 304);
    EXPECT_EQ(result.Header("ETag"), etag);
    EXPECT_EQ(result.body, "");
  }
  for (const std::string& condition : {std::string("\"other\""), std::string("W/\"other\""),
                                       document["sha256"].get<std::string>()}) {
    SCOPED_TRACE(condition);
    HttpResult result = api_.Get(href, {"If-None-Match: " + condition});
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.Header("ETag"), etag);
    EXPECT_TRUE(result.body == loa_ || result.body == bill_) << "the bytes are missing";
  }
}

TEST_F(RequestReadingTest, AnswersNotFoundForUnknownRequestsAndDocuments) {
  json port_in = CreatePortIn();
  json other = CreateNonTollFree();
  std::string path = "/api/numbers/requests/" + port_in["id"].get<std::string>();
  std::string document_id = port_in["documents"][0]["id"];

  EXPECT_TRUE(IsProblem(api_.Get("/api/numbers/requests/req_aaaaaaaaaaaaaaaaaaaaaaaaaa"), 404,
                        "not_found"));
  EXPECT_TRUE(IsProblem(api_.Get("/api/numbers/requests/nonsense"), 404, "not_found"));
  EXPECT_TRUE(
      IsProblem(api_.Get(path + "/documents/doc_aaaaaaaaaaaaaaaaaaaaaaaaaa"), 404, "not_found"));
  // A real document, asked for through another request.
  EXPECT_TRUE(IsProblem(api_.Get("/api/numbers/requests/" + other["id"].get<std::string>() +
                                 "/documents/" + document_id),
                        404, "not_found"));
}

TEST_F(RequestReadingTest, HidesOtherAccountsRequests) {
  json acme = CreatePortIn();
  std::string acme_path = "/api/numbers/requests/" + acme["id"].get<std::string>();

  HttpClient globex(server_.base_url(), server_.CreateAccountWithAdmin("globex"));
  EXPECT_TRUE(IsProblem(globex.Get(acme_path), 404, "not_found"));
  EXPECT_TRUE(
      IsProblem(globex.Get(acme["documents"][0]["href"].get<std::string>()), 404, "not_found"));
  HttpResult globex_list = globex.Get(kRequestsPath);
  ASSERT_EQ(globex_list.status, 200);
  EXPECT_TRUE(globex_list.Json()["requests"].empty()) << globex_list.body;

  json theirs = ExpectCreated(globex.PostJson(kTollFreePath, MinimalTollFree()), "toll_free");
  EXPECT_TRUE(IsProblem(api_.Get("/api/numbers/requests/" + theirs["id"].get<std::string>()), 404,
                        "not_found"));
  EXPECT_EQ(List().ids, std::vector<std::string>{acme["id"].get<std::string>()});
}

TEST_F(RequestReadingTest, KeepsEverythingAcrossARestart) {
  json local = CreateNonTollFree();
  json port_in = CreatePortIn();
  HttpResult list_before = api_.Get(kRequestsPath);
  ASSERT_EQ(list_before.status, 200);

  server_.Restart();
  HttpClient after(server_.base_url(), server_.token());

  for (const json* created : {&local, &port_in}) {
    HttpResult shown = after.Get("/api/numbers/requests/" + (*created)["id"].get<std::string>());
    ASSERT_EQ(shown.status, 200);
    EXPECT_EQ(shown.Json(), *created);
  }
  EXPECT_EQ(after.Get(kRequestsPath).Json(), list_before.Json());
  for (const json& document : port_in["documents"]) {
    HttpResult bytes = after.Get(document["href"].get<std::string>());
    ASSERT_EQ(bytes.status, 200);
    EXPECT_TRUE(bytes.body == (document["kind"] == "loa" ? loa_ : bill_))
        << "the document changed across a restart";
  }
}

}  // namespace
}  // namespace numberdesk::testing
