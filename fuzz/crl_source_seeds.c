/* Seeds of crl_source_fuzzer, written by fuzz/gen_corpus (make
 * fuzz-corpus) into DIR/crl_source_fuzzer.in/: each a complete or delta
 * CRL (crl_source_fixture.h) the source takes or refuses for one of its
 * reasons: the same, newer, of equal number, older, signed by another
 * key, a delta as the complete CRL and the other way round, a delta on a
 * base it does not have, PEM, bytes that do not decode.  Deterministic. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/text.h"
#include "crl_source_fixture.h"

unsigned long crl_source_seeds(const char *dir);

static const char *out_dir;
static unsigned long written;

static void put(const char *name, uint8_t which, const void *data, size_t len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/crl_source_fuzzer.in", out_dir);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/crl_source_fuzzer.in/%s", out_dir, name);
	FILE *f = fopen(path, "wb");
	if (!f || fputc(which, f) == EOF || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	written++;
}

static void put_pem(const char *name, uint8_t which, blob der)
{
	char *pem;
	size_t n;
	if (text_pem_encode(&pem, &n, "X509 CRL", der.d, der.n) != OCSPKIT_OK)
		abort();
	put(name, which, pem, n);
	free(pem);
}

unsigned long crl_source_seeds(const char *dir)
{
	ocspkit_privkey *key = pki_ed25519_fixed(CSF_KEY_FILL), *other = pki_ed25519_fixed(CSF_KEY_FILL + 1);
	blob b;
	out_dir = dir;
	written = 0;
	b = csf_good_base(key);
	put("base-same", 0, b.d, b.n);
	b = csf_good_delta(key);
	put("delta-same", 1, b.d, b.n);
	put_pem("delta-pem", 1, b);
	b = csf_crl(key, 7, -1, cat(2, csf_entry(0x11, CSF_NOW - 100, 1), csf_entry(0x15, CSF_NOW - 10, 4)));
	put("base-newer", 0, b.d, b.n);
	put_pem("base-newer-pem", 0, b);
	b = csf_crl(key, 5, -1, csf_entry(0x16, CSF_NOW - 10, 2));
	put("base-equal-number", 0, b.d, b.n);
	b = csf_crl(key, 4, -1, csf_entry(0x11, CSF_NOW - 100, 1));
	put("base-older", 0, b.d, b.n);
	b = csf_crl(other, 9, -1, csf_entry(0x11, CSF_NOW - 100, 1));
	put("base-other-key", 0, b.d, b.n);
	b = csf_crl(key, 9, 5, csf_entry(0x11, CSF_NOW - 100, 8));
	put("base-is-delta", 0, b.d, b.n);
	b = csf_crl(key, 8, 5,
		    cat(3, csf_entry(0x11, CSF_NOW - 100, 8), csf_entry(0x17, CSF_NOW - 5, 1),
			csf_entry(0x13, CSF_NOW - 5, 8)));
	put("delta-newer", 1, b.d, b.n);
	b = csf_crl(key, 8, 6, csf_entry(0x17, CSF_NOW - 5, 1));
	put("delta-base-too-new", 1, b.d, b.n);
	b = csf_crl(key, 8, -1, csf_entry(0x17, CSF_NOW - 5, 1));
	put("delta-is-complete", 1, b.d, b.n);
	put("base-garbage", 0, "\x30\x03\x02\x01", 4);
	ocspkit_privkey_free(key);
	ocspkit_privkey_free(other);
	return written;
}
