#!/bin/sh
# Builds the libFuzzer harnesses (clang, ASan+UBSan) and runs each one for a
# bounded time; fails on any finding (crash, oracle abort, leak, timeout,
# out-of-memory).  CI calls it with a short time.
#
#   fuzz/run-fuzzers.sh [options] SECONDS [NAME...]
#     --builddir DIR  where to configure and build (default: build-fuzzing
#                     in the source tree; reused when already configured)
#     --workdir DIR   corpora, logs and artifacts (default: BUILDDIR/fuzz-work)
#     --jobs N        harnesses run in parallel (default 1)
#     --merge         afterwards, merge what each run found into
#                     fuzz/NAME_fuzzer.in with -merge=1 (only inputs that
#                     add coverage are kept), then drop any input that is
#                     a byte copy of a file in $OCSPKIT_VECTORS (required);
#                     the runs then read no vectors
#     --vectors       every harness (but text) reads the vectors, not only
#                     response and differential
#     --no-vectors    no harness reads them
#     --classify      replay the differential corpus with OCSPKIT_DIFF_LOG and
#                     OCSPKIT_DIFF_SAVE and print the classes of disagreement
# The vectors: other projects' test data in $OCSPKIT_VECTORS (default
# ../shared/vectors), read in place as an extra read-only corpus, with the
# messages of its PEM and base64 files decoded into WORKDIR/vector-ders
# (fuzz/vector_ders).  By default the response and differential harnesses
# read them when the directory exists.  A run that reads them writes what
# it finds to WORKDIR/corpus-vectors/NAME, which --merge never reads:
# nothing derived from other projects' files is committed.
# NAME is request, response, ... (default: every harness that was built).
# SECONDS 0 runs nothing and only merges or classifies earlier runs.
# Prints one line per harness: executions, exec/s, corpus files and octets,
# coverage (cov: edges, ft: features), peak RSS.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
builddir= workdir= jobs=1 merge=0 vectors=default classify=0
while [ $# -gt 0 ]; do
	case $1 in
	--builddir) builddir=$2; shift 2 ;;
	--workdir) workdir=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	--merge) merge=1; shift ;;
	--vectors) vectors=all; shift ;;
	--no-vectors) vectors=none; shift ;;
	--classify) classify=1; shift ;;
	-h|--help) sed -n '2,31p' "$0"; exit 0 ;;
	-*) echo "unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || { echo "usage: $0 [options] SECONDS [NAME...]" >&2; exit 2; }
seconds=$1; shift
[ "$merge" = 1 ] && [ "$vectors" = all ] && { echo "--merge and --vectors do not go together" >&2; exit 2; }
[ "$merge" = 1 ] && vectors=none
builddir=${builddir:-$top/build-fuzzing}
workdir=${workdir:-$builddir/fuzz-work}
vecdir=${OCSPKIT_VECTORS:-$top/../shared/vectors}
# Without the vectors, --merge could not drop inputs that are byte copies of
# other projects' files (the fuzzer finds small ones by itself), so refuse.
[ "$merge" = 1 ] && [ ! -d "$vecdir" ] && {
	echo "--merge needs $vecdir to drop copies of its files; set OCSPKIT_VECTORS" >&2; exit 2; }

# ---- build
mkdir -p "$builddir"
if [ ! -f "$builddir/config.status" ]; then
	[ -x "$top/configure" ] || (cd "$top" && ./bootstrap --no-configure)
	(cd "$builddir" && "$top/configure" -q CC="${CC:-clang}" --enable-fuzzing)
fi
grep -q '^FUZZ_ENGINE = .' "$builddir/Makefile" || {
	echo "$builddir is not configured with --enable-fuzzing" >&2; exit 2; }
make -C "$builddir" -s -j"$(nproc 2>/dev/null || echo 2)" fuzzers >/dev/null

# ---- the vectors, with their PEM and base64 messages decoded once per run
vecders=$workdir/vector-ders
if [ "$vectors" != none ] && [ "$seconds" -gt 0 ]; then
	if [ -d "$vecdir" ]; then
		rm -rf "$vecders"
		mkdir -p "$workdir"
		"$builddir/fuzz/vector_ders" "$vecdir" "$vecders" || { echo "cannot decode $vecdir" >&2; exit 1; }
	else
		echo "note: $vecdir is missing: no harness reads the vectors" >&2
		vectors=none
	fi
fi
reads_vectors() {
	case $vectors in
	all) [ "$1" != text ] ;;
	default) [ "$1" = response ] || [ "$1" = differential ] ;;
	*) false ;;
	esac
}

if [ $# -eq 0 ]; then
	set --
	for b in "$builddir"/fuzz/*_fuzzer; do
		[ -x "$b" ] && set -- "$@" "$(basename "$b" _fuzzer)"
	done
fi

# ---- one harness
# libFuzzer flags from NAME_fuzzer.options ([libfuzzer] key = value)
options() {
	sed -n '/^\[libfuzzer\]/,/^\[/{/^[a-z_]* *=/{s/ *= */=/;p}}' "$top/fuzz/$1_fuzzer.options" |
	while IFS== read -r k v; do
		case $k in dict) echo "-dict=$builddir/fuzz/$v" ;; *) echo "-$k=$v" ;; esac
	done
}

run_one() {
	name=$1 bin=$builddir/fuzz/$1_fuzzer
	corpus=$workdir/corpus/$name art=$workdir/artifacts/$name log=$workdir/$name.log
	mkdir -p "$corpus" "$art"
	rm -f "$art"/*
	# libFuzzer writes its finds to the first directory and only reads the
	# others; with the vectors, the finds go apart (never merged) and the
	# mergeable work corpus is only read
	set -- "$corpus"
	if reads_vectors "$name"; then
		mkdir -p "$workdir/corpus-vectors/$name"
		set -- "$workdir/corpus-vectors/$name" "$corpus" "$vecdir" "$vecders"
	fi
	# shellcheck disable=SC2046
	"$bin" $(options "$name") -max_total_time="$seconds" -print_final_stats=1 \
		-artifact_prefix="$art/" "$@" "$top/fuzz/${name}_fuzzer.in" \
		"$top/fuzz/${name}_fuzzer.repro" >"$log" 2>&1 && rc=0 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -n1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	files=$(find "$@" "$top/fuzz/${name}_fuzzer.in" -type f | wc -l)
	found=$(ls "$art" | wc -l)
	printf '%-13s %9s execs %7s exec/s  corpus %5s files  cov %5s  ft %6s  rss %4s MB  %s\n' \
		"$name" "${execs:-?}" "${speed:-?}" "$files" "${cov:-?}" "${ft:-?}" "${rss:-?}" \
		"$([ "$rc" = 0 ] && [ "$found" = 0 ] && echo ok || echo "FINDING (exit $rc, see $log and $art)")"
	[ "$rc" = 0 ] && [ "$found" = 0 ]
}

mkdir -p "$workdir"
status=0
pids=
for name in "$@"; do
	[ "$seconds" -gt 0 ] || break # 0 seconds: only --merge / --classify of earlier runs
	[ -x "$builddir/fuzz/${name}_fuzzer" ] || { echo "$name: not built" >&2; status=1; continue; }
	if [ "$jobs" -gt 1 ]; then
		( run_one "$name" ) > "$workdir/$name.summary" &
		pids="$pids $!"
		if [ "$(echo $pids | wc -w)" -ge "$jobs" ]; then
			for p in $pids; do wait "$p" || status=1; done; pids=
		fi
	else
		run_one "$name" || status=1
	fi
done
for p in $pids; do wait "$p" || status=1; done
if [ "$jobs" -gt 1 ] && [ "$seconds" -gt 0 ]; then for name in "$@"; do cat "$workdir/$name.summary" 2>/dev/null || true; done; fi

# ---- merge what was found into the committed seeds
# A find can be byte-identical to another project's test vector (the
# status-only responses are a few octets long); those must not be
# committed, so they are removed again after each merge.
drop_vector_copies() {
	find "$vecdir" -type f -exec sha256sum {} + | cut -d' ' -f1 | sort -u >"$workdir/vectors.sha256"
	for f in "$1"/*; do
		if grep -qx "$(sha256sum "$f" | cut -d' ' -f1)" "$workdir/vectors.sha256"; then
			echo "$(basename "$1"): dropped $(basename "$f"), a copy of a file in $vecdir"
			rm -f "$f"
		fi
	done
}
if [ "$merge" = 1 ]; then
	for name in "$@"; do
		before=$(ls "$top/fuzz/${name}_fuzzer.in" | wc -l)
		# shellcheck disable=SC2046
		"$builddir/fuzz/${name}_fuzzer" $(options "$name") -merge=1 \
			"$top/fuzz/${name}_fuzzer.in" "$workdir/corpus/$name" >"$workdir/$name.merge.log" 2>&1 || status=1
		drop_vector_copies "$top/fuzz/${name}_fuzzer.in"
		echo "$name: merged, $before -> $(ls "$top/fuzz/${name}_fuzzer.in" | wc -l) seed files"
	done
fi

# ---- classes of disagreement of the differential harness
if [ "$classify" = 1 ] && [ -x "$builddir/fuzz/differential_fuzzer" ]; then
	cls=$workdir/differences
	rm -rf "$cls"; mkdir -p "$cls/examples"
	set -- "$top/fuzz/differential_fuzzer.in" "$workdir/corpus/differential"
	[ -d "$workdir/corpus-vectors/differential" ] && set -- "$@" "$workdir/corpus-vectors/differential"
	OCSPKIT_DIFF_LOG=$cls/log.tsv OCSPKIT_DIFF_SAVE=$cls/examples \
		"$builddir/fuzz/differential_fuzzer" -runs=0 "$@" >/dev/null 2>&1 || status=1
	echo "classes of disagreement (count, class); smallest example of each in $cls/examples:"
	cut -f1 "$cls/log.tsv" 2>/dev/null | sort | uniq -c | sort -rn
fi
exit $status
