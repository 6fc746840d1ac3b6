#include "http/tls_context.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ssl/context.hpp>
#include <string_view>

#include "http/cat.h"
#include "http/openssl_errors.h"

namespace wetlink::http {
namespace {

namespace ssl = boost::asio::ssl;

// TLS 1.2 suites: ECDHE key exchange (forward secrecy) with AEAD ciphers
// only, ECDSA and RSA certificates alike. TLS 1.3 keeps OpenSSL's suites,
// which are all of that kind.
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// Session resumption with client certificates needs a context id.
constexpr unsigned char kSessionIdContext[] = "wetlinkd-https";

absl::Status Refused(std::string_view what) {
  return absl::InvalidArgumentError(
      internal::Cat("HTTPS: ", what, ": ", std::string_view(TakeOpenSslErrors())));
}

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};

// Trusts every certificate of `pem` for client certificates and names them
// in the handshake's certificate request.
absl::Status AddClientCas(SSL_CTX* native, const std::string& pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return Refused("client CA");
  X509_STORE* store = SSL_CTX_get_cert_store(native);
  int added = 0;
  while (true) {
    std::unique_ptr<X509, X509Free> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) break;
    if (X509_STORE_add_cert(store, cert.get()) != 1 ||
        SSL_CTX_add_client_CA(native, cert.get()) != 1) {
      return Refused("client CA");
    }
    ++added;
  }
  ERR_clear_error();  // the end of the PEM text reads as an error
  if (added == 0) return absl::InvalidArgumentError("HTTPS: client CA: no PEM certificate");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ssl::context>> MakeServerSslContext(
    const TlsServerOptions& options) {
  if (!options.enabled() || options.private_key_pem.empty()) {
    return absl::InvalidArgumentError("HTTPS needs a certificate chain and a private key");
  }
  if (options.handshake_timeout.count() <= 0) {
    return absl::InvalidArgumentError("HTTPS handshake timeout must be positive");
  }
  ERR_clear_error();
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) return Refused("TLS version");
  SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) return Refused("cipher list");
  boost::system::error_code ec;
  context->use_certificate_chain(boost::asio::buffer(options.certificate_chain_pem.data(),
                                                     options.certificate_chain_pem.size()),
                                 ec);
  if (ec) return Refused("certificate chain");
  context->use_private_key(
      boost::asio::buffer(options.private_key_pem.data(), options.private_key_pem.size()),
      ssl::context::pem, ec);
  if (ec) return Refused("private key");
  if (SSL_CTX_check_private_key(native) != 1) return Refused("private key and certificate");
  if (!options.client_ca_pem.empty()) {
    if (absl::Status st = AddClientCas(native, options.client_ca_pem); !st.ok()) return st;
    SSL_CTX_set_verify(native, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    if (SSL_CTX_set_session_id_context(native, kSessionIdContext, sizeof kSessionIdContext - 1) !=
        1) {
      return Refused("session id context");
    }
  }
  return context;
}

}  // namespace wetlink::http
