"""Unit tests of run-echo's parsing and report (no servers, no load):
/usr/bin/python3 -m unittest discover -s gale-bench/harness/tests"""
import csv
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from galebench import echo, echoreport  # noqa: E402

LABELS = {"gale": "Gale (IOStream, 1 loop)", "netty-nio": "Netty 4.2 NIO (1 event loop)"}


def load_row(rnd, server, scenario, value, per_cpu, status="ok", notes=""):
    return dict(round=rnd, server=server, scenario=scenario, connections=1, value=value, recv_mb_s=value,
                sent_mb_s=value, rt_per_s="", p50_us=60, p99_us=900, seconds=4, srv_cpu_s=1, srv_cpu_pct=50,
                client_cpu_pct=40, other_cpu_pct=10, per_srv_cpu=per_cpu, status=status, notes=notes, time="")


class ParseResultTest(unittest.TestCase):
    def test_numbers_and_words(self):
        r = echo.parse_result("RESULT mode=pingpong connections=64 seconds=4.001 rt_per_s=12345 p50_us=61 errors=0")
        self.assertEqual(r["mode"], "pingpong")
        self.assertEqual(r["connections"], 64)
        self.assertAlmostEqual(r["seconds"], 4.001)
        self.assertEqual(r["rt_per_s"], 12345)
        self.assertEqual(r["errors"], 0)


class EchoReportTest(unittest.TestCase):
    def write(self, d, name, fields, rows):
        with open(os.path.join(d, name), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
            w.writeheader()
            w.writerows(rows)

    def test_medians_spread_and_same_round_ratio(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, "echo.csv", echoreport.LOAD_FIELDS, [
                load_row(1, "gale", "throughput-c1", 200, 1000), load_row(1, "netty-nio", "throughput-c1", 100, 1000),
                load_row(2, "gale", "throughput-c1", 300, 1000), load_row(2, "netty-nio", "throughput-c1", 400, 1000),
                load_row(3, "gale", "throughput-c1", 250, 1000), load_row(3, "netty-nio", "throughput-c1", 250, 1000),
            ])
            text = echoreport.build(d, [("machine", "test")], ["cmd"], LABELS, [])
        line = next(l for l in text.splitlines() if l.startswith("| echo throughput, 1 connection | MB/s |"))
        self.assertIn("250 [200–300]", line)
        self.assertIn("250 [100–400]", line)
        # per-round ratios 2.0, 0.75, 1.0: the median of the ratios, not the ratio of the medians
        self.assertIn("1.00× [0.75–2.00]", line)
        self.assertIn("All runs:", text)

    def test_failed_rows_are_left_out_and_listed(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, "echo.csv", echoreport.LOAD_FIELDS, [
                load_row(1, "gale", "pingpong-c1", 5000, 9000),
                load_row(1, "netty-nio", "pingpong-c1", 99999, 9999, status="FAIL", notes="1 client error(s): x"),
            ])
            text = echoreport.build(d, [], [], LABELS, ["round 1 netty-nio pingpong-c1: 1 client error(s): x"])
        line = next(l for l in text.splitlines() if l.startswith("| ping-pong, 1 connection | round trips/s |"))
        self.assertNotIn("99,999", line)
        self.assertIn("### FAILED (1)", text)

    def test_idle_memory_table(self):
        with tempfile.TemporaryDirectory() as d:
            self.write(d, "idle.csv", echoreport.IDLE_FIELDS, [
                dict(round=1, server="gale", n=10000, connected=10000, accepted=10000, heap0_kb=2000, heap1_kb=10000,
                     heap_kb_per_conn=0.8, direct0_kb=100, direct1_kb=100, direct_kb_per_conn=0.0, rss0_kb=70000,
                     rss1_kb=95000, rss_kb_per_conn=2.5, status="ok", notes=""),
            ])
            text = echoreport.build(d, [], [], LABELS, [])
        line = next(l for l in text.splitlines() if l.startswith("| Gale"))
        self.assertIn("| 10000 / 10000 | 0.80 | 0.00 | 2.50 |", line)


if __name__ == "__main__":
    unittest.main()
