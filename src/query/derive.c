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

/* A formula's input at one flat position, for okra__expr_eval. */
typedef struct at_position {
	const okra_result *r;
	size_t at;
} at_position;

static double input_at(int m, void *ctx)
{
	const at_position *p = ctx;
	return input(p->r, m, p->at);
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
				at_position p = {r, i};
				double x =
				    okra__expr_eval(m->expr, input_at, &p);
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
