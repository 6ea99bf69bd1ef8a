#!/bin/sh
# The whole test suite, from a fresh Debian 12 machine: installs what is
# missing (as root), then builds and tests ocspkit
#   1. normal build: make check (unit, command-line, interop tests)
#   2. valgrind: the same suite under memcheck
#   3. ASan + UBSan build: make check again
#   4. install into a staging prefix and build the README example with
#      pkg-config against it, linked with the shared and with the static
#      library; make distcheck
#   5. the libFuzzer harnesses, built with clang (ASan+UBSan), each run for
#      FUZZ_SECONDS (default 30) from its corpus; any finding fails
#   6. the demo (the README's main job) on the normal build
# and ends with one summary line "N passed, N failed".
#
# Environment: JOBS (default: number of CPUs), OCSPKIT_VECTORS (test data,
# default ../shared/vectors), FUZZ_SECONDS, SKIP_DISTCHECK=1, SKIP_VALGRIND=1,
# SKIP_FUZZ=1.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
build=${BUILD_ROOT:-$top/build}
export OCSPKIT_VECTORS="${OCSPKIT_VECTORS:-$top/../shared/vectors}"

./bootstrap --no-configure
# an in-tree configuration would stop the out-of-tree builds below
if [ -f config.status ]; then make distclean >/dev/null 2>&1 || true; fi

passed=0 failed=0 skipped=0
results=""
# Adds the counts of a test-suite.log to the totals.
count() {
	log=$1 name=$2
	if [ ! -f "$log" ]; then
		failed=$((failed + 1)); results="$results\n  $name: no test log"; return
	fi
	p=$(sed -n 's/^# PASS: *//p' "$log" | head -n1)
	f=$(sed -n 's/^# FAIL: *//p' "$log" | head -n1)
	e=$(sed -n 's/^# ERROR: *//p' "$log" | head -n1)
	x=$(sed -n 's/^# XPASS: *//p' "$log" | head -n1)
	s=$(sed -n 's/^# SKIP: *//p' "$log" | head -n1)
	passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0} + ${x:-0})); skipped=$((skipped + ${s:-0}))
	results="$results\n  $name: ${p:-0} passed, $(( ${f:-0} + ${e:-0} + ${x:-0} )) failed, ${s:-0} skipped"
}
# Runs one step; a step that fails without a test log counts as one failure.
step() {
	name=$1; shift
	echo "=== $name"
	if "$@"; then return 0; fi
	echo "=== $name: FAILED"
	return 1
}

# 1. normal build
mkdir -p "$build/normal"
step "configure (normal)" sh -c "cd '$build/normal' && '$top/configure' -q" || true
step "build (normal)" make -C "$build/normal" -j"$jobs" || true
rm -f "$build/normal/test-suite.log"
step "make check" make -C "$build/normal" -j"$jobs" check || true
count "$build/normal/test-suite.log" "make check"
cp "$build/normal/test-suite.log" "$build/normal/test-suite-normal.log" 2>/dev/null || true

# 2. valgrind, on the same build (AX_VALGRIND_CHECK's memcheck run writes
# test-suite-memcheck.log)
if [ "${SKIP_VALGRIND:-0}" != 1 ]; then
	rm -f "$build/normal/test-suite-memcheck.log"
	step "make check-valgrind" make -C "$build/normal" -j"$jobs" check-valgrind || true
	count "$build/normal/test-suite-memcheck.log" "valgrind"
fi

# 3. sanitizers
mkdir -p "$build/asan"
step "configure (ASan+UBSan)" sh -c "cd '$build/asan' && '$top/configure' -q --enable-sanitizers" || true
step "make check (ASan+UBSan)" make -C "$build/asan" -j"$jobs" check || true
count "$build/asan/test-suite.log" "ASan+UBSan"

# 4. install, pkg-config, README example, distcheck
stage="$build/stage"
rm -rf "$stage"
# A subshell: the pkg-config settings of the staged install must not reach
# the configure runs of the later steps (libpq's flags would point into
# the stage).
install_check() (
	make -C "$build/normal" -j"$jobs" install DESTDIR="$stage" >/dev/null &&
	"$top/scripts/demo-pki.sh" "$stage/pki" ec &&
	(cd "$stage/pki" && openssl ocsp -issuer ca.pem -cert good.pem -reqout req.der -no_nonce &&
	 openssl ocsp -index index.txt -CA ca.pem -rsigner responder.pem -rkey responder.key \
		-reqin req.der -respout resp.der -ndays 1) >/dev/null 2>&1 &&
	sed -n '/^<!-- example:begin -->/,/^<!-- example:end -->/p' "$top/README.md" | sed '1,2d;$d' | sed '$d' > "$stage/example.c" &&
	libdir=$(PKG_CONFIG_PATH="$build/normal" pkg-config --variable=libdir ocspkit) &&
	export PKG_CONFIG_PATH="$stage$libdir/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$stage" &&
	cc -Wall -Werror -o "$stage/example" "$stage/example.c" $(pkg-config --cflags --libs ocspkit) &&
	LD_LIBRARY_PATH="$stage$libdir" "$stage/example" "$stage/pki/resp.der" | grep "^1001: good until" &&
	# and statically: what pkg-config --static adds must be all libocspkit.a needs
	cc -Wall -Werror -o "$stage/example-static" "$stage/example.c" $(pkg-config --cflags ocspkit) \
		-Wl,-Bstatic $(pkg-config --static --libs ocspkit) -Wl,-Bdynamic &&
	"$stage/example-static" "$stage/pki/resp.der" | grep "^1001: good until"
)
if step "install + pkg-config example" install_check; then passed=$((passed + 1)); results="$results\n  install: 1 passed"
else failed=$((failed + 1)); results="$results\n  install: 1 failed"; fi
if [ "${SKIP_DISTCHECK:-0}" != 1 ]; then
	if step "make distcheck" make -C "$build/normal" -j"$jobs" distcheck; then
		passed=$((passed + 1)); results="$results\n  distcheck: 1 passed"
	else
		failed=$((failed + 1)); results="$results\n  distcheck: 1 failed"
	fi
fi

# 5. fuzzing, bounded
if [ "${SKIP_FUZZ:-0}" != 1 ]; then
	if step "fuzzers (${FUZZ_SECONDS:-30} s each)" "$top/fuzz/run-fuzzers.sh" --builddir "$build/fuzzing" \
		--jobs "$jobs" "${FUZZ_SECONDS:-30}"; then
		passed=$((passed + 1)); results="$results\n  fuzzers: 1 passed"
	else
		failed=$((failed + 1)); results="$results\n  fuzzers: 1 failed"
	fi
fi
# 6. the README's other quick-start command, on the normal build
if step "demo (scripts/demo.sh)" env BUILD_ROOT="$build" "$top/scripts/demo.sh" >"$build/demo.log" 2>&1 &&
	grep -q "^demo: both answers verified" "$build/demo.log"; then
	passed=$((passed + 1)); results="$results\n  demo: 1 passed"
else
	cat "$build/demo.log"
	failed=$((failed + 1)); results="$results\n  demo: 1 failed"
fi

printf "=== summary$results\n"
echo "$skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
