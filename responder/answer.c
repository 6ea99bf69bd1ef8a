/* Request bytes to response bytes (answer.h). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"

/* Room for one SingleResponse's extension value. */
typedef struct {
	ocspkit_extension ext;
	uint8_t value[2 + RSP_STATUS_MAX_OID];
} single_ext;

/* GeneralizedTime DER (15 characters). */
static void gentime_der(uint8_t out[17], int64_t t)
{
	char buf[OCSPKIT_TIME_STRING_SIZE];
	ocspkit_time_format(buf, t); /* 2026-11-22T01:57:04Z */
	out[0] = 0x18;
	out[1] = 15;
	uint8_t *d = out + 2;
	for (const char *s = buf; *s; s++)
		if (*s >= '0' && *s <= '9')
			*d++ = (uint8_t)*s;
	*d = 'Z';
}

/* What the data an answer comes from allows of its times (rsp_snapshot's
 * limits; 0: none). */
typedef struct {
	int64_t next_update_cap, this_update_floor;
} time_limits;

static void fill_single(ocspkit_single_response *s, single_ext *x, const ocspkit_cert_id *id,
			const rsp_status *st, int64_t now, int64_t validity, const time_limits *lim)
{
	/* id-ce-holdInstructionCode */
	static const uint8_t hold_oid[] = { 0x55, 0x1D, 0x17 };
	memset(s, 0, sizeof(*s));
	s->cert_id = *id;
	s->status = (ocspkit_cert_status)st->status;
	/* never before the data's own time (a CRL's thisUpdate), never past
	 * its end (its nextUpdate): an answer does not outlive its data, and
	 * without a validity of its own takes the data's; data already past
	 * its end (served stale) gives no nextUpdate */
	s->this_update = lim->this_update_floor > now ? lim->this_update_floor : now;
	if (validity >= 0) {
		s->has_next_update = 1;
		s->next_update = s->this_update + validity;
	}
	if (lim->next_update_cap) {
		if (lim->next_update_cap <= s->this_update)
			s->has_next_update = 0;
		else if (!s->has_next_update || s->next_update > lim->next_update_cap) {
			s->has_next_update = 1;
			s->next_update = lim->next_update_cap;
		}
	}
	if (s->status != OCSPKIT_CERT_REVOKED)
		return;
	s->revocation_time = st->revocation_time;
	s->has_revocation_reason = st->has_reason;
	s->revocation_reason = (ocspkit_crl_reason)st->reason;
	memset(&x->ext, 0, sizeof(x->ext));
	/* as openssl ocsp: the compromise time, else the hold instruction */
	if (st->has_invalidity_date) {
		gentime_der(x->value, st->invalidity_date);
		x->ext.type = OCSPKIT_EXT_INVALIDITY_DATE;
		x->ext.value = (ocspkit_bytes){ x->value, 17 };
	} else if (st->hold_len) {
		x->value[0] = 0x06;
		x->value[1] = (uint8_t)st->hold_len;
		memcpy(x->value + 2, st->hold, st->hold_len);
		x->ext.type = OCSPKIT_EXT_UNKNOWN;
		x->ext.oid = (ocspkit_bytes){ hold_oid, sizeof(hold_oid) };
		x->ext.value = (ocspkit_bytes){ x->value, 2 + st->hold_len };
	} else {
		return;
	}
	s->extensions = &x->ext;
	s->extension_count = 1;
}

static ocspkit_err sign_singles(rsp_blob **out, const rsp_signer *sg, const ocspkit_single_response *singles,
				size_t n, ocspkit_bytes nonce, int64_t now)
{
	ocspkit_response_tbs d;
	uint8_t key_hash[20], nonce_value[OCSPKIT_MAX_NONCE_SIZE + 2];
	ocspkit_extension nonce_ext;
	uint8_t *der;
	size_t len;
	ocspkit_err e;

	*out = NULL;
	memset(&d, 0, sizeof(d));
	if (sg->by_key) {
		ocspkit_cert_get_key_hash(key_hash, sg->cert);
		d.responder_id.type = OCSPKIT_RESPONDER_BY_KEY;
		d.responder_id.value = (ocspkit_bytes){ key_hash, sizeof(key_hash) };
	} else {
		d.responder_id.type = OCSPKIT_RESPONDER_BY_NAME;
		d.responder_id.value = ocspkit_cert_get_subject(sg->cert);
	}
	d.produced_at = now;
	d.responses = singles;
	d.response_count = n;
	if (nonce.len) {
		memset(&nonce_ext, 0, sizeof(nonce_ext));
		nonce_ext.type = OCSPKIT_EXT_NONCE;
		if ((e = ocspkit_ext_nonce_value(nonce_value, sizeof(nonce_value), &nonce_ext.value.len, nonce)))
			return e;
		nonce_ext.value.data = nonce_value;
		d.extensions = &nonce_ext;
		d.extension_count = 1;
	}
	if ((e = ocspkit_response_sign(&der, &len, &d, sg->signer, sg->certs, sg->cert_count)))
		return e;
	rsp_blob *b = rsp_blob_new(der, len);
	ocspkit_free(der);
	if (!b)
		return OCSPKIT_E_NO_MEMORY;
	b->status = OCSPKIT_RESPONSE_SUCCESSFUL;
	b->produced_at = now;
	b->cert_status = singles[0].status;
	for (size_t i = 0; i < n; i++)
		b->any_unknown |= singles[i].status == OCSPKIT_CERT_UNKNOWN;
	rsp_blob_set_times(b, singles[0].this_update, singles[0].has_next_update, singles[0].next_update);
	*out = b;
	return OCSPKIT_OK;
}

/* The cache's fill: one SingleResponse, no nonce. */
typedef struct {
	const rsp_responder *r;
	const rsp_signer *signer;
	const ocspkit_cert_id *id;
	const rsp_status *st;
	int64_t now;
	time_limits lim;
} fill_ctx;

static ocspkit_err fill_one(void *p, rsp_blob **out)
{
	fill_ctx *f = p;
	ocspkit_single_response s;
	single_ext x;
	fill_single(&s, &x, f->id, f->st, f->now, f->r->validity, &f->lim);
	return sign_singles(out, f->signer, &s, 1, (ocspkit_bytes){ NULL, 0 }, f->now);
}

/* The snapshot an answer holds: the CertIDs of one request whose CAs
 * share a source are answered from one snapshot of it. */
typedef struct {
	rsp_source *source;
	rsp_snapshot *snap;
} held_snapshot;

/* What ca's source says of the serial of CertID i (0-based) into *st and
 * the limits its data puts on the times into *lim: 0, or -1 with *a
 * tryLater (the source has no data yet, its data is past the time it may
 * be answered from, or could not be read: the responder does not guess). */
static int status_from(rsp_answer *a, held_snapshot *h, const rsp_ca *ca, size_t i, ocspkit_bytes serial,
		       int64_t now, rsp_status *st, time_limits *lim)
{
	if (!h->snap || h->source != ca->source) {
		rsp_snapshot_release(h->snap);
		h->source = ca->source;
		h->snap = rsp_ca_acquire(ca);
	}
	if (!h->snap) {
		rsp_answer_fail(a, OCSPKIT_RESPONSE_TRY_LATER, OCSPKIT_OK, "request %zu: no revocation data for its CA yet",
			   i + 1);
		return -1;
	}
	if (h->snap->serve_until && now >= h->snap->serve_until) {
		rsp_answer_fail(a, OCSPKIT_RESPONSE_TRY_LATER, OCSPKIT_OK,
				"request %zu: the revocation data of its CA is stale (past its nextUpdate and the grace)",
				i + 1);
		return -1;
	}
	lim->next_update_cap = h->snap->next_update_cap;
	lim->this_update_floor = h->snap->this_update_floor;
	ocspkit_err e = rsp_ca_lookup(ca, h->snap, serial, st);
	if (e != OCSPKIT_OK) {
		rsp_answer_fail(a, OCSPKIT_RESPONSE_TRY_LATER, OCSPKIT_OK, "request %zu: the revocation source: %s", i + 1,
			   ocspkit_strerror_name(e));
		return -1;
	}
	return 0;
}

ocspkit_err rsp_answer_request(rsp_answer *a, const rsp_responder *r, const uint8_t *der, size_t len,
				int64_t now, unsigned flags)
{
	int no_wait = (flags & RSP_ANSWER_NO_WAIT) != 0;
	ocspkit_request *req = NULL;
	ocspkit_single_response *singles = NULL;
	single_ext *exts = NULL;
	held_snapshot held = { NULL, NULL };
	const rsp_ca **cas = NULL;
	ocspkit_err e, ret;

	if (!rsp_answer_begin(a, &req, &ret, der, len))
		return ret;
	size_t n = a->count;

	/* a signed request must verify with the certificate it carries */
	ocspkit_signature_block rsig;
	if (ocspkit_request_get_signature(&rsig, req) == OCSPKIT_OK) {
		if (no_wait) {
			ret = rsp_answer_defer(a, RSP_PENDING_SIGN);
			goto out;
		}
		if ((e = ocspkit_request_verify(req, NULL)) != OCSPKIT_OK) {
			ret = rsp_answer_fail(a, e == OCSPKIT_E_NO_MEMORY ? OCSPKIT_RESPONSE_INTERNAL_ERROR
								     : OCSPKIT_RESPONSE_UNAUTHORIZED,
					 e == OCSPKIT_E_NO_MEMORY ? e : OCSPKIT_OK, "request signature: %s (%s)",
					 ocspkit_strerror_name(e), ocspkit_strerror(e));
			goto out;
		}
	}

	ocspkit_bytes nonce = { NULL, 0 };
	if (a->nonce && ocspkit_request_get_nonce(&nonce, req) != OCSPKIT_OK)
		nonce = (ocspkit_bytes){ NULL, 0 };

	if (!(cas = calloc(n, sizeof(*cas)))) {
		ret = rsp_answer_fail(a, OCSPKIT_RESPONSE_INTERNAL_ERROR, OCSPKIT_E_NO_MEMORY, "out of memory");
		goto out;
	}
	/* every CertID must name a served CA, all with the same signer */
	for (size_t i = 0; i < n; i++) {
		const ocspkit_cert_id *id = &ocspkit_request_get_single(req, i)->cert_id;
		if (!(cas[i] = rsp_ca_find(r->cas, r->n_cas, id))) {
			ret = rsp_answer_fail(a, OCSPKIT_RESPONSE_UNAUTHORIZED, OCSPKIT_OK,
					 "request %zu is about a CA this responder does not serve", i + 1);
			goto out;
		}
		if (cas[i]->signer != cas[0]->signer) {
			ret = rsp_answer_fail(a, OCSPKIT_RESPONSE_UNAUTHORIZED, OCSPKIT_OK,
					 "request %zu is about a CA with another signer than request 1", i + 1);
			goto out;
		}
	}

	rsp_status st;
	time_limits lim;
	rsp_blob *b = NULL;
	if (no_wait && (n != 1 || a->nonce || !r->cache)) {
		ret = rsp_answer_defer(a, RSP_PENDING_SIGN);
		goto out;
	}
	if (n == 1 && !a->nonce && r->cache) {
		const ocspkit_cert_id *id = &ocspkit_request_get_single(req, 0)->cert_id;
		if (status_from(a, &held, cas[0], 0, id->serial, now, &st, &lim) != 0)
			goto out;
		/* the status is the tag: the snapshot need not be held while signing */
		rsp_snapshot_release(held.snap);
		held.snap = NULL;
		uint8_t key[RSP_CACHE_MAX_KEY];
		size_t key_len = rsp_cache_key(key, (size_t)(cas[0] - r->cas), id);
		fill_ctx f = { r, cas[0]->signer, id, &st, now, lim };
		rsp_cache_outcome how;
		e = rsp_cache_get(r->cache, key, key_len, (const uint8_t *)&st, sizeof(st), now,
				   no_wait ? RSP_CACHE_NO_WAIT : 0, fill_one, &f, &b, &how);
		if (e == OCSPKIT_OK && how == RSP_CACHE_WOULD_BLOCK) {
			ret = rsp_answer_defer(a, RSP_PENDING_SIGN);
			goto out;
		}
		a->origin = how == RSP_CACHE_SIGNED ? RSP_ORIGIN_SIGNED : RSP_ORIGIN_CACHE;
		a->refresh_due = how == RSP_CACHE_HIT_DUE;
	} else {
		if (!(singles = calloc(n, sizeof(*singles))) || !(exts = calloc(n, sizeof(*exts)))) {
			ret = rsp_answer_fail(a, OCSPKIT_RESPONSE_INTERNAL_ERROR, OCSPKIT_E_NO_MEMORY, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			const ocspkit_cert_id *id = &ocspkit_request_get_single(req, i)->cert_id;
			if (status_from(a, &held, cas[i], i, id->serial, now, &st, &lim) != 0)
				goto out;
			fill_single(&singles[i], &exts[i], id, &st, now, r->validity, &lim);
		}
		e = sign_singles(&b, cas[0]->signer, singles, n, nonce, now);
		a->origin = RSP_ORIGIN_SIGNED;
	}
	if (e != OCSPKIT_OK) {
		/* a signer may fail for a while (an HSM unreachable): the
		 * client asks again later; out of memory is ours */
		ret = rsp_answer_fail(a, e == OCSPKIT_E_NO_MEMORY ? OCSPKIT_RESPONSE_INTERNAL_ERROR
							     : OCSPKIT_RESPONSE_TRY_LATER,
				 e, "signing: %s (%s)", ocspkit_strerror_name(e), ocspkit_strerror(e));
		goto out;
	}
	rsp_answer_give(a, b, a->origin);
	a->cacheable = !a->nonce;
out:
	rsp_snapshot_release(held.snap);
	free(cas);
	free(singles);
	free(exts);
	ocspkit_request_free(req);
	return ret;
}

void rsp_responder_poll(const rsp_responder *r, int64_t now, unsigned flags)
{
	char msg[512];
	for (size_t i = 0; i < r->n_cas; i++) {
		rsp_source *src = r->cas[i].source;
		int seen = 0;
		for (size_t k = 0; k < i && !seen; k++)
			seen = r->cas[k].source == src;
		if (src && !seen)
			(void)rsp_source_poll(src, now, flags, msg, sizeof(msg));
	}
}

static ocspkit_err answer_op(void *self, rsp_answer *a, const uint8_t *der, size_t len, int64_t now,
			     unsigned flags)
{
	return rsp_answer_request(a, self, der, len, now, flags);
}

static void poll_op(void *self, int64_t now, int forced)
{
	rsp_responder_poll(self, now, forced ? RSP_POLL_FORCE : 0);
}

static void stats_op(void *self, char *out, size_t cap)
{
	const rsp_responder *r = self;
	rsp_cache_stats cs;
	if (!r->cache) {
		snprintf(out, cap, "%s", "");
		return;
	}
	rsp_cache_get_stats(r->cache, &cs);
	snprintf(out, cap, ", cache: %zu entries, %lu hits, %lu signed", cs.entries, cs.hits, cs.fills);
}

static const rsp_answerer_ops responder_ops = {
	.name = "responder",
	.answer = answer_op,
	.poll = poll_op,
	.stats = stats_op,
	.pools = RSP_POOL_SIGNING,
};

rsp_answerer rsp_responder_answerer(rsp_responder *r)
{
	return (rsp_answerer){ &responder_ops, r };
}

ocspkit_err rsp_answer_make_request(uint8_t **der, size_t *len, const rsp_ca *ca, ocspkit_hash hash,
				     int null_params, ocspkit_bytes serial)
{
	ocspkit_cert_id_value v;
	ocspkit_single_request q;
	ocspkit_request_tbs tbs;
	ocspkit_err e = ocspkit_cert_id_compute(&v, hash, ca->cert, serial);
	if (e)
		return e;
	memset(&q, 0, sizeof(q));
	memset(&tbs, 0, sizeof(tbs));
	q.cert_id = ocspkit_cert_id_value_view(&v);
	if (!null_params)
		q.cert_id.hash_algorithm.params = (ocspkit_bytes){ NULL, 0 };
	tbs.requests = &q;
	tbs.request_count = 1;
	return ocspkit_request_encode(der, len, &tbs, NULL);
}
