/*
 * query.c - the engine front: one okra_engine over a backend.
 *
 * Picks the backend the workspace names (embedded, or ClickHouse with
 * engine: {clickhouse: ...}; --engine overrides it), and runs every query
 * the same way: plan the metrics, resolve the as-of days, the pin and the
 * segments, let the backend evaluate what scans data, derive the rest.
 * Knows nothing of columns or SQL.
 */
#include "query/query.h"
#include "clickhouse/ch.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct okra_engine {
	const okra_workspace *ws;
	const okra_backend_ops *ops;
	okra_backend *be;
	okra_coverage coverage; /* of the data */
};

okra_rc okra_engine_open(const okra_workspace *ws, const okra_load_options *opt,
                         okra_engine **out, okra_ingest_summary *summary,
                         okra_err *err)
{
	const okra_workspace_settings *s = &ws->settings;
	okra_engine *e = calloc(1, sizeof(*e));
	if (!e)
		return okra__nomem(err);
	e->ws = ws;
	e->ops = s->engine_clickhouse ? &okra__clickhouse_backend
	         : s->events.is_set || s->accounts.is_set || s->users.is_set ||
	                 s->revenue.is_set
	             ? &okra__embedded_backend
	             : &okra__nodata_backend;
	okra_rc rc = e->ops->open(ws, opt, &e->be, summary, err);
	if (rc) {
		free(e);
		return rc;
	}
	e->ops->coverage(e->be, &e->coverage);
	*out = e;
	return OKRA_OK;
}

void okra_engine_free(okra_engine *e)
{
	if (!e)
		return;
	e->ops->close(e->be);
	free(e);
}

const okra_workspace *okra__engine_workspace(const okra_engine *e)
{
	return e->ws;
}

int32_t okra__engine_last_day(const okra_engine *e)
{
	return e->coverage.events_last >= 0 ? e->coverage.events_last
	                                    : (int32_t)(time(NULL) / 86400);
}

int32_t okra__engine_first_day(const okra_engine *e)
{
	return e->coverage.events_first;
}

okra_rc okra__engine_attr_values(okra_engine *e, const char *attr,
                                 okra_arena *a, const char ***out, size_t *n,
                                 okra_err *err)
{
	return e->ops->attr_values(e->be, attr, a, out, n, err);
}

okra_rc okra__engine_experiment(okra_engine *e, const okra_exp_query *q,
                                okra_arena *a, okra_exp_data *out,
                                okra_err *err)
{
	return e->ops->experiment(e->be, q, a, out, err);
}

okra_rc okra__engine_attributes(okra_engine *e, okra_arena *a,
                                const char ***out, size_t *n, okra_err *err)
{
	return e->ops->attributes(e->be, a, out, n, err);
}

okra_rc okra__engine_event_names(okra_engine *e, okra_arena *a,
                                 const char ***names, uint64_t **counts,
                                 size_t *n, okra_err *err)
{
	return e->ops->event_names(e->be, a, names, counts, n, err);
}

okra_rc okra__engine_properties(okra_engine *e, okra_arena *a,
                                const char ***out, size_t *n, okra_err *err)
{
	return e->ops->properties(e->be, a, out, n, err);
}

okra_rc okra__engine_profile(okra_engine *e, okra_profile *out, okra_err *err)
{
	if (!e->ops->profile)
		return okra__err_set(err, OKRA_ERR_CONFIG, NULL, 0, 0,
		                     "the %s engine does not profile its data",
		                     e->ops->name);
	return e->ops->profile(e->be, out, err);
}

okra_rc okra__engine_key_lookup(okra_engine *e, const char *key,
                                const okra_value *value, size_t cap,
                                okra_arena *a, okra_key_info *out,
                                okra_err *err)
{
	return e->ops->key_lookup(e->be, key, value, cap, a, out, err);
}

/* ---------------------------------------------------------------------
 * Queries
 * --------------------------------------------------------------------- */

okra_rc okra__engine_day(const okra_engine *e, const char *s, const char *what,
                         int32_t *day, okra_err *err)
{
	if (!okra__parse_date(s, day))
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "%s must be a date YYYY-MM-DD, not \"%s\"",
		                     what, s);
	int32_t today = (int32_t)(time(NULL) / 86400), horizon = today;
	if (e->coverage.events_last > horizon)
		horizon = e->coverage.events_last;
	if (*day <= horizon + 366)
		return OKRA_OK;
	char last[11] = "none";
	if (e->coverage.events_last >= 0)
		okra__format_date(e->coverage.events_last, last);
	return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
	                     "%s %s is more than a year after today and after "
	                     "the data's last day (%s): it could only read "
	                     "zeros",
	                     what, s, last);
}

/* Parses the "ATTR=VALUE" pins of a query into r's plan, one clause per
 * attribute in the order first named, its values any of. */
static okra_rc parse_pins(okra_result *r, const char *const *where, size_t n,
                          okra_err *err)
{
	okra_where *w = okra__arena_alloc(&r->arena, (n + 1) * sizeof(*w));
	okra_value *vals =
	    okra__arena_alloc(&r->arena, (n + 1) * sizeof(*vals));
	if (!w || !vals)
		return okra__nomem(err);
	size_t n_w = 0;
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(where[i], '=');
		if (!eq || eq == where[i] || !eq[1])
			return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
			                     "a segment pin is ATTR=VALUE, not "
			                     "\"%s\"",
			                     where[i]);
		size_t klen = (size_t)(eq - where[i]);
		okra_value *v = &vals[i];
		v->text = eq + 1;
		char *end;
		v->number = strtod(v->text, &end);
		v->is_number = *v->text && !*end;
		size_t k = 0;
		while (k < n_w && (strlen(w[k].key) != klen ||
		                   strncmp(w[k].key, where[i], klen) != 0))
			k++;
		if (k == n_w) {
			w[n_w++] = (okra_where){
			    .key =
			        okra__arena_strndup(&r->arena, where[i], klen),
			    .values = okra__arena_alloc(
			        &r->arena, (n + 1) * sizeof(okra_value))};
			if (!w[k].key || !w[k].values)
				return okra__nomem(err);
		}
		((okra_value *)w[k].values)[w[k].n_values++] = *v;
	}
	r->plan.pin = w;
	r->plan.n_pin = n_w;
	return OKRA_OK;
}

okra_rc okra__query_pins(okra_engine *e, okra_result *r,
                         const char *const *where, size_t n, okra_err *err)
{
	okra_rc rc = parse_pins(r, where, n, err);
	return rc ? rc : okra__check_pins(e, r, true, err);
}

static bool scans_data(const okra_plan *plan)
{
	for (size_t k = 0; k < plan->n_items; k++)
		switch (plan->items[k].scan) {
		case OKRA_SCAN_EVENTS:
		case OKRA_SCAN_ENTITIES:
		case OKRA_SCAN_REVENUE:
			return true;
		default:
			break;
		}
	return false;
}

okra_rc okra__engine_evaluate(okra_engine *e, okra_result *r, okra_err *err)
{
	okra_rc rc = okra__resolve_segments(e, r, err);
	if (rc)
		return rc;
	if (!okra__result_alloc_values(r))
		return okra__nomem(err);
	if (r->plan.n_dates == 0)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "no as-of date");
	if (scans_data(&r->plan) && (rc = e->ops->evaluate(e->be, r, err)))
		return rc;
	return okra__derive(r, err);
}

okra_result *okra__result_new(okra_engine *e)
{
	okra_result *r = calloc(1, sizeof(*r));
	if (r) {
		r->ws = e->ws;
		r->coverage = e->coverage;
	}
	return r;
}

static okra_rc run(okra_engine *e, const okra_query *q, okra_result *r,
                   const int32_t *dates, size_t n_dates, okra_err *err)
{
	okra_rc rc = okra__plan_build(e->ws, q->metrics, q->n_metrics, dates,
	                              n_dates, q->by, &r->plan, err);
	if (rc)
		return rc;
	r->plan.totals_only = !q->segments;
	if (q->n_where &&
	    (rc = okra__query_pins(e, r, q->where, q->n_where, err)))
		return rc;
	return okra__engine_evaluate(e, r, err);
}

okra_rc okra_metrics_eval(okra_engine *e, const okra_query *q,
                          okra_result **out, okra_err *err)
{
	int32_t asof = okra__engine_last_day(e);
	okra_rc rc;
	if (q->asof && (rc = okra__engine_day(e, q->asof, "asof", &asof, err)))
		return rc;
	okra_result *r = okra__result_new(e);
	if (!r)
		return okra__nomem(err);
	rc = run(e, q, r, &asof, 1, err);
	if (rc == OKRA_OK && q->compare)
		rc = okra__compare_eval(e, r, q->compare, err);
	if (rc) {
		okra_result_free(r);
		return rc;
	}
	*out = r;
	return OKRA_OK;
}

okra_rc okra_series_eval(okra_engine *e, const okra_query *q, okra_result **out,
                         okra_err *err)
{
	static const okra_window_kind kinds[] = {
	    OKRA_WINDOW_DAYS,
	    OKRA_WINDOW_WEEK,
	    OKRA_WINDOW_MONTH,
	    OKRA_WINDOW_QUARTER,
	};
	okra_rc rc;
	int32_t to = okra__engine_last_day(e), from;
	if (q->to && (rc = okra__engine_day(e, q->to, "to", &to, err)))
		return rc;
	if (q->from) {
		if ((rc = okra__engine_day(e, q->from, "from", &from, err)))
			return rc;
	} else {
		/* 13 periods ending with the one that holds `to`. */
		from = to;
		for (int i = 0; i < 12; i++) {
			int32_t first, last;
			okra__period_bounds(e->ws, kinds[q->grain], from,
			                    &first, &last);
			from = first - 1;
		}
		int32_t first, last;
		okra__period_bounds(e->ws, kinds[q->grain], from, &first,
		                    &last);
		from = first;
	}
	int32_t *dates = NULL;
	size_t n = 0;
	if ((rc = okra__series_dates(e->ws, q->grain, from, to, q->max_points,
	                             &dates, &n, err)))
		return rc;
	okra_result *r = okra__result_new(e);
	if (!r) {
		free(dates);
		return okra__nomem(err);
	}
	r->is_series = true;
	r->grain = q->grain;
	rc = run(e, q, r, dates, n, err);
	free(dates);
	if (rc == OKRA_OK && q->compare)
		rc = okra__compare_eval(e, r, q->compare, err);
	if (rc) {
		okra_result_free(r);
		return rc;
	}
	*out = r;
	return OKRA_OK;
}

okra_rc okra__engine_eval(okra_engine *e, const char *const *ids, size_t n_ids,
                          const int32_t *dates, size_t n_dates,
                          const okra_where *pin, size_t n_pin,
                          okra_result **out, okra_err *err)
{
	okra_result *r = okra__result_new(e);
	if (!r)
		return okra__nomem(err);
	okra_rc rc = okra__plan_build(e->ws, ids, n_ids, dates, n_dates, NULL,
	                              &r->plan, err);
	if (rc == OKRA_OK) {
		r->plan.pin = pin;
		r->plan.n_pin = n_pin;
		rc = okra__check_pins(e, r, false, err);
	}
	if (rc == OKRA_OK)
		rc = okra__engine_evaluate(e, r, err);
	if (rc) {
		okra_result_free(r);
		return rc;
	}
	*out = r;
	return OKRA_OK;
}

/* The plan of okra__engine_eval_outcomes into r. */
static okra_rc outcomes_plan(okra_engine *e, const char *const *ids,
                             size_t n_ids, const int32_t *dates, size_t n_dates,
                             int32_t day, const okra_metric *north_star,
                             okra_result *r, okra_err *err)
{
	okra_rc rc = okra__plan_build(e->ws, ids, n_ids, dates, n_dates, NULL,
	                              &r->plan, err);
	if (rc)
		return rc;
	okra_plan *p = &r->plan;
	if (north_star && p->item_of[north_star - e->ws->metrics] < 0)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "the north star \"%s\" is not among the "
		                     "metrics evaluated",
		                     north_star->id);
	p->outcome_of = north_star;
	p->outcome_day = day;
	for (size_t k = 0; k < p->n_items; k++) {
		/* Values only: no segments of the metrics' own.  Outcomes for
		 * the metrics a lift is measured for. */
		p->items[k].outcomes = north_star && p->items[k].requested &&
		                       (p->items[k].caps & OKRA_CAP_LIFT);
		p->items[k].requested = false;
	}
	return OKRA_OK;
}

okra_rc okra__engine_eval_outcomes(okra_engine *e, const char *const *ids,
                                   size_t n_ids, const int32_t *dates,
                                   size_t n_dates, int32_t day,
                                   const okra_metric *north_star,
                                   okra_result **out, okra_err *err)
{
	okra_result *r = okra__result_new(e);
	if (!r)
		return okra__nomem(err);
	okra_rc rc = outcomes_plan(e, ids, n_ids, dates, n_dates, day,
	                           north_star, r, err);
	if (rc == OKRA_OK)
		rc = okra__engine_evaluate(e, r, err);
	if (rc) {
		okra_result_free(r);
		return rc;
	}
	*out = r;
	return OKRA_OK;
}

void okra_result_free(okra_result *r)
{
	if (!r)
		return;
	okra_result_free(r->compare);
	okra__plan_free(&r->plan);
	okra__arena_free(&r->arena);
	free(r);
}

/* ---------------------------------------------------------------------
 * The engine choice and the SQL of the ClickHouse engine
 * --------------------------------------------------------------------- */

okra_rc okra_workspace_set_engine(okra_workspace *ws, const char *engine,
                                  okra_err *err)
{
	okra_workspace_settings *s = &ws->settings;
	if (strcmp(engine, "embedded") == 0) {
		s->engine_clickhouse = false;
		return OKRA_OK;
	}
	if (strcmp(engine, "clickhouse") != 0)
		return okra__err_set(
		    err, OKRA_ERR_USAGE, NULL, 0, 0,
		    "the engine is embedded or clickhouse, not "
		    "\"%s\"",
		    engine);
	if (!s->has_clickhouse)
		return okra__err_set(
		    err, OKRA_ERR_USAGE, NULL, 0, 0,
		    "the clickhouse engine needs the server in okra.yaml: "
		    "engine: {clickhouse: {url: http://127.0.0.1:8123, "
		    "database: analytics}}");
	s->engine_clickhouse = true;
	return OKRA_OK;
}

void okra_workspace_set_sql_log(okra_workspace *ws, FILE *log)
{
	ws->settings.sql_log = log;
}

const char *okra_engine_name(const okra_engine *e)
{
	return e->ops->name;
}

/* okra sql needs the ClickHouse engine. */
static okra_rc sql_engine(const okra_engine *e, okra_err *err)
{
	if (e->ops == &okra__clickhouse_backend)
		return OKRA_OK;
	return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
	                     "okra sql prints the SQL of the ClickHouse "
	                     "engine: write engine: {clickhouse: ...} in "
	                     "okra.yaml");
}

/* Writes the queries of r's plan, its values allocated first. */
static okra_rc explain(okra_engine *e, okra_result *r, FILE *out, okra_err *err)
{
	if (!okra__result_alloc_values(r))
		return okra__nomem(err);
	return okra__ch_explain(e->be, r, out, err);
}

okra_rc okra_sql_print(okra_engine *e, const okra_query *q, FILE *out,
                       okra_err *err)
{
	okra_rc rc = sql_engine(e, err);
	if (rc)
		return rc;
	int32_t asof = okra__engine_last_day(e);
	if (q->asof && (rc = okra__engine_day(e, q->asof, "asof", &asof, err)))
		return rc;
	okra_result *r = okra__result_new(e);
	if (!r)
		return okra__nomem(err);
	rc = okra__plan_build(e->ws, q->metrics, q->n_metrics, &asof, 1, q->by,
	                      &r->plan, err);
	if (rc == OKRA_OK && q->n_where)
		rc = okra__query_pins(e, r, q->where, q->n_where, err);
	if (rc == OKRA_OK)
		rc = okra__resolve_segments(e, r, err);
	if (rc == OKRA_OK)
		rc = explain(e, r, out, err);
	okra_result_free(r);
	return rc;
}

okra_rc okra__engine_sql_outcomes(okra_engine *e, const char *const *ids,
                                  size_t n_ids, const int32_t *dates,
                                  size_t n_dates, int32_t day,
                                  const okra_metric *north_star, FILE *out,
                                  okra_err *err)
{
	okra_rc rc = sql_engine(e, err);
	if (rc)
		return rc;
	okra_result *r = okra__result_new(e);
	if (!r)
		return okra__nomem(err);
	rc = outcomes_plan(e, ids, n_ids, dates, n_dates, day, north_star, r,
	                   err);
	if (rc == OKRA_OK)
		rc = explain(e, r, out, err);
	okra_result_free(r);
	return rc;
}
