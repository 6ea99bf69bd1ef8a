/* ocspkit presign: the response of every index entry, written where a
 * static web server finds it for an RFC 5019 GET.
 *
 * A GET is "/" + base64(DER request).  For each entry, each CertID hash
 * asked for (--hash, default sha1 and sha256) and both encodings of the
 * hash algorithm's parameters (NULL, as OpenSSL, NSS and GnuTLS send it,
 * and absent), the request a client sends without nonce is built, answered
 * exactly as `ocspkit serve` answers it (responder/answer.c), and written to
 * DIR/<base64 of the request, standard alphabet, padded>.  The '/' of the
 * base64 are directory separators, as a web server maps the path to
 * files, so that nginx's `root DIR` (or a CDN origin bucket) serves it as
 * is ("//" in a path reaches the same file).  Each file is replaced
 * atomically (a temporary in the same directory, then rename) and gets
 * thisUpdate as its modification time, so that Last-Modified is right and
 * nginx's `expires modified +<validity>` gives nextUpdate. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ocspkit presign --index index.txt --CA CA.pem --rsigner SIGNER.pem [--rkey KEY.pem]\n"
		"                       [options] DIR\n"
		"\n" RSETUP_USAGE
		"  --ndays N, --nmin N nextUpdate N days or minutes after thisUpdate (default: 1 day)\n"
		"  --hash LIST         CertID hashes to answer (default sha1,sha256)\n"
		"  --at TIME           sign as of this time instead of now\n"
		"  --quiet             no summary line\n"
		"\n"
		"Writes DIR/<base64 request> for every index entry (the request's '/' are directories),\n"
		"each file replaced atomically, for a static web server: see the README's nginx block.\n");
}

static int mkdirs(char *path, size_t upto)
{
	for (size_t i = 1; i < upto; i++) {
		if (path[i] != '/')
			continue;
		path[i] = 0;
		int r = mkdir(path, 0755);
		int err = errno;
		path[i] = '/';
		if (r != 0 && err != EEXIST)
			return -1;
	}
	return 0;
}

/* Writes data to path atomically, with mtime t. */
static int put_file(char *path, const uint8_t *data, size_t len, int64_t t)
{
	char tmp[PATH_MAX];
	char *slash = strrchr(path, '/');
	if (mkdirs(path, (size_t)(slash - path) + 1) != 0)
		return -1;
	if (snprintf(tmp, sizeof(tmp), "%.*s/.presign.XXXXXX", (int)(slash - path), path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	size_t off = 0;
	while (off < len) {
		ssize_t k = write(fd, data + off, len - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			goto fail;
		off += (size_t)k;
	}
	struct timespec ts[2] = { { (time_t)t, 0 }, { (time_t)t, 0 } };
	if (fchmod(fd, 0644) != 0 || futimens(fd, ts) != 0 || close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	return 0;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
	return -1;
}

int cmd_presign(int argc, char **argv)
{
	static const struct option opts[] = {
		RSETUP_OPTIONS,
		{ "hash", required_argument, NULL, 'H' }, { "at", required_argument, NULL, 't' },
		{ "quiet", no_argument, NULL, 'q' },      { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	ocspkit_hash hashes[8] = { OCSPKIT_HASH_SHA1, OCSPKIT_HASH_SHA256 };
	size_t n_hashes = 2;
	int quiet = 0, ret = EXIT_USAGE;
	int64_t now = 0;
	rsetup rs;

	rsetup_init(&rs);
	optind = 1;
	for (int ch; (ch = getopt_long_only(argc, argv, "h", opts, NULL)) != -1;) {
		switch (ch) {
		case 'H': {
			char buf[128], *save = NULL;
			snprintf(buf, sizeof(buf), "%s", optarg);
			n_hashes = 0;
			for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				ocspkit_hash h = cli_parse_hash(tok);
				if (!h || n_hashes == 8) {
					cli_err("--hash: sha1, sha224, sha256, sha384, sha512 expected");
					return EXIT_USAGE;
				}
				hashes[n_hashes++] = h;
			}
			if (!n_hashes) {
				cli_err("--hash: at least one hash");
				return EXIT_USAGE;
			}
			break;
		}
		case 't':
			if (ocspkit_time_parse(&now, optarg) || now == 0) {
				cli_err("--at: a time such as 20261122015704Z");
				return EXIT_USAGE;
			}
			break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default:
			if (ch >= 1000 && rsetup_option(&rs, ch, optarg) == 0)
				break;
			if (ch < 1000)
				usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc || rs.n_ca == 0 || rs.n_rsigner == 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *dir = argv[optind];
	if (!now)
		now = (int64_t)time(NULL);
	if (rsetup_load(&rs, 1))
		goto out;
	if (rs.r.validity < 0)
		rs.r.validity = 86400;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		cli_err("%s: %s", dir, strerror(errno));
		goto out;
	}

	unsigned long written = 0, entries = 0, skipped = 0;
	for (size_t c = 0; c < rs.r.n_cas; c++) {
		rsp_snapshot *snap = rsp_ca_acquire(&rs.r.cas[c]);
		size_t n = snap ? rsp_index_count(snap->index) : 0;
		for (size_t i = 0; i < n; i++) {
			const rsp_index_entry *ent = rsp_index_get(snap->index, i);
			entries++;
			for (size_t h = 0; h < n_hashes; h++) {
				for (int form = 1; form >= 0; form--) {
					uint8_t *req = NULL;
					size_t req_len, b64_len;
					char *b64 = NULL, path[PATH_MAX];
					rsp_answer a;
					ocspkit_err e = rsp_answer_make_request(&req, &req_len, &rs.r.cas[c], hashes[h], form,
										 ent->serial);
					if (!e)
						e = ocspkit_base64_encode(&b64, &b64_len, req, req_len, 0);
					if (!e)
						e = rsp_answer_request(&a, &rs.r, req, req_len, now);
					ocspkit_free(req);
					if (e) {
						cli_err("line %zu: %s", ent->line, ocspkit_strerror_name(e));
						ocspkit_free(b64);
						rsp_snapshot_release(snap);
						goto out;
					}
					/* a file name (between '/') is at most NAME_MAX */
					size_t seg = 0, longest = 0;
					for (size_t k = 0; k < b64_len; k++) {
						seg = b64[k] == '/' ? 0 : seg + 1;
						if (seg > longest)
							longest = seg;
					}
					int fits = longest <= NAME_MAX &&
						   snprintf(path, sizeof(path), "%s/%s", dir, b64) < (int)sizeof(path);
					if (!fits) {
						skipped++;
					} else if (put_file(path, a.blob->der, a.blob->len,
							    a.blob->has_update ? a.blob->this_update : now) != 0) {
						cli_err("%s: %s", path, strerror(errno));
						rsp_answer_clear(&a);
						ocspkit_free(b64);
						rsp_snapshot_release(snap);
						goto out;
					} else {
						written++;
					}
					rsp_answer_clear(&a);
					ocspkit_free(b64);
				}
			}
		}
		rsp_snapshot_release(snap);
	}
	/* the renames reach the disk before we say it is done */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		syncfs(dfd);
		close(dfd);
	}
	if (!quiet)
		printf("%lu responses for %lu index entries written to %s%s\n", written, entries, dir,
		       skipped ? " (some requests are too long for a file name: ocspkit serve answers them)" : "");
	ret = 0;
out:
	rsetup_free(&rs);
	return ret;
}
