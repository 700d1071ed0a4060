/*
 * profile.c - the ClickHouse engine's profile of its tables (okra data,
 * plan/profile.h): the same okra_profile the embedded engine fills, by
 * SQL over the four tables.
 *
 * The types follow the embedded engine's storage: a property value okra
 * push wrote is stored as a number only when its text is a canonical
 * decimal (at most 15 significant digits, no leading or trailing zero),
 * so the same rule on the text tells those apart here; every value with
 * a number counts as a number for the type and the range.  Ties for the
 * commonest value go to the text first in byte order (a number only:
 * the smallest), as in the embedded engine.  The files a table was
 * loaded from are not known to ClickHouse: the profile lists none.
 */
#include "clickhouse/ch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DAY_US 86400000000.0

/* The month number (months since 1970-01) of the revenue table's month. */
#define MONTH_INDEX                                                            \
	"(toInt32(toYear(month)) - 1970) * 12 + toInt32(toMonth(month)) - 1"

/* Is text t a canonical decimal (okra__is_canonical_number)? */
#define CANONICAL                                                              \
	"(match(t, '^-?(0|[1-9][0-9]*)([.][0-9]*[1-9])?$') AND t != '-0' AND " \
	"length(replaceAll(replaceRegexpOne(t, '^-?0?', ''), '.', '')) <= 15)"

static okra_rc bad_answer(okra_err *err)
{
	return okra__err_set(err, OKRA_ERR_IO, NULL, 0, 0,
	                     "ClickHouse answered a profile okra cannot read");
}

static int32_t day_of(double us)
{
	return isnan(us) ? -1 : (int32_t)floor(us / DAY_US);
}

/* Runs q and reads its one row of n numbers into v (NaN for null). */
static okra_rc one_row(okra_backend *b, okra_buf *q, size_t n, double *v,
                       okra_err *err)
{
	json_t *rows = NULL;
	okra_rc rc = OKRA_OK;
	if (q->failed) {
		rc = okra__nomem(err);
		goto out;
	}
	if ((rc = okra__ch_select(b->ch, q->data, n, &rows, err)))
		goto out;
	json_t *row = json_array_get(rows, 0);
	for (size_t j = 0; j < n; j++)
		if (!okra__ch_number(json_array_get(row, j), &v[j])) {
			rc = bad_answer(err);
			goto out;
		}
out:
	json_decref(rows);
	q->len = 0;
	if (q->data)
		q->data[0] = '\0';
	return rc;
}

/* ---------------------------------------------------------------------
 * Values: a property or an attribute
 * --------------------------------------------------------------------- */

/* "(SELECT assumeNotNull(col) AS t, <its number> AS n FROM table WHERE
 * col IS NOT NULL)" */
static void values_of(okra_buf *q, const okra_sql_column *c, const char *table)
{
	okra__buf_puts(q, "(SELECT assumeNotNull(");
	okra__sql_ident(q, c->name);
	okra__buf_puts(q, ") AS t, ");
	okra__sql_number(q, c, NULL);
	okra__buf_printf(q, " AS n FROM %s WHERE ", table);
	okra__sql_ident(q, c->name);
	okra__buf_puts(q, " IS NOT NULL)");
}

/* The kind, fill, distinct values, range and commonest value of column
 * c.  split: values with a canonical text are numbers only (properties);
 * else every value is a text (attributes). */
static okra_rc key_of(okra_backend *b, okra_profile *p,
                      const okra_sql_column *c, const char *table, bool split,
                      okra_profile_key *k, okra_err *err)
{
	okra_buf q = {0};
	json_t *rows = NULL;
	double v[5];
	okra_rc rc;
	k->name = okra__arena_strdup(&p->arena, c->name);
	okra__buf_puts(&q, "SELECT toFloat64(count()), toFloat64(countIf(n IS "
	                   "NOT NULL)), toFloat64(min(n)), toFloat64(max(n)), "
	                   "toFloat64(uniqExact(t)) FROM ");
	values_of(&q, c, table);
	if ((rc = one_row(b, &q, 5, v, err)))
		goto out;
	k->filled = (uint64_t)v[0];
	k->distinct = (uint64_t)v[4];
	k->kind = v[0] == 0      ? OKRA_VALUES_NONE
	          : v[1] == v[0] ? OKRA_VALUES_NUMBER
	          : v[1] == 0    ? OKRA_VALUES_TEXT
	                         : OKRA_VALUES_MIXED;
	k->min = v[1] > 0 ? v[2] : NAN;
	k->max = v[1] > 0 ? v[3] : NAN;
	/* The commonest text (k = 0) and number only (k = 1). */
	okra__buf_printf(&q,
	                 "SELECT k, t, n, toFloat64(c) FROM (SELECT t, any(n) "
	                 "AS n, toUInt8(%s) AS k, count() AS c FROM ",
	                 split ? CANONICAL : "0");
	values_of(&q, c, table);
	okra__buf_puts(&q, " GROUP BY t) ORDER BY k, c DESC, if(k = 1, "
	                   "ifNull(n, 0), 0), t LIMIT 1 BY k");
	if (q.failed) {
		rc = okra__nomem(err);
		goto out;
	}
	if ((rc = okra__ch_select(b->ch, q.data, 4, &rows, err)))
		goto out;
	double top_count[2] = {0, 0}, top_num = NAN;
	const char *top_text = NULL;
	for (size_t i = 0; i < json_array_size(rows); i++) {
		json_t *row = json_array_get(rows, i);
		double kind, count, n;
		const char *t = json_string_value(json_array_get(row, 1));
		if (!okra__ch_number(json_array_get(row, 0), &kind) || !t ||
		    !okra__ch_number(json_array_get(row, 2), &n) ||
		    !okra__ch_number(json_array_get(row, 3), &count)) {
			rc = bad_answer(err);
			goto out;
		}
		top_count[kind > 0] = count;
		if (kind > 0)
			top_num = n;
		else
			top_text = t;
	}
	k->top = NULL;
	k->top_count = 0;
	/* a text counted as often as the commonest number wins */
	if (top_text && top_count[0] >= top_count[1]) {
		k->top = okra__arena_strdup(&p->arena, top_text);
		k->top_count = (uint64_t)top_count[0];
	} else if (top_count[1] > 0) {
		k->top = okra__arena_printf(&p->arena, "%.15g", top_num);
		k->top_count = (uint64_t)top_count[1];
	}
out:
	json_decref(rows);
	okra__buf_free(&q);
	return rc == OKRA_OK && p->arena.failed ? okra__nomem(err) : rc;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(((const okra_profile_key *)a)->name,
	              ((const okra_profile_key *)b)->name);
}

static okra_rc keys(okra_backend *b, okra_profile *p, const okra_sql_column *c,
                    size_t n, const char *table, bool split,
                    okra_profile_key **out, size_t *n_out, okra_err *err)
{
	*out = okra__arena_alloc(&p->arena, (n + 1) * sizeof(**out));
	if (!*out)
		return okra__nomem(err);
	for (size_t i = 0; i < n; i++) {
		okra_rc rc = key_of(b, p, &c[i], table, split, &(*out)[i], err);
		if (rc)
			return rc;
	}
	qsort(*out, n, sizeof(**out), cmp_key);
	*n_out = n;
	return OKRA_OK;
}

/* ---------------------------------------------------------------------
 * Tables
 * --------------------------------------------------------------------- */

static int cmp_event(const void *a, const void *b)
{
	const okra_profile_event *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

static okra_rc events(okra_backend *b, okra_profile *p, okra_err *err)
{
	const char *ev = b->schema.events;
	okra_buf q = {0};
	json_t *rows = NULL;
	double v[5];
	okra_rc rc;
	okra__buf_printf(&q,
	                 "SELECT toFloat64(count()), toFloat64(countIf("
	                 "account_id = '')), toFloat64(countIf(user_id = '')), "
	                 "toFloat64(min(ts)), toFloat64(max(ts)) FROM %s",
	                 ev);
	if ((rc = one_row(b, &q, 5, v, err)))
		goto out;
	p->n_events = (uint64_t)v[0];
	p->no_account = (uint64_t)v[1];
	p->no_user = (uint64_t)v[2];
	p->first = p->n_events ? day_of(v[3]) : -1;
	p->last = p->n_events ? day_of(v[4]) : -1;
	okra__buf_printf(
	    &q,
	    "SELECT event, toFloat64(count()), toFloat64(min(ts)), "
	    "toFloat64(max(ts)) FROM %s GROUP BY event",
	    ev);
	if (q.failed) {
		rc = okra__nomem(err);
		goto out;
	}
	if ((rc = okra__ch_select(b->ch, q.data, 4, &rows, err)))
		goto out;
	size_t n = json_array_size(rows);
	p->names = okra__arena_alloc(&p->arena, (n + 1) * sizeof(*p->names));
	if (!p->names) {
		rc = okra__nomem(err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *row = json_array_get(rows, i);
		const char *name = json_string_value(json_array_get(row, 0));
		double count, lo, hi;
		if (!name || !okra__ch_number(json_array_get(row, 1), &count) ||
		    !okra__ch_number(json_array_get(row, 2), &lo) ||
		    !okra__ch_number(json_array_get(row, 3), &hi)) {
			rc = bad_answer(err);
			goto out;
		}
		p->names[i] = (okra_profile_event){
		    .name = okra__arena_strdup(&p->arena, name),
		    .count = (uint64_t)count,
		    .first = day_of(lo),
		    .last = day_of(hi)};
	}
	p->n_names = n;
	qsort(p->names, n, sizeof(*p->names), cmp_event);
	rc = keys(b, p, b->schema.props, b->schema.n_props, ev, true, &p->props,
	          &p->n_props, err);
out:
	json_decref(rows);
	okra__buf_free(&q);
	return rc == OKRA_OK && p->arena.failed ? okra__nomem(err) : rc;
}

/* Accounts (users = false) or users: the table's rows and days, the ids
 * the events name, those the table lacks, the attributes. */
static okra_rc entities(okra_backend *b, okra_profile *p, bool users,
                        okra_profile_entities *out, okra_err *err)
{
	const okra_workspace_settings *s = &b->ws->settings;
	const char *table = users ? b->schema.users : b->schema.accounts;
	const char *col = users ? "user_id" : "account_id";
	const char *not_in = b->schema.global ? "GLOBAL NOT IN" : "NOT IN";
	okra_buf q = {0};
	json_t *rows = NULL;
	double v[3];
	okra_rc rc;
	out->has_table = users ? s->users.is_set : s->accounts.is_set;
	okra__buf_printf(
	    &q,
	    "SELECT toFloat64(count()), toFloat64(min(created_at)), "
	    "toFloat64(max(created_at)) FROM %s",
	    table);
	if ((rc = one_row(b, &q, 3, v, err)))
		goto out;
	out->rows = (uint64_t)v[0];
	out->first = day_of(v[1]);
	out->last = day_of(v[2]);
	okra__buf_printf(&q,
	                 "SELECT toFloat64(uniqExact(%s)) FROM %s WHERE %s "
	                 "!= ''",
	                 col, b->schema.events, col);
	if ((rc = one_row(b, &q, 1, v, err)))
		goto out;
	out->in_events = (uint64_t)v[0];
	out->examples = okra__arena_alloc(
	    &p->arena, OKRA_PROFILE_EXAMPLES * sizeof(*out->examples));
	if (!out->examples) {
		rc = okra__nomem(err);
		goto out;
	}
	if (out->has_table) {
		/* the distinct ids of the events that the table lacks */
		okra_buf missing = {0};
		okra__buf_printf(
		    &missing,
		    "SELECT DISTINCT %s AS okra_id FROM %s WHERE %s "
		    "!= '' AND %s %s (SELECT %s FROM %s)",
		    col, b->schema.events, col, col, not_in, col, table);
		okra__buf_printf(&q, "SELECT toFloat64(count()) FROM (%s)",
		                 missing.data ? missing.data : "");
		q.failed |= missing.failed;
		if ((rc = one_row(b, &q, 1, v, err))) {
			okra__buf_free(&missing);
			goto out;
		}
		out->missing = (uint64_t)v[0];
		okra__buf_printf(&q, "%s ORDER BY okra_id LIMIT %d",
		                 missing.data ? missing.data : "",
		                 OKRA_PROFILE_EXAMPLES);
		q.failed |= missing.failed;
		okra__buf_free(&missing);
		if (q.failed) {
			rc = okra__nomem(err);
			goto out;
		}
		if ((rc = okra__ch_select(b->ch, q.data, 1, &rows, err)))
			goto out;
		for (size_t i = 0;
		     i < json_array_size(rows) && i < OKRA_PROFILE_EXAMPLES;
		     i++) {
			const char *id = json_string_value(
			    json_array_get(json_array_get(rows, i), 0));
			if (!id) {
				rc = bad_answer(err);
				goto out;
			}
			out->examples[out->n_examples++] =
			    okra__arena_strdup(&p->arena, id);
		}
	}
	rc = users ? keys(b, p, b->user_attrs, b->n_user_attrs, table, false,
	                  &out->attrs, &out->n_attrs, err)
	           : keys(b, p, b->schema.attrs, b->schema.n_attrs, table,
	                  false, &out->attrs, &out->n_attrs, err);
out:
	json_decref(rows);
	okra__buf_free(&q);
	return rc == OKRA_OK && p->arena.failed ? okra__nomem(err) : rc;
}

static okra_rc revenue(okra_backend *b, okra_profile *p, okra_err *err)
{
	okra_buf q = {0};
	double v[5];
	okra_rc rc;
	p->has_revenue = b->ws->settings.revenue.is_set;
	p->revenue_first = p->revenue_last = -1;
	okra__buf_printf(&q,
	                 "SELECT toFloat64(count()), toFloat64(min(mi)), "
	                 "toFloat64(max(mi)), toFloat64(max(open)), "
	                 "toFloat64(uniqExact(account_id)) FROM (SELECT "
	                 "account_id, " MONTH_INDEX " AS mi, open FROM %s)",
	                 b->schema.revenue);
	if ((rc = one_row(b, &q, 5, v, err)))
		goto out;
	p->revenue_rows = (uint64_t)v[0];
	p->revenue_accounts = (uint64_t)v[4];
	p->revenue_last_mrr = 0;
	if (!p->revenue_rows)
		goto out;
	int32_t last = (int32_t)v[2];
	p->revenue_first = (int32_t)v[1];
	p->revenue_last = v[3] > 0 ? INT32_MAX : last;
	/* the MRR of the last month with rows (a running period counts in
	 * every month from its own on) */
	okra__buf_printf(&q,
	                 "SELECT sum(toFloat64(mrr)) FROM (SELECT "
	                 "mrr, open, " MONTH_INDEX " AS mi FROM %s) WHERE mi = "
	                 "%ld OR (open = 1 AND mi <= %ld)",
	                 b->schema.revenue, (long)last, (long)last);
	if ((rc = one_row(b, &q, 1, &p->revenue_last_mrr, err)))
		goto out;
out:
	okra__buf_free(&q);
	return rc;
}

okra_rc okra__ch_profile(okra_backend *b, okra_profile *out, okra_err *err)
{
	out->backend = "clickhouse";
	out->files = okra__arena_alloc(&out->arena, sizeof(*out->files));
	out->n_files = 0;
	if (!out->files)
		return okra__nomem(err);
	okra_rc rc = events(b, out, err);
	if (rc == OKRA_OK)
		rc = entities(b, out, false, &out->accounts, err);
	if (rc == OKRA_OK)
		rc = entities(b, out, true, &out->users, err);
	if (rc == OKRA_OK)
		rc = revenue(b, out, err);
	return rc;
}
