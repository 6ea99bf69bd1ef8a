/* ocspkit crl: is this CRL well formed, signed by this CA and usable, and
 * does it list these serial numbers?  The exit code says how it went (0
 * verified, or well formed without --issuer, and no serial asked about
 * listed; 1 some listed; 2 malformed or not verified; 3 usage or file
 * error). */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "common/util.h"
#include "files.h"
#include "options.h"
#include "output.h"

#define MAX_SERIALS 64

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ocspkit crl [--issuer CA.pem] [--serial HEX ...] [--lax] CRL\n"
		"\n"
		"Decodes a CRL (DER, PEM X509 CRL or base64) and says whether it may be used.\n"
		"  --issuer FILE  the CRL issuer's certificate: checks the issuer's name, its\n"
		"                 key usage (cRLSign), the signature and the critical extensions\n"
		"  --serial HEX   look a serial number up (repeatable): 'HEX: revoked DATE\n"
		"                 [REASON]' or 'HEX: not listed'\n"
		"  --lax          accept explicit DEFAULT values, padded and negative serials\n"
		"                 and an empty revokedCertificates\n"
		"\n"
		"exit: 0 usable (verified when --issuer is given) and no serial asked about listed;\n"
		"      1 some listed; 2 malformed or not verified; 3 usage or file error\n");
}

int cmd_crl(int argc, char **argv)
{
	static const struct option opts[] = { { "issuer", required_argument, NULL, 'i' },
					      { "serial", required_argument, NULL, 's' },
					      { "lax", no_argument, NULL, 'l' },
					      { "help", no_argument, NULL, 'h' },
					      { NULL, 0, NULL, 0 } };
	static const char *const labels[] = { "X509 CRL", NULL };
	const char *issuer_path = NULL, *serial_args[MAX_SERIALS];
	size_t n_serials = 0;
	unsigned flags = OCSPKIT_DECODE_STRICT;

	optind = 1;
	for (int ch; (ch = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
		switch (ch) {
		case 'i': issuer_path = optarg; break;
		case 's':
			if (n_serials == MAX_SERIALS) {
				cli_err("at most %d serial numbers", MAX_SERIALS);
				return EXIT_USAGE;
			}
			serial_args[n_serials++] = optarg;
			break;
		case 'l':
			flags = OCSPKIT_DECODE_ALLOW_EXPLICIT_DEFAULT | OCSPKIT_DECODE_ALLOW_PADDED_INTEGER |
				OCSPKIT_DECODE_ALLOW_NEGATIVE_SERIAL | OCSPKIT_DECODE_ALLOW_EMPTY_REVOKED_LIST;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *path = argv[optind];
	uint8_t *der;
	size_t der_len, off = 0;
	int rd = cli_read_der(path, OCSPKIT_MAX_CRL_SIZE / 3 * 4 + (1u << 20), labels, "CRL", &der, &der_len);
	if (rd)
		return rd == -1 ? EXIT_USAGE : EXIT_INVALID;
	ocspkit_crl *crl = NULL;
	ocspkit_err e = ocspkit_crl_decode(&crl, der, der_len, flags, &off);
	free(der);
	if (e) {
		cli_err_code(path, e, off, 1);
		return EXIT_INVALID;
	}

	int ret = EXIT_GOOD;
	if (issuer_path) {
		ocspkit_cert *issuer;
		if (cli_load_cert(issuer_path, &issuer)) {
			ocspkit_crl_free(crl);
			return EXIT_USAGE;
		}
		e = ocspkit_crl_verify(crl, issuer);
		ocspkit_cert_free(issuer);
		if (e) {
			cli_err_code(path, e, 0, 0);
			ocspkit_crl_free(crl);
			return EXIT_INVALID;
		}
		printf("%s: verified\n", path);
	} else if (ocspkit_crl_has_unknown_critical_extension(crl)) {
		cli_err_code(path, OCSPKIT_E_UNKNOWN_CRITICAL_EXTENSION, 0, 0);
		ret = EXIT_INVALID;
	}
	for (size_t i = 0; i < n_serials && ret != EXIT_USAGE; i++) {
		uint8_t serial[OCSPKIT_MAX_SERIAL_SIZE];
		size_t sl;
		ocspkit_crl_entry entry;
		char when[OCSPKIT_TIME_STRING_SIZE];
		if (cli_parse_serial(serial_args[i], serial, sizeof(serial), &sl)) {
			cli_err("bad serial number '%s'", serial_args[i]);
			ret = EXIT_USAGE;
			break;
		}
		e = ocspkit_crl_find(&entry, crl, (ocspkit_bytes){ serial, sl });
		if (e == OCSPKIT_E_NOT_FOUND) {
			printf("%s: not listed\n", serial_args[i]);
		} else if (e) {
			cli_err_code(serial_args[i], e, 0, 0);
			ret = EXIT_INVALID;
		} else {
			ocspkit_time_format(when, entry.revocation_date);
			printf("%s: revoked %s%s%s\n", serial_args[i], when, entry.has_reason ? " " : "",
			       entry.has_reason ? ocspkit_crl_reason_name(entry.reason) : "");
			if (ret == EXIT_GOOD)
				ret = EXIT_NOT_GOOD;
		}
	}
	ocspkit_crl_free(crl);
	return ret;
}
