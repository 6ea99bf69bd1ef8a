/* Unit tests of the signature modules (pubkey.c, privkey.c, sigalg.c,
 * sign.c, signer.c, verify.c): every algorithm both ways, the encodings
 * they write, every refusal with its code, cross-checks with Nettle's own
 * functions, a known-answer test, failing randomness and allocations,
 * threads, and signers made of callbacks (as an HSM's would be) that
 * count their calls and fail on demand. */
#include <config.h>

#include <pthread.h>
#include <stdatomic.h>

#include <nettle/bignum.h>
#include <nettle/dsa.h>
#include <nettle/ecdsa.h>
#include <nettle/eddsa.h>
#include <nettle/sha2.h>

#include "alloc.h"
#include "bytes.h"
#include "hash.h"
#include "mpz.h"
#include "privkey.h"
#include "pubkey.h"
#include "random.h"

#include "tests/lib/pki.h"

static const uint8_t msg[] = "tbsResponseData stand-in: the bytes that get signed";

static ocspkit_pubkey *pub_of(const ocspkit_privkey *k)
{
	ocspkit_pubkey *p = NULL;
	CHECK_OK(ocspkit_pubkey_from_privkey(&p, k));
	return p;
}

/* Signs msg, checks the signature, then breaks message and signature. */
static void roundtrip(const ocspkit_privkey *k, const ocspkit_sign_opts *opts, const char *what)
{
	ocspkit_algorithm_value alg, alg2;
	uint8_t *sig = NULL;
	size_t sl = 0;
	ocspkit_pubkey *pub = pub_of(k);
	ocspkit_err e = pki_sign(&sig, &sl, &alg, k, opts, msg, sizeof(msg));
	CHECK_OK(e);
	if (e) {
		fprintf(stderr, "  (%s)\n", what);
		ocspkit_pubkey_free(pub);
		return;
	}
	ocspkit_algorithm_id id = ocspkit_algorithm_value_view(&alg);
	e = ocspkit_verify_signature(pub, &id, msg, sizeof(msg), (ocspkit_bytes){ sig, sl });
	CHECK_OK(e);
	if (e)
		fprintf(stderr, "  (%s)\n", what);
	CHECK_OK(ocspkit_sign_algorithm(&alg2, k, opts));
	CHECK(alg2.oid_len == alg.oid_len && alg2.params_len == alg.params_len &&
	      memcmp(alg2.params, alg.params, alg.params_len) == 0);

	uint8_t bad[sizeof(msg)];
	memcpy(bad, msg, sizeof(msg));
	bad[3] ^= 1;
	CHECK_ERR(ocspkit_verify_signature(pub, &id, bad, sizeof(bad), (ocspkit_bytes){ sig, sl }),
		  OCSPKIT_E_SIGNATURE_INVALID);
	sig[sl / 2] ^= 0x10;
	e = ocspkit_verify_signature(pub, &id, msg, sizeof(msg), (ocspkit_bytes){ sig, sl });
	CHECK(e == OCSPKIT_E_SIGNATURE_INVALID || e == OCSPKIT_E_BAD_SIGNATURE_ENCODING);
	ocspkit_free(sig);
	ocspkit_pubkey_free(pub);
}

static const ocspkit_key_type all_types[] = { OCSPKIT_KEY_RSA,     OCSPKIT_KEY_RSA_PSS, OCSPKIT_KEY_EC_P256,
					      OCSPKIT_KEY_EC_P384, OCSPKIT_KEY_EC_P521, OCSPKIT_KEY_ED25519,
					      OCSPKIT_KEY_ED448 };

static void test_roundtrips(void)
{
	static const ocspkit_hash hashes[] = { OCSPKIT_HASH_SHA1, OCSPKIT_HASH_SHA224, OCSPKIT_HASH_SHA256,
					       OCSPKIT_HASH_SHA384, OCSPKIT_HASH_SHA512 };
	for (size_t t = 0; t < sizeof(all_types) / sizeof(all_types[0]); t++) {
		ocspkit_privkey *k = pki_key(all_types[t], 1);
		roundtrip(k, NULL, ocspkit_key_type_name(all_types[t]));
		ocspkit_privkey_free(k);
	}

	ocspkit_privkey *rsa = pki_key(OCSPKIT_KEY_RSA, 1);
	for (size_t i = 0; i < 5; i++) {
		ocspkit_sign_opts o = { hashes[i], 0, 0, 0, 0 };
		roundtrip(rsa, &o, "RSA PKCS#1");
		o.rsa_pss = 1;
		roundtrip(rsa, &o, "RSA-PSS");
		o.pss_mgf1_hash = hashes[(i + 2) % 5];
		roundtrip(rsa, &o, "RSA-PSS other MGF1 hash");
		o.has_pss_salt_len = 1;
		o.pss_salt_len = i == 0 ? 0 : 7 * i;
		roundtrip(rsa, &o, "RSA-PSS salt");
	}
	/* 2048 bits: emLen 256 holds a SHA-512 digest and a 190-octet salt */
	ocspkit_sign_opts big = { OCSPKIT_HASH_SHA512, 1, 1, 190, 0 };
	roundtrip(rsa, &big, "RSA-PSS big salt");
	uint8_t *sig;
	size_t sl;
	big.pss_salt_len = 191;
	CHECK_ERR(pki_sign(&sig, &sl, NULL, rsa, &big, msg, sizeof(msg)), OCSPKIT_E_KEY_ALGORITHM_MISMATCH);
	CHECK(sig == NULL && sl == 0);
	ocspkit_privkey_free(rsa);

	for (ocspkit_key_type t = OCSPKIT_KEY_EC_P256; t <= OCSPKIT_KEY_EC_P521; t++) {
		ocspkit_privkey *ec = pki_key(t, 1);
		for (size_t i = 0; i < 5; i++) {
			ocspkit_sign_opts o = { hashes[i], 0, 0, 0, 0 };
			roundtrip(ec, &o, "ECDSA");
		}
		ocspkit_privkey_free(ec);
	}
}

/* The AlgorithmIdentifiers written, byte for byte (PSS: as OpenSSL writes). */
static void test_algorithm_ids(void)
{
	ocspkit_algorithm_value v;
	uint8_t want[128];
	size_t n;
	ocspkit_privkey *rsa = pki_key(OCSPKIT_KEY_RSA, 1);

	CHECK_OK(ocspkit_sign_algorithm(&v, rsa, NULL));
	n = unhex("2A864886F70D01010B", want, sizeof(want));
	CHECK(v.oid_len == n && memcmp(v.oid, want, n) == 0);
	CHECK(v.params_len == 2 && v.params[0] == 0x05 && v.params[1] == 0);

	ocspkit_sign_opts pss = { 0, 1, 0, 0, 0 };
	CHECK_OK(ocspkit_sign_algorithm(&v, rsa, &pss));
	n = unhex("2A864886F70D01010A", want, sizeof(want));
	CHECK(v.oid_len == n && memcmp(v.oid, want, n) == 0);
	n = unhex("3034A00F300D06096086480165030402010500A11C301A06092A864886F70D010108300D06096086480165030402010500"
		  "A203020120",
		  want, sizeof(want));
	CHECK(v.params_len == n && memcmp(v.params, want, n) == 0);

	/* SHA-1, MGF1-SHA-1, salt 20: every field at its DEFAULT */
	ocspkit_sign_opts pss1 = { OCSPKIT_HASH_SHA1, 1, 0, 0, 0 };
	CHECK_OK(ocspkit_sign_algorithm(&v, rsa, &pss1));
	CHECK(v.params_len == 2 && v.params[0] == 0x30 && v.params[1] == 0);

	ocspkit_sign_opts bad = { OCSPKIT_HASH_MD5, 0, 0, 0, 0 };
	CHECK_ERR(ocspkit_sign_algorithm(&v, rsa, &bad), OCSPKIT_E_WEAK_ALGORITHM);
	bad.digest = (ocspkit_hash)42;
	CHECK_ERR(ocspkit_sign_algorithm(&v, rsa, &bad), OCSPKIT_E_UNSUPPORTED_ALGORITHM);
	ocspkit_sign_opts salt_no_pss = { 0, 0, 1, 20, 0 };
	CHECK_ERR(ocspkit_sign_algorithm(&v, rsa, &salt_no_pss), OCSPKIT_E_KEY_ALGORITHM_MISMATCH);
	ocspkit_privkey_free(rsa);

	ocspkit_privkey *pss_key = pki_key(OCSPKIT_KEY_RSA_PSS, 1);
	CHECK_OK(ocspkit_sign_algorithm(&v, pss_key, NULL));
	n = unhex("2A864886F70D01010A", want, sizeof(want));
	CHECK(v.oid_len == n && memcmp(v.oid, want, n) == 0);
	ocspkit_privkey_free(pss_key);

	ocspkit_privkey *ec = pki_key(OCSPKIT_KEY_EC_P384, 1);
	CHECK_OK(ocspkit_sign_algorithm(&v, ec, NULL));
	n = unhex("2A8648CE3D040303", want, sizeof(want)); /* ecdsa-with-SHA384 */
	CHECK(v.oid_len == n && memcmp(v.oid, want, n) == 0 && v.params_len == 0);
	CHECK_ERR(ocspkit_sign_algorithm(&v, ec, &pss), OCSPKIT_E_KEY_ALGORITHM_MISMATCH);
	ocspkit_privkey_free(ec);
	ec = pki_key(OCSPKIT_KEY_EC_P521, 1);
	CHECK_OK(ocspkit_sign_algorithm(&v, ec, NULL));
	n = unhex("2A8648CE3D040304", want, sizeof(want));
	CHECK(v.oid_len == n && memcmp(v.oid, want, n) == 0);
	ocspkit_privkey_free(ec);

	ocspkit_privkey *ed = pki_key(OCSPKIT_KEY_ED448, 1);
	CHECK_OK(ocspkit_sign_algorithm(&v, ed, NULL));
	CHECK(v.oid_len == 3 && memcmp(v.oid, "\x2B\x65\x71", 3) == 0 && v.params_len == 0);
	ocspkit_sign_opts sha = { OCSPKIT_HASH_SHA256, 0, 0, 0, 0 };
	CHECK_ERR(ocspkit_sign_algorithm(&v, ed, &sha), OCSPKIT_E_KEY_ALGORITHM_MISMATCH);
	ocspkit_privkey_free(ed);
}

static ocspkit_err verify_with(const ocspkit_pubkey *pub, const char *oid_hex, const char *params_hex,
			       const uint8_t *sig, size_t sl)
{
	uint8_t oid[32], params[128];
	ocspkit_algorithm_id a;
	a.oid = (ocspkit_bytes){ oid, unhex(oid_hex, oid, sizeof(oid)) };
	size_t pl = params_hex ? unhex(params_hex, params, sizeof(params)) : 0;
	a.params = (ocspkit_bytes){ pl ? params : NULL, pl };
	return ocspkit_verify_signature(pub, &a, msg, sizeof(msg), (ocspkit_bytes){ sig, sl });
}

#define OID_RSA_SHA256 "2A864886F70D01010B"
#define OID_PSS "2A864886F70D01010A"
#define OID_ECDSA_SHA256 "2A8648CE3D040302"

/* Algorithms and parameters refused, each with its code. */
static void test_refusals(void)
{
	ocspkit_privkey *rsa = pki_key(OCSPKIT_KEY_RSA, 1);
	ocspkit_pubkey *pub = pub_of(rsa);
	uint8_t *sig;
	size_t sl;

	CHECK_OK(pki_sign(&sig, &sl, NULL, rsa, NULL, msg, sizeof(msg)));
	CHECK_OK(verify_with(pub, OID_RSA_SHA256, "0500", sig, sl));
	CHECK_OK(verify_with(pub, OID_RSA_SHA256, NULL, sig, sl)); /* absent NULL tolerated */
	CHECK_ERR(verify_with(pub, OID_RSA_SHA256, "0400", sig, sl), OCSPKIT_E_BAD_ALGORITHM_PARAMS);
	CHECK_ERR(verify_with(pub, "2A864886F70D010104", "0500", sig, sl), OCSPKIT_E_WEAK_ALGORITHM); /* md5WithRSA */
	CHECK_ERR(verify_with(pub, "2A864886F70D010102", "0500", sig, sl), OCSPKIT_E_WEAK_ALGORITHM); /* md2WithRSA */
	CHECK_ERR(verify_with(pub, "2A8648CE380403", NULL, sig, sl), OCSPKIT_E_UNSUPPORTED_ALGORITHM); /* dsa-with-sha1 */
	CHECK_ERR(verify_with(pub, "2A0304", NULL, sig, sl), OCSPKIT_E_UNSUPPORTED_ALGORITHM);
	CHECK_ERR(verify_with(pub, OID_ECDSA_SHA256, NULL, sig, sl), OCSPKIT_E_KEY_ALGORITHM_MISMATCH);
	CHECK_ERR(verify_with(pub, "2B6570", NULL, sig, sl), OCSPKIT_E_KEY_ALGORITHM_MISMATCH);
	CHECK_ERR(verify_with(pub, "2B6570", "0500", sig, sl), OCSPKIT_E_BAD_ALGORITHM_PARAMS);
	/* wrong length: one octet short (RFC 8017 8.2.2 step 1), one too many */
	CHECK_ERR(verify_with(pub, OID_RSA_SHA256, "0500", sig + 1, sl - 1), OCSPKIT_E_BAD_SIGNATURE_ENCODING);
	uint8_t longer[300];
	longer[0] = 0;
	memcpy(longer + 1, sig, sl);
	CHECK_ERR(verify_with(pub, OID_RSA_SHA256, "0500", longer, sl + 1), OCSPKIT_E_BAD_SIGNATURE_ENCODING);
	/* a signature equal to the modulus is out of range */
	ocspkit_bytes nb;
	uint8_t nbuf[256];
	nettle_mpz_get_str_256(256, nbuf, pub->rsa.n);
	nb = (ocspkit_bytes){ nbuf, 256 };
	CHECK_ERR(verify_with(pub, OID_RSA_SHA256, "0500", nb.data, nb.len), OCSPKIT_E_SIGNATURE_INVALID);
	CHECK_ERR(verify_with(pub, OID_PSS, "3000", nb.data, nb.len), OCSPKIT_E_SIGNATURE_INVALID);
	ocspkit_free(sig);

	/* PSS parameters */
	ocspkit_sign_opts pss1 = { OCSPKIT_HASH_SHA1, 1, 0, 0, 0 };
	CHECK_OK(pki_sign(&sig, &sl, NULL, rsa, &pss1, msg, sizeof(msg)));
	CHECK_OK(verify_with(pub, OID_PSS, "3000", sig, sl));
	/* the defaults written out, trailerField 1 included */
	CHECK_OK(verify_with(pub, OID_PSS,
			     "302FA00B300906052B0E03021A0500A116301406092A864886F70D010108300706052B0E03021A"
			     "A203020114A303020101",
			     sig, sl));
	CHECK_ERR(verify_with(pub, OID_PSS, NULL, sig, sl), OCSPKIT_E_BAD_ALGORITHM_PARAMS);
	CHECK_ERR(verify_with(pub, OID_PSS, "3005A303020102", sig, sl), OCSPKIT_E_BAD_ALGORITHM_PARAMS);
	CHECK_ERR(verify_with(pub, OID_PSS, "3005A203020115", sig, sl), OCSPKIT_E_SIGNATURE_INVALID); /* salt 21 */
	CHECK_ERR(verify_with(pub, OID_PSS, "3010A00E300C06082A864886F70D02050500", sig, sl),
		  OCSPKIT_E_WEAK_ALGORITHM); /* MD5 */
	CHECK_ERR(verify_with(pub, OID_PSS, "300FA00D300B06072A0304050607080500", sig, sl),
		  OCSPKIT_E_UNSUPPORTED_ALGORITHM);
	/* a mask generation function other than MGF1 */
	CHECK_ERR(verify_with(pub, OID_PSS, "3016A114301206092A864886F70D010109300506032A0304", sig, sl),
		  OCSPKIT_E_UNSUPPORTED_ALGORITHM);
	/* MGF1 without its hash */
	CHECK_ERR(verify_with(pub, OID_PSS, "300DA10B300906092A864886F70D010108", sig, sl),
		  OCSPKIT_E_BAD_ALGORITHM_PARAMS);
	/* hash parameters other than NULL */
	CHECK_ERR(verify_with(pub, OID_PSS, "300BA009300706052B0E03021A0401", sig, sl),
		  OCSPKIT_E_BAD_ALGORITHM_PARAMS);
	CHECK_ERR(verify_with(pub, OID_PSS, "3003020101", sig, sl), OCSPKIT_E_BAD_ALGORITHM_PARAMS);
	ocspkit_free(sig);

	/* RSA-PSS keys sign PSS only */
	ocspkit_privkey *pss_only = pki_key(OCSPKIT_KEY_RSA_PSS, 1);
	ocspkit_pubkey *pss_pub = pub_of(pss_only);
	CHECK(ocspkit_pubkey_get_type(pss_pub) == OCSPKIT_KEY_RSA_PSS);
	CHECK_OK(pki_sign(&sig, &sl, NULL, rsa, NULL, msg, sizeof(msg)));
	CHECK_ERR(verify_with(pss_pub, OID_RSA_SHA256, "0500", sig, sl), OCSPKIT_E_KEY_ALGORITHM_MISMATCH);
	ocspkit_free(sig);
	ocspkit_pubkey_free(pss_pub);
	ocspkit_privkey_free(pss_only);

	/* EdDSA signature lengths */
	ocspkit_privkey *ed = pki_key(OCSPKIT_KEY_ED25519, 1);
	ocspkit_pubkey *edp = pub_of(ed);
	CHECK_OK(pki_sign(&sig, &sl, NULL, ed, NULL, msg, sizeof(msg)));
	CHECK(sl == 64);
	CHECK_OK(verify_with(edp, "2B6570", NULL, sig, sl));
	CHECK_ERR(verify_with(edp, "2B6570", NULL, sig, sl - 1), OCSPKIT_E_BAD_SIGNATURE_ENCODING);
	CHECK_ERR(verify_with(edp, "2B6571", NULL, sig, sl), OCSPKIT_E_KEY_ALGORITHM_MISMATCH);
	ocspkit_free(sig);
	ocspkit_pubkey_free(edp);
	ocspkit_privkey_free(ed);
	ed = pki_key(OCSPKIT_KEY_ED448, 1);
	edp = pub_of(ed);
	CHECK_OK(pki_sign(&sig, &sl, NULL, ed, NULL, msg, sizeof(msg)));
	CHECK(sl == 114);
	CHECK_ERR(verify_with(edp, "2B6571", NULL, sig, 64), OCSPKIT_E_BAD_SIGNATURE_ENCODING);
	ocspkit_free(sig);
	ocspkit_pubkey_free(edp);
	ocspkit_privkey_free(ed);

	ocspkit_pubkey_free(pub);
	ocspkit_privkey_free(rsa);
}

/* ECDSA-Sig-Value must be strict DER with minimal positive INTEGERs. */
static void test_ecdsa_encoding(void)
{
	ocspkit_privkey *ec = pki_key(OCSPKIT_KEY_EC_P256, 1);
	ocspkit_pubkey *pub = pub_of(ec);
	struct dsa_signature ds;
	uint8_t digest[32], r[33], s[33];
	okit_rng rng = { 0, 0 };

	okit_hash_data(&nettle_sha256, msg, sizeof(msg), digest);
	dsa_signature_init(&ds);
	/* find a signature whose r and s both have the top bit clear, so that
	 * padded forms are non-minimal rather than needed */
	do {
		ecdsa_sign(&ec->ec, &rng, okit_random, sizeof(digest), digest, &ds);
	} while (nettle_mpz_sizeinbase_256_u(ds.r) != 32 || nettle_mpz_sizeinbase_256_u(ds.s) != 32 ||
		 mpz_tstbit(ds.r, 255) || mpz_tstbit(ds.s, 255));
	nettle_mpz_get_str_256(32, r, ds.r);
	nettle_mpz_get_str_256(32, s, ds.s);
	dsa_signature_clear(&ds);

	blob good = T(0x30, cat(2, T(0x02, bytes(r, 32)), T(0x02, bytes(s, 32))));
	CHECK_OK(verify_with(pub, OID_ECDSA_SHA256, NULL, good.d, good.n));
	CHECK_OK(verify_with(pub, OID_ECDSA_SHA256, "0500", good.d, good.n));
	blob padded = T(0x30, cat(2, T(0x02, cat(2, raw("00"), bytes(r, 32))), T(0x02, bytes(s, 32))));
	CHECK_ERR(verify_with(pub, OID_ECDSA_SHA256, NULL, padded.d, padded.n), OCSPKIT_E_BAD_SIGNATURE_ENCODING);
	blob trailing = cat(2, good, raw("00"));
	CHECK_ERR(verify_with(pub, OID_ECDSA_SHA256, NULL, trailing.d, trailing.n), OCSPKIT_E_BAD_SIGNATURE_ENCODING);
	blob inner_trailing = T(0x30, cat(3, T(0x02, bytes(r, 32)), T(0x02, bytes(s, 32)), raw("0500")));
	CHECK_ERR(verify_with(pub, OID_ECDSA_SHA256, NULL, inner_trailing.d, inner_trailing.n),
		  OCSPKIT_E_BAD_SIGNATURE_ENCODING);
	uint8_t neg[32];
	memcpy(neg, r, 32);
	neg[0] |= 0x80;
	blob negative = T(0x30, cat(2, T(0x02, bytes(neg, 32)), T(0x02, bytes(s, 32))));
	CHECK_ERR(verify_with(pub, OID_ECDSA_SHA256, NULL, negative.d, negative.n), OCSPKIT_E_BAD_SIGNATURE_ENCODING);
	blob zero = T(0x30, cat(2, raw("020100"), T(0x02, bytes(s, 32))));
	CHECK_ERR(verify_with(pub, OID_ECDSA_SHA256, NULL, zero.d, zero.n), OCSPKIT_E_SIGNATURE_INVALID);
	blob empty_int = T(0x30, cat(2, raw("0200"), T(0x02, bytes(s, 32))));
	CHECK_ERR(verify_with(pub, OID_ECDSA_SHA256, NULL, empty_int.d, empty_int.n), OCSPKIT_E_BAD_SIGNATURE_ENCODING);
	blob indefinite = cat(2, raw("3080"), cat(3, T(0x02, bytes(r, 32)), T(0x02, bytes(s, 32)), raw("0000")));
	CHECK_ERR(verify_with(pub, OID_ECDSA_SHA256, NULL, indefinite.d, indefinite.n), OCSPKIT_E_BAD_SIGNATURE_ENCODING);
	/* r = q, the group order of P-256 */
	blob order = T(0x30, cat(2, T(0x02, raw("00FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551")),
				 T(0x02, bytes(s, 32))));
	CHECK_ERR(verify_with(pub, OID_ECDSA_SHA256, NULL, order.d, order.n), OCSPKIT_E_SIGNATURE_INVALID);
	CHECK_ERR(verify_with(pub, OID_ECDSA_SHA256, NULL, NULL, 0), OCSPKIT_E_BAD_SIGNATURE_ENCODING);
	ocspkit_pubkey_free(pub);
	ocspkit_privkey_free(ec);
}

/* The library and Nettle's own PSS and PKCS #1 functions agree. */
static void test_nettle_agrees(void)
{
	ocspkit_privkey *rsa = pki_key(OCSPKIT_KEY_RSA, 1);
	ocspkit_pubkey *pub = pub_of(rsa);
	uint8_t digest[32], *sig, buf[256];
	size_t sl;
	okit_rng rng = { 0, 0 };
	uint8_t salt[32];
	mpz_t s;

	okit_hash_data(&nettle_sha256, msg, sizeof(msg), digest);
	mpz_init(s);
	okit_random(&rng, sizeof(salt), salt);
	CHECK(rsa_pss_sha256_sign_digest_tr(&rsa->rsa_pub, &rsa->rsa, &rng, okit_random, sizeof(salt), salt, digest, s));
	nettle_mpz_get_str_256(256, buf, s);
	ocspkit_sign_opts pss = { 0, 1, 0, 0, 0 };
	ocspkit_algorithm_value v;
	CHECK_OK(ocspkit_sign_algorithm(&v, rsa, &pss));
	ocspkit_algorithm_id id = ocspkit_algorithm_value_view(&v);
	CHECK_OK(ocspkit_verify_signature(pub, &id, msg, sizeof(msg), (ocspkit_bytes){ buf, 256 }));

	CHECK_OK(pki_sign(&sig, &sl, NULL, rsa, &pss, msg, sizeof(msg)));
	okit_mpz_from_bytes(s, sig, sl);
	CHECK(rsa_pss_sha256_verify_digest(&pub->rsa, 32, digest, s));
	ocspkit_free(sig);
	CHECK_OK(pki_sign(&sig, &sl, NULL, rsa, NULL, msg, sizeof(msg)));
	okit_mpz_from_bytes(s, sig, sl);
	CHECK(rsa_sha256_verify_digest(&pub->rsa, digest, s));
	ocspkit_free(sig);
	mpz_clear(s);
	ocspkit_pubkey_free(pub);
	ocspkit_privkey_free(rsa);
}

/* RFC 8032 section 7.1, TEST 1 (Ed25519, empty message) */
static void test_known_answer(void)
{
	uint8_t priv[32], pub[32], want[64];
	unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", priv, 32);
	unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", pub, 32);
	unhex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
	      want, 64);
	ocspkit_privkey *k;
	uint8_t *sig;
	size_t sl;
	CHECK_OK(ocspkit_privkey_from_eddsa(&k, OCSPKIT_KEY_ED25519, priv, 32));
	CHECK_OK(pki_sign(&sig, &sl, NULL, k, NULL, (const uint8_t *)"", 0));
	CHECK(sl == 64 && memcmp(sig, want, 64) == 0);
	ocspkit_free(sig);
	blob spki = pki_spki(k);
	CHECK(spki.n == 44 && memcmp(spki.d + 12, pub, 32) == 0);
	ocspkit_privkey_free(k);
}

static blob spki_rsa(const char *n_hex, const char *e_hex, const char *params)
{
	return T(0x30, cat(2, T(0x30, cat(2, raw("06092A864886F70D010101"), raw(params))),
			   T(0x03, cat(2, raw("00"), T(0x30, cat(2, T(0x02, raw(n_hex)), T(0x02, raw(e_hex))))))));
}

static ocspkit_err decode_key(blob b)
{
	ocspkit_pubkey *k = NULL;
	ocspkit_err e = ocspkit_pubkey_decode(&k, b.d, b.n);
	CHECK(e ? k == NULL : k != NULL);
	ocspkit_pubkey_free(k);
	return e;
}

/* SubjectPublicKeyInfo: what is read, what is refused and how. */
static void test_spki(void)
{
	for (size_t t = 0; t < sizeof(all_types) / sizeof(all_types[0]); t++) {
		ocspkit_privkey *k = pki_key(all_types[t], 1);
		blob spki = pki_spki(k);
		ocspkit_pubkey *p;
		uint8_t *der;
		size_t len;
		CHECK_OK(ocspkit_pubkey_decode(&p, spki.d, spki.n));
		CHECK(ocspkit_pubkey_get_type(p) == all_types[t]);
		CHECK(ocspkit_pubkey_get_bits(p) == ocspkit_privkey_get_bits(k));
		CHECK_OK(ocspkit_privkey_check(k, p));
		CHECK_OK(ocspkit_pubkey_encode(&der, &len, p));
		CHECK(len == spki.n && memcmp(der, spki.d, len) == 0);
		ocspkit_free(der);
		/* another key of the same type does not match */
		ocspkit_privkey *k2 = pki_key(all_types[t], 2);
		CHECK_ERR(ocspkit_privkey_check(k2, p), OCSPKIT_E_KEY_MISMATCH);
		ocspkit_privkey_free(k2);
		ocspkit_pubkey_free(p);
		ocspkit_privkey_free(k);
	}
	ocspkit_privkey *ed = pki_key(OCSPKIT_KEY_ED25519, 1), *ec = pki_key(OCSPKIT_KEY_EC_P256, 1);
	ocspkit_pubkey *ecp = pub_of(ec);
	CHECK_ERR(ocspkit_privkey_check(ed, ecp), OCSPKIT_E_KEY_MISMATCH);

	/* RSA */
	char n_hex[600];
	strcpy(n_hex, "00");
	strcat(n_hex, test_rsa1.n);
	CHECK_OK(decode_key(spki_rsa(n_hex, "010001", "0500")));
	CHECK_OK(decode_key(spki_rsa(n_hex, "010001", "")));
	CHECK_ERR(decode_key(spki_rsa(n_hex, "010001", "0400")), OCSPKIT_E_BAD_ALGORITHM_PARAMS);
	CHECK_ERR(decode_key(spki_rsa(n_hex, "010000", "0500")), OCSPKIT_E_BAD_PUBLIC_KEY);   /* even e */
	CHECK_ERR(decode_key(spki_rsa(n_hex, "01", "0500")), OCSPKIT_E_BAD_PUBLIC_KEY);       /* e = 1 */
	CHECK_ERR(decode_key(spki_rsa(n_hex, "FF01", "0500")), OCSPKIT_E_BAD_PUBLIC_KEY);     /* negative e */
	CHECK_OK(decode_key(spki_rsa(n_hex, "7FFFFFFFFFFFFFFF", "0500")));                     /* 63 bits */
	CHECK_ERR(decode_key(spki_rsa(n_hex, "010000000000000001", "0500")), OCSPKIT_E_BAD_PUBLIC_KEY); /* 65 bits */
	CHECK_ERR(decode_key(spki_rsa(n_hex + 2, "010001", "0500")), OCSPKIT_E_BAD_PUBLIC_KEY); /* negative n */
	n_hex[strlen(n_hex) - 1] = '8';
	CHECK_ERR(decode_key(spki_rsa(n_hex, "010001", "0500")), OCSPKIT_E_BAD_PUBLIC_KEY); /* even n */
	/* 1016 bits: below OCSPKIT_MIN_RSA_BITS */
	char small[300];
	memset(small, 'F', 254);
	small[254] = '\0';
	memcpy(small, "7F", 2);
	CHECK_ERR(decode_key(spki_rsa(small, "010001", "0500")), OCSPKIT_E_BAD_PUBLIC_KEY);
	CHECK_ERR(decode_key(spki_rsa("0100", "010001", "0500")), OCSPKIT_E_BAD_PUBLIC_KEY);
	blob rsa_ok = spki_rsa(n_hex, "010001", "0500");
	blob trailing = cat(2, rsa_ok, raw("00"));
	CHECK_ERR(decode_key(trailing), OCSPKIT_E_DER_TRAILING_DATA);

	/* EC */
	blob ec_spki = pki_spki(ec);
	CHECK_OK(decode_key(ec_spki));
	blob off_curve = ec_spki;
	off_curve.d[off_curve.n - 1] ^= 1;
	CHECK_ERR(decode_key(off_curve), OCSPKIT_E_BAD_PUBLIC_KEY);
	blob compressed = T(0x30, cat(2, raw("301306072A8648CE3D020106082A8648CE3D030107"),
				      T(0x03, cat(2, raw("0002"), bytes(ec_spki.d + ec_spki.n - 64, 32)))));
	CHECK_ERR(decode_key(compressed), OCSPKIT_E_UNSUPPORTED_ALGORITHM);
	blob k256 = T(0x30, cat(2, raw("301006072A8648CE3D020106052B8104000A"),
				T(0x03, cat(2, raw("00"), bytes(ec_spki.d + ec_spki.n - 65, 65)))));
	CHECK_ERR(decode_key(k256), OCSPKIT_E_UNSUPPORTED_ALGORITHM); /* secp256k1 */
	blob no_curve = T(0x30, cat(2, raw("300906072A8648CE3D0201"),
				    T(0x03, cat(2, raw("00"), bytes(ec_spki.d + ec_spki.n - 65, 65)))));
	CHECK_ERR(decode_key(no_curve), OCSPKIT_E_BAD_ALGORITHM_PARAMS);
	blob short_point = T(0x30, cat(2, raw("301306072A8648CE3D020106082A8648CE3D030107"),
				       T(0x03, cat(2, raw("00"), bytes(ec_spki.d + ec_spki.n - 65, 64)))));
	CHECK_ERR(decode_key(short_point), OCSPKIT_E_BAD_PUBLIC_KEY);

	/* EdDSA */
	blob ed_spki = pki_spki(ed);
	CHECK_OK(decode_key(ed_spki));
	CHECK_ERR(decode_key(T(0x30, cat(2, raw("300506032B6570"), T(0x03, cat(2, raw("00"), fill(7, 31)))))),
		  OCSPKIT_E_BAD_PUBLIC_KEY);
	CHECK_ERR(decode_key(T(0x30, cat(2, raw("300706032B65700500"), T(0x03, cat(2, raw("00"), fill(7, 32)))))),
		  OCSPKIT_E_BAD_ALGORITHM_PARAMS);
	CHECK_ERR(decode_key(T(0x30, cat(2, raw("300506032B6571"), T(0x03, cat(2, raw("00"), fill(7, 32)))))),
		  OCSPKIT_E_BAD_PUBLIC_KEY);
	/* bits with unused bits */
	CHECK_ERR(decode_key(T(0x30, cat(2, raw("300506032B6570"), T(0x03, cat(2, raw("01"), fill(8, 32)))))),
		  OCSPKIT_E_BAD_PUBLIC_KEY);
	/* DSA, X25519 */
	CHECK_ERR(decode_key(T(0x30, cat(2, raw("300906072A8648CE380401"), T(0x03, raw("00020101"))))),
		  OCSPKIT_E_UNSUPPORTED_ALGORITHM);
	CHECK_ERR(decode_key(T(0x30, cat(2, raw("300506032B656E"), T(0x03, cat(2, raw("00"), fill(7, 32)))))),
		  OCSPKIT_E_UNSUPPORTED_ALGORITHM);
	ocspkit_pubkey *none_key;
	CHECK_ERR(ocspkit_pubkey_decode(&none_key, NULL, 0), OCSPKIT_E_INVALID_ARGUMENT);

	ocspkit_pubkey_free(ecp);
	ocspkit_privkey_free(ec);
	ocspkit_privkey_free(ed);
}

static void test_private_keys(void)
{
	uint8_t bufs[5][512], bufs2[5][512], crt[3][256], pad[520];
	ocspkit_rsa_private_parts parts = pki_rsa_parts(&test_rsa1, bufs), other = pki_rsa_parts(&test_rsa2, bufs2);
	ocspkit_privkey *k;

	CHECK_OK(ocspkit_privkey_from_rsa(&k, &parts, 0));
	CHECK(ocspkit_privkey_get_type(k) == OCSPKIT_KEY_RSA && ocspkit_privkey_get_bits(k) == 2048);
	/* the CRT values the library computed are the ones it accepts */
	parts.dp = (ocspkit_bytes){ crt[0], nettle_mpz_sizeinbase_256_u(k->rsa.a) };
	parts.dq = (ocspkit_bytes){ crt[1], nettle_mpz_sizeinbase_256_u(k->rsa.b) };
	parts.qinv = (ocspkit_bytes){ crt[2], nettle_mpz_sizeinbase_256_u(k->rsa.c) };
	nettle_mpz_get_str_256(parts.dp.len, crt[0], k->rsa.a);
	nettle_mpz_get_str_256(parts.dq.len, crt[1], k->rsa.b);
	nettle_mpz_get_str_256(parts.qinv.len, crt[2], k->rsa.c);
	ocspkit_privkey_free(k);
	CHECK_OK(ocspkit_privkey_from_rsa(&k, &parts, 1));
	CHECK(ocspkit_privkey_get_type(k) == OCSPKIT_KEY_RSA_PSS);
	ocspkit_privkey_free(k);
	/* a wrong one is refused */
	crt[2][parts.qinv.len - 1] ^= 1;
	CHECK_ERR(ocspkit_privkey_from_rsa(&k, &parts, 0), OCSPKIT_E_BAD_PRIVATE_KEY);
	CHECK(k == NULL);
	crt[2][parts.qinv.len - 1] ^= 1;
	crt[0][0] ^= 0x40;
	CHECK_ERR(ocspkit_privkey_from_rsa(&k, &parts, 0), OCSPKIT_E_BAD_PRIVATE_KEY);
	crt[0][0] ^= 0x40;
	/* leading zero octets change no value */
	memset(pad, 0, 8);
	memcpy(pad + 8, parts.n.data, parts.n.len);
	ocspkit_bytes n = parts.n;
	parts.n = (ocspkit_bytes){ pad, parts.n.len + 8 };
	CHECK_OK(ocspkit_privkey_from_rsa(&k, &parts, 0));
	CHECK(ocspkit_privkey_get_bits(k) == 2048);
	ocspkit_privkey_free(k);
	parts.n = n;
	/* p and q swapped, without CRT values (qinv is p's then): computed
	 * again, so it still works */
	ocspkit_rsa_private_parts swapped = parts;
	swapped.p = parts.q;
	swapped.q = parts.p;
	swapped.dp = swapped.dq = swapped.qinv = (ocspkit_bytes){ NULL, 0 };
	CHECK_OK(ocspkit_privkey_from_rsa(&k, &swapped, 0));
	roundtrip(k, NULL, "RSA p, q swapped");
	ocspkit_privkey_free(k);
	parts.dp = parts.dq = parts.qinv = (ocspkit_bytes){ NULL, 0 };
	/* d + 2, another key's q, q = 0, e = 0 */
	uint8_t d2[512];
	memcpy(d2, parts.d.data, parts.d.len);
	d2[parts.d.len - 1] += 2;
	ocspkit_rsa_private_parts bad = parts;
	bad.d = (ocspkit_bytes){ d2, parts.d.len };
	CHECK_ERR(ocspkit_privkey_from_rsa(&k, &bad, 0), OCSPKIT_E_BAD_PRIVATE_KEY);
	bad = parts;
	bad.q = other.q;
	CHECK_ERR(ocspkit_privkey_from_rsa(&k, &bad, 0), OCSPKIT_E_BAD_PRIVATE_KEY);
	bad.q = (ocspkit_bytes){ (const uint8_t *)"\0", 1 };
	CHECK_ERR(ocspkit_privkey_from_rsa(&k, &bad, 0), OCSPKIT_E_BAD_PRIVATE_KEY);
	bad = parts;
	bad.e = (ocspkit_bytes){ NULL, 0 };
	CHECK_ERR(ocspkit_privkey_from_rsa(&k, &bad, 0), OCSPKIT_E_BAD_PRIVATE_KEY);
	bad.e = (ocspkit_bytes){ NULL, 3 };
	CHECK_ERR(ocspkit_privkey_from_rsa(&k, &bad, 0), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_privkey_from_rsa(&k, NULL, 0), OCSPKIT_E_INVALID_ARGUMENT);

	uint8_t raw32[57] = { 1 };
	CHECK_ERR(ocspkit_privkey_from_eddsa(&k, OCSPKIT_KEY_ED25519, raw32, 31), OCSPKIT_E_BAD_PRIVATE_KEY);
	CHECK_ERR(ocspkit_privkey_from_eddsa(&k, OCSPKIT_KEY_ED448, raw32, 32), OCSPKIT_E_BAD_PRIVATE_KEY);
	CHECK_ERR(ocspkit_privkey_from_eddsa(&k, OCSPKIT_KEY_RSA, raw32, 32), OCSPKIT_E_INVALID_ARGUMENT);

	/* EC scalars: 0, the order, above it, too long, leading zeros */
	static const char p256_order[] = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";
	uint8_t sc[80];
	memset(sc, 0, sizeof(sc));
	CHECK_ERR(ocspkit_privkey_from_ec(&k, OCSPKIT_KEY_EC_P256, sc, 32), OCSPKIT_E_BAD_PRIVATE_KEY);
	size_t on = pki_hex_octets(sc, sizeof(sc), p256_order);
	CHECK_ERR(ocspkit_privkey_from_ec(&k, OCSPKIT_KEY_EC_P256, sc, on), OCSPKIT_E_BAD_PRIVATE_KEY);
	sc[on - 1] -= 1; /* n - 1 */
	CHECK_OK(ocspkit_privkey_from_ec(&k, OCSPKIT_KEY_EC_P256, sc, on));
	roundtrip(k, NULL, "P-256, scalar n - 1");
	ocspkit_privkey_free(k);
	memmove(sc + 10, sc, on);
	memset(sc, 0, 10);
	CHECK_OK(ocspkit_privkey_from_ec(&k, OCSPKIT_KEY_EC_P256, sc, on + 10));
	ocspkit_privkey_free(k);
	sc[9] = 1;
	CHECK_ERR(ocspkit_privkey_from_ec(&k, OCSPKIT_KEY_EC_P256, sc + 9, on + 1), OCSPKIT_E_BAD_PRIVATE_KEY);
	CHECK_ERR(ocspkit_privkey_from_ec(&k, OCSPKIT_KEY_ED25519, sc, 32), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_privkey_from_ec(&k, OCSPKIT_KEY_EC_P384, NULL, 48), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK(k == NULL);

	CHECK(strcmp(ocspkit_key_type_name(OCSPKIT_KEY_EC_P384), "P-384") == 0);
	CHECK(strcmp(ocspkit_key_type_name((ocspkit_key_type)99), "unknown") == 0);
}

/* Without random octets nothing that needs them is signed. */
static void test_random_failure(void)
{
	uint8_t *sig;
	size_t sl;
	ocspkit_sign_opts pss = { 0, 1, 0, 0, 0 };
	ocspkit_privkey *rsa = pki_key(OCSPKIT_KEY_RSA, 1), *ec = pki_key(OCSPKIT_KEY_EC_P256, 1),
			*ed = pki_key(OCSPKIT_KEY_ED25519, 1);
	okit_random_fail(1);
	CHECK_ERR(pki_sign(&sig, &sl, NULL, rsa, NULL, msg, sizeof(msg)), OCSPKIT_E_SIGNING_FAILED);
	CHECK(sig == NULL);
	CHECK_ERR(pki_sign(&sig, &sl, NULL, rsa, &pss, msg, sizeof(msg)), OCSPKIT_E_SIGNING_FAILED);
	CHECK_ERR(pki_sign(&sig, &sl, NULL, ec, NULL, msg, sizeof(msg)), OCSPKIT_E_SIGNING_FAILED);
	/* EdDSA is deterministic */
	CHECK_OK(pki_sign(&sig, &sl, NULL, ed, NULL, msg, sizeof(msg)));
	ocspkit_free(sig);
	okit_random_fail(0);
	CHECK_OK(pki_sign(&sig, &sl, NULL, ec, NULL, msg, sizeof(msg)));
	ocspkit_free(sig);
	ocspkit_privkey_free(rsa);
	ocspkit_privkey_free(ec);
	ocspkit_privkey_free(ed);
}

/* ---------------------------------------------------------------- messages */

static ocspkit_response_tbs sample_data(ocspkit_single_response *single, ocspkit_cert_id_value *idv)
{
	ocspkit_response_tbs d;
	memset(&d, 0, sizeof(d));
	memset(single, 0, sizeof(*single));
	memset(idv, 0, sizeof(*idv));
	idv->hash = OCSPKIT_HASH_SHA1;
	idv->hash_len = 20;
	memset(idv->issuer_name_hash, 0x11, 20);
	memset(idv->issuer_key_hash, 0x22, 20);
	idv->serial_len = 1;
	idv->serial[0] = 5;
	single->cert_id = ocspkit_cert_id_value_view(idv);
	single->status = OCSPKIT_CERT_GOOD;
	single->this_update = 1800000000;
	static const uint8_t name[] = { 0x30, 0x0F, 0x31, 0x0D, 0x30, 0x0B, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0C, 0x04, 'r', 'e', 's', 'p' };
	d.responder_id.type = OCSPKIT_RESPONDER_BY_NAME;
	d.responder_id.value = (ocspkit_bytes){ name, sizeof(name) };
	d.produced_at = 1800000000;
	d.responses = single;
	d.response_count = 1;
	return d;
}

static void test_messages(void)
{
	ocspkit_single_response single;
	ocspkit_cert_id_value idv;
	ocspkit_response_tbs d = sample_data(&single, &idv);

	for (size_t t = 0; t < sizeof(all_types) / sizeof(all_types[0]); t++) {
		ocspkit_privkey *k = pki_key(all_types[t], 1);
		ocspkit_pubkey *pub = pub_of(k);
		blob cert = raw("3003020101"); /* carried as is: any DER element */
		ocspkit_bytes certs[1] = { { cert.d, cert.n } };
		uint8_t *der;
		size_t len;
		ocspkit_response *r;
		CHECK_OK(pki_response_sign(&der, &len, &d, k, NULL, certs, 1));
		CHECK_OK(ocspkit_response_decode(&r, der, len, 0, NULL));
		if (r) {
			ocspkit_signature_block sb;
			ocspkit_bytes tbs = { NULL, 0 };
			CHECK_OK(ocspkit_response_get_tbs_der(&tbs, r));
			CHECK_OK(ocspkit_response_get_signature(&sb, r));
			CHECK(sb.cert_count == 1);
			CHECK_OK(ocspkit_verify_signature(pub, &sb.algorithm, tbs.data, tbs.len, sb.signature));
			ocspkit_response_free(r);
		}
		ocspkit_free(der);
		ocspkit_pubkey_free(pub);
		ocspkit_privkey_free(k);
	}

	/* signed requests, checked with the certificate they carry */
	ocspkit_privkey *ca = pki_key(OCSPKIT_KEY_EC_P256, 1), *ee = pki_key(OCSPKIT_KEY_EC_P384, 1);
	pki_cert_spec spec = { 0 };
	spec.subject = "requestor";
	spec.issuer = "CA";
	spec.key = ee;
	spec.issuer_key = ca;
	blob cert = pki_cert_der(&spec);
	ocspkit_single_request q = { single.cert_id, NULL, 0 };
	blob gn = T(0xA4, pki_name("requestor"));
	ocspkit_request_tbs tbs = { 0, { gn.d, gn.n }, &q, 1, NULL, 0 };
	ocspkit_bytes certs[1] = { { cert.d, cert.n } };
	uint8_t *der;
	size_t len;
	ocspkit_request *req;
	ocspkit_signer *ee_signer;
	CHECK_OK(ocspkit_signer_from_privkey(&ee_signer, ee, NULL));
	CHECK_OK(ocspkit_request_sign(&der, &len, &tbs, ee_signer, certs, 1));
	CHECK_OK(ocspkit_request_decode(&req, der, len, 0, NULL));
	CHECK_OK(ocspkit_request_verify(req, NULL));
	ocspkit_cert *ca_cert;
	spec.subject = "CA";
	spec.key = ca;
	ca_cert = pki_cert(&spec);
	CHECK_ERR(ocspkit_request_verify(req, ca_cert), OCSPKIT_E_SIGNATURE_INVALID);
	ocspkit_request_free(req);
	/* a changed byte inside tbsRequest (the serial) */
	for (size_t i = 0; i + 2 < len; i++) {
		if (der[i] == 0x02 && der[i + 1] == 0x01 && der[i + 2] == 0x05) {
			der[i + 2] = 6;
			break;
		}
	}
	CHECK_OK(ocspkit_request_decode(&req, der, len, 0, NULL));
	CHECK_ERR(ocspkit_request_verify(req, NULL), OCSPKIT_E_SIGNATURE_INVALID);
	ocspkit_request_free(req);
	ocspkit_free(der);
	CHECK_OK(ocspkit_request_sign(&der, &len, &tbs, ee_signer, NULL, 0));
	ocspkit_signer_free(ee_signer);
	CHECK_OK(ocspkit_request_decode(&req, der, len, 0, NULL));
	CHECK_ERR(ocspkit_request_verify(req, NULL), OCSPKIT_E_SIGNER_NOT_FOUND);
	ocspkit_request_free(req);
	ocspkit_free(der);
	CHECK_OK(ocspkit_request_encode(&der, &len, &tbs, NULL));
	CHECK_OK(ocspkit_request_decode(&req, der, len, 0, NULL));
	CHECK_ERR(ocspkit_request_verify(req, NULL), OCSPKIT_E_NOT_FOUND);
	ocspkit_request_free(req);
	ocspkit_free(der);

	/* certificates verify with their issuer's key only */
	ocspkit_cert *ee_cert;
	size_t off;
	CHECK_OK(ocspkit_cert_decode(&ee_cert, cert.d, cert.n, 0, &off));
	ocspkit_pubkey *cak = pub_of(ca), *eek = pub_of(ee);
	CHECK_OK(ocspkit_cert_verify(ee_cert, cak));
	CHECK_OK(ocspkit_cert_verify(ca_cert, cak));
	CHECK_ERR(ocspkit_cert_verify(ee_cert, eek), OCSPKIT_E_SIGNATURE_INVALID);
	/* outer algorithm different from the inner one */
	blob tampered = cert;
	/* the last ecdsa-with-SHA256 is signatureAlgorithm */
	for (size_t i = tampered.n - 8; i > 0; i--) {
		if (memcmp(tampered.d + i, "\x2A\x86\x48\xCE\x3D\x04\x03\x02", 8) == 0) {
			tampered.d[i + 7] = 3;
			break;
		}
	}
	ocspkit_cert *tc;
	CHECK_OK(ocspkit_cert_decode(&tc, tampered.d, tampered.n, 0, &off));
	CHECK_ERR(ocspkit_cert_verify(tc, cak), OCSPKIT_E_BAD_CERTIFICATE);
	ocspkit_cert_free(tc);
	ocspkit_cert_free(ee_cert);
	ocspkit_cert_free(ca_cert);
	ocspkit_pubkey_free(cak);
	ocspkit_pubkey_free(eek);
	ocspkit_privkey_free(ca);
	ocspkit_privkey_free(ee);
}

/* ---------------------------------------------------------------- robustness */

/* Every allocation of these calls can fail without a leak or a crash:
 * the loops end when a run completes before its Nth allocation. */
static void test_alloc_failures(void)
{
	ocspkit_single_response single;
	ocspkit_cert_id_value idv;
	ocspkit_response_tbs d = sample_data(&single, &idv);
	ocspkit_privkey *keys[3] = { pki_key(OCSPKIT_KEY_RSA, 1), pki_key(OCSPKIT_KEY_EC_P256, 1),
				     pki_key(OCSPKIT_KEY_ED25519, 1) };
	for (int i = 0; i < 3; i++) {
		blob spki = pki_spki(keys[i]);
		for (long n = 1; n < 200; n++) {
			ocspkit_pubkey *p = NULL;
			uint8_t *der = NULL, *sig = NULL;
			size_t len, sl;
			okit_alloc_fail_at(n);
			ocspkit_err e1 = ocspkit_pubkey_decode(&p, spki.d, spki.n);
			ocspkit_err e2 = pki_response_sign(&der, &len, &d, keys[i], NULL, NULL, 0);
			ocspkit_err e3 = pki_sign(&sig, &sl, NULL, keys[i], NULL, msg, sizeof(msg));
			ocspkit_pubkey *pp = NULL;
			ocspkit_err e4 = ocspkit_pubkey_from_privkey(&pp, keys[i]);
			long used = okit_alloc_fail_at(0);
			CHECK(e1 == OCSPKIT_OK || e1 == OCSPKIT_E_NO_MEMORY);
			CHECK(e2 == OCSPKIT_OK || e2 == OCSPKIT_E_NO_MEMORY);
			CHECK(e3 == OCSPKIT_OK || e3 == OCSPKIT_E_NO_MEMORY);
			CHECK(e4 == OCSPKIT_OK || e4 == OCSPKIT_E_NO_MEMORY);
			CHECK((e2 == OCSPKIT_OK) == (der != NULL));
			ocspkit_pubkey_free(p);
			ocspkit_pubkey_free(pp);
			ocspkit_free(der);
			ocspkit_free(sig);
			if (used < n)
				break;
		}
	}
	for (int i = 0; i < 3; i++)
		ocspkit_privkey_free(keys[i]);
}

typedef struct {
	const ocspkit_signer *signer;
	const ocspkit_pubkey *pub;
	int failures;
} thread_arg;

static void *signer_thread(void *p)
{
	thread_arg *a = p;
	ocspkit_algorithm_id id = ocspkit_signer_get_algorithm(a->signer);
	for (int i = 0; i < 8; i++) {
		uint8_t *sig;
		size_t sl;
		uint8_t data[16];
		memset(data, i, sizeof(data));
		if (ocspkit_signer_sign(&sig, &sl, a->signer, data, sizeof(data)) != OCSPKIT_OK) {
			a->failures++;
			continue;
		}
		if (ocspkit_verify_signature(a->pub, &id, data, sizeof(data), (ocspkit_bytes){ sig, sl }))
			a->failures++;
		ocspkit_free(sig);
	}
	return NULL;
}

/* One signer, several threads signing at once (what a responder does). */
static void test_threads(void)
{
	ocspkit_privkey *keys[2] = { pki_key(OCSPKIT_KEY_RSA, 1), pki_key(OCSPKIT_KEY_EC_P256, 1) };
	for (int k = 0; k < 2; k++) {
		ocspkit_pubkey *pub = pub_of(keys[k]);
		ocspkit_signer *signer;
		pthread_t th[4];
		thread_arg args[4];
		CHECK_OK(ocspkit_signer_from_privkey(&signer, keys[k], NULL));
		for (int i = 0; i < 4; i++) {
			args[i] = (thread_arg){ signer, pub, 0 };
			CHECK(pthread_create(&th[i], NULL, signer_thread, &args[i]) == 0);
		}
		for (int i = 0; i < 4; i++) {
			pthread_join(th[i], NULL);
			CHECK(args[i].failures == 0);
		}
		ocspkit_signer_free(signer);
		ocspkit_pubkey_free(pub);
		ocspkit_privkey_free(keys[k]);
	}
}

/* ---------------------------------------------------------------- signers of callbacks */

/* A signer of its own, as an HSM's would be: it signs through another
 * signer (the key), counts its calls, and fails when told to, with the
 * error it is told to return, or lies about the length it wrote. */
typedef struct {
	const ocspkit_signer *inner;
	atomic_int calls, frees;
	ocspkit_err fail;     /* returned instead of signing, when not OK */
	int bad_length;       /* 1: reports sig_cap + 1 octets; 2: reports 0 */
} counting_signer;

static ocspkit_err counting_sign(void *ctx, uint8_t *sig, size_t sig_cap, size_t *sig_len, const uint8_t *data,
				 size_t data_len)
{
	counting_signer *c = ctx;
	uint8_t *s;
	size_t n;
	atomic_fetch_add(&c->calls, 1);
	if (c->fail)
		return c->fail;
	ocspkit_err e = ocspkit_signer_sign(&s, &n, c->inner, data, data_len);
	if (e)
		return e;
	if (n > sig_cap) {
		ocspkit_free(s);
		return OCSPKIT_E_INTERNAL;
	}
	memcpy(sig, s, n);
	ocspkit_free(s);
	*sig_len = c->bad_length == 1 ? sig_cap + 1 : c->bad_length == 2 ? 0 : n;
	return OCSPKIT_OK;
}

static void counting_free(void *ctx)
{
	counting_signer *c = ctx;
	atomic_fetch_add(&c->frees, 1);
}

static const ocspkit_signer_ops counting_ops = { counting_sign, counting_free };

/* The algorithm of a signer, as a value that owns its bytes. */
static ocspkit_algorithm_value algorithm_of(const ocspkit_signer *s)
{
	ocspkit_algorithm_id id = ocspkit_signer_get_algorithm(s);
	ocspkit_algorithm_value v;
	memset(&v, 0, sizeof(v));
	memcpy(v.oid, id.oid.data, id.oid.len);
	v.oid_len = id.oid.len;
	if (id.params.len)
		memcpy(v.params, id.params.data, id.params.len);
	v.params_len = id.params.len;
	return v;
}

typedef struct {
	const ocspkit_signer *signer;
	const ocspkit_response_tbs *tbs;
	int failures;
} response_thread_arg;

static void *response_thread(void *p)
{
	response_thread_arg *a = p;
	for (int i = 0; i < 8; i++) {
		uint8_t *der;
		size_t len;
		if (ocspkit_response_sign(&der, &len, a->tbs, a->signer, NULL, 0) != OCSPKIT_OK) {
			a->failures++;
			continue;
		}
		ocspkit_free(der);
	}
	return NULL;
}

static void test_callback_signer(void)
{
	ocspkit_single_response single;
	ocspkit_cert_id_value idv;
	ocspkit_response_tbs d = sample_data(&single, &idv);
	ocspkit_privkey *keys[3] = { pki_key(OCSPKIT_KEY_RSA, 1), pki_key(OCSPKIT_KEY_EC_P384, 1),
				     pki_key(OCSPKIT_KEY_ED448, 1) };
	/* the longest signatures: RSA-2048, two 49-octet INTEGERs, Ed448 */
	static const size_t max_sig[3] = { 256, 2 + 2 * (2 + 49), 114 };
	ocspkit_single_request q = { single.cert_id, NULL, 0 };
	ocspkit_request_tbs req_tbs = { 0, { NULL, 0 }, &q, 1, NULL, 0 };

	for (int k = 0; k < 3; k++) {
		ocspkit_signer *inner, *s;
		ocspkit_pubkey *pub = pub_of(keys[k]);
		CHECK_OK(ocspkit_signer_from_privkey(&inner, keys[k], NULL));
		ocspkit_algorithm_value alg = algorithm_of(inner);
		counting_signer c = { inner, 0, 0, OCSPKIT_OK, 0 };
		CHECK_OK(ocspkit_signer_new(&s, &counting_ops, &c, &alg, max_sig[k]));

		/* what it signs is a response that verifies with the key */
		uint8_t *der;
		size_t len;
		ocspkit_response *r;
		CHECK_OK(ocspkit_response_sign(&der, &len, &d, s, NULL, 0));
		CHECK(atomic_load(&c.calls) == 1);
		CHECK_OK(ocspkit_response_decode(&r, der, len, 0, NULL));
		if (r) {
			ocspkit_signature_block sb;
			ocspkit_bytes tbs = { NULL, 0 };
			CHECK_OK(ocspkit_response_get_tbs_der(&tbs, r));
			CHECK_OK(ocspkit_response_get_signature(&sb, r));
			CHECK(okit_bytes_equal(sb.algorithm.oid, (ocspkit_bytes){ alg.oid, alg.oid_len }));
			CHECK_OK(ocspkit_verify_signature(pub, &sb.algorithm, tbs.data, tbs.len, sb.signature));
			ocspkit_response_free(r);
		}
		ocspkit_free(der);

		/* a failing signer: its error, and no output */
		c.fail = OCSPKIT_E_SIGNING_FAILED;
		der = (uint8_t *)"x";
		len = 99;
		CHECK_ERR(ocspkit_response_sign(&der, &len, &d, s, NULL, 0), OCSPKIT_E_SIGNING_FAILED);
		CHECK(der == NULL && len == 0);
		c.fail = OCSPKIT_E_NO_MEMORY;
		CHECK_ERR(ocspkit_response_sign(&der, &len, &d, s, NULL, 0), OCSPKIT_E_NO_MEMORY);
		CHECK(der == NULL && len == 0);
		c.fail = (ocspkit_err)1000; /* not an ocspkit_err */
		CHECK_ERR(ocspkit_response_sign(&der, &len, &d, s, NULL, 0), OCSPKIT_E_SIGNING_FAILED);
		c.fail = OCSPKIT_OK;
		uint8_t *sig = (uint8_t *)"x";
		size_t sl = 99;
		c.bad_length = 1;
		CHECK_ERR(ocspkit_signer_sign(&sig, &sl, s, msg, sizeof(msg)), OCSPKIT_E_SIGNING_FAILED);
		CHECK(sig == NULL && sl == 0);
		c.bad_length = 2;
		CHECK_ERR(ocspkit_request_sign(&der, &len, &req_tbs, s, NULL, 0),
			  OCSPKIT_E_SIGNING_FAILED);
		CHECK(der == NULL && len == 0);
		c.bad_length = 0;
		CHECK(atomic_load(&c.calls) == 6);

		/* several threads through one signer */
		pthread_t th[4];
		response_thread_arg args[4];
		for (int i = 0; i < 4; i++) {
			args[i] = (response_thread_arg){ s, &d, 0 };
			CHECK(pthread_create(&th[i], NULL, response_thread, &args[i]) == 0);
		}
		for (int i = 0; i < 4; i++) {
			pthread_join(th[i], NULL);
			CHECK(args[i].failures == 0);
		}
		CHECK(atomic_load(&c.calls) == 6 + 4 * 8);

		/* the context is released once, with the signer */
		CHECK(atomic_load(&c.frees) == 0);
		ocspkit_signer_free(s);
		CHECK(atomic_load(&c.frees) == 1);
		ocspkit_signer_free(inner);
		ocspkit_pubkey_free(pub);
	}

	/* what a signer is made of is checked, and a refused one keeps its
	 * context with the caller */
	counting_signer c = { NULL, 0, 0, OCSPKIT_OK, 0 };
	ocspkit_signer *s = (ocspkit_signer *)&c;
	ocspkit_algorithm_value alg;
	CHECK_OK(ocspkit_sign_algorithm(&alg, keys[0], NULL));
	ocspkit_signer_ops no_sign = { NULL, counting_free };
	CHECK_ERR(ocspkit_signer_new(&s, &no_sign, &c, &alg, 256), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK(s == NULL);
	CHECK_ERR(ocspkit_signer_new(&s, &counting_ops, &c, &alg, 0), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_signer_new(&s, &counting_ops, &c, &alg, OCSPKIT_MAX_SIGNATURE_SIZE + 1),
		  OCSPKIT_E_INVALID_ARGUMENT);
	CHECK_ERR(ocspkit_signer_new(&s, &counting_ops, &c, NULL, 256), OCSPKIT_E_INVALID_ARGUMENT);
	ocspkit_algorithm_value bad = alg;
	bad.oid[bad.oid_len - 1] |= 0x80; /* an unfinished arc */
	CHECK_ERR(ocspkit_signer_new(&s, &counting_ops, &c, &bad, 256), OCSPKIT_E_INVALID_ARGUMENT);
	bad = alg;
	bad.params[0] = 0x04; /* OCTET STRING of 5 octets, with 0 of them */
	bad.params[1] = 0x05;
	CHECK_ERR(ocspkit_signer_new(&s, &counting_ops, &c, &bad, 256), OCSPKIT_E_INVALID_ARGUMENT);
	CHECK(atomic_load(&c.frees) == 0);
	/* an algorithm the library cannot verify is the signer's business */
	bad = alg;
	bad.oid[bad.oid_len - 1] = 0x7F;
	CHECK_OK(ocspkit_signer_new(&s, &counting_ops, &c, &bad, 256));
	ocspkit_signer_free(s);
	CHECK(atomic_load(&c.frees) == 1);
	ocspkit_signer_free(NULL);

	/* every allocation of signing through a signer of callbacks can fail */
	ocspkit_signer *inner;
	CHECK_OK(ocspkit_signer_from_privkey(&inner, keys[2], NULL));
	alg = algorithm_of(inner);
	c = (counting_signer){ inner, 0, 0, OCSPKIT_OK, 0 };
	for (long n = 1; n < 100; n++) {
		uint8_t *der = NULL;
		size_t len;
		s = NULL;
		okit_alloc_fail_at(n);
		ocspkit_err e = ocspkit_signer_new(&s, &counting_ops, &c, &alg, 114);
		if (!e)
			e = ocspkit_response_sign(&der, &len, &d, s, NULL, 0);
		long used = okit_alloc_fail_at(0);
		CHECK(e == OCSPKIT_OK || e == OCSPKIT_E_NO_MEMORY);
		CHECK((e == OCSPKIT_OK) == (der != NULL));
		ocspkit_free(der);
		ocspkit_signer_free(s);
		if (used < n)
			break;
	}
	ocspkit_signer_free(inner);
	for (int k = 0; k < 3; k++)
		ocspkit_privkey_free(keys[k]);
}

int main(void)
{
	test_roundtrips();
	test_algorithm_ids();
	test_refusals();
	test_ecdsa_encoding();
	test_nettle_agrees();
	test_known_answer();
	test_spki();
	test_private_keys();
	test_random_failure();
	test_messages();
	test_alloc_failures();
	test_threads();
	test_callback_signer();
	CHECK_DONE();
}
