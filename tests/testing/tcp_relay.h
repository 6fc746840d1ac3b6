#ifndef WETLINK_TESTS_TESTING_TCP_RELAY_H_
#define WETLINK_TESTS_TESTING_TCP_RELAY_H_

// A loopback TCP relay to a local port whose link can be cut silently:
// after Freeze() no byte passes either way, but every connection stays
// open, which is how a network cut or a frozen client machine looks to the
// two ends. For tests of what a server does about clients that vanish.

#include <atomic>
#include <thread>
#include <vector>

namespace wetlink::testing {

class TcpRelay {
 public:
  // Listens on 127.0.0.1 on a port the OS picks, relaying every connection
  // to 127.0.0.1:`target_port`. port() is 0 when it could not listen.
  explicit TcpRelay(int target_port);
  ~TcpRelay();  // closes every connection
  TcpRelay(const TcpRelay&) = delete;
  TcpRelay& operator=(const TcpRelay&) = delete;

  int port() const { return port_; }
  void Freeze() { frozen_ = true; }

 private:
  void Run();

  int target_port_;
  int listener_ = -1;
  int port_ = 0;
  int wake_[2] = {-1, -1};  // a pipe that ends Run()
  std::atomic<bool> frozen_{false};
  std::vector<int> sockets_;     // pairs: client side, target side
  std::vector<bool> reading_;    // per socket: not at its end yet
  std::thread thread_;
};

}  // namespace wetlink::testing

#endif  // WETLINK_TESTS_TESTING_TCP_RELAY_H_
