"""Reading numbers out of load.csv rows, shared by the summary and the targets check."""


def num(v):
    """The CSV cell as a float, or None when empty or not a number."""
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def round_ratios(load, subject, ref, scenario, mode="pinned", metric="rps_per_srv_cpu"):
    """subject ÷ ref for every round in which both were measured on `scenario` (a ratio from two
    runs of the same round, never across rounds)."""
    def per_round(peer):
        return {r["round"]: num(r[metric]) for r in load
                if r["mode"] == mode and r["peer"] == peer and r["scenario"] == scenario}
    mine, theirs = per_round(subject), per_round(ref)
    return [mine[k] / theirs[k] for k in mine if mine[k] and theirs.get(k)]


def errors_row(load, peer, what):
    """The targets-table row "zero errors, zero non-2xx" over `peer`'s runs in `load`."""
    n = len([r for r in load if r["peer"] == peer])
    bad = len([r for r in load if r["peer"] == peer and r["status"] != "ok"])
    return ("zero errors, zero non-2xx (%s)" % what, "%d run(s), %d failed" % (n, bad),
            "met" if n and not bad else ("not measured" if not n else "MISSED"))


def metric_tables(rows_all, mode, peers, scenarios, metrics, heading, label, spread, table):
    """Markdown lines: per metric, a table of each present peer's median [min–max] per scenario
    over the rounds of `mode`; `heading` % (mode, title, rounds) titles each table."""
    rounds = len({r["round"] for r in rows_all if r["mode"] == mode})
    present = [p for p in peers if any(r["peer"] == p and r["mode"] == mode for r in rows_all)]
    md = []
    for metric, title in metrics:
        md.append(heading % (mode, title, rounds))
        rows = []
        for p in present:
            cells = [spread(num(r[metric]) for r in rows_all
                            if r["mode"] == mode and r["peer"] == p and r["scenario"] == s)[1] for s in scenarios]
            rows.append([label(p)] + cells)
        md += table(["server"] + list(scenarios), rows)
    return present, md
