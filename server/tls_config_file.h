#ifndef WETLINK_SERVER_TLS_CONFIG_FILE_H_
#define WETLINK_SERVER_TLS_CONFIG_FILE_H_

// Internal to server/: reading the [tls] table of the configuration file
// (kept out of tls_config.h so that its includers need no toml++).

#include <toml++/toml.h>

#include <string>

#include "absl/status/status.h"
#include "server/tls_config.h"

namespace wetlink::server {

// Reads the [tls] table of the file `path` (null: absent) into `tls`.
// InvalidArgument naming the file, line and key for an unknown key or a
// value that is not a string.
absl::Status ReadTlsTable(const std::string& path, const toml::table* table, TlsConfig& tls);

}  // namespace wetlink::server

#endif  // WETLINK_SERVER_TLS_CONFIG_FILE_H_
