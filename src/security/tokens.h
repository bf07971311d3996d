#ifndef NUMBERDESK_SECURITY_TOKENS_H_
#define NUMBERDESK_SECURITY_TOKENS_H_

#include <string>
#include <string_view>

namespace numberdesk {

// Every API token starts with this prefix, so that secret scanners and people
// recognise one in a log or a paste.
inline constexpr std::string_view kApiTokenPrefix = "ndk_";

// A freshly minted API token. `secret` is shown to its owner once and never
// stored; `hash` is what the database keeps.
struct MintedToken {
  std::string secret;          // "ndk_" + 48 hex digits (192 random bits)
  std::string hash;            // HashApiToken(secret)
  std::string display_prefix;  // the first 12 characters, safe to show and log
};

MintedToken MintApiToken();

// HashApiToken returns the SHA-256 of `secret` in hex. A fast hash suffices:
// the secret has 192 random bits, so there is nothing to brute-force.
std::string HashApiToken(std::string_view secret);

// LooksLikeApiToken reports whether `text` has the shape of a token, so that
// obviously malformed credentials are refused without a database look-up.
bool LooksLikeApiToken(std::string_view text);

}  // namespace numberdesk

#endif  // NUMBERDESK_SECURITY_TOKENS_H_
