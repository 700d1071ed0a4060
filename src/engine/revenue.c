/*
 * revenue.c - the revenue measures of SPEC section 3 over monthly MRR.
 *
 * m(a, M) is the sum of an account's revenue rows for month M (periods
 * expanded at ingest may overlap and add up; plain rows are unique per
 * account-month).  Per as-of day D the month M is the calendar month of D,
 * whole (no proration).  Sums over nothing are 0; ratios with a zero
 * denominator are null.  Segments by account attribute or cohort; a pin
 * (--where, a key result's where:) keeps only the accounts it passes.
 */
#include "engine/eval.h"

#include <math.h>
#include <stdlib.h>

/* m(a, M): the account's month rows for M (binary search; rows of one
 * month add up in file order) plus every running period that began by M.
 */
static double mrr_at(const okra_revenue_table *r, uint32_t a, int32_t month)
{
	uint64_t lo = r->off[a], end = r->open_at[a], hi = end;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (r->month[mid] < month)
			lo = mid + 1;
		else
			hi = mid;
	}
	double v = 0;
	if (lo < end && r->month[lo] == month) {
		v = r->mrr[lo++];
		while (lo < end && r->month[lo] == month)
			v += r->mrr[lo++];
	}
	for (uint64_t i = r->open_at[a];
	     i < r->off[a + 1] && r->month[i] <= month; i++)
		v += r->mrr[i];
	return v;
}

/* Accumulators for one (segment, month). */
typedef struct rev_acc {
	double mrr, prev_mrr, paying, prev_paying, lost_logos;
	double new_, reactivation, expansion, contraction, churned;
} rev_acc;

/* nrr/grr over one lookback, for one (segment, month). */
typedef struct rev_keep {
	double base_l, now_l, kept_l;
} rev_keep;

static double ratio(double a, double b)
{
	return b > 0 ? a / b : NAN;
}

static bool uses_lookback(const okra_metric *m)
{
	return m->revenue_measure == OKRA_REV_NRR ||
	       m->revenue_measure == OKRA_REV_GRR;
}

/* The sample behind a rate over accounts (okra__metric_caps): logo churn
 * of the accounts paying the month before, ARPA over those paying. */
static void sample(const okra_metric *m, const rev_acc *s, double *num,
                   double *den)
{
	if (m->revenue_measure == OKRA_REV_LOGO_CHURN)
		*num = s->lost_logos, *den = s->prev_paying;
	else if (m->revenue_measure == OKRA_REV_ARPA)
		*num = s->mrr, *den = s->paying;
}

/* The value of measure m off the accumulators. */
static double measure(const okra_metric *m, const rev_acc *s, const rev_keep *k)
{
	switch (m->revenue_measure) {
	case OKRA_REV_MRR:
		return s->mrr;
	case OKRA_REV_ARR:
		return 12 * s->mrr;
	case OKRA_REV_PAYING_ACCOUNTS:
		return s->paying;
	case OKRA_REV_ARPA:
		return ratio(s->mrr, s->paying);
	case OKRA_REV_NEW:
		return s->new_;
	case OKRA_REV_REACTIVATION:
		return s->reactivation;
	case OKRA_REV_EXPANSION:
		return s->expansion;
	case OKRA_REV_CONTRACTION:
		return s->contraction;
	case OKRA_REV_CHURNED:
		return s->churned;
	case OKRA_REV_NRR:
		return ratio(k->now_l, k->base_l);
	case OKRA_REV_GRR:
		return ratio(k->kept_l, k->base_l);
	case OKRA_REV_LOGO_CHURN:
		return ratio(s->lost_logos, s->prev_paying);
	case OKRA_REV_REVENUE_CHURN:
		return ratio(s->churned + s->contraction, s->prev_mrr);
	default:
		return NAN;
	}
}

okra_rc okra__eval_revenue(const okra_data *d, const okra_metric *const *ms,
                           okra_values *const *vs, size_t n_metrics,
                           const int32_t *dates, size_t n_dates,
                           const uint8_t *acct_pass, const uint32_t *acct_seg,
                           size_t n_attrs, size_t n_segments, okra_err *err)
{
	okra_rc rc = OKRA_OK;
	size_t S1 = n_segments + 1, cells = n_dates * S1;
	/* The distinct lookbacks of the nrr/grr measures. */
	int32_t *lb = malloc((n_metrics + 1) * sizeof(*lb));
	size_t *lb_of = malloc((n_metrics + 1) * sizeof(*lb_of));
	int32_t *month = malloc((n_dates + 1) * sizeof(*month));
	double *base = NULL;
	rev_acc *sum = calloc(cells + 1, sizeof(*sum));
	rev_keep *keep = NULL;
	size_t n_lb = 0;
	if (!lb || !lb_of || !month || !sum)
		goto nomem;
	for (size_t k = 0; k < n_metrics; k++) {
		if (!uses_lookback(ms[k]))
			continue;
		size_t j = 0;
		while (j < n_lb && lb[j] != ms[k]->lookback)
			j++;
		if (j == n_lb)
			lb[n_lb++] = ms[k]->lookback;
		lb_of[k] = j;
	}
	base = malloc((n_lb + 1) * sizeof(*base));
	keep = calloc(cells * n_lb + 1, sizeof(*keep));
	if (!base || !keep)
		goto nomem;
	for (size_t i = 0; i < n_dates; i++) {
		int y, mo, dd;
		okra__civil_from_days(dates[i], &y, &mo, &dd);
		month[i] = (y - 1970) * 12 + (mo - 1);
	}
	/* One walk of the accounts with revenue: every measure, as-of day
	 * and segment at once, each sum in account order. */
	const okra_revenue_table *r = &d->revenue;
	uint32_t na = d->has_revenue ? d->accounts.n : 0;
	for (uint32_t a = 0; a < na; a++) {
		if (r->off[a] == r->off[a + 1] || (acct_pass && !acct_pass[a]))
			continue;
		const uint32_t *segs = acct_seg + (size_t)a * n_attrs;
		int32_t fp = r->first_paid[a];
		for (size_t i = 0; i < n_dates; i++) {
			int32_t M = month[i];
			double now = mrr_at(r, a, M),
			       prev = mrr_at(r, a, M - 1);
			for (size_t j = 0; j < n_lb; j++)
				base[j] = mrr_at(r, a, M - lb[j]);
			for (size_t t = 0; t <= n_attrs; t++) {
				size_t cell = i * S1 + (t ? segs[t - 1] : 0);
				rev_acc *s = &sum[cell];
				s->mrr += now;
				s->prev_mrr += prev;
				s->paying += now > 0;
				s->prev_paying += prev > 0;
				s->lost_logos += prev > 0 && now == 0;
				if (now > 0 && fp == M)
					s->new_ += now;
				if (now > 0 && prev == 0 && fp < M - 1)
					s->reactivation += now;
				if (now > 0 && prev > 0 && now > prev)
					s->expansion += now - prev;
				if (now > 0 && prev > 0 && now < prev)
					s->contraction += prev - now;
				if (prev > 0 && now == 0)
					s->churned += prev;
				for (size_t j = 0; j < n_lb; j++) {
					if (!(base[j] > 0))
						continue;
					rev_keep *kp = &keep[cell * n_lb + j];
					kp->base_l += base[j];
					kp->now_l += now;
					kp->kept_l +=
					    now < base[j] ? now : base[j];
				}
			}
		}
	}
	for (size_t k = 0; k < n_metrics; k++)
		for (size_t seg = 0; seg < S1; seg++)
			for (size_t i = 0; i < n_dates; i++) {
				size_t cell = i * S1 + seg;
				const rev_keep *kp =
				    uses_lookback(ms[k])
				        ? &keep[cell * n_lb + lb_of[k]]
				        : NULL;
				size_t at = seg * n_dates + i;
				vs[k]->v[at] = measure(ms[k], &sum[cell], kp);
				if (vs[k]->den)
					sample(ms[k], &sum[cell],
					       &vs[k]->num[at],
					       &vs[k]->den[at]);
			}
	goto out;
nomem:
	rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
out:
	free(lb);
	free(lb_of);
	free(month);
	free(base);
	free(sum);
	free(keep);
	return rc;
}
