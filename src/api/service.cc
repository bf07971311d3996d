#include "api/service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>

#include "domain/document_rules.h"
#include "domain/text.h"
#include "http/problem.h"
#include "http/router.h"
#include "security/random_ids.h"
#include "security/tokens.h"

namespace numberdesk::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using http::Problem;

constexpr std::size_t kMaxRequestIdLength = 128;
// Hex runs this long are treated as secrets in logs; ids are base32.
constexpr std::size_t kLongestLoggedHexRun = 24;

// The api-supported-versions header: kSupportedApiVersions, comma-separated.
const std::string& SupportedVersionsList() {
  static const std::string list = [] {
    std::string joined;
    for (const std::string& version : kSupportedApiVersions) {
      joined += (joined.empty() ? "" : ", ") + version;
    }
    return joined;
  }();
  return list;
}

// Request ids only correlate log lines, so they come from a fast per-thread
// generator seeded once from the system's random source, not from it per
// request.
std::string NewRequestId() {
  thread_local std::mt19937_64 generator = [] {
    std::string seed = RandomBytes(sizeof(std::uint64_t));
    std::uint64_t value = 0;
    std::memcpy(&value, seed.data(), sizeof value);
    return std::mt19937_64(value);
  }();
  std::uint64_t value = generator();
  return "rq_" + HexEncode(std::string_view(reinterpret_cast<const char*>(&value), sizeof value));
}

// Secrets must never reach the log, even pasted where they do not belong: a
// token ("ndk_" in any case, or "ndk-") or any long hex run is blanked, after
// percent-decoding so that "%39%36" hides nothing.
std::string Redacted(std::string_view text) {
  std::string decoded = http::PercentDecode(text).value_or(std::string(text));
  std::string clean;
  clean.reserve(decoded.size());
  auto is_hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  for (std::size_t i = 0; i < decoded.size();) {
    std::size_t run = i;
    while (run < decoded.size() && is_hex(decoded[run]))
      ++run;
    bool token_prefix = decoded.size() - i >= 4 &&
                        EqualsIgnoringAsciiCase(std::string_view(decoded).substr(i, 3), "ndk") &&
                        (decoded[i + 3] == '_' || decoded[i + 3] == '-');
    if (token_prefix) {
      std::size_t end = i + 4;
      while (end < decoded.size() && std::isalnum(static_cast<unsigned char>(decoded[end])))
        ++end;
      clean += "[redacted]";
      i = end;
    } else if (run - i >= kLongestLoggedHexRun) {
      clean += "[redacted]";
      i = run;
    } else {
      char c = decoded[i++];
      clean.push_back(static_cast<unsigned char>(c) < 0x20 || c == '"' ? '?' : c);
    }
  }
  return clean;
}

// A client's X-Request-Id is echoed only if it is short and plain, and holds
// nothing Redacted would blank, so that it can neither forge log lines nor
// carry a secret into them.
bool IsSafeRequestId(std::string_view id) {
  bool plain = !id.empty() && id.size() <= kMaxRequestIdLength &&
               std::all_of(id.begin(), id.end(), [](char c) {
                 return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                        c == '.' || c == ':';
               });
  return plain && Redacted(id) == id;
}

// Paths are logged without their query and with secrets blanked.
std::string LoggablePath(std::string_view path) {
  std::string clean = Redacted(path);
  return clean.size() > 512 ? clean.substr(0, 512) + "..." : clean;
}

// The header fields whose one value decides what a request does. Sent
// twice, the one that happened to be read would decide whose token counts,
// which idempotency key or version applies, or how the body is read, so a
// repeat is refused instead of settled by order. If-None-Match is not here:
// it is a list, and its fields are read together. Nor is X-Request-Id, which
// only labels log lines and which a proxy may add to the client's own.
constexpr std::string_view kSingleValueHeaders[] = {"Authorization", "Idempotency-Key",
                                                    "api-version", "x-api-version", "Content-Type"};

HttpResponse DuplicateHeader(std::string_view name, std::string_view detail) {
  return Problem(400, "duplicate_header", detail, {{"header", name}});
}

// Returns the 400 to send when a single-value header comes more than once,
// or when api-version and its alias x-api-version disagree. Runs before
// anything else looks at the headers.
std::optional<HttpResponse> CheckRepeatedHeaders(const HttpRequest& request) {
  constexpr std::size_t kCount = std::size(kSingleValueHeaders);
  bool seen[kCount] = {};
  for (const auto& [field, value] : request.headers.fields()) {
    for (std::size_t i = 0; i < kCount; ++i) {
      if (!EqualsIgnoringAsciiCase(field, kSingleValueHeaders[i])) continue;
      if (seen[i]) {
        std::string name(kSingleValueHeaders[i]);
        return DuplicateHeader(name,
                               "The " + name + " header was sent more than once; send it once.");
      }
      seen[i] = true;
    }
  }
  std::optional<std::string_view> version = request.headers.Get("api-version");
  std::optional<std::string_view> alias = request.headers.Get("x-api-version");
  if (version && alias && TrimWhitespace(*version) != TrimWhitespace(*alias)) {
    return DuplicateHeader("api-version",
                           "api-version and x-api-version name different versions; send one.");
  }
  return std::nullopt;
}

// Returns the 400 to send when the request names an API version this server
// does not speak. A missing header means 1.0, never "the latest".
std::optional<HttpResponse> CheckApiVersion(const HttpRequest& request) {
  std::optional<std::string_view> header = request.headers.Get("api-version");
  if (!header) header = request.headers.Get("x-api-version");
  if (!header) return std::nullopt;
  std::string_view version = TrimWhitespace(*header);
  if (std::find(kSupportedApiVersions.begin(), kSupportedApiVersions.end(), version) !=
      kSupportedApiVersions.end()) {
    return std::nullopt;
  }
  return Problem(400, "unsupported_api_version",
                 "API version \"" + std::string(version) +
                     "\" is not supported; supported versions: " + SupportedVersionsList() + ".",
                 {{"supported_versions", kSupportedApiVersions}});
}

HttpResponse TransportRejection(const HttpRequest& request) {
  if (request.rejection == http::Rejection::kBodyTooLarge) {
    return Problem(413, "payload_too_large",
                   "The body is larger than the limit of " + std::to_string(request.body_limit) +
                       " bytes (each document may be up to " + std::to_string(kMaxDocumentBytes) +
                       " bytes).",
                   {{"limit_bytes", request.body_limit}});
  }
  if (request.rejection == http::Rejection::kIncomplete) {
    return Problem(400, "incomplete_request", "The client stopped before sending the whole body.");
  }
  return Problem(400, "malformed_request",
                 "The request is not valid HTTP/1.1, or uses a transfer coding other than "
                 "chunked.");
}

const std::vector<std::string> kJsonTypes = {"application/json"};
const std::vector<std::string> kFormDataTypes = {"multipart/form-data"};
const std::vector<std::string> kJsonOrFormDataTypes = {"application/json", "multipart/form-data"};

}  // namespace

// CheckBody enforces a route's content types and body limit, for a body of
// `body_bytes`: declared, when the headers are checked before the body is
// read, or received. One rule for both, so a handler need not repeat it.
std::optional<HttpResponse> CheckBody(const http::RouteOptions& options, const HttpRequest& request,
                                      std::size_t body_bytes);

Service::Service(Store& store, DocumentFiles& files, const RegionCatalog& regions,
                 NotifierSettings notifications, const std::filesystem::path& swagger_ui_dir)
    : store_(store),
      notifier_(store, std::move(notifications)),
      requests_(store, files, regions, notifier_),
      workflow_(store, files, regions, notifier_),
      notifications_(store),
      idempotency_(store),
      reference_(regions),
      docs_(swagger_ui_dir) {
  AddRoutes();
}

void Service::AddRoutes() {
  auto get = [this](std::string pattern, http::RouteHandler handler) {
    router_.Add("GET", std::move(pattern), std::move(handler));
  };
  get("/healthz", [](const HttpRequest&, const http::PathParams&) {
    return http::JsonResponse(200, {{"status", "ok"}});
  });

  // Reference lists: public data, no token needed.
  get("/api/numbers/regions/{country_code}",
      [this](const HttpRequest& r, const http::PathParams& p) { return reference_.Regions(r, p); });
  get("/api/numbers/cities/{country_code}/{region_code}",
      [this](const HttpRequest& r, const http::PathParams& p) { return reference_.Cities(r, p); });
  get("/api/numbers/area_codes/{country_code}/{region_code}",
      [this](const HttpRequest& r, const http::PathParams& p) {
        return reference_.AreaCodes(r, p);
      });
  get("/api/numbers/area_codes/{country_code}/{region_code}/{city}",
      [this](const HttpRequest& r, const http::PathParams& p) {
        return reference_.AreaCodes(r, p);
      });
  get("/api/numbers/toll_free_prefixes", [this](const HttpRequest& r, const http::PathParams&) {
    return reference_.TollFreePrefixes(r);
  });

  // The documentation: the OpenAPI document and Swagger UI, public.
  get("/swagger/v1/swagger.json",
      [this](const HttpRequest& r, const http::PathParams&) { return docs_.Document(r); });
  get("/swagger/{file}", [this](const HttpRequest& r, const http::PathParams& p) {
    return docs_.Page(r, p.Get("file"));
  });

  // The customer's side: an administrator allowed to manage fax numbers.
  using P = http::PathParams;
  auto manager = [this](std::string method, std::string pattern, CallerHandler handler,
                        std::size_t max_body = 0, std::vector<std::string> types = {}) {
    Secure(std::move(method), std::move(pattern), AuthorizeFaxNumberManager, std::move(handler),
           max_body, std::move(types));
  };
  manager(
      "POST", "/api/numbers/add-new-number-request/non-toll-free",
      [this](const HttpRequest& r, const P&, const Caller& c) {
        return requests_.CreateNewNumber(RequestType::kNonTollFree, r, c);
      },
      kMaxJsonBodyBytes, kJsonTypes);
  manager(
      "POST", "/api/numbers/add-new-number-request/toll-free",
      [this](const HttpRequest& r, const P&, const Caller& c) {
        return requests_.CreateNewNumber(RequestType::kTollFree, r, c);
      },
      kMaxJsonBodyBytes, kJsonTypes);
  manager(
      "POST", "/api/numbers/add-port-request",
      [this](const HttpRequest& r, const P&, const Caller& c) {
        return requests_.CreatePortIn(r, c);
      },
      0, kFormDataTypes);
  manager("GET", "/api/numbers/requests",
          [this](const HttpRequest& r, const P&, const Caller& c) { return requests_.List(r, c); });
  manager("GET", "/api/numbers/requests/{id}",
          [this](const HttpRequest&, const P& p, const Caller& c) { return requests_.Get(p, c); });
  manager("GET", "/api/numbers/requests/{id}/documents/{doc}",
          [this](const HttpRequest& r, const P& p, const Caller& c) {
            return requests_.GetDocument(r, p, c);
          });
  manager(
      "POST", "/api/numbers/requests/{id}/messages",
      [this](const HttpRequest& r, const P& p, const Caller& c) {
        return workflow_.Reply(r, p, c);
      },
      0, kJsonOrFormDataTypes);
  manager(
      "POST", "/api/numbers/requests/{id}/documents",
      [this](const HttpRequest& r, const P& p, const Caller& c) {
        return workflow_.ReplaceDocuments(r, p, c);
      },
      0, kFormDataTypes);
  manager(
      "POST", "/api/numbers/requests/{id}/cancel",
      [this](const HttpRequest& r, const P& p, const Caller& c) {
        return workflow_.Cancel(r, p, c);
      },
      kMaxJsonBodyBytes, kJsonTypes);
  manager("GET", "/api/numbers", [this](const HttpRequest& r, const P&, const Caller& c) {
    return workflow_.Numbers(r, c);
  });
  manager("GET", "/api/users", [this](const HttpRequest& r, const P&, const Caller& c) {
    return workflow_.Users(r, c);
  });
  manager(
      "POST", "/api/webhooks",
      [this](const HttpRequest& r, const P&, const Caller& c) {
        return notifications_.CreateWebhook(r, c);
      },
      kMaxJsonBodyBytes, kJsonTypes);
  manager("GET", "/api/webhooks", [this](const HttpRequest& r, const P&, const Caller& c) {
    return notifications_.ListWebhooks(r, c);
  });
  manager("DELETE", "/api/webhooks/{id}", [this](const HttpRequest&, const P& p, const Caller& c) {
    return notifications_.DeleteWebhook(p, c);
  });

  // The support desk: the provider's staff only.
  auto support = [this](std::string method, std::string pattern, CallerHandler handler) {
    bool post = method == "POST";
    Secure(std::move(method), std::move(pattern), AuthorizeSupportAgent, std::move(handler),
           post ? kMaxJsonBodyBytes : 0, post ? kJsonTypes : std::vector<std::string>{});
  };
  support("GET", "/api/support/requests",
          [this](const HttpRequest& r, const P&, const Caller&) { return workflow_.Queue(r); });
  support("GET", "/api/support/requests/{id}",
          [this](const HttpRequest&, const P& p, const Caller&) { return workflow_.Detail(p); });
  support(
      "GET", "/api/support/requests/{id}/documents/{doc}",
      [this](const HttpRequest& r, const P& p, const Caller&) { return workflow_.Document(r, p); });
  support("POST", "/api/support/requests/{id}/transitions",
          [this](const HttpRequest& r, const P& p, const Caller& c) {
            return workflow_.Transition(r, p, c);
          });
  support("POST", "/api/support/requests/{id}/messages",
          [this](const HttpRequest& r, const P& p, const Caller& c) {
            return workflow_.StaffMessage(r, p, c);
          });
  support("GET", "/api/support/outbox", [this](const HttpRequest& r, const P&, const Caller&) {
    return notifications_.Outbox(r);
  });
  support("POST", "/api/support/outbox/{id}/retry",
          [this](const HttpRequest&, const P& p, const Caller&) {
            return notifications_.RetryOutbox(p);
          });
}

void Service::Secure(std::string method, std::string pattern, Authorizer authorize,
                     CallerHandler handler, std::size_t max_body,
                     std::vector<std::string> content_types) {
  http::RouteOptions options;
  options.guard = [this, authorize](const HttpRequest& request) -> std::optional<HttpResponse> {
    auto outcome = authorize(request, store_);
    if (auto* refusal = std::get_if<HttpResponse>(&outcome)) return std::move(*refusal);
    return std::nullopt;
  };
  options.max_body_bytes = max_body;
  options.content_types = std::move(content_types);
  bool post = method == "POST";
  auto run = [this, authorize, post, handler = std::move(handler)](const HttpRequest& request,
                                                                   const http::PathParams& params) {
    auto outcome = authorize(request, store_);
    if (auto* refusal = std::get_if<HttpResponse>(&outcome)) return std::move(*refusal);
    const Caller& caller = std::get<Caller>(outcome);
    if (!post) return handler(request, params, caller);
    return idempotency_.Run(request, caller.user.id,
                            [&] { return handler(request, params, caller); });
  };
  router_.Add(std::move(method), std::move(pattern), std::move(run), std::move(options));
}

std::variant<const http::Router::Route*, HttpResponse> Service::Route(
    const HttpRequest& request, http::PathParams* params) const {
  if (auto refusal = CheckRepeatedHeaders(request)) return std::move(*refusal);
  if (auto refusal = CheckApiVersion(request)) return std::move(*refusal);

  // HEAD is GET without the body; the server leaves the body out.
  std::string_view method = request.method == "HEAD" ? "GET" : request.method;
  http::Router::Match match = router_.Find(method, request.path);
  if (match.route != nullptr) {
    *params = std::move(match.params);
    return match.route;
  }
  if (!match.allowed.empty()) {
    std::string allow;
    for (const std::string& allowed : match.allowed) {
      allow += (allow.empty() ? "" : ", ") + allowed;
      if (allowed == "GET") allow += ", HEAD";
    }
    HttpResponse response = Problem(405, "method_not_allowed",
                                    request.method + " is not allowed here; use " + allow + ".");
    response.headers.Set("Allow", allow);
    return response;
  }
  return Problem(404, "not_found", "There is no endpoint at this path.");
}

HttpResponse Service::Dispatch(const HttpRequest& request) {
  if (request.rejection != http::Rejection::kNone) return TransportRejection(request);
  http::PathParams params;
  auto route = Route(request, &params);
  if (auto* refusal = std::get_if<HttpResponse>(&route)) return std::move(*refusal);
  const http::Router::Route& found = *std::get<const http::Router::Route*>(route);
  if (auto refusal = CheckBody(found.options, request, request.body.size())) return *refusal;
  return found.handler(request, params);
}

std::optional<HttpResponse> Service::RefuseOnHeaders(const HttpRequest& request) {
  http::PathParams params;
  auto route = Route(request, &params);
  if (auto* refusal = std::get_if<HttpResponse>(&route)) return std::move(*refusal);
  const http::RouteOptions& options = std::get<const http::Router::Route*>(route)->options;

  if (options.guard) {
    if (auto refusal = options.guard(request)) return refusal;
  }
  std::optional<std::string_view> length = request.headers.Get("Content-Length");
  std::size_t declared = 0;
  if (length) std::from_chars(length->data(), length->data() + length->size(), declared);
  return CheckBody(options, request, declared);
}

std::optional<HttpResponse> CheckBody(const http::RouteOptions& options, const HttpRequest& request,
                                      std::size_t body_bytes) {
  std::size_t limit = options.max_body_bytes;
  if (!options.content_types.empty()) {
    const std::vector<std::string>& types = options.content_types;
    std::string type = http::MediaTypeOf(request.headers.Get("Content-Type").value_or(""));
    bool accepted = std::find(types.begin(), types.end(), type) != types.end();
    // A body sent with no type at all is judged by its content.
    if (!type.empty() && !accepted) {
      return Problem(415, "unsupported_media_type", "Send this request as " + types.front() + ".");
    }
    // JSON, or what will be read as JSON, is held to the JSON limit on
    // every route, also on one that takes larger forms.
    bool takes_json = std::find(types.begin(), types.end(), "application/json") != types.end();
    bool json = type == "application/json" || (type.empty() && takes_json);
    if (json && (limit == 0 || limit > kMaxJsonBodyBytes)) limit = kMaxJsonBodyBytes;
  }
  if (limit > 0 && body_bytes > limit) {
    return Problem(
        413, "payload_too_large",
        "The body is larger than this endpoint's limit of " + std::to_string(limit) + " bytes.",
        {{"limit_bytes", limit}});
  }
  return std::nullopt;
}

std::optional<HttpResponse> Service::CheckHeaders(HttpRequest& request) {
  auto started = std::chrono::steady_clock::now();
  std::string request_id = RequestIdOf(request);
  std::optional<HttpResponse> refusal;
  try {
    refusal = RefuseOnHeaders(request);
  } catch (const std::exception& e) {
    refusal = Failure(request, request_id, e);
  }
  if (refusal) Finish(request, request_id, started, *refusal);
  return refusal;
}

HttpResponse Service::Handle(HttpRequest& request) {
  auto started = std::chrono::steady_clock::now();
  std::string request_id = RequestIdOf(request);
  HttpResponse response;
  try {
    response = Dispatch(request);
  } catch (const std::exception& e) {
    response = Failure(request, request_id, e);
  }
  Finish(request, request_id, started, response);
  return response;
}

HttpResponse Service::Failure(const HttpRequest& request, const std::string& request_id,
                              const std::exception& error) {
  spdlog::error("handler failed request_id={} method={} path=\"{}\" error=\"{}\"", request_id,
                request.method, LoggablePath(request.path), error.what());
  return Problem(
      500, "internal_error",
      "The server failed to handle this request; quote request id " + request_id + " to support.");
}

void Service::Finish(const HttpRequest& request, const std::string& request_id,
                     std::chrono::steady_clock::time_point started, HttpResponse& response) {
  response.headers.Add("X-Request-Id", request_id);
  response.headers.Add("api-supported-versions", SupportedVersionsList());
  if (!response.headers.Has("Cache-Control")) response.headers.Add("Cache-Control", "no-store");

  if (spdlog::should_log(spdlog::level::info)) {
    std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - started;
    spdlog::info(
        "request method={} path=\"{}\" status={} duration_ms={:.2f} request_id={} "
        "bytes_in={} bytes_out={}",
        request.method, LoggablePath(request.path), response.status, elapsed.count(), request_id,
        request.body.size(), response.body.size());
  }
}

std::string Service::RequestIdOf(const HttpRequest& request) {
  std::optional<std::string_view> client_id = request.headers.Get("X-Request-Id");
  return client_id && IsSafeRequestId(*client_id) ? std::string(*client_id) : NewRequestId();
}

}  // namespace numberdesk::api
