#!/usr/bin/env python3
"""The responder under hostile conditions (make bench-hostile; not part of
make check, which has bounded tests of the same behaviours):

  proxy   `serve --upstream` in front of an upstream that accepts
          connections and never answers for uncached serials: how long
          cached hits take while N misses hang upstream (N = 2, 4, 16)
  slow    1,100 connections trickling a request line (one byte every
          3 s) from one address, then spread over ten addresses: how long
          a legitimate client from another address waits for its answer
  flood   200 connections of POST requests with fresh nonces (each needs
          an RSA-2048 signature) while 4 connections GET a cached answer:
          the cached GETs' median, 99th percentile and maximum latency

    bench/hostile.py OCSPKIT [SCENARIO...]     (default: all three; make bench-hostile)

Needs openssl, wrk (flood) and Debian's python3.  Prints one line per
measurement; the figures before and after a change are compared by
running the same script on both builds.
"""

import base64
import os
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import time
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent
OPENSSL = os.environ.get("OPENSSL", "openssl")


def der(tag, content):
    n = len(content)
    if n < 0x80:
        head = bytes([tag, n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        head = bytes([tag, 0x80 | len(b)]) + b
    return head + content


def request_der(name_hash, key_hash, serial, nonce=None):
    """OCSPRequest for one SHA-1 CertID (NULL parameters)."""
    alg = der(0x30, der(0x06, bytes.fromhex("2b0e03021a")) + b"\x05\x00")
    s = serial.to_bytes(max(1, (serial.bit_length() + 8) // 8), "big")
    cid = der(0x30, alg + der(0x04, name_hash) + der(0x04, key_hash) + der(0x02, s))
    reqs = der(0x30, der(0x30, cid))
    if nonce is not None:
        ext = der(0x30, der(0x06, bytes.fromhex("2b0601050507300102")) + der(0x04, der(0x04, nonce)))
        reqs += der(0xA2, der(0x30, ext))
    return der(0x30, der(0x30, reqs))


class Pki:
    def __init__(self, root, alg):
        self.root = Path(root)
        subprocess.run(["sh", str(TOP / "scripts" / "demo-pki.sh"), str(self.root), alg], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # the CertID hashes, as openssl computes them for the good certificate
        out = subprocess.run([OPENSSL, "ocsp", "-issuer", str(self.root / "ca.pem"), "-cert",
                              str(self.root / "good.pem"), "-no_nonce", "-req_text"],
                             check=True, stdout=subprocess.PIPE, text=True).stdout
        self.name_hash = bytes.fromhex(re.search(r"Issuer Name Hash: ([0-9A-F]+)", out).group(1))
        self.key_hash = bytes.fromhex(re.search(r"Issuer Key Hash: ([0-9A-F]+)", out).group(1))
        self.good = int(re.search(r"Serial Number: ([0-9A-F]+)", out).group(1), 16)

    def signer(self):
        r = self.root
        return ["--index", r / "index.txt", "--CA", r / "ca.pem", "--rsigner", r / "responder.pem",
                "--rkey", r / "responder.key"]

    def get_path(self, serial):
        return "/" + base64.b64encode(request_der(self.name_hash, self.key_hash, serial)).decode()


class Serve:
    def __init__(self, ocspkit, args, log):
        self.log = open(log, "w+b")
        self.p = subprocess.Popen([ocspkit, "serve", "--port", "0", "--access-log", "none"] + [str(a) for a in args],
                                  stdout=subprocess.DEVNULL, stderr=self.log)
        for _ in range(200):
            self.log.seek(0)
            m = re.search(rb"listening on http://([^ ]+):(\d+)/", self.log.read())
            if m:
                self.port = int(m.group(2))
                return
            time.sleep(0.05)
        raise RuntimeError("ocspkit serve did not start: " + open(log).read())

    def stop(self):
        self.p.terminate()
        try:
            self.p.wait(20)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")


def http_get(port, path, src="127.0.0.1", timeout=30):
    """One GET on a new connection from src; (seconds, status line)."""
    t0 = time.monotonic()
    s = socket.socket()
    s.settimeout(timeout)
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    s.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path).encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return time.monotonic() - t0, data.split(b"\r\n", 1)[0].decode(errors="replace")


def quietly(fn, *args):
    try:
        fn(*args)
    except OSError:
        pass


def stats(xs):
    xs = sorted(xs)
    return "median %.1f ms, max %.1f ms" % (xs[len(xs) // 2] * 1000, xs[-1] * 1000)


# ---------------------------------------------------------------- proxy

class HangingUpstream(threading.Thread):
    """Relays the request for one path to a real responder; holds every
    other connection open without answering."""

    def __init__(self, real_port, warm_path):
        super().__init__(daemon=True)
        self.real_port, self.warm_path = real_port, warm_path
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(256)
        self.port = self.sock.getsockname()[1]
        self.held = []

    def run(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.one, args=(c,), daemon=True).start()

    def one(self, c):
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = c.recv(65536)
            if not chunk:
                return
            head += chunk
        line = head.split(b"\r\n", 1)[0].decode()
        path = urllib.parse.unquote(line.split(" ")[1])
        if path.endswith(self.warm_path[1:]):
            s = socket.create_connection(("127.0.0.1", self.real_port))
            s.sendall(head)
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                c.sendall(chunk)
            s.close()
            c.close()
        else:
            self.held.append(c)  # never answered


def scenario_proxy(ocspkit, work):
    pki = Pki(work / "pki-proxy", "ec")
    real = Serve(ocspkit, pki.signer(), work / "real.log")
    warm = pki.get_path(pki.good)
    up = HangingUpstream(real.port, warm)
    up.start()
    proxy = Serve(ocspkit, ["--CA", pki.root / "ca.pem", "--upstream", "http://127.0.0.1:%d/" % up.port,
                            "--upstream-timeout", "5"], work / "proxy.log")
    try:
        t, st = http_get(proxy.port, warm)
        print("proxy: first (warming) GET %.1f ms: %s" % (t * 1000, st))
        for n in (2, 4, 16):
            threads = []
            for _ in range(n):
                serial = random.getrandbits(64) | 1 << 63
                th = threading.Thread(target=quietly, args=(http_get, proxy.port, pki.get_path(serial)), daemon=True)
                th.start()
                threads.append(th)
            time.sleep(0.3)
            lat = []
            for _ in range(10):
                t, st = http_get(proxy.port, warm)
                lat.append(t)
            print("proxy: %2d misses hanging upstream: 10 cached hits: %s (%s)" % (n, stats(lat), st))
            for th in threads:
                th.join(30)
    finally:
        proxy.stop()
        real.stop()
        up.sock.close()


# ---------------------------------------------------------------- slow

def trickle(port, sources, count, seconds):
    """count connections spread over sources, each sending "GET /" and then
    one byte every 3 s for seconds.  Returns how many connected."""
    socks = []
    for i in range(count):
        s = socket.socket()
        s.setblocking(False)
        s.bind((sources[i % len(sources)], 0))
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        socks.append(s)
    time.sleep(0.5)
    alive = []
    for s in socks:
        try:
            s.send(b"GET /")
            alive.append(s)
        except OSError:
            s.close()
    return alive


def scenario_slow(ocspkit, work):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    pki = Pki(work / "pki-slow", "ec")
    path = pki.get_path(pki.good)
    for label, sources in (("one address", ["127.0.0.2"]),
                           ("ten addresses", ["127.0.0.%d" % i for i in range(2, 12)])):
        srv = Serve(ocspkit, pki.signer(), work / "slow.log")
        try:
            http_get(srv.port, path)
            socks = trickle(srv.port, sources, 1100, 30)
            lat, failures = [], 0
            t_end = time.monotonic() + 20
            while time.monotonic() < t_end:
                for s in list(socks):
                    try:
                        s.send(b"x")
                    except OSError:
                        socks.remove(s)
                        s.close()
                try:
                    t, st = http_get(srv.port, path, timeout=10)
                    if not st.endswith("200 OK"):
                        failures += 1
                    lat.append(t)
                except OSError:
                    failures += 1
                    lat.append(10.0)
                time.sleep(1.0)
            print("slow: 1100 trickling connections from %s (%d still open at the end): legitimate GET every "
                  "second for 20 s: %s, %d failed" % (label, len(socks), stats(lat), failures))
            for s in socks:
                s.close()
        finally:
            srv.stop()


# ---------------------------------------------------------------- flood

FLOOD_LUA = r'''
local f = assert(io.open(os.getenv("OCSP_BODY"), "rb"))
local body = f:read("*a")
f:close()
local prefix = body:sub(1, #body - 16)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/ocsp-request"
local bytes = {}
function setup(thread)
	math.randomseed(os.time() + tonumber(tostring(thread):match("0x(%x+)") or "0", 16) % 100000)
end
request = function()
	for i = 1, 16 do
		bytes[i] = string.char(math.random(0, 255))
	end
	return wrk.format(nil, nil, nil, prefix .. table.concat(bytes))
end
'''


def wrk_latency(out):
    def ms(v, u):
        return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[u]
    m = re.search(r"Latency\s+([\d.]+)(us|ms|s|m)\s+([\d.]+)(us|ms|s|m)\s+([\d.]+)(us|ms|s|m)", out)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s|m)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s|m)", out)
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return (ms(*p50.groups()), ms(*p99.groups()), ms(m.group(5), m.group(6)), float(rps.group(1)))


def scenario_flood(ocspkit, work):
    if not shutil.which("wrk"):
        print("flood: skipped, wrk is needed (Debian: apt-get install wrk)")
        return
    pki = Pki(work / "pki-flood", "rsa")
    body = work / "nonce.der"
    body.write_bytes(request_der(pki.name_hash, pki.key_hash, pki.good, nonce=bytes(16)))
    lua = work / "flood.lua"
    lua.write_text(FLOOD_LUA)
    srv = Serve(ocspkit, pki.signer() + ["--nmin", "60"] + os.environ.get("BENCH_SERVE_ARGS", "").split(), work / "flood.log")
    url = "http://127.0.0.1:%d" % srv.port
    try:
        http_get(srv.port, pki.get_path(pki.good))
        quiet = subprocess.run(["wrk", "-t1", "-c4", "-d5s", "--latency", url + pki.get_path(pki.good)],
                               stdout=subprocess.PIPE, text=True).stdout
        p50, p99, mx, rps = wrk_latency(quiet)
        print("flood: cached GETs alone (4 connections): median %.2f ms, p99 %.2f ms, max %.2f ms, %.0f req/s" %
              (p50, p99, mx, rps))
        alone = subprocess.run(["wrk", "-t1", "-c200", "-d5s", "--timeout", "10s", "--latency", "-s", str(lua),
                                url + "/"], env=dict(os.environ, OCSP_BODY=str(body)), stdout=subprocess.PIPE,
                               text=True).stdout
        f50, f99, fmx, frps = wrk_latency(alone)
        print("flood: the nonce flood alone (200 connections): %.0f answers/s, median %.1f ms, max %.1f ms" %
              (frps, f50, fmx))
        flood = subprocess.Popen(["wrk", "-t1", "-c200", "-d14s", "--timeout", "10s", "--latency", "-s", str(lua), url + "/"],
                                 env=dict(os.environ, OCSP_BODY=str(body)), stdout=subprocess.PIPE, text=True)
        time.sleep(2)
        loaded = subprocess.run(["wrk", "-t1", "-c4", "-d10s", "--timeout", "10s", "--latency",
                                 url + pki.get_path(pki.good)], stdout=subprocess.PIPE, text=True).stdout
        fout = flood.communicate()[0]
        p50, p99, mx, rps = wrk_latency(loaded)
        f50, f99, fmx, frps = wrk_latency(fout)
        print("flood: cached GETs (4 connections) during a 200-connection RSA-2048 nonce flood: median %.2f ms, "
              "p99 %.2f ms, max %.2f ms, %.0f req/s" % (p50, p99, mx, rps))
        print("flood: the nonce flood itself: %.0f answers/s, median %.1f ms, max %.1f ms" % (frps, f50, fmx))
    finally:
        log = srv.stop()
        m = re.search(r"stopped after .*", log)
        if m:
            print("flood: " + m.group(0))


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    ocspkit = os.path.abspath(sys.argv[1])
    names = sys.argv[2:] or ["proxy", "slow", "flood"]
    with tempfile.TemporaryDirectory(prefix="ocspkit-hostile.") as d:
        for name in names:
            sub = Path(d) / name
            sub.mkdir()
            {"proxy": scenario_proxy, "slow": scenario_slow, "flood": scenario_flood}[name](ocspkit, sub)


if __name__ == "__main__":
    main()
