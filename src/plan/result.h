/*
 * result.h - the backend-neutral result of evaluating a plan.
 *
 * Plain data that every engine fills the same way and that render/,
 * review/ and the server read only through the accessors below, never
 * through an engine's internals.  Values are per plan item, segment row
 * and as-of day: row 0 is everyone (or the pinned segment), rows 1..S
 * the segments of the segmentation.  NaN is null.
 */
#ifndef OKRA_RESULT_H
#define OKRA_RESULT_H

#include "plan/plan.h"

/* One segmented attribute: its segments are rows first+1 .. first+n. */
typedef struct okra_segment_attr {
	const char *name; /* "tier", "cohort" */
	size_t first, n;
} okra_segment_attr;

/* The segments of an evaluation, every attribute's in turn: the values
 * the attribute takes (sorted), then "(none)".  Built above the engines
 * (engine/query.c) and handed to them. */
typedef struct okra_segmentation {
	size_t n_attrs;
	okra_segment_attr *attrs;
	size_t n_segments;     /* all attributes' together: S */
	const char **segments; /* names, rows 1..S */
} okra_segmentation;

/* The four counts behind a lift (SPEC 12, okra_plan.outcome_of): the
 * entities of the population that met the condition, and of those the
 * ones that count in the north star; the same for those that did not.
 * NaN until the backend fills them. */
typedef struct okra_outcome {
	double met, met_active;
	double not_met, not_met_active;
} okra_outcome;

/* The values of one plan item, (S + 1) x n_dates each, row-major by
 * segment row.  num and den are the sample behind a share or mean (the
 * entities that met the condition and the population; a mean's sum and
 * count); NULL when the metric has none.  steps[k * n_dates + i] is the
 * share reaching funnel step k (row 0 only). */
typedef struct okra_values {
	bool evaluated;
	bool is_count; /* whole numbers: print without decimals */
	double *v;
	double *num, *den;
	size_t n_steps;
	double *steps;
	okra_outcome *outcome; /* items with `outcomes`; else NULL */
} okra_values;

/* The days the data covers: values as of a later day are incomplete
 * (their windows count no data after the end).  -1 when there is none. */
typedef struct okra_coverage {
	int32_t events_first, events_last; /* days with events */
	int32_t revenue_last;              /* last day of the last month with
	                                      revenue rows; INT32_MAX when a
	                                      billing period is still running */
} okra_coverage;

struct okra_result {
	const okra_workspace *ws;
	okra_plan plan;
	okra_segmentation seg;
	okra_values *values; /* per plan item */
	bool is_series;
	okra_grain grain;
	okra_coverage coverage; /* of the data evaluated */
	okra_arena arena;       /* values, segment names, pins */
	/* --compare: the same metrics, segments and pin evaluated at the
	 * earlier days (owned by this result), the index of the day that
	 * date i of plan item k is compared with ([k * n_dates + i], into
	 * compare's dates), and the option as given. */
	struct okra_result *compare;
	const int *compare_at;
	const char *compare_text;
};

/* Allocates r's value arrays for its plan and segmentation, every value
 * null; false when out of memory. */
bool okra__result_alloc_values(okra_result *r);

/* ---- reading ---------------------------------------------------------- */

static inline size_t okra__result_n_dates(const okra_result *r)
{
	return r->plan.n_dates;
}
static inline int32_t okra__result_date(const okra_result *r, size_t i)
{
	return r->plan.dates[i];
}
/* Segment rows: 0 = all, 1..okra__result_n_segments(r). */
static inline size_t okra__result_n_segments(const okra_result *r)
{
	return r->seg.n_segments;
}
/* The name of segment row s >= 1 ("enterprise", "(none)"). */
static inline const char *okra__result_segment(const okra_result *r, size_t s)
{
	return r->seg.segments[s - 1];
}
/* The attribute that segment row s >= 1 belongs to. */
const okra_segment_attr *okra__result_segment_attr(const okra_result *r,
                                                   size_t s);

/* The values of ws metric m; NULL when it is not in the result. */
const okra_values *okra__result_metric(const okra_result *r, int m);
/* The value of ws metric m at segment row s and date index i; NaN when
 * null or not evaluated. */
double okra__result_at(const okra_result *r, int m, size_t s, size_t i);
/* The n_dates values of ws metric m at segment row s, in date order (for
 * charts); NULL when it is not in the result or not evaluated. */
const double *okra__result_row(const okra_result *r, int m, size_t s);
/* The value of ws metric m for everyone (row 0) as of day; NaN when null
 * or day is not one of r's dates. */
double okra__result_value(const okra_result *r, int m, int32_t day);
/* The sample behind a share or mean at (s, i): false when the metric has
 * none. */
bool okra__result_sample(const okra_result *r, int m, size_t s, size_t i,
                         double *num, double *den);
/* Funnel steps of ws metric m (0 when it is not a funnel) and the share
 * reaching step k at date index i. */
size_t okra__result_n_steps(const okra_result *r, int m);
double okra__result_step(const okra_result *r, int m, size_t k, size_t i);
bool okra__result_is_count(const okra_result *r, int m);
/* The outcome counts of ws metric m at the plan's outcome day: false when
 * they were not asked for or the backend did not fill them. */
bool okra__result_outcome(const okra_result *r, int m, okra_outcome *out);
/* Is the value of ws metric m at date index i complete: no window or
 * cohort of it (or of an input) runs past the end of its data?  Manual
 * metrics are always complete (their data are the check-ins). */
bool okra__result_complete(const okra_result *r, int m, size_t i);

/* --compare: the day that date index i of ws metric m is compared with,
 * and m's value at segment row s on that day (NaN when null); false when
 * r has no comparison. */
bool okra__result_compare(const okra_result *r, int m, size_t s, size_t i,
                          int32_t *day, double *value);
/* The sample behind that earlier value, as okra__result_sample. */
bool okra__result_compare_sample(const okra_result *r, int m, size_t s,
                                 size_t i, double *num, double *den);

/* The same by plan item (variants have no ws index). */
double okra__result_item_at(const okra_result *r, size_t item, size_t s,
                            size_t i);

#endif
