"""The regression corpus (conformance/corpus/): a minimized message for
every interop bug the suite found, written by corpus/generate.py and listed
with its check in corpus/INDEX.tsv.  Each must still pass its check."""

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import need_peer, run_ocspkit, run_openssl

AREA = "corpus"
CORPUS = Path(__file__).resolve().parent / "corpus"


def _index():
    rows = []
    for line in (CORPUS / "INDEX.tsv").read_text().splitlines():
        if line and not line.startswith("#"):
            f = line.split("\t")
            rows.append((f[0], f[1], f[2], f[3]))
    return rows


ROWS = _index()


def test_corpus_is_what_generate_writes(workdir):
    """corpus/generate.py writes exactly the files of corpus/, and INDEX.tsv lists each once."""
    out = workdir / "corpus-regenerated"
    subprocess.run([sys.executable, "-B", str(CORPUS / "generate.py"), str(out)], check=True)
    made = sorted(p.name for p in out.iterdir())
    assert made == sorted(p.name for p in CORPUS.glob("*.der"))
    assert made == sorted(r[0] for r in ROWS)
    for name in made:
        assert (out / name).read_bytes() == (CORPUS / name).read_bytes(), name


@pytest.mark.parametrize("name,kind,check,note", ROWS, ids=[r[0] for r in ROWS])
def test_corpus_case(name, kind, check, note):
    """Each corpus case passes the check INDEX.tsv names for it."""
    path = CORPUS / name
    if check == "text-equals-openssl":
        need_peer("openssl")
        flag = ["-reqin", path, "-req_text"] if kind == "request" else ["-respin", path, "-resp_text", "-noverify"]
        theirs = run_openssl("ocsp", *flag, "-no-CAfile", "-no-CApath", "-no-CAstore", check=False)
        assert theirs.out.startswith("OCSP R"), theirs
        ours = run_ocspkit("print", path)
        assert ours.rc == 0, ours
        assert ours.out.splitlines() == theirs.out.splitlines(), (note, ours.out, theirs.out)
    else:
        pytest.fail("unknown check %r in corpus/INDEX.tsv" % check)
