/* Signing (the key's signer of codec/sign.c, the messages of signer.c,
 * the PSS encoding of sigalg.c) and the verification of what was signed
 * (verify.c), for every key type: a decoded response or request is
 * signed again with a fixed key's signer, and the result must decode,
 * carry the same to-be-signed octets and verify.
 *
 * Input: a 2-octet header, then the DER of a response or a request.
 *   [0] the key and options (modulo 10): RSA PKCS #1 v1.5 with SHA-256,
 *       with SHA-512, RSA PSS (salt 20, MGF1 SHA-1), an RSA-PSS key,
 *       P-256, P-384, P-521, P-256 with SHA-512, Ed25519, Ed448
 *   [1] bit 0: the input is a request; bits 1-7: which signature octet
 *       the forgery check changes
 *
 * Oracles:
 *  - what strict decoding accepted signs (re-encoding must work, as the
 *    decoding harnesses check);
 *  - the signed message decodes strictly, its tbsResponseData (or the
 *    request's TBSRequest) is the input's, and its algorithm is the one
 *    ocspkit_sign_algorithm announces for the key and options, which is
 *    the signer's;
 *  - the signature verifies with the key's public half, and fails when
 *    one of its octets changes, or with another key;
 *  - deterministic schemes (PKCS #1 v1.5, EdDSA) sign to the same octets
 *    twice; randomised ones (PSS, ECDSA) verify both times.
 * The keys are the tests' deterministic ones (tests/lib/pki.h); test data
 * only.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tests/lib/pki.h"

#define HEADER 2
#define N_SIGNERS 10

static struct {
	ocspkit_key_type type;
	ocspkit_sign_opts opts;
	int deterministic;
	ocspkit_privkey *key;
	ocspkit_pubkey *pub;
	ocspkit_cert *cert; /* self-signed, for ocspkit_request_verify */
} signers[N_SIGNERS];

static void cleanup(void)
{
	for (size_t i = 0; i < N_SIGNERS; i++) {
		ocspkit_privkey_free(signers[i].key);
		ocspkit_pubkey_free(signers[i].pub);
		ocspkit_cert_free(signers[i].cert);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	static const ocspkit_key_type types[N_SIGNERS] = {
		OCSPKIT_KEY_RSA,     OCSPKIT_KEY_RSA,     OCSPKIT_KEY_RSA,     OCSPKIT_KEY_RSA_PSS, OCSPKIT_KEY_EC_P256,
		OCSPKIT_KEY_EC_P384, OCSPKIT_KEY_EC_P521, OCSPKIT_KEY_EC_P256, OCSPKIT_KEY_ED25519, OCSPKIT_KEY_ED448
	};
	for (size_t i = 0; i < N_SIGNERS; i++) {
		signers[i].type = types[i];
		signers[i].key = pki_key(types[i], 1);
		signers[i].deterministic = i <= 1 || i >= 8;
		if (ocspkit_pubkey_from_privkey(&signers[i].pub, signers[i].key) != OCSPKIT_OK)
			abort();
		signers[i].cert = pki_ca_cert("Fuzz Signer", signers[i].key);
	}
	signers[1].opts.digest = OCSPKIT_HASH_SHA512;
	signers[2].opts.rsa_pss = 1;
	signers[2].opts.has_pss_salt_len = 1;
	signers[2].opts.pss_salt_len = 20;
	signers[2].opts.pss_mgf1_hash = OCSPKIT_HASH_SHA1;
	signers[7].opts.digest = OCSPKIT_HASH_SHA512;
	atexit(cleanup);
	return 0;
}

/* The algorithm the signer announces is the one the message carries. */
static void same_algorithm(size_t k, const ocspkit_algorithm_id *got)
{
	ocspkit_algorithm_value want;
	if (CALL(ocspkit_sign_algorithm(&want, signers[k].key, &signers[k].opts)) != OCSPKIT_OK)
		return;
	SAME("signature algorithm OID", want.oid, want.oid_len, got->oid.data, got->oid.len);
	SAME("signature algorithm parameters", want.params, want.params_len, got->params.data, got->params.len);
}

/* sig over tbs verifies with signer k's key, not with a changed octet
 * (at index at), not with another signer's key of another type. */
static void check_signature(size_t k, const ocspkit_algorithm_id *alg, const uint8_t *tbs, size_t tbs_len,
			    ocspkit_bytes sig, unsigned at)
{
	ocspkit_err e = CALL(ocspkit_verify_signature(signers[k].pub, alg, tbs, tbs_len, sig));
	ORACLE(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY, "signer %zu: the signature does not verify: %s", k,
	       ocspkit_strerror_name(e));
	if (sig.len == 0)
		return;
	uint8_t *forged = malloc(sig.len);
	if (!forged)
		abort();
	memcpy(forged, sig.data, sig.len);
	forged[at % sig.len] ^= 0x01;
	e = CALL(ocspkit_verify_signature(signers[k].pub, alg, tbs, tbs_len, (ocspkit_bytes){ forged, sig.len }));
	ORACLE(e != OCSPKIT_OK, "signer %zu: a signature with octet %zu changed verifies", k, (size_t)(at % sig.len));
	free(forged);
	size_t other = (k + 4) % N_SIGNERS; /* always a key of another type */
	{
		e = CALL(ocspkit_verify_signature(signers[other].pub, alg, tbs, tbs_len, sig));
		ORACLE(e != OCSPKIT_OK, "signer %zu's signature verifies with signer %zu's key", k, other);
	}
}

static void sign_response(size_t k, const ocspkit_signer *signer, const uint8_t *data, size_t size, unsigned at)
{
	ocspkit_response *in = NULL, *out = NULL;
	ocspkit_response_tbs d;
	ocspkit_signature_block sig;
	uint8_t *tbs = NULL, *tbs2 = NULL, *der = NULL, *der2 = NULL;
	size_t tbs_len, tbs2_len, len, len2;

	if (CALL(ocspkit_response_decode(&in, data, size, OCSPKIT_DECODE_STRICT, NULL)) != OCSPKIT_OK)
		return;
	if (ocspkit_response_get_tbs(&d, in) != OCSPKIT_OK)
		goto out; /* not successful: nothing to sign */
	if (CALL(ocspkit_response_tbs_encode(&tbs, &tbs_len, &d)) != OCSPKIT_OK)
		goto out;
	ocspkit_bytes cert = ocspkit_cert_get_der(signers[k].cert);
	ocspkit_err e = CALL(ocspkit_response_sign(&der, &len, &d, signer, &cert, 1));
	ORACLE(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY, "signer %zu: a decoded response does not sign: %s", k,
	       ocspkit_strerror_name(e));
	if (e != OCSPKIT_OK)
		goto out;
	size_t off = 0;
	e = CALL(ocspkit_response_decode(&out, der, len, OCSPKIT_DECODE_STRICT, &off));
	ORACLE(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY, "signer %zu: the signed response does not decode: %s at %zu",
	       k, ocspkit_strerror_name(e), off);
	if (e != OCSPKIT_OK)
		goto out;
	ocspkit_response_tbs d2;
	e = ocspkit_response_get_tbs(&d2, out);
	ORACLE(e == OCSPKIT_OK && ocspkit_response_get_signature(&sig, out) == OCSPKIT_OK,
	       "signer %zu: the signed response has no body", k);
	if (e != OCSPKIT_OK || CALL(ocspkit_response_tbs_encode(&tbs2, &tbs2_len, &d2)) != OCSPKIT_OK)
		goto out;
	SAME("tbsResponseData after signing", tbs, tbs_len, tbs2, tbs2_len);
	ORACLE(sig.cert_count == 1, "%zu certificates, one given", sig.cert_count);
	same_algorithm(k, &sig.algorithm);
	check_signature(k, &sig.algorithm, tbs, tbs_len, sig.signature, at);

	/* again */
	if (CALL(ocspkit_response_sign(&der2, &len2, &d, signer, &cert, 1)) != OCSPKIT_OK)
		goto out;
	if (signers[k].deterministic) {
		SAME("a deterministic signature twice", der, len, der2, len2);
	} else {
		ocspkit_response *again = NULL;
		if (CALL(ocspkit_response_decode(&again, der2, len2, OCSPKIT_DECODE_STRICT, NULL)) == OCSPKIT_OK) {
			ocspkit_signature_block s2;
			if (ocspkit_response_get_signature(&s2, again) == OCSPKIT_OK)
				check_signature(k, &s2.algorithm, tbs, tbs_len, s2.signature, at + 1);
			else
				ORACLE(0, "signer %zu: the response signed again has no body", k);
		}
		ocspkit_response_free(again);
	}
out:
	ocspkit_free(tbs);
	ocspkit_free(tbs2);
	ocspkit_free(der);
	ocspkit_free(der2);
	ocspkit_response_free(in);
	ocspkit_response_free(out);
}

static void sign_request(size_t k, const ocspkit_signer *signer, const uint8_t *data, size_t size)
{
	ocspkit_request *in = NULL, *out = NULL;
	ocspkit_request_tbs tbs, tbs2;
	uint8_t *der = NULL, *a = NULL, *b = NULL;
	size_t len, a_len, b_len;

	if (CALL(ocspkit_request_decode(&in, data, size, OCSPKIT_DECODE_STRICT, NULL)) != OCSPKIT_OK)
		return;
	ocspkit_request_get_tbs(&tbs, in);
	ocspkit_bytes cert = ocspkit_cert_get_der(signers[k].cert);
	ocspkit_err e = CALL(ocspkit_request_sign(&der, &len, &tbs, signer, &cert, 1));
	ORACLE(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY, "signer %zu: a decoded request does not sign: %s", k,
	       ocspkit_strerror_name(e));
	if (e != OCSPKIT_OK)
		goto out;
	size_t off = 0;
	e = CALL(ocspkit_request_decode(&out, der, len, OCSPKIT_DECODE_STRICT, &off));
	ORACLE(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY, "signer %zu: the signed request does not decode: %s at %zu",
	       k, ocspkit_strerror_name(e), off);
	if (e != OCSPKIT_OK)
		goto out;
	/* the same TBSRequest: both encode to the same unsigned request */
	ocspkit_request_get_tbs(&tbs2, out);
	if (CALL(ocspkit_request_encode(&a, &a_len, &tbs, NULL)) == OCSPKIT_OK &&
	    CALL(ocspkit_request_encode(&b, &b_len, &tbs2, NULL)) == OCSPKIT_OK)
		SAME("TBSRequest after signing", a, a_len, b, b_len);
	e = CALL(ocspkit_request_verify(out, signers[k].cert));
	ORACLE(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY, "signer %zu: the signed request does not verify: %s", k,
	       ocspkit_strerror_name(e));
	e = CALL(ocspkit_request_verify(out, NULL));
	ORACLE(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY,
	       "signer %zu: the signed request does not verify with its own certificate: %s", k, ocspkit_strerror_name(e));
	size_t other = (k + 4) % N_SIGNERS;
	{
		e = CALL(ocspkit_request_verify(out, signers[other].cert));
		ORACLE(e != OCSPKIT_OK, "signer %zu's request verifies with signer %zu's certificate", k, other);
	}
out:
	ocspkit_free(der);
	ocspkit_free(a);
	ocspkit_free(b);
	ocspkit_request_free(in);
	ocspkit_request_free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < HEADER)
		return 0;
	if (!signers[0].key)
		LLVMFuzzerInitialize(NULL, NULL);
	size_t k = data[0] % N_SIGNERS;
	ocspkit_signer *signer;
	if (CALL(ocspkit_signer_from_privkey(&signer, signers[k].key, &signers[k].opts)) != OCSPKIT_OK)
		return 0;
	ocspkit_algorithm_id alg = ocspkit_signer_get_algorithm(signer);
	same_algorithm(k, &alg);
	if (data[1] & 1)
		sign_request(k, signer, data + HEADER, size - HEADER);
	else
		sign_response(k, signer, data + HEADER, size - HEADER, data[1] >> 1);
	ocspkit_signer_free(signer);
	return 0;
}

/* The test helpers this harness does not use, marked as used. */
static void unused(void) __attribute__((unused));
static void unused(void)
{
	(void)check_total;
	(void)check_failed;
}
