/*
 * experiment.c - the embedded engine's measurement of an experiment
 * (plan/experiment.h, SPEC 14): one walk over the accounts and/or users,
 * each entity's events in time order.
 *
 * For each entity: its first exposure between start and D (an exposure
 * event carrying the variant property), whether it saw another variant
 * (then it is excluded and counted), and every outcome measured from the
 * exposure instant t0 and, as the covariate, over the window of the same
 * length ending at t0.  Filters come from filter.c.  No allocation per
 * event or per entity: the units grow in amortised arrays, copied into
 * the caller's arena at the end.  Reads no event after the end of D.
 */
#include "engine/experiment.h"
#include "engine/eval.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * State of the walk
 * --------------------------------------------------------------------- */

typedef struct boutcome {
	const okra_metric *m;
	okra_exp_part part;
	int days;
	bool user_kind;
	okra_bfilter filter, target, measure;
	okra_bfilter *steps;
	const okra_prop *prop;
	const okra_attr *ratio_attr;
} boutcome;

/* A variant as the property column holds it: a text code or a number. */
typedef struct vkey {
	bool is_num;
	uint32_t code;
	double num;
} vkey;

/* The units of one entity kind while they grow. */
typedef struct grow_units {
	size_t n, cap;
	uint8_t *variant;
	double *y, *x;
	size_t excluded_multi, no_variant;
} grow_units;

typedef struct xscan {
	okra_data *d;
	const okra_exp_query *q;
	int64_t t_start, t_end; /* start 00:00, (D + 1) 00:00 */
	okra_bfilter exposure;
	const okra_prop *vprop;
	boutcome *bo;
	size_t k; /* outcomes */
	vkey keys[OKRA_MAX_EXPERIMENT_VARIANTS];
	const char *names[OKRA_MAX_EXPERIMENT_VARIANTS];
	size_t n_variants;
	uint32_t *user_mark; /* distinct users: mark == stamp means seen */
	uint32_t stamp;
	grow_units units[2];
	okra_arena scratch; /* bound filters */
	okra_arena *out;    /* variant names */
	okra_rc rc;
	okra_err *err;
} xscan;

/* One entity's events: rows in time order, up to the end of D. */
typedef struct entity_rows {
	const uint32_t *list; /* NULL: the rows r0, r0 + 1, ... */
	uint64_t r0;
	size_t n;
	uint32_t acct;  /* for filters: the account, OKRA_NONE = per row */
	uint32_t owner; /* the entity's own account (ratio_to) */
} entity_rows;

static inline uint32_t row_at(const entity_rows *e, size_t i)
{
	return e->list ? e->list[e->r0 + i] : (uint32_t)(e->r0 + i);
}

/* The first index whose event is at or after instant t. */
static size_t first_at(const okra_data *d, const entity_rows *e, int64_t t)
{
	size_t lo = 0, hi = e->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (okra__ts(d, row_at(e, mid)) < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The index of row in the sparse property p, or -1 when absent. */
static int64_t prop_index(const okra_prop *p, uint32_t row)
{
	uint64_t lo = okra__prop_lower(p, 0, p->n, row);
	return lo < p->n && p->row[lo] == row ? (int64_t)lo : -1;
}

static bool prop_number(const okra_prop *p, uint32_t row, double *v)
{
	int64_t i = p ? prop_index(p, row) : -1;
	if (i < 0 || isnan(p->num[i]))
		return false;
	*v = p->num[i];
	return true;
}

/* ---------------------------------------------------------------------
 * Outcomes over one window
 * --------------------------------------------------------------------- */

static inline bool match(const okra_bfilter *f, const okra_data *d,
                         const entity_rows *e, uint32_t row)
{
	return okra__filter_match(f, d, row, e->acct);
}

/* Events over [a, b): count, sum, average, per active, active. */
static double event_outcome(xscan *s, const boutcome *b, const entity_rows *e,
                            int64_t a, int64_t end)
{
	const okra_data *d = s->d;
	const okra_metric *m = b->m;
	double count = 0, sum = 0, with_prop = 0;
	uint32_t days = 0;
	int32_t last_day = INT32_MIN;
	bool any = false;
	for (size_t i = first_at(d, e, a); i < e->n; i++) {
		uint32_t r = row_at(e, i);
		if (okra__ts(d, r) >= end)
			break;
		any = true;
		if (b->part == OKRA_EXP_ANY_EVENT)
			break;
		if (!match(&b->filter, d, e, r))
			continue;
		count++;
		int32_t day = okra__day(d, r);
		if (day != last_day) {
			days++;
			last_day = day;
		}
		double v;
		if (b->prop && prop_number(b->prop, r, &v)) {
			sum += v;
			with_prop++;
		}
	}
	switch (b->part) {
	case OKRA_EXP_ANY_EVENT:
		return any;
	case OKRA_EXP_N_VALUES:
		return with_prop;
	default:
		break;
	}
	switch (m->type) {
	case OKRA_METRIC_COUNT:
		return count;
	case OKRA_METRIC_SUM:
	case OKRA_METRIC_AVG:
		return sum;
	default: /* active */
		return count >= m->min_events && days >= (uint32_t)m->min_days;
	}
}

/* Conversion: the target (or every step in order, greedily, earliest
 * first) within [anchor, anchor + within). */
static double conversion_outcome(const xscan *s, const boutcome *b,
                                 const entity_rows *e, int64_t anchor,
                                 int64_t end)
{
	const okra_data *d = s->d;
	const okra_metric *m = b->m;
	if (m->n_steps == 0) {
		for (size_t i = first_at(d, e, anchor); i < e->n; i++) {
			uint32_t r = row_at(e, i);
			if (okra__ts(d, r) >= end)
				break;
			if (match(&b->target, d, e, r))
				return 1;
		}
		return 0;
	}
	size_t used[OKRA_MAX_FUNNEL_STEPS];
	int64_t t_prev = anchor;
	for (size_t k = 0; k < m->n_steps; k++) {
		bool found = false;
		size_t i = first_at(d, e, t_prev);
		for (; i < e->n && okra__ts(d, row_at(e, i)) < end; i++) {
			bool taken = false;
			for (size_t j = 0; j < k && !taken; j++)
				taken = used[j] == i;
			if (!taken && match(&b->steps[k], d, e, row_at(e, i))) {
				found = true;
				break;
			}
		}
		if (!found)
			return 0;
		used[k] = i;
		t_prev = okra__ts(d, row_at(e, i));
	}
	return 1;
}

/* Retention: an activity event on any day first .. last. */
static double retention_outcome(const xscan *s, const boutcome *b,
                                const entity_rows *e, int32_t first,
                                int32_t last)
{
	const okra_data *d = s->d;
	for (size_t i = first_at(d, e, (int64_t)first * OKRA_MICROS_PER_DAY);
	     i < e->n; i++) {
		uint32_t r = row_at(e, i);
		if (okra__day(d, r) > last)
			break;
		if (match(&b->filter, d, e, r))
			return 1;
	}
	return 0;
}

/* Threshold: active in [a, end) with the measure at or over at_least. */
static double threshold_outcome(xscan *s, const boutcome *b,
                                const entity_rows *e, int64_t a, int64_t end)
{
	const okra_data *d = s->d;
	const okra_metric *m = b->m;
	uint64_t n_act = 0, n_cnt = 0;
	uint32_t days = 0, distinct = 0;
	int32_t last_day = INT32_MIN;
	bool users = m->measure == OKRA_MEASURE_DISTINCT_USERS ||
	             m->measure == OKRA_MEASURE_RATIO_TO;
	if (users && ++s->stamp == 0) { /* wrapped: forget every mark */
		memset(s->user_mark, 0,
		       ((size_t)d->users.n + 1) * sizeof(uint32_t));
		s->stamp = 1;
	}
	for (size_t i = first_at(d, e, a); i < e->n; i++) {
		uint32_t r = row_at(e, i);
		if (okra__ts(d, r) >= end)
			break;
		if (m->measure == OKRA_MEASURE_COUNT &&
		    match(&b->measure, d, e, r))
			n_cnt++;
		if (!match(&b->filter, d, e, r))
			continue;
		n_act++;
		int32_t day = okra__day(d, r);
		if (day != last_day) {
			days++;
			last_day = day;
		}
		uint32_t u = d->user[r];
		if (users && u != OKRA_NONE && s->user_mark[u] != s->stamp) {
			s->user_mark[u] = s->stamp;
			distinct++;
		}
	}
	if (n_act == 0)
		return 0;
	double v = 0;
	switch (m->measure) {
	case OKRA_MEASURE_COUNT:
		v = (double)n_cnt;
		break;
	case OKRA_MEASURE_DISTINCT_USERS:
		v = distinct;
		break;
	case OKRA_MEASURE_ACTIVE_DAYS:
		v = days;
		break;
	case OKRA_MEASURE_RATIO_TO: {
		double base = b->ratio_attr && e->owner != OKRA_NONE
		                  ? b->ratio_attr->num[e->owner]
		                  : NAN;
		v = base > 0 ? distinct / base : -INFINITY;
		break;
	}
	}
	return v >= m->at_least;
}

/* Outcome k of an entity exposed at t0: *y from t0 (NaN when its window
 * is not over by the end of D), *x over the same length before t0. */
static void outcome(xscan *s, const boutcome *b, const entity_rows *e,
                    int64_t t0, double *y, double *x)
{
	const okra_metric *m = b->m;
	int64_t len = (int64_t)b->days * OKRA_MICROS_PER_DAY;
	*y = NAN;
	if (m->type == OKRA_METRIC_RETENTION) {
		int32_t A = okra__day_of(t0);
		int n1 = m->has_between ? m->between_lo : m->day_n;
		int n2 = m->has_between ? m->between_hi : m->day_n;
		if ((int64_t)A + n2 <= s->q->last_day)
			*y = retention_outcome(s, b, e, A + n1, A + n2);
		*x = retention_outcome(s, b, e, A - n2, A - n1);
		return;
	}
	bool mature = t0 + len <= s->t_end;
	switch (m->type) {
	case OKRA_METRIC_CONVERSION:
		if (mature)
			*y = conversion_outcome(s, b, e, t0, t0 + len);
		*x = conversion_outcome(s, b, e, t0 - len, t0);
		break;
	case OKRA_METRIC_THRESHOLD:
		if (mature)
			*y = threshold_outcome(s, b, e, t0, t0 + len);
		*x = threshold_outcome(s, b, e, t0 - len, t0);
		break;
	default:
		if (mature)
			*y = event_outcome(s, b, e, t0, t0 + len);
		*x = event_outcome(s, b, e, t0 - len, t0);
	}
}

/* ---------------------------------------------------------------------
 * Exposure
 * --------------------------------------------------------------------- */

/* The canonical text of a number stored without its text. */
static char *number_text(okra_arena *a, double v)
{
	char buf[64];
	for (int decimals = 0; decimals <= 20; decimals++) {
		snprintf(buf, sizeof(buf), "%.*f", decimals, v);
		if (strtod(buf, NULL) == v)
			return okra__arena_strdup(a, buf);
	}
	snprintf(buf, sizeof(buf), "%.17g", v);
	return okra__arena_strdup(a, buf);
}

/* The variant of an exposure row: its index, -1 when the row has no
 * variant, -2 on an error (too many variants, no memory). */
static int variant_of(xscan *s, uint32_t row)
{
	const okra_prop *p = s->vprop;
	int64_t i = p ? prop_index(p, row) : -1;
	if (i < 0)
		return -1;
	vkey key = {0};
	if (p->str && p->str[i] != OKRA_NONE) {
		key.code = p->str[i];
	} else if (!isnan(p->num[i])) {
		key.is_num = true;
		key.num = p->num[i];
	} else {
		return -1;
	}
	for (size_t v = 0; v < s->n_variants; v++)
		if (s->keys[v].is_num == key.is_num &&
		    (key.is_num ? s->keys[v].num == key.num
		                : s->keys[v].code == key.code))
			return (int)v;
	const okra_experiment *x = s->q->x;
	if (s->n_variants == OKRA_MAX_EXPERIMENT_VARIANTS) {
		s->rc = okra__err_set(
		    s->err, OKRA_ERR_DATA, x->exposure.pos.file,
		    x->exposure.pos.line, x->exposure.pos.col,
		    "experiment \"%s\": the data shows more than %d values of "
		    "\"%s\" (OKRA_MAX_EXPERIMENT_VARIANTS)",
		    x->id, OKRA_MAX_EXPERIMENT_VARIANTS, x->variant_property);
		return -2;
	}
	const char *name =
	    key.is_num ? number_text(s->out, key.num)
	               : okra__arena_strdup(s->out,
	                                    okra__dict_str(&p->dict, key.code));
	if (!name) {
		s->rc = okra__err_set(s->err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                      "out of memory");
		return -2;
	}
	s->keys[s->n_variants] = key;
	s->names[s->n_variants] = name;
	return (int)s->n_variants++;
}

static bool units_reserve(grow_units *u, size_t k)
{
	if (u->n < u->cap)
		return true;
	size_t cap = u->cap ? u->cap * 2 : 1024;
	uint8_t *v = realloc(u->variant, cap);
	if (v)
		u->variant = v;
	double *y = realloc(u->y, cap * (k + 1) * sizeof(double));
	if (y)
		u->y = y;
	double *x = realloc(u->x, cap * (k + 1) * sizeof(double));
	if (x)
		u->x = x;
	if (!v || !y || !x)
		return false;
	u->cap = cap;
	return true;
}

/* One entity: its exposure, and its outcomes when it is a unit. */
static void entity(xscan *s, const entity_rows *e, bool user_kind)
{
	const okra_data *d = s->d;
	grow_units *u = &s->units[user_kind];
	int variant = -1;
	int64_t t0 = 0;
	bool multi = false, unlabelled = false;
	for (size_t i = first_at(d, e, s->t_start); i < e->n; i++) {
		uint32_t r = row_at(e, i);
		if (!match(&s->exposure, d, e, r))
			continue;
		int v = variant_of(s, r);
		if (v == -2)
			return;
		if (v < 0) {
			unlabelled = true;
			continue;
		}
		if (variant < 0) {
			variant = v;
			t0 = okra__ts(d, r);
		} else if (v != variant) {
			multi = true;
			break;
		}
	}
	if (variant < 0) {
		u->no_variant += unlabelled;
		return;
	}
	if (multi) {
		u->excluded_multi++;
		return;
	}
	if (!units_reserve(u, s->k)) {
		s->rc = okra__err_set(s->err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                      "out of memory");
		return;
	}
	size_t at = u->n++;
	u->variant[at] = (uint8_t)variant;
	double *y = u->y + at * s->k, *x = u->x + at * s->k;
	for (size_t k = 0; k < s->k; k++) {
		y[k] = x[k] = NAN;
		if (s->bo[k].user_kind == user_kind)
			outcome(s, &s->bo[k], e, t0, &y[k], &x[k]);
	}
}

/* ---------------------------------------------------------------------
 * Setup and the walk
 * --------------------------------------------------------------------- */

static okra_rc bind_outcome(xscan *s, const okra_exp_outcome *o, boutcome *b)
{
	okra_data *d = s->d;
	const okra_metric *m = o->m;
	okra_arena *a = &s->scratch;
	okra_rc rc;
	memset(b, 0, sizeof(*b));
	b->m = m;
	b->part = o->part;
	b->days = okra__exp_window_days(m);
	b->user_kind = m->entity == OKRA_ENTITY_USER;
	if ((rc = okra__filter_bind(d, a, &m->filter, &b->filter, s->err)) ||
	    (rc = okra__filter_bind(d, a, &m->target, &b->target, s->err)) ||
	    (rc = okra__filter_bind(d, a, &m->measure_filter, &b->measure,
	                            s->err)))
		return rc;
	if (m->n_steps) {
		b->steps = okra__arena_alloc(a, m->n_steps * sizeof(*b->steps));
		if (!b->steps)
			return okra__err_set(s->err, OKRA_ERR_NOMEM, NULL, 0, 0,
			                     "out of memory");
		for (size_t i = 0; i < m->n_steps; i++)
			if ((rc = okra__filter_bind(d, a, &m->steps[i],
			                            &b->steps[i], s->err)))
				return rc;
	}
	for (uint32_t i = 0; m->property && i < d->n_props; i++)
		if (strcmp(d->props[i].name, m->property) == 0)
			b->prop = &d->props[i];
	for (uint32_t i = 0; m->ratio_to && i < d->accounts.n_attrs; i++)
		if (strcmp(d->accounts.attrs[i].name, m->ratio_to) == 0)
			b->ratio_attr = &d->accounts.attrs[i];
	return OKRA_OK;
}

/* Copies the grown units into the caller's arena. */
static bool finish_units(const xscan *s, const grow_units *g,
                         okra_exp_units *out)
{
	size_t k = s->k ? s->k : 1;
	out->n = g->n;
	out->excluded_multi = g->excluded_multi;
	out->no_variant = g->no_variant;
	out->variant = okra__arena_alloc(s->out, g->n + 1);
	out->y = okra__arena_alloc(s->out, (g->n * k + 1) * sizeof(double));
	out->x = okra__arena_alloc(s->out, (g->n * k + 1) * sizeof(double));
	if (!out->variant || !out->y || !out->x)
		return false;
	if (g->n) {
		memcpy(out->variant, g->variant, g->n);
		memcpy(out->y, g->y, g->n * s->k * sizeof(double));
		memcpy(out->x, g->x, g->n * s->k * sizeof(double));
	}
	return true;
}

okra_rc okra__experiment_measure(okra_data *d, const okra_exp_query *q,
                                 okra_arena *a, okra_exp_data *out,
                                 okra_err *err)
{
	xscan s = {.d = d, .q = q, .k = q->n_outcomes, .out = a, .err = err};
	const okra_experiment *x = q->x;
	okra_rc rc;
	bool kinds[2] = {false, false};
	s.t_start = (int64_t)x->start * OKRA_MICROS_PER_DAY;
	s.t_end = ((int64_t)q->last_day + 1) * OKRA_MICROS_PER_DAY;
	s.bo = calloc(q->n_outcomes + 1, sizeof(*s.bo));
	s.user_mark = calloc((size_t)d->users.n + 1, sizeof(uint32_t));
	if (!s.bo || !s.user_mark) {
		rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                   "out of memory");
		goto out;
	}
	if ((rc = okra__filter_bind(d, &s.scratch, &x->exposure, &s.exposure,
	                            err)))
		goto out;
	for (size_t k = 0; k < q->n_outcomes; k++) {
		if ((rc = bind_outcome(&s, &q->outcomes[k], &s.bo[k])))
			goto out;
		kinds[s.bo[k].user_kind] = true;
	}
	for (uint32_t i = 0; x->variant_property && i < d->n_props; i++)
		if (strcmp(d->props[i].name, x->variant_property) == 0)
			s.vprop = &d->props[i];

	/* Rows up to the end of D only: each entity's list is cut there. */
	for (uint32_t acc = 0; kinds[0] && acc < d->accounts.n && !s.rc;
	     acc++) {
		entity_rows e = {
		    .r0 = d->acct_off[acc], .acct = acc, .owner = acc};
		e.n = (size_t)(d->acct_off[acc + 1] - d->acct_off[acc]);
		e.n = first_at(d, &e, s.t_end);
		if (e.n)
			entity(&s, &e, false);
	}
	for (uint32_t u = 0; kinds[1] && u < d->users.n && !s.rc; u++) {
		entity_rows e = {.list = d->user_rows,
		                 .r0 = d->user_off[u],
		                 .acct = OKRA_NONE,
		                 .owner = d->users.account[u]};
		e.n = (size_t)(d->user_off[u + 1] - d->user_off[u]);
		e.n = first_at(d, &e, s.t_end);
		if (e.n)
			entity(&s, &e, true);
	}
	if ((rc = s.rc))
		goto out;
	memset(out, 0, sizeof(*out));
	out->variants =
	    okra__arena_alloc(a, (s.n_variants + 1) * sizeof(char *));
	if (!out->variants || !finish_units(&s, &s.units[0], &out->units[0]) ||
	    !finish_units(&s, &s.units[1], &out->units[1])) {
		rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                   "out of memory");
		goto out;
	}
	memcpy(out->variants, s.names, s.n_variants * sizeof(char *));
	out->n_variants = s.n_variants;
out:
	for (int kind = 0; kind < 2; kind++) {
		free(s.units[kind].variant);
		free(s.units[kind].y);
		free(s.units[kind].x);
	}
	free(s.bo);
	free(s.user_mark);
	okra__arena_free(&s.scratch);
	return rc;
}
