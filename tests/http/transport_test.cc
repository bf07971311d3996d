// Black-box tests of the HTTP transport: interim responses, body limits,
// routing errors, keep-alive and graceful shutdown. Where the exact bytes
// and their timing matter, a raw socket is used instead of libcurl.

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>
#include <thread>
#include <tuple>

#include "http/http_client.h"
#include "http/server_process.h"
#include "support/pdf_factory.h"

namespace numberdesk::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr std::size_t kServerBodyLimit = 25 * 1024 * 1024;
constexpr std::size_t kSixtyMegabytes = 60 * 1000 * 1000;

class TransportTest : public ::testing::Test {
 protected:
  // The request line and header fields of a port-in upload, ending with the
  // blank line; the body is sent separately.
  std::string PortInHead(std::size_t content_length, std::string_view content_type,
                         bool expect_continue) {
    std::string head = std::string("POST ") + kPortInPath + " HTTP/1.1\r\n" +
                       "Host: 127.0.0.1\r\n"
                       "Authorization: Bearer " +
                       server_.token() + "\r\nContent-Type: " + std::string(content_type) +
                       "\r\nContent-Length: " + std::to_string(content_length) + "\r\n";
    if (expect_continue) head += "Expect: 100-continue\r\n";
    return head + "\r\n";
  }

  MultipartBody ValidPortIn() {
    return BuildMultipart(PortInParts(MinimalPortInData(), MakePdf(1), MakePdf(2)));
  }

  ServerProcess server_;
  HttpClient api_{server_.base_url(), server_.token()};
};

TEST_F(TransportTest, AnswersExpectContinueBeforeTheBodyIsSent) {
  MultipartBody body = ValidPortIn();
  RawConnection connection(server_.port());
  connection.Send(PortInHead(body.bytes.size(), body.content_type, true));

  std::optional<RawResponse> interim = connection.ReadResponse();
  ASSERT_TRUE(interim) << "no interim response to Expect: 100-continue";
  EXPECT_EQ(interim->status_line, "HTTP/1.1 100 Continue");

  connection.Send(body.bytes);
  std::optional<RawResponse> final_response = connection.ReadResponse();
  ASSERT_TRUE(final_response);
  EXPECT_EQ(final_response->status, 201) << final_response->body;
  json created = json::parse(final_response->body, nullptr, false);
  EXPECT_EQ(final_response->Header("Location"), "/api/numbers/requests/" + created.value("id", ""));
}

TEST_F(TransportTest, LibcurlUploadsWithExpectContinue) {
  std::vector<FormPart> parts = PortInParts(MinimalPortInData(), MakePdf(1), MakePdf(1));
  ExpectCreated(api_.PostMultipart(kPortInPath, parts, {}, true), "port_in");
}

TEST_F(TransportTest, RefusesAnOverLimitBodyOnItsHeadersAlone) {
  RawConnection connection(server_.port());
  connection.Send(PortInHead(kSixtyMegabytes, "multipart/form-data; boundary=x", true));

  // The final answer comes at once, instead of "100 Continue".
  std::optional<RawResponse> response = connection.ReadResponse();
  ASSERT_TRUE(response) << "no answer to an over-limit Content-Length";
  EXPECT_EQ(response->status, 413) << response->status_line;
  EXPECT_EQ(response->Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(response->Header("Connection"), "close");
  EXPECT_EQ(response->Header("api-supported-versions"), "1.0");
  json problem = json::parse(response->body, nullptr, false);
  EXPECT_EQ(problem.value("code", ""), "payload_too_large") << response->body;
  EXPECT_EQ(problem.value("limit_bytes", 0u), kServerBodyLimit) << response->body;

  EXPECT_TRUE(connection.WaitForClose(milliseconds(10000)));
}

TEST_F(TransportTest, AnswersAnOverLimitBodyWithAProblemNotAReset) {
  std::vector<FormPart> parts = PortInParts(MinimalPortInData(), MakePdf(1), MakePdf(1));
  parts[2].bytes = "%PDF-1.7\n" + std::string(kSixtyMegabytes, 'x');
  HttpResult result = api_.PostMultipart(kPortInPath, parts, {}, false);

  EXPECT_TRUE(result.transport_error.empty()) << result.transport_error;
  ASSERT_TRUE(IsProblem(result, 413, "payload_too_large"));
  json problem = result.Json();
  EXPECT_EQ(problem["limit_bytes"], kServerBodyLimit);
  EXPECT_NE(problem["detail"].get<std::string>().find(std::to_string(kServerBodyLimit)),
            std::string::npos)
      << problem["detail"];

  // The server is still serving, and created nothing.
  HttpClient after(server_.base_url(), server_.token());
  HttpResult list = after.Get(kRequestsPath);
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(list.Json()["requests"].empty());
}

TEST_F(TransportTest, AnswersAChunkedBodyOverTheLimitWithAProblem) {
  // Without a Content-Length the limit can only be found while reading.
  std::vector<FormPart> parts = PortInParts(MinimalPortInData(), MakePdf(1), MakePdf(1));
  parts[2].bytes = "%PDF-1.7\n" + std::string(kServerBodyLimit + 1024 * 1024, 'x');
  HttpResult result = api_.PostMultipart(kPortInPath, parts, {"Transfer-Encoding: chunked"}, false);

  EXPECT_TRUE(result.transport_error.empty()) << result.transport_error;
  ASSERT_TRUE(IsProblem(result, 413, "payload_too_large"));
  EXPECT_EQ(result.Json()["limit_bytes"], kServerBodyLimit);
}

TEST_F(TransportTest, AnswersUnknownPathsWithNotFound) {
  for (const char* path : {"/nope", "/api/number", "/api/numbers/requests/a/b/c/d",
                           "/api/numbers/add-new-number-request/local"}) {
    SCOPED_TRACE(path);
    EXPECT_TRUE(IsProblem(api_.Get(path), 404, "not_found"));
    EXPECT_TRUE(IsProblem(api_.Get(path, {"Authorization:"}), 404, "not_found"));
  }
  EXPECT_TRUE(
      IsProblem(api_.PostJson("/api/numbers/add-new-number-request/local", MinimalNonTollFree()),
                404, "not_found"));
}

TEST_F(TransportTest, AnswersAWrongMethodWithAllow) {
  const std::tuple<const char*, const char*, const char*> cases[] = {
      {"DELETE", kRequestsPath, "GET, HEAD"}, {"POST", kRequestsPath, "GET, HEAD"},
      {"GET", kPortInPath, "POST"},           {"PUT", kNonTollFreePath, "POST"},
      {"PATCH", "/healthz", "GET, HEAD"},
  };
  for (const auto& [method, path, allow] : cases) {
    SCOPED_TRACE(std::string(method) + " " + path);
    HttpResult result = api_.Send(method, path);
    EXPECT_TRUE(IsProblem(result, 405, "method_not_allowed"));
    EXPECT_EQ(result.Header("Allow"), allow);
  }
}

TEST_F(TransportTest, AnswersHeadLikeGetWithoutTheBody) {
  RawConnection connection(server_.port());
  connection.Send("HEAD /api/numbers/regions/US HTTP/1.1\r\nHost: x\r\n\r\n");
  std::optional<RawResponse> head = connection.ReadResponse(std::chrono::seconds(10), true);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->status, 200);
  HttpResult get = api_.Get("/api/numbers/regions/US");
  EXPECT_EQ(head->Header("Content-Length"), std::to_string(get.body.size()));
  EXPECT_EQ(head->Header("ETag"), get.Header("ETag"));

  // No body followed: the connection serves the next request at once.
  connection.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  std::optional<RawResponse> next = connection.ReadResponse();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->status, 200);
}

// Regression: with a transfer coding other than chunked the body was left
// unread and then served as a second request on the same connection.
TEST_F(TransportTest, RefusesTransferCodingsItCannotFrame) {
  for (const char* coding : {"gzip", "identity", "chunked, gzip", "gzip, chunked", "xchunked"}) {
    SCOPED_TRACE(coding);
    std::string smuggled =
        "GET /api/numbers/requests HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
        server_.token() + "\r\n\r\n";
    RawConnection connection(server_.port());
    connection.Send(std::string("POST ") + kTollFreePath +
                    " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding + "\r\n\r\n" + smuggled);
    std::optional<RawResponse> first = connection.ReadResponse();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->status, 400);
    EXPECT_NE(first->body.find("malformed_request"), std::string::npos);
    EXPECT_FALSE(connection.ReadResponse(milliseconds(1000)).has_value())
        << "the body was served as a request of its own";
  }
}

// Regression: 100 Continue was sent, and the body read, before a refusal
// that the headers already decided.
TEST_F(TransportTest, RefusesOnHeadersWithoutAskingForTheBody) {
  struct Case {
    std::string head;
    int status;
    const char* code;
  };
  auto post = [](std::string path, std::string headers) {
    return "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + headers +
           "Content-Length: 5000000\r\nExpect: 100-continue\r\n\r\n";
  };
  std::string bearer = "Authorization: Bearer " + server_.token() + "\r\n";
  const Case cases[] = {
      {post(kPortInPath, "Content-Type: multipart/form-data; boundary=x\r\n"), 401,
       "missing_token"},
      {post("/api/numbers/nowhere", bearer), 404, "not_found"},
      {post("/healthz", bearer), 405, "method_not_allowed"},
      {post(kTollFreePath, bearer + "Content-Type: application/json\r\n"), 413,
       "payload_too_large"},
      {post(kTollFreePath, bearer + "Content-Type: text/plain\r\n"), 415, "unsupported_media_type"},
      // A route that takes JSON or a form holds JSON to the JSON limit too.
      {post("/api/numbers/requests/req_x/messages", bearer + "Content-Type: application/json\r\n"),
       413, "payload_too_large"},
      {post("/api/numbers/requests/req_x/messages", bearer), 413, "payload_too_large"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.head);
    RawConnection connection(server_.port());
    connection.Send(c.head);
    std::optional<RawResponse> response = connection.ReadResponse();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, c.status) << "expected the final answer, not 100 Continue";
    EXPECT_NE(response->body.find(c.code), std::string::npos) << response->body;
  }
}

TEST_F(TransportTest, RefusesJsonSentAsAnotherMediaType) {
  HttpResult result = api_.Post(kTollFreePath, MinimalTollFree().dump(), "text/plain");
  EXPECT_TRUE(IsProblem(result, 415, "unsupported_media_type"));
  result = api_.Post(kTollFreePath, MinimalTollFree().dump(), "application/json; charset=utf-8");
  EXPECT_EQ(result.status, 201);
}

// Regression: a malformed chunk closed the connection with no answer.
TEST_F(TransportTest, AnswersABadChunkWithAProblem) {
  RawConnection connection(server_.port());
  connection.Send(std::string("POST ") + kTollFreePath +
                  " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + server_.token() +
                  "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
  std::optional<RawResponse> response = connection.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 400);
  EXPECT_NE(response->body.find("malformed_request"), std::string::npos);
}

TEST_F(TransportTest, ServesHealthWithoutAToken) {
  HttpResult result = api_.Get("/healthz", {"Authorization:"});
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(result.Json()["status"], "ok");
}

TEST_F(TransportTest, ServesSeveralRequestsOnOneConnection) {
  RawConnection connection(server_.port());
  std::string auth = "Authorization: Bearer " + server_.token() + "\r\n";
  std::string create_body = MinimalTollFree().dump();
  const std::string requests[] = {
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      std::string("GET ") + kRequestsPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + "\r\n",
      std::string("POST ") + kTollFreePath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth +
          "Content-Type: application/json\r\nContent-Length: " +
          std::to_string(create_body.size()) + "\r\n\r\n" + create_body,
      "GET /nope HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      std::string("GET ") + kRequestsPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth + "\r\n",
  };
  const int statuses[] = {200, 200, 201, 404, 200};
  for (std::size_t i = 0; i < std::size(requests); ++i) {
    SCOPED_TRACE(i);
    connection.Send(requests[i]);
    std::optional<RawResponse> response = connection.ReadResponse();
    ASSERT_TRUE(response) << "the connection was not kept alive";
    EXPECT_EQ(response->status, statuses[i]) << response->body;
    EXPECT_NE(response->Header("Connection"), "close");
  }
}

TEST_F(TransportTest, RefusesWhatIsNotHttp) {
  RawConnection connection(server_.port());
  connection.Send("THIS IS NOT HTTP\r\n\r\n");
  std::optional<RawResponse> response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  EXPECT_EQ(response->Header("Content-Type"), "application/problem+json");
  EXPECT_EQ(json::parse(response->body, nullptr, false).value("code", ""), "malformed_request");
}

TEST_F(TransportTest, RefusesOversizedHeadersWithAClientError) {
  RawConnection connection(server_.port());
  connection.Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " +
                  std::string(32 * 1024, 'p') + "\r\n\r\n");
  std::optional<RawResponse> response = connection.ReadResponse();
  ASSERT_TRUE(response);
  EXPECT_GE(response->status, 400);
  EXPECT_LT(response->status, 500);
  EXPECT_EQ(response->Header("Content-Type"), "application/problem+json");
}

TEST_F(TransportTest, FinishesAnUploadInFlightWhenAskedToStop) {
  MultipartBody body = ValidPortIn();
  RawConnection upload(server_.port());
  upload.Send(PortInHead(body.bytes.size(), body.content_type, true));
  // The interim response proves that the server has read the headers and is
  // now waiting for the body.
  std::optional<RawResponse> interim = upload.ReadResponse();
  ASSERT_TRUE(interim);
  ASSERT_EQ(interim->status, 100);

  server_.Signal(SIGTERM);

  // Wait until the server has begun shutting down: it stops accepting.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool refusing = false;
  while (!refusing && std::chrono::steady_clock::now() < deadline) {
    try {
      RawConnection probe(server_.port());
      std::this_thread::sleep_for(milliseconds(10));
    } catch (const std::runtime_error&) {
      refusing = true;
    }
  }
  ASSERT_TRUE(refusing) << "the server kept accepting connections after SIGTERM";

  upload.Send(body.bytes);
  std::optional<RawResponse> response = upload.ReadResponse();
  ASSERT_TRUE(response) << "the upload in flight was cut off by the shutdown";
  EXPECT_EQ(response->status, 201) << response->body;
  EXPECT_EQ(response->Header("Connection"), "close");

  EXPECT_EQ(server_.WaitForExit(milliseconds(20000)), 0);
}

TEST_F(TransportTest, ClosesIdleConnectionsAndExitsCleanlyOnSigterm) {
  RawConnection idle(server_.port());
  idle.Send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  ASSERT_TRUE(idle.ReadResponse());

  auto started = std::chrono::steady_clock::now();
  server_.Signal(SIGTERM);
  EXPECT_TRUE(idle.WaitForClose(milliseconds(10000)));
  EXPECT_EQ(server_.WaitForExit(milliseconds(20000)), 0);
  // An idle keep-alive connection must not hold the shutdown for its grace period.
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

// A connection that sends nothing, or stops halfway through its headers, is
// closed once the idle timeout has passed, so it cannot hold a slot forever.
TEST(TransportTimeouts, ClosesSilentAndStalledConnections) {
  ServerProcess server({"--idle-timeout", "1"});
  RawConnection silent(server.port());
  RawConnection stalled(server.port());
  stalled.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n");

  // Regression: a body that stopped coming was waited for for ever.
  RawConnection stalled_body(server.port());
  stalled_body.Send(std::string("POST ") + kTollFreePath +
                    " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + server.token() +
                    "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");

  EXPECT_TRUE(silent.WaitForClose(std::chrono::milliseconds(5000)));
  EXPECT_TRUE(stalled.WaitForClose(std::chrono::milliseconds(5000)));
  EXPECT_TRUE(stalled_body.WaitForClose(std::chrono::milliseconds(5000)));

  RawConnection fresh(server.port());
  fresh.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  std::optional<RawResponse> response = fresh.ReadResponse();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
}

}  // namespace
}  // namespace numberdesk::testing
