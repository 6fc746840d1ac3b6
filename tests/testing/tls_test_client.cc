#include "tests/testing/tls_test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <memory>

#include "http/openssl_errors.h"

namespace wetlink::testing {
namespace {

struct CtxFree {
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Parses a whole HTTP/1.1 response (status line, header, body up to
// Content-Length when given). Null if it is not one.
std::optional<TlsHttpResponse> Parse(const std::string& bytes) {
  const std::size_t end = bytes.find("\r\n\r\n");
  if (bytes.rfind("HTTP/1.", 0) != 0 || end == std::string::npos) return std::nullopt;
  TlsHttpResponse response;
  const std::size_t space = bytes.find(' ');
  response.status = std::atoi(bytes.c_str() + space + 1);
  std::size_t line = bytes.find("\r\n") + 2;
  while (line < end) {
    const std::size_t next = bytes.find("\r\n", line);
    const std::string field = bytes.substr(line, next - line);
    const std::size_t colon = field.find(':');
    if (colon != std::string::npos) {
      std::size_t value = colon + 1;
      while (value < field.size() && field[value] == ' ') ++value;
      response.headers[Lower(field.substr(0, colon))] = field.substr(value);
    }
    line = next + 2;
  }
  response.body = bytes.substr(end + 4);
  if (auto it = response.headers.find("content-length"); it != response.headers.end()) {
    const auto length = static_cast<std::size_t>(std::stoul(it->second));
    if (response.body.size() < length) return std::nullopt;
    response.body.resize(length);
  }
  return response;
}

}  // namespace

TlsResult TlsFetch(int port, std::string_view target, const TlsClientOptions& options) {
  TlsResult result;
  ERR_clear_error();
  std::unique_ptr<SSL_CTX, CtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) {
    result.error = "SSL_CTX_new: " + http::TakeOpenSslErrors();
    return result;
  }
  if (!options.ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(ctx.get(), options.ca_file.c_str(), nullptr) != 1) {
      result.error = "loading CA " + options.ca_file + ": " + http::TakeOpenSslErrors();
      return result;
    }
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  }
  if (!options.cert_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(ctx.get(), options.cert_file.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx.get(), options.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      result.error = "loading the client certificate: " + http::TakeOpenSslErrors();
      return result;
    }
  }
  if (options.max_version != 0) {
    SSL_CTX_set_max_proto_version(ctx.get(), options.max_version);
    if (options.max_version < TLS1_2_VERSION) {
      SSL_CTX_set_min_proto_version(ctx.get(), TLS1_VERSION);
      SSL_CTX_set_security_level(ctx.get(), 0);
      SSL_CTX_set_cipher_list(ctx.get(), "DEFAULT:@SECLEVEL=0");
    }
  }

  Fd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) {
    result.error = std::string("socket: ") + std::strerror(errno);
    return result;
  }
  const auto ms = options.timeout.count();
  timeval tv{.tv_sec = static_cast<time_t>(ms / 1000),
             .tv_usec = static_cast<suseconds_t>((ms % 1000) * 1000)};
  setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    result.error = std::string("connect: ") + std::strerror(errno);
    return result;
  }

  std::unique_ptr<SSL, SslFree> ssl(SSL_new(ctx.get()));
  SSL_set_fd(ssl.get(), fd.get());
  in6_addr ip{};
  const bool is_ip = inet_pton(AF_INET, options.server_name.c_str(), &ip) == 1 ||
                     inet_pton(AF_INET6, options.server_name.c_str(), &ip) == 1;
  if (!is_ip) {
    // SSL_set_tlsext_host_name, without the macro's C cast.
    SSL_ctrl(ssl.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(options.server_name.c_str()));
  }
  if (!options.ca_file.empty()) {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl.get());
    if (is_ip) {
      X509_VERIFY_PARAM_set1_ip_asc(param, options.server_name.c_str());
    } else {
      X509_VERIFY_PARAM_set1_host(param, options.server_name.c_str(), 0);
    }
  }
  if (SSL_connect(ssl.get()) != 1) {
    result.error = "TLS handshake failed: " + http::TakeOpenSslErrors();
    const long verify = SSL_get_verify_result(ssl.get());
    if (verify != X509_V_OK) {
      result.error += std::string(" (verify: ") + X509_verify_cert_error_string(verify) + ")";
    }
    return result;
  }
  result.handshake_ok = true;
  result.version = SSL_get_version(ssl.get());
  if (target.empty()) {
    SSL_shutdown(ssl.get());
    return result;
  }

  std::string request = "GET " + std::string(target) + " HTTP/1.1\r\nHost: " +
                        options.server_name + "\r\nConnection: close\r\n";
  if (!options.bearer_token.empty()) {
    request += "Authorization: Bearer " + options.bearer_token + "\r\n";
  }
  request += "\r\n";
  if (SSL_write(ssl.get(), request.data(), static_cast<int>(request.size())) <= 0) {
    result.error = "write failed: " + http::TakeOpenSslErrors();
    return result;
  }
  std::string bytes;
  char buffer[16384];
  while (true) {
    const int n = SSL_read(ssl.get(), buffer, sizeof buffer);
    if (n > 0) {
      bytes.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    const int error = SSL_get_error(ssl.get(), n);
    if (error != SSL_ERROR_ZERO_RETURN) {
      // The server may close without close_notify after the whole response.
      const std::string reason = http::TakeOpenSslErrors();
      if (!Parse(bytes).has_value()) {
        result.error = "read failed (SSL error " + std::to_string(error) + "): " + reason;
        return result;
      }
    }
    break;
  }
  result.response = Parse(bytes);
  if (!result.response) result.error = "not an HTTP response: '" + bytes + "'";
  SSL_shutdown(ssl.get());
  return result;
}

}  // namespace wetlink::testing
