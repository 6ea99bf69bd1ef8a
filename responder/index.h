/* The OpenSSL CA database (index.txt): parsing and lookup by serial.
 *
 * One line per certificate, six TAB-separated fields, as `openssl ca`
 * writes them:
 *
 *   status  expiry  revocation  serial  file  subject
 *
 * status V (valid), R (revoked) or E (expired); times are UTCTime
 * (YYMMDDHHMMSSZ, 19YY from 50) or GeneralizedTime (YYYYMMDDHHMMSSZ);
 * serial is hex.  revocation is empty, or "time[,reason[,argument]]":
 * reason is a CRLReason name (case-insensitive), or one of the forms
 * `openssl ca -crl_compromise / -crl_CA_compromise / -crl_hold` write:
 *   keyTime,<GeneralizedTime>     keyCompromise with the compromise time
 *   CAkeyTime,<GeneralizedTime>   cACompromise with the compromise time
 *   holdInstruction,<OID>         certificateHold with the instruction
 *                                 (holdInstructionNone/CallIssuer/Reject
 *                                 or a dotted OID)
 * Empty lines and lines starting with '#' are skipped.  Anything else that
 * does not read (a bad time, serial, reason, a missing field, the same
 * serial twice) refuses the whole file, with its line number: a responder
 * must not serve half an index.
 *
 * Parsing is pure (bytes in, object out) and linear apart from one sort.
 */
#ifndef RSP_INDEX_H
#define RSP_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

/* Longest holdInstructionCode OID kept (content octets). */
#define RSP_INDEX_MAX_OID 32
/* Largest index file read (256 MB: about two million certificates). */
#define RSP_INDEX_MAX_SIZE (256u << 20)

typedef struct {
	char type;                    /* 'V', 'R' or 'E' */
	ocspkit_bytes serial;         /* INTEGER content octets, minimal, positive */
	int64_t expiry;
	int64_t revocation_time;      /* 'R' */
	int has_reason;
	ocspkit_crl_reason reason;
	int has_invalidity_date;      /* keyTime, CAkeyTime: the compromise time */
	int64_t invalidity_date;
	size_t hold_len;              /* holdInstruction: OID content octets */
	uint8_t hold[RSP_INDEX_MAX_OID];
	size_t line;                  /* 1-based line number in the file */
} rsp_index_entry;

typedef struct rsp_index rsp_index;

typedef struct {
	size_t line;                  /* 0 when the error is not about one line */
	char msg[160];
} rsp_index_error;

/* Parses an index.  OCSPKIT_E_INVALID_ARGUMENT with err filled (err may be
 * NULL) for a file that does not read; OCSPKIT_E_LIMIT_INPUT_SIZE above
 * RSP_INDEX_MAX_SIZE; OCSPKIT_E_NO_MEMORY. */
OCSPKIT_WUR ocspkit_err rsp_index_parse(rsp_index **out, const uint8_t *data, size_t len,
					 rsp_index_error *err);
void rsp_index_free(rsp_index *idx);

/* Entries, in serial order. */
size_t rsp_index_count(const rsp_index *idx);
const rsp_index_entry *rsp_index_get(const rsp_index *idx, size_t i);
/* The entry of a serial (INTEGER content octets), or NULL. */
const rsp_index_entry *rsp_index_find(const rsp_index *idx, ocspkit_bytes serial);
/* How many entries of each type ('V', 'R', 'E'). */
size_t rsp_index_count_type(const rsp_index *idx, char type);

#endif
