/*
 * kr.c - the arithmetic of a key result as of one day (SPEC 4): elapsed
 * share of the quarter, progress, expected-now on the linear trajectory,
 * gap, light, score, and the least-squares forecast with its 80%
 * prediction interval.  Pure functions of numbers: no engine, no I/O.
 */
#include "review/review.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

const char *const okra__light_names[OKRA_LIGHT_COUNT] = {
    "no data", "green", "yellow", "red", "done", "open",
};

const char *const okra__outlook_names[4] = {
    NULL,
    "on_track",
    "at_risk",
    "off_track",
};

static double clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* Two decimals, as scores are shown and stored. */
static double round2(double x)
{
	return round(x * 100.0) / 100.0;
}

/* Is v on the good side of target for a KR that should end at or above
 * (up) or at or below (!up) it? */
static bool reached(double v, double target, bool up)
{
	return up ? v >= target : v <= target;
}

void okra__kr_assess(const okra_kr_input *in, okra_kr_eval *out)
{
	out->elapsed = NAN;
	out->progress = out->expected = out->gap = out->score = NAN;
	out->light = OKRA_LIGHT_NO_DATA;
	if (in->q1 >= in->q0)
		out->elapsed = clamp01((double)(in->asof - in->q0 + 1) /
		                       (double)(in->q1 - in->q0 + 1));
	double cur = in->current, base = in->baseline, target = in->target;

	if (in->kind == OKRA_KR_STAY_ABOVE || in->kind == OKRA_KR_STAY_BELOW) {
		bool up = in->kind == OKRA_KR_STAY_ABOVE;
		out->decreasing = !up;
		out->expected = target;
		size_t good = 0, known = 0;
		for (size_t i = 0; i < in->n; i++) {
			if (isnan(in->values[i]) || in->days[i] < in->q0)
				continue;
			known++;
			good += reached(in->values[i], target, up);
		}
		if (known)
			out->score = round2((double)good / (double)known);
		if (!isnan(cur) && !isnan(target))
			out->light = reached(cur, target, up) ? OKRA_LIGHT_GREEN
			                                      : OKRA_LIGHT_RED;
		return;
	}
	if (in->kind == OKRA_KR_MILESTONE || isnan(target))
		return;

	/* move: from baseline to target, up or down. */
	out->decreasing = !isnan(base) ? target < base : in->metric_down;
	if (isnan(cur) || isnan(base))
		return; /* no data: without a baseline there is no trajectory */
	if (!isnan(out->elapsed))
		out->expected = base + (target - base) * out->elapsed;
	if (target == base) {
		/* No distance to travel: done when the metric is at or past the
		 * target in its own direction, red otherwise. */
		bool ok = reached(cur, target, !in->metric_down);
		out->light = ok ? OKRA_LIGHT_DONE : OKRA_LIGHT_RED;
		out->score = ok ? 1.0 : 0.0;
		return;
	}
	double p = (cur - base) / (target - base);
	out->progress = p;
	out->score = round2(clamp01(p));
	if (isnan(out->elapsed))
		return;
	double g = p - out->elapsed;
	out->gap = g;
	if (p >= 1)
		out->light = OKRA_LIGHT_DONE;
	else if (g >= -in->yellow_gap)
		out->light = OKRA_LIGHT_GREEN;
	else if (g >= -in->red_gap)
		out->light = OKRA_LIGHT_YELLOW;
	else
		out->light = OKRA_LIGHT_RED;
}

/* ---------------------------------------------------------------------
 * Forecast
 * --------------------------------------------------------------------- */

typedef struct fit {
	size_t n;
	double xbar, ybar, sxx, slope, intercept, s; /* s: residual std error */
} fit;

/* Least squares of v on days (x centred on the first day for precision). */
static bool fit_line(const int32_t *days, const double *v, size_t n, fit *f)
{
	double sx = 0, sy = 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i])) {
			sx += days[i];
			sy += v[i];
			k++;
		}
	if (k < 3)
		return false;
	f->n = k;
	f->xbar = sx / (double)k;
	f->ybar = sy / (double)k;
	double sxx = 0, sxy = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i])) {
			double dx = days[i] - f->xbar;
			sxx += dx * dx;
			sxy += dx * (v[i] - f->ybar);
		}
	if (sxx <= 0)
		return false;
	f->sxx = sxx;
	f->slope = sxy / sxx;
	f->intercept = f->ybar - f->slope * f->xbar;
	double sse = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i])) {
			double r = v[i] - (f->intercept + f->slope * days[i]);
			sse += r * r;
		}
	f->s = sqrt(sse / (double)(k - 2));
	return true;
}

/* The line at x and the standard error of a new observation there. */
static void predict(const fit *f, double x, double *mid, double *se)
{
	double dx = x - f->xbar;
	*mid = f->intercept + f->slope * x;
	*se = f->s * sqrt(1.0 + 1.0 / (double)f->n + dx * dx / f->sxx);
}

bool okra__forecast(const int32_t *days, const double *v, size_t n, int32_t q1,
                    double target, bool decreasing, okra_arena *a,
                    okra_forecast *out)
{
	*out = (okra_forecast){
	    .value = NAN, .lo = NAN, .hi = NAN, .prob = NAN, .slope = NAN};
	fit f;
	if (!fit_line(days, v, n, &f))
		return false;
	double df = (double)(f.n - 2);
	double t = gsl_cdf_tdist_Pinv(0.90, df);
	double mid, se;
	predict(&f, q1, &mid, &se);
	out->ok = true;
	out->n_points = f.n;
	out->slope = f.slope;
	out->value = mid;
	out->lo = mid - t * se;
	out->hi = mid + t * se;
	if (!isnan(target)) {
		if (se > 0) {
			double z = (target - mid) / se;
			out->prob = decreasing ? gsl_cdf_tdist_P(z, df)
			                       : gsl_cdf_tdist_Q(z, df);
		} else {
			out->prob =
			    reached(mid, target, !decreasing) ? 1.0 : 0.0;
		}
	}

	/* The band: from the last actual point, weekly, to q1. */
	int32_t last = days[0];
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]) && days[i] > last)
			last = days[i];
	if (last >= q1 || !a)
		return true;
	size_t nb = (size_t)((q1 - last + 6) / 7) + 1;
	out->band_days = okra__arena_alloc(a, nb * sizeof(int32_t));
	out->band_mid = okra__arena_alloc(a, nb * sizeof(double));
	out->band_lo = okra__arena_alloc(a, nb * sizeof(double));
	out->band_hi = okra__arena_alloc(a, nb * sizeof(double));
	if (!out->band_days || !out->band_mid || !out->band_lo || !out->band_hi)
		return true;
	size_t k = 0;
	for (int32_t d = last; k < nb; d += 7) {
		int32_t day = d > q1 ? q1 : d;
		predict(&f, day, &mid, &se);
		out->band_days[k] = day;
		out->band_mid[k] = mid;
		out->band_lo[k] = mid - t * se;
		out->band_hi[k] = mid + t * se;
		k++;
		if (day == q1)
			break;
	}
	out->n_band = k;
	return true;
}

static double clamp(double x, double lo, double hi)
{
	return isnan(x) ? x : x < lo ? lo : x > hi ? hi : x;
}

void okra__forecast_clamp(okra_forecast *f, double lo, double hi)
{
	f->value = clamp(f->value, lo, hi);
	f->lo = clamp(f->lo, lo, hi);
	f->hi = clamp(f->hi, lo, hi);
	for (size_t i = 0; i < f->n_band; i++) {
		f->band_mid[i] = clamp(f->band_mid[i], lo, hi);
		f->band_lo[i] = clamp(f->band_lo[i], lo, hi);
		f->band_hi[i] = clamp(f->band_hi[i], lo, hi);
	}
}

okra_outlook okra__outlook(const okra_forecast *f)
{
	if (!f->ok || isnan(f->prob))
		return OKRA_OUTLOOK_NONE;
	return f->prob >= 0.7   ? OKRA_OUTLOOK_ON_TRACK
	       : f->prob >= 0.3 ? OKRA_OUTLOOK_AT_RISK
	                        : OKRA_OUTLOOK_OFF_TRACK;
}
