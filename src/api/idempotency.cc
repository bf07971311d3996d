#include "api/idempotency.h"

#include <algorithm>
#include <thread>

#include "domain/timestamps.h"
#include "http/multipart.h"
#include "http/problem.h"
#include "security/random_ids.h"

namespace numberdesk::api {
namespace {

using http::HttpResponse;

constexpr std::size_t kMaxKeyLength = 255;
// A claim older than this whose request never finished belongs to a server
// that stopped mid-request; the key may be used again.
constexpr std::chrono::minutes kAbandonedAfter{5};
constexpr std::chrono::milliseconds kPollInterval{20};

bool IsValidKey(std::string_view key) {
  return !key.empty() && key.size() <= kMaxKeyLength &&
         std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

// Everything that makes two requests "the same request": method, path,
// query, media type and content. A form's content is its parts, not its
// bytes: a client resending the same form picks a new boundary.
std::string Fingerprint(const http::HttpRequest& request) {
  std::string_view content_type = request.headers.Get("Content-Type").value_or("");
  std::string material = request.method + ' ' + request.path + '?' + request.query + '\n' +
                         http::MediaTypeOf(content_type) + '\n';
  http::MultipartParse form = http::IsFormDataContentType(content_type)
                                  ? http::ParseFormData(content_type, request.body)
                                  : http::MultipartParse{};
  if (form.parts) {
    for (const http::FormPart& part : *form.parts) {
      material += "part " + part.name + '\n' + part.filename.value_or("") + '\n' +
                  part.content_type + '\n' + Sha256Hex(part.body) + '\n';
    }
  } else {
    material += std::string(content_type) + '\n' + request.body;
  }
  return Sha256Hex(material);
}

HttpResponse Replayed(const StoredResponse& stored) {
  HttpResponse response;
  response.status = stored.status;
  for (const auto& [name, value] : stored.headers)
    response.headers.Add(name, value);
  response.headers.Set("Idempotent-Replayed", "true");
  response.body = stored.body;
  return response;
}

}  // namespace

HttpResponse IdempotentCall::Run(const http::HttpRequest& request, const std::string& user_id,
                                 const std::function<HttpResponse()>& handler) {
  std::optional<std::string_view> header = request.headers.Get("Idempotency-Key");
  if (!header) return handler();
  std::string key(*header);
  if (!IsValidKey(key)) {
    return http::Problem(400, "invalid_idempotency_key",
                         "Idempotency-Key must be 1 to 255 printable ASCII characters without "
                         "spaces; a UUID is a good choice.");
  }

  std::string fingerprint = Fingerprint(request);
  auto deadline = std::chrono::steady_clock::now() + wait_;
  for (;;) {
    auto now = std::chrono::system_clock::now();
    IdempotencyClaim claim = store_.ClaimIdempotencyKey(
        user_id, key, fingerprint, FormatRfc3339(now - kIdempotencyKeyLifetime),
        FormatRfc3339(now - kAbandonedAfter));
    switch (claim.state) {
      case IdempotencyState::kReplay:
        return Replayed(claim.response);
      case IdempotencyState::kMismatch:
        return http::Problem(422, "idempotency_key_reused",
                             "This Idempotency-Key was used with a different request in the "
                             "last 24 hours; use a new key for a new request.");
      case IdempotencyState::kInProgress:
        if (std::chrono::steady_clock::now() >= deadline) {
          return http::Problem(409, "idempotency_key_in_use",
                               "A request with this Idempotency-Key is still being handled; "
                               "retry shortly.");
        }
        std::this_thread::sleep_for(kPollInterval);
        continue;
      case IdempotencyState::kClaimed:
        break;
    }
    break;
  }

  HttpResponse response;
  try {
    response = handler();
  } catch (...) {
    store_.ReleaseIdempotencyKey(user_id, key);
    throw;
  }
  if (response.status >= 500) {
    store_.ReleaseIdempotencyKey(user_id, key);
    return response;
  }
  StoredResponse stored{response.status, {}, response.body};
  for (const auto& [name, value] : response.headers.fields())
    stored.headers.emplace_back(name, value);
  store_.FinishIdempotencyKey(user_id, key, stored);
  return response;
}

}  // namespace numberdesk::api
