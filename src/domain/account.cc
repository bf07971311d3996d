#include "domain/account.h"

namespace numberdesk {

std::string_view ToString(UserRole role) {
  switch (role) {
    case UserRole::kAccountAdmin:
      return "account_admin";
    case UserRole::kFaxUser:
      return "fax_user";
    case UserRole::kSupportAgent:
      return "support_agent";
  }
  return "fax_user";
}

std::optional<UserRole> ParseUserRole(std::string_view text) {
  for (UserRole role : {UserRole::kAccountAdmin, UserRole::kFaxUser, UserRole::kSupportAgent}) {
    if (ToString(role) == text) return role;
  }
  return std::nullopt;
}

}  // namespace numberdesk
