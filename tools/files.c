/* Files, certificates and small parsers shared by the subcommands. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

const char *cli_progname; /* the subcommand, once known */

void cli_err(const char *fmt, ...)
{
	va_list ap;
	if (cli_progname)
		fprintf(stderr, "ocspkit %s: ", cli_progname);
	else
		fputs("ocspkit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_err_code(const char *what, ocspkit_err e, size_t offset, int has_offset)
{
	if (has_offset)
		cli_err("%s: %s at offset %zu (%s)", what, ocspkit_strerror_name(e), offset, ocspkit_strerror(e));
	else
		cli_err("%s: %s (%s)", what, ocspkit_strerror_name(e), ocspkit_strerror(e));
}

int cli_read_file(const char *path, size_t limit, uint8_t **data, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 4096, n = 0;
	uint8_t *buf;

	if (!f) {
		cli_err("%s: %s", path, strerror(errno));
		return -1;
	}
	/* fopen opens a directory for reading on Linux; only the first read
	 * fails, with a message that would not say why */
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		cli_err("%s: %s", path, strerror(EISDIR));
		if (f != stdin)
			fclose(f);
		return -1;
	}
	buf = malloc(cap);
	while (buf) {
		size_t k = fread(buf + n, 1, cap - n, f);
		n += k;
		if (n > limit) {
			cli_err("%s: larger than %zu bytes", path, limit);
			free(buf);
			buf = NULL;
			break;
		}
		if (k == 0)
			break;
		if (n == cap) {
			uint8_t *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	int failed = !buf || ferror(f);
	if (f != stdin)
		fclose(f);
	if (failed) {
		if (buf)
			cli_err("%s: read error", path);
		free(buf);
		return -1;
	}
	*data = buf;
	*len = n;
	return 0;
}

int cli_write_file(const char *path, const void *data, size_t len)
{
	if (strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
			cli_err("stdout: write error");
			return -1;
		}
		return 0;
	}
	char tmp[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int n = snprintf(tmp, sizeof(tmp), "%.*s.%s.XXXXXX", slash ? (int)(slash - path + 1) : 0, path,
			 slash ? slash + 1 : path);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		cli_err("%s: path too long", path);
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0) {
		cli_err("%s: %s", path, strerror(errno));
		return -1;
	}
	const uint8_t *p = data;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		left -= (size_t)w;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	/* make the rename itself durable */
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + (slash == path) : 1, slash ? path : ".");
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	cli_err("%s: %s", path, strerror(errno ? errno : EIO));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

static int is_base64_text(const uint8_t *d, size_t n)
{
	size_t chars = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = d[i];
		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		    ch == '+' || ch == '/' || ch == '-' || ch == '_' || ch == '=')
			chars++;
		else if (ch != ' ' && ch != '\n' && ch != '\r' && ch != '\t')
			return 0;
	}
	return chars > 0;
}

int cli_unwrap(const uint8_t *data, size_t len, const char *const *labels, uint8_t **der, size_t *der_len)
{
	ocspkit_err e;
	const char *text = (const char *)data;
	static const char begin[] = "-----BEGIN ";

	if (len >= sizeof(begin) - 1 && memmem(data, len, begin, sizeof(begin) - 1)) {
		if (!labels)
			return ocspkit_pem_decode(der, der_len, text, len, NULL, NULL, NULL) ? -1 : 0;
		for (const char *const *l = labels; *l; l++) {
			e = ocspkit_pem_decode(der, der_len, text, len, *l, NULL, NULL);
			if (e == OCSPKIT_OK)
				return 0;
			if (e != OCSPKIT_E_PEM_NO_BLOCK)
				return -1;
		}
		return -1;
	}
	if (is_base64_text(data, len)) {
		if (ocspkit_base64_decode(der, der_len, text, len, OCSPKIT_BASE64_SKIP_SPACE) == OCSPKIT_OK)
			return 0;
	}
	*der = malloc(len ? len : 1);
	if (!*der)
		return -1;
	memcpy(*der, data, len);
	*der_len = len;
	return 0;
}

int cli_is_blank(const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r' && data[i] != '\n')
			return 0;
	return 1;
}

int cli_read_der(const char *path, size_t limit, const char *const *labels, const char *what, uint8_t **der,
		 size_t *der_len)
{
	uint8_t *data;
	size_t len;

	if (cli_read_file(path, limit, &data, &len))
		return -1;
	/* nothing to decode: said as such, not as DER_TRUNCATED at offset 0 */
	if (cli_is_blank(data, len)) {
		free(data);
		cli_err("%s: empty input", path);
		return -2;
	}
	int e = cli_unwrap(data, len, labels, der, der_len);
	free(data);
	if (e) {
		cli_err("%s: no %s found", path, what);
		return -2;
	}
	if (*der_len == 0) { /* an empty PEM block: empty all the same */
		free(*der);
		*der = NULL;
		cli_err("%s: empty input", path);
		return -2;
	}
	return 0;
}

int cli_load_cert(const char *path, ocspkit_cert **cert)
{
	static const char *const labels[] = { "CERTIFICATE", "TRUSTED CERTIFICATE", "X509 CERTIFICATE", NULL };
	uint8_t *der;
	size_t der_len, off;
	ocspkit_err e;

	if (cli_read_der(path, OCSPKIT_MAX_MESSAGE_SIZE, labels, "certificate", &der, &der_len))
		return -1;
	e = ocspkit_cert_decode(cert, der, der_len, OCSPKIT_DECODE_STRICT, &off);
	free(der);
	if (e) {
		cli_err_code(path, e, off, 1);
		return -1;
	}
	return 0;
}

int cli_load_certs(const char *path, ocspkit_cert ***certs, size_t *n)
{
	uint8_t *data;
	size_t len, pos = 0;
	ocspkit_cert **list = NULL;
	size_t count = 0;

	*certs = NULL;
	*n = 0;
	if (cli_read_file(path, 16 * OCSPKIT_MAX_MESSAGE_SIZE, &data, &len))
		return -1;
	if (!memmem(data, len, "-----BEGIN ", 11)) {
		free(data);
		list = malloc(sizeof(*list));
		if (!list || cli_load_cert(path, &list[0])) {
			free(list);
			return -1;
		}
		*certs = list;
		*n = 1;
		return 0;
	}
	for (;;) {
		uint8_t *der;
		size_t der_len, end, off;
		ocspkit_err e = ocspkit_pem_decode(&der, &der_len, (const char *)data + pos, len - pos, "CERTIFICATE",
						   NULL, &end);
		if (e == OCSPKIT_E_PEM_NO_BLOCK)
			break;
		if (e) {
			cli_err_code(path, e, 0, 0);
			goto fail;
		}
		pos += end;
		ocspkit_cert **nl = realloc(list, (count + 1) * sizeof(*list));
		if (!nl) {
			free(der);
			goto fail;
		}
		list = nl;
		e = ocspkit_cert_decode(&list[count], der, der_len, OCSPKIT_DECODE_STRICT, &off);
		free(der);
		if (e) {
			cli_err_code(path, e, off, 1);
			goto fail;
		}
		count++;
	}
	free(data);
	if (count == 0) {
		cli_err("%s: no certificate found", path);
		free(list);
		return -1;
	}
	*certs = list;
	*n = count;
	return 0;
fail:
	free(data);
	cli_free_certs(list, count);
	return -1;
}

int cli_append_certs(const char *path, ocspkit_cert ***certs, size_t *n)
{
	ocspkit_cert **list;
	size_t count;
	if (cli_load_certs(path, &list, &count))
		return -1;
	ocspkit_cert **grown = realloc(*certs, (*n + count) * sizeof(*grown));
	if (!grown) {
		cli_free_certs(list, count);
		cli_err("out of memory");
		return -1;
	}
	memcpy(grown + *n, list, count * sizeof(*list));
	free(list);
	*certs = grown;
	*n += count;
	return 0;
}

void cli_free_certs(ocspkit_cert **certs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ocspkit_cert_free(certs[i]);
	free(certs);
}

int cli_trust_add(cli_trust *t, const char *path, int need_ocsp_signing)
{
	if (t->n_paths == CLI_MAX_TRUST_FILES) {
		cli_err("at most %d --CAfile and --VAfile", CLI_MAX_TRUST_FILES);
		return -1;
	}
	t->need_ocsp_signing[t->n_paths] = need_ocsp_signing != 0;
	t->paths[t->n_paths++] = path;
	return 0;
}

int cli_trust_load(cli_trust *t)
{
	for (size_t i = 0; i < t->n_paths; i++) {
		size_t first = t->count;
		if (cli_append_certs(t->paths[i], &t->certs, &t->count))
			return -1;
		if (!t->need_ocsp_signing[i])
			continue;
		size_t n = t->count - first, kept = first;
		for (size_t j = first; j < t->count; j++) {
			if (ocspkit_cert_has_ocsp_signing(t->certs[j]))
				t->certs[kept++] = t->certs[j];
			else
				ocspkit_cert_free(t->certs[j]);
		}
		size_t skipped = t->count - kept;
		t->count = kept;
		if (skipped)
			cli_err("note: --CAfile %s: %zu of %zu certificates lack id-kp-OCSPSigning and are not "
				"trusted as responders (--VAfile trusts a file as given)",
				t->paths[i], skipped, n);
	}
	return 0;
}

void cli_trust_free(cli_trust *t)
{
	cli_free_certs(t->certs, t->count);
	t->certs = NULL;
	t->count = 0;
}

ocspkit_hash cli_parse_hash(const char *name)
{
	static const struct {
		const char *name;
		ocspkit_hash h;
	} hashes[] = {
		{ "sha1", OCSPKIT_HASH_SHA1 },     { "sha224", OCSPKIT_HASH_SHA224 }, { "sha256", OCSPKIT_HASH_SHA256 },
		{ "sha384", OCSPKIT_HASH_SHA384 }, { "sha512", OCSPKIT_HASH_SHA512 },
	};
	for (size_t i = 0; i < sizeof(hashes) / sizeof(hashes[0]); i++)
		if (strcasecmp(name, hashes[i].name) == 0 ||
		    (name[0] == '-' && strcasecmp(name + 1, hashes[i].name) == 0))
			return hashes[i].h;
	return OCSPKIT_HASH_UNKNOWN;
}

int cli_parse_serial(const char *hex, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t *raw;
	size_t raw_len;
	char buf[2 * OCSPKIT_MAX_SERIAL_SIZE + 8];

	if (strncasecmp(hex, "0x", 2) == 0)
		hex += 2;
	/* odd number of digits: pad, as `openssl ocsp -serial` accepts */
	size_t n = strlen(hex);
	if (n == 0 || n + 2 > sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s%s", (n % 2 && !strchr(hex, ':')) ? "0" : "", hex);
	if (ocspkit_hex_decode(&raw, &raw_len, buf, strlen(buf)))
		return -1;
	/* a serial is a positive INTEGER: minimal content, 00 in front of a
	 * leading 1 bit */
	size_t skip = 0;
	while (skip + 1 < raw_len && raw[skip] == 0)
		skip++;
	int pad = raw_len && (raw[skip] & 0x80);
	if (raw_len == 0 || raw_len - skip + (size_t)pad > cap) {
		ocspkit_free(raw);
		return -1;
	}
	if (pad)
		out[0] = 0;
	memcpy(out + pad, raw + skip, raw_len - skip);
	*len = raw_len - skip + (size_t)pad;
	ocspkit_free(raw);
	return 0;
}

int cli_random(uint8_t *buf, size_t n)
{
	while (n) {
		ssize_t k = getrandom(buf, n, 0);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += k;
		n -= (size_t)k;
	}
	return 0;
}
