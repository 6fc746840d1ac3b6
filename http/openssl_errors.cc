#include "http/openssl_errors.h"

#include <openssl/err.h>

namespace wetlink::http {

std::string TakeOpenSslErrors() {
  std::string reason;
  while (const unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    if (!reason.empty()) reason += "; ";
    reason += text;
  }
  return reason.empty() ? std::string("no detail from OpenSSL") : reason;
}

}  // namespace wetlink::http
