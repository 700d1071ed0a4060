/*
 * lint.c - the OKR rules of SPEC section 5 that need no data.
 *
 * Reads the checked model and appends findings; never changes the model.
 * One finding per root cause: a key result flagged as an activity is not
 * also flagged as unmeasurable, unbound or without baseline.  The wording
 * rules come from okr/text.c; everything else is structure.
 */
#include "okra_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define KPI_LIMIT 7

typedef struct linter {
	const okra_workspace *ws;
	okra_findings *f;
	bool failed; /* out of memory: the findings are incomplete */
} linter;

static const okra_metric *kr_metric(const linter *l, const okra_key_result *kr)
{
	return kr->metric.index >= 0 ? &l->ws->metrics[kr->metric.index] : NULL;
}

static const char *metric_name(const okra_metric *m)
{
	return m->title ? m->title : m->id;
}

/* ---------------------------------------------------------------------
 * kr-activity: the hint proposes the outcome form
 * --------------------------------------------------------------------- */

/* Lowercase words of s, at most max, each at most 31 chars. */
static size_t words(const char *s, char out[][32], size_t max)
{
	size_t n = 0;
	while (*s && n < max) {
		while (*s && !isalnum((unsigned char)*s))
			s++;
		size_t len = 0;
		while (isalnum((unsigned char)*s)) {
			if (len < 31)
				out[n][len++] =
				    (char)tolower((unsigned char)*s);
			s++;
		}
		if (len >=
		    4) /* skip "a", "to", "the", "for": they match anything */
			out[n++][len] = '\0';
	}
	return n;
}

/* The workspace metric whose id and title share the most words with the
 * activity's object ("onboarding redesign" -> onboarding_completion_rate). */
static const okra_metric *metric_for_object(const linter *l, const char *object)
{
	char ow[16][32], mw[32][32];
	size_t n_ow = words(object, ow, 16);
	const okra_metric *best = NULL;
	size_t best_score = 0;
	for (size_t i = 0; i < l->ws->n_metrics; i++) {
		const okra_metric *m = &l->ws->metrics[i];
		char text[512];
		snprintf(text, sizeof(text), "%s %s", m->id ? m->id : "",
		         m->title ? m->title : "");
		for (char *c = text; *c; c++)
			if (*c == '_')
				*c = ' ';
		size_t n_mw = words(text, mw, 32), score = 0;
		for (size_t a = 0; a < n_ow; a++)
			for (size_t b = 0; b < n_mw; b++)
				/* a shared stem of 5+ letters: onboard(ing),
				 * activat(ion) */
				if (strncmp(ow[a], mw[b], 5) == 0 ||
				    strcmp(ow[a], mw[b]) == 0) {
					score++;
					break;
				}
		if (score > best_score) {
			best_score = score;
			best = m;
		}
	}
	return best;
}

static void format_number(const okra_metric *m, double v, char *out, size_t cap)
{
	if (m && m->unit == OKRA_UNIT_PERCENT)
		snprintf(out, cap, "%.4g%%", v * 100);
	else
		snprintf(out, cap, "%.6g", v);
}

static void activity_hint(const linter *l, const okra_key_result *kr,
                          char *hint, size_t cap)
{
	char object[160] = "";
	okra__text_activity_object(kr->title.text, object, sizeof(object));
	const okra_metric *m = kr_metric(l, kr);
	if (!m && object[0])
		m = metric_for_object(l, object);
	char what[256], from[64] = "<baseline>", to[64] = "<target>";
	if (m) {
		snprintf(what, sizeof(what), "%s", metric_name(m));
		/* "Onboarding completion" reads "onboarding completion" mid-
		 * sentence; leave acronyms ("NPS", "ARR") alone. */
		if (isupper((unsigned char)what[0]) &&
		    islower((unsigned char)what[1]))
			what[0] = (char)tolower((unsigned char)what[0]);
	} else if (object[0])
		snprintf(what, sizeof(what),
		         "<the user behaviour %s should change>", object);
	else
		snprintf(what, sizeof(what),
		         "<the metric this work should move>");
	if (kr->baseline_kind == OKRA_BASELINE_NUMBER)
		format_number(m, kr->baseline, from, sizeof(from));
	if (kr->has_target)
		format_number(m, kr->target, to, sizeof(to));
	const char *verb =
	    m && m->direction == OKRA_DIR_DOWN ? "Reduce" : "Increase";
	bool suggested = m && !kr_metric(l, kr);
	snprintf(
	    hint, cap,
	    "state the outcome: \"%s %s from %s to %s\"%s%s; if the work were "
	    "done and no user behaviour changed, would it still count?",
	    verb, what, from, to, suggested ? " with metric: " : "",
	    suggested ? m->id : "");
}

/* ---------------------------------------------------------------------
 * Key results
 * --------------------------------------------------------------------- */

/* Longest window/within/day of m in days (inputs of ratio and formula
 * included); 0 when it has none, -1 for "all time". */
static int metric_span(const linter *l, const okra_metric *m, int depth);

static int expr_span(const linter *l, const okra_expr *e, int depth)
{
	int span = 0;
	if (!e)
		return 0;
	if (e->kind == OKRA_EXPR_METRIC && e->metric >= 0) {
		int s = metric_span(l, &l->ws->metrics[e->metric], depth + 1);
		span = s < 0 || span < 0 ? -1 : (s > span ? s : span);
	}
	for (size_t i = 0; i < e->n_args; i++) {
		int s = expr_span(l, e->args[i], depth);
		if (s < 0 || span < 0)
			span = -1;
		else if (s > span)
			span = s;
	}
	return span;
}

static int metric_span(const linter *l, const okra_metric *m, int depth)
{
	if (depth > 32)
		return 0;
	switch (m->type) {
	case OKRA_METRIC_COUNT:
	case OKRA_METRIC_SUM:
	case OKRA_METRIC_AVG:
	case OKRA_METRIC_ACTIVE:
	case OKRA_METRIC_THRESHOLD:
		switch (m->window.kind) {
		case OKRA_WINDOW_DAYS:
			return m->window.days;
		case OKRA_WINDOW_WEEK:
			return 7;
		case OKRA_WINDOW_MONTH:
			return 31;
		case OKRA_WINDOW_QUARTER:
			return 0; /* the quarter itself */
		case OKRA_WINDOW_ALL:
			return -1;
		}
		return 0;
	case OKRA_METRIC_CONVERSION:
	case OKRA_METRIC_TIME_TO:
		return m->within_days;
	case OKRA_METRIC_RETENTION:
		return m->has_between ? m->between_hi : m->day_n;
	case OKRA_METRIC_RATIO: {
		int a =
		    m->numerator.index >= 0
		        ? metric_span(l, &l->ws->metrics[m->numerator.index],
		                      depth + 1)
		        : 0;
		int b =
		    m->denominator.index >= 0
		        ? metric_span(l, &l->ws->metrics[m->denominator.index],
		                      depth + 1)
		        : 0;
		return a < 0 || b < 0 ? -1 : (a > b ? a : b);
	}
	case OKRA_METRIC_FORMULA:
		return expr_span(l, m->expr, depth);
	case OKRA_METRIC_REVENUE:
		return m->revenue_measure == OKRA_REV_NRR ||
		               m->revenue_measure == OKRA_REV_GRR
		           ? m->lookback * 30
		           : 0;
	default:
		return 0;
	}
}

/* kr-direction: the KR asks for the way its metric calls worse.  One
 * finding per key result: its words first (the title), then its numbers
 * (target vs a number baseline), then its kind (stay_above, stay_below). */
static void lint_direction(linter *l, const okra_key_result *kr,
                           const okra_metric *m, okra_pos title_pos)
{
	const okra_workspace *ws = l->ws;
	bool up = m->direction == OKRA_DIR_UP;
	const char *dir = up ? "direction: up (higher is better)"
	                     : "direction: down (lower is better)";
	char word[32], hint[512], from[64], to[64];
	int says = kr->title.text ? okra__text_kr_direction(kr->title.text,
	                                                    word, sizeof(word))
	                          : 0;

	snprintf(hint, sizeof(hint),
	         "if %s is better, set direction: %s on metric \"%s\"; "
	         "otherwise %s",
	         up ? "lower" : "higher", up ? "down" : "up", m->id,
	         up ? "say what should increase" : "say what should decrease");
	if (says && (says > 0) != up) {
		okra__finding_rule(l->f, ws, OKRA_RULE_KR_DIRECTION, title_pos,
		                   hint,
		                   "key result \"%s\" says \"%s\", but metric "
		                   "\"%s\" has %s",
		                   kr->id, word, m->id, dir);
		return;
	}
	if (kr->kind == OKRA_KR_MOVE &&
	    kr->baseline_kind == OKRA_BASELINE_NUMBER && kr->has_target &&
	    kr->target != kr->baseline && (kr->target > kr->baseline) != up) {
		format_number(m, kr->baseline, from, sizeof(from));
		format_number(m, kr->target, to, sizeof(to));
		snprintf(hint, sizeof(hint),
		         "check the target; if %s is better, set direction: %s "
		         "on metric \"%s\"",
		         up ? "lower" : "higher", up ? "down" : "up", m->id);
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_KR_DIRECTION, kr->target_pos, hint,
		    "key result \"%s\" has its target %s its baseline (%s, "
		    "from %s), but metric \"%s\" has %s",
		    kr->id, up ? "below" : "above", to, from, m->id, dir);
		return;
	}
	if ((kr->kind == OKRA_KR_STAY_ABOVE && !up) ||
	    (kr->kind == OKRA_KR_STAY_BELOW && up)) {
		snprintf(hint, sizeof(hint),
		         "use kind: %s, or set direction: %s on metric \"%s\" "
		         "if %s is better",
		         up ? "stay_above" : "stay_below", up ? "down" : "up",
		         m->id, up ? "lower" : "higher");
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_KR_DIRECTION, kr->metric.pos, hint,
		    "key result \"%s\" is kind: %s, but metric "
		    "\"%s\" has %s",
		    kr->id, up ? "stay_below" : "stay_above", m->id, dir);
	}
}

static bool objective_has_metric_kr(const linter *l, const okra_objective *o)
{
	for (size_t i = 0; i < o->n_krs; i++) {
		const okra_key_result *kr =
		    &l->ws->key_results[o->first_kr + i];
		if (kr->kind != OKRA_KR_MILESTONE && kr->metric.index >= 0)
			return true;
	}
	return false;
}

/* Does o contribute to a company objective (its parent is a key result
 * of one)? */
static bool under_company(const okra_workspace *ws, const okra_objective *o)
{
	return o->parent_kr >= 0 &&
	       ws->objectives[ws->key_results[o->parent_kr].objective]
	           .is_company;
}

static void lint_key_result(linter *l, const okra_key_result *kr)
{
	const okra_workspace *ws = l->ws;
	const okra_objective *o = &ws->objectives[kr->objective];
	const okra_metric *m = kr_metric(l, kr);
	const char *title = kr->title.text ? kr->title.text : "";
	okra_pos title_pos = kr->title.text ? kr->title.pos : kr->pos;
	char hint[1024];

	/* What the KR is: activity, unmeasurable or a measured outcome. */
	bool activity = false;
	if (kr->kind == OKRA_KR_MILESTONE) {
		if (!objective_has_metric_kr(l, o)) {
			activity = true;
			okra__finding_rule(
			    l->f, ws, OKRA_RULE_KR_ACTIVITY, title_pos,
			    "a milestone is allowed beside metric key results; "
			    "add one that measures the outcome this milestone "
			    "should move",
			    "key result \"%s\" is a milestone and objective "
			    "\"%s\" has no key result that measures an outcome",
			    kr->id, o->id);
		}
		return; /* milestones need no metric, baseline or target */
	}
	if (okra__text_kr_is_activity(title)) {
		activity = true;
		activity_hint(l, kr, hint, sizeof(hint));
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_KR_ACTIVITY, title_pos, hint,
		    "key result \"%s\" measures work done, not an outcome",
		    kr->id);
	}
	bool unmeasurable = false;
	if (!activity && !m && okra__text_kr_is_unmeasurable(title)) {
		unmeasurable = true;
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_KR_UNMEASURABLE, title_pos,
		    "bind a metric (metric: id) and state the change: "
		    "\"Increase <metric> from <baseline> to <target>\"",
		    "key result \"%s\" has no number and no metric, so nobody "
		    "can tell whether it was reached",
		    kr->id);
	}
	if (!activity && !m && okra__text_has_number(title))
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_KR_NO_METRIC, title_pos,
		    "add metric: <id> so okra computes the value from data",
		    "key result \"%s\" states a number but binds no metric, so "
		    "it cannot update itself",
		    kr->id);

	if (kr->kind == OKRA_KR_MOVE && !activity && !unmeasurable &&
	    kr->baseline_kind == OKRA_BASELINE_NONE)
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_KR_NO_BASELINE, kr->pos,
		    m ? "add baseline: <value when the OKR was written>, or "
		        "baseline: auto to take the metric the day before the "
		        "quarter"
		      : "add baseline: <value when the OKR was written>",
		    "key result \"%s\" has no baseline", kr->id);
	if (m && !kr->has_target)
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_KR_NO_TARGET, kr->pos,
		    "add target: <the value to reach by the end of the "
		    "quarter>",
		    "key result \"%s\" binds metric \"%s\" but has no target",
		    kr->id, m->id);
	if (!m)
		goto hypotheses;

	lint_direction(l, kr, m, title_pos);

	/* A guardrail held steady (stay_above, stay_below) on another
	 * team's metric is the method's counter-metric, not a number the
	 * squad claims to move.  A company objective moves every team's
	 * metrics; the squads' objectives under it are checked as any. */
	if (kr->kind == OKRA_KR_MOVE && o->team.id && !o->is_company &&
	    m->owner.id && strcmp(o->team.id, m->owner.id) != 0)
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_KR_NOT_OWNED, kr->metric.pos,
		    under_company(ws, o)
		        ? "bind a metric the team owns; the company objective "
		          "this one contributes to carries the other teams' "
		          "metrics"
		        : "bind a metric the team owns, or move the key result "
		          "to the owner's objective and link this one with "
		          "parent:",
		    "key result \"%s\" of team \"%s\" moves \"%s\", which team "
		    "\"%s\" owns: not in the squad's direct control",
		    kr->id, o->team.id, m->id, m->owner.id);
	if (m->type == OKRA_METRIC_MANUAL)
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_KR_MANUAL_METRIC, kr->metric.pos,
		    "keep the survey as a lagging check; bind the key result "
		    "to a leading indicator measured from events",
		    "key result \"%s\" uses \"%s\", a manual check-in: not "
		    "measurable from product data week by week",
		    kr->id, m->id);

	if (okra__metric_is_lagging(m))
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_KR_LAGGING, kr->metric.pos,
		    "pick a leading indicator the team can move inside the "
		    "quarter (level 3, e.g. activation rate) and keep this one "
		    "as the lagging check",
		    "key result \"%s\" uses \"%s\", a lagging indicator (%s)",
		    kr->id, m->id,
		    m->indicator == OKRA_INDICATOR_LAGGING
		        ? "indicator: lagging"
		    : m->level == 1 ? "level 1, the north star"
		                    : "level 2, an output metric");
	int quarter_days =
	    o->has_quarter ? o->quarter.last - o->quarter.first + 1 : 92;
	int span = metric_span(l, m, 0);
	if (span > quarter_days) {
		snprintf(
		    hint, sizeof(hint),
		    "a key result should move inside the quarter; measure an "
		    "earlier signal (e.g. day 7 or day 30 instead of day %d)",
		    span);
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_KR_WINDOW_TOO_LONG, kr->metric.pos,
		    hint,
		    "key result \"%s\" uses \"%s\", which looks "
		    "%d days out, longer than the %d-day quarter",
		    kr->id, m->id, span, quarter_days);
	}
	if ((m->type == OKRA_METRIC_COUNT ||
	     (m->type == OKRA_METRIC_SUM && !m->per_active)) &&
	    m->window.kind == OKRA_WINDOW_ALL)
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_METRIC_VANITY, kr->metric.pos,
		    "an all-time total only goes up; use a rate (a conversion, "
		    "or per: active) or a trailing window",
		    "key result \"%s\" uses \"%s\", a cumulative total with no "
		    "denominator and no window",
		    kr->id, m->id);
	if (m->n_guardrails == 0)
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_METRIC_NO_GUARDRAIL, kr->metric.pos,
		    "pair it with a counter-metric (guardrails: [id]) so it "
		    "cannot be gamed",
		    "metric \"%s\" of key result \"%s\" has no guardrail",
		    m->id, kr->id);

hypotheses:
	if (kr->n_hypotheses < 3)
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_KR_FEW_HYPOTHESES, kr->hypotheses_pos,
		    "write 3-5 testable bets: \"We believe that <change> will "
		    "<move the metric> because <reason>\"",
		    "key result \"%s\" has %zu hypothes%s; 3 to 5 make it "
		    "testable",
		    kr->id, kr->n_hypotheses,
		    kr->n_hypotheses == 1 ? "is" : "es");
	else if (kr->n_hypotheses > 5)
		okra__finding_add(
		    l->f, ws, OKRA_INFO,
		    okra__rule(OKRA_RULE_KR_FEW_HYPOTHESES)->id,
		    kr->hypotheses_pos,
		    "keep the 3-5 strongest bets; move the rest to a backlog",
		    "key result \"%s\" has %zu hypotheses; more than 5 dilutes "
		    "focus",
		    kr->id, kr->n_hypotheses);
}

/* ---------------------------------------------------------------------
 * Objectives
 * --------------------------------------------------------------------- */

static void gate_failed(void *ctx, okra_pos pos, const char *msg)
{
	linter *l = ctx;
	okra__finding_rule(l->f, l->ws, OKRA_RULE_OBJECTIVE_NOT_READY, pos,
	                   "fill it in, or move the objective back to status: "
	                   "draft",
	                   "%s (the plan's gate at status review and final)",
	                   msg);
}

static void lint_objective(linter *l, const okra_objective *o)
{
	const okra_workspace *ws = l->ws;
	const char *title = o->title.text ? o->title.text : "";
	okra_pos title_pos = o->title.text ? o->title.pos : o->pos;
	if (o->n_krs < 2 || o->n_krs > 4)
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_OBJECTIVE_KR_COUNT, o->pos,
		    o->n_krs < 2
		        ? "one key result cannot show the objective from more "
		          "than one side; add a second, e.g. a guardrail"
		        : "keep the 2-4 key results that matter most; more "
		          "spreads the team thin",
		    "objective \"%s\" has %zu key result%s; 2 to 4 is the rule",
		    o->id, o->n_krs, o->n_krs == 1 ? "" : "s");
	if (okra__text_objective_is_metric(title))
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_OBJECTIVE_METRIC, title_pos,
		    "say what should be true for whom and why, "
		    "in words; move the number into a key result",
		    "objective \"%s\" is a number target; "
		    "objectives are qualitative",
		    o->id);
	else if (okra__text_objective_is_vague(title))
		okra__finding_rule(l->f, ws, OKRA_RULE_OBJECTIVE_VAGUE,
		                   title_pos,
		                   "name who benefits and in which direction, "
		                   "e.g. \"Make activation a fast, reliable "
		                   "path to value for new accounts\"",
		                   "objective \"%s\" is generic: it names no "
		                   "segment and no outcome direction",
		                   o->id);
	if (!o->has_quarter && !o->quarter_pos.line)
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_OBJECTIVE_NO_QUARTER, o->pos,
		    "add quarter: 2026-Q4",
		    "objective \"%s\" has no quarter, so it has no deadline",
		    o->id);

	if (o->status >= OKRA_STATUS_REVIEW)
		okra__plan_gates(ws, o, gate_failed, l);
	const okra_objective *sib = okra__objective_sibling(ws, o);
	if (sib && sib < o) /* once, at the later objective */
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_TEAM_OBJECTIVES,
		    o->id_pos.line ? o->id_pos : o->pos,
		    "merge it into one objective, or mark the one that keeps "
		    "existing work running maintenance: true",
		    "team \"%s\" has a second objective in %d-Q%d, \"%s\" "
		    "besides \"%s\" (%s:%d); one per team",
		    o->team.id, o->quarter.year, o->quarter.q, o->id, sib->id,
		    sib->pos.file, sib->pos.line);

	/* Trace the parent chain up to the north star; an objective that
	 * keeps the lights on says so with maintenance: true. */
	const okra_objective *at = o;
	size_t steps = 0;
	while (at->parent_kr >= 0 && steps++ <= ws->n_objectives)
		at = &ws->objectives[ws->key_results[at->parent_kr].objective];
	if (o->is_maintenance)
		return;
	if (!at->parent_is_north_star)
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_OBJECTIVE_ORPHAN,
		    at == o && o->parent ? o->parent_pos : o->pos,
		    "set parent: north_star, or the id of the key result this "
		    "objective supports",
		    at == o ? "objective \"%s\" has no parent, so it does not "
		              "trace to the north star"
		            : "objective \"%s\" does not trace to the north "
		              "star: its parent chain ends without one",
		    o->id);
	else if (!ws->settings.north_star.id)
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_OBJECTIVE_ORPHAN, o->pos,
		    "define north_star: {metric: ...} in okra.yaml",
		    "objective \"%s\" traces to the north star, but okra.yaml "
		    "defines none",
		    o->id);
}

/* ---------------------------------------------------------------------
 * Teams: per (team, quarter)
 * --------------------------------------------------------------------- */

static void lint_team_quarter(linter *l, const okra_team *t, int team,
                              const okra_quarter *q)
{
	const okra_workspace *ws = l->ws;
	size_t n_krs = 0, n_bound = 0, n_leading = 0, n_lagging = 0;
	size_t n_metrics = ws->n_metrics;
	unsigned char *counted = calloc(n_metrics + 1, 1);
	if (!counted) {
		l->failed = true;
		return;
	}
	for (size_t i = 0; i < ws->n_objectives; i++) {
		const okra_objective *o = &ws->objectives[i];
		if (o->team.index != team || !o->has_quarter ||
		    o->quarter.first != q->first)
			continue;
		for (size_t k = 0; k < o->n_krs; k++) {
			const okra_key_result *kr =
			    &ws->key_results[o->first_kr + k];
			n_krs++;
			const okra_metric *m = kr_metric(l, kr);
			if (!m)
				continue;
			counted[kr->metric.index] = 1;
			n_bound++;
			n_leading += okra__metric_is_leading(m);
			n_lagging += okra__metric_is_lagging(m);
		}
	}
	/* KPIs: metrics the team owns with a target for this quarter. */
	size_t n_kpis = 0;
	for (size_t i = 0; i < n_metrics; i++) {
		const okra_metric *m = &ws->metrics[i];
		if (m->owner.index != team || counted[i])
			continue;
		for (size_t j = 0; j < m->n_targets; j++)
			if (m->targets[j].period.first == q->first) {
				n_kpis++;
				break;
			}
	}
	free(counted);
	char quarter[16];
	snprintf(quarter, sizeof(quarter), "%d-Q%d", q->year, q->q);
	if (n_krs + n_kpis > KPI_LIMIT)
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_TEAM_TOO_MANY_KPIS, t->id_pos,
		    "focus on 5-7 numbers a team can hold in its head; demote "
		    "the rest to monitored metrics without targets",
		    "team \"%s\" owns %zu key results and KPIs in %s; more "
		    "than %d dilutes focus",
		    t->id, n_krs + n_kpis, quarter, KPI_LIMIT);
	if (n_bound > 0 && n_leading == 0 && n_lagging > 0)
		okra__finding_rule(
		    l->f, ws, OKRA_RULE_TEAM_LAGGING_ONLY, t->id_pos,
		    "add a key result on a leading indicator the team moves "
		    "week by week (level 3 or indicator: leading)",
		    "none of team \"%s\"'s key results in %s is a leading "
		    "indicator",
		    t->id, quarter);
}

static void lint_teams(linter *l)
{
	const okra_workspace *ws = l->ws;
	for (size_t t = 0; t < ws->n_teams; t++) {
		/* Each distinct quarter this team has objectives in, once. */
		for (size_t i = 0; i < ws->n_objectives; i++) {
			const okra_objective *o = &ws->objectives[i];
			if (o->team.index != (int)t || !o->has_quarter)
				continue;
			bool seen = false;
			for (size_t j = 0; j < i && !seen; j++)
				seen = ws->objectives[j].team.index == (int)t &&
				       ws->objectives[j].has_quarter &&
				       ws->objectives[j].quarter.first ==
				           o->quarter.first;
			if (!seen)
				lint_team_quarter(l, &ws->teams[t], (int)t,
				                  &o->quarter);
		}
	}
}

okra_rc okra_lint(const okra_workspace *ws, okra_findings *findings,
                  okra_err *err)
{
	linter l = {.ws = ws, .f = findings};
	/* A list that already lost a finding (while loading) would read as
	 * fewer problems than there are: stop before adding to it. */
	if (okra_findings_failed(findings))
		goto out;
	for (size_t i = 0; i < ws->n_objectives; i++)
		lint_objective(&l, &ws->objectives[i]);
	for (size_t i = 0; i < ws->n_key_results; i++)
		lint_key_result(&l, &ws->key_results[i]);
	lint_teams(&l);
out:
	if (l.failed || okra_findings_failed(findings))
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory while collecting lint "
		                     "findings");
	return OKRA_OK;
}
