/*
 * bridge.c - the MRR bridge: one month-by-month table of how recurring
 * revenue moved.
 *
 * One series evaluation of the mrr metric, with its five movements as
 * plan variants of the same metric (same pin, same months), gives each
 * month's end and movements; the mrr at the last day of the month before
 * gives the start.  okra_bridge_write checks that they add up.
 */
#include "query/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const okra_revenue_measure movements[] = {
    OKRA_REV_NEW,         OKRA_REV_REACTIVATION, OKRA_REV_EXPANSION,
    OKRA_REV_CONTRACTION, OKRA_REV_CHURNED,
};

static okra_rc check_metric(const okra_metric *m, okra_err *err)
{
	if (m->type == OKRA_METRIC_REVENUE &&
	    m->revenue_measure == OKRA_REV_MRR)
		return OKRA_OK;
	if (m->type == OKRA_METRIC_REVENUE)
		return okra__err_set(
		    err, OKRA_ERR_USAGE, NULL, 0, 0,
		    "the MRR bridge needs a revenue metric with measure mrr; "
		    "\"%s\" is the revenue measure %s",
		    m->id, okra__revenue_measures[m->revenue_measure].name);
	return okra__err_set(
	    err, OKRA_ERR_USAGE, NULL, 0, 0,
	    "the MRR bridge needs a revenue metric with measure mrr; \"%s\" is "
	    "a %s metric",
	    m->id, okra__metric_types[m->type].name);
}

/* Evaluates metric m (and, with variants, its movements) at dates. */
static okra_rc eval_at(okra_engine *e, const char *id, const int32_t *dates,
                       size_t n, bool variants, okra_result **out,
                       okra_err *err)
{
	okra_result *r = okra__result_new(e);
	if (!r)
		return okra__nomem(err);
	okra_rc rc = okra__plan_build(okra__engine_workspace(e), &id, 1, dates,
	                              n, NULL, &r->plan, err);
	const okra_metric *m = rc ? NULL : r->plan.items[0].m;
	for (size_t k = 0;
	     rc == OKRA_OK && variants && k < OKRA_ARRAY_LEN(movements); k++)
		if (okra__plan_add_variant(&r->plan, m, movements[k]) < 0)
			rc = okra__nomem(err);
	if (rc == OKRA_OK)
		rc = okra__engine_evaluate(e, r, err);
	if (rc) {
		okra_result_free(r);
		return rc;
	}
	*out = r;
	return OKRA_OK;
}

okra_rc okra_bridge_eval(okra_engine *e, const okra_query *q, okra_bridge **out,
                         okra_err *err)
{
	if (q->n_metrics != 1)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "the MRR bridge is of one metric (a "
		                     "revenue metric with measure mrr)");
	if (q->by || q->n_where)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "the MRR bridge is of the whole business: "
		                     "no segments and no filter");
	okra_query monthly = *q;
	monthly.grain = OKRA_GRAIN_MONTH;
	okra_result *months = NULL, *moves = NULL, *starts = NULL;
	okra_bridge *b = NULL;
	int32_t *before = NULL;
	/* The months (and unknown ids, with "did you mean"). */
	okra_rc rc = okra_series_eval(e, &monthly, &months, err);
	if (rc)
		return rc;
	const okra_workspace *ws = okra__engine_workspace(e);
	int mi = okra__find_metric(ws, q->metrics[0]);
	const okra_metric *m = &ws->metrics[mi];
	if ((rc = check_metric(m, err)))
		goto out;
	size_t n = okra__result_n_dates(months);
	const int32_t *dates = months->plan.dates;
	b = calloc(1, sizeof(*b));
	before = malloc((n + 1) * sizeof(*before));
	if (b)
		b->months = calloc(n + 1, sizeof(*b->months));
	if (!b || !b->months || !before) {
		rc = okra__nomem(err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int y, mo, d;
		okra__civil_from_days(dates[i], &y, &mo, &d);
		before[i] = okra__days_from_civil(y, mo, 1) - 1;
	}
	if ((rc = eval_at(e, m->id, dates, n, true, &moves, err)) ||
	    (rc = eval_at(e, m->id, before, n, false, &starts, err)))
		goto out;
	b->ws = ws;
	b->metric = m->id;
	b->n_months = n;
	for (size_t i = 0; i < n; i++) {
		okra_bridge_month *bm = &b->months[i];
		int y, mo, d;
		okra__civil_from_days(dates[i], &y, &mo, &d);
		snprintf(bm->month, sizeof(bm->month), "%04u-%02u",
		         (unsigned)y % 10000u, (unsigned)mo % 100u);
		okra__format_date(dates[i], bm->asof);
		bm->end = okra__result_at(months, mi, 0, i);
		bm->start = okra__result_value(starts, mi, before[i]);
		double *field[] = {&bm->new_mrr, &bm->reactivation,
		                   &bm->expansion, &bm->contraction,
		                   &bm->churned};
		for (size_t k = 0; k < OKRA_ARRAY_LEN(movements); k++)
			*field[k] = okra__result_item_at(moves, 1 + k, 0, i);
	}
	*out = b;
	b = NULL;
out:
	okra_bridge_free(b);
	free(before);
	okra_result_free(months);
	okra_result_free(moves);
	okra_result_free(starts);
	return rc;
}

void okra_bridge_free(okra_bridge *b)
{
	if (!b)
		return;
	free(b->months);
	free(b);
}
