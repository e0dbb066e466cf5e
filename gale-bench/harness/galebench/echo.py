"""gale-bench/run-echo: the stream-layer benchmark, Gale's IOStream/TcpServer echo server against a
Netty 4.2 echo server, driven by the same plain-NIO client (io.gale.bench.echo.EchoLoad).

Scenarios, per server and round (rounds alternate the server order):
  throughput-c1, throughput-c64   N connections streaming 64 KiB writes and reading the echo: MB/s
  pingpong-c1, pingpong-c64       N connections, one 64-byte message in flight each: round trips/s
and once per server: idle memory, 10,000 idle connections from connhold client processes
(<= 5,000 each, sources 127.0.0.2-.5): heap after a full GC, direct memory (NMT 'Other') and RSS,
before and while holding, per connection.

Every server: one event loop (Gale --loops 1, Netty --threads 1), -Xmx1g -XX:+UseG1GC, pinned to
CPU 0; clients pinned to CPU 1. Only 127.0.0.x is contacted; every child runs in its own process
group and is stopped by that group's id, also on failure or Ctrl-C.
"""
import argparse
import csv
import os
import shlex
import signal
import subprocess
import sys
import time

from . import echoreport
from .capacity import SOURCES
from .runner import Child, RunnerBase, jfr_summaries, parse_result, wait_until  # noqa: F401 (re-exported)
from .env import (BENCH_DIR, JAVA, JDK, JVM_FLAGS, PEERS_DIR, REPO_DIR, log, machine_facts, pom_property,
                  raise_fd_limit)
from .peers import connhold_command
from .proc import (Server, direct_memory_kb, heap_used_kb_after_gc, jvm_pid,
                   open_fds, port_free, probe_connection, rss_kb)

BENCH_JAR = os.path.join(BENCH_DIR, "target", "benchmarks.jar")
ECHO_JAR = os.path.join(PEERS_DIR, "echo", "target", "peer-echo.jar")
NMT = ["-XX:NativeMemoryTracking=summary"]
PER_CLIENT = 5000
CLIENT_JVM = [JAVA, "-Xmx256m", "-XX:+UseSerialGC"]


def servers(gale_mode):
    """name -> (label, argv builder(port, extra JVM flags))."""
    return {
        "gale": ("Gale (IOStream, 1 loop)", lambda port, extra: [JAVA] + JVM_FLAGS + extra + [
            "-cp", BENCH_JAR, "io.gale.bench.echo.GaleEchoServer", "--port", str(port), "--loops", "1",
            "--mode", gale_mode]),
        "netty-nio": ("Netty %s NIO (1 event loop)" % pom_property("bench.netty.version"),
                      lambda port, extra: [JAVA] + JVM_FLAGS + extra + [
                          "-jar", ECHO_JAR, "--port", str(port), "--threads", "1", "--transport", "nio"]),
        "netty-epoll": ("Netty %s epoll (1 event loop)" % pom_property("bench.netty.version"),
                        lambda port, extra: [JAVA] + JVM_FLAGS + extra + [
                            "-jar", ECHO_JAR, "--port", str(port), "--threads", "1", "--transport", "epoll"]),
    }


SCENARIOS = [("throughput-c1", "throughput", 1), ("throughput-c64", "throughput", 64),
             ("pingpong-c1", "pingpong", 1), ("pingpong-c64", "pingpong", 64)]


def load_command(port, mode, conns, warmup, duration):
    return CLIENT_JVM + ["-cp", BENCH_JAR, "io.gale.bench.echo.EchoLoad", "--port", str(port), "--mode", mode,
                         "--connections", str(conns), "--warmup", str(warmup), "--duration", str(duration)]


def echo_ok(port):
    try:
        with probe_connection(port) as s:
            msg = b"gale-bench echo check\n"
            s.sendall(msg)
            got = b""
            while len(got) < len(msg):
                chunk = s.recv(len(msg) - len(got))
                if not chunk:
                    return False
                got += chunk
            return got == msg
    except OSError:
        return False


class Bench(RunnerBase):
    def __init__(self, a, out, failures):
        super().__init__(a, out, failures)
        self.servers = servers(a.gale_mode)

    def load_server(self, rnd, name, writer, csvf):
        where = "round %d %s" % (rnd, name)
        if not port_free(self.a.port):
            self.fail("%s: port %d busy" % (where, self.a.port))
            return
        with self.server(name, self.jfr_flags(name, rnd), "%s.log" % name) as srv:
            if not wait_until(srv, echo_ok):
                self.fail("%s: server did not echo within 60 s (see logs/%s.log)" % (where, name))
                return
            log("%s: echoing (pid %d), warm-up %s s" % (where, srv.pid, self.a.warmup))
            for mode in ("throughput", "pingpong"):
                self.run_client(srv, load_command(self.a.port, mode, 16, 0, self.a.warmup / 2.0), None)
            for scen, mode, conns in SCENARIOS:
                if scen not in self.a.scenarios:
                    continue
                if not srv.alive():
                    self.fail("%s: server died before %s" % (where, scen))
                    return
                row = self.run_client(srv, load_command(self.a.port, mode, conns, self.a.run_warmup, self.a.duration),
                                      dict(round=rnd, server=name, scenario=scen, connections=conns))
                writer.writerow(row)
                csvf.flush()
                unit = "MB/s" if mode == "throughput" else "rt/s"
                value = row["recv_mb_s"] if mode == "throughput" else row["rt_per_s"]
                log("  %-15s %10s %s  %10s per srv CPU-s  srv %s%% client %s%% other %s%%  %s%s" % (
                    scen, value, unit, row["per_srv_cpu"], row["srv_cpu_pct"], row["client_cpu_pct"],
                    row["other_cpu_pct"], row["status"], (" (%s)" % row["notes"]) if row["notes"] else ""))
                if row["status"] != "ok":
                    self.fail("%s %s: %s" % (where, scen, row["notes"]))

    def run_client(self, srv, cmd, row):
        """Runs one EchoLoad; with row, measures the server's CPU over the measured window and fills row."""
        m = self.measure_client(srv, cmd, 30)
        if row is None:
            return None
        if "failure" in m:
            row.update(status="FAIL", notes=m["failure"])
            return row
        r, wall, srv_cores, notes = m["result"], m["wall"], m["srv_cores"], m["notes"]
        value = r.get("recv_mb_s") if r.get("mode") == "throughput" else r.get("rt_per_s")
        row.update(value=value, recv_mb_s=r.get("recv_mb_s"), sent_mb_s=r.get("sent_mb_s"),
                   rt_per_s=r.get("rt_per_s", ""), p50_us=r.get("p50_us", ""), p99_us=r.get("p99_us", ""),
                   seconds=r.get("seconds"), srv_cpu_s=round(m["srv_cpu"], 3),
                   srv_cpu_pct=round(100 * srv_cores), client_cpu_pct=round(100 * m["cli_cpu"] / wall) if wall else "",
                   other_cpu_pct=round(100 * m["other"] / wall) if wall else "",
                   per_srv_cpu=round(value / srv_cores) if value and srv_cores > 0 else "",
                   status="FAIL" if notes else "ok", notes="; ".join(notes), time=time.strftime("%H:%M:%S"))
        return row

    # ------------------------------------------------------------------------------ idle memory

    def idle_memory(self, writer, csvf):
        n = self.a.idle_connections
        for rnd in range(1, self.a.idle_rounds + 1):
            order = self.a.servers if rnd % 2 == 1 else list(reversed(self.a.servers))
            for name in order:
                row = self.idle_server(name, n, rnd)
                writer.writerow(row)
                csvf.flush()
                if row["status"] != "ok":
                    self.fail("idle %s N=%d: %s" % (name, n, row["notes"]))

    def idle_server(self, name, n, rnd):
        row = dict(round=rnd, server=name, n=n, status="FAIL", notes="")
        if not port_free(self.a.port):
            row["notes"] = "port busy"
            return row
        with self.server(name, NMT, "idle-%s.log" % name) as srv:
            if not wait_until(srv, echo_ok):
                row["notes"] = "server did not echo"
                return row
            # a short load first, so that buffer pools and lazily loaded code exist before the baseline
            self.run_client(srv, load_command(self.a.port, "throughput", 64, 0, 1), None)
            self.run_client(srv, load_command(self.a.port, "pingpong", 64, 0, 0.5), None)
            time.sleep(0.5)
            jpid = jvm_pid(srv.pid)
            heap0, direct0, rss0, fds0 = heap_used_kb_after_gc(jpid), direct_memory_kb(jpid), rss_kb(srv.pid), \
                open_fds(srv.pid)
            k = -(-n // PER_CLIENT)
            sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
            log("idle %s N=%d: %d client process(es) of %s connections; baseline heap %s KB, direct %s KB, RSS %d KB"
                % (name, n, k, "/".join(map(str, sizes)), heap0, direct0, rss0))
            clients = [Child(connhold_command(self.a.port, s, SOURCES[i % len(SOURCES)], 60), self.clog, stdin=True)
                       for i, s in enumerate(sizes)]
            try:
                done = [c.expect("CONNECTED", 120) for c in clients]
                connected = sum(int(d.split()[1]) for d in done if d)
                # The kernel completes handshakes before the server accepts: count the server's
                # descriptors until every connection is accepted (bounded).
                deadline = time.monotonic() + 60
                while open_fds(srv.pid) < fds0 + connected and time.monotonic() < deadline:
                    time.sleep(0.2)
                accepted = open_fds(srv.pid) - fds0
                time.sleep(1)  # let the server settle (stream set-up callbacks, first reads)
                heap1, direct1, rss1 = heap_used_kb_after_gc(jpid), direct_memory_kb(jpid), rss_kb(srv.pid)
                still = echo_ok(self.a.port)
            finally:
                for c in clients:
                    c.stop(grace=30)
        row.update(connected=connected, accepted=accepted, heap0_kb=heap0, heap1_kb=heap1, direct0_kb=direct0,
                   direct1_kb=direct1, rss0_kb=rss0, rss1_kb=rss1)
        problems = []
        if connected != n:
            problems.append("%d of %d connected" % (connected, n))
        if accepted < connected:
            problems.append("server accepted only %d" % accepted)
        if not still:
            problems.append("server did not echo while holding the connections")
        if connected:
            for key, a0, a1 in (("heap", heap0, heap1), ("direct", direct0, direct1), ("rss", rss0, rss1)):
                if a0 is not None and a1 is not None:
                    row["%s_kb_per_conn" % key] = round((a1 - a0) / connected, 3)
        row["status"] = "FAIL" if problems else "ok"
        row["notes"] = "; ".join(problems)
        log("idle %s N=%d: connected %d, accepted %d; per connection: heap %s KB, direct %s KB, RSS %s KB  %s" % (
            name, n, connected, accepted, row.get("heap_kb_per_conn"), row.get("direct_kb_per_conn"),
            row.get("rss_kb_per_conn"), row["status"]))
        return row


def build(a):
    log("build: mvn -q -B -pl gale-bench -am package -DskipTests")
    subprocess.run(["mvn", "-q", "-B", "-pl", "gale-bench", "-am", "package", "-DskipTests"], cwd=REPO_DIR,
                   check=True, timeout=900)
    log("build: mvn -q -B -f gale-bench/peers/pom.xml -pl echo,connhold -am package -DskipTests")
    subprocess.run(["mvn", "-q", "-B", "-f", os.path.join(PEERS_DIR, "pom.xml"), "-pl", "echo,connhold", "-am", "package",
                    "-DskipTests"], cwd=REPO_DIR, check=True, timeout=900)




def parse_args(argv):
    ap = argparse.ArgumentParser(prog="gale-bench/run-echo", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="1 round, 2 s runs, 2,000 idle connections: < 1.5 min, for development, not for docs")
    ap.add_argument("--servers", nargs="+", default=["gale", "netty-nio"], choices=["gale", "netty-nio", "netty-epoll"])
    ap.add_argument("--scenarios", nargs="+", default=[s[0] for s in SCENARIOS] + ["idle"],
                    choices=[s[0] for s in SCENARIOS] + ["idle"])
    ap.add_argument("--rounds", type=int, help="load rounds, server order alternating (default 3)")
    ap.add_argument("--duration", type=float, help="measured seconds per scenario (default 4)")
    ap.add_argument("--run-warmup", type=float, default=1.0, help="unmeasured seconds at the start of each scenario")
    ap.add_argument("--warmup", type=float, help="seconds of load after each server start (default 3)")
    ap.add_argument("--idle-connections", type=int, help="idle connections held (default 10000, max 19000)")
    ap.add_argument("--idle-rounds", type=int, default=1)
    ap.add_argument("--gale-mode", default="pooled", choices=["pooled", "bytes", "into"],
                    help="how Gale's echo reads (default pooled: readInto pooled direct buffers, readBytes while "
                         "waiting; bytes: readBytes only; into: one direct buffer per connection); see "
                         "PooledEchoConnection and EchoConnection")
    ap.add_argument("--jfr", action="store_true",
                    help="record JFR (profile settings) on each server's first round, then `jfr view hot-methods`; "
                         "figures of such a run are not for docs")
    ap.add_argument("--port", type=int, default=28090)
    ap.add_argument("--out", help="results folder (default gale-bench/results/echo-<UTC timestamp>)")
    ap.add_argument("--no-build", action="store_true")
    a = ap.parse_args(argv)
    quick = dict(rounds=1, duration=2.0, warmup=2.0, idle_connections=2000)
    full = dict(rounds=3, duration=4.0, warmup=3.0, idle_connections=10000)
    for k, v in (quick if a.quick else full).items():
        if getattr(a, k) is None:
            setattr(a, k, v)
    if a.idle_connections > 19000:
        ap.error("a process may hold at most 20,000 descriptors here: --idle-connections up to 19000")
    return a


def _interrupt(signum, frame):
    raise KeyboardInterrupt()


def main(argv):
    a = parse_args(argv)
    t_start = time.monotonic()
    out = os.path.abspath(a.out or os.path.join(BENCH_DIR, "results", "echo-" + time.strftime("%Y%m%dT%H%M%SZ",
                                                                                             time.gmtime())))
    os.makedirs(os.path.join(out, "logs"), exist_ok=True)
    raise_fd_limit()
    # Ctrl-C or SIGTERM unwinds through the finally blocks, which stop every child by its group id.
    signal.signal(signal.SIGTERM, _interrupt)
    n_load = len([s for s in a.scenarios if s != "idle"])
    est = a.rounds * len(a.servers) * (3 + a.warmup + n_load * (a.run_warmup + a.duration + 1.2))
    if "idle" in a.scenarios:
        est += a.idle_rounds * len(a.servers) * (15 + a.idle_connections / 1000.0)
    log("gale-bench echo: servers %s; scenarios %s; %d round(s) of %g s; estimated %.1f min (+ build); results in %s"
        % (" ".join(a.servers), " ".join(a.scenarios), a.rounds, a.duration, est / 60, out))
    if not a.no_build:
        build(a)
    # the HTTP harness's facts, minus the tools this benchmark does not use
    facts = [(k, v) for k, v in machine_facts() if k not in ("wrk", "Python / Tornado", "peer versions")]
    facts.append(("Netty (echo peer)", pom_property("bench.netty.version")))
    bench = Bench(a, out, [])
    labels = {n: bench.servers[n][0] for n in a.servers}
    commands = ["gale-bench/run-echo " + " ".join(shlex.quote(x) for x in argv) if argv else "gale-bench/run-echo"]
    for n in a.servers:
        commands.append("[taskset -c 0] " + " ".join(bench.servers[n][1](a.port, [])) + "    # " + n
                        + " (+ " + NMT[0] + " for idle memory)")
    for scen, mode, conns in SCENARIOS:
        if scen in a.scenarios:
            commands.append("[taskset -c 1] " + " ".join(load_command(a.port, mode, conns, a.run_warmup, a.duration))
                            + "    # " + scen)
    if "idle" in a.scenarios:
        commands.append("[taskset -c 1] " + " ".join(connhold_command(a.port, PER_CLIENT, SOURCES[0], 60))
                        + "    # idle: one per 5,000 connections, sources 127.0.0.2-.5")
    commands = [c.replace(REPO_DIR + "/", "") for c in commands]
    try:
        with open(os.path.join(out, "echo.csv"), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=echoreport.LOAD_FIELDS, extrasaction="ignore")
            w.writeheader()
            if n_load:
                bench.load_rounds(w, f)
        if "idle" in a.scenarios:
            with open(os.path.join(out, "idle.csv"), "w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=echoreport.IDLE_FIELDS, extrasaction="ignore")
                w.writeheader()
                bench.idle_memory(w, f)
    except KeyboardInterrupt:
        bench.fail("interrupted")
    finally:
        bench.clog.close()
    if a.jfr:
        jfr_summaries(out)
    text = echoreport.build(out, facts, commands, labels, bench.failures, a)
    print("\n" + text)
    log("done in %.1f min: %s/summary.md" % ((time.monotonic() - t_start) / 60, out))
    if bench.failures:
        log("!!! %d FAILED run(s):\n  %s" % (len(bench.failures), "\n  ".join(bench.failures)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
