#!/bin/bash -eu
# OSS-Fuzz build script for ocspkit (fuzz/README.md, "OSS-Fuzz").
#
# Uses what OSS-Fuzz sets: CC, CXX, CFLAGS (sanitizer and
# -fsanitize=fuzzer-no-link), LIB_FUZZING_ENGINE, SRC, WORK, OUT.
# Builds GMP, libtasn1 and Nettle from $SRC/gmp, $SRC/libtasn1 and
# $SRC/nettle, and the differential harness's peers GnuTLS and OpenSSL from
# $SRC/gnutls and $SRC/openssl, all static into $WORK/deps; then ocspkit
# from $SRC/ocspkit with --enable-fuzzing, out of tree in $WORK/ocspkit.
# Result in $OUT: every NAME_fuzzer with NAME_fuzzer.options,
# NAME_fuzzer.dict and NAME_fuzzer_seed_corpus.zip (.in and .repro).
#
# Outside OSS-Fuzz (no network, no source trees), OCSPKIT_SYSTEM_DEPS=1
# takes the system's installed library for every source tree that is
# absent.  Without it, an absent tree is an error.
DEPS=$WORK/deps
SYSTEM_DEPS=${OCSPKIT_SYSTEM_DEPS:-0}
JOBS=$(nproc)
mkdir -p "$DEPS" "$OUT"
export PKG_CONFIG_PATH=$DEPS/lib/pkgconfig:$DEPS/lib64/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
export PATH=$DEPS/bin:$PATH
export CPPFLAGS="-I$DEPS/include ${CPPFLAGS:-}"
export LDFLAGS="-L$DEPS/lib -L$DEPS/lib64 ${LDFLAGS:-}"
# configure scripts run test programs; LeakSanitizer must not fail them
export ASAN_OPTIONS=detect_leaks=0
MSAN=0
if [[ $CFLAGS = *sanitize=memory* ]]; then MSAN=1; fi
built_from_source=0

# have NAME: 0 when $SRC/NAME is there to build, 1 when the system's library
# is to be used instead (OCSPKIT_SYSTEM_DEPS=1), else stop.
have() {
	if [ -d "$SRC/$1" ]; then built_from_source=1; return 0; fi
	if [ "$SYSTEM_DEPS" = 1 ]; then echo "build.sh: no $SRC/$1, using the system's $1"; return 1; fi
	echo "build.sh: $SRC/$1 is missing (OCSPKIT_SYSTEM_DEPS=1 uses installed libraries instead)" >&2
	exit 1
}

# an autotools tree from git needs its configure generated first
prepare() {
	if [ ! -x configure ]; then
		if [ -x .bootstrap ]; then ./.bootstrap; elif [ -x bootstrap ]; then ./bootstrap --skip-po; else autoreconf -fi; fi
	fi
}

if have gmp; then
	cd "$SRC/gmp" && prepare
	flags=
	if [ "$MSAN" = 1 ]; then flags="--disable-assembly --disable-fat"; fi
	./configure -q --disable-shared --enable-static --prefix="$DEPS" $flags
	make -s -j"$JOBS" && make -s install
fi

if have libtasn1; then
	cd "$SRC/libtasn1" && prepare
	./configure -q --disable-shared --enable-static --disable-doc --disable-gtk-doc \
		--disable-gcc-warnings --prefix="$DEPS"
	make -s -j"$JOBS" && make -s install
fi

if have nettle; then
	cd "$SRC/nettle" && prepare
	flags=
	if [ "$MSAN" = 1 ]; then flags="--disable-assembler --disable-fat"; fi
	./configure -q --disable-shared --enable-static --disable-documentation --disable-openssl \
		--prefix="$DEPS" --libdir="$DEPS/lib" $flags
	( make -s -j"$JOBS" || make -s -j"$JOBS" ) && make -s install
fi

system_gnutls=1
if have gnutls; then
	system_gnutls=0
	cd "$SRC/gnutls" && prepare
	flags=
	if [ "$MSAN" = 1 ]; then flags="--disable-hardware-acceleration"; fi
	./configure -q --disable-shared --enable-static --disable-doc --disable-tests --disable-tools \
		--disable-cxx --disable-nls --disable-libdane --disable-gcc-warnings --without-p11-kit \
		--without-idn --with-included-unistring --without-tpm --without-tpm2 --without-zlib \
		--without-brotli --without-zstd --prefix="$DEPS" --libdir="$DEPS/lib" $flags
	make -s -j"$JOBS" && make -s install
fi

if have openssl; then
	cd "$SRC/openssl"
	flags=
	if [ "$MSAN" = 1 ]; then flags="no-asm"; fi
	./config no-shared no-tests no-module --prefix="$DEPS" --libdir=lib $flags $CFLAGS
	make -s -j"$JOBS" build_libs && make -s install_dev
fi

# ---- ocspkit
cd "$SRC/ocspkit"
# a git checkout has no generated build system (it is not committed)
if [ ! -x configure ] || [ ! -f build-aux/install-sh ]; then autoreconf -fi; fi
mkdir -p "$WORK/ocspkit" && cd "$WORK/ocspkit"
pkgconfig=pkg-config
if [ "$built_from_source" = 1 ]; then pkgconfig="pkg-config --static"; fi
# a system GnuTLS is a shared library: its private dependencies (a system
# libunistring, say) are not ours to link, whatever --static says
gnutls_flags=()
if [ "$system_gnutls" = 1 ]; then
	gnutls_flags=(GNUTLS_CFLAGS="$(pkg-config --cflags gnutls)" GNUTLS_LIBS="$(pkg-config --libs gnutls)")
fi
"$SRC/ocspkit/configure" -q --enable-fuzzing --disable-shared PKG_CONFIG="$pkgconfig" \
	LIB_FUZZING_ENGINE="$LIB_FUZZING_ENGINE" "${gnutls_flags[@]}"
make -s -j"$JOBS" fuzzers

for bin in fuzz/*_fuzzer; do
	name=$(basename "$bin")
	cp "$bin" "$OUT/"
	# the dictionary as make put it together from fuzz/dict/ (make fuzzers)
	cp "$SRC/ocspkit/fuzz/$name.options" "fuzz/$name.dict" "$OUT/"
	rm -f "$OUT/${name}_seed_corpus.zip"
	(cd "$SRC/ocspkit/fuzz" && zip -q -r -j "$OUT/${name}_seed_corpus.zip" "$name.in" "$name.repro" -x '*README')
	echo "build.sh: $OUT/$name"
done
