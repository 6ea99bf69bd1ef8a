/* Input files of the subcommands (files.h). */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/text.h"
#include "common/util.h"
#include "files.h"
#include "output.h"

int cli_read_file(const char *path, size_t limit, uint8_t **data, size_t *len)
{
	char err[PATH_MAX + 64];
	if (util_read_file(path, limit, data, len, err, sizeof(err)) != 0) {
		cli_err("%s", err);
		return -1;
	}
	return 0;
}

int cli_write_file(const char *path, const void *data, size_t len)
{
	char err[PATH_MAX + 64];
	if (util_write_file(path, data, len, err, sizeof(err)) != 0) {
		cli_err("%s", err);
		return -1;
	}
	return 0;
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
			return text_pem_decode(der, der_len, text, len, NULL, NULL, NULL) ? -1 : 0;
		for (const char *const *l = labels; *l; l++) {
			e = text_pem_decode(der, der_len, text, len, *l, NULL, NULL);
			if (e == OCSPKIT_OK)
				return 0;
			if (e != OCSPKIT_E_PEM_NO_BLOCK)
				return -1;
		}
		return -1;
	}
	if (is_base64_text(data, len)) {
		if (text_base64_decode(der, der_len, text, len, TEXT_BASE64_SKIP_SPACE) == OCSPKIT_OK)
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
		ocspkit_err e = text_pem_decode(&der, &der_len, (const char *)data + pos, len - pos, "CERTIFICATE",
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
