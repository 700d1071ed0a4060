/*
 * test_insights.c - unit tests of the statistics of okra diagnose
 * (okr/diagnose.c) and okra anomalies (okr/anomalies.c): pure functions,
 * no data.
 *
 * Every expected number is computed by hand in the comment beside it: the
 * gap by direction, an OLS slope, a Katz interval and its zero cells, the
 * score and the ranking; a median, MAD sigma and its mean-deviation
 * fallback, a flat baseline, a day with too few baseline values, and the
 * segment that explains a deviation for an additive and a share metric.
 * A property test checks that the lift's interval always holds the lift.
 */
/* cmocka.h needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "okr/anomalies.h"
#include "okr/diagnose.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-9

/* ---- diagnose ---------------------------------------------------------- */

static void test_gap(void **state)
{
	(void)state;
	/* up: (0.6 - 0.45) / 0.6 = 0.25 short; past it: negative. */
	assert_float_equal(okra__diag_gap(0.45, 0.6, OKRA_DIR_UP), 0.25, EPS);
	assert_float_equal(okra__diag_gap(0.75, 0.6, OKRA_DIR_UP), -0.25, EPS);
	/* down: a value above the benchmark is short of it: (30 - 24) / 24. */
	assert_float_equal(okra__diag_gap(30, 24, OKRA_DIR_DOWN), 0.25, EPS);
	/* |benchmark|: a negative benchmark keeps the sign of "short". */
	assert_float_equal(okra__diag_gap(-3, -2, OKRA_DIR_UP), 0.5, EPS);
	assert_true(isnan(okra__diag_gap(NAN, 0.6, OKRA_DIR_UP)));
	assert_true(isnan(okra__diag_gap(0.5, NAN, OKRA_DIR_UP)));
	assert_true(isnan(okra__diag_gap(0.5, 0, OKRA_DIR_UP)));
}

static void test_trend(void **state)
{
	(void)state;
	/* y = 2x + 1 over 8 weeks: slope 2. */
	double line[8] = {1, 3, 5, 7, 9, 11, 13, 15};
	assert_float_equal(okra__diag_trend(line, 8), 2, EPS);
	/* x = 4..7, y = 1, .75, .5, 3/7: sxy = -0.982143, sxx = 5. */
	double v[8] = {NAN, NAN, NAN, NAN, 1, 0.75, 0.5, 3.0 / 7};
	assert_float_equal(okra__diag_trend(v, 8), -0.9821428571428571 / 5,
	                   1e-12);
	/* Two values: null. */
	double two[8] = {NAN, NAN, NAN, NAN, NAN, NAN, 1, 2};
	assert_true(isnan(okra__diag_trend(two, 8)));
	/* Three equal values: slope 0. */
	double flat[3] = {4, 4, 4};
	assert_float_equal(okra__diag_trend(flat, 3), 0, EPS);
}

static void test_lift_katz(void **state)
{
	(void)state;
	double lift, lo, hi;
	/* a = 2 of m = 3, c = 2 of n = 4: (2/3)/(2/4) = 4/3; se = sqrt(1/2 -
	 * 1/3 + 1/2 - 1/4) = 0.6454972; 1.959964 se = 1.2651513. */
	okra__diag_lift(2, 3, 2, 4, &lift, &lo, &hi);
	assert_float_equal(lift, 4.0 / 3, EPS);
	assert_float_equal(lo, exp(log(4.0 / 3) - 1.2651513), 1e-6);
	assert_float_equal(hi, exp(log(4.0 / 3) + 1.2651513), 1e-6);
	assert_float_equal(lo, 0.3762621, 1e-6);
	assert_float_equal(hi, 4.7248386, 1e-6);
	/* 90 of 100 against 20 of 100: 4.5; se = sqrt(1/90 - 1/100 + 1/20 -
	 * 1/100) = 0.2027588; interval 4.5 exp(-+0.3973999). */
	okra__diag_lift(90, 100, 20, 100, &lift, &lo, &hi);
	assert_float_equal(lift, 4.5, EPS);
	assert_float_equal(lo, 4.5 * exp(-0.3973999), 1e-5);
	assert_float_equal(hi, 4.5 * exp(0.3973999), 1e-5);
	/* A zero cell, any of the four: null lift and interval. */
	double cells[4][4] = {
	    {0, 3, 2, 4}, {2, 3, 0, 4}, {0, 0, 2, 4}, {2, 3, 0, 0}};
	for (int i = 0; i < 4; i++) {
		okra__diag_lift(cells[i][0], cells[i][1], cells[i][2],
		                cells[i][3], &lift, &lo, &hi);
		assert_true(isnan(lift) && isnan(lo) && isnan(hi));
	}
	/* Everyone active on both sides: lift 1, se = 0, a point interval. */
	okra__diag_lift(5, 5, 7, 7, &lift, &lo, &hi);
	assert_float_equal(lift, 1, EPS);
	assert_float_equal(lo, 1, EPS);
	assert_float_equal(hi, 1, EPS);
}

static void test_score_rank(void **state)
{
	(void)state;
	assert_float_equal(okra__diag_score(0.5, 3), 1.0, EPS);
	assert_float_equal(okra__diag_score(-0.5, 3), 0, EPS);  /* past it */
	assert_float_equal(okra__diag_score(0.5, 0.8), 0, EPS); /* lift < 1 */
	assert_float_equal(okra__diag_score(NAN, 3), 0, EPS);
	assert_float_equal(okra__diag_score(0.5, NAN), 0, EPS);
	okra_diag_candidate c[4] = {
	    {.id = "b", .score = 0.2},
	    {.id = "z", .score = 0.9},
	    {.id = "a", .score = 0.2},
	    {.id = "c", .score = 0},
	};
	okra__diag_rank(c, 4);
	assert_string_equal(c[0].id, "z");
	assert_string_equal(c[1].id, "a"); /* ties by id */
	assert_string_equal(c[2].id, "b");
	assert_string_equal(c[3].id, "c");
}

/* The interval always holds the lift, and narrows as the counts grow. */
static void test_lift_property(void **state)
{
	(void)state;
	srand(7);
	for (int i = 0; i < 10000; i++) {
		double m = 1 + rand() % 500, n = 1 + rand() % 500;
		double a = 1 + rand() % (int)m, c = 1 + rand() % (int)n;
		double lift, lo, hi, lift2, lo2, hi2;
		okra__diag_lift(a, m, c, n, &lift, &lo, &hi);
		assert_true(lo <= lift * (1 + 1e-12) &&
		            lift <= hi * (1 + 1e-12));
		okra__diag_lift(10 * a, 10 * m, 10 * c, 10 * n, &lift2, &lo2,
		                &hi2);
		assert_float_equal(lift, lift2, 1e-9 * lift);
		assert_true(hi2 / lo2 <= hi / lo * (1 + 1e-12));
	}
}

/* ---- anomalies ---------------------------------------------------------- */

static void test_median(void **state)
{
	(void)state;
	double odd[5] = {5, 1, 4, 2, 3};
	assert_float_equal(okra__anomaly_median(odd, 5), 3, EPS);
	double even[8] = {8, 1, 7, 2, 6, 3, 5, 4};
	assert_float_equal(okra__anomaly_median(even, 8), 4.5, EPS);
	double gaps[4] = {NAN, 2, NAN, 4};
	assert_float_equal(okra__anomaly_median(gaps, 4), 3, EPS);
	double none[2] = {NAN, NAN};
	assert_true(isnan(okra__anomaly_median(none, 2)));
	/* Unchanged. */
	assert_float_equal(even[0], 8, EPS);
}

static void test_stat_mad(void **state)
{
	(void)state;
	okra_anomaly_stat st;
	/* Baseline 14 + (0, 1, -1, 2, -2, 0, 1, -1): median 14, |dev| 0 0 1 1
	 * 1 1 2 2, MAD 1, sigma 1.4826. */
	double b[8] = {14, 15, 13, 16, 12, 14, 15, 13};
	assert_true(okra__anomaly_stat(30, b, 8, 3.5, &st));
	assert_float_equal(st.median, 14, EPS);
	assert_float_equal(st.sigma, 1.4826, EPS);
	assert_float_equal(st.z, 16 / 1.4826, EPS);
	assert_float_equal(st.low, 14 - 3.5 * 1.4826, EPS);
	assert_float_equal(st.high, 14 + 3.5 * 1.4826, EPS);
	assert_float_equal(st.change, 16.0 / 14, EPS);
	assert_true(st.is_up && st.is_anomaly);
	/* Inside the band: no anomaly. */
	assert_true(okra__anomaly_stat(17, b, 8, 3.5, &st));
	assert_false(st.is_anomaly);
	/* A drop: z = -8 / 1.4826 with a baseline around 10. */
	double f[8] = {10, 11, 9, 12, 8, 10, 11, 9};
	assert_true(okra__anomaly_stat(2, f, 8, 3.5, &st));
	assert_float_equal(st.z, -8 / 1.4826, EPS);
	assert_float_equal(st.change, -0.8, EPS);
	assert_true(!st.is_up && st.is_anomaly);
	/* |z| = k exactly is no anomaly (|z| > k). */
	assert_true(okra__anomaly_stat(14 + 3.5 * 1.4826, b, 8, 3.5, &st));
	assert_false(st.is_anomaly);
}

static void test_stat_fallback(void **state)
{
	(void)state;
	okra_anomaly_stat st;
	/* 5 5 5 5 5 6 4 5: MAD 0; sigma = 1.2533 x mean |dev| = 1.2533 x
	 * 2/8 = 0.313325; 7 is z = 2 / 0.313325 = 6.3831. */
	double b[8] = {5, 5, 5, 5, 5, 6, 4, 5};
	assert_true(okra__anomaly_stat(7, b, 8, 3.5, &st));
	assert_float_equal(st.sigma, 1.2533 * 0.25, EPS);
	assert_float_equal(st.z, 2 / (1.2533 * 0.25), EPS);
	assert_true(st.is_anomaly);
}

static void test_stat_flat(void **state)
{
	(void)state;
	okra_anomaly_stat st;
	/* Every value the same: sigma 0 both ways; any other x is an anomaly
	 * with z null; med 0 leaves the change null. */
	double zero[8] = {0, 0, 0, 0, 0, 0, 0, 0};
	assert_true(okra__anomaly_stat(3, zero, 8, 3.5, &st));
	assert_float_equal(st.sigma, 0, EPS);
	assert_true(isnan(st.z) && isnan(st.change));
	assert_true(st.is_anomaly && st.is_up);
	assert_float_equal(st.low, 0, EPS);
	assert_float_equal(st.high, 0, EPS);
	/* The median itself is not. */
	assert_true(okra__anomaly_stat(0, zero, 8, 3.5, &st));
	assert_false(st.is_anomaly);
	double half[8] = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
	assert_true(okra__anomaly_stat(1, half, 8, 3.5, &st));
	assert_float_equal(st.change, 1, EPS);
}

static void test_stat_skipped(void **state)
{
	(void)state;
	okra_anomaly_stat st;
	/* 5 values: skipped; 6: checked; a null x: skipped. */
	double five[8] = {NAN, 1, 2, 3, NAN, 4, 5, NAN};
	assert_false(okra__anomaly_stat(100, five, 8, 3.5, &st));
	double six[8] = {NAN, 1, 2, 3, 6, 4, 5, NAN};
	assert_true(okra__anomaly_stat(100, six, 8, 3.5, &st));
	/* median 3.5, |dev| 2.5 1.5 .5 2.5 .5 1.5: MAD 1.5. */
	assert_float_equal(st.median, 3.5, EPS);
	assert_float_equal(st.sigma, 1.4826 * 1.5, EPS);
	double full[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	assert_false(okra__anomaly_stat(NAN, full, 8, 3.5, &st));
}

static void test_explain(void **state)
{
	(void)state;
	double share;
	/* Additive: deviation -8 of which free -2, pro -6, other +1: pro
	 * explains 75%. */
	double dev[3] = {-2, -6, 1}, z[3] = {NAN, -4, 2};
	assert_int_equal(okra__anomaly_explain(true, -8, dev, z, 3, &share), 1);
	assert_float_equal(share, 0.75, EPS);
	/* No segment of the deviation's sign: none. */
	double up[2] = {1, 2};
	assert_int_equal(okra__anomaly_explain(true, -8, up, z, 2, &share), -1);
	/* A share metric: the largest |z| of the same sign; NaN skipped, the
	 * other sign ignored however large. */
	double sdev[4] = {-0.1, -0.6, 0.3, -0.2};
	double sz[4] = {-2.0, NAN, 9.0, -6.4};
	assert_int_equal(
	    okra__anomaly_explain(false, -0.3, sdev, sz, 4, &share), 3);
	assert_true(isnan(share));
	/* No deviation: nothing to explain. */
	assert_int_equal(okra__anomaly_explain(true, 0, dev, z, 3, &share), -1);
}

/* The text of a value and its band: a share that rounds to its band's
 * edge gets more decimals; a count's band is the whole numbers inside it. */
static void test_value_band(void **state)
{
	(void)state;
	okra_metric share = {.id = "seat_pressure",
	                     .type = OKRA_METRIC_RATIO,
	                     .unit = OKRA_UNIT_PERCENT};
	okra_anomaly a = {.value = 0.13876,
	                  .st = {.median = 0.145,
	                         .sigma = 0.0016,
	                         .low = 0.13930,
	                         .high = 0.15070}};
	okra_buf v = {0}, band = {0};
	/* 13.9% would be the value's and the low bound's text alike. */
	okra__anomaly_value_band(&v, &band, &share, &a);
	assert_string_equal(v.data, "13.88%");
	assert_string_equal(band.data, "13.93%..15.07%");
	/* Apart at the usual precision: the usual text. */
	v.len = band.len = 0;
	a.value = 0.12;
	okra__anomaly_value_band(&v, &band, &share, &a);
	assert_string_equal(v.data, "12.0%");
	assert_string_equal(band.data, "13.9%..15.1%");
	/* A count: 2.2..6.6 is shown 3..6, the whole numbers inside it;
	 * rounded it would read 2..7, the value 7 as its own edge. */
	okra_metric count = {.id = "signups",
	                     .type = OKRA_METRIC_COUNT,
	                     .unit = OKRA_UNIT_COUNT};
	okra_anomaly c = {
	    .value = 7,
	    .st = {.median = 5, .sigma = 0.8, .low = 2.2, .high = 6.6}};
	v.len = band.len = 0;
	okra__anomaly_value_band(&v, &band, &count, &c);
	assert_string_equal(v.data, "7");
	assert_string_equal(band.data, "3..6");
	/* Narrower than one whole number: the bounds as they are. */
	c.st.low = 5.2;
	c.st.high = 5.8;
	v.len = band.len = 0;
	okra__anomaly_value_band(&v, &band, &count, &c);
	assert_string_equal(band.data, "5.20..5.80");
	/* Flat: the median alone. */
	c.st.sigma = 0;
	c.value = 9;
	v.len = band.len = 0;
	okra__anomaly_value_band(&v, &band, &count, &c);
	assert_string_equal(band.data, "5");
	okra__buf_free(&v);
	okra__buf_free(&band);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gap),
	    cmocka_unit_test(test_trend),
	    cmocka_unit_test(test_lift_katz),
	    cmocka_unit_test(test_score_rank),
	    cmocka_unit_test(test_lift_property),
	    cmocka_unit_test(test_median),
	    cmocka_unit_test(test_stat_mad),
	    cmocka_unit_test(test_stat_fallback),
	    cmocka_unit_test(test_stat_flat),
	    cmocka_unit_test(test_stat_skipped),
	    cmocka_unit_test(test_explain),
	    cmocka_unit_test(test_value_band),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
