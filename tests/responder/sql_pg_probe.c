/* Drives responder/sql_pg.c for tests/responder/test_sql_pg.py: opens
 * argv[1] (a postgresql:// URI; argv[2] a password file or "-") and runs
 * the commands read from stdin, one a line:
 *
 *   load [AKI...]   load_all
 *   changes MS      changes, waiting up to MS milliseconds
 *   reconnect
 *
 * Each answer: the rows given, one a line ("row" and the seven columns,
 * TAB-separated, \N for NULL), then "rc N" (and TAB, the error). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "responder/sql_backend.h"

static const char *text(const char *s)
{
	return s ? s : "\\N";
}

static int print_row(void *ctx, const rsp_sql_row *r)
{
	long *limit = ctx;

	printf("row\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", text(r->serial_number), text(r->authority_key_identifier),
	       text(r->ca_label), text(r->status), text(r->reason), text(r->revoked_at), text(r->expiry));
	return *limit > 0 && --*limit == 0;
}

static void answer(int rc, const char *err)
{
	if (rc < 0)
		printf("rc %d\t%s\n", rc, err);
	else
		printf("rc %d\n", rc);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const rsp_sql_backend_ops *ops = &rsp_sql_pg_ops;
	rsp_sql_backend *b;
	char err[512] = "", line[4096];
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: sql_pg_probe URI PASSFILE|- < commands\n");
		return 2;
	}
	rc = ops->open(&b, argv[1], strcmp(argv[2], "-") ? argv[2] : NULL, err, sizeof err);
	answer(rc, err);
	if (rc < 0)
		return 1;
	while (fgets(line, sizeof line, stdin)) {
		const char *words[64];
		size_t n = 0;
		long limit = 0;

		for (char *w = strtok(line, " \t\r\n"); w && n < 64; w = strtok(NULL, " \t\r\n"))
			words[n++] = w;
		if (!n)
			continue;
		err[0] = '\0';
		if (!strcmp(words[0], "load"))
			rc = ops->load_all(b, words + 1, n - 1, print_row, &limit, err, sizeof err);
		else if (!strcmp(words[0], "loadfirst")) /* stops after N rows */
			limit = strtol(words[1], NULL, 10),
			rc = ops->load_all(b, words + 2, n - 2, print_row, &limit, err, sizeof err);
		else if (!strcmp(words[0], "changes") && n == 2)
			rc = ops->changes(b, atoi(words[1]), print_row, &limit, err, sizeof err);
		else if (!strcmp(words[0], "reconnect"))
			rc = ops->reconnect(b, err, sizeof err);
		else
			rc = -1, snprintf(err, sizeof err, "unknown command %s", words[0]);
		answer(rc, err);
	}
	ops->close(b);
	return 0;
}
