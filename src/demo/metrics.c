/*
 * metrics.c - metrics.yaml of the demo workspace: one metric of every type
 * and every revenue measure, over the demo's tables and event names.
 *
 * Static text except the north star's KPI target, which is set from what
 * world.c says the metric will read.  Flow-style entries must not hold
 * ", " or ": " inside a value (YAML would split there).
 */
#include "demo/demo.h"

#include <math.h>

static const char *const metrics_revenue[] = {
    "  # ===================================================================\n",
    "  # Level 2: output metrics from data/revenue.csv (M = the month of D)\n",
    "  # ===================================================================\n",
    "\n",
    "  - {id: mrr, title: Monthly recurring revenue, description: Sum of the "
    "MRR of every account in the month, type: revenue, measure: mrr, unit: "
    "currency, direction: up, indicator: lagging, level: 2, owner: growth, "
    "segments: [tier, region]}\n",
    "  - {id: arr, title: Annual recurring revenue, description: Twelve times "
    "MRR, type: revenue, measure: arr, unit: currency, direction: up, "
    "indicator: lagging, level: 2, owner: growth, segments: [tier, region, "
    "cohort]}\n",
    "  - {id: paying_accounts, title: Paying accounts, description: Accounts "
    "with MRR above 0 in the month, type: revenue, measure: paying_accounts, "
    "unit: count, direction: up, indicator: lagging, level: 2, owner: growth, "
    "segments: [tier, region]}\n",
    "  - {id: arpa, title: Average revenue per paying account, description: "
    "MRR divided by paying accounts, type: revenue, measure: arpa, unit: "
    "currency, direction: up, indicator: lagging, level: 2, owner: growth, "
    "segments: [tier]}\n",
    "  - {id: new_mrr, title: New MRR, description: MRR of accounts paying for "
    "the first time, type: revenue, measure: new, unit: currency, direction: "
    "up, indicator: lagging, level: 2, owner: growth, segments: [tier]}\n",
    "  - {id: reactivation_mrr, title: Reactivation MRR, description: MRR of "
    "accounts back after a month or more at 0, type: revenue, measure: "
    "reactivation, unit: currency, direction: up, indicator: lagging, level: "
    "2, owner: growth}\n",
    "  - {id: expansion_mrr, title: Expansion MRR, description: MRR added by "
    "accounts that pay more than last month, type: revenue, measure: "
    "expansion, unit: currency, direction: up, indicator: lagging, level: 2, "
    "owner: growth, segments: [tier]}\n",
    "  - {id: contraction_mrr, title: Contraction MRR, description: MRR lost "
    "by accounts that pay less than last month, type: revenue, measure: "
    "contraction, unit: currency, direction: down, indicator: lagging, level: "
    "2, owner: growth, segments: [tier]}\n",
    "  - {id: churned_mrr, title: Churned MRR, description: Last month's MRR "
    "of accounts that pay nothing this month, type: revenue, measure: churned, "
    "unit: currency, direction: down, indicator: lagging, level: 2, owner: "
    "growth, segments: [tier]}\n",
    "\n",
    "  - id: nrr\n",
    "    title: Net revenue retention (12 months)\n",
    "    description: This month's MRR of the accounts that paid 12 months "
    "ago, over their MRR then\n",
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
    "  - {id: grr, title: Gross revenue retention (12 months), description: "
    "Like NRR but without expansion, type: revenue, measure: grr, lookback: "
    "12, unit: ratio, direction: up, indicator: lagging, level: 2, owner: "
    "growth, segments: [tier], benchmark: 0.9}\n",
    "  - {id: logo_churn, title: Logo churn, description: Share of last "
    "month's paying accounts that pay nothing this month, type: revenue, "
    "measure: logo_churn, unit: percent, direction: down, indicator: lagging, "
    "level: 2, owner: growth, segments: [tier, region], benchmark: 0.015}\n",
    "  - {id: revenue_churn, title: Revenue churn, description: Churned plus "
    "contraction MRR over last month's MRR, type: revenue, measure: "
    "revenue_churn, unit: percent, direction: down, indicator: lagging, level: "
    "2, owner: growth, segments: [tier]}\n",
    "\n",
    "  # formula: the MRR bridge; the root of the revenue tree (trees.yaml).\n",
    "  - id: net_new_mrr\n",
    "    title: Net new MRR\n",
    "    description: The month's MRR change, split into the bridge's "
    "movements\n",
    "    type: formula\n",
    "    expr: new_mrr + reactivation_mrr + expansion_mrr - contraction_mrr - "
    "churned_mrr\n",
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
    "    description: MRR gained per unit of MRR lost; above 4 is efficient "
    "growth\n",
    "    type: formula\n",
    "    expr: (new_mrr + reactivation_mrr + expansion_mrr) / "
    "max(contraction_mrr + churned_mrr, 1)\n",
    "    unit: ratio\n",
    "    direction: up\n",
    "    indicator: lagging\n",
    "    level: 2\n",
    "    owner: growth\n",
    "    benchmark: 4\n",
    "\n",
    "  # manual: entered with `okra checkin nps 41 --date YYYY-MM-DD`.\n",
    "  - {id: nps, title: Net promoter score, description: Quarterly in-app "
    "survey of promoters minus detractors, type: manual, unit: score, "
    "direction: up, indicator: lagging, level: 2, owner: core, frequency: "
    "{calculation: quarterly, review: quarterly}, benchmark: 40}\n",
    "\n",
    "  # formula over a ratio, a retention and a manual metric: the root of\n",
    "  # the product-health tree (trees.yaml). Engagement and retention are\n",
    "  # shares of 1, NPS runs from -100 to 100: each part weighs up to 40, "
    "40\n",
    "  # and 20 points of 100.\n",
    "  - id: health_score\n",
    "    title: Product health score\n",
    "    description: Engagement (DAU / MAU), day-30 retention and NPS on one "
    "0-100 scale\n",
    "    type: formula\n",
    "    expr: 40 * stickiness + 40 * retention_d30 + (nps + 100) / 10\n",
    "    unit: score\n",
    "    direction: up\n",
    "    owner: core\n",
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
    "    description: Share of new accounts that create a first report within "
    "14 days of signup\n",
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
    "    related: {leading: [onboarding_completion_rate, "
    "time_to_first_report], lagging: [retention_d30, nrr]}\n",
    "    guardrails: [retention_d30]\n",
    "\n",
    "  # conversion with steps: the six-step onboarding funnel. In the data "
    "a\n",
    "  # few accounts log two steps in the same second (they still convert)\n",
    "  # and a few log step 5 two seconds before step 4 (they stop at step "
    "4).\n",
    "  - id: onboarding_completion_rate\n",
    "    title: Onboarding completion (7 days)\n",
    "    description: Share of new accounts that finish all six onboarding "
    "steps within 7 days of signup\n",
    "    type: conversion\n",
    "    anchor: created\n",
    "    steps: [onboarding_step_1, onboarding_step_2, onboarding_step_3, "
    "onboarding_step_4, onboarding_step_5, onboarding_step_6]\n",
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
    "    description: Hours from signup to the first report, median over new "
    "accounts (never within 14 days counts as infinite)\n",
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
    "    description: Share of new accounts with a session on the 30th day "
    "after signup\n",
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
    "    description: Share of new users with a session on any day of their "
    "fourth week\n",
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
    "    description: Share of active accounts that used dashboards at least 5 "
    "times in the last 28 days\n",
    "    type: threshold\n",
    "    measure: {count: {event: feature_used, where: {feature: "
    "dashboards}}}\n",
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
    "    description: Share of active accounts where at least 2 users had a "
    "session in the last 28 days\n",
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
    "    description: Share of active accounts with sessions on at least 8 of "
    "the last 28 days\n",
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
    "    description: Share of active accounts whose active users reach 80% of "
    "the seats_limit of their plan\n",
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
    "    description: Share of new accounts that invite at least one teammate "
    "within 14 days of signup\n",
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
    "  # The north star's planted bottleneck (okra diagnose names it).\n",
    "  - id: integrations_connected_14d\n",
    "    title: Integration connected (14 days)\n",
    "    description: Share of new accounts that connect an integration "
    "within 14 days of signup\n",
    "    type: conversion\n",
    "    anchor: created\n",
    "    target: integration_connected\n",
    "    within: 14d\n",
    "    unit: percent\n",
    "    direction: up\n",
    "    indicator: leading\n",
    "    level: 4\n",
    "    owner: onboarding\n",
    "    segments: [tier, region, cohort]\n",
    "    benchmark: 0.60\n",
    "    related: {lagging: [weekly_engaged_accounts]}\n",
    "    guardrails: [support_tickets_per_account]\n",
    "\n",
    "  # active: DAU, WAU and MAU differ only in the window.\n",
    "  - {id: dau, title: Daily active users, description: Users with any "
    "event on the day, type: active, entity: user, window: 1d, unit: count, "
    "direction: up, indicator: leading, level: 4, owner: core, segments: "
    "[tier, region]}\n",
    "  - {id: wau, title: Weekly active users, description: Users with any "
    "event in the last 7 days, type: active, entity: user, window: 7d, unit: "
    "count, direction: up, indicator: leading, level: 4, owner: core, "
    "segments: [tier, region]}\n",
    "  - {id: mau, title: Monthly active users, description: Users with any "
    "event in the last 28 days, type: active, entity: user, window: 28d, unit: "
    "count, direction: up, indicator: leading, level: 4, owner: core, "
    "segments: [tier, region]}\n",
    "\n",
    "  # ratio of two metrics at the same day and segment.\n",
    "  - {id: stickiness, title: Stickiness (DAU / MAU), description: Share of "
    "the month's users who come back on a given day, type: ratio, numerator: "
    "dau, denominator: mau, unit: ratio, direction: up, indicator: leading, "
    "level: 4, owner: core, segments: [tier], benchmark: 0.20}\n",
    "\n",
    "  - {id: weekly_active_accounts, title: Weekly active accounts, "
    "description: Accounts with any event in the last 7 days, type: active, "
    "window: 7d, unit: count, direction: up, indicator: leading, level: 4, "
    "owner: core, segments: [tier, region, cohort]}\n",
    "\n",
    "  # count: matching events in the window.\n",
    "  - {id: reports_created, title: Reports created (weekly), description: "
    "Reports created in the last 7 days, type: count, event: report_created, "
    "window: 7d, unit: count, direction: up, indicator: leading, level: 4, "
    "owner: core, segments: [tier, region]}\n",
    "  - {id: invites_sent, title: Invites sent (weekly), description: "
    "Teammates invited in the last 7 days, type: count, event: user_invited, "
    "unit: count, direction: up, indicator: leading, level: 4, owner: growth, "
    "segments: [tier]}\n",
    "  - {id: support_tickets, title: Support tickets (weekly), description: "
    "Support tickets opened in the last 7 days, type: count, event: "
    "support_ticket, unit: count, direction: down, indicator: leading, level: "
    "4, owner: core, segments: [tier, region]}\n",
    "  - {id: urgent_tickets, title: Urgent support tickets (weekly), "
    "description: High and urgent tickets in the last 7 days, type: count, "
    "event: support_ticket, where: {ticket_priority: [high, urgent]}, unit: "
    "count, direction: down, indicator: leading, level: 4, owner: core, "
    "segments: [tier]}\n",
    "\n",
    "  - id: support_tickets_per_account\n",
    "    title: Support tickets per active account\n",
    "    description: Weekly tickets divided by weekly active accounts; the "
    "guardrail of most leading indicators\n",
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
    "  - {id: session_seconds, title: Time in app (weekly seconds), "
    "description: Seconds of all sessions in the last 7 days, type: sum, "
    "event: session_start, property: duration_s, unit: count, direction: up, "
    "indicator: leading, level: 4, owner: core, segments: [tier]}\n",
    "  - {id: avg_session_seconds, title: Average session length (seconds), "
    "description: Mean duration of the sessions of the last 28 days, type: "
    "avg, event: session_start, property: duration_s, window: 28d, unit: "
    "count, direction: up, indicator: leading, level: 4, owner: core, "
    "segments: [tier, region]}\n",
    "\n",
    "  # per: active divides the sum by the entities with any event in the "
    "window.\n",
    "  - {id: session_seconds_per_account, title: Time in app per active "
    "account (weekly seconds), description: Session seconds of the last 7 days "
    "over the accounts active in them, type: sum, event: session_start, "
    "property: duration_s, per: active, unit: count, direction: up, indicator: "
    "leading, level: 4, owner: core, segments: [tier, region]}\n",
    "  - {id: session_seconds_per_user, title: Time in app per active user "
    "(weekly seconds), description: Session seconds of the last 7 days over "
    "the users active in them, type: avg, entity: user, event: session_start, "
    "property: duration_s, per: active, unit: count, direction: up, indicator: "
    "leading, level: 4, owner: core, segments: [tier]}\n",
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

void okra__demo_metrics_yaml(const okra_demo_world *w, okra_buf *b)
{
	okra_demo_value engaged =
	    okra__demo_expect(w, OKRA_DEMO_M_ENGAGED, w->last_day);
	double now = engaged.is_null ? 10 : engaged.value;
	/* A KPI target, not a key result: 15% above today, 25% as stretch. */
	double target = ceil(now * 1.15), stretch = ceil(now * 1.25);
	okra__buf_printf(
	    b,
	    "# metrics.yaml - one metric of every type over the demo data.\n"
	    "#\n"
	    "# Levels: 1 north star (the leading indicator of the business, "
	    "reviewed\n"
	    "# weekly), 2 outputs (revenue, lagging), 3 leading indicators "
	    "(what key\n"
	    "# results bind to), 4 team inputs. Segments are account "
	    "attributes: tier\n"
	    "# (free, pro, enterprise; a few accounts have none), region (na, "
	    "eu, apac)\n"
	    "# and cohort (the signup month).\n"
	    "\n"
	    "metrics:\n"
	    "\n"
	    "  # "
	    "=================================================================="
	    "=\n"
	    "  # Level 1: the north star\n"
	    "  # "
	    "=================================================================="
	    "=\n"
	    "\n"
	    "  # About %.0f as of the end date (counting days with sessions); "
	    "the\n"
	    "  # quarter's KPI target is 15%% above that.\n"
	    "  - id: weekly_engaged_accounts\n"
	    "    title: Weekly engaged accounts\n"
	    "    description: Accounts with at least 3 events on at least 3 "
	    "different days in the last 7 days\n"
	    "    type: active\n"
	    "    window: 7d\n"
	    "    min_events: 3\n"
	    "    min_days: 3\n"
	    "    unit: count\n"
	    "    direction: up\n"
	    "    indicator: leading\n"
	    "    level: 1\n"
	    "    owner: core\n"
	    "    segments: [tier, region, cohort]\n"
	    "    frequency: {calculation: daily, review: weekly}\n"
	    "    targets: [{period: %d-Q%d, target: %.0f, stretch: %.0f}]\n"
	    "    related: {leading: [activation_rate, dashboard_adoption, "
	    "collaborating_accounts], lagging: [nrr]}\n"
	    "    guardrails: [support_tickets_per_account]\n"
	    "\n",
	    now, w->quarter.year, w->quarter.q, target, stretch);
	for (size_t i = 0; metrics_revenue[i]; i++)
		okra__buf_puts(b, metrics_revenue[i]);
	for (size_t i = 0; metrics_leading[i]; i++)
		okra__buf_puts(b, metrics_leading[i]);
}
