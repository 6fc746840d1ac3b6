#!/usr/bin/env bash
# Builds Wetlink and runs the whole test suite: first in the release build,
# then again in the AddressSanitizer + UndefinedBehaviorSanitizer build.
#   scripts/test.sh           both builds
#   scripts/test.sh --fast    release build only
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup-deps.sh --test
presets=(release asan)
if [[ "${1:-}" == "--fast" ]]; then presets=(release); fi

for preset in "${presets[@]}"; do
  echo "== ${preset}: configure and build" >&2
  # The benchmarks are not tests: the sanitizer build skips them.
  bench=ON
  if [[ "$preset" == asan ]]; then bench=OFF; fi
  cmake --preset "$preset" -DWETLINK_BUILD_TESTS=ON -DWETLINK_BUILD_BENCH=$bench >/dev/null
  cmake --build --preset "$preset"
  echo "== ${preset}: tests" >&2
  ctest --preset "$preset" -j2
done
