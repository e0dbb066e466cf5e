"""Tornado's RedirectHandler and @addslash/@removeslash, to compare Gale's small handlers with.

Started by SmallHandlersTest with Debian's /usr/bin/python3 (python3-tornado). Binds 127.0.0.1 on
a free port and prints "listening <port>" once ready. Exits when its stdin closes. The routes are
the same as the Gale application's in SmallHandlersTest.
"""
import asyncio
import sys
import threading

import tornado.httpserver
import tornado.netutil
import tornado.web
from tornado.web import RedirectHandler, addslash, removeslash


class AddSlashHandler(tornado.web.RequestHandler):
    @addslash
    def get(self):
        self.write("add " + self.request.path)

    @addslash
    def post(self):
        self.write("add post " + self.request.path)


class RemoveSlashHandler(tornado.web.RequestHandler):
    @removeslash
    def get(self, *args):
        self.write("remove " + self.request.path)

    @removeslash
    def post(self, *args):
        self.write("remove post " + self.request.path)


async def main():
    app = tornado.web.Application([
        (r"/old", RedirectHandler, {"url": "/new"}),
        (r"/temp", RedirectHandler, {"url": "/new", "permanent": False}),
        (r"/swap/(.*?)/(.*?)/(.*)", RedirectHandler, {"url": "/swapped/{1}/{0}/{2}"}),
        (r"/auto/([a-z]+)/([0-9]+)", RedirectHandler, {"url": "/x/{}/{}"}),
        (r"/named/(?P<page>[a-z]+)", RedirectHandler, {"url": "/pages/{page}"}),
        (r"/withquery", RedirectHandler, {"url": "/target?fixed=1&b=x y"}),
        (r"/frag", RedirectHandler, {"url": "/target#top"}),
        (r"/abs/(.*)", RedirectHandler, {"url": "http://example.com/{0}"}),
        (r"/braces", RedirectHandler, {"url": "/a{{b}}"}),
        (r"/add/?", AddSlashHandler),
        (r"/remove/*", RemoveSlashHandler),
        (r"/item/([0-9]+)/*", RemoveSlashHandler),
        (r"/", RemoveSlashHandler),
    ])
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    tornado.httpserver.HTTPServer(app).add_sockets(sockets)
    done = asyncio.Event()
    loop = asyncio.get_running_loop()
    threading.Thread(target=lambda: (sys.stdin.read(), loop.call_soon_threadsafe(done.set)), daemon=True).start()
    print("listening %d" % sockets[0].getsockname()[1], flush=True)
    await done.wait()


if __name__ == "__main__":
    asyncio.run(main())
