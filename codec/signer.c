/* The signer interface (<ocspkit/crypto.h>): an algorithm, a sign
 * callback and its context, whatever holds the key; and the signed
 * messages made through it, responses and requests alike.
 *
 * A signer is immutable once made: signing reads it and calls the
 * callback, which its maker promised may run on several threads at once. */
#include <config.h>

#include <string.h>

#include <ocspkit/crypto.h>

#include "algid.h"
#include "alloc.h"
#include "try.h"

struct ocspkit_signer {
	ocspkit_signer_ops ops;
	void *ctx;
	ocspkit_algorithm_value alg;
	size_t max_sig;
};

ocspkit_err ocspkit_signer_new(ocspkit_signer **out, const ocspkit_signer_ops *ops, void *ctx,
			       const ocspkit_algorithm_value *alg, size_t max_signature_size)
{
	ocspkit_signer *s;

	if (!out)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*out = NULL;
	if (!ops || !ops->sign || !alg || alg->oid_len > sizeof(alg->oid) || alg->params_len > sizeof(alg->params) ||
	    max_signature_size == 0 || max_signature_size > OCSPKIT_MAX_SIGNATURE_SIZE)
		return OCSPKIT_E_INVALID_ARGUMENT;
	ocspkit_algorithm_id view = ocspkit_algorithm_value_view(alg);
	TRY(okit_algid_check(&view));
	if (!(s = okit_calloc(1, sizeof(*s))))
		return OCSPKIT_E_NO_MEMORY;
	s->ops = *ops;
	s->ctx = ctx;
	s->alg = *alg;
	s->max_sig = max_signature_size;
	*out = s;
	return OCSPKIT_OK;
}

void ocspkit_signer_free(ocspkit_signer *s)
{
	if (!s)
		return;
	if (s->ops.free)
		s->ops.free(s->ctx);
	okit_free(s);
}

ocspkit_algorithm_id ocspkit_signer_get_algorithm(const ocspkit_signer *s)
{
	return ocspkit_algorithm_value_view(&s->alg);
}

ocspkit_err ocspkit_signer_sign(uint8_t **sig, size_t *sig_len, const ocspkit_signer *s, const uint8_t *data,
				size_t len)
{
	uint8_t *buf;
	size_t n = 0;
	ocspkit_err e;

	if (!sig || !sig_len)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*sig = NULL;
	*sig_len = 0;
	if (!s || (!data && len))
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (!(buf = okit_malloc(s->max_sig)))
		return OCSPKIT_E_NO_MEMORY;
	e = s->ops.sign(s->ctx, buf, s->max_sig, &n, data ? data : (const uint8_t *)"", len);
	/* the callback's word is taken for the signature, not for its size,
	 * and an error outside the enum is no error a caller could read */
	if (e == OCSPKIT_OK && (n == 0 || n > s->max_sig))
		e = OCSPKIT_E_SIGNING_FAILED;
	if ((unsigned)e >= (unsigned)OCSPKIT_E__END)
		e = OCSPKIT_E_SIGNING_FAILED;
	if (e) {
		okit_free(buf);
		return e;
	}
	*sig = buf;
	*sig_len = n;
	return OCSPKIT_OK;
}

/* ---------------------------------------------------------------- signed messages */

/* How a signed message is made: what is signed, encoded from the
 * caller's struct, and the message assembled from it and the signature. */
typedef struct {
	ocspkit_err (*encode)(uint8_t **der, size_t *len, const void *tbs);
	ocspkit_err (*assemble)(uint8_t **der, size_t *len, ocspkit_bytes tbs_der, const ocspkit_signature_block *sig);
} message_kind;

/* Encodes tbs, signs it with signer and assembles the message: what
 * signing a response and a request share. */
static ocspkit_err sign_message(uint8_t **der, size_t *len, const message_kind *kind, const void *tbs,
				const ocspkit_signer *signer, const ocspkit_bytes *certs, size_t cert_count)
{
	uint8_t *tbs_der, *sig = NULL;
	size_t tbs_len, sig_len;
	ocspkit_err e;

	if (!der || !len)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*der = NULL;
	*len = 0;
	if (!tbs || !signer || (cert_count && !certs))
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(kind->encode(&tbs_der, &tbs_len, tbs));
	e = ocspkit_signer_sign(&sig, &sig_len, signer, tbs_der, tbs_len);
	if (!e) {
		ocspkit_signature_block sb = { ocspkit_signer_get_algorithm(signer), { sig, sig_len }, certs, cert_count };
		e = kind->assemble(der, len, (ocspkit_bytes){ tbs_der, tbs_len }, &sb);
	}
	okit_free(tbs_der);
	okit_free(sig);
	return e;
}

static ocspkit_err encode_response_tbs(uint8_t **der, size_t *len, const void *tbs)
{
	return ocspkit_response_tbs_encode(der, len, tbs);
}

static ocspkit_err encode_request_tbs(uint8_t **der, size_t *len, const void *tbs)
{
	return ocspkit_request_tbs_encode(der, len, tbs);
}

static const message_kind response = { encode_response_tbs, ocspkit_response_assemble };
static const message_kind request = { encode_request_tbs, ocspkit_request_assemble };

ocspkit_err ocspkit_response_sign(uint8_t **der, size_t *len, const ocspkit_response_tbs *tbs,
				  const ocspkit_signer *signer, const ocspkit_bytes *certs, size_t cert_count)
{
	return sign_message(der, len, &response, tbs, signer, certs, cert_count);
}

ocspkit_err ocspkit_request_sign(uint8_t **der, size_t *len, const ocspkit_request_tbs *tbs,
				 const ocspkit_signer *signer, const ocspkit_bytes *certs, size_t cert_count)
{
	return sign_message(der, len, &request, tbs, signer, certs, cert_count);
}
