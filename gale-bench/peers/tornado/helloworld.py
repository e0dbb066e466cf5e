#!/usr/bin/python3
"""Tornado's hello world as its demo (demos/helloworld/helloworld.py) has a user start it: the
port from tornado.options, one Application with one handler, the default IOLoop. Debian's
python3-tornado on Debian's /usr/bin/python3. The start-up scenario measures it next to Gale's
helloworld demo started through ./gale-demo.

Usage: helloworld.py --port=N
"""
import asyncio

import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, help="run on the given port", type=int)


class MainHandler(tornado.web.RequestHandler):
    def get(self):
        self.write("Hello, world")


async def main():
    parse_command_line()
    app = tornado.web.Application([(r"/", MainHandler)])
    app.listen(options.port)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
