#ifndef WETLINK_TESTS_HTTP_HTTP_TEST_CLIENT_H_
#define WETLINK_TESTS_HTTP_HTTP_TEST_CLIENT_H_

// A deliberately plain HTTP/1.1 client over a raw loopback socket, for tests:
// it sends exactly the bytes it is given (malformed requests included) and
// parses responses itself. Every wait is bounded.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace wetlink::http::testing {

struct ClientResponse {
  int status = 0;
  std::string reason;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  // The header's value, or "" if absent.
  std::string Header(const std::string& lower_case_name) const;
  bool HasHeader(const std::string& lower_case_name) const {
    return headers.contains(lower_case_name);
  }
};

class TestConnection {
 public:
  // Connects to 127.0.0.1:`port`; null (and `error` set, if given) on failure.
  static std::unique_ptr<TestConnection> Open(int port, std::string* error = nullptr);
  ~TestConnection();
  TestConnection(const TestConnection&) = delete;
  TestConnection& operator=(const TestConnection&) = delete;

  // Sends all of `bytes`. False if the connection failed.
  bool Send(std::string_view bytes);
  // Reads one response (no body after HEAD, 204 or 304; without
  // Content-Length the body runs to the end of the connection). Null on
  // timeout, a closed connection or an unparsable response; error() says which.
  std::optional<ClientResponse> ReadResponse(
      bool head = false, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // True if the server closes the connection (end of stream or reset) within
  // `timeout`, having sent nothing more.
  bool WaitClosed(std::chrono::milliseconds timeout);
  const std::string& error() const { return error_; }

 private:
  explicit TestConnection(int fd) : fd_(fd) {}
  // Reads more into buffer_ until the deadline: 1 read, 0 closed, -1 timeout/error.
  int ReadMore(std::chrono::steady_clock::time_point deadline);

  int fd_;
  std::string buffer_;
  std::string error_;
};

// "GET <target> HTTP/1.1" with Host and "Connection: close" on a fresh
// connection, and "Authorization: Bearer <token>" unless `token` is "".
// Null on failure (`error` says why).
std::optional<ClientResponse> Fetch(int port, std::string_view target,
                                    std::string_view method = "GET", std::string* error = nullptr,
                                    std::string_view token = "");

}  // namespace wetlink::http::testing

#endif  // WETLINK_TESTS_HTTP_HTTP_TEST_CLIENT_H_
