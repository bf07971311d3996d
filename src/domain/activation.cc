#include "domain/activation.h"

#include <algorithm>

#include "domain/phone_number.h"
#include "domain/text.h"

namespace numberdesk {
namespace {

bool Contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

std::string JoinedList(const std::vector<std::string>& values) {
  std::string joined;
  for (const std::string& value : values)
    joined += (joined.empty() ? "" : ", ") + value;
  return joined;
}

// The checks of a new local number, after it parsed.
void CheckLocalNumber(const NumberRequest& request, const NanpNumber& number,
                      const RegionCatalog& regions, ObtainedNumberCheck& check) {
  std::string area_code(number.AreaCode());
  if (number.IsTollFree()) {
    check.errors.push_back(
        ErrorAt("/number", "number_wrong_kind",
                "This request is for a local number; " + number.E164() + " is toll-free."));
    return;
  }
  const Region* region = regions.Find(request.country_code, request.region.value_or(""));
  std::vector<const Region*> served = regions.RegionsServedBy(area_code);
  if (region == nullptr || std::find(served.begin(), served.end(), region) == served.end()) {
    check.errors.push_back(ErrorAt("/number", "number_outside_region",
                                   "Area code " + area_code + " does not serve " +
                                       request.country_code + "-" + request.region.value_or("") +
                                       "; complete the request with a number of that region."));
    return;
  }
  if (!request.area_code.empty() && !Contains(request.area_code, area_code)) {
    check.warnings.push_back("Area code " + area_code +
                             " is not one of the preferred area codes (" +
                             JoinedList(request.area_code) + ").");
  }
  if (request.city) {
    const City* city = regions.FindCity(*region, *request.city);
    if (city != nullptr && !Contains(city->area_codes, area_code)) {
      check.warnings.push_back("Area code " + area_code + " does not serve " + city->name + ".");
    }
  }
}

}  // namespace

ObtainedNumberCheck CheckObtainedNumber(const NumberRequest& request, std::string_view text,
                                        const RegionCatalog& regions) {
  ObtainedNumberCheck check;
  if (TrimWhitespace(text).empty()) {
    check.errors.push_back(
        ErrorAt("/number", "required", "number (the number obtained, in E.164) is required."));
    return check;
  }
  PhoneNumberParse parsed = ParseNanpNumber(
      text, [&regions](std::string_view code) { return regions.IsAreaCodeInService(code); });
  if (!parsed.number) {
    check.errors.push_back(
        ErrorAt("/number", std::string(PhoneNumberErrorCode(parsed.error)), parsed.detail));
    return check;
  }
  const NanpNumber& number = *parsed.number;

  switch (request.type) {
    case RequestType::kPortIn:
      if (number.E164() != request.number_to_port.value_or("")) {
        check.errors.push_back(ErrorAt("/number", "number_not_ported_number",
                                       "A port-in completes with the ported number, " +
                                           request.number_to_port.value_or("") + "."));
        return check;
      }
      break;
    case RequestType::kTollFree: {
      std::string prefix(number.AreaCode());
      if (!number.IsTollFree() || !regions.IsTollFreePrefixInService(prefix)) {
        check.errors.push_back(ErrorAt(
            "/number", "number_wrong_kind",
            "This request is for a toll-free number; " + number.E164() + " is not toll-free."));
        return check;
      }
      if (!request.area_code.empty() && !Contains(request.area_code, prefix)) {
        check.warnings.push_back("Prefix " + prefix + " is not one of the preferred prefixes (" +
                                 JoinedList(request.area_code) + ").");
      }
      break;
    }
    case RequestType::kNonTollFree:
      CheckLocalNumber(request, number, regions, check);
      if (!check.errors.empty()) return check;
      break;
  }
  check.number = number.E164();
  return check;
}

std::string_view ToString(AssignmentReason reason) {
  switch (reason) {
    case AssignmentReason::kRequestedUser:
      return "requested_user";
    case AssignmentReason::kDefaultUserNoneNamed:
      return "default_user_none_named";
    case AssignmentReason::kDefaultUserNamedUnavailable:
      return "default_user_named_unavailable";
  }
  return "requested_user";
}

std::optional<Assignment> ChooseAssignee(const NumberRequest& request,
                                         const std::optional<User>& requested,
                                         const std::optional<User>& default_user) {
  auto usable = [&request](const std::optional<User>& user) {
    return user && user->active && user->account_id == request.account_id;
  };
  if (request.assign_to_user_id && usable(requested)) {
    return Assignment{*requested, AssignmentReason::kRequestedUser,
                      "Assigned to " + requested->username + ", as the request asked."};
  }
  if (!usable(default_user)) return std::nullopt;
  if (request.assign_to_user_id) {
    std::string named = request.assign_to_user.value_or(requested ? requested->username : "");
    return Assignment{*default_user, AssignmentReason::kDefaultUserNamedUnavailable,
                      "Assigned to the account's default user " + default_user->username +
                          " because the requested user " + named +
                          " no longer exists or is inactive."};
  }
  return Assignment{*default_user, AssignmentReason::kDefaultUserNoneNamed,
                    "Assigned to the account's default user " + default_user->username +
                        " because the request named no user."};
}

}  // namespace numberdesk
