/* Responders trusted directly (trust.h). */
#include <config.h>

#include "files.h"
#include "output.h"
#include "trust.h"

int cli_trust_add(cli_trust *t, const char *path, int need_ocsp_signing)
{
	if (t->n_paths == CLI_MAX_TRUST_FILES) {
		cli_err("at most %d --CAfile and --VAfile", CLI_MAX_TRUST_FILES);
		return -1;
	}
	t->need_ocsp_signing[t->n_paths] = need_ocsp_signing != 0;
	t->paths[t->n_paths++] = path;
	return 0;
}

int cli_trust_load(cli_trust *t)
{
	for (size_t i = 0; i < t->n_paths; i++) {
		size_t first = t->count;
		if (cli_append_certs(t->paths[i], &t->certs, &t->count))
			return -1;
		if (!t->need_ocsp_signing[i])
			continue;
		size_t n = t->count - first, kept = first;
		for (size_t j = first; j < t->count; j++) {
			if (ocspkit_cert_has_ocsp_signing(t->certs[j]))
				t->certs[kept++] = t->certs[j];
			else
				ocspkit_cert_free(t->certs[j]);
		}
		size_t skipped = t->count - kept;
		t->count = kept;
		if (skipped)
			cli_err("note: --CAfile %s: %zu of %zu certificates lack id-kp-OCSPSigning and are not "
				"trusted as responders (--VAfile trusts a file as given)",
				t->paths[i], skipped, n);
	}
	return 0;
}

void cli_trust_free(cli_trust *t)
{
	cli_free_certs(t->certs, t->count);
	t->certs = NULL;
	t->count = 0;
}
