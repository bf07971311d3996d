#ifndef NUMBERDESK_HTTP_MESSAGE_H_
#define NUMBERDESK_HTTP_MESSAGE_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace numberdesk::http {

// Header fields in arrival order; names compare in any letter case.
class Headers {
 public:
  void Add(std::string name, std::string value);
  // Set replaces every field called `name` with one.
  void Set(std::string name, std::string value);
  // Get returns the first field called `name`.
  std::optional<std::string_view> Get(std::string_view name) const;
  // GetAll returns every field called `name`, in arrival order.
  std::vector<std::string_view> GetAll(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// Why the transport refused a request before any handler saw it. The
// application still answers such a request, so that every response goes
// through one place that logs it and adds the common headers.
enum class Rejection {
  kNone,
  kBodyTooLarge,  // declared or streamed body over the server's limit
  kMalformed,     // not parseable as HTTP/1.1, or a transfer coding other than chunked
  kIncomplete,    // the client went away or stalled mid-body; the answer is not sent,
                  // but the application still sees the request, to log it
};

// HttpRequest is a complete request as the application sees it. The HTTP
// library's own types never leave the server's translation unit.
struct HttpRequest {
  std::string method;  // "GET"
  std::string target;  // as sent: path and query
  std::string path;    // target without the query, still percent-encoded
  std::string query;   // after "?", without it
  Headers headers;
  std::string body;
  Rejection rejection = Rejection::kNone;
  std::size_t body_limit = 0;  // the server's limit, for the 413 message
};

// MediaTypeOf returns the media type of a Content-Type value, lower case and
// without parameters: "application/json" for "Application/JSON; charset=utf-8".
std::string MediaTypeOf(std::string_view content_type);

// MatchesIfNoneMatch reports whether the request's If-None-Match names
// `etag` (a quoted strong tag): in a list, compared weakly as RFC 9110 asks
// for GET, or as "*". The list may be split over several If-None-Match
// fields. Such a request gets 304 Not Modified.
bool MatchesIfNoneMatch(const HttpRequest& request, std::string_view etag);

struct HttpResponse {
  int status = 200;
  Headers headers;
  std::string body;
};

}  // namespace numberdesk::http

#endif  // NUMBERDESK_HTTP_MESSAGE_H_
