/* ocspkit print: show requests, responses and CRLs as text or JSON. */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "files.h"
#include "json.h"
#include "output.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ocspkit print [--json] [--lax] FILE...\n"
		"\n"
		"Detects request, response or CRL, DER, PEM or base64.\n"
		"  --json   JSON instead of text (one object, or an array for several files)\n"
		"  --lax    accept explicit DEFAULT values, padded integers and any nonce size,\n"
		"           and in CRLs negative serials and an empty revokedCertificates\n");
}

/* OCSPRequest starts SEQUENCE { SEQUENCE ..., OCSPResponse SEQUENCE {
 * ENUMERATED ...: the second identifier octet tells them apart. */
static int looks_like_response(const uint8_t *d, size_t n)
{
	size_t i = 1;
	if (n < 3 || d[0] != 0x30)
		return 0;
	if (d[1] & 0x80)
		i += d[1] & 0x7F;
	return i + 1 < n && d[i + 1] == 0x0A;
}

/* The element after the header at d[i] (n octets in all): the offset of
 * its content, or 0 when there is none. */
static size_t content_at(const uint8_t *d, size_t n, size_t i)
{
	if (i + 2 > n)
		return 0;
	size_t c = i + 2 + (d[i + 1] & 0x80 ? d[i + 1] & 0x7F : 0);
	return c < n ? c : 0;
}

/* CertificateList starts SEQUENCE { SEQUENCE { INTEGER (v2) or
 * SEQUENCE { OID ... (the signature algorithm of v1) ...: an OCSPRequest's
 * TBSRequest starts with a tagged field or the SEQUENCE OF Request. */
static int looks_like_crl(const uint8_t *d, size_t n)
{
	size_t tbs = content_at(d, n, 0), first;
	if (!tbs || d[0] != 0x30 || d[tbs] != 0x30 || !(first = content_at(d, n, tbs)))
		return 0;
	if (d[first] == 0x02)
		return 1;
	size_t inner = d[first] == 0x30 ? content_at(d, n, first) : 0;
	return inner && d[inner] == 0x06;
}

/* Prints one file; returns 0, or EXIT_INVALID / EXIT_USAGE. */
static int print_one(const char *path, int json, unsigned flags, char **json_out)
{
	static const char *const labels[] = { "OCSP RESPONSE", "OCSP REQUEST", "X509 CRL", NULL };
	uint8_t *der;
	size_t der_len, off = 0;
	ocspkit_err e;
	char *text = NULL;

	/* the largest CRL, as base64 */
	int rd = cli_read_der(path, OCSPKIT_MAX_CRL_SIZE / 3 * 4 + (1u << 20), labels, "OCSP request, response or CRL",
			      &der, &der_len);
	if (rd)
		return rd == -1 ? EXIT_USAGE : EXIT_INVALID;
	if (looks_like_crl(der, der_len)) {
		ocspkit_crl *c;
		e = ocspkit_crl_decode(&c, der, der_len, flags, &off);
		if (!e) {
			if (json)
				text = cli_json_crl(c);
			else if (ocspkit_crl_print(&text, c))
				text = NULL;
			ocspkit_crl_free(c);
		}
	} else if (looks_like_response(der, der_len)) {
		ocspkit_response *r;
		e = ocspkit_response_decode(&r, der, der_len, flags, &off);
		if (!e) {
			if (json)
				text = cli_json_response(r);
			else if (ocspkit_response_print(&text, r))
				text = NULL;
			ocspkit_response_free(r);
		}
	} else {
		ocspkit_request *q;
		e = ocspkit_request_decode(&q, der, der_len, flags, &off);
		if (!e) {
			if (json)
				text = cli_json_request(q);
			else if (ocspkit_request_print(&text, q))
				text = NULL;
			ocspkit_request_free(q);
		}
	}
	free(der);
	if (e) {
		cli_err_code(path, e, off, 1);
		return EXIT_INVALID;
	}
	if (!text) {
		cli_err("%s: out of memory", path);
		return EXIT_USAGE;
	}
	if (json_out) {
		*json_out = text;
		return 0;
	}
	fputs(text, stdout);
	free(text);
	return 0;
}

int cmd_print(int argc, char **argv)
{
	static const struct option opts[] = { { "json", no_argument, NULL, 'j' },
					      { "lax", no_argument, NULL, 'l' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	int json = 0, worst = 0;
	unsigned flags = OCSPKIT_DECODE_STRICT;

	optind = 1;
	for (int ch; (ch = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
		switch (ch) {
		case 'j': json = 1; break;
		case 'l':
			flags = OCSPKIT_DECODE_ALLOW_EXPLICIT_DEFAULT | OCSPKIT_DECODE_ALLOW_PADDED_INTEGER |
				OCSPKIT_DECODE_ALLOW_ANY_NONCE_SIZE | OCSPKIT_DECODE_ALLOW_NEGATIVE_SERIAL |
				OCSPKIT_DECODE_ALLOW_EMPTY_REVOKED_LIST;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	int several = argc - optind > 1;
	if (json && several)
		fputs("[\n", stdout);
	for (int i = optind; i < argc; i++) {
		char *obj = NULL;
		int r = print_one(argv[i], json, flags, json ? &obj : NULL);
		if (r > worst)
			worst = r;
		if (obj) {
			if (several && i > optind)
				fputs(",\n", stdout);
			fputs(obj, stdout);
			free(obj);
		} else if (json && several) {
			/* keep the array well-formed: a failed file is null */
			if (i > optind)
				fputs(",\n", stdout);
			fputs("null", stdout);
		}
	}
	if (json)
		fputs(several ? "\n]\n" : "\n", stdout);
	return worst;
}
