/* Civil (proleptic Gregorian, UTC) calendar times and seconds since the
 * epoch, both ways, without the C library (no time zones, no tm). */
#ifndef OCSPKIT_CIVIL_H
#define OCSPKIT_CIVIL_H

#include <stdint.h>

/* okit_time_from_civil returns the seconds since 1970-01-01T00:00:00Z of
 * the given year, month (1..12), day, hour, minute and second.  It does
 * not check ranges: callers do (der.c). */
int64_t okit_time_from_civil(int y, int mo, int d, int h, int mi, int s);

/* okit_time_to_civil is the inverse: t to its calendar fields. */
void okit_time_to_civil(int64_t t, int *y, int *mo, int *d, int *h, int *mi, int *s);

#endif
