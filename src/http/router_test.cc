#include "http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace numberdesk::http {
namespace {

using Methods = std::vector<std::string>;

// A handler that answers with its own name, so a test can see which ran.
RouteHandler Named(std::string name) {
  return [name](const HttpRequest&, const PathParams&) {
    HttpResponse response;
    response.body = name;
    return response;
  };
}

// The name of the handler `match` chose, or "" when none.
std::string HandlerOf(const Router::Match& match) {
  if (match.route == nullptr) return "";
  return match.route->handler(HttpRequest{}, match.params).body;
}

class RouterTest : public ::testing::Test {
 protected:
  RouterTest() {
    router_.Add("GET", "/api/numbers/requests", Named("list"));
    router_.Add("GET", "/api/numbers/requests/{id}", Named("get"));
    router_.Add("GET", "/api/numbers/requests/export", Named("export"));
    router_.Add("GET", "/api/numbers/requests/{id}/documents/{doc}", Named("document"));
    router_.Add("POST", "/api/numbers/add-port-request", Named("port"));
  }

  Router router_;
};

TEST_F(RouterTest, MatchesLiteralPath) {
  Router::Match match = router_.Find("GET", "/api/numbers/requests");

  EXPECT_EQ(HandlerOf(match), "list");
  EXPECT_TRUE(match.allowed.empty());
}

TEST_F(RouterTest, CapturesSegments) {
  Router::Match match = router_.Find("GET", "/api/numbers/requests/req_1/documents/doc_2");

  EXPECT_EQ(HandlerOf(match), "document");
  EXPECT_EQ(match.params.Get("id"), "req_1");
  EXPECT_EQ(match.params.Get("doc"), "doc_2");
}

TEST_F(RouterTest, LiteralBeatsCaptureWhateverTheOrderOfRegistration) {
  Router reversed;
  reversed.Add("GET", "/items/export", Named("export"));
  reversed.Add("GET", "/items/{id}", Named("get"));

  EXPECT_EQ(HandlerOf(router_.Find("GET", "/api/numbers/requests/export")), "export");
  EXPECT_EQ(HandlerOf(reversed.Find("GET", "/items/export")), "export");
  EXPECT_EQ(HandlerOf(router_.Find("GET", "/api/numbers/requests/req_1")), "get");
  EXPECT_EQ(HandlerOf(reversed.Find("GET", "/items/req_1")), "get");
}

TEST(Router, EarlierLiteralBeatsLaterLiteral) {
  // Both patterns have two literals; at the second segment only one has a literal.
  Router router;
  router.Add("GET", "/requests/{id}/documents", Named("documents of a request"));
  router.Add("GET", "/requests/export/{format}", Named("export"));

  Router::Match match = router.Find("GET", "/requests/export/documents");

  EXPECT_EQ(HandlerOf(match), "export");
  EXPECT_EQ(match.params.Get("format"), "documents");
}

TEST_F(RouterTest, PercentDecodesCaptures) {
  Router::Match match = router_.Find("GET", "/api/numbers/requests/req%5F1%20%E2%82%AC");

  EXPECT_EQ(HandlerOf(match), "get");
  EXPECT_EQ(match.params.Get("id"), "req_1 \u20ac");
}

TEST_F(RouterTest, EncodedSlashStaysInsideOneCapture) {
  Router::Match match = router_.Find("GET", "/api/numbers/requests/a%2Fb");

  EXPECT_EQ(HandlerOf(match), "get");
  EXPECT_EQ(match.params.Get("id"), "a/b");
}

TEST_F(RouterTest, MalformedEscapeInCaptureMatchesNothing) {
  for (std::string_view path :
       {"/api/numbers/requests/%zz", "/api/numbers/requests/%4", "/api/numbers/requests/req%00"}) {
    SCOPED_TRACE(path);
    Router::Match match = router_.Find("GET", path);
    EXPECT_EQ(match.route, nullptr);
    EXPECT_TRUE(match.allowed.empty());
  }
}

TEST_F(RouterTest, EmptyCaptureMatchesNothing) {
  EXPECT_EQ(router_.Find("GET", "/api/numbers/requests//documents/doc_2").route, nullptr);
}

TEST_F(RouterTest, IgnoresOneTrailingSlash) {
  Router::Match list = router_.Find("GET", "/api/numbers/requests/");
  Router::Match get = router_.Find("GET", "/api/numbers/requests/req_1/");

  EXPECT_EQ(HandlerOf(list), "list");
  EXPECT_EQ(HandlerOf(get), "get");
  EXPECT_EQ(get.params.Get("id"), "req_1");
}

TEST_F(RouterTest, UnknownPathMatchesNothing) {
  for (std::string_view path :
       {"/api/numbers", "/api/numbers/requests/req_1/documents", "/API/numbers/requests",
        "/api/numbers/requests/req_1/documents/doc_2/extra"}) {
    SCOPED_TRACE(path);
    Router::Match match = router_.Find("GET", path);
    EXPECT_EQ(match.route, nullptr);
    EXPECT_TRUE(match.allowed.empty());
  }
}

TEST_F(RouterTest, WrongMethodListsAllowedMethods) {
  router_.Add("DELETE", "/api/numbers/requests/{id}", Named("delete"));

  Router::Match port = router_.Find("GET", "/api/numbers/add-port-request");
  Router::Match request = router_.Find("PUT", "/api/numbers/requests/req_1");

  EXPECT_EQ(port.route, nullptr);
  EXPECT_EQ(port.allowed, Methods{"POST"});
  EXPECT_EQ(request.route, nullptr);
  EXPECT_EQ(request.allowed, (Methods{"GET", "DELETE"}));
}

TEST_F(RouterTest, AllowedMethodsAreListedOnce) {
  // Both "/api/numbers/requests/{id}" and ".../export" accept GET.
  router_.Add("POST", "/api/numbers/requests/export", Named("start export"));

  Router::Match match = router_.Find("DELETE", "/api/numbers/requests/export");

  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.allowed, (Methods{"GET", "POST"}));
}

TEST_F(RouterTest, RefusesSameRouteTwice) {
  EXPECT_THROW(router_.Add("GET", "/api/numbers/requests", Named("again")), std::logic_error);
}

TEST(PathParams, ThrowsForUnknownName) {
  PathParams params;
  params.Set("id", "req_1");

  EXPECT_EQ(params.Get("id"), "req_1");
  EXPECT_THROW(params.Get("doc"), std::logic_error);
}

TEST(PercentDecode, DecodesEscapesInAnyCase) {
  EXPECT_EQ(PercentDecode("%41%62%e2%82%AC"), "Ab\u20ac");
  EXPECT_EQ(PercentDecode("plain"), "plain");
  EXPECT_EQ(PercentDecode(""), "");
}

TEST(PercentDecode, KeepsPlusSign) {
  EXPECT_EQ(PercentDecode("a+b"), "a+b");
}

TEST(PercentDecode, RefusesMalformedEscapes) {
  for (std::string_view text : {"%", "%4", "abc%", "%g1", "%1g", "%%41"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(PercentDecode(text).has_value());
  }
}

TEST(PercentDecode, RefusesNulByte) {
  EXPECT_FALSE(PercentDecode("a%00b").has_value());
}

TEST(PercentDecode, SaysWhetherAnEscapeWasMalformedOrANulByte) {
  PercentDecodeError error = PercentDecodeError::kMalformedEscape;
  EXPECT_FALSE(PercentDecode("a%00b", &error).has_value());
  EXPECT_EQ(error, PercentDecodeError::kNulByte);

  for (std::string_view text : {"%", "%4", "%g1", "%0"}) {
    SCOPED_TRACE(text);
    error = PercentDecodeError::kNulByte;
    EXPECT_FALSE(PercentDecode(text, &error).has_value());
    EXPECT_EQ(error, PercentDecodeError::kMalformedEscape);
  }
}

TEST(PercentEncode, KeepsUnreservedCharacters) {
  EXPECT_EQ(PercentEncode("AZaz09-._~"), "AZaz09-._~");
}

TEST(PercentEncode, EscapesEverythingElseInUpperCaseHex) {
  EXPECT_EQ(PercentEncode("Lettre d\u2019autorisation.pdf"), "Lettre%20d%E2%80%99autorisation.pdf");
  EXPECT_EQ(PercentEncode("a/b?c=d&e+f%\"'"), "a%2Fb%3Fc%3Dd%26e%2Bf%25%22%27");
}

TEST(PercentEncode, RoundTripsThroughPercentDecode) {
  std::string name = "scan 2026/12 \u00e9t\u00e9 (1).pdf";

  EXPECT_EQ(PercentDecode(PercentEncode(name)), name);
}

}  // namespace
}  // namespace numberdesk::http
