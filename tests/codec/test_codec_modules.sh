#!/bin/sh
# codec/ is cut into modules, a .c and the .h that declares what it offers
# (docs/internals/): this checks that they depend on each other without
# circles, following the #include "x.h" lines of codec/*.c and *.h (an
# include is a dependency on module x), and that every module's .c
# includes its own .h, where the compiler checks one against the other.
set -eu
srcdir=${OCSPKIT_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
codec=$srcdir/codec
[ -d "$codec" ] || { echo "no $codec" >&2; exit 99; }

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
done | sort -u | awk '
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
			print count " modules, no circles"
		exit bad
	}' || status=1
exit $status
