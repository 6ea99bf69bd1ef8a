/* Private keys for signing: files read with GnuTLS (PEM or DER; PKCS #1,
 * PKCS #8, SEC 1, Ed25519 and Ed448; encrypted PKCS #8 and the
 * "Proc-Type: 4,ENCRYPTED" form `openssl genrsa -aes256` writes), handed to
 * the library as the octets of their parts.  Passphrases come the way openssl
 * takes them: pass:TEXT, env:VAR, file:PATH, fd:N, stdin. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "common/util.h"
#include "files.h"
#include "keys.h"
#include "options.h"
#include "output.h"

#define MAX_PASS 1024

static void wipe(void *p, size_t n)
{
	volatile uint8_t *v = p;
	while (n--)
		*v++ = 0;
}

/* The first line of fd (openssl reads one line for file:, fd: and stdin).
 * 0, or -1 with errno set when reading failed, or -2 when the line is too
 * long. */
static int read_line_fd(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	for (;;) {
		char ch;
		ssize_t k = read(fd, &ch, 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0 || ch == '\n')
			break;
		if (n + 1 >= cap)
			return -2;
		buf[n++] = ch;
	}
	if (n && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return 0;
}

/* Reports why the line of a passphrase source could not be read; what
 * names the source (a path, fd:N, stdin), never the passphrase. */
static int read_fail(char *err, size_t cap, const char *what, int r, int e)
{
	if (r == -2)
		return util_errf(err, cap, "passphrase: %s: line too long (at most %d bytes)", what, MAX_PASS - 1);
	return util_errf(err, cap, "passphrase: %s: %s", what, strerror(e));
}

/* The error messages name the source (variable, path, descriptor) but
 * never repeat the spec itself: a spec that is none of the forms is most
 * likely the passphrase given without its "pass:". */
int keys_passphrase(const char *spec, char **out, char *err, size_t cap)
{
	char buf[MAX_PASS], what[32];
	int r;
	*out = NULL;
	if (strncmp(spec, "pass:", 5) == 0) {
		*out = strdup(spec + 5);
	} else if (strncmp(spec, "env:", 4) == 0) {
		const char *v = getenv(spec + 4);
		if (!v)
			return util_errf(err, cap, "passphrase: environment variable %s is not set", spec + 4);
		*out = strdup(v);
	} else if (strncmp(spec, "file:", 5) == 0) {
		int fd = open(spec + 5, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return util_errf(err, cap, "passphrase: %s: %s", spec + 5, strerror(errno));
		r = read_line_fd(fd, buf, sizeof(buf));
		int e = errno;
		close(fd);
		if (r) {
			wipe(buf, sizeof(buf));
			return read_fail(err, cap, spec + 5, r, e);
		}
		*out = strdup(buf);
	} else if (strncmp(spec, "fd:", 3) == 0) {
		char *end;
		long fd = strtol(spec + 3, &end, 10);
		if (!spec[3] || *end || fd < 0 || fd > 65535)
			return util_errf(err, cap, "passphrase: fd: takes a descriptor number (fd:N)");
		snprintf(what, sizeof(what), "fd:%ld", fd);
		if ((r = read_line_fd((int)fd, buf, sizeof(buf)))) {
			wipe(buf, sizeof(buf));
			return read_fail(err, cap, what, r, errno);
		}
		*out = strdup(buf);
	} else if (strcmp(spec, "stdin") == 0) {
		if ((r = read_line_fd(0, buf, sizeof(buf)))) {
			wipe(buf, sizeof(buf));
			return read_fail(err, cap, "stdin", r, errno);
		}
		*out = strdup(buf);
	} else {
		return util_errf(err, cap,
			    "passphrase: --passin takes env:VAR, file:PATH, fd:N, stdin or pass:TEXT "
			    "(what was given is not shown: it may be the passphrase itself)");
	}
	wipe(buf, sizeof(buf));
	if (!*out)
		return util_errf(err, cap, "out of memory");
	return 0;
}

int cli_passphrase(const char *spec, char **out)
{
	char err[512];
	if (keys_passphrase(spec, out, err, sizeof(err)) == 0)
		return 0;
	cli_err("%s", err);
	return -1;
}

void cli_free_passphrase(char *p)
{
	if (p) {
		wipe(p, strlen(p));
		free(p);
	}
}

char *cli_passin_take(char *arg)
{
	char *copy = strdup(arg);
	if (copy && strncmp(arg, "pass:", 5) == 0) {
		/* in place: argv's strings are what ps and /proc/PID/cmdline
		 * read; 'x' rather than NUL keeps them one argument */
		for (char *p = arg + 5; *p; p++)
			*(volatile char *)p = 'x';
	}
	return copy;
}

static void free_datum(gnutls_datum_t *d)
{
	if (d->data) {
		wipe(d->data, d->size);
		gnutls_free(d->data);
	}
	d->data = NULL;
	d->size = 0;
}

static ocspkit_bytes view(const gnutls_datum_t *d)
{
	return (ocspkit_bytes){ d->data, d->size };
}

/* GnuTLS's coefficient u is q^-1 mod p, PKCS #1's, as the library's qinv. */
static ocspkit_err rsa_from_gnutls(gnutls_x509_privkey_t xk, int pss, ocspkit_privkey **key)
{
	gnutls_datum_t m = { 0 }, e = { 0 }, d = { 0 }, p = { 0 }, q = { 0 }, u = { 0 }, e1 = { 0 }, e2 = { 0 };
	ocspkit_err err = OCSPKIT_E_BAD_PRIVATE_KEY;

	if (gnutls_x509_privkey_export_rsa_raw2(xk, &m, &e, &d, &p, &q, &u, &e1, &e2) != 0)
		return err;
	ocspkit_rsa_private_parts parts = { view(&m), view(&e), view(&d), view(&p), view(&q),
					    view(&e1), view(&e2), view(&u) };
	err = ocspkit_privkey_from_rsa(key, &parts, pss);
	free_datum(&m);
	free_datum(&e);
	free_datum(&d);
	free_datum(&p);
	free_datum(&q);
	free_datum(&u);
	free_datum(&e1);
	free_datum(&e2);
	return err;
}

static ocspkit_err ecc_from_gnutls(gnutls_privkey_t pk, ocspkit_privkey **key)
{
	gnutls_ecc_curve_t curve;
	gnutls_datum_t x = { 0 }, y = { 0 }, k = { 0 };
	ocspkit_err err = OCSPKIT_E_UNSUPPORTED_ALGORITHM;

	if (gnutls_privkey_export_ecc_raw2(pk, &curve, &x, &y, &k, 0) != 0)
		return OCSPKIT_E_BAD_PRIVATE_KEY;
	switch (curve) {
	case GNUTLS_ECC_CURVE_ED25519:
	case GNUTLS_ECC_CURVE_ED448:
		err = ocspkit_privkey_from_eddsa(key, curve == GNUTLS_ECC_CURVE_ED25519 ? OCSPKIT_KEY_ED25519
										: OCSPKIT_KEY_ED448,
						 k.data, k.size);
		break;
	case GNUTLS_ECC_CURVE_SECP256R1:
		err = ocspkit_privkey_from_ec(key, OCSPKIT_KEY_EC_P256, k.data, k.size);
		break;
	case GNUTLS_ECC_CURVE_SECP384R1:
		err = ocspkit_privkey_from_ec(key, OCSPKIT_KEY_EC_P384, k.data, k.size);
		break;
	case GNUTLS_ECC_CURVE_SECP521R1:
		err = ocspkit_privkey_from_ec(key, OCSPKIT_KEY_EC_P521, k.data, k.size);
		break;
	default:
		break;
	}
	free_datum(&x);
	free_datum(&y);
	free_datum(&k);
	return err;
}

static int looks_encrypted(const uint8_t *d, size_t n)
{
	return memmem(d, n, "ENCRYPTED", 9) != NULL;
}

/* The whole key file, without printing (cli_read_file reports on stderr). */
static int read_key_file(const char *path, uint8_t **data, size_t *len, char *err, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0, c = 4096;
	uint8_t *buf;
	if (fd < 0)
		return util_errf(err, cap, "%s: %s", path, strerror(errno));
	if (!(buf = malloc(c))) {
		close(fd);
		return util_errf(err, cap, "out of memory");
	}
	for (;;) {
		ssize_t k = read(fd, buf + n, c - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;
			wipe(buf, n);
			free(buf);
			close(fd);
			return util_errf(err, cap, "%s: %s", path, strerror(e));
		}
		if (k == 0)
			break;
		n += (size_t)k;
		if (n > OCSPKIT_MAX_MESSAGE_SIZE) {
			wipe(buf, n);
			free(buf);
			close(fd);
			return util_errf(err, cap, "%s: larger than %u bytes", path, OCSPKIT_MAX_MESSAGE_SIZE);
		}
		if (n == c) {
			uint8_t *nb = malloc(c * 2);
			if (!nb) {
				wipe(buf, n);
				free(buf);
				close(fd);
				return util_errf(err, cap, "out of memory");
			}
			memcpy(nb, buf, n);
			wipe(buf, n);
			free(buf);
			buf = nb;
			c *= 2;
		}
	}
	close(fd);
	*data = buf;
	*len = n;
	return 0;
}

int keys_load_privkey(const char *path, const char *passin, ocspkit_privkey **key, char *err, size_t cap)
{
	uint8_t *data = NULL;
	size_t len = 0;
	char *pass = NULL;
	gnutls_x509_privkey_t xk = NULL;
	gnutls_privkey_t pk = NULL;
	ocspkit_err e = OCSPKIT_E_BAD_PRIVATE_KEY;
	int ret = -1, r;

	*key = NULL;
	if (passin && keys_passphrase(passin, &pass, err, cap))
		return -1;
	if (read_key_file(path, &data, &len, err, cap)) {
		cli_free_passphrase(pass);
		return -1;
	}
	gnutls_datum_t d = { data, (unsigned)len };
	int pem = memmem(data, len, "-----BEGIN", 10) != NULL;
	if (gnutls_x509_privkey_init(&xk) != 0) {
		util_errf(err, cap, "%s: out of memory", path);
		goto out;
	}
	r = gnutls_x509_privkey_import2(xk, &d, pem ? GNUTLS_X509_FMT_PEM : GNUTLS_X509_FMT_DER, pass, 0);
	if (r == GNUTLS_E_DECRYPTION_FAILED) {
		if (!pass)
			util_errf(err, cap, "%s: the key is encrypted: give its passphrase with --passin", path);
		else
			util_errf(err, cap, "%s: wrong passphrase (the key could not be decrypted)", path);
		goto out;
	}
	if (r != 0) {
		if (!pass && looks_encrypted(data, len))
			util_errf(err, cap, "%s: the key is encrypted: give its passphrase with --passin", path);
		else
			util_errf(err, cap, "%s: no private key found (%s)", path, gnutls_strerror(r));
		goto out;
	}
	int alg = gnutls_x509_privkey_get_pk_algorithm2(xk, NULL);
	switch (alg) {
	case GNUTLS_PK_RSA:
	case GNUTLS_PK_RSA_PSS:
		e = rsa_from_gnutls(xk, alg == GNUTLS_PK_RSA_PSS, key);
		break;
	case GNUTLS_PK_ECDSA:
	case GNUTLS_PK_EDDSA_ED25519:
	case GNUTLS_PK_EDDSA_ED448:
		if (gnutls_privkey_init(&pk) != 0 || gnutls_privkey_import_x509(pk, xk, 0) != 0)
			break;
		e = ecc_from_gnutls(pk, key);
		break;
	default:
		e = OCSPKIT_E_UNSUPPORTED_ALGORITHM;
		break;
	}
	if (e) {
		util_errf(err, cap, "%s: %s (%s)", path, ocspkit_strerror_name(e), ocspkit_strerror(e));
		goto out;
	}
	ret = 0;
out:
	if (pk)
		gnutls_privkey_deinit(pk);
	if (xk)
		gnutls_x509_privkey_deinit(xk);
	wipe(data, len);
	free(data);
	cli_free_passphrase(pass);
	return ret;
}

int cli_load_privkey(const char *path, const char *passin, ocspkit_privkey **key)
{
	char err[512];
	if (keys_load_privkey(path, passin, key, err, sizeof(err)) == 0)
		return 0;
	cli_err("%s", err);
	return -1;
}

/* openssl's -sigopt names: rsa_padding_mode:pss|pkcs1,
 * rsa_pss_saltlen:N|digest|-1|max|-2|auto, rsa_mgf1_md:NAME. */
int cli_parse_sigopt(const char *opt, ocspkit_sign_opts *o)
{
	const char *v = strchr(opt, ':');
	size_t klen = v ? (size_t)(v - opt) : 0;
	if (!v)
		goto bad;
	v++;
	if (klen == 16 && strncmp(opt, "rsa_padding_mode", 16) == 0) {
		if (strcmp(v, "pss") == 0)
			o->rsa_pss = 1;
		else if (strcmp(v, "pkcs1") == 0)
			o->rsa_pss = 0;
		else
			goto bad;
		return 0;
	}
	if (klen == 15 && strncmp(opt, "rsa_pss_saltlen", 15) == 0) {
		o->has_pss_salt_len = 1;
		if (strcmp(v, "digest") == 0 || strcmp(v, "-1") == 0) {
			o->has_pss_salt_len = 0;
		} else if (strcmp(v, "max") == 0 || strcmp(v, "auto") == 0 || strcmp(v, "-2") == 0) {
			o->pss_salt_len = CLI_PSS_SALT_MAX;
		} else {
			char *end;
			long n = strtol(v, &end, 10);
			if (!*v || *end || n < 0 || n > OCSPKIT_MAX_PSS_SALT)
				goto bad;
			o->pss_salt_len = (size_t)n;
		}
		return 0;
	}
	if (klen == 11 && strncmp(opt, "rsa_mgf1_md", 11) == 0) {
		if (!(o->pss_mgf1_hash = cli_parse_hash(v)))
			goto bad;
		return 0;
	}
bad:
	cli_err("unsupported signing option '%s' (rsa_padding_mode:pss|pkcs1, rsa_pss_saltlen:N|digest|max, "
		"rsa_mgf1_md:HASH)",
		opt);
	return -1;
}

/* Resolves what depends on the key (rsa_pss_saltlen:max). */
static void finish_sign_opts(ocspkit_sign_opts *o, const ocspkit_privkey *key)
{
	if (o->has_pss_salt_len && o->pss_salt_len == CLI_PSS_SALT_MAX) {
		/* RFC 8017 9.1.1: emLen >= hLen + sLen + 2 */
		size_t em_len = (ocspkit_privkey_get_bits(key) - 1 + 7) / 8;
		size_t hl = ocspkit_hash_size(o->digest ? o->digest : OCSPKIT_HASH_SHA256);
		size_t max = em_len > hl + 2 ? em_len - hl - 2 : 0;
		o->pss_salt_len = max > OCSPKIT_MAX_PSS_SALT ? OCSPKIT_MAX_PSS_SALT : max;
	}
}

int keys_signer(ocspkit_signer **out, const ocspkit_privkey *key, const ocspkit_cert *cert, ocspkit_sign_opts opts,
		const char *what, char *err, size_t cap)
{
	ocspkit_pubkey *pub = NULL;
	ocspkit_err e;

	*out = NULL;
	if ((e = ocspkit_pubkey_from_cert(&pub, cert)) == OCSPKIT_OK)
		e = ocspkit_privkey_check(key, pub);
	ocspkit_pubkey_free(pub);
	if (e)
		return util_errf(err, cap, "%s: the key does not belong to this certificate (%s)", what,
				 ocspkit_strerror_name(e));
	finish_sign_opts(&opts, key);
	if ((e = ocspkit_signer_from_privkey(out, key, &opts)))
		return util_errf(err, cap, "%s: cannot sign with these options (%s)", what, ocspkit_strerror_name(e));
	return 0;
}

/* requestorName [1] GeneralName: directoryName [4] EXPLICIT Name */
static uint8_t *directory_name(ocspkit_bytes name, size_t *len)
{
	size_t hdr = name.len < 0x80 ? 2 : name.len < 0x100 ? 3 : name.len < 0x10000 ? 4 : 0;
	uint8_t *out = hdr ? malloc(hdr + name.len) : NULL;
	if (!out)
		return NULL;
	out[0] = 0xA4;
	if (hdr == 2) {
		out[1] = (uint8_t)name.len;
	} else if (hdr == 3) {
		out[1] = 0x81;
		out[2] = (uint8_t)name.len;
	} else {
		out[1] = 0x82;
		out[2] = (uint8_t)(name.len >> 8);
		out[3] = (uint8_t)name.len;
	}
	memcpy(out + hdr, name.data, name.len);
	*len = hdr + name.len;
	return out;
}

int cli_sign_request(uint8_t **der, size_t *len, const ocspkit_request_tbs *tbs_in, const char *signer_path,
		     const char *key_path, const char *passin, const ocspkit_sign_opts *opts, const char *other_path)
{
	ocspkit_cert *signer_cert = NULL, **others = NULL;
	size_t n_others = 0;
	ocspkit_privkey *key = NULL;
	ocspkit_signer *signer = NULL;
	uint8_t *gn = NULL;
	ocspkit_request_tbs tbs = *tbs_in;
	char err[512];
	int ret = -1;
	ocspkit_err e;

	if (cli_load_cert(signer_path, &signer_cert) || (other_path && cli_load_certs(other_path, &others, &n_others)) ||
	    cli_load_privkey(key_path ? key_path : signer_path, passin, &key))
		goto out;
	if (keys_signer(&signer, key, signer_cert, *opts, key_path ? key_path : signer_path, err, sizeof(err))) {
		cli_err("%s", err);
		goto out;
	}
	/* RFC 6960 4.1.2: a signed request names its requestor */
	if (tbs.requestor_name.len == 0) {
		size_t gl;
		if (!(gn = directory_name(ocspkit_cert_get_subject(signer_cert), &gl))) {
			cli_err("%s: subject name too long", signer_path);
			goto out;
		}
		tbs.requestor_name = (ocspkit_bytes){ gn, gl };
	}
	ocspkit_bytes certs[1 + OCSPKIT_MAX_CERTIFICATES];
	size_t n = 0;
	certs[n++] = ocspkit_cert_get_der(signer_cert);
	for (size_t i = 0; i < n_others && n < OCSPKIT_MAX_CERTIFICATES; i++)
		certs[n++] = ocspkit_cert_get_der(others[i]);
	if ((e = ocspkit_request_sign(der, len, &tbs, signer, certs, n))) {
		cli_err_code("signing the request", e, 0, 0);
		goto out;
	}
	ret = 0;
out:
	free(gn);
	ocspkit_signer_free(signer);
	ocspkit_privkey_free(key);
	cli_free_certs(others, n_others);
	ocspkit_cert_free(signer_cert);
	return ret;
}
