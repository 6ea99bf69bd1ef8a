"""Fixtures and result recording of the conformance suite.

Environment (make check sets the first ones, tests/Makefile.inc):
  OCSPKIT_BIN       the ocspkit command (default: ../build/tools/ocspkit)
  OCSPKIT_WRAPPER   a prefix put before every ocspkit invocation (valgrind)
  OCSPKIT_BUILDDIR  the build tree (the C test programs of the vectors cell)
  OCSPKIT_VECTORS   ../shared/vectors (peer vectors and their MANIFEST.tsv)
  OPENSSL           the openssl command
  CONFORMANCE_RESULTS  write this session's results (JSON) to this file,
  CONFORMANCE_RESULTS_DIR  or to DIR/<test modules>.json; report.py makes
                    conformance/REPORT.md and REPORT.json from such files
  CONFORMANCE_FULL=1   the larger sets of `make conformance-report`

Each test module names its AREA (decode, encode, live, vectors, negative,
corpus); each test function is a cell of the matrix, its first docstring
line what the cell checks.
"""

import concurrent.futures
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from conflib import peers  # noqa: E402
from conflib.pki import ALGS, Pki  # noqa: E402

BUILDDIR = Path(os.environ.get("OCSPKIT_BUILDDIR") or HERE.parent / "build")
OCSPKIT_BIN = os.environ.get("OCSPKIT_BIN") or str(BUILDDIR / "tools" / "ocspkit")
OCSPKIT_WRAPPER = shlex.split(os.environ.get("OCSPKIT_WRAPPER", ""))
OPENSSL = os.environ.get("OPENSSL") or shutil.which("openssl")
FULL = os.environ.get("CONFORMANCE_FULL", "") not in ("", "0")
VALGRIND_EXIT = 99  # the wrapper's --error-exitcode; ocspkit never exits 99


# ------------------------------------------------------------------ commands

class Result:
    def __init__(self, argv, proc):
        self.argv, self.rc = argv, proc.returncode
        self.stdout = proc.stdout
        self.out = proc.stdout.decode("utf-8", "replace")
        self.err = proc.stderr.decode("utf-8", "replace")

    def __repr__(self):
        return "<%s: rc=%d\nstdout: %s\nstderr: %s>" % (" ".join(map(str, self.argv)), self.rc, self.out[:3000],
                                                       self.err[:3000])


def ocspkit_missing():
    if not os.path.exists(OCSPKIT_BIN):
        return "ocspkit not built (%s); set OCSPKIT_BIN" % OCSPKIT_BIN
    return None


def run_ocspkit(*args, input=None, timeout=600):
    why = ocspkit_missing()
    if why:
        pytest.skip(why)
    argv = OCSPKIT_WRAPPER + [OCSPKIT_BIN] + [str(a) for a in args]
    cwd = str(BUILDDIR) if BUILDDIR.is_dir() else None  # the wrapper may name ./libtool
    proc = subprocess.run(argv, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                          timeout=timeout)
    res = Result(argv, proc)
    if OCSPKIT_WRAPPER and res.rc == VALGRIND_EXIT:
        pytest.fail("the wrapper reported errors:\n%r" % res)
    check_sanitizers(res.err, res)
    return res


def check_sanitizers(err, what):
    """A sanitizer's report (an --enable-sanitizers build) fails the test
    whatever exit code the test expected."""
    if "ERROR: AddressSanitizer" in err or "ERROR: LeakSanitizer" in err or ": runtime error: " in err:
        pytest.fail("a sanitizer reported errors:\n%r" % (what,))


def run_openssl(*args, cwd=None, input=None, check=True):
    if not OPENSSL:
        pytest.skip("openssl not found")
    argv = [OPENSSL] + [str(a) for a in args]
    proc = subprocess.run(argv, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                          timeout=120)
    res = Result(argv, proc)
    if check and res.rc != 0:
        raise AssertionError("openssl failed:\n%r" % res)
    return res


ERR_LINE = re.compile(r"^ocspkit print: (.*): (OCSPKIT_E_\w+) at offset (\d+)")


def print_batch(paths, lax=False, chunk=1500):
    """`ocspkit print --json` over many files in as few runs as possible:
    [(json object or None, (error, offset) or None)] in the order of paths."""
    out = []
    for i in range(0, len(paths), chunk):
        part = [str(p) for p in paths[i:i + chunk]]
        r = run_ocspkit("print", "--json", *(["--lax"] if lax else []), *part)
        assert r.rc in (0, 2), r
        try:
            arr = json.loads(r.out) if len(part) > 1 or r.out.strip() else None
        except ValueError:
            pytest.fail("ocspkit print --json wrote no JSON:\n%r" % r)
        if len(part) == 1:
            arr = [arr]
        assert isinstance(arr, list) and len(arr) == len(part), r
        errs = {}
        for line in r.err.splitlines():
            m = ERR_LINE.match(line)
            if m:
                errs[m.group(1)] = (m.group(2), int(m.group(3)))
        for p, obj in zip(part, arr):
            out.append((obj, errs.get(p)))
            if obj is None and p not in errs:
                pytest.fail("ocspkit print gave neither JSON nor an error for %s:\n%r" % (p, r))
    return out


def judge_mutations(c, d, paths):
    """The negative corpora's run: the bases (c.bases, name -> DER, written
    to d) and then every mutation (c.muts, written at paths) through
    `ocspkit print`, in a few runs; sets c.base_result (name -> result)
    and c.rows, one row per mutation with what ocspkit said and whether it
    is what the schema expected (m.expect)."""
    base_files = []
    for name, data in c.bases.items():
        f = d / (name + ".der")
        f.write_bytes(data)
        base_files.append(f)
    got = print_batch(base_files + paths)
    c.base_result = dict(zip(c.bases, got[:len(base_files)]))
    c.rows = []
    for m, (obj, err) in zip(c.muts, got[len(base_files):]):
        m.got = err if obj is None else "accepted"
        m.row = {"id": m.id, "base": m.base, "cls": m.cls, "sub": m.sub, "site": m.site, "kind": m.kind,
                 "expect": m.expect[0], "ocspkit": "accept" if m.got == "accepted" else "reject",
                 "ocspkit_error": None if m.got == "accepted" else m.got[0], "as_expected": m.got == m.expect}
        c.rows.append(m.row)


@pytest.fixture(scope="session")
def ocspkit():
    return run_ocspkit


@pytest.fixture(scope="session")
def openssl():
    return run_openssl


@pytest.fixture(scope="session")
def workdir():
    d = tempfile.mkdtemp(prefix="ocspkit-conformance-")
    yield Path(d)
    shutil.rmtree(d, ignore_errors=True)


_PKIS = {}


def _make_pki(workdir, alg):
    if alg not in _PKIS:
        _PKIS[alg] = Pki(workdir / ("pki-" + alg), alg)
    return _PKIS[alg]


@pytest.fixture(scope="session")
def pki(workdir):
    """pki(alg) -> Pki, made at first use and kept for the session."""
    if not OPENSSL:
        pytest.skip("openssl not found: it makes the PKIs")
    return lambda alg: _make_pki(workdir, alg)


@pytest.fixture(scope="session")
def pkis(workdir, pki):
    """alg -> Pki for every key type (conflib.pki.ALGS), made in parallel."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as ex:
        made = list(ex.map(lambda a: Pki(workdir / ("pki-" + a), a) if a not in _PKIS else _PKIS[a],
                           [a for a in ALGS]))
    for a, p in zip(ALGS, made):
        _PKIS.setdefault(a, p)
    return {a: _PKIS[a] for a in ALGS}


def need_peer(name):
    """Skips the calling test, with the reason, when a peer is missing."""
    if name == "openssl" and not OPENSSL:
        pytest.skip("peer missing: openssl command not found")
    if name == "ocsptool" and not peers.OCSPTOOL:
        pytest.skip("peer missing: GnuTLS ocsptool not found (Debian: gnutls-bin)")
    if name == "pyca":
        why = peers.pyca_available()
        if why:
            pytest.skip("peer missing: " + why + " (Debian: python3-cryptography)")
    if name in ("libcrypto", "libgnutls"):
        why = peers.lib_available("openssl" if name == "libcrypto" else "gnutls")
        if why:
            pytest.skip("peer missing: " + why)


def sample_under_wrapper(index, every):
    """Under OCSPKIT_WRAPPER (valgrind: seconds per run of ocspkit) and
    without CONFORMANCE_FULL, runs one case in `every` of a cell whose
    cases each run ocspkit once; skips the others, saying so."""
    if OCSPKIT_WRAPPER and not FULL and index % every:
        pytest.skip("under OCSPKIT_WRAPPER one case in %d of this cell runs (all of them run without it)" % every)


# ------------------------------------------------------------------ recording

_RESULTS = {"tests": [], "data": {}}


@pytest.fixture(scope="session")
def record():
    """record(key, value): data for the report (merged over modules)."""
    def put(key, value):
        _RESULTS["data"][key] = value
    return put


def _cell_of(item):
    fn = getattr(item, "function", None)
    doc = (fn.__doc__ or "").strip().splitlines() if fn else []
    return getattr(fn, "__name__", item.name), (doc[0] if doc else "")


def pytest_collection_modifyitems(session, config, items):
    for item in items:
        mod = getattr(item, "module", None)
        item.user_properties.append(("area", getattr(mod, "AREA", Path(str(item.fspath)).stem)))
        name, doc = _cell_of(item)
        item.user_properties.append(("cell", name))
        item.user_properties.append(("cell_doc", doc))


def pytest_runtest_logreport(report):
    props = dict(report.user_properties)
    if "area" not in props:
        return
    entry = None
    if report.when == "setup" and report.outcome != "passed":
        entry = "skipped" if report.skipped else "failed"
    elif report.when == "call":
        entry = report.outcome
    elif report.when == "teardown" and report.outcome == "failed":
        entry = "failed"
    if entry is None:
        return
    reason = None
    if report.skipped and isinstance(report.longrepr, tuple):
        reason = report.longrepr[2].replace("Skipped: ", "")
    elif report.failed:
        reason = str(report.longrepr).strip().splitlines()[-1][:300] if report.longrepr else "failed"
    test = report.nodeid.split("::", 1)[-1]
    _RESULTS["tests"].append({"nodeid": report.nodeid, "test": test, "area": props["area"],
                              "cell": props["cell"], "cell_doc": props.get("cell_doc", ""),
                              "outcome": entry, "reason": reason, "duration": round(report.duration, 3)})


def pytest_sessionstart(session):
    _RESULTS["started"] = time.time()


def _ocspkit_version():
    """What `ocspkit --version` says: the report names the build by its
    version, not by a path on the machine that ran it."""
    try:
        return subprocess.run([OCSPKIT_BIN, "--version"], stdout=subprocess.PIPE, text=True,
                              timeout=30).stdout.strip() or "ocspkit"
    except OSError:
        return "ocspkit (not built)"


def pytest_sessionfinish(session, exitstatus):
    dest = os.environ.get("CONFORMANCE_RESULTS")
    if not dest and os.environ.get("CONFORMANCE_RESULTS_DIR"):
        names = sorted({Path(str(i.fspath)).stem for i in session.items}) or ["empty"]
        dest = str(Path(os.environ["CONFORMANCE_RESULTS_DIR"]) / ("%s.json" % "+".join(names)))
    if not dest:
        return
    env = {"ocspkit": _ocspkit_version(), "wrapper": " ".join(OCSPKIT_WRAPPER), "full": FULL,
           "openssl": peers.lib_version("openssl"), "gnutls": peers.lib_version("gnutls"),
           "pyca": None if peers.pyca_available() else peers.pyca_version(),
           "ocsptool": bool(peers.OCSPTOOL), "python": sys.version.split()[0]}
    doc = {"started": _RESULTS.get("started"), "duration": round(time.time() - _RESULTS.get("started", 0), 2),
           "env": env, "tests": _RESULTS["tests"], "data": _RESULTS["data"],
           "files": sorted({str(Path(str(i.fspath)).name) for i in session.items})}
    Path(dest).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(dest + ".tmp")
    tmp.write_text(json.dumps(doc, indent=1, sort_keys=True))
    tmp.replace(dest)
