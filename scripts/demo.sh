#!/bin/sh
# The main job, from a fresh Debian 12 machine: installs what is missing
# (as root), builds ocspkit, creates a demo PKI with `openssl ca`, and shows
# ocspkit at work on it:
#   - `ocspkit request` builds an OCSP request for the demo certificates,
#     and both ocspkit and `openssl ocsp -req_text` print it;
#   - OpenSSL's own test responder answers it, and `ocspkit print` shows
#     the answer (good and revoked) as text and as JSON.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build=${BUILD_ROOT:-$top/build}/normal
demo=${BUILD_ROOT:-$top/build}/demo
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}

./bootstrap --no-configure >/dev/null
if [ -f config.status ]; then make distclean >/dev/null 2>&1 || true; fi
mkdir -p "$build"
if [ ! -f "$build/Makefile" ]; then (cd "$build" && "$top/configure" -q); fi
make -C "$build" -s -j"$jobs" >/dev/null
ocspkit="$build/tools/ocspkit"

rm -rf "$demo"
"$top/scripts/demo-pki.sh" "$demo"
cd "$demo"
echo "== demo PKI in $demo (index.txt as openssl ca wrote it):"
cat index.txt

echo
echo "== ocspkit request --issuer ca.pem --cert good.pem --cert revoked.pem --out request.der"
"$ocspkit" request --issuer ca.pem --cert good.pem --cert revoked.pem --out request.der
"$ocspkit" print request.der
echo "== the same request as openssl ocsp -req_text reads it:"
openssl ocsp -reqin request.der -req_text | sed -n '/Requestor List/,$p'

echo
echo "== answered by openssl ocsp -index (delegated responder), printed by ocspkit:"
openssl ocsp -index index.txt -CA ca.pem -rsigner responder.pem -rkey responder.key \
	-reqin request.der -respout response.der -ndays 1 >/dev/null 2>&1
"$ocspkit" print response.der | sed -n '1,/Response Extensions\|Signature Algorithm/p'
"$ocspkit" print --json response.der
