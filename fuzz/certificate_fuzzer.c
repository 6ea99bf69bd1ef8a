/* Certificate decoding (ocspkit_cert_decode): responder certificates
 * inside responses, issuer and leaf certificates handed to the client;
 * and the same input as a bare SubjectPublicKeyInfo (ocspkit_pubkey_decode).
 *
 * For each input: a strict decode and a tolerant one.  What is accepted is
 * read through every accessor and derived value (fuzz.h fuzz_cert: OCSP
 * URLs, key hash, CertIDs with every hash, self-issued CertID, names as
 * text, the typed readers of the extensions), and the subject key: read,
 * written back (a fixed point) and used to check the certificate's own
 * signature.
 *
 * Round trip: the codec has no certificate encoder (it never writes one),
 * so the oracle rebuilds, with the codec's DER writer, every part that the
 * decoded object exposes and checks it against the input:
 *   Certificate  = SEQUENCE { tbs_der, signatureAlgorithm, BIT STRING signature }
 *   TBSCertificate starts with [0] { version } (when not v1) and the serial,
 *   SubjectPublicKeyInfo = SEQUENCE { algorithm, BIT STRING public key },
 *   and TBSCertificate ends with [3] { Extensions } rebuilt from the
 *   extension list, when there are extensions.
 */
#include <config.h>

#include <string.h>

#include "algid.h"
#include "buf.h"
#include "der.h"
#include "der_write.h"
#include "ext.h"
#include "fuzz.h"

static void round_trip(const ocspkit_cert *x)
{
	ocspkit_bytes der = ocspkit_cert_get_der(x), tbs = ocspkit_cert_get_tbs_der(x), spki = ocspkit_cert_get_spki(x);
	ocspkit_bytes sig = ocspkit_cert_get_signature(x), pub = ocspkit_cert_get_public_key(x);
	okit_buf b;
	uint8_t *out;
	size_t len;

	okit_buf_init(&b, OKIT_DER_MAX);
	size_t m = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	okit_buf_put(&b, tbs.data, tbs.len);
	ocspkit_algorithm_id sig_alg = ocspkit_cert_get_signature_algorithm(x);
	okit_algid_write(&b, &sig_alg);
	okit_der_bit_string(&b, sig.data, sig.len);
	okit_der_close(&b, m);
	if (CALL(okit_buf_finish(&b, &out, &len)) == OCSPKIT_OK) {
		SAME("Certificate", der.data, der.len, out, len);
		ocspkit_free(out);
	}

	okit_buf_init(&b, OKIT_DER_MAX);
	m = okit_der_open(&b, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
	ocspkit_algorithm_id key_alg = ocspkit_cert_get_key_algorithm(x);
	okit_algid_write(&b, &key_alg);
	okit_der_bit_string(&b, pub.data, pub.len);
	okit_der_close(&b, m);
	if (CALL(okit_buf_finish(&b, &out, &len)) == OCSPKIT_OK) {
		SAME("SubjectPublicKeyInfo", spki.data, spki.len, out, len);
		ocspkit_free(out);
	}

	/* the start of TBSCertificate's content: version and serial */
	okit_dctx c = okit_ctx(tbs.data, 0);
	okit_tlv t;
	ORACLE(okit_der_only(&c, tbs.data, tbs.len, &t) == OCSPKIT_OK, "tbs_der() is not one element");
	okit_buf_init(&b, OKIT_DER_MAX);
	if (ocspkit_cert_get_version(x) != 0) {
		m = okit_der_open(&b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 0);
		okit_der_uint(&b, OKIT_TAG_INTEGER, (unsigned long)ocspkit_cert_get_version(x));
		okit_der_close(&b, m);
	}
	ocspkit_bytes serial = ocspkit_cert_get_serial(x);
	okit_der_prim(&b, OKIT_TAG_INTEGER, serial.data, serial.len);
	if (CALL(okit_buf_finish(&b, &out, &len)) == OCSPKIT_OK) {
		SAME("TBSCertificate version and serial", t.val, len < t.val_len ? len : t.val_len, out, len);
		ocspkit_free(out);
	}

	size_t n = ocspkit_cert_get_extension_count(x);
	if (n) {
		okit_buf_init(&b, OKIT_DER_MAX);
		ocspkit_err e = CALL(okit_exts_write(&b, OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 3, /* [3] EXPLICIT */
							  ocspkit_cert_get_extension(x, 0), n));
		ORACLE(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY, "decoded extensions do not encode: %s",
		       ocspkit_strerror_name(e));
		if (e != OCSPKIT_OK) {
			okit_buf_clear(&b);
		} else if (CALL(okit_buf_finish(&b, &out, &len)) == OCSPKIT_OK) {
			ORACLE(len <= t.val_len, "extensions longer than the TBSCertificate");
			if (len <= t.val_len)
				SAME("TBSCertificate extensions", t.val + t.val_len - len, len, out, len);
			ocspkit_free(out);
		}
	}
}

/* A key that was read: of a known type and size, and written back it
 * reads again as the same key and writes the same octets (a fixed point of
 * decode and encode). */
static void key_fixed_point(const ocspkit_pubkey *k)
{
	ocspkit_pubkey *k2 = NULL;
	uint8_t *out = NULL, *out2 = NULL;
	size_t len, len2;

	ocspkit_key_type type = ocspkit_pubkey_get_type(k);
	ORACLE(strcmp(ocspkit_key_type_name(type), "unknown") != 0, "a key of no known type");
	ORACLE(ocspkit_pubkey_get_bits(k) > 0, "a key of 0 bits");
	if (CALL(ocspkit_pubkey_encode(&out, &len, k)) == OCSPKIT_OK) {
		ocspkit_err e = CALL(ocspkit_pubkey_decode(&k2, out, len));
		ORACLE(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY, "an encoded key does not decode: %s",
		       ocspkit_strerror_name(e));
		if (e == OCSPKIT_OK) {
			ORACLE(ocspkit_pubkey_get_type(k2) == type && ocspkit_pubkey_get_bits(k2) == ocspkit_pubkey_get_bits(k),
			       "the key changed through encode and decode");
			if (CALL(ocspkit_pubkey_encode(&out2, &len2, k2)) == OCSPKIT_OK)
				SAME("SubjectPublicKeyInfo re-encoding", out, len, out2, len2);
		}
	}
	ocspkit_free(out);
	ocspkit_free(out2);
	ocspkit_pubkey_free(k2);
}

/* The subject key, and the certificate's signature checked with it
 * (self-signed seeds verify; anything else must fail cleanly). */
static void key_and_signature(const ocspkit_cert *x)
{
	ocspkit_pubkey *k = NULL;
	if (CALL(ocspkit_pubkey_from_cert(&k, x)) != OCSPKIT_OK)
		return;
	key_fixed_point(k);
	ocspkit_err v = CALL(ocspkit_cert_verify(x, k));
	fuzz_trace_mix(&v, sizeof(v));
	ocspkit_pubkey_free(k);
}

/* The input as a bare SubjectPublicKeyInfo (ocspkit_pubkey_decode, which
 * callers may hand keys from anywhere): accepted or refused cleanly, and
 * what is accepted is a fixed point too. */
static void raw_spki(const uint8_t *data, size_t size)
{
	ocspkit_pubkey *k = NULL;
	ocspkit_err e = CALL(ocspkit_pubkey_decode(&k, data, size));
	ORACLE((e == OCSPKIT_OK) == (k != NULL), "key and result disagree");
	if (e == OCSPKIT_OK)
		key_fixed_point(k);
	ocspkit_pubkey_free(k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ocspkit_cert *strict = NULL, *lax = NULL;
	size_t off = 0;

	ocspkit_err es = CALL(ocspkit_cert_decode(&strict, data, size, OCSPKIT_DECODE_STRICT, &off));
	ORACLE((es == OCSPKIT_OK) == (strict != NULL), "object and result disagree");
	ORACLE(off <= size, "error offset %zu past %zu octets", off, size);
	if (es == OCSPKIT_OK) {
		ocspkit_bytes der = ocspkit_cert_get_der(strict);
		ORACLE(der.len == size && memcmp(der.data, data, size) == 0, "der() is not the input");
		fuzz_cert(strict);
		round_trip(strict);
		key_and_signature(strict);
	}
	ocspkit_cert_free(strict);

	ocspkit_err el = CALL(ocspkit_cert_decode(&lax, data, size, FUZZ_ALL_FLAGS, NULL));
	if (es == OCSPKIT_OK)
		ORACLE(el == OCSPKIT_OK, "strict decoding accepts, tolerant refuses: %s", ocspkit_strerror_name(el));
	if (el == OCSPKIT_OK && es != OCSPKIT_OK) {
		fuzz_tolerant = 1;
		fuzz_cert(lax);
		fuzz_tolerant = 0;
	}
	ocspkit_cert_free(lax);
	raw_spki(data, size);
	return 0;
}
