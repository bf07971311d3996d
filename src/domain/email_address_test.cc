#include "domain/email_address.h"

#include <gtest/gtest.h>

#include <string>

namespace numberdesk {
namespace {

TEST(EmailAddress, AcceptsDeliverableAddresses) {
  for (std::string_view address :
       {"jdoe@example.com", "first.last+fax@sub.example.co.uk", "o'brien@example.ie",
        "JDoe@Example.COM", "x@mail-relay.example.org", "a!#$%&*/=?^_`{|}~-@example.com"}) {
    SCOPED_TRACE(address);
    EXPECT_TRUE(IsValidEmailAddress(address));
  }
}

TEST(EmailAddress, RefusesAddressWithoutAt) {
  EXPECT_FALSE(IsValidEmailAddress("jdoe.example.com"));
  EXPECT_FALSE(IsValidEmailAddress(""));
}

TEST(EmailAddress, RefusesTwoAtSigns) {
  EXPECT_FALSE(IsValidEmailAddress("j@doe@example.com"));
}

TEST(EmailAddress, RefusesMisplacedDotsInLocalPart) {
  EXPECT_FALSE(IsValidEmailAddress(".jdoe@example.com"));
  EXPECT_FALSE(IsValidEmailAddress("jdoe.@example.com"));
  EXPECT_FALSE(IsValidEmailAddress("j..doe@example.com"));
  EXPECT_FALSE(IsValidEmailAddress("@example.com"));
}

TEST(EmailAddress, RefusesQuotedLocalPartAndWhiteSpace) {
  EXPECT_FALSE(IsValidEmailAddress("\"j doe\"@example.com"));
  EXPECT_FALSE(IsValidEmailAddress("j doe@example.com"));
  EXPECT_FALSE(IsValidEmailAddress("jdoe@example.com "));
}

TEST(EmailAddress, RefusesDomainWithOneLabel) {
  EXPECT_FALSE(IsValidEmailAddress("jdoe@localhost"));
}

TEST(EmailAddress, RefusesMalformedDomainLabels) {
  EXPECT_FALSE(IsValidEmailAddress("jdoe@-example.com"));
  EXPECT_FALSE(IsValidEmailAddress("jdoe@example-.com"));
  EXPECT_FALSE(IsValidEmailAddress("jdoe@example..com"));
  EXPECT_FALSE(IsValidEmailAddress("jdoe@example.com."));
  EXPECT_FALSE(IsValidEmailAddress("jdoe@exa_mple.com"));
  EXPECT_FALSE(IsValidEmailAddress("jdoe@"));
}

TEST(EmailAddress, RefusesNonAlphabeticTopLevelLabel) {
  EXPECT_FALSE(IsValidEmailAddress("jdoe@example.c0m"));
  EXPECT_FALSE(IsValidEmailAddress("jdoe@192.168.0.1"));
  EXPECT_FALSE(IsValidEmailAddress("jdoe@example.c"));
}

TEST(EmailAddress, LocalPartMayHaveAtMost64Octets) {
  EXPECT_TRUE(IsValidEmailAddress(std::string(64, 'j') + "@example.com"));
  EXPECT_FALSE(IsValidEmailAddress(std::string(65, 'j') + "@example.com"));
}

TEST(EmailAddress, DomainLabelMayHaveAtMost63Octets) {
  EXPECT_TRUE(IsValidEmailAddress("jdoe@" + std::string(63, 'd') + ".com"));
  EXPECT_FALSE(IsValidEmailAddress("jdoe@" + std::string(64, 'd') + ".com"));
}

TEST(EmailAddress, AddressMayHaveAtMost254Octets) {
  // 64 + 1 + (63 + 1 + 63 + 1 + 57 + 4) = 254.
  std::string local(64, 'j');
  std::string domain = std::string(63, 'a') + "." + std::string(63, 'b') + ".";

  EXPECT_TRUE(IsValidEmailAddress(local + "@" + domain + std::string(57, 'c') + ".com"));
  EXPECT_FALSE(IsValidEmailAddress(local + "@" + domain + std::string(58, 'c') + ".com"));
}

}  // namespace
}  // namespace numberdesk
