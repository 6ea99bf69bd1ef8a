#!/bin/sh
# make check in a --enable-fuzzing build: every libFuzzer binary runs its
# seed corpus and its reproducers once (-runs=0 executes the inputs and
# stops), with ASan and UBSan.  Builds without libFuzzer replay them through
# fuzz/replay.c instead.
set -eu
: "${OCSPKIT_BUILDDIR:?}" "${OCSPKIT_SRCDIR:?}"
status=0 n=0
for bin in "$OCSPKIT_BUILDDIR"/fuzz/*_fuzzer; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	n=$((n + 1))
	if "$bin" -runs=0 -artifact_prefix="$OCSPKIT_BUILDDIR/fuzz/" "$OCSPKIT_SRCDIR/fuzz/$name.in" "$OCSPKIT_SRCDIR/fuzz/$name.repro" \
		>"$OCSPKIT_BUILDDIR/fuzz/$name.replay.log" 2>&1; then
		echo "PASS: $name ($(grep -c . "$OCSPKIT_BUILDDIR/fuzz/$name.replay.log") log lines)"
	else
		echo "FAIL: $name"; tail -n 40 "$OCSPKIT_BUILDDIR/fuzz/$name.replay.log"; status=1
	fi
done
[ "$n" -gt 0 ] || { echo "no fuzzers built"; exit 1; }
exit $status
