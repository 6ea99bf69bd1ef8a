/* What responder/, client/ and tools/ share beneath the codec: small
 * helpers each of them had written again (text.h has the text
 * encodings).  Only the public API of libocspkit is used, so that
 * everything above the codec can link it.
 */
#ifndef OCSPKIT_COMMON_UTIL_H
#define OCSPKIT_COMMON_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

/* util_same_bytes returns 1 when a and b hold the same octets. */
int util_same_bytes(ocspkit_bytes a, ocspkit_bytes b);

/* util_fnv1a returns the 64-bit FNV-1a hash of p[0..n): fast, stable
 * across runs and machines, and not meant to resist chosen inputs (the
 * tables that use it are bounded instead). */
uint64_t util_fnv1a(const uint8_t *p, size_t n);

/* util_serial_hex writes to out (cap octets, at least 4) the serial
 * number whose INTEGER content octets are serial, as index.txt and
 * `openssl ocsp` write it: upper-case hex of the positive value, the sign
 * octet of a serial whose first bit is set left out.  What does not fit
 * ends in "...". */
void util_serial_hex(char *out, size_t cap, ocspkit_bytes serial);

/* util_write_all writes buf[0..n) to fd, retrying short writes and EINTR;
 * 0, or -1 when the descriptor refuses (what was written stays). */
int util_write_all(int fd, const void *buf, size_t n);

/* util_log_line writes "<time now> <who>: <message>\n" to fd with one
 * write(2), so that lines of several threads or processes never
 * interleave; who is "ocspkit serve", "ocspkit staple" and the like.
 * Lines longer than 1 KB are cut. */
void util_log_line(int fd, const char *who, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* util_errf formats a message into err (cap octets) and returns -1: for
 * functions that report failures as text for their caller to show. */
int util_errf(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* util_read_file reads the whole file at path ("-": standard input), at
 * most limit octets, into *data (malloc'd, *len octets).  0, or -1 with
 * a message naming the path in err (cap octets): cannot be opened, a
 * directory, larger than limit, a read error, out of memory. */
int util_read_file(const char *path, size_t limit, uint8_t **data, size_t *len, char *err, size_t cap);

/* util_write_file replaces the file at path ("-": standard output) with
 * data atomically: a temporary file in the same directory (".NAME.XXXXXX",
 * hidden from servers that load every file of a directory), fsync,
 * rename over path, fsync of the directory.  Readers see the old file or
 * the new one, whole.  0, or -1 with a message in err. */
int util_write_file(const char *path, const void *data, size_t len, char *err, size_t cap);

/* util_random fills buf with n random octets from the kernel
 * (getrandom).  0, or -1. */
int util_random(uint8_t *buf, size_t n);

/* util_log_fn receives log lines (without the newline): the libraries
 * report through one, the program decides where lines go. */
typedef void (*util_log_fn)(void *ctx, const char *line);

/* util_logf formats a line (at most 1 KB) and hands it to log (nothing
 * when log is NULL). */
void util_logf(util_log_fn log, void *ctx, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
