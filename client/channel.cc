#include "client/channel.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include <grpcpp/support/client_interceptor.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace wetlink::client {
namespace {

// Adds the bearer token to the initial metadata of every call, so callers
// need not remember it on each ClientContext.
class BearerTokenInterceptor : public grpc::experimental::Interceptor {
 public:
  explicit BearerTokenInterceptor(const std::string* header) : header_(header) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace("authorization", *header_);
    }
    methods->Proceed();
  }

 private:
  const std::string* header_;
};

class BearerTokenInterceptorFactory
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit BearerTokenInterceptorFactory(std::string token)
      : header_(absl::StrCat("Bearer ", token)) {}

  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* /*info*/) override {
    return new BearerTokenInterceptor(&header_);
  }

 private:
  // Owned by the factory, which the channel keeps for its lifetime.
  const std::string header_;
};

absl::StatusOr<std::string> ReadFile(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(what), " '", path, "' cannot be read"));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path, "token file");
  if (!text.ok()) return text.status();
  std::string token(absl::StripAsciiWhitespace(*text));
  if (token.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("token file '", path, "' is empty"));
  }
  return token;
}

}  // namespace

std::shared_ptr<grpc::Channel> MakeChannel(const ChannelOptions& options) {
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  grpc::ChannelArguments arguments = options.arguments;
  if (options.tls_root_certs.empty()) {
    credentials = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = options.tls_root_certs;
    ssl.pem_cert_chain = options.tls_cert_chain;
    ssl.pem_private_key = options.tls_private_key;
    credentials = grpc::SslCredentials(ssl);
    if (!options.tls_server_name.empty()) {
      arguments.SetSslTargetNameOverride(options.tls_server_name);
    }
  }
  if (options.token.empty()) {
    return grpc::CreateCustomChannel(options.address, credentials, arguments);
  }
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<BearerTokenInterceptorFactory>(options.token));
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      options.address, credentials, arguments, std::move(interceptors));
}

absl::StatusOr<std::string> ReadCaFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadFile(path, "TLS CA file");
  if (!text.ok()) return text.status();
  if (text->find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("TLS CA file '", path, "' holds no PEM certificate"));
  }
  return text;
}

absl::StatusOr<ClientCertificate> ReadClientCertificate(const std::string& cert_file,
                                                        const std::string& key_file) {
  ClientCertificate certificate;
  if (cert_file.empty() && key_file.empty()) return certificate;
  if (cert_file.empty() || key_file.empty()) {
    return absl::InvalidArgumentError(
        "a client certificate needs both its certificate file and its key file");
  }
  absl::StatusOr<std::string> chain = ReadFile(cert_file, "TLS client certificate file");
  if (!chain.ok()) return chain.status();
  if (chain->find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("TLS client certificate file '", cert_file, "' holds no PEM certificate"));
  }
  absl::StatusOr<std::string> key = ReadFile(key_file, "TLS client key file");
  if (!key.ok()) return key.status();
  if (key->find("PRIVATE KEY-----") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("TLS client key file '", key_file, "' holds no PEM private key"));
  }
  if (key->find("ENCRYPTED") != std::string::npos) {
    return absl::InvalidArgumentError(absl::StrCat("TLS client key file '", key_file,
                                                   "' is encrypted; an unencrypted key is needed"));
  }
  certificate.cert_chain = *std::move(chain);
  certificate.private_key = *std::move(key);
  return certificate;
}

absl::StatusOr<std::string> ResolveToken(const std::string& token_file) {
  if (!token_file.empty()) return ReadTokenFile(token_file);
  if (const char* token = std::getenv("WETLINK_TOKEN"); token != nullptr && *token != '\0') {
    return std::string(absl::StripAsciiWhitespace(token));
  }
  if (const char* file = std::getenv("WETLINK_TOKEN_FILE"); file != nullptr && *file != '\0') {
    return ReadTokenFile(file);
  }
  return std::string();
}

}  // namespace wetlink::client
