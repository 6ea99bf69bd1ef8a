"""Reading what `openssl ocsp -req_text/-resp_text` prints (and `ocspkit
print`, which lays its text out the same way) into fields, and the two
forms OpenSSL writes names in.  Moved here from tests/test_openssl_corpus.py
with the corpus comparison it served."""

import datetime
import re

STATUS_NAMES = {0: "successful", 1: "malformedRequest", 2: "internalError", 3: "tryLater",
                5: "sigRequired", 6: "unauthorized"}

MONTHS = {m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}


def iso_of_openssl(s):
    """"Nov  2 01:57:04 2026 GMT" -> "2026-11-02T01:57:04Z" """
    mon, day, hms, year, tz = s.split()
    assert tz == "GMT", s
    return "%04d-%02d-%02dT%sZ" % (int(year), MONTHS[mon], int(day), hms)


def iso_of_generalized(s):
    """"20240215000000Z" -> "2024-02-15T00:00:00Z" """
    return "%s-%s-%sT%s:%s:%sZ" % (s[0:4], s[4:6], s[6:8], s[8:10], s[10:12], s[12:14])


def epoch(iso):
    return datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc).timestamp()


FIELDS = {
    "OCSP Response Status": "status", "Response Type": "response_type", "Version": "version",
    "Responder Id": "responder", "Produced At": "produced_at", "Requestor Name": "requestor",
    "Hash Algorithm": "hash", "Issuer Name Hash": "name_hash", "Issuer Key Hash": "key_hash",
    "Serial Number": "serial", "Cert Status": "cert_status", "Revocation Time": "revocation_time",
    "Revocation Reason": "reason", "This Update": "this_update", "Next Update": "next_update",
}
ENTRY_FIELDS = {"hash", "name_hash", "key_hash", "serial", "cert_status", "revocation_time", "reason",
                "this_update", "next_update"}


def parse_text(text):
    """Parses the text form of `openssl ocsp -req_text/-resp_text`, which
    `ocspkit print` lays out the same way, into a dict of fields."""
    d = {"kind": None, "entries": [], "extensions": [], "sigalg": None, "certs": 0,
         "cert_subjects": [], "unparsed": []}
    cur = None
    ext_list, ext_indent = None, None
    section = "body"
    # OpenSSL's i2a_ASN1_STRING breaks hex longer than 35 octets with "\\"
    # and a newline (SHA-384/512 CertIDs); ocspkit does not
    text = text.replace("\\\n", "")
    for line in text.splitlines():
        st = line.strip()
        ind = len(line) - len(line.lstrip(" "))
        if not st:
            continue
        if line == "Certificate:":
            section = "cert"
            d["certs"] += 1
            continue
        if section == "cert":
            if st.startswith("Subject:"):
                d["cert_subjects"].append(st.split(":", 1)[1].strip())
            continue
        if section == "sig":
            continue
        if ext_list is not None:
            if ind > ext_indent:
                if ind == ext_indent + 4:
                    name, _, crit = st.rpartition(":")
                    ext_list.append({"name": name.strip(), "critical": crit.strip() == "critical",
                                     "value": []})
                elif ext_list:
                    ext_list[-1]["value"].append(st)
                else:
                    d["unparsed"].append(line)
                continue
            ext_list = None
        if st.startswith("Signature Algorithm:"):
            d["sigalg"] = st.split(":", 1)[1].strip()
            section = "sig"
        elif st == "OCSP Request Data:":
            d["kind"] = "request"
        elif st == "OCSP Response Data:":
            d["kind"] = "response"
        elif st.startswith("Responder Error:"):
            d["kind"] = "response"
            m = re.match(r"Responder Error: (\S+) \((\d+)\)$", st)
            d["status"], d["status_code"] = m.group(1), int(m.group(2))
        elif st in ("Requestor List:", "Responses:"):
            pass
        elif st == "Certificate ID:":
            cur = {"extensions": []}
            d["entries"].append(cur)
        elif st in ("Response Extensions:", "Request Extensions:"):
            ext_list, ext_indent = d["extensions"], ind
        elif st in ("Response Single Extensions:", "Request Single Extensions:") and cur is not None:
            ext_list, ext_indent = cur["extensions"], ind
        else:
            key, sep, val = st.partition(":")
            field = FIELDS.get(key) if sep else None
            if field is None:
                d["unparsed"].append(line)
                continue
            val = val.strip()
            if field in ENTRY_FIELDS:
                if cur is None:
                    d["unparsed"].append(line)
                    continue
                cur[field] = val
            else:
                d[field] = val
    for e in d["extensions"] + [x for en in d["entries"] for x in en["extensions"]]:
        e["value"] = "\n".join(e["value"])
    if d.get("status") and d["kind"] == "response" and "status_code" not in d:
        m = re.match(r"(\S+) \(0x([0-9a-f]+)\)$", d["status"])
        d["status"], d["status_code"] = m.group(1), int(m.group(2), 16)
    return d


def nonce_of(parsed):
    """The nonce inside the OCSP Nonce extension OpenSSL prints (the
    extnValue, an OCTET STRING TLV in hex)."""
    for e in parsed["extensions"]:
        if e["name"] == "OCSP Nonce":
            v = e["value"].replace(" ", "").lower()
            assert v.startswith("04") and int(v[2:4], 16) * 2 == len(v) - 4, v
            return v[4:]
    return None


def _unescape(s):
    """Backslash escapes of both name forms: \\XX (hex octet) and \\c."""
    out, i = bytearray(), 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            if re.match(r"[0-9A-Fa-f]{2}", s[i + 1:i + 3]):
                out.append(int(s[i + 1:i + 3], 16))
                i += 3
                continue
            out += s[i + 1].encode()
            i += 2
            continue
        out += c.encode()
        i += 1
    return bytes(out)


ATTR_ALIASES = {"E": "EMAILADDRESS", "1.2.840.113549.1.9.1": "EMAILADDRESS",
                "USERID": "UID", "0.9.2342.19200300.100.1.1": "UID"}


def _rdns(pairs_list):
    """Order-insensitive within an RDN (a SET), order-sensitive across."""
    return [tuple(sorted((ATTR_ALIASES.get(t.upper(), t.upper()), v) for t, v in rdn))
            for rdn in pairs_list]


def parse_oneline(s):
    """OpenSSL's XN_FLAG_ONELINE: 'C = US, O = "Example, Inc.", CN = a + UID = b'."""
    rdns, cur, i = [], [], 0
    while i < len(s):
        j = s.index(" = ", i)
        typ, i = s[i:j], j + 3
        if s[i] == '"':
            k = i + 1
            while s[k] != '"':
                k += 2 if s[k] == "\\" else 1
            raw, i = s[i + 1:k], k + 1
        else:
            k = i
            while k < len(s) and not s.startswith(", ", k) and not s.startswith(" + ", k):
                k += 2 if s[k] == "\\" else 1
            raw, i = s[i:k], k
        cur.append((typ, _unescape(raw)))
        if s.startswith(" + ", i):
            i += 3
        else:
            rdns.append(cur)
            cur = []
            if s.startswith(", ", i):
                i += 2
            else:
                assert i == len(s), "cannot parse %r at %d" % (s, i)
    return _rdns(rdns)


def _split_unescaped(s, sep):
    parts, cur, i = [], "", 0
    while i < len(s):
        if s[i] == "\\":
            cur += s[i:i + 2]
            i += 2
        elif s[i] == sep:
            parts.append(cur)
            cur = ""
            i += 1
        else:
            cur += s[i]
            i += 1
    return parts + [cur]


def parse_rfc4514(s):
    """RFC 4514 (and OpenSSL's RFC2253): last RDN first; returned in
    encoding order like parse_oneline."""
    rdns = []
    for rdn in _split_unescaped(s, ","):
        avas = []
        for ava in _split_unescaped(rdn, "+"):
            typ, _, val = ava.partition("=")
            assert not val.startswith("#"), "hex form not expected here: %r" % s
            avas.append((typ, _unescape(val)))
        rdns.append(avas)
    return _rdns(reversed(rdns))


def hexnorm(s):
    return s.replace(":", "").lower()


def iso_of_datetime(dt):
    """A datetime (naive UTC, as pyca gives) -> "2026-11-02T01:57:04Z"."""
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
