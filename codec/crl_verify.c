/* ocspkit_crl_verify: may this CRL be used (<ocspkit/crl.h>)?  Apart from
 * crl.c because it needs keys and signatures, which decoding does not. */
#include <config.h>

#include <ocspkit/crl.h>
#include <ocspkit/crypto.h>
#include <ocspkit/x509.h>

#include "bytes.h"

/* keyUsage cRLSign: bit 6 (RFC 5280 4.2.1.3) */
#define KU_CRL_SIGN (1u << 6)

ocspkit_err ocspkit_crl_verify(const ocspkit_crl *crl, const ocspkit_cert *issuer)
{
	ocspkit_pubkey *key = NULL;
	ocspkit_err e;
	unsigned ku;

	if (!crl || !issuer)
		return OCSPKIT_E_INVALID_ARGUMENT;
	/* 5.1.2.3 and 6.3.3 (b): the CRL issuer is the certificate's subject */
	if (!okit_bytes_equal(ocspkit_crl_get_issuer(crl), ocspkit_cert_get_subject(issuer)))
		return OCSPKIT_E_CRL_ISSUER_MISMATCH;
	/* 6.3.3 (f): a key usage extension must allow cRLSign */
	if (ocspkit_cert_get_key_usage(&ku, issuer) == OCSPKIT_OK && !(ku & KU_CRL_SIGN))
		return OCSPKIT_E_CRL_SIGNER_NO_CRL_SIGN;
	/* 5.1.1.2: the same algorithm inside and outside the signed part */
	const ocspkit_algorithm_id *alg = ocspkit_crl_get_signature_algorithm(crl);
	const ocspkit_algorithm_id *inner = ocspkit_crl_get_tbs_signature_algorithm(crl);
	if (!okit_bytes_equal(alg->oid, inner->oid) || !okit_bytes_equal(alg->params, inner->params))
		return OCSPKIT_E_SIGNATURE_ALGORITHM_MISMATCH;
	if ((e = ocspkit_pubkey_from_cert(&key, issuer)) != OCSPKIT_OK)
		return e;
	ocspkit_bytes tbs = ocspkit_crl_get_tbs_der(crl);
	e = ocspkit_verify_signature(key, alg, tbs.data, tbs.len, ocspkit_crl_get_signature(crl));
	ocspkit_pubkey_free(key);
	if (e)
		return e;
	/* 5.2, 5.3: a critical extension not processed forbids using the CRL */
	if (ocspkit_crl_has_unknown_critical_extension(crl))
		return OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION;
	return OCSPKIT_OK;
}
