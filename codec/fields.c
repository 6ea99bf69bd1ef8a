/* Field types shared by requests, responses and certificates:
 * AlgorithmIdentifier, CertID, Extensions, certificate lists; read from
 * checked elements and written canonically. */
#include <config.h>

#include <string.h>

#include "internal.h"

static const uint8_t der_null[2] = { 0x05, 0x00 };

/* AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL } */
ocspkit_err okit_read_algid(okit_dctx *c, const okit_tlv *t, ocspkit_algorithm_id *out)
{
	okit_val f[F_AlgorithmIdentifier__COUNT];
	TRY(okit_sch_split(c, T_AlgorithmIdentifier, t, f, F_AlgorithmIdentifier__COUNT));
	out->oid = okit_view(&f[F_AlgorithmIdentifier_algorithm].inner);
	out->params = f[F_AlgorithmIdentifier_parameters].present ? okit_whole(&f[F_AlgorithmIdentifier_parameters].inner) : (ocspkit_bytes){ NULL, 0 };
	return OCSPKIT_OK;
}

/* CertID ::= SEQUENCE { hashAlgorithm, issuerNameHash OCTET STRING,
 *                       issuerKeyHash OCTET STRING, serialNumber INTEGER } */
ocspkit_err okit_read_cert_id(okit_dctx *c, const okit_tlv *t, ocspkit_cert_id *out)
{
	okit_val f[F_CertID__COUNT];
	TRY(okit_sch_split(c, T_CertID, t, f, F_CertID__COUNT));
	TRY(okit_read_algid(c, &f[F_CertID_hashAlgorithm].inner, &out->hash_algorithm));
	out->hash = (ocspkit_hash)okit_oid_id(OKIT_OID_HASH, out->hash_algorithm.oid);
	out->issuer_name_hash = okit_view(&f[F_CertID_issuerNameHash].inner);
	out->issuer_key_hash = okit_view(&f[F_CertID_issuerKeyHash].inner);
	out->serial = okit_der_integer_minimal(f[F_CertID_serialNumber].inner.val, f[F_CertID_serialNumber].inner.val_len);
	return OCSPKIT_OK;
}

ocspkit_err okit_count_extensions(okit_dctx *c, const okit_tlv *exts, size_t *n)
{
	*n = okit_count(c, exts);
	if (*n > OCSPKIT_MAX_EXTENSIONS)
		return okit_fail(c, exts->tlv, OCSPKIT_E_LIMIT_EXTENSIONS);
	return OCSPKIT_OK;
}

/* Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE,
 *                          extnValue OCTET STRING } */
ocspkit_err okit_read_extensions(okit_dctx *c, const okit_tlv *exts, ocspkit_extension *out, size_t n)
{
	okit_iter it;
	okit_tlv el;
	size_t i = 0;

	okit_iter_init(&it, exts);
	while (i < n && okit_iter_next(c, &it, &el)) {
		okit_val f[F_Extension__COUNT];
		ocspkit_extension *e = &out[i];
		TRY(okit_sch_split(c, T_Extension, &el, f, F_Extension__COUNT));
		e->oid = okit_view(&f[F_Extension_extnID].inner);
		e->critical = f[F_Extension_critical].present && f[F_Extension_critical].inner.val[0] != 0;
		e->value = okit_view(&f[F_Extension_extnValue].inner);
		e->type = (ocspkit_ext_type)okit_oid_id(OKIT_OID_EXT, e->oid);
		if ((int)e->type >= OKIT_CEXT_KEY_USAGE)
			e->type = OCSPKIT_EXT_UNKNOWN; /* certificate extensions: not OCSP's */
		/* RFC 5280 4.2: at most one instance of an extension per list */
		for (size_t j = 0; j < i; j++)
			if (okit_bytes_equal(out[j].oid, e->oid))
				return okit_fail(c, el.tlv, OCSPKIT_E_DUPLICATE_EXTENSION);
		TRY(okit_ext_check_value(c, e));
		i++;
	}
	return i == n ? OCSPKIT_OK : okit_fail(c, exts->tlv, OCSPKIT_E_INTERNAL);
}

/* ---------------------------------------------------------------- CertID */

ocspkit_cert_id ocspkit_cert_id_value_view(const ocspkit_cert_id_value *v)
{
	ocspkit_cert_id id;
	const okit_oid *o = okit_oid_by_id(OKIT_OID_HASH, (int)v->hash);
	memset(&id, 0, sizeof(id));
	id.hash = v->hash;
	if (o) {
		id.hash_algorithm.oid = okit_oid_bytes(o);
		/* NULL parameters, as OpenSSL and most responders write them */
		id.hash_algorithm.params = (ocspkit_bytes){ der_null, sizeof(der_null) };
	}
	id.issuer_name_hash = (ocspkit_bytes){ v->issuer_name_hash, v->hash_len };
	id.issuer_key_hash = (ocspkit_bytes){ v->issuer_key_hash, v->hash_len };
	id.serial = (ocspkit_bytes){ v->serial, v->serial_len };
	return id;
}

static int params_equal(ocspkit_bytes a, ocspkit_bytes b)
{
	/* RFC 5754: absent and NULL parameters both mean "none" for hashes */
	ocspkit_bytes null = { der_null, sizeof(der_null) };
	if (a.len == 0)
		a = null;
	if (b.len == 0)
		b = null;
	return okit_bytes_equal(a, b);
}

int ocspkit_cert_id_equal(const ocspkit_cert_id *a, const ocspkit_cert_id *b)
{
	return okit_bytes_equal(a->hash_algorithm.oid, b->hash_algorithm.oid) &&
	       params_equal(a->hash_algorithm.params, b->hash_algorithm.params) &&
	       okit_bytes_equal(a->issuer_name_hash, b->issuer_name_hash) &&
	       okit_bytes_equal(a->issuer_key_hash, b->issuer_key_hash) &&
	       okit_bytes_equal(a->serial, b->serial);
}

/* ---------------------------------------------------------------- writing */

ocspkit_err okit_check_input(okit_type type, ocspkit_bytes der)
{
	okit_dctx c = okit_ctx(der.data, 0);
	okit_tlv t;
	if (!der.data || der.len == 0)
		return OCSPKIT_E_INVALID_ARGUMENT;
	return okit_sch_check_bytes(&c, type, der.data, der.len, &t) ? OCSPKIT_E_INVALID_ARGUMENT : OCSPKIT_OK;
}

static ocspkit_err check_oid_bytes(ocspkit_bytes oid)
{
	okit_dctx c = okit_ctx(NULL, 0);
	okit_tlv t = { 0 };
	if (!oid.data || oid.len == 0)
		return OCSPKIT_E_INVALID_ARGUMENT;
	t.val = oid.data;
	t.val_len = oid.len;
	return okit_der_check_oid(&c, &t) ? OCSPKIT_E_INVALID_ARGUMENT : OCSPKIT_OK;
}

void okit_write_algid(okit_buf *b, const ocspkit_algorithm_id *alg)
{
	size_t m = okit_der_open(b, ID_AlgorithmIdentifier);
	okit_der_prim(b, ID_AlgorithmIdentifier_algorithm, alg->oid.data, alg->oid.len);
	okit_buf_put(b, alg->params.data, alg->params.len);
	okit_der_close(b, m);
}

/* One strict-DER element of any type (parameters, certificates: what the
 * decoder accepts there). */
static ocspkit_err check_any_element(ocspkit_bytes der)
{
	okit_dctx c = okit_ctx(der.data, 0);
	if (!der.data || der.len == 0)
		return OCSPKIT_E_INVALID_ARGUMENT;
	return okit_sch_check_any_bytes(&c, der.data, der.len) ? OCSPKIT_E_INVALID_ARGUMENT : OCSPKIT_OK;
}

static ocspkit_err check_algid(const ocspkit_algorithm_id *alg)
{
	TRY(check_oid_bytes(alg->oid));
	if (alg->params.len)
		TRY(check_any_element(alg->params));
	return OCSPKIT_OK;
}

ocspkit_err okit_write_cert_id(okit_buf *b, const ocspkit_cert_id *id)
{
	ocspkit_algorithm_id alg = id->hash_algorithm;
	if (alg.oid.len == 0) {
		const okit_oid *o = okit_oid_by_id(OKIT_OID_HASH, (int)id->hash);
		if (!o)
			return OCSPKIT_E_INVALID_ARGUMENT;
		alg.oid = okit_oid_bytes(o);
		alg.params = (ocspkit_bytes){ der_null, sizeof(der_null) };
	}
	TRY(check_algid(&alg));
	if (!okit_integer_is_minimal(id->serial.data, id->serial.len) ||
	    (id->issuer_name_hash.len && !id->issuer_name_hash.data) ||
	    (id->issuer_key_hash.len && !id->issuer_key_hash.data))
		return OCSPKIT_E_INVALID_ARGUMENT;
	size_t m = okit_der_open(b, ID_CertID);
	okit_write_algid(b, &alg);
	okit_der_prim(b, ID_CertID_issuerNameHash, id->issuer_name_hash.data, id->issuer_name_hash.len);
	okit_der_prim(b, ID_CertID_issuerKeyHash, id->issuer_key_hash.data, id->issuer_key_hash.len);
	okit_der_prim(b, ID_CertID_serialNumber, id->serial.data, id->serial.len);
	okit_der_close(b, m);
	return OCSPKIT_OK;
}

ocspkit_err okit_write_extensions(okit_buf *b, uint8_t id, const ocspkit_extension *exts, size_t n)
{
	if (n == 0)
		return OCSPKIT_OK;
	if (!exts || n > OCSPKIT_MAX_EXTENSIONS)
		return n > OCSPKIT_MAX_EXTENSIONS ? OCSPKIT_E_LIMIT_EXTENSIONS : OCSPKIT_E_INVALID_ARGUMENT;
	size_t outer = okit_der_open(b, id);
	size_t seq = okit_der_open(b, ID_Extensions);
	for (size_t i = 0; i < n; i++) {
		ocspkit_extension e = exts[i];
		if (e.oid.len == 0) {
			const okit_oid *o = e.type ? okit_oid_by_id(OKIT_OID_EXT, (int)e.type) : NULL;
			if (!o)
				return OCSPKIT_E_INVALID_ARGUMENT;
			e.oid = okit_oid_bytes(o);
		}
		TRY(check_oid_bytes(e.oid));
		if (e.value.len && !e.value.data)
			return OCSPKIT_E_INVALID_ARGUMENT;
		for (size_t j = 0; j < i; j++) {
			ocspkit_bytes prev = exts[j].oid;
			if (prev.len == 0 && exts[j].type)
				prev = okit_oid_bytes(okit_oid_by_id(OKIT_OID_EXT, (int)exts[j].type));
			if (okit_bytes_equal(prev, e.oid))
				return OCSPKIT_E_DUPLICATE_EXTENSION;
		}
		/* A known extension must carry a value of its type, or the result
		 * would not decode. */
		e.type = (ocspkit_ext_type)okit_oid_id(OKIT_OID_EXT, e.oid);
		if ((int)e.type >= OKIT_CEXT_KEY_USAGE)
			e.type = OCSPKIT_EXT_UNKNOWN;
		okit_dctx c = okit_ctx(e.value.data, 0);
		if (okit_ext_check_value(&c, &e))
			return OCSPKIT_E_BAD_EXTENSION;

		size_t m = okit_der_open(b, ID_Extension);
		okit_der_prim(b, ID_Extension_extnID, e.oid.data, e.oid.len);
		if (e.critical) /* DEFAULT FALSE is never written */
			okit_der_prim(b, ID_Extension_critical, (const uint8_t *)"\xff", 1);
		okit_der_prim(b, ID_Extension_extnValue, e.value.data, e.value.len);
		okit_der_close(b, m);
	}
	okit_der_close(b, seq);
	okit_der_close(b, outer);
	return OCSPKIT_OK;
}

/* signatureAlgorithm, signature BIT STRING, certs [0] EXPLICIT SEQUENCE OF */
ocspkit_err okit_write_signature(okit_buf *b, const ocspkit_signature_block *sig, uint8_t certs_id)
{
	TRY(check_algid(&sig->algorithm));
	if ((sig->signature.len && !sig->signature.data) || (sig->cert_count && !sig->certs))
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (sig->cert_count > OCSPKIT_MAX_CERTIFICATES)
		return OCSPKIT_E_LIMIT_CERTIFICATES;
	for (size_t i = 0; i < sig->cert_count; i++)
		TRY(check_any_element(sig->certs[i]));
	okit_write_algid(b, &sig->algorithm);
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
