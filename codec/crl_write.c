/* Writing CRLs; see crl_write.h. */
#include <config.h>

#include <ocspkit/crl.h>

#include "algid.h"
#include "buf.h"
#include "crl_write.h"
#include "der.h"
#include "der_write.h"
#include "ext.h"
#include "ocsp_asn1.h"
#include "schema.h"
#include "try.h"

static ocspkit_err write_tbs(okit_buf *b, const okit_crl_spec *s)
{
	if ((s->version != 0 && s->version != 1) || (s->entry_count && !s->entries) ||
	    (s->version == 0 && s->extension_count))
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(okit_algid_check(&s->signature));
	TRY(okit_sch_check_arg(T_Name, s->issuer));

	size_t m = okit_der_open(b, ID_TBSCertList);
	if (s->version == 1) /* 5.1.2.1: present only for v2 */
		okit_der_uint(b, ID_TBSCertList_version, 1);
	okit_algid_write(b, &s->signature);
	okit_buf_put(b, s->issuer.data, s->issuer.len);
	okit_der_x509_time(b, s->this_update);
	if (s->has_next_update)
		okit_der_x509_time(b, s->next_update);
	if (s->entry_count) {
		size_t list = okit_der_open(b, ID_TBSCertList_revokedCertificates);
		for (size_t i = 0; i < s->entry_count; i++) {
			const okit_crl_entry_spec *e = &s->entries[i];
			if (!e->serial.data || !okit_integer_is_minimal(e->serial.data, e->serial.len) ||
			    (e->extension_count && s->version == 0))
				return OCSPKIT_E_INVALID_ARGUMENT;
			size_t rc = okit_der_open(b, ID_RevokedCertificate);
			okit_der_prim(b, ID_RevokedCertificate_userCertificate, e->serial.data, e->serial.len);
			okit_der_x509_time(b, e->revocation_date);
			if (e->extension_count)
				TRY(okit_exts_write_list(b, e->extensions, e->extension_count));
			okit_der_close(b, rc);
		}
		okit_der_close(b, list);
	}
	TRY(okit_exts_write(b, ID_TBSCertList_crlExtensions, s->extensions, s->extension_count));
	okit_der_close(b, m);
	return OCSPKIT_OK;
}

ocspkit_err okit_crl_tbs_write(uint8_t **der, size_t *len, const okit_crl_spec *spec)
{
	okit_buf b;
	ocspkit_err e;
	if (!der || !len || !spec)
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(okit_schema_init());
	okit_buf_init(&b, OCSPKIT_MAX_CRL_SIZE);
	if ((e = write_tbs(&b, spec)) != OCSPKIT_OK) {
		okit_buf_clear(&b);
		return e;
	}
	return okit_buf_finish(&b, der, len);
}

ocspkit_err okit_crl_assemble(uint8_t **der, size_t *len, ocspkit_bytes tbs, const ocspkit_algorithm_id *alg,
			      ocspkit_bytes sig)
{
	okit_buf b;
	if (!der || !len || !alg || (sig.len && !sig.data))
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(okit_schema_init());
	TRY(okit_algid_check(alg));
	if (!tbs.data || okit_sch_check_arg(T_TBSCertList, tbs) != OCSPKIT_OK)
		return OCSPKIT_E_INVALID_ARGUMENT;
	okit_buf_init(&b, OCSPKIT_MAX_CRL_SIZE);
	size_t m = okit_der_open(&b, ID_CertificateList);
	okit_buf_put(&b, tbs.data, tbs.len);
	okit_algid_write(&b, alg);
	okit_der_bit_string(&b, sig.data, sig.len);
	okit_der_close(&b, m);
	return okit_buf_finish(&b, der, len);
}
