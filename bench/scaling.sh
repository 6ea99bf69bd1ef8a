#!/bin/sh
# Linear time, shown by instruction counts: runs bench/bench_scaling under
# callgrind for each operation at growing n and prints the instructions
# per element between consecutive sizes.  Constant figures mean linear
# work; a quadratic pass would double them at every step.
#   bench/scaling.sh BENCH_SCALING_BINARY   (make bench-scaling)
set -eu
bin=$1
libtool=${LIBTOOL:-libtool}
valgrind=${VALGRIND:-valgrind}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count() { # KIND N -> instructions inside measured()
	$libtool --mode=execute "$valgrind" --tool=callgrind --callgrind-out-file="$tmp/out" \
		--toggle-collect='measured*' "$bin" "$1" "$2" >/dev/null 2>"$tmp/err" || {
		cat "$tmp/err" >&2; exit 1; }
	sed -n 's/^summary: *//p' "$tmp/out"
}
printf '%-16s %s\n' operation "instructions per added element: 64->256 256->1024 1024->4096 4096->8192"
for kind in response-decode response-find response-print response-encode request-decode request-encode \
	index-parse; do
	prev= prev_n= line=
	for n in 64 256 1024 4096 8192; do
		case $kind in request-*) [ "$n" -gt 1024 ] && continue ;; esac
		c=$(count "$kind" "$n")
		if [ -n "$prev" ]; then
			per=$(( (c - prev) / (n - prev_n) ))
			line="$line $(printf '%9d' "$per")"
		fi
		prev=$c prev_n=$n
	done
	printf '%-16s %s\n' "$kind" "$line"
done
