/* The OpenSSL CA database (index.txt), as `openssl ca` writes it: one line
 * per certificate, six TAB-separated fields:
 *
 *   status  expiry  revocation  serial  file  subject
 *
 * status V (valid), R (revoked) or E (expired); times are UTCTime
 * (YYMMDDHHMMSSZ) or GeneralizedTime; revocation is empty, or
 * "time[,reason[,argument]]" where reason is a CRLReason name, or keyTime /
 * CAkeyTime (key or CA compromise, with the compromise time as argument),
 * or holdInstruction (certificate hold). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* YYMMDDHHMMSSZ or YYYYMMDDHHMMSSZ */
static int parse_db_time(const char *s, size_t n, int64_t *out)
{
	char buf[20];
	if (n == 13) {
		int yy = (s[0] - '0') * 10 + (s[1] - '0');
		snprintf(buf, sizeof(buf), "%s%.*s", yy >= 50 ? "19" : "20", (int)n, s);
	} else if (n == 15) {
		snprintf(buf, sizeof(buf), "%.*s", (int)n, s);
	} else {
		return -1;
	}
	return ocspkit_time_parse(out, buf) == OCSPKIT_OK ? 0 : -1;
}

static const struct {
	const char *name;
	ocspkit_crl_reason reason;
} reasons[] = {
	{ "unspecified", OCSPKIT_REASON_UNSPECIFIED },
	{ "keyCompromise", OCSPKIT_REASON_KEY_COMPROMISE },
	{ "CACompromise", OCSPKIT_REASON_CA_COMPROMISE },
	{ "affiliationChanged", OCSPKIT_REASON_AFFILIATION_CHANGED },
	{ "superseded", OCSPKIT_REASON_SUPERSEDED },
	{ "cessationOfOperation", OCSPKIT_REASON_CESSATION_OF_OPERATION },
	{ "certificateHold", OCSPKIT_REASON_CERTIFICATE_HOLD },
	{ "removeFromCRL", OCSPKIT_REASON_REMOVE_FROM_CRL },
	{ "holdInstruction", OCSPKIT_REASON_CERTIFICATE_HOLD },
	{ "keyTime", OCSPKIT_REASON_KEY_COMPROMISE },
	{ "CAkeyTime", OCSPKIT_REASON_CA_COMPROMISE },
};

static int parse_revocation(cli_index_entry *e, const char *s, size_t n)
{
	const char *comma = memchr(s, ',', n);
	size_t tl = comma ? (size_t)(comma - s) : n;
	if (parse_db_time(s, tl, &e->revocation_time))
		return -1;
	if (!comma)
		return 0;
	const char *r = comma + 1;
	size_t rl = n - tl - 1;
	const char *arg = memchr(r, ',', rl);
	size_t name_len = arg ? (size_t)(arg - r) : rl;
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		if (strlen(reasons[i].name) != name_len || strncasecmp(reasons[i].name, r, name_len) != 0)
			continue;
		e->has_reason = 1;
		e->reason = reasons[i].reason;
		/* keyTime, CAkeyTime: the compromise time is the invalidity date */
		if (arg && (strncasecmp(r, "keyTime", name_len) == 0 || strncasecmp(r, "CAkeyTime", name_len) == 0)) {
			if (parse_db_time(arg + 1, rl - name_len - 1, &e->invalidity_date))
				return -1;
			e->has_invalidity_date = 1;
		}
		return 0;
	}
	return -1;
}

int cli_index_load(const char *path, cli_index_entry **out, size_t *count)
{
	uint8_t *data;
	size_t len, n = 0, cap = 0, line_no = 0;
	cli_index_entry *list = NULL;

	*out = NULL;
	*count = 0;
	if (cli_read_file(path, 256u << 20, &data, &len))
		return -1;
	for (size_t pos = 0; pos < len;) {
		const char *line = (const char *)data + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - line) : len - pos;
		pos += ll + (nl ? 1 : 0);
		line_no++;
		if (ll && line[ll - 1] == '\r')
			ll--;
		if (ll == 0 || line[0] == '#')
			continue;
		const char *f[6];
		size_t fl[6], nf = 0;
		for (const char *p = line, *end = line + ll; nf < 6;) {
			const char *tab = nf < 5 ? memchr(p, '\t', (size_t)(end - p)) : NULL;
			f[nf] = p;
			fl[nf] = tab ? (size_t)(tab - p) : (size_t)(end - p);
			nf++;
			if (!tab)
				break;
			p = tab + 1;
		}
		if (nf != 6)
			goto bad;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			cli_index_entry *nl2 = realloc(list, cap * sizeof(*list));
			if (!nl2)
				goto bad;
			list = nl2;
		}
		cli_index_entry *e = &list[n];
		memset(e, 0, sizeof(*e));
		char serial[2 * OCSPKIT_MAX_SERIAL_SIZE + 2];
		if (fl[0] != 1 || (f[0][0] != 'V' && f[0][0] != 'R' && f[0][0] != 'E') || fl[3] == 0 ||
		    fl[3] >= sizeof(serial))
			goto bad;
		e->status = f[0][0];
		memcpy(serial, f[3], fl[3]);
		serial[fl[3]] = '\0';
		if (cli_parse_serial(serial, e->serial, sizeof(e->serial), &e->serial_len))
			goto bad;
		if (parse_db_time(f[1], fl[1], &e->expiry))
			goto bad;
		if (e->status == 'R' && parse_revocation(e, f[2], fl[2]))
			goto bad;
		n++;
	}
	free(data);
	*out = list;
	*count = n;
	return 0;
bad:
	cli_err("%s: line %zu is not an OpenSSL CA index entry", path, line_no);
	free(data);
	free(list);
	return -1;
}

const cli_index_entry *cli_index_find(const cli_index_entry *list, size_t n, ocspkit_bytes serial)
{
	for (size_t i = 0; i < n; i++)
		if (list[i].serial_len == serial.len && memcmp(list[i].serial, serial.data, serial.len) == 0)
			return &list[i];
	return NULL;
}
