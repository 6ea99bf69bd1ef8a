#!/bin/sh
# make check in a --enable-fuzzing build: every libFuzzer binary runs its
# seed corpus and its reproducers once (-runs=0 executes the inputs and
# stops), with ASan and UBSan.  The response and differential harnesses
# also run other projects' test data, read in place when $OCSPKIT_VECTORS
# is a directory (skipped otherwise): its files, and the messages of its
# PEM and base64 files, which fuzz/vector_ders decodes into the build
# directory.  Builds without libFuzzer replay all of this through
# fuzz/replay.c instead.
set -eu
: "${OCSPKIT_BUILDDIR:?}" "${OCSPKIT_SRCDIR:?}"
status=0 n=0
vecdir=${OCSPKIT_VECTORS:-}
vecders=$OCSPKIT_BUILDDIR/fuzz/vector-ders
rm -rf "$vecders"
if [ -n "$vecdir" ] && [ -d "$vecdir" ]; then
	"$OCSPKIT_BUILDDIR/fuzz/vector_ders" "$vecdir" "$vecders" || { echo "FAIL: decoding $vecdir"; exit 1; }
else
	echo "SKIP: vectors (no directory ${vecdir:-: OCSPKIT_VECTORS is not set})"
	vecdir=
fi
for bin in "$OCSPKIT_BUILDDIR"/fuzz/*_fuzzer; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	n=$((n + 1))
	set -- "$OCSPKIT_SRCDIR/fuzz/$name.in" "$OCSPKIT_SRCDIR/fuzz/$name.repro"
	case $name in
	# the harnesses of FUZZ_VECTOR_HARNESSES in fuzz/replay.c
	response_fuzzer|differential_fuzzer) [ -z "$vecdir" ] || set -- "$@" "$vecdir" "$vecders" ;;
	esac
	if "$bin" -runs=0 -artifact_prefix="$OCSPKIT_BUILDDIR/fuzz/" "$@" \
		>"$OCSPKIT_BUILDDIR/fuzz/$name.replay.log" 2>&1; then
		echo "PASS: $name ($# directories, $(grep -c . "$OCSPKIT_BUILDDIR/fuzz/$name.replay.log") log lines)"
	else
		echo "FAIL: $name"; tail -n 40 "$OCSPKIT_BUILDDIR/fuzz/$name.replay.log"; status=1
	fi
done
[ "$n" -gt 0 ] || { echo "no fuzzers built"; exit 1; }
exit $status
