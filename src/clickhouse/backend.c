/*
 * backend.c - the ClickHouse engine's backend operations (plan/backend.h).
 *
 * Opening reads the shape of the four tables from system.columns (which
 * event properties and account attributes exist, and whether each has
 * its number beside it) and the days the data covers.  Evaluating
 * compiles every scanned metric of the plan with sql/ and reads the rows
 * (segment, date, values) back into the result; rows ClickHouse leaves
 * out are zeros, as the embedded engine counts them.  An experiment's
 * units and outcomes come from sql/experiment.c the same way.
 */
#include "clickhouse/ch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * Open: the tables' shape and coverage
 * --------------------------------------------------------------------- */

static const char *const required[4][5] = {
    {"ts", "event", "account_id", "user_id", NULL},
    {"account_id", "created_at", NULL},
    {"user_id", "account_id", "created_at", NULL},
    {"account_id", "month", "mrr", "open", NULL},
};
static const char *const table_names[4] = {"events", "accounts", "users",
                                           "revenue"};

static bool ends_with_num(const char *name)
{
	size_t len = strlen(name);
	return len > 4 && strcmp(name + len - 4, "#num") == 0;
}

static bool is_required(int t, const char *name)
{
	for (int k = 0; required[t][k]; k++)
		if (strcmp(required[t][k], name) == 0)
			return true;
	return false;
}

/* The properties (t = 0), account attributes (t = 1) or user attributes
 * (t = 2) among the columns. */
static okra_rc collect(okra_backend *b, json_t *rows, int t,
                       okra_sql_column **out, size_t *n, okra_err *err)
{
	size_t cap = json_array_size(rows) + 1, k = 0;
	okra_sql_column *cols =
	    okra__arena_alloc(&b->arena, cap * sizeof(*cols));
	if (!cols)
		return okra__nomem(err);
	for (size_t i = 0; i < json_array_size(rows); i++) {
		json_t *row = json_array_get(rows, i);
		const char *table = json_string_value(json_array_get(row, 0));
		const char *name = json_string_value(json_array_get(row, 1));
		if (!table || !name || strcmp(table, table_names[t]) != 0 ||
		    is_required(t, name) || ends_with_num(name))
			continue;
		if (strncmp(name, "okra_", 5) == 0)
			return okra__err_set(
			    err, OKRA_ERR_DATA, NULL, 0, 0,
			    "the ClickHouse table %s has a column \"%s\": "
			    "names beginning with okra_ are kept for okra's "
			    "own "
			    "SQL; rename it",
			    table_names[t], name);
		cols[k].name = okra__arena_strdup(&b->arena, name);
		char twin[600];
		snprintf(twin, sizeof(twin), "%s#num", name);
		for (size_t j = 0; j < json_array_size(rows); j++) {
			json_t *r2 = json_array_get(rows, j);
			const char *t2 =
			    json_string_value(json_array_get(r2, 0));
			const char *n2 =
			    json_string_value(json_array_get(r2, 1));
			if (t2 && n2 && strcmp(t2, table) == 0 &&
			    strcmp(n2, twin) == 0)
				cols[k].has_num = true;
		}
		k++;
	}
	if (b->arena.failed)
		return okra__nomem(err);
	*out = cols;
	*n = k;
	return OKRA_OK;
}

static okra_rc read_schema(okra_backend *b, okra_err *err)
{
	const char *db = okra__ch_database(b->ch);
	okra_buf q = {0};
	json_t *rows = NULL;
	okra_rc rc = OKRA_OK;
	okra__buf_puts(&q, "SELECT table, name, type FROM system.columns "
	                   "WHERE database = ");
	okra__sql_string(&q, db);
	okra__buf_puts(&q, " AND table IN ('events', 'accounts', 'users', "
	                   "'revenue')");
	if (q.failed) {
		rc = okra__nomem(err);
		goto out;
	}
	if ((rc = okra__ch_select(b->ch, q.data, 3, &rows, err)))
		goto out;
	for (int t = 0; t < 4; t++) {
		bool table = false;
		for (int k = 0; required[t][k]; k++) {
			bool found = false;
			for (size_t i = 0; i < json_array_size(rows); i++) {
				json_t *row = json_array_get(rows, i);
				const char *tn =
				    json_string_value(json_array_get(row, 0));
				const char *cn =
				    json_string_value(json_array_get(row, 1));
				if (!tn || strcmp(tn, table_names[t]) != 0)
					continue;
				table = true;
				found |= cn && strcmp(cn, required[t][k]) == 0;
			}
			if (!table) {
				rc = okra__err_set(
				    err, OKRA_ERR_DATA, NULL, 0, 0,
				    "ClickHouse has no table %s.%s; run `okra "
				    "push` to create and load the tables (or "
				    "see docs/clickhouse.md for their schema)",
				    db, table_names[t]);
				goto out;
			}
			if (!found) {
				rc = okra__err_set(
				    err, OKRA_ERR_DATA, NULL, 0, 0,
				    "the ClickHouse table %s.%s has no column "
				    "\"%s\" (docs/clickhouse.md lists the "
				    "columns okra reads); `okra push` "
				    "recreates the tables",
				    db, table_names[t], required[t][k]);
				goto out;
			}
		}
	}
	okra_sql_column *props = NULL, *attrs = NULL;
	if ((rc = collect(b, rows, 0, &props, &b->schema.n_props, err)) ||
	    (rc = collect(b, rows, 1, &attrs, &b->schema.n_attrs, err)) ||
	    (rc = collect(b, rows, 2, &b->user_attrs, &b->n_user_attrs, err)))
		goto out;
	b->schema.props = props;
	b->schema.attrs = attrs;
out:
	json_decref(rows);
	okra__buf_free(&q);
	return rc;
}

static int32_t day_of_micros(double us)
{
	return (int32_t)floor(us / 86400000000.0);
}

static okra_rc read_coverage(okra_backend *b, okra_err *err)
{
	okra_coverage *cv = &b->coverage;
	json_t *rows = NULL;
	okra_buf q = {0};
	okra_rc rc;
	cv->events_first = cv->events_last = cv->revenue_last = -1;
	okra__buf_printf(&q,
	                 "SELECT toFloat64(count()), toFloat64(min(ts)), "
	                 "toFloat64(max(ts)) FROM %s",
	                 b->schema.events);
	if (q.failed)
		return okra__nomem(err);
	if ((rc = okra__ch_select(b->ch, q.data, 3, &rows, err)))
		goto out;
	double n, lo, hi;
	json_t *row = json_array_get(rows, 0);
	if (okra__ch_number(json_array_get(row, 0), &n) && n > 0 &&
	    okra__ch_number(json_array_get(row, 1), &lo) &&
	    okra__ch_number(json_array_get(row, 2), &hi)) {
		cv->events_first = day_of_micros(lo);
		cv->events_last = day_of_micros(hi);
	}
	json_decref(rows);
	rows = NULL;
	q.len = 0;
	okra__buf_printf(&q,
	                 "SELECT toFloat64(count()), toFloat64(max(open)), "
	                 "toFloat64(max((toInt32(toYear(month)) - 1970) * 12 + "
	                 "toInt32(toMonth(month)) - 1)) FROM %s",
	                 b->schema.revenue);
	if (q.failed) {
		rc = okra__nomem(err);
		goto out;
	}
	if ((rc = okra__ch_select(b->ch, q.data, 3, &rows, err)))
		goto out;
	double open, month;
	row = json_array_get(rows, 0);
	if (okra__ch_number(json_array_get(row, 0), &n) && n > 0 &&
	    okra__ch_number(json_array_get(row, 1), &open) &&
	    okra__ch_number(json_array_get(row, 2), &month)) {
		int32_t last = (int32_t)month;
		cv->revenue_last =
		    open > 0 ? INT32_MAX
		             : okra__days_from_civil((last + 1) / 12 + 1970,
		                                     (last + 1) % 12 + 1, 1) -
		                   1;
	}
out:
	json_decref(rows);
	okra__buf_free(&q);
	return rc;
}

static void ch_close(okra_backend *b)
{
	if (!b)
		return;
	okra__ch_close(b->ch);
	okra__arena_free(&b->arena);
	free(b);
}

static okra_rc ch_open(const okra_workspace *ws, const okra_load_options *opt,
                       okra_backend **out, okra_ingest_summary *summary,
                       okra_err *err)
{
	(void)opt;
	okra_backend *b = calloc(1, sizeof(*b));
	if (!b)
		return okra__nomem(err);
	if (summary)
		memset(summary, 0, sizeof(*summary));
	b->ws = ws;
	okra_rc rc = okra__ch_connect(ws, ws->settings.sql_log, &b->ch, err);
	if (rc)
		goto out;
	b->schema.events = okra__ch_table(b->ch, &b->arena, "events");
	b->schema.accounts = okra__ch_table(b->ch, &b->arena, "accounts");
	b->schema.users = okra__ch_table(b->ch, &b->arena, "users");
	b->schema.revenue = okra__ch_table(b->ch, &b->arena, "revenue");
	b->schema.global = okra__ch_cluster(b->ch) != NULL;
	if (b->arena.failed) {
		rc = okra__nomem(err);
		goto out;
	}
	if ((rc = read_schema(b, err)) || (rc = read_coverage(b, err)))
		goto out;
out:
	if (rc) {
		ch_close(b);
		return rc;
	}
	*out = b;
	return OKRA_OK;
}

static void ch_coverage(okra_backend *b, okra_coverage *out)
{
	*out = b->coverage;
}

/* ---------------------------------------------------------------------
 * What the data holds
 * --------------------------------------------------------------------- */

static okra_rc names_of(const okra_sql_column *cols, size_t n, okra_arena *a,
                        const char ***out, size_t *n_out, okra_err *err)
{
	const char **names = okra__arena_alloc(a, (n + 1) * sizeof(*names));
	if (!names)
		return okra__nomem(err);
	for (size_t i = 0; i < n; i++)
		names[i] = cols[i].name;
	*out = names;
	*n_out = n;
	return OKRA_OK;
}

static okra_rc ch_attributes(okra_backend *b, okra_arena *a, const char ***out,
                             size_t *n, okra_err *err)
{
	return names_of(b->schema.attrs, b->schema.n_attrs, a, out, n, err);
}

static okra_rc ch_properties(okra_backend *b, okra_arena *a, const char ***out,
                             size_t *n, okra_err *err)
{
	return names_of(b->schema.props, b->schema.n_props, a, out, n, err);
}

/* The strings of the first column of a query's rows, in a. */
static okra_rc strings(okra_backend *b, const char *sql, okra_arena *a,
                       const char ***out, size_t *n, okra_err *err)
{
	json_t *rows = NULL;
	okra_rc rc = okra__ch_select(b->ch, sql, 1, &rows, err);
	if (rc)
		return rc;
	size_t k = json_array_size(rows);
	const char **v = okra__arena_alloc(a, (k + 1) * sizeof(*v));
	for (size_t i = 0; v && i < k; i++) {
		const char *s = json_string_value(
		    json_array_get(json_array_get(rows, i), 0));
		v[i] = okra__arena_strdup(a, s ? s : "");
	}
	json_decref(rows);
	if (!v || a->failed)
		return okra__nomem(err);
	*out = v;
	*n = k;
	return OKRA_OK;
}

static okra_rc ch_attr_values(okra_backend *b, const char *attr, okra_arena *a,
                              const char ***out, size_t *n, okra_err *err)
{
	okra_buf q = {0};
	if (strcmp(attr, "cohort") == 0) {
		okra__buf_printf(
		    &q,
		    "SELECT DISTINCT substring(toString(toDate(toUInt16(intDiv("
		    "c, 86400000000)))), 1, 7) FROM (SELECT assumeNotNull("
		    "created_at) AS c FROM %s WHERE created_at IS NOT NULL "
		    "UNION ALL SELECT assumeNotNull(created_at) AS c FROM %s "
		    "WHERE created_at IS NOT NULL)",
		    b->schema.accounts, b->schema.users);
	} else {
		bool known = false;
		for (size_t i = 0; i < b->schema.n_attrs; i++)
			known |= strcmp(b->schema.attrs[i].name, attr) == 0;
		if (!known) {
			*out = okra__arena_alloc(a, sizeof(char *));
			*n = 0;
			return *out ? OKRA_OK : okra__nomem(err);
		}
		okra__buf_puts(&q, "SELECT DISTINCT assumeNotNull(");
		okra__sql_ident(&q, attr);
		okra__buf_printf(&q, ") FROM %s WHERE ", b->schema.accounts);
		okra__sql_ident(&q, attr);
		okra__buf_puts(&q, " IS NOT NULL");
	}
	okra_rc rc =
	    q.failed ? okra__nomem(err) : strings(b, q.data, a, out, n, err);
	okra__buf_free(&q);
	return rc;
}

static okra_rc ch_event_names(okra_backend *b, okra_arena *a,
                              const char ***names, uint64_t **counts, size_t *n,
                              okra_err *err)
{
	okra_buf q = {0};
	json_t *rows = NULL;
	okra_rc rc = OKRA_OK;
	okra__buf_printf(&q,
	                 "SELECT event, toFloat64(count()) FROM %s GROUP BY "
	                 "event ORDER BY event",
	                 b->schema.events);
	if (q.failed) {
		rc = okra__nomem(err);
		goto out;
	}
	if ((rc = okra__ch_select(b->ch, q.data, 2, &rows, err)))
		goto out;
	size_t k = json_array_size(rows);
	const char **v = okra__arena_alloc(a, (k + 1) * sizeof(*v));
	uint64_t *c = okra__arena_alloc(a, (k + 1) * sizeof(*c));
	for (size_t i = 0; v && c && i < k; i++) {
		json_t *row = json_array_get(rows, i);
		const char *s = json_string_value(json_array_get(row, 0));
		double x = 0;
		okra__ch_number(json_array_get(row, 1), &x);
		v[i] = okra__arena_strdup(a, s ? s : "");
		c[i] = (uint64_t)x;
	}
	if (!v || !c || a->failed) {
		rc = okra__nomem(err);
		goto out;
	}
	*names = v;
	*counts = c;
	*n = k;
out:
	json_decref(rows);
	okra__buf_free(&q);
	return rc;
}

static okra_rc ch_key_lookup(okra_backend *b, const char *key,
                             const okra_value *value, size_t cap, okra_arena *a,
                             okra_key_info *out, okra_err *err)
{
	const okra_sql_column *col = NULL;
	const char *table = NULL;
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < b->schema.n_props && !col; i++)
		if (strcmp(b->schema.props[i].name, key) == 0) {
			col = &b->schema.props[i];
			table = b->schema.events;
			out->source = OKRA_KEY_PROPERTY;
		}
	for (size_t i = 0; i < b->schema.n_attrs && !col; i++)
		if (strcmp(b->schema.attrs[i].name, key) == 0) {
			col = &b->schema.attrs[i];
			table = b->schema.accounts;
			out->source = OKRA_KEY_ATTRIBUTE;
		}
	if (!col)
		return OKRA_OK;
	okra_buf q = {0};
	okra_rc rc = OKRA_OK;
	json_t *rows = NULL;
	if (value) {
		okra_where w = {
		    .key = key, .values = (okra_value *)value, .n_values = 1};
		okra__buf_printf(&q, "SELECT toFloat64(count()) FROM %s WHERE ",
		                 table);
		okra__sql_match(&q, col, &w);
		if (q.failed) {
			rc = okra__nomem(err);
			goto out;
		}
		if ((rc = okra__ch_select(b->ch, q.data, 1, &rows, err)))
			goto out;
		double n = 0;
		okra__ch_number(json_array_get(json_array_get(rows, 0), 0), &n);
		out->found = n > 0;
		q.len = 0;
	}
	okra__buf_puts(&q, "SELECT DISTINCT assumeNotNull(");
	okra__sql_ident(&q, col->name);
	okra__buf_printf(&q, ") FROM %s WHERE ", table);
	okra__sql_ident(&q, col->name);
	okra__buf_printf(&q, " IS NOT NULL LIMIT %zu", cap);
	if (q.failed) {
		rc = okra__nomem(err);
		goto out;
	}
	rc = strings(b, q.data, a, &out->texts, &out->n_texts, err);
out:
	json_decref(rows);
	okra__buf_free(&q);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---------------------------------------------------------------------
 * Experiments: the units and their outcomes (plan/experiment.h)
 * --------------------------------------------------------------------- */

typedef struct unit_key {
	const char *id;
	size_t unit;
} unit_key;

static int cmp_unit(const void *a, const void *b)
{
	return strcmp(((const unit_key *)a)->id, ((const unit_key *)b)->id);
}

/* The exposed entities of one kind: units (one variant) and counts. */
static okra_rc exposures(okra_backend *b, const okra_exp_query *q, bool users,
                         json_t **rows, okra_err *err)
{
	okra_buf sql = {0};
	okra__sql_exp_exposures(q, users, &b->schema, &sql);
	okra_rc rc = sql.failed
	                 ? okra__nomem(err)
	                 : okra__ch_select(b->ch, sql.data, 4, rows, err);
	okra__buf_free(&sql);
	return rc;
}

static int variant_index(const char **names, size_t n, const char *v)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], v) == 0)
			return (int)i;
	return -1;
}

static okra_rc ch_experiment(okra_backend *b, const okra_exp_query *q,
                             okra_arena *a, okra_exp_data *out, okra_err *err)
{
	enum { MAX = OKRA_MAX_EXPERIMENT_VARIANTS };
	const okra_experiment *x = q->x;
	size_t K = q->n_outcomes ? q->n_outcomes : 1;
	json_t *rows[2] = {NULL, NULL}, *res = NULL;
	unit_key *keys[2] = {NULL, NULL};
	const char *names[MAX + 1];
	size_t n_names = 0;
	okra_buf sql = {0};
	okra_rc rc = OKRA_OK;
	bool kinds[2] = {false, false};
	memset(out, 0, sizeof(*out));
	for (size_t k = 0; k < q->n_outcomes; k++)
		kinds[q->outcomes[k].m->entity == OKRA_ENTITY_USER] = true;
	/* The variants: those the units and the excluded entities show. */
	for (int kind = 0; kind < 2; kind++) {
		if (!kinds[kind])
			continue;
		if ((rc = exposures(b, q, kind == 1, &rows[kind], err)))
			goto out;
		for (size_t i = 0; i < json_array_size(rows[kind]); i++) {
			json_t *vs =
			    json_array_get(json_array_get(rows[kind], i), 2);
			for (size_t j = 0; j < json_array_size(vs); j++) {
				const char *v =
				    json_string_value(json_array_get(vs, j));
				if (!v || variant_index(names, n_names, v) >= 0)
					continue;
				if (n_names == MAX) {
					rc = okra__err_set(
					    err, OKRA_ERR_DATA,
					    x->exposure.pos.file,
					    x->exposure.pos.line,
					    x->exposure.pos.col,
					    "experiment \"%s\": the data shows "
					    "more "
					    "than %d values of \"%s\" "
					    "(OKRA_MAX_EXPERIMENT_VARIANTS)",
					    x->id, MAX, x->variant_property);
					goto out;
				}
				names[n_names] = okra__arena_strdup(a, v);
				if (!names[n_names++]) {
					rc = okra__nomem(err);
					goto out;
				}
			}
		}
	}
	qsort(names, n_names, sizeof(*names), cmp_str);
	out->variants = okra__arena_alloc(a, (n_names + 1) * sizeof(char *));
	if (!out->variants) {
		rc = okra__nomem(err);
		goto out;
	}
	memcpy(out->variants, names, n_names * sizeof(char *));
	out->n_variants = n_names;
	/* The units of each kind, every outcome null until measured. */
	for (int kind = 0; kind < 2; kind++) {
		okra_exp_units *u = &out->units[kind];
		size_t n = json_array_size(rows[kind]), k = 0;
		u->variant = okra__arena_alloc(a, n + 1);
		u->y = okra__arena_alloc(a, (n * K + 1) * sizeof(double));
		u->x = okra__arena_alloc(a, (n * K + 1) * sizeof(double));
		keys[kind] = calloc(n + 1, sizeof(*keys[kind]));
		if (!u->variant || !u->y || !u->x || !keys[kind]) {
			rc = okra__nomem(err);
			goto out;
		}
		for (size_t i = 0; i < n; i++) {
			json_t *row = json_array_get(rows[kind], i);
			json_t *vs = json_array_get(row, 2);
			double nl = 0;
			okra__ch_number(json_array_get(row, 3), &nl);
			if (json_array_size(vs) >= 2) {
				u->excluded_multi++;
				continue;
			}
			if (json_array_size(vs) == 0) {
				u->no_variant += nl > 0;
				continue;
			}
			const char *id =
			    json_string_value(json_array_get(row, 0));
			int v = variant_index(
			    names, n_names,
			    json_string_value(json_array_get(vs, 0)));
			if (!id || v < 0) {
				rc = okra__err_set(
				    err, OKRA_ERR_IO, NULL, 0, 0,
				    "ClickHouse answered an exposure "
				    "okra cannot read");
				goto out;
			}
			u->variant[k] = (uint8_t)v;
			keys[kind][k] = (unit_key){id, k};
			for (size_t j = 0; j < K; j++)
				u->y[k * K + j] = u->x[k * K + j] = NAN;
			k++;
		}
		u->n = k;
		qsort(keys[kind], k, sizeof(*keys[kind]), cmp_unit);
	}
	/* Each outcome for the units of its kind. */
	for (size_t k = 0; k < q->n_outcomes; k++) {
		int kind = q->outcomes[k].m->entity == OKRA_ENTITY_USER;
		okra_exp_units *u = &out->units[kind];
		sql.len = 0;
		okra__sql_exp_outcome(q, k, &b->schema, &sql);
		if (sql.failed) {
			rc = okra__nomem(err);
			goto out;
		}
		if ((rc = okra__ch_select(b->ch, sql.data, 3, &res, err)))
			goto out;
		for (size_t i = 0; i < json_array_size(res); i++) {
			json_t *row = json_array_get(res, i);
			unit_key key = {
			    json_string_value(json_array_get(row, 0)), 0};
			unit_key *hit =
			    key.id ? bsearch(&key, keys[kind], u->n,
			                     sizeof(*keys[kind]), cmp_unit)
			           : NULL;
			double y, xv;
			if (!hit ||
			    !okra__ch_number(json_array_get(row, 1), &y) ||
			    !okra__ch_number(json_array_get(row, 2), &xv)) {
				rc = okra__err_set(
				    err, OKRA_ERR_IO, NULL, 0, 0,
				    "ClickHouse answered an outcome "
				    "of no unit");
				goto out;
			}
			u->y[hit->unit * K + k] = y;
			u->x[hit->unit * K + k] = xv;
		}
		json_decref(res);
		res = NULL;
	}
out:
	json_decref(res);
	okra__buf_free(&sql);
	for (int kind = 0; kind < 2; kind++) {
		free(keys[kind]);
		json_decref(rows[kind]);
	}
	return rc;
}

/* ---------------------------------------------------------------------
 * Evaluate: rows back into the result
 * --------------------------------------------------------------------- */

/* The segment row of a query's seg: 0 for "", else the row of "j:value"
 * ((none) when the value is not among the segments). */
static bool segment_row(const okra_result *r, const char *seg, size_t *row)
{
	if (!seg[0]) {
		*row = 0;
		return true;
	}
	char *end;
	unsigned long j = strtoul(seg, &end, 10);
	if (*end != ':' || j >= r->seg.n_attrs)
		return false;
	const okra_segment_attr *at = &r->seg.attrs[j];
	const char *value = end + 1;
	const char **names = r->seg.segments + at->first;
	const char **hit = at->n > 1 ? bsearch(&value, names, at->n - 1,
	                                       sizeof(*names), cmp_str)
	                             : NULL;
	*row = at->first + (hit ? (size_t)(hit - names) : at->n - 1) + 1;
	return true;
}

/* Per (row, date) accumulators of one plan item. */
typedef struct acc {
	size_t n_cols;
	double *cols; /* [(S + 1) * nd][n_cols] */
	double *den;  /* per: active */
	bool *seen;
} acc;

static okra_rc read_rows(const okra_result *r, json_t *rows, size_t n_cols,
                         double *into, bool *seen, okra_err *err)
{
	size_t nd = r->plan.n_dates;
	for (size_t k = 0; k < json_array_size(rows); k++) {
		json_t *row = json_array_get(rows, k);
		const char *seg = json_string_value(json_array_get(row, 0));
		double i;
		size_t s;
		if (!seg || !okra__ch_number(json_array_get(row, 1), &i) ||
		    i < 0 || i >= (double)nd || !segment_row(r, seg, &s))
			return okra__err_set(err, OKRA_ERR_IO, NULL, 0, 0,
			                     "ClickHouse answered a row okra "
			                     "did not ask for");
		size_t at = s * nd + (size_t)i;
		for (size_t c = 0; c < n_cols; c++) {
			double x;
			if (!okra__ch_number(json_array_get(row, 2 + c), &x))
				return okra__err_set(
				    err, OKRA_ERR_IO, NULL, 0, 0,
				    "ClickHouse answered a value that is not "
				    "a number");
			into[at * n_cols + c] = x;
		}
		if (seen)
			seen[at] = true;
	}
	return OKRA_OK;
}

static double share(double num, double den)
{
	return den > 0 ? num / den : NAN;
}

static double revenue_value(const okra_metric *m, const double *a)
{
	switch (m->revenue_measure) {
	case OKRA_REV_MRR:
		return a[OKRA_SQL_REV_MRR];
	case OKRA_REV_ARR:
		return 12 * a[OKRA_SQL_REV_MRR];
	case OKRA_REV_PAYING_ACCOUNTS:
		return a[OKRA_SQL_REV_PAYING];
	case OKRA_REV_ARPA:
		return share(a[OKRA_SQL_REV_MRR], a[OKRA_SQL_REV_PAYING]);
	case OKRA_REV_NEW:
		return a[OKRA_SQL_REV_NEW];
	case OKRA_REV_REACTIVATION:
		return a[OKRA_SQL_REV_REACTIVATION];
	case OKRA_REV_EXPANSION:
		return a[OKRA_SQL_REV_EXPANSION];
	case OKRA_REV_CONTRACTION:
		return a[OKRA_SQL_REV_CONTRACTION];
	case OKRA_REV_CHURNED:
		return a[OKRA_SQL_REV_CHURNED];
	case OKRA_REV_NRR:
		return share(a[OKRA_SQL_REV_NOW], a[OKRA_SQL_REV_BASE]);
	case OKRA_REV_GRR:
		return share(a[OKRA_SQL_REV_KEPT], a[OKRA_SQL_REV_BASE]);
	case OKRA_REV_LOGO_CHURN:
		return share(a[OKRA_SQL_REV_LOST_LOGOS],
		             a[OKRA_SQL_REV_PREV_PAYING]);
	case OKRA_REV_REVENUE_CHURN:
		return share(a[OKRA_SQL_REV_CHURNED] +
		                 a[OKRA_SQL_REV_CONTRACTION],
		             a[OKRA_SQL_REV_PREV_MRR]);
	default:
		return NAN;
	}
}

/* The values of item k from its queries' accumulators, as the embedded
 * engine reads them off its arrays. */
static void fill(okra_result *r, size_t k, const double *cols,
                 const double *den_active, const bool *seen)
{
	const okra_plan_item *it = &r->plan.items[k];
	const okra_metric *m = it->m;
	okra_values *mv = &r->values[k];
	size_t nd = r->plan.n_dates, nv = (r->seg.n_segments + 1) * nd;
	okra_sql_kind kind = okra__sql_kind(it, 0);
	size_t nc = okra__sql_n_columns(it, kind);
	for (size_t at = 0; at < nv; at++) {
		const double *a = cols + at * nc;
		switch (kind) {
		case OKRA_SQL_EVENTS: {
			double den = NAN;
			if (m->per_active)
				den = den_active[at];
			else if (m->type == OKRA_METRIC_AVG)
				den = a[1];
			mv->v[at] = isnan(den) ? a[0]
			            : den > 0  ? a[0] / den
			                       : NAN;
			if (mv->den) {
				mv->num[at] = a[0];
				mv->den[at] = den;
			}
			break;
		}
		case OKRA_SQL_ACTIVE:
			mv->v[at] = a[0];
			break;
		case OKRA_SQL_SHARE:
			mv->v[at] = share(a[0], a[1]);
			if (mv->den) {
				mv->num[at] = a[0];
				mv->den[at] = a[1];
			}
			break;
		case OKRA_SQL_QUANTILE:
			mv->v[at] = seen[at] ? a[0] : NAN;
			if (mv->den) {
				mv->num[at] = a[1];
				mv->den[at] = a[2];
			}
			break;
		case OKRA_SQL_REVENUE:
			mv->v[at] = revenue_value(m, a);
			if (mv->den &&
			    m->revenue_measure == OKRA_REV_LOGO_CHURN) {
				mv->num[at] = a[OKRA_SQL_REV_LOST_LOGOS];
				mv->den[at] = a[OKRA_SQL_REV_PREV_PAYING];
			} else if (mv->den) { /* ARPA */
				mv->num[at] = a[OKRA_SQL_REV_MRR];
				mv->den[at] = a[OKRA_SQL_REV_PAYING];
			}
			break;
		default:
			break;
		}
	}
	if (kind == OKRA_SQL_SHARE)
		for (size_t s = 0; s < mv->n_steps; s++)
			for (size_t i = 0; i < nd; i++)
				mv->steps[s * nd + i] = share(
				    cols[i * nc + 2 + s], cols[i * nc + 1]);
	mv->evaluated = true;
}

static okra_rc evaluate_item(okra_backend *b, okra_result *r, size_t k,
                             okra_err *err)
{
	const okra_plan_item *it = &r->plan.items[k];
	size_t nq = okra__sql_n_queries(it);
	size_t nv = (r->seg.n_segments + 1) * r->plan.n_dates;
	size_t nc = okra__sql_n_columns(it, okra__sql_kind(it, 0));
	double *cols = calloc(nv * nc + 1, sizeof(double));
	double *den = calloc(nv + 1, sizeof(double));
	bool *seen = calloc(nv + 1, sizeof(bool));
	okra_buf q = {0};
	json_t *rows = NULL;
	okra_rc rc = OKRA_OK;
	if (!cols || !den || !seen) {
		rc = okra__nomem(err);
		goto out;
	}
	for (size_t j = 0; j < nq; j++) {
		okra_sql_kind kind = okra__sql_kind(it, j);
		size_t n = okra__sql_n_columns(it, kind);
		q.len = 0;
		okra__sql_item(r, k, j, &b->schema, &q);
		if (q.failed) {
			rc = okra__nomem(err);
			goto out;
		}
		if ((rc = okra__ch_select(b->ch, q.data, 2 + n, &rows, err)) ||
		    (rc = read_rows(r, rows, n, j ? den : cols, j ? NULL : seen,
		                    err)))
			goto out;
		json_decref(rows);
		rows = NULL;
	}
	fill(r, k, cols, den, seen);
out:
	json_decref(rows);
	okra__buf_free(&q);
	free(cols);
	free(den);
	free(seen);
	return rc;
}

/* Does plan item k get the four outcome counts? */
static bool wants_outcome(const okra_result *r, size_t k)
{
	const okra_plan_item *it = &r->plan.items[k];
	return r->plan.outcome_of && it->outcomes && r->values[k].outcome &&
	       okra__sql_has_outcome(it->m);
}

/* The outcomes must be counted in a metric of the plan that has them, at
 * a day of the plan's range (as the embedded engine requires). */
static okra_rc check_outcomes(const okra_result *r, okra_err *err)
{
	const okra_plan *p = &r->plan;
	if (!p->outcome_of)
		return OKRA_OK;
	if (p->item_of[p->outcome_of - p->ws->metrics] < 0 ||
	    !okra__sql_has_outcome(p->outcome_of))
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "outcomes are counted in a metric of the "
		                     "plan that counts entities (active, "
		                     "threshold, conversion or retention); "
		                     "\"%s\" is not one",
		                     p->outcome_of->id);
	if (!p->n_dates || p->outcome_day < p->dates[0] ||
	    p->outcome_day > p->dates[p->n_dates - 1])
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "the outcome day is not an as-of day of "
		                     "the plan");
	return OKRA_OK;
}

/* The four counts behind the lift of item k, one query. */
static okra_rc evaluate_outcome(okra_backend *b, okra_result *r, size_t k,
                                okra_err *err)
{
	okra_buf q = {0};
	json_t *rows = NULL;
	okra_rc rc = OKRA_OK;
	okra__sql_outcome(r, k, &b->schema, &q);
	if (q.failed) {
		rc = okra__nomem(err);
		goto out;
	}
	if ((rc = okra__ch_select(b->ch, q.data, 4, &rows, err)))
		goto out;
	json_t *row = json_array_get(rows, 0);
	double c[4];
	for (size_t j = 0; j < 4; j++)
		if (!okra__ch_number(json_array_get(row, j), &c[j]) ||
		    isnan(c[j])) {
			rc = okra__err_set(err, OKRA_ERR_IO, NULL, 0, 0,
			                   "ClickHouse answered outcome counts "
			                   "okra cannot read");
			goto out;
		}
	*r->values[k].outcome = (okra_outcome){.met = c[0],
	                                       .met_active = c[1],
	                                       .not_met = c[2],
	                                       .not_met_active = c[3]};
out:
	json_decref(rows);
	okra__buf_free(&q);
	return rc;
}

static okra_rc ch_evaluate(okra_backend *b, okra_result *r, okra_err *err)
{
	okra_rc rc = check_outcomes(r, err);
	for (size_t k = 0; !rc && k < r->plan.n_items; k++) {
		if (!okra__sql_n_queries(&r->plan.items[k]))
			continue;
		if ((rc = evaluate_item(b, r, k, err)))
			break;
		if (wants_outcome(r, k))
			rc = evaluate_outcome(b, r, k, err);
	}
	return rc;
}

okra_rc okra__ch_explain(okra_backend *b, okra_result *r, FILE *out,
                         okra_err *err)
{
	okra_buf q = {0};
	for (size_t k = 0; k < r->plan.n_items; k++) {
		const okra_plan_item *it = &r->plan.items[k];
		for (size_t j = 0; j < okra__sql_n_queries(it); j++) {
			q.len = 0;
			okra__sql_item(r, k, j, &b->schema, &q);
			if (q.failed) {
				okra__buf_free(&q);
				return okra__nomem(err);
			}
			fprintf(
			    out, "-- %s%s\n%s;\n",
			    it->metric >= 0 ? it->m->id : "(bridge) ",
			    it->metric >= 0
			        ? (j ? " (per: active)" : "")
			        : okra__revenue_measures[it->m->revenue_measure]
			              .name,
			    q.data);
		}
		if (!wants_outcome(r, k))
			continue;
		q.len = 0;
		okra__sql_outcome(r, k, &b->schema, &q);
		if (q.failed) {
			okra__buf_free(&q);
			return okra__nomem(err);
		}
		fprintf(out, "-- %s (outcomes for the lift, in %s)\n%s;\n",
		        it->m->id, r->plan.outcome_of->id, q.data);
	}
	okra__buf_free(&q);
	return OKRA_OK;
}

const okra_backend_ops okra__clickhouse_backend = {
    .name = "clickhouse",
    .open = ch_open,
    .close = ch_close,
    .coverage = ch_coverage,
    .attributes = ch_attributes,
    .attr_values = ch_attr_values,
    .event_names = ch_event_names,
    .properties = ch_properties,
    .key_lookup = ch_key_lookup,
    .evaluate = ch_evaluate,
    .experiment = ch_experiment,
    .profile = okra__ch_profile,
};
