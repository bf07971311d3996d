#include "api/json_body.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace numberdesk::api {
namespace {

using nlohmann::json;
using namespace std::string_literals;
using Strings = std::vector<std::string>;
// (pointer, code) of each error, in order.
using Codes = std::vector<std::pair<std::string, std::string>>;

Codes CodesOf(const FieldErrors& errors) {
  Codes codes;
  for (const FieldError& error : errors)
    codes.emplace_back(error.pointer, error.code);
  return codes;
}

const std::vector<FieldSpec> kSpec = {
    {"country_code", FieldShape::kString},     {"region", FieldShape::kString},
    {"notify_email", FieldShape::kStringList}, {"area_code", FieldShape::kStringList},
    {"toll_free", FieldShape::kBoolean},       {"version", FieldShape::kCount},
};

DecodedFields Decode(std::string_view text) {
  JsonParse parse = ParseJson(text);
  EXPECT_TRUE(parse.value.has_value()) << text;
  return DecodeFields(parse.value.value_or(json()), kSpec);
}

std::string Nested(int depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

// {"a":{"a":...1...}} with `depth` objects.
std::string NestedObjects(int depth) {
  std::string text;
  for (int i = 0; i < depth; ++i)
    text += R"({"a":)";
  return text + "1" + std::string(depth, '}');
}

TEST(ParseJson, ParsesObject) {
  JsonParse parse = ParseJson(R"({"region": "MA", "area_code": ["978"]})");

  ASSERT_TRUE(parse.value.has_value());
  EXPECT_FALSE(parse.error.has_value());
  EXPECT_EQ((*parse.value)["region"], "MA");
}

TEST(ParseJson, ReportsLineAndColumnOfSyntaxError) {
  // The stray comma is on line 2, column 13.
  JsonParse parse = ParseJson("{\n  \"region\": ,\n  \"city\": \"Boston\"\n}");

  EXPECT_FALSE(parse.value.has_value());
  ASSERT_TRUE(parse.error.has_value());
  EXPECT_EQ(parse.error->line, 2u);
  EXPECT_EQ(parse.error->column, 13u);
  EXPECT_FALSE(parse.error->message.empty());
}

TEST(ParseJson, ReportsPositionOnFirstLine) {
  JsonParse parse = ParseJson(R"({"region" "MA"})");

  ASSERT_TRUE(parse.error.has_value());
  EXPECT_EQ(parse.error->line, 1u);
  EXPECT_GE(parse.error->column, 11u);  // within "MA", where ":" belongs
  EXPECT_LE(parse.error->column, 14u);
}

TEST(ParseJson, ReportsEndOfTruncatedBody) {
  JsonParse parse = ParseJson("{\"region\": \"MA\",\n");

  ASSERT_TRUE(parse.error.has_value());
  EXPECT_EQ(parse.error->line, 2u);
  EXPECT_EQ(parse.error->column, 1u);
}

TEST(ParseJson, ReportsInvalidUtf8InPlainAscii) {
  JsonParse parsed = ParseJson("{\"city\": \"Montr\xe9al\"}");

  ASSERT_TRUE(parsed.error.has_value());
  for (char c : parsed.error->message) {
    EXPECT_TRUE(c >= 0x20 && c < 0x7F)
        << "byte " << static_cast<int>(static_cast<unsigned char>(c));
  }
}

TEST(ParseJson, RefusesEmptyBody) {
  JsonParse parse = ParseJson("");

  ASSERT_TRUE(parse.error.has_value());
  EXPECT_EQ(parse.error->line, 1u);
  EXPECT_EQ(parse.error->column, 1u);
}

TEST(ParseJson, RefusesTrailingGarbage) {
  EXPECT_TRUE(ParseJson(R"({"region": "MA"} x)").error.has_value());
  EXPECT_TRUE(ParseJson(R"({"region": "MA"}{})").error.has_value());
}

TEST(ParseJson, RefusesInvalidUtf8) {
  JsonParse parse = ParseJson(
      "{\"city\": \"Montr\xe9"
      "al\"}");

  EXPECT_FALSE(parse.value.has_value());
  ASSERT_TRUE(parse.error.has_value());
  EXPECT_EQ(parse.error->line, 1u);
}

TEST(ParseJson, RefusesNulByteAfterValue) {
  // nlohmann stops at a NUL byte; the garbage after it must not be ignored.
  std::string text = "{\"region\":\"MA\"}\n\0{\"garbage\": !!!"s;
  JsonParse parse = ParseJson(text);

  EXPECT_FALSE(parse.value.has_value());
  ASSERT_TRUE(parse.error.has_value());
  EXPECT_EQ(parse.error->line, 2u);
  EXPECT_EQ(parse.error->column, 1u);
  EXPECT_NE(parse.error->message.find("NUL"), std::string::npos) << parse.error->message;
}

TEST(ParseJson, RefusesNulByteBetweenTokensAndInStrings) {
  JsonParse between = ParseJson("{\"region\":\0\"MA\"}"s);
  ASSERT_TRUE(between.error.has_value());
  EXPECT_EQ(between.error->column, 11u);
  EXPECT_NE(between.error->message.find("NUL"), std::string::npos) << between.error->message;

  JsonParse in_string = ParseJson("{\"region\":\"M\0A\"}"s);
  ASSERT_TRUE(in_string.error.has_value());
  EXPECT_EQ(in_string.error->column, 13u);
}

TEST(ParseJson, ReportsSyntaxErrorBeforeNulByte) {
  JsonParse parse = ParseJson("{\"region\" \"MA\"}\0"s);

  ASSERT_TRUE(parse.error.has_value());
  EXPECT_EQ(parse.error->message.find("NUL"), std::string::npos) << parse.error->message;
}

TEST(ParseJson, RefusesDuplicateKey) {
  JsonParse parse = ParseJson(R"({"region":"ZZ","region":"MA"})");

  EXPECT_FALSE(parse.value.has_value());
  ASSERT_TRUE(parse.error.has_value());
  EXPECT_EQ(parse.error->message, "duplicate key \"region\"");
  EXPECT_EQ(parse.error->line, 1u);
  EXPECT_EQ(parse.error->column, 16u);  // the second "region"
}

TEST(ParseJson, RefusesDuplicateKeyInNestedObjectOnLaterLine) {
  JsonParse parse = ParseJson("[{\"a\":1},\n {\"b\":{\"c\\\"\":1, \"c\\\"\":2}}]");

  ASSERT_TRUE(parse.error.has_value());
  EXPECT_EQ(parse.error->message, "duplicate key \"c\"\"");
  EXPECT_EQ(parse.error->line, 2u);
  EXPECT_EQ(parse.error->column, 17u);
}

TEST(ParseJson, AcceptsSameKeyInDifferentObjects) {
  JsonParse parse = ParseJson(R"([{"a":1},{"a":2,"b":{"a":3}}])");

  EXPECT_TRUE(parse.value.has_value());
  EXPECT_FALSE(parse.error.has_value());
}

TEST(ParseJson, AcceptsNestingUpToTheLimit) {
  EXPECT_TRUE(ParseJson(Nested(kMaxJsonDepth)).value.has_value());
  EXPECT_TRUE(ParseJson(NestedObjects(kMaxJsonDepth)).value.has_value());
}

TEST(ParseJson, RefusesNestingBeyondTheLimit) {
  JsonParse parse = ParseJson(Nested(kMaxJsonDepth + 1));

  EXPECT_FALSE(parse.value.has_value());
  ASSERT_TRUE(parse.error.has_value());
  EXPECT_NE(parse.error->message.find(std::to_string(kMaxJsonDepth)), std::string::npos);
  EXPECT_TRUE(ParseJson(NestedObjects(kMaxJsonDepth + 1)).error.has_value());
}

TEST(ParseJson, RefusesVeryDeepNestingWithoutCrashing) {
  EXPECT_TRUE(ParseJson(std::string(100000, '[')).error.has_value());
  EXPECT_TRUE(ParseJson(Nested(100000)).error.has_value());
}

TEST(DecodeFields, ReturnsGivenValues) {
  DecodedFields fields =
      Decode(R"({"region": "MA", "notify_email": ["a@example.com"], "toll_free": false})");

  EXPECT_TRUE(fields.errors.empty());
  EXPECT_EQ(fields.String("region"), "MA");
  EXPECT_EQ(fields.StringList("notify_email"), Strings{"a@example.com"});
  EXPECT_EQ(fields.Boolean("toll_free"), false);
  EXPECT_FALSE(fields.String("country_code").has_value());
}

TEST(DecodeFields, FoldsEveryNotGivenFormAway) {
  for (std::string_view text : {R"({})", R"({"notify_email": null})", R"({"notify_email": ""})",
                                R"({"notify_email": [""]})", R"({"notify_email": []})",
                                R"({"notify_email": ["", " "]})", R"({"notify_email": "  "})"}) {
    SCOPED_TRACE(text);
    DecodedFields fields = Decode(text);
    EXPECT_TRUE(fields.errors.empty());
    EXPECT_FALSE(fields.StringList("notify_email").has_value());
  }
  for (std::string_view text : {R"({"region": null})", R"({"region": ""})"}) {
    SCOPED_TRACE(text);
    DecodedFields fields = Decode(text);
    EXPECT_TRUE(fields.errors.empty());
    EXPECT_FALSE(fields.String("region").has_value());
  }
  EXPECT_FALSE(Decode(R"({"toll_free": null})").Boolean("toll_free").has_value());
}

TEST(DecodeFields, TakesCountsAsWholeNonNegativeNumbersOnly) {
  EXPECT_EQ(Decode(R"({"version": 7})").Count("version"), 7);
  EXPECT_EQ(Decode(R"({"version": 0})").Count("version"), 0);
  EXPECT_EQ(Decode(R"({"version": 9223372036854775807})").Count("version"),
            std::numeric_limits<std::int64_t>::max());
  EXPECT_FALSE(Decode(R"({"version": null})").Count("version").has_value());
  for (std::string_view text :
       {R"({"version": -1})", R"({"version": 1.5})", R"({"version": 1.0})", R"({"version": "3"})",
        R"({"version": true})", R"({"version": 9223372036854775808})"}) {
    SCOPED_TRACE(text);
    DecodedFields fields = Decode(text);
    EXPECT_EQ(CodesOf(fields.errors), (Codes{{"/version", "invalid_type"}}));
    EXPECT_FALSE(fields.Count("version").has_value());
  }
}

TEST(DecodeFields, KeepsBlankListEntriesInPlace) {
  DecodedFields fields = Decode(R"({"area_code": ["978", "", "617"]})");

  EXPECT_TRUE(fields.errors.empty());
  EXPECT_EQ(fields.StringList("area_code"), (Strings{"978", "", "617"}));
}

TEST(DecodeFields, RefusesNullInsideListAtItsIndex) {
  DecodedFields fields = Decode(R"({"notify_email": [null]})");

  EXPECT_EQ(CodesOf(fields.errors), (Codes{{"/notify_email/0", "invalid_type"}}));
  EXPECT_FALSE(fields.StringList("notify_email").has_value());
}

TEST(DecodeFields, RefusesEveryWrongListEntry) {
  DecodedFields fields = Decode(R"({"notify_email": ["a@example.com", 5, {}, "b@example.com"]})");

  EXPECT_EQ(CodesOf(fields.errors),
            (Codes{{"/notify_email/1", "invalid_type"}, {"/notify_email/2", "invalid_type"}}));
  EXPECT_FALSE(fields.StringList("notify_email").has_value());
}

TEST(DecodeFields, RefusesNumberWhereListIsExpected) {
  DecodedFields fields = Decode(R"({"area_code": 978})");

  EXPECT_EQ(CodesOf(fields.errors), (Codes{{"/area_code", "invalid_type"}}));
  EXPECT_NE(fields.errors[0].detail.find("array of strings"), std::string::npos);
  EXPECT_FALSE(fields.StringList("area_code").has_value());
}

TEST(DecodeFields, RefusesStringWhereListIsExpected) {
  DecodedFields fields = Decode(R"({"notify_email": "jdoe@example.com"})");

  EXPECT_EQ(CodesOf(fields.errors), (Codes{{"/notify_email", "invalid_type"}}));
}

TEST(DecodeFields, RefusesWrongScalarTypes) {
  DecodedFields fields = Decode(R"({"country_code": 1, "region": ["MA"], "toll_free": "false"})");

  EXPECT_EQ(CodesOf(fields.errors), (Codes{{"/country_code", "invalid_type"},
                                           {"/region", "invalid_type"},
                                           {"/toll_free", "invalid_type"}}));
  EXPECT_FALSE(fields.String("country_code").has_value());
  EXPECT_FALSE(fields.String("region").has_value());
  EXPECT_FALSE(fields.Boolean("toll_free").has_value());
}

TEST(DecodeFields, RefusesMisspeltKeyWithSuggestion) {
  DecodedFields fields = Decode(R"({"areaCode": ["978"], "regoin": "MA"})");

  ASSERT_EQ(CodesOf(fields.errors),
            (Codes{{"/areaCode", "unknown_field"}, {"/regoin", "unknown_field"}}));
  EXPECT_NE(fields.errors[0].detail.find("Did you mean \"area_code\"?"), std::string::npos)
      << fields.errors[0].detail;
  EXPECT_NE(fields.errors[1].detail.find("Did you mean \"region\"?"), std::string::npos)
      << fields.errors[1].detail;
}

TEST(DecodeFields, RefusesUnrelatedKeyWithoutSuggestion) {
  DecodedFields fields = Decode(R"({"colour": "blue"})");

  ASSERT_EQ(CodesOf(fields.errors), (Codes{{"/colour", "unknown_field"}}));
  EXPECT_EQ(fields.errors[0].detail.find("Did you mean"), std::string::npos);
}

TEST(DecodeFields, RefusesUnknownKeyEvenWhenNull) {
  DecodedFields fields = Decode(R"({"regoin": null})");

  EXPECT_EQ(CodesOf(fields.errors), (Codes{{"/regoin", "unknown_field"}}));
}

TEST(DecodeFields, EscapesKeysInPointers) {
  DecodedFields fields = Decode(R"({"a/b~c": 1})");

  EXPECT_EQ(CodesOf(fields.errors), (Codes{{"/a~1b~0c", "unknown_field"}}));
}

TEST(DecodeFields, RefusesBodyThatIsNotAnObject) {
  for (std::string_view text : {"[]", R"("x")", "null", "5", "true", R"([{"region": "MA"}])"}) {
    SCOPED_TRACE(text);
    DecodedFields fields = Decode(text);
    EXPECT_EQ(CodesOf(fields.errors), (Codes{{"", "invalid_type"}}));
  }
}

TEST(ClosestName, SuggestsNameWithinTwoEdits) {
  std::vector<std::string_view> names = {"region", "area_code", "notify_email", "city"};

  EXPECT_EQ(ClosestName("areaCode", names), "area_code");
  EXPECT_EQ(ClosestName("notify-email", names), "notify_email");
  EXPECT_EQ(ClosestName("NotifyEmails", names), "notify_email");
  EXPECT_EQ(ClosestName("regoin", names), "region");
  EXPECT_EQ(ClosestName("Region", names), "region");
}

TEST(ClosestName, SuggestsNothingForDistantName) {
  std::vector<std::string_view> names = {"region", "area_code", "notify_email", "city"};

  EXPECT_FALSE(ClosestName("colour", names).has_value());
  EXPECT_FALSE(ClosestName("department", names).has_value());
  EXPECT_FALSE(ClosestName("x", {}).has_value());
}

TEST(JsonPointerToken, EscapesTildeAndSlash) {
  EXPECT_EQ(JsonPointerToken("area_code"), "area_code");
  EXPECT_EQ(JsonPointerToken("a/b~c"), "a~1b~0c");
  EXPECT_EQ(JsonPointerToken("~1"), "~01");
}

// Regression: a number beyond a double's range made the parser throw an
// exception that escaped as a 500.
TEST(ParseJson, RefusesANumberOutOfRangeAsASyntaxError) {
  JsonParse parsed = ParseJson("{\"comment\": 1e999}");

  EXPECT_FALSE(parsed.value);
  ASSERT_TRUE(parsed.error);
  EXPECT_EQ(parsed.error->message, "number out of range");
  EXPECT_EQ(parsed.error->line, 1u);
  EXPECT_GE(parsed.error->column, 13u);
}

}  // namespace
}  // namespace numberdesk::api
