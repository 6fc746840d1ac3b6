#!/usr/bin/env bash
# Installs the Debian 12 packages Wetlink needs, if any are missing.
#   scripts/setup-deps.sh          build and run dependencies
#   scripts/setup-deps.sh --test   also what the test suite uses, including
#                                  clang 14 for the sanitizer builds and the
#                                  browser checks' node modules
#                                  (npm ci in tests/browser when out of date)
#   scripts/setup-deps.sh --fuzz   also what the fuzz targets need (clang 14,
#                                  its libFuzzer and sanitizer runtimes, the
#                                  symbolizer); flags combine
# Runs apt-get only when something is missing (with sudo when not root).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

test_deps=false
fuzz_deps=false
for arg in "$@"; do
  case "$arg" in
    --test) test_deps=true ;;
    --fuzz) fuzz_deps=true ;;
    *) echo "setup-deps: unknown option '$arg' (known: --test, --fuzz)" >&2; exit 2 ;;
  esac
done

packages=(
  g++ cmake ninja-build ccache pkg-config
  protobuf-compiler protobuf-compiler-grpc libprotobuf-dev libgrpc++-dev libabsl-dev
  librocksdb-dev libgdal-dev libboost-dev libboost-graph-dev libgeographiclib-dev
  libcli11-dev libspdlog-dev libtomlplusplus-dev nlohmann-json3-dev libssl-dev
)
if $test_deps; then
  packages+=(libgtest-dev libgmock-dev gdal-bin python3 python3-grpcio python3-protobuf python3-networkx)
  # The TLS tests fetch a report over HTTPS with curl, as a browser would.
  packages+=(curl)
  # tests/browser: headless Chromium with the fonts the HTML reports use
  # (Noto CJK for Chinese and Korean, Noto Sans for Latin and Cyrillic) and
  # fc-list, which the checker asks whether a font covers the text.
  packages+=(chromium fonts-noto-cjk fonts-noto-core fontconfig)
  # Node from Debian only when there is none (it may come from elsewhere).
  if ! command -v node >/dev/null; then packages+=(nodejs); fi
  if ! command -v npm >/dev/null; then packages+=(npm); fi
fi

if $test_deps || $fuzz_deps; then
  # The sanitizer builds (presets asan, tsan) and fuzz/ (docs/FUZZING.md)
  # compile with clang-14; libclang-rt-14-dev holds the ASan, UBSan and
  # TSan runtimes and libFuzzer (libclang_rt.fuzzer-x86_64.a); llvm-14
  # brings llvm-symbolizer-14 for readable stack traces.
  packages+=(clang-14 libclang-rt-14-dev llvm-14)
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$p")
done
if (( ${#missing[@]} > 0 )); then
  echo "setup-deps: installing ${missing[*]}" >&2
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The browser checks' node modules (playwright-core, pinned in the committed
# package-lock.json), installed again when the lock file is newer.
if $test_deps; then
  browser="$root/tests/browser"
  if [[ ! -f $browser/node_modules/.package-lock.json ||
        $browser/package-lock.json -nt $browser/node_modules/.package-lock.json ]]; then
    echo "setup-deps: npm ci in tests/browser" >&2
    (cd "$browser" && npm ci --no-audit --no-fund >/dev/null)
  fi
fi
