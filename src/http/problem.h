#ifndef NUMBERDESK_HTTP_PROBLEM_H_
#define NUMBERDESK_HTTP_PROBLEM_H_

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "domain/field_error.h"
#include "http/message.h"

namespace numberdesk::http {

// Problem builds an RFC 9457 "application/problem+json" response. Every
// error numberdesk returns is one of these, with a stable `code` that says
// what kind of failure it is; `detail` is for people.
//
//   return Problem(404, "not_found", "No request req_... in this account.");
HttpResponse Problem(int status, std::string_view code, std::string_view detail);

// Problem with extension members (RFC 9457 section 3.2) merged into the body,
// e.g. {"line": 3, "column": 7} for a JSON syntax error.
HttpResponse Problem(int status, std::string_view code, std::string_view detail,
                     const nlohmann::ordered_json& extensions);

// ProblemWithErrors adds an `errors` array with one entry per refused field
// (`pointer` or `part`, `code`, `detail`). The top-level code is the one code
// all entries share, or "validation_failed" when they differ.
HttpResponse ProblemWithErrors(int status, std::string_view detail, const FieldErrors& errors);

// JsonResponse serialises `body` as "application/json", keys in insertion order.
HttpResponse JsonResponse(int status, const nlohmann::ordered_json& body);

// ReasonPhrase returns the standard phrase of `status`, e.g. "Not Found".
std::string_view ReasonPhrase(int status);

}  // namespace numberdesk::http

#endif  // NUMBERDESK_HTTP_PROBLEM_H_
