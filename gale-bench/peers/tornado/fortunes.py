#!/usr/bin/python3
"""TechEmpower's Fortunes test on Tornado: Debian's python3-tornado with asyncpg (Debian's
python3-asyncpg, an asynchronous PostgreSQL driver), one process, Tornado's own templates
(autoescaped). As the other servers: no ETag (compute_etag returns None).

Usage: fortunes.py --port N --db postgresql://USER:PASS@HOST:PORT/DB [--pool 16]
"""
import argparse
import asyncio
import os

import asyncpg
import tornado
import tornado.httpserver
import tornado.netutil
import tornado.web

QUERY = "SELECT id, message FROM fortune"
EXTRA = (0, "Additional fortune added at request time.")


class Fortunes(tornado.web.RequestHandler):
    def initialize(self, pool):
        self.pool = pool

    async def get(self):
        rows = await self.pool.fetch(QUERY)
        fortunes = [(r[0], r[1]) for r in rows]
        fortunes.append(EXTRA)
        fortunes.sort(key=lambda f: f[1])
        self.render("fortunes.html", fortunes=fortunes)

    def compute_etag(self):
        return None


async def serve(port, db, pool_size):
    pool = await asyncpg.create_pool(db, min_size=pool_size, max_size=pool_size)
    sockets = tornado.netutil.bind_sockets(port, address="127.0.0.1", backlog=4096)
    app = tornado.web.Application([(r"/fortunes", Fortunes, dict(pool=pool))],
                                  template_path=os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates"))
    server = tornado.httpserver.HTTPServer(app)
    server.add_sockets(sockets)
    print("tornado %s fortunes listening on 127.0.0.1:%d (asyncpg %s, pool %d)" % (
        tornado.version, port, asyncpg.__version__, pool_size), flush=True)
    await asyncio.Event().wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--pool", type=int, default=16)
    a = ap.parse_args()
    asyncio.run(serve(a.port, a.db, a.pool))


if __name__ == "__main__":
    main()
