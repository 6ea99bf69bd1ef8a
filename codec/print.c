/* Text dumps of requests and responses, laid out as `openssl ocsp
 * -req_text/-resp_text` lays them out so that the two can be compared. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <ocspkit/text.h>
#include <ocspkit/x509.h>

#include "buf.h"
#include "civil.h"
#include "der.h"
#include "oid.h"
#include "pss.h"
#include "try.h"

static void out(okit_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out(okit_buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		okit_buf_put(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static void put_hex_upper(okit_buf *b, ocspkit_bytes v)
{
	static const char d[] = "0123456789ABCDEF";
	for (size_t i = 0; i < v.len; i++) {
		okit_buf_byte(b, (uint8_t)d[v.data[i] >> 4]);
		okit_buf_byte(b, (uint8_t)d[v.data[i] & 15]);
	}
}

/* "Nov 22 01:57:04 2026 GMT", OpenSSL's ASN1_TIME_print form; a fraction
 * of a second goes after the seconds as written ("01:57:04.25"), as
 * OpenSSL prints it. */
static void put_time(okit_buf *b, int64_t t, ocspkit_bytes frac)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int y, mo, d, h, mi, s;
	okit_time_to_civil(t, &y, &mo, &d, &h, &mi, &s);
	out(b, "%s %2d %02d:%02d:%02d%s%.*s %d GMT", mon[mo - 1], d, h, mi, s, frac.len ? "." : "", (int)frac.len,
	    frac.len ? (const char *)frac.data : "", y);
}

static void put_oid(okit_buf *b, ocspkit_bytes oid)
{
	const char *name;
	char dotted[128];
	if (ocspkit_oid_name(&name, oid) == OCSPKIT_OK)
		out(b, "%s", name);
	else if (ocspkit_oid_to_dotted(dotted, sizeof(dotted), oid) == OCSPKIT_OK)
		out(b, "%s", dotted);
	else
		out(b, "<bad OID>");
}

/* A nested call that ran out of memory fails the whole dump: printing
 * "<bad name>" for a good name would be a wrong answer, not a short one. */
static void note_error(okit_buf *b, ocspkit_err e)
{
	if (e == OCSPKIT_E_NO_MEMORY)
		okit_buf_fail(b, e);
}

static void put_name(okit_buf *b, ocspkit_bytes der, unsigned style)
{
	char *s;
	ocspkit_err e = ocspkit_name_to_string(&s, der, style);
	if (e == OCSPKIT_OK) {
		out(b, "%s", s);
		ocspkit_free(s);
	} else {
		note_error(b, e);
		out(b, "<bad name>");
	}
}

/* Serial numbers as OpenSSL prints INTEGERs: the magnitude in hex. */
static void put_integer(okit_buf *b, ocspkit_bytes v)
{
	if (v.len && (v.data[0] & 0x80)) {
		out(b, "(Negative)");
		put_hex_upper(b, v);
		return;
	}
	if (v.len > 1 && v.data[0] == 0)
		v.data++, v.len--;
	put_hex_upper(b, v);
}

static void put_cert_id(okit_buf *b, const ocspkit_cert_id *id, const char *ind)
{
	out(b, "%sCertificate ID:\n%s  Hash Algorithm: ", ind, ind);
	put_oid(b, id->hash_algorithm.oid);
	out(b, "\n%s  Issuer Name Hash: ", ind);
	put_hex_upper(b, id->issuer_name_hash);
	out(b, "\n%s  Issuer Key Hash: ", ind);
	put_hex_upper(b, id->issuer_key_hash);
	out(b, "\n%s  Serial Number: ", ind);
	put_integer(b, id->serial);
	out(b, "\n");
}

static void put_extension(okit_buf *b, const ocspkit_extension *e, const char *ind)
{
	ocspkit_bytes v;
	int64_t t;
	ocspkit_bytes frac;
	ocspkit_crl_reason reason;
	ocspkit_crl_id crl;

	out(b, "%s", ind);
	put_oid(b, e->oid);
	out(b, ":%s\n%s    ", e->critical ? " critical" : " ", ind);
	switch (e->type) {
	case OCSPKIT_EXT_NONCE:
		/* OpenSSL shows the whole extnValue: the OCTET STRING with its header */
		put_hex_upper(b, e->value);
		break;
	case OCSPKIT_EXT_CRL_REASON:
		if (ocspkit_ext_crl_reason(&reason, e) == OCSPKIT_OK)
			out(b, "%s", ocspkit_crl_reason_name(reason));
		break;
	case OCSPKIT_EXT_INVALIDITY_DATE:
	case OCSPKIT_EXT_ARCHIVE_CUTOFF:
		if ((e->type == OCSPKIT_EXT_ARCHIVE_CUTOFF ? ocspkit_ext_archive_cutoff(&t, e)
							   : ocspkit_ext_invalidity_date(&t, e)) == OCSPKIT_OK &&
		    ocspkit_ext_time_fraction(&frac, e) == OCSPKIT_OK)
			put_time(b, t, frac);
		break;
	case OCSPKIT_EXT_CRL_ID:
		if (ocspkit_ext_crl_id(&crl, e) == OCSPKIT_OK) {
			if (crl.has_url)
				out(b, "crlUrl: %.*s ", (int)crl.url.len, (const char *)crl.url.data);
			if (crl.has_number) {
				out(b, "crlNum: ");
				put_integer(b, crl.number);
				out(b, " ");
			}
			if (crl.has_time && ocspkit_ext_time_fraction(&frac, e) == OCSPKIT_OK) {
				out(b, "crlTime: ");
				put_time(b, crl.time, frac);
			}
		}
		break;
	case OCSPKIT_EXT_EXTENDED_REVOKE:
	case OCSPKIT_EXT_NOCHECK:
		out(b, "NULL");
		break;
	default:
		v = e->value;
		put_hex_upper(b, v);
		break;
	}
	out(b, "\n");
}

static void put_extensions(okit_buf *b, const char *title, const ocspkit_extension *e, size_t n,
			   const char *ind)
{
	if (n == 0)
		return;
	out(b, "%s%s:\n", ind, title);
	char deeper[32];
	snprintf(deeper, sizeof(deeper), "%s    ", ind);
	for (size_t i = 0; i < n; i++)
		put_extension(b, &e[i], deeper);
}

/* An INTEGER as OpenSSL's i2a_ASN1_INTEGER writes it: the magnitude's
 * octets in hex, "00" for zero. */
static void put_integer_hex(okit_buf *b, ocspkit_bytes v)
{
	while (v.len > 1 && v.data[0] == 0)
		v.data++, v.len--;
	put_hex_upper(b, v);
}

/* RSASSA-PSS-params (RFC 4055 section 3.1, defaults included), printed
 * where and as OpenSSL's X509_signature_print does (rsa_pss_param_print):
 * between "Signature Value:" and the octets, that line ending in the
 * indentation, the salt length one space further in; parameters that do
 * not decode, or a mask generation function other than MGF1 with an
 * AlgorithmIdentifier, are "(INVALID PSS PARAMETERS)" as there. */
static void put_pss_params(okit_buf *b, ocspkit_bytes params, const char *ind)
{
	okit_pss_fields f;

	out(b, "%s    ", ind);
	if (okit_pss_fields_read(params, &f) || (f.has_mgf && !f.mgf_hash_ok)) {
		out(b, "(INVALID PSS PARAMETERS)\n");
		return;
	}
	out(b, "\n%s    Hash Algorithm: ", ind);
	if (f.has_hash)
		put_oid(b, f.hash.oid);
	else
		out(b, "sha1 (default)");
	out(b, "\n%s    Mask Algorithm: ", ind);
	if (f.has_mgf) {
		put_oid(b, f.mgf.oid);
		out(b, " with ");
		put_oid(b, f.mgf_hash.oid);
	} else {
		out(b, "mgf1 with sha1 (default)");
	}
	out(b, "\n%s     Salt Length: 0x", ind);
	if (f.has_salt)
		put_integer_hex(b, okit_view(&f.salt));
	else
		out(b, "14 (default)");
	out(b, "\n%s    Trailer Field: 0x", ind);
	if (f.has_trailer)
		put_integer_hex(b, okit_view(&f.trailer));
	else
		out(b, "01 (default)");
	out(b, "\n");
}

static void put_signature(okit_buf *b, const ocspkit_signature_block *sig, const char *ind)
{
	int pss = okit_oid_id(OKIT_OID_SIG, sig->algorithm.oid) == OKIT_SIG_RSA_PSS;
	out(b, "%sSignature Algorithm: ", ind);
	put_oid(b, sig->algorithm.oid);
	out(b, "\n%sSignature Value:", ind);
	if (pss)
		put_pss_params(b, sig->algorithm.params, ind);
	for (size_t i = 0; i < sig->signature.len; i++) {
		if (i % 18 == 0)
			out(b, "%s%s    ", pss && i == 0 ? "" : "\n", ind);
		out(b, "%02x%s", sig->signature.data[i], i + 1 < sig->signature.len ? ":" : "");
	}
	out(b, "\n");
	for (size_t i = 0; i < sig->cert_count; i++) {
		ocspkit_cert *x;
		out(b, "Certificate:\n");
		ocspkit_err e = ocspkit_cert_decode(&x, sig->certs[i].data, sig->certs[i].len, OCSPKIT_DECODE_STRICT, NULL);
		if (e) {
			note_error(b, e);
			out(b, "    <not a strict DER certificate, %zu octets>\n", sig->certs[i].len);
			continue;
		}
		out(b, "    Serial Number: ");
		put_integer(b, ocspkit_cert_get_serial(x));
		out(b, "\n    Issuer: ");
		put_name(b, ocspkit_cert_get_issuer(x), OCSPKIT_NAME_ONELINE);
		out(b, "\n    Not Before: ");
		put_time(b, ocspkit_cert_get_not_before(x), ocspkit_cert_get_not_before_fraction(x));
		out(b, "\n    Not After : ");
		put_time(b, ocspkit_cert_get_not_after(x), ocspkit_cert_get_not_after_fraction(x));
		out(b, "\n    Subject: ");
		put_name(b, ocspkit_cert_get_subject(x), OCSPKIT_NAME_ONELINE);
		out(b, "\n");
		ocspkit_cert_free(x);
	}
}

static ocspkit_err finish(okit_buf *b, char **text)
{
	uint8_t *p;
	size_t len;
	okit_buf_byte(b, 0);
	TRY(okit_buf_finish(b, &p, &len));
	*text = (char *)p;
	return OCSPKIT_OK;
}

/* The two printers start alike (arguments, a buffer) and print different
 * things. */

ocspkit_err ocspkit_request_print(char **text, const ocspkit_request *req)
{
	okit_buf b;
	ocspkit_request_tbs tbs;
	ocspkit_signature_block sig;

	if (!text)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*text = NULL;
	if (!req)
		return OCSPKIT_E_INVALID_ARGUMENT;
	okit_buf_init(&b, OKIT_TEXT_MAX);
	ocspkit_request_get_tbs(&tbs, req);
	out(&b, "OCSP Request Data:\n    Version: %ld (0x%lx)\n", tbs.version + 1, tbs.version);
	if (tbs.requestor_name.len) {
		char *s;
		out(&b, "    Requestor Name: ");
		ocspkit_err e = ocspkit_general_name_to_string(&s, tbs.requestor_name);
		if (e == OCSPKIT_OK) {
			out(&b, "%s", s);
			ocspkit_free(s);
		}
		note_error(&b, e);
		out(&b, "\n");
	}
	out(&b, "    Requestor List:\n");
	for (size_t i = 0; i < tbs.request_count; i++) {
		put_cert_id(&b, &tbs.requests[i].cert_id, "        ");
		put_extensions(&b, "Request Single Extensions", tbs.requests[i].extensions,
			       tbs.requests[i].extension_count, "        ");
	}
	put_extensions(&b, "Request Extensions", tbs.extensions, tbs.extension_count, "    ");
	if (ocspkit_request_get_signature(&sig, req) == OCSPKIT_OK)
		put_signature(&b, &sig, "    ");
	return finish(&b, text);
}

ocspkit_err ocspkit_response_print(char **text, const ocspkit_response *resp)
{
	okit_buf b;
	ocspkit_response_tbs d;
	ocspkit_signature_block sig;
	ocspkit_response_status st;

	if (!text)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*text = NULL;
	if (!resp)
		return OCSPKIT_E_INVALID_ARGUMENT;
	okit_buf_init(&b, OKIT_TEXT_MAX);
	st = ocspkit_response_get_status(resp);
	out(&b, "OCSP Response Data:\n    OCSP Response Status: %s (0x%x)\n",
	    ocspkit_response_status_name(st), (unsigned)st);
	if (st != OCSPKIT_RESPONSE_SUCCESSFUL)
		return finish(&b, text);

	ocspkit_bytes type;
	if (ocspkit_response_get_tbs(&d, resp) != OCSPKIT_OK || ocspkit_response_get_type(&type, resp) != OCSPKIT_OK ||
	    ocspkit_response_get_signature(&sig, resp) != OCSPKIT_OK) {
		okit_buf_clear(&b);
		return OCSPKIT_E_INTERNAL; /* successful responses have them */
	}
	out(&b, "    Response Type: ");
	put_oid(&b, type);
	out(&b, "\n    Version: %ld (0x%lx)\n    Responder Id: ", d.version + 1, d.version);
	if (d.responder_id.type == OCSPKIT_RESPONDER_BY_NAME)
		put_name(&b, d.responder_id.value, OCSPKIT_NAME_ONELINE);
	else
		put_hex_upper(&b, d.responder_id.value);
	out(&b, "\n    Produced At: ");
	put_time(&b, d.produced_at, d.produced_at_fraction);
	out(&b, "\n    Responses:\n");
	for (size_t i = 0; i < d.response_count; i++) {
		const ocspkit_single_response *s = &d.responses[i];
		put_cert_id(&b, &s->cert_id, "    ");
		out(&b, "    Cert Status: %s\n", ocspkit_cert_status_name(s->status));
		if (s->status == OCSPKIT_CERT_REVOKED) {
			out(&b, "    Revocation Time: ");
			put_time(&b, s->revocation_time, s->revocation_time_fraction);
			out(&b, "\n");
			if (s->has_revocation_reason)
				out(&b, "    Revocation Reason: %s (0x%x)\n",
				    ocspkit_crl_reason_name(s->revocation_reason), (unsigned)s->revocation_reason);
		}
		out(&b, "    This Update: ");
		put_time(&b, s->this_update, s->this_update_fraction);
		out(&b, "\n");
		if (s->has_next_update) {
			out(&b, "    Next Update: ");
			put_time(&b, s->next_update, s->next_update_fraction);
			out(&b, "\n");
		}
		put_extensions(&b, "Response Single Extensions", s->extensions, s->extension_count, "        ");
		out(&b, "\n");
	}
	put_extensions(&b, "Response Extensions", d.extensions, d.extension_count, "    ");
	put_signature(&b, &sig, "    ");
	return finish(&b, text);
}
