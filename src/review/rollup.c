/*
 * rollup.c - okra status --rollup: the monthly leadership view.  Squad
 * progress aggregated per team and per company objective (level:
 * company): scores weighted by key results (each key result counts
 * once, one without data as 0, as an objective's score does) and the
 * lights counted.  A company objective's row holds its own key results
 * and those of every objective whose parent chain reaches one of its
 * key results (the squads' contributions).  Reads the evaluated review.
 */
#include "review/rollup.h"

#include <math.h>
#include <string.h>

/* The roll-up is of the quarter the review looks at: objectives of
 * other quarters (next quarter's drafts, last quarter's) stay out. */
static bool in_quarter(const okra_review *r, const okra_objective *o)
{
	okra_quarter q =
	    okra__quarter_of(r->asof, r->ws->settings.fiscal_start_month);
	return !o->has_quarter || o->quarter.first == q.first;
}

static void add_objective(okra_rollup_row *row, const okra_obj_eval *oe)
{
	row->n_objectives++;
	for (size_t k = 0; k < oe->n_krs; k++) {
		const okra_kr_eval *ke = &oe->krs[k];
		row->n_krs++;
		row->score_sum += isnan(ke->score) ? 0 : ke->score;
		row->lights[ke->light]++;
	}
}

/* Does o contribute to company objective c (its chain of parents
 * reaches a key result of c)? */
static bool contributes(const okra_workspace *ws, const okra_objective *o,
                        const okra_objective *c)
{
	const okra_objective *at = o;
	size_t steps = 0;
	while (at->parent_kr >= 0 && steps++ <= ws->n_objectives) {
		at = &ws->objectives[ws->key_results[at->parent_kr].objective];
		if (at == c)
			return true;
	}
	return false;
}

okra_rc okra__rollup(const okra_review *r, okra_arena *a, okra_rollup *out,
                     okra_err *err)
{
	const okra_workspace *ws = r->ws;
	memset(out, 0, sizeof(*out));
	size_t cap = ws->n_teams + 1 + r->n_objectives;
	out->rows = okra__arena_alloc(a, (cap + 1) * sizeof(*out->rows));
	if (!out->rows)
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	/* Company objectives first, each with its contributions. */
	for (size_t i = 0; i < r->n_objectives; i++) {
		const okra_obj_eval *c = &r->objectives[i];
		if (!c->obj->is_company || !in_quarter(r, c->obj))
			continue;
		okra_rollup_row *row = &out->rows[out->n_rows++];
		row->name = c->obj->id;
		row->title = c->obj->title.text;
		row->is_company = true;
		add_objective(row, c);
		for (size_t j = 0; j < r->n_objectives; j++)
			if (j != i &&
			    contributes(ws, r->objectives[j].obj, c->obj)) {
				add_objective(row, &r->objectives[j]);
				row->n_contributions++;
			}
	}
	out->n_company = out->n_rows;
	/* Teams, in okra.yaml order, then objectives without a team. */
	for (size_t t = 0; t <= ws->n_teams; t++) {
		const char *team = t < ws->n_teams ? ws->teams[t].id : NULL;
		if (r->team && (!team || strcmp(r->team, team) != 0))
			continue;
		okra_rollup_row row = {.name = team ? team : "(no team)",
		                       .is_no_team = !team};
		for (size_t i = 0; i < r->n_objectives; i++) {
			const okra_objective *o = r->objectives[i].obj;
			if (o->is_company || !in_quarter(r, o))
				continue;
			if (team ? o->team.id && strcmp(o->team.id, team) == 0
			         : !o->team.id)
				add_objective(&row, &r->objectives[i]);
		}
		if (row.n_objectives || team)
			out->rows[out->n_rows++] = row;
	}
	for (size_t i = 0; i < out->n_rows; i++) {
		okra_rollup_row *row = &out->rows[i];
		row->score =
		    row->n_krs ? row->score_sum / (double)row->n_krs : NAN;
	}
	return OKRA_OK;
}
