/* Reading asn1Parser's static tables; see asn1tab.h. */
#include <config.h>

#include <string.h>

#include "asn1tab.h"
#include "der.h"

int okit_asn1tab_load(okit_asn1tab *t, const asn1_static_node *tab)
{
	uint8_t pending_right[OKIT_ASN1TAB_MAX] = { 0 };
	int last = -1, move = 0; /* 0 none, 1 down, 2 right */

	t->tab = tab;
	for (t->n = 0; tab[t->n].name || tab[t->n].type || tab[t->n].value; t->n++)
		if (t->n + 1 >= OKIT_ASN1TAB_MAX)
			return -1;
	/* as asn1_array2tree: DOWN means the next entry is the first child,
	 * RIGHT that a sibling follows the subtree */
	for (int k = 0; k < t->n; k++) {
		t->first[k] = t->next[k] = t->parent[k] = -1;
		if (k > 0) {
			if (move == 1) {
				t->first[last] = (int16_t)k;
				t->parent[k] = (int16_t)last;
			} else if (move == 2) {
				t->next[last] = (int16_t)k;
				t->parent[k] = t->parent[last];
			} else {
				return -1;
			}
		}
		last = k;
		unsigned type = tab[k].type;
		if (type & OKIT_TAB_DOWN) {
			move = 1;
			pending_right[k] = (type & OKIT_TAB_RIGHT) != 0;
		} else if (type & OKIT_TAB_RIGHT) {
			move = 2;
		} else {
			move = 0;
			for (int q = t->parent[k]; q >= 0; q = t->parent[q]) {
				if (pending_right[q]) {
					pending_right[q] = 0;
					last = q;
					move = 2;
					break;
				}
			}
		}
	}
	return t->n > 0 && t->first[0] >= 0 ? 0 : -1;
}

int okit_asn1tab_find(const okit_asn1tab *t, const char *name)
{
	for (int k = t->first[0]; k >= 0; k = t->next[k])
		if (t->tab[k].name && strcmp(t->tab[k].name, name) == 0)
			return k;
	return -1;
}

int okit_asn1tab_is_value(const okit_asn1tab *t, int k)
{
	return okit_asn1tab_etype(t, k) == ASN1_ETYPE_OBJECT_ID && t->first[k] >= 0;
}

uint32_t okit_asn1tab_universal_tag(unsigned etype)
{
	switch (etype) {
	case ASN1_ETYPE_INTEGER: return OKIT_TAG_INTEGER;
	case ASN1_ETYPE_BOOLEAN: return OKIT_TAG_BOOLEAN;
	case ASN1_ETYPE_SEQUENCE:
	case ASN1_ETYPE_SEQUENCE_OF: return OKIT_TAG_SEQUENCE;
	case ASN1_ETYPE_SET:
	case ASN1_ETYPE_SET_OF: return OKIT_TAG_SET;
	case ASN1_ETYPE_BIT_STRING: return OKIT_TAG_BIT_STRING;
	case ASN1_ETYPE_OCTET_STRING: return OKIT_TAG_OCTET_STRING;
	case ASN1_ETYPE_OBJECT_ID: return OKIT_TAG_OID;
	case ASN1_ETYPE_NULL: return OKIT_TAG_NULL;
	case ASN1_ETYPE_ENUMERATED: return OKIT_TAG_ENUMERATED;
	case ASN1_ETYPE_UTC_TIME: return OKIT_TAG_UTC_TIME;
	case ASN1_ETYPE_GENERALIZED_TIME: return OKIT_TAG_GENERALIZED_TIME;
	case ASN1_ETYPE_GENERALSTRING: return OKIT_TAG_GENERAL_STRING;
	case ASN1_ETYPE_NUMERIC_STRING: return OKIT_TAG_NUMERIC_STRING;
	case ASN1_ETYPE_IA5_STRING: return OKIT_TAG_IA5_STRING;
	case ASN1_ETYPE_TELETEX_STRING: return OKIT_TAG_TELETEX_STRING;
	case ASN1_ETYPE_PRINTABLE_STRING: return OKIT_TAG_PRINTABLE_STRING;
	case ASN1_ETYPE_UNIVERSAL_STRING: return OKIT_TAG_UNIVERSAL_STRING;
	case ASN1_ETYPE_BMP_STRING: return OKIT_TAG_BMP_STRING;
	case ASN1_ETYPE_UTF8_STRING: return OKIT_TAG_UTF8_STRING;
	case ASN1_ETYPE_VISIBLE_STRING: return OKIT_TAG_VISIBLE_STRING;
	default: return 0;
	}
}

/* ---------------------------------------------------------------- flags */

/* Probe DEFINITIONS EXPLICIT TAGS ::= BEGIN
 *   P ::= SEQUENCE {
 *     a [APPLICATION 1] IMPLICIT INTEGER OPTIONAL,
 *     b [PRIVATE 2] EXPLICIT BOOLEAN DEFAULT TRUE,
 *     c [UNIVERSAL 3] IMPLICIT INTEGER }
 * END
 * written as asn1Parser writes it, with ocspkit's values of the flags. */
static const asn1_static_node probe_tab[] = {
	{ "Probe", ASN1_ETYPE_DEFINITIONS | OKIT_TAB_EXPLICIT | OKIT_TAB_DOWN, NULL },
	{ NULL, ASN1_ETYPE_OBJECT_ID | OKIT_TAB_RIGHT, NULL },
	{ "P", ASN1_ETYPE_SEQUENCE | OKIT_TAB_DOWN, NULL },
	{ "a", ASN1_ETYPE_INTEGER | OKIT_TAB_TAG | OKIT_TAB_OPTION | OKIT_TAB_DOWN | OKIT_TAB_RIGHT, NULL },
	{ NULL, ASN1_ETYPE_TAG | OKIT_TAB_APPLICATION | OKIT_TAB_IMPLICIT, "1" },
	{ "b", ASN1_ETYPE_BOOLEAN | OKIT_TAB_TAG | OKIT_TAB_DEFAULT | OKIT_TAB_DOWN | OKIT_TAB_RIGHT, NULL },
	{ NULL, ASN1_ETYPE_DEFAULT | OKIT_TAB_TRUE | OKIT_TAB_RIGHT, NULL },
	{ NULL, ASN1_ETYPE_TAG | OKIT_TAB_PRIVATE | OKIT_TAB_EXPLICIT, "2" },
	{ "c", ASN1_ETYPE_INTEGER | OKIT_TAB_TAG | OKIT_TAB_DOWN, NULL },
	{ NULL, ASN1_ETYPE_TAG | OKIT_TAB_UNIVERSAL | OKIT_TAB_IMPLICIT, "3" },
	{ NULL, 0, NULL }
};

/* Encodes el and compares with the expected octets. */
static int encodes_as(asn1_node el, const uint8_t *want, int want_len)
{
	uint8_t der[64];
	int len = sizeof(der);
	char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	return asn1_der_coding(el, "", der, &len, err) == ASN1_SUCCESS && len == want_len &&
	       memcmp(der, want, (size_t)len) == 0;
}

const char *okit_asn1tab_check_flags(void)
{
	/* a = 5, b = FALSE (not the default), c = 7: every tag class and
	 * both tag modes; then a absent (OPTIONAL) and b = TRUE (the DEFAULT,
	 * so not written) */
	static const uint8_t all[] = { 0x30, 0x0B, 0x41, 0x01, 0x05, 0xE2, 0x03, 0x01, 0x01, 0x00, 0x03, 0x01, 0x07 };
	static const uint8_t least[] = { 0x30, 0x03, 0x03, 0x01, 0x07 };
	char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	asn1_node defs = NULL, el = NULL;
	const char *why = NULL;
	okit_asn1tab t;

	/* our own reading of the probe: the tree as the table says */
	if (okit_asn1tab_load(&t, probe_tab) != 0 || okit_asn1tab_find(&t, "P") != 2 || t.first[2] != 3 ||
	    t.next[3] != 5 || t.next[5] != 8 || t.next[8] != -1)
		return "ocspkit misreads its own probe table";
	if (asn1_array2tree(probe_tab, &defs, err) != ASN1_SUCCESS)
		return "libtasn1 refuses a table written with ocspkit's flag values (DOWN, RIGHT)";
	if (asn1_create_element(defs, "Probe.P", &el) != ASN1_SUCCESS)
		why = "libtasn1 builds another tree from ocspkit's flag values (DOWN, RIGHT)";
	else if (asn1_write_value(el, "a", "5", 0) != ASN1_SUCCESS || asn1_write_value(el, "b", "FALSE", 0) != ASN1_SUCCESS ||
		 asn1_write_value(el, "c", "7", 0) != ASN1_SUCCESS || !encodes_as(el, all, sizeof(all)))
		why = "libtasn1 reads the tag or DEFAULT flags otherwise (UNIVERSAL, PRIVATE, APPLICATION, EXPLICIT, "
		      "IMPLICIT, TAG, DEFAULT, TRUE)";
	else if (asn1_write_value(el, "a", NULL, 0) != ASN1_SUCCESS || asn1_write_value(el, "b", "TRUE", 0) != ASN1_SUCCESS ||
		 !encodes_as(el, least, sizeof(least)))
		why = "libtasn1 reads OPTIONAL or DEFAULT otherwise (OPTION, DEFAULT, TRUE)";
	asn1_delete_structure(&el);
	asn1_delete_structure(&defs);
	return why;
}
