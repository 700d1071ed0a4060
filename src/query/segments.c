/*
 * segments.c - the segment pin and the segmentation of a query, resolved
 * above the backends.
 *
 * The backend only lists attributes and their values; which attributes a
 * query segments by, in which order the segments come, and whether a pin
 * names something that exists are decided here, once for every engine.
 */
#include "query/query.h"

#include <stdlib.h>
#include <string.h>

static bool has(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

static okra_rc unknown_attr(const char *what, const char *name,
                            const char *const *attrs, size_t n, okra_err *err)
{
	okra_buf b = {0};
	for (size_t i = 0; i < n; i++)
		okra__buf_printf(&b, "%s%s", i ? ", " : "", attrs[i]);
	okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
	              "%s: unknown account attribute \"%s\" (the accounts "
	              "table has: %s; or cohort)",
	              what, name, b.data ? b.data : "no attributes");
	okra__buf_free(&b);
	return OKRA_ERR_USAGE;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The attributes to segment by: --by, or else every attribute the
 * requested metrics list, once each, in the order first listed. */
static okra_rc segment_names(const okra_plan *plan, const char **names,
                             size_t *n, okra_err *err)
{
	*n = 0;
	if (plan->by) {
		names[(*n)++] = plan->by;
		return OKRA_OK;
	}
	if (plan->totals_only)
		return OKRA_OK;
	for (size_t k = 0; k < plan->n_items; k++) {
		const okra_metric *m = plan->items[k].m;
		if (!plan->items[k].requested)
			continue;
		for (size_t i = 0; i < m->n_segments; i++) {
			if (has(names, *n, m->segments[i]))
				continue;
			if (*n == OKRA_MAX_QUERY_ATTRS)
				return okra__err_set(
				    err, OKRA_ERR_USAGE, NULL, 0, 0,
				    "the metrics asked for are segmented by "
				    "more than %d attributes together; name "
				    "fewer metrics, or segment by one "
				    "attribute",
				    OKRA_MAX_QUERY_ATTRS);
			names[(*n)++] = m->segments[i];
		}
	}
	return OKRA_OK;
}

static bool value_matches(const okra_value *v, const char *text)
{
	if (strcmp(text, v->text) == 0)
		return true;
	if (!v->is_number)
		return false;
	char *end;
	double x = strtod(text, &end);
	return *text && !*end && x == v->number;
}

/* A pinned value that no entity has: the nearest value suggested, and
 * the values listed when there are few. */
static okra_rc unknown_value(const okra_where *w, const okra_value *v,
                             const char **values, size_t n, okra_err *err)
{
	bool cohort = strcmp(w->key, "cohort") == 0;
	const char *near = okra__nearest(v->text, values, n);
	okra_buf list = {0};
	for (size_t i = 0; i < n && n <= 12; i++)
		okra__buf_printf(&list, "%s%s", i ? ", " : "", values[i]);
	if (n > 12)
		okra__buf_printf(&list, "%zu values", n);
	okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
	              "where %s=%s: no %s has %s \"%s\"%s%s%s (%s takes: %s)",
	              w->key, v->text, cohort ? "account or user" : "account",
	              cohort ? "the signup month" : w->key, v->text,
	              near ? "; did you mean \"" : "", near ? near : "",
	              near ? "\"?" : "", w->key,
	              list.data ? list.data : "no values");
	okra__buf_free(&list);
	return OKRA_ERR_USAGE;
}

okra_rc okra__check_pins(okra_engine *e, okra_result *r, bool values,
                         okra_err *err)
{
	const okra_plan *plan = &r->plan;
	const char **attrs = NULL;
	size_t n_attrs = 0;
	if (!plan->n_pin)
		return OKRA_OK;
	okra_rc rc =
	    okra__engine_attributes(e, &r->arena, &attrs, &n_attrs, err);
	for (size_t i = 0; rc == OKRA_OK && i < plan->n_pin; i++) {
		const okra_where *w = &plan->pin[i];
		if (strcmp(w->key, "cohort") != 0 &&
		    !has(attrs, n_attrs, w->key))
			return unknown_attr("where", w->key, attrs, n_attrs,
			                    err);
		if (!values)
			continue;
		const char **vals = NULL;
		size_t n_vals = 0;
		if ((rc = okra__engine_attr_values(e, w->key, &r->arena, &vals,
		                                   &n_vals, err)))
			break;
		qsort(vals, n_vals, sizeof(*vals), cmp_str);
		for (size_t k = 0; k < w->n_values; k++) {
			bool found = false;
			for (size_t j = 0; j < n_vals && !found; j++)
				found = value_matches(&w->values[k], vals[j]);
			if (!found)
				return unknown_value(w, &w->values[k], vals,
				                     n_vals, err);
		}
	}
	return rc;
}

okra_rc okra__resolve_segments(okra_engine *e, okra_result *r, okra_err *err)
{
	okra_plan *plan = &r->plan;
	okra_segmentation *sg = &r->seg;
	const char **attrs = NULL, *names[OKRA_MAX_QUERY_ATTRS];
	size_t n_attrs = 0, n = 0;
	okra_rc rc =
	    okra__engine_attributes(e, &r->arena, &attrs, &n_attrs, err);
	if (rc)
		return rc;
	if (plan->by && strcmp(plan->by, "cohort") != 0 &&
	    !has(attrs, n_attrs, plan->by))
		return unknown_attr("by", plan->by, attrs, n_attrs, err);
	if ((rc = segment_names(plan, names, &n, err)))
		return rc;

	/* Each attribute's values, sorted, then (none). */
	const char ***values = calloc(n + 1, sizeof(*values));
	size_t *counts = calloc(n + 1, sizeof(*counts)), total = 0;
	if (!values || !counts) {
		rc = okra__nomem(err);
		goto out;
	}
	for (size_t j = 0; j < n; j++) {
		if (strcmp(names[j], "cohort") != 0 &&
		    !has(attrs, n_attrs, names[j]))
			continue; /* a metric's attribute the data lacks */
		rc = okra__engine_attr_values(e, names[j], &r->arena,
		                              &values[j], &counts[j], err);
		if (rc)
			goto out;
		qsort(values[j], counts[j], sizeof(*values[j]), cmp_str);
		total += counts[j];
	}
	sg->n_attrs = n;
	sg->attrs = okra__arena_alloc(&r->arena, (n + 1) * sizeof(*sg->attrs));
	sg->segments =
	    okra__arena_alloc(&r->arena, (total + n + 1) * sizeof(char *));
	if (!sg->attrs || !sg->segments) {
		rc = okra__nomem(err);
		goto out;
	}
	for (size_t j = 0; j < n; j++) {
		okra_segment_attr *at = &sg->attrs[j];
		at->name = names[j];
		at->first = sg->n_segments;
		for (size_t i = 0; i < counts[j]; i++)
			sg->segments[sg->n_segments++] = values[j][i];
		sg->segments[sg->n_segments++] = "(none)";
		at->n = sg->n_segments - at->first;
	}
out:
	free(values);
	free(counts);
	return rc;
}
