/* CertID; see certid.h. */
#include <config.h>

#include <string.h>

#include <ocspkit/x509.h>
#include <ocspkit/ocsp.h>

#include "algid.h"
#include "buf.h"
#include "bytes.h"
#include "certid.h"
#include "der.h"
#include "der_write.h"
#include "hash.h"
#include "ocsp_asn1.h"
#include "oid.h"
#include "schema.h"
#include "try.h"

ocspkit_err okit_certid_read(okit_dctx *c, const okit_tlv *t, ocspkit_cert_id *out)
{
	okit_val f[F_CertID__COUNT];
	TRY(okit_sch_split(c, T_CertID, t, f, F_CertID__COUNT));
	TRY(okit_algid_read(c, &f[F_CertID_hashAlgorithm].inner, &out->hash_algorithm));
	out->hash = (ocspkit_hash)okit_oid_id(OKIT_OID_HASH, out->hash_algorithm.oid);
	out->issuer_name_hash = okit_view(&f[F_CertID_issuerNameHash].inner);
	out->issuer_key_hash = okit_view(&f[F_CertID_issuerKeyHash].inner);
	out->serial = okit_der_integer_minimal(f[F_CertID_serialNumber].inner.val, f[F_CertID_serialNumber].inner.val_len);
	return OCSPKIT_OK;
}

ocspkit_err okit_certid_write(okit_buf *b, const ocspkit_cert_id *id)
{
	ocspkit_algorithm_id alg = id->hash_algorithm;
	if (alg.oid.len == 0) {
		const okit_oid *o = okit_oid_by_id(OKIT_OID_HASH, (int)id->hash);
		if (!o)
			return OCSPKIT_E_INVALID_ARGUMENT;
		alg.oid = okit_oid_bytes(o);
		alg.params = okit_algid_null;
	}
	TRY(okit_algid_check(&alg));
	if (!okit_integer_is_minimal(id->serial.data, id->serial.len) ||
	    (id->issuer_name_hash.len && !id->issuer_name_hash.data) ||
	    (id->issuer_key_hash.len && !id->issuer_key_hash.data))
		return OCSPKIT_E_INVALID_ARGUMENT;
	size_t m = okit_der_open(b, ID_CertID);
	okit_algid_write(b, &alg);
	okit_der_prim(b, ID_CertID_issuerNameHash, id->issuer_name_hash.data, id->issuer_name_hash.len);
	okit_der_prim(b, ID_CertID_issuerKeyHash, id->issuer_key_hash.data, id->issuer_key_hash.len);
	okit_der_prim(b, ID_CertID_serialNumber, id->serial.data, id->serial.len);
	okit_der_close(b, m);
	return OCSPKIT_OK;
}

ocspkit_cert_id ocspkit_cert_id_value_view(const ocspkit_cert_id_value *v)
{
	ocspkit_cert_id id;
	const okit_oid *o = okit_oid_by_id(OKIT_OID_HASH, (int)v->hash);
	memset(&id, 0, sizeof(id));
	id.hash = v->hash;
	if (o) {
		id.hash_algorithm.oid = okit_oid_bytes(o);
		/* NULL parameters, as OpenSSL and most responders write them */
		id.hash_algorithm.params = okit_algid_null;
	}
	id.issuer_name_hash = (ocspkit_bytes){ v->issuer_name_hash, v->hash_len };
	id.issuer_key_hash = (ocspkit_bytes){ v->issuer_key_hash, v->hash_len };
	id.serial = (ocspkit_bytes){ v->serial, v->serial_len };
	return id;
}

static int params_equal(ocspkit_bytes a, ocspkit_bytes b)
{
	/* RFC 5754: absent and NULL parameters both mean "none" for hashes */
	if (a.len == 0)
		a = okit_algid_null;
	if (b.len == 0)
		b = okit_algid_null;
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

ocspkit_err ocspkit_cert_id_compute_raw(ocspkit_cert_id_value *out, ocspkit_hash hash,
					ocspkit_bytes issuer_name_der, ocspkit_bytes issuer_public_key,
					ocspkit_bytes serial)
{
	if (!out || !issuer_name_der.data || !issuer_public_key.data || !serial.data ||
	    !okit_integer_is_minimal(serial.data, serial.len))
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (serial.len > OCSPKIT_MAX_SERIAL_SIZE)
		return OCSPKIT_E_DER_INTEGER_RANGE;
	TRY(okit_hash_digest(hash, issuer_name_der.data, issuer_name_der.len, out->issuer_name_hash));
	TRY(okit_hash_digest(hash, issuer_public_key.data, issuer_public_key.len, out->issuer_key_hash));
	out->hash = hash;
	out->hash_len = ocspkit_hash_size(hash);
	out->serial_len = serial.len;
	for (size_t i = 0; i < serial.len; i++)
		out->serial[i] = serial.data[i];
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_cert_id_compute(ocspkit_cert_id_value *out, ocspkit_hash hash, const ocspkit_cert *issuer,
				    ocspkit_bytes serial)
{
	if (!issuer)
		return OCSPKIT_E_INVALID_ARGUMENT;
	return ocspkit_cert_id_compute_raw(out, hash, ocspkit_cert_get_subject(issuer), ocspkit_cert_get_public_key(issuer),
					   serial);
}

ocspkit_err ocspkit_cert_id_for_cert(ocspkit_cert_id_value *out, ocspkit_hash hash, const ocspkit_cert *issuer,
				     const ocspkit_cert *subject)
{
	if (!issuer || !subject || !okit_bytes_equal(ocspkit_cert_get_issuer(subject), ocspkit_cert_get_subject(issuer)))
		return OCSPKIT_E_INVALID_ARGUMENT;
	return ocspkit_cert_id_compute(out, hash, issuer, ocspkit_cert_get_serial(subject));
}
