/*
 * engine.c - the embedded engine's public face: ingest into the cache,
 * and the backend operations of plan/backend.h (open the cache,
 * re-ingesting stale data first; the days, attributes and values the data
 * holds; evaluate a plan with eval.c and revenue.c).
 *
 * Owns the .okra/ layout: cache/data.okc and rejected/<table>.csv.
 */
#include "engine/cache.h"
#include "engine/eval.h"
#include "engine/experiment.h"
#include "engine/ingest.h"
#include "engine/profile.h"
#include "engine/reader.h"
#include "plan/backend.h"
#include "base/fs.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

static void fill_summary(const okra_ingest_result *res,
                         okra_ingest_summary *summary)
{
	memset(summary, 0, sizeof(*summary));
	for (int t = 0; t < 4; t++) {
		summary->rows[t] = res->stats.rows[t];
		summary->rejected[t] = res->stats.rejected[t];
	}
	summary->accounts = res->data.accounts.n;
	summary->users = res->data.users.n;
	if (res->data.n_events) {
		okra__format_date(okra__day_of(res->data.min_ts),
		                  summary->first_day);
		okra__format_date(okra__day_of(res->data.max_ts),
		                  summary->last_day);
	}
	summary->seconds = res->stats.seconds;
	summary->ingested = true;
}

/* Writes the cache and the rejected rows of an ingest (cache_path and
 * .okra/rejected/), creating .okra/cache/ when missing.  The data is
 * spent by the write (okra__cache_write): only freeing it may follow. */
static okra_rc write_ingest(const okra_workspace *ws, okra_ingest_result *res,
                            okra_err *err)
{
	char dir[4096], path[4200];
	snprintf(dir, sizeof(dir), "%s/.okra/cache", okra_workspace_root(ws));
	okra_rc rc = okra__mkdir_p(dir, err);
	if (rc)
		return rc;
	cache_path(ws, path, sizeof(path));
	rc = okra__cache_write(ws, &res->data, path, err);
	/* Rejected rows: one file per table that had any; stale ones go. */
	snprintf(dir, sizeof(dir), "%s/.okra/rejected",
	         okra_workspace_root(ws));
	for (int t = 0; rc == OKRA_OK && t < 4; t++) {
		snprintf(path, sizeof(path), "%s/%s.csv", dir, table_names[t]);
		if (res->rejected[t].len == 0) {
			unlink(path);
			continue;
		}
		rc = okra__mkdir_p(dir, err);
		if (rc == OKRA_OK)
			rc =
			    okra__write_file_atomic(path, res->rejected[t].data,
			                            res->rejected[t].len, err);
	}
	return rc;
}

static void free_ingest(okra_ingest_result *res)
{
	okra__data_free(&res->data);
	for (int t = 0; t < 4; t++)
		okra__buf_free(&res->rejected[t]);
}

static okra__ingest_opts ingest_opts(const okra_load_options *opt)
{
	return (okra__ingest_opts){.skip_bad_rows = opt && opt->skip_bad_rows,
	                           .progress = opt && opt->progress,
	                           .now = now_micros()};
}

okra_rc okra_ingest(const okra_workspace *ws, const okra_load_options *opt,
                    okra_ingest_summary *summary, okra_err *err)
{
	okra_ingest_result res;
	okra__ingest_opts o = ingest_opts(opt);
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/.okra/cache", okra_workspace_root(ws));
	okra_rc rc = okra__mkdir_p(dir, err); /* fail before reading */
	if (rc)
		return rc;
	rc = okra__ingest(ws, &o, &res, err);
	if (rc)
		return rc;
	struct timespec tp;
	clock_gettime(CLOCK_MONOTONIC, &tp);
	rc = write_ingest(ws, &res, err);
	okra__ingest_trace("ingest: cache write", &tp);
	if (rc == OKRA_OK && summary)
		fill_summary(&res, summary);
	free_ingest(&res);
	return rc;
}

/* ---------------------------------------------------------------------
 * The embedded backend (plan/backend.h)
 * --------------------------------------------------------------------- */

struct okra_backend {
	const okra_workspace *ws;
	okra_data data;
	char cache_path[4096];
};

static void embedded_close(okra_backend *b)
{
	if (!b)
		return;
	if (getenv("OKRA_TRACE"))
		okra__cache_residency(&b->data, stderr);
	okra__data_free(&b->data);
	free(b);
}

/* Reads the data into memory when the cache cannot be written (a
 * read-only workspace, a full disk): the numbers are the same, the next
 * command reads the files again, and the summary says why. */
static okra_rc ingest_in_memory(okra_backend *b, const okra_load_options *opt,
                                okra_ingest_summary *summary,
                                const okra_err *why, okra_err *err)
{
	okra_ingest_result res;
	okra__ingest_opts o = ingest_opts(opt);
	okra_rc rc = okra__ingest(b->ws, &o, &res, err);
	if (rc)
		return rc;
	if (summary) {
		fill_summary(&res, summary);
		summary->in_memory = true;
		if (why->file[0])
			snprintf(summary->not_cached,
			         sizeof(summary->not_cached), "%s: %s",
			         why->file, why->msg);
		else
			snprintf(summary->not_cached,
			         sizeof(summary->not_cached), "%s", why->msg);
	}
	okra__data_free(&b->data);
	b->data = res.data;
	res.data = (okra_data){0};
	free_ingest(&res);
	return OKRA_OK;
}

/* Maps the cache, ingesting first when it is missing or stale. */
static okra_rc embedded_open(const okra_workspace *ws,
                             const okra_load_options *opt, okra_backend **out,
                             okra_ingest_summary *summary, okra_err *err)
{
	okra_backend *b = calloc(1, sizeof(*b));
	if (!b)
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	b->ws = ws;
	cache_path(ws, b->cache_path, sizeof(b->cache_path));
	if (summary)
		memset(summary, 0, sizeof(*summary));
	bool fresh = false;
	okra_rc rc =
	    okra__cache_load(ws, b->cache_path, true, &b->data, &fresh, err);
	if (rc == OKRA_OK && !fresh) {
		okra_err io = {0};
		rc = okra_ingest(ws, opt, summary, &io);
		if (rc == OKRA_ERR_IO)
			rc = ingest_in_memory(b, opt, summary, &io, err);
		else if (rc)
			*err = io;
		else if ((rc = okra__cache_load(ws, b->cache_path, false,
		                                &b->data, &fresh, err)) ==
		             OKRA_OK &&
		         !fresh)
			rc = okra__err_set(
			    err, OKRA_ERR_IO, b->cache_path, 0, 0,
			    "the cache just written cannot be read");
	}
	if (rc) {
		embedded_close(b);
		return rc;
	}
	*out = b;
	return OKRA_OK;
}

static void embedded_coverage(okra_backend *b, okra_coverage *out)
{
	const okra_data *d = &b->data;
	out->events_first = out->events_last = out->revenue_last = -1;
	if (d->n_events) {
		out->events_first = okra__day_of(d->min_ts);
		out->events_last = okra__day_of(d->max_ts);
	}
	const okra_revenue_table *rv = &d->revenue;
	int32_t last = -1;
	for (uint64_t i = 0; i < rv->n; i++) {
		if (rv->open && rv->open[i]) {
			out->revenue_last = INT32_MAX;
			return;
		}
		if (rv->month[i] > last)
			last = rv->month[i];
	}
	if (last >= 0) /* months since 1970-01: the month's last day */
		out->revenue_last =
		    okra__days_from_civil((int)((last + 1) / 12) + 1970,
		                          (int)((last + 1) % 12) + 1, 1) -
		    1;
}

static okra_rc embedded_attributes(okra_backend *b, okra_arena *a,
                                   const char ***out, size_t *n, okra_err *err)
{
	const okra_entity_table *t = &b->data.accounts;
	const char **names =
	    okra__arena_alloc(a, (t->n_attrs + 1) * sizeof(*names));
	if (!names)
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	for (uint32_t i = 0; i < t->n_attrs; i++)
		names[i] = t->attrs[i].name;
	*out = names;
	*n = t->n_attrs;
	return OKRA_OK;
}

static int cmp_month(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return x < y ? -1 : x > y;
}

/* The signup months of every account and user with a created_at. */
static okra_rc cohort_values(const okra_data *d, okra_arena *a,
                             const char ***out, size_t *n, okra_err *err)
{
	size_t cap = (size_t)d->accounts.n + d->users.n, k = 0;
	int32_t *months = malloc((cap + 1) * sizeof(*months));
	if (!months)
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	for (int kind = 0; kind < 2; kind++) {
		const okra_entity_table *t = kind ? &d->users : &d->accounts;
		for (uint32_t e = 0; e < t->n; e++) {
			if (t->created[e] == INT64_MIN)
				continue;
			int y, m, dd;
			okra__civil_from_days(okra__day_of(t->created[e]), &y,
			                      &m, &dd);
			months[k++] = y * 12 + m - 1;
		}
	}
	qsort(months, k, sizeof(*months), cmp_month);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (u == 0 || months[u - 1] != months[i])
			months[u++] = months[i];
	const char **names = okra__arena_alloc(a, (u + 1) * sizeof(*names));
	for (size_t i = 0; names && i < u; i++)
		names[i] = okra__arena_printf(a, "%04d-%02d", months[i] / 12,
		                              months[i] % 12 + 1);
	free(months);
	if (!names || a->failed)
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	*out = names;
	*n = u;
	return OKRA_OK;
}

static okra_rc embedded_attr_values(okra_backend *b, const char *attr,
                                    okra_arena *a, const char ***out, size_t *n,
                                    okra_err *err)
{
	const okra_data *d = &b->data;
	if (strcmp(attr, "cohort") == 0)
		return cohort_values(d, a, out, n, err);
	const okra_attr *at = NULL;
	for (uint32_t i = 0; i < d->accounts.n_attrs; i++)
		if (strcmp(d->accounts.attrs[i].name, attr) == 0)
			at = &d->accounts.attrs[i];
	uint32_t nv = at ? at->dict.n : 0;
	const char **names = okra__arena_alloc(a, (nv + 1) * sizeof(*names));
	if (!names)
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	for (uint32_t i = 0; i < nv; i++)
		names[i] = okra__dict_str(&at->dict, i);
	*out = names;
	*n = nv;
	return OKRA_OK;
}

static okra_rc embedded_event_names(okra_backend *b, okra_arena *a,
                                    const char ***names, uint64_t **counts,
                                    size_t *n, okra_err *err)
{
	const okra_data *d = &b->data;
	uint32_t nn = d->names.n;
	const char **v = okra__arena_alloc(a, (nn + 1) * sizeof(*v));
	uint64_t *c = okra__arena_alloc(a, (nn + 1) * sizeof(*c));
	if (!v || !c)
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	for (uint32_t i = 0; i < nn; i++)
		v[i] = okra__dict_str(&d->names, i);
	for (uint64_t r = 0; r < d->n_events; r++)
		c[d->name[r]]++;
	*names = v;
	*counts = c;
	*n = nn;
	return OKRA_OK;
}

static okra_rc embedded_properties(okra_backend *b, okra_arena *a,
                                   const char ***out, size_t *n, okra_err *err)
{
	const okra_data *d = &b->data;
	const char **v = okra__arena_alloc(a, (d->n_props + 1) * sizeof(*v));
	if (!v)
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	for (uint32_t i = 0; i < d->n_props; i++)
		v[i] = d->props[i].name;
	*out = v;
	*n = d->n_props;
	return OKRA_OK;
}

/* Does value occur among n numbers (NaN = not a number)? */
static bool has_number(const double *num, uint64_t n, double x)
{
	for (uint64_t i = 0; i < n; i++)
		if (num[i] == x)
			return true;
	return false;
}

static okra_rc embedded_key_lookup(okra_backend *b, const char *key,
                                   const okra_value *value, size_t cap,
                                   okra_arena *a, okra_key_info *out,
                                   okra_err *err)
{
	okra_data *d = &b->data;
	memset(out, 0, sizeof(*out));
	const okra_dict *dict = NULL;
	const double *num = NULL;
	uint64_t n_num = 0;
	for (uint32_t i = 0; i < d->n_props && !dict; i++)
		if (strcmp(d->props[i].name, key) == 0) {
			out->source = OKRA_KEY_PROPERTY;
			dict = &d->props[i].dict;
			num = d->props[i].num;
			n_num = d->props[i].n;
		}
	for (uint32_t i = 0; i < d->accounts.n_attrs && !dict; i++)
		if (strcmp(d->accounts.attrs[i].name, key) == 0) {
			out->source = OKRA_KEY_ATTRIBUTE;
			dict = &d->accounts.attrs[i].dict;
			num = d->accounts.attrs[i].num;
			n_num = d->accounts.n;
		}
	if (!dict)
		return OKRA_OK;
	if (value) {
		/* As filter.c compares: text against the raw text (a
		 * canonical number's text lives in the numbers), a number
		 * numerically. */
		size_t len = strlen(value->text);
		if (!value->is_number)
			out->found =
			    okra__dict_find((okra_dict *)dict, &d->arena,
			                    value->text, len) != OKRA_NONE;
		if (!out->found &&
		    (value->is_number ||
		     okra__is_canonical_number(value->text, len)))
			out->found = has_number(
			    num, n_num,
			    value->is_number ? value->number
			                     : strtod(value->text, NULL));
	}
	size_t nt = dict->n < cap ? dict->n : cap;
	out->texts = okra__arena_alloc(a, (nt + 1) * sizeof(*out->texts));
	if (!out->texts)
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	for (size_t i = 0; i < nt; i++)
		out->texts[i] = okra__dict_str(dict, (uint32_t)i);
	out->n_texts = nt;
	return OKRA_OK;
}

static int threads(void)
{
	const char *env = getenv("OKRA_THREADS");
	long n = env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

static okra_rc embedded_evaluate(okra_backend *b, okra_result *r, okra_err *err)
{
	return okra__eval(&b->data, r, threads(), err);
}

static okra_rc embedded_experiment(okra_backend *b, const okra_exp_query *q,
                                   okra_arena *a, okra_exp_data *out,
                                   okra_err *err)
{
	return okra__experiment_measure(&b->data, q, a, out, err);
}

static okra_rc embedded_profile(okra_backend *b, okra_profile *out,
                                okra_err *err)
{
	return okra__profile(&b->data, b->ws, out, err);
}

const okra_backend_ops okra__embedded_backend = {
    .name = "embedded",
    .open = embedded_open,
    .close = embedded_close,
    .coverage = embedded_coverage,
    .attributes = embedded_attributes,
    .attr_values = embedded_attr_values,
    .event_names = embedded_event_names,
    .properties = embedded_properties,
    .key_lookup = embedded_key_lookup,
    .evaluate = embedded_evaluate,
    .experiment = embedded_experiment,
    .profile = embedded_profile,
};
