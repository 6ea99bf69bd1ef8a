/* The decode benchmark's view of a library.  Each library lives in its own
 * file because their headers cannot meet: OpenSSL and libtasn1 both define
 * asn1_node and friends. */
#ifndef OCSPKIT_BENCH_H
#define OCSPKIT_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* What one operation reports: a certificate status, or for requests a
 * CertID match, or for bare libtasn1 a complete decode.  Every library
 * that got a case right reports the same value. */
enum { R_FAIL = -1, R_GOOD = 0, R_REVOKED = 1, R_UNKNOWN = 2, R_MATCH = 10, R_DECODED = 11 };

typedef struct {
	const uint8_t *data;
	size_t len;
} bench_bytes;

typedef struct {
	const char *name;
	const char *(*version)(void);
	/* 0, or -1 with a message on stderr. */
	int (*init)(void);
	/* Request number idx of an OCSPRequest, read by this library once: the
	 * CertID to look up.  NULL on failure. */
	void *(*load_target)(const uint8_t *req, size_t len, unsigned idx);
	void (*free_target)(void *t);
	/* issuerNameHash, issuerKeyHash and serialNumber octets of a target, for
	 * checking that every library read the same CertID; 0 if it has none. */
	int (*target_fields)(const void *t, bench_bytes out[3]);
	/* The timed operations: decode, look t up, free. */
	int (*resp)(const uint8_t *der, size_t len, const void *t);
	int (*req)(const uint8_t *der, size_t len, const void *t);
} bench_lib;

extern const bench_lib bench_ocspkit;
extern const bench_lib bench_openssl;
extern const bench_lib bench_gnutls;
extern const bench_lib bench_libtasn1;

#endif
