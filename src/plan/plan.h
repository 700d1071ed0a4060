/*
 * plan.h - one resolved plan of the metrics a command asks for.
 *
 * Engine-independent: the embedded engine evaluates it, and the ClickHouse
 * SQL compiler will compile the same plan.  It lists the metrics in
 * dependency order (a ratio or formula after its inputs), the as-of days,
 * and the segmentation.  Nothing here knows about columns or codes.
 */
#ifndef OKRA_PLAN_H
#define OKRA_PLAN_H

#include "okra_int.h"

typedef struct okra_plan {
	const okra_workspace *ws;
	int *metrics; /* metric indices, inputs before dependents */
	size_t n_metrics;
	bool *requested; /* per ws metric: asked for (not only an input) */
	int32_t *dates;  /* as-of days, ascending, distinct */
	size_t n_dates;
	const char *by;        /* segment attribute, "cohort", or NULL */
	const okra_where *pin; /* only this segment (--where / a KR's where) */
	size_t n_pin;
} okra_plan;

/* Plans the metrics named by ids (all metrics when n_ids is 0) at dates.
 * Unknown ids are a usage error.  The plan borrows ws; free with
 * okra__plan_free. */
okra_rc okra__plan_build(const okra_workspace *ws, const char *const *ids,
                         size_t n_ids, const int32_t *dates, size_t n_dates,
                         const char *by, okra_plan *plan, okra_err *err);
void okra__plan_free(okra_plan *plan);

/* The as-of days of a series: the last day of each period (day, ISO week
 * ending on the day before week_start, month, fiscal quarter) from the
 * period containing from to the one containing to; the last point is to
 * itself when to is inside its period ("as of to").  *out is malloc'd. */
okra_rc okra__series_dates(const okra_workspace *ws, okra_grain grain,
                           int32_t from, int32_t to, int32_t **out, size_t *n,
                           okra_err *err);

/* First and last day of the calendar window (week, month, quarter) that
 * contains day, per the workspace calendar. */
void okra__period_bounds(const okra_workspace *ws, okra_window_kind kind,
                         int32_t day, int32_t *first, int32_t *last);

#endif
