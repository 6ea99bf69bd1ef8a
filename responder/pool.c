/* A bounded worker pool (pool.h). */
#include <config.h>

#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pool.h"

typedef struct {
	rsp_pool_job_fn fn;
	void *arg;
} job;

struct rsp_pool {
	rsp_pool_opts o;
	pthread_mutex_t lock;
	pthread_cond_t work;
	pthread_cond_t settled;  /* reserved went to 0 while stopping */
	job *ring;               /* workers + max_waiting slots */
	size_t cap, head, count; /* count: queued, not yet started */
	size_t reserved;         /* places taken, jobs not yet given */
	unsigned running, nthreads;
	int stopping;
	rsp_pool_stats st;
	pthread_t *threads;
};

static void *worker(void *arg)
{
	rsp_pool *p = arg;
#ifdef SYS_gettid
	/* on Linux the nice value is per thread */
	if (p->o.nice)
		(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), p->o.nice);
#endif
	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->count && !p->stopping)
			pthread_cond_wait(&p->work, &p->lock);
		if (!p->count)
			break; /* stopping, and nothing left */
		job j = p->ring[p->head];
		p->head = (p->head + 1) % p->cap;
		p->count--;
		p->running++;
		pthread_mutex_unlock(&p->lock);
		j.fn(j.arg);
		pthread_mutex_lock(&p->lock);
		p->running--;
		p->st.done++;
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int rsp_pool_new(rsp_pool **out, const rsp_pool_opts *o)
{
	rsp_pool *p = calloc(1, sizeof(*p));
	*out = NULL;
	if (!p)
		return -1;
	p->o = *o;
	if (!p->o.workers)
		p->o.workers = 1;
	/* a job waits in the ring until a worker takes it: room for one per
	 * worker (taken at once) plus the waiters */
	p->cap = (size_t)p->o.workers + p->o.max_waiting;
	p->ring = calloc(p->cap, sizeof(*p->ring));
	p->threads = calloc(p->o.workers, sizeof(*p->threads));
	if (!p->ring || !p->threads) {
		free(p->ring);
		free(p->threads);
		free(p);
		return -1;
	}
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->settled, NULL);
	for (unsigned i = 0; i < p->o.workers; i++) {
		if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
			break;
		p->nthreads++;
	}
	if (!p->nthreads) {
		rsp_pool_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

int rsp_pool_reserve(rsp_pool *p)
{
	pthread_mutex_lock(&p->lock);
	/* full: every worker busy and max_waiting jobs queued */
	if (p->stopping || p->running + p->count + p->reserved >= p->cap) {
		p->st.shed++;
		pthread_mutex_unlock(&p->lock);
		return -1;
	}
	p->reserved++;
	pthread_mutex_unlock(&p->lock);
	return 0;
}

void rsp_pool_commit(rsp_pool *p, rsp_pool_job_fn fn, void *arg)
{
	pthread_mutex_lock(&p->lock);
	if (p->stopping) {
		/* rsp_pool_free waits for this place: the job will not run */
		pthread_mutex_unlock(&p->lock);
		(p->o.cancel ? p->o.cancel : fn)(arg);
		pthread_mutex_lock(&p->lock);
		if (--p->reserved == 0)
			pthread_cond_broadcast(&p->settled);
		pthread_mutex_unlock(&p->lock);
		return;
	}
	p->reserved--;
	p->ring[(p->head + p->count) % p->cap] = (job){ fn, arg };
	p->count++;
	if (p->count > p->st.max_waiting_seen)
		p->st.max_waiting_seen = (unsigned)p->count;
	pthread_cond_signal(&p->work);
	pthread_mutex_unlock(&p->lock);
}

void rsp_pool_release(rsp_pool *p)
{
	pthread_mutex_lock(&p->lock);
	if (--p->reserved == 0 && p->stopping)
		pthread_cond_broadcast(&p->settled);
	pthread_mutex_unlock(&p->lock);
}

int rsp_pool_submit(rsp_pool *p, rsp_pool_job_fn fn, void *arg)
{
	if (rsp_pool_reserve(p) != 0)
		return -1;
	rsp_pool_commit(p, fn, arg);
	return 0;
}

void rsp_pool_free(rsp_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = 1;
	while (p->o.cancel && p->count) {
		job j = p->ring[p->head];
		p->head = (p->head + 1) % p->cap;
		p->count--;
		pthread_mutex_unlock(&p->lock);
		p->o.cancel(j.arg);
		pthread_mutex_lock(&p->lock);
	}
	while (p->reserved)
		pthread_cond_wait(&p->settled, &p->lock);
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->settled);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	free(p->threads);
	free(p->ring);
	free(p);
}

void rsp_pool_get_stats(rsp_pool *p, rsp_pool_stats *st)
{
	pthread_mutex_lock(&p->lock);
	*st = p->st;
	st->running = p->running;
	st->waiting = (unsigned)p->count;
	pthread_mutex_unlock(&p->lock);
}
