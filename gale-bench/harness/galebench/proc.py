"""Server processes: started in their own session (process group), stopped by that group id, and
measured through /proc (CPU ticks, RSS, descriptors of the whole process tree) and jcmd."""
import datetime
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import time

from .env import CLK_TCK, JCMD, REPO_DIR, SERVER_CPU, log


def tree_pids(root):
    """root and all its descendants (a server may be a wrapper script plus its JVM)."""
    children = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    s = f.read()
                children.setdefault(int(s[s.rfind(")") + 2:].split()[1]), []).append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    out, stack = [], [root]
    while stack:
        p = stack.pop()
        out.append(p)
        stack.extend(children.get(p, []))
    return out


def cpu_seconds(root):
    """utime + stime of the process tree, from /proc/<pid>/stat."""
    ticks = 0
    for p in tree_pids(root):
        try:
            with open("/proc/%d/stat" % p) as f:
                s = f.read()
            fields = s[s.rfind(")") + 2:].split()
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, ValueError, IndexError):
            pass
    return ticks / CLK_TCK


def rss_kb(root):
    total = 0
    for p in tree_pids(root):
        try:
            with open("/proc/%d/status" % p) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def open_fds(root):
    n = 0
    for p in tree_pids(root):
        try:
            n += len(os.listdir("/proc/%d/fd" % p))
        except OSError:
            pass
    return n


def machine_busy_seconds():
    """Non-idle CPU time of the whole machine (user+nice+system+irq+softirq+steal)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / CLK_TCK


# Ports and probes. A server here listens with SO_REUSEADDR (the JDK's server sockets, Tornado
# and nginx all set it), so the sockets a previous server accepted, even in TIME_WAIT, never keep
# its successor from binding the port. What does keep it is a *client* socket whose local port is
# the server's port: a client socket has no SO_REUSEADDR, and Linux refuses a bind that conflicts
# with it (TIME_WAIT included, for 60 s) while a connect to the port is refused as if it were free.
# Any connect may be given such a local port when the server's port lies in the kernel's ephemeral
# range (ip_local_port_range, 32768-60999 here), and a connect to a port nobody listens on can
# even be given the port itself: the socket connects to itself (TCP simultaneous open) and reads
# back its own bytes. That is how the A/B of 2026-12-06 on --port 38480 lost three rounds: a
# probe of the harness (before the next JVM started, then every millisecond while it started)
# connected to itself on 38480, and the JVM's bind failed ("cannot listen on port 38480: it is
# already in use"); see docs/benchmarks.md. Hence: ports below the ephemeral range (the CLI
# refuses others), probe sockets with SO_REUSEADDR (their TIME_WAIT then blocks no server), and
# "free" meaning bindable.
PORT_WAIT_S = 65.0  # longest wait for a port to become bindable: Linux's TIME_WAIT lasts 60 s


def ephemeral_port_range(path="/proc/sys/net/ipv4/ip_local_port_range"):
    """(low, high) of the ports the kernel gives to connects without a bind; None if unknown."""
    try:
        with open(path) as f:
            low, high = (int(x) for x in f.read().split()[:2])
        return low, high
    except (OSError, ValueError):
        return None


def ephemeral_overlap(first, last, rng=None):
    """The part of ports first..last inside the ephemeral range, as (low, high), or None."""
    rng = rng or ephemeral_port_range()
    if not rng:
        return None
    low, high = max(first, rng[0]), min(last, rng[1])
    return (low, high) if low <= high else None


def probe_socket():
    """A client socket for the harness's own probes: SO_REUSEADDR, so that if the kernel gives it
    a server's port as its local port (see above), its TIME_WAIT does not block that server's bind."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    return s


def probe_connection(port, timeout=1.0, sock=None):
    """A probe socket (probe_socket, or `sock`: tests pass one bound to a port) connected to
    127.0.0.1:port; raises OSError as a connect does. A socket the kernel connected to itself
    (nobody listens yet; it would read back its own request, an echo check would pass) is closed
    and raised as ConnectionRefusedError."""
    s = sock or probe_socket()
    try:
        s.settimeout(timeout)
        s.connect(("127.0.0.1", port))
        if s.getsockname() == s.getpeername():
            raise ConnectionRefusedError("port %d: the probe connected to itself, nothing listens yet" % port)
        return s
    except BaseException:
        s.close()
        raise


def port_bindable(port):
    """True when a listener with SO_REUSEADDR could bind 127.0.0.1:port now (nothing is sent)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


class PortPicker:
    """Hands out the ports of first..last in turn for servers whose port the harness picks itself
    (run-fanout's demos and Redis, the peers' smoke test): each one bindable now (port_bindable)
    and outside the kernel's ephemeral range (see above: a port from bind(("", 0)) lies inside
    it). Taking them in turn, not the lowest free one, keeps a port just given up (its accepted
    connections in TIME_WAIT) from being handed out again at once. Not thread-safe: one picker
    per run. take() raises RuntimeError when no port of the range qualifies."""

    def __init__(self, first, last, rng=None):
        self.first, self.last, self.next = first, last, first
        self.rng = rng

    def take(self, extra=()):
        """The next port P with P and P + each offset of `extra` (an HTTPS side, say) bindable and
        outside the ephemeral range."""
        rng = self.rng or ephemeral_port_range()
        for _ in range(self.last - self.first + 1):
            p = self.next
            self.next = self.first if p >= self.last else p + 1
            wanted = [p] + [p + e for e in extra]
            if ephemeral_overlap(min(wanted), max(wanted), rng):
                continue
            if all(port_bindable(q) for q in wanted):
                return p
        raise RuntimeError("no port of %d-%d is bindable and outside the ephemeral range %s" % (
            self.first, self.last, "%d-%d" % rng if rng else "(unknown)"))


def port_holders(port):
    """The TCP sockets whose local port is `port` (ss -tan), one line each: what holds a port."""
    try:
        r = subprocess.run(["ss", "-tanH", "sport = :%d" % port], capture_output=True, text=True, timeout=10)
        return [" ".join(line.split()) for line in r.stdout.splitlines() if line.strip()]
    except (OSError, subprocess.TimeoutExpired):
        return []


def port_free(port, timeout=PORT_WAIT_S):
    """Waits (bounded) until a server can bind `port` (port_bindable); False if it never could.
    Binds rather than connects: a connect probe is refused by a port that a client socket's
    TIME_WAIT still blocks, and may itself connect to itself and block the port (see above)."""
    deadline = time.monotonic() + timeout
    while True:
        if port_bindable(port):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)


def port_busy_note(port, timeout=PORT_WAIT_S):
    """The failure text for a port that never became bindable: who holds it, per ss."""
    held = port_holders(port)
    return "port %d not bindable within %.0f s, held by: %s" % (port, timeout, "; ".join(held) or "? (ss shows none)")


def plaintext_ok(port, path="/plaintext"):
    """One GET of `path` on a fresh connection; True on a 200 status line."""
    try:
        with probe_connection(port) as s:
            s.sendall(b"GET " + path.encode("ascii") + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            return s.recv(4096).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def check_responses(port):
    """TechEmpower response checks on /plaintext and /json (status, Content-Type, body, Server and
    Date headers); returns a list of problems (empty = ok)."""
    problems = []
    for path, ctype, check in (
            ("/plaintext", "text/plain", lambda b: b == b"Hello, World!"),
            ("/json", "application/json", lambda b: json.loads(b) == {"message": "Hello, World!"})):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
            if r.status != 200:
                problems.append("%s: status %d" % (path, r.status))
            if not (r.getheader("Content-Type") or "").startswith(ctype):
                problems.append("%s: Content-Type %r" % (path, r.getheader("Content-Type")))
            if not check(body):
                problems.append("%s: body %r" % (path, body[:80]))
            # TechEmpower requires both on every response: every server then does the same work.
            for name in ("Server", "Date"):
                if not r.getheader(name):
                    problems.append("%s: no %s header" % (path, name))
        except (OSError, ValueError, http.client.HTTPException) as e:
            problems.append("%s: %s" % (path, e))
        finally:
            conn.close()
    return problems


# How Server.stop ends a server: SIGTERM to its process group, then up to STOP_GRACE_S for every
# process of the group to exit (a Gale demo with DemoOptions.drainOnTerm drains for at most
# DRAIN_DEADLINE, 10 s, and its hook gives up 5 s later: 15 s covers it; the bench demo has no
# drain and exits at once), then SIGKILL to the group and up to KILL_WAIT_S more. Waiting for the
# processes, not for the port, is what makes "stopped" mean stopped: a wrapper that exits on
# SIGTERM may leave a child that still listens, and a listener closed early says nothing about
# the process that still holds its connections.
STOP_GRACE_S = 15.0
KILL_WAIT_S = 10.0


def group_members(pgid):
    """Live (not zombie) processes of process group `pgid`, from /proc/<pid>/stat."""
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/stat" % d) as f:
                    s = f.read()
                fields = s[s.rfind(")") + 2:].split()
                if int(fields[2]) == pgid and fields[0] != "Z":
                    out.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return out


class Server:
    """One server process in its own session; stop() kills exactly that process group."""

    def __init__(self, cmd, port, pinned, logpath, env=None):
        self.port = port
        self.cmd = (["taskset", "-c", SERVER_CPU] if pinned else []) + cmd
        self.logf = open(logpath, "ab")
        self.logf.write(("\n### %s %s\n" % (datetime.datetime.now().isoformat(), " ".join(self.cmd))).encode())
        self.logf.flush()
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(self.cmd, stdout=self.logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True, env=env, cwd=REPO_DIR)
        self.pid = self.proc.pid
        self.stopped = None  # how stop() ended it: see stop()

    def wait_ready(self, timeout=60.0, poll=0.001, path="/plaintext"):
        """Seconds from the start of the process to its first 200 on `path`; None if it died or timed out."""
        deadline = self.t0 + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return None
            if plaintext_ok(self.port, path):
                return time.monotonic() - self.t0
            time.sleep(poll)
        return None

    def alive(self):
        return self.proc.poll() is None

    def exit_note(self):
        """Why a server that never answered did not: its exit status, or that it still ran."""
        code = self.proc.poll()
        if code is None:
            return "still running"
        return "exited with status %d" % code if code >= 0 else "killed by signal %d" % -code

    def _group_gone(self, timeout):
        """Waits (bounded) until the root is reaped and no process of the group is left."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.proc.wait(max(0.0, min(0.05, deadline - time.monotonic())))
            except subprocess.TimeoutExpired:
                pass
            if self.proc.poll() is not None and not group_members(self.pid):
                return True
            if time.monotonic() >= deadline:
                return False

    def stop(self, grace=STOP_GRACE_S, kill_wait=KILL_WAIT_S):
        """SIGTERM to the process group, up to `grace` seconds for all of it to exit, then SIGKILL
        and up to `kill_wait` more. Returns and records in self.stopped one of "exited" (gone
        before the stop), "sigterm", "sigkill" or "survived" (still there after SIGKILL: reported)."""
        if self.stopped is not None:
            return self.stopped
        t0 = time.monotonic()
        outcome = "exited"
        if self.proc.poll() is None or group_members(self.pid):
            outcome = "survived"
            for sig, wait, name in ((signal.SIGTERM, grace, "sigterm"), (signal.SIGKILL, kill_wait, "sigkill")):
                try:
                    os.killpg(self.pid, sig)  # our own process group, by its id
                except ProcessLookupError:
                    pass  # the group is empty already (the root may still need reaping)
                if self._group_gone(wait):
                    outcome = name
                    break
                log("  server %d: process group still running %.0f s after %s" % (self.pid, wait, sig.name))
        note = "stopped: %s after %.2f s" % (outcome, time.monotonic() - t0)
        if outcome == "survived":
            log("  server %d: %s (processes %s)" % (self.pid, note, group_members(self.pid)))
        try:
            self.logf.write(("### %s\n" % note).encode())
        except ValueError:
            pass
        self.logf.close()
        self.stopped = outcome
        return outcome

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def jvm_pid(root):
    """The java process in the tree (taskset and ./gale-demo exec, so usually root itself), or None."""
    for p in tree_pids(root):
        try:
            with open("/proc/%d/comm" % p) as f:
                if f.read().strip() == "java":
                    return p
        except OSError:
            pass
    return None


def jcmd(pid, *args):
    try:
        return subprocess.run([JCMD, str(pid)] + list(args), capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""


def heap_used_kb_after_gc(pid):
    """Java heap in use right after a full GC (jcmd GC.run, then GC.heap_info)."""
    jcmd(pid, "GC.run")
    m = re.search(r"used (\d+)K", jcmd(pid, "GC.heap_info"))
    return int(m.group(1)) if m else None


def direct_memory_kb(pid):
    """Committed off-heap memory of NMT's 'Other' category: direct ByteBuffers and Unsafe
    allocations (Netty's pooled direct arenas). Needs -XX:NativeMemoryTracking=summary."""
    m = re.search(r"-\s+Other \(reserved=\d+KB, committed=(\d+)KB\)", jcmd(pid, "VM.native_memory", "summary"))
    return int(m.group(1)) if m else None
