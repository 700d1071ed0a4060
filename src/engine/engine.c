/*
 * engine.c - the embedded engine's public face: ingest into the cache,
 * open the cache (re-ingesting stale data first), and turn a query into a
 * plan, an evaluation and a result for render/metrics.c.
 *
 * Owns the .okra/ layout: cache/data.okc and rejected/<table>.csv.
 */
#include "engine/cache.h"
#include "engine/eval.h"
#include "engine/ingest.h"
#include "engine/query.h"
#include "base/fs.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct okra_engine {
	const okra_workspace *ws;
	okra_data data;
	char cache_path[4096];
};

static const char *const table_names[] = {"events", "accounts", "users",
                                          "revenue"};

static void cache_path(const okra_workspace *ws, char *out, size_t cap)
{
	snprintf(out, cap, "%s/.okra/cache/data.okc", okra_workspace_root(ws));
}

static int64_t now_micros(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

okra_rc okra_ingest(const okra_workspace *ws, const okra_load_options *opt,
                    okra_ingest_summary *summary, okra_err *err)
{
	okra_ingest_result res;
	okra__ingest_opts o = {.skip_bad_rows = opt && opt->skip_bad_rows,
	                       .progress = opt && opt->progress,
	                       .now = now_micros()};
	char dir[4096], path[4200];
	snprintf(dir, sizeof(dir), "%s/.okra/cache", okra_workspace_root(ws));
	okra_rc rc = okra__mkdir_p(dir, err);
	if (rc)
		return rc;
	rc = okra__ingest(ws, &o, &res, err);
	if (rc)
		return rc;
	cache_path(ws, path, sizeof(path));
	rc = okra__cache_write(ws, &res.data, path, err);
	/* Rejected rows: one file per table that had any; stale ones go. */
	snprintf(dir, sizeof(dir), "%s/.okra/rejected",
	         okra_workspace_root(ws));
	for (int t = 0; rc == OKRA_OK && t < 4; t++) {
		snprintf(path, sizeof(path), "%s/%s.csv", dir, table_names[t]);
		if (res.rejected[t].len == 0) {
			unlink(path);
			continue;
		}
		rc = okra__mkdir_p(dir, err);
		if (rc == OKRA_OK)
			rc = okra__write_file_atomic(path, res.rejected[t].data,
			                             res.rejected[t].len, err);
	}
	if (rc == OKRA_OK && summary) {
		memset(summary, 0, sizeof(*summary));
		for (int t = 0; t < 4; t++) {
			summary->rows[t] = res.stats.rows[t];
			summary->rejected[t] = res.stats.rejected[t];
		}
		summary->accounts = res.data.accounts.n;
		summary->users = res.data.users.n;
		if (res.data.n_events) {
			okra__format_date(okra__day_of(res.data.min_ts),
			                  summary->first_day);
			okra__format_date(okra__day_of(res.data.max_ts),
			                  summary->last_day);
		}
		summary->seconds = res.stats.seconds;
		summary->ingested = true;
	}
	okra__data_free(&res.data);
	for (int t = 0; t < 4; t++)
		okra__buf_free(&res.rejected[t]);
	return rc;
}

okra_rc okra_engine_open(const okra_workspace *ws, const okra_load_options *opt,
                         okra_engine **out, okra_ingest_summary *summary,
                         okra_err *err)
{
	okra_engine *e = calloc(1, sizeof(*e));
	if (!e)
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	e->ws = ws;
	cache_path(ws, e->cache_path, sizeof(e->cache_path));
	if (summary)
		memset(summary, 0, sizeof(*summary));
	bool fresh = false;
	okra_rc rc =
	    okra__cache_load(ws, e->cache_path, true, &e->data, &fresh, err);
	if (rc == OKRA_OK && !fresh) {
		rc = okra_ingest(ws, opt, summary, err);
		if (rc == OKRA_OK)
			rc = okra__cache_load(ws, e->cache_path, false,
			                      &e->data, &fresh, err);
		if (rc == OKRA_OK && !fresh)
			rc = okra__err_set(
			    err, OKRA_ERR_IO, e->cache_path, 0, 0,
			    "the cache just written cannot be read");
	}
	if (rc) {
		okra_engine_free(e);
		return rc;
	}
	*out = e;
	return OKRA_OK;
}

void okra_engine_free(okra_engine *e)
{
	if (!e)
		return;
	if (getenv("OKRA_TRACE"))
		okra__cache_residency(&e->data, stderr);
	okra__data_free(&e->data);
	free(e);
}

/* ---------------------------------------------------------------------
 * Queries
 * --------------------------------------------------------------------- */

static int threads(void)
{
	const char *env = getenv("OKRA_THREADS");
	long n = env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

static okra_rc parse_day(const char *s, const char *what, int32_t *day,
                         okra_err *err)
{
	if (okra__parse_date(s, day))
		return OKRA_OK;
	return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
	                     "%s must be a date YYYY-MM-DD, not \"%s\"", what,
	                     s);
}

static int32_t default_asof(const okra_engine *e)
{
	if (e->data.n_events)
		return okra__day_of(e->data.max_ts);
	return (int32_t)(time(NULL) / 86400);
}

/* Parses "ATTR=VALUE" into a one-clause pin owned by r. */
static okra_rc parse_pin(okra_result *r, const char *where, okra_err *err)
{
	const char *eq = strchr(where, '=');
	if (!eq || eq == where || !eq[1])
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "--where takes ATTR=VALUE, not \"%s\"",
		                     where);
	okra_where *w = okra__arena_alloc(&r->arena, sizeof(*w));
	okra_value *v = okra__arena_alloc(&r->arena, sizeof(*v));
	if (!w || !v)
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	w->key = okra__arena_strndup(&r->arena, where, (size_t)(eq - where));
	v->text = okra__arena_strdup(&r->arena, eq + 1);
	char *end;
	v->number = strtod(v->text ? v->text : "", &end);
	v->is_number = v->text && *v->text && !*end;
	w->values = v;
	w->n_values = 1;
	r->plan.pin = w;
	r->plan.n_pin = 1;
	return r->arena.failed ? okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
	                                       "out of memory")
	                       : OKRA_OK;
}

static okra_rc run(okra_engine *e, const okra_query *q, okra_result *r,
                   const char *const *ids, size_t n_ids, const int32_t *dates,
                   size_t n_dates, okra_err *err)
{
	okra_rc rc = okra__plan_build(e->ws, ids, n_ids, dates, n_dates, q->by,
	                              &r->plan, err);
	if (rc)
		return rc;
	if (q->where && (rc = parse_pin(r, q->where, err)))
		return rc;
	return okra__eval(&e->data, &r->plan, threads(), &r->eval, err);
}

static okra_result *new_result(okra_engine *e)
{
	okra_result *r = calloc(1, sizeof(*r));
	if (r)
		r->ws = e->ws;
	return r;
}

okra_rc okra_metrics_eval(okra_engine *e, const okra_query *q,
                          okra_result **out, okra_err *err)
{
	int32_t asof = default_asof(e);
	okra_rc rc;
	if (q->asof && (rc = parse_day(q->asof, "--asof", &asof, err)))
		return rc;
	okra_result *r = new_result(e);
	if (!r)
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	rc = run(e, q, r, q->metrics, q->n_metrics, &asof, 1, err);
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
	int32_t to = default_asof(e), from;
	if (q->to && (rc = parse_day(q->to, "--to", &to, err)))
		return rc;
	if (q->from) {
		if ((rc = parse_day(q->from, "--from", &from, err)))
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
	if ((rc = okra__series_dates(e->ws, q->grain, from, to, &dates, &n,
	                             err)))
		return rc;
	okra_result *r = new_result(e);
	if (!r) {
		free(dates);
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	}
	r->is_series = true;
	r->grain = q->grain;
	rc = run(e, q, r, q->metrics, q->n_metrics, dates, n, err);
	free(dates);
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
	okra__eval_free(&r->eval);
	okra__plan_free(&r->plan);
	okra__arena_free(&r->arena);
	free(r);
}

/* ---------------------------------------------------------------------
 * Internal queries (engine/query.h)
 * --------------------------------------------------------------------- */

okra_rc okra__engine_eval(okra_engine *e, const char *const *ids, size_t n_ids,
                          const int32_t *dates, size_t n_dates,
                          const okra_where *pin, size_t n_pin,
                          okra_result **out, okra_err *err)
{
	okra_result *r = new_result(e);
	if (!r)
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	okra_rc rc = okra__plan_build(e->ws, ids, n_ids, dates, n_dates, NULL,
	                              &r->plan, err);
	if (rc == OKRA_OK) {
		r->plan.pin = pin;
		r->plan.n_pin = n_pin;
		rc = okra__eval(&e->data, &r->plan, threads(), &r->eval, err);
	}
	if (rc) {
		okra_result_free(r);
		return rc;
	}
	*out = r;
	return OKRA_OK;
}

const okra_workspace *okra__engine_workspace(const okra_engine *e)
{
	return e->ws;
}

int32_t okra__engine_last_day(const okra_engine *e)
{
	return default_asof(e);
}

int32_t okra__engine_first_day(const okra_engine *e)
{
	return e->data.n_events ? okra__day_of(e->data.min_ts) : -1;
}

double okra__result_value(const okra_result *r, int m, int32_t day)
{
	const okra_metric_values *mv = &r->eval.metrics[m];
	if (!mv->evaluated || !mv->v)
		return NAN;
	size_t lo = 0, hi = r->eval.n_dates;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->eval.dates[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == r->eval.n_dates || r->eval.dates[lo] != day)
		return NAN;
	return mv->v[lo];
}

/* ---------------------------------------------------------------------
 * MRR bridge
 * --------------------------------------------------------------------- */

/* One series evaluation of the mrr metric gives the months (its as-of
 * days) and each month's end; the bridge measures of revenue.c, asked of
 * the same metric at the same days, give the movements, and its mrr at
 * the last day of the month before gives the start.  okra_bridge_write
 * checks that they add up. */
okra_rc okra_bridge_eval(okra_engine *e, const okra_query *q, okra_bridge **out,
                         okra_err *err)
{
	static const okra_revenue_measure movements[] = {
	    OKRA_REV_NEW,         OKRA_REV_REACTIVATION, OKRA_REV_EXPANSION,
	    OKRA_REV_CONTRACTION, OKRA_REV_CHURNED,
	};
	if (q->n_metrics != 1)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "the MRR bridge is of one metric (a "
		                     "revenue metric with measure mrr)");
	if (q->by || q->where)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "the MRR bridge is of the whole business: "
		                     "no --by or --where");
	okra_query monthly = *q;
	monthly.grain = OKRA_GRAIN_MONTH;
	okra_result *r = NULL;
	okra_bridge *b = NULL;
	double *column = NULL;
	int32_t *before = NULL;
	okra_rc rc = okra_series_eval(e, &monthly, &r,
	                              err); /* unknown ids: did you mean */
	if (rc)
		return rc;
	int mi = okra__find_metric(e->ws, q->metrics[0]);
	const okra_metric *m = &e->ws->metrics[mi];
	if (m->type != OKRA_METRIC_REVENUE ||
	    m->revenue_measure != OKRA_REV_MRR) {
		rc = okra__err_set(
		    err, OKRA_ERR_USAGE, NULL, 0, 0,
		    "the MRR bridge needs a revenue metric with measure mrr; "
		    "\"%s\" is %s %s%s",
		    m->id,
		    m->type == OKRA_METRIC_REVENUE ? "the revenue measure"
		                                   : "a",
		    m->type == OKRA_METRIC_REVENUE
		        ? okra__revenue_measure_names[m->revenue_measure]
		        : okra__metric_type_names[m->type],
		    m->type == OKRA_METRIC_REVENUE ? "" : " metric");
		goto out;
	}
	size_t n = r->eval.n_dates;
	const int32_t *dates = r->eval.dates;
	b = calloc(1, sizeof(*b));
	column = malloc((n + 1) * sizeof(*column));
	before = malloc((n + 1) * sizeof(*before));
	if (b)
		b->months = calloc(n + 1, sizeof(*b->months));
	if (!b || !b->months || !column || !before) {
		rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                   "out of memory");
		goto out;
	}
	b->ws = e->ws;
	b->metric = m->id;
	b->n_months = n;
	for (size_t i = 0; i < n; i++) {
		okra_bridge_month *bm = &b->months[i];
		int y, mo, d;
		okra__civil_from_days(dates[i], &y, &mo, &d);
		snprintf(bm->month, sizeof(bm->month), "%04u-%02u",
		         (unsigned)y % 10000u, (unsigned)mo % 100u);
		okra__format_date(dates[i], bm->asof);
		bm->end = r->eval.metrics[mi].v[i];
		before[i] = okra__days_from_civil(y, mo, 1) - 1;
	}
	okra_metric part = *m;
	for (size_t k = 0; k < OKRA_ARRAY_LEN(movements); k++) {
		part.revenue_measure = movements[k];
		okra__eval_revenue(&e->data, e->ws, &part, dates, n, NULL, NULL,
		                   0, 0, column);
		for (size_t i = 0; i < n; i++) {
			okra_bridge_month *bm = &b->months[i];
			double *field[] = {&bm->new_mrr, &bm->reactivation,
			                   &bm->expansion, &bm->contraction,
			                   &bm->churned};
			*field[k] = column[i];
		}
	}
	part.revenue_measure = OKRA_REV_MRR;
	okra__eval_revenue(&e->data, e->ws, &part, before, n, NULL, NULL, 0, 0,
	                   column);
	for (size_t i = 0; i < n; i++)
		b->months[i].start = column[i];
	*out = b;
	b = NULL;
out:
	okra_bridge_free(b);
	free(column);
	free(before);
	okra_result_free(r);
	return rc;
}

void okra_bridge_free(okra_bridge *b)
{
	if (!b)
		return;
	free(b->months);
	free(b);
}
