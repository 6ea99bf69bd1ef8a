#!/bin/sh
# The public headers (codec/include/ocspkit/*.h) stand on their own: each
# compiles alone, and none includes or names a type of Nettle, GMP or
# GnuTLS, so that a program linking libocspkit needs none of their
# headers and the library may change what it signs and verifies with.
# And every function they declare is documented, its name first.
set -eu
srcdir=${OCSPKIT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
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

# every declared function has a comment in BoringSSL's manner: the
# comment right above a declaration (or a group of declarations without a
# blank line between them) starts with the name of the first and names
# every one
for h in "$inc"/*.h; do
	awk -v file="$(basename "$h")" '
		function flush() { comment = ""; first = 1 }
		BEGIN { flush(); bad = 0 }
		/^[[:space:]]*\/\*/ && !in_c {
			if (!after_decl) comment = ""
			in_c = 1
		}
		in_c {
			comment = comment " " $0
			if ($0 ~ /\*\//) { in_c = 0; first = 1; after_decl = 0 }
			next
		}
		/^[[:space:]]*$/ { flush(); after_decl = 0; next }
		/^#/ { next }
		{
			line = $0
			while (match(line, /ocspkit_[a-z0-9_]+\(/)) {
				name = substr(line, RSTART, RLENGTH - 1)
				line = substr(line, RSTART + RLENGTH)
				c = comment
				sub(/^[[:space:]]*\/\*[[:space:]]*/, "", c)
				if (comment == "") {
					printf "%s: %s has no comment\n", file, name; bad = 1
				} else if (first && index(c, name " ") != 1 && index(c, name ",") != 1 && index(c, name "\n") != 1) {
					printf "%s: the comment above %s does not start with its name\n", file, name; bad = 1
				} else if (index(comment, name) == 0) {
					printf "%s: the comment above %s does not name it\n", file, name; bad = 1
				}
				first = 0
				after_decl = 1
			}
		}
		END { exit bad }' "$h" || status=1
done
[ $status -eq 0 ] && echo "every public function has its comment, name first"

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
