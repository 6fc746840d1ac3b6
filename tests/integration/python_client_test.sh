#!/bin/bash
# Calls wetlinkd from Python: generates the stubs with protoc and the gRPC
# Python plugin, starts wetlinkd on a free loopback port with a fresh data
# folder, runs python_client_test.py (catalog, health, reflection) and
# python_client_example.py against it, and stops it with SIGTERM.
#
# usage: python_client_test.sh WETLINKD PROTO_DIR [PYTHON3 [PROTOC [GRPC_PYTHON_PLUGIN]]]
set -euo pipefail

wetlinkd=${1:?usage: $0 WETLINKD PROTO_DIR [PYTHON3 [PROTOC [GRPC_PYTHON_PLUGIN]]]}
proto_dir=${2:?proto folder}
python=${3:-/usr/bin/python3}
protoc=${4:-/usr/bin/protoc}
plugin=${5:-/usr/bin/grpc_python_plugin}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/wetlink-python-XXXXXX")
pid=""
cleanup() {
  if [[ -n $pid ]]; then
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# Running and not yet a zombie (kill -0 succeeds on zombies too).
alive() {
  local state
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) && [[ $state != Z ]]
}

fail() {
  echo "FAILED: $*" >&2
  if [[ -f $tmp/wetlinkd.log ]]; then
    echo "--- wetlinkd log ---" >&2
    cat "$tmp/wetlinkd.log" >&2
  fi
  exit 1
}

# Stubs. The health and reflection protos are compiled from a flat folder:
# generated under grpc/..., they would clash with the grpc package itself.
mkdir -p "$tmp/gen" "$tmp/flat"
timeout 60 "$protoc" -I "$proto_dir" --python_out="$tmp/gen" --grpc_out="$tmp/gen" \
  --plugin=protoc-gen-grpc="$plugin" "$proto_dir"/wetlink/v1/*.proto ||
  fail "protoc wetlink/v1"
cp "$proto_dir/grpc/health/v1/health.proto" "$here/reflection_v1alpha.proto" "$tmp/flat/"
timeout 60 "$protoc" -I "$tmp/flat" --python_out="$tmp/gen" --grpc_out="$tmp/gen" \
  --plugin=protoc-gen-grpc="$plugin" "$tmp/flat/health.proto" "$tmp/flat/reflection_v1alpha.proto" ||
  fail "protoc health and reflection"

# The server, on a port of its own choosing.
"$wetlinkd" --listen 127.0.0.1:0 --port-file "$tmp/port" --http-listen '' --data-dir "$tmp/data" \
  --log-level warn >"$tmp/wetlinkd.log" 2>&1 &
pid=$!
for _ in $(seq 200); do  # at most 20 s
  [[ -s $tmp/port ]] && break
  alive || fail "wetlinkd ended before listening"
  sleep 0.1
done
[[ -s $tmp/port ]] || fail "wetlinkd wrote no port file within 20 s"
address="127.0.0.1:$(cat "$tmp/port")"
echo "wetlinkd (pid $pid) listening on $address"

export PYTHONPATH="$tmp/gen:$here"
export WETLINK_TOKEN_FILE="$tmp/data/admin.token"
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ in the source tree
export no_proxy="127.0.0.1,localhost${no_proxy:+,$no_proxy}"

timeout 60 "$python" "$here/python_client_test.py" "$address" || fail "python_client_test.py"

example_out=$(timeout 60 "$python" "$here/python_client_example.py" "$address") ||
  fail "python_client_example.py"
echo "$example_out"
for expected in "daguur" "rason: 3525.7 ha stated" "Grus monacha" "NOT_FOUND: site 'atlantis'"; do
  grep -qF "$expected" <<<"$example_out" || fail "example output lacks '$expected'"
done

# A clean shutdown on SIGTERM.
kill -TERM "$pid"
for _ in $(seq 100); do  # at most 10 s
  alive || break
  sleep 0.1
done
if alive; then
  fail "wetlinkd still running 10 s after SIGTERM"
fi
status=0
wait "$pid" || status=$?
pid=""
[[ $status -eq 0 ]] || fail "wetlinkd exited with status $status after SIGTERM"
echo "python client test passed"
