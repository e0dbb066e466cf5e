"""Unit tests of the Fortunes family's page check and report (no servers, no database):
/usr/bin/python3 -m unittest discover -s gale-bench/harness/tests"""
import html
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from galebench import fortunes  # noqa: E402


def page(rows, escape=html.escape):
    cells = "".join("<tr><td>%d</td><td>%s</td></tr>" % (i, escape(m)) for i, m in rows)
    return ("<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
            "<tr><th>id</th><th>message</th></tr>%s</table></body></html>" % cells)


class CheckPage(unittest.TestCase):
    def test_a_correct_page_passes_whatever_the_escaping_style(self):
        rows = fortunes.expected_rows()
        self.assertEqual([], fortunes.check_page(page(rows)))
        # &#39; / &#34; instead of &#x27; / &quot;: the same text once parsed
        numeric = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;") \
            .replace("'", "&#39;")
        self.assertEqual([], fortunes.check_page(page(rows, numeric)))

    def test_the_extra_fortune_comes_first_after_sorting_and_the_japanese_one_last(self):
        rows = fortunes.expected_rows()
        self.assertEqual(13, len(rows))
        self.assertEqual(11, rows[0][0])  # "<script>..." sorts first
        self.assertEqual(12, rows[-1][0])  # the Japanese text sorts last
        self.assertIn(fortunes.EXTRA, rows)

    def test_an_unescaped_message_is_refused(self):
        problems = fortunes.check_page(page(fortunes.expected_rows(), escape=lambda s: s))
        self.assertTrue(any("<script>" in p for p in problems), problems)

    def test_missing_unsorted_or_changed_rows_are_refused(self):
        rows = fortunes.expected_rows()
        self.assertTrue(fortunes.check_page(page(rows[1:])))
        self.assertTrue(fortunes.check_page(page(list(reversed(rows)))))
        changed = [(i, m + "!") if i == 3 else (i, m) for i, m in rows]
        self.assertTrue(fortunes.check_page(page(changed)))
        self.assertTrue(fortunes.check_page("<html><body>no table</body></html>"))


class Report(unittest.TestCase):
    def row(self, rnd, peer, rps, cores, db=1.0, requests=1000):
        return dict(round=str(rnd), mode="pinned", peer=peer, scenario="fortunes-c128", rps=str(rps),
                    srv_cores=str(cores), rps_per_srv_cpu=str(rps / cores), db_cpu_s=str(db),
                    requests=str(requests), p99_ms="10", status="ok")

    def test_targets_use_within_round_ratios(self):
        load = [self.row(1, "gale-fortunes", 10000, 0.5), self.row(1, "vertx-fortunes", 9000, 0.5),
                self.row(1, "tornado-fortunes", 1000, 0.5)]
        t = fortunes.targets(load)
        self.assertEqual(("Gale ≥ 1.0× Vert.x per server CPU-s", "1.11×", "met"), t[0])
        self.assertEqual("met", t[1][2])
        load.append(self.row(2, "gale-fortunes", 5000, 0.5))
        load.append(self.row(2, "tornado-fortunes", 1000, 0.5))
        self.assertEqual("MISSED", fortunes.targets(load)[1][2])  # median of 10× and 5×

    def test_report_has_the_database_cpu_per_request(self):
        load = [self.row(1, "gale-fortunes", 10000, 0.5, db=0.08, requests=1000)]
        md = "\n".join(fortunes.report(load, lambda p: p, lambda v: (None, "%s" % [x for x in v if x is not None]),
                                       lambda h, rows: ["|".join(h)] + ["|".join(r) for r in rows]))
        self.assertIn("database CPU per request", md)
        self.assertIn("80.0", md)  # 0.08 s / 1000 requests = 80 µs


if __name__ == "__main__":
    unittest.main()
