#include "cli/client.h"

#include <array>
#include <cstdlib>
#include <iostream>
#include <map>
#include <utility>

#include "client/channel.h"

namespace wetlink::cli {

void AddGlobalOptions(CLI::App& app, GlobalOptions& global) {
  if (const char* env = std::getenv("WETLINK_SERVER"); env != nullptr && *env != '\0') {
    global.server = env;
  }
  if (const char* env = std::getenv("WETLINK_TLS_CA"); env != nullptr && *env != '\0') {
    global.tls_ca_file = env;
  }
  if (const char* env = std::getenv("WETLINK_TLS_CERT"); env != nullptr && *env != '\0') {
    global.tls_cert_file = env;
  }
  if (const char* env = std::getenv("WETLINK_TLS_KEY"); env != nullptr && *env != '\0') {
    global.tls_key_file = env;
  }
  const std::map<std::string, OutputFormat> formats = {
      {"table", OutputFormat::kTable}, {"json", OutputFormat::kJson}, {"csv", OutputFormat::kCsv}};
  app.add_option("--server", global.server, "wetlinkd address host:port (env WETLINK_SERVER)")
      ->capture_default_str();
  app.add_option_function<std::string>(
         "--format", [&global, formats](const std::string& name) { global.format = formats.at(name); },
         "output: table, json or csv (default table)")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->type_name("table|json|csv");
  app.add_option("--timeout", global.timeout_s, "seconds to wait for each call")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--token-file", global.token_file,
                 "file holding your access token (else env WETLINK_TOKEN, else the file named "
                 "by env WETLINK_TOKEN_FILE)");
  app.add_option("--tls-ca", global.tls_ca_file,
                 "PEM file of the CA of wetlinkd's certificate: connect over TLS "
                 "(env WETLINK_TLS_CA)");
  app.add_option("--tls-server-name", global.tls_server_name,
                 "name to check wetlinkd's certificate against, if not the address's host");
  app.add_option("--tls-cert", global.tls_cert_file,
                 "PEM file of your client certificate, for a wetlinkd that requires one "
                 "(env WETLINK_TLS_CERT)");
  app.add_option("--tls-key", global.tls_key_file,
                 "PEM file of the key of --tls-cert (env WETLINK_TLS_KEY)");
  app.parse_complete_callback([&global] {
    absl::StatusOr<std::string> token = client::ResolveToken(global.token_file);
    if (!token.ok()) throw CLI::ValidationError("--token-file", std::string(token.status().message()));
    global.token = *std::move(token);
    if (!global.tls_ca_file.empty()) {
      absl::StatusOr<std::string> ca = client::ReadCaFile(global.tls_ca_file);
      if (!ca.ok()) throw CLI::ValidationError("--tls-ca", std::string(ca.status().message()));
      global.tls_root_certs = *std::move(ca);
    }
    if (!global.tls_cert_file.empty() || !global.tls_key_file.empty()) {
      if (global.tls_ca_file.empty()) {
        throw CLI::ValidationError("--tls-cert", "a client certificate needs TLS: give --tls-ca");
      }
      absl::StatusOr<client::ClientCertificate> certificate =
          client::ReadClientCertificate(global.tls_cert_file, global.tls_key_file);
      if (!certificate.ok()) {
        throw CLI::ValidationError("--tls-cert", std::string(certificate.status().message()));
      }
      global.tls_cert_chain = std::move(certificate->cert_chain);
      global.tls_private_key = std::move(certificate->private_key);
    }
  });
}

Client::Client(const GlobalOptions& options) : options_(options) {
  client::ChannelOptions channel;
  channel.address = options.server;
  channel.token = options.token;
  channel.tls_root_certs = options.tls_root_certs;
  channel.tls_server_name = options.tls_server_name;
  channel.tls_cert_chain = options.tls_cert_chain;
  channel.tls_private_key = options.tls_private_key;
  channel.arguments.SetMaxReceiveMessageSize(256 << 20);
  channel_ = client::MakeChannel(channel);
}

std::unique_ptr<grpc::ClientContext> Client::NewContext() const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() +
                    std::chrono::milliseconds(static_cast<long long>(options_.timeout_s * 1000)));
  return ctx;
}

std::string_view StatusCodeName(grpc::StatusCode code) {
  static constexpr std::array<std::string_view, 17> kNames = {
      "OK",           "CANCELLED",          "UNKNOWN",   "INVALID_ARGUMENT",  "DEADLINE_EXCEEDED",
      "NOT_FOUND",    "ALREADY_EXISTS",     "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
      "FAILED_PRECONDITION", "ABORTED",     "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL",
      "UNAVAILABLE",  "DATA_LOSS",          "UNAUTHENTICATED"};
  const auto i = static_cast<std::size_t>(code);
  return i < kNames.size() ? kNames[i] : "UNKNOWN";
}

int Client::Fail(const grpc::Status& status, std::string_view what) const {
  std::cerr << "wetlink: " << what << ": " << status.error_message() << " ("
            << StatusCodeName(status.error_code());
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    std::cerr << "; is wetlinkd running at " << options_.server << "?";
    if (options_.tls_root_certs.empty()) {
      std::cerr << " If it serves TLS, give its CA with --tls-ca";
    } else {
      std::cerr << " Over TLS, check that --tls-ca issued its certificate, that the certificate "
                   "holds the host you connect to (else give --tls-server-name)"
                << (options_.tls_cert_chain.empty()
                        ? ", and whether it requires a client certificate (--tls-cert, --tls-key)"
                        : ", and that it accepts the CA of --tls-cert");
    }
  }
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED && options_.token.empty()) {
    std::cerr << "; give a token with --token-file, WETLINK_TOKEN or WETLINK_TOKEN_FILE";
  }
  std::cerr << ")\n";
  return ExitCodeFor(status.error_code());
}

int FailLocal(std::string_view message, ExitCode code) {
  std::cerr << "wetlink: " << message << "\n";
  return code;
}

}  // namespace wetlink::cli
