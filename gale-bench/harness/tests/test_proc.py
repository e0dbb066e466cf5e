"""Tests of how the harness stops servers and decides that a port is free, with real processes and
real sockets on 127.0.0.1 (a few seconds):
/usr/bin/python3 -m unittest discover -s gale-bench/harness/tests"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from galebench import proc  # noqa: E402
from galebench.__main__ import parse_args  # noqa: E402

# A stand-in server: answers GET with 200 on 127.0.0.1:PORT. MODE says what it does on SIGTERM:
#   exit        the default: dies at once (as Gale's bench demo does)
#   drain       closes its listener, keeps running a moment (a drain), then exits
#   ignore      ignores it (a server stuck in its drain): only SIGKILL ends it
#   wrapper     a wrapper script: dies at once, but its child (mode ignore) serves the port
FAKE_SERVER = textwrap.dedent('''
    import http.server, signal, subprocess, sys, threading
    port, mode = int(sys.argv[1]), sys.argv[2]
    if mode == "wrapper":
        child = subprocess.Popen([sys.executable, __file__, str(port), "ignore"])
        sys.exit(child.wait())

    class Hello(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "5")
            self.end_headers()
            self.wfile.write(b"Hello")

        def log_message(self, *args):
            pass

    srv = http.server.HTTPServer(("127.0.0.1", port), Hello)
    if mode == "ignore":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    elif mode == "drain":
        def drain(*args):
            srv.socket.close()
            threading.Timer(0.5, lambda: sys.exit(0)).start()
            threading.Thread(target=srv.shutdown).start()
        signal.signal(signal.SIGTERM, drain)
    srv.serve_forever()
''')


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connect_refused(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


class StopSequenceTest(unittest.TestCase):
    """Server.stop: SIGTERM, a bounded wait for the whole process group, then SIGKILL."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.script = os.path.join(self.dir.name, "fake_server.py")
        with open(self.script, "w") as f:
            f.write(FAKE_SERVER)
        self.servers = []

    def tearDown(self):
        for srv in self.servers:
            srv.stop(grace=0, kill_wait=5)  # never leave one behind when a test fails
        self.dir.cleanup()

    def start(self, mode):
        port = free_port()
        srv = proc.Server([sys.executable, self.script, str(port), mode], port, False,
                          os.path.join(self.dir.name, "server.log"))
        self.servers.append(srv)
        self.assertIsNotNone(srv.wait_ready(timeout=30, poll=0.01, path="/"), "fake server %s never answered" % mode)
        return srv, port

    def assert_gone(self, srv, port):
        self.assertIsNotNone(srv.proc.poll(), "root process still running")
        self.assertEqual([], proc.group_members(srv.pid), "processes of the group left")
        self.assertTrue(proc.port_bindable(port), "port %d not bindable: %s" % (port, proc.port_holders(port)))
        self.assertTrue(connect_refused(port))

    def test_server_that_exits_on_sigterm_needs_no_sigkill(self):
        srv, port = self.start("exit")
        self.assertEqual("sigterm", srv.stop(grace=30, kill_wait=5))
        self.assertEqual(-signal.SIGTERM, srv.proc.returncode)
        self.assert_gone(srv, port)

    def test_draining_server_is_waited_for_not_killed(self):
        srv, port = self.start("drain")
        self.assertEqual("sigterm", srv.stop(grace=30, kill_wait=5))
        self.assertEqual(0, srv.proc.returncode, "the drain's own exit, not a kill")
        self.assert_gone(srv, port)

    def test_server_ignoring_sigterm_is_killed_after_the_grace(self):
        srv, port = self.start("ignore")
        self.assertEqual("sigkill", srv.stop(grace=1, kill_wait=10))
        self.assertEqual(-signal.SIGKILL, srv.proc.returncode)
        self.assert_gone(srv, port)

    def test_child_left_by_a_wrapper_is_waited_for_and_killed(self):
        # the root exits on SIGTERM at once; a stop that waited for the root alone would return
        # with the child still listening on the port
        srv, port = self.start("wrapper")
        self.assertEqual("sigkill", srv.stop(grace=1, kill_wait=10))
        self.assert_gone(srv, port)

    def test_stop_twice_and_stop_of_a_dead_server(self):
        srv, port = self.start("exit")
        os.killpg(srv.pid, signal.SIGKILL)
        srv.proc.wait(10)
        self.assertEqual("exited", srv.stop())
        self.assertEqual("exited", srv.stop())
        self.assertEqual("killed by signal %d" % signal.SIGKILL, srv.exit_note())


class PortTest(unittest.TestCase):
    """What keeps a server from binding its port, and the probes that must not cause it."""

    def time_wait_on(self, client):
        """Makes `client` (not yet connected) end in TIME_WAIT on its local port; returns that port."""
        with socket.socket() as lst:
            lst.bind(("127.0.0.1", 0))
            lst.listen()
            client.bind(("127.0.0.1", 0))
            port = client.getsockname()[1]
            client.connect(lst.getsockname())
            accepted, _ = lst.accept()
            client.close()  # the client closes first: TIME_WAIT is on its side
            accepted.close()
        return port

    def test_client_time_wait_blocks_a_bind_while_a_connect_is_refused(self):
        # yesterday's lost rounds: a connect probe called the port free, the server's bind failed
        port = self.time_wait_on(socket.socket())
        self.assertTrue(connect_refused(port))
        self.assertFalse(proc.port_bindable(port))
        self.assertTrue(any("TIME-WAIT" in h for h in proc.port_holders(port)), proc.port_holders(port))
        self.assertFalse(proc.port_free(port, timeout=0.3))
        self.assertIn("TIME-WAIT", proc.port_busy_note(port))

    def test_probe_socket_time_wait_does_not_block_a_server(self):
        port = self.time_wait_on(proc.probe_socket())
        self.assertTrue(any("TIME-WAIT" in h for h in proc.port_holders(port)), proc.port_holders(port))
        self.assertTrue(proc.port_bindable(port))
        with socket.socket() as srv:  # a server as the JDK, Tornado and nginx open theirs
            srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            srv.bind(("127.0.0.1", port))
            srv.listen()

    def test_listener_makes_a_port_busy_and_its_close_frees_it(self):
        with socket.socket() as lst:
            lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            lst.bind(("127.0.0.1", 0))
            lst.listen()
            port = lst.getsockname()[1]
            self.assertFalse(proc.port_bindable(port))
            self.assertFalse(proc.port_free(port, timeout=0.3))
            self.assertTrue(any("LISTEN" in h for h in proc.port_holders(port)), proc.port_holders(port))
        self.assertTrue(proc.port_free(port, timeout=5))

    def test_a_connect_to_a_port_nobody_listens_on_can_connect_to_itself(self):
        # what the kernel may do to any connect whose port lies in the ephemeral range; forced
        # here by binding the client to the port it connects to
        port = free_port()
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))
            s.settimeout(5)
            s.connect(("127.0.0.1", port))
            s.sendall(b"GET /plaintext HTTP/1.1\r\n\r\n")
            self.assertEqual(b"GET /plaintext HTTP/1.1\r\n\r\n", s.recv(100))  # its own bytes back
        self.assertFalse(proc.port_bindable(port))  # and its TIME_WAIT blocks the server for 60 s

    def test_probe_connected_to_itself_is_refused_and_blocks_nothing(self):
        port = free_port()
        s = proc.probe_socket()
        s.bind(("127.0.0.1", port))
        with self.assertRaises(ConnectionRefusedError):
            proc.probe_connection(port, 5, sock=s)
        self.assertEqual(-1, s.fileno())  # closed
        self.assertTrue(proc.port_bindable(port))

    def test_probe_connection_to_a_listener(self):
        with socket.socket() as lst:
            lst.bind(("127.0.0.1", 0))
            lst.listen()
            with proc.probe_connection(lst.getsockname()[1]) as s:
                self.assertEqual(lst.getsockname(), s.getpeername())
        with self.assertRaises(ConnectionRefusedError):
            proc.probe_connection(free_port())

    def test_plaintext_probe_of_a_port_nobody_listens_on(self):
        self.assertFalse(proc.plaintext_ok(free_port()))

    def test_ephemeral_overlap(self):
        rng = (32768, 60999)
        self.assertIsNone(proc.ephemeral_overlap(28080, 28211, rng))
        self.assertIsNone(proc.ephemeral_overlap(32636, 32767, rng))
        self.assertEqual((32768, 32768), proc.ephemeral_overlap(32637, 32768, rng))
        self.assertEqual((38480, 38611), proc.ephemeral_overlap(38480, 38611, rng))
        self.assertEqual((60999, 60999), proc.ephemeral_overlap(60999, 61130, rng))
        self.assertIsNone(proc.ephemeral_overlap(61000, 61131, rng))

    def test_ephemeral_range_of_this_machine(self):
        low, high = proc.ephemeral_port_range()
        self.assertLess(0, low)
        self.assertLessEqual(low, high)


class PortPickerTest(unittest.TestCase):
    """proc.PortPicker on ports 29100-29103 (below the ephemeral range, apart from the harness's)."""
    RNG = (32768, 60999)

    def hold(self, port):
        s = socket.socket()
        s.bind(("127.0.0.1", port))
        s.listen()
        self.addCleanup(s.close)

    def test_ports_in_turn_then_from_the_first_again(self):
        picker = proc.PortPicker(29100, 29102, self.RNG)
        self.assertEqual([29100, 29101, 29102, 29100], [picker.take() for _ in range(4)])

    def test_a_port_someone_listens_on_is_passed_over(self):
        self.hold(29101)
        picker = proc.PortPicker(29100, 29102, self.RNG)
        self.assertEqual([29100, 29102, 29100], [picker.take() for _ in range(3)])

    def test_ports_in_the_ephemeral_range_are_passed_over(self):
        picker = proc.PortPicker(29100, 29102, (29100, 29101))
        self.assertEqual([29102, 29102], [picker.take(), picker.take()])

    def test_the_extra_ports_must_be_bindable_too(self):
        self.hold(29101)
        picker = proc.PortPicker(29100, 29102, self.RNG)
        self.assertEqual(29102, picker.take(extra=(1,)))

    def test_no_port_left_is_an_error(self):
        self.hold(29100)
        with self.assertRaises(RuntimeError):
            proc.PortPicker(29100, 29100, self.RNG).take()

    def test_fanout_ports_are_below_this_machines_ephemeral_range(self):
        from galebench import fanout
        self.assertIsNone(proc.ephemeral_overlap(fanout.PORTS.first, fanout.PORTS.last))
        self.assertIsNone(proc.ephemeral_overlap(fanout.free_port(), fanout.free_port()))


class PortOptionTest(unittest.TestCase):
    def test_default_port_is_below_the_ephemeral_range(self):
        a = parse_args([])
        self.assertIsNone(proc.ephemeral_overlap(a.port, a.port + 200))

    def test_port_in_the_ephemeral_range_is_refused(self):
        low, _ = proc.ephemeral_port_range()
        with open(os.devnull, "w") as null:
            stderr, sys.stderr = sys.stderr, null
            try:
                with self.assertRaises(SystemExit):
                    parse_args(["--port", str(low + 100)])
            finally:
                sys.stderr = stderr


if __name__ == "__main__":
    unittest.main()
