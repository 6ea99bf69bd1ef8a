/* Verifying signatures: over any data, of certificates, of requests. */
#include <config.h>

#include <string.h>

#include <nettle/bignum.h>
#include <nettle/dsa.h>
#include <nettle/ecdsa.h>
#include <nettle/eddsa.h>

#include <ocspkit/ocsp.h>
#include <ocspkit/x509.h>
#include <ocspkit/crypto.h>

#include "algid.h"
#include "bytes.h"
#include "der.h"
#include "hash.h"
#include "mpz.h"
#include "ocsp_asn1.h"
#include "pkcs1.h"
#include "pss.h"
#include "pubkey.h"
#include "schema.h"
#include "sigalg.h"
#include "try.h"

/* PKCS #1 v1.5 (RFC 8017 8.2.2): Nettle rebuilds the expected encoding
 * and compares, so no parsing of the recovered block is involved. */
static ocspkit_err verify_rsa_pkcs1(const ocspkit_pubkey *key, ocspkit_hash h, const uint8_t *digest,
				    ocspkit_bytes sig)
{
	uint8_t di[OKIT_DIGEST_INFO_MAX];
	size_t di_len = okit_digest_info(di, h, digest);
	mpz_t s;
	int ok;

	/* RFC 8017 8.2.2 step 1: the signature has exactly k octets */
	if (sig.len != key->rsa.size)
		return OCSPKIT_E_BAD_SIGNATURE_ENCODING;
	mpz_init(s);
	okit_mpz_from_bytes(s, sig.data, sig.len);
	ok = di_len && rsa_pkcs1_verify(&key->rsa, di_len, di, s);
	mpz_clear(s);
	return ok ? OCSPKIT_OK : OCSPKIT_E_SIGNATURE_INVALID;
}

/* RSASSA-PSS-VERIFY (RFC 8017 8.1.2) */
static ocspkit_err verify_rsa_pss(const ocspkit_pubkey *key, const okit_sig_alg *sa, const uint8_t *digest,
				  ocspkit_bytes sig)
{
	uint8_t em[OCSPKIT_MAX_SIGNATURE_SIZE];
	size_t em_bits = key->bits - 1, em_len = (em_bits + 7) / 8;
	mpz_t s, m;
	int ok = 0;

	if (sig.len != key->rsa.size)
		return OCSPKIT_E_BAD_SIGNATURE_ENCODING;
	mpz_init(s);
	mpz_init(m);
	okit_mpz_from_bytes(s, sig.data, sig.len);
	if (mpz_cmp(s, key->rsa.n) < 0) {
		mpz_powm(m, s, key->rsa.e, key->rsa.n);
		/* I2OSP(m, emLen) fails when m does not fit */
		if (nettle_mpz_sizeinbase_256_u(m) <= em_len) {
			nettle_mpz_get_str_256(em_len, em, m);
			ok = okit_pss_verify(em, em_len, em_bits, okit_hash_nettle(sa->hash),
					     okit_hash_nettle(sa->mgf1), digest, sa->salt_len);
		}
	}
	mpz_clear(s);
	mpz_clear(m);
	return ok ? OCSPKIT_OK : OCSPKIT_E_SIGNATURE_INVALID;
}

/* ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }: strict DER
 * through the schema, and both INTEGERs positive. */
static ocspkit_err verify_ecdsa(const ocspkit_pubkey *key, ocspkit_hash h, const uint8_t *digest, ocspkit_bytes sig)
{
	okit_dctx c = okit_ctx(sig.data, 0);
	okit_tlv t;
	okit_val f[F_ECDSA_Sig_Value__COUNT];
	struct dsa_signature ds;
	int ok;

	if (sig.len == 0 || okit_sch_check_bytes(&c, T_ECDSA_Sig_Value, sig.data, sig.len, &t) ||
	    okit_sch_split(&c, T_ECDSA_Sig_Value, &t, f, F_ECDSA_Sig_Value__COUNT))
		return OCSPKIT_E_BAD_SIGNATURE_ENCODING;
	for (int i = 0; i < F_ECDSA_Sig_Value__COUNT; i++) {
		const okit_tlv *v = &f[i].inner;
		/* a sign bit, or more octets than the largest order (P-521) needs */
		if ((v->val[0] & 0x80) || v->val_len > 67)
			return OCSPKIT_E_BAD_SIGNATURE_ENCODING;
	}
	dsa_signature_init(&ds);
	okit_mpz_from_bytes(ds.r, f[F_ECDSA_Sig_Value_r].inner.val, f[F_ECDSA_Sig_Value_r].inner.val_len);
	okit_mpz_from_bytes(ds.s, f[F_ECDSA_Sig_Value_s].inner.val, f[F_ECDSA_Sig_Value_s].inner.val_len);
	/* Nettle refuses r, s outside 1 .. q-1 and truncates long digests */
	ok = ecdsa_verify(&key->ec, ocspkit_hash_size(h), digest, &ds);
	dsa_signature_clear(&ds);
	return ok ? OCSPKIT_OK : OCSPKIT_E_SIGNATURE_INVALID;
}

ocspkit_err ocspkit_verify_signature(const ocspkit_pubkey *key, const ocspkit_algorithm_id *alg,
				     const uint8_t *data, size_t len, ocspkit_bytes sig)
{
	okit_sig_alg sa;
	uint8_t digest[64];

	if (!key || !alg || (!data && len) || (!sig.data && sig.len))
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(okit_schema_init());
	TRY(okit_sig_alg_parse(alg, &sa));
	TRY(okit_sig_alg_fits(key->type, key, &sa));
	if (sa.hash)
		okit_hash_data(okit_hash_nettle(sa.hash), data, len, digest);

	switch (sa.kind) {
	case OKIT_SK_RSA_PKCS1:
		return verify_rsa_pkcs1(key, sa.hash, digest, sig);
	case OKIT_SK_RSA_PSS:
		return verify_rsa_pss(key, &sa, digest, sig);
	case OKIT_SK_ECDSA:
		return verify_ecdsa(key, sa.hash, digest, sig);
	case OKIT_SK_ED25519:
		if (sig.len != OKIT_ED25519_SIG_SIZE)
			return OCSPKIT_E_BAD_SIGNATURE_ENCODING;
		return ed25519_sha512_verify(key->ed, len, data, sig.data) ? OCSPKIT_OK : OCSPKIT_E_SIGNATURE_INVALID;
	case OKIT_SK_ED448:
		if (sig.len != OKIT_ED448_SIG_SIZE)
			return OCSPKIT_E_BAD_SIGNATURE_ENCODING;
		return ed448_shake256_verify(key->ed, len, data, sig.data) ? OCSPKIT_OK : OCSPKIT_E_SIGNATURE_INVALID;
	}
	return OCSPKIT_E_INTERNAL;
}

/* RFC 5280 4.1.1.2: signatureAlgorithm "MUST contain the same algorithm
 * identifier as the signature field in the sequence tbsCertificate". */
ocspkit_err ocspkit_cert_verify(const ocspkit_cert *cert, const ocspkit_pubkey *issuer_key)
{
	okit_val f[F_TBSCertificate__COUNT];
	ocspkit_algorithm_id inner;
	okit_tlv t;

	if (!cert || !issuer_key)
		return OCSPKIT_E_INVALID_ARGUMENT;
	ocspkit_bytes tbs = ocspkit_cert_get_tbs_der(cert);
	okit_dctx c = okit_ctx(tbs.data, 0);
	ocspkit_algorithm_id outer = ocspkit_cert_get_signature_algorithm(cert);
	if (okit_der_only(&c, tbs.data, tbs.len, &t) || okit_sch_split(&c, T_TBSCertificate, &t, f, F_TBSCertificate__COUNT) ||
	    okit_algid_read(&c, &f[F_TBSCertificate_signature].inner, &inner))
		return OCSPKIT_E_BAD_CERTIFICATE;
	if (!okit_bytes_equal(inner.oid, outer.oid) || !okit_bytes_equal(inner.params, outer.params))
		return OCSPKIT_E_BAD_CERTIFICATE;
	return ocspkit_verify_signature(issuer_key, &outer, tbs.data, tbs.len, ocspkit_cert_get_signature(cert));
}

ocspkit_err ocspkit_request_verify(const ocspkit_request *req, const ocspkit_cert *signer)
{
	ocspkit_signature_block sb;
	ocspkit_cert *own = NULL;
	ocspkit_pubkey *key = NULL;
	ocspkit_err e;

	if (!req)
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(ocspkit_request_get_signature(&sb, req));
	if (!signer) {
		if (sb.cert_count == 0)
			return OCSPKIT_E_SIGNER_NOT_FOUND;
		e = ocspkit_cert_decode(&own, sb.certs[0].data, sb.certs[0].len, OCSPKIT_DECODE_STRICT, NULL);
		if (e)
			return e == OCSPKIT_E_NO_MEMORY ? e : OCSPKIT_E_BAD_CERTIFICATE;
		signer = own;
	}
	e = ocspkit_pubkey_from_cert(&key, signer);
	if (!e) {
		ocspkit_bytes tbs = ocspkit_request_get_tbs_der(req);
		e = ocspkit_verify_signature(key, &sb.algorithm, tbs.data, tbs.len, sb.signature);
	}
	ocspkit_pubkey_free(key);
	ocspkit_cert_free(own);
	return e;
}
