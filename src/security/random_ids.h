#ifndef NUMBERDESK_SECURITY_RANDOM_IDS_H_
#define NUMBERDESK_SECURITY_RANDOM_IDS_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace numberdesk {

// RandomBytes returns `count` bytes from the operating system's CSPRNG
// (through OpenSSL). It throws std::runtime_error if none can be had.
std::string RandomBytes(std::size_t count);

// NewId returns `prefix` followed by 128 random bits in lower-case base32
// (26 characters), e.g. "req_". Ids are neither guessable nor sequential.
std::string NewId(std::string_view prefix);

// HexEncode returns lower-case hex of `bytes`.
std::string HexEncode(std::string_view bytes);

// Sha256Hex returns the SHA-256 of `bytes` in lower-case hex.
std::string Sha256Hex(std::string_view bytes);

// HmacSha256Hex returns the HMAC-SHA256 of `message` under `key`, in
// lower-case hex.
std::string HmacSha256Hex(std::string_view key, std::string_view message);

}  // namespace numberdesk

#endif  // NUMBERDESK_SECURITY_RANDOM_IDS_H_
