#!/usr/bin/env bash
# Builds Wetlink and starts wetlinkd on its embedded default: listening on
# 127.0.0.1:50051 (gRPC) and 127.0.0.1:8080 (HTTP pages), RocksDB in
# ./var/wetlink, the bundled site catalog loaded on first start. Extra arguments go to wetlinkd (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-deps.sh
cmake --preset release -DWETLINK_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release --target wetlinkd wetlink wetlink-ingest
echo "run.sh: starting wetlinkd; query it with build/release/cli/wetlink (Ctrl-C stops it)" >&2
exec build/release/server/wetlinkd --data-dir var/wetlink "$@"
