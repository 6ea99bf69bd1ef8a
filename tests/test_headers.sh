#!/bin/sh
# The public headers (codec/include/ocspkit/*.h) stand on their own: each
# compiles alone, and none includes or names a type of Nettle, GMP or
# GnuTLS, so that a program linking libocspkit needs none of their
# headers and the library may change what it signs and verifies with.
set -eu
srcdir=${OCSPKIT_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
inc=$srcdir/codec/include/ocspkit
[ -d "$inc" ] || { echo "no $inc" >&2; exit 99; }
status=0

# third-party headers and the types they declare
if grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(nettle/|gmp\.h|gnutls/|hogweed)' "$inc"/*.h; then
	echo "FAIL: a public header includes Nettle, GMP or GnuTLS"
	status=1
fi
if grep -nE '\b(struct[[:space:]]+(rsa_|ecc_|dsa_|nettle_|sha[0-9]*_ctx)|mpz_t|mpz_srcptr|mp_limb_t|gnutls_[a-z0-9_]*_t|nettle_[a-z0-9_]*)\b' \
	"$inc"/*.h; then
	echo "FAIL: a public header names a Nettle, GMP or GnuTLS type"
	status=1
fi

# each compiles alone
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for h in "$inc"/*.h; do
	printf '#include <ocspkit/%s>\n' "$(basename "$h")" > "$tmp/t.c"
	if ! ${CC:-cc} -std=c99 -Wall -Werror -pedantic -I"$srcdir/codec/include" -c "$tmp/t.c" -o "$tmp/t.o"; then
		echo "FAIL: $h does not compile alone"
		status=1
	fi
done
[ $status -eq 0 ] && echo "$(ls "$inc"/*.h | wc -l) public headers: each compiles alone, no third-party type"
exit $status
