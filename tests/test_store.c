/* Unit tests of responder/stable.c and store.c: an index is used only when
 * its file was read whole and stood still, ends with a newline, and did
 * not lose (more than half of) its entries; what is refused leaves the
 * index in use serving, and is read again when the file changes. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pki.h"
#include "responder/store.h"

static const char three[] = "V\t301231235959Z\t\t1001\tunknown\t/CN=good\n"
			    "R\t301231235959Z\t240101000000Z,keyCompromise\t1002\tunknown\t/CN=revoked\n"
			    "V\t301231235959Z\t\t1003\tunknown\t/CN=other\n";
static char dir[64], path[128];

static void put(const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f || fwrite(text, 1, strlen(text), f) != strlen(text) || fclose(f) != 0)
		abort();
}

static size_t entries(rsp_ca *ca)
{
	rsp_snapshot *s = rsp_ca_acquire(ca);
	size_t n = s ? rsp_index_count(s->index) : 0;
	rsp_snapshot_release(s);
	return n;
}

static char status_of(rsp_ca *ca, uint8_t last)
{
	const uint8_t serial[2] = { 0x10, last };
	rsp_snapshot *s = rsp_ca_acquire(ca);
	const rsp_index_entry *e = s ? rsp_index_find(s->index, (ocspkit_bytes){ serial, 2 }) : NULL;
	char t = e ? e->type : '-';
	rsp_snapshot_release(s);
	return t;
}

/* Appends to the file after a pause: a writer during the settle time. */
static void *late_writer(void *arg)
{
	(void)arg;
	usleep(100000);
	static const char line[] = "V\t301231235959Z\t\t1004\tunknown\t/CN=late\n";
	int fd = open(path, O_WRONLY | O_APPEND);
	if (fd < 0 || write(fd, line, sizeof(line) - 1) != (ssize_t)sizeof(line) - 1)
		abort();
	close(fd);
	return NULL;
}

static void test_load_rules(const ocspkit_cert *cert)
{
	rsp_ca ca;
	char msg[512];
	CHECK_OK(rsp_ca_init(&ca, cert, NULL, path));
	CHECK(ca.policy.settle_ms == RSP_DEFAULT_SETTLE_MS && !ca.policy.allow_shrink);
	ca.policy.settle_ms = 20;
	put(three);
	CHECK(rsp_ca_load(&ca, msg, sizeof(msg)) == 0 && entries(&ca) == 3 && status_of(&ca, 2) == 'R');
	CHECK(strstr(msg, "3 entries (2 valid, 1 revoked, 0 expired)") != NULL);
	CHECK(rsp_ca_poll(&ca, msg, sizeof(msg)) == 0);

	/* a last line still being written */
	put("V\t301231235959Z\t\t1001\tunknown\t/CN=good\nR\t301231235959Z\t240101000000Z,keyComp");
	CHECK(rsp_ca_poll(&ca, msg, sizeof(msg)) == RSP_READ_MOVING && strstr(msg, "does not end with a newline"));
	CHECK(entries(&ca) == 3 && status_of(&ca, 2) == 'R');
	/* the same file is not read again until it changes */
	CHECK(rsp_ca_poll(&ca, msg, sizeof(msg)) == 0);
	/* truncated to nothing */
	put("");
	CHECK(rsp_ca_poll(&ca, msg, sizeof(msg)) == -1 && strstr(msg, "empty, while the index in use has 3 entries"));
	CHECK(entries(&ca) == 3);
	/* cut to one line of three: more than half gone */
	put("V\t301231235959Z\t\t1001\tunknown\t/CN=good\n");
	CHECK(rsp_ca_poll(&ca, msg, sizeof(msg)) == -1 && strstr(msg, "less than half of the 3 in use (1 revoked"));
	CHECK(status_of(&ca, 2) == 'R');
	/* changed during the settle time after the read */
	put(three);
	ca.policy.settle_ms = 400;
	pthread_t th;
	pthread_create(&th, NULL, late_writer, NULL);
	CHECK(rsp_ca_poll(&ca, msg, sizeof(msg)) == RSP_READ_MOVING && strstr(msg, "settle time"));
	pthread_join(th, NULL);
	CHECK(entries(&ca) == 3);
	/* ... and read once it stands still */
	ca.policy.settle_ms = 20;
	CHECK(rsp_ca_poll(&ca, msg, sizeof(msg)) == 1 && entries(&ca) == 4);
	/* losing a revoked entry (not half of them) is taken, and said */
	put("V\t301231235959Z\t\t1001\tunknown\t/CN=good\nV\t301231235959Z\t\t1003\tunknown\t/CN=other\n"
	    "V\t301231235959Z\t\t1004\tunknown\t/CN=late\n");
	CHECK(rsp_ca_poll(&ca, msg, sizeof(msg)) == 1 && status_of(&ca, 2) == '-');
	CHECK(strstr(msg, "1 revoked entry of the previous index is gone (serial 1002)") != NULL);
	/* shrinking on purpose */
	ca.policy.allow_shrink = 1;
	put("V\t301231235959Z\t\t1001\tunknown\t/CN=good\n");
	CHECK(rsp_ca_poll(&ca, msg, sizeof(msg)) == 1 && entries(&ca) == 1);
	/* gone: said once, the index kept; back: read */
	CHECK(unlink(path) == 0);
	CHECK(rsp_ca_poll(&ca, msg, sizeof(msg)) == -1 && strstr(msg, "keeping the index in memory"));
	CHECK(rsp_ca_poll(&ca, msg, sizeof(msg)) == 0 && entries(&ca) == 1);
	put(three);
	CHECK(rsp_ca_poll(&ca, msg, sizeof(msg)) == 1 && entries(&ca) == 3);
	/* a line that does not read: refused with its number */
	put("V\t301231235959Z\t\t1001\tunknown\t/CN=good\nR\tnonsense\n");
	CHECK(rsp_ca_poll(&ca, msg, sizeof(msg)) == -1 && strstr(msg, "index.txt:2: "));
	CHECK(entries(&ca) == 3);
	rsp_ca_clear(&ca);

	/* the first read of an empty index: a new CA */
	put("");
	CHECK_OK(rsp_ca_init(&ca, cert, NULL, path));
	CHECK(rsp_ca_load(&ca, msg, sizeof(msg)) == 0 && entries(&ca) == 0);
	rsp_ca_clear(&ca);
	/* a directory */
	CHECK_OK(rsp_ca_init(&ca, cert, NULL, dir));
	CHECK(rsp_ca_load(&ca, msg, sizeof(msg)) == -1 && strstr(msg, strerror(EISDIR)));
	rsp_ca_clear(&ca);
}

static void test_read_stable(void)
{
	uint8_t *data;
	size_t len;
	rsp_file_id id, id2;
	int valid;
	char msg[300];
	put("abc\n");
	CHECK(rsp_read_stable(path, 100, 0, &data, &len, &id, &valid, msg, sizeof(msg)) == RSP_READ_OK && valid &&
	      len == 4 && memcmp(data, "abc\n", 5) == 0);
	free(data);
	CHECK(rsp_read_stable(path, 3, 0, &data, &len, &id2, &valid, msg, sizeof(msg)) == RSP_READ_FAILED &&
	      strstr(msg, "larger than 3 bytes") && !data && rsp_file_id_equal(&id, &id2));
	char missing[160];
	snprintf(missing, sizeof(missing), "%s/none", dir);
	CHECK(rsp_read_stable(missing, 100, 0, &data, &len, &id, &valid, msg, sizeof(msg)) == RSP_READ_FAILED &&
	      !valid && strstr(msg, strerror(ENOENT)));
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ocspkit-test-store.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/index.txt", dir);
	ocspkit_privkey *key = pki_key(OCSPKIT_KEY_ED25519, 1);
	ocspkit_cert *cert = pki_ca_cert("Store Test CA", key);
	test_read_stable();
	test_load_rules(cert);
	ocspkit_cert_free(cert);
	ocspkit_privkey_free(key);
	unlink(path);
	rmdir(dir);
	CHECK_DONE();
}
