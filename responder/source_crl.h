/* A CA's CRLs as a revocation source (source.h): a complete CRL, an
 * optional delta CRL and an optional list of the serials the CA issued,
 * each a file or (the CRLs) an http:// or https:// URL.
 *
 * Statuses, from memory: a serial the delta CRL lists is revoked, unless
 * its reason is removeFromCRL (it is then not listed at all); otherwise a
 * serial the complete CRL lists is revoked; revoked carries the entry's
 * revocationDate, its reason (none when the entry has none), its
 * invalidityDate and, for certificateHold, its holdInstructionCode.  A
 * serial neither lists is good, or unknown when an issued list is given
 * and does not hold it.  Of an indirect CRL only the entries of
 * certificates the CA issued count (ocspkit_crl_find).
 *
 * A CRL is published only when it
 *  - decodes (PEM or DER; strict, with the tolerances of decode_flags);
 *  - verifies against the CA (ocspkit_crl_verify: issuer, cRLSign, the
 *    signature, no unknown critical extension);
 *  - is of its kind: no delta CRL given as the complete one, no complete
 *    CRL given as the delta;
 *  - covers the CA's certificates for every reason: an issuing
 *    distribution point with onlyContainsCACerts,
 *    onlyContainsAttributeCerts or onlySomeReasons is refused
 *    (onlyContainsUserCerts is accepted: an OCSP answer about a CA
 *    certificate from such a CRL would be wrong, and the source cannot
 *    tell the two apart, so documentation says so);
 *  - is not older than the one in use: CRL number not lower, or without
 *    numbers thisUpdate not earlier;
 * and a delta CRL only when its BaseCRLNumber is not greater than the
 * complete CRL's number, its own number greater, and its issuing
 * distribution point the same.  A delta refused, or superseded by a new
 * complete CRL, is dropped with a log line and the complete CRL serves
 * alone.  What is refused keeps the snapshot in use serving; a source
 * that never loaded has no data (tryLater).
 *
 * Files are read with rsp_read_stable when they change (or at
 * RSP_POLL_FORCE); URLs are fetched through the caller's fetch function
 * (libresponder links no HTTP client) every refresh seconds, before the
 * CRL's nextUpdate (at nextUpdate - min(refresh, a tenth of its
 * validity)), at RSP_POLL_FORCE, and after a failure again after a
 * backoff (30 s, doubling, at most refresh).  A fetched body equal to
 * the last one is not looked at again.
 *
 * Times: each snapshot caps the answers' nextUpdate at the CRLs'
 * nextUpdate (the earlier of the two) and floors thisUpdate at the
 * complete CRL's thisUpdate (rsp_snapshot).  Past nextUpdate the data is
 * stale: said once (rsp_source_stale, freshness), and with
 * stale_serve 0 answered tryLater after nextUpdate + grace.
 */
#ifndef RSP_SOURCE_CRL_H
#define RSP_SOURCE_CRL_H

#include "source.h"

/* Defaults of the command line's --crl-refresh and --crl-grace. */
#define RSP_CRL_DEFAULT_REFRESH 3600
#define RSP_CRL_DEFAULT_GRACE 3600
/* Seconds a URL fetch may take. */
#define RSP_CRL_DEFAULT_FETCH_TIMEOUT 30
/* First wait after a failed fetch (doubled after each, at most refresh). */
#define RSP_CRL_BACKOFF 30
/* Largest issued-serial file or index read. */
#define RSP_CRL_MAX_ISSUED_SIZE (256u << 20)

/* Fetches url (http:// or https://) within timeout_s seconds, a body of
 * at most max octets: 0 with *body (malloc'd, freed by the source) and
 * *len, or -1 with why in err (cap octets).  Called from the thread that
 * polls the source; lookups go on meanwhile. */
typedef int (*rsp_crl_fetch_fn)(void *ctx, const char *url, long timeout_s, size_t max, uint8_t **body,
				size_t *len, char *err, size_t cap);

typedef struct {
	const ocspkit_cert *ca;   /* the CA (borrowed): the CRLs' issuer and signer */
	const char *crl;          /* the complete CRL: a path or a URL */
	const char *delta;        /* the delta CRL, or NULL */
	const char *issued;       /* the issued serials, or NULL: an OpenSSL index.txt, a file
	                             of hex serials (one a line, # comments), or a directory
	                             of the certificates (*.pem, *.der, *.crt) */
	int64_t refresh;          /* seconds between fetches of a URL; 0: RSP_CRL_DEFAULT_REFRESH */
	int stale_serve;          /* 1: answer from a CRL past its nextUpdate; 0: tryLater after grace */
	int64_t grace;            /* seconds after nextUpdate (stale_serve 0); < 0: RSP_CRL_DEFAULT_GRACE */
	unsigned decode_flags;    /* OCSPKIT_DECODE_* tolerances */
	unsigned settle_ms;       /* files must stand still this long (stable.h) */
	rsp_crl_fetch_fn fetch;   /* for URLs; NULL: a URL cannot be read (refused) */
	void *fetch_ctx;
	long fetch_timeout;       /* seconds; 0: RSP_CRL_DEFAULT_FETCH_TIMEOUT */
} rsp_crl_source_opts;

/* rsp_crl_source_default_opts sets the defaults above (no paths). */
void rsp_crl_source_default_opts(rsp_crl_source_opts *o);

/* rsp_crl_source_new makes a source from o (strings copied; the CA and
 * the fetch context borrowed).  It has no data until the first
 * rsp_source_poll.  OCSPKIT_E_INVALID_ARGUMENT without a CA or CRL,
 * OCSPKIT_E_NO_MEMORY, or OCSPKIT_OK with *out to free with
 * rsp_source_free. */
OCSPKIT_WUR ocspkit_err rsp_crl_source_new(rsp_source **out, const rsp_crl_source_opts *o);

/* rsp_crl_is_url returns 1 when where is an http:// or https:// URL. */
int rsp_crl_is_url(const char *where);

#endif
