"""Cell 4, peer vectors: other projects' OCSP test files give the outcome
their own test suites expect (../shared/vectors/MANIFEST.tsv), decoding
and verification, and Debian's python3-cryptography-vectors read as pyca
reads them.

The per-file outcomes live in tests/codec/vectors-expected.tsv (one reviewed row
per item, with the reason when ocspkit is stricter than the project) and
the verification verdicts in tests/codec/test_validate_vectors.c; the C programs
that hold the library to them are run from here (they left TESTS for this
cell, so they run once): the decode verdicts in test_vectors.c, the
validation verdicts in test_validate_vectors.c, each vector replayed once
for each.  This cell adds: the same outcome from the command line
(`ocspkit print`, one run over all files), OpenSSL's, GnuTLS' and pyca's
verdicts on each file (for the report), and a field-by-field comparison
with pyca's loader on pyca's own vectors (from the same command-line run
where ../shared/vectors has them).
"""

import base64
import collections
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import BUILDDIR, OCSPKIT_WRAPPER, VALGRIND_EXIT, check_sanitizers, need_peer, peers, print_batch
from conflib import mutate as M
from conflib.pycacmp import compare_with_pyca

AREA = "vectors"
HERE = Path(__file__).resolve().parent
SRCDIR = Path(os.environ.get("OCSPKIT_SRCDIR") or HERE.parent)
VECTORS = Path(os.environ.get("OCSPKIT_VECTORS") or SRCDIR.parent / "shared" / "vectors")
EXPECTED = SRCDIR / "tests" / "codec" / "vectors-expected.tsv"
PYCA_VECTORS = Path("/usr/lib/python3/dist-packages/cryptography_vectors/x509/ocsp")


def need_vectors():
    if not (VECTORS / "MANIFEST.tsv").is_file():
        pytest.skip("peer vectors missing: no %s/MANIFEST.tsv (set OCSPKIT_VECTORS)" % VECTORS)


def run_c_test(name):
    prog = BUILDDIR / "tests" / "codec" / name
    if not prog.exists():
        pytest.skip("%s not built (make check builds it; or make tests/codec/%s)" % (prog, name))
    env = dict(os.environ, OCSPKIT_VECTORS=str(VECTORS), OCSPKIT_SRCDIR=str(SRCDIR))
    p = subprocess.run(OCSPKIT_WRAPPER + [str(prog)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       cwd=str(BUILDDIR), env=env, timeout=1200)
    out = p.stdout.decode("utf-8", "replace")
    if p.returncode == 77:
        pytest.skip("%s skipped: %s" % (name, out.strip()[:200]))
    assert p.returncode != VALGRIND_EXIT or not OCSPKIT_WRAPPER, "the wrapper reported errors:\n" + out[-4000:]
    check_sanitizers(out, prog)
    return p.returncode, out


def test_library_decodes_every_vector_as_expected(record):
    """tests/codec/test_vectors: every OCSP message (and certificate) of the vectors decodes to its row of tests/codec/vectors-expected.tsv."""
    need_vectors()
    rc, out = run_c_test("test_vectors")
    m = re.search(r"^(\d+) checks, (\d+) failed$", out, re.M)
    assert rc == 0 and m and m.group(2) == "0", out[-6000:]
    table = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) == 5 and f[1].isdigit():
            table[f[0]] = dict(zip(("ok", "refused", "flag_rows", "openssl_differs"), map(int, f[1:])))
    assert "response" in table and "request" in table, out
    record("vectors_library", {"checks": int(m.group(1)), "decoders": table})


def test_library_verification_verdicts(record):
    """tests/codec/test_validate_vectors: each project's verification verdict (at its stated time) is ocspkit's."""
    need_vectors()
    rc, out = run_c_test("test_validate_vectors")
    m = re.search(r"^(\d+) checks, (\d+) failed$", out, re.M)
    assert rc == 0 and m and m.group(2) == "0", out[-6000:]
    record("vectors_verdicts", {"checks": int(m.group(1))})


# ------------------------------------------------------------------ the command line and the peers

def _rows():
    rows = {}
    for line in EXPECTED.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        f = line.split("\t")
        if len(f) >= 5 and f[1] in ("request", "response") and f[2] == "strict":
            rows[f[0]] = (f[1], f[3], f[4])
    return rows


def _pem_blocks(text, label):
    return [base64.b64decode("".join(b.split())) for b in
            re.findall(r"-----BEGIN %s-----(.*?)-----END %s-----" % (label, label), text, re.S)]


def _item_bytes(item):
    """The DER of a vectors-expected.tsv item: a file, or "path#LABEL[#n]"."""
    path, _, label = item.partition("#")
    data = (VECTORS / path).read_bytes()
    if not label:
        return data
    label, _, n = label.partition("#")
    blocks = _pem_blocks(data.decode("latin-1"), label)
    return blocks[int(n) - 1 if n else 0]


@pytest.fixture(scope="module")
def vector_items(workdir):
    need_vectors()
    rows = _rows()
    d = workdir / "vectors"
    d.mkdir()
    items, skipped = [], collections.Counter()
    for n, (item, (kind, outcome, ossl)) in enumerate(sorted(rows.items())):
        if "!" in item:
            continue
        try:
            data = _item_bytes(item)
        except (OSError, ValueError, IndexError):
            skipped["unreadable"] += 1
            continue
        if not data or data[0] != 0x30 or M.looks_like_response(data) != (kind == "response"):
            # `ocspkit print` would read it as text or as the other kind
            skipped["not read as its kind by the command"] += 1
            continue
        f = d / ("%04d.der" % n)
        f.write_bytes(data)
        items.append((item, kind, outcome, f, data, ossl))
    return items, skipped


@pytest.fixture(scope="module")
def cli_read(vector_items):
    """`ocspkit print --json` over every vector item, once: [(obj, err)] in
    vector_items' order (the pyca cell reads pyca's files from it too)."""
    items, _ = vector_items
    return print_batch([it[3] for it in items])


def test_command_line_gives_the_table_outcome(vector_items, cli_read, record):
    """ocspkit print --json gives each vector the strict outcome (error and offset) of tests/codec/vectors-expected.tsv."""
    items, skipped = vector_items
    assert len(items) > 100, "too few vectors: %d" % len(items)
    got = cli_read
    wrong = []
    for (item, kind, outcome, f, _, _), (obj, err) in zip(items, got):
        mine = "ok" if obj is not None else "%s@%d" % err
        if mine != outcome:
            wrong.append("%s: table %s, ocspkit print %s" % (item, outcome, mine))
    record("vectors_cli", {"items": len(items), "skipped": dict(skipped),
                           "accepted": sum(1 for o, _ in got if o is not None)})
    assert not wrong, "\n".join(wrong[:30])


def test_peer_verdicts_on_vectors(vector_items, record):
    """OpenSSL, GnuTLS and pyca accept or refuse each vector; recorded per project for the report."""
    need_peer("libcrypto")
    need_peer("libgnutls")
    items, _ = vector_items
    have_pyca = peers.pyca_available() is None
    per = collections.defaultdict(collections.Counter)
    wrong = []
    for item, kind, outcome, _, data, ossl in items:
        project = item.split("/")[0]
        mine = outcome == "ok"
        o = peers.openssl_lib(data, kind)
        g = peers.gnutls_lib(data, kind)
        y = peers.pyca(data, kind) if have_pyca else None
        per[project]["items"] += 1
        per[project]["ocspkit-accepts"] += mine
        for name, v in (("openssl", o), ("gnutls", g), ("pyca", y)):
            if v is None:
                continue
            acc = v in ("accept", "prefix") or (name == "gnutls" and v == "partial")
            per[project]["%s-accepts" % name] += acc
            per[project]["%s-differs" % name] += acc != mine
        # the table's openssl column says whether OpenSSL 3.0 accepts the bytes too
        if ossl in ("same", "differs") and (o == "accept") != (mine if ossl == "same" else not mine):
            wrong.append("%s: tests/codec/vectors-expected.tsv says OpenSSL %s, libcrypto says %s" % (item, ossl, o))
    record("vectors_peers", {k: dict(v) for k, v in sorted(per.items())})
    assert not wrong, "\n".join(wrong[:30])


# ------------------------------------------------------------------ pyca's vectors, as Debian ships them

def _pyca_files():
    return sorted(PYCA_VECTORS.glob("*.der")) if PYCA_VECTORS.is_dir() else []


PYCA_FILES = [f.name for f in _pyca_files()] or ["python3-cryptography-vectors-missing"]


@pytest.fixture(scope="module")
def pyca_read(request):
    """ocspkit's reading of each of Debian's pyca files: the command line
    cell's where ../shared/vectors has the same bytes (read once), else
    `ocspkit print` here."""
    files = _pyca_files()
    if not files:
        pytest.skip("peer vectors missing: %s (Debian: python3-cryptography-vectors)" % PYCA_VECTORS)
    done = {}
    if (VECTORS / "MANIFEST.tsv").is_file():
        items, _ = request.getfixturevalue("vector_items")
        for it, got in zip(items, request.getfixturevalue("cli_read")):
            done[it[0]] = (it[4], got)
    out, rest = {}, []
    for f in files:
        data, got = done.get("pyca/" + f.name, (None, None))
        if got is not None and data == f.read_bytes():
            out[f.name] = (f,) + tuple(got)
        else:
            rest.append(f)
    for f, (obj, err) in zip(rest, print_batch(rest) if rest else []):
        out[f.name] = (f, obj, err)
    return out


def _manifest():
    out = {}
    if (VECTORS / "MANIFEST.tsv").is_file():
        for line in (VECTORS / "MANIFEST.tsv").read_text().splitlines()[1:]:
            f = line.split("\t")
            if len(f) >= 4:
                out[f[0]] = f
    return out


@pytest.mark.parametrize("name", PYCA_FILES)
def test_pyca_vector_read_as_pyca_reads_it(name, pyca_read):
    """Each OCSP file of Debian's python3-cryptography-vectors: what pyca's tests expect, and pyca's fields where both read it."""
    need_peer("pyca")
    f, obj, err = pyca_read[name]
    data = f.read_bytes()
    row = _manifest().get("pyca/" + name)
    kind = (row[1] if row else "").replace("ocsp-", "") or (
        "response" if M.looks_like_response(data) else "request")
    shared = VECTORS / "pyca" / name
    if shared.is_file():
        assert shared.read_bytes() == data, "Debian's copy differs from ../shared/vectors/pyca/%s" % name
    # (the table's outcome for the file is the command line cell's check)
    table = _rows().get("pyca/" + name)
    mine = "ok" if obj is not None else "%s@%d" % err
    expected = row[3] if row else ""
    try:
        peers.pyca_load(data, kind)
        pyca_ok = True
    except Exception:
        pyca_ok = False
    if expected.startswith("malformed"):
        assert not pyca_ok and obj is None, (name, expected, mine)
        return
    if obj is None:
        # ocspkit refuses what pyca reads: the reason is the table's
        assert table and table[1] != "ok", (name, mine)
        return
    if pyca_ok:
        compare_with_pyca(obj, data, kind)
