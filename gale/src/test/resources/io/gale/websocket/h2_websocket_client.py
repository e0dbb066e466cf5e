# RFC 8441 client for WebSocketOverHttp2Test: python3-h2 over a plain socket (h2c prior knowledge)
# or TLS (ALPN h2). Opens a WebSocket with an extended CONNECT, exchanges masked frames, runs a
# plain GET on another stream of the same connection meanwhile, closes with 1000. Prints one line
# per observation; the Java test compares them.
import os, socket, ssl, struct, sys, zlib
import h2.config, h2.connection, h2.events, h2.settings

mode, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
extra = sys.argv[4:]  # "name=value" request fields

raw = socket.create_connection(('127.0.0.1', port))
if mode == 'tls':
    ctx = ssl.create_default_context(cafile=os.environ['CA_PEM'])
    ctx.set_alpn_protocols(['h2'])
    s = ctx.wrap_socket(raw, server_hostname='localhost')
    assert s.selected_alpn_protocol() == 'h2', s.selected_alpn_protocol()
    scheme, authority = 'https', 'localhost:%d' % port
else:
    s = raw
    scheme, authority = 'http', '127.0.0.1:%d' % port
s.settimeout(30)
c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, validate_outbound_headers=False))
c.initiate_connection()
s.sendall(c.data_to_send())

events = []
def pump():
    data = s.recv(1 << 20)
    if not data:
        raise SystemExit('connection closed')
    events.extend(c.receive_data(data))
    out = c.data_to_send()
    if out:
        s.sendall(out)

def wait(pred, what):
    while True:
        for i, e in enumerate(events):
            if pred(e):
                del events[i]
                return e
        pump()

connect = wait(lambda e: isinstance(e, h2.events.RemoteSettingsChanged), 'settings')
v = connect.changed_settings.get(h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL)
print('enable_connect_protocol', v.new_value if v else None)

headers = [(':method', 'CONNECT'), (':protocol', 'websocket'), (':scheme', scheme), (':path', path),
           (':authority', authority)]
for kv in extra:
    k, _, val = kv.partition('=')
    headers.append((k, val))
c.send_headers(1, headers, end_stream=False)
s.sendall(c.data_to_send())
resp = wait(lambda e: isinstance(e, (h2.events.ResponseReceived, h2.events.StreamReset)), 'response')
if isinstance(resp, h2.events.StreamReset):
    print('reset', resp.error_code)
    raise SystemExit(0)
hdrs = {k.decode(): v.decode() for k, v in resp.headers}
print('status', hdrs[':status'], hdrs.get('sec-websocket-extensions', '-'))
if hdrs[':status'] != '200':
    body = b''
    while True:
        e = wait(lambda e: isinstance(e, (h2.events.DataReceived, h2.events.StreamEnded, h2.events.StreamReset)), 'body')
        if isinstance(e, h2.events.DataReceived):
            body += e.data
            c.acknowledge_received_data(e.flow_controlled_length, 1)
        else:
            break
    print('body', body.decode())
    raise SystemExit(0)

def frame(opcode, payload):
    mask = os.urandom(4)
    n = len(payload)
    head = bytes([0x80 | opcode])
    if n < 126:
        head += bytes([0x80 | n])
    elif n < 65536:
        head += bytes([0x80 | 126]) + struct.pack('!H', n)
    else:
        head += bytes([0x80 | 127]) + struct.pack('!Q', n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))

def send(data):
    # respects the server's windows: waits for WINDOW_UPDATE when they are used up
    while data:
        room = min(c.local_flow_control_window(1), c.max_outbound_frame_size)
        if room == 0:
            pump()
            continue
        c.send_data(1, data[:room])
        s.sendall(c.data_to_send())
        data = data[room:]

buf = bytearray()
inflater = zlib.decompressobj(-15)  # permessage-deflate with context takeover (RFC 7692)
compressed = 0
def read_frame():
    global compressed
    while True:
        if len(buf) >= 2:
            b0, b1 = buf[0], buf[1]
            assert b1 & 0x80 == 0, 'server frames are not masked'
            n, off = b1 & 0x7f, 2
            if n == 126:
                if len(buf) < 4: n = None
                else: n, off = struct.unpack('!H', bytes(buf[2:4]))[0], 4
            elif n == 127:
                if len(buf) < 10: n = None
                else: n, off = struct.unpack('!Q', bytes(buf[2:10]))[0], 10
            if n is not None and len(buf) >= off + n:
                payload = bytes(buf[off:off + n])
                del buf[:off + n]
                if b0 & 0x40:
                    compressed += 1
                    payload = inflater.decompress(payload + b'\x00\x00\xff\xff')
                return b0 & 0x0f, payload
        e = wait(lambda e: isinstance(e, (h2.events.DataReceived, h2.events.StreamEnded, h2.events.StreamReset)), 'data')
        if isinstance(e, h2.events.DataReceived):
            if e.stream_id == 1:
                buf.extend(e.data)
            c.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
            s.sendall(c.data_to_send())
        else:
            raise SystemExit('stream ended while reading a frame: %r' % e)

send(frame(1, b'hello over h2'))
op, p = read_frame()
print('text', op, p.decode())

# a plain request on stream 3 while the WebSocket is open
c.send_headers(3, [(':method', 'GET'), (':scheme', scheme), (':path', '/hello'), (':authority', authority)],
               end_stream=True)
s.sendall(c.data_to_send())
body3 = b''
while True:
    e = wait(lambda e: getattr(e, 'stream_id', None) == 3 and isinstance(e, (h2.events.DataReceived, h2.events.StreamEnded)), 's3')
    if isinstance(e, h2.events.DataReceived):
        body3 += e.data
        c.acknowledge_received_data(e.flow_controlled_length, 3)
    else:
        break
print('stream3', body3.decode())

big = bytes(i * 7 % 251 for i in range(300000))  # beyond the 64 KiB windows both ways
send(frame(2, big))
op, p = read_frame()
print('binary', op, len(p), p == big)

send(frame(8, struct.pack('!H', 1000) + b'bye'))
op, p = read_frame()
print('close', op, struct.unpack('!H', p[:2])[0])
e = wait(lambda e: isinstance(e, (h2.events.StreamEnded, h2.events.StreamReset)) and e.stream_id == 1, 'end')
print('ended', type(e).__name__)
if compressed:
    print('compressed', compressed)
