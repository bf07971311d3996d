#ifndef NUMBERDESK_DOMAIN_TEXT_H_
#define NUMBERDESK_DOMAIN_TEXT_H_

#include <string>
#include <string_view>

namespace numberdesk {

// Small ASCII text rules shared by the domain. Non-ASCII bytes pass through
// untouched, so UTF-8 text keeps its meaning.

// TrimWhitespace drops ASCII spaces, tabs, CR and LF at both ends.
std::string_view TrimWhitespace(std::string_view text);

std::string AsciiLower(std::string_view text);
std::string AsciiUpper(std::string_view text);

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b);

// HasControlCharacters reports a control character in UTF-8 `text`: a byte
// below 0x20, 0x7f, a C1 control (U+0080-U+009F) or the Unicode line and
// paragraph separators U+2028 and U+2029. `allow_line_breaks` lets tab, CR
// and LF (only those) through for free text such as comments.
bool HasControlCharacters(std::string_view text, bool allow_line_breaks);

// The most code points of a client's value that QuoteForMessage keeps.
inline constexpr std::size_t kMaxQuotedLength = 60;

// QuoteForMessage returns UTF-8 `value` in double quotes for a message to the
// client. A value longer than kMaxQuotedLength code points is cut there and
// ends with "…" inside the quotes, so that a response never echoes a large
// value back.
std::string QuoteForMessage(std::string_view value);

// EditDistance is the Levenshtein distance between two byte strings.
std::size_t EditDistance(std::string_view a, std::string_view b);

// Utf8Length counts code points in valid UTF-8 text.
std::size_t Utf8Length(std::string_view text);

}  // namespace numberdesk

#endif  // NUMBERDESK_DOMAIN_TEXT_H_
