"""Start to first response: from starting the process (JVM start included) to the first 200 answer
to GET /plaintext (GET / for Gale's helloworld), polled every millisecond on fresh connections. Unpinned: a JVM starting on one
core would be measured against its own JIT and GC threads."""
import csv
import os
import time

from .env import log
from .proc import Server, port_free, rss_kb


def run(out, port, peers, repeat, failures):
    path = os.path.join(out, "startup.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["peer", "run", "first_response_ms", "rss_mb_at_first_response", "status"])
        for i in range(repeat):
            for peer in (peers if i % 2 == 0 else list(reversed(peers))):
                if not port_free(port):
                    failures.append("startup %s: port %d busy" % (peer.name, port))
                    log("!!! FAIL: " + failures[-1])
                    continue
                with Server(peer.command(port, []), port, False,
                            os.path.join(out, "logs", "startup-%s.log" % peer.name)) as srv:
                    t = srv.wait_ready(timeout=60, path=peer.ready_path)
                    rss = rss_kb(srv.pid) / 1024
                if t is None:
                    failures.append("startup %s run %d: no 200 on %s within 60 s" % (peer.name, i + 1, peer.ready_path))
                    log("!!! FAIL: " + failures[-1])
                w.writerow([peer.name, i + 1, round(t * 1000, 1) if t is not None else "", round(rss, 1),
                            "ok" if t is not None else "FAIL"])
                f.flush()
                log("startup %-12s run %d: %s ms (rss %.0f MB)" % (peer.name, i + 1,
                                                                  "%.0f" % (t * 1000) if t else "-", rss))
                time.sleep(0.3)
