"""Echo WebSocket servers for Gale's interop tests: python's `websockets` or Tornado.

Usage: /usr/bin/python3 ws_echo_server.py websockets|tornado
Prints "PORT <n>" once listening on 127.0.0.1, serves until stdin closes.
Text commands: "close:<code>:<reason>" closes with that code, "fragments:<n>" sends a text
message in n fragments (websockets only), "ping:<data>" pings and answers "pong:<data>" when
the pong arrives, "extensions" answers the negotiated extensions; anything else is echoed.
"""
import asyncio
import sys


async def wait_stdin_closed():
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)


async def run_websockets():
    import websockets

    async def handler(ws, path=None):
        async for msg in ws:
            if isinstance(msg, str) and msg.startswith("close:"):
                _, code, reason = msg.split(":", 2)
                await ws.close(int(code), reason)
                return
            if isinstance(msg, str) and msg.startswith("fragments:"):
                n = int(msg.split(":")[1])
                await ws.send(["part%d;" % i for i in range(n)])
                continue
            if isinstance(msg, str) and msg.startswith("ping:"):
                data = msg[5:].encode()
                waiter = await ws.ping(data)
                await waiter
                await ws.send("pong:" + msg[5:])
                continue
            if msg == "extensions":
                await ws.send(",".join(e.name for e in ws.extensions))
                continue
            await ws.send(msg)

    async with websockets.serve(handler, "127.0.0.1", 0, max_size=16 * 1024 * 1024) as server:
        port = server.sockets[0].getsockname()[1]
        print("PORT %d" % port, flush=True)
        await wait_stdin_closed()


async def run_tornado():
    import tornado.web
    import tornado.websocket

    class Echo(tornado.websocket.WebSocketHandler):
        def get_compression_options(self):
            return {}

        def check_origin(self, origin):
            return True

        async def on_message(self, msg):
            if isinstance(msg, str) and msg.startswith("close:"):
                _, code, reason = msg.split(":", 2)
                self.close(int(code), reason)
                return
            if isinstance(msg, str) and msg.startswith("ping:"):
                self.pending_ping = msg[5:]
                self.ping(msg[5:].encode())
                return
            if msg == "extensions":
                ext = self.ws_connection._compressor is not None if self.ws_connection else False
                await self.write_message("permessage-deflate" if ext else "")
                return
            await self.write_message(msg, binary=isinstance(msg, bytes))

        def on_pong(self, data):
            if getattr(self, "pending_ping", None) is not None:
                self.write_message("pong:" + data.decode())
                self.pending_ping = None

    app = tornado.web.Application([(r"/.*", Echo)], websocket_max_message_size=16 * 1024 * 1024)
    server = app.listen(0, "127.0.0.1")
    port = next(iter(server._sockets.values())).getsockname()[1]
    print("PORT %d" % port, flush=True)
    await wait_stdin_closed()


if __name__ == "__main__":
    asyncio.run(run_websockets() if sys.argv[1] == "websockets" else run_tornado())
