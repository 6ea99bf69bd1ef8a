/* Reading a file that another process may be rewriting, whole or not at
 * all.
 *
 * `cp`, a shell `>` redirect and most editors rewrite a file in place:
 * truncate, then write in chunks.  A reader in between sees an empty or
 * half-written file that looks valid.  rsp_read_stable reads a file only
 * if it stood still: the same device, inode, size, modification and
 * change time (nanoseconds) before and after the read, no byte past the
 * size it had, and again after a settle time, by its name (so that a
 * rename over it counts as a change too).  A revocation source uses it so
 * that it never switches to data that may be incomplete: what it refuses,
 * it reads again when the file changes.
 */
#ifndef RSP_STABLE_H
#define RSP_STABLE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* What a file looked like. */
typedef struct {
	dev_t dev;
	ino_t ino;
	off_t size;
	int64_t mtime_ns, ctime_ns;
} rsp_file_id;

void rsp_file_id_of(rsp_file_id *id, const struct stat *st);
int rsp_file_id_equal(const rsp_file_id *a, const rsp_file_id *b);

typedef enum {
	RSP_READ_OK = 0,
	RSP_READ_FAILED = -1,   /* cannot be opened or read, not a regular file, too large */
	RSP_READ_MOVING = -2,   /* it changed while being read or during the settle time */
} rsp_read_result;

/* Reads path whole into *data (malloc'd, *len octets, a NUL after them)
 * when it has at most max octets and stands still (above) for settle_ms
 * milliseconds after the read.  *id gets what the file looked like when
 * opened (also on failure, when it could be opened at all: *id_valid).
 * On failure msg says why, prefixed by the path. */
rsp_read_result rsp_read_stable(const char *path, size_t max, unsigned settle_ms, uint8_t **data, size_t *len,
				rsp_file_id *id, int *id_valid, char *msg, size_t cap);

#endif
