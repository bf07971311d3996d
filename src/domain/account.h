#ifndef NUMBERDESK_DOMAIN_ACCOUNT_H_
#define NUMBERDESK_DOMAIN_ACCOUNT_H_

#include <optional>
#include <string>
#include <string_view>

namespace numberdesk {

// An account is one customer of the fax service.
struct Account {
  std::string id;
  std::string name;
  // Receives faxes for numbers activated with no assignee, so none are lost.
  std::optional<std::string> default_user_id;
  std::string created_at;
};

enum class UserRole {
  kAccountAdmin,  // a customer administrator
  kFaxUser,       // receives faxes; may be the target of assign_to_user
  kSupportAgent,  // provider staff; belongs to no account
};

std::string_view ToString(UserRole role);  // "account_admin", "fax_user", "support_agent"
std::optional<UserRole> ParseUserRole(std::string_view text);

struct User {
  std::string id;
  std::optional<std::string> account_id;  // empty for support agents
  std::string username;
  std::string email;
  UserRole role = UserRole::kFaxUser;
  bool can_manage_fax_numbers = false;  // meaningful for administrators only
  bool active = true;
  std::string created_at;
};

// MayManageFaxNumbers is the rule behind every customer request endpoint: an
// active account administrator holding the manage-fax-numbers permission.
inline bool MayManageFaxNumbers(const User& user) {
  return user.active && user.role == UserRole::kAccountAdmin && user.can_manage_fax_numbers &&
         user.account_id.has_value();
}

// An API token's record; the secret itself is never kept.
struct ApiToken {
  std::string id;
  std::string user_id;
  std::string display_prefix;  // first characters of the secret, for people
  std::string label;
  std::string created_at;
  std::optional<std::string> expires_at;  // RFC 3339; none means it never expires
  std::optional<std::string> revoked_at;
  std::optional<std::string> last_used_at;
};

}  // namespace numberdesk

#endif  // NUMBERDESK_DOMAIN_ACCOUNT_H_
