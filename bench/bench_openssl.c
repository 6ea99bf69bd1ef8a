/* OpenSSL 3 for the decode benchmark: what an OpenSSL client does to get a
 * certificate's status out of a DER response. */
#include <config.h>

#include <openssl/crypto.h>
#include <openssl/ocsp.h>

#include "bench.h"

static const char *version(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}

static int init(void)
{
	return 0;
}

static void *load_target(const uint8_t *der, size_t len, unsigned idx)
{
	const unsigned char *p = der;
	OCSP_REQUEST *req = d2i_OCSP_REQUEST(NULL, &p, (long)len);
	OCSP_CERTID *id = NULL;

	if (req && OCSP_request_onereq_count(req) > (int)idx)
		id = OCSP_CERTID_dup(OCSP_onereq_get0_id(OCSP_request_onereq_get0(req, (int)idx)));
	OCSP_REQUEST_free(req);
	return id;
}

static void free_target(void *t)
{
	OCSP_CERTID_free(t);
}

static bench_bytes octets(const ASN1_STRING *s)
{
	return (bench_bytes){ ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s) };
}

static int target_fields(const void *t, bench_bytes out[3])
{
	ASN1_OCTET_STRING *nh, *kh;
	ASN1_INTEGER *sn;
	ASN1_OBJECT *md;

	if (!OCSP_id_get0_info(&nh, &md, &kh, &sn, (OCSP_CERTID *)t))
		return 0;
	/* ASN1_INTEGER holds the magnitude: equal to the DER content octets
	 * for the positive serials without a top bit that the inputs use */
	out[0] = octets(nh);
	out[1] = octets(kh);
	out[2] = octets(sn);
	return 1;
}

static int resp(const uint8_t *der, size_t len, const void *t)
{
	const unsigned char *p = der;
	OCSP_RESPONSE *r = d2i_OCSP_RESPONSE(NULL, &p, (long)len);
	OCSP_BASICRESP *bs;
	ASN1_GENERALIZEDTIME *rev, *this_upd, *next_upd;
	int status, reason, res = R_FAIL;

	if (!r)
		return R_FAIL;
	if (OCSP_response_status(r) == OCSP_RESPONSE_STATUS_SUCCESSFUL &&
	    (bs = OCSP_response_get1_basic(r)) != NULL) {
		if (OCSP_resp_find_status(bs, (OCSP_CERTID *)t, &status, &reason, &rev, &this_upd, &next_upd) == 1)
			res = status == V_OCSP_CERTSTATUS_GOOD      ? R_GOOD
			      : status == V_OCSP_CERTSTATUS_REVOKED ? R_REVOKED
								    : R_UNKNOWN;
		OCSP_BASICRESP_free(bs);
	}
	OCSP_RESPONSE_free(r);
	return res;
}

static int req(const uint8_t *der, size_t len, const void *t)
{
	const unsigned char *p = der;
	OCSP_REQUEST *q = d2i_OCSP_REQUEST(NULL, &p, (long)len);
	int res = R_FAIL;

	if (!q)
		return R_FAIL;
	if (OCSP_request_onereq_count(q) > 0 &&
	    OCSP_id_cmp(OCSP_onereq_get0_id(OCSP_request_onereq_get0(q, 0)), t) == 0)
		res = R_MATCH;
	OCSP_REQUEST_free(q);
	return res;
}

const bench_lib bench_openssl = { "OpenSSL", version, init, load_target, free_target, target_fields, resp, req };
