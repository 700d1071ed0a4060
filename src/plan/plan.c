/*
 * plan.c - resolves requested metrics into an evaluation plan.
 *
 * Adds the inputs of ratio and formula metrics (okra__metric_inputs),
 * orders everything so inputs come first (the model is acyclic after
 * model/check.c), gives each metric its scan group from the metric-type
 * table, and turns a series request into its as-of days.  The windows
 * and cohorts of a metric at a day are defined here once for every
 * engine.  Engine-independent.
 */
#include "plan/plan.h"

#include <stdlib.h>
#include <string.h>

typedef struct visitor {
	const okra_workspace *ws;
	okra_plan *plan;
	unsigned char *state;
} visitor;

static void visit(visitor *v, int m);

static void visit_input(int input, void *ctx)
{
	if (input >= 0)
		visit(ctx, input);
}

static void visit(visitor *v, int m)
{
	if (v->state[m])
		return;
	v->state[m] = 1;
	const okra_metric *me = &v->ws->metrics[m];
	okra__metric_inputs(me, visit_input, v);
	okra_plan_item *it = &v->plan->items[v->plan->n_items];
	*it = (okra_plan_item){.m = me,
	                       .metric = m,
	                       .scan = okra__metric_types[me->type].scan,
	                       .caps = okra__metric_caps(me)};
	v->plan->item_of[m] = (int)v->plan->n_items++;
}

static int cmp_day(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return x < y ? -1 : x > y;
}

static okra_rc unknown_metric(const okra_workspace *ws, const char *id,
                              okra_err *err)
{
	const char *near = okra__nearest_id(id, ws->metrics, ws->n_metrics,
	                                    sizeof(*ws->metrics));
	if (near)
		return okra__err_set(
		    err, OKRA_ERR_USAGE, NULL, 0, 0,
		    "unknown metric \"%s\"; did you mean \"%s\"?", id, near);
	return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
	                     "unknown metric \"%s\"", id);
}

okra_rc okra__plan_build(const okra_workspace *ws, const char *const *ids,
                         size_t n_ids, const int32_t *dates, size_t n_dates,
                         const char *by, okra_plan *plan, okra_err *err)
{
	okra_rc rc = OKRA_OK;
	size_t nm = ws->n_metrics;
	memset(plan, 0, sizeof(*plan));
	plan->ws = ws;
	plan->by = by;
	visitor v = {.ws = ws, .plan = plan, .state = calloc(nm + 1, 1)};
	/* Room for the bridge's variants too. */
	plan->items = calloc(nm + 8, sizeof(*plan->items));
	plan->item_of = malloc((nm + 1) * sizeof(*plan->item_of));
	plan->dates = malloc((n_dates + 1) * sizeof(int32_t));
	if (!v.state || !plan->items || !plan->item_of || !plan->dates) {
		rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                   "out of memory");
		goto out;
	}
	for (size_t m = 0; m < nm; m++)
		plan->item_of[m] = -1;
	for (size_t i = 0; i < n_ids; i++)
		if (okra__find_metric(ws, ids[i]) < 0) {
			rc = unknown_metric(ws, ids[i], err);
			goto out;
		}
	/* Named metrics in the order they were named, else the workspace's
	 * order; each after its inputs. */
	for (size_t i = 0; i < n_ids; i++)
		visit(&v, okra__find_metric(ws, ids[i]));
	for (size_t m = 0; n_ids == 0 && m < nm; m++)
		visit(&v, (int)m);
	for (size_t i = 0; i < n_ids; i++)
		plan->items[plan->item_of[okra__find_metric(ws, ids[i])]]
		    .requested = true;
	for (size_t k = 0; n_ids == 0 && k < plan->n_items; k++)
		plan->items[k].requested = true;

	memcpy(plan->dates, dates, n_dates * sizeof(int32_t));
	qsort(plan->dates, n_dates, sizeof(int32_t), cmp_day);
	size_t k = 0;
	for (size_t i = 0; i < n_dates; i++)
		if (k == 0 || plan->dates[k - 1] != plan->dates[i])
			plan->dates[k++] = plan->dates[i];
	plan->n_dates = k;
out:
	free(v.state);
	if (rc)
		okra__plan_free(plan);
	return rc;
}

int okra__plan_add_variant(okra_plan *plan, const okra_metric *m,
                           okra_revenue_measure measure)
{
	if (plan->n_items >= plan->ws->n_metrics + 8)
		return -1;
	okra_metric *copy = okra__arena_alloc(&plan->arena, sizeof(*copy));
	if (!copy)
		return -1;
	*copy = *m;
	copy->revenue_measure = measure;
	plan->items[plan->n_items] =
	    (okra_plan_item){.m = copy,
	                     .metric = -1,
	                     .scan = okra__metric_types[copy->type].scan,
	                     .caps = okra__metric_caps(copy)};
	return (int)plan->n_items++;
}

void okra__plan_free(okra_plan *plan)
{
	free(plan->items);
	free(plan->item_of);
	free(plan->dates);
	okra__arena_free(&plan->arena);
	memset(plan, 0, sizeof(*plan));
}

/* ---------------------------------------------------------------------
 * Windows, cohorts, periods
 * --------------------------------------------------------------------- */

void okra__plan_window(const okra_workspace *ws, const okra_window *w,
                       int32_t day, int32_t *first, int32_t *last)
{
	*last = day;
	switch (w->kind) {
	case OKRA_WINDOW_DAYS:
		*first = day - w->days + 1;
		return;
	case OKRA_WINDOW_ALL:
		*first = INT32_MIN;
		return;
	default: {
		int32_t end;
		okra__period_bounds(ws, w->kind, day, first, &end);
		return;
	}
	}
}

void okra__plan_cohort(const okra_metric *m, int32_t day, int32_t *first,
                       int32_t *last)
{
	int span = m->within_days;
	if (m->type == OKRA_METRIC_RETENTION)
		span = m->has_between ? m->between_hi : m->day_n;
	*last = day - span;
	*first = *last - m->cohort_days + 1;
}

void okra__period_bounds(const okra_workspace *ws, okra_window_kind kind,
                         int32_t day, int32_t *first, int32_t *last)
{
	int y, m, d;
	switch (kind) {
	case OKRA_WINDOW_WEEK: {
		int back =
		    (okra__weekday(day) - ws->settings.week_start + 7) % 7;
		*first = day - back;
		*last = *first + 6;
		return;
	}
	case OKRA_WINDOW_MONTH:
		okra__civil_from_days(day, &y, &m, &d);
		*first = okra__days_from_civil(y, m, 1);
		*last = (m == 12 ? okra__days_from_civil(y + 1, 1, 1)
		                 : okra__days_from_civil(y, m + 1, 1)) -
		        1;
		return;
	case OKRA_WINDOW_QUARTER: {
		okra_quarter q =
		    okra__quarter_of(day, ws->settings.fiscal_start_month);
		*first = q.first;
		*last = q.last;
		return;
	}
	default:
		*first = *last = day;
		return;
	}
}
okra_rc okra__series_dates(const okra_workspace *ws, okra_grain grain,
                           int32_t from, int32_t to, size_t max_points,
                           int32_t **out, size_t *n, okra_err *err)
{
	static const okra_window_kind kinds[] = {
	    OKRA_WINDOW_DAYS,
	    OKRA_WINDOW_WEEK,
	    OKRA_WINDOW_MONTH,
	    OKRA_WINDOW_QUARTER,
	};
	if (to < from)
		return okra__err_set(
		    err, OKRA_ERR_USAGE, NULL, 0, 0,
		    "the end of the range (to) is before its start (from)");
	/* Count, then fill. */
	size_t count = 0;
	for (int32_t day = from; day <= to; count++) {
		int32_t first, last;
		okra__period_bounds(ws, kinds[grain], day, &first, &last);
		day = last + 1;
	}
	if (max_points == 0 || max_points > OKRA_MAX_SERIES_POINTS)
		max_points = OKRA_MAX_SERIES_POINTS;
	if (count > max_points)
		return okra__err_set(
		    err, OKRA_ERR_USAGE, NULL, 0, 0,
		    "a series of %zu points is too long (at "
		    "most %zu): use a coarser grain or a shorter "
		    "range",
		    count, max_points);
	int32_t *dates = malloc((count + 1) * sizeof(*dates));
	if (!dates)
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	size_t k = 0;
	for (int32_t day = from; day <= to;) {
		int32_t first, last;
		okra__period_bounds(ws, kinds[grain], day, &first, &last);
		dates[k++] = last < to ? last : to;
		day = last + 1;
	}
	*out = dates;
	*n = k;
	return OKRA_OK;
}
