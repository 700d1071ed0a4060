/*
 * plan_gates.c - the gates an objective passes before its quarter starts
 * (status: review or final): every key result bound to a metric, with a
 * baseline and a target and 3 to 5 hypotheses written out; the objective
 * traced to the north star (or marked maintenance: true) and its team's
 * only objective in the quarter (unless marked).  Lint reports the
 * failures of objectives at review and final (objective-not-ready); okra
 * plan --check scores every team's share of gates passed.  Read-only.
 */
#include "okra_int.h"

#include <string.h>

bool okra__text_is_placeholder(const char *text)
{
	const char *lt = text ? strchr(text, '<') : NULL;
	return lt && strchr(lt, '>') != NULL;
}

bool okra__objective_traced(const okra_workspace *ws, const okra_objective *o)
{
	const okra_objective *at = o;
	size_t steps = 0;
	while (at->parent_kr >= 0 && steps++ <= ws->n_objectives)
		at = &ws->objectives[ws->key_results[at->parent_kr].objective];
	return at->parent_is_north_star && ws->settings.north_star.id;
}

/* Marked objectives do not count against one objective per squad. */
static bool is_marked(const okra_objective *o)
{
	return o->is_maintenance || o->is_company;
}

const okra_objective *okra__objective_sibling(const okra_workspace *ws,
                                              const okra_objective *o)
{
	if (!o->team.id || !o->has_quarter || is_marked(o))
		return NULL;
	for (size_t i = 0; i < ws->n_objectives; i++) {
		const okra_objective *x = &ws->objectives[i];
		if (x != o && x->team.id && !is_marked(x) && x->has_quarter &&
		    x->quarter.first == o->quarter.first &&
		    strcmp(x->team.id, o->team.id) == 0)
			return x;
	}
	return NULL;
}

size_t okra__plan_gates(const okra_workspace *ws, const okra_objective *o,
                        okra_gate_fn fn, void *ctx)
{
	size_t n = 0;
	char msg[512];
	for (size_t j = 0; j < o->n_krs; j++) {
		const okra_key_result *kr =
		    &ws->key_results[o->first_kr + (int)j];
		n += 3;
		if (kr->metric.index < 0 || kr->kind == OKRA_KR_MILESTONE) {
			snprintf(msg, sizeof(msg),
			         "key result \"%s\" binds no metric", kr->id);
			fn(ctx, kr->id_pos.line ? kr->id_pos : kr->pos, msg);
		}
		bool stays = kr->kind == OKRA_KR_STAY_ABOVE ||
		             kr->kind == OKRA_KR_STAY_BELOW;
		bool no_base = !stays && kr->kind != OKRA_KR_MILESTONE &&
		               kr->baseline_kind == OKRA_BASELINE_NONE;
		if (no_base ||
		    (!kr->has_target && kr->kind != OKRA_KR_MILESTONE)) {
			snprintf(msg, sizeof(msg),
			         "key result \"%s\" has no %s", kr->id,
			         no_base && !kr->has_target
			             ? "baseline and no target"
			         : no_base ? "baseline"
			                   : "target");
			fn(ctx, kr->id_pos.line ? kr->id_pos : kr->pos, msg);
		}
		size_t placeholders = 0;
		for (size_t h = 0; h < kr->n_hypotheses; h++)
			placeholders +=
			    okra__text_is_placeholder(kr->hypotheses[h].text);
		size_t written = kr->n_hypotheses - placeholders;
		if (written < 3 || kr->n_hypotheses > 5) {
			if (placeholders)
				snprintf(
				    msg, sizeof(msg),
				    "key result \"%s\" has %zu hypothes%s "
				    "written out and %zu placeholder%s "
				    "(<...>); 3 to 5 are needed",
				    kr->id, written, written == 1 ? "is" : "es",
				    placeholders, placeholders == 1 ? "" : "s");
			else
				snprintf(
				    msg, sizeof(msg),
				    "key result \"%s\" has %zu hypothes%s; 3 "
				    "to 5 are needed",
				    kr->id, kr->n_hypotheses,
				    kr->n_hypotheses == 1 ? "is" : "es");
			fn(ctx, kr->hypotheses_pos, msg);
		}
	}
	n += 2;
	if (!o->is_maintenance && !okra__objective_traced(ws, o)) {
		snprintf(
		    msg, sizeof(msg),
		    "objective \"%s\" does not trace to the north star and "
		    "is not marked maintenance: true",
		    o->id);
		fn(ctx, o->id_pos.line ? o->id_pos : o->pos, msg);
	}
	const okra_objective *sib = okra__objective_sibling(ws, o);
	if (sib) {
		snprintf(msg, sizeof(msg),
		         "team \"%s\" has another objective in the quarter, "
		         "\"%s\" (%s:%d); one per team unless marked",
		         o->team.id, sib->id, sib->pos.file, sib->pos.line);
		fn(ctx, o->id_pos.line ? o->id_pos : o->pos, msg);
	}
	return n;
}
