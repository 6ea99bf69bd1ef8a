/* Responders trusted directly, for verify, fetch and staple. */
#ifndef OCSPKIT_TOOLS_TRUST_H
#define OCSPKIT_TOOLS_TRUST_H

#include <stddef.h>
#include <ocspkit/ocspkit.h>

/* Responders trusted directly (RFC 6960 4.2.2.2 "local configuration"),
 * for ocspkit verify, fetch and staple:
 *  --VAfile FILE  every certificate of FILE, as given (openssl's -VAfile);
 *  --CAfile FILE  only those of FILE that carry id-kp-OCSPSigning, so that
 *                 a bundle of CA certificates (what openssl's -CAfile
 *                 usually gets) makes no CA a responder for every other.
 * The validation still checks each one's validity at producedAt and now. */
#define CLI_MAX_TRUST_FILES 8
typedef struct {
	const char *paths[CLI_MAX_TRUST_FILES];
	unsigned char need_ocsp_signing[CLI_MAX_TRUST_FILES];
	size_t n_paths;
	ocspkit_cert **certs; /* what cli_trust_load kept */
	size_t count;
} cli_trust;

/* Remembers one --CAfile (need_ocsp_signing 1) or --VAfile (0); -1 (and
 * reported) when there are too many. */
int cli_trust_add(cli_trust *t, const char *path, int need_ocsp_signing);
/* Reads the files; reports its errors; 0 on success. */
int cli_trust_load(cli_trust *t);
void cli_trust_free(cli_trust *t);

#endif
