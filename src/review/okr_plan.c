/*
 * okr_plan.c - okra plan: drafts next quarter's OKRs per team from the
 * data (the metrics to move, baselines measured now, calibrated targets)
 * and writes them as okrs/<quarter>-<team>.draft.yaml.
 *
 * One diagnostic run and one engine pass over the chosen metrics at the
 * weekly days of the history.  A draft file okra wrote starts with a
 * marker line holding the hash of the rest; a file without it, or whose
 * text no longer matches, was edited by a person and is never
 * overwritten.  Files are written beside and renamed (base/fs.h).
 */
#include "review/okr_plan.h"

#include "base/fs.h"
#include "okr/diagnose.h"
#include "query/query.h"
#include "review/review.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MARKER "# okra-draft: "

/* ---------------------------------------------------------------------
 * Team types: the metrics the method names for each
 * --------------------------------------------------------------------- */

const char *const okra__team_type_names[4] = {"activation", "core", "expansion",
                                              "platform"};

static const okra_type_metric activation_metrics[] = {
    {"activation_rate", "Activation rate"},
    {"time_to_first_value", "Time to first value"},
    {"onboarding_completion_rate", "Onboarding funnel completion"},
    {NULL, NULL},
};
static const okra_type_metric core_metrics[] = {
    {"feature_adoption", "Feature adoption (3 uses in 28 days)"},
    {"workflows_per_account", "Workflows per active account per week"},
    {"collaborating_accounts", "Accounts with several active users"},
    {NULL, NULL},
};
static const okra_type_metric expansion_metrics[] = {
    {"seat_pressure", "Accounts near their seat limit"},
    {"upgrade_prompt_conversion", "Upgrade-prompt conversion"},
    {"upgrader_like_usage", "Accounts using the product like upgraders"},
    {NULL, NULL},
};
static const okra_type_metric platform_metrics[] = {
    {"weekly_active_accounts", "Weekly active accounts"},
    {"support_tickets_per_account", "Support tickets per active account"},
    {NULL, NULL},
};

const okra_type_metric *okra__team_type_metrics(okra_team_type type)
{
	switch (type) {
	case OKRA_TEAM_ACTIVATION:
		return activation_metrics;
	case OKRA_TEAM_CORE:
		return core_metrics;
	case OKRA_TEAM_EXPANSION:
		return expansion_metrics;
	case OKRA_TEAM_PLATFORM:
		break;
	}
	return platform_metrics;
}

/* ---------------------------------------------------------------------
 * Calibration: pure arithmetic over the weekly values
 * --------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The p-quantile of sorted v[0..n), linear between order statistics. */
static double quantile(const double *v, size_t n, double p)
{
	if (n == 0)
		return NAN;
	double h = p * (double)(n - 1);
	size_t i = (size_t)h;
	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (h - (double)i) * (v[i + 1] - v[i]);
}

/* The precision a draft writes a value with: counts whole, shares to a
 * tenth of a point, hours to a tenth, the rest to 3 significant digits. */
static double step_of(const okra_calibration *c, double v)
{
	double lo, hi;
	okra__metric_domain(c->metric, &lo, &hi);
	if (c->is_count)
		return 1;
	if (hi == 1)
		return 0.001;
	if (c->metric->unit == OKRA_UNIT_HOURS)
		return 0.1;
	double a = fabs(v);
	if (!(a > 0))
		return 0.001;
	return pow(10, floor(log10(a)) - 2);
}

/* v rounded to the draft's precision, away from the trend. */
static double round_target(const okra_calibration *c, double v)
{
	double s = c->step;
	double r =
	    c->decreasing ? floor(v / s + 1e-9) * s : ceil(v / s - 1e-9) * s;
	return r;
}

double okra__calibration_chance(const okra_calibration *c, double value)
{
	if (!c->is_calibrated || isnan(value))
		return NAN;
	double sign = c->decreasing ? -1 : 1;
	double need = sign * (value - c->trend); /* beyond the trend */
	size_t half = 0, reach = 0;
	for (size_t i = 0; i < c->n_changes; i++) {
		double x = c->changes[i] - c->change_median;
		if (x < 0)
			continue;
		half++;
		reach += x >= need - 1e-12;
	}
	return half ? (double)reach / (double)half : NAN;
}

/* Fills c from the weekly values v[k] on day asof - 7k (k = 0 .. n-1,
 * NaN = no value). */
static void calibrate(okra_calibration *c, const double *v, size_t n,
                      int32_t asof, int32_t q1)
{
	double sign = c->decreasing ? -1 : 1;
	c->asof = asof;
	c->q1 = q1;
	c->baseline = n ? v[0] : NAN;
	c->slope_week = c->trend = c->trend_lo = c->trend_hi = NAN;
	c->change_median = c->change_p65 = c->change_max = NAN;
	c->target = c->bet = NAN;
	c->history_first = asof - 7 * (int32_t)(n ? n - 1 : 0);

	int32_t days[OKRA_PLAN_TREND_WEEKS];
	double vals[OKRA_PLAN_TREND_WEEKS];
	size_t nt = n < OKRA_PLAN_TREND_WEEKS ? n : OKRA_PLAN_TREND_WEEKS;
	for (size_t i = 0; i < nt; i++) { /* oldest first */
		days[i] = asof - 7 * (int32_t)(nt - 1 - i);
		vals[i] = v[nt - 1 - i];
	}
	okra_forecast f;
	if (okra__forecast(days, vals, nt, q1, NAN, c->decreasing, NULL, &f)) {
		double lo, hi;
		okra__metric_domain(c->metric, &lo, &hi);
		okra__forecast_clamp(&f, lo, hi);
		c->n_trend = f.n_points;
		c->slope_week = f.slope * 7;
		c->trend = f.value;
		c->trend_lo = f.lo;
		c->trend_hi = f.hi;
	}

	/* The changes over the same span as the projection: a target two
	 * quarters out is compared with two-quarter changes. */
	int32_t span = q1 > asof ? (q1 - asof + 3) / 7 : 0;
	size_t h = span < 1 ? 1 : (size_t)span;
	c->horizon_weeks = h;
	double *ch = c->changes;
	size_t m = 0;
	for (size_t k = 0; k + h < n && m < OKRA_ARRAY_LEN(c->changes); k++) {
		double a = v[k], b = v[k + h];
		if (!isnan(a) && !isnan(b))
			ch[m++] = sign * (a - b);
	}
	c->n_changes = m;
	if (m) {
		qsort(ch, m, sizeof(double), cmp_double);
		c->change_median = quantile(ch, m, 0.5);
		c->change_p65 = quantile(ch, m, 0.65);
		c->change_max = ch[m - 1];
		if (!isnan(c->baseline)) {
			double lo, hi;
			okra__metric_domain(c->metric, &lo, &hi);
			c->bet = c->baseline + sign * c->change_max;
			c->bet = c->bet < lo ? lo : c->bet > hi ? hi : c->bet;
		}
	}

	if (isnan(c->trend) || isnan(c->baseline))
		return;
	double lo, hi;
	okra__metric_domain(c->metric, &lo, &hi);
	double excess = c->change_p65 - c->change_median;
	double t;
	if (m >= OKRA_PLAN_MIN_CHANGES && excess > 0) {
		t = c->trend + sign * excess;
		c->is_calibrated = true;
	} else {
		t = c->decreasing ? c->trend_lo : c->trend_hi;
	}
	/* A trend that heads the wrong way gives a "target" behind the
	 * baseline: the draft then aims to reverse it, the excess counted
	 * from the baseline instead. */
	if (sign * (t - c->baseline) <= 0) {
		c->reverses_trend = true;
		t = c->baseline + sign * (c->is_calibrated
		                              ? excess
		                              : fabs(c->trend_hi - c->trend));
	}
	c->at_limit = t <= lo || t >= hi;
	t = t < lo ? lo : t > hi ? hi : t;
	c->step = step_of(c, c->baseline);
	c->target = round_target(c, t);
}

/* ---------------------------------------------------------------------
 * Choosing the metrics of a team
 * --------------------------------------------------------------------- */

static bool owned_by(const okra_metric *m, const okra_team *t)
{
	return m->owner.id && strcmp(m->owner.id, t->id) == 0;
}

/* A metric a key result can move inside a quarter from product data. */
static bool draftable(const okra_metric *m)
{
	return m->type != OKRA_METRIC_MANUAL && !okra__metric_is_lagging(m) &&
	       okra__metric_is_leading(m);
}

static bool has_kr(const okra_plan_team *t, const okra_metric *m)
{
	for (size_t i = 0; i < t->n_krs; i++)
		if (t->krs[i].cal.metric == m)
			return true;
	return false;
}

static void add_kr(okra_quarter_plan *p, okra_plan_team *t,
                   const okra_metric *m, const okra_diagnosis *d,
                   const okra_diag_candidate *cd)
{
	okra_plan_kr *k = &t->krs[t->n_krs++];
	memset(k, 0, sizeof(*k));
	k->id = okra__arena_printf(&p->arena, "%s_%dq%d", m->id,
	                           p->quarter.year, p->quarter.q);
	k->cal.metric = m;
	k->cal.decreasing = m->direction == OKRA_DIR_DOWN;
	k->benchmark = m->has_benchmark ? m->benchmark : NAN;
	k->gap = k->lift = k->lift_low = k->lift_high = k->score = NAN;
	if (cd) {
		k->is_candidate = true;
		k->is_bottleneck =
		    d->bottleneck >= 0 && &d->candidates[d->bottleneck] == cd;
		k->gap = cd->gap;
		k->lift = cd->lift;
		k->lift_low = cd->lift_low;
		k->lift_high = cd->lift_high;
		k->score = cd->score;
	}
}

/* The diagnostic's candidates the team owns, by score (the order of the
 * diagnosis), those with a gap before those without; then the team's
 * other leading indicators, level 3 before 4, in the order written. */
static void choose(okra_quarter_plan *p, okra_plan_team *t,
                   const okra_diagnosis *d)
{
	const okra_workspace *ws = p->ws;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < d->n_candidates; i++) {
			const okra_diag_candidate *cd = &d->candidates[i];
			const okra_metric *m = &ws->metrics[cd->metric];
			bool short_of = cd->gap > 0;
			if (t->n_krs >= OKRA_PLAN_MAX_KRS ||
			    (pass == 0) != short_of || !owned_by(m, t->team) ||
			    !draftable(m) || has_kr(t, m))
				continue;
			add_kr(p, t, m, d, cd);
		}
	for (int level = 3; level <= 5; level++)
		for (size_t i = 0; i < ws->n_metrics; i++) {
			const okra_metric *m = &ws->metrics[i];
			int lv = m->level ? m->level : 5;
			if (t->n_krs >= OKRA_PLAN_MAX_KRS || lv != level ||
			    !owned_by(m, t->team) || !draftable(m) ||
			    has_kr(t, m))
				continue;
			add_kr(p, t, m, d, NULL);
		}
	const okra_type_metric *tm = okra__team_type_metrics(t->team->type);
	size_t n = 0;
	while (tm[n].id)
		n++;
	t->missing = okra__arena_alloc(&p->arena, (n + 1) * sizeof(char *));
	for (size_t i = 0; t->missing && i < n; i++)
		if (okra__find_metric(ws, tm[i].id) < 0)
			t->missing[t->n_missing++] = tm[i].id;
}

/* ---------------------------------------------------------------------
 * Evaluation
 * --------------------------------------------------------------------- */

static okra_rc nomem(okra_err *err)
{
	return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* The weekly days asof, asof - 7, ... back to the first quarter of the
 * data (at most OKRA_PLAN_HISTORY_WEEKS + 1 of them): while windows and
 * cohorts fill, the values of the first weeks climb from nothing, and
 * their changes say nothing about what a quarter can move. */
static size_t history_days(okra_engine *e, int32_t asof, int32_t *days)
{
	int32_t first = okra__engine_first_day(e) + OKRA_PLAN_WARMUP_DAYS;
	size_t n = 0;
	while (n <= OKRA_PLAN_HISTORY_WEEKS &&
	       (n == 0 || asof - 7 * (int32_t)n >= first))
		days[n] = asof - 7 * (int32_t)n, n++;
	return n;
}

/* Measures and calibrates the key results krs[0..n) in one pass. */
static okra_rc measure(okra_engine *e, okra_plan_kr **krs, size_t n,
                       int32_t asof, int32_t q1, okra_err *err)
{
	const okra_workspace *ws = okra__engine_workspace(e);
	int32_t days[OKRA_PLAN_HISTORY_WEEKS + 1];
	double v[OKRA_PLAN_HISTORY_WEEKS + 1];
	size_t n_days = history_days(e, asof, days);
	okra_result *res = NULL;
	const char **ids = calloc(n + 1, sizeof(char *));
	okra_rc rc = ids ? OKRA_OK : nomem(err);
	if (rc || n == 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		ids[i] = krs[i]->cal.metric->id;
	rc = okra__engine_eval(e, ids, n, days, n_days, NULL, 0, &res, err);
	if (rc)
		goto out;
	for (size_t i = 0; i < n; i++) {
		okra_calibration *c = &krs[i]->cal;
		int mi = (int)(c->metric - ws->metrics);
		for (size_t k = 0; k < n_days; k++) {
			double x = okra__result_value(res, mi, days[k]);
			v[k] = isfinite(x) ? x : NAN;
		}
		c->is_count = okra__result_is_count(res, mi);
		calibrate(c, v, n_days, asof, q1);
	}
out:
	okra_result_free(res);
	free(ids);
	return rc;
}

/* ---------------------------------------------------------------------
 * okra plan QUARTER
 * --------------------------------------------------------------------- */

static okra_rc parse_quarter(const okra_workspace *ws, const char *text,
                             okra_quarter *q, okra_err *err)
{
	if (!text ||
	    !okra__parse_quarter(text, ws->settings.fiscal_start_month, q))
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "'%s' is not a quarter; write it as "
		                     "YYYY-Qn, e.g. 2027-Q1",
		                     text ? text : "");
	return OKRA_OK;
}

static okra_rc parse_asof(okra_engine *e, const char *asof, int32_t *day,
                          okra_err *err)
{
	if (okra__engine_first_day(e) < 0)
		return okra__err_set(err, OKRA_ERR_DATA, NULL, 0, 0,
		                     "the workspace has no events: okra plan "
		                     "measures baselines and trends from the "
		                     "data");
	if (!asof) {
		*day = okra__engine_last_day(e);
		return OKRA_OK;
	}
	return okra__engine_day(e, asof, "asof", day, err);
}

/* The objective of team t for quarter q outside the draft file, if any. */
static const okra_objective *planned(const okra_workspace *ws,
                                     const okra_team *t, const okra_quarter *q,
                                     const char *draft)
{
	for (size_t i = 0; i < ws->n_objectives; i++) {
		const okra_objective *o = &ws->objectives[i];
		if (o->team.id && strcmp(o->team.id, t->id) == 0 &&
		    o->has_quarter && o->quarter.first == q->first &&
		    strcmp(o->pos.file, draft) != 0)
			return o;
	}
	return NULL;
}

okra_rc okra_plan_run(okra_engine *e, const okra_plan_request *req,
                      okra_quarter_plan **out, okra_err *err)
{
	const okra_workspace *ws = okra__engine_workspace(e);
	okra_diagnosis *d = NULL;
	okra_plan_kr **all = NULL;
	okra_quarter_plan *p = calloc(1, sizeof(*p));
	okra_rc rc = p ? OKRA_OK : nomem(err);
	if (rc)
		goto out;
	p->ws = ws;
	if ((rc = parse_quarter(ws, req->quarter, &p->quarter, err)) ||
	    (rc = parse_asof(e, req->asof, &p->asof, err)))
		goto out;
	snprintf(p->quarter_text, sizeof(p->quarter_text), "%d-Q%d",
	         p->quarter.year, p->quarter.q);
	if (p->quarter.last < p->asof) {
		char day[11];
		okra__format_date(p->asof, day);
		rc = okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                   "%s ended before %s: okra plan drafts a "
		                   "quarter that has not ended",
		                   p->quarter_text, day);
		goto out;
	}
	if (req->team && okra__find_team(ws, req->team) < 0) {
		const char *near = okra__nearest_id(
		    req->team, ws->teams, ws->n_teams, sizeof(*ws->teams));
		rc = okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                   "unknown team '%s'%s%s%s", req->team,
		                   near ? " (did you mean '" : "",
		                   near ? near : "", near ? "'?)" : "");
		goto out;
	}
	if (ws->n_teams == 0) {
		rc = okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                   "okra.yaml lists no teams: okra plan drafts "
		                   "one objective per team");
		goto out;
	}
	if ((rc = okra__diagnose_at(e, p->asof, &d, err)))
		goto out;
	if (d->bottleneck >= 0) {
		p->bottleneck = okra__arena_strdup(
		    &p->arena, d->candidates[d->bottleneck].id);
		p->sentence = d->sentence
		                  ? okra__arena_strdup(&p->arena, d->sentence)
		                  : NULL;
	}
	p->teams =
	    okra__arena_alloc(&p->arena, (ws->n_teams + 1) * sizeof(*p->teams));
	all = calloc(ws->n_teams * OKRA_PLAN_MAX_KRS + 1, sizeof(*all));
	if (!p->teams || !all) {
		rc = nomem(err);
		goto out;
	}
	size_t n_all = 0;
	for (size_t i = 0; i < ws->n_teams; i++) {
		const okra_team *team = &ws->teams[i];
		if (req->team && strcmp(req->team, team->id) != 0)
			continue;
		okra_plan_team *t = &p->teams[p->n_teams++];
		t->team = team;
		t->path = okra__arena_printf(&p->arena, "okrs/%s-%s.draft.yaml",
		                             p->quarter_text, team->id);
		t->objective_id =
		    okra__arena_printf(&p->arena, "%s_%d_q%d", team->id,
		                       p->quarter.year, p->quarter.q);
		t->existing = planned(ws, team, &p->quarter, t->path);
		t->krs = okra__arena_alloc(&p->arena, OKRA_PLAN_MAX_KRS *
		                                          sizeof(okra_plan_kr));
		if (!t->krs || !t->path)
			break;
		choose(p, t, d);
		for (size_t k = 0; k < t->n_krs; k++)
			all[n_all++] = &t->krs[k];
	}
	if (p->arena.failed) {
		rc = nomem(err);
		goto out;
	}
	if ((rc = measure(e, all, n_all, p->asof, p->quarter.last, err)))
		goto out;
	/* A metric without a trend (too few weeks with a value) cannot be
	 * drafted honestly: it is left out, and the summary says so. */
	for (size_t i = 0; i < p->n_teams; i++) {
		okra_plan_team *t = &p->teams[i];
		if (!t->existing)
			t->text = okra__plan_draft(&p->arena, p, t);
	}
	if (p->arena.failed)
		rc = nomem(err);
out:
	free(all);
	okra_diagnosis_free(d);
	if (rc) {
		okra_plan_free(p);
		return rc;
	}
	*out = p;
	return OKRA_OK;
}

void okra_plan_free(okra_quarter_plan *p)
{
	if (!p)
		return;
	okra__arena_free(&p->arena);
	free(p);
}

/* ---------------------------------------------------------------------
 * Writing the drafts
 * --------------------------------------------------------------------- */

/* FNV-1a, 64 bits: enough to tell okra's own text from an edited one. */
static uint64_t hash_text(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* May okra write path?  Yes when there is no file, or the file is a
 * draft okra wrote and nobody changed since. */
static okra_rc may_write(const char *abs, const char *path, okra_err *err)
{
	okra_arena a = {0};
	char *text = NULL;
	size_t len = 0;
	struct stat st;
	okra_rc rc = OKRA_OK;
	if (stat(abs, &st) != 0 && errno == ENOENT)
		goto out;
	rc = okra__read_file(&a, abs, path, OKRA_MAX_YAML_FILE_BYTES, &text,
	                     &len, err);
	if (rc)
		goto out;
	const char *nl = memchr(text, '\n', len);
	unsigned long long want = 0;
	bool ours =
	    nl && strncmp(text, MARKER, strlen(MARKER)) == 0 &&
	    sscanf(text + strlen(MARKER), "%*s %*s fnv1a:%16llx", &want) == 1;
	if (!ours)
		rc = okra__err_set(
		    err, OKRA_ERR_IO, path, 0, 0,
		    "%s exists and is not a draft okra wrote; not overwritten "
		    "(rename or remove it to draft again)",
		    path);
	else if (hash_text(nl + 1, len - (size_t)(nl + 1 - text)) != want)
		rc = okra__err_set(
		    err, OKRA_ERR_IO, path, 0, 0,
		    "%s was edited since okra plan wrote it; not overwritten "
		    "(rename or remove it to draft again)",
		    path);
out:
	okra__arena_free(&a);
	return rc;
}

okra_rc okra_plan_save(const okra_quarter_plan *p, FILE *log, okra_err *err)
{
	okra_rc first = OKRA_OK;
	for (size_t i = 0; i < p->n_teams; i++) {
		const okra_plan_team *t = &p->teams[i];
		if (!t->text)
			continue;
		okra_arena a = {0};
		okra_err e = {0};
		const char *dir =
		    okra__arena_printf(&a, "%s/okrs", p->ws->root);
		const char *abs =
		    okra__arena_printf(&a, "%s/%s", p->ws->root, t->path);
		const char *body = t->text;
		okra_buf b = {0};
		okra__buf_printf(
		    &b, "%s%s %s fnv1a:%016llx\n", MARKER, p->quarter_text,
		    t->team->id,
		    (unsigned long long)hash_text(body, strlen(body)));
		okra__buf_puts(&b, body);
		okra_rc rc = a.failed || b.failed ? nomem(&e) : OKRA_OK;
		if (!rc)
			rc = may_write(abs, t->path, &e);
		if (!rc)
			rc = okra__mkdir_p(dir, &e);
		if (!rc)
			rc = okra__write_file_atomic(abs, b.data, b.len, &e);
		okra__buf_free(&b);
		okra__arena_free(&a);
		if (rc) {
			fprintf(log, "okra plan: %s\n", e.msg);
			if (!first) {
				first = rc;
				*err = e;
			}
		} else {
			fprintf(log, "okra plan: wrote %s\n", t->path);
		}
	}
	return first;
}

okra_rc okra_plan_write(const okra_quarter_plan *p, bool drafts, FILE *out,
                        okra_err *err)
{
	okra_buf b = {0};
	if (drafts) {
		for (size_t i = 0; i < p->n_teams; i++)
			if (p->teams[i].text)
				okra__buf_printf(
				    &b, "%s# %s\n%s", b.len ? "\n" : "",
				    p->teams[i].path, p->teams[i].text);
	} else {
		okra__plan_summary(&b, p);
	}
	okra_rc rc = b.failed ? nomem(err) : OKRA_OK;
	if (!rc && b.len && fwrite(b.data, 1, b.len, out) != b.len)
		rc =
		    okra__err_set(err, OKRA_ERR_IO, NULL, 0, 0,
		                  "cannot write the plan: %s", strerror(errno));
	okra__buf_free(&b);
	return rc;
}

/* ---------------------------------------------------------------------
 * okra plan --explain KR
 * --------------------------------------------------------------------- */

okra_rc okra_plan_explain(okra_engine *e, const char *key_result,
                          const char *asof, FILE *out, okra_err *err)
{
	const okra_workspace *ws = okra__engine_workspace(e);
	okra_buf b = {0};
	int i = okra__find_key_result(ws, key_result);
	okra_rc rc = OKRA_OK;
	if (i < 0) {
		const char *near = okra__nearest_id(key_result, ws->key_results,
		                                    ws->n_key_results,
		                                    sizeof(*ws->key_results));
		rc = okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                   "unknown key result '%s'%s%s%s", key_result,
		                   near ? " (did you mean '" : "",
		                   near ? near : "", near ? "'?)" : "");
		goto out;
	}
	const okra_key_result *kr = &ws->key_results[i];
	const okra_objective *o = &ws->objectives[kr->objective];
	if (kr->metric.index < 0 || kr->kind != OKRA_KR_MOVE ||
	    !o->has_quarter) {
		rc = okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                   "key result '%s' %s: a calibrated target "
		                   "needs a metric that moves within a quarter",
		                   key_result,
		                   kr->metric.index < 0 ? "binds no metric"
		                   : kr->kind != OKRA_KR_MOVE
		                       ? "is not a move from baseline to target"
		                       : "has no quarter");
		goto out;
	}
	int32_t day;
	if ((rc = parse_asof(e, asof, &day, err)))
		goto out;
	okra_plan_kr k = {.id = kr->id};
	k.cal.metric = &ws->metrics[kr->metric.index];
	k.cal.decreasing = k.cal.metric->direction == OKRA_DIR_DOWN;
	okra_plan_kr *one = &k;
	if ((rc = measure(e, &one, 1, day, o->quarter.last, err)))
		goto out;
	okra__plan_explain_text(&b, kr, &k.cal,
	                        kr->has_target ? kr->target : NAN);
	if (b.failed)
		rc = nomem(err);
	else if (fwrite(b.data, 1, b.len, out) != b.len)
		rc = okra__err_set(err, OKRA_ERR_IO, NULL, 0, 0,
		                   "cannot write the explanation: %s",
		                   strerror(errno));
out:
	okra__buf_free(&b);
	return rc;
}
