"""Markdown summary of a gale-bench/run-echo results folder (echo.csv, idle.csv): medians with the
min-max spread over rounds, ratios to Netty measured within the same round, CPU use, and memory
per idle connection."""
import csv
import os
import statistics

LOAD_FIELDS = ["round", "server", "scenario", "connections", "value", "recv_mb_s", "sent_mb_s", "rt_per_s", "p50_us",
               "p99_us", "seconds", "srv_cpu_s", "srv_cpu_pct", "client_cpu_pct", "other_cpu_pct", "per_srv_cpu",
               "status", "notes", "time"]
IDLE_FIELDS = ["round", "server", "n", "connected", "accepted", "heap0_kb", "heap1_kb", "heap_kb_per_conn",
               "direct0_kb", "direct1_kb", "direct_kb_per_conn", "rss0_kb", "rss1_kb", "rss_kb_per_conn", "status",
               "notes"]
TITLES = {
    "throughput-c1": ("echo throughput, 1 connection", "MB/s"),
    "throughput-c64": ("echo throughput, 64 connections", "MB/s"),
    "pingpong-c1": ("ping-pong, 1 connection", "round trips/s"),
    "pingpong-c64": ("ping-pong, 64 connections", "round trips/s"),
}


def read_csv(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return list(csv.DictReader(f))


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def fmt(x):
    if x is None:
        return "-"
    if abs(x) >= 100000:
        return "{:,.0f}".format(x)
    if abs(x) >= 100:
        return "{:,.0f}".format(x)
    if abs(x) >= 10:
        return "%.1f" % x
    return "%.2f" % x


def spread(values):
    """(median, 'median [min–max]') of the non-None values."""
    v = [x for x in values if x is not None]
    if not v:
        return None, "-"
    m = statistics.median(v)
    return m, fmt(m) if len(v) == 1 else "%s [%s–%s]" % (fmt(m), fmt(min(v)), fmt(max(v)))


def ratio_cell(rows, subject, ref, scen, field):
    """Median [min–max] of subject/ref per round (both measured in the same round)."""
    mine = {r["round"]: num(r[field]) for r in rows if r["server"] == subject and r["scenario"] == scen}
    theirs = {r["round"]: num(r[field]) for r in rows if r["server"] == ref and r["scenario"] == scen}
    ratios = [mine[k] / theirs[k] for k in mine if mine[k] and theirs.get(k)]
    if not ratios:
        return "-"
    m = statistics.median(ratios)
    return "%.2f×" % m if len(ratios) == 1 else "%.2f× [%.2f–%.2f]" % (m, min(ratios), max(ratios))


def table(header, rows):
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in rows]


def build(out_dir, facts, commands, labels, failures, args=None):
    load = [r for r in read_csv(os.path.join(out_dir, "echo.csv")) if r.get("status") == "ok"]
    idle = read_csv(os.path.join(out_dir, "idle.csv"))
    servers = list(labels)
    subject = "gale" if "gale" in servers else servers[0]
    ref = next((s for s in ("netty-nio", "netty-epoll") if s in servers and s != subject), None)
    md = ["## Gale stream layer: echo benchmark, %s\n" % os.path.basename(out_dir.rstrip("/"))]
    md += table(["", ""], [[k, v] for k, v in facts])
    scen = [s for s in TITLES if any(r["scenario"] == s for r in load)]
    if scen:
        rounds = len({r["round"] for r in load})
        md.append("\nServer on CPU 0 with one event loop, load client (plain JDK NIO, one thread) on CPU 1; "
                  "MB = 10^6 bytes echoed per second; median [min–max] of %d round(s), server order alternating. "
                  "Ratios are taken within each round, then the median.\n" % rounds)
        for field, what in (("value", "per second"), ("per_srv_cpu", "per server CPU-second (figure ÷ server cores used)")):
            md.append("\n### %s\n" % what)
            header = ["scenario", "unit"] + [labels[s] for s in servers]
            if ref:
                header.append("%s ÷ %s" % (labels[subject].split(" (")[0], labels[ref].split(" (")[0]))
            rows = []
            for s in scen:
                title, unit = TITLES[s]
                cells = [title, unit + ("" if field == "value" else " per CPU-s")]
                for srv in servers:
                    cells.append(spread(num(r[field]) for r in load if r["server"] == srv and r["scenario"] == s)[1])
                if ref:
                    cells.append(ratio_cell(load, subject, ref, s, field))
                rows.append(cells)
            md += table(header, rows)
        pp = [s for s in scen if s.startswith("pingpong")]
        if pp:
            md.append("\n### ping-pong latency, µs, median over rounds: p50 / p99\n")
            rows = []
            for srv in servers:
                cells = [labels[srv]]
                for s in pp:
                    rs = [r for r in load if r["server"] == srv and r["scenario"] == s]
                    p50 = spread(num(r["p50_us"]) for r in rs)[0]
                    p99 = spread(num(r["p99_us"]) for r in rs)[0]
                    cells.append("%s / %s" % (fmt(p50), fmt(p99)))
                rows.append(cells)
            md += table(["server"] + [TITLES[s][0] for s in pp], rows)
        md.append("\n### CPU during the measured window, % of one core, median: server / client / rest of the machine\n")
        rows = []
        for srv in servers:
            cells = [labels[srv]]
            for s in scen:
                rs = [r for r in load if r["server"] == srv and r["scenario"] == s]
                cells.append("%s / %s / %s" % tuple(fmt(spread(num(r[k]) for r in rs)[0])
                                                    for k in ("srv_cpu_pct", "client_cpu_pct", "other_cpu_pct")))
            rows.append(cells)
        md += table(["server"] + [TITLES[s][0] for s in scen], rows)
    if idle:
        n = idle[0]["n"]
        md.append("\n### memory per idle connection, %s connections held (server and clients in separate processes)\n"
                  % n)
        md.append("Heap: in use after a full GC (`jcmd GC.run`, `GC.heap_info`); direct: NMT 'Other' committed "
                  "(`-XX:NativeMemoryTracking=summary`, `jcmd VM.native_memory summary`); RSS from /proc. "
                  "Growth from the baseline (after a short echo load) to holding the connections, ÷ connections.\n")
        rows = []
        for srv in servers:
            rs = [r for r in idle if r["server"] == srv and r["status"] == "ok"]
            if not rs:
                continue
            cells = [labels[srv], "%s / %s" % (rs[0]["connected"], rs[0]["accepted"])]
            for k in ("heap_kb_per_conn", "direct_kb_per_conn", "rss_kb_per_conn"):
                cells.append(spread(num(r[k]) for r in rs)[1])
            cells.append("%s / %s / %s MB" % tuple(fmt((spread(num(r[k]) for r in rs)[0] or 0) / 1024)
                                                  for k in ("heap0_kb", "direct0_kb", "rss0_kb")))
            rows.append(cells)
        md += table(["server", "connected / accepted", "heap KB/conn", "direct KB/conn", "RSS KB/conn",
                     "baseline heap / direct / RSS"], rows)
    md.append("\n### commands\n")
    md += ["    " + c for c in commands]
    flagged = sorted({"%s %s round %s: %s" % (r["server"], r["scenario"], r["round"], r["notes"])
                      for r in read_csv(os.path.join(out_dir, "echo.csv")) if r.get("notes")})
    if failures or flagged:
        md.append("\n### FAILED (%d)\n" % len(failures))
        md += ["- " + f for f in failures + [x for x in flagged if not any(x in f for f in failures)]]
    else:
        md.append("\nAll runs: every echoed byte checked (ping-pong: all bytes; throughput: first, middle and last byte "
                  "of every read), zero client errors, every idle connection accepted.")
    text = "\n".join(md) + "\n"
    with open(os.path.join(out_dir, "summary.md"), "w") as f:
        f.write(text)
    return text
