/* Bare libtasn1 for the decode benchmark: create, decode (strict DER) and
 * delete a node tree of the same bytes with ocspkit's own table, and of the
 * BasicOCSPResponse inside responseBytes' OCTET STRING, as any libtasn1
 * based decoder (GnuTLS's among them) must.  No lookup: this is the floor
 * of the node-tree approach, not an OCSP client. */
#include <config.h>

#include <stdio.h>

#include <libtasn1.h>

#include "bench.h"

/* The table asn1Parser generated from asn1/ocsp.asn, inside the library. */
extern const asn1_static_node okit_asn1_tab[];

static asn1_node defs;
/* asn1_read_value copies the OCTET STRING out; a static buffer keeps that
 * copy from being an allocation, the cheapest a libtasn1 user gets. */
static uint8_t inner[1 << 16];

static const char *version(void)
{
	return asn1_check_version(NULL);
}

static int init(void)
{
	char msg[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	if (defs)
		return 0;
	if (asn1_array2tree(okit_asn1_tab, &defs, msg) != ASN1_SUCCESS) {
		fprintf(stderr, "bench_decode: asn1_array2tree: %s\n", msg);
		return -1;
	}
	return 0;
}

static void *load_target(const uint8_t *der, size_t len, unsigned idx)
{
	static int none;
	return &none; /* nothing is looked up */
}

static void free_target(void *t)
{
}

static int target_fields(const void *t, bench_bytes out[3])
{
	return 0;
}

static int decode(const char *type, const uint8_t *der, size_t len, asn1_node *node)
{
	char msg[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	int l = (int)len;
	if (asn1_create_element(defs, type, node) != ASN1_SUCCESS)
		return -1;
	/* on failure libtasn1 deletes the structure and clears *node */
	if (asn1_der_decoding2(node, der, &l, ASN1_DECODE_FLAG_STRICT_DER, msg) != ASN1_SUCCESS)
		return -1;
	return l == (int)len ? 0 : -1;
}

static int resp(const uint8_t *der, size_t len, const void *t)
{
	asn1_node top = NULL, basic = NULL;
	int res = R_FAIL, n = (int)sizeof(inner);

	if (decode("OCSPKIT.OCSPResponse", der, len, &top) == 0 &&
	    asn1_read_value(top, "responseBytes.response", inner, &n) == ASN1_SUCCESS &&
	    decode("OCSPKIT.BasicOCSPResponse", inner, (size_t)n, &basic) == 0)
		res = R_DECODED;
	asn1_delete_structure(&basic);
	asn1_delete_structure(&top);
	return res;
}

static int req(const uint8_t *der, size_t len, const void *t)
{
	asn1_node top = NULL;
	int res = decode("OCSPKIT.OCSPRequest", der, len, &top) == 0 ? R_DECODED : R_FAIL;
	asn1_delete_structure(&top);
	return res;
}

const bench_lib bench_libtasn1 = { "libtasn1", version, init, load_target, free_target, target_fields, resp, req };
