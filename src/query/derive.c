/*
 * derive.c - the values no engine scans for: manual metrics from the
 * state database, ratios and formulas from their inputs.
 *
 * Runs above every backend, after it, in plan order (inputs first), so a
 * ratio of two ClickHouse metrics and a ratio of two embedded ones are the
 * same arithmetic.  Segments of a ratio or formula are computed per
 * segment from the inputs' segment values.
 */
#include "query/query.h"
#include "state/state.h"

#include <math.h>

/* The value of ws metric m at flat position at (segment row x dates +
 * date); NaN when null or not evaluated. */
static double input(const okra_result *r, int m, size_t at)
{
	const okra_values *v = okra__result_metric(r, m);
	return v && v->evaluated ? v->v[at] : NAN;
}

static double expr_value(const okra_result *r, const okra_expr *x, size_t at)
{
	double a, b;
	switch (x->kind) {
	case OKRA_EXPR_NUMBER:
		return x->number;
	case OKRA_EXPR_METRIC:
		return input(r, x->metric, at);
	case OKRA_EXPR_NEG:
		return -expr_value(r, x->args[0], at);
	case OKRA_EXPR_ABS:
		return fabs(expr_value(r, x->args[0], at));
	case OKRA_EXPR_ADD:
	case OKRA_EXPR_SUB:
	case OKRA_EXPR_MUL:
	case OKRA_EXPR_DIV:
		a = expr_value(r, x->args[0], at);
		b = expr_value(r, x->args[1], at);
		if (x->kind == OKRA_EXPR_ADD)
			return a + b;
		if (x->kind == OKRA_EXPR_SUB)
			return a - b;
		if (x->kind == OKRA_EXPR_MUL)
			return a * b;
		return b == 0 ? NAN : a / b; /* division by 0 is null */
	case OKRA_EXPR_MIN:
	case OKRA_EXPR_MAX: {
		double v0 = expr_value(r, x->args[0], at);
		for (size_t i = 1; i < x->n_args; i++) {
			double v = expr_value(r, x->args[i], at);
			if (isnan(v) || isnan(v0))
				v0 = NAN;
			else if (x->kind == OKRA_EXPR_MIN ? v < v0 : v > v0)
				v0 = v;
		}
		return v0;
	}
	}
	return NAN;
}

okra_rc okra__derive(okra_result *r, okra_err *err)
{
	const okra_plan *plan = &r->plan;
	size_t nv = (r->seg.n_segments + 1) * plan->n_dates;
	okra_state *state = NULL; /* opened on the first manual metric */
	bool state_opened = false;
	okra_rc rc = OKRA_OK;
	for (size_t k = 0; k < plan->n_items && rc == OKRA_OK; k++) {
		const okra_metric *m = plan->items[k].m;
		okra_values *mv = &r->values[k];
		switch (m->type) {
		case OKRA_METRIC_RATIO:
			for (size_t i = 0; i < nv; i++) {
				double x = input(r, m->numerator.index, i);
				double y = input(r, m->denominator.index, i);
				mv->v[i] = isnan(x) || isnan(y) || y == 0
				               ? NAN
				               : x / y;
			}
			break;
		case OKRA_METRIC_FORMULA:
			for (size_t i = 0; i < nv; i++) {
				double x = expr_value(r, m->expr, i);
				mv->v[i] = isfinite(x) ? x : NAN;
			}
			break;
		case OKRA_METRIC_MANUAL:
			/* Check-ins have no segments: the segments, and a
			 * pinned segment, stay null.  No database: null. */
			if (plan->n_pin)
				break;
			if (!state_opened) {
				rc = okra__state_open(plan->ws, false, &state,
				                      err);
				if (rc)
					break;
				state_opened = true;
			}
			rc = okra__state_checkin_values(
			    state, m->id, plan->dates, plan->n_dates, mv->v,
			    err);
			break;
		default:
			continue;
		}
		mv->evaluated = rc == OKRA_OK;
	}
	okra__state_close(state);
	return rc;
}
