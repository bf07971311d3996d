#include "http/router.h"

#include <stdexcept>

namespace numberdesk::http {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> segments;
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

// Returns the number of literal segments matched, or -1 if `pattern` does not
// match; more literals means a more specific route.
int MatchPattern(std::string_view pattern, const std::vector<std::string_view>& segments,
                 PathParams* params) {
  std::vector<std::string_view> parts = Split(pattern);
  if (parts.size() != segments.size()) return -1;
  int literals = 0;
  PathParams captured;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (IsCapture(parts[i])) {
      std::optional<std::string> value = PercentDecode(segments[i]);
      if (!value || value->empty()) return -1;
      captured.Set(std::string(parts[i].substr(1, parts[i].size() - 2)), std::move(*value));
    } else if (parts[i] == segments[i]) {
      ++literals;
    } else {
      return -1;
    }
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

void Router::Add(std::string method, std::string pattern, RouteHandler handler) {
  for (const Route& route : routes_) {
    if (route.method == method && route.pattern == pattern) {
      throw std::logic_error("route registered twice: " + method + " " + pattern);
    }
  }
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(handler)});
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  std::vector<std::string_view> segments = Split(path);
  Match match;
  int best = -1;
  for (const Route& route : routes_) {
    PathParams params;
    int score = MatchPattern(route.pattern, segments, &params);
    if (score < 0) continue;
    if (route.method != method) {
      match.allowed.push_back(route.method);
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

std::optional<std::string> PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    int high = HexValue(text[i + 1]);
    int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0 || (high == 0 && low == 0)) return std::nullopt;
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
