#include "app/cli.h"

#include <curl/curl.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <thread>

#include "api/service.h"
#include "app/operator_commands.h"
#include "documents/document_files.h"
#include "domain/email_address.h"
#include "domain/timestamps.h"
#include "http/server.h"
#include "notify/outbox_worker.h"
#include "notify/transports.h"
#include "reference/numbering_data.h"
#include "storage/sqlite/sqlite_store.h"

namespace numberdesk {
namespace {

constexpr char kDatabaseFile[] = "numberdesk.sqlite3";
constexpr char kDocumentsFolder[] = "documents";
constexpr char kMailFolder[] = "mail";

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

// Everything "serve" is told on its command line.
struct ServeOptions {
  std::string data_dir;
  std::string listen = "127.0.0.1:8080";
  int threads = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  std::string reference_data = NUMBERDESK_REFERENCE_DATA;
  std::string swagger_ui_dir = NUMBERDESK_SWAGGER_UI_DIR;
  int idle_timeout = 60;
  api::NotifierSettings notifications;
  SmtpSettings smtp;
  std::string smtp_tls = "try";
  double retry_initial = 30;
  double retry_max = 3600;
  int max_attempts = 12;
  double delivery_lease = 120;
};

std::chrono::milliseconds Millis(double seconds) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

// MailTransportFor returns the SMTP transport the options name, or the
// folder of .eml files under the data directory when they name none.
std::unique_ptr<MailTransport> MailTransportFor(const ServeOptions& options) {
  if (options.smtp.url.empty()) {
    auto folder = std::make_unique<MailFolderTransport>(std::filesystem::path(options.data_dir) /
                                                        kMailFolder);
    spdlog::info(
        "mail transport=folder folder=\"{}\" (no --smtp-url: mail is written as .eml files)",
        folder->folder().string());
    return folder;
  }
  SmtpSettings smtp = options.smtp;
  smtp.envelope_from = options.notifications.mail_from;
  smtp.tls = options.smtp_tls == "starttls" ? SmtpSettings::Tls::kRequired
             : options.smtp_tls == "none"   ? SmtpSettings::Tls::kNone
                                            : SmtpSettings::Tls::kTry;
  // A delivery must end well within its lease, or a slow one could be sent twice.
  auto lease = std::chrono::duration_cast<std::chrono::seconds>(Millis(options.delivery_lease));
  smtp.timeout = std::clamp(lease / 2, std::chrono::seconds(1), std::chrono::seconds(30));
  spdlog::info("mail transport=smtp url=\"{}\" tls={} auth={}", smtp.url, options.smtp_tls,
               smtp.user.empty() ? "none" : "login");
  return std::make_unique<SmtpTransport>(std::move(smtp));
}

int Serve(const ServeOptions& options) {
  auto [host, port] = SplitListen(options.listen);
  auto loading = std::chrono::steady_clock::now();
  RegionCatalog regions = LoadNumberingData(options.reference_data);
  std::chrono::duration<double, std::milli> load_time = std::chrono::steady_clock::now() - loading;
  spdlog::info("numbering data loaded version={} regions={} load_ms={:.1f}", regions.version(),
               regions.size(), load_time.count());
  DataDir dir = OpenDataDir(options.data_dir, static_cast<std::size_t>(options.threads) + 4);
  api::Service service(*dir.store, *dir.files, regions, options.notifications,
                       options.swagger_ui_dir);

  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::unique_ptr<MailTransport> mail = MailTransportFor(options);
  auto lease = std::chrono::duration_cast<std::chrono::seconds>(Millis(options.delivery_lease));
  HttpWebhookTransport webhooks(
      std::clamp(lease / 2, std::chrono::seconds(1), std::chrono::seconds(10)));
  OutboxWorkerOptions outbox;
  outbox.retry =
      RetryPolicy{Millis(options.retry_initial), Millis(options.retry_max), options.max_attempts};
  outbox.lease = Millis(options.delivery_lease);
  OutboxWorker worker(*dir.store, *mail, webhooks, outbox);
  worker.Start();

  http::ServerOptions server_options;
  server_options.host = host;
  server_options.port = port;
  server_options.threads = options.threads;
  server_options.idle_timeout = std::chrono::seconds(options.idle_timeout);
  http::HttpServer server(
      server_options, [&service](http::HttpRequest& request) { return service.Handle(request); },
      [&service](http::HttpRequest& request) { return service.CheckHeaders(request); });

  std::string address = server.LocalAddress();
  spdlog::info("serving data_dir=\"{}\" address={} threads={}", options.data_dir, address,
               options.threads);
  std::cout << "numberdesk listening on http://" << address << std::endl;
  server.Run();
  worker.Stop();
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
  ServeOptions serve_options;
  serve
      ->add_option("--listen", serve_options.listen,
                   "HOST:PORT to listen on; port 0 picks a free one")
      ->envname("NUMBERDESK_LISTEN")
      ->capture_default_str();
  serve->add_option("--threads", serve_options.threads, "Event-loop threads")
      ->envname("NUMBERDESK_THREADS")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  serve
      ->add_option("--reference-data", serve_options.reference_data,
                   "Numbering reference file made by tools/reference-data")
      ->envname("NUMBERDESK_REFERENCE_DATA")
      ->check(CLI::ExistingFile)
      ->capture_default_str();
  serve
      ->add_option("--swagger-ui-dir", serve_options.swagger_ui_dir,
                   "The dist folder of the npm package swagger-ui-dist, for /swagger/index.html")
      ->envname("NUMBERDESK_SWAGGER_UI_DIR")
      ->capture_default_str();
  serve
      ->add_option("--idle-timeout", serve_options.idle_timeout,
                   "Seconds a connection may wait between requests or stall mid-request")
      ->envname("NUMBERDESK_IDLE_TIMEOUT")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  serve->add_option("--log-level", log_level, "trace, debug, info, warn, error or off")
      ->envname("NUMBERDESK_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
  serve
      ->add_option("--smtp-url", serve_options.smtp.url,
                   "SMTP server in libcurl's form, smtp://HOST:PORT or smtps://HOST:PORT; "
                   "none: mail is written as .eml files to DATA_DIR/mail")
      ->envname("NUMBERDESK_SMTP_URL");
  serve->add_option("--smtp-user", serve_options.smtp.user, "SMTP user name, if it asks for one")
      ->envname("NUMBERDESK_SMTP_USER");
  serve
      ->add_option("--smtp-password", serve_options.smtp.password,
                   "SMTP password (prefer the environment variable)")
      ->envname("NUMBERDESK_SMTP_PASSWORD");
  serve
      ->add_option("--smtp-tls", serve_options.smtp_tls,
                   "STARTTLS on smtp://: try (if offered), starttls (required) or none")
      ->envname("NUMBERDESK_SMTP_TLS")
      ->check(CLI::IsMember({"try", "starttls", "none"}))
      ->capture_default_str();
  serve
      ->add_option("--mail-from", serve_options.notifications.mail_from,
                   "Sender address of every notification")
      ->envname("NUMBERDESK_MAIL_FROM")
      ->capture_default_str();
  serve
      ->add_option("--support-email", serve_options.notifications.support_email,
                   "Where new requests and customer replies are mailed; none: nowhere")
      ->envname("NUMBERDESK_SUPPORT_EMAIL");
  serve
      ->add_option("--retry-initial", serve_options.retry_initial,
                   "Seconds before a failed delivery is tried again; doubled each time")
      ->envname("NUMBERDESK_RETRY_INITIAL")
      ->check(CLI::Range(0.01, 86400.0))
      ->capture_default_str();
  serve
      ->add_option("--retry-max", serve_options.retry_max,
                   "Longest wait between two attempts, seconds")
      ->envname("NUMBERDESK_RETRY_MAX")
      ->check(CLI::Range(0.01, 604800.0))
      ->capture_default_str();
  serve
      ->add_option("--max-attempts", serve_options.max_attempts,
                   "Attempts before a message is marked failed and shown to support")
      ->envname("NUMBERDESK_MAX_ATTEMPTS")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  serve
      ->add_option("--delivery-lease", serve_options.delivery_lease,
                   "Seconds a message is held while delivered; after a crash it is retried then")
      ->envname("NUMBERDESK_DELIVERY_LEASE")
      ->check(CLI::Range(1.0, 3600.0))
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
    if (serve->parsed()) {
      serve_options.data_dir = data_dir;
      if (!serve_options.notifications.support_email.empty() &&
          !IsValidEmailAddress(serve_options.notifications.support_email)) {
        throw std::runtime_error("--support-email is not an email address");
      }
      if (!IsValidEmailAddress(serve_options.notifications.mail_from)) {
        throw std::runtime_error("--mail-from is not an email address");
      }
      return Serve(serve_options);
    }

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
