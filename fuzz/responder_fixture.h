/* A fixed responder for fuzz/responder_fuzzer.c and its seeds
 * (fuzz/responder_seeds.c): an Ed25519 CA and a delegated responder
 * (id-kp-OCSPSigning) made from constant private keys with the tests' PKI
 * helpers (tests/pki.h), a second CA that the responder does not serve,
 * and an index with every kind of entry.  Ed25519 signatures are
 * deterministic and the clock is fixed, so every answer is too.  Test
 * data only: these keys are public. */
#ifndef OCSPKIT_FUZZ_RESPONDER_FIXTURE_H
#define OCSPKIT_FUZZ_RESPONDER_FIXTURE_H

#include "../tests/pki.h"
#include "../responder/route.h"

#define RFX_NOW 1800000000 /* 2027-01-15T08:00:00Z */
#define RFX_VALIDITY 3600

/* Serials 1001 (good), 1002 .. 1007 (revoked, each form), 1008 (expired);
 * anything else is unknown. */
static const char rfx_index[] =
	"V\t301231235959Z\t\t1001\tunknown\t/CN=good\n"
	"R\t301231235959Z\t240101000000Z,keyCompromise\t1002\tunknown\t/CN=revoked\n"
	"R\t301231235959Z\t240101000000Z\t1003\tunknown\t/CN=noreason\n"
	"R\t301231235959Z\t240301000000Z,keyTime,20240215000000Z\t1004\tunknown\t/CN=keytime\n"
	"R\t301231235959Z\t240401000000Z,CAkeyTime,20240320101010Z\t1005\tunknown\t/CN=cakeytime\n"
	"R\t301231235959Z\t240215123000Z,holdInstruction,holdInstructionReject\t1006\tunknown\t/CN=hold\n"
	"R\t301231235959Z\t240501000000Z,superseded\t1007\tunknown\t/CN=superseded\n"
	"E\t200101000000Z\t\t1008\tunknown\t/CN=expired\n";

typedef struct {
	ocspkit_privkey *ca_key, *resp_key, *other_key;
	ocspkit_cert *ca, *resp, *other;
	ocspkit_bytes resp_view;
	rsp_signer signer;
	rsp_ca cas[1];
	rsp_responder r;
	rsp_route_opts route;
} rfx;

/* Builds the fixture (aborts on failure: this is set-up, not a finding). */
static void rfx_init(rfx *f)
{
	memset(f, 0, sizeof(*f));
	f->ca_key = pki_ed25519_fixed(0x11);
	f->resp_key = pki_ed25519_fixed(0x22);
	f->other_key = pki_ed25519_fixed(0x33);
	pki_ca_and_responder(&f->ca, &f->resp, NULL, "Fuzz Responder CA", f->ca_key, "Fuzz OCSP Responder",
			     f->resp_key);
	f->other = pki_ca_cert("Fuzz Stranger CA", f->other_key);
	f->resp_view = ocspkit_cert_der(f->resp);
	f->signer.key = f->resp_key;
	f->signer.cert = f->resp;
	f->signer.certs = &f->resp_view;
	f->signer.cert_count = 1;
	if (rsp_ca_init(&f->cas[0], f->ca, &f->signer, NULL) != OCSPKIT_OK)
		abort();
	rsp_index *idx;
	if (rsp_index_parse(&idx, (const uint8_t *)rfx_index, sizeof(rfx_index) - 1, NULL) != OCSPKIT_OK)
		abort();
	rsp_ca_set_index(&f->cas[0], idx);
	f->r.cas = f->cas;
	f->r.n_cas = 1;
	f->r.validity = RFX_VALIDITY;
	f->route.max_body = 4096;
	f->route.max_path = 4096;
	f->route.prefix = "/";
}

static void rfx_free(rfx *f) __attribute__((unused));
static void rfx_free(rfx *f)
{
	rsp_ca_clear(&f->cas[0]);
	ocspkit_cert_free(f->ca);
	ocspkit_cert_free(f->resp);
	ocspkit_cert_free(f->other);
	ocspkit_privkey_free(f->ca_key);
	ocspkit_privkey_free(f->resp_key);
	ocspkit_privkey_free(f->other_key);
}

/* The test helpers this file does not use, marked as used. */
static void rfx_unused(void) __attribute__((unused));
static void rfx_unused(void)
{
	(void)pki_key;
	(void)check_total;
	(void)check_failed;
}

#endif
