/*
 * experiments.c - "what did we learn": the experiments on the reviewed key
 * results that ran or ended since the last review, read out as
 * okra experiment does (okr/experiment.c), and each key result's forecast
 * if a winning variant ships (SPEC 14).
 *
 * Reads the evaluated review and the engine; writes only r->learned, in
 * the review's arena.  An experiment that cannot be read out keeps its
 * error: the rest of the review stands.
 */
#include "okr/experiment.h"
#include "review/review.h"

#include <math.h>
#include <string.h>

/* Did x run on some day after the previous review, up to asof? */
static bool ran_since(const okra_review *r, const okra_experiment *x)
{
	if (x->start > r->asof)
		return false;
	return !r->has_prev || x->end < 0 || x->end > r->prev_asof;
}

/* A share stays a share, a count or an amount stays >= 0. */
static double in_domain(const okra_metric *m, double v)
{
	switch (m->unit) {
	case OKRA_UNIT_PERCENT:
		return fmin(fmax(v, 0), 1);
	case OKRA_UNIT_COUNT:
	case OKRA_UNIT_CURRENCY:
	case OKRA_UNIT_HOURS:
		return fmax(v, 0);
	default:
		return v;
	}
}

/* The forecast of k moved by what shipping the first variant adds: its
 * lift on the part of the population the quarter's end would not have
 * treated anyway (the variant's share of the split while the experiment
 * still runs then, nobody once it has ended). */
static void ship_band(okra_review *r, okra_exp_learned *l)
{
	const okra_exp_readout *x = l->r;
	const okra_kr_eval *k = l->k;
	if (x->decision != OKRA_EXP_SHIP || !x->n_cmp || !k->metric ||
	    k->metric != x->metric || k->pin || !k->forecast.ok ||
	    !isfinite(x->cmp[0].lift))
		return;
	bool running_at_end = x->x->end < 0 || x->x->end >= k->q1;
	double treated = running_at_end ? x->variants[1].weight : 0;
	l->ship_share_untreated = 1 - treated;
	l->ship_shift = x->cmp[0].lift * l->ship_share_untreated;
	const okra_forecast *f = &k->forecast;
	const okra_metric *m = k->metric;
	l->ship_value = in_domain(m, f->value + l->ship_shift);
	l->ship_lo = in_domain(m, f->lo + l->ship_shift);
	l->ship_hi = in_domain(m, f->hi + l->ship_shift);
	l->n_band = f->n_band;
	l->band_days = f->band_days;
	l->band_mid =
	    okra__arena_alloc(&r->arena, (f->n_band + 1) * sizeof(double));
	l->band_lo =
	    okra__arena_alloc(&r->arena, (f->n_band + 1) * sizeof(double));
	l->band_hi =
	    okra__arena_alloc(&r->arena, (f->n_band + 1) * sizeof(double));
	if (!l->band_mid || !l->band_lo || !l->band_hi)
		return;
	for (size_t i = 0; i < f->n_band; i++) {
		l->band_mid[i] = in_domain(m, f->band_mid[i] + l->ship_shift);
		l->band_lo[i] = in_domain(m, f->band_lo[i] + l->ship_shift);
		l->band_hi[i] = in_domain(m, f->band_hi[i] + l->ship_shift);
	}
	l->has_ship = true;
}

okra_rc okra__exp_review(okra_engine *e, okra_state *st, okra_review *r,
                         okra_err *err)
{
	const okra_workspace *ws = r->ws;
	r->learned = okra__arena_alloc(&r->arena, (ws->n_experiments + 1) *
	                                              sizeof(*r->learned));
	if (!r->learned)
		return okra__nomem(err);
	for (size_t i = 0; i < r->n_krs; i++) {
		const okra_kr_eval *k = &r->krs[i];
		for (size_t j = 0; j < ws->n_experiments; j++) {
			const okra_experiment *x = &ws->experiments[j];
			if (x->key_result.index < 0 ||
			    &ws->key_results[x->key_result.index] != k->kr ||
			    !ran_since(r, x))
				continue;
			okra_exp_learned *l = &r->learned[r->n_learned++];
			memset(l, 0, sizeof(*l));
			l->x = x;
			l->k = k;
			okra_err xe = {0};
			okra_rc rc = okra__exp_readout(e, st, x, r->asof,
			                               &r->arena, &l->r, &xe);
			if (rc == OKRA_ERR_NOMEM)
				return okra__nomem(err);
			if (rc) {
				l->r = NULL;
				l->error =
				    xe.file[0] && xe.line
				        ? okra__arena_printf(
				              &r->arena, "%s:%d:%d: %s",
				              xe.file, xe.line, xe.col, xe.msg)
				        : okra__arena_printf(&r->arena, "%s",
				                             xe.msg);
				continue;
			}
			ship_band(r, l);
		}
	}
	return r->arena.failed ? okra__nomem(err) : OKRA_OK;
}
