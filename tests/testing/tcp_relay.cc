#include "tests/testing/tcp_relay.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>

namespace wetlink::testing {
namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  return addr;
}

}  // namespace

TcpRelay::TcpRelay(int target_port) : target_port_(target_port) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr = Loopback(0);
  socklen_t len = sizeof addr;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener_, 16) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
      ::pipe2(wake_, O_CLOEXEC) != 0) {
    return;
  }
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { Run(); });
}

TcpRelay::~TcpRelay() {
  if (thread_.joinable()) {
    const char stop = 'x';
    (void)!::write(wake_[1], &stop, 1);
    thread_.join();
  }
  for (int fd : sockets_) ::close(fd);
  for (int fd : {listener_, wake_[0], wake_[1]}) {
    if (fd >= 0) ::close(fd);
  }
}

void TcpRelay::Run() {
  char buffer[64 * 1024];
  for (;;) {
    std::vector<pollfd> fds = {{wake_[0], POLLIN, 0}, {listener_, POLLIN, 0}};
    std::vector<std::size_t> index;  // of fds[2 + k] in sockets_
    // Frozen: nothing is read, so nothing passes; the sockets stay open.
    for (std::size_t k = 0; k < sockets_.size() && !frozen_; ++k) {
      if (!reading_[k]) continue;
      fds.push_back({sockets_[k], POLLIN, 0});
      index.push_back(k);
    }
    if (::poll(fds.data(), fds.size(), 50) < 0) return;
    if (fds[0].revents != 0) return;
    if ((fds[1].revents & POLLIN) != 0) {
      const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
      const int target = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in addr = Loopback(target_port_);
      if (client >= 0 && target >= 0 &&
          ::connect(target, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        sockets_.push_back(client);
        sockets_.push_back(target);
        reading_.insert(reading_.end(), {true, true});
      } else {
        if (client >= 0) ::close(client);
        if (target >= 0) ::close(target);
      }
    }
    for (std::size_t i = 2; i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      // Sockets come in pairs: 2k is a client, 2k + 1 its target.
      const std::size_t self = index[i - 2];
      const int peer = sockets_[self ^ 1];
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        reading_[self] = false;
        ::shutdown(peer, SHUT_WR);  // pass the end on; keep reading the other way
        continue;
      }
      for (ssize_t sent = 0; sent < n;) {
        const ssize_t w = ::write(peer, buffer + sent, static_cast<std::size_t>(n - sent));
        if (w <= 0) break;
        sent += w;
      }
    }
  }
}

}  // namespace wetlink::testing
