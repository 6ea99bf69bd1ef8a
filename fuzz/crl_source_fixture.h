/* What crl_source_fuzzer and its seeds (crl_source_seeds.c) share: the
 * fixed CA (a deterministic Ed25519 key) and the CRLs it signs, built
 * with tests/lib/pki.h.  An input of the harness is one octet (bit 0: the
 * rest is the delta CRL, else the complete CRL) and the CRL's bytes. */
#ifndef OCSPKIT_FUZZ_CRL_SOURCE_FIXTURE_H
#define OCSPKIT_FUZZ_CRL_SOURCE_FIXTURE_H

#include "tests/lib/pki.h"

#define CSF_NOW 1800000000
#define CSF_KEY_FILL 0x44
#define CSF_CA_NAME "Fuzz CRL CA"

static inline blob csf_ext(const char *oid_hex, int critical, blob value)
{
	return T(0x30, cat(3, T(0x06, raw(oid_hex)), critical ? raw("0101FF") : none(), T(0x04, value)));
}

/* A revokedCertificates entry with a reason code. */
static inline blob csf_entry(uint8_t serial, int64_t when, int reason)
{
	uint8_t r[3] = { 0x0A, 0x01, (uint8_t)reason };
	return T(0x30, cat(3, T(0x02, bytes(&serial, 1)), pki_time(when), T(0x30, csf_ext("551D15", 0, bytes(r, 3)))));
}

/* A CRL of the fixed CA's name signed by key, numbered number, a delta
 * CRL on base when base >= 0, with the entries revoked (their elements). */
static inline blob csf_crl(const ocspkit_privkey *key, uint8_t number, int base, blob revoked)
{
	blob exts = csf_ext("551D14", 0, T(0x02, bytes(&number, 1)));
	if (base >= 0) {
		uint8_t b = (uint8_t)base;
		exts = cat(2, exts, csf_ext("551D1B", 1, T(0x02, bytes(&b, 1))));
	}
	blob tbs = T(0x30, cat(7, raw("020101"), pki_sign_alg(key, NULL), pki_name(CSF_CA_NAME),
			       pki_time(CSF_NOW - 3600), pki_time(CSF_NOW + 86400), T(0x30, revoked),
			       T(0xA0, T(0x30, exts))));
	return pki_signed(tbs, key, NULL);
}

/* The pair the harness's source starts on: a complete CRL numbered 5 and
 * its delta numbered 6, which takes 0x12 off hold and revokes 0x14. */
static inline blob csf_good_base(const ocspkit_privkey *key)
{
	return csf_crl(key, 5, -1,
		       cat(3, csf_entry(0x11, CSF_NOW - 100, 1), csf_entry(0x12, CSF_NOW - 90, 6),
			   csf_entry(0x13, CSF_NOW - 80, 0)));
}

static inline blob csf_good_delta(const ocspkit_privkey *key)
{
	return csf_crl(key, 6, 5, cat(2, csf_entry(0x12, CSF_NOW - 50, 8), csf_entry(0x14, CSF_NOW - 40, 3)));
}

#endif
