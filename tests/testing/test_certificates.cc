#include "tests/testing/test_certificates.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace wetlink::testing {
namespace {

constexpr long kHour = 3600;
constexpr long kDay = 24 * kHour;

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "test certificates: %s failed\n", what);
  ERR_print_errors_fp(stderr);
  std::abort();
}

void Check(bool ok, const char* what) {
  if (!ok) Die(what);
}

// What a certificate is for.
enum class Role { kCa, kServer, kClient };

struct Issued {
  PkeyPtr key;
  X509Ptr cert;
};

void AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, ctx, nid, value);
  Check(extension != nullptr, "X509V3_EXT_conf_nid");
  Check(X509_add_ext(cert, extension, -1) == 1, "X509_add_ext");
  X509_EXTENSION_free(extension);
}

// A fresh key and a certificate for it, signed by `issuer` (self-signed when
// null), valid from `from_s` to `to_s` seconds from now.
Issued Issue(const std::string& common_name, Role role, const Issued* issuer, long from_s,
             long to_s) {
  static long serial = 1;
  Issued out;
  out.key.reset(EVP_EC_gen("P-256"));
  Check(out.key != nullptr, "EVP_EC_gen");
  out.cert.reset(X509_new());
  X509* cert = out.cert.get();
  Check(cert != nullptr, "X509_new");
  Check(X509_set_version(cert, X509_VERSION_3) == 1, "X509_set_version");
  Check(ASN1_INTEGER_set(X509_get_serialNumber(cert), serial++ + 1000 * (getpid() % 1000)) == 1,
        "serial");
  Check(X509_gmtime_adj(X509_getm_notBefore(cert), from_s) != nullptr, "notBefore");
  Check(X509_gmtime_adj(X509_getm_notAfter(cert), to_s) != nullptr, "notAfter");
  Check(X509_set_pubkey(cert, out.key.get()) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert);
  Check(X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("Wetlink tests"), -1, -1,
                                   0) == 1,
        "O");
  Check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                   -1, 0) == 1,
        "CN");
  X509* issuer_cert = issuer != nullptr ? issuer->cert.get() : cert;
  EVP_PKEY* issuer_key = issuer != nullptr ? issuer->key.get() : out.key.get();
  Check(X509_set_issuer_name(cert, X509_get_subject_name(issuer_cert)) == 1, "issuer");

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer_cert, cert, nullptr, nullptr, 0);
  AddExtension(cert, &ctx, NID_subject_key_identifier, "hash");
  AddExtension(cert, &ctx, NID_authority_key_identifier, "keyid:always");
  switch (role) {
    case Role::kCa:
      AddExtension(cert, &ctx, NID_basic_constraints, "critical,CA:TRUE");
      AddExtension(cert, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign");
      break;
    case Role::kServer:
      AddExtension(cert, &ctx, NID_basic_constraints, "critical,CA:FALSE");
      AddExtension(cert, &ctx, NID_key_usage, "critical,digitalSignature");
      AddExtension(cert, &ctx, NID_ext_key_usage, "serverAuth");
      AddExtension(cert, &ctx, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1");
      break;
    case Role::kClient:
      AddExtension(cert, &ctx, NID_basic_constraints, "critical,CA:FALSE");
      AddExtension(cert, &ctx, NID_key_usage, "critical,digitalSignature");
      AddExtension(cert, &ctx, NID_ext_key_usage, "clientAuth");
      break;
  }
  Check(X509_sign(cert, issuer_key, EVP_sha256()) > 0, "X509_sign");
  return out;
}

std::string ToPem(X509* cert) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  Check(PEM_write_bio_X509(bio.get(), cert) == 1, "PEM_write_bio_X509");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string ToPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  Check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM_write_bio_PrivateKey");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

void WriteText(const std::string& path, const std::string& text, mode_t mode) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    Check(static_cast<bool>(out), "writing a certificate file");
  }
  Check(::chmod(path.c_str(), mode) == 0, "chmod");
}

TestCredential Save(const std::string& dir, const std::string& name, const Issued& issued) {
  TestCredential credential;
  credential.cert_pem = ToPem(issued.cert.get());
  credential.key_pem = ToPem(issued.key.get());
  credential.cert_file = dir + "/" + name + ".crt";
  credential.key_file = dir + "/" + name + ".key";
  WriteText(credential.cert_file, credential.cert_pem, 0644);
  WriteText(credential.key_file, credential.key_pem, 0600);
  return credential;
}

// Owns the process's PKI and removes its folder at exit.
class PkiHolder {
 public:
  PkiHolder() {
    std::string pattern = (std::filesystem::temp_directory_path() /
                           ("wetlink-test-pki-" + std::to_string(getpid()) + "-XXXXXX"))
                              .string();
    Check(mkdtemp(pattern.data()) != nullptr, "mkdtemp");
    pki_.dir = pattern;
    const Issued ca = Issue("Wetlink Test CA", Role::kCa, nullptr, -kHour, 30 * kDay);
    const Issued other_ca = Issue("Other Test CA", Role::kCa, nullptr, -kHour, 30 * kDay);
    pki_.ca = Save(pki_.dir, "ca", ca);
    pki_.other_ca = Save(pki_.dir, "other-ca", other_ca);
    pki_.server =
        Save(pki_.dir, "server", Issue("localhost", Role::kServer, &ca, -kHour, 30 * kDay));
    pki_.client = Save(pki_.dir, "client",
                       Issue("wetlink-test-client", Role::kClient, &ca, -kHour, 30 * kDay));
    pki_.other_client =
        Save(pki_.dir, "other-client",
             Issue("other-test-client", Role::kClient, &other_ca, -kHour, 30 * kDay));
    pki_.expired_server =
        Save(pki_.dir, "expired-server", Issue("localhost", Role::kServer, &ca, -30 * kDay, -kDay));
    pki_.future_server =
        Save(pki_.dir, "future-server", Issue("localhost", Role::kServer, &ca, kDay, 30 * kDay));
    pki_.server_chain_file = pki_.dir + "/server-chain.crt";
    WriteText(pki_.server_chain_file, pki_.server.cert_pem + pki_.ca.cert_pem, 0644);
  }
  ~PkiHolder() {
    std::error_code ec;
    std::filesystem::remove_all(pki_.dir, ec);
  }
  PkiHolder(const PkiHolder&) = delete;
  PkiHolder& operator=(const PkiHolder&) = delete;

  const TestPki& pki() const { return pki_; }

 private:
  TestPki pki_;
};

}  // namespace

const TestPki& TestCertificates() {
  static const PkiHolder holder;
  return holder.pki();
}

}  // namespace wetlink::testing
