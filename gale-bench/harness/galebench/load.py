"""Throughput and latency scenarios: each round starts its peers side by side, warms each up, then
drives them one after another with wrk, scenario by scenario; one CSV row per (round, mode, peer,
scenario)."""
import contextlib
import csv
import os
import random
import time
from dataclasses import dataclass
from typing import Optional

from . import wrk
from .env import log
from .proc import Server, check_responses, cpu_seconds, machine_busy_seconds, port_busy_note, port_free, rss_kb


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    conns: int
    depth: Optional[int] = None  # HTTP pipelining depth
    rate: Optional[int] = None   # fixed request rate (paced), None = as fast as possible
    family: str = "techempower"  # or "static" (staticfiles.py), "fortunes" (fortunes.py): their own peers and checks
    duration_factor: int = 1     # runs this many times --duration (few, large responses: more CPU ticks to count)

    @property
    def saturating(self):
        return self.rate is None


def scenarios(latency_rate):
    return [
        Scenario("plaintext-c128", "/plaintext", 128),
        Scenario("json-c128", "/json", 128),
        Scenario("plaintext-c1024", "/plaintext", 1024),
        Scenario("json-c1024", "/json", 1024),
        Scenario("pipeline16", "/plaintext", 128, depth=16),
        Scenario("latency-fixed-rate", "/plaintext", 128, rate=latency_rate),
    ]


FIELDS = ["round", "mode", "peer", "scenario", "connections", "depth", "target_rps", "rps", "requests", "p50_ms",
          "p99_ms", "err_connect", "err_read", "err_write", "err_timeout", "non2xx", "wall_s", "srv_cpu_s",
          "srv_cores", "rps_per_srv_cpu", "wrk_cpu_pct", "other_cpu_pct", "rss_mb", "status", "notes", "time", "mb_per_s", "mb_per_srv_cpu", "db_cpu_s"]


class LoadRunner:
    """Runs the load protocol; appends rows to OUT/load.csv and collects failures."""

    def __init__(self, out, port, warmup, duration, scenario_list, failures):
        self.out, self.port, self.warmup, self.duration = out, port, warmup, duration
        self.scenarios = scenario_list
        self.failures = failures
        # a process tree whose CPU each run records apart (the Fortunes family's PostgreSQL), or None
        self.db_pid = None
        # the last req/s of (peer, HTTP/2 scenario): sizes the counted h2 runs (h2.counted)
        self.h2_rates = {}
        os.makedirs(os.path.join(out, "raw"), exist_ok=True)
        os.makedirs(os.path.join(out, "logs"), exist_ok=True)
        self.csv_path = os.path.join(out, "load.csv")
        self.csv_file = open(self.csv_path, "w", newline="")
        self.writer = csv.DictWriter(self.csv_file, fieldnames=FIELDS)
        self.writer.writeheader()

    def close(self):
        self.csv_file.close()

    def fail(self, what):
        self.failures.append(what)
        log("!!! FAIL: " + what)

    def run_round(self, rnd, mode, peers, scenario_list=None, warmup=None):
        """Starts all of the round's servers side by side, each on its own port and idle until its turn,
        then measures scenario by scenario: the runs of one scenario follow each other within a minute or
        two, so the machine's drift (its cores' speed moves by tens of percent over seconds to minutes)
        touches every server alike. Fresh processes each round still sample the JIT's variance."""
        pinned = mode == "pinned"
        # A different order each round (seeded by the round, so a rerun repeats it): no server keeps
        # the same position or the same neighbours, whose runs just before may leave the machine warm or cold.
        order = list(peers)
        random.Random(rnd).shuffle(order)
        log("== load round %d (%s): %s" % (rnd, mode, " ".join(p.name for p in order)))
        with contextlib.ExitStack() as stack:
            live = []
            for i, peer in enumerate(order):
                srv = self.start(rnd, mode, pinned, peer, self.port + i, stack)
                if srv:
                    live.append((peer, srv))
            for peer, srv in live:
                self.warm_up(rnd, mode, pinned, peer, srv, warmup or self.warmup)
            dead = set()
            for k, sc in enumerate(scenario_list if scenario_list is not None else self.scenarios):
                # and reverse it every other scenario
                for peer, srv in (live if k % 2 == 0 else list(reversed(live))):
                    if peer.name in dead:
                        continue
                    if not srv.alive():
                        dead.add(peer.name)
                        self.fail("round %d %s %s: server died before %s" % (rnd, mode, peer.name, sc.name))
                        continue
                    time.sleep(0.5)
                    self.measure(rnd, mode, pinned, peer, srv, sc)

    def start(self, rnd, mode, pinned, peer, port, stack):
        """The peer's server on `port`, ready and answering correctly; None (and a failure) otherwise."""
        where = "round %d %s %s" % (rnd, mode, peer.name)
        if not port_free(port):
            self.fail("%s: %s, peer not measured" % (where, port_busy_note(port)))
            return None
        srv = stack.enter_context(Server(peer.command(port, []), port, pinned,
                                         os.path.join(self.out, "logs", "%s.log" % peer.name)))
        ready = srv.wait_ready(path=peer.ready_path)
        if ready is None:
            # a server that exited (a failed bind, say) is told apart from one that never answered
            self.fail("%s: server did not answer %s within 60 s: %s (see logs/%s.log)" % (
                where, peer.ready_path, srv.exit_note(), peer.name))
            return None
        problems = peer.check(port) if peer.check else check_responses(port)
        if problems:
            self.fail("%s: wrong responses: %s" % (where, "; ".join(problems)))
            return None
        log("%s: ready in %.2f s (pid %d, port %d)" % (where, ready, srv.pid, port))
        return srv

    def warm_up(self, rnd, mode, pinned, peer, srv, warmup):
        from . import h2  # h2.py builds on this module's Scenario
        log("round %d %s %s: warm-up %d s" % (rnd, mode, peer.name, warmup))
        paths = peer.warm_paths
        for i, path in enumerate(paths):
            secs = max(1, warmup * (i + 1) // len(paths) - warmup * i // len(paths))
            if path in h2.SPECS:  # the HTTP/2 family warms up on its own scenarios
                cmd = h2.command(srv.port, path, secs, pinned, warm_up=0,
                                 requests=self.h2_requests(peer, path, secs) if h2.counted(path) else None)
                out = h2.run(cmd, secs)[0]
                got = h2.parse(out)["rps"]
                if got:
                    self.h2_rates[(peer.name, path)] = got  # sizes the counted runs
                else:
                    log("  warm-up %s: h2load gave no result:\n%s" % (path, out))
                continue
            out, _, _ = wrk.run(wrk.command(srv.port, path, 128, secs, pinned), secs)
            if wrk.parse(out)["rps"] is None:
                log("  warm-up %s: wrk gave no result:\n%s" % (path, out))

    def measure(self, rnd, mode, pinned, peer, srv, sc):
        if sc.family == "h2":
            return self.measure_h2(rnd, mode, pinned, peer, srv, sc)
        secs = self.duration * sc.duration_factor
        cmd = wrk.command(srv.port, sc.path, sc.conns, secs, pinned, depth=sc.depth, rate=sc.rate)
        c0, b0 = cpu_seconds(srv.pid), machine_busy_seconds()
        d0 = cpu_seconds(self.db_pid) if self.db_pid else None
        out, wall, wrk_cpu = wrk.run(cmd, secs)
        srv_cpu = cpu_seconds(srv.pid) - c0
        db_cpu = cpu_seconds(self.db_pid) - d0 if self.db_pid else None
        busy = machine_busy_seconds() - b0
        rss = rss_kb(srv.pid) / 1024
        r = wrk.parse(out)
        if sc.depth:
            # one latency sample per pipelined batch: wrk's percentiles mean nothing here
            r["p50_ms"] = r["p99_ms"] = None
        cores = srv_cpu / wall if wall > 0 else 0
        errors = r["err_connect"] + r["err_read"] + r["err_write"] + r["err_timeout"]
        notes = []
        status = "ok"
        if r["rps"] is None:
            status = "FAIL"
            notes.append("wrk gave no result")
        elif errors or r["non2xx"]:
            status = "FAIL"
            notes.append("%d socket errors, %d non-2xx" % (errors, r["non2xx"]))
        if sc.rate and r["rps"] is not None and r["rps"] < 0.9 * sc.rate:
            notes.append("saturated: %.0f of %d req/s" % (r["rps"], sc.rate))
        if pinned and sc.saturating and cores < 0.9:
            notes.append("server used %.0f%% of its core" % (cores * 100))
        row = dict(round=rnd, mode=mode, peer=peer.name, scenario=sc.name, connections=sc.conns,
                   depth=sc.depth or "", target_rps=sc.rate or "", rps=_r(r["rps"]), requests=r["requests"],
                   p50_ms=_r(r["p50_ms"], 3), p99_ms=_r(r["p99_ms"], 3), err_connect=r["err_connect"],
                   err_read=r["err_read"], err_write=r["err_write"], err_timeout=r["err_timeout"], non2xx=r["non2xx"],
                   wall_s=_r(wall, 2), srv_cpu_s=_r(srv_cpu, 2), srv_cores=_r(cores, 3),
                   rps_per_srv_cpu=_r(r["rps"] / cores if r["rps"] and cores > 0 else None),
                   wrk_cpu_pct=_r(wrk_cpu / wall * 100), other_cpu_pct=_r(max(0.0, busy - srv_cpu - wrk_cpu - (db_cpu or 0)) / wall * 100),
                   rss_mb=_r(rss, 1), status=status, notes="; ".join(notes), time=time.strftime("%H:%M:%S"),
                   mb_per_s=_r(r["mb_per_s"], 1),
                   mb_per_srv_cpu=_r(r["mb_per_s"] / cores if r["mb_per_s"] and cores > 0 else None, 1),
                   db_cpu_s=_r(db_cpu, 2))
        self.record(rnd, mode, peer, sc, cmd, out, srv_cpu, wall, rss, row, status, notes, db_cpu)

    def measure_h2(self, rnd, mode, pinned, peer, srv, sc):
        """One h2load run (h2.py): server CPU and machine busy time sampled when h2load starts and
        ends its main duration (after its warm-up, connections and TLS handshakes made)."""
        from . import h2
        secs = self.duration * sc.duration_factor
        requests = self.h2_requests(peer, sc.name, secs) if h2.counted(sc.name) else None
        cmd = h2.command(srv.port, sc.name, secs, pinned, requests=requests)
        marks = {}

        def mark(key):
            marks[key] = (time.monotonic(), cpu_seconds(srv.pid), machine_busy_seconds())
        mark("begin")
        out, h2load_cpu = h2.run(cmd, secs, lambda: mark("start"), lambda: mark("end"))
        mark("finish")
        r = h2.parse(out)
        whole_run = requests and ("start" not in marks or "end" not in marks)
        if whole_run:  # h2load printed no progress marks (seen once): the whole run, handshakes included
            marks["start"], marks["end"] = marks["begin"], marks["finish"]
        rss = rss_kb(srv.pid) / 1024
        notes = []
        status = "ok"
        if "start" in marks and "end" in marks:
            wall = marks["end"][0] - marks["start"][0]
            srv_cpu = marks["end"][1] - marks["start"][1]
            busy = marks["end"][2] - marks["start"][2]
        else:
            wall, srv_cpu, busy = float(secs), 0.0, 0.0
            status = "FAIL"
            notes.append("h2load did not report its main duration")
        if whole_run:
            notes.append("whole run measured (no progress marks)")
        elif requests and r["rps"] is not None and wall > 0:
            whole = r["rps"]  # over the whole run, handshakes included
            r["rps"] = requests * 0.9 / wall  # the requests between h2load's 10 % and 100 % marks
            r["mb_per_s"] = r["mb_per_s"] * r["rps"] / whole if r["mb_per_s"] and whole else None
        if r["rps"] is not None:
            self.h2_rates[(peer.name, sc.name)] = r["rps"]
        cores = srv_cpu / wall if wall > 0 else 0
        warm = 0 if requests else h2.WARM_UP_S  # h2load's CPU also covers its warm-up
        if not r["rps"]:
            status = "FAIL"
            notes.append("no result")
        elif r["failed"] or r["errored"] or r["timeout"] or r["non2xx"]:
            status = "FAIL"
            notes.append("%d failed, %d errored, %d timeout, %d non-2xx" % (r["failed"], r["errored"], r["timeout"],
                                                                           r["non2xx"]))
        if r["protocol"] != h2.expected_protocol(sc.name):
            status = "FAIL"
            notes.append("protocol %s, not %s" % (r["protocol"], h2.expected_protocol(sc.name)))
        if pinned and cores < 0.9:
            notes.append("server used %.0f%% of its core" % (cores * 100))
        info = ["mean %.1f ms" % r["mean_ms"]] if r["mean_ms"] is not None else []
        info += [r["cipher"]] if r["cipher"] else []
        row = dict(round=rnd, mode=mode, peer=peer.name, scenario=sc.name, connections=sc.conns,
                   depth=h2.SPECS[sc.name][2], target_rps="", rps=_r(r["rps"]), requests=r["requests"],
                   p50_ms=_r(r["p50_ms"], 3), p99_ms=_r(r["p99_ms"], 3), err_connect=0, err_read=r["errored"], err_write=r["failed"],
                   err_timeout=r["timeout"], non2xx=r["non2xx"], wall_s=_r(wall, 2), srv_cpu_s=_r(srv_cpu, 2),
                   srv_cores=_r(cores, 3), rps_per_srv_cpu=_r(r["rps"] / cores if r["rps"] and cores > 0 else None),
                   wrk_cpu_pct=_r(h2load_cpu / (wall + warm) * 100),
                   other_cpu_pct=_r(max(0.0, busy - srv_cpu - h2load_cpu * wall / (wall + warm)) / wall * 100
                                    if wall > 0 else None),
                   rss_mb=_r(rss, 1), status=status, notes="; ".join(notes + info), time=time.strftime("%H:%M:%S"),
                   mb_per_s=_r(r["mb_per_s"], 1),
                   mb_per_srv_cpu=_r(r["mb_per_s"] / cores if r["mb_per_s"] and cores > 0 else None, 1), db_cpu_s="")
        self.record(rnd, mode, peer, sc, cmd, out, srv_cpu, wall, rss, row, status, notes, None)

    def h2_requests(self, peer, name, secs):
        """Requests of a counted run (h2.counted) lasting about `secs`: at this server's last
        rate on the scenario (its warm-up's, or the previous round's) or half its rate on h2c with 16
        connections this round, whichever is higher (1,000 req/s when neither is known); at least ten
        rounds of every stream, so that h2load's 10 % marks are apart."""
        from . import h2
        _, conns, streams, _, _ = h2.SPECS[name]
        rate = max(self.h2_rates.get((peer.name, name), 0),
                   0.5 * self.h2_rates.get((peer.name, "h2c-plaintext-c16"), 0)) or 1000
        step = conns * streams
        return max(int(rate * secs) // step * step, 10 * step, 5000 // step * step + step)

    def record(self, rnd, mode, peer, sc, cmd, out, srv_cpu, wall, rss, row, status, notes, db_cpu):
        self.writer.writerow(row)
        self.csv_file.flush()
        with open(os.path.join(self.out, "raw", "r%d_%s_%s_%s.txt" % (rnd, mode, peer.name, sc.name)), "w") as f:
            f.write("$ %s\n%s\nserver: cpu %.2f s over %.2f s wall, rss %.1f MB\n" % (" ".join(cmd), out, srv_cpu, wall, rss))
            if db_cpu is not None:
                f.write("database: cpu %.2f s\n" % db_cpu)
        log("  %-11s %-19s %9s req/s  %9s per srv CPU-s  p50 %s p99 %s ms  cpu srv %.0f%%  %s%s" % (
            peer.name, sc.name, row["rps"], row["rps_per_srv_cpu"], row["p50_ms"] or "-", row["p99_ms"] or "-",
            srv_cpu / wall * 100 if wall > 0 else 0,
            status, (" (" + row["notes"] + ")") if notes else ""))
        if status != "ok":
            self.fail("round %d %s %s %s: %s" % (rnd, mode, peer.name, sc.name, row["notes"]))


def _r(x, nd=0):
    if x is None:
        return ""
    return round(x, nd) if nd else int(round(x))
