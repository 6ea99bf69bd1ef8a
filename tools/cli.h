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

/* Responders trusted directly (RFC 6960 4.2.2.2 "local configuration"),
 * for ocspkit verify, fetch and staple:
 *  --VAfile FILE  every certificate of FILE, as given (openssl's -VAfile);
 *  --CAfile FILE  only those of FILE that carry id-kp-OCSPSigning, so that
 *                 a bundle of CA certificates (what openssl's -CAfile
 *                 usually gets) makes no CA a responder for every other.
 * The validation still checks each one's validity at producedAt and now. */
#define CLI_MAX_TRUST_FILES 8
typedef struct {
	const char *paths[CLI_MAX_TRUST_FILES];
	unsigned char need_ocsp_signing[CLI_MAX_TRUST_FILES];
	size_t n_paths;
	ocspkit_cert **certs; /* what cli_trust_load kept */
	size_t count;
} cli_trust;

/* Remembers one --CAfile (need_ocsp_signing 1) or --VAfile (0); -1 (and
 * reported) when there are too many. */
int cli_trust_add(cli_trust *t, const char *path, int need_ocsp_signing);
/* Reads the files; reports its errors; 0 on success. */
int cli_trust_load(cli_trust *t);
void cli_trust_free(cli_trust *t);

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
int cmd_serve(int argc, char **argv);
int cmd_presign(int argc, char **argv);
int cmd_fetch(int argc, char **argv);
int cmd_staple(int argc, char **argv);

/* The verdict lines of `ocspkit verify` for a validation's result, and
 * their exit code (cmd_verify.c); `ocspkit fetch` reports the same way. */
int cli_verify_report(const char *label, const char *issuer_label, const ocspkit_response *resp, ocspkit_err e,
		      const ocspkit_validate_result *res, const ocspkit_validate_target *targets,
		      const char *const *names, size_t n, int verbose);

/* Private keys and signing options (keys.c).  A passphrase spec is
 * openssl's: pass:TEXT, env:VAR, file:PATH, fd:N or stdin.  Errors name
 * the source but never repeat the spec (it may be the passphrase). */
int cli_passphrase(const char *spec, char **out);
void cli_free_passphrase(char *pass);
/* A copy of a --passin argument (free with cli_free_passphrase; NULL when
 * out of memory); for pass:TEXT, TEXT is then overwritten in arg, the
 * argv string itself, so that ps stops showing it.  Other users could
 * read it until then: env: and file: are the forms to recommend. */
char *cli_passin_take(char *arg);
/* Loads a private key (PEM or DER, PKCS #1/#8, SEC 1, EdDSA, encrypted);
 * passin may be NULL.  Reports its errors.  0 on success. */
int cli_load_privkey(const char *path, const char *passin, ocspkit_privkey **key);
/* The same two, reporting into err (cap bytes) instead of stderr, for code
 * that has no terminal to print to (the server).  0 on success. */
int keys_passphrase(const char *spec, char **out, char *err, size_t cap);
int keys_load_privkey(const char *path, const char *passin, ocspkit_privkey **key, char *err, size_t cap);
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

/* What `respond`, `serve` and `presign` share (rsetup.c): the CAs with
 * their index.txt files, the signer(s) and the signing options, with
 * openssl ocsp's option names.  Each command puts RSETUP_OPTIONS in its
 * option table and hands the options it does not know to rsetup_option. */
#include "responder/answer.h"
#include "responder/source_index.h"

#define RSETUP_MAX_CA 64
typedef struct {
	const char *index[RSETUP_MAX_CA], *ca[RSETUP_MAX_CA], *rsigner[RSETUP_MAX_CA], *rkey[RSETUP_MAX_CA];
	size_t n_index, n_ca, n_rsigner, n_rkey;
	char *passin;                 /* the argv string; a copy once rsetup_hide_passin took it */
	int passin_copied;
	const char *rother;
	ocspkit_sign_opts sopts;
	int by_key, no_certs;
	long ndays, nmin;             /* -1: not given */
	rsp_load_policy load;         /* how index files are read (source_index.h) */
	/* loaded */
	ocspkit_cert **ca_certs;      /* every certificate of every --CA file */
	size_t n_ca_certs;
	size_t *ca_file;              /* which --CA file each came from */
	ocspkit_cert **signer_certs, **others;
	size_t n_signers, n_others;
	ocspkit_privkey **keys;
	rsp_signer *signers;
	ocspkit_bytes *cert_views;    /* the certificates each signer includes */
	rsp_source **sources;         /* one per --index */
	size_t n_sources;
	rsp_source_watcher *watchers; /* rsetup_log_sources' */
	rsp_responder r;
	struct rsp_upstream *upstream; /* serve --upstream: the caching proxy instead of r */
} rsetup;

#define RSETUP_OPTIONS                                                                              \
	{ "index", required_argument, NULL, 1000 }, { "CA", required_argument, NULL, 1001 },            \
	{ "rsigner", required_argument, NULL, 1002 }, { "rkey", required_argument, NULL, 1003 },       \
	{ "passin", required_argument, NULL, 1004 }, { "rmd", required_argument, NULL, 1005 },         \
	{ "rsigopt", required_argument, NULL, 1006 }, { "rother", required_argument, NULL, 1007 },     \
	{ "resp-key-id", no_argument, NULL, 1008 }, { "resp_key_id", no_argument, NULL, 1008 },        \
	{ "ndays", required_argument, NULL, 1009 }, { "nmin", required_argument, NULL, 1010 },         \
	{ "no-certs", no_argument, NULL, 1011 }, { "resp_no_certs", no_argument, NULL, 1011 },        \
	{ "allow-shrink", no_argument, NULL, 1012 }, { "index-settle", required_argument, NULL, 1013 }
#define RSETUP_USAGE                                                                                \
	"  --index FILE        the OpenSSL CA database (index.txt) of the --CA at the same position\n"    \
	"  --CA FILE           the CA certificate(s) the index is about\n"                               \
	"  --rsigner FILE      the responder's certificate (the CA's own, or a delegated one);\n"        \
	"                      once, or once per --CA\n"                                                  \
	"  --rkey FILE         its private key (default: read from --rsigner); once, or once per --CA\n" \
	"  --passin SPEC       the key's passphrase: env:VAR or file:PATH (best), fd:N, stdin,\n"         \
	"                      pass:TEXT (other users see it in ps until ocspkit has started)\n"          \
	"  --rmd HASH          signature digest: sha1, sha224, sha256, sha384, sha512\n"                  \
	"  --rsigopt OPT       rsa_padding_mode:pss, rsa_pss_saltlen:N|digest|max, rsa_mgf1_md:HASH\n"    \
	"  --rother FILE       more certificates to include in the response\n"                            \
	"  --resp-key-id       name the responder by key hash (default: by name)\n"                       \
	"  --no-certs          include no certificate in the response\n"                               \
	"  --index-settle MS   an index file is used only if it has not changed for MS milliseconds\n"  \
	"                      after being read (default 300): never half of a file being rewritten\n"  \
	"  --allow-shrink      accept an index with less than half the entries of the one in use\n"

void rsetup_init(rsetup *s);
/* Handles one option of RSETUP_OPTIONS: 0, or -1 after reporting.  arg
 * is the argv string (optarg), which --passin keeps for rsetup_hide_passin. */
int rsetup_option(rsetup *s, int ch, char *arg);
/* --passin pass:TEXT: takes a copy and blanks TEXT out of argv
 * (cli_passin_take).  1 when it did, 0 for other forms or when done
 * before, -1 (reported) when out of memory.  rsetup_load calls it; a
 * command that wants to warn calls it first. */
int rsetup_hide_passin(rsetup *s);
/* Loads the certificates and keys and builds s->r (with its CAs and,
 * when load_index, their index files as revocation sources, read once).
 * Reports and returns -1 on failure. */
int rsetup_load(rsetup *s, int load_index);
/* For the server: says what each source serves, and has it log a line
 * whenever it loads or refuses data.  -1 (reported) when out of memory. */
int rsetup_log_sources(rsetup *s);
/* nextUpdate - thisUpdate in seconds from --ndays/--nmin (-1: neither). */
int64_t rsetup_validity(const rsetup *s);
void rsetup_free(rsetup *s);

/* JSON forms for `print --json` (json.c); return a malloc'd string. */
char *cli_json_request(const ocspkit_request *req);
char *cli_json_response(const ocspkit_response *resp);

#endif
