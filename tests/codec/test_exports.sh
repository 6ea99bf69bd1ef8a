#!/bin/sh
# The shared library exports ocspkit_ symbols only: the functions the
# public headers declare, no more and no fewer (tests/codec/test_headers.sh
# checks the headers themselves).
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
# exactly the functions declared in the public headers
declared=$(grep -ho 'ocspkit_[a-z0-9_]*(' "$OCSPKIT_SRCDIR"/codec/include/ocspkit/*.h | tr -d '(' | sort -u)
for f in $declared; do
	echo "$syms" | grep -qx "$f" || { echo "FAIL: $f declared but not exported"; exit 1; }
done
for f in $(echo "$syms" | grep '^ocspkit_'); do
	echo "$declared" | grep -qx "$f" || { echo "FAIL: $f exported but declared in no public header"; exit 1; }
done
echo "exports and declarations agree"
