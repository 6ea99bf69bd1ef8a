"""DER as a tree of nodes that can be edited and written back.

A Node is one TLV: its identifier octet(s), its content (children for a
constructed value, or for a primitive OCTET STRING that encapsulates DER
when the schema says so), and where it sat in the bytes it was read from.
Writing a tree back re-encodes every length, so an edit anywhere gives a
message whose enclosing lengths are consistent; the mutations that break
lengths on purpose patch the written bytes afterwards (mutate.py).

Only what OCSP messages need: low and high tag numbers, definite lengths.
"""


class DerError(ValueError):
    pass


def encode_length(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def read_header(buf, off, end):
    """(identifier bytes, constructed, class, number, content start,
    content end) of the TLV at off, bounded by end; DerError otherwise."""
    if off + 2 > end:
        raise DerError("truncated header at %d" % off)
    i = off
    first = buf[i]
    i += 1
    number = first & 0x1F
    if number == 0x1F:
        number = 0
        while True:
            if i >= end:
                raise DerError("truncated tag at %d" % off)
            b = buf[i]
            i += 1
            number = (number << 7) | (b & 0x7F)
            if not b & 0x80:
                break
    ident = bytes(buf[off:i])
    if i >= end:
        raise DerError("truncated length at %d" % off)
    l0 = buf[i]
    i += 1
    if l0 < 0x80:
        n = l0
    elif l0 == 0x80:
        raise DerError("indefinite length at %d" % off)
    else:
        k = l0 & 0x7F
        if i + k > end:
            raise DerError("truncated length at %d" % off)
        n = int.from_bytes(buf[i:i + k], "big")
        i += k
    if i + n > end:
        raise DerError("content overflows at %d" % off)
    return ident, bool(first & 0x20), first & 0xC0, number, i, i + n


class Node:
    """One TLV.  kids is None for a primitive (value holds the content);
    for a constructed value, or a primitive that encapsulates DER, kids is
    the list of children (encap is True in the second case)."""

    __slots__ = ("ident", "value", "kids", "encap", "offset", "hlen", "parent", "index", "schema",
                 "__weakref__")

    def __init__(self, ident, value=b"", kids=None, encap=False):
        self.ident = bytes(ident)
        self.value = bytes(value)
        self.kids = kids
        self.encap = encap
        self.offset = None
        self.hlen = None
        self.parent = None
        self.index = None
        self.schema = None  # set by schema.annotate

    @property
    def constructed(self):
        return bool(self.ident[0] & 0x20)

    @property
    def tag_class(self):
        return self.ident[0] & 0xC0

    @property
    def number(self):
        n = self.ident[0] & 0x1F
        if n != 0x1F:
            return n
        v = 0
        for b in self.ident[1:]:
            v = (v << 7) | (b & 0x7F)
        return v

    def content(self):
        if self.kids is None:
            return self.value
        return b"".join(k.encode() for k in self.kids)

    def encode(self):
        c = self.content()
        return self.ident + encode_length(len(c)) + c

    def copy(self):
        n = Node(self.ident, self.value, None if self.kids is None else [k.copy() for k in self.kids],
                 self.encap)
        n.schema = self.schema
        return n

    def walk(self):
        """Every node in pre-order (document order)."""
        yield self
        for k in self.kids or ():
            yield from k.walk()

    def path(self):
        p, n = [], self
        while n.parent is not None:
            p.append(n.index)
            n = n.parent
        return tuple(reversed(p))

    def end(self):
        return self.offset + self.hlen + len(self.content())

    def __repr__(self):
        return "<Node %s @%s %s>" % (self.ident.hex(), self.offset, self.schema and self.schema.name)


def parse(buf, encap=lambda node: False):
    """The tree of the single TLV that fills buf.  encap(node) says which
    primitive nodes hold DER to parse as children (the schema knows)."""
    root = _parse_one(bytes(buf), 0, len(buf), encap)
    if root.offset + root.hlen + len(root.content()) != len(buf):
        raise DerError("trailing data")
    layout(root)
    return root


def _parse_one(buf, off, end, encap):
    ident, cons, _, _, cs, ce = read_header(buf, off, end)
    node = Node(ident, buf[cs:ce] if not cons else b"")
    node.offset, node.hlen = off, cs - off
    if cons:
        node.kids = _parse_list(buf, cs, ce, encap, node)
    elif encap(node):
        node.kids = _parse_list(buf, cs, ce, encap, node)
        node.encap = True
        node.value = b""
    return node


def _parse_list(buf, off, end, encap, parent):
    kids = []
    while off < end:
        k = _parse_one(buf, off, end, encap)
        k.parent, k.index = parent, len(kids)
        kids.append(k)
        off = k.offset + k.hlen + len(k.content())
    return kids


def layout(root, base=0):
    """Recomputes offsets, header lengths, parents and indexes after edits."""
    root.offset = base
    c = root.content()
    root.hlen = len(root.ident) + len(encode_length(len(c)))
    off = base + root.hlen
    for i, k in enumerate(root.kids or ()):
        k.parent, k.index = root, i
        layout(k, off)
        off += len(k.encode())
    return root


def at(root, path):
    n = root
    for i in path:
        n = n.kids[i]
    return n


def tlv(tag, content):
    return bytes([tag]) + encode_length(len(content)) + bytes(content)


def split(content):
    """The consecutive TLVs of content, as bytes."""
    out, off = [], 0
    while off < len(content):
        _, _, _, _, cs, ce = read_header(content, off, len(content))
        out.append(bytes(content[off:ce]))
        off = ce
    return out


def inner(b):
    """The content octets of the single TLV b."""
    _, _, _, _, cs, ce = read_header(b, 0, len(b))
    if ce != len(b):
        raise DerError("not one TLV")
    return bytes(b[cs:ce])
