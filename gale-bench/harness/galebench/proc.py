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


def port_free(port, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return True
        time.sleep(0.2)
    return False


def plaintext_ok(port, path="/plaintext"):
    """One GET of `path` on a fresh connection; True on a 200 status line."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as s:
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

    def stop(self):
        if self.proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
                try:
                    os.killpg(self.pid, sig)  # our own process group, by its id
                except ProcessLookupError:
                    break
                try:
                    self.proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    log("  server %d ignored %s" % (self.pid, sig.name))
        self.logf.close()

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
