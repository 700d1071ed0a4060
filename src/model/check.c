/*
 * check.c - whole-workspace checks after every file is loaded.
 *
 * Duplicate ids (id-duplicate), references to metrics, teams and key
 * results (ref-unknown, with the nearest id suggested), and cycles among
 * formula and ratio metrics.  Resolves every okra_ref's index so later
 * stages never look ids up again.
 */
#include "okra_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct checker {
	okra_workspace *ws;
	okra_findings *f;
	const char **metric_ids, **team_ids, **kr_ids;
} checker;

static const char **collect(okra_arena *a, size_t n, const void *base,
                            size_t stride, size_t id_offset)
{
	const char **ids = okra__arena_alloc(a, (n + 1) * sizeof(*ids));
	for (size_t i = 0; ids && i < n; i++)
		ids[i] = *(const char *const *)((const char *)base +
		                                i * stride + id_offset);
	return ids;
}

#define IDS(c, arr, n, type)                                                   \
	collect(&(c)->ws->arena, (n), (arr), sizeof(type), offsetof(type, id))

static void duplicates(checker *c, const char *kind, const void *base, size_t n,
                       size_t stride, size_t id_off, size_t pos_off)
{
	for (size_t i = 1; i < n; i++) {
		const char *id = *(const char *const *)((const char *)base +
		                                        i * stride + id_off);
		if (!id)
			continue;
		for (size_t j = 0; j < i; j++) {
			const char *other =
			    *(const char *const *)((const char *)base +
			                           j * stride + id_off);
			if (!other || strcmp(id, other) != 0)
				continue;
			const okra_pos *first =
			    (const okra_pos *)((const char *)base + j * stride +
			                       pos_off);
			const okra_pos *here =
			    (const okra_pos *)((const char *)base + i * stride +
			                       pos_off);
			okra__finding_add(c->f, c->ws, OKRA_ERROR,
			                  "id-duplicate", *here, NULL,
			                  "duplicate %s id \"%s\" (first "
			                  "defined at %s:%d:%d)",
			                  kind, id, first->file, first->line,
			                  first->col);
			break;
		}
	}
}

#define DUPS(c, kind, arr, n, type)                                            \
	duplicates((c), (kind), (arr), (n), sizeof(type), offsetof(type, id),  \
	           offsetof(type, id_pos))

/* Resolves r against ids; reports when unknown.  what names the user. */
static void resolve(checker *c, okra_ref *r, const char *kind, const char **ids,
                    size_t n, const char *what)
{
	if (!r->id)
		return;
	for (size_t i = 0; i < n; i++)
		if (ids[i] && strcmp(ids[i], r->id) == 0) {
			r->index = (int)i;
			return;
		}
	const char *near = okra__nearest(r->id, ids, n);
	if (near)
		okra__finding_add(
		    c->f, c->ws, OKRA_ERROR, "ref-unknown", r->pos, NULL,
		    "%s uses unknown %s \"%s\"; did you mean \"%s\"?", what,
		    kind, r->id, near);
	else
		okra__finding_add(c->f, c->ws, OKRA_ERROR, "ref-unknown",
		                  r->pos, NULL, "%s uses unknown %s \"%s\"",
		                  what, kind, r->id);
}

static void resolve_metric(checker *c, okra_ref *r, const char *what)
{
	resolve(c, r, "metric", c->metric_ids, c->ws->n_metrics, what);
}

static void resolve_expr(checker *c, okra_metric *m, okra_expr *e,
                         const char *what)
{
	if (!e)
		return;
	if (e->kind == OKRA_EXPR_METRIC) {
		okra_ref r = {
		    .id = e->metric_id, .index = -1, .pos = m->expr_pos};
		if (m->expr_inline) /* point into the formula */
			r.pos.col += e->offset;
		resolve_metric(c, &r, what);
		e->metric = r.index;
	}
	for (size_t i = 0; i < e->n_args; i++)
		resolve_expr(c, m, e->args[i], what);
}

/* ---- cycles among formula and ratio metrics -------------------------- */

/* A depth-first walk with its own stack (a chain of metrics may be as
 * long as the workspace: no recursion), visiting each metric's inputs in
 * the order they are written.  One cycle is reported per walk. */

enum { WHITE = 0, GREY, BLACK };

typedef struct dfs_frame {
	int metric;
	size_t next; /* the next of its inputs to visit */
} dfs_frame;

/* The inputs of a formula (metric ids in the order written; the formula
 * limits keep this walk small) or of a ratio. */
static void expr_inputs(const okra_expr *e, okra_buf *out)
{
	if (!e)
		return;
	if (e->kind == OKRA_EXPR_METRIC && e->metric >= 0)
		okra__buf_append(out, (const char *)&e->metric,
		                 sizeof(e->metric));
	for (size_t i = 0; i < e->n_args; i++)
		expr_inputs(e->args[i], out);
}

static size_t inputs_of(const okra_metric *me, okra_buf *out)
{
	out->len = 0;
	if (me->type == OKRA_METRIC_FORMULA) {
		expr_inputs(me->expr, out);
	} else if (me->type == OKRA_METRIC_RATIO) {
		if (me->numerator.index >= 0)
			okra__buf_append(out,
			                 (const char *)&me->numerator.index,
			                 sizeof(int));
		if (me->denominator.index >= 0)
			okra__buf_append(out,
			                 (const char *)&me->denominator.index,
			                 sizeof(int));
	}
	return out->len / sizeof(int);
}

static void report_cycle(checker *c, const dfs_frame *stack, size_t top, int m)
{
	size_t k = top;
	while (k > 0 && stack[k - 1].metric != m)
		k--;
	okra_buf b = {0};
	for (size_t i = k ? k - 1 : 0; i < top; i++)
		okra__buf_printf(&b, "%s -> ",
		                 c->ws->metrics[stack[i].metric].id);
	okra__buf_printf(&b, "%s", c->ws->metrics[m].id);
	okra_metric *me = &c->ws->metrics[m];
	okra__finding_add(c->f, c->ws, OKRA_ERROR, "ref-cycle", me->id_pos,
	                  "a formula or ratio cannot depend on itself",
	                  "metric \"%s\" depends on itself: %s", me->id,
	                  b.data ? b.data : "");
	okra__buf_free(&b);
}

static void cycles(checker *c)
{
	size_t n = c->ws->n_metrics;
	unsigned char *color = calloc(n + 1, 1);
	dfs_frame *stack = calloc(n + 1, sizeof(*stack));
	okra_buf in = {0};
	if (!color || !stack) {
		c->ws->arena.failed = true;
		goto out;
	}
	for (size_t root = 0; root < n; root++) {
		if (color[root] != WHITE)
			continue;
		size_t top = 0;
		stack[top++] = (dfs_frame){.metric = (int)root};
		color[root] = GREY;
		while (top > 0) {
			dfs_frame *f = &stack[top - 1];
			size_t n_in =
			    inputs_of(&c->ws->metrics[f->metric], &in);
			if (in.failed) {
				c->ws->arena.failed = true;
				goto out;
			}
			if (f->next >= n_in) {
				color[f->metric] = BLACK;
				top--;
				continue;
			}
			int m;
			memcpy(&m, in.data + f->next * sizeof(int), sizeof(m));
			f->next++;
			if (color[m] == BLACK)
				continue;
			if (color[m] == GREY) {
				report_cycle(c, stack, top, m);
				while (top > 0)
					color[stack[--top].metric] = BLACK;
				break;
			}
			color[m] = GREY;
			stack[top++] = (dfs_frame){.metric = m};
		}
	}
out:
	okra__buf_free(&in);
	free(color);
	free(stack);
}

/* ---- the checks ------------------------------------------------------ */

static void check_metrics(checker *c)
{
	okra_workspace *ws = c->ws;
	for (size_t i = 0; i < ws->n_metrics; i++) {
		okra_metric *m = &ws->metrics[i];
		char what[160];
		snprintf(what, sizeof(what), "metric \"%s\"",
		         m->id ? m->id : "?");
		resolve(c, &m->owner, "team", c->team_ids, ws->n_teams, what);
		for (size_t j = 0; j < m->n_related_leading; j++)
			resolve_metric(c, &m->related_leading[j], what);
		for (size_t j = 0; j < m->n_related_lagging; j++)
			resolve_metric(c, &m->related_lagging[j], what);
		for (size_t j = 0; j < m->n_guardrails; j++)
			resolve_metric(c, &m->guardrails[j], what);
		resolve_metric(c, &m->numerator, what);
		resolve_metric(c, &m->denominator, what);
		resolve_expr(c, m, m->expr, what);
	}
	cycles(c);
}

static void check_objectives(checker *c)
{
	okra_workspace *ws = c->ws;
	for (size_t i = 0; i < ws->n_key_results; i++) {
		okra_key_result *kr = &ws->key_results[i];
		char what[160];
		snprintf(what, sizeof(what), "key result \"%s\"",
		         kr->id ? kr->id : "?");
		resolve_metric(c, &kr->metric, what);
	}
	for (size_t i = 0; i < ws->n_objectives; i++) {
		okra_objective *o = &ws->objectives[i];
		char what[160];
		snprintf(what, sizeof(what), "objective \"%s\"",
		         o->id ? o->id : "?");
		/* team: company is the company level (level: company),
		 * a team of okra.yaml only when one is named company. */
		if (o->team.id && strcmp(o->team.id, "company") == 0) {
			o->is_company = true;
			if (okra__find_team(ws, "company") < 0)
				o->team.id = NULL;
		}
		resolve(c, &o->team, "team", c->team_ids, ws->n_teams, what);
		if (!o->parent || o->parent_is_north_star)
			continue;
		okra_ref r = {
		    .id = o->parent, .index = -1, .pos = o->parent_pos};
		resolve(c, &r, "parent key result", c->kr_ids,
		        ws->n_key_results, what);
		o->parent_kr = r.index;
		if (r.index >= 0 &&
		    ws->key_results[r.index].objective == (int)i) {
			okra__finding_add(c->f, ws, OKRA_ERROR, "ref-cycle",
			                  o->parent_pos,
			                  "the parent is a key result of "
			                  "another objective, or north_star",
			                  "objective \"%s\" names its own key "
			                  "result \"%s\" as parent",
			                  o->id, o->parent);
			o->parent_kr =
			    -1; /* reported: not a loop to report again */
		}
	}
	/* Parent chains must not loop: objective -> parent KR's objective ->
	 * ... */
	for (size_t i = 0; i < ws->n_objectives; i++) {
		int at = (int)i;
		size_t steps = 0;
		while (at >= 0 && ws->objectives[at].parent_kr >= 0 &&
		       steps <= ws->n_objectives) {
			at = ws->key_results[ws->objectives[at].parent_kr]
			         .objective;
			steps++;
			if (at == (int)i) {
				okra__finding_add(
				    c->f, ws, OKRA_ERROR, "ref-cycle",
				    ws->objectives[i].parent_pos, NULL,
				    "objective \"%s\" is its own ancestor "
				    "through parent",
				    ws->objectives[i].id);
				break;
			}
		}
	}
}

static void check_settings(checker *c)
{
	okra_workspace_settings *s = &c->ws->settings;
	resolve_metric(c, &s->north_star, "north_star");
	for (size_t i = 0; i < s->n_ns_outputs; i++)
		resolve_metric(c, &s->ns_outputs[i], "north_star");
	for (size_t i = 0; i < s->n_ns_inputs; i++)
		resolve_metric(c, &s->ns_inputs[i], "north_star");
}

static void check_trees_and_experiments(checker *c)
{
	okra_workspace *ws = c->ws;
	for (size_t i = 0; i < ws->n_trees; i++) {
		okra_tree *t = &ws->trees[i];
		char what[160];
		snprintf(what, sizeof(what), "tree \"%s\"",
		         t->id ? t->id : "?");
		resolve_metric(c, &t->root, what);
		for (size_t j = 0; j < t->n_links; j++) {
			resolve_metric(c, &t->links[j].parent, what);
			for (size_t k = 0; k < t->links[j].n_children; k++)
				resolve_metric(c, &t->links[j].children[k],
				               what);
		}
	}
	for (size_t i = 0; i < ws->n_experiments; i++) {
		okra_experiment *x = &ws->experiments[i];
		char what[160];
		snprintf(what, sizeof(what), "experiment \"%s\"",
		         x->id ? x->id : "?");
		resolve(c, &x->key_result, "key result", c->kr_ids,
		        ws->n_key_results, what);
		resolve_metric(c, &x->metric, what);
		for (size_t j = 0; j < x->n_guardrails; j++)
			resolve_metric(c, &x->guardrails[j], what);
		if (!x->metric.id && x->key_result.index >= 0)
			x->metric = ws->key_results[x->key_result.index].metric;
	}
}

void okra__workspace_check(okra_workspace *ws, okra_findings *f)
{
	checker c = {.ws = ws, .f = f};
	c.metric_ids = IDS(&c, ws->metrics, ws->n_metrics, okra_metric);
	c.team_ids = IDS(&c, ws->teams, ws->n_teams, okra_team);
	c.kr_ids = IDS(&c, ws->key_results, ws->n_key_results, okra_key_result);
	if (!c.metric_ids || !c.team_ids || !c.kr_ids)
		return;
	DUPS(&c, "team", ws->teams, ws->n_teams, okra_team);
	DUPS(&c, "metric", ws->metrics, ws->n_metrics, okra_metric);
	DUPS(&c, "objective", ws->objectives, ws->n_objectives, okra_objective);
	DUPS(&c, "key result", ws->key_results, ws->n_key_results,
	     okra_key_result);
	DUPS(&c, "tree", ws->trees, ws->n_trees, okra_tree);
	DUPS(&c, "experiment", ws->experiments, ws->n_experiments,
	     okra_experiment);
	check_settings(&c);
	check_metrics(&c);
	check_objectives(&c);
	check_trees_and_experiments(&c);
}
