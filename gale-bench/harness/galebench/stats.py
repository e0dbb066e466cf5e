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
