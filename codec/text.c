/* Text: the names of enums and OIDs, times. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ocspkit/text.h>

#include "civil.h"
#include "der.h"
#include "oid.h"

/* ---------------------------------------------------------------- names */

/* The names of the public enums, one switch each: the compiler checks
 * that every value has its case, which a shared table would not. */

const char *ocspkit_response_status_name(ocspkit_response_status s)
{
	switch (s) {
	case OCSPKIT_RESPONSE_SUCCESSFUL: return "successful";
	case OCSPKIT_RESPONSE_MALFORMED_REQUEST: return "malformedRequest";
	case OCSPKIT_RESPONSE_INTERNAL_ERROR: return "internalError";
	case OCSPKIT_RESPONSE_TRY_LATER: return "tryLater";
	case OCSPKIT_RESPONSE_SIG_REQUIRED: return "sigRequired";
	case OCSPKIT_RESPONSE_UNAUTHORIZED: return "unauthorized";
	}
	return "(unknown)";
}

const char *ocspkit_cert_status_name(ocspkit_cert_status s)
{
	switch (s) {
	case OCSPKIT_CERT_GOOD: return "good";
	case OCSPKIT_CERT_REVOKED: return "revoked";
	case OCSPKIT_CERT_UNKNOWN: return "unknown";
	}
	return "(unknown)";
}

const char *ocspkit_crl_reason_name(ocspkit_crl_reason r)
{
	switch (r) {
	case OCSPKIT_REASON_UNSPECIFIED: return "unspecified";
	case OCSPKIT_REASON_KEY_COMPROMISE: return "keyCompromise";
	case OCSPKIT_REASON_CA_COMPROMISE: return "cACompromise";
	case OCSPKIT_REASON_AFFILIATION_CHANGED: return "affiliationChanged";
	case OCSPKIT_REASON_SUPERSEDED: return "superseded";
	case OCSPKIT_REASON_CESSATION_OF_OPERATION: return "cessationOfOperation";
	case OCSPKIT_REASON_CERTIFICATE_HOLD: return "certificateHold";
	case OCSPKIT_REASON_REMOVE_FROM_CRL: return "removeFromCRL";
	case OCSPKIT_REASON_PRIVILEGE_WITHDRAWN: return "privilegeWithdrawn";
	case OCSPKIT_REASON_AA_COMPROMISE: return "aACompromise";
	}
	return "(unknown)";
}

const char *ocspkit_hash_name(ocspkit_hash h)
{
	const okit_oid *o = h ? okit_oid_by_id(OKIT_OID_HASH, (int)h) : NULL;
	return o ? o->ln : "(unknown)";
}

ocspkit_err ocspkit_oid_name(const char **name, ocspkit_bytes oid)
{
	const okit_oid *o = okit_oid_find(-1, oid);
	*name = o ? o->ln : NULL;
	return o ? OCSPKIT_OK : OCSPKIT_E_NOT_FOUND;
}

ocspkit_err ocspkit_oid_to_dotted(char *buf, size_t cap, ocspkit_bytes oid)
{
	size_t pos = 0;
	unsigned long long v = 0;
	int first = 1;
	if (!buf || cap == 0 || !oid.data || oid.len == 0)
		return OCSPKIT_E_INVALID_ARGUMENT;
	for (size_t i = 0; i < oid.len; i++) {
		if (v > (~0ULL >> 7))
			return OCSPKIT_E_INVALID_ARGUMENT;
		v = (v << 7) | (oid.data[i] & 0x7F);
		if (oid.data[i] & 0x80)
			continue;
		int n;
		if (first) {
			unsigned long long a = v < 40 ? 0 : v < 80 ? 1 : 2;
			n = snprintf(buf + pos, cap - pos, "%llu.%llu", a, v - a * 40);
			first = 0;
		} else {
			n = snprintf(buf + pos, cap - pos, ".%llu", v);
		}
		if (n < 0 || (size_t)n >= cap - pos)
			return OCSPKIT_E_INVALID_ARGUMENT;
		pos += (size_t)n;
		v = 0;
	}
	return first ? OCSPKIT_E_INVALID_ARGUMENT : OCSPKIT_OK;
}

/* ---------------------------------------------------------------- time */

void ocspkit_time_format(char buf[OCSPKIT_TIME_STRING_SIZE], int64_t t)
{
	int y, mo, d, h, mi, s;
	okit_time_to_civil(t, &y, &mo, &d, &h, &mi, &s);
	if (y < 0 || y > 9999) {
		memcpy(buf, "0000-00-00T00:00:00Z", OCSPKIT_TIME_STRING_SIZE);
		return;
	}
	snprintf(buf, OCSPKIT_TIME_STRING_SIZE, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
}

/* s has the shape of pat: 'd' is a decimal digit, anything else itself.
 * (sscanf's %d would also take spaces and signs: " 4", "+026".) */
static int shaped(const char *s, const char *pat)
{
	for (; *pat; s++, pat++)
		if (*pat == 'd' ? !(*s >= '0' && *s <= '9') : *s != *pat)
			return 0;
	return *s == 0;
}

ocspkit_err ocspkit_time_parse(int64_t *t, const char *s)
{
	char g[16];
	size_t len = s ? strlen(s) : 0;
	if (!t || len == 0)
		return OCSPKIT_E_INVALID_ARGUMENT;
	if (s[0] == '@' || strspn(s, "0123456789") == len) {
		/* seconds since the epoch: digits, after '@' maybe a '-'; a
		 * number that does not fit is refused, not saturated */
		const char *num = s[0] == '@' ? s + 1 : s, *digits = num + (s[0] == '@' && num[0] == '-');
		char *end;
		if (!*digits || strspn(digits, "0123456789") != strlen(digits))
			return OCSPKIT_E_INVALID_ARGUMENT;
		errno = 0;
		long long v = strtoll(num, &end, 10);
		if (*end || errno == ERANGE)
			return OCSPKIT_E_INVALID_ARGUMENT;
		*t = v;
		return OCSPKIT_OK;
	}
	if (shaped(s, "dddd-dd-ddTdd:dd:ddZ")) {
		static const size_t from[] = { 0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 19 };
		for (size_t i = 0; i < 15; i++)
			g[i] = s[from[i]];
	} else if (shaped(s, "ddddddddddddddZ")) {
		memcpy(g, s, 15);
	} else {
		return OCSPKIT_E_INVALID_ARGUMENT;
	}
	g[15] = 0;
	/* validate through the DER time checker */
	okit_dctx c = okit_ctx(NULL, 0);
	okit_tlv tl = { 0 };
	tl.val = (const uint8_t *)g;
	tl.val_len = 15;
	tl.tlv = tl.val;
	return okit_der_generalized_time(&c, &tl, t, NULL) ? OCSPKIT_E_INVALID_ARGUMENT : OCSPKIT_OK;
}
