/* One row of CFSSL's certdb `certificates` table (sql_backend.h's
 * rsp_sql_row, text as the database returns it) read into what the SQL
 * source (source_sql.h) keeps.  Pure: no I/O, no allocation, so that it
 * can be fuzzed (fuzz/sql_row_fuzzer.c).
 *
 * The rules (DESIGN-NOTES.md, SQL sources):
 *  - serial_number: the serial as CFSSL writes it, a decimal string of
 *    the positive value: digits only, no sign, no space, no leading zero
 *    but for "0"; read into INTEGER content octets, minimal, at most
 *    RSP_SQL_MAX_SERIAL (20) octets, as RFC 5280 bounds serials.
 *  - authority_key_identifier: hex of the keyIdentifier, 1 to
 *    RSP_SQL_MAX_AKI octets; CFSSL writes lowercase, uppercase is read
 *    too (a hand-written row), nothing else (no colons, no spaces).
 *  - status: "good" or "revoked", exactly; anything else (CFSSL knows no
 *    other) makes the row skipped: never guessed.
 *  - reason (revoked rows only): NULL, or a CRLReason 0..10 but 7
 *    (unused); 0 (unspecified) is not stated in the answer, as CFSSL's
 *    signer does not.  A good row's reason is not read.
 *  - revoked_at (revoked rows only) and expiry: times as CFSSL's drivers
 *    write them, "YYYY-MM-DD HH:MM:SS" or with 'T', an optional fraction
 *    (ignored), then nothing (UTC), Z, or an offset +hh, +hhmm, +hh:mm,
 *    optionally after a space and followed by " UTC" (Go's time.String).
 *    A revoked row without revoked_at is skipped; expiry NULL means the
 *    row never expires.
 * A bad row is skipped and counted under its reason (rsp_sql_skip).
 */
#ifndef RSP_SQL_ROW_H
#define RSP_SQL_ROW_H

#include <stddef.h>
#include <stdint.h>

#include "sql_backend.h"

#define RSP_SQL_MAX_SERIAL 20
#define RSP_SQL_MAX_AKI 32

/* Why a row was not taken. */
typedef enum {
	RSP_SQL_ROW_OK = 0,
	RSP_SQL_SKIP_SERIAL,     /* serial_number not a decimal serial */
	RSP_SQL_SKIP_AKI,        /* authority_key_identifier not hex */
	RSP_SQL_SKIP_STATUS,     /* status neither good nor revoked */
	RSP_SQL_SKIP_REASON,     /* reason not 0..10 but 7 */
	RSP_SQL_SKIP_REVOKED_AT, /* revoked_at missing or not a time */
	RSP_SQL_SKIP_EXPIRY,     /* expiry not a time */
	RSP_SQL_SKIP_OTHER_CA,   /* of a CA the source does not serve (not an error) */
	RSP_SQL_SKIP_REASONS
} rsp_sql_skip;

/* A row, read. */
typedef struct {
	uint8_t serial[RSP_SQL_MAX_SERIAL];
	uint8_t serial_len;
	uint8_t aki_len;
	uint8_t revoked;
	uint8_t has_reason;
	uint8_t reason;
	uint8_t has_expiry;
	uint8_t aki[RSP_SQL_MAX_AKI];
	int64_t revoked_at;
	int64_t expiry;
} rsp_sql_entry;

/* rsp_sql_row_parse reads row into *out: RSP_SQL_ROW_OK, or why the row
 * is skipped (never RSP_SQL_SKIP_OTHER_CA: the source decides that). */
rsp_sql_skip rsp_sql_row_parse(const rsp_sql_row *row, rsp_sql_entry *out);

/* rsp_sql_skip_name: "bad serial_number", ... for the log. */
const char *rsp_sql_skip_name(rsp_sql_skip why);

/* The readers of one value: 0, or -1 when it is not one. */
int rsp_sql_parse_serial(const char *text, uint8_t out[RSP_SQL_MAX_SERIAL], size_t *len);
int rsp_sql_parse_hex(const char *text, uint8_t *out, size_t max, size_t *len);
int rsp_sql_parse_time(const char *text, int64_t *out);

#endif
