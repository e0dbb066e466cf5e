"""What the echo and WebSocket runners share: failure bookkeeping, starting a server, JFR
flags, alternating load rounds and the JFR hot-methods summaries."""
import os
import subprocess

from .env import JDK, log
from .proc import Server


class RunnerBase:
    """Subclasses set self.servers (name -> (label, command factory)) and define load_server."""

    def __init__(self, a, out, failures):
        self.a, self.out, self.failures = a, out, failures
        self.clog = open(os.path.join(out, "logs", "clients.log"), "a")

    def fail(self, what):
        self.failures.append(what)
        log("!!! FAIL: " + what)

    def server(self, name, extra, logname):
        return Server(self.servers[name][1](self.a.port, extra), self.a.port, True,
                      os.path.join(self.out, "logs", logname))

    def jfr_flags(self, name, rnd):
        if not self.a.jfr or rnd != 1:
            return []
        os.makedirs(os.path.join(self.out, "jfr"), exist_ok=True)
        return ["-XX:StartFlightRecording=filename=%s,settings=profile,dumponexit=true" % os.path.join(
            self.out, "jfr", "%s.jfr" % name)]

    def load_rounds(self, writer, csvf):
        """Every server once per round; odd rounds in the given order, even rounds reversed."""
        for rnd in range(1, self.a.rounds + 1):
            order = self.a.servers if rnd % 2 == 1 else list(reversed(self.a.servers))
            log("== round %d: %s" % (rnd, " ".join(order)))
            for name in order:
                self.load_server(rnd, name, writer, csvf)


def jfr_summaries(out):
    d = os.path.join(out, "jfr")
    if not os.path.isdir(d):
        return
    jfr = os.path.join(JDK, "bin", "jfr")
    for f in sorted(os.listdir(d)):
        if f.endswith(".jfr"):
            txt = os.path.join(d, f[:-4] + "-hot-methods.txt")
            with open(txt, "w") as o:
                subprocess.run([jfr, "view", "--width", "200", "hot-methods", os.path.join(d, f)], stdout=o,
                               stderr=subprocess.STDOUT, timeout=120)
            log("jfr: %s" % txt)
