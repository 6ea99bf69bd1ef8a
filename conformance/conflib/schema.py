"""The OCSP schema (asn1/ocsp.asn, RFC 6960 and the RFC 5280 parts it
needs), written out again in Python, independently of the C code, to label
every node of a valid message: which type it has, how its container reads
it (as a field of a SEQUENCE, an element of a SEQUENCE OF, the only value
inside an explicit tag or an OCTET STRING, or a value inside an ANY), and
which fields could still follow it.  mutate.py derives the error a strict
DER decoder must report for each mutation from these labels.

Values typed ANY (certificates in `certs`, algorithm parameters, attribute
values) are only strict DER: inside them nothing is typed.
"""

from . import der as D

UNIVERSAL = {1: "BOOLEAN", 2: "INTEGER", 3: "BIT STRING", 4: "OCTET STRING", 5: "NULL", 6: "OID",
             10: "ENUMERATED", 12: "UTF8String", 16: "SEQUENCE", 17: "SET", 19: "PrintableString",
             20: "TeletexString", 22: "IA5String", 23: "UTCTime", 24: "GeneralizedTime",
             26: "VisibleString", 28: "UniversalString", 30: "BMPString"}
TAG_OF = {v: k for k, v in UNIVERSAL.items()}


# ------------------------------------------------------------------ types

class Type:
    name = "?"

    def ids(self):
        """Identifier octets (constructed bit cleared) a value can start with;
        None means any."""
        raise NotImplementedError


class Prim(Type):
    def __init__(self, kind, name=None, enum=None, enum_err=None, named_bits=False, non_negative_err=None):
        self.kind = kind
        self.name = name or kind
        self.enum = enum            # allowed values of an ENUMERATED
        self.enum_err = enum_err    # the error for the others
        self.named_bits = named_bits  # a BIT STRING with a named bit list (no trailing 0 bit)
        self.non_negative_err = non_negative_err  # an INTEGER that may not be negative, and the error

    def ids(self):
        return {TAG_OF[self.kind]}


class Encap(Prim):
    """An OCTET STRING whose content is DER of another type (responseBytes,
    the value of an extension the decoder knows)."""

    def __init__(self, inner, name):
        super().__init__("OCTET STRING", name)
        self.inner = inner


class Any(Type):
    name = "ANY"

    def ids(self):
        return None


class Seq(Type):
    def __init__(self, name, fields):
        self.name = name
        self.fields = fields

    def ids(self):
        return {0x10}


class SeqOf(Type):
    def __init__(self, name, elem, set_of=False, min_size=0):
        self.name = name
        self.elem = elem
        self.set_of = set_of
        self.min_size = min_size

    def ids(self):
        return {0x11 if self.set_of else 0x10}


class Choice(Type):
    def __init__(self, name, alts):
        self.name = name
        self.alts = alts  # Fields

    def ids(self):
        out = set()
        for a in self.alts:
            i = a.ids()
            if i is None:
                return None
            out |= i
        return out


class Lazy(Type):
    """A forward reference (recursive types)."""

    def __init__(self, fn):
        self.fn = fn

    def __getattr__(self, k):
        return getattr(self.fn(), k)


class Field:
    """A field (or CHOICE alternative).  tag: context tag number, explicit
    unless implicit=True.  default: the DEFAULT value (an int or bool)."""

    def __init__(self, name, type, tag=None, implicit=False, optional=False, default=None):
        self.name, self.type, self.tag, self.implicit = name, type, tag, implicit
        self.optional, self.default = optional, default

    def ids(self):
        if self.tag is not None:
            return {0x80 | self.tag}
        return resolve(self.type).ids()

    def matches(self, ident):
        ids = self.ids()
        return ids is None or (ident[0] & 0xDF) in ids and len(ident) == 1

    @property
    def skippable(self):
        return self.optional or self.default is not None


def resolve(t):
    return t.fn() if isinstance(t, Lazy) else t


# ------------------------------------------------------------------ the schema

INTEGER = Prim("INTEGER")
OID = Prim("OID")
OCTETS = Prim("OCTET STRING")
BITS = Prim("BIT STRING")
BOOLEAN = Prim("BOOLEAN")
NULL = Prim("NULL")
GTIME = Prim("GeneralizedTime")
UTCTIME = Prim("UTCTime")
IA5 = Prim("IA5String")
ANY = Any()

CRL_REASONS = (0, 1, 2, 3, 4, 5, 6, 8, 9, 10)
CRLReason = Prim("ENUMERATED", "CRLReason", CRL_REASONS, "OCSPKIT_E_BAD_CRL_REASON")
ResponseStatus = Prim("ENUMERATED", "OCSPResponseStatus", (0, 1, 2, 3, 5, 6), "OCSPKIT_E_BAD_RESPONSE_STATUS")

AlgorithmIdentifier = Seq("AlgorithmIdentifier", [Field("algorithm", OID), Field("parameters", ANY, optional=True)])
AttributeTypeAndValue = Seq("AttributeTypeAndValue", [Field("type", OID), Field("value", ANY)])
RDN = SeqOf("RelativeDistinguishedName", AttributeTypeAndValue, set_of=True, min_size=1)
Name = SeqOf("Name", RDN)
GeneralName = Choice("GeneralName", [
    Field("otherName", Seq("AnotherName", [Field("type-id", OID), Field("value", ANY, tag=0)]), tag=0,
          implicit=True),
    Field("rfc822Name", IA5, tag=1, implicit=True),
    Field("dNSName", IA5, tag=2, implicit=True),
    Field("x400Address", SeqOf("ORAddress", ANY), tag=3, implicit=True),
    Field("directoryName", Name, tag=4),
    Field("ediPartyName", SeqOf("EDIPartyName", ANY), tag=5, implicit=True),
    Field("uniformResourceIdentifier", IA5, tag=6, implicit=True),
    Field("iPAddress", OCTETS, tag=7, implicit=True),
    Field("registeredID", OID, tag=8, implicit=True),
])
GeneralNames = SeqOf("GeneralNames", GeneralName, min_size=1)
Extension = Seq("Extension", [Field("extnID", OID), Field("critical", BOOLEAN, default=False),
                              Field("extnValue", OCTETS)])
Extensions = SeqOf("Extensions", Extension, min_size=1)
CertID = Seq("CertID", [Field("hashAlgorithm", AlgorithmIdentifier), Field("issuerNameHash", OCTETS),
                        Field("issuerKeyHash", OCTETS), Field("serialNumber", INTEGER)])
Certificates = SeqOf("Certificates", ANY)
Signature = Seq("Signature", [Field("signatureAlgorithm", AlgorithmIdentifier), Field("signature", BITS),
                              Field("certs", Certificates, tag=0, optional=True)])
Request = Seq("Request", [Field("reqCert", CertID), Field("singleRequestExtensions", Extensions, tag=0,
                                                          optional=True)])
TBSRequest = Seq("TBSRequest", [
    Field("version", INTEGER, tag=0, default=0),
    Field("requestorName", GeneralName, tag=1, optional=True),
    Field("requestList", SeqOf("requestList", Request)),
    Field("requestExtensions", Extensions, tag=2, optional=True)])
OCSPRequest = Seq("OCSPRequest", [Field("tbsRequest", TBSRequest),
                                  Field("optionalSignature", Signature, tag=0, optional=True)])

RevokedInfo = Seq("RevokedInfo", [Field("revocationTime", GTIME),
                                  Field("revocationReason", CRLReason, tag=0, optional=True)])
CertStatus = Choice("CertStatus", [Field("good", NULL, tag=0, implicit=True),
                                   Field("revoked", RevokedInfo, tag=1, implicit=True),
                                   Field("unknown", NULL, tag=2, implicit=True)])
SingleResponse = Seq("SingleResponse", [
    Field("certID", CertID), Field("certStatus", CertStatus), Field("thisUpdate", GTIME),
    Field("nextUpdate", GTIME, tag=0, optional=True),
    Field("singleExtensions", Extensions, tag=1, optional=True)])
ResponderID = Choice("ResponderID", [Field("byName", Name, tag=1), Field("byKey", OCTETS, tag=2)])
ResponseData = Seq("ResponseData", [
    Field("version", INTEGER, tag=0, default=0),
    Field("responderID", ResponderID), Field("producedAt", GTIME),
    Field("responses", SeqOf("responses", SingleResponse)),
    Field("responseExtensions", Extensions, tag=1, optional=True)])
BasicOCSPResponse = Seq("BasicOCSPResponse", [
    Field("tbsResponseData", ResponseData), Field("signatureAlgorithm", AlgorithmIdentifier),
    Field("signature", BITS), Field("certs", Certificates, tag=0, optional=True)])
ResponseBytes = Seq("ResponseBytes", [Field("responseType", OID),
                                      Field("response", Encap(BasicOCSPResponse, "response"))])
OCSPResponse = Seq("OCSPResponse", [Field("responseStatus", ResponseStatus),
                                    Field("responseBytes", ResponseBytes, tag=0, optional=True)])

# Extension values the decoder reads when it decodes the message (RFC 6960
# 4.4, RFC 8954, RFC 5280 5.3), by OID content octets.
_OCSP = bytes.fromhex("2b06010505073001")
KNOWN_EXTENSIONS = {
    _OCSP + b"\x02": Prim("OCTET STRING", "Nonce"),
    _OCSP + b"\x03": Seq("CrlID", [Field("crlUrl", IA5, tag=0, optional=True),
                                   Field("crlNum", INTEGER, tag=1, optional=True),
                                   Field("crlTime", GTIME, tag=2, optional=True)]),
    _OCSP + b"\x04": SeqOf("AcceptableResponses", OID),
    _OCSP + b"\x05": Prim("NULL", "NoCheck"),
    _OCSP + b"\x06": Prim("GeneralizedTime", "ArchiveCutoff"),
    _OCSP + b"\x09": Prim("NULL", "ExtendedRevoke"),
    bytes.fromhex("551d15"): CRLReason,
    bytes.fromhex("551d18"): Prim("GeneralizedTime", "InvalidityDate"),
    bytes.fromhex("551d1d"): GeneralNames,
}


# RFC 5280 section 5: CRLs (asn1/ocsp.asn writes them out the same way)
Time = Choice("Time", [Field("utcTime", UTCTIME), Field("generalTime", GTIME)])
CRLSerial = Prim("INTEGER", "CertificateSerialNumber", non_negative_err="OCSPKIT_E_NEGATIVE_SERIAL")
RevokedCertificate = Seq("RevokedCertificate", [Field("userCertificate", CRLSerial), Field("revocationDate", Time),
                                                Field("crlEntryExtensions", Extensions, optional=True)])
TBSCertList = Seq("TBSCertList", [
    Field("version", Prim("INTEGER", "CRLVersion"), optional=True),
    Field("signature", AlgorithmIdentifier), Field("issuer", Name), Field("thisUpdate", Time),
    Field("nextUpdate", Time, optional=True),
    Field("revokedCertificates", SeqOf("RevokedCertificates", RevokedCertificate), optional=True),
    Field("crlExtensions", Extensions, tag=0, optional=True)])
CertificateList = Seq("CertificateList", [Field("tbsCertList", TBSCertList),
                                          Field("signatureAlgorithm", AlgorithmIdentifier),
                                          Field("signatureValue", BITS)])
ReasonFlags = Prim("BIT STRING", "ReasonFlags", named_bits=True)
DistributionPointName = Choice("DistributionPointName", [
    Field("fullName", SeqOf("GeneralNames", GeneralName, min_size=1), tag=0, implicit=True),
    Field("nameRelativeToCRLIssuer", SeqOf("RelativeDistinguishedName", AttributeTypeAndValue, set_of=True,
                                           min_size=1), tag=1, implicit=True)])
CRLNumber = Prim("INTEGER", "CRLNumber")
AccessDescription = Seq("AccessDescription", [Field("accessMethod", OID), Field("accessLocation", GeneralName)])

# the extension values the CRL decoder reads: the entry extensions and
# the CRL extensions of RFC 5280 5.2 and 5.3, by OID content octets
CRL_EXTENSIONS = {
    bytes.fromhex("551d17"): Prim("OID", "HoldInstructionCode"),
    bytes.fromhex("551d14"): CRLNumber,
    bytes.fromhex("551d1b"): CRLNumber,
    bytes.fromhex("551d1c"): Seq("IssuingDistributionPoint", [
        Field("distributionPoint", DistributionPointName, tag=0, optional=True),
        Field("onlyContainsUserCerts", BOOLEAN, tag=1, implicit=True, default=False),
        Field("onlyContainsCACerts", BOOLEAN, tag=2, implicit=True, default=False),
        Field("onlySomeReasons", ReasonFlags, tag=3, implicit=True, optional=True),
        Field("indirectCRL", BOOLEAN, tag=4, implicit=True, default=False),
        Field("onlyContainsAttributeCerts", BOOLEAN, tag=5, implicit=True, default=False)]),
    bytes.fromhex("551d23"): Seq("AuthorityKeyIdentifier", [
        Field("keyIdentifier", OCTETS, tag=0, implicit=True, optional=True),
        Field("authorityCertIssuer", GeneralNames, tag=1, implicit=True, optional=True),
        Field("authorityCertSerialNumber", INTEGER, tag=2, implicit=True, optional=True)]),
    bytes.fromhex("551d2e"): SeqOf("CRLDistributionPoints", Seq("DistributionPoint", [
        Field("distributionPoint", DistributionPointName, tag=0, optional=True),
        Field("reasons", ReasonFlags, tag=1, implicit=True, optional=True),
        Field("cRLIssuer", GeneralNames, tag=2, implicit=True, optional=True)]), min_size=1),
    bytes.fromhex("551d12"): GeneralNames,
    bytes.fromhex("2b06010505070101"): SeqOf("AuthorityInfoAccessSyntax", AccessDescription, min_size=1),
}
_known = KNOWN_EXTENSIONS


# ------------------------------------------------------------------ labels

class Info:
    """What a node is.  kind: seq, seqof, explicit, any, prim, encap.
    reader: how its container reads it: field, element, only, any.
    typed: False inside an ANY.  prim: the primitive type's name.
    after: for a SEQUENCE field, the Fields that follow it in the schema.
    rest: for a SEQUENCE node, the Fields after its last present one."""

    def __init__(self, name, kind, reader, typed=True, prim=None, type=None, field=None, after=(),
                 elem=None, container=None):
        self.name, self.kind, self.reader, self.typed = name, kind, reader, typed
        self.prim, self.type, self.field, self.after = prim, type, field, list(after)
        self.elem = elem          # element Field-like matcher of a SEQUENCE OF
        self.rest = []            # for seq: fields after the last present one
        self.container = container  # kind of the container: seq, seqof, only, any
        self.outer_field = None     # for an alternative of a CHOICE: the field the CHOICE fills

    def __repr__(self):
        return "<%s %s/%s>" % (self.name, self.kind, self.reader)


class AnnotateError(ValueError):
    pass


def annotate(root, top):
    """Labels every node of root (a parsed valid message of type top)."""
    _type(root, resolve(top), "", reader="only", container="only")
    return root


def parse(data, top):
    """Parses a valid message with the OCTET STRINGs the schema says hold
    DER (and no others) opened, and labels it.  A CRL's decoder reads the
    CRL extensions' values too; the OCSP decoders do not."""
    global _known
    _known = {**KNOWN_EXTENSIONS, **CRL_EXTENSIONS} if resolve(top) is CertificateList else KNOWN_EXTENSIONS
    root = D.parse(data)
    _open(root, resolve(top))
    D.layout(root)
    return annotate(root, top)


def _open(node, t):
    """Opens the encapsulating OCTET STRINGs below node (of type t)."""
    t = resolve(t)
    if isinstance(t, Encap):
        _encap(node, t.inner)
    elif isinstance(t, Seq):
        for f, k in _fields(node, t):
            if k is not None:
                _open_field(k, f)
        if t is Extension:
            oid = node.kids[0].value
            if oid in _known:
                _encap(node.kids[-1], _known[oid])
    elif isinstance(t, SeqOf):
        for k in node.kids:
            _open_field(k, Field("elem", t.elem))
    elif isinstance(t, Choice):
        for a in t.alts:
            if a.matches(node.ident):
                _open_field(node, a)
                break


def _open_field(node, f):
    if f.tag is not None and not f.implicit:
        _open(node.kids[0], f.type)
    else:
        _open(node, f.type)


def _encap(node, inner):
    node.kids = [D.parse(node.value)]
    node.encap = True
    node.value = b""
    _open(node.kids[0], inner)


def _fields(node, t):
    """Pairs (Field, child or None) of a SEQUENCE node, in schema order."""
    kids = list(node.kids)
    out = []
    for f in t.fields:
        if kids and f.matches(kids[0].ident):
            out.append((f, kids.pop(0)))
        elif f.skippable:
            out.append((f, None))
        else:
            raise AnnotateError("%s: field %s missing" % (t.name, f.name))
    if kids:
        raise AnnotateError("%s: elements left over" % t.name)
    return out


def _any(node, name, reader, container):
    node.schema = Info(name, "any" if node.constructed else "prim", reader, typed=False,
                       prim=UNIVERSAL.get(node.number) if node.tag_class == 0 else None,
                       container=container)
    for k in node.kids or ():
        _any(k, name, "any", "any")


def _type(node, t, name, reader, container, field=None, after=()):
    t = resolve(t)
    name = (name + "." if name else "") + (field.name if field else t.name)
    if isinstance(t, Any):
        _any(node, name, reader, container)
        node.schema.field, node.schema.after = field, list(after)
        return
    if isinstance(t, Choice):
        for a in t.alts:
            if a.matches(node.ident):
                _field(node, a, name, reader, container, after, choice=True)
                # the field the CHOICE fills (optional or not), for the
                # reader of the SEQUENCE around it
                node.schema.outer_field = field
                return
        raise AnnotateError("%s: no alternative" % name)
    if isinstance(t, Encap):
        node.schema = Info(name, "encap", reader, prim="OCTET STRING", type=t, field=field, after=after,
                           container=container)
        _type(node.kids[0], t.inner, name, "only", "only")
        return
    if isinstance(t, Prim):
        node.schema = Info(name, "prim", reader, prim=t.kind, type=t, field=field, after=after,
                           container=container)
        return
    if isinstance(t, Seq):
        node.schema = Info(name, "seq", reader, type=t, field=field, after=after, container=container)
        pairs = _fields(node, t)
        last = max([i for i, (_, k) in enumerate(pairs) if k is not None], default=-1)
        node.schema.rest = [f for f, _ in pairs[last + 1:]]
        for i, (f, k) in enumerate(pairs):
            if k is not None:
                _field(k, f, name, "field", "seq", [g for g, _ in pairs[i + 1:]])
        if t is Extension:
            v = node.kids[-1]
            oid = node.kids[0].value
            if v.encap:
                _type(v.kids[0], _known[oid], name + ".extnValue", "only", "only")
        return
    if isinstance(t, SeqOf):
        node.schema = Info(name, "seqof", reader, type=t, field=field, after=after,
                           elem=Field("elem", t.elem), container=container)
        for k in node.kids:
            _field(k, Field(t.elem.name if hasattr(t.elem, "name") else "elem", t.elem), name, "element",
                   "seqof", ())
        return
    raise AnnotateError("unknown type at %s" % name)


def _field(node, f, name, reader, container, after, choice=False):
    """node is the element written for field f (with f's tag, if any)."""
    if f.tag is not None and not f.implicit:
        node.schema = Info(name + "." + f.name + "[%d]" % f.tag, "explicit", reader, field=f, after=after,
                           container=container)
        node.schema.choice = choice
        _type(node.kids[0], f.type, name + "." + f.name, "only", "only")
        return
    _type(node, f.type, name, reader, container, field=f, after=after)
    node.schema.choice = choice
