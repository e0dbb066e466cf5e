"""gale-bench/run-fanout: fan-out of one chat room over Redis (issue 17).

Peers (each in turn, on a fresh redis-server of its own):
  gale            two processes of Gale's `websocket` chat demo with --pubsub redis://..., the way
                  its users run it behind a load balancer (WebSocketBroadcaster over Gale's RESP client)
  socketio        two Node processes of the same chat in Socket.IO 4.8 with @socket.io/redis-adapter
                  (gale-bench/peers/socketio/server.js)
  gale-inprocess  one process of Gale's `websocket` demo, PubSub in process (no broker)

Load (io.gale.bench.ws.FanoutLoad, plain JDK NIO, no Gale code): --subscribers WebSocket
subscribers (default 1,000) spread over the processes, --publishers (default 2, one per process)
posting chat messages whose body carries the send time; phases: sync, warm-up at full speed,
each --rates value (messages/s in total), then full speed (each publisher keeps --window messages
not yet delivered to every subscriber). Every delivery is checked (nothing lost, order per
publisher) and timed at the subscriber (same process, same clock as the publisher).

Servers are not pinned (two server processes, Redis and the client share the machine's cores);
every JVM gets -Xmx1g -XX:+UseG1GC. Only 127.0.0.1 is contacted; every child runs in its own
process group and is stopped by that group's id, also on failure or Ctrl-C.
"""
import argparse
import csv
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from .env import BENCH_DIR, JAVA, JDK, JVM_FLAGS, PEERS_DIR, REPO_DIR, log
from .peers import demos_cp
from .proc import PortPicker, Server, cpu_seconds, machine_busy_seconds, open_fds, probe_connection, rss_kb

BENCH_JAR = os.path.join(BENCH_DIR, "target", "benchmarks.jar")
DEMOS_CP = demos_cp(["metrics", "nats"])  # the websocket demo's jar groups
SOCKETIO_DIR = os.path.join(PEERS_DIR, "socketio")
CLIENT_JVM = [JAVA, "-Xmx1g", "-XX:+UseG1GC"]
PEERS = ("gale", "socketio", "gale-inprocess")
LABELS = {
    "gale": "Gale `websocket` demo ×2, Redis",
    "socketio": "Socket.IO 4.8 ×2, @socket.io/redis-adapter",
    "gale-inprocess": "Gale `websocket` demo ×1, in-process",
}


# The demos' and Redis's ports: below the kernel's ephemeral range, as gale-bench/run's --port
# (proc.py says why), and clear of run's (28080 up), run-echo's (28090) and run-ws's (28095) ports.
PORTS = PortPicker(28300, 28399)


def free_port():
    return PORTS.take()


def wait_port(port, proc, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            probe_connection(port, 0.5).close()
            return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def tool_version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "?"


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


class Redis:
    """A throw-away redis-server: an unused loopback port, a temporary directory, no persistence."""

    def __init__(self, logdir):
        self.dir = tempfile.mkdtemp(prefix="gale-fanout-redis-")
        self.port = free_port()
        self.server = Server(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", self.dir], self.port, False,
                             os.path.join(logdir, "redis.log"))
        if not wait_port(self.port, self.server.proc, 20):
            self.stop()
            raise RuntimeError("redis-server did not start (see logs/redis.log)")

    def url(self):
        return "redis://127.0.0.1:%d" % self.port

    def stop(self):
        self.server.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def server_command(peer, port, redis_url, cp_prefix=None):
    if peer == "socketio":
        return ["node", os.path.join(SOCKETIO_DIR, "server.js"), "--port", str(port), "--redis", redis_url]
    cp = (cp_prefix + ":" if cp_prefix else "") + DEMOS_CP
    cmd = [JAVA] + JVM_FLAGS + ["-cp", cp, "io.gale.demos.Demos", "websocket", "--port", str(port),
                               "--logging", "warning"]
    return cmd + (["--pubsub", redis_url] if redis_url else [])


def run_peer(peer, a, out, rnd):
    """Starts the peer's processes (and Redis), runs FanoutLoad, returns its rows."""
    logdir = os.path.join(out, "logs")
    redis = Redis(logdir) if peer != "gale-inprocess" else None
    servers = []
    rows = []
    try:
        n = 1 if peer == "gale-inprocess" else 2
        for i in range(n):
            port = free_port()
            srv = Server(server_command(peer, port, redis.url() if redis else None, a.gale_cp_prefix), port, False,
                         os.path.join(logdir, "%s-r%d-%d.log" % (peer, rnd, i)))
            servers.append(srv)
        for srv in servers:
            if not wait_port(srv.port, srv.proc, 90):
                raise RuntimeError("%s on port %d did not start (see logs/)" % (peer, srv.port))
        cmd = CLIENT_JVM + ["-cp", a.client_cp, "io.gale.bench.ws.FanoutLoad",
                            "--protocol", "socketio" if peer == "socketio" else "gale",
                            "--ports", ",".join(str(s.port) for s in servers),
                            "--subscribers", str(a.subscribers), "--publishers", str(a.publishers),
                            "--rates", ",".join(str(r) for r in a.rates), "--window", str(a.window),
                            "--warmup", str(a.warmup), "--settle", str(a.settle), "--duration", str(a.duration),
                            "--body", str(a.body), "--drain", str(a.drain)]
        log("  %s: %s" % (peer, " ".join(cmd)))
        load_before = loadavg()
        client_log = open(os.path.join(logdir, "client-%s-r%d.log" % (peer, rnd)), "w")
        client = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                  start_new_session=True, cwd=REPO_DIR)
        pids = [s.pid for s in servers]
        marks = {}
        max_fds = 0
        phases = []
        result = None
        deadline = time.monotonic() + a.client_timeout
        try:
            for line in client.stdout:
                client_log.write(line)
                client_log.flush()
                line = line.strip()
                if line.startswith("MEASURE_START ") or line.startswith("MEASURE_END "):
                    kind, name = line.split(" ", 1)
                    marks[(kind, name)] = (time.monotonic(), [cpu_seconds(p) for p in pids],
                                           cpu_seconds(redis.server.pid) if redis else 0.0,
                                           cpu_seconds(client.pid), machine_busy_seconds())
                    max_fds = max([max_fds] + [open_fds(p) for p in pids])
                elif line.startswith("PHASE "):
                    phases.append(dict(kv.split("=", 1) for kv in line.split()[1:]))
                elif line.startswith("RESULT "):
                    result = line
                elif line.startswith("CONNECTED"):
                    log("  %s: %s" % (peer, line))
                if time.monotonic() > deadline:
                    break
            client.wait(max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            result = "RESULT fail why=client_timeout"
        finally:
            if client.poll() is None:
                os.killpg(client.pid, signal.SIGKILL)
                client.wait(10)
            client_log.close()
        rss = [rss_kb(p) for p in pids]
        ok = result is not None and result.startswith("RESULT ok") and client.returncode == 0
        if not ok:
            log("  !!! FAIL %s: %s (exit %s)" % (peer, result, client.returncode))
        for ph in phases:
            if ph.get("reported") != "true":
                continue
            name = ph["name"]
            m0, m1 = marks.get(("MEASURE_START", name)), marks.get(("MEASURE_END", name))
            row = {"round": rnd, "peer": peer, "phase": name, "processes": n, "subscribers": ph["subscribers"],
                   "publishers": ph["publishers"], "target_msgs_per_s": ph["target_msgs_per_s"],
                   "window": ph["window"], "msgs_per_s": ph["msgs_per_s"], "deliveries_per_s": ph["deliveries_per_s"],
                   "p50_us": ph["p50_us"], "p99_us": ph["p99_us"], "p999_us": ph["p999_us"], "max_us": ph["max_us"],
                   "sent": ph["sent"], "deliveries": ph["deliveries"], "lost": ph["lost"], "gaps": ph["gaps"],
                   "reorders": ph["reorders"], "drain_ms": ph.get("drain_ms", ""), "status": "ok" if ok else "FAIL", "load_before": load_before,
                   "server_fds_max": max_fds, "server_rss_kb": "+".join(str(r) for r in rss)}
            if m0 and m1:
                wall = m1[0] - m0[0]
                server_cpu = sum(m1[1]) - sum(m0[1])
                row["server_cpu_pct"] = "%.0f" % (100 * server_cpu / wall)
                row["deliveries_per_server_cpu_s"] = "%.0f" % (float(ph["deliveries_per_s"]) * wall / server_cpu) \
                    if server_cpu > 0 else ""
                row["redis_cpu_pct"] = "%.0f" % (100 * (m1[2] - m0[2]) / wall)
                row["client_cpu_pct"] = "%.0f" % (100 * (m1[3] - m0[3]) / wall)
                row["machine_busy_pct"] = "%.0f" % (100 * (m1[4] - m0[4]) / wall)
            rows.append(row)
        if not rows:
            rows.append({"round": rnd, "peer": peer, "phase": "-", "status": "FAIL", "load_before": load_before})
        return rows, ok, result
    finally:
        for srv in servers:
            srv.stop()
        if redis:
            redis.stop()


def ms(us):
    try:
        v = int(us)
    except (TypeError, ValueError):
        return "–"
    return "%.1f" % (v / 1000) if v < 100000 else "%.0f" % (v / 1000)


def secs(ms_text):
    try:
        return "%.1f" % (int(ms_text) / 1000)
    except (TypeError, ValueError):
        return "–"


def summary(a, rows, facts, failures, argv):
    lines = ["# Fan-out of one chat room: %d WebSocket subscribers, %d publishers" % (a.subscribers, a.publishers),
             "", "| | |", "|---|---|"]
    lines += ["| %s | %s |" % kv for kv in facts]
    lines += ["", "Deliveries/s: messages received by all subscribers together per second, in the measured "
              "%g s window; delays from the publisher's send (scheduled send in paced phases) to the "
              "subscriber's read. `rate-R`: R messages/s posted in total; `full`: each publisher keeps %d "
              "messages not yet delivered to every subscriber. Backlog: seconds after the phase's end until "
              "every subscriber had every message (more than a fraction of a second: the rate was above "
              "what the servers got CPU for). Server CPU: all server processes together, "
              "100%% = one core." % (a.duration, a.window), "",
              "| round | peer | phase | msgs/s | deliveries/s | p50 ms | p99 ms | p99.9 ms | max ms | lost | backlog s | "
              "server CPU % | deliveries per server CPU-s | Redis CPU % | client CPU % | machine busy % | load before |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            r["round"], LABELS.get(r["peer"], r["peer"]),
            r.get("phase", "-") + ("" if r.get("status") == "ok" else " **FAIL**"),
            r.get("msgs_per_s", "–"), r.get("deliveries_per_s", "–"), ms(r.get("p50_us")), ms(r.get("p99_us")),
            ms(r.get("p999_us")), ms(r.get("max_us")), r.get("lost", "–"), secs(r.get("drain_ms")),
            r.get("server_cpu_pct", "–"),
            r.get("deliveries_per_server_cpu_s", "–"), r.get("redis_cpu_pct", "–"), r.get("client_cpu_pct", "–"),
            r.get("machine_busy_pct", "–"), r.get("load_before", "–")))
    lines += ["", "Server descriptors (max seen per process tree): " + ", ".join(
        sorted({"%s %s" % (r["peer"], r.get("server_fds_max", "?")) for r in rows})), "",
              "Command: `gale-bench/run-fanout %s`" % " ".join(argv), ""]
    if failures:
        lines += ["**Failures:**", ""] + ["- %s" % f for f in failures] + [""]
    else:
        lines += ["No failures: every subscriber received every message, in order per publisher.", ""]
    return "\n".join(lines)


def prepare(a):
    if not a.no_build:
        log("build: mvn -q -B -ntp -DskipTests -Dmaven.javadoc.skip=true -pl gale-demos,gale-bench -am package")
        subprocess.run(["mvn", "-q", "-B", "-ntp", "-DskipTests", "-Dmaven.javadoc.skip=true", "-pl",
                        "gale-demos,gale-bench", "-am", "package"], cwd=REPO_DIR, check=True)
    missing = [t for t in ("redis-server",) if shutil.which(t) is None]
    if missing:
        raise SystemExit("missing: %s (apt-get install redis-server)" % " ".join(missing))
    if "socketio" in a.peers:
        if shutil.which("node") is None or shutil.which("npm") is None:
            log("node/npm not found: the Socket.IO peer is left out (apt-get install nodejs npm)")
            a.peers = [p for p in a.peers if p != "socketio"]
        elif not os.path.isdir(os.path.join(SOCKETIO_DIR, "node_modules", "@socket.io", "redis-adapter")):
            log("npm ci in gale-bench/peers/socketio (socket.io, @socket.io/redis-adapter, redis)")
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=SOCKETIO_DIR, check=True)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="gale-bench/run-fanout", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--peers", nargs="+", default=list(PEERS), choices=PEERS)
    p.add_argument("--rounds", type=int, default=1, help="peer order reversed every other round (default 1)")
    p.add_argument("--subscribers", type=int, default=1000)
    p.add_argument("--publishers", type=int, default=2)
    p.add_argument("--rates", type=int, nargs="*", default=[20, 60], help="paced phases, messages/s in total")
    p.add_argument("--window", type=int, default=32, help="full speed: messages in flight per publisher")
    p.add_argument("--warmup", type=float, default=5)
    p.add_argument("--settle", type=float, default=1, help="unmeasured start of each phase, s")
    p.add_argument("--duration", type=float, default=6, help="measured window per phase, s")
    p.add_argument("--body", type=int, default=64, help="chat message body, bytes")
    p.add_argument("--drain", type=float, default=60,
                   help="max s for a phase's last messages to arrive (the client stops earlier after 10 s without a delivery)")
    p.add_argument("--client-timeout", type=float, default=400)
    p.add_argument("--no-build", action="store_true")
    p.add_argument("--gale-cp-prefix", help="class path put before the Gale demo's (a patched class to try)")
    p.add_argument("--client-cp", default=BENCH_JAR, help="class path holding FanoutLoad (default %(default)s)")
    p.add_argument("--out", help="results directory (default gale-bench/results/fanout-<UTC timestamp>)")
    a = p.parse_args(argv)
    if a.subscribers < 1 or a.subscribers > 15000:
        p.error("--subscribers from 1 to 15,000 (one client process; 20,000 descriptors per process)")
    return a


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv):
    a = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    out = a.out or os.path.join(BENCH_DIR, "results", "fanout-" + time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()))
    os.makedirs(os.path.join(out, "logs"), exist_ok=True)
    prepare(a)
    facts = [("date (UTC)", time.strftime("%Y-%m-%d %H:%M", time.gmtime())),
             ("machine", "%d CPUs, Linux %s" % (os.cpu_count(), os.uname().release)),
             ("load average at start", loadavg()),
             ("JDK", JDK),
             ("JVM flags (Gale processes and client)", " ".join(JVM_FLAGS) + " / -Xmx1g -XX:+UseG1GC"),
             ("redis-server", tool_version(["redis-server", "--version"])),
             ("node", tool_version(["node", "--version"]) if shutil.which("node") else "absent"),
             ("Gale commit", tool_version(["git", "-C", REPO_DIR, "rev-parse", "--short", "HEAD"]))]
    log("fan-out: peers %s, %d round(s), %d subscribers, %d publishers, rates %s msg/s, window %d; "
        "about %d s per peer" % (" ".join(a.peers), a.rounds, a.subscribers, a.publishers, a.rates, a.window,
                                 25 + a.warmup + (len(a.rates) + 1) * (a.settle + a.duration + 3)))
    rows, failures = [], []
    try:
        for rnd in range(1, a.rounds + 1):
            order = a.peers if rnd % 2 == 1 else list(reversed(a.peers))
            for peer in order:
                log("round %d: %s (load average %s)" % (rnd, peer, loadavg()))
                try:
                    r, ok, result = run_peer(peer, a, out, rnd)
                except RuntimeError as e:
                    r, ok, result = [{"round": rnd, "peer": peer, "phase": "-", "status": "FAIL",
                                      "load_before": loadavg()}], False, str(e)
                rows += r
                if not ok:
                    failures.append("round %d %s: %s" % (rnd, peer, result))
    except KeyboardInterrupt:
        failures.append("interrupted")
    facts.append(("load average at end", loadavg()))
    fields = ["round", "peer", "phase", "processes", "subscribers", "publishers", "target_msgs_per_s", "window",
              "msgs_per_s", "deliveries_per_s", "p50_us", "p99_us", "p999_us", "max_us", "sent", "deliveries",
              "lost", "gaps", "reorders", "drain_ms", "server_cpu_pct", "deliveries_per_server_cpu_s", "redis_cpu_pct",
              "client_cpu_pct", "machine_busy_pct", "load_before", "server_fds_max", "server_rss_kb", "status"]
    with open(os.path.join(out, "fanout.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    text = summary(a, rows, facts, failures, argv)
    with open(os.path.join(out, "summary.md"), "w") as f:
        f.write(text)
    print(text)
    log("results: %s" % out)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
