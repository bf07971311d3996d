#include "app/cli.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <thread>

#include "api/service.h"
#include "app/operator_commands.h"
#include "documents/document_files.h"
#include "domain/timestamps.h"
#include "http/server.h"
#include "reference/numbering_data.h"
#include "storage/sqlite/sqlite_store.h"

namespace numberdesk {
namespace {

constexpr char kDatabaseFile[] = "numberdesk.sqlite3";
constexpr char kDocumentsFolder[] = "documents";

struct DataDir {
  std::unique_ptr<SqliteStore> store;
  std::unique_ptr<DocumentFiles> files;
};

DataDir OpenDataDir(const std::string& path, std::size_t connections = 4) {
  std::filesystem::create_directories(path);
  DataDir dir;
  dir.store =
      std::make_unique<SqliteStore>(std::filesystem::path(path) / kDatabaseFile, connections);
  dir.files = std::make_unique<DocumentFiles>(std::filesystem::path(path) / kDocumentsFolder);
  return dir;
}

// Splits "HOST:PORT", "[::1]:PORT" or ":PORT" (all interfaces).
std::pair<std::string, std::string> SplitListen(const std::string& listen) {
  std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size()) {
    throw CLI::ValidationError("--listen", "expected HOST:PORT, got \"" + listen + "\"");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "0.0.0.0";
  return {host, listen.substr(colon + 1)};
}

void SetUpLogging(const std::string& level) {
  // Logs go to stderr; stdout carries only what a command is asked to print.
  auto logger = spdlog::stderr_color_mt("numberdesk");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  spdlog::set_level(spdlog::level::from_str(level));
}

int Serve(const std::string& data_dir, const std::string& listen, int threads,
          const std::string& reference_data, int idle_timeout) {
  auto [host, port] = SplitListen(listen);
  auto loading = std::chrono::steady_clock::now();
  RegionCatalog regions = LoadNumberingData(reference_data);
  std::chrono::duration<double, std::milli> load_time = std::chrono::steady_clock::now() - loading;
  spdlog::info("numbering data loaded version={} regions={} load_ms={:.1f}", regions.version(),
               regions.size(), load_time.count());
  DataDir dir = OpenDataDir(data_dir, static_cast<std::size_t>(threads) + 2);
  api::Service service(*dir.store, *dir.files, regions);

  http::ServerOptions options;
  options.host = host;
  options.port = port;
  options.threads = threads;
  options.idle_timeout = std::chrono::seconds(idle_timeout);
  http::HttpServer server(
      options, [&service](http::HttpRequest& request) { return service.Handle(request); },
      [&service](http::HttpRequest& request) { return service.CheckHeaders(request); });

  std::string address = server.LocalAddress();
  spdlog::info("serving data_dir=\"{}\" address={} threads={}", data_dir, address, threads);
  std::cout << "numberdesk listening on http://" << address << std::endl;
  server.Run();
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App app{"numberdesk: the fax-number procurement desk"};
  app.require_subcommand(1);
  app.set_version_flag("--version", NUMBERDESK_VERSION);

  std::string data_dir = "data";
  std::string log_level = "info";
  auto add_data_dir = [&](CLI::App* command) {
    command->add_option("--data-dir", data_dir, "Folder for the database and documents")
        ->envname("NUMBERDESK_DATA_DIR")
        ->capture_default_str();
  };

  CLI::App* serve = app.add_subcommand("serve", "Serve the HTTP API");
  add_data_dir(serve);
  std::string listen = "127.0.0.1:8080";
  int threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  std::string reference_data = NUMBERDESK_REFERENCE_DATA;
  serve->add_option("--listen", listen, "HOST:PORT to listen on; port 0 picks a free one")
      ->envname("NUMBERDESK_LISTEN")
      ->capture_default_str();
  serve->add_option("--threads", threads, "Event-loop threads")
      ->envname("NUMBERDESK_THREADS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  serve
      ->add_option("--reference-data", reference_data,
                   "Numbering reference file made by tools/reference-data")
      ->envname("NUMBERDESK_REFERENCE_DATA")
      ->check(CLI::ExistingFile)
      ->capture_default_str();
  int idle_timeout = 60;
  serve
      ->add_option("--idle-timeout", idle_timeout,
                   "Seconds a connection may wait between requests or stall mid-request")
      ->envname("NUMBERDESK_IDLE_TIMEOUT")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve->add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->envname("NUMBERDESK_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();

  CLI::App* init = app.add_subcommand("init", "Create or migrate a data directory");
  add_data_dir(init);

  CLI::App* demo = app.add_subcommand(
      "demo", "Create the demo account and users if absent; print fresh tokens as JSON");
  add_data_dir(demo);

  CLI::App* account = app.add_subcommand("account", "Manage accounts");
  account->require_subcommand(1);
  CLI::App* account_create = account->add_subcommand("create", "Create an account");
  add_data_dir(account_create);
  std::string account_name, default_username, default_email;
  account_create->add_option("--name", account_name, "Account name")->required();
  account_create
      ->add_option("--default-username", default_username,
                   "Username of the account's default fax user")
      ->required();
  account_create->add_option("--default-email", default_email, "Email of the default user")
      ->required();

  CLI::App* user = app.add_subcommand("user", "Manage users");
  user->require_subcommand(1);
  CLI::App* user_create = user->add_subcommand("create", "Create a user");
  add_data_dir(user_create);
  NewUserOptions new_user;
  std::string role = "fax_user";
  user_create->add_option("--account", new_user.account_name,
                          "Account name (omit for a support agent)");
  user_create->add_option("--username", new_user.username, "Login name")->required();
  user_create->add_option("--email", new_user.email, "Email address")->required();
  user_create->add_option("--role", role, "account_admin, fax_user or support_agent")
      ->check(CLI::IsMember({"account_admin", "fax_user", "support_agent"}))
      ->capture_default_str();
  user_create->add_flag("--manage-fax-numbers", new_user.can_manage_fax_numbers,
                        "Give an administrator the manage-fax-numbers permission");

  std::string status_username;
  CLI::App* user_deactivate = user->add_subcommand(
      "deactivate", "Deactivate a user: no more API access, and no numbers assigned to them");
  CLI::App* user_activate = user->add_subcommand("activate", "Activate a deactivated user");
  for (CLI::App* command : {user_deactivate, user_activate}) {
    add_data_dir(command);
    command->add_option("--username", status_username, "Login name")->required();
  }

  CLI::App* token = app.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  CLI::App* token_create = token->add_subcommand("create", "Issue a token; it is printed once");
  add_data_dir(token_create);
  std::string token_user, token_label;
  std::optional<int> expires_in_days;
  token_create->add_option("--username", token_user, "The user the token acts for")->required();
  token_create->add_option("--label", token_label, "A note on what the token is for");
  token_create->add_option("--expires-in-days", expires_in_days, "Expire after this many days");
  CLI::App* token_revoke = token->add_subcommand("revoke", "Revoke a token by its id");
  add_data_dir(token_revoke);
  std::string token_id;
  token_revoke->add_option("--id", token_id, "Token id (tok_...)")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  try {
    SetUpLogging(log_level);
    if (serve->parsed()) return Serve(data_dir, listen, threads, reference_data, idle_timeout);

    DataDir dir = OpenDataDir(data_dir);
    if (init->parsed()) {
      std::cout << "data directory " << data_dir << " is at schema version "
                << dir.store->SchemaVersion() << "\n";
    } else if (demo->parsed()) {
      std::cout << SetUpDemo(*dir.store).dump() << "\n";
    } else if (account_create->parsed()) {
      Account created =
          CreateAccountWithDefaultUser(*dir.store, account_name, default_username, default_email);
      std::cout << nlohmann::json{{"id", created.id},
                                  {"name", created.name},
                                  {"default_user_id", *created.default_user_id}}
                       .dump()
                << "\n";
    } else if (user_create->parsed()) {
      new_user.role = *ParseUserRole(role);
      User created = CreateUserInAccount(*dir.store, new_user);
      std::cout << nlohmann::json{{"id", created.id},
                                  {"username", created.username},
                                  {"role", ToString(created.role)}}
                       .dump()
                << "\n";
    } else if (user_deactivate->parsed() || user_activate->parsed()) {
      bool active = user_activate->parsed();
      SetUserActive(*dir.store, status_username, active);
      std::cout << (active ? "activated " : "deactivated ") << status_username << "\n";
    } else if (token_create->parsed()) {
      IssuedToken issued = IssueToken(*dir.store, token_user, token_label, expires_in_days);
      nlohmann::json out = {
          {"id", issued.token.id}, {"token", issued.secret}, {"expires_at", nullptr}};
      if (issued.token.expires_at) out["expires_at"] = *issued.token.expires_at;
      std::cout << out.dump() << "\n";
    } else if (token_revoke->parsed()) {
      if (!dir.store->RevokeToken(token_id, FormatRfc3339(std::chrono::system_clock::now()))) {
        throw std::runtime_error("no token " + token_id);
      }
      std::cout << "revoked " << token_id << "\n";
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "numberdesk: error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace numberdesk
