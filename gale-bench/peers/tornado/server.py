#!/usr/bin/python3
"""Tornado peer: Debian's python3-tornado on Debian's /usr/bin/python3, one process.

Usage: server.py --port N
Serves TechEmpower /plaintext and /json on 127.0.0.1 with Tornado's defaults (Server, Date and
Etag headers, compute_etag on), i.e. what a Tornado user gets out of the box, on the standard
asyncio-backed IOLoop.
"""
import argparse
import asyncio

import tornado
import tornado.httpserver
import tornado.netutil
import tornado.web


class Plaintext(tornado.web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "text/plain")
        self.write(b"Hello, World!")


class Json(tornado.web.RequestHandler):
    def get(self):
        # write(dict): json.dumps per request, Content-Type application/json; charset=UTF-8
        self.write({"message": "Hello, World!"})


async def serve(port):
    # backlog raised from Tornado's default 128 to the Java peers' 4096 (net.core.somaxconn here)
    sockets = tornado.netutil.bind_sockets(port, address="127.0.0.1", backlog=4096)
    server = tornado.httpserver.HTTPServer(tornado.web.Application([(r"/plaintext", Plaintext), (r"/json", Json)]))
    server.add_sockets(sockets)
    print("tornado %s listening on 127.0.0.1:%d" % (tornado.version, port), flush=True)
    await asyncio.Event().wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    asyncio.run(serve(ap.parse_args().port))


if __name__ == "__main__":
    main()
