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
#include "plan/result.h"

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

/* Evaluates the items of r's plan that scan events, entities or revenue
 * into r's values (allocated, null), for r's dates, pin and segments, on
 * up to threads threads.  One pass over the data. */
okra_rc okra__eval(okra_data *d, okra_result *r, int threads, okra_err *err);

/* revenue.c: fills the values vs[k] of the revenue metrics ms[k] (all of
 * the plan's, in one walk of the revenue rows, data.h) at every as-of day
 * and segment; acct_pass (NULL = every account) is the segment pin. */
okra_rc okra__eval_revenue(const okra_data *d, const okra_metric *const *ms,
                           okra_values *const *vs, size_t n_metrics,
                           const int32_t *dates, size_t n_dates,
                           const uint8_t *acct_pass, const uint32_t *acct_seg,
                           size_t n_attrs, size_t n_segments, okra_err *err);

#endif
