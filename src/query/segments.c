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

static okra_rc nomem(okra_err *err)
{
	return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

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
				    "fewer metrics, or segment by one with "
				    "--by",
				    OKRA_MAX_QUERY_ATTRS);
			names[(*n)++] = m->segments[i];
		}
	}
	return OKRA_OK;
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
	for (size_t i = 0; i < plan->n_pin; i++)
		if (strcmp(plan->pin[i].key, "cohort") != 0 &&
		    !has(attrs, n_attrs, plan->pin[i].key))
			return unknown_attr("where", plan->pin[i].key, attrs,
			                    n_attrs, err);
	if (plan->by && strcmp(plan->by, "cohort") != 0 &&
	    !has(attrs, n_attrs, plan->by))
		return unknown_attr("--by", plan->by, attrs, n_attrs, err);
	if ((rc = segment_names(plan, names, &n, err)))
		return rc;

	/* Each attribute's values, sorted, then (none). */
	const char ***values = calloc(n + 1, sizeof(*values));
	size_t *counts = calloc(n + 1, sizeof(*counts)), total = 0;
	if (!values || !counts) {
		rc = nomem(err);
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
		rc = nomem(err);
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
