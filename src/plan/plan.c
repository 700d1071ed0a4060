/*
 * plan.c - resolves requested metrics into an evaluation plan.
 *
 * Adds the inputs of ratio and formula metrics, orders everything so
 * inputs come first (the model is acyclic after model/check.c), and turns
 * a series request into its as-of days.  Engine-independent.
 */
#include "plan/plan.h"

#include <stdlib.h>
#include <string.h>

static void visit(const okra_workspace *ws, int m, unsigned char *state,
                  int *order, size_t *n);

static void visit_expr(const okra_workspace *ws, const okra_expr *e,
                       unsigned char *state, int *order, size_t *n)
{
	if (!e)
		return;
	if (e->kind == OKRA_EXPR_METRIC && e->metric >= 0)
		visit(ws, e->metric, state, order, n);
	for (size_t i = 0; i < e->n_args; i++)
		visit_expr(ws, e->args[i], state, order, n);
}

static void visit(const okra_workspace *ws, int m, unsigned char *state,
                  int *order, size_t *n)
{
	if (state[m])
		return;
	state[m] = 1;
	const okra_metric *me = &ws->metrics[m];
	if (me->type == OKRA_METRIC_RATIO) {
		if (me->numerator.index >= 0)
			visit(ws, me->numerator.index, state, order, n);
		if (me->denominator.index >= 0)
			visit(ws, me->denominator.index, state, order, n);
	} else if (me->type == OKRA_METRIC_FORMULA) {
		visit_expr(ws, me->expr, state, order, n);
	}
	order[(*n)++] = m;
}

static int cmp_day(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return x < y ? -1 : x > y;
}

okra_rc okra__plan_build(const okra_workspace *ws, const char *const *ids,
                         size_t n_ids, const int32_t *dates, size_t n_dates,
                         const char *by, okra_plan *plan, okra_err *err)
{
	memset(plan, 0, sizeof(*plan));
	size_t nm = ws->n_metrics;
	unsigned char *state = calloc(nm + 1, 1);
	plan->metrics = malloc((nm + 1) * sizeof(int));
	plan->requested = calloc(nm + 1, sizeof(bool));
	plan->dates = malloc((n_dates + 1) * sizeof(int32_t));
	if (!state || !plan->metrics || !plan->requested || !plan->dates) {
		free(state);
		okra__plan_free(plan);
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	}
	for (size_t i = 0; i < n_ids; i++) {
		int m = okra__find_metric(ws, ids[i]);
		if (m < 0) {
			const char *near = okra__nearest_id(
			    ids[i], ws->metrics, nm, sizeof(*ws->metrics));
			free(state);
			okra__plan_free(plan);
			if (near)
				return okra__err_set(err, OKRA_ERR_USAGE, NULL,
				                     0, 0,
				                     "unknown metric \"%s\"; "
				                     "did you mean \"%s\"?",
				                     ids[i], near);
			return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
			                     "unknown metric \"%s\"", ids[i]);
		}
		plan->requested[m] = true;
	}
	/* Named metrics in the order they were named, else the workspace's
	 * order; each after its inputs. */
	for (size_t i = 0; i < n_ids; i++)
		visit(ws, okra__find_metric(ws, ids[i]), state, plan->metrics,
		      &plan->n_metrics);
	for (size_t m = 0; n_ids == 0 && m < nm; m++) {
		plan->requested[m] = true;
		visit(ws, (int)m, state, plan->metrics, &plan->n_metrics);
	}
	free(state);
	memcpy(plan->dates, dates, n_dates * sizeof(int32_t));
	qsort(plan->dates, n_dates, sizeof(int32_t), cmp_day);
	size_t k = 0;
	for (size_t i = 0; i < n_dates; i++)
		if (k == 0 || plan->dates[k - 1] != plan->dates[i])
			plan->dates[k++] = plan->dates[i];
	plan->n_dates = k;
	plan->ws = ws;
	plan->by = by;
	return OKRA_OK;
}

void okra__plan_free(okra_plan *plan)
{
	free(plan->metrics);
	free(plan->requested);
	free(plan->dates);
	memset(plan, 0, sizeof(*plan));
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
                           int32_t from, int32_t to, int32_t **out, size_t *n,
                           okra_err *err)
{
	static const okra_window_kind kinds[] = {
	    OKRA_WINDOW_DAYS,
	    OKRA_WINDOW_WEEK,
	    OKRA_WINDOW_MONTH,
	    OKRA_WINDOW_QUARTER,
	};
	if (to < from)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "--to is before --from");
	/* Count, then fill. */
	size_t count = 0;
	for (int32_t day = from; day <= to; count++) {
		int32_t first, last;
		okra__period_bounds(ws, kinds[grain], day, &first, &last);
		day = last + 1;
	}
	if (count > 100000)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "a series of %zu points is too long",
		                     count);
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
