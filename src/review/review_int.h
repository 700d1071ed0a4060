/*
 * review_int.h - what the files of review/ share and nobody else needs.
 */
#ifndef OKRA_REVIEW_INT_H
#define OKRA_REVIEW_INT_H

#include "review/review.h"

/* A growable list of days (malloc'd; failed is sticky). */
typedef struct okra_days {
	int32_t *v;
	size_t n, cap;
	bool failed;
} okra_days;

void okra__days_add(okra_days *d, int32_t day);
/* Replaces d's days with the period ends of grain from `from` to `to`, the
 * last being `to` itself, as a series has them. */
void okra__days_series(okra_days *d, const okra_workspace *ws, okra_grain g,
                       int32_t from, int32_t to);

/* lint_data.c: target-sandbagged, target-unreachable, and kr-no-baseline
 * for `baseline: auto` without data before the quarter. */
void okra__lint_data(const okra_review *r, int32_t first_day, okra_findings *f);
/* lint_refs.c: data-unknown-event and data-unknown-value, every name and
 * value of the definitions against the data of e. */
okra_rc okra__lint_refs(okra_engine *e, okra_findings *f, okra_err *err);

/* team.c: the findings of f that belong to team's definitions (its
 * objectives, the metrics it owns, its own entry), as a new list; NULL
 * when out of memory. */
okra_findings *okra__findings_for_team(const okra_workspace *ws,
                                       const char *team,
                                       const okra_findings *f);

/* suggest.c: "what should we change?", from the evaluated review and,
 * through the engine e, the drivers of key results in KPI trees, the
 * diagnose of the north star and the anomalies of the review's week.
 * Errors of those evaluations are returned (out of memory). */
okra_rc okra__suggest(okra_review *r, okra_engine *e, okra_err *err);

#include "model/format.h" /* okra__fmt, okra__fmt_delta */

#endif
