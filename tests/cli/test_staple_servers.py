"""Staples from `ocspkit staple` (fed by `openssl ocsp` as the responder)
served by real TLS servers on loopback:

  - nginx, `ssl_stapling on; ssl_stapling_file`: `openssl s_client -status`
    sees "Cert Status: good"; after the certificate is revoked in the index,
    a refresh with --reload (SIGHUP to nginx) makes it "revoked";
  - HAProxy, which takes the staple from CERT.ocsp beside `crt CERT`
    (ocspkit staple's default --out): `openssl s_client -status` sees
    "good", and after revocation, a refresh whose --reload reloads the
    master-worker (SIGUSR2) makes it "revoked";
  - gnutls-serv --ocsp-response with a must-staple certificate (TLS Feature
    status_request): `gnutls-cli --ocsp` accepts the handshake and receives
    exactly the staple's bytes; without the staple it refuses, and with a
    revoked staple it refuses too.
"""

import shutil
import signal
import subprocess
import time

import pytest

from ocsp_helpers import ClientPki, OpensslResponder, free_port, staple_times, wait_port

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if shutil.os.path.exists("/usr/sbin/nginx") else None)
HAPROXY = shutil.which("haproxy") or ("/usr/sbin/haproxy" if shutil.os.path.exists("/usr/sbin/haproxy") else None)
GNUTLS_SERV = shutil.which("gnutls-serv")
GNUTLS_CLI = shutil.which("gnutls-cli")


@pytest.fixture(scope="module")
def cpki(workdir):
    p = ClientPki(workdir / "servers-pki")
    p.add_leaf("www", 0x4001)
    p.add_leaf("muststaple", 0x4002, must_staple=True)
    p.add_leaf("haproxy", 0x4003)
    return p


def make_staple(ocspkit, cpki, leaf, out, *extra, cert=None):
    """One ocspkit staple run against a fresh `openssl ocsp` (out None:
    the default name, CERT.ocsp)."""
    srv = OpensslResponder(cpki, nrequest=1)
    try:
        return ocspkit("staple", "--cert", cert or cpki.leaves[leaf].bundle, "--url", srv.url,
                       *(["--out", out] if out else []), *extra)
    finally:
        srv.stop()


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def s_client_status(openssl, cpki, port):
    r = openssl("s_client", "-connect", "127.0.0.1:%d" % port, "-status", "-CAfile", cpki.ca, input=b"",
                check=False)
    return r.out


def wait_status(openssl, cpki, port, want, seconds=15):
    """s_client -status until it shows Cert Status: want (or time runs out)."""
    end = time.time() + seconds
    while True:
        out = s_client_status(openssl, cpki, port)
        if "Cert Status: " + want in out or time.time() > end:
            return out
        time.sleep(0.3)


def revoke_and_refresh(ocspkit, openssl, cpki, leaf, staple, port, reload, cert=None):
    """Revokes leaf in the index, refreshes its staple with --reload, and
    waits for the server on port to staple "revoked"."""
    cpki.revoke(leaf)
    r = make_staple(ocspkit, cpki, leaf, None if cert else staple, "--force", "--reload", reload, cert=cert)
    assert r.rc == 1 and "REVOKED:" in r.err and "exited with 0" in r.err, r
    assert staple_times(staple.read_bytes())[0] == "revoked"
    out = wait_status(openssl, cpki, port, "revoked")
    assert "Cert Status: revoked" in out and "Revocation Reason: keyCompromise" in out, out


@pytest.mark.skipif(not NGINX, reason="nginx not installed")
def test_nginx_ssl_stapling_file(ocspkit, openssl, cpki, tmp_path):
    staple = tmp_path / "www.ocsp"
    r = make_staple(ocspkit, cpki, "www", staple)
    assert r.rc == 0 and "wrote: good" in r.err, r

    prefix = tmp_path / "nginx"
    (prefix / "tmp").mkdir(parents=True)
    prefix.chmod(0o755)
    port = free_port()
    conf = prefix / "nginx.conf"
    conf.write_text("""daemon off;
master_process on;
worker_processes 1;
pid {p}/nginx.pid;
error_log {p}/error.log info;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {p}/tmp; proxy_temp_path {p}/tmp; fastcgi_temp_path {p}/tmp;
  uwsgi_temp_path {p}/tmp; scgi_temp_path {p}/tmp;
  server {{
    listen 127.0.0.1:{port} ssl;
    ssl_certificate {cert};
    ssl_certificate_key {key};
    ssl_stapling on;
    ssl_stapling_file {staple};
    location / {{ return 200 "ok\\n"; }}
  }}
}}
""".format(p=prefix, port=port, cert=cpki.leaves["www"].bundle, key=cpki.leaves["www"].key, staple=staple))
    nginx = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_port(port, proc=nginx)
        out = s_client_status(openssl, cpki, port)
        assert "OCSP Response Status: successful" in out and "Cert Status: good" in out, out

        revoke_and_refresh(ocspkit, openssl, cpki, "www", staple, port, "kill -HUP %d" % nginx.pid)
    finally:
        stop(nginx)


@pytest.mark.skipif(not HAPROXY, reason="haproxy not installed")
def test_haproxy_ocsp_beside_certificate(ocspkit, openssl, cpki, tmp_path):
    leaf = cpki.leaves["haproxy"]
    # HAProxy's layout: crt www.pem (certificate and chain), www.pem.key,
    # and the staple as www.pem.ocsp, which is ocspkit staple's default
    crt = tmp_path / "www.pem"
    shutil.copy(leaf.bundle, crt)
    shutil.copy(leaf.key, str(crt) + ".key")
    r = make_staple(ocspkit, cpki, "haproxy", None, cert=crt)
    staple = tmp_path / "www.pem.ocsp"
    assert r.rc == 0 and "wrote: good" in r.err and staple.exists(), r

    port = free_port()
    conf = tmp_path / "haproxy.cfg"
    conf.write_text("""global
  pidfile {d}/haproxy.pid
defaults
  mode http
  timeout connect 5s
  timeout client 5s
  timeout server 5s
frontend tls
  bind 127.0.0.1:{port} ssl crt {crt}
  http-request return status 200 content-type text/plain string ok
""".format(d=tmp_path, port=port, crt=crt))
    proc = subprocess.Popen([HAPROXY, "-W", "-db", "-f", str(conf)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        wait_port(port, proc=proc)
        out = wait_status(openssl, cpki, port, "good")
        assert "OCSP Response Status: successful" in out and "Cert Status: good" in out, out

        revoke_and_refresh(ocspkit, openssl, cpki, "haproxy", staple, port, "kill -USR2 %d" % proc.pid,
                           cert=crt)
    finally:
        stop(proc)


def gnutls_serv(cpki, staple=None, *extra):
    """gnutls-serv on a free port: (process, port).  The port free_port saw
    may be taken by an outgoing connection before gnutls-serv binds it;
    gnutls-serv then listens on IPv6 only, so another port is tried."""
    for attempt in range(3):
        port = free_port()
        argv = [GNUTLS_SERV, "--echo", "--port", str(port), "--x509certfile",
                str(cpki.leaves["muststaple"].bundle), "--x509keyfile", str(cpki.leaves["muststaple"].key), *extra]
        if staple:
            argv += ["--ocsp-response", str(staple)]
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_port(port, proc=proc)
            return proc, port
        except BaseException:
            stop(proc)  # not left listening after the test
            if attempt == 2:
                raise


def gnutls_cli(cpki, port, *extra):
    proc = subprocess.run([GNUTLS_CLI, "--ocsp", "--x509cafile", str(cpki.ca), "--port", str(port), *extra,
                           "127.0.0.1"], input=b"", stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


@pytest.mark.skipif(not (GNUTLS_SERV and GNUTLS_CLI), reason="gnutls-serv/gnutls-cli not installed")
def test_gnutls_must_staple(ocspkit, cpki, tmp_path):
    staple = tmp_path / "muststaple.ocsp"
    r = make_staple(ocspkit, cpki, "muststaple", staple)
    assert r.rc == 0 and "wrote: good" in r.err, r

    serv, port = gnutls_serv(cpki, staple)
    try:
        saved = tmp_path / "received.der"
        rc, out = gnutls_cli(cpki, port, "--save-ocsp", str(saved))
        assert rc == 0 and "The certificate is trusted" in out, out
        assert saved.read_bytes() == staple.read_bytes()
    finally:
        stop(serv)

    # the same server without a staple: a must-staple certificate is refused
    serv, port = gnutls_serv(cpki)
    try:
        rc, out = gnutls_cli(cpki, port)
        assert rc != 0 and "OCSP status is missing" in out, out
    finally:
        stop(serv)

    # revoked: the staple says so (gnutls-serv, which checks what it
    # staples, has to be told to send it anyway), the client refuses
    cpki.revoke("muststaple")
    r = make_staple(ocspkit, cpki, "muststaple", staple, "--force")
    assert r.rc == 1 and "REVOKED:" in r.err, r
    serv, port = gnutls_serv(cpki, staple, "--ignore-ocsp-response-errors")
    try:
        rc, out = gnutls_cli(cpki, port)
        assert rc != 0 and "revoked via OCSP" in out, out
    finally:
        stop(serv)
