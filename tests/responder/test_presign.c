/* Unit tests of responder/presign.c: the file a static web server maps each
 * base64 shape of a GET path to ('/' at the end, first, "//", '+', '='),
 * and the requests of a run that would share a file. */
#include <config.h>

#include <limits.h>

#include "tests/lib/check.h"
#include "responder/presign.h"

/* rsp_presign_path of b64: the path, or "-" when it fails. */
static const char *path_of(const char *b64, size_t cap)
{
	static char out[1024];
	char buf[1024];
	if (rsp_presign_path(buf, cap, b64, strlen(b64)) < 0)
		return "-";
	snprintf(out, sizeof(out), "%s", buf);
	return out;
}

#define CHECK_PATH(b64, want) CHECK(strcmp(path_of(b64, 1024), want) == 0)

static void test_shapes(void)
{
	/* no '/': the base64 itself, '+' and '=' as they are */
	CHECK_PATH("MEIwQDA+MDwwOjAJBgUrDgMCGgUABBQ=", "MEIwQDA+MDwwOjAJBgUrDgMCGgUABBQ=");
	CHECK_PATH("MEIw+A==", "MEIw+A==");
	/* '/' inside: directories */
	CHECK_PATH("MEIw/A+/BgE=", "MEIw/A+/BgE=");
	/* "//" and longer runs are one '/', as nginx and the kernel see them */
	CHECK_PATH("MEIw//A+B", "MEIw/A+B");
	CHECK_PATH("MEIw///A//B=", "MEIw/A/B=");
	/* a leading '/' (the GET is "//...", merged) is dropped */
	CHECK_PATH("/MEIw/AgE=", "MEIw/AgE=");
	CHECK_PATH("//MEIw", "MEIw");
	/* a final '/' (serial 3F: "...AgE/"): the file .ocsp in that directory */
	CHECK_PATH("MEIw/AgE/", "MEIw/AgE/.ocsp");
	CHECK_PATH("MEIw/AgE//", "MEIw/AgE/.ocsp");
	CHECK_PATH("MEIw//AgE/", "MEIw/AgE/.ocsp");
	CHECK_PATH("/", ".ocsp");
	CHECK_PATH("", ".ocsp");
	/* every name stays within NAME_MAX and the path within cap */
	char name[NAME_MAX + 2];
	memset(name, 'A', sizeof(name) - 1);
	name[NAME_MAX + 1] = 0;
	CHECK_PATH(name, "-");
	name[NAME_MAX] = 0;
	CHECK(strlen(path_of(name, 1024)) == NAME_MAX);
	name[NAME_MAX / 2] = '/';
	name[NAME_MAX + 0] = '/';
	CHECK(strcmp(path_of(name, 1024) + NAME_MAX, "/.ocsp") == 0);
	CHECK(strcmp(path_of("MEIw/AgE", 9), "MEIw/AgE") == 0);
	CHECK_PATH("MEIw/AgE", "MEIw/AgE");
	CHECK(strcmp(path_of("MEIw/AgE", 8), "-") == 0);
	CHECK(strcmp(path_of("MEIw/", 11), "MEIw/.ocsp") == 0);
	CHECK(strcmp(path_of("MEIw/", 10), "-") == 0);
}

/* Runs both passes over the requests; shared[i] tells what became of each. */
static void plan(const char *const *reqs, size_t n, int *shared)
{
	rsp_presign_plan *p = rsp_presign_plan_new();
	char paths[16][128];
	CHECK(p != NULL && n <= 16);
	if (!p)
		return;
	for (size_t i = 0; i < n; i++)
		CHECK(rsp_presign_path(paths[i], sizeof(paths[i]), reqs[i], strlen(reqs[i])) > 0);
	for (int pass = 1; pass <= 2; pass++)
		for (size_t i = 0; i < n; i++)
			CHECK(rsp_presign_plan_add(p, pass, reqs[i], strlen(reqs[i]), paths[i]) == 0);
	for (size_t i = 0; i < n; i++)
		shared[i] = rsp_presign_plan_shared(p, paths[i]);
	rsp_presign_plan_free(p);
}

static void test_plan(void)
{
	int s[16];
	/* the collision pair: different requests, one file */
	static const char *const pair[] = { "MEIw//A+/BgE=", "MEIw/A+//BgE=", "MEIw/A+/BgE/", "MEIw" };
	plan(pair, 4, s);
	CHECK(s[0] && s[1] && !s[2] && !s[3]);
	/* a request whose file is its own base64, and one that collapses onto it
	 * (in both orders) */
	static const char *const own[] = { "MEIw/A+/BgE=", "MEIw//A+/BgE=", "AAAA", "MEIw/AgE=" };
	plan(own, 4, s);
	CHECK(s[0] && s[1] && !s[2] && !s[3]);
	static const char *const own2[] = { "//MEIw/AgE=", "MEIw/AgE=" };
	plan(own2, 2, s);
	CHECK(s[0] && s[1]);
	/* final '/': "a//b/" and "a/b//" both map to a/b/.ocsp */
	static const char *const dirs[] = { "MEIw//AgE/", "MEIw/AgE//", "MEIw/AgE/A" };
	plan(dirs, 3, s);
	CHECK(s[0] && s[1] && !s[2]);
	/* the same request twice (a CA given twice) is no collision, and a
	 * '/'-final request does not clash with the one without that '/' */
	static const char *const same[] = { "MEIw//AgE=", "MEIw//AgE=", "MEIw/AgE/", "MEIw/AgE" };
	plan(same, 4, s);
	CHECK(!s[0] && !s[1] && !s[2] && !s[3]);
	/* many requests: the table grows and keeps every answer */
	rsp_presign_plan *p = rsp_presign_plan_new();
	char b64[64], path[64];
	for (int pass = 1; pass <= 2; pass++)
		for (int i = 0; i < 5000; i++) {
			snprintf(b64, sizeof(b64), "MEIw//%d/A%s", i, i % 7 ? "" : "/");
			CHECK(rsp_presign_path(path, sizeof(path), b64, strlen(b64)) > 0);
			CHECK(rsp_presign_plan_add(p, pass, b64, strlen(b64), path) == 0);
			if (i % 100 == 0) { /* its twin: one '/' moved */
				snprintf(b64, sizeof(b64), "MEIw/%d//A%s", i, i % 7 ? "" : "/");
				CHECK(rsp_presign_plan_add(p, pass, b64, strlen(b64), path) == 0);
			}
		}
	int twins = 0, alone = 0;
	for (int i = 0; i < 5000; i++) {
		snprintf(b64, sizeof(b64), "MEIw/%d/A%s", i, i % 7 ? "" : "/");
		CHECK(rsp_presign_path(path, sizeof(path), b64, strlen(b64)) > 0);
		if (rsp_presign_plan_shared(p, path))
			twins += i % 100 == 0;
		else
			alone += i % 100 != 0;
	}
	CHECK(twins == 50 && alone == 4950);
	rsp_presign_plan_free(p);
}

int main(void)
{
	test_shapes();
	test_plan();
	CHECK_DONE();
}
