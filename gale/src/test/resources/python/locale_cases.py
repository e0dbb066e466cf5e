"""Answers Gale's locale test cases with Tornado's own tornado.locale (Debian's python3-tornado).

Reads {"csv": DIR, "gettext": DIR, "domain": NAME, "cases": [...]} as JSON on stdin and writes
the list of answers, in order, as JSON on stdout. Each case names its operation and its
translation source ("csv", "gettext" or "none"); see TornadoLocaleInteropTest for the fields.
Tornado reads the clock through datetime.datetime.utcnow(), so the module's datetime is replaced
by one whose utcnow() answers the case's "now".
"""
import datetime
import json
import logging
import sys
import types

import tornado.locale as tl
import tornado.web
from tornado.httputil import HTTPHeaders

logging.getLogger("tornado.general").setLevel(logging.ERROR)  # pgettext on CSV warns on every call


class FixedClock(datetime.datetime):
    current = None

    @classmethod
    def utcnow(cls):
        return cls.current


tl.datetime = types.SimpleNamespace(datetime=FixedClock, timedelta=datetime.timedelta)


def load(source, request):
    tl._translations = {}
    tl._use_gettext = False
    tl.set_default_locale("en_US")
    if source == "csv":
        tl.load_translations(request["csv"])
    elif source == "gettext":
        tl.load_gettext_translations(request["gettext"], request["domain"])
    tl.Locale._cache = {}


class FakeRequest:
    def __init__(self, header):
        self.headers = HTTPHeaders()
        if header is not None:
            self.headers["Accept-Language"] = header


def answer(case):
    op = case["op"]
    if op == "browser":
        fake = types.SimpleNamespace(request=FakeRequest(case["header"]))
        return tornado.web.RequestHandler.get_browser_locale(fake, case["default"]).code
    if op == "get":
        return tl.get(*case["codes"]).code
    loc = tl.get(case["locale"])
    if loc.code != case["locale"]:
        return "NOT SUPPORTED: " + loc.code
    if op == "formatDate":
        FixedClock.current = FixedClock.utcfromtimestamp(case["now"])
        date = datetime.datetime.utcfromtimestamp(case["date"])
        return loc.format_date(date, gmt_offset=case["gmtOffset"], relative=case["relative"],
                               shorter=case["shorter"], full_format=case["fullFormat"])
    if op == "formatDay":
        return loc.format_day(datetime.datetime.utcfromtimestamp(case["date"]), gmt_offset=case["gmtOffset"],
                              dow=case["dow"])
    if op == "list":
        return loc.list(case["parts"])
    if op == "friendlyNumber":
        return loc.friendly_number(case["n"])
    if op == "translate":
        if case["plural"] is None:
            return loc.translate(case["message"])
        return loc.translate(case["message"], case["plural"], case["count"])
    if op == "pgettext":
        if case["plural"] is None:
            return loc.pgettext(case["context"], case["message"])
        return loc.pgettext(case["context"], case["message"], case["plural"], case["count"])
    if op == "info":
        return [loc.name, loc.rtl]
    raise ValueError("unknown op " + op)


def main():
    request = json.load(sys.stdin)
    answers = [None] * len(request["cases"])
    for source in ("none", "csv", "gettext"):
        load(source, request)
        for i, case in enumerate(request["cases"]):
            if case["source"] == source:
                answers[i] = answer(case)
    json.dump(answers, sys.stdout, ensure_ascii=False)


main()
