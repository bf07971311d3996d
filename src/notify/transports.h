#ifndef NUMBERDESK_NOTIFY_TRANSPORTS_H_
#define NUMBERDESK_NOTIFY_TRANSPORTS_H_

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "storage/store.h"

namespace numberdesk {

// DeliveryError is one failed attempt to hand a message over: the server
// could not be reached, refused it, or did not answer in time. The outbox
// tries again later; the message says what happened, for support.
class DeliveryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// MailTransport hands one rendered email (OutboxMessage::payload, the whole
// RFC 5322 message) to its recipient (OutboxMessage::recipient). Send
// returns once the message was accepted and throws DeliveryError otherwise.
// A transport is used by one thread at a time.
class MailTransport {
 public:
  virtual ~MailTransport() = default;
  virtual void Send(const OutboxMessage& message) = 0;
};

// How to reach an SMTP server.
struct SmtpSettings {
  std::string url;  // libcurl's form: smtp://host:port, or smtps://host:port for TLS at once
  enum class Tls { kTry, kRequired, kNone } tls = Tls::kTry;  // STARTTLS on smtp://
  std::string user;                                           // empty: no authentication
  std::string password;                                       // never logged
  std::string envelope_from;
  std::chrono::seconds timeout{30};
};

// SmtpTransport delivers over SMTP with libcurl, keeping its connection open
// between messages.
class SmtpTransport : public MailTransport {
 public:
  explicit SmtpTransport(SmtpSettings settings);
  ~SmtpTransport() override;
  SmtpTransport(const SmtpTransport&) = delete;
  SmtpTransport& operator=(const SmtpTransport&) = delete;

  void Send(const OutboxMessage& message) override;

 private:
  SmtpSettings settings_;
  void* curl_;  // CURL*, reused so that libcurl keeps the connection
};

// MailFolderTransport writes each message as "<folder>/<created>-<id>.eml"
// instead of sending it, for a service with no mail server. The same message
// written again replaces its file, so a retry leaves one file.
class MailFolderTransport : public MailTransport {
 public:
  explicit MailFolderTransport(std::filesystem::path folder);
  void Send(const OutboxMessage& message) override;
  const std::filesystem::path& folder() const { return folder_; }

 private:
  std::filesystem::path folder_;
};

// WebhookTransport posts one webhook delivery (OutboxMessage::payload, the
// JSON body) to `webhook`, signed with its secret. Post returns once the
// receiver answered 2xx and throws DeliveryError otherwise.
class WebhookTransport {
 public:
  virtual ~WebhookTransport() = default;
  virtual void Post(const Webhook& webhook, const OutboxMessage& message) = 0;
};

// The headers a delivery is signed with:
//   Numberdesk-Delivery: <OutboxMessage::message_id>
//   Numberdesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>
// WebhookSignature returns the second header's value for `body` sent at
// `unix_seconds`.
inline constexpr char kDeliveryHeader[] = "Numberdesk-Delivery";
inline constexpr char kSignatureHeader[] = "Numberdesk-Signature";
std::string WebhookSignature(std::string_view secret, std::int64_t unix_seconds,
                             std::string_view body);

// HttpWebhookTransport posts with libcurl. It follows no redirects.
class HttpWebhookTransport : public WebhookTransport {
 public:
  explicit HttpWebhookTransport(std::chrono::seconds timeout = std::chrono::seconds(10));
  ~HttpWebhookTransport() override;
  HttpWebhookTransport(const HttpWebhookTransport&) = delete;
  HttpWebhookTransport& operator=(const HttpWebhookTransport&) = delete;

  void Post(const Webhook& webhook, const OutboxMessage& message) override;

 private:
  std::chrono::seconds timeout_;
  void* curl_;  // CURL*
};

// CheckWebhookUrl returns why `url` cannot receive webhooks, or nothing if
// it can: an absolute http or https URL of at most 2000 bytes, with "//"
// and a host that is a DNS name (letters, digits and hyphens, labels of 1 to
// 63 characters neither starting nor ending with a hyphen, 253 in all), an
// IPv4 address or a bracketed IPv6 address; a port, if given, from 1 to
// 65535; no user name or password; no fragment. The URL is parsed by
// libcurl, the library that will post to it; a host with non-ASCII letters
// must be given in its ASCII (xn--) form.
std::optional<std::string> CheckWebhookUrl(std::string_view url);

}  // namespace numberdesk

#endif  // NUMBERDESK_NOTIFY_TRANSPORTS_H_
