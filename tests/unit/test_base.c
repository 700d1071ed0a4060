/*
 * test_base.c - unit tests of src/base: calendar days, fiscal quarters,
 * "did you mean" distances, ids, the arena and the growable buffer.
 *
 * Expected values come from outside the code under test: hand-written
 * calendars, Python's datetime for day numbers, and an independent
 * day-by-day counter for the round trip.
 */
/* cmocka.h needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "okra_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================
 * Days
 * ====================================================================== */

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_len(int y, int m)
{
	static const int len[] = {31, 28, 31, 30, 31, 30,
	                          31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

static int32_t day_of(const char *s)
{
	int32_t d = INT32_MIN;
	assert_true(okra__parse_date(s, &d));
	return d;
}

static void test_days_known_values(void **state)
{
	(void)state;
	/* Day numbers from Python: (date(y, m, d) - date(1970, 1, 1)).days */
	assert_int_equal(okra__days_from_civil(1970, 1, 1), 0);
	assert_int_equal(okra__days_from_civil(1969, 12, 31), -1);
	assert_int_equal(okra__days_from_civil(2000, 2, 29), 11016);
	assert_int_equal(okra__days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(okra__days_from_civil(2024, 2, 29), 19782);
	assert_int_equal(okra__days_from_civil(2026, 10, 5), 20731);
	assert_int_equal(okra__days_from_civil(2038, 1, 19), 24855);
	assert_int_equal(okra__days_from_civil(2100, 3, 1), 47541);
	assert_int_equal(okra__days_from_civil(2400, 12, 31), 157419);

	int y, m, d;
	okra__civil_from_days(-1, &y, &m, &d);
	assert_int_equal(y, 1969);
	assert_int_equal(m, 12);
	assert_int_equal(d, 31);
	okra__civil_from_days(11016, &y, &m, &d);
	assert_int_equal(y, 2000);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
}

/* Walks every day from 1970-01-01 to 2400-12-31 with an independent
 * calendar counter: both conversions must agree with it on every day,
 * leap days (1972, 2000, 2400) and skipped ones (2100, 2200, 2300) included. */
static void test_days_round_trip_1970_2400(void **state)
{
	(void)state;
	int y = 1970, m = 1, d = 1;
	int32_t day = 0;
	int leap_days = 0;
	for (; y <= 2400; day++) {
		int cy, cm, cd;
		okra__civil_from_days(day, &cy, &cm, &cd);
		if (cy != y || cm != m || cd != d)
			fail_msg("civil_from_days(%d) = %04d-%02d-%02d, "
			         "expected %04d-%02d-%02d",
			         (int)day, cy, cm, cd, y, m, d);
		int32_t back = okra__days_from_civil(y, m, d);
		if (back != day)
			fail_msg(
			    "days_from_civil(%04d-%02d-%02d) = %d, expected %d",
			    y, m, d, (int)back, (int)day);
		leap_days += m == 2 && d == 29;
		if (++d > month_len(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	assert_int_equal(day, 157420); /* 2401-01-01 */
	/* 1972..2400 step 4 is 108 years, minus 2100, 2200, 2300. */
	assert_int_equal(leap_days, 105);
}

static void test_parse_date(void **state)
{
	(void)state;
	assert_int_equal(day_of("1970-01-01"), 0);
	assert_int_equal(day_of("2026-10-05"), 20731);
	assert_int_equal(day_of("2400-12-31"), 157419);
	assert_int_equal(day_of("2026-01-31"),
	                 okra__days_from_civil(2026, 1, 31));
	assert_int_equal(day_of("2026-04-30"),
	                 okra__days_from_civil(2026, 4, 30));

	/* Feb 29 in leap years: every 4th, not 100th, but 400th. */
	assert_int_equal(day_of("2024-02-29"), 19782);
	assert_int_equal(day_of("2000-02-29"), 11016);
	assert_int_equal(day_of("2400-02-29"),
	                 okra__days_from_civil(2400, 2, 29));
	static const char *const bad[] = {
	    "2023-02-29",
	    "2100-02-29",
	    "1900-02-29",
	    "2026-02-30",
	    "2026-04-31",
	    "2026-13-01",
	    "2026-00-10",
	    "2026-01-00",
	    "2026-01-32",
	    "",
	    "2026",
	    "2026-10",
	    "abcd-ef-gh",
	    "2026/10/05",
	    "2026-1-05",
	    "2026-10-5",
	    "26-10-05",
	    "2026-10-05x",
	    "2026-10-05 ",
	    " 2026-10-05",
	    "2026-10-05T00:00:00Z",
	    "+2026-10-05",
	    "2026--10-5",
	    "2026-1a-05",
	    "1969-12-31", /* before the epoch: no data can be that old */
	};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(bad); i++) {
		int32_t d = 12345;
		if (okra__parse_date(bad[i], &d))
			fail_msg("\"%s\" parsed as a date", bad[i]);
		/* Out-parameters are set only on success. */
		assert_int_equal(d, 12345);
	}
}

static void test_format_date(void **state)
{
	(void)state;
	char out[11];
	okra__format_date(0, out);
	assert_string_equal(out, "1970-01-01");
	okra__format_date(20731, out);
	assert_string_equal(out, "2026-10-05");
	okra__format_date(19782, out);
	assert_string_equal(out, "2024-02-29");
	for (int32_t d = 0; d < 157420; d += 97) {
		okra__format_date(d, out);
		assert_int_equal(day_of(out), d);
	}
}

static void test_weekday(void **state)
{
	(void)state;
	/* 0 = Monday .. 6 = Sunday (Python's date.weekday()). */
	assert_int_equal(okra__weekday(0), 3);  /* 1970-01-01 Thursday */
	assert_int_equal(okra__weekday(-1), 2); /* 1969-12-31 Wednesday */
	assert_int_equal(okra__weekday(-7), 3);
	assert_int_equal(okra__weekday(-8), 2);
	assert_int_equal(okra__weekday(20731), 0);  /* 2026-10-05 Monday */
	assert_int_equal(okra__weekday(11016), 1);  /* 2000-02-29 Tuesday */
	assert_int_equal(okra__weekday(157419), 6); /* 2400-12-31 Sunday */
	for (int32_t d = -30; d < 3000; d++) {
		int w = okra__weekday(d);
		assert_in_range(w, 0, 6);
		assert_int_equal(okra__weekday(d + 1), (w + 1) % 7);
	}
}

/* ======================================================================
 * Fiscal quarters
 * ====================================================================== */

static okra_quarter quarter(const char *s, int start)
{
	okra_quarter q;
	memset(&q, 0, sizeof(q));
	if (!okra__parse_quarter(s, start, &q))
		fail_msg("\"%s\" (start month %d) did not parse", s, start);
	return q;
}

static void expect_quarter(const char *s, int start, const char *first,
                           const char *last)
{
	okra_quarter q = quarter(s, start);
	char f[11], l[11];
	okra__format_date(q.first, f);
	okra__format_date(q.last, l);
	if (strcmp(f, first) != 0 || strcmp(l, last) != 0)
		fail_msg(
		    "%s with start month %d is %s .. %s, expected %s .. %s", s,
		    start, f, l, first, last);
}

/* Hand-written calendars.  FY Y ends in calendar year Y. */
static void test_quarter_calendars(void **state)
{
	(void)state;
	expect_quarter("2026-Q1", 1, "2026-01-01", "2026-03-31");
	expect_quarter("2026-Q2", 1, "2026-04-01", "2026-06-30");
	expect_quarter("2026-Q3", 1, "2026-07-01", "2026-09-30");
	expect_quarter("2026-Q4", 1, "2026-10-01", "2026-12-31");
	expect_quarter("2024-Q1", 1, "2024-01-01", "2024-03-31"); /* 91 days */

	expect_quarter("2026-Q1", 2, "2025-02-01", "2025-04-30");
	expect_quarter("2026-Q2", 2, "2025-05-01", "2025-07-31");
	expect_quarter("2026-Q3", 2, "2025-08-01", "2025-10-31");
	expect_quarter("2026-Q4", 2, "2025-11-01", "2026-01-31");

	expect_quarter("2026-Q1", 4, "2025-04-01", "2025-06-30");
	expect_quarter("2026-Q2", 4, "2025-07-01", "2025-09-30");
	expect_quarter("2026-Q3", 4, "2025-10-01", "2025-12-31");
	expect_quarter("2026-Q4", 4, "2026-01-01", "2026-03-31");

	expect_quarter("2026-Q1", 7, "2025-07-01", "2025-09-30");
	expect_quarter("2026-Q2", 7, "2025-10-01", "2025-12-31");
	expect_quarter("2026-Q3", 7, "2026-01-01", "2026-03-31");
	expect_quarter("2026-Q4", 7, "2026-04-01", "2026-06-30");

	expect_quarter("2026-Q1", 10, "2025-10-01", "2025-12-31");
	expect_quarter("2026-Q2", 10, "2026-01-01", "2026-03-31");
	expect_quarter("2026-Q3", 10, "2026-04-01", "2026-06-30");
	expect_quarter("2026-Q4", 10, "2026-07-01", "2026-09-30");

	expect_quarter("2026-Q1", 12, "2025-12-01", "2026-02-28");
	expect_quarter("2026-Q2", 12, "2026-03-01", "2026-05-31");
	expect_quarter("2026-Q3", 12, "2026-06-01", "2026-08-31");
	expect_quarter("2026-Q4", 12, "2026-09-01", "2026-11-30");
	expect_quarter("2024-Q1", 12, "2023-12-01", "2024-02-29"); /* leap */

	/* The year and quarter are kept as written; lowercase q is accepted. */
	okra_quarter q = quarter("2026-q3", 7);
	assert_int_equal(q.year, 2026);
	assert_int_equal(q.q, 3);
	assert_int_equal(q.first, day_of("2026-01-01"));
}

static const int start_months[] = {1, 2, 4, 7, 10, 12};

/* Checks fiscal quarter qn of fiscal year fy for one start month: 89..92
 * days, from the 1st of a month to the last of one, Q1 on the 1st of the
 * start month, each quarter right after the previous one (*prev_last), Q4
 * ending in calendar year fy and right before the next year's Q1, and
 * quarter_of mapping the first, a middle and the last day back to it. */
static void check_quarter(int start, int fy, int qn, int32_t *prev_last)
{
	char text[16];
	snprintf(text, sizeof(text), "%04d-Q%d", fy, qn);
	okra_quarter q = quarter(text, start);
	assert_int_equal(q.year, fy);
	assert_int_equal(q.q, qn);
	int len = q.last - q.first + 1;
	if (len < 89 || len > 92)
		fail_msg("%s (start %d) has %d days", text, start, len);
	int y, m, d;
	okra__civil_from_days(q.first, &y, &m, &d);
	assert_int_equal(d, 1);
	assert_int_equal(m, (start - 1 + 3 * (qn - 1)) % 12 + 1);
	if (qn == 1) {
		assert_int_equal(m, start);
		assert_int_equal(y, start == 1 ? fy : fy - 1);
	} else {
		assert_int_equal(q.first, *prev_last + 1);
	}
	okra__civil_from_days(q.last + 1, &y, &m, &d);
	assert_int_equal(d, 1); /* the last day ends a month */
	if (qn == 4) {
		okra__civil_from_days(q.last, &y, &m, &d);
		assert_int_equal(y, fy); /* FY Y ends in calendar year Y */
		char next[16];
		snprintf(next, sizeof(next), "%04d-Q1", fy + 1);
		assert_int_equal(q.last + 1, quarter(next, start).first);
	}
	*prev_last = q.last;
	int32_t probes[] = {q.first, q.first + len / 2, q.last};
	for (size_t k = 0; k < OKRA_ARRAY_LEN(probes); k++) {
		okra_quarter of = okra__quarter_of(probes[k], start);
		if (of.year != fy || of.q != qn || of.first != q.first ||
		    of.last != q.last)
			fail_msg(
			    "quarter_of(day %d, start %d) = %d-Q%d, not %s",
			    (int)probes[k], start, of.year, of.q, text);
	}
}

static void test_quarter_properties(void **state)
{
	(void)state;
	for (size_t s = 0; s < OKRA_ARRAY_LEN(start_months); s++)
		for (int fy = 1972; fy <= 2399; fy++) {
			int32_t prev_last = 0;
			for (int qn = 1; qn <= 4; qn++)
				check_quarter(start_months[s], fy, qn,
				              &prev_last);
		}
}

/* Every day lies inside the quarter quarter_of gives it. */
static void test_quarter_of_every_day(void **state)
{
	(void)state;
	for (size_t s = 0; s < OKRA_ARRAY_LEN(start_months); s++)
		for (int32_t day = day_of("2019-01-01");
		     day <= day_of("2031-12-31"); day++) {
			okra_quarter q = okra__quarter_of(day, start_months[s]);
			assert_true(q.first <= day && day <= q.last);
			assert_in_range(q.q, 1, 4);
		}
	/* Spot checks across the fiscal year boundary. */
	okra_quarter q = okra__quarter_of(day_of("2025-06-30"), 7);
	assert_int_equal(q.year, 2025);
	assert_int_equal(q.q, 4);
	q = okra__quarter_of(day_of("2025-07-01"), 7);
	assert_int_equal(q.year, 2026);
	assert_int_equal(q.q, 1);
	q = okra__quarter_of(day_of("2025-12-01"), 12);
	assert_int_equal(q.year, 2026);
	assert_int_equal(q.q, 1);
	q = okra__quarter_of(day_of("2025-11-30"), 12);
	assert_int_equal(q.year, 2025);
	assert_int_equal(q.q, 4);
	q = okra__quarter_of(day_of("2026-12-31"), 1);
	assert_int_equal(q.year, 2026);
	assert_int_equal(q.q, 4);
	q = okra__quarter_of(day_of("2026-01-31"), 2);
	assert_int_equal(q.year, 2026);
	assert_int_equal(q.q, 4);
	q = okra__quarter_of(day_of("2026-02-01"), 2);
	assert_int_equal(q.year, 2027);
	assert_int_equal(q.q, 1);
}

static void test_parse_quarter_rejects(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "2026-Q5",  "2026-Q0",  "Q4",      "2026Q4",  "2026-Q4x",
	    "2026-Q",   "26-Q4",    "",        "2026-W4", "2026-Q44",
	    " 2026-Q4", "2026-Q4 ", "abcd-Q1", "2026 Q4", "2026-4",
	};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(bad); i++) {
		okra_quarter q = {.year = -7};
		if (okra__parse_quarter(bad[i], 1, &q))
			fail_msg("\"%s\" parsed as a quarter", bad[i]);
		assert_int_equal(q.year, -7); /* untouched on failure */
	}
}

/* ======================================================================
 * Strings
 * ====================================================================== */

static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(okra__edit_distance("kitten", "sitting", 5), 3);
	assert_int_equal(okra__edit_distance("sitting", "kitten", 5), 3);
	assert_int_equal(okra__edit_distance("flaw", "lawn", 5), 2);
	assert_int_equal(okra__edit_distance("", "abc", 5), 3);
	assert_int_equal(okra__edit_distance("abc", "", 5), 3);
	assert_int_equal(okra__edit_distance("", "", 5), 0);
	assert_int_equal(okra__edit_distance("signup_rate", "signup_rate", 3),
	                 0);
	assert_int_equal(okra__edit_distance("signup_rat", "signup_rate", 3),
	                 1);
	assert_int_equal(okra__edit_distance("windw", "window", 3), 1);
	/* An adjacent transposition is one edit ("teir" for "tier"). */
	assert_int_equal(okra__edit_distance("ab", "ba", 3), 1);
	assert_int_equal(okra__edit_distance("teir", "tier", 3), 1);
	assert_int_equal(okra__edit_distance("ca", "abc", 3), 3);
	/* Past the cap the answer is cap + 1, however far it really is. */
	assert_int_equal(okra__edit_distance("abcdef", "uvwxyz", 2), 3);
	assert_int_equal(okra__edit_distance("a", "abcdefgh", 3), 4);
	assert_int_equal(okra__edit_distance("kitten", "sitting", 3), 3);
	assert_int_equal(okra__edit_distance("kitten", "sitting", 2), 3);
	/* Long strings (past 64 bytes) only compare equal or not. */
	char a[100], b[100];
	memset(a, 'x', 99);
	a[99] = '\0';
	memcpy(b, a, sizeof(b));
	assert_int_equal(okra__edit_distance(a, b, 4), 0);
	b[50] = 'y';
	assert_int_equal(okra__edit_distance(a, b, 4), 5);
	/* 64 bytes is still measured. */
	char c[65], e[65];
	memset(c, 'q', 64);
	c[64] = '\0';
	memcpy(e, c, sizeof(e));
	e[63] = 'r';
	assert_int_equal(okra__edit_distance(c, e, 4), 1);
}

static void test_nearest(void **state)
{
	(void)state;
	static const char *const ids[] = {
	    "signup_rate", "activation_rate", NULL, "churn", "nrr", "window",
	};
	size_t n = OKRA_ARRAY_LEN(ids);
	assert_string_equal(okra__nearest("signup_rat", ids, n), "signup_rate");
	assert_string_equal(okra__nearest("activaton_rate", ids, n),
	                    "activation_rate");
	assert_string_equal(okra__nearest("windw", ids, n), "window");
	assert_string_equal(okra__nearest("nr", ids, n), "nrr");
	assert_string_equal(okra__nearest("churn", ids, n), "churn");
	assert_null(okra__nearest("revenue", ids, n));
	assert_null(okra__nearest("xyz", ids, n));
	assert_null(okra__nearest("signup_rate", ids, 0));
	/* About a third of the typed word may be wrong, at least one edit. */
	static const char *const w[] = {"window"};
	assert_string_equal(okra__nearest("wndow", w, 1),
	                    "window");            /* 1 of 5 */
	assert_null(okra__nearest("wndw", w, 1)); /* 2 of 4 */
	assert_string_equal(okra__nearest("wndows", w, 1),
	                    "window");             /* 2 of 6 */
	assert_null(okra__nearest("wndos", w, 1)); /* 2 of 5 */
	assert_null(okra__nearest("wnd", w, 1));
	/* The closest wins over an earlier, farther one. */
	static const char *const two[] = {"retention_d30", "retention_d3"};
	assert_string_equal(okra__nearest("retention_d3", two, 2),
	                    "retention_d3");
	/* The cap stays at 4 edits even for long words. */
	static const char *const longer[] = {"weekly_engaged_accounts_total"};
	assert_string_equal(
	    okra__nearest("weekly_engagd_acounts_totl", longer, 1),
	    "weekly_engaged_accounts_total");
	assert_null(okra__nearest("wkly_engagd_acounts_totl", longer, 1));
}

static void test_is_id(void **state)
{
	(void)state;
	static const char *const good[] = {
	    "a", "signup_rate", "retention_d30", "a1", "a_", "x__y", "nrr",
	};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(good); i++)
		if (!okra__is_id(good[i]))
			fail_msg("\"%s\" should be an id", good[i]);
	static const char *const bad[] = {
	    "",   "Signup", "signup-rate", "Signup-Rate", "1abc",
	    "_a", "a b",    "a.b",         "a\xc3\xa9",   "aB",
	    " a", "a ",     "-",           "a/b",
	};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(bad); i++)
		if (okra__is_id(bad[i]))
			fail_msg("\"%s\" should not be an id", bad[i]);
}

/* ======================================================================
 * Arena
 * ====================================================================== */

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Thousands of small allocations of mixed sizes: aligned, zeroed, and
 * disjoint (each is filled with its own byte and checked at the end). */
static void test_arena_many(void **state)
{
	(void)state;
	okra_arena a = {0};
	enum { N = 20000 };
	unsigned char **ptrs = calloc(N, sizeof(*ptrs));
	size_t *sizes = calloc(N, sizeof(*sizes));
	assert_non_null(ptrs);
	assert_non_null(sizes);
	for (size_t i = 0; i < N; i++) {
		sizes[i] = 1 + (i * 7919) % 300;
		ptrs[i] = okra__arena_alloc(&a, sizes[i]);
		assert_non_null(ptrs[i]);
		assert_int_equal((uintptr_t)ptrs[i] % 16, 0);
		assert_true(all_zero(ptrs[i], sizes[i]));
		memset(ptrs[i], (int)(i % 251) + 1, sizes[i]);
	}
	for (size_t i = 0; i < N; i++)
		for (size_t k = 0; k < sizes[i]; k++)
			if (ptrs[i][k] != (unsigned char)(i % 251 + 1))
				fail_msg("allocation %zu was overwritten", i);
	assert_false(a.failed);
	free(ptrs);
	free(sizes);
	okra__arena_free(&a);
	assert_null(a.head);
	assert_false(a.failed);
}

static void test_arena_big(void **state)
{
	(void)state;
	okra_arena a = {0};
	unsigned char *small1 = okra__arena_alloc(&a, 24);
	assert_non_null(small1);
	memset(small1, 0xAB, 24);
	/* Bigger than a block, and bigger than many blocks. */
	static const size_t big_sizes[] = {65536, 65537, 1u << 20, 3u << 20,
	                                   100000};
	unsigned char *big[OKRA_ARRAY_LEN(big_sizes)];
	for (size_t i = 0; i < OKRA_ARRAY_LEN(big_sizes); i++) {
		big[i] = okra__arena_alloc(&a, big_sizes[i]);
		assert_non_null(big[i]);
		assert_int_equal((uintptr_t)big[i] % 16, 0);
		assert_true(all_zero(big[i], big_sizes[i]));
		memset(big[i], (int)i + 1, big_sizes[i]);
	}
	/* Small requests after the big ones still work and stay disjoint. */
	unsigned char *small2 = okra__arena_alloc(&a, 40);
	assert_non_null(small2);
	assert_int_equal((uintptr_t)small2 % 16, 0);
	assert_true(all_zero(small2, 40));
	memset(small2, 0xCD, 40);
	for (size_t i = 0; i < OKRA_ARRAY_LEN(big_sizes); i++) {
		assert_int_equal(big[i][0], i + 1);
		assert_int_equal(big[i][big_sizes[i] - 1], i + 1);
	}
	for (size_t k = 0; k < 24; k++)
		assert_int_equal(small1[k], 0xAB);
	/* Zero bytes is a valid request. */
	void *none = okra__arena_alloc(&a, 0);
	(void)none;
	assert_false(a.failed);
	okra__arena_free(&a);
}

static void test_arena_strings(void **state)
{
	(void)state;
	okra_arena a = {0};
	char *s = okra__arena_strndup(&a, "signup_rate and more", 11);
	assert_string_equal(s, "signup_rate");
	assert_string_equal(okra__arena_strdup(&a, "churn"), "churn");
	assert_null(okra__arena_strdup(&a, NULL));
	assert_string_equal(okra__arena_strdup(&a, ""), "");
	char *p = okra__arena_printf(&a, "%s:%d:%d", "okra.yaml", 12, 7);
	assert_string_equal(p, "okra.yaml:12:7");
	char longer[5000];
	memset(longer, 'z', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	p = okra__arena_printf(&a, "<%s>", longer);
	assert_int_equal(strlen(p), sizeof(longer) + 1);
	assert_int_equal(p[0], '<');
	assert_int_equal(p[sizeof(longer)], '>');
	okra__arena_free(&a);
}

static void test_arena_failure_is_sticky(void **state)
{
	(void)state;
	okra_arena a = {0};
	assert_non_null(okra__arena_alloc(&a, 8));
	a.failed = true;
	assert_null(okra__arena_alloc(&a, 8));
	assert_null(okra__arena_strdup(&a, "x"));
	assert_null(okra__arena_printf(&a, "%d", 1));
	assert_true(a.failed);
	okra__arena_free(&a);
	assert_false(a.failed);
	assert_non_null(okra__arena_alloc(&a, 8));
	okra__arena_free(&a);
}

/* ======================================================================
 * Buffer
 * ====================================================================== */

static void test_buf_growth(void **state)
{
	(void)state;
	okra_buf b = {0};
	for (int i = 0; i < 100000; i++)
		okra__buf_putc(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 100000);
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[b.len], '\0');
	for (int i = 0; i < 100000; i++)
		if (b.data[i] != (char)('a' + i % 26))
			fail_msg("byte %d is wrong", i);
	okra__buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);

	okra__buf_puts(&b, "");
	assert_int_equal(b.len, 0);
	okra__buf_puts(&b, "key ");
	okra__buf_append(&b, "result!!", 6);
	assert_string_equal(b.data, "key result");
	assert_int_equal(b.len, 10);
	/* One append much larger than the capacity. */
	char chunk[70000];
	memset(chunk, 'k', sizeof(chunk));
	okra__buf_append(&b, chunk, sizeof(chunk));
	assert_int_equal(b.len, 10 + sizeof(chunk));
	assert_memory_equal(b.data, "key result", 10);
	assert_int_equal(b.data[b.len - 1], 'k');
	assert_int_equal(b.data[b.len], '\0');
	assert_false(b.failed);
	okra__buf_free(&b);
}

static void vformat(okra_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	okra__buf_vprintf(b, fmt, ap);
	va_end(ap);
}

static void test_buf_printf(void **state)
{
	(void)state;
	okra_buf b = {0};
	okra__buf_printf(&b, "%s:%d:%d: ", "okrs/q4.yaml", 12, 7);
	okra__buf_printf(&b, "%.2f", 0.126);
	assert_string_equal(b.data, "okrs/q4.yaml:12:7: 0.13");
	vformat(&b, " [%s]", "ref-unknown");
	assert_string_equal(b.data, "okrs/q4.yaml:12:7: 0.13 [ref-unknown]");
	okra__buf_free(&b);

	/* Output longer than the first allocation. */
	for (int i = 0; i < 1000; i++)
		okra__buf_printf(&b, "%04d,", i);
	assert_int_equal(b.len, 5000);
	assert_memory_equal(b.data, "0000,0001,", 10);
	assert_memory_equal(b.data + 4995, "0999,", 5);
	char wide[3000];
	memset(wide, 'w', sizeof(wide) - 1);
	wide[sizeof(wide) - 1] = '\0';
	okra__buf_printf(&b, "[%s]", wide);
	assert_int_equal(b.len, 5000 + 3001);
	assert_int_equal(b.data[b.len - 1], ']');
	assert_int_equal(b.data[b.len], '\0');
	okra__buf_free(&b);
}

static char *json(const char *s)
{
	okra_buf b = {0};
	okra__buf_json_str(&b, s);
	assert_false(b.failed);
	return b.data;
}

static void expect_json(const char *in, const char *want)
{
	char *got = json(in);
	assert_string_equal(got, want);
	free(got);
}

static void test_buf_json_str(void **state)
{
	(void)state;
	expect_json("", "\"\"");
	expect_json("signup_rate", "\"signup_rate\"");
	expect_json("say \"hi\"", "\"say \\\"hi\\\"\"");
	expect_json("C:\\data\\x", "\"C:\\\\data\\\\x\"");
	expect_json("a\nb\rc\td", "\"a\\nb\\rc\\td\"");
	expect_json("\x01\x1f", "\"\\u0001\\u001f\"");
	expect_json("\x08\x0c", "\"\\u0008\\u000c\"");
	expect_json("\x7f", "\"\x7f\""); /* DEL is not a control char in JSON */
	expect_json("caf\xc3\xa9 \xe2\x86\x92", "\"caf\xc3\xa9 \xe2\x86\x92\"");
	expect_json("</script>", "\"</script>\"");
	/* Appends to what is there. */
	okra_buf b = {0};
	okra__buf_puts(&b, "{\"message\":");
	okra__buf_json_str(&b, "unknown key \"windw\"");
	okra__buf_putc(&b, '}');
	assert_string_equal(b.data,
	                    "{\"message\":\"unknown key \\\"windw\\\"\"}");
	okra__buf_free(&b);
}

static void test_buf_failure_is_sticky(void **state)
{
	(void)state;
	okra_buf b = {0};
	okra__buf_puts(&b, "kept");
	b.failed = true;
	okra__buf_puts(&b, " lost");
	okra__buf_printf(&b, "%d", 42);
	okra__buf_json_str(&b, "x");
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "kept");
	okra__buf_free(&b);
	assert_false(b.failed);
}

static void test_utf8_offset_and_width(void **state)
{
	(void)state;
	/* The offset of the first bad byte, after a valid prefix. */
	assert_int_equal(okra__utf8_invalid_at("abc", 3), 3);
	assert_int_equal(okra__utf8_invalid_at("ab\xC3\xA9\xFF"
	                                       "cd",
	                                       7),
	                 4);
	assert_int_equal(okra__utf8_invalid_at("abcdefgh\xC0\x80", 10), 8);
	assert_int_equal(okra__utf8_invalid_at("\xED\xA0\x80", 3), 0);
	assert_int_equal(okra__utf8_invalid_at("x\xE2\x82", 3), 1);
	/* Display width: characters, not bytes; escapes are not seen. */
	assert_int_equal(okra__text_width(NULL), 0);
	assert_int_equal(okra__text_width("caf\xC3\xA9"), 4);
	assert_int_equal(okra__text_width("\x1b[32m\xE2\x96\xB2 up\x1b[0m"), 4);
	okra_buf b = {0};
	okra__buf_pad(&b, "\xC3\xA9", 3, true);
	okra__buf_pad(&b, NULL, 2, false);
	okra__buf_pad(&b, "long", 2, false);
	assert_false(b.failed);
	assert_string_equal(b.data, "  \xC3\xA9  long");
	okra__buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_days_known_values),
	    cmocka_unit_test(test_days_round_trip_1970_2400),
	    cmocka_unit_test(test_parse_date),
	    cmocka_unit_test(test_format_date),
	    cmocka_unit_test(test_weekday),
	    cmocka_unit_test(test_quarter_calendars),
	    cmocka_unit_test(test_quarter_properties),
	    cmocka_unit_test(test_quarter_of_every_day),
	    cmocka_unit_test(test_parse_quarter_rejects),
	    cmocka_unit_test(test_edit_distance),
	    cmocka_unit_test(test_nearest),
	    cmocka_unit_test(test_is_id),
	    cmocka_unit_test(test_arena_many),
	    cmocka_unit_test(test_arena_big),
	    cmocka_unit_test(test_arena_strings),
	    cmocka_unit_test(test_arena_failure_is_sticky),
	    cmocka_unit_test(test_buf_growth),
	    cmocka_unit_test(test_buf_printf),
	    cmocka_unit_test(test_buf_json_str),
	    cmocka_unit_test(test_buf_failure_is_sticky),
	    cmocka_unit_test(test_utf8_offset_and_width),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
