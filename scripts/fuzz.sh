#!/usr/bin/env bash
# Builds the libFuzzer targets of the input parsers (fuzz/, docs/FUZZING.md)
# and runs each for a while.
#   scripts/fuzz.sh [--seconds N] [--jobs J] [target...]
#     --seconds N   how long each target runs (default 600)
#     --jobs J      how many targets run at once (default 1; each uses a core)
#     target        movebank_csv, generic_csv, gpx, movebank_reference,
#                   count_csv, site_import, catalog_json (default: all);
#                   the _fuzzer suffix may be given
# Installs clang and the fuzzer runtime with apt-get if missing
# (scripts/setup-deps.sh --fuzz). Each target starts from its seeds: the test
# fixtures listed below (by path) and fuzz/corpus/<target>/; what it finds is
# kept in build/fuzz/corpus/<target>/ for the next run (not in git), its log
# in build/fuzz/logs/<target>.log. Exits non-zero if any target crashed,
# leaked, hung or broke an invariant, printing the reproducer's path; rerun
# one with build/fuzz/fuzz/<target>_fuzzer <reproducer>.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

seconds=600
jobs=1
targets=()
while (($#)); do
  case "$1" in
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    --jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option '$1'" >&2; exit 2 ;;
    *) targets+=("${1%_fuzzer}"); shift ;;
  esac
done
if ! [[ "$seconds" =~ ^[0-9]+$ && "$jobs" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz.sh: --seconds and --jobs take whole numbers" >&2
  exit 2
fi

# Seeds from the test fixtures, by path (so they are never copied).
declare -A fixtures=(
  [movebank_csv]="tests/fixtures/ingest/movebank-sample.csv tests/fixtures/ingest/movebank-bad-rows.csv"
  [generic_csv]="tests/fixtures/ingest/logger-kst-semicolon.csv"
  [gpx]="tests/fixtures/ingest/gpx11-two-tracks.gpx tests/fixtures/ingest/gpx10-speed-course.gpx"
  [movebank_reference]="tests/fixtures/services/reference.csv tests/fixtures/integration/reference.csv"
  [count_csv]="tests/fixtures/counts/tumen_counts.csv"
  [site_import]="tests/fixtures/geo/attributes.geojson tests/fixtures/geo/invalid_sites.geojson tests/fixtures/geo/wetland.kml tests/fixtures/integration/rason_replacement.geojson tests/fixtures/integration/one_bad_feature.geojson tests/fixtures/integration/bowtie.geojson tests/fixtures/integration/small_pond.kml"
  [catalog_json]="data/catalog/sites.json data/catalog/complexes.json data/catalog/species.json data/catalog/sources.json"
)
# Extra libFuzzer flags per target. The catalog's seeds are the bundled
# files (up to 60 KB): without len_control=0 libFuzzer would cut their
# mutations to a few KB for the first minutes, which is invalid JSON.
declare -A extra_flags=(
  [catalog_json]="-len_control=0"
)
all=(movebank_csv generic_csv gpx movebank_reference count_csv site_import catalog_json)
if ((${#targets[@]} == 0)); then targets=("${all[@]}"); fi
for t in "${targets[@]}"; do
  if [[ -z "${fixtures[$t]+x}" ]]; then
    echo "fuzz.sh: unknown target '$t' (known: ${all[*]})" >&2
    exit 2
  fi
done

scripts/setup-deps.sh --fuzz
echo "== fuzz: configure and build (clang, libFuzzer + ASan + UBSan, parsers only)" >&2
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

out=build/fuzz
mkdir -p "$out/logs"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
if command -v llvm-symbolizer-14 >/dev/null; then
  export ASAN_SYMBOLIZER_PATH="${ASAN_SYMBOLIZER_PATH:-$(command -v llvm-symbolizer-14)}"
fi

# run <target>: fuzzes it for $seconds; the log says how it went.
run() {
  local t=$1
  local corpus="$out/corpus/$t" artifacts="$out/artifacts/$t/"
  mkdir -p "$corpus" "$artifacts"
  local seeds
  seeds=$(tr ' ' ',' <<<"${fixtures[$t]}")
  local args=(
    -max_total_time="$seconds" -print_final_stats=1
    -timeout=30 -rss_limit_mb=2560 -max_len=65536
    -artifact_prefix="$artifacts" -seed_inputs="$seeds"
  )
  if [[ -f fuzz/dict/$t.dict ]]; then args+=(-dict="fuzz/dict/$t.dict"); fi
  if [[ -n "${extra_flags[$t]:-}" ]]; then
    local -a more
    read -r -a more <<<"${extra_flags[$t]}"
    args+=("${more[@]}")
  fi
  # New inputs go to the first folder; fuzz/corpus/<target> is read only.
  "$out/fuzz/${t}_fuzzer" "${args[@]}" "$corpus" "fuzz/corpus/$t" >"$out/logs/$t.log" 2>&1
}

# What a finished run tells: executions, coverage, features, corpus.
report() {
  local t=$1 status=$2
  local log="$out/logs/$t.log"
  local done_line execs
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: //p' "$log" | tail -1)
  if ((status == 0)); then
    printf '%-20s ok: %s executions in %ss; %s\n' "$t" "${execs:-?}" "$seconds" \
      "$(sed -E 's/^#[0-9]+[[:space:]]+DONE[[:space:]]+//' <<<"$done_line")"
    return 0
  fi
  local artifact
  artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
  printf '%-20s FAILED (exit %s); log %s\n' "$t" "$status" "$log" >&2
  grep -E 'ERROR: |SUMMARY: |runtime error|invariant violated|deadly signal|timeout' "$log" \
    | head -5 | sed 's/^/    /' >&2 || true
  if [[ -n "$artifact" ]]; then
    printf '    reproducer: %s\n    rerun: %s/fuzz/%s_fuzzer %s\n' "$artifact" "$out" "$t" \
      "$artifact" >&2
  fi
  return 1
}

echo "== fuzz: ${#targets[@]} target(s), ${seconds}s each, $jobs at a time" >&2
failed=0
declare -A pids=()
for t in "${targets[@]}"; do
  while ((${#pids[@]} >= jobs)); do
    wait -n || true
    for done_t in "${!pids[@]}"; do
      if ! kill -0 "${pids[$done_t]}" 2>/dev/null; then
        status=0
        wait "${pids[$done_t]}" || status=$?
        report "$done_t" "$status" || failed=1
        unset "pids[$done_t]"
      fi
    done
  done
  run "$t" &
  pids[$t]=$!
done
for t in "${!pids[@]}"; do
  status=0
  wait "${pids[$t]}" || status=$?
  report "$t" "$status" || failed=1
done
if ((failed)); then
  echo "fuzz: FAILED; see the reproducers above" >&2
  exit 1
fi
echo "fuzz: all ${#targets[@]} target(s) ran ${seconds}s without a finding" >&2
