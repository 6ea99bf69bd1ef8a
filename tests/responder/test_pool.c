/* Unit tests of responder/pool.c: at most `workers` jobs run and
 * `max_waiting` wait, the rest is refused (shed) at once; places reserved
 * before a job is given; every job runs exactly once, or is handed to the
 * cancel function when the pool stops. */
#include <config.h>

#include <pthread.h>
#include <unistd.h>

#include "tests/lib/check.h"
#include "responder/pool.h"

/* Jobs that can be held until released. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static int hold, running, ran, cancelled;

static void job(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	running++;
	pthread_cond_broadcast(&cond);
	while (hold)
		pthread_cond_wait(&cond, &lock);
	running--;
	ran++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

static void cancel(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	cancelled++;
	pthread_mutex_unlock(&lock);
}

static void wait_for(int *counter, int value)
{
	pthread_mutex_lock(&lock);
	while (*counter < value)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
}

static void set_hold(int h)
{
	pthread_mutex_lock(&lock);
	hold = h;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

static void reset(void)
{
	hold = running = ran = cancelled = 0;
}

static void test_bounds(void)
{
	rsp_pool *p;
	rsp_pool_opts o = { 2, 3, 5, cancel };
	rsp_pool_stats st;
	reset();
	CHECK(rsp_pool_new(&p, &o) == 0);
	set_hold(1);
	/* two run, three wait, the sixth is refused */
	for (int i = 0; i < 5; i++)
		CHECK(rsp_pool_submit(p, job, NULL) == 0);
	wait_for(&running, 2);
	CHECK(rsp_pool_submit(p, job, NULL) == -1);
	CHECK(rsp_pool_reserve(p) == -1);
	rsp_pool_get_stats(p, &st);
	CHECK(st.running == 2 && st.waiting == 3 && st.shed == 2 && st.max_waiting_seen >= 3);
	set_hold(0);
	wait_for(&ran, 5);
	/* room again: a reserved place counts until given or given back */
	set_hold(1);
	CHECK(rsp_pool_submit(p, job, NULL) == 0 && rsp_pool_submit(p, job, NULL) == 0);
	wait_for(&running, 2);
	for (int i = 0; i < 3; i++)
		CHECK(rsp_pool_reserve(p) == 0);
	CHECK(rsp_pool_reserve(p) == -1);
	rsp_pool_release(p);
	CHECK(rsp_pool_reserve(p) == 0);
	for (int i = 0; i < 3; i++)
		rsp_pool_commit(p, job, NULL);
	set_hold(0);
	wait_for(&ran, 10);
	/* a worker counts a job done just after it returns */
	for (int i = 0; i < 1000; i++) {
		rsp_pool_get_stats(p, &st);
		if (st.done == 10)
			break;
		usleep(1000);
	}
	CHECK(st.done == 10 && st.shed == 3 && st.running == 0 && st.waiting == 0);
	rsp_pool_free(p);
	CHECK(ran == 10 && cancelled == 0);
}

static void *free_pool(void *p)
{
	rsp_pool_free(p);
	return NULL;
}

static void test_stop(void)
{
	rsp_pool *p;
	rsp_pool_opts o = { 1, 5, 0, cancel };
	pthread_t th;
	reset();
	CHECK(rsp_pool_new(&p, &o) == 0);
	set_hold(1);
	for (int i = 0; i < 5; i++)
		CHECK(rsp_pool_submit(p, job, NULL) == 0);
	wait_for(&running, 1);
	/* stopping: the four queued are cancelled, the running one finishes */
	CHECK(rsp_pool_reserve(p) == 0);
	pthread_create(&th, NULL, free_pool, p);
	usleep(100000);
	CHECK(cancelled == 4 && ran == 0);
	/* a place reserved before the stop: its job is cancelled, not lost */
	rsp_pool_commit(p, job, NULL);
	CHECK(cancelled == 5);
	set_hold(0);
	pthread_join(th, NULL);
	CHECK(ran == 1 && cancelled == 5);

	/* without a cancel function, what is queued still runs */
	o.cancel = NULL;
	reset();
	CHECK(rsp_pool_new(&p, &o) == 0);
	set_hold(1);
	for (int i = 0; i < 3; i++)
		CHECK(rsp_pool_submit(p, job, NULL) == 0);
	wait_for(&running, 1);
	pthread_create(&th, NULL, free_pool, p);
	usleep(50000);
	set_hold(0);
	pthread_join(th, NULL);
	CHECK(ran == 3 && cancelled == 0);
}

int main(void)
{
	test_bounds();
	test_stop();
	CHECK_DONE();
}
