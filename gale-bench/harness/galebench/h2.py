"""The HTTP/2 scenario family (issue 16): TechEmpower's /plaintext over h2c with prior knowledge
(16 and 128 connections, 100 concurrent streams each) and over HTTPS (TLS 1.3; HTTP/1.1 and h2 by
ALPN), measured with h2load (Debian's nghttp2-client) in rounds of their own: Gale's `bench` demo
with --http2 true, Vert.x and Netty with their HTTP/2 options, each also serving HTTPS on its port
+ TLS_PORT_OFFSET with a self-signed EC certificate the harness makes at run time (keytool).

h2load is pinned like wrk (CPU 1, one thread); every run has a warm-up part (--warm-up-time: the
connections and TLS handshakes are made, and the first streams run, before measuring), and the
server's CPU is sampled when h2load announces the start and the end of its main duration, so the
requests per server CPU-second cover exactly the window h2load counts requests in."""
import os
import re
import resource
import shutil
import subprocess
import threading
import time

from .env import CLIENT_CPU, JAVA, JDK, JVM_FLAGS, log
from .load import Scenario
from .peers import GALE_DEMOS_CP, Peer, _jar
from .proc import check_responses, probe_connection
from .stats import errors_row, metric_tables, round_ratios

TLS_PORT_OFFSET = 100
KEYSTORE_PASSWORD = "changeit"
WARM_UP_S = 1  # h2load --warm-up-time of every measured run

# name -> (scheme, connections, streams per connection, ALPN / protocol forced, what)
SPECS = {
    "h2c-plaintext-c16": ("h2c", 16, 100, "h2c", "h2c prior knowledge, 16 connections × 100 streams"),
    "h2c-plaintext-c128": ("h2c", 128, 100, "h2c", "h2c prior knowledge, 128 connections × 100 streams"),
    "tls-h1-plaintext": ("https", 128, 1, "http/1.1", "HTTPS (TLS 1.3) HTTP/1.1 (h2load --h1), 128 connections, "
                                                       "no pipelining"),
    "tls-h2-plaintext": ("https", 16, 100, "h2", "HTTPS (TLS 1.3) h2 by ALPN, 16 connections × 100 streams"),
}
SCENARIOS = list(SPECS)
PEERS = ["gale-h2", "vertx-h2", "netty-h2"]
H2C = ["h2c-plaintext-c16", "h2c-plaintext-c128"]


def scenarios():
    return [Scenario(name, "/plaintext", spec[1], family="h2") for name, spec in SPECS.items()]


def ensure_h2load():
    """Debian's nghttp2-client (h2load), installed with apt-get when missing and running as root."""
    if shutil.which("h2load"):
        return
    if os.geteuid() != 0:
        raise SystemExit("the HTTP/2 scenarios need h2load: apt-get install nghttp2-client")
    log("installing Debian package: nghttp2-client")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    if subprocess.run(["apt-get", "install", "-y", "-q", "nghttp2-client"], env=env, timeout=600).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-q", "nghttp2-client"], env=env, timeout=600, check=True)


def make_keystore(out):
    """<out>/h2-tls/bench.p12: a fresh self-signed EC P-256 key and certificate for 127.0.0.1
    (the JDK's keytool), read by all three servers."""
    d = os.path.join(out, "h2-tls")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "bench.p12")
    if not os.path.exists(path):
        subprocess.run([os.path.join(JDK, "bin", "keytool"), "-genkeypair", "-alias", "bench", "-keyalg", "EC",
                        "-groupname", "secp256r1", "-validity", "7", "-storetype", "PKCS12", "-keystore", path,
                        "-storepass", KEYSTORE_PASSWORD, "-keypass", KEYSTORE_PASSWORD, "-dname", "CN=localhost",
                        "-ext", "san=ip:127.0.0.1,dns:localhost"], check=True, capture_output=True, timeout=120)
    return path


def counted(name):
    """h2 over TLS runs a number of requests (-n), not a duration: at the end of a timed TLS run h2load
    1.52 may wait forever ("Stopped all clients", then nothing) for connections the server keeps open,
    and with an inactivity timeout (-N) it trips an assertion in its libev (epoll_modify, invalid fd).
    The measured window is then from its "progress: 10% done" to its "progress: 100% done". (wrk 4.1
    over TLS 1.3 stalled against every JVM server here, p99 near 1 s and some runs 0 requests, so
    HTTPS HTTP/1.1 is h2load --h1 as well.)"""
    return SPECS[name][0] == "https"


def command(port, name, secs, pinned, warm_up=WARM_UP_S, requests=None):
    scheme, conns, streams, proto, _ = SPECS[name]
    url = "%s://127.0.0.1:%d/plaintext" % ("http" if scheme == "h2c" else "https",
                                            port if scheme == "h2c" else port + TLS_PORT_OFFSET)
    if requests:
        cmd = ["h2load", "-t1", "-c%d" % conns, "-m%d" % streams, "-n%s" % requests] \
            + (["--h1"] if proto == "http/1.1" else []) + [url]
    else:
        cmd = ["h2load", "-t1", "-c%d" % conns, "-m%d" % streams, "-D%d" % secs, "--warm-up-time=%d" % warm_up, url]
    return (["taskset", "-c", CLIENT_CPU] if pinned else []) + cmd


def run(cmd, secs, on_start=None, on_end=None):
    """Runs h2load to completion (killed after secs + 60 s); calls on_start / on_end when it prints
    that its main duration started / ended. Returns (output, CPU seconds h2load used)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    killer = threading.Timer(secs + WARM_UP_S + 60, p.kill)
    killer.start()
    lines = []
    try:
        for line in p.stdout:
            if not line.startswith("progress:"):
                lines.append(line)
            if on_start and (line.startswith("Main benchmark duration is started")
                             or line.startswith("progress: 10% done")):
                on_start()
            elif on_end and (line.startswith("Main benchmark duration is over")
                             or line.startswith("progress: 100% done")):
                on_end()
        p.wait()
    finally:
        killer.cancel()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = "".join(lines)
    if p.returncode != 0:
        out += "\n(h2load exited with status %s)\n" % p.returncode
    return out, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def parse(out):
    """h2load's report: req/s, request counts, errors, status classes, bytes/s, protocol."""
    r = dict(rps=None, requests=None, failed=0, errored=0, timeout=0, non2xx=0, mb_per_s=None, protocol=None,
             mean_ms=None, cipher=None, p50_ms=None, p99_ms=None)
    m = re.search(r"finished in [\d.]+(?:s|ms|us), ([\d.]+) req/s, ([\d.]+)(B|KB|MB|GB)/s", out)
    if m:
        r["rps"] = float(m.group(1))
        r["mb_per_s"] = float(m.group(2)) * {"B": 1 / 1048576, "KB": 1 / 1024, "MB": 1, "GB": 1024}[m.group(3)]
    m = re.search(r"requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, "
                  r"(\d+) timeout", out)
    if m:
        r["requests"] = int(m.group(3))
        r["failed"], r["errored"], r["timeout"] = int(m.group(4)), int(m.group(5)), int(m.group(6))
    m = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", out)
    if m:
        r["non2xx"] = int(m.group(2)) + int(m.group(3)) + int(m.group(4))
    m = re.search(r"^Application protocol: (\S+)", out, re.M)
    r["protocol"] = m.group(1) if m else None
    m = re.search(r"^Cipher: (\S+)", out, re.M)
    r["cipher"] = m.group(1) if m else None
    m = re.search(r"time for request:\s+\S+\s+\S+\s+(\S+)", out)
    if m:
        v = re.match(r"([\d.]+)(us|ms|s)$", m.group(1))
        r["mean_ms"] = float(v.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[v.group(2)] if v else None
    return r


def expected_protocol(name):
    return SPECS[name][3]


# ------------------------------------------------------------------------------------ servers

def _curl(args):
    r = subprocess.run(["curl", "-sS", "--max-time", "10", "-D", "-", "-o", "-", "-w", "\n%{http_version}"] + args,
                       capture_output=True, timeout=30)
    # bytes, decoded here: text=True would turn the CRLFs that end the head into LFs
    return r.returncode, r.stdout.decode("latin-1"), r.stderr.decode("latin-1")


def check(port):
    """HTTP/1.1 on the plain port as every peer (TechEmpower /plaintext and /json), then /plaintext
    over h2c prior knowledge, HTTPS h2 and HTTPS HTTP/1.1 (curl): status 200, the body, Content-Type
    text/plain, Server and Date."""
    problems = check_responses(port)
    deadline = time.monotonic() + 20  # the HTTPS port may open a moment after the plain one
    while True:
        try:
            probe_connection(port + TLS_PORT_OFFSET, 2).close()
            break
        except OSError as e:
            if time.monotonic() > deadline:
                return problems + ["HTTPS port %d: %s" % (port + TLS_PORT_OFFSET, e)]
            time.sleep(0.05)
    tls = "https://127.0.0.1:%d/plaintext" % (port + TLS_PORT_OFFSET)
    for what, args, version in (("h2c", ["--http2-prior-knowledge", "http://127.0.0.1:%d/plaintext" % port], "2"),
                                ("TLS h2", ["-k", "--http2", tls], "2"),
                                ("TLS http/1.1", ["-k", "--http1.1", tls], "1.1")):
        rc, out, err = _curl(args)
        if rc != 0:
            problems.append("%s: curl failed: %s" % (what, err.strip()))
            continue
        head, _, rest = out.partition("\r\n\r\n")
        body, _, got_version = rest.rpartition("\n")
        lines = head.split("\r\n")
        fields = {k.strip().lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:])}
        if got_version != version:
            problems.append("%s: HTTP version %s" % (what, got_version))
        if " 200" not in lines[0]:
            problems.append("%s: %s" % (what, lines[0]))
        if body != "Hello, World!":
            problems.append("%s: body %r" % (what, body[:60]))
        if not fields.get("content-type", "").startswith("text/plain"):
            problems.append("%s: content-type %r" % (what, fields.get("content-type")))
        for name in ("server", "date"):
            if not fields.get(name):
                problems.append("%s: no %s header" % (what, name))
    return problems


def peers(keystore):
    """name -> Peer for the family's servers: HTTP/1.1 and h2c on the port, HTTPS on port + TLS_PORT_OFFSET."""
    def tls_args(port, http2=("--http2", "true")):
        return list(http2) + ["--tls-port", str(port + TLS_PORT_OFFSET), "--keystore", keystore,
                "--keystore-password", KEYSTORE_PASSWORD]

    def gale(port, extra):
        return [JAVA] + JVM_FLAGS + extra + ["-cp", GALE_DEMOS_CP, "io.gale.demos.Demos", "bench",
                                             "--port", str(port)] + tls_args(port, ["--http2=true"])

    def vertx(port, extra):
        return [JAVA] + JVM_FLAGS + extra + ["-jar", _jar("vertx", "peer-vertx"), "--port", str(port)] + tls_args(port)

    def netty(port, extra):
        return [JAVA] + JVM_FLAGS + extra + ["-jar", _jar("netty", "peer-netty"), "--port", str(port),
                                             "--transport", "nio"] + tls_args(port)

    common = dict(check=check, warm_paths=("h2c-plaintext-c16", "tls-h2-plaintext", "tls-h1-plaintext"))
    out = [Peer("gale-h2", "Gale (HTTP/2 on)", True, gale, **common),
           Peer("vertx-h2", "Vert.x (h2c, ALPN)", True, vertx, **common),
           Peer("netty-h2", "Netty NIO (Http2ConnectionHandler)", True, netty, **common)]
    return {p.name: p for p in out}


# ------------------------------------------------------------------------------------ report

def _ratio_cells(load, subject, ref, mode):
    cells = []
    for s in SCENARIOS:
        ratios = round_ratios(load, subject, ref, s, mode)
        if not ratios:
            cells.append("-")
        else:
            import statistics
            m = statistics.median(ratios)
            cells.append("%.2f×" % m if len(ratios) == 1 else "%.2f× [%.2f–%.2f]" % (m, min(ratios), max(ratios)))
    return cells


def targets(load):
    """[(target, measured, verdict)]: issue 16's h2c target, Gale ≥ 1.1× Vert.x and Netty per server
    CPU-second on both h2c scenarios (pinned, median of within-round ratios)."""
    import statistics
    rows = []
    for ref in ("vertx-h2", "netty-h2"):
        got = []
        for s in H2C:
            ratios = round_ratios(load, "gale-h2", ref, s)
            got.append((s, statistics.median(ratios) if ratios else None))
        have = [(s, x) for s, x in got if x is not None]
        what = "h2c plaintext ≥ 1.1× %s per server CPU-s" % ("Vert.x" if ref == "vertx-h2" else "Netty")
        if not have:
            rows.append((what, "-", "not measured"))
            continue
        missing = [s for s, x in got if x is None]
        verdict = "MISSED" if any(x < 1.1 for _, x in have) else ("not measured: " + ", ".join(missing)
                                                                   if missing else "met")
        rows.append((what, ", ".join("%s %.2f×" % (s, x) for s, x in have), verdict))
    rows.append(errors_row(load, "gale-h2", "Gale's HTTP/2 family runs"))
    return rows


# The report's tables: (load.csv column, title), and their heading (mode, title, rounds).
TABLE_METRICS = (("rps", "req/s"), ("rps_per_srv_cpu", "requests per server CPU-second"), ("srv_cores", "server cores used"))
TABLE_HEADING = "\n### HTTP/2 family, %s: %s, median [min–max] of %d round(s)\n"


def report(load, label, spread, table):
    """Markdown lines of the family's section (empty when it did not run)."""
    rows_all = [r for r in load if r["scenario"] in SCENARIOS]
    if not rows_all:
        return []
    md = ["\n## HTTP/2 and HTTPS (issue 16): h2load -t1, /plaintext; %s" % "; ".join(
        "%s = %s" % (n, s[4]) for n, s in SPECS.items())]
    if any(r["peer"] == "gale-h2" for r in rows_all):
        md.append("\n### issue 16's HTTP/2 target, this run (pinned; per server CPU-second, median of "
                  "within-round ratios)\n")
        md += table(["target", "measured", ""], [list(r) for r in targets(rows_all)])
    for mode in [m for m in ("pinned", "unpinned") if any(r["mode"] == m for r in rows_all)]:
        present, tables = metric_tables(rows_all, mode, PEERS, SCENARIOS, TABLE_METRICS, TABLE_HEADING,
                                        label, spread, table)
        md += tables
        if "gale-h2" in present:
            for ref in ("vertx-h2", "netty-h2"):
                if ref in present:
                    md.append("\n### HTTP/2 family, %s: Gale ÷ %s in requests per server CPU-second, same round, "
                              "median [min–max]\n" % (mode, label(ref)))
                    md += table(["server"] + SCENARIOS, [[label("gale-h2")] + _ratio_cells(rows_all, "gale-h2", ref, mode)])
    return md
