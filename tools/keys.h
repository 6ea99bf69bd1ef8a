/* Private keys, their passphrases, signing options, and the signers made
 * of them (GnuTLS reads the key files; the codec signs). */
#ifndef OCSPKIT_TOOLS_KEYS_H
#define OCSPKIT_TOOLS_KEYS_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

/* A passphrase spec is
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
/* keys_signer makes *out, the signer (ocspkit_signer_free) of key under
 * opts for the holder of cert: the key must be cert's, rsa_pss_saltlen:max
 * is resolved for it, and the options must suit it.  key is borrowed and
 * must outlive the signer.  0, or -1 with a message naming what (the
 * key's file) in err (cap bytes). */
int keys_signer(ocspkit_signer **out, const ocspkit_privkey *key, const ocspkit_cert *cert, ocspkit_sign_opts opts,
		const char *what, char *err, size_t cap);
/* Signs a request (RFC 6960 4.1.2) with the signer's certificate and key
 * (key_path NULL: from the certificate's file), naming the signer as
 * requestor and carrying its certificate and those of other_path. */
int cli_sign_request(uint8_t **der, size_t *len, const ocspkit_request_tbs *tbs, const char *signer_path,
		     const char *key_path, const char *passin, const ocspkit_sign_opts *opts, const char *other_path);

#endif
