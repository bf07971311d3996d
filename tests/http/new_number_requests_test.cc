// Black-box tests of the two JSON endpoints that ask for a new number:
// POST /api/numbers/add-new-number-request/non-toll-free and .../toll-free.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "http/http_client.h"
#include "http/server_process.h"

namespace numberdesk::testing {
namespace {

using nlohmann::json;

// With returns `body` with `key` set to `value`; Without returns it without `key`.
json With(json body, const std::string& key, json value) {
  body[key] = std::move(value);
  return body;
}

json Without(json body, const std::string& key) {
  body.erase(key);
  return body;
}

// One refused input and where and why it must be refused.
struct Refusal {
  json body;
  std::string pointer;
  std::string code;
};

class NewNumberRequestTest : public ::testing::Test {
 protected:
  // Posts each refusal to `path` and checks its 400, pointer and code, and
  // that nothing was created.
  void ExpectRefusals(const char* path, const std::vector<Refusal>& refusals) {
    for (const Refusal& refusal : refusals) {
      SCOPED_TRACE(refusal.body.dump());
      HttpResult result = api_.PostJson(path, refusal.body);
      EXPECT_EQ(result.status, 400) << result.body;
      EXPECT_TRUE(HasFieldError(result, refusal.pointer, refusal.code));
    }
    EXPECT_TRUE(api_.Get(kRequestsPath).Json()["requests"].empty());
  }

  json CreateNonTollFree(const json& body) {
    return ExpectCreated(api_.PostJson(kNonTollFreePath, body), "non_toll_free");
  }

  ServerProcess server_;
  HttpClient api_{server_.base_url(), server_.token()};
};

TEST_F(NewNumberRequestTest, CreatesANonTollFreeRequestWithNormalisedFields) {
  json body = {
      {"country_code", "us"},
      {"department_name", "  Sales  "},
      {"assign_to_user", "s_smith"},
      {"notify_email", {" jdoe@example.com ", "JDOE@example.com", "ops@example.com"}},
      {"comment", "Main line for the Boston office"},
      {"forward_from", "(978) 263-1234"},
      {"region", "ma"},
      {"city", "Boston"},
      {"area_code", {"617", "857"}},
  };
  HttpResult result = api_.PostJson(kNonTollFreePath, body);
  json created = ExpectCreated(result, "non_toll_free");

  EXPECT_EQ(created["country_code"], "US");
  EXPECT_EQ(created["region"], "MA");
  EXPECT_EQ(created["city"], "Boston");
  EXPECT_EQ(created["area_code"], json({"617", "857"}));
  EXPECT_EQ(created["forward_from"], "+19782631234");
  EXPECT_EQ(created["notify_email"], json({"jdoe@example.com", "ops@example.com"}));
  EXPECT_EQ(created["department_name"], "Sales");
  EXPECT_EQ(created["assign_to_user"], "s_smith");
  EXPECT_EQ(created["comment"], "Main line for the Boston office");
  EXPECT_TRUE(created["documents"].empty());
  EXPECT_EQ(created["events"][0]["actor"], "jdoe");

  HttpResult stored = api_.Get(result.Header("Location").value_or(""));
  ASSERT_EQ(stored.status, 200);
  EXPECT_EQ(stored.Json(), created);
}

TEST_F(NewNumberRequestTest, CreatesATollFreeRequest) {
  json body = With(MinimalTollFree(), "country_code", "ca");
  body["area_code"] = {"833", "800"};
  body["forward_from"] = "1-866-555-0123";
  json created = ExpectCreated(api_.PostJson(kTollFreePath, body), "toll_free");

  EXPECT_EQ(created["country_code"], "CA");
  EXPECT_EQ(created["area_code"], json({"833", "800"}));
  EXPECT_EQ(created["forward_from"], "+18665550123");
  EXPECT_FALSE(created.contains("region"));
  EXPECT_FALSE(created.contains("city"));
}

TEST_F(NewNumberRequestTest, AcceptsEveryTollFreePrefix) {
  for (const char* prefix : {"800", "833", "844", "855", "866", "877", "888"}) {
    SCOPED_TRACE(prefix);
    json body = With(MinimalTollFree(), "area_code", {prefix});
    json created = ExpectCreated(api_.PostJson(kTollFreePath, body), "toll_free");
    EXPECT_EQ(created["area_code"], json({prefix}));
  }
}

TEST_F(NewNumberRequestTest, RefusesTollFreePreferencesThatAreNotTollFree) {
  ExpectRefusals(
      kTollFreePath,
      {
          {With(MinimalTollFree(), "area_code", {"978"}), "/area_code/0", "not_toll_free_prefix"},
          {With(MinimalTollFree(), "area_code", {"800", "899"}), "/area_code/1",
           "not_toll_free_prefix"},
          {With(MinimalTollFree(), "area_code", {"8OO"}), "/area_code/0", "not_toll_free_prefix"},
      });
}

TEST_F(NewNumberRequestTest, RefusesRegionAndCityOnATollFreeRequest) {
  ExpectRefusals(kTollFreePath,
                 {
                     {With(MinimalTollFree(), "region", "MA"), "/region", "unknown_field"},
                     {With(MinimalTollFree(), "city", "Boston"), "/city", "unknown_field"},
                 });
}

TEST_F(NewNumberRequestTest, ChecksTheCountryCode) {
  ExpectRefusals(
      kNonTollFreePath,
      {
          {Without(MinimalNonTollFree(), "country_code"), "/country_code", "required"},
          {With(MinimalNonTollFree(), "country_code", ""), "/country_code", "required"},
          {With(MinimalNonTollFree(), "country_code", "MX"), "/country_code",
           "invalid_country_code"},
          {With(MinimalNonTollFree(), "country_code", "USA"), "/country_code",
           "invalid_country_code"},
          {With(MinimalNonTollFree(), "country_code", 1), "/country_code", "invalid_type"},
      });
}

TEST_F(NewNumberRequestTest, ChecksTheRegionAgainstTheCountry) {
  json canada = With(MinimalNonTollFree(), "country_code", "CA");
  ExpectRefusals(
      kNonTollFreePath,
      {
          {Without(MinimalNonTollFree(), "region"), "/region", "required"},
          {With(MinimalNonTollFree(), "region", " "), "/region", "required"},
          {With(MinimalNonTollFree(), "region", "ZZ"), "/region", "invalid_region"},
          {With(MinimalNonTollFree(), "region", "QC"), "/region", "invalid_region"},
          {With(canada, "region", "MA"), "/region", "invalid_region"},
          {With(MinimalNonTollFree(), "region", "Massachusetts"), "/region", "invalid_region"},
      });

  EXPECT_EQ(CreateNonTollFree(With(canada, "region", "qc"))["region"], "QC");
  EXPECT_EQ(CreateNonTollFree(With(MinimalNonTollFree(), "region", "dc"))["region"], "DC");
}

TEST_F(NewNumberRequestTest, ChecksTheShapeOfPreferredAreaCodes) {
  ExpectRefusals(
      kNonTollFreePath,
      {
          {With(MinimalNonTollFree(), "area_code", {"97"}), "/area_code/0", "invalid_area_code"},
          {With(MinimalNonTollFree(), "area_code", {"9780"}), "/area_code/0", "invalid_area_code"},
          {With(MinimalNonTollFree(), "area_code", {"abc"}), "/area_code/0", "invalid_area_code"},
          {With(MinimalNonTollFree(), "area_code", {"078"}), "/area_code/0", "invalid_area_code"},
          {With(MinimalNonTollFree(), "area_code", {"178"}), "/area_code/0", "invalid_area_code"},
          {With(MinimalNonTollFree(), "area_code", {"911"}), "/area_code/0", "invalid_area_code"},
          {With(MinimalNonTollFree(), "area_code", {"800"}), "/area_code/0", "invalid_area_code"},
          {With(MinimalNonTollFree(), "area_code", {"978", "12"}), "/area_code/1",
           "invalid_area_code"},
      });
}

TEST_F(NewNumberRequestTest, KeepsPreferredAreaCodesInsideTheRegionAndCity) {
  json boston = With(MinimalNonTollFree(), "city", "Boston");
  json california = With(MinimalNonTollFree(), "region", "CA");
  std::vector<std::string> eleven = {"209", "213", "279", "310", "323", "408",
                                     "415", "424", "510", "530", "559"};
  ExpectRefusals(kNonTollFreePath,
                 {
                     {With(MinimalNonTollFree(), "area_code", {"217"}), "/area_code/0",
                      "area_code_not_in_region"},
                     {With(MinimalNonTollFree(), "area_code", {"978", "416"}), "/area_code/1",
                      "area_code_not_in_region"},
                     {With(boston, "area_code", {"978"}), "/area_code/0", "area_code_not_in_city"},
                     {With(MinimalNonTollFree(), "city", "Gotham"), "/city", "unknown_city"},
                     {With(MinimalNonTollFree(), "city", "Chicago"), "/city", "unknown_city"},
                     {With(california, "area_code", eleven), "/area_code", "too_many_values"},
                 });

  json created = CreateNonTollFree(
      With(MinimalNonTollFree(), "area_code", {"978", " 617 ", "978", "", "413"}));
  EXPECT_EQ(created["area_code"], json({"978", "617", "413"}));

  // Area codes starting with 2 are real: 217 serves Springfield, Illinois.
  json illinois = With(MinimalNonTollFree(), "region", "IL");
  illinois["city"] = "springfield";
  illinois["area_code"] = {"217"};
  json springfield = CreateNonTollFree(illinois);
  EXPECT_EQ(springfield["area_code"], json({"217"}));
  EXPECT_EQ(springfield["city"], "Springfield");

  json quebec = With(With(MinimalNonTollFree(), "country_code", "CA"), "region", "qc");
  quebec["city"] = "MONTREAL";
  EXPECT_EQ(CreateNonTollFree(quebec)["city"], "Montr\u00e9al");
}

TEST_F(NewNumberRequestTest, ChecksFreeTextFields) {
  ExpectRefusals(
      kNonTollFreePath,
      {
          {With(MinimalNonTollFree(), "department_name", std::string(101, 'd')), "/department_name",
           "too_long"},
          {With(MinimalNonTollFree(), "department_name", "Sales\u0007"), "/department_name",
           "control_characters"},
          {With(MinimalNonTollFree(), "department_name", "Sales\nEast"), "/department_name",
           "control_characters"},
          {With(MinimalNonTollFree(), "comment", std::string(2001, 'c')), "/comment", "too_long"},
          {With(MinimalNonTollFree(), "comment", "beep\u001b[31m"), "/comment",
           "control_characters"},
          {With(MinimalNonTollFree(), "city", std::string(101, 'c')), "/city", "too_long"},
      });

  // Limits count characters, not bytes; a comment may have line breaks.
  std::string hundred_accented;
  for (int i = 0; i < 100; ++i)
    hundred_accented += "\u00e9";
  json body = With(MinimalNonTollFree(), "department_name", hundred_accented);
  body["comment"] = "First line\nSecond line";
  json created = CreateNonTollFree(body);
  EXPECT_EQ(created["department_name"], hundred_accented);
  EXPECT_EQ(created["comment"], "First line\nSecond line");
}

TEST_F(NewNumberRequestTest, AssignsOnlyToAnActiveUserOfTheSameAccount) {
  server_.CreateAccountWithAdmin("globex");
  ExpectRefusals(kNonTollFreePath,
                 {
                     {With(MinimalNonTollFree(), "assign_to_user", "nobody"), "/assign_to_user",
                      "unknown_user"},
                     {With(MinimalNonTollFree(), "assign_to_user", "globex_default"),
                      "/assign_to_user", "unknown_user"},
                     {With(MinimalNonTollFree(), "assign_to_user", "globex_admin"),
                      "/assign_to_user", "unknown_user"},
                     {With(MinimalNonTollFree(), "assign_to_user", "support"), "/assign_to_user",
                      "unknown_user"},
                 });

  for (const char* username : {"s_smith", "acme_default", "jdoe"}) {
    SCOPED_TRACE(username);
    json created = CreateNonTollFree(With(MinimalNonTollFree(), "assign_to_user", username));
    EXPECT_EQ(created["assign_to_user"], username);
  }
  json any_case = CreateNonTollFree(With(MinimalNonTollFree(), "assign_to_user", "S_Smith"));
  EXPECT_EQ(any_case["assign_to_user"], "s_smith");
}

TEST_F(NewNumberRequestTest, ReportsEveryBadFieldAtOnce) {
  json body = {
      {"country_code", "US"},
      {"region", "ZZ"},
      {"notify_email", {"not-an-email"}},
      {"area_code", {"12"}},
      {"forward_from", "+44 20 7946 0000"},
      {"department_name", std::string(101, 'd')},
      {"assign_to_user", "nobody"},
  };
  HttpResult result = api_.PostJson(kNonTollFreePath, body);
  ASSERT_TRUE(IsProblem(result, 400, "validation_failed"));
  EXPECT_TRUE(HasFieldError(result, "/region", "invalid_region"));
  EXPECT_TRUE(HasFieldError(result, "/notify_email/0", "invalid_email"));
  EXPECT_TRUE(HasFieldError(result, "/area_code/0", "invalid_area_code"));
  EXPECT_TRUE(HasFieldError(result, "/forward_from", "not_north_american_number"));
  EXPECT_TRUE(HasFieldError(result, "/department_name", "too_long"));
  EXPECT_TRUE(HasFieldError(result, "/assign_to_user", "unknown_user"));
  EXPECT_EQ(result.Json()["errors"].size(), 6u) << result.body;
}

TEST_F(NewNumberRequestTest, RefusesMisspeltFieldsInsteadOfDroppingThem) {
  HttpResult area =
      api_.PostJson(kNonTollFreePath, With(MinimalNonTollFree(), "areaCode", {"978"}));
  ASSERT_TRUE(IsProblem(area, 400, "unknown_field"));
  ASSERT_TRUE(HasFieldError(area, "/areaCode", "unknown_field"));
  EXPECT_NE(FieldError(area, "/areaCode")["detail"].get<std::string>().find("\"area_code\""),
            std::string::npos)
      << area.body;

  HttpResult region = api_.PostJson(kNonTollFreePath,
                                    With(Without(MinimalNonTollFree(), "region"), "regoin", "MA"));
  EXPECT_EQ(region.status, 400);
  ASSERT_TRUE(HasFieldError(region, "/regoin", "unknown_field"));
  EXPECT_NE(FieldError(region, "/regoin")["detail"].get<std::string>().find("\"region\""),
            std::string::npos)
      << region.body;
  EXPECT_TRUE(HasFieldError(region, "/region", "required"));

  HttpResult unrelated =
      api_.PostJson(kNonTollFreePath, With(MinimalNonTollFree(), "colour", "blue"));
  EXPECT_TRUE(HasFieldError(unrelated, "/colour", "unknown_field"));

  EXPECT_TRUE(api_.Get(kRequestsPath).Json()["requests"].empty());
}

TEST_F(NewNumberRequestTest, RefusesBrokenJsonSayingWhere) {
  std::string text = "{\n  \"country_code\": \"US\",\n  \"region\": MA\n}";
  HttpResult result = api_.Post(kNonTollFreePath, text, "application/json");
  ASSERT_TRUE(IsProblem(result, 400, "malformed_json"));
  json body = result.Json();
  EXPECT_EQ(body["line"], 3) << result.body;
  EXPECT_EQ(body["column"], 13) << result.body;

  for (const std::string broken :
       {"", "{", "{\"country_code\": \"US\",}", "{} extra", "{\"comment\": \"\xff\"}"}) {
    SCOPED_TRACE(broken);
    EXPECT_TRUE(
        IsProblem(api_.Post(kNonTollFreePath, broken, "application/json"), 400, "malformed_json"));
  }
}

// The detail of the first error at `pointer`, or "" when there is none.
std::string DetailAt(const HttpResult& result, const std::string& pointer) {
  json problem = result.Json();
  for (const json& error : problem["errors"]) {
    if (error.value("pointer", "") == pointer) return error.value("detail", "");
  }
  return "";
}

TEST_F(NewNumberRequestTest, RefusesJsonWithANulByteAndWhatFollows) {
  std::string valid = MinimalNonTollFree().dump();
  std::string text = valid + std::string(1, '\0') + "{\"garbage\": !!!";

  HttpResult result = api_.Post(kNonTollFreePath, text, "application/json");

  ASSERT_TRUE(IsProblem(result, 400, "malformed_json"));
  EXPECT_EQ(result.Json()["line"], 1) << result.body;
  EXPECT_EQ(result.Json()["column"], valid.size() + 1) << result.body;
  EXPECT_TRUE(api_.Get(kRequestsPath).Json()["requests"].empty());
}

TEST_F(NewNumberRequestTest, RefusesDuplicateKeys) {
  std::string text = R"({"country_code":"US","notify_email":["ops@example.com"],)"
                     R"("region":"ZZ","region":"MA"})";

  HttpResult result = api_.Post(kNonTollFreePath, text, "application/json");

  ASSERT_TRUE(IsProblem(result, 400, "malformed_json"));
  EXPECT_EQ(result.Json()["line"], 1) << result.body;
  EXPECT_EQ(result.Json()["column"], text.find("\"region\":\"MA\"") + 1) << result.body;
  EXPECT_NE(result.Json()["detail"].get<std::string>().find("duplicate key \"region\""),
            std::string::npos)
      << result.body;
  EXPECT_TRUE(api_.Get(kRequestsPath).Json()["requests"].empty());
}

TEST_F(NewNumberRequestTest, RefusesC1ControlsAndUnicodeLineSeparators) {
  ExpectRefusals(
      kNonTollFreePath,
      {{With(MinimalNonTollFree(), "department_name", "Sales\u0085"), "/department_name",
        "control_characters"},
       {With(MinimalNonTollFree(), "comment", "one\u2028two"), "/comment", "control_characters"},
       {With(MinimalNonTollFree(), "comment", "one\u2029two"), "/comment", "control_characters"},
       {With(MinimalNonTollFree(), "comment", "\u009bnote"), "/comment", "control_characters"}});
}

TEST_F(NewNumberRequestTest, RefusesAHugeListWithOneError) {
  json body = With(MinimalNonTollFree(), "notify_email", json(50000, "not-an-address"));

  HttpResult result = api_.PostJson(kNonTollFreePath, body);

  ASSERT_TRUE(IsProblem(result, 400, "too_many_values")) << result.body.substr(0, 500);
  EXPECT_TRUE(HasFieldError(result, "/notify_email", "too_many_values"));
  EXPECT_EQ(result.Json()["errors"].size(), 1u);
  EXPECT_LT(result.body.size(), 1000u);
}

TEST_F(NewNumberRequestTest, CapsTheErrorsOfOneResponse) {
  json body = MinimalNonTollFree();
  for (int i = 0; i < 80; ++i)
    body["unknown_" + std::to_string(i)] = 1;

  HttpResult result = api_.PostJson(kNonTollFreePath, body);

  EXPECT_EQ(result.status, 400);
  EXPECT_EQ(result.Json()["errors"].size(), 50u);
}

TEST_F(NewNumberRequestTest, EchoesAtMostSixtyCharactersOfAValue) {
  std::string long_address(300, 'x');
  json body = With(MinimalNonTollFree(), "notify_email", {long_address});

  HttpResult result = api_.PostJson(kNonTollFreePath, body);

  ASSERT_TRUE(HasFieldError(result, "/notify_email/0", "invalid_email"));
  EXPECT_EQ(DetailAt(result, "/notify_email/0"),
            "\"" + std::string(60, 'x') + "\u2026\" is not an email address.");
}

TEST_F(NewNumberRequestTest, ExplainsForwardFromLengthAndCaribbeanAreaCodes) {
  HttpResult short_number =
      api_.PostJson(kNonTollFreePath, With(MinimalNonTollFree(), "forward_from", "+1978263123"));
  HttpResult caribbean =
      api_.PostJson(kNonTollFreePath, With(MinimalNonTollFree(), "forward_from", "+18095550123"));

  ASSERT_TRUE(HasFieldError(short_number, "/forward_from", "phone_number_wrong_length"));
  EXPECT_EQ(DetailAt(short_number, "/forward_from"),
            "A North American number has 10 digits, optionally preceded by 1 or +1; got 9 "
            "digits after +1.");
  ASSERT_TRUE(HasFieldError(caribbean, "/forward_from", "area_code_not_in_service"));
  EXPECT_EQ(DetailAt(caribbean, "/forward_from"),
            "Area code 809 is not in service in the US or Canada.");
}

TEST_F(NewNumberRequestTest, RefusesBodiesThatAreNotObjects) {
  for (const char* text : {"[]", "\"x\"", "null", "42", "true", "[{}]"}) {
    SCOPED_TRACE(text);
    HttpResult result = api_.Post(kNonTollFreePath, text, "application/json");
    EXPECT_TRUE(IsProblem(result, 400, "invalid_type")) << result.body;
    EXPECT_TRUE(HasFieldError(result, "", "invalid_type"));
    EXPECT_EQ(result.Json()["errors"].size(), 1u) << "only the body itself is at fault";
  }
}

TEST_F(NewNumberRequestTest, RefusesValuesOfTheWrongJsonType) {
  ExpectRefusals(
      kNonTollFreePath,
      {
          {With(MinimalNonTollFree(), "area_code", 978), "/area_code", "invalid_type"},
          {With(MinimalNonTollFree(), "area_code", "978"), "/area_code", "invalid_type"},
          {With(MinimalNonTollFree(), "area_code", {978}), "/area_code/0", "invalid_type"},
          {With(MinimalNonTollFree(), "notify_email", "jdoe@example.com"), "/notify_email",
           "invalid_type"},
          {With(MinimalNonTollFree(), "region", json::array({"MA"})), "/region", "invalid_type"},
          {With(MinimalNonTollFree(), "comment", json::object()), "/comment", "invalid_type"},
          {With(MinimalNonTollFree(), "forward_from", 9782631234), "/forward_from", "invalid_type"},
      });
}

TEST_F(NewNumberRequestTest, TreatsEveryEmptyFormOfNotifyEmailAsMissing) {
  ExpectRefusals(
      kNonTollFreePath,
      {
          {Without(MinimalNonTollFree(), "notify_email"), "/notify_email", "required"},
          {With(MinimalNonTollFree(), "notify_email", nullptr), "/notify_email", "required"},
          {With(MinimalNonTollFree(), "notify_email", ""), "/notify_email", "required"},
          {With(MinimalNonTollFree(), "notify_email", {""}), "/notify_email", "required"},
          {With(MinimalNonTollFree(), "notify_email", json::array()), "/notify_email", "required"},
          {With(MinimalNonTollFree(), "notify_email", {"", " "}), "/notify_email", "required"},
      });
}

TEST_F(NewNumberRequestTest, PointsAtTheBadNotifyEmailEntry) {
  ExpectRefusals(
      kNonTollFreePath,
      {
          {With(MinimalNonTollFree(), "notify_email", {nullptr}), "/notify_email/0",
           "invalid_type"},
          {With(MinimalNonTollFree(), "notify_email", {"jdoe@example.com", nullptr}),
           "/notify_email/1", "invalid_type"},
          {With(MinimalNonTollFree(), "notify_email", {42}), "/notify_email/0", "invalid_type"},
          {With(MinimalNonTollFree(), "notify_email", {"not-an-email"}), "/notify_email/0",
           "invalid_email"},
          {With(MinimalNonTollFree(), "notify_email", {"", "a b@example.com"}), "/notify_email/1",
           "invalid_email"},
          {With(MinimalNonTollFree(), "notify_email", {"jdoe@localhost"}), "/notify_email/0",
           "invalid_email"},
      });
}

TEST_F(NewNumberRequestTest, LimitsTheNumberOfNotifyEmails) {
  json eleven = json::array();
  for (int i = 0; i < 11; ++i)
    eleven.push_back("user" + std::to_string(i) + "@example.com");
  ExpectRefusals(kNonTollFreePath, {{With(MinimalNonTollFree(), "notify_email", eleven),
                                     "/notify_email", "too_many_values"}});
}

TEST_F(NewNumberRequestTest, TreatsNullAndEmptyOptionalFieldsAsNotGiven) {
  json body = MinimalNonTollFree();
  body["department_name"] = nullptr;
  body["assign_to_user"] = "";
  body["comment"] = "";
  body["city"] = "";
  body["area_code"] = {""};
  body["forward_from"] = nullptr;
  json created = CreateNonTollFree(body);

  EXPECT_TRUE(created["department_name"].is_null());
  EXPECT_TRUE(created["assign_to_user"].is_null());
  EXPECT_TRUE(created["comment"].is_null());
  EXPECT_TRUE(created["city"].is_null());
  EXPECT_TRUE(created["forward_from"].is_null());
  EXPECT_EQ(created["area_code"], json::array());
}

TEST_F(NewNumberRequestTest, StoresEveryWayOfWritingForwardFromInE164) {
  for (const char* written :
       {"+19782631234", "19782631234", "9782631234", "(978) 263-1234", "978.263.1234",
        "978-263-1234", " +1 978 263 1234 ", "+1-978-263-1234", "1 (978) 263-1234"}) {
    SCOPED_TRACE(written);
    json created = CreateNonTollFree(With(MinimalNonTollFree(), "forward_from", written));
    EXPECT_EQ(created["forward_from"], "+19782631234");
  }
}

TEST_F(NewNumberRequestTest, RefusesForwardFromNumbersThatAreNotNorthAmerican) {
  ExpectRefusals(kNonTollFreePath,
                 {
                     {With(MinimalNonTollFree(), "forward_from", "+119782631234"), "/forward_from",
                      "phone_number_wrong_length"},
                     {With(MinimalNonTollFree(), "forward_from", "978263123"), "/forward_from",
                      "phone_number_wrong_length"},
                     {With(MinimalNonTollFree(), "forward_from", "+9782631234"), "/forward_from",
                      "not_north_american_number"},
                     {With(MinimalNonTollFree(), "forward_from", "978-263-1234 x45"),
                      "/forward_from", "phone_number_has_extension"},
                     {With(MinimalNonTollFree(), "forward_from", "+19782631234;ext=45"),
                      "/forward_from", "phone_number_has_extension"},
                     {With(MinimalNonTollFree(), "forward_from", "1-800-FAX-0123"), "/forward_from",
                      "phone_number_has_letters"},
                     {With(MinimalNonTollFree(), "forward_from", "+1 555 263 1234"),
                      "/forward_from", "area_code_not_in_service"},
                 });

  // The refusal of "+9782631234" hints at the missing country code.
  HttpResult missing_one =
      api_.PostJson(kNonTollFreePath, With(MinimalNonTollFree(), "forward_from", "+9782631234"));
  EXPECT_NE(FieldError(missing_one, "/forward_from")["detail"].get<std::string>().find("+1"),
            std::string::npos)
      << missing_one.body;
}

TEST_F(NewNumberRequestTest, AppliesTheNumberingPlanRulesToForwardFrom) {
  ExpectRefusals(kNonTollFreePath, {
                                       {With(MinimalNonTollFree(), "forward_from", "+10405550123"),
                                        "/forward_from", "invalid_area_code"},
                                       {With(MinimalNonTollFree(), "forward_from", "+11785550123"),
                                        "/forward_from", "invalid_area_code"},
                                       {With(MinimalNonTollFree(), "forward_from", "+19780631234"),
                                        "/forward_from", "invalid_exchange"},
                                       {With(MinimalNonTollFree(), "forward_from", "+19781631234"),
                                        "/forward_from", "invalid_exchange"},
                                       {With(MinimalNonTollFree(), "forward_from", "+14115550123"),
                                        "/forward_from", "n11_area_code"},
                                       {With(MinimalNonTollFree(), "forward_from", "+19784111234"),
                                        "/forward_from", "n11_exchange"},
                                   });

  // Area codes starting with 2 are real (217 is Illinois).
  json created = CreateNonTollFree(With(MinimalNonTollFree(), "forward_from", "+12175550199"));
  EXPECT_EQ(created["forward_from"], "+12175550199");
}

TEST_F(NewNumberRequestTest, RefusesAJsonBodyOverOneMebibyte) {
  json body = With(MinimalNonTollFree(), "comment", std::string(1536 * 1024, 'c'));
  HttpResult result = api_.PostJson(kNonTollFreePath, body);
  ASSERT_TRUE(IsProblem(result, 413, "payload_too_large"));
  EXPECT_EQ(result.Json()["limit_bytes"], 1024 * 1024);
  EXPECT_TRUE(api_.Get(kRequestsPath).Json()["requests"].empty());
}

TEST_F(NewNumberRequestTest, RefusesMultipartOnTheJsonEndpoints) {
  std::vector<FormPart> parts = {{"data", std::nullopt, std::nullopt, MinimalTollFree().dump()}};
  EXPECT_TRUE(IsProblem(api_.PostMultipart(kTollFreePath, parts), 415, "unsupported_media_type"));
}

TEST_F(NewNumberRequestTest, GivesRequestsRandomIds) {
  std::set<std::string> ids;
  std::string previous;
  for (int i = 0; i < 3; ++i) {
    std::string id = CreateNonTollFree(MinimalNonTollFree())["id"];
    ASSERT_EQ(id.size(), 30u);
    if (!previous.empty()) {
      // Random ids differ almost everywhere, not only in their last characters.
      int differing = 0;
      for (std::size_t c = 4; c < id.size(); ++c)
        differing += id[c] != previous[c];
      EXPECT_GE(differing, 10) << previous << " and " << id << " look sequential";
      EXPECT_NE(id.substr(0, 12), previous.substr(0, 12)) << previous << " and " << id;
    }
    ids.insert(id);
    previous = id;
  }
  EXPECT_EQ(ids.size(), 3u);
}

}  // namespace
}  // namespace numberdesk::testing
