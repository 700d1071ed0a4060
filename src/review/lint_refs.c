/*
 * lint_refs.c - the data-aware lint rules that check names against the
 * data, so a typo never reads as a real zero:
 *   data-unknown-event  an event name in a metric's filter, anchor,
 *                       target, steps or measure, or an experiment's
 *                       exposure, never occurs in the data;
 *   data-unknown-value  a where key that is neither an event property nor
 *                       an account attribute, a where value that no event
 *                       or account has, a sum's property, a ratio_to or
 *                       segments attribute the data lacks, or a key
 *                       result's segment pin that matches nobody.
 * Each finding names the nearest name or value that does occur.  Reads
 * the data only through the engine front (query/query.h).
 */
#include "review/review_int.h"

#include "query/query.h"

#include <stdlib.h>
#include <string.h>

/* Values offered as suggestions per key. */
#define SUGGEST_CAP 10000

typedef struct refs {
	okra_engine *e;
	const okra_workspace *ws;
	okra_findings *f;
	okra_arena a;
	const char **events, **props, **attrs;
	size_t n_events, n_props, n_attrs;
	okra_rc rc;
	okra_err *err;
} refs;

static bool has(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return true;
	return false;
}

/* "; did you mean "x"?" or "". */
static const char *near_text(refs *c, const char *s, const char *const *names,
                             size_t n)
{
	const char *near = okra__nearest(s, names, n);
	return near ? okra__arena_printf(&c->a, "; did you mean \"%s\"?", near)
	            : "";
}

static void check_events(refs *c, const char *what, const okra_filter *flt)
{
	for (size_t i = 0; i < flt->n_events; i++) {
		const char *ev = flt->events[i];
		if (has(c->events, c->n_events, ev))
			continue;
		okra__finding_rule(
		    c->f, c->ws, OKRA_RULE_DATA_UNKNOWN_EVENT, flt->pos,
		    "a metric on an event the data never has reads 0 for ever",
		    "%s: event \"%s\" never occurs in the data%s", what, ev,
		    near_text(c, ev, c->events, c->n_events));
	}
}

/* A key with the names a where clause can use. */
static const char *near_key(refs *c, const char *key)
{
	const char **all = okra__arena_alloc(
	    &c->a, (c->n_props + c->n_attrs + 1) * sizeof(*all));
	if (!all)
		return "";
	memcpy(all, c->props, c->n_props * sizeof(*all));
	memcpy(all + c->n_props, c->attrs, c->n_attrs * sizeof(*all));
	return near_text(c, key, all, c->n_props + c->n_attrs);
}

static void check_where(refs *c, const char *what, const okra_where *w)
{
	okra_key_info info;
	for (size_t k = 0; k < w->n_values && c->rc == OKRA_OK; k++) {
		const okra_value *v = &w->values[k];
		c->rc = okra__engine_key_lookup(c->e, w->key, v, SUGGEST_CAP,
		                                &c->a, &info, c->err);
		if (c->rc)
			return;
		if (info.source == OKRA_KEY_NONE) {
			okra__finding_rule(
			    c->f, c->ws, OKRA_RULE_DATA_UNKNOWN_VALUE, w->pos,
			    "a filter on a key the data never has keeps "
			    "nothing",
			    "%s: where key \"%s\" is neither an event property "
			    "nor an account attribute%s",
			    what, w->key, near_key(c, w->key));
			return;
		}
		if (info.found)
			continue;
		okra__finding_rule(
		    c->f, c->ws, OKRA_RULE_DATA_UNKNOWN_VALUE, w->pos,
		    "a filter on a value the data never has keeps nothing",
		    "%s: where %s: no %s has the value \"%s\"%s", what, w->key,
		    info.source == OKRA_KEY_PROPERTY ? "event" : "account",
		    v->text, near_text(c, v->text, info.texts, info.n_texts));
	}
}

static void check_filter(refs *c, const char *what, const okra_filter *flt)
{
	check_events(c, what, flt);
	for (size_t i = 0; i < flt->n_where && c->rc == OKRA_OK; i++)
		check_where(c, what, &flt->where[i]);
}

static void check_attr(refs *c, const char *what, const char *role,
                       const char *attr, okra_pos pos)
{
	if (has(c->attrs, c->n_attrs, attr))
		return;
	okra__finding_rule(c->f, c->ws, OKRA_RULE_DATA_UNKNOWN_VALUE, pos,
	                   "the accounts table has no such column",
	                   "%s: %s \"%s\" is not an attribute of the accounts "
	                   "table%s",
	                   what, role, attr,
	                   near_text(c, attr, c->attrs, c->n_attrs));
}

static void check_metric(refs *c, const okra_metric *m)
{
	const char *what = okra__arena_printf(&c->a, "metric \"%s\"", m->id);
	if (!what)
		return;
	check_filter(c, what, &m->filter);
	check_filter(c, what, &m->anchor);
	check_filter(c, what, &m->target);
	check_filter(c, what, &m->measure_filter);
	for (size_t i = 0; i < m->n_steps; i++)
		check_filter(c, what, &m->steps[i]);
	if (m->property && !has(c->props, c->n_props, m->property))
		okra__finding_rule(
		    c->f, c->ws, OKRA_RULE_DATA_UNKNOWN_VALUE, m->pos,
		    "a sum over a property no event has reads 0 for ever",
		    "%s: property \"%s\" never occurs in the events%s", what,
		    m->property,
		    near_text(c, m->property, c->props, c->n_props));
	if (m->ratio_to)
		check_attr(c, what, "ratio_to", m->ratio_to, m->pos);
	for (size_t i = 0; i < m->n_segments; i++)
		if (strcmp(m->segments[i], "cohort") != 0)
			check_attr(c, what, "segment", m->segments[i],
			           m->segments_pos ? m->segments_pos[i]
			                           : m->pos);
}

/* A key result's pin: account attributes (or cohort) only. */
static void check_pin(refs *c, const okra_key_result *kr)
{
	const char *what =
	    okra__arena_printf(&c->a, "key result \"%s\"", kr->id);
	for (size_t i = 0; i < kr->n_where && c->rc == OKRA_OK; i++) {
		const okra_where *w = &kr->where[i];
		bool cohort = strcmp(w->key, "cohort") == 0;
		if (!cohort && !has(c->attrs, c->n_attrs, w->key)) {
			check_attr(c, what, "pin", w->key, w->pos);
			continue;
		}
		const char **vals = NULL;
		size_t n = 0;
		if ((c->rc = okra__engine_attr_values(c->e, w->key, &c->a,
		                                      &vals, &n, c->err)))
			return;
		for (size_t k = 0; k < w->n_values; k++) {
			const okra_value *v = &w->values[k];
			bool found = false;
			for (size_t j = 0; j < n && !found; j++) {
				char *end;
				double x = strtod(vals[j], &end);
				found = strcmp(vals[j], v->text) == 0 ||
				        (v->is_number && *vals[j] && !*end &&
				         x == v->number);
			}
			if (found)
				continue;
			okra__finding_rule(
			    c->f, c->ws, OKRA_RULE_DATA_UNKNOWN_VALUE, w->pos,
			    "a pin on a segment nobody is in reads no data",
			    "%s: pinned to %s \"%s\", which no %s has%s", what,
			    w->key, v->text,
			    cohort ? "account or user (signup month)"
			           : "account",
			    near_text(c, v->text, vals, n));
		}
	}
}

okra_rc okra__lint_refs(okra_engine *e, okra_findings *f, okra_err *err)
{
	refs c = {.e = e, .ws = okra__engine_workspace(e), .f = f, .err = err};
	uint64_t *counts = NULL;
	c.rc = okra__engine_event_names(e, &c.a, &c.events, &counts,
	                                &c.n_events, err);
	if (c.rc == OKRA_OK)
		c.rc =
		    okra__engine_properties(e, &c.a, &c.props, &c.n_props, err);
	if (c.rc == OKRA_OK)
		c.rc =
		    okra__engine_attributes(e, &c.a, &c.attrs, &c.n_attrs, err);
	const okra_workspace *ws = c.ws;
	for (size_t i = 0; i < ws->n_metrics && c.rc == OKRA_OK; i++)
		check_metric(&c, &ws->metrics[i]);
	for (size_t i = 0; i < ws->n_key_results && c.rc == OKRA_OK; i++)
		check_pin(&c, &ws->key_results[i]);
	for (size_t i = 0; i < ws->n_experiments && c.rc == OKRA_OK; i++) {
		const okra_experiment *x = &ws->experiments[i];
		check_filter(
		    &c, okra__arena_printf(&c.a, "experiment \"%s\"", x->id),
		    &x->exposure);
	}
	if (c.rc == OKRA_OK && c.a.failed)
		c.rc = okra__nomem(err);
	okra__arena_free(&c.a);
	return c.rc;
}
