/*
 * build.c - builds the weekly review from live data: evaluates every key
 * result with its segment pin, the north star and the balanced dashboard,
 * reads the previous review and confidence check-ins from the state, runs
 * lint (with the data-aware rules of lint_data.c) and derives the
 * suggestions (suggest.c).
 *
 * Key results are grouped by segment pin; each group is one evaluation
 * over the data at the union of the days its key results need (current,
 * auto baseline, the weeks of the quarter, the sparkline, the history of
 * quarter ends), so a review costs one pass per distinct pin.
 */
#include "review/review_int.h"

#include "okr/experiment.h"
#include "query/query.h"
#include "state/state.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------------
 * Days
 * --------------------------------------------------------------------- */

void okra__days_add(okra_days *d, int32_t day)
{
	int32_t *v = okra__grow(d->v, &d->cap, d->n, sizeof(*v), 64);
	if (!v) {
		d->failed = true;
		return;
	}
	d->v = v;
	d->v[d->n++] = day;
}

/* The ends of the periods of grain from `from` to `to` (the last is `to`
 * itself), as a series has them; empty when to < from. */
void okra__days_series(okra_days *d, const okra_workspace *ws, okra_grain g,
                       int32_t from, int32_t to)
{
	d->n = 0;
	if (to < from)
		return;
	int32_t *days = NULL;
	size_t n = 0;
	okra_err err;
	if (okra__series_dates(ws, g, from, to, 0, &days, &n, &err)) {
		d->failed = true;
		return;
	}
	for (size_t i = 0; i < n; i++)
		okra__days_add(d, days[i]);
	free(days);
}

/* ---------------------------------------------------------------------
 * Groups of key results by segment pin
 * --------------------------------------------------------------------- */

typedef struct group {
	const char *key; /* "" for no pin */
	const okra_where *pin;
	size_t n_pin;
	okra_days days;
	const char **ids; /* metric ids (duplicates are fine) */
	size_t n_ids, cap_ids;
	okra_result *res;
} group;

typedef struct builder {
	okra_engine *e;
	const okra_workspace *ws;
	okra_review *r;
	const okra_review_options *opt;
	int32_t first_day; /* of the events, -1 when none */
	group *groups;
	size_t n_groups;
	int *kr_group; /* per review KR */
	okra_days scratch;
} builder;

/* "tier=pro" or "tier=pro|team,region=eu": a canonical text of a pin. */
static const char *pin_key(okra_arena *a, const okra_where *w, size_t n)
{
	okra_buf b = {0};
	for (size_t i = 0; i < n; i++) {
		okra__buf_printf(&b, "%s%s=", i ? "," : "", w[i].key);
		for (size_t k = 0; k < w[i].n_values; k++)
			okra__buf_printf(&b, "%s%s", k ? "|" : "",
			                 w[i].values[k].text);
	}
	return okra__arena_take(a, &b);
}

static int group_of(builder *b, const char *key, const okra_where *pin,
                    size_t n_pin)
{
	for (size_t i = 0; i < b->n_groups; i++)
		if (strcmp(b->groups[i].key, key) == 0)
			return (int)i;
	group *g = realloc(b->groups, (b->n_groups + 1) * sizeof(*g));
	if (!g)
		return -1;
	b->groups = g;
	g = &b->groups[b->n_groups];
	memset(g, 0, sizeof(*g));
	g->key = key;
	g->pin = pin;
	g->n_pin = n_pin;
	return (int)b->n_groups++;
}

static bool group_metric(group *g, const char *id)
{
	const char **v =
	    okra__grow(g->ids, &g->cap_ids, g->n_ids, sizeof(*v), 16);
	if (!v)
		return false;
	g->ids = v;
	g->ids[g->n_ids++] = id;
	return true;
}

static void group_days(group *g, const okra_days *d)
{
	for (size_t i = 0; i < d->n; i++)
		okra__days_add(&g->days, d->v[i]);
	if (d->failed)
		g->days.failed = true;
}

/* ---------------------------------------------------------------------
 * What each key result needs
 * --------------------------------------------------------------------- */

/* The day a key result is graded at: the as-of day, the end of its
 * quarter when the review looks past it, and never a day after the data
 * ends (a manual metric's data are its check-ins, dated as they are). */
static void value_date(const builder *b, okra_kr_eval *k)
{
	int32_t asof = b->r->asof, d = asof;
	if (k->q1 >= 0 && d > k->q1)
		d = k->q1;
	if (k->metric && k->metric->type != OKRA_METRIC_MANUAL &&
	    b->r->data_last >= 0 && d > b->r->data_last)
		d = b->r->data_last;
	k->value_date = d;
	k->provisional = k->q1 >= 0 && asof >= k->q1 && d < k->q1;
}

static void kr_needs(builder *b, okra_kr_eval *k, group *g)
{
	const okra_workspace *ws = b->ws;
	value_date(b, k);
	int32_t end = k->value_date;
	okra__days_add(&g->days, end);
	okra__days_series(&b->scratch, ws, OKRA_GRAIN_WEEK, end - 12 * 7, end);
	group_days(g, &b->scratch); /* sparkline */
	if (k->q0 < 0)
		return;
	if (k->kr->baseline_kind == OKRA_BASELINE_AUTO)
		okra__days_add(&g->days, k->q0 - 1);
	okra__days_series(&b->scratch, ws, OKRA_GRAIN_WEEK, k->q0, end);
	group_days(g, &b->scratch); /* the weeks of the quarter */
	okra__days_series(&b->scratch, ws, OKRA_GRAIN_WEEK, k->q0 - 1 - 12 * 7,
	                  k->q0 - 1);
	group_days(g, &b->scratch); /* the trend before the quarter */
	if (b->opt->lint_data && b->first_day >= 0) {
		okra__days_series(&b->scratch, ws, OKRA_GRAIN_QUARTER,
		                  b->first_day, k->q0 - 1);
		group_days(g, &b->scratch); /* quarter ends before it */
	}
}

static double value_at(const group *g, const okra_metric *m,
                       const okra_workspace *ws, int32_t day)
{
	return okra__result_value(g->res, (int)(m - ws->metrics), day);
}

/* For the data-aware lint rules: the largest change between consecutive
 * quarter ends before the quarter. */
static void kr_history(builder *b, okra_kr_eval *k, const group *g)
{
	const okra_workspace *ws = b->ws;
	const okra_metric *m = k->metric;
	k->max_quarter_change = NAN;
	if (k->q0 < 0 || b->first_day < 0)
		return;
	okra__days_series(&b->scratch, ws, OKRA_GRAIN_QUARTER, b->first_day,
	                  k->q0 - 1);
	double prev = NAN;
	for (size_t i = 0; i < b->scratch.n; i++) {
		double x = value_at(g, m, ws, b->scratch.v[i]);
		if (!isnan(x) && !isnan(prev)) {
			double d = fabs(x - prev);
			if (isnan(k->max_quarter_change) ||
			    d > k->max_quarter_change)
				k->max_quarter_change = d;
			k->n_quarter_changes++;
		}
		prev = x;
	}
}

static size_t known(const double *v, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += !isnan(v[i]);
	return k;
}

/* The one trend (review.h): the weeks of the quarter when they hold 3
 * values, else the 13 weeks before it; the forecast, clamped to the
 * metric's domain, its outlook, and whether it disagrees with the light. */
static void kr_trend(builder *b, okra_kr_eval *k, const group *g)
{
	const okra_workspace *ws = b->ws;
	const okra_metric *m = k->metric;
	okra_arena *a = &b->r->arena;
	if (k->q1 < 0)
		return;
	if (known(k->week_values, k->n_weeks) >= 3) {
		okra__forecast(k->week_days, k->week_values, k->n_weeks, k->q1,
		               k->target, k->decreasing, a, &k->forecast);
	} else {
		okra__days_series(&b->scratch, ws, OKRA_GRAIN_WEEK,
		                  k->q0 - 1 - 12 * 7, k->q0 - 1);
		size_t n = b->scratch.n < 16 ? b->scratch.n : 16;
		double v[16];
		for (size_t i = 0; i < n; i++)
			v[i] = value_at(g, m, ws, b->scratch.v[i]);
		if (okra__forecast(b->scratch.v, v, n, k->q1, k->target,
		                   k->decreasing, NULL, &k->forecast))
			k->forecast.from_history = true;
	}
	double lo, hi;
	okra__metric_domain(m, &lo, &hi);
	okra__forecast_clamp(&k->forecast, lo, hi);
	k->outlook = okra__outlook(&k->forecast);
	k->pace = k->forecast.ok ? k->forecast.slope * 7.0 : NAN;
	k->pace_needed = NAN;
	if (k->kr->kind == OKRA_KR_MOVE && !isnan(k->baseline) && k->q1 > k->q0)
		k->pace_needed = (k->target - k->baseline) /
		                 ((double)(k->q1 - k->q0 + 1) / 7.0);
	k->disagrees =
	    (k->light == OKRA_LIGHT_GREEN &&
	     k->outlook == OKRA_OUTLOOK_OFF_TRACK) ||
	    (k->light == OKRA_LIGHT_RED && k->outlook == OKRA_OUTLOOK_ON_TRACK);
	if (!k->disagrees)
		return;
	char since[11];
	okra__format_date(k->q0, since);
	k->why = okra__arena_printf(
	    a,
	    "%s on the straight line from baseline to target, %s on the "
	    "trend: the pace %s is %s per week, the line needs %s per week "
	    "(P(hit) %.0f%%)",
	    okra__light_names[k->light],
	    k->outlook == OKRA_OUTLOOK_ON_TRACK ? "on track" : "off track",
	    k->forecast.from_history ? "of the 13 weeks before the quarter"
	                             : okra__arena_printf(a, "since %s", since),
	    okra__fmt_delta(a, m, false, k->pace),
	    okra__fmt_delta(a, m, false, k->pace_needed),
	    k->forecast.prob * 100);
}

/* Reads the values of a key result from its group and assesses it. */
static void kr_fill(builder *b, okra_kr_eval *k, const group *g)
{
	const okra_workspace *ws = b->ws;
	okra_arena *a = &b->r->arena;
	int32_t end = k->value_date;
	const okra_metric *m = k->metric;

	k->current = value_at(g, m, ws, end);
	if (k->kr->baseline_kind == OKRA_BASELINE_AUTO && k->q0 >= 0)
		k->baseline = value_at(g, m, ws, k->q0 - 1);

	/* Sparkline: the last weeks up to the end. */
	okra__days_series(&b->scratch, ws, OKRA_GRAIN_WEEK, end - 12 * 7, end);
	size_t first = b->scratch.n > OKRA_SPARK_POINTS
	                   ? b->scratch.n - OKRA_SPARK_POINTS
	                   : 0;
	for (size_t i = first; i < b->scratch.n; i++) {
		k->spark_days[k->n_spark] = b->scratch.v[i];
		k->spark[k->n_spark++] = value_at(g, m, ws, b->scratch.v[i]);
	}

	/* The weeks of the quarter. */
	if (k->q0 >= 0) {
		okra__days_series(&b->scratch, ws, OKRA_GRAIN_WEEK, k->q0, end);
		size_t n = b->scratch.n;
		k->week_days = okra__arena_alloc(a, (n + 1) * sizeof(int32_t));
		k->week_values = okra__arena_alloc(a, (n + 1) * sizeof(double));
		if (k->week_days && k->week_values) {
			for (size_t i = 0; i < n; i++) {
				k->week_days[i] = b->scratch.v[i];
				k->week_values[i] =
				    value_at(g, m, ws, b->scratch.v[i]);
			}
			k->n_weeks = n;
		}
	}

	okra_kr_input in = {
	    .kind = k->kr->kind,
	    .baseline = k->baseline,
	    .target = k->target,
	    .current = k->current,
	    .q0 = k->q0,
	    .q1 = k->q1,
	    .asof = end,
	    .yellow_gap = ws->settings.yellow_gap,
	    .red_gap = ws->settings.red_gap,
	    .metric_down = m->direction == OKRA_DIR_DOWN,
	    .days = k->week_days,
	    .values = k->week_values,
	    .n = k->n_weeks,
	};
	okra__kr_assess(&in, k);
	kr_trend(b, k, g);
	k->is_count = okra__result_is_count(g->res, (int)(m - ws->metrics));
	if (b->opt->lint_data)
		kr_history(b, k, g);
}

/* ---------------------------------------------------------------------
 * The review's shape: objectives and key results of the team
 * --------------------------------------------------------------------- */

static okra_rc check_team(const okra_workspace *ws, const char *team,
                          okra_err *err)
{
	if (!team || okra__find_team(ws, team) >= 0)
		return OKRA_OK;
	const char *near =
	    okra__nearest_id(team, ws->teams, ws->n_teams, sizeof(*ws->teams));
	if (near)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "unknown team '%s' (did you mean '%s'?)",
		                     team, near);
	return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
	                     "unknown team '%s'", team);
}

static bool in_team(const okra_objective *o, const char *team)
{
	return !team || (o->team.id && strcmp(o->team.id, team) == 0);
}

static okra_rc shape(builder *b, okra_err *err)
{
	const okra_workspace *ws = b->ws;
	okra_review *r = b->r;
	size_t n_obj = 0, n_kr = 0;
	for (size_t i = 0; i < ws->n_objectives; i++)
		if (in_team(&ws->objectives[i], r->team)) {
			n_obj++;
			n_kr += ws->objectives[i].n_krs;
		}
	r->objectives =
	    okra__arena_alloc(&r->arena, (n_obj + 1) * sizeof(okra_obj_eval));
	r->krs =
	    okra__arena_alloc(&r->arena, (n_kr + 1) * sizeof(okra_kr_eval));
	b->kr_group = calloc(n_kr + 1, sizeof(int));
	if (!r->objectives || !r->krs || !b->kr_group)
		return okra__nomem(err);
	for (size_t i = 0; i < ws->n_objectives; i++) {
		const okra_objective *o = &ws->objectives[i];
		if (!in_team(o, r->team))
			continue;
		okra_obj_eval *oe = &r->objectives[r->n_objectives++];
		oe->obj = o;
		oe->krs = &r->krs[r->n_krs];
		oe->n_krs = o->n_krs;
		for (size_t j = 0; j < o->n_krs; j++) {
			const okra_key_result *kr =
			    &ws->key_results[o->first_kr + (int)j];
			okra_kr_eval *k = &r->krs[r->n_krs++];
			k->kr = kr;
			k->metric = kr->metric.index >= 0 &&
			                    kr->kind != OKRA_KR_MILESTONE
			                ? &ws->metrics[kr->metric.index]
			                : NULL;
			k->q0 = o->has_quarter ? o->quarter.first : -1;
			k->q1 = o->has_quarter ? o->quarter.last : -1;
			k->baseline = kr->baseline_kind == OKRA_BASELINE_NUMBER
			                  ? kr->baseline
			                  : NAN;
			k->baseline_auto =
			    kr->baseline_kind == OKRA_BASELINE_AUTO;
			k->target = kr->has_target ? kr->target : NAN;
			k->stretch_set = kr->has_stretch;
			k->stretch = kr->has_stretch ? kr->stretch : NAN;
			k->current = k->expected = k->progress = k->gap = NAN;
			k->score = k->elapsed = NAN;
			k->prev_value = k->prev_score = NAN;
			k->confidence = -1;
			k->confidence_day = -1;
			k->due = kr->due;
			k->done_on = -1;
			k->forecast.value = k->forecast.prob = NAN;
			k->pin = kr->n_where ? pin_key(&r->arena, kr->where,
			                               kr->n_where)
			                     : NULL;
		}
	}
	return r->arena.failed ? okra__nomem(err) : OKRA_OK;
}

/* ---------------------------------------------------------------------
 * The dashboard and the north star (the group without pin)
 * --------------------------------------------------------------------- */

/* The balanced dashboard is short on purpose: the indicators someone
 * decided matter.  A leading or lagging metric is on it when a key result
 * of the review binds it, it is the north star or one of its inputs or
 * outputs, or it has a target for the quarter of the as-of day.  With
 * --team: key result metrics of the team, and the metrics the team owns
 * among the rest. */
static bool on_dashboard(const okra_review *r, const okra_metric *m)
{
	const okra_workspace_settings *s = &r->ws->settings;
	if (!okra__metric_is_leading(m) && !okra__metric_is_lagging(m))
		return false;
	for (size_t i = 0; i < r->n_krs; i++)
		if (r->krs[i].metric == m)
			return true;
	if (r->team && !(m->owner.id && strcmp(m->owner.id, r->team) == 0))
		return false;
	int mi = (int)(m - r->ws->metrics);
	bool chosen = s->north_star.index == mi;
	for (size_t i = 0; i < s->n_ns_inputs; i++)
		chosen |= s->ns_inputs[i].index == mi;
	for (size_t i = 0; i < s->n_ns_outputs; i++)
		chosen |= s->ns_outputs[i].index == mi;
	okra_quarter q = okra__quarter_of(r->asof, s->fiscal_start_month);
	for (size_t t = 0; t < m->n_targets; t++)
		chosen |= m->targets[t].period.first == q.first;
	return chosen;
}

static void dashboard_needs(builder *b, group *g)
{
	const okra_workspace *ws = b->ws;
	int32_t asof = b->r->asof;
	okra_quarter q =
	    okra__quarter_of(asof, ws->settings.fiscal_start_month);
	for (size_t i = 0; i < ws->n_metrics; i++) {
		const okra_metric *m = &ws->metrics[i];
		bool ns = ws->settings.north_star.index == (int)i;
		bool input = false;
		for (size_t k = 0; k < ws->settings.n_ns_inputs; k++)
			input |= ws->settings.ns_inputs[k].index == (int)i;
		if (!ns && !input && !on_dashboard(b->r, m))
			continue;
		group_metric(g, m->id);
	}
	okra__days_add(&g->days, asof);
	okra__days_add(&g->days, q.first - 1);
	okra__days_series(&b->scratch, ws, OKRA_GRAIN_WEEK, asof - 7 * 7, asof);
	group_days(g, &b->scratch);
	okra__days_series(&b->scratch, ws, OKRA_GRAIN_MONTH, asof - 7 * 31,
	                  asof);
	group_days(g, &b->scratch);
}

/* The spark of m: the last OKRA_SPARK_POINTS period ends of grain. */
static size_t spark_of(builder *b, const group *g, const okra_metric *m,
                       okra_grain grain, double *out)
{
	int32_t asof = b->r->asof;
	okra__days_series(&b->scratch, b->ws, grain,
	                  asof - (grain == OKRA_GRAIN_WEEK ? 7 * 7 : 7 * 31),
	                  asof);
	size_t first = b->scratch.n > OKRA_SPARK_POINTS
	                   ? b->scratch.n - OKRA_SPARK_POINTS
	                   : 0;
	size_t n = 0;
	for (size_t i = first; i < b->scratch.n; i++)
		out[n++] = value_at(g, m, b->ws, b->scratch.v[i]);
	return n;
}

/* The KR of the review on m without a pin, if any. */
static const okra_kr_eval *kr_on(const okra_review *r, const okra_metric *m)
{
	for (size_t i = 0; i < r->n_krs; i++)
		if (r->krs[i].metric == m && !r->krs[i].pin)
			return &r->krs[i];
	return NULL;
}

/* A row of the balanced dashboard (or of the north star's inputs): the
 * value, the sparkline of grain, the benchmark, and the target and light
 * of the review's KR on the metric, else of the metric's own target for
 * the quarter (the same trajectory from the day before the quarter). */
static void dash_row(builder *b, const group *g, okra_dash_row *row,
                     const okra_metric *m, okra_grain grain)
{
	const okra_workspace *ws = b->ws;
	int32_t asof = b->r->asof;
	okra_quarter q =
	    okra__quarter_of(asof, ws->settings.fiscal_start_month);
	row->metric = m;
	row->is_count = okra__result_is_count(g->res, (int)(m - ws->metrics));
	row->current = value_at(g, m, ws, asof);
	row->target = NAN;
	row->benchmark = m->has_benchmark ? m->benchmark : NAN;
	row->n_spark = spark_of(b, g, m, grain, row->spark);
	const okra_kr_eval *k = kr_on(b->r, m);
	if (k && !isnan(k->target)) {
		row->target = k->target;
		row->light = k->light;
		return;
	}
	for (size_t t = 0; t < m->n_targets; t++) {
		if (m->targets[t].period.first != q.first)
			continue;
		okra_kr_eval tmp = {0};
		okra_kr_input in = {
		    .kind = OKRA_KR_MOVE,
		    .target = m->targets[t].target,
		    .baseline = value_at(g, m, ws, q.first - 1),
		    .current = row->current,
		    .q0 = q.first,
		    .q1 = q.last,
		    .asof = asof,
		    .yellow_gap = ws->settings.yellow_gap,
		    .red_gap = ws->settings.red_gap,
		    .metric_down = m->direction == OKRA_DIR_DOWN,
		};
		okra__kr_assess(&in, &tmp);
		row->target = m->targets[t].target;
		row->light = tmp.light;
	}
}

static void dashboard_fill(builder *b, const group *g)
{
	const okra_workspace *ws = b->ws;
	okra_review *r = b->r;
	int32_t asof = r->asof;
	size_t n = 0;
	for (size_t i = 0; i < ws->n_metrics; i++)
		n += on_dashboard(r, &ws->metrics[i]);
	r->leading =
	    okra__arena_alloc(&r->arena, (n + 1) * sizeof(okra_dash_row));
	r->lagging =
	    okra__arena_alloc(&r->arena, (n + 1) * sizeof(okra_dash_row));
	r->ns_inputs = okra__arena_alloc(
	    &r->arena, (ws->settings.n_ns_inputs + 1) * sizeof(okra_dash_row));
	if (!r->leading || !r->lagging || !r->ns_inputs)
		return;
	for (size_t k = 0; k < ws->settings.n_ns_inputs; k++) {
		int i = ws->settings.ns_inputs[k].index;
		if (i < 0)
			continue;
		okra_dash_row *row = &r->ns_inputs[r->n_ns_inputs++];
		dash_row(b, g, row, &ws->metrics[i], OKRA_GRAIN_WEEK);
	}
	for (size_t i = 0; i < ws->n_metrics; i++) {
		const okra_metric *m = &ws->metrics[i];
		if (ws->settings.north_star.index == (int)i) {
			r->north_star = m;
			r->ns_current = value_at(g, m, ws, asof);
			r->ns_n_spark =
			    spark_of(b, g, m, OKRA_GRAIN_WEEK, r->ns_spark);
			r->ns_is_count = okra__result_is_count(g->res, (int)i);
		}
		if (!on_dashboard(r, m))
			continue;
		bool leading = okra__metric_is_leading(m);
		okra_dash_row *row = leading ? &r->leading[r->n_leading++]
		                             : &r->lagging[r->n_lagging++];
		dash_row(b, g, row, m,
		         leading ? OKRA_GRAIN_WEEK : OKRA_GRAIN_MONTH);
	}
}

/* Objective scores: every KR counts, one without data as 0. */
static void objective_scores(okra_review *r)
{
	for (size_t i = 0; i < r->n_objectives; i++) {
		okra_obj_eval *o = &r->objectives[i];
		double sum = 0;
		for (size_t j = 0; j < o->n_krs; j++)
			if (isnan(o->krs[j].score))
				o->n_no_data++;
			else
				sum += o->krs[j].score;
		o->score = o->n_krs
		               ? round(sum / (double)o->n_krs * 100.0) / 100.0
		               : NAN;
	}
}

/* ---------------------------------------------------------------------
 * State: the previous review, confidence check-ins, milestones
 * --------------------------------------------------------------------- */

/* A milestone as of the review: done from the day it was (last) marked
 * done; else red once past its due date, else open.  Score 1 or 0. */
static okra_rc grade_milestone(okra_review *r, okra_state *st, okra_kr_eval *k,
                               okra_err *err)
{
	okra_milestone *marks = NULL;
	size_t n = 0;
	okra_rc rc =
	    okra__state_milestones(st, k->kr->id, &r->arena, &marks, &n, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n && marks[i].day <= r->asof; i++)
		k->done_on = marks[i].done ? marks[i].day : -1;
	k->light = k->done_on >= 0                   ? OKRA_LIGHT_DONE
	           : k->due >= 0 && r->asof > k->due ? OKRA_LIGHT_RED
	                                             : OKRA_LIGHT_OPEN;
	k->score = k->done_on >= 0 ? 1.0 : 0.0;
	return OKRA_OK;
}

static okra_rc read_state(builder *b, okra_state *st, okra_err *err)
{
	okra_review *r = b->r;
	okra_snapshot *snaps = NULL;
	size_t n = 0;
	okra_rc rc = okra__state_review_prev(st, r->asof, &r->arena,
	                                     &r->prev_asof, &snaps, &n, err);
	if (rc)
		return rc;
	r->has_prev = n > 0;
	/* Check-ins dated after the as-of day are not in this review: count
	 * them, so the review can say so and name the day that shows them. */
	okra_checkin_row *rows = NULL;
	size_t n_rows = 0;
	if ((rc = okra__state_checkins(st, NULL, &r->arena, &rows, &n_rows,
	                               err)))
		return rc;
	r->late_checkin_last = -1;
	for (size_t i = 0; i < n_rows; i++)
		if (rows[i].day > r->asof) {
			r->n_late_checkins++;
			if (rows[i].day > r->late_checkin_last)
				r->late_checkin_last = rows[i].day;
		}
	for (size_t i = 0; i < r->n_krs; i++) {
		okra_kr_eval *k = &r->krs[i];
		for (size_t s = 0; s < n; s++) {
			if (strcmp(snaps[s].kr, k->kr->id) != 0)
				continue;
			k->has_prev = true;
			k->prev_asof = r->prev_asof;
			k->prev_value = snaps[s].value;
			k->prev_score = snaps[s].score;
			for (int l = 0; l < OKRA_LIGHT_COUNT; l++)
				if (snaps[s].status &&
				    strcmp(snaps[s].status,
				           okra__light_names[l]) == 0)
					k->prev_light = (okra_light)l;
		}
		if (k->kr->kind == OKRA_KR_MILESTONE &&
		    (rc = grade_milestone(r, st, k, err)))
			return rc;
		okra_confidence *c = NULL;
		size_t nc = 0;
		if ((rc = okra__state_confidences(st, k->kr->id, &r->arena, &c,
		                                  &nc, err)))
			return rc;
		while (nc && c[nc - 1].day > r->asof)
			nc--; /* as of the review: later check-ins not yet */
		k->n_confidence = nc;
		k->confidence_days =
		    okra__arena_alloc(&r->arena, (nc + 1) * sizeof(int32_t));
		k->confidence_values =
		    okra__arena_alloc(&r->arena, (nc + 1) * sizeof(int));
		for (size_t j = 0;
		     j < nc && k->confidence_days && k->confidence_values;
		     j++) {
			k->confidence_days[j] = c[j].day;
			k->confidence_values[j] = c[j].value;
		}
		if (nc) {
			k->confidence = c[nc - 1].value;
			k->confidence_day = c[nc - 1].day;
			k->confidence_note = c[nc - 1].note;
		}
	}
	return OKRA_OK;
}

/* ---------------------------------------------------------------------
 * What did we learn: hypotheses and their experiments
 * --------------------------------------------------------------------- */

static bool same_text(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

static void learnings(okra_review *r)
{
	const okra_workspace *ws = r->ws;
	size_t n = 0;
	for (size_t i = 0; i < r->n_krs; i++)
		n += r->krs[i].kr->n_hypotheses;
	n += ws->n_experiments;
	r->learnings =
	    okra__arena_alloc(&r->arena, (n + 1) * sizeof(okra_learning));
	if (!r->learnings)
		return;
	for (size_t i = 0; i < r->n_krs; i++) {
		const okra_key_result *kr = r->krs[i].kr;
		int kri = (int)(kr - ws->key_results);
		for (size_t h = 0; h < kr->n_hypotheses; h++) {
			okra_learning *l = &r->learnings[r->n_learnings++];
			l->kr = kr;
			l->hypothesis = kr->hypotheses[h].text;
			for (size_t x = 0; x < ws->n_experiments; x++)
				if (ws->experiments[x].key_result.index ==
				        kri &&
				    same_text(ws->experiments[x].hypothesis,
				              l->hypothesis))
					l->experiment = &ws->experiments[x];
		}
		/* Experiments on the KR whose hypothesis is not among the KR's.
		 */
		for (size_t x = 0; x < ws->n_experiments; x++) {
			const okra_experiment *ex = &ws->experiments[x];
			if (ex->key_result.index != kri)
				continue;
			bool listed = false;
			for (size_t h = 0; h < kr->n_hypotheses; h++)
				listed |= same_text(ex->hypothesis,
				                    kr->hypotheses[h].text);
			if (!listed) {
				okra_learning *l =
				    &r->learnings[r->n_learnings++];
				l->kr = kr;
				l->hypothesis =
				    ex->hypothesis ? ex->hypothesis : ex->id;
				l->experiment = ex;
			}
		}
	}
}

/* ---------------------------------------------------------------------
 * Build
 * --------------------------------------------------------------------- */

static okra_rc evaluate(builder *b, okra_err *err)
{
	okra_review *r = b->r;
	okra_arena *a = &r->arena;
	group *nopin = NULL;
	int g0 = group_of(b, "", NULL, 0);
	if (g0 < 0)
		return okra__nomem(err);
	for (size_t i = 0; i < r->n_krs; i++) {
		okra_kr_eval *k = &r->krs[i];
		b->kr_group[i] = -1;
		value_date(b, k);
		if (!k->metric)
			continue;
		const char *key = k->pin ? k->pin : "";
		int gi = group_of(b, key, k->kr->where, k->kr->n_where);
		if (gi < 0 || !group_metric(&b->groups[gi], k->metric->id))
			return okra__nomem(err);
		b->kr_group[i] = gi;
		kr_needs(b, k, &b->groups[gi]);
	}
	nopin = &b->groups[g0];
	dashboard_needs(b, nopin);
	for (size_t gi = 0; gi < b->n_groups; gi++) {
		group *g = &b->groups[gi];
		if (g->days.failed || b->scratch.failed)
			return okra__nomem(err);
		if (!g->n_ids || !g->days.n)
			continue;
		okra_rc rc = okra__engine_eval(b->e, g->ids, g->n_ids,
		                               g->days.v, g->days.n, g->pin,
		                               g->n_pin, &g->res, err);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < r->n_krs; i++)
		if (b->kr_group[i] >= 0)
			kr_fill(b, &r->krs[i], &b->groups[b->kr_group[i]]);
		else
			okra__kr_assess(
			    &(okra_kr_input){.kind = r->krs[i].kr->kind,
			                     .baseline = NAN,
			                     .target = NAN,
			                     .current = NAN,
			                     .q0 = r->krs[i].q0,
			                     .q1 = r->krs[i].q1,
			                     .asof = r->krs[i].value_date},
			    &r->krs[i]);
	if (nopin->res)
		dashboard_fill(b, nopin);
	if (b->opt->lint_data)
		okra__lint_data(r, b->first_day, r->findings);
	return a->failed ? okra__nomem(err) : OKRA_OK;
}

static void builder_free(builder *b)
{
	for (size_t i = 0; i < b->n_groups; i++) {
		okra_result_free(b->groups[i].res);
		free(b->groups[i].days.v);
		free(b->groups[i].ids);
	}
	free(b->groups);
	free(b->kr_group);
	free(b->scratch.v);
}

okra_rc okra__review_build(okra_engine *e, okra_state *st,
                           const okra_review_options *opt, okra_review **out,
                           okra_err *err)
{
	const okra_workspace *ws = okra__engine_workspace(e);
	okra_rc rc = check_team(ws, opt->team, err);
	if (rc)
		return rc;
	okra_review *r = calloc(1, sizeof(*r));
	if (!r)
		return okra__nomem(err);
	r->ws = ws;
	r->asof = opt->asof >= 0 ? opt->asof : okra__engine_last_day(e);
	r->team = opt->team ? okra__arena_strdup(&r->arena, opt->team) : NULL;
	r->prev_asof = -1;
	r->data_last =
	    okra__engine_first_day(e) >= 0 ? okra__engine_last_day(e) : -1;
	r->ns_current = NAN;
	r->findings = okra_findings_new();
	builder b = {.e = e,
	             .ws = ws,
	             .r = r,
	             .opt = opt,
	             .first_day = okra__engine_first_day(e)};
	if (!r->findings)
		rc = okra__nomem(err);
	if (rc == OKRA_OK)
		rc = shape(&b, err);
	if (rc == OKRA_OK && opt->lint)
		rc = okra_lint(ws, r->findings, err);
	if (rc == OKRA_OK)
		rc = evaluate(&b, err);
	if (rc == OKRA_OK && opt->lint_data && okra_workspace_has_data(ws))
		rc = okra__lint_refs(e, r->findings, err);
	if (rc == OKRA_OK)
		rc = read_state(&b, st, err);
	if (rc == OKRA_OK)
		objective_scores(r);
	if (rc == OKRA_OK)
		rc = okra__exp_review(e, st, r, err);
	if (rc == OKRA_OK && r->team) {
		/* Another team's findings are that team's to act on. */
		okra_findings *mine =
		    okra__findings_for_team(ws, r->team, r->findings);
		if (!mine)
			rc = okra__nomem(err);
		else {
			okra_findings_free(r->findings);
			r->findings = mine;
		}
	}
	if (rc == OKRA_OK) {
		learnings(r);
		okra_findings_sort(r->findings);
		rc = okra__suggest(r, e, err);
		if (rc == OKRA_OK && r->arena.failed)
			rc = okra__nomem(err);
	}
	builder_free(&b);
	if (rc) {
		okra__review_free(r);
		return rc;
	}
	*out = r;
	return OKRA_OK;
}

void okra__review_free(okra_review *r)
{
	if (!r)
		return;
	okra_findings_free(r->findings);
	okra__arena_free(&r->arena);
	free(r);
}

okra_rc okra__review_save(const okra_review *r, okra_state *st, okra_err *err)
{
	okra_snapshot *s = calloc(r->n_krs + 1, sizeof(*s));
	if (!s)
		return okra__nomem(err);
	for (size_t i = 0; i < r->n_krs; i++) {
		const okra_kr_eval *k = &r->krs[i];
		s[i] = (okra_snapshot){.kr = k->kr->id,
		                       .value = k->current,
		                       .expected = k->expected,
		                       .score = k->score,
		                       .status = okra__light_names[k->light]};
	}
	okra_rc rc = okra__state_review_save(st, r->asof, s, r->n_krs, err);
	free(s);
	return rc;
}
