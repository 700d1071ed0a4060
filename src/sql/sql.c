/*
 * sql.c - the plan compiled to ClickHouse SQL, one metric at a time.
 *
 * Each metric of the plan becomes one query (two for `per: active`) that
 * answers every as-of date and segment at once: events are first reduced
 * per (entity, day), each such row is repeated for the as-of dates whose
 * window holds its day, and per-entity outcomes are counted per (segment,
 * date).  Cohort metrics join the entities' anchors with their events.
 * The SQL computes what the metric semantics say, not what a ClickHouse
 * function of a similar name does (windowFunnel, quantile): funnels are
 * the greedy in-order match, quantiles interpolate with the +inf rule.
 * Pure text building; the backend (clickhouse/) runs it.
 */
#include "sql/sql.h"

#include <math.h>
#include <string.h>

#define DAY_US "86400000000"

/* ---------------------------------------------------------------------
 * Literals
 * --------------------------------------------------------------------- */

void okra__sql_string(okra_buf *out, const char *s)
{
	okra__buf_putc(out, '\'');
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			okra__buf_putc(out, '\\');
		okra__buf_putc(out, *s);
	}
	okra__buf_putc(out, '\'');
}

void okra__sql_ident(okra_buf *out, const char *s)
{
	okra__buf_putc(out, '`');
	for (; *s; s++) {
		if (*s == '`' || *s == '\\')
			okra__buf_putc(out, '\\');
		okra__buf_putc(out, *s);
	}
	okra__buf_putc(out, '`');
}

/* The twin column holding a column's number. */
static void num_ident(okra_buf *out, const char *name)
{
	okra_buf b = {0};
	okra__buf_printf(&b, "%s#num", name);
	okra__sql_ident(out, b.data ? b.data : "");
	out->failed |= b.failed;
	okra__buf_free(&b);
}

static void number(okra_buf *out, double x)
{
	if (isinf(x))
		okra__buf_puts(out, x > 0 ? "inf" : "-inf");
	else
		okra__buf_printf(out, "toFloat64(%.17g)", x);
}

/* The number of a column: its twin, else parsed from its text. */
void okra__sql_number(okra_buf *out, const okra_sql_column *c,
                      const char *table)
{
	if (c->has_num) {
		if (table)
			okra__buf_printf(out, "%s.", table);
		num_ident(out, c->name);
		return;
	}
	okra__buf_puts(out, "toFloat64OrNull(");
	if (table)
		okra__buf_printf(out, "%s.", table);
	okra__sql_ident(out, c->name);
	okra__buf_putc(out, ')');
}

const okra_sql_column *okra__sql_column(const okra_sql_column *cols, size_t n,
                                        const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(cols[i].name, name) == 0)
			return &cols[i];
	return NULL;
}

/* ---------------------------------------------------------------------
 * Filters, pins, segments
 * --------------------------------------------------------------------- */

/* A column equal to one of w's values: a YAML string compares with the
 * raw text, a number numerically.  Absent (NULL) matches nothing. */
void okra__sql_match(okra_buf *out, const okra_sql_column *c,
                     const okra_where *w)
{
	okra__buf_putc(out, '(');
	for (size_t k = 0; k < w->n_values; k++) {
		const okra_value *v = &w->values[k];
		if (k)
			okra__buf_puts(out, " OR ");
		okra__buf_puts(out, "ifNull(");
		if (v->is_number) {
			okra__sql_number(out, c, NULL);
			okra__buf_puts(out, " = ");
			number(out, v->number);
		} else {
			okra__sql_ident(out, c->name);
			okra__buf_puts(out, " = ");
			okra__sql_string(out, v->text);
		}
		okra__buf_puts(out, ", 0)");
	}
	if (!w->n_values)
		okra__buf_putc(out, '0');
	okra__buf_putc(out, ')');
}

static const char *in_op(const okra_sql_schema *s)
{
	return s->global ? "GLOBAL IN" : "IN";
}

/* An event filter as a condition on an events row.  A key that names an
 * event property means the property; else an account attribute of the
 * row's account; else nothing matches. */
void okra__sql_filter(okra_buf *out, const okra_sql_schema *s,
                      const okra_filter *f)
{
	if (!f->is_set) {
		okra__buf_putc(out, '1');
		return;
	}
	okra__buf_putc(out, '(');
	if (f->n_events) {
		okra__buf_puts(out, "event IN (");
		for (size_t i = 0; i < f->n_events; i++) {
			if (i)
				okra__buf_puts(out, ", ");
			okra__sql_string(out, f->events[i]);
		}
		okra__buf_putc(out, ')');
	} else {
		okra__buf_putc(out, '1');
	}
	for (size_t i = 0; i < f->n_where; i++) {
		const okra_where *w = &f->where[i];
		const okra_sql_column *c;
		okra__buf_puts(out, " AND ");
		if ((c = okra__sql_column(s->props, s->n_props, w->key))) {
			okra__sql_match(out, c, w);
		} else if ((c = okra__sql_column(s->attrs, s->n_attrs,
		                                 w->key))) {
			okra__buf_printf(out,
			                 "account_id %s (SELECT account_id "
			                 "FROM %s WHERE ",
			                 in_op(s), s->accounts);
			okra__sql_match(out, c, w);
			okra__buf_putc(out, ')');
		} else {
			okra__buf_putc(out, '0');
		}
	}
	okra__buf_putc(out, ')');
}

/* The signup month (YYYY-MM) of a created_at in microseconds. */
static void month_of(okra_buf *out, const char *created)
{
	okra__buf_printf(out,
	                 "if(isNull(%s), '(none)', substring(toString(toDate("
	                 "toUInt16(intDiv(assumeNotNull(%s), " DAY_US
	                 ")))), 1, 7))",
	                 created, created);
}

/* The pin's cohort clauses on created_at (the entity's own signup
 * month); a number never equals a month. */
static void pin_cohort(okra_buf *out, const okra_plan *p)
{
	for (size_t i = 0; i < p->n_pin; i++) {
		const okra_where *w = &p->pin[i];
		if (strcmp(w->key, "cohort") != 0)
			continue;
		okra__buf_puts(out, " AND ");
		month_of(out, "created_at");
		okra__buf_puts(out, " IN ('(none)'");
		for (size_t k = 0; k < w->n_values; k++)
			if (!w->values[k].is_number) {
				okra__buf_puts(out, ", ");
				okra__sql_string(out, w->values[k].text);
			}
		okra__buf_puts(out, ") AND created_at IS NOT NULL");
	}
}

static bool pin_has_attrs(const okra_plan *p)
{
	for (size_t i = 0; i < p->n_pin; i++)
		if (strcmp(p->pin[i].key, "cohort") != 0)
			return true;
	return false;
}

/* The pin's attribute clauses on the accounts table. */
static void pin_attrs(okra_buf *out, const okra_sql_schema *s,
                      const okra_plan *p)
{
	for (size_t i = 0; i < p->n_pin; i++) {
		const okra_where *w = &p->pin[i];
		if (strcmp(w->key, "cohort") == 0)
			continue;
		const okra_sql_column *c =
		    okra__sql_column(s->attrs, s->n_attrs, w->key);
		okra__buf_puts(out, " AND ");
		if (c)
			okra__sql_match(out, c, w);
		else
			okra__buf_putc(out, '0');
	}
}

/* " AND <col> IN (the entities the pin passes)"; nothing without a pin.
 * Accounts pass on their own attributes and signup month; users on
 * their own signup month and their account's attributes. */
static void pin(okra_buf *out, const okra_sql_schema *s, const okra_plan *p,
                bool users, const char *col)
{
	if (!p->n_pin)
		return;
	okra__buf_printf(out, " AND %s %s (", col, in_op(s));
	if (!users) {
		okra__buf_printf(out, "SELECT account_id FROM %s WHERE 1",
		                 s->accounts);
		pin_cohort(out, p);
		pin_attrs(out, s, p);
	} else {
		okra__buf_printf(out, "SELECT user_id FROM %s WHERE 1",
		                 s->users);
		pin_cohort(out, p);
		if (pin_has_attrs(p)) {
			okra__buf_printf(
			    out,
			    " AND account_id %s (SELECT account_id "
			    "FROM %s WHERE 1",
			    in_op(s), s->accounts);
			pin_attrs(out, s, p);
			okra__buf_putc(out, ')');
		}
	}
	okra__buf_putc(out, ')');
}

/* The segment of an entity in attribute j as "j:value". */
static void segment_expr(okra_buf *out, const okra_sql_schema *s,
                         const okra_segment_attr *at, size_t j,
                         const char *created)
{
	okra__buf_printf(out, "concat('%zu:', ", j);
	if (strcmp(at->name, "cohort") == 0) {
		month_of(out, created);
	} else if (okra__sql_column(s->attrs, s->n_attrs, at->name)) {
		okra__buf_puts(out, "ifNull(");
		okra__sql_ident(out, at->name);
		okra__buf_puts(out, ", '(none)')");
	} else {
		okra__buf_puts(out, "'(none)'");
	}
	okra__buf_putc(out, ')');
}

static bool has_segments(const okra_result *r)
{
	return r->seg.n_attrs > 0;
}

/* The segment query: per entity e its segments (segs) and, for
 * ratio_to, the number of its account's attribute (base). */
static void segment_query(okra_buf *out, const okra_result *r,
                          const okra_sql_schema *s, bool users,
                          const char *ratio_to)
{
	const okra_segmentation *sg = &r->seg;
	const okra_sql_column *rc =
	    ratio_to ? okra__sql_column(s->attrs, s->n_attrs, ratio_to) : NULL;
	okra__buf_puts(out, "SELECT ");
	okra__buf_puts(out, users ? "user_id" : "account_id");
	okra__buf_puts(out, " AS okra_e, [");
	for (size_t j = 0; j < sg->n_attrs; j++) {
		if (j)
			okra__buf_puts(out, ", ");
		segment_expr(out, s, &sg->attrs[j], j,
		             users ? "okra_ucreated" : "created_at");
	}
	okra__buf_puts(out, "] AS okra_segs");
	if (ratio_to && !users) {
		okra__buf_puts(out, ", ");
		if (rc)
			okra__sql_number(out, rc, NULL);
		else
			okra__buf_puts(out, "toNullable(toFloat64(0))");
		okra__buf_puts(out, " AS okra_base");
	} else if (ratio_to) {
		okra__buf_puts(out, ", okra_base");
	}
	if (!users) {
		okra__buf_printf(out, " FROM %s", s->accounts);
		return;
	}
	/* A user's attributes are its account's; its cohort its own. */
	okra__buf_printf(
	    out,
	    " FROM (SELECT user_id, account_id, created_at AS "
	    "okra_ucreated FROM %s) ANY LEFT JOIN (SELECT account_id",
	    s->users);
	for (size_t j = 0; j < sg->n_attrs; j++) {
		const char *name = sg->attrs[j].name;
		if (strcmp(name, "cohort") == 0 ||
		    !okra__sql_column(s->attrs, s->n_attrs, name))
			continue;
		okra__buf_puts(out, ", ");
		okra__sql_ident(out, name);
	}
	if (ratio_to) {
		okra__buf_puts(out, ", ");
		if (rc)
			okra__sql_number(out, rc, NULL);
		else
			okra__buf_puts(out, "toNullable(toFloat64(0))");
		okra__buf_puts(out, " AS okra_base");
	}
	okra__buf_printf(out, " FROM %s) USING account_id", s->accounts);
}

/* "arrayJoin(...) AS seg": everyone, and the entity's segment in each
 * attribute ((none) for an entity the segment query lacks). */
static void seg_join(okra_buf *out, const okra_result *r)
{
	if (!has_segments(r)) {
		okra__buf_puts(out, "'' AS seg");
		return;
	}
	okra__buf_puts(out,
	               "arrayJoin(arrayConcat([''], if(empty(okra_segs), [");
	for (size_t j = 0; j < r->seg.n_attrs; j++)
		okra__buf_printf(out, "%s'%zu:(none)'", j ? ", " : "", j);
	okra__buf_puts(out, "], okra_segs))) AS seg");
}

/* The segments of each entity joined to the rows of a subquery (with
 * column e), when the result has segments or a ratio_to base is needed:
 * join_open before the subquery, join_close after it.  The join sits in
 * a SELECT of its own, as ClickHouse 18 applies arrayJoin before JOIN. */
static bool joins(const okra_result *r, const char *ratio_to)
{
	return has_segments(r) || ratio_to;
}

static void join_open(okra_buf *out, const okra_result *r, const char *ratio_to)
{
	okra__buf_puts(out, joins(r, ratio_to) ? "(SELECT * FROM (" : "(");
}

static void join_close(okra_buf *out, const okra_result *r,
                       const okra_sql_schema *s, bool users,
                       const char *ratio_to)
{
	if (!joins(r, ratio_to)) {
		okra__buf_putc(out, ')');
		return;
	}
	okra__buf_puts(out, ") ANY LEFT JOIN (");
	segment_query(out, r, s, users, ratio_to);
	okra__buf_puts(out, ") USING okra_e)");
}

/* ---------------------------------------------------------------------
 * Dates
 * --------------------------------------------------------------------- */

typedef struct bounds {
	int32_t *lo, *hi; /* per as-of date */
	int32_t min_lo, max_hi;
	size_t n;
	bool unbounded; /* some window reaches back to the first event */
} bounds;

static void bounds_literal(okra_buf *out, const int32_t *v, size_t n)
{
	okra__buf_putc(out, '[');
	for (size_t i = 0; i < n; i++)
		okra__buf_printf(out, "%s%ld", i ? ", " : "", (long)v[i]);
	okra__buf_putc(out, ']');
}

/* "arrayJoin(arrayFilter(...)) AS i": the as-of dates whose bounds hold
 * x.  No lambda here reads a column: ClickHouse 18 loses a column that
 * only a lambda reads, so x comes in as an argument (replicate). */
static void date_join(okra_buf *out, const bounds *b, const char *x)
{
	okra__buf_puts(out, "arrayJoin(arrayFilter((k, x) -> x >= ");
	bounds_literal(out, b->lo, b->n);
	okra__buf_puts(out, "[k + 1] AND x <= ");
	bounds_literal(out, b->hi, b->n);
	okra__buf_printf(out,
	                 "[k + 1], range(%zu), replicate(%s, range(%zu)))) "
	                 "AS i",
	                 b->n, x, b->n);
}

/* Event-time bounds of the union of the windows. */
static void ts_range(okra_buf *out, const bounds *b)
{
	if (!b->unbounded)
		okra__buf_printf(out, " AND ts >= %lld",
		                 (long long)b->min_lo * 86400000000LL);
	okra__buf_printf(out, " AND ts < %lld",
	                 ((long long)b->max_hi + 1) * 86400000000LL);
}

static bool window_bounds(const okra_result *r, const okra_metric *m,
                          int32_t *lo, int32_t *hi, bounds *b)
{
	const okra_plan *p = &r->plan;
	*b = (bounds){.lo = lo, .hi = hi, .n = p->n_dates};
	for (size_t i = 0; i < p->n_dates; i++) {
		okra__plan_window(r->ws, &m->window, p->dates[i], &lo[i],
		                  &hi[i]);
		if (lo[i] == INT32_MIN) {
			b->unbounded = true;
			lo[i] = -1; /* before every event day */
		}
		if (i == 0 || lo[i] < b->min_lo)
			b->min_lo = lo[i];
		if (i == 0 || hi[i] > b->max_hi)
			b->max_hi = hi[i];
	}
	return true;
}

static void cohort_bounds(const okra_result *r, const okra_metric *m,
                          int32_t *lo, int32_t *hi, bounds *b)
{
	const okra_plan *p = &r->plan;
	*b = (bounds){.lo = lo, .hi = hi, .n = p->n_dates};
	for (size_t i = 0; i < p->n_dates; i++) {
		okra__plan_cohort(m, p->dates[i], &lo[i], &hi[i]);
		if (i == 0 || lo[i] < b->min_lo)
			b->min_lo = lo[i];
		if (i == 0 || hi[i] > b->max_hi)
			b->max_hi = hi[i];
	}
}

/* ---------------------------------------------------------------------
 * Event metrics: count, sum, avg, and the active entities of per: active
 * --------------------------------------------------------------------- */

static const char *entity_col(const okra_metric *m)
{
	return m->entity == OKRA_ENTITY_USER ? "user_id" : "account_id";
}

static void events_query(okra_buf *out, const okra_result *r,
                         const okra_metric *m, const okra_sql_schema *s,
                         const bounds *b)
{
	bool users = m->entity == OKRA_ENTITY_USER;
	const okra_sql_column *prop =
	    m->property ? okra__sql_column(s->props, s->n_props, m->property)
	                : NULL;
	okra__buf_puts(out, "SELECT ");
	seg_join(out, r);
	okra__buf_puts(out, ", i, sum(okra_a) AS okra_a, sum(okra_n) AS okra_n "
	                    "FROM (SELECT okra_e, ");
	if (has_segments(r))
		okra__buf_puts(out, "okra_segs, ");
	okra__buf_puts(out, "okra_a, okra_n, ");
	date_join(out, b, "okra_day");
	okra__buf_puts(out, " FROM ");
	join_open(out, r, NULL);
	okra__buf_printf(out,
	                 "SELECT %s AS okra_e, toInt32(intDiv(ts, " DAY_US
	                 ")) AS okra_day, ",
	                 entity_col(m));
	if (prop) {
		okra__buf_puts(out, "sum(assumeNotNull(");
		okra__sql_number(out, prop, NULL);
		okra__buf_puts(out, "))");
	} else {
		okra__buf_puts(out, "toFloat64(count())");
	}
	okra__buf_printf(
	    out,
	    " AS okra_a, toFloat64(count()) AS okra_n FROM %s WHERE %s "
	    "!= ''",
	    s->events, entity_col(m));
	ts_range(out, b);
	okra__buf_puts(out, " AND ");
	if (m->property && !prop)
		okra__buf_putc(out, '0'); /* no event has it: sum 0, avg null */
	else
		okra__sql_filter(out, s, &m->filter);
	if (prop) {
		okra__buf_puts(out, " AND ");
		okra__sql_number(out, prop, NULL);
		okra__buf_puts(out, " IS NOT NULL");
	}
	pin(out, s, &r->plan, users, entity_col(m));
	okra__buf_puts(out, " GROUP BY okra_e, okra_day");
	join_close(out, r, s, users, NULL);
	okra__buf_puts(out, ") GROUP BY seg, i");
}

/* per: active: the entities with any event in the window. */
static void per_active_query(okra_buf *out, const okra_result *r,
                             const okra_metric *m, const okra_sql_schema *s,
                             const bounds *b)
{
	bool users = m->entity == OKRA_ENTITY_USER;
	okra__buf_puts(out, "SELECT ");
	seg_join(out, r);
	okra__buf_puts(out,
	               ", i, toFloat64(count()) AS den FROM (SELECT okra_e, "
	               "okra_days");
	if (has_segments(r))
		okra__buf_puts(out, ", okra_segs");
	okra__buf_puts(out, ", arrayJoin(arrayFilter((k, ds) -> arrayExists(d "
	                    "-> d >= ");
	bounds_literal(out, b->lo, b->n);
	okra__buf_puts(out, "[k + 1] AND d <= ");
	bounds_literal(out, b->hi, b->n);
	okra__buf_printf(out,
	                 "[k + 1], ds), range(%zu), replicate(okra_days, "
	                 "range(%zu)))) AS i FROM ",
	                 b->n, b->n);
	join_open(out, r, NULL);
	okra__buf_printf(
	    out,
	    "SELECT %s AS okra_e, groupUniqArray(toInt32(intDiv(ts, " DAY_US
	    "))) AS okra_days FROM %s WHERE %s != ''",
	    entity_col(m), s->events, entity_col(m));
	ts_range(out, b);
	pin(out, s, &r->plan, users, entity_col(m));
	okra__buf_puts(out, " GROUP BY okra_e");
	join_close(out, r, s, users, NULL);
	okra__buf_puts(out, ") GROUP BY seg, i");
}

/* ---------------------------------------------------------------------
 * Entity metrics over a window: active, threshold
 * --------------------------------------------------------------------- */

/* The entities counted as active, per as-of date: rows (okra_e, i). */
static void active_entities(okra_buf *out, const okra_result *r,
                            const okra_metric *m, const okra_sql_schema *s,
                            const bounds *b)
{
	bool users = m->entity == OKRA_ENTITY_USER;
	okra__buf_puts(out, "SELECT okra_e, i FROM (SELECT okra_e, okra_c, ");
	date_join(out, b, "okra_day");
	okra__buf_printf(
	    out,
	    " FROM (SELECT %s AS okra_e, toInt32(intDiv(ts, " DAY_US
	    ")) AS okra_day, count() AS okra_c FROM %s WHERE %s != ''",
	    entity_col(m), s->events, entity_col(m));
	ts_range(out, b);
	okra__buf_puts(out, " AND ");
	okra__sql_filter(out, s, &m->filter);
	pin(out, s, &r->plan, users, entity_col(m));
	okra__buf_printf(out,
	                 " GROUP BY okra_e, okra_day)) GROUP BY okra_e, i "
	                 "HAVING sum(okra_c) >= "
	                 "%d AND count() >= %d",
	                 m->min_events, m->min_days);
}

static void active_query(okra_buf *out, const okra_result *r,
                         const okra_metric *m, const okra_sql_schema *s,
                         const bounds *b)
{
	bool users = m->entity == OKRA_ENTITY_USER;
	okra__buf_puts(out, "SELECT ");
	seg_join(out, r);
	okra__buf_puts(out, ", i, toFloat64(count()) AS num FROM ");
	join_open(out, r, NULL);
	active_entities(out, r, m, s, b);
	join_close(out, r, s, users, NULL);
	okra__buf_puts(out, " GROUP BY seg, i");
}

/* The condition that an entity met a threshold: its measure x reaches
 * at_least (ratio_to: x over a positive number okra_base of the
 * account's attribute, else not met). */
static void threshold_met(okra_buf *out, const okra_metric *m)
{
	bool ratio = m->measure == OKRA_MEASURE_RATIO_TO;
	if (ratio)
		okra__buf_puts(out,
		               "ifNull(okra_base > 0 AND x / okra_base >= ");
	else
		okra__buf_puts(out, "(x >= ");
	number(out, m->at_least);
	okra__buf_puts(out, ratio ? ", 0)" : ")");
}

/* The threshold's population per as-of date, the entities with activity
 * in the window: rows (okra_e, i, x), x the measure. */
static void threshold_entities(okra_buf *out, const okra_result *r,
                               const okra_metric *m, const okra_sql_schema *s,
                               const bounds *b)
{
	bool users = m->entity == OKRA_ENTITY_USER;
	bool count = m->measure == OKRA_MEASURE_COUNT;
	okra__buf_puts(out, "SELECT okra_e, i, ");
	switch (m->measure) {
	case OKRA_MEASURE_COUNT:
		okra__buf_puts(out, "toFloat64(sum(okra_cnt))");
		break;
	case OKRA_MEASURE_DISTINCT_USERS:
	case OKRA_MEASURE_RATIO_TO:
		okra__buf_puts(out, "toFloat64(uniqExactArray(okra_us))");
		break;
	case OKRA_MEASURE_ACTIVE_DAYS:
		okra__buf_puts(out, "toFloat64(countIf(okra_act > 0))");
		break;
	}
	okra__buf_puts(
	    out, " AS x FROM (SELECT okra_e, okra_act, okra_cnt, okra_us, ");
	date_join(out, b, "okra_day");
	okra__buf_printf(
	    out,
	    " FROM (SELECT %s AS okra_e, toInt32(intDiv(ts, " DAY_US
	    ")) AS okra_day, countIf(",
	    entity_col(m));
	okra__sql_filter(out, s, &m->filter);
	okra__buf_puts(out, ") AS okra_act, countIf(");
	if (count)
		okra__sql_filter(out, s, &m->measure_filter);
	else
		okra__buf_putc(out, '0');
	okra__buf_puts(out,
	               ") AS okra_cnt, groupUniqArrayIf(user_id, user_id != "
	               "'' AND ");
	okra__sql_filter(out, s, &m->filter);
	okra__buf_printf(out, ") AS okra_us FROM %s WHERE %s != ''", s->events,
	                 entity_col(m));
	ts_range(out, b);
	okra__buf_puts(out, " AND (");
	okra__sql_filter(out, s, &m->filter);
	if (count) {
		okra__buf_puts(out, " OR ");
		okra__sql_filter(out, s, &m->measure_filter);
	}
	okra__buf_putc(out, ')');
	pin(out, s, &r->plan, users, entity_col(m));
	okra__buf_puts(out, " GROUP BY okra_e, okra_day)) GROUP BY okra_e, i "
	                    "HAVING sum(okra_act) "
	                    "> 0");
}

static const char *ratio_of(const okra_metric *m)
{
	return m->measure == OKRA_MEASURE_RATIO_TO ? m->ratio_to : NULL;
}

static void threshold_query(okra_buf *out, const okra_result *r,
                            const okra_metric *m, const okra_sql_schema *s,
                            const bounds *b)
{
	bool users = m->entity == OKRA_ENTITY_USER;
	okra__buf_puts(out, "SELECT ");
	seg_join(out, r);
	okra__buf_puts(out, ", i, toFloat64(countIf(");
	threshold_met(out, m);
	okra__buf_puts(out, ")) AS num, toFloat64(count()) AS den FROM ");
	join_open(out, r, ratio_of(m));
	threshold_entities(out, r, m, s, b);
	join_close(out, r, s, users, ratio_of(m));
	okra__buf_puts(out, " GROUP BY seg, i");
}

/* ---------------------------------------------------------------------
 * Cohort metrics: conversion (and funnels), retention, time_to
 * --------------------------------------------------------------------- */

/* The anchors of the entities whose anchor day may fall in a cohort:
 * columns <entity column>, t0 (microseconds). */
static void anchors(okra_buf *out, const okra_result *r, const okra_metric *m,
                    const okra_sql_schema *s, const bounds *cb)
{
	bool users = m->entity == OKRA_ENTITY_USER;
	const char *col = entity_col(m);
	okra__buf_printf(out, "SELECT %s, okra_t0 FROM (", col);
	if (m->anchor_created) {
		okra__buf_printf(
		    out,
		    "SELECT %s, assumeNotNull(created_at) AS okra_t0 "
		    "FROM %s WHERE created_at IS NOT NULL",
		    col, users ? s->users : s->accounts);
	} else {
		okra__buf_printf(
		    out,
		    "SELECT %s, min(ts) AS okra_t0 FROM %s WHERE %s != "
		    "'' AND ts < %lld AND ",
		    col, s->events, col,
		    ((long long)cb->max_hi + 1) * 86400000000LL);
		okra__sql_filter(out, s, &m->anchor);
	}
	pin(out, s, &r->plan, users, col);
	if (!m->anchor_created)
		okra__buf_printf(out, " GROUP BY %s", col);
	okra__buf_printf(out,
	                 ") WHERE intDiv(okra_t0, " DAY_US
	                 ") >= %ld AND intDiv(okra_t0, " DAY_US ") <= %ld",
	                 (long)cb->min_lo, (long)cb->max_hi);
}

/* "FROM events [GLOBAL] ANY INNER JOIN (anchors) USING <entity> WHERE" */
static void events_at_anchors(okra_buf *out, const okra_result *r,
                              const okra_metric *m, const okra_sql_schema *s,
                              const bounds *cb)
{
	okra__buf_printf(out, " FROM %s %sANY INNER JOIN (", s->events,
	                 s->global ? "GLOBAL " : "");
	anchors(out, r, m, s, cb);
	okra__buf_printf(out, ") USING %s WHERE ", entity_col(m));
}

/* The per-entity outcome of a cohort metric: columns e, hit (1) and, by
 * type, reached (funnel steps) or dt (microseconds to the target). */
static void outcome(okra_buf *out, const okra_result *r, const okra_metric *m,
                    const okra_sql_schema *s, const bounds *cb)
{
	const char *col = entity_col(m);
	long long w_us = (long long)m->within_days * 86400000000LL;
	if (m->type == OKRA_METRIC_RETENTION) {
		int n1 = m->has_between ? m->between_lo : m->day_n;
		int n2 = m->has_between ? m->between_hi : m->day_n;
		okra__buf_printf(out, "SELECT %s AS okra_e, 1 AS okra_hit",
		                 col);
		events_at_anchors(out, r, m, s, cb);
		okra__sql_filter(out, s, &m->filter);
		okra__buf_printf(
		    out,
		    " AND intDiv(ts, " DAY_US ") >= intDiv(okra_t0, " DAY_US
		    ") + %d AND intDiv(ts, " DAY_US
		    ") <= intDiv(okra_t0, " DAY_US ") + %d GROUP BY %s",
		    n1, n2, col);
		return;
	}
	if (m->type == OKRA_METRIC_TIME_TO) {
		okra__buf_printf(out,
		                 "SELECT %s AS okra_e, 1 AS okra_hit, min(ts) "
		                 "- any(okra_t0) "
		                 "AS okra_dt",
		                 col);
		events_at_anchors(out, r, m, s, cb);
		okra__sql_filter(out, s, &m->target);
		okra__buf_printf(
		    out,
		    " AND ts >= okra_t0 AND ts < okra_t0 + %lld GROUP BY %s",
		    w_us, col);
		return;
	}
	if (m->n_steps == 0) {
		okra__buf_printf(out, "SELECT %s AS okra_e, 1 AS okra_hit",
		                 col);
		events_at_anchors(out, r, m, s, cb);
		okra__sql_filter(out, s, &m->target);
		okra__buf_printf(
		    out,
		    " AND ts >= okra_t0 AND ts < okra_t0 + %lld GROUP BY %s",
		    w_us, col);
		return;
	}
	/* A funnel: the entity's step events in time order, each with the
	 * steps it matches as bits; then greedily, earliest first, step
	 * k + 1 at or after step k on a row not taken by an earlier step. */
	size_t n = m->n_steps;
	okra__buf_puts(out, "SELECT okra_e, 1 AS okra_hit, ");
	for (size_t k = 0; k < n; k++)
		okra__buf_printf(out, "%s(i%zu > 0)", k ? " + " : "", k + 1);
	okra__buf_puts(out, " AS reached FROM (SELECT okra_e, okra_T, okra_M, "
	                    "arrayEnumerate(okra_T) AS okra_J, ");
	for (size_t k = 0; k < n; k++) {
		if (k == 0) {
			okra__buf_puts(out,
			               "arrayFirstIndex((t, m) -> bitAnd(m, "
			               "1) != 0, okra_T, okra_M) AS i1, ");
			continue;
		}
		/* the previous step's time and the rows taken, as
		 * arguments (a lambda reads no column) */
		okra__buf_printf(
		    out,
		    "arrayFirstIndex((t, m, j, p, u) -> t >= p AND "
		    "NOT has(u, j) AND bitAnd(m, %llu) != 0, okra_T, okra_M, "
		    "okra_J, replicate(okra_T[i%zu], okra_T), replicate([",
		    1ULL << k, k);
		for (size_t j = 0; j < k; j++)
			okra__buf_printf(out, "%stoUInt64(i%zu)", j ? ", " : "",
			                 j + 1);
		okra__buf_printf(out, "], okra_T)) * (i%zu > 0) AS i%zu, ", k,
		                 k + 1);
	}
	okra__buf_printf(
	    out,
	    "1 AS one FROM (SELECT %s AS okra_e, arraySort(groupArray("
	    "ts)) AS okra_T, arraySort((x, t) -> (t, x), "
	    "groupArray(okra_mask), groupArray(ts)) AS okra_M FROM (SELECT "
	    "%s, ts, ",
	    col, col);
	for (size_t k = 0; k < n; k++) {
		okra__buf_puts(out, k ? " + " : "");
		okra__buf_printf(out, "toUInt64(");
		okra__sql_filter(out, s, &m->steps[k]);
		okra__buf_printf(out, ") * %llu", 1ULL << k);
	}
	okra__buf_puts(out, " AS okra_mask");
	events_at_anchors(out, r, m, s, cb);
	okra__buf_printf(out, "ts >= okra_t0 AND ts < okra_t0 + %lld AND (",
	                 w_us);
	for (size_t k = 0; k < n; k++) {
		if (k)
			okra__buf_puts(out, " OR ");
		okra__sql_filter(out, s, &m->steps[k]);
	}
	okra__buf_printf(out, ")) GROUP BY %s))", col);
}

/* The quantile at position (n - 1) q of sorted v, interpolated between
 * the two order statistics; NULL when one with weight is +inf. */
static void quantile(okra_buf *out)
{
	okra__buf_puts(out,
	               "if(length(v) = 0, NULL, if(pos = floor(pos), "
	               "if(isInfinite(v[toUInt32(floor(pos)) + 1]), NULL, "
	               "toNullable(v[toUInt32(floor(pos)) + 1])), "
	               "if(isInfinite(v[toUInt32(floor(pos)) + 1]) OR "
	               "isInfinite(v[toUInt32(floor(pos)) + 2]), NULL, "
	               "toNullable(v[toUInt32(floor(pos)) + 1] + "
	               "(v[toUInt32(floor(pos)) + 2] - v[toUInt32(floor(pos)) "
	               "+ 1]) * (pos - floor(pos)))))) AS q");
}

/* The mature cohort per as-of date with each entity's outcome: rows
 * (okra_e, okra_hit, [okra_dt,] [reached,] i); okra_hit is 0 for an
 * entity that did not convert (or was not retained). */
static void cohort_entities(okra_buf *out, const okra_result *r,
                            const okra_metric *m, const okra_sql_schema *s,
                            const bounds *cb)
{
	okra__buf_puts(out, "SELECT okra_e, okra_hit");
	if (m->type == OKRA_METRIC_TIME_TO)
		okra__buf_puts(out, ", okra_dt");
	if (m->n_steps)
		okra__buf_puts(out, ", reached");
	okra__buf_puts(out, ", ");
	date_join(out, cb, "okra_A");
	okra__buf_printf(out,
	                 " FROM (SELECT * FROM (SELECT %s AS okra_e, "
	                 "toInt32(intDiv(okra_t0, " DAY_US
	                 ")) AS okra_A FROM (",
	                 entity_col(m));
	anchors(out, r, m, s, cb);
	okra__buf_puts(out, ")) ANY LEFT JOIN (");
	outcome(out, r, m, s, cb);
	okra__buf_puts(out, ") USING okra_e)");
}

static void cohort_query(okra_buf *out, const okra_result *r,
                         const okra_metric *m, const okra_sql_schema *s,
                         const bounds *cb)
{
	bool users = m->entity == OKRA_ENTITY_USER;
	bool tt = m->type == OKRA_METRIC_TIME_TO;
	size_t n = m->n_steps;
	okra__buf_puts(out, "SELECT seg, i, ");
	if (tt) {
		quantile(out);
		okra__buf_puts(out, ", num, den FROM (SELECT ");
		seg_join(out, r);
		okra__buf_printf(out,
		                 ", i, arraySort(groupArray(h)) AS v, "
		                 "(toFloat64(length(v)) - 1) * %.17g AS pos, "
		                 "toFloat64(countIf(isFinite(h))) AS num, "
		                 "toFloat64(count()) AS den",
		                 m->quantile);
	} else {
		okra__buf_puts(out, "num, den");
		for (size_t k = 0; k < n; k++)
			okra__buf_printf(out, ", s%zu", k + 1);
		okra__buf_puts(out, " FROM (SELECT ");
		seg_join(out, r);
		/* a funnel's value is the share completing every step */
		if (n)
			okra__buf_printf(
			    out,
			    ", i, toFloat64(countIf(reached = %zu)) "
			    "AS num",
			    n);
		else
			okra__buf_puts(out,
			               ", i, toFloat64(sum(okra_hit)) AS num");
		okra__buf_puts(out, ", toFloat64(count()) AS den");
		for (size_t k = 0; k < n; k++)
			okra__buf_printf(out,
			                 ", toFloat64(countIf(reached >= %zu)) "
			                 "AS s%zu",
			                 k + 1, k + 1);
	}
	okra__buf_puts(out, " FROM (SELECT okra_e, ");
	if (has_segments(r))
		okra__buf_puts(out, "okra_segs, ");
	if (tt)
		okra__buf_puts(
		    out, "if(okra_hit = 1, okra_dt / 3600000000, inf) AS h");
	else if (n)
		okra__buf_puts(out, "reached, okra_hit");
	else
		okra__buf_puts(out, "okra_hit");
	okra__buf_puts(out, ", i FROM ");
	join_open(out, r, NULL);
	cohort_entities(out, r, m, s, cb);
	join_close(out, r, s, users, NULL);
	okra__buf_puts(out, ") GROUP BY seg, i)");
}

/* ---------------------------------------------------------------------
 * Revenue: the accumulators of every measure, per month of an as-of day
 * --------------------------------------------------------------------- */

static void revenue_query(okra_buf *out, const okra_result *r,
                          const okra_metric *m, const okra_sql_schema *s)
{
	const okra_plan *p = &r->plan;
	okra__buf_puts(out, "SELECT ");
	seg_join(out, r);
	okra__buf_puts(
	    out,
	    ", i, sum(now) AS mrr, sum(prev) AS prev_mrr, "
	    "toFloat64(countIf(now "
	    "> 0)) AS paying, toFloat64(countIf(prev > 0)) AS prev_paying, "
	    "toFloat64(countIf(prev > 0 AND now = 0)) AS lost, sumIf(now, now "
	    "> 0 AND fp = okra_M) AS new, sumIf(now, now > 0 AND prev = 0 AND "
	    "fp < "
	    "okra_M - 1) AS reactivation, sumIf(now - prev, now > 0 AND prev > "
	    "0 "
	    "AND now > prev) AS expansion, sumIf(prev - now, now > 0 AND prev "
	    "> 0 AND now < prev) AS contraction, sumIf(prev, prev > 0 AND now "
	    "= 0) AS churned, sumIf(okra_base, okra_base > 0) AS base_l, "
	    "sumIf(now, "
	    "okra_base > 0) AS now_l, sumIf(least(now, okra_base), okra_base > "
	    "0) AS kept_l "
	    "FROM (SELECT okra_e, ");
	if (has_segments(r))
		okra__buf_puts(out, "okra_segs, ");
	okra__buf_puts(out, "fp, i, okra_M, ");
	static const char *const names[] = {"now", "prev", "okra_base"};
	for (int t = 0; t < 3; t++)
		okra__buf_printf(
		    out,
		    "arraySum(arrayMap((x, v, o, mm) -> if(if(o = 1, "
		    "x <= mm - %d, x = mm - %d), v, 0), mo, mr, op, "
		    "replicate(okra_M, mo))) AS %s, ",
		    t == 0   ? 0
		    : t == 1 ? 1
		             : m->lookback,
		    t == 0   ? 0
		    : t == 1 ? 1
		             : m->lookback,
		    names[t]);
	okra__buf_puts(out, "1 AS one FROM ");
	join_open(out, r, NULL);
	okra__buf_puts(out, "SELECT okra_e, mo, mr, op, fp, arrayJoin(range(");
	okra__buf_printf(out, "%zu)) AS i, [", p->n_dates);
	for (size_t i = 0; i < p->n_dates; i++) {
		int y, mo, d;
		okra__civil_from_days(p->dates[i], &y, &mo, &d);
		okra__buf_printf(out, "%s%d", i ? ", " : "",
		                 (y - 1970) * 12 + mo - 1);
	}
	okra__buf_printf(
	    out,
	    "][i + 1] AS okra_M FROM (SELECT account_id AS okra_e, "
	    "groupArray(mi) AS mo, "
	    "groupArray(mrr) AS mr, groupArray(open) AS op, if(countIf(mrr > "
	    "0) = 0, 2147483647, minIf(mi, mrr > 0)) AS fp FROM (SELECT "
	    "account_id, (toInt32(toYear(month)) - 1970) * 12 + "
	    "toInt32(toMonth(month)) - 1 AS mi, toFloat64(mrr) AS mrr, "
	    "toUInt8(open) AS open FROM %s WHERE 1",
	    s->revenue);
	pin(out, s, p, false, "account_id");
	okra__buf_puts(out, ") GROUP BY account_id)");
	join_close(out, r, s, false, NULL);
	okra__buf_puts(out, ") GROUP BY seg, i");
}

/* ---------------------------------------------------------------------
 * Outcomes: the four counts behind a lift (okra diagnose)
 * --------------------------------------------------------------------- */

bool okra__sql_has_outcome(const okra_metric *m)
{
	switch (m->type) {
	case OKRA_METRIC_ACTIVE:
	case OKRA_METRIC_THRESHOLD:
	case OKRA_METRIC_CONVERSION:
	case OKRA_METRIC_RETENTION:
		return true;
	default:
		return false;
	}
}

/* The population of m at v's one as-of date and whether each entity met
 * m's condition: rows (okra_e, okra_met).  An active metric's population
 * is the entities it counts, all of them met. */
static void entity_met(okra_buf *out, const okra_result *v,
                       const okra_metric *m, const okra_sql_schema *s)
{
	int32_t lo[1], hi[1];
	bounds b;
	bool users = m->entity == OKRA_ENTITY_USER;
	okra__buf_puts(out, "SELECT okra_e, toUInt8(");
	switch (m->type) {
	case OKRA_METRIC_ACTIVE:
		window_bounds(v, m, lo, hi, &b);
		okra__buf_puts(out, "1) AS okra_met FROM (");
		active_entities(out, v, m, s, &b);
		okra__buf_putc(out, ')');
		break;
	case OKRA_METRIC_THRESHOLD:
		window_bounds(v, m, lo, hi, &b);
		threshold_met(out, m);
		okra__buf_puts(out, ") AS okra_met FROM ");
		join_open(out, v, ratio_of(m));
		threshold_entities(out, v, m, s, &b);
		join_close(out, v, s, users, ratio_of(m));
		break;
	default:
		cohort_bounds(v, m, lo, hi, &b);
		if (m->n_steps)
			okra__buf_printf(out, "reached = %zu", m->n_steps);
		else
			okra__buf_puts(out, "okra_hit = 1");
		okra__buf_puts(out, ") AS okra_met FROM (");
		cohort_entities(out, v, m, s, &b);
		okra__buf_putc(out, ')');
		break;
	}
}

/* The entities of the item's kind (users or accounts) that count in the
 * north star ns at v's date: rows (okra_e, okra_act = 1).  A user counts
 * through its account (from the users table) when ns counts accounts,
 * an account through any of its users when ns counts users. */
static void ns_entities(okra_buf *out, const okra_result *v,
                        const okra_metric *ns, bool users,
                        const okra_sql_schema *s)
{
	if ((ns->entity == OKRA_ENTITY_USER) == users) {
		okra__buf_puts(out,
		               "SELECT okra_e, toUInt8(1) AS okra_act FROM (");
		entity_met(out, v, ns, s);
		okra__buf_puts(out, ") WHERE okra_met = 1");
		return;
	}
	okra__buf_printf(out,
	                 "SELECT %s AS okra_e, toUInt8(1) AS okra_act FROM %s "
	                 "WHERE account_id != '' AND %s %s (SELECT okra_e "
	                 "FROM (",
	                 users ? "user_id" : "DISTINCT account_id", s->users,
	                 users ? "account_id" : "user_id", in_op(s));
	entity_met(out, v, ns, s);
	okra__buf_puts(out, ") WHERE okra_met = 1)");
}

void okra__sql_outcome(const okra_result *r, size_t k, const okra_sql_schema *s,
                       okra_buf *out)
{
	const okra_plan *p = &r->plan;
	const okra_metric *m = p->items[k].m;
	int32_t day = p->outcome_day;
	/* r seen at the outcome day alone and without segments: the counts
	 * are of row 0, and the pin applies. */
	okra_result v = {.ws = r->ws, .plan = *p};
	v.plan.dates = &day;
	v.plan.n_dates = 1;
	okra__buf_puts(out, "SELECT toFloat64(countIf(okra_met = 1)) AS met, "
	                    "toFloat64(countIf(okra_met = 1 AND okra_act = "
	                    "1)) AS met_active, toFloat64(countIf(okra_met = "
	                    "0)) AS not_met, toFloat64(countIf(okra_met = 0 "
	                    "AND okra_act = 1)) AS not_met_active FROM (");
	entity_met(out, &v, m, s);
	okra__buf_puts(out, ") ANY LEFT JOIN (");
	ns_entities(out, &v, p->outcome_of, m->entity == OKRA_ENTITY_USER, s);
	okra__buf_puts(out, ") USING okra_e");
}

/* ---------------------------------------------------------------------
 * Entry points
 * --------------------------------------------------------------------- */

size_t okra__sql_n_queries(const okra_plan_item *it)
{
	switch (it->scan) {
	case OKRA_SCAN_EVENTS:
		return it->m->per_active ? 2 : 1;
	case OKRA_SCAN_ENTITIES:
	case OKRA_SCAN_REVENUE:
		return 1;
	default:
		return 0;
	}
}

okra_sql_kind okra__sql_kind(const okra_plan_item *it, size_t q)
{
	const okra_metric *m = it->m;
	switch (it->scan) {
	case OKRA_SCAN_EVENTS:
		return q ? OKRA_SQL_PER_ACTIVE : OKRA_SQL_EVENTS;
	case OKRA_SCAN_REVENUE:
		return OKRA_SQL_REVENUE;
	default:
		break;
	}
	switch (m->type) {
	case OKRA_METRIC_ACTIVE:
		return OKRA_SQL_ACTIVE;
	case OKRA_METRIC_TIME_TO:
		return OKRA_SQL_QUANTILE;
	default:
		return OKRA_SQL_SHARE;
	}
}

size_t okra__sql_n_columns(const okra_plan_item *it, okra_sql_kind kind)
{
	switch (kind) {
	case OKRA_SQL_EVENTS:
		return 2;
	case OKRA_SQL_SHARE:
		return 2 + it->m->n_steps;
	case OKRA_SQL_QUANTILE:
		return 3;
	case OKRA_SQL_REVENUE:
		return OKRA_SQL_REVENUE_COLUMNS;
	default:
		return 1;
	}
}

void okra__sql_item(const okra_result *r, size_t k, size_t q,
                    const okra_sql_schema *s, okra_buf *out)
{
	const okra_plan_item *it = &r->plan.items[k];
	const okra_metric *m = it->m;
	size_t nd = r->plan.n_dates;
	int32_t *lo = okra__arena_alloc((okra_arena *)&r->arena,
	                                (nd + 1) * sizeof(int32_t));
	int32_t *hi = okra__arena_alloc((okra_arena *)&r->arena,
	                                (nd + 1) * sizeof(int32_t));
	bounds b;
	if (!lo || !hi) {
		out->failed = true;
		return;
	}
	switch (okra__sql_kind(it, q)) {
	case OKRA_SQL_EVENTS:
		window_bounds(r, m, lo, hi, &b);
		events_query(out, r, m, s, &b);
		break;
	case OKRA_SQL_PER_ACTIVE:
		window_bounds(r, m, lo, hi, &b);
		per_active_query(out, r, m, s, &b);
		break;
	case OKRA_SQL_ACTIVE:
		window_bounds(r, m, lo, hi, &b);
		active_query(out, r, m, s, &b);
		break;
	case OKRA_SQL_SHARE:
	case OKRA_SQL_QUANTILE:
		if (m->type == OKRA_METRIC_THRESHOLD) {
			window_bounds(r, m, lo, hi, &b);
			threshold_query(out, r, m, s, &b);
		} else {
			cohort_bounds(r, m, lo, hi, &b);
			cohort_query(out, r, m, s, &b);
		}
		break;
	case OKRA_SQL_REVENUE:
		revenue_query(out, r, m, s);
		break;
	}
}
