#include "domain/document_rules.h"

#include <gtest/gtest.h>

#include <string>

namespace numberdesk {
namespace {

constexpr std::string_view kFallback = "document.pdf";

std::string Sanitize(std::string_view name) {
  return SanitizeFileName(name, kFallback);
}

TEST(SanitizeFileName, KeepsPlainName) {
  EXPECT_EQ(Sanitize("loa.pdf"), "loa.pdf");
}

TEST(SanitizeFileName, RemovesPathPartsAfterSlash) {
  EXPECT_EQ(Sanitize("/home/jdoe/loa.pdf"), "loa.pdf");
  EXPECT_EQ(Sanitize("../../etc/passwd"), "passwd");
}

TEST(SanitizeFileName, RemovesPathPartsAfterBackslash) {
  EXPECT_EQ(Sanitize("C:\\Users\\jdoe\\bill.pdf"), "bill.pdf");
  EXPECT_EQ(Sanitize("..\\..\\bill.pdf"), "bill.pdf");
  EXPECT_EQ(Sanitize("scans/2026\\bill.pdf"), "bill.pdf");
}

TEST(SanitizeFileName, KeepsUnicode) {
  EXPECT_EQ(Sanitize("Lettre d\u2019autorisation \u00e9t\u00e9.pdf"),
            "Lettre d\u2019autorisation \u00e9t\u00e9.pdf");
  EXPECT_EQ(Sanitize("\u8acb\u6c42\u66f8.pdf"), "\u8acb\u6c42\u66f8.pdf");
  EXPECT_EQ(Sanitize("fax \U0001F4E0.pdf"), "fax \U0001F4E0.pdf");
}

TEST(SanitizeFileName, DropsControlCharacters) {
  EXPECT_EQ(Sanitize("lo\r\na.pdf"), "loa.pdf");
  EXPECT_EQ(Sanitize("lo\ta\x7f.pdf"), "loa.pdf");
  EXPECT_EQ(Sanitize(std::string_view("lo\0a.pdf", 8)), "loa.pdf");
}

TEST(SanitizeFileName, DropsInvalidUtf8) {
  EXPECT_EQ(Sanitize("lo\xff"
                     "a.pdf"),
            "loa.pdf");
  EXPECT_EQ(Sanitize("lo\xc0\xaf"
                     "a.pdf"),
            "loa.pdf");                               // overlong "/"
  EXPECT_EQ(Sanitize("loa.pdf\xe2\x80"), "loa.pdf");  // cut-off sequence
}

TEST(SanitizeFileName, TrimsSurroundingWhiteSpace) {
  EXPECT_EQ(Sanitize("  loa.pdf  "), "loa.pdf");
}

TEST(SanitizeFileName, UsesFallbackWhenNothingIsLeft) {
  for (std::string_view name :
       {"", "   ", "/", "scans/", "C:\\scans\\", ".", "..", "../..", "\x01\x02", "\xff\xfe"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(Sanitize(name), kFallback);
  }
}

TEST(SanitizeFileName, CutsLongNamesToLimit) {
  EXPECT_EQ(Sanitize(std::string(300, 'a')), std::string(kMaxFileNameBytes, 'a'));
}

TEST(SanitizeFileName, CutsLongNamesWithoutSplittingUtf8) {
  std::string two_byte;
  for (int i = 0; i < 200; ++i)
    two_byte += "\u00e9";
  std::string three_byte = "ab";
  for (int i = 0; i < 100; ++i)
    three_byte += "\u20ac";

  std::string cut_two = Sanitize("a" + two_byte);
  std::string cut_three = Sanitize(three_byte);

  EXPECT_EQ(cut_two, "a" + two_byte.substr(0, 254));  // 1 + 127 * 2 bytes
  EXPECT_EQ(cut_three, three_byte.substr(0, 254));    // 2 + 84 * 3 bytes
}

TEST(SanitizeFileName, DropsC1ControlsAndBidiOverrides) {
  // U+202E would show "invoice\u202Efdp.exe" as "invoiceexe.pdf".
  EXPECT_EQ(Sanitize("invoice\u202Efdp.exe"), "invoicefdp.exe");
  EXPECT_EQ(Sanitize("a\u2066b\u2069c\u200Fd.pdf"), "abcd.pdf");
  EXPECT_EQ(Sanitize("bill\u0085.pdf"), "bill.pdf");
  EXPECT_EQ(Sanitize("\u00e9t\u00e9.pdf"), "\u00e9t\u00e9.pdf");
}

}  // namespace
}  // namespace numberdesk
