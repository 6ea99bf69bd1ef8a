"""Cell 5, the negative corpus: systematic mutations of valid messages.

Base messages are made during the run (openssl and ocspkit, several key
types); conflib/mutate.py derives every mutation of every class and the
error a strict DER decoder must report for it, from the mutation and the
schema labels alone.  Each mutation is read by `ocspkit print --json` (all
of them in a few runs, so that valgrind costs seconds), and by OpenSSL,
GnuTLS and pyca/cryptography, whose verdicts make the report's table of
differences.  One test per mutation class; its failures list the cases.

make check: five base messages, every class; in the embedded
certificates one site in three, and in the two messages over 1000 octets
truncation after every 13th octet (after every octet in the others).
CONFORMANCE_FULL=1 (make conformance-report): every site, every octet, and
bases of every key type besides.
"""

import collections
import pytest

from conftest import FULL, need_peer, peers, judge_mutations
from conflib import mutate as M
from conflib import schema as S

AREA = "negative"

UNAUTHORIZED = bytes.fromhex("3003" "0a0106")


def _bases(pki, ocspkit, workdir):
    """name -> DER of the valid messages the mutations start from."""
    out = {}
    p = pki("p256")
    req = p.request(p.fresh("neg-req.der"), [("sha1", "cert", "good"), ("sha1", "cert", "keytime"),
                                             ("sha256", "serial", "never-issued")], nonce=True)
    out["req-openssl-p256-nonce"] = req.read_bytes()
    resp = p.respond(req, p.fresh("neg-resp.der"), ndays=1)
    out["resp-openssl-p256-delegated"] = resp.read_bytes()
    sreq = p.request(p.fresh("neg-sreq.der"), [("sha256", "cert", "hold")], signer=True, sign_other=True)
    out["req-openssl-p256-signed"] = sreq.read_bytes()
    e = pki("ed25519")
    ereq = e.request(e.fresh("neg-ereq.der"), [("sha1", "cert", "hold"), ("sha1", "cert", "good")], nonce=True)
    eresp = e.fresh("neg-eresp.der")
    r = ocspkit("respond", "--index", e.index, "--CA", e.ca, "--rsigner", e.ca, "--rkey", e.ca_key,
                "--reqin", ereq, "--respout", eresp, "--resp-key-id", "--no-certs", "--nmin", "30")
    assert r.rc == 0, r
    out["resp-ocspkit-ed25519-bykey"] = eresp.read_bytes()
    out["resp-status-unauthorized"] = UNAUTHORIZED
    if FULL:
        for alg in ("rsa", "rsa-pss", "p384", "p521", "ed448"):
            q = pki(alg)
            qreq = q.request(q.fresh("neg-req.der"), [("sha256", "cert", "cessation"), ("sha1", "cert", "good")],
                             nonce=True)
            out["resp-openssl-%s-ca-bykey" % alg] = q.respond(qreq, q.fresh("neg-resp.der"), signer="ca",
                                                              by_key=True, rother=True, nmin=60).read_bytes()
    return out


class Corpus:
    pass


@pytest.fixture(scope="module")
def corpus(pki, ocspkit, workdir, record):
    c = Corpus()
    c.bases = _bases(pki, ocspkit, workdir)
    c.muts, c.undetermined, c.other_kind = [], collections.Counter(), collections.Counter()
    d = workdir / "negative"
    d.mkdir()
    paths = []
    for name, data in c.bases.items():
        is_resp = M.looks_like_response(data)
        top = S.OCSPResponse if is_resp else S.OCSPRequest
        sparse = not FULL and len(data) > 1000
        for i, m in enumerate(M.all_mutations(data, top, truncate_every=13 if sparse else 1,
                                              any_every=1 if FULL else 3)):
            m.base, m.id = name, "%s/%s/%d" % (name, m.cls, i)
            if m.data is None:
                c.undetermined[m.cls] += 1
                continue
            if M.looks_like_response(m.data) != is_resp:
                # `ocspkit print` would read it as the other kind of message
                c.other_kind[m.cls] += 1
                continue
            m.kind = "response" if is_resp else "request"
            f = d / ("%06d.der" % len(paths))
            f.write_bytes(m.data)
            m.path = f
            paths.append(f)
            c.muts.append(m)
    # the bases themselves first, then every mutation, in a few runs
    judge_mutations(c, d, paths)
    record("negative", {"bases": {k: len(v) for k, v in c.bases.items()}, "classes": dict(M.CLASSES),
                        "class_order": M.CLASS_NAMES,
                        "undetermined": dict(c.undetermined), "other_kind": dict(c.other_kind), "rows": c.rows})
    return c


def test_bases_are_valid(corpus):
    """Every base message decodes in ocspkit (and the peers, when present, accept it)."""
    for name, (obj, err) in corpus.base_result.items():
        assert obj is not None and err is None, (name, err)
    if not peers.lib_available("openssl"):
        for name, data in corpus.bases.items():
            kind = "response" if M.looks_like_response(data) else "request"
            assert peers.openssl_lib(data, kind) == "accept", name
    if not peers.lib_available("gnutls"):
        for name, data in corpus.bases.items():
            kind = "response" if M.looks_like_response(data) else "request"
            assert peers.gnutls_lib(data, kind) == "accept", name


@pytest.mark.parametrize("cls", M.CLASS_NAMES)
def test_mutations_rejected_with_expected_error(cls, corpus):
    """ocspkit rejects every mutation of the class with the error and offset derived from the mutation."""
    muts = [m for m in corpus.muts if m.cls == cls]
    assert muts, "no mutation of class %s was generated" % cls
    wrong = [m for m in muts if m.got != m.expect]
    lines = ["%s (%s at %s): expected %s@%d, got %s" % (m.id, m.sub, m.site, m.expect[0], m.expect[1],
                                                       m.got if m.got == "accepted" else "%s@%d" % m.got)
             for m in wrong[:25]]
    assert not wrong, "%d of %d mutations of %s:\n%s" % (len(wrong), len(muts), cls, "\n".join(lines))


def _cli_view(v):
    return "accept" if v == "prefix" else v


def test_peer_verdicts(corpus):
    """OpenSSL, GnuTLS and pyca verdicts on every mutation, for the report; libraries and commands agree."""
    need_peer("libcrypto")
    need_peer("libgnutls")
    have_pyca = peers.pyca_available() is None
    sample, seen = [], set()
    for m in corpus.muts:
        o = peers.openssl_lib(m.data, m.kind)
        g = peers.gnutls_lib(m.data, m.kind)
        y = peers.pyca(m.data, m.kind) if have_pyca else None
        m.row.update(openssl=o, gnutls=g, pyca=y)
        key = (m.base, m.cls)
        if key not in seen:
            seen.add(key)
            sample.append((m, o, g))
    # the commands users run say what the libraries say (one case per class and base)
    disagree = []
    for m, o, g in sample:
        oc = peers.openssl_cli(m.path, m.kind) if peers.OPENSSL else None
        gc = peers.gnutls_cli(m.path, m.kind) if peers.OCSPTOOL else None
        if oc is not None and oc != _cli_view(o):
            disagree.append("%s: openssl ocsp says %s, libcrypto %s" % (m.id, oc, o))
        if gc is not None and (gc == "reject") != (g == "reject"):
            disagree.append("%s: ocsptool says %s, libgnutls %s" % (m.id, gc, g))
    assert not disagree, "\n".join(disagree)
    assert all("openssl" in r for r in corpus.rows)
