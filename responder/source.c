/* What every revocation source shares: snapshots, their publication and
 * freshness (source.h). */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "source.h"

void rsp_source_init(rsp_source *src, const rsp_source_ops *ops)
{
	memset(src, 0, sizeof(*src));
	src->ops = ops;
	pthread_mutex_init(&src->lock, NULL);
}

void rsp_source_clear(rsp_source *src)
{
	rsp_snapshot_release(src->current);
	src->current = NULL;
	pthread_mutex_destroy(&src->lock);
}

void rsp_source_free(rsp_source *src)
{
	if (src)
		src->ops->destroy(src);
}

void rsp_snapshot_init(rsp_snapshot *snap, const rsp_source_ops *ops, size_t entries, int64_t data_time)
{
	memset(snap, 0, sizeof(*snap));
	snap->ops = ops;
	snap->refs = 1;
	snap->entries = entries;
	snap->data_time = data_time;
}

rsp_snapshot *rsp_source_acquire(rsp_source *src)
{
	pthread_mutex_lock(&src->lock);
	rsp_snapshot *s = src->current;
	if (s)
		__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&src->lock);
	return s;
}

void rsp_snapshot_release(rsp_snapshot *snap)
{
	if (snap && __atomic_sub_fetch(&snap->refs, 1, __ATOMIC_ACQ_REL) == 0)
		snap->ops->free_snapshot(snap);
}

ocspkit_err rsp_snapshot_lookup(const rsp_snapshot *snap, const rsp_lookup *q, rsp_status *out)
{
	/* byte for byte comparable (the cache's tag), padding included */
	memset(out, 0, sizeof(*out));
	out->status = OCSPKIT_CERT_UNKNOWN;
	return snap->ops->lookup(snap, q, out);
}

int rsp_snapshot_each(const rsp_snapshot *snap, rsp_each_fn fn, void *ctx)
{
	return snap->ops->each ? snap->ops->each(snap, fn, ctx) : -1;
}

static void tell(rsp_source *src, rsp_source_event ev, uint64_t generation, const char *msg)
{
	for (rsp_source_watcher *w = src->watchers; w; w = w->next)
		w->fn(w, src, ev, generation, msg ? msg : "");
}

void rsp_source_publish(rsp_source *src, rsp_snapshot *snap, int64_t now, const char *msg)
{
	pthread_mutex_lock(&src->lock);
	rsp_snapshot *old = src->current;
	snap->generation = ++src->generation;
	snap->loaded_at = now;
	src->current = snap;
	int64_t checked = src->fresh.checked_at;
	memset(&src->fresh, 0, sizeof(src->fresh));
	src->fresh.generation = snap->generation;
	src->fresh.loaded_at = now;
	src->fresh.data_time = snap->data_time;
	src->fresh.entries = snap->entries;
	src->fresh.valid_until = snap->next_update_cap;
	src->fresh.checked_at = checked;
	uint64_t generation = snap->generation;
	pthread_mutex_unlock(&src->lock);
	/* readers that hold the old one keep it until they release it */
	rsp_snapshot_release(old);
	tell(src, RSP_SOURCE_LOADED, generation, msg);
}

void rsp_source_refuse(rsp_source *src, int64_t now, const char *msg)
{
	pthread_mutex_lock(&src->lock);
	src->fresh.refused_at = now;
	src->fresh.refusals++;
	snprintf(src->fresh.error, sizeof(src->fresh.error), "%s", msg ? msg : "");
	uint64_t generation = src->generation;
	pthread_mutex_unlock(&src->lock);
	tell(src, RSP_SOURCE_REFUSED, generation, msg);
}

int rsp_source_stale(rsp_source *src, int64_t now, const char *msg)
{
	pthread_mutex_lock(&src->lock);
	int first = src->current && !src->fresh.stale_since;
	if (first)
		src->fresh.stale_since = now;
	uint64_t generation = src->generation;
	pthread_mutex_unlock(&src->lock);
	if (first)
		tell(src, RSP_SOURCE_STALE, generation, msg);
	return first;
}

rsp_poll_result rsp_source_poll(rsp_source *src, int64_t now, unsigned flags, char *msg, size_t cap)
{
	if (cap)
		msg[0] = 0;
	pthread_mutex_lock(&src->lock);
	src->fresh.checked_at = now;
	pthread_mutex_unlock(&src->lock);
	return src->ops->poll(src, now, flags, msg, cap);
}

void rsp_source_freshness(rsp_source *src, rsp_freshness *out)
{
	pthread_mutex_lock(&src->lock);
	*out = src->fresh;
	pthread_mutex_unlock(&src->lock);
}

const char *rsp_source_kind(const rsp_source *src)
{
	return src->ops->kind;
}

void rsp_source_describe(const rsp_source *src, char *out, size_t cap)
{
	src->ops->describe(src, out, cap);
}

void rsp_source_watch(rsp_source *src, rsp_source_watcher *w)
{
	pthread_mutex_lock(&src->lock);
	w->next = src->watchers;
	src->watchers = w;
	pthread_mutex_unlock(&src->lock);
}

void rsp_source_unwatch(rsp_source *src, rsp_source_watcher *w)
{
	pthread_mutex_lock(&src->lock);
	for (rsp_source_watcher **p = &src->watchers; *p; p = &(*p)->next) {
		if (*p == w) {
			*p = w->next;
			break;
		}
	}
	pthread_mutex_unlock(&src->lock);
}
