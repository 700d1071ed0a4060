/*
 * compare.c - period over period (--compare prev|yoy|DATE): the day each
 * metric is compared with, and the second evaluation at those days.
 *
 * "prev" is one period of the metric earlier: its trailing window, its
 * cohort, or the same day of the previous calendar period (calendar
 * windows, revenue months), a ratio or formula taking the longest period
 * of its inputs; "yoy" the same date a year earlier; a date that date
 * (a series compares point by point with the series of as many points of
 * its grain that ends on that date).  The comparison is a
 * second result over the same metrics, segments and pin, so its rows line
 * up with the first; the front never knows a backend's layout.
 */
#include "query/query.h"

#include <stdlib.h>
#include <string.h>

/* A metric's period: a number of days, or a calendar period. */
typedef struct period {
	okra_window_kind kind; /* DAYS, WEEK, MONTH or QUARTER */
	int days;              /* DAYS */
} period;

static int period_length(period p)
{
	switch (p.kind) {
	case OKRA_WINDOW_WEEK:
		return 7;
	case OKRA_WINDOW_MONTH:
		return 30;
	case OKRA_WINDOW_QUARTER:
		return 91;
	default:
		return p.days;
	}
}

/* Without a period of its own (an all-time window, a manual metric with
 * no calculation frequency): a week. */
static const period a_week = {OKRA_WINDOW_DAYS, 7};

typedef struct longest {
	const okra_workspace *ws;
	period p;
	bool any;
	int depth;
} longest;

static period metric_period(const okra_workspace *ws, const okra_metric *m,
                            int depth);

static void longer_input(int input, void *ctx)
{
	longest *l = ctx;
	if (input < 0)
		return;
	period p = metric_period(l->ws, &l->ws->metrics[input], l->depth + 1);
	int a = period_length(p), b = period_length(l->p);
	if (!l->any || a > b || (a == b && p.kind != OKRA_WINDOW_DAYS))
		l->p = p;
	l->any = true;
}

static period metric_period(const okra_workspace *ws, const okra_metric *m,
                            int depth)
{
	unsigned caps = okra__metric_caps(m);
	if (caps & OKRA_CAP_COHORT)
		return (period){OKRA_WINDOW_DAYS, m->cohort_days};
	if (m->type == OKRA_METRIC_REVENUE)
		return (period){OKRA_WINDOW_MONTH, 0};
	if (caps & OKRA_CAP_WINDOW) {
		if (m->window.kind == OKRA_WINDOW_ALL)
			return a_week;
		return (period){m->window.kind, m->window.days};
	}
	if (m->type == OKRA_METRIC_MANUAL) {
		static const struct {
			const char *name;
			period p;
		} freq[] = {
		    {"daily", {OKRA_WINDOW_DAYS, 1}},
		    {"weekly", {OKRA_WINDOW_WEEK, 0}},
		    {"monthly", {OKRA_WINDOW_MONTH, 0}},
		    {"quarterly", {OKRA_WINDOW_QUARTER, 0}},
		};
		for (size_t i = 0; m->calculation && i < OKRA_ARRAY_LEN(freq);
		     i++)
			if (strcmp(m->calculation, freq[i].name) == 0)
				return freq[i].p;
		return a_week;
	}
	/* Ratios and formulas: the longest period of their inputs (the
	 * checker rejects cycles; the depth only bounds a broken model). */
	longest l = {.ws = ws, .p = a_week, .depth = depth};
	if (depth < 64)
		okra__metric_inputs(m, longer_input, &l);
	return l.p;
}

static int32_t previous(const okra_workspace *ws, period p, int32_t day)
{
	if (p.kind == OKRA_WINDOW_DAYS)
		return day - p.days;
	if (p.kind == OKRA_WINDOW_WEEK)
		return day - 7;
	/* The same day of the previous month or quarter, clamped to its
	 * last day. */
	int32_t first, last, pfirst, plast;
	okra__period_bounds(ws, p.kind, day, &first, &last);
	okra__period_bounds(ws, p.kind, first - 1, &pfirst, &plast);
	int32_t d = pfirst + (day - first);
	return d < plast ? d : plast;
}

static int32_t year_before(int32_t day)
{
	int y, m, d;
	okra__civil_from_days(day, &y, &m, &d);
	if (m == 2 && d == 29)
		d = 28;
	return okra__days_from_civil(y - 1, m, d);
}

okra_rc okra__compare_parse(const char *text, okra_compare *out, okra_err *err)
{
	if (strcmp(text, "prev") == 0)
		*out = (okra_compare){OKRA_COMPARE_PREV, 0};
	else if (strcmp(text, "yoy") == 0)
		*out = (okra_compare){OKRA_COMPARE_YOY, 0};
	else if (okra__parse_date(text, &out->day))
		out->kind = OKRA_COMPARE_DATE;
	else
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "compare must be prev, yoy or a date "
		                     "YYYY-MM-DD, not \"%s\"",
		                     text);
	return OKRA_OK;
}

int32_t okra__compare_day(const okra_workspace *ws, const okra_metric *m,
                          const okra_compare *c, int32_t day)
{
	switch (c->kind) {
	case OKRA_COMPARE_PREV:
		return previous(ws, metric_period(ws, m, 0), day);
	case OKRA_COMPARE_YOY:
		return year_before(day);
	default:
		return c->day;
	}
}

/* The periods of a series' grain (a day grain steps one day back). */
static const okra_window_kind grain_window[] = {
    OKRA_WINDOW_DAYS,
    OKRA_WINDOW_WEEK,
    OKRA_WINDOW_MONTH,
    OKRA_WINDOW_QUARTER,
};

okra_rc okra__compare_eval(okra_engine *e, okra_result *r, const char *text,
                           okra_err *err)
{
	const okra_workspace *ws = r->ws;
	const okra_plan *plan = &r->plan;
	size_t nd = plan->n_dates, ni = plan->n_items;
	okra_compare c;
	okra_rc rc = okra__compare_parse(text, &c, err);
	if (rc)
		return rc;
	int32_t last = plan->dates[nd - 1];
	if (c.kind == OKRA_COMPARE_DATE && c.day >= last) {
		char d1[11], d2[11];
		okra__format_date(c.day, d1);
		okra__format_date(last, d2);
		return okra__err_set(
		    err, OKRA_ERR_USAGE, NULL, 0, 0,
		    "compare %s: the day to compare with must be "
		    "before %s",
		    d1, d2);
	}
	int32_t *days = malloc((ni * nd + nd + 1) * sizeof(*days));
	const char **ids = malloc((ni + 1) * sizeof(*ids));
	int *at = okra__arena_alloc(&r->arena, (ni * nd + 1) * sizeof(*at));
	okra_result *cmp = okra__result_new(e);
	size_t n_ids = 0;
	if (!days || !ids || !at || !cmp) {
		rc = okra__nomem(err);
		goto out;
	}
	/* A date: a series compares point by point with the series of as
	 * many points of its grain that ends on that date. */
	int32_t *shifted = days + ni * nd;
	if (c.kind == OKRA_COMPARE_DATE) {
		shifted[nd - 1] = c.day;
		for (size_t i = nd - 1; i-- > 0;) {
			int32_t first, end;
			okra__period_bounds(ws, grain_window[r->grain],
			                    shifted[i + 1], &first, &end);
			shifted[i] = first - 1;
		}
	}
	for (size_t k = 0; k < ni; k++) {
		if (plan->items[k].requested)
			ids[n_ids++] = plan->items[k].m->id;
		for (size_t i = 0; i < nd; i++)
			days[k * nd + i] =
			    c.kind == OKRA_COMPARE_DATE
			        ? shifted[i]
			        : okra__compare_day(ws, plan->items[k].m, &c,
			                            plan->dates[i]);
	}
	rc = okra__plan_build(ws, ids, n_ids, days, ni * nd, plan->by,
	                      &cmp->plan, err);
	if (rc)
		goto out;
	cmp->plan.totals_only = plan->totals_only;
	cmp->plan.pin = plan->pin; /* r's arena: r owns cmp */
	cmp->plan.n_pin = plan->n_pin;
	cmp->is_series = r->is_series;
	cmp->grain = r->grain;
	if ((rc = okra__engine_evaluate(e, cmp, err)))
		goto out;
	/* Where each (item, date) landed among the sorted distinct days. */
	for (size_t k = 0; k < ni; k++)
		for (size_t i = 0; i < nd; i++) {
			int32_t d = days[k * nd + i];
			size_t lo = 0, hi = cmp->plan.n_dates;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (cmp->plan.dates[mid] < d)
					lo = mid + 1;
				else
					hi = mid;
			}
			at[k * nd + i] = (int)lo;
		}
	r->compare = cmp;
	r->compare_at = at;
	r->compare_text = okra__arena_strdup(&r->arena, text);
	cmp = NULL;
out:
	okra_result_free(cmp);
	free(days);
	free(ids);
	return rc;
}
