/* bench_crl: what it costs to load a large CRL and look serial numbers up
 * in it, with ocspkit, OpenSSL 3 and GnuTLS, in one run on one CRL.
 *
 *   bench_crl [-n ENTRIES] [-r REPS] [-l LOOKUPS] [-o FILE] [-p LIB]
 *
 * The CRL is made here, not kept: ENTRIES (1,000,000) entries with
 * 16-octet random serials (a sign octet when the top bit is set, as real
 * CAs write them), one in three with a reason code, revocation dates a
 * second apart, signed with RSA-2048 and SHA-256 by a CA made here too
 * (tests/lib/pki.h), through the codec's internal encoder (codec/crl_write.c):
 * about 40 MB.  -o writes it (and the CA, FILE.ca.der) out.
 *
 * Load is everything a relying party does before its first answer:
 *   ocspkit  ocspkit_crl_decode (strict check, entry offsets, serial index)
 *            + ocspkit_crl_verify (issuer name, cRLSign, signature)
 *   OpenSSL  d2i_X509_CRL + X509_CRL_verify + the first
 *            X509_CRL_get0_by_serial (which sorts the entries: OpenSSL's index)
 *   GnuTLS   gnutls_x509_crl_import + gnutls_x509_crl_verify, and one pass
 *            over the serials (gnutls_x509_crl_iter_crt_serial): GnuTLS has
 *            no lookup, a caller reads them all to build its own
 * Lookup is one serial number (a listed one, in random order, and every
 * tenth one not listed): ocspkit_crl_find, X509_CRL_get0_by_serial; for
 * GnuTLS the iteration until the serial is met (O(n): measured on a few).
 * Memory is the peak resident set a load adds (VmHWM minus VmRSS before
 * it, in a child process per library), against the CRL's size; for
 * ocspkit also the octets it allocates (okit_alloc_requested).
 *
 * Every result is checked: each library must verify the signature and
 * find what the CRL lists; a library that fails is reported, not timed.
 * -p LIB loads with one library LIB times and nothing else (for
 * valgrind --tool=callgrind, make bench-profile's style).
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include <ocspkit/ocspkit.h>

#include "alloc.h"
#include "crl_write.h"
#include "tests/lib/pki.h"

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_crl: %s\n", what);
	exit(1);
}

/* ------------------------------------------------------------ the CRL */

typedef struct {
	uint8_t *der, *ca;
	size_t len, ca_len;
	size_t n;
	uint8_t (*serials)[17];
	size_t *serial_len;
} crl_data;

static void make_crl(crl_data *d, size_t n)
{
	static const uint8_t kc[] = { 0x0A, 0x01, 0x01 }, sup[] = { 0x0A, 0x01, 0x04 };
	static const ocspkit_extension reasons[2] = { { OCSPKIT_EXT_CRL_REASON, { NULL, 0 }, 0, { kc, 3 } },
						      { OCSPKIT_EXT_CRL_REASON, { NULL, 0 }, 0, { sup, 3 } } };
	okit_crl_entry_spec *es = calloc(n, sizeof(*es));
	d->serials = malloc(n * sizeof(*d->serials));
	d->serial_len = malloc(n * sizeof(*d->serial_len));
	if (!es || !d->serials || !d->serial_len)
		die("out of memory");
	uint64_t x = 0x9E3779B97F4A7C15ULL;
	for (size_t i = 0; i < n; i++) {
		uint8_t *s = d->serials[i];
		s[0] = 0;
		for (int k = 1; k <= 16; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			s[k] = (uint8_t)(x >> 32);
		}
		s[1] |= 1; /* no leading zero octet */
		int sign = (s[1] & 0x80) != 0;
		d->serial_len[i] = 16 + (size_t)sign;
		es[i].serial = (ocspkit_bytes){ s + !sign, d->serial_len[i] };
		es[i].revocation_date = 1700000000 + (int64_t)i;
		if (i % 3 == 0) {
			es[i].extensions = &reasons[i % 2];
			es[i].extension_count = 1;
		}
	}
	ocspkit_privkey *key = pki_key(OCSPKIT_KEY_RSA, 1);
	blob ca_name = pki_name("Bench CRL CA");
	pki_cert_spec cs;
	memset(&cs, 0, sizeof(cs));
	cs.subject = cs.issuer = "Bench CRL CA";
	cs.ca = 1;
	cs.key = cs.issuer_key = key;
	blob ca = pki_cert_der(&cs);
	d->ca = malloc(ca.n);
	memcpy(d->ca, ca.d, ca.n);
	d->ca_len = ca.n;

	ocspkit_algorithm_value alg;
	if (ocspkit_sign_algorithm(&alg, key, NULL))
		die("sign algorithm");
	okit_crl_spec s;
	memset(&s, 0, sizeof(s));
	s.version = 1;
	s.signature = ocspkit_algorithm_value_view(&alg);
	s.issuer = (ocspkit_bytes){ ca_name.d, ca_name.n };
	s.this_update = (int64_t)time(NULL) - 3600; /* current: GnuTLS checks the times */
	s.has_next_update = 1;
	s.next_update = s.this_update + 7 * 86400;
	s.entries = es;
	s.entry_count = n;
	uint8_t *tbs, *sig;
	size_t tl, sl;
	if (okit_crl_tbs_write(&tbs, &tl, &s) || pki_sign(&sig, &sl, NULL, key, NULL, tbs, tl) ||
	    okit_crl_assemble(&d->der, &d->len, (ocspkit_bytes){ tbs, tl }, &s.signature, (ocspkit_bytes){ sig, sl }))
		die("cannot make the CRL");
	ocspkit_free(tbs);
	ocspkit_free(sig);
	ocspkit_privkey_free(key);
	free(es);
	d->n = n;
}

static void free_crl(crl_data *d)
{
	ocspkit_free(d->der);
	free(d->ca);
	free(d->serials);
	free(d->serial_len);
}

/* The serials looked up: listed ones in random order, every tenth one
 * changed in its last octet (not listed, but for a one in 2^128 chance).
 * Each is copied to keys[i], in the order of the lookups, so that reading
 * the probe costs no cache miss of its own. */
typedef struct {
	ocspkit_bytes serial;
	int listed;
} probe;

static probe *make_probes(const crl_data *d, size_t m, uint8_t (*keys)[17])
{
	probe *p = malloc(m * sizeof(*p));
	uint64_t x = 0x2545F4914F6CDD1DULL;
	for (size_t i = 0; i < m; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t k = (size_t)(x % d->n);
		const uint8_t *s = d->serials[k];
		size_t len = d->serial_len[k];
		memcpy(keys[i], len == 17 ? s : s + 1, len);
		if (i % 10 == 9)
			keys[i][len - 1] ^= 0x5A;
		p[i] = (probe){ { keys[i], len }, i % 10 != 9 };
	}
	return p;
}

/* ------------------------------------------------------------ libraries */

enum { L_OCSPKIT, L_OPENSSL, L_GNUTLS, L__N };
static const char *const lib_names[L__N] = { "ocspkit", "OpenSSL", "GnuTLS" };

typedef struct {
	double phase[3]; /* ns: decode/d2i/import, verify, index (sort / iteration) */
	const char *phase_names[3];
	void *obj, *aux;
	int ok;
} loaded;

static void load(int lib, const crl_data *d, loaded *out)
{
	double t0, t1, t2, t3;
	memset(out, 0, sizeof(*out));
	switch (lib) {
	case L_OCSPKIT: {
		ocspkit_crl *c = NULL;
		ocspkit_cert *ca = NULL;
		if (ocspkit_cert_decode(&ca, d->ca, d->ca_len, 0, NULL))
			die("ocspkit: the CA");
		t0 = now_ns();
		ocspkit_err e = ocspkit_crl_decode(&c, d->der, d->len, OCSPKIT_DECODE_STRICT, NULL);
		t1 = now_ns();
		ocspkit_err v = e ? e : ocspkit_crl_verify(c, ca);
		t2 = now_ns();
		out->ok = !e && !v;
		out->phase[0] = t1 - t0, out->phase[1] = t2 - t1, out->phase[2] = 0;
		out->phase_names[0] = "decode+index", out->phase_names[1] = "verify", out->phase_names[2] = "-";
		out->obj = c;
		ocspkit_cert_free(ca);
		break;
	}
	case L_OPENSSL: {
		const unsigned char *p = d->ca;
		X509 *ca = d2i_X509(NULL, &p, (long)d->ca_len);
		EVP_PKEY *pk = ca ? X509_get0_pubkey(ca) : NULL;
		p = d->der;
		t0 = now_ns();
		X509_CRL *c = d2i_X509_CRL(NULL, &p, (long)d->len);
		t1 = now_ns();
		int v = c && pk && X509_CRL_verify(c, pk) == 1;
		t2 = now_ns();
		X509_REVOKED *r = NULL;
		ASN1_INTEGER *first = NULL;
		if (c) { /* the first lookup sorts the entries */
			const uint8_t *s = d->serials[0];
			const unsigned char *sp = s;
			uint8_t tlv[20] = { 0x02, (uint8_t)d->serial_len[0] };
			memcpy(tlv + 2, d->serial_len[0] == 17 ? s : s + 1, d->serial_len[0]);
			sp = tlv;
			first = d2i_ASN1_INTEGER(NULL, &sp, (long)(d->serial_len[0] + 2));
			X509_CRL_get0_by_serial(c, &r, first);
		}
		t3 = now_ns();
		ASN1_INTEGER_free(first);
		out->ok = c && v && r;
		out->phase[0] = t1 - t0, out->phase[1] = t2 - t1, out->phase[2] = t3 - t2;
		out->phase_names[0] = "d2i", out->phase_names[1] = "verify", out->phase_names[2] = "sort";
		out->obj = c;
		X509_free(ca);
		ERR_clear_error();
		break;
	}
	case L_GNUTLS: {
		gnutls_x509_crl_t c;
		gnutls_x509_crt_t ca;
		gnutls_datum_t cad = { d->ca, (unsigned)d->ca_len }, dd = { d->der, (unsigned)d->len };
		unsigned status = 1;
		if (gnutls_x509_crt_init(&ca) || gnutls_x509_crt_import(ca, &cad, GNUTLS_X509_FMT_DER) ||
		    gnutls_x509_crl_init(&c))
			die("GnuTLS: the CA");
		t0 = now_ns();
		int ir = gnutls_x509_crl_import(c, &dd, GNUTLS_X509_FMT_DER);
		t1 = now_ns();
		int vr = ir ? ir : gnutls_x509_crl_verify(c, &ca, 1, 0, &status);
		t2 = now_ns();
		size_t count = 0;
		gnutls_x509_crl_iter_t it = NULL;
		for (;;) {
			unsigned char s[64];
			size_t sl = sizeof(s);
			time_t t;
			if (ir || gnutls_x509_crl_iter_crt_serial(c, &it, s, &sl, &t) < 0)
				break;
			count++;
		}
		gnutls_x509_crl_iter_deinit(it);
		t3 = now_ns();
		out->ok = !ir && !vr && status == 0 && count == d->n;
		out->phase[0] = t1 - t0, out->phase[1] = t2 - t1, out->phase[2] = t3 - t2;
		out->phase_names[0] = "import", out->phase_names[1] = "verify", out->phase_names[2] = "iterate";
		out->obj = c;
		out->aux = ca;
		break;
	}
	}
}

static void unload(int lib, loaded *l)
{
	switch (lib) {
	case L_OCSPKIT: ocspkit_crl_free(l->obj); break;
	case L_OPENSSL: X509_CRL_free(l->obj); break;
	case L_GNUTLS:
		gnutls_x509_crl_deinit(l->obj);
		gnutls_x509_crt_deinit(l->aux);
		break;
	}
}

/* One lookup; 1 if listed. */
static int lookup(int lib, const loaded *l, const probe *p)
{
	switch (lib) {
	case L_OCSPKIT: {
		ocspkit_crl_entry e;
		return ocspkit_crl_find(&e, l->obj, p->serial) == OCSPKIT_OK;
	}
	case L_OPENSSL: {
		uint8_t tlv[24] = { 0x02, (uint8_t)p->serial.len };
		memcpy(tlv + 2, p->serial.data, p->serial.len);
		const unsigned char *sp = tlv;
		ASN1_INTEGER *i = d2i_ASN1_INTEGER(NULL, &sp, (long)(p->serial.len + 2));
		X509_REVOKED *r = NULL;
		int found = X509_CRL_get0_by_serial(l->obj, &r, i) == 1;
		ASN1_INTEGER_free(i);
		return found;
	}
	default: {
		gnutls_x509_crl_iter_t it = NULL;
		int found = 0;
		for (;;) {
			unsigned char s[64];
			size_t sl = sizeof(s);
			time_t t;
			if (gnutls_x509_crl_iter_crt_serial(l->obj, &it, s, &sl, &t) < 0)
				break;
			if (sl == p->serial.len && memcmp(s, p->serial.data, sl) == 0) {
				found = 1;
				break;
			}
		}
		gnutls_x509_crl_iter_deinit(it);
		return found;
	}
	}
}

/* ------------------------------------------------------------ memory */

static long status_kb(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;
	size_t n = strlen(field);
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, field, n) == 0)
			v = strtol(line + n, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

/* The peak resident memory a load adds, in kB, from a child process;
 * for ocspkit *alloc gets the octets it asked for. */
static long memory_kb(int lib, const crl_data *d, long *alloc)
{
	int fds[2];
	long res[2] = { -1, -1 };
	if (pipe(fds))
		die("pipe");
	pid_t pid = fork();
	if (pid == 0) {
		loaded l;
		close(fds[0]);
		long before = status_kb("VmRSS:");
		okit_alloc_fail_at(0);
		load(lib, d, &l);
		res[1] = lib == L_OCSPKIT ? okit_alloc_requested() : -1;
		res[0] = l.ok ? status_kb("VmHWM:") - before : -1;
		if (write(fds[1], res, sizeof(res)) != sizeof(res))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], res, sizeof(res)) != sizeof(res))
		res[0] = -1;
	close(fds[0]);
	waitpid(pid, NULL, 0);
	*alloc = res[1];
	return res[0];
}

/* ------------------------------------------------------------ main */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Loads d with each library of libs (bits 1 << L_*), reps times, looks
 * lookups serials up and prints the table; 1 if every check held. */
static int run(const crl_data *d0, size_t lookups, int reps, unsigned libs)
{
	const crl_data *dp = d0;
#define d (*dp)
	size_t n = d.n;
	uint8_t(*keys)[17] = malloc(lookups * sizeof(*keys));
	probe *probes = make_probes(&d, lookups, keys);
	double load_ms[L__N], phases[L__N][3], lookup_ns[L__N];
	const char *pnames[L__N][3];
	long mem_kb[L__N], alloc = -1;
	int ok[L__N];

	printf("CRL: %zu entries, %.1f MB (%zu octets), RSA-2048 SHA-256; %d loads each (median), "
	       "%s (%s), %s\n",
	       n, d.len / 1e6, d.len, reps, ocspkit_version(), OpenSSL_version(OPENSSL_VERSION),
	       gnutls_check_version(NULL));
	for (int lib = 0; lib < L__N; lib++) {
		if (!(libs & (1u << lib)))
			continue;
		double samples[99][3], total[99];
		loaded l;
		ok[lib] = 1;
		for (int r = 0; r < reps; r++) {
			load(lib, &d, &l);
			ok[lib] &= l.ok;
			for (int k = 0; k < 3; k++)
				samples[r][k] = l.phase[k];
			total[r] = l.phase[0] + l.phase[1] + l.phase[2];
			if (r + 1 < reps)
				unload(lib, &l);
		}
		for (int k = 0; k < 3; k++) {
			double col[99];
			for (int r = 0; r < reps; r++)
				col[r] = samples[r][k];
			qsort(col, (size_t)reps, sizeof(double), cmp_double);
			phases[lib][k] = col[reps / 2] / 1e6;
			pnames[lib][k] = l.phase_names[k];
		}
		qsort(total, (size_t)reps, sizeof(double), cmp_double);
		load_ms[lib] = total[reps / 2] / 1e6;
		/* lookups: every probe for ocspkit and OpenSSL; for GnuTLS's
		 * linear scans, 20 of them */
		size_t m = lib == L_GNUTLS ? 20 : lookups, found = 0, want = 0;
		double s0 = now_ns();
		for (size_t i = 0; i < m; i++)
			found += (size_t)lookup(lib, &l, &probes[i]);
		lookup_ns[lib] = (now_ns() - s0) / (double)m;
		for (size_t i = 0; i < m; i++)
			want += (size_t)probes[i].listed;
		ok[lib] &= found == want;
		unload(lib, &l);
		long a;
		mem_kb[lib] = memory_kb(lib, &d, &a);
		if (lib == L_OCSPKIT)
			alloc = a;
	}

	printf("%-8s %10s  %-36s %12s  %s\n", "library", "load (ms)", "phases (ms)", "lookup (ns)",
	       "memory added (MB, x CRL size)");
	for (int lib = 0; lib < L__N; lib++) {
		if (!(libs & (1u << lib)))
			continue;
		char ph[128];
		snprintf(ph, sizeof(ph), "%s %.0f, %s %.0f%s%s%s", pnames[lib][0], phases[lib][0], pnames[lib][1],
			 phases[lib][1], strcmp(pnames[lib][2], "-") ? ", " : "",
			 strcmp(pnames[lib][2], "-") ? pnames[lib][2] : "", "");
		if (strcmp(pnames[lib][2], "-")) {
			size_t k = strlen(ph);
			snprintf(ph + k, sizeof(ph) - k, " %.0f", phases[lib][2]);
		}
		printf("%-8s %10.1f  %-36s %12.1f  %.1f (%.2fx)%s\n", lib_names[lib], load_ms[lib], ph, lookup_ns[lib],
		       mem_kb[lib] / 1024.0, mem_kb[lib] * 1024.0 / (double)d.len, ok[lib] ? "" : "  FAILED CHECKS");
	}
	printf("ocspkit allocates %.1f MB (%.2fx the CRL)\n", alloc / 1e6, alloc / (double)d.len);
	printf("load: OpenSSL / ocspkit %.1fx; lookup: OpenSSL / ocspkit %.1fx\n", load_ms[L_OPENSSL] / load_ms[L_OCSPKIT],
	       lookup_ns[L_OPENSSL] / lookup_ns[L_OCSPKIT]);
	if (libs & (1u << L_GNUTLS))
		printf("load: GnuTLS / ocspkit %.1fx; lookup: GnuTLS / ocspkit %.0fx\n", load_ms[L_GNUTLS] / load_ms[L_OCSPKIT],
		       lookup_ns[L_GNUTLS] / lookup_ns[L_OCSPKIT]);
	free(probes);
	free(keys);
	int all_ok = 1;
	for (int lib = 0; lib < L__N; lib++)
		if (libs & (1u << lib))
			all_ok &= ok[lib];
	return all_ok;
}

#undef d

int main(int argc, char **argv)
{
	size_t n = 1000000, lookups = 1000000;
	int reps = 3, profile = -1;
	/* GnuTLS reads a CRL through libtasn1, in time that grows with the
	 * square of the entries (20,000: 2.3 s; a million: over 13 minutes
	 * and not finished): it is measured on a CRL of gnutls_max entries. */
	size_t gnutls_max = 20000;
	const char *outfile = NULL;
	for (int ch; (ch = getopt(argc, argv, "n:r:l:o:p:g:")) != -1;) {
		switch (ch) {
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 'r': reps = atoi(optarg); break;
		case 'l': lookups = strtoul(optarg, NULL, 10); break;
		case 'o': outfile = optarg; break;
		case 'g': gnutls_max = strtoul(optarg, NULL, 10); break;
		case 'p':
			profile = strcmp(optarg, "ocspkit") == 0 ? L_OCSPKIT : strcmp(optarg, "openssl") == 0 ? L_OPENSSL
													 : L_GNUTLS;
			break;
		default:
			fprintf(stderr, "usage: bench_crl [-n ENTRIES] [-r REPS] [-l LOOKUPS] [-o FILE] [-p LIB] [-g GNUTLS_MAX]\n");
			return 2;
		}
	}
	if (reps < 1 || reps > 99 || n < 10 || lookups < 10)
		die("bad arguments");
	gnutls_global_init();
	crl_data d;
	double t0 = now_ns();
	make_crl(&d, n);
	fprintf(stderr, "bench_crl: made a CRL of %zu entries, %zu octets, in %.1f s\n", n, d.len,
		(now_ns() - t0) / 1e9);
	if (outfile) {
		char ca_path[4096];
		snprintf(ca_path, sizeof(ca_path), "%s.ca.der", outfile);
		FILE *f = fopen(outfile, "wb"), *g = fopen(ca_path, "wb");
		if (!f || !g || fwrite(d.der, 1, d.len, f) != d.len || fwrite(d.ca, 1, d.ca_len, g) != d.ca_len ||
		    fclose(f) || fclose(g))
			die("cannot write the CRL");
	}
	if (profile >= 0) {
		for (int r = 0; r < reps; r++) {
			loaded l;
			load(profile, &d, &l);
			if (!l.ok)
				die("the load failed");
			unload(profile, &l);
		}
		return 0;
	}

	unsigned all = (1u << L_OCSPKIT) | (1u << L_OPENSSL) | (1u << L_GNUTLS);
	int ok;
	if (n <= gnutls_max) {
		ok = run(&d, lookups, reps, all);
	} else {
		ok = run(&d, lookups, reps, all & ~(1u << L_GNUTLS));
		crl_data small;
		make_crl(&small, gnutls_max);
		printf("\nGnuTLS, on a CRL of %zu entries (its load grows with the square of the entries):\n", gnutls_max);
		ok &= run(&small, lookups < gnutls_max ? lookups : gnutls_max, 1, all);
		free_crl(&small);
	}
	free_crl(&d);
	return ok ? 0 : 1;
}

