#include "http/message.h"

#include <algorithm>

#include "domain/text.h"

namespace numberdesk::http {

void Headers::Add(std::string name, std::string value) {
  if (fields_.empty()) fields_.reserve(8);
  fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::Set(std::string name, std::string value) {
  std::erase_if(fields_,
                [&](const auto& field) { return EqualsIgnoringAsciiCase(field.first, name); });
  Add(std::move(name), std::move(value));
}

bool MatchesIfNoneMatch(const HttpRequest& request, std::string_view etag) {
  // A list-valued field may come as several fields; together they are one list.
  for (std::string_view list : request.headers.GetAll("If-None-Match")) {
    while (!list.empty()) {
      std::size_t comma = list.find(',');
      std::string_view candidate = TrimWhitespace(list.substr(0, comma));
      if (candidate.starts_with("W/")) candidate.remove_prefix(2);
      if (candidate == "*" || candidate == etag) return true;
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  return false;
}

std::string MediaTypeOf(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  return AsciiLower(TrimWhitespace(type));
}

std::optional<std::string_view> Headers::Get(std::string_view name) const {
  for (const auto& [field, value] : fields_) {
    if (EqualsIgnoringAsciiCase(field, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::vector<std::string_view> Headers::GetAll(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const auto& [field, value] : fields_) {
    if (EqualsIgnoringAsciiCase(field, name)) values.emplace_back(value);
  }
  return values;
}

}  // namespace numberdesk::http
