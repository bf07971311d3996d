#ifndef NUMBERDESK_DOMAIN_EMAIL_ADDRESS_H_
#define NUMBERDESK_DOMAIN_EMAIL_ADDRESS_H_

#include <string_view>

namespace numberdesk {

// IsValidEmailAddress accepts the addresses a mail system can deliver to in
// practice: a dot-atom local part (RFC 5322 atext, no quoted strings), "@",
// and a domain of at least two LDH labels whose last one is alphabetic.
// Total length is at most 254 octets and the local part at most 64. The
// caller trims white space first; embedded white space is refused.
bool IsValidEmailAddress(std::string_view address);

}  // namespace numberdesk

#endif  // NUMBERDESK_DOMAIN_EMAIL_ADDRESS_H_
