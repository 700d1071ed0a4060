/*
 * experiment.c - an experiment readout's measurements in ClickHouse SQL
 * (plan/experiment.h): the exposed entities, then each outcome per unit.
 *
 * An entity's exposure is its first exposure event carrying the variant
 * property between the start and the end of D; it is a unit when its
 * labelled exposures show one variant.  Each outcome is measured from the
 * exposure t0 over [t0, t0 + window) (null while that is not over by the
 * end of D) and, for CUPED, over [t0 - window, t0), exactly as the
 * embedded engine's walk does; nothing after the end of D is read.  Pure
 * text building.
 */
#include "sql/sql.h"

#include <string.h>

#define DAY_US "86400000000"

static const char *entity_col(bool users)
{
	return users ? "user_id" : "account_id";
}

static const char *in_op(const okra_sql_schema *s)
{
	return s->global ? "GLOBAL " : "";
}

void okra__sql_exp_exposures(const okra_exp_query *q, bool users,
                             const okra_sql_schema *s, okra_buf *out)
{
	const okra_experiment *x = q->x;
	const char *col = entity_col(users);
	const okra_sql_column *v =
	    x->variant_property
	        ? okra__sql_column(s->props, s->n_props, x->variant_property)
	        : NULL;
	okra__buf_printf(out, "SELECT %s, ", col);
	if (v) {
		/* V: the variant's text (a number's as the data wrote it) */
		okra__buf_puts(out, "minIf(ts, ");
		okra__sql_ident(out, v->name);
		okra__buf_puts(
		    out, " IS NOT NULL) AS okra_t0, arraySlice(arrayDistinct("
		         "arrayMap(p -> p.2, arraySort(groupArrayIf((ts, "
		         "assumeNotNull(");
		okra__sql_ident(out, v->name);
		okra__buf_puts(out, ")), ");
		okra__sql_ident(out, v->name);
		okra__buf_puts(out, " IS NOT NULL)))), 1, 2) AS okra_vs, "
		                    "toFloat64(countIf(");
		okra__sql_ident(out, v->name);
		okra__buf_puts(out, " IS NULL)) AS okra_nl");
	} else {
		okra__buf_puts(out,
		               "toInt64(0) AS okra_t0, emptyArrayString() AS "
		               "okra_vs, toFloat64(count()) AS okra_nl");
	}
	okra__buf_printf(out,
	                 " FROM %s WHERE %s != '' AND ts >= %lld AND ts < "
	                 "%lld AND ",
	                 s->events, col, (long long)x->start * 86400000000LL,
	                 ((long long)q->last_day + 1) * 86400000000LL);
	okra__sql_filter(out, s, &x->exposure);
	okra__buf_printf(out, " GROUP BY %s", col);
}

/* The units of an entity kind: columns <entity>, t0. */
static void units(okra_buf *out, const okra_exp_query *q, bool users,
                  const okra_sql_schema *s)
{
	okra__buf_printf(out, "SELECT %s, okra_t0 FROM (", entity_col(users));
	okra__sql_exp_exposures(q, users, s, out);
	okra__buf_puts(out, ") WHERE length(okra_vs) = 1");
}

/* Window w of an outcome: "ts >= a AND ts < b" (y from t0, x before). */
static void in_window(okra_buf *out, bool y, long long len)
{
	if (y)
		okra__buf_printf(out, "ts >= okra_t0 AND ts < okra_t0 + %lld",
		                 len);
	else
		okra__buf_printf(out, "ts >= okra_t0 - %lld AND ts < okra_t0",
		                 len);
}

/* The greedy funnel over the step events of window w (Tw, Mw sorted by
 * time), as in the cohort query: aliases w1 .. wn, the rows of each step
 * (0 when not reached). */
static void greedy(okra_buf *out, size_t n, const char *w)
{
	for (size_t k = 0; k < n; k++) {
		if (k == 0) {
			okra__buf_printf(
			    out,
			    "arrayFirstIndex((t, m) -> bitAnd(m, 1) "
			    "!= 0, okra_T%s, okra_M%s) AS %s1, ",
			    w, w, w);
			continue;
		}
		okra__buf_printf(
		    out,
		    "arrayFirstIndex((t, m, j, p, u) -> t >= p AND "
		    "NOT has(u, j) AND bitAnd(m, %llu) != 0, okra_T%s, "
		    "okra_M%s, arrayEnumerate(okra_T%s), "
		    "replicate(okra_T%s[%s%zu], "
		    "okra_T%s), replicate([",
		    1ULL << k, w, w, w, w, w, k, w);
		for (size_t j = 0; j < k; j++)
			okra__buf_printf(out, "%stoUInt64(%s%zu)",
			                 j ? ", " : "", w, j + 1);
		okra__buf_printf(out, "], okra_T%s)) * (%s%zu > 0) AS %s%zu, ",
		                 w, w, k, w, k + 1);
	}
}

void okra__sql_exp_outcome(const okra_exp_query *q, size_t k,
                           const okra_sql_schema *s, okra_buf *out)
{
	const okra_exp_outcome *o = &q->outcomes[k];
	const okra_metric *m = o->m;
	bool users = m->entity == OKRA_ENTITY_USER;
	const char *col = entity_col(users);
	long long len = (long long)okra__exp_window_days(m) * 86400000000LL;
	long long t_end = ((long long)q->last_day + 1) * 86400000000LL;
	bool retention = m->type == OKRA_METRIC_RETENTION;
	int n1 = m->has_between ? m->between_lo : m->day_n;
	int n2 = m->has_between ? m->between_hi : m->day_n;
	bool ratio = m->type == OKRA_METRIC_THRESHOLD &&
	             m->measure == OKRA_MEASURE_RATIO_TO;
	const okra_sql_column *prop =
	    m->property ? okra__sql_column(s->props, s->n_props, m->property)
	                : NULL;
	size_t n = m->type == OKRA_METRIC_CONVERSION ? m->n_steps : 0;
	const char *const w2[2] = {"y", "x"};

	/* The outer select: y (null while immature) and x per unit. */
	okra__buf_puts(out, "SELECT okra_e, ");
	if (retention)
		okra__buf_printf(
		    out,
		    "if(intDiv(toInt64(okra_t0), " DAY_US ") + %d <= %ld, "
		    "toFloat64(y_v), nan) AS y, toFloat64(x_v) AS x",
		    n2, (long)q->last_day);
	else
		okra__buf_printf(
		    out,
		    "if(okra_t0 + %lld <= %lld, toFloat64(y_v), nan) AS y, "
		    "toFloat64(x_v) AS x",
		    len, t_end);
	okra__buf_puts(out, " FROM (SELECT okra_e, okra_t0, ");
	for (int w = 0; w < 2; w++) {
		const char *a = w2[w];
		if (retention) {
			okra__buf_printf(out, "%s_hit > 0 AS %s_v, ", a, a);
			continue;
		}
		switch (m->type) {
		case OKRA_METRIC_CONVERSION:
			if (n == 0) {
				okra__buf_printf(out, "%s_hit > 0 AS %s_v, ", a,
				                 a);
				break;
			}
			/* the step events of the window, then the greedy
			 * match */
			okra__buf_printf(
			    out,
			    "arrayFilter((t, lo) -> t >= lo AND t "
			    "< lo + %lld, okra_T, "
			    "replicate(okra_t0 - %lld, okra_T)) AS okra_T%s, "
			    "arrayFilter((mm, t, "
			    "lo) -> t >= lo AND t < lo + %lld, okra_M, "
			    "okra_T, replicate(okra_t0 "
			    "- %lld, okra_T)) AS okra_M%s, ",
			    len, w ? len : 0LL, a, len, w ? len : 0LL, a);
			greedy(out, n, a);
			okra__buf_puts(out, "(");
			for (size_t j = 0; j < n; j++)
				okra__buf_printf(out, "%s(%s%zu > 0)",
				                 j ? " + " : "", a, j + 1);
			okra__buf_printf(out, ") = %zu AS %s_v, ", n, a);
			break;
		case OKRA_METRIC_THRESHOLD: {
			okra__buf_printf(out, "%s_act > 0 AND ", a);
			if (ratio)
				okra__buf_printf(
				    out,
				    "ifNull(okra_base > 0 AND %s_users / "
				    "okra_base >= ",
				    a);
			else if (m->measure == OKRA_MEASURE_COUNT)
				okra__buf_printf(out, "(%s_cnt >= ", a);
			else if (m->measure == OKRA_MEASURE_ACTIVE_DAYS)
				okra__buf_printf(out, "(%s_days >= ", a);
			else
				okra__buf_printf(out, "(%s_users >= ", a);
			okra__buf_printf(out, "toFloat64(%.17g)%s AS %s_v, ",
			                 m->at_least, ratio ? ", 0)" : ")", a);
			break;
		}
		default:
			if (o->part == OKRA_EXP_ANY_EVENT)
				okra__buf_printf(out, "%s_any > 0 AS %s_v, ", a,
				                 a);
			else if (o->part == OKRA_EXP_N_VALUES)
				okra__buf_printf(out, "%s_nv AS %s_v, ", a, a);
			else if (m->type == OKRA_METRIC_COUNT)
				okra__buf_printf(out, "%s_cnt AS %s_v, ", a, a);
			else if (m->type == OKRA_METRIC_ACTIVE)
				okra__buf_printf(
				    out,
				    "%s_cnt >= %d AND %s_days >= %d AS "
				    "%s_v, ",
				    a, m->min_events, a, m->min_days, a);
			else
				okra__buf_printf(out, "%s_sum AS %s_v, ", a, a);
			break;
		}
	}
	okra__buf_puts(out, "1 AS one FROM (SELECT * FROM ");

	/* The units (with the number of the account's attribute for
	 * ratio_to) ... */
	if (ratio) {
		const okra_sql_column *rc =
		    okra__sql_column(s->attrs, s->n_attrs, m->ratio_to);
		okra__buf_printf(out,
		                 "(SELECT * FROM (SELECT %s AS okra_e, "
		                 "okra_t0 FROM (",
		                 col);
		units(out, q, users, s);
		okra__buf_printf(out, ")) ANY LEFT JOIN (SELECT %s AS okra_e, ",
		                 col);
		if (!rc)
			okra__buf_puts(out, "toNullable(toFloat64(0))");
		else if (users)
			okra__buf_puts(out, "okra_base");
		else
			okra__sql_number(out, rc, NULL);
		okra__buf_puts(out, " AS okra_base FROM ");
		if (users) {
			okra__buf_printf(
			    out, "%s ANY LEFT JOIN (SELECT account_id, ",
			    s->users);
			if (rc)
				okra__sql_number(out, rc, NULL);
			else
				okra__buf_puts(out, "toNullable(toFloat64(0))");
			okra__buf_printf(
			    out, " AS okra_base FROM %s) USING account_id",
			    s->accounts);
		} else {
			okra__buf_puts(out, s->accounts);
		}
		okra__buf_puts(out, ") USING okra_e)");
	} else {
		okra__buf_printf(out, "(SELECT %s AS okra_e, okra_t0 FROM (",
		                 col);
		units(out, q, users, s);
		okra__buf_puts(out, "))");
	}

	/* ... joined with what their events in the windows add up to. */
	okra__buf_printf(out, " ANY LEFT JOIN (SELECT %s AS okra_e", col);
	for (int w = 0; w < 2; w++) {
		const char *a = w2[w];
		bool y = w == 0;
		if (retention) {
			okra__buf_printf(out, ", countIf(");
			okra__sql_filter(out, s, &m->filter);
			okra__buf_printf(out,
			                 " AND intDiv(ts, " DAY_US
			                 ") >= intDiv(okra_t0, " DAY_US
			                 ") + %d AND intDiv(ts, " DAY_US
			                 ") <= intDiv(okra_t0, " DAY_US
			                 ") + %d) AS %s_hit",
			                 y ? n1 : -n2, y ? n2 : -n1, a);
			continue;
		}
		if (m->type == OKRA_METRIC_CONVERSION && n == 0) {
			okra__buf_puts(out, ", countIf(");
			in_window(out, y, len);
			okra__buf_puts(out, " AND ");
			okra__sql_filter(out, s, &m->target);
			okra__buf_printf(out, ") AS %s_hit", a);
			continue;
		}
		if (m->type == OKRA_METRIC_CONVERSION) {
			if (w == 1)
				continue; /* T and M serve both windows */
			okra__buf_puts(out, ", arraySort(groupArrayIf(ts, ");
			for (size_t j = 0; j < n; j++) {
				okra__buf_puts(out, j ? " OR " : "(");
				okra__sql_filter(out, s, &m->steps[j]);
			}
			okra__buf_puts(
			    out, "))) AS okra_T, arraySort((mm, t) -> (t, mm), "
			         "groupArrayIf(");
			for (size_t j = 0; j < n; j++) {
				okra__buf_puts(out, j ? " + " : "");
				okra__buf_puts(out, "toUInt64(");
				okra__sql_filter(out, s, &m->steps[j]);
				okra__buf_printf(out, ") * %llu", 1ULL << j);
			}
			for (int pass = 0; pass < 2; pass++) {
				okra__buf_puts(out, ", ");
				if (pass)
					okra__buf_puts(out,
					               "groupArrayIf(ts, ");
				for (size_t j = 0; j < n; j++) {
					okra__buf_puts(out, j ? " OR " : "(");
					okra__sql_filter(out, s, &m->steps[j]);
				}
				okra__buf_puts(out, pass ? ")))" : "))");
			}
			okra__buf_puts(out, " AS okra_M");
			continue;
		}
		if (m->type == OKRA_METRIC_THRESHOLD) {
			okra__buf_puts(out, ", countIf(");
			in_window(out, y, len);
			okra__buf_puts(out, " AND ");
			okra__sql_filter(out, s, &m->filter);
			okra__buf_printf(out, ") AS %s_act, countIf(", a);
			in_window(out, y, len);
			okra__buf_puts(out, " AND ");
			if (m->measure == OKRA_MEASURE_COUNT)
				okra__sql_filter(out, s, &m->measure_filter);
			else
				okra__buf_putc(out, '0');
			okra__buf_printf(
			    out,
			    ") AS %s_cnt, uniqExactIf(intDiv(ts, " DAY_US "), ",
			    a);
			in_window(out, y, len);
			okra__buf_puts(out, " AND ");
			okra__sql_filter(out, s, &m->filter);
			okra__buf_printf(
			    out, ") AS %s_days, uniqExactIf(user_id, ", a);
			in_window(out, y, len);
			okra__buf_puts(out, " AND user_id != '' AND ");
			okra__sql_filter(out, s, &m->filter);
			okra__buf_printf(out, ") AS %s_users", a);
			continue;
		}
		/* count, sum, avg, active */
		okra__buf_puts(out, ", countIf(");
		in_window(out, y, len);
		okra__buf_printf(out, ") AS %s_any, countIf(", a);
		in_window(out, y, len);
		okra__buf_puts(out, " AND ");
		okra__sql_filter(out, s, &m->filter);
		okra__buf_printf(
		    out, ") AS %s_cnt, uniqExactIf(intDiv(ts, " DAY_US "), ",
		    a);
		in_window(out, y, len);
		okra__buf_puts(out, " AND ");
		okra__sql_filter(out, s, &m->filter);
		okra__buf_printf(out, ") AS %s_days, ", a);
		if (prop) {
			okra__buf_puts(out, "sumIf(assumeNotNull(");
			okra__sql_number(out, prop, NULL);
			okra__buf_puts(out, "), ");
		} else {
			okra__buf_puts(out, "sumIf(toFloat64(0), ");
		}
		in_window(out, y, len);
		okra__buf_puts(out, " AND ");
		okra__sql_filter(out, s, &m->filter);
		if (prop) {
			okra__buf_puts(out, " AND ");
			okra__sql_number(out, prop, NULL);
			okra__buf_puts(out, " IS NOT NULL");
		} else {
			okra__buf_puts(out, " AND 0");
		}
		okra__buf_printf(out, ") AS %s_sum, countIf(", a);
		in_window(out, y, len);
		okra__buf_puts(out, " AND ");
		okra__sql_filter(out, s, &m->filter);
		if (prop) {
			okra__buf_puts(out, " AND ");
			okra__sql_number(out, prop, NULL);
			okra__buf_puts(out, " IS NOT NULL");
		} else {
			okra__buf_puts(out, " AND 0");
		}
		okra__buf_printf(out, ") AS %s_nv", a);
	}
	okra__buf_printf(out, " FROM %s %sANY INNER JOIN (", s->events,
	                 in_op(s));
	units(out, q, users, s);
	okra__buf_printf(out, ") USING %s WHERE %s != '' AND ts < %lld AND ",
	                 col, col, t_end);
	if (retention)
		okra__buf_printf(
		    out, "ts >= (intDiv(okra_t0, " DAY_US ") - %d) * " DAY_US,
		    n2);
	else
		okra__buf_printf(out, "ts >= okra_t0 - %lld", len);
	okra__buf_printf(out, " GROUP BY %s) USING okra_e))", col);
}
