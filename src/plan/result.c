/*
 * result.c - allocating and reading the backend-neutral result.
 *
 * Owns the layout of okra_values (result.h); everything outside reads
 * values through these accessors, so an engine may fill them any way it
 * likes.  No computation beyond indexing.
 */
#include "plan/result.h"

#include <math.h>
#include <string.h>

static double *nulls(okra_arena *a, size_t n)
{
	double *v = okra__arena_alloc(a, (n ? n : 1) * sizeof(double));
	for (size_t i = 0; v && i < n; i++)
		v[i] = NAN;
	return v;
}

bool okra__result_alloc_values(okra_result *r)
{
	const okra_plan *p = &r->plan;
	size_t nd = p->n_dates, nv = (r->seg.n_segments + 1) * nd;
	r->values =
	    okra__arena_alloc(&r->arena, (p->n_items + 1) * sizeof(*r->values));
	if (!r->values)
		return false;
	for (size_t k = 0; k < p->n_items; k++) {
		const okra_metric *m = p->items[k].m;
		okra_values *v = &r->values[k];
		v->is_count = okra__metric_is_count(m);
		v->v = nulls(&r->arena, nv);
		if (p->items[k].caps &
		    (OKRA_CAP_SHARE | OKRA_CAP_MEAN | OKRA_CAP_QUANTILE)) {
			v->num = nulls(&r->arena, nv);
			v->den = nulls(&r->arena, nv);
		}
		v->n_steps = m->n_steps;
		if (m->n_steps)
			v->steps = nulls(&r->arena, m->n_steps * nd);
		if (p->items[k].outcomes && p->outcome_of) {
			v->outcome =
			    okra__arena_alloc(&r->arena, sizeof(*v->outcome));
			if (v->outcome)
				*v->outcome =
				    (okra_outcome){NAN, NAN, NAN, NAN};
		}
	}
	return !r->arena.failed;
}

const okra_segment_attr *okra__result_segment_attr(const okra_result *r,
                                                   size_t s)
{
	for (size_t j = 0; j < r->seg.n_attrs; j++) {
		const okra_segment_attr *at = &r->seg.attrs[j];
		if (s > at->first && s <= at->first + at->n)
			return at;
	}
	return NULL;
}

const okra_values *okra__result_metric(const okra_result *r, int m)
{
	if (m < 0 || (size_t)m >= r->ws->n_metrics || !r->values)
		return NULL;
	int k = r->plan.item_of[m];
	return k >= 0 ? &r->values[k] : NULL;
}

double okra__result_item_at(const okra_result *r, size_t item, size_t s,
                            size_t i)
{
	const okra_values *v = &r->values[item];
	if (!v->evaluated || s > r->seg.n_segments || i >= r->plan.n_dates)
		return NAN;
	return v->v[s * r->plan.n_dates + i];
}

double okra__result_at(const okra_result *r, int m, size_t s, size_t i)
{
	const okra_values *v = okra__result_metric(r, m);
	if (!v)
		return NAN;
	return okra__result_item_at(r, (size_t)(v - r->values), s, i);
}

const double *okra__result_row(const okra_result *r, int m, size_t s)
{
	const okra_values *v = okra__result_metric(r, m);
	if (!v || !v->evaluated || s > r->seg.n_segments)
		return NULL;
	return v->v + s * r->plan.n_dates;
}

double okra__result_value(const okra_result *r, int m, int32_t day)
{
	size_t lo = 0, hi = r->plan.n_dates;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->plan.dates[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == r->plan.n_dates || r->plan.dates[lo] != day)
		return NAN;
	return okra__result_at(r, m, 0, lo);
}

bool okra__result_sample(const okra_result *r, int m, size_t s, size_t i,
                         double *num, double *den)
{
	const okra_values *v = okra__result_metric(r, m);
	if (!v || !v->evaluated || !v->den || s > r->seg.n_segments ||
	    i >= r->plan.n_dates)
		return false;
	*num = v->num[s * r->plan.n_dates + i];
	*den = v->den[s * r->plan.n_dates + i];
	return true;
}

size_t okra__result_n_steps(const okra_result *r, int m)
{
	const okra_values *v = okra__result_metric(r, m);
	return v && v->evaluated ? v->n_steps : 0;
}

double okra__result_step(const okra_result *r, int m, size_t k, size_t i)
{
	const okra_values *v = okra__result_metric(r, m);
	if (!v || !v->evaluated || k >= v->n_steps || i >= r->plan.n_dates)
		return NAN;
	return v->steps[k * r->plan.n_dates + i];
}

bool okra__result_is_count(const okra_result *r, int m)
{
	const okra_values *v = okra__result_metric(r, m);
	return v && v->is_count;
}

bool okra__result_outcome(const okra_result *r, int m, okra_outcome *out)
{
	const okra_values *v = okra__result_metric(r, m);
	if (!v || !v->evaluated || !v->outcome || isnan(v->outcome->met))
		return false;
	*out = *v->outcome;
	return true;
}

typedef struct complete_ctx {
	const okra_result *r;
	int32_t day;
	int depth;
	bool ok;
} complete_ctx;

static void item_complete(complete_ctx *c, const okra_metric *m);

static void input_complete(int input, void *ctx)
{
	complete_ctx *c = ctx;
	if (input >= 0 && c->ok && c->depth < 64) {
		c->depth++;
		item_complete(c, &c->r->ws->metrics[input]);
		c->depth--;
	}
}

static void item_complete(complete_ctx *c, const okra_metric *m)
{
	const okra_coverage *cv = &c->r->coverage;
	switch (okra__metric_types[m->type].scan) {
	case OKRA_SCAN_EVENTS:
	case OKRA_SCAN_ENTITIES:
		c->ok &= cv->events_last >= 0 && c->day <= cv->events_last;
		break;
	case OKRA_SCAN_REVENUE:
		c->ok &= cv->revenue_last >= 0 && c->day <= cv->revenue_last;
		break;
	case OKRA_SCAN_DERIVED:
		okra__metric_inputs(m, input_complete, c);
		break;
	case OKRA_SCAN_STATE:
		break;
	}
}

bool okra__result_complete(const okra_result *r, int m, size_t i)
{
	if (m < 0 || (size_t)m >= r->ws->n_metrics || i >= r->plan.n_dates)
		return true;
	complete_ctx c = {.r = r, .day = r->plan.dates[i], .ok = true};
	item_complete(&c, &r->ws->metrics[m]);
	return c.ok;
}

/* The date index in r->compare that date i of metric m is compared with,
 * -1 when none. */
static int compare_index(const okra_result *r, int m, size_t i)
{
	if (!r->compare || m < 0 || (size_t)m >= r->ws->n_metrics ||
	    i >= r->plan.n_dates || r->plan.item_of[m] < 0)
		return -1;
	return r->compare_at[(size_t)r->plan.item_of[m] * r->plan.n_dates + i];
}

bool okra__result_compare(const okra_result *r, int m, size_t s, size_t i,
                          int32_t *day, double *value)
{
	int k = compare_index(r, m, i);
	if (k < 0)
		return false;
	*day = okra__result_date(r->compare, (size_t)k);
	*value = okra__result_at(r->compare, m, s, (size_t)k);
	return true;
}

bool okra__result_compare_sample(const okra_result *r, int m, size_t s,
                                 size_t i, double *num, double *den)
{
	int k = compare_index(r, m, i);
	return k >= 0 &&
	       okra__result_sample(r->compare, m, s, (size_t)k, num, den);
}
