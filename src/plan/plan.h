/*
 * plan.h - one resolved plan of the metrics a command asks for.
 *
 * Engine-independent: the embedded engine evaluates it and the ClickHouse
 * compiler compiles the same plan.  It lists the metrics in dependency
 * order (a ratio or formula after its inputs), each with the pass that
 * evaluates it (its scan group), the as-of days, the segmentation and the
 * segment pin.  Windows and cohorts of a metric at a day come from
 * okra__plan_window / okra__plan_cohort, the one definition both engines
 * use.  Nothing here knows about columns or codes.
 */
#ifndef OKRA_PLAN_H
#define OKRA_PLAN_H

#include "okra_int.h"

/* One metric of the plan. */
typedef struct okra_plan_item {
	const okra_metric *m; /* the definition (a variant for the bridge) */
	int metric;           /* index in ws->metrics; -1 for a variant */
	bool requested;       /* asked for, not only an input */
	okra_scan scan;       /* the pass that evaluates it */
	unsigned caps;        /* okra__metric_caps(m) */
	bool outcomes;        /* count its outcomes (okra_plan.outcome_of) */
} okra_plan_item;

typedef struct okra_plan {
	const okra_workspace *ws;
	okra_plan_item *items; /* inputs before dependents */
	size_t n_items;
	int *item_of;   /* per ws metric: its item, -1 when not planned */
	int32_t *dates; /* as-of days, ascending, distinct */
	size_t n_dates;
	const char *by; /* segment attribute, "cohort", or NULL */
	/* Without by: no segmentation at all, not even the requested
	 * metrics' own `segments:` (the command line's totals). */
	bool totals_only;
	/* Only this segment (--where, a key result's where): clauses on
	 * account attributes or "cohort", AND across clauses, any of the
	 * values within one.  Borrowed. */
	const okra_where *pin;
	size_t n_pin;
	/* Entity outcomes for the lift of okra diagnose (SPEC 12): when
	 * outcome_of is set (the north star: an active, threshold,
	 * conversion or retention metric in the plan), every item with
	 * `outcomes` (a conversion or threshold metric) also counts, among
	 * the entities of its population at outcome_day (one of dates), those
	 * that met its condition and not, and of each how many count in
	 * outcome_of at that day (a user through its account when outcome_of
	 * counts accounts, an account through any of its users when it counts
	 * users).  Row 0 only: the pin applies, segments do not. */
	const okra_metric *outcome_of;
	int32_t outcome_day;
	okra_arena arena; /* variants */
} okra_plan;

/* Plans the metrics named by ids (all metrics when n_ids is 0) at dates.
 * Unknown ids are a usage error with the nearest id suggested.  The plan
 * borrows ws; free with okra__plan_free. */
okra_rc okra__plan_build(const okra_workspace *ws, const char *const *ids,
                         size_t n_ids, const int32_t *dates, size_t n_dates,
                         const char *by, okra_plan *plan, okra_err *err);
/* Adds a copy of metric m with another revenue measure, evaluated but not
 * requested (the MRR bridge's movements); returns its item or -1 when out
 * of memory. */
int okra__plan_add_variant(okra_plan *plan, const okra_metric *m,
                           okra_revenue_measure measure);
void okra__plan_free(okra_plan *plan);

/* The plan item of ws metric m, NULL when it is not planned. */
static inline const okra_plan_item *okra__plan_item(const okra_plan *plan,
                                                    int m)
{
	return m >= 0 && plan->item_of[m] >= 0 ? &plan->items[plan->item_of[m]]
	                                       : NULL;
}

/* The event days [*first, *last] a windowed metric reads as of day (a
 * trailing window, a calendar period up to day, or all history: *first =
 * INT32_MIN). */
void okra__plan_window(const okra_workspace *ws, const okra_window *w,
                       int32_t day, int32_t *first, int32_t *last);
/* The anchor days [*first, *last] of the mature cohort of a cohort
 * metric as of day. */
void okra__plan_cohort(const okra_metric *m, int32_t day, int32_t *first,
                       int32_t *last);

/* The as-of days of a series: the last day of each period (day, ISO week
 * ending on the day before week_start, month, fiscal quarter) from the
 * period containing from to the one containing to; the last point is to
 * itself when to is inside its period ("as of to").  More than max_points
 * (0: OKRA_MAX_SERIES_POINTS) is a usage error.  *out is malloc'd. */
okra_rc okra__series_dates(const okra_workspace *ws, okra_grain grain,
                           int32_t from, int32_t to, size_t max_points,
                           int32_t **out, size_t *n, okra_err *err);

/* First and last day of the calendar window (week, month, quarter) that
 * contains day, per the workspace calendar. */
void okra__period_bounds(const okra_workspace *ws, okra_window_kind kind,
                         int32_t day, int32_t *first, int32_t *last);

#endif
