/* ocspkit request: build an OCSP request. */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "common/text.h"
#include "common/util.h"
#include "files.h"
#include "keys.h"
#include "options.h"
#include "output.h"

#define MAX_IDS 64

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ocspkit request --issuer CA.pem (--cert LEAF.pem | --serial HEX)... [options] --out REQ.der\n"
		"\n"
		"  --issuer FILE     certificate of the CA that issued the certificates (PEM or DER)\n"
		"  --cert FILE       a certificate to ask about (repeatable)\n"
		"  --serial HEX      a serial number to ask about (repeatable)\n"
		"  --hash NAME       CertID hash: sha1 (default, RFC 5019), sha256, sha384, sha512\n"
		"  --nonce           add a random 16-octet nonce (default)\n"
		"  --nonce-value HEX add this nonce\n"
		"  --no-nonce        no nonce (lets a responder answer from its cache)\n"
		"  --pem             write PEM (\"OCSP REQUEST\") instead of DER\n"
		"  --out FILE        where to write the request ('-' for stdout)\n"
		"\n"
		"Signed requests (RFC 6960 4.1.2):\n"
		"  --signer FILE     the requestor's certificate: signs, and names the requestor\n"
		"  --sign-key FILE   its private key (default: read from --signer)\n"
		"  --passin SPEC     the key's passphrase: env:VAR or file:PATH (best), fd:N, stdin,\n"
		"                    pass:TEXT (visible to other users in ps)\n"
		"  --sign-md HASH    signature digest (default sha256; sha384/sha512 for P-384/P-521)\n"
		"  --sign-opt OPT    rsa_padding_mode:pss, rsa_pss_saltlen:N, rsa_mgf1_md:HASH\n"
		"  --sign-other FILE more certificates to include\n");
}

int cmd_request(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "issuer", required_argument, NULL, 'i' }, { "cert", required_argument, NULL, 'c' },
		{ "serial", required_argument, NULL, 's' }, { "hash", required_argument, NULL, 'H' },
		{ "nonce", no_argument, NULL, 'n' },        { "nonce-value", required_argument, NULL, 'V' },
		{ "no-nonce", no_argument, NULL, 'N' },     { "out", required_argument, NULL, 'o' },
		{ "pem", no_argument, NULL, 'p' },          { "help", no_argument, NULL, 'h' },
		{ "signer", required_argument, NULL, 'S' }, { "sign-key", required_argument, NULL, 'K' },
		{ "signkey", required_argument, NULL, 'K' }, { "passin", required_argument, NULL, 'P' },
		{ "sign-md", required_argument, NULL, 'M' }, { "sign-opt", required_argument, NULL, 'G' },
		{ "sign-other", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	const char *issuer_path = NULL, *out_path = NULL;
	const char *certs[MAX_IDS], *serials[MAX_IDS];
	size_t n_certs = 0, n_serials = 0;
	ocspkit_hash hash = OCSPKIT_HASH_SHA1;
	int want_nonce = 1, pem = 0, ret = EXIT_USAGE;
	uint8_t nonce[OCSPKIT_MAX_NONCE_SIZE];
	size_t nonce_len = 16;
	int nonce_given = 0;
	const char *signer_path = NULL, *sign_key_path = NULL, *passin = NULL, *sign_other = NULL;
	ocspkit_sign_opts sopts;
	memset(&sopts, 0, sizeof(sopts));

	optind = 1;
	for (int ch; (ch = getopt_long(argc, argv, "h", opts, NULL)) != -1;) {
		switch (ch) {
		case 'i': issuer_path = optarg; break;
		case 'c':
			if (n_certs == MAX_IDS) {
				cli_err("at most %d certificates", MAX_IDS);
				return EXIT_USAGE;
			}
			certs[n_certs++] = optarg;
			break;
		case 's':
			if (n_serials == MAX_IDS) {
				cli_err("at most %d serial numbers", MAX_IDS);
				return EXIT_USAGE;
			}
			serials[n_serials++] = optarg;
			break;
		case 'H':
			if (!(hash = cli_parse_hash(optarg))) {
				cli_err("unknown hash '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'n': want_nonce = 1; break;
		case 'N': want_nonce = 0; break;
		case 'V': {
			uint8_t *v = NULL;
			size_t vl = 0;
			if (text_hex_decode(&v, &vl, optarg, strlen(optarg)) || vl < OCSPKIT_MIN_NONCE_SIZE ||
			    vl > OCSPKIT_MAX_NONCE_SIZE) {
				free(v);
				cli_err("--nonce-value: 1 to 32 octets of hex");
				return EXIT_USAGE;
			}
			memcpy(nonce, v, vl);
			nonce_len = vl;
			nonce_given = 1;
			want_nonce = 1;
			free(v);
			break;
		}
		case 'o': out_path = optarg; break;
		case 'p': pem = 1; break;
		case 'S': signer_path = optarg; break;
		case 'K': sign_key_path = optarg; break;
		case 'P': passin = optarg; break;
		case 'T': sign_other = optarg; break;
		case 'M':
			if (!(sopts.digest = cli_parse_hash(optarg))) {
				cli_err("unknown hash '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'G':
			if (cli_parse_sigopt(optarg, &sopts))
				return EXIT_USAGE;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc || !issuer_path || !out_path || n_certs + n_serials == 0 ||
	    ((sign_key_path || sign_other || passin) && !signer_path)) {
		usage(stderr);
		return EXIT_USAGE;
	}

	ocspkit_cert *issuer = NULL;
	ocspkit_cert_id_value values[2 * MAX_IDS];
	ocspkit_single_request reqs[2 * MAX_IDS];
	size_t n = 0;
	uint8_t *der = NULL;
	size_t der_len;

	if (cli_load_cert(issuer_path, &issuer))
		return EXIT_USAGE;
	for (size_t i = 0; i < n_certs; i++) {
		ocspkit_cert *leaf;
		ocspkit_err e;
		if (cli_load_cert(certs[i], &leaf))
			goto out;
		e = ocspkit_cert_id_for_cert(&values[n], hash, issuer, leaf);
		ocspkit_cert_free(leaf);
		if (e == OCSPKIT_E_INVALID_ARGUMENT) {
			cli_err("%s: not issued by %s (issuer name differs)", certs[i], issuer_path);
			goto out;
		}
		if (e) {
			cli_err_code(certs[i], e, 0, 0);
			goto out;
		}
		n++;
	}
	for (size_t i = 0; i < n_serials; i++) {
		uint8_t serial[OCSPKIT_MAX_SERIAL_SIZE];
		size_t sl;
		if (cli_parse_serial(serials[i], serial, sizeof(serial), &sl)) {
			cli_err("bad serial number '%s'", serials[i]);
			goto out;
		}
		ocspkit_err e = ocspkit_cert_id_compute(&values[n], hash, issuer, (ocspkit_bytes){ serial, sl });
		if (e) {
			cli_err_code(serials[i], e, 0, 0);
			goto out;
		}
		n++;
	}
	memset(reqs, 0, sizeof(reqs));
	for (size_t i = 0; i < n; i++)
		reqs[i].cert_id = ocspkit_cert_id_value_view(&values[i]);

	ocspkit_request_tbs tbs = { 0 };
	ocspkit_extension ext = { 0 };
	uint8_t ext_value[OCSPKIT_MAX_NONCE_SIZE + 2];
	tbs.requests = reqs;
	tbs.request_count = n;
	if (want_nonce) {
		if (!nonce_given && util_random(nonce, nonce_len)) {
			cli_err("cannot read random bytes for the nonce");
			goto out;
		}
		ext.type = OCSPKIT_EXT_NONCE;
		if (ocspkit_ext_nonce_value(ext_value, sizeof(ext_value), &ext.value.len,
					    (ocspkit_bytes){ nonce, nonce_len }))
			goto out;
		ext.value.data = ext_value;
		tbs.extensions = &ext;
		tbs.extension_count = 1;
	}
	ocspkit_err e = OCSPKIT_OK;
	if (signer_path) {
		if (cli_sign_request(&der, &der_len, &tbs, signer_path, sign_key_path, passin, &sopts, sign_other))
			goto out;
	} else {
		e = ocspkit_request_encode(&der, &der_len, &tbs, NULL);
	}
	if (e) {
		cli_err_code("encoding the request", e, 0, 0);
		goto out;
	}
	if (pem) {
		char *text;
		size_t tl;
		if (text_pem_encode(&text, &tl, "OCSP REQUEST", der, der_len))
			goto out;
		ret = cli_write_file(out_path, text, tl) ? EXIT_USAGE : 0;
		free(text);
	} else {
		ret = cli_write_file(out_path, der, der_len) ? EXIT_USAGE : 0;
	}
out:
	ocspkit_free(der);
	ocspkit_cert_free(issuer);
	return ret;
}
