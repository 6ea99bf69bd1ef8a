/* asn1tab: reading the static tables asn1Parser writes (libtasn1's
 * asn1_static_node arrays), for the schema compiler at run time
 * (schema.c) and the generator at build time (schemagen.c).
 *
 * A table is the tree of asn1/ocsp.asn written depth first: each entry
 * has a name, a value (a referenced type, a tag number, a DEFAULT) and a
 * type word whose low byte is the ASN1_ETYPE_* of <libtasn1.h> and whose
 * upper bits are flags libtasn1 keeps private (CONST_* in its lib/int.h).
 * The OKIT_TAB_* values below are those flags as ocspkit reads them;
 * okit_asn1tab_check_flags() has libtasn1 itself confirm every one of
 * them, so that a libtasn1 that changed them fails loudly instead of
 * being misread. */
#ifndef OCSPKIT_ASN1TAB_H
#define OCSPKIT_ASN1TAB_H

#include <stdint.h>
#include <libtasn1.h>

#define OKIT_TAB_UNIVERSAL (1u << 8)   /* TAG: class UNIVERSAL */
#define OKIT_TAB_PRIVATE (1u << 9)     /* TAG: class PRIVATE */
#define OKIT_TAB_APPLICATION (1u << 10) /* TAG: class APPLICATION */
#define OKIT_TAB_EXPLICIT (1u << 11)   /* TAG: EXPLICIT */
#define OKIT_TAB_IMPLICIT (1u << 12)   /* TAG: IMPLICIT */
#define OKIT_TAB_TAG (1u << 13)        /* the entry has a TAG child */
#define OKIT_TAB_OPTION (1u << 14)     /* OPTIONAL */
#define OKIT_TAB_DEFAULT (1u << 15)    /* has a DEFAULT child */
#define OKIT_TAB_TRUE (1u << 16)       /* DEFAULT: the BOOLEAN default is TRUE */
#define OKIT_TAB_DOWN (1u << 29)       /* the next entry is the first child */
#define OKIT_TAB_RIGHT (1u << 30)      /* a sibling follows this subtree */

/* Entries a table may have; ocsp.asn has about 430. */
#define OKIT_ASN1TAB_MAX 1024

/* A table with its tree rebuilt as asn1_array2tree() rebuilds it: for each
 * entry its first child, next sibling and parent (-1 for none). */
typedef struct {
	const asn1_static_node *tab;
	int n;
	int16_t first[OKIT_ASN1TAB_MAX];
	int16_t next[OKIT_ASN1TAB_MAX];
	int16_t parent[OKIT_ASN1TAB_MAX];
} okit_asn1tab;

/* okit_asn1tab_load rebuilds the tree of tab into t.  It returns 0, or -1
 * if tab has more than OKIT_ASN1TAB_MAX entries or is not a tree. */
int okit_asn1tab_load(okit_asn1tab *t, const asn1_static_node *tab);

/* okit_asn1tab_etype returns the ASN1_ETYPE_* of entry k. */
static inline unsigned okit_asn1tab_etype(const okit_asn1tab *t, int k)
{
	return t->tab[k].type & 0xFF;
}

/* okit_asn1tab_find returns the entry of the top-level definition called
 * name, or -1. */
int okit_asn1tab_find(const okit_asn1tab *t, const char *name);

/* okit_asn1tab_is_value returns 1 if entry k is a value assignment
 * (`id-x OBJECT IDENTIFIER ::= { 1 2 3 }`: an OBJECT IDENTIFIER with its
 * components as children) rather than a type. */
int okit_asn1tab_is_value(const okit_asn1tab *t, int k);

/* okit_asn1tab_universal_tag returns the universal tag number of values of
 * an ASN1_ETYPE_*, or 0 for types without one (CHOICE, ANY, references). */
uint32_t okit_asn1tab_universal_tag(unsigned etype);

/* okit_asn1tab_check_flags has libtasn1 build a small known definition
 * from a table written with the OKIT_TAB_* values and encode two values of
 * it; it returns NULL if libtasn1 read every flag as ocspkit does, else
 * what differed. */
const char *okit_asn1tab_check_flags(void);

#endif
