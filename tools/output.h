/* What the subcommands tell the user: error messages on stderr, and the
 * verdict lines of `ocspkit verify` and `ocspkit fetch` on stdout. */
#ifndef OCSPKIT_TOOLS_OUTPUT_H
#define OCSPKIT_TOOLS_OUTPUT_H

#include <stddef.h>
#include <ocspkit/ocspkit.h>

/* The running subcommand's name, once known ("ocspkit fetch: ..."). */
extern const char *cli_progname;

/* cli_err prints "ocspkit <subcommand>: <message>" to stderr. */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* cli_err_code reports a library error about what: its name, and the
 * offset when has_offset. */
void cli_err_code(const char *what, ocspkit_err e, size_t offset, int has_offset);

/* cli_log_line reports a line a library logs (an HTTP attempt of the
 * client with -v, a request presign could not write) as cli_err does. */
void cli_log_line(void *ctx, const char *line);

/* The verdict lines of `ocspkit verify` for a validation's result, and
 * their exit code (cmd_verify.c); `ocspkit fetch` reports the same way. */
int cli_verify_report(const char *label, const char *issuer_label, const ocspkit_response *resp, ocspkit_err e,
		      const ocspkit_validate_result *res, const ocspkit_validate_target *targets,
		      const char *const *names, size_t n, int verbose);

#endif
