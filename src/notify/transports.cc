#include "notify/transports.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <cstring>

#include "documents/document_files.h"
#include "security/random_ids.h"

namespace numberdesk {
namespace {

CURL* NewHandle() {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) throw std::runtime_error("libcurl could not make a handle");
  return curl;
}

// The message an attempt failed with: libcurl's detail when it has one.
std::string CurlFailure(CURLcode code, const char* detail) {
  std::string message = curl_easy_strerror(code);
  if (detail != nullptr && detail[0] != '\0') message += ": " + std::string(detail);
  while (!message.empty() && (message.back() == '\n' || message.back() == '\r'))
    message.pop_back();
  return message;
}

// Upload feeds libcurl the bytes of one message.
struct Upload {
  std::string_view bytes;
  std::size_t offset = 0;
};

std::size_t ReadUpload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  std::size_t n = std::min(size * count, upload->bytes.size() - upload->offset);
  std::memcpy(buffer, upload->bytes.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

std::size_t Discard(char*, std::size_t size, std::size_t count, void*) {
  return size * count;
}

// CurlList owns a curl_slist.
struct CurlList {
  curl_slist* list = nullptr;
  ~CurlList() { curl_slist_free_all(list); }
  void Add(const std::string& item) {
    curl_slist* grown = curl_slist_append(list, item.c_str());
    if (grown == nullptr) throw std::bad_alloc();
    list = grown;
  }
};

// CurlUrl owns a parsed URL.
struct CurlUrl {
  CURLU* url = curl_url();
  ~CurlUrl() { curl_url_cleanup(url); }
  // Part returns one part of the URL, or nothing when it has none.
  std::optional<std::string> Part(CURLUPart part) const {
    char* value = nullptr;
    if (curl_url_get(url, part, &value, 0) != CURLUE_OK || value == nullptr) return std::nullopt;
    std::string copy = value;
    curl_free(value);
    return copy;
  }
};

// The longest host name DNS can carry, and the longest label in it.
constexpr std::size_t kMaxHostNameLength = 253;
constexpr std::size_t kMaxLabelLength = 63;

constexpr char kPortRange[] = "The port must be from 1 to 65535.";

bool IsAsciiDigit(char c) {
  return c >= '0' && c <= '9';
}

// IsDottedQuad reports whether `host` is an IPv4 address written as four
// decimal numbers from 0 to 255. libcurl has already rewritten the short
// forms ("127.1", "0x7f.1") this way, and leaves anything else as it was.
bool IsDottedQuad(std::string_view host) {
  in_addr address;
  return inet_pton(AF_INET, std::string(host).c_str(), &address) == 1;
}

// CheckWebhookHost returns why `host`, as libcurl parsed it, cannot be
// posted to, or nothing: a bracketed IPv6 literal, an IPv4 address, or a DNS
// name of letters, digits and hyphens (RFC 1123), which may end with the
// root's dot.
std::optional<std::string> CheckWebhookHost(std::string_view host) {
  if (host.front() == '[') {
    // libcurl accepts only a valid IPv6 address between brackets.
    return std::nullopt;
  }
  if (std::any_of(host.begin(), host.end(),
                  [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    return "Write a host name with non-ASCII letters in its ASCII form (xn--...).";
  }
  if (IsDottedQuad(host)) return std::nullopt;

  std::string_view name = host;
  if (name.ends_with('.')) name.remove_suffix(1);
  if (name.empty() || name.size() > kMaxHostNameLength) {
    return "The host must be a DNS name of at most 253 characters, or an IP address.";
  }
  std::string_view last_label;
  for (std::size_t start = 0; start <= name.size();) {
    std::size_t dot = std::min(name.find('.', start), name.size());
    std::string_view label = name.substr(start, dot - start);
    if (label.empty()) return "The host may not have an empty label (\"..\").";
    if (label.size() > kMaxLabelLength) {
      return "Each dot-separated part of the host may be up to 63 characters.";
    }
    if (!std::all_of(label.begin(), label.end(), [](char c) {
          return IsAsciiDigit(c) || c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        })) {
      return "The host may hold only letters, digits, hyphens and dots.";
    }
    if (label.front() == '-' || label.back() == '-') {
      return "A part of the host may not start or end with a hyphen.";
    }
    last_label = label;
    start = dot + 1;
  }
  // No top-level domain is all digits; a host ending in digits is an IPv4
  // address that is out of range ("999.1.1.1").
  if (std::all_of(last_label.begin(), last_label.end(), IsAsciiDigit)) {
    return "The host is not a valid IPv4 address.";
  }
  return std::nullopt;
}

}  // namespace

SmtpTransport::SmtpTransport(SmtpSettings settings)
    : settings_(std::move(settings)), curl_(NewHandle()) {}

SmtpTransport::~SmtpTransport() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

void SmtpTransport::Send(const OutboxMessage& message) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);  // keeps the open connection, forgets the last message's options
  char detail[CURL_ERROR_SIZE] = "";
  Upload upload{message.payload};
  CurlList recipients;
  recipients.Add("<" + message.recipient + ">");
  std::string from = "<" + settings_.envelope_from + ">";

  curl_easy_setopt(curl, CURLOPT_URL, settings_.url.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients.list);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.payload.size()));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(settings_.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT,
                   std::min(10L, static_cast<long>(settings_.timeout.count())));
  long tls = settings_.tls == SmtpSettings::Tls::kRequired ? CURLUSESSL_ALL
             : settings_.tls == SmtpSettings::Tls::kTry    ? CURLUSESSL_TRY
                                                           : CURLUSESSL_NONE;
  curl_easy_setopt(curl, CURLOPT_USE_SSL, tls);
  if (!settings_.user.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, settings_.user.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, settings_.password.c_str());
  }

  CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) throw DeliveryError("SMTP: " + CurlFailure(code, detail));
}

MailFolderTransport::MailFolderTransport(std::filesystem::path folder)
    : folder_(std::move(folder)) {
  std::filesystem::create_directories(folder_);
}

void MailFolderTransport::Send(const OutboxMessage& message) {
  // "2026-12-04T05:10:00.123Z" -> "20261204T051000123Z": files sort by time.
  std::string stamp;
  for (char c : message.created_at) {
    if (c != '-' && c != ':' && c != '.') stamp += c;
  }
  try {
    WriteFileAtomically(folder_ / (stamp + "-" + message.id + ".eml"), message.payload);
  } catch (const std::exception& error) {
    throw DeliveryError(error.what());
  }
}

std::string WebhookSignature(std::string_view secret, std::int64_t unix_seconds,
                             std::string_view body) {
  std::string t = std::to_string(unix_seconds);
  std::string signed_text = t + "." + std::string(body);
  return "t=" + t + ",v1=" + HmacSha256Hex(secret, signed_text);
}

HttpWebhookTransport::HttpWebhookTransport(std::chrono::seconds timeout)
    : timeout_(timeout), curl_(NewHandle()) {}

HttpWebhookTransport::~HttpWebhookTransport() {
  curl_easy_cleanup(static_cast<CURL*>(curl_));
}

void HttpWebhookTransport::Post(const Webhook& webhook, const OutboxMessage& message) {
  CURL* curl = static_cast<CURL*>(curl_);
  curl_easy_reset(curl);
  char detail[CURL_ERROR_SIZE] = "";
  std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  CurlList headers;
  headers.Add("Content-Type: application/json");
  headers.Add(std::string(kDeliveryHeader) + ": " + message.message_id);
  headers.Add(std::string(kSignatureHeader) + ": " +
              WebhookSignature(webhook.secret, now, message.payload));
  headers.Add("User-Agent: numberdesk-webhooks/" NUMBERDESK_VERSION);
  headers.Add("Expect:");  // no 100-continue round trip

  curl_easy_setopt(curl, CURLOPT_URL, webhook.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, message.payload.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                   static_cast<curl_off_t>(message.payload.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(timeout_.count()));

  CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) throw DeliveryError("webhook: " + CurlFailure(code, detail));
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) {
    throw DeliveryError("webhook: the receiver answered " + std::to_string(status));
  }
}

std::optional<std::string> CheckWebhookUrl(std::string_view url) {
  if (url.size() > 2000) return "The URL may be up to 2000 bytes.";
  CurlUrl parsed;
  std::string text(url);
  // Only an absolute URL with a scheme: no guessing of a missing "http://".
  // Any scheme is parsed, so that the refusal can say which ones work.
  switch (curl_url_set(parsed.url, CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME)) {
    case CURLUE_OK:
      break;
    case CURLUE_NO_HOST:
      return "The URL needs a host.";
    case CURLUE_BAD_PORT_NUMBER:
      return kPortRange;
    case CURLUE_BAD_HOSTNAME:
    case CURLUE_BAD_IPV6:
      return "The host is not a valid DNS name or IP address.";
    default:
      return "Give an absolute http or https URL, such as https://example.com/hooks/numberdesk.";
  }
  std::optional<std::string> scheme = parsed.Part(CURLUPART_SCHEME);
  if (!scheme || (*scheme != "http" && *scheme != "https")) {
    return "Only http and https URLs can receive webhooks.";
  }
  // libcurl forgives a wrong number of slashes: it reads "http:///hook" as
  // the host "hook" and "http:/x.example" as "x.example". What is stored is
  // the text as given, so it must say what it means: "//" and then a host.
  std::size_t authority = text.find(':') + 1;
  if (text.compare(authority, 2, "//") != 0 || authority + 2 >= text.size() ||
      std::string_view("/?#").find(text[authority + 2]) != std::string_view::npos) {
    return "The URL needs a host after \"" + *scheme + "://\".";
  }
  std::optional<std::string> host = parsed.Part(CURLUPART_HOST);
  if (!host || host->empty()) return "The URL needs a host.";
  if (std::optional<std::string> problem = CheckWebhookHost(*host)) return problem;
  if (std::optional<std::string> port = parsed.Part(CURLUPART_PORT); port && *port == "0") {
    return kPortRange;
  }
  if (parsed.Part(CURLUPART_USER) || parsed.Part(CURLUPART_PASSWORD)) {
    return "Put no user name or password in the URL; deliveries are signed instead.";
  }
  // libcurl drops an empty fragment ("...#"), but it is one all the same.
  if (text.find('#') != std::string::npos) return "The URL may not have a fragment (#...).";
  return std::nullopt;
}

}  // namespace numberdesk
