/* The signature block; see sigblock.h. */
#include <config.h>

#include "algid.h"
#include "buf.h"
#include "der.h"
#include "der_write.h"
#include "ocsp_asn1.h"
#include "schema.h"
#include "sigblock.h"
#include "try.h"

ocspkit_err okit_sigblock_read(okit_dctx *c, const okit_tlv *alg, const okit_tlv *bits, const okit_tlv *certs,
			       ocspkit_bytes *certs_out, size_t n, ocspkit_signature_block *out)
{
	TRY(okit_algid_read(c, alg, &out->algorithm));
	TRY(okit_der_octet_bits(c, bits, &out->signature));
	if (certs && n) {
		okit_iter it;
		okit_tlv el;
		size_t i = 0;
		okit_iter_init(&it, certs);
		while (i < n && okit_iter_next(c, &it, &el))
			certs_out[i++] = okit_whole(&el);
		if (i != n)
			return okit_fail(c, certs->tlv, OCSPKIT_E_INTERNAL);
		out->certs = certs_out;
		out->cert_count = n;
	}
	return OCSPKIT_OK;
}

ocspkit_err okit_sigblock_write(okit_buf *b, const ocspkit_signature_block *sig, uint8_t certs_id)
{
	TRY(okit_algid_check(&sig->algorithm));
	if ((sig->signature.len && !sig->signature.data) || (sig->cert_count && !sig->certs))
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (sig->cert_count > OCSPKIT_MAX_CERTIFICATES)
		return OCSPKIT_E_LIMIT_CERTIFICATES;
	for (size_t i = 0; i < sig->cert_count; i++)
		if (!okit_der_any_ok(sig->certs[i]))
			return OCSPKIT_E_INVALID_ARGUMENT;
	okit_algid_write(b, &sig->algorithm);
	okit_der_bit_string(b, sig->signature.data, sig->signature.len);
	if (sig->cert_count) {
		size_t outer = okit_der_open(b, certs_id);
		size_t seq = okit_der_open(b, ID_Certificates);
		for (size_t i = 0; i < sig->cert_count; i++)
			okit_buf_put(b, sig->certs[i].data, sig->certs[i].len);
		okit_der_close(b, seq);
		okit_der_close(b, outer);
	}
	return OCSPKIT_OK;
}
