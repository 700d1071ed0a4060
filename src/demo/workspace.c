/*
 * workspace.c - the YAML of the demo workspace: settings, metric
 * definitions (one of every type), the quarter's OKRs, KPI trees and the
 * experiment.
 *
 * The key results' baselines and targets are set from what world.c says
 * the metrics will read, so the review shows a planned mix of green,
 * yellow and red; each key result carries a comment with the numbers it
 * was designed from.  Pure text building: no I/O, no randomness.
 */
#include "demo/demo.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * Planning a key result
 * --------------------------------------------------------------------- */

typedef enum { GREEN = 0, YELLOW, RED } light;

typedef struct plan {
	double current;  /* what the metric should read as of the end date */
	double baseline; /* as written (auto: the expected auto baseline) */
	double target, stretch;
	double progress, gap;
	const char *status;
} plan;

/* Share of the quarter elapsed on the end date (SPEC 4). */
static double elapsed(const okra_demo_world *w)
{
	const okra_quarter *q = &w->quarter;
	return (double)(w->last_day - q->first + 1) / (q->last - q->first + 1);
}

static double round_to(double v, double step)
{
	return floor(v / step + 0.5) * step;
}

static const char *status_of(double progress, double gap)
{
	if (progress >= 1)
		return "done";
	return gap >= -0.10 ? "green" : gap >= -0.25 ? "yellow" : "red";
}

static void finish(const okra_demo_world *w, plan *p)
{
	double e = elapsed(w);
	p->progress = p->target != p->baseline
		? (p->current - p->baseline) / (p->target - p->baseline) : 0;
	p->gap = p->progress - e;
	p->status = status_of(p->progress, p->gap);
}

/* A move key result with a numeric baseline: picks baseline and target
 * so that the expected progress sits where the light says, moving by
 * `move` (negative for direction: down), rounded to `step`. */
static plan plan_move(const okra_demo_world *w, double current, double move,
                      light want, double step, double lo, double hi)
{
	double e = elapsed(w);
	/* Green sits just behind the line (gap -0.03), not ahead of it: a
	 * key result whose trend already passes its target is sandbagged. */
	double p = want == GREEN ? fmin(e - 0.03, 0.95)
	         : want == YELLOW ? e - 0.175 : e - 0.45;
	plan out = {.current = current};
	for (int tries = 0; tries < 8; tries++, move *= 0.7) {
		out.baseline = round_to(current - p * move, step);
		out.target = round_to(out.baseline + move, step);
		double top = fmax(out.baseline, out.target);
		double bottom = fmin(out.baseline, out.target);
		if (bottom >= lo && top <= hi)
			break;
	}
	out.stretch = round_to(out.target + move / 3, step);
	if (out.stretch < lo || out.stretch > hi)
		out.stretch = out.target;
	finish(w, &out);
	return out;
}

static double value_or(okra_demo_value v, double fallback)
{
	return v.is_null ? fallback : v.value;
}

/* ---------------------------------------------------------------------
 * okra.yaml
 * --------------------------------------------------------------------- */

static void okra_yaml(const okra_demo_world *w, okra_buf *b)
{
	char first[11], last[11], outage[11], xs[11], xe[11], templates[11];
	okra__format_date(w->first_day, first);
	okra__format_date(w->last_day, last);
	okra__format_date(w->outage_day, outage);
	okra__format_date(w->exp_start, xs);
	okra__format_date(w->exp_end, xe);
	okra__format_date(w->templates_day, templates);
	okra__buf_printf(b,
		"# okra.yaml - the settings of the okra demo workspace.\n"
		"#\n"
		"# okra demo: %d files, %llu events, %zu accounts, %zu users, seed %llu, data %s .. %s\n"
		"#\n"
		"# A synthetic B2B analytics product with a year of product events,\n"
		"# accounts, users and monthly revenue in data/ (see docs/demo.md).\n"
		"# The same seed, event count and end date give the same bytes.\n"
		"# Effects built into the data, to find with okra:\n"
		"#   - signups grow over the year (2.2x) and drop at weekends\n"
		"#   - an outage on %s (a Wednesday): about 12%% of the usual activity\n"
		"#   - experiment progress_indicator, %s .. %s: the treatment\n"
		"#     lifts onboarding completion by about 4 points\n"
		"#   - report templates shipped on %s: activation jumps for the\n"
		"#     accounts that sign up after it\n"
		"#   - every MRR movement: new, expansion, contraction, churn, reactivation\n"
		"#   - guests, deleted accounts and events without account_id\n"
		"# The key results were set so that the review as of %s shows\n"
		"# green, yellow and red lights; each one says what it was planned from.\n"
		"\n"
		"workspace: Acme Analytics (demo)\n"
		"\n"
		"calendar:\n"
		"  fiscal_year_start_month: 1     # calendar quarters\n"
		"  week_start: monday\n"
		"\n"
		"status:\n"
		"  yellow_gap: 0.10\n"
		"  red_gap: 0.25\n"
		"\n"
		"data:\n"
		"  events: data/events.csv        # timestamp, event, account_id, user_id, duration_s, feature, experiment, variant, ticket_priority\n"
		"  accounts: data/accounts.csv    # account_id, created_at, tier, region, seats_limit\n"
		"  users: data/users.csv          # user_id, account_id, created_at, role\n"
		"  revenue: data/revenue.csv      # account_id, month, mrr\n"
		"\n"
		"engine: embedded\n"
		"\n"
		"north_star:\n"
		"  metric: weekly_engaged_accounts\n"
		"  outputs: [arr, nrr]\n"
		"  inputs: [activation_rate, invite_rate_14d, dashboard_adoption]\n"
		"\n"
		"teams:\n"
		"  - {id: onboarding, type: activation, title: Onboarding}\n"
		"  - {id: core, type: core, title: Core product}\n"
		"  - {id: growth, type: expansion, title: Growth and monetization}\n",
		OKRA_DEMO_FILES, (unsigned long long)w->n_events, w->n_accounts,
		w->n_users_written,
		(unsigned long long)w->seed, first, last, outage, xs, xe, templates,
		last);
}

/* ---------------------------------------------------------------------
 * metrics.yaml
 * --------------------------------------------------------------------- */

static const char *const metrics_revenue[] = {
	"  # ===================================================================\n",
	"  # Level 2: output metrics from data/revenue.csv (M = the month of D)\n",
	"  # ===================================================================\n",
	"\n",
	"  - {id: mrr, title: Monthly recurring revenue, description: Sum of the MRR of every account in the month, type: revenue, measure: mrr, unit: currency, direction: up, indicator: lagging, level: 2, owner: growth, segments: [tier, region]}\n",
	"  - {id: arr, title: Annual recurring revenue, description: Twelve times MRR, type: revenue, measure: arr, unit: currency, direction: up, indicator: lagging, level: 2, owner: growth, segments: [tier, region, cohort]}\n",
	"  - {id: paying_accounts, title: Paying accounts, description: Accounts with MRR above 0 in the month, type: revenue, measure: paying_accounts, unit: count, direction: up, indicator: lagging, level: 2, owner: growth, segments: [tier, region]}\n",
	"  - {id: arpa, title: Average revenue per paying account, description: MRR divided by paying accounts, type: revenue, measure: arpa, unit: currency, direction: up, indicator: lagging, level: 2, owner: growth, segments: [tier]}\n",
	"  - {id: new_mrr, title: New MRR, description: MRR of accounts paying for the first time, type: revenue, measure: new, unit: currency, direction: up, indicator: lagging, level: 2, owner: growth, segments: [tier]}\n",
	"  - {id: reactivation_mrr, title: Reactivation MRR, description: MRR of accounts back after a month or more at 0, type: revenue, measure: reactivation, unit: currency, direction: up, indicator: lagging, level: 2, owner: growth}\n",
	"  - {id: expansion_mrr, title: Expansion MRR, description: MRR added by accounts that pay more than last month, type: revenue, measure: expansion, unit: currency, direction: up, indicator: lagging, level: 2, owner: growth, segments: [tier]}\n",
	"  - {id: contraction_mrr, title: Contraction MRR, description: MRR lost by accounts that pay less than last month, type: revenue, measure: contraction, unit: currency, direction: down, indicator: lagging, level: 2, owner: growth, segments: [tier]}\n",
	"  - {id: churned_mrr, title: Churned MRR, description: Last month's MRR of accounts that pay nothing this month, type: revenue, measure: churned, unit: currency, direction: down, indicator: lagging, level: 2, owner: growth, segments: [tier]}\n",
	"\n",
	"  - id: nrr\n",
	"    title: Net revenue retention (12 months)\n",
	"    description: This month's MRR of the accounts that paid 12 months ago, over their MRR then\n",
	"    type: revenue\n",
	"    measure: nrr\n",
	"    lookback: 12\n",
	"    unit: ratio\n",
	"    direction: up\n",
	"    indicator: lagging\n",
	"    level: 2\n",
	"    owner: growth\n",
	"    segments: [tier, region]\n",
	"    benchmark: 1.0\n",
	"    related: {leading: [seat_pressure, collaborating_accounts]}\n",
	"\n",
	"  - {id: grr, title: Gross revenue retention (12 months), description: Like NRR but without expansion, type: revenue, measure: grr, lookback: 12, unit: ratio, direction: up, indicator: lagging, level: 2, owner: growth, segments: [tier], benchmark: 0.9}\n",
	"  - {id: logo_churn, title: Logo churn, description: Share of last month's paying accounts that pay nothing this month, type: revenue, measure: logo_churn, unit: percent, direction: down, indicator: lagging, level: 2, owner: growth, segments: [tier, region], benchmark: 0.015}\n",
	"  - {id: revenue_churn, title: Revenue churn, description: Churned plus contraction MRR over last month's MRR, type: revenue, measure: revenue_churn, unit: percent, direction: down, indicator: lagging, level: 2, owner: growth, segments: [tier]}\n",
	"\n",
	"  # formula: the MRR bridge; the root of the revenue tree (trees.yaml).\n",
	"  - id: net_new_mrr\n",
	"    title: Net new MRR\n",
	"    description: The month's MRR change, split into the bridge's movements\n",
	"    type: formula\n",
	"    expr: new_mrr + reactivation_mrr + expansion_mrr - contraction_mrr - churned_mrr\n",
	"    unit: currency\n",
	"    direction: up\n",
	"    indicator: lagging\n",
	"    level: 2\n",
	"    owner: growth\n",
	"    segments: [tier]\n",
	"    guardrails: [logo_churn]\n",
	"\n",
	"  - id: quick_ratio\n",
	"    title: SaaS quick ratio\n",
	"    description: MRR gained per unit of MRR lost; above 4 is efficient growth\n",
	"    type: formula\n",
	"    expr: (new_mrr + reactivation_mrr + expansion_mrr) / max(contraction_mrr + churned_mrr, 1)\n",
	"    unit: ratio\n",
	"    direction: up\n",
	"    indicator: lagging\n",
	"    level: 2\n",
	"    owner: growth\n",
	"    benchmark: 4\n",
	"\n",
	"  # manual: entered with `okra checkin nps 41 --date YYYY-MM-DD`.\n",
	"  - {id: nps, title: Net promoter score, description: Quarterly in-app survey of promoters minus detractors, type: manual, unit: score, direction: up, indicator: lagging, level: 2, owner: core, frequency: {calculation: quarterly, review: quarterly}, benchmark: 40}\n",
	"\n",
	NULL,
};

static const char *const metrics_leading[] = {
	"  # ===================================================================\n",
	"  # Level 3: leading indicators (what key results bind to)\n",
	"  # ===================================================================\n",
	"\n",
	"  # conversion with a single target.\n",
	"  - id: activation_rate\n",
	"    title: Activation rate\n",
	"    description: Share of new accounts that create a first report within 14 days of signup\n",
	"    type: conversion\n",
	"    anchor: created\n",
	"    target: report_created\n",
	"    within: 14d\n",
	"    cohort: 28d\n",
	"    unit: percent\n",
	"    direction: up\n",
	"    indicator: leading\n",
	"    level: 3\n",
	"    owner: onboarding\n",
	"    segments: [tier, region, cohort]\n",
	"    frequency: {calculation: daily, review: weekly}\n",
	"    benchmark: 0.70\n",
	"    related: {leading: [onboarding_completion_rate, time_to_first_report], lagging: [retention_d30, nrr]}\n",
	"    guardrails: [retention_d30]\n",
	"\n",
	"  # conversion with steps: the six-step onboarding funnel. In the data a\n",
	"  # few accounts log two steps in the same second (they still convert)\n",
	"  # and a few log step 5 two seconds before step 4 (they stop at step 4).\n",
	"  - id: onboarding_completion_rate\n",
	"    title: Onboarding completion (7 days)\n",
	"    description: Share of new accounts that finish all six onboarding steps within 7 days of signup\n",
	"    type: conversion\n",
	"    anchor: created\n",
	"    steps: [onboarding_step_1, onboarding_step_2, onboarding_step_3, onboarding_step_4, onboarding_step_5, onboarding_step_6]\n",
	"    within: 7d\n",
	"    unit: percent\n",
	"    direction: up\n",
	"    indicator: leading\n",
	"    level: 3\n",
	"    owner: onboarding\n",
	"    segments: [tier, region, cohort]\n",
	"    benchmark: 0.45\n",
	"    related: {lagging: [activation_rate]}\n",
	"    guardrails: [retention_d30, support_tickets_per_account]\n",
	"\n",
	"  - id: time_to_first_report\n",
	"    title: Time to first report (median)\n",
	"    description: Hours from signup to the first report, median over new accounts (never within 14 days counts as infinite)\n",
	"    type: time_to\n",
	"    anchor: created\n",
	"    target: report_created\n",
	"    within: 14d\n",
	"    stat: median\n",
	"    unit: hours\n",
	"    direction: down\n",
	"    indicator: leading\n",
	"    level: 3\n",
	"    owner: onboarding\n",
	"    segments: [tier, region]\n",
	"    benchmark: 24\n",
	"    guardrails: [activation_rate]\n",
	"\n",
	"  # retention, day N, on accounts.\n",
	"  - id: retention_d30\n",
	"    title: Day-30 retention\n",
	"    description: Share of new accounts with a session on the 30th day after signup\n",
	"    type: retention\n",
	"    anchor: created\n",
	"    day: 30\n",
	"    activity: session_start\n",
	"    unit: percent\n",
	"    direction: up\n",
	"    indicator: leading\n",
	"    level: 3\n",
	"    owner: core\n",
	"    segments: [tier, region, cohort]\n",
	"    benchmark: 0.40\n",
	"    related: {lagging: [logo_churn, nrr]}\n",
	"    guardrails: [support_tickets_per_account]\n",
	"\n",
	"  # retention between two days, on users, anchored on an event.\n",
	"  - id: retention_week_4\n",
	"    title: Week-4 retention of new users\n",
	"    description: Share of new users with a session on any day of their fourth week\n",
	"    type: retention\n",
	"    entity: user\n",
	"    anchor: {event: signup}\n",
	"    between: [21, 27]\n",
	"    cohort: 14d\n",
	"    activity: session_start\n",
	"    unit: percent\n",
	"    direction: up\n",
	"    indicator: leading\n",
	"    level: 3\n",
	"    owner: core\n",
	"    segments: [tier, region]\n",
	"    benchmark: 0.45\n",
	"    guardrails: [support_tickets_per_account]\n",
	"\n",
	"  # threshold, measure {count: filter}: feature adoption.\n",
	"  - id: dashboard_adoption\n",
	"    title: Dashboard adoption (28 days)\n",
	"    description: Share of active accounts that used dashboards at least 5 times in the last 28 days\n",
	"    type: threshold\n",
	"    measure: {count: {event: feature_used, where: {feature: dashboards}}}\n",
	"    at_least: 5\n",
	"    window: 28d\n",
	"    unit: percent\n",
	"    direction: up\n",
	"    indicator: leading\n",
	"    level: 3\n",
	"    owner: core\n",
	"    segments: [tier, region, cohort]\n",
	"    benchmark: 0.60\n",
	"    guardrails: [support_tickets_per_account]\n",
	"\n",
	"  # threshold, measure distinct_users: collaboration.\n",
	"  - id: collaborating_accounts\n",
	"    title: Collaborating accounts\n",
	"    description: Share of active accounts where at least 2 users had a session in the last 28 days\n",
	"    type: threshold\n",
	"    activity: session_start\n",
	"    measure: distinct_users\n",
	"    at_least: 2\n",
	"    unit: percent\n",
	"    direction: up\n",
	"    indicator: leading\n",
	"    level: 3\n",
	"    owner: growth\n",
	"    segments: [tier, cohort]\n",
	"    benchmark: 0.60\n",
	"    related: {leading: [invite_rate_14d], lagging: [nrr]}\n",
	"    guardrails: [support_tickets_per_account]\n",
	"\n",
	"  # threshold, measure active_days: the engagement habit.\n",
	"  - id: habitual_accounts\n",
	"    title: Habitual accounts\n",
	"    description: Share of active accounts with sessions on at least 8 of the last 28 days\n",
	"    type: threshold\n",
	"    activity: session_start\n",
	"    measure: active_days\n",
	"    at_least: 8\n",
	"    unit: percent\n",
	"    direction: up\n",
	"    indicator: leading\n",
	"    level: 3\n",
	"    owner: core\n",
	"    segments: [tier, region]\n",
	"    benchmark: 0.50\n",
	"    guardrails: [support_tickets_per_account]\n",
	"\n",
	"  # threshold, measure ratio_to: users per seat (an expansion signal).\n",
	"  - id: seat_pressure\n",
	"    title: Accounts near their seat limit\n",
	"    description: Share of active accounts whose active users reach 80% of the seats_limit of their plan\n",
	"    type: threshold\n",
	"    activity: session_start\n",
	"    measure: {ratio_to: seats_limit, of: distinct_users}\n",
	"    at_least: 0.8\n",
	"    unit: percent\n",
	"    direction: up\n",
	"    indicator: leading\n",
	"    level: 3\n",
	"    owner: growth\n",
	"    segments: [tier]\n",
	"    related: {lagging: [expansion_mrr]}\n",
	"    guardrails: [logo_churn]\n",
	"\n",
	"  # ===================================================================\n",
	"  # Level 4: team inputs and supporting metrics\n",
	"  # ===================================================================\n",
	"\n",
	"  - id: invite_rate_14d\n",
	"    title: Invite rate (14 days)\n",
	"    description: Share of new accounts that invite at least one teammate within 14 days of signup\n",
	"    type: conversion\n",
	"    anchor: created\n",
	"    target: user_invited\n",
	"    within: 14d\n",
	"    unit: percent\n",
	"    direction: up\n",
	"    indicator: leading\n",
	"    level: 4\n",
	"    owner: growth\n",
	"    segments: [tier, region, cohort]\n",
	"    benchmark: 0.55\n",
	"    related: {lagging: [collaborating_accounts]}\n",
	"    guardrails: [retention_week_4]\n",
	"\n",
	"  # active: DAU, WAU and MAU differ only in the window.\n",
	"  - {id: dau, title: Daily active users, description: Users with any event on the day, type: active, entity: user, window: 1d, unit: count, direction: up, indicator: leading, level: 4, owner: core, segments: [tier, region]}\n",
	"  - {id: wau, title: Weekly active users, description: Users with any event in the last 7 days, type: active, entity: user, window: 7d, unit: count, direction: up, indicator: leading, level: 4, owner: core, segments: [tier, region]}\n",
	"  - {id: mau, title: Monthly active users, description: Users with any event in the last 28 days, type: active, entity: user, window: 28d, unit: count, direction: up, indicator: leading, level: 4, owner: core, segments: [tier, region]}\n",
	"\n",
	"  # ratio of two metrics at the same day and segment.\n",
	"  - {id: stickiness, title: Stickiness (DAU / MAU), description: Share of the month's users who come back on a given day, type: ratio, numerator: dau, denominator: mau, unit: ratio, direction: up, indicator: leading, level: 4, owner: core, segments: [tier], benchmark: 0.20}\n",
	"\n",
	"  - {id: weekly_active_accounts, title: Weekly active accounts, description: Accounts with any event in the last 7 days, type: active, window: 7d, unit: count, direction: up, indicator: leading, level: 4, owner: core, segments: [tier, region, cohort]}\n",
	"\n",
	"  # count: matching events in the window.\n",
	"  - {id: reports_created, title: Reports created (weekly), description: Reports created in the last 7 days, type: count, event: report_created, window: 7d, unit: count, direction: up, indicator: leading, level: 4, owner: core, segments: [tier, region]}\n",
	"  - {id: invites_sent, title: Invites sent (weekly), description: Teammates invited in the last 7 days, type: count, event: user_invited, unit: count, direction: up, indicator: leading, level: 4, owner: growth, segments: [tier]}\n",
	"  - {id: support_tickets, title: Support tickets (weekly), description: Support tickets opened in the last 7 days, type: count, event: support_ticket, unit: count, direction: down, indicator: leading, level: 4, owner: core, segments: [tier, region]}\n",
	"  - {id: urgent_tickets, title: Urgent support tickets (weekly), description: High and urgent tickets in the last 7 days, type: count, event: support_ticket, where: {ticket_priority: [high, urgent]}, unit: count, direction: down, indicator: leading, level: 4, owner: core, segments: [tier]}\n",
	"\n",
	"  - id: support_tickets_per_account\n",
	"    title: Support tickets per active account\n",
	"    description: Weekly tickets divided by weekly active accounts; the guardrail of most leading indicators\n",
	"    type: ratio\n",
	"    numerator: support_tickets\n",
	"    denominator: weekly_active_accounts\n",
	"    unit: ratio\n",
	"    direction: down\n",
	"    indicator: leading\n",
	"    level: 4\n",
	"    owner: core\n",
	"    segments: [tier]\n",
	"    guardrails: [nps]\n",
	"\n",
	"  # sum and avg of a numeric event property (duration_s of sessions).\n",
	"  - {id: session_seconds, title: Time in app (weekly seconds), description: Seconds of all sessions in the last 7 days, type: sum, event: session_start, property: duration_s, unit: count, direction: up, indicator: leading, level: 4, owner: core, segments: [tier]}\n",
	"  - {id: avg_session_seconds, title: Average session length (seconds), description: Mean duration of the sessions of the last 28 days, type: avg, event: session_start, property: duration_s, window: 28d, unit: count, direction: up, indicator: leading, level: 4, owner: core, segments: [tier, region]}\n",
	"\n",
	"  # per: active divides the sum by the entities with any event in the window.\n",
	"  - {id: session_seconds_per_account, title: Time in app per active account (weekly seconds), description: Session seconds of the last 7 days over the accounts active in them, type: sum, event: session_start, property: duration_s, per: active, unit: count, direction: up, indicator: leading, level: 4, owner: core, segments: [tier, region]}\n",
	"  - {id: session_seconds_per_user, title: Time in app per active user (weekly seconds), description: Session seconds of the last 7 days over the users active in them, type: avg, entity: user, event: session_start, property: duration_s, per: active, unit: count, direction: up, indicator: leading, level: 4, owner: core, segments: [tier]}\n",
	"\n",
	"  - id: hours_per_active_account\n",
	"    title: Hours in app per active account (weekly)\n",
	"    description: Time in app per active account, in hours\n",
	"    type: formula\n",
	"    expr: session_seconds_per_account / 3600\n",
	"    unit: hours\n",
	"    direction: up\n",
	"    indicator: leading\n",
	"    level: 4\n",
	"    owner: core\n",
	"    segments: [tier]\n",
	"    benchmark: 2\n",
	NULL,
};

static void metrics_yaml(const okra_demo_world *w, okra_buf *b)
{
	okra_demo_value engaged = okra__demo_expect(w, OKRA_DEMO_M_ENGAGED,
	                                            w->last_day);
	double now = value_or(engaged, 10);
	/* A KPI target, not a key result: 15% above today, 25% as stretch. */
	double target = ceil(now * 1.15), stretch = ceil(now * 1.25);
	okra__buf_printf(b,
		"# metrics.yaml - one metric of every type over the demo data.\n"
		"#\n"
		"# Levels: 1 north star, 2 outputs (revenue, lagging), 3 leading\n"
		"# indicators (what key results bind to), 4 team inputs. Segments are\n"
		"# account attributes: tier (free, pro, enterprise; a few accounts have\n"
		"# none), region (na, eu, apac) and cohort (the signup month).\n"
		"\n"
		"metrics:\n"
		"\n"
		"  # ===================================================================\n"
		"  # Level 1: the north star\n"
		"  # ===================================================================\n"
		"\n"
		"  # About %.0f as of the end date (counting days with sessions); the\n"
		"  # quarter's KPI target is 15%% above that.\n"
		"  - id: weekly_engaged_accounts\n"
		"    title: Weekly engaged accounts\n"
		"    description: Accounts with at least 3 events on at least 3 different days in the last 7 days\n"
		"    type: active\n"
		"    window: 7d\n"
		"    min_events: 3\n"
		"    min_days: 3\n"
		"    unit: count\n"
		"    direction: up\n"
		"    indicator: lagging\n"
		"    level: 1\n"
		"    owner: core\n"
		"    segments: [tier, region, cohort]\n"
		"    frequency: {calculation: daily, review: weekly}\n"
		"    targets: [{period: %d-Q%d, target: %.0f, stretch: %.0f}]\n"
		"    related: {leading: [activation_rate, dashboard_adoption, collaborating_accounts], lagging: [nrr]}\n"
		"    guardrails: [support_tickets_per_account]\n"
		"\n",
		now, w->quarter.year, w->quarter.q, target, stretch);
	for (size_t i = 0; metrics_revenue[i]; i++)
		okra__buf_puts(b, metrics_revenue[i]);
	for (size_t i = 0; metrics_leading[i]; i++)
		okra__buf_puts(b, metrics_leading[i]);
}

/* ---------------------------------------------------------------------
 * The quarter's OKRs
 * --------------------------------------------------------------------- */

static void percent(char *out, size_t cap, double v)
{
	snprintf(out, cap, "%.1f%%", v * 100);
}

/* The designed-from comment of a key result. */
static void design_note(okra_buf *b, const okra_demo_world *w, const plan *p,
                        const char *metric, const char *unit_fmt)
{
	char last[11], cur[32];
	okra__format_date(w->last_day, last);
	snprintf(cur, sizeof(cur), unit_fmt, p->current);
	okra__buf_printf(b,
		"        # Planned (exact for this seed, event count and end date):\n"
		"        # %s reads %s on %s; with %.0f%% of the\n"
		"        # quarter gone that is progress %.2f, gap %+.2f: %s.\n",
		metric, cur, last, elapsed(w) * 100, p->progress, p->gap, p->status);
}

static void hypotheses(okra_buf *b, const char *const *list)
{
	okra__buf_puts(b, "        hypotheses:\n");
	for (; *list; list++)
		okra__buf_printf(b, "          - %s\n", *list);
}

static void okrs_yaml(const okra_demo_world *w, okra_buf *b)
{
	int32_t before = w->quarter.first - 1, end = w->last_day;
	char q[16], bs[32], ts[32], day[11];
	snprintf(q, sizeof(q), "%d-Q%d", w->quarter.year, w->quarter.q);
	okra__format_date(before, day);

	okra__buf_printf(b,
		"# okrs/%s.yaml - the objectives and key results of %s.\n"
		"#\n"
		"# Three objectives, one per team, each tracing to the north star.\n"
		"# Baselines and targets were set from what the demo data will read, so\n"
		"# that the review shows a mix of lights: look for the comment above\n"
		"# each key result. With very few events a cohort can be empty, and its\n"
		"# key result then shows no data.\n"
		"\n"
		"objectives:\n", q, q);

	/* -- Objective 1: onboarding ---------------------------------------- */
	okra__buf_printf(b,
		"\n"
		"  - id: fast_activation\n"
		"    title: Make activation a fast, reliable path to value for new accounts\n"
		"    why: >-\n"
		"      Accounts that create a report in their first two weeks become weekly\n"
		"      engaged far more often, and too many new accounts still never do.\n"
		"    team: onboarding\n"
		"    quarter: %s\n"
		"    parent: north_star\n"
		"    key_results:\n", q);

	plan onb = plan_move(w, value_or(okra__demo_expect(w, OKRA_DEMO_M_ONBOARDING,
	                                                   end), 0.30),
	                     0.12, GREEN, 0.001, 0.01, 0.95);
	percent(bs, sizeof(bs), onb.baseline);
	percent(ts, sizeof(ts), onb.target);
	okra__buf_puts(b, "\n");
	design_note(b, w, &onb, "onboarding_completion_rate", "%.3f");
	okra__buf_printf(b,
		"      - id: onboarding_completion\n"
		"        title: Increase onboarding completion (all six steps within 7 days) from %s to %s\n"
		"        metric: onboarding_completion_rate\n"
		"        baseline: %.3f\n"
		"        target: %.3f\n"
		"        stretch: %.3f\n"
		"        measurement: onboarding funnel from product events, cohort of the last 28 mature days, reviewed weekly\n",
		bs, ts, onb.baseline, onb.target, onb.stretch);
	hypotheses(b, (const char *const[]){
		"We believe that adding a progress indicator to the onboarding checklist will increase completion because users see how close they are",
		"We believe that moving the data connection step before workspace settings will increase completion because it is the step that unlocks value",
		"We believe that inline help on the connector screen will increase completion because most drop-offs happen on a connection error",
		"We believe that letting users skip the invite step and return to it later will increase completion because it removes a step people postpone",
		NULL});

	/* Activation: baseline auto, so the plan starts from the value the
	 * day before the quarter. */
	plan act = {0};
	act.current = value_or(okra__demo_expect(w, OKRA_DEMO_M_ACTIVATION, end), 0.6);
	act.baseline = value_or(okra__demo_expect(w, OKRA_DEMO_M_ACTIVATION, before),
	                        act.current);
	double want = fmax(elapsed(w) - 0.03, 0.05);
	double rise = act.current - act.baseline;
	double move = rise > 0 ? fmin(fmax(rise / want, 0.02), 0.30) : 0.03;
	act.target = round_to(act.baseline + move, 0.001);
	if (act.target > 0.98)
		act.target = 0.98;
	act.stretch = round_to(fmin(act.target + 0.04, 0.99), 0.001);
	finish(w, &act);
	percent(ts, sizeof(ts), act.target);
	okra__buf_printf(b,
		"\n"
		"        # Planned (exact for this seed, event count and end date):\n"
		"        # activation_rate reads %.3f on %s (the auto baseline) and\n"
		"        # %.3f on the end date: progress %.2f, gap %+.2f: %s.\n"
		"      - id: activation\n"
		"        title: Raise the 14-day activation rate of new accounts to %s\n"
		"        metric: activation_rate\n"
		"        baseline: auto\n"
		"        target: %.3f\n"
		"        stretch: %.3f\n"
		"        measurement: activation_rate from product events, signups of the last 28 mature days, reviewed weekly\n",
		act.baseline, day, act.current, act.progress, act.gap, act.status, ts,
		act.target, act.stretch);
	hypotheses(b, (const char *const[]){
		"We believe that offering three report templates on the empty home screen will raise activation because new users no longer start from a blank page",
		"We believe that connecting sample data on signup will raise activation because users can see a working report before their own data arrives",
		"We believe that a day-2 email with the user's half-finished report will raise activation because it brings back people who stalled on the first day",
		NULL});

	double hours = value_or(okra__demo_expect(w, OKRA_DEMO_M_TIME_TO_REPORT, end), 40);
	plan ttv = plan_move(w, hours, -fmax(4, round_to(hours * 0.35, 1)), YELLOW,
	                     0.1, 1, 336);
	okra__buf_puts(b, "\n");
	design_note(b, w, &ttv, "time_to_first_report", "%.1f hours");
	okra__buf_printf(b,
		"      - id: time_to_value\n"
		"        title: Cut the median time from signup to first report from %.1f hours to %.1f hours\n"
		"        metric: time_to_first_report\n"
		"        baseline: %.1f\n"
		"        target: %.1f\n"
		"        stretch: %.1f\n"
		"        measurement: median hours from account creation to the first report, cohort of the last 28 mature days\n",
		ttv.baseline, ttv.target, ttv.baseline, ttv.target, ttv.stretch);
	hypotheses(b, (const char *const[]){
		"We believe that a one-click demo connector will cut the time to first report because users no longer wait for an admin to grant access",
		"We believe that creating a starter report automatically after the first sync will cut the time to first report because the first report needs no effort",
		"We believe that showing sync progress in the app will cut the time to first report because users stay instead of leaving during the first import",
		NULL});

	double tickets = value_or(okra__demo_expect(w, OKRA_DEMO_M_TICKETS_PER_ACCT, end),
	                          0.05);
	double ceiling = fmax(0.02, ceil(tickets * 1.6 * 100) / 100);
	okra__buf_printf(b,
		"\n"
		"        # Planned: support_tickets_per_account is expected near %.3f on\n"
		"        # the end date (tickets are random draws), well below the ceiling:\n"
		"        # green.\n"
		"      - id: tickets_flat\n"
		"        title: Keep support tickets per active account below %.2f while onboarding changes\n"
		"        kind: stay_below\n"
		"        metric: support_tickets_per_account\n"
		"        target: %.2f\n"
		"        measurement: weekly tickets over weekly active accounts\n",
		tickets, ceiling, ceiling);
	hypotheses(b, (const char *const[]){
		"We believe that writing help text for each new onboarding screen before it reaches users will keep tickets flat because most new-flow tickets are how-to questions",
		"We believe that rolling each onboarding change out to 10% of signups first will keep tickets flat because problems surface while they are still small",
		"We believe that routing onboarding tickets to the onboarding team for the quarter will keep tickets flat because the people who changed the flow fix its causes fastest",
		NULL});

	/* -- Objective 2: growth -------------------------------------------- */
	okra__buf_printf(b,
		"\n"
		"  - id: team_collaboration\n"
		"    title: Help new accounts bring more teammates in early, so value spreads beyond the first user\n"
		"    why: >-\n"
		"      Accounts where several people work on shared reports retain and\n"
		"      expand; a report only one person sees is easy to cancel.\n"
		"    team: growth\n"
		"    quarter: %s\n"
		"    parent: activation\n"
		"    key_results:\n", q);

	plan inv = plan_move(w, value_or(okra__demo_expect(w, OKRA_DEMO_M_INVITES_PRO,
	                                                   end), 0.5),
	                     0.10, RED, 0.001, 0.01, 0.98);
	percent(bs, sizeof(bs), inv.baseline);
	percent(ts, sizeof(ts), inv.target);
	okra__buf_puts(b, "\n");
	design_note(b, w, &inv, "invite_rate_14d for tier pro", "%.3f");
	okra__buf_printf(b,
		"      - id: early_invites\n"
		"        title: Increase the share of new pro accounts inviting a teammate within 14 days from %s to %s\n"
		"        metric: invite_rate_14d\n"
		"        where: {tier: pro}\n"
		"        baseline: %.3f\n"
		"        target: %.3f\n"
		"        stretch: %.3f\n"
		"        measurement: invite_rate_14d for tier pro from product events, reviewed weekly beside retention_week_4\n",
		bs, ts, inv.baseline, inv.target, inv.stretch);
	hypotheses(b, (const char *const[]){
		"We believe that suggesting colleagues from the same email domain will increase invites because the inviter does not have to type addresses",
		"We believe that asking who else reads a report when it is first shared will increase invites because it comes at the moment of value",
		"We believe that giving invited teammates read access without a seat will increase invites because admins no longer worry about the bill",
		NULL});

	plan col = plan_move(w, value_or(okra__demo_expect(w, OKRA_DEMO_M_COLLABORATING,
	                                                   end), 0.5),
	                     0.15, YELLOW, 0.001, 0.01, 0.98);
	percent(bs, sizeof(bs), col.baseline);
	percent(ts, sizeof(ts), col.target);
	okra__buf_puts(b, "\n");
	design_note(b, w, &col, "collaborating_accounts", "%.3f");
	okra__buf_printf(b,
		"      - id: more_collaboration\n"
		"        title: Raise the share of active accounts with two or more active users from %s to %s\n"
		"        metric: collaborating_accounts\n"
		"        baseline: %.3f\n"
		"        target: %.3f\n"
		"        stretch: %.3f\n"
		"        measurement: collaborating_accounts over 28 days, reviewed weekly\n",
		bs, ts, col.baseline, col.target, col.stretch);
	hypotheses(b, (const char *const[]){
		"We believe that comments on report tiles will raise collaboration because questions about a number get answered where the number is",
		"We believe that a weekly digest of report changes sent to every member will raise collaboration because it brings back readers who are not authors",
		"We believe that mentioning teammates in a report will raise collaboration because it gives a reason to open the product",
		NULL});

	/* -- Objective 3: core ---------------------------------------------- */
	okra__buf_printf(b,
		"\n"
		"  - id: weekly_habit\n"
		"    title: Turn active accounts into teams that rely on the product every week\n"
		"    why: >-\n"
		"      Weekly engaged accounts are the north star; they come from new users\n"
		"      who stay past their first month and teams that work in the product\n"
		"      on most days.\n"
		"    team: core\n"
		"    quarter: %s\n"
		"    parent: north_star\n"
		"    key_results:\n", q);

	plan ret = plan_move(w, value_or(okra__demo_expect(w, OKRA_DEMO_M_WEEK4_RETENTION,
	                                                   end), 0.4),
	                     0.15, GREEN, 0.001, 0.01, 0.98);
	percent(bs, sizeof(bs), ret.baseline);
	percent(ts, sizeof(ts), ret.target);
	okra__buf_puts(b, "\n");
	design_note(b, w, &ret, "retention_week_4", "%.3f");
	okra__buf_printf(b,
		"      - id: week4_retention\n"
		"        title: Increase week-4 retention of new users from %s to %s\n"
		"        metric: retention_week_4\n"
		"        baseline: %.3f\n"
		"        target: %.3f\n"
		"        stretch: %.3f\n"
		"        measurement: retention_week_4 from product events, users who signed up in the 14 days before the fourth week\n",
		bs, ts, ret.baseline, ret.target, ret.stretch);
	hypotheses(b, (const char *const[]){
		"We believe that a personal weekly summary email in the first month will increase week-4 retention because it shows new users what changed in their reports",
		"We believe that a checklist of three habits in the first week will increase week-4 retention because users learn the product by repeating small tasks",
		"We believe that alerts on a report's key number will increase week-4 retention because users come back when something they care about moves",
		NULL});

	plan hab = plan_move(w, value_or(okra__demo_expect(w, OKRA_DEMO_M_HABITUAL,
	                                                   end), 0.3),
	                     0.10, RED, 0.001, 0.01, 0.98);
	percent(bs, sizeof(bs), hab.baseline);
	percent(ts, sizeof(ts), hab.target);
	okra__buf_puts(b, "\n");
	design_note(b, w, &hab, "habitual_accounts", "%.3f");
	okra__buf_printf(b,
		"      - id: habitual_use\n"
		"        title: Increase the share of active accounts working in the product on 8 or more days a month from %s to %s\n"
		"        metric: habitual_accounts\n"
		"        baseline: %.3f\n"
		"        target: %.3f\n"
		"        stretch: %.3f\n"
		"        measurement: habitual_accounts over 28 days, reviewed weekly\n",
		bs, ts, hab.baseline, hab.target, hab.stretch);
	hypotheses(b, (const char *const[]){
		"We believe that scheduled report refreshes will increase habitual use because the numbers are fresh whenever a user opens the product",
		"We believe that a team home page with each member's reports will increase habitual use because it becomes the place the team starts the day",
		"We believe that Slack notifications for dashboard changes will increase habitual use because they pull users back on the days they would not think of it",
		NULL});
}

/* ---------------------------------------------------------------------
 * trees.yaml and experiments.yaml
 * --------------------------------------------------------------------- */

static const char trees_text[] =
	"# trees.yaml - KPI trees over the demo metrics.\n"
	"#\n"
	"# `okra tree ID --from D1 --to D2` attributes the root's change to the\n"
	"# leaves. The children of a formula metric are the metrics in its expr;\n"
	"# `children:` adds links that are beliefs, shown but not attributed.\n"
	"\n"
	"trees:\n"
	"\n"
	"  # Net new MRR = new + reactivation + expansion - contraction - churned.\n"
	"  - id: revenue_tree\n"
	"    title: Where net new MRR comes from\n"
	"    root: net_new_mrr\n"
	"\n"
	"  - id: engagement_tree\n"
	"    title: What drives weekly engaged accounts\n"
	"    root: weekly_engaged_accounts\n"
	"    children:\n"
	"      weekly_engaged_accounts: [activation_rate, dashboard_adoption, collaborating_accounts, habitual_accounts, retention_d30]\n"
	"      activation_rate: [onboarding_completion_rate, time_to_first_report]\n"
	"      collaborating_accounts: [invite_rate_14d, seat_pressure]\n"
	"      retention_d30: [retention_week_4, support_tickets_per_account]\n"
	"\n"
	"  # Time in app per account, a formula over a per-active sum.\n"
	"  - id: time_in_app_tree\n"
	"    title: Time in app per active account\n"
	"    root: hours_per_active_account\n";

static void experiments_yaml(const okra_demo_world *w, okra_buf *b)
{
	char xs[11], xe[11];
	size_t n[2], done[2], both;
	okra__format_date(w->exp_start, xs);
	okra__format_date(w->exp_end, xe);
	okra__demo_experiment(w, n, done, &both);
	double rate[2];
	for (int k = 0; k < 2; k++)
		rate[k] = n[k] ? (double)done[k] / (double)n[k] : 0;
	okra__buf_printf(b,
		"# experiments.yaml - the A/B test behind key result onboarding_completion.\n"
		"#\n"
		"# Accounts that signed up from %s to %s saw the onboarding\n"
		"# checklist with (treatment) or without (control) a progress indicator,\n"
		"# half and half, logged as experiment_exposure at signup. The treatment\n"
		"# makes steps 4 to 6 each 3.5 points likelier, about 4 points more\n"
		"# completion in all. In this data: control %zu accounts, %zu completed\n"
		"# (%.1f%%); treatment %zu accounts, %zu completed (%.1f%%); %zu accounts\n"
		"# saw both arms and are excluded.\n"
		"\n"
		"experiments:\n"
		"  - id: progress_indicator\n"
		"    title: Progress indicator on the onboarding checklist\n"
		"    key_result: onboarding_completion\n"
		"    hypothesis: We believe that adding a progress indicator to the onboarding checklist will increase completion because users see how close they are\n"
		"    start: %s\n"
		"    end: %s\n"
		"    exposure: {event: experiment_exposure, where: {experiment: progress_indicator}, variant_property: variant}\n"
		"    control: control\n"
		"    metric: onboarding_completion_rate\n"
		"    guardrails: [support_tickets_per_account, activation_rate]\n"
		"    minimum_detectable_effect: 0.03\n",
		xs, xe, n[0], done[0], rate[0] * 100, n[1], done[1], rate[1] * 100,
		both, xs, xe);
}

/* ---------------------------------------------------------------------
 * Entry points
 * --------------------------------------------------------------------- */

void okra__demo_yaml_path(const okra_demo_world *w, int i, char *out,
                          size_t cap)
{
	static const char *const names[OKRA_DEMO_YAML_FILES] = {
		"okra.yaml", "metrics.yaml", NULL, "trees.yaml", "experiments.yaml"};
	if (names[i])
		snprintf(out, cap, "%s", names[i]);
	else
		snprintf(out, cap, "okrs/%d-Q%d.yaml", w->quarter.year, w->quarter.q);
}

void okra__demo_workspace(const okra_demo_world *w,
                          okra_buf out[OKRA_DEMO_YAML_FILES])
{
	okra_yaml(w, &out[0]);
	metrics_yaml(w, &out[1]);
	okrs_yaml(w, &out[2]);
	okra__buf_puts(&out[3], trees_text);
	experiments_yaml(w, &out[4]);
}
