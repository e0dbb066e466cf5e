"""Unit tests of the harness's parsing and reporting (no servers, no load):
/usr/bin/python3 -m unittest discover -s gale-bench/harness/tests"""
import csv
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from galebench import capacity, load, report, staticfiles, targets, wrk  # noqa: E402

WRK_OK = """Running 3s test @ http://127.0.0.1:28080/plaintext
  1 threads and 128 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.20ms  512.00us  20.00ms   90.00%
  Latency Distribution
     50%  850.00us
     75%    1.10ms
     90%    1.50ms
     99%    1.20s
  300000 requests in 3.00s, 40.00MB read
Requests/sec: 100000.50
Transfer/sec:     13.33MB
"""

WRK_BAD = """  Latency Distribution
     50%    0.00us
     99%    0.00us
  1000 requests in 3.00s, 40.00MB read
  Socket errors: connect 1, read 2, write 3, timeout 4
  Non-2xx or 3xx responses: 7
Requests/sec:    333.33
"""


class WrkParseTest(unittest.TestCase):
    def test_clean_run(self):
        r = wrk.parse(WRK_OK)
        self.assertEqual(r["rps"], 100000.5)
        self.assertAlmostEqual(r["p50_ms"], 0.85)
        self.assertEqual(r["p99_ms"], 1200.0)
        self.assertEqual(r["requests"], 300000)
        self.assertEqual((r["err_connect"], r["err_read"], r["err_write"], r["err_timeout"], r["non2xx"]),
                         (0, 0, 0, 0, 0))

    def test_transfer_rate_in_mib(self):
        self.assertAlmostEqual(wrk.parse(WRK_OK)["mb_per_s"], 13.33)
        self.assertAlmostEqual(wrk.parse("Transfer/sec:      1.50GB\n")["mb_per_s"], 1536.0)
        self.assertAlmostEqual(wrk.parse("Transfer/sec:    512.00KB\n")["mb_per_s"], 0.5)
        self.assertIsNone(wrk.parse("nothing")["mb_per_s"])

    def test_errors_and_non2xx(self):
        r = wrk.parse(WRK_BAD)
        self.assertEqual((r["err_connect"], r["err_read"], r["err_write"], r["err_timeout"], r["non2xx"]),
                         (1, 2, 3, 4, 7))

    def test_no_report_gives_no_rate(self):
        r = wrk.parse("unable to connect to 127.0.0.1:28080 Connection refused\n")
        self.assertIsNone(r["rps"])
        self.assertIsNone(r["requests"])

    def test_commands_pin_and_pace(self):
        cmd = wrk.command(28080, "/plaintext", 128, 3, True, rate=4000)
        self.assertEqual(cmd[:3], ["taskset", "-c", "1"])
        self.assertEqual(cmd[-3:], ["--", "4000", "128"])
        self.assertIn("http://127.0.0.1:28080/plaintext", cmd)
        cmd = wrk.command(28080, "/plaintext", 128, 3, False, depth=16)
        self.assertNotIn("taskset", cmd)
        self.assertEqual(cmd[-2:], ["--", "16"])


class ClientLineTest(unittest.TestCase):
    def test_fields(self):
        self.assertEqual(capacity._fields("CONNECTED 4750 failed=0 unfinished=0 ms=812"),
                         {"n": 4750, "failed": 0, "unfinished": 0, "ms": 812})
        self.assertEqual(capacity._fields("RESPONSES ok=5 failed=1 noanswer=0 ms=9 p50_ms=-1 p99_ms=3")["p50_ms"], -1)


class ReportTest(unittest.TestCase):
    def write_load(self, d, rows):
        with open(os.path.join(d, "load.csv"), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=load.FIELDS)
            w.writeheader()
            for r in rows:
                w.writerow({k: r.get(k, "") for k in load.FIELDS})

    def row(self, rnd, peer, rps, per_cpu, notes=""):
        return dict(round=rnd, mode="pinned", peer=peer, scenario="plaintext-c128", rps=rps, rps_per_srv_cpu=per_cpu,
                    p50_ms="1.0", p99_ms="2.0", status="ok", notes=notes)

    def test_medians_spread_and_ratios_within_a_round(self):
        with tempfile.TemporaryDirectory() as d:
            self.write_load(d, [self.row(1, "tornado", 5000, 6000), self.row(1, "gale", 100000, 120000),
                                self.row(2, "tornado", 4000, 6000), self.row(2, "gale", 50000, 90000),
                                self.row(3, "tornado", 6000, 6000), self.row(3, "gale", 90000, 150000, "flag me")])
            text = report.build(d, [("machine", "test")], ["gale-bench/run"], {"gale": "Gale", "tornado": "Tornado"},
                                [], [])
            self.assertIn("| Gale | 90.0k [50.0k–100k] |", text)      # req/s median [min-max]
            self.assertIn("| Gale | 120k [90.0k–150k] |", text)        # per CPU-s
            self.assertIn("| Gale | 20.00× [15.00–25.00] |", text)     # ratio to Tornado, per round
            self.assertIn("- Gale plaintext-c128, round 3: flag me", text)
            self.assertIn("All runs: zero socket errors", text)
            with open(os.path.join(d, "charts.csv")) as f:
                charts = f.read().splitlines()
            self.assertEqual(charts[0], "chart,title,y_label,category,series,value")
            self.assertTrue(all(len(line.split(",")) == 6 for line in charts))

    def test_ab_against_a_base_build_counts_its_paired_rounds(self):
        with tempfile.TemporaryDirectory() as d:
            # round 2 lost the base build (as yesterday's A/B did): its ratio rests on rounds 1 and 3
            self.write_load(d, [self.row(1, "gale-base", 80000, 100000), self.row(1, "gale", 80000, 101000),
                                self.row(2, "gale", 80000, 97000),
                                self.row(3, "gale-base", 80000, 100000), self.row(3, "gale", 80000, 99000)])
            text = report.build(d, [("machine", "test")], ["gale-bench/run --base 42729a1"],
                                {"gale": "Gale", "gale-base": "Gale at 42729a1"}, [], [])
            self.assertIn("ratio to Gale at 42729a1 in requests per server CPU-second", text)
            self.assertIn("| Gale | 1.00× [0.99–1.01] |", text)
            self.assertIn("Rounds with both builds measured: plaintext-c128 2 (of 3 round(s) in this mode).", text)

    def test_failures_are_listed(self):
        with tempfile.TemporaryDirectory() as d:
            self.write_load(d, [self.row(1, "tornado", 5000, 6000)])
            text = report.build(d, [], [], {"tornado": "Tornado"}, ["round 1 pinned tornado json-c128: 3 non-2xx"], [])
            self.assertIn("### FAILED (1)", text)
            self.assertNotIn("All runs: zero socket errors", text)


class TargetsTest(unittest.TestCase):
    PER_CPU = {"gale": 100000, "vertx": 88000, "netty-nio": 95000, "netty-epoll": 90000, "tornado": 5000}

    def load_rows(self, per_cpu, gale_status="ok"):
        rows = []
        for rnd in ("1", "2"):
            for peer, v in per_cpu.items():
                for s in targets.SATURATING + ["pipeline16"]:
                    rows.append(dict(round=rnd, mode="pinned", peer=peer, scenario=s, rps_per_srv_cpu=str(v),
                                     p99_ms="20" if peer == "gale" else "30",
                                     status=gale_status if peer == "gale" else "ok"))
        return rows

    STARTUP = [dict(peer="gale-helloworld", first_response_ms="250"),
               dict(peer="gale-helloworld-launcher", first_response_ms="140"),
               dict(peer="tornado-helloworld", first_response_ms="150")]
    CAP = [dict(peer="gale", n="19000", rss_kb_per_conn="2.7", heap_kb_per_conn="1.9")]

    def verdicts(self, rows):
        return {what: verdict for what, _, verdict in rows}

    def test_a_run_that_meets_every_target(self):
        v = self.verdicts(targets.check(self.load_rows(self.PER_CPU), self.STARTUP, self.CAP, []))
        self.assertEqual(set(v.values()), {"met"}, v)
        self.assertEqual(len(v), 10)

    def test_launcher_slower_than_tornado_misses(self):
        startup = self.STARTUP[:1] + [dict(peer="gale-helloworld-launcher", first_response_ms="160"),
                                      dict(peer="tornado-helloworld", first_response_ms="150")]
        v = self.verdicts(targets.check(self.load_rows(self.PER_CPU), startup, self.CAP, []))
        self.assertEqual(v["hello world via ./gale-demo: first response ≤ Tornado's hello world (same run)"], "MISSED")

    def test_one_cell_below_its_bar_misses_the_target(self):
        per_cpu = dict(self.PER_CPU, vertx=92000)  # 1.087x: below 1.1
        v = self.verdicts(targets.check(self.load_rows(per_cpu), self.STARTUP, self.CAP, []))
        self.assertEqual(v["≥ 1.1× Vert.x per server CPU-s"], "MISSED")
        self.assertEqual(v["≥ 1.0× Netty NIO per server CPU-s"], "met")

    def test_a_target_measured_in_part_says_what_is_missing(self):
        rows = [r for r in self.load_rows(self.PER_CPU) if r["scenario"] != "pipeline16"]
        v = self.verdicts(targets.check(rows, self.STARTUP, self.CAP, []))
        self.assertEqual(v["≥ 18× Tornado on every HTTP scenario"], "not measured: pipeline16")
        self.assertEqual(v["≥ 1.1× Vert.x per server CPU-s"], "met")

    def test_missing_inputs_are_not_measured_and_failures_miss(self):
        rows = [r for r in self.load_rows(self.PER_CPU) if r["peer"] != "netty-epoll"]
        v = self.verdicts(targets.check(rows, [], [], ["round 1 pinned gale json-c128: 3 non-2xx"]))
        self.assertEqual(v["≥ 1.0× Netty epoll per server CPU-s"], "not measured")
        self.assertEqual(v["hello-world app: start to first response ≤ 400 ms"], "not measured")
        self.assertEqual(v["hello world via ./gale-demo: first response ≤ Tornado's hello world (same run)"],
                         "not measured")
        self.assertEqual(v["idle connection at 19,000: ≤ 8 KB RSS, ≤ 5 KB heap"], "not measured")
        self.assertEqual(v["zero errors, zero non-2xx (every run)"], "MISSED")


class StaticFilesTest(unittest.TestCase):
    PER_CPU = {"gale-static": (40000, 30000, 800), "nginx": (45000, 35000, 850), "vertx-static": (10000, 9000, 300)}

    def rows(self, per_cpu, rounds=("1", "2")):
        out = []
        for rnd in rounds:
            for peer, values in per_cpu.items():
                for s, v in zip(staticfiles.SCENARIOS, values):
                    out.append(dict(round=rnd, mode="pinned", peer=peer, scenario=s, rps=str(v / 2),
                                    rps_per_srv_cpu=str(v), mb_per_srv_cpu="1", status="ok", notes=""))
        return out

    def verdicts(self, rows):
        return {what: verdict for what, _, verdict in staticfiles.targets(rows)}

    def test_targets_met(self):
        v = self.verdicts(self.rows(self.PER_CPU))
        self.assertEqual(set(v.values()), {"met"}, v)

    def test_each_bar(self):
        v = self.verdicts(self.rows(dict(self.PER_CPU, **{"gale-static": (35000, 30000, 700)})))  # 0.78x, 0.82x
        self.assertEqual(v["1 KiB file ≥ 0.8× nginx per server CPU-s"], "MISSED")
        self.assertEqual(v["10 MiB file ≥ 0.9× nginx per server CPU-s"], "MISSED")
        v = self.verdicts(self.rows(dict(self.PER_CPU, **{"vertx-static": (10000, 30000, 300)})))  # level: not ahead
        self.assertEqual(v["ahead of Vert.x StaticHandler per server CPU-s"], "MISSED")
        v = self.verdicts([r for r in self.rows(self.PER_CPU) if r["peer"] != "nginx"])
        self.assertEqual(v["1 KiB file ≥ 0.8× nginx per server CPU-s"], "not measured")

    def test_report_section_and_main_tables_apart(self):
        with tempfile.TemporaryDirectory() as d:
            rows = self.rows(self.PER_CPU) + [dict(round="1", mode="pinned", peer="gale", scenario="plaintext-c128",
                                                   rps="1", rps_per_srv_cpu="2", status="ok", notes="")]
            with open(os.path.join(d, "load.csv"), "w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=load.FIELDS)
                w.writeheader()
                for r in rows:
                    w.writerow({k: r.get(k, "") for k in load.FIELDS})
            labels = {"gale": "Gale", "gale-static": "Gale StaticFileHandler", "nginx": "nginx",
                      "vertx-static": "Vert.x StaticHandler"}
            text = report.build(d, [], [], labels, [], [])
            self.assertIn("## Static files (issue 12)", text)
            self.assertIn("| Gale StaticFileHandler | 0.89× [0.89–0.89] | 0.86× [0.86–0.86] | 0.94× [0.94–0.94] |", text)
            self.assertIn("| Gale StaticFileHandler | 4.00× [4.00–4.00] | 3.33× [3.33–3.33] | 2.67× [2.67–2.67] |", text)
            # the TechEmpower tables do not list the static servers or scenarios
            main = text.split("## Static files")[0]
            self.assertNotIn("static-1k", main)
            self.assertNotIn("StaticFileHandler", main)


if __name__ == "__main__":
    unittest.main()
