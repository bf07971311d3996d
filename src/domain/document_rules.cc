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

// The code point of a valid UTF-8 sequence.
char32_t DecodeUtf8(std::string_view sequence) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(sequence[i]); };
  switch (sequence.size()) {
    case 1:
      return byte(0);
    case 2:
      return ((byte(0) & 0x1Fu) << 6) | (byte(1) & 0x3Fu);
    case 3:
      return ((byte(0) & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
    default:
      return ((byte(0) & 0x07u) << 18) | ((byte(1) & 0x3Fu) << 12) | ((byte(2) & 0x3Fu) << 6) |
             (byte(3) & 0x3Fu);
  }
}

// Control characters, C0 and C1, and the invisible marks that reorder text
// ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf") have no place in a name.
bool IsHiddenOrControl(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x200E || c == 0x200F ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
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
    if (IsHiddenOrControl(DecodeUtf8(sequence))) continue;
    if (clean.size() + length > kMaxFileNameBytes) break;
    clean.append(sequence);
  }

  std::string_view trimmed = TrimWhitespace(clean);
  if (trimmed.empty() || trimmed == "." || trimmed == "..") return std::string(fallback);
  return std::string(trimmed);
}

}  // namespace numberdesk
