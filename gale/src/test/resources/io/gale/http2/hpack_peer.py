"""HPACK interop peer for HpackInteropTest: Debian's python3-hpack decodes the blocks Gale encoded
and encodes header lists for Gale to decode.

Reads one JSON document on stdin and writes one on stdout. Strings are ISO-8859-1 (one char per
octet); block bytes are hex. Each connection keeps one encoder or decoder, so the dynamic table
carries over from block to block; "sizes" gives SETTINGS_HEADER_TABLE_SIZE before each block.
Exit status 3: hpack cannot be imported.
"""
import json
import sys

try:
    import hpack
except ImportError as e:
    sys.stderr.write("python3-hpack is not importable by %s: %s\n" % (sys.executable, e))
    sys.exit(3)


def decode(conn):
    d = hpack.Decoder(max_header_list_size=1 << 30)
    out = []
    for size, block in zip(conn["sizes"], conn["blocks"]):
        d.max_allowed_table_size = size
        fields = d.decode(bytes.fromhex(block), raw=True)
        out.append([[f[0].decode("latin-1"), f[1].decode("latin-1"), not f.indexable] for f in fields])
    return out


def encode(conn):
    e = hpack.Encoder()
    current = 4096
    out = []
    for size, huffman, fields in zip(conn["sizes"], conn["huffman"], conn["lists"]):
        if size != current:
            e.header_table_size = size
            current = size
        tuples = [(n.encode("latin-1"), v.encode("latin-1"), s) for n, v, s in fields]
        out.append(e.encode(tuples, huffman=huffman).hex())
    return out


def main():
    request = json.load(sys.stdin)
    json.dump({
        "decoded": [decode(c) for c in request["decode"]],
        "encoded": [encode(c) for c in request["encode"]],
    }, sys.stdout)


if __name__ == "__main__":
    main()
