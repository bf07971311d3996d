#include "domain/activation.h"

#include <gtest/gtest.h>

namespace numberdesk {
namespace {

// Massachusetts with two area codes and one city served by one of them,
// plus the toll-free prefixes 800 and 888.
RegionCatalog SmallCatalog() {
  RegionCatalog catalog;
  Region massachusetts;
  massachusetts.country_code = "US";
  massachusetts.code = "MA";
  massachusetts.name = "Massachusetts";
  massachusetts.area_codes = {"351", "978"};
  massachusetts.cities = {City{"Lowell", {"978"}, ""}};
  catalog.Add(massachusetts);
  Region vermont;
  vermont.country_code = "US";
  vermont.code = "VT";
  vermont.name = "Vermont";
  vermont.area_codes = {"802"};
  catalog.Add(vermont);
  catalog.SetTollFreePrefixes({"800", "888"});
  return catalog;
}

NumberRequest LocalRequest() {
  NumberRequest request;
  request.account_id = "acc_1";
  request.type = RequestType::kNonTollFree;
  request.country_code = "US";
  request.region = "MA";
  return request;
}

TEST(ObtainedNumber, AcceptsALocalNumberOfTheRegionInE164) {
  ObtainedNumberCheck check = CheckObtainedNumber(LocalRequest(), "(978) 263-1234", SmallCatalog());

  EXPECT_EQ(check.number, "+19782631234");
  EXPECT_TRUE(check.errors.empty());
  EXPECT_TRUE(check.warnings.empty());
}

TEST(ObtainedNumber, RefusesALocalNumberOfAnotherRegion) {
  ObtainedNumberCheck check = CheckObtainedNumber(LocalRequest(), "+18022631234", SmallCatalog());

  EXPECT_FALSE(check.number);
  ASSERT_EQ(check.errors.size(), 1u);
  EXPECT_EQ(check.errors[0].pointer, "/number");
  EXPECT_EQ(check.errors[0].code, "number_outside_region");
}

TEST(ObtainedNumber, RefusesAnAreaCodeNotInService) {
  ObtainedNumberCheck check = CheckObtainedNumber(LocalRequest(), "+14002631234", SmallCatalog());

  ASSERT_EQ(check.errors.size(), 1u);
  EXPECT_EQ(check.errors[0].code, "area_code_not_in_service");
}

TEST(ObtainedNumber, RefusesAMissingOrMalformedNumber) {
  EXPECT_EQ(CheckObtainedNumber(LocalRequest(), " ", SmallCatalog()).errors.at(0).code, "required");
  EXPECT_EQ(CheckObtainedNumber(LocalRequest(), "978-263-12", SmallCatalog()).errors.at(0).code,
            "phone_number_wrong_length");
}

TEST(ObtainedNumber, RefusesATollFreeNumberForALocalRequest) {
  ObtainedNumberCheck check = CheckObtainedNumber(LocalRequest(), "+18002631234", SmallCatalog());

  ASSERT_EQ(check.errors.size(), 1u);
  EXPECT_EQ(check.errors[0].code, "number_wrong_kind");
}

TEST(ObtainedNumber, WarnsWhenOutsideThePreferredAreaCodes) {
  NumberRequest request = LocalRequest();
  request.area_code = {"978"};

  ObtainedNumberCheck check = CheckObtainedNumber(request, "+13512631234", SmallCatalog());

  EXPECT_EQ(check.number, "+13512631234");
  ASSERT_EQ(check.warnings.size(), 1u);
  EXPECT_NE(check.warnings[0].find("preferred area codes (978)"), std::string::npos);
}

TEST(ObtainedNumber, WarnsWhenOutsideTheRequestedCity) {
  NumberRequest request = LocalRequest();
  request.city = "Lowell";

  ObtainedNumberCheck inside = CheckObtainedNumber(request, "+19782631234", SmallCatalog());
  ObtainedNumberCheck outside = CheckObtainedNumber(request, "+13512631234", SmallCatalog());

  EXPECT_TRUE(inside.warnings.empty());
  ASSERT_EQ(outside.warnings.size(), 1u);
  EXPECT_NE(outside.warnings[0].find("does not serve Lowell"), std::string::npos);
}

TEST(ObtainedNumber, TollFreeNeedsATollFreePrefixAndWarnsOutsideThePreferredOnes) {
  NumberRequest request = LocalRequest();
  request.type = RequestType::kTollFree;
  request.region.reset();
  request.area_code = {"800"};

  ObtainedNumberCheck local = CheckObtainedNumber(request, "+19782631234", SmallCatalog());
  ObtainedNumberCheck preferred = CheckObtainedNumber(request, "+18002631234", SmallCatalog());
  ObtainedNumberCheck other = CheckObtainedNumber(request, "+18882631234", SmallCatalog());

  EXPECT_EQ(local.errors.at(0).code, "number_wrong_kind");
  EXPECT_EQ(preferred.number, "+18002631234");
  EXPECT_TRUE(preferred.warnings.empty());
  EXPECT_EQ(other.number, "+18882631234");
  EXPECT_EQ(other.warnings.size(), 1u);
}

TEST(ObtainedNumber, APortInCompletesWithThePortedNumberOnly) {
  NumberRequest request = LocalRequest();
  request.type = RequestType::kPortIn;
  request.number_to_port = "+19782631234";

  EXPECT_EQ(CheckObtainedNumber(request, "978.263.1234", SmallCatalog()).number, "+19782631234");
  EXPECT_EQ(CheckObtainedNumber(request, "+19782631235", SmallCatalog()).errors.at(0).code,
            "number_not_ported_number");
}

User MakeUser(std::string id, std::string username, bool active = true) {
  User user;
  user.id = std::move(id);
  user.username = std::move(username);
  user.account_id = "acc_1";
  user.active = active;
  return user;
}

TEST(Assignee, IsTheRequestedUserWhileActive) {
  NumberRequest request = LocalRequest();
  request.assign_to_user_id = "usr_jdoe";
  request.assign_to_user = "jdoe";

  std::optional<Assignment> assignment =
      ChooseAssignee(request, MakeUser("usr_jdoe", "jdoe"), MakeUser("usr_def", "default"));

  ASSERT_TRUE(assignment);
  EXPECT_EQ(assignment->user.id, "usr_jdoe");
  EXPECT_EQ(assignment->reason, AssignmentReason::kRequestedUser);
}

TEST(Assignee, IsTheDefaultUserWhenNoneWasNamed) {
  std::optional<Assignment> assignment =
      ChooseAssignee(LocalRequest(), std::nullopt, MakeUser("usr_def", "default"));

  ASSERT_TRUE(assignment);
  EXPECT_EQ(assignment->user.id, "usr_def");
  EXPECT_EQ(assignment->reason, AssignmentReason::kDefaultUserNoneNamed);
  EXPECT_NE(assignment->explanation.find("named no user"), std::string::npos);
}

TEST(Assignee, IsTheDefaultUserWhenTheNamedOneIsInactiveOrGone) {
  NumberRequest request = LocalRequest();
  request.assign_to_user_id = "usr_jdoe";
  request.assign_to_user = "jdoe";

  std::optional<Assignment> inactive = ChooseAssignee(
      request, MakeUser("usr_jdoe", "jdoe", /*active=*/false), MakeUser("usr_def", "default"));
  std::optional<Assignment> gone = ChooseAssignee(request, std::nullopt, MakeUser("usr_def", "d"));

  ASSERT_TRUE(inactive);
  EXPECT_EQ(inactive->user.id, "usr_def");
  EXPECT_EQ(inactive->reason, AssignmentReason::kDefaultUserNamedUnavailable);
  EXPECT_NE(inactive->explanation.find("jdoe"), std::string::npos);
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->reason, AssignmentReason::kDefaultUserNamedUnavailable);
}

TEST(Assignee, IsNobodyWhenTheDefaultUserCannotTakeIt) {
  User other_account = MakeUser("usr_def", "default");
  other_account.account_id = "acc_2";

  EXPECT_FALSE(ChooseAssignee(LocalRequest(), std::nullopt, std::nullopt));
  EXPECT_FALSE(ChooseAssignee(LocalRequest(), std::nullopt, MakeUser("usr_def", "d", false)));
  EXPECT_FALSE(ChooseAssignee(LocalRequest(), std::nullopt, other_account));
}

}  // namespace
}  // namespace numberdesk
