/*
 * okr_plan.c - writes what okra plan computed (review/okr_plan.h): the
 * draft YAML of a team's objective, the summary of a plan, and the
 * numbers behind a calibrated target.  No computation beyond formatting:
 * the calibration, the choice of metrics and the chances are done.
 */
#include "review/okr_plan.h"

#include "model/format.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

/* v as YAML, to the precision of step (0.001 -> 3 decimals). */
static void yaml_number(okra_buf *b, double v, double step)
{
	int decimals = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
	if (decimals > 9)
		decimals = 9;
	double r = round(v / step) * step;
	okra__buf_printf(b, "%.*f", decimals, r == 0 ? 0.0 : r);
}

static const char *name_of(const okra_metric *m)
{
	return m->title ? m->title : m->id;
}

/* The metric's title as it reads inside a sentence ("activation rate"):
 * the first letter lowered unless the second is a capital (NPS, ARR). */
static void lower_name(okra_buf *b, const okra_metric *m)
{
	const char *s = name_of(m);
	if (s[0] && !isupper((unsigned char)s[1]))
		okra__buf_putc(b, (char)tolower((unsigned char)s[0])), s++;
	okra__buf_puts(b, s);
}

/* Double quotes for YAML: the text has no quote or backslash of its own
 * (titles are written by okra from metric titles, which are checked
 * strings; any quote is dropped rather than escaped wrongly). */
static void yaml_quoted(okra_buf *b, const char *s)
{
	okra__buf_putc(b, '"');
	for (; *s; s++)
		if (*s != '"' && *s != '\\' && *s != '\n')
			okra__buf_putc(b, *s);
	okra__buf_putc(b, '"');
}

static const char *objective_title(okra_team_type type)
{
	switch (type) {
	case OKRA_TEAM_ACTIVATION:
		return "Make the first weeks of new accounts a fast, reliable "
		       "path to value";
	case OKRA_TEAM_CORE:
		return "Turn active accounts into teams that rely on the "
		       "product every week";
	case OKRA_TEAM_EXPANSION:
		return "Help growing accounts expand as their usage outgrows "
		       "their plan";
	case OKRA_TEAM_PLATFORM:
		break;
	}
	return "Keep the product fast and dependable for every active account";
}

static void kr_text(okra_buf *b, okra_arena *a, const okra_quarter_plan *p,
                    const okra_plan_kr *k)
{
	const okra_calibration *c = &k->cal;
	const okra_metric *m = c->metric;
	char day[11], end[11];
	okra__format_date(p->asof, day);
	okra__format_date(p->quarter.last, end);
	const char *verb = c->decreasing ? "Reduce" : "Increase";
	okra__buf_printf(b, "      - id: %s\n        title: ", k->id);
	okra_buf t = {0};
	okra__buf_printf(&t, "%s ", verb);
	lower_name(&t, m);
	okra__buf_printf(&t, " from %s to %s",
	                 okra__fmt(a, m, c->is_count, c->baseline),
	                 okra__fmt(a, m, c->is_count, c->target));
	yaml_quoted(b, t.data ? t.data : "");
	okra__buf_free(&t);
	okra__buf_printf(b, "\n        metric: %s\n        baseline: ", m->id);
	yaml_number(b, c->baseline, c->step);
	okra__buf_printf(b, "  # measured on %s\n        target: ", day);
	yaml_number(b, c->target, c->step);
	if (c->at_limit)
		okra__buf_printf(b,
		                 "  # the metric's limit: the trend runs into "
		                 "it; choose a target by hand\n");
	else if (c->reverses_trend)
		okra__buf_printf(b, "  # the trend falls behind the baseline: "
		                    "this reverses it\n");
	else if (c->is_calibrated)
		okra__buf_printf(
		    b,
		    "  # calibrated: about 7 in 10 with a changed approach\n");
	else
		okra__buf_printf(b,
		                 "  # the edge of the trend's 80%% interval: "
		                 "too little history to calibrate\n");
	okra__buf_printf(b,
	                 "        # continuing the trend of %zu weeks "
	                 "reaches %s by %s",
	                 c->n_trend, okra__fmt(a, m, c->is_count, c->trend),
	                 end);
	if (!isnan(c->bet))
		okra__buf_printf(
		    b,
		    "; beyond %s (the largest %zu-week change so "
		    "far, %s) is a bet",
		    okra__fmt(a, m, c->is_count, c->bet), c->horizon_weeks,
		    okra__fmt_delta(a, m, c->is_count,
		                    (c->decreasing ? -1 : 1) * c->change_max));
	okra__buf_printf(b,
	                 ".\n        # okra plan --explain %s shows the "
	                 "numbers.\n",
	                 k->id);
	if (k->is_bottleneck && !isnan(k->lift))
		okra__buf_printf(b,
		                 "        # The bottleneck of the north star: "
		                 "lift %.1fx (%.1fx .. %.1fx), %.0f%% short of "
		                 "the benchmark %s.\n",
		                 k->lift, k->lift_low, k->lift_high,
		                 k->gap * 100,
		                 okra__fmt(a, m, c->is_count, k->benchmark));
	else if (k->is_candidate && !isnan(k->lift) && k->gap > 0)
		okra__buf_printf(b,
		                 "        # A candidate of okra diagnose: lift "
		                 "%.1fx, %.0f%% short of the benchmark %s.\n",
		                 k->lift, k->gap * 100,
		                 okra__fmt(a, m, c->is_count, k->benchmark));
	else if (k->is_candidate && k->gap > 0)
		okra__buf_printf(b,
		                 "        # The gap to benchmark: %.0f%% short "
		                 "of %s (no lift measured for this metric).\n",
		                 k->gap * 100,
		                 okra__fmt(a, m, c->is_count, k->benchmark));
	okra__buf_printf(b, "        measurement: ");
	okra_buf meas = {0};
	okra__buf_printf(&meas, "%s from product data, reviewed weekly", m->id);
	yaml_quoted(b, meas.data ? meas.data : "");
	okra__buf_free(&meas);
	okra__buf_printf(b, "\n        hypotheses:  # 3 to 5 experiments; "
	                    "replace each <...> before review\n");
	for (int h = 0; h < 3; h++) {
		okra_buf s = {0};
		okra__buf_printf(&s, "We believe that <a change> will %s ",
		                 c->decreasing ? "reduce" : "increase");
		lower_name(&s, m);
		okra__buf_puts(&s, " because <why users would behave "
		                   "differently>");
		okra__buf_puts(b, "          - ");
		yaml_quoted(b, s.data ? s.data : "");
		okra__buf_putc(b, '\n');
		okra__buf_free(&s);
	}
}

const char *okra__plan_draft(okra_arena *a, const okra_quarter_plan *p,
                             const okra_plan_team *t)
{
	okra_buf b = {0};
	okra_arena scratch = {0};
	char day[11];
	okra__format_date(p->asof, day);
	const okra_team *team = t->team;
	okra__buf_printf(&b,
	                 "# The %s draft of team %s (%s), written by okra plan "
	                 "from the data up to %s.\n"
	                 "# Edit it freely: okra plan never overwrites a "
	                 "draft once it was changed.\n"
	                 "# Move status to review when the hypotheses are "
	                 "written; okra plan --check %s scores it.\n",
	                 p->quarter_text, team->id,
	                 okra__team_type_names[team->type], day,
	                 p->quarter_text);
	if (t->n_missing) {
		okra__buf_printf(&b,
		                 "# The %s type also calls for metrics "
		                 "this workspace lacks:",
		                 okra__team_type_names[team->type]);
		for (size_t i = 0; i < t->n_missing; i++)
			okra__buf_printf(&b, "%s %s", i ? "," : "",
			                 t->missing[i]);
		okra__buf_printf(&b,
		                 " (okra init --team-type %s shows their "
		                 "definitions).\n",
		                 okra__team_type_names[team->type]);
	}
	okra__buf_printf(
	    &b, "\nobjectives:\n  - id: %s\n    title: ", t->objective_id);
	yaml_quoted(&b, objective_title(team->type));
	okra__buf_puts(&b, "\n    why: ");
	bool own_bottleneck = false;
	for (size_t i = 0; i < t->n_krs; i++)
		own_bottleneck |= t->krs[i].is_bottleneck;
	if (own_bottleneck && p->sentence)
		yaml_quoted(&b, p->sentence);
	else
		yaml_quoted(&b, "<why this matters this quarter, in the team's "
		                "words>");
	okra__buf_printf(&b, "\n    team: %s\n    quarter: %s\n", team->id,
	                 p->quarter_text);
	if (p->ws->settings.north_star.id)
		okra__buf_puts(&b, "    parent: north_star\n");
	okra__buf_puts(&b, "    status: draft\n    key_results:\n");
	if (t->n_krs == 0)
		okra__buf_puts(&b, "      []  # no leading indicator owned by "
		                   "the team has data to draft from\n");
	for (size_t i = 0; i < t->n_krs; i++) {
		if (isnan(t->krs[i].cal.target)) {
			okra__buf_printf(
			    &b,
			    "      # %s: too few weekly values for a "
			    "trend; no key result drafted\n",
			    t->krs[i].cal.metric->id);
			continue;
		}
		if (i)
			okra__buf_putc(&b, '\n');
		kr_text(&b, &scratch, p, &t->krs[i]);
	}
	okra__arena_free(&scratch);
	return okra__arena_take(a, &b);
}

void okra__plan_summary(okra_buf *b, const okra_quarter_plan *p)
{
	okra_arena a = {0};
	char day[11];
	okra__format_date(p->asof, day);
	okra__buf_printf(b, "okra plan %s: baselines as of %s\n",
	                 p->quarter_text, day);
	for (size_t i = 0; i < p->n_teams; i++) {
		const okra_plan_team *t = &p->teams[i];
		okra__buf_printf(b, "\n%s (%s): ", t->team->id,
		                 okra__team_type_names[t->team->type]);
		if (t->existing) {
			okra__buf_printf(
			    b,
			    "planned already (objective %s in %s); "
			    "no draft\n",
			    t->existing->id, t->existing->pos.file);
			continue;
		}
		okra__buf_printf(b, "%s\n", t->path);
		for (size_t k = 0; k < t->n_krs; k++) {
			const okra_calibration *c = &t->krs[k].cal;
			const okra_metric *m = c->metric;
			if (isnan(c->target)) {
				okra__buf_printf(
				    b, "  %-28s no trend: left out\n", m->id);
				continue;
			}
			okra__buf_printf(
			    b, "  %-28s %s -> %s (trend %s", m->id,
			    okra__fmt(&a, m, c->is_count, c->baseline),
			    okra__fmt(&a, m, c->is_count, c->target),
			    okra__fmt(&a, m, c->is_count, c->trend));
			if (!isnan(c->bet))
				okra__buf_printf(
				    b, ", a bet beyond %s",
				    okra__fmt(&a, m, c->is_count, c->bet));
			okra__buf_printf(
			    b, ")%s%s\n",
			    c->at_limit ? " at the metric's limit: set by hand"
			    : c->is_calibrated ? ""
			                       : " not calibrated",
			    t->krs[k].is_bottleneck ? " bottleneck" : "");
		}
		if (t->n_missing) {
			okra__buf_printf(b, "  the %s type also calls for:",
			                 okra__team_type_names[t->team->type]);
			for (size_t k = 0; k < t->n_missing; k++)
				okra__buf_printf(b, " %s", t->missing[k]);
			okra__buf_putc(b, '\n');
		}
	}
	okra__arena_free(&a);
}

void okra__plan_explain_text(okra_buf *b, const okra_key_result *kr,
                             const okra_calibration *c, double target)
{
	okra_arena a = {0};
	const okra_metric *m = c->metric;
	char day[11], end[11], first[11];
	okra__format_date(c->asof, day);
	okra__format_date(c->q1, end);
	okra__format_date(c->history_first, first);
	double sign = c->decreasing ? -1 : 1;
	okra__buf_printf(b, "key result %s: %s (%s, %s)\n", kr->id, m->id,
	                 c->decreasing ? "down is better" : "up is better",
	                 end);
	okra__buf_printf(b, "  baseline on %-10s        %s\n", day,
	                 okra__fmt(&a, m, c->is_count, c->baseline));
	if (isnan(c->trend)) {
		okra__buf_printf(b,
		                 "  trend                        none: fewer "
		                 "than 3 weekly values\n");
		goto out;
	}
	okra__buf_printf(b,
	                 "  trend of %2zu weeks            %s per week\n"
	                 "  continuing the trend         %s by %s (80%%: %s "
	                 ".. %s)\n",
	                 c->n_trend,
	                 okra__fmt_delta(&a, m, c->is_count, c->slope_week),
	                 okra__fmt(&a, m, c->is_count, c->trend), end,
	                 okra__fmt(&a, m, c->is_count, c->trend_lo),
	                 okra__fmt(&a, m, c->is_count, c->trend_hi));
	char span[32];
	snprintf(span, sizeof(span), "%zu-week changes", c->horizon_weeks);
	okra__buf_printf(b, "  %-28s %zu since %s", span, c->n_changes, first);
	if (c->n_changes)
		okra__buf_printf(
		    b, ": median %s, 65th percentile %s, largest %s",
		    okra__fmt_delta(&a, m, c->is_count,
		                    sign * c->change_median),
		    okra__fmt_delta(&a, m, c->is_count, sign * c->change_p65),
		    okra__fmt_delta(&a, m, c->is_count, sign * c->change_max));
	okra__buf_putc(b, '\n');
	if (c->at_limit)
		okra__buf_printf(
		    b,
		    "  target at the limit          %s: the model runs past "
		    "what the metric can be;\n"
		    "                               no chance can be given, "
		    "choose a target by hand\n",
		    okra__fmt(&a, m, c->is_count, c->target));
	else if (c->reverses_trend)
		okra__buf_printf(
		    b,
		    "  target                       %s: the trend ends behind "
		    "the baseline, so the draft reverses it:\n"
		    "                               the baseline plus the "
		    "excess "
		    "a better quarter brings\n",
		    okra__fmt(&a, m, c->is_count, c->target));
	else if (c->is_calibrated)
		okra__buf_printf(
		    b,
		    "  calibrated target            %s: the trend plus the "
		    "65th percentile's excess over the median,\n"
		    "                               reached 7 times in 10 if "
		    "the "
		    "quarter goes like the better half of past quarters\n",
		    okra__fmt(&a, m, c->is_count, c->target));
	else
		okra__buf_printf(
		    b,
		    "  target without calibration   %s: the edge of the "
		    "trend's "
		    "80%% interval (%d changes are needed to calibrate)\n",
		    okra__fmt(&a, m, c->is_count, c->target),
		    OKRA_PLAN_MIN_CHANGES);
	if (!isnan(c->bet))
		okra__buf_printf(b,
		                 "  a bet beyond                 %s (the "
		                 "baseline plus the largest change)\n",
		                 okra__fmt(&a, m, c->is_count, c->bet));
	if (isnan(target))
		goto out;
	okra__buf_printf(b, "  the key result's target      %s: ",
	                 okra__fmt(&a, m, c->is_count, target));
	double beyond_trend = sign * (target - c->trend);
	if (beyond_trend <= 0)
		okra__buf_puts(b, "at or behind the trend: not ambitious");
	else if (!isnan(c->bet) && sign * (target - c->bet) > 0)
		okra__buf_puts(b, "beyond the largest change so far: a bet");
	else
		okra__buf_puts(b,
		               "beyond the trend, within the largest change");
	double chance = okra__calibration_chance(c, target);
	if (!isnan(chance))
		okra__buf_printf(b, " (about %.0f%% under this model)",
		                 chance * 100);
	okra__buf_putc(b, '\n');
out:
	okra__arena_free(&a);
}

/* ---------------------------------------------------------------------
 * okra plan --check QUARTER: the plan score per team
 * --------------------------------------------------------------------- */

typedef struct gate_list {
	okra_buf *b;
	size_t n_failed;
} gate_list;

static void gate_line(void *ctx, okra_pos pos, const char *msg)
{
	gate_list *g = ctx;
	g->n_failed++;
	okra__buf_printf(g->b, "    %s:%d:%d: %s\n", pos.file, pos.line,
	                 pos.col, msg);
}

static const char *const status_names[] = {"none", "draft", "review", "final"};

okra_rc okra_plan_check(const okra_workspace *ws, const char *quarter,
                        double threshold, FILE *out, bool *below, okra_err *err)
{
	okra_quarter q;
	if (!quarter ||
	    !okra__parse_quarter(quarter, ws->settings.fiscal_start_month, &q))
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "'%s' is not a quarter; write it as "
		                     "YYYY-Qn, e.g. 2027-Q1",
		                     quarter ? quarter : "");
	if (!(threshold >= 0 && threshold <= 1))
		return okra__err_set(
		    err, OKRA_ERR_USAGE, NULL, 0, 0,
		    "the threshold must be a share from 0 to 1, "
		    "e.g. 0.8");
	okra_buf b = {0};
	bool any_below = false;
	okra__buf_printf(&b,
	                 "plan %d-Q%d: the share of the plan's gates each team "
	                 "passes (threshold %.0f%%)\n",
	                 q.year, q.q, threshold * 100);
	for (size_t t = 0; t < ws->n_teams; t++) {
		const okra_team *team = &ws->teams[t];
		okra_buf fails = {0};
		gate_list g = {.b = &fails};
		size_t n = 0, n_obj = 0;
		okra_plan_status lowest = OKRA_STATUS_FINAL;
		for (size_t i = 0; i < ws->n_objectives; i++) {
			const okra_objective *o = &ws->objectives[i];
			if (!o->team.id || strcmp(o->team.id, team->id) != 0 ||
			    !o->has_quarter || o->quarter.first != q.first)
				continue;
			n_obj++;
			if (o->status < lowest)
				lowest = o->status;
			n += okra__plan_gates(ws, o, gate_line, &g);
		}
		if (n_obj == 0) {
			n = 1;
			g.n_failed = 1;
			lowest = OKRA_STATUS_NONE;
			okra__buf_printf(
			    &fails,
			    "    no objective for the quarter (okra "
			    "plan %d-Q%d --team %s drafts one)\n",
			    q.year, q.q, team->id);
		}
		double score = (double)(n - g.n_failed) / (double)n;
		bool low = score < threshold - 1e-9;
		any_below |= low;
		okra__buf_printf(
		    &b, "  %-16s %4.0f%%  %zu of %zu gates, status %s%s\n",
		    team->id, score * 100, n - g.n_failed, n,
		    status_names[lowest], low ? ": below" : "");
		okra__buf_cat(&b, &fails);
	}
	okra_rc rc = b.failed ? okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
	                                      "out of memory")
	                      : OKRA_OK;
	if (!rc && fwrite(b.data, 1, b.len, out) != b.len)
		rc = okra__err_set(err, OKRA_ERR_IO, NULL, 0, 0,
		                   "cannot write the plan check");
	okra__buf_free(&b);
	if (!rc)
		*below = any_below;
	return rc;
}
