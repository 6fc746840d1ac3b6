#ifndef WETLINK_TESTS_SERVICES_SERVER_TESTING_H_
#define WETLINK_TESTS_SERVICES_SERVER_TESTING_H_

#include "services/server.h"

namespace wetlink::services::testing {

// A server on a loopback port the OS picks, with small messages and every
// other option at its default.
inline ServerOptions LoopbackOptions() {
  ServerOptions options;
  options.listen_address = "127.0.0.1:0";
  options.max_message_bytes = 1 << 20;
  return options;
}

}  // namespace wetlink::services::testing

#endif  // WETLINK_TESTS_SERVICES_SERVER_TESTING_H_
