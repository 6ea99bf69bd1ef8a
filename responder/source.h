/* Revocation sources: where the statuses the responder states come from.
 *
 * The answer code asks a source one question: what is the status of this
 * serial number of certificates issued by this CA.  It asks a snapshot:
 * an immutable, reference-counted state of the source's data, taken for
 * the time of one answer, so that every CertID of a request is answered
 * from the same data and a reload never changes data under a reader.
 * Everything else (reading files, fetching CRLs, following a database)
 * happens in rsp_source_poll, outside the path of a request.
 *
 * A source is an rsp_source (the state every source shares, kept by
 * source.c) with an ops table (what one kind of source does).  Kinds:
 *
 *   source_index.c  OpenSSL CA index.txt, re-read when the file changes
 *   source_crl.c    a CA's CRL (file or URL), a delta CRL, and optionally
 *                   a list of the serials it issued
 *   source_sql.c    a CFSSL certdb (SQLite, PostgreSQL), held in memory
 *
 * and docs/internals/SOURCES.md says how each fits the interface.
 *
 * What every source promises:
 *
 *  - A snapshot never changes.  A source publishes a new one
 *    (rsp_source_publish) and the old one is freed when its last reader
 *    releases it.  Each published snapshot gets the next generation
 *    number (1, 2, ...), the source's change counter.
 *  - Keep the last good data.  A source publishes only data it has read
 *    whole and checked (for index.txt: stood still while read, ends with
 *    a newline, did not lose half its entries; for a CRL: signature,
 *    issuer, thisUpdate newer than the one in use).  What it cannot read
 *    whole it refuses (rsp_source_refuse, with why) and the snapshot in
 *    use goes on serving, so that a revoked certificate is never answered
 *    other than revoked because of how its data was written.
 *  - Lookups never wait for a file, a URL or a database: the hot path
 *    reads memory.  (A source may keep its data in a local database file
 *    and read it in lookup; lookup may then fail, and the answer is
 *    tryLater rather than a guess.)
 *  - Whoever needs to know of changes is told: the generation of each
 *    snapshot, and watchers called for every snapshot published and
 *    every refusal.  The pre-signed cache needs neither: its tag is the
 *    status itself (cache.h), so that a reload re-signs only the entries
 *    whose status changed.
 *  - Freshness for readiness: when the data in use was loaded, how old it
 *    was then (its own time), when the source last looked, and the last
 *    refusal (rsp_source_freshness).
 *
 * Thread safety: lookups (rsp_source_acquire, rsp_snapshot_lookup,
 * rsp_snapshot_release) from any number of threads at once; rsp_source_poll
 * from one thread at a time, concurrently with lookups;
 * rsp_source_freshness from any thread; set-up and tear-down
 * (rsp_source_watch, rsp_source_free) while nothing else uses the source.
 */
#ifndef RSP_SOURCE_H
#define RSP_SOURCE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

/* Longest holdInstructionCode OID kept (content octets). */
#define RSP_STATUS_MAX_OID 32

/* The status of one certificate, what its SingleResponse states.  Also
 * the pre-signed cache's tag, compared byte for byte: rsp_snapshot_lookup
 * zeroes it before a source fills it in. */
typedef struct {
	int32_t status;               /* ocspkit_cert_status: good, revoked or unknown */
	int32_t has_reason;           /* revoked: a CRLReason is stated */
	int32_t reason;               /* ocspkit_crl_reason */
	int32_t has_invalidity_date;  /* revoked: the key compromise time is known */
	int64_t revocation_time;
	int64_t invalidity_date;
	uint32_t hold_len;            /* certificateHold: holdInstructionCode OID content octets, 0 if none */
	uint8_t hold[RSP_STATUS_MAX_OID];
} rsp_status;

/* What a lookup asks about: a serial number of certificates of one CA.  A
 * source serving one CA (an index.txt, a CRL) looks at the serial only; a
 * database of several CAs finds the CA by its key hash (the
 * authorityKeyIdentifier of the certificates it issued, for CAs that
 * follow RFC 5280's method 1). */
typedef struct {
	const ocspkit_cert *issuer;    /* the CA's certificate */
	ocspkit_bytes issuer_key_hash; /* SHA-1 of its subjectPublicKey (20 octets) */
	ocspkit_bytes serial;          /* INTEGER content octets, minimal, as requested */
} rsp_lookup;

typedef struct rsp_source rsp_source;
typedef struct rsp_source_ops rsp_source_ops;

/* The part of a snapshot that every source shares.  A source's own
 * snapshot struct starts with it; rsp_snapshot_init fills it in. */
typedef struct rsp_snapshot {
	const rsp_source_ops *ops;   /* of the source that made it */
	long refs;                   /* atomic */
	uint64_t generation;         /* set by rsp_source_publish */
	int64_t loaded_at;           /* set by rsp_source_publish: when it became current */
	int64_t data_time;           /* the data's own time (index.txt: its modification
	                                time; a CRL: thisUpdate); 0: not known */
	size_t entries;              /* certificates it knows of, for logs */
	/* Limits the data puts on the answers given from it (0: none; set by
	 * the source before publishing; answer.c applies them):
	 * next_update_cap: no nextUpdate later than this (a CRL's
	 * nextUpdate: an answer must not outlive the data it states);
	 * this_update_floor: no thisUpdate earlier than this (a CRL's
	 * thisUpdate); serve_until: from this time on the data is too old
	 * to answer from, the answer is tryLater (a CRL's nextUpdate plus a
	 * grace period, under --crl-stale trylater). */
	int64_t next_update_cap;
	int64_t this_update_floor;
	int64_t serve_until;
} rsp_snapshot;

/* rsp_each_fn is called by rsp_snapshot_each for one certificate: its
 * serial number (INTEGER content octets) and where the source has it
 * ("index.txt:12"), for messages.  Non-zero stops the walk. */
typedef int (*rsp_each_fn)(void *ctx, ocspkit_bytes serial, const char *where);

/* rsp_source_poll's flags. */
enum {
	/* read the data even if it seems unchanged (SIGHUP) */
	RSP_POLL_FORCE = 1,
};

/* What rsp_source_poll did. */
typedef enum {
	RSP_POLL_UNCHANGED = 0, /* nothing to read, or what was refused has not changed */
	RSP_POLL_LOADED = 1,    /* a new snapshot is current */
	RSP_POLL_REFUSED = -1,  /* the data does not read or fails a check: the old snapshot serves */
	RSP_POLL_MOVING = -2,   /* refused as well, because the data is being written: worth
	                           another try soon (a first load waits a little for it) */
} rsp_poll_result;

/* What one kind of source does.  Every function gets the rsp_source (or
 * a snapshot) that this table belongs to. */
struct rsp_source_ops {
	/* The name of the kind's data in log lines: "index" gives "index
	 * reloaded: ..." and "serving ...: 12 index entries". */
	const char *kind;
	/* lookup fills *out (zeroed, status unknown) with the status of q->serial in snap and
	 * returns OCSPKIT_OK; a serial the data does not know is
	 * OCSPKIT_CERT_UNKNOWN, not an error.  Any other return means the
	 * snapshot could not be read, and the answer is tryLater.  Called from
	 * many threads at once; must not wait for I/O (above). */
	ocspkit_err (*lookup)(const rsp_snapshot *snap, const rsp_lookup *q, rsp_status *out);
	/* poll looks at the data (rsp_source_poll's contract) and either
	 * publishes a snapshot, refuses, or does nothing.  msg (cap octets)
	 * gets one line for a log on every outcome but RSP_POLL_UNCHANGED. */
	rsp_poll_result (*poll)(rsp_source *src, int64_t now, unsigned flags, char *msg, size_t cap);
	/* each calls fn for every certificate snap knows, in a stable order,
	 * and returns what the fn that stopped the walk returned, else 0.
	 * NULL for a kind that cannot list its certificates (a CRL knows the
	 * revoked ones only). */
	int (*each)(const rsp_snapshot *snap, rsp_each_fn fn, void *ctx);
	/* describe writes where the data comes from ("/etc/ca/index.txt"). */
	void (*describe)(const rsp_source *src, char *out, size_t cap);
	/* free_snapshot frees a snapshot of this kind (its last reference is
	 * gone). */
	void (*free_snapshot)(rsp_snapshot *snap);
	/* destroy frees the source itself, after rsp_source_clear. */
	void (*destroy)(rsp_source *src);
};

/* How fresh the data in use is, for a readiness check: the source is
 * ready when it has data (generation > 0), and a check may ask more
 * (loaded within a while, data_time not older than a day, no refusal
 * pending). */
typedef struct {
	uint64_t generation;   /* of the snapshot in use; 0: none yet */
	int64_t loaded_at;     /* when it was published; 0: never */
	int64_t data_time;     /* its data's own time; 0: not known */
	size_t entries;
	int64_t checked_at;    /* the last rsp_source_poll; 0: never */
	int64_t refused_at;    /* the last refusal since the snapshot in use was published; 0: none */
	unsigned refusals;     /* refusals since then */
	char error[256];       /* the last refusal's reason */
	int64_t valid_until;   /* the data's own end of validity (a CRL's nextUpdate); 0: none */
	int64_t stale_since;   /* when the source found it past valid_until (rsp_source_stale); 0: not */
} rsp_freshness;

/* What a watcher is told. */
typedef enum {
	RSP_SOURCE_LOADED,     /* a snapshot was published (generation) */
	RSP_SOURCE_REFUSED,    /* data was refused; the snapshot in use (generation) serves on */
	RSP_SOURCE_STALE,      /* the data in use (generation) went past its own validity */
} rsp_source_event;

/* A watcher: fn is called, on the thread that published or refused, after
 * the source's lock is released, with msg the poll's line.  The caller
 * owns the struct; the source links it. */
typedef struct rsp_source_watcher {
	void (*fn)(struct rsp_source_watcher *w, rsp_source *src, rsp_source_event ev, uint64_t generation,
		   const char *msg);
	void *ctx;
	struct rsp_source_watcher *next; /* the source's */
} rsp_source_watcher;

/* The state every source shares.  A source's own struct starts with it.
 * Only source.c touches the fields after ops. */
struct rsp_source {
	const rsp_source_ops *ops;
	pthread_mutex_t lock;        /* current, generation, fresh */
	rsp_snapshot *current;
	uint64_t generation;
	rsp_freshness fresh;
	rsp_source_watcher *watchers;
};

/* ---------------------------------------------------------------- using a source */

/* rsp_source_acquire returns the current snapshot with a reference the
 * caller gives back with rsp_snapshot_release, or NULL when the source has
 * no data yet (the answer is then tryLater, never a guess).  Never
 * blocks but on the source's mutex, held for a pointer copy. */
rsp_snapshot *rsp_source_acquire(rsp_source *src);
/* rsp_snapshot_release drops a reference (NULL allowed); the last one
 * frees the snapshot. */
void rsp_snapshot_release(rsp_snapshot *snap);

/* rsp_snapshot_lookup fills *out with what snap says of q, through the
 * source's lookup, after zeroing it (see rsp_status) and setting it to
 * unknown. */
OCSPKIT_WUR ocspkit_err rsp_snapshot_lookup(const rsp_snapshot *snap, const rsp_lookup *q, rsp_status *out);

/* rsp_snapshot_each calls fn(ctx, serial, where) for every certificate
 * of snap and returns what stopped the walk (0 when none did), or -1
 * when the kind cannot list its certificates. */
int rsp_snapshot_each(const rsp_snapshot *snap, rsp_each_fn fn, void *ctx);

/* rsp_source_poll has the source look at its data at time now (seconds
 * since the epoch): read it when it changed (or always, with
 * RSP_POLL_FORCE), and publish it if it reads whole and passes the
 * checks, else refuse it.  Data refused is not read again until it
 * changes.  msg (cap octets) says what happened, except for
 * RSP_POLL_UNCHANGED.  May block on I/O: call it off the request path
 * (the server's main loop does, every reload interval, and at SIGHUP with
 * RSP_POLL_FORCE). */
rsp_poll_result rsp_source_poll(rsp_source *src, int64_t now, unsigned flags, char *msg, size_t cap);

/* rsp_source_freshness copies the source's freshness to *out. */
void rsp_source_freshness(rsp_source *src, rsp_freshness *out);

/* rsp_source_kind returns the ops' kind ("index"); rsp_source_describe
 * writes where the data comes from to out (cap octets). */
const char *rsp_source_kind(const rsp_source *src);
void rsp_source_describe(const rsp_source *src, char *out, size_t cap);

/* rsp_source_watch adds w to the source's watchers; rsp_source_unwatch
 * removes it.  At set-up or tear-down only (see above). */
void rsp_source_watch(rsp_source *src, rsp_source_watcher *w);
void rsp_source_unwatch(rsp_source *src, rsp_source_watcher *w);

/* rsp_source_free frees src (NULL allowed) and its current snapshot,
 * which nobody may hold any more. */
void rsp_source_free(rsp_source *src);

/* ---------------------------------------------------------------- writing a source */

/* rsp_source_init sets up the shared part of a new source of kind ops. */
void rsp_source_init(rsp_source *src, const rsp_source_ops *ops);
/* rsp_source_clear releases what rsp_source_init set up and the current
 * snapshot; ops->destroy calls it before freeing its own state. */
void rsp_source_clear(rsp_source *src);

/* rsp_snapshot_init fills in the shared part of a new snapshot of kind
 * ops, with one reference, before it is published. */
void rsp_snapshot_init(rsp_snapshot *snap, const rsp_source_ops *ops, size_t entries, int64_t data_time);

/* rsp_source_publish makes snap (its reference taken over) the current
 * snapshot with the next generation, loaded at now; the old one is
 * released, freshness reset, and the watchers told with msg.  The one way
 * data becomes current: call it only with data read whole and checked. */
void rsp_source_publish(rsp_source *src, rsp_snapshot *snap, int64_t now, const char *msg);

/* rsp_source_refuse records that data was refused at now, and why (msg),
 * and tells the watchers; the current snapshot stays. */
void rsp_source_refuse(rsp_source *src, int64_t now, const char *msg);

/* rsp_source_stale records that the data in use went past its validity
 * (freshness' stale_since, now) and tells the watchers with msg, once
 * per snapshot: a second call for the same snapshot does nothing and
 * returns 0, the first returns 1. */
int rsp_source_stale(rsp_source *src, int64_t now, const char *msg);

#endif
