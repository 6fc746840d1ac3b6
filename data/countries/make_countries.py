#!/usr/bin/env python3
"""Regenerates the bundled country boundaries (data/countries/, see README.md).

Usage:
  cd /tmp && npm install world-atlas@2
  python3 data/countries/make_countries.py \
      [--world-atlas /tmp/node_modules/world-atlas] \
      [--iso-codes /usr/share/iso-codes/json/iso_3166-1.json] [--out data/countries]

Writes, offline, from the npm package and Debian's iso-codes package:
  countries-50m.json          world-atlas's file, byte for byte (TopoJSON)
  iso3166_numeric_alpha2.json ISO 3166-1 numeric -> alpha-2, from iso-codes
and prints the version, size and SHA-256 of the copied file and every feature
of the "countries" object that has no alpha-2 code (README.md lists them).
Python 3 standard library only.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys

WORLD_ATLAS_FILE = "countries-50m.json"
TABLE_FILE = "iso3166_numeric_alpha2.json"
TABLE_SCHEMA = "wetlink.countries.iso3166_numeric_alpha2/1"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world-atlas", default="/tmp/node_modules/world-atlas",
                        help="folder of the installed npm package world-atlas@2")
    parser.add_argument("--iso-codes", default="/usr/share/iso-codes/json/iso_3166-1.json",
                        help="iso_3166-1.json of Debian's iso-codes package")
    parser.add_argument("--out", default=here, help="output folder (default: this folder)")
    args = parser.parse_args()

    with open(os.path.join(args.world_atlas, "package.json"), encoding="utf-8") as f:
        package = json.load(f)
    if package.get("name") != "world-atlas" or not package.get("version", "").startswith("2."):
        sys.exit(f"{args.world_atlas} is not world-atlas 2.x: {package.get('name')} "
                 f"{package.get('version')}")

    source = os.path.join(args.world_atlas, WORLD_ATLAS_FILE)
    with open(source, "rb") as f:
        raw = f.read()
    topology = json.loads(raw)
    if topology.get("type") != "Topology" or "countries" not in topology.get("objects", {}):
        sys.exit(f"{source} is not a TopoJSON topology with a 'countries' object")

    with open(args.iso_codes, encoding="utf-8") as f:
        iso = json.load(f)["3166-1"]
    numeric_to_alpha2 = {entry["numeric"]: entry["alpha_2"] for entry in iso}
    if len(numeric_to_alpha2) != len(iso):
        sys.exit(f"{args.iso_codes}: repeated numeric codes")

    # The JSON carries no version; the Debian package does.
    try:
        iso_version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "iso-codes"],
                                     capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        iso_version = "(version unknown)"

    os.makedirs(args.out, exist_ok=True)
    shutil.copyfile(source, os.path.join(args.out, WORLD_ATLAS_FILE))
    table = {
        "schema": TABLE_SCHEMA,
        "source": f"Debian iso-codes {iso_version}, {os.path.abspath(args.iso_codes)}",
        "numeric_to_alpha2": dict(sorted(numeric_to_alpha2.items())),
    }
    with open(os.path.join(args.out, TABLE_FILE), "w", encoding="utf-8") as f:
        json.dump(table, f, indent=1, ensure_ascii=False)
        f.write("\n")

    print(f"world-atlas {package['version']}: {WORLD_ATLAS_FILE}, {len(raw)} bytes, "
          f"sha256 {hashlib.sha256(raw).hexdigest()}")
    print(f"{TABLE_FILE}: {len(numeric_to_alpha2)} codes")
    geometries = topology["objects"]["countries"]["geometries"]
    uncoded = [g for g in geometries if numeric_to_alpha2.get(g.get("id")) is None]
    print(f"{len(geometries)} features, {len(uncoded)} without an alpha-2 code:")
    for g in uncoded:
        print(f"  {g.get('properties', {}).get('name')!r} (id {g.get('id')!r})")


if __name__ == "__main__":
    main()
