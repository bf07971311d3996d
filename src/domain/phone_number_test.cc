#include "domain/phone_number.h"

#include <gtest/gtest.h>

#include <string>

namespace numberdesk {
namespace {

// The stable API code of a refused number, or "accepted".
std::string CodeOf(std::string_view text) {
  PhoneNumberParse parse = ParseNanpNumber(text);
  if (parse.number) return "accepted";
  return std::string(PhoneNumberErrorCode(parse.error));
}

TEST(PhoneNumber, AcceptsEveryCommonSpellingOfOneNumber) {
  for (std::string_view spelling :
       {"+19782631234", "19782631234", "9782631234", "(978) 263-1234", "978.263.1234",
        "978-263-1234", " +1 978 263 1234 ", "+1-978-263-1234", "1 (978) 263-1234"}) {
    SCOPED_TRACE(spelling);
    PhoneNumberParse parse = ParseNanpNumber(spelling);
    ASSERT_TRUE(parse.number.has_value()) << parse.detail;
    EXPECT_EQ(parse.number->E164(), "+19782631234");
  }
}

TEST(PhoneNumber, SplitsAreaCodeAndExchange) {
  PhoneNumberParse parse = ParseNanpNumber("(978) 263-1234");

  ASSERT_TRUE(parse.number.has_value());
  EXPECT_EQ(parse.number->AreaCode(), "978");
  EXPECT_EQ(parse.number->Exchange(), "263");
  EXPECT_FALSE(parse.number->IsTollFree());
}

TEST(PhoneNumber, SpellingsOfOneNumberCompareEqual) {
  EXPECT_EQ(ParseNanpNumber("978.263.1234").number, ParseNanpNumber("+1 978 263 1234").number);
}

TEST(PhoneNumber, RefusesDoubledCountryCode) {
  PhoneNumberParse parse = ParseNanpNumber("+119782631234");

  EXPECT_FALSE(parse.number.has_value());
  EXPECT_EQ(PhoneNumberErrorCode(parse.error), "phone_number_wrong_length");
  EXPECT_NE(parse.detail.find("got 11 digits after +1."), std::string::npos) << parse.detail;
}

TEST(PhoneNumber, RefusesPlusWithoutCountryCodeOne) {
  PhoneNumberParse parse = ParseNanpNumber("+9782631234");

  EXPECT_FALSE(parse.number.has_value());
  EXPECT_EQ(PhoneNumberErrorCode(parse.error), "not_north_american_number");
  // The hint shows the right way to write it.
  EXPECT_NE(parse.detail.find("+1"), std::string::npos) << parse.detail;
}

TEST(PhoneNumber, RefusesOtherCountries) {
  EXPECT_EQ(CodeOf("+44 20 7946 0000"), "not_north_american_number");
}

TEST(PhoneNumber, RefusesPlusWithTenDigitsStartingWithOne) {
  EXPECT_EQ(CodeOf("+1978263123"), "phone_number_wrong_length");
}

TEST(PhoneNumber, CountsDigitsAfterCountryCodeInWrongLengthDetail) {
  EXPECT_EQ(ParseNanpNumber("+1978263123").detail,
            "A North American number has 10 digits, optionally preceded by 1 or +1; "
            "got 9 digits after +1.");
  EXPECT_EQ(ParseNanpNumber("197826312345").detail,
            "A North American number has 10 digits, optionally preceded by 1 or +1; "
            "got 11 digits after the leading 1.");
  EXPECT_EQ(ParseNanpNumber("978263123").detail,
            "A North American number has 10 digits, optionally preceded by 1 or +1; "
            "got 9 digits.");
}

TEST(PhoneNumber, RefusesTooFewAndTooManyDigits) {
  EXPECT_EQ(CodeOf("978263123"), "phone_number_wrong_length");
  EXPECT_EQ(CodeOf("29782631234"), "phone_number_wrong_length");
  EXPECT_EQ(CodeOf("197826312345"), "phone_number_wrong_length");
  EXPECT_EQ(CodeOf(""), "phone_number_wrong_length");
}

TEST(PhoneNumber, RefusesExtensions) {
  for (std::string_view text :
       {"978-263-1234 x45", "+19782631234;ext=45", "978-263-1234 ext. 45", "978-263-1234 ext45",
        "(978) 263-1234 extension 45", "978-263-1234 #45", "9782631234X45"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(CodeOf(text), "phone_number_has_extension");
  }
}

TEST(PhoneNumber, RefusesLetters) {
  EXPECT_EQ(CodeOf("1-800-FAX-0123"), "phone_number_has_letters");
  EXPECT_EQ(CodeOf("tel:+19782631234"), "phone_number_has_letters");
}

TEST(PhoneNumber, RefusesOtherPunctuation) {
  EXPECT_EQ(CodeOf("978/263/1234"), "invalid_phone_number");
  EXPECT_EQ(CodeOf("978_263_1234"), "invalid_phone_number");
  EXPECT_EQ(CodeOf("1+9782631234"), "invalid_phone_number");
}

TEST(PhoneNumber, RefusesAreaCodeStartingWithZeroOrOne) {
  EXPECT_EQ(CodeOf("+10405550123"), "invalid_area_code");
  EXPECT_EQ(CodeOf("+11785550123"), "invalid_area_code");
}

TEST(PhoneNumber, RefusesExchangeStartingWithZeroOrOne) {
  EXPECT_EQ(CodeOf("+19780631234"), "invalid_exchange");
  EXPECT_EQ(CodeOf("+19781631234"), "invalid_exchange");
}

TEST(PhoneNumber, RefusesServiceCodesAsAreaCode) {
  EXPECT_EQ(CodeOf("+14115550123"), "n11_area_code");
  EXPECT_EQ(CodeOf("+19115550123"), "n11_area_code");
}

TEST(PhoneNumber, RefusesServiceCodesAsExchange) {
  EXPECT_EQ(CodeOf("+19784111234"), "n11_exchange");
}

TEST(PhoneNumber, AcceptsAreaCodesStartingWithTwo) {
  PhoneNumberParse parse = ParseNanpNumber("+12175550199");

  ASSERT_TRUE(parse.number.has_value()) << parse.detail;
  EXPECT_EQ(parse.number->E164(), "+12175550199");
  EXPECT_EQ(parse.number->AreaCode(), "217");
}

TEST(PhoneNumber, RefusesAreaCodeNotInServiceBeforeLookingAtExchange) {
  std::string asked;
  auto in_service = [&](std::string_view area_code) {
    asked = std::string(area_code);
    return false;
  };

  PhoneNumberParse parse = ParseNanpNumber("+12230631234", in_service);

  EXPECT_EQ(asked, "223");
  EXPECT_FALSE(parse.number.has_value());
  EXPECT_EQ(PhoneNumberErrorCode(parse.error), "area_code_not_in_service");
}

TEST(PhoneNumber, SaysCaribbeanAreaCodeIsNotInServiceInUsOrCanada) {
  auto in_service = [](std::string_view area_code) { return area_code == "978"; };

  PhoneNumberParse parse = ParseNanpNumber("+1 809 555 0123", in_service);

  EXPECT_EQ(PhoneNumberErrorCode(parse.error), "area_code_not_in_service");
  EXPECT_EQ(parse.detail, "Area code 809 is not in service in the US or Canada.");
}

TEST(PhoneNumber, AcceptsAreaCodeInService) {
  auto in_service = [](std::string_view area_code) { return area_code == "978"; };

  PhoneNumberParse valid = ParseNanpNumber("978-263-1234", in_service);
  PhoneNumberParse bad_exchange = ParseNanpNumber("+19780631234", in_service);

  ASSERT_TRUE(valid.number.has_value());
  EXPECT_EQ(valid.number->E164(), "+19782631234");
  EXPECT_EQ(PhoneNumberErrorCode(bad_exchange.error), "invalid_exchange");
}

TEST(PhoneNumber, ChecksShapeBeforeAskingAboutService) {
  bool asked = false;
  auto in_service = [&](std::string_view) {
    asked = true;
    return true;
  };

  PhoneNumberParse parse = ParseNanpNumber("+14115550123", in_service);

  EXPECT_EQ(PhoneNumberErrorCode(parse.error), "n11_area_code");
  EXPECT_FALSE(asked);
}

TEST(PhoneNumber, EveryRefusalHasADetail) {
  for (std::string_view text :
       {"+119782631234", "+9782631234", "978-263-1234 x45", "1-800-FAX-0123", "978/263/1234",
        "+10405550123", "+19780631234", "+14115550123", "+19784111234"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(ParseNanpNumber(text).detail.empty());
  }
}

TEST(TollFree, AcceptsAllSevenPrefixes) {
  for (std::string_view prefix : {"800", "833", "844", "855", "866", "877", "888"}) {
    SCOPED_TRACE(prefix);
    EXPECT_TRUE(IsTollFreePrefix(prefix));

    PhoneNumberParse parse = ParseNanpNumber("+1" + std::string(prefix) + "5550123");
    ASSERT_TRUE(parse.number.has_value()) << parse.detail;
    EXPECT_TRUE(parse.number->IsTollFree());
  }
}

TEST(TollFree, RefusesLookalikePrefixes) {
  for (std::string_view prefix : {"822", "880", "899", "978", "8", "8000", ""}) {
    SCOPED_TRACE(prefix);
    EXPECT_FALSE(IsTollFreePrefix(prefix));
  }
  EXPECT_FALSE(ParseNanpNumber("+18225550123").number->IsTollFree());
}

}  // namespace
}  // namespace numberdesk
