"""TechEmpower's Fortunes test (issue 14): the application-shaped benchmark. Per request a server
queries the `fortune` table of a PostgreSQL database, adds one fortune in memory, sorts by message
and renders an escaped HTML template. Gale (`./gale-demo fortunes`: JDBC through HikariCP on virtual
threads, Pebble via render), Vert.x (peers/vertx VertxFortunes: vertx-pg-client, vertx-web's Pebble
template engine) and Tornado (peers/tornado/fortunes.py: asyncpg, Tornado's own templates), all
against one local PostgreSQL that the harness starts (initdb/pg_ctl as an unprivileged user, on a
free port, in a temporary directory, TechEmpower's 12 fortune rows), not pinned: the database must
not be what limits the servers, and only the server's own CPU time counts in its figure. Measured with wrk like the other scenarios, in rounds of their own:
requests per server CPU-second, and the database's CPU (its whole process tree) reported apart."""
import contextlib
import html.parser
import http.client
import os
import pwd
import shutil
import socket
import statistics
import subprocess
import tempfile
import time

from .env import JAVA, JVM_FLAGS, PEERS_DIR, PYTHON, log
from .load import Scenario
from .peers import GALE_DEMOS_CP, Peer, _jar
from .stats import errors_row, num, round_ratios

SCENARIOS = ["fortunes-c128"]
PEERS = ["gale-fortunes", "vertx-fortunes", "tornado-fortunes"]
DB_USER, DB_PASSWORD, DB_NAME = "benchmarkdbuser", "benchmarkdbpass", "hello_world"
POOL = 16  # database connections per server, the same for all three
SERVER_USER = "nobody"  # initdb and postgres refuse root

# TechEmpower's fortune rows (toolset/databases/postgres/create-postgres.sql)
ROWS = [
    (1, "fortune: No such file or directory"),
    (2, "A computer scientist is someone who fixes things that aren't broken."),
    (3, "After enough decimal places, nobody gives a damn."),
    (4, "A bad random number generator: 1, 1, 4, 33, 2, 1, 3, 2, 1, 3, 2, 3, 33, 2, 42."),
    (5, "A computer program does what you tell it to do, not what you want it to do."),
    (6, "Emacs is a nice operating system, but I prefer UNIX. \u2014 Tom Christaensen"),
    (7, "Any program that runs right is obsolete."),
    (8, "A list is only as strong as its weakest link. \u2014 Donald Knuth"),
    (9, "Feature: A bug with seniority."),
    (10, "Computers make very fast, very accurate mistakes."),
    (11, "<script>alert(\"This should not be displayed in a browser alert box.\");</script>"),
    (12, "\u30d5\u30ec\u30fc\u30e0\u30ef\u30fc\u30af\u306e\u30d9\u30f3\u30c1\u30de\u30fc\u30af"),
]
EXTRA = (0, "Additional fortune added at request time.")


def scenarios():
    return [Scenario("fortunes-c128", "/fortunes", 128, family="fortunes")]


def expected_rows():
    return sorted(ROWS + [EXTRA], key=lambda r: r[1])


# ------------------------------------------------------------------------------- PostgreSQL

def pg_bin():
    root = "/usr/lib/postgresql"
    versions = []
    if os.path.isdir(root):
        for v in os.listdir(root):
            b = os.path.join(root, v, "bin")
            if v.replace(".", "").isdigit() and os.access(os.path.join(b, "initdb"), os.X_OK):
                versions.append((float(v), b))
    if versions:
        return max(versions)[1]
    if shutil.which("initdb") and shutil.which("pg_ctl"):
        return os.path.dirname(shutil.which("initdb"))
    return None


def ensure_packages():
    """Debian's postgresql (server and psql) and python3-asyncpg (Tornado's driver); installed with
    apt-get when missing and root, as the harness does for wrk and python3-tornado."""
    missing = []
    if pg_bin() is None:
        missing.append("postgresql")
    if subprocess.run([PYTHON, "-c", "import asyncpg"], capture_output=True).returncode != 0:
        missing.append("python3-asyncpg")
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit("the Fortunes scenario needs Debian packages %s: apt-get install %s" % (
            missing, " ".join(missing)))
    log("installing Debian packages: %s" % " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(["apt-get", "install", "-y", "-q"] + missing, env=env, timeout=600).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-q"] + missing, env=env, timeout=600, check=True)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throw-away PostgreSQL: initdb into a temporary directory (trust authentication, superuser
    benchmarkdbuser), pg_ctl start on 127.0.0.1 and a free port, pinned to the client's CPU, with
    TechEmpower's hello_world database and fortune table. As root, the server runs as `nobody`
    (runuser). stop() stops it and deletes the directory. Every command is bounded in time."""

    def __init__(self, logdir):
        self.bin = pg_bin()
        if self.bin is None:
            raise SystemExit("PostgreSQL is not installed: apt-get install postgresql")
        self.root = os.geteuid() == 0
        self.dir = tempfile.mkdtemp(prefix="gale-bench-pg-")
        self.data = os.path.join(self.dir, "data")
        self.logfile = os.path.join(logdir, "postgres.log")
        self.port = None
        if self.root:
            u = pwd.getpwnam(SERVER_USER)
            os.chown(self.dir, u.pw_uid, u.pw_gid)

    def _run(self, argv, **kw):
        cmd = (["runuser", "-u", SERVER_USER, "--"] if self.root else []) + argv
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=self.dir, **kw)
        if r.returncode != 0:
            raise RuntimeError("%s exited %d:\n%s%s" % (" ".join(cmd), r.returncode, r.stdout, r.stderr))
        return r.stdout

    def start(self):
        self._run([os.path.join(self.bin, "initdb"), "-D", self.data, "-A", "trust", "-U", DB_USER, "--no-sync",
                   "-E", "UTF8", "--no-locale"])
        server_log = os.path.join(self.dir, "server.log")
        for attempt in range(3):
            self.port = _free_port()
            try:
                self._run([os.path.join(self.bin, "pg_ctl"), "-D", self.data,
                           "-l", server_log, "-w", "-t", "60", "-o",
                           "-h 127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                           "-c max_connections=200 -c shared_buffers=128MB" % (self.port, self.dir), "start"])
                break
            except RuntimeError:
                with open(server_log) as f:
                    if "already in use" not in f.read() or attempt == 2:
                        raise
        self.psql("postgres", "CREATE DATABASE %s" % DB_NAME)
        values = ",\n".join("(%d, '%s')" % (i, m.replace("'", "''")) for i, m in ROWS)
        self.psql(DB_NAME, "CREATE TABLE fortune (id integer NOT NULL PRIMARY KEY, message varchar(2048) NOT NULL);\n"
                           "INSERT INTO fortune (id, message) VALUES\n%s;\nANALYZE fortune;" % values)
        log("postgres: %s on 127.0.0.1:%d (pid %d), %s" % (self.bin, self.port, self.pid(), self.url()))
        return self

    def psql(self, db, sql):
        r = subprocess.run([os.path.join(self.bin, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
                            "-p", str(self.port), "-U", DB_USER, "-d", db], input=sql, capture_output=True, text=True,
                           timeout=60, env=dict(os.environ, PGCONNECT_TIMEOUT="10"))
        if r.returncode != 0:
            raise RuntimeError("psql: %s%s" % (r.stdout, r.stderr))

    def pid(self):
        """The postmaster's pid: its process tree holds every backend."""
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            return int(f.readline())

    def url(self):
        return "postgresql://%s:%s@127.0.0.1:%d/%s" % (DB_USER, DB_PASSWORD, self.port, DB_NAME)

    def stop(self):
        try:
            if self.port is not None and os.path.exists(os.path.join(self.data, "postmaster.pid")):
                self._run([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", "fast", "-w", "-t", "60", "stop"])
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            log("postgres stop: %s" % e)
        finally:
            try:
                shutil.copyfile(os.path.join(self.dir, "server.log"), self.logfile)
            except OSError:
                pass
            shutil.rmtree(self.dir, ignore_errors=True)


@contextlib.contextmanager
def database(logdir):
    pg = Postgres(logdir)
    try:
        yield pg.start()
    finally:
        pg.stop()


# ---------------------------------------------------------------------------------- checks

class _Rows(html.parser.HTMLParser):
    """The (id, message) rows of a Fortunes page, messages with character references decoded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows, self.cell, self.cells, self.scripts = [], None, [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.cells = []
        elif tag in ("td", "th"):
            self.cell = ""
        elif tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.cells.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.cells:
            self.rows.append(self.cells)

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def check_page(body):
    """Problems with a Fortunes page (as TechEmpower's verifier: parsed, not compared byte for byte)."""
    p = _Rows()
    p.feed(body)
    out = []
    if p.scripts:
        out.append("a <script> element: the message was not escaped")
    if not p.rows or p.rows[0] != ["id", "message"]:
        out.append("no header row <th>id</th><th>message</th>")
    got = [tuple(r) for r in p.rows[1:]]
    want = [(str(i), m) for i, m in expected_rows()]
    if got != want:
        out.append("rows differ: got %r, want %r" % (got[:3], want[:3]))
    return out


def check(port):
    out = []
    for attempt in range(2):  # the first request of a pool may race its connections' start
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        try:
            conn.request("GET", "/fortunes")
            r = conn.getresponse()
            body = r.read().decode("utf-8")
            out = []
            if r.status != 200:
                out.append("/fortunes: status %d" % r.status)
            ctype = (r.getheader("Content-Type") or "").lower().replace(" ", "")
            if not ctype.startswith("text/html") or "charset=utf-8" not in ctype:
                out.append("/fortunes: Content-Type %r, not text/html; charset=utf-8" % r.getheader("Content-Type"))
            for name in ("Server", "Date"):
                if not r.getheader(name):
                    out.append("/fortunes: no %s header" % name)
            out += ["/fortunes: " + p for p in check_page(body)]
        except (OSError, http.client.HTTPException, UnicodeDecodeError) as e:
            out = ["/fortunes: %s" % e]
        finally:
            conn.close()
        if not out:
            return out
        time.sleep(0.5)
    return out


# ----------------------------------------------------------------------------------- peers

def peers(db_url):
    """name -> Peer for the family's servers, all on the database at db_url."""
    common = dict(ready_path="/fortunes", check=check, warm_paths=("/fortunes",))

    def gale(port, extra):
        return [JAVA] + JVM_FLAGS + extra + ["-cp", GALE_DEMOS_CP, "io.gale.demos.Demos", "fortunes",
                                             "--port", str(port), "--db", db_url, "--pool", str(POOL)]

    def vertx(port, extra):
        return [JAVA] + JVM_FLAGS + extra + ["-cp", _jar("vertx", "peer-vertx"), "io.gale.bench.peers.VertxFortunes",
                                             "--port", str(port), "--db", db_url, "--pool", str(POOL)]

    def tornado(port, extra):
        return [PYTHON, os.path.join(PEERS_DIR, "tornado", "fortunes.py"), "--port", str(port), "--db", db_url,
                "--pool", str(POOL)]

    out = [Peer("gale-fortunes", "Gale (JDBC/HikariCP on virtual threads, Pebble)", True, gale, **common),
           Peer("vertx-fortunes", "Vert.x (vertx-pg-client, Pebble engine)", True, vertx, **common),
           Peer("tornado-fortunes", "Tornado (asyncpg, Tornado templates)", False, tornado, **common)]
    return {p.name: p for p in out}


# ---------------------------------------------------------------------------------- report

def targets(load):
    rows = []
    for what, ref, bar in (("Gale ≥ 1.0× Vert.x per server CPU-s", "vertx-fortunes", 1.0),
                           ("Gale ≥ 10× Tornado per server CPU-s", "tornado-fortunes", 10.0)):
        ratios = round_ratios(load, "gale-fortunes", ref, SCENARIOS[0])
        if not ratios:
            rows.append((what, "-", "not measured"))
            continue
        m = statistics.median(ratios)
        text = "%.2f×" % m if len(ratios) == 1 else "%.2f× [%.2f–%.2f]" % (m, min(ratios), max(ratios))
        rows.append((what, text, "met" if m >= bar else "MISSED"))
    rows.append(errors_row(load, "gale-fortunes", "Gale's Fortunes runs"))
    return rows


def report(load, label, spread, table):
    rows_all = [r for r in load if r["scenario"] in SCENARIOS]
    if not rows_all:
        return []
    md = ["\n## TechEmpower Fortunes (issue 14): a query of 12 rows, one row added, a sort, an escaped template; "
          "PostgreSQL unpinned, %d connections per server" % POOL]
    md.append("\n### issue 14's Fortunes targets, this run (pinned; per server CPU-second, median of within-round "
              "ratios)\n")
    md += table(["target", "measured", ""], [list(r) for r in targets(rows_all)])
    rounds = len({r["round"] for r in rows_all})
    present = [p for p in PEERS if any(r["peer"] == p for r in rows_all)]
    for metric, title in (("rps", "req/s"), ("rps_per_srv_cpu", "requests per server CPU-second"),
                          ("srv_cores", "server CPU (cores)"),
                          ("db_us_per_req", "database CPU per request (µs; PostgreSQL's process tree)"),
                          ("p99_ms", "p99 latency (ms)")):
        md.append("\n### fortunes-c128: %s, median [min–max] of %d round(s)\n" % (title, rounds))
        cells = []
        for p in present:
            vals = []
            for r in rows_all:
                if r["peer"] != p:
                    continue
                if metric == "db_us_per_req":
                    db, n = num(r.get("db_cpu_s")), num(r["requests"])
                    vals.append(db / n * 1e6 if db is not None and n else None)
                else:
                    vals.append(num(r[metric]))
            cells.append([label(p), spread(vals)[1]])
        md += table(["server", title], cells)
    for ref in ("vertx-fortunes", "tornado-fortunes"):
        ratios = round_ratios(rows_all, "gale-fortunes", ref, SCENARIOS[0])
        if ratios:
            md.append("\nGale ÷ %s per server CPU-second, by round: %s" % (
                label(ref), ", ".join("%.2f×" % x for x in ratios)))
    return md
