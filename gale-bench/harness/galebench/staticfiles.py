"""The static-file scenario family (issue 12): files of 1 KiB, 64 KiB and 10 MiB served by Gale's
StaticFileHandler (the `staticfiles` demo), Vert.x's StaticHandler (peers/vertx --static-dir) and
nginx (Debian's nginx-light: sendfile on, one worker, access log off), measured with wrk like the
TechEmpower scenarios, in rounds of their own: requests and bytes per server CPU-second.

The files are made by the harness (seeded random bytes, so nothing compresses them by accident),
under <results>/static-root/static/; every server serves that directory as /static/, and every
file is checked byte for byte (and for Server and Date headers) before a server is loaded."""
import http.client
import os
import random
import shutil
import statistics
import subprocess

from .env import JAVA, JVM_FLAGS, log
from .load import Scenario
from .peers import GALE_DEMOS_CP, PEERS_DIR, Peer, _jar
from .stats import errors_row, metric_tables, round_ratios

# scenario, file, size, connections (10 MiB responses: 16 connections already fill loopback), duration
# factor (10 MiB: a server uses 5-20 % of its core, so a run of the usual length counts only 20-60 ticks
# of 10 ms of server CPU; three times as long)
FILES = [("static-1k", "file-1k.bin", 1024, 128, 1),
         ("static-64k", "file-64k.bin", 64 * 1024, 128, 1),
         ("static-10m", "file-10m.bin", 10 * 1024 * 1024, 16, 3)]
SCENARIOS = [f[0] for f in FILES]
PEERS = ["gale-static", "vertx-static", "nginx"]

NGINX_CONF = """# written by gale-bench/harness/galebench/staticfiles.py
worker_processes 1;
daemon off;
error_log {dir}/error.log;
pid {dir}/nginx.pid;
events {{ worker_connections 8192; }}
http {{
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path {dir}; proxy_temp_path {dir}; fastcgi_temp_path {dir}; uwsgi_temp_path {dir}; scgi_temp_path {dir};
  types {{ application/octet-stream bin; }}
  server {{
    listen 127.0.0.1:{port};
    location /static/ {{ root {root}; etag on; }}
  }}
}}
"""


def scenarios():
    return [Scenario(name, "/static/" + fname, conns, family="static", duration_factor=factor)
            for name, fname, _, conns, factor in FILES]


def make_root(out):
    """<out>/static-root with static/<file> for every scenario; returns the root."""
    root = os.path.join(out, "static-root")
    d = os.path.join(root, "static")
    os.makedirs(d, exist_ok=True)
    for _, fname, size, _, _ in FILES:
        path = os.path.join(d, fname)
        if not (os.path.exists(path) and os.path.getsize(path) == size):
            with open(path, "wb") as f:
                f.write(random.Random(size).randbytes(size))
    return root


def check(root):
    """Response checks for one server: every file whole and exact, with Server and Date headers."""
    def problems(port):
        out = []
        for _, fname, size, _, _ in FILES:
            path = "/static/" + fname
            with open(os.path.join(root, "static", fname), "rb") as f:
                expected = f.read()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                conn.request("GET", path)
                r = conn.getresponse()
                body = r.read()
                if r.status != 200:
                    out.append("%s: status %d" % (path, r.status))
                if body != expected:
                    out.append("%s: %d bytes, not the file's %d" % (path, len(body), size))
                for name in ("Server", "Date"):
                    if not r.getheader(name):
                        out.append("%s: no %s header" % (path, name))
            except (OSError, http.client.HTTPException) as e:
                out.append("%s: %s" % (path, e))
            finally:
                conn.close()
        return out
    return problems


def nginx_available():
    return shutil.which("nginx") is not None


def ensure_nginx():
    """Debian's nginx-light, installed with apt-get when missing and running as root."""
    if nginx_available():
        return
    if os.geteuid() != 0:
        raise SystemExit("the static-file scenarios need nginx: apt-get install nginx-light")
    log("installing Debian package: nginx-light")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(["apt-get", "install", "-y", "-q", "nginx-light"], env=env, timeout=600).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-q", "nginx-light"], env=env, timeout=600, check=True)


def peers(root):
    """name -> Peer for the family's servers, all serving <root>/static as /static/."""
    files = os.path.join(root, "static")
    common = dict(ready_path="/static/" + FILES[0][1], check=check(root),
                  warm_paths=tuple("/static/" + f[1] for f in FILES))

    def gale(port, extra):
        return [JAVA] + JVM_FLAGS + extra + ["-cp", GALE_DEMOS_CP, "io.gale.demos.Demos", "staticfiles",
                                             "--port", str(port), "--dir", files, "--no-access-log"]

    def vertx(port, extra):
        return [JAVA] + JVM_FLAGS + extra + ["-jar", _jar("vertx", "peer-vertx"), "--port", str(port),
                                             "--static-dir", files]

    def nginx(port, extra):
        d = os.path.join(root, "nginx-%d" % port)
        os.makedirs(d, exist_ok=True)
        conf = os.path.join(d, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(dir=d, port=port, root=root))
        return ["nginx", "-c", conf, "-p", d]

    out = [Peer("gale-static", "Gale StaticFileHandler", True, gale, **common),
           Peer("vertx-static", "Vert.x StaticHandler", True, vertx, **common),
           Peer("nginx", "nginx 1.22 (sendfile, 1 worker)", False, nginx, **common)]
    if not nginx_available():
        out[2].skip_reason = "nginx is not installed (apt-get install nginx-light)"
    return {p.name: p for p in out}


# ------------------------------------------------------------------------------------ report

def _ratio_cells(load, subject, ref, mode):
    cells = []
    for s in SCENARIOS:
        ratios = round_ratios(load, subject, ref, s, mode)
        if not ratios:
            cells.append("-")
        else:
            m = statistics.median(ratios)
            cells.append("%.2f×" % m if len(ratios) == 1 else "%.2f× [%.2f–%.2f]" % (m, min(ratios), max(ratios)))
    return cells


def targets(load):
    """[(target, measured, verdict)] for issue 12's static-file targets (pinned, per server CPU-second,
    median of within-round ratios)."""
    rows = []

    def row(what, ref, scenarios, bar, strict=False):
        got = []
        for s in scenarios:
            ratios = round_ratios(load, "gale-static", ref, s)
            got.append((s, statistics.median(ratios) if ratios else None))
        have = [(s, x) for s, x in got if x is not None]
        if not have:
            rows.append((what, "-", "not measured"))
            return
        text = ", ".join("%s %.2f×" % (s, x) for s, x in have)
        missing = [s for s, x in got if x is None]
        if any((x <= bar) if strict else (x < bar) for _, x in have):
            verdict = "MISSED"
        elif missing:
            verdict = "not measured: " + ", ".join(missing)
        else:
            verdict = "met"
        rows.append((what, text, verdict))

    row("1 KiB file ≥ 0.8× nginx per server CPU-s", "nginx", ["static-1k"], 0.8)
    row("10 MiB file ≥ 0.9× nginx per server CPU-s", "nginx", ["static-10m"], 0.9)
    row("ahead of Vert.x StaticHandler per server CPU-s", "vertx-static", SCENARIOS, 1.0, strict=True)
    rows.append(errors_row(load, "gale-static", "Gale's static runs"))
    return rows


# The report's tables: (load.csv column, title), and their heading (mode, title, rounds).
TABLE_METRICS = (("rps", "req/s"), ("rps_per_srv_cpu", "requests per server CPU-second"), ("mb_per_srv_cpu", "MiB sent per server CPU-second (wrk's Transfer/sec ÷ server cores)"))
TABLE_HEADING = "\n### static, %s: %s, median [min–max] of %d round(s)\n"


def report(load, label, spread, table):
    """Markdown lines of the family's section (empty when it did not run)."""
    rows_all = [r for r in load if r["scenario"] in SCENARIOS]
    if not rows_all:
        return []
    md = ["\n## Static files (issue 12): %s" % ", ".join(
        "%s = %s" % (name, fname) for name, fname, _, _, _ in FILES)]
    if any(r["peer"] == "gale-static" for r in rows_all):
        md.append("\n### issue 12's static-file targets, this run (pinned; per server CPU-second, median of "
                  "within-round ratios)\n")
        md += table(["target", "measured", ""], [list(r) for r in targets(rows_all)])
    for mode in [m for m in ("pinned", "unpinned") if any(r["mode"] == m for r in rows_all)]:
        present, tables = metric_tables(rows_all, mode, PEERS, SCENARIOS, TABLE_METRICS, TABLE_HEADING,
                                        label, spread, table)
        md += tables
        if "gale-static" in present:
            for ref in ("nginx", "vertx-static"):
                if ref in present:
                    md.append("\n### static, %s: Gale ÷ %s in requests per server CPU-second, same round, "
                              "median [min–max]\n" % (mode, label(ref)))
                    md += table(["server"] + SCENARIOS,
                                [[label("gale-static")] + _ratio_cells(rows_all, "gale-static", ref, mode)])
    return md
