"""Python's websockets client against httpbin's /websocket/echo; prints one OK line per check.

Usage: ws_echo_client.py ws://127.0.0.1:PORT/websocket/echo
Exits non-zero (with a traceback) on the first failed check.
"""
import asyncio
import os
import sys

import websockets


def close_code(exc):
    rcvd = getattr(exc, "rcvd", None)
    return rcvd.code if rcvd is not None else getattr(exc, "code", None)


async def main(url):
    async with websockets.connect(url + "?max_fragment_size=1000", compression="deflate",
                                  max_size=2 ** 21) as ws:
        assert len(ws.extensions) == 1, ws.extensions
        print("OK compression", flush=True)
        await ws.send("héllo wörld ✓")
        assert await ws.recv() == "héllo wörld ✓"
        print("OK text", flush=True)
        data = os.urandom(100_000)  # echoed in 1000-byte frames (compressed, incompressible)
        await ws.send(data)
        assert await ws.recv() == data
        text = "fragment me " * 10_000
        await ws.send(text)
        assert await ws.recv() == text
        print("OK fragmented", flush=True)
        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, 5)
        print("OK ping", flush=True)
    print("OK close 1000", flush=True)

    async with websockets.connect(url + "?max_message_size=100&max_fragment_size=50", compression=None) as ws:
        await ws.send("x" * 100)
        assert await ws.recv() == "x" * 100
        await ws.send("y" * 101)
        try:
            await asyncio.wait_for(ws.recv(), 10)
            raise AssertionError("a message over max_message_size was echoed")
        except websockets.ConnectionClosed as e:
            assert close_code(e) == 1009, close_code(e)
    print("OK close 1009", flush=True)


asyncio.run(main(sys.argv[1]))
