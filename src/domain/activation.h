#ifndef NUMBERDESK_DOMAIN_ACTIVATION_H_
#define NUMBERDESK_DOMAIN_ACTIVATION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/account.h"
#include "domain/field_error.h"
#include "domain/number_request.h"
#include "domain/region_catalog.h"

namespace numberdesk {

// FaxNumber is a number in an account's inventory. A number is active on one
// account at a time; every active number has a user who receives its faxes.
struct FaxNumber {
  std::string id;
  std::string number;  // E.164
  std::string account_id;
  std::string request_id;  // the request that obtained it
  std::string assigned_user_id;
  std::string assigned_username;
  std::string activated_at;
};

// The outcome of checking the number a support agent completes a request
// with: the number in E.164 form, or errors at "/number". Warnings are for a
// number that is acceptable but not what the customer preferred.
struct ObtainedNumberCheck {
  std::optional<std::string> number;
  FieldErrors errors;
  std::vector<std::string> warnings;
};

// CheckObtainedNumber checks `text` as the number that completes `request`:
//   - a new local number must be an in-service North American number whose
//     area code serves the requested region; one outside the preferred area
//     codes or the requested city's area codes is accepted with a warning;
//   - a toll-free number must have a toll-free prefix in service, and is
//     accepted with a warning outside the preferred prefixes;
//   - a port-in completes with the ported number itself.
ObtainedNumberCheck CheckObtainedNumber(const NumberRequest& request, std::string_view text,
                                        const RegionCatalog& regions);

// Why a number went to the user it went to.
enum class AssignmentReason {
  kRequestedUser,                // assign_to_user, still an active user of the account
  kDefaultUserNoneNamed,         // no assign_to_user: the account's default user
  kDefaultUserNamedUnavailable,  // assign_to_user has left or was deactivated
};

std::string_view ToString(AssignmentReason reason);  // "requested_user", ...

struct Assignment {
  User user;
  AssignmentReason reason = AssignmentReason::kRequestedUser;
  std::string explanation;  // a sentence for the timeline and the email
};

// ChooseAssignee picks who receives the faxes of a number completed for
// `request`: `requested` (the user assign_to_user named, as found now, or
// nothing if that user no longer exists) if it is still an active user of
// the request's account, otherwise `default_user`. Nothing if neither can
// take it, in which case the number must not be activated: its faxes would
// be lost.
std::optional<Assignment> ChooseAssignee(const NumberRequest& request,
                                         const std::optional<User>& requested,
                                         const std::optional<User>& default_user);

}  // namespace numberdesk

#endif  // NUMBERDESK_DOMAIN_ACTIVATION_H_
