/* Allocation for the codec, routed through one place so that the
 * allocation-failure tests can make any one allocation fail
 * (docs/internals/alloc.md). */
#ifndef OCSPKIT_ALLOC_H
#define OCSPKIT_ALLOC_H

#include <stddef.h>

/* okit_malloc, okit_calloc and okit_realloc behave as malloc, calloc and
 * realloc (a request for 0 octets returns a real pointer), unless the
 * failure hook says that this allocation fails: then they return NULL.
 * What they return is released with okit_free (or ocspkit_free). */
void *okit_malloc(size_t n);
void *okit_calloc(size_t n, size_t size);
void *okit_realloc(void *p, size_t n);
void okit_free(void *p);

/* okit_alloc_fail_at makes the nth allocation from now fail (n = 0: none
 * fails).  It returns how many allocations were made since the previous
 * call.  For tests; not thread-safe against concurrent allocations in
 * the sense that which thread's allocation is the nth is not defined. */
long okit_alloc_fail_at(long n);

/* okit_alloc_requested returns the octets requested since
 * okit_alloc_fail_at was last called (a realloc counts its whole new
 * size).  For tests that bound what an operation asks for. */
long okit_alloc_requested(void);

#endif
