/* Helpers shared above the codec (util.h). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

int util_same_bytes(ocspkit_bytes a, ocspkit_bytes b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

uint64_t util_fnv1a(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

void util_serial_hex(char *out, size_t cap, ocspkit_bytes serial)
{
	static const char hexd[] = "0123456789ABCDEF";
	size_t o = 0, i = serial.len > 1 && serial.data[0] == 0;
	for (; i < serial.len && o + 3 < cap; i++) {
		out[o++] = hexd[serial.data[i] >> 4];
		out[o++] = hexd[serial.data[i] & 15];
	}
	if (i < serial.len && o >= 3)
		memcpy(out + o - 3, "...", 3);
	out[o] = 0;
}

void util_logf(util_log_fn log, void *ctx, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	if (!log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log(ctx, line);
}

int util_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

void util_log_line(int fd, const char *who, const char *fmt, ...)
{
	char line[1024], ts[OCSPKIT_TIME_STRING_SIZE];
	va_list ap;
	ocspkit_time_format(ts, (int64_t)time(NULL));
	int n = snprintf(line, sizeof(line), "%s %s: ", ts, who);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	va_start(ap, fmt);
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	n += m < 0 ? 0 : m;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	(void)util_write_all(fd, line, (size_t)n);
}

int util_errf(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
	return -1;
}

int util_read_file(const char *path, size_t limit, uint8_t **data, size_t *len, char *err, size_t cap)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t alloc = 4096, n = 0;
	uint8_t *buf;

	if (!f)
		return util_errf(err, cap, "%s: %s", path, strerror(errno));
	/* fopen opens a directory for reading on Linux; only the first read
	 * fails, with a message that would not say why */
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (f != stdin)
			fclose(f);
		return util_errf(err, cap, "%s: %s", path, strerror(EISDIR));
	}
	int too_large = 0;
	buf = malloc(alloc);
	while (buf) {
		size_t k = fread(buf + n, 1, alloc - n, f);
		n += k;
		if (n > limit) {
			too_large = 1;
			free(buf);
			buf = NULL;
			break;
		}
		if (k == 0)
			break;
		if (n == alloc) {
			uint8_t *nb = realloc(buf, alloc * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			alloc *= 2;
		}
	}
	int read_error = buf && ferror(f);
	if (f != stdin)
		fclose(f);
	if (!buf || read_error) {
		free(buf);
		if (too_large)
			return util_errf(err, cap, "%s: larger than %zu bytes", path, limit);
		return util_errf(err, cap, "%s: %s", path, read_error ? "read error" : "out of memory");
	}
	*data = buf;
	*len = n;
	return 0;
}

int util_write_file(const char *path, const void *data, size_t len, char *err, size_t cap)
{
	if (strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
			return util_errf(err, cap, "stdout: write error");
		return 0;
	}
	char tmp[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int n = snprintf(tmp, sizeof(tmp), "%.*s.%s.XXXXXX", slash ? (int)(slash - path + 1) : 0, path,
			 slash ? slash + 1 : path);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return util_errf(err, cap, "%s: path too long", path);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return util_errf(err, cap, "%s: %s", path, strerror(errno));
	const uint8_t *p = data;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto out;
		p += w;
		left -= (size_t)w;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0)
		goto out;
	if (close(fd) != 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto out;
	/* make the rename itself durable */
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + (slash == path) : 1, slash ? path : ".");
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		(void)fsync(dfd);
		close(dfd);
	}
	return 0;
out:;
	int e = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return util_errf(err, cap, "%s: %s", path, strerror(e));
}

int util_random(uint8_t *buf, size_t n)
{
	while (n) {
		ssize_t k = getrandom(buf, n, 0);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += k;
		n -= (size_t)k;
	}
	return 0;
}
