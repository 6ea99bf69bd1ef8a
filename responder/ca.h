/* A CA the responder serves: its certificate, the CertID hashes that name
 * it (computed once, in every hash algorithm a request may use), the
 * signer that answers for it, and the revocation source its statuses
 * come from (source.h).
 *
 * The CA and its source are separate things: a source may serve several
 * CAs (one index.txt for the CA certificates of one --CA file, one
 * database for many issuers), and two CAs of one responder may have
 * sources of different kinds.  A CA borrows its certificate, signer and
 * source: they outlive it.
 */
#ifndef RSP_CA_H
#define RSP_CA_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

#include "source.h"

/* Who signs a CA's responses: the signer (an ocspkit_signer: a key in
 * memory, or whatever holds it, an HSM among them), the certificate that
 * names the responder (the CA itself, or a responder it delegated to) and
 * the certificates put in each response.  A signer that fails makes the
 * answer tryLater. */
typedef struct rsp_signer {
	const ocspkit_signer *signer; /* borrowed; called from every signing thread */
	const ocspkit_cert *cert;     /* the CA itself, or a delegated responder */
	int by_key;                   /* ResponderID byKey instead of byName */
	const ocspkit_bytes *certs;   /* certificates put in the response */
	size_t cert_count;
} rsp_signer;

/* Hash algorithms a CertID may use to name a served CA. */
#define RSP_CA_HASHES 5

typedef struct rsp_ca {
	const ocspkit_cert *cert;
	const rsp_signer *signer;     /* NULL for a CA the caching proxy answers for */
	rsp_source *source;           /* NULL: no statuses (the caching proxy's CAs) */
	struct {
		ocspkit_hash hash;
		size_t len;
		uint8_t name[OCSPKIT_MAX_HASH_SIZE], key[OCSPKIT_MAX_HASH_SIZE];
	} ids[RSP_CA_HASHES];         /* ids[0] is SHA-1 */
} rsp_ca;

/* rsp_ca_init sets up ca for cert, answered by signer from source (each
 * borrowed; signer and source may be NULL).  It computes the issuer name
 * and key hashes, so it fails only as ocspkit_cert_id_compute does.  A CA
 * holds no resources: nothing needs to be freed. */
OCSPKIT_WUR ocspkit_err rsp_ca_init(rsp_ca *ca, const ocspkit_cert *cert, const rsp_signer *signer,
				     rsp_source *source);

/* rsp_ca_matches returns 1 when id names ca: a hash algorithm of
 * RSP_CA_HASHES with absent or NULL parameters, and both issuer hashes
 * equal. */
int rsp_ca_matches(const rsp_ca *ca, const ocspkit_cert_id *id);
/* rsp_ca_find returns the first of cas[0..n) that id names, or NULL. */
const rsp_ca *rsp_ca_find(const rsp_ca *cas, size_t n, const ocspkit_cert_id *id);

/* rsp_ca_acquire returns the current snapshot of ca's source
 * (rsp_source_acquire), or NULL when it has none or no data yet. */
rsp_snapshot *rsp_ca_acquire(const rsp_ca *ca);
/* rsp_ca_lookup fills *st with what snap (ca's, from rsp_ca_acquire) says
 * of serial, a certificate issued by ca (rsp_snapshot_lookup). */
OCSPKIT_WUR ocspkit_err rsp_ca_lookup(const rsp_ca *ca, const rsp_snapshot *snap, ocspkit_bytes serial,
				       rsp_status *st);

#endif
