/* Helpers shared above the codec (util.h). */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
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
