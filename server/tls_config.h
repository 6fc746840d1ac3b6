#ifndef WETLINK_SERVER_TLS_CONFIG_H_
#define WETLINK_SERVER_TLS_CONFIG_H_

// wetlinkd's TLS settings ([tls] in the configuration file, --tls-* flags),
// which apply to gRPC and HTTP alike, and the rule for listen addresses that
// other machines can reach. docs/TLS.md is the user's guide.
//
// The files are read and checked once, at start-up (LoadTlsMaterial), so a
// wrong path or a key that does not match the certificate stops wetlinkd
// with a message naming the setting and the file, rather than failing at
// the first handshake. Changing certificates takes a restart (no reload).

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace wetlink::server {

struct TlsConfig {
  // [tls] cert_file (--tls-cert): PEM file, the server certificate first,
  // then any intermediate CA certificates. Default "": no TLS.
  std::string cert_file;
  // [tls] key_file (--tls-key): PEM file, the unencrypted private key of the
  // certificate. Required with cert_file.
  std::string key_file;
  // [tls] client_ca_file (--tls-client-ca): PEM file of the CA certificates
  // that clients' certificates must chain to. Set: every gRPC and HTTPS
  // client must present such a certificate (mutual TLS). Default "": no
  // client certificate asked for. Needs cert_file and key_file.
  std::string client_ca_file;

  // True when any file is set (ValidateTlsConfig then requires the pair).
  bool enabled() const {
    return !cert_file.empty() || !key_file.empty() || !client_ca_file.empty();
  }
};

// The PEM text of the files, checked: the certificate chain parses, the key
// is the certificate's, the client CAs parse.
struct TlsMaterial {
  std::string certificate_chain_pem;
  std::string private_key_pem;
  std::string client_ca_pem;  // "" without client_ca_file
  // Things worth a warning in the log (a certificate about to expire or not
  // yet valid, a client CA that is not a CA certificate).
  std::vector<std::string> warnings;
};

// The shape of the settings, without touching the files: key_file set with
// cert_file, and both set with client_ca_file. InvalidArgument naming the
// setting otherwise.
absl::Status ValidateTlsConfig(const TlsConfig& tls);

// Reads and checks the files of an enabled() `tls`. InvalidArgument naming
// the setting and the file when a file is missing or unreadable, holds no
// PEM certificate or key (or an encrypted key), when the key does not match
// the certificate, or when the certificate has expired.
absl::StatusOr<TlsMaterial> LoadTlsMaterial(const TlsConfig& tls);

// True when only this machine can reach `listen`: a loopback IP address
// (127.0.0.0/8, [::1]), "localhost", or a Unix socket ("unix:..."). Host
// names and unparsable addresses count as reachable from elsewhere.
bool IsLoopbackListenAddress(std::string_view listen);

// The rule for an address other machines can reach: refused unless TLS is
// configured or plaintext is explicitly allowed. `setting` names it in the
// error ("server.listen", "http.listen").
absl::Status CheckRemoteListen(std::string_view setting, std::string_view listen,
                               const TlsConfig& tls, bool allow_plaintext_remote);

}  // namespace wetlink::server

#endif  // WETLINK_SERVER_TLS_CONFIG_H_
