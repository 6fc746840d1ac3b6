# Sourced by the benchmark drivers (run_ingest_bench.sh, run_flyway_bench.sh):
# set-up, a work folder that goes away on exit, and wetlinkd start/stop.
#
#   bench_setup NAME TARGET...   deps (Wetlink's and PostGIS's), release build of
#                                TARGETs; sets root, bin, work (mode 755, under
#                                /tmp: the PostGIS server user must reach it)
#   start_wetlinkd DATA [LEVEL]  wetlinkd on a free loopback port; sets address
#                                and exports WETLINK_TOKEN_FILE (its admin token)
#   stop_wetlinkd                SIGTERM and wait (a clean shutdown)

bench_setup() {
  local name=$1
  shift
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  bash "$root/scripts/setup-deps.sh" >/dev/null
  bash "$root/bench/postgis/setup.sh"
  cd "$root"
  cmake --preset release >/dev/null
  cmake --build --preset release -j2 --target "$@" >/dev/null
  bin="$root/build/release"
  work=$(mktemp -d "/tmp/wetlink-$name.XXXXXX")
  chmod 755 "$work"
  server_pid=""
  trap bench_cleanup EXIT
}

bench_cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"; wait "$server_pid" || true
  fi
  rm -rf "$work"
}

start_wetlinkd() {
  local data=$1 level=${2:-warn}
  rm -f "$work/port"
  "$bin/server/wetlinkd" --listen 127.0.0.1:0 --port-file "$work/port" --http-listen '' \
    --data-dir "$data" --log-level "$level" >>"$work/wetlinkd.log" 2>&1 &
  server_pid=$!
  # Start-up rebuilds the flyway graph from the stored fixes: allow a minute.
  for _ in $(seq 600); do [[ -s "$work/port" ]] && break; sleep 0.1; done
  [[ -s "$work/port" ]] || { echo "wetlinkd did not start:" >&2; cat "$work/wetlinkd.log" >&2; exit 1; }
  address="127.0.0.1:$(cat "$work/port")"
  # The first admin token of the data folder: wetlink, wetlink-ingest and the
  # benches read it from here.
  export WETLINK_TOKEN_FILE="$data/admin.token"
}

stop_wetlinkd() {
  kill -TERM "$server_pid"; wait "$server_pid"; server_pid=""
}
