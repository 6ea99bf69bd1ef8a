/* Names as text: ocspkit_name_to_string (RFC 4514 and OpenSSL's one-line
 * form: byName responder IDs, certificate issuers and subjects),
 * ocspkit_general_name_to_string (requestorName, certificateIssuer) and the
 * OID printers, on the input as DER.  The message harnesses reach these
 * only through names that survived a whole message's decoding; here every
 * byte is the name's.
 *
 * Oracles: the strings are NUL-terminated inside their allocation; the
 * escaping holds: reading the RFC 4514 text back (',' and '+' outside a
 * backslash escape separate RDNs and attributes) and the one-line text
 * (", " and " + " outside quotes and escapes) finds exactly the RDNs and
 * attributes of the DER; a Name prints in both styles or in neither; OID
 * text does not depend on the buffer size.
 */
#include <config.h>

#include <string.h>

#include "der.h"
#include "fuzz.h"
#include "ocsp_asn1.h"
#include "schema.h"

/* RDNs and attributes of a checked Name. */
static void count_der(const okit_tlv *name, size_t *rdns, size_t *atvs)
{
	okit_dctx c = okit_ctx(name->tlv, 0);
	okit_iter it, it2;
	okit_tlv rdn, atv;
	*rdns = *atvs = 0;
	okit_iter_init(&it, name);
	while (okit_iter_next(&c, &it, &rdn)) {
		++*rdns;
		okit_iter_init(&it2, &rdn);
		while (okit_iter_next(&c, &it2, &atv))
			++*atvs;
	}
}

/* The same counts read back from the text. */
static void count_text(const char *s, int oneline, size_t *rdns, size_t *atvs)
{
	int quoted = 0;
	*rdns = *atvs = *s ? 1 : 0;
	for (const char *p = s; *p; p++) {
		if (*p == '\\') {
			if (p[1])
				p++;
			continue;
		}
		if (oneline && *p == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted)
			continue;
		if (oneline ? strncmp(p, ", ", 2) == 0 : *p == ',')
			++*rdns, ++*atvs;
		else if (oneline ? strncmp(p, " + ", 3) == 0 : *p == '+')
			++*atvs;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ocspkit_bytes in = { data, size };
	char *a = NULL, *b = NULL, *g = NULL;

	ocspkit_err ea = CALL(ocspkit_name_to_string(&a, in, OCSPKIT_NAME_RFC4514));
	ocspkit_err eb = CALL(ocspkit_name_to_string(&b, in, OCSPKIT_NAME_ONELINE));
	ORACLE((ea == OCSPKIT_OK) == (eb == OCSPKIT_OK), "the two styles disagree: %s and %s",
	       ocspkit_strerror_name(ea), ocspkit_strerror_name(eb));
	if (ea == OCSPKIT_OK) {
		okit_dctx c = okit_ctx(data, 0);
		okit_tlv t;
		ORACLE(okit_sch_check_bytes(&c, T_Name, data, size, &t) == OCSPKIT_OK, "printed a Name that is not one");
		size_t r0, a0, r1, a1;
		count_der(&t, &r0, &a0);
		count_text(a, 0, &r1, &a1);
		ORACLE(r0 == r1 && a0 == a1, "RFC 4514 \"%s\": %zu RDNs, %zu attributes read back, %zu and %zu encoded",
		       a, r1, a1, r0, a0);
		if (eb == OCSPKIT_OK) {
			count_text(b, 1, &r1, &a1);
			ORACLE(r0 == r1 && a0 == a1, "one-line \"%s\": %zu RDNs, %zu attributes read back, %zu and %zu encoded",
			       b, r1, a1, r0, a0);
		}
	}
	if (ea == OCSPKIT_OK)
		fuzz_string(a);
	if (eb == OCSPKIT_OK)
		fuzz_string(b);

	if (CALL(ocspkit_general_name_to_string(&g, in)) == OCSPKIT_OK)
		fuzz_string(g);

	/* the input as OID content octets */
	fuzz_oid(in);
	return 0;
}
