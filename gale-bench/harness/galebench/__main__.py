"""gale-bench/run: Gale's macro benchmark (see gale-bench/README.md).

Builds the peers (and Gale's bench demo when it exists), then per selected scenario starts each
server in turn and measures it with the same load. Every loop is bounded, only 127.0.0.x is
contacted, and every server is stopped by its own process-group id.
"""
import argparse
import contextlib
import json
import os
import shlex
import subprocess
import sys
import time

from . import capacity, fortunes, h2, load, proc, report, startup, staticfiles
from .env import BENCH_DIR, JAVA, JVM_FLAGS, ensure_debian_packages, log, machine_facts, raise_fd_limit
from .peers import all_peers, build_base, build_gale, build_peers, chart_command, prepare_launcher
from . import wrk

LOAD_SCENARIOS = [s.name for s in load.scenarios(1)] + staticfiles.SCENARIOS + fortunes.SCENARIOS + h2.SCENARIOS
OTHER_SCENARIOS = ["startup", "capacity"]
PRESETS = {
    "quick": dict(peers=["gale", "tornado", "vertx", "netty-nio"], rounds=1, unpinned_rounds=0, warmup=4, duration=3,
                  startup_repeat=1, capacity_levels=[1000], capacity_peers=["gale", "tornado", "vertx"],
                  extra_peers=[], extra_rounds=0, static_warmup=9, fortunes_warmup=10),
    # The peers the targets name (Tornado, Vert.x, Netty) run in every round; Undertow and Helidon,
    # for context, in the first two pinned rounds only, so that 4 pinned rounds fit in 30 minutes.
    # A 10 s warm-up: after 6 s Vert.x was still compiling (its first runs measured 25-40% low).
    "full": dict(peers=["gale", "tornado", "vertx", "netty-nio", "netty-epoll", "undertow", "helidon"], rounds=4,
                 unpinned_rounds=1, warmup=10, duration=6, startup_repeat=3, capacity_levels=[1000, 10000, 19000],
                 capacity_peers=["gale", "tornado", "vertx", "netty-nio"], extra_peers=["undertow", "helidon"],
                 extra_rounds=2, static_warmup=30, fortunes_warmup=20),
    # The HTTP/2 family alone (issue 16): Gale, Vert.x and Netty with HTTP/2 on, 3 pinned rounds, < 8 min.
    "h2": dict(peers=["gale", "vertx", "netty-nio"], rounds=3, unpinned_rounds=0, warmup=9, duration=5,
               startup_repeat=1, capacity_levels=[1000], capacity_peers=[], extra_peers=[], extra_rounds=0,
               static_warmup=9, fortunes_warmup=10, scenarios=h2.SCENARIOS),
}


def parse_args(argv):
    known = list(all_peers_names())
    ap = argparse.ArgumentParser(prog="gale-bench/run", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--quick", action="store_const", dest="preset", const="quick",
                   help="default: 1 pinned round, 3 s runs, Gale/Tornado/Vert.x/Netty NIO, capacity at 1,000 (< 3 min)")
    g.add_argument("--full", action="store_const", dest="preset", const="full",
                   help="all peers, 4 pinned rounds + 1 unpinned (Undertow, Helidon: 2 pinned), 10 s warm-up, 6 s runs, "
                        "capacity at 1k/10k/19k (< 30 min)")
    ap.add_argument("--peers", nargs="+", choices=known, metavar="PEER", help="servers for load and startup: %s (default: the preset's)" % " ".join(known))
    ap.add_argument("--scenarios", nargs="+", choices=LOAD_SCENARIOS + OTHER_SCENARIOS, metavar="SCENARIO",
                    help="default: all: %s" % " ".join(LOAD_SCENARIOS + OTHER_SCENARIOS))
    ap.add_argument("--static-peers", nargs="+", choices=staticfiles.PEERS, metavar="PEER", default=staticfiles.PEERS,
                    help="servers of the static-file scenarios (%s), in rounds of their own: default all: %s" % (
                        " ".join(staticfiles.SCENARIOS), " ".join(staticfiles.PEERS)))
    ap.add_argument("--fortunes-peers", nargs="+", choices=fortunes.PEERS, metavar="PEER", default=fortunes.PEERS,
                    help="servers of the Fortunes scenario (%s), in rounds of their own against one PostgreSQL the "
                         "harness starts: default all: %s" % (" ".join(fortunes.SCENARIOS), " ".join(fortunes.PEERS)))
    ap.add_argument("--fortunes-warmup", type=int,
                    help="warm-up seconds per server of the Fortunes rounds (quick 10, full 20)")
    g.add_argument("--h2", action="store_const", dest="preset", const="h2",
                   help="the HTTP/2 family only (%s): Gale, Vert.x, Netty with HTTP/2 on, 3 pinned rounds, "
                        "9 s warm-up, 5 s runs (< 8 min)" % " ".join(h2.SCENARIOS))
    ap.add_argument("--h2-peers", nargs="+", choices=h2.PEERS, metavar="PEER", default=h2.PEERS,
                    help="servers of the HTTP/2 scenarios (%s), in rounds of their own: default all: %s" % (
                        " ".join(h2.SCENARIOS), " ".join(h2.PEERS)))
    ap.add_argument("--h2-warmup", type=int,
                    help="warm-up seconds per server of the HTTP/2 rounds, a third each on h2c, TLS h2 and TLS "
                         "HTTP/1.1 (default: --warmup)")
    ap.add_argument("--rounds", type=int, help="pinned load rounds (server order shuffled per round, seeded by the round number)")
    ap.add_argument("--extra-peers", nargs="*", choices=known, metavar="PEER",
                    help="peers measured only in the first --extra-rounds pinned rounds (full: undertow helidon)")
    ap.add_argument("--extra-rounds", type=int, help="pinned rounds that include the extra peers (full: 2)")
    ap.add_argument("--unpinned-rounds", type=int, help="unpinned load rounds (0 = none)")
    ap.add_argument("--warmup", type=int, help="warm-up seconds per server (half /plaintext, half /json)")
    ap.add_argument("--duration", type=int, help="seconds per measured wrk run")
    ap.add_argument("--static-warmup", type=int,
                    help="warm-up seconds per server of the static-file rounds (a third on each file; quick 9, full 30: "
                         "the handler and the partial-sendfile paths are more code for the JIT than /plaintext, the "
                         "10 MiB file makes few calls per second, and a JVM sharing its core compiles slowly)")
    ap.add_argument("--latency-rate", type=int, default=4000,
                    help="request rate of the fixed-rate latency run (default 4000, below Tornado's saturation)")
    ap.add_argument("--startup-repeat", type=int)
    ap.add_argument("--capacity-levels", nargs="+", type=int, metavar="N", help="idle connections to hold (max 19000 here)")
    ap.add_argument("--capacity-peers", nargs="+", choices=known, metavar="PEER")
    ap.add_argument("--port", type=int, default=28080,
                    help="first port: the i-th server of a load round listens on port + i (default 28080)")
    ap.add_argument("--out", help="results folder (default gale-bench/results/<UTC timestamp>)")
    ap.add_argument("--no-build", action="store_true", help="use the jars and classes already built")
    ap.add_argument("--gale-command", help="start Gale with this command instead; {port} is replaced, "
                                           "e.g. './gale-demo bench --port {port}'")
    base = ap.add_mutually_exclusive_group()
    base.add_argument("--gale-baseline", metavar="DIR",
                      help="an earlier Gale checkout with gale-demos built: peer gale-base runs its bench demo in the "
                           "same rounds as gale (same-run ratio of two builds)")
    base.add_argument("--base", metavar="REF",
                      help="A/B against commit REF: the harness exports REF (git archive) to /tmp/gale-base-<commit>, "
                           "builds its bench demo there (mvn ... -pl gale-demos -am package: never install; reused by "
                           "later runs) and runs it as peer gale-base beside gale, this checkout, in the same rounds; "
                           "--peers defaults to gale gale-base")
    ap.add_argument("--report-only", metavar="DIR", help="rebuild summary.md and the charts of a results folder")
    a = ap.parse_args(argv)
    if a.base and a.peers is None:
        a.peers = ["gale", "gale-base"]
    preset = PRESETS[a.preset or "quick"]
    for k, v in preset.items():
        if getattr(a, k, None) is None:
            setattr(a, k, v)
    a.preset = a.preset or "quick"
    a.scenarios = a.scenarios or preset.get("scenarios") or LOAD_SCENARIOS + OTHER_SCENARIOS
    a.h2_warmup = a.h2_warmup or a.warmup
    if any(n > 19000 for n in a.capacity_levels):
        ap.error("a process may hold at most 20,000 descriptors here: capacity levels up to 19000")
    # the servers of a round listen on --port + i, their HTTPS sides (h2) on + TLS_PORT_OFFSET
    last = a.port + h2.TLS_PORT_OFFSET + PORTS_PER_ROUND - 1
    rng = proc.ephemeral_port_range()
    if not a.report_only and proc.ephemeral_overlap(a.port, last, rng):
        ap.error("--port %d: the run's ports (%d-%d: a round's servers from --port up, their HTTPS sides %d higher) "
                 "reach into the kernel's ephemeral range %d-%d (/proc/sys/net/ipv4/ip_local_port_range), which any "
                 "connect may be given, even a probe connecting to itself: a server then cannot bind its port for "
                 "60 s. Choose --port %d or lower (default 28080)"
                 % (a.port, a.port, last, h2.TLS_PORT_OFFSET, rng[0], rng[1], rng[0] - 1 - (last - a.port)))
    return a


# Ports a load round may use above --port (one per server; the full preset has 7 servers).
PORTS_PER_ROUND = 32


def all_peers_names():
    return ["gale", "gale-base", "tornado", "vertx", "netty-nio", "netty-epoll", "undertow", "helidon"]


def estimate_s(a, n_load_peers, n_cap_peers, load_scen, do_startup, do_cap, n_extra=0, static_scen=(),
               n_static_peers=0, fortunes_scen=(), n_fortunes_peers=0, h2_scen=(), n_h2_peers=0, h2_warmup=0):
    # calibrated on full runs here (28.4 min measured for this estimate's 28.4)
    per_peer = 1 + a.warmup + len(load_scen) * (a.duration + 0.6)
    t = 0
    if load_scen:
        t = per_peer * ((n_load_peers - n_extra) * (a.rounds + a.unpinned_rounds)
                        + n_extra * min(a.extra_rounds, a.rounds))
    if static_scen:
        t += (1 + a.static_warmup + sum(s.duration_factor * a.duration + 1.5 for s in static_scen)) \
            * n_static_peers * a.rounds
    if fortunes_scen:
        t += 8 + (1 + a.fortunes_warmup + len(fortunes_scen) * (a.duration + 1)) * n_fortunes_peers * a.rounds
    if h2_scen:
        t += (2 + h2_warmup + len(h2_scen) * (a.duration + h2.WARM_UP_S + 1.5)) * n_h2_peers * a.rounds
    if do_startup:
        t += a.startup_repeat * (n_load_peers + 3) * 1.4
    if do_cap:
        t += n_cap_peers * sum(10 + n / 1500 for n in a.capacity_levels)
    return t


def make_charts(out):
    charts = os.path.join(out, "charts")
    r = subprocess.run(chart_command(os.path.join(out, "charts.csv"), charts), capture_output=True, text=True,
                       timeout=300)
    if r.returncode != 0:
        log("chart maker failed:\n" + r.stdout + r.stderr)
    else:
        log("charts: %s (%d PNG)" % (charts, len([f for f in os.listdir(charts) if f.endswith(".png")])))


def main(argv):
    a = parse_args(argv)
    if a.report_only:
        with open(os.path.join(a.report_only, "meta.json")) as f:
            meta = json.load(f)
        print(report.build(a.report_only, meta["facts"], meta["commands"], meta["labels"], meta["failures"],
                           meta["skipped"]))
        make_charts(a.report_only)
        return 0
    t_start = time.monotonic()
    out = os.path.abspath(a.out or os.path.join(BENCH_DIR, "results", time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())))
    os.makedirs(os.path.join(out, "logs"), exist_ok=True)
    ensure_debian_packages()
    hard = raise_fd_limit()
    baseline, baseline_label = (os.path.abspath(a.gale_baseline) if a.gale_baseline else None), None
    if a.base:
        # built even with --no-build (a finished build of the commit is reused): nothing else provides it
        baseline, base_sha = build_base(a.base)
        baseline_label = "Gale at %s (%s)" % (base_sha[:7], a.base) if not base_sha.startswith(a.base) \
            else "Gale at %s" % base_sha[:7]
    registry = all_peers(a.gale_command, baseline, baseline_label)
    skipped = []

    def usable(names):
        chosen = []
        for n in names:
            p = registry[n]
            if p.skip_reason:
                if n not in [s.split(":")[0] for s in skipped]:
                    skipped.append("%s: %s" % (n, p.skip_reason))
                    log("SKIP %s: %s" % (n, p.skip_reason))
            else:
                chosen.append(p)
        return chosen

    peers = usable(a.peers)
    cap_peers = usable(a.capacity_peers) if "capacity" in a.scenarios else []
    load_scen = [s for s in load.scenarios(a.latency_rate) if s.name in a.scenarios]
    static_scen = [s for s in staticfiles.scenarios() if s.name in a.scenarios]
    static_peers = []
    if static_scen:
        staticfiles.ensure_nginx()
        static_root = staticfiles.make_root(out)
        registry.update(staticfiles.peers(static_root))
        static_peers = usable(a.static_peers)
    fortunes_scen = [s for s in fortunes.scenarios() if s.name in a.scenarios]
    fortunes_peers = []
    if fortunes_scen:
        fortunes.ensure_packages()
        registry.update(fortunes.peers("postgresql://(started by the harness)"))
        fortunes_peers = usable(a.fortunes_peers)
    h2_scen = [s for s in h2.scenarios() if s.name in a.scenarios]
    h2_peers = []
    if h2_scen:
        h2.ensure_h2load()
        registry.update(h2.peers(h2.make_keystore(out)))
        h2_peers = usable(a.h2_peers)
    extra = [p for p in peers if p.name in a.extra_peers]
    est = estimate_s(a, len(peers), len(cap_peers), load_scen, "startup" in a.scenarios, bool(cap_peers), len(extra),
                     static_scen, len(static_peers), fortunes_scen, len(fortunes_peers), h2_scen, len(h2_peers),
                     a.h2_warmup)
    log("gale-bench %s: peers %s%s; scenarios %s; estimated %.1f min; results in %s" % (
        a.preset, " ".join(p.name for p in peers) if load_scen or "startup" in a.scenarios else "-",
        "; static-file peers " + " ".join(p.name for p in static_peers) if static_peers else "",
        " ".join(a.scenarios), est / 60, out))
    if h2_peers:
        log("HTTP/2 peers: %s" % " ".join(p.name for p in h2_peers))
    if fortunes_peers:
        log("Fortunes peers: %s" % " ".join(p.name for p in fortunes_peers))
    if hard < 20000 and cap_peers:
        log("note: descriptor hard limit is %d" % hard)
    if not a.no_build:
        build_peers()
        if any(p.name in ("gale", "gale-static", "gale-fortunes", "gale-h2") for p in peers + cap_peers + static_peers
               + fortunes_peers + h2_peers) and not a.gale_command:
            build_gale()
    facts = machine_facts()
    if baseline_label:
        facts.append(("gale-base (--base %s)" % a.base, "%s, built in %s" % (baseline_label, baseline)))
    with open(os.path.join(out, "env.txt"), "w") as f:
        f.writelines("%s: %s\n" % kv for kv in facts)
    commands = ["gale-bench/run " + " ".join(shlex.quote(x) for x in argv) if argv else "gale-bench/run",
                "# preset %s: %d pinned + %d unpinned round(s)%s, warm-up %d s, %d s per run; a round's servers run "
                "side by side on ports %d, %d, ... and are loaded one at a time, scenario by scenario" % (
                    a.preset, a.rounds, a.unpinned_rounds,
                    " (%s: first %d pinned only)" % (" ".join(p.name for p in extra), a.extra_rounds) if extra else "",
                    a.warmup, a.duration, a.port, a.port + 1)]
    listed = (peers if load_scen or "startup" in a.scenarios else []) + cap_peers + static_peers + fortunes_peers \
        + h2_peers
    for p in {p.name: p for p in listed}.values():
        commands.append("[pinned: taskset -c 0] " + " ".join(p.command(a.port, [])) + "    # " + p.name)
    if fortunes_peers:
        commands.append("Fortunes: PostgreSQL %s started by the harness (initdb, pg_ctl; not pinned), "
                        "TechEmpower's hello_world.fortune, %d connections per server" % (fortunes.pg_bin(), fortunes.POOL))
    for s in load_scen + static_scen + fortunes_scen:
        commands.append("[pinned: taskset -c 1] " + " ".join(
            wrk.command(a.port, s.path, s.conns, a.duration * s.duration_factor, False, depth=s.depth, rate=s.rate))
            + "    # " + s.name)
    for s in h2_scen:
        commands.append("[pinned: taskset -c 1] " + " ".join(h2.command(a.port, s.name, a.duration, False,
                                                                        requests="N" if h2.counted(s.name) else None))
                        + "    # " + s.name + " (HTTPS on port + %d)" % h2.TLS_PORT_OFFSET)
    if cap_peers:
        commands.append("capacity: JVM servers also get -XX:NativeMemoryTracking=summary (direct memory = NMT Other); "
                        "clients: connhold, <= %d connections per process, sources 127.0.0.2-.5" % capacity.PER_CLIENT)
    failures = []
    try:
        if "startup" in a.scenarios and peers:
            # With Gale, also its hello-world app (Application + RequestHandler), right after it,
            # started by java and by ./gale-demo; with Tornado, also Tornado's hello-world demo.
            startup_peers = []
            for p in peers:
                startup_peers.append(p)
                if p.name == "gale" and not a.gale_command:
                    startup_peers += [registry["gale-helloworld"], registry["gale-helloworld-launcher"]]
                    prepare_launcher()
                if p.name == "tornado":
                    startup_peers.append(registry["tornado-helloworld"])
            log("== start to first response, %d run(s) per server" % a.startup_repeat)
            startup.run(out, a.port, startup_peers, a.startup_repeat, failures)
        if (load_scen and peers) or (static_scen and static_peers) or (fortunes_scen and fortunes_peers) \
                or (h2_scen and h2_peers):
            runner = load.LoadRunner(out, a.port, a.warmup, a.duration, load_scen, failures)
            db = contextlib.ExitStack()
            if fortunes_scen and fortunes_peers:
                pg = db.enter_context(fortunes.database(os.path.join(out, "logs")))
                fortunes_peers = [fortunes.peers(pg.url())[p.name] for p in fortunes_peers]
            try:
                for rnd in range(1, max(a.rounds, a.unpinned_rounds) + 1):
                    for mode, n in (("pinned", a.rounds), ("unpinned", a.unpinned_rounds)):
                        if rnd <= n and load_scen and peers:
                            with_extra = mode == "pinned" and rnd <= a.extra_rounds
                            runner.run_round(rnd, mode, [p for p in peers if with_extra or p not in extra])
                    # the static-file family: its own servers, side by side, pinned rounds only
                    if rnd <= a.rounds and static_scen and static_peers:
                        runner.run_round(rnd, "pinned", static_peers, static_scen, a.static_warmup)
                    # the HTTP/2 family: its own servers (HTTP/2 on, HTTPS beside), h2load, pinned rounds only
                    if rnd <= a.rounds and h2_scen and h2_peers:
                        runner.run_round(rnd, "pinned", h2_peers, h2_scen, a.h2_warmup)
                    # the Fortunes family: its own servers and the harness's PostgreSQL, pinned rounds only
                    if rnd <= a.rounds and fortunes_scen and fortunes_peers:
                        runner.db_pid = pg.pid()
                        try:
                            runner.run_round(rnd, "pinned", fortunes_peers, fortunes_scen, a.fortunes_warmup)
                        finally:
                            runner.db_pid = None
            finally:
                runner.close()
                db.close()
        if cap_peers:
            log("== connection capacity at %s" % " ".join(map(str, a.capacity_levels)))
            capacity.run(out, a.port, cap_peers, a.capacity_levels, True, failures)
    finally:
        labels = {n: p.label for n, p in registry.items()}
        with open(os.path.join(out, "meta.json"), "w") as f:
            json.dump(dict(facts=facts, commands=commands, labels=labels, failures=failures, skipped=skipped), f,
                      indent=1)
    text = report.build(out, facts, commands, labels, failures, skipped)
    make_charts(out)
    print("\n" + text)
    log("done in %.1f min: %s/summary.md" % ((time.monotonic() - t_start) / 60, out))
    if failures:
        log("!!! %d FAILED run(s):\n  %s" % (len(failures), "\n  ".join(failures)))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
