#include "tests/http/http_test_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <sstream>

namespace wetlink::http::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return std::string(text);
}

}  // namespace

std::string ClientResponse::Header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  return it == headers.end() ? std::string() : it->second;
}

std::unique_ptr<TestConnection> TestConnection::Open(int port, std::string* error) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    if (error) *error = std::string("socket: ") + std::strerror(errno);
    return nullptr;
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  // Loopback connects complete (or fail) at once; the listen backlog takes
  // the connection even before the server accepts it.
  if (connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    if (error) *error = std::string("connect: ") + std::strerror(errno);
    close(fd);
    return nullptr;
  }
  return std::unique_ptr<TestConnection>(new TestConnection(fd));
}

TestConnection::~TestConnection() { close(fd_); }

bool TestConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      error_ = std::string("send: ") + std::strerror(errno);
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

int TestConnection::ReadMore(Clock::time_point deadline) {
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      error_ = "timed out";
      return -1;
    }
    pollfd p{fd_, POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left));
    if (ready < 0) {
      if (errno == EINTR) continue;
      error_ = std::string("poll: ") + std::strerror(errno);
      return -1;
    }
    if (ready == 0) continue;  // the deadline check above ends the loop
    char chunk[16384];
    const ssize_t got = recv(fd_, chunk, sizeof chunk, 0);
    if (got > 0) {
      buffer_.append(chunk, static_cast<size_t>(got));
      return 1;
    }
    if (got < 0 && errno == EINTR) continue;
    error_ = got == 0 ? "connection closed" : std::string("recv: ") + std::strerror(errno);
    return 0;
  }
}

std::optional<ClientResponse> TestConnection::ReadResponse(bool head,
                                                           std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  size_t end_of_header;
  while ((end_of_header = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (ReadMore(deadline) <= 0) return std::nullopt;
  }
  ClientResponse response;
  std::istringstream header(buffer_.substr(0, end_of_header));
  buffer_.erase(0, end_of_header + 4);
  std::string line;
  std::getline(header, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::istringstream status_line(line);
  std::string version;
  if (!(status_line >> version >> response.status) || version.rfind("HTTP/1.", 0) != 0) {
    error_ = "bad status line: " + line;
    return std::nullopt;
  }
  std::getline(status_line >> std::ws, response.reason);
  while (std::getline(header, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    if (colon == std::string::npos) {
      error_ = "bad header line: " + line;
      return std::nullopt;
    }
    response.headers[Lower(line.substr(0, colon))] = Trim(std::string_view(line).substr(colon + 1));
  }
  if (head || response.status == 204 || response.status == 304) return response;
  if (response.HasHeader("content-length")) {
    const size_t length = std::stoul(response.Header("content-length"));
    while (buffer_.size() < length) {
      if (ReadMore(deadline) <= 0) return std::nullopt;
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
  } else {
    int r;
    while ((r = ReadMore(deadline)) > 0) {
    }
    if (r < 0) return std::nullopt;
    response.body = std::move(buffer_);
    buffer_.clear();
  }
  return response;
}

bool TestConnection::WaitClosed(std::chrono::milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  const size_t before = buffer_.size();
  int r;
  while ((r = ReadMore(deadline)) > 0) {
  }
  if (r < 0) return false;
  if (buffer_.size() != before) {
    error_ = "the server sent more before closing: " + buffer_.substr(before);
    return false;
  }
  return true;
}

std::optional<ClientResponse> Fetch(int port, std::string_view target, std::string_view method,
                                    std::string* error, std::string_view token) {
  std::string ignored;
  std::string& why = error ? *error : ignored;
  auto connection = TestConnection::Open(port, &why);
  if (!connection) return std::nullopt;
  std::string request = std::string(method) + " " + std::string(target) +
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!token.empty()) request += "Authorization: Bearer " + std::string(token) + "\r\n";
  request += "\r\n";
  if (!connection->Send(request)) {
    why = connection->error();
    return std::nullopt;
  }
  auto response = connection->ReadResponse(method == "HEAD");
  if (!response) why = connection->error();
  return response;
}

}  // namespace wetlink::http::testing
