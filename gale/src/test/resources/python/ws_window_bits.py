"""Python `websockets` as the independent peer for permessage-deflate window sizes.

Usage:
  /usr/bin/python3 ws_window_bits.py client URL SERVER_BITS CLIENT_BITS
      Offers server_max_window_bits=SERVER_BITS (and client_max_window_bits=CLIENT_BITS unless it
      is 0), sends messages whose repeats lie at distances up to 32 KiB, checks the echoes and
      prints "OK <negotiated extension parameters>". zlib decompresses with exactly the window
      negotiated, so a server match reaching back further fails with "invalid distance too far back".
  /usr/bin/python3 ws_window_bits.py server CLIENT_BITS
      Echo server that requires client_max_window_bits=CLIENT_BITS of its clients and honours any
      server_max_window_bits they offer. Prints "PORT <n>", serves until stdin closes.
"""
import asyncio
import random
import sys

import websockets
from websockets.extensions.permessage_deflate import (
    ClientPerMessageDeflateFactory,
    ServerPerMessageDeflateFactory,
)


def message(seed, size):
    """Bytes with repeats at distances from 64 bytes to 32 KiB, so every window size matters."""
    rnd = random.Random(seed)
    out = bytearray()
    while len(out) < size:
        back = 1 << rnd.randint(6, 15)
        if len(out) > back and rnd.random() < 0.7:
            start = len(out) - back
            out += out[start:start + rnd.randint(4, 40)]
        else:
            out += bytes(rnd.randrange(97, 123) for _ in range(rnd.randint(1, 8)))
    return bytes(out[:size])


async def client(url, server_bits, client_bits):
    factory = ClientPerMessageDeflateFactory(
        server_max_window_bits=server_bits,
        client_max_window_bits=client_bits if client_bits else None,
    )
    async with websockets.connect(url, extensions=[factory], compression=None, max_size=2 ** 24) as ws:
        ext = ws.extensions
        assert len(ext) == 1, ext
        for i in range(6):
            data = message(i, 1000 + 20000 * i)
            await ws.send(data)
            echo = await ws.recv()
            assert echo == data, "binary echo %d differs" % i
            text = message(100 + i, 5000 + 9000 * i).decode("ascii")
            await ws.send(text)
            assert await ws.recv() == text, "text echo %d differs" % i
        print("OK %r" % ext[0], flush=True)


async def server(client_bits):
    async def echo(ws, path=None):
        async for msg in ws:
            await ws.send(msg)

    factory = ServerPerMessageDeflateFactory(client_max_window_bits=client_bits, require_client_max_window_bits=True)
    async with websockets.serve(echo, "127.0.0.1", 0, extensions=[factory], compression=None,
                                max_size=2 ** 24) as srv:
        print("PORT %d" % srv.sockets[0].getsockname()[1], flush=True)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, sys.stdin.read)


if sys.argv[1] == "client":
    asyncio.run(client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
else:
    asyncio.run(server(int(sys.argv[2])))
