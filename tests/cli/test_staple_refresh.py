"""The refresh rules of `ocspkit staple`, against a Python responder that
misbehaves on purpose: a good staple is never replaced by an answer that
is expired, wrongly signed, about another certificate, malformed, not an
OCSP response, an HTTP error, tryLater, "unknown", older, or by nothing
when the responder is down; a staple that is not due is left alone without
asking; one near nextUpdate is refreshed before it; a revoked answer is
written and reported loudly; directory mode and the reload command, a
failed reload retried by the next run and by the daemon; the daemon keeps
a short-lived staple valid through a bad spell of the responder."""

import datetime
import signal
import subprocess
import time

import pytest

from conftest import BUILDDIR, OCSPKIT_WRAPPER, VALGRIND_EXIT
from ocsp_helpers import ClientPki, PyResponder, now, ocspkit_argv, ocspkit_env, staple_times

MIN = datetime.timedelta(minutes=1)


@pytest.fixture(scope="module")
def cpki(workdir):
    p = ClientPki(workdir / "staple-pki")
    p.add_leaf("good", 0x3001)
    p.add_leaf("other", 0x3002)
    p.add_leaf("second", 0x3003)
    return p


@pytest.fixture
def py(cpki):
    r = PyResponder(cpki)
    yield r
    r.stop()


def staple(ocspkit, cpki, py, out, *extra, leaf="good"):
    return ocspkit("staple", "--cert", cpki.leaves[leaf].path, "--issuer", cpki.ca, "--url", py.url, "--out", out,
                   *extra)


def test_write_fresh_due(ocspkit, cpki, py, tmp_path):
    out = tmp_path / "good.ocsp"
    r = staple(ocspkit, cpki, py, out)
    assert r.rc == 0 and "wrote: good" in r.err and "no usable staple in place" in r.err, r
    assert staple_times(out.read_bytes())[0] == "good"

    # not due: nothing is asked
    n = py.count()
    r = staple(ocspkit, cpki, py, out)
    assert r.rc == 0 and "fresh: good" in r.err and "refresh due at" in r.err, r
    assert py.count() == n

    # ten minutes before nextUpdate (an hour's validity): due, refreshed
    old = cpki.response(cpki.leaves["good"], this_update=now() - 50 * MIN, next_update=now() + 10 * MIN)
    out.write_bytes(old)
    r = staple(ocspkit, cpki, py, out)
    assert r.rc == 0 and "wrote: good" in r.err and "newer than the staple in place" in r.err, r
    assert py.count() == n + 1
    assert staple_times(out.read_bytes())[2] > staple_times(old)[2] + 30 * MIN

    # five minutes into an hour: not due
    young = cpki.response(cpki.leaves["good"], this_update=now() - 5 * MIN, next_update=now() + 55 * MIN)
    out.write_bytes(young)
    r = staple(ocspkit, cpki, py, out)
    assert r.rc == 0 and "fresh" in r.err and out.read_bytes() == young, r
    assert py.count() == n + 1
    # ... unless --share says so
    r = staple(ocspkit, cpki, py, out, "--share", "0.05", "--jitter", "0")
    assert r.rc == 0 and "wrote" in r.err and out.read_bytes() != young, r


# mode: exit code; the staple in place stays usable and good, so only a
# failed refresh turns into 2
KEEP = [
    ("expired", 2, "expired"),
    ("rogue", 2, "invalid"),
    ("unrelated", 2, "about another certificate"),
    ("malformed", 2, "malformed"),
    ("html", 2, "Content-Type is not application/ocsp-response"),
    ("http500", 2, "HTTP status is not 200"),
    ("trylater", 2, "not successful"),
    ("unknown", 2, "says the certificate is unknown"),
    ("older", 0, "not newer than the staple in place"),
]


def test_bad_answers_keep_the_good_staple(ocspkit, cpki, py, tmp_path):
    out = tmp_path / "good.ocsp"
    good = cpki.response(cpki.leaves["good"], this_update=now() - MIN, validity=6 * 3600)
    for mode, rc, says in KEEP:
        out.write_bytes(good)
        py.mode = mode
        r = staple(ocspkit, cpki, py, out, "--force", "--retries", "0")
        assert r.rc == rc, (mode, r)
        assert "kept the staple in place (good" in r.err and says in r.err and "retry at" in r.err, (mode, r)
        assert out.read_bytes() == good, mode
    # the very same response again: nothing to do
    py.mode = "fixed"
    py.fixed = good
    r = staple(ocspkit, cpki, py, out, "--force")
    assert r.rc == 0 and "the staple in place is the same response" in r.err, r
    # the responder is down
    py.stop()
    r = staple(ocspkit, cpki, py, out, "--force", "--retries", "1", "--connect-timeout", "1")
    assert r.rc == 2 and "no answer from" in r.err and "after 2 attempts" in r.err, r
    assert out.read_bytes() == good
    # nothing in place and nothing to get: exit 2, no file
    none = tmp_path / "none.ocsp"
    r = staple(ocspkit, cpki, py, none, "--retries", "0")
    assert r.rc == 2 and "no usable staple" in r.err and not none.exists(), r


def test_revoked_is_written_loudly(ocspkit, cpki, py, tmp_path):
    out = tmp_path / "good.ocsp"
    out.write_bytes(cpki.response(cpki.leaves["good"], this_update=now() - MIN, validity=6 * 3600))
    py.mode = "revoked"
    r = staple(ocspkit, cpki, py, out, "--force")
    assert r.rc == 1, r
    assert "wrote: revoked keyCompromise" in r.err and "REVOKED:" in r.err, r
    assert staple_times(out.read_bytes())[0] == "revoked"
    r = staple(ocspkit, cpki, py, out)  # not due: still reported
    assert r.rc == 1 and "fresh: revoked" in r.err and "REVOKED:" in r.err, r


def test_unusable_staple_is_replaced(ocspkit, cpki, py, tmp_path):
    out = tmp_path / "good.ocsp"
    leaf = cpki.leaves["good"]
    in_place = {
        "expired": cpki.response(leaf, this_update=now() - 180 * MIN,
                                 next_update=now() - MIN),
        "another certificate": cpki.response(leaf, about=cpki.leaves["other"]),
        "garbage": b"<html>",
        "forged": cpki.response(leaf, signer="rogue"),
    }
    for what, der in in_place.items():
        out.write_bytes(der)
        r = staple(ocspkit, cpki, py, out)  # due at once, no --force
        assert r.rc == 0 and "wrote: good" in r.err and "no usable staple in place" in r.err, (what, r)
    # an expired staple and an "unknown" answer: nothing better to write
    out.write_bytes(in_place["expired"])
    py.mode = "unknown"
    r = staple(ocspkit, cpki, py, out)
    assert r.rc == 2 and "no usable staple (the file in place is expired" in r.err, r
    assert out.read_bytes() == in_place["expired"]
    # a delegated responder's answer is fine too
    py.mode = "delegated"
    r = staple(ocspkit, cpki, py, out, "--check")
    assert r.rc == 2 and "not usable: expired" in r.err, r
    r = staple(ocspkit, cpki, py, out)
    assert r.rc == 0 and "wrote: good" in r.err, r
    r = staple(ocspkit, cpki, py, out, "--check")
    assert r.rc == 0 and "fresh: good" in r.err, r


def test_unreadable_staple_is_left_alone(ocspkit, cpki, py, tmp_path):
    # a staple path that cannot be read (here: a directory) is reported,
    # not replaced and not silently skipped
    out = tmp_path / "good.ocsp"
    out.mkdir()
    (out / "keep").write_bytes(b"x")
    n = py.count()
    r = staple(ocspkit, cpki, py, out)
    assert r.rc != 0 and "cannot read the staple in place; left alone" in r.err, r
    assert out.is_dir() and (out / "keep").read_bytes() == b"x"
    assert py.count() == n


def test_directory_mode_and_reload(ocspkit, cpki, py, tmp_path):
    d = tmp_path / "certs"
    d.mkdir()
    (d / "site1.pem").write_bytes(cpki.leaves["good"].bundle.read_bytes() + cpki.leaves["good"].key.read_bytes())
    (d / "site2.crt").write_bytes(cpki.leaves["second"].path.read_bytes())
    (d / "ca.pem").write_bytes(cpki.ca.read_bytes())
    (d / "key.pem").write_bytes(cpki.leaves["second"].key.read_bytes())
    log = tmp_path / "reload.log"
    reload = "echo reloaded >> '%s'" % log
    r = ocspkit("staple", "--dir", d, "--url", py.url, "--reload", reload)
    assert r.rc == 0, r
    assert staple_times((d / "site1.pem.ocsp").read_bytes())[0] == "good"
    assert staple_times((d / "site2.crt.ocsp").read_bytes())[0] == "good"
    assert not (d / "ca.pem.ocsp").exists() and not (d / "key.pem.ocsp").exists()
    assert r.err.count("wrote: good") == 2 and "reload: `" in r.err and "exited with 0" in r.err, r
    assert log.read_text() == "reloaded\n"
    # nothing due: no request, no reload
    n = py.count()
    r = ocspkit("staple", "--dir", d, "--url", py.url, "--reload", reload)
    assert r.rc == 0 and r.err.count("fresh: good") == 2 and py.count() == n, r
    assert log.read_text() == "reloaded\n"
    # a failing reload command is an error
    (d / "site2.crt.ocsp").unlink()
    r = ocspkit("staple", "--dir", d, "--url", py.url, "--reload", "exit 7")
    assert r.rc == 2 and "exited with 7" in r.err, r


def flaky_reload(tmp_path):
    """A reload command that fails (exit 5) the first time and succeeds
    from then on; each run appends a line to the log returned."""
    log, flag = tmp_path / "reload.log", tmp_path / "reloaded-once"
    cmd = "echo run >> '%s'; if [ -e '%s' ]; then exit 0; fi; touch '%s'; exit 5" % (log, flag, flag)
    return cmd, log


def runs(log):
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_failed_reload_is_retried_by_the_next_run(ocspkit, cpki, py, tmp_path):
    """A reload that failed is remembered beside the staple: the next run
    (a timer's) runs it again though no staple changes, and exits 0 once
    it succeeds; --check reports it without running it."""
    out = tmp_path / "good.ocsp"
    state = tmp_path / ".good.ocsp.reload-pending"
    cmd, log = flaky_reload(tmp_path)
    r = staple(ocspkit, cpki, py, out, "--reload", cmd)
    assert r.rc == 2 and "wrote: good" in r.err and "exited with 5" in r.err, r
    assert "reload: failed; pending since" in r.err and str(state) in r.err, r
    assert runs(log) == 1 and state.exists()
    text = state.read_text()
    assert "since " in text and "failures 1\n" in text and "exit 5\n" in text and "echo" not in text, text
    # --check asks nothing and runs nothing, but says so
    n = py.count()
    r = staple(ocspkit, cpki, py, out, "--check", "--reload", cmd)
    assert r.rc == 0 and "reload: pending since" in r.err, r
    assert runs(log) == 1 and state.exists()
    # the next run: the staple is not due, the reload runs again and succeeds
    r = staple(ocspkit, cpki, py, out, "--reload", cmd)
    assert r.rc == 0 and "fresh: good" in r.err, r
    assert "reload: pending since" in r.err and "running it again" in r.err and "exited with 0" in r.err, r
    assert runs(log) == 2 and not state.exists()
    # done: no more reloads while nothing changes
    r = staple(ocspkit, cpki, py, out, "--reload", cmd)
    assert r.rc == 0 and "reload:" not in r.err, r
    assert runs(log) == 2 and py.count() == n


def test_failed_reload_is_retried_by_the_daemon(cpki, py, tmp_path):
    """In --dir --daemon mode the failed reload is retried on a later pass,
    after --retry-min, with nothing else due (--poll is long), and the
    state beside the staples is removed once it succeeds."""
    d = tmp_path / "certs"
    d.mkdir()
    (d / "site.pem").write_bytes(cpki.leaves["good"].bundle.read_bytes())
    state = d / ".ocspkit-staple.reload-pending"
    cmd, log = flaky_reload(tmp_path)
    argv = ocspkit_argv("staple", "--daemon", "--dir", d, "--url", py.url, "--reload", cmd, "--retry-min", "1",
                        "--retry-max", "2", "--poll", "3600")
    proc = subprocess.Popen(argv, cwd=str(BUILDDIR), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=ocspkit_env())
    try:
        end = time.time() + (120 if OCSPKIT_WRAPPER else 30)
        while time.time() < end and (runs(log) < 2 or state.exists()):
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.1)
        time.sleep(1.5)  # time enough for a wrong third run
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            _, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
    err = err.decode()
    assert proc.returncode == 0 and proc.returncode != VALGRIND_EXIT, (proc.returncode, err)
    assert runs(log) == 2 and not state.exists(), err
    assert err.count("wrote: good") == 1 and "exited with 5" in err and "retry at" in err, err
    assert "running it again" in err and "exited with 0" in err, err


def test_daemon_keeps_a_short_staple_fresh(cpki, py, tmp_path):
    """Eight-second responses: the daemon refreshes each about halfway,
    keeps the staple through two expired answers in a row (retrying a
    second later each time), and the file is never stale when sampled."""
    out = tmp_path / "good.ocsp"
    py.validity = 8
    argv = ocspkit_argv("staple", "--daemon", "--cert", cpki.leaves["good"].path, "--issuer", cpki.ca,
                        "--url", py.url, "--out", out, "--retry-min", "1", "--retry-max", "2", "--retries", "0",
                        "--timeout", "2", "--poll", "2")
    proc = subprocess.Popen(argv, cwd=str(BUILDDIR), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=ocspkit_env())
    stale, seen, bad_spell_at = [], [], None
    try:
        end = time.time() + 60
        while time.time() < end:
            if out.exists():
                status, this, nxt = staple_times(out.read_bytes())
                t = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
                if nxt <= t - datetime.timedelta(seconds=1):
                    stale.append((t, nxt))
                if not seen or seen[-1] != this:
                    seen.append(this)
                if len(seen) == 2 and bad_spell_at is None:
                    with py.lock:
                        py.script = ["expired", "expired"]
                    bad_spell_at = len(py.requests)
                if bad_spell_at is not None and len(seen) >= 5:
                    break
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            _, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
    err = err.decode()
    assert proc.returncode == 0, (proc.returncode, err)
    assert proc.returncode != VALGRIND_EXIT
    assert len(seen) >= 5, err
    assert not stale, (stale, err)
    assert err.count("kept the staple in place (good") >= 2 and "expired" in err, err
    assert "daemon: stopping on signal 15" in err
