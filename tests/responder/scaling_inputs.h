/* Inputs of n elements for tests/responder/test_scaling.c and bench/bench_scaling.c:
 * a response with n SingleResponses, a request with n CertIDs, an
 * index.txt with n lines.  Built with the library's own encoders. */
#ifndef OCSPKIT_TEST_SCALING_INPUTS_H
#define OCSPKIT_TEST_SCALING_INPUTS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ocspkit/ocspkit.h>

static inline void cert_id_of(ocspkit_cert_id *id, uint8_t *serial, size_t i)
{
	static const uint8_t name_hash[20] = { 0x11 }, key_hash[20] = { 0x22 };
	serial[0] = 0x40 | (uint8_t)(i >> 16);
	serial[1] = (uint8_t)(i >> 8);
	serial[2] = (uint8_t)i;
	memset(id, 0, sizeof(*id));
	id->hash = OCSPKIT_HASH_SHA1;
	id->issuer_name_hash = (ocspkit_bytes){ name_hash, sizeof(name_hash) };
	id->issuer_key_hash = (ocspkit_bytes){ key_hash, sizeof(key_hash) };
	id->serial = (ocspkit_bytes){ serial, 3 };
}


/* A response with n SingleResponses, every third one revoked with a
 * reason and a singleExtension, all with nextUpdate; NULL with *err set
 * when the encoder refuses. */
static inline uint8_t *response_with(size_t n, size_t *len, ocspkit_err *err)
{
	ocspkit_single_response *s = calloc(n, sizeof(*s));
	uint8_t(*serials)[3] = calloc(n, 3);
	static const uint8_t reason_oid[] = { 0x55, 0x1d, 0x15 }, reason_value[] = { 0x0a, 0x01, 0x01 };
	static const uint8_t sha256_rsa[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b };
	static const uint8_t null_params[] = { 0x05, 0x00 }, fake_signature[256] = { 0x5a };
	ocspkit_extension ext = { OCSPKIT_EXT_CRL_REASON, { reason_oid, sizeof(reason_oid) }, 0,
				  { reason_value, sizeof(reason_value) } };
	ocspkit_response_tbs d;
	ocspkit_signature_block sig;
	uint8_t *tbs = NULL, *der = NULL;
	size_t tbs_len;

	if (!s || !serials)
		abort();
	for (size_t i = 0; i < n; i++) {
		cert_id_of(&s[i].cert_id, serials[i], i);
		s[i].this_update = 1800000000;
		s[i].has_next_update = 1;
		s[i].next_update = 1800086400;
		if (i % 3 == 2) {
			s[i].status = OCSPKIT_CERT_REVOKED;
			s[i].revocation_time = 1700000000;
			s[i].has_revocation_reason = 1;
			s[i].revocation_reason = OCSPKIT_REASON_SUPERSEDED;
			s[i].extensions = &ext;
			s[i].extension_count = 1;
		}
	}
	memset(&d, 0, sizeof(d));
	static const uint8_t key_hash[20] = { 0x33 };
	d.responder_id.type = OCSPKIT_RESPONDER_BY_KEY;
	d.responder_id.value = (ocspkit_bytes){ key_hash, sizeof(key_hash) };
	d.produced_at = 1800000000;
	d.responses = s;
	d.response_count = n;
	memset(&sig, 0, sizeof(sig));
	sig.algorithm.oid = (ocspkit_bytes){ sha256_rsa, sizeof(sha256_rsa) };
	sig.algorithm.params = (ocspkit_bytes){ null_params, sizeof(null_params) };
	sig.signature = (ocspkit_bytes){ fake_signature, sizeof(fake_signature) };
	*err = ocspkit_response_tbs_encode(&tbs, &tbs_len, &d);
	if (*err == OCSPKIT_OK)
		*err = ocspkit_response_assemble(&der, len, (ocspkit_bytes){ tbs, tbs_len }, &sig);
	ocspkit_free(tbs);
	free(s);
	free(serials);
	return der;
}

static inline uint8_t *request_with(size_t n, size_t *len)
{
	ocspkit_single_request *r = calloc(n, sizeof(*r));
	uint8_t(*serials)[3] = calloc(n, 3);
	ocspkit_request_tbs tbs;
	uint8_t *der = NULL;
	if (!r || !serials)
		abort();
	for (size_t i = 0; i < n; i++)
		cert_id_of(&r[i].cert_id, serials[i], i);
	memset(&tbs, 0, sizeof(tbs));
	tbs.requests = r;
	tbs.request_count = n;
	if (ocspkit_request_encode(&der, len, &tbs, NULL))
		abort();
	free(r);
	free(serials);
	return der;
}

/* index.txt with n lines, every other one revoked (malloc'd). */
static inline char *index_with(size_t n, size_t *len)
{
	size_t cap = n * 120 + 1;
	char *text = malloc(cap);
	if (!text)
		abort();
	*len = 0;
	for (size_t i = 0; i < n; i++)
		*len += (size_t)snprintf(text + *len, cap - *len,
					 i % 2 ? "R\t300101000000Z\t240101000000Z,keyCompromise\t%06zX\tunknown\t/CN=leaf %zu\n"
					       : "V\t300101000000Z\t\t%06zX\tunknown\t/CN=leaf %zu\n",
					 i + 1, i);
	return text;
}

#endif
