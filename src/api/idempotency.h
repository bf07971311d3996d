#ifndef NUMBERDESK_API_IDEMPOTENCY_H_
#define NUMBERDESK_API_IDEMPOTENCY_H_

#include <chrono>
#include <functional>

#include "http/message.h"
#include "storage/store.h"

namespace numberdesk::api {

// How long a key's response is kept for replays.
inline constexpr std::chrono::hours kIdempotencyKeyLifetime{24};

// IdempotentCall runs a POST at most once per Idempotency-Key header:
//   - no header: `handler` runs as usual;
//   - a key not seen from `user_id` in the last 24 hours: `handler` runs and
//     its response (any but a 5xx, which can be retried) is kept;
//   - the same key with the same request (method, path, query, media type
//     and body; for a multipart form, the same parts, whatever the
//     boundary): the kept response again, with "Idempotent-Replayed: true";
//   - the same key with another request: 422 idempotency_key_reused;
//   - the same key while its first request still runs: it waits for that
//     response, up to `wait`, then answers 409 idempotency_key_in_use.
// A key is 1 to 255 printable ASCII characters; anything else is a 400.
class IdempotentCall {
 public:
  explicit IdempotentCall(Store& store,
                          std::chrono::milliseconds wait = std::chrono::milliseconds(10000))
      : store_(store), wait_(wait) {}

  http::HttpResponse Run(const http::HttpRequest& request, const std::string& user_id,
                         const std::function<http::HttpResponse()>& handler);

 private:
  Store& store_;
  std::chrono::milliseconds wait_;
};

}  // namespace numberdesk::api

#endif  // NUMBERDESK_API_IDEMPOTENCY_H_
