#!/usr/bin/env bash
# Builds Wetlink and starts wetlinkd on its embedded default: listening on
# 127.0.0.1:50051 (gRPC) and 127.0.0.1:8080 (HTTP pages), RocksDB in
# ./var/wetlink, the bundled site catalog loaded on first start. Extra arguments go to wetlinkd (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-deps.sh
cmake --preset release -DWETLINK_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release --target wetlinkd wetlink wetlink-ingest
cat >&2 <<'EOF2'
run.sh: starting wetlinkd (Ctrl-C stops it). On first start it writes an admin
token to var/wetlink/admin.token (readable by you only); in another terminal:
  export WETLINK_TOKEN_FILE=var/wetlink/admin.token
  build/release/cli/wetlink sites list
EOF2
exec build/release/server/wetlinkd --data-dir var/wetlink "$@"
