#ifndef NUMBERDESK_DOMAIN_PLACE_NAMES_H_
#define NUMBERDESK_DOMAIN_PLACE_NAMES_H_

#include <string>
#include <string_view>

namespace numberdesk {

// PlaceNameKey returns the form in which two spellings of one city name are
// equal. It ignores letter case; accents, whether composed (NFC) or
// decomposed; apostrophes of any style; hyphens, dots and runs of spaces; and
// it reads "St" and "St." as "Saint" and "Ste" as "Sainte". So "Montréal",
// "MONTREAL" and "Montre\u0301al" share a key, as do "Saint-Jean-sur-Richelieu"
// and "st jean sur richelieu", and "Coeur d'Alene" and "Coeur d’Alene".
// Invalid UTF-8 bytes are dropped.
std::string PlaceNameKey(std::string_view name);

}  // namespace numberdesk

#endif  // NUMBERDESK_DOMAIN_PLACE_NAMES_H_
