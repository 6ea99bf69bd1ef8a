/* index.txt as a revocation source (source.h): the OpenSSL CA database
 * of one or more CAs, parsed by index.c and re-read when the file
 * changes.
 *
 * Statuses: V and E entries are good (an expired certificate is not a
 * revoked one), R entries revoked with their time, reason, and the
 * invalidity date (keyTime, CAkeyTime) or hold instruction
 * (holdInstruction) `openssl ca` wrote; a serial without an entry is
 * unknown.
 *
 * A file that may be incomplete is never published, since answering
 * unknown (or good) for a revoked certificate is the one mistake a
 * responder must not make.  A read is refused, and the index in use keeps
 * serving, when the file
 *  - changed while being read or within the settle time after (stable.h:
 *    a writer rewriting it in place);
 *  - does not end with a newline (its last line is still being written);
 *  - is empty while the index in use has entries;
 *  - has less than half the entries of the index in use, unless the
 *    policy allows shrinking (revoked entries that are gone are logged
 *    even then);
 *  - does not parse (index.h: a bad line refuses the whole file).
 * A poll reads the file when its device, inode, size, modification or
 * change time differ from the last read (refused or not): the stat that
 * triggered a read is the one remembered, so that what was refused is
 * read again when the file changes, and only then.  A file that vanished
 * (a writer between unlink and rename) is said once and waited for.
 */
#ifndef RSP_SOURCE_INDEX_H
#define RSP_SOURCE_INDEX_H

#include "index.h"
#include "source.h"

/* How reads are judged (above). */
typedef struct {
	unsigned settle_ms;      /* the file must stand still this long after the read */
	int allow_shrink;        /* accept losing more than half of the entries */
} rsp_load_policy;

#define RSP_DEFAULT_SETTLE_MS 300

/* rsp_index_source_new makes a source for the index file at path (copied;
 * NULL for a source fed only by rsp_index_source_set) read under policy
 * (NULL: RSP_DEFAULT_SETTLE_MS, no shrinking).  It has no data until the
 * first rsp_source_poll (use RSP_POLL_FORCE) or rsp_index_source_set.
 * OCSPKIT_E_NO_MEMORY, or OCSPKIT_OK with *out to free with
 * rsp_source_free. */
OCSPKIT_WUR ocspkit_err rsp_index_source_new(rsp_source **out, const char *path, const rsp_load_policy *policy);

/* rsp_index_source_set publishes idx (taken over) as the source's data at
 * time now, without a file and without the checks above: for an index
 * the caller made (tests, fuzzing fixtures). */
void rsp_index_source_set(rsp_source *src, rsp_index *idx, int64_t now);

/* rsp_index_source_set_policy changes how later reads are judged. */
void rsp_index_source_set_policy(rsp_source *src, const rsp_load_policy *policy);

#endif
