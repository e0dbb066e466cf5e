"""gale-bench/run-ws: the WebSocket benchmark. Gale's WebSocketHandler echo (GaleWsEchoServer)
against Vert.x 5 and Netty 4.2 WebSocket echo servers, all driven by the same plain-NIO client
with its own minimal framing (io.gale.bench.ws.WsLoad, no Gale code).

Scenarios:
  echo-c100   100 connections, each sending a 1 KB masked text message and waiting for its echo
              (window 1; --window N keeps N in flight): messages/s, per server CPU-second, p50/p99;
              per round, server order alternating
  idle        once per server: baseline, then 10,000 and 15,000 idle WebSocket connections
              (handshake done) from WsLoad --mode idle processes of <= 5,000 each, bound to
              127.0.0.2-.5: heap after a full GC, direct memory (NMT 'Other') and RSS; growth per
              connection and extrapolated to 100,000

Every server: one event loop, -Xmx1g -XX:+UseG1GC, pinned to CPU 0; clients pinned to CPU 1. Only
127.0.0.x is contacted; every child runs in its own process group and is stopped by that group's
id, also on failure or Ctrl-C.
"""
import argparse
import base64
import csv
import hashlib
import os
import shlex
import signal
import struct
import subprocess
import sys
import time

from . import wsreport
from .capacity import SOURCES
from .runner import Child, RunnerBase, jfr_summaries, parse_result, wait_until  # noqa: F401 (re-exported)
from .env import (BENCH_DIR, JAVA, JDK, JVM_FLAGS, PEERS_DIR, REPO_DIR, log, machine_facts, pom_property,
                  raise_fd_limit)
from .proc import (Server, direct_memory_kb, heap_used_kb_after_gc, jvm_pid,
                   open_fds, port_free, probe_connection, rss_kb)

BENCH_JAR = os.path.join(BENCH_DIR, "target", "benchmarks.jar")
NETTY_JAR = os.path.join(PEERS_DIR, "netty", "target", "peer-netty.jar")
VERTX_JAR = os.path.join(PEERS_DIR, "vertx", "target", "peer-vertx.jar")
NMT = ["-XX:NativeMemoryTracking=summary"]
PER_CLIENT = 5000
MAX_CONNECTIONS = 19000  # a process may hold at most 20,000 descriptors here
CLIENT_JVM = [JAVA, "-Xmx256m", "-XX:+UseSerialGC"]
IDLE_CLIENT_JVM = CLIENT_JVM + ["-XX:TieredStopAtLevel=1"]
MESSAGE = 1024
CONNECTIONS = 100


def servers():
    """name -> (label, argv builder(port, extra JVM flags))."""
    netty = pom_property("bench.netty.version").replace(".Final", "")
    return {
        "gale": ("Gale (WebSocketHandler, 1 loop)", lambda port, extra: [JAVA] + JVM_FLAGS + extra + [
            "-cp", BENCH_JAR, "io.gale.bench.ws.GaleWsEchoServer", "--port", str(port), "--loops", "1"]),
        "vertx": ("Vert.x %s (1 event loop)" % pom_property("vertx.version"), lambda port, extra: [JAVA] + JVM_FLAGS
                  + extra + ["-cp", VERTX_JAR, "io.gale.bench.peers.VertxWsEcho", "--port", str(port),
                             "--instances", "1"]),
        "netty": ("Netty %s NIO (1 event loop)" % netty, lambda port, extra: [JAVA] + JVM_FLAGS + extra + [
            "-cp", NETTY_JAR, "io.gale.bench.peers.NettyWsEcho", "--port", str(port), "--threads", "1",
            "--transport", "nio"]),
    }


def echo_command(port, conns, window, warmup, duration):
    return CLIENT_JVM + ["-cp", BENCH_JAR, "io.gale.bench.ws.WsLoad", "--port", str(port), "--mode", "echo",
                         "--connections", str(conns), "--message", str(MESSAGE), "--window", str(window),
                         "--warmup", str(warmup), "--duration", str(duration)]


def idle_command(port, n, source):
    return IDLE_CLIENT_JVM + ["-cp", BENCH_JAR, "io.gale.bench.ws.WsLoad", "--port", str(port), "--mode", "idle",
                              "--connections", str(n), "--source", source, "--lifetime", "900"]


def client_sizes(have, want, per_client=PER_CLIENT):
    """Sizes of the client processes to add to go from `have` to `want` connections, <= per_client each."""
    left, out = want - have, []
    while left > 0:
        out.append(min(per_client, left))
        left -= out[-1]
    return out


def per_connection(row, n):
    """Fills the per-connection growth and the 100,000-connection extrapolation of one idle row."""
    for key in ("heap", "direct", "rss"):
        a0, a1 = row.get("%s0_kb" % key), row.get("%s1_kb" % key)
        if a0 is None or a1 is None or not n:
            continue
        per = (a1 - a0) / n
        row["%s_kb_per_conn" % key] = round(per, 3)
        row["%s_mb_at_100k" % key] = round((a0 + per * 100000) / 1024)


# ------------------------------------------------------------------------ a tiny WebSocket check

def _mask(payload, key):
    return bytes(b ^ key[i % 4] for i, b in enumerate(payload))


def client_frame(payload, key=b"\x01\x02\x03\x04"):
    """One masked final text frame (payload < 126 bytes is all the check needs)."""
    assert len(payload) < 126
    return bytes([0x81, 0x80 | len(payload)]) + key + _mask(payload, key)


WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def ws_connect(port, path, timeout=10.0):
    """A probe socket past the opening handshake on `path` (101 and the right Sec-WebSocket-Accept
    checked), and the bytes read after the handshake's head. Raises OSError: ConnectionError with
    what came back when the answer is not a WebSocket handshake."""
    s = probe_connection(port, timeout)
    try:
        key = base64.b64encode(os.urandom(16))
        s.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                  b"Connection: Upgrade\r\nSec-WebSocket-Key: " % port + key + b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = s.recv(4096)
            if not chunk:
                raise ConnectionError("%s: connection closed during the handshake: %r" % (path, buf[:200]))
            buf += chunk
        head, _, rest = buf.partition(b"\r\n\r\n")
        accept = base64.b64encode(hashlib.sha1(key + WS_GUID).digest())
        if not head.startswith(b"HTTP/1.1 101") or accept not in head:
            raise ConnectionError("%s: not a WebSocket handshake: %r" % (path, head[:300]))
        return s, rest
    except BaseException:
        s.close()
        raise


def ws_echo_ok(port, timeout=2.0):
    """Handshake on /ws, one text message, its echo checked; True when all of it worked."""
    try:
        s, rest = ws_connect(port, "/ws", timeout)
        with s:
            msg = b"gale-bench ws check"
            s.sendall(client_frame(msg))
            want = struct.pack("BB", 0x81, len(msg)) + msg
            while len(rest) < len(want):
                chunk = s.recv(4096)
                if not chunk:
                    return False
                rest += chunk
            return rest[:len(want)] == want
    except OSError:
        return False


class Bench(RunnerBase):
    def __init__(self, a, out, failures):
        super().__init__(a, out, failures)
        self.servers = servers()

    def load_server(self, rnd, name, writer, csvf):
        where = "round %d %s" % (rnd, name)
        if not port_free(self.a.port):
            self.fail("%s: port %d busy" % (where, self.a.port))
            return
        with self.server(name, self.jfr_flags(name, rnd), "%s.log" % name) as srv:
            if not wait_until(srv, ws_echo_ok):
                self.fail("%s: server did not echo over WebSocket within 60 s (see logs/%s.log)" % (where, name))
                return
            log("%s: echoing (pid %d), warm-up %s s" % (where, srv.pid, self.a.warmup))
            self.run_client(srv, echo_command(self.a.port, CONNECTIONS, self.a.window, 0, self.a.warmup), None)
            if not srv.alive():
                self.fail("%s: server died during the warm-up" % where)
                return
            row = self.run_client(srv, echo_command(self.a.port, CONNECTIONS, self.a.window, self.a.run_warmup,
                                                    self.a.duration),
                                  dict(round=rnd, server=name, scenario="echo-c100", connections=CONNECTIONS,
                                       window=self.a.window, message=MESSAGE))
            writer.writerow(row)
            csvf.flush()
            log("  echo-c100 %10s msg/s  %10s per srv CPU-s  p50/p99 %s/%s us  srv %s%% client %s%% other %s%%  %s%s"
                % (row.get("msgs_per_s"), row.get("per_srv_cpu"), row.get("p50_us"), row.get("p99_us"),
                   row.get("srv_cpu_pct"), row.get("client_cpu_pct"), row.get("other_cpu_pct"), row["status"],
                   (" (%s)" % row["notes"]) if row["notes"] else ""))
            if row["status"] != "ok":
                self.fail("%s echo-c100: %s" % (where, row["notes"]))

    def run_client(self, srv, cmd, row):
        """Runs one WsLoad echo; with row, measures the server's CPU over the measured window and fills row."""
        m = self.measure_client(srv, cmd, 60)
        if row is None:
            return None
        if "failure" in m:
            row.update(status="FAIL", notes=m["failure"])
            return row
        r, wall, srv_cores, notes = m["result"], m["wall"], m["srv_cores"], m["notes"]
        value = r.get("msgs_per_s")
        if srv_cores < 0.9 and value:
            notes.append("server got %d%% of its core" % round(100 * srv_cores))
        row.update(msgs_per_s=value, mb_s=r.get("mb_s"), p50_us=r.get("p50_us", ""), p99_us=r.get("p99_us", ""),
                   seconds=r.get("seconds"), srv_cpu_s=round(m["srv_cpu"], 3), srv_cpu_pct=round(100 * srv_cores),
                   client_cpu_pct=round(100 * m["cli_cpu"] / wall) if wall else "",
                   other_cpu_pct=round(100 * m["other"] / wall) if wall else "",
                   per_srv_cpu=round(value / srv_cores) if value and srv_cores > 0 else "",
                   status="FAIL" if any(not n.startswith("server got") for n in notes) else "ok",
                   notes="; ".join(notes), time=time.strftime("%H:%M:%S"))
        return row

    # ------------------------------------------------------------------------------ idle memory

    def idle_memory(self, writer, csvf):
        for name in self.a.servers:
            for row in self.idle_server(name, sorted(self.a.idle_levels)):
                writer.writerow(row)
                csvf.flush()
                if row["status"] != "ok":
                    self.fail("idle %s N=%d: %s" % (name, row["n"], row["notes"]))

    def idle_server(self, name, levels):
        rows = []
        if not port_free(self.a.port):
            return [dict(server=name, n=levels[0], status="FAIL", notes="port busy")]
        with self.server(name, NMT, "idle-%s.log" % name) as srv:
            if not wait_until(srv, ws_echo_ok):
                return [dict(server=name, n=levels[0], status="FAIL", notes="server did not echo over WebSocket")]
            # a short echo load first, so that buffer pools and lazily loaded code exist before the baseline
            self.run_client(srv, echo_command(self.a.port, CONNECTIONS, 1, 0, 1.5), None)
            time.sleep(0.5)
            jpid = jvm_pid(srv.pid)
            base = dict(heap0_kb=heap_used_kb_after_gc(jpid), direct0_kb=direct_memory_kb(jpid), rss0_kb=rss_kb(srv.pid))
            fds0 = open_fds(srv.pid)
            log("idle %s: baseline heap %s KB, direct %s KB, RSS %s KB" % (
                name, base["heap0_kb"], base["direct0_kb"], base["rss0_kb"]))
            clients, connected, failed_clients = [], 0, []
            try:
                for n in levels:
                    sizes = client_sizes(connected, n)
                    fresh = [Child(idle_command(self.a.port, s, SOURCES[(len(clients) + i) % len(SOURCES)]),
                                   self.clog, stdin=True) for i, s in enumerate(sizes)]
                    clients += fresh
                    t0 = time.monotonic()
                    for c, s in zip(fresh, sizes):
                        seen = []
                        done = c.expect("CONNECTED", 180, seen)
                        got = int(done.split()[1]) if done else 0
                        connected += got
                        if got != s:
                            failed_clients.append("a client connected %d of %d: %s" % (got, s, " | ".join(seen[-2:])))
                    connect_s = time.monotonic() - t0
                    # Every handshake was answered, so the server accepted every connection; the
                    # descriptor count confirms it holds them.
                    deadline = time.monotonic() + 30
                    while open_fds(srv.pid) < fds0 + connected and time.monotonic() < deadline:
                        time.sleep(0.2)
                    held = open_fds(srv.pid) - fds0
                    time.sleep(1)  # let the server settle
                    row = dict(server=name, n=n, connected=connected, server_fds=held, connect_s=round(connect_s, 1),
                               heap1_kb=heap_used_kb_after_gc(jpid), direct1_kb=direct_memory_kb(jpid),
                               rss1_kb=rss_kb(srv.pid), **base)
                    per_connection(row, connected)
                    problems = list(failed_clients)
                    if connected != n:
                        problems.append("%d of %d connected" % (connected, n))
                    if held < connected:
                        problems.append("server holds only %d descriptors more than at the baseline" % held)
                    if not ws_echo_ok(self.a.port, timeout=10):
                        problems.append("server did not echo while holding the connections")
                    row["status"] = "FAIL" if problems else "ok"
                    row["notes"] = "; ".join(problems)
                    rows.append(row)
                    log("idle %s N=%d: connected %d in %.1f s; per connection heap %s KB, direct %s KB, RSS %s KB; "
                        "at 100k: heap %s MB, RSS %s MB  %s" % (
                            name, n, connected, connect_s, row.get("heap_kb_per_conn"), row.get("direct_kb_per_conn"),
                            row.get("rss_kb_per_conn"), row.get("heap_mb_at_100k"), row.get("rss_mb_at_100k"),
                            row["status"]))
                    if problems:
                        break
            finally:
                for c in clients:
                    c.stop(grace=30)
        return rows


def build():
    log("build: mvn -q -B -pl gale-bench -am package -DskipTests")
    subprocess.run(["mvn", "-q", "-B", "-pl", "gale-bench", "-am", "package", "-DskipTests"], cwd=REPO_DIR,
                   check=True, timeout=900)
    log("build: mvn -q -B -f gale-bench/peers/pom.xml -pl netty,vertx -am package -DskipTests")
    subprocess.run(["mvn", "-q", "-B", "-f", os.path.join(PEERS_DIR, "pom.xml"), "-pl", "netty,vertx", "-am", "package",
                    "-DskipTests"], cwd=REPO_DIR, check=True, timeout=900)




def parse_args(argv):
    ap = argparse.ArgumentParser(prog="gale-bench/run-ws", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="1 round, 2 s runs, 2,000 idle connections: about 2 min, for development, not for docs")
    ap.add_argument("--servers", nargs="+", default=["gale", "vertx", "netty"], choices=["gale", "vertx", "netty"])
    ap.add_argument("--scenarios", nargs="+", default=["echo-c100", "idle"], choices=["echo-c100", "idle"])
    ap.add_argument("--rounds", type=int, help="echo rounds, server order alternating (default 3)")
    ap.add_argument("--duration", type=float, help="measured seconds per echo run (default 5)")
    ap.add_argument("--run-warmup", type=float, default=1.0, help="unmeasured seconds at the start of each echo run")
    ap.add_argument("--warmup", type=float, help="seconds of echo load after each server start (default 4)")
    ap.add_argument("--window", type=int, default=1, help="messages in flight per connection (default 1)")
    ap.add_argument("--idle-levels", type=int, nargs="+", help="idle connections held (default 10000 15000)")
    ap.add_argument("--jfr", action="store_true",
                    help="record JFR (profile settings) on each server's first round, then `jfr view hot-methods`; "
                         "figures of such a run are not for docs")
    ap.add_argument("--port", type=int, default=28095)
    ap.add_argument("--out", help="results folder (default gale-bench/results/ws-<UTC timestamp>)")
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args(argv)
    quick = dict(rounds=1, duration=2.0, warmup=2.0, idle_levels=[2000])
    full = dict(rounds=3, duration=5.0, warmup=4.0, idle_levels=[10000, 15000])
    for k, v in (quick if a.quick else full).items():
        if getattr(a, k) is None:
            setattr(a, k, v)
    if max(a.idle_levels) > MAX_CONNECTIONS or min(a.idle_levels) < 1:
        ap.error("a process may hold at most 20,000 descriptors here: --idle-levels from 1 to %d" % MAX_CONNECTIONS)
    if a.window < 1:
        ap.error("--window must be at least 1")
    return a


def _interrupt(signum, frame):
    raise KeyboardInterrupt()


def commands(a, argv, table):
    out = ["gale-bench/run-ws " + " ".join(shlex.quote(x) for x in argv) if argv else "gale-bench/run-ws"]
    for n in a.servers:
        out.append("[taskset -c 0] " + " ".join(table[n][1](a.port, [])) + "    # " + n
                   + " (+ " + NMT[0] + " for idle memory)")
    if "echo-c100" in a.scenarios:
        out.append("[taskset -c 1] " + " ".join(echo_command(a.port, CONNECTIONS, a.window, a.run_warmup, a.duration))
                   + "    # echo-c100")
    if "idle" in a.scenarios:
        out.append("[taskset -c 1] " + " ".join(idle_command(a.port, PER_CLIENT, SOURCES[0]))
                   + "    # idle: one per 5,000 connections, sources 127.0.0.2-.5, held until stdin ends")
    return [c.replace(REPO_DIR + "/", "") for c in out]


def main(argv):
    a = parse_args(argv)
    t_start = time.monotonic()
    out = os.path.abspath(a.out or os.path.join(BENCH_DIR, "results", "ws-" + time.strftime("%Y%m%dT%H%M%SZ",
                                                                                         time.gmtime())))
    os.makedirs(os.path.join(out, "logs"), exist_ok=True)
    raise_fd_limit()
    signal.signal(signal.SIGTERM, _interrupt)  # unwinds through the finally blocks, which stop every child
    est = 0
    if "echo-c100" in a.scenarios:
        est += a.rounds * len(a.servers) * (4 + a.warmup + a.run_warmup + a.duration + 3)
    if "idle" in a.scenarios:
        est += len(a.servers) * (15 + max(a.idle_levels) / 600.0 + 8 * len(a.idle_levels))
    log("gale-bench ws: servers %s; scenarios %s; %d round(s) of %g s; estimated %.1f min (+ build); results in %s"
        % (" ".join(a.servers), " ".join(a.scenarios), a.rounds, a.duration, est / 60, out))
    if not a.no_build:
        build()
    facts = [(k, v) for k, v in machine_facts() if k not in ("wrk", "Python / Tornado", "peer versions")]
    facts.append(("peers", "Vert.x %s, Netty %s" % (pom_property("vertx.version"), pom_property("bench.netty.version"))))
    bench = Bench(a, out, [])
    labels = {n: bench.servers[n][0] for n in a.servers}
    try:
        if "echo-c100" in a.scenarios:
            with open(os.path.join(out, "echo.csv"), "w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=wsreport.ECHO_FIELDS, extrasaction="ignore")
                w.writeheader()
                bench.load_rounds(w, f)
        if "idle" in a.scenarios:
            with open(os.path.join(out, "idle.csv"), "w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=wsreport.IDLE_FIELDS, extrasaction="ignore")
                w.writeheader()
                bench.idle_memory(w, f)
    except KeyboardInterrupt:
        bench.fail("interrupted")
    finally:
        bench.clog.close()
    if a.jfr:
        jfr_summaries(out)
    with open("/proc/loadavg") as f:
        facts.append(("load average at end (1/5/15 min)", " ".join(f.read().split()[:3])))
    text = wsreport.build(out, facts, commands(a, argv, bench.servers), labels, bench.failures, a.window)
    print("\n" + text)
    log("done in %.1f min: %s/summary.md" % ((time.monotonic() - t_start) / 60, out))
    if bench.failures:
        log("!!! %d FAILED run(s):\n  %s" % (len(bench.failures), "\n  ".join(bench.failures)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
