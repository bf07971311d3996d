#include "app/operator_commands.h"

#include <chrono>
#include <stdexcept>

#include "domain/email_address.h"
#include "domain/timestamps.h"
#include "security/tokens.h"

namespace numberdesk {
namespace {

void CheckUsername(const std::string& username) {
  bool ok = !username.empty() && username.size() <= 64;
  for (char c : username) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.');
  }
  if (!ok) {
    throw std::runtime_error("username \"" + username +
                             "\" must be 1-64 letters, digits, '_', '-' or '.'");
  }
}

void CheckEmail(const std::string& email) {
  if (!IsValidEmailAddress(email))
    throw std::runtime_error("\"" + email + "\" is not an email address");
}

}  // namespace

Account CreateAccountWithDefaultUser(Store& store, const std::string& name,
                                     const std::string& default_username,
                                     const std::string& default_email) {
  if (name.empty()) throw std::runtime_error("an account needs a name");
  CheckUsername(default_username);
  CheckEmail(default_email);
  if (store.FindAccountByName(name)) throw std::runtime_error("account \"" + name + "\" exists");
  if (store.FindUserByUsername(default_username)) {
    throw std::runtime_error("username \"" + default_username + "\" is taken");
  }
  Account account = store.CreateAccount(name);
  User user;
  user.account_id = account.id;
  user.username = default_username;
  user.email = default_email;
  user.role = UserRole::kFaxUser;
  user = store.CreateUser(user);
  store.SetDefaultUser(account.id, user.id);
  account.default_user_id = user.id;
  return account;
}

User CreateUserInAccount(Store& store, const NewUserOptions& options) {
  CheckUsername(options.username);
  CheckEmail(options.email);
  User user;
  if (options.role == UserRole::kSupportAgent) {
    if (!options.account_name.empty()) {
      throw std::runtime_error("support agents belong to no account; drop --account");
    }
  } else {
    std::optional<Account> account = store.FindAccountByName(options.account_name);
    if (!account) throw std::runtime_error("no account \"" + options.account_name + "\"");
    user.account_id = account->id;
  }
  if (store.FindUserByUsername(options.username)) {
    throw std::runtime_error("username \"" + options.username + "\" is taken");
  }
  user.username = options.username;
  user.email = options.email;
  user.role = options.role;
  user.can_manage_fax_numbers =
      options.role == UserRole::kAccountAdmin && options.can_manage_fax_numbers;
  return store.CreateUser(user);
}

void SetUserActive(Store& store, const std::string& username, bool active) {
  std::optional<User> user = store.FindUserByUsername(username);
  if (!user) throw std::runtime_error("no user " + username);
  store.SetUserActive(user->id, active);
}

IssuedToken IssueToken(Store& store, const std::string& username, const std::string& label,
                       std::optional<int> expires_in_days) {
  std::optional<User> user = store.FindUserByUsername(username);
  if (!user) throw std::runtime_error("no user \"" + username + "\"");
  MintedToken minted = MintApiToken();
  ApiToken token;
  token.user_id = user->id;
  token.display_prefix = minted.display_prefix;
  token.label = label;
  if (expires_in_days) {
    if (*expires_in_days < 1) throw std::runtime_error("--expires-in-days must be at least 1");
    token.expires_at =
        FormatRfc3339(std::chrono::system_clock::now() + std::chrono::hours(24) * *expires_in_days);
  }
  token = store.CreateToken(token, minted.hash);
  return IssuedToken{std::move(token), std::move(minted.secret)};
}

nlohmann::json SetUpDemo(Store& store) {
  if (!store.FindAccountByName("Acme")) {
    CreateAccountWithDefaultUser(store, "Acme", "acme_default", "faxes@acme.example");
  }
  struct DemoUser {
    const char* username;
    const char* email;
    UserRole role;
    bool manages;
    const char* account;
  };
  const DemoUser users[] = {
      {"jdoe", "jdoe@acme.example", UserRole::kAccountAdmin, true, "Acme"},
      {"s_smith", "s_smith@acme.example", UserRole::kFaxUser, false, "Acme"},
      {"viewer", "viewer@acme.example", UserRole::kAccountAdmin, false, "Acme"},
      {"support", "support@numberdesk.example", UserRole::kSupportAgent, false, ""},
  };
  for (const DemoUser& demo : users) {
    if (store.FindUserByUsername(demo.username)) continue;
    CreateUserInAccount(
        store, NewUserOptions{demo.account, demo.username, demo.email, demo.role, demo.manages});
  }
  return {
      {"token", IssueToken(store, "jdoe", "demo", std::nullopt).secret},
      {"viewer_token", IssueToken(store, "viewer", "demo", std::nullopt).secret},
      {"support_token", IssueToken(store, "support", "demo", std::nullopt).secret},
  };
}

}  // namespace numberdesk
