/* Text dumps of requests and responses, laid out as `openssl ocsp
 * -req_text/-resp_text` lays them out, and of CRLs, as `openssl crl
 * -text -noout` does, so that the two can be compared. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <ocspkit/crl.h>
#include <ocspkit/text.h>
#include <ocspkit/x509.h>

#include "buf.h"
#include "civil.h"
#include "der.h"
#include "der_write.h"
#include "ocsp_asn1.h"
#include "oid.h"
#include "pss.h"
#include "schema.h"
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

/* "AB:CD:EF", as openssl prints key identifiers and serials in extensions */
static void put_hex_colons(okit_buf *b, ocspkit_bytes v)
{
	for (size_t i = 0; i < v.len; i++)
		out(b, "%s%02X", i ? ":" : "", v.data[i]);
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

/* ---------------------------------------------------------------- CRLs */

/* The CRL printer follows OpenSSL 3.0's X509_CRL_print_ex and the v3
 * extension printers it calls (x509/t_crl.c, v3_crld.c, v3_akid.c,
 * v3_san.c, v3_enum.c, v3_info.c): the same lines, with one exception,
 * OpenSSL's list of GeneralNames in a distribution point, which does not
 * end its last line (the next field follows on it); here it does. */

static const char *const crl_reason_text[] = { "Unspecified", "Key Compromise", "CA Compromise",
					       "Affiliation Changed", "Superseded", "Cessation Of Operation",
					       "Certificate Hold", NULL, "Remove From CRL", "Privilege Withdrawn",
					       "AA Compromise" };
static const char *const reason_flag_text[] = { "Unused", "Key Compromise", "CA Compromise",
						"Affiliation Changed", "Superseded", "Cessation Of Operation",
						"Certificate Hold", "Privilege Withdrawn", "AA Compromise" };

/* An INTEGER as OpenSSL's i2s_ASN1_INTEGER writes it (CRL numbers):
 * decimal below 2^127, else "0x" and the magnitude in hex. */
static void put_integer_dec(okit_buf *b, ocspkit_bytes v)
{
	uint8_t mag[32];
	char dec[48];
	size_t n = 0, d = 0;
	int negative = v.len && (v.data[0] & 0x80);
	if (v.len > sizeof(mag)) {
		out(b, "<too long>");
		return;
	}
	memcpy(mag, v.data, v.len);
	n = v.len;
	if (negative) { /* two's complement: the magnitude */
		int carry = 1;
		for (size_t i = n; i-- > 0;) {
			int x = (uint8_t)~mag[i] + carry;
			mag[i] = (uint8_t)x;
			carry = x >> 8;
		}
	}
	size_t skip = 0;
	while (skip < n && mag[skip] == 0)
		skip++;
	if (n - skip > 16 || (n - skip == 16 && mag[skip] & 0x80)) {
		out(b, "%s0x", negative ? "-" : "");
		put_hex_upper(b, (ocspkit_bytes){ mag + skip, n - skip });
		return;
	}
	/* long division by 10, the digits backwards */
	do {
		unsigned rem = 0;
		int nonzero = 0;
		for (size_t i = skip; i < n; i++) {
			unsigned cur = rem << 8 | mag[i];
			mag[i] = (uint8_t)(cur / 10);
			rem = cur % 10;
			nonzero |= mag[i];
		}
		dec[d++] = (char)('0' + rem);
		if (!nonzero)
			break;
	} while (d < sizeof(dec));
	if (negative)
		out(b, "-");
	while (d)
		okit_buf_byte(b, (uint8_t)dec[--d]);
}

/* A Name as OpenSSL's X509_NAME_oneline writes it ("/C=US/O=Example,
 * Inc./CN=CA", '+' between the values of one RDN, octets outside
 * printable ASCII as \xHH, '/' and '+' escaped): what its i2v printers of
 * GeneralNames use for a directoryName. */
static void put_name_slash(okit_buf *b, ocspkit_bytes der)
{
	okit_dctx c = okit_ctx(der.data, 0);
	okit_tlv t, rdn, atv;
	okit_iter it, jt;
	if (okit_sch_check_bytes(&c, T_Name, der.data, der.len, &t)) {
		out(b, "<bad name>");
		return;
	}
	okit_iter_init(&it, &t);
	while (okit_iter_next(&c, &it, &rdn)) {
		int first = 1;
		okit_iter_init(&jt, &rdn);
		while (okit_iter_next(&c, &jt, &atv)) {
			okit_val f[F_AttributeTypeAndValue__COUNT];
			if (okit_sch_split(&c, T_AttributeTypeAndValue, &atv, f, F_AttributeTypeAndValue__COUNT))
				return;
			ocspkit_bytes type = okit_view(&f[F_AttributeTypeAndValue_type].inner);
			const okit_oid *o = okit_oid_find(OKIT_OID_ATTR, type);
			char dotted[128];
			okit_buf_byte(b, first ? '/' : '+');
			first = 0;
			if (o)
				out(b, "%s", o->sn);
			else if (ocspkit_oid_to_dotted(dotted, sizeof(dotted), type) == OCSPKIT_OK)
				out(b, "%s", dotted);
			okit_buf_byte(b, '=');
			const okit_tlv *v = &f[F_AttributeTypeAndValue_value].inner;
			for (size_t i = 0; i < v->val_len; i++) {
				uint8_t ch = v->val[i];
				if (ch < ' ' || ch > '~')
					out(b, "\\x%02X", ch);
				else if (ch == '/' || ch == '+')
					out(b, "\\%c", ch);
				else
					okit_buf_byte(b, ch);
			}
		}
	}
}

/* One GeneralName (whole DER) as GENERAL_NAME_print writes it ("URI:...",
 * "DirName:C = US, ..."), or with slash (i2v_GENERAL_NAME's form, of key
 * identifiers, alternative names and certificate issuers) a directoryName
 * as X509_NAME_oneline does. */
static void put_general_name(okit_buf *b, ocspkit_bytes gn, int slash)
{
	char *s;
	if (slash && gn.len > 2 && gn.data[0] == (OKIT_CLASS_CONTEXT | OKIT_CONSTRUCTED | 4)) {
		okit_dctx c = okit_ctx(gn.data, 0);
		okit_tlv t, inner;
		if (okit_der_only(&c, gn.data, gn.len, &t) == OCSPKIT_OK &&
		    okit_der_only(&c, t.val, t.val_len, &inner) == OCSPKIT_OK) {
			out(b, "DirName:");
			put_name_slash(b, okit_whole(&inner));
			return;
		}
	}
	ocspkit_err e = ocspkit_general_name_to_string(&s, gn);
	if (e == OCSPKIT_OK) {
		out(b, "%s", s);
		ocspkit_free(s);
	} else {
		note_error(b, e);
		out(b, "<bad name>");
	}
}

/* The GeneralName elements of names, one per line at ind + 2
 * (print_gens), or with slash one per line at ind, i2v's form. */
static void put_general_names(okit_buf *b, ocspkit_bytes names, int ind, int slash)
{
	ocspkit_bytes gn;
	while (ocspkit_general_names_next(&gn, &names) == OCSPKIT_OK) {
		out(b, "%*s", slash ? ind : ind + 2, "");
		put_general_name(b, gn, slash);
		out(b, "\n");
	}
}

static void put_reason_flags(okit_buf *b, const char *title, unsigned bits, int ind)
{
	int first = 1;
	out(b, "%*s%s:\n%*s", ind, "", title, ind + 2, "");
	for (unsigned i = 0; i < sizeof(reason_flag_text) / sizeof(reason_flag_text[0]); i++) {
		if (!(bits & (1u << i)))
			continue;
		out(b, "%s%s", first ? "" : ", ", reason_flag_text[i]);
		first = 0;
	}
	out(b, first ? "<EMPTY>\n" : "\n");
}

static void put_dp_name(okit_buf *b, const ocspkit_dp_name *dp, int ind)
{
	if (dp->full_name.len) {
		out(b, "%*sFull Name:\n", ind, "");
		put_general_names(b, dp->full_name, ind, 0);
	} else if (dp->relative_name.len) {
		/* [1] IMPLICIT RelativeDistinguishedName: printed as the Name of
		 * that one RDN, SEQUENCE { SET { ... } } */
		okit_buf nm;
		uint8_t *nd;
		size_t nl;
		out(b, "%*sRelative Name:\n%*s", ind, "", ind + 2, "");
		okit_buf_init(&nm, OKIT_TEXT_MAX);
		size_t m = okit_der_open(&nm, OKIT_CONSTRUCTED | OKIT_TAG_SEQUENCE);
		okit_buf_byte(&nm, OKIT_CONSTRUCTED | OKIT_TAG_SET);
		okit_buf_put(&nm, dp->relative_name.data + 1, dp->relative_name.len - 1);
		okit_der_close(&nm, m);
		if (okit_buf_finish(&nm, &nd, &nl) == OCSPKIT_OK) {
			put_name(b, (ocspkit_bytes){ nd, nl }, OCSPKIT_NAME_ONELINE);
			ocspkit_free(nd);
		} else {
			okit_buf_fail(b, OCSPKIT_E_NO_MEMORY);
		}
		out(b, "\n");
	}
}

/* The value of a CRL or CRL entry extension, at indentation ind, each
 * line ended. */
static void put_crl_extension_value(okit_buf *b, const ocspkit_crl *crl, const ocspkit_extension *e, int ind)
{
	okit_dctx c = okit_ctx(e->value.data, 0);
	okit_tlv t;
	ocspkit_bytes v;
	int id = okit_oid_id(OKIT_OID_EXT, e->oid);

	if (okit_der_only(&c, e->value.data, e->value.len, &t) != OCSPKIT_OK)
		id = 0;
	switch (id) {
	case OKIT_CEXT_CRL_NUMBER:
	case OKIT_CEXT_DELTA_CRL:
		out(b, "%*s", ind, "");
		put_integer_dec(b, okit_view(&t));
		out(b, "\n");
		return;
	case OCSPKIT_EXT_CRL_REASON: {
		long r;
		if (okit_der_small_uint(&c, &t, 10, &r) == OCSPKIT_OK && crl_reason_text[r]) {
			out(b, "%*s%s\n", ind, "", crl_reason_text[r]);
			return;
		}
		break;
	}
	case OCSPKIT_EXT_INVALIDITY_DATE: {
		int64_t when;
		ocspkit_bytes frac;
		if (okit_der_generalized_time(&c, &t, &when, &frac) == OCSPKIT_OK) {
			out(b, "%*s", ind, "");
			put_time(b, when, frac);
			out(b, "\n");
			return;
		}
		break;
	}
	case OKIT_CEXT_HOLD_INSTRUCTION:
		out(b, "%*s", ind, "");
		put_oid(b, okit_view(&t));
		out(b, "\n");
		return;
	case OCSPKIT_EXT_CERTIFICATE_ISSUER:
		put_general_names(b, okit_view(&t), ind, 1);
		return;
	case OKIT_CEXT_ISSUER_ALT_NAME: {
		ocspkit_bytes names = okit_view(&t), gn;
		int first = 1;
		out(b, "%*s", ind, "");
		while (ocspkit_general_names_next(&gn, &names) == OCSPKIT_OK) {
			out(b, first ? "" : ", ");
			first = 0;
			put_general_name(b, gn, 1);
		}
		out(b, "\n");
		return;
	}
	case OKIT_CEXT_AKI: {
		ocspkit_authority_key_id aki;
		if (ocspkit_crl_get_authority_key_id(&aki, crl) != OCSPKIT_OK)
			break;
		int more = aki.issuer.len || aki.serial.len;
		if (aki.key_id.len) {
			out(b, "%*s%s", ind, "", more ? "keyid:" : "");
			put_hex_colons(b, aki.key_id);
			out(b, "\n");
		}
		put_general_names(b, aki.issuer, ind, 1);
		if (aki.serial.len) {
			out(b, "%*sserial:", ind, "");
			put_hex_colons(b, aki.serial);
			out(b, "\n");
		}
		return;
	}
	case OKIT_CEXT_IDP: {
		ocspkit_crl_idp idp;
		if (ocspkit_crl_get_issuing_distribution_point(&idp, crl) != OCSPKIT_OK)
			break;
		put_dp_name(b, &idp.distribution_point, ind);
		if (idp.only_user_certs)
			out(b, "%*sOnly User Certificates\n", ind, "");
		if (idp.only_ca_certs)
			out(b, "%*sOnly CA Certificates\n", ind, "");
		if (idp.indirect_crl)
			out(b, "%*sIndirect CRL\n", ind, "");
		if (idp.has_only_some_reasons)
			put_reason_flags(b, "Only Some Reasons", idp.only_some_reasons, ind);
		if (idp.only_attribute_certs)
			out(b, "%*sOnly Attribute Certificates\n", ind, "");
		return;
	}
	case OKIT_CEXT_FRESHEST_CRL: {
		ocspkit_distribution_point dps[8];
		size_t n;
		if (ocspkit_crl_get_freshest_crl(dps, 8, &n, crl) != OCSPKIT_OK)
			break;
		for (size_t i = 0; i < n && i < 8; i++) {
			put_dp_name(b, &dps[i].distribution_point, ind);
			if (dps[i].has_reasons)
				put_reason_flags(b, "Reasons", dps[i].reasons, ind);
			if (dps[i].crl_issuer.len) {
				out(b, "%*sCRL Issuer:\n", ind, "");
				put_general_names(b, dps[i].crl_issuer, ind, 0);
			}
		}
		if (n > 8)
			out(b, "%*s(%zu distribution points)\n", ind, "", n);
		return;
	}
	case OKIT_CEXT_AIA: {
		okit_iter it;
		okit_tlv el;
		okit_iter_init(&it, &t);
		while (okit_iter_next(&c, &it, &el)) {
			okit_val f[F_AccessDescription__COUNT];
			if (okit_sch_split(&c, T_AccessDescription, &el, f, F_AccessDescription__COUNT))
				break;
			out(b, "%*s", ind, "");
			put_oid(b, okit_view(&f[F_AccessDescription_accessMethod].inner));
			out(b, " - ");
			put_general_name(b, okit_whole(&f[F_AccessDescription_accessLocation].inner), 1);
			out(b, "\n");
		}
		return;
	}
	default:
		break;
	}
	/* OpenSSL's ASN1_STRING_print of the extnValue octets */
	v = e->value;
	out(b, "%*s", ind, "");
	for (size_t i = 0; i < v.len; i++)
		okit_buf_byte(b, v.data[i] >= ' ' && v.data[i] <= '~' ? v.data[i] : '.');
	out(b, "\n");
}

static void put_crl_extension(okit_buf *b, const ocspkit_crl *crl, const ocspkit_extension *e)
{
	out(b, "            ");
	put_oid(b, e->oid);
	out(b, ": %s\n", e->critical ? "critical" : "");
	put_crl_extension_value(b, crl, e, 16);
}

/* A serial number as OpenSSL's i2a_ASN1_INTEGER writes it: "-" for a
 * negative one, then the magnitude in hex, two digits an octet. */
static void put_serial(okit_buf *b, ocspkit_bytes v)
{
	uint8_t mag[OCSPKIT_MAX_SERIAL_SIZE * 4];
	if (v.len && (v.data[0] & 0x80) && v.len <= sizeof(mag)) {
		int carry = 1;
		memcpy(mag, v.data, v.len);
		for (size_t i = v.len; i-- > 0;) {
			int x = (uint8_t)~mag[i] + carry;
			mag[i] = (uint8_t)x;
			carry = x >> 8;
		}
		v.data = mag;
		out(b, "-");
	}
	while (v.len > 1 && v.data[0] == 0)
		v.data++, v.len--;
	put_hex_upper(b, v);
}

ocspkit_err ocspkit_crl_print(char **text, const ocspkit_crl *crl)
{
	okit_buf b;
	int64_t t;
	ocspkit_signature_block sig;

	if (!text || !crl)
		return OCSPKIT_E_INVALID_ARGUMENT;
	/* a CRL may be far larger than any OCSP message: a limit that grows
	 * with it (a few dozen characters per entry's dozens of octets) */
	okit_buf_init(&b, OKIT_TEXT_MAX + 16 * ocspkit_crl_get_der(crl).len);
	long v = ocspkit_crl_get_version(crl);
	out(&b, "Certificate Revocation List (CRL):\n        Version %ld (0x%lx)\n", v + 1, (unsigned long)v);
	const ocspkit_algorithm_id *alg = ocspkit_crl_get_signature_algorithm(crl);
	out(&b, "        Signature Algorithm: ");
	put_oid(&b, alg->oid);
	if (okit_oid_id(OKIT_OID_SIG, alg->oid) == OKIT_SIG_RSA_PSS)
		put_pss_params(&b, alg->params, "    ");
	else
		out(&b, "\n");
	out(&b, "        Issuer: ");
	put_name(&b, ocspkit_crl_get_issuer(crl), OCSPKIT_NAME_ONELINE);
	out(&b, "\n        Last Update: ");
	put_time(&b, ocspkit_crl_get_this_update(crl), (ocspkit_bytes){ NULL, 0 });
	out(&b, "\n        Next Update: ");
	if (ocspkit_crl_get_next_update(&t, crl) == OCSPKIT_OK)
		put_time(&b, t, (ocspkit_bytes){ NULL, 0 });
	else
		out(&b, "NONE");
	out(&b, "\n");
	if (ocspkit_crl_get_extension_count(crl)) {
		out(&b, "        CRL extensions:\n");
		for (size_t i = 0; i < ocspkit_crl_get_extension_count(crl); i++)
			put_crl_extension(&b, crl, ocspkit_crl_get_extension(crl, i));
	}
	size_t n = ocspkit_crl_get_entry_count(crl);
	out(&b, n ? "Revoked Certificates:\n" : "No Revoked Certificates.\n");
	for (size_t i = 0; i < n && !b.err; i++) {
		ocspkit_crl_entry e;
		ocspkit_extension x;
		ocspkit_err err = ocspkit_crl_get_entry(&e, crl, i);
		if (err) {
			okit_buf_clear(&b);
			return err;
		}
		out(&b, "    Serial Number: ");
		put_serial(&b, e.serial);
		out(&b, "\n        Revocation Date: ");
		put_time(&b, e.revocation_date, (ocspkit_bytes){ NULL, 0 });
		out(&b, "\n");
		if (e.extension_count)
			out(&b, "        CRL entry extensions:\n");
		for (size_t k = 0; ocspkit_crl_entry_get_extension(&x, &e, k) == OCSPKIT_OK; k++)
			put_crl_extension(&b, crl, &x);
	}
	memset(&sig, 0, sizeof(sig));
	sig.algorithm = *alg;
	sig.signature = ocspkit_crl_get_signature(crl);
	put_signature(&b, &sig, "    ");
	return finish(&b, text);
}
