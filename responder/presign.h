/* Pre-signing for static web servers and CDNs (`ocspkit presign`): the
 * response of every certificate a source knows, written where a static
 * web server finds it for an RFC 5019 GET.
 *
 * A GET is "/" + base64(DER request).  For each certificate, each CertID
 * hash asked for (--hash, default sha1 and sha256) and both encodings of the
 * hash algorithm's parameters (NULL, as OpenSSL, NSS and GnuTLS send it,
 * and absent), the request a client sends without nonce is built, answered
 * exactly as `ocspkit serve` answers it (responder/answer.c), and written
 * where nginx, configured as the README says (`root DIR; try_files $uri
 * $uri.ocsp @ocspkit;`), looks for that GET (rsp_presign_path):
 *
 *   DIR/<the base64, standard alphabet, padded>, its '/' being
 *   directories and every run of '/' made one (nginx merges them, and so
 *   does the kernel: "a//b" reaches a/b), a leading '/' dropped;
 *   DIR/<that>.ocsp, a file ".ocsp" in that directory, when it ends in
 *   '/': such a URI never names a file, `$uri.ocsp` finds it, and no
 *   request path has a '.' in it.
 *
 * nginx URL-decodes the path first, so %2F, %2B and %3D reach the same
 * file.  Collapsing can map two different requests to one file
 * ("a//b/c" and "a/b//c"): nginx would serve one's answer to the other.
 * Two passes that only build the requests find those before anything is
 * signed; none of them gets a file, a file left there by an earlier run
 * is removed, and nginx falls back to `ocspkit serve` (try_files).  The
 * same goes for a name above NAME_MAX or PATH_MAX.  An entry that cannot
 * be answered or written is reported with its serial and counted, and
 * the run goes on; the counts say what was written, skipped (by reason)
 * and failed.
 *
 * Each file is replaced atomically (a temporary in the same directory,
 * then rename) and gets thisUpdate as its modification time, so that
 * Last-Modified is right and nginx's `expires modified +<validity>` gives
 * nextUpdate. */
#ifndef RSP_PRESIGN_H
#define RSP_PRESIGN_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

#include "answer.h"

/* ---------------------------------------------------------------- paths
 *
 * The path and the plan are pure (no I/O): the unit test
 * (tests/responder/test_presign.c) drives them with chosen strings.
 *
 * nginx, as the README configures it (`root DIR; try_files $uri $uri.ocsp
 * @ocspkit;`), URL-decodes the GET path once and merges runs of '/'
 * (merge_slashes; the kernel does the same in file names, so it holds
 * whatever nginx does).  The file of the request whose base64 is R is
 * therefore DIR/<R with every run of '/' made one and a leading '/'
 * dropped>, its '/' being directories; when that ends in '/' (nginx
 * never maps such a URI to a file: `try_files $uri` finds a directory),
 * the file is RSP_PRESIGN_DIR_FILE in that directory, which `$uri.ocsp`
 * finds.  The '.' is outside the base64 alphabet: the name never equals
 * a component of a request's path, and `$uri.ocsp` of a path that does
 * not end in '/' never names a file presign writes.
 */

/* The file of a request whose path ends in '/'. */
#define RSP_PRESIGN_DIR_FILE ".ocsp"

/* rsp_presign_path writes to out (cap bytes, NUL-terminated) the file of
 * the request whose base64 is b64 (len characters), relative to DIR.
 * Returns its length, or -1 when it does not fit in cap or a component
 * would be longer than NAME_MAX. */
int rsp_presign_path(char *out, size_t cap, const char *b64, size_t len);

/* Requests of a run that map to the same file: a web server would answer
 * one with the other's response.  A request whose file is its own base64
 * (no leading '/', no "//", no final '/') is the only such request for
 * that file, so only the others are remembered (a few per cent of a run,
 * all of a CA whose name and key hashes have a "//" in their base64):
 * pass 1 adds every request, pass 2 adds every request again, then
 * rsp_presign_plan_shared() tells whether a file is claimed by more than
 * one request.  Paths and requests are remembered by 64-bit digests (SHA-256):
 * two paths taken for one (a chance of 2^-64 per pair) only cost a file;
 * two requests of one path taken for one would hide a clash, at the same
 * odds.  The same request twice (a CA certificate given twice) is not a
 * clash. */
typedef struct rsp_presign_plan rsp_presign_plan;

rsp_presign_plan *rsp_presign_plan_new(void);
void rsp_presign_plan_free(rsp_presign_plan *p);
/* path is rsp_presign_path() of b64.  0, or -1 when out of memory. */
int rsp_presign_plan_add(rsp_presign_plan *p, int pass, const char *b64, size_t len, const char *path);
/* After both passes: 1 when more than one request of the run maps to path. */
int rsp_presign_plan_shared(const rsp_presign_plan *p, const char *path);

/* ---------------------------------------------------------------- a run */

typedef struct {
	const char *dir;              /* the web server's root; must exist */
	const ocspkit_hash *hashes;   /* the CertID hashes to answer */
	size_t n_hashes;
	int64_t now;                  /* sign as of this time */
	int quiet;                    /* no notes about requests skipped on purpose */
	/* one line per request not written ("index.txt:4: serial 3F, sha1
	 * with NULL parameters: ..."), and for running out of memory */
	void (*log)(void *ctx, const char *line);
	void *log_ctx;
} rsp_presign_opts;

typedef struct {
	unsigned long entries;        /* certificates of the sources */
	unsigned long written;
	unsigned long shared;         /* not written: another request maps to the file */
	unsigned long too_long;       /* not written: the path is too long for a file */
	unsigned long failed;         /* could not be answered or written */
} rsp_presign_counts;

/* rsp_presign writes the response of every certificate of the sources of
 * r's CAs (above) under o->dir and counts what it did in *c.  0 when the
 * run went through (c->failed may not be 0), -1 when it could not start:
 * out of memory, or a source that cannot list its certificates (a kind
 * without `each`), logged.  A CRL source lists the serials of its issued
 * list, or without one its revoked serials (source_crl.h). */
int rsp_presign(const rsp_responder *r, const rsp_presign_opts *o, rsp_presign_counts *c);

#endif
