/* The ocspkit command: shared helpers of its subcommands. */
#ifndef OCSPKIT_CLI_H
#define OCSPKIT_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

/* Exit codes shared by the subcommands (those of `ocspkit verify`). */
enum {
	EXIT_GOOD = 0,     /* done; every certificate asked about is good */
	EXIT_NOT_GOOD = 1, /* done; some certificate is revoked or unknown */
	EXIT_INVALID = 2,  /* the input is malformed or does not verify */
	EXIT_USAGE = 3     /* usage or file error */
};

extern const char *cli_progname;

/* Prints "ocspkit: <message>" to stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reports a library error about a file: name, offset when known. */
void cli_err_code(const char *what, ocspkit_err e, size_t offset, int has_offset);

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

/* Loads one certificate (PEM or DER). */
int cli_load_cert(const char *path, ocspkit_cert **cert);
/* Loads every certificate of a PEM bundle (or one DER certificate). */
int cli_load_certs(const char *path, ocspkit_cert ***certs, size_t *n);
void cli_free_certs(ocspkit_cert **certs, size_t n);

/* Hash names: sha1, sha256, sha384, sha512 (and sha224). 0 if unknown. */
ocspkit_hash cli_parse_hash(const char *name);
/* Hex serial ("0x" prefix and ':' allowed) to minimal INTEGER content. */
int cli_parse_serial(const char *hex, uint8_t *out, size_t cap, size_t *len);
/* Fills buf with n random octets from the kernel. 0 on success. */
int cli_random(uint8_t *buf, size_t n);

/* Subcommands */
int cmd_request(int argc, char **argv);
int cmd_print(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_respond(int argc, char **argv);

/* Private keys and signing options (keys.c).  A passphrase spec is
 * openssl's: pass:TEXT, env:VAR, file:PATH, fd:N or stdin. */
int cli_passphrase(const char *spec, char **out);
void cli_free_passphrase(char *pass);
/* Loads a private key (PEM or DER, PKCS #1/#8, SEC 1, EdDSA, encrypted);
 * passin may be NULL.  Reports its errors.  0 on success. */
int cli_load_privkey(const char *path, const char *passin, ocspkit_privkey **key);
/* One -sigopt (rsa_padding_mode:pss, rsa_pss_saltlen:N, rsa_mgf1_md:H). */
#define CLI_PSS_SALT_MAX ((size_t)-1)
int cli_parse_sigopt(const char *opt, ocspkit_sign_opts *opts);
/* Resolves what depends on the key (rsa_pss_saltlen:max). */
void cli_finish_sign_opts(ocspkit_sign_opts *opts, const ocspkit_privkey *key);
/* Signs a request (RFC 6960 4.1.2) with the signer's certificate and key
 * (key_path NULL: from the certificate's file), naming the signer as
 * requestor and carrying its certificate and those of other_path. */
int cli_sign_request(uint8_t **der, size_t *len, const ocspkit_request_tbs *tbs, const char *signer_path,
		     const char *key_path, const char *passin, ocspkit_sign_opts *opts, const char *other_path);

/* The OpenSSL CA database, index.txt (cadb.c). */
typedef struct {
	char status;                 /* 'V', 'R' or 'E' */
	uint8_t serial[OCSPKIT_MAX_SERIAL_SIZE]; /* INTEGER content octets, minimal */
	size_t serial_len;
	int64_t expiry;
	int64_t revocation_time;     /* 'R' */
	int has_reason;
	ocspkit_crl_reason reason;
	int has_invalidity_date;     /* keyTime, CAkeyTime */
	int64_t invalidity_date;
} cli_index_entry;
int cli_index_load(const char *path, cli_index_entry **entries, size_t *count);
const cli_index_entry *cli_index_find(const cli_index_entry *entries, size_t count, ocspkit_bytes serial);

/* JSON forms for `print --json` (json.c); return a malloc'd string. */
char *cli_json_request(const ocspkit_request *req);
char *cli_json_response(const ocspkit_response *resp);

#endif
