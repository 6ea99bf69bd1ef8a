#!/bin/sh
# libocspkit.so's ABI against the committed baseline abi/libocspkit.abi
# (abi/Makefile.inc): abidw reads the library with the public headers, so
# that only the public API counts, and abidiff compares that with the
# baseline.  Any change fails, additions included: a change of the ABI is
# made deliberately, with `make abi-update` (--update: rewrite the baseline
# from this build) and OCSPKIT_LT_VERSION bumped in configure.ac.
#
# Environment (make check and make abi-check set it): OCSPKIT_BUILDDIR,
# OCSPKIT_SRCDIR, ABIDW, ABIDIFF, READELF.  Exit 77 (skipped) where the
# check cannot run.
set -eu
builddir=${OCSPKIT_BUILDDIR:?} srcdir=${OCSPKIT_SRCDIR:?}
update=no
if [ "${1:-}" = --update ]; then update=yes; fi
baseline=$srcdir/abi/libocspkit.abi

# Cannot run: skipped under make check, an error when asked for by name.
cannot() {
	if [ "$update" = yes ]; then echo "abi-update: $1" >&2; exit 2; fi
	echo "SKIP: $1"; exit 77
}
if [ -z "${ABIDW:-}" ] || [ -z "${ABIDIFF:-}" ]; then
	cannot "abidw and abidiff not found (Debian: apt-get install abigail-tools; then configure again)"
fi
# the shared library libtool built (none with --disable-shared)
dlname=$(sed -n "s/^dlname='\(.*\)'$/\1/p" "$builddir/libocspkit.la")
lib=$builddir/.libs/$dlname
if [ -z "$dlname" ] || [ ! -f "$lib" ]; then cannot "no shared libocspkit in this build"; fi
if [ -n "${READELF:-}" ] && ! "$READELF" -S "$lib" | grep -q '\.debug_info'; then
	cannot "$dlname has no debugging information (CFLAGS without -g)"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The exported functions and the types they reach, as the public headers
# declare them (an opaque struct stays opaque); no paths, source locations
# or DT_NEEDED (abi/test_needed.sh checks those), so that the file depends
# on the interface alone, not on the build.
"$ABIDW" --headers-dir "$srcdir/codec/include/ocspkit" --drop-private-types \
	--exported-interfaces-only --no-corpus-path --no-comp-dir-path --no-show-locs \
	--no-elf-needed --type-id-style hash --out-file "$tmp/current.abi" "$lib"
functions=$(grep -c '<elf-symbol .*func-type' "$tmp/current.abi" || true)

if [ "$update" = yes ]; then
	if [ -f "$baseline" ] && cmp -s "$tmp/current.abi" "$baseline"; then
		echo "abi-update: abi/libocspkit.abi unchanged ($dlname, $functions functions)"
		exit 0
	fi
	if [ ! -f "$baseline" ]; then
		cp "$tmp/current.abi" "$baseline"
		echo "abi-update: wrote the first abi/libocspkit.abi ($dlname, $functions functions)"
		exit 0
	fi
	"$ABIDIFF" "$baseline" "$tmp/current.abi" || true
	cp "$tmp/current.abi" "$baseline"
	echo "abi-update: rewrote abi/libocspkit.abi ($dlname, $functions functions), changed as above."
	echo "abi-update: commit it with OCSPKIT_LT_VERSION in configure.ac bumped by the rules beside it."
	exit 0
fi

if [ ! -f "$baseline" ]; then
	echo "no baseline abi/libocspkit.abi: make abi-update writes it" >&2
	exit 1
fi
rc=0
"$ABIDIFF" "$baseline" "$tmp/current.abi" > "$tmp/diff" 2>&1 || rc=$?
# abidiff's status is a bit field: 1 error, 2 usage error, 4 ABI change,
# 8 incompatible ABI change.  (With 0 it may still count changes it
# filtered out as harmless, such as another compiler's view of a type.)
if [ "$rc" = 0 ]; then
	echo "abi: $dlname matches abi/libocspkit.abi ($functions functions)"
	exit 0
fi
cat "$tmp/diff"
if [ $((rc & 3)) != 0 ]; then
	echo "abi: abidiff failed (status $rc)" >&2
	exit 99
fi
if [ $((rc & 8)) != 0 ]; then what="incompatibly"; else what="compatibly"; fi
echo "abi: the ABI of $dlname changed $what against abi/libocspkit.abi (above)." >&2
echo "abi: if that is deliberate, run make abi-update and bump OCSPKIT_LT_VERSION in configure.ac" >&2
echo "abi: (current + 1, revision 0, and age + 1 for additions only, age 0 otherwise); commit both." >&2
exit 1
