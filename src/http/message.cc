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

std::optional<std::string_view> Headers::Get(std::string_view name) const {
  for (const auto& [field, value] : fields_) {
    if (EqualsIgnoringAsciiCase(field, name)) return std::string_view(value);
  }
  return std::nullopt;
}

}  // namespace numberdesk::http
