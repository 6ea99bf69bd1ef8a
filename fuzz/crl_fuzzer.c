/* CRL decoding (ocspkit_crl_decode), strict and with every tolerance
 * flag; what is accepted is read through every accessor, printed, looked
 * up and verified.
 *
 * Oracles:
 *  - views lie inside the CRL; entries come back in order with their
 *    position; an entry's extensions read one by one number what it says;
 *  - every listed serial is found (ocspkit_crl_find for the CRL issuer's
 *    entries, ocspkit_crl_find_issued_by for those of a certificate issuer
 *    named by a directoryName): the entry found is the first of that serial
 *    for that issuer, no later than the one asked about, and says the same
 *    unless the lookup reports a conflict; an absent serial is not found;
 *  - round trip: the codec's internal CRL encoder (codec/crl_write.c),
 *    given what the decoded object exposes, writes the input again, octet
 *    for octet (a strictly decoded CRL is canonical);
 *  - the tolerant decode accepts whatever the strict one does;
 *  - verification against a fixed CA (a deterministic Ed25519 key, as in
 *    tests/lib/pki.h): a CRL it accepts verifies independently with that key,
 *    and is one the CA's name issued.
 * Lookups are checked for every entry of CRLs of up to 256 entries, and
 * for the first and last 64 of longer ones, so that the harness's work
 * stays linear in the input (fuzz/README.md, "Resource bounds").
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "crl_write.h"
#include "fuzz.h"
#include "tests/lib/pki.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

static ocspkit_cert *ca;

static void free_ca(void)
{
	ocspkit_cert_free(ca);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ocspkit_privkey *key = pki_ed25519_fixed(0x43);
	ca = pki_ca_cert("Fuzz CRL CA", key);
	ocspkit_privkey_free(key);
	atexit(free_ca);
	return 0;
}

static void general_names(ocspkit_bytes names, const ocspkit_crl *crl)
{
	ocspkit_bytes der = ocspkit_crl_get_der(crl), gn;
	char *s;
	ORACLE(fuzz_inside(names, der.data, der.len), "GeneralNames outside the CRL");
	while (CALL(ocspkit_general_names_next(&gn, &names)) == OCSPKIT_OK)
		if (CALL(ocspkit_general_name_to_string(&s, gn)) == OCSPKIT_OK)
			fuzz_string(s);
}

static void dp_name(const ocspkit_dp_name *dp, const ocspkit_crl *crl)
{
	ocspkit_bytes der = ocspkit_crl_get_der(crl);
	ORACLE(!(dp->full_name.len && dp->relative_name.len), "a distribution point name of both kinds");
	general_names(dp->full_name, crl);
	ORACLE(fuzz_inside(dp->relative_name, der.data, der.len), "relative name outside the CRL");
}

/* The CRL extensions ocspkit reads, each through its typed reader. */
static void crl_extensions(const ocspkit_crl *crl)
{
	ocspkit_bytes der = ocspkit_crl_get_der(crl), v;
	size_t n = ocspkit_crl_get_extension_count(crl);
	ORACLE(n <= OCSPKIT_MAX_EXTENSIONS, "%zu CRL extensions", n);
	ORACLE(ocspkit_crl_get_extension(crl, n) == NULL, "an extension past the end");
	if (n)
		fuzz_extensions(ocspkit_crl_get_extension(crl, 0), n);
	if (CALL(ocspkit_crl_get_number(&v, crl)) == OCSPKIT_OK)
		ORACLE(v.len && !(v.data[0] & 0x80) && v.len <= 21 && fuzz_inside(v, der.data, der.len),
		       "CRL number of %zu octets", v.len);
	ocspkit_err e = CALL(ocspkit_crl_get_base_number(&v, crl));
	ORACLE((e == OCSPKIT_OK) == (ocspkit_crl_is_delta(crl) == 1), "a delta CRL without its base");
	ocspkit_crl_idp idp;
	if (CALL(ocspkit_crl_get_issuing_distribution_point(&idp, crl)) == OCSPKIT_OK) {
		dp_name(&idp.distribution_point, crl);
		ORACLE(idp.only_user_certs + idp.only_ca_certs + idp.only_attribute_certs <= 1,
		       "more than one onlyContains...");
		ORACLE(idp.only_some_reasons < (1u << 9), "reason flags %x", idp.only_some_reasons);
	}
	ocspkit_authority_key_id aki;
	if (CALL(ocspkit_crl_get_authority_key_id(&aki, crl)) == OCSPKIT_OK) {
		general_names(aki.issuer, crl);
		ORACLE(fuzz_inside(aki.key_id, der.data, der.len) && fuzz_inside(aki.serial, der.data, der.len),
		       "key identifier outside the CRL");
	}
	size_t count, count2;
	if (CALL(ocspkit_crl_get_freshest_crl(NULL, 0, &count, crl)) == OCSPKIT_OK) {
		ocspkit_distribution_point dps[4];
		ORACLE(count >= 1, "an empty freshest CRL extension");
		if (CALL(ocspkit_crl_get_freshest_crl(dps, 4, &count2, crl)) == OCSPKIT_OK) {
			ORACLE(count2 == count, "%zu distribution points, then %zu", count, count2);
			for (size_t i = 0; i < count && i < 4; i++) {
				dp_name(&dps[i].distribution_point, crl);
				general_names(dps[i].crl_issuer, crl);
			}
		}
	}
}

/* Reads entry i; returns its extensions (allocated, for the round trip)
 * in *exts. */
static int read_entry(const ocspkit_crl *crl, size_t i, ocspkit_crl_entry *e, ocspkit_extension **exts)
{
	ocspkit_bytes der = ocspkit_crl_get_der(crl);
	*exts = NULL;
	if (CALL(ocspkit_crl_get_entry(e, crl, i)) != OCSPKIT_OK)
		return 0;
	ORACLE(e->index == i, "entry %zu says it is %zu", i, e->index);
	ORACLE(e->serial.len >= 1 && fuzz_inside(e->serial, der.data, der.len), "serial of entry %zu", i);
	ORACLE(fuzz_inside(e->extensions, der.data, der.len) && fuzz_inside(e->hold_instruction, der.data, der.len),
	       "views of entry %zu outside the CRL", i);
	ORACLE(!e->has_reason || ((unsigned)e->reason <= 10 && e->reason != 7), "reason %d", (int)e->reason);
	ORACLE((e->extensions.len == 0) == (e->extension_count == 0), "extension count of entry %zu", i);
	general_names(e->certificate_issuer, crl);
	if (e->hold_instruction.len)
		fuzz_oid(e->hold_instruction);
	if (e->extension_count) {
		ocspkit_extension past;
		*exts = calloc(e->extension_count, sizeof(**exts));
		if (!*exts)
			abort();
		for (size_t k = 0; k < e->extension_count; k++) {
			ocspkit_err r = CALL(ocspkit_crl_entry_get_extension(&(*exts)[k], e, k));
			ORACLE(r == OCSPKIT_OK, "extension %zu of entry %zu: %s", k, i, ocspkit_strerror_name(r));
		}
		ORACLE(CALL(ocspkit_crl_entry_get_extension(&past, e, e->extension_count)) == OCSPKIT_E_NOT_FOUND,
		       "an extension past the end of entry %zu", i);
		fuzz_extensions(*exts, e->extension_count);
	}
	return 1;
}

static int same_revocation(const ocspkit_crl_entry *a, const ocspkit_crl_entry *b)
{
	return a->revocation_date == b->revocation_date && a->has_reason == b->has_reason &&
	       (!a->has_reason || a->reason == b->reason) && a->has_invalidity_date == b->has_invalidity_date &&
	       (!a->has_invalidity_date || a->invalidity_date == b->invalidity_date) &&
	       okit_bytes_equal(a->hold_instruction, b->hold_instruction);
}

/* The Name of the first directoryName among names, or an empty view. */
static ocspkit_bytes directory_name(ocspkit_bytes names)
{
	ocspkit_bytes gn;
	while (ocspkit_general_names_next(&gn, &names) == OCSPKIT_OK) {
		/* [4] EXPLICIT Name, short or long length */
		if (gn.data[0] != 0xA4 || gn.len < 4)
			continue;
		size_t hl = gn.data[1] < 0x80 ? 2 : 2 + (gn.data[1] & 0x7F);
		if (hl < gn.len)
			return (ocspkit_bytes){ gn.data + hl, gn.len - hl };
	}
	return (ocspkit_bytes){ NULL, 0 };
}

/* Entry i is found by its serial, for its certificate issuer. */
static void lookup(const ocspkit_crl *crl, const ocspkit_crl_entry *e)
{
	ocspkit_crl_entry f;
	ocspkit_err r;
	if (e->certificate_issuer.len == 0) {
		r = CALL(ocspkit_crl_find(&f, crl, e->serial));
	} else {
		ocspkit_bytes name = directory_name(e->certificate_issuer);
		if (name.len == 0)
			return; /* named otherwise: no Name to ask about it with */
		r = CALL(ocspkit_crl_find_issued_by(&f, crl, name, e->serial));
	}
	ORACLE(r == OCSPKIT_OK || r == OCSPKIT_E_CRL_ENTRY_CONFLICT || r == OCSPKIT_E_NO_MEMORY,
	       "entry %zu not found by its serial: %s", e->index, ocspkit_strerror_name(r));
	if (r != OCSPKIT_OK)
		return;
	ORACLE(f.index <= e->index && okit_bytes_equal(f.serial, e->serial), "entry %zu found as %zu", e->index,
	       f.index);
	ORACLE(same_revocation(&f, e), "entry %zu and %zu differ, and no conflict was reported", e->index, f.index);
}

static void entries(const ocspkit_crl *crl, int round_trip)
{
	size_t n = ocspkit_crl_get_entry_count(crl);
	okit_crl_entry_spec *specs = calloc(n ? n : 1, sizeof(*specs));
	ocspkit_extension **all = calloc(n ? n : 1, sizeof(*all));
	ocspkit_crl_entry e;
	int ok = specs && all;
	if (!ok)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (!read_entry(crl, i, &e, &all[i])) {
			ok = 0;
			break;
		}
		specs[i] = (okit_crl_entry_spec){ e.serial, e.revocation_date, all[i], e.extension_count };
		if (n <= 256 || i < 64 || i >= n - 64)
			lookup(crl, &e);
	}
	ORACLE(CALL(ocspkit_crl_get_entry(&e, crl, n)) == OCSPKIT_E_NOT_FOUND, "an entry past the end");
	/* a serial listed nowhere: one octet longer than the longest */
	uint8_t absent[OCSPKIT_MAX_SERIAL_SIZE * 4 + 2] = { 0x7F };
	size_t longest = 0;
	for (size_t i = 0; i < n && ok; i++)
		if (specs[i].serial.len > longest)
			longest = specs[i].serial.len;
	if (longest + 1 < sizeof(absent)) {
		memset(absent + 1, 0x5A, longest);
		ocspkit_err r = CALL(ocspkit_crl_find(&e, crl, (ocspkit_bytes){ absent, longest + 1 }));
		ORACLE(r == OCSPKIT_E_NOT_FOUND || r == OCSPKIT_E_NO_MEMORY, "an absent serial: %s", ocspkit_strerror_name(r));
	}

	if (ok && round_trip) {
		/* everything the object exposes, written again */
		okit_crl_spec s;
		int64_t t;
		memset(&s, 0, sizeof(s));
		s.version = ocspkit_crl_get_version(crl);
		s.signature = *ocspkit_crl_get_tbs_signature_algorithm(crl);
		s.issuer = ocspkit_crl_get_issuer(crl);
		s.this_update = ocspkit_crl_get_this_update(crl);
		s.has_next_update = CALL(ocspkit_crl_get_next_update(&t, crl)) == OCSPKIT_OK;
		s.next_update = t;
		s.entries = specs;
		s.entry_count = n;
		s.extension_count = ocspkit_crl_get_extension_count(crl);
		s.extensions = s.extension_count ? ocspkit_crl_get_extension(crl, 0) : NULL;
		uint8_t *tbs = NULL, *der = NULL;
		size_t tl, dl;
		ocspkit_err r = CALL(okit_crl_tbs_write(&tbs, &tl, &s));
		ORACLE(r == OCSPKIT_OK || r == OCSPKIT_E_NO_MEMORY, "a decoded CRL does not encode: %s",
		       ocspkit_strerror_name(r));
		if (r == OCSPKIT_OK) {
			ocspkit_bytes want = ocspkit_crl_get_tbs_der(crl);
			SAME("TBSCertList", want.data, want.len, tbs, tl);
			r = CALL(okit_crl_assemble(&der, &dl, (ocspkit_bytes){ tbs, tl },
						   ocspkit_crl_get_signature_algorithm(crl), ocspkit_crl_get_signature(crl)));
			if (r == OCSPKIT_OK) {
				want = ocspkit_crl_get_der(crl);
				SAME("CertificateList", want.data, want.len, der, dl);
			}
		}
		ocspkit_free(tbs);
		ocspkit_free(der);
	}
	for (size_t i = 0; i < n; i++)
		free(all[i]);
	free(all);
	free(specs);
}

static void verify(const ocspkit_crl *crl)
{
	ocspkit_err r = CALL(ocspkit_crl_verify(crl, ca));
	if (r != OCSPKIT_OK)
		return;
	/* accepted: the CA's name, and its key signed the tbsCertList */
	ocspkit_pubkey *k = NULL;
	ORACLE(okit_bytes_equal(ocspkit_crl_get_issuer(crl), ocspkit_cert_get_subject(ca)), "verified for another issuer");
	ORACLE(!ocspkit_crl_has_unknown_critical_extension(crl), "verified with an unknown critical extension");
	if (CALL(ocspkit_pubkey_from_cert(&k, ca)) == OCSPKIT_OK) {
		ocspkit_bytes tbs = ocspkit_crl_get_tbs_der(crl);
		r = CALL(ocspkit_verify_signature(k, ocspkit_crl_get_signature_algorithm(crl), tbs.data, tbs.len,
						  ocspkit_crl_get_signature(crl)));
		ORACLE(r == OCSPKIT_OK || r == OCSPKIT_E_NO_MEMORY, "the signature does not verify on its own: %s",
		       ocspkit_strerror_name(r));
		ocspkit_pubkey_free(k);
	}
}

static void visit(const ocspkit_crl *crl, const uint8_t *data, size_t size, int strict)
{
	ocspkit_bytes der = ocspkit_crl_get_der(crl), v;
	ORACLE(der.len == size && memcmp(der.data, data, size) == 0, "der() is not the input");
	ocspkit_bytes views[] = { ocspkit_crl_get_tbs_der(crl), ocspkit_crl_get_issuer(crl),
				  ocspkit_crl_get_signature(crl),
				  ocspkit_crl_get_signature_algorithm(crl)->params,
				  ocspkit_crl_get_tbs_signature_algorithm(crl)->params };
	for (size_t i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		ORACLE(fuzz_inside(views[i], der.data, der.len), "view %zu outside the CRL", i);
	ORACLE(ocspkit_crl_get_version(crl) == 0 || ocspkit_crl_get_version(crl) == 1, "version %ld",
	       ocspkit_crl_get_version(crl));
	fuzz_oid(ocspkit_crl_get_signature_algorithm(crl)->oid);
	fuzz_name(ocspkit_crl_get_issuer(crl));
	int64_t t;
	(void)ocspkit_crl_get_this_update(crl);
	(void)CALL(ocspkit_crl_get_next_update(&t, crl));
	crl_extensions(crl);
	entries(crl, strict);
	char *text;
	if (CALL(ocspkit_crl_print(&text, crl)) == OCSPKIT_OK)
		fuzz_string(text);
	verify(crl);
	(void)v;
}

#define ALL_CRL_FLAGS (FUZZ_ALL_FLAGS | OCSPKIT_DECODE_ALLOW_NEGATIVE_SERIAL | OCSPKIT_DECODE_ALLOW_EMPTY_REVOKED_LIST)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ocspkit_crl *strict = NULL, *lax = NULL;
	size_t off = 0;

	ocspkit_err es = CALL(ocspkit_crl_decode(&strict, data, size, OCSPKIT_DECODE_STRICT, &off));
	ORACLE((es == OCSPKIT_OK) == (strict != NULL), "object and result disagree");
	ORACLE(off <= size, "error offset %zu past %zu octets", off, size);
	if (es == OCSPKIT_OK)
		visit(strict, data, size, 1);
	ocspkit_crl_free(strict);

	ocspkit_err el = CALL(ocspkit_crl_decode(&lax, data, size, ALL_CRL_FLAGS, NULL));
	if (es == OCSPKIT_OK)
		ORACLE(el == OCSPKIT_OK, "strict decoding accepts, tolerant refuses: %s", ocspkit_strerror_name(el));
	if (el == OCSPKIT_OK && es != OCSPKIT_OK) {
		fuzz_tolerant = 1;
		visit(lax, data, size, 0);
		fuzz_tolerant = 0;
	}
	ocspkit_crl_free(lax);
	return 0;
}

