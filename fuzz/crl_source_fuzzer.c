/* The CRL revocation source (responder/source_crl.c) refreshed with fuzzed
 * bytes through a fake fetch: a source starts on a good complete CRL and
 * delta CRL signed by a fixed CA, then one of them (the input's first
 * octet says which) is fetched again as the rest of the input.
 *
 * Oracles:
 *  - the data in use only ever changes to a CRL that decodes (PEM or DER,
 *    the source's flags) and verifies against the fixed CA, of its kind
 *    (complete or delta), and not older (CRL number) than the one in use;
 *  - lookups agree with an independent scan of the CRLs in use: every
 *    entry of the CA's in the delta says revoked with its date (or, for
 *    removeFromCRL, not revoked), every other entry of the complete CRL
 *    revoked with its date, a serial in neither good;
 *  - the same bytes fetched again publish nothing.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "fuzz.h"
#include "responder/source_crl.h"
#include "crl_source_fixture.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

#define NOW CSF_NOW
#define FLAGS (OCSPKIT_DECODE_ALLOW_PADDED_INTEGER | OCSPKIT_DECODE_ALLOW_EMPTY_REVOKED_LIST)

static ocspkit_cert *ca;
static blob good_base, good_delta;

static void free_ca(void)
{
	ocspkit_cert_free(ca);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ocspkit_privkey *key = pki_ed25519_fixed(CSF_KEY_FILL);
	ca = pki_ca_cert(CSF_CA_NAME, key);
	good_base = csf_good_base(key);
	good_delta = csf_good_delta(key);
	ocspkit_privkey_free(key);
	atexit(free_ca);
	return 0;
}

/* ---------------------------------------------------------------- the fake fetch */

static struct {
	const uint8_t *base, *delta;
	size_t base_len, delta_len;
} net;

static int fake_fetch(void *ctx, const char *url, long timeout_s, size_t max, uint8_t **body, size_t *len, char *err,
		      size_t cap)
{
	(void)ctx, (void)timeout_s, (void)max;
	int delta = strstr(url, "delta") != NULL;
	const uint8_t *p = delta ? net.delta : net.base;
	size_t n = delta ? net.delta_len : net.base_len;
	if (!(*body = malloc(n ? n : 1))) {
		snprintf(err, cap, "out of memory");
		return -1;
	}
	memcpy(*body, p, n);
	*len = n;
	return 0;
}

/* ---------------------------------------------------------------- the independent reading */

/* What the source should make of bytes as a CRL of its kind, or NULL. */
static ocspkit_crl *usable(const uint8_t *p, size_t n, int delta)
{
	uint8_t *der = NULL;
	size_t der_len, off, i = 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (n - i >= 10 && memcmp(p + i, "-----BEGIN", 10) == 0) {
		if (text_pem_decode(&der, &der_len, (const char *)p, n, "X509 CRL", NULL, NULL) != OCSPKIT_OK)
			return NULL;
		p = der;
		n = der_len;
	}
	ocspkit_crl *c = NULL;
	ocspkit_err e = ocspkit_crl_decode(&c, p, n, FLAGS, &off);
	free(der);
	if (e != OCSPKIT_OK)
		return NULL;
	if (ocspkit_crl_verify(c, ca) != OCSPKIT_OK || ocspkit_crl_is_delta(c) != delta) {
		ocspkit_crl_free(c);
		return NULL;
	}
	return c;
}

static rsp_status look(rsp_source *s, ocspkit_bytes serial, int *ok)
{
	rsp_status st;
	memset(&st, 0, sizeof(st));
	rsp_snapshot *snap = rsp_source_acquire(s);
	*ok = snap && rsp_snapshot_lookup(snap, &(rsp_lookup){ ca, { NULL, 0 }, serial }, &st) == OCSPKIT_OK;
	rsp_snapshot_release(snap);
	return st;
}

/* Every entry of c (the CA's, one per serial) against the source, given
 * the delta in use (NULL: none) and the complete CRL in use. */
static void check_entries(rsp_source *s, const ocspkit_crl *c, const ocspkit_crl *delta, const ocspkit_crl *full)
{
	ocspkit_crl_entry e, f;
	for (size_t i = 0, n = ocspkit_crl_get_entry_count(c); i < n && i < 2000; i++) {
		if (ocspkit_crl_get_entry(&e, c, i) != OCSPKIT_OK || e.serial.len > 32)
			continue;
		int ok;
		rsp_status st = look(s, e.serial, &ok);
		/* the model: delta first, then the complete CRL */
		ocspkit_err ed = delta ? ocspkit_crl_find(&f, delta, e.serial) : OCSPKIT_E_NOT_FOUND;
		if (ed == OCSPKIT_E_CRL_ENTRY_CONFLICT) {
			ORACLE(!ok, "a conflicting delta entry must not be answered");
			continue;
		}
		if (ed == OCSPKIT_OK) {
			ORACLE(ok, "a delta entry must be answered");
			if (f.has_reason && f.reason == OCSPKIT_REASON_REMOVE_FROM_CRL)
				ORACLE(st.status == OCSPKIT_CERT_GOOD, "removeFromCRL in the delta: not revoked");
			else
				ORACLE(st.status == OCSPKIT_CERT_REVOKED && st.revocation_time == f.revocation_date,
				       "the delta's entry: revoked at its date");
			continue;
		}
		ocspkit_err ef = ocspkit_crl_find(&f, full, e.serial);
		if (ef == OCSPKIT_E_CRL_ENTRY_CONFLICT) {
			ORACLE(!ok, "a conflicting entry must not be answered");
		} else if (ef == OCSPKIT_OK) {
			ORACLE(ok && st.status == OCSPKIT_CERT_REVOKED && st.revocation_time == f.revocation_date &&
				       st.has_reason == f.has_reason,
			       "the complete CRL's entry: revoked at its date");
		} else {
			ORACLE(ok && st.status == OCSPKIT_CERT_GOOD, "an entry of no CRL in use, or another CA's: good");
		}
	}
}

static int number_cmp(const ocspkit_crl *a, const ocspkit_crl *b)
{
	ocspkit_bytes x, y;
	int hx = ocspkit_crl_get_number(&x, a) == OCSPKIT_OK, hy = ocspkit_crl_get_number(&y, b) == OCSPKIT_OK;
	if (!hx || !hy)
		return ocspkit_crl_get_this_update(a) < ocspkit_crl_get_this_update(b) ? -1 : 0;
	if (x.len != y.len)
		return x.len < y.len ? -1 : 1;
	return memcmp(x.data, y.data, x.len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int which_delta = data[0] & 1;
	char msg[600];
	rsp_crl_source_opts o;
	rsp_source *s = NULL;
	rsp_crl_source_default_opts(&o);
	o.ca = ca;
	o.crl = "http://fuzz/base.crl";
	o.delta = "http://fuzz/delta.crl";
	o.decode_flags = FLAGS;
	o.fetch = fake_fetch;
	if (rsp_crl_source_new(&s, &o) != OCSPKIT_OK)
		return 0;
	net.base = good_base.d;
	net.base_len = good_base.n;
	net.delta = good_delta.d;
	net.delta_len = good_delta.n;
	rsp_poll_result r = rsp_source_poll(s, NOW, RSP_POLL_FORCE, msg, sizeof(msg));
	ocspkit_crl *base0 = usable(good_base.d, good_base.n, 0), *delta0 = usable(good_delta.d, good_delta.n, 1);
	if (r != RSP_POLL_LOADED || !base0 || !delta0) {
		/* only an allocation failed on purpose keeps the good pair out */
		ORACLE(fuzz_alloc_failing, "the good pair must load: %s", msg);
		goto out;
	}
	uint64_t g0;
	{
		rsp_freshness f;
		rsp_source_freshness(s, &f);
		g0 = f.generation;
	}

	/* the fuzzed one, fetched at the next poll */
	if (which_delta) {
		net.delta = data + 1;
		net.delta_len = size - 1;
	} else {
		net.base = data + 1;
		net.base_len = size - 1;
	}
	r = rsp_source_poll(s, NOW + 1, RSP_POLL_FORCE, msg, sizeof(msg));
	rsp_freshness f;
	rsp_source_freshness(s, &f);
	ocspkit_crl *cand = usable(data + 1, size - 1, which_delta);
	if (!cand && !fuzz_alloc_failing)
		ORACLE(f.generation == g0, "published what does not decode and verify as a %s CRL: %s",
		       which_delta ? "delta" : "complete", msg);
	if (f.generation != g0 && cand)
		ORACLE(number_cmp(cand, which_delta ? delta0 : base0) >= 0, "published an older CRL");
	if (!fuzz_alloc_failing) {
		const ocspkit_crl *full = base0, *delta = delta0;
		if (f.generation != g0) {
			ORACLE(cand != NULL, "published without a candidate");
			if (which_delta) {
				delta = cand;
			} else {
				full = cand;
				/* the delta in use (BaseCRLNumber 5, number 6, no
				 * issuing distribution point) stays only if it still
				 * applies (RFC 5280 5.2.4) */
				ocspkit_bytes fn;
				ocspkit_crl_idp idp;
				if (ocspkit_crl_get_number(&fn, cand) != OCSPKIT_OK ||
				    !(fn.len == 1 && fn.data[0] == 5) ||
				    ocspkit_crl_get_issuing_distribution_point(&idp, cand) == OCSPKIT_OK)
					delta = NULL;
			}
		}
		check_entries(s, full, delta, full);
		if (delta)
			check_entries(s, delta, delta, full);
		check_entries(s, base0, delta, full);
		check_entries(s, delta0, delta, full);
		/* the same bytes again: nothing new */
		uint64_t g1 = f.generation;
		r = rsp_source_poll(s, NOW + 2, RSP_POLL_FORCE, msg, sizeof(msg));
		rsp_source_freshness(s, &f);
		(void)r;
		ORACLE(f.generation == g1 || !cand, "the same bytes published twice");
	}
	ocspkit_crl_free(cand);
out:
	ocspkit_crl_free(base0);
	ocspkit_crl_free(delta0);
	rsp_source_free(s);
	return 0;
}

/* tests/lib/pki.h and tests/lib/check.h bring more than this file uses */
static void unused(void) __attribute__((unused));
static void unused(void)
{
	(void)check_total;
	(void)check_failed;
	(void)pki_key;
}
