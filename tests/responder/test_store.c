/* Unit tests of responder/stable.c and source_index.c, index.txt as a
 * revocation source: an index is used only when its file was read whole
 * and stood still, ends with a newline, and did not lose (more than half
 * of) its entries; what is refused leaves the index in use serving, and
 * is read again when the file changes; each load and refusal is counted
 * in the freshness and told to the watchers. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/lib/check.h"
#include "responder/source_index.h"
#include "responder/stable.h"

#define NOW 1800000000

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

static size_t entries(rsp_source *src)
{
	rsp_snapshot *s = rsp_source_acquire(src);
	size_t n = s ? s->entries : 0;
	rsp_snapshot_release(s);
	return n;
}

/* 'G'ood, 'R'evoked or '-' (unknown) */
static char status_of(rsp_source *src, uint8_t last)
{
	const uint8_t serial[2] = { 0x10, last };
	rsp_lookup q = { NULL, { NULL, 0 }, { serial, 2 } };
	rsp_status st;
	rsp_snapshot *s = rsp_source_acquire(src);
	if (!s || rsp_snapshot_lookup(s, &q, &st) != OCSPKIT_OK)
		abort();
	rsp_snapshot_release(s);
	return st.status == OCSPKIT_CERT_GOOD ? 'G' : st.status == OCSPKIT_CERT_REVOKED ? 'R' : '-';
}

/* What the watcher was told. */
static struct {
	unsigned loaded, refused;
	uint64_t generation;
	char msg[512];
} told;

static void watch(rsp_source_watcher *w, rsp_source *src, rsp_source_event ev, uint64_t generation, const char *msg)
{
	(void)w, (void)src;
	*(ev == RSP_SOURCE_LOADED ? &told.loaded : &told.refused) += 1;
	told.generation = generation;
	snprintf(told.msg, sizeof(told.msg), "%s", msg);
}

static int poll_(rsp_source *src, unsigned flags, char *msg, size_t cap)
{
	return rsp_source_poll(src, NOW, flags, msg, cap);
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

static void test_load_rules(void)
{
	rsp_source *src;
	rsp_freshness f;
	rsp_source_watcher w = { watch, NULL, NULL };
	rsp_load_policy pol = { 20, 0 };
	char msg[512];
	CHECK_OK(rsp_index_source_new(&src, path, &pol));
	CHECK(strcmp(rsp_source_kind(src), "index") == 0);
	rsp_source_describe(src, msg, sizeof(msg));
	CHECK(strcmp(msg, path) == 0);
	/* no data before the first load */
	CHECK(rsp_source_acquire(src) == NULL);
	rsp_source_freshness(src, &f);
	CHECK(f.generation == 0 && f.loaded_at == 0);
	rsp_source_watch(src, &w);
	put(three);
	struct stat st;
	CHECK(stat(path, &st) == 0);
	CHECK(poll_(src, RSP_POLL_FORCE, msg, sizeof(msg)) == RSP_POLL_LOADED && entries(src) == 3 &&
	      status_of(src, 2) == 'R' && status_of(src, 1) == 'G' && status_of(src, 9) == '-');
	CHECK(strstr(msg, "3 entries (2 valid, 1 revoked, 0 expired)") != NULL);
	CHECK(told.loaded == 1 && told.generation == 1 && strcmp(told.msg, msg) == 0);
	rsp_source_freshness(src, &f);
	CHECK(f.generation == 1 && f.loaded_at == NOW && f.checked_at == NOW && f.entries == 3 &&
	      f.data_time == (int64_t)st.st_mtime && f.refusals == 0);
	CHECK(poll_(src, 0, msg, sizeof(msg)) == RSP_POLL_UNCHANGED);

	/* a last line still being written */
	put("V\t301231235959Z\t\t1001\tunknown\t/CN=good\nR\t301231235959Z\t240101000000Z,keyComp");
	CHECK(poll_(src, 0, msg, sizeof(msg)) == RSP_POLL_MOVING && strstr(msg, "does not end with a newline"));
	CHECK(entries(src) == 3 && status_of(src, 2) == 'R');
	CHECK(told.refused == 1 && told.generation == 1);
	rsp_source_freshness(src, &f);
	CHECK(f.generation == 1 && f.refusals == 1 && f.refused_at == NOW && strcmp(f.error, msg) == 0);
	/* the same file is not read again until it changes */
	CHECK(poll_(src, 0, msg, sizeof(msg)) == RSP_POLL_UNCHANGED);
	/* truncated to nothing */
	put("");
	CHECK(poll_(src, 0, msg, sizeof(msg)) == RSP_POLL_REFUSED &&
	      strstr(msg, "empty, while the index in use has 3 entries"));
	CHECK(entries(src) == 3);
	/* cut to one line of three: more than half gone */
	put("V\t301231235959Z\t\t1001\tunknown\t/CN=good\n");
	CHECK(poll_(src, 0, msg, sizeof(msg)) == RSP_POLL_REFUSED &&
	      strstr(msg, "less than half of the 3 in use (1 revoked"));
	CHECK(status_of(src, 2) == 'R');
	rsp_source_freshness(src, &f);
	CHECK(f.refusals == 3 && told.refused == 3);
	/* changed during the settle time after the read */
	put(three);
	pol.settle_ms = 400;
	rsp_index_source_set_policy(src, &pol);
	pthread_t th;
	pthread_create(&th, NULL, late_writer, NULL);
	CHECK(poll_(src, 0, msg, sizeof(msg)) == RSP_POLL_MOVING && strstr(msg, "settle time"));
	pthread_join(th, NULL);
	CHECK(entries(src) == 3);
	/* ... and read once it stands still */
	pol.settle_ms = 20;
	rsp_index_source_set_policy(src, &pol);
	CHECK(poll_(src, 0, msg, sizeof(msg)) == RSP_POLL_LOADED && entries(src) == 4);
	rsp_source_freshness(src, &f);
	CHECK(f.generation == 2 && f.refusals == 0 && !f.error[0] && told.generation == 2);
	/* losing a revoked entry (not half of them) is taken, and said */
	put("V\t301231235959Z\t\t1001\tunknown\t/CN=good\nV\t301231235959Z\t\t1003\tunknown\t/CN=other\n"
	    "V\t301231235959Z\t\t1004\tunknown\t/CN=late\n");
	CHECK(poll_(src, 0, msg, sizeof(msg)) == RSP_POLL_LOADED && status_of(src, 2) == '-');
	CHECK(strstr(msg, "1 revoked entry of the previous index is gone (serial 1002)") != NULL);
	/* shrinking on purpose */
	pol.allow_shrink = 1;
	rsp_index_source_set_policy(src, &pol);
	put("V\t301231235959Z\t\t1001\tunknown\t/CN=good\n");
	CHECK(poll_(src, 0, msg, sizeof(msg)) == RSP_POLL_LOADED && entries(src) == 1);
	/* gone: said once, the index kept; back: read */
	CHECK(unlink(path) == 0);
	CHECK(poll_(src, 0, msg, sizeof(msg)) == RSP_POLL_REFUSED && strstr(msg, "keeping the index in memory"));
	CHECK(poll_(src, 0, msg, sizeof(msg)) == RSP_POLL_UNCHANGED && entries(src) == 1);
	put(three);
	CHECK(poll_(src, 0, msg, sizeof(msg)) == RSP_POLL_LOADED && entries(src) == 3);
	/* a line that does not read: refused with its number */
	put("V\t301231235959Z\t\t1001\tunknown\t/CN=good\nR\tnonsense\n");
	CHECK(poll_(src, 0, msg, sizeof(msg)) == RSP_POLL_REFUSED && strstr(msg, "index.txt:2: "));
	CHECK(entries(src) == 3);
	/* a snapshot held across a reload keeps its data */
	rsp_snapshot *old = rsp_source_acquire(src);
	put("R\t301231235959Z\t240101000000Z\t1001\tunknown\t/CN=good\n"
	    "R\t301231235959Z\t240101000000Z\t1002\tunknown\t/CN=revoked\n");
	CHECK(poll_(src, RSP_POLL_FORCE, msg, sizeof(msg)) == RSP_POLL_LOADED && status_of(src, 1) == 'R');
	rsp_status st1;
	rsp_lookup q = { NULL, { NULL, 0 }, { (const uint8_t *)"\x10\x01", 2 } };
	CHECK(old && rsp_snapshot_lookup(old, &q, &st1) == OCSPKIT_OK && st1.status == OCSPKIT_CERT_GOOD &&
	      old->entries == 3);
	rsp_snapshot_release(old);
	rsp_source_unwatch(src, &w);
	unsigned before = told.loaded;
	CHECK(poll_(src, RSP_POLL_FORCE, msg, sizeof(msg)) == RSP_POLL_LOADED && told.loaded == before);
	rsp_source_free(src);

	/* the first read of an empty index: a new CA */
	put("");
	CHECK_OK(rsp_index_source_new(&src, path, &pol));
	CHECK(poll_(src, RSP_POLL_FORCE, msg, sizeof(msg)) == RSP_POLL_LOADED && entries(src) == 0);
	rsp_source_free(src);
	/* a directory */
	CHECK_OK(rsp_index_source_new(&src, dir, NULL));
	CHECK(poll_(src, RSP_POLL_FORCE, msg, sizeof(msg)) == RSP_POLL_REFUSED && strstr(msg, strerror(EISDIR)));
	CHECK(rsp_source_acquire(src) == NULL);
	rsp_source_free(src);
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
	test_read_stable();
	test_load_rules();
	unlink(path);
	rmdir(dir);
	CHECK_DONE();
}
