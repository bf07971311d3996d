#ifndef NUMBERDESK_API_JSON_BODY_H_
#define NUMBERDESK_API_JSON_BODY_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/field_error.h"

namespace numberdesk::api {

// Where a JSON body stopped making sense, for a 400 a person can fix.
struct JsonSyntaxError {
  std::size_t line = 1;    // 1-based
  std::size_t column = 1;  // 1-based, in bytes
  std::string message;
};

// The deepest nesting numberdesk parses; request bodies are flat.
inline constexpr int kMaxJsonDepth = 32;

struct JsonParse {
  std::optional<nlohmann::json> value;
  std::optional<JsonSyntaxError> error;
};

// ParseJson parses `text` (UTF-8 is checked) and reports where it fails. It
// also refuses, as syntax errors with their line and column, a raw NUL byte
// anywhere in the text (message "NUL byte; ...") and a key given twice in one
// object (message `duplicate key "region"`, at the second key).
JsonParse ParseJson(std::string_view text);

// The JSON shape a request field must have.
enum class FieldShape {
  kString,
  kStringList,
  kBoolean,
  kCount,  // a whole number from 0 to 2^63 - 1, written without a fraction
};

struct FieldSpec {
  std::string_view name;
  FieldShape shape;
};

// DecodedFields holds the fields of one JSON object that were given. The
// "not given" forms are folded away here, once for every endpoint: a missing
// key, null, "" and, for lists, [""] (empty strings inside a list are
// dropped). Anything else of the wrong shape is an `invalid_type` error, and
// a key not in the spec is an `unknown_field` error with a suggestion.
class DecodedFields {
 public:
  std::optional<std::string> String(std::string_view name) const;
  std::optional<std::vector<std::string>> StringList(std::string_view name) const;
  std::optional<bool> Boolean(std::string_view name) const;
  std::optional<std::int64_t> Count(std::string_view name) const;

  FieldErrors errors;

 private:
  friend DecodedFields DecodeFields(const nlohmann::json&, const std::vector<FieldSpec>&);
  nlohmann::json given_ = nlohmann::json::object();
};

// DecodeFields checks `body` against `spec`. A body that is not an object is
// one `invalid_type` error at the root pointer "".
DecodedFields DecodeFields(const nlohmann::json& body, const std::vector<FieldSpec>& spec);

// ClosestName returns the candidate nearest to `name` (ignoring case, "_" and
// "-"), if it is close enough to be a likely typo.
std::optional<std::string> ClosestName(std::string_view name,
                                       const std::vector<std::string_view>& candidates);

// JsonPointerToken escapes a key for a JSON pointer (RFC 6901).
std::string JsonPointerToken(std::string_view key);

}  // namespace numberdesk::api

#endif  // NUMBERDESK_API_JSON_BODY_H_
