#ifndef NUMBERDESK_TESTS_HTTP_SINKS_H_
#define NUMBERDESK_TESTS_HTTP_SINKS_H_

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace numberdesk::testing {

// WaitFor polls `condition` every 50 ms until it holds (true) or `timeout`
// has passed (false); the condition is checked once more at the deadline. To
// check that something does not happen, expect false:
//   EXPECT_FALSE(WaitFor([&] { return sink.Received().size() > 2; }, 2s));
bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

// One message the SMTP sink received, as tests/http/smtp_sink.py decoded it.
// Strings the message lacked are empty.
struct ReceivedMail {
  std::string mail_from;              // envelope MAIL FROM
  std::vector<std::string> rcpt_tos;  // envelope RCPT TO, in order
  std::string from;                   // the From: header, decoded
  std::string to;                     // the To: header, decoded
  std::string subject;                // the Subject: header, decoded
  std::string message_id;             // the Message-ID: header
  std::string text;                   // the text/plain part, decoded, LF line ends
  std::string html;                   // the text/html part, decoded, LF line ends
  std::string raw;                    // the message as it came, undecoded
};

// ParseMailFile decodes an RFC 5322 file (an .eml) as the SMTP sink decodes
// what it receives (mail_from and rcpt_tos stay empty); throws
// std::runtime_error if Python's email package cannot read it.
ReceivedMail ParseMailFile(const std::filesystem::path& path);

// One POST the webhook sink received.
struct ReceivedPost {
  std::string path;                            // with the query, as sent
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;                            // the raw body

  std::optional<std::string> Header(std::string_view lower_case_name) const;
};

// PythonSink runs one of the Python receivers of tests/http with
// /usr/bin/python3, in a temporary folder of its own:
//
//   <temp>/received   what it received, one <seq>.json each, kept across restarts
//   <temp>/sink.log   its stderr, kept across restarts
//
// The loopback port is chosen once, when the sink is made, so that a sink
// stopped and started again is at the same address. The destructor stops
// the process, prints the log when the test has failed, and removes the folder.
class PythonSink {
 public:
  ~PythonSink();
  PythonSink(const PythonSink&) = delete;
  PythonSink& operator=(const PythonSink&) = delete;

  // Stop sends SIGTERM and waits for the process to exit (SIGKILL after a
  // few seconds); a test failure unless it exits with 0. Nothing if stopped.
  void Stop();

  bool running() const { return pid_ > 0; }
  int port() const { return port_; }
  std::string ReadLog() const;

 protected:
  explicit PythonSink(std::string script_name);

  // Start spawns the script with --port, --out and `options`, and returns
  // once it has printed its listening line; throws std::runtime_error with
  // its log if that does not happen within a few seconds.
  void StartScript(const std::vector<std::string>& options);

  // What was received so far, in arrival order.
  std::vector<nlohmann::json> ReceivedRecords() const;

 private:
  std::string script_name_;
  std::filesystem::path root_;
  std::filesystem::path out_dir_;
  std::filesystem::path log_path_;
  int port_ = 0;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;  // kept open so that the script never writes to a closed pipe
};

// Holding replies, to cut a delivery off between hand-over and 250.
struct SmtpSinkOptions {
  double hold_reply_seconds = 0;  // wait this long before answering 250 to DATA...
  int hold_count = 0;             // ...for the first this many messages of the run
};

// SmtpSink is a real SMTP server (aiosmtpd) on 127.0.0.1.
class SmtpSink : public PythonSink {
 public:
  SmtpSink() : PythonSink("smtp_sink.py") {}

  void Start(const SmtpSinkOptions& options = {});
  // "smtp://127.0.0.1:PORT"
  std::string url() const;
  std::vector<ReceivedMail> Received() const;
};

// WebhookSink is a plain HTTP receiver on 127.0.0.1 that answers every POST
// with one status (200 unless told otherwise).
class WebhookSink : public PythonSink {
 public:
  WebhookSink() : PythonSink("webhook_sink.py") {}

  void Start(int status = 200);
  // "http://127.0.0.1:PORT<path>"
  std::string url(std::string_view path = "/hook") const;
  std::vector<ReceivedPost> Received() const;
};

}  // namespace numberdesk::testing

#endif  // NUMBERDESK_TESTS_HTTP_SINKS_H_
