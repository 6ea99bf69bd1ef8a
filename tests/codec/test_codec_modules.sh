#!/bin/sh
# The modules depend on each other without circles.  A module is a .c and
# the .h that declares what it offers (docs/internals/).  Two graphs:
#   - includes: the #include "x.h" lines of codec/*.c and *.h (an include
#     is a dependency on module x), and every module's .c includes its own
#     .h, where the compiler checks one against the other;
#   - calls: the objects of codec/, responder/ and client/ as built (nm:
#     a module that uses a symbol another defines depends on it), which
#     also sees calls through the public headers.  Skipped for a directory
#     whose objects are not built.
# OCSPKIT_BUILDDIR (make check sets it) is where the objects are.
set -eu
srcdir=${OCSPKIT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${OCSPKIT_BUILDDIR:-.}
codec=$srcdir/codec
[ -d "$codec" ] || { echo "no $codec" >&2; exit 99; }

# Reads "from to" edges on stdin; prints each circle and fails if any,
# else prints "$1: N modules, no circles".
no_circles() {
	sort -u | awk -v what="$1" '
	{ out[$1] = out[$1] " " $2; node[$1] = 1; node[$2] = 1 }
	function visit(n,    parts, k, i, j, s, cyc) {
		state[n] = 1
		stack[++depth] = n
		k = split(out[n], parts, " ")
		for (i = 1; i <= k; i++) {
			if (state[parts[i]] == 1) {
				cyc = parts[i]
				for (j = depth; j > 0 && stack[j] != parts[i]; j--)
					cyc = stack[j] " -> " cyc
				print "circle: " parts[i] " -> " cyc
				bad = 1
			} else if (!state[parts[i]]) {
				visit(parts[i])
			}
		}
		depth--
		state[n] = 2
	}
	END {
		for (n in node)
			if (!state[n])
				visit(n)
		for (n in node)
			count++
		if (!bad)
			print what ": " count " modules, no circles"
		exit bad
	}'
}

status=0
for c in "$codec"/*.c; do
	m=$(basename "$c" .c)
	if [ -f "$codec/$m.h" ] && ! grep -q "^#include \"$m.h\"" "$c"; then
		echo "codec/$m.c does not include its own $m.h"
		status=1
	fi
done

for f in "$codec"/*.c "$codec"/*.h; do
	m=$(basename "$f")
	m=${m%.*}
	sed -n 's/^#include "\([^"/]*\)\.h".*/\1/p' "$f" | while read -r h; do
		[ "$h" = "$m" ] || echo "$m $h"
	done
done | no_circles "codec includes" || status=1

# Calls: "module symbol" for what each object defines (D) and uses (U),
# joined on the symbol.  Objects are named by libtool LIB_la-MODULE.o.
for dir in codec responder client; do
	objs=$(ls "$builddir/$dir"/.libs/lib*_la-*.o "$builddir/$dir"/lib*_la-*.o 2>/dev/null | grep -v '_http_la-' || true)
	if [ -z "$objs" ]; then
		echo "$dir calls: no objects in $builddir/$dir, not checked"
		continue
	fi
	for o in $objs; do
		m=$(basename "$o" .o)
		m=${m#*_la-}
		nm "$o" | awk -v m="$m" '$2 ~ /^[TDBR]$/ { print "D", m, $3 } $1 == "U" { print "U", m, $2 }'
	done | awk '
		$1 == "D" { def[$3] = $2; next }
		{ use[NR] = $2 " " $3 }
		END { for (i in use) { split(use[i], p, " "); if ((p[2] in def) && def[p[2]] != p[1]) print p[1], def[p[2]] } }' |
		no_circles "$dir calls" || status=1
done
exit $status
