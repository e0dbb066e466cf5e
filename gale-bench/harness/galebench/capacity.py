"""Connection capacity: N idle keep-alive connections held by one server process, then one request
on each. A process may hold at most the hard descriptor limit (20,000 here), so the connections
come from several connhold client processes (at most PER_CLIENT each), each bound to its own
127.0.0.x source address. Memory is sampled before and while holding: RSS of the server process
tree, and for JVMs the heap in use after a full GC and NMT's off-heap 'Other' (direct buffers)."""
import csv
import os
import time

from . import wrk
from .env import log
from .peers import connhold_command
from .runner import Child
from .proc import (Server, direct_memory_kb, heap_used_kb_after_gc, jvm_pid, open_fds, port_free, rss_kb)

PER_CLIENT = 5000
SOURCES = ["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"]
NMT = ["-XX:NativeMemoryTracking=summary"]
FIELDS = ["peer", "n", "clients", "connected", "connect_failed", "connect_ms", "server_fds", "rss0_mb", "rss_hold_mb",
          "rss_after_req_mb", "rss_kb_per_conn", "heap0_kb", "heap_hold_kb", "heap_kb_per_conn", "direct0_kb",
          "direct_hold_kb", "direct_kb_per_conn", "rss_mb_at_100k", "heap_mb_at_100k", "resp_ok", "resp_failed",
          "resp_ms", "resp_p50_ms", "resp_p99_ms", "status", "notes"]


def _client(port, n, source, timeout_s, pinned, logf):
    """One connhold process in its own process group, stepped through stdin."""
    return Child(connhold_command(port, n, source, timeout_s), logf, pinned, stdin=True, tag="client")


def _fields(line):
    """'RESPONSES ok=1 failed=0 ...' -> {'ok': 1, 'failed': 0, ...}; the first word is skipped, a bare
    number after it is returned as 'n'."""
    out = {}
    for i, tok in enumerate(line.split()[1:]):
        if "=" in tok:
            k, v = tok.split("=", 1)
            out[k] = int(v)
        elif i == 0:
            out["n"] = int(tok)
    return out


def run(out, port, peers, levels, pinned, failures):
    path = os.path.join(out, "capacity.csv")
    with open(path, "w", newline="") as f, open(os.path.join(out, "logs", "capacity-clients.log"), "w") as clog:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        for peer in peers:
            for n in levels:
                row = measure(out, port, peer, n, pinned, clog)
                w.writerow(row)
                f.flush()
                if row["status"] != "ok":
                    failures.append("capacity %s N=%d: %s" % (peer.name, n, row["notes"]))
                    log("!!! FAIL: " + failures[-1])
                time.sleep(1)


def measure(out, port, peer, n, pinned, clog):
    row = dict(peer=peer.name, n=n, status="FAIL", notes="")
    if not port_free(port):
        row["notes"] = "port busy"
        return row
    with Server(peer.command(port, NMT if peer.jvm else []), port, pinned,
                os.path.join(out, "logs", "capacity-%s.log" % peer.name)) as srv:
        if srv.wait_ready() is None:
            row["notes"] = "server not ready"
            return row
        # a short load first, so lazily created code paths and pools exist before the baseline
        wrk.run(wrk.command(port, "/plaintext", 64, 2, pinned), 2)
        time.sleep(0.5)
        jpid = jvm_pid(srv.pid)  # heap and direct memory only for JVM servers
        heap0 = heap_used_kb_after_gc(jpid) if jpid else None
        direct0 = direct_memory_kb(jpid) if jpid else None
        rss0 = rss_kb(srv.pid)
        k = -(-n // PER_CLIENT)
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
        log("capacity %s N=%d: %d client process(es) of %s connections" % (peer.name, n, k, "/".join(map(str, sizes))))
        clients = [_client(port, s, SOURCES[i % len(SOURCES)], 60, pinned, clog) for i, s in enumerate(sizes)]
        try:
            connected = [_fields(c.expect("CONNECTED", 120) or "CONNECTED 0 failed=0 ms=0") for c in clients]
            row["clients"] = k
            row["connected"] = sum(c.get("n", 0) for c in connected)
            row["connect_failed"] = sum(c.get("failed", 0) + c.get("unfinished", 0) for c in connected)
            row["connect_ms"] = max(c.get("ms", 0) for c in connected)
            time.sleep(2)  # let the server finish accepting and settle
            row["server_fds"] = open_fds(srv.pid)
            rss1 = rss_kb(srv.pid)
            heap1 = heap_used_kb_after_gc(jpid) if jpid else None
            direct1 = direct_memory_kb(jpid) if jpid else None
            for c in clients:
                c.send("request")
            resp = [_fields(c.expect("RESPONSES", 120) or "RESPONSES ok=0 failed=0 noanswer=0 ms=0") for c in clients]
            time.sleep(0.5)
            row["rss_after_req_mb"] = round(rss_kb(srv.pid) / 1024, 1)
        finally:
            for c in clients:
                c.send("close")
                c.stop(grace=30)
    conns = row["connected"]
    row.update(rss0_mb=round(rss0 / 1024, 1), rss_hold_mb=round(rss1 / 1024, 1),
               heap0_kb=heap0 or "", heap_hold_kb=heap1 or "", direct0_kb=direct0 if direct0 is not None else "",
               direct_hold_kb=direct1 if direct1 is not None else "",
               resp_ok=sum(r.get("ok", 0) for r in resp),
               resp_failed=sum(r.get("failed", 0) + r.get("noanswer", 0) for r in resp),
               resp_ms=max(r.get("ms", 0) for r in resp), resp_p50_ms=max(r.get("p50_ms", -1) for r in resp),
               resp_p99_ms=max(r.get("p99_ms", -1) for r in resp))
    if conns:
        per_rss = (rss1 - rss0) / conns
        row["rss_kb_per_conn"] = round(per_rss, 2)
        row["rss_mb_at_100k"] = round((rss0 + per_rss * 100000) / 1024)
        if heap0 is not None and heap1 is not None:
            per_heap = (heap1 - heap0) / conns
            row["heap_kb_per_conn"] = round(per_heap, 2)
            row["heap_mb_at_100k"] = round((heap0 + per_heap * 100000) / 1024)
        if direct0 is not None and direct1 is not None:
            row["direct_kb_per_conn"] = round((direct1 - direct0) / conns, 2)
    problems = []
    if conns != n:
        problems.append("%d of %d connected" % (conns, n))
    if row["resp_ok"] != n:
        problems.append("%d of %d requests answered with 200" % (row["resp_ok"], n))
    row["status"] = "FAIL" if problems else "ok"
    row["notes"] = "; ".join(problems)
    log("capacity %s N=%d: connected %d in %d ms, RSS %.0f -> %.0f MB (%s KB/conn), heap %s KB/conn, direct %s "
        "KB/conn, one request each: %d ok in %d ms" % (
            peer.name, n, conns, row["connect_ms"], rss0 / 1024, rss1 / 1024, row.get("rss_kb_per_conn", "-"),
            row.get("heap_kb_per_conn", "-"), row.get("direct_kb_per_conn", "-"), row["resp_ok"], row["resp_ms"]))
    return row
