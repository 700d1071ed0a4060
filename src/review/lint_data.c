/*
 * lint_data.c - the lint rules of SPEC 5 that need data, run by the
 * review on its evaluated key results:
 *   kr-no-baseline      baseline: auto, but the metric has no value the
 *                       day before the quarter;
 *   target-sandbagged   the target is at or behind where the key result's
 *                       one trend (review.h) already leads by the
 *                       quarter's end;
 *   target-unreachable  the target needs a change more than 3 times the
 *                       largest change between quarter ends in the
 *                       metric's history.
 */
#include "review/review_int.h"

#include <math.h>

/* "Several times larger" of SPEC 5. */
#define UNREACHABLE_FACTOR 3.0

static void day_text(int32_t day, char out[11])
{
	okra__format_date(day, out);
}

static void no_baseline(const okra_review *r, const okra_kr_eval *k,
                        int32_t first_day, okra_findings *f)
{
	char before[11], start[11], first[11];
	day_text(k->q0 - 1, before);
	day_text(k->q0, start);
	if (first_day >= 0 && first_day > k->q0 - 1) {
		day_text(first_day, first);
		okra__finding_rule(
		    f, r->ws, OKRA_RULE_KR_NO_BASELINE, k->kr->baseline_pos,
		    "write the baseline as a number, or move the key result to "
		    "a quarter the data covers",
		    "key result \"%s\" has baseline: auto, but the data begins "
		    "on %s, after %s (the day before the quarter)",
		    k->kr->id, first, before);
		return;
	}
	okra__finding_rule(
	    f, r->ws, OKRA_RULE_KR_NO_BASELINE, k->kr->baseline_pos,
	    "write the baseline as a number, or check the metric's data and "
	    "filters",
	    "key result \"%s\" has baseline: auto, but metric \"%s\" has no "
	    "value on %s, "
	    "the day before the quarter starts on %s",
	    k->kr->id, k->metric->id, before, start);
}

static void sandbagged(const okra_review *r, const okra_kr_eval *k,
                       okra_findings *f)
{
	const okra_forecast *t = &k->forecast; /* the one trend */
	bool up = !k->decreasing;
	if (up ? t->value < k->target : t->value > k->target)
		return;
	okra_arena a = {0};
	char end[11];
	day_text(k->q1, end);
	/* A target beyond the trend: the stretch when it is, else the edge
	 * of the trend's 80% interval (the trend alone gets there one time
	 * in ten). */
	double edge = up ? t->hi : t->lo;
	bool stretch_beyond = k->stretch_set && (up ? k->stretch > t->value
	                                            : k->stretch < t->value);
	const char *hint =
	    stretch_beyond
	        ? okra__arena_printf(
	              &a,
	              "set the target beyond the trend, e.g. the stretch %s",
	              okra__fmt(&a, k->metric, k->is_count, k->stretch))
	    : edge != t->value
	        ? okra__arena_printf(
	              &a,
	              "set the target beyond the trend, e.g. %s (the trend "
	              "alone gets there one time in ten)",
	              okra__fmt(&a, k->metric, k->is_count, edge))
	        : "set a target beyond where the metric goes without the key "
	          "result's work";
	okra__finding_rule(
	    f, r->ws, OKRA_RULE_TARGET_SANDBAGGED, k->kr->target_pos, hint,
	    "key result \"%s\": the target %s is at or %s where the trend of "
	    "%zu weeks %s already leads by %s (%s)",
	    k->kr->id, okra__fmt(&a, k->metric, k->is_count, k->target),
	    up ? "below" : "above", t->n_points,
	    t->from_history ? "before the quarter" : "since the quarter began",
	    end, okra__fmt(&a, k->metric, k->is_count, t->value));
	okra__arena_free(&a);
}

static void unreachable(const okra_review *r, const okra_kr_eval *k,
                        okra_findings *f)
{
	double need = fabs(k->target - k->baseline);
	if (!(k->max_quarter_change > 0) ||
	    need <= UNREACHABLE_FACTOR * k->max_quarter_change)
		return;
	okra_arena a = {0};
	okra__finding_rule(
	    f, r->ws, OKRA_RULE_TARGET_UNREACHABLE, k->kr->target_pos,
	    "check the target against the history, or name the bigger bet that "
	    "makes it reachable",
	    "key result \"%s\" needs a change of %s in one quarter, %.1f times "
	    "the largest change between quarter ends so far (%s over %zu "
	    "quarter%s)",
	    k->kr->id,
	    okra__fmt_delta(&a, k->metric, k->is_count,
	                    k->target - k->baseline),
	    need / k->max_quarter_change,
	    okra__fmt_delta(&a, k->metric, k->is_count, k->max_quarter_change),
	    k->n_quarter_changes, k->n_quarter_changes == 1 ? "" : "s");
	okra__arena_free(&a);
}

void okra__lint_data(const okra_review *r, int32_t first_day, okra_findings *f)
{
	for (size_t i = 0; i < r->n_krs; i++) {
		const okra_kr_eval *k = &r->krs[i];
		if (!k->metric || k->kr->kind != OKRA_KR_MOVE || k->q0 < 0)
			continue;
		/* Auto needs data before the quarter: a count reads 0 on a day
		 * without events, which is no baseline when the data begins
		 * later. */
		if (k->baseline_auto && (isnan(k->baseline) || first_day < 0 ||
		                         first_day > k->q0 - 1)) {
			no_baseline(r, k, first_day, f);
			continue;
		}
		if (isnan(k->target) || isnan(k->baseline) ||
		    k->target == k->baseline)
			continue;
		if (k->forecast.ok)
			sandbagged(r, k, f);
		unreachable(r, k, f);
	}
}
