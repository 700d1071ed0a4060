/*
 * test_format.c - numbers as JSON and people read them (src/model/format.c):
 * the shortest decimal that reads back as the same double, and the
 * human forms by unit.
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shortest_known),
	    cmocka_unit_test(test_shortest_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
