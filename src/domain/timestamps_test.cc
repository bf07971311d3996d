#include "domain/timestamps.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace numberdesk {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// 2026-12-03T17:30:00Z.
constexpr seconds kDecember3 = seconds(1796319000);

Timestamp At(milliseconds since_epoch) {
  return Timestamp(since_epoch);
}

TEST(Rfc3339, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatRfc3339(At(kDecember3 + milliseconds(123))), "2026-12-03T17:30:00.123Z");
}

TEST(Rfc3339, FormatsEpoch) {
  EXPECT_EQ(FormatRfc3339(At(milliseconds(0))), "1970-01-01T00:00:00.000Z");
}

TEST(Rfc3339, FormatsInstantsBeforeEpoch) {
  EXPECT_EQ(FormatRfc3339(At(milliseconds(-1))), "1969-12-31T23:59:59.999Z");
}

TEST(Rfc3339, FormattedStringsSortInTimeOrder) {
  std::vector<Timestamp> instants = {At(kDecember3), At(milliseconds(5)),
                                     At(kDecember3 + milliseconds(7)), At(seconds(999999999))};
  std::vector<std::string> texts;
  for (Timestamp at : instants)
    texts.push_back(FormatRfc3339(at));

  std::sort(instants.begin(), instants.end());
  std::sort(texts.begin(), texts.end());

  for (std::size_t i = 0; i < instants.size(); ++i) {
    EXPECT_EQ(texts[i], FormatRfc3339(instants[i]));
  }
}

TEST(Rfc3339, ParsesWhatItFormats) {
  Timestamp at = At(kDecember3 + milliseconds(123));

  EXPECT_EQ(ParseRfc3339(FormatRfc3339(at)), at);
}

TEST(Rfc3339, ParsesWithoutFraction) {
  EXPECT_EQ(ParseRfc3339("2026-12-03T17:30:00Z"), At(kDecember3));
}

TEST(Rfc3339, ParsesLowerCaseSeparators) {
  EXPECT_EQ(ParseRfc3339("2026-12-03t17:30:00z"), At(kDecember3));
}

TEST(Rfc3339, ParsesAnyNumberOfFractionDigits) {
  EXPECT_EQ(ParseRfc3339("2026-12-03T17:30:00.5Z"), At(kDecember3 + milliseconds(500)));
  EXPECT_EQ(ParseRfc3339("2026-12-03T17:30:00.123456789123Z"),
            Timestamp(kDecember3 + std::chrono::nanoseconds(123456789)));
}

TEST(Rfc3339, AppliesNumericOffsets) {
  EXPECT_EQ(ParseRfc3339("2026-12-03T12:30:00-05:00"), At(kDecember3));
  EXPECT_EQ(ParseRfc3339("2026-12-03T23:00:00.000+05:30"), At(kDecember3));
  EXPECT_EQ(ParseRfc3339("2026-12-03T17:30:00+00:00"), At(kDecember3));
}

TEST(Rfc3339, RefusesMissingZone) {
  EXPECT_FALSE(ParseRfc3339("2026-12-03T17:30:00").has_value());
}

TEST(Rfc3339, RefusesMalformedText) {
  for (std::string_view text :
       {"", "2026-12-03", "2026-12-03 17:30:00Z", "2026-12-03T17:30:00.Z", "2026-12-03T17:30Z",
        "2026-12-03T17:30:00Zjunk", "2026-12-03T17:30:00+0500", "26-12-03T17:30:00Z",
        "2026-1a-03T17:30:00Z"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(ParseRfc3339(text).has_value());
  }
}

TEST(Rfc3339, RefusesOutOfRangeFields) {
  for (std::string_view text :
       {"2026-13-03T17:30:00Z", "2026-00-03T17:30:00Z", "2026-12-32T17:30:00Z",
        "2026-02-30T17:30:00Z", "2026-12-03T24:00:00Z", "2026-12-03T17:60:00Z"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(ParseRfc3339(text).has_value());
  }
}

TEST(Rfc3339, AcceptsLeapDay) {
  EXPECT_TRUE(ParseRfc3339("2028-02-29T00:00:00Z").has_value());
  EXPECT_FALSE(ParseRfc3339("2026-02-29T00:00:00Z").has_value());
}

}  // namespace
}  // namespace numberdesk
