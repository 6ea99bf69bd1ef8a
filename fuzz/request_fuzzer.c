/* OCSPRequest decoding (ocspkit_request_decode), as a responder meets it.
 *
 * For each input: a strict decode and a tolerant one (every
 * OCSPKIT_DECODE_ALLOW_* flag).  What a decode accepts is read through every
 * accessor, the typed extension readers, the embedded certificates and the
 * text printer.  Oracles:
 *  - round trip: a strictly accepted input re-encodes, from the decoded
 *    structs, to exactly the input (TBSRequest alone, the whole message by
 *    ocspkit_request_assemble and by ocspkit_request_encode);
 *  - the flags only widen: what strict decoding accepts, tolerant decoding
 *    accepts and re-encodes the same way;
 *  - fixed point: an input only the tolerant decode accepts re-encodes to a
 *    canonical message that decodes again and re-encodes to itself.
 */
#include <config.h>

#include <string.h>

#include "fuzz.h"

static void visit(const ocspkit_request *req, const uint8_t *data, size_t size)
{
	ocspkit_request_tbs tbs;
	ocspkit_signature_block sig;
	ocspkit_bytes der = ocspkit_request_get_der(req), tbs_der = ocspkit_request_get_tbs_der(req), nonce;
	char *text;

	ORACLE(der.len == size && memcmp(der.data, data, size) == 0, "der() is not the input");
	ORACLE(fuzz_inside(tbs_der, der.data, der.len) && tbs_der.len > 0 && tbs_der.len < der.len, "tbs_der() outside the message");
	ocspkit_request_get_tbs(&tbs, req);
	ORACLE(tbs.version == 0, "version %ld", tbs.version);
	ORACLE(ocspkit_request_get_single_count(req) == tbs.request_count, "count");
	ORACLE(tbs.request_count <= OCSPKIT_MAX_REQUESTS, "%zu requests", tbs.request_count);
	for (size_t i = 0; i < tbs.request_count; i++) {
		const ocspkit_single_request *q = ocspkit_request_get_single(req, i);
		ORACLE(q == &tbs.requests[i], "get(%zu)", i);
		fuzz_cert_id(&q->cert_id);
		ORACLE(fuzz_inside(q->cert_id.serial, der.data, der.len), "serial outside the message");
		fuzz_extensions(q->extensions, q->extension_count);
	}
	ORACLE(ocspkit_request_get_single(req, tbs.request_count) == NULL, "get() past the end");
	if (tbs.requestor_name.len) {
		if (CALL(ocspkit_general_name_to_string(&text, tbs.requestor_name)) == OCSPKIT_OK)
			fuzz_string(text);
	}
	fuzz_extensions(tbs.extensions, tbs.extension_count);

	/* the nonce accessor agrees with the typed reader of the extension */
	const ocspkit_extension *ne;
	if (ocspkit_extensions_find(&ne, tbs.extensions, tbs.extension_count, OCSPKIT_EXT_NONCE) != OCSPKIT_OK)
		ne = NULL;
	ocspkit_err e = ocspkit_request_get_nonce(&nonce, req);
	ORACLE((e == OCSPKIT_OK) == (ne != NULL), "nonce(): %s", ocspkit_strerror_name(e));
	if (e == OCSPKIT_OK && ne) {
		ocspkit_bytes n2;
		ORACLE(ocspkit_ext_nonce(&n2, ne) == OCSPKIT_OK && n2.len == nonce.len && n2.data == nonce.data,
		       "nonce() and ocspkit_ext_nonce differ");
	}

	memset(&sig, 0, sizeof(sig));
	int is_signed = ocspkit_request_get_signature(&sig, req) == OCSPKIT_OK;
	ORACLE(is_signed == 0 || is_signed == 1, "signed %d", is_signed);
	if (is_signed) {
		fuzz_oid(sig.algorithm.oid);
		ORACLE(sig.cert_count <= OCSPKIT_MAX_CERTIFICATES, "%zu certificates", sig.cert_count);
		for (size_t i = 0; i < sig.cert_count; i++)
			fuzz_cert_bytes(sig.certs[i]);
		/* the signature, with the first certificate carried */
		e = CALL(ocspkit_request_verify(req, NULL));
		ORACLE(e != OCSPKIT_E_NOT_FOUND, "a signed request is not signed");
		ORACLE(sig.cert_count || e == OCSPKIT_E_SIGNER_NOT_FOUND || e == OCSPKIT_E_NO_MEMORY,
		       "verified without a certificate: %s", ocspkit_strerror_name(e));
	} else {
		ORACLE(CALL(ocspkit_request_verify(req, NULL)) == OCSPKIT_E_NOT_FOUND, "an unsigned request verifies");
		ORACLE(sig.cert_count == 0 && sig.signature.len == 0, "an unsigned request filled a signature block");
	}

	e = CALL(ocspkit_request_print(&text, req));
	ORACLE(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY, "print: %s", ocspkit_strerror_name(e));
	if (e == OCSPKIT_OK)
		fuzz_string(text);
}

/* Encodes the decoded request back; NULL if the encoder refuses, which is a
 * finding when must is set (a strictly decoded message).  The encoder writes
 * strict DER only, so it may refuse what a tolerant decode let through
 * (an odd nonce size, padded INTEGERs inside certificates or parameters). */
static uint8_t *reencode(const ocspkit_request *req, size_t *len, int must)
{
	ocspkit_request_tbs tbs;
	ocspkit_signature_block sig;
	uint8_t *tbs_out, *out = NULL, *out2 = NULL;
	size_t tbs_len, len2;

	ocspkit_request_get_tbs(&tbs, req);
	int is_signed = ocspkit_request_get_signature(&sig, req) == OCSPKIT_OK;
	ocspkit_err e = CALL(ocspkit_request_tbs_encode(&tbs_out, &tbs_len, &tbs));
	if (e != OCSPKIT_OK) {
		ORACLE(!must, "a decoded TBSRequest does not encode: %s", ocspkit_strerror_name(e));
		return NULL;
	}
	e = CALL(ocspkit_request_assemble(&out, len, (ocspkit_bytes){ tbs_out, tbs_len }, is_signed ? &sig : NULL));
	ORACLE(e == OCSPKIT_OK || !must, "a decoded request does not assemble: %s", ocspkit_strerror_name(e));
	if (e == OCSPKIT_OK) {
		e = CALL(ocspkit_request_encode(&out2, &len2, &tbs, is_signed ? &sig : NULL));
		ORACLE(e == OCSPKIT_OK || !must, "request_encode: %s", ocspkit_strerror_name(e));
		if (e == OCSPKIT_OK)
			SAME("request_encode == tbs_encode + assemble", out, *len, out2, len2);
		ocspkit_free(out2);
	}
	ocspkit_free(tbs_out);
	if (e != OCSPKIT_OK) {
		ocspkit_free(out);
		out = NULL;
	}
	return out;
}

static ocspkit_err decode_any(void **out, const uint8_t *data, size_t size, unsigned flags, size_t *off)
{
	ocspkit_request *obj = NULL;
	ocspkit_err e = ocspkit_request_decode(&obj, data, size, flags, off);
	*out = obj;
	return e;
}

static void free_any(void *obj)
{
	ocspkit_request_free(obj);
}

static void visit_any(const void *obj, const uint8_t *data, size_t size)
{
	visit(obj, data, size);
}

static uint8_t *reencode_any(const void *obj, size_t *len, int must)
{
	return reencode(obj, len, must);
}

static const fuzz_codec codec = { "request", decode_any, free_any, visit_any, reencode_any };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_round_trips(&codec, data, size);
	return 0;
}
