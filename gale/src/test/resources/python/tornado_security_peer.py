"""Tornado's side of the signed-value and XSRF interop tests (TornadoSecurityInteropTest).

Run with Debian's /usr/bin/python3 (python3-tornado 6.2). Two modes:

  calls   reads a JSON list of calls on stdin, answers a JSON list of results on stdout: Tornado's
          own create_signed_value / decode_signed_value / get_signature_key_version and the
          XSRF token decoder, with fixed clocks so that outputs can be compared byte for byte.
  serve   SECRET: a Tornado application with that cookie_secret and xsrf_cookies=True on
          127.0.0.1, a free port; prints "listening <port>" and exits when stdin closes.

Values travel as base64 so that binary values survive JSON.
"""
import asyncio
import base64
import binascii
import json
import logging
import sys
import threading

import tornado.httpserver
import tornado.netutil
import tornado.web
from tornado.web import create_signed_value, decode_signed_value, get_signature_key_version


def b64(data):
    return None if data is None else base64.b64encode(data).decode("ascii")


def secret_of(call):
    if "secrets" in call:
        return {int(k): v for k, v in call["secrets"].items()}
    return call["secret"]


def run_call(call):
    op = call["op"]
    try:
        if op == "create":
            signed = create_signed_value(
                secret_of(call), call["name"], base64.b64decode(call["value"]),
                version=call.get("version"), clock=lambda: call["clock"], key_version=call.get("key_version"))
            return {"signed": signed.decode("utf-8")}
        if op == "decode":
            value = decode_signed_value(
                secret_of(call), call["name"], call["signed"], max_age_days=call.get("max_age_days", 31),
                clock=lambda: call["clock"], min_version=call.get("min_version"))
            return {"value": b64(value)}
        if op == "key_version":
            return {"key_version": get_signature_key_version(call["signed"])}
        if op == "xsrf_decode":
            # an instance method that does not use its instance
            version, token, timestamp = tornado.web.RequestHandler._decode_xsrf_token(None, call["token"])
            return {"version": version, "token": None if token is None else binascii.b2a_hex(token).decode(),
                    "timestamp": timestamp}
        raise ValueError("unknown op " + op)
    except Exception as e:  # reported, not fatal: some hostile inputs make Tornado raise
        return {"error": "%s: %s" % (type(e).__name__, e)}


class SignedSet(tornado.web.RequestHandler):
    def get(self):
        self.set_secure_cookie(self.get_argument("name"), base64.b64decode(self.get_argument("value")))
        self.write("set")


class SignedGet(tornado.web.RequestHandler):
    def get(self):
        self.write({"value": b64(self.get_secure_cookie(self.get_argument("name")))})


class Xsrf(tornado.web.RequestHandler):
    def get(self):
        self.write(self.xsrf_token)

    def post(self):
        self.write("accepted")


async def serve(secret):
    app = tornado.web.Application(
        [("/signed/set", SignedSet), ("/signed/get", SignedGet), ("/xsrf", Xsrf)],
        cookie_secret=secret, xsrf_cookies=True)
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    server = tornado.httpserver.HTTPServer(app)
    server.add_sockets(sockets)
    done = asyncio.Event()
    loop = asyncio.get_running_loop()
    threading.Thread(target=lambda: (sys.stdin.read(), loop.call_soon_threadsafe(done.set)), daemon=True).start()
    print("listening %d" % sockets[0].getsockname()[1], flush=True)
    await done.wait()
    server.stop()


if __name__ == "__main__":
    if sys.argv[1] == "calls":
        # hostile inputs make Tornado log a warning each: expected here, not worth the noise
        logging.getLogger("tornado.general").setLevel(logging.ERROR)
        json.dump([run_call(c) for c in json.load(sys.stdin)], sys.stdout)
    else:
        asyncio.run(serve(sys.argv[2]))
