#!/bin/sh
# The README's example, run on a response OpenSSL's responder produced for
# a demo PKI: it must print the status of both certificates.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$OCSPKIT_SRCDIR/scripts/demo-pki.sh" "$tmp/pki" ec
cd "$tmp/pki"
$OPENSSL ocsp -issuer ca.pem -cert good.pem -cert revoked.pem -reqout req.der -no_nonce 2>/dev/null
$OPENSSL ocsp -index index.txt -CA ca.pem -rsigner responder.pem -rkey responder.key \
	-reqin req.der -respout resp.der -ndays 2 >/dev/null 2>&1
# shellcheck disable=SC2086
out=$($OCSPKIT_WRAPPER "$OCSPKIT_BUILDDIR/tests/codec/readme_example" resp.der)
echo "$out"
echo "$out" | grep -q '^1001: good until 20' || { echo "FAIL: good certificate"; exit 1; }
echo "$out" | grep -q '^1002: revoked until 20' || { echo "FAIL: revoked certificate"; exit 1; }
# and a precise error for a truncated response
head -c 20 resp.der > cut.der
# shellcheck disable=SC2086
if $OCSPKIT_WRAPPER "$OCSPKIT_BUILDDIR/tests/codec/readme_example" cut.der 2> err.txt; then
	echo "FAIL: truncated response accepted"; exit 1
fi
grep -q 'OCSPKIT_E_DER_TRUNCATED at offset 0' err.txt || { cat err.txt; exit 1; }
