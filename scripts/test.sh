#!/usr/bin/env bash
# Builds Wetlink and runs the whole test suite: first in the release build,
# then a short run of every parser's fuzz target (15 s each, docs/FUZZING.md),
# then the test suite again in the AddressSanitizer + UndefinedBehaviorSanitizer
# build, then the tests that exercise concurrency in the ThreadSanitizer build.
#   scripts/test.sh           all four stages
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

# ThreadSanitizer: only the tests that run project code on several threads,
# gathered into one executable (tests/concurrency/CMakeLists.txt): concurrent
# commits in the stores, the live flyway's worker, concurrent fix ingest
# with the flyway listening, the HTTP(S) server and the services' background
# queues. Debian's gRPC, protobuf and RocksDB are not instrumented;
# tests/tsan.supp says what is suppressed in RocksDB and why. The gRPC tests
# (services_test.IngestServiceTest, the daemon's) are left out: TSan cannot
# see the synchronisation inside libgrpc and reports its own hand-overs
# (e.g. the epoll descriptor its poller thread receives);
# FixIngestConcurrencyTest drives the same ingestor and stores from several
# threads without the transport.
if [[ "${1:-}" != "--fast" ]]; then
  started=$SECONDS
  echo "== tsan: configure and build the concurrency tests" >&2
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan
  echo "== tsan: tests" >&2
  ctest --preset tsan -j2
  echo "== tsan: $((SECONDS - started)) s" >&2
fi
