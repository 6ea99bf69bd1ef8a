/* OCSPResponse decoding (ocspkit_response_decode), as a client or a TLS
 * server stapling responses meets it.
 *
 * For each input: a strict decode and a tolerant one (every
 * OCSPKIT_DECODE_ALLOW_* flag).  What a decode accepts is read through every
 * accessor, lookups by CertID, the typed extension readers, the embedded
 * certificates and the text printer (as GnuTLS's harness prints the whole
 * response).  Oracles:
 *  - round trip: a strictly accepted input re-encodes, from the decoded
 *    structs, to exactly the input (tbsResponseData, then the whole
 *    OCSPResponse around it);
 *  - the flags only widen: what strict decoding accepts, tolerant decoding
 *    accepts and re-encodes the same way;
 *  - fixed point: an input only the tolerant decode accepts re-encodes to a
 *    canonical message that decodes again and re-encodes to itself;
 *  - lookups: ocspkit_response_find() answers every CertID of the response
 *    with its first SingleResponse, or with a conflict exactly when another
 *    one with the same CertID says something else.
 */
#include <config.h>

#include <string.h>

#include "fuzz.h"

#define FIND_CHECKS 8

static int same_status(const ocspkit_single_response *a, const ocspkit_single_response *b)
{
	if (a->status != b->status)
		return 0;
	if (a->status != OCSPKIT_CERT_REVOKED)
		return 1;
	return a->revocation_time == b->revocation_time && a->has_revocation_reason == b->has_revocation_reason &&
	       (!a->has_revocation_reason || a->revocation_reason == b->revocation_reason);
}

static void visit_single(const ocspkit_response *resp, const ocspkit_response_tbs *d, size_t i, ocspkit_bytes der)
{
	const ocspkit_single_response *s = ocspkit_response_get_single(resp, i), *found = NULL;
	ORACLE(s == &d->responses[i], "get(%zu)", i);
	fuzz_cert_id(&s->cert_id);
	ORACLE(fuzz_inside(s->cert_id.issuer_name_hash, der.data, der.len) &&
		       fuzz_inside(s->cert_id.serial, der.data, der.len),
	       "CertID outside the message");
	ORACLE(s->status == OCSPKIT_CERT_GOOD || s->status == OCSPKIT_CERT_REVOKED || s->status == OCSPKIT_CERT_UNKNOWN,
	       "status %d", (int)s->status);
	(void)strlen(ocspkit_cert_status_name(s->status));
	if (s->status == OCSPKIT_CERT_REVOKED && s->has_revocation_reason) {
		ORACLE((unsigned)s->revocation_reason <= 10 && s->revocation_reason != 7, "reason %d",
		       (int)s->revocation_reason);
		(void)strlen(ocspkit_crl_reason_name(s->revocation_reason));
	}
	ORACLE(s->status == OCSPKIT_CERT_REVOKED || !s->has_revocation_reason, "a reason without revocation");
	fuzz_extensions(s->extensions, s->extension_count);

	/* Lookups cost O(n) each: checked for the first and last few
	 * SingleResponses only, so that the harness itself stays linear and
	 * the timeout oracle measures the library. */
	if (i >= FIND_CHECKS && i + FIND_CHECKS < d->response_count)
		return;
	/* the first SingleResponse with this CertID, and whether a later one
	 * says something else */
	size_t first = i;
	int conflict = 0;
	for (size_t j = 0; j < d->response_count; j++) {
		if (!ocspkit_cert_id_equal(&d->responses[j].cert_id, &s->cert_id))
			continue;
		if (j < first)
			first = j;
		if (!same_status(&d->responses[j], s))
			conflict = 1;
	}
	ocspkit_err e = ocspkit_response_find(&found, resp, &s->cert_id);
	if (conflict) {
		ORACLE(e == OCSPKIT_E_CERT_ID_CONFLICT && found == NULL, "find: %s, expected a conflict",
		       ocspkit_strerror_name(e));
	} else {
		ORACLE(e == OCSPKIT_OK && found == &d->responses[first], "find: %s, entry %ld instead of %zu",
		       ocspkit_strerror_name(e), found ? (long)(found - d->responses) : -1L, first);
	}
}

static void visit(const ocspkit_response *resp, const uint8_t *data, size_t size)
{
	ocspkit_response_tbs d;
	ocspkit_signature_block sig;
	ocspkit_bytes der = ocspkit_response_get_der(resp), nonce;
	ocspkit_response_status st = ocspkit_response_get_status(resp);
	const ocspkit_single_response *found;
	ocspkit_cert_id none;
	char *text;
	ocspkit_err e;

	ORACLE(der.len == size && memcmp(der.data, data, size) == 0, "der() is not the input");
	ORACLE(st <= OCSPKIT_RESPONSE_UNAUTHORIZED && st != 4, "status %d", (int)st);
	(void)strlen(ocspkit_response_status_name(st));
	memset(&d, 0, sizeof(d));
	memset(&sig, 0, sizeof(sig));
	memset(&none, 0, sizeof(none));
	ocspkit_bytes tbs = { NULL, 0 }, type = { NULL, 0 };
	ocspkit_err body[4] = { ocspkit_response_get_tbs(&d, resp), ocspkit_response_get_signature(&sig, resp),
				ocspkit_response_get_tbs_der(&tbs, resp), ocspkit_response_get_type(&type, resp) };
	for (size_t i = 0; i < 4; i++)
		ORACLE(body[i] == (st == OCSPKIT_RESPONSE_SUCCESSFUL ? OCSPKIT_OK : OCSPKIT_E_NOT_FOUND),
		       "accessor %zu of the body: %s with status %d", i, ocspkit_strerror_name(body[i]), (int)st);

	if (st != OCSPKIT_RESPONSE_SUCCESSFUL) {
		ORACLE(d.response_count == 0 && d.responses == NULL && ocspkit_response_get_single_count(resp) == 0 &&
			       ocspkit_response_get_single(resp, 0) == NULL && d.extension_count == 0,
		       "an unsuccessful response with content");
		ORACLE(ocspkit_response_get_nonce(&nonce, resp) == OCSPKIT_E_NOT_FOUND, "nonce of an error response");
		ORACLE(ocspkit_response_find(&found, resp, &none) == OCSPKIT_E_NOT_SUCCESSFUL, "find");
		ORACLE(tbs.len == 0 && type.len == 0, "views");
	} else {
		ORACLE(fuzz_inside(tbs, der.data, der.len) && tbs.len > 0, "tbs_der() outside the message");
		fuzz_oid(type);
		ORACLE(d.version == 0, "version %ld", d.version);
		if (d.responder_id.type == OCSPKIT_RESPONDER_BY_KEY) {
			ORACLE(d.responder_id.value.len == 20, "byKey of %zu octets", d.responder_id.value.len);
		} else {
			ORACLE(d.responder_id.type == OCSPKIT_RESPONDER_BY_NAME, "responder id type %d",
			       (int)d.responder_id.type);
			fuzz_name(d.responder_id.value);
		}
		ORACLE(ocspkit_response_get_single_count(resp) == d.response_count &&
			       d.response_count <= OCSPKIT_MAX_SINGLE_RESPONSES,
		       "%zu responses", d.response_count);
		for (size_t i = 0; i < d.response_count; i++)
			visit_single(resp, &d, i, der);
		ORACLE(ocspkit_response_get_single(resp, d.response_count) == NULL, "get() past the end");
		e = ocspkit_response_find(&found, resp, &none);
		ORACLE(e == OCSPKIT_E_NOT_FOUND && found == NULL, "find() of an empty CertID: %s", ocspkit_strerror_name(e));
		fuzz_extensions(d.extensions, d.extension_count);

		const ocspkit_extension *ne;
		if (ocspkit_extensions_find(&ne, d.extensions, d.extension_count, OCSPKIT_EXT_NONCE) != OCSPKIT_OK)
			ne = NULL;
		e = ocspkit_response_get_nonce(&nonce, resp);
		ORACLE((e == OCSPKIT_OK) == (ne != NULL), "nonce(): %s", ocspkit_strerror_name(e));
		if (e == OCSPKIT_OK && ne) {
			ocspkit_bytes n2;
			ORACLE(ocspkit_ext_nonce(&n2, ne) == OCSPKIT_OK && n2.len == nonce.len && n2.data == nonce.data,
			       "nonce() and ocspkit_ext_nonce differ");
		}
		fuzz_oid(sig.algorithm.oid);
		ORACLE(sig.cert_count <= OCSPKIT_MAX_CERTIFICATES, "%zu certificates", sig.cert_count);
		for (size_t i = 0; i < sig.cert_count; i++) {
			ORACLE(fuzz_inside(sig.certs[i], der.data, der.len), "certificate outside the message");
			fuzz_cert_bytes(sig.certs[i]);
		}
	}

	e = CALL(ocspkit_response_print(&text, resp));
	ORACLE(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY, "print: %s", ocspkit_strerror_name(e));
	if (e == OCSPKIT_OK)
		fuzz_string(text);
}

/* Encodes the decoded response back; NULL if the encoder refuses, which is a
 * finding when must is set (a strictly decoded message).  The encoder writes
 * strict DER only, so it may refuse what a tolerant decode let through
 * (an odd nonce size, padded INTEGERs inside certificates or parameters). */
static uint8_t *reencode(const ocspkit_response *resp, size_t *len, int must)
{
	ocspkit_response_tbs d;
	ocspkit_signature_block sig;
	ocspkit_response_status st = ocspkit_response_get_status(resp);
	uint8_t *tbs = NULL, *out = NULL;
	size_t tbs_len = 0;
	ocspkit_err e;

	if (st != OCSPKIT_RESPONSE_SUCCESSFUL) {
		e = CALL(ocspkit_response_encode_status(&out, len, st));
		ORACLE(e == OCSPKIT_OK || !must, "a decoded error response does not encode: %s", ocspkit_strerror_name(e));
		return e == OCSPKIT_OK ? out : NULL;
	}
	if (ocspkit_response_get_tbs(&d, resp) != OCSPKIT_OK || ocspkit_response_get_signature(&sig, resp) != OCSPKIT_OK)
		return NULL; /* a successful response has them: the decoding oracles say so */
	e = CALL(ocspkit_response_tbs_encode(&tbs, &tbs_len, &d));
	if (e != OCSPKIT_OK) {
		ORACLE(!must, "decoded ResponseData does not encode: %s", ocspkit_strerror_name(e));
		return NULL;
	}
	e = CALL(ocspkit_response_assemble(&out, len, (ocspkit_bytes){ tbs, tbs_len }, &sig));
	ORACLE(e == OCSPKIT_OK || !must, "a decoded response does not encode: %s", ocspkit_strerror_name(e));
	ocspkit_free(tbs);
	if (e == OCSPKIT_OK) {
		/* the struct and the signature in one call: the same octets */
		uint8_t *again;
		size_t again_len;
		if (CALL(ocspkit_response_encode(&again, &again_len, &d, &sig)) == OCSPKIT_OK) {
			SAME("ocspkit_response_encode and _assemble", out, *len, again, again_len);
			ocspkit_free(again);
		}
	}
	return e == OCSPKIT_OK ? out : NULL;
}

static ocspkit_err decode_any(void **out, const uint8_t *data, size_t size, unsigned flags, size_t *off)
{
	ocspkit_response *obj = NULL;
	ocspkit_err e = ocspkit_response_decode(&obj, data, size, flags, off);
	*out = obj;
	return e;
}

static void free_any(void *obj)
{
	ocspkit_response_free(obj);
}

static void visit_any(const void *obj, const uint8_t *data, size_t size)
{
	visit(obj, data, size);
}

static uint8_t *reencode_any(const void *obj, size_t *len, int must)
{
	return reencode(obj, len, must);
}

static const fuzz_codec codec = { "response", decode_any, free_any, visit_any, reencode_any };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_round_trips(&codec, data, size);
	return 0;
}
