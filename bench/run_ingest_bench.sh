#!/usr/bin/env bash
# End-to-end ingest benchmark, Wetlink against PostgreSQL 15 + PostGIS, in
# one run on one machine (see docs/PERFORMANCE.md for results and method).
#
#   bench/run_ingest_bench.sh [--fixes N] [--runs R] [--streams S] [--out DIR]
#
# 1. Simulates N fixes (wetlink-sim, fixed seed) once, as a Movebank CSV.
# 2. Wetlink, R runs, each on a fresh data folder: wetlinkd with durable
#    (fsync'd) writes on a loopback port; wetlink-bench-ingest streams the
#    same simulated rows over S gRPC streams with auto-registration; the
#    figure is acknowledged fixes per second. Disk: the data folder after a
#    clean shutdown, divided by the fixes stored.
# 3. PostGIS, R runs, on the same CSV (bench/postgis/postgis_ingest.py:
#    COPY, then a deduplicating insert assigning sites with ST_Contains).
# 4. Prints and writes (DIR/summary.json) the medians and the ratio.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
fixes=10000000
runs=3
streams=2
out=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --fixes) fixes=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --streams) streams=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n 2,16p "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

source "$root/bench/bench_env.sh"
bench_setup ingest-bench wetlinkd wetlink wetlink-sim wetlink-bench-ingest
out=${out:-$work/out}
mkdir -p "$out"

# Same scenario as wetlink-bench-ingest's defaults, so both load identical rows.
sim_args=(--seed 7 --individuals 400 --start-year 2020 --years 5)
echo "simulating $fixes fixes ..." >&2
"$bin/sim/wetlink-sim" "${sim_args[@]}" --max-fixes "$fixes" --out-dir "$work/sim" >/dev/null

for run in $(seq "$runs"); do
  data="$work/data-$run"
  start_wetlinkd "$data"
  if [[ $run == 1 ]]; then
    "$bin/cli/wetlink" --server "$address" sites export --as geojson -o "$work/sites.geojson" 2>/dev/null
  fi
  echo "wetlink run $run ..." >&2
  "$bin/bench/wetlink-bench-ingest" --server "$address" --fixes "$fixes" --streams "$streams" \
    --json-out "$out/wetlink-$run.json" >&2
  stop_wetlinkd
  du -sb "$data" | cut -f1 >"$out/wetlink-$run.bytes"
  rm -rf "$data"
done

echo "PostGIS ..." >&2
python3 "$root/bench/postgis/postgis_ingest.py" --fixes "$work/sim/fixes.csv" \
  --sites "$work/sites.geojson" --runs "$runs" --json-out "$out/postgis.json" >&2

python3 - "$out" "$runs" "$fixes" <<'PY'
import json, os, platform, statistics, subprocess, sys, datetime
out, runs, fixes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
w = [json.load(open(f"{out}/wetlink-{r}.json")) for r in range(1, runs + 1)]
wbytes = [int(open(f"{out}/wetlink-{r}.bytes").read()) for r in range(1, runs + 1)]
pg = json.load(open(f"{out}/postgis.json"))
wl_rate = statistics.median(x["fixes_per_s"] for x in w)
stored = w[0]["accepted"]
wl_bpf = statistics.median(b / x["accepted"] for b, x in zip(wbytes, w))
pg_rate = pg["median"]["fixes_per_s"]
summary = {
    "date": datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC"),
    "machine": f"{platform.node()} {os.cpu_count()} CPUs, "
               + subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                                capture_output=True, text=True).stdout.strip(),
    "fixes_sent": fixes, "runs": runs,
    "wetlink": {"fixes_per_s_runs": [x["fixes_per_s"] for x in w], "fixes_per_s_median": wl_rate,
                "stored": stored, "duplicates": w[0]["duplicates"], "rejected": w[0]["rejected"],
                "data_dir_bytes_per_fix": wl_bpf, "streams": w[0]["streams"]},
    "postgis": {"fixes_per_s_median": pg_rate,
                "table_bytes_per_fix": pg["median"].get("table_bytes_per_fix"),
                "datadir_bytes_per_fix": pg["median"].get("datadir_bytes_per_fix")},
    "ratio": wl_rate / pg_rate,
}
json.dump(summary, open(f"{out}/summary.json", "w"), indent=2)
print(json.dumps(summary, indent=2))
PY
echo "results in $out" >&2
