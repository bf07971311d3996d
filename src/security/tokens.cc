#include "security/tokens.h"

#include <algorithm>

#include "security/random_ids.h"

namespace numberdesk {
namespace {

constexpr std::size_t kSecretBytes = 24;

}  // namespace

MintedToken MintApiToken() {
  MintedToken token;
  token.secret = std::string(kApiTokenPrefix) + HexEncode(RandomBytes(kSecretBytes));
  token.hash = HashApiToken(token.secret);
  token.display_prefix = token.secret.substr(0, 12);
  return token;
}

std::string HashApiToken(std::string_view secret) {
  return Sha256Hex(secret);
}

bool LooksLikeApiToken(std::string_view text) {
  if (!text.starts_with(kApiTokenPrefix)) return false;
  std::string_view hex = text.substr(kApiTokenPrefix.size());
  return hex.size() == kSecretBytes * 2 && std::all_of(hex.begin(), hex.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace numberdesk
