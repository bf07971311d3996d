#include "domain/request_validation.h"

#include <algorithm>
#include <functional>

#include "domain/email_address.h"
#include "domain/phone_number.h"
#include "domain/text.h"

namespace numberdesk {
namespace {

// Checks collects errors for one request and knows which fields the decoder
// already refused, so that each field is reported once.
class Checks {
 public:
  explicit Checks(const FieldErrors& decoding_errors) : errors_(decoding_errors) {}

  // Errors past kMaxFieldErrors are dropped; see the header.

  bool AlreadyRefused(std::string_view pointer) const {
    return std::any_of(errors_.begin(), errors_.end(), [&](const FieldError& e) {
      bool whole_body = e.pointer.empty() && e.part.empty();
      return whole_body || e.pointer == pointer ||
             (e.pointer.size() > pointer.size() && e.pointer.starts_with(pointer) &&
              e.pointer[pointer.size()] == '/');
    });
  }

  void Add(std::string pointer, std::string code, std::string detail) {
    if (errors_.size() >= kMaxFieldErrors) return;
    errors_.push_back(ErrorAt(std::move(pointer), std::move(code), std::move(detail)));
  }

  FieldErrors Take() {
    if (errors_.size() > kMaxFieldErrors) errors_.resize(kMaxFieldErrors);
    return std::move(errors_);
  }
  bool Empty() const { return errors_.empty(); }

 private:
  FieldErrors errors_;
};

// The entries of a list as sent that are not blank.
std::size_t NonBlankCount(const std::vector<std::string>& list) {
  return static_cast<std::size_t>(std::count_if(
      list.begin(), list.end(), [](const std::string& s) { return !TrimWhitespace(s).empty(); }));
}

// Checks free text: trimmed, no control characters, at most `max_length`
// code points. Returns the trimmed text when valid.
std::optional<std::string> CheckText(Checks& checks, const std::string& pointer,
                                     const std::optional<std::string>& value,
                                     std::size_t max_length, bool allow_line_breaks) {
  if (!value || checks.AlreadyRefused(pointer)) return std::nullopt;
  std::string text(TrimWhitespace(*value));
  if (text.empty()) return std::nullopt;
  if (HasControlCharacters(text, allow_line_breaks)) {
    checks.Add(pointer, "control_characters", "Control characters are not allowed here.");
    return std::nullopt;
  }
  if (Utf8Length(text) > max_length) {
    checks.Add(pointer, "too_long",
               "At most " + std::to_string(max_length) + " characters are allowed.");
    return std::nullopt;
  }
  return text;
}

std::optional<std::string> CheckCountry(Checks& checks, const RequestDraft& draft) {
  if (checks.AlreadyRefused("/country_code")) return std::nullopt;
  if (!draft.country_code) {
    checks.Add("/country_code", "required", "country_code is required: US or CA.");
    return std::nullopt;
  }
  std::string code = AsciiUpper(TrimWhitespace(*draft.country_code));
  if (!IsSupportedCountry(code)) {
    checks.Add("/country_code", "invalid_country_code",
               "country_code must be US or CA; got " + QuoteForMessage(*draft.country_code) + ".");
    return std::nullopt;
  }
  return code;
}

std::vector<std::string> CheckNotifyEmails(Checks& checks, const RequestDraft& draft) {
  std::vector<std::string> unique;
  if (checks.AlreadyRefused("/notify_email")) return unique;
  if (!draft.notify_email || draft.notify_email->empty()) {
    checks.Add("/notify_email", "required", "notify_email needs at least one email address.");
    return unique;
  }
  const auto& addresses = *draft.notify_email;
  // The limit is checked on the list as sent, before any entry, so that a
  // huge list costs one error and no per-entry work.
  if (NonBlankCount(addresses) > kMaxNotifyEmails) {
    checks.Add("/notify_email", "too_many_values",
               "At most " + std::to_string(kMaxNotifyEmails) + " addresses are allowed.");
    return unique;
  }
  bool any_refused = false;
  for (std::size_t i = 0; i < addresses.size(); ++i) {
    std::string pointer = "/notify_email/" + std::to_string(i);
    if (checks.AlreadyRefused(pointer)) {
      any_refused = true;
      continue;
    }
    std::string address(TrimWhitespace(addresses[i]));
    if (address.empty()) continue;
    if (!IsValidEmailAddress(address)) {
      checks.Add(pointer, "invalid_email",
                 QuoteForMessage(addresses[i]) + " is not an email address.");
      any_refused = true;
      continue;
    }
    bool seen = std::any_of(unique.begin(), unique.end(), [&](const std::string& kept) {
      return EqualsIgnoringAsciiCase(kept, address);
    });
    if (!seen) unique.push_back(address);
  }
  // A list of blanks only gives no address at all.
  if (unique.empty() && !any_refused) {
    checks.Add("/notify_email", "required", "notify_email needs at least one email address.");
  }
  return unique;
}

// Checks a phone-number field and returns it in E.164.
std::optional<NanpNumber> CheckPhoneNumber(Checks& checks, const std::string& pointer,
                                           const std::optional<std::string>& value,
                                           const ValidationContext& context) {
  if (!value || checks.AlreadyRefused(pointer)) return std::nullopt;
  std::function<bool(std::string_view)> in_service;
  if (context.regions != nullptr) {
    in_service = [&](std::string_view code) { return context.regions->IsAreaCodeInService(code); };
  }
  PhoneNumberParse parse = ParseNanpNumber(*value, in_service);
  if (!parse.number) {
    checks.Add(pointer, std::string(PhoneNumberErrorCode(parse.error)), parse.detail);
  }
  return parse.number;
}

std::optional<UserRef> CheckAssignee(Checks& checks, const RequestDraft& draft,
                                     const ValidationContext& context) {
  std::optional<std::string> username =
      CheckText(checks, "/assign_to_user", draft.assign_to_user, 100, false);
  if (!username) return std::nullopt;
  std::optional<UserRef> user =
      context.find_active_user ? context.find_active_user(*username) : std::nullopt;
  if (!user) {
    checks.Add("/assign_to_user", "unknown_user",
               "No active user " + QuoteForMessage(*username) + " in this account.");
  }
  return user;
}

const Region* CheckRegion(Checks& checks, const RequestDraft& draft,
                          const std::optional<std::string>& country,
                          const ValidationContext& context) {
  if (checks.AlreadyRefused("/region")) return nullptr;
  std::optional<std::string> code =
      draft.region ? std::optional<std::string>(TrimWhitespace(*draft.region)) : std::nullopt;
  if (!code || code->empty()) {
    checks.Add("/region", "required", "region (a state or province code such as MA) is required.");
    return nullptr;
  }
  if (!country) return nullptr;  // Nothing to check the region against.
  const Region* region = context.regions ? context.regions->Find(*country, *code) : nullptr;
  if (region == nullptr) {
    checks.Add(
        "/region", "invalid_region",
        QuoteForMessage(*code) + " is not a state, province or territory of " + *country + ".");
  }
  return region;
}

// A city, when given, must be one of the region's; the canonical name (with
// its accents) is what is stored.
const City* CheckCity(Checks& checks, const RequestDraft& draft, const Region* region,
                      const ValidationContext& context) {
  std::optional<std::string> name = CheckText(checks, "/city", draft.city, kMaxCityLength, false);
  if (!name || region == nullptr) return nullptr;
  const City* city = context.regions->FindCity(*region, *name);
  if (city == nullptr) {
    std::string detail = QuoteForMessage(*name) + " is not a city of " + region->name + ".";
    std::vector<const City*> near = context.regions->SuggestCities(*region, *name, 3);
    if (!near.empty()) {
      detail += " Did you mean";
      for (std::size_t i = 0; i < near.size(); ++i) {
        detail += (i == 0 ? " \"" : (i + 1 == near.size() ? "\" or \"" : "\", \"")) + near[i]->name;
      }
      detail += "\"?";
    }
    checks.Add("/city", "unknown_city", detail);
  }
  return city;
}

// Preferred area codes: three digits each; toll-free prefixes for a toll-free
// request, geographic area codes otherwise. Duplicates are dropped.
std::string JoinCodes(const std::vector<std::string>& codes) {
  std::string joined;
  for (const std::string& code : codes)
    joined += (joined.empty() ? "" : ", ") + code;
  return joined;
}

// Preferred area codes: three digits each; for a toll-free request toll-free
// prefixes in service, otherwise area codes that serve the region (and the
// city, when one is given). Duplicates are dropped.
std::vector<std::string> CheckAreaCodes(Checks& checks, const RequestDraft& draft, RequestType type,
                                        const Region* region, const City* city,
                                        const ValidationContext& context) {
  std::vector<std::string> unique;
  if (!draft.area_code || checks.AlreadyRefused("/area_code")) return unique;
  const auto& codes = *draft.area_code;
  if (NonBlankCount(codes) > kMaxAreaCodes) {
    checks.Add("/area_code", "too_many_values",
               "At most " + std::to_string(kMaxAreaCodes) + " area codes are allowed.");
    return unique;
  }
  for (std::size_t i = 0; i < codes.size(); ++i) {
    std::string pointer = "/area_code/" + std::to_string(i);
    if (checks.AlreadyRefused(pointer)) continue;
    std::string code(TrimWhitespace(codes[i]));
    if (code.empty()) continue;
    bool three_digits = code.size() == 3 && std::all_of(code.begin(), code.end(), [](char c) {
                          return c >= '0' && c <= '9';
                        });
    auto contains = [&](const std::vector<std::string>& list) {
      return std::find(list.begin(), list.end(), code) != list.end();
    };
    if (type == RequestType::kTollFree) {
      bool in_service = context.regions ? context.regions->IsTollFreePrefixInService(code)
                                        : IsTollFreePrefix(code);
      if (!in_service) {
        checks.Add(pointer, "not_toll_free_prefix",
                   QuoteForMessage(codes[i]) +
                       " is not a toll-free prefix in service (800, 833, 844, 855, 866, 877 or "
                       "888).");
        continue;
      }
    } else if (!three_digits || code[0] < '2' || (code[1] == '1' && code[2] == '1')) {
      checks.Add(
          pointer, "invalid_area_code",
          QuoteForMessage(codes[i]) + " is not an area code: three digits, starting with 2-9.");
      continue;
    } else if (IsTollFreePrefix(code)) {
      checks.Add(pointer, "invalid_area_code",
                 code + " is toll-free; ask for a toll-free number instead.");
      continue;
    } else if (city != nullptr && !contains(city->area_codes)) {
      checks.Add(pointer, "area_code_not_in_city",
                 "Area code " + code + " does not serve " + city->name + "; it is served by " +
                     JoinCodes(city->area_codes) + ".");
      continue;
    } else if (region != nullptr && !contains(region->area_codes)) {
      checks.Add(pointer, "area_code_not_in_region",
                 "Area code " + code + " does not serve " + region->name + "; its area codes are " +
                     JoinCodes(region->area_codes) + ".");
      continue;
    }
    if (std::find(unique.begin(), unique.end(), code) == unique.end()) unique.push_back(code);
  }
  return unique;
}

}  // namespace

RequestValidation ValidateRequest(RequestType type, const RequestDraft& draft,
                                  const ValidationContext& context,
                                  const FieldErrors& decoding_errors) {
  Checks checks(decoding_errors);
  NumberRequest request;
  request.type = type;
  request.status = RequestStatus::kSubmitted;

  std::optional<std::string> country = CheckCountry(checks, draft);
  request.department_name =
      CheckText(checks, "/department_name", draft.department_name, kMaxDepartmentNameLength, false);
  if (std::optional<UserRef> assignee = CheckAssignee(checks, draft, context)) {
    request.assign_to_user = assignee->username;
    request.assign_to_user_id = assignee->id;
  }
  request.notify_email = CheckNotifyEmails(checks, draft);
  request.comment = CheckText(checks, "/comment", draft.comment, kMaxCommentLength, true);
  if (auto forward_from = CheckPhoneNumber(checks, "/forward_from", draft.forward_from, context)) {
    request.forward_from = forward_from->E164();
  }

  switch (type) {
    case RequestType::kNonTollFree: {
      const Region* region = CheckRegion(checks, draft, country, context);
      const City* city = CheckCity(checks, draft, region, context);
      if (region != nullptr) request.region = region->code;
      if (city != nullptr) request.city = city->name;
      request.area_code = CheckAreaCodes(checks, draft, type, region, city, context);
      break;
    }
    case RequestType::kTollFree:
      request.area_code = CheckAreaCodes(checks, draft, type, nullptr, nullptr, context);
      break;
    case RequestType::kPortIn:
      if (!draft.number_to_port && !checks.AlreadyRefused("/number_to_port")) {
        checks.Add("/number_to_port", "required", "number_to_port is required.");
      }
      if (auto number =
              CheckPhoneNumber(checks, "/number_to_port", draft.number_to_port, context)) {
        request.number_to_port = number->E164();
        request.toll_free = number->IsTollFree();
        if (draft.toll_free && *draft.toll_free != number->IsTollFree() &&
            !checks.AlreadyRefused("/toll_free")) {
          checks.Add("/toll_free", "toll_free_mismatch",
                     number->E164() + (number->IsTollFree() ? " is" : " is not") +
                         " a toll-free number, but toll_free says otherwise.");
        }
        if (country && context.regions != nullptr && !number->IsTollFree()) {
          std::vector<const Region*> served = context.regions->RegionsServedBy(number->AreaCode());
          bool in_country = std::any_of(served.begin(), served.end(), [&](const Region* region) {
            return region->country_code == *country;
          });
          if (!in_country && !served.empty()) {
            checks.Add("/number_to_port", "number_not_in_country",
                       "Area code " + std::string(number->AreaCode()) + " is in " +
                           served.front()->name + ", " + served.front()->country_code +
                           ", not in " + *country + ".");
          }
        }
      }
      break;
  }

  if (!checks.Empty()) return RequestValidation{std::nullopt, checks.Take()};
  request.country_code = *country;
  return RequestValidation{std::move(request), {}};
}

}  // namespace numberdesk
