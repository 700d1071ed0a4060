/*
 * format.h - numbers as people read them (by unit) and as JSON writes
 * them (counts as integers, the rest the shortest text that reads back
 * as the same double, null for NaN).
 */
#ifndef OKRA_FORMAT_H
#define OKRA_FORMAT_H

#include "okra_int.h"

/* v by m's unit: "38.2%", "1,204", "$12.4k", "21.3 h"; "-" for NaN.
 * Money by the workspace's currency: setting (m->money).  is_count
 * prints an integer with thousands separators. */
void okra__human(okra_buf *b, const okra_metric *m, bool is_count, double v);
/* The integer nearest v with thousands separators: "-1,204,000". */
void okra__thousands(okra_buf *b, double v);
/* A value by the metric's unit into a (for sentences), "-" for NaN; a
 * change of a share reads in points ("+3.1 pts"). */
const char *okra__fmt(okra_arena *a, const okra_metric *m, bool is_count,
                      double v);
const char *okra__fmt_delta(okra_arena *a, const okra_metric *m, bool is_count,
                            double d);
/* v as a JSON number (null for NaN or infinity): a count as an integer,
 * else the shortest decimal that reads back as the same double. */
void okra__json_number(okra_buf *b, bool is_count, double v);
/* The shortest of %.15g, %.16g, %.17g that strtod reads back as v. */
void okra__shortest(char out[32], double v);

/* A share or mean whose denominator is under this is a small sample:
 * every output that shows one marks it. */
#define OKRA_SMALL_SAMPLE 30

#endif
