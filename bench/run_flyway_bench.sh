#!/usr/bin/env bash
# Flyway benchmarks, Wetlink and PostgreSQL 15 + PostGIS, in one run on one
# machine (docs/PERFORMANCE.md holds the results and the method).
#
#   bench/run_flyway_bench.sh [--fixes N] [--runs R] [--rates LIST] [--seconds S] [--out DIR]
#
# 1. Rebuild: wetlink-bench-flyway fills a data folder with N simulated
#    fixes (in process, the same rows wetlink-sim writes for the same seed),
#    then times R full rebuilds of segmentation and graph from RocksDB.
# 2. wetlinkd starts on that folder (its start-up rebuild is logged).
#    Visible: time from an acknowledged fix to its link being answered.
#    Load: ListLinks latency (p50, p99) at each rate of LIST, S s each;
#    then again with wetlinkd and the client pinned to separate CPUs.
# 3. PostGIS (bench/postgis/postgis_flyway.py) on the same rows as a CSV:
#    the same link question from raw fixes (window functions) and from a
#    pre-aggregated transitions table.
# 4. Prints and writes DIR/summary.json.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
fixes=10000000
runs=3
rates=1000,2000,5000,10000
seconds=5
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --fixes) fixes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --rates) rates=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n 2,16p "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

source "$root/bench/bench_env.sh"
bench_setup flyway-bench wetlinkd wetlink wetlink-sim wetlink-bench-flyway
out=${out:-$work/out}
mkdir -p "$out"

# Same scenario as the ingest benchmark: 400 birds of four species, 5 years.
sim_args=(--seed 7 --individuals 400 --start-year 2020 --years 5)

echo "rebuild: filling a data folder with $fixes fixes, then $runs rebuilds ..." >&2
"$bin/bench/wetlink-bench-flyway" rebuild --data-dir "$work/data" --fixes "$fixes" --runs "$runs" \
  "${sim_args[@]}" --json-out "$out/rebuild.json" >/dev/null

start_wetlinkd "$work/data" info
grep -m1 "flyway graph" "$work/wetlinkd.log" >&2 || true

# The links PostGIS is compared with, before the visibility probe adds its own.
"$bin/cli/wetlink" --server "$address" --format json flyway links >"$out/wetlink-links.json"
"$bin/cli/wetlink" --server "$address" --format json flyway links --species HC \
  --from 2021-01-01 --to 2022-01-01 >"$out/wetlink-links-hc-2021.json"
echo "visible: acknowledged fix -> link answered ..." >&2
"$bin/bench/wetlink-bench-flyway" visible --server "$address" --trials 40 \
  --json-out "$out/visible.json" >/dev/null
echo "load: ListLinks at $rates requests/s ..." >&2
"$bin/bench/wetlink-bench-flyway" load --server "$address" --rates "$rates" --seconds "$seconds" \
  --json-out "$out/load.json" >/dev/null
# Again with wetlinkd on CPU 0 and the client on CPU 1, as when clients run
# on other machines: on a small machine the two otherwise compete for the
# same cores, and the scheduler's moves show in the tail latencies.
if (( $(nproc) >= 2 )); then
  echo "load, server and client pinned to CPUs 0 and 1 ..." >&2
  taskset -a -p -c 0 "$server_pid" >/dev/null
  taskset -c 1 "$bin/bench/wetlink-bench-flyway" load --server "$address" --rates "$rates" \
    --seconds "$seconds" --json-out "$out/load-pinned.json" >/dev/null
  taskset -a -p -c "0-$(( $(nproc) - 1 ))" "$server_pid" >/dev/null
fi
"$bin/cli/wetlink" --server "$address" sites export --as geojson -o "$work/sites.geojson" 2>/dev/null
stop_wetlinkd

echo "PostGIS: simulating the same rows as CSV, then the same questions ..." >&2
"$bin/sim/wetlink-sim" "${sim_args[@]}" --max-fixes "$fixes" --out-dir "$work/sim" >/dev/null
# Overlapping sites resolved as Wetlink does, so both answer the same links;
# the filtered question is the one the load test asks.
python3 "$root/bench/postgis/postgis_flyway.py" --fixes "$work/sim/fixes.csv" \
  --sites "$work/sites.geojson" --runs "$runs" --site-rule smallest-area \
  --species "Grus monacha" --from 2021-01-01 --to 2022-01-01 \
  --wetlink-links "$out/wetlink-links.json" \
  --wetlink-links-filtered "$out/wetlink-links-hc-2021.json" \
  --json-out "$out/postgis.json" >&2

python3 - "$out" "$fixes" <<'PY'
import datetime, json, os, platform, subprocess, sys
out, fixes = sys.argv[1], int(sys.argv[2])
load = lambda name: json.load(open(f"{out}/{name}.json"))
rebuild, visible, levels, pg = load("rebuild"), load("visible"), load("load"), load("postgis")
pinned = load("load-pinned")["load"] if os.path.exists(f"{out}/load-pinned.json") else None
summary = {
    "date": datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC"),
    "machine": f"{platform.node()} {os.cpu_count()} CPUs, "
               + subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                                capture_output=True, text=True).stdout.strip(),
    "fixes": fixes,
    "wetlink": {"rebuild": rebuild["rebuild"], "visible": visible["visible"], "load": levels["load"],
                "load_pinned": pinned},
    "postgis": pg,
}
json.dump(summary, open(f"{out}/summary.json", "w"), indent=2)
print(json.dumps(summary, indent=2))
PY
echo "results in $out" >&2
