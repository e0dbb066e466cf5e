"""HTTP/2 server on Debian's python3-h2 for Gale's HTTP/2 client tests (PythonH2InteropTest).

An independent peer: the protocol is python-h2's, this file only routes requests.
Usage: h2_server.py [--tls CERT KEY]. Prints "listening PORT" once ready; exits when stdin closes.

Routes:
  GET  /bytes?n=N       N bytes, byte i = i % 251
  POST|PUT /echo        the request body
  GET  /headers         the request's fields as JSON ([[name, value], ...], pseudo-headers included)
  GET  /gzip?n=N        N bytes of text, gzip-compressed (content-encoding: gzip)
  GET  /status/NNN      an empty response with that status
The server sends within python-h2's flow-control windows and acknowledges received DATA as it is
read, so both directions are flow-controlled by the peer's own accounting.
"""
import gzip
import json
import os
import socket
import ssl
import sys
import threading
from urllib.parse import parse_qs, urlsplit

import h2.config
import h2.connection
import h2.events


def body_for(method, path, headers, body):
    url = urlsplit(path)
    query = parse_qs(url.query)
    if url.path == "/bytes":
        n = int(query.get("n", ["0"])[0])
        return 200, [("content-type", "application/octet-stream")], bytes(i % 251 for i in range(n))
    if url.path == "/echo" and method in ("POST", "PUT"):
        return 200, [("content-type", "application/octet-stream")], bytes(body)
    if url.path == "/headers":
        return 200, [("content-type", "application/json")], json.dumps(headers).encode()
    if url.path == "/gzip":
        n = int(query.get("n", ["0"])[0])
        text = ("python-h2 " * (n // 10 + 1))[:n].encode()
        return 200, [("content-encoding", "gzip")], gzip.compress(text)
    if url.path.startswith("/status/"):
        return int(url.path[len("/status/"):]), [], b""
    return 404, [], b"not found"


def serve(sock):
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=False, header_encoding="utf-8"))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    requests = {}  # stream id -> (headers, body)
    pending = {}   # stream id -> bytes still to send
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                return
            for event in conn.receive_data(data):
                if isinstance(event, h2.events.RequestReceived):
                    requests[event.stream_id] = ([list(h) for h in event.headers], bytearray())
                elif isinstance(event, h2.events.DataReceived):
                    requests[event.stream_id][1].extend(event.data)
                    conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, h2.events.StreamEnded):
                    headers, body = requests.pop(event.stream_id)
                    fields = dict((k, v) for k, v in headers)
                    status, extra, out = body_for(fields[":method"], fields[":path"], headers, body)
                    conn.send_headers(event.stream_id, [(":status", str(status)), ("server", "python-h2"),
                                                        ("content-length", str(len(out)))] + extra)
                    if fields[":method"] == "HEAD":
                        conn.end_stream(event.stream_id)  # the length of what GET would send, no content
                    else:
                        pending[event.stream_id] = out
                elif isinstance(event, h2.events.StreamReset):
                    pending.pop(event.stream_id, None)
                    requests.pop(event.stream_id, None)
                elif isinstance(event, h2.events.ConnectionTerminated):
                    sock.sendall(conn.data_to_send())
                    return
            for stream_id in list(pending):
                out = pending[stream_id]
                while out:
                    n = min(conn.local_flow_control_window(stream_id), conn.max_outbound_frame_size, len(out))
                    if n <= 0:
                        break
                    conn.send_data(stream_id, out[:n])
                    out = out[n:]
                if out:
                    pending[stream_id] = out
                else:
                    del pending[stream_id]
                    conn.end_stream(stream_id)
            sock.sendall(conn.data_to_send())
    except (ConnectionError, OSError):
        return
    finally:
        sock.close()


def main():
    context = None
    if len(sys.argv) == 4 and sys.argv[1] == "--tls":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
        context.set_alpn_protocols(["h2"])
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    print("listening %d" % listener.getsockname()[1], flush=True)
    while True:
        sock, _ = listener.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def run(s=sock):
            if context is not None:
                try:
                    s = context.wrap_socket(s, server_side=True)
                except (ssl.SSLError, OSError):
                    s.close()
                    return
            serve(s)

        threading.Thread(target=run, daemon=True).start()


if __name__ == "__main__":
    main()
