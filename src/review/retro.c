/*
 * retro.c - okra retro QUARTER: the quarterly retrospective of the OKR
 * design.  The review as of the quarter's last day with data gives the
 * final score of every key result and objective; the stored reviews
 * (okra review --save) say how often the quarter was reviewed and what
 * the last one showed; the experiments on the key results, read out with
 * the team's recorded decisions, say which hypotheses were tested and
 * whether the metric moved with them or without them; lint.disable and
 * lint_ignore say which rules were waived.  Calibration: calibrated
 * targets are meant to be hit about 7 times in 10, so the share hit is
 * set against 70% with its binomial chance.
 */
#include "okra.h"
#include "query/query.h"
#include "review/retro.h"
#include "state/state.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool in_quarter(const okra_retro *t, const okra_objective *o)
{
	return o->has_quarter
	           ? o->quarter.first == t->q.first
	           : okra__quarter_of(
	                 t->asof, t->review->ws->settings.fiscal_start_month)
	                     .first == t->q.first;
}

/* The stored reviews dated in the quarter, newest first; the snapshot
 * of each key result in the last one. */
static okra_rc read_reviews(okra_retro *t, okra_state *st, okra_err *err)
{
	t->first_review = t->last_review = -1;
	int32_t before = t->asof + 1;
	bool newest = true;
	while (st) {
		okra_snapshot *s = NULL;
		size_t n = 0;
		int32_t day = -1;
		okra_rc rc = okra__state_review_prev(st, before, &t->arena,
		                                     &day, &s, &n, err);
		if (rc)
			return rc;
		if (day < 0 || day < t->q.first)
			break;
		t->n_reviews++;
		t->first_review = day;
		if (newest) {
			t->last_review = day;
			for (size_t i = 0; i < t->n_krs; i++)
				for (size_t j = 0; j < n; j++) {
					okra_retro_kr *k = &t->krs[i];
					if (strcmp(s[j].kr, k->k->kr->id) != 0)
						continue;
					k->has_snapshot = true;
					k->snap_score = s[j].score;
					k->snap_status = s[j].status;
				}
			newest = false;
		}
		before = day;
	}
	return OKRA_OK;
}

static okra_retro_kr *kr_of(okra_retro *t, int kr_index)
{
	const okra_workspace *ws = t->review->ws;
	for (size_t i = 0; i < t->n_krs; i++)
		if (t->krs[i].k->kr == &ws->key_results[kr_index])
			return &t->krs[i];
	return NULL;
}

/* Reads out every experiment on a key result of the quarter as of the
 * retro's day, with the team's latest decision. */
static okra_rc read_experiments(okra_retro *t, okra_engine *e, okra_state *st,
                                okra_err *err)
{
	const okra_workspace *ws = t->review->ws;
	t->exps = okra__arena_alloc(&t->arena,
	                            (ws->n_experiments + 1) * sizeof(*t->exps));
	if (!t->exps)
		return okra__nomem(err);
	for (size_t i = 0; i < ws->n_experiments; i++) {
		const okra_experiment *x = &ws->experiments[i];
		okra_retro_kr *k = x->key_result.index >= 0
		                       ? kr_of(t, x->key_result.index)
		                       : NULL;
		if (!k)
			continue;
		okra_retro_exp *re = &t->exps[t->n_exps++];
		re->x = x;
		re->kr = k;
		re->started = x->start < 0 || x->start <= t->asof;
		okra_err xerr = {0};
		okra_rc rc = okra__exp_readout(e, st, x, t->asof, &t->arena,
		                               &re->r, &xerr);
		if (rc == OKRA_ERR_NOMEM)
			return okra__nomem(err);
		if (rc) {
			re->r = NULL;
			re->error = okra__arena_strdup(&t->arena, xerr.msg);
		} else {
			re->started = re->r->status != OKRA_EXP_NOT_STARTED;
			re->recorded = re->r->has_recorded;
			re->decision =
			    re->r->has_recorded
			        ? re->r->recorded
			        : okra__exp_decision_names[re->r->decision];
		}
		if (!re->started)
			continue;
		k->n_experiments++;
		if (re->decision && strcmp(re->decision, "ship") == 0)
			k->n_shipped++;
	}
	return OKRA_OK;
}

static bool same_text(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

/* Hypotheses tested: an experiment on the key result with the same
 * hypothesis that started by the retro's day. */
static void hypotheses(okra_retro *t)
{
	for (size_t i = 0; i < t->n_krs; i++) {
		okra_retro_kr *k = &t->krs[i];
		const okra_key_result *kr = k->k->kr;
		k->n_hypotheses = kr->n_hypotheses;
		for (size_t h = 0; h < kr->n_hypotheses; h++) {
			const char *text = kr->hypotheses[h].text;
			if (okra__text_is_placeholder(text)) {
				k->n_placeholders++;
				continue;
			}
			for (size_t x = 0; x < t->n_exps; x++)
				if (t->exps[x].kr == k && t->exps[x].started &&
				    same_text(t->exps[x].x->hypothesis, text)) {
					k->n_tested++;
					break;
				}
		}
		t->n_hypotheses += k->n_hypotheses;
		t->n_tested += k->n_tested;
		t->n_placeholders += k->n_placeholders;
	}
}

static bool has_contributions(const okra_retro *t, const okra_key_result *kr)
{
	const okra_workspace *ws = t->review->ws;
	for (size_t i = 0; i < ws->n_objectives; i++)
		if (ws->objectives[i].parent_kr >= 0 &&
		    &ws->key_results[ws->objectives[i].parent_kr] == kr)
			return true;
	return false;
}

/* Whether the metric moved, and whether that agrees with the
 * experiments. */
static void assess(okra_retro *t)
{
	for (size_t i = 0; i < t->n_krs; i++) {
		okra_retro_kr *k = &t->krs[i];
		const okra_kr_eval *ke = k->k;
		if (ke->kr->kind != OKRA_KR_MOVE || !ke->metric ||
		    ke->light == OKRA_LIGHT_NO_DATA)
			continue;
		k->calibrated = true;
		k->hit = ke->light == OKRA_LIGHT_DONE;
		t->n_calibrated++;
		t->n_hit += k->hit;
		double p = ke->progress;
		if (k->hit || (!isnan(p) && p >= OKRA_RETRO_MOVED_PROGRESS))
			k->moved = OKRA_RETRO_MOVED;
		else if (isnan(p) || p < OKRA_RETRO_FLAT_PROGRESS)
			k->moved = OKRA_RETRO_FLAT;
		else
			k->moved = OKRA_RETRO_SOME;
		/* A key result others contribute to moves by their
		 * experiments: only its own flat metric is worth a line. */
		bool parent = has_contributions(t, ke->kr);
		if (k->moved == OKRA_RETRO_MOVED && !k->n_shipped && !parent)
			k->mismatch = okra__arena_printf(
			    &t->arena,
			    "the metric moved %s: look for what else moved it "
			    "(another team, the season, the market) before "
			    "crediting the plan",
			    k->n_experiments ? "while none of its experiments "
			                       "shipped"
			                     : "with no experiment on it");
		else if (k->moved == OKRA_RETRO_FLAT && k->n_shipped)
			k->mismatch = okra__arena_printf(
			    &t->arena,
			    "%zu experiment%s shipped yet the metric did not "
			    "move: "
			    "the effect was too small, or reached too few, at "
			    "the "
			    "key result's scale",
			    k->n_shipped, k->n_shipped == 1 ? "" : "s");
	}
	t->p_below = t->p_above = NAN;
	if (t->n_calibrated) {
		unsigned n = (unsigned)t->n_calibrated, h = (unsigned)t->n_hit;
		t->p_below = gsl_cdf_binomial_P(h, 0.7, n);
		t->p_above = h ? gsl_cdf_binomial_Q(h - 1, 0.7, n) : 1.0;
	}
}

static okra_rc add_waiver(okra_retro *t, size_t *cap, const char *rule,
                          const char *scope, okra_pos pos, okra_err *err)
{
	okra_retro_waiver *w = okra__arena_grow(
	    &t->arena, t->waivers, cap, t->n_waivers, sizeof(*t->waivers), 8);
	if (!w || !scope)
		return okra__nomem(err);
	t->waivers = w;
	w[t->n_waivers++] =
	    (okra_retro_waiver){.rule = rule, .scope = scope, .pos = pos};
	return OKRA_OK;
}

static okra_rc waivers(okra_retro *t, okra_err *err)
{
	const okra_workspace *ws = t->review->ws;
	size_t cap = 0;
	okra_rc rc = OKRA_OK;
	for (size_t i = 0; i < ws->settings.n_lint_disable && !rc; i++)
		rc = add_waiver(t, &cap, ws->settings.lint_disable[i],
		                "okra.yaml lint.disable",
		                (okra_pos){.file = "okra.yaml"}, err);
	for (size_t i = 0; i < t->n_objectives && !rc; i++) {
		const okra_objective *o = t->objectives[i]->obj;
		for (size_t j = 0; j < o->n_lint_ignore && !rc; j++)
			rc = add_waiver(t, &cap, o->lint_ignore[j],
			                okra__arena_printf(
			                    &t->arena, "objective %s", o->id),
			                o->pos, err);
	}
	for (size_t i = 0; i < t->n_krs && !rc; i++) {
		const okra_key_result *kr = t->krs[i].k->kr;
		for (size_t j = 0; j < kr->n_lint_ignore && !rc; j++)
			rc = add_waiver(t, &cap, kr->lint_ignore[j],
			                okra__arena_printf(
			                    &t->arena, "key result %s", kr->id),
			                kr->pos, err);
	}
	t->suppressed_disable = okra_findings_suppressed(
	    t->review->findings, OKRA_SUPPRESSED_DISABLE);
	t->suppressed_ignore = okra_findings_suppressed(t->review->findings,
	                                                OKRA_SUPPRESSED_IGNORE);
	return rc;
}

static okra_rc collect(okra_retro *t, okra_err *err)
{
	okra_review *r = t->review;
	t->objectives = okra__arena_alloc(
	    &t->arena, (r->n_objectives + 1) * sizeof(*t->objectives));
	t->krs = okra__arena_alloc(&t->arena, (r->n_krs + 1) * sizeof(*t->krs));
	if (!t->objectives || !t->krs)
		return okra__nomem(err);
	for (size_t i = 0; i < r->n_objectives; i++) {
		const okra_obj_eval *o = &r->objectives[i];
		if (!in_quarter(t, o->obj))
			continue;
		t->objectives[t->n_objectives++] = o;
		for (size_t j = 0; j < o->n_krs; j++)
			t->krs[t->n_krs++] =
			    (okra_retro_kr){.k = &o->krs[j], .snap_score = NAN};
	}
	return OKRA_OK;
}

okra_rc okra_retro_run(okra_engine *e, const char *quarter, okra_retro **out,
                       okra_err *err)
{
	const okra_workspace *ws = okra__engine_workspace(e);
	*out = NULL;
	okra_quarter q;
	if (!quarter ||
	    !okra__parse_quarter(quarter, ws->settings.fiscal_start_month, &q))
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "\"%s\" is not a quarter: write YYYY-Qn, "
		                     "such as 2026-Q4",
		                     quarter ? quarter : "");
	int32_t first = okra__engine_first_day(e);
	int32_t last = okra__engine_last_day(e);
	if (first >= 0 && last < q.first) {
		char day[11];
		okra__format_date(last, day);
		return okra__err_set(
		    err, OKRA_ERR_USAGE, NULL, 0, 0,
		    "%s has not started in the data (the data "
		    "ends on %s): a retrospective looks back on "
		    "a quarter",
		    quarter, day);
	}
	okra_retro *t = calloc(1, sizeof(*t));
	if (!t)
		return okra__nomem(err);
	t->q = q;
	t->asof = first >= 0 && last < q.last ? last : q.last;
	t->quarter_over = t->asof == q.last;
	okra_state *st = NULL;
	okra_review_options opt = {
	    .asof = t->asof, .lint = true, .lint_data = true};
	okra_rc rc = okra__state_open(ws, false, &st, err);
	if (!rc)
		rc = okra__review_build(e, st, &opt, &t->review, err);
	if (!rc)
		rc = collect(t, err);
	if (!rc)
		rc = read_reviews(t, st, err);
	if (!rc)
		rc = read_experiments(t, e, st, err);
	if (!rc) {
		hypotheses(t);
		assess(t);
		rc = waivers(t, err);
	}
	if (!rc && t->arena.failed)
		rc = okra__nomem(err);
	okra__state_close(st);
	if (rc) {
		okra_retro_free(t);
		return rc;
	}
	*out = t;
	return OKRA_OK;
}

void okra_retro_free(okra_retro *t)
{
	if (!t)
		return;
	okra__review_free(t->review);
	okra__arena_free(&t->arena);
	free(t);
}
