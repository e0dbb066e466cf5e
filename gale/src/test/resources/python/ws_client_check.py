"""Python `websockets` client against Gale's WebSocketHandler (the Echo handler of
WebSocketHandlerTest, which prefixes text with "<room>:" and echoes binary).
Usage: /usr/bin/python3 ws_client_check.py ws://host:port/ws/py ; prints "OK <step>" lines."""
import asyncio
import sys

import websockets


async def main(url):
    async with websockets.connect(url, compression="deflate") as ws:
        exts = [e.name for e in ws.extensions]
        assert exts == ["permessage-deflate"], exts
        await ws.send("hello " * 2000)
        assert await ws.recv() == "py:" + "hello " * 2000
        print("OK compression", flush=True)
        await ws.send("text ✓")
        assert await ws.recv() == "py:text ✓"
        print("OK text", flush=True)
        await ws.send(bytes(range(256)) * 100)
        assert await ws.recv() == bytes(range(256)) * 100
        print("OK binary", flush=True)
        await ws.send(["frag1 ", "frag2 ", "frag3"])
        assert await ws.recv() == "py:frag1 frag2 frag3"
        print("OK fragmented", flush=True)
        waiter = await ws.ping(b"are you there")
        await asyncio.wait_for(waiter, 5)
        print("OK ping", flush=True)
        await ws.close(1000, "bye")
        assert ws.close_code == 1000, ws.close_code
        print("OK close %d" % ws.close_code, flush=True)


asyncio.run(main(sys.argv[1]))
