"""Unit tests of the HTTP/2 family's h2load parsing, commands and targets (no servers, no load):
/usr/bin/python3 -m unittest discover -s gale-bench/harness/tests"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from galebench import h2  # noqa: E402

H2LOAD_OK = """starting benchmark...
spawning thread #0: 16 total client(s). Timing-based test with 1s of warm-up time and 5s of main duration for measurements.
Warm-up started for thread #0.
TLS Protocol: TLSv1.3
Cipher: TLS_AES_256_GCM_SHA384
Server Temp Key: X25519 253 bits
Application protocol: h2
Warm-up phase is over for thread #0.
Main benchmark duration is started for thread #0.
Main benchmark duration is over for thread #0. Stopping all clients.
Stopped all clients for thread #0

finished in 6.00s, 61000.00 req/s, 2.85MB/s
requests: 305000 total, 306600 started, 305000 done, 305000 succeeded, 0 failed, 0 errored, 0 timeout
status codes: 305000 2xx, 0 3xx, 0 4xx, 0 5xx
traffic: 14.27MB (14963445) total, 3.45MB (3617000) headers (space savings 94.16%), 3.78MB (3965000) data
                     min         max         mean         sd        +/- sd
time for request:      1.05ms     95.52ms     25.70ms     10.03ms    75.01%
"""

H2LOAD_BAD = """Application protocol: h2c
finished in 5.00s, 100.00 req/s, 4.00KB/s
requests: 600 total, 600 started, 500 done, 480 succeeded, 100 failed, 20 errored, 3 timeout
status codes: 470 2xx, 0 3xx, 10 4xx, 0 5xx
"""


class ParseTest(unittest.TestCase):
    def test_ok(self):
        r = h2.parse(H2LOAD_OK)
        self.assertEqual(r["rps"], 61000.0)
        self.assertEqual(r["requests"], 305000)
        self.assertEqual((r["failed"], r["errored"], r["timeout"], r["non2xx"]), (0, 0, 0, 0))
        self.assertEqual(r["protocol"], "h2")
        self.assertEqual(r["cipher"], "TLS_AES_256_GCM_SHA384")
        self.assertAlmostEqual(r["mean_ms"], 25.7)
        self.assertAlmostEqual(r["mb_per_s"], 2.85)

    def test_errors_and_non_2xx(self):
        r = h2.parse(H2LOAD_BAD)
        self.assertEqual(r["requests"], 480)
        self.assertEqual((r["failed"], r["errored"], r["timeout"], r["non2xx"]), (100, 20, 3, 10))
        self.assertEqual(r["protocol"], "h2c")

    def test_run_under_a_second(self):
        r = h2.parse(H2LOAD_OK.replace("finished in 6.00s", "finished in 618.22ms"))
        self.assertEqual(r["rps"], 61000.0)

    def test_no_report(self):
        r = h2.parse("starting benchmark...\n(h2load exited with status -9)\n")
        self.assertIsNone(r["rps"])
        self.assertIsNone(r["protocol"])


class CommandTest(unittest.TestCase):
    def test_h2c_timed_pinned(self):
        cmd = h2.command(28080, "h2c-plaintext-c128", 5, True)
        self.assertEqual(cmd[:3], ["taskset", "-c", "1"])
        self.assertIn("-c128", cmd)
        self.assertIn("-m100", cmd)
        self.assertIn("-D5", cmd)
        self.assertEqual(cmd[-1], "http://127.0.0.1:28080/plaintext")

    def test_tls_counted_on_the_tls_port(self):
        self.assertTrue(h2.counted("tls-h2-plaintext"))
        self.assertFalse(h2.counted("h2c-plaintext-c16"))
        cmd = h2.command(28080, "tls-h1-plaintext", 5, False, requests=12800)
        self.assertEqual(cmd[0], "h2load")
        self.assertIn("--h1", cmd)
        self.assertIn("-n12800", cmd)
        self.assertNotIn("-D5", cmd)
        self.assertEqual(cmd[-1], "https://127.0.0.1:%d/plaintext" % (28080 + h2.TLS_PORT_OFFSET))


class TargetsTest(unittest.TestCase):
    @staticmethod
    def row(peer, scenario, per_cpu, rnd=1, status="ok"):
        return dict(round=str(rnd), mode="pinned", peer=peer, scenario=scenario, rps_per_srv_cpu=str(per_cpu),
                    status=status)

    def test_met_and_missed(self):
        load = []
        for s in h2.H2C:
            load += [self.row("gale-h2", s, 120), self.row("vertx-h2", s, 115), self.row("netty-h2", s, 50)]
        rows = {r[0]: r for r in h2.targets(load)}
        vertx = [r for k, r in rows.items() if "Vert.x" in k][0]
        netty = [r for k, r in rows.items() if "Netty" in k][0]
        self.assertEqual(vertx[2], "MISSED")  # 120 / 115 = 1.04
        self.assertEqual(netty[2], "met")  # 2.4

    def test_not_measured(self):
        rows = h2.targets([])
        self.assertTrue(all(r[2] == "not measured" for r in rows))


if __name__ == "__main__":
    unittest.main()
