#include "services/server_credentials.h"

#include <grpcpp/security/server_credentials.h>

namespace wetlink::services {

std::shared_ptr<grpc::ServerCredentials> MakeServerCredentials(const TlsOptions& tls) {
  if (!tls.enabled()) return grpc::InsecureServerCredentials();
  // gRPC's SSL server credentials accept TLS 1.2 and 1.3 only, with its own
  // forward-secret AEAD cipher list.
  grpc::SslServerCredentialsOptions options(
      tls.client_ca_pem.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_root_certs = tls.client_ca_pem;
  options.pem_key_cert_pairs.push_back({tls.private_key_pem, tls.certificate_chain_pem});
  return grpc::SslServerCredentials(options);
}

}  // namespace wetlink::services
