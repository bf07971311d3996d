#include "http/http_client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <mutex>
#include <regex>
#include <stdexcept>

namespace numberdesk::testing {
namespace {

using Clock = std::chrono::steady_clock;

constexpr long kTransferTimeoutMs = 60000;

char Lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return Lower(x) == Lower(y); });
}

bool StartsWithIgnoringCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsIgnoringCase(text.substr(0, prefix.size()), prefix);
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

// Adds "Name: value" from one header line; other lines are ignored.
void AddHeaderLine(std::string_view line, HeaderFields& headers) {
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return;
  headers.emplace_back(std::string(Trim(line.substr(0, colon))),
                       std::string(Trim(line.substr(colon + 1))));
}

void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t CollectBody(char* data, size_t size, size_t count, void* sink) {
  static_cast<std::string*>(sink)->append(data, size * count);
  return size * count;
}

// Keeps the header fields of the last response only, so that an interim
// "100 Continue" does not mix with the final response's fields.
size_t CollectHeader(char* data, size_t size, size_t count, void* sink) {
  auto* headers = static_cast<HeaderFields*>(sink);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    headers->clear();
  } else {
    AddHeaderLine(line, *headers);
  }
  return size * count;
}

bool HasHeaderLine(const std::vector<std::string>& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(), [&](const std::string& line) {
    return StartsWithIgnoringCase(line, name) && line.size() > name.size() &&
           (line[name.size()] == ':' || line[name.size()] == ';');
  });
}

// RecordResponse appends the exchange to
// $NUMBERDESK_RESPONSE_CAPTURE_DIR/<pid>.jsonl when that variable is set, so
// that the responses of every test can be checked against the OpenAPI
// document afterwards (tests/openapi/check_responses.mjs). JSON bodies are
// kept parsed; other bodies are left out.
void RecordResponse(const HttpResult& result, std::string_view method, std::string_view path) {
  static const char* folder = std::getenv("NUMBERDESK_RESPONSE_CAPTURE_DIR");
  if (folder == nullptr || *folder == '\0') return;
  static std::mutex mutex;
  static std::ofstream out(std::string(folder) + "/" + std::to_string(::getpid()) + ".jsonl",
                           std::ios::app);
  std::string content_type = result.Header("Content-Type").value_or("");
  nlohmann::json body = nullptr;
  if (content_type.find("json") != std::string::npos && !result.body.empty()) {
    body = nlohmann::json::parse(result.body, nullptr, /*allow_exceptions=*/false);
    // A body that claims JSON but is not must fail the check, not vanish.
    if (body.is_discarded()) body = "(not JSON) " + result.body.substr(0, 200);
  }
  const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
  nlohmann::json line = {
      {"test", test != nullptr ? test->name() : ""},
      {"method", method},
      {"path", path.substr(0, path.find('?'))},
      {"status", result.status},
      {"content_type", content_type},
      {"body", body},
  };
  std::lock_guard lock(mutex);
  out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  out.flush();
}

// The checks every response must pass, whatever the test is about.
void CheckEveryResponse(const HttpResult& result, std::string_view method, std::string_view path) {
  std::string what = std::string(method) + " " + std::string(path);
  EXPECT_LT(result.status, 500) << what << " answered a server error: " << result.body;
  EXPECT_TRUE(result.Header("api-supported-versions").has_value())
      << what << " answered " << result.status << " without api-supported-versions";
  if (result.status >= 400 && result.status < 500) {
    EXPECT_EQ(result.Header("Content-Type").value_or(""), "application/problem+json")
        << what << " answered " << result.status << " without a problem document";
    nlohmann::json body = result.Json();
    EXPECT_TRUE(body.is_object() && body.contains("code") && body["code"].is_string())
        << what << " answered " << result.status << " without a code: " << result.body;
    if (body.is_object()) {
      EXPECT_EQ(body.value("status", 0), result.status) << what << ": " << result.body;
    }
  }
}

::testing::AssertionResult HasEntry(const HttpResult& result, std::string_view key,
                                    std::string_view value, std::string_view code) {
  nlohmann::json body = result.Json();
  if (!body.is_object() || !body.contains("errors") || !body["errors"].is_array()) {
    return ::testing::AssertionFailure()
           << "status " << result.status << " with no errors array: " << result.body;
  }
  for (const nlohmann::json& entry : body["errors"]) {
    if (entry.value(std::string(key), "") == value && entry.value("code", "") == code) {
      return ::testing::AssertionSuccess();
    }
  }
  return ::testing::AssertionFailure()
         << "no error with " << key << " \"" << value << "\" and code \"" << code
         << "\" in: " << body["errors"].dump();
}

}  // namespace

std::optional<std::string> FindHeader(const HeaderFields& headers, std::string_view name) {
  for (const auto& [field, value] : headers) {
    if (EqualsIgnoringCase(field, name)) return value;
  }
  return std::nullopt;
}

nlohmann::json HttpResult::Json() const {
  return nlohmann::json::parse(body, nullptr, false);
}

struct HttpClient::Body {
  const std::string* raw = nullptr;  // sent as is when set
  std::string content_type;
  const std::vector<FormPart>* parts = nullptr;  // sent as multipart when set
};

HttpClient::HttpClient(std::string base_url, std::string token)
    : base_url_(std::move(base_url)), token_(std::move(token)) {
  InitCurlOnce();
  curl_ = curl_easy_init();
  if (curl_ == nullptr) throw std::runtime_error("curl_easy_init failed");
}

HttpClient::~HttpClient() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResult HttpClient::Get(std::string_view path, const std::vector<std::string>& headers) {
  return Perform("GET", path, Body{}, headers, false);
}

HttpResult HttpClient::PostJson(std::string_view path, const nlohmann::json& body,
                                const std::vector<std::string>& headers) {
  std::string text = body.dump();
  return Perform("POST", path, Body{&text, "application/json", nullptr}, headers, false);
}

HttpResult HttpClient::Post(std::string_view path, const std::string& body,
                            std::string_view content_type,
                            const std::vector<std::string>& headers) {
  return Perform("POST", path, Body{&body, std::string(content_type), nullptr}, headers, false);
}

HttpResult HttpClient::PostMultipart(std::string_view path, const std::vector<FormPart>& parts,
                                     const std::vector<std::string>& headers,
                                     bool expect_continue) {
  return Perform("POST", path, Body{nullptr, {}, &parts}, headers, expect_continue);
}

HttpResult HttpClient::Send(std::string_view method, std::string_view path, const std::string& body,
                            const std::vector<std::string>& headers) {
  Body payload;
  if (!body.empty()) payload = Body{&body, "application/json", nullptr};
  return Perform(method, path, payload, headers, false);
}

HttpResult HttpClient::Perform(std::string_view method, std::string_view path, const Body& body,
                               const std::vector<std::string>& headers, bool expect_continue) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);  // keeps the live connection for the next request
  HttpResult result;
  std::string url = base_url_ + std::string(path);
  std::string method_text(method);

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, kTransferTimeoutMs);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, CollectBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, CollectHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);

  curl_slist* header_list = nullptr;
  auto add_header = [&](const std::string& line) {
    header_list = curl_slist_append(header_list, line.c_str());
  };
  for (const std::string& line : headers) {
    add_header(line);
  }
  if (!HasHeaderLine(headers, "Authorization")) add_header("Authorization: Bearer " + token_);
  if (!HasHeaderLine(headers, "Expect")) {
    add_header(expect_continue ? "Expect: 100-continue" : "Expect:");
  }

  curl_mime* mime = nullptr;
  if (body.parts != nullptr) {
    mime = curl_mime_init(curl);
    for (const FormPart& part : *body.parts) {
      curl_mimepart* field = curl_mime_addpart(mime);
      curl_mime_name(field, part.name.c_str());
      curl_mime_data(field, part.bytes.data(), part.bytes.size());
      if (part.filename) curl_mime_filename(field, part.filename->c_str());
      if (part.content_type) curl_mime_type(field, part.content_type->c_str());
    }
    curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime);
  } else if (body.raw != nullptr) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.raw->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.raw->size()));
    if (!HasHeaderLine(headers, "Content-Type")) add_header("Content-Type: " + body.content_type);
  }
  if (method != "GET" && method != "POST") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method_text.c_str());
  } else if (method == "POST" && body.parts == nullptr && body.raw == nullptr) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");  // an empty body, never stdin
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, 0L);
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);

  CURLcode code = curl_easy_perform(curl);
  if (code == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  } else {
    result.transport_error = curl_easy_strerror(code);
  }
  curl_slist_free_all(header_list);
  curl_mime_free(mime);

  if (code != CURLE_OK) {
    ADD_FAILURE() << method << " " << path << " failed: " << result.transport_error;
  } else {
    CheckEveryResponse(result, method, path);
    RecordResponse(result, method, path);
  }
  return result;
}

MultipartBody BuildMultipart(const std::vector<FormPart>& parts) {
  const std::string boundary = "numberdesk-test-boundary-5b8e1f0c";
  MultipartBody body;
  body.content_type = "multipart/form-data; boundary=" + boundary;
  for (const FormPart& part : parts) {
    body.bytes +=
        "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.name + "\"";
    if (part.filename) body.bytes += "; filename=\"" + *part.filename + "\"";
    body.bytes += "\r\n";
    if (part.content_type) body.bytes += "Content-Type: " + *part.content_type + "\r\n";
    body.bytes += "\r\n" + part.bytes + "\r\n";
  }
  body.bytes += "--" + boundary + "--\r\n";
  return body;
}

RawConnection::RawConnection(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    int error = errno;
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error(std::string("connect: ") + std::strerror(error));
  }
  timeval send_timeout{10, 0};  // a stalled server fails the test instead of hanging it
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof send_timeout);
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

void RawConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) throw std::runtime_error(std::string("send: ") + std::strerror(errno));
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
}

bool RawConnection::Fill(Clock::time_point deadline) {
  while (true) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd ready{fd_, POLLIN, 0};
    int polled = ::poll(&ready, 1, static_cast<int>(left));
    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0) return false;
    char chunk[64 * 1024];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
}

std::optional<RawResponse> RawConnection::ReadResponse(std::chrono::milliseconds timeout,
                                                       bool to_head) {
  auto deadline = Clock::now() + timeout;
  std::size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill(deadline)) return std::nullopt;
  }

  RawResponse response;
  std::string_view head(buffer_.data(), head_end);
  std::size_t line_end = head.find("\r\n");
  response.status_line = std::string(head.substr(0, line_end));
  if (response.status_line.size() >= 12) {
    response.status = std::atoi(response.status_line.c_str() + 9);  // after "HTTP/1.1 "
  }
  while (line_end != std::string_view::npos) {
    head.remove_prefix(line_end + 2);
    line_end = head.find("\r\n");
    AddHeaderLine(head.substr(0, line_end), response.headers);
  }
  std::size_t body_begin = head_end + 4;

  std::size_t length = 0;
  if (response.status >= 200 && !to_head) {
    length = std::stoul(response.Header("Content-Length").value_or("0"));
  }
  while (buffer_.size() < body_begin + length) {
    if (!Fill(deadline)) return std::nullopt;
  }
  response.body = buffer_.substr(body_begin, length);
  buffer_.erase(0, body_begin + length);
  return response;
}

bool RawConnection::WaitForClose(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    pollfd ready{fd_, POLLIN, 0};
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    int polled = ::poll(&ready, 1, static_cast<int>(std::max<long long>(left, 1)));
    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0) continue;
    char chunk[64 * 1024];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;  // closed or reset
  }
  buffer_.clear();
  return false;
}

::testing::AssertionResult IsProblem(const HttpResult& result, long status, std::string_view code) {
  nlohmann::json body = result.Json();
  std::string content_type = result.Header("Content-Type").value_or("");
  if (result.status != status || content_type != "application/problem+json" || !body.is_object() ||
      body.value("code", "") != code) {
    return ::testing::AssertionFailure()
           << "expected a " << status << " problem with code \"" << code << "\", got "
           << result.status << " (" << content_type << "): " << result.body;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult HasFieldError(const HttpResult& result, std::string_view pointer,
                                         std::string_view code) {
  return HasEntry(result, "pointer", pointer, code);
}

::testing::AssertionResult HasPartError(const HttpResult& result, std::string_view part,
                                        std::string_view code) {
  return HasEntry(result, "part", part, code);
}

nlohmann::json FieldError(const HttpResult& result, std::string_view pointer) {
  nlohmann::json body = result.Json();
  if (!body.is_object() || !body.contains("errors")) return nullptr;
  for (const nlohmann::json& entry : body["errors"]) {
    if (entry.value("pointer", "") == pointer) return entry;
  }
  return nullptr;
}

nlohmann::json ExpectCreated(const HttpResult& result, std::string_view type) {
  EXPECT_EQ(result.status, 201) << result.body;
  EXPECT_EQ(result.Header("Content-Type"), "application/json");
  nlohmann::json body = result.Json();
  if (!body.is_object()) {
    ADD_FAILURE() << "the 201 body is not a JSON object: " << result.body;
    return body;
  }

  std::string id = body.value("id", "");
  static const std::regex kId("^req_[a-z2-7]{26}$");
  EXPECT_TRUE(std::regex_match(id, kId)) << "id " << id;
  EXPECT_EQ(result.Header("Location"), "/api/numbers/requests/" + id);
  EXPECT_EQ(body.value("type", ""), type);
  EXPECT_EQ(body.value("status", ""), "submitted");

  static const std::regex kUtc(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$)");
  std::string created_at = body.value("created_at", "");
  EXPECT_TRUE(std::regex_match(created_at, kUtc)) << "created_at " << created_at;
  EXPECT_EQ(body.value("updated_at", ""), created_at);
  std::tm parsed{};
  if (::strptime(created_at.c_str(), "%Y-%m-%dT%H:%M:%S", &parsed) != nullptr) {
    long skew = static_cast<long>(::timegm(&parsed) - std::time(nullptr));
    EXPECT_LE(std::labs(skew), 300) << "created_at " << created_at << " is not now (UTC)";
  }

  const nlohmann::json& events = body["events"];
  EXPECT_EQ(events.size(), 1u) << events.dump();
  if (events.size() == 1) {
    EXPECT_EQ(events[0].value("new_status", ""), "submitted");
    EXPECT_TRUE(events[0]["old_status"].is_null());
    EXPECT_EQ(events[0].value("occurred_at", ""), created_at);
  }
  return body;
}

nlohmann::json MinimalNonTollFree() {
  return {{"country_code", "US"},
          {"region", "MA"},
          {"notify_email", nlohmann::json::array({"jdoe@example.com"})}};
}

nlohmann::json MinimalTollFree() {
  return {{"country_code", "US"}, {"notify_email", nlohmann::json::array({"jdoe@example.com"})}};
}

nlohmann::json MinimalPortInData() {
  // A number of its own each time: one number may have one open port-in.
  static std::atomic<int> next_line{2000};
  return {{"country_code", "US"},
          {"notify_email", nlohmann::json::array({"jdoe@example.com"})},
          {"number_to_port", "+1978263" + std::to_string(next_line++ % 8000 + 2000)}};
}

std::vector<FormPart> PortInParts(const nlohmann::json& data, std::string loa, std::string bill) {
  return {
      FormPart{"data", std::nullopt, std::nullopt, data.dump()},
      FormPart{"loaFile", "loa.pdf", "application/pdf", std::move(loa)},
      FormPart{"billFile", "bill.pdf", "application/pdf", std::move(bill)},
  };
}

}  // namespace numberdesk::testing
