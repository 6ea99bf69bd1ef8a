/* HTTP dates (RFC 9110 5.6.7), written for Last-Modified and Expires and
 * read from If-Modified-Since.  Pure: no clock, no locale. */
#ifndef RSP_HTTPDATE_H
#define RSP_HTTPDATE_H

#include <stdint.h>

/* rsp_http_date writes t as an IMF-fixdate, "Sun, 06 Nov 1994 08:49:37
 * GMT" (29 characters and a NUL); a time outside the years 0 to 9999 is
 * written as the epoch. */
void rsp_http_date(char out[30], int64_t t);

/* rsp_http_date_parse reads an IMF-fixdate, or the obsolete RFC 850 and
 * asctime forms a recipient must accept, into *t (seconds since the
 * epoch).  0 on success, -1 for anything else. */
int rsp_http_date_parse(const char *s, int64_t *t);

#endif
