"""Issue 7's targets (and issue 15's start-up target) checked against one results folder: each target with what this run measured
and whether it holds. Ratios are the pinned rounds' within-round ratios (median), as the summary's
ratio tables; a target whose inputs are missing from the run says so instead of passing."""
import statistics

from .stats import num, round_ratios

SATURATING = ["plaintext-c128", "json-c128", "plaintext-c1024", "json-c1024"]


def _ratio(load, subject, ref, scenario):
    """Median over pinned rounds of subject ÷ ref, both measured in the same round; None if absent."""
    ratios = round_ratios(load, subject, ref, scenario)
    return statistics.median(ratios) if ratios else None


def _median(load, peer, scenario, metric):
    v = [num(r[metric]) for r in load if r["mode"] == "pinned" and r["peer"] == peer and r["scenario"] == scenario]
    v = [x for x in v if x is not None]
    return statistics.median(v) if v else None


def check(load, startup, cap, failures):
    """[(target, measured, verdict)] with verdict 'met', 'MISSED', or 'not measured' (with what is missing
    when part of a target was measured and held)."""
    rows = []

    def ratio_row(what, ref, scenarios, bar):
        got = [(s, _ratio(load, "gale", ref, s)) for s in scenarios]
        have = [(s, x) for s, x in got if x is not None]
        if not have:
            rows.append((what, "-", "not measured"))
            return
        text = ", ".join("%s %.2f×" % (s, x) for s, x in have)
        missing = [s for s, x in got if x is None]
        if any(x < bar for _, x in have):
            verdict = "MISSED"
        elif missing:
            verdict = "not measured: " + ", ".join(missing)  # what was measured holds; the rest is unknown
        else:
            verdict = "met"
        rows.append((what, text, verdict))

    ratio_row("≥ 1.1× Vert.x per server CPU-s", "vertx", SATURATING, 1.1)
    ratio_row("≥ 1.0× Netty NIO per server CPU-s", "netty-nio", SATURATING, 1.0)
    ratio_row("≥ 1.0× Netty epoll per server CPU-s", "netty-epoll", SATURATING, 1.0)
    ratio_row("pipelined ×16 ≥ 1.1× Netty epoll per server CPU-s", "netty-epoll", ["pipeline16"], 1.1)
    ratio_row("≥ 18× Tornado on every HTTP scenario", "tornado", SATURATING + ["pipeline16"], 18)

    p99 = []
    for s in ("plaintext-c1024", "json-c1024"):
        g, v = _median(load, "gale", s, "p99_ms"), _median(load, "vertx", s, "p99_ms")
        if g is not None and v is not None:
            p99.append((s, g, v))
    if p99:
        rows.append(("p99 at 1,024 connections ≤ Vert.x's",
                     ", ".join("%s %.1f vs %.1f ms" % x for x in p99),
                     "met" if len(p99) == 2 and all(g <= v for _, g, v in p99) else "MISSED"))
    else:
        rows.append(("p99 at 1,024 connections ≤ Vert.x's", "-", "not measured"))

    top = [r for r in cap if r["peer"] == "gale" and r["n"] == "19000"]
    rss, heap = (num(top[0].get("rss_kb_per_conn")), num(top[0].get("heap_kb_per_conn"))) if top else (None, None)
    if rss is not None and heap is not None:
        rows.append(("idle connection at 19,000: ≤ 8 KB RSS, ≤ 5 KB heap", "%.2f KB RSS, %.2f KB heap" % (rss, heap),
                     "met" if rss <= 8 and heap <= 5 else "MISSED"))
    else:
        rows.append(("idle connection at 19,000: ≤ 8 KB RSS, ≤ 5 KB heap", "-", "not measured"))

    hello = [num(r["first_response_ms"]) for r in startup if r["peer"] == "gale-helloworld"]
    hello = [x for x in hello if x is not None]
    if hello:
        m = statistics.median(hello)
        rows.append(("hello-world app: start to first response ≤ 400 ms", "%.0f ms (median)" % m,
                     "met" if m <= 400 else "MISSED"))
    else:
        rows.append(("hello-world app: start to first response ≤ 400 ms", "-", "not measured"))

    # issue 15: through the launcher, hello world answers no later than Tornado's hello world
    def startup_median(peer):
        v = [num(r["first_response_ms"]) for r in startup if r["peer"] == peer]
        v = [x for x in v if x is not None]
        return statistics.median(v) if v else None
    launcher, tornado = startup_median("gale-helloworld-launcher"), startup_median("tornado-helloworld")
    what = "hello world via ./gale-demo: first response ≤ Tornado's hello world (same run)"
    if launcher is not None and tornado is not None:
        rows.append((what, "%.0f ms vs %.0f ms (medians)" % (launcher, tornado), "met" if launcher <= tornado else "MISSED"))
    else:
        rows.append((what, "-", "not measured"))

    gale_rows = [r for r in load if r["peer"] == "gale"]
    bad = [r for r in gale_rows if r["status"] != "ok"]
    rows.append(("zero errors, zero non-2xx (every run)",
                 "%d run(s), %d failed; %d failure(s) in the run" % (len(gale_rows), len(bad), len(failures)),
                 "met" if gale_rows and not bad and not failures else "MISSED"))
    return rows
