#include "http/sinks.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <utility>

#include "http/server_process.h"

extern char** environ;

namespace numberdesk::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr char kPython[] = "/usr/bin/python3";  // Debian's, which has python3-aiosmtpd
constexpr milliseconds kPollInterval{50};
constexpr milliseconds kStartTimeout{10000};
constexpr milliseconds kStopTimeout{5000};

std::runtime_error SystemError(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

std::filesystem::path ScriptPath(const std::string& name) {
  return std::filesystem::path(NUMBERDESK_SOURCE_DIR) / "tests" / "http" / name;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A free loopback port, found by binding port 0 and letting it go.
int PickFreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw SystemError("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw SystemError("bind 127.0.0.1:0");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

// SpawnPython starts /usr/bin/python3 with `args`: stdin on /dev/null, stdout
// on `stdout_fd`, stderr on `stderr_fd` (or appended to `stderr_path`).
pid_t SpawnPython(const std::vector<std::string>& args, int stdout_fd, int stderr_fd,
                  const std::filesystem::path& stderr_path = {}) {
  std::vector<std::string> all = {kPython};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : all)
    argv.push_back(arg.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, stdout_fd, STDOUT_FILENO);
  if (stderr_path.empty()) {
    posix_spawn_file_actions_adddup2(&actions, stderr_fd, STDERR_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
  }
  pid_t pid = -1;
  int error = ::posix_spawn(&pid, kPython, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    errno = error;
    throw SystemError("posix_spawn " + std::string(kPython));
  }
  return pid;
}

// Waits up to `timeout` for `pid`; its exit code (128 + signal when killed),
// or nothing if it is still running.
std::optional<int> WaitForPid(pid_t pid, milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (true) {
    int status = 0;
    pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) {
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
      return -1;
    }
    if (done < 0 && errno != EINTR) return -1;
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(milliseconds(5));
  }
}

std::string StringAt(const nlohmann::json& record, const char* key) {
  auto found = record.find(key);
  return found != record.end() && found->is_string() ? found->get<std::string>() : std::string();
}

ReceivedMail MailFromRecord(const nlohmann::json& record) {
  ReceivedMail mail;
  mail.mail_from = StringAt(record, "mail_from");
  if (auto found = record.find("rcpt_tos"); found != record.end() && found->is_array()) {
    for (const nlohmann::json& rcpt : *found)
      mail.rcpt_tos.push_back(rcpt.get<std::string>());
  }
  mail.from = StringAt(record, "from");
  mail.to = StringAt(record, "to");
  mail.subject = StringAt(record, "subject");
  mail.message_id = StringAt(record, "message_id");
  mail.text = StringAt(record, "text");
  mail.html = StringAt(record, "html");
  mail.raw = StringAt(record, "raw");
  return mail;
}

}  // namespace

bool WaitFor(const std::function<bool()>& condition, milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (true) {
    if (condition()) return true;
    Clock::time_point now = Clock::now();
    if (now >= deadline) return false;
    std::this_thread::sleep_for(std::min<Clock::duration>(kPollInterval, deadline - now));
  }
}

ReceivedMail ParseMailFile(const std::filesystem::path& path) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw SystemError("pipe2");
  pid_t pid;
  try {
    pid = SpawnPython({ScriptPath("smtp_sink.py").string(), "--parse", path.string()}, out[1],
                      out[1]);
  } catch (...) {
    ::close(out[0]);
    ::close(out[1]);
    throw;
  }
  ::close(out[1]);
  std::string output;
  char chunk[4096];
  ssize_t n;
  while ((n = ::read(out[0], chunk, sizeof chunk)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    output.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(out[0]);
  std::optional<int> status = WaitForPid(pid, milliseconds(30000));
  nlohmann::json record = nlohmann::json::parse(output, nullptr, false);
  if (status != 0 || !record.is_object()) {
    throw std::runtime_error("the email package cannot read " + path.string() + ": " + output);
  }
  return MailFromRecord(record);
}

std::optional<std::string> ReceivedPost::Header(std::string_view lower_case_name) const {
  auto found = headers.find(std::string(lower_case_name));
  if (found == headers.end()) return std::nullopt;
  return found->second;
}

PythonSink::PythonSink(std::string script_name) : script_name_(std::move(script_name)) {
  std::string pattern = (std::filesystem::temp_directory_path() / "numberdesk-sink-XXXXXX");
  if (::mkdtemp(pattern.data()) == nullptr) throw SystemError("mkdtemp");
  root_ = pattern;
  out_dir_ = root_ / "received";
  log_path_ = root_ / "sink.log";
  std::filesystem::create_directories(out_dir_);
  port_ = PickFreePort();
}

PythonSink::~PythonSink() {
  Stop();
  if (::testing::Test::HasFailure()) {
    std::cerr << "---- " << script_name_ << " log (" << log_path_.string() << ") ----\n"
              << ReadLog() << "---- end of " << script_name_ << " log ----\n";
  }
  std::error_code ignored;
  std::filesystem::remove_all(root_, ignored);
}

void PythonSink::StartScript(const std::vector<std::string>& options) {
  if (running()) throw std::logic_error(script_name_ + " is already running");
  std::vector<std::string> args = {ScriptPath(script_name_).string(), "--port",
                                   std::to_string(port_), "--out", out_dir_.string()};
  args.insert(args.end(), options.begin(), options.end());

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw SystemError("pipe2");
  try {
    pid_ = SpawnPython(args, out[1], -1, log_path_);
  } catch (...) {
    ::close(out[0]);
    ::close(out[1]);
    throw;
  }
  ::close(out[1]);
  stdout_fd_ = out[0];

  // The script prints one line once it listens.
  std::string why;
  std::optional<std::string> first = ReadFirstLine(stdout_fd_, kStartTimeout, &why);
  if (!first) {
    ::kill(pid_, SIGKILL);
    WaitForPid(pid_, kStopTimeout);
    ::close(stdout_fd_);
    stdout_fd_ = -1;
    pid_ = -1;
    throw std::runtime_error(script_name_ + " did not report that it listens (" + why +
                             "); its log:\n" + ReadLog());
  }
  const std::string& line = *first;
  std::string expected = "listening on 127.0.0.1:" + std::to_string(port_);
  if (line.find(expected) == std::string::npos) {
    Stop();
    throw std::runtime_error("unexpected first line from " + script_name_ + ": " + line);
  }
}

void PythonSink::Stop() {
  if (!running()) return;
  ::kill(pid_, SIGTERM);
  std::optional<int> status = WaitForPid(pid_, kStopTimeout);
  if (!status) {
    ADD_FAILURE() << script_name_ << " ignored SIGTERM for " << kStopTimeout.count()
                  << " ms; killing it";
    ::kill(pid_, SIGKILL);
    WaitForPid(pid_, kStopTimeout);
  } else {
    EXPECT_EQ(*status, 0) << script_name_ << " did not exit cleanly on SIGTERM";
  }
  ::close(stdout_fd_);
  stdout_fd_ = -1;
  pid_ = -1;
}

std::string PythonSink::ReadLog() const {
  return ReadFile(log_path_);
}

std::vector<nlohmann::json> PythonSink::ReceivedRecords() const {
  // Only "<seq>.json": the sinks write ".<seq>.json.tmp" first and rename it.
  std::vector<std::pair<long, std::filesystem::path>> files;
  for (const auto& entry : std::filesystem::directory_iterator(out_dir_)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json" || name.empty() || name.front() == '.') continue;
    std::string stem = entry.path().stem().string();
    if (!std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    files.emplace_back(std::stol(stem), entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<nlohmann::json> records;
  for (const auto& [sequence, path] : files) {
    nlohmann::json record = nlohmann::json::parse(ReadFile(path), nullptr, false);
    if (!record.is_object()) throw std::runtime_error("unreadable record " + path.string());
    records.push_back(std::move(record));
  }
  return records;
}

void SmtpSink::Start(const SmtpSinkOptions& options) {
  std::vector<std::string> args;
  if (options.hold_count > 0) {
    args = {"--hold-reply", std::to_string(options.hold_reply_seconds), "--hold-count",
            std::to_string(options.hold_count)};
  }
  StartScript(args);
}

std::string SmtpSink::url() const {
  return "smtp://127.0.0.1:" + std::to_string(port());
}

std::vector<ReceivedMail> SmtpSink::Received() const {
  std::vector<ReceivedMail> mails;
  for (const nlohmann::json& record : ReceivedRecords())
    mails.push_back(MailFromRecord(record));
  return mails;
}

void WebhookSink::Start(int status) {
  StartScript({"--status", std::to_string(status)});
}

std::string WebhookSink::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port()) + std::string(path);
}

std::vector<ReceivedPost> WebhookSink::Received() const {
  std::vector<ReceivedPost> posts;
  for (const nlohmann::json& record : ReceivedRecords()) {
    ReceivedPost post;
    post.path = StringAt(record, "path");
    post.body = StringAt(record, "body");
    if (auto found = record.find("headers"); found != record.end() && found->is_object()) {
      for (const auto& [name, value] : found->items())
        post.headers[name] = value.get<std::string>();
    }
    posts.push_back(std::move(post));
  }
  return posts;
}

}  // namespace numberdesk::testing
