/* Allocation goes through here so that tests can make any one of them fail
 * (fuzz/ replays every decode, sign and verify with the Nth allocation
 * failing, for every N) and count what an operation asks for
 * (tests/responder/test_scaling.c bounds it by a multiple of the input's size). */
#include <config.h>

#include <stdatomic.h>
#include <stdlib.h>

#include <ocspkit/ocsp.h>

#include "alloc.h"

static atomic_long fail_at;  /* 0: never fail */
static atomic_long counter;
static atomic_long requested; /* octets asked for since the last reset */

long okit_alloc_fail_at(long n)
{
	long seen = atomic_exchange(&counter, 0);
	atomic_store(&requested, 0);
	atomic_store(&fail_at, n);
	return seen;
}

long okit_alloc_requested(void)
{
	return atomic_load(&requested);
}

static int should_fail(size_t octets)
{
	atomic_fetch_add(&requested, (long)octets);
	long n = atomic_fetch_add(&counter, 1) + 1;
	long f = atomic_load(&fail_at);
	return f > 0 && n == f;
}

void *okit_malloc(size_t n)
{
	return should_fail(n) ? NULL : malloc(n ? n : 1);
}

void *okit_calloc(size_t n, size_t size)
{
	return should_fail(n * size) ? NULL : calloc(n ? n : 1, size ? size : 1);
}

void *okit_realloc(void *p, size_t n)
{
	return should_fail(n) ? NULL : realloc(p, n ? n : 1);
}

void okit_free(void *p)
{
	free(p);
}

void ocspkit_free(void *p)
{
	free(p);
}
