#!/bin/sh
# The shared library exports ocspkit_ symbols only, and each public header
# compiles on its own.
set -eu
lib="$OCSPKIT_BUILDDIR/.libs/libocspkit.so"
[ -f "$lib" ] || { echo "no shared library at $lib"; exit 77; }
syms=$(nm -D --defined-only "$lib" | awk '{print $3}')
bad=$(echo "$syms" | grep -v '^ocspkit_' | grep -v '^_' || true)
if [ -n "$bad" ]; then
	echo "FAIL: exported symbols outside the ocspkit_ prefix:"; echo "$bad"; exit 1
fi
n=$(echo "$syms" | grep -c '^ocspkit_')
echo "$n exported symbols, all ocspkit_"
[ "$n" -gt 50 ] || { echo "FAIL: too few exports ($n)"; exit 1; }
# every function declared in the public headers is exported
for f in $(grep -ho 'ocspkit_[a-z0-9_]*(' "$OCSPKIT_SRCDIR"/codec/include/ocspkit/*.h | tr -d '(' | sort -u); do
	echo "$syms" | grep -qx "$f" || { echo "FAIL: $f declared but not exported"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for h in "$OCSPKIT_SRCDIR"/codec/include/ocspkit/*.h; do
	printf '#include <ocspkit/%s>\n' "$(basename "$h")" > "$tmp/t.c"
	${CC:-cc} -std=c99 -Wall -Werror -pedantic -I"$OCSPKIT_SRCDIR/codec/include" -c "$tmp/t.c" -o "$tmp/t.o" ||
		{ echo "FAIL: $h does not compile alone"; exit 1; }
done
echo "headers compile alone"
