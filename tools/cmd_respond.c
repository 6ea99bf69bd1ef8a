/* ocspkit respond: the offline responder.  Answers one request file from
 * an OpenSSL CA index the way `openssl ocsp -index ... -reqin ... -respout`
 * does, with openssl's option names (-index and --index both work):
 * a request that does not decode gets malformedRequest, one about a CA
 * not given gets unauthorized, a nonce is copied into the response. */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#define MAX_RSIGOPT 8

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ocspkit respond --index index.txt --CA CA.pem --rsigner SIGNER.pem [--rkey KEY.pem]\n"
		"                       --reqin REQ.der --respout RESP.der [options]\n"
		"\n"
		"  --index FILE        the OpenSSL CA database (index.txt)\n"
		"  --CA FILE           the CA certificate(s) the index is about\n"
		"  --rsigner FILE      the responder's certificate (the CA's own, or a delegated one)\n"
		"  --rkey FILE         its private key (default: read from --rsigner)\n"
		"  --passin SPEC       the key's passphrase: pass:TEXT, env:VAR, file:PATH, fd:N, stdin\n"
		"  --rmd HASH          signature digest: sha1, sha224, sha256, sha384, sha512\n"
		"  --rsigopt OPT       rsa_padding_mode:pss, rsa_pss_saltlen:N|digest|max, rsa_mgf1_md:HASH\n"
		"  --rother FILE       more certificates to include in the response\n"
		"  --resp-key-id       name the responder by key hash (default: by name)\n"
		"  --ndays N, --nmin N nextUpdate N days or minutes after thisUpdate (default: none)\n"
		"  --no-certs          include no certificate in the response\n"
		"  --at TIME           answer as of this time instead of now\n"
		"  --reqin FILE        the request (DER, PEM or base64; '-' for stdin)\n"
		"  --respout FILE      where to write the response ('-' for stdout)\n"
		"\n"
		"The single-dash forms of openssl (-index, -rsigner, -resp_key_id, -resp_no_certs ...)\n"
		"are accepted too.\n");
}

static int same_bytes(ocspkit_bytes a, ocspkit_bytes b)
{
	return a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
}

/* The CA among cas that a CertID names (both hashes, a known hash with no
 * parameters), or NULL. */
static const ocspkit_cert *find_ca(ocspkit_cert **cas, size_t n, const ocspkit_cert_id *id)
{
	for (size_t i = 0; i < n; i++) {
		ocspkit_cert_id_value v;
		if (ocspkit_cert_id_compute(&v, id->hash, cas[i], id->serial) != OCSPKIT_OK)
			continue;
		ocspkit_cert_id mine = ocspkit_cert_id_value_view(&v);
		if (ocspkit_cert_id_equal(&mine, id))
			return cas[i];
	}
	return NULL;
}

static int write_error_response(const char *path, ocspkit_response_status status)
{
	uint8_t *der;
	size_t len;
	if (ocspkit_response_encode(&der, &len, status, (ocspkit_bytes){ NULL, 0 }, NULL))
		return EXIT_USAGE;
	int r = cli_write_file(path, der, len) ? EXIT_USAGE : 0;
	ocspkit_free(der);
	if (r == 0)
		fprintf(stderr, "ocspkit respond: answered %s\n", ocspkit_response_status_name(status));
	return r;
}

/* GeneralizedTime DER (15 characters) for an invalidityDate extension. */
static void gentime_der(uint8_t out[17], int64_t t)
{
	char buf[OCSPKIT_TIME_STRING_SIZE];
	ocspkit_time_format(buf, t); /* 2026-11-22T01:57:04Z */
	out[0] = 0x18;
	out[1] = 15;
	const char *src = buf;
	uint8_t *d = out + 2;
	for (; *src; src++)
		if (*src >= '0' && *src <= '9')
			*d++ = (uint8_t)*src;
	*d = 'Z';
}

int cmd_respond(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "index", required_argument, NULL, 'x' },       { "CA", required_argument, NULL, 'C' },
		{ "rsigner", required_argument, NULL, 's' },     { "rkey", required_argument, NULL, 'k' },
		{ "passin", required_argument, NULL, 'p' },      { "rmd", required_argument, NULL, 'm' },
		{ "rsigopt", required_argument, NULL, 'o' },     { "rother", required_argument, NULL, 'O' },
		{ "resp-key-id", no_argument, NULL, 'K' },       { "resp_key_id", no_argument, NULL, 'K' },
		{ "ndays", required_argument, NULL, 'd' },       { "nmin", required_argument, NULL, 'n' },
		{ "no-certs", no_argument, NULL, 'N' },          { "resp_no_certs", no_argument, NULL, 'N' },
		{ "at", required_argument, NULL, 't' },          { "reqin", required_argument, NULL, 'r' },
		{ "respout", required_argument, NULL, 'w' },     { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *index_path = NULL, *ca_path = NULL, *signer_path = NULL, *key_path = NULL, *passin = NULL;
	const char *other_path = NULL, *req_path = NULL, *out_path = NULL;
	ocspkit_sign_opts sopts;
	int by_key = 0, no_certs = 0, ret = EXIT_USAGE;
	long ndays = -1, nmin = -1;
	int64_t now = 0;

	memset(&sopts, 0, sizeof(sopts));
	optind = 1;
	for (int ch; (ch = getopt_long_only(argc, argv, "h", opts, NULL)) != -1;) {
		char *end;
		switch (ch) {
		case 'x': index_path = optarg; break;
		case 'C': ca_path = optarg; break;
		case 's': signer_path = optarg; break;
		case 'k': key_path = optarg; break;
		case 'p': passin = optarg; break;
		case 'm':
			if (!(sopts.digest = cli_parse_hash(optarg))) {
				cli_err("--rmd: unknown digest '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'o':
			if (cli_parse_sigopt(optarg, &sopts))
				return EXIT_USAGE;
			break;
		case 'O': other_path = optarg; break;
		case 'K': by_key = 1; break;
		case 'd':
		case 'n': {
			long v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 0 || v > 36500L * (ch == 'n' ? 1440 : 1)) {
				cli_err("--%s: a number of %s expected", ch == 'd' ? "ndays" : "nmin",
					ch == 'd' ? "days" : "minutes");
				return EXIT_USAGE;
			}
			if (ch == 'd')
				ndays = v;
			else
				nmin = v;
			break;
		}
		case 'N': no_certs = 1; break;
		case 't':
			if (ocspkit_time_parse(&now, optarg) || now == 0) {
				cli_err("--at: a time such as 20261122015704Z");
				return EXIT_USAGE;
			}
			break;
		case 'r': req_path = optarg; break;
		case 'w': out_path = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind != argc || !index_path || !ca_path || !signer_path || !req_path || !out_path) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!now)
		now = (int64_t)time(NULL);

	ocspkit_cert **cas = NULL, **others = NULL, *signer = NULL;
	size_t n_cas = 0, n_others = 0, n_entries = 0;
	cli_index_entry *entries = NULL;
	ocspkit_privkey *key = NULL;
	ocspkit_pubkey *signer_pub = NULL;
	ocspkit_request *req = NULL;
	uint8_t *data = NULL, *der = NULL, *out = NULL;
	size_t len, der_len, out_len, off = 0;
	ocspkit_single_response *singles = NULL;
	ocspkit_extension *single_exts = NULL;
	uint8_t (*inv_dates)[17] = NULL;

	if (cli_load_certs(ca_path, &cas, &n_cas) || cli_load_cert(signer_path, &signer) ||
	    (other_path && cli_load_certs(other_path, &others, &n_others)) ||
	    cli_load_privkey(key_path ? key_path : signer_path, passin, &key) ||
	    cli_index_load(index_path, &entries, &n_entries))
		goto out;
	ocspkit_err e = ocspkit_pubkey_from_cert(&signer_pub, signer);
	if (!e)
		e = ocspkit_privkey_check(key, signer_pub);
	if (e) {
		cli_err("%s: the key does not belong to this certificate (%s)", key_path ? key_path : signer_path,
			ocspkit_strerror_name(e));
		goto out;
	}
	cli_finish_sign_opts(&sopts, key);

	/* the request; what does not decode is a malformed request */
	static const char *const labels[] = { "OCSP REQUEST", NULL };
	if (cli_read_file(req_path, OCSPKIT_MAX_MESSAGE_SIZE, &data, &len))
		goto out;
	if (cli_unwrap(data, len, labels, &der, &der_len) ||
	    (e = ocspkit_request_decode(&req, der, der_len, OCSPKIT_DECODE_STRICT, &off))) {
		if (der)
			cli_err_code(req_path, e, off, 1);
		ret = write_error_response(out_path, OCSPKIT_RESPONSE_MALFORMED_REQUEST);
		goto out;
	}
	size_t n = ocspkit_request_count(req);
	if (n == 0) {
		ret = write_error_response(out_path, OCSPKIT_RESPONSE_MALFORMED_REQUEST);
		goto out;
	}
	/* a signed request must verify with the certificate it carries */
	ocspkit_signature_block rsig;
	if (ocspkit_request_get_signature(req, &rsig)) {
		e = ocspkit_request_verify(req, NULL);
		if (e) {
			cli_err("%s: request signature: %s (%s)", req_path, ocspkit_strerror_name(e), ocspkit_strerror(e));
			ret = write_error_response(out_path, OCSPKIT_RESPONSE_UNAUTHORIZED);
			goto out;
		}
	}
	/* every CertID must name one of our CAs */
	for (size_t i = 0; i < n; i++) {
		if (!find_ca(cas, n_cas, &ocspkit_request_get(req, i)->cert_id)) {
			cli_err("%s: request %zu is about a CA this responder does not serve", req_path, i + 1);
			ret = write_error_response(out_path, OCSPKIT_RESPONSE_UNAUTHORIZED);
			goto out;
		}
	}

	singles = calloc(n, sizeof(*singles));
	single_exts = calloc(n, sizeof(*single_exts));
	inv_dates = calloc(n, sizeof(*inv_dates));
	if (!singles || !single_exts || !inv_dates) {
		cli_err("out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const ocspkit_cert_id *id = &ocspkit_request_get(req, i)->cert_id;
		const cli_index_entry *ent = cli_index_find(entries, n_entries, id->serial);
		ocspkit_single_response *s = &singles[i];
		s->cert_id = *id;
		s->this_update = now;
		if (ndays >= 0 || nmin >= 0) {
			s->has_next_update = 1;
			s->next_update = now + (ndays > 0 ? ndays * 86400 : 0) + (nmin > 0 ? nmin * 60 : 0);
		}
		if (!ent) {
			s->status = OCSPKIT_CERT_UNKNOWN;
		} else if (ent->status == 'R') {
			s->status = OCSPKIT_CERT_REVOKED;
			s->revocation_time = ent->revocation_time;
			s->has_revocation_reason = ent->has_reason;
			s->revocation_reason = ent->reason;
			if (ent->has_invalidity_date) {
				gentime_der(inv_dates[i], ent->invalidity_date);
				single_exts[i].type = OCSPKIT_EXT_INVALIDITY_DATE;
				single_exts[i].value = (ocspkit_bytes){ inv_dates[i], 17 };
				s->extensions = &single_exts[i];
				s->extension_count = 1;
			}
		} else {
			/* V, and E: expired is not revoked */
			s->status = OCSPKIT_CERT_GOOD;
		}
	}

	ocspkit_response_data d;
	uint8_t key_hash[20], nonce_value[OCSPKIT_MAX_NONCE_SIZE + 2];
	ocspkit_extension nonce_ext;
	ocspkit_bytes nonce;
	memset(&d, 0, sizeof(d));
	if (by_key) {
		ocspkit_cert_key_hash(key_hash, signer);
		d.responder_id.type = OCSPKIT_RESPONDER_BY_KEY;
		d.responder_id.value = (ocspkit_bytes){ key_hash, 20 };
	} else {
		d.responder_id.type = OCSPKIT_RESPONDER_BY_NAME;
		d.responder_id.value = ocspkit_cert_subject(signer);
	}
	d.produced_at = now;
	d.responses = singles;
	d.response_count = n;
	if (ocspkit_request_nonce(req, &nonce) == OCSPKIT_OK && nonce.len <= OCSPKIT_MAX_NONCE_SIZE) {
		memset(&nonce_ext, 0, sizeof(nonce_ext));
		nonce_ext.type = OCSPKIT_EXT_NONCE;
		if (ocspkit_ext_nonce_value(nonce_value, sizeof(nonce_value), &nonce_ext.value.len, nonce) == OCSPKIT_OK) {
			nonce_ext.value.data = nonce_value;
			d.extensions = &nonce_ext;
			d.extension_count = 1;
		}
	}

	ocspkit_bytes certs[1 + OCSPKIT_MAX_CERTIFICATES];
	size_t n_certs = 0;
	if (!no_certs)
		certs[n_certs++] = ocspkit_cert_der(signer);
	for (size_t i = 0; i < n_others && n_certs < OCSPKIT_MAX_CERTIFICATES; i++)
		if (!same_bytes(ocspkit_cert_der(others[i]), ocspkit_cert_der(signer)) || no_certs)
			certs[n_certs++] = ocspkit_cert_der(others[i]);
	e = ocspkit_response_sign(&out, &out_len, &d, key, &sopts, certs, n_certs);
	if (e) {
		cli_err_code("signing the response", e, 0, 0);
		goto out;
	}
	ret = cli_write_file(out_path, out, out_len) ? EXIT_USAGE : 0;
out:
	ocspkit_free(out);
	free(singles);
	free(single_exts);
	free(inv_dates);
	free(der);
	free(data);
	ocspkit_request_free(req);
	ocspkit_pubkey_free(signer_pub);
	ocspkit_privkey_free(key);
	free(entries);
	cli_free_certs(cas, n_cas);
	cli_free_certs(others, n_others);
	ocspkit_cert_free(signer);
	return ret;
}
