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
 *   input gap     the north-star input furthest behind its benchmark,
 *                 worded as the gap it is (no effect is claimed);
 *   lint          each lint error and warning.
 */
#include "review/review_int.h"
#include "okr/tree.h"

#include "model/format.h"

#include <math.h>
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

static void input_gap(okra_review *r, size_t cap)
{
	okra_arena *a = &r->arena;
	const okra_dash_row *worst = NULL;
	double worst_gap = 0;
	for (size_t i = 0; i < r->n_ns_inputs; i++) {
		const okra_dash_row *row = &r->ns_inputs[i];
		if (isnan(row->benchmark) || isnan(row->current) ||
		    row->benchmark == 0)
			continue;
		double gap =
		    (row->benchmark - row->current) / fabs(row->benchmark);
		if (row->metric->direction == OKRA_DIR_DOWN)
			gap = -gap;
		if (gap > worst_gap) {
			worst_gap = gap;
			worst = row;
		}
	}
	if (!worst)
		return;
	const okra_metric *m = worst->metric;
	add(r, cap, OKRA_SUGGEST_INPUT_GAP, m->id,
	    okra__arena_printf(
	        a,
	        "Of the north star's inputs, %s is furthest from its "
	        "benchmark: %s against %s (%.0f%% short). That is a gap to a "
	        "benchmark, not a measured effect on %s.",
	        m->id, okra__fmt(a, m, worst->is_count, worst->current),
	        okra__fmt(a, m, worst->is_count, worst->benchmark),
	        worst_gap * 100,
	        r->north_star ? r->north_star->id : "the north star"));
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

void okra__suggest(okra_review *r, okra_engine *e)
{
	size_t cap = 4 * r->n_krs + 1 + okra_findings_count(r->findings);
	r->suggestions =
	    okra__arena_alloc(&r->arena, (cap + 1) * sizeof(okra_suggestion));
	if (!r->suggestions)
		return;
	recover(r, cap);
	drivers(r, e, cap);
	stale(r, cap);
	ahead(r, cap);
	input_gap(r, cap);
	lint(r, cap);
}
