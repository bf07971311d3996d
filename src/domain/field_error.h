#ifndef NUMBERDESK_DOMAIN_FIELD_ERROR_H_
#define NUMBERDESK_DOMAIN_FIELD_ERROR_H_

#include <string>
#include <vector>

namespace numberdesk {

// FieldError names one piece of client input that was refused and why.
//
// `pointer` is an RFC 6901 JSON pointer into the JSON body (for a port-in,
// into its `data` part), such as "/notify_email/0". `part` is set instead for
// a whole multipart part such as "loaFile". `code` is stable and
// machine-readable; `detail` is a sentence a person can act on.
struct FieldError {
  std::string pointer;
  std::string part;
  std::string code;
  std::string detail;
};

using FieldErrors = std::vector<FieldError>;

// ErrorAt returns a FieldError for the JSON pointer `pointer`.
inline FieldError ErrorAt(std::string pointer, std::string code, std::string detail) {
  return FieldError{std::move(pointer), {}, std::move(code), std::move(detail)};
}

// ErrorInPart returns a FieldError for the multipart part `part`.
inline FieldError ErrorInPart(std::string part, std::string code, std::string detail) {
  return FieldError{{}, std::move(part), std::move(code), std::move(detail)};
}

}  // namespace numberdesk

#endif  // NUMBERDESK_DOMAIN_FIELD_ERROR_H_
