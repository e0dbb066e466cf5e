"""A small Tornado app the Gale HTTP client is tested against (an independent server).

Started by TornadoServerTest with Debian's /usr/bin/python3 (python3-tornado). Binds 127.0.0.1 on
a free port and prints "listening <port>" once ready. Exits when its stdin closes.
"""
import asyncio
import sys
import threading

import tornado.httpserver
import tornado.netutil
import tornado.web

connections = 0


class CountingServer(tornado.httpserver.HTTPServer):
    def handle_stream(self, stream, address):
        global connections
        connections += 1
        return super().handle_stream(stream, address)


class Hello(tornado.web.RequestHandler):
    def get(self):
        self.write("hello from tornado")


class Connections(tornado.web.RequestHandler):
    def get(self):
        self.write(str(connections))


class Redirect(tornado.web.RequestHandler):
    def _go(self):
        self.redirect(self.get_argument("to"), status=int(self.get_argument("code")))

    get = post = put = _go


class Echo(tornado.web.RequestHandler):
    def _echo(self):
        self.set_header("X-Method", self.request.method)
        self.write(self.request.body)

    get = post = put = _echo


class Big(tornado.web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "text/plain")
        self.write("tornado " * 20000)


class Chunked(tornado.web.RequestHandler):
    async def get(self):
        for i in range(50):
            self.write("line %d\n" % i)
            await self.flush()


class Json(tornado.web.RequestHandler):
    def get(self):
        self.write({"server": "tornado", "version": tornado.version})


async def main():
    app = tornado.web.Application([
        (r"/hello", Hello), (r"/connections", Connections), (r"/redirect", Redirect), (r"/echo", Echo),
        (r"/big", Big), (r"/chunked", Chunked), (r"/json", Json),
    ], compress_response=True)
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    CountingServer(app).add_sockets(sockets)
    done = asyncio.Event()
    loop = asyncio.get_running_loop()
    # the test ends us by closing stdin (or killing the process)
    threading.Thread(target=lambda: (sys.stdin.read(), loop.call_soon_threadsafe(done.set)), daemon=True).start()
    print("listening %d" % sockets[0].getsockname()[1], flush=True)
    await done.wait()


if __name__ == "__main__":
    asyncio.run(main())
