#!/bin/sh
# Line and branch coverage of codec/, responder/ and client/ reached by replaying
# the fuzzing corpora (fuzz/README.md), measured with gcov and lcov.
#
#   fuzz/coverage.sh [--builddir DIR] [--failures] [CORPUS-DIR...]
#     --builddir DIR  where to configure (--enable-coverage) and build;
#                     default build-coverage in the source tree
#     --failures      also fail each allocation in turn (OCSPKIT_FAIL_ALLOC
#                     =each); without it the replay is plain, which is what
#                     the corpus alone reaches
#     CORPUS-DIR      more inputs, in directories named NAME (as
#                     run-fuzzers.sh leaves them in WORKDIR/corpus/NAME)
#
# Prints the lcov summary of each directory and every function no input
# reaches, and writes an HTML report to BUILDDIR/fuzz-coverage/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
builddir= failures=none
while [ $# -gt 0 ]; do
	case $1 in
	--builddir) builddir=$2; shift 2 ;;
	--failures) failures=each; shift ;;
	-h|--help) sed -n '2,15p' "$0"; exit 0 ;;
	-*) echo "unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
builddir=${builddir:-$top/build-coverage}
corpora="$*"

mkdir -p "$builddir"
if [ ! -f "$builddir/config.status" ]; then
	[ -x "$top/configure" ] || (cd "$top" && ./bootstrap --no-configure)
	(cd "$builddir" && "$top/configure" -q --enable-coverage)
fi
grep -q '^CODE_COVERAGE_ENABLED = yes' "$builddir/Makefile" || {
	echo "$builddir is not configured with --enable-coverage" >&2; exit 2; }
# (two goals in one make race: all runs a sub-make for BUILT_SOURCES)
make -C "$builddir" -s -j"$(nproc 2>/dev/null || echo 2)" all >/dev/null
make -C "$builddir" -s -j"$(nproc 2>/dev/null || echo 2)" fuzzers >/dev/null

lcov -q --zerocounters --directory "$builddir" 2>/dev/null
for bin in "$builddir"/fuzz/*_fuzzer; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin" _fuzzer)
	set -- "$top/fuzz/${name}_fuzzer.in" "$top/fuzz/${name}_fuzzer.repro"
	for d in $corpora; do if [ -d "$d/$name" ]; then set -- "$@" "$d/$name"; fi; done
	OCSPKIT_FAIL_ALLOC=$failures OCSPKIT_SRCDIR=$top "$bin" "$@" >/dev/null 2>&1 ||
		{ echo "$name: replay failed" >&2; exit 1; }
	echo "$name: replayed $(find "$@" -type f | wc -l) inputs"
done

info=$builddir/fuzz-coverage.info
lcov -q --rc lcov_branch_coverage=1 --capture --directory "$builddir" --base-directory "$top" \
	--output-file "$info.all" 2>/dev/null
lcov -q --rc lcov_branch_coverage=1 --extract "$info.all" "$top/codec/*" "$top/responder/*" "$top/client/*" \
	--output-file "$info" 2>/dev/null
for dir in codec responder client; do
	echo "== $dir/"
	lcov -q --rc lcov_branch_coverage=1 --extract "$info" "$top/$dir/*" --output-file "$info.$dir" 2>/dev/null
	lcov --rc lcov_branch_coverage=1 --summary "$info.$dir" 2>&1 | grep -E 'lines|functions|branches'
done
echo "== functions no input reaches"
awk -F'[,:]' '/^SF:/ { f = $2; sub(".*/(codec|responder|client)/", "", f); d = ($2 ~ /\/responder\//) ? "responder/" : ($2 ~ /\/client\//) ? "client/" : "codec/" }
	/^FNDA:/ { if ($2 == 0) print "  " d f ": " $3 }' "$info" | sort -u
genhtml -q --branch-coverage --output-directory "$builddir/fuzz-coverage" "$info" >/dev/null 2>&1 &&
	echo "HTML report: $builddir/fuzz-coverage/index.html"
