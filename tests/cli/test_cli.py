"""The command-line contract of `ocspkit print` and `ocspkit request`:
input detection (request or response; DER, PEM, base64), JSON arrays for
several files, error names and offsets on bad input, exit codes (0 done,
2 invalid input, 3 usage or file error), --help, --lax.

Every ocspkit invocation goes through OCSPKIT_WRAPPER (valgrind under
`make check-valgrind`), so each test also runs the code under memcheck.
"""

import base64
import json
import random
import re

import pytest

EXIT_INVALID = 2
EXIT_USAGE = 3
ERROR_RE = re.compile(r"(OCSPKIT_E_[A-Z0-9_]+) at offset (\d+)")


@pytest.fixture(scope="module")
def sample(pki):
    """A request (two certificates, nonce) and the delegated responder's
    answer to it (certificate included), both written by openssl, and a
    request with no nonce; with the PKI that made them."""
    p = pki("p256")
    req = p.request(p.fresh("cli.req.der"), [("sha1", "cert", "good"), ("sha256", "serial", "keycompromise")],
                    nonce=True)
    resp = p.respond(req, p.fresh("cli.resp.der"), ndays=1)
    req2 = p.request(p.fresh("cli2.req.der"), [("sha1", "serial", "never-issued")], nonce=False)
    return type("Sample", (), dict(pki=p, req=req, resp=resp, req2=req2,
                                   req_der=req.read_bytes(), resp_der=resp.read_bytes()))


@pytest.fixture(scope="module")
def ref_json(ocspkit, sample):
    """`ocspkit print --json` of the sample DER files, keyed by path (one
    invocation for all: each costs a second under valgrind)."""
    files = [sample.req, sample.resp]
    r = ocspkit("print", "--json", *files)
    assert r.rc == 0 and r.err == "", r
    return dict(zip(files, json.loads(r.out)))


def write(p, stem, data):
    f = p.fresh(stem)
    f.write_bytes(data if isinstance(data, bytes) else data.encode())
    return f


def print_json(ocspkit, *args, input=None):
    r = ocspkit("print", "--json", *args, input=input)
    assert r.rc == 0 and r.err == "", r
    return json.loads(r.out)


def error_of(r):
    """(error name, offset) reported on stderr."""
    m = ERROR_RE.search(r.err)
    assert m, r
    return m.group(1), int(m.group(2))


# ------------------------------------------------------------------ help


@pytest.mark.parametrize("args,words", [
    (["--help"], ["usage: ocspkit", "request", "print"]),
    (["help"], ["usage: ocspkit", "request", "print"]),
    (["print", "--help"], ["usage: ocspkit print", "--json", "--lax"]),
    (["request", "--help"], ["usage: ocspkit request", "--issuer", "--cert", "--serial", "--hash",
                             "--nonce", "--no-nonce", "--out"]),
], ids=["top", "help-word", "print", "request"])
def test_help(ocspkit, args, words):
    r = ocspkit(*args)
    assert r.rc == 0 and r.err == "", r
    for w in words:
        assert w in r.out, w


def test_version(ocspkit):
    r = ocspkit("--version")
    assert r.rc == 0 and re.match(r"ocspkit \d+\.\d+", r.out), r


@pytest.mark.parametrize("args", [[], ["frobnicate"], ["print"], ["print", "--frobnicate", "x"]],
                         ids=["no-command", "unknown-command", "print-no-file", "print-unknown-option"])
def test_usage_errors_exit_3(ocspkit, args):
    r = ocspkit(*args)
    assert r.rc == EXIT_USAGE, r
    assert "usage:" in r.err and r.out == "", r
    if args == ["frobnicate"]:
        assert r.err.startswith("ocspkit: unknown command 'frobnicate'"), r


# ------------------------------------------------------- input detection


def _pem(label, der, eol="\n"):
    b = base64.b64encode(der).decode()
    lines = [b[i:i + 64] for i in range(0, len(b), 64)]
    return eol.join(["-----BEGIN %s-----" % label] + lines + ["-----END %s-----" % label, ""])


ENCODINGS = {
    "der": lambda label, der: der,
    "pem": lambda label, der: _pem(label, der),
    "pem-crlf": lambda label, der: _pem(label, der, "\r\n"),
    "pem-after-text": lambda label, der: "openssl said:\nsomething\n" + _pem(label, der) + "trailer\n",
    "base64-one-line": lambda label, der: base64.b64encode(der).decode() + "\n",
    "base64-wrapped": lambda label, der: "\n".join(re.findall(".{1,76}", base64.b64encode(der).decode())),
    "base64url-unpadded": lambda label, der: base64.urlsafe_b64encode(der).decode().rstrip("="),
}


@pytest.mark.parametrize("kind", ["request", "response"])
@pytest.mark.parametrize("enc", list(ENCODINGS))
def test_print_detects_kind_and_encoding(ocspkit, sample, ref_json, kind, enc):
    der = sample.req_der if kind == "request" else sample.resp_der
    label = "OCSP REQUEST" if kind == "request" else "OCSP RESPONSE"
    data = ENCODINGS[enc](label, der)
    if enc.startswith("base64url"):
        # the URL-safe alphabet is the point: the standard one would differ here
        assert "+" in base64.b64encode(der).decode() or "/" in base64.b64encode(der).decode()
    f = write(sample.pki, "%s.%s" % (kind, enc), data)
    ref = ref_json[sample.req if kind == "request" else sample.resp]
    got = print_json(ocspkit, f)
    assert got["type"] == kind
    assert got == ref
    if kind == "response":
        assert got["responseStatus"] == "successful" and len(got["responses"]) == 2
    else:
        assert len(got["requests"]) == 2 and got["nonce"]


def test_print_reads_stdin(ocspkit, sample, ref_json):
    got = print_json(ocspkit, "-", input=_pem("OCSP RESPONSE", sample.resp_der).encode())
    assert got == ref_json[sample.resp]


def test_print_text_form_header(ocspkit, sample):
    r = ocspkit("print", sample.req, sample.resp)
    assert r.rc == 0 and r.err == "", r
    j = r.out.find("OCSP Response Data:")
    assert r.out.startswith("OCSP Request Data:") and 0 < j, r
    assert r.out[:j].count("Certificate ID:") == 2 and "Cert Status" not in r.out[:j]
    assert "Cert Status: good" in r.out[j:] and "Cert Status: revoked" in r.out[j:]
    assert "Revocation Reason: keyCompromise (0x1)" in r.out


def test_print_several_files_json_array(ocspkit, sample, ref_json):
    r = ocspkit("print", "--json", sample.resp, sample.req, sample.req2, sample.resp)
    assert r.rc == 0 and r.err == "", r
    arr = json.loads(r.out)
    assert isinstance(arr, list)
    assert [o["type"] for o in arr] == ["response", "request", "request", "response"]
    assert arr[0] == arr[3] == ref_json[sample.resp]
    assert arr[1] == ref_json[sample.req]
    assert arr[1]["nonce"] and arr[2]["nonce"] is None
    assert arr[2]["requests"][0]["serialNumber"] == "dead"
    # one file is still one object, not an array
    assert isinstance(ref_json[sample.req], dict)


def test_print_several_files_one_bad(ocspkit, sample):
    bad = write(sample.pki, "bad-trailing.der", sample.resp_der + b"\0")
    r = ocspkit("print", "--json", sample.req, bad, sample.resp)
    assert r.rc == EXIT_INVALID, r
    arr = json.loads(r.out)  # still well-formed
    assert [o and o["type"] for o in arr] == ["request", None, "response"]
    assert str(bad) in r.err and "OCSPKIT_E_DER_TRAILING_DATA" in r.err


def test_print_non_successful_statuses(ocspkit, sample):
    names = {1: "malformedRequest", 2: "internalError", 3: "tryLater", 5: "sigRequired", 6: "unauthorized"}
    files = [write(sample.pki, "status%d.der" % s, bytes([0x30, 3, 0x0A, 1, s])) for s in names]
    arr = print_json(ocspkit, *files)
    assert [o["responseStatus"] for o in arr] == list(names.values())
    assert all("responses" not in o for o in arr)


# -------------------------------------------------------------- bad input


def _inner_trailing(der_mod, resp):
    """A zero octet after BasicOCSPResponse, inside the response OCTET
    STRING: trailing data one level down."""
    return der_mod.edit(resp, [1, 0, 1], lambda tlv: der_mod.encode(0x04, der_mod.content(tlv) + b"\0"))


@pytest.mark.parametrize("case", ["truncated-last-byte", "truncated-half", "trailing-byte",
                                  "trailing-inside-octet-string", "certificate-not-ocsp",
                                  "status-4", "successful-without-bytes"])
def test_bad_input_names_error_and_offset(ocspkit, sample, der, case):
    d = sample.resp_der
    want, want_off = None, None
    if case == "truncated-last-byte":
        data, want = d[:-1], "OCSPKIT_E_DER_TRUNCATED"
    elif case == "truncated-half":
        data, want = d[:len(d) // 2], "OCSPKIT_E_DER_TRUNCATED"
    elif case == "trailing-byte":
        data, want, want_off = d + b"\x00", "OCSPKIT_E_DER_TRAILING_DATA", len(d)
    elif case == "trailing-inside-octet-string":
        data = _inner_trailing(der, d)
        # the OCTET STRING is the last element at every level: the added
        # octet is the file's last
        want, want_off = "OCSPKIT_E_DER_TRAILING_DATA", len(data) - 1
    elif case == "certificate-not-ocsp":
        data = sample.pki.ca_der
    elif case == "status-4":
        data, want, want_off = bytes([0x30, 3, 0x0A, 1, 4]), "OCSPKIT_E_BAD_RESPONSE_STATUS", 2
    else:
        data, want = bytes([0x30, 3, 0x0A, 1, 0]), "OCSPKIT_E_MISSING_RESPONSE_BYTES"
    f = write(sample.pki, "bad-%s.der" % case, data)
    # the error path is the same for both forms: text for a few cases only
    # (each invocation costs a second under valgrind)
    forms = [["print", "--json"]] + ([["print"]] if case == "trailing-byte" else [])
    for args in forms:
        r = ocspkit(*args, f)
        assert r.rc == EXIT_INVALID, r
        assert r.out.strip() == "", r  # nothing half-printed
        assert str(f) in r.err
        name, off = error_of(r)
        if want:
            assert name == want, r
        if want_off is not None:
            assert off == want_off, r
        assert 0 <= off <= len(data), r


def test_random_bytes_rejected(ocspkit, sample):
    """Random files, some made to start like a SEQUENCE so that decoding
    goes further in; all in one invocation, one error line each."""
    files = []
    for seed in range(8):
        rnd = random.Random(seed)
        n = rnd.choice([1, 2, 7, 64, 300, 2000])
        data = bytes(rnd.randrange(256) for _ in range(n))
        if seed % 2 and n > 2:
            data = b"\x30" + bytes([min(n - 2, 0x7F)]) + data[2:]
        files.append((write(sample.pki, "random-%d.bin" % seed, data), len(data)))
    r = ocspkit("print", *(f for f, _ in files))
    assert r.rc == EXIT_INVALID, r
    lines = r.err.splitlines()
    assert len(lines) == len(files), r
    for line, (f, n) in zip(lines, files):
        assert str(f) in line
        m = ERROR_RE.search(line)
        assert m and 0 <= int(m.group(2)) <= n, line


def _with_fractions(der_mod, resp):
    """The sample response with fractional seconds (X.690 11.7) in
    producedAt and in the first SingleResponse's thisUpdate."""
    basic_tbs = [1, 0, 1, 0, 0]  # responseBytes, its SEQUENCE, response, BasicOCSPResponse, tbsResponseData
    resp = der_mod.edit(resp, basic_tbs + [1], lambda t: der_mod.encode(0x18, der_mod.content(t)[:-1] + b".25Z"))
    return der_mod.edit(resp, basic_tbs + [2, 0, 2],
                        lambda t: der_mod.encode(0x18, der_mod.content(t)[:-1] + b".000001Z"))


def test_print_fractional_seconds(ocspkit, openssl, sample, ref_json, der):
    """Times with fractions of a second print as OpenSSL prints them (text)
    and as RFC 3339 with the same digits (JSON); the rest is unchanged."""
    f = write(sample.pki, "fractions.der", _with_fractions(der, sample.resp_der))
    got = print_json(ocspkit, f)
    ref = ref_json[sample.resp]
    assert got["producedAt"] == ref["producedAt"][:-1] + ".25Z"
    assert got["responses"][0]["thisUpdate"] == ref["responses"][0]["thisUpdate"][:-1] + ".000001Z"
    def rest(j):
        return {k: v for k, v in j.items() if k not in ("producedAt", "responses")}
    assert rest(got) == rest(ref)
    assert got["responses"][1:] == ref["responses"][1:]
    r = ocspkit("print", f)
    assert r.rc == 0, r
    o = openssl("ocsp", "-respin", f, "-resp_text", "-noverify", "-no-CAfile", "-no-CApath", "-no-CAstore")
    times = [line for line in r.out.splitlines() if line.strip().startswith(("Produced At:", "This Update:"))]
    assert times == [line for line in o.out.splitlines() if line.strip().startswith(("Produced At:",
                                                                                    "This Update:"))]
    assert ".25 " in times[0] and ".000001 " in times[1], times


# An input with nothing in it is "empty input" (exit 2), not a decoding
# error at offset 0; a directory is "Is a directory" (exit 3), not a read
# error: for every command that reads a file.
EMPTY_FORMS = {"empty": b"", "blank": b" \n\t\r\n", "empty-pem-block": b"-----BEGIN OCSP RESPONSE-----\n"
               b"-----END OCSP RESPONSE-----\n"}


def _says_empty(r, name):
    assert "%s: empty input" % name in r.err, r
    assert "OCSPKIT_E_" not in r.err, r


@pytest.mark.parametrize("case", sorted(EMPTY_FORMS))
def test_print_empty_input(ocspkit, sample, case):
    f = write(sample.pki, "empty-%s.der" % case, EMPTY_FORMS[case])
    for args in (["print"], ["print", "--json"]):
        r = ocspkit(*args, f)
        assert r.rc == EXIT_INVALID, r
        assert r.out.strip() == "", r
        _says_empty(r, f)


def test_print_empty_stdin_and_others_go_on(ocspkit, sample):
    r = ocspkit("print", "-", input=b"")
    assert r.rc == EXIT_INVALID and r.out == "", r
    _says_empty(r, "-")
    f = write(sample.pki, "empty-then.der", b"")
    r = ocspkit("print", f, sample.req)
    assert r.rc == EXIT_INVALID, r
    _says_empty(r, f)
    assert r.out.startswith("OCSP Request Data:"), r


def test_other_commands_empty_input(ocspkit, sample):
    p = sample.pki
    f = write(p, "empty-other.der", b"")
    r = ocspkit("verify", "--issuer", p.ca, "--serial", "1", f)
    assert r.rc == EXIT_INVALID, r
    _says_empty(r, f)
    r = ocspkit("verify", "--issuer", f, "--serial", "1", sample.resp)
    assert r.rc == EXIT_USAGE, r
    _says_empty(r, f)
    out = p.fresh("empty-other.req")
    r = ocspkit("request", "--issuer", f, "--serial", "1", "--out", out)
    assert r.rc == EXIT_USAGE and not out.exists(), r
    _says_empty(r, f)
    # a responder answers an empty request malformedRequest, and says why
    resp = p.fresh("empty-other.resp")
    r = ocspkit("respond", "--index", p.index, "--CA", p.ca, "--rsigner", p.ca, "--rkey", p.ca_key,
                "--reqin", f, "--respout", resp)
    assert r.rc == 0 and resp.read_bytes() == bytes([0x30, 3, 0x0A, 1, 1]), r
    _says_empty(r, f)


def _says_directory(r, name):
    assert "%s: Is a directory" % name in r.err, r
    assert "read error" not in r.err, r


def test_directory_is_a_directory(ocspkit, sample):
    p = sample.pki
    d = p.dir / "a-directory.der"
    d.mkdir(exist_ok=True)
    for args in (["print", d], ["print", "--json", d], ["verify", "--issuer", p.ca, "--serial", "1", d],
                 ["verify", "--issuer", d, "--serial", "1", sample.resp],
                 ["verify", "--issuer", p.ca, "--CAfile", d, "--serial", "1", sample.resp],
                 ["request", "--issuer", d, "--serial", "1", "--out", p.fresh("dir.req")],
                 ["respond", "--index", p.index, "--CA", p.ca, "--rsigner", p.ca, "--rkey", p.ca_key,
                  "--reqin", d, "--respout", p.fresh("dir.resp")],
                 ["respond", "--index", d, "--CA", p.ca, "--rsigner", p.ca, "--rkey", p.ca_key,
                  "--reqin", sample.req, "--respout", p.fresh("dir2.resp")]):
        r = ocspkit(*args)
        assert r.rc == EXIT_USAGE, (args, r)
        _says_directory(r, d)


def test_missing_file(ocspkit, sample):
    missing = sample.pki.dir / "no-such-file.der"
    r = ocspkit("print", missing)
    assert r.rc == EXIT_USAGE, r
    assert str(missing) in r.err and "No such file or directory" in r.err


def test_bad_file_does_not_stop_the_others(ocspkit, sample):
    missing = sample.pki.dir / "no-such-file.der"
    r = ocspkit("print", missing, sample.req)
    assert r.rc == EXIT_USAGE, r
    assert r.out.startswith("OCSP Request Data:"), r


# ------------------------------------------------------------------ --lax

EXPLICIT_V1 = bytes.fromhex("a003020100")  # [0] EXPLICIT INTEGER 0: the DEFAULT, encoded


def _with_explicit_version(der_mod, msg, path):
    return der_mod.edit(msg, path, lambda tlv: der_mod.encode(0x30, EXPLICIT_V1 + der_mod.content(tlv)))


@pytest.mark.parametrize("case", ["response-explicit-v1", "request-explicit-v1", "response-padded-serial"])
def test_lax_accepts_what_strict_refuses(ocspkit, openssl, sample, ref_json, der, case):
    if case == "response-explicit-v1":
        # OCSPResponse / responseBytes / ResponseBytes / response / BasicOCSPResponse / tbsResponseData
        data = _with_explicit_version(der, sample.resp_der, [1, 0, 1, 0, 0])
        src, want, where = sample.resp, "OCSPKIT_E_DER_EXPLICIT_DEFAULT", data.index(EXPLICIT_V1)
    elif case == "request-explicit-v1":
        data = _with_explicit_version(der, sample.req_der, [0])  # OCSPRequest / tbsRequest
        src, want, where = sample.req, "OCSPKIT_E_DER_EXPLICIT_DEFAULT", data.index(EXPLICIT_V1)
    else:
        # ... / tbsResponseData / responses / SingleResponse / certID / serialNumber: 00 10 01
        path = [1, 0, 1, 0, 0, 2, 0, 0, 3]
        assert der.content(der.get(sample.resp_der, path)) == b"\x10\x01"
        data = der.edit(sample.resp_der, path, lambda tlv: der.encode(0x02, b"\x00" + der.content(tlv)))
        src, want, where = sample.resp, "OCSPKIT_E_DER_NONMINIMAL_INTEGER", data.index(b"\x02\x03\x00\x10\x01")
    assert len(data) == len(sample.resp_der if "response" in case else sample.req_der) + \
        (len(EXPLICIT_V1) if "explicit" in case else 1)
    f = write(sample.pki, case + ".der", data)
    if "explicit" in case:
        # OpenSSL reads an explicit version (OpenSSL 3 refuses padded INTEGERs)
        flag = ["-respin", f, "-resp_text", "-noverify"] if "response" in case else ["-reqin", f, "-req_text"]
        assert "Version: 1 (0x0)" in openssl("ocsp", *flag, "-no-CAfile", "-no-CApath", "-no-CAstore").out

    strict = ocspkit("print", "--json", f)
    assert strict.rc == EXIT_INVALID, strict
    name, off = error_of(strict)
    assert name == want and where <= off < where + 5, strict

    lax = ocspkit("print", "--lax", "--json", f)
    assert lax.rc == 0, lax
    # the same message as the canonical original, field by field
    assert json.loads(lax.out) == ref_json[src]
    assert ocspkit("print", "--lax", f).rc == 0


def test_lax_still_refuses_broken_der(ocspkit, sample):
    f = write(sample.pki, "lax-trailing.der", sample.resp_der + b"\x00")
    r = ocspkit("print", "--lax", f)
    assert r.rc == EXIT_INVALID and error_of(r) == ("OCSPKIT_E_DER_TRAILING_DATA", len(sample.resp_der)), r


# -------------------------------------------------------------- request


def _request_args(s, *extra):
    p = s.pki
    return ["request", "--issuer", p.ca, "--cert", p.leaves["good"].cert] + list(extra)


@pytest.mark.parametrize("case", [
    "no-arguments", "no-issuer", "no-out", "nothing-asked", "unknown-hash", "md5-hash", "bad-serial",
    "empty-serial", "nonce-value-too-long", "nonce-value-empty", "nonce-value-not-hex", "unknown-option",
    "extra-argument", "missing-issuer-file", "missing-cert-file", "issuer-not-a-certificate",
    "cert-of-another-issuer",
])
def test_request_usage_errors_exit_3(ocspkit, pki, sample, case):
    p = sample.pki
    out = p.fresh("usage-%s.der" % case)
    cert = p.leaves["good"].cert
    args = {
        "no-arguments": ["request"],
        "no-issuer": ["request", "--cert", cert, "--out", out],
        "no-out": ["request", "--issuer", p.ca, "--cert", cert],
        "nothing-asked": ["request", "--issuer", p.ca, "--out", out],
        "unknown-hash": _request_args(sample, "--hash", "sha3-256", "--out", out),
        "md5-hash": _request_args(sample, "--hash", "md5", "--out", out),
        "bad-serial": ["request", "--issuer", p.ca, "--serial", "12zz", "--out", out],
        "empty-serial": ["request", "--issuer", p.ca, "--serial", "", "--out", out],
        "nonce-value-too-long": _request_args(sample, "--nonce-value", "ab" * 33, "--out", out),
        "nonce-value-empty": _request_args(sample, "--nonce-value", "", "--out", out),
        "nonce-value-not-hex": _request_args(sample, "--nonce-value", "xyz1", "--out", out),
        "unknown-option": _request_args(sample, "--frobnicate", "--out", out),
        "extra-argument": _request_args(sample, "--out", out, "stray"),
        "missing-issuer-file": ["request", "--issuer", p.dir / "nope.pem", "--cert", cert, "--out", out],
        "missing-cert-file": ["request", "--issuer", p.ca, "--cert", p.dir / "nope.pem", "--out", out],
        "issuer-not-a-certificate": ["request", "--issuer", p.index, "--cert", cert, "--out", out],
        "cert-of-another-issuer": ["request", "--issuer", pki("ed25519").ca, "--cert", cert, "--out", out],
    }[case]
    r = ocspkit(*args)
    assert r.rc == EXIT_USAGE, r
    assert r.err.strip() and r.out == "", r
    assert not out.exists()


def test_request_der_pem_stdout_agree(ocspkit, sample):
    p = sample.pki
    nonce = "0102030405060708090a0b0c0d0e0f10"
    base = _request_args(sample, "--serial", "DEAD", "--hash", "sha256", "--nonce-value", nonce)
    f_der, f_pem = p.fresh("agree.der"), p.fresh("agree.pem")
    assert ocspkit(*base, "--out", f_der).rc == 0
    assert ocspkit(*base, "--pem", "--out", f_pem).rc == 0
    r = ocspkit(*base, "--out", "-")
    assert r.rc == 0, r
    der = f_der.read_bytes()
    assert r.stdout == der
    text = f_pem.read_text()
    assert text.startswith("-----BEGIN OCSP REQUEST-----\n") and text.endswith("-----END OCSP REQUEST-----\n")
    assert base64.b64decode("".join(text.splitlines()[1:-1])) == der
    assert max(len(line) for line in text.splitlines()) <= 64
    j = print_json(ocspkit, f_pem)
    assert j["nonce"] == nonce
    assert [q["serialNumber"] for q in j["requests"]] == ["1001", "dead"]
    assert {q["hashAlgorithm"] for q in j["requests"]} == {"sha256"}


def test_request_nonce_default_random(ocspkit, sample):
    files = [sample.pki.fresh("nonce-default-%d.der" % i) for i in range(2)]
    for f in files:
        assert ocspkit(*_request_args(sample, "--out", f)).rc == 0
    nf = sample.pki.fresh("no-nonce.der")
    assert ocspkit(*_request_args(sample, "--no-nonce", "--out", nf)).rc == 0
    outs = [o["nonce"] for o in print_json(ocspkit, *files, nf)]
    assert all(n and len(n) == 32 for n in outs[:2])  # 16 octets
    assert outs[0] != outs[1]
    assert outs[2] is None


@pytest.mark.parametrize("form", ["pem", "der"])
def test_request_reads_certificates_in_pem_and_der(ocspkit, openssl, sample, form):
    p = sample.pki
    issuer, cert = p.ca, p.leaves["hold"].cert
    if form == "der":
        issuer = write(p, "ca.cer", p.ca_der)
        cert = p.fresh("hold.cer")
        openssl("x509", "-in", p.leaves["hold"].cert, "-outform", "DER", "-out", cert)
    f = p.fresh("certs-%s.der" % form)
    r = ocspkit("request", "--issuer", issuer, "--cert", cert, "--no-nonce", "--out", f)
    assert r.rc == 0, r
    ref = p.request(p.fresh("certs-ref-%s.der" % form), [("sha1", "cert", "hold")], nonce=False)
    assert f.read_bytes() == ref.read_bytes()
