"""The long-poll measurement (issue 14): N waiting long polls held by one chat server process,
then one message wakes them all; the time until the last has its answer, and the server's memory
while they wait. Gale's `chat` demo (started as a user starts it, ./gale-demo chat) and Tornado's
chat demo (gale-bench/peers/tornado/chat/chatdemo.py on Debian's python3-tornado), one after the
other on this machine, driven by the same client (LongPollClient.java, a separate process: the
client and the server each hold N sockets, under the 20,000 descriptors a process may have).

Per server: start it, load its page once, measure its memory (baseline); its client opens N
connections and sends a poll on each. All servers hold their polls at the same time (separate
processes, separate clients), and the rounds alternate between them: per round and server, the
runner measures the server's memory while its polls wait (all parked: the server is idle), then
the client posts one message and times every answer, then re-polls on the same connections
(keep-alive) for the next round. Alternating keeps the figures compared seconds apart on a
machine whose load changes by the minute. Round 1 is reported
too, but the first wake-up of a JVM runs partly interpreted: the summary is the median of rounds 2
and later. Gale runs twice: as ./gale-demo starts it (its start-up flags: C1 only, compile
thresholds x10) and with the JVM's default JIT (`gale-c2`, as the harness's load scenarios run).

Memory: resident set (VmRSS from /proc) for both; for Gale also the Java heap in use after a full
collection (jcmd GC.run, then GC.heap_info), i.e. what the waiting polls keep alive.
"""
import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
JDK = os.environ.get("BENCH_JDK", "/usr/lib/jvm/temurin-25-jdk-amd64")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS for %d" % pid)


def open_fds(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def java_heap_used_kib(pid):
    """Heap in use after a full collection, KiB: the generations' "used" of GC.heap_info (Serial,
    which ./gale-demo runs, prints DefNew and Tenured; G1 one heap line; Metaspace has no total)."""
    jcmd = os.path.join(JDK, "bin", "jcmd")
    subprocess.run([jcmd, str(pid), "GC.run"], check=True, capture_output=True, timeout=120)
    out = subprocess.run([jcmd, str(pid), "GC.heap_info"], check=True, capture_output=True, text=True,
                         timeout=120).stdout
    gens = re.findall(r"total \d+K, used (\d+)K", out)  # DefNew + Tenured (Serial), or G1's heap line
    if not gens:
        raise RuntimeError("cannot read GC.heap_info:\n" + out)
    return sum(int(g) for g in gens)


class Server:
    def __init__(self, name, cmd, env, log_path):
        self.name = name
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log, text=True, env=env,
                                     start_new_session=True)
        deadline = time.monotonic() + 600  # ./gale-demo may build first
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError("%s exited before listening (see %s)" % (name, log_path))
            if "listening on" in line:
                break
            if time.monotonic() > deadline:
                raise RuntimeError("%s did not start" % name)
        self.pid = self.proc.pid

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def start_server(name, port, logdir):
    env = dict(os.environ)
    if name in ("gale", "gale-c2"):
        cmd = [os.path.join(ROOT, "gale-demo"), "chat", "--port", str(port), "--logging=warning"]
        if name == "gale-c2":
            # The launcher's start-up defaults (C1 only, compile thresholds x10) replaced by the
            # JVM's own, as the harness's other load scenarios run the demos.
            env["GALE_JAVA_OPTS"] = "-XX:TieredStopAtLevel=4 -XX:CompileThresholdScaling=1"
    elif name == "tornado":
        cmd = ["/usr/bin/python3", os.path.join(ROOT, "gale-bench", "peers", "tornado", "chat", "chatdemo.py"),
               "--port=%d" % port, "--logging=warning"]
    else:
        raise ValueError(name)
    return Server(name, cmd, env, os.path.join(logdir, name + ".log"))


def memory(server, label):
    m = {"when": label, "rss_kib": rss_kib(server.pid), "fds": open_fds(server.pid)}
    if server.name.startswith("gale"):
        m["heap_used_kib"] = java_heap_used_kib(server.pid)
        m["rss_after_gc_kib"] = rss_kib(server.pid)
    return m


def parse_fields(line):
    return {k: (float(v) if "." in v else int(v)) for k, v in re.findall(r"(\w+)=([0-9.]+)", line)}


class Run:
    """One server with its client, the client's N polls waiting."""

    def __init__(self, name, clients, logdir):
        self.name = name
        port = free_port()
        self.server = start_server(name, port, logdir)
        urllib.request.urlopen("http://127.0.0.1:%d/" % port, timeout=30).read()
        self.result = {"server": name, "clients": clients, "baseline": memory(self.server, "baseline"),
                       "rounds": []}
        self.client = subprocess.Popen(
            [os.path.join(JDK, "bin", "java"), "-Xmx512m", os.path.join(HERE, "LongPollClient.java"),
             "--port", str(port), "--clients", str(clients), "--server-pid", str(self.server.pid)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=sys.stderr, text=True)
        self.waiting = self.expect("WAITING")

    def expect(self, word):
        line = self.client.stdout.readline().strip()
        if not line.startswith(word):
            raise RuntimeError("%s client: expected %s, got %r" % (self.name, word, line))
        return line

    def command(self, cmd):
        self.client.stdin.write(cmd + "\n")
        self.client.stdin.flush()

    def round(self, number):
        """Memory while waiting, then one post and every answer, then the next polls."""
        load = os.getloadavg()[0]
        mem = memory(self.server, "waiting")
        self.command("post")
        answered = self.expect("ANSWERED")
        row = {"round": number, "waiting": parse_fields(self.waiting), "answered": parse_fields(answered),
               "memory": mem, "load": load}
        print("%s round %d: %s | %s | rss %d KiB%s | load %.1f" % (
            self.name, number, self.waiting, answered, mem["rss_kib"],
            (", heap used %d KiB" % mem["heap_used_kib"]) if "heap_used_kib" in mem else "", load), flush=True)
        self.result["rounds"].append(row)
        self.command("repoll")
        self.waiting = self.expect("WAITING")

    def close(self):
        try:
            if self.client.poll() is None:
                self.command("close")
                self.client.wait(timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            self.client.kill()
        finally:
            self.server.stop()


def measure_all(names, clients, rounds, logdir):
    """Every server holds its polls at once; the rounds alternate between them (the order reversed
    every other round), so the figures compared are seconds apart on this shared machine."""
    runs = []
    try:
        for name in names:
            runs.append(Run(name, clients, logdir))
        for r in range(rounds):
            order = runs if r % 2 == 0 else list(reversed(runs))
            for run in order:
                run.round(r + 1)
        return [run.result for run in runs]
    finally:
        for run in runs:
            run.close()


def summary(results):
    lines = ["| server | polls answered | last answer (ms) | p50 (ms) | first (ms) | "
             "RSS waiting (MiB) | RSS per poll (KiB) | Java heap used, waiting (MiB) | heap per poll (KiB) | "
             "load average |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for res in results:
        rounds = res["rounds"][1:] or res["rounds"]
        last = statistics.median(r["answered"]["last_ms"] for r in rounds)
        p50 = statistics.median(r["answered"]["p50_ms"] for r in rounds)
        first = statistics.median(r["answered"]["first_ms"] for r in rounds)
        ok = min(r["answered"]["ok"] for r in res["rounds"])
        rss = statistics.median(r["memory"]["rss_kib"] for r in rounds)
        per = (rss - res["baseline"]["rss_kib"]) / res["clients"]
        heap = heap_per = "n/a"
        if "heap_used_kib" in res["baseline"]:
            h = statistics.median(r["memory"]["heap_used_kib"] for r in rounds)
            heap = "%.1f" % (h / 1024)
            heap_per = "%.2f" % ((h - res["baseline"]["heap_used_kib"]) / res["clients"])
        load = statistics.median(r["load"] for r in rounds)
        lines.append("| %s | %d of %d | %.0f | %.0f | %.0f | %.0f | %.2f | %s | %s | %.1f |" % (
            res["server"], ok, res["clients"], last, p50, first, rss / 1024, per, heap, heap_per, load))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--clients", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--servers", nargs="+", default=["gale", "gale-c2", "tornado"],
                    help="gale: ./gale-demo chat as a user starts it; gale-c2: the same with the JVM's "
                         "default JIT; tornado: Tornado's chat demo")
    ap.add_argument("--out", default=None, help="JSON results (default results/longpoll-<time>.json)")
    args = ap.parse_args()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    outdir = os.path.join(HERE, "results")
    os.makedirs(outdir, exist_ok=True)
    logdir = os.path.join(outdir, "logs-" + stamp)
    os.makedirs(logdir, exist_ok=True)
    subprocess.run([os.path.join(ROOT, "gale-demo"), "--prepare", "chat"], check=True)
    results = measure_all(args.servers, args.clients, args.rounds, logdir)
    out = args.out or os.path.join(outdir, "longpoll-%s.json" % stamp)
    with open(out, "w") as f:
        json.dump({"started": stamp, "clients": args.clients, "rounds": args.rounds,
                   "machine": {"cpus": os.cpu_count()}, "results": results}, f, indent=2)
    print()
    print(summary(results))
    print("\nresults: " + out)


if __name__ == "__main__":
    main()
