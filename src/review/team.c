/*
 * team.c - which lint findings belong to one team's review.
 *
 * A finding carries a position, not a subject; every definition (metric,
 * objective with its key results, tree, experiment, team) starts at a
 * known line, so the definition that owns a finding is the last one that
 * starts at or before it in the same file.  `okra review --team T` keeps
 * the findings owned by T's objectives, the metrics T owns and T's own
 * entry, and drops the rest (another team's findings are that team's).
 */
#include "review/review_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct start {
	const char *file;
	int line;
	bool mine; /* the team's */
} start;

static int cmp_start(const void *pa, const void *pb)
{
	const start *a = pa, *b = pb;
	int c = strcmp(a->file, b->file);
	return c ? c : (a->line > b->line) - (a->line < b->line);
}

static bool owned_by(const okra_ref *team, const char *id)
{
	return team->id && strcmp(team->id, id) == 0;
}

okra_findings *okra__findings_for_team(const okra_workspace *ws,
                                       const char *team, const okra_findings *f)
{
	size_t n = ws->n_metrics + ws->n_objectives + ws->n_trees +
	           ws->n_experiments + ws->n_teams;
	start *s = malloc((n + 1) * sizeof(*s));
	okra_findings *keep = okra_findings_new();
	if (!s || !keep) {
		free(s);
		okra_findings_free(keep);
		return NULL;
	}
	size_t k = 0;
#define ADD(pos, is_mine)                                                      \
	do {                                                                   \
		if ((pos).file)                                                \
			s[k++] = (start){(pos).file, (pos).line, (is_mine)};   \
	} while (0)
	for (size_t i = 0; i < ws->n_metrics; i++)
		ADD(ws->metrics[i].pos, owned_by(&ws->metrics[i].owner, team));
	for (size_t i = 0; i < ws->n_objectives; i++)
		ADD(ws->objectives[i].pos,
		    owned_by(&ws->objectives[i].team, team));
	for (size_t i = 0; i < ws->n_trees; i++)
		ADD(ws->trees[i].pos, false);
	for (size_t i = 0; i < ws->n_experiments; i++)
		ADD(ws->experiments[i].pos, false);
	for (size_t i = 0; i < ws->n_teams; i++)
		ADD(ws->teams[i].pos, strcmp(ws->teams[i].id, team) == 0);
#undef ADD
	qsort(s, k, sizeof(*s), cmp_start);
	for (size_t i = 0; i < okra_findings_count(f); i++) {
		const okra_finding *it = okra_findings_get(f, i);
		/* The last definition starting at or before the finding. */
		const start *owner = NULL;
		for (size_t j = 0; j < k && it->file; j++) {
			int c = strcmp(s[j].file, it->file);
			if (c > 0 || (c == 0 && s[j].line > it->line))
				break;
			if (c == 0)
				owner = &s[j];
		}
		if (owner && owner->mine)
			okra__findings_copy(keep, it);
	}
	free(s);
	if (okra_findings_failed(keep)) {
		okra_findings_free(keep);
		return NULL;
	}
	return keep;
}
