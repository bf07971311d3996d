#ifndef NUMBERDESK_DOMAIN_TIMESTAMPS_H_
#define NUMBERDESK_DOMAIN_TIMESTAMPS_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace numberdesk {

using Timestamp = std::chrono::system_clock::time_point;

// FormatRfc3339 writes `at` in UTC with milliseconds: "2026-12-03T17:30:00.123Z".
// Strings in this form sort in time order.
std::string FormatRfc3339(Timestamp at);

// ParseRfc3339 reads what FormatRfc3339 writes, and also accepts no fraction
// or any number of fraction digits, and a numeric offset instead of "Z".
std::optional<Timestamp> ParseRfc3339(std::string_view text);

}  // namespace numberdesk

#endif  // NUMBERDESK_DOMAIN_TIMESTAMPS_H_
