/*
 * nodata.c - the backend of a workspace without data: okra.yaml names no
 * data table (a team that types its numbers in as check-ins, as with
 * Tability), so there is nothing to open and only manual metrics, and the
 * ratios and formulas over them, have values.
 *
 * Every operation answers from no data at all: no days, no attributes,
 * no event names.  A metric that would scan data is refused by name and
 * position, never evaluated as zeros.
 */
#include "plan/backend.h"

#include <string.h>

static okra_rc nodata_open(const okra_workspace *ws,
                           const okra_load_options *opt, okra_backend **out,
                           okra_ingest_summary *summary, okra_err *err)
{
	(void)ws;
	(void)opt;
	(void)err;
	if (summary)
		memset(summary, 0, sizeof(*summary));
	*out = NULL;
	return OKRA_OK;
}

static void nodata_close(okra_backend *b)
{
	(void)b;
}

static void nodata_coverage(okra_backend *b, okra_coverage *out)
{
	(void)b;
	out->events_first = out->events_last = out->revenue_last = -1;
}

static okra_rc none(okra_arena *a, const char ***out, size_t *n, okra_err *err)
{
	*out = okra__arena_alloc(a, sizeof(**out));
	*n = 0;
	return *out ? OKRA_OK : okra__nomem(err);
}

static okra_rc nodata_attributes(okra_backend *b, okra_arena *a,
                                 const char ***out, size_t *n, okra_err *err)
{
	(void)b;
	return none(a, out, n, err);
}

static okra_rc nodata_attr_values(okra_backend *b, const char *attr,
                                  okra_arena *a, const char ***out, size_t *n,
                                  okra_err *err)
{
	(void)b;
	(void)attr;
	return none(a, out, n, err);
}

static okra_rc nodata_event_names(okra_backend *b, okra_arena *a,
                                  const char ***names, uint64_t **counts,
                                  size_t *n, okra_err *err)
{
	(void)b;
	*counts = okra__arena_alloc(a, sizeof(**counts));
	if (!*counts)
		return okra__nomem(err);
	return none(a, names, n, err);
}

static okra_rc nodata_properties(okra_backend *b, okra_arena *a,
                                 const char ***out, size_t *n, okra_err *err)
{
	(void)b;
	return none(a, out, n, err);
}

static okra_rc nodata_key_lookup(okra_backend *b, const char *key,
                                 const okra_value *value, size_t cap,
                                 okra_arena *a, okra_key_info *out,
                                 okra_err *err)
{
	(void)b;
	(void)key;
	(void)value;
	(void)cap;
	(void)a;
	(void)err;
	memset(out, 0, sizeof(*out));
	return OKRA_OK;
}

/* The front asks only when a planned metric scans data: name it. */
static okra_rc nodata_evaluate(okra_backend *b, okra_result *r, okra_err *err)
{
	(void)b;
	for (size_t k = 0; k < r->plan.n_items; k++) {
		const okra_plan_item *it = &r->plan.items[k];
		if (it->scan != OKRA_SCAN_EVENTS &&
		    it->scan != OKRA_SCAN_ENTITIES &&
		    it->scan != OKRA_SCAN_REVENUE)
			continue;
		return okra__err_set(
		    err, OKRA_ERR_CONFIG, it->m->pos.file, it->m->pos.line,
		    it->m->pos.col,
		    "metric \"%s\" (type %s) is computed from data, and "
		    "okra.yaml names no data tables: add data: {events: ...} "
		    "or make it a manual metric (type: manual) that check-ins "
		    "fill",
		    it->m->id, okra__metric_types[it->m->type].name);
	}
	return OKRA_OK;
}

static okra_rc nodata_experiment(okra_backend *b, const okra_exp_query *q,
                                 okra_arena *a, okra_exp_data *out,
                                 okra_err *err)
{
	(void)b;
	(void)a;
	(void)out;
	return okra__err_set(err, OKRA_ERR_CONFIG, q->x->pos.file,
	                     q->x->pos.line, q->x->pos.col,
	                     "experiment \"%s\" is read out from the events, "
	                     "and okra.yaml names no data tables",
	                     q->x->id);
}

static okra_rc nodata_profile(okra_backend *b, okra_profile *out, okra_err *err)
{
	(void)b;
	(void)out;
	return okra__err_set(err, OKRA_ERR_CONFIG, "okra.yaml", 0, 0,
	                     "no data: okra.yaml names no data tables (this "
	                     "workspace has manual metrics only); name them "
	                     "under data:, e.g. data: {events: "
	                     "data/events.csv}");
}

const okra_backend_ops okra__nodata_backend = {
    .name = "none",
    .open = nodata_open,
    .close = nodata_close,
    .coverage = nodata_coverage,
    .attributes = nodata_attributes,
    .attr_values = nodata_attr_values,
    .event_names = nodata_event_names,
    .properties = nodata_properties,
    .key_lookup = nodata_key_lookup,
    .evaluate = nodata_evaluate,
    .experiment = nodata_experiment,
    .profile = nodata_profile,
};
