/* A served CA and its index snapshots (store.h). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static void remember(rsp_ca *ca, const struct stat *st)
{
	ca->have_stat = 1;
	ca->dev = st->st_dev;
	ca->ino = st->st_ino;
	ca->size = st->st_size;
	ca->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	ca->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

static int changed(const rsp_ca *ca, const struct stat *st)
{
	return !ca->have_stat || ca->dev != st->st_dev || ca->ino != st->st_ino || ca->size != st->st_size ||
	       ca->mtime_ns != (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec ||
	       ca->ctime_ns != (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

int rsp_ca_load(rsp_ca *ca, char *msg, size_t cap)
{
	struct stat st;
	uint8_t *data = NULL;
	size_t len = 0;
	int fd = open(ca->index_path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(msg, cap, "%s: %s", ca->index_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* what was read is what is remembered, even if the name moves on */
	remember(ca, &st);
	if (S_ISDIR(st.st_mode)) { /* said as every command says it */
		snprintf(msg, cap, "%s: %s", ca->index_path, strerror(EISDIR));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > RSP_INDEX_MAX_SIZE) {
		snprintf(msg, cap, "%s: not a regular file of at most %u bytes", ca->index_path, RSP_INDEX_MAX_SIZE);
		close(fd);
		return -1;
	}
	size_t want = (size_t)st.st_size;
	if (!(data = malloc(want + 1))) {
		snprintf(msg, cap, "%s: out of memory", ca->index_path);
		close(fd);
		return -1;
	}
	/* a file that grows while being read is read up to its size at fstat:
	 * the writer's next change brings another reload */
	while (len < want) {
		ssize_t k = read(fd, data + len, want - len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			snprintf(msg, cap, "%s: %s", ca->index_path, strerror(errno));
			free(data);
			close(fd);
			return -1;
		}
		if (k == 0)
			break;
		len += (size_t)k;
	}
	close(fd);
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
	rsp_ca_set_index(ca, idx);
	snprintf(msg, cap, "%s: %zu entries (%zu valid, %zu revoked, %zu expired)", ca->index_path,
		 rsp_index_count(idx), rsp_index_count_type(idx, 'V'), rsp_index_count_type(idx, 'R'),
		 rsp_index_count_type(idx, 'E'));
	return 0;
}

int rsp_ca_poll(rsp_ca *ca, char *msg, size_t cap)
{
	struct stat st;
	if (!ca->index_path)
		return 0;
	if (stat(ca->index_path, &st) != 0) {
		/* a writer between unlink and rename: wait for the new file,
		 * and say so once */
		if (ca->have_stat && ca->ino != 0) {
			ca->ino = 0;
			snprintf(msg, cap, "%s: %s; keeping the index in memory", ca->index_path, strerror(errno));
			return -1;
		}
		return 0;
	}
	if (!changed(ca, &st))
		return 0;
	return rsp_ca_load(ca, msg, cap) == 0 ? 1 : -1;
}
