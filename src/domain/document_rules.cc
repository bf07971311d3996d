#include "domain/document_rules.h"

#include "domain/text.h"

namespace numberdesk {
namespace {

// Returns the length of the valid UTF-8 sequence starting at `text[0]`, or 0.
std::size_t Utf8SequenceLength(std::string_view text) {
  auto lead = static_cast<unsigned char>(text[0]);
  std::size_t length = lead < 0x80           ? 1
                       : (lead >> 5) == 0x6  ? 2
                       : (lead >> 4) == 0xE  ? 3
                       : (lead >> 3) == 0x1E ? 4
                                             : 0;
  if (length == 0 || length > text.size()) return 0;
  if (length == 2 && lead < 0xC2) return 0;  // overlong
  for (std::size_t i = 1; i < length; ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) return 0;
  }
  return length;
}

}  // namespace

std::string SanitizeFileName(std::string_view name, std::string_view fallback) {
  std::size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);

  std::string clean;
  while (!name.empty()) {
    std::size_t length = Utf8SequenceLength(name);
    if (length == 0) {
      name.remove_prefix(1);
      continue;
    }
    std::string_view sequence = name.substr(0, length);
    name.remove_prefix(length);
    if (HasControlCharacters(sequence, false)) continue;
    if (clean.size() + length > kMaxFileNameBytes) break;
    clean.append(sequence);
  }

  std::string_view trimmed = TrimWhitespace(clean);
  if (trimmed.empty() || trimmed == "." || trimmed == "..") return std::string(fallback);
  return std::string(trimmed);
}

}  // namespace numberdesk
