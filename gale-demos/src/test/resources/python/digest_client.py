"""An independent Digest client (RFC 7616, Python's hashlib) for the httpbin demo's /digest-auth.

Usage: /usr/bin/python3 digest_client.py URL USER PASSWORD QOP [BODY]
QOP is auth, auth-int or none. Sends the request without credentials, answers the challenge
(with the challenge's algorithm: MD5, SHA-256 or SHA-512) and prints "<status> <body>".
With BODY the requests are POSTs carrying it (for auth-int, whose hash covers the body).
"""
import hashlib
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

url, user, password, qop = sys.argv[1:5]
body = sys.argv[5].encode() if len(sys.argv) > 5 else None
method = "POST" if body is not None else "GET"
HASHES = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256, "SHA-512": hashlib.sha512}


def send(headers):
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


status, headers, _ = send({})
assert status == 401, status
challenge = headers["WWW-Authenticate"]
params = {k: a or b for k, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^,\s]*))', challenge)}
algorithm = params.get("algorithm", "MD5")
H = lambda data: HASHES[algorithm](data.encode() if isinstance(data, str) else data).hexdigest()
path = urllib.parse.urlsplit(url)
uri = path.path + ("?" + path.query if path.query else "")
ha1 = H("%s:%s:%s" % (user, params["realm"], password))
if qop == "auth-int":
    ha2 = H("%s:%s:%s" % (method, uri, H(body or b"")))
else:
    ha2 = H("%s:%s" % (method, uri))
cnonce, nc = "f2a3b4c5d6e7", "00000001"
if qop == "none":
    response = H("%s:%s:%s" % (ha1, params["nonce"], ha2))
    extra = ""
else:
    response = H(":".join([ha1, params["nonce"], nc, cnonce, qop, ha2]))
    extra = ', qop=%s, nc=%s, cnonce="%s"' % (qop, nc, cnonce)
auth = ('Digest username="%s", realm="%s", nonce="%s", uri="%s", algorithm=%s, response="%s", opaque="%s"%s'
        % (user, params["realm"], params["nonce"], uri, algorithm, response, params["opaque"], extra))
status, _, text = send({"Authorization": auth})
print(status, text.strip())
