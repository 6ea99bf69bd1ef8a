/* Response validation (ocspkit_response_validate) against a fixed issuer
 * and trust set: the PKI and deterministic Ed25519 keys of
 * staple_fixture.h, so that the seeds carry real signatures and mutations
 * reach every check behind the signature.
 *
 * Input: a 3-octet header, then the DER of a response.
 *   [0] the clock: STAPLE_FX_NOW plus this many hours (signed octet)
 *   [1] bit 0: the nonce STAPLE_FX_NONCE was sent; bit 1: the responder
 *       certificate is trusted directly; bit 2: tolerant decoding; bit 3:
 *       no clock skew (else 300 s); bit 4: a maximum age of 12 hours
 *   [2] bits 0-1: how many targets (0-3); then two bits per target: the
 *       leaf certificate, the leaf's serial, the leaf's SHA-1 CertID, or
 *       a serial the CA never issued
 *
 * Oracles:
 *  - a cache of verified responders changes nothing but the cost: without
 *    a cache, with an empty one and with the entry the first call left,
 *    the verdicts, signers and answers are the same, and the third call
 *    is a hit whenever the signer is delegated;
 *  - an accepted response is one whose signature verifies, independently,
 *    with the signer's key; the signer is the CA, the trusted responder
 *    (only when trusted), or an embedded certificate the CA's key signed,
 *    and a responder other than the CA was valid at producedAt;
 *    the nonce sent is the one echoed;
 *  - every target of an accepted response is answered by a SingleResponse
 *    with the target's CertID (computed here), current at the clock;
 *  - a refusal names a check that some target carries.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "staple_fixture.h"

#define HEADER 3
#define MAX_TARGETS 3
#define SKEW 300
#define MAX_AGE (12 * STAPLE_FX_HOUR)

static staple_fx fx;
static ocspkit_pubkey *ca_pub;
static int ready;
static const uint8_t never_issued[2] = { 0x10, 0x02 };

static void cleanup(void)
{
	ocspkit_pubkey_free(ca_pub);
	staple_fx_free(&fx);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	if (staple_fx_load(&fx) || ocspkit_pubkey_from_cert(&ca_pub, fx.ca)) {
		fprintf(stderr, "validate_fuzzer: the fixture does not load\n");
		abort();
	}
	ready = 1;
	atexit(cleanup);
	return 0;
}

typedef struct {
	ocspkit_validate_target t[MAX_TARGETS];
	ocspkit_cert_id_value id_value[MAX_TARGETS];
	ocspkit_cert_id id[MAX_TARGETS];
	unsigned kind[MAX_TARGETS];
	size_t n;
} targets;

static int targets_init(targets *ts, uint8_t spec)
{
	memset(ts, 0, sizeof(*ts));
	ts->n = spec & 3;
	for (size_t i = 0; i < ts->n; i++) {
		ts->kind[i] = (spec >> (2 + 2 * i)) & 3;
		switch (ts->kind[i]) {
		case 0:
			ts->t[i].cert = fx.leaf;
			break;
		case 1:
			ts->t[i].serial = ocspkit_cert_get_serial(fx.leaf);
			break;
		case 2:
			if (CALL(ocspkit_cert_id_for_cert(&ts->id_value[i], OCSPKIT_HASH_SHA1, fx.ca, fx.leaf)))
				return -1;
			ts->id[i] = ocspkit_cert_id_value_view(&ts->id_value[i]);
			ts->t[i].cert_id = &ts->id[i];
			break;
		default:
			ts->t[i].serial = (ocspkit_bytes){ never_issued, sizeof(never_issued) };
			break;
		}
	}
	return 0;
}

/* The CertID target i stands for, in the hash the answer uses. */
static int target_cert_id(ocspkit_cert_id_value *out, const targets *ts, size_t i, ocspkit_hash hash)
{
	if (ts->t[i].cert_id) {
		*out = ts->id_value[i];
		return 0;
	}
	ocspkit_bytes serial = ts->t[i].cert ? ocspkit_cert_get_serial(ts->t[i].cert) : ts->t[i].serial;
	return CALL(ocspkit_cert_id_compute(out, hash, fx.ca, serial)) == OCSPKIT_OK ? 0 : -1;
}

typedef struct {
	ocspkit_err err;
	ocspkit_validate_result r;
	ocspkit_target_result t[MAX_TARGETS];
} verdict;

/* Validates resp with p into *v: the result, its targets copied (they
 * are the library's until ocspkit_validate_result_clear). */
static void run(verdict *v, const ocspkit_response *resp, const ocspkit_validate_params *p)
{
	ocspkit_validate_result r;
	memset(v, 0, sizeof(*v));
	v->err = CALL(ocspkit_response_validate(&r, resp, p));
	fuzz_trace_mix(&v->err, sizeof(v->err));
	ORACLE(r.target_count == p->target_count || (v->err == OCSPKIT_E_NO_MEMORY && r.target_count == 0),
	       "%zu target results for %zu targets (%s)", r.target_count, p->target_count,
	       ocspkit_strerror_name(v->err));
	v->r = r;
	v->r.targets = v->t;
	for (size_t i = 0; i < r.target_count && i < MAX_TARGETS; i++)
		v->t[i] = r.targets[i];
	ocspkit_validate_result_clear(&r);
}

static void same_verdict(const verdict *a, const verdict *b, size_t n, const char *what)
{
	ORACLE(a->err == b->err, "%s: %s, then %s", what, ocspkit_strerror_name(a->err), ocspkit_strerror_name(b->err));
	ORACLE(a->r.signer == b->r.signer && a->r.nocheck == b->r.nocheck, "%s: another signer", what);
	SAME(what, a->r.signer_cert.data, a->r.signer_cert.len, b->r.signer_cert.data, b->r.signer_cert.len);
	for (size_t i = 0; i < n; i++)
		ORACLE(a->t[i].error == b->t[i].error && a->t[i].single == b->t[i].single, "%s: target %zu differs",
		       what, i);
}

/* The signer of an accepted response, judged without ocspkit_response_validate. */
static void check_signer(const ocspkit_response *resp, const verdict *v, int trusted)
{
	ocspkit_signature_block sig;
	ocspkit_response_tbs d;
	ocspkit_bytes tbs;
	ocspkit_bytes signer = v->r.signer_cert;
	ocspkit_cert *cert = NULL;
	ocspkit_pubkey *key = NULL;

	if (ocspkit_response_get_tbs_der(&tbs, resp) != OCSPKIT_OK || ocspkit_response_get_signature(&sig, resp) != OCSPKIT_OK ||
	    ocspkit_response_get_tbs(&d, resp) != OCSPKIT_OK) {
		ORACLE(0, "accepted a response without a body");
		return;
	}
	switch (v->r.signer) {
	case OCSPKIT_SIGNER_CA:
		SAME("the CA signer", ocspkit_cert_get_der(fx.ca).data, ocspkit_cert_get_der(fx.ca).len, signer.data,
		     signer.len);
		break;
	case OCSPKIT_SIGNER_TRUSTED:
		ORACLE(trusted, "a trusted signer, yet none was trusted");
		SAME("the trusted signer", ocspkit_cert_get_der(fx.responder).data, ocspkit_cert_get_der(fx.responder).len,
		     signer.data, signer.len);
		break;
	case OCSPKIT_SIGNER_DELEGATED: {
		int embedded = 0;
		for (size_t i = 0; i < sig.cert_count; i++)
			embedded |= sig.certs[i].len == signer.len && memcmp(sig.certs[i].data, signer.data, signer.len) == 0;
		ORACLE(embedded, "the delegated signer is not among the embedded certificates");
		break;
	}
	default:
		ORACLE(0, "accepted without a signer");
		return;
	}
	if (CALL(ocspkit_cert_decode(&cert, signer.data, signer.len, FUZZ_ALL_FLAGS, NULL)) != OCSPKIT_OK)
		goto out;
	if (v->r.signer != OCSPKIT_SIGNER_CA) {
		/* delegated or trusted, a responder speaks only within its validity */
		ORACLE(d.produced_at >= ocspkit_cert_get_not_before(cert) && d.produced_at <= ocspkit_cert_get_not_after(cert),
		       "accepted a response produced outside its signer's validity");
	}
	if (v->r.signer == OCSPKIT_SIGNER_DELEGATED) {
		ocspkit_err e = CALL(ocspkit_cert_verify(cert, ca_pub));
		ORACLE(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY, "the CA did not sign the delegated signer: %s",
		       ocspkit_strerror_name(e));
	}
	if (CALL(ocspkit_pubkey_from_cert(&key, cert)) != OCSPKIT_OK)
		goto out;
	ocspkit_err e = CALL(ocspkit_verify_signature(key, &sig.algorithm, tbs.data, tbs.len, sig.signature));
	ORACLE(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY, "the signature does not verify: %s",
	       ocspkit_strerror_name(e));
out:
	ocspkit_pubkey_free(key);
	ocspkit_cert_free(cert);
}

static void check_accepted(const ocspkit_response *resp, const verdict *v, const targets *ts,
			   const ocspkit_validate_params *p, int trusted)
{
	check_signer(resp, v, trusted);
	if (p->nonce.len) {
		ocspkit_bytes got = { NULL, 0 };
		if (CALL(ocspkit_response_get_nonce(&got, resp)) == OCSPKIT_OK)
			SAME("the echoed nonce", p->nonce.data, p->nonce.len, got.data, got.len);
	}
	for (size_t i = 0; i < ts->n; i++) {
		const ocspkit_single_response *s = v->t[i].single;
		ocspkit_cert_id_value want;
		ORACLE(v->t[i].error == OCSPKIT_OK && s, "accepted, yet target %zu: %s", i,
		       ocspkit_strerror_name(v->t[i].error));
		if (!s || target_cert_id(&want, ts, i, s->cert_id.hash))
			continue;
		ocspkit_cert_id want_id = ocspkit_cert_id_value_view(&want);
		ORACLE(ocspkit_cert_id_equal(&want_id, &s->cert_id), "target %zu answered by another CertID", i);
		ORACLE(s->this_update <= p->now + p->skew, "target %zu: thisUpdate ahead of the clock", i);
		ORACLE(!s->has_next_update || s->next_update >= p->now - p->skew, "target %zu: past nextUpdate", i);
		ORACLE(p->max_age <= 0 || s->has_next_update || s->this_update >= p->now - p->max_age - p->skew,
		       "target %zu: older than the maximum age", i);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < HEADER)
		return 0;
	if (!ready)
		LLVMFuzzerInitialize(NULL, NULL);
	unsigned flags = data[1];
	targets ts;
	if (targets_init(&ts, data[2]))
		return 0;

	const ocspkit_cert *trusted[1] = { fx.responder };
	ocspkit_validate_params p;
	memset(&p, 0, sizeof(p));
	p.issuer = fx.ca;
	p.now = STAPLE_FX_NOW + (int64_t)(int8_t)data[0] * STAPLE_FX_HOUR;
	p.skew = flags & 8 ? 0 : SKEW;
	p.max_age = flags & 16 ? MAX_AGE : 0;
	p.targets = ts.t;
	p.target_count = ts.n;
	if (flags & 1)
		p.nonce = (ocspkit_bytes){ (const uint8_t *)STAPLE_FX_NONCE, STAPLE_FX_NONCE_LEN };
	if (flags & 2) {
		p.trusted = trusted;
		p.trusted_count = 1;
	}
	if (flags & 4)
		p.flags = FUZZ_ALL_FLAGS;

	ocspkit_response *resp = NULL;
	ocspkit_responder_cache *cache = NULL;
	if (CALL(ocspkit_response_decode(&resp, data + HEADER, size - HEADER, p.flags, NULL)) != OCSPKIT_OK)
		return 0;
	if (CALL(ocspkit_responder_cache_new(&cache, 2)) != OCSPKIT_OK)
		goto out;

	verdict plain, first, again;
	run(&plain, resp, &p);
	p.cache = cache;
	run(&first, resp, &p);
	run(&again, resp, &p);
	if (fuzz_nomem)
		goto out; /* a failed allocation makes the verdicts differ by design */
	same_verdict(&plain, &first, ts.n, "with an empty cache");
	same_verdict(&plain, &again, ts.n, "with the cache filled");
	ORACLE(!plain.r.cache_hit && !first.r.cache_hit, "a hit without a cache, or in an empty one");
	/* (a cache entry that could not be stored is not an error) */
	if (plain.err == OCSPKIT_OK && plain.r.signer == OCSPKIT_SIGNER_DELEGATED && !fuzz_alloc_failing)
		ORACLE(again.r.cache_hit, "the verified responder was not cached");

	if (plain.err == OCSPKIT_OK) {
		check_accepted(resp, &plain, &ts, &p, (flags & 2) != 0);
	} else if (ts.n) {
		int named = 0;
		for (size_t i = 0; i < ts.n; i++)
			named |= plain.t[i].error == plain.err;
		ORACLE(named, "refused with %s, which no target carries", ocspkit_strerror_name(plain.err));
	}
out:
	ocspkit_responder_cache_free(cache);
	ocspkit_response_free(resp);
	return 0;
}
