/* ocspkit: command-line front end.  Each subcommand lives in its own file. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "output.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "request", cmd_request, "build an OCSP request for certificates or serial numbers" },
	{ "print", cmd_print, "print requests, responses and CRLs (DER, PEM or base64), as text or JSON" },
	{ "verify", cmd_verify, "verify a response: signature, responder, CertIDs, times, nonce" },
	{ "crl", cmd_crl, "check a CRL (well formed, signed by its CA, usable) and look serials up" },
	{ "respond", cmd_respond, "answer a request file from an OpenSSL CA index (offline responder)" },
	{ "serve", cmd_serve, "the OCSP responder: HTTP GET and POST from OpenSSL CA indexes, cacheable" },
	{ "presign", cmd_presign, "write the response of every index entry, for a static web server or CDN" },
	{ "fetch", cmd_fetch, "ask a certificate's OCSP responder over HTTP and verify the answer" },
	{ "staple", cmd_staple, "keep OCSP staple files fresh for nginx, HAProxy, GnuTLS servers" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: ocspkit <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n`ocspkit <command> --help` describes a command's options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("ocspkit %s\n", ocspkit_version());
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			cli_progname = commands[i].name;
			return commands[i].run(argc - 1, argv + 1);
		}
	}
	cli_err("unknown command '%s'", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
