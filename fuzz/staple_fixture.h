/* A fixed PKI for fuzz/staple_fuzzer.c, fuzz/validate_fuzzer.c and their
 * seeds (fuzz/gen_corpus.c), made with the tests' PKI fixture
 * (tests/lib/pki.h): an Ed25519 CA, a delegated responder
 * (id-kp-OCSPSigning) and a leaf certificate (serial 0x1001, must-staple,
 * an OCSP URL), valid 2020 to 2045, with the CA's and the responder's
 * private keys, so that seeds can carry real signatures and reach every
 * check of the stapling decisions.  The keys are SHA-256("ocspkit staple
 * fuzz " + role), the names "/O=ocspkit fuzz/CN=...": the CertIDs and
 * responder IDs of the seeds made when pyca/cryptography built this PKI
 * are still these.  Ed25519 signatures are deterministic, so the seeds
 * are too.  Test data only: these keys are public.
 */
#ifndef OCSPKIT_FUZZ_STAPLE_FIXTURE_H
#define OCSPKIT_FUZZ_STAPLE_FIXTURE_H

#include "tests/lib/pki.h"

/* The harness's clock: 2027-01-15T08:00:00Z (an input moves it by whole
 * hours). */
#define STAPLE_FX_NOW 1800000000
#define STAPLE_FX_HOUR 3600
/* The nonce an input can say was sent (header flag). */
#define STAPLE_FX_NONCE "ocspkit fuzz nce"
#define STAPLE_FX_NONCE_LEN 16

#define STAPLE_FX_CA "/O=ocspkit fuzz/CN=Staple Fuzz CA"
#define STAPLE_FX_NOT_BEFORE 1577836800 /* 2020-01-01 */
#define STAPLE_FX_NOT_AFTER 2366841600  /* 2045-01-01 */

static const uint8_t staple_fx_ca_key[32] = {
	0xc3, 0x1f, 0x89, 0x42, 0xb6, 0x39, 0xca, 0x13, 0x5d, 0x58, 0x84, 0x31,
	0x60, 0xf8, 0xb8, 0xb8, 0xd0, 0xb2, 0x3f, 0xbe, 0xd2, 0x6d, 0xa8, 0x2f,
	0x55, 0x56, 0xff, 0x76, 0xa4, 0x19, 0x0d, 0x8f,
};

static const uint8_t staple_fx_responder_key[32] = {
	0x0e, 0x6d, 0x83, 0x46, 0x4f, 0x5a, 0x99, 0xa2, 0x63, 0xce, 0x2f, 0xa1,
	0xff, 0x77, 0xb4, 0x70, 0x4c, 0x07, 0x9c, 0xe5, 0x32, 0x6f, 0xc9, 0x23,
	0x39, 0xa2, 0x2b, 0x8a, 0x7e, 0x30, 0x84, 0x9b,
};

typedef struct {
	ocspkit_cert *ca, *responder, *leaf;
	ocspkit_privkey *ca_key, *responder_key;
	ocspkit_signer *ca_signer, *responder_signer; /* of the keys */
} staple_fx;

/* 0 on success. */
static inline int staple_fx_load(staple_fx *fx)
{
	static const uint8_t leaf_key[32] = { 0x1e };
	ocspkit_privkey *lk;
	pki_cert_spec s;
	memset(fx, 0, sizeof(*fx));
	fx->ca_key = pki_ed25519_key(staple_fx_ca_key);
	fx->responder_key = pki_ed25519_key(staple_fx_responder_key);
	lk = pki_ed25519_key(leaf_key);
	memset(&s, 0, sizeof(s));
	s.subject = s.issuer = STAPLE_FX_CA;
	s.serial = 1;
	s.not_before = STAPLE_FX_NOT_BEFORE;
	s.not_after = STAPLE_FX_NOT_AFTER;
	s.ca = 1;
	s.key = s.issuer_key = fx->ca_key;
	fx->ca = pki_cert(&s);
	s.subject = "/O=ocspkit fuzz/CN=Staple Fuzz Responder";
	s.serial = 2;
	s.ca = 0;
	s.ocsp_signing = 1;
	s.key = fx->responder_key;
	fx->responder = pki_cert(&s);
	s.subject = "/O=ocspkit fuzz/CN=www.example";
	s.serial = 0x1001;
	s.ocsp_signing = 0;
	s.server_auth = 1;
	s.ku = PKI_KU_NONE;
	s.ocsp_url = "http://127.0.0.1/ocsp";
	s.must_staple = 1;
	s.key = lk;
	fx->leaf = pki_cert(&s);
	ocspkit_privkey_free(lk);
	if (ocspkit_signer_from_privkey(&fx->ca_signer, fx->ca_key, NULL) ||
	    ocspkit_signer_from_privkey(&fx->responder_signer, fx->responder_key, NULL))
		return -1;
	return 0;
}

static inline void staple_fx_free(staple_fx *fx)
{
	ocspkit_cert_free(fx->ca);
	ocspkit_cert_free(fx->responder);
	ocspkit_cert_free(fx->leaf);
	ocspkit_signer_free(fx->ca_signer);
	ocspkit_signer_free(fx->responder_signer);
	ocspkit_privkey_free(fx->ca_key);
	ocspkit_privkey_free(fx->responder_key);
	memset(fx, 0, sizeof(*fx));
}

/* What a signed response says; times are offsets in seconds from
 * STAPLE_FX_NOW. */
typedef struct {
	ocspkit_cert_status status;
	long this_update, next_update, produced;
	int no_next_update;
	int delegated;        /* signed by the responder, its certificate embedded */
	int wrong_key;        /* the CA's name, the responder's key, no certificate */
	const uint8_t *serial; /* another serial (content octets), default the leaf's */
	size_t serial_len;
	ocspkit_hash hash;    /* CertID hash, SHA-1 by default */
	const uint8_t *nonce; /* echoed nonce */
	size_t nonce_len;
	int critical_ext;     /* 1: an unknown critical responseExtension; 2: the same
			       * in the SingleResponse */
	int twin;             /* a second SingleResponse for the same CertID, unknown */
} staple_fx_spec;

/* The DER of a response (ocspkit_free), or NULL. */
static inline uint8_t *staple_fx_sign(const staple_fx *fx, const staple_fx_spec *s, size_t *len)
{
	ocspkit_cert_id_value v;
	ocspkit_single_response singles[2], one;
	ocspkit_response_tbs d;
	ocspkit_extension exts[2], odd;
	size_t n_ext = 0;
	static const uint8_t odd_oid[] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0xe6, 0x3f, 0x01 };
	static const uint8_t odd_value[] = { 0x05, 0x00 };
	uint8_t ext_value[OCSPKIT_MAX_NONCE_SIZE + 2];
	uint8_t *der = NULL;
	ocspkit_bytes serial = s->serial ? (ocspkit_bytes){ s->serial, s->serial_len } : ocspkit_cert_get_serial(fx->leaf);

	if (ocspkit_cert_id_compute(&v, s->hash ? s->hash : OCSPKIT_HASH_SHA1, fx->ca, serial))
		return NULL;
	memset(&one, 0, sizeof(one));
	memset(&d, 0, sizeof(d));
	memset(exts, 0, sizeof(exts));
	memset(&odd, 0, sizeof(odd));
	odd.oid = (ocspkit_bytes){ odd_oid, sizeof(odd_oid) };
	odd.critical = 1;
	odd.value = (ocspkit_bytes){ odd_value, sizeof(odd_value) };
	one.cert_id = ocspkit_cert_id_value_view(&v);
	one.status = s->status;
	if (s->status == OCSPKIT_CERT_REVOKED) {
		one.revocation_time = STAPLE_FX_NOW - 240 * STAPLE_FX_HOUR;
		one.has_revocation_reason = 1;
		one.revocation_reason = OCSPKIT_REASON_KEY_COMPROMISE;
	}
	one.this_update = STAPLE_FX_NOW + s->this_update;
	one.has_next_update = !s->no_next_update;
	one.next_update = STAPLE_FX_NOW + s->next_update;
	d.responder_id.type = OCSPKIT_RESPONDER_BY_NAME;
	d.responder_id.value = ocspkit_cert_get_subject(s->delegated ? fx->responder : fx->ca);
	d.produced_at = STAPLE_FX_NOW + (s->produced ? s->produced : s->this_update);
	singles[0] = singles[1] = one;
	if (s->critical_ext == 2) {
		singles[0].extensions = &odd;
		singles[0].extension_count = 1;
	}
	singles[1].status = OCSPKIT_CERT_UNKNOWN;
	singles[1].has_revocation_reason = 0;
	d.responses = singles;
	d.response_count = s->twin ? 2 : 1;
	if (s->nonce_len) {
		exts[n_ext].type = OCSPKIT_EXT_NONCE;
		if (ocspkit_ext_nonce_value(ext_value, sizeof(ext_value), &exts[n_ext].value.len,
					    (ocspkit_bytes){ s->nonce, s->nonce_len }))
			return NULL;
		exts[n_ext++].value.data = ext_value;
	}
	if (s->critical_ext == 1)
		exts[n_ext++] = odd;
	d.extensions = n_ext ? exts : NULL;
	d.extension_count = n_ext;
	ocspkit_bytes cert = ocspkit_cert_get_der(fx->responder);
	if (ocspkit_response_sign(&der, len, &d, s->delegated || s->wrong_key ? fx->responder_signer : fx->ca_signer,
				  s->delegated ? &cert : NULL, s->delegated ? 1 : 0))
		return NULL;
	return der;
}

#endif
