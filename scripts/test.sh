#!/usr/bin/env bash
# Builds Wetlink and runs the whole test suite: first in the release build,
# then a short run of every parser's fuzz target (15 s each, docs/FUZZING.md),
# then the test suite again in the AddressSanitizer + UndefinedBehaviorSanitizer
# build.
#   scripts/test.sh           all three stages
#   scripts/test.sh --fast    release build and fuzz stage only
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
  if [[ "$preset" == release ]]; then
    # Its own clang build of the parsers only (build/fuzz); a crash, leak,
    # hang or broken invariant fails the run and prints the reproducer.
    echo "== fuzz: each parser's libFuzzer target for 15 s, 2 at a time" >&2
    scripts/fuzz.sh --seconds 15 --jobs 2
  fi
done
