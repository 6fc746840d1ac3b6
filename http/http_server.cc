#include "http/http_server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cstdint>
#include <ctime>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "http/cat.h"
#include "http/url.h"

namespace wetlink::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Longest a connection is kept open after its last response to read what the
// client still sends (see Session::Linger), and most bytes read then.
constexpr std::chrono::seconds kMaxLinger{2};
constexpr std::size_t kMaxLingerBytes = 1 << 20;

// What every connection needs. Outlives the connections (HttpServer::Impl).
struct Shared {
  Shared(HttpServerOptions o, HttpHandler h, std::unique_ptr<ssl::context> tls)
      : options(std::move(o)), handler(std::move(h)), tls_context(std::move(tls)) {}

  const HttpServerOptions options;
  const HttpHandler handler;
  // Null for plaintext.
  const std::unique_ptr<ssl::context> tls_context;
  std::atomic<int> connections{0};  // served connections open
  std::atomic<int> rejecting{0};    // connections being answered 503
};

// "Tue, 15 Nov 1994 08:12:31 GMT".
std::string HttpDate() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[64];
  const size_t n = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(text, n);
}

std::string_view View(beast::string_view text) { return {text.data(), text.size()}; }

bool IsToken(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    const bool ok = absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                    std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

bool IsFieldValue(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

HttpResponse InternalError() {
  return HttpResponse::Text(500,
                            "internal server error: the request could not be answered "
                            "(the server log has the details)");
}

// What a plaintext HTTP request sent to the HTTPS port gets.
std::string PlaintextToTlsAnswer() {
  const std::string body =
      "this port serves HTTPS: use an https:// address (plaintext HTTP is not served here)\n";
  return internal::Cat(
      "HTTP/1.1 400 Bad Request\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "Content-Length: ",
      body.size(),
      "\r\n"
      "Connection: close\r\n"
      "Cache-Control: no-store\r\n"
      "\r\n",
      std::string_view(body));
}

// One connection: read a request, answer it, repeat while kept alive. Every
// step runs on the connection's strand; the object lives as long as an
// operation of it is pending. `Stream` is PlainStream or TlsStream; over
// TLS the connection first proves to be TLS, then completes the handshake
// within tls.handshake_timeout.
template <typename Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  // `reject`: answer the first request 503 and close (over max_connections).
  Session(tcp::socket&& socket, Shared& shared, bool reject)
      : stream_(MakeStream(std::move(socket), shared)), shared_(shared), reject_(reject) {
    beast::error_code ec;
    const tcp::endpoint peer = Tcp().socket().remote_endpoint(ec);
    if (!ec) peer_ = internal::Cat(peer.address().to_string(), ":", peer.port());
  }
  ~Session() { (reject_ ? shared_.rejecting : shared_.connections).fetch_sub(1); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start() {
    if constexpr (kTls) {
      asio::dispatch(Tcp().get_executor(),
                     beast::bind_front_handler(&Session::Detect, this->shared_from_this()));
    } else {
      asio::dispatch(Tcp().get_executor(),
                     beast::bind_front_handler(&Session::Read, this->shared_from_this()));
    }
  }

 private:
  static Stream MakeStream(tcp::socket&& socket, Shared& shared) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *shared.tls_context);
    } else {
      return Stream(std::move(socket));
    }
  }

  // The TCP layer (the stream itself when plaintext).
  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }

  // TLS only: reads until the first bytes show whether the client speaks
  // TLS; the deadline covers this and the handshake.
  void Detect() {
    Tcp().expires_after(shared_.options.tls.handshake_timeout);
    beast::async_detect_ssl(
        Tcp(), buffer_, beast::bind_front_handler(&Session::OnDetect, this->shared_from_this()));
  }

  void OnDetect(beast::error_code ec, bool tls) {
    if (ec == beast::error::timeout) {
      spdlog::debug("http {}: no TLS handshake within {} ms, closing", peer_,
                    shared_.options.tls.handshake_timeout.count());
      return;  // the stream has closed the socket
    }
    if (ec) {
      spdlog::debug("http {}: closed before a TLS handshake: {}", peer_, ec.message());
      return Close();
    }
    if (!tls) {
      spdlog::info("http {}: plaintext request on the HTTPS port, answered 400", peer_);
      plaintext_answer_ = PlaintextToTlsAnswer();
      Tcp().expires_after(shared_.options.write_timeout);
      return asio::async_write(
          Tcp(), asio::buffer(plaintext_answer_),
          beast::bind_front_handler(&Session::OnPlaintextAnswer, this->shared_from_this()));
    }
    if constexpr (kTls) {
      stream_.async_handshake(
          ssl::stream_base::server, buffer_.data(),
          beast::bind_front_handler(&Session::OnHandshake, this->shared_from_this()));
    }
  }

  void OnPlaintextAnswer(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) return Close();
    buffer_.clear();
    LingerTcp();
  }

  void OnHandshake(beast::error_code ec, std::size_t used) {
    if (ec == beast::error::timeout) {
      spdlog::debug("http {}: TLS handshake not done within {} ms, closing", peer_,
                    shared_.options.tls.handshake_timeout.count());
      return;
    }
    if (ec) {
      spdlog::info("http {}: TLS handshake failed: {}", peer_, ec.message());
      return Close();
    }
    buffer_.consume(used);
    tls_established_ = true;
    Read();
  }

  void Read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(shared_.options.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(shared_.options.max_body_bytes);
    Tcp().expires_after(shared_.options.read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnRead, this->shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t /*bytes*/) {
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) {
      // The client closed (between requests, or in the middle of one).
      return Close();
    }
    if (ec == beast::error::timeout) {
      spdlog::debug("http {}: no complete request within {} ms, closing", peer_,
                    shared_.options.read_timeout.count());
      return;  // the stream has closed the socket
    }
    if (ec == bhttp::error::header_limit) {
      return Answer(
          HttpResponse::Text(431, internal::Cat("request header fields too large: "
                                                "the request line and header may "
                                                "have at most ",
                                                shared_.options.max_header_bytes, " bytes")),
          /*keep_alive=*/false, /*head=*/false, 11);
    }
    if (ec == bhttp::error::body_limit) {
      return Answer(HttpResponse::Text(
                        413, shared_.options.max_body_bytes == 0
                                 ? std::string("request body not allowed: send GET without one")
                                 : internal::Cat("request body larger than ",
                                                 shared_.options.max_body_bytes, " bytes")),
                    false, false, 11);
    }
    if (ec && ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
      return Answer(
          HttpResponse::Text(400, internal::Cat("malformed HTTP request: ", ec.message())), false,
          false, 11);
    }
    if (ec) {
      spdlog::debug("http {}: read failed: {}", peer_, ec.message());
      return Close();
    }
    Handle(parser_->release());
  }

  void Handle(bhttp::request<bhttp::string_body> message) {
    ++requests_;
    const bool head = message.method() == bhttp::verb::head;
    const unsigned version = message.version() == 10 ? 10 : 11;
    const bool keep_alive =
        message.keep_alive() && !reject_ && requests_ < shared_.options.max_requests_per_connection;
    HttpRequest request;
    request.method = std::string(View(message.method_string()));
    for (const auto& field : message) {
      std::string name(View(field.name_string()));
      absl::AsciiStrToLower(&name);
      auto [it, inserted] = request.headers.try_emplace(std::move(name), View(field.value()));
      if (!inserted) it->second.append(", ").append(View(field.value()));
    }
    request.body = std::move(message.body());
    const std::string_view target = View(message.target());
    HttpResponse response;
    if (absl::Status st = ParseTarget(target, request); !st.ok()) {
      response = HttpResponse::Text(400, internal::Cat("bad request target: ", st.message()));
    } else if (version == 11 && !request.headers.contains("host")) {
      response = HttpResponse::Text(400, "bad request: an HTTP/1.1 request needs a Host header");
    } else if (reject_) {
      response = HttpResponse::Text(
          503, internal::Cat("server busy: it already serves ", shared_.options.max_connections,
                             " connections; try again later"));
      response.headers.emplace_back("Retry-After", "1");
    } else {
      response = CallHandler(request);
    }
    spdlog::debug("http {}: {} {} -> {} ({} bytes)", peer_, request.method, target, response.status,
                  response.body.size());
    Answer(std::move(response), keep_alive, head, version);
  }

  HttpResponse CallHandler(const HttpRequest& request) {
    try {
      HttpResponse response = shared_.handler(request);
      if (response.status < 200 || response.status > 599) {
        spdlog::error("http: handler for {} {} returned status {}, outside 200-599", request.method,
                      request.target, response.status);
        return InternalError();
      }
      for (const auto& [name, value] : response.headers) {
        if (!IsToken(name) || !IsFieldValue(value)) {
          spdlog::error("http: handler for {} {} returned a malformed header field '{}'",
                        request.method, request.target, name);
          return InternalError();
        }
      }
      if (!IsFieldValue(response.content_type)) {
        spdlog::error("http: handler for {} {} returned a malformed content type", request.method,
                      request.target);
        return InternalError();
      }
      return response;
    } catch (const std::exception& e) {
      spdlog::error("http: handler for {} {} threw: {}", request.method, request.target, e.what());
    } catch (...) {
      spdlog::error("http: handler for {} {} threw a non-standard exception", request.method,
                    request.target);
    }
    return InternalError();
  }

  // Sends `response`; then reads the next request if `keep_alive`, else closes.
  void Answer(HttpResponse response, bool keep_alive, bool head, unsigned version) {
    response_ = {};
    response_.version(version);
    response_.result(static_cast<unsigned>(response.status));
    response_.set(bhttp::field::date, HttpDate());
    response_.set(bhttp::field::content_type, response.content_type);
    response_.set(bhttp::field::cache_control, "no-store");
    response_.set("X-Content-Type-Options", "nosniff");
    for (const auto& [name, value] : response.headers) response_.insert(name, value);
    response_.keep_alive(keep_alive);
    if (response.status == 204 || response.status == 304) {
      // No body, and (204) no Content-Length.
    } else if (head) {
      response_.content_length(response.body.size());
    } else {
      response_.content_length(response.body.size());
      response_.body() = std::move(response.body);
    }
    Tcp().expires_after(shared_.options.write_timeout);
    bhttp::async_write(
        stream_, response_,
        beast::bind_front_handler(&Session::OnWrite, this->shared_from_this(), keep_alive));
  }

  void OnWrite(bool keep_alive, beast::error_code ec, std::size_t /*bytes*/) {
    if (ec) {
      spdlog::debug("http {}: write failed: {}", peer_, ec.message());
      return Close();
    }
    if (keep_alive) return Read();
    Linger();
  }

  // After the last response. Over TLS: send close_notify and wait (at most
  // kMaxLinger) for the client's, then close. Plaintext: see LingerTcp().
  void Linger() {
    if constexpr (kTls) {
      if (tls_established_) {
        Tcp().expires_after(
            std::min<std::chrono::milliseconds>(kMaxLinger, shared_.options.read_timeout));
        stream_.async_shutdown(
            beast::bind_front_handler(&Session::OnTlsShutdown, this->shared_from_this()));
        return;
      }
    }
    LingerTcp();
  }

  void OnTlsShutdown(beast::error_code /*ec*/) { Close(); }

  // Stop sending, then read and drop what the client still sends until it
  // closes (at most kMaxLinger). Closing at once with unread input would
  // reset the connection, and the client could lose the response before
  // reading it.
  void LingerTcp() {
    beast::error_code ec;
    Tcp().socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return Close();
    Tcp().expires_after(
        std::min<std::chrono::milliseconds>(kMaxLinger, shared_.options.read_timeout));
    Drain();
  }

  void Drain() {
    Tcp().async_read_some(asio::buffer(drain_),
                          beast::bind_front_handler(&Session::OnDrain, this->shared_from_this()));
  }

  void OnDrain(beast::error_code ec, std::size_t bytes) {
    drained_ += bytes;
    if (ec || drained_ > kMaxLingerBytes) return Close();
    Drain();
  }

  void Close() {
    beast::error_code ec;
    Tcp().socket().shutdown(tcp::socket::shutdown_both, ec);
    Tcp().socket().close(ec);
  }

  Stream stream_;
  Shared& shared_;
  const bool reject_;
  bool tls_established_ = false;
  std::string plaintext_answer_;
  std::string peer_ = "?";
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bhttp::response<bhttp::string_body> response_;
  int requests_ = 0;
  std::array<char, 4096> drain_{};
  std::size_t drained_ = 0;
};

}  // namespace

absl::StatusOr<ListenAddress> ParseListenAddress(std::string_view listen) {
  ListenAddress address;
  std::string_view port;
  bool bracketed = false;
  if (!listen.empty() && listen.front() == '[') {
    const size_t close = listen.find(']');
    if (close == std::string_view::npos || close + 1 >= listen.size() || listen[close + 1] != ':') {
      return absl::InvalidArgumentError(internal::Cat(
          "listen address '", listen, "' must be [IPv6 address]:port, e.g. [::1]:8080"));
    }
    address.host = std::string(listen.substr(1, close - 1));
    port = listen.substr(close + 2);
    bracketed = true;
  } else {
    const size_t colon = listen.rfind(':');
    if (colon == std::string_view::npos) {
      return absl::InvalidArgumentError(
          internal::Cat("listen address '", listen, "' must be host:port, e.g. 127.0.0.1:8080"));
    }
    address.host = std::string(listen.substr(0, colon));
    port = listen.substr(colon + 1);
    if (address.host.find(':') != std::string::npos) {
      return absl::InvalidArgumentError(internal::Cat(
          "listen address '", listen, "': write an IPv6 address in brackets, e.g. [::1]:8080"));
    }
  }
  if (address.host.empty()) {
    return absl::InvalidArgumentError(
        internal::Cat("listen address '", listen, "' has no host (e.g. 127.0.0.1:8080)"));
  }
  int port_number = 0;
  const bool digits_only =
      !port.empty() && port.size() <= 5 &&
      std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
  for (char c : digits_only ? port : std::string_view()) port_number = port_number * 10 + (c - '0');
  if (!digits_only || port_number > 65535) {
    return absl::InvalidArgumentError(
        internal::Cat("listen address '", listen, "': port '", port, "' is not in 0-65535"));
  }
  address.port = port_number;
  if (!bracketed && address.host == "localhost") {
    address.loopback = true;
    return address;
  }
  beast::error_code ec;
  const asio::ip::address ip = asio::ip::make_address(address.host, ec);
  if (ec || (bracketed && !ip.is_v6())) {
    return absl::InvalidArgumentError(internal::Cat(
        "listen address '", listen, "': '", address.host, "' is not an IP address or localhost"));
  }
  address.loopback = ip.is_loopback();
  return address;
}

class HttpServer::Impl {
 public:
  Impl(const HttpServerOptions& options, HttpHandler handler, std::unique_ptr<ssl::context> tls)
      : shared_(options, std::move(handler), std::move(tls)) {}

  ~Impl() { Shutdown(); }

  absl::Status Listen(const ListenAddress& address) {
    const std::string& listen = shared_.options.listen;
    const asio::ip::address ip = address.host == "localhost"
                                     ? asio::ip::address(asio::ip::address_v4::loopback())
                                     : asio::ip::make_address(address.host);
    const tcp::endpoint endpoint(ip, static_cast<unsigned short>(address.port));
    beast::error_code ec;
    acceptor_->open(endpoint.protocol(), ec);
    if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_->bind(endpoint, ec);
    if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return absl::UnavailableError(
          internal::Cat("cannot listen for HTTP on ", listen, ": ", ec.message()));
    }
    port_ = acceptor_->local_endpoint(ec).port();
    if (ec) {
      return absl::UnavailableError(
          internal::Cat("cannot listen for HTTP on ", listen, ": ", ec.message()));
    }
    Accept();
    for (int i = 0; i < shared_.options.threads; ++i) {
      threads_.emplace_back([this] { Run(); });
    }
    return absl::OkStatus();
  }

  int port() const { return port_; }

  void Shutdown() {
    std::lock_guard<std::mutex> lock(shutdown_mutex_);
    if (shut_down_) return;
    shut_down_ = true;
    // No handler runs after the threads return: the pending operations,
    // which own the connections, are destroyed with the io_context, and
    // that closes their sockets.
    io_->stop();
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
    retry_timer_.reset();
    acceptor_.reset();
    io_.reset();
  }

 private:
  void Run() {
    while (true) {
      try {
        io_->run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("http: unexpected exception in the server loop: {}", e.what());
      }
    }
  }

  void Accept() {
    acceptor_->async_accept(asio::make_strand(*io_),
                            beast::bind_front_handler(&Impl::OnAccept, this));
  }

  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (ec) {
      // E.g. out of file descriptors: wait a little rather than spin.
      spdlog::warn("http: accept failed on port {}: {}", port_, ec.message());
      retry_timer_->expires_after(std::chrono::milliseconds(100));
      retry_timer_->async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec) Accept();
      });
      return;
    }
    const int max = shared_.options.max_connections;
    if (shared_.connections.load() < max) {
      shared_.connections.fetch_add(1);
      StartSession(std::move(socket), /*reject=*/false);
    } else if (shared_.rejecting.load() < max) {
      shared_.rejecting.fetch_add(1);
      StartSession(std::move(socket), /*reject=*/true);
    } else {
      beast::error_code close_ec;
      socket.close(close_ec);
    }
    Accept();
  }

  void StartSession(tcp::socket socket, bool reject) {
    if (shared_.tls_context) {
      std::make_shared<Session<TlsStream>>(std::move(socket), shared_, reject)->Start();
    } else {
      std::make_shared<Session<PlainStream>>(std::move(socket), shared_, reject)->Start();
    }
  }

  // Destroyed last: the connections refer to it.
  Shared shared_;
  std::unique_ptr<asio::io_context> io_ =
      std::make_unique<asio::io_context>(std::max(1, shared_.options.threads));
  std::optional<tcp::acceptor> acceptor_{std::in_place, asio::make_strand(*io_)};
  std::optional<asio::steady_timer> retry_timer_{std::in_place, acceptor_->get_executor()};
  std::vector<std::thread> threads_;
  int port_ = 0;
  std::mutex shutdown_mutex_;
  bool shut_down_ = false;
};

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                              HttpHandler handler) {
  absl::StatusOr<ListenAddress> address = ParseListenAddress(options.listen);
  if (!address.ok()) return address.status();
  if (options.threads < 1 || options.max_connections < 1 ||
      options.max_requests_per_connection < 1) {
    return absl::InvalidArgumentError(
        "HTTP server threads, max_connections and max_requests_per_connection must be >= 1");
  }
  if (options.max_header_bytes < 256) {
    return absl::InvalidArgumentError("HTTP server max_header_bytes must be >= 256");
  }
  if (options.read_timeout.count() <= 0 || options.write_timeout.count() <= 0) {
    return absl::InvalidArgumentError("HTTP server timeouts must be positive");
  }
  if (!handler) return absl::InvalidArgumentError("HTTP server needs a handler");
  std::unique_ptr<ssl::context> tls;
  if (options.tls.enabled()) {
    absl::StatusOr<std::unique_ptr<ssl::context>> context = MakeServerSslContext(options.tls);
    if (!context.ok()) return context.status();
    tls = *std::move(context);
  }
  auto impl = std::make_unique<Impl>(options, std::move(handler), std::move(tls));
  if (absl::Status st = impl->Listen(*address); !st.ok()) return st;
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Shutdown(); }

int HttpServer::port() const { return impl_->port(); }

void HttpServer::Shutdown() { impl_->Shutdown(); }

}  // namespace wetlink::http
