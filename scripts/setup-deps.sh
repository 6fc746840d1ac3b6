#!/usr/bin/env bash
# Installs the Debian 12 packages Wetlink needs, if any are missing.
#   scripts/setup-deps.sh          build and run dependencies
#   scripts/setup-deps.sh --test   also what the test suite uses
# Runs apt-get only when something is missing (with sudo when not root).
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache pkg-config
  protobuf-compiler protobuf-compiler-grpc libprotobuf-dev libgrpc++-dev libabsl-dev
  librocksdb-dev libgdal-dev libboost-dev libboost-graph-dev libgeographiclib-dev
  libcli11-dev libspdlog-dev libtomlplusplus-dev nlohmann-json3-dev
)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(libgtest-dev libgmock-dev gdal-bin python3 python3-grpcio python3-protobuf python3-networkx)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$p")
done
if (( ${#missing[@]} == 0 )); then
  exit 0
fi

echo "setup-deps: installing ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
