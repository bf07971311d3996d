#ifndef NUMBERDESK_TESTS_HTTP_HTTP_CLIENT_H_
#define NUMBERDESK_TESTS_HTTP_HTTP_CLIENT_H_

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace numberdesk::testing {

// The published paths.
inline constexpr char kNonTollFreePath[] = "/api/numbers/add-new-number-request/non-toll-free";
inline constexpr char kTollFreePath[] = "/api/numbers/add-new-number-request/toll-free";
inline constexpr char kPortInPath[] = "/api/numbers/add-port-request";
inline constexpr char kRequestsPath[] = "/api/numbers/requests";

// Header fields of a response, in arrival order.
using HeaderFields = std::vector<std::pair<std::string, std::string>>;

// FindHeader returns the first field called `name`, matched in any letter case.
std::optional<std::string> FindHeader(const HeaderFields& headers, std::string_view name);

// What the server answered: the final response only (interim 1xx responses
// are left out).
struct HttpResult {
  long status = 0;  // 0 when the transfer failed; see `transport_error`
  HeaderFields headers;
  std::string body;
  std::string transport_error;  // libcurl's message when the transfer failed

  std::optional<std::string> Header(std::string_view name) const {
    return FindHeader(headers, name);
  }
  // Json parses the body; a body that is not JSON gives a discarded value.
  nlohmann::json Json() const;
};

// One part of a multipart/form-data body. A part without `filename` is a
// plain field; without `content_type` no Content-Type is sent for it.
struct FormPart {
  std::string name;
  std::optional<std::string> filename;
  std::optional<std::string> content_type;
  std::string bytes;
};

// HttpClient is a small libcurl client for one server. It keeps one
// connection alive between calls. Every call sends
// "Authorization: Bearer <token>" unless `headers` has its own Authorization
// line ("Authorization:" alone sends none), and sends no "Expect" header
// unless asked to.
//
// Every response is checked, so that no test can miss it: a 5xx is a test
// failure, a 4xx must be an application/problem+json document with a "code",
// and each response must carry "api-supported-versions".
//
// `headers` are raw lines such as "api-version: 1.0", with libcurl's rules:
// "Name:" removes a header, "Name;" sends it empty.
class HttpClient {
 public:
  HttpClient(std::string base_url, std::string token);
  ~HttpClient();

  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResult Get(std::string_view path, const std::vector<std::string>& headers = {});
  HttpResult PostJson(std::string_view path, const nlohmann::json& body,
                      const std::vector<std::string>& headers = {});
  // Post sends `body` as it is, with `content_type`.
  HttpResult Post(std::string_view path, const std::string& body, std::string_view content_type,
                  const std::vector<std::string>& headers = {});
  HttpResult PostMultipart(std::string_view path, const std::vector<FormPart>& parts,
                           const std::vector<std::string>& headers = {},
                           bool expect_continue = false);
  // Send issues any method with an optional body.
  HttpResult Send(std::string_view method, std::string_view path, const std::string& body = {},
                  const std::vector<std::string>& headers = {});

  void set_token(std::string token) { token_ = std::move(token); }

 private:
  struct Body;
  HttpResult Perform(std::string_view method, std::string_view path, const Body& body,
                     const std::vector<std::string>& headers, bool expect_continue);

  std::string base_url_;
  std::string token_;
  void* curl_;  // CURL*, kept out of this header
};

// A multipart/form-data body built by hand, for raw-socket tests.
struct MultipartBody {
  std::string content_type;  // with the boundary
  std::string bytes;
};
MultipartBody BuildMultipart(const std::vector<FormPart>& parts);

// A response read from a raw socket.
struct RawResponse {
  int status = 0;
  std::string status_line;  // "HTTP/1.1 201 Created"
  HeaderFields headers;
  std::string body;

  std::optional<std::string> Header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

// RawConnection is a plain TCP connection to 127.0.0.1, for checking exactly
// what the server sends and when (interim responses, early refusals,
// keep-alive). Sends never raise SIGPIPE. Methods throw std::runtime_error on
// socket errors.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();

  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void Send(std::string_view bytes);

  // ReadResponse reads one response: status line, header fields and, unless
  // it is interim (1xx), a body of Content-Length bytes. Nothing if the
  // response is not complete within `timeout` or the connection closes first.
  // `to_head` says the response answers a HEAD request: it has no body,
  // whatever its Content-Length says.
  std::optional<RawResponse> ReadResponse(
      std::chrono::milliseconds timeout = std::chrono::milliseconds(10000), bool to_head = false);

  // WaitForClose reads and discards until the server closes the connection;
  // false if it is still open after `timeout`.
  bool WaitForClose(std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));

 private:
  // Reads more bytes into buffer_; false on close, error or timeout.
  bool Fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;
};

// IsProblem checks that `result` is an RFC 9457 problem response with
// `status` and top-level `code`.
::testing::AssertionResult IsProblem(const HttpResult& result, long status, std::string_view code);

// HasFieldError checks that a validation problem has an entry in "errors"
// with this JSON `pointer` and `code`.
::testing::AssertionResult HasFieldError(const HttpResult& result, std::string_view pointer,
                                         std::string_view code);

// HasPartError checks the same for an entry naming a multipart `part`.
::testing::AssertionResult HasPartError(const HttpResult& result, std::string_view part,
                                        std::string_view code);

// FieldError returns the "errors" entry for `pointer` (or null), e.g. to read
// its detail.
nlohmann::json FieldError(const HttpResult& result, std::string_view pointer);

// ExpectCreated checks what every 201 for a new request carries (Location,
// a random id, status "submitted", RFC 3339 UTC times close to now, a
// "submitted" event) and that its type is `type`; it returns the request.
nlohmann::json ExpectCreated(const HttpResult& result, std::string_view type);

// The smallest valid bodies of each kind of request. Each port-in is for a
// different number, in 978-263-2000 to 978-263-9999.
nlohmann::json MinimalNonTollFree();
nlohmann::json MinimalTollFree();
nlohmann::json MinimalPortInData();

// PortInParts returns the three parts of a port-in: `data` as a plain field,
// then loaFile "loa.pdf" and billFile "bill.pdf" as application/pdf.
std::vector<FormPart> PortInParts(const nlohmann::json& data, std::string loa, std::string bill);

}  // namespace numberdesk::testing

#endif  // NUMBERDESK_TESTS_HTTP_HTTP_CLIENT_H_
