"""Smoke test of the benchmark servers: each Gale peer (and each other peer that needs nothing CI
does not already build or install) started exactly as the harness starts it, asked one request
(one chat message where that is the server's job) on 127.0.0.1, and stopped.

"Exactly as the harness" means through the harness's own code: the command line, class path and
environment come from the same functions gale-bench/run, run-echo, run-ws and run-fanout call
(peers.all_peers, h2.peers, staticfiles.peers, fortunes.peers, echo.servers, ws.servers,
fanout.server_command), the process is a proc.Server as theirs, readiness is their readiness
check (Server.wait_ready on the peer's ready_path, runner.wait_until with echo_ok / ws_echo_ok,
fanout.wait_port) and the answer is checked with their response checks. A class path that lost a
jar group (the websocket demo after the class-path split: it exited at start) fails here, with
the server's log in the failure.

Covered: gale, gale-base (this checkout as its own baseline), gale-helloworld, tornado,
tornado-helloworld (gale-bench/run); gale-h2 (HTTP/2 family); gale-static and nginx (static
files); gale-fortunes on a throw-away PostgreSQL (Fortunes); Gale's echo server (run-echo) and
WebSocket echo server (run-ws); the websocket demo twice over one Redis and once in process
(run-fanout). Not covered, and why: gale-helloworld-launcher (./gale-demo builds itself with a
nested `mvn package` and records a start-up cache; its java command is gale-helloworld's);
--gale-command (a user's template); Vert.x, Netty, Undertow, Helidon and the Netty echo server
(gale-bench/peers is a separate Maven build CI does not run); tornado-fortunes (python3-asyncpg,
which CI does not install); Socket.IO (node and npm ci); run-metrics-overhead, run-reload and
run-soak (shell scripts with their own command lines, not the harness's peers).

Needs what .ci/run installs: Debian's /usr/bin/python3 with tornado, nginx, redis-server,
PostgreSQL, curl, a JDK 21+ under /usr/lib/jvm; and a built checkout (gale-demos `package`,
gale-bench's target/benchmarks.jar): gale-bench's pom runs it in the integration-test phase of
`mvn verify`. A missing peer is a failure, never a skip.

/usr/bin/python3 -m unittest discover -s gale-bench/harness/smoke -v
"""
import base64
import http.client
import json
import os
import shutil
import socket
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from galebench import echo, fanout, fortunes, h2, staticfiles, ws  # noqa: E402
from galebench.env import REPO_DIR  # noqa: E402
from galebench.peers import all_peers, gale_baseline_peer  # noqa: E402
from galebench.proc import PortPicker, Server, check_responses, probe_connection  # noqa: E402
from galebench.runner import wait_until  # noqa: E402

# Ports below the kernel's ephemeral range, as the harness requires (see proc.py), and apart from
# the harness's (28080 up run, 28090 echo, 28095 ws, 28300-28399 fanout), so a benchmark running
# on the same machine is not disturbed. Each start takes the next bindable port in turn.
PORTS = PortPicker(28600, 28999)
READY_S = 60  # the harness's own readiness limit
LOG_TAIL = 3000  # characters of a server's log quoted in a failure


# ------------------------------------------------------------------- WebSocket messages


class FrameReader:
    """Text messages from a server's (unmasked, unfragmented) frames; pings and binary frames are skipped."""

    def __init__(self, sock, early):
        self.sock, self.buf = sock, early

    def _need(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise AssertionError("the server closed the WebSocket connection")
            self.buf += chunk

    def text(self):
        """The next text message; socket.timeout when none arrives within the socket's timeout."""
        while True:
            self._need(2)
            op, n, at = self.buf[0] & 0x0F, self.buf[1] & 0x7F, 2
            if n == 126:
                self._need(4)
                n, at = int.from_bytes(self.buf[2:4], "big"), 4
            elif n == 127:
                self._need(10)
                n, at = int.from_bytes(self.buf[2:10], "big"), 10
            self._need(at + n)
            payload, self.buf = self.buf[at:at + n], self.buf[at + n:]
            if op == 0x8:
                raise AssertionError("the server closed the WebSocket: %r" % payload)
            if op == 0x1:
                return payload.decode("utf-8")


def chat_round_trip(publish_port, receive_port, timeout=30.0):
    """A chat message posted on /chatsocket of one websocket demo and received on another's (or the
    same one's) /chatsocket, as run-fanout's FanoutLoad does; posted again every second until it
    arrives (a room's subscription may be made a moment after the first socket joins)."""
    token = "smoke-%d-%s" % (os.getpid(), base64.b16encode(os.urandom(6)).decode())
    sub, early = ws.ws_connect(receive_port, "/chatsocket")
    pub, _ = ws.ws_connect(publish_port, "/chatsocket")
    try:
        reader = FrameReader(sub, early)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pub.sendall(ws.client_frame(json.dumps({"body": token}).encode()))
            resend = time.monotonic() + 1.0
            while time.monotonic() < min(resend, deadline):
                sub.settimeout(max(0.05, min(resend, deadline) - time.monotonic()))
                try:
                    text = reader.text()
                except socket.timeout:
                    break
                if json.loads(text).get("body") == token:
                    return
        raise AssertionError("chat message posted on port %d never arrived on port %d within %.0f s"
                             % (publish_port, receive_port, timeout))
    finally:
        sub.close()
        pub.close()


# ----------------------------------------------------------------------------------- the tests

class PeerSmokeTest(unittest.TestCase):
    """One test per server; each leaves nothing running (every server is stopped by its process
    group's id, also when the test fails)."""

    @classmethod
    def setUpClass(cls):
        built = os.path.join(REPO_DIR, "gale-demos", "target", "lib")
        if not os.path.isdir(built):
            raise AssertionError("%s missing: build the demos first (mvn -DskipTests -pl gale-demos -am package; "
                                 "`mvn verify` of the whole project builds them before gale-bench)" % built)
        cls.out = tempfile.mkdtemp(prefix="gale-peer-smoke-")
        # readable by nginx's worker, which runs as nobody when the harness runs as root (the
        # harness's own results folder under gale-bench/results is world-readable; mkdtemp's is not)
        os.chmod(cls.out, 0o755)
        cls.logdir = os.path.join(cls.out, "logs")
        cls.times = []
        os.makedirs(cls.logdir)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.out, ignore_errors=True)
        print("peer smoke, seconds per test: " + ", ".join("%s %.1f" % t for t in cls.times), file=sys.stderr, flush=True)

    def setUp(self):
        self.t0 = time.monotonic()
        self.servers = []

    def tearDown(self):
        for srv in self.servers:
            srv.stop()
        self.times.append((self._testMethodName[len("test_"):], time.monotonic() - self.t0))

    # -------------------------------------------------------------------------------- helpers

    def start(self, name, cmd, port):
        """cmd started as the harness starts a server (proc.Server: own process group, unpinned)."""
        srv = Server(cmd, port, False, os.path.join(self.logdir, name + ".log"))
        self.servers.append(srv)
        return srv

    def log_tail(self, srv):
        srv.logf.flush()
        with open(srv.logf.name, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        return text[-LOG_TAIL:]

    def not_ready(self, name, srv, what):
        self.fail("%s did not %s within %d s: %s; command %s; its log:\n%s" % (
            name, what, READY_S, srv.exit_note(), " ".join(srv.cmd), self.log_tail(srv)))

    def stopped_by_us(self, name, srv):
        """The server still ran when the test was done, and SIGTERM ended it (as Server.stop expects)."""
        alive = srv.alive()
        outcome = srv.stop()
        if not alive:
            self.fail("%s exited during the test: %s; its log:\n%s" % (name, srv.exit_note(), self.log_tail(srv)))
        self.assertEqual("sigterm", outcome, "%s: stop() ended it with %s" % (name, outcome))

    def peer_answers(self, peer, check=None, extra_ports=()):
        """gale-bench/run's load start (load.py): Server, wait_ready on the peer's ready_path, then
        the peer's response check (TechEmpower's /plaintext and /json by default), then stopped."""
        self.assertIsNone(peer.skip_reason, "%s cannot run here: %s" % (peer.name, peer.skip_reason))
        port = PORTS.take(extra_ports)
        srv = self.start(peer.name, peer.command(port, []), port)
        if srv.wait_ready(timeout=READY_S, path=peer.ready_path) is None:
            self.not_ready(peer.name, srv, "answer %s with 200" % peer.ready_path)
        problems = (check or peer.check or check_responses)(port)
        self.assertEqual([], problems, "%s: wrong responses; its log:\n%s" % (peer.name, self.log_tail(srv)))
        self.stopped_by_us(peer.name, srv)

    def hello_world_answers(self, peer, body):
        """The start-up measurement's start (startup.py): wait_ready on GET /, then its body checked."""
        def problems(port):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                conn.request("GET", "/")
                r = conn.getresponse()
                got = r.read()
                return [] if r.status == 200 and got.strip() == body else ["GET /: %d %r" % (r.status, got[:80])]
            finally:
                conn.close()
        self.assertEqual("/", peer.ready_path)
        self.peer_answers(peer, check=problems)

    def echo_server_answers(self, name, command, probe):
        """run-echo's and run-ws's start (runner.RunnerBase.server, echo.Bench / ws.Bench.load_server):
        wait_until the probe (one echo) holds, then stopped."""
        port = PORTS.take()
        srv = self.start(name, command(port, []), port)
        if not wait_until(srv, probe, timeout=READY_S):
            self.not_ready(name, srv, "echo")
        self.assertTrue(probe(port), "%s: a second echo failed" % name)
        self.stopped_by_us(name, srv)

    def websocket_demos(self, peer, n, redis_url):
        """run-fanout's start (fanout.run_peer): n websocket demos, fanout.server_command, wait_port;
        then one chat message from the first demo's room to the last one's."""
        servers = []
        for i in range(n):
            port = PORTS.take()
            servers.append(self.start("%s-%d" % (peer, i), fanout.server_command(peer, port, redis_url), port))
        for srv in servers:
            if not fanout.wait_port(srv.port, srv.proc, READY_S):
                self.not_ready(peer, srv, "listen")
        chat_round_trip(servers[0].port, servers[-1].port)
        for i, srv in enumerate(servers):
            self.stopped_by_us("%s-%d" % (peer, i), srv)

    # ------------------------------------------------------------------- gale-bench/run's peers

    def test_gale_bench(self):
        self.peer_answers(all_peers()["gale"])

    def test_gale_baseline_of_this_checkout(self):
        self.peer_answers(gale_baseline_peer(REPO_DIR, "this checkout as its own baseline"))

    def test_gale_helloworld(self):
        self.hello_world_answers(all_peers()["gale-helloworld"], b"Hello, world")

    def test_tornado(self):
        self.peer_answers(all_peers()["tornado"])

    def test_tornado_helloworld(self):
        self.hello_world_answers(all_peers()["tornado-helloworld"], b"Hello, world")

    def test_gale_h2(self):
        keystore = h2.make_keystore(self.out)
        self.peer_answers(h2.peers(keystore)["gale-h2"], extra_ports=(h2.TLS_PORT_OFFSET,))

    def test_gale_static(self):
        self.peer_answers(staticfiles.peers(staticfiles.make_root(self.out))["gale-static"])

    def test_nginx_static(self):
        self.peer_answers(staticfiles.peers(staticfiles.make_root(self.out))["nginx"])

    def test_gale_fortunes(self):
        self.assertIsNotNone(fortunes.pg_bin(), "PostgreSQL is not installed (apt-get install postgresql)")
        with fortunes.database(self.logdir) as db:
            self.peer_answers(fortunes.peers(db.url())["gale-fortunes"])

    # ------------------------------------------------------------- run-echo, run-ws, run-fanout

    def test_gale_echo_server(self):
        self.assertTrue(os.path.exists(echo.BENCH_JAR), "%s missing: build gale-bench (mvn package)" % echo.BENCH_JAR)
        self.echo_server_answers("echo-gale", echo.servers("pooled")["gale"][1], echo.echo_ok)

    def test_gale_websocket_echo_server(self):
        self.assertTrue(os.path.exists(ws.BENCH_JAR), "%s missing: build gale-bench (mvn package)" % ws.BENCH_JAR)
        self.echo_server_answers("ws-gale", ws.servers()["gale"][1], ws.ws_echo_ok)

    def test_fanout_gale_over_redis(self):
        redis = fanout.Redis(self.logdir)
        try:
            self.websocket_demos("gale", 2, redis.url())
        finally:
            redis.stop()

    def test_fanout_gale_in_process(self):
        self.websocket_demos("gale-inprocess", 1, None)


if __name__ == "__main__":
    unittest.main()
