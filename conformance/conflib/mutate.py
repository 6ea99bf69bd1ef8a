"""Systematic mutations of valid OCSP messages, each with the error a strict
DER decoder must report, derived from the mutation and the schema labels of
schema.py (never written down per case).

The decoder model is X.690's DER read in document order, the way a
one-pass validator meets the bytes: an element's identifier and length are
read when its container reaches it, bounded by what the container has left;
a value inside an explicit tag, an encapsulating OCTET STRING or the whole
input must fill it exactly, and that is known as soon as its header has
been read; a primitive's content is checked before the next element is
read; the content of an OCTET STRING that holds DER (responseBytes, the
value of an extension the decoder knows) is read after its container
checked out.  Where the model cannot tell which error comes first (for
example a primitive that swallowed its neighbour's first octet and still
reads as a valid value, so that what follows is misaligned) no mutation is
generated for that site, and the site is counted as undetermined.

Each mutation: cls (class), sub (variant), site (schema name of the node),
data (the mutated message), expect (error code name, offset) or None for
"must decode".
"""

import re

from . import der as D
from . import schema as S

E = "OCSPKIT_E_"

CLASSES = [
    ("length-shorter", "a length one less than the content (same length octets)"),
    ("length-longer", "a length one more than the content (same length octets)"),
    ("length-nonminimal", "a length in long form where a shorter form fits"),
    ("length-indefinite", "indefinite length (BER) for a constructed value"),
    ("trailing", "a NULL element after the last element of a constructed value, or after the message"),
    ("tag-wrong", "identifier replaced by one no field here can have ([30])"),
    ("tag-form", "constructed bit flipped"),
    ("tag-high-form", "a low tag number written in high-tag-number form"),
    ("integer-padded", "INTEGER or ENUMERATED with a redundant leading octet"),
    ("explicit-default", "a DEFAULT value written out (version v1, critical FALSE)"),
    ("time-bad", "GeneralizedTime / UTCTime not in DER's form (YYYYMMDDHHMMSS[.f]Z, YYMMDDHHMMSSZ), no date, "
                 "or a fraction of more digits than the codec keeps"),
    ("enum-range", "responseStatus, CRLReason, version or certStatus outside their definitions"),
    ("truncated", "the message cut after each octet"),
]
CLASS_NAMES = [c for c, _ in CLASSES]


class Mutation:
    __slots__ = ("cls", "sub", "site", "offset", "data", "expect", "base", "id", "kind", "path", "got", "row")

    def __init__(self, cls, sub, site, offset, data, expect):
        self.cls, self.sub, self.site, self.offset = cls, sub, site, offset
        self.data, self.expect = (None if data is None else bytes(data)), expect
        self.base = self.id = None


# ------------------------------------------------------------------ values

def _int_error(v):
    if len(v) == 0:
        return E + "DER_EMPTY_INTEGER"
    if len(v) > 1 and ((v[0] == 0 and not v[1] & 0x80) or (v[0] == 0xFF and v[1] & 0x80)):
        return E + "DER_NONMINIMAL_INTEGER"
    return None


MAX_TIME_FRACTION_DIGITS = 9  # OCSPKIT_MAX_TIME_FRACTION_DIGITS


def _time_error(v, year_digits):
    """X.690 11.7 and 11.8: UTC, seconds present; a GeneralizedTime may
    have a fraction after '.', at least one digit and no trailing 0."""
    s = v.decode("latin-1")
    frac = r"(?:\.([0-9]*))?" if year_digits == 4 else ""
    m = re.fullmatch(r"([0-9]{%d})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})%sZ" % (year_digits, frac), s)
    if not m:
        return E + "DER_BAD_TIME"
    f = m.group(7) if year_digits == 4 else None
    if f is not None and (f == "" or f.endswith("0")):
        return E + "DER_BAD_TIME"
    y, mo, d, h, mi, se = (int(x) for x in m.groups()[:6])
    if year_digits == 2:
        y += 1900 if y >= 50 else 2000
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    dim = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    if not (1 <= mo <= 12) or not (1 <= d <= dim[mo - 1]) or h > 23 or mi > 59 or se > 59:
        return E + "DER_BAD_TIME"
    if f and len(f) > MAX_TIME_FRACTION_DIGITS:
        return E + "LIMIT_TIME_FRACTION"
    return None


def value_error(info, v):
    """The error a primitive with these content octets gives, or None."""
    p = info.prim
    if p in ("INTEGER", "ENUMERATED"):
        e = _int_error(v)
        if not e and info.typed and info.type is not None and info.type.non_negative_err and v[0] & 0x80:
            return info.type.non_negative_err  # a CRL entry's serial number
        if e or not info.typed or p == "INTEGER" or info.type is None or info.type.enum is None:
            return e
        n = int.from_bytes(v, "big", signed=True)
        return None if n in info.type.enum else info.type.enum_err
    if p == "BOOLEAN":
        return None if len(v) == 1 and v[0] in (0, 0xFF) else E + "DER_BAD_BOOLEAN"
    if p == "NULL":
        return None if not v else E + "DER_BAD_NULL"
    if p == "BIT STRING":
        if not v or v[0] > 7 or (len(v) == 1 and v[0]) or (v[0] and v[-1] & ((1 << v[0]) - 1)):
            return E + "DER_BAD_BIT_STRING"
        # X.690 11.2.2: a named bit list (ReasonFlags) ends with a 1 bit
        if info.typed and info.type is not None and info.type.named_bits and len(v) > 1 and \
                not (v[-1] >> v[0]) & 1:
            return E + "DER_BAD_BIT_STRING"
        return None
    if p == "OID":
        if not v or v[-1] & 0x80:
            return E + "DER_BAD_OID"
        start = True
        for b in v:
            if start and b == 0x80:
                return E + "DER_BAD_OID"
            start = not b & 0x80
        return None
    if p == "GeneralizedTime":
        return _time_error(v, 4)
    if p == "UTCTime":
        return _time_error(v, 2)
    if p == "IA5String":
        return E + "DER_BAD_STRING" if any(b & 0x80 for b in v) else None
    if not info.typed and p == "BMPString" and len(v) % 2:
        return E + "DER_BAD_STRING"
    if not info.typed and p == "UniversalString" and len(v) % 4:
        return E + "DER_BAD_STRING"
    return None


def stray_error(node, off):
    """One octet too many after node, the last element its container
    reads: what the container says about it at off."""
    info = node.schema
    if info.reader == "only":
        return (E + "DER_TRAILING_DATA", off)
    if info.container == "seq":
        return (E + "DER_TRUNCATED" if info.after else E + "DER_TRAILING_DATA", off)
    return (E + "DER_TRUNCATED", off)  # SEQUENCE OF, SET OF, inside ANY


def inner_stray_error(node, off):
    """One octet too many at the end of node's own content."""
    info = node.schema
    if info.kind == "explicit":
        return (E + "DER_TRAILING_DATA", off)
    if info.kind == "seq":
        return (E + "DER_TRUNCATED" if info.rest else E + "DER_TRAILING_DATA", off)
    return (E + "DER_TRUNCATED", off)  # seqof, any


def is_last(node):
    return node.parent is None or node.index == len(node.parent.kids) - 1


def _all_nodes(root):
    """Every node, the DER inside encapsulating OCTET STRINGs included."""
    return list(root.walk())


def _rebuilt(root, path, fn):
    """A copy of root with fn applied to the node at path (fn may edit it
    in place), laid out again: (bytes, the edited node in the copy)."""
    r = root.copy()
    n = D.at(r, path)
    fn(n)
    D.layout(r)
    return r.encode(), n


def _length_patch(node, data, delta):
    """data with node's length field changed by delta, keeping the number
    of length octets; None if it does not fit."""
    lo = node.offset + len(node.ident)
    hi = node.offset + node.hlen
    field = data[lo:hi]
    n = len(node.content())
    new = n + delta
    if new < 0:
        return None, None
    if len(field) == 1:
        if new > 0x7F:
            return None, None
        enc, nonmin = bytes([new]), False
    else:
        k = len(field) - 1
        if new >= 1 << (8 * k):
            return None, None
        enc = bytes([0x80 | k]) + new.to_bytes(k, "big")
        nonmin = new < 0x80 or enc[1] == 0
    return data[:lo] + enc + data[hi:], nonmin


# ------------------------------------------------------------------ classes

def m_length(root, data, delta):
    cls = "length-longer" if delta > 0 else "length-shorter"
    for n in _all_nodes(root):
        info = n.schema
        new, nonmin = _length_patch(n, data, delta)
        if new is None:
            continue
        cs = n.offset + n.hlen
        old_end = cs + len(n.content())
        if nonmin:
            yield Mutation(cls, "nonminimal", info.name, n.offset, new, (E + "DER_NONMINIMAL_LENGTH", n.offset))
            continue
        expect = None
        primitive = n.kids is None or n.encap
        if delta > 0:
            if is_last(n):
                expect = (E + "DER_TRUNCATED", n.offset)
            elif not primitive:
                expect = inner_stray_error(n, old_end)
            else:
                v = n.value if n.kids is None else n.content()
                e = value_error(info, v + data[old_end:old_end + 1])
                expect = (e, n.offset) if e else None
        else:
            if len(n.content()) == 0:
                continue
            if info.reader == "only":
                expect = (E + "DER_TRAILING_DATA", old_end - 1)
            elif not primitive and n.kids:
                last = n.kids[-1]
                expect = (E + "DER_TRUNCATED", last.offset)
            elif primitive:
                v = n.value if n.kids is None else n.content()
                e = value_error(info, v[:-1])
                if e:
                    expect = (e, n.offset)
                elif is_last(n):
                    expect = stray_error(n, old_end - 1)
        if expect:
            yield Mutation(cls, "last" if is_last(n) else "inner", info.name, n.offset, new, expect)
        else:
            yield Mutation(cls, "undetermined", info.name, n.offset, None, None)


class _Raw(D.Node):
    """A node written with a given header (length octets included) and
    trailer: how the header-level mutations are laid out with every
    enclosing length still right."""

    __slots__ = ("raw_len", "trailer")

    def encode(self):
        return self.ident + self.raw_len + self.content() + self.trailer


def _with_header(root, path, raw_len, trailer=b"", ident=None):
    """root re-encoded with the node at path written with identifier ident
    (default: unchanged), length octets raw_len and trailer after its
    content; (bytes, offset of that node)."""
    r = root.copy()
    n = D.at(r, path)
    raw = _Raw(ident if ident is not None else n.ident, n.value, n.kids, n.encap)
    raw.raw_len, raw.trailer = raw_len, trailer
    if not path:
        return raw.encode(), 0
    parent = D.at(r, path[:-1])
    parent.kids[path[-1]] = raw
    data = _encode_raw(r)
    # offset: the sum of everything written before it
    off = _offset_of(r, raw)
    return data, off


def _encode_raw(node):
    if isinstance(node, _Raw):
        return node.ident + node.raw_len + b"".join(_encode_raw(k) for k in node.kids or ()) + \
            (node.value if node.kids is None else b"") + node.trailer
    if node.kids is None:
        return node.encode()
    c = b"".join(_encode_raw(k) for k in node.kids)
    return node.ident + D.encode_length(len(c)) + c


def _offset_of(root, target):
    off = [None]

    def visit(node, pos):
        if node is target:
            off[0] = pos
            return
        if node.kids is None:
            return
        if isinstance(node, _Raw):
            pos += len(node.ident) + len(node.raw_len)
        else:
            c = b"".join(_encode_raw(k) for k in node.kids)
            pos += len(node.ident) + len(D.encode_length(len(c)))
        for k in node.kids:
            visit(k, pos)
            if off[0] is not None:
                return
            pos += len(_encode_raw(k))
    visit(root, 0)
    return off[0]


def m_nonminimal_len(root, data):
    for n in _all_nodes(root):
        c = len(n.content())
        lf = D.encode_length(c)
        raw = (b"\x81" + lf) if c < 0x80 else bytes([lf[0] + 1, 0]) + lf[1:]
        out, off = _with_header(root, n.path(), raw)
        yield Mutation("length-nonminimal", "short-as-long" if c < 0x80 else "leading-zero", n.schema.name, off,
                       out, (E + "DER_NONMINIMAL_LENGTH", off))


def m_indefinite(root, data):
    for n in _all_nodes(root):
        if not n.constructed:
            continue
        out, off = _with_header(root, n.path(), b"\x80", b"\x00\x00")
        yield Mutation("length-indefinite", "constructed", n.schema.name, off, out,
                       (E + "DER_INDEFINITE_LENGTH", off))


NULL_TLV = b"\x05\x00"


def m_trailing(root, data):
    yield Mutation("trailing", "after-message", root.schema.name, len(data), data + NULL_TLV,
                   (E + "DER_TRAILING_DATA", len(data)))
    for n in _all_nodes(root):
        info = n.schema
        if not info.typed or (n.kids is None):
            continue
        if info.kind == "seq":
            if any(f.matches(NULL_TLV) for f in info.rest):
                continue  # it would be read as that field
            code = E + "DER_TRAILING_DATA"
        elif info.kind == "seqof":
            if info.elem.matches(NULL_TLV):
                continue
            code = E + "DER_UNEXPECTED_TAG"
        elif info.kind in ("explicit", "encap"):
            code = E + "DER_TRAILING_DATA"
        else:
            continue
        if n.encap:
            sub = "in-octet-string"
        else:
            sub = info.kind

        def add(x):
            x.kids = list(x.kids) + [D.Node(b"\x05")]
        out, m = _rebuilt(root, n.path(), add)
        yield Mutation("trailing", sub, info.name, m.kids[-1].offset, out, (code, m.kids[-1].offset))


WRONG = 30  # a context tag number no OCSP field uses


def m_tag_wrong(root, data):
    for n in _all_nodes(root):
        info = n.schema
        if not info.typed:
            continue
        ident = bytes([0x80 | (n.ident[0] & 0x20) | WRONG])
        if info.reader == "only":
            code = E + "DER_UNEXPECTED_TAG"
        elif info.reader == "element":
            code = E + "DER_UNEXPECTED_TAG"
        elif info.reader == "field":
            code = None
            for f in [info.outer_field or info.field] + info.after:
                if f.matches(ident):
                    code = "match"
                    break
                if not f.skippable:
                    code = E + "DER_UNEXPECTED_TAG"
                    break
            if code == "match":
                continue
            code = code or E + "DER_TRAILING_DATA"
        else:
            continue
        out = data[:n.offset] + ident + data[n.offset + len(n.ident):]
        yield Mutation("tag-wrong", info.kind, info.name, n.offset, out, (code, n.offset))


CONSTRUCTED_UNIVERSAL = {16, 17}


def m_tag_form(root, data):
    for n in _all_nodes(root):
        info = n.schema
        if not info.typed and n.tag_class != 0:
            continue  # inside ANY only the universal types have a known form
        if len(n.ident) != 1:
            continue
        ident = bytes([n.ident[0] ^ 0x20])
        out = data[:n.offset] + ident + data[n.offset + 1:]
        yield Mutation("tag-form", "to-primitive" if n.constructed else "to-constructed", info.name, n.offset,
                       out, (E + "DER_WRONG_FORM", n.offset))


def m_tag_high(root, data):
    for n in _all_nodes(root):
        if len(n.ident) != 1:
            continue
        ident = bytes([n.ident[0] | 0x1F, n.ident[0] & 0x1F])
        out, off = _with_header(root, n.path(), D.encode_length(len(n.content())), ident=ident)
        yield Mutation("tag-high-form", "typed" if n.schema.typed else "in-any", n.schema.name, off, out,
                       (E + "DER_NONMINIMAL_TAG", off))


def m_integer_padded(root, data):
    for n in _all_nodes(root):
        info = n.schema
        if info.prim not in ("INTEGER", "ENUMERATED") or n.kids is not None:
            continue
        pad = b"\xff" if n.value and n.value[0] & 0x80 else b"\x00"

        def padit(x):
            x.value = pad + x.value
        out, m = _rebuilt(root, n.path(), padit)
        yield Mutation("integer-padded", info.prim.lower(), info.name, m.offset, out,
                       (E + "DER_NONMINIMAL_INTEGER", m.offset))


def m_explicit_default(root, data):
    for n in _all_nodes(root):
        info = n.schema
        if not info.typed or info.kind != "seq":
            continue
        t = info.type
        if t in (S.ResponseData, S.TBSRequest) and not (n.kids and n.kids[0].ident == b"\xa0"):
            def addv(x):
                x.kids = [D.Node(b"\xa0", kids=[D.Node(b"\x02", b"\x00")])] + list(x.kids)
            out, m = _rebuilt(root, n.path(), addv)
            at = m.kids[0].kids[0].offset
            yield Mutation("explicit-default", "version-v1", info.name, at, out, (E + "DER_EXPLICIT_DEFAULT", at))
        if t is S.Extension and len(n.kids) == 2:
            def addc(x):
                x.kids = [x.kids[0], D.Node(b"\x01", b"\x00"), x.kids[1]]
            out, m = _rebuilt(root, n.path(), addc)
            at = m.kids[1].offset
            yield Mutation("explicit-default", "critical-false", info.name, at, out,
                           (E + "DER_EXPLICIT_DEFAULT", at))


# A fraction of a second is DER ("20240101000000.5Z" decodes); these are not:
# BER's comma, a trailing zero, a '.' without digits, more digits than the
# codec keeps (a limit, LIMIT_TIME_FRACTION, not malformed DER).
BAD_GENERALIZED = {
    "month-13": b"20241301000000Z", "february-30": b"20240230000000Z", "hour-24": b"20240101240000Z",
    "second-60": b"20240101235960Z", "fraction-comma": b"20240101000000,5Z",
    "fraction-trailing-zero": b"20240101000000.50Z", "fraction-no-digit": b"20240101000000.Z",
    "fraction-too-long": b"20240101000000.1234567891Z", "no-zone": b"20240101000000",
    "offset": b"20240101000000+0100", "two-digit-year": b"240101000000Z",
}
BAD_UTC = {"month-13": b"241301000000Z", "day-00": b"240100000000Z", "no-seconds": b"2401010000Z",
           "four-digit-year": b"20240101000000Z"}


def m_time(root, data):
    for n in _all_nodes(root):
        info = n.schema
        if info.prim not in ("GeneralizedTime", "UTCTime") or n.kids is not None:
            continue
        table = BAD_GENERALIZED if info.prim == "GeneralizedTime" else BAD_UTC
        for sub, v in table.items():
            def settime(x, v=v):
                x.value = v
            out, m = _rebuilt(root, n.path(), settime)
            yield Mutation("time-bad", sub, info.name, m.offset, out, (_time_error(v, 4 if table is BAD_GENERALIZED
                                                                                  else 2), m.offset))


def _enum_bytes(v):
    return v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True)


def m_enum(root, data):
    for n in _all_nodes(root):
        info = n.schema
        if not info.typed:
            continue
        if info.prim == "ENUMERATED" and info.type is not None and info.type.enum:
            for v in (4, 7, 11, 127, 128, -1):
                if v in info.type.enum:
                    continue

                def setv(x, v=v):
                    x.value = _enum_bytes(v)
                out, m = _rebuilt(root, n.path(), setv)
                yield Mutation("enum-range", "%s=%d" % (info.type.name, v), info.name, m.offset, out,
                               (info.type.enum_err, m.offset))
        if info.kind == "seq" and info.type is S.ResponseData and n.kids[0].ident != b"\xa0":
            for v in (1, 2):
                def addv(x, v=v):
                    x.kids = [D.Node(b"\xa0", kids=[D.Node(b"\x02", bytes([v]))])] + list(x.kids)
                out, m = _rebuilt(root, n.path(), addv)
                at = m.kids[0].kids[0].offset
                yield Mutation("enum-range", "version=v%d" % (v + 1), info.name, at, out,
                               (E + "UNSUPPORTED_VERSION", at))
        if info.kind == "seq" and info.type is S.TBSCertList:
            yield from _crl_versions(root, n, info)
        if info.field is not None and info.field.name in ("good", "revoked", "unknown") and \
                info.reader == "field":
            for t in (3, 4):
                ident = bytes([(n.ident[0] & 0xE0) | t])
                out = data[:n.offset] + ident + data[n.offset + 1:]
                yield Mutation("enum-range", "certStatus=[%d]" % t, info.name, n.offset, out,
                               (E + "DER_UNEXPECTED_TAG", n.offset))


def _crl_versions(root, n, info):
    """A CRL's version (5.1.2.1): absent for v1, v2 if present.  Written as
    v1, v3 or -1; and taken away from a v2 CRL that has extensions, whose
    first extension list is then where it goes wrong."""
    has_version = n.kids[0].ident == b"\x02"
    for v in ((b"\x00", b"\x02", b"\xff") if has_version else (b"\x00",)):
        def setv(x, v=v):
            if has_version:
                x.kids[0].value = v
            else:
                x.kids = [D.Node(b"\x02", v)] + list(x.kids)
        out, m = _rebuilt(root, n.path(), setv)
        at = m.kids[0].offset
        yield Mutation("enum-range", "version=%d" % int.from_bytes(v, "big", signed=True), info.name, at, out,
                       (E + "UNSUPPORTED_VERSION", at))
    if not has_version:
        return

    def drop(x):
        x.kids = list(x.kids)[1:]
    out, m = _rebuilt(root, n.path(), drop)
    first = None
    for k in m.kids:
        if k.ident == b"\x30" and k.kids and k.kids[0].ident == b"\x30" and k.kids[0].kids and \
                k.kids[0].kids[0].ident == b"\x02":  # revokedCertificates
            for e in k.kids:
                if len(e.kids) == 3:
                    first = e.kids[2].offset
                    break
        if first is None and k.ident == b"\xa0":  # crlExtensions
            first = k.offset
        if first is not None:
            break
    if first is not None:
        yield Mutation("enum-range", "version=absent", info.name, first, out, (E + "CRL_V1_EXTENSIONS", first))


def m_truncated(root, data, every=1):
    for k in range(2, len(data), every):
        yield Mutation("truncated", "prefix", root.schema.name, k, data[:k], (E + "DER_TRUNCATED", 0))


def all_mutations(data, top, classes=None, truncate_every=1, any_every=1):
    """Every mutation of the valid message data (of schema type top);
    truncate_every > 1 cuts after every n-th octet only, any_every > 1
    keeps one site in n inside values typed ANY (embedded certificates)."""
    root = S.parse(data, top)
    if root.encode() != data:
        raise ValueError("the base message is not DER")
    gens = {
        "length-shorter": lambda: m_length(root, data, -1),
        "length-longer": lambda: m_length(root, data, +1),
        "length-nonminimal": lambda: m_nonminimal_len(root, data),
        "length-indefinite": lambda: m_indefinite(root, data),
        "trailing": lambda: m_trailing(root, data),
        "tag-wrong": lambda: m_tag_wrong(root, data),
        "tag-form": lambda: m_tag_form(root, data),
        "tag-high-form": lambda: m_tag_high(root, data),
        "integer-padded": lambda: m_integer_padded(root, data),
        "explicit-default": lambda: m_explicit_default(root, data),
        "time-bad": lambda: m_time(root, data),
        "enum-range": lambda: m_enum(root, data),
        "truncated": lambda: m_truncated(root, data, truncate_every),
    }
    out = []
    for c in CLASS_NAMES:
        if classes and c not in classes:
            continue
        n_any = 0
        for m in gens[c]():
            if any_every > 1 and m.cls != "truncated" and ".ANY" in m.site:
                n_any += 1
                if n_any % any_every:
                    continue
            out.append(m)
    return out


def looks_like_response(d):
    """How `ocspkit print` tells a response from a request (tools/cmd_print.c):
    the first element inside the outer SEQUENCE is an ENUMERATED."""
    if len(d) < 3 or d[0] != 0x30:
        return False
    i = 1
    if d[1] & 0x80:
        i += d[1] & 0x7F
    return i + 1 < len(d) and d[i + 1] == 0x0A


def looks_like_crl(d):
    """How `ocspkit print` tells a CRL (tools/cmd_print.c): inside the outer
    SEQUENCE, a SEQUENCE that starts with an INTEGER (v2) or with a
    SEQUENCE whose first element is an OID (the algorithm of a v1 CRL)."""
    def content(i):
        if i + 2 > len(d):
            return None
        c = i + 2 + (d[i + 1] & 0x7F if d[i + 1] & 0x80 else 0)
        return c if c < len(d) else None
    tbs = content(0)
    if tbs is None or d[0] != 0x30 or d[tbs] != 0x30:
        return False
    first = content(tbs)
    if first is None:
        return False
    if d[first] == 0x02:
        return True
    inner = content(first) if d[first] == 0x30 else None
    return inner is not None and d[inner] == 0x06
