/*
 * query.h - the engine's internal entry points for modules that need more
 * than the public okra_metrics_eval / okra_series_eval: any set of as-of
 * days and a multi-clause segment pin in one evaluation (a key result's
 * `where:`).  The result is read through engine/eval.h.
 */
#ifndef OKRA_QUERY_H
#define OKRA_QUERY_H

#include "okra_int.h"

/* Evaluates the metrics named by ids (all when n_ids is 0) at dates (any
 * order, duplicates allowed), only for the entities passing pin (borrowed;
 * n_pin 0 = everyone).  One pass over the data. */
okra_rc okra__engine_eval(okra_engine *e, const char *const *ids, size_t n_ids,
                          const int32_t *dates, size_t n_dates,
                          const okra_where *pin, size_t n_pin,
                          okra_result **out, okra_err *err);

const okra_workspace *okra__engine_workspace(const okra_engine *e);
/* The last day with events (today when there are none). */
int32_t okra__engine_last_day(const okra_engine *e);
/* The first day with events, -1 when there are none. */
int32_t okra__engine_first_day(const okra_engine *e);

/* The value of metric m at the i-th as-of day of r's plan (row 0: all, or
 * the pinned segment); NaN when null or not evaluated. */
double okra__result_value(const okra_result *r, int m, int32_t day);

#endif
