#ifndef NUMBERDESK_HTTP_ROUTER_H_
#define NUMBERDESK_HTTP_ROUTER_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"

namespace numberdesk::http {

// PathParams holds the values captured by "{name}" segments, percent-decoded.
class PathParams {
 public:
  void Set(std::string name, std::string value) {
    values_.emplace_back(std::move(name), std::move(value));
  }
  // Get returns the value of `name`; the route pattern guarantees it exists.
  const std::string& Get(std::string_view name) const;
  bool Has(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

using RouteHandler = std::function<HttpResponse(const HttpRequest&, const PathParams&)>;

// What a route demands of a request before its body is read.
struct RouteOptions {
  // Returns the refusal for a caller who may not use the route (a 401 or 403),
  // or nothing. Empty for a public route.
  std::function<std::optional<HttpResponse>(const HttpRequest&)> guard;
  // The largest body the route reads; 0 means the server's limit.
  std::size_t max_body_bytes = 0;
  // The media types the route reads, e.g. {"application/json"}; empty for
  // any. Parameters such as charset are ignored.
  std::vector<std::string> content_types;
};

// Router maps a method and a path to a handler. Patterns are literal
// segments and "{name}" captures, e.g. "/api/numbers/requests/{id}". A
// literal segment wins over a capture at the same place. One trailing slash
// on a request path is ignored.
class Router {
 public:
  struct Route {
    std::string method;
    std::string pattern;
    RouteHandler handler;
    RouteOptions options;
    std::vector<std::string> segments;  // the pattern split at "/"
  };

  // Add registers a route. Registering the same method and pattern twice is a
  // programming error and throws std::logic_error.
  void Add(std::string method, std::string pattern, RouteHandler handler,
           RouteOptions options = {});

  // The outcome of looking up a request.
  struct Match {
    const Route* route = nullptr;  // null when nothing matched
    PathParams params;
    std::vector<std::string> allowed;  // methods of routes with this path, for a 405
  };

  Match Find(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Why PercentDecode gave nothing.
enum class PercentDecodeError {
  kMalformedEscape,  // a "%" not followed by two hex digits
  kNulByte,          // "%00": well formed, but no text numberdesk reads may hold a NUL
};

// PercentDecode decodes %XX escapes; nothing if an escape is malformed or
// decodes to a NUL byte, and then `error`, when given, says which. "+" is
// kept as is: it means a space only in forms.
std::optional<std::string> PercentDecode(std::string_view text,
                                         PercentDecodeError* error = nullptr);

// PercentEncode escapes every byte except RFC 3986 unreserved characters, as
// RFC 8187 needs for a "filename*" parameter.
std::string PercentEncode(std::string_view text);

}  // namespace numberdesk::http

#endif  // NUMBERDESK_HTTP_ROUTER_H_
