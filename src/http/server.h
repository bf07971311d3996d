#ifndef NUMBERDESK_HTTP_SERVER_H_
#define NUMBERDESK_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/message.h"

namespace numberdesk::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::string port = "8080";  // "0" lets the system pick a free port
  int threads = 2;            // one event loop per thread
  std::size_t max_body_bytes = 25 * 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::chrono::seconds idle_timeout{60};    // keep-alive connections with no request
  std::chrono::seconds body_timeout{300};   // to receive a whole body
  std::chrono::seconds shutdown_grace{15};  // for requests in flight at shutdown
};

// The application: turns every request into a response. It is called on the
// server's threads and must be thread-safe. It also receives requests that
// the transport refused (HttpRequest::rejection), so that one place logs and
// formats every response. It should not throw; if it does, the client gets a
// bare 500 and the connection is closed.
using RequestHandler = std::function<HttpResponse(HttpRequest&)>;

// Called when a request that has a body has sent its headers, before the
// body is asked for ("100 Continue") or read. A response returned here is the
// final answer: it is sent at once, the body is never read and the
// connection is closed. This is where a request that would be refused anyway
// (no token, unknown path, a body over the endpoint's own limit) is refused
// without costing an upload. It has the same duties as RequestHandler.
using HeaderCheck = std::function<std::optional<HttpResponse>(HttpRequest&)>;

// HttpServer is an HTTP/1.1 server with keep-alive. Beyond the basics it
//  - answers "Expect: 100-continue" with "100 Continue" before reading a body,
//    or with the final status when the request is refused on its headers
//    (see HeaderCheck);
//  - accepts no transfer coding but "chunked", so that a body it cannot
//    frame is never read as the next request;
//  - closes a connection idle or stalled, between requests or mid-body, for
//    longer than idle_timeout;
//  - answers HEAD like GET without the body;
//  - refuses a body over max_body_bytes with the application's 413, before
//    reading it when Content-Length says so, and drains the rest so that the
//    client reads the answer instead of a reset connection;
//  - on SIGTERM or SIGINT stops accepting, closes idle connections, lets
//    requests in flight finish (up to shutdown_grace) and returns from Run.
class HttpServer {
 public:
  // Binds and listens at once; throws std::runtime_error if it cannot.
  HttpServer(ServerOptions options, RequestHandler handler, HeaderCheck check_headers = nullptr);
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // LocalAddress returns "host:port" as bound, with the real port.
  std::string LocalAddress() const;

  // Run serves on the configured threads until a stop signal or Stop().
  void Run();

  // Stop begins a graceful shutdown; safe from any thread.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace numberdesk::http

#endif  // NUMBERDESK_HTTP_SERVER_H_
