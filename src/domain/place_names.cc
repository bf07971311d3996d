#include "domain/place_names.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <vector>

namespace numberdesk {
namespace {

bool IsApostrophe(UChar32 c) {
  return c == u'\'' || c == u'`' || c == 0x2018 || c == 0x2019 || c == 0x02BC || c == 0x00B4;
}

bool IsSeparator(UChar32 c) {
  return c == u'-' || c == u'.' || c == u',' || c == 0x2010 || c == 0x2011 || c == 0x2013 ||
         c == 0x2014 || u_isUWhiteSpace(c);
}

std::string CanonicalWord(const std::string& word) {
  if (word == "st" || word == "saint") return "saint";
  if (word == "ste" || word == "sainte") return "sainte";
  return word;
}

}  // namespace

std::string PlaceNameKey(std::string_view name) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));
  icu::UnicodeString decomposed = U_SUCCESS(status) ? nfd->normalize(text, status) : text;
  if (U_FAILURE(status)) decomposed = text;

  // Letters without their marks, folded, split into words at separators.
  std::vector<std::string> words(1);
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    if (c == 0xFFFD || u_charType(c) == U_NON_SPACING_MARK || IsApostrophe(c)) continue;
    if (IsSeparator(c)) {
      if (!words.back().empty()) words.emplace_back();
      continue;
    }
    icu::UnicodeString folded(u_foldCase(c, U_FOLD_CASE_DEFAULT));
    folded.toUTF8String(words.back());
  }

  std::string key;
  for (const std::string& word : words) {
    if (word.empty()) continue;
    if (!key.empty()) key.push_back(' ');
    key += CanonicalWord(word);
  }
  return key;
}

}  // namespace numberdesk
