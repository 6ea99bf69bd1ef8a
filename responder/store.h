/* A CA the responder serves: its certificate (and the CertID hashes of it
 * in every hash algorithm, computed once), the signer that answers for it,
 * and the current index.txt, held as a reference-counted snapshot that a
 * reload replaces atomically.
 *
 * Readers take a snapshot (rsp_ca_acquire) for the time of one answer and
 * release it; a reload parses the new file completely first and swaps only
 * if it reads, so that a broken file never replaces a working index.  The
 * old snapshot is freed when its last reader releases it.
 *
 * An index that may be incomplete is never switched to, since answering
 * unknown (or good) for a revoked certificate is the one mistake a
 * responder must not make.  A reload is refused, and the index in use
 * keeps serving, when the file
 *  - changed while being read or within the settle time after (stable.h:
 *    a writer rewriting it in place);
 *  - does not end with a newline (its last line is still being written);
 *  - is empty while the index in use has entries;
 *  - has less than half the entries of the index in use, unless the
 *    policy allows shrinking (revoked entries that are gone are logged
 *    even then).
 * What was refused is read again when the file changes.
 */
#ifndef RSP_STORE_H
#define RSP_STORE_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include <ocspkit/ocspkit.h>

#include "index.h"
#include "stable.h"

typedef struct rsp_signer rsp_signer;

typedef struct {
	long refs;          /* atomic */
	rsp_index *index;
	unsigned long generation; /* 1 for the first index, +1 per reload */
} rsp_snapshot;

/* How reloads are judged (above). */
typedef struct {
	unsigned settle_ms;      /* the file must stand still this long after the read */
	int allow_shrink;        /* accept losing more than half of the entries */
} rsp_load_policy;

#define RSP_DEFAULT_SETTLE_MS 300

/* Hash algorithms a CertID may use to name a served CA. */
#define RSP_CA_HASHES 5

typedef struct rsp_ca {
	const ocspkit_cert *cert;       /* borrowed */
	const rsp_signer *signer;      /* borrowed */
	char *index_path;
	rsp_load_policy policy;    /* RSP_DEFAULT_SETTLE_MS, no shrinking, unless set */
	struct {
		ocspkit_hash hash;
		size_t len;
		uint8_t name[OCSPKIT_MAX_HASH_SIZE], key[OCSPKIT_MAX_HASH_SIZE];
	} ids[RSP_CA_HASHES];
	pthread_mutex_t lock;
	rsp_snapshot *current;
	/* what the file looked like when last read (or refused) */
	int have_stat;
	int missing;               /* the name was gone at the last poll */
	rsp_file_id seen;
	unsigned long generation;
} rsp_ca;

/* Sets up ca for cert (borrowed, as is signer); index_path may be NULL for
 * a CA whose index is given with rsp_ca_set_index. */
OCSPKIT_WUR ocspkit_err rsp_ca_init(rsp_ca *ca, const ocspkit_cert *cert, const rsp_signer *signer,
				     const char *index_path);
void rsp_ca_clear(rsp_ca *ca);

/* 1 when id names this CA: a hash algorithm of RSP_CA_HASHES with absent
 * or NULL parameters, and both issuer hashes equal. */
int rsp_ca_matches(const rsp_ca *ca, const ocspkit_cert_id *id);

/* Replaces the index (taking ownership of idx). */
void rsp_ca_set_index(rsp_ca *ca, rsp_index *idx);

/* Reads and parses the index file, and swaps it in if it reads and passes
 * the checks above.  Returns 0 (msg says what was loaded, and what
 * revoked entries went missing), -1 refused or -2 refused because the file
 * is being written (RSP_READ_MOVING, or no final newline), msg saying why;
 * the old index stays. */
int rsp_ca_load(rsp_ca *ca, char *msg, size_t cap);
/* Reloads when the file changed since it was last read (device, inode,
 * size, modification or change time): 0 unchanged, 1 reloaded, -1 or -2
 * refused (msg says why; the same file is not tried again until it
 * changes). */
int rsp_ca_poll(rsp_ca *ca, char *msg, size_t cap);

/* The current index, held until rsp_snapshot_release. */
rsp_snapshot *rsp_ca_acquire(rsp_ca *ca);
void rsp_snapshot_release(rsp_snapshot *s);

#endif
