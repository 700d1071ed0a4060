/*
 * diagnose.h - okra diagnose (SPEC 12): where is the north star blocked?
 *
 * Every candidate (the north star's inputs, then every level 3-4 metric
 * with a benchmark) gets its value, its gap to the benchmark, its trend
 * over the last 8 weekly values and, for conversion and threshold
 * metrics, the lift: how much likelier the entities that met its
 * condition are to count in the north star, with a 95% (Katz) interval
 * and the four counts behind it.  score = max(gap, 0) x max(lift - 1, 0)
 * ranks them; the top candidate with a score is the bottleneck.
 *
 * The arithmetic is pure functions (unit-tested without data);
 * okra__diagnose_at feeds them from one engine pass, which counts the
 * outcomes in the same pass as the metrics (plan.h: outcome_of).  The
 * renderers (render/diagnose.c) only read the okra_diagnosis.  NaN is
 * null everywhere.
 */
#ifndef OKRA_DIAGNOSE_H
#define OKRA_DIAGNOSE_H

#include "okra_int.h"

#define OKRA_DIAG_WEEKS 8 /* weekly values behind the trend */

typedef struct okra_diag_candidate {
	int metric;     /* index into ws->metrics */
	const char *id; /* its id (borrowed from the workspace) */
	double value, benchmark;
	double gap;   /* (benchmark - value) / |benchmark|, sign by direction:
	                 positive = short of the benchmark */
	double trend; /* OLS slope per week through the weekly values */
	double weekly[OKRA_DIAG_WEEKS];   /* as of asof - 49 .. asof, weekly */
	double lift, lift_low, lift_high; /* NaN: no lift */
	/* The counts behind the lift; NaN when not counted. */
	double met, met_active, not_met, not_met_active;
	double score;
	const char *why_no_lift; /* NULL when the lift is defined */
} okra_diag_candidate;

/* The public okra_diagnosis (okra.h). */
struct okra_diagnosis {
	const okra_workspace *ws;
	int32_t asof;
	int north_star;    /* index into ws->metrics, -1 when none */
	double ns_value;   /* the north star as of asof */
	int32_t data_last; /* the last day with events, -1 when none: values
	                      as of a later day read days without data */
	int32_t weeks[OKRA_DIAG_WEEKS];  /* the days of the weekly values */
	okra_diag_candidate *candidates; /* ranked by score, then id */
	size_t n_candidates;
	int bottleneck;       /* index into candidates, -1 when none */
	bool is_supported;    /* the bottleneck's lift interval is above 1 */
	const char *sentence; /* the bottleneck in words, NULL when none */
	const char *note;     /* why no lift is measured at all, or NULL */
	okra_arena arena;     /* candidates and every string */
};

/* ---- pure arithmetic -------------------------------------------------- */

/* The gap to the benchmark: (benchmark - value) / |benchmark| when the
 * metric should go up, (value - benchmark) / |benchmark| when down;
 * positive = short of it.  NaN when either is NaN or benchmark is 0. */
double okra__diag_gap(double value, double benchmark, okra_direction dir);

/* The least-squares slope of v[0..n) against x = 0, 1, .., n-1 (one per
 * week), NaN values skipped; NaN with fewer than 3 values. */
double okra__diag_trend(const double *v, size_t n);

/* The lift P(active | met) / P(active | not met) with a = met and
 * active, m = met, c = not met and active, n = not met, and its 95%
 * interval exp(ln lift -+ 1.959964 sqrt(1/a - 1/m + 1/c - 1/n)).  All
 * three NaN when any of a, m, c, n is 0 (or NaN). */
void okra__diag_lift(double a, double m, double c, double n, double *lift,
                     double *low, double *high);

/* max(gap, 0) x max(lift - 1, 0); 0 when either is NaN. */
double okra__diag_score(double gap, double lift);

/* Sorts candidates by score (highest first), then id. */
void okra__diag_rank(okra_diag_candidate *c, size_t n);

/* ---- evaluation (diagnose.c) ------------------------------------------ */

/* Diagnoses e's workspace as of asof: one engine pass over the candidates
 * and the north star at the 8 weekly days, counting the outcomes at asof
 * in the same pass.  A workspace without candidates gives an empty list.
 * Free with okra_diagnosis_free; borrows e's workspace. */
okra_rc okra__diagnose_at(okra_engine *e, int32_t asof, okra_diagnosis **out,
                          okra_err *err);

/* The candidate of d furthest short of its benchmark (largest positive
 * gap), or NULL: what the review names when no lift supports a
 * bottleneck. */
const okra_diag_candidate *okra__diag_widest_gap(const okra_diagnosis *d);

#endif
