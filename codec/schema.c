/* The schema walker; see schema.h. */
#include <config.h>

#include <libtasn1.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "asn1tab.h"
#include "der.h"
#include "ocsp_asn1.h"
#include "schema.h"

#define MAX_NODES 1024

_Static_assert(OKIT_COUNT__N == OKIT_DCTX_COUNTS, "okit_dctx counts what the walker counts");
#define MAX_NAMED 256

enum { TAG_NONE, TAG_EXPLICIT, TAG_IMPLICIT };

/* What the content of a value is checked as (the switch of
 * check_content), from its ASN1_ETYPE_*. */
enum {
	K_BAD, /* a type the codec does not support: OCSPKIT_E_INTERNAL */
	K_SEQUENCE,
	K_SEQUENCE_OF,
	K_SET_OF,
	K_CHOICE,
	K_ANY,
	K_INTEGER,
	K_ENUMERATED,
	K_BOOLEAN,
	K_NULL,
	K_BIT_STRING,
	K_OID,
	K_UTC_TIME,
	K_GENERALIZED_TIME,
	K_IA5_STRING,
	K_OCTETS /* OCTET STRING and the strings whose characters are not checked */
};

typedef struct {
	const char *name;
	uint8_t etype;       /* ASN1_ETYPE_* of the value, never IDENTIFIER */
	uint8_t kind;        /* K_* */
	uint8_t constructed; /* the form DER gives the (untagged) value */
	uint8_t optional;
	uint8_t required;    /* neither OPTIONAL nor DEFAULT */
	uint8_t primitive;   /* kind >= K_INTEGER and no explicit tag */
	uint8_t tag_mode;    /* TAG_* */
	uint8_t tag_cls;     /* OKIT_CLASS_* */
	uint8_t has_default;
	uint8_t default_bool;
	uint8_t named_n;
	uint8_t counter;     /* elements add to okit_dctx.counts[counter - 1] */
	uint32_t tag_num;
	long default_int;
	int16_t first;       /* fields, alternatives, or the element of SEQUENCE OF */
	int16_t next;
	uint16_t size_min;
	int16_t named_first; /* named numbers of INTEGER / ENUMERATED */
	ocspkit_err enum_err;
	/* How to recognise the value by its identifier octet (constructed bit
	 * masked off): with its own tag (outer) and without it (inner). */
	struct match {
		uint8_t kind;    /* MATCH_* */
		uint8_t id;
		int16_t set;     /* CHOICE: index into choice_sets */
	} outer, inner;
} node_t;

enum { MATCH_SLOW, MATCH_ID, MATCH_ANY, MATCH_SET };
#define MAX_SETS 32
static uint32_t choice_sets[MAX_SETS][8];
static int n_sets;

static node_t nodes[MAX_NODES];
static int n_nodes;
static long named_val[MAX_NAMED];
static int n_named;
static int16_t bound[T__COUNT];
static ocspkit_err init_result = OCSPKIT_E_INTERNAL;
static const char *init_failure = "not initialised";
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static atomic_int ready; /* init_result is OCSPKIT_OK: no pthread_once needed */

/* ------------------------------------------------------------ the table */

static okit_asn1tab raw;
static const asn1_static_node *tab; /* raw.tab */
static int16_t def_node[OKIT_ASN1TAB_MAX]; /* compiled node of a top-level definition */
static uint8_t def_state[OKIT_ASN1TAB_MAX];

static unsigned raw_type(int k)
{
	return okit_asn1tab_etype(&raw, k);
}

static int find_definition(const char *name)
{
	return okit_asn1tab_find(&raw, name);
}

/* ------------------------------------------------------------ compiling */

static int compile_def(int k);
static int compute_match(struct match *m, int ni, int with_tag);

static int new_node(void)
{
	if (n_nodes >= MAX_NODES)
		return -1;
	memset(&nodes[n_nodes], 0, sizeof(nodes[0]));
	nodes[n_nodes].first = nodes[n_nodes].next = -1;
	nodes[n_nodes].named_first = -1;
	nodes[n_nodes].enum_err = OCSPKIT_E_DER_ENUM_VALUE;
	return n_nodes++;
}

static int parse_long(const char *s, long *out)
{
	char *end;
	if (!s || !*s)
		return -1;
	*out = strtol(s, &end, 10);
	return *end ? -1 : 0;
}

/* Compiles raw entry k (a field, an alternative, an element type or a
 * definition) into a node; returns its index or -1. */
static int compile_entry(int k)
{
	int ni = new_node();
	if (ni < 0)
		return -1;
	unsigned t = tab[k].type;
	const char *default_str = NULL;
	int16_t last_child = -1;
	int named_start = n_named;

	nodes[ni].name = tab[k].name;
	nodes[ni].optional = (t & OKIT_TAB_OPTION) != 0;

	for (int c = raw.first[k]; c >= 0; c = raw.next[c]) {
		unsigned ct = tab[c].type;
		switch (raw_type(c)) {
		case ASN1_ETYPE_TAG: {
			long num;
			if (nodes[ni].tag_mode != TAG_NONE || parse_long(tab[c].value, &num) || num < 0)
				return -1; /* one tag per use is all the codec supports */
			nodes[ni].tag_mode = (ct & OKIT_TAB_IMPLICIT) ? TAG_IMPLICIT : TAG_EXPLICIT;
			nodes[ni].tag_cls = (ct & OKIT_TAB_UNIVERSAL)     ? OKIT_CLASS_UNIVERSAL
					    : (ct & OKIT_TAB_APPLICATION) ? OKIT_CLASS_APPLICATION
					    : (ct & OKIT_TAB_PRIVATE)     ? OKIT_CLASS_PRIVATE
								    : OKIT_CLASS_CONTEXT;
			nodes[ni].tag_num = (uint32_t)num;
			break;
		}
		case ASN1_ETYPE_DEFAULT:
			nodes[ni].has_default = 1;
			nodes[ni].default_bool = (ct & OKIT_TAB_TRUE) != 0;
			default_str = tab[c].value;
			break;
		case ASN1_ETYPE_SIZE: {
			long min = 0;
			if (tab[c].value && parse_long(tab[c].value, &min))
				min = 0; /* symbolic bounds are not used in ocsp.asn */
			nodes[ni].size_min = (uint16_t)(min > 0 ? min : 0);
			break;
		}
		case ASN1_ETYPE_CONSTANT: {
			long v;
			/* named numbers; other constants are OID components of a
			 * value assignment or the field named by ANY DEFINED BY */
			if (raw_type(k) != ASN1_ETYPE_INTEGER && raw_type(k) != ASN1_ETYPE_ENUMERATED &&
			    raw_type(k) != ASN1_ETYPE_BIT_STRING)
				break;
			if (n_named >= MAX_NAMED || parse_long(tab[c].value, &v))
				return -1;
			named_val[n_named++] = v;
			break;
		}
		default: {
			int child = compile_entry(c);
			if (child < 0)
				return -1;
			if (last_child < 0)
				nodes[ni].first = (int16_t)child;
			else
				nodes[last_child].next = (int16_t)child;
			last_child = (int16_t)child;
		}
		}
	}
	if (n_named > named_start) {
		nodes[ni].named_first = (int16_t)named_start;
		nodes[ni].named_n = (uint8_t)(n_named - named_start);
	}

	unsigned et = raw_type(k);
	if (et == ASN1_ETYPE_IDENTIFIER) {
		int d = find_definition((const char *)tab[k].value);
		int dn = d >= 0 ? compile_def(d) : -1;
		if (dn < 0 || nodes[dn].tag_mode != TAG_NONE)
			return -1;
		if (nodes[ni].first >= 0)
			return -1;
		nodes[ni].etype = nodes[dn].etype;
		nodes[ni].first = nodes[dn].first;
		nodes[ni].size_min = nodes[dn].size_min;
		nodes[ni].named_first = nodes[dn].named_first;
		nodes[ni].named_n = nodes[dn].named_n;
		nodes[ni].enum_err = nodes[dn].enum_err;
		nodes[ni].counter = nodes[dn].counter;
	} else {
		nodes[ni].etype = (uint8_t)et;
	}

	if (default_str) {
		long v;
		int found = 0;
		/* a named number of the type, e.g. "v1", or a plain number */
		int def = et == ASN1_ETYPE_IDENTIFIER ? find_definition((const char *)tab[k].value) : k;
		for (int c = def >= 0 ? raw.first[def] : -1; c >= 0; c = raw.next[c]) {
			if (raw_type(c) == ASN1_ETYPE_CONSTANT && tab[c].name &&
			    strcmp(tab[c].name, default_str) == 0 && !parse_long(tab[c].value, &v)) {
				found = 1;
				break;
			}
		}
		if (!found && parse_long(default_str, &v))
			return -1;
		nodes[ni].default_int = v;
	}
	return ni;
}

static int compile_def(int k)
{
	if (def_state[k] == 2)
		return def_node[k];
	if (def_state[k] == 1)
		return -1; /* recursive types are not supported */
	def_state[k] = 1;
	int ni = compile_entry(k);
	if (ni >= 0 && tab[k].name) {
		/* enum values out of range get the OCSP-specific code for these */
		if (strcmp(tab[k].name, okit_schema_bindings[T_OCSPResponseStatus].name) == 0)
			nodes[ni].enum_err = OCSPKIT_E_BAD_RESPONSE_STATUS;
		else if (strcmp(tab[k].name, okit_schema_bindings[T_CRLReason].name) == 0)
			nodes[ni].enum_err = OCSPKIT_E_BAD_CRL_REASON;
		/* what decoders count to size their arrays */
		else if (strcmp(tab[k].name, okit_schema_bindings[T_Extensions].name) == 0)
			nodes[ni].counter = OKIT_COUNT_EXTENSIONS + 1;
		else if (strcmp(tab[k].name, okit_schema_bindings[T_Certificates].name) == 0)
			nodes[ni].counter = OKIT_COUNT_CERTIFICATES + 1;
	}
	def_node[k] = (int16_t)ni;
	def_state[k] = 2;
	return ni;
}

static int is_constructed_type(unsigned etype)
{
	return etype == ASN1_ETYPE_SEQUENCE || etype == ASN1_ETYPE_SEQUENCE_OF ||
	       etype == ASN1_ETYPE_SET || etype == ASN1_ETYPE_SET_OF;
}

static uint8_t kind_of(unsigned etype, unsigned named_n)
{
	switch (etype) {
	case ASN1_ETYPE_SEQUENCE: return K_SEQUENCE;
	case ASN1_ETYPE_SEQUENCE_OF: return K_SEQUENCE_OF;
	case ASN1_ETYPE_SET_OF: return K_SET_OF;
	case ASN1_ETYPE_CHOICE: return K_CHOICE;
	case ASN1_ETYPE_ANY: return K_ANY;
	case ASN1_ETYPE_INTEGER: return K_INTEGER;
	case ASN1_ETYPE_ENUMERATED: return named_n ? K_ENUMERATED : K_INTEGER;
	case ASN1_ETYPE_BOOLEAN: return K_BOOLEAN;
	case ASN1_ETYPE_NULL: return K_NULL;
	case ASN1_ETYPE_BIT_STRING: return K_BIT_STRING;
	case ASN1_ETYPE_OBJECT_ID: return K_OID;
	case ASN1_ETYPE_UTC_TIME: return K_UTC_TIME;
	case ASN1_ETYPE_GENERALIZED_TIME: return K_GENERALIZED_TIME;
	case ASN1_ETYPE_IA5_STRING: return K_IA5_STRING;
	case ASN1_ETYPE_OCTET_STRING:
	case ASN1_ETYPE_GENERALSTRING:
	case ASN1_ETYPE_NUMERIC_STRING:
	case ASN1_ETYPE_TELETEX_STRING:
	case ASN1_ETYPE_PRINTABLE_STRING:
	case ASN1_ETYPE_UNIVERSAL_STRING:
	case ASN1_ETYPE_BMP_STRING:
	case ASN1_ETYPE_UTF8_STRING:
	case ASN1_ETYPE_VISIBLE_STRING: return K_OCTETS;
	default: return K_BAD; /* SET: not used by ocsp.asn */
	}
}

/* Makes the elements of a SEQUENCE OF field count into counts[counter]. */
static int set_counter(okit_type type, int field, int counter)
{
	int f = nodes[bound[type]].first;
	while (field-- > 0 && f >= 0)
		f = nodes[f].next;
	if (f < 0 || nodes[f].etype != ASN1_ETYPE_SEQUENCE_OF)
		return -1;
	nodes[f].counter = (uint8_t)(counter + 1);
	return 0;
}

static void schema_init_once(void)
{
	/* The flag bits of the table are libtasn1's private values: it must
	 * read them as we do, and accept the table (the same definitions
	 * serve the cross-checks in the tests). */
	asn1_node defs = NULL;
	char msg[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	if ((init_failure = okit_asn1tab_check_flags()) != NULL)
		return;
	if (asn1_array2tree(okit_asn1_tab, &defs, msg) != ASN1_SUCCESS) {
		init_failure = "libtasn1 refuses the table";
		return;
	}
	asn1_delete_structure(&defs);

	if (okit_asn1tab_load(&raw, okit_asn1_tab) != 0) {
		init_failure = "table structure";
		return;
	}
	tab = raw.tab;
	/* The enums and the names come from the same table (schemagen);
	 * checking them against the compiled nodes checks that the two
	 * readings of it agree. */
	for (int t = 0; t < T__COUNT; t++) {
		const okit_schema_binding *b = &okit_schema_bindings[t];
		int k = find_definition(b->name);
		int ni = k >= 0 ? compile_def(k) : -1;
		init_failure = b->name;
		if (ni < 0)
			return;
		bound[t] = (int16_t)ni;
		if (!b->fields)
			continue;
		int f = nodes[ni].first;
		for (const char *const *name = b->fields; *name; name++, f = nodes[f].next)
			if (f < 0 || !nodes[f].name || strcmp(nodes[f].name, *name) != 0)
				return;
		if (f >= 0)
			return;
	}
	/* the entries of requests, responses and CRLs, counted to size arrays */
	init_failure = "counted fields";
	if (set_counter(T_TBSRequest, F_TBSRequest_requestList, OKIT_COUNT_ENTRIES) ||
	    set_counter(T_ResponseData, F_ResponseData_responses, OKIT_COUNT_ENTRIES) ||
	    set_counter(T_TBSCertList, F_TBSCertList_revokedCertificates, OKIT_COUNT_ENTRIES))
		return;
	for (int i = 0; i < n_nodes; i++) {
		node_t *n = &nodes[i];
		n->kind = kind_of(n->etype, n->named_n);
		n->constructed = is_constructed_type(n->etype);
		n->required = !n->optional && !n->has_default;
		n->primitive = n->kind >= K_INTEGER && n->tag_mode != TAG_EXPLICIT;
		compute_match(&n->outer, i, 1);
		compute_match(&n->inner, i, 0);
	}
	init_failure = NULL;
	init_result = OCSPKIT_OK;
	atomic_store_explicit(&ready, 1, memory_order_release);
}

const char *okit_schema_failure(void)
{
	return init_failure;
}

ocspkit_err okit_schema_init(void)
{
	if (atomic_load_explicit(&ready, memory_order_acquire))
		return OCSPKIT_OK;
	if (pthread_once(&init_once, schema_init_once) != 0)
		return OCSPKIT_E_INTERNAL;
	return init_result;
}

/* ------------------------------------------------------------ walking */

/* Does element t start a value of node n (with its own tag, or ignoring
 * it)?  The general rule, used for what the precomputed forms below cannot
 * express (tag numbers above 30, which ocsp.asn does not use). */
static int type_matches_slow(const node_t *n, const okit_tlv *t);

static int tag_matches_slow(const node_t *n, const okit_tlv *t)
{
	if (n->tag_mode != TAG_NONE)
		return t->cls == n->tag_cls && t->number == n->tag_num;
	return type_matches_slow(n, t);
}

static int type_matches_slow(const node_t *n, const okit_tlv *t)
{
	switch (n->etype) {
	case ASN1_ETYPE_ANY:
		return 1;
	case ASN1_ETYPE_CHOICE:
		for (int a = n->first; a >= 0; a = nodes[a].next)
			if (tag_matches_slow(&nodes[a], t))
				return 1;
		return 0;
	default:
		return t->cls == OKIT_CLASS_UNIVERSAL && t->number == okit_asn1tab_universal_tag(n->etype);
	}
}

/* The fast forms: one comparison of the identifier octet, or one bit of a
 * 256-bit set for a CHOICE.  The constructed bit is masked off: a wrong form
 * is reported as such by the checks, not as a missing field. */
static inline int match(const struct match *m, int slow_outer, const node_t *n, const okit_tlv *t)
{
	uint8_t id = t->tlv[0] & 0xDF;
	switch (m->kind) {
	case MATCH_ID: return id == m->id;
	case MATCH_SET: return (choice_sets[m->set][id >> 5] >> (id & 31)) & 1;
	case MATCH_ANY: return 1;
	default: return slow_outer ? tag_matches_slow(n, t) : type_matches_slow(n, t);
	}
}

static inline int tag_matches(const node_t *n, const okit_tlv *t)
{
	if (n->outer.kind == MATCH_ID) /* the common case, inline */
		return (t->tlv[0] & 0xDF) == n->outer.id;
	return match(&n->outer, 1, n, t);
}

static inline int type_matches(const node_t *n, const okit_tlv *t)
{
	return match(&n->inner, 0, n, t);
}

/* Adds to set the identifier octets (constructed bit masked) that can start
 * a value of node ni; 1 if any octet can (ANY), -1 if one cannot be written
 * as a single octet. */
static int add_ids(uint32_t set[8], int ni, int with_tag)
{
	const node_t *n = &nodes[ni];
	unsigned id;
	if (with_tag && n->tag_mode != TAG_NONE) {
		if (n->tag_num >= 31)
			return -1;
		id = n->tag_cls | n->tag_num;
	} else if (n->etype == ASN1_ETYPE_ANY) {
		return 1;
	} else if (n->etype == ASN1_ETYPE_CHOICE) {
		for (int a = n->first; a >= 0; a = nodes[a].next) {
			int r = add_ids(set, a, 1);
			if (r)
				return r;
		}
		return 0;
	} else {
		id = okit_asn1tab_universal_tag(n->etype);
		if (id == 0 || id >= 31)
			return -1;
	}
	set[id >> 5] |= 1u << (id & 31);
	return 0;
}

static int compute_match(struct match *m, int ni, int with_tag)
{
	uint32_t set[8] = { 0 };
	int r = add_ids(set, ni, with_tag), bits = 0, last = 0;
	m->kind = r > 0 ? MATCH_ANY : MATCH_SLOW;
	if (r != 0)
		return 0;
	for (int i = 0; i < 256; i++)
		if ((set[i >> 5] >> (i & 31)) & 1)
			bits++, last = i;
	if (bits == 1) {
		m->kind = MATCH_ID;
		m->id = (uint8_t)last;
		return 0;
	}
	for (int s = 0; s < n_sets; s++) {
		if (memcmp(choice_sets[s], set, sizeof(set)) == 0) {
			m->kind = MATCH_SET;
			m->set = (int16_t)s;
			return 0;
		}
	}
	if (n_sets == MAX_SETS)
		return 0; /* stays MATCH_SLOW: correct, only slower */
	memcpy(choice_sets[n_sets], set, sizeof(set));
	m->kind = MATCH_SET;
	m->set = (int16_t)n_sets++;
	return 0;
}

static ocspkit_err check_value(okit_dctx *c, const node_t *n, const okit_tlv *t, int depth);

/* X.690 11.6: SET OF elements in ascending order of their encodings, the
 * shorter one padded with trailing zero octets. */
static int der_set_order_ok(const okit_tlv *prev, const okit_tlv *cur)
{
	size_t m = prev->tlv_len < cur->tlv_len ? prev->tlv_len : cur->tlv_len;
	int r = memcmp(prev->tlv, cur->tlv, m);
	if (r != 0)
		return r < 0;
	if (prev->tlv_len > m) {
		for (size_t i = m; i < prev->tlv_len; i++)
			if (prev->tlv[i] != 0)
				return 0;
	}
	return 1;
}

static ocspkit_err check_enum(okit_dctx *c, const node_t *n, const okit_tlv *t)
{
	ocspkit_err e = okit_der_check_integer(c, t);
	if (e)
		return e;
	long v;
	if (okit_der_small_uint(c, t, 0x7FFFFFFF, &v) != OCSPKIT_OK)
		return okit_fail(c, t->tlv, n->enum_err);
	for (int i = 0; i < n->named_n; i++)
		if (named_val[n->named_first + i] == v)
			return OCSPKIT_OK;
	return okit_fail(c, t->tlv, n->enum_err);
}

static ocspkit_err check_default(okit_dctx *c, const node_t *f, const okit_tlv *v)
{
	int is_default;
	if (c->flags & OCSPKIT_DECODE_ALLOW_EXPLICIT_DEFAULT)
		return OCSPKIT_OK;
	if (f->etype == ASN1_ETYPE_BOOLEAN) {
		is_default = v->val_len == 1 && v->val[0] == (f->default_bool ? 0xFF : 0x00);
	} else if (f->etype == ASN1_ETYPE_INTEGER) {
		long val;
		okit_dctx quiet = *c;
		is_default = okit_der_small_uint(&quiet, v, 0x7FFFFFFF, &val) == OCSPKIT_OK &&
			     val == f->default_int;
	} else {
		return OCSPKIT_OK;
	}
	return is_default ? okit_fail(c, v->tlv, OCSPKIT_E_DER_EXPLICIT_DEFAULT) : OCSPKIT_OK;
}

/* The inside of the explicit tag of element t (n's tag matched). */
static inline ocspkit_err unwrap(okit_dctx *c, const okit_tlv *t, okit_tlv *inner)
{
	if (!t->constructed)
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_WRONG_FORM);
	return okit_der_only(c, t->val, t->val_len, inner);
}

/* Checks the content of t as a value of the primitive type of node n
 * (kind K_INTEGER and above, no explicit tag): the bulk of a message,
 * inlined into the loops over fields and elements. */
__attribute__((always_inline)) static inline ocspkit_err check_primitive(okit_dctx *c, const node_t *n,
									  const okit_tlv *t)
{
	if (t->constructed)
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_WRONG_FORM);
	switch (n->kind) {
	case K_INTEGER: return okit_der_check_integer(c, t);
	case K_ENUMERATED: return check_enum(c, n, t);
	case K_BOOLEAN: return okit_der_check_boolean(c, t);
	case K_NULL: return okit_der_check_null(c, t);
	case K_BIT_STRING:
		return n->named_n ? okit_der_check_named_bits(c, t) : okit_der_check_bit_string(c, t);
	case K_OID: return okit_der_check_oid(c, t);
	case K_UTC_TIME: return okit_der_utc_time(c, t, NULL);
	case K_GENERALIZED_TIME: return okit_der_generalized_time(c, t, NULL, NULL);
	case K_IA5_STRING: return okit_der_check_ia5(c, t);
	case K_OCTETS: return OCSPKIT_OK;
	default: return okit_fail(c, t->tlv, OCSPKIT_E_INTERNAL);
	}
}

/* Checks element t, whose tag matched node n: inline for the primitives
 * that make up most of a message, through check_value for the rest. */
static inline ocspkit_err check_element(okit_dctx *c, const node_t *n, const okit_tlv *t, int depth)
{
	if (n->primitive)
		return check_primitive(c, n, t);
	return check_value(c, n, t, depth);
}

/* Checks the fields of SEQUENCE node n in t's content, in order, OPTIONAL
 * and DEFAULT fields skipped when their tag is not next; each present
 * field completely. */
__attribute__((noinline)) static ocspkit_err check_sequence(okit_dctx *c, const node_t *n, const okit_tlv *t,
								  int depth)
{
	const uint8_t *p = t->val;
	size_t left = t->val_len;
	ocspkit_err e;
	const uint8_t *q = p;
	size_t m = left;
	okit_tlv el;
	int have = 0; /* el is read (up to q) and not yet matched */

	for (int fi = n->first; fi >= 0; fi = nodes[fi].next) {
		const node_t *f = &nodes[fi];
		if (!have) {
			if (!left) {
				if (f->required)
					return okit_fail(c, t->val + t->val_len, OCSPKIT_E_DER_MISSING_FIELD);
				continue;
			}
			if ((e = okit_der_next(c, &q, &m, &el)))
				return e;
			have = 1;
		}
		if (!tag_matches(f, &el)) {
			if (f->required)
				return okit_fail(c, el.tlv, OCSPKIT_E_DER_UNEXPECTED_TAG);
			continue;
		}
		p = q, left = m, have = 0;
		if ((e = check_element(c, f, &el, depth + 1)))
			return e;
		if (f->has_default) {
			okit_tlv inner = el;
			if ((f->tag_mode == TAG_EXPLICIT && (e = unwrap(c, &el, &inner))) ||
			    (e = check_default(c, f, &inner)))
				return e;
		}
	}
	if (left)
		return okit_fail(c, p, OCSPKIT_E_DER_TRAILING_DATA);
	return OCSPKIT_OK;
}

/* Checks the elements of SEQUENCE OF / SET OF node n in t's content. */
__attribute__((noinline)) static ocspkit_err check_list(okit_dctx *c, const node_t *n, const okit_tlv *t,
							      int depth)
{
	const node_t *el_node = &nodes[n->first];
	const uint8_t *p = t->val;
	size_t left = t->val_len, count = 0;
	okit_tlv prev = { 0 };
	ocspkit_err e;

	while (left) {
		okit_tlv el;
		if ((e = okit_der_next(c, &p, &left, &el)))
			return e;
		if (!tag_matches(el_node, &el))
			return okit_fail(c, el.tlv, OCSPKIT_E_DER_UNEXPECTED_TAG);
		if ((e = check_element(c, el_node, &el, depth + 1)))
			return e;
		if (n->kind == K_SET_OF && count && !der_set_order_ok(&prev, &el))
			return okit_fail(c, el.tlv, OCSPKIT_E_DER_SET_ORDER);
		prev = el;
		count++;
	}
	if (n->counter)
		c->counts[n->counter - 1] += count;
	if (count < n->size_min)
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_SIZE);
	return OCSPKIT_OK;
}

/* Checks the content of t as a value of node n's type (t's own tag has
 * been matched by the caller). */
static ocspkit_err check_content(okit_dctx *c, const node_t *n, const okit_tlv *t, int depth)
{
	if (depth > OCSPKIT_MAX_DEPTH)
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_TOO_DEEP);
	switch (n->kind) {
	case K_ANY:
		return okit_der_check_any(c, t, depth);
	case K_CHOICE:
		for (int a = n->first; a >= 0; a = nodes[a].next)
			if (tag_matches(&nodes[a], t))
				return check_value(c, &nodes[a], t, depth + 1);
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_UNEXPECTED_TAG);
	default:
		break;
	}
	if (n->constructed && !t->constructed)
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_WRONG_FORM);
	switch (n->kind) {
	case K_SEQUENCE: return check_sequence(c, n, t, depth);
	case K_SEQUENCE_OF:
	case K_SET_OF: return check_list(c, n, t, depth);
	default: return check_primitive(c, n, t);
	}
}

/* Checks element t, whose tag matched node n, including n's own tag. */
static ocspkit_err check_value(okit_dctx *c, const node_t *n, const okit_tlv *t, int depth)
{
	if (n->tag_mode == TAG_EXPLICIT) {
		okit_tlv inner;
		ocspkit_err e = unwrap(c, t, &inner);
		if (e)
			return e;
		if (!type_matches(n, &inner))
			return okit_fail(c, inner.tlv, OCSPKIT_E_DER_UNEXPECTED_TAG);
		return check_content(c, n, &inner, depth + 1);
	}
	return check_content(c, n, t, depth);
}

/* Matches the elements in t's content to the fields of SEQUENCE node n,
 * into out[0..nout): the reading counterpart of check_sequence, for
 * content it checked (the checks it repeats are what finding the fields
 * needs, and keep a wrong call memory-safe). */
static ocspkit_err split(okit_dctx *c, const node_t *n, const okit_tlv *t, okit_val *out, size_t nout)
{
	const uint8_t *p = t->val;
	size_t left = t->val_len, i = 0;
	ocspkit_err e;

	for (int fi = n->first; fi >= 0; fi = nodes[fi].next, i++) {
		const node_t *f = &nodes[fi];
		okit_val *v = &out[i];
		if (i >= nout)
			return okit_fail(c, t->tlv, OCSPKIT_E_INTERNAL);
		if (left) {
			const uint8_t *q = p;
			size_t m = left;
			if ((e = okit_der_next(c, &q, &m, &v->outer)))
				return e;
			if (tag_matches(f, &v->outer)) {
				p = q, left = m;
				v->present = 1;
				if (f->tag_mode != TAG_EXPLICIT)
					v->inner = v->outer;
				else if ((e = unwrap(c, &v->outer, &v->inner)))
					return e;
				if (f->has_default && (e = check_default(c, f, &v->inner)))
					return e;
				continue;
			}
			if (f->required)
				return okit_fail(c, v->outer.tlv, OCSPKIT_E_DER_UNEXPECTED_TAG);
		} else if (f->required) {
			return okit_fail(c, t->val + t->val_len, OCSPKIT_E_DER_MISSING_FIELD);
		}
		memset(v, 0, sizeof(*v));
	}
	if (i != nout)
		return okit_fail(c, t->tlv, OCSPKIT_E_INTERNAL);
	if (left)
		return okit_fail(c, p, OCSPKIT_E_DER_TRAILING_DATA);
	return OCSPKIT_OK;
}

/* ------------------------------------------------------------ public */

/* The compiled schema, compiled first if need be. */
static inline ocspkit_err schema_ready(void)
{
	return atomic_load_explicit(&ready, memory_order_acquire) ? OCSPKIT_OK : okit_schema_init();
}

ocspkit_err okit_sch_check(okit_dctx *c, okit_type type, const okit_tlv *t)
{
	ocspkit_err e = schema_ready();
	if (e)
		return e;
	const node_t *n = &nodes[bound[type]];
	if (!tag_matches(n, t))
		return okit_fail(c, t->tlv, OCSPKIT_E_DER_UNEXPECTED_TAG);
	return check_value(c, n, t, 0);
}

ocspkit_err okit_sch_check_bytes(okit_dctx *c, okit_type type, const uint8_t *der, size_t len,
				 okit_tlv *out)
{
	ocspkit_err e = okit_der_only(c, der, len, out);
	return e ? e : okit_sch_check(c, type, out);
}

ocspkit_err okit_sch_check_arg(okit_type type, ocspkit_bytes der)
{
	okit_dctx c = okit_ctx(der.data, 0);
	okit_tlv t;
	if (!der.data || der.len == 0)
		return OCSPKIT_E_INVALID_ARGUMENT;
	return okit_sch_check_bytes(&c, type, der.data, der.len, &t) ? OCSPKIT_E_INVALID_ARGUMENT : OCSPKIT_OK;
}

ocspkit_err okit_sch_split(okit_dctx *c, okit_type type, const okit_tlv *t, okit_val *fields,
			   size_t n)
{
	ocspkit_err e = schema_ready();
	if (e)
		return e;
	return split(c, &nodes[bound[type]], t, fields, n);
}

ocspkit_err okit_sch_choice(okit_dctx *c, okit_type type, const okit_tlv *t, int *alt,
			    okit_tlv *inner)
{
	ocspkit_err e = schema_ready();
	if (e)
		return e;
	int i = 0;
	for (int a = nodes[bound[type]].first; a >= 0; a = nodes[a].next, i++) {
		if (!tag_matches(&nodes[a], t))
			continue;
		*alt = i;
		if (nodes[a].tag_mode == TAG_EXPLICIT)
			return okit_der_only(c, t->val, t->val_len, inner);
		*inner = *t;
		return OCSPKIT_OK;
	}
	return okit_fail(c, t->tlv, OCSPKIT_E_DER_UNEXPECTED_TAG);
}

void okit_iter_init(okit_iter *it, const okit_tlv *t)
{
	it->p = t->val;
	it->n = t->val_len;
}

int okit_iter_next(okit_dctx *c, okit_iter *it, okit_tlv *elem)
{
	if (it->n == 0)
		return 0;
	return okit_der_next(c, &it->p, &it->n, elem) == OCSPKIT_OK;
}

size_t okit_count(okit_dctx *c, const okit_tlv *t)
{
	okit_iter it;
	okit_tlv el;
	size_t n = 0;
	okit_iter_init(&it, t);
	while (okit_iter_next(c, &it, &el))
		n++;
	return n;
}
