#!/bin/sh
# The main job, from a fresh Debian 12 machine: installs what is missing
# (as root), builds ocspkit, creates a demo PKI with `openssl ca` (a root
# CA, a delegated OCSP responder, a good and a revoked certificate, and the
# CA's index.txt), and shows ocspkit's responder at work on it:
#   - `ocspkit serve` answers for the CA on loopback (any free port);
#   - `openssl ocsp -url ... -CAfile ca.pem` asks about both certificates
#     and verifies the answers, which are printed;
#   - a GET, twice, shows the HTTP caching headers, and the responder's
#     log shows that the second one was answered from its pre-signed cache
#     (the nonce answers of openssl ocsp are signed each time);
#   - the responder is stopped (SIGTERM) and says what it did.
# Exits non-zero if any answer does not verify or is not the expected one.
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
echo "== ocspkit serve --index index.txt --CA ca.pem --rsigner responder.pem --rkey responder.key --port 0"
"$ocspkit" serve --index index.txt --CA ca.pem --rsigner responder.pem --rkey responder.key \
	--port 0 --ndays 1 --access-log access.log 2>serve.log &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT INT TERM
url=
for _ in $(seq 1 100); do
	url=$(sed -n 's|.*listening on \(http://[^ ]*\) .*|\1|p' serve.log)
	[ -n "$url" ] && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$url" ]; then
	cat serve.log >&2
	echo "demo: the responder did not start" >&2
	exit 1
fi
sed 's/^/   /' serve.log

status=0
for cert in good revoked; do
	echo
	echo "== openssl ocsp -issuer ca.pem -cert $cert.pem -url $url -CAfile ca.pem"
	openssl ocsp -issuer ca.pem -cert "$cert.pem" -url "$url" -CAfile ca.pem -resp_text \
		>"$cert.text" 2>"$cert.verify" || status=1
	sed -n '/Responder Id/p;/Cert Status/,/Next Update/p' "$cert.text"
	cat "$cert.verify"
	sed -n '/^'"$cert"'\.pem:/,$p' "$cert.text"
	grep -q "^Response verify OK" "$cert.verify" || status=1
	want=good
	[ "$cert" = revoked ] && want=revoked
	grep -q "^$cert.pem: $want" "$cert.text" || status=1
done

echo
echo "== the same question as an RFC 5019 GET, twice: cacheable, and signed only once"
"$ocspkit" request --issuer ca.pem --cert good.pem --no-nonce --out get.der
get="$url$(base64 -w0 get.der)"
curl -s -D - -o get-answer.der "$get" | grep -iE '^(HTTP|Cache-Control|Last-Modified|Expires|ETag)'
curl -s -o get-again.der "$get"
cmp -s get-answer.der get-again.der || status=1

echo
echo "== stopping the responder (SIGTERM); its access log:"
kill -TERM "$pid"
wait "$pid" || status=1
trap - EXIT INT TERM
sed 's/^/   /' access.log
tail -n 1 serve.log | sed 's/^/   /'
if [ "$status" != 0 ]; then
	echo "demo: an answer did not verify or was not the expected one" >&2
	exit 1
fi
echo
echo "demo: both answers verified (good.pem: good, revoked.pem: revoked)"
