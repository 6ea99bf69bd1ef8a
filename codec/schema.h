/* The schema walker: asn1/ocsp.asn, as compiled by asn1Parser into a
 * libtasn1 static table, turned once per process into a small tree of
 * nodes that drives a strict DER reader.
 *
 * Why not asn1_create_element + asn1_der_decoding: libtasn1 builds and frees
 * a node tree for every message (about 10 us for a typical response, most of
 * it allocation), and it is not strict DER (DESIGN.md lists what it lets
 * through).  Walking the same definitions over the bytes, with the checks of
 * der.c at every element, gives one pass, no allocation, and the strictness
 * in one place.  tests/codec/test_schema.c checks that libtasn1 itself decodes
 * every message this walker accepts.
 *
 * Two operations:
 *  - okit_sch_check(): validates an element against a type, recursively,
 *    down to every primitive (every TLV of the input is looked at once);
 *  - okit_sch_split(): splits an already checked SEQUENCE into its fields,
 *    so that the OCSP code can read them by name (the F_* indexes that
 *    schemagen generates from the same table, which schema.c checks
 *    against the fields it compiles).
 */
#ifndef OCSPKIT_SCHEMA_H
#define OCSPKIT_SCHEMA_H

#include <libtasn1.h>

#include "der.h"

/* T_<Type>, F_<Type>_<field>, A_<Type>_<alternative>: generated from
 * asn1/ocsp.asn by schemagen. */
#include "ocsp_asn1.h"

/* What okit_sch_check counts into okit_dctx.counts: the sizes of a
 * decoded object's arrays, known before it is allocated. */
enum {
	OKIT_COUNT_EXTENSIONS,   /* elements of every Extensions list */
	OKIT_COUNT_ENTRIES,      /* of TBSRequest.requestList, ResponseData.responses */
	OKIT_COUNT_CERTIFICATES, /* of Certificates */
	OKIT_COUNT__N
};

/* One field of a SEQUENCE after okit_sch_split. */
typedef struct {
	int present;
	okit_tlv outer; /* as written in the SEQUENCE (with its explicit tag, if any) */
	okit_tlv inner; /* the value itself: inside the explicit tag, else == outer */
} okit_val;

/* Compiles the schema once (thread-safe); OCSPKIT_E_INTERNAL if the
 * table does not match what the C code expects. */
ocspkit_err okit_schema_init(void);
/* Why initialisation failed (the type being compiled), or NULL. */
const char *okit_schema_failure(void);

/* Checks t (an element as it appears where the type is used at top level)
 * against type, recursively, with all strict-DER rules; adds to c->counts
 * what it counts (OKIT_COUNT_*). */
ocspkit_err okit_sch_check(okit_dctx *c, okit_type type, const okit_tlv *t);

/* Checks that [der, der + len) is exactly one element of the given type. */
ocspkit_err okit_sch_check_bytes(okit_dctx *c, okit_type type, const uint8_t *der, size_t len,
				 okit_tlv *out);

/* okit_sch_check_arg returns OCSPKIT_OK if der is exactly one element of
 * the given type, else OCSPKIT_E_INVALID_ARGUMENT: for encoders, which
 * check the raw DER they are given so that what they write decodes. */
ocspkit_err okit_sch_check_arg(okit_type type, ocspkit_bytes der);

/* Splits the content of a checked SEQUENCE element t of the given type into
 * exactly n fields. */
ocspkit_err okit_sch_split(okit_dctx *c, okit_type type, const okit_tlv *t, okit_val *fields,
			   size_t n);

/* For a checked element t of CHOICE type: which alternative, and the
 * alternative's own element (inside its explicit tag, if it has one). */
ocspkit_err okit_sch_choice(okit_dctx *c, okit_type type, const okit_tlv *t, int *alt,
			    okit_tlv *inner);

/* Iterates the elements of a checked SEQUENCE OF / SET OF (content of t).
 * The loop over a list of SEQUENCEs is always the same few lines:
 *
 *     okit_iter_init(&it, list);
 *     while (okit_iter_next(c, &it, &el)) {
 *             okit_val f[F_<Type>__COUNT];
 *             TRY(okit_sch_split(c, T_<Type>, &el, f, F_<Type>__COUNT));
 *             ...                                                        */
typedef struct {
	const uint8_t *p;
	size_t n;
} okit_iter;
void okit_iter_init(okit_iter *it, const okit_tlv *t);
/* 1 and the next element, or 0 at the end (or on an internal error). */
int okit_iter_next(okit_dctx *c, okit_iter *it, okit_tlv *elem);
/* Number of elements in a checked SEQUENCE OF. */
size_t okit_count(okit_dctx *c, const okit_tlv *t);

/* The generated libtasn1 table (asn1/ocsp.asn via asn1Parser). */
extern const asn1_static_node okit_asn1_tab[];

#endif
