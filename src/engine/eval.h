/*
 * eval.h - evaluation of a plan over the columnar dataset (internal).
 *
 * Every metric is reduced to per-day arrays in one pass over the data:
 * event metrics (count, sum, avg) to daily histograms, entity metrics
 * (active, conversion, retention, threshold) to difference arrays of the
 * days on which each entity counts.  A value as of any day is then a
 * window sum or a prefix sum, so all as-of days of a series and all
 * segments cost one pass.  time_to keeps one value per cohort member.
 */
#ifndef OKRA_EVAL_H
#define OKRA_EVAL_H

#include "engine/data.h"
#include "plan/plan.h"

/* A bound event filter: the model's filter resolved to codes. */
typedef struct okra_bfilter {
	const uint8_t *names; /* per event name code: 1 = matches; NULL = any */
	const uint64_t
	    *rowmask; /* property clauses per row (bits); NULL = none */
	const uint8_t *acct_ok; /* account attribute clauses; NULL = none */
	bool never;             /* matches nothing */
} okra_bfilter;

/* Resolves f against the data (allocations in a). */
okra_rc okra__filter_bind(okra_data *d, okra_arena *a, const okra_filter *f,
                          okra_bfilter *out, okra_err *err);

/* The account of a row (the block it sits in); OKRA_NONE for none. */
uint32_t okra__row_account(const okra_data *d, uint32_t row);

static inline bool okra__filter_match(const okra_bfilter *f, const okra_data *d,
                                      uint32_t row, uint32_t acct)
{
	if (f->never)
		return false;
	if (f->names && !f->names[d->name[row]])
		return false;
	if (f->rowmask && !((f->rowmask[row >> 6] >> (row & 63)) & 1))
		return false;
	if (f->acct_ok) {
		if (acct == OKRA_NONE)
			acct = okra__row_account(d, row);
		if (acct == OKRA_NONE || !f->acct_ok[acct])
			return false;
	}
	return true;
}

/* Values of one metric: v[seg * n_dates + i], seg 0 = all, 1.. = segments.
 * NaN = null.  steps[k * n_dates + i]: funnel step shares (all only). */
typedef struct okra_metric_values {
	bool evaluated;
	bool is_count; /* integral values: print without decimals */
	double *v;
	size_t n_steps;
	double *steps;
} okra_metric_values;

/* One segmentation: its segments are segments[first .. first + n). */
typedef struct okra_eval_attr {
	const char *name; /* "tier", "cohort" */
	size_t first, n;
} okra_eval_attr;

#define OKRA_MAX_ATTRS OKRA_MAX_SEGMENT_ATTRS

typedef struct okra_eval {
	const okra_plan *plan;
	size_t n_dates;
	const int32_t *dates;
	size_t n_segments;     /* of every attribute, without "all" */
	const char **segments; /* names, e.g. "enterprise", "(none)";
	                          value row s + 1 is segment s (malloc'd) */
	size_t n_attrs;
	okra_eval_attr *attrs;
	okra_metric_values *metrics; /* per ws metric */
	okra_arena arena;
} okra_eval;

/* A command's result: the plan, its evaluation, and how to present it. */
struct okra_result {
	const okra_workspace *ws;
	okra_plan plan;
	okra_eval eval;
	bool is_series;
	okra_grain grain;
	okra_arena arena; /* pins and other strings */
};

okra_rc okra__eval(okra_data *d, const okra_plan *plan, int threads,
                   okra_eval *out, okra_err *err);
void okra__eval_free(okra_eval *e);

/* revenue.c: fills the values of a revenue metric; acct_pass (NULL =
 * every account) is the segment pin. */
void okra__eval_revenue(const okra_data *d, const okra_workspace *ws,
                        const okra_metric *m, const int32_t *dates,
                        size_t n_dates, const uint8_t *acct_pass,
                        const uint32_t *acct_seg, size_t n_attrs,
                        size_t n_segments, double *v);

#endif
