#!/usr/bin/env python3
"""PostGIS baseline for the Wetlink ingest benchmark.

Loads a Movebank event CSV (as written by `wetlink-sim`) into PostgreSQL 15 +
PostGIS with the guarantees Wetlink gives, assigns every fix to the catalogue
site that contains it, and reports throughput and disk bytes per stored fix.
Python 3 standard library only; the server is driven through `psql`.

What one run does (each run starts from scratch):

  setup (untimed)   fresh `initdb` cluster in the work folder, started with
                    pg_ctl on 127.0.0.1:<port> only (unix socket in the work
                    folder), `CREATE EXTENSION postgis`, the site polygons
                    inserted with ST_GeomFromGeoJSON, a GiST index on them,
                    the empty `fixes` table with its primary key.
  copy    (timed)   COPY the CSV, streamed by psql over the loopback TCP
                    connection, into an UNLOGGED staging table with typed
                    columns. The CSV may hold the same fix more than once (the
                    simulator re-sends fixes, as real tags do), and a plain
                    COPY into a table with a primary key would abort on the
                    first duplicate; so, as a real team would, we stage first.
                    With --jobs N (default: the CPUs, at most 8) the file is
                    cut at row starts into N ranges copied by N sessions.
  insert  (timed)   INSERT ... SELECT ... FROM staging ON CONFLICT DO NOTHING
                    into the durable `fixes` table (primary key
                    (tag_local_identifier, timestamp), the identity Wetlink
                    uses). With --assign insert (the default) the same
                    statement assigns the site: a correlated sub-select finds
                    the site polygon that ST_Contains the fix (GiST index on
                    sites; min(id) if sites overlap). Every row is written
                    once, durably, at commit. With --jobs N, N sessions each
                    insert the tags with hashtext(tag) % N = i, so that no
                    two sessions ever insert the same key.
  assign  (timed)   only with --assign update: the textbook two-step variant,
                    `UPDATE fixes SET site_id = s.id FROM sites s WHERE
                    ST_Contains(s.geom, fixes.geom)` after a site-less insert.
                    It writes a second version of every assigned row (and of
                    its primary-key entry), so it is slower and leaves the
                    table about twice as big after a plain VACUUM; it is kept
                    for comparison, the default is the single-statement form.
  measure (untimed) the staging table is dropped, then VACUUM (ANALYZE) fixes
                    (its duration reported separately), CHECKPOINT, and disk
                    bytes: pg_total_relation_size('fixes') (heap + TOAST +
                    primary key + free-space and visibility maps) and the
                    whole data directory including pg_wal, each also per
                    stored fix.

The total time is copy + insert (+ assign): from the first CSV byte read to
the commit of the last statement, after which every fix is durable and has its
site. Each statement commits on its own (autocommit), so a crash after the
insert keeps every fix. fixes/s = CSV data rows / total. The CPU time used by
the server, by psql and by anything else during the timed phases is recorded,
and the summary warns when other processes took more than 10 % of the machine.

Server settings: PostgreSQL defaults (fsync=on, synchronous_commit=on,
full_page_writes=on, wal_level=replica, max_wal_size=1GB, ...) except memory:
shared_buffers (25 % of RAM, between 128MB and 8GB), work_mem=64MB,
maintenance_work_mem=1GB, effective_cache_size (50 % of RAM), and
timezone=UTC. --pg-setting NAME=VALUE overrides or adds any setting (e.g. to
see the effect of max_wal_size); the effective values are written to the JSON.
See bench/postgis/README.md for the reasons and the caveats.

Usage:
  bench/postgis/setup.sh        # installs postgresql-15, postgresql-15-postgis-3
  bench/postgis/postgis_ingest.py --fixes fixes.csv --sites sites.geojson \
      [--runs 3] [--port N] [--workdir DIR] [--json-out FILE] [--jobs N]
      [--assign insert|update] [--pg-setting NAME=VALUE ...] [--keep]

Exit status: 0 on success, 1 on error, 2 on bad arguments, 130 when
interrupted. The server is stopped and the work folder removed in every case
(unless --keep).
"""

import argparse
import datetime
import json
import os
import platform
import pwd
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

CSV_HEADER = (
    "event-id,visible,timestamp,location-long,location-lat,height-above-ellipsoid,gps:hdop,"
    "gps:satellite-count,ground-speed,heading,manually-marked-outlier,sensor-type,"
    "individual-taxon-canonical-name,tag-local-identifier,individual-local-identifier,study-name"
)

DB_USER = "bench"
DB_NAME = "postgres"

# The staging table mirrors the CSV column for column (COPY matches by
# position), typed so that COPY parses and validates. UNLOGGED: it is a
# transient buffer, not part of what is durably stored.
STAGING_DDL = """
CREATE UNLOGGED TABLE staging (
  event_id          bigint,
  visible           boolean,
  ts                timestamp,          -- "yyyy-MM-dd HH:mm:ss.SSS", UTC
  lon               double precision,
  lat               double precision,
  height_m          real,
  hdop              real,
  satellites        smallint,
  ground_speed_mps  real,
  heading_deg       real,
  manually_marked_outlier boolean,
  sensor_type       text,
  taxon             text,
  tag_local_identifier        text,
  individual_local_identifier text,
  study_name        text
);
"""

# The durable table. Columns are what Wetlink stores for a fix
# (telemetry/fix.h) plus the individual, the assigned site and the point
# geometry. Ordered widest-alignment first so that no padding is wasted; the
# CSV's precision fits the types (lat/lon 7 decimals need float8; height, hdop,
# speed and heading have 1-2 decimals and fit float4). sensor-type, taxon and
# study name are per deployment, not per fix, and are not stored per row.
FIXES_DDL = """
CREATE TABLE fixes (
  ts                timestamptz      NOT NULL,   -- timestamp
  lat               double precision NOT NULL,   -- location-lat
  lon               double precision NOT NULL,   -- location-long
  event_id          bigint,                      -- event-id
  height_m          real,                        -- height-above-ellipsoid
  hdop              real,                        -- gps:hdop
  ground_speed_mps  real,                        -- ground-speed
  heading_deg       real,                        -- heading
  satellites        smallint,                    -- gps:satellite-count
  visible           boolean          NOT NULL,   -- visible
  manually_marked_outlier boolean,               -- manually-marked-outlier
  manually_marked_valid   boolean,               -- manually-marked-valid
  tag_local_identifier        text   NOT NULL,   -- tag-local-identifier
  individual_local_identifier text,              -- individual-local-identifier
  site_id           text,                        -- assigned site (sites.id), NULL outside every site
  geom              geometry(Point, 4326)
                    GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
  PRIMARY KEY (tag_local_identifier, ts)
);
"""

SITES_DDL = """
CREATE TABLE sites (
  id   text PRIMARY KEY,
  name text,
  geom geometry(MultiPolygon, 4326) NOT NULL
);
"""

INSERT_COLUMNS = (
    "ts, lat, lon, event_id, height_m, hdop, ground_speed_mps, heading_deg, satellites, visible, "
    "manually_marked_outlier, tag_local_identifier, individual_local_identifier"
)
SELECT_COLUMNS = (
    "s.ts AT TIME ZONE 'UTC', s.lat, s.lon, s.event_id, s.height_m, s.hdop, s.ground_speed_mps, "
    "s.heading_deg, s.satellites, s.visible, s.manually_marked_outlier, s.tag_local_identifier, "
    "s.individual_local_identifier"
)

# The site of a fix: the polygon that contains it, found through the GiST
# index on sites; where sites overlap, the lowest id (min() is deterministic
# and cheaper than ORDER BY id LIMIT 1, which sorts per fix).
SITE_OF_POINT = ("(SELECT min(st.id) FROM sites st "
                 "WHERE ST_Contains(st.geom, ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326)))")


def job_filter(column, job, jobs):
    """The rows of one of `jobs` parallel sessions: all fixes of a tag go to the
    same session, so that no two sessions ever insert the same key (which
    could make ON CONFLICT wait on the other session, or deadlock)."""
    if jobs == 1:
        return ""
    return f"(hashtext({column}) & 2147483647) % {jobs} = {job}"


def insert_sql(with_site, job=0, jobs=1, extra=(), site_of_point=None):
    """--assign insert: one statement stores each fix once, with its site.
    --assign update: the insert without the site (the UPDATE follows).
    For bench/postgis/postgis_flyway.py: `extra`, further (column, expression
    over staging s) pairs for a `fixes` table with more columns, and
    `site_of_point`, another site expression than SITE_OF_POINT."""
    where = job_filter("s.tag_local_identifier", job, jobs)
    columns = INSERT_COLUMNS + "".join(f", {c}" for c, _ in extra)
    values = SELECT_COLUMNS + "".join(f", {e}" for _, e in extra)
    site = site_of_point or SITE_OF_POINT
    return (f"INSERT INTO fixes ({columns}{', site_id' if with_site else ''})\n"
            f"SELECT {values}{', ' + site if with_site else ''}\n"
            f"  FROM staging s{' WHERE ' + where if where else ''}\n"
            "ON CONFLICT (tag_local_identifier, ts) DO NOTHING;")


def update_sites_sql(job=0, jobs=1):
    where = job_filter("f.tag_local_identifier", job, jobs)
    return ("UPDATE fixes f SET site_id = st.id FROM sites st\n"
            f" WHERE ST_Contains(st.geom, f.geom){' AND ' + where if where else ''};")


COPY_SQL = "COPY staging FROM STDIN WITH (FORMAT csv)"


REPORTED_SETTINGS = (
    "server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_level",
    "wal_sync_method", "wal_compression", "wal_buffers", "max_wal_size", "min_wal_size",
    "checkpoint_timeout", "data_checksums", "shared_buffers", "work_mem",
    "maintenance_work_mem", "effective_cache_size", "jit", "max_parallel_workers_per_gather",
    "TimeZone", "listen_addresses", "unix_socket_directories",
)


class BenchError(Exception):
    pass


class Interrupted(BaseException):
    pass


def log(msg):
    print(f"postgis_ingest: {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- helpers


def human_bytes(n):
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024.0
    return str(n)


def free_loopback_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_is_free(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def total_ram_bytes():
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 4 << 30


def dir_bytes(path):
    """Bytes allocated on disk under `path` (like `du -s --block-size=1`)."""
    total = 0
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            try:
                st = os.lstat(os.path.join(root, name))
            except FileNotFoundError:  # a WAL segment recycled meanwhile
                continue
            total += st.st_blocks * 512
    return total


def system_cpu_s():
    """(busy, total) CPU seconds of the whole machine since boot (/proc/stat);
    steal time counts as busy: it was not available to us."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            v = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    hz = os.sysconf("SC_CLK_TCK")
    idle = v[3] + (v[4] if len(v) > 4 else 0)  # idle + iowait
    total = sum(v[:8])  # guest time is already counted in user
    return (total - idle) / hz, total / hz


def proc_cpu_s(pid, with_children):
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0, None
    # fields[0] is field 3 (state): utime is field 14, stime 15, cutime 16, cstime 17.
    t = int(fields[11]) + int(fields[12])
    if with_children:
        t += int(fields[13]) + int(fields[14])
    return t / os.sysconf("SC_CLK_TCK"), int(fields[1])


def cluster_cpu_s(pgdata):
    """CPU seconds used so far by a running cluster: the postmaster, its live
    children (checkpointer, WAL writer, ...) and the children it has reaped
    (every finished backend)."""
    try:
        with open(os.path.join(pgdata, "postmaster.pid"), encoding="ascii") as f:
            pm = int(f.readline().strip())
    except (OSError, ValueError):
        return None
    total = proc_cpu_s(pm, True)[0]
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) != pm:
            t, ppid = proc_cpu_s(name, False)
            if ppid == pm:
                total += t
    return total


def client_cpu_s():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def find_pg_bin(explicit):
    candidates = [explicit] if explicit else ["/usr/lib/postgresql/15/bin"]
    for d in candidates:
        if d and all(os.access(os.path.join(d, b), os.X_OK) for b in ("initdb", "pg_ctl", "psql")):
            return d
    raise BenchError(
        f"PostgreSQL 15 binaries not found in {candidates[0]} "
        "(run bench/postgis/setup.sh, or pass --pg-bin)")


def read_sites(path):
    """Site features of a GeoJSON FeatureCollection: [(id, name, geometry json)]."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise BenchError(f"cannot read sites GeoJSON '{path}': {e}") from e
    if doc.get("type") != "FeatureCollection":
        raise BenchError(f"'{path}': expected a GeoJSON FeatureCollection")
    crs = ((doc.get("crs") or {}).get("properties") or {}).get("name", "")
    if crs and not any(tag in crs for tag in ("CRS84", "4326")):
        raise BenchError(f"'{path}': CRS {crs!r} is not EPSG:4326 / CRS84")
    sites = []
    seen = set()
    for i, feat in enumerate(doc.get("features") or []):
        props = feat.get("properties") or {}
        geom = feat.get("geometry") or {}
        sid = props.get("id")
        if sid is None:
            raise BenchError(f"'{path}': feature {i} has no 'id' property")
        sid = str(sid)
        if sid in seen:
            raise BenchError(f"'{path}': duplicate site id '{sid}' (feature {i})")
        seen.add(sid)
        if geom.get("type") not in ("Polygon", "MultiPolygon"):
            raise BenchError(f"'{path}': feature {i} ('{sid}') is a {geom.get('type')}, "
                             "expected Polygon or MultiPolygon")
        name = props.get("name_en") or props.get("name")
        sites.append((sid, None if name is None else str(name), json.dumps(geom)))
    if not sites:
        raise BenchError(f"'{path}': no features")
    return sites


def sql_literal(s):
    if s is None:
        return "NULL"
    return "'" + s.replace("'", "''") + "'"


def check_csv(path):
    try:
        with open(path, "rb") as f:
            first = f.readline().decode("utf-8", "replace").rstrip("\r\n")
    except OSError as e:
        raise BenchError(f"cannot read fixes CSV '{path}': {e}") from e
    if first != CSV_HEADER:
        raise BenchError(
            f"'{path}': unexpected header\n  got:      {first}\n  expected: {CSV_HEADER}")


def warm_file(path):
    """Reads the file once so that every run starts with it in the page cache.
    Returns (bytes, data lines)."""
    size = 0
    lines = 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(8 << 20)
            if not chunk:
                break
            size += len(chunk)
            lines += chunk.count(b"\n")
    return size, max(lines - 1, 0)


# A data row starts with the event id (possibly empty), then visible and the
# timestamp; used to find row starts when splitting the file for parallel COPY
# (a quoted field could in principle hold a line break).
ROW_START = re.compile(rb"-?[0-9]*,(true|false),[0-9]{4}-")


def csv_chunks(path, n):
    """Splits the data rows (header excluded) into at most n byte ranges that
    start at row starts: [(start, length)], length None for the last one."""
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        bounds = [len(f.readline())]
        for i in range(1, n):
            pos = max(bounds[0] + (size - bounds[0]) * i // n, bounds[-1])
            f.seek(max(pos - 1, 0))
            pos += len(f.readline()) - 1  # to the start of the next line
            while pos < size:
                if ROW_START.match(f.read(64)):
                    break
                f.seek(pos)
                pos += len(f.readline())
            if pos >= size:
                break
            if pos > bounds[-1]:
                bounds.append(pos)
    bounds.append(size)
    chunks = [(a, b - a) for a, b in zip(bounds, bounds[1:])]
    chunks[-1] = (chunks[-1][0], None)
    return chunks


# ---------------------------------------------------------------- cluster


class Cluster:
    """One throw-away PostgreSQL cluster: initdb, pg_ctl start/stop, psql."""

    def __init__(self, pg_bin, run_dir, port, settings, os_user):
        self.pg_bin = pg_bin
        self.run_dir = run_dir
        self.pgdata = os.path.join(run_dir, "pgdata")
        self.logfile = os.path.join(run_dir, "server.log")
        self.port = port
        self.settings = settings
        self.os_user = os_user  # None: run server tools as ourselves
        self.started = False
        # A unix socket path is limited to ~107 bytes.
        self.sock_dir = run_dir if len(run_dir) < 80 else tempfile.mkdtemp(prefix="pgsock-")
        self.own_sock_dir = self.sock_dir != run_dir
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        self.env.update(PGHOST="127.0.0.1", PGPORT=str(port), PGUSER=DB_USER,
                        PGDATABASE=DB_NAME, PGCONNECT_TIMEOUT="10", PGAPPNAME="postgis_ingest",
                        LC_ALL="C")

    def _as_server_user(self, argv):
        if self.os_user:
            return ["runuser", "-u", self.os_user, "--"] + argv
        return argv

    def _run_tool(self, argv, what):
        p = subprocess.run(self._as_server_user(argv), env=self.env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if p.returncode != 0:
            raise BenchError(f"{what} failed (exit {p.returncode}):\n{p.stdout.strip()}"
                             + self.log_tail())
        return p.stdout

    def log_tail(self, n=20):
        try:
            with open(self.logfile, encoding="utf-8", errors="replace") as f:
                lines = f.readlines()[-n:]
        except OSError:
            return ""
        return "\n--- server log (tail) ---\n" + "".join(lines) if lines else ""

    def init(self):
        os.makedirs(self.run_dir, exist_ok=True)
        if self.os_user:
            pw = pwd.getpwnam(self.os_user)
            os.chown(self.run_dir, pw.pw_uid, pw.pw_gid)
            if self.own_sock_dir:
                os.chown(self.sock_dir, pw.pw_uid, pw.pw_gid)
        self._run_tool([os.path.join(self.pg_bin, "initdb"), "-D", self.pgdata, "-U", DB_USER,
                        "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-instructions"],
                       "initdb")
        lines = ["", "# --- bench/postgis/postgis_ingest.py ---",
                 "listen_addresses = '127.0.0.1'",
                 f"port = {self.port}",
                 f"unix_socket_directories = '{self.sock_dir}'"]
        for k, v in self.settings.items():
            lines.append(f"{k} = '{v}'")
        with open(os.path.join(self.pgdata, "postgresql.conf"), "a", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")

    def start(self):
        self.started = True  # from here on, stop() must run
        self._run_tool([os.path.join(self.pg_bin, "pg_ctl"), "start", "-D", self.pgdata,
                        "-l", self.logfile, "-w", "-t", "120"], "pg_ctl start")

    def stop(self):
        if not self.started:
            return
        pg_ctl = os.path.join(self.pg_bin, "pg_ctl")
        for mode in ("fast", "immediate"):
            p = subprocess.run(self._as_server_user(
                [pg_ctl, "stop", "-D", self.pgdata, "-m", mode, "-w", "-t", "60"]),
                env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL)
            if p.returncode == 0 or not os.path.exists(os.path.join(self.pgdata, "postmaster.pid")):
                self.started = False
                return
        # Last resort: kill the postmaster we started, by the pid it recorded.
        try:
            with open(os.path.join(self.pgdata, "postmaster.pid"), encoding="ascii") as f:
                pid = int(f.readline().strip())
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError):
            pass
        self.started = False

    def remove(self):
        shutil.rmtree(self.run_dir, ignore_errors=True)
        if self.own_sock_dir:
            shutil.rmtree(self.sock_dir, ignore_errors=True)

    def psql(self, sql, what="psql"):
        """Runs `sql` (several statements allowed, each committed on its own)
        in one session; returns psql's stdout (unaligned, tuples only)."""
        argv = [os.path.join(self.pg_bin, "psql"), "-X", "-At", "-v", "ON_ERROR_STOP=1"]
        p = subprocess.run(argv, env=self.env, input=sql, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            raise BenchError(f"{what} failed (exit {p.returncode}):\n{p.stderr.strip()}"
                             + self.log_tail())
        return p.stdout

    def psql_parallel(self, sqls, what, csv_path=None, chunks=None):
        """Runs the statements of `sqls` at the same time, one psql session
        each, and returns their outputs. With csv_path, statement i is a
        COPY ... FROM STDIN fed with byte range chunks[i] of that file."""
        argv = [os.path.join(self.pg_bin, "psql"), "-X", "-At", "-v", "ON_ERROR_STOP=1"]
        procs, helpers, files = [], [], []
        try:
            for i, sql in enumerate(sqls):
                out = tempfile.TemporaryFile()
                files.append(out)
                stdin = subprocess.DEVNULL
                if csv_path is not None:
                    start, length = chunks[i]
                    fd = os.open(csv_path, os.O_RDONLY)
                    os.lseek(fd, start, os.SEEK_SET)  # shared with the child
                    if length is None:
                        stdin = fd
                    else:
                        head = subprocess.Popen(["head", "-c", str(length)], stdin=fd,
                                                stdout=subprocess.PIPE)
                        os.close(fd)
                        helpers.append(head)
                        stdin = head.stdout
                procs.append(subprocess.Popen(argv + ["-c", sql], env=self.env, stdin=stdin,
                                              stdout=out, stderr=subprocess.STDOUT))
                # The file or pipe now belongs to psql.
                if hasattr(stdin, "close"):
                    stdin.close()
                elif stdin != subprocess.DEVNULL:
                    os.close(stdin)
            pending = set(range(len(procs)))
            failed = None
            while pending:
                for i in list(pending):
                    rc = procs[i].poll()
                    if rc is not None:
                        pending.discard(i)
                        if rc != 0 and failed is None:
                            failed = i
                if failed is not None:
                    break
                time.sleep(0.002)
            outputs = []
            for f in files:
                f.seek(0)
                outputs.append(f.read().decode("utf-8", "replace"))
            if failed is not None:
                raise BenchError(f"{what} (session {failed + 1} of {len(procs)}) failed:\n"
                                 f"{outputs[failed].strip()}" + self.log_tail())
            return outputs
        finally:
            for p in procs + helpers:
                if p.poll() is None:
                    p.kill()
                p.wait()
            for f in files:
                f.close()

    def query_value(self, sql):
        return self.psql(sql).strip().splitlines()[-1]


def command_count(output, tag):
    """The row count of the last psql command tag `tag` (COPY n, INSERT 0 n, UPDATE n)."""
    for line in reversed(output.splitlines()):
        parts = line.split()
        if parts and parts[0] == tag:
            return int(parts[-1])
    raise BenchError(f"no '{tag}' command tag in psql output: {output!r}")


# ---------------------------------------------------------------- one run


def load_sites_sql(sites):
    rows = ",\n".join(
        f"({sql_literal(sid)}, {sql_literal(name)}, "
        f"ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON({sql_literal(g)}), 4326)))"
        for sid, name, g in sites)
    return (SITES_DDL + f"INSERT INTO sites (id, name, geom) VALUES\n{rows};\n"
            "CREATE INDEX sites_geom_gist ON sites USING gist (geom);\nANALYZE sites;\n")


def start_cluster(cl, sites):
    """Untimed setup (shared with postgis_flyway.py): initdb, start, PostGIS,
    the sites with their GiST index. Returns (postgres_version, postgis_version)."""
    cl.init()
    cl.start()
    versions = cl.psql(
        "CREATE EXTENSION postgis;\n"
        "SELECT version();\nSELECT postgis_full_version();\n", what="CREATE EXTENSION")
    v = versions.strip().splitlines()
    cl.psql(load_sites_sql(sites), what="loading sites")
    bad = int(cl.query_value("SELECT count(*) FROM sites WHERE NOT ST_IsValid(geom);"))
    if bad:
        log(f"warning: {bad} site polygon(s) are not valid; ST_Contains may misbehave on them")
    return v[-2], v[-1]


def effective_settings(cl):
    """The values of REPORTED_SETTINGS in the running server."""
    return dict(
        line.split("|", 1) for line in cl.psql(
            "SELECT name, setting || coalesce(' ' || unit, '') FROM pg_settings WHERE name IN ("
            + ", ".join(sql_literal(n) for n in REPORTED_SETTINGS) + ") ORDER BY name;"
        ).strip().splitlines())


def cpu_mark(pgdata):
    """CPU seconds used so far by the machine, the cluster and our psql children."""
    return system_cpu_s(), cluster_cpu_s(pgdata), client_cpu_s()


def cpu_usage(mark0, mark1):
    """Where the machine's CPU time went between two cpu_mark()s: to this
    benchmark (server + psql) or to anything else (which makes the figures
    unreliable). {} when /proc could not be read."""
    (sys0, srv0, cli0), (sys1, srv1, cli1) = mark0, mark1
    if not (sys0 and sys1 and srv0 is not None and srv1 is not None):
        return {}
    busy, capacity = sys1[0] - sys0[0], sys1[1] - sys0[1]
    u = {"cpu_s_server": srv1 - srv0, "cpu_s_psql": cli1 - cli0,
         "cpu_s_machine_busy": busy, "cpu_s_machine_capacity": capacity}
    u["cpu_share_other"] = (max(0.0, busy - u["cpu_s_server"] - u["cpu_s_psql"]) / capacity
                            if capacity > 0 else None)
    return u


def load_fixes(cl, fixes_path, chunks, jobs, assign, extra=(), site_of_point=None):
    """The timed phases (shared with postgis_flyway.py): COPY into staging
    (one session per chunk), the deduplicating INSERT into fixes (`jobs`
    sessions; with the site unless assign == "update"), and with
    assign == "update" the UPDATE assigning sites. `extra`, `site_of_point`:
    see insert_sql.
    Returns (phases {copy_s, insert_s[, assign_s]}, total_s,
    counts {rows_in, rows_stored[, rows_updated]})."""
    phases, counts = {}, {}
    t0 = time.monotonic()
    outs = cl.psql_parallel([COPY_SQL] * len(chunks), "COPY", fixes_path, chunks)
    t1 = time.monotonic()
    phases["copy_s"] = t1 - t0
    counts["rows_in"] = sum(command_count(o, "COPY") for o in outs)

    outs = cl.psql_parallel([insert_sql(assign == "insert", j, jobs, extra, site_of_point)
                             for j in range(jobs)], "INSERT")
    t2 = time.monotonic()
    phases["insert_s"] = t2 - t1
    counts["rows_stored"] = sum(command_count(o, "INSERT") for o in outs)

    if assign == "update":
        outs = cl.psql_parallel([update_sites_sql(j, jobs) for j in range(jobs)],
                                "UPDATE (site assignment)")
        t3 = time.monotonic()
        phases["assign_s"] = t3 - t2
        counts["rows_updated"] = sum(command_count(o, "UPDATE") for o in outs)
    else:
        t3 = t2
    return phases, t3 - t0, counts


def shutdown_cluster(cl, keep):
    """Stops the server and (unless keep) removes its folder; not to be cut
    short by a second Ctrl-C or a SIGTERM."""
    saved = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        cl.stop()
        if not keep:
            cl.remove()
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def one_run(args, run_no, pg_bin, work_root, settings, os_user, sites, csv_rows):
    run_dir = os.path.join(work_root, f"run-{run_no}")
    cl = Cluster(pg_bin, run_dir, args.port, settings, os_user)
    r = {"run": run_no}
    try:
        r["postgres_version"], r["postgis_version"] = start_cluster(cl, sites)
        cl.psql(STAGING_DDL + FIXES_DDL, what="creating tables")
        r["settings"] = effective_settings(cl)
        r["datadir_bytes_before"] = dir_bytes(cl.pgdata)
        ckpt_sql = ("SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter;")
        ckpt0 = int(cl.query_value(ckpt_sql))
        lsn0 = cl.query_value("SELECT pg_current_wal_lsn();")

        r["loadavg_1min_before"] = os.getloadavg()[0]
        mark0 = cpu_mark(cl.pgdata)
        phases, total, counts = load_fixes(cl, args.fixes, args.chunks, args.jobs, args.assign)
        r.update(counts)
        r["loadavg_1min_after"] = os.getloadavg()[0]
        r.update(cpu_usage(mark0, cpu_mark(cl.pgdata)))
        r["phases"] = phases
        r["total_s"] = total
        r["duplicates_skipped"] = r["rows_in"] - r["rows_stored"]
        r["fixes_per_s"] = r["rows_in"] / total if total > 0 else None
        r["stored_fixes_per_s"] = r["rows_stored"] / total if total > 0 else None

        lsn1 = cl.query_value("SELECT pg_current_wal_lsn();")
        r["wal_generated_bytes"] = int(cl.query_value(
            f"SELECT pg_wal_lsn_diff('{lsn1}', '{lsn0}')::bigint;"))
        r["checkpoints_during_load"] = int(cl.query_value(ckpt_sql)) - ckpt0

        cl.psql("DROP TABLE staging;", what="DROP staging")
        tv = time.monotonic()
        cl.psql("VACUUM (ANALYZE) fixes;", what="VACUUM")
        r["vacuum_s"] = time.monotonic() - tv
        cl.psql("CHECKPOINT;", what="CHECKPOINT")

        r["fixes_with_site"] = int(cl.query_value(
            "SELECT count(*) FROM fixes WHERE site_id IS NOT NULL;"))
        r["sites_used"] = int(cl.query_value(
            "SELECT count(DISTINCT site_id) FROM fixes WHERE site_id IS NOT NULL;"))
        r["fixes_in_several_sites"] = int(cl.query_value(
            "SELECT count(*) FROM (SELECT 1 FROM fixes f JOIN sites s ON ST_Contains(s.geom, f.geom) "
            "GROUP BY f.tag_local_identifier, f.ts HAVING count(*) > 1) x;")) if args.check_overlaps else None
        sizes = cl.query_value(
            "SELECT pg_total_relation_size('fixes') || ' ' || pg_relation_size('fixes') || ' ' || "
            "pg_indexes_size('fixes') || ' ' || coalesce(pg_total_relation_size(reltoastrelid), 0) "
            "FROM pg_class WHERE oid = 'fixes'::regclass;").split()
        r["table_bytes"], r["heap_bytes"], r["index_bytes"], r["toast_bytes"] = map(int, sizes)
        r["datadir_bytes"] = dir_bytes(cl.pgdata)
        r["wal_dir_bytes"] = dir_bytes(os.path.join(cl.pgdata, "pg_wal"))
        n = r["rows_stored"]
        r["table_bytes_per_fix"] = r["table_bytes"] / n if n else None
        r["datadir_bytes_per_fix"] = r["datadir_bytes"] / n if n else None
        r["datadir_growth_bytes_per_fix"] = (
            (r["datadir_bytes"] - r["datadir_bytes_before"]) / n if n else None)
        if r["rows_in"] != csv_rows:
            log(f"warning: COPY loaded {r['rows_in']} rows, the file has {csv_rows} data lines")
        return r
    finally:
        shutdown_cluster(cl, args.keep)


# ---------------------------------------------------------------- report


MEDIAN_KEYS = (
    "rows_in", "rows_stored", "duplicates_skipped", "fixes_with_site", "total_s", "fixes_per_s",
    "stored_fixes_per_s", "vacuum_s", "table_bytes", "heap_bytes", "index_bytes", "table_bytes_per_fix",
    "datadir_bytes", "wal_dir_bytes", "datadir_bytes_per_fix", "datadir_growth_bytes_per_fix",
    "wal_generated_bytes", "checkpoints_during_load", "cpu_s_server", "cpu_s_psql",
    "cpu_share_other",
)


def medians(runs):
    m = {}
    for k in MEDIAN_KEYS:
        vals = [r[k] for r in runs if r.get(k) is not None]
        if vals:
            m[k] = statistics.median(vals)
    m["phases"] = {k: statistics.median(r["phases"][k] for r in runs) for k in runs[0]["phases"]}
    return m


def print_run(r, file):
    ph = "  ".join(f"{k[:-2]} {v:7.2f} s" for k, v in r["phases"].items())
    print(f"  run {r['run']}: {ph}  total {r['total_s']:7.2f} s  {r['fixes_per_s']:>10,.0f} fixes/s  "
          f"table {r['table_bytes_per_fix']:6.1f} B/fix  datadir {r['datadir_bytes_per_fix']:6.1f} B/fix",
          file=file)


def print_summary(result, file=sys.stdout):
    runs, m = result["runs"], result["median"]
    mv = re.match(r'POSTGIS="([^" ]+)', result["postgis_version"])
    pgis = mv.group(1) if mv else "?"
    print(f"PostGIS baseline: {result['postgres_version'].split(' on ')[0]}, "
          f"PostGIS {pgis}; "
          f"site assignment: {result['assign_mode']}; {result['jobs']} parallel session(s)",
          file=file)
    print(f"  input: {result['input']['csv_rows']:,} CSV rows ({human_bytes(result['input']['csv_bytes'])}), "
          f"{result['input']['sites']} sites", file=file)
    for r in runs:
        print_run(r, file)
    ph = "  ".join(f"{k[:-2]} {v:.2f} s" for k, v in m["phases"].items())
    print(f"  median of {len(runs)}: {ph}  total {m['total_s']:.2f} s  "
          f"-> {m['fixes_per_s']:,.0f} fixes/s", file=file)
    print(f"  stored {m['rows_stored']:,.0f} fixes ({m['duplicates_skipped']:,.0f} duplicates skipped), "
          f"{m['fixes_with_site']:,.0f} with a site "
          f"({100.0 * m['fixes_with_site'] / m['rows_stored'] if m['rows_stored'] else 0:.1f} %)",
          file=file)
    print(f"  disk: fixes table+indexes {human_bytes(m['table_bytes'])} = "
          f"{m['table_bytes_per_fix']:.1f} B/fix; data dir incl. WAL {human_bytes(m['datadir_bytes'])} = "
          f"{m['datadir_bytes_per_fix']:.1f} B/fix (WAL written during load: "
          f"{human_bytes(m['wal_generated_bytes'])}, {m['checkpoints_during_load']:.0f} checkpoints)",
          file=file)
    other = [r["cpu_share_other"] for r in runs if r.get("cpu_share_other") is not None]
    if other and max(other) > 0.10:
        print(f"  note: other processes used up to {100 * max(other):.0f} % of the machine's CPU "
              f"({os.cpu_count()} CPUs) during the timed phases: the figures are not reliable",
              file=file)


# ---------------------------------------------------------------- main


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="PostGIS baseline: COPY a Movebank CSV into PostgreSQL 15 + PostGIS with "
                    "durable commits and a (tag, timestamp) primary key, assign sites with "
                    "ST_Contains, report fixes/s and disk bytes per fix.")
    p.add_argument("--fixes", required=True, help="Movebank event CSV written by wetlink-sim")
    p.add_argument("--sites", required=True,
                   help="GeoJSON FeatureCollection of site polygons (EPSG:4326), property 'id'")
    p.add_argument("--runs", type=int, default=3, help="number of runs, each on a fresh cluster (default 3)")
    p.add_argument("--port", type=int, default=0, help="loopback TCP port (default: a free one)")
    p.add_argument("--workdir", help="parent folder of the temporary folder holding the clusters "
                                     "(default: $TMPDIR or /tmp); it must be searchable by the "
                                     "server user. The temporary folder is removed at the end")
    p.add_argument("--json-out", help="write per-run figures and medians to this JSON file")
    p.add_argument("--assign", choices=("insert", "update"), default="insert",
                   help="site assignment: in the deduplicating INSERT ... SELECT (default, one "
                        "write per fix) or as a separate UPDATE ... FROM sites afterwards")
    p.add_argument("--jobs", type=int, default=min(os.cpu_count() or 1, 8),
                   help="parallel sessions for COPY, INSERT and UPDATE (default: the number of "
                        "CPUs, at most 8)")
    p.add_argument("--shared-buffers", help="shared_buffers (default: 25%% of RAM, 128MB..8GB)")
    p.add_argument("--pg-setting", action="append", default=[], metavar="NAME=VALUE",
                   help="extra postgresql.conf setting (repeatable), e.g. max_wal_size=8GB")
    p.add_argument("--pg-bin", help="PostgreSQL binaries (default /usr/lib/postgresql/15/bin)")
    p.add_argument("--server-user", default="postgres",
                   help="OS user running the server when this script runs as root (default postgres)")
    p.add_argument("--check-overlaps", action="store_true",
                   help="also count fixes inside more than one site (untimed, slow)")
    p.add_argument("--keep", action="store_true", help="keep the clusters and logs (and the work folder)")
    a = p.parse_args(argv)
    if a.runs < 1:
        p.error("--runs must be at least 1")
    if a.jobs < 1:
        p.error("--jobs must be at least 1")
    for s in a.pg_setting:
        if "=" not in s:
            p.error(f"--pg-setting {s!r}: expected NAME=VALUE")
    return a


def server_settings(args):
    ram = total_ram_bytes()
    mib = 1 << 20
    sb = args.shared_buffers or f"{max(128, min(8192, ram // 4 // mib))}MB"
    settings = {
        "shared_buffers": sb,
        "work_mem": "64MB",
        "maintenance_work_mem": "1GB",
        "effective_cache_size": f"{max(512, ram // 2 // mib)}MB",
        "timezone": "UTC",
        # Durability, stated explicitly although they are the defaults.
        "fsync": "on",
        "synchronous_commit": "on",
        "full_page_writes": "on",
    }
    for s in args.pg_setting:
        k, v = s.split("=", 1)
        settings[k.strip()] = v.strip()
    return settings


def install_signal_handlers(log_fn=None):
    """SIGINT, SIGTERM and SIGHUP raise Interrupted, so that `finally` blocks
    stop the server and clean up. SIGINT too, explicitly: a shell starts
    background jobs with it ignored."""
    log_fn = log_fn or log

    def on_signal(signum, _frame):
        name = signal.Signals(signum).name
        log_fn(f"{name}: stopping the server and cleaning up")
        raise Interrupted(name)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)


def server_os_user(name):
    """The OS user to run the server as: `name` when we are root (PostgreSQL
    refuses to run as root), None otherwise (the server runs as ourselves)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(name)
    except KeyError:
        raise BenchError(f"running as root and OS user '{name}' does not exist "
                         "(PostgreSQL refuses to run as root; pass --server-user)") from None
    return name


def make_work_root(workdir, os_user, prefix="postgis-bench-"):
    """A fresh temporary folder under `workdir` (default $TMPDIR or /tmp),
    owned by the server user when there is one, and checked to be usable by it."""
    parent = None
    if workdir:
        parent = os.path.abspath(workdir)
        os.makedirs(parent, exist_ok=True)
    work_root = tempfile.mkdtemp(prefix=prefix, dir=parent)
    if os_user:
        pw = pwd.getpwnam(os_user)
        os.chown(work_root, pw.pw_uid, pw.pw_gid)
        probe = subprocess.run(["runuser", "-u", os_user, "--", "test", "-w", work_root, "-a",
                                "-x", work_root])
        if probe.returncode != 0:
            shutil.rmtree(work_root, ignore_errors=True)
            raise BenchError(f"work folder '{work_root}' is not writable by '{os_user}' "
                             "(or a parent folder is not searchable); pass another --workdir")
    return work_root


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    install_signal_handlers()

    work_root = None
    try:
        pg_bin = find_pg_bin(args.pg_bin)
        check_csv(args.fixes)
        sites = read_sites(args.sites)
        if args.port == 0:
            args.port = free_loopback_port()
        elif not port_is_free(args.port):
            raise BenchError(f"port 127.0.0.1:{args.port} is in use")

        os_user = server_os_user(args.server_user)
        work_root = make_work_root(args.workdir, os_user)

        settings = server_settings(args)
        csv_bytes, csv_rows = warm_file(args.fixes)
        args.chunks = csv_chunks(args.fixes, args.jobs)
        log(f"{csv_rows:,} CSV rows, {len(sites)} sites, port {args.port}, work folder {work_root}")

        runs = []
        for i in range(1, args.runs + 1):
            log(f"run {i}/{args.runs} ...")
            r = one_run(args, i, pg_bin, work_root, settings, os_user, sites, csv_rows)
            runs.append(r)
            print_run(r, sys.stderr)

        result = {
            "benchmark": "postgis_ingest",
            "created_utc": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "host": {"machine": platform.machine(), "cpus": os.cpu_count(), "ram_bytes": total_ram_bytes(),
                     "kernel": platform.release()},
            "input": {"fixes_csv": os.path.abspath(args.fixes), "csv_bytes": csv_bytes,
                      "csv_rows": csv_rows, "sites_geojson": os.path.abspath(args.sites),
                      "sites": len(sites)},
            "assign_mode": args.assign,
            "jobs": args.jobs,
            "copy_sessions": len(args.chunks),
            "configured_settings": settings,
            "effective_settings": runs[0]["settings"],
            "postgres_version": runs[0]["postgres_version"],
            "postgis_version": runs[0]["postgis_version"],
            "runs": [{k: v for k, v in r.items()
                      if k not in ("settings", "postgres_version", "postgis_version")} for r in runs],
            "median": medians(runs),
        }
        print_summary(result)
        if args.json_out:
            with open(args.json_out, "w", encoding="utf-8") as f:
                json.dump(result, f, indent=2)
                f.write("\n")
            log(f"wrote {args.json_out}")
        return 0
    except BenchError as e:
        log(f"error: {e}")
        return 1
    except (KeyboardInterrupt, Interrupted) as e:
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
