#ifndef NUMBERDESK_DOMAIN_DOCUMENT_RULES_H_
#define NUMBERDESK_DOMAIN_DOCUMENT_RULES_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace numberdesk {

// The largest document numberdesk accepts: 10 MiB per file.
inline constexpr std::size_t kMaxDocumentBytes = 10 * 1024 * 1024;

// The longest stored file name, in bytes.
inline constexpr std::size_t kMaxFileNameBytes = 255;

// SanitizeFileName keeps the last path component of an uploaded file name
// (after "/" or "\"), drops control characters (C0 and C1) and the invisible
// bidirectional marks that can disguise an extension, and cuts it to
// kMaxFileNameBytes without splitting a UTF-8 sequence. Unicode is kept.
// Invalid UTF-8 bytes are dropped. An empty result becomes `fallback`.
std::string SanitizeFileName(std::string_view name, std::string_view fallback);

}  // namespace numberdesk

#endif  // NUMBERDESK_DOMAIN_DOCUMENT_RULES_H_
