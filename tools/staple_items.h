/* The staples `ocspkit staple` keeps, from its options: one certificate
 * (--cert, its issuer from --issuer or its own bundle, the staple at
 * --out or CERT.ocsp), or every certificate of a directory (--dir: each
 * *.pem, *.crt or *.cer whose first certificate is not a CA gets
 * FILE.ocsp beside it; its issuer is --issuer, or a certificate of its
 * own bundle or of the directory that signed it; at most 4096). */
#ifndef OCSPKIT_TOOLS_STAPLE_ITEMS_H
#define OCSPKIT_TOOLS_STAPLE_ITEMS_H

#include <stddef.h>

#include "client/upkeep.h"

typedef struct {
	const char *cert_path, *issuer_path, *out_path, *dir;
} staple_items_spec;

/* staple_items_load reads the certificates spec names into *items
 * (upkeep_items_free) and *n.  Reports its errors; 0 on success (a
 * directory may have none). */
int staple_items_load(const staple_items_spec *spec, upkeep_item **items, size_t *n);
/* The same, as the daemon's upkeep_load_fn (spec a staple_items_spec). */
int staple_items_reload(void *spec, upkeep_item **items, size_t *n);

#endif
