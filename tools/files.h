/* Input files of the subcommands: whole files (common/util.h), reported
 * on stderr; DER inside PEM or base64; certificates and bundles. */
#ifndef OCSPKIT_TOOLS_FILES_H
#define OCSPKIT_TOOLS_FILES_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

/* Reads a whole file ("-" is stdin), up to limit bytes.  0 on success. */
int cli_read_file(const char *path, size_t limit, uint8_t **data, size_t *len);
/* Writes a file atomically: a temporary in the same directory, fsync,
 * rename over the target, fsync of the directory.  "-" is stdout. */
int cli_write_file(const char *path, const void *data, size_t len);

/* The DER inside data: a PEM block with one of the labels (NULL-terminated
 * list, or any label when labels is NULL), base64 text, or DER as is.
 * *der is malloc'd (free with ocspkit_free); *label gets the PEM label or
 * NULL. */
int cli_unwrap(const uint8_t *data, size_t len, const char *const *labels, uint8_t **der, size_t *der_len);

/* 1 when data is empty or only spaces, tabs and line ends: an "empty
 * input", which is reported as such rather than as a decoding error. */
int cli_is_blank(const uint8_t *data, size_t len);

/* Reads a file and unwraps it (cli_unwrap).  0 on success; -1 when the
 * file cannot be read (a directory: "PATH: Is a directory"), -2 when it
 * is empty or blank ("PATH: empty input") or holds no DER ("PATH: no WHAT
 * found"), all reported. */
int cli_read_der(const char *path, size_t limit, const char *const *labels, const char *what, uint8_t **der,
		 size_t *der_len);

/* Loads one certificate (PEM or DER). */
int cli_load_cert(const char *path, ocspkit_cert **cert);
/* Loads every certificate of a PEM bundle (or one DER certificate). */
int cli_load_certs(const char *path, ocspkit_cert ***certs, size_t *n);
/* Appends the certificates of PATH to the growable array *CERTS of *N;
 * on failure the array is as it was. */
int cli_append_certs(const char *path, ocspkit_cert ***certs, size_t *n);
void cli_free_certs(ocspkit_cert **certs, size_t n);

#endif
