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
#include <string.h>

typedef struct acct_mrr {
	uint64_t first, n;           /* month rows of the account in `rows` */
	uint64_t open_first, n_open; /* its running periods, by first month */
	int32_t first_paid; /* first month with mrr > 0; INT32_MAX = never */
} acct_mrr;

typedef struct rev_row {
	uint32_t account;
	int32_t month;
	double mrr;
	uint8_t open;
} rev_row;

static int cmp_row(const void *pa, const void *pb)
{
	const rev_row *a = pa, *b = pb;
	if (a->open != b->open)
		return a->open < b->open ? -1 : 1;
	if (a->account != b->account)
		return a->account < b->account ? -1 : 1;
	return a->month < b->month ? -1 : a->month > b->month;
}

/* m(a, M): the account's month row (binary search) plus every running
 * period that began by M. */
static double mrr_at(const rev_row *rows, const acct_mrr *a, int32_t month)
{
	uint64_t lo = a->first, hi = a->first + a->n;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (rows[mid].month < month)
			lo = mid + 1;
		else
			hi = mid;
	}
	double v =
	    lo < a->first + a->n && rows[lo].month == month ? rows[lo].mrr : 0;
	for (uint64_t i = a->open_first;
	     i < a->open_first + a->n_open && rows[i].month <= month; i++)
		v += rows[i].mrr;
	return v;
}

/* Accumulators for one (segment, month). */
typedef struct rev_acc {
	double mrr, prev_mrr, paying, prev_paying, lost_logos;
	double new_, reactivation, expansion, contraction, churned;
	double base_l, now_l, kept_l; /* nrr/grr over S */
} rev_acc;

static double ratio(double a, double b)
{
	return b > 0 ? a / b : NAN;
}

void okra__eval_revenue(const okra_data *d, const okra_workspace *ws,
                        const okra_metric *m, const int32_t *dates,
                        size_t n_dates, const uint8_t *acct_pass,
                        const uint32_t *acct_seg, size_t n_attrs,
                        size_t n_segments, double *v)
{
	(void)ws;
	size_t S = n_segments, nv = (S + 1) * n_dates;
	uint64_t n = d->has_revenue ? d->revenue.n : 0;
	rev_row *rows = malloc((n + 1) * sizeof(*rows));
	acct_mrr *acc = calloc((size_t)d->accounts.n + 1, sizeof(*acc));
	rev_acc *sum = calloc(S + 1, sizeof(*sum));
	if (!rows || !acc || !sum) {
		for (size_t i = 0; i < nv; i++)
			v[i] = NAN;
		goto out;
	}
	for (uint64_t i = 0; i < n; i++)
		rows[i] = (rev_row){d->revenue.account[i], d->revenue.month[i],
		                    d->revenue.mrr[i], d->revenue.open[i]};
	/* Month rows first (by account, month), then running periods. */
	qsort(rows, n, sizeof(*rows), cmp_row);
	/* Overlapping periods of one account-month add up into one row. */
	uint64_t k = 0;
	for (uint64_t i = 0; i < n; i++) {
		if (k && !rows[i].open && !rows[k - 1].open &&
		    rows[k - 1].account == rows[i].account &&
		    rows[k - 1].month == rows[i].month)
			rows[k - 1].mrr += rows[i].mrr;
		else
			rows[k++] = rows[i];
	}
	n = k;
	for (uint32_t a = 0; a < d->accounts.n; a++)
		acc[a].first_paid = INT32_MAX;
	for (uint64_t i = 0; i < n; i++) {
		acct_mrr *a = &acc[rows[i].account];
		if (rows[i].open) {
			if (a->n_open == 0)
				a->open_first = i;
			a->n_open++;
		} else {
			if (a->n == 0)
				a->first = i;
			a->n++;
		}
		if (rows[i].mrr > 0 && rows[i].month < a->first_paid)
			a->first_paid = rows[i].month;
	}
	for (size_t i = 0; i < n_dates; i++) {
		int y, mo, dd;
		okra__civil_from_days(dates[i], &y, &mo, &dd);
		int32_t M = (y - 1970) * 12 + (mo - 1);
		memset(sum, 0, (S + 1) * sizeof(*sum));
		for (uint32_t a = 0; a < d->accounts.n; a++) {
			const acct_mrr *am = &acc[a];
			if ((am->n == 0 && am->n_open == 0) ||
			    (acct_pass && !acct_pass[a]))
				continue;
			double now = mrr_at(rows, am, M),
			       prev = mrr_at(rows, am, M - 1);
			double base = mrr_at(rows, am, M - m->lookback);
			for (size_t t = 0; t <= n_attrs; t++) {
				rev_acc *s =
				    &sum[t ? acct_seg[(size_t)a * n_attrs + t -
				                      1]
				           : 0];
				s->mrr += now;
				s->prev_mrr += prev;
				s->paying += now > 0;
				s->prev_paying += prev > 0;
				s->lost_logos += prev > 0 && now == 0;
				if (now > 0 && am->first_paid == M)
					s->new_ += now;
				if (now > 0 && prev == 0 &&
				    am->first_paid < M - 1)
					s->reactivation += now;
				if (now > 0 && prev > 0 && now > prev)
					s->expansion += now - prev;
				if (now > 0 && prev > 0 && now < prev)
					s->contraction += prev - now;
				if (prev > 0 && now == 0)
					s->churned += prev;
				if (base > 0) {
					s->base_l += base;
					s->now_l += now;
					s->kept_l += now < base ? now : base;
				}
			}
		}
		for (size_t seg = 0; seg <= S; seg++) {
			const rev_acc *s = &sum[seg];
			double x = NAN;
			switch (m->revenue_measure) {
			case OKRA_REV_MRR:
				x = s->mrr;
				break;
			case OKRA_REV_ARR:
				x = 12 * s->mrr;
				break;
			case OKRA_REV_PAYING_ACCOUNTS:
				x = s->paying;
				break;
			case OKRA_REV_ARPA:
				x = ratio(s->mrr, s->paying);
				break;
			case OKRA_REV_NEW:
				x = s->new_;
				break;
			case OKRA_REV_REACTIVATION:
				x = s->reactivation;
				break;
			case OKRA_REV_EXPANSION:
				x = s->expansion;
				break;
			case OKRA_REV_CONTRACTION:
				x = s->contraction;
				break;
			case OKRA_REV_CHURNED:
				x = s->churned;
				break;
			case OKRA_REV_NRR:
				x = ratio(s->now_l, s->base_l);
				break;
			case OKRA_REV_GRR:
				x = ratio(s->kept_l, s->base_l);
				break;
			case OKRA_REV_LOGO_CHURN:
				x = ratio(s->lost_logos, s->prev_paying);
				break;
			case OKRA_REV_REVENUE_CHURN:
				x = ratio(s->churned + s->contraction,
				          s->prev_mrr);
				break;
			default:
				break;
			}
			v[seg * n_dates + i] = x;
		}
	}
out:
	free(rows);
	free(acc);
	free(sum);
}
