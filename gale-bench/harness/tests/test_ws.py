"""Unit tests of run-ws's helpers and report (no servers, no load):
/usr/bin/python3 -m unittest discover -s gale-bench/harness/tests"""
import contextlib
import csv
import io
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from galebench import echo, ws, wsreport  # noqa: E402

LABELS = {"gale": "Gale (WebSocketHandler, 1 loop)", "vertx": "Vert.x 5.0.7 (1 event loop)",
          "netty": "Netty 4.2.18 NIO (1 event loop)"}


def echo_row(rnd, server, msgs, per_cpu, status="ok", notes=""):
    return dict(round=rnd, server=server, scenario="echo-c100", connections=100, window=1, message=1024,
                msgs_per_s=msgs, mb_s=msgs / 1000.0, p50_us=2000, p99_us=9000, seconds=5, srv_cpu_s=5,
                srv_cpu_pct=100, client_cpu_pct=60, other_cpu_pct=20, per_srv_cpu=per_cpu, status=status,
                notes=notes, time="")


def write(d, name, fields, rows):
    with open(os.path.join(d, name), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


class HelpersTest(unittest.TestCase):
    def test_client_sizes_top_up_in_pieces_of_at_most_5000(self):
        self.assertEqual(ws.client_sizes(0, 10000), [5000, 5000])
        self.assertEqual(ws.client_sizes(10000, 15000), [5000])
        self.assertEqual(ws.client_sizes(0, 12001), [5000, 5000, 2001])
        self.assertEqual(ws.client_sizes(2000, 2000), [])

    def test_per_connection_growth_and_extrapolation(self):
        row = dict(heap0_kb=4096, heap1_kb=4096 + 30000, rss0_kb=80000, rss1_kb=80000 + 200000, direct0_kb=None,
                   direct1_kb=None)
        ws.per_connection(row, 10000)
        self.assertAlmostEqual(row["heap_kb_per_conn"], 3.0)
        self.assertEqual(row["heap_mb_at_100k"], round((4096 + 300000) / 1024))
        self.assertAlmostEqual(row["rss_kb_per_conn"], 20.0)
        self.assertNotIn("direct_kb_per_conn", row)  # no NMT figure: nothing invented

    def test_client_frame_is_masked_final_text(self):
        f = ws.client_frame(b"abc", b"\x01\x02\x03\x04")
        self.assertEqual(f[:2], bytes([0x81, 0x83]))
        self.assertEqual(f[2:6], b"\x01\x02\x03\x04")
        self.assertEqual(bytes(b ^ f[2 + i % 4] for i, b in enumerate(f[6:])), b"abc")

    def test_result_line(self):
        r = echo.parse_result("RESULT mode=echo connections=100 window=1 message=1024 seconds=5.001 messages=1 "
                              "msgs_per_s=25000 mb_s=25.6 p50_us=3900 p99_us=12000 errors=0")
        self.assertEqual(r["msgs_per_s"], 25000)
        self.assertEqual(r["errors"], 0)

    def test_idle_levels_are_bounded_by_the_descriptor_limit(self):
        with self.assertRaises(SystemExit), contextlib.redirect_stderr(io.StringIO()):
            ws.parse_args(["--idle-levels", "10000", "20000"])
        self.assertEqual(ws.parse_args([]).idle_levels, [10000, 15000])
        self.assertEqual(ws.parse_args(["--quick"]).rounds, 1)


class WsReportTest(unittest.TestCase):
    def test_medians_and_same_round_ratios_against_each_peer(self):
        with tempfile.TemporaryDirectory() as d:
            write(d, "echo.csv", wsreport.ECHO_FIELDS, [
                echo_row(1, "gale", 30000, 40000), echo_row(1, "vertx", 15000, 20000),
                echo_row(1, "netty", 60000, 40000),
                echo_row(2, "gale", 20000, 30000), echo_row(2, "vertx", 20000, 30000),
                echo_row(2, "netty", 10000, 30000),
            ])
            text = wsreport.build(d, [("machine", "test")], ["cmd"], LABELS, [])
        line = next(l for l in text.splitlines() if l.startswith("| Gale (WebSocketHandler"))
        self.assertIn("25,000 [20,000–30,000]", line)
        self.assertIn("| Gale ÷ Vert.x 5.0.7 | 1.50× [1.00–2.00] |", text)
        # per-round ratios 0.5 and 2.0: the median of the ratios
        self.assertIn("| Gale ÷ Netty 4.2.18 NIO | 1.25× [0.50–2.00] | 1.00× [1.00–1.00] |", text)
        self.assertIn("All runs:", text)

    def test_failed_rows_left_out_and_listed(self):
        with tempfile.TemporaryDirectory() as d:
            write(d, "echo.csv", wsreport.ECHO_FIELDS, [
                echo_row(1, "gale", 30000, 40000),
                echo_row(1, "netty", 99999, 99999, status="FAIL", notes="1 client error(s): x"),
            ])
            text = wsreport.build(d, [], [], LABELS, ["round 1 netty echo-c100: 1 client error(s): x"])
        self.assertNotIn("99,999", text)
        self.assertIn("### FAILED (1)", text)

    def test_idle_table_one_row_per_level(self):
        with tempfile.TemporaryDirectory() as d:
            rows = []
            for n, heap1, rss1 in ((10000, 34096, 280000), (15000, 49096, 380000)):
                r = dict(server="gale", n=n, connected=n, server_fds=n, connect_s=3, heap0_kb=4096, heap1_kb=heap1,
                         direct0_kb=100, direct1_kb=100, rss0_kb=80000, rss1_kb=rss1, status="ok", notes="")
                ws.per_connection(r, n)
                rows.append(r)
            write(d, "idle.csv", wsreport.IDLE_FIELDS, rows)
            text = wsreport.build(d, [], [], LABELS, [])
        lines = [l for l in text.splitlines() if l.startswith("| Gale")]
        self.assertEqual(len(lines), 2)
        self.assertIn("| 10,000 | 3.00 | 0.00 | 20.0 | 297 | 2,031 | 4.00 / 78.1 |", lines[0])
        self.assertIn("| 15,000 |", lines[1])


if __name__ == "__main__":
    unittest.main()
