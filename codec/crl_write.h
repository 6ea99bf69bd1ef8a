/* Writing CRLs, for ocspkit's own tests, fuzz round trips and the
 * benchmark's million-entry CRL; not a public API (ocspkit is not a CRL
 * issuer, and a public encoder would be ABI to keep for no user).  What
 * it writes follows RFC 5280 and decodes strictly: the version only for
 * v2, times by 5.1.2.4's rule, minimal serials, known extensions of their
 * type.  docs/internals/crl.md. */
#ifndef OCSPKIT_CRL_WRITE_H
#define OCSPKIT_CRL_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include <ocspkit/ocsp.h>

/* One revokedCertificates entry. */
typedef struct {
	ocspkit_bytes serial; /* INTEGER content octets, minimal */
	int64_t revocation_date;
	const ocspkit_extension *extensions; /* crlEntryExtensions (v2 only) */
	size_t extension_count;
} okit_crl_entry_spec;

/* A TBSCertList. */
typedef struct {
	long version;                   /* 0 (v1) or 1 (v2) */
	ocspkit_algorithm_id signature; /* TBSCertList.signature */
	ocspkit_bytes issuer;           /* whole DER of the Name */
	int64_t this_update;
	int has_next_update;
	int64_t next_update;
	const okit_crl_entry_spec *entries;
	size_t entry_count;             /* 0: revokedCertificates absent */
	const ocspkit_extension *extensions; /* crlExtensions (v2 only) */
	size_t extension_count;
} okit_crl_spec;

/* okit_crl_tbs_write sets *der (ocspkit_free) and *len to the DER of the
 * TBSCertList spec describes.  OCSPKIT_E_INVALID_ARGUMENT (or the error of
 * the extension writer) for what would not decode strictly. */
ocspkit_err okit_crl_tbs_write(uint8_t **der, size_t *len, const okit_crl_spec *spec);

/* okit_crl_assemble sets *der and *len to the CertificateList of an
 * encoded TBSCertList tbs, signed under alg with the signature octets
 * sig. */
ocspkit_err okit_crl_assemble(uint8_t **der, size_t *len, ocspkit_bytes tbs, const ocspkit_algorithm_id *alg,
			      ocspkit_bytes sig);

#endif
