/* Distinguished names and GeneralNames as text. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include <ocspkit/text.h>

#include "buf.h"
#include "der.h"
#include "ocsp_asn1.h"
#include "oid.h"
#include "schema.h"
#include "try.h"

static void put_str(okit_buf *b, const char *s)
{
	okit_buf_put(b, s, strlen(s));
}

static void put_utf8(okit_buf *b, uint32_t cp)
{
	uint8_t u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (uint8_t)cp, n = 1;
	} else if (cp < 0x800) {
		u[0] = (uint8_t)(0xC0 | cp >> 6), u[1] = (uint8_t)(0x80 | (cp & 0x3F)), n = 2;
	} else if (cp < 0x10000) {
		u[0] = (uint8_t)(0xE0 | cp >> 12), u[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (uint8_t)(0x80 | (cp & 0x3F)), n = 3;
	} else {
		u[0] = (uint8_t)(0xF0 | cp >> 18), u[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F)), u[3] = (uint8_t)(0x80 | (cp & 0x3F)), n = 4;
	}
	okit_buf_put(b, u, n);
}

static void put_hex(okit_buf *b, const uint8_t *p, size_t n, int upper)
{
	const char *d = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		okit_buf_byte(b, (uint8_t)d[p[i] >> 4]);
		okit_buf_byte(b, (uint8_t)d[p[i] & 15]);
	}
}

/* The value of a directory string as UTF-8, or 0 if the type is not a
 * string type (the caller then prints the DER in hex). */
static int string_value(okit_buf *out, const okit_tlv *v)
{
	if (v->cls != OKIT_CLASS_UNIVERSAL || v->constructed)
		return 0;
	switch (v->number) {
	case OKIT_TAG_UTF8_STRING:
	case OKIT_TAG_PRINTABLE_STRING:
	case OKIT_TAG_IA5_STRING:
	case OKIT_TAG_VISIBLE_STRING:
	case OKIT_TAG_NUMERIC_STRING:
		okit_buf_put(out, v->val, v->val_len);
		return 1;
	case OKIT_TAG_TELETEX_STRING: /* treated as Latin-1, as most software does */
		for (size_t i = 0; i < v->val_len; i++)
			put_utf8(out, v->val[i]);
		return 1;
	case OKIT_TAG_BMP_STRING:
		if (v->val_len % 2)
			return 0;
		for (size_t i = 0; i < v->val_len; i += 2)
			put_utf8(out, (uint32_t)v->val[i] << 8 | v->val[i + 1]);
		return 1;
	case OKIT_TAG_UNIVERSAL_STRING:
		if (v->val_len % 4)
			return 0;
		for (size_t i = 0; i < v->val_len; i += 4) {
			uint32_t cp = (uint32_t)v->val[i] << 24 | (uint32_t)v->val[i + 1] << 16 |
				      (uint32_t)v->val[i + 2] << 8 | v->val[i + 3];
			if (cp > 0x10FFFF)
				return 0;
			put_utf8(out, cp);
		}
		return 1;
	default:
		return 0;
	}
}

static void put_attr_type(okit_buf *b, ocspkit_bytes oid, unsigned style)
{
	const okit_oid *o = okit_oid_find(OKIT_OID_ATTR, oid);
	char dotted[128];
	/* RFC 4514 2.3: its short names, else the dotted form */
	if (o && style == OCSPKIT_NAME_ONELINE) {
		put_str(b, o->sn);
	} else if (o && o->rfc4514) {
		put_str(b, o->rfc4514);
	} else if (ocspkit_oid_to_dotted(dotted, sizeof(dotted), oid) == OCSPKIT_OK) {
		put_str(b, dotted);
	} else {
		put_str(b, "?");
	}
}

/* RFC 4514 section 2.4 escaping of an attribute value. */
static void put_rfc4514_value(okit_buf *b, const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = s[i];
		if (ch == 0) {
			put_str(b, "\\00");
			continue;
		}
		if (strchr(",+\"\\<>;", ch) || (i == 0 && (ch == '#' || ch == ' ')) || (i == n - 1 && ch == ' '))
			okit_buf_byte(b, '\\');
		okit_buf_byte(b, ch);
	}
}

/* OpenSSL's XN_FLAG_ONELINE: values needing escapes are quoted, octets
 * outside printable ASCII written as \XX. */
static void put_oneline_value(okit_buf *b, const uint8_t *s, size_t n)
{
	int quote = 0;
	for (size_t i = 0; i < n; i++)
		if (strchr(",+\"\\<>;", s[i]) && s[i])
			quote = 1;
	if (n && (s[0] == ' ' || s[0] == '#' || s[n - 1] == ' '))
		quote = 1;
	if (quote)
		okit_buf_byte(b, '"');
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = s[i];
		if (ch < 0x20 || ch >= 0x7F) {
			char tmp[4];
			snprintf(tmp, sizeof(tmp), "\\%02X", ch);
			put_str(b, tmp);
		} else {
			if (ch == '"' || ch == '\\')
				okit_buf_byte(b, '\\');
			okit_buf_byte(b, ch);
		}
	}
	if (quote)
		okit_buf_byte(b, '"');
}

static ocspkit_err put_rdn(okit_dctx *c, okit_buf *b, const okit_tlv *rdn, unsigned style)
{
	okit_iter it;
	okit_tlv atv;
	int first = 1;
	okit_iter_init(&it, rdn);
	while (okit_iter_next(c, &it, &atv)) {
		okit_val f[F_AttributeTypeAndValue__COUNT];
		okit_buf val;
		TRY(okit_sch_split(c, T_AttributeTypeAndValue, &atv, f, F_AttributeTypeAndValue__COUNT));
		if (!first)
			put_str(b, style == OCSPKIT_NAME_ONELINE ? " + " : "+");
		first = 0;
		put_attr_type(b, okit_view(&f[F_AttributeTypeAndValue_type].inner), style);
		put_str(b, style == OCSPKIT_NAME_ONELINE ? " = " : "=");
		okit_buf_init(&val, OKIT_TEXT_MAX);
		if (string_value(&val, &f[F_AttributeTypeAndValue_value].inner)) {
			if (style == OCSPKIT_NAME_ONELINE)
				put_oneline_value(b, val.buf, val.len);
			else
				put_rfc4514_value(b, val.buf, val.len);
		} else {
			okit_buf_byte(b, '#');
			put_hex(b, f[F_AttributeTypeAndValue_value].inner.tlv, f[F_AttributeTypeAndValue_value].inner.tlv_len, style == OCSPKIT_NAME_ONELINE);
		}
		if (val.err)
			okit_buf_fail(b, val.err);
		okit_buf_clear(&val);
	}
	return OCSPKIT_OK;
}

static ocspkit_err write_name(okit_buf *b, ocspkit_bytes name_der, unsigned style)
{
	okit_dctx c = okit_ctx(name_der.data, 0);
	okit_tlv t, rdn;
	okit_iter it;
	okit_tlv rdns[64];
	size_t n = 0;

	if (style != OCSPKIT_NAME_RFC4514 && style != OCSPKIT_NAME_ONELINE)
		return OCSPKIT_E_INVALID_ARGUMENT;
	TRY(okit_sch_check_bytes(&c, T_Name, name_der.data, name_der.len, &t));
	okit_iter_init(&it, &t);
	while (okit_iter_next(&c, &it, &rdn)) {
		if (n == sizeof(rdns) / sizeof(rdns[0]))
			return OCSPKIT_E_LIMIT_INPUT_SIZE;
		rdns[n++] = rdn;
	}
	for (size_t i = 0; i < n; i++) {
		/* RFC 4514 writes the last RDN first; OpenSSL's one-line form
		 * keeps the encoded order. */
		const okit_tlv *r = style == OCSPKIT_NAME_RFC4514 ? &rdns[n - 1 - i] : &rdns[i];
		if (i)
			put_str(b, style == OCSPKIT_NAME_ONELINE ? ", " : ",");
		TRY(put_rdn(&c, b, r, style));
	}
	return OCSPKIT_OK;
}

static ocspkit_err finish_string(okit_buf *b, char **out, ocspkit_err e)
{
	uint8_t *p;
	size_t len;
	if (e) {
		okit_buf_clear(b);
		return e;
	}
	okit_buf_byte(b, 0);
	TRY(okit_buf_finish(b, &p, &len));
	*out = (char *)p;
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_name_to_string(char **out, ocspkit_bytes name_der, unsigned style)
{
	okit_buf b;
	if (!out)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*out = NULL;
	if (!name_der.data)
		return OCSPKIT_E_INVALID_ARGUMENT;
	okit_buf_init(&b, OKIT_TEXT_MAX);
	return finish_string(&b, out, write_name(&b, name_der, style));
}

static ocspkit_err write_general_name(okit_buf *b, ocspkit_bytes der)
{
	okit_dctx c = okit_ctx(der.data, 0);
	okit_tlv t, inner;
	int alt;
	char tmp[160];

	TRY(okit_sch_check_bytes(&c, T_GeneralName, der.data, der.len, &t));
	TRY(okit_sch_choice(&c, T_GeneralName, &t, &alt, &inner));
	switch (alt) {
	case A_GeneralName_rfc822Name: put_str(b, "email:"); okit_buf_put(b, inner.val, inner.val_len); break;
	case A_GeneralName_dNSName: put_str(b, "DNS:"); okit_buf_put(b, inner.val, inner.val_len); break;
	case A_GeneralName_uniformResourceIdentifier: put_str(b, "URI:"); okit_buf_put(b, inner.val, inner.val_len); break;
	case A_GeneralName_directoryName:
		put_str(b, "DirName:");
		TRY(write_name(b, okit_whole(&inner), OCSPKIT_NAME_ONELINE));
		break;
	case A_GeneralName_iPAddress:
		put_str(b, "IP Address:");
		if (inner.val_len == 4) {
			snprintf(tmp, sizeof(tmp), "%u.%u.%u.%u", inner.val[0], inner.val[1], inner.val[2], inner.val[3]);
			put_str(b, tmp);
		} else {
			for (size_t i = 0; i < inner.val_len; i += 2) {
				snprintf(tmp, sizeof(tmp), i ? ":%X" : "%X",
					 (unsigned)(inner.val[i] << 8 | (i + 1 < inner.val_len ? inner.val[i + 1] : 0)));
				put_str(b, tmp);
			}
		}
		break;
	case A_GeneralName_registeredID:
		put_str(b, "Registered ID:");
		if (ocspkit_oid_to_dotted(tmp, sizeof(tmp), okit_view(&inner)) == OCSPKIT_OK)
			put_str(b, tmp);
		break;
	case A_GeneralName_otherName: put_str(b, "othername:<unsupported>"); break;
	case A_GeneralName_x400Address: put_str(b, "X400Name:<unsupported>"); break;
	default: put_str(b, "EdiPartyName:<unsupported>"); break;
	}
	return OCSPKIT_OK;
}

ocspkit_err ocspkit_general_name_to_string(char **out, ocspkit_bytes der)
{
	okit_buf b;
	if (!out)
		return OCSPKIT_E_INVALID_ARGUMENT;
	*out = NULL;
	if (!der.data)
		return OCSPKIT_E_INVALID_ARGUMENT;
	okit_buf_init(&b, OKIT_TEXT_MAX);
	return finish_string(&b, out, write_general_name(&b, der));
}
