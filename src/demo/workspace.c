/*
 * workspace.c - the YAML of the demo workspace: settings, metric
 * definitions (one of every type), the quarter's OKRs, KPI trees and the
 * experiment.
 *
 * The key results' baselines and targets are set from what world.c says
 * the metrics will read, so the review shows a planned mix of green,
 * yellow, red and done; each key result carries a comment with the numbers it
 * was designed from.  Pure text building: no I/O, no randomness.
 */
#include "demo/demo.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * Planning a key result
 * --------------------------------------------------------------------- */

typedef enum { GREEN = 0, YELLOW, RED, DONE } light;

typedef struct plan {
	bool no_data;    /* the metric is null on the end date (tiny data) */
	double current;  /* what the metric reads as of the end date */
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
	p->progress = p->target != p->baseline ? (p->current - p->baseline) /
	                                             (p->target - p->baseline)
	                                       : 0;
	p->gap = p->progress - e;
	p->status = status_of(p->progress, p->gap);
}

/* A move key result with a numeric baseline: picks baseline and target
 * so that the expected progress sits where the light says, moving by
 * `move` (negative for direction: down), rounded to `step`. */
static plan plan_move(const okra_demo_world *w, okra_demo_value value,
                      double fallback, double move, light want, double step,
                      double lo, double hi)
{
	double current = value.is_null ? fallback : value.value;
	double e = elapsed(w);
	/* Green sits just behind the line (gap -0.03), not ahead of it: a
	 * key result whose trend already passes its target is sandbagged. */
	double p = want == GREEN    ? fmin(e - 0.03, 0.95)
	           : want == YELLOW ? e - 0.175
	           : want == RED    ? e - 0.45
	                            : 1.08;
	plan out = {.no_data = value.is_null, .current = current};
	double half = fabs(move) / 2;
	for (int tries = 0; tries < 8; tries++, move *= 0.7) {
		out.baseline = round_to(current - p * move, step);
		out.target = round_to(out.baseline + move, step);
		double top = fmax(out.baseline, out.target);
		double bottom = fmin(out.baseline, out.target);
		if (bottom >= lo && top <= hi)
			break;
	}
	/* Only with a handful of accounts (a rate of 0 or 1) does no move
	 * fit: keep the numbers valid and apart, the light is what it is. */
	out.baseline = fmin(fmax(out.baseline, lo), hi);
	out.target = fmin(fmax(out.target, lo), hi);
	if (fabs(out.target - out.baseline) < step / 2) {
		bool up = move > 0;
		double b = current + (up ? -half / 2 : half / 2);
		b = up ? fmin(fmax(b, lo), hi - half)
		       : fmin(fmax(b, lo + half), hi);
		out.baseline = round_to(b, step);
		out.target = round_to(up ? b + half : b - half, step);
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

/* The planned-from comment when the metric has no value (tiny data). */
static void no_data_note(okra_buf *b, const char *metric)
{
	okra__buf_printf(
	    b,
	    "        # Planned: with this few events %s has an empty\n"
	    "        # population on the end date, so this key result shows no "
	    "data.\n",
	    metric);
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
	okra__buf_printf(
	    b,
	    "# okra.yaml - the settings of the okra demo workspace.\n"
	    "#\n"
	    "# okra demo: %d files, %llu events, %zu accounts, %zu users, seed "
	    "%llu, data %s .. %s\n"
	    "#\n"
	    "# A synthetic B2B analytics product with a year of product "
	    "events,\n"
	    "# accounts, users and monthly revenue in data/ (see "
	    "docs/demo.md).\n"
	    "# The same seed, event count and end date give the same bytes.\n"
	    "# Effects built into the data, to find with okra:\n"
	    "#   - signups grow over the year (2.2x) and drop at weekends\n"
	    "#   - an outage of the EU region on %s (a Wednesday): its\n"
	    "#     accounts have about 5%% of their usual activity\n"
	    "#   - a bottleneck: accounts that connect an integration within "
	    "14\n"
	    "#     days are far more engaged, and few do\n"
	    "#   - experiment progress_indicator, %s .. %s: the treatment\n"
	    "#     lifts onboarding completion by about 10 points\n"
	    "#   - report templates shipped on %s: activation jumps for the\n"
	    "#     accounts that sign up after it\n"
	    "#   - every MRR movement: new, expansion, contraction, churn, "
	    "reactivation\n"
	    "#   - guests, deleted accounts and events without account_id\n"
	    "# The key results were set so that the review as of %s shows\n"
	    "# green, yellow, red and done lights; each one says what it was "
	    "planned from.\n"
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
	    "  events: data/events.csv        # timestamp, event, account_id, "
	    "user_id, duration_s, feature, experiment, variant, "
	    "ticket_priority\n"
	    "  accounts: data/accounts.csv    # account_id, created_at, tier, "
	    "region, seats_limit\n"
	    "  users: data/users.csv          # user_id, account_id, "
	    "created_at, role\n"
	    "  revenue: data/revenue.csv      # account_id, month, mrr\n"
	    "\n"
	    "engine: embedded\n"
	    "\n"
	    "north_star:\n"
	    "  metric: weekly_engaged_accounts\n"
	    "  outputs: [arr, nrr]\n"
	    "  inputs: [activation_rate, invite_rate_14d, dashboard_adoption,\n"
	    "           integrations_connected_14d]\n"
	    "\n"
	    "teams:\n"
	    "  - {id: onboarding, type: activation, title: Onboarding}\n"
	    "  - {id: core, type: core, title: Core product}\n"
	    "  - {id: growth, type: expansion, title: Growth and "
	    "monetization}\n",
	    OKRA_DEMO_FILES, (unsigned long long)w->n_events, w->n_accounts,
	    w->n_users_written, (unsigned long long)w->seed, first, last,
	    outage, xs, xe, templates, last);
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
	if (p->no_data) {
		no_data_note(b, metric);
		return;
	}
	okra__format_date(w->last_day, last);
	snprintf(cur, sizeof(cur), unit_fmt, p->current);
	okra__buf_printf(
	    b,
	    "        # Planned (exact for this seed, event count and end "
	    "date):\n"
	    "        # %s reads %s on %s; with %.0f%% of the\n"
	    "        # quarter gone that is progress %.2f, gap %+.2f: %s.\n",
	    metric, cur, last, elapsed(w) * 100, p->progress, p->gap,
	    p->status);
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

	okra__buf_printf(
	    b,
	    "# okrs/%s.yaml - the objectives and key results of %s.\n"
	    "#\n"
	    "# Three objectives, one per team, each tracing to the north "
	    "star.\n"
	    "# Baselines and targets were set from what the demo data will "
	    "read, so\n"
	    "# that the review shows a mix of lights: look for the comment "
	    "above\n"
	    "# each key result. With very few events a cohort can be empty, "
	    "and its\n"
	    "# key result then shows no data.\n"
	    "\n"
	    "objectives:\n",
	    q, q);

	/* -- Objective 1: onboarding ----------------------------------------
	 */
	okra__buf_printf(b,
	                 "\n"
	                 "  - id: fast_activation\n"
	                 "    title: Make activation a fast, reliable path to "
	                 "value for new accounts\n"
	                 "    why: >-\n"
	                 "      Accounts that create a report in their first "
	                 "two weeks become weekly\n"
	                 "      engaged far more often, and too many new "
	                 "accounts still never do.\n"
	                 "    team: onboarding\n"
	                 "    quarter: %s\n"
	                 "    parent: north_star\n"
	                 "    key_results:\n",
	                 q);

	plan onb =
	    plan_move(w, okra__demo_expect(w, OKRA_DEMO_M_ONBOARDING, end),
	              0.30, 0.12, GREEN, 0.001, 0.01, 0.95);
	percent(bs, sizeof(bs), onb.baseline);
	percent(ts, sizeof(ts), onb.target);
	okra__buf_puts(b, "\n");
	design_note(b, w, &onb, "onboarding_completion_rate", "%.3f");
	okra__buf_printf(
	    b,
	    "      - id: onboarding_completion\n"
	    "        title: Increase onboarding completion (all six steps "
	    "within 7 days) from %s to %s\n"
	    "        metric: onboarding_completion_rate\n"
	    "        baseline: %.3f\n"
	    "        target: %.3f\n"
	    "        stretch: %.3f\n"
	    "        measurement: onboarding funnel from product events, "
	    "cohort of the last 28 mature days, reviewed weekly\n",
	    bs, ts, onb.baseline, onb.target, onb.stretch);
	hypotheses(b, (const char *const[]){
	                  "We believe that adding a progress indicator to the "
	                  "onboarding checklist will increase completion "
	                  "because users see how close they are",
	                  "We believe that moving the data connection step "
	                  "before workspace settings will increase completion "
	                  "because it is the step that unlocks value",
	                  "We believe that inline help on the connector screen "
	                  "will increase completion because most drop-offs "
	                  "happen on a connection error",
	                  "We believe that letting users skip the invite step "
	                  "and return to it later will increase completion "
	                  "because it removes a step people postpone",
	                  NULL});

	/* Activation: baseline auto, so the plan starts from the value the
	 * day before the quarter. */
	okra_demo_value now = okra__demo_expect(w, OKRA_DEMO_M_ACTIVATION, end);
	okra_demo_value then =
	    okra__demo_expect(w, OKRA_DEMO_M_ACTIVATION, before);
	plan act = {.no_data = now.is_null || then.is_null};
	act.current = value_or(now, 0.6);
	act.baseline = value_or(then, act.current);
	double want = fmax(elapsed(w) - 0.03, 0.05);
	double rise = act.current - act.baseline;
	double move = rise > 0 ? fmin(fmax(rise / want, 0.02), 0.30) : 0.03;
	/* Upwards, never past 100%: with a handful of accounts the baseline
	 * can already be 1, and a lower target would turn the key result
	 * into a decrease. */
	act.target = round_to(fmin(act.baseline + move, 1.0), 0.001);
	act.stretch = round_to(fmin(act.target + 0.04, 1.0), 0.001);
	finish(w, &act);
	percent(ts, sizeof(ts), act.target);
	okra__buf_puts(b, "\n");
	if (act.no_data)
		no_data_note(b, "activation_rate");
	else
		okra__buf_printf(b,
		                 "        # Planned (exact for this seed, "
		                 "event count and end date):\n"
		                 "        # activation_rate reads %.3f on %s "
		                 "(the auto baseline) and\n"
		                 "        # %.3f on the end date: progress "
		                 "%.2f, gap %+.2f: %s.\n",
		                 act.baseline, day, act.current, act.progress,
		                 act.gap, act.status);
	okra__buf_printf(
	    b,
	    "      - id: activation\n"
	    "        title: Raise the 14-day activation rate of new accounts "
	    "to %s\n"
	    "        metric: activation_rate\n"
	    "        baseline: auto\n"
	    "        target: %.3f\n"
	    "        stretch: %.3f\n"
	    "        measurement: activation_rate from product events, signups "
	    "of the last 28 mature days, reviewed weekly\n",
	    ts, act.target, act.stretch);
	hypotheses(b, (const char *const[]){
	                  "We believe that offering three report templates on "
	                  "the empty home screen will raise activation because "
	                  "new users no longer start from a blank page",
	                  "We believe that connecting sample data on signup "
	                  "will raise activation because users can see a "
	                  "working report before their own data arrives",
	                  "We believe that a day-2 email with the user's "
	                  "half-finished report will raise activation because "
	                  "it brings back people who stalled on the first day",
	                  NULL});

	okra_demo_value hours =
	    okra__demo_expect(w, OKRA_DEMO_M_TIME_TO_REPORT, end);
	plan ttv = plan_move(w, hours, 40,
	                     -fmax(4, round_to(value_or(hours, 40) * 0.35, 1)),
	                     YELLOW, 0.1, 1, 336);
	okra__buf_puts(b, "\n");
	design_note(b, w, &ttv, "time_to_first_report", "%.1f hours");
	okra__buf_printf(
	    b,
	    "      - id: time_to_value\n"
	    "        title: Cut the median time from signup to first report "
	    "from %.1f hours to %.1f hours\n"
	    "        metric: time_to_first_report\n"
	    "        baseline: %.1f\n"
	    "        target: %.1f\n"
	    "        stretch: %.1f\n"
	    "        measurement: median hours from account creation to the "
	    "first report, cohort of the last 28 mature days\n",
	    ttv.baseline, ttv.target, ttv.baseline, ttv.target, ttv.stretch);
	hypotheses(
	    b, (const char *const[]){
	           "We believe that a one-click demo connector will cut the "
	           "time to first report because users no longer wait for an "
	           "admin to grant access",
	           "We believe that creating a starter report automatically "
	           "after the first sync will cut the time to first report "
	           "because the first report needs no effort",
	           "We believe that showing sync progress in the app will cut "
	           "the time to first report because users stay instead of "
	           "leaving during the first import",
	           NULL});

	double tickets = value_or(
	    okra__demo_expect(w, OKRA_DEMO_M_TICKETS_PER_ACCT, end), 0.05);
	double ceiling = fmax(0.02, ceil(tickets * 1.6 * 100) / 100);
	okra__buf_printf(
	    b,
	    "\n"
	    "        # Planned: support_tickets_per_account is expected near "
	    "%.3f on\n"
	    "        # the end date (tickets are random draws), well below the "
	    "ceiling:\n"
	    "        # green.\n"
	    "      - id: tickets_flat\n"
	    "        title: Keep support tickets per active account below %.2f "
	    "while onboarding changes\n"
	    "        kind: stay_below\n"
	    "        metric: support_tickets_per_account\n"
	    "        target: %.2f\n"
	    "        measurement: weekly tickets over weekly active accounts\n",
	    tickets, ceiling, ceiling);
	hypotheses(
	    b,
	    (const char *const[]){
	        "We believe that writing help text for each new onboarding "
	        "screen before it reaches users will keep tickets flat because "
	        "most new-flow tickets are how-to questions",
	        "We believe that rolling each onboarding change out to 10% of "
	        "signups first will keep tickets flat because problems surface "
	        "while they are still small",
	        "We believe that routing onboarding tickets to the onboarding "
	        "team for the quarter will keep tickets flat because the "
	        "people who changed the flow fix its causes fastest",
	        NULL});

	/* -- Objective 2: growth --------------------------------------------
	 */
	okra__buf_printf(
	    b,
	    "\n"
	    "  - id: team_collaboration\n"
	    "    title: Help new accounts bring more teammates in early, so "
	    "value spreads beyond the first user\n"
	    "    why: >-\n"
	    "      Accounts where several people work on shared reports retain "
	    "and\n"
	    "      expand; a report only one person sees is easy to cancel.\n"
	    "    team: growth\n"
	    "    quarter: %s\n"
	    "    parent: activation\n"
	    "    key_results:\n",
	    q);

	plan inv =
	    plan_move(w, okra__demo_expect(w, OKRA_DEMO_M_INVITES_PRO, end),
	              0.5, 0.10, RED, 0.001, 0.01, 0.98);
	percent(bs, sizeof(bs), inv.baseline);
	percent(ts, sizeof(ts), inv.target);
	okra__buf_puts(b, "\n");
	design_note(b, w, &inv, "invite_rate_14d for tier pro", "%.3f");
	okra__buf_printf(
	    b,
	    "      - id: early_invites\n"
	    "        title: Increase the share of new pro accounts inviting a "
	    "teammate within 14 days from %s to %s\n"
	    "        metric: invite_rate_14d\n"
	    "        where: {tier: pro}\n"
	    "        baseline: %.3f\n"
	    "        target: %.3f\n"
	    "        stretch: %.3f\n"
	    "        measurement: invite_rate_14d for tier pro from product "
	    "events, reviewed weekly beside retention_week_4\n",
	    bs, ts, inv.baseline, inv.target, inv.stretch);
	hypotheses(b, (const char *const[]){
	                  "We believe that suggesting colleagues from the same "
	                  "email domain will increase invites because the "
	                  "inviter does not have to type addresses",
	                  "We believe that asking who else reads a report when "
	                  "it is first shared will increase invites because it "
	                  "comes at the moment of value",
	                  "We believe that giving invited teammates read "
	                  "access without a seat will increase invites because "
	                  "admins no longer worry about the bill",
	                  NULL});

	plan col =
	    plan_move(w, okra__demo_expect(w, OKRA_DEMO_M_COLLABORATING, end),
	              0.5, 0.15, YELLOW, 0.001, 0.01, 0.98);
	percent(bs, sizeof(bs), col.baseline);
	percent(ts, sizeof(ts), col.target);
	okra__buf_puts(b, "\n");
	design_note(b, w, &col, "collaborating_accounts", "%.3f");
	okra__buf_printf(b,
	                 "      - id: more_collaboration\n"
	                 "        title: Raise the share of active accounts "
	                 "with two or more active users from %s to %s\n"
	                 "        metric: collaborating_accounts\n"
	                 "        baseline: %.3f\n"
	                 "        target: %.3f\n"
	                 "        stretch: %.3f\n"
	                 "        measurement: collaborating_accounts over 28 "
	                 "days, reviewed weekly\n",
	                 bs, ts, col.baseline, col.target, col.stretch);
	hypotheses(
	    b,
	    (const char *const[]){
	        "We believe that comments on report tiles will raise "
	        "collaboration because questions about a number get answered "
	        "where the number is",
	        "We believe that a weekly digest of report changes sent to "
	        "every member will raise collaboration because it brings back "
	        "readers who are not authors",
	        "We believe that mentioning teammates in a report will raise "
	        "collaboration because it gives a reason to open the product",
	        NULL});

	/* -- Objective 3: core ----------------------------------------------
	 */
	okra__buf_printf(b,
	                 "\n"
	                 "  - id: weekly_habit\n"
	                 "    title: Turn active accounts into teams that rely "
	                 "on the product every week\n"
	                 "    why: >-\n"
	                 "      Weekly engaged accounts are the north star; "
	                 "they come from new users\n"
	                 "      who stay past their first month and teams that "
	                 "work in the product\n"
	                 "      on most days.\n"
	                 "    team: core\n"
	                 "    quarter: %s\n"
	                 "    parent: north_star\n"
	                 "    key_results:\n",
	                 q);

	plan ret =
	    plan_move(w, okra__demo_expect(w, OKRA_DEMO_M_WEEK4_RETENTION, end),
	              0.4, 0.15, DONE, 0.001, 0.01, 0.98);
	percent(bs, sizeof(bs), ret.baseline);
	percent(ts, sizeof(ts), ret.target);
	okra__buf_puts(b, "\n");
	design_note(b, w, &ret, "retention_week_4", "%.3f");
	okra__buf_printf(
	    b,
	    "      - id: week4_retention\n"
	    "        title: Increase week-4 retention of new users from %s to "
	    "%s\n"
	    "        metric: retention_week_4\n"
	    "        baseline: %.3f\n"
	    "        target: %.3f\n"
	    "        stretch: %.3f\n"
	    "        measurement: retention_week_4 from product events, users "
	    "who signed up in the 14 days before the fourth week\n",
	    bs, ts, ret.baseline, ret.target, ret.stretch);
	hypotheses(b,
	           (const char *const[]){
	               "We believe that a personal weekly summary email in the "
	               "first month will increase week-4 retention because it "
	               "shows new users what changed in their reports",
	               "We believe that a checklist of three habits in the "
	               "first week will increase week-4 retention because "
	               "users learn the product by repeating small tasks",
	               "We believe that alerts on a report's key number will "
	               "increase week-4 retention because users come back when "
	               "something they care about moves",
	               NULL});

	plan hab = plan_move(w, okra__demo_expect(w, OKRA_DEMO_M_HABITUAL, end),
	                     0.3, 0.10, RED, 0.001, 0.01, 0.98);
	percent(bs, sizeof(bs), hab.baseline);
	percent(ts, sizeof(ts), hab.target);
	okra__buf_puts(b, "\n");
	design_note(b, w, &hab, "habitual_accounts", "%.3f");
	okra__buf_printf(
	    b,
	    "      - id: habitual_use\n"
	    "        title: Increase the share of active accounts working in "
	    "the product on 8 or more days a month from %s to %s\n"
	    "        metric: habitual_accounts\n"
	    "        baseline: %.3f\n"
	    "        target: %.3f\n"
	    "        stretch: %.3f\n"
	    "        measurement: habitual_accounts over 28 days, reviewed "
	    "weekly\n",
	    bs, ts, hab.baseline, hab.target, hab.stretch);
	hypotheses(b,
	           (const char *const[]){
	               "We believe that scheduled report refreshes will "
	               "increase habitual use because the numbers are fresh "
	               "whenever a user opens the product",
	               "We believe that a team home page with each member's "
	               "reports will increase habitual use because it becomes "
	               "the place the team starts the day",
	               "We believe that Slack notifications for dashboard "
	               "changes will increase habitual use because they pull "
	               "users back on the days they would not think of it",
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
    "# NPS has a check-in every quarter (the demo writes them into\n"
    "# .okra/okra.db), so the product-health tree has values all year.\n"
    "\n"
    "trees:\n"
    "\n"
    "  # Net new MRR = new + reactivation + expansion - contraction - "
    "churned.\n"
    "  - id: revenue_tree\n"
    "    title: Where net new MRR comes from\n"
    "    root: net_new_mrr\n"
    "\n"
    "  # Product health = 40 x engagement + 40 x retention + NPS / 10 + 10;\n"
    "  # the links say what we believe moves retention and NPS.\n"
    "  - id: product_health\n"
    "    title: What moves product health\n"
    "    root: health_score\n"
    "    children:\n"
    "      retention_d30: [retention_week_4, support_tickets_per_account]\n"
    "      nps: [support_tickets_per_account, urgent_tickets]\n"
    "\n"
    "  - id: engagement_tree\n"
    "    title: What drives weekly engaged accounts\n"
    "    root: weekly_engaged_accounts\n"
    "    children:\n"
    "      weekly_engaged_accounts: [activation_rate, dashboard_adoption, "
    "collaborating_accounts, habitual_accounts, retention_d30]\n"
    "      activation_rate: [onboarding_completion_rate, "
    "time_to_first_report]\n"
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
	okra_demo_readout x;
	okra__format_date(w->exp_start, xs);
	okra__format_date(w->exp_end, xe);
	okra__demo_experiment(w, &x);
	double rate[2];
	for (int k = 0; k < 2; k++)
		rate[k] = x.n[k] ? (double)x.completed[k] / (double)x.n[k] : 0;
	okra__buf_printf(
	    b,
	    "# experiments.yaml - the A/B test behind key result "
	    "onboarding_completion.\n"
	    "#\n"
	    "# Accounts that signed up from %s to %s saw the onboarding\n"
	    "# checklist with (treatment) or without (control) a progress "
	    "indicator,\n"
	    "# half and half, logged as experiment_exposure at signup. The "
	    "treatment\n"
	    "# makes steps 4 to 6 each %.0f points likelier. The readout as of "
	    "the end\n"
	    "# compares the accounts whose 7-day window is over by %s:\n"
	    "#   control %zu accounts, %zu completed (%.1f%%); treatment %zu "
	    "accounts,\n"
	    "#   %zu completed (%.1f%%); %zu saw both arms (excluded), %zu "
	    "immature.\n"
	    "# Planted effect on these accounts (each replayed in both arms): "
	    "%+.2f pts.\n"
	    "\n"
	    "experiments:\n"
	    "  - id: progress_indicator\n"
	    "    title: Progress indicator on the onboarding checklist\n"
	    "    key_result: onboarding_completion\n"
	    "    hypothesis: We believe that adding a progress indicator to "
	    "the onboarding checklist will increase completion because users "
	    "see how close they are\n"
	    "    start: %s\n"
	    "    end: %s\n"
	    "    exposure: {event: experiment_exposure, where: {experiment: "
	    "progress_indicator}, variant_property: variant}\n"
	    "    control: control\n"
	    "    split: {control: 0.5, treatment: 0.5}\n"
	    "    metric: onboarding_completion_rate\n"
	    "    guardrails: [support_tickets_per_account, activation_rate]\n"
	    "    minimum_detectable_effect: 0.05\n",
	    xs, xe, OKRA_DEMO_TREATMENT_LIFT * 100, xe, x.n[0], x.completed[0],
	    rate[0] * 100, x.n[1], x.completed[1], rate[1] * 100, x.n_both,
	    x.immature, x.planted * 100, xs, xe);
}

/* ---------------------------------------------------------------------
 * Entry points
 * --------------------------------------------------------------------- */

void okra__demo_yaml_path(const okra_demo_world *w, int i, char *out,
                          size_t cap)
{
	static const char *const names[OKRA_DEMO_YAML_FILES] = {
	    "okra.yaml", "metrics.yaml", NULL, "trees.yaml",
	    "experiments.yaml"};
	if (names[i])
		snprintf(out, cap, "%s", names[i]);
	else
		snprintf(out, cap, "okrs/%d-Q%d.yaml", w->quarter.year,
		         w->quarter.q);
}

void okra__demo_workspace(const okra_demo_world *w,
                          okra_buf out[OKRA_DEMO_YAML_FILES])
{
	okra_yaml(w, &out[0]);
	okra__demo_metrics_yaml(w, &out[1]);
	okrs_yaml(w, &out[2]);
	okra__buf_puts(&out[3], trees_text);
	experiments_yaml(w, &out[4]);
}
