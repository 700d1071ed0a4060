/*
 * suggest.c - "What should we change?" (SPEC 6), derived from the
 * evaluated review, never canned: every sentence names the numbers it
 * comes from.  In order:
 *   recover       each red key result: weeks left, the change per week it
 *                 needs, and the pace so far;
 *   drivers       each red or yellow key result whose metric is in a KPI
 *                 tree: the top driver of its change over the last week
 *                 and the segment it came from (okr/tree.c);
 *   stale target  a key result past its target for the last two weeks or
 *                 more while the quarter runs: the target no longer asks
 *                 for anything;
 *   ahead         a key result whose progress leads the calendar by at
 *                 least red_gap: shift effort to the worst red one;
 *   bottleneck    okra diagnose's bottleneck when its lift's interval
 *                 lies above 1 (okr/diagnose.c), in its own sentence;
 *   input gap     else the candidate furthest short of its benchmark,
 *                 worded as the gap it is, with what its lift says (no
 *                 effect is claimed);
 *   anomalies     each metric with anomalies in the review's week
 *                 (okr/anomalies.c): its strongest day, the segment to
 *                 look into and the key results that use the metric;
 *   lint          each lint error and warning.
 */
#include "review/review_int.h"
#include "okr/anomalies.h"
#include "okr/diagnose.h"
#include "okr/tree.h"

#include "model/format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void add(okra_review *r, size_t cap, okra_suggestion_kind kind,
                const char *subject, const char *text)
{
	if (r->n_suggestions >= cap || !text)
		return;
	r->suggestions[r->n_suggestions++] =
	    (okra_suggestion){.kind = kind, .subject = subject, .text = text};
}

static double weeks_between(int32_t a, int32_t b)
{
	return (double)(b - a) / 7.0;
}

/* The pace so far, per week: the one trend's slope, else the straight
 * line from the baseline at the quarter's start. */
static double pace(const okra_review *r, const okra_kr_eval *k)
{
	if (!isnan(k->pace))
		return k->pace;
	double w = weeks_between(k->q0 - 1, r->asof < k->q1 ? r->asof : k->q1);
	return w > 0 ? (k->current - k->baseline) / w : NAN;
}

static void recover(okra_review *r, size_t cap)
{
	okra_arena *a = &r->arena;
	for (size_t i = 0; i < r->n_krs; i++) {
		const okra_kr_eval *k = &r->krs[i];
		if (k->light != OKRA_LIGHT_RED || !k->metric)
			continue;
		const okra_metric *m = k->metric;
		const char *now = okra__fmt(a, m, k->is_count, k->current);
		const char *target = okra__fmt(a, m, k->is_count, k->target);
		if (k->kr->kind != OKRA_KR_MOVE) {
			add(r, cap, OKRA_SUGGEST_RECOVER, k->kr->id,
			    okra__arena_printf(
			        a,
			        "%s is red: %s is %s now, on the wrong side of "
			        "%s; %.0f%% of the quarter's weeks so far were "
			        "on the right side.",
			        k->kr->id, m->id, now, target,
			        isnan(k->score) ? 0.0 : k->score * 100));
			continue;
		}
		double left = weeks_between(r->asof, k->q1);
		if (left <= 0) {
			add(r, cap, OKRA_SUGGEST_RECOVER, k->kr->id,
			    okra__arena_printf(
			        a,
			        "%s ended red: %s reached %s against a target "
			        "of %s (score %.2f); carry the lesson into "
			        "next quarter's key result.",
			        k->kr->id, m->id, now, target, k->score));
			continue;
		}
		double need = (k->target - k->current) / left;
		add(r, cap, OKRA_SUGGEST_RECOVER, k->kr->id,
		    okra__arena_printf(
		        a,
		        "%s is red: %s is %s against %s expected by now "
		        "(progress %.0f%% with %.0f%% of the quarter gone). "
		        "With %.1f weeks left it needs %s per week to reach "
		        "%s; the pace so far is %s per week.",
		        k->kr->id, m->id, now,
		        okra__fmt(a, m, k->is_count, k->expected),
		        k->progress * 100, k->elapsed * 100, left,
		        okra__fmt_delta(a, m, false, need), target,
		        okra__fmt_delta(a, m, false, pace(r, k))));
	}
}

static void drivers(okra_review *r, okra_engine *e, size_t cap)
{
	char day[11];
	okra__format_date(r->asof, day);
	for (size_t i = 0; e && i < r->n_krs; i++) {
		const okra_kr_eval *k = &r->krs[i];
		if ((k->light != OKRA_LIGHT_RED &&
		     k->light != OKRA_LIGHT_YELLOW) ||
		    !k->metric)
			continue;
		const char *s =
		    okra__tree_kr_driver(e, k->metric, r->asof, k->kr->where,
		                         k->kr->n_where, &r->arena);
		if (s)
			add(r, cap, OKRA_SUGGEST_RECOVER, k->kr->id,
			    okra__arena_printf(
			        &r->arena, "%s (%s): in the week to %s%s%s, %s",
			        k->kr->id, okra__light_names[k->light], day,
			        k->pin ? ", where " : "", k->pin ? k->pin : "",
			        s));
	}
}

/* Weeks at the end of the quarter's weekly values that are past target. */
static size_t weeks_past(const okra_kr_eval *k)
{
	size_t n = 0;
	for (size_t i = k->n_weeks; i-- > 0;) {
		double v = k->week_values[i];
		if (isnan(v) || (k->decreasing ? v > k->target : v < k->target))
			break;
		n++;
	}
	return n;
}

static void stale(okra_review *r, size_t cap)
{
	okra_arena *a = &r->arena;
	for (size_t i = 0; i < r->n_krs; i++) {
		const okra_kr_eval *k = &r->krs[i];
		if (k->light != OKRA_LIGHT_DONE ||
		    k->kr->kind != OKRA_KR_MOVE || r->asof >= k->q1)
			continue;
		size_t n = weeks_past(k);
		if (n < 2)
			continue;
		const okra_metric *m = k->metric;
		char since[11];
		okra__format_date(k->week_days[k->n_weeks - n], since);
		add(r, cap, OKRA_SUGGEST_STALE_TARGET, k->kr->id,
		    okra__arena_printf(
		        a,
		        "%s has been past its target of %s for %zu weekly "
		        "values (since %s; %s now) with %.1f weeks of the "
		        "quarter left: raise the target%s%s, or call it done "
		        "and move the effort.",
		        k->kr->id, okra__fmt(a, m, k->is_count, k->target), n,
		        since, okra__fmt(a, m, k->is_count, k->current),
		        weeks_between(r->asof, k->q1),
		        k->stretch_set ? " to the stretch " : "",
		        k->stretch_set
		            ? okra__fmt(a, m, k->is_count, k->stretch)
		            : ""));
	}
}

static const okra_kr_eval *worst_red(const okra_review *r)
{
	const okra_kr_eval *w = NULL;
	for (size_t i = 0; i < r->n_krs; i++) {
		const okra_kr_eval *k = &r->krs[i];
		if (k->light == OKRA_LIGHT_RED && !isnan(k->gap) &&
		    (!w || k->gap < w->gap))
			w = k;
	}
	return w;
}

static void ahead(okra_review *r, size_t cap)
{
	okra_arena *a = &r->arena;
	const okra_kr_eval *red = worst_red(r);
	for (size_t i = 0; i < r->n_krs; i++) {
		const okra_kr_eval *k = &r->krs[i];
		if (k->light != OKRA_LIGHT_GREEN || isnan(k->gap) ||
		    k->gap < r->ws->settings.red_gap)
			continue;
		add(r, cap, OKRA_SUGGEST_AHEAD, k->kr->id,
		    okra__arena_printf(
		        a,
		        "%s is far ahead: progress %.0f%% with %.0f%% of the "
		        "quarter gone (gap %+.2f). %s%s%s",
		        k->kr->id, k->progress * 100, k->elapsed * 100, k->gap,
		        red ? "Shift effort to " : "Consider a stretch target",
		        red ? red->kr->id : "",
		        red ? okra__arena_printf(
		                  a, ", the furthest behind (gap %+.2f).",
		                  red->gap)
		            : "."));
	}
}

/* The north star's bottleneck (okr/diagnose.c) when its lift is
 * measured to be above 1 (the interval too); else the candidate furthest
 * short of its benchmark, worded as the gap it is, with what the lift
 * says (or why there is none). */
static void bottleneck(okra_review *r, const okra_diagnosis *d, size_t cap)
{
	okra_arena *a = &r->arena;
	if (d->bottleneck >= 0 && d->is_supported) {
		add(r, cap, OKRA_SUGGEST_BOTTLENECK,
		    d->candidates[d->bottleneck].id,
		    okra__arena_strdup(a, d->sentence));
		return;
	}
	const okra_diag_candidate *c = okra__diag_widest_gap(d);
	if (!c)
		return;
	const okra_metric *m = &r->ws->metrics[c->metric];
	const char *ns =
	    d->north_star >= 0 ? r->ws->metrics[d->north_star].id : NULL;
	const char *lift;
	if (!isnan(c->lift))
		lift = okra__arena_printf(
		    a, "its lift on %s is %.1f× (%.1f× .. %.1f×), %s; ", ns,
		    c->lift, c->lift_low, c->lift_high,
		    c->lift <= 1 ? "no more than no difference"
		                 : "an interval that reaches 1×");
	else
		lift = okra__arena_printf(a, "it has no lift: %s; ",
		                          c->why_no_lift);
	bool count = okra__metric_is_count(m);
	add(r, cap, OKRA_SUGGEST_INPUT_GAP, m->id,
	    okra__arena_printf(
	        a,
	        "Of the diagnose candidates, %s is furthest from its "
	        "benchmark: %s against %s (%.0f%% short); %sso that is a gap "
	        "to a benchmark, not a measured effect on %s.",
	        m->id, okra__fmt(a, m, count, c->value),
	        okra__fmt(a, m, count, c->benchmark), c->gap * 100, lift,
	        ns ? ns : "the north star"));
}

/* Does metric m read metric of, itself or through ratio and formula
 * inputs? */
typedef struct reads_ctx {
	const okra_workspace *ws;
	int of;
	bool found;
	int depth;
} reads_ctx;

static void reads_input(int input, void *p)
{
	reads_ctx *c = p;
	if (input < 0 || c->found || c->depth > 64)
		return;
	if (input == c->of) {
		c->found = true;
		return;
	}
	c->depth++;
	okra__metric_inputs(&c->ws->metrics[input], reads_input, c);
	c->depth--;
}

static bool reads(const okra_workspace *ws, const okra_metric *m, int of)
{
	reads_ctx c = {.ws = ws, .of = of};
	reads_input((int)(m - ws->metrics), &c);
	return c.found;
}

/* The review's key results on metric mi or on a metric that reads it:
 * "early_invites and habitual_use"; NULL when none. */
static const char *krs_using(okra_review *r, int mi)
{
	okra_buf b = {0};
	size_t n = 0;
	for (size_t i = 0; i < r->n_krs; i++) {
		const okra_kr_eval *k = &r->krs[i];
		if (!k->metric || !reads(r->ws, k->metric, mi))
			continue;
		okra__buf_printf(&b, "%s%s", n ? ", " : "", k->kr->id);
		n++;
	}
	const char *s =
	    n && !b.failed ? okra__arena_strdup(&r->arena, b.data) : NULL;
	okra__buf_free(&b);
	return s;
}

/* One suggestion per metric with anomalies in the review's week: its
 * strongest day (the list is by date, then |z|: the first of the metric
 * with the largest |z|), the other days named, the segment to look at and
 * the key results whose numbers it moves. */
static void anomalies(okra_review *r, const okra_anomalies *l, size_t cap)
{
	okra_arena *a = &r->arena;
	bool *done = calloc(l->n_items + 1, 1);
	if (!done) {
		a->failed = true;
		return;
	}
	for (size_t i = 0; i < l->n_items; i++) {
		if (done[i])
			continue;
		/* The metric's strongest day: a flat baseline ranks first. */
		size_t best = i;
		for (size_t j = i; j < l->n_items; j++) {
			const okra_anomaly *x = &l->items[j],
			                   *y = &l->items[best];
			if (x->metric != l->items[i].metric)
				continue;
			double zx = isnan(x->st.z) ? INFINITY : fabs(x->st.z);
			double zy = isnan(y->st.z) ? INFINITY : fabs(y->st.z);
			if (zx > zy)
				best = j;
		}
		const okra_anomaly *an = &l->items[best];
		okra_buf b = {0}, others = {0};
		size_t n_others = 0;
		for (size_t j = i; j < l->n_items; j++)
			if (l->items[j].metric == an->metric) {
				done[j] = true;
				if (j == best)
					continue;
				char day[11];
				okra__format_date(l->items[j].date, day);
				okra__buf_printf(&others, "%s%s",
				                 n_others++ ? ", " : "", day);
			}
		char day[11];
		okra__format_date(an->date, day);
		okra__buf_printf(&b, "%s on %s was ", an->id, day);
		okra__anomaly_describe(&b, r->ws, an);
		if (n_others)
			okra__buf_printf(&b, " (also anomalous on %s)",
			                 others.data);
		okra__buf_puts(&b, ". Look into ");
		if (an->seg_attr)
			okra__buf_printf(&b, "%s=%s on that day", an->seg_attr,
			                 an->seg_value);
		else
			okra__buf_puts(&b, "that day");
		okra__buf_puts(&b, " (a release, an outage, a tracking "
		                   "change)");
		const char *krs = krs_using(r, an->metric);
		if (krs)
			okra__buf_printf(
			    &b,
			    " before acting on this week's numbers "
			    "of %s, the key result%s that use%s %s.",
			    krs, strchr(krs, ',') ? "s" : "",
			    strchr(krs, ',') ? "" : "s", an->id);
		else
			okra__buf_printf(
			    &b, "; none of the review's key results uses %s.",
			    an->id);
		if (b.failed || others.failed)
			a->failed = true;
		else
			add(r, cap, OKRA_SUGGEST_ANOMALY, an->id,
			    okra__arena_strdup(a, b.data));
		okra__buf_free(&b);
		okra__buf_free(&others);
	}
	free(done);
}

static void lint(okra_review *r, size_t cap)
{
	okra_arena *a = &r->arena;
	for (size_t i = 0; i < okra_findings_count(r->findings); i++) {
		const okra_finding *f = okra_findings_get(r->findings, i);
		if (f->severity < OKRA_WARNING)
			continue;
		add(r, cap, OKRA_SUGGEST_LINT, f->rule,
		    okra__arena_printf(a, "%s:%d: %s [%s]", f->file, f->line,
		                       f->message, f->rule));
	}
}

okra_rc okra__suggest(okra_review *r, okra_engine *e, okra_err *err)
{
	okra_diagnosis *d = NULL;
	okra_anomalies *l = NULL;
	okra_rc rc = OKRA_OK;
	/* Diagnose and anomalies read events: not in a workspace of check-ins
	 * alone. */
	if (e && okra_workspace_has_data(r->ws)) {
		/* The week of the review: its day and the six before. */
		okra_anomaly_opts o = {.asof = r->asof,
		                       .days = 7,
		                       .k = OKRA_ANOMALY_DEFAULT_K,
		                       .min_change = NAN};
		if ((rc = okra__diagnose_at(e, r->asof, &d, err)) ||
		    (rc = okra__anomalies_eval(e, &o, &l, err)))
			goto out;
	}
	size_t cap = 4 * r->n_krs + 1 + okra_findings_count(r->findings) +
	             (l ? l->n_items : 0);
	r->suggestions =
	    okra__arena_alloc(&r->arena, (cap + 1) * sizeof(okra_suggestion));
	if (!r->suggestions)
		goto out; /* the arena's failure is the caller's error */
	recover(r, cap);
	drivers(r, e, cap);
	stale(r, cap);
	ahead(r, cap);
	if (d)
		bottleneck(r, d, cap);
	if (l)
		anomalies(r, l, cap);
	lint(r, cap);
out:
	okra_diagnosis_free(d);
	okra_anomalies_free(l);
	return rc;
}
