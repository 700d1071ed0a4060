/*
 * anomalies.c - okra anomalies: every checked metric's daily series
 * against the same weekday of the 8 weeks before, the segment that
 * explains each anomaly, the filters (SPEC 13, anomalies.h).
 *
 * The statistics are pure functions at the top.  okra__anomalies_eval
 * reads the engine only through query/query.h and the result accessors:
 * one evaluation of every metric at every day of the window and its
 * baseline (and every segment).  Prints nothing; the list owns copies of
 * the strings it makes and borrows the workspace.
 */
#include "okr/anomalies.h"
#include "query/query.h"
#include "model/format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAD_SCALE  1.4826 /* sigma of a normal from its median |x - med| */
#define MEAN_SCALE 1.2533 /* sigma of a normal from its mean |x - med| */
#define BASELINE   (OKRA_ANOMALY_WEEKS * 7) /* days before the window */

/* ---------------------------------------------------------------------
 * Arithmetic
 * --------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double okra__anomaly_median(const double *v, size_t n)
{
	double w[OKRA_ANOMALY_WEEKS * 8];
	size_t k = 0;
	for (size_t i = 0; i < n && k < OKRA_ARRAY_LEN(w); i++)
		if (!isnan(v[i]))
			w[k++] = v[i];
	if (k == 0)
		return NAN;
	qsort(w, k, sizeof(*w), cmp_double);
	return k % 2 ? w[k / 2] : (w[k / 2 - 1] + w[k / 2]) / 2;
}

bool okra__anomaly_stat(double x, const double *baseline, size_t n, double k,
                        okra_anomaly_stat *out)
{
	double dev[OKRA_ANOMALY_WEEKS * 8];
	size_t m = 0;
	if (isnan(x) || n > OKRA_ARRAY_LEN(dev))
		return false;
	for (size_t i = 0; i < n; i++)
		m += !isnan(baseline[i]);
	if (m < OKRA_ANOMALY_MIN_VALUES)
		return false;
	double med = okra__anomaly_median(baseline, n), sum = 0;
	m = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(baseline[i])) {
			dev[m] = fabs(baseline[i] - med);
			sum += dev[m++];
		}
	double sigma = MAD_SCALE * okra__anomaly_median(dev, m);
	if (sigma == 0)
		sigma = MEAN_SCALE * sum / (double)m;
	*out = (okra_anomaly_stat){
	    .median = med,
	    .sigma = sigma,
	    .z = sigma > 0 ? (x - med) / sigma : NAN,
	    .low = med - k * sigma,
	    .high = med + k * sigma,
	    .change = med != 0 ? (x - med) / fabs(med) : NAN,
	    .is_up = x > med,
	};
	out->is_anomaly = sigma > 0 ? fabs(out->z) > k : x != med;
	return true;
}

int okra__anomaly_explain(bool additive, double dev, const double *seg_dev,
                          const double *seg_z, size_t n, double *share)
{
	int best = -1;
	double best_v = 0;
	*share = NAN;
	if (isnan(dev) || dev == 0)
		return -1;
	for (size_t s = 0; s < n; s++) {
		double v;
		if (additive) {
			v = seg_dev[s] / dev;
			if (isnan(v) || !(v > 0))
				continue;
		} else {
			v = seg_z[s];
			if (isnan(v) || (v > 0) != (dev > 0) || v == 0)
				continue;
			v = fabs(v);
		}
		if (best < 0 || v > best_v) {
			best = (int)s;
			best_v = v;
		}
	}
	if (best >= 0 && additive)
		*share = best_v;
	return best;
}

const char *okra__weekday_name(int32_t day)
{
	static const char *const names[7] = {"Monday",   "Tuesday", "Wednesday",
	                                     "Thursday", "Friday",  "Saturday",
	                                     "Sunday"};
	return names[okra__weekday(day)];
}

/* ---------------------------------------------------------------------
 * Words: every output describes an anomaly the same way
 * --------------------------------------------------------------------- */

#define MINUS "\xe2\x88\x92"

static void human(okra_buf *b, const okra_metric *m, double v)
{
	okra__human(b, m, okra__metric_is_count(m) && v == floor(v), v);
}

/* v as human() prints it with extra more decimals (money in full, to
 * the cent); extra 0 is human()'s text. */
static void human_at(okra_buf *b, const okra_metric *m, double v, int extra)
{
	if (!extra || !isfinite(v) ||
	    (okra__metric_is_count(m) && v == floor(v))) {
		human(b, m, v);
		return;
	}
	switch (m->unit) {
	case OKRA_UNIT_PERCENT:
		okra__buf_printf(b, "%.*f%%", 1 + extra, v * 100);
		break;
	case OKRA_UNIT_HOURS:
		okra__buf_printf(b, "%.*f h", 1 + extra, v);
		break;
	case OKRA_UNIT_SCORE:
		okra__buf_printf(b, "%.*f", 1 + extra, v);
		break;
	case OKRA_UNIT_RATIO:
		okra__buf_printf(b, "%.*f", 3 + extra, v);
		break;
	case OKRA_UNIT_CURRENCY: {
		okra_money full = m->money ? *m->money : (okra_money){0};
		okra_metric at = *m;
		full.full = true;
		at.money = &full;
		human(b, &at, v);
		break;
	}
	default:
		okra__buf_printf(b, "%.*f", 2 + extra, v);
	}
}

/* The bounds of the usual band as shown: clamped to the values m can
 * take, a count's to the whole numbers inside it (so a count outside
 * never reads as a bound); the median alone (*lo == *hi) when the
 * baseline is flat. */
static void band_bounds(const okra_metric *m, const okra_anomaly_stat *st,
                        double *lo, double *hi)
{
	bool share = m->unit == OKRA_UNIT_PERCENT;
	bool positive = m->unit == OKRA_UNIT_COUNT ||
	                m->unit == OKRA_UNIT_CURRENCY ||
	                m->unit == OKRA_UNIT_HOURS;
	if (st->sigma == 0) {
		*lo = *hi = st->median;
		return;
	}
	*lo = st->low;
	*hi = st->high;
	if ((share || positive) && *lo < 0)
		*lo = 0;
	if (share && *hi > 1)
		*hi = 1;
	if ((okra__metric_is_count(m) || m->unit == OKRA_UNIT_COUNT) &&
	    ceil(*lo) <= floor(*hi)) {
		*lo = ceil(*lo);
		*hi = floor(*hi);
	}
}

static void band_at(okra_buf *b, const okra_metric *m,
                    const okra_anomaly_stat *st, int extra)
{
	double lo, hi;
	band_bounds(m, st, &lo, &hi);
	human_at(b, m, lo, extra);
	if (st->sigma == 0)
		return;
	okra__buf_puts(b, "..");
	human_at(b, m, hi, extra);
}

void okra__anomaly_value_band(okra_buf *value, okra_buf *band,
                              const okra_metric *m, const okra_anomaly *a)
{
	/* One more decimal at a time while the value's text is a bound's:
	 * 13.88% below a band from 13.93% reads "13.88%, usually
	 * 13.93%..15.07%", not "13.9%, usually 13.9%..15.1%". */
	double lo, hi;
	band_bounds(m, &a->st, &lo, &hi);
	okra_buf v = {0}, l = {0}, h = {0};
	int extra = 0;
	for (; extra < 4; extra++) {
		v.len = l.len = h.len = 0;
		human_at(&v, m, a->value, extra);
		human_at(&l, m, lo, extra);
		human_at(&h, m, hi, extra);
		if (v.failed || l.failed || h.failed ||
		    (strcmp(v.data, l.data) != 0 &&
		     strcmp(v.data, h.data) != 0))
			break;
	}
	okra__buf_free(&v);
	okra__buf_free(&l);
	okra__buf_free(&h);
	human_at(value, m, a->value, extra);
	band_at(band, m, &a->st, extra);
}

void okra__anomaly_z(okra_buf *b, double z)
{
	okra__buf_printf(b, "%s%.1f", z < 0 ? MINUS : "", fabs(z));
}

void okra__anomaly_change(okra_buf *b, const okra_anomaly_stat *st)
{
	if (isnan(st->change))
		okra__buf_printf(b, "%s from 0", st->is_up ? "up" : "down");
	else
		okra__buf_printf(b, "%s %.0f%%", st->is_up ? "up" : "down",
		                 fabs(st->change) * 100);
}

void okra__anomaly_segment(okra_buf *b, const okra_anomaly *a)
{
	okra__buf_printf(b, "%s=%s ", a->seg_attr, a->seg_value);
	if (!isnan(a->seg_share)) {
		okra__buf_printf(b, "explains %.0f%%", a->seg_share * 100);
	} else {
		okra__buf_puts(b, "moved most (z ");
		okra__anomaly_z(b, a->seg_z);
		okra__buf_putc(b, ')');
	}
}

void okra__anomaly_describe(okra_buf *b, const okra_workspace *ws,
                            const okra_anomaly *a)
{
	const okra_metric *m = &ws->metrics[a->metric];
	okra_buf band = {0};
	okra__anomaly_value_band(b, &band, m, a);
	okra__buf_puts(b, ", usually ");
	okra__buf_puts(b, band.data ? band.data : "");
	okra__buf_free(&band);
	okra__buf_printf(b, " on a %s (", okra__weekday_name(a->date));
	if (isnan(a->st.z)) {
		okra__buf_puts(b, "flat baseline");
	} else {
		okra__buf_puts(b, "z ");
		okra__anomaly_z(b, a->st.z);
	}
	okra__buf_puts(b, "), ");
	okra__anomaly_change(b, &a->st);
	if (a->seg_attr) {
		okra__buf_puts(b, "; ");
		okra__anomaly_segment(b, a);
	}
}

/* ---------------------------------------------------------------------
 * Which metrics, which days
 * --------------------------------------------------------------------- */

typedef struct reads_ctx {
	const okra_workspace *ws;
	const okra_metric *bad; /* the first revenue or manual input */
	int depth;
} reads_ctx;

static void reads_input(int input, void *p)
{
	reads_ctx *c = p;
	if (input < 0 || c->bad || c->depth > 64)
		return;
	const okra_metric *m = &c->ws->metrics[input];
	if (m->type == OKRA_METRIC_REVENUE || m->type == OKRA_METRIC_MANUAL) {
		c->bad = m;
		return;
	}
	c->depth++;
	okra__metric_inputs(m, reads_input, c);
	c->depth--;
}

bool okra__anomaly_checks(const okra_workspace *ws, const okra_metric *m,
                          okra_arena *a, const char **why)
{
	const char *reason = NULL;
	if (m->type == OKRA_METRIC_REVENUE || m->type == OKRA_METRIC_MANUAL) {
		reason = okra__arena_printf(
		    a,
		    "%s is a %s metric: %s, so it has no daily series to "
		    "check",
		    m->id, okra__metric_types[m->type].name,
		    m->type == OKRA_METRIC_REVENUE
		        ? "revenue moves once a month"
		        : "its check-ins are sparse");
	} else {
		reads_ctx c = {.ws = ws};
		okra__metric_inputs(m, reads_input, &c);
		if (c.bad)
			reason = okra__arena_printf(
			    a,
			    "%s reads %s, a %s metric: %s, so it has no daily "
			    "series to check",
			    m->id, c.bad->id,
			    okra__metric_types[c.bad->type].name,
			    c.bad->type == OKRA_METRIC_REVENUE
			        ? "revenue moves once a month"
			        : "its check-ins are sparse");
	}
	if (why)
		*why = reason;
	return reason == NULL;
}

typedef struct partial_ctx {
	const okra_workspace *ws;
	int32_t day, first_day;
	bool partial;
	int depth;
} partial_ctx;

static void partial_of(partial_ctx *c, const okra_metric *m);

static void partial_input(int input, void *p)
{
	partial_ctx *c = p;
	if (input >= 0 && !c->partial && c->depth < 64) {
		c->depth++;
		partial_of(c, &c->ws->metrics[input]);
		c->depth--;
	}
}

/* Does m's value as of c->day read days before the data begins (a
 * window or cohort that starts before its first day)? */
static void partial_of(partial_ctx *c, const okra_metric *m)
{
	int32_t first, last;
	switch (okra__metric_types[m->type].scan) {
	case OKRA_SCAN_EVENTS:
	case OKRA_SCAN_ENTITIES:
		if (okra__metric_caps(m) & OKRA_CAP_COHORT)
			okra__plan_cohort(m, c->day, &first, &last);
		else if (m->window.kind == OKRA_WINDOW_ALL)
			first = c->day;
		else
			okra__plan_window(c->ws, &m->window, c->day, &first,
			                  &last);
		c->partial |= first < c->first_day;
		break;
	case OKRA_SCAN_DERIVED:
		okra__metric_inputs(m, partial_input, c);
		break;
	default:
		break;
	}
}

/* Can the value of ws metric mi at date index i be compared: the data
 * covers its whole window or cohort? */
static bool usable(const okra_result *r, int mi, size_t i, int32_t first_day)
{
	if (first_day < 0 || !okra__result_complete(r, mi, i))
		return false;
	partial_ctx c = {.ws = r->ws,
	                 .day = okra__result_date(r, i),
	                 .first_day = first_day};
	partial_of(&c, &r->ws->metrics[mi]);
	return !c.partial;
}

/* ---------------------------------------------------------------------
 * Evaluation
 * --------------------------------------------------------------------- */

static okra_rc nomem(okra_err *err)
{
	return okra__nomem(err);
}

/* The value of (mi, row) at date index i, NaN when not usable. */
static double at(const okra_result *r, const bool *ok, int mi, size_t row,
                 size_t i)
{
	return ok[i] ? okra__result_at(r, mi, row, i) : NAN;
}

/* Checks row of metric mi at date index i against its baseline. */
static bool check(const okra_result *r, const bool *ok, int mi, size_t row,
                  size_t i, double k, double *x, okra_anomaly_stat *st)
{
	double base[OKRA_ANOMALY_WEEKS];
	for (size_t w = 0; w < OKRA_ANOMALY_WEEKS; w++)
		base[w] = at(r, ok, mi, row, i - 7 * (w + 1));
	*x = at(r, ok, mi, row, i);
	return okra__anomaly_stat(*x, base, OKRA_ANOMALY_WEEKS, k, st);
}

/* Is attribute name one the anomaly of m is explained by? */
static bool explains_by(const okra_anomaly_opts *o, const okra_metric *m,
                        const char *name)
{
	if (o->by)
		return strcmp(o->by, name) == 0;
	for (size_t i = 0; i < m->n_segments; i++)
		if (strcmp(m->segments[i], name) == 0)
			return true;
	return false;
}

typedef struct seg_scratch {
	size_t *rows;
	double *dev, *z;
} seg_scratch;

/* The segment that explains anomaly a (row i of the result). */
static void explain(okra_anomalies *l, const okra_result *r, const bool *ok,
                    const okra_anomaly_opts *o, size_t i, seg_scratch *sc,
                    okra_anomaly *a)
{
	const okra_metric *m = &l->ws->metrics[a->metric];
	size_t n = 0;
	for (size_t j = 0; j < r->seg.n_attrs; j++) {
		const okra_segment_attr *at_ = &r->seg.attrs[j];
		if (!explains_by(o, m, at_->name))
			continue;
		for (size_t s = 0; s < at_->n; s++) {
			size_t row = at_->first + s + 1;
			double x;
			okra_anomaly_stat st;
			if (!check(r, ok, a->metric, row, i, l->k, &x, &st))
				continue;
			sc->rows[n] = row;
			sc->dev[n] = x - st.median;
			sc->z[n] = st.z;
			n++;
		}
	}
	double share;
	bool additive = okra__metric_caps(m) & OKRA_CAP_ADDITIVE;
	int best = okra__anomaly_explain(additive, a->value - a->st.median,
	                                 sc->dev, sc->z, n, &share);
	if (best < 0)
		return;
	size_t row = sc->rows[best];
	a->seg_attr = okra__result_segment_attr(r, row)->name;
	a->seg_value =
	    okra__arena_strdup(&l->arena, okra__result_segment(r, row));
	a->seg_attr = okra__arena_strdup(&l->arena, a->seg_attr);
	a->seg_deviation = sc->dev[best];
	a->seg_share = share;
	a->seg_z = sc->z[best];
}

static bool passes(const okra_anomaly_opts *o, const okra_anomaly_stat *st)
{
	if (o->direction && (o->direction > 0) != st->is_up)
		return false;
	/* A change from 0 has no relative size: it passes any minimum. */
	if (!isnan(o->min_change) && !isnan(st->change) &&
	    fabs(st->change) < o->min_change)
		return false;
	return true;
}

/* |z| for sorting: a flat baseline's anomaly ranks above any z. */
static double z_rank(const okra_anomaly *a)
{
	return isnan(a->st.z) ? INFINITY : fabs(a->st.z);
}

static int cmp_anomaly(const void *pa, const void *pb)
{
	const okra_anomaly *a = pa, *b = pb;
	if (a->date != b->date)
		return a->date > b->date ? -1 : 1;
	double za = z_rank(a), zb = z_rank(b);
	if (za != zb)
		return za > zb ? -1 : 1;
	return strcmp(a->id, b->id);
}

static okra_rc check_ids(const okra_workspace *ws, const okra_anomaly_opts *o,
                         okra_arena *a, okra_err *err)
{
	for (size_t i = 0; i < o->n_ids; i++) {
		int mi = okra__find_metric(ws, o->ids[i]);
		const char *why = NULL;
		if (mi < 0) {
			const char *near = okra__nearest_id(
			    o->ids[i], ws->metrics, ws->n_metrics,
			    sizeof(*ws->metrics));
			return okra__err_set(
			    err, OKRA_ERR_USAGE, NULL, 0, 0,
			    "unknown metric \"%s\"%s%s%s", o->ids[i],
			    near ? "; did you mean \"" : "", near ? near : "",
			    near ? "\"?" : "");
		}
		if (!okra__anomaly_checks(ws, &ws->metrics[mi], a, &why))
			return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
			                     "%s", why ? why : "out of memory");
	}
	return OKRA_OK;
}

/* Appends anomaly a to l's items (grown in l's arena). */
static bool push(okra_anomalies *l, size_t *cap, const okra_anomaly *a)
{
	okra_anomaly *v = okra__arena_grow(&l->arena, l->items, cap, l->n_items,
	                                   sizeof(*v), 16);
	if (!v)
		return false;
	l->items = v;
	l->items[l->n_items++] = *a;
	return true;
}

/* The one pass over every day of the window and of the 8 weeks before,
 * then every metric's days checked into l. */
static okra_rc check_all(okra_engine *e, const okra_anomaly_opts *o,
                         const char *const *ids, size_t n_ids,
                         okra_anomalies *l, okra_err *err)
{
	const okra_workspace *ws = okra__engine_workspace(e);
	size_t n_dates = (size_t)o->days + BASELINE, cap = 0;
	int32_t first = o->asof - (int32_t)n_dates + 1;
	int32_t *dates = malloc(n_dates * sizeof(*dates));
	bool *ok = malloc(n_dates * sizeof(*ok));
	okra_result *r = okra__result_new(e);
	seg_scratch sc = {0};
	okra_rc rc = OKRA_OK;
	if (!dates || !ok || !r) {
		rc = nomem(err);
		goto out;
	}
	for (size_t i = 0; i < n_dates; i++)
		dates[i] = first + (int32_t)i;
	if ((rc = okra__plan_build(ws, ids, n_ids, dates, n_dates, o->by,
	                           &r->plan, err)))
		goto out;
	for (size_t k = 0; o->no_segments && k < r->plan.n_items; k++)
		r->plan.items[k].requested = false;
	r->plan.pin = o->pin;
	r->plan.n_pin = o->n_pin;
	if ((o->n_pin && (rc = okra__check_pins(e, r, false, err))) ||
	    (rc = okra__engine_evaluate(e, r, err)))
		goto out;
	size_t S = okra__result_n_segments(r);
	sc.rows = calloc(S + 1, sizeof(*sc.rows));
	sc.dev = calloc(S + 1, sizeof(*sc.dev));
	sc.z = calloc(S + 1, sizeof(*sc.z));
	if (!sc.rows || !sc.dev || !sc.z) {
		rc = nomem(err);
		goto out;
	}
	int32_t first_day = okra__engine_first_day(e);
	for (size_t k = 0; k < n_ids; k++) {
		int mi = okra__find_metric(ws, ids[k]);
		for (size_t i = 0; i < n_dates; i++)
			ok[i] = usable(r, mi, i, first_day);
		for (size_t i = BASELINE; i < n_dates; i++) {
			okra_anomaly a = {.metric = mi,
			                  .id = ws->metrics[mi].id,
			                  .date = dates[i]};
			if (!check(r, ok, mi, 0, i, o->k, &a.value, &a.st) ||
			    !a.st.is_anomaly || !passes(o, &a.st))
				continue;
			if (!o->no_segments)
				explain(l, r, ok, o, i, &sc, &a);
			if (!push(l, &cap, &a)) {
				rc = nomem(err);
				goto out;
			}
		}
	}
out:
	okra_result_free(r);
	free(dates);
	free(ok);
	free(sc.rows);
	free(sc.dev);
	free(sc.z);
	return rc;
}

okra_rc okra__anomalies_eval(okra_engine *e, const okra_anomaly_opts *o,
                             okra_anomalies **out, okra_err *err)
{
	const okra_workspace *ws = okra__engine_workspace(e);
	const char **ids = calloc(ws->n_metrics + o->n_ids + 1, sizeof(*ids));
	okra_anomalies *l = calloc(1, sizeof(*l));
	okra_rc rc = OKRA_OK;
	if (!ids || !l) {
		rc = nomem(err);
		goto out;
	}
	*l = (okra_anomalies){.ws = ws,
	                      .asof = o->asof,
	                      .days = o->days,
	                      .k = o->k,
	                      .direction = o->direction,
	                      .min_change = o->min_change};
	if (o->by && !(l->by = okra__arena_strdup(&l->arena, o->by))) {
		rc = nomem(err);
		goto out;
	}
	if ((rc = check_ids(ws, o, &l->arena, err)))
		goto out;
	size_t n_ids = 0;
	if (o->n_ids) {
		for (size_t i = 0; i < o->n_ids; i++) {
			size_t k = 0;
			while (k < n_ids && strcmp(ids[k], o->ids[i]) != 0)
				k++;
			if (k == n_ids)
				ids[n_ids++] = o->ids[i];
		}
	} else {
		for (size_t m = 0; m < ws->n_metrics; m++)
			if (okra__anomaly_checks(ws, &ws->metrics[m], &l->arena,
			                         NULL))
				ids[n_ids++] = ws->metrics[m].id;
	}
	l->n_metrics = n_ids;
	l->data_last =
	    okra__engine_first_day(e) >= 0 ? okra__engine_last_day(e) : -1;
	/* Nothing to check is no pass (no ids would mean every metric). */
	if (n_ids && (rc = check_all(e, o, ids, n_ids, l, err)))
		goto out;
	if (l->n_items > 1)
		qsort(l->items, l->n_items, sizeof(*l->items), cmp_anomaly);
	if (l->arena.failed)
		rc = nomem(err);
out:
	free(ids);
	if (rc) {
		okra_anomalies_free(l);
		return rc;
	}
	*out = l;
	return OKRA_OK;
}

/* ---------------------------------------------------------------------
 * The public entry: the request's options as text
 * --------------------------------------------------------------------- */

static okra_rc parse_days(const char *s, int *out, okra_err *err)
{
	char *end;
	long v = s && *s ? strtol(s, &end, 10) : 0;
	if (!s || !*s || *end || v < 1 || v > OKRA_MAX_ANOMALY_DAYS)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "days must be a whole number from 1 to %d "
		                     "(OKRA_MAX_ANOMALY_DAYS), not \"%s\"",
		                     OKRA_MAX_ANOMALY_DAYS, s ? s : "");
	*out = (int)v;
	return OKRA_OK;
}

static okra_rc parse_k(const char *s, double *out, okra_err *err)
{
	char *end;
	double v = s && *s ? strtod(s, &end) : NAN;
	if (!s || !*s || *end || !isfinite(v) || !(v > 0))
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "k must be a number above 0 (the robust "
		                     "z beyond which a day is an anomaly), not "
		                     "\"%s\"",
		                     s ? s : "");
	*out = v;
	return OKRA_OK;
}

/* "30%" or "0.3": a share of the usual value, at least 0. */
static okra_rc parse_change(const char *s, double *out, okra_err *err)
{
	char *end;
	double v = s && *s ? strtod(s, &end) : NAN;
	bool percent = !isnan(v) && *end == '%' && end[1] == '\0';
	if (!s || !*s || isnan(v) || (*end && !percent) || !isfinite(v) ||
	    v < 0)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "min-change must be a share of the usual "
		                     "value like 30%% or 0.3, not \"%s\"",
		                     s ? s : "");
	*out = percent ? v / 100 : v;
	return OKRA_OK;
}

static okra_rc parse_direction(const char *s, int *out, okra_err *err)
{
	if (strcmp(s, "up") == 0)
		*out = 1;
	else if (strcmp(s, "down") == 0)
		*out = -1;
	else
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "direction must be up or down, not \"%s\"",
		                     s);
	return OKRA_OK;
}

okra_rc okra_anomalies_run(okra_engine *e, const okra_anomaly_request *req,
                           okra_anomalies **out, okra_err *err)
{
	okra_anomaly_opts o = {.asof = okra__engine_last_day(e),
	                       .days = OKRA_ANOMALY_DEFAULT_DAYS,
	                       .k = OKRA_ANOMALY_DEFAULT_K,
	                       .ids = req->metrics,
	                       .n_ids = req->n_metrics,
	                       .by = req->by,
	                       .min_change = NAN};
	okra_rc rc = OKRA_OK;
	if ((req->asof &&
	     (rc = okra__engine_day(e, req->asof, "asof", &o.asof, err))) ||
	    (req->days && (rc = parse_days(req->days, &o.days, err))) ||
	    (req->k && (rc = parse_k(req->k, &o.k, err))) ||
	    (req->min_change &&
	     (rc = parse_change(req->min_change, &o.min_change, err))) ||
	    (req->direction &&
	     (rc = parse_direction(req->direction, &o.direction, err))))
		return rc;
	return okra__anomalies_eval(e, &o, out, err);
}

size_t okra_anomalies_count(const okra_anomalies *l, const char *direction)
{
	size_t n = 0;
	for (size_t i = 0; l && i < l->n_items; i++)
		n += !direction ||
		     (strcmp(direction, "up") == 0) == l->items[i].st.is_up;
	return n;
}

void okra_anomalies_free(okra_anomalies *l)
{
	if (!l)
		return;
	okra__arena_free(&l->arena);
	free(l);
}
