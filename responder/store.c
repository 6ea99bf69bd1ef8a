/* A served CA and its index snapshots (store.h). */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/util.h"
#include "store.h"

static const ocspkit_hash ca_hashes[RSP_CA_HASHES] = {
	OCSPKIT_HASH_SHA1, OCSPKIT_HASH_SHA224, OCSPKIT_HASH_SHA256, OCSPKIT_HASH_SHA384, OCSPKIT_HASH_SHA512,
};

ocspkit_err rsp_ca_init(rsp_ca *ca, const ocspkit_cert *cert, const rsp_signer *signer, const char *index_path)
{
	static const uint8_t one = 1;
	memset(ca, 0, sizeof(*ca));
	ca->cert = cert;
	ca->signer = signer;
	ca->policy.settle_ms = RSP_DEFAULT_SETTLE_MS;
	pthread_mutex_init(&ca->lock, NULL);
	for (size_t i = 0; i < RSP_CA_HASHES; i++) {
		ocspkit_cert_id_value v;
		/* the serial plays no part in the issuer hashes */
		ocspkit_err e = ocspkit_cert_id_compute(&v, ca_hashes[i], cert, (ocspkit_bytes){ &one, 1 });
		if (e != OCSPKIT_OK)
			return e;
		ca->ids[i].hash = ca_hashes[i];
		ca->ids[i].len = v.hash_len;
		memcpy(ca->ids[i].name, v.issuer_name_hash, v.hash_len);
		memcpy(ca->ids[i].key, v.issuer_key_hash, v.hash_len);
	}
	if (index_path && !(ca->index_path = strdup(index_path)))
		return OCSPKIT_E_NO_MEMORY;
	return OCSPKIT_OK;
}

void rsp_ca_clear(rsp_ca *ca)
{
	if (!ca->cert)
		return;
	rsp_snapshot_release(ca->current);
	pthread_mutex_destroy(&ca->lock);
	free(ca->index_path);
	memset(ca, 0, sizeof(*ca));
}

static int is_null_or_absent(ocspkit_bytes params)
{
	return params.len == 0 || (params.len == 2 && params.data[0] == 0x05 && params.data[1] == 0x00);
}

int rsp_ca_matches(const rsp_ca *ca, const ocspkit_cert_id *id)
{
	if (!is_null_or_absent(id->hash_algorithm.params))
		return 0;
	for (size_t i = 0; i < RSP_CA_HASHES; i++) {
		if (ca->ids[i].hash != id->hash)
			continue;
		size_t n = ca->ids[i].len;
		return id->issuer_name_hash.len == n && id->issuer_key_hash.len == n &&
		       memcmp(id->issuer_name_hash.data, ca->ids[i].name, n) == 0 &&
		       memcmp(id->issuer_key_hash.data, ca->ids[i].key, n) == 0;
	}
	return 0;
}

rsp_snapshot *rsp_ca_acquire(rsp_ca *ca)
{
	pthread_mutex_lock(&ca->lock);
	rsp_snapshot *s = ca->current;
	if (s)
		__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&ca->lock);
	return s;
}

void rsp_snapshot_release(rsp_snapshot *s)
{
	if (s && __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		rsp_index_free(s->index);
		free(s);
	}
}

void rsp_ca_set_index(rsp_ca *ca, rsp_index *idx)
{
	rsp_snapshot *s = calloc(1, sizeof(*s)), *old;
	if (!s) {
		/* keep serving the old index rather than none */
		rsp_index_free(idx);
		return;
	}
	s->refs = 1;
	s->index = idx;
	pthread_mutex_lock(&ca->lock);
	s->generation = ++ca->generation;
	old = ca->current;
	ca->current = s;
	pthread_mutex_unlock(&ca->lock);
	rsp_snapshot_release(old);
}

/* Revoked entries of old that new lacks: how many, and the first. */
static size_t revoked_gone(const rsp_index *old, const rsp_index *new, const rsp_index_entry **first)
{
	size_t gone = 0;
	*first = NULL;
	for (size_t i = 0, n = rsp_index_count(old); i < n; i++) {
		const rsp_index_entry *e = rsp_index_get(old, i);
		if (e->type != 'R' || rsp_index_find(new, e->serial))
			continue;
		if (!gone++)
			*first = e;
	}
	return gone;
}

int rsp_ca_load(rsp_ca *ca, char *msg, size_t cap)
{
	uint8_t *data = NULL;
	size_t len = 0;
	rsp_file_id id;
	int id_valid;

	rsp_read_result rr = rsp_read_stable(ca->index_path, RSP_INDEX_MAX_SIZE, ca->policy.settle_ms, &data, &len,
					     &id, &id_valid, msg, cap);
	/* what was read is what is remembered, even if the name moves on:
	 * a refused file is read again when it changes */
	if (id_valid) {
		ca->have_stat = 1;
		ca->seen = id;
	}
	if (rr != RSP_READ_OK)
		return (int)rr;
	if (len && data[len - 1] != '\n') {
		free(data);
		snprintf(msg, cap, "%s: the last line does not end with a newline (still being written?)", ca->index_path);
		return RSP_READ_MOVING;
	}
	rsp_index *idx;
	rsp_index_error err;
	ocspkit_err e = rsp_index_parse(&idx, data, len, &err);
	free(data);
	if (e != OCSPKIT_OK) {
		if (e == OCSPKIT_E_NO_MEMORY)
			snprintf(msg, cap, "%s: out of memory", ca->index_path);
		else if (err.line)
			snprintf(msg, cap, "%s:%zu: %s", ca->index_path, err.line, err.msg);
		else
			snprintf(msg, cap, "%s: %s", ca->index_path, err.msg);
		return -1;
	}

	/* against the index in use: a file that lost entries is more likely
	 * half-written than pruned */
	rsp_snapshot *cur = rsp_ca_acquire(ca);
	size_t old_n = cur ? rsp_index_count(cur->index) : 0, new_n = rsp_index_count(idx), gone = 0;
	const rsp_index_entry *first = NULL;
	char serial[44] = "";
	if (cur)
		gone = revoked_gone(cur->index, idx, &first);
	if (first)
		util_serial_hex(serial, sizeof(serial), first->serial);
	rsp_snapshot_release(cur);
	if (old_n && !new_n) {
		snprintf(msg, cap, "%s: empty, while the index in use has %zu entries (being rewritten?)", ca->index_path,
			 old_n);
		rsp_index_free(idx);
		return -1;
	}
	if (new_n < old_n - old_n / 2 && !ca->policy.allow_shrink) {
		snprintf(msg, cap,
			 "%s: %zu entries, less than half of the %zu in use (%zu revoked ones gone); start with "
			 "--allow-shrink to accept that",
			 ca->index_path, new_n, old_n, gone);
		rsp_index_free(idx);
		return -1;
	}
	rsp_ca_set_index(ca, idx);
	int n = snprintf(msg, cap, "%s: %zu entries (%zu valid, %zu revoked, %zu expired)", ca->index_path,
			 rsp_index_count(idx), rsp_index_count_type(idx, 'V'), rsp_index_count_type(idx, 'R'),
			 rsp_index_count_type(idx, 'E'));
	if (gone && n > 0 && (size_t)n < cap)
		snprintf(msg + n, cap - (size_t)n, "; %zu revoked entr%s of the previous index %s gone (serial %s%s)",
			 gone, gone == 1 ? "y" : "ies", gone == 1 ? "is" : "are", serial, gone > 1 ? ", ..." : "");
	return 0;
}

int rsp_ca_poll(rsp_ca *ca, char *msg, size_t cap)
{
	struct stat st;
	rsp_file_id now;
	if (!ca->index_path)
		return 0;
	if (stat(ca->index_path, &st) != 0) {
		/* a writer between unlink and rename: wait for the new file,
		 * and say so once */
		if (!ca->missing) {
			ca->missing = 1;
			snprintf(msg, cap, "%s: %s; keeping the index in memory", ca->index_path, strerror(errno));
			return -1;
		}
		return 0;
	}
	ca->missing = 0;
	rsp_file_id_of(&now, &st);
	if (ca->have_stat && rsp_file_id_equal(&ca->seen, &now))
		return 0;
	int rc = rsp_ca_load(ca, msg, cap);
	return rc == 0 ? 1 : rc;
}
