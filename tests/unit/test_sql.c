/*
 * test_sql.c - the ClickHouse SQL compiler (src/sql/) without a server:
 * literals are escaped, filters and pins name the right columns, the
 * Distributed form uses GLOBAL, and each metric type compiles to the
 * query kind the backend reads.  The answers themselves are checked
 * against the embedded engine by tests/clickhouse/ with a real server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sql/sql.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static okra_workspace *load(const char *yaml)
{
	okra_source src = {"okra.yaml", yaml, strlen(yaml)};
	okra_findings *f = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_err err = {0};
	okra_rc rc =
	    okra__workspace_from_sources("/nonexistent", &src, 1, f, &ws, &err);
	assert_int_equal(rc, OKRA_OK);
	okra_findings_free(f);
	return ws;
}

static const okra_sql_column props[] = {{"plan", true}, {"it's", false}};
static const okra_sql_column attrs[] = {{"tier", true}, {"seats", true}};

static okra_sql_schema schema(bool global)
{
	return (okra_sql_schema){.events = "`db`.`events`",
	                         .accounts = "`db`.`accounts`",
	                         .users = "`db`.`users`",
	                         .revenue = "`db`.`revenue`",
	                         .props = props,
	                         .n_props = 2,
	                         .attrs = attrs,
	                         .n_attrs = 2,
	                         .global = global};
}

/* The SQL of metric id as of 2026-03-10, unsegmented, with pin. */
static char *compile(okra_workspace *ws, const char *id, bool global,
                     const okra_where *pin, size_t n_pin, size_t q)
{
	okra_result r = {.ws = ws};
	int32_t day;
	assert_true(okra__parse_date("2026-03-10", &day));
	const char *ids[] = {id};
	okra_err err = {0};
	assert_int_equal(
	    okra__plan_build(ws, ids, 1, &day, 1, NULL, &r.plan, &err),
	    OKRA_OK);
	r.plan.pin = pin;
	r.plan.n_pin = n_pin;
	okra_sql_schema s = schema(global);
	okra_buf b = {0};
	int k = r.plan.item_of[okra__find_metric(ws, id)];
	okra__sql_item(&r, (size_t)k, q, &s, &b);
	assert_false(b.failed);
	char *out = strdup(b.data);
	okra__buf_free(&b);
	okra__plan_free(&r.plan);
	okra__arena_free(&r.arena);
	return out;
}

static const char *yaml =
    "workspace: t\n"
    "metrics:\n"
    "  - {id: c, type: count, event: \"o'neil\", where: {plan: pro, "
    "\"it's\": 3, tier: [a, 2], nothing: x}}\n"
    "  - {id: s, type: sum, property: plan, per: active}\n"
    "  - {id: f, type: conversion, anchor: created, steps: [a, b, c], "
    "within: 7d}\n"
    "  - {id: t, type: time_to, anchor: {event: a}, target: b, within: 7d, "
    "stat: p75}\n"
    "  - {id: r, type: retention, anchor: created, day: 7, entity: user}\n"
    "  - {id: h, type: threshold, measure: {ratio_to: seats, of: "
    "distinct_users}, at_least: 0.8}\n"
    "  - {id: m, type: revenue, measure: nrr}\n";

static void test_literals(void **state)
{
	(void)state;
	okra_buf b = {0};
	okra__sql_string(&b, "a'b\\c");
	okra__buf_putc(&b, ' ');
	okra__sql_ident(&b, "x`y");
	assert_string_equal(b.data, "'a\\'b\\\\c' `x\\`y`");
	okra__buf_free(&b);
}

static void test_filter(void **state)
{
	(void)state;
	okra_workspace *ws = load(yaml);
	char *sql = compile(ws, "c", false, NULL, 0, 0);
	/* names with quotes, a string against the text, a number against
	 * the number (the twin, else parsed), an attribute through the
	 * accounts, a key that names nothing matches nothing */
	assert_non_null(strstr(sql, "event IN ('o\\'neil')"));
	assert_non_null(strstr(sql, "ifNull(`plan` = 'pro', 0)"));
	assert_non_null(strstr(sql, "toFloat64OrNull(`it\\'s`)") ||
	                strstr(sql, "toFloat64OrNull(`it's`)"));
	assert_non_null(strstr(sql, "account_id IN (SELECT account_id FROM "
	                            "`db`.`accounts` WHERE (ifNull(`tier` = "
	                            "'a', 0) OR ifNull(`tier#num` = "
	                            "toFloat64(2), 0)))"));
	assert_non_null(strstr(sql, " AND 0)"));
	assert_null(strstr(sql, "GLOBAL"));
	free(sql);
	sql = compile(ws, "c", true, NULL, 0, 0);
	assert_non_null(strstr(sql, "account_id GLOBAL IN (SELECT"));
	free(sql);
	okra_workspace_free(ws);
}

static void test_pin(void **state)
{
	(void)state;
	okra_workspace *ws = load(yaml);
	okra_value v[] = {{false, 0, "2026-01"}, {true, 5, "5"}};
	okra_where pin[] = {{.key = "cohort", .values = v, .n_values = 2},
	                    {.key = "tier", .values = v + 1, .n_values = 1}};
	char *sql = compile(ws, "r", false, pin, 2, 0);
	/* a user passes on its own signup month and its account's tier */
	assert_non_null(strstr(sql, "user_id IN (SELECT user_id FROM "
	                            "`db`.`users` WHERE 1"));
	assert_non_null(strstr(sql, "IN ('(none)', '2026-01') AND created_at "
	                            "IS NOT NULL AND account_id IN (SELECT "
	                            "account_id FROM `db`.`accounts` WHERE 1 "
	                            "AND (ifNull(`tier#num` = toFloat64(5), "
	                            "0)))"));
	free(sql);
	okra_workspace_free(ws);
}

static void test_kinds(void **state)
{
	(void)state;
	okra_workspace *ws = load(yaml);
	okra_result r = {.ws = ws};
	int32_t day = 20000;
	okra_err err = {0};
	assert_int_equal(
	    okra__plan_build(ws, NULL, 0, &day, 1, NULL, &r.plan, &err),
	    OKRA_OK);
	static const struct {
		const char *id;
		size_t queries;
		okra_sql_kind kind;
		size_t columns;
	} want[] = {
	    {"c", 1, OKRA_SQL_EVENTS, 2},
	    {"s", 2, OKRA_SQL_EVENTS, 2},
	    {"f", 1, OKRA_SQL_SHARE, 5},
	    {"t", 1, OKRA_SQL_QUANTILE, 3},
	    {"r", 1, OKRA_SQL_SHARE, 2},
	    {"h", 1, OKRA_SQL_SHARE, 2},
	    {"m", 1, OKRA_SQL_REVENUE, OKRA_SQL_REVENUE_COLUMNS},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const okra_plan_item *it =
		    okra__plan_item(&r.plan, okra__find_metric(ws, want[i].id));
		assert_non_null(it);
		assert_int_equal(okra__sql_n_queries(it), want[i].queries);
		assert_int_equal(okra__sql_kind(it, 0), want[i].kind);
		assert_int_equal(okra__sql_n_columns(it, want[i].kind),
		                 want[i].columns);
	}
	const okra_plan_item *s =
	    okra__plan_item(&r.plan, okra__find_metric(ws, "s"));
	assert_int_equal(okra__sql_kind(s, 1), OKRA_SQL_PER_ACTIVE);
	okra__plan_free(&r.plan);
	okra_workspace_free(ws);
}

static void test_semantics(void **state)
{
	(void)state;
	okra_workspace *ws = load(yaml);
	/* the funnel: greedy, earliest first, a row never used twice */
	char *sql = compile(ws, "f", false, NULL, 0, 0);
	assert_non_null(strstr(sql, "NOT has(u, j)"));
	assert_null(strstr(sql, "windowFunnel"));
	free(sql);
	/* time_to: +inf without a target, interpolation at (n - 1) q */
	sql = compile(ws, "t", false, NULL, 0, 0);
	assert_non_null(strstr(sql, "inf) AS h"));
	assert_non_null(strstr(sql, "(toFloat64(length(v)) - 1) * 0.75"));
	assert_null(strstr(sql, "quantile"));
	free(sql);
	/* ratio_to: the account's number, not met without one */
	sql = compile(ws, "h", false, NULL, 0, 0);
	assert_non_null(
	    strstr(sql, "ifNull(okra_base > 0 AND x / okra_base >= "));
	assert_non_null(strstr(sql, "`seats#num` AS okra_base"));
	free(sql);
	/* revenue: a running period counts from its month on */
	sql = compile(ws, "m", false, NULL, 0, 0);
	assert_non_null(strstr(sql, "if(o = 1, x <= mm - 12, x = mm - 12)"));
	free(sql);
	okra_workspace_free(ws);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_literals),  cmocka_unit_test(test_filter),
	    cmocka_unit_test(test_pin),       cmocka_unit_test(test_kinds),
	    cmocka_unit_test(test_semantics),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
