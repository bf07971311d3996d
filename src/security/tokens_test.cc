#include "security/tokens.h"

#include "security/random_ids.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace numberdesk {
namespace {

bool IsLowerHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

TEST(ApiToken, MintsPrefixedSecretWith48HexDigits) {
  MintedToken token = MintApiToken();

  ASSERT_EQ(token.secret.size(), kApiTokenPrefix.size() + 48);
  EXPECT_TRUE(token.secret.starts_with("ndk_"));
  EXPECT_TRUE(IsLowerHex(std::string_view(token.secret).substr(kApiTokenPrefix.size())));
  EXPECT_TRUE(LooksLikeApiToken(token.secret));
}

TEST(ApiToken, MintedHashIsHashOfSecret) {
  MintedToken token = MintApiToken();

  EXPECT_EQ(token.hash, HashApiToken(token.secret));
  EXPECT_NE(token.hash, token.secret);
}

TEST(ApiToken, DisplayPrefixIsFirstTwelveCharacters) {
  MintedToken token = MintApiToken();

  EXPECT_EQ(token.display_prefix, token.secret.substr(0, 12));
}

TEST(ApiToken, MintsDifferentSecretsEachTime) {
  MintedToken first = MintApiToken();
  MintedToken second = MintApiToken();

  EXPECT_NE(first.secret, second.secret);
  EXPECT_NE(first.hash, second.hash);
}

TEST(ApiToken, HashIsSha256InLowerCaseHex) {
  EXPECT_EQ(HashApiToken("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HashApiToken(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(ApiToken, RefusesMalformedCredentials) {
  std::string hex(48, 'a');
  for (const std::string& text :
       {std::string(""), std::string("ndk_"), "NDK_" + hex, "tok_" + hex, hex,
        "ndk_" + std::string(47, 'a'), "ndk_" + std::string(49, 'a'), "ndk_" + std::string(48, 'A'),
        "ndk_" + std::string(47, 'a') + "g", "Bearer ndk_" + hex, "ndk_" + hex + " "}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(LooksLikeApiToken(text));
  }
}

TEST(ApiToken, AcceptsWellFormedToken) {
  EXPECT_TRUE(LooksLikeApiToken("ndk_0123456789abcdef0123456789abcdef0123456789abcdef"));
}

}  // namespace
}  // namespace numberdesk

namespace numberdesk {
namespace {

// RFC 4231, test case 2.
TEST(HmacSha256, MatchesThePublishedTestVector) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

}  // namespace
}  // namespace numberdesk
