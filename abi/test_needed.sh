#!/bin/sh
# libocspkit.so links nothing but its dependencies: libtasn1, Nettle,
# Hogweed, GMP and the C library (threads are in it, or libpthread);
# with the sanitizers, their runtimes.  GnuTLS, jansson, libmicrohttpd and
# libcurl are for the responder, the client and the command, never the
# library (configure.ac, Makefile.am).  Fails on any other NEEDED entry.
#
# Environment (make check sets it): OCSPKIT_BUILDDIR, READELF,
# OCSPKIT_SANITIZERS (yes: the library was built with them).
set -eu
builddir=${OCSPKIT_BUILDDIR:?}
if [ -z "${READELF:-}" ]; then echo "SKIP: readelf not found (binutils)"; exit 77; fi
dlname=$(sed -n "s/^dlname='\(.*\)'$/\1/p" "$builddir/libocspkit.la")
lib=$builddir/.libs/$dlname
if [ -z "$dlname" ] || [ ! -f "$lib" ]; then echo "SKIP: no shared libocspkit in this build"; exit 77; fi

allowed="libtasn1 libnettle libhogweed libgmp libc libpthread ld-linux-x86-64 ld-linux"
if [ "${OCSPKIT_SANITIZERS:-no}" = yes ]; then allowed="$allowed libasan libubsan"; fi
needed=$("$READELF" -d "$lib" | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p')
[ -n "$needed" ] || { echo "no NEEDED entries in $lib: readelf's output not understood" >&2; exit 99; }
bad=
for n in $needed; do
	ok=no
	for a in $allowed; do
		case $n in "$a".so*) ok=yes ;; esac
	done
	if [ "$ok" = no ]; then bad="$bad $n"; fi
done
echo "$dlname needs:" $needed
if [ -n "$bad" ]; then
	echo "not allowed:$bad (only libtasn1, Nettle, Hogweed, GMP and libc)" >&2
	exit 1
fi
