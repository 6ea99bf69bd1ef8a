/* The cache of verified delegated responder certificates (RFC 6960
 * section 4.2.2.2): a certificate already checked against a CA (issuer
 * name, id-kp-OCSPSigning, signature) costs, the next time a response
 * carries it, one signature check (docs/internals/delegated_cache.md).
 * The public side, ocspkit_responder_cache_*, is in <ocspkit/validate.h>. */
#ifndef OCSPKIT_DELEGATED_CACHE_H
#define OCSPKIT_DELEGATED_CACHE_H

#include <stdatomic.h>
#include <stdint.h>

#include <ocspkit/crypto.h>
#include <ocspkit/validate.h>

/* A delegated responder certificate verified against a CA: immutable once
 * made and reference-counted, so that a validation can use it without
 * holding the cache's lock while another thread evicts it. */
typedef struct okit_delegated {
	atomic_int refs;
	ocspkit_pubkey *key;
	int64_t not_before, not_after;
	int nocheck;
	uint8_t key_hash[20];     /* SHA-1 of subjectPublicKey: byKey ResponderID */
	ocspkit_bytes der;        /* the certificate */
	ocspkit_bytes subject;    /* within der: byName ResponderID */
	ocspkit_bytes ca_subject; /* the CA it was verified against */
	ocspkit_bytes ca_spki;
	uint64_t tag;
} okit_delegated;

/* okit_delegated_new makes in *out an entry, with one reference, for cert
 * (checked by the caller) issued by ca, with key, cert's public key.  It
 * takes ownership of key, even when it fails (OCSPKIT_E_NO_MEMORY). */
ocspkit_err okit_delegated_new(okit_delegated **out, const ocspkit_cert *cert, const ocspkit_cert *ca,
			       ocspkit_pubkey *key);

/* okit_delegated_unref drops a reference to d (NULL: nothing). */
void okit_delegated_unref(okit_delegated *d);

/* okit_delegated_cache_get returns the entry of the certificate der
 * verified against ca, with a reference for the caller, or NULL. */
okit_delegated *okit_delegated_cache_get(ocspkit_responder_cache *c, ocspkit_bytes der, const ocspkit_cert *ca);

/* okit_delegated_cache_put adds d, unless an equal entry is there already;
 * the cache takes its own reference.  When full, the least recently used
 * entry goes. */
void okit_delegated_cache_put(ocspkit_responder_cache *c, okit_delegated *d);

#endif
