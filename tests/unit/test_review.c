/*
 * test_review.c - unit tests of the key result arithmetic (review/kr.c):
 * trajectory, progress, gap, lights at their thresholds, score, the
 * kinds, as-of days outside the quarter, and the least-squares forecast
 * against values worked out by hand.
 */
/* cmocka.h needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "review/review.h"

#include <math.h>

#define EPS 1e-9

/* A 100-day quarter [0, 99]; as of day 49 half of it has gone. */
static okra_kr_input move(double baseline, double target, double current,
                          int32_t asof)
{
	return (okra_kr_input){.kind = OKRA_KR_MOVE,
	                       .baseline = baseline,
	                       .target = target,
	                       .current = current,
	                       .q0 = 0,
	                       .q1 = 99,
	                       .asof = asof,
	                       .yellow_gap = 0.10,
	                       .red_gap = 0.25};
}

static okra_kr_eval assess(okra_kr_input in)
{
	okra_kr_eval k = {0};
	okra__kr_assess(&in, &k);
	return k;
}

static void test_on_track_is_green(void **state)
{
	okra_kr_eval k = assess(move(10, 20, 15, 49));
	assert_true(fabs(k.elapsed - 0.5) < EPS);
	assert_true(fabs(k.expected - 15) < EPS);
	assert_true(fabs(k.progress - 0.5) < EPS);
	assert_true(fabs(k.gap) < EPS);
	assert_true(fabs(k.score - 0.5) < EPS);
	assert_int_equal(k.light, OKRA_LIGHT_GREEN);
}

static void test_light_thresholds(void **state)
{
	/* gap = p - 0.5; the thresholds belong to the better light. */
	assert_int_equal(assess(move(0, 8, 3.2, 49)).light,
	                 OKRA_LIGHT_GREEN); /* -0.10 */
	assert_int_equal(assess(move(0, 8, 3.0, 49)).light,
	                 OKRA_LIGHT_YELLOW); /* -0.125 */
	assert_int_equal(assess(move(0, 8, 2.0, 49)).light,
	                 OKRA_LIGHT_YELLOW); /* -0.25 */
	assert_int_equal(assess(move(0, 8, 1.9, 49)).light,
	                 OKRA_LIGHT_RED); /* -0.2625 */
	assert_int_equal(assess(move(0, 8, 8.0, 49)).light,
	                 OKRA_LIGHT_DONE); /* p = 1 */
	okra_kr_eval over = assess(move(0, 8, 12, 49));
	assert_int_equal(over.light, OKRA_LIGHT_DONE);
	assert_true(fabs(over.score - 1.0) < EPS); /* clamped */
	okra_kr_eval under = assess(move(10, 20, 5, 49));
	assert_true(fabs(under.progress + 0.5) < EPS);
	assert_true(fabs(under.score) < EPS); /* clamped */
	assert_int_equal(under.light, OKRA_LIGHT_RED);
}

static void test_decreasing(void **state)
{
	/* 24.1 h -> 17.1 h; 20.6 h halfway is exactly on the line. */
	okra_kr_eval k = assess(move(24.1, 17.1, 20.6, 49));
	assert_true(k.decreasing);
	assert_true(fabs(k.progress - 0.5) < 1e-12);
	assert_true(fabs(k.expected - 20.6) < 1e-12);
	assert_int_equal(k.light, OKRA_LIGHT_GREEN);
	assert_int_equal(assess(move(24.1, 17.1, 17.0, 49)).light,
	                 OKRA_LIGHT_DONE);
	assert_int_equal(assess(move(24.1, 17.1, 25.0, 49)).light,
	                 OKRA_LIGHT_RED);
}

static void test_score_two_decimals(void **state)
{
	okra_kr_eval k = assess(move(0, 3, 1, 99)); /* p = 0.3333 */
	assert_true(fabs(k.score - 0.33) < EPS);
	assert_true(fabs(k.progress - 1.0 / 3) < EPS);
}

static void test_target_equals_baseline(void **state)
{
	okra_kr_eval k = assess(move(5, 5, 6, 49));
	assert_true(isnan(k.progress));
	assert_true(isnan(k.gap));
	assert_int_equal(k.light, OKRA_LIGHT_DONE);
	assert_true(fabs(k.score - 1) < EPS);
	k = assess(move(5, 5, 4, 49));
	assert_int_equal(k.light, OKRA_LIGHT_RED);
	assert_true(fabs(k.score) < EPS);
	/* A metric whose direction is down is done at or below the target. */
	okra_kr_input in = move(5, 5, 4, 49);
	in.metric_down = true;
	assert_int_equal(assess(in).light, OKRA_LIGHT_DONE);
}

static void test_asof_outside_quarter(void **state)
{
	okra_kr_eval before = assess(move(10, 20, 11, -30));
	assert_true(fabs(before.elapsed) < EPS);
	assert_true(fabs(before.expected - 10) < EPS);
	assert_true(fabs(before.gap - 0.1) < EPS);
	assert_int_equal(before.light, OKRA_LIGHT_GREEN);
	okra_kr_eval after = assess(move(10, 20, 18, 200));
	assert_true(fabs(after.elapsed - 1) < EPS);
	assert_true(fabs(after.expected - 20) < EPS);
	assert_int_equal(after.light, OKRA_LIGHT_YELLOW); /* gap -0.2 */
	assert_int_equal(assess(move(10, 20, 17, 200)).light, OKRA_LIGHT_RED);
	/* The first day of the quarter counts as one day gone. */
	okra_kr_eval first = assess(move(10, 20, 10, 0));
	assert_true(fabs(first.elapsed - 0.01) < EPS);
}

static void test_no_data(void **state)
{
	okra_kr_eval k = assess(move(10, 20, NAN, 49));
	assert_int_equal(k.light, OKRA_LIGHT_NO_DATA);
	assert_true(isnan(k.score) && isnan(k.progress) && isnan(k.gap));
	k = assess(move(NAN, 20, 12, 49)); /* auto baseline without data */
	assert_int_equal(k.light, OKRA_LIGHT_NO_DATA);
	okra_kr_input m = move(10, 20, 12, 49);
	m.kind = OKRA_KR_MILESTONE;
	assert_int_equal(assess(m).light, OKRA_LIGHT_NO_DATA);
	assert_true(isnan(assess(m).score));
}

static void test_stay_kinds(void **state)
{
	int32_t days[] = {-1, 6, 13, 20, 27};
	double values[] = {0.2, 0.08, 0.12, NAN, 0.09};
	okra_kr_input in = {.kind = OKRA_KR_STAY_BELOW,
	                    .target = 0.10,
	                    .current = 0.09,
	                    .baseline = NAN,
	                    .q0 = 0,
	                    .q1 = 99,
	                    .asof = 27,
	                    .yellow_gap = 0.1,
	                    .red_gap = 0.25,
	                    .days = days,
	                    .values = values,
	                    .n = 5};
	okra_kr_eval k = assess(in);
	/* Day -1 is before the quarter and NaN is unknown: 2 of 3 below. */
	assert_true(fabs(k.score - 0.67) < EPS);
	assert_int_equal(k.light, OKRA_LIGHT_GREEN);
	assert_true(k.decreasing);
	assert_true(isnan(k.progress));
	in.current = 0.11;
	assert_int_equal(assess(in).light, OKRA_LIGHT_RED);
	in.kind = OKRA_KR_STAY_ABOVE;
	k = assess(in);
	assert_true(fabs(k.score - 0.33) < EPS);
	assert_int_equal(k.light, OKRA_LIGHT_GREEN);
	in.n = 0;
	assert_true(isnan(assess(in).score));
}

/* y = 1, 2, 3, 5 at days 0, 7, 14, 21, projected to day 28 (by hand):
 * slope 45.5/245, line 6.0 at day 28, s = sqrt(0.3/2), se of a new
 * observation s*sqrt(2.5) = 0.6123724, t(0.90, 2) = 1.8856181. */
static void test_forecast_by_hand(void **state)
{
	int32_t days[] = {0, 7, 14, 21};
	double v[] = {1, 2, 3, 5};
	okra_arena a = {0};
	okra_forecast f;
	assert_true(okra__forecast(days, v, 4, 28, 5.0, false, &a, &f));
	assert_true(f.ok);
	assert_int_equal(f.n_points, 4);
	assert_true(fabs(f.slope - 45.5 / 245) < 1e-12);
	assert_true(fabs(f.value - 6.0) < 1e-12);
	double half = 1.8856180831641267 * 0.6123724356957945;
	assert_true(fabs(f.lo - (6 - half)) < 1e-9);
	assert_true(fabs(f.hi - (6 + half)) < 1e-9);
	/* t with 2 df: F(t) = 1/2 + t / (2 sqrt(2 + t^2)). */
	double t = (5.0 - 6.0) / 0.6123724356957945;
	double cdf = 0.5 + t / (2 * sqrt(2 + t * t));
	assert_true(fabs(f.prob - (1 - cdf)) < 1e-9);
	/* Decreasing: the probability of ending at or below the target. */
	okra_forecast d;
	assert_true(okra__forecast(days, v, 4, 28, 5.0, true, NULL, &d));
	assert_true(fabs(d.prob - cdf) < 1e-9);
	assert_int_equal(d.n_band, 0);
	/* The band: from the last point (day 21) to day 28. */
	assert_int_equal(f.n_band, 2);
	assert_int_equal(f.band_days[0], 21);
	assert_int_equal(f.band_days[1], 28);
	assert_true(fabs(f.band_mid[1] - 6.0) < 1e-12);
	okra__arena_free(&a);
}

static void test_forecast_edges(void **state)
{
	int32_t days[] = {0, 7, 14, 21};
	double two[] = {1, NAN, 3, NAN};
	okra_forecast f;
	assert_false(okra__forecast(days, two, 4, 28, 5, false, NULL, &f));
	assert_false(f.ok);
	assert_true(isnan(f.value) && isnan(f.prob));
	/* A perfect line: no spread, the probability is 0 or 1. */
	double line[] = {1, 2, 3, 4};
	assert_true(okra__forecast(days, line, 4, 28, 5, false, NULL, &f));
	assert_true(fabs(f.value - 5) < 1e-12);
	assert_true(fabs(f.hi - f.lo) < 1e-9);
	assert_true(fabs(f.prob - 1) < EPS);
	assert_true(okra__forecast(days, line, 4, 28, 5.5, false, NULL, &f));
	assert_true(fabs(f.prob) < EPS);
	/* One day repeated: no line. */
	int32_t same[] = {7, 7, 7};
	double any[] = {1, 2, 3};
	assert_false(okra__forecast(same, any, 3, 28, 5, false, NULL, &f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_on_track_is_green),
	    cmocka_unit_test(test_light_thresholds),
	    cmocka_unit_test(test_decreasing),
	    cmocka_unit_test(test_score_two_decimals),
	    cmocka_unit_test(test_target_equals_baseline),
	    cmocka_unit_test(test_asof_outside_quarter),
	    cmocka_unit_test(test_no_data),
	    cmocka_unit_test(test_stay_kinds),
	    cmocka_unit_test(test_forecast_by_hand),
	    cmocka_unit_test(test_forecast_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
