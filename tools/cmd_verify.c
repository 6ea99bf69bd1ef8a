/* ocspkit verify: is this response authentic, current and about these
 * certificates?  One line per certificate; the exit code says how it went
 * (0 all good, 1 some revoked or unknown, 2 not verified or malformed,
 * 3 usage or file error). */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "common/text.h"
#include "common/util.h"
#include "files.h"
#include "options.h"
#include "output.h"
#include "trust.h"

#define MAX_IDS 64

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ocspkit verify --issuer CA.pem [--cert LEAF.pem ... | --serial HEX ...] [options] RESP.der\n"
		"\n"
		"  --issuer FILE      the CA that issued the certificates (trusted as given)\n"
		"  --cert FILE        a certificate asked about (repeatable)\n"
		"  --serial HEX       a serial number asked about (repeatable)\n"
		"  --request FILE     the request that was sent: its CertIDs, and its nonce\n"
		"                     (without --cert, --serial, --request: every certificate\n"
		"                     of the issuer the response answers)\n"
		"  --VAfile FILE      responders trusted as given (openssl's -VAfile): a response\n"
		"                     one of them signs needs no delegation; repeatable\n"
		"  --CAfile FILE      as --VAfile, but only its certificates that carry\n"
		"                     id-kp-OCSPSigning count: a CA bundle trusts no CA\n"
		"  --nonce HEX        the nonce that was sent\n"
		"  --at TIME          check at this time (YYYYMMDDHHMMSSZ, 2026-11-22T01:57:04Z or\n"
		"                     seconds since the epoch) instead of now\n"
		"  --skew SECONDS     allowed clock difference (default 300)\n"
		"  --max-age SECONDS  oldest acceptable thisUpdate when nextUpdate is absent\n"
		"  --lax              accept explicit DEFAULT values, padded integers, any nonce size\n"
		"  -v, --verbose      also say who signed and the update times\n"
		"\n"
		"exit: 0 verified, all good; 1 verified, some revoked or unknown;\n"
		"      2 verification failed or malformed input; 3 usage or file error\n");
}

static int parse_seconds(const char *s, int64_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || v < 0)
		return -1;
	*out = v;
	return 0;
}

static ocspkit_response *load_response(const char *path, unsigned flags, int *ret)
{
	static const char *const labels[] = { "OCSP RESPONSE", NULL };
	uint8_t *der;
	size_t der_len, off = 0;
	ocspkit_response *r = NULL;

	int rd = cli_read_der(path, OCSPKIT_MAX_MESSAGE_SIZE * 2, labels, "OCSP response", &der, &der_len);
	if (rd) {
		*ret = rd == -1 ? EXIT_USAGE : EXIT_INVALID;
		return NULL;
	}
	ocspkit_err e = ocspkit_response_decode(&r, der, der_len, flags, &off);
	free(der);
	if (e) {
		cli_err_code(path, e, off, 1);
		*ret = EXIT_INVALID;
		return NULL;
	}
	return r;
}

/* As load_response, for a request: C has no generics to share it. */
static ocspkit_request *load_request(const char *path, unsigned flags)
{
	static const char *const labels[] = { "OCSP REQUEST", NULL };
	uint8_t *der;
	size_t der_len, off = 0;
	ocspkit_request *q = NULL;

	if (cli_read_der(path, OCSPKIT_MAX_MESSAGE_SIZE * 2, labels, "OCSP request", &der, &der_len))
		return NULL;
	ocspkit_err e = ocspkit_request_decode(&q, der, der_len, flags, &off);
	free(der);
	if (e) {
		cli_err_code(path, e, off, 1);
		return NULL;
	}
	return q;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "issuer", required_argument, NULL, 'i' }, { "cert", required_argument, NULL, 'c' },
		{ "serial", required_argument, NULL, 's' }, { "request", required_argument, NULL, 'r' },
		{ "CAfile", required_argument, NULL, 'A' }, { "VAfile", required_argument, NULL, 'V' },
		{ "nonce", required_argument, NULL, 'n' },  { "at", required_argument, NULL, 't' },
		{ "skew", required_argument, NULL, 'k' },   { "max-age", required_argument, NULL, 'm' },
		{ "lax", no_argument, NULL, 'l' },          { "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 }
	};
	const char *issuer_path = NULL, *request_path = NULL, *cert_paths[MAX_IDS], *serial_args[MAX_IDS];
	cli_trust trust = { 0 };
	size_t n_certs = 0, n_serials = 0;
	ocspkit_validate_params p;
	unsigned flags = OCSPKIT_DECODE_STRICT;
	int verbose = 0, ret = EXIT_USAGE;
	uint8_t *nonce = NULL;
	size_t nonce_len = 0;

	memset(&p, 0, sizeof(p));
	p.skew = 300;
	optind = 1;
	for (int ch; (ch = getopt_long(argc, argv, "hv", opts, NULL)) != -1;) {
		switch (ch) {
		case 'i': issuer_path = optarg; break;
		case 'c':
			if (n_certs == MAX_IDS)
				goto too_many;
			cert_paths[n_certs++] = optarg;
			break;
		case 's':
			if (n_serials == MAX_IDS)
				goto too_many;
			serial_args[n_serials++] = optarg;
			break;
		case 'r': request_path = optarg; break;
		case 'A':
		case 'V':
			if (cli_trust_add(&trust, optarg, ch == 'A'))
				goto out;
			break;
		case 'n':
			free(nonce);
			nonce = NULL;
			if (text_hex_decode(&nonce, &nonce_len, optarg, strlen(optarg)) || nonce_len == 0) {
				cli_err("--nonce: hex octets expected");
				goto out;
			}
			break;
		case 't':
			if (ocspkit_time_parse(&p.now, optarg) || p.now == 0) {
				cli_err("--at: a time such as 20261122015704Z or 2026-11-22T01:57:04Z");
				goto out;
			}
			break;
		case 'k':
			if (parse_seconds(optarg, &p.skew)) {
				cli_err("--skew: seconds expected");
				goto out;
			}
			break;
		case 'm':
			if (parse_seconds(optarg, &p.max_age)) {
				cli_err("--max-age: seconds expected");
				goto out;
			}
			break;
		case 'l':
			flags = OCSPKIT_DECODE_ALLOW_EXPLICIT_DEFAULT | OCSPKIT_DECODE_ALLOW_PADDED_INTEGER |
				OCSPKIT_DECODE_ALLOW_ANY_NONCE_SIZE;
			break;
		case 'v': verbose = 1; break;
		case 'h': usage(stdout); ret = 0; goto out;
		default: usage(stderr); goto out;
		}
	}
	if (optind + 1 != argc || !issuer_path) {
		usage(stderr);
		goto out;
	}
	const char *resp_path = argv[optind];

	ocspkit_cert *issuer = NULL, *leaves[MAX_IDS] = { NULL };
	ocspkit_request *req = NULL;
	ocspkit_response *resp = NULL;
	ocspkit_validate_target targets[OCSPKIT_MAX_REQUESTS];
	ocspkit_validate_result res;
	const char *names[OCSPKIT_MAX_REQUESTS];
	uint8_t serials[MAX_IDS][OCSPKIT_MAX_SERIAL_SIZE];
	size_t n = 0;

	memset(targets, 0, sizeof(targets));
	memset(names, 0, sizeof(names));
	memset(&res, 0, sizeof(res));
	if (p.now == 0) /* no --at: now */
		p.now = (int64_t)time(NULL);
	if (cli_load_cert(issuer_path, &issuer))
		goto done;
	if (cli_trust_load(&trust))
		goto done;
	for (size_t i = 0; i < n_certs; i++) {
		if (cli_load_cert(cert_paths[i], &leaves[i]))
			goto done;
		if (!util_same_bytes(ocspkit_cert_get_issuer(leaves[i]), ocspkit_cert_get_subject(issuer))) {
			cli_err("%s: not issued by %s (issuer name differs)", cert_paths[i], issuer_path);
			goto done;
		}
		targets[n].cert = leaves[i];
		names[n++] = cert_paths[i];
	}
	for (size_t i = 0; i < n_serials; i++) {
		size_t sl;
		if (cli_parse_serial(serial_args[i], serials[i], sizeof(serials[i]), &sl)) {
			cli_err("bad serial number '%s'", serial_args[i]);
			goto done;
		}
		targets[n++].serial = (ocspkit_bytes){ serials[i], sl };
	}
	if (request_path) {
		if (!(req = load_request(request_path, flags)))
			goto done;
		for (size_t i = 0; i < ocspkit_request_get_single_count(req) && n < OCSPKIT_MAX_REQUESTS; i++) {
			targets[n].cert_id = &ocspkit_request_get_single(req, i)->cert_id;
			targets[n].serial = ocspkit_request_get_single(req, i)->cert_id.serial;
			n++;
		}
		ocspkit_bytes rn;
		if (!nonce && ocspkit_request_get_nonce(&rn, req) == OCSPKIT_OK) {
			p.nonce = rn;
		}
	}
	if (nonce)
		p.nonce = (ocspkit_bytes){ nonce, nonce_len };

	resp = load_response(resp_path, flags, &ret);
	if (!resp)
		goto done;

	/* nothing named: every certificate of this issuer the response answers */
	if (n == 0) {
		for (size_t i = 0; i < ocspkit_response_get_single_count(resp) && n < OCSPKIT_MAX_REQUESTS; i++) {
			const ocspkit_single_response *s = ocspkit_response_get_single(resp, i);
			ocspkit_cert_id_value v;
			if (ocspkit_cert_id_compute(&v, s->cert_id.hash, issuer, s->cert_id.serial) != OCSPKIT_OK)
				continue;
			ocspkit_cert_id id = ocspkit_cert_id_value_view(&v);
			if (!ocspkit_cert_id_equal(&id, &s->cert_id))
				continue;
			int dup = 0;
			for (size_t j = 0; j < n; j++)
				dup |= targets[j].serial.len == s->cert_id.serial.len &&
				       memcmp(targets[j].serial.data, s->cert_id.serial.data, s->cert_id.serial.len) == 0;
			if (!dup)
				targets[n++].serial = s->cert_id.serial;
		}
	}

	p.issuer = issuer;
	p.trusted = (const ocspkit_cert *const *)trust.certs;
	p.trusted_count = trust.count;
	p.targets = targets;
	p.target_count = n;
	p.flags = flags;
	ocspkit_err e = ocspkit_response_validate(&res, resp, &p);

	ret = cli_verify_report(resp_path, issuer_path, resp, e, &res, targets, names, n, verbose);
done:
	ocspkit_validate_result_clear(&res);
	ocspkit_response_free(resp);
	ocspkit_request_free(req);
	for (size_t i = 0; i < n_certs; i++)
		ocspkit_cert_free(leaves[i]);
	cli_trust_free(&trust);
	ocspkit_cert_free(issuer);
out:
	free(nonce);
	return ret;
too_many:
	cli_err("too many certificates or files");
	free(nonce);
	return EXIT_USAGE;
}
