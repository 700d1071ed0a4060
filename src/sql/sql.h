/*
 * sql.h - compiles the resolved plan to ClickHouse SQL.
 *
 * Pure: a plan item of a result (its dates, pin and segmentation, all
 * resolved by the front) and the shape of the four tables in, SQL text
 * out.  The SQL gives the answers of the metric semantics (docs/metrics.md)
 * on ClickHouse 18.16 and later: no window functions, at most one JOIN per
 * SELECT.  Every query answers rows (seg, i, values...): seg is "" for
 * everyone or "j:value" for segment `value` of the segmentation's
 * attribute j, i the index of the as-of date; rows that would hold only
 * zeros are left out.  Knows nothing of HTTP.
 */
#ifndef OKRA_SQL_H
#define OKRA_SQL_H

#include "plan/experiment.h"
#include "plan/result.h"

/* A property or attribute column: raw text (NULL = absent), and whether
 * its number sits beside it in the column `name#num`. */
typedef struct okra_sql_column {
	const char *name;
	bool has_num;
} okra_sql_column;

/* The tables a query reads. */
typedef struct okra_sql_schema {
	const char *events, *accounts, *users, *revenue; /* quoted names */
	const okra_sql_column *props;                    /* event properties */
	size_t n_props;
	const okra_sql_column *attrs; /* account attributes */
	size_t n_attrs;
	bool global; /* Distributed tables: GLOBAL IN and GLOBAL JOIN */
} okra_sql_schema;

/* What the rows of a query hold after (seg, i). */
typedef enum okra_sql_kind {
	OKRA_SQL_EVENTS = 0, /* a (sum), n (events) */
	OKRA_SQL_PER_ACTIVE, /* den: entities with any event (per: active) */
	OKRA_SQL_ACTIVE,     /* num: active entities */
	OKRA_SQL_SHARE,      /* num, den, then one column per funnel step */
	OKRA_SQL_QUANTILE,   /* v: the quantile (NULL when null), num, den */
	OKRA_SQL_REVENUE,    /* OKRA_SQL_REVENUE_COLUMNS accumulators */
} okra_sql_kind;

/* The accumulators of a revenue query, in column order. */
enum {
	OKRA_SQL_REV_MRR = 0,
	OKRA_SQL_REV_PREV_MRR,
	OKRA_SQL_REV_PAYING,
	OKRA_SQL_REV_PREV_PAYING,
	OKRA_SQL_REV_LOST_LOGOS,
	OKRA_SQL_REV_NEW,
	OKRA_SQL_REV_REACTIVATION,
	OKRA_SQL_REV_EXPANSION,
	OKRA_SQL_REV_CONTRACTION,
	OKRA_SQL_REV_CHURNED,
	OKRA_SQL_REV_BASE,
	OKRA_SQL_REV_NOW,
	OKRA_SQL_REV_KEPT,
	OKRA_SQL_REVENUE_COLUMNS
};

/* How many queries plan item k needs (0 when it scans no data: derived,
 * manual), and the kind of its query q. */
size_t okra__sql_n_queries(const okra_plan_item *it);
okra_sql_kind okra__sql_kind(const okra_plan_item *it, size_t q);
/* The value columns of a query of that kind (after seg and i). */
size_t okra__sql_n_columns(const okra_plan_item *it, okra_sql_kind kind);

/* Appends query q of r's plan item k to out (no FORMAT clause, no final
 * semicolon).  Out of memory shows in out->failed. */
void okra__sql_item(const okra_result *r, size_t k, size_t q,
                    const okra_sql_schema *s, okra_buf *out);

/* Does m have a met / not met outcome per entity (active: counted;
 * threshold, conversion, retention)? */
bool okra__sql_has_outcome(const okra_metric *m);
/* Appends the query of the four outcome counts of r's plan item k (a
 * metric with an outcome) at r->plan.outcome_day, counted in
 * r->plan.outcome_of (plan.h): one row (met, met_active, not_met,
 * not_met_active).  The pin applies, segments do not. */
void okra__sql_outcome(const okra_result *r, size_t k, const okra_sql_schema *s,
                       okra_buf *out);

/* Appends the condition "column c equals one of w's values" (a YAML
 * string against the raw text, a number numerically; absent matches
 * nothing). */
void okra__sql_match(okra_buf *out, const okra_sql_column *c,
                     const okra_where *w);

/* The column name among cols, NULL when absent. */
const okra_sql_column *okra__sql_column(const okra_sql_column *cols, size_t n,
                                        const char *name);
/* Appends the number of column c (its twin, else parsed from its text),
 * prefixed with "table." when table is not NULL. */
void okra__sql_number(okra_buf *out, const okra_sql_column *c,
                      const char *table);
/* Appends an event filter as a condition on an events row: a key that
 * names an event property means the property, else an account attribute
 * of the row's account, else nothing matches. */
void okra__sql_filter(okra_buf *out, const okra_sql_schema *s,
                      const okra_filter *f);

/* ---- sql/experiment.c: an experiment's units and outcomes ------------- */

/* The exposed entities of one kind (users: user_id, else account_id):
 * rows (id, t0, vs, nl): the first labelled exposure's instant between
 * the start and the end of q->last_day, the first two distinct variants
 * in time order, and the exposures without a variant. */
void okra__sql_exp_exposures(const okra_exp_query *q, bool users,
                             const okra_sql_schema *s, okra_buf *out);
/* Outcome k of q for the units of its metric's entity kind: rows (id, y,
 * x), y null (nan) while its window is not over by the end of D. */
void okra__sql_exp_outcome(const okra_exp_query *q, size_t k,
                           const okra_sql_schema *s, okra_buf *out);

/* Appends s as a ClickHouse string literal / a quoted identifier. */
void okra__sql_string(okra_buf *out, const char *s);
void okra__sql_ident(okra_buf *out, const char *s);

#endif
