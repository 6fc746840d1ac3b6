#!/usr/bin/env bash
# Installs what the PostGIS baseline (bench/postgis/postgis_ingest.py) needs
# on Debian 12, if anything is missing: PostgreSQL 15, PostGIS 3 for it, and
# python3. Idempotent and quiet: does nothing (and prints nothing) when all
# packages are installed; otherwise runs apt-get (with sudo when not root).
#
# Debian's postgresql-15 package creates and may start a default cluster
# ("15 main" on port 5432). The benchmark never uses it: it runs its own
# throw-away clusters with initdb/pg_ctl in a temporary folder.
set -euo pipefail

packages=(postgresql-15 postgresql-15-postgis-3 python3)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$p")
done
if (( ${#missing[@]} == 0 )); then
  exit 0
fi

echo "bench/postgis/setup.sh: installing ${missing[*]}" >&2
sudo=()
if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
# apt-get's chatter (debconf notes included) is shown only if it fails.
if ! out=$("${sudo[@]}" apt-get update -qq 2>&1 &&
           "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" 2>&1); then
  printf '%s\n' "$out" >&2
  echo "bench/postgis/setup.sh: apt-get failed" >&2
  exit 1
fi
