/*
 * exp_stats.c - the statistics of an experiment readout (SPEC 14) on
 * summary statistics: proportions, Welch's t test, ratios by the delta
 * method, CUPED, sample ratio mismatch, power, and the decision.
 *
 * Pure functions, no I/O, so the unit tests call them on the published
 * cases of GrowthBook's engine.  Distributions come from GSL; its error
 * handler aborts, so every call is guarded against a degenerate input
 * (a zero variance, fewer than two units) and the result is NaN instead.
 */
#include "okr/experiment.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

const char *const okra__exp_decision_names[OKRA_EXP_DECISION_COUNT] = {
    [OKRA_EXP_KEEP_RUNNING] = "keep_running",
    [OKRA_EXP_SHIP] = "ship",
    [OKRA_EXP_STOP] = "stop",
    [OKRA_EXP_ITERATE] = "iterate",
    [OKRA_EXP_INVALID] = "invalid",
};

void okra__exp_arm_from_sums(double n, double sy, double syy, double sx,
                             double sxx, double sxy, okra_exp_arm *out)
{
	*out = (okra_exp_arm){.n = n,
	                      .vy = NAN,
	                      .vx = NAN,
	                      .cxy = NAN,
	                      .md = NAN,
	                      .vd = NAN,
	                      .cyd = NAN};
	out->my = n > 0 ? sy / n : NAN;
	out->mx = n > 0 ? sx / n : NAN;
	if (n > 1) {
		out->vy = (syy - sy * sy / n) / (n - 1);
		out->vx = (sxx - sx * sx / n) / (n - 1);
		out->cxy = (sxy - sx * sy / n) / (n - 1);
	}
}

static void clear(okra_exp_cmp *out)
{
	*out = (okra_exp_cmp){NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
}

double okra__exp_power(double mde, double se)
{
	if (!isfinite(mde) || !isfinite(se) || se <= 0)
		return NAN;
	return gsl_cdf_ugaussian_P(fabs(mde) / se - OKRA_EXP_Z);
}

/* The interval, p and power of lift with standard error se under a
 * normal (df infinite) or t distribution; the relative lift with its own
 * standard error against the control value base. */
static void finish(okra_exp_cmp *out, double lift, double se, double df,
                   double base, double se_rel, double mde)
{
	out->lift = lift;
	out->se = se;
	out->df = df;
	if (!isfinite(se) || se <= 0 || !(df > 0))
		return;
	double q = isinf(df) ? OKRA_EXP_Z : gsl_cdf_tdist_Qinv(0.025, df);
	double z = fabs(lift) / se;
	out->lift_low = lift - q * se;
	out->lift_high = lift + q * se;
	out->p =
	    isinf(df) ? 2 * gsl_cdf_ugaussian_Q(z) : 2 * gsl_cdf_tdist_Q(z, df);
	if (out->p > 1)
		out->p = 1;
	out->power = okra__exp_power(mde, se);
	if (base != 0 && isfinite(base) && isfinite(se_rel)) {
		out->lift_rel = lift / fabs(base);
		out->lift_rel_low = out->lift_rel - q * se_rel;
		out->lift_rel_high = out->lift_rel + q * se_rel;
	}
}

void okra__exp_proportions(const okra_exp_arm *c, const okra_exp_arm *t,
                           double mde, okra_exp_cmp *out)
{
	clear(out);
	if (!(c->n > 0) || !(t->n > 0))
		return;
	double pc = c->my, pt = t->my;
	double se = sqrt(pt * (1 - pt) / t->n + pc * (1 - pc) / c->n);
	double se_rel = pc != 0
	                    ? sqrt(pt * (1 - pt) / (t->n * pc * pc) +
	                           pt * pt * (1 - pc) / (c->n * pc * pc * pc))
	                    : NAN;
	finish(out, pt - pc, se, INFINITY, pc, se_rel, mde);
}

/* Welch-Satterthwaite degrees of freedom of two variances of means. */
static double welch_df(double a, double na, double b, double nb)
{
	double den = a * a / (na - 1) + b * b / (nb - 1);
	return den > 0 ? (a + b) * (a + b) / den : NAN;
}

void okra__exp_means(const okra_exp_arm *c, const okra_exp_arm *t, double mde,
                     okra_exp_cmp *out)
{
	clear(out);
	if (!(c->n > 1) || !(t->n > 1))
		return;
	double a = t->vy / t->n, b = c->vy / c->n;
	double se = sqrt(a + b);
	double mc = c->my, mt = t->my;
	double se_rel = mc != 0
	                    ? sqrt(t->vy / (t->n * mc * mc) +
	                           mt * mt * c->vy / (c->n * mc * mc * mc * mc))
	                    : NAN;
	finish(out, mt - mc, se, welch_df(a, t->n, b, c->n), mc, se_rel, mde);
}

/* The variance of the ratio of means my / md of one arm (delta method). */
static double ratio_var(const okra_exp_arm *a)
{
	double my = a->my, md = a->md;
	return (a->vy / (md * md) - 2 * my * a->cyd / (md * md * md) +
	        my * my * a->vd / (md * md * md * md)) /
	       a->n;
}

void okra__exp_ratios(const okra_exp_arm *c, const okra_exp_arm *t, double mde,
                      okra_exp_cmp *out)
{
	clear(out);
	if (!(c->n > 1) || !(t->n > 1) || !(c->md != 0) || !(t->md != 0) ||
	    isnan(c->md) || isnan(t->md))
		return;
	double rc = c->my / c->md, rt = t->my / t->md;
	double vc = ratio_var(c), vt = ratio_var(t);
	if (vc < 0)
		vc = 0;
	if (vt < 0)
		vt = 0;
	double se_rel =
	    rc != 0 ? sqrt(vt / (rc * rc) + rt * rt * vc / (rc * rc * rc * rc))
	            : NAN;
	finish(out, rt - rc, sqrt(vt + vc), INFINITY, rc, se_rel, mde);
}

bool okra__exp_cuped_theta(const okra_exp_arm *arms, size_t n, double *theta,
                           double *variance_reduction)
{
	/* Pooled moments: the arms' sums combined, centred on the grand
	 * means. */
	double N = 0, sy = 0, sx = 0;
	for (size_t i = 0; i < n; i++)
		if (arms[i].n > 0) {
			N += arms[i].n;
			sy += arms[i].n * arms[i].my;
			sx += arms[i].n * arms[i].mx;
		}
	if (N < 2)
		return false;
	double my = sy / N, mx = sx / N, ssy = 0, ssx = 0, sxy = 0;
	for (size_t i = 0; i < n; i++) {
		const okra_exp_arm *a = &arms[i];
		if (!(a->n > 0))
			continue;
		double dy = a->my - my, dx = a->mx - mx;
		double k = a->n > 1 ? a->n - 1 : 0;
		ssy += (k ? k * a->vy : 0) + a->n * dy * dy;
		ssx += (k ? k * a->vx : 0) + a->n * dx * dx;
		sxy += (k ? k * a->cxy : 0) + a->n * dx * dy;
	}
	double vx = ssx / (N - 1), vy = ssy / (N - 1), cxy = sxy / (N - 1);
	if (!(vx > 0) || !isfinite(vx))
		return false;
	*theta = cxy / vx;
	double vadj = vy - 2 * *theta * cxy + *theta * *theta * vx;
	*variance_reduction = vy > 0 ? 1 - vadj / vy : NAN;
	return true;
}

/* The sample variance of Y' = Y - theta X within one arm. */
static double adjusted_var(const okra_exp_arm *a, double theta)
{
	double v = a->vy - 2 * theta * a->cxy + theta * theta * a->vx;
	return v < 0 ? 0 : v;
}

void okra__exp_cuped(const okra_exp_arm *c, const okra_exp_arm *t, double theta,
                     double mde, okra_exp_cmp *out)
{
	clear(out);
	if (!(c->n > 1) || !(t->n > 1) || !isfinite(theta))
		return;
	double vt = adjusted_var(t, theta), vc = adjusted_var(c, theta);
	double a = vt / t->n, b = vc / c->n;
	double lift = (t->my - c->my) - theta * (t->mx - c->mx);
	double yc = c->my, yt = t->my;
	double se_rel = NAN;
	if (yc != 0) {
		double r = yt / yc;
		double ctrl = c->vy * r * r - 2 * theta * c->cxy * r +
		              theta * theta * c->vx;
		double v = vt / (t->n * yc * yc) + ctrl / (c->n * yc * yc);
		se_rel = v >= 0 ? sqrt(v) : NAN;
	}
	finish(out, lift, sqrt(a + b), welch_df(a, t->n, b, c->n), yc, se_rel,
	       mde);
}

void okra__exp_srm(const double *n, const double *w, size_t k, double *chi2,
                   double *p)
{
	double N = 0, W = 0;
	for (size_t i = 0; i < k; i++) {
		N += n[i];
		W += w[i];
	}
	*chi2 = *p = NAN;
	if (k < 2 || !(N > 0) || !(W > 0))
		return;
	double x = 0;
	for (size_t i = 0; i < k; i++) {
		double e = N * w[i] / W;
		x += (n[i] - e) * (n[i] - e) / e;
	}
	*chi2 = x;
	*p = gsl_cdf_chisq_Q(x, (double)(k - 1));
}

void okra__exp_interval(okra_exp_kind kind, const okra_exp_arm *a, double *low,
                        double *high)
{
	*low = *high = NAN;
	if (!(a->n > 1))
		return;
	double value, se, q = OKRA_EXP_Z;
	switch (kind) {
	case OKRA_EXP_PROPORTION:
		value = a->my;
		se = sqrt(a->my * (1 - a->my) / a->n);
		break;
	case OKRA_EXP_MEAN:
		value = a->my;
		se = sqrt(a->vy / a->n);
		q = gsl_cdf_tdist_Qinv(0.025, a->n - 1);
		break;
	default:
		if (!(a->md != 0) || isnan(a->md))
			return;
		value = a->my / a->md;
		se = ratio_var(a);
		se = se > 0 ? sqrt(se) : 0;
	}
	if (!isfinite(se))
		return;
	*low = value - q * se;
	*high = value + q * se;
	if (kind == OKRA_EXP_PROPORTION) { /* a share stays a share */
		*low = fmax(*low, 0);
		*high = fmin(*high, 1);
	}
}

okra_exp_decision okra__exp_decide(const okra_exp_decide_in *in,
                                   const char **reason)
{
	const char *why;
	okra_exp_decision d;
	/* Before the end every look is a chance of a false positive: only a
	 * much smaller p counts then. */
	double alpha = in->is_final ? 0.05 : 0.001;
	bool significant = isfinite(in->p) && in->p < alpha && in->lift != 0;
	bool good = in->metric_down ? in->lift < 0 : in->lift > 0;
	if (in->srm_flagged) {
		d = OKRA_EXP_INVALID;
		why = "sample ratio mismatch: the variants' sizes do not fit "
		      "the split (p < 0.001), so the assignment is broken";
	} else if (in->guardrail_worse) {
		d = OKRA_EXP_STOP;
		why = "a guardrail metric got worse (p < 0.05)";
	} else if (significant && !good) {
		d = OKRA_EXP_STOP;
		why = in->is_final ? "significant (p < 0.05) against the "
		                     "metric's direction"
		                   : "significant (p < 0.001) against the "
		                     "metric's direction before the end";
	} else if (significant) {
		d = OKRA_EXP_SHIP;
		why = in->is_final ? "significant (p < 0.05) in the metric's "
		                     "direction"
		                   : "significant (p < 0.001) in the metric's "
		                     "direction before the end";
	} else if (!in->is_final) {
		d = OKRA_EXP_KEEP_RUNNING;
		why = "running: before the end an effect needs p < 0.001";
	} else if (!isfinite(in->power)) {
		d = OKRA_EXP_KEEP_RUNNING;
		why = "not significant, and its power is unknown (set "
		      "minimum_detectable_effect)";
	} else if (in->power < 0.8) {
		d = OKRA_EXP_KEEP_RUNNING;
		why = "not significant with power under 0.8: too few units "
		      "to tell";
	} else {
		d = OKRA_EXP_ITERATE;
		why = "not significant with power 0.8 or more: any effect is "
		      "smaller than the minimum detectable effect";
	}
	if (reason)
		*reason = why;
	return d;
}
