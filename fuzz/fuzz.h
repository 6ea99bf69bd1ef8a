/* What every harness shares: how an oracle fails, how a harness cooperates
 * with the allocation-failure replay of replay.c, and walks over the parts
 * of decoded objects that several harnesses read (extensions, CertIDs,
 * embedded certificates).
 *
 * A harness is one file, NAME_fuzzer.c, defining LLVMFuzzerTestOneInput.
 * It is linked either with libFuzzer (./configure --enable-fuzzing) or with
 * replay.c, which gives it a main() for make check.  See fuzz/README.md.
 */
#ifndef OCSPKIT_FUZZ_H
#define OCSPKIT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <ocspkit/ocspkit.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Nonzero while replay.c fails an allocation on purpose. */
extern int fuzz_alloc_failing;
/* OCSPKIT_E_NO_MEMORY results CALL() has seen since replay.c last reset it. */
extern unsigned long fuzz_nomem;
/* Nonzero while a harness reads an object decoded with tolerance flags:
 * the typed extension readers apply strict DER, so they may refuse a value
 * such a decode let through (a padded ENUMERATED). */
extern int fuzz_tolerant;
/* Name of the input being replayed (replay.c), for reports; may be NULL. */
extern const char *fuzz_input_name;

/* A running hash of what the harness observed: every CALL() result and
 * every string read through fuzz_string().  replay.c compares it between
 * the normal run and a run with a failed allocation: a failure that no
 * call reports as OCSPKIT_E_NO_MEMORY must leave no trace (it was absorbed
 * by a call that fails anyway, for the same reason as in the normal run). */
extern uint64_t fuzz_trace;
void fuzz_trace_mix(const void *p, size_t n);

/* Reports a failed oracle with the current input's name and aborts. */
void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 4, 5)));

/* Every ocspkit call whose result a harness looks at goes through CALL():
 * OCSPKIT_E_NO_MEMORY is the expected outcome while replay.c fails
 * allocations, and a finding anywhere else (inputs are at most a few
 * megabytes; nothing may need more). */
ocspkit_err fuzz_note(ocspkit_err e, const char *expr, const char *file, int line);
#define CALL(expr) fuzz_note((expr), #expr, __FILE__, __LINE__)

/* An oracle.  Once an allocation has failed in this run the results are
 * partial by design, and only the absence of crashes and leaks is checked. */
#define ORACLE(cond, ...)                                                   \
	do {                                                                \
		if (!(cond) && fuzz_nomem == 0)                             \
			fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);  \
	} while (0)

/* Byte-exact equality of two buffers; reports the first difference. */
void fuzz_same(const char *file, int line, const char *what, const uint8_t *want, size_t want_len,
	       const uint8_t *got, size_t got_len);
#define SAME(what, want, want_len, got, got_len) \
	fuzz_same(__FILE__, __LINE__, (what), (want), (want_len), (got), (got_len))

/* 1 if view lies inside [base, base + len) (an empty view anywhere). */
int fuzz_inside(ocspkit_bytes view, const uint8_t *base, size_t len);

/* Every decode flag at once: what the tolerant decodes use. */
#define FUZZ_ALL_FLAGS \
	(OCSPKIT_DECODE_ALLOW_EXPLICIT_DEFAULT | OCSPKIT_DECODE_ALLOW_PADDED_INTEGER | \
	 OCSPKIT_DECODE_ALLOW_ANY_NONCE_SIZE)

/* Reads every extension of a list the way a caller would: the typed
 * reader of its type must succeed (the decoder has checked the value),
 * the readers of the other types must refuse it; OID names and dotted
 * forms; extensions_find. */
void fuzz_extensions(const ocspkit_extension *exts, size_t n);
/* A CertID from a decoder: names, sizes, equality with itself. */
void fuzz_cert_id(const ocspkit_cert_id *id);
/* An OID's name and dotted form, with buffers of every small size. */
void fuzz_oid(ocspkit_bytes oid);
/* A Name: both text styles. */
void fuzz_name(ocspkit_bytes name_der);
/* A decoded certificate: every accessor and derived value. */
void fuzz_cert(const ocspkit_cert *cert);
/* Bytes a message carries as a certificate: decoded (strictly), and if
 * that works, read through fuzz_cert. */
void fuzz_cert_bytes(ocspkit_bytes der);
/* A string the library returned: NUL-terminated, then freed. */
void fuzz_string(char *s);

/* A message type as the decoding harnesses see it (request, response). */
typedef struct {
	const char *name; /* "request", for reports */
	ocspkit_err (*decode)(void **out, const uint8_t *data, size_t size, unsigned flags, size_t *err_offset);
	void (*free)(void *obj);
	/* reads every part of an accepted object; data/size: the input */
	void (*visit)(const void *obj, const uint8_t *data, size_t size);
	/* encodes the decoded structs again (ocspkit_free), or NULL; must:
	 * failing to encode is a finding */
	uint8_t *(*reencode)(const void *obj, size_t *len, int must);
} fuzz_codec;

/* Test data of other projects ($OCSPKIT_VECTORS, default ../shared/vectors
 * with its MANIFEST.tsv; fuzz/vectors.c): fn gets every message carried
 * in a file MANIFEST.tsv lists as PEM (each block) or base64, decoded,
 * with a name "FILE#N" or "FILE#base64".  The files themselves are read
 * in place by the replay; nothing derived from them is ever written into
 * the source tree.  Returns how many messages, or -1 without a
 * MANIFEST.tsv. */
typedef void (*fuzz_vector_fn)(const char *name, const uint8_t *der, size_t len, void *arg);
long fuzz_vectors_decoded(const char *dir, fuzz_vector_fn fn, void *arg);

/* The decoding oracles both message harnesses share: strict decode, read
 * and round trip; the tolerant flags only widen; what only the tolerant
 * decode accepts re-encodes to a canonical fixed point. */
void fuzz_round_trips(const fuzz_codec *codec, const uint8_t *data, size_t size);

#endif
