#!/usr/bin/env bash
# Crash benchmark: wetlink-ingest pushes a simulated Movebank file to wetlinkd
# while wetlinkd is SIGKILLed at random moments and restarted on the same port
# and data folder (and, now and then, wetlink-ingest itself, restarted on the
# same state folder); at the end the stored fixes must be exactly the file's
# distinct fixes. The at-scale version of tests/integration/daemon_crash_test.cc.
#
#   bench/run_crash_bench.sh [--fixes N] [--kills K] [--daemon-kills D] [--seed S]
#                            [--batch-size B] [--keep DIR]
#
# 1. Builds wetlinkd, wetlink, wetlink-ingest and wetlink-sim (release preset)
#    and runs copies of them (a rebuild during the run cannot get in the way).
# 2. Simulates N rows (default 1,000,000) with wetlink-sim --seed S (default
#    1): re-sent duplicates, late and out-of-order rows, outliers.
# 3. Starts wetlinkd (durable writes) on a free loopback port and
#    `wetlink-ingest --auto-register push`, B rows per batch (default: about
#    20 batches between two kill points, within 50..1,000: 450 for the
#    defaults), window 4. K + D kill points (default K = 100 of wetlinkd,
#    D = K/10 of wetlink-ingest) are drawn with bash's $RANDOM seeded with S:
#    each is a number of rows in the daemon's checkpoint, and fires once it
#    is reached and the daemon has made progress since the last restart,
#    0-20 ms later (logged in kills.tsv). The killed process is restarted at
#    once: wetlinkd on the same port and data folder (retried while the port
#    is busy), wetlink-ingest on the same state folder (it resumes from its
#    checkpoint); wetlink-ingest reconnects with its backoff (200 ms,
#    doubling, reset by the first ack).
# 4. Once wetlink-ingest exits 0: `wetlink tracks export` to GeoJSON, and
#    bench/crash_verify.py compares (individual, timestamp, tag) and position
#    with the CSV and checks the daemon's cumulative counts.
# 5. Prints one summary line; exits 1 if anything is lost, doubled or
#    miscounted. --keep DIR (a new folder) keeps the work folder: logs,
#    data, checkpoint, kills.tsv, verify.json.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
fixes=1000000
kills=100
daemon_kills=""
seed=1
batch=""
keep=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --fixes) fixes=$2; shift 2 ;;
    --kills) kills=$2; shift 2 ;;
    --daemon-kills) daemon_kills=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --batch-size) batch=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
daemon_kills=${daemon_kills:-$(( kills / 10 ))}
study=crash-bench

cd "$root"
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target wetlinkd wetlink wetlink-ingest wetlink-sim >/dev/null

work=$(mktemp -d /tmp/wetlink-crash-bench.XXXXXX)
server_pid=""
ingest_pid=""
# shellcheck disable=SC2317  # called by the trap
cleanup() {
  # Only the processes this script started, by their ids.
  for pid in "$ingest_pid" "$server_pid"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      { wait "$pid"; } 2>/dev/null || true
    fi
  done
  if [[ -n "$keep" && ! -e "$keep" ]] && mv "$work" "$keep"; then
    echo "work folder kept in $keep" >&2
  elif [[ -n "$keep" ]]; then
    echo "$keep exists: work folder kept in $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# Copies, so that a rebuild during the run (a shared machine) cannot get in
# the way of a restart.
bin="$work/bin"
for b in server/wetlinkd cli/wetlink ingest/daemon/wetlink-ingest sim/wetlink-sim; do
  mkdir -p "$bin/$(dirname "$b")"
  cp "$root/build/release/$b" "$bin/$b"
done

echo "simulating $fixes rows (seed $seed) ..." >&2
# 100 birds over 3 years hold about 1.5 M rows.
individuals=$(( fixes / 10000 + 1 ))
"$bin/sim/wetlink-sim" --seed "$seed" --individuals "$individuals" --start-year 2021 --years 3 \
  --max-fixes "$fixes" --out-dir "$work/sim" >"$work/sim.txt"
csv="$work/sim/fixes.csv"
rows=$(( $(wc -l <"$csv") - 1 ))
sed -n 's/^ *rows/rows/p' "$work/sim.txt" >&2

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
address="127.0.0.1:$port"
checkpoint="$work/state/checkpoint.json"
# wetlinkd writes its first admin token here; wetlink and wetlink-ingest
# read it through this variable.
export WETLINK_TOKEN_FILE="$work/data/admin.token"

start_server() {
  local attempt
  for attempt in 1 2 3 4 5 6 7 8; do
    rm -f "$work/port"
    "$bin/server/wetlinkd" --listen "$address" --port-file "$work/port" --http-listen '' \
      --data-dir "$work/data" --log-level warn >>"$work/wetlinkd.log" 2>&1 &
    server_pid=$!
    local i
    for i in $(seq 1200); do  # 60 s
      [[ -s "$work/port" ]] && return 0
      kill -0 "$server_pid" 2>/dev/null || break  # e.g. the port still busy: again
      sleep 0.05
    done
    { wait "$server_pid"; } 2>/dev/null || true
    server_pid=""
    sleep "0.$(( attempt * 2 ))"
  done
  echo "wetlinkd did not start on $address:" >&2
  tail -20 "$work/wetlinkd.log" >&2
  exit 1
}

ingest_runs=0
start_ingest() {
  ingest_runs=$(( ingest_runs + 1 ))
  "$bin/ingest/daemon/wetlink-ingest" --server "$address" --study "$study" --auto-register \
    --state-dir "$work/state" --batch-size "$batch" --window 4 --max-retry-s 120 \
    --progress-interval 10 push "$csv" \
    >"$work/ingest-$ingest_runs.out" 2>"$work/ingest-$ingest_runs.err" &
  ingest_pid=$!
}

# The kill loop forks nothing (a fork costs milliseconds, during which the
# daemon pushes thousands of rows): builtins only.
# Sets $acked to the leading rows the daemon has checkpointed (0 before the
# first checkpoint).
read_acked() {
  local text=""
  [[ -f "$checkpoint" ]] && { IFS= read -r -d '' text <"$checkpoint" || true; }
  if [[ $text =~ \"rows_acked\":\ *([0-9]+) ]]; then acked=${BASH_REMATCH[1]}; else acked=0; fi
}
# Sleeps $1 seconds: a read that times out on a pipe nobody writes to.
exec {nap_fd}<> <(:)
nap() { read -rt "$1" -u "$nap_fd" _ || true; }

if [[ -z "$batch" ]]; then
  batch=$(( rows / (20 * (kills + daemon_kills + 1)) ))
  (( batch < 50 )) && batch=50
  (( batch > 1000 )) && batch=1000
fi

# The kill points: sorted row counts in [2 %, 90 %] of the rows; D of them,
# drawn at random, kill wetlink-ingest instead of wetlinkd.
RANDOM=$seed
events=$(( kills + daemon_kills ))
lo=$(( rows * 2 / 100 ))
span=$(( rows * 90 / 100 - lo ))
# (Drawn in this shell: a subshell reseeds $RANDOM.)
drawn=()
for (( i = 0; i < events; i++ )); do drawn+=( $(( ((RANDOM << 15) | RANDOM) % span + lo )) ); done
mapfile -t thresholds < <(printf '%s\n' "${drawn[@]}" | sort -n)
declare -A kill_daemon=()
while [[ ${#kill_daemon[@]} -lt $daemon_kills ]]; do
  kill_daemon[$(( RANDOM % events ))]=1
done

echo "pushing $rows rows to $address with $kills wetlinkd kills and $daemon_kills" \
     "wetlink-ingest kills ..." >&2
printf 'kill\ttarget\tafter_rows\tdelay_ms\trows_acked_at_kill\n' >"$work/kills.tsv"
start=$(date +%s.%N)
start_server
start_ingest
next=0
acked_at_restart=0
server_kills=0
ingest_kills=0
while kill -0 "$ingest_pid" 2>/dev/null; do
  if [[ $next -lt $events ]]; then
    read_acked
    if [[ $acked -ge ${thresholds[$next]} && $acked -gt $acked_at_restart ]]; then
      delay_ms=$(( RANDOM % 21 ))
      printf -v delay '0.%03d' "$delay_ms"
      nap "$delay"
      read_acked
      target=wetlinkd
      [[ -n "${kill_daemon[$next]:-}" ]] && target=wetlink-ingest
      printf '%s\t%s\t%s\t%s\t%s\n' "$next" "$target" "${thresholds[$next]}" "$delay_ms" \
        "$acked" >>"$work/kills.tsv"
      if [[ $target == wetlink-ingest ]]; then
        kill -0 "$ingest_pid" 2>/dev/null || break  # finished meanwhile
        kill -KILL "$ingest_pid"
        { wait "$ingest_pid"; } 2>/dev/null || true
        ingest_kills=$(( ingest_kills + 1 ))
        start_ingest
      else
        kill -KILL "$server_pid"
        { wait "$server_pid"; } 2>/dev/null || true
        server_kills=$(( server_kills + 1 ))
        start_server
      fi
      next=$(( next + 1 ))
      read_acked
      acked_at_restart=$acked
      if (( next % 10 == 0 )); then
        echo "  $next kills, $acked_at_restart rows checkpointed" >&2
      fi
      continue
    fi
  fi
  nap 0.002
done
ingest_rc=0
wait "$ingest_pid" || ingest_rc=$?
ingest_pid=""
push_end=$(date +%s.%N)
if [[ $ingest_rc -ne 0 ]]; then
  echo "wetlink-ingest exited $ingest_rc:" >&2
  tail -20 "$work/ingest-$ingest_runs.err" >&2
  exit 1
fi
if [[ $next -lt $events ]]; then
  echo "warning: the push ended after $next of $events kills" >&2
fi

echo "verifying ..." >&2
"$bin/cli/wetlink" --server "$address" tracks export "$study" -o "$work/$study.geojson" >/dev/null
verify_rc=0
python3 "$root/bench/crash_verify.py" --csv "$csv" --geojson "$work/$study.geojson" \
  --checkpoint "$checkpoint" --json-out "$work/verify.json" >/dev/null || verify_rc=$?
end=$(date +%s.%N)

python3 - "$work/verify.json" "$server_kills" "$ingest_kills" "$ingest_runs" "$start" \
  "$push_end" "$end" "$seed" "$batch" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
server_kills, ingest_kills, runs = map(int, sys.argv[2:5])
start, push_end, end = map(float, sys.argv[5:8])
d = v.get("daemon", {})
print(f"crash bench: fixes {v['rows']:,} ({v['distinct']:,} distinct), "
      f"kills {server_kills} wetlinkd + {ingest_kills} wetlink-ingest, "
      f"restarts {server_kills + ingest_kills}, lost {v['lost']}, doubled {v['doubled']}, "
      f"extra {v['extra']}, moved {v['moved']}, "
      f"re-sent duplicates {v.get('resent_duplicates', 0):,}, "
      f"wall {end - start:.1f} s (push {push_end - start:.1f} s) "
      f"[seed {sys.argv[8]}, batch {sys.argv[9]}]")
for p in v["problems"]:
    print(f"PROBLEM: {p}")
PY
exit "$verify_rc"
