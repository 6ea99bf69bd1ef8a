/* A bounded pool of worker threads with a bounded wait queue, for the
 * responder's slow work (signing, upstream fetches), so that the HTTP
 * threads never wait for it: they hand a job over and answer other
 * requests meanwhile.
 *
 * At most `workers` jobs run at once and at most `max_waiting` wait for a
 * worker; rsp_pool_submit refuses a job beyond that instead of queueing
 * it (the caller sheds the request, for an OCSP responder with tryLater),
 * as Boulder's MaxInflightSignings / MaxSigningWaiters do.  Jobs start in
 * submission order.  Workers may run at a lower CPU priority (nice), so
 * that on a saturated machine the HTTP threads, which answer from the
 * cache in microseconds, are scheduled first.
 */
#ifndef RSP_POOL_H
#define RSP_POOL_H

#include <stddef.h>

typedef struct rsp_pool rsp_pool;

typedef void (*rsp_pool_job_fn)(void *arg);

typedef struct {
	unsigned workers;      /* threads; at least 1 */
	unsigned max_waiting;  /* jobs queued beyond the running ones; 0: none */
	int nice;              /* added to the workers' nice value (Linux: per thread); 0: unchanged */
	/* Called instead of a job that will not run because the pool stops
	 * (rsp_pool_free); NULL: such jobs run anyway. */
	rsp_pool_job_fn cancel;
} rsp_pool_opts;

/* Starts the workers.  0, or -1 (out of memory, no threads). */
int rsp_pool_new(rsp_pool **out, const rsp_pool_opts *o);

/* Takes a place in the pool for a job given later with rsp_pool_commit
 * (for a caller that must prepare before the job can run, such as
 * suspending a connection that the job resumes).  0 when there was room,
 * -1 when the pool is full or stopping (counted as shed). */
int rsp_pool_reserve(rsp_pool *p);
/* Queues fn(arg) in a place taken by rsp_pool_reserve: fn runs exactly
 * once on a worker, or cancel(arg) runs instead when the pool stops. */
void rsp_pool_commit(rsp_pool *p, rsp_pool_job_fn fn, void *arg);
/* Gives back a place taken by rsp_pool_reserve, without a job. */
void rsp_pool_release(rsp_pool *p);
/* Both at once: 0 when fn(arg) was queued, -1 when it was refused (fn
 * will not run: the caller keeps arg). */
int rsp_pool_submit(rsp_pool *p, rsp_pool_job_fn fn, void *arg);

/* Stops taking jobs, hands the jobs that have not started to the cancel
 * function (without one, runs them), waits for places reserved and for
 * the running jobs, joins the workers and frees p. */
void rsp_pool_free(rsp_pool *p);

typedef struct {
	unsigned long done;      /* jobs run */
	unsigned long shed;      /* refused by rsp_pool_submit */
	unsigned running, waiting;  /* now */
	unsigned max_waiting_seen; /* most jobs queued at once */
} rsp_pool_stats;
void rsp_pool_get_stats(rsp_pool *p, rsp_pool_stats *st);

#endif
