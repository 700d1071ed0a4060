/*
 * rules.c - the catalogue of finding rules: every rule id that loading,
 * checking and linting report, with its severity and its documentation.
 *
 * One row per rule, in the order `okra lint --explain` and docs/lint.md
 * list them.  It sits in base/, below every module that adds findings
 * (yaml/, model/, okr/, review/), as a compiler keeps its diagnostic
 * catalogue in its lowest layer; findings.c refuses (assert) an id that
 * is not here.  Data only: no rule logic lives in this file.
 */
#include "okra_int.h"

#include <assert.h>
#include <string.h>

#define E (1u << OKRA_ERROR)
#define W (1u << OKRA_WARNING)
#define I (1u << OKRA_INFO)

static const okra_rule rules[OKRA_RULE_COUNT] = {
    /* ---- key results ---- */
    [OKRA_RULE_KR_ACTIVITY] =
        {"kr-activity", OKRA_ERROR, E, "key results",
         "the key result measures work done, not a change in behaviour "
         "(\"Ship\", \"Launch\", \"Hire 3\", \"Publish 12 posts\")",
         "A key result is an outcome: a number that moves when users behave "
         "differently. The test: if the work were done and no user behaved "
         "differently, would it still count? The title reads as an activity "
         "when an activity verb heads it (ship, launch, build, complete, "
         "migrate, hire, publish, write, conduct, ...), when it names "
         "finished work (\"Redesign shipped by Nov 15\", \"X is enabled by "
         "default\"), a milestone (\"Achieve SOC 2 certification\") or "
         "counted work (\"Make 200 cold calls\"), unless it also states a "
         "measured result (a rate, money, an audience reached, a second "
         "clause with a measured change). A milestone key result is an "
         "activity too when its objective has no key result bound to a "
         "metric.",
         "State the change the work should cause and bind the metric that "
         "measures it: \"Ship the redesigned checklist\" becomes \"Increase "
         "onboarding completion from 38% to 55%\" with metric: "
         "onboarding_completion_rate, and shipping the checklist becomes one "
         "of its hypotheses."},
    [OKRA_RULE_KR_UNMEASURABLE] =
        {"kr-unmeasurable", OKRA_ERROR, E, "key results",
         "no metric, and the title states no number and no change "
         "(\"Improve the experience\")",
         "The key result binds no metric and its title states neither a "
         "number nor a change (\"from 38% to 60%\", \"up 20%\"): vague verbs "
         "without a measurement (\"Improve ...\", \"Make users happier\"). "
         "A number that is a name does not count: \"Improve day-30 "
         "retention\" is unmeasurable. Nobody can tell at the end of the "
         "quarter whether it was reached.",
         "Decide which number would show the improvement, define it as a "
         "metric, bind it and state the change: \"Raise the average report "
         "rating from 3.9 to 4.3\" with metric: avg_report_rating."},
    [OKRA_RULE_KR_NO_METRIC] =
        {"kr-no-metric", OKRA_WARNING, W, "key results",
         "no metric, but the title states a number, so the key result "
         "cannot update itself",
         "The title states a number but the key result binds no metric: "
         "okra cannot compute its current value, so its status depends on "
         "someone copying numbers from a spreadsheet.",
         "Bind the metric (metric: logo_churn), defining it first if "
         "needed. For a number okra cannot compute, such as a survey score, "
         "define a type: manual metric and record check-ins."},
    [OKRA_RULE_KR_NO_BASELINE] =
        {"kr-no-baseline", OKRA_ERROR, E, "key results",
         "a move key result without a baseline, or baseline: auto without "
         "data before the quarter",
         "A move key result (the default kind) needs the value it starts "
         "from: without it there is no progress, no expected value and no "
         "status. It fires when baseline is missing, and, when the "
         "workspace has data, when baseline: auto finds no value on the day "
         "before the quarter. stay_above, stay_below and milestone key "
         "results need no baseline.",
         "Write the value when the OKR was written (baseline: 0.34), or "
         "baseline: auto to take the metric as of the day before the "
         "quarter, which needs data from before the quarter."},
    [OKRA_RULE_KR_NO_TARGET] =
        {"kr-no-target", OKRA_ERROR, E, "key results",
         "the key result binds a metric but has no target",
         "A key result bound to a metric has no target, so it has no "
         "definition of done and no status. Every kind but milestone needs "
         "one.",
         "Add target: in the metric's unit (shares as fractions, 0.60 for "
         "60%), and optionally stretch:."},
    [OKRA_RULE_KR_DIRECTION] =
        {"kr-direction", OKRA_ERROR, E, "key results",
         "the key result's words (\"reduce\", \"increase\"), its target vs "
         "baseline or its kind contradict the metric's direction",
         "A metric says which way is better (direction: up, the default, or "
         "down). A key result that asks for the other way is a mistake in "
         "one of the two: its light, forecast and suggestions would count "
         "the wrong way as progress. It fires when the title opens with a "
         "verb of the other direction (reduce, cut, lower, decrease, "
         "shrink, halve, minimise, eliminate; increase, grow, raise, boost, "
         "double, triple, lift, expand) or states the change as \"up\" or "
         "\"down\" (\"Churn down from 4% to 2%\"); else when a move key "
         "result's number target lies on the worse side of its number "
         "baseline; else when a stay_above key result binds a direction: "
         "down metric, or stay_below a direction: up one. One finding per "
         "key result, in that order.",
         "If lower is better, set direction: down on the metric; otherwise "
         "reword the key result or correct its target, e.g. \"Reduce time "
         "to first report from 26 h to 8 h\" with a time_to metric that has "
         "direction: down."},
    [OKRA_RULE_KR_LAGGING] =
        {"kr-lagging", OKRA_WARNING, W, "key results",
         "the key result's metric is a lagging indicator",
         "The metric has indicator: lagging, or no indicator and level 1 "
         "(the north star) or level 2 (an output such as ARR or NRR). "
         "Lagging metrics confirm success months later; a team cannot steer "
         "by them inside a quarter.",
         "Bind the leading indicator that drives it (for expansion revenue: "
         "accounts near their seat limit, upgrade conversion) and keep the "
         "lagging metric as a check in the review's dashboard."},
    [OKRA_RULE_KR_WINDOW_TOO_LONG] =
        {"kr-window-too-long", OKRA_WARNING, W, "key results",
         "the metric looks further out (window, within, day) than the "
         "quarter is long",
         "The metric's window, within or day (for ratios and formulas, the "
         "longest among the inputs) is longer than the key result's "
         "quarter, e.g. 180-day retention: it cannot move inside the quarter "
         "it is set for.",
         "Measure an earlier signal of the same outcome: day-30 instead of "
         "day-180 retention, NRR over 3 months instead of 12; keep the long "
         "one as a lagging check."},
    [OKRA_RULE_KR_FEW_HYPOTHESES] =
        {"kr-few-hypotheses", OKRA_WARNING, W | I, "key results",
         "fewer than 3 hypotheses (warning), or more than 5 (info)",
         "A key result is a bet; 3 to 5 hypotheses of the form \"We believe "
         "that <change> will <effect> because <reason>\" make it testable "
         "and give the team its experiments. Fewer than 3 is a warning; "
         "more than 5 dilutes focus and is an info. Milestones are not "
         "checked.",
         "Write at least three bets, or keep the strongest five and move "
         "the rest to a backlog."},
    [OKRA_RULE_KR_NOT_OWNED] =
        {"kr-not-owned", OKRA_WARNING, W, "key results",
         "the key result's metric is owned by another team",
         "The metric's owner is a team other than the objective's: the "
         "number is not in the squad's direct control, and two teams "
         "pulling one metric cannot tell whose work moved it. Objectives "
         "without a team, company objectives and metrics without an owner "
         "are not checked; a squad's objective under a company objective "
         "is.",
         "Bind a metric the team owns (often an input of the other team's "
         "metric), or move the key result to the owning team's objective "
         "and link this objective to it with parent:."},
    [OKRA_RULE_KR_MANUAL_METRIC] =
        {"kr-manual-metric", OKRA_INFO, I, "key results",
         "the key result's metric is a manual check-in, not product data",
         "A manual metric (type: manual: a survey such as NPS, a number "
         "typed in with okra checkin) updates only when someone checks it "
         "in, so the key result moves in steps a quarter apart at best and "
         "cannot be measured from product data week by week.",
         "Keep the survey as a lagging check and bind the key result to a "
         "leading indicator measured from events that the survey's answers "
         "follow."},
    /* ---- objectives ---- */
    [OKRA_RULE_OBJECTIVE_KR_COUNT] =
        {"objective-kr-count", OKRA_WARNING, W, "objectives",
         "fewer than 2 or more than 4 key results",
         "One key result shows the objective from one side only and is easy "
         "to game; more than four spread the team thin. Milestones count.",
         "Add a second key result (a counter-metric as kind: stay_below "
         "works well), or keep the 2-4 that matter and move the rest to "
         "KPIs without targets."},
    [OKRA_RULE_OBJECTIVE_VAGUE] =
        {"objective-vague", OKRA_WARNING, W, "objectives",
         "the objective is generic: it names no segment and no concrete "
         "outcome (\"Increase engagement\")",
         "The objective is built only from the vocabulary every objective "
         "uses (\"Improve the product\", \"Drive growth\") and names no "
         "audience or segment and no concrete outcome. Not reported when "
         "the objective is already objective-metric.",
         "Say who benefits and what changes for them: \"Make shared "
         "dashboards a weekly habit for new business-plan teams\"."},
    [OKRA_RULE_OBJECTIVE_METRIC] =
        {"objective-metric", OKRA_WARNING, W, "objectives",
         "the objective is itself a number target (\"Increase NPS to 50\")",
         "Objectives are qualitative and inspiring; the numbers belong in "
         "their key results. Numbers that only name or draw an audience "
         "(\"#1\", \"our top 100 accounts\", \"teams under 50 seats\") do "
         "not count.",
         "Say what should be true for whom, in words (\"Make account admins "
         "trust our reports more than their spreadsheets\"), and move the "
         "number into a key result."},
    [OKRA_RULE_OBJECTIVE_NO_QUARTER] =
        {"objective-no-quarter", OKRA_ERROR, E, "objectives",
         "the objective has no quarter",
         "Without a quarter the objective has no deadline: it is never "
         "reviewed, scored or closed. A quarter that is present but "
         "malformed is a type-mismatch instead.",
         "Add quarter: 2026-Q4 (a fiscal quarter, see calendar: in "
         "okra.yaml)."},
    [OKRA_RULE_OBJECTIVE_ORPHAN] =
        {"objective-orphan", OKRA_WARNING, W, "objectives",
         "the objective's parent chain does not reach the north star",
         "The objective has no parent, or its chain of parents (objective, "
         "parent key result, that key result's objective, ...) ends at an "
         "objective without one, or reaches parent: north_star while "
         "okra.yaml defines no north_star.",
         "Set parent: north_star, or the id of the key result (of another "
         "objective) that this objective moves. Fixing the top of a chain "
         "fixes every objective below it."},
    [OKRA_RULE_OBJECTIVE_NOT_READY] =
        {"objective-not-ready", OKRA_ERROR, E, "objectives",
         "at status review or final, the objective fails a gate of the "
         "quarter's plan",
         "An objective with status: review or status: final must pass the "
         "plan's gates: every key result bound to a metric, with a baseline "
         "and a target and 3 to 5 hypotheses written out (no <...> "
         "placeholder left); the objective traced to the north star or "
         "marked maintenance: true; and the only objective of its team in "
         "the quarter unless marked maintenance: true or level: company. "
         "Drafts (status: draft, or no status) are not gated.",
         "Fill in what the finding names, or move the objective back to "
         "status: draft. okra plan --check QUARTER scores every team."},
    /* ---- teams ---- */
    [OKRA_RULE_TEAM_TOO_MANY_KPIS] =
        {"team-too-many-kpis", OKRA_WARNING, W, "teams",
         "a team carries more than 7 key results and KPIs in one quarter",
         "Counted per team and quarter: every key result of the team's "
         "objectives in that quarter, plus the metrics it owns that have a "
         "targets entry for the quarter and are not already bound by one of "
         "those key results.",
         "Keep 5-7 numbers a team can hold in its head: drop targets from "
         "metrics the team only monitors, and cut key results to 2-4 per "
         "objective."},
    [OKRA_RULE_TEAM_LAGGING_ONLY] =
        {"team-lagging-only", OKRA_WARNING, W, "teams",
         "none of a team's key results in a quarter is a leading indicator",
         "In one quarter the team's key results bind at least one metric, "
         "none of them leading and at least one lagging. Leading: "
         "indicator: leading, or level 3 or 4 without an indicator.",
         "Add (or switch to) a key result on the leading indicator the team "
         "moves week by week."},
    [OKRA_RULE_TEAM_OBJECTIVES] =
        {"team-objectives", OKRA_WARNING, W, "teams",
         "a team has more than one objective in one quarter",
         "A squad works on one objective per quarter. Objectives marked "
         "maintenance: true (keeping the lights on) or level: company are "
         "not counted. Reported once per extra objective, at its id.",
         "Merge the objectives into one, or mark the one that keeps "
         "existing work running maintenance: true."},
    /* ---- metrics ---- */
    [OKRA_RULE_METRIC_VANITY] =
        {"metric-vanity", OKRA_WARNING, W, "metrics",
         "a key result on a cumulative total with no denominator and no "
         "window",
         "A count, or a sum without per: active, with window: all (total "
         "signups, all-time page views) only ever goes up, whatever the "
         "team does.",
         "Measure a rate or a period: weekly signups (window: 7d), the "
         "trial-to-paid conversion, or per: active for a sum."},
    [OKRA_RULE_METRIC_NO_GUARDRAIL] =
        {"metric-no-guardrail", OKRA_INFO, I, "metrics",
         "a key result's metric has no guardrails pairing",
         "Nothing would show if the number were hit by gaming it (sharing "
         "the same report to yourself to raise \"reports shared\").",
         "Add guardrails: [id] to the metric definition, e.g. collaborating "
         "accounts or support tickets per account; the review shows "
         "guardrails beside the key result."},
    /* ---- rules that read data ---- */
    [OKRA_RULE_TARGET_SANDBAGGED] =
        {"target-sandbagged", OKRA_WARNING, W, "data",
         "with data: the target is at or below where the current trend "
         "already leads by the end of the quarter",
         "The trend is the least-squares line through the weekly values "
         "since the quarter began (at least 3), else through the last 13 "
         "weekly values before it. A target the trend reaches anyway asks "
         "for no work.",
         "Set the target beyond the trend, for instance at the stretch "
         "value."},
    [OKRA_RULE_TARGET_UNREACHABLE] =
        {"target-unreachable", OKRA_INFO, I, "data",
         "with data: the target needs a change several times larger than "
         "the largest quarterly change in the metric's history",
         "The change from baseline to target is more than 3 times the "
         "largest change between two quarter ends in the metric's history.",
         "Check the target against the history, or name the bigger bet "
         "that makes it reachable."},
    [OKRA_RULE_DATA_UNKNOWN_EVENT] =
        {"data-unknown-event", OKRA_WARNING, W, "data",
         "with data: an event name in a metric's filter, anchor, target or "
         "steps never occurs in the data (with the nearest name that does)",
         "A metric that counts an event the data never contains is zero "
         "for ever, which looks like a real value. The nearest event name "
         "that does occur is suggested.",
         "Correct the event name to the one the data uses."},
    [OKRA_RULE_DATA_UNKNOWN_VALUE] =
        {"data-unknown-value", OKRA_WARNING, W, "data",
         "with data: a where: key or value, or a key result's segment pin, "
         "that never occurs (nearest suggested)",
         "A filter on an attribute or value the data never contains keeps "
         "nothing. On the command line (--where, --by) the same mistake is "
         "a usage error with exit status 2.",
         "Correct the key or value to one the data uses."},
    /* ---- structure ---- */
    [OKRA_RULE_YAML_SYNTAX] =
        {"yaml-syntax", OKRA_ERROR, E, "structure",
         "the file is not valid YAML, or uses what okra rejects",
         "okra rejects a second document, anchors and aliases, duplicate "
         "keys and non-scalar keys besides plain syntax errors. The other "
         "files are still checked.",
         "Correct the YAML at the position shown."},
    [OKRA_RULE_KEY_UNKNOWN] =
        {"key-unknown", OKRA_ERROR, E, "structure",
         "a key that the mapping does not take (nearest key suggested)",
         "Unknown keys are errors, never ignored: a typo would otherwise "
         "silently drop a setting. Also a key that does not apply to the "
         "metric's type, or a settings key outside okra.yaml.",
         "Use the suggested key, or remove it."},
    [OKRA_RULE_KEY_MISSING] =
        {"key-missing", OKRA_ERROR, E, "structure", "a required key is absent",
         "Each kind of definition has keys it cannot do without: a metric's "
         "type, a conversion's within, a key result's id.",
         "Add the key; the hint gives an example value."},
    [OKRA_RULE_TYPE_MISMATCH] =
        {"type-mismatch", OKRA_ERROR, E, "structure",
         "a value of the wrong kind (number, id, date, quarter, duration, "
         "formula, ...)",
         "Not a number, not an id, an unknown name, a bad date, quarter, "
         "duration or window, an invalid formula, or two keys given where "
         "one is allowed.",
         "Write the value in the form the message names."},
    [OKRA_RULE_ID_DUPLICATE] =
        {"id-duplicate", OKRA_ERROR, E, "structure",
         "two definitions of one kind share an id",
         "Ids are unique within their kind across every file of the "
         "workspace; the message names where the first one is.",
         "Rename one of them."},
    [OKRA_RULE_REF_UNKNOWN] =
        {"ref-unknown", OKRA_ERROR, E, "structure",
         "a reference to a metric, team, key result or parent that does not "
         "exist (nearest id suggested)",
         "Also an objective that names its own key result as its parent.",
         "Use the suggested id, or define what is referenced."},
    [OKRA_RULE_REF_CYCLE] =
        {"ref-cycle", OKRA_ERROR, E, "structure",
         "a formula or ratio metric depends on itself, or an objective is "
         "its own ancestor",
         "The message shows the cycle (a -> b -> a).",
         "Break the cycle: one of the definitions must not refer back."},
};

#undef E
#undef W
#undef I

const okra_rule *okra__rule(okra_rule_id id)
{
	assert(id < OKRA_RULE_COUNT && rules[id].id);
	return &rules[id];
}

size_t okra_rule_count(void)
{
	return OKRA_RULE_COUNT;
}

const okra_rule *okra_rule_at(size_t i)
{
	return i < OKRA_RULE_COUNT ? &rules[i] : NULL;
}

const okra_rule *okra_rule_find(const char *id)
{
	for (size_t i = 0; id && i < OKRA_RULE_COUNT; i++)
		if (strcmp(rules[i].id, id) == 0)
			return &rules[i];
	return NULL;
}

const char *okra__rule_nearest(const char *id)
{
	return okra__nearest_id(id, rules, OKRA_RULE_COUNT, sizeof(rules[0]));
}
