#ifndef WETLINK_TESTS_INTEGRATION_ADMIN_CHANNEL_H_
#define WETLINK_TESTS_INTEGRATION_ADMIN_CHANNEL_H_

// gRPC channels of the end-to-end tests, presenting a token as the real
// clients do.

#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "client/channel.h"
#include "tests/integration/wetlinkd_process.h"

namespace wetlink::testing {

// A channel to `address` presenting the token held in `token_file`.
inline std::shared_ptr<grpc::Channel> ChannelWithTokenFile(const std::string& address,
                                                           const std::string& token_file) {
  client::ChannelOptions options;
  options.address = address;
  std::string token = ReadFile(token_file);
  while (!token.empty() && (token.back() == '\n' || token.back() == ' ')) token.pop_back();
  options.token = token;
  return client::MakeChannel(options);
}

// A channel to a running wetlinkd as its first admin.
inline std::shared_ptr<grpc::Channel> AdminChannel(const WetlinkdProcess& server) {
  return ChannelWithTokenFile(server.address(), server.admin_token_file());
}

}  // namespace wetlink::testing

#endif  // WETLINK_TESTS_INTEGRATION_ADMIN_CHANNEL_H_
