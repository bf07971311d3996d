#include "domain/place_names.h"

#include <gtest/gtest.h>

namespace numberdesk {
namespace {

TEST(PlaceNameKey, IgnoresCase) {
  EXPECT_EQ(PlaceNameKey("BOSTON"), PlaceNameKey("boston"));
  EXPECT_EQ(PlaceNameKey("Boston"), "boston");
}

TEST(PlaceNameKey, IgnoresAccentsComposedOrDecomposed) {
  std::string composed = "Montr\u00e9al";
  std::string decomposed = "Montre\u0301al";
  EXPECT_EQ(PlaceNameKey(composed), "montreal");
  EXPECT_EQ(PlaceNameKey(decomposed), "montreal");
  EXPECT_EQ(PlaceNameKey("Trois-Rivi\u00e8res"), PlaceNameKey("trois rivieres"));
  EXPECT_EQ(PlaceNameKey("Sept-\u00celes"), PlaceNameKey("SEPT ILES"));
}

TEST(PlaceNameKey, IgnoresApostropheStyle) {
  EXPECT_EQ(PlaceNameKey("Coeur d'Alene"), PlaceNameKey("Coeur d\u2019Alene"));
  EXPECT_EQ(PlaceNameKey("O'Fallon"), PlaceNameKey("OFallon"));
}

TEST(PlaceNameKey, TreatsHyphensDotsAndSpacesAlike) {
  EXPECT_EQ(PlaceNameKey("Winston-Salem"), PlaceNameKey("Winston Salem"));
  EXPECT_EQ(PlaceNameKey("  Winston \u2013  Salem "), "winston salem");
}

TEST(PlaceNameKey, ReadsStAndStDotAsSaint) {
  EXPECT_EQ(PlaceNameKey("St. Louis"), "saint louis");
  EXPECT_EQ(PlaceNameKey("St Louis"), "saint louis");
  EXPECT_EQ(PlaceNameKey("Saint Louis"), "saint louis");
  EXPECT_EQ(PlaceNameKey("Saint-J\u00e9r\u00f4me"), PlaceNameKey("st jerome"));
  EXPECT_EQ(PlaceNameKey("Ste-Foy"), PlaceNameKey("Sainte Foy"));
}

TEST(PlaceNameKey, KeepsWordsThatOnlyStartLikeSaint) {
  EXPECT_EQ(PlaceNameKey("Stamford"), "stamford");
  EXPECT_NE(PlaceNameKey("Stow"), PlaceNameKey("Saint ow"));
}

TEST(PlaceNameKey, DropsInvalidUtf8) {
  EXPECT_EQ(PlaceNameKey("Bos\xfften"), PlaceNameKey("Bosten"));
}

}  // namespace
}  // namespace numberdesk
