/* Reading a file whole and stable (stable.h). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "stable.h"

void rsp_file_id_of(rsp_file_id *id, const struct stat *st)
{
	memset(id, 0, sizeof(*id));
	id->dev = st->st_dev;
	id->ino = st->st_ino;
	id->size = st->st_size;
	id->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	id->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

int rsp_file_id_equal(const rsp_file_id *a, const rsp_file_id *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size && a->mtime_ns == b->mtime_ns &&
	       a->ctime_ns == b->ctime_ns;
}

static rsp_read_result fail(rsp_read_result r, int fd, uint8_t *buf, char *msg, size_t cap, const char *path,
			    const char *why)
{
	snprintf(msg, cap, "%s: %s", path, why);
	if (fd >= 0)
		close(fd);
	free(buf);
	return r;
}

rsp_read_result rsp_read_stable(const char *path, size_t max, unsigned settle_ms, uint8_t **data, size_t *len,
				rsp_file_id *id, int *id_valid, char *msg, size_t cap)
{
	struct stat st;
	rsp_file_id after;
	uint8_t *buf = NULL;
	size_t got = 0;

	*data = NULL;
	*len = 0;
	*id_valid = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0)
		return fail(RSP_READ_FAILED, fd, NULL, msg, cap, path, strerror(errno));
	rsp_file_id_of(id, &st);
	*id_valid = 1;
	if (S_ISDIR(st.st_mode)) /* said as every command says it */
		return fail(RSP_READ_FAILED, fd, NULL, msg, cap, path, strerror(EISDIR));
	if (!S_ISREG(st.st_mode))
		return fail(RSP_READ_FAILED, fd, NULL, msg, cap, path, "not a regular file");
	if ((uint64_t)st.st_size > max) {
		char why[80];
		snprintf(why, sizeof(why), "larger than %zu bytes", max);
		return fail(RSP_READ_FAILED, fd, NULL, msg, cap, path, why);
	}
	size_t want = (size_t)st.st_size;
	/* one octet more than the size: a file that grew is moving */
	if (!(buf = malloc(want + 2)))
		return fail(RSP_READ_FAILED, fd, NULL, msg, cap, path, "out of memory");
	for (;;) {
		ssize_t k = read(fd, buf + got, want + 1 - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return fail(RSP_READ_FAILED, fd, buf, msg, cap, path, strerror(errno));
		if (k == 0 || (got += (size_t)k) > want)
			break;
	}
	if (got != want || fstat(fd, &st) != 0)
		return fail(RSP_READ_MOVING, fd, buf, msg, cap, path, "changed while being read");
	rsp_file_id_of(&after, &st);
	if (!rsp_file_id_equal(id, &after))
		return fail(RSP_READ_MOVING, fd, buf, msg, cap, path, "changed while being read");
	close(fd);
	if (settle_ms) {
		struct timespec ts = { (time_t)(settle_ms / 1000), (long)(settle_ms % 1000) * 1000000 };
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
	}
	if (stat(path, &st) != 0)
		return fail(RSP_READ_MOVING, -1, buf, msg, cap, path, "replaced while being read");
	rsp_file_id_of(&after, &st);
	if (!rsp_file_id_equal(id, &after))
		return fail(RSP_READ_MOVING, -1, buf, msg, cap, path, "changed within the settle time after the read");
	buf[got] = 0;
	*data = buf;
	*len = got;
	return RSP_READ_OK;
}
