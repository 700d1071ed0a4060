/*
 * experiment.h - what a backend measures for an experiment readout
 * (SPEC 14), in backend-neutral terms.
 *
 * The readout (okr/experiment.c) turns each metric it compares into
 * per-entity outcomes; a backend walks the entities once and returns, per
 * entity exposed to exactly one variant, its variant and every outcome
 * measured from its first exposure t0 (and the same over the window of
 * the same length ending at t0, the covariate of CUPED).  Nothing here
 * knows columns: the embedded engine fills it in engine/experiment.c.
 */
#ifndef OKRA_PLAN_EXPERIMENT_H
#define OKRA_PLAN_EXPERIMENT_H

#include "okra_int.h"

/* Which number of a metric an outcome is, per entity. */
typedef enum okra_exp_part {
	/* count: matching events in the window; sum, avg: the sum of the
	 * property over them; active, conversion, retention, threshold: 1
	 * when the entity met the condition, else 0. */
	OKRA_EXP_OUTCOME = 0,
	OKRA_EXP_N_VALUES,  /* sum, avg: the matching events with the
	                       property (an average's denominator) */
	OKRA_EXP_ANY_EVENT, /* 1 when the entity has any event in the
	                       window (the denominator of per: active) */
} okra_exp_part;

/* One per-entity outcome.  m is a count, sum, avg, active, conversion,
 * retention or threshold metric with a trailing window (checked by the
 * caller); its entity kind picks the units. */
typedef struct okra_exp_outcome {
	const okra_metric *m;
	okra_exp_part part;
} okra_exp_outcome;

typedef struct okra_exp_query {
	const okra_experiment *x; /* exposure filter, variant property, start */
	int32_t last_day;         /* D = min(as-of, end): nothing after it */
	const okra_exp_outcome *outcomes;
	size_t n_outcomes;
} okra_exp_query;

/* The units of one entity kind: the entities exposed to exactly one
 * variant between start and D. */
typedef struct okra_exp_units {
	size_t n;
	uint8_t *variant; /* per unit: index into okra_exp_data.variants */
	/* Per unit i and outcome k, at [i * n_outcomes + k]: y the outcome
	 * over [t0, t0 + window), NaN when that window is not over by the
	 * end of D (immature) or when the outcome is of the other entity
	 * kind; x the same over [t0 - window, t0). */
	double *y, *x;
	size_t excluded_multi; /* exposed to two or more variants */
	size_t no_variant;     /* exposure events, none with the variant */
} okra_exp_units;

typedef struct okra_exp_data {
	const char **variants;   /* as the data first shows them */
	size_t n_variants;       /* at most OKRA_MAX_EXPERIMENT_VARIANTS */
	okra_exp_units units[2]; /* by okra_entity: accounts, users */
} okra_exp_data;

/* The length in days of the window an outcome of m is measured over
 * (within, the trailing window, retention's last day N); 0 when m cannot
 * be measured per entity from an exposure. */
int okra__exp_window_days(const okra_metric *m);

#endif
