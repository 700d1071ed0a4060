/*
 * diagnose.c - okra diagnose: the candidates' gaps, trends and lifts,
 * ranked, and the bottleneck in one sentence (SPEC 12, diagnose.h).
 *
 * The statistics are pure functions at the top; okra__diagnose_at reads
 * the engine only through query/query.h (one pass: the candidates and the
 * north star at 8 weekly days, with the outcome counts at the as-of day)
 * and the result accessors.  Prints nothing; the diagnosis owns copies of
 * the strings it makes, and borrows the workspace.
 */
#include "okr/diagnose.h"
#include "query/query.h"
#include "model/format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define Z95 1.959964 /* the normal quantile of a two-sided 95% interval */

/* ---------------------------------------------------------------------
 * Arithmetic
 * --------------------------------------------------------------------- */

double okra__diag_gap(double value, double benchmark, okra_direction dir)
{
	if (isnan(value) || isnan(benchmark) || benchmark == 0)
		return NAN;
	double gap = (benchmark - value) / fabs(benchmark);
	return dir == OKRA_DIR_DOWN ? -gap : gap;
}

double okra__diag_trend(const double *v, size_t n)
{
	double sx = 0, sy = 0, k = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i])) {
			sx += (double)i;
			sy += v[i];
			k++;
		}
	if (k < 3)
		return NAN;
	double mx = sx / k, my = sy / k, sxy = 0, sxx = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i])) {
			sxy += ((double)i - mx) * (v[i] - my);
			sxx += ((double)i - mx) * ((double)i - mx);
		}
	return sxx > 0 ? sxy / sxx : NAN;
}

void okra__diag_lift(double a, double m, double c, double n, double *lift,
                     double *low, double *high)
{
	*lift = *low = *high = NAN;
	if (!(a > 0) || !(m > 0) || !(c > 0) || !(n > 0))
		return;
	double l = (a / m) / (c / n);
	double var = 1 / a - 1 / m + 1 / c - 1 / n;
	double half = Z95 * sqrt(var > 0 ? var : 0);
	*lift = l;
	*low = exp(log(l) - half);
	*high = exp(log(l) + half);
}

double okra__diag_score(double gap, double lift)
{
	if (isnan(gap) || isnan(lift))
		return 0;
	return fmax(gap, 0) * fmax(lift - 1, 0);
}

static int cmp_candidate(const void *pa, const void *pb)
{
	const okra_diag_candidate *a = pa, *b = pb;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return strcmp(a->id, b->id);
}

void okra__diag_rank(okra_diag_candidate *c, size_t n)
{
	if (n > 1)
		qsort(c, n, sizeof(*c), cmp_candidate);
}

const okra_diag_candidate *okra__diag_widest_gap(const okra_diagnosis *d)
{
	const okra_diag_candidate *best = NULL;
	for (size_t i = 0; i < d->n_candidates; i++) {
		const okra_diag_candidate *c = &d->candidates[i];
		if (c->gap > 0 && (!best || c->gap > best->gap))
			best = c;
	}
	return best;
}

/* ---------------------------------------------------------------------
 * Candidates and the north star
 * --------------------------------------------------------------------- */

static okra_rc nomem(okra_err *err)
{
	return okra__nomem(err);
}

/* The north star's inputs in order, then every level 3-4 metric with a
 * benchmark in the workspace's order; each once, the north star never. */
static size_t candidates_of(const okra_workspace *ws, int *out)
{
	const okra_workspace_settings *s = &ws->settings;
	size_t n = 0;
	bool *seen = calloc(ws->n_metrics + 1, 1);
	if (!seen)
		return 0;
	if (s->north_star.index >= 0)
		seen[s->north_star.index] = true;
	for (size_t i = 0; i < s->n_ns_inputs; i++) {
		int m = s->ns_inputs[i].index;
		if (m >= 0 && !seen[m]) {
			seen[m] = true;
			out[n++] = m;
		}
	}
	for (size_t m = 0; m < ws->n_metrics; m++) {
		const okra_metric *me = &ws->metrics[m];
		if (!seen[m] && me->has_benchmark && me->level >= 3 &&
		    me->level <= 4) {
			seen[m] = true;
			out[n++] = (int)m;
		}
	}
	free(seen);
	return n;
}

/* Does the north star count entities, so that an entity can be "in" it?
 * NULL when it does, else why not (in a). */
static const char *north_star_note(const okra_workspace *ws, okra_arena *a)
{
	int ns = ws->settings.north_star.index;
	if (ns < 0)
		return "okra.yaml names no north star (north_star: metric:), "
		       "so "
		       "no lift can be measured";
	const okra_metric *m = &ws->metrics[ns];
	switch (m->type) {
	case OKRA_METRIC_ACTIVE:
	case OKRA_METRIC_THRESHOLD:
	case OKRA_METRIC_CONVERSION:
	case OKRA_METRIC_RETENTION:
		return NULL;
	default:
		return okra__arena_printf(
		    a,
		    "the north star %s is a %s metric: it does not count "
		    "entities, so no entity can be in it and no lift can be "
		    "measured (an active, threshold, conversion or retention "
		    "north star can)",
		    m->id, okra__metric_types[m->type].name);
	}
}

static bool has_lift_type(const okra_metric *m)
{
	return okra__metric_caps(m) & OKRA_CAP_LIFT;
}

/* ---------------------------------------------------------------------
 * The sentence
 * --------------------------------------------------------------------- */

static const char *fmt(okra_arena *a, const okra_metric *m, double v)
{
	okra_buf b = {0};
	okra__human(&b, m, okra__metric_is_count(m) && v == floor(v), v);
	const char *s = okra__arena_strdup(a, b.data ? b.data : "-");
	okra__buf_free(&b);
	return s;
}

/* "Accounts that convert in onboarding_completion_rate are 3.1× (2.7× ..
 * 3.5×) as likely to count in weekly_engaged_accounts as those that do
 * not (75% of 80 against 24% of 250); onboarding_completion_rate is 24.0%
 * against a benchmark of 45.0% (47% short): make it the next key
 * result." */
static const char *sentence(okra_diagnosis *d, const okra_diag_candidate *c)
{
	const okra_workspace *ws = d->ws;
	const okra_metric *m = &ws->metrics[c->metric];
	const char *ns = ws->metrics[d->north_star].id;
	okra_arena *a = &d->arena;
	okra_buf b = {0};
	okra__buf_printf(&b, "%s ",
	                 m->entity == OKRA_ENTITY_USER ? "Users" : "Accounts");
	if (m->type == OKRA_METRIC_CONVERSION)
		okra__buf_printf(&b, "that convert in %s", m->id);
	else
		okra__buf_printf(&b, "that reach the %s threshold", m->id);
	okra__buf_printf(&b,
	                 " are %.1f× (%.1f× .. %.1f×) as likely to count in "
	                 "%s as those that do not (%.0f%% of %.0f against "
	                 "%.0f%% of %.0f); %s is %s against a benchmark of "
	                 "%s (%.0f%% short)",
	                 c->lift, c->lift_low, c->lift_high, ns,
	                 100 * c->met_active / c->met, c->met,
	                 100 * c->not_met_active / c->not_met, c->not_met,
	                 m->id, fmt(a, m, c->value), fmt(a, m, c->benchmark),
	                 100 * c->gap);
	if (c->lift_low > 1)
		okra__buf_puts(&b, ": make it the next key result.");
	else
		okra__buf_puts(&b, ", but the interval reaches 1×, so the "
		                   "association may be chance: look again with "
		                   "more data before making it a key result.");
	const char *s = b.failed ? NULL : okra__arena_strdup(a, b.data);
	okra__buf_free(&b);
	return s;
}

/* ---------------------------------------------------------------------
 * Evaluation
 * --------------------------------------------------------------------- */

/* Fills candidate c of metric mi from the result (8 weekly days). */
static void fill(okra_diagnosis *d, okra_diag_candidate *c, int mi,
                 const okra_result *r, bool counted)
{
	const okra_workspace *ws = d->ws;
	const okra_metric *m = &ws->metrics[mi];
	okra_arena *a = &d->arena;
	*c = (okra_diag_candidate){.metric = mi,
	                           .id = m->id,
	                           .benchmark =
	                               m->has_benchmark ? m->benchmark : NAN,
	                           .lift = NAN,
	                           .lift_low = NAN,
	                           .lift_high = NAN,
	                           .met = NAN,
	                           .met_active = NAN,
	                           .not_met = NAN,
	                           .not_met_active = NAN};
	for (size_t i = 0; i < OKRA_DIAG_WEEKS; i++)
		c->weekly[i] = r ? okra__result_at(r, mi, 0, i) : NAN;
	c->value = c->weekly[OKRA_DIAG_WEEKS - 1];
	c->gap = okra__diag_gap(c->value, c->benchmark, m->direction);
	c->trend = okra__diag_trend(c->weekly, OKRA_DIAG_WEEKS);
	okra_outcome o;
	if (!has_lift_type(m))
		c->why_no_lift = okra__arena_printf(
		    a,
		    "lift is measured for conversion and threshold metrics; "
		    "%s is a %s metric",
		    m->id, okra__metric_types[m->type].name);
	else if (d->note)
		c->why_no_lift = d->note;
	else if (!counted || !r || !okra__result_outcome(r, mi, &o))
		c->why_no_lift = "the engine did not count the outcomes";
	else {
		c->met = o.met;
		c->met_active = o.met_active;
		c->not_met = o.not_met;
		c->not_met_active = o.not_met_active;
		okra__diag_lift(o.met_active, o.met, o.not_met_active,
		                o.not_met, &c->lift, &c->lift_low,
		                &c->lift_high);
		if (isnan(c->lift))
			c->why_no_lift = okra__arena_printf(
			    a,
			    "a count behind it is 0 (%.0f of %.0f that met it "
			    "and %.0f of %.0f that did not count in %s)",
			    o.met_active, o.met, o.not_met_active, o.not_met,
			    ws->metrics[d->north_star].id);
	}
	c->score = okra__diag_score(c->gap, c->lift);
}

/* What a diagnosis as of asof evaluates: the candidates (into cand; their
 * number returned), their ids then the north star's (into ids, n_ids of
 * them: cand and ids hold n_metrics + 1), at the weekly days. */
static size_t inputs_of(const okra_workspace *ws, int32_t asof, int *cand,
                        const char **ids, size_t *n_ids,
                        int32_t weeks[OKRA_DIAG_WEEKS])
{
	for (int i = 0; i < OKRA_DIAG_WEEKS; i++)
		weeks[i] = asof - 7 * (OKRA_DIAG_WEEKS - 1 - i);
	size_t n = candidates_of(ws, cand);
	*n_ids = 0;
	for (size_t i = 0; i < n; i++)
		ids[(*n_ids)++] = ws->metrics[cand[i]].id;
	if (ws->settings.north_star.index >= 0)
		ids[(*n_ids)++] = ws->metrics[ws->settings.north_star.index].id;
	return n;
}

okra_rc okra__diagnose_at(okra_engine *e, int32_t asof, okra_diagnosis **out,
                          okra_err *err)
{
	const okra_workspace *ws = okra__engine_workspace(e);
	okra_result *r = NULL;
	int *cand = calloc(ws->n_metrics + 1, sizeof(int));
	const char **ids = calloc(ws->n_metrics + 2, sizeof(*ids));
	okra_diagnosis *d = calloc(1, sizeof(*d));
	okra_rc rc = OKRA_OK;
	if (!cand || !ids || !d) {
		rc = nomem(err);
		goto out;
	}
	d->ws = ws;
	d->asof = asof;
	d->north_star = ws->settings.north_star.index;
	d->ns_value = NAN;
	d->bottleneck = -1;
	d->data_last =
	    okra__engine_first_day(e) >= 0 ? okra__engine_last_day(e) : -1;
	d->note = north_star_note(ws, &d->arena);
	size_t n_ids, n = inputs_of(ws, asof, cand, ids, &n_ids, d->weeks);
	/* One pass; none at all when there is nothing to evaluate (no ids
	 * would mean every metric). */
	if (n_ids &&
	    (rc = okra__engine_eval_outcomes(
	         e, ids, n_ids, d->weeks, OKRA_DIAG_WEEKS, asof,
	         d->note ? NULL : &ws->metrics[d->north_star], &r, err)))
		goto out;
	if (r && d->north_star >= 0)
		d->ns_value =
		    okra__result_at(r, d->north_star, 0, OKRA_DIAG_WEEKS - 1);
	d->candidates =
	    okra__arena_alloc(&d->arena, (n + 1) * sizeof(*d->candidates));
	if (!d->candidates) {
		rc = nomem(err);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		fill(d, &d->candidates[i], cand[i], r, !d->note);
	d->n_candidates = n;
	okra__diag_rank(d->candidates, n);
	if (n && d->candidates[0].score > 0) {
		d->bottleneck = 0;
		d->is_supported = d->candidates[0].lift_low > 1;
		d->sentence = sentence(d, &d->candidates[0]);
	}
	if (d->arena.failed)
		rc = nomem(err);
out:
	okra_result_free(r);
	free(cand);
	free(ids);
	if (rc) {
		okra_diagnosis_free(d);
		return rc;
	}
	*out = d;
	return OKRA_OK;
}

okra_rc okra_diagnose_run(okra_engine *e, const char *asof,
                          okra_diagnosis **out, okra_err *err)
{
	int32_t day = okra__engine_last_day(e);
	okra_rc rc;
	if (asof && (rc = okra__engine_day(e, asof, "asof", &day, err)))
		return rc;
	return okra__diagnose_at(e, day, out, err);
}

okra_rc okra_diagnose_sql(okra_engine *e, const char *asof, FILE *out,
                          okra_err *err)
{
	const okra_workspace *ws = okra__engine_workspace(e);
	int32_t day = okra__engine_last_day(e);
	okra_rc rc;
	if (asof && (rc = okra__engine_day(e, asof, "asof", &day, err)))
		return rc;
	int *cand = calloc(ws->n_metrics + 1, sizeof(int));
	const char **ids = calloc(ws->n_metrics + 2, sizeof(*ids));
	okra_arena a = {0};
	if (!cand || !ids) {
		rc = nomem(err);
		goto out;
	}
	int32_t weeks[OKRA_DIAG_WEEKS];
	size_t n_ids;
	inputs_of(ws, day, cand, ids, &n_ids, weeks);
	if (!n_ids) {
		rc = okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                   "okra diagnose has nothing to evaluate: "
		                   "okra.yaml names no north star and no level "
		                   "3-4 metric has a benchmark");
		goto out;
	}
	const char *note = north_star_note(ws, &a);
	rc = okra__engine_sql_outcomes(
	    e, ids, n_ids, weeks, OKRA_DIAG_WEEKS, day,
	    note ? NULL : &ws->metrics[ws->settings.north_star.index], out,
	    err);
out:
	okra__arena_free(&a);
	free(cand);
	free(ids);
	return rc;
}

void okra_diagnosis_free(okra_diagnosis *d)
{
	if (!d)
		return;
	okra__arena_free(&d->arena);
	free(d);
}
