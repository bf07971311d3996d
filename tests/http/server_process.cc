#include "http/server_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace numberdesk::testing {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kStartTimeout{20000};
constexpr milliseconds kStopTimeout{30000};  // more than the server's 15 s grace
constexpr milliseconds kCommandTimeout{30000};
constexpr std::string_view kListeningPrefix = "numberdesk listening on http://";
constexpr std::size_t kLogTailBytes = 32 * 1024;

std::runtime_error SystemError(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

// Decodes a waitpid status: the exit code, or 128 + the signal number.
int ExitStatus(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

// Spawn starts the numberdesk binary with `args`, its stdin on /dev/null and
// its stdout and stderr on the given descriptors. Everything the child needs
// is prepared before fork, so that the child only calls dup2 and execv.
pid_t Spawn(const std::vector<std::string>& args, int stdout_fd, int stderr_fd) {
  std::vector<std::string> all = {NUMBERDESK_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : all)
    argv.push_back(arg.data());
  argv.push_back(nullptr);

  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) throw SystemError("open /dev/null");
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(stdout_fd, STDOUT_FILENO);
    ::dup2(stderr_fd, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(null_fd);
  if (pid < 0) throw SystemError("fork");
  return pid;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Joined(const std::vector<std::string>& args) {
  std::string text;
  for (const std::string& arg : args)
    text += (text.empty() ? "" : " ") + arg;
  return text;
}

}  // namespace

std::optional<std::string> ReadFirstLine(int fd, milliseconds timeout, std::string* why) {
  std::string line;
  auto deadline = Clock::now() + timeout;
  while (line.find('\n') == std::string::npos) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    pollfd ready{fd, POLLIN, 0};
    int polled = left > 0 ? ::poll(&ready, 1, static_cast<int>(left)) : 0;
    if (polled < 0 && errno == EINTR) continue;
    char chunk[256];
    ssize_t n = polled > 0 ? ::read(fd, chunk, sizeof chunk) : 0;
    if (n <= 0) {
      *why = polled > 0 ? "it exited" : "timed out";
      return std::nullopt;
    }
    line.append(chunk, static_cast<std::size_t>(n));
  }
  return line;
}

ServerProcess::ServerProcess(std::vector<std::string> serve_options)
    : serve_options_(std::move(serve_options)) {
  std::string pattern = (std::filesystem::temp_directory_path() / "numberdesk-http-XXXXXX");
  if (::mkdtemp(pattern.data()) == nullptr) throw SystemError("mkdtemp");
  root_ = pattern;
  data_dir_ = root_ / "data";
  log_path_ = root_ / "server.log";

  nlohmann::json demo = RunJsonCommand({"demo"});
  token_ = demo.at("token").get<std::string>();
  viewer_token_ = demo.at("viewer_token").get<std::string>();
  support_token_ = demo.at("support_token").get<std::string>();
  Start();
}

ServerProcess::~ServerProcess() {
  if (running()) {
    int status = Stop();
    EXPECT_EQ(status, 0) << "numberdesk serve did not exit cleanly on SIGTERM";
  }
  if (::testing::Test::HasFailure()) {
    std::string log = ReadLog();
    if (log.size() > kLogTailBytes) log = "...\n" + log.substr(log.size() - kLogTailBytes);
    std::cerr << "---- numberdesk server log (" << log_path_.string() << ") ----\n"
              << log << "---- end of server log ----\n";
  }
  std::error_code ignored;
  std::filesystem::remove_all(root_, ignored);
}

void ServerProcess::Start() {
  if (running()) throw std::logic_error("the server is already running");

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) throw SystemError("pipe2");
  int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) throw SystemError("open " + log_path_.string());
  std::vector<std::string> command = {"serve",    "--data-dir",  data_dir_.string(),
                                      "--listen", "127.0.0.1:0", "--threads",
                                      "2",        "--log-level", "info"};
  command.insert(command.end(), serve_options_.begin(), serve_options_.end());
  pid_ = Spawn(command, out[1], log_fd);
  ::close(out[1]);
  ::close(log_fd);
  stdout_fd_ = out[0];

  // The server prints exactly one line once it is listening.
  std::string why;
  std::optional<std::string> first = ReadFirstLine(stdout_fd_, kStartTimeout, &why);
  if (!first) {
    Stop();
    throw std::runtime_error("numberdesk serve did not report that it listens (" + why +
                             "); its log:\n" + ReadLog());
  }
  const std::string& line = *first;

  std::size_t prefix = line.find(kListeningPrefix);
  std::size_t colon = line.rfind(':');
  if (prefix != 0 || colon == std::string::npos) {
    Stop();
    throw std::runtime_error("unexpected first line from numberdesk serve: " + line);
  }
  port_ = std::atoi(line.c_str() + colon + 1);
}

int ServerProcess::Stop() {
  if (!running()) return last_exit_status_;
  ::kill(pid_, SIGTERM);
  if (std::optional<int> status = WaitForExit(kStopTimeout)) return *status;

  ADD_FAILURE() << "numberdesk serve ignored SIGTERM for " << kStopTimeout.count()
                << " ms; killing it";
  ::kill(pid_, SIGKILL);
  int wait_status = 0;
  ::waitpid(pid_, &wait_status, 0);
  ::close(stdout_fd_);
  stdout_fd_ = -1;
  pid_ = -1;
  last_exit_status_ = -1;
  return last_exit_status_;
}

void ServerProcess::Restart() {
  int status = Stop();
  EXPECT_EQ(status, 0) << "numberdesk serve did not exit cleanly on SIGTERM";
  Start();
}

void ServerProcess::Signal(int signal_number) {
  if (running()) ::kill(pid_, signal_number);
}

std::optional<int> ServerProcess::WaitForExit(milliseconds timeout) {
  if (!running()) return last_exit_status_;
  auto deadline = Clock::now() + timeout;
  while (true) {
    int wait_status = 0;
    pid_t done = ::waitpid(pid_, &wait_status, WNOHANG);
    if (done == pid_) {
      ::close(stdout_fd_);
      stdout_fd_ = -1;
      pid_ = -1;
      last_exit_status_ = ExitStatus(wait_status);
      return last_exit_status_;
    }
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(milliseconds(5));
  }
}

CommandResult ServerProcess::RunCommand(std::vector<std::string> args) const {
  std::vector<std::string> full = args;
  full.push_back("--data-dir");
  full.push_back(data_dir_.string());

  int out[2];
  int err[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) throw SystemError("pipe2");
  pid_t pid = Spawn(full, out[1], err[1]);
  ::close(out[1]);
  ::close(err[1]);

  // Both pipes are read together so that neither can fill up and stall the child.
  CommandResult result;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_pipes = 2;
  auto deadline = Clock::now() + kCommandTimeout;
  while (open_pipes > 0 && Clock::now() < deadline) {
    if (::poll(fds, 2, 100) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char chunk[4096];
      ssize_t n = ::read(fds[i].fd, chunk, sizeof chunk);
      if (n > 0) {
        sinks[i]->append(chunk, static_cast<std::size_t>(n));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_pipes;
      }
    }
  }
  for (pollfd& fd : fds) {
    if (fd.fd >= 0) ::close(fd.fd);
  }
  if (open_pipes > 0) ::kill(pid, SIGKILL);

  int wait_status = 0;
  ::waitpid(pid, &wait_status, 0);
  result.exit_code = ExitStatus(wait_status);
  return result;
}

nlohmann::json ServerProcess::RunJsonCommand(std::vector<std::string> args) const {
  CommandResult result = RunCommand(args);
  nlohmann::json parsed = nlohmann::json::parse(result.out, nullptr, false);
  if (result.exit_code != 0 || !parsed.is_object()) {
    throw std::runtime_error("numberdesk " + Joined(args) + " failed with status " +
                             std::to_string(result.exit_code) + "; stdout: " + result.out +
                             "; stderr: " + result.err);
  }
  return parsed;
}

nlohmann::json ServerProcess::IssueToken(const std::string& username,
                                         std::optional<int> expires_in_days) const {
  std::vector<std::string> args = {"token", "create", "--username", username};
  if (expires_in_days) {
    args.push_back("--expires-in-days");
    args.push_back(std::to_string(*expires_in_days));
  }
  return RunJsonCommand(args);
}

std::string ServerProcess::CreateAccountWithAdmin(const std::string& name) const {
  RunJsonCommand({"account", "create", "--name", name, "--default-username", name + "_default",
                  "--default-email", name + "_default@example.com"});
  RunJsonCommand({"user", "create", "--account", name, "--username", name + "_admin", "--email",
                  name + "_admin@example.com", "--role", "account_admin", "--manage-fax-numbers"});
  return IssueToken(name + "_admin").at("token").get<std::string>();
}

std::string ServerProcess::base_url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::string ServerProcess::ReadLog() const {
  return ReadFile(log_path_);
}

}  // namespace numberdesk::testing
