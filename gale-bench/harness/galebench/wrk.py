"""wrk runs (Debian's wrk 4.1, one thread) and parsing of its report."""
import os
import re
import resource
import subprocess
import time

from .env import CLIENT_CPU, HARNESS_DIR


def command(port, path, conns, secs, pinned, depth=None, rate=None):
    cmd = ["wrk", "-t1", "-c%d" % conns, "-d%ds" % secs, "--latency", "--timeout", "5s"]
    script_args = []
    if depth:
        cmd += ["-s", os.path.join(HARNESS_DIR, "pipeline.lua")]
        script_args = [str(depth)]
    elif rate:
        cmd += ["-s", os.path.join(HARNESS_DIR, "paced.lua")]
        script_args = [str(rate), str(conns)]
    cmd.append("http://127.0.0.1:%d%s" % (port, path))
    if script_args:
        cmd += ["--"] + script_args
    return (["taskset", "-c", CLIENT_CPU] if pinned else []) + cmd


def run(cmd, secs):
    """Runs wrk to completion (bounded); returns (output, wall seconds, CPU seconds wrk used)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=secs + 60)
    wall = time.monotonic() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # taskset execs wrk: the same child
    return p.stdout, wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def _ms(v):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", v)
    if not m:
        return None
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[m.group(2)]


def parse(out):
    r = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    r["rps"] = float(m.group(1)) if m else None
    for pct in ("50", "99"):
        m = re.search(r"^\s+%s%%\s+(\S+)" % pct, out, re.M)
        r["p%s_ms" % pct] = _ms(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in", out)
    r["requests"] = int(m.group(1)) if m else None
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    r["err_connect"], r["err_read"], r["err_write"], r["err_timeout"] = (int(x) for x in m.groups()) if m else (0, 0, 0, 0)
    m = re.search(r"Transfer/sec:\s+([\d.]+)(B|KB|MB|GB)", out)
    r["mb_per_s"] = float(m.group(1)) * {"B": 1 / 1048576, "KB": 1 / 1024, "MB": 1, "GB": 1024}[m.group(2)] if m else None
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    r["non2xx"] = int(m.group(1)) if m else 0
    return r
