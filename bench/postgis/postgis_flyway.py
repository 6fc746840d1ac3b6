#!/usr/bin/env python3
"""PostGIS side of the flyway benchmark: Wetlink's "links between sites"
question answered by PostgreSQL 15 + PostGIS, from the raw fixes and from a
pre-aggregated table, on the same Movebank CSV as the ingest benchmark.
Python 3 standard library only; the server is driven through `psql`.
The cluster, the CSV load and the site assignment are postgis_ingest.py's
(imported, not copied).

  setup (untimed, reported)
      fresh initdb cluster on 127.0.0.1:<port>, PostGIS, the sites with a GiST
      index; the CSV COPYed into staging and inserted into `fixes` (primary
      key (tag, timestamp), duplicates dropped, the site assigned with
      ST_Contains in the same INSERT: postgis_ingest.py's default path), with
      the taxon as one more column; index on (individual, timestamp);
      VACUUM (ANALYZE).
  links from raw fixes (timed, --runs times each, median)
      ONE statement with window functions: per individual its in-site,
      non-outlier fixes in time order; a new visit starts where the site
      differs from the previous in-site fix or more than 72 h have passed
      since it (gaps and islands); a visit of >= 24 h is a stopover;
      consecutive stopovers at different sites are a transition; grouped by
      (from, to): distinct individuals, transitions, median travel time.
      Once for everything, once filtered by species (taxon) and a window on
      the departure time, as Wetlink selects transitions.
  pre-aggregated (timed separately)
      build: CREATE TABLE stopovers AS / transitions AS (the same SQL),
      indexes on (taxon, departure), ANALYZE (--runs times, median); then
      the filtered link query on `transitions` --queries times in one psql
      session with \\timing on: p50 and p99 latency.

The SQL does less than Wetlink: no 12 h excursion rule, no stays outside
sites (discovered sites); and where sites overlap a fix gets the lowest id, as
in postgis_ingest.py, unless --site-rule smallest-area (Wetlink's rule). See
bench/postgis/README.md, "Flyway links".

Usage:
  bench/postgis/postgis_flyway.py --fixes fixes.csv --sites sites.geojson \\
      [--runs 3] [--queries 200] [--port N] [--workdir DIR] [--json-out FILE] [--keep]
      [--species TAXON] [--from DATE] [--to DATE] [--site-rule lowest-id|smallest-area]
      [--wetlink-links links.json] [--wetlink-links-filtered links.json]

Exit status: 0 on success, 1 on error, 2 on bad arguments, 130 when
interrupted. The server is stopped and the work folder removed in every case
(unless --keep).
"""

import argparse
import datetime
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import postgis_ingest as pi  # noqa: E402  (the cluster and loading helpers)

GAP_TOLERANCE_H = 72   # Wetlink's max_gap default
MIN_STAY_H = 24        # Wetlink's min_stay default

# Movebank's outlier convention, as Wetlink's graph::IsUsableFix: a fix marked
# invisible or as a manual outlier is left out unless marked valid.
USABLE_FIX = "(manually_marked_valid IS TRUE OR (visible AND manually_marked_outlier IS NOT TRUE))"

# --site-rule smallest-area: Wetlink's rule where sites overlap (the smallest
# site by geodesic area, ties to the lower id; pipeline/site_assigner.h), with
# the areas computed once into sites.area_m2. The default, lowest-id, is
# postgis_ingest.py's SITE_OF_POINT.
SITE_OF_POINT_SMALLEST = (
    "(SELECT st.id FROM sites st "
    "WHERE ST_Contains(st.geom, ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326)) "
    "ORDER BY st.area_m2, st.id LIMIT 1)")
SITES_AREA_SQL = ("ALTER TABLE sites ADD COLUMN area_m2 double precision;\n"
                  "UPDATE sites SET area_m2 = ST_Area(geom::geography);\nANALYZE sites;\n")


def stopovers_sql(taxon_filter=""):
    """Stopovers from the raw fixes (gaps and islands over the in-site fixes)."""
    return f"""SELECT ind, taxon, site_id, min(ts) AS arrival, max(ts) AS departure, count(*) AS fixes
  FROM (SELECT ind, taxon, site_id, ts,
               count(*) FILTER (WHERE new_visit) OVER (PARTITION BY ind ORDER BY ts) AS visit
          FROM (SELECT individual_local_identifier AS ind, taxon, site_id, ts,
                       site_id IS DISTINCT FROM lag(site_id) OVER w
                         OR ts - lag(ts) OVER w > interval '{GAP_TOLERANCE_H} hours' AS new_visit
                  FROM fixes
                 WHERE site_id IS NOT NULL AND {USABLE_FIX}{taxon_filter}
                WINDOW w AS (PARTITION BY individual_local_identifier ORDER BY ts)) p
       ) v
 GROUP BY ind, visit, site_id, taxon
HAVING max(ts) - min(ts) >= interval '{MIN_STAY_H} hours'"""


# Consecutive stopovers of an individual at different sites.
TRANSITIONS_SQL = """SELECT ind, taxon, from_site, to_site, departure, arrival
  FROM (SELECT ind, taxon, site_id AS to_site, arrival,
               lag(site_id) OVER s AS from_site, lag(departure) OVER s AS departure
          FROM stopovers
        WINDOW s AS (PARTITION BY ind ORDER BY arrival)) t
 WHERE from_site <> to_site"""


def links_sql(where=""):
    """Links from a `transitions` relation. percentile_cont(0.5) is the mean
    of the two middle values for an even count, as Wetlink's median."""
    return f"""SELECT from_site, to_site, count(DISTINCT ind) AS individuals, count(*) AS transitions,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM arrival - departure))
              / 3600)::numeric, 3) AS median_travel_h
  FROM transitions{where}
 GROUP BY from_site, to_site
 ORDER BY individuals DESC, transitions DESC, from_site, to_site"""


def filter_parts(args):
    taxon = f" AND taxon = {pi.sql_literal(args.species)}"
    window = (f"taxon = {pi.sql_literal(args.species)}"
              f" AND departure >= {pi.sql_literal(args.from_ts)}"
              f" AND departure < {pi.sql_literal(args.to_ts)}")
    return taxon, window


def raw_links_sql(args, filtered):
    """The whole question in one statement, from the raw fixes."""
    taxon, window = filter_parts(args) if filtered else ("", "")
    return (f"WITH stopovers AS (\n{stopovers_sql(taxon)}\n),\n"
            f"transitions AS (\n{TRANSITIONS_SQL}\n)\n"
            f"{links_sql(' WHERE ' + window if window else '')};")


def build_sql():
    """The pre-aggregated tables (each statement its own transaction)."""
    return (f"CREATE TABLE stopovers AS\n{stopovers_sql()};\n"
            "CREATE INDEX stopovers_taxon_departure ON stopovers (taxon, departure);\n"
            "CREATE INDEX stopovers_ind_arrival ON stopovers (ind, arrival);\n"
            "ANALYZE stopovers;\n"
            f"CREATE TABLE transitions AS\n{TRANSITIONS_SQL};\n"
            "CREATE INDEX transitions_taxon_departure ON transitions (taxon, departure);\n"
            "ANALYZE transitions;\n")


def preagg_links_sql(args):
    return links_sql(" WHERE " + filter_parts(args)[1]) + ";"


def log(msg):
    print(f"postgis_flyway: {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- psql with \timing

TIME_LINE = re.compile(r"^Time: ([0-9]+(?:\.[0-9]+)?) ms")


def psql_timed(cl, sql, what):
    """Runs `sql` with \\timing on in one psql session. Returns (result lines,
    [ms per statement]): psql's own timing, from sending a statement to having
    its whole result, i.e. without connection start-up."""
    out = cl.psql("\\timing on\n" + sql, what=what)
    rows, times = [], []
    for line in out.splitlines():
        m = TIME_LINE.match(line)
        if m:
            times.append(float(m.group(1)))
        elif line and line != "Timing is on.":
            rows.append(line)
    return rows, times


def parse_links(rows):
    links = []
    for line in rows:
        f, t, ind, tr, med = line.split("|")
        links.append({"from": f, "to": t, "individuals": int(ind), "transitions": int(tr),
                      "median_travel_h": float(med)})
    return links


def percentile(values, q):
    """Nearest-rank percentile (q in 0..100): the smallest value with at
    least q % of the values at or below it."""
    s = sorted(values)
    return s[max(0, math.ceil(q / 100 * len(s)) - 1)]


def contention(usage):
    return usage.get("cpu_share_other")


# ---------------------------------------------------------------- Wetlink comparison


def compare_with_wetlink(path, links):
    """Compares PostGIS's links with `wetlink --format json flyway links`."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise pi.BenchError(f"cannot read Wetlink links '{path}': {e}") from e
    wl = {(l["from_id"], l["to_id"]): l for l in doc.get("links", [])}
    pg = {(l["from"], l["to"]): l for l in links}
    both = sorted(set(wl) & set(pg))
    same = [k for k in both if wl[k]["individuals"] == pg[k]["individuals"]
            and wl[k]["transitions"] == pg[k]["transitions"]]
    # Wetlink's median is in whole milliseconds; ours rounded to 3.6 s.
    same_median = [k for k in same if abs(int(wl[k]["median_travel_ms"]) / 3.6e6
                                          - pg[k]["median_travel_h"]) < 0.002]
    wl_top = sorted(wl.values(), key=lambda l: (-l["individuals"], -l["transitions"],
                                                 l["from_id"], l["to_id"]))
    return {
        "file": os.path.abspath(path),
        "wetlink_links": len(wl), "postgis_links": len(pg),
        "in_both": len(both), "identical_counts": len(same),
        "identical_counts_and_median": len(same_median),
        "only_postgis": [list(k) for k in sorted(set(pg) - set(wl))],
        "only_wetlink": [list(k) for k in sorted(set(wl) - set(pg))],
        "wetlink_transitions": sum(l["transitions"] for l in wl.values()),
        "postgis_transitions": sum(l["transitions"] for l in pg.values()),
        "differing": [{"from": k[0], "to": k[1],
                       "wetlink": [wl[k]["individuals"], wl[k]["transitions"],
                                   round(int(wl[k]["median_travel_ms"]) / 3.6e6, 3)],
                       "postgis": [pg[k]["individuals"], pg[k]["transitions"],
                                   pg[k]["median_travel_h"]]}
                      for k in both if k not in same],
        "wetlink_top": [[l["from_id"], l["to_id"], l["individuals"], l["transitions"]]
                        for l in wl_top[:10]],
    }


# ---------------------------------------------------------------- the benchmark


def run(args, pg_bin, work_root, settings, os_user, sites, csv_rows):
    cl = pi.Cluster(pg_bin, os.path.join(work_root, "cluster"), args.port, settings, os_user)
    r = {}
    try:
        # ---- setup (untimed for the comparison, but reported)
        setup = {}
        t0 = time.monotonic()
        r["postgres_version"], r["postgis_version"] = pi.start_cluster(cl, sites)
        cl.psql(pi.STAGING_DDL + pi.FIXES_DDL + "ALTER TABLE fixes ADD COLUMN taxon text;\n",
                what="creating tables")
        smallest = args.site_rule == "smallest-area"
        if smallest:
            cl.psql(SITES_AREA_SQL, what="site areas")
        r["settings"] = pi.effective_settings(cl)
        t1 = time.monotonic()
        setup["cluster_s"] = t1 - t0
        log("loading the CSV ...")
        phases, _total, counts = pi.load_fixes(
            cl, args.fixes, args.chunks, args.jobs, "insert", extra=[("taxon", "s.taxon")],
            site_of_point=SITE_OF_POINT_SMALLEST if smallest else None)
        setup.update(phases)
        r.update(counts)
        t2 = time.monotonic()
        cl.psql("DROP TABLE staging;\n"
                "CREATE INDEX fixes_individual_ts ON fixes (individual_local_identifier, ts);\n",
                what="index on (individual, ts)")
        t3 = time.monotonic()
        setup["index_s"] = t3 - t2
        cl.psql("VACUUM (ANALYZE) fixes;\nCHECKPOINT;\n", what="VACUUM")
        t4 = time.monotonic()
        setup["vacuum_s"] = t4 - t3
        setup["total_s"] = t4 - t0
        r["setup"] = setup
        stats = cl.query_value(
            f"SELECT count(*) || ' ' || count(*) FILTER (WHERE {USABLE_FIX}) || ' ' || "
            f"count(*) FILTER (WHERE site_id IS NOT NULL AND {USABLE_FIX}) || ' ' || "
            "count(DISTINCT individual_local_identifier) FROM fixes;").split()
        (r["fixes_stored"], r["fixes_usable"], r["fixes_usable_in_site"],
         r["individuals"]) = map(int, stats)
        r["duplicates_skipped"] = r["rows_in"] - r["rows_stored"]
        r["fixes_table_bytes"] = int(cl.query_value("SELECT pg_total_relation_size('fixes');"))
        if r["rows_in"] != csv_rows:
            log(f"warning: COPY loaded {r['rows_in']} rows, the file has {csv_rows} data lines")
        log(f"setup {setup['total_s']:.1f} s: {r['fixes_stored']:,} fixes stored, "
            f"{r['fixes_usable_in_site']:,} usable in a site")

        queries = {"unfiltered": raw_links_sql(args, False), "filtered": raw_links_sql(args, True)}
        r["sql"] = {"links_from_raw_fixes": queries["unfiltered"],
                    "links_from_raw_fixes_filtered": queries["filtered"],
                    "pre_aggregation": build_sql(), "links_pre_aggregated": preagg_links_sql(args)}
        r["plans"] = {k: cl.psql("EXPLAIN (COSTS OFF) " + q, what="EXPLAIN")
                      for k, q in queries.items()}

        # ---- links from the raw fixes
        raw = {k: {"runs_s": []} for k in queries}
        mark = pi.cpu_mark(cl.pgdata)
        for i in range(1, args.runs + 1):
            for k, q in queries.items():
                rows, times = psql_timed(cl, q, f"links from raw fixes ({k})")
                raw[k]["runs_s"].append(times[-1] / 1000)
                links = parse_links(rows)
                if "links" in raw[k] and links != raw[k]["links"]:
                    raise pi.BenchError(f"links from raw fixes ({k}): run {i} gave another answer")
                raw[k]["links"] = links
                log(f"run {i}/{args.runs}: links from raw fixes ({k}) {times[-1] / 1000:.2f} s, "
                    f"{len(links)} links")
        raw_usage = pi.cpu_usage(mark, pi.cpu_mark(cl.pgdata))
        for v in raw.values():
            v["median_s"] = statistics.median(v["runs_s"])
        r["raw"] = raw
        r["raw_cpu"] = raw_usage

        # ---- pre-aggregated tables
        builds = []
        mark = pi.cpu_mark(cl.pgdata)
        for i in range(1, args.runs + 1):
            if i > 1:
                cl.psql("DROP TABLE transitions;\nDROP TABLE stopovers;\n", what="DROP")
            tb = time.monotonic()
            _, times = psql_timed(cl, build_sql(), "pre-aggregation")
            builds.append({"wall_s": time.monotonic() - tb,
                           "statements_ms": times})
            log(f"run {i}/{args.runs}: pre-aggregation built in {builds[-1]['wall_s']:.2f} s")
        build_usage = pi.cpu_usage(mark, pi.cpu_mark(cl.pgdata))
        sizes = cl.query_value(
            "SELECT (SELECT count(*) FROM stopovers) || ' ' || (SELECT count(*) FROM transitions) "
            "|| ' ' || pg_total_relation_size('stopovers') || ' ' || "
            "pg_total_relation_size('transitions');").split()
        r["preagg"] = {
            "build_runs_s": [b["wall_s"] for b in builds],
            "build_median_s": statistics.median(b["wall_s"] for b in builds),
            "build_statements_ms": builds[-1]["statements_ms"],
            "stopovers": int(sizes[0]), "transitions": int(sizes[1]),
            "stopovers_bytes": int(sizes[2]), "transitions_bytes": int(sizes[3]),
            "build_cpu": build_usage,
        }

        # The answer first (untimed), then the timed repetitions.
        q = preagg_links_sql(args)
        rows, _ = psql_timed(cl, q, "pre-aggregated links")
        pre_links = parse_links(rows)
        r["preagg"]["links"] = pre_links
        r["preagg"]["plan"] = cl.psql("EXPLAIN (COSTS OFF) " + q, what="EXPLAIN")
        mark = pi.cpu_mark(cl.pgdata)
        _, times = psql_timed(cl, "\\o /dev/null\n" + (q + "\n") * args.queries,
                              "pre-aggregated links, repeated")
        q_usage = pi.cpu_usage(mark, pi.cpu_mark(cl.pgdata))
        if len(times) != args.queries:
            raise pi.BenchError(f"expected {args.queries} timings from psql, got {len(times)}")
        r["preagg"].update({
            "queries": args.queries, "query_ms": times,
            "query_p50_ms": percentile(times, 50), "query_p99_ms": percentile(times, 99),
            "query_mean_ms": statistics.fmean(times), "query_cpu": q_usage,
        })
        r["preagg_matches_raw"] = pre_links == raw["filtered"]["links"]
        if not r["preagg_matches_raw"]:
            log("warning: the pre-aggregated answer differs from the one from raw fixes")
        return r
    finally:
        pi.shutdown_cluster(cl, args.keep)


# ---------------------------------------------------------------- report


def link_table(links, n, file, indent="    "):
    if not links:
        return
    print(f"{indent}{'from':<14} {'to':<14} {'individuals':>11} {'transitions':>11} "
          f"{'median travel (h)':>17}", file=file)
    for l in links[:n]:
        print(f"{indent}{l['from']:<14} {l['to']:<14} {l['individuals']:>11} "
              f"{l['transitions']:>11} {l['median_travel_h']:>17.1f}", file=file)


def print_summary(res, file=sys.stdout):
    mv = re.match(r'POSTGIS="([^" ]+)', res["postgis_version"])
    s, raw, pre = res["setup"], res["raw"], res["preagg"]
    print(f"PostGIS flyway links: {res['postgres_version'].split(' on ')[0]}, "
          f"PostGIS {mv.group(1) if mv else '?'}; {res['runs']} run(s); overlapping sites: "
          f"{res['rules']['overlapping_sites']}", file=file)
    print(f"  input: {res['input']['csv_rows']:,} CSV rows "
          f"({pi.human_bytes(res['input']['csv_bytes'])}), {res['input']['sites']} sites", file=file)
    print(f"  setup (untimed): {s['total_s']:.1f} s (cluster {s['cluster_s']:.1f}, copy "
          f"{s['copy_s']:.1f}, insert+sites {s['insert_s']:.1f}, index {s['index_s']:.1f}, "
          f"vacuum {s['vacuum_s']:.1f}); {res['fixes_stored']:,} fixes stored "
          f"({res['duplicates_skipped']:,} duplicates skipped), {res['fixes_usable']:,} "
          f"usable, {res['fixes_usable_in_site']:,} of them in a site; "
          f"{res['individuals']} individuals", file=file)
    f = res["filter"]
    for k, label in (("unfiltered", "all"),
                     ("filtered", f"{f['species']}, departures {f['from']} .. {f['to']}")):
        runs = " · ".join(f"{x:.2f}" for x in raw[k]["runs_s"])
        print(f"  links from raw fixes ({label}): median {raw[k]['median_s']:.2f} s "
              f"(runs {runs} s), {len(raw[k]['links'])} links", file=file)
    print(f"  pre-aggregation: build median {pre['build_median_s']:.2f} s "
          f"({pre['stopovers']:,} stopovers, {pre['transitions']:,} transitions)", file=file)
    print(f"  pre-aggregated link query ({f['species']}, window), {pre['queries']} times: "
          f"p50 {pre['query_p50_ms']:.2f} ms, p99 {pre['query_p99_ms']:.2f} ms, "
          f"{len(pre['links'])} links (same answer as from raw fixes: "
          f"{'yes' if res['preagg_matches_raw'] else 'NO'})", file=file)
    all_links = raw["unfiltered"]["links"]
    print(f"  top {min(res['top'], len(all_links))} links of {len(all_links)} (all species, "
          f"all time), by individuals:", file=file)
    link_table(all_links, res["top"], file)
    for key, label in (("wetlink_comparison", "all"), ("wetlink_comparison_filtered", "filtered")):
        c = res.get(key)
        if not c:
            continue
        print(f"  Wetlink ({label}): {c['wetlink_links']} links, {c['wetlink_transitions']} "
              f"transitions; PostGIS {c['postgis_links']} links, {c['postgis_transitions']} "
              f"transitions; {c['in_both']} links in both, {c['identical_counts']} with the same "
              f"individuals and transitions ({c['identical_counts_and_median']} also the same median "
              f"travel time); only PostGIS {len(c['only_postgis'])}, only Wetlink "
              f"{len(c['only_wetlink'])}", file=file)
        if label == "all":
            print("    Wetlink's top: " + ", ".join(f"{a}->{b} {i}/{t}"
                                                  for a, b, i, t in c["wetlink_top"]), file=file)
    shares = [u.get("cpu_share_other") for u in (res["raw_cpu"], pre["build_cpu"],
                                                 pre["query_cpu"])]
    shares = [x for x in shares if x is not None]
    if shares and max(shares) > 0.10:
        print(f"  note: other processes used up to {100 * max(shares):.0f} % of the machine's CPU "
              f"({os.cpu_count()} CPUs) during the timed phases: the figures are not reliable",
              file=file)


# ---------------------------------------------------------------- main


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="PostGIS side of the flyway benchmark: Wetlink's links between sites "
                    "(individuals, transitions, median travel time) computed in PostgreSQL 15 + "
                    "PostGIS, with one window-function statement over the raw fixes and from "
                    "pre-aggregated stopover/transition tables.")
    p.add_argument("--fixes", required=True, help="Movebank event CSV written by wetlink-sim")
    p.add_argument("--sites", required=True,
                   help="GeoJSON FeatureCollection of site polygons (EPSG:4326), property 'id'")
    p.add_argument("--runs", type=int, default=3,
                   help="runs of each raw-fixes query and of the pre-aggregation build "
                        "(median reported; default 3)")
    p.add_argument("--queries", type=int, default=200,
                   help="repetitions of the pre-aggregated link query (default 200)")
    p.add_argument("--species", default="Grus monacha",
                   help="taxon of the filtered queries (individual-taxon-canonical-name; "
                        "default 'Grus monacha', Wetlink's HC)")
    p.add_argument("--from", dest="from_date", default="2021-01-01",
                   help="window start of the filtered queries, UTC (default 2021-01-01)")
    p.add_argument("--to", dest="to_date", default="2022-01-01",
                   help="window end (exclusive) of the filtered queries, UTC (default 2022-01-01)")
    p.add_argument("--port", type=int, default=0, help="loopback TCP port (default: a free one)")
    p.add_argument("--workdir", help="parent folder of the temporary folder holding the cluster "
                                     "(default: $TMPDIR or /tmp); it must be searchable by the "
                                     "server user. The temporary folder is removed at the end")
    p.add_argument("--json-out", help="write the figures, links and SQL to this JSON file")
    p.add_argument("--top", type=int, default=10, help="links shown in the summary (default 10)")
    p.add_argument("--wetlink-links", metavar="FILE",
                   help="`wetlink --format json flyway links` on the same data: compared")
    p.add_argument("--wetlink-links-filtered", metavar="FILE",
                   help="the same with --species and --from/--to: compared with the filtered answer")
    p.add_argument("--site-rule", choices=("lowest-id", "smallest-area"), default="lowest-id",
                   help="site of a fix inside overlapping sites: the lowest id (default, as "
                        "postgis_ingest.py) or the smallest by geodesic area (as Wetlink)")
    p.add_argument("--jobs", type=int, default=min(os.cpu_count() or 1, 8),
                   help="parallel sessions for the load (default: the number of CPUs, at most 8)")
    p.add_argument("--shared-buffers", help="shared_buffers (default: 25%% of RAM, 128MB..8GB)")
    p.add_argument("--pg-setting", action="append", default=[], metavar="NAME=VALUE",
                   help="extra postgresql.conf setting (repeatable)")
    p.add_argument("--pg-bin", help="PostgreSQL binaries (default /usr/lib/postgresql/15/bin)")
    p.add_argument("--server-user", default="postgres",
                   help="OS user running the server when this script runs as root (default postgres)")
    p.add_argument("--keep", action="store_true", help="keep the cluster and its log")
    a = p.parse_args(argv)
    if a.runs < 1:
        p.error("--runs must be at least 1")
    if a.queries < 1:
        p.error("--queries must be at least 1")
    if a.jobs < 1:
        p.error("--jobs must be at least 1")
    for s in a.pg_setting:
        if "=" not in s:
            p.error(f"--pg-setting {s!r}: expected NAME=VALUE")
    times = []
    for name, v in (("--from", a.from_date), ("--to", a.to_date)):
        for fmt in ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
            try:
                times.append(datetime.datetime.strptime(v, fmt))
                break
            except ValueError:
                pass
        else:
            p.error(f"{name} {v!r}: expected yyyy-MM-dd or yyyy-MM-dd HH:mm:ss")
    if times[0] >= times[1]:
        p.error("--from must be before --to")
    a.from_ts, a.to_ts = (t.strftime("%Y-%m-%d %H:%M:%S+00") for t in times)
    return a


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    pi.install_signal_handlers(log)
    work_root = None
    try:
        pg_bin = pi.find_pg_bin(args.pg_bin)
        pi.check_csv(args.fixes)
        sites = pi.read_sites(args.sites)
        if args.port == 0:
            args.port = pi.free_loopback_port()
        elif not pi.port_is_free(args.port):
            raise pi.BenchError(f"port 127.0.0.1:{args.port} is in use")
        os_user = pi.server_os_user(args.server_user)
        work_root = pi.make_work_root(args.workdir, os_user, prefix="postgis-flyway-")
        settings = pi.server_settings(args)
        csv_bytes, csv_rows = pi.warm_file(args.fixes)
        args.chunks = pi.csv_chunks(args.fixes, args.jobs)
        log(f"{csv_rows:,} CSV rows, {len(sites)} sites, port {args.port}, work folder {work_root}")

        r = run(args, pg_bin, work_root, settings, os_user, sites, csv_rows)
        result = {
            "benchmark": "postgis_flyway",
            "created_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "host": {"machine": platform.machine(), "cpus": os.cpu_count(),
                     "ram_bytes": pi.total_ram_bytes(), "kernel": platform.release()},
            "input": {"fixes_csv": os.path.abspath(args.fixes), "csv_bytes": csv_bytes,
                      "csv_rows": csv_rows, "sites_geojson": os.path.abspath(args.sites),
                      "sites": len(sites)},
            "runs": args.runs, "top": args.top,
            "rules": {"gap_tolerance_h": GAP_TOLERANCE_H, "min_stay_h": MIN_STAY_H,
                      "excursion_rule": False, "stays_outside_sites": False,
                      "overlapping_sites": args.site_rule},
            "filter": {"species": args.species, "from": args.from_ts, "to": args.to_ts},
            "configured_settings": settings,
            "effective_settings": r.pop("settings"),
            **r,
        }
        if args.wetlink_links:
            result["wetlink_comparison"] = compare_with_wetlink(
                args.wetlink_links, r["raw"]["unfiltered"]["links"])
        if args.wetlink_links_filtered:
            result["wetlink_comparison_filtered"] = compare_with_wetlink(
                args.wetlink_links_filtered, r["raw"]["filtered"]["links"])
        print_summary(result)
        if args.json_out:
            with open(args.json_out, "w", encoding="utf-8") as f:
                json.dump(result, f, indent=2)
                f.write("\n")
            log(f"wrote {args.json_out}")
        return 0
    except pi.BenchError as e:
        log(f"error: {e}")
        return 1
    except (KeyboardInterrupt, pi.Interrupted) as e:
        log(f"interrupted ({e or 'SIGINT'})")
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if work_root:
            if args.keep:
                log(f"kept {work_root}")
            else:
                shutil.rmtree(work_root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
