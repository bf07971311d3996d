#ifndef NUMBERDESK_DOMAIN_REQUEST_VALIDATION_H_
#define NUMBERDESK_DOMAIN_REQUEST_VALIDATION_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/field_error.h"
#include "domain/number_request.h"
#include "domain/region_catalog.h"

namespace numberdesk {

// Limits on free text and lists, in code points and entries. A list's limit
// counts its non-blank entries as sent, duplicates included.
inline constexpr std::size_t kMaxDepartmentNameLength = 100;
inline constexpr std::size_t kMaxCommentLength = 2000;
inline constexpr std::size_t kMaxCityLength = 100;
inline constexpr std::size_t kMaxNotifyEmails = 10;
inline constexpr std::size_t kMaxAreaCodes = 10;

// The most field errors one validation reports, decoding errors included, so
// that an error response stays small whatever the request holds. Errors past
// the limit are dropped silently; the first ones are kept, in field order.
inline constexpr std::size_t kMaxFieldErrors = 50;

// RequestDraft is a request as the client sent it, after decoding. A field is
// empty when it was not given: absent, null, "" or [""]. Empty strings inside
// a list stay in place, so that error pointers index the list as sent, and
// are skipped by validation.
struct RequestDraft {
  std::optional<std::string> country_code;
  std::optional<std::string> department_name;
  std::optional<std::string> assign_to_user;
  std::optional<std::vector<std::string>> notify_email;
  std::optional<std::string> comment;
  std::optional<std::string> forward_from;
  std::optional<std::string> region;
  std::optional<std::string> city;
  std::optional<std::vector<std::string>> area_code;
  std::optional<std::string> number_to_port;
  std::optional<bool> toll_free;
};

// An active user of the caller's account, found by username.
struct UserRef {
  std::string id;
  std::string username;
};

// What validation needs to know about the world.
struct ValidationContext {
  const RegionCatalog* regions = nullptr;
  // Returns the active user of the requesting account with this username
  // (matched in any letter case), or nothing.
  std::function<std::optional<UserRef>(std::string_view username)> find_active_user;
};

struct RequestValidation {
  std::optional<NumberRequest> request;  // set when `errors` is empty
  FieldErrors errors;                    // every problem found, in field order
};

// ValidateRequest checks every field of `draft` for a request of `type` and
// returns either the normalised request (country and region upper case,
// numbers in E.164, lists trimmed and de-duplicated, `toll_free` derived for
// a port-in when absent) or the problems at once, at most kMaxFieldErrors of
// them. A list over its limit gets one too_many_values error and its entries
// are not checked one by one. A client's value is quoted in a detail cut to
// kMaxQuotedLength code points. `decoding_errors` are
// problems already found while decoding the body (wrong JSON types, unknown
// fields); they are reported first and their fields are not checked again.
// Identity, ownership and timestamps of the result are left for the caller.
RequestValidation ValidateRequest(RequestType type, const RequestDraft& draft,
                                  const ValidationContext& context,
                                  const FieldErrors& decoding_errors = {});

}  // namespace numberdesk

#endif  // NUMBERDESK_DOMAIN_REQUEST_VALIDATION_H_
