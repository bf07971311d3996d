#include "domain/request_validation.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "domain/text.h"

namespace numberdesk {
namespace {

using Strings = std::vector<std::string>;

Region MakeRegion(std::string country_code, std::string code, std::string name, Strings area_codes,
                  std::vector<City> cities = {}) {
  Region region;
  region.country_code = std::move(country_code);
  region.code = std::move(code);
  region.name = std::move(name);
  region.area_codes = std::move(area_codes);
  region.cities = std::move(cities);
  return region;
}

City MakeCity(std::string name, Strings area_codes) {
  City city;
  city.name = std::move(name);
  city.area_codes = std::move(area_codes);
  return city;
}

// (pointer, code) of each error, in order.
using Codes = std::vector<std::pair<std::string, std::string>>;

Codes CodesOf(const RequestValidation& validation) {
  Codes codes;
  for (const FieldError& error : validation.errors)
    codes.emplace_back(error.pointer, error.code);
  return codes;
}

class RequestValidationTest : public ::testing::Test {
 protected:
  RequestValidationTest() {
    // A small slice of the numbering plan.
    regions_.Add(
        MakeRegion("US", "MA", "Massachusetts",
                   {"339", "351", "413", "508", "617", "774", "781", "857", "978"},
                   {MakeCity("Boston", {"617", "857"}), MakeCity("Lowell", {"351", "978"})}));
    regions_.Add(MakeRegion("US", "IL", "Illinois",
                            {"217", "224", "309", "312", "331", "447", "464", "618", "630", "708",
                             "730", "773", "779", "815", "847", "861", "872"},
                            {MakeCity("Springfield", {"217", "447"})}));
    regions_.Add(MakeRegion(
        "CA", "QC", "Quebec",
        {"263", "354", "367", "418", "438", "450", "468", "514", "579", "581", "819", "873"},
        {MakeCity("Montr\u00e9al", {"263", "438", "514"})}));
    regions_.SetTollFreePrefixes({"800", "833", "844", "855", "866", "877", "888"});
    context_.regions = &regions_;
    context_.find_active_user = [](std::string_view username) -> std::optional<UserRef> {
      if (EqualsIgnoringAsciiCase(username, "jdoe")) return UserRef{"usr_jdoe", "jdoe"};
      return std::nullopt;
    };
  }

  // The smallest valid draft of each type.
  static RequestDraft LocalDraft() {
    RequestDraft draft;
    draft.country_code = "US";
    draft.notify_email = Strings{"ops@example.com"};
    draft.region = "MA";
    return draft;
  }
  static RequestDraft TollFreeDraft() {
    RequestDraft draft;
    draft.country_code = "US";
    draft.notify_email = Strings{"ops@example.com"};
    return draft;
  }
  static RequestDraft PortInDraft(std::string number) {
    RequestDraft draft = TollFreeDraft();
    draft.number_to_port = std::move(number);
    return draft;
  }

  RequestValidation Validate(RequestType type, const RequestDraft& draft,
                             const FieldErrors& decoding_errors = {}) const {
    return ValidateRequest(type, draft, context_, decoding_errors);
  }

  RegionCatalog regions_;
  ValidationContext context_;
};

TEST_F(RequestValidationTest, AcceptsMinimalLocalRequest) {
  RequestValidation result = Validate(RequestType::kNonTollFree, LocalDraft());

  ASSERT_TRUE(result.request.has_value()) << result.errors.front().code;
  EXPECT_TRUE(result.errors.empty());
  EXPECT_EQ(result.request->type, RequestType::kNonTollFree);
  EXPECT_EQ(result.request->status, RequestStatus::kSubmitted);
  EXPECT_EQ(result.request->country_code, "US");
  EXPECT_EQ(result.request->region, "MA");
  EXPECT_EQ(result.request->notify_email, Strings{"ops@example.com"});
  EXPECT_FALSE(result.request->department_name.has_value());
  EXPECT_TRUE(result.request->area_code.empty());
}

TEST_F(RequestValidationTest, UpperCasesCountryAndRegion) {
  RequestDraft draft = LocalDraft();
  draft.country_code = " us ";
  draft.region = " ma ";

  RequestValidation result = Validate(RequestType::kNonTollFree, draft);

  ASSERT_TRUE(result.request.has_value());
  EXPECT_EQ(result.request->country_code, "US");
  EXPECT_EQ(result.request->region, "MA");
}

TEST_F(RequestValidationTest, RequiresCountryCode) {
  RequestDraft draft = LocalDraft();
  draft.country_code.reset();

  RequestValidation result = Validate(RequestType::kNonTollFree, draft);

  EXPECT_FALSE(result.request.has_value());
  EXPECT_EQ(CodesOf(result), (Codes{{"/country_code", "required"}}));
}

TEST_F(RequestValidationTest, RefusesUnsupportedCountry) {
  RequestDraft draft = TollFreeDraft();
  draft.country_code = "MX";

  RequestValidation result = Validate(RequestType::kTollFree, draft);

  EXPECT_EQ(CodesOf(result), (Codes{{"/country_code", "invalid_country_code"}}));
}

TEST_F(RequestValidationTest, RequiresNotifyEmail) {
  RequestDraft missing = TollFreeDraft();
  missing.notify_email.reset();
  RequestDraft empty = TollFreeDraft();
  empty.notify_email = Strings{};

  EXPECT_EQ(CodesOf(Validate(RequestType::kTollFree, missing)),
            (Codes{{"/notify_email", "required"}}));
  EXPECT_EQ(CodesOf(Validate(RequestType::kTollFree, empty)),
            (Codes{{"/notify_email", "required"}}));
}

TEST_F(RequestValidationTest, RefusesInvalidEmailAtItsIndex) {
  RequestDraft draft = TollFreeDraft();
  draft.notify_email = Strings{"ops@example.com", "", "not-an-address"};

  RequestValidation result = Validate(RequestType::kTollFree, draft);

  EXPECT_EQ(CodesOf(result), (Codes{{"/notify_email/2", "invalid_email"}}));
}

TEST_F(RequestValidationTest, TrimsAndDeduplicatesNotifyEmailIgnoringCase) {
  RequestDraft draft = TollFreeDraft();
  draft.notify_email =
      Strings{" jdoe@example.com ", "", "JDoe@Example.COM", "ops@example.com", "jdoe@example.com"};

  RequestValidation result = Validate(RequestType::kTollFree, draft);

  ASSERT_TRUE(result.request.has_value());
  EXPECT_EQ(result.request->notify_email, (Strings{"jdoe@example.com", "ops@example.com"}));
}

TEST_F(RequestValidationTest, RefusesMoreThanTenDistinctNotifyEmails) {
  RequestDraft draft = TollFreeDraft();
  draft.notify_email = Strings{};
  for (int i = 0; i <= 10; ++i)
    draft.notify_email->push_back("ops" + std::to_string(i) + "@x.com");

  RequestValidation result = Validate(RequestType::kTollFree, draft);

  EXPECT_EQ(CodesOf(result), (Codes{{"/notify_email", "too_many_values"}}));
}

TEST_F(RequestValidationTest, RemovesDuplicateNotifyEmailsWithinTheLimit) {
  RequestDraft draft = TollFreeDraft();
  draft.notify_email = Strings(10, "ops@example.com");

  RequestValidation result = Validate(RequestType::kTollFree, draft);

  ASSERT_TRUE(result.request.has_value());
  EXPECT_EQ(result.request->notify_email, Strings{"ops@example.com"});
}

TEST_F(RequestValidationTest, CountsNonBlankNotifyEmailsAsSent) {
  RequestDraft duplicates = TollFreeDraft();
  duplicates.notify_email = Strings(11, "ops@example.com");
  RequestDraft blanks = TollFreeDraft();
  blanks.notify_email = Strings(10, "ops@example.com");
  blanks.notify_email->insert(blanks.notify_email->end(), {"", " "});

  EXPECT_EQ(CodesOf(Validate(RequestType::kTollFree, duplicates)),
            (Codes{{"/notify_email", "too_many_values"}}));
  EXPECT_TRUE(Validate(RequestType::kTollFree, blanks).request.has_value());
}

TEST_F(RequestValidationTest, RefusesHugeListOnceWithoutCheckingEntries) {
  RequestDraft draft = LocalDraft();
  draft.notify_email = Strings(50000, "not-an-address");
  draft.area_code = Strings(50000, "011");

  RequestValidation result = Validate(RequestType::kNonTollFree, draft);

  EXPECT_EQ(CodesOf(result),
            (Codes{{"/notify_email", "too_many_values"}, {"/area_code", "too_many_values"}}));
  EXPECT_EQ(result.errors[0].detail, "At most 10 addresses are allowed.");
  EXPECT_EQ(result.errors[1].detail, "At most 10 area codes are allowed.");
}

TEST_F(RequestValidationTest, ReportsAtMostFiftyErrors) {
  RequestDraft draft = LocalDraft();
  draft.notify_email = Strings{"bad"};
  FieldErrors decoding;
  for (int i = 0; i < 60; ++i)
    decoding.push_back(ErrorAt("/x" + std::to_string(i), "unknown_field", "Unknown field."));

  RequestValidation result = Validate(RequestType::kNonTollFree, draft, decoding);

  ASSERT_EQ(result.errors.size(), kMaxFieldErrors);
  EXPECT_EQ(kMaxFieldErrors, 50u);
  EXPECT_EQ(result.errors.back().pointer, "/x49");
  EXPECT_FALSE(result.request.has_value());
}

TEST_F(RequestValidationTest, CutsLongValuesInDetails) {
  RequestDraft draft = TollFreeDraft();
  std::string long_address = std::string(70, 'a') + "@";
  draft.notify_email = Strings{long_address};

  RequestValidation result = Validate(RequestType::kTollFree, draft);

  ASSERT_EQ(CodesOf(result), (Codes{{"/notify_email/0", "invalid_email"}}));
  EXPECT_EQ(result.errors[0].detail,
            "\"" + std::string(60, 'a') + "\u2026\" is not an email address.");
}

TEST_F(RequestValidationTest, AssignsKnownUserByCanonicalName) {
  RequestDraft draft = TollFreeDraft();
  draft.assign_to_user = " JDoe ";

  RequestValidation result = Validate(RequestType::kTollFree, draft);

  ASSERT_TRUE(result.request.has_value());
  EXPECT_EQ(result.request->assign_to_user, "jdoe");
  EXPECT_EQ(result.request->assign_to_user_id, "usr_jdoe");
}

TEST_F(RequestValidationTest, RefusesUnknownUser) {
  RequestDraft draft = TollFreeDraft();
  draft.assign_to_user = "nobody";

  RequestValidation result = Validate(RequestType::kTollFree, draft);

  EXPECT_EQ(CodesOf(result), (Codes{{"/assign_to_user", "unknown_user"}}));
}

TEST_F(RequestValidationTest, RefusesAnyUserWithoutUserLookup) {
  ValidationContext no_users;
  no_users.regions = &regions_;
  RequestDraft draft = TollFreeDraft();
  draft.assign_to_user = "jdoe";

  RequestValidation result = ValidateRequest(RequestType::kTollFree, draft, no_users);

  EXPECT_EQ(CodesOf(result), (Codes{{"/assign_to_user", "unknown_user"}}));
}

TEST_F(RequestValidationTest, RequiresRegionForLocalNumber) {
  RequestDraft missing = LocalDraft();
  missing.region.reset();
  RequestDraft blank = LocalDraft();
  blank.region = "  ";

  EXPECT_EQ(CodesOf(Validate(RequestType::kNonTollFree, missing)),
            (Codes{{"/region", "required"}}));
  EXPECT_EQ(CodesOf(Validate(RequestType::kNonTollFree, blank)), (Codes{{"/region", "required"}}));
}

TEST_F(RequestValidationTest, RefusesUnknownRegion) {
  RequestDraft draft = LocalDraft();
  draft.region = "ZZ";

  EXPECT_EQ(CodesOf(Validate(RequestType::kNonTollFree, draft)),
            (Codes{{"/region", "invalid_region"}}));
}

TEST_F(RequestValidationTest, RefusesRegionOfAnotherCountry) {
  RequestDraft draft = LocalDraft();
  draft.country_code = "CA";
  draft.region = "MA";

  EXPECT_EQ(CodesOf(Validate(RequestType::kNonTollFree, draft)),
            (Codes{{"/region", "invalid_region"}}));
}

TEST_F(RequestValidationTest, AcceptsAndDeduplicatesAreaCodes) {
  RequestDraft draft = LocalDraft();
  draft.area_code = Strings{"978", " 617 ", "", "978"};

  RequestValidation result = Validate(RequestType::kNonTollFree, draft);

  ASSERT_TRUE(result.request.has_value());
  EXPECT_EQ(result.request->area_code, (Strings{"978", "617"}));
}

TEST_F(RequestValidationTest, RefusesMalformedAreaCodesAtTheirIndex) {
  RequestDraft draft = LocalDraft();
  draft.area_code = Strings{"978", "97", "078", "178", "411", "abc", "9781"};

  RequestValidation result = Validate(RequestType::kNonTollFree, draft);

  EXPECT_EQ(CodesOf(result), (Codes{{"/area_code/1", "invalid_area_code"},
                                    {"/area_code/2", "invalid_area_code"},
                                    {"/area_code/3", "invalid_area_code"},
                                    {"/area_code/4", "invalid_area_code"},
                                    {"/area_code/5", "invalid_area_code"},
                                    {"/area_code/6", "invalid_area_code"}}));
}

TEST_F(RequestValidationTest, RefusesTollFreePrefixForLocalNumber) {
  RequestDraft draft = LocalDraft();
  draft.area_code = Strings{"833"};

  EXPECT_EQ(CodesOf(Validate(RequestType::kNonTollFree, draft)),
            (Codes{{"/area_code/0", "invalid_area_code"}}));
}

TEST_F(RequestValidationTest, RefusesMoreThanTenDistinctAreaCodes) {
  RequestDraft draft = LocalDraft();
  draft.region = "IL";
  draft.area_code =
      Strings{"217", "224", "309", "312", "331", "447", "464", "618", "630", "708", "730"};

  EXPECT_EQ(CodesOf(Validate(RequestType::kNonTollFree, draft)),
            (Codes{{"/area_code", "too_many_values"}}));
}

TEST_F(RequestValidationTest, RefusesAreaCodeThatDoesNotServeTheRegion) {
  RequestDraft draft = LocalDraft();
  draft.area_code = Strings{"978", "217"};

  EXPECT_EQ(CodesOf(Validate(RequestType::kNonTollFree, draft)),
            (Codes{{"/area_code/1", "area_code_not_in_region"}}));
}

TEST_F(RequestValidationTest, RefusesAreaCodeThatDoesNotServeTheCity) {
  RequestDraft draft = LocalDraft();
  draft.city = "Boston";
  draft.area_code = Strings{"617", "978"};

  EXPECT_EQ(CodesOf(Validate(RequestType::kNonTollFree, draft)),
            (Codes{{"/area_code/1", "area_code_not_in_city"}}));
}

TEST_F(RequestValidationTest, StoresCanonicalCityName) {
  RequestDraft draft = LocalDraft();
  draft.country_code = "CA";
  draft.region = "qc";
  draft.city = "MONTREAL";
  draft.area_code = Strings{"514"};

  RequestValidation result = Validate(RequestType::kNonTollFree, draft);

  ASSERT_TRUE(result.request.has_value());
  EXPECT_EQ(result.request->region, "QC");
  EXPECT_EQ(result.request->city, "Montr\u00e9al");
}

TEST_F(RequestValidationTest, RefusesUnknownCityWithSuggestion) {
  RequestDraft draft = LocalDraft();
  draft.city = "Bostn";

  RequestValidation result = Validate(RequestType::kNonTollFree, draft);

  ASSERT_EQ(CodesOf(result), (Codes{{"/city", "unknown_city"}}));
  EXPECT_NE(result.errors[0].detail.find("\"Boston\""), std::string::npos)
      << result.errors[0].detail;
}

TEST_F(RequestValidationTest, AcceptsEveryTollFreePrefix) {
  RequestDraft draft = TollFreeDraft();
  draft.area_code = Strings{"800", "833", "844", "855", "866", "877", "888"};

  RequestValidation result = Validate(RequestType::kTollFree, draft);

  ASSERT_TRUE(result.request.has_value());
  EXPECT_EQ(result.request->area_code, *draft.area_code);
}

TEST_F(RequestValidationTest, RefusesGeographicAreaCodeForTollFree) {
  RequestDraft draft = TollFreeDraft();
  draft.area_code = Strings{"833", "978"};

  EXPECT_EQ(CodesOf(Validate(RequestType::kTollFree, draft)),
            (Codes{{"/area_code/1", "not_toll_free_prefix"}}));
}

TEST_F(RequestValidationTest, NormalisesForwardFromToE164) {
  RequestDraft draft = TollFreeDraft();
  draft.forward_from = "(978) 263-1234";

  RequestValidation result = Validate(RequestType::kTollFree, draft);

  ASSERT_TRUE(result.request.has_value());
  EXPECT_EQ(result.request->forward_from, "+19782631234");
}

TEST_F(RequestValidationTest, RefusesForwardFromWithItsOwnCode) {
  RequestDraft draft = TollFreeDraft();
  draft.forward_from = "1-800-FAX-0123";

  EXPECT_EQ(CodesOf(Validate(RequestType::kTollFree, draft)),
            (Codes{{"/forward_from", "phone_number_has_letters"}}));
}

TEST_F(RequestValidationTest, RefusesForwardFromWithAreaCodeNotInService) {
  RequestDraft draft = TollFreeDraft();
  draft.forward_from = "+12235550123";  // 223 is not in the test catalog

  EXPECT_EQ(CodesOf(Validate(RequestType::kTollFree, draft)),
            (Codes{{"/forward_from", "area_code_not_in_service"}}));
}

TEST_F(RequestValidationTest, RequiresNumberToPort) {
  RequestValidation result = Validate(RequestType::kPortIn, TollFreeDraft());

  EXPECT_EQ(CodesOf(result), (Codes{{"/number_to_port", "required"}}));
}

TEST_F(RequestValidationTest, NormalisesNumberToPortAndDerivesTollFree) {
  RequestValidation local = Validate(RequestType::kPortIn, PortInDraft("978.263.1234"));
  RequestValidation toll_free = Validate(RequestType::kPortIn, PortInDraft("18335550123"));

  ASSERT_TRUE(local.request.has_value());
  EXPECT_EQ(local.request->number_to_port, "+19782631234");
  EXPECT_EQ(local.request->toll_free, false);
  ASSERT_TRUE(toll_free.request.has_value());
  EXPECT_EQ(toll_free.request->number_to_port, "+18335550123");
  EXPECT_EQ(toll_free.request->toll_free, true);
}

TEST_F(RequestValidationTest, AcceptsTollFreeFlagThatAgreesWithNumber) {
  RequestDraft draft = PortInDraft("18335550123");
  draft.toll_free = true;

  RequestValidation result = Validate(RequestType::kPortIn, draft);

  ASSERT_TRUE(result.request.has_value());
  EXPECT_EQ(result.request->toll_free, true);
}

TEST_F(RequestValidationTest, RefusesTollFreeFlagThatContradictsNumber) {
  RequestDraft toll_free_number = PortInDraft("18335550123");
  toll_free_number.toll_free = false;
  RequestDraft local_number = PortInDraft("9782631234");
  local_number.toll_free = true;

  EXPECT_EQ(CodesOf(Validate(RequestType::kPortIn, toll_free_number)),
            (Codes{{"/toll_free", "toll_free_mismatch"}}));
  EXPECT_EQ(CodesOf(Validate(RequestType::kPortIn, local_number)),
            (Codes{{"/toll_free", "toll_free_mismatch"}}));
}

TEST_F(RequestValidationTest, RefusesNumberToPortWithItsOwnCode) {
  EXPECT_EQ(CodesOf(Validate(RequestType::kPortIn, PortInDraft("+119782631234"))),
            (Codes{{"/number_to_port", "phone_number_wrong_length"}}));
  EXPECT_EQ(CodesOf(Validate(RequestType::kPortIn, PortInDraft("+19782631234;ext=45"))),
            (Codes{{"/number_to_port", "phone_number_has_extension"}}));
  EXPECT_EQ(CodesOf(Validate(RequestType::kPortIn, PortInDraft("+10405550123"))),
            (Codes{{"/number_to_port", "invalid_area_code"}}));
}

TEST_F(RequestValidationTest, RefusesPortInOfNumberFromAnotherCountry) {
  RequestDraft draft = PortInDraft("+15145550123");  // 514 is Montreal

  EXPECT_EQ(CodesOf(Validate(RequestType::kPortIn, draft)),
            (Codes{{"/number_to_port", "number_not_in_country"}}));
}

TEST_F(RequestValidationTest, TrimsFreeText) {
  RequestDraft draft = LocalDraft();
  draft.department_name = "  Billing  ";
  draft.city = " Boston ";
  draft.comment = "\n Please hurry.\n";

  RequestValidation result = Validate(RequestType::kNonTollFree, draft);

  ASSERT_TRUE(result.request.has_value());
  EXPECT_EQ(result.request->department_name, "Billing");
  EXPECT_EQ(result.request->city, "Boston");
  EXPECT_EQ(result.request->comment, "Please hurry.");
}

TEST_F(RequestValidationTest, TreatsBlankFreeTextAsNotGiven) {
  RequestDraft draft = LocalDraft();
  draft.department_name = "   ";

  RequestValidation result = Validate(RequestType::kNonTollFree, draft);

  ASSERT_TRUE(result.request.has_value());
  EXPECT_FALSE(result.request->department_name.has_value());
}

TEST_F(RequestValidationTest, RefusesControlCharactersInOneLineText) {
  RequestDraft draft = LocalDraft();
  draft.department_name = "Billing\nDept";
  draft.city = "Bos\x07ton";

  EXPECT_EQ(CodesOf(Validate(RequestType::kNonTollFree, draft)),
            (Codes{{"/department_name", "control_characters"}, {"/city", "control_characters"}}));
}

TEST_F(RequestValidationTest, CommentMayHaveLineBreaksButNoOtherControls) {
  RequestDraft lines = TollFreeDraft();
  lines.comment = "First line\r\n\tSecond line";
  RequestDraft bell = TollFreeDraft();
  bell.comment = "Ring\x07";

  RequestValidation accepted = Validate(RequestType::kTollFree, lines);

  ASSERT_TRUE(accepted.request.has_value());
  EXPECT_EQ(accepted.request->comment, "First line\r\n\tSecond line");
  EXPECT_EQ(CodesOf(Validate(RequestType::kTollFree, bell)),
            (Codes{{"/comment", "control_characters"}}));
}

TEST_F(RequestValidationTest, RefusesC1ControlsAndUnicodeLineSeparators) {
  for (std::string_view control : {"\u0080", "\u0085", "\u009f", "\u2028", "\u2029"}) {
    SCOPED_TRACE(control);
    RequestDraft draft = LocalDraft();
    draft.department_name = "Billing" + std::string(control) + "Dept";
    draft.comment = "First" + std::string(control) + "second";

    EXPECT_EQ(
        CodesOf(Validate(RequestType::kNonTollFree, draft)),
        (Codes{{"/department_name", "control_characters"}, {"/comment", "control_characters"}}));
  }
}

TEST_F(RequestValidationTest, AcceptsLettersNextToC1Range) {
  RequestDraft draft = LocalDraft();
  // U+00A0..U+00FF and U+2027 / U+2030 share lead bytes with refused ranges.
  draft.department_name = "Caf\u00e9 \u00a0\u2027\u2030";

  EXPECT_TRUE(Validate(RequestType::kNonTollFree, draft).request.has_value());
}

TEST_F(RequestValidationTest, LimitsFreeTextInCodePoints) {
  std::string hundred_accents;
  for (int i = 0; i < 100; ++i)
    hundred_accents += "\u00e9";
  RequestDraft at_limit = LocalDraft();
  at_limit.department_name = hundred_accents;
  at_limit.comment = std::string(kMaxCommentLength, 'c');
  RequestDraft over_limit = LocalDraft();
  over_limit.department_name = hundred_accents + "e";
  over_limit.city = std::string(kMaxCityLength + 1, 'c');
  over_limit.comment = std::string(kMaxCommentLength + 1, 'c');

  EXPECT_TRUE(Validate(RequestType::kNonTollFree, at_limit).request.has_value());
  EXPECT_EQ(
      CodesOf(Validate(RequestType::kNonTollFree, over_limit)),
      (Codes{{"/department_name", "too_long"}, {"/comment", "too_long"}, {"/city", "too_long"}}));
}

TEST_F(RequestValidationTest, ReportsEveryProblemAtOnceInFieldOrder) {
  RequestDraft draft;
  draft.country_code = "US";
  draft.assign_to_user = "nobody";
  draft.notify_email = Strings{"bad"};
  draft.forward_from = "+9782631234";
  draft.region = "ZZ";
  draft.area_code = Strings{"011"};

  RequestValidation result = Validate(RequestType::kNonTollFree, draft);

  EXPECT_FALSE(result.request.has_value());
  EXPECT_EQ(CodesOf(result), (Codes{{"/assign_to_user", "unknown_user"},
                                    {"/notify_email/0", "invalid_email"},
                                    {"/forward_from", "not_north_american_number"},
                                    {"/region", "invalid_region"},
                                    {"/area_code/0", "invalid_area_code"}}));
}

TEST_F(RequestValidationTest, ReportsDecodingErrorsFirstAndOnlyOnce) {
  // What the decoder makes of {"country_code": 1, "notify_email": [null],
  // "areaCode": ["978"], "region": "ZZ"}: the refused fields are absent.
  RequestDraft draft;
  draft.region = "ZZ";
  FieldErrors decoding = {ErrorAt("/country_code", "invalid_type", "Must be a string."),
                          ErrorAt("/notify_email/0", "invalid_type", "Must be a string."),
                          ErrorAt("/areaCode", "unknown_field", "Did you mean \"area_code\"?")};

  RequestValidation result = Validate(RequestType::kNonTollFree, draft, decoding);

  // No "required" for country_code or notify_email: they were given, wrongly.
  // The region cannot be checked without a country.
  EXPECT_FALSE(result.request.has_value());
  EXPECT_EQ(CodesOf(result), (Codes{{"/country_code", "invalid_type"},
                                    {"/notify_email/0", "invalid_type"},
                                    {"/areaCode", "unknown_field"}}));
  EXPECT_EQ(result.errors[2].detail, "Did you mean \"area_code\"?");
}

TEST_F(RequestValidationTest, RequiresNotifyEmailWhenEveryEntryIsBlank) {
  RequestDraft draft = TollFreeDraft();
  draft.notify_email = Strings{"", "  "};

  RequestValidation result = Validate(RequestType::kTollFree, draft);

  EXPECT_EQ(CodesOf(result), (Codes{{"/notify_email", "required"}}));
}

TEST_F(RequestValidationTest, DoesNotCheckARefusedTollFreeFlagAgain) {
  RequestDraft draft = PortInDraft("18335550123");
  FieldErrors decoding = {ErrorAt("/toll_free", "invalid_type", "Must be true or false.")};

  RequestValidation result = Validate(RequestType::kPortIn, draft, decoding);

  EXPECT_EQ(CodesOf(result), (Codes{{"/toll_free", "invalid_type"}}));
}

TEST(QuoteForMessage, QuotesShortValueWhole) {
  EXPECT_EQ(QuoteForMessage("Montr\u00e9al"), "\"Montr\u00e9al\"");
  EXPECT_EQ(QuoteForMessage(std::string(kMaxQuotedLength, 'a')),
            "\"" + std::string(kMaxQuotedLength, 'a') + "\"");
}

TEST(QuoteForMessage, CutsLongValueAtACodePoint) {
  std::string accents;
  for (int i = 0; i < 61; ++i)
    accents += "\u00e9";

  EXPECT_EQ(QuoteForMessage(accents), "\"" + accents.substr(0, 120) + "\u2026\"");
}

}  // namespace
}  // namespace numberdesk
