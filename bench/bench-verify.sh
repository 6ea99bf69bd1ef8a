#!/bin/sh
# make bench-verify: the verification and signing table of bench_verify,
# then (when valgrind is there and BENCH_VERIFY_CALLGRIND is not "no") the
# instructions per call of each case under callgrind, which do not depend
# on what else runs on the machine.
#
#   bench-verify.sh BENCH_VERIFY [bench_verify options]
# VALGRIND and LIBTOOL name the commands; BENCH_VERIFY_ITER the calls per
# callgrind run (default 20).
set -eu
bench=${1:?usage: bench-verify.sh BENCH_VERIFY [options]}
shift
"$bench" "$@"

[ "${BENCH_VERIFY_CALLGRIND-}" = no ] && exit 0
VALGRIND=${VALGRIND:-valgrind}
if ! command -v "$VALGRIND" >/dev/null 2>&1; then
	echo "(callgrind: skipped, no valgrind)"
	exit 0
fi
iter=${BENCH_VERIFY_ITER:-20}
out=$(mktemp -d "${TMPDIR:-/tmp}/ocspkit-bench-verify.XXXXXX")
trap 'rm -rf "$out"' EXIT INT TERM
run_tool() {
	if [ -n "${LIBTOOL-}" ]; then $LIBTOOL --mode=execute "$@"; else "$@"; fi
}
ir() { # instructions per call of one case
	f="$out/$1.out"
	run_tool "$VALGRIND" -q --tool=callgrind --toggle-collect=measured_loop --callgrind-out-file="$f" \
		"$bench" -p "$1" -n "$iter" >/dev/null
	awk -v n="$iter" '/^(summary|totals):/ { printf "%.0f", $2 / n; exit }' "$f"
}
echo
echo "Instructions per call (callgrind, $iter calls after a warm-up call); ratio = peer / ocspkit"
printf '\n%-9s %11s %11s %11s %11s   %-15s %-15s\n' "" ocspkit +cache OpenSSL GnuTLS OpenSSL/ocspkit GnuTLS/ocspkit
for alg in rsa p256 ed25519; do
	k=$(ir $alg-ocspkit); c=$(ir $alg-cache); o=$(ir $alg-openssl); g=$(ir $alg-gnutls)
	printf '%-9s %11s %11s %11s %11s   %5s / %-6s  %5s / %-6s\n' $alg $k $c $o $g \
		$(awk -v a=$o -v b=$k 'BEGIN{printf "%.1fx", a/b}') $(awk -v a=$o -v b=$c 'BEGIN{printf "%.1fx", a/b}') \
		$(awk -v a=$g -v b=$k 'BEGIN{printf "%.1fx", a/b}') $(awk -v a=$g -v b=$c 'BEGIN{printf "%.1fx", a/b}')
done
printf '\n%-9s %11s %11s   %s\n' "signing" ocspkit OpenSSL OpenSSL/ocspkit
for alg in rsa p256 ed25519; do
	k=$(ir $alg-sign); o=$(ir $alg-osign)
	printf '%-9s %11s %11s   %s\n' $alg $k $o $(awk -v a=$o -v b=$k 'BEGIN{printf "%.2fx", a/b}')
done
