/* The text encodings the tools, the responder and the client read and
 * write around OCSP's DER: base64 (OCSP over HTTP GET, staple files), PEM
 * (certificates, keys' neighbours, responses in files) and hex (serial
 * numbers on a command line).  They are not part of libocspkit: a
 * program linking it has its own.  Errors are the library's codes
 * (OCSPKIT_E_BAD_BASE64, _PEM_NO_BLOCK, _PEM_BAD_BLOCK, _BAD_HEX,
 * _INVALID_ARGUMENT, _NO_MEMORY); what they return through a pointer to a
 * pointer is malloc'd, released with free().  No state: safe from any
 * thread.
 */
#ifndef OCSPKIT_COMMON_TEXT_H
#define OCSPKIT_COMMON_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

/* base64 (RFC 4648): decoding skips whitespace with TEXT_BASE64_SKIP_SPACE
 * (otherwise it is an error); encoding writes the URL-safe alphabet
 * without padding with TEXT_BASE64_URL. */
#define TEXT_BASE64_SKIP_SPACE (1u << 0)
#define TEXT_BASE64_URL (1u << 1)

/* text_base64_decode decodes the len characters at in, in the standard or
 * the URL-safe alphabet, with or without '=' padding, into *out (*out_len
 * octets).  One text per octet string: leftover bits must be zero and
 * nothing but padding follows padding.  OCSPKIT_OK, or OCSPKIT_E_BAD_BASE64
 * with *out NULL. */
ocspkit_err text_base64_decode(uint8_t **out, size_t *out_len, const char *in, size_t len, unsigned flags);

/* text_base64_encode encodes the len octets at in into *out, a string of
 * *out_len characters (out_len may be NULL) and its terminator. */
ocspkit_err text_base64_encode(char **out, size_t *out_len, const uint8_t *in, size_t len, unsigned flags);

/* text_pem_decode finds in the len characters at text the first PEM block
 * (RFC 7468) whose label is label (any when NULL) and decodes its body
 * into *der (*der_len octets).  *label_out (when not NULL) gets a view of
 * the block's label inside text, *end (when not NULL) the offset just
 * past the block.  OCSPKIT_E_PEM_NO_BLOCK when there is none;
 * OCSPKIT_E_PEM_BAD_BLOCK for one that is cut, mislabelled, encrypted
 * (RFC 1421 headers) or not base64. */
ocspkit_err text_pem_decode(uint8_t **der, size_t *der_len, const char *text, size_t len, const char *label,
			    ocspkit_bytes *label_out, size_t *end);

/* text_pem_encode writes the len octets at der as a PEM block labelled
 * label, lines of 64 characters, into *text (*text_len characters, which
 * may be NULL, and a terminator). */
ocspkit_err text_pem_encode(char **text, size_t *text_len, const char *label, const uint8_t *der, size_t len);

/* text_hex_encode writes the len octets at in as lower-case hex into
 * *out, a terminated string; text_hex_decode reads hex of either case,
 * with optional ':' between octets, into *out (*out_len octets):
 * OCSPKIT_E_BAD_HEX for anything else, an odd digit included. */
ocspkit_err text_hex_encode(char **out, const uint8_t *in, size_t len);
ocspkit_err text_hex_decode(uint8_t **out, size_t *out_len, const char *in, size_t len);
/* text_hex_digit returns the value of the hex digit ch (either case), or
 * -1. */
int text_hex_digit(char ch);

#endif
