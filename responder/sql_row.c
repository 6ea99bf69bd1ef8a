/* A row of CFSSL's certificates table, read (sql_row.h). */
#include <config.h>

#include <string.h>

#include "common/text.h"
#include "sql_row.h"

static const char *const skip_names[RSP_SQL_SKIP_REASONS] = {
	[RSP_SQL_ROW_OK] = "ok",
	[RSP_SQL_SKIP_SERIAL] = "bad serial_number",
	[RSP_SQL_SKIP_AKI] = "bad authority_key_identifier",
	[RSP_SQL_SKIP_STATUS] = "status neither good nor revoked",
	[RSP_SQL_SKIP_REASON] = "reason not a CRLReason",
	[RSP_SQL_SKIP_REVOKED_AT] = "revoked_at missing or not a time",
	[RSP_SQL_SKIP_EXPIRY] = "expiry not a time",
	[RSP_SQL_SKIP_OTHER_CA] = "of another CA",
};

const char *rsp_sql_skip_name(rsp_sql_skip why)
{
	return (unsigned)why < RSP_SQL_SKIP_REASONS ? skip_names[why] : "?";
}

int rsp_sql_parse_serial(const char *text, uint8_t out[RSP_SQL_MAX_SERIAL], size_t *len)
{
	/* the value in base 256, big-endian, one octet more than a serial
	 * holds so that an overflow shows */
	uint8_t v[RSP_SQL_MAX_SERIAL + 1];
	size_t n;
	if (!text || !*text || (text[0] == '0' && text[1]))
		return -1;
	memset(v, 0, sizeof(v));
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9' || p - text > 64)
			return -1;
		unsigned carry = (unsigned)(*p - '0');
		for (size_t i = sizeof(v); i-- > 0;) {
			carry += v[i] * 10u;
			v[i] = (uint8_t)carry;
			carry >>= 8;
		}
		if (carry)
			return -1;
	}
	/* minimal INTEGER content octets: no leading zero octet but one
	 * before a high bit, and "0" is one zero octet */
	size_t i = 0;
	while (i < sizeof(v) - 1 && v[i] == 0)
		i++;
	if (v[i] & 0x80) {
		if (i == 0)
			return -1;
		i--;
	}
	n = sizeof(v) - i;
	if (n > RSP_SQL_MAX_SERIAL)
		return -1;
	memcpy(out, v + i, n);
	*len = n;
	return 0;
}

int rsp_sql_parse_hex(const char *text, uint8_t *out, size_t max, size_t *len)
{
	size_t n = text ? strlen(text) : 0;
	if (n == 0 || n % 2 || n / 2 > max)
		return -1;
	for (size_t i = 0; i < n; i += 2) {
		int hi = text_hex_digit(text[i]), lo = text_hex_digit(text[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

/* n digits at *p, moved past them; -1 when they are not digits */
static long digits(const char **p, int n)
{
	long v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return -1;
		v = v * 10 + (**p - '0');
	}
	return v;
}

/* n digits at *p copied to *o, both moved past them; -1 when they are not
 * digits */
static int copy_digits(const char **p, char **o, int n)
{
	for (int i = 0; i < n; i++) {
		if (**p < '0' || **p > '9')
			return -1;
		*(*o)++ = *(*p)++;
	}
	return 0;
}

int rsp_sql_parse_time(const char *text, int64_t *out)
{
	/* the date and time into GeneralizedTime's digits, which
	 * ocspkit_time_parse checks (months, days, leap years) */
	char gt[16], *o = gt;
	const char *p = text;
	if (!p || copy_digits(&p, &o, 4) || *p++ != '-' || copy_digits(&p, &o, 2) || *p++ != '-' ||
	    copy_digits(&p, &o, 2) || (*p != ' ' && *p != 'T'))
		return -1;
	p++;
	if (copy_digits(&p, &o, 2) || *p++ != ':' || copy_digits(&p, &o, 2) || *p++ != ':' || copy_digits(&p, &o, 2))
		return -1;
	*o++ = 'Z';
	*o = 0;
	if (*p == '.') {
		p++;
		int n = 0;
		while (*p >= '0' && *p <= '9' && n < 9)
			p++, n++;
		if (n == 0 || (*p >= '0' && *p <= '9'))
			return -1;
	}
	long off = 0;
	if (*p == ' ' && (p[1] == '+' || p[1] == '-'))
		p++;
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1;
		long oh = digits(&p, 2), om = 0;
		if (oh < 0 || oh > 23)
			return -1;
		if (*p == ':')
			p++;
		if (*p >= '0' && *p <= '9') {
			om = digits(&p, 2);
			if (om < 0 || om > 59)
				return -1;
		}
		off = sign * (oh * 3600 + om * 60);
	}
	if (strcmp(p, " UTC") == 0)
		p += 4;
	int64_t t;
	if (*p || ocspkit_time_parse(&t, gt) != OCSPKIT_OK)
		return -1;
	*out = t - off;
	return 0;
}

rsp_sql_skip rsp_sql_row_parse(const rsp_sql_row *row, rsp_sql_entry *e)
{
	size_t n;
	memset(e, 0, sizeof(*e));
	if (rsp_sql_parse_serial(row->serial_number, e->serial, &n) != 0)
		return RSP_SQL_SKIP_SERIAL;
	e->serial_len = (uint8_t)n;
	if (rsp_sql_parse_hex(row->authority_key_identifier, e->aki, sizeof(e->aki), &n) != 0)
		return RSP_SQL_SKIP_AKI;
	e->aki_len = (uint8_t)n;
	if (!row->status)
		return RSP_SQL_SKIP_STATUS;
	if (strcmp(row->status, "revoked") == 0)
		e->revoked = 1;
	else if (strcmp(row->status, "good") != 0)
		return RSP_SQL_SKIP_STATUS;
	if (e->revoked) {
		if (row->reason) {
			/* one or two digits, no leading zero */
			const char *p = row->reason;
			size_t len = strlen(p);
			long r = len == 1 || (len == 2 && p[0] != '0') ? digits(&p, (int)len) : -1;
			if (r < 0 || r > 10 || r == 7)
				return RSP_SQL_SKIP_REASON;
			e->has_reason = r != 0;
			e->reason = (uint8_t)r;
		}
		if (rsp_sql_parse_time(row->revoked_at, &e->revoked_at) != 0)
			return RSP_SQL_SKIP_REVOKED_AT;
	}
	if (row->expiry) {
		if (rsp_sql_parse_time(row->expiry, &e->expiry) != 0)
			return RSP_SQL_SKIP_EXPIRY;
		e->has_expiry = 1;
	}
	return RSP_SQL_ROW_OK;
}
