#include "domain/phone_number.h"

#include <algorithm>
#include <cctype>

#include "domain/text.h"

namespace numberdesk {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsLetter(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

// An extension is a marker ("x", "ext", "ext.", "extension", "#", ";ext=")
// followed by digits at the end of the text.
bool HasExtension(std::string_view text) {
  std::string lower = AsciiLower(text);
  if (lower.find(";ext=") != std::string::npos) {
    return true;
  }
  std::size_t end = lower.size();
  std::size_t digits_begin = end;
  while (digits_begin > 0 && IsDigit(lower[digits_begin - 1])) {
    --digits_begin;
  }
  if (digits_begin == end) {
    return false;
  }
  std::string_view before = TrimWhitespace(std::string_view(lower).substr(0, digits_begin));
  for (std::string_view marker : {"extension", "ext.", "ext", "x", "#"}) {
    if (before.ends_with(marker)) {
      return true;
    }
  }
  return false;
}

PhoneNumberParse Refuse(PhoneNumberError error, std::string detail) {
  return PhoneNumberParse{std::nullopt, error, std::move(detail)};
}

}  // namespace

bool IsTollFreePrefix(std::string_view area_code) {
  return std::find(kTollFreePrefixes.begin(), kTollFreePrefixes.end(), area_code) !=
         kTollFreePrefixes.end();
}

PhoneNumberParse ParseNanpNumber(
    std::string_view text, const std::function<bool(std::string_view)>& area_code_in_service) {
  text = TrimWhitespace(text);

  if (HasExtension(text)) {
    return Refuse(PhoneNumberError::kHasExtension,
                  "Extensions cannot be ordered or ported; send the main number only.");
  }
  if (std::any_of(text.begin(), text.end(), IsLetter)) {
    return Refuse(PhoneNumberError::kHasLetters,
                  "Letters are not allowed; spell the number with digits.");
  }

  std::string digits;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (IsDigit(c)) {
      digits.push_back(c);
    } else if (c == '+' && i == 0) {
      // Handled below by looking at text[0].
    } else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') {
      return Refuse(PhoneNumberError::kInvalidCharacters,
                    "Only digits, spaces, dots, dashes, parentheses and a leading + are allowed.");
    }
  }

  bool has_plus = !text.empty() && text[0] == '+';
  if (has_plus && (digits.empty() || digits[0] != '1')) {
    return Refuse(PhoneNumberError::kNotNorthAmerican,
                  "Not a North American number: after + it must start with country code 1, "
                  "as in +1 978 263 1234.");
  }
  if (digits.size() == 11 && digits[0] == '1') {
    digits.erase(0, 1);
  } else if (has_plus || digits.size() != 10) {
    // With a country code given, the count that helps is the one after it.
    std::string got = std::to_string(digits.size()) + " digits";
    if (has_plus) {
      got = std::to_string(digits.size() - 1) + " digits after +1";
    } else if (!digits.empty() && digits[0] == '1') {
      got = std::to_string(digits.size() - 1) + " digits after the leading 1";
    }
    return Refuse(
        PhoneNumberError::kWrongLength,
        "A North American number has 10 digits, optionally preceded by 1 or +1; got " + got + ".");
  }

  if (digits[0] == '0' || digits[0] == '1') {
    return Refuse(PhoneNumberError::kAreaCodeStartsWith0Or1,
                  "Area code " + digits.substr(0, 3) + " is invalid: area codes start with 2-9.");
  }
  if (digits[1] == '1' && digits[2] == '1') {
    return Refuse(PhoneNumberError::kN11AreaCode,
                  "Area code " + digits.substr(0, 3) + " is a service code, not an area code.");
  }
  if (area_code_in_service && !area_code_in_service(std::string_view(digits).substr(0, 3))) {
    return Refuse(PhoneNumberError::kAreaCodeNotInService,
                  "Area code " + digits.substr(0, 3) + " is not in service in the US or Canada.");
  }
  if (digits[3] == '0' || digits[3] == '1') {
    return Refuse(PhoneNumberError::kExchangeStartsWith0Or1,
                  "Exchange " + digits.substr(3, 3) + " is invalid: exchanges start with 2-9.");
  }
  if (digits[4] == '1' && digits[5] == '1') {
    return Refuse(PhoneNumberError::kN11Exchange,
                  "Exchange " + digits.substr(3, 3) + " is a service code, not an exchange.");
  }
  return PhoneNumberParse{NanpNumber(std::move(digits)), {}, {}};
}

std::string_view PhoneNumberErrorCode(PhoneNumberError error) {
  switch (error) {
    case PhoneNumberError::kHasExtension:
      return "phone_number_has_extension";
    case PhoneNumberError::kHasLetters:
      return "phone_number_has_letters";
    case PhoneNumberError::kInvalidCharacters:
      return "invalid_phone_number";
    case PhoneNumberError::kNotNorthAmerican:
      return "not_north_american_number";
    case PhoneNumberError::kWrongLength:
      return "phone_number_wrong_length";
    case PhoneNumberError::kAreaCodeStartsWith0Or1:
      return "invalid_area_code";
    case PhoneNumberError::kN11AreaCode:
      return "n11_area_code";
    case PhoneNumberError::kAreaCodeNotInService:
      return "area_code_not_in_service";
    case PhoneNumberError::kExchangeStartsWith0Or1:
      return "invalid_exchange";
    case PhoneNumberError::kN11Exchange:
      return "n11_exchange";
  }
  return "invalid_phone_number";
}

}  // namespace numberdesk
