#ifndef WETLINK_TESTS_TESTING_TEST_CERTIFICATES_H_
#define WETLINK_TESTS_TESTING_TEST_CERTIFICATES_H_

// Test-only certificate authorities, server and client certificates for the
// TLS tests, made with the OpenSSL API when first asked for in a test
// process and written to a temporary folder of that process (removed when
// it exits). Nothing here is committed or valid anywhere but in the tests:
// the keys are fresh every run.
//
// Keys are ECDSA P-256, certificates are signed with SHA-256 and valid from
// an hour ago for 30 days unless said otherwise.

#include <string>

namespace wetlink::testing {

// A certificate and its key, as PEM text and as files.
struct TestCredential {
  std::string cert_pem;
  std::string key_pem;
  std::string cert_file;
  std::string key_file;  // mode 0600
};

struct TestPki {
  // The folder holding every file.
  std::string dir;
  // "Wetlink Test CA", self-signed.
  TestCredential ca;
  // Signed by `ca`: CN and subjectAltName localhost, IP 127.0.0.1 and ::1;
  // for server authentication.
  TestCredential server;
  // Signed by `ca`: CN wetlink-test-client; for client authentication.
  TestCredential client;
  // "Other Test CA", unrelated to `ca`, and a client certificate it signed.
  TestCredential other_ca;
  TestCredential other_client;
  // Signed by `ca` like `server`, but expired yesterday.
  TestCredential expired_server;
  // Signed by `ca` like `server`, valid only from tomorrow.
  TestCredential future_server;
  // `server`'s certificate followed by `ca`'s (a chain file).
  std::string server_chain_file;
};

// The test PKI of this process, made on first use (thread-safe). Aborts the
// process if OpenSSL fails, which only a broken installation would do.
const TestPki& TestCertificates();

}  // namespace wetlink::testing

#endif  // WETLINK_TESTS_TESTING_TEST_CERTIFICATES_H_
