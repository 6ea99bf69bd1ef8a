#!/bin/sh
# Runs the decode benchmark on freshly generated inputs (make bench), or
# profiles it under callgrind (make bench-profile).
#
#   run.sh [--profile] BENCH_DECODE [bench_decode options]
#
# Inputs go to $BENCH_DATA when it is set (and stay there, with the callgrind
# files), otherwise to a temporary directory removed at the end.
# OPENSSL, VALGRIND and LIBTOOL name the commands; BENCH_PROFILE_ITER the
# decodes per callgrind run (default 300).
set -eu

profile=no
if [ "${1-}" = --profile ]; then
	profile=yes
	shift
fi
bench=${1:?usage: run.sh [--profile] BENCH_DECODE [options]}
shift
here=$(cd "$(dirname "$0")" && pwd)

OPENSSL=${OPENSSL:-openssl}
if [ "$OPENSSL" = no ] || ! command -v "$OPENSSL" >/dev/null 2>&1; then
	echo "bench: skipped, no openssl command to generate the inputs" >&2
	exit 0
fi
export OPENSSL

if [ -n "${BENCH_DATA-}" ]; then
	data=$BENCH_DATA
	mkdir -p "$data"
else
	data=$(mktemp -d "${TMPDIR:-/tmp}/ocspkit-bench.XXXXXX")
	trap 'rm -rf "$data"' EXIT INT TERM
fi
sh "$here/gen-inputs.sh" "$data" 2>&1 || { echo "bench: input generation failed" >&2; exit 1; }

if [ $profile = no ]; then
	"$bench" "$@" "$data"
	exit $?
fi

# ---------------------------------------------------------------- profile
VALGRIND=${VALGRIND:-valgrind}
if ! command -v "$VALGRIND" >/dev/null 2>&1; then
	echo "bench-profile: skipped, valgrind not found" >&2
	exit 0
fi
run_tool() { # libtool's wrapper, if the program is one, must not be profiled
	if [ -n "${LIBTOOL-}" ]; then
		$LIBTOOL --mode=execute "$@"
	else
		"$@"
	fi
}
iter=${BENCH_PROFILE_ITER:-300}

# Instructions per operation: callgrind counts only inside measured_loop(),
# which runs the operation iter times after a warm-up call, so the figure
# does not depend on machine load (unlike the wall-clock table).
echo "instructions per decode + lookup + free (callgrind, $iter calls, after warm-up)"
printf '%-6s %12s %12s %12s %12s\n' case ocspkit OpenSSL GnuTLS libtasn1
for c in 1 2 3 4; do
	printf '%-6s' "$c"
	for lib in ocspkit openssl gnutls libtasn1; do
		out="$data/callgrind.$lib.$c.out"
		run_tool "$VALGRIND" -q --tool=callgrind --toggle-collect=measured_loop \
			--callgrind-out-file="$out" "$bench" -l $lib -c $c -n "$iter" "$data" >/dev/null
		ir=$(awk '/^(summary|totals):/ { print $2; exit }' "$out")
		printf ' %12s' $((ir / iter))
	done
	echo
done

# Where ocspkit's instructions go, case by case.  Inclusive costs are shown
# for the entry points of each phase only: callgrind_annotate counts the
# recursive schema walkers (check_node'2 ...) once per level.
tidy() { # drop directories and object names from callgrind_annotate lines
	sed -e 's| [^ ]*/\([^/ ]*:\)| \1|' -e 's| \[[^]]*\]$||'
}
phases='ocspkit_response_decode|ocspkit_request_decode|okit_decode|okit_decode_block|okit_sch_check_bytes|okit_sch_split|okit_der_check_any|okit_der_next_slow|parse_time|okit_certid_read|okit_algid_read|okit_sigblock_read|okit_exts_take|okit_ext_check_value|okit_oid_find|ocspkit_response_find|ocspkit_response_free|ocspkit_request_free|malloc|calloc|free|__memcpy_avx_unaligned_erms|__memset_avx2_unaligned_erms'
for c in 1 2 3 4; do
	out="$data/callgrind.ocspkit.$c.out"
	echo
	echo "=== ocspkit, case $c: inclusive, by phase"
	callgrind_annotate --inclusive=yes --threshold=100 "$out" 2>/dev/null | tidy |
		grep -E "^ *[0-9,]+ \( *[0-9.]+%\)  [^ ]*:($phases)\$" | grep -v '( 0\.0'
	echo "=== ocspkit, case $c: self, top 12"
	callgrind_annotate --inclusive=no --threshold=100 "$out" 2>/dev/null | tidy |
		grep -E '^ *[0-9,]+ \( *[0-9.]+%\)  [^ ]*:' | head -n 12
done
