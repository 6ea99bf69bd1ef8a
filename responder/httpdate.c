/* HTTP dates (httpdate.h), on Howard Hinnant's civil calendar
 * algorithms. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "httpdate.h"

static const char *const wdays[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

/* Howard Hinnant's civil_from_days: the proleptic Gregorian date of a day
 * number (days since 1970-01-01). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void rsp_http_date(char out[30], int64_t t)
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400), y;
	int64_t secs = t - days * 86400;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		/* not representable: the epoch rather than garbage */
		y = 1970, m = 1, d = 1, days = 0, secs = 0;
	}
	int wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
	char tmp[64];
	snprintf(tmp, sizeof(tmp), "%s, %02u %s %04d %02d:%02d:%02d GMT", wdays[wday], d, months[m - 1], (int)y,
		 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
	memcpy(out, tmp, 30);
	out[29] = 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int month_of(const char *s)
{
	for (int i = 0; i < 12; i++)
		if (strncmp(s, months[i], 3) == 0)
			return i + 1;
	return 0;
}

static int digits(const char *s, size_t n, int *v)
{
	*v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* "HH:MM:SS" */
static int clock_of(const char *s, int *h, int *mi, int *se)
{
	if (s[2] != ':' || s[5] != ':' || digits(s, 2, h) || digits(s + 3, 2, mi) || digits(s + 6, 2, se))
		return -1;
	return *h > 23 || *mi > 59 || *se > 60 ? -1 : 0;
}

int rsp_http_date_parse(const char *s, int64_t *t)
{
	int y, m, d, h, mi, se;
	size_t n = strlen(s);
	const char *comma = strchr(s, ',');

	if (n == 29 && comma == s + 3) {
		/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
		if (s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || strcmp(s + 25, " GMT") != 0 ||
		    digits(s + 5, 2, &d) || !(m = month_of(s + 8)) || digits(s + 12, 4, &y) ||
		    clock_of(s + 17, &h, &mi, &se))
			return -1;
	} else if (comma && comma > s + 3) {
		/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
		const char *p = comma + 1;
		if (strlen(p) != 23 || p[0] != ' ' || p[3] != '-' || p[7] != '-' || p[10] != ' ' ||
		    strcmp(p + 19, " GMT") != 0 || digits(p + 1, 2, &d) || !(m = month_of(p + 4)) ||
		    digits(p + 8, 2, &y) || clock_of(p + 11, &h, &mi, &se))
			return -1;
		y += y < 70 ? 2000 : 1900;
	} else if (n == 24 && !comma) {
		/* asctime: Sun Nov  6 08:49:37 1994 */
		if (s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[19] != ' ' || !(m = month_of(s + 4)) ||
		    digits(s + (s[8] == ' ' ? 9 : 8), s[8] == ' ' ? 1 : 2, &d) || clock_of(s + 11, &h, &mi, &se) ||
		    digits(s + 20, 4, &y))
			return -1;
	} else {
		return -1;
	}
	if (d < 1 || d > 31)
		return -1;
	*t = days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}
