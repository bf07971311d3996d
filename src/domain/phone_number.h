#ifndef NUMBERDESK_DOMAIN_PHONE_NUMBER_H_
#define NUMBERDESK_DOMAIN_PHONE_NUMBER_H_

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace numberdesk {

// The toll-free area codes in service in the North American Numbering Plan.
inline constexpr std::array<std::string_view, 7> kTollFreePrefixes = {"800", "833", "844", "855",
                                                                      "866", "877", "888"};

// IsTollFreePrefix reports whether `area_code` is one of kTollFreePrefixes.
bool IsTollFreePrefix(std::string_view area_code);

// NanpNumber is a ten-digit North American number (NPA-NXX-XXXX) whose area
// code and exchange obey the numbering plan's shape rules. Whether the area
// code is actually in service is a question for the reference data.
class NanpNumber {
 public:
  // `ten_digits` must already satisfy the shape rules; use ParseNanpNumber.
  explicit NanpNumber(std::string ten_digits) : digits_(std::move(ten_digits)) {}

  std::string_view AreaCode() const { return std::string_view(digits_).substr(0, 3); }
  std::string_view Exchange() const { return std::string_view(digits_).substr(3, 3); }

  // E164 returns the number as "+1" followed by its ten digits.
  std::string E164() const { return "+1" + digits_; }

  bool IsTollFree() const { return IsTollFreePrefix(AreaCode()); }

  friend bool operator==(const NanpNumber&, const NanpNumber&) = default;

 private:
  std::string digits_;
};

// Why a string is not a North American number. Each value has its own stable
// code (PhoneNumberErrorCode) so that a client can tell the user what to fix.
enum class PhoneNumberError {
  kHasExtension,       // "978-263-1234 x45", "+19782631234;ext=45"
  kHasLetters,         // "1-800-FAX-0123"
  kInvalidCharacters,  // anything but digits, spaces, . - ( ) and a leading +
  kNotNorthAmerican,   // "+9782631234", "+44 20 7946 0000"
  kWrongLength,        // not ten digits after an optional leading 1
  kAreaCodeStartsWith0Or1,
  kN11AreaCode,           // 211 ... 911 are service codes, never area codes
  kAreaCodeNotInService,  // well-formed, but no US or Canadian region or toll-free
                          // service uses it (809, 649 and other Caribbean codes)
  kExchangeStartsWith0Or1,
  kN11Exchange,
};

struct PhoneNumberParse {
  std::optional<NanpNumber> number;  // set on success
  PhoneNumberError error{};          // meaningful only when `number` is empty
  std::string detail;                // a sentence for the client on failure
};

// ParseNanpNumber accepts the ways people write a North American number:
// "+19782631234", "19782631234", "9782631234", "(978) 263-1234",
// "978.263.1234", " +1 978 263 1234 ". It never guesses: a doubled country
// code, a missing 1 after "+", an extension or letters are refused rather
// than trimmed or reinterpreted. Surrounding white space is ignored.
//
// A wrong length is counted after the country code when one is given ("got 9
// digits after +1"). When `area_code_in_service` is given, an area code it
// refuses is reported as kAreaCodeNotInService ("not in service in the US or
// Canada"), before the exchange is looked at: a number whose
// area code does not exist is wrong first of all for that reason.
PhoneNumberParse ParseNanpNumber(
    std::string_view text,
    const std::function<bool(std::string_view)>& area_code_in_service = nullptr);

// PhoneNumberErrorCode returns the stable API code of `error`, such as
// "phone_number_has_extension".
std::string_view PhoneNumberErrorCode(PhoneNumberError error);

}  // namespace numberdesk

#endif  // NUMBERDESK_DOMAIN_PHONE_NUMBER_H_
