/* The staples `ocspkit staple` keeps (staple_items.h). */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_options.h"
#include "common/util.h"
#include "files.h"
#include "output.h"
#include "staple_items.h"

#define MAX_ITEMS 4096

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n > k && strcmp(s + n - k, suf) == 0;
}

/* Did issuer sign cert? */
static int signed_by(const ocspkit_cert *cert, const ocspkit_cert *issuer)
{
	ocspkit_pubkey *key = NULL;
	int ok = 0;
	if (util_same_bytes(ocspkit_cert_get_issuer(cert), ocspkit_cert_get_subject(issuer)) &&
	    ocspkit_pubkey_from_cert(&key, issuer) == OCSPKIT_OK)
		ok = ocspkit_cert_verify(cert, key) == OCSPKIT_OK;
	ocspkit_pubkey_free(key);
	return ok;
}

typedef struct {
	char *path;
	ocspkit_cert **certs;
	size_t n;
} dir_file;

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The staples of a directory: each *.pem, *.crt or *.cer whose first
 * certificate is not a CA gets FILE.ocsp beside it; its issuer is
 * --issuer, or a certificate of its own bundle or of the directory that
 * signed it. */
static int scan_dir(const staple_items_spec *spec, ocspkit_cert *shared_issuer, upkeep_item **items,
		    size_t *n_items)
{
	DIR *dh = opendir(spec->dir);
	char **names = NULL;
	size_t n_names = 0;
	dir_file *files = NULL;
	size_t n_files = 0;
	struct dirent *de;

	if (!dh) {
		cli_err("%s: %s", spec->dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(dh)) != NULL && n_names < MAX_ITEMS) {
		if (de->d_name[0] == '.' ||
		    !(has_suffix(de->d_name, ".pem") || has_suffix(de->d_name, ".crt") || has_suffix(de->d_name, ".cer")))
			continue;
		char **nn = realloc(names, (n_names + 1) * sizeof(*names));
		if (!nn)
			break;
		names = nn;
		if (asprintf(&names[n_names], "%s/%s", spec->dir, de->d_name) >= 0)
			n_names++;
	}
	closedir(dh);
	if (n_names)
		qsort(names, n_names, sizeof(*names), by_name);
	files = calloc(n_names ? n_names : 1, sizeof(*files));
	for (size_t i = 0; files && i < n_names; i++) {
		uint8_t *data;
		size_t len;
		if (cli_read_file(names[i], 16 * OCSPKIT_MAX_MESSAGE_SIZE, &data, &len))
			continue;
		int pem_cert = memmem(data, len, "-----BEGIN CERTIFICATE-----", 27) != NULL;
		int pem_other = !pem_cert && memmem(data, len, "-----BEGIN ", 11) != NULL;
		free(data);
		if (pem_other || len == 0)
			continue; /* keys and other PEM: not ours */
		if (cli_load_certs(names[i], &files[n_files].certs, &files[n_files].n) == 0)
			files[n_files++].path = names[i];
	}
	for (size_t i = 0; files && i < n_files && *n_items < MAX_ITEMS; i++) {
		dir_file *f = &files[i];
		ocspkit_cert *leaf = f->certs[0], *issuer = NULL;
		if (ocspkit_cert_is_ca(leaf))
			continue;
		if (shared_issuer) {
			issuer = shared_issuer;
		} else {
			for (size_t j = 1; j < f->n && !issuer; j++)
				if (signed_by(leaf, f->certs[j]))
					issuer = f->certs[j];
			for (size_t k = 0; k < n_files && !issuer; k++)
				for (size_t j = 0; j < files[k].n && !issuer; j++)
					if (ocspkit_cert_is_ca(files[k].certs[j]) && signed_by(leaf, files[k].certs[j]))
						issuer = files[k].certs[j];
		}
		if (!issuer) {
			util_log_line(2, "ocspkit staple",
				      "%s: skipped: no issuer certificate found for it (in the file, the directory or --issuer)",
				      f->path);
			continue;
		}
		upkeep_item *ni = realloc(*items, (*n_items + 1) * sizeof(**items));
		if (!ni)
			break;
		*items = ni;
		if (upkeep_item_init(&(*items)[*n_items], f->path, NULL, leaf, issuer) == 0)
			(*n_items)++;
	}
	for (size_t i = 0; files && i < n_files; i++)
		cli_free_certs(files[i].certs, files[i].n);
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	free(files);
	return 0;
}

int staple_items_load(const staple_items_spec *spec, upkeep_item **items, size_t *n)
{
	*items = NULL;
	*n = 0;
	if (spec->dir) {
		ocspkit_cert *shared = NULL;
		if (spec->issuer_path && cli_load_cert(spec->issuer_path, &shared))
			return -1;
		int rc = scan_dir(spec, shared, items, n);
		ocspkit_cert_free(shared);
		return rc;
	}
	ocspkit_cert *cert, *issuer;
	if (copt_load_pair(spec->cert_path, spec->issuer_path, &cert, &issuer))
		return -1;
	int rc = -1;
	if ((*items = malloc(sizeof(**items))) != NULL &&
	    upkeep_item_init(&(*items)[0], spec->cert_path, spec->out_path, cert, issuer) == 0)
		rc = 0;
	ocspkit_cert_free(cert);
	ocspkit_cert_free(issuer);
	if (rc) {
		free(*items);
		*items = NULL;
		cli_err("out of memory");
		return -1;
	}
	*n = 1;
	return 0;
}

int staple_items_reload(void *spec, upkeep_item **items, size_t *n)
{
	return staple_items_load(spec, items, n);
}
