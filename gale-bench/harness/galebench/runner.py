"""What the echo and WebSocket runners share: failure bookkeeping, starting a server, JFR
flags, alternating load rounds and the JFR hot-methods summaries."""
import os
import queue
import shlex
import signal
import subprocess
import threading
import time

from .env import CLIENT_CPU, JDK, log
from .proc import Server, cpu_seconds, machine_busy_seconds


class RunnerBase:
    """Subclasses set self.servers (name -> (label, command factory)) and define load_server."""

    def __init__(self, a, out, failures):
        self.a, self.out, self.failures = a, out, failures
        self.clog = open(os.path.join(out, "logs", "clients.log"), "a")

    def fail(self, what):
        self.failures.append(what)
        log("!!! FAIL: " + what)

    def server(self, name, extra, logname):
        return Server(self.servers[name][1](self.a.port, extra), self.a.port, True,
                      os.path.join(self.out, "logs", logname))

    def jfr_flags(self, name, rnd):
        if not self.a.jfr or rnd != 1:
            return []
        os.makedirs(os.path.join(self.out, "jfr"), exist_ok=True)
        return ["-XX:StartFlightRecording=filename=%s,settings=profile,dumponexit=true" % os.path.join(
            self.out, "jfr", "%s.jfr" % name)]

    def load_rounds(self, writer, csvf):
        """Every server once per round; odd rounds in the given order, even rounds reversed."""
        for rnd in range(1, self.a.rounds + 1):
            order = self.a.servers if rnd % 2 == 1 else list(reversed(self.a.servers))
            log("== round %d: %s" % (rnd, " ".join(order)))
            for name in order:
                self.load_server(rnd, name, writer, csvf)

    def measure_client(self, srv, cmd, slack):
        """Runs one load client until its RESULT line and measures the CPU of the server, the
        client and the rest of the machine over the measured window. Returns a dict with the
        parsed result and the CPU figures, or a dict with only 'failure' (a note) when the client
        never started measuring or never reported."""
        seen = []
        c = Child(cmd, self.clog)
        res = None
        try:
            limit = slack + self.a.run_warmup + self.a.duration + self.a.warmup
            if c.expect("MEASURING", limit, seen) is None:
                return {"failure": "client did not start measuring: %s" % " | ".join(seen[-3:])}
            s0, b0, k0, t0 = cpu_seconds(srv.pid), machine_busy_seconds(), c.cpu(), time.monotonic()
            res = c.expect("RESULT", limit, seen)
            s1, b1, k1, t1 = cpu_seconds(srv.pid), machine_busy_seconds(), c.cpu(), time.monotonic()
            c.proc.wait(30)
        except subprocess.TimeoutExpired:
            res = None
        finally:
            c.stop(grace=5)
        if res is None:
            return {"failure": "no RESULT from the client: %s" % " | ".join(seen[-3:])}
        r = parse_result(res)
        wall = t1 - t0
        srv_cpu, cli_cpu = s1 - s0, k1 - k0
        notes = []
        errors = [l for l in seen if l.startswith("ERROR")]
        if errors or r.get("errors"):
            notes.append("%d client error(s): %s" % (len(errors) or int(r.get("errors")), " | ".join(errors[:3])))
        if c.proc.returncode not in (0, None):
            notes.append("client exit status %s" % c.proc.returncode)
        return {"result": r, "wall": wall, "srv_cpu": srv_cpu, "cli_cpu": cli_cpu,
                "other": max(0.0, (b1 - b0) - srv_cpu - cli_cpu),
                "srv_cores": srv_cpu / wall if wall > 0 else 0, "notes": notes}


def jfr_summaries(out):
    d = os.path.join(out, "jfr")
    if not os.path.isdir(d):
        return
    jfr = os.path.join(JDK, "bin", "jfr")
    for f in sorted(os.listdir(d)):
        if f.endswith(".jfr"):
            txt = os.path.join(d, f[:-4] + "-hot-methods.txt")
            with open(txt, "w") as o:
                subprocess.run([jfr, "view", "--width", "200", "hot-methods", os.path.join(d, f)], stdout=o,
                               stderr=subprocess.STDOUT, timeout=120)
            log("jfr: %s" % txt)


def parse_result(line):
    """'RESULT mode=x a=1 b=2.5' -> {'mode': 'x', 'a': 1.0, 'b': 2.5}."""
    out = {}
    for tok in line.split()[1:]:
        k, _, v = tok.partition("=")
        try:
            out[k] = float(v)
        except ValueError:
            out[k] = v
    return out


class Child:
    """A client process in its own process group; its output lines go to a queue and a log."""

    def __init__(self, cmd, logf, pinned=True, stdin=False, tag=None):
        """tag: prefix each logged line with "[tag pid]" (several children sharing one log)."""
        self.cmd = (["taskset", "-c", CLIENT_CPU] if pinned else []) + cmd
        self.logf = logf
        logf.write("$ %s\n" % " ".join(shlex.quote(c) for c in self.cmd))
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     stdin=subprocess.PIPE if stdin else subprocess.DEVNULL, start_new_session=True)
        self.prefix = "[%s %d] " % (tag, self.proc.pid) if tag else ""
        self.lines = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for line in self.proc.stdout:
            self.logf.write(self.prefix + line)
            self.lines.put(line.strip())
        self.lines.put(None)

    def expect(self, prefix, timeout, seen=None):
        """The next line starting with prefix (other lines are appended to seen), or None."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                return None
            if line.startswith(prefix):
                return line
            if seen is not None:
                seen.append(line)

    def send(self, text):
        try:
            self.proc.stdin.write(text + "\n")
            self.proc.stdin.flush()
        except (OSError, ValueError):
            pass

    def stop(self, grace=10):
        if self.proc.stdin:
            try:
                self.proc.stdin.close()  # connhold: end of input closes its connections
            except OSError:
                pass
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            kill_group(self.proc)

    def cpu(self):
        return cpu_seconds(self.proc.pid)


def wait_until(srv, probe, timeout=60.0):
    """Polls probe(port) every 50 ms until it holds (True), the server dies or timeout passes (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not srv.alive():
            return False
        if probe(srv.port):
            return True
        time.sleep(0.05)
    return False


def kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the child's own group, by its id
    except ProcessLookupError:
        pass
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        pass
