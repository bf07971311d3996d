#include "api/service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>

#include "domain/document_rules.h"
#include "domain/text.h"
#include "http/problem.h"
#include "security/random_ids.h"
#include "security/tokens.h"

namespace numberdesk::api {
namespace {

using http::HttpRequest;
using http::HttpResponse;
using http::Problem;

constexpr std::size_t kMaxRequestIdLength = 128;

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

// A client's X-Request-Id is echoed only if it is short and plain, so that it
// cannot forge log lines.
bool IsSafeRequestId(std::string_view id) {
  return !id.empty() && id.size() <= kMaxRequestIdLength &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
                  c == ':';
         });
}

// Paths are logged without their query and with anything shaped like a
// token blanked, so a token pasted into a URL never reaches the log.
std::string LoggablePath(std::string_view path) {
  constexpr std::string_view kRedacted = "[redacted]";
  std::string clean;
  clean.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    clean.push_back(static_cast<unsigned char>(c) < 0x20 || c == '"' ? '?' : c);
    if (path.substr(i).starts_with(kApiTokenPrefix)) {
      clean.append(path.substr(i + 1, kApiTokenPrefix.size() - 1));
      clean.append(kRedacted);
      i += kApiTokenPrefix.size();
      while (i < path.size() && std::isalnum(static_cast<unsigned char>(path[i])))
        ++i;
      --i;
    }
  }
  return clean.size() > 512 ? clean.substr(0, 512) + "..." : clean;
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
  return Problem(400, "malformed_request", "The request is not valid HTTP/1.1.");
}

}  // namespace

Service::Service(Store& store, DocumentFiles& files, const RegionCatalog& regions)
    : store_(store), requests_(store, files, regions), reference_(regions) {
  AddRoutes();
}

void Service::AddRoutes() {
  router_.Add("GET", "/healthz", [](const HttpRequest&, const http::PathParams&) {
    return http::JsonResponse(200, {{"status", "ok"}});
  });
  // Reference lists: public data, no token needed.
  router_.Add(
      "GET", "/api/numbers/regions/{country_code}",
      [this](const HttpRequest& r, const http::PathParams& p) { return reference_.Regions(r, p); });
  router_.Add(
      "GET", "/api/numbers/cities/{country_code}/{region_code}",
      [this](const HttpRequest& r, const http::PathParams& p) { return reference_.Cities(r, p); });
  router_.Add("GET", "/api/numbers/area_codes/{country_code}/{region_code}",
              [this](const HttpRequest& r, const http::PathParams& p) {
                return reference_.AreaCodes(r, p);
              });
  router_.Add("GET", "/api/numbers/area_codes/{country_code}/{region_code}/{city}",
              [this](const HttpRequest& r, const http::PathParams& p) {
                return reference_.AreaCodes(r, p);
              });
  router_.Add("GET", "/api/numbers/toll_free_prefixes",
              [this](const HttpRequest& r, const http::PathParams&) {
                return reference_.TollFreePrefixes(r);
              });

  router_.Add(
      "POST", "/api/numbers/add-new-number-request/non-toll-free",
      ForFaxNumberManager([this](const HttpRequest& r, const http::PathParams&, const Caller& c) {
        return requests_.CreateNewNumber(RequestType::kNonTollFree, r, c);
      }));
  router_.Add(
      "POST", "/api/numbers/add-new-number-request/toll-free",
      ForFaxNumberManager([this](const HttpRequest& r, const http::PathParams&, const Caller& c) {
        return requests_.CreateNewNumber(RequestType::kTollFree, r, c);
      }));
  router_.Add(
      "POST", "/api/numbers/add-port-request",
      ForFaxNumberManager([this](const HttpRequest& r, const http::PathParams&, const Caller& c) {
        return requests_.CreatePortIn(r, c);
      }));
  router_.Add("GET", "/api/numbers/requests",
              ForFaxNumberManager([this](const HttpRequest& r, const http::PathParams&,
                                         const Caller& c) { return requests_.List(r, c); }));
  router_.Add("GET", "/api/numbers/requests/{id}",
              ForFaxNumberManager([this](const HttpRequest&, const http::PathParams& p,
                                         const Caller& c) { return requests_.Get(p, c); }));
  router_.Add("GET", "/api/numbers/requests/{id}/documents/{doc}",
              ForFaxNumberManager([this](const HttpRequest&, const http::PathParams& p,
                                         const Caller& c) { return requests_.GetDocument(p, c); }));
}

http::RouteHandler Service::ForFaxNumberManager(ManagerHandler handler) {
  return [this, handler = std::move(handler)](const HttpRequest& request,
                                              const http::PathParams& params) {
    auto outcome = AuthenticateBearer(request, store_);
    if (auto* refusal = std::get_if<HttpResponse>(&outcome)) return std::move(*refusal);
    const Caller& caller = std::get<Caller>(outcome);
    if (auto forbidden = RequireFaxNumberManager(caller)) return std::move(*forbidden);
    return handler(request, params, caller);
  };
}

HttpResponse Service::Dispatch(const HttpRequest& request) {
  if (request.rejection != http::Rejection::kNone) return TransportRejection(request);
  if (auto refusal = CheckApiVersion(request)) return std::move(*refusal);

  http::Router::Match match = router_.Find(request.method, request.path);
  if (match.route != nullptr) return match.route->handler(request, match.params);
  if (!match.allowed.empty()) {
    std::string allow;
    for (const std::string& method : match.allowed)
      allow += (allow.empty() ? "" : ", ") + method;
    HttpResponse response = Problem(405, "method_not_allowed",
                                    request.method + " is not allowed here; use " + allow + ".");
    response.headers.Set("Allow", allow);
    return response;
  }
  return Problem(404, "not_found", "There is no endpoint at this path.");
}

HttpResponse Service::Handle(HttpRequest& request) {
  auto started = std::chrono::steady_clock::now();
  std::optional<std::string_view> client_id = request.headers.Get("X-Request-Id");
  std::string request_id =
      client_id && IsSafeRequestId(*client_id) ? std::string(*client_id) : NewRequestId();

  HttpResponse response;
  try {
    response = Dispatch(request);
  } catch (const std::exception& e) {
    spdlog::error("handler failed request_id={} method={} path=\"{}\" error=\"{}\"", request_id,
                  request.method, LoggablePath(request.path), e.what());
    response = Problem(500, "internal_error",
                       "The server failed to handle this request; quote request id " + request_id +
                           " to support.");
  }

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
  return response;
}

}  // namespace numberdesk::api
