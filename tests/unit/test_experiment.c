/*
 * test_experiment.c - unit tests of the experiment statistics
 * (okr/exp_stats.c): the published cases of GrowthBook's engine (gbstats'
 * frequentist tests, its CUPED and SRM numbers), power, the decision
 * rules of SPEC 14 one branch at a time, and a simulation: on thousands
 * of seeded synthetic experiments with a known true effect the 95%
 * intervals cover it 93-97% of the time and a null effect is called
 * significant 3-7% of the time.
 */
/* cmocka.h needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "okr/experiment.h"

#include <math.h>
#include <stdio.h>

/* gbstats rounds its expectations to 5 decimals. */
#define GB 0.000005

static void near(double got, double want, double tol, const char *what)
{
	if (!(fabs(got - want) <= tol)) {
		fprintf(stderr, "%s: got %.9g, want %.9g (tolerance %g)\n",
		        what, got, want, tol);
		fail();
	}
}

/* ---------------------------------------------------------------------
 * GrowthBook's published cases
 * --------------------------------------------------------------------- */

/* gbstats test_two_sided_ttest_absolute: SampleMeanStatistic(sum 1396.87,
 * sum_squares 52377.9767, n 3407) against (2422.7, 134698.29, 3461):
 * expected 0.29, ci (0.04538, 0.53462), stddev 0.12478, p 0.02016. */
static void test_growthbook_means_absolute(void **state)
{
	okra_exp_arm c, t;
	okra__exp_arm_from_sums(3407, 1396.87, 52377.9767, 0, 0, 0, &c);
	okra__exp_arm_from_sums(3461, 2422.7, 134698.29, 0, 0, 0, &t);
	okra_exp_cmp r;
	okra__exp_means(&c, &t, NAN, &r);
	near(r.lift, 0.29, GB, "lift");
	near(r.se, 0.12478, GB, "se");
	near(r.lift_low, 0.04538, GB, "low");
	near(r.lift_high, 0.53462, GB, "high");
	near(r.p, 0.02016, GB, "p");
	assert_true(isnan(r.power)); /* no minimum detectable effect */
}

/* gbstats test_two_sided_ttest (relative): expected 0.70732, stddev
 * 0.37879, ci (-0.03526, 1.44989) with the same t quantile.  (gbstats'
 * p of 0.06191 tests the relative lift; okra's p is always the absolute
 * lift's, 0.02016 above.) */
static void test_growthbook_means_relative(void **state)
{
	okra_exp_arm c, t;
	okra__exp_arm_from_sums(3407, 1396.87, 52377.9767, 0, 0, 0, &c);
	okra__exp_arm_from_sums(3461, 2422.7, 134698.29, 0, 0, 0, &t);
	okra_exp_cmp r;
	okra__exp_means(&c, &t, NAN, &r);
	near(r.lift_rel, 0.70732, GB, "lift_rel");
	near((r.lift_rel_high - r.lift_rel_low) / 2 / 1.96, 0.37879, 2e-4,
	     "se_rel");
	near(r.lift_rel_low, -0.03526, GB, "rel low");
	near(r.lift_rel_high, 1.44989, GB, "rel high");
}

/* gbstats test_two_sided_ttest_binom: ProportionStatistic(14, 28) against
 * (16, 30): relative lift 0.06667 with stddev 0.2717.  okra's interval for
 * proportions is normal (SPEC 14), gbstats' a t interval: the standard
 * errors agree, the quantiles differ. */
static void test_growthbook_proportions(void **state)
{
	okra_exp_arm c = {.n = 28, .my = 14.0 / 28},
	             t = {.n = 30, .my = 16.0 / 30};
	okra_exp_cmp r;
	okra__exp_proportions(&c, &t, NAN, &r);
	near(r.lift_rel, 0.06667, GB, "lift_rel");
	double se_rel = (r.lift_rel_high - r.lift_rel) / OKRA_EXP_Z;
	near(se_rel, 0.2717, 0.00005, "se_rel");
	/* absolute: sqrt(p(1-p)/n) per arm */
	double se = sqrt(0.25 / 28 + (16.0 / 30) * (14.0 / 30) / 30);
	near(r.se, se, 1e-12, "se");
	near(r.lift_low, 16.0 / 30 - 0.5 - OKRA_EXP_Z * se, 1e-12, "low");
	near(r.p, 2 * (1 - 0.5 * erfc(-(16.0 / 30 - 0.5) / se / sqrt(2))), 1e-9,
	     "p");
}

/* CUPED on GrowthBook's summary statistics: theta -0.073212, absolute
 * lift -0.028161 (SE 0.011076), relative -0.281707 (SE 0.097105). */
static void test_growthbook_cuped(void **state)
{
	okra_exp_arm arms[2];
	okra__exp_arm_from_sums(3001, 300, 600, 210, 415, -20, &arms[0]);
	okra__exp_arm_from_sums(3000, 222, 555, 120, 405, -10, &arms[1]);
	double theta, reduction;
	assert_true(okra__exp_cuped_theta(arms, 2, &theta, &reduction));
	near(theta, -0.073212, 5e-7, "theta");
	okra_exp_cmp r;
	okra__exp_cuped(&arms[0], &arms[1], theta, NAN, &r);
	near(r.lift, -0.028161, 5e-7, "lift");
	near(r.se, 0.011076, 5e-7, "se");
	near(r.lift_rel, -0.281707, 5e-7, "lift_rel");
	double q = (r.lift_high - r.lift) / r.se; /* Welch's t quantile */
	near((r.lift_rel_high - r.lift_rel) / q, 0.097105, 5e-7, "se_rel");
	assert_true(r.p < 0.05 && r.p > 0.005);
	/* The variance reduction is the squared pooled correlation. */
	assert_true(reduction > 0 && reduction < 0.01);
	/* No covariate variance: no CUPED. */
	okra_exp_arm flat[2];
	okra__exp_arm_from_sums(100, 30, 30, 0, 0, 0, &flat[0]);
	okra__exp_arm_from_sums(100, 40, 40, 0, 0, 0, &flat[1]);
	assert_false(okra__exp_cuped_theta(flat, 2, &theta, &reduction));
}

/* SRM: 1000 and 1200 units on a 50/50 split: chi2 18.1818, p 2.0079e-5. */
static void test_growthbook_srm(void **state)
{
	double n[2] = {1000, 1200}, w[2] = {0.5, 0.5}, chi2, p;
	okra__exp_srm(n, w, 2, &chi2, &p);
	near(chi2, 18.1818, 5e-5, "chi2");
	near(p, 2.0079e-5, 5e-9, "p");
	/* Weights on any scale; three arms: df 2. */
	double n3[3] = {100, 100, 200}, w3[3] = {1, 1, 2};
	okra__exp_srm(n3, w3, 3, &chi2, &p);
	near(chi2, 0, 1e-12, "chi2 fit");
	near(p, 1, 1e-12, "p fit");
	double n3b[3] = {100, 130, 170};
	okra__exp_srm(n3b, w3, 3, &chi2, &p);
	/* expected 100, 100, 200: 0 + 9 + 4.5 */
	near(chi2, 13.5, 1e-12, "chi2 three");
	near(p, exp(-13.5 / 2), 1e-12, "p three (df 2)");
	/* Undefined without units or with one arm. */
	double none[2] = {0, 0};
	okra__exp_srm(none, w, 2, &chi2, &p);
	assert_true(isnan(chi2) && isnan(p));
	okra__exp_srm(n, w, 1, &chi2, &p);
	assert_true(isnan(p));
}

/* ---------------------------------------------------------------------
 * Hand-worked values, power, degenerate inputs
 * --------------------------------------------------------------------- */

static void test_power(void **state)
{
	/* |delta| / SE - z = 0.841621 gives power 0.8. */
	near(okra__exp_power(0.03, 0.03 / (OKRA_EXP_Z + 0.8416212335729143)),
	     0.8, 1e-9, "power 0.8");
	near(okra__exp_power(-0.03, 0.03 / OKRA_EXP_Z), 0.5, 1e-12,
	     "power 0.5");
	assert_true(isnan(okra__exp_power(NAN, 0.01)));
	assert_true(isnan(okra__exp_power(0.03, 0)));
}

static void test_proportions_by_hand(void **state)
{
	/* 300/1000 against 345/1000: lift 0.045, SE sqrt(.21/1000 +
	 * .225975/1000) = 0.0208800, z 2.15517, p 0.031148. */
	okra_exp_arm c = {.n = 1000, .my = 0.3}, t = {.n = 1000, .my = 0.345};
	okra_exp_cmp r;
	okra__exp_proportions(&c, &t, 0.05, &r);
	double se = sqrt(0.3 * 0.7 / 1000 + 0.345 * 0.655 / 1000);
	near(r.lift, 0.045, 1e-12, "lift");
	near(r.se, se, 1e-12, "se");
	near(r.lift_high, 0.045 + OKRA_EXP_Z * se, 1e-12, "high");
	near(r.p, 0.031148, 5e-6, "p");
	near(r.power, 0.5 * erfc(-(0.05 / se - OKRA_EXP_Z) / sqrt(2)), 1e-9,
	     "power");
	near(r.lift_rel, 0.15, 1e-12, "lift_rel");
	/* Empty control: nothing is defined. */
	okra_exp_arm empty = {0};
	okra__exp_proportions(&empty, &t, 0.05, &r);
	assert_true(isnan(r.lift) && isnan(r.p));
	/* No variance at all: the lift, but no p. */
	okra_exp_arm zero = {.n = 10, .my = 0}, one = {.n = 10, .my = 0};
	okra__exp_proportions(&zero, &one, 0.05, &r);
	assert_true(r.lift == 0 && isnan(r.p) && isnan(r.lift_rel));
}

static void test_ratios_delta_method(void **state)
{
	/* A ratio with a constant denominator 1 is a mean: the delta method
	 * reduces to the normal test on the numerator's mean. */
	okra_exp_arm
	    c = {.n = 400, .my = 2, .vy = 4, .md = 1, .vd = 0, .cyd = 0},
	    t = {.n = 500, .my = 2.3, .vy = 5, .md = 1, .vd = 0, .cyd = 0};
	okra_exp_cmp r;
	okra__exp_ratios(&c, &t, NAN, &r);
	double se = sqrt(4.0 / 400 + 5.0 / 500);
	near(r.lift, 0.3, 1e-12, "lift");
	near(r.se, se, 1e-12, "se");
	near(r.p, erfc(0.3 / se / sqrt(2)), 1e-12, "p");
	/* Var(M/D) = (vm/d^2 - 2 m cmd / d^3 + m^2 vd / d^4) / n */
	okra_exp_arm a = {
	    .n = 100, .my = 3, .vy = 2, .md = 2, .vd = 1, .cyd = 0.5};
	double low, high;
	okra__exp_interval(OKRA_EXP_RATIO, &a, &low, &high);
	double v = (2.0 / 4 - 2 * 3 * 0.5 / 8 + 9.0 * 1 / 16) / 100;
	near((high - low) / 2, OKRA_EXP_Z * sqrt(v), 1e-12, "ratio interval");
}

/* ---------------------------------------------------------------------
 * Decisions (SPEC 14)
 * --------------------------------------------------------------------- */

static okra_exp_decision decide(bool srm, bool final, double lift, double p,
                                double power, bool down, bool guard)
{
	okra_exp_decide_in in = {.srm_flagged = srm,
	                         .is_final = final,
	                         .lift = lift,
	                         .p = p,
	                         .power = power,
	                         .metric_down = down,
	                         .guardrail_worse = guard};
	const char *why = NULL;
	okra_exp_decision d = okra__exp_decide(&in, &why);
	assert_non_null(why);
	return d;
}

static void test_decisions(void **state)
{
	/* SRM first: nothing else counts. */
	assert_int_equal(decide(true, true, 0.05, 0.0001, 0.9, false, false),
	                 OKRA_EXP_INVALID);
	/* A worse guardrail stops, at any date. */
	assert_int_equal(decide(false, false, 0.05, 0.0001, 0.9, false, true),
	                 OKRA_EXP_STOP);
	/* At the end, p < 0.05 is significant. */
	assert_int_equal(decide(false, true, 0.05, 0.04, 0.9, false, false),
	                 OKRA_EXP_SHIP);
	assert_int_equal(decide(false, true, -0.05, 0.04, 0.9, false, false),
	                 OKRA_EXP_STOP);
	/* A metric whose direction is down ships a decrease. */
	assert_int_equal(decide(false, true, -0.05, 0.04, 0.9, true, false),
	                 OKRA_EXP_SHIP);
	assert_int_equal(decide(false, true, 0.05, 0.04, 0.9, true, false),
	                 OKRA_EXP_STOP);
	/* Before the end only p < 0.001 counts. */
	assert_int_equal(decide(false, false, 0.05, 0.04, 0.9, false, false),
	                 OKRA_EXP_KEEP_RUNNING);
	assert_int_equal(decide(false, false, 0.05, 0.0009, 0.9, false, false),
	                 OKRA_EXP_SHIP);
	assert_int_equal(decide(false, false, -0.05, 0.0009, 0.9, false, false),
	                 OKRA_EXP_STOP);
	/* Ended, not significant: power decides. */
	assert_int_equal(decide(false, true, 0.01, 0.3, 0.79, false, false),
	                 OKRA_EXP_KEEP_RUNNING);
	assert_int_equal(decide(false, true, 0.01, 0.3, 0.8, false, false),
	                 OKRA_EXP_ITERATE);
	assert_int_equal(decide(false, true, 0.01, 0.3, NAN, false, false),
	                 OKRA_EXP_KEEP_RUNNING);
	/* No p at all. */
	assert_int_equal(decide(false, true, NAN, NAN, NAN, false, false),
	                 OKRA_EXP_KEEP_RUNNING);
	assert_string_equal(okra__exp_decision_names[OKRA_EXP_KEEP_RUNNING],
	                    "keep_running");
}

/* ---------------------------------------------------------------------
 * Simulation: coverage and false positives
 * --------------------------------------------------------------------- */

/* splitmix64: a seeded, portable stream. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double uniform(uint64_t *s)
{
	return ((double)(rng_next(s) >> 11) + 0.5) / 9007199254740992.0;
}

static double gaussian(uint64_t *s)
{
	return sqrt(-2 * log(uniform(s))) * cos(2 * M_PI * uniform(s));
}

/* Moments of one simulated arm from its values. */
typedef struct acc {
	double n, sy, syy, sx, sxx, sxy;
} acc;

static void acc_add(acc *a, double y, double x)
{
	a->n++;
	a->sy += y;
	a->syy += y * y;
	a->sx += x;
	a->sxx += x * x;
	a->sxy += x * y;
}

static okra_exp_arm arm_of(const acc *a)
{
	okra_exp_arm r;
	okra__exp_arm_from_sums(a->n, a->sy, a->syy, a->sx, a->sxx, a->sxy, &r);
	return r;
}

#define RUNS 4000

typedef enum { SIM_PROPORTION, SIM_MEAN, SIM_CUPED } sim_kind;

/* RUNS experiments of n units per arm with true effect delta: the share
 * of 95% intervals that cover delta, and of p values under 0.05. */
static void simulate(sim_kind kind, double delta, int n, uint64_t seed,
                     double *coverage, double *positive)
{
	uint64_t s = seed;
	int covered = 0, significant = 0;
	for (int run = 0; run < RUNS; run++) {
		acc a[2] = {0};
		for (int arm = 0; arm < 2; arm++)
			for (int i = 0; i < n; i++) {
				double eff = arm ? delta : 0, y, x = 0;
				if (kind == SIM_PROPORTION) {
					y = uniform(&s) < 0.3 + eff;
				} else if (kind == SIM_MEAN) {
					/* skewed: exponential with mean 2 */
					y = -2 * log(uniform(&s)) + eff;
				} else {
					/* y correlated with a pre-period x */
					x = gaussian(&s);
					y = 1 + 0.8 * x + 0.6 * gaussian(&s) +
					    eff;
				}
				acc_add(&a[arm], y, x);
			}
		okra_exp_arm c = arm_of(&a[0]), t = arm_of(&a[1]);
		okra_exp_cmp r;
		if (kind == SIM_PROPORTION) {
			okra__exp_proportions(&c, &t, NAN, &r);
		} else if (kind == SIM_MEAN) {
			okra__exp_means(&c, &t, NAN, &r);
		} else {
			okra_exp_arm arms[2] = {c, t};
			double theta, vr;
			assert_true(
			    okra__exp_cuped_theta(arms, 2, &theta, &vr));
			okra__exp_cuped(&c, &t, theta, NAN, &r);
		}
		covered += r.lift_low <= delta && delta <= r.lift_high;
		significant += r.p < 0.05;
	}
	*coverage = (double)covered / RUNS;
	*positive = (double)significant / RUNS;
}

static void check_band(double v, double lo, double hi, const char *what)
{
	fprintf(stderr, "%s: %.4f\n", what, v);
	if (!(v >= lo && v <= hi)) {
		fprintf(stderr, "%s: %.4f outside %.2f .. %.2f\n", what, v, lo,
		        hi);
		fail();
	}
}

static void test_simulation(void **state)
{
	double cover, pos;
	simulate(SIM_PROPORTION, 0.03, 800, 1, &cover, &pos);
	check_band(cover, 0.93, 0.97, "proportions: coverage of +3 pts");
	simulate(SIM_PROPORTION, 0, 800, 2, &cover, &pos);
	check_band(pos, 0.03, 0.07, "proportions: false positives");
	check_band(cover, 0.93, 0.97, "proportions: coverage of 0");

	simulate(SIM_MEAN, 0.25, 300, 3, &cover, &pos);
	check_band(cover, 0.93, 0.97, "Welch: coverage of +0.25");
	simulate(SIM_MEAN, 0, 300, 4, &cover, &pos);
	check_band(pos, 0.03, 0.07, "Welch: false positives");

	simulate(SIM_CUPED, 0.1, 300, 5, &cover, &pos);
	check_band(cover, 0.93, 0.97, "CUPED: coverage of +0.1");
	simulate(SIM_CUPED, 0, 300, 6, &cover, &pos);
	check_band(pos, 0.03, 0.07, "CUPED: false positives");
}

/* CUPED narrows the interval when the covariate explains the outcome. */
static void test_cuped_narrower(void **state)
{
	uint64_t s = 42;
	acc a[2] = {0};
	for (int arm = 0; arm < 2; arm++)
		for (int i = 0; i < 2000; i++) {
			double x = gaussian(&s);
			acc_add(&a[arm], 1 + 0.9 * x + 0.3 * gaussian(&s), x);
		}
	okra_exp_arm arms[2] = {arm_of(&a[0]), arm_of(&a[1])};
	double theta, vr;
	assert_true(okra__exp_cuped_theta(arms, 2, &theta, &vr));
	near(theta, 0.9, 0.05, "theta");
	assert_true(vr > 0.85);
	okra_exp_cmp raw, adj;
	okra__exp_means(&arms[0], &arms[1], NAN, &raw);
	okra__exp_cuped(&arms[0], &arms[1], theta, NAN, &adj);
	assert_true(adj.se < raw.se / 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_growthbook_means_absolute),
	    cmocka_unit_test(test_growthbook_means_relative),
	    cmocka_unit_test(test_growthbook_proportions),
	    cmocka_unit_test(test_growthbook_cuped),
	    cmocka_unit_test(test_growthbook_srm),
	    cmocka_unit_test(test_power),
	    cmocka_unit_test(test_proportions_by_hand),
	    cmocka_unit_test(test_ratios_delta_method),
	    cmocka_unit_test(test_decisions),
	    cmocka_unit_test(test_simulation),
	    cmocka_unit_test(test_cuped_narrower),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
