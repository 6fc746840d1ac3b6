#ifndef WETLINK_TESTS_TESTING_ACCESS_TOKEN_H_
#define WETLINK_TESTS_TESTING_ACCESS_TOKEN_H_

// The one place the TLS tests get the access token they present to wetlinkd.
// wetlinkd has no access control yet, so there is none: TestToken() is "" and
// TokenArgs() adds nothing. Once bearer tokens exist, make TestToken() return
// the token the test server accepts, and every TLS test presents it.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace wetlink::testing {

// The bearer token for gRPC channels (client::ChannelOptions::token) and
// HTTP requests; "" for none.
inline std::string TestToken() { return ""; }

// Arguments that make wetlink or wetlink-ingest present TestToken(): none
// when it is "", else --token-file with a file of this process holding it.
inline std::vector<std::string> TokenArgs() {
  const std::string token = TestToken();
  if (token.empty()) return {};
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("wetlink-test-token-" + std::to_string(::getpid())))
                               .string();
  std::ofstream(path, std::ios::trunc) << token << "\n";
  return {"--token-file", path};
}

}  // namespace wetlink::testing

#endif  // WETLINK_TESTS_TESTING_ACCESS_TOKEN_H_
