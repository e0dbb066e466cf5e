"""Runs cases through Tornado's tornado.escape for EscapeTornadoTest.

Reads a JSON list of cases from stdin, writes a JSON list of results to stdout. A case is
{"fn": name, "in": text, ...options}; a result is {"out": text} or {"error": exception type}.
For "json" cases the comparison happens here: {"out": "same"} when Gale's encoding of its own
decoding ("gale") decodes to what json_decode(in) gives, or both refused the text.
"""
import json
import math
import sys

from tornado import escape


def run(case):
    fn = case["fn"]
    text = case["in"]
    if fn == "xhtml_escape":
        return escape.xhtml_escape(text)
    if fn == "xhtml_unescape":
        return escape.xhtml_unescape(text)
    if fn == "url_escape":
        return escape.url_escape(text, plus=case["plus"])
    if fn == "url_unescape":
        return escape.url_unescape(text, plus=case["plus"])
    if fn == "url_unescape_bytes":
        return escape.url_unescape(text, encoding=None, plus=case["plus"]).hex()
    if fn == "squeeze":
        return escape.squeeze(text)
    if fn == "linkify":
        extra = case.get("extra", "")
        if case.get("extraFromHref"):
            extra = lambda href: ' data-h="%d" ' % len(href)  # noqa: E731
        return escape.linkify(text, shorten=case.get("shorten", False), extra_params=extra,
                              require_protocol=case.get("requireProtocol", False),
                              permitted_protocols=case.get("protocols", ["http", "https"]))
    if fn == "json":
        gale = case["gale"]
        try:
            expected = escape.json_decode(text)
        except ValueError:
            return "same" if gale is None else "gale accepted what Python refuses"
        if gale is None:
            return "gale refused what Python accepts"
        got = json.loads(gale)
        return "same" if same(expected, got) else "different: %r vs %r" % (expected, got)
    if fn == "json_encode":
        # Gale's encoding of a string must decode to it, and must not contain "</".
        gale = case["gale"]
        if "</" in gale:
            return "unsafe"
        return "same" if json.loads(gale) == text else "different"
    raise ValueError("unknown fn " + fn)


NON_FINITE = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def same(a, b):
    if isinstance(a, float) and not math.isfinite(a):
        # Gale writes non-finite numbers as strings (valid JSON); Python writes bare NaN.
        return b == NON_FINITE[repr(a)] or (isinstance(b, float) and repr(a) == repr(b))
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


results = []
for c in json.load(sys.stdin):
    try:
        results.append({"out": run(c)})
    except Exception as e:  # noqa: BLE001 - the type is the answer
        results.append({"error": type(e).__name__})
json.dump(results, sys.stdout)
