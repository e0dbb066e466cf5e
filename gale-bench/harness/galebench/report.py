"""Summary of one results folder: markdown tables (medians with min-max spread over rounds) and the
chart table the Java chart maker turns into PNGs. Reads only the CSVs, so it can be rerun on an
old folder: gale-bench/run --report-only DIR."""
import csv
import os
import statistics

from . import fortunes, h2, staticfiles, targets
from .stats import num, round_ratios


def _read(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return list(csv.DictReader(f))


def _k(x):
    """Compact number: 123456 -> 123k, 1234 -> 1.2k, 12.34 -> 12.3."""
    if x is None:
        return "-"
    if abs(x) >= 100000:
        return "%.0fk" % (x / 1000)
    if abs(x) >= 1000:
        return "%.1fk" % (x / 1000)
    if abs(x) >= 10:
        return "%.0f" % x
    return "%.2g" % x if x else "0"


def _spread(values):
    v = [x for x in values if x is not None]
    if not v:
        return None, "-"
    m = statistics.median(v)
    return m, (_k(m) if len(v) == 1 else "%s [%s–%s]" % (_k(m), _k(min(v)), _k(max(v))))


def _table(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def build(out_dir, facts, commands, peer_labels, failures, skipped):
    load_all = _read(os.path.join(out_dir, "load.csv"))
    # the static-file family has its own peers and section (staticfiles.report)
    load = [r for r in load_all if r["scenario"] not in staticfiles.SCENARIOS + fortunes.SCENARIOS + h2.SCENARIOS]
    startup = _read(os.path.join(out_dir, "startup.csv"))
    cap = _read(os.path.join(out_dir, "capacity.csv"))
    md, chart_rows = [], []
    md.append("## Gale macro benchmark, %s\n" % os.path.basename(out_dir.rstrip("/")))
    md += _table(["", ""], [[k, v] for k, v in facts])
    if skipped:
        md.append("\nNot measured: " + "; ".join(skipped))
    if any(r["peer"] == "gale" for r in load):
        md.append("\n### issue 7's targets, this run (pinned; ratios per server CPU-second, median of within-round "
                  "ratios)\n")
        md += _table(["target", "measured", ""], [list(r) for r in targets.check(load, startup, cap, failures)])
    label = lambda p: peer_labels.get(p, p)
    modes = [m for m in ("pinned", "unpinned") if any(r["mode"] == m for r in load)]
    scen = list(dict.fromkeys(r["scenario"] for r in load))
    peers = [p for p in peer_labels if any(r["peer"] == p for r in load)]
    by = {}
    for r in load:
        by.setdefault((r["mode"], r["peer"], r["scenario"]), []).append(r)
    for mode in modes:
        rounds = len({r["round"] for r in load if r["mode"] == mode})
        what = ("server on CPU 0, wrk -t1 on CPU 1" if mode == "pinned" else "no CPU pinning")
        sat = [s for s in scen if s != "latency-fixed-rate"]
        for metric, title, unit in (("rps", "req/s", "req/s"),
                                    ("rps_per_srv_cpu", "requests per server CPU-second (req/s ÷ server cores used)",
                                     "req per server CPU-s")):
            fewer = []  # peers measured in fewer rounds than the others (the preset's extra peers)
            for p in peers:
                n = len({r["round"] for r in load if r["mode"] == mode and r["peer"] == p})
                if 0 < n < rounds:
                    fewer.append("%s: %d" % (label(p), n))
            md.append("\n### %s (%s): %s, median [min–max] of %d round(s)%s\n" % (
                mode, what, title, rounds, " (%s)" % ", ".join(fewer) if fewer else ""))
            rows = []
            for p in peers:
                cells = []
                for s in sat:
                    m, text = _spread(num(r[metric]) for r in by.get((mode, p, s), []))
                    cells.append(text)
                    chart_rows.append(("%s-%s" % (mode, s), "%s (%s) - median of %d round(s)" % (s, mode, rounds),
                                       "requests per second", label(p), unit, "" if m is None else "%.0f" % m))
                if any(by.get((mode, p, s)) for s in sat):
                    rows.append([label(p)] + cells)
            md += _table(["server"] + sat, rows)
        # latency
        md.append("\n### %s: latency p50 / p99 ms (medians over rounds)\n" % mode)
        lat_s = [s for s in ("plaintext-c128", "plaintext-c1024", "json-c1024", "latency-fixed-rate") if s in scen]
        rows = []
        for p in peers:
            cells = []
            for s in lat_s:
                rs = by.get((mode, p, s), [])
                p50 = _spread(num(r["p50_ms"]) for r in rs)[0]
                p99 = _spread(num(r["p99_ms"]) for r in rs)[0]
                cell = "%s / %s" % ("-" if p50 is None else "%.2f" % p50, "-" if p99 is None else "%.1f" % p99)
                if s == "latency-fixed-rate" and rs:
                    got = _spread(num(r["rps"]) for r in rs)[0]
                    cell += " (at %s of %s req/s)" % (_k(got), _k(num(rs[0]["target_rps"])))
                    chart_rows.append(("%s-latency" % mode, "latency at a fixed %s req/s, 128 connections (%s)" % (
                        rs[0]["target_rps"], mode), "ms", label(p), "p50", "" if p50 is None else "%.3f" % p50))
                    chart_rows.append(("%s-latency" % mode, "latency at a fixed %s req/s, 128 connections (%s)" % (
                        rs[0]["target_rps"], mode), "ms", label(p), "p99", "" if p99 is None else "%.3f" % p99))
                cells.append(cell)
            rows.append([label(p)] + cells)
        md += _table(["server"] + lat_s, rows)
        # ratios measured within a round, on the per-CPU figure
        for ref in ("gale-base", "tornado", "vertx", "netty-nio", "netty-epoll"):
            if ref not in peers or len(peers) < 2:
                continue
            subject = ["gale"] if "gale" in peers else [p for p in peers if p != ref]
            md.append("\n### %s: ratio to %s in requests per server CPU-second, same round, median [min–max]\n"
                      % (mode, label(ref)))
            rows = []
            for p in subject:
                if p == ref:
                    continue
                cells = []
                for s in sat:
                    ratios = round_ratios(load, p, ref, s, mode)
                    if ratios:
                        m = statistics.median(ratios)
                        cells.append("%.2f×" % m if len(ratios) == 1 else "%.2f× [%.2f–%.2f]" % (m, min(ratios), max(ratios)))
                    else:
                        cells.append("-")
                rows.append([label(p)] + cells)
            md += _table(["server"] + sat, rows)
            if ref == "gale-base" and "gale" in peers:
                # an A/B rests on its paired rounds only: say how many there were
                md.append("\nRounds with both builds measured: %s (of %d round(s) in this mode).\n" % (
                    ", ".join("%s %d" % (s, len(round_ratios(load, "gale", ref, s, mode))) for s in sat), rounds))
            if "gale" not in peers:
                break  # without Gale one reference (Tornado, or the first present) is enough
        md.append("\n### %s: CPU used during the runs, %% of one core, median: server / wrk / rest of the machine\n"
                  % mode)
        rows = []
        for p in peers:
            cells = []
            for s in scen:
                rs = by.get((mode, p, s), [])
                srv = _spread(num(r["srv_cores"]) * 100 if num(r["srv_cores"]) is not None else None for r in rs)[0]
                cells.append("-" if srv is None else "%.0f / %.0f / %.0f" % (
                    srv, _spread(num(r["wrk_cpu_pct"]) for r in rs)[0] or 0,
                    _spread(num(r["other_cpu_pct"]) for r in rs)[0] or 0))
            rows.append([label(p)] + cells)
        md += _table(["server"] + scen, rows)
        notes = sorted({"%s %s, round %s: %s" % (label(r["peer"]), r["scenario"], r["round"], r["notes"]) for r in load
                        if r["mode"] == mode and r["notes"]})
        if notes:
            md.append("\n%s, flagged runs:\n" % mode)
            md += ["- " + n for n in notes]
    md += staticfiles.report(load_all, label, _spread, _table)
    md += fortunes.report(load_all, label, _spread, _table)
    md += h2.report(load_all, label, _spread, _table)
    if startup:
        md.append("\n### start to first response (process start to first 200 on /plaintext, on / for the "
                  "hello-world apps; JVM start included, unpinned)\n")
        rows = []
        for p in dict.fromkeys(r["peer"] for r in startup):
            v = [num(r["first_response_ms"]) for r in startup if r["peer"] == p]
            m, text = _spread(v)
            rss = _spread(num(r["rss_mb_at_first_response"]) for r in startup if r["peer"] == p)[0]
            rows.append([label(p), text, "%.0f" % rss if rss else "-"])
            chart_rows.append(("startup", "start to first response, median", "ms", label(p), "ms",
                               "" if m is None else "%.0f" % m))
        md += _table(["server", "ms, median [min–max]", "RSS MB at first response"], rows)
    if cap:
        md.append("\n### connection capacity: N idle keep-alive connections, then one request on each\n")
        rows = []
        for r in cap:
            rows.append([label(r["peer"]), r["n"], r.get("connected") or "-", r.get("server_fds") or "-",
                         "%s / %s" % (r.get("rss0_mb") or "-", r.get("rss_hold_mb") or "-"),
                         r.get("rss_kb_per_conn") or "-", r.get("heap_kb_per_conn") or "-",
                         r.get("direct_kb_per_conn") or "-", r.get("rss_mb_at_100k") or "-",
                         r.get("heap_mb_at_100k") or "-",
                         "%s ok in %s ms (p99 %s)" % (r.get("resp_ok") or 0, r.get("resp_ms") or "-",
                                                      r.get("resp_p99_ms") or "-"), r["status"]])
            for key, series in (("rss_kb_per_conn", "RSS KB"), ("heap_kb_per_conn", "heap KB (after full GC)"),
                                ("direct_kb_per_conn", "direct KB")):
                chart_rows.append(("capacity-%s" % r["n"], "memory per idle connection at N=%s" % r["n"],
                                   "KB per connection", label(r["peer"]), series, r.get(key) or ""))
        md += _table(["server", "N", "connected", "server fds", "RSS MB before / holding", "RSS KB/conn",
                      "heap KB/conn", "direct KB/conn", "RSS MB at 100k (extrap.)", "heap MB at 100k (extrap.)",
                      "one request on each", "status"], rows)
    md.append("\n### commands\n")
    md += ["    " + c for c in commands]
    if failures:
        md.append("\n### FAILED (%d)\n" % len(failures))
        md += ["- " + f for f in failures]
    else:
        md.append("\nAll runs: zero socket errors, zero non-2xx responses, every connection answered.")
    text = "\n".join(md) + "\n"
    with open(os.path.join(out_dir, "summary.md"), "w") as f:
        f.write(text)
    with open(os.path.join(out_dir, "charts.csv"), "w") as f:
        f.write("chart,title,y_label,category,series,value\n")
        for row in chart_rows:
            f.write(",".join(str(x).replace(",", ";") for x in row) + "\n")
    return text
