"""Markdown summary of a gale-bench/run-ws results folder (echo.csv, idle.csv): echo messages/s and
per server CPU-second with the min-max spread over rounds and same-round ratios, latency, CPU
split, and memory per idle WebSocket connection with its 100,000-connection extrapolation."""
import os

from .echoreport import fmt, num, read_csv, spread, table

ECHO_FIELDS = ["round", "server", "scenario", "connections", "window", "message", "msgs_per_s", "mb_s", "p50_us",
               "p99_us", "seconds", "srv_cpu_s", "srv_cpu_pct", "client_cpu_pct", "other_cpu_pct", "per_srv_cpu",
               "status", "notes", "time"]
IDLE_FIELDS = ["server", "n", "connected", "server_fds", "connect_s", "heap0_kb", "heap1_kb", "heap_kb_per_conn",
               "heap_mb_at_100k", "direct0_kb", "direct1_kb", "direct_kb_per_conn", "direct_mb_at_100k", "rss0_kb",
               "rss1_kb", "rss_kb_per_conn", "rss_mb_at_100k", "status", "notes"]


def ratios(rows, subject, ref, field):
    """Median [min–max] of subject/ref per round (both measured in the same round)."""
    import statistics
    mine = {r["round"]: num(r[field]) for r in rows if r["server"] == subject}
    theirs = {r["round"]: num(r[field]) for r in rows if r["server"] == ref}
    v = [mine[k] / theirs[k] for k in mine if mine[k] and theirs.get(k)]
    if not v:
        return "-"
    m = statistics.median(v)
    return "%.2f×" % m if len(v) == 1 else "%.2f× [%.2f–%.2f]" % (m, min(v), max(v))


def short(label):
    return label.split(" (")[0]


def build(out_dir, facts, commands, labels, failures, window=1):
    echo = [r for r in read_csv(os.path.join(out_dir, "echo.csv")) if r.get("status") == "ok"]
    idle = [r for r in read_csv(os.path.join(out_dir, "idle.csv")) if r.get("status") == "ok"]
    servers = list(labels)
    subject = "gale" if "gale" in servers else servers[0]
    refs = [s for s in servers if s != subject]
    md = ["## WebSocket benchmark, %s\n" % os.path.basename(out_dir.rstrip("/"))]
    md += table(["", ""], [[k, v] for k, v in facts])
    if echo:
        rounds = len({r["round"] for r in echo})
        md.append("\n### echo: 100 connections, 1 KB text messages, %s\n" % (
            "one in flight per connection (send, wait for the echo, send the next)" if window == 1
            else "%d in flight per connection" % window))
        md.append("Server on CPU 0 with one event loop, load client (plain JDK NIO, one thread, every echoed byte "
                  "checked) on CPU 1; median [min–max] of %d round(s), server order alternating; ratios taken "
                  "within each round, then the median. Per server CPU-second = messages/s ÷ server cores used "
                  "(utime+stime from /proc over the measured window).\n" % rounds)
        header = ["server", "messages/s", "per server CPU-s", "p50 / p99 µs", "CPU % server / client / rest"]
        rows = []
        for srv in servers:
            rs = [r for r in echo if r["server"] == srv]
            if not rs:
                continue
            rows.append([labels[srv], spread(num(r["msgs_per_s"]) for r in rs)[1],
                         spread(num(r["per_srv_cpu"]) for r in rs)[1],
                         "%s / %s" % (fmt(spread(num(r["p50_us"]) for r in rs)[0]),
                                      fmt(spread(num(r["p99_us"]) for r in rs)[0])),
                         " / ".join(fmt(spread(num(r[k]) for r in rs)[0])
                                    for k in ("srv_cpu_pct", "client_cpu_pct", "other_cpu_pct"))])
        md += table(header, rows)
        if refs:
            md.append("")
            md += table(["ratio (same round)", "messages/s", "per server CPU-s"],
                        [["%s ÷ %s" % (short(labels[subject]), short(labels[ref])),
                          ratios(echo, subject, ref, "msgs_per_s"), ratios(echo, subject, ref, "per_srv_cpu")]
                         for ref in refs])
    if idle:
        md.append("\n### memory per idle WebSocket connection (handshake done, no traffic)\n")
        md.append("One server process holds N connections opened by client processes of ≤ 5,000 connections bound "
                  "to 127.0.0.2–.5 (a process may hold at most 20,000 descriptors here). Heap: in use after a full "
                  "GC (`jcmd GC.run`, `GC.heap_info`); direct: NMT 'Other' committed "
                  "(`-XX:NativeMemoryTracking=summary`); RSS: VmRSS from /proc. Growth from the baseline (after a "
                  "short echo load) ÷ N; at 100,000 = baseline + 100,000 × growth (a linear extrapolation, not a "
                  "measurement).\n")
        header = ["server", "N held", "heap KB/conn", "direct KB/conn", "RSS KB/conn", "heap MB at 100k",
                  "RSS MB at 100k", "baseline heap / RSS MB"]
        rows = []
        for srv in servers:
            for r in sorted((r for r in idle if r["server"] == srv), key=lambda r: int(r["n"])):
                rows.append([labels[srv], "{:,}".format(int(r["connected"])), fmt(num(r["heap_kb_per_conn"])),
                             fmt(num(r["direct_kb_per_conn"])), fmt(num(r["rss_kb_per_conn"])),
                             fmt(num(r["heap_mb_at_100k"])), fmt(num(r["rss_mb_at_100k"])),
                             "%s / %s" % (fmt((num(r["heap0_kb"]) or 0) / 1024), fmt((num(r["rss0_kb"]) or 0) / 1024))])
        md += table(header, rows)
    md.append("\n### commands\n")
    md += ["    " + c for c in commands]
    flagged = sorted({"%s round %s: %s" % (r["server"], r["round"], r["notes"])
                      for r in read_csv(os.path.join(out_dir, "echo.csv")) if r.get("notes")})
    if failures:
        md.append("\n### FAILED (%d)\n" % len(failures))
        md += ["- " + f for f in failures]
    else:
        md.append("\nAll runs: every echoed byte checked, zero client errors, every idle connection's handshake "
                  "answered and held, and each server still echoed while holding them.")
    if flagged:
        md.append("\nNotes:\n")
        md += ["- " + f for f in flagged]
    text = "\n".join(md) + "\n"
    with open(os.path.join(out_dir, "summary.md"), "w") as f:
        f.write(text)
    return text
