#!/usr/bin/python3
"""Tornado's long-polling chat demo (demos/chat/chatdemo.py) as its users run it, for the long-poll
measurement beside Gale's `chat` demo (gale-bench/longpoll/run). Written for Debian's
python3-tornado 6.2 on Debian's /usr/bin/python3 (the demo in Tornado's repository imports
submodules lazily, which needs Tornado 6.3), with the demo's structure unchanged: a MessageBuffer
of 200 messages whose Condition wakes every waiting poll, the three handlers, XSRF cookies,
templates and static files beside the script, one process on the default asyncio IOLoop.

Usage: chatdemo.py --port=N
"""
import asyncio
import os.path
import uuid

import tornado.escape
import tornado.locks
import tornado.web
from tornado.options import define, options, parse_command_line

define("port", default=8888, help="run on the given port", type=int)
define("debug", default=False, help="run in debug mode")


class MessageBuffer:
    """The last messages, and a condition every waiting poll waits on."""

    def __init__(self):
        self.cond = tornado.locks.Condition()
        self.cache = []
        self.cache_size = 200

    def get_messages_since(self, cursor):
        """The messages after the one whose id is `cursor` (all of them if it is unknown)."""
        newer = []
        for message in reversed(self.cache):
            if message["id"] == cursor:
                break
            newer.append(message)
        newer.reverse()
        return newer

    def add_message(self, message):
        self.cache.append(message)
        del self.cache[: -self.cache_size]
        self.cond.notify_all()


global_message_buffer = MessageBuffer()


class MainHandler(tornado.web.RequestHandler):
    def get(self):
        self.render("index.html", messages=global_message_buffer.cache)


class MessageNewHandler(tornado.web.RequestHandler):
    """Posts a new message to the room."""

    def post(self):
        message = {"id": str(uuid.uuid4()), "body": self.get_argument("body")}
        message["html"] = tornado.escape.to_unicode(self.render_string("message.html", message=message))
        next_url = self.get_argument("next", None)
        if next_url:
            if next_url.startswith("//") or not next_url.startswith("/"):
                raise tornado.web.HTTPError(400)  # not a local path: no open redirect
            self.redirect(next_url)
        else:
            self.write(message)
        global_message_buffer.add_message(message)


class MessageUpdatesHandler(tornado.web.RequestHandler):
    """The long poll: answers with the messages after `cursor` once there are some."""

    async def post(self):
        cursor = self.get_argument("cursor", None)
        messages = global_message_buffer.get_messages_since(cursor)
        while not messages:
            # Kept so that on_connection_close can cancel the wait.
            self.wait_future = global_message_buffer.cond.wait()
            try:
                await self.wait_future
            except asyncio.CancelledError:
                return
            messages = global_message_buffer.get_messages_since(cursor)
        if self.request.connection.stream.closed():
            return
        self.write(dict(messages=messages))

    def on_connection_close(self):
        self.wait_future.cancel()


async def main():
    parse_command_line()
    here = os.path.dirname(os.path.abspath(__file__))
    app = tornado.web.Application(
        [
            (r"/", MainHandler),
            (r"/a/message/new", MessageNewHandler),
            (r"/a/message/updates", MessageUpdatesHandler),
        ],
        template_path=os.path.join(here, "templates"),
        static_path=os.path.join(here, "static"),
        xsrf_cookies=True,
        debug=options.debug,
    )
    app.listen(options.port, address="127.0.0.1", backlog=4096)
    print("tornado %s listening on 127.0.0.1:%d" % (tornado.version, options.port), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
