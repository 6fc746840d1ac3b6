#!/usr/bin/env python3
"""Checks a crash-bench run exactly (bench/run_crash_bench.sh).

Compares the distinct fixes of a Movebank CSV, keyed by (individual-local-
identifier, timestamp, tag-local-identifier), with the fixes a wetlinkd holds,
as exported by `wetlink tracks export STUDY -o FILE.geojson` (one file per
study), and checks wetlink-ingest's cumulative counts in its checkpoint.

    crash_verify.py --csv fixes.csv --geojson study.geojson [...] \
        [--checkpoint state/checkpoint.json] [--json-out result.json]

Prints one JSON object and exits 1 if any fix is lost, doubled, stored
without being in the file, or stored at another position, or if the
checkpoint's counts do not add up to the file's rows; 0 otherwise.
"""

import argparse
import csv
import json
import sys
from datetime import datetime, timezone


def to_ms(text):
    """UTC "yyyy-MM-dd HH:mm:ss[.SSS]" or ISO 8601 ("...T...Z") to epoch ms."""
    t = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return round(t.timestamp() * 1000)


def read_csv(path):
    """The distinct fixes of the file, and counts of what else it holds."""
    distinct = {}
    rows = duplicates = conflicts = unreadable = 0
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        col = {name: i for i, name in enumerate(header)}
        i_time, i_lat, i_lon = col["timestamp"], col["location-lat"], col["location-long"]
        i_tag, i_ind = col["tag-local-identifier"], col["individual-local-identifier"]
        for row in reader:
            rows += 1
            try:
                key = (row[i_ind], to_ms(row[i_time]), row[i_tag])
                pos = (float(row[i_lat]), float(row[i_lon]))
            except (IndexError, ValueError):
                unreadable += 1  # a row the daemon's parser refuses too
                continue
            if not (-90 <= pos[0] <= 90 and -180 <= pos[1] <= 180):
                unreadable += 1
                continue
            old = distinct.get(key)
            if old is None:
                distinct[key] = pos
            elif old == pos:
                duplicates += 1
            else:
                conflicts += 1  # the server keeps the first and refuses this one
    return distinct, rows, duplicates, conflicts, unreadable


def points(path):
    """(individual, timestamp, tag, lat, lon) of each feature of a GeoJSON
    FeatureCollection. wetlink writes one feature per line; a file laid out
    otherwise is read whole."""

    def point(feat):
        p = feat["properties"]
        lon, lat = feat["geometry"]["coordinates"][:2]
        return (p["individual-local-identifier"], p["timestamp"], p["tag-local-identifier"],
                lat, lon)

    out = []
    with open(path, encoding="utf-8") as f:
        if f.readline().strip() == '{"type":"FeatureCollection","features":[':
            for line in f:
                line = line.strip().rstrip(",")
                if line.startswith("{"):
                    out.append(point(json.loads(line)))
                elif line not in ("]}", ""):
                    break  # not the layout expected
            else:
                return out
    with open(path, encoding="utf-8") as f:
        return [point(feat) for feat in json.load(f)["features"]]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--csv", required=True, help="the Movebank CSV pushed")
    ap.add_argument("--geojson", required=True, nargs="+", help="tracks export, one per study")
    ap.add_argument("--checkpoint", help="wetlink-ingest's checkpoint.json")
    ap.add_argument("--json-out", help="also write the result here")
    args = ap.parse_args()

    distinct, rows, file_duplicates, conflicts, unreadable = read_csv(args.csv)
    stored = {}
    doubled = moved = extra = 0
    for path in args.geojson:
        for individual, timestamp, tag, lat, lon in points(path):
            key = (individual, to_ms(timestamp), tag)
            if key in stored:
                doubled += 1
                continue
            stored[key] = (lat, lon)
            want = distinct.get(key)
            if want is None:
                extra += 1
            elif want != (lat, lon):
                moved += 1
    lost = sum(1 for key in distinct if key not in stored)

    result = {
        "rows": rows, "distinct": len(distinct), "file_duplicates": file_duplicates,
        "file_conflicts": conflicts, "file_unreadable": unreadable,
        "stored": len(stored), "lost": lost, "doubled": doubled, "extra": extra, "moved": moved,
    }
    problems = []
    if lost or doubled or extra or moved:
        problems.append("stored fixes differ from the file's distinct fixes")
    if args.checkpoint:
        with open(args.checkpoint, encoding="utf-8") as f:
            files = json.load(f)["files"]
        counts = [v["counts"] for v in files.values()]
        total = {k: sum(c[k] for c in counts)
                 for k in ("rows", "accepted", "duplicates", "updated", "refused_fixes")}
        total["rejected"] = sum(sum(c["rejected"].values()) for c in counts)
        total["complete"] = all(v["complete"] for v in files.values())
        result["daemon"] = total
        # Every row once; a batch stored but not acknowledged before a kill
        # comes back as duplicates, so only the sum is exact.
        if total["rows"] != rows or not total["complete"]:
            problems.append("the checkpoint does not cover every row exactly once")
        if total["accepted"] + total["duplicates"] + total["updated"] + total["rejected"] != rows:
            problems.append("accepted + duplicates + updated + rejected != rows")
        if total["rejected"] != conflicts + unreadable:
            problems.append("rejected rows differ from the file's bad rows")
        if total["accepted"] > len(distinct):
            problems.append("more fixes accepted than the file holds")
        result["resent_duplicates"] = total["duplicates"] - file_duplicates
    result["problems"] = problems
    text = json.dumps(result)
    print(text)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
