#include "api/auth.h"

#include <chrono>

#include "domain/text.h"
#include "domain/timestamps.h"
#include "http/problem.h"
#include "security/tokens.h"

namespace numberdesk::api {
namespace {

constexpr std::chrono::seconds kLastUsedResolution{60};

http::HttpResponse Unauthorized(std::string_view code, std::string_view detail) {
  http::HttpResponse response = http::Problem(401, code, detail);
  std::string challenge = "Bearer realm=\"numberdesk\"";
  if (code != "missing_token") challenge += ", error=\"invalid_token\"";
  response.headers.Set("WWW-Authenticate", challenge);
  return response;
}

}  // namespace

std::variant<Caller, http::HttpResponse> AuthenticateBearer(const http::HttpRequest& request,
                                                            Store& store) {
  std::optional<std::string_view> header = request.headers.Get("Authorization");
  if (!header || TrimWhitespace(*header).empty()) {
    return Unauthorized("missing_token", "Send an API token as \"Authorization: Bearer <token>\".");
  }

  std::string_view value = TrimWhitespace(*header);
  std::size_t space = value.find_first_of(" \t");
  std::string_view scheme = value.substr(0, space);
  std::string_view secret =
      space == std::string_view::npos ? std::string_view() : TrimWhitespace(value.substr(space));
  if (!EqualsIgnoringAsciiCase(scheme, "Bearer") || secret.empty() || !LooksLikeApiToken(secret)) {
    return Unauthorized("malformed_token",
                        "The Authorization header must be \"Bearer \" followed by an API token "
                        "(starting with \"ndk_\").");
  }

  std::optional<TokenGrant> grant = store.FindTokenByHash(HashApiToken(secret));
  if (!grant) return Unauthorized("invalid_token", "The API token is not known.");
  if (grant->token.revoked_at) {
    return Unauthorized("revoked_token", "The API token has been revoked.");
  }
  auto now = std::chrono::system_clock::now();
  if (grant->token.expires_at) {
    std::optional<Timestamp> expires = ParseRfc3339(*grant->token.expires_at);
    if (!expires || *expires <= now) {
      return Unauthorized("expired_token", "The API token has expired.");
    }
  }

  std::optional<Timestamp> last_used =
      grant->token.last_used_at ? ParseRfc3339(*grant->token.last_used_at) : std::nullopt;
  if (!last_used || now - *last_used >= kLastUsedResolution) {
    store.RecordTokenUse(grant->token.id, FormatRfc3339(now));
  }
  return Caller{std::move(grant->user), std::move(grant->token)};
}

std::optional<http::HttpResponse> RequireFaxNumberManager(const Caller& caller) {
  if (MayManageFaxNumbers(caller.user)) return std::nullopt;
  return http::Problem(403, "forbidden",
                       "This token's user is not an active account administrator with the "
                       "manage-fax-numbers permission.");
}

std::variant<Caller, http::HttpResponse> AuthorizeFaxNumberManager(const http::HttpRequest& request,
                                                                   Store& store) {
  auto outcome = AuthenticateBearer(request, store);
  if (auto* caller = std::get_if<Caller>(&outcome)) {
    if (auto forbidden = RequireFaxNumberManager(*caller)) return std::move(*forbidden);
  }
  return outcome;
}

std::variant<Caller, http::HttpResponse> AuthorizeSupportAgent(const http::HttpRequest& request,
                                                               Store& store) {
  auto outcome = AuthenticateBearer(request, store);
  if (auto* caller = std::get_if<Caller>(&outcome)) {
    if (!caller->user.active || caller->user.role != UserRole::kSupportAgent) {
      return http::Problem(403, "forbidden",
                           "This endpoint is for the provider's support staff only.");
    }
  }
  return outcome;
}

}  // namespace numberdesk::api
