#ifndef NUMBERDESK_API_AUTH_H_
#define NUMBERDESK_API_AUTH_H_

#include <variant>

#include "domain/account.h"
#include "http/message.h"
#include "storage/store.h"

namespace numberdesk::api {

// The authenticated user a request runs as.
struct Caller {
  User user;
  ApiToken token;
};

// AuthenticateBearer checks the request's "Authorization: Bearer <token>"
// header (scheme in any case) and returns the caller, or the 401 response
// to send: missing, malformed, unknown, expired and revoked tokens each get
// their own code, all with "WWW-Authenticate: Bearer". Tokens are accepted
// from that header only, never from the URL. The token's last-used time is
// recorded, at most once a minute per token so that reads stay reads.
std::variant<Caller, http::HttpResponse> AuthenticateBearer(const http::HttpRequest& request,
                                                            Store& store);

// RequireFaxNumberManager returns a 403 response unless `caller` may manage
// fax numbers (see MayManageFaxNumbers).
std::optional<http::HttpResponse> RequireFaxNumberManager(const Caller& caller);

// AuthorizeFaxNumberManager is AuthenticateBearer then RequireFaxNumberManager:
// the caller, or the 401 or 403 to send.
std::variant<Caller, http::HttpResponse> AuthorizeFaxNumberManager(const http::HttpRequest& request,
                                                                   Store& store);

// AuthorizeSupportAgent is AuthenticateBearer then a 403 unless the caller is
// an active member of the provider's support staff.
std::variant<Caller, http::HttpResponse> AuthorizeSupportAgent(const http::HttpRequest& request,
                                                               Store& store);

}  // namespace numberdesk::api

#endif  // NUMBERDESK_API_AUTH_H_
