// The only translation unit that includes Boost.Beast and Asio: they cost
// most of a build, so nothing else sees them.
#include "http/server.h"

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <ctime>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "domain/text.h"

namespace numberdesk::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;

constexpr std::size_t kMaxDrainBytes = 256 * 1024 * 1024;
constexpr std::chrono::seconds kDrainTimeout{5};

// The Date header changes once a second; format it at most that often.
std::string HttpDate() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached;
  std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[64];
    std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
    cached = text;
    cached_second = now;
  }
  return cached;
}

// Serialise writes a response as it goes on the wire. Beast's own serializer
// cost about 40% of the server's time for a small answer in the benchmark;
// one contiguous buffer makes it a single write. Header values never carry
// CR or LF, so a value cannot start a header of its own.
std::string Serialise(const HttpResponse& response, unsigned version, bool keep_alive, bool head) {
  auto status = static_cast<bhttp::status>(response.status);
  std::string_view reason = bhttp::obsolete_reason(status);
  bool bodiless = response.status == 204 || response.status == 304 || response.status < 200;

  std::string wire;
  wire.reserve(256 + response.body.size());
  wire.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  wire.append(std::to_string(response.status)).append(" ").append(reason).append("\r\n");
  for (const auto& [name, value] : response.headers.fields()) {
    wire.append(name).append(": ");
    for (char c : value)
      wire.push_back(c == '\r' || c == '\n' ? ' ' : c);
    wire.append("\r\n");
  }
  wire.append("Date: ").append(HttpDate()).append("\r\n");
  if (!bodiless) {
    wire.append("Content-Length: ").append(std::to_string(response.body.size())).append("\r\n");
  }
  if (version == 10 && keep_alive) wire.append("Connection: keep-alive\r\n");
  if (version != 10 && !keep_alive) wire.append("Connection: close\r\n");
  wire.append("\r\n");
  if (!bodiless && !head) wire.append(response.body);
  return wire;
}

// The only transfer coding numberdesk can frame a request body by is chunked
// alone, in one field; any other would leave the body to be read as the next
// request (RFC 9112, section 6.3).
bool IsChunkedOrAbsent(const Headers& headers) {
  int fields = 0;
  for (const auto& [name, value] : headers.fields()) {
    if (!EqualsIgnoringAsciiCase(name, "Transfer-Encoding")) continue;
    if (++fields > 1 || !EqualsIgnoringAsciiCase(TrimWhitespace(value), "chunked")) return false;
  }
  return true;
}

bool ExpectsContinue(const bhttp::request_parser<bhttp::empty_body>& parser) {
  auto& header = parser.get();
  auto it = header.find(bhttp::field::expect);
  return it != header.end() && EqualsIgnoringAsciiCase(TrimWhitespace(it->value()), "100-continue");
}

HttpRequest ToRequest(const bhttp::request_parser<bhttp::empty_body>& parser) {
  const auto& header = parser.get();
  HttpRequest request;
  request.method = std::string(header.method_string());
  request.target = std::string(header.target());
  std::size_t question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) request.query = request.target.substr(question + 1);
  for (const auto& field : header) {
    request.headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  return request;
}

}  // namespace

class HttpServer::Impl {
 public:
  Impl(ServerOptions options, RequestHandler handler, HeaderCheck check_headers)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        check_headers_(std::move(check_headers)) {
    int threads = std::max(1, options_.threads);
    for (int i = 0; i < threads; ++i) {
      loops_.push_back(std::make_unique<asio::io_context>(1));
    }
    acceptor_ = std::make_unique<tcp::acceptor>(*loops_[0]);
    signals_ = std::make_unique<asio::signal_set>(*loops_[0], SIGINT, SIGTERM);

    tcp::resolver resolver(*loops_[0]);
    boost::system::error_code ec;
    auto endpoints = resolver.resolve(options_.host, options_.port, ec);
    if (ec || endpoints.empty()) {
      throw std::runtime_error("cannot resolve " + options_.host + ":" + options_.port);
    }
    tcp::endpoint endpoint = *endpoints.begin();
    acceptor_->open(endpoint.protocol());
    acceptor_->set_option(asio::socket_base::reuse_address(true));
    acceptor_->bind(endpoint, ec);
    if (ec) {
      throw std::runtime_error("cannot listen on " + options_.host + ":" + options_.port + ": " +
                               ec.message());
    }
    acceptor_->listen(asio::socket_base::max_listen_connections);
  }

  std::string LocalAddress() const {
    tcp::endpoint endpoint = acceptor_->local_endpoint();
    std::string host = endpoint.address().to_string();
    if (endpoint.address().is_v6()) host = "[" + host + "]";
    return host + ":" + std::to_string(endpoint.port());
  }

  void Run() {
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
    for (auto& loop : loops_)
      guards.push_back(asio::make_work_guard(*loop));
    work_guards_ = &guards;

    signals_->async_wait([this](const boost::system::error_code& ec, int) {
      if (!ec) Stop();
    });
    asio::co_spawn(*loops_[0], Accept(), asio::detached);
    sweep_timer_ = std::make_unique<asio::steady_timer>(*loops_[0]);
    ScheduleSweep();

    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < loops_.size(); ++i) {
      threads.emplace_back([loop = loops_[i].get()] { loop->run(); });
    }
    loops_[0]->run();
    for (auto& thread : threads)
      thread.join();
    work_guards_ = nullptr;
  }

  void Stop() {
    if (stopping_.exchange(true)) return;
    asio::post(*loops_[0], [this] {
      boost::system::error_code ignored;
      acceptor_->close(ignored);
      signals_->cancel(ignored);
      if (sweep_timer_) sweep_timer_->cancel();
      CloseIdleSessions();
      if (work_guards_ != nullptr) {
        for (auto& guard : *work_guards_)
          guard.reset();
      }
      // Requests still running after the grace period are abandoned.
      auto deadline = std::make_shared<asio::steady_timer>(*loops_[0], options_.shutdown_grace);
      deadline->async_wait([this, deadline](const boost::system::error_code& ec) {
        if (ec) return;
        for (auto& loop : loops_)
          loop->stop();
      });
      grace_timer_ = deadline;
      MaybeFinish();
    });
  }

 private:
  using Clock = std::chrono::steady_clock;

  // A live connection, as seen from outside its coroutine. The socket and
  // `idle` are only touched on the connection's own event loop; `deadline`
  // (Clock ticks) is read by the sweep on another.
  struct SessionEntry {
    asio::io_context* loop;
    tcp::socket* socket;
    bool* idle;
    std::atomic<Clock::rep>* deadline;
  };

  // Timeouts: each connection moves its own deadline forward before every
  // read and write (a store, no timer), and one sweep a second cancels the
  // pending operation of every connection past its deadline. A timer per
  // operation cost more than the rest of a small request.
  static void SetDeadline(std::atomic<Clock::rep>& deadline, std::chrono::seconds from_now) {
    deadline.store((Clock::now() + from_now).time_since_epoch().count(), std::memory_order_relaxed);
  }

  void ScheduleSweep() {
    sweep_timer_->expires_after(std::chrono::seconds(1));
    sweep_timer_->async_wait([this](const boost::system::error_code& ec) {
      if (ec) return;
      Clock::rep now = Clock::now().time_since_epoch().count();
      std::lock_guard lock(sessions_mutex_);
      for (const auto& [id, entry] : sessions_) {
        if (entry.deadline->load(std::memory_order_relaxed) > now) continue;
        asio::post(*entry.loop, [this, id = id, now] {
          std::lock_guard inner(sessions_mutex_);
          auto it = sessions_.find(id);
          if (it == sessions_.end()) return;
          if (it->second.deadline->load(std::memory_order_relaxed) > now) return;
          boost::system::error_code ignored;
          it->second.socket->cancel(ignored);
        });
      }
      ScheduleSweep();
    });
  }

  awaitable<void> Accept() {
    std::size_t next = 0;
    while (!stopping_) {
      asio::io_context& loop = *loops_[next++ % loops_.size()];
      boost::system::error_code ec;
      tcp::socket socket =
          co_await acceptor_->async_accept(loop, asio::redirect_error(use_awaitable, ec));
      if (ec) {
        if (stopping_) co_return;
        continue;  // e.g. too many open files: keep serving the others
      }
      socket.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(loop, Session(std::move(socket), &loop), asio::detached);
    }
  }

  awaitable<void> Session(tcp::socket stream, asio::io_context* loop) {
    beast::flat_buffer buffer;
    bool idle = true;
    std::atomic<Clock::rep> deadline;
    SetDeadline(deadline, options_.idle_timeout);
    std::uint64_t id = Register(SessionEntry{loop, &stream, &idle, &deadline});

    bool drain_before_close = false;
    while (!stopping_) {
      bhttp::request_parser<bhttp::empty_body> header_parser;
      header_parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
      header_parser.body_limit(boost::none);
      boost::system::error_code ec;

      idle = true;
      SetDeadline(deadline, options_.idle_timeout);
      co_await bhttp::async_read_header(stream, buffer, header_parser,
                                        asio::redirect_error(use_awaitable, ec));
      idle = false;
      if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
          ec == asio::error::eof || ec == asio::error::connection_reset) {
        break;
      }
      if (ec) {
        HttpRequest request;
        request.method = "?";
        request.rejection = Rejection::kMalformed;
        co_await Respond(stream, deadline, request, 11, false);
        break;
      }

      HttpRequest request = ToRequest(header_parser);
      request.body_limit = options_.max_body_bytes;
      unsigned version = header_parser.get().version();
      bool keep_alive = header_parser.get().keep_alive();

      std::optional<HttpResponse> early;
      auto declared = header_parser.content_length();
      if (!IsChunkedOrAbsent(request.headers)) {
        request.rejection = Rejection::kMalformed;
      } else if (declared && *declared > options_.max_body_bytes) {
        request.rejection = Rejection::kBodyTooLarge;
      } else if (!header_parser.is_done()) {
        if (check_headers_) early = check_headers_(request);
        if (!early && ExpectsContinue(header_parser)) {
          bhttp::response<bhttp::empty_body> interim{bhttp::status::continue_, version};
          SetDeadline(deadline, options_.idle_timeout);
          co_await bhttp::async_write(stream, interim, asio::redirect_error(use_awaitable, ec));
          if (ec) break;
        }
        if (!early) {
          bhttp::request_parser<bhttp::string_body> body_parser(std::move(header_parser));
          body_parser.body_limit(options_.max_body_bytes);
          // Read piece by piece so that a client that stops sending is timed
          // out like an idle one, however large its body.
          while (!ec && !body_parser.is_done()) {
            SetDeadline(deadline, options_.idle_timeout);
            co_await bhttp::async_read_some(stream, buffer, body_parser,
                                            asio::redirect_error(use_awaitable, ec));
          }
          if (ec == bhttp::error::body_limit) {
            request.rejection = Rejection::kBodyTooLarge;
          } else if (ec &&
                     ec.category() == bhttp::make_error_code(bhttp::error::body_limit).category() &&
                     ec != bhttp::error::partial_message) {
            request.rejection = Rejection::kMalformed;  // e.g. a bad chunk size
          } else if (ec) {
            // The client went away or stalled: nobody to answer, but the
            // application still logs the request.
            request.rejection = Rejection::kIncomplete;
            handler_(request);
            break;
          } else {
            request.body = body_parser.release().body();
          }
        }
      }

      bool refused = early.has_value() || request.rejection != Rejection::kNone;
      keep_alive = keep_alive && !refused && !stopping_;
      bool written = early ? co_await Write(stream, deadline, *early, request, version, false)
                           : co_await Respond(stream, deadline, request, version, keep_alive);
      if (!written) break;
      if (!keep_alive) {
        drain_before_close = refused;
        break;
      }
    }

    boost::system::error_code ignored;
    stream.shutdown(tcp::socket::shutdown_send, ignored);
    if (drain_before_close) co_await Drain(stream, deadline);
    Unregister(id);
    stream.close(ignored);
    MaybeFinish();
  }

  // Respond runs the handler and writes its response; false if the write
  // failed or timed out, when the connection is no use any more.
  awaitable<bool> Respond(tcp::socket& stream, std::atomic<Clock::rep>& deadline,
                          HttpRequest& request, unsigned version, bool keep_alive) {
    HttpResponse response;
    try {
      response = handler_(request);
    } catch (...) {
      response = HttpResponse{500, {}, {}};
      keep_alive = false;
    }
    co_return co_await Write(stream, deadline, response, request, version, keep_alive);
  }

  awaitable<bool> Write(tcp::socket& stream, std::atomic<Clock::rep>& deadline,
                        const HttpResponse& response, const HttpRequest& request, unsigned version,
                        bool keep_alive) {
    std::string wire = Serialise(response, version, keep_alive, request.method == "HEAD");
    boost::system::error_code ec;
    SetDeadline(deadline, options_.body_timeout);
    co_await asio::async_write(stream, asio::buffer(wire), asio::redirect_error(use_awaitable, ec));
    co_return !ec;
  }

  // Reads and discards what the client is still sending after a refusal, so
  // that closing the socket does not reset the connection before the client
  // has read the response.
  awaitable<void> Drain(tcp::socket& stream, std::atomic<Clock::rep>& deadline) {
    std::vector<char> sink(64 * 1024);
    std::size_t total = 0;
    SetDeadline(deadline, kDrainTimeout);
    while (total < kMaxDrainBytes) {
      boost::system::error_code ec;
      std::size_t n = co_await stream.async_read_some(asio::buffer(sink),
                                                      asio::redirect_error(use_awaitable, ec));
      if (ec) break;
      total += n;
    }
  }

  std::uint64_t Register(SessionEntry entry) {
    std::lock_guard lock(sessions_mutex_);
    std::uint64_t id = next_session_id_++;
    sessions_.emplace(id, entry);
    return id;
  }

  void Unregister(std::uint64_t id) {
    std::lock_guard lock(sessions_mutex_);
    sessions_.erase(id);
  }

  // Cancels the pending read of every idle keep-alive connection. Each
  // cancellation runs on the connection's own loop, where its state lives.
  void CloseIdleSessions() {
    std::lock_guard lock(sessions_mutex_);
    for (const auto& [id, entry] : sessions_) {
      asio::post(*entry.loop, [this, id = id] {
        std::lock_guard inner(sessions_mutex_);
        auto it = sessions_.find(id);
        if (it != sessions_.end() && *it->second.idle) it->second.socket->cancel();
      });
    }
  }

  // Once stopping and no connection is left, the grace timer is not needed;
  // cancelling it lets the first loop run out of work and Run return.
  void MaybeFinish() {
    if (!stopping_) return;
    asio::post(*loops_[0], [this] {
      if (!grace_timer_) return;
      std::lock_guard lock(sessions_mutex_);
      if (sessions_.empty()) grace_timer_->cancel();
    });
  }

  ServerOptions options_;
  RequestHandler handler_;
  HeaderCheck check_headers_;
  std::vector<std::unique_ptr<asio::io_context>> loops_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::unique_ptr<asio::signal_set> signals_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>>* work_guards_ = nullptr;
  std::shared_ptr<asio::steady_timer> grace_timer_;  // only touched on loops_[0]
  std::unique_ptr<asio::steady_timer> sweep_timer_;  // only touched on loops_[0]
  std::atomic<bool> stopping_{false};

  std::mutex sessions_mutex_;  // guards sessions_ and next_session_id_
  std::map<std::uint64_t, SessionEntry> sessions_;
  std::uint64_t next_session_id_ = 1;
};

HttpServer::HttpServer(ServerOptions options, RequestHandler handler, HeaderCheck check_headers)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler),
                                   std::move(check_headers))) {}

HttpServer::~HttpServer() = default;

std::string HttpServer::LocalAddress() const {
  return impl_->LocalAddress();
}

void HttpServer::Run() {
  impl_->Run();
}

void HttpServer::Stop() {
  impl_->Stop();
}

}  // namespace numberdesk::http
