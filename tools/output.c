/* What the subcommands tell the user (output.h). */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>

#include "commands.h"
#include "output.h"

const char *cli_progname;

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

void cli_log_line(void *ctx, const char *line)
{
	(void)ctx;
	cli_err("%s", line);
}

void cli_err_code(const char *what, ocspkit_err e, size_t offset, int has_offset)
{
	if (has_offset)
		cli_err("%s: %s at offset %zu (%s)", what, ocspkit_strerror_name(e), offset, ocspkit_strerror(e));
	else
		cli_err("%s: %s (%s)", what, ocspkit_strerror_name(e), ocspkit_strerror(e));
}

static void print_serial(FILE *f, ocspkit_bytes serial)
{
	fputs("serial 0x", f);
	for (size_t i = 0; i < serial.len; i++)
		fprintf(f, "%02X", serial.data[i]);
}

static void print_status(const char *name, ocspkit_bytes serial, const ocspkit_target_result *r, int verbose)
{
	char t[OCSPKIT_TIME_STRING_SIZE];
	if (name)
		fputs(name, stdout);
	else
		print_serial(stdout, serial);
	if (r->error) {
		printf(": %s (%s)\n", ocspkit_strerror_name(r->error), ocspkit_strerror(r->error));
		return;
	}
	const ocspkit_single_response *s = r->single;
	printf(": %s", ocspkit_cert_status_name(s->status));
	if (s->status == OCSPKIT_CERT_REVOKED) {
		if (s->has_revocation_reason)
			printf(" (%s)", ocspkit_crl_reason_name(s->revocation_reason));
		ocspkit_time_format(t, s->revocation_time);
		printf(" at %s", t);
	}
	if (verbose) {
		ocspkit_time_format(t, s->this_update);
		printf("; thisUpdate %s", t);
		if (s->has_next_update) {
			ocspkit_time_format(t, s->next_update);
			printf(", nextUpdate %s", t);
		}
	}
	putchar('\n');
}

/* The verdict of a validation as `ocspkit verify` prints it, and its exit
 * code; `ocspkit fetch` prints its answers the same way. */
int cli_verify_report(const char *label, const char *issuer_label, const ocspkit_response *resp, ocspkit_err e,
		      const ocspkit_validate_result *res, const ocspkit_validate_target *targets,
		      const char *const *names, size_t n, int verbose)
{
	int ret;
	const ocspkit_target_result *results = res->targets;

	if (e == OCSPKIT_E_NOT_SUCCESSFUL) {
		printf("%s: verification failed: %s (responseStatus %s)\n", label, ocspkit_strerror_name(e),
		       ocspkit_response_status_name(ocspkit_response_get_status(resp)));
		return EXIT_INVALID;
	}
	if (e && res->signer == OCSPKIT_SIGNER_NONE) {
		/* the response as a whole failed: no signer was accepted */
		printf("%s: verification failed: %s (%s)\n", label, ocspkit_strerror_name(e), ocspkit_strerror(e));
		return EXIT_INVALID;
	}
	if (n == 0) {
		printf("%s: no status for any certificate of %s\n", label, issuer_label);
		return EXIT_INVALID;
	}
	if (verbose) {
		const char *who = res->signer == OCSPKIT_SIGNER_CA ? "the issuing CA"
				  : res->signer == OCSPKIT_SIGNER_DELEGATED ? "a delegated responder"
									     : "a trusted responder";
		printf("%s: signed by %s%s\n", label, who, res->nocheck ? " (id-pkix-ocsp-nocheck)" : "");
	}
	ret = EXIT_GOOD;
	for (size_t i = 0; i < n; i++) {
		print_status(names[i], targets[i].cert ? ocspkit_cert_get_serial(targets[i].cert) : targets[i].serial,
			     &results[i], verbose);
		if (results[i].error)
			ret = EXIT_INVALID;
		else if (results[i].single->status != OCSPKIT_CERT_GOOD && ret == EXIT_GOOD)
			ret = EXIT_NOT_GOOD;
	}
	return ret;
}
