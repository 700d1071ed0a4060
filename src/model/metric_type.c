/*
 * metric_type.c - one row per metric type and per revenue measure.
 *
 * A type's name, the YAML keys it takes, its default unit and window, the
 * pass of the engine that evaluates it and what it can do (segments,
 * additivity, a share of a population, a lift on the north star) live here
 * and nowhere else; the loader, the checker, the planner, the engines and
 * lint read these rows instead of switching on the type.  Adding a type
 * is a row here, a loader for its parameters (yaml/load.c) and a kernel
 * per engine (docs/adding-a-metric-type.md).
 */
#include <math.h>

#include "okra_int.h"

#define KEYS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* The event filter keys shared by the event metrics. */
#define FILTER_KEYS "event", "events", "where", "window"

const okra_metric_type_info okra__metric_types[OKRA_METRIC_TYPE_COUNT] = {
    [OKRA_METRIC_COUNT] = {"count", KEYS(FILTER_KEYS), OKRA_UNIT_COUNT, 7,
                           OKRA_SCAN_EVENTS,
                           OKRA_CAP_SEGMENTS | OKRA_CAP_ADDITIVE |
                               OKRA_CAP_WINDOW,
                           true, "number of matching events in the window"},
    [OKRA_METRIC_SUM] = {"sum", KEYS(FILTER_KEYS, "property", "per"),
                         OKRA_UNIT_NONE, 7, OKRA_SCAN_EVENTS,
                         OKRA_CAP_SEGMENTS | OKRA_CAP_ADDITIVE |
                             OKRA_CAP_WINDOW,
                         false,
                         "sum of a numeric property over matching events"},
    [OKRA_METRIC_AVG] = {"avg", KEYS(FILTER_KEYS, "property", "per"),
                         OKRA_UNIT_NONE, 7, OKRA_SCAN_EVENTS,
                         OKRA_CAP_SEGMENTS | OKRA_CAP_MEAN | OKRA_CAP_WINDOW,
                         false,
                         "mean of a numeric property over matching events"},
    [OKRA_METRIC_ACTIVE] =
        {"active", KEYS(FILTER_KEYS, "min_events", "min_days"), OKRA_UNIT_COUNT,
         28, OKRA_SCAN_ENTITIES,
         OKRA_CAP_SEGMENTS | OKRA_CAP_ADDITIVE | OKRA_CAP_WINDOW, true,
         "distinct entities with enough matching events in the window"},
    [OKRA_METRIC_CONVERSION] =
        {"conversion", KEYS("anchor", "target", "steps", "within", "cohort"),
         OKRA_UNIT_PERCENT, 0, OKRA_SCAN_ENTITIES,
         OKRA_CAP_SEGMENTS | OKRA_CAP_SHARE | OKRA_CAP_LIFT | OKRA_CAP_COHORT,
         false, "share of the mature cohort that converted"},
    [OKRA_METRIC_RETENTION] =
        {"retention", KEYS("anchor", "day", "between", "activity", "cohort"),
         OKRA_UNIT_PERCENT, 0, OKRA_SCAN_ENTITIES,
         OKRA_CAP_SEGMENTS | OKRA_CAP_SHARE | OKRA_CAP_COHORT, false,
         "share of the mature cohort active N days after the anchor"},
    [OKRA_METRIC_TIME_TO] =
        {"time_to", KEYS("anchor", "target", "within", "cohort", "stat"),
         OKRA_UNIT_HOURS, 0, OKRA_SCAN_ENTITIES,
         OKRA_CAP_SEGMENTS | OKRA_CAP_QUANTILE | OKRA_CAP_COHORT, false,
         "quantile of the hours from anchor to first target"},
    [OKRA_METRIC_THRESHOLD] =
        {"threshold", KEYS("activity", "window", "measure", "at_least"),
         OKRA_UNIT_PERCENT, 28, OKRA_SCAN_ENTITIES,
         OKRA_CAP_SEGMENTS | OKRA_CAP_SHARE | OKRA_CAP_LIFT | OKRA_CAP_WINDOW,
         false, "share of active entities whose measure reaches a level"},
    [OKRA_METRIC_RATIO] = {"ratio", KEYS("numerator", "denominator"),
                           OKRA_UNIT_RATIO, 0, OKRA_SCAN_DERIVED,
                           OKRA_CAP_SEGMENTS, false,
                           "one metric divided by another"},
    [OKRA_METRIC_FORMULA] = {"formula", KEYS("expr"), OKRA_UNIT_NONE, 0,
                             OKRA_SCAN_DERIVED, OKRA_CAP_SEGMENTS, false,
                             "an arithmetic expression over metrics"},
    [OKRA_METRIC_REVENUE] = {"revenue", KEYS("measure", "lookback"),
                             OKRA_UNIT_CURRENCY, 0, OKRA_SCAN_REVENUE,
                             OKRA_CAP_SEGMENTS, false,
                             "a measure of monthly recurring revenue"},
    [OKRA_METRIC_MANUAL] = {"manual", (const char *const[]){NULL},
                            OKRA_UNIT_NONE, 0, OKRA_SCAN_STATE, 0, false,
                            "the latest check-in on or before the day"},
};

const okra_revenue_measure_info okra__revenue_measures[OKRA_REV_MEASURE_COUNT] =
    {
        [OKRA_REV_MRR] = {"mrr", OKRA_UNIT_CURRENCY, false, true},
        [OKRA_REV_ARR] = {"arr", OKRA_UNIT_CURRENCY, false, true},
        [OKRA_REV_PAYING_ACCOUNTS] = {"paying_accounts", OKRA_UNIT_COUNT, true,
                                      true},
        [OKRA_REV_ARPA] = {"arpa", OKRA_UNIT_CURRENCY, false, false},
        [OKRA_REV_NEW] = {"new", OKRA_UNIT_CURRENCY, false, true},
        [OKRA_REV_REACTIVATION] = {"reactivation", OKRA_UNIT_CURRENCY, false,
                                   true},
        [OKRA_REV_EXPANSION] = {"expansion", OKRA_UNIT_CURRENCY, false, true},
        [OKRA_REV_CONTRACTION] = {"contraction", OKRA_UNIT_CURRENCY, false,
                                  true},
        [OKRA_REV_CHURNED] = {"churned", OKRA_UNIT_CURRENCY, false, true},
        [OKRA_REV_NRR] = {"nrr", OKRA_UNIT_PERCENT, false, false},
        [OKRA_REV_GRR] = {"grr", OKRA_UNIT_PERCENT, false, false},
        [OKRA_REV_LOGO_CHURN] = {"logo_churn", OKRA_UNIT_PERCENT, false, false},
        [OKRA_REV_REVENUE_CHURN] = {"revenue_churn", OKRA_UNIT_PERCENT, false,
                                    false},
};

unsigned okra__metric_caps(const okra_metric *m)
{
	unsigned caps = okra__metric_types[m->type].caps;
	if (m->type == OKRA_METRIC_SUM && m->per_active)
		caps = (caps & ~(unsigned)OKRA_CAP_ADDITIVE) | OKRA_CAP_SHARE;
	if (m->type == OKRA_METRIC_REVENUE &&
	    okra__revenue_measures[m->revenue_measure].is_additive)
		caps |= OKRA_CAP_ADDITIVE;
	/* The revenue rates over accounts: logo churn is a share of the
	 * accounts paying last month, ARPA the mean MRR of those paying. */
	if (m->type == OKRA_METRIC_REVENUE &&
	    m->revenue_measure == OKRA_REV_LOGO_CHURN)
		caps |= OKRA_CAP_SHARE;
	if (m->type == OKRA_METRIC_REVENUE &&
	    m->revenue_measure == OKRA_REV_ARPA)
		caps |= OKRA_CAP_MEAN;
	return caps;
}

/* The values a metric can take: shares of a population 0..1; counts,
 * hours and currency at least 0; anything else unbounded.  A sum per
 * active entity is num / den too, but its numerator is a sum of values
 * (hours per active account), not a subset of the denominator: not a
 * share. */
void okra__metric_domain(const okra_metric *m, double *lo, double *hi)
{
	*lo = -INFINITY;
	*hi = INFINITY;
	if (m->unit == OKRA_UNIT_PERCENT ||
	    ((okra__metric_caps(m) & OKRA_CAP_SHARE) &&
	     m->type != OKRA_METRIC_SUM))
		*lo = 0, *hi = 1;
	else if (m->unit == OKRA_UNIT_COUNT || m->unit == OKRA_UNIT_HOURS ||
	         m->unit == OKRA_UNIT_CURRENCY)
		*lo = 0;
}

okra_unit okra__metric_default_unit(const okra_metric *m)
{
	if (m->type == OKRA_METRIC_REVENUE)
		return okra__revenue_measures[m->revenue_measure].unit;
	return okra__metric_types[m->type].unit;
}

bool okra__metric_is_count(const okra_metric *m)
{
	if (m->type == OKRA_METRIC_REVENUE)
		return okra__revenue_measures[m->revenue_measure].is_count;
	return okra__metric_types[m->type].is_count;
}

static void expr_inputs(const okra_expr *e, okra_input_fn fn, void *ctx)
{
	if (!e)
		return;
	if (e->kind == OKRA_EXPR_METRIC)
		fn(e->metric, ctx);
	for (size_t i = 0; i < e->n_args; i++)
		expr_inputs(e->args[i], fn, ctx);
}

void okra__metric_inputs(const okra_metric *m, okra_input_fn fn, void *ctx)
{
	switch (okra__metric_types[m->type].scan) {
	case OKRA_SCAN_DERIVED:
		if (m->type == OKRA_METRIC_RATIO) {
			fn(m->numerator.index, ctx);
			fn(m->denominator.index, ctx);
		} else {
			expr_inputs(m->expr, fn, ctx);
		}
		break;
	default:
		break;
	}
}
