/* schemagen: writes the C names of asn1/ocsp.asn, read from the table
 * asn1Parser made of it (codec/ocsp_asn1_tab.c, linked in), so that the
 * wire format is written once.
 *
 *   schemagen header > ocsp_asn1.h    types, fields, alternatives, tags, OIDs
 *   schemagen source > ocsp_asn1.c    the names the schema compiler binds
 *
 * Before writing anything it has libtasn1 confirm the table flags ocspkit
 * reads (okit_asn1tab_check_flags) and accept the table, so that a
 * libtasn1 that changed either stops the build.  Run by make; the output
 * goes to the build tree and is never edited. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libtasn1.h>

#include "asn1tab.h"
#include "der.h"

extern const asn1_static_node okit_asn1_tab[];

static okit_asn1tab tab;
static asn1_node defs;
static const char *module; /* "OCSPKIT" */

static void die(const char *what, const char *name)
{
	fprintf(stderr, "schemagen: %s%s%s\n", what, name ? ": " : "", name ? name : "");
	exit(1);
}

/* An ASN.1 name as a C identifier: '-' becomes '_'. */
static const char *c_name(const char *asn1)
{
	static char buf[2][128];
	static int which;
	char *out = buf[which ^= 1];
	size_t i = 0;
	for (; asn1[i]; i++) {
		if (i + 1 >= sizeof(buf[0]))
			die("name too long", asn1);
		out[i] = asn1[i] == '-' ? '_' : asn1[i];
	}
	out[i] = 0;
	return out;
}

static int is_type(int k)
{
	return tab.tab[k].name && !okit_asn1tab_is_value(&tab, k);
}

/* The TAG child of entry k, or -1. */
static int tag_of(int k)
{
	for (int c = tab.first[k]; c >= 0; c = tab.next[c])
		if (okit_asn1tab_etype(&tab, c) == ASN1_ETYPE_TAG)
			return c;
	return -1;
}

/* The definition entry k refers to (k itself when it is no reference). */
static int resolve(int k)
{
	for (int depth = 0; okit_asn1tab_etype(&tab, k) == ASN1_ETYPE_IDENTIFIER; depth++) {
		int d = okit_asn1tab_find(&tab, tab.tab[k].value);
		if (d < 0 || depth > 16)
			die("unresolved type", tab.tab[k].value);
		k = d;
	}
	return k;
}

static int constructed(int k)
{
	unsigned e = okit_asn1tab_etype(&tab, resolve(k));
	return e == ASN1_ETYPE_SEQUENCE || e == ASN1_ETYPE_SEQUENCE_OF || e == ASN1_ETYPE_SET ||
	       e == ASN1_ETYPE_SET_OF;
}

/* The identifier octet a value of entry k (a definition, a field or an
 * alternative) starts with, or -1 when there is no single one (CHOICE,
 * ANY, tag numbers above 30).  *how says how it is tagged ("[1] IMPLICIT"),
 * or is NULL for an untagged value. */
static int ident(int k, const char **how)
{
	static char text[64];
	int t = tag_of(k);
	*how = NULL;
	if (t >= 0) {
		unsigned f = tab.tab[t].type;
		char *end;
		unsigned long num = strtoul(tab.tab[t].value ? tab.tab[t].value : "", &end, 10);
		if (!tab.tab[t].value || *end || num >= 31)
			return -1;
		unsigned cls = (f & OKIT_TAB_UNIVERSAL)     ? OKIT_CLASS_UNIVERSAL
			       : (f & OKIT_TAB_APPLICATION) ? OKIT_CLASS_APPLICATION
			       : (f & OKIT_TAB_PRIVATE)     ? OKIT_CLASS_PRIVATE
							    : OKIT_CLASS_CONTEXT;
		const char *cls_name = cls == OKIT_CLASS_UNIVERSAL     ? "UNIVERSAL "
				       : cls == OKIT_CLASS_APPLICATION ? "APPLICATION "
				       : cls == OKIT_CLASS_PRIVATE     ? "PRIVATE "
								       : "";
		int implicit = (f & OKIT_TAB_IMPLICIT) != 0;
		if (!implicit && !(f & OKIT_TAB_EXPLICIT))
			die("tag neither EXPLICIT nor IMPLICIT", tab.tab[k].name);
		snprintf(text, sizeof(text), "[%s%lu] %s", cls_name, num, implicit ? "IMPLICIT" : "EXPLICIT");
		*how = text;
		if (implicit)
			return (int)(cls | num | (constructed(k) ? OKIT_CONSTRUCTED : 0));
		return (int)(cls | OKIT_CONSTRUCTED | num);
	}
	int d = resolve(k);
	if (d != k) {
		const char *inner;
		return ident(d, &inner);
	}
	uint32_t u = okit_asn1tab_universal_tag(okit_asn1tab_etype(&tab, k));
	if (u == 0 || u >= 31)
		return -1;
	return (int)(u | (constructed(k) ? OKIT_CONSTRUCTED : 0));
}

/* What definition k is, as ocsp.asn writes it (roughly: no tags). */
static void print_kind(int k)
{
	static const struct {
		unsigned etype;
		const char *name;
	} names[] = {
		{ ASN1_ETYPE_INTEGER, "INTEGER" },
		{ ASN1_ETYPE_BOOLEAN, "BOOLEAN" },
		{ ASN1_ETYPE_SEQUENCE, "SEQUENCE" },
		{ ASN1_ETYPE_SET, "SET" },
		{ ASN1_ETYPE_SEQUENCE_OF, "SEQUENCE OF" },
		{ ASN1_ETYPE_SET_OF, "SET OF" },
		{ ASN1_ETYPE_CHOICE, "CHOICE" },
		{ ASN1_ETYPE_ANY, "ANY" },
		{ ASN1_ETYPE_BIT_STRING, "BIT STRING" },
		{ ASN1_ETYPE_OCTET_STRING, "OCTET STRING" },
		{ ASN1_ETYPE_OBJECT_ID, "OBJECT IDENTIFIER" },
		{ ASN1_ETYPE_NULL, "NULL" },
		{ ASN1_ETYPE_ENUMERATED, "ENUMERATED" },
		{ ASN1_ETYPE_UTC_TIME, "UTCTime" },
		{ ASN1_ETYPE_GENERALIZED_TIME, "GeneralizedTime" },
		{ ASN1_ETYPE_IA5_STRING, "IA5String" },
	};
	unsigned e = okit_asn1tab_etype(&tab, k);
	if (e == ASN1_ETYPE_IDENTIFIER) {
		printf(" ::= %s", (const char *)tab.tab[k].value);
		return;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].etype != e)
			continue;
		printf(" ::= %s", names[i].name);
		if (e == ASN1_ETYPE_SEQUENCE_OF || e == ASN1_ETYPE_SET_OF)
			for (int c = tab.first[k]; c >= 0; c = tab.next[c])
				if (okit_asn1tab_etype(&tab, c) != ASN1_ETYPE_SIZE)
					printf(" %s", tab.tab[c].value ? (const char *)tab.tab[c].value : "...");
		return;
	}
}

/* Fields of a SEQUENCE or SET, alternatives of a CHOICE: the children
 * that are not TAG, SIZE, DEFAULT or named numbers. */
static int is_member(int c)
{
	switch (okit_asn1tab_etype(&tab, c)) {
	case ASN1_ETYPE_TAG:
	case ASN1_ETYPE_SIZE:
	case ASN1_ETYPE_DEFAULT:
	case ASN1_ETYPE_CONSTANT: return 0;
	default: return 1;
	}
}

static int has_members(int k)
{
	unsigned e = okit_asn1tab_etype(&tab, k);
	return e == ASN1_ETYPE_SEQUENCE || e == ASN1_ETYPE_SET || e == ASN1_ETYPE_CHOICE;
}

/* libtasn1's own reading of entry c of definition k: it must have the
 * field under the same name and type, and an IMPLICIT tag libtasn1 reports
 * as we read it. */
static void cross_check(int k, int c, int id, const char *how)
{
	char path[256];
	asn1_data_node_st node;
	snprintf(path, sizeof(path), "%s.%s.%s", module, tab.tab[k].name, tab.tab[c].name);
	asn1_node n = asn1_find_node(defs, path);
	if (!n || asn1_read_node_value(n, &node) != ASN1_SUCCESS || !node.name ||
	    strcmp(node.name, tab.tab[c].name) != 0 || node.type != okit_asn1tab_etype(&tab, c))
		die("libtasn1 reads the table otherwise at", path);
	if (how && strstr(how, "IMPLICIT")) {
		int num, cls;
		if (asn1_read_tag(defs, path, &num, &cls) != ASN1_SUCCESS || num != (id & 0x1F) ||
		    (unsigned)cls != ((unsigned)id & 0xC0))
			die("libtasn1 reads the IMPLICIT tag otherwise at", path);
	}
}

static void print_id(const char *name, int id, const char *how)
{
	if (id < 0)
		return;
	if (how)
		printf("#define ID_%s 0x%02X /* %s */\n", name, (unsigned)id, how);
	else
		printf("#define ID_%s 0x%02X\n", name, (unsigned)id);
}

static void header(void)
{
	const char *how;
	printf("/* The C names of asn1/ocsp.asn, generated by codec/schemagen from the table\n"
	       " * asn1Parser made of it.  Do not edit: change asn1/ocsp.asn.\n"
	       " *\n"
	       " *   T_<Type>                 a type, for the schema walker (schema.h)\n"
	       " *   F_<Type>_<field>         a field's index in what okit_sch_split() returns\n"
	       " *   A_<Type>_<alternative>   a CHOICE alternative, as okit_sch_choice() returns it\n"
	       " *   ID_<Type>                the identifier octet a value of the type starts with\n"
	       " *   ID_<Type>_<field>        ... and the one a field starts with in its SEQUENCE\n"
	       " *                            (its tag's when it has one) or an alternative\n"
	       " *   OID_<name>               an OBJECT IDENTIFIER value of the module, dotted\n"
	       " *\n"
	       " * '-' in ASN.1 names becomes '_'.  IDs are absent where a value has no single\n"
	       " * identifier octet (CHOICE, ANY). */\n"
	       "#ifndef OCSPKIT_OCSP_ASN1_H\n#define OCSPKIT_OCSP_ASN1_H\n\n");

	printf("typedef enum {\n");
	for (int k = tab.first[0]; k >= 0; k = tab.next[k])
		if (is_type(k))
			printf("\tT_%s,\n", c_name(tab.tab[k].name));
	printf("\tT__COUNT\n} okit_type;\n");

	for (int k = tab.first[0]; k >= 0; k = tab.next[k]) {
		if (!is_type(k))
			continue;
		const char *type = tab.tab[k].name;
		char cname[128];
		int id = ident(k, &how);
		snprintf(cname, sizeof(cname), "%s", c_name(type));
		printf("\n/* %s", type);
		print_kind(k);
		printf(" */\n");
		print_id(cname, id, how);
		if (!has_members(k))
			continue;
		int choice = okit_asn1tab_etype(&tab, k) == ASN1_ETYPE_CHOICE;
		printf("enum {\n");
		for (int c = tab.first[k]; c >= 0; c = tab.next[c]) {
			if (!is_member(c))
				continue;
			if (!tab.tab[c].name)
				die("field without a name in", type);
			printf("\t%s_%s_%s,\n", choice ? "A" : "F", cname, c_name(tab.tab[c].name));
		}
		if (!choice)
			printf("\tF_%s__COUNT\n", cname);
		printf("};\n");
		for (int c = tab.first[k]; c >= 0; c = tab.next[c]) {
			if (!is_member(c))
				continue;
			char fname[256];
			int fid = ident(c, &how);
			snprintf(fname, sizeof(fname), "%s_%s", cname, c_name(tab.tab[c].name));
			cross_check(k, c, fid, how);
			print_id(fname, fid, how);
		}
	}

	printf("\n/* OBJECT IDENTIFIER values */\n");
	for (int k = tab.first[0]; k >= 0; k = tab.next[k]) {
		char path[256], dotted[256];
		int len = sizeof(dotted);
		if (!tab.tab[k].name || !okit_asn1tab_is_value(&tab, k))
			continue;
		snprintf(path, sizeof(path), "%s.%s", module, tab.tab[k].name);
		if (asn1_read_value(defs, path, dotted, &len) != ASN1_SUCCESS)
			die("libtasn1 cannot read the value of", path);
		printf("#define OID_%s \"%s\"\n", c_name(tab.tab[k].name), dotted);
	}

	printf("\n/* What the schema compiler binds T_<Type> to (ocsp_asn1.c): the type's\n"
	       " * name and, for SEQUENCE, SET and CHOICE types, the names of the fields\n"
	       " * in order (NULL-terminated), which it checks against the table. */\n"
	       "typedef struct {\n\tconst char *name;\n\tconst char *const *fields;\n} okit_schema_binding;\n"
	       "extern const okit_schema_binding okit_schema_bindings[T__COUNT];\n\n#endif\n");
}

static void source(void)
{
	printf("/* Generated by codec/schemagen from asn1/ocsp.asn; see ocsp_asn1.h. */\n"
	       "#include <stddef.h>\n\n#include \"ocsp_asn1.h\"\n\n");
	for (int k = tab.first[0]; k >= 0; k = tab.next[k]) {
		if (!is_type(k) || !has_members(k))
			continue;
		printf("static const char *const fields_%s[] = { ", c_name(tab.tab[k].name));
		for (int c = tab.first[k]; c >= 0; c = tab.next[c])
			if (is_member(c))
				printf("\"%s\", ", tab.tab[c].name);
		printf("NULL };\n");
	}
	printf("\nconst okit_schema_binding okit_schema_bindings[T__COUNT] = {\n");
	for (int k = tab.first[0]; k >= 0; k = tab.next[k]) {
		if (!is_type(k))
			continue;
		const char *cn = c_name(tab.tab[k].name);
		if (has_members(k))
			printf("\t[T_%s] = { \"%s\", fields_%s },\n", cn, tab.tab[k].name, cn);
		else
			printf("\t[T_%s] = { \"%s\", NULL },\n", cn, tab.tab[k].name);
	}
	printf("};\n");
}

int main(int argc, char **argv)
{
	char err[ASN1_MAX_ERROR_DESCRIPTION_SIZE];
	const char *why;

	if (argc != 2 || (strcmp(argv[1], "header") != 0 && strcmp(argv[1], "source") != 0)) {
		fprintf(stderr, "usage: schemagen header|source > FILE\n");
		return 2;
	}
	if ((why = okit_asn1tab_check_flags()))
		die(why, NULL);
	if (asn1_array2tree(okit_asn1_tab, &defs, err) != ASN1_SUCCESS)
		die("libtasn1 refuses the table", err);
	if (okit_asn1tab_load(&tab, okit_asn1_tab) != 0)
		die("the table is not a tree", NULL);
	module = tab.tab[0].name;
	if (strcmp(argv[1], "header") == 0)
		header();
	else
		source();
	asn1_delete_structure(&defs);
	if (fflush(stdout) != 0 || ferror(stdout))
		die("write error", NULL);
	return 0;
}
