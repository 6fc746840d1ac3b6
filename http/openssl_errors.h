#ifndef WETLINK_HTTP_OPENSSL_ERRORS_H_
#define WETLINK_HTTP_OPENSSL_ERRORS_H_

#include <string>

namespace wetlink::http {

// Every error on this thread's OpenSSL error queue, oldest first and joined
// by "; ", and empties the queue so a later failure does not report these.
// "no detail from OpenSSL" when the queue was empty.
std::string TakeOpenSslErrors();

}  // namespace wetlink::http

#endif  // WETLINK_HTTP_OPENSSL_ERRORS_H_
