/* Values of command-line options. */
#ifndef OCSPKIT_TOOLS_OPTIONS_H
#define OCSPKIT_TOOLS_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

/* Hash names: sha1, sha256, sha384, sha512 (and sha224). 0 if unknown. */
ocspkit_hash cli_parse_hash(const char *name);
/* Hex serial ("0x" prefix and ':' allowed) to minimal INTEGER content. */
int cli_parse_serial(const char *hex, uint8_t *out, size_t cap, size_t *len);

/* Seconds with an optional fraction ("2.5"), at most a day, as
 * milliseconds; a count from 0 to max.  0 on success. */
int cli_parse_ms(const char *s, long *ms);
int cli_parse_count(const char *s, long max, long *out);

#endif
