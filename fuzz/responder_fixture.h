/* A fixed responder for fuzz/responder_fuzzer.c and its seeds
 * (fuzz/responder_seeds.c): an Ed25519 CA and a delegated responder
 * (id-kp-OCSPSigning) made from constant private keys with the tests' PKI
 * helpers (tests/lib/pki.h), a second CA that the responder does not serve,
 * and an index with every kind of entry.  Ed25519 signatures are
 * deterministic and the clock is fixed, so every answer is too.  Test
 * data only: these keys are public. */
#ifndef OCSPKIT_FUZZ_RESPONDER_FIXTURE_H
#define OCSPKIT_FUZZ_RESPONDER_FIXTURE_H

#include "tests/lib/pki.h"
#include "responder/answer.h"
#include "responder/route.h"
#include "responder/source_index.h"

#define RFX_NOW 1800000000 /* 2027-01-15T08:00:00Z */
#define RFX_VALIDITY 3600
/* what serve sets with the default reload interval */
#define RFX_UNKNOWN_MAX_AGE 6

/* Serials 1001 (good), 1002 .. 1007 (revoked, each form), 1008 (expired);
 * anything else is unknown. */
static const char rfx_index[] =
	"V\t301231235959Z\t\t1001\tunknown\t/CN=good\n"
	"R\t301231235959Z\t240101000000Z,keyCompromise\t1002\tunknown\t/CN=revoked\n"
	"R\t301231235959Z\t240101000000Z\t1003\tunknown\t/CN=noreason\n"
	"R\t301231235959Z\t240301000000Z,keyTime,20240215000000Z\t1004\tunknown\t/CN=keytime\n"
	"R\t301231235959Z\t240401000000Z,CAkeyTime,20240320101010Z\t1005\tunknown\t/CN=cakeytime\n"
	"R\t301231235959Z\t240215123000Z,holdInstruction,holdInstructionReject\t1006\tunknown\t/CN=hold\n"
	"R\t301231235959Z\t240501000000Z,superseded\t1007\tunknown\t/CN=superseded\n"
	"E\t200101000000Z\t\t1008\tunknown\t/CN=expired\n";

typedef struct {
	ocspkit_privkey *ca_key, *resp_key, *other_key;
	ocspkit_signer *ca_signer, *resp_signer, *other_signer; /* of the keys */
	ocspkit_cert *ca, *resp, *other;
	ocspkit_bytes resp_view;
	rsp_signer signer;
	rsp_source *index;
	rsp_ca cas[1];
	rsp_responder r;
	rsp_answerer answerer;  /* r, as the HTTP layer sees it */
	rsp_route_opts route;
} rfx;

/* Builds the fixture (aborts on failure: this is set-up, not a finding). */
static void rfx_init(rfx *f)
{
	memset(f, 0, sizeof(*f));
	f->ca_key = pki_ed25519_fixed(0x11);
	f->resp_key = pki_ed25519_fixed(0x22);
	f->other_key = pki_ed25519_fixed(0x33);
	pki_ca_and_responder(&f->ca, &f->resp, NULL, "Fuzz Responder CA", f->ca_key, "Fuzz OCSP Responder",
			     f->resp_key);
	f->other = pki_ca_cert("Fuzz Stranger CA", f->other_key);
	f->resp_view = ocspkit_cert_get_der(f->resp);
	if (ocspkit_signer_from_privkey(&f->ca_signer, f->ca_key, NULL) != OCSPKIT_OK ||
	    ocspkit_signer_from_privkey(&f->resp_signer, f->resp_key, NULL) != OCSPKIT_OK ||
	    ocspkit_signer_from_privkey(&f->other_signer, f->other_key, NULL) != OCSPKIT_OK)
		abort();
	f->signer.signer = f->resp_signer;
	f->signer.cert = f->resp;
	f->signer.certs = &f->resp_view;
	f->signer.cert_count = 1;
	rsp_index *idx;
	if (rsp_index_parse(&idx, (const uint8_t *)rfx_index, sizeof(rfx_index) - 1, NULL) != OCSPKIT_OK ||
	    rsp_index_source_new(&f->index, NULL, NULL) != OCSPKIT_OK)
		abort();
	rsp_index_source_set(f->index, idx, RFX_NOW);
	if (rsp_ca_init(&f->cas[0], f->ca, &f->signer, f->index) != OCSPKIT_OK)
		abort();
	f->r.cas = f->cas;
	f->r.n_cas = 1;
	f->r.validity = RFX_VALIDITY;
	f->answerer = rsp_responder_answerer(&f->r);
	f->route.max_body = 4096;
	f->route.max_path = 4096;
	f->route.prefix = "/";
	f->route.unknown_max_age = RFX_UNKNOWN_MAX_AGE;
}

static void rfx_free(rfx *f) __attribute__((unused));
static void rfx_free(rfx *f)
{
	rsp_source_free(f->index);
	ocspkit_cert_free(f->ca);
	ocspkit_cert_free(f->resp);
	ocspkit_cert_free(f->other);
	ocspkit_signer_free(f->ca_signer);
	ocspkit_signer_free(f->resp_signer);
	ocspkit_signer_free(f->other_signer);
	ocspkit_privkey_free(f->ca_key);
	ocspkit_privkey_free(f->resp_key);
	ocspkit_privkey_free(f->other_key);
}

/* The DER request (ocspkit_free) for two-octet serials of issuer in hash
 * (its parameters absent or NULL), with a nonce of nonce_len octets (at
 * most 32) or none. */
static uint8_t *rfx_request(size_t *len, const ocspkit_cert *issuer, const unsigned *serials, size_t n,
			    ocspkit_hash hash, int absent, size_t nonce_len) __attribute__((unused));
static uint8_t *rfx_request(size_t *len, const ocspkit_cert *issuer, const unsigned *serials, size_t n,
			    ocspkit_hash hash, int absent, size_t nonce_len)
{
	ocspkit_cert_id_value v[8];
	ocspkit_single_request q[8];
	ocspkit_request_tbs tbs;
	ocspkit_extension ext;
	uint8_t nonce[32], value[40], *der;
	if (n > 8 || nonce_len > sizeof(nonce))
		abort();
	memset(q, 0, sizeof(q));
	memset(&tbs, 0, sizeof(tbs));
	for (size_t i = 0; i < n; i++) {
		uint8_t sb[2] = { (uint8_t)(serials[i] >> 8), (uint8_t)serials[i] };
		if (ocspkit_cert_id_compute(&v[i], hash, issuer, (ocspkit_bytes){ sb, 2 }))
			abort();
		q[i].cert_id = ocspkit_cert_id_value_view(&v[i]);
		if (absent)
			q[i].cert_id.hash_algorithm.params = (ocspkit_bytes){ NULL, 0 };
	}
	tbs.requests = q;
	tbs.request_count = n;
	if (nonce_len) {
		for (size_t i = 0; i < sizeof(nonce); i++)
			nonce[i] = (uint8_t)(0xC3 ^ i);
		memset(&ext, 0, sizeof(ext));
		ext.type = OCSPKIT_EXT_NONCE;
		if (ocspkit_ext_nonce_value(value, sizeof(value), &ext.value.len, (ocspkit_bytes){ nonce, nonce_len }))
			abort();
		ext.value.data = value;
		tbs.extensions = &ext;
		tbs.extension_count = 1;
	}
	if (ocspkit_request_encode(&der, len, &tbs, NULL))
		abort();
	return der;
}

/* The fixed responder's answer to the DER request at time now, as a
 * malloc'd copy. */
static uint8_t *rfx_answer(const rfx *f, const uint8_t *req, size_t req_len, int64_t now, size_t *len)
	__attribute__((unused));
static uint8_t *rfx_answer(const rfx *f, const uint8_t *req, size_t req_len, int64_t now, size_t *len)
{
	rsp_answer a;
	if (rsp_answer_request(&a, &f->r, req, req_len, now, 0) != OCSPKIT_OK)
		abort();
	uint8_t *out = malloc(a.blob->len);
	if (!out)
		abort();
	memcpy(out, a.blob->der, a.blob->len);
	*len = a.blob->len;
	rsp_answer_clear(&a);
	return out;
}


#endif
