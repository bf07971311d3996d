#include "api/json_body.h"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <limits>
#include <set>

#include "domain/text.h"

namespace numberdesk::api {
namespace {

struct TooDeep {};

struct DuplicateKey {
  std::string key;
  std::size_t offset;  // of the key's opening quote
};

// ReadingIterator walks the text for nlohmann and remembers the byte it read
// last, which is the only way to know where the parser is inside a callback.
struct ReadingIterator {
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  const char* at;
  const char** last_read;

  reference operator*() const {
    *last_read = at;
    return *at;
  }
  ReadingIterator& operator++() {
    ++at;
    return *this;
  }
  ReadingIterator operator++(int) {
    ReadingIterator before = *this;
    ++at;
    return before;
  }
  friend bool operator==(const ReadingIterator& a, const ReadingIterator& b) {
    return a.at == b.at;
  }
};

// The offset of the quote that opens the string whose closing quote is at
// `closing`: the nearest '"' before it not escaped by a backslash.
std::size_t OpeningQuoteBefore(std::string_view text, std::size_t closing) {
  for (std::size_t i = std::min(closing, text.size()); i-- > 0;) {
    if (text[i] != '"') continue;
    std::size_t backslashes = 0;
    while (backslashes < i && text[i - 1 - backslashes] == '\\')
      ++backslashes;
    if (backslashes % 2 == 0) return i;
  }
  return closing;
}

// The 1-based line and column of byte `offset` of `text`.
JsonSyntaxError SyntaxErrorAt(std::string_view text, std::size_t offset, std::string message) {
  JsonSyntaxError error;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++error.line;
      error.column = 1;
    } else {
      ++error.column;
    }
  }
  error.message = std::move(message);
  return error;
}

JsonSyntaxError NulError(std::string_view text, std::size_t offset) {
  return SyntaxErrorAt(text, offset, "NUL byte; control characters must be escaped in JSON");
}

std::string Normalise(std::string_view name) {
  std::string out;
  for (char c : AsciiLower(name)) {
    if (c != '_' && c != '-') out.push_back(c);
  }
  return out;
}

std::string_view ShapeName(FieldShape shape) {
  switch (shape) {
    case FieldShape::kString:
      return "a string";
    case FieldShape::kStringList:
      return "an array of strings";
    case FieldShape::kBoolean:
      return "true or false";
    case FieldShape::kCount:
      return "a whole number of at least 0";
  }
  return "a value";
}

bool IsBlankString(const nlohmann::json& value) {
  return value.is_string() && TrimWhitespace(value.get_ref<const std::string&>()).empty();
}

}  // namespace

JsonParse ParseJson(std::string_view text) {
  // The byte the parser read last; the parser reads strictly forward, so on a
  // key event this is the key's closing quote.
  const char* last_read = text.data();
  std::vector<std::set<std::string>> keys_by_depth;

  // `depth` counts the containers around an event; a start event opens one
  // more, and a key belongs to the object at depth - 1.
  auto check = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& value) {
    using Event = nlohmann::json::parse_event_t;
    bool opens = event == Event::object_start || event == Event::array_start;
    if (depth + (opens ? 1 : 0) > kMaxJsonDepth) throw TooDeep{};
    if (event == Event::object_start) {
      keys_by_depth.resize(depth + 1);
      keys_by_depth[depth].clear();
    } else if (event == Event::key && depth >= 1 &&
               static_cast<std::size_t>(depth) <= keys_by_depth.size()) {
      const std::string& key = value.get_ref<const std::string&>();
      if (!keys_by_depth[depth - 1].insert(key).second) {
        std::size_t closing = static_cast<std::size_t>(last_read - text.data());
        throw DuplicateKey{key, OpeningQuoteBefore(text, closing)};
      }
    }
    return true;
  };

  // nlohmann treats a NUL byte as the end of the input, so text after it
  // would be ignored; JSON allows no raw NUL anywhere.
  std::size_t nul = text.find('\0');
  try {
    nlohmann::json value =
        nlohmann::json::parse(ReadingIterator{text.data(), &last_read},
                              ReadingIterator{text.data() + text.size(), nullptr}, check);
    if (nul != std::string_view::npos) return {std::nullopt, NulError(text, nul)};
    return {std::move(value), std::nullopt};
  } catch (const TooDeep&) {
    return {
        std::nullopt,
        JsonSyntaxError{1, 1, "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels"}};
  } catch (const DuplicateKey& duplicate) {
    // The parser has checked the key's UTF-8 by now.
    std::string message = "duplicate key " + QuoteForMessage(duplicate.key);
    return {std::nullopt, SyntaxErrorAt(text, duplicate.offset, std::move(message))};
  } catch (const nlohmann::json::out_of_range&) {
    // A number too large for a double, such as 1e999: the parser has read it.
    std::size_t offset = static_cast<std::size_t>(last_read - text.data());
    return {std::nullopt, SyntaxErrorAt(text, offset, "number out of range")};
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is the 1-based offset of the byte where parsing stopped.
    std::size_t offset = e.byte == 0 ? 0 : std::min<std::size_t>(e.byte - 1, text.size());
    if (nul != std::string_view::npos && offset >= nul) return {std::nullopt, NulError(text, nul)};
    std::string what = e.what();
    std::size_t colon = what.rfind(": ");
    std::string message = colon == std::string::npos ? what : what.substr(colon + 2);
    // The parser quotes what it last read, which may be the very bytes that
    // are not UTF-8: keep the message plain ASCII.
    for (char& c : message) {
      auto byte = static_cast<unsigned char>(c);
      if (byte < 0x20 || byte >= 0x7F) c = '?';
    }
    return {std::nullopt, SyntaxErrorAt(text, offset, std::move(message))};
  }
}

std::optional<std::string> DecodedFields::String(std::string_view name) const {
  auto it = given_.find(name);
  if (it == given_.end()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<std::vector<std::string>> DecodedFields::StringList(std::string_view name) const {
  auto it = given_.find(name);
  if (it == given_.end()) return std::nullopt;
  return it->get<std::vector<std::string>>();
}

std::optional<bool> DecodedFields::Boolean(std::string_view name) const {
  auto it = given_.find(name);
  if (it == given_.end()) return std::nullopt;
  return it->get<bool>();
}

std::optional<std::int64_t> DecodedFields::Count(std::string_view name) const {
  auto it = given_.find(name);
  if (it == given_.end()) return std::nullopt;
  return static_cast<std::int64_t>(it->get<std::uint64_t>());
}

DecodedFields DecodeFields(const nlohmann::json& body, const std::vector<FieldSpec>& spec) {
  DecodedFields fields;
  if (!body.is_object()) {
    fields.errors.push_back(ErrorAt("", "invalid_type", "The body must be a JSON object."));
    return fields;
  }

  std::vector<std::string_view> known;
  for (const FieldSpec& field : spec)
    known.push_back(field.name);

  for (const auto& [key, value] : body.items()) {
    std::string pointer = "/" + JsonPointerToken(key);
    auto field =
        std::find_if(spec.begin(), spec.end(), [&](const FieldSpec& f) { return f.name == key; });
    if (field == spec.end()) {
      std::string detail = "Unknown field " + QuoteForMessage(key) + ".";
      if (auto suggestion = ClosestName(key, known)) {
        detail += " Did you mean \"" + *suggestion + "\"?";
      }
      fields.errors.push_back(ErrorAt(pointer, "unknown_field", detail));
      continue;
    }
    if (value.is_null() || IsBlankString(value)) continue;  // not given

    auto wrong_type = [&](const std::string& where) {
      fields.errors.push_back(
          ErrorAt(where, "invalid_type", "Must be " + std::string(ShapeName(field->shape)) + "."));
    };
    switch (field->shape) {
      case FieldShape::kString:
        if (!value.is_string()) {
          wrong_type(pointer);
          continue;
        }
        fields.given_[key] = value;
        break;
      case FieldShape::kBoolean:
        if (!value.is_boolean()) {
          wrong_type(pointer);
          continue;
        }
        fields.given_[key] = value;
        break;
      case FieldShape::kCount:
        // The parser keeps non-negative integers unsigned, and 1.0 a float.
        if (!value.is_number_unsigned() ||
            value.get<std::uint64_t>() >
                static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
          wrong_type(pointer);
          continue;
        }
        fields.given_[key] = value;
        break;
      case FieldShape::kStringList: {
        if (!value.is_array()) {
          wrong_type(pointer);
          continue;
        }
        std::vector<std::string> items;
        bool ok = true;
        for (std::size_t i = 0; i < value.size(); ++i) {
          if (!value[i].is_string()) {
            fields.errors.push_back(
                ErrorAt(pointer + "/" + std::to_string(i), "invalid_type", "Must be a string."));
            ok = false;
          } else if (!IsBlankString(value[i])) {
            items.push_back(value[i].get<std::string>());
          }
        }
        // Indexes in later errors refer to the list as sent, so blanks are
        // kept as positions only when something else in the list is given.
        if (ok && !items.empty()) {
          std::vector<std::string> as_sent;
          for (const auto& item : value)
            as_sent.push_back(item.get<std::string>());
          fields.given_[key] = as_sent;
        }
        break;
      }
    }
  }
  return fields;
}

std::optional<std::string> ClosestName(std::string_view name,
                                       const std::vector<std::string_view>& candidates) {
  std::string wanted = Normalise(name);
  std::optional<std::string> best;
  std::size_t best_distance = 3;  // more than two edits is not a typo
  for (std::string_view candidate : candidates) {
    std::size_t distance = EditDistance(wanted, Normalise(candidate));
    if (distance < best_distance) {
      best_distance = distance;
      best = std::string(candidate);
    }
  }
  return best;
}

std::string JsonPointerToken(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace numberdesk::api
