/* The OpenSSL CA index.txt parser (responder/index.c).
 *
 * Oracles:
 *  - a refused file names a line that exists (or none), an accepted one
 *    has no more entries than lines;
 *  - every entry is found by its serial and only by it; serials are
 *    minimal positive INTEGERs, in strictly increasing order, so no two
 *    are equal; the per-status counts add up;
 *  - round trip: the entries written back as index lines (GeneralizedTime,
 *    uppercase hex, the revocation forms of `openssl ca`) parse to the
 *    same entries.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "responder/index.h"

static size_t put_time(char *out, int64_t t)
{
	char buf[OCSPKIT_TIME_STRING_SIZE];
	size_t o = 0;
	ocspkit_time_format(buf, t); /* 2026-11-22T01:57:04Z */
	for (const char *s = buf; *s; s++)
		if (*s >= '0' && *s <= '9')
			out[o++] = *s;
	out[o++] = 'Z';
	return o;
}

static const char *reason_word(const rsp_index_entry *e)
{
	static const char *const names[] = { "unspecified", "keyCompromise", "CACompromise", "affiliationChanged",
					     "superseded", "cessationOfOperation", "certificateHold", NULL,
					     "removeFromCRL" };
	if (e->has_invalidity_date)
		return e->reason == OCSPKIT_REASON_KEY_COMPROMISE ? "keyTime" : "CAkeyTime";
	if (e->hold_len)
		return "holdInstruction";
	return (unsigned)e->reason < 9 ? names[e->reason] : NULL;
}

/* The OID's dotted form, for a holdInstruction argument. */
static size_t put_oid(char *out, const uint8_t *oid, size_t len)
{
	size_t o = 0;
	uint64_t v = 0;
	int first = 1;
	for (size_t i = 0; i < len; i++) {
		v = (v << 7) | (oid[i] & 0x7F);
		if (oid[i] & 0x80)
			continue;
		if (first) {
			uint64_t a = v < 80 ? v / 40 : 2;
			o += (size_t)sprintf(out + o, "%llu.%llu", (unsigned long long)a, (unsigned long long)(v - a * 40));
			first = 0;
		} else {
			o += (size_t)sprintf(out + o, ".%llu", (unsigned long long)v);
		}
		v = 0;
	}
	return o;
}

static int same_entry(const rsp_index_entry *a, const rsp_index_entry *b)
{
	return a->type == b->type && a->serial.len == b->serial.len &&
	       memcmp(a->serial.data, b->serial.data, a->serial.len) == 0 && a->expiry == b->expiry &&
	       a->revocation_time == b->revocation_time && a->has_reason == b->has_reason &&
	       (!a->has_reason || a->reason == b->reason) && a->has_invalidity_date == b->has_invalidity_date &&
	       (!a->has_invalidity_date || a->invalidity_date == b->invalidity_date) && a->hold_len == b->hold_len &&
	       memcmp(a->hold, b->hold, a->hold_len) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	rsp_index *idx = NULL, *again = NULL;
	rsp_index_error err;
	size_t lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';

	ocspkit_err e = CALL(rsp_index_parse(&idx, data, size, &err));
	ORACLE((e == OCSPKIT_OK) == (idx != NULL), "object and result disagree");
	if (e != OCSPKIT_OK) {
		ORACLE(e == OCSPKIT_E_INVALID_ARGUMENT || e == OCSPKIT_E_LIMIT_INPUT_SIZE || e == OCSPKIT_E_NO_MEMORY,
		       "%s", ocspkit_strerror_name(e));
		ORACLE(err.line <= lines && err.msg[0] && strlen(err.msg) < sizeof(err.msg), "error line %zu of %zu",
		       err.line, lines);
		return 0;
	}
	size_t n = rsp_index_count(idx);
	ORACLE(n <= lines, "%zu entries from %zu lines", n, lines);
	ORACLE(rsp_index_count_type(idx, 'V') + rsp_index_count_type(idx, 'R') + rsp_index_count_type(idx, 'E') == n,
	       "counts");
	ORACLE(rsp_index_get(idx, n) == NULL, "get past the end");

	/* written back as an index */
	size_t cap = n * (OCSPKIT_MAX_SERIAL_SIZE * 2 + 12 * RSP_INDEX_MAX_OID + 128) + 1, o = 0;
	char *text = malloc(cap);
	if (!text)
		abort();
	static const char hexd[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		const rsp_index_entry *x = rsp_index_get(idx, i);
		ocspkit_bytes s = x->serial;
		ORACLE(x->type == 'V' || x->type == 'R' || x->type == 'E', "type %c", x->type);
		ORACLE(s.len >= 1 && s.len <= OCSPKIT_MAX_SERIAL_SIZE, "serial length %zu", s.len);
		ORACLE(!(s.data[0] & 0x80), "negative serial");
		ORACLE(s.len == 1 || s.data[0] || (s.data[1] & 0x80), "serial not minimal");
		ORACLE(rsp_index_find(idx, s) == x, "entry %zu not found by its serial", i);
		ORACLE(x->line >= 1 && x->line <= lines, "line %zu", x->line);
		ORACLE(x->hold_len <= RSP_INDEX_MAX_OID, "hold");
		if (i) {
			ocspkit_bytes p = rsp_index_get(idx, i - 1)->serial;
			ORACLE(p.len < s.len || (p.len == s.len && memcmp(p.data, s.data, s.len) < 0), "order");
		}
		/* a serial one off is not found (unless it is the next entry's) */
		uint8_t probe[OCSPKIT_MAX_SERIAL_SIZE + 1];
		memcpy(probe, s.data, s.len);
		probe[s.len] = 0x01;
		const rsp_index_entry *f = rsp_index_find(idx, (ocspkit_bytes){ probe, s.len + 1 });
		ORACLE(!f || (f->serial.len == s.len + 1 && memcmp(f->serial.data, probe, s.len + 1) == 0), "probe");

		text[o++] = x->type;
		text[o++] = '\t';
		o += put_time(text + o, x->expiry);
		text[o++] = '\t';
		if (x->type == 'R') {
			o += put_time(text + o, x->revocation_time);
			const char *w = x->has_reason ? reason_word(x) : NULL;
			ORACLE(!x->has_reason || w, "reason %d", x->reason);
			if (w) {
				o += (size_t)sprintf(text + o, ",%s", w);
				if (x->has_invalidity_date) {
					text[o++] = ',';
					o += put_time(text + o, x->invalidity_date);
				} else if (x->hold_len) {
					text[o++] = ',';
					o += put_oid(text + o, x->hold, x->hold_len);
				}
			}
		}
		text[o++] = '\t';
		for (size_t k = 0; k < s.len; k++) {
			text[o++] = hexd[s.data[k] >> 4];
			text[o++] = hexd[s.data[k] & 15];
		}
		memcpy(text + o, "\tunknown\t/CN=x\n", 15);
		o += 15;
	}
	e = CALL(rsp_index_parse(&again, (const uint8_t *)text, o, &err));
	ORACLE(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY, "the entries written back do not parse: line %zu: %s",
	       err.line, err.msg);
	if (e == OCSPKIT_OK) {
		ORACLE(rsp_index_count(again) == n, "%zu entries written back, %zu read", n, rsp_index_count(again));
		for (size_t i = 0; i < n && i < rsp_index_count(again); i++)
			ORACLE(same_entry(rsp_index_get(idx, i), rsp_index_get(again, i)), "entry %zu differs", i);
	}
	rsp_index_free(again);
	free(text);
	rsp_index_free(idx);
	return 0;
}
