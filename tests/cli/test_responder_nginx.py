"""ocspkit's responder behind a real HTTP cache, and its pre-signed files
served by a static web server: nginx, started here as a foreground process
with its own prefix and configuration.

  - proxy_cache in front of `ocspkit serve`: a repeated GET is answered by
    nginx from its cache (X-Cache-Status from $upstream_cache_status),
    byte-identical, and the responder's access log shows one request only;
    the path reaches the responder as sent ('+', "//", %2F); 304 from the
    cache; POSTs and nonces pass through;
  - `ocspkit presign` files under nginx `root`, with the server block the
    README documents (read from README.md): RFC 5019 GETs are served from
    the files with Last-Modified = thisUpdate and Expires = nextUpdate, the
    rest (POST, serials without a file) goes to the responder; every base64
    shape is test_presign_nginx.py's.
"""

import os
import time

import pytest

from conftest import OPENSSL
from responder_helpers import (NGINX, DemoPki, Nginx, Server, b64, cert_id, curl, http, ocsp_request,
                               openssl_ocsp, presign_file, readme_static_conf)
from test_responder import odd_request, response_parts

pytestmark = [pytest.mark.skipif(not NGINX, reason="nginx not installed"),
              pytest.mark.skipif(not OPENSSL, reason="openssl not found")]


@pytest.fixture(scope="module")
def demo(workdir):
    return DemoPki(workdir / "ngx-demo")


@pytest.fixture(scope="module")
def responder(workdir, demo):
    s = Server(workdir / "ngx-serve", demo.serve_args() + ["--nmin", "60"])
    yield s
    s.stop()


PROXY_CONF = """
  proxy_cache_path %(prefix)s/cache levels=1:2 keys_zone=ocsp:1m max_size=16m inactive=1h use_temp_path=off;
  server {
    listen 127.0.0.1:@PORT@;
    location / {
      # no URI part: the request line goes upstream as received ('+', '//', %%2F)
      proxy_pass http://127.0.0.1:%(upstream)d;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache ocsp;
      proxy_cache_methods GET HEAD;
      proxy_cache_lock on;
      add_header X-Cache-Status $upstream_cache_status always;
    }
  }
"""


def headers_and_body(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode(errors="replace").split("\r\n")
    h = {}
    for l in lines[1:]:
        k, _, v = l.partition(":")
        k = k.strip().lower()
        h[k] = h[k] + ", " + v.strip() if k in h else v.strip()
    return int(lines[0].split()[1]), h, body


def get(url, *extra):
    rc, out, err = curl("-i", *extra, url)
    return headers_and_body(out)


def responder_hits(responder, fragment, at_least=0):
    """Access-log lines with fragment; waits (bounded) for at_least of them,
    since the responder logs a request after answering it."""
    deadline = time.time() + 30
    while True:
        hits = [l for l in responder.log_lines() if fragment in l]
        if len(hits) >= at_least or time.time() > deadline:
            return hits
        time.sleep(0.05)


def test_proxy_cache(workdir, demo, responder):
    ngx = Nginx(workdir, PROXY_CONF % {"prefix": workdir / "nginx-proxy", "upstream": responder.port},
                name="nginx-proxy")
    try:
        serial, der = odd_request(demo)
        std = b64(der)
        for path in (std, b64(ocsp_request([cert_id(demo, 0x1002)])),
                     std.replace("/", "%2F").replace("+", "%2B").replace("=", "%3D")):
            before = len(responder_hits(responder, "\"GET /" + path + "\""))
            s1, h1, b1 = get(ngx.url + path)
            s2, h2, b2 = get(ngx.url + path)
            assert s1 == 200 and h1["x-cache-status"] == "MISS", h1
            assert s2 == 200 and h2["x-cache-status"] == "HIT", h2
            assert b1 == b2 and response_parts(b1)[0] == 0
            if path == std:
                assert response_parts(b1)[1] == [("unknown", serial)]
            assert h2["etag"] == h1["etag"] and h2["cache-control"].startswith("max-age=")
            # one request reached the responder, with the path as sent
            hits = responder_hits(responder, "\"GET /" + path + "\"", before + 1)
            assert len(hits) == before + 1, hits
            # a conditional request is answered by the cache
            s3, h3, b3 = get(ngx.url + path, "-H", "If-None-Match: " + h1["etag"])
            assert s3 == 304 and b3 == b"" and h3["x-cache-status"] == "HIT", h3
            assert len(responder_hits(responder, "\"GET /" + path + "\"")) == before + 1
        # the '//' request reached the responder unchanged
        assert responder_hits(responder, "\"GET /" + std + "\"")
        # POST (with and without nonce) passes through, and is not cached
        for nonce in (None, b"proxy nonce"):
            der = ocsp_request([cert_id(demo, 0x1001)], nonce=nonce)
            for _ in range(2):
                st, h, body = http(ngx.port, "POST", "/", der, {"Content-Type": "application/ocsp-request"})
                assert st == 200 and h.get("x-cache-status", "") != "HIT", h
                assert response_parts(body)[1] == [("good", 0x1001)]
        # openssl ocsp through the cache verifies
        rc, out = openssl_ocsp("-issuer", demo.ca, "-cert", demo.good, "-url", ngx.url, "-CAfile", demo.ca)
        assert rc == 0 and "Response verify OK" in out and ": good" in out, out
    finally:
        ngx.stop()


def test_static_presigned(ocspkit, workdir, demo, responder):
    root = workdir / "ngx-presigned"
    r = ocspkit("presign", *demo.serve_args(), "--ndays", "1", root)
    assert r.rc == 0, r
    ngx = Nginx(workdir, readme_static_conf(root, responder.port), name="nginx-static")
    try:
        names = [b64(ocsp_request([cert_id(demo, s, h, null)])) for s in (0x1001, 0x1002)
                 for h in ("sha1", "sha256") for null in (True, False)]
        assert any("/" in n for n in names) and any("+" in n for n in names)
        before = len(responder.log_lines())
        for name in names:
            for path in (name, name.replace("/", "%2F").replace("+", "%2B").replace("=", "%3D")):
                st, h, body = get(ngx.url + path)
                assert st == 200, (path, st)
                assert body == (root / presign_file(name)).read_bytes()
                assert h["content-type"] == "application/ocsp-response"
                mtime = os.stat(root / presign_file(name)).st_mtime
                assert h["last-modified"] == time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(mtime))
                assert h["expires"] == time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(mtime + 86400))
                assert "max-age=" in h["cache-control"]
        # nothing of that reached the responder
        assert len(responder.log_lines()) == before
        f = workdir / "ngx-static.der"
        f.write_bytes(get(ngx.url + names[0])[2])
        rc, out = openssl_ocsp("-respin", f, "-issuer", demo.ca, "-cert", demo.good, "-CAfile", demo.ca)
        assert rc == 0 and "Response verify OK" in out and ": good" in out, out
        # no file for this serial: the responder answers
        st, h, body = get(ngx.url + b64(ocsp_request([cert_id(demo, 0xDEAD)])))
        assert st == 200 and response_parts(body)[1] == [("unknown", 0xDEAD)]
        # POST (openssl ocsp's way): the responder answers
        rc, out = openssl_ocsp("-issuer", demo.ca, "-cert", demo.revoked, "-url", ngx.url, "-CAfile", demo.ca)
        assert rc == 0 and "Response verify OK" in out and ": revoked" in out, out
        assert len(responder.wait_log(before + 2)) >= before + 2  # (the log line follows the answer)
    finally:
        ngx.stop()
