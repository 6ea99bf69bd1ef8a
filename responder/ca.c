/* A served CA (ca.h). */
#include <config.h>

#include <string.h>

#include "ca.h"

static const ocspkit_hash ca_hashes[RSP_CA_HASHES] = {
	OCSPKIT_HASH_SHA1, OCSPKIT_HASH_SHA224, OCSPKIT_HASH_SHA256, OCSPKIT_HASH_SHA384, OCSPKIT_HASH_SHA512,
};

ocspkit_err rsp_ca_init(rsp_ca *ca, const ocspkit_cert *cert, const rsp_signer *signer, rsp_source *source)
{
	static const uint8_t one = 1;
	memset(ca, 0, sizeof(*ca));
	ca->cert = cert;
	ca->signer = signer;
	ca->source = source;
	for (size_t i = 0; i < RSP_CA_HASHES; i++) {
		ocspkit_cert_id_value v;
		/* the serial plays no part in the issuer hashes */
		ocspkit_err e = ocspkit_cert_id_compute(&v, ca_hashes[i], cert, (ocspkit_bytes){ &one, 1 });
		if (e != OCSPKIT_OK)
			return e;
		ca->ids[i].hash = ca_hashes[i];
		ca->ids[i].len = v.hash_len;
		memcpy(ca->ids[i].name, v.issuer_name_hash, v.hash_len);
		memcpy(ca->ids[i].key, v.issuer_key_hash, v.hash_len);
	}
	return OCSPKIT_OK;
}

static int is_null_or_absent(ocspkit_bytes params)
{
	return params.len == 0 || (params.len == 2 && params.data[0] == 0x05 && params.data[1] == 0x00);
}

int rsp_ca_matches(const rsp_ca *ca, const ocspkit_cert_id *id)
{
	if (!is_null_or_absent(id->hash_algorithm.params))
		return 0;
	for (size_t i = 0; i < RSP_CA_HASHES; i++) {
		if (ca->ids[i].hash != id->hash)
			continue;
		size_t n = ca->ids[i].len;
		return id->issuer_name_hash.len == n && id->issuer_key_hash.len == n &&
		       memcmp(id->issuer_name_hash.data, ca->ids[i].name, n) == 0 &&
		       memcmp(id->issuer_key_hash.data, ca->ids[i].key, n) == 0;
	}
	return 0;
}

const rsp_ca *rsp_ca_find(const rsp_ca *cas, size_t n, const ocspkit_cert_id *id)
{
	for (size_t k = 0; k < n; k++)
		if (rsp_ca_matches(&cas[k], id))
			return &cas[k];
	return NULL;
}

rsp_snapshot *rsp_ca_acquire(const rsp_ca *ca)
{
	return ca->source ? rsp_source_acquire(ca->source) : NULL;
}

ocspkit_err rsp_ca_lookup(const rsp_ca *ca, const rsp_snapshot *snap, ocspkit_bytes serial, rsp_status *st)
{
	rsp_lookup q = { ca->cert, { ca->ids[0].key, ca->ids[0].len }, serial };
	return rsp_snapshot_lookup(snap, &q, st);
}
