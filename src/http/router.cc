#include "http/router.h"

#include <algorithm>
#include <boost/container/small_vector.hpp>
#include <stdexcept>

namespace numberdesk::http {
namespace {

// Paths have a handful of segments; keeping them on the stack saves an
// allocation per request.
using Segments = boost::container::small_vector<std::string_view, 12>;

Segments Split(std::string_view path) {
  Segments segments;
  if (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (path.starts_with('/')) path.remove_prefix(1);
  while (!path.empty()) {
    std::size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool IsCapture(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Returns how specific the match is, or -1 if `pattern` does not match. The
// score has one bit per segment, first segment highest, set for a literal: of
// two patterns matching the same path, the one with a literal where the other
// first has a capture scores higher. Patterns have far fewer than 31 segments.
int MatchPattern(const std::vector<std::string>& parts, const Segments& segments,
                 PathParams* params) {
  if (parts.size() != segments.size()) return -1;
  // Literals first, so that a route that does not match costs no decoding.
  int literals = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    bool capture = IsCapture(parts[i]);
    if (!capture && parts[i] != segments[i]) return -1;
    literals = (literals << 1) | (capture ? 0 : 1);
  }
  PathParams captured;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!IsCapture(parts[i])) continue;
    std::optional<std::string> value = PercentDecode(segments[i]);
    if (!value || value->empty()) return -1;
    captured.Set(parts[i].substr(1, parts[i].size() - 2), std::move(*value));
  }
  if (params != nullptr) *params = std::move(captured);
  return literals;
}

}  // namespace

const std::string& PathParams::Get(std::string_view name) const {
  for (const auto& [key, value] : values_) {
    if (key == name) return value;
  }
  throw std::logic_error("no path parameter " + std::string(name));
}

bool PathParams::Has(std::string_view name) const {
  for (const auto& [key, value] : values_) {
    if (key == name) return true;
  }
  return false;
}

void Router::Add(std::string method, std::string pattern, RouteHandler handler,
                 RouteOptions options) {
  for (const Route& route : routes_) {
    if (route.method == method && route.pattern == pattern) {
      throw std::logic_error("route registered twice: " + method + " " + pattern);
    }
  }
  std::vector<std::string> segments;
  for (std::string_view segment : Split(pattern))
    segments.emplace_back(segment);
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(handler),
                          std::move(options), std::move(segments)});
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Segments segments = Split(path);
  Match match;
  int best = -1;
  for (const Route& route : routes_) {
    PathParams params;
    int score = MatchPattern(route.segments, segments, &params);
    if (score < 0) continue;
    if (route.method != method) {
      // Several patterns can match one path; the Allow list names each method once.
      if (std::find(match.allowed.begin(), match.allowed.end(), route.method) ==
          match.allowed.end()) {
        match.allowed.push_back(route.method);
      }
      continue;
    }
    if (score > best) {
      best = score;
      match.route = &route;
      match.params = std::move(params);
    }
  }
  return match;
}

std::optional<std::string> PercentDecode(std::string_view text, PercentDecodeError* error) {
  auto refuse = [error](PercentDecodeError why) -> std::optional<std::string> {
    if (error != nullptr) *error = why;
    return std::nullopt;
  };
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return refuse(PercentDecodeError::kMalformedEscape);
    int high = HexValue(text[i + 1]);
    int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return refuse(PercentDecodeError::kMalformedEscape);
    if (high == 0 && low == 0) return refuse(PercentDecodeError::kNulByte);
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                      (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kDigits[byte >> 4]);
      out.push_back(kDigits[byte & 15]);
    }
  }
  return out;
}

}  // namespace numberdesk::http
