#ifndef WETLINK_HTTP_HTTP_SERVER_H_
#define WETLINK_HTTP_HTTP_SERVER_H_

// A small read-only HTTP/1.1 server (Boost.Beast over Asio): a few threads
// run one io_context, each connection's steps run in order on its own strand,
// and every request is answered by one handler function (usually
// Router::Handle). Plaintext, or HTTPS when options.tls holds a certificate
// (http/tls_context.h).
//
// What the server does itself, before and after the handler:
//  - keep-alive (HTTP/1.1 default; "Connection: close" honoured), up to
//    max_requests_per_connection requests on one connection;
//  - 400 for a malformed request or target, 431 for a header block over
//    max_header_bytes, 413 for a body over max_body_bytes (0: GET has none);
//  - 503 (and close) for a connection beyond max_connections;
//  - closes a connection that sends no complete request within read_timeout;
//  - 500 with a generic message if the handler throws (the detail is logged);
//  - Content-Length, Date, Cache-Control: no-store and
//    X-Content-Type-Options: nosniff on every response, no body for HEAD.
//
// With TLS, also:
//  - closes a connection that has not completed its handshake within
//    tls.handshake_timeout (a failed handshake is logged and closed, and
//    never holds a thread);
//  - answers plaintext HTTP sent to the port with a plaintext 400 saying to
//    use https://, then closes;
//  - ends a connection with a TLS close_notify before closing the socket.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "http/http_message.h"
#include "http/tls_context.h"

namespace wetlink::http {

struct HttpServerOptions {
  // "host:port" with an IP address ("[::1]:8080" for IPv6) or "localhost"
  // (bound as 127.0.0.1); port 0 picks a free port (HttpServer::port()).
  std::string listen = "127.0.0.1:0";
  // Threads running the connections (and the handler). At least 1.
  int threads = 2;
  // Open connections at most; a further one is answered 503 and closed.
  int max_connections = 128;
  // Request line and header fields together, bytes.
  std::size_t max_header_bytes = 16 * 1024;
  // Request body, bytes. 0: GET and HEAD carry none.
  std::size_t max_body_bytes = 0;
  // Time to receive a whole request, also the idle time allowed between
  // requests on a kept-alive connection.
  std::chrono::milliseconds read_timeout = std::chrono::seconds(10);
  // Time to send a whole response.
  std::chrono::milliseconds write_timeout = std::chrono::seconds(30);
  // Requests served on one connection before it is closed.
  int max_requests_per_connection = 100;
  // HTTPS when tls.enabled(); plaintext otherwise (the default).
  TlsServerOptions tls;
};

// Answers one request. Called on the server's threads, possibly concurrently.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// A parsed listen address.
struct ListenAddress {
  std::string host;  // as given, without brackets
  int port = 0;
  bool loopback = false;  // 127.0.0.0/8, ::1 or "localhost"
};

// Parses "host:port" (see HttpServerOptions::listen). InvalidArgument saying
// what is wrong otherwise.
absl::StatusOr<ListenAddress> ParseListenAddress(std::string_view listen);

class HttpServer {
 public:
  // Binds, listens and starts the threads. InvalidArgument for a malformed
  // address or option or unusable TLS material, Unavailable naming the
  // address if it cannot be bound.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                           HttpHandler handler);
  // Shuts down.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port.
  int port() const;

  // Stops accepting, closes every connection and joins the threads. A
  // handler already running is let finish (its response may or may not go
  // out). Returns once done; later calls return at once. Not from a handler.
  void Shutdown();

 private:
  class Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wetlink::http

#endif  // WETLINK_HTTP_HTTP_SERVER_H_
