#ifndef NUMBERDESK_APP_OPERATOR_COMMANDS_H_
#define NUMBERDESK_APP_OPERATOR_COMMANDS_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "storage/store.h"

namespace numberdesk {

// The operator's commands, written against the Store so that they work on
// any backend. Each throws std::runtime_error with a message for the
// operator when it cannot do what was asked.

// CreateAccountWithDefaultUser creates an account and the fax user that
// receives faxes for numbers activated with no assignee.
Account CreateAccountWithDefaultUser(Store& store, const std::string& name,
                                     const std::string& default_username,
                                     const std::string& default_email);

struct NewUserOptions {
  std::string account_name;  // empty for a support agent
  std::string username;
  std::string email;
  UserRole role = UserRole::kFaxUser;
  bool can_manage_fax_numbers = false;
};
User CreateUserInAccount(Store& store, const NewUserOptions& options);

// SetUserActive activates or deactivates the user called `username`. A
// deactivated user's tokens stop working, and numbers completed for them go
// to the account's default user instead.
void SetUserActive(Store& store, const std::string& username, bool active);

// IssueToken mints a token for `username`; the secret is in the result and
// nowhere else.
struct IssuedToken {
  ApiToken token;
  std::string secret;
};
IssuedToken IssueToken(Store& store, const std::string& username, const std::string& label,
                       std::optional<int> expires_in_days);

// SetUpDemo creates, where absent, the account "Acme" with its default user,
// the administrator "jdoe" (manage-fax-numbers), the fax user "s_smith", the
// administrator "viewer" without the permission and the support agent
// "support", and returns fresh tokens as {"token", "viewer_token",
// "support_token"}.
nlohmann::json SetUpDemo(Store& store);

}  // namespace numberdesk

#endif  // NUMBERDESK_APP_OPERATOR_COMMANDS_H_
