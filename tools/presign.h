/* Where `ocspkit presign` puts the response to a request so that a static
 * web server finds it for an RFC 5019 GET, and which requests of a run
 * must get no file because they would share one.  Pure (no I/O): the unit
 * test (tests/test_presign.c) drives it with chosen strings.
 *
 * nginx, as the README configures it (`root DIR; try_files $uri $uri.ocsp
 * @ocspkit;`), URL-decodes the GET path once and merges runs of '/'
 * (merge_slashes; the kernel does the same in file names, so it holds
 * whatever nginx does).  The file of the request whose base64 is R is
 * therefore DIR/<R with every run of '/' made one and a leading '/'
 * dropped>, its '/' being directories; when that ends in '/' (nginx
 * never maps such a URI to a file: `try_files $uri` finds a directory),
 * the file is PRESIGN_DIR_FILE in that directory, which `$uri.ocsp`
 * finds.  The '.' is outside the base64 alphabet: the name never equals
 * a component of a request's path, and `$uri.ocsp` of a path that does
 * not end in '/' never names a file presign writes.
 */
#ifndef OCSPKIT_TOOLS_PRESIGN_H
#define OCSPKIT_TOOLS_PRESIGN_H

#include <stddef.h>

/* The file of a request whose path ends in '/'. */
#define PRESIGN_DIR_FILE ".ocsp"

/* Writes to out (cap bytes, NUL-terminated) the file of the request whose
 * base64 is b64 (len characters), relative to DIR.  Returns its length,
 * or -1 when it does not fit in cap or a component would be longer than
 * NAME_MAX. */
int presign_path(char *out, size_t cap, const char *b64, size_t len);

/* Requests of a run that map to the same file: a web server would answer
 * one with the other's response.  A request whose file is its own base64
 * (no leading '/', no "//", no final '/') is the only such request for
 * that file, so only the others are remembered (a few per cent of a run,
 * all of a CA whose name and key hashes have a "//" in their base64):
 * pass 1 adds every request, pass 2 adds every request again, then
 * presign_plan_shared() tells whether a file is claimed by more than one
 * request.  Paths and requests are remembered by 64-bit digests (SHA-256):
 * two paths taken for one (a chance of 2^-64 per pair) only cost a file;
 * two requests of one path taken for one would hide a clash, at the same
 * odds.  The same request twice (a CA certificate given twice) is not a
 * clash. */
typedef struct presign_plan presign_plan;

presign_plan *presign_plan_new(void);
void presign_plan_free(presign_plan *p);
/* path is presign_path() of b64.  0, or -1 when out of memory. */
int presign_plan_add(presign_plan *p, int pass, const char *b64, size_t len, const char *path);
/* After both passes: 1 when more than one request of the run maps to path. */
int presign_plan_shared(const presign_plan *p, const char *path);

#endif
