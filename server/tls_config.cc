#include "server/tls_config.h"

#include <fcntl.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "http/http_server.h"
#include "http/openssl_errors.h"
#include "server/tls_config_file.h"

namespace wetlink::server {
namespace {

// A certificate expiring sooner than this is worth a warning at start.
constexpr int kExpiryWarningDays = 14;

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

// How a file setting is named in messages: the key and its flag.
struct Setting {
  const char* key;
  const char* flag;
};
constexpr Setting kCertFile{"tls.cert_file", "--tls-cert"};
constexpr Setting kKeyFile{"tls.key_file", "--tls-key"};
constexpr Setting kClientCaFile{"tls.client_ca_file", "--tls-client-ca"};

// "tls.cert_file (--tls-cert) '/etc/wetlink/cert.pem'".
std::string Name(const Setting& setting, const std::string& path) {
  return absl::StrCat(setting.key, " (", setting.flag, ") '", path, "'");
}

// PEM files are a few KiB; anything this large is not one.
constexpr std::size_t kMaxPemBytes = 1 << 20;

absl::StatusOr<std::string> ReadSettingFile(const Setting& setting, const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return absl::InvalidArgumentError(absl::StrCat(Name(setting, path), " does not exist"));
  }
  if (!std::filesystem::is_regular_file(path, ec)) {
    return absl::InvalidArgumentError(absl::StrCat(Name(setting, path), " is not a file"));
  }
  auto unreadable = [&](int error) {
    return absl::InvalidArgumentError(
        absl::StrCat(Name(setting, path), " cannot be read: ", std::strerror(error),
                     error == EACCES ? " (does wetlinkd's user have access?)" : ""));
  };
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return unreadable(errno);
  std::string text;
  char buffer[16384];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return unreadable(error);
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > kMaxPemBytes) {
      ::close(fd);
      return absl::InvalidArgumentError(
          absl::StrCat(Name(setting, path), " is larger than 1 MiB: not a PEM file"));
    }
  }
  ::close(fd);
  return text;
}

BioPtr MemoryBio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// Every certificate of `pem`, in order. InvalidArgument naming the setting
// when a certificate block is malformed or there is none.
absl::StatusOr<std::vector<X509Ptr>> ParseCertificates(const Setting& setting,
                                                       const std::string& path,
                                                       const std::string& pem) {
  ERR_clear_error();
  BioPtr bio = MemoryBio(pem);
  std::vector<X509Ptr> certificates;
  while (X509Ptr cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
    certificates.push_back(std::move(cert));
  }
  // The end of the text reads as "no start line"; anything else is a
  // certificate block that does not parse.
  const unsigned long last = ERR_peek_last_error();
  if (last != 0 &&
      !(ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE)) {
    return absl::InvalidArgumentError(absl::StrCat(
        Name(setting, path), " holds a malformed PEM certificate: ", http::TakeOpenSslErrors()));
  }
  ERR_clear_error();
  if (certificates.empty()) {
    std::string hint;
    if (absl::StrContains(pem, "PRIVATE KEY-----")) {
      hint = " (it holds a private key: are the certificate and key files swapped?)";
    }
    return absl::InvalidArgumentError(
        absl::StrCat(Name(setting, path), " holds no PEM certificate", hint));
  }
  return certificates;
}

// Never asks for a passphrase (OpenSSL's default would prompt on a terminal).
int NoPassphrase(char* /*buffer*/, int /*size*/, int /*rwflag*/, void* /*user*/) { return -1; }

absl::StatusOr<PkeyPtr> ParsePrivateKey(const std::string& path, const std::string& pem) {
  if (absl::StrContains(pem, "ENCRYPTED")) {
    return absl::InvalidArgumentError(absl::StrCat(
        Name(kKeyFile, path),
        " is encrypted with a passphrase: wetlinkd needs an unencrypted key (write one with "
        "`openssl pkey -in KEY -out KEY.plain` and keep it readable by wetlinkd's user only)"));
  }
  ERR_clear_error();
  BioPtr bio = MemoryBio(pem);
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, &NoPassphrase, nullptr));
  if (!key) {
    std::string hint;
    if (absl::StrContains(pem, "BEGIN CERTIFICATE")) {
      hint = " (it holds a certificate: are the certificate and key files swapped?)";
    }
    const std::string reason = http::TakeOpenSslErrors();
    return absl::InvalidArgumentError(
        absl::StrCat(Name(kKeyFile, path), " holds no usable PEM private key", hint, ": ", reason));
  }
  ERR_clear_error();
  return key;
}

std::string Subject(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string("(no subject)");
}

std::string Date(const ASN1_TIME* time) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(time, &tm) != 1) return "(unreadable date)";
  char text[32];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return std::string(text, n);
}

// Days from now to `time` (negative when past), and whether it could be read.
bool DaysFromNow(const ASN1_TIME* time, int& days) {
  int seconds = 0;
  if (ASN1_TIME_diff(&days, &seconds, nullptr, time) != 1) return false;
  if (days == 0 && seconds < 0) days = -1;
  return true;
}

// Expired: an error. Not yet valid, or expiring soon: a warning.
absl::Status CheckValidity(const std::string& path, X509* leaf,
                           std::vector<std::string>& warnings) {
  const ASN1_TIME* not_after = X509_get0_notAfter(leaf);
  const ASN1_TIME* not_before = X509_get0_notBefore(leaf);
  if (X509_cmp_current_time(not_after) < 0) {
    return absl::InvalidArgumentError(absl::StrCat("the certificate in ", Name(kCertFile, path),
                                                   " (", Subject(leaf), ") expired on ",
                                                   Date(not_after)));
  }
  if (X509_cmp_current_time(not_before) > 0) {
    warnings.push_back(absl::StrCat("the certificate in ", Name(kCertFile, path), " (",
                                    Subject(leaf), ") is not valid before ", Date(not_before),
                                    ": clients refuse it until then (is the clock right?)"));
  }
  int days = 0;
  if (DaysFromNow(not_after, days) && days < kExpiryWarningDays) {
    warnings.push_back(absl::StrCat("the certificate in ", Name(kCertFile, path), " (",
                                    Subject(leaf), ") expires on ", Date(not_after),
                                    ", in less than ", kExpiryWarningDays,
                                    " days: renew it and restart wetlinkd"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ReadTlsTable(const std::string& path, const toml::table* table, TlsConfig& tls) {
  if (table == nullptr) return absl::OkStatus();
  const std::set<std::string_view> known = {"cert_file", "key_file", "client_ca_file"};
  for (const auto& [key, node] : *table) {
    const auto line = node.source().begin.line;
    if (!known.contains(key.str())) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line, ": unknown key 'tls.", std::string(key.str()), "'"));
    }
    std::optional<std::string> value = node.value<std::string>();
    if (!value.has_value()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", line, ": 'tls.",
                                                     std::string(key.str()),
                                                     "' has the wrong type (a file path)"));
    }
    if (key.str() == "cert_file") tls.cert_file = *value;
    if (key.str() == "key_file") tls.key_file = *value;
    if (key.str() == "client_ca_file") tls.client_ca_file = *value;
  }
  return absl::OkStatus();
}

absl::Status ValidateTlsConfig(const TlsConfig& tls) {
  if (!tls.enabled()) return absl::OkStatus();
  if (tls.cert_file.empty() || tls.key_file.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "TLS needs both tls.cert_file (--tls-cert) and tls.key_file (--tls-key)",
        tls.client_ca_file.empty() ? "" : " when tls.client_ca_file (--tls-client-ca) is set",
        "; only ", tls.cert_file.empty() ? "" : "tls.cert_file ",
        tls.key_file.empty() ? "" : "tls.key_file ",
        tls.client_ca_file.empty() ? "" : "tls.client_ca_file ", "is set"));
  }
  return absl::OkStatus();
}

absl::StatusOr<TlsMaterial> LoadTlsMaterial(const TlsConfig& tls) {
  if (absl::Status st = ValidateTlsConfig(tls); !st.ok()) return st;
  if (!tls.enabled()) return absl::InvalidArgumentError("TLS is not configured");
  TlsMaterial material;
  absl::StatusOr<std::string> chain = ReadSettingFile(kCertFile, tls.cert_file);
  if (!chain.ok()) return chain.status();
  absl::StatusOr<std::string> key_text = ReadSettingFile(kKeyFile, tls.key_file);
  if (!key_text.ok()) return key_text.status();
  absl::StatusOr<std::vector<X509Ptr>> certificates =
      ParseCertificates(kCertFile, tls.cert_file, *chain);
  if (!certificates.ok()) return certificates.status();
  absl::StatusOr<PkeyPtr> key = ParsePrivateKey(tls.key_file, *key_text);
  if (!key.ok()) return key.status();
  X509* leaf = certificates->front().get();
  ERR_clear_error();
  if (X509_check_private_key(leaf, key->get()) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError(
        absl::StrCat(Name(kKeyFile, tls.key_file), " is not the private key of the certificate in ",
                     Name(kCertFile, tls.cert_file), " (", Subject(leaf),
                     "); the certificate must come first in its file"));
  }
  if (absl::Status st = CheckValidity(tls.cert_file, leaf, material.warnings); !st.ok()) {
    return st;
  }
  struct stat key_stat {};
  if (::stat(tls.key_file.c_str(), &key_stat) == 0 && (key_stat.st_mode & S_IROTH) != 0) {
    material.warnings.push_back(absl::StrCat(
        Name(kKeyFile, tls.key_file),
        " is readable by every user of this machine: make it readable by wetlinkd's user only "
        "(chmod 600 or 640)"));
  }
  if (!tls.client_ca_file.empty()) {
    absl::StatusOr<std::string> ca_text = ReadSettingFile(kClientCaFile, tls.client_ca_file);
    if (!ca_text.ok()) return ca_text.status();
    absl::StatusOr<std::vector<X509Ptr>> cas =
        ParseCertificates(kClientCaFile, tls.client_ca_file, *ca_text);
    if (!cas.ok()) return cas.status();
    for (const X509Ptr& ca : *cas) {
      if (X509_check_ca(ca.get()) == 0) {
        material.warnings.push_back(absl::StrCat(
            "the certificate ", Subject(ca.get()), " in ", Name(kClientCaFile, tls.client_ca_file),
            " is not a CA certificate: client certificates cannot chain to it"));
      }
    }
    material.client_ca_pem = *std::move(ca_text);
  }
  material.certificate_chain_pem = *std::move(chain);
  material.private_key_pem = *std::move(key_text);
  return material;
}

bool IsLoopbackListenAddress(std::string_view listen) {
  if (absl::StartsWith(std::string(listen), "unix:") ||
      absl::StartsWith(std::string(listen), "unix-abstract:")) {
    return true;
  }
  absl::StatusOr<http::ListenAddress> address = http::ParseListenAddress(listen);
  return address.ok() && address->loopback;
}

absl::Status CheckRemoteListen(std::string_view setting, std::string_view listen,
                               const TlsConfig& tls, bool allow_plaintext_remote) {
  if (IsLoopbackListenAddress(listen) || tls.enabled() || allow_plaintext_remote) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      std::string(setting), " '", std::string(listen),
      "' is not a loopback address, and TLS is not configured: set tls.cert_file and "
      "tls.key_file (--tls-cert, --tls-key; see docs/TLS.md), or, only on a network you trust, "
      "server.allow_plaintext_remote = true (--allow-plaintext-remote)"));
}

}  // namespace wetlink::server
