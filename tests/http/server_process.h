#ifndef NUMBERDESK_TESTS_HTTP_SERVER_PROCESS_H_
#define NUMBERDESK_TESTS_HTTP_SERVER_PROCESS_H_

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace numberdesk::testing {

// ReadFirstLine reads a child's stdout `fd` until it holds a line break, for
// up to `timeout`, and returns what it read. Nothing if the child closed its
// end first or the time ran out; `why` then says which ("it exited" or
// "timed out"). Test processes announce that they listen this way.
std::optional<std::string> ReadFirstLine(int fd, std::chrono::milliseconds timeout,
                                         std::string* why);

// The outcome of one run of a numberdesk subcommand.
struct CommandResult {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string out;     // stdout
  std::string err;     // stderr
};

// ServerProcess runs the real numberdesk binary (NUMBERDESK_BINARY) for one
// test, in a temporary folder of its own:
//
//   <temp>/data        the data directory (database and documents)
//   <temp>/server.log  the server's stderr, kept across restarts
//
// The constructor runs "numberdesk demo" (keeping the tokens it prints) and
// starts "numberdesk serve" on a port the system picks; it returns once the
// server has printed its listening line, and throws std::runtime_error with
// the server's log if that does not happen within a few seconds. The
// destructor sends SIGTERM, records a test failure unless the server exits
// with status 0, prints the server log when the test has failed, and removes
// the folder.
class ServerProcess {
 public:
  // `serve_options` are added to the "serve" command line, e.g.
  // {"--idle-timeout", "1"}.
  explicit ServerProcess(std::vector<std::string> serve_options = {});
  ~ServerProcess();

  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Start spawns "numberdesk serve" on the data directory and waits for its
  // listening line. The port may differ from the previous run's.
  void Start();

  // Stop sends SIGTERM and waits for the server to exit; it returns the exit
  // status (128 + signal when killed, -1 when it had to be killed with
  // SIGKILL after the wait). Returns the last status when already stopped.
  int Stop();

  // Restart stops the server and starts it again on the same data directory.
  void Restart();

  // Signal sends `signal_number` to the running server and returns at once.
  void Signal(int signal_number);

  // WaitForExit waits up to `timeout` for the server to exit and returns its
  // status as Stop does, or nothing if it is still running.
  std::optional<int> WaitForExit(std::chrono::milliseconds timeout);

  // RunCommand runs "numberdesk <args...> --data-dir <data>" to completion.
  CommandResult RunCommand(std::vector<std::string> args) const;

  // RunJsonCommand runs a command that prints one JSON object and returns
  // it; throws std::runtime_error if the command fails.
  nlohmann::json RunJsonCommand(std::vector<std::string> args) const;

  // IssueToken runs "token create" for `username` and returns
  // {"id", "token", "expires_at"}.
  nlohmann::json IssueToken(const std::string& username,
                            std::optional<int> expires_in_days = std::nullopt) const;

  // CreateAccountWithAdmin creates the account `name` (default user
  // "<name>_default") and the administrator "<name>_admin" with the
  // manage-fax-numbers permission, and returns a token of that administrator.
  std::string CreateAccountWithAdmin(const std::string& name) const;

  // "http://127.0.0.1:PORT" of the running server.
  std::string base_url() const;
  int port() const { return port_; }
  bool running() const { return pid_ > 0; }

  // The demo tokens: jdoe (manage-fax-numbers), an administrator without the
  // permission, and a support agent.
  const std::string& token() const { return token_; }
  const std::string& viewer_token() const { return viewer_token_; }
  const std::string& support_token() const { return support_token_; }

  const std::filesystem::path& data_dir() const { return data_dir_; }

  // ReadLog returns everything the server has written to stderr so far.
  std::string ReadLog() const;

 private:
  std::vector<std::string> serve_options_;
  std::filesystem::path root_;
  std::filesystem::path data_dir_;
  std::filesystem::path log_path_;
  std::string token_;
  std::string viewer_token_;
  std::string support_token_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;  // kept open so that the server never writes to a closed pipe
  int port_ = 0;
  int last_exit_status_ = -1;
};

}  // namespace numberdesk::testing

#endif  // NUMBERDESK_TESTS_HTTP_SERVER_PROCESS_H_
