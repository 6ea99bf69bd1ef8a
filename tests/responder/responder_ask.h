/* What the responder tests ask: one certificate's status through
 * rsp_answer_request, and what the answer said.  Test code only. */
#ifndef OCSPKIT_TEST_RESPONDER_ASK_H
#define OCSPKIT_TEST_RESPONDER_ASK_H

#include "tests/lib/check.h"
#include "responder/answer.h"

typedef struct {
	ocspkit_response_status status;
	ocspkit_cert_status cert;
	rsp_origin origin;
	int has_reason, reason, has_next;
	int64_t this_update, next_update, revoked_at;
	size_t ext_count;
	char detail[200];
} said;

/* What r says at now of serial (one octet) of ca, in a SHA-1 CertID
 * with NULL parameters and no nonce (the cache's kind). */
static inline said ask_responder(const rsp_responder *r, const rsp_ca *ca, uint8_t serial, int64_t now)
{
	said out;
	uint8_t *der;
	size_t len, off;
	rsp_answer a;
	ocspkit_response *resp = NULL;
	memset(&out, 0, sizeof(out));
	CHECK_OK(rsp_answer_make_request(&der, &len, ca, OCSPKIT_HASH_SHA1, 1, (ocspkit_bytes){ &serial, 1 }));
	CHECK_OK(rsp_answer_request(&a, r, der, len, now, 0));
	out.status = a.status;
	out.origin = a.origin;
	snprintf(out.detail, sizeof(out.detail), "%s", a.detail);
	if (a.status == OCSPKIT_RESPONSE_SUCCESSFUL) {
		CHECK_OK(ocspkit_response_decode(&resp, a.blob->der, a.blob->len, 0, &off));
		if (resp && ocspkit_response_get_single_count(resp) == 1) {
			const ocspkit_single_response *sr = ocspkit_response_get_single(resp, 0);
			out.cert = sr->status;
			out.this_update = sr->this_update;
			out.has_next = sr->has_next_update;
			out.next_update = sr->next_update;
			out.revoked_at = sr->revocation_time;
			out.has_reason = sr->has_revocation_reason;
			out.reason = sr->revocation_reason;
			out.ext_count = sr->extension_count;
		}
		ocspkit_response_free(resp);
	}
	rsp_answer_clear(&a);
	ocspkit_free(der);
	return out;
}

#endif
