#!/usr/bin/env bash
# Builds Wetlink and runs the whole test suite, in four stages:
#   1. release (GCC 12, -O2: what ships): wetlinkd, wetlink, wetlink-ingest,
#      wetlink-sim and the benchmarks are built, and the end-to-end tests
#      (label "integration": real daemons, CLI, ingest daemon, Python client,
#      Chromium) run against them; among them the overload test, whose
#      memory bounds are those of this build.
#   2. fuzz: a short run of every parser's libFuzzer target (10 s each,
#      docs/FUZZING.md).
#   3. asan (clang 14, AddressSanitizer + UndefinedBehaviorSanitizer): every
#      test, unit, integration and end-to-end.
#   4. tsan (clang 14, ThreadSanitizer): the concurrency tests.
# Building every unit test twice as well would take CI past 30 minutes on
# two cores; the unit tests run in stage 3, and `--fast` runs them in the
# release build.
#   scripts/test.sh           the four stages (CI: .ci/run)
#   scripts/test.sh --fast    release build, every test in it, and the fuzz stage
set -euo pipefail
cd "$(dirname "$0")/.."

fast=false
if [[ "${1:-}" == "--fast" ]]; then fast=true; fi
scripts/setup-deps.sh --test

echo "== release: configure and build" >&2
cmake --preset release -DWETLINK_BUILD_TESTS=ON -DWETLINK_BUILD_BENCH=ON >/dev/null
if $fast; then
  cmake --build --preset release
  echo "== release: tests" >&2
  ctest --preset release -j2
else
  # integration_test brings the four binaries it drives.
  cmake --build --preset release --target integration_test wetlink-bench-ingest wetlink-bench-flyway
  echo "== release: end-to-end tests" >&2
  ctest --preset release -j2 -L 'integration|browser'
fi

# Its own clang build of the parsers only (build/fuzz); a crash, leak,
# hang or broken invariant fails the run and prints the reproducer.
echo "== fuzz: each parser's libFuzzer target for 10 s, 2 at a time" >&2
scripts/fuzz.sh --seconds 10 --jobs 2
if $fast; then exit 0; fi

echo "== asan: configure and build" >&2
# The benchmarks are not tests: the sanitizer build skips them.
cmake --preset asan -DWETLINK_BUILD_TESTS=ON -DWETLINK_BUILD_BENCH=OFF >/dev/null
cmake --build --preset asan
echo "== asan: tests" >&2
ctest --preset asan -j2

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
echo "== tsan: configure and build the concurrency tests" >&2
cmake --preset tsan >/dev/null
cmake --build --preset tsan
echo "== tsan: tests" >&2
ctest --preset tsan -j2
echo "== all stages passed in $SECONDS s" >&2
