/* The file of each pre-signed response, and the requests that would share
 * one (presign.h). */
#include <config.h>

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "presign.h"

int presign_path(char *out, size_t cap, const char *b64, size_t len)
{
	size_t n = 0, seg = 0;
	for (size_t i = 0; i < len; i++) {
		char c = b64[i];
		if (c == '/' && (n == 0 || out[n - 1] == '/'))
			continue;
		seg = c == '/' ? 0 : seg + 1;
		if (seg > NAME_MAX || n + 1 >= cap)
			return -1;
		out[n++] = c;
	}
	if (n == 0 || out[n - 1] == '/') {
		if (n + sizeof(PRESIGN_DIR_FILE) > cap)
			return -1;
		memcpy(out + n, PRESIGN_DIR_FILE, sizeof(PRESIGN_DIR_FILE) - 1);
		n += sizeof(PRESIGN_DIR_FILE) - 1;
	}
	if (n > INT_MAX)
		return -1;
	out[n] = 0;
	return (int)n;
}

/* ---------------------------------------------------------------- the plan */

typedef struct {
	uint64_t path, req; /* digests; path 0: empty slot */
	int shared;
} plan_slot;

struct presign_plan {
	plan_slot *slots;
	size_t cap, used; /* cap a power of two, used at most half of it */
};

static uint64_t digest64(const char *s, size_t len)
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	uint64_t v = 0;
	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)s);
	sha256_digest(&ctx, sizeof(d), d);
	for (int i = 0; i < 8; i++)
		v = v << 8 | d[i];
	return v ? v : 1;
}

presign_plan *presign_plan_new(void)
{
	presign_plan *p = calloc(1, sizeof(*p));
	if (p && !(p->slots = calloc(p->cap = 64, sizeof(*p->slots)))) {
		free(p);
		p = NULL;
	}
	return p;
}

void presign_plan_free(presign_plan *p)
{
	if (p)
		free(p->slots);
	free(p);
}

/* The slot of path: its own, or the empty one where it would go. */
static plan_slot *find(const presign_plan *p, uint64_t path)
{
	size_t i = (size_t)path & (p->cap - 1);
	while (p->slots[i].path && p->slots[i].path != path)
		i = (i + 1) & (p->cap - 1);
	return &p->slots[i];
}

static int grow(presign_plan *p)
{
	presign_plan bigger = { calloc(p->cap * 2, sizeof(*p->slots)), p->cap * 2, p->used };
	if (!bigger.slots)
		return -1;
	for (size_t i = 0; i < p->cap; i++)
		if (p->slots[i].path)
			*find(&bigger, p->slots[i].path) = p->slots[i];
	free(p->slots);
	*p = bigger;
	return 0;
}

int presign_plan_add(presign_plan *p, int pass, const char *b64, size_t len, const char *path)
{
	int own = strlen(path) == len && memcmp(path, b64, len) == 0;
	if (own != (pass == 2))
		return 0;
	uint64_t key = digest64(path, strlen(path));
	plan_slot *s = find(p, key);
	if (own) {
		/* pass 2: any request remembered there is another one */
		if (s->path)
			s->shared = 1;
		return 0;
	}
	uint64_t req = digest64(b64, len);
	if (s->path) {
		s->shared |= s->req != req;
		return 0;
	}
	if (2 * (p->used + 1) > p->cap) {
		if (grow(p) != 0)
			return -1;
		s = find(p, key);
	}
	s->path = key;
	s->req = req;
	p->used++;
	return 0;
}

int presign_plan_shared(const presign_plan *p, const char *path)
{
	const plan_slot *s = find(p, digest64(path, strlen(path)));
	return s->path && s->shared;
}
