#ifndef WETLINK_TESTS_SERVICES_SERVER_TESTING_H_
#define WETLINK_TESTS_SERVICES_SERVER_TESTING_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "client/channel.h"
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

// A token issued straight through the server's access control: its text.
inline std::string IssueToken(WetlinkServer& server, access::Role role,
                              std::vector<std::string> studies = {},
                              std::string holder = "test-holder") {
  auto issued = server.access().Issue(
      access::TokenSpec{.holder = std::move(holder),
                        .role = role,
                        .studies = std::move(studies),
                        .expires_ms = std::nullopt,
                        .note = "test"},
      "test");
  return issued.ok() ? issued->text : std::string();
}

// A channel to `server` presenting `token` ("" presents none).
inline std::shared_ptr<grpc::Channel> ChannelWithToken(const WetlinkServer& server,
                                                       const std::string& token) {
  client::ChannelOptions options;
  options.address = "127.0.0.1:" + std::to_string(server.port());
  options.token = token;
  return client::MakeChannel(options);
}

// A channel to `server` as a fresh admin.
inline std::shared_ptr<grpc::Channel> AdminChannel(WetlinkServer& server) {
  return ChannelWithToken(server, IssueToken(server, access::Role::kAdmin, {}, "test-admin"));
}

}  // namespace wetlink::services::testing

#endif  // WETLINK_TESTS_SERVICES_SERVER_TESTING_H_
