/*
 * rollup.h - the roll-up of a review per company objective and per team
 * (review/rollup.c computes, render/rollup.c writes).  NaN is null.
 */
#ifndef OKRA_ROLLUP_H
#define OKRA_ROLLUP_H

#include "review/review.h"

typedef struct okra_rollup_row {
	const char *name;  /* company objective id, team id or "(no team)" */
	const char *title; /* company objectives: the title */
	bool is_company;
	bool is_no_team;        /* the objectives without a team */
	size_t n_objectives;    /* objectives counted (company: itself too) */
	size_t n_contributions; /* company: the squads' objectives */
	size_t n_krs;
	double score_sum;
	double score; /* mean over the key results, NaN without any */
	size_t lights[OKRA_LIGHT_COUNT];
} okra_rollup_row;

typedef struct okra_rollup {
	okra_rollup_row *rows; /* company rows first, then teams */
	size_t n_rows, n_company;
} okra_rollup;

/* Aggregates r into out (rows in a). */
okra_rc okra__rollup(const okra_review *r, okra_arena *a, okra_rollup *out,
                     okra_err *err);

/* render/rollup.c: the roll-up as text. */
void okra__rollup_text(const okra_review *r, const okra_rollup *u, okra_buf *b);
/* render/rollup.c: the roll-up as JSON: {quarter, asof, team, company:
 * [{id, title, score, objectives, contributions, key_results, lights}],
 * teams: [{team, score, objectives, key_results, lights}]}. */
void okra__rollup_json(const okra_review *r, const okra_rollup *u, okra_buf *b);

#endif
