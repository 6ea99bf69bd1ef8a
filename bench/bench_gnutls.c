/* GnuTLS for the decode benchmark.  GnuTLS has no lookup by CertID (its
 * gnutls_ocsp_resp_check_crt compares one entry with a certificate, hashing
 * the issuer name on every call), so this does what a careful GnuTLS client
 * does: read each SingleResponse's CertID until all four fields match, then
 * read that entry's status and times. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/ocsp.h>

#include "bench.h"

typedef struct {
	gnutls_digest_algorithm_t digest;
	gnutls_datum_t name_hash, key_hash, serial;
} certid;

static const char *version(void)
{
	return gnutls_check_version(NULL);
}

static int init(void)
{
	return 0;
}

static void *load_target(const uint8_t *der, size_t len, unsigned idx)
{
	gnutls_ocsp_req_t q;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	certid *id = calloc(1, sizeof(*id));

	if (!id || gnutls_ocsp_req_init(&q) < 0) {
		free(id);
		return NULL;
	}
	if (gnutls_ocsp_req_import(q, &d) < 0 ||
	    gnutls_ocsp_req_get_cert_id(q, idx, &id->digest, &id->name_hash, &id->key_hash, &id->serial) < 0) {
		free(id);
		id = NULL;
	}
	gnutls_ocsp_req_deinit(q);
	return id;
}

static void free_target(void *t)
{
	certid *id = t;
	gnutls_free(id->name_hash.data);
	gnutls_free(id->key_hash.data);
	gnutls_free(id->serial.data);
	free(id);
}

static int target_fields(const void *t, bench_bytes out[3])
{
	const certid *id = t;
	out[0] = (bench_bytes){ id->name_hash.data, id->name_hash.size };
	out[1] = (bench_bytes){ id->key_hash.data, id->key_hash.size };
	out[2] = (bench_bytes){ id->serial.data, id->serial.size };
	return 1;
}

static int datum_eq(const gnutls_datum_t *a, const gnutls_datum_t *b)
{
	return a->size == b->size && memcmp(a->data, b->data, a->size) == 0;
}

static int same(const certid *id, gnutls_digest_algorithm_t dig, const gnutls_datum_t *nh,
		const gnutls_datum_t *kh, const gnutls_datum_t *sn)
{
	return dig == id->digest && datum_eq(nh, &id->name_hash) && datum_eq(kh, &id->key_hash) &&
	       datum_eq(sn, &id->serial);
}

static int resp(const uint8_t *der, size_t len, const void *t)
{
	gnutls_ocsp_resp_t r;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	int res = R_FAIL;

	if (gnutls_ocsp_resp_init(&r) < 0)
		return R_FAIL;
	if (gnutls_ocsp_resp_import(r, &d) < 0 || gnutls_ocsp_resp_get_status(r) != GNUTLS_OCSP_RESP_SUCCESSFUL)
		goto out;
	/* Only the CertID while searching: every field read is a path lookup
	 * and a copy. */
	for (unsigned i = 0;; i++) {
		gnutls_digest_algorithm_t dig;
		gnutls_datum_t nh, kh, sn;
		if (gnutls_ocsp_resp_get_single(r, i, &dig, &nh, &kh, &sn, NULL, NULL, NULL, NULL, NULL) < 0)
			break;
		int match = same(t, dig, &nh, &kh, &sn);
		gnutls_free(nh.data);
		gnutls_free(kh.data);
		gnutls_free(sn.data);
		if (match) {
			unsigned st;
			time_t this_upd, next_upd;
			if (gnutls_ocsp_resp_get_single(r, i, NULL, NULL, NULL, NULL, &st, &this_upd, &next_upd,
							NULL, NULL) == 0)
				res = st == GNUTLS_OCSP_CERT_GOOD      ? R_GOOD
				      : st == GNUTLS_OCSP_CERT_REVOKED ? R_REVOKED
								       : R_UNKNOWN;
			break;
		}
	}
out:
	gnutls_ocsp_resp_deinit(r);
	return res;
}

static int req(const uint8_t *der, size_t len, const void *t)
{
	gnutls_ocsp_req_t q;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	gnutls_digest_algorithm_t dig;
	gnutls_datum_t nh, kh, sn;
	int res = R_FAIL;

	if (gnutls_ocsp_req_init(&q) < 0)
		return R_FAIL;
	if (gnutls_ocsp_req_import(q, &d) == 0 && gnutls_ocsp_req_get_cert_id(q, 0, &dig, &nh, &kh, &sn) == 0) {
		if (same(t, dig, &nh, &kh, &sn))
			res = R_MATCH;
		gnutls_free(nh.data);
		gnutls_free(kh.data);
		gnutls_free(sn.data);
	}
	gnutls_ocsp_req_deinit(q);
	return res;
}

const bench_lib bench_gnutls = { "GnuTLS", version, init, load_target, free_target, target_fields, resp, req };
