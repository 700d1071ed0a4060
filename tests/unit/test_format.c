/*
 * test_format.c - numbers as JSON and people read them (src/model/format.c):
 * the shortest decimal that reads back as the same double, and money by
 * the workspace's currency setting.
 */
/* cmocka needs these, in this order */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "model/format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *json(okra_buf *b, bool is_count, double v)
{
	b->len = 0;
	okra__json_number(b, is_count, v);
	return b->data;
}

static void test_shortest_known(void **state)
{
	(void)state;
	okra_buf b = {0};
	assert_string_equal(json(&b, false, 0.1), "0.1");
	assert_string_equal(json(&b, false, 0.3), "0.3");
	assert_string_equal(json(&b, false, 0.1 + 0.2), "0.30000000000000004");
	assert_string_equal(json(&b, false, 1.0 / 3), "0.3333333333333333");
	assert_string_equal(json(&b, false, 2.0 / 3), "0.6666666666666666");
	assert_string_equal(json(&b, false, 1841916), "1841916");
	assert_string_equal(json(&b, false, -12.5), "-12.5");
	assert_string_equal(json(&b, false, 1e21), "1e+21");
	assert_string_equal(json(&b, false, NAN), "null");
	assert_string_equal(json(&b, false, INFINITY), "null");
	/* Counts stay integers; a fractional "count" is a double. */
	assert_string_equal(json(&b, true, 1234567), "1234567");
	assert_string_equal(json(&b, true, 2.5), "2.5");
	okra__buf_free(&b);
}

/* Every text reads back as the same double, and no shorter precision
 * would: over a deterministic spread of values of every magnitude. */
static void test_shortest_round_trip(void **state)
{
	(void)state;
	uint64_t x = 0x9e3779b97f4a7c15u;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		double v;
		if (i % 2) {
			memcpy(&v, &x, sizeof(v));
			if (!isfinite(v))
				continue;
		} else {
			v = (double)(x >> 11) / 9007199254740992.0 *
			    pow(10, (int)(x % 40) - 20);
		}
		char text[32];
		okra__shortest(text, v);
		assert_true(strtod(text, NULL) == v);
		int digits = 0; /* significant: from the first nonzero */
		for (const char *p = text; *p && *p != 'e'; p++)
			digits += (digits || (*p >= '1' && *p <= '9')) &&
			          *p >= '0' && *p <= '9';
		if (digits > 15) {
			char shorter[400];
			snprintf(shorter, sizeof(shorter), "%.*g", digits - 1,
			         v);
			assert_false(strtod(shorter, NULL) == v);
		}
	}
}

static const char *money(okra_buf *b, const okra_money *mo, double v)
{
	okra_metric m = {.unit = OKRA_UNIT_CURRENCY, .money = mo};
	b->len = 0;
	okra__human(b, &m, false, v);
	return b->data;
}

/* Money: compact by default ($ and three significant digits), every
 * cent when the workspace asks, the sign before the symbol, rounding
 * that carries into the next suffix. */
static void test_money(void **state)
{
	(void)state;
	okra_buf b = {0};
	static const struct {
		double v;
		const char *compact, *full;
	} cases[] = {
	    {0, "$0", "$0.00"},
	    {0.5, "$0.50", "$0.50"},
	    {-0.001, "$0", "$0.00"},
	    {950, "$950", "$950.00"},
	    {999.99, "$999.99", "$999.99"},
	    {999.996, "$1k", "$1,000.00"},
	    {1234.5, "$1.23k", "$1,234.50"},
	    {12450, "$12.4k", "$12,450.00"},
	    {802345.67, "$802k", "$802,345.67"},
	    {999600, "$1M", "$999,600.00"},
	    {1841916, "$1.84M", "$1,841,916.00"},
	    {-1841916, "-$1.84M", "-$1,841,916.00"},
	    {-12.5, "-$12.50", "-$12.50"},
	    {2.5e9, "$2.5B", "$2,500,000,000.00"},
	    {3e12, "$3T", "$3,000,000,000,000.00"},
	    {4.2e15, "$4200T", "$4,200,000,000,000,000.00"},
	};
	okra_money full = {.full = true};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(cases); i++) {
		assert_string_equal(money(&b, NULL, cases[i].v),
		                    cases[i].compact);
		assert_string_equal(money(&b, &full, cases[i].v),
		                    cases[i].full);
	}
	okra_money euro = {.symbol = "€"}, none = {.symbol = ""};
	assert_string_equal(money(&b, &euro, 802345.67), "€802k");
	assert_string_equal(money(&b, &none, 802345.67), "802k");
	assert_string_equal(money(&b, NULL, NAN), "-");
	/* A change reads with its sign before the symbol. */
	okra_arena a = {0};
	okra_metric m = {.unit = OKRA_UNIT_CURRENCY};
	assert_string_equal(okra__fmt_delta(&a, &m, false, -1234.5), "-$1.23k");
	assert_string_equal(okra__fmt_delta(&a, &m, false, 50), "+$50");
	okra__arena_free(&a);
	okra__buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shortest_known),
	    cmocka_unit_test(test_shortest_round_trip),
	    cmocka_unit_test(test_money),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
