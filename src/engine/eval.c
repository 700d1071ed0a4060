/*
 * eval.c - evaluates a plan over the dataset in one pass per entity kind.
 *
 * Two workers (threads) split the accounts and users by row count.  Each
 * walks its accounts once for the event metrics (daily histograms) and the
 * account-entity metrics (per-entity kernels that emit the day intervals
 * on which the entity counts, into difference arrays), then its users for
 * the user-entity metrics.  Scratch buffers are per worker and reused: no
 * allocation per event or per entity.  Values for every as-of day and
 * segment are read off the merged arrays at the end (see eval.h).
 *
 * Outcomes (plan.h, the lift of okra diagnose): when the plan asks for
 * them, the kernels that emit an entity's population and met intervals
 * also note, in one byte per entity, whether those intervals hold the
 * outcome day; the four counts are read off those bytes after the pass.
 */
#include "engine/eval.h"
#include "engine/cache.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define INF_DAY INT32_MAX

/* ---------------------------------------------------------------------
 * Bound metrics and per-worker state
 * --------------------------------------------------------------------- */

typedef struct bmetric {
	const okra_metric *m;
	int index;
	bool user_entity;
	bool event_level;  /* count, sum, avg: histograms */
	bool entity_level; /* active, conversion, retention, time_to, threshold
	                    */
	okra_bfilter filter; /* events / activity */
	okra_bfilter anchor, target, measure;
	okra_bfilter *steps;
	const okra_prop *prop; /* sum, avg */
	const okra_attr *ratio_attr;
	/* Window metrics (active, threshold, per: active): the first day
	 * whose rows are still in the window at the first as-of day; rows
	 * before it leave the window before any as-of day, so the sweep
	 * skips them.  INT32_MIN for an all-time window. */
	int32_t from_day;
	/* Per entity of its kind: OUT_POP | OUT_MET at the outcome day, for
	 * the items whose outcomes are counted and the north star; NULL when
	 * not recorded.  Workers write disjoint entities. */
	uint8_t *outcome;
} bmetric;

enum { OUT_POP = 1, OUT_MET = 2 };

typedef struct tt_rec {
	int32_t day;          /* anchor day */
	const uint32_t *segs; /* the entity's segment per attribute */
	double hours;         /* INFINITY when not reached within W */
} tt_rec;

typedef struct mstate {
	double *hist_a, *hist_b; /* [S+1][HL] */
	double *num, *den;       /* [S+1][L+1] difference arrays */
	double *steps;           /* [k][L+1], all only */
	tt_rec *tt;
	size_t n_tt, cap_tt;
} mstate;

typedef struct group {
	int32_t day;
	int32_t leave; /* first day it is out of the window */
	uint32_t s, e; /* rows [s, e) of the entity's list */
	uint32_t n_act, n_cnt;
} group;

typedef struct ctx ctx;

typedef struct worker {
	ctx *c;
	uint32_t a0, a1; /* the accounts of this worker's event metrics */
	bool none_block; /* also the rows without an account */
	mstate *ms;
	/* scratch, grown as needed and reused */
	uint32_t *rows;
	int32_t *days;
	uint16_t *nm; /* the event name of each row of rows */
	uint8_t *act, *cnt;
	group *groups;
	/* The loaded rows' day groups (every row active), built once per
	 * entity for the window metrics that count every row. */
	group *dg;
	size_t n_dg, dg_from; /* groups of the rows dg_from .. n */
	bool dg_ok;
	size_t cap;
	/* Distinct users in the window: each row's user numbered within the
	 * entity (uloc, per row), the rows of each in the window (ucount),
	 * and the hash table that numbers them (keys, numbers and the
	 * generation that marks a slot used), sized by the entity's rows
	 * rather than by every user of the data. */
	uint32_t *uloc, *ucount;
	uint32_t *hkey, *hval, *hgen;
	size_t hcap;
	uint32_t gen;
	uint32_t ent; /* the entity being evaluated (outcomes) */
	/* The entity's rows as stored (list[r0 .. r1), or rows r0 .. r1
	 * when list is NULL): rows/days hold only those from the kind's
	 * load_from day on, an anchor event is looked up here. */
	const uint32_t *list;
	uint64_t r0, r1;
	bool nomem;
	int id; /* index among the workers */
} worker;

struct ctx {
	okra_data *d;
	const okra_workspace *ws;
	const okra_plan *plan;
	okra_result *r; /* where the values go */
	int32_t D1, Dk; /* first and last as-of day */
	size_t L;       /* Dk - D1 + 1 */
	int32_t h0;     /* first day of the histograms */
	size_t HL;
	size_t S;       /* segments of every attribute, without "all" */
	size_t n_attrs; /* segmentations evaluated in the same pass */
	uint32_t *acct_seg, *user_seg; /* [entity * n_attrs + j]: 1..S */
	/* Without a cohort attribute a user's segments are its account's
	 * (user_seg is then NULL), or each attribute's (none) (none_seg). */
	uint32_t *none_seg;
	uint8_t *acct_pass, *user_pass; /* pins; NULL = everyone */
	bmetric *bm;                    /* per plan metric */
	size_t n_bm;
	/* The metrics each kernel runs, so a row or an entity looks only at
	 * its own: event metrics (histograms), and per entity kind (0
	 * accounts, 1 users) the entity metrics and the per: active ones. */
	uint32_t *ev_list, *ent_list[2];
	size_t n_ev, n_ent[2];
	/* The event metrics in order of from_day, with it: a row is counted
	 * only by the metrics whose window it can be in at some as-of day. */
	int32_t *ev_from;
	/* Per event name code: the positions x in ev_list (ascending) of
	 * the event metrics whose filter can match that name, at
	 * ev_name_x[ev_name_off[code] .. ev_name_off[code + 1]). */
	uint32_t *ev_name_off, *ev_name_x;
	/* Per entity kind: the first day any of its metrics reads besides
	 * an anchor event (a cohort outside the as-of range needs none of
	 * its rows, a window none that left it before the first as-of day);
	 * earlier rows are not loaded. */
	int32_t load_from[2];
	/* The entity kernels' work is handed out in chunks of ENT_CHUNK
	 * entities to whichever worker is free: the next account and user
	 * to hand out. */
	atomic_uint next_ent[2];
	/* The workers that are done with the event metrics (0) and with the
	 * accounts (1), of nw: the last one gives back the cache pages that
	 * nothing after reads (work). */
	atomic_uint done[2];
	/* The first user of each worker's chunk (0 before its first,
	 * UINT32_MAX after its last), and the users whose pages are given
	 * back: every user before the least of them is done. */
	atomic_uint user_at[8];
	atomic_uint users_dropped;
	int nw;
	bool user_col_in_users; /* the user pass reads each row's user */
	int32_t oday;           /* the outcome day (plan.h) */
	const bmetric *ns; /* the metric outcomes are counted in; NULL: none */
	okra_arena arena;
};

/* ---------------------------------------------------------------------
 * Accumulation
 * --------------------------------------------------------------------- */

/* The segment of user u in each attribute (ctx). */
static inline const uint32_t *user_segs(const ctx *c, uint32_t u)
{
	if (c->user_seg)
		return c->user_seg + (size_t)u * c->n_attrs;
	uint32_t a = c->d->users.account[u];
	return a == OKRA_NONE ? c->none_seg
	                      : c->acct_seg + (size_t)a * c->n_attrs;
}

/* Adds v to the days lo..hi (clamped to the as-of range) of "all" and of
 * the entity's segment in each attribute. */
static inline void diff_add(const ctx *c, double *diff, const uint32_t *segs,
                            int32_t lo, int32_t hi, double v)
{
	if (lo < c->D1)
		lo = c->D1;
	if (hi > c->Dk)
		hi = c->Dk;
	if (lo > hi)
		return;
	size_t stride = c->L + 1, a = (size_t)(lo - c->D1),
	       b = (size_t)(hi - c->D1) + 1;
	diff[a] += v;
	diff[b] -= v;
	for (size_t j = 0; segs && j < c->n_attrs; j++) {
		diff[segs[j] * stride + a] += v;
		diff[segs[j] * stride + b] -= v;
	}
}

/* Notes that the current entity is in b's population (OUT_POP) or met
 * its condition (OUT_MET) on the outcome day, when lo..hi holds it. */
static inline void mark(const worker *w, const bmetric *b, uint8_t bit,
                        int32_t lo, int32_t hi)
{
	if (b->outcome && lo <= w->c->oday && w->c->oday <= hi)
		b->outcome[w->ent] |= bit;
}

static inline int32_t add_days(int32_t day, int64_t n)
{
	int64_t r = (int64_t)day + n;
	return r > INF_DAY ? INF_DAY : (int32_t)r;
}

/* The first day on which an event of day d has left the window. */
static int32_t removal_day(const ctx *c, const okra_window *w, int32_t d)
{
	int32_t first, last;
	switch (w->kind) {
	case OKRA_WINDOW_DAYS:
		return add_days(d, w->days);
	case OKRA_WINDOW_ALL:
		return INF_DAY;
	default:
		okra__period_bounds(c->ws, w->kind, d, &first, &last);
		return last + 1;
	}
}

/* ---------------------------------------------------------------------
 * Kernels
 * --------------------------------------------------------------------- */

/* okra__filter_match for the loaded row i of the entity, with its event
 * name read from the scratch copy (the user pass reaches rows through a
 * permutation: one random read of the name column per row, not one per
 * row and metric). */
static inline bool match_at(const worker *w, const okra_bfilter *f, size_t i,
                            uint32_t acct)
{
	if (f->never || (f->names && !f->names[w->nm[i]]))
		return false;
	if (!f->rowmask && !f->acct_ok)
		return true;
	return okra__filter_match(f, w->c->d, w->rows[i], acct);
}

static bool reserve(worker *w, size_t n)
{
	if (n <= w->cap)
		return true;
	size_t cap = w->cap ? w->cap : 1024;
	while (cap < n)
		cap *= 2;
	uint32_t *rows = realloc(w->rows, cap * sizeof(*rows));
	if (rows)
		w->rows = rows;
	int32_t *days = realloc(w->days, cap * sizeof(*days));
	if (days)
		w->days = days;
	uint16_t *nm = realloc(w->nm, cap * sizeof(*nm));
	if (nm)
		w->nm = nm;
	uint8_t *act = realloc(w->act, cap);
	if (act)
		w->act = act;
	uint8_t *cnt = realloc(w->cnt, cap);
	if (cnt)
		w->cnt = cnt;
	group *g = realloc(w->groups, cap * sizeof(*g));
	if (g)
		w->groups = g;
	group *dg = realloc(w->dg, cap * sizeof(*dg));
	if (dg)
		w->dg = dg;
	uint32_t *uloc = realloc(w->uloc, cap * sizeof(*uloc));
	if (uloc)
		w->uloc = uloc;
	uint32_t *ucount = realloc(w->ucount, cap * sizeof(*ucount));
	if (ucount)
		w->ucount = ucount;
	if (!rows || !days || !nm || !act || !cnt || !g || !dg || !uloc ||
	    !ucount) {
		w->nomem = true;
		return false;
	}
	w->cap = cap;
	return true;
}

/* The window state of the sweep. */
typedef struct wstate {
	uint64_t n_act, n_cnt;
	uint32_t act_days, distinct;
} wstate;

static void group_enter(worker *w, const group *g, wstate *s, bool users)
{
	s->n_act += g->n_act;
	s->n_cnt += g->n_cnt;
	s->act_days += g->n_act > 0;
	if (!users)
		return;
	for (uint32_t i = g->s; i < g->e; i++) {
		uint32_t u = w->act[i] ? w->uloc[i] : OKRA_NONE;
		if (u != OKRA_NONE && w->ucount[u]++ == 0)
			s->distinct++;
	}
}

static void group_leave(worker *w, const group *g, wstate *s, bool users)
{
	s->n_act -= g->n_act;
	s->n_cnt -= g->n_cnt;
	s->act_days -= g->n_act > 0;
	if (!users)
		return;
	for (uint32_t i = g->s; i < g->e; i++) {
		uint32_t u = w->act[i] ? w->uloc[i] : OKRA_NONE;
		if (u != OKRA_NONE && --w->ucount[u] == 0)
			s->distinct--;
	}
}

typedef enum { SWEEP_ACTIVE, SWEEP_THRESHOLD, SWEEP_ANY } sweep_kind;

/* Numbers the users of the active rows [from, n) of the entity 0, 1, ...
 * (uloc; OKRA_NONE for a row without a user) and zeroes their counts. */
static bool local_users(worker *w, size_t from, size_t n)
{
	const okra_data *d = w->c->d;
	size_t cap = 16;
	while (cap < 2 * (n - from) + 2)
		cap *= 2;
	if (cap > w->hcap) {
		uint32_t *key = realloc(w->hkey, cap * sizeof(*key));
		if (key)
			w->hkey = key;
		uint32_t *val = realloc(w->hval, cap * sizeof(*val));
		if (val)
			w->hval = val;
		free(w->hgen);
		w->hgen = calloc(cap, sizeof(*w->hgen));
		if (!key || !val || !w->hgen) {
			w->hcap = 0;
			w->nomem = true;
			return false;
		}
		w->hcap = cap;
		w->gen = 0;
	}
	if (++w->gen == 0) { /* wrapped: every slot free again */
		memset(w->hgen, 0, w->hcap * sizeof(*w->hgen));
		w->gen = 1;
	}
	size_t mask = w->hcap - 1;
	uint32_t k = 0;
	for (size_t i = from; i < n; i++) {
		uint32_t u = w->act[i] ? d->user[w->rows[i]] : OKRA_NONE;
		if (u == OKRA_NONE) {
			w->uloc[i] = OKRA_NONE;
			continue;
		}
		size_t h = (u * 2654435761u) & mask;
		while (w->hgen[h] == w->gen && w->hkey[h] != u)
			h = (h + 1) & mask;
		if (w->hgen[h] != w->gen) {
			w->hgen[h] = w->gen;
			w->hkey[h] = u;
			w->hval[h] = k++;
		}
		w->uloc[i] = w->hval[h];
	}
	memset(w->ucount, 0, (size_t)k * sizeof(*w->ucount));
	return true;
}

/* The day groups of the entity's loaded rows from .. n, each row active
 * (dg; from is the first row of a day). */
static void day_groups(worker *w, size_t from, size_t n)
{
	if (w->dg_ok && w->dg_from <= from)
		return;
	size_t ng = 0;
	for (size_t i = from; i < n; i++) {
		if (ng == 0 || w->dg[ng - 1].day != w->days[i])
			w->dg[ng++] = (group){w->days[i],  0, (uint32_t)i,
			                      (uint32_t)i, 0, 0};
		group *g = &w->dg[ng - 1];
		g->e = (uint32_t)i + 1;
		g->n_act++;
	}
	w->n_dg = ng;
	w->dg_from = from;
	w->dg_ok = true;
}

/* Sweeps an entity's day groups through the window: between consecutive
 * critical days (an event day entering, or leaving the window) the window
 * content is constant, so each stretch is emitted as one interval.  all:
 * every row from row from on is active and none counted (act and cnt are
 * not read), so the groups are the entity's day groups; from is then the
 * first row of a day. */
static void sweep(worker *w, const bmetric *b, mstate *ms, const uint32_t *segs,
                  size_t from, size_t n, sweep_kind kind, bool all,
                  double ratio_base)
{
	const ctx *c = w->c;
	const okra_metric *m = b->m;
	size_t ng = 0;
	if (all) {
		day_groups(w, from, n);
		size_t lo = 0, hi = w->n_dg;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (w->dg[mid].s < from)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t x = lo; x < w->n_dg; x++) {
			w->groups[ng] = w->dg[x];
			w->groups[ng++].leave =
			    removal_day(c, &m->window, w->dg[x].day);
		}
		from = n; /* no rows left to group */
	}
	for (size_t i = from; i < n; i++) {
		if (!w->act[i] && !w->cnt[i])
			continue;
		if (ng == 0 || w->groups[ng - 1].day != w->days[i])
			w->groups[ng++] = (group){
			    w->days[i],  removal_day(c, &m->window, w->days[i]),
			    (uint32_t)i, (uint32_t)i + 1,
			    0,           0};
		group *g = &w->groups[ng - 1];
		g->e = (uint32_t)i + 1;
		g->n_act += w->act[i];
		g->n_cnt += w->cnt[i];
	}
	bool users = kind == SWEEP_THRESHOLD &&
	             (m->measure == OKRA_MEASURE_DISTINCT_USERS ||
	              m->measure == OKRA_MEASURE_RATIO_TO);
	if (users && !local_users(w, from, n))
		return;
	wstate s = {0};
	size_t enter = 0, rem = 0;
	while (enter < ng || rem < enter) {
		int32_t p_in = enter < ng ? w->groups[enter].day : INF_DAY;
		int32_t p_out = rem < enter ? w->groups[rem].leave : INF_DAY;
		int32_t p = p_in < p_out ? p_in : p_out;
		if (p > c->Dk || p == INF_DAY)
			break;
		while (enter < ng && w->groups[enter].day <= p)
			group_enter(w, &w->groups[enter++], &s, users);
		while (rem < enter && w->groups[rem].leave <= p)
			group_leave(w, &w->groups[rem++], &s, users);
		p_in = enter < ng ? w->groups[enter].day : INF_DAY;
		p_out = rem < enter ? w->groups[rem].leave : INF_DAY;
		int32_t next = p_in < p_out ? p_in : p_out;
		int32_t hi = next == INF_DAY ? INF_DAY : next - 1;
		switch (kind) {
		case SWEEP_ACTIVE:
			if (s.n_act >= (uint64_t)m->min_events &&
			    s.act_days >= (uint32_t)m->min_days) {
				diff_add(c, ms->num, segs, p, hi, 1);
				mark(w, b, OUT_POP | OUT_MET, p, hi);
			}
			break;
		case SWEEP_ANY:
			if (s.n_act > 0)
				diff_add(c, ms->den, segs, p, hi, 1);
			break;
		case SWEEP_THRESHOLD: {
			if (s.n_act == 0)
				break;
			diff_add(c, ms->den, segs, p, hi, 1);
			mark(w, b, OUT_POP, p, hi);
			double v = 0;
			switch (m->measure) {
			case OKRA_MEASURE_COUNT:
				v = (double)s.n_cnt;
				break;
			case OKRA_MEASURE_DISTINCT_USERS:
				v = s.distinct;
				break;
			case OKRA_MEASURE_ACTIVE_DAYS:
				v = s.act_days;
				break;
			case OKRA_MEASURE_RATIO_TO:
				v = ratio_base > 0 ? s.distinct / ratio_base
				                   : -INFINITY;
				break;
			}
			if (v >= m->at_least) {
				diff_add(c, ms->num, segs, p, hi, 1);
				mark(w, b, OUT_MET, p, hi);
			}
			break;
		}
		}
	}
}

/* The anchor instant of an entity: created_at, or its first anchor event. */
static bool anchor_of(const worker *w, const bmetric *b, int64_t created,
                      uint32_t acct, size_t n, int64_t *out)
{
	if (b->m->anchor_created) {
		if (created == INT64_MIN)
			return false;
		*out = created;
		return true;
	}
	(void)n;
	const ctx *c = w->c;
	const okra_data *d = c->d;
	for (uint64_t i = w->r0; i < w->r1; i++) {
		uint32_t r = w->list ? w->list[i] : (uint32_t)i;
		if (okra__day(d, r) > c->Dk)
			break;
		if (okra__filter_match(&b->anchor, d, r, acct)) {
			*out = okra__ts(d, r);
			return true;
		}
	}
	return false;
}

/* Index of the first row at or after instant t (rows are in time order). */
static size_t first_at(const worker *w, size_t n, int64_t t)
{
	const okra_data *d = w->c->d;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (okra__ts(d, w->rows[mid]) < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The cohort window of an entity for conversion and time_to: its anchor
 * instant, the end of its conversion window (anchor + W days), its anchor
 * day A, and the as-of days lo..hi on which it is in the mature cohort.
 * False when it has no anchor or is in no cohort of the as-of range. */
static bool mature_window(const worker *w, const bmetric *b, int64_t created,
                          uint32_t acct, size_t n, int64_t *anchor,
                          int64_t *end, int32_t *A, int32_t *lo, int32_t *hi)
{
	const ctx *c = w->c;
	const okra_metric *m = b->m;
	if (!anchor_of(w, b, created, acct, n, anchor))
		return false;
	*A = okra__day_of(*anchor);
	*lo = add_days(*A, m->within_days);
	*hi = add_days(*lo, m->cohort_days - 1);
	*end = *anchor + (int64_t)m->within_days * OKRA_MICROS_PER_DAY;
	return *lo <= c->Dk && *hi >= c->D1;
}

static void conversion(worker *w, const bmetric *b, mstate *ms,
                       const uint32_t *segs, int64_t created, uint32_t acct,
                       size_t n)
{
	const ctx *c = w->c;
	const okra_metric *m = b->m;
	const okra_data *d = c->d;
	int64_t anchor, end;
	int32_t A, lo, hi;
	if (!mature_window(w, b, created, acct, n, &anchor, &end, &A, &lo, &hi))
		return;
	size_t start = first_at(w, n, anchor);
	size_t reached = 0;
	if (m->n_steps == 0) {
		for (size_t i = start; i < n && okra__ts(d, w->rows[i]) < end;
		     i++)
			if (match_at(w, &b->target, i, acct)) {
				reached = 1;
				break;
			}
	} else {
		/* Greedy, earliest first: step k+1 at or after step k's time,
		 * on a different event (rows with equal times count in any
		 * order). */
		enum { MAX_STEPS = OKRA_MAX_FUNNEL_STEPS };
		size_t used[MAX_STEPS];
		int64_t t_prev = anchor;
		for (size_t k = 0; k < m->n_steps && k < MAX_STEPS; k++) {
			size_t i = first_at(w, n, t_prev);
			bool found = false;
			for (; i < n && okra__ts(d, w->rows[i]) < end; i++) {
				bool taken = false;
				for (size_t j = 0; j < k && !taken; j++)
					taken = used[j] == i;
				if (!taken &&
				    match_at(w, &b->steps[k], i, acct)) {
					found = true;
					break;
				}
			}
			if (!found)
				break;
			used[k] = i;
			t_prev = okra__ts(d, w->rows[i]);
			reached = k + 1;
		}
		for (size_t k = 0; k < reached; k++)
			diff_add(c, ms->steps + k * (c->L + 1), NULL, lo, hi,
			         1);
		reached = reached == m->n_steps;
	}
	diff_add(c, ms->den, segs, lo, hi, 1);
	mark(w, b, OUT_POP, lo, hi);
	if (reached) {
		diff_add(c, ms->num, segs, lo, hi, 1);
		mark(w, b, OUT_MET, lo, hi);
	}
}

static void retention(worker *w, const bmetric *b, mstate *ms,
                      const uint32_t *segs, int64_t created, uint32_t acct,
                      size_t n)
{
	const ctx *c = w->c;
	const okra_metric *m = b->m;
	int64_t anchor;
	if (!anchor_of(w, b, created, acct, n, &anchor))
		return;
	int32_t A = okra__day_of(anchor);
	int n1 = m->has_between ? m->between_lo : m->day_n;
	int n2 = m->has_between ? m->between_hi : m->day_n;
	int32_t lo = add_days(A, n2), hi = add_days(lo, m->cohort_days - 1);
	if (lo > c->Dk || hi < c->D1)
		return;
	bool retained = false;
	int32_t first = add_days(A, n1), last = add_days(A, n2);
	for (size_t i = 0; i < n && !retained && w->days[i] <= last; i++)
		retained =
		    w->days[i] >= first && match_at(w, &b->filter, i, acct);
	diff_add(c, ms->den, segs, lo, hi, 1);
	mark(w, b, OUT_POP, lo, hi);
	if (retained) {
		diff_add(c, ms->num, segs, lo, hi, 1);
		mark(w, b, OUT_MET, lo, hi);
	}
}

static void time_to(worker *w, const bmetric *b, mstate *ms,
                    const uint32_t *segs, int64_t created, uint32_t acct,
                    size_t n)
{
	const ctx *c = w->c;
	const okra_data *d = c->d;
	int64_t anchor, end;
	int32_t A, lo, hi;
	if (!mature_window(w, b, created, acct, n, &anchor, &end, &A, &lo, &hi))
		return;
	double hours = INFINITY;
	for (size_t i = first_at(w, n, anchor);
	     i < n && okra__ts(d, w->rows[i]) < end; i++)
		if (match_at(w, &b->target, i, acct)) {
			hours =
			    (double)(okra__ts(d, w->rows[i]) - anchor) / 3.6e9;
			break;
		}
	if (ms->n_tt == ms->cap_tt) {
		size_t cap = ms->cap_tt ? ms->cap_tt * 2 : 1024;
		tt_rec *t = realloc(ms->tt, cap * sizeof(*t));
		if (!t) {
			w->nomem = true;
			return;
		}
		ms->tt = t;
		ms->cap_tt = cap;
	}
	ms->tt[ms->n_tt++] = (tt_rec){A, segs, hours};
}

/* Does f match every row (no event names, no clause)? */
static bool match_all(const okra_bfilter *f)
{
	return !f->never && !f->names && !f->rowmask && !f->acct_ok;
}

/* The first of the entity's n rows on or after b's from_day (rows are
 * in time order). */
static size_t from_row(const worker *w, const bmetric *b, size_t n)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w->days[mid] < b->from_day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Runs every entity-level metric of one entity kind over one entity.
 * acct is the account for filter matching (OKRA_NONE: look it up per row,
 * for users); owner is the entity's own account (ratio_to attributes). */
static void entity(worker *w, bool user_kind, const uint32_t *segs,
                   int64_t created, uint32_t acct, uint32_t owner, size_t n)
{
	const ctx *c = w->c;
	const uint32_t *list = c->ent_list[user_kind];
	for (size_t x = 0; x < c->n_ent[user_kind]; x++) {
		size_t k = list[x];
		const bmetric *b = &c->bm[k];
		mstate *ms = &w->ms[k];
		const okra_metric *m = b->m;
		if (b->event_level) {
			if (m->per_active) { /* the active entities of the
				                window */
				size_t from = from_row(w, b, n);
				sweep(w, b, ms, segs, from, n, SWEEP_ANY, true,
				      0);
			}
			continue;
		}
		if (!b->entity_level)
			continue;
		size_t from;
		switch (m->type) {
		case OKRA_METRIC_ACTIVE:
			from = from_row(w, b, n);
			if (match_all(&b->filter)) {
				sweep(w, b, ms, segs, from, n, SWEEP_ACTIVE,
				      true, 0);
				break;
			}
			for (size_t i = from; i < n; i++) {
				w->act[i] = match_at(w, &b->filter, i, acct);
				w->cnt[i] = 0;
			}
			sweep(w, b, ms, segs, from, n, SWEEP_ACTIVE, false, 0);
			break;
		case OKRA_METRIC_THRESHOLD:
			from = from_row(w, b, n);
			for (size_t i = from; i < n; i++) {
				w->act[i] = match_at(w, &b->filter, i, acct);
				w->cnt[i] = m->measure == OKRA_MEASURE_COUNT &&
				            match_at(w, &b->measure, i, acct);
			}
			sweep(w, b, ms, segs, from, n, SWEEP_THRESHOLD, false,
			      b->ratio_attr && owner != OKRA_NONE
			          ? b->ratio_attr->num[owner]
			          : NAN);
			break;
		case OKRA_METRIC_CONVERSION:
			conversion(w, b, ms, segs, created, acct, n);
			break;
		case OKRA_METRIC_RETENTION:
			retention(w, b, ms, segs, created, acct, n);
			break;
		case OKRA_METRIC_TIME_TO:
			time_to(w, b, ms, segs, created, acct, n);
			break;
		default:
			break;
		}
	}
}

/* The sparse property value of row, advancing a cursor (rows ascend).
 * The cursor gallops: between two rows asked for lie the property's rows
 * of the days outside the windows, often many. */
static inline bool prop_value(const okra_prop *p, uint64_t *cursor,
                              uint32_t row, double *v)
{
	uint64_t i = *cursor;
	if (i < p->n && p->row[i] < row) {
		/* p->row[lo] < row; hi: n, or p->row[hi] >= row */
		uint64_t lo = i, step = 1, hi;
		for (;;) {
			hi = lo + step;
			if (hi >= p->n || p->row[hi] >= row)
				break;
			lo = hi;
			step *= 2;
		}
		if (hi > p->n)
			hi = p->n;
		for (lo++; lo < hi;) {
			uint64_t mid = lo + (hi - lo) / 2;
			if (p->row[mid] < row)
				lo = mid + 1;
			else
				hi = mid;
		}
		i = lo;
	}
	*cursor = i;
	if (i < p->n && p->row[i] == row && !isnan(p->num[i])) {
		*v = p->num[i];
		return true;
	}
	return false;
}

/* Event metrics over one account block (acct = OKRA_NONE: no account). */
static void events(worker *w, uint32_t acct, uint64_t r0, uint64_t r1,
                   uint64_t *cursors)
{
	const ctx *c = w->c;
	const okra_data *d = c->d;
	/* Rows are in time order within the block: start at day h0. */
	uint64_t lo = r0, hi = r1;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (okra__day(d, (uint32_t)mid) < c->h0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (uint64_t r = lo; r < r1; r++) {
		int32_t day = okra__day(d, (uint32_t)r);
		if (day > c->Dk)
			break;
		size_t h = (size_t)(day - c->h0);
		uint16_t name = d->name[r];
		for (uint32_t y = c->ev_name_off[name],
		              y1 = c->ev_name_off[name + 1];
		     y < y1 && c->ev_from[c->ev_name_x[y]] <= day; y++) {
			size_t k = c->ev_list[c->ev_name_x[y]];
			const bmetric *b = &c->bm[k];
			const uint32_t *segs;
			if (b->user_entity) {
				uint32_t u = d->user[r];
				if (u == OKRA_NONE ||
				    (c->user_pass && !c->user_pass[u]))
					continue;
				segs = user_segs(c, u);
			} else {
				if (acct == OKRA_NONE ||
				    (c->acct_pass && !c->acct_pass[acct]))
					continue;
				segs = c->acct_seg + (size_t)acct * c->n_attrs;
			}
			if ((b->filter.rowmask || b->filter.acct_ok) &&
			    !okra__filter_match(&b->filter, d, (uint32_t)r,
			                        acct))
				continue;
			mstate *ms = &w->ms[k];
			double v = 1;
			if (b->prop &&
			    !prop_value(b->prop, &cursors[k], (uint32_t)r, &v))
				continue;
			ms->hist_a[h] += v;
			ms->hist_b[h] += 1;
			for (size_t j = 0; j < c->n_attrs; j++) {
				ms->hist_a[segs[j] * c->HL + h] += v;
				ms->hist_b[segs[j] * c->HL + h] += 1;
			}
		}
	}
}

/* Copies an entity's rows from day from to day Dk into the scratch
 * arrays (rows are in time order). */
static size_t load_rows(worker *w, const uint32_t *list, uint64_t r0,
                        uint64_t r1, int32_t from)
{
	const ctx *c = w->c;
	w->list = list;
	w->r0 = r0;
	w->r1 = r1;
	uint64_t lo = r0, hi = r1;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (okra__day(c->d, list ? list[mid] : (uint32_t)mid) < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	w->dg_ok = false;
	if (!reserve(w, (size_t)(r1 - lo) + 1))
		return 0;
	size_t n = 0;
	for (uint64_t i = lo; i < r1; i++) {
		uint32_t r = list ? list[i] : (uint32_t)i;
		int32_t day = okra__day(c->d, r);
		if (day > c->Dk)
			break;
		w->rows[n] = r;
		w->days[n] = day;
		w->nm[n] = c->d->name[r];
		n++;
	}
	return n;
}

enum { ENT_CHUNK = 64 };

/* Loads the rows of account (users: user) e and runs its kind's entity
 * metrics over them. */
static void entity_of(worker *w, bool users, uint32_t e)
{
	const ctx *c = w->c;
	const okra_data *d = c->d;
	size_t n;
	w->ent = e;
	if (!users) {
		if (c->acct_pass && !c->acct_pass[e])
			return;
		n = load_rows(w, NULL, d->acct_off[e], d->acct_off[e + 1],
		              c->load_from[0]);
		entity(w, false, c->acct_seg + (size_t)e * c->n_attrs,
		       d->accounts.created[e], e, e, n);
		return;
	}
	if (c->user_pass && !c->user_pass[e])
		return;
	n = load_rows(w, d->user_rows, d->user_off[e], d->user_off[e + 1],
	              c->load_from[1]);
	entity(w, true, user_segs(c, e), d->users.created[e], OKRA_NONE,
	       d->users.account[e], n);
}

/* ---------------------------------------------------------------------
 * Giving back the cache pages the pass is done with
 *
 * The columns are mapped from the cache (cache.c); every page the pass
 * reads stays resident until it is given back, so the process's peak
 * would be the sum of all of them.  The kinds of work read different
 * columns, one after the other: the filter binding the properties of
 * where: clauses (once, into row masks), the event metrics the
 * properties they sum, the event and account metrics each event's user,
 * the users' metrics the user order, and the revenue walk the revenue
 * rows.  Each column is given back once the work that reads it is done
 * on every worker; a later read maps it again from the page cache
 * (okra__data_drop), so a column given back too early costs time, never
 * a wrong value.
 * --------------------------------------------------------------------- */

/* Every property's columns: read by the row masks of the filters (bound
 * before the pass) and the event metrics (sum, avg), nothing else. */
static void drop_props(const okra_data *d)
{
	for (uint32_t i = 0; i < d->n_props; i++) {
		const okra_prop *p = &d->props[i];
		okra__data_drop(d, p->row, p->n * sizeof(*p->row));
		okra__data_drop(d, p->num, p->n * sizeof(*p->num));
		if (p->str)
			okra__data_drop(d, p->str, p->n * sizeof(*p->str));
	}
}

/* What only the event metrics and the accounts' entity metrics read:
 * each event's user (unless a users' threshold counts distinct users)
 * and the accounts' creation times. */
static void drop_account_work(const ctx *c)
{
	const okra_data *d = c->d;
	if (!c->user_col_in_users)
		okra__data_drop(d, d->user, d->n_events * sizeof(*d->user));
	okra__data_drop(d, d->accounts.created,
	                (uint64_t)d->accounts.n * sizeof(int64_t));
}

/* Every event column and per-user table the pass read, once it is over
 * (before the revenue walk, which reads none of them). */
static void drop_event_columns(const okra_data *d)
{
	uint64_t n = d->n_events;
	okra__data_drop(d, d->ts_sec, n * sizeof(*d->ts_sec));
	if (d->ts_us)
		okra__data_drop(d, d->ts_us, n * sizeof(*d->ts_us));
	okra__data_drop(d, d->name, n * sizeof(*d->name));
	okra__data_drop(d, d->user, n * sizeof(*d->user));
	okra__data_drop(d, d->user_rows,
	                d->user_off[d->users.n] * sizeof(*d->user_rows));
	okra__data_drop(d, d->user_off,
	                ((uint64_t)d->users.n + 1) * sizeof(*d->user_off));
	okra__data_drop(d, d->acct_off,
	                ((uint64_t)d->accounts.n + 1) * sizeof(*d->acct_off));
	okra__data_drop(d, d->users.created,
	                (uint64_t)d->users.n * sizeof(int64_t));
	okra__data_drop(d, d->users.account,
	                (uint64_t)d->users.n * sizeof(uint32_t));
	okra__data_drop(d, d->accounts.created,
	                (uint64_t)d->accounts.n * sizeof(int64_t));
	drop_props(d);
}

/* Index of the first value of p at or after row (its rows ascend), from
 * index from on (every value before from is before row): galloping, so
 * that only the pages near the answer are read. */
static uint64_t prop_first(const okra_prop *p, uint64_t from, uint64_t row)
{
	uint64_t lo = from, hi = p->n, step = 1;
	while (lo < p->n && p->row[lo] < row) {
		uint64_t at = lo + step;
		if (at >= p->n || p->row[at] >= row) {
			hi = at < p->n ? at : p->n;
			lo++;
			break;
		}
		lo = at;
		step *= 2;
	}
	if (lo >= p->n || p->row[lo] >= row)
		return lo;
	return okra__prop_lower(p, lo, hi, row);
}

/* Rows of the event metrics between two gives of the property pages
 * behind them. */
enum { DROP_ROWS = 1 << 20 };

/* The event metrics of a worker are done with every row before row:
 * gives back the pages of their properties' values before it (from
 * behind[k] on) and moves each cursor past them, so that no cursor
 * reads a page given back. */
static void drop_behind(const ctx *c, uint64_t *cursors, uint64_t *behind,
                        uint64_t row)
{
	const okra_data *d = c->d;
	for (size_t k = 0; k < c->n_bm; k++) {
		const okra_prop *p = c->bm[k].prop;
		if (!p)
			continue;
		uint64_t at = prop_first(
		    p, cursors[k] > behind[k] ? cursors[k] : behind[k], row);
		if (at > behind[k]) {
			okra__data_drop(d, p->row + behind[k],
			                (at - behind[k]) * sizeof(*p->row));
			okra__data_drop(d, p->num + behind[k],
			                (at - behind[k]) * sizeof(*p->num));
			behind[k] = at;
		}
		if (cursors[k] < at)
			cursors[k] = at;
	}
}

/* Users between two gives of the pages of the users done. */
enum { DROP_USERS = 1 << 14 };

/* Worker id starts on the users from e0 on (UINT32_MAX: it is done with
 * them): gives back the user-order pages of the users every worker is
 * past (their rows in the permutation, offsets, creation times and
 * accounts), when there are DROP_USERS of them more. */
static void users_done_below(ctx *c, int id, uint32_t e0)
{
	const okra_data *d = c->d;
	atomic_store(&c->user_at[id], e0);
	uint32_t low = UINT32_MAX;
	for (int i = 0; i < c->nw; i++) {
		uint32_t at = atomic_load(&c->user_at[i]);
		if (at < low)
			low = at;
	}
	unsigned from = atomic_load(&c->users_dropped);
	if (low == UINT32_MAX || low < from + (unsigned)DROP_USERS ||
	    !atomic_compare_exchange_strong(&c->users_dropped, &from, low))
		return;
	okra__data_drop(d, d->user_rows + d->user_off[from],
	                (d->user_off[low] - d->user_off[from]) *
	                    sizeof(*d->user_rows));
	okra__data_drop(d, d->user_off + from,
	                (uint64_t)(low - from) * sizeof(*d->user_off));
	okra__data_drop(d, d->users.created + from,
	                (uint64_t)(low - from) * sizeof(int64_t));
	okra__data_drop(d, d->users.account + from,
	                (uint64_t)(low - from) * sizeof(uint32_t));
}

/* Counts the calling worker done with work kind k; the last one runs
 * the drop. */
static bool last_done(ctx *c, int k)
{
	return atomic_fetch_add(&c->done[k], 1u) + 1u == (unsigned)c->nw;
}

static void *work(void *arg)
{
	worker *w = arg;
	ctx *c = w->c;
	const okra_data *d = c->d;
	bool any_event = false, any_acct = false, any_user = false;
	for (size_t k = 0; k < c->n_bm; k++) {
		any_event |= c->bm[k].event_level;
		bool ent = c->bm[k].entity_level ||
		           (c->bm[k].event_level && c->bm[k].m->per_active);
		any_acct |= ent && !c->bm[k].user_entity;
		any_user |= ent && c->bm[k].user_entity;
	}
	uint64_t *cursors = calloc(2 * (c->n_bm + 1), sizeof(*cursors));
	if (!cursors) {
		w->nomem = true;
		return NULL;
	}
	/* Property cursors start at this worker's first row; behind[k]:
	 * the first value of metric k's property not given back yet. */
	uint64_t *behind = cursors + c->n_bm + 1;
	for (size_t k = 0; k < c->n_bm; k++)
		if (c->bm[k].prop)
			cursors[k] = behind[k] =
			    prop_first(c->bm[k].prop, 0, d->acct_off[w->a0]);
	/* Event metrics: a fixed share of the accounts, so that each
	 * histogram sums its values in the same order in every run. */
	uint64_t dropped_at = d->acct_off[w->a0];
	for (uint32_t a = w->a0; a < w->a1 && any_event; a++) {
		events(w, a, d->acct_off[a], d->acct_off[a + 1], cursors);
		if (d->acct_off[a + 1] - dropped_at >= DROP_ROWS) {
			dropped_at = d->acct_off[a + 1];
			drop_behind(c, cursors, behind, dropped_at);
		}
	}
	if (w->none_block && any_event)
		events(w, OKRA_NONE, d->acct_off[d->accounts.n], d->n_events,
		       cursors);
	free(cursors);
	if (last_done(c, 0))
		drop_props(d);
	/* Entity metrics add whole counts (and time_to samples that are
	 * sorted before use), so any worker may take any entity: chunks go
	 * to whichever worker is free, which keeps both busy when entities
	 * cost unevenly (recent ones have more rows in the windows). */
	for (int kind = 0; kind < 2; kind++) {
		uint32_t n_ent = kind ? d->users.n : d->accounts.n;
		while ((kind ? any_user : any_acct) && !w->nomem) {
			uint32_t e0 = atomic_fetch_add(&c->next_ent[kind],
			                               (unsigned)ENT_CHUNK);
			if (e0 >= n_ent)
				break;
			if (kind == 1)
				users_done_below(c, w->id, e0);
			uint32_t e1 =
			    n_ent - e0 < ENT_CHUNK ? n_ent : e0 + ENT_CHUNK;
			for (uint32_t e = e0; e < e1 && !w->nomem; e++)
				entity_of(w, kind == 1, e);
		}
		if (kind == 0 && last_done(c, 1))
			drop_account_work(c);
		if (kind == 1)
			atomic_store(&c->user_at[w->id], UINT32_MAX);
	}
	return NULL;
}

/* ---------------------------------------------------------------------
 * Setup: segments, pins, binding
 * --------------------------------------------------------------------- */

static int32_t month_index(int64_t ts)
{
	int y, m, d;
	okra__civil_from_days(okra__day_of(ts), &y, &m, &d);
	return y * 12 + (m - 1);
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return x < y ? -1 : x > y;
}

static okra_rc nomem(okra_err *err)
{
	return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

static int find_acct_attr(const okra_data *d, const char *name)
{
	for (uint32_t i = 0; i < d->accounts.n_attrs; i++)
		if (strcmp(d->accounts.attrs[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The signup-month segment of each entity for attribute j: the names
 * the front listed are "YYYY-MM" sorted, then (none). */
static bool cohort_segments(ctx *c, const okra_segment_attr *at, size_t j)
{
	okra_data *d = c->d;
	const okra_segmentation *sg = &c->r->seg;
	size_t u = at->n - 1; /* the months, (none) last */
	int32_t *months = malloc((u + 1) * sizeof(*months));
	if (!months)
		return false;
	for (size_t i = 0; i < u; i++) {
		const char *name = sg->segments[at->first + i];
		months[i] = (int32_t)(strtol(name, NULL, 10) * 12 +
		                      strtol(name + 5, NULL, 10) - 1);
	}
	uint32_t first = (uint32_t)at->first + 1, none = first + (uint32_t)u;
	for (int kind = 0; kind < 2; kind++) {
		uint32_t n_ent = kind ? d->users.n : d->accounts.n;
		const int64_t *created =
		    kind ? d->users.created : d->accounts.created;
		uint32_t *seg = kind ? c->user_seg : c->acct_seg;
		for (uint32_t e = 0; e < n_ent; e++) {
			uint32_t g = none;
			if (created[e] != INT64_MIN) {
				int32_t mo = month_index(created[e]);
				int32_t *hit = bsearch(
				    &mo, months, u, sizeof(*months), cmp_i32);
				if (hit)
					g = first + (uint32_t)(hit - months);
			}
			seg[(size_t)e * c->n_attrs + j] = g;
		}
	}
	free(months);
	return true;
}

/* The segment of each account (and user: its account's) for attribute
 * j, by the values the front listed, (none) last. */
static bool attr_segments(ctx *c, const okra_segment_attr *at, size_t j,
                          const okra_attr *attr)
{
	okra_data *d = c->d;
	const okra_segmentation *sg = &c->r->seg;
	uint32_t nv = attr ? attr->dict.n : 0;
	uint32_t *seg_of_code = calloc((size_t)nv + 1, sizeof(uint32_t));
	if (!seg_of_code)
		return false;
	uint32_t none = (uint32_t)(at->first + at->n);
	for (uint32_t i = 0; i < nv; i++)
		seg_of_code[i] = none;
	for (size_t i = 0; attr && i + 1 < at->n; i++) {
		const char *name = sg->segments[at->first + i];
		uint32_t code = okra__dict_find((okra_dict *)&attr->dict,
		                                &d->arena, name, strlen(name));
		if (code != OKRA_NONE)
			seg_of_code[code] = (uint32_t)(at->first + i + 1);
	}
	for (uint32_t a = 0; a < d->accounts.n; a++) {
		uint32_t code = attr ? attr->code[a] : OKRA_NONE;
		c->acct_seg[(size_t)a * c->n_attrs + j] =
		    code == OKRA_NONE ? none : seg_of_code[code];
	}
	c->none_seg[j] = none;
	for (uint32_t u = 0; c->user_seg && u < d->users.n; u++) {
		uint32_t a = d->users.account[u];
		c->user_seg[(size_t)u * c->n_attrs + j] =
		    a == OKRA_NONE ? none
		                   : c->acct_seg[(size_t)a * c->n_attrs + j];
	}
	free(seg_of_code);
	return true;
}

/* Maps every entity to its segment in each attribute of the result's
 * segmentation (resolved by the front). */
static okra_rc build_segments(ctx *c, okra_err *err)
{
	okra_data *d = c->d;
	const okra_segmentation *sg = &c->r->seg;
	size_t n = sg->n_attrs;
	c->n_attrs = n;
	c->S = sg->n_segments;
	bool cohort = false;
	for (size_t j = 0; j < n; j++)
		cohort |= strcmp(sg->attrs[j].name, "cohort") == 0;
	c->acct_seg = calloc((size_t)d->accounts.n * n + 1, sizeof(uint32_t));
	c->none_seg = calloc(n + 1, sizeof(uint32_t));
	if (cohort) /* a user's signup month is its own */
		c->user_seg =
		    calloc((size_t)d->users.n * n + 1, sizeof(uint32_t));
	if (!c->acct_seg || !c->none_seg || (cohort && !c->user_seg))
		return nomem(err);
	for (size_t j = 0; j < n; j++) {
		const okra_segment_attr *at = &sg->attrs[j];
		bool ok;
		if (strcmp(at->name, "cohort") == 0) {
			ok = cohort_segments(c, at, j);
		} else {
			int i = find_acct_attr(d, at->name);
			ok = attr_segments(
			    c, at, j, i >= 0 ? &d->accounts.attrs[i] : NULL);
		}
		if (!ok)
			return nomem(err);
	}
	return OKRA_OK;
}

static bool pin_match_value(const okra_where *w, const char *text, double num)
{
	for (size_t k = 0; k < w->n_values; k++) {
		const okra_value *v = &w->values[k];
		if (v->is_number ? num == v->number
		                 : (text && strcmp(text, v->text) == 0))
			return true;
	}
	return false;
}

/* A segment pin (--where tier=enterprise, a key result's where): only the
 * entities whose account (or signup month, for cohort) matches count. */
static okra_rc build_pins(ctx *c, okra_err *err)
{
	okra_data *d = c->d;
	const okra_plan *plan = &c->r->plan;
	if (!plan->n_pin)
		return OKRA_OK;
	c->acct_pass = malloc((size_t)d->accounts.n + 1);
	c->user_pass = malloc((size_t)d->users.n + 1);
	if (!c->acct_pass || !c->user_pass)
		return nomem(err);
	memset(c->acct_pass, 1, (size_t)d->accounts.n + 1);
	memset(c->user_pass, 1, (size_t)d->users.n + 1);
	for (size_t i = 0; i < plan->n_pin; i++) {
		const okra_where *w = &plan->pin[i];
		if (strcmp(w->key, "cohort") == 0) {
			for (int kind = 0; kind < 2; kind++) {
				uint32_t n = kind ? d->users.n : d->accounts.n;
				const int64_t *created =
				    kind ? d->users.created
				         : d->accounts.created;
				uint8_t *pass =
				    kind ? c->user_pass : c->acct_pass;
				for (uint32_t e = 0; e < n; e++) {
					char month[16] = "";
					if (created[e] != INT64_MIN) {
						int32_t mo =
						    month_index(created[e]);
						snprintf(month, sizeof(month),
						         "%04d-%02d", mo / 12,
						         mo % 12 + 1);
					}
					pass[e] &=
					    created[e] != INT64_MIN &&
					    pin_match_value(w, month, NAN);
				}
			}
			continue;
		}
		/* The front checked that the attribute exists. */
		int at = find_acct_attr(d, w->key);
		const okra_attr *attr = at >= 0 ? &d->accounts.attrs[at] : NULL;
		for (uint32_t a = 0; a < d->accounts.n; a++)
			c->acct_pass[a] &=
			    attr && attr->code[a] != OKRA_NONE &&
			    pin_match_value(
			        w, okra__dict_str(&attr->dict, attr->code[a]),
			        attr->num[a]);
		for (uint32_t u = 0; u < d->users.n; u++) {
			uint32_t a = d->users.account[u];
			c->user_pass[u] &= a != OKRA_NONE && c->acct_pass[a];
		}
	}
	return OKRA_OK;
}

static okra_rc bind_metric(ctx *c, bmetric *b, size_t item, okra_err *err)
{
	okra_data *d = c->d;
	const okra_plan_item *it = &c->r->plan.items[item];
	const okra_metric *m = it->m;
	okra_rc rc;
	memset(b, 0, sizeof(*b));
	b->m = m;
	b->index = (int)item;
	b->user_entity = m->entity == OKRA_ENTITY_USER;
	b->event_level = it->scan == OKRA_SCAN_EVENTS;
	b->entity_level = it->scan == OKRA_SCAN_ENTITIES;
	if (!b->event_level && !b->entity_level)
		return OKRA_OK;
	if ((rc = okra__filter_bind(d, &c->arena, &m->filter, &b->filter,
	                            err)) ||
	    (rc = okra__filter_bind(d, &c->arena, &m->anchor, &b->anchor,
	                            err)) ||
	    (rc = okra__filter_bind(d, &c->arena, &m->target, &b->target,
	                            err)) ||
	    (rc = okra__filter_bind(d, &c->arena, &m->measure_filter,
	                            &b->measure, err)))
		return rc;
	if (m->n_steps) {
		b->steps = okra__arena_alloc(&c->arena,
		                             m->n_steps * sizeof(*b->steps));
		if (!b->steps)
			return nomem(err);
		for (size_t i = 0; i < m->n_steps; i++)
			if ((rc = okra__filter_bind(d, &c->arena, &m->steps[i],
			                            &b->steps[i], err)))
				return rc;
	}
	if (m->property) {
		for (uint32_t i = 0; i < d->n_props; i++)
			if (strcmp(d->props[i].name, m->property) == 0)
				b->prop = &d->props[i];
		if (!b->prop)
			b->filter.never =
			    true; /* no event has it: sum 0, avg null */
	}
	if (m->ratio_to) {
		int at = find_acct_attr(d, m->ratio_to);
		b->ratio_attr = at >= 0 ? &d->accounts.attrs[at] : NULL;
	}
	return OKRA_OK;
}

/* ---------------------------------------------------------------------
 * Reading values off the arrays
 * --------------------------------------------------------------------- */

/* Turns a difference array into running sums in place (day D at D - D1),
 * once per evaluation, so every read is O(1). */
static void integrate(const ctx *c, double *diff, size_t rows)
{
	if (!diff)
		return;
	for (size_t r = 0; r < rows; r++) {
		double *row = diff + r * (c->L + 1), s = 0;
		for (size_t i = 0; i <= c->L; i++) {
			s += row[i];
			row[i] = s;
		}
	}
}

static double prefix_at(const ctx *c, const double *sums, uint32_t seg,
                        int32_t day)
{
	return sums[seg * (c->L + 1) + (size_t)(day - c->D1)];
}

static int32_t window_first(const ctx *c, const okra_window *w, int32_t day)
{
	int32_t first, last;
	switch (w->kind) {
	case OKRA_WINDOW_DAYS:
		return day - w->days + 1;
	case OKRA_WINDOW_ALL:
		return c->h0;
	default:
		okra__period_bounds(c->ws, w->kind, day, &first, &last);
		return first;
	}
}

static void hist_window(const ctx *c, const double *hist, uint32_t seg,
                        int32_t lo, int32_t hi, double *sum)
{
	double s = 0;
	if (lo < c->h0)
		lo = c->h0;
	const double *row = hist + seg * c->HL;
	for (int32_t day = lo; day <= hi; day++)
		s += row[day - c->h0];
	*sum = s;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* quantile_cont over sorted values; NaN (null) when a statistic with
 * nonzero weight is +inf or there are none. */
static double quantile(const double *v, size_t n, double q)
{
	if (n == 0)
		return NAN;
	double pos = (double)(n - 1) * q;
	size_t lo = (size_t)floor(pos);
	double frac = pos - (double)lo;
	if (frac == 0)
		return isinf(v[lo]) ? NAN : v[lo];
	if (isinf(v[lo]) || isinf(v[lo + 1]))
		return NAN;
	return v[lo] + (v[lo + 1] - v[lo]) * frac;
}

static int cmp_tt(const void *a, const void *b)
{
	const tt_rec *x = a, *y = b;
	return x->day < y->day ? -1 : x->day > y->day;
}

static bool in_segment(const ctx *c, const uint32_t *segs, size_t seg)
{
	if (seg == 0)
		return true;
	for (size_t j = 0; j < c->n_attrs; j++)
		if (segs[j] == seg)
			return true;
	return false;
}

/* The quantile per segment and date, with its sample: the mature cohort
 * (den) and those in it who reached the event (num). */
static okra_rc time_to_values(const ctx *c, const bmetric *b, mstate *ms,
                              okra_values *mv, okra_err *err)
{
	const okra_metric *m = b->m;
	size_t nd = c->plan->n_dates, S = c->S;
	if (ms->n_tt)
		qsort(ms->tt, ms->n_tt, sizeof(*ms->tt), cmp_tt);
	double *vals = malloc((ms->n_tt + 1) * sizeof(*vals));
	if (!vals)
		return nomem(err);
	for (size_t i = 0; i < nd; i++) {
		int32_t D = c->plan->dates[i];
		int32_t hi = D - m->within_days, lo = hi - m->cohort_days + 1;
		for (size_t seg = 0; seg <= S; seg++) {
			size_t n = 0, reached = 0;
			for (size_t k = 0; k < ms->n_tt; k++)
				if (ms->tt[k].day >= lo &&
				    ms->tt[k].day <= hi &&
				    in_segment(c, ms->tt[k].segs, seg)) {
					vals[n++] = ms->tt[k].hours;
					reached += isfinite(ms->tt[k].hours);
				}
			qsort(vals, n, sizeof(*vals), cmp_double);
			size_t at = seg * nd + i;
			mv->v[at] = quantile(vals, n, m->quantile);
			if (mv->den) {
				mv->num[at] = (double)reached;
				mv->den[at] = (double)n;
			}
		}
	}
	free(vals);
	return OKRA_OK;
}

/* Shares (and active counts) off the integrated difference arrays; the
 * sample of a share is its numerator and denominator. */
static void entity_values(const ctx *c, const bmetric *b, const mstate *ms,
                          okra_values *mv)
{
	size_t nd = c->plan->n_dates;
	for (size_t seg = 0; seg <= c->S; seg++)
		for (size_t i = 0; i < nd; i++) {
			int32_t D = c->plan->dates[i];
			size_t at = seg * nd + i;
			double num = prefix_at(c, ms->num, (uint32_t)seg, D);
			if (b->m->type == OKRA_METRIC_ACTIVE) {
				mv->v[at] = num;
				continue;
			}
			double den = prefix_at(c, ms->den, (uint32_t)seg, D);
			mv->v[at] = den > 0 ? num / den : NAN;
			if (mv->den) {
				mv->num[at] = num;
				mv->den[at] = den;
			}
		}
	for (size_t k = 0; k < mv->n_steps; k++)
		for (size_t i = 0; i < nd; i++) {
			int32_t D = c->plan->dates[i];
			double den = prefix_at(c, ms->den, 0, D);
			double num =
			    prefix_at(c, ms->steps + k * (c->L + 1), 0, D);
			mv->steps[k * nd + i] = den > 0 ? num / den : NAN;
		}
}

/* Event metrics off the daily histograms: a sum (or count), a mean over
 * the events with the property, or a sum per active entity. */
static void event_values(const ctx *c, const bmetric *b, const mstate *ms,
                         okra_values *mv)
{
	const okra_metric *m = b->m;
	size_t nd = c->plan->n_dates;
	for (size_t seg = 0; seg <= c->S; seg++)
		for (size_t i = 0; i < nd; i++) {
			int32_t D = c->plan->dates[i];
			size_t at = seg * nd + i;
			double a, n, den = NAN;
			int32_t lo = window_first(c, &m->window, D);
			hist_window(c, ms->hist_a, (uint32_t)seg, lo, D, &a);
			hist_window(c, ms->hist_b, (uint32_t)seg, lo, D, &n);
			if (m->per_active)
				den = prefix_at(c, ms->den, (uint32_t)seg, D);
			else if (m->type == OKRA_METRIC_AVG)
				den = n;
			mv->v[at] = isnan(den) ? a : den > 0 ? a / den : NAN;
			if (mv->den) {
				mv->num[at] = a;
				mv->den[at] = den;
			}
		}
}

/* ---------------------------------------------------------------------
 * Outcomes: the four counts behind a lift
 * --------------------------------------------------------------------- */

static uint32_t n_entities(const okra_data *d, const bmetric *b)
{
	return b->user_entity ? d->users.n : d->accounts.n;
}

/* An entity-level metric with a met / not met state per entity: active
 * (met = counted), threshold, conversion, retention. */
static bool has_outcome(const bmetric *b)
{
	return b->entity_level && b->m->type != OKRA_METRIC_TIME_TO;
}

/* Gives the north star and every item whose outcomes are asked for one
 * byte per entity, before the pass. */
static okra_rc outcome_setup(ctx *c, okra_err *err)
{
	const okra_plan *plan = c->plan;
	if (!plan->outcome_of)
		return OKRA_OK;
	int ns = plan->item_of[plan->outcome_of - plan->ws->metrics];
	if (ns < 0 || !has_outcome(&c->bm[ns]))
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "outcomes are counted in a metric of the "
		                     "plan that counts entities (active, "
		                     "threshold, conversion or retention); "
		                     "\"%s\" is not one",
		                     plan->outcome_of->id);
	if (plan->outcome_day < c->D1 || plan->outcome_day > c->Dk)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "the outcome day is not an as-of day of "
		                     "the plan");
	c->oday = plan->outcome_day;
	for (size_t k = 0; k < c->n_bm; k++) {
		bmetric *b = &c->bm[k];
		if ((int)k != ns &&
		    !(plan->items[k].outcomes && has_outcome(b)))
			continue;
		b->outcome = okra__arena_alloc(&c->arena,
		                               (size_t)n_entities(c->d, b) + 1);
		if (!b->outcome)
			return nomem(err);
	}
	c->ns = &c->bm[ns];
	return OKRA_OK;
}

/* Does entity e of b's kind count in the north star: itself, a user's
 * account, or (acct_any) any user of an account? */
static bool counts_in_ns(const ctx *c, const bmetric *b,
                         const uint8_t *acct_any, uint32_t e)
{
	const bmetric *ns = c->ns;
	if (b->user_entity == ns->user_entity)
		return ns->outcome[e] & OUT_MET;
	if (b->user_entity) {
		uint32_t a = c->d->users.account[e];
		return a != OKRA_NONE && (ns->outcome[a] & OUT_MET);
	}
	return acct_any[e];
}

/* The four counts of every item whose outcomes are asked for, off the
 * bytes the kernels set. */
static okra_rc outcome_counts(ctx *c, okra_result *r, okra_err *err)
{
	const okra_data *d = c->d;
	uint8_t *acct_any = NULL;
	if (!c->ns)
		return OKRA_OK;
	if (c->ns->user_entity) {
		acct_any =
		    okra__arena_alloc(&c->arena, (size_t)d->accounts.n + 1);
		if (!acct_any)
			return nomem(err);
		for (uint32_t u = 0; u < d->users.n; u++) {
			uint32_t a = d->users.account[u];
			if (a != OKRA_NONE && (c->ns->outcome[u] & OUT_MET))
				acct_any[a] = 1;
		}
	}
	for (size_t k = 0; k < c->n_bm; k++) {
		const bmetric *b = &c->bm[k];
		okra_outcome *out = r->values[k].outcome;
		if (!out || !b->outcome)
			continue;
		double n[2] = {0, 0}, act[2] = {0, 0};
		for (uint32_t e = 0, ne = n_entities(d, b); e < ne; e++) {
			uint8_t o = b->outcome[e];
			if (!(o & OUT_POP))
				continue;
			int met = (o & OUT_MET) != 0;
			n[met]++;
			act[met] += counts_in_ns(c, b, acct_any, e);
		}
		*out = (okra_outcome){.met = n[1],
		                      .met_active = act[1],
		                      .not_met = n[0],
		                      .not_met_active = act[0]};
	}
	return OKRA_OK;
}

/* ---------------------------------------------------------------------
 * Entry point
 * --------------------------------------------------------------------- */

static void free_worker(worker *w, size_t n_bm)
{
	if (w->ms)
		for (size_t k = 0; k < n_bm; k++) {
			free(w->ms[k].hist_a);
			free(w->ms[k].hist_b);
			free(w->ms[k].num);
			free(w->ms[k].den);
			free(w->ms[k].steps);
			free(w->ms[k].tt);
		}
	free(w->ms);
	free(w->rows);
	free(w->days);
	free(w->nm);
	free(w->act);
	free(w->cnt);
	free(w->groups);
	free(w->dg);
	free(w->uloc);
	free(w->ucount);
	free(w->hkey);
	free(w->hval);
	free(w->hgen);
}

static bool alloc_worker(ctx *c, worker *w)
{
	w->c = c;
	w->ms = calloc(c->n_bm + 1, sizeof(*w->ms));
	if (!w->ms)
		return false;
	size_t hist = (c->S + 1) * c->HL, diff = (c->S + 1) * (c->L + 1);
	for (size_t k = 0; k < c->n_bm; k++) {
		const bmetric *b = &c->bm[k];
		mstate *ms = &w->ms[k];
		if (b->event_level) {
			ms->hist_a = calloc(hist, sizeof(double));
			ms->hist_b = calloc(hist, sizeof(double));
			if (!ms->hist_a || !ms->hist_b)
				return false;
		}
		if (b->entity_level || (b->event_level && b->m->per_active)) {
			ms->num = calloc(diff, sizeof(double));
			ms->den = calloc(diff, sizeof(double));
			if (!ms->num || !ms->den)
				return false;
		}
		if (b->m->n_steps) {
			ms->steps =
			    calloc(b->m->n_steps * (c->L + 1), sizeof(double));
			if (!ms->steps)
				return false;
		}
	}
	return true;
}

static void add_into(double *dst, const double *src, size_t n)
{
	if (dst && src)
		for (size_t i = 0; i < n; i++)
			dst[i] += src[i];
}

static bool merge(ctx *c, worker *into, worker *from)
{
	size_t hist = (c->S + 1) * c->HL, diff = (c->S + 1) * (c->L + 1);
	for (size_t k = 0; k < c->n_bm; k++) {
		mstate *a = &into->ms[k], *b = &from->ms[k];
		add_into(a->hist_a, b->hist_a, hist);
		add_into(a->hist_b, b->hist_b, hist);
		add_into(a->num, b->num, diff);
		add_into(a->den, b->den, diff);
		add_into(a->steps, b->steps, c->bm[k].m->n_steps * (c->L + 1));
		if (b->n_tt) {
			tt_rec *t =
			    realloc(a->tt, (a->n_tt + b->n_tt) * sizeof(*t));
			if (!t)
				return false;
			memcpy(t + a->n_tt, b->tt, b->n_tt * sizeof(*t));
			a->tt = t;
			a->n_tt += b->n_tt;
		}
	}
	return true;
}

/* Splits [0, n) so that each part holds about the same number of rows. */
static uint32_t split_at(const uint64_t *off, uint32_t n, int part, int parts)
{
	if (part == 0)
		return 0;
	if (part == parts)
		return n;
	uint64_t want = off[n] / (uint64_t)parts * (uint64_t)part;
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (off[mid] < want)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first day whose rows b reads, an anchor event aside (ctx). */
static int32_t first_needed(const ctx *c, const bmetric *b)
{
	const okra_metric *m = b->m;
	int64_t day;
	switch (b->event_level ? OKRA_METRIC_ACTIVE : m->type) {
	case OKRA_METRIC_ACTIVE: /* also per: active */
	case OKRA_METRIC_THRESHOLD:
		return b->from_day;
	case OKRA_METRIC_CONVERSION:
	case OKRA_METRIC_TIME_TO:
		/* In a cohort of the as-of range: anchor day A >= D1 -
		 * within - cohort + 1; its rows from the anchor on. */
		day = (int64_t)c->D1 - m->within_days - m->cohort_days + 1;
		break;
	case OKRA_METRIC_RETENTION: {
		/* A >= D1 - n2 - cohort + 1; its rows from A + n1 on. */
		int n1 = m->has_between ? m->between_lo : m->day_n;
		int n2 = m->has_between ? m->between_hi : m->day_n;
		day = (int64_t)c->D1 - n2 - m->cohort_days + 1 + n1;
		break;
	}
	default:
		return INT32_MIN;
	}
	return day < INT32_MIN ? INT32_MIN : (int32_t)day;
}

/* The metrics each kernel runs (ctx). */
static okra_rc kernel_lists(ctx *c, okra_err *err)
{
	size_t bytes = (c->n_bm + 1) * sizeof(uint32_t);
	c->ev_list = okra__arena_alloc(&c->arena, bytes);
	c->ent_list[0] = okra__arena_alloc(&c->arena, bytes);
	c->ent_list[1] = okra__arena_alloc(&c->arena, bytes);
	if (!c->ev_list || !c->ent_list[0] || !c->ent_list[1])
		return nomem(err);
	c->ev_from =
	    okra__arena_alloc(&c->arena, (c->n_bm + 1) * sizeof(int32_t));
	if (!c->ev_from)
		return nomem(err);
	c->load_from[0] = c->load_from[1] = INT32_MAX;
	for (size_t k = 0; k < c->n_bm; k++) {
		const bmetric *b = &c->bm[k];
		if (b->event_level) { /* insertion by from_day, stable */
			size_t x = c->n_ev++;
			for (; x > 0 && c->ev_from[x - 1] > b->from_day; x--) {
				c->ev_list[x] = c->ev_list[x - 1];
				c->ev_from[x] = c->ev_from[x - 1];
			}
			c->ev_list[x] = (uint32_t)k;
			c->ev_from[x] = b->from_day;
		}
		if (b->entity_level || (b->event_level && b->m->per_active)) {
			c->ent_list[b->user_entity]
			           [c->n_ent[b->user_entity]++] = (uint32_t)k;
			int32_t *from = &c->load_from[b->user_entity];
			int32_t f = first_needed(c, b);
			if (f < *from)
				*from = f;
		}
	}
	/* The event metrics of each name, in ev_list order; a metric
	 * without names matches every name, one that never matches none. */
	uint32_t nn = c->d->names.n;
	c->ev_name_off =
	    okra__arena_alloc(&c->arena, ((size_t)nn + 2) * sizeof(uint32_t));
	c->ev_name_x = okra__arena_alloc(&c->arena, ((size_t)nn * c->n_ev + 1) *
	                                                sizeof(uint32_t));
	if (!c->ev_name_off || !c->ev_name_x)
		return nomem(err);
	uint32_t at = 0;
	for (uint32_t name = 0; name < nn; name++) {
		c->ev_name_off[name] = at;
		for (size_t x = 0; x < c->n_ev; x++) {
			const okra_bfilter *f = &c->bm[c->ev_list[x]].filter;
			if (!f->never && (!f->names || f->names[name]))
				c->ev_name_x[at++] = (uint32_t)x;
		}
	}
	c->ev_name_off[nn] = at;
	return OKRA_OK;
}

okra_rc okra__eval(okra_data *d, okra_result *r, int threads, okra_err *err)
{
	okra_rc rc = OKRA_OK;
	const okra_plan *plan = &r->plan;
	ctx c = {.d = d, .ws = plan->ws, .plan = plan, .r = r};
	worker w[8];
	const okra_metric **rev_m = NULL; /* the revenue items, their values */
	okra_values **rev_v = NULL;
	size_t n_rev = 0;
	int nw = threads < 1 ? 1 : threads > 8 ? 8 : threads;
	memset(w, 0, sizeof(w));
	if (plan->n_dates == 0)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "no as-of date");
	c.D1 = plan->dates[0];
	c.Dk = plan->dates[plan->n_dates - 1];
	c.L = (size_t)(c.Dk - c.D1 + 1);

	if ((rc = build_segments(&c, err)) || (rc = build_pins(&c, err)))
		goto out;
	c.bm = calloc(plan->n_items + 1, sizeof(*c.bm));
	if (!c.bm) {
		rc = nomem(err);
		goto out;
	}
	c.n_bm = plan->n_items;
	int32_t data_first = d->n_events ? okra__day_of(d->min_ts) : c.D1;
	c.h0 = c.D1;
	for (size_t k = 0; k < c.n_bm; k++) {
		if ((rc = bind_metric(&c, &c.bm[k], k, err)))
			goto out;
		const okra_window *win = &c.bm[k].m->window;
		c.bm[k].from_day = win->kind == OKRA_WINDOW_ALL
		                       ? INT32_MIN
		                       : window_first(&c, win, c.D1);
		if (!c.bm[k].event_level)
			continue;
		int32_t first = window_first(&c, &c.bm[k].m->window, c.D1);
		if (c.bm[k].m->window.kind == OKRA_WINDOW_ALL)
			first = data_first;
		if (first < c.h0)
			c.h0 = first;
	}
	if (c.h0 < data_first)
		c.h0 = data_first < c.D1 ? data_first : c.D1;
	/* The row masks are made: the pass reads only the properties that
	 * sum and avg add up, in its own order. */
	drop_props(d);
	for (size_t k = 0; k < c.n_bm; k++) {
		const okra_metric *m = c.bm[k].m;
		c.user_col_in_users |=
		    c.bm[k].entity_level && c.bm[k].user_entity &&
		    m->type == OKRA_METRIC_THRESHOLD &&
		    (m->measure == OKRA_MEASURE_DISTINCT_USERS ||
		     m->measure == OKRA_MEASURE_RATIO_TO);
	}
	if ((rc = kernel_lists(&c, err)))
		goto out;
	c.HL = (size_t)(c.Dk - c.h0 + 1);
	if ((rc = outcome_setup(&c, err)))
		goto out;

	/* Work: each worker a share of the accounts for the event metrics,
	 * then chunks of entities as they come (work). */
	atomic_init(&c.next_ent[0], 0);
	atomic_init(&c.next_ent[1], 0);
	atomic_init(&c.done[0], 0);
	atomic_init(&c.done[1], 0);
	atomic_init(&c.users_dropped, 0);
	for (int i = 0; i < 8; i++)
		atomic_init(&c.user_at[i], 0);
	c.nw = nw;
	for (int i = 0; i < nw; i++) {
		if (!alloc_worker(&c, &w[i])) {
			rc = nomem(err);
			goto out;
		}
		w[i].a0 = split_at(d->acct_off, d->accounts.n, i, nw);
		w[i].a1 = split_at(d->acct_off, d->accounts.n, i + 1, nw);
		w[i].none_block = i == nw - 1;
		w[i].id = i;
	}
	pthread_t tid[8];
	bool started[8] = {0};
	for (int i = 1; i < nw; i++)
		started[i] = pthread_create(&tid[i], NULL, work, &w[i]) == 0;
	work(&w[0]);
	for (int i = 1; i < nw; i++) {
		if (started[i])
			pthread_join(tid[i], NULL);
		else
			work(&w[i]); /* no thread: do its share here */
	}
	for (int i = 0; i < nw; i++)
		if (w[i].nomem) {
			rc = nomem(err);
			goto out;
		}
	for (int i = 1; i < nw; i++)
		if (!merge(&c, &w[0], &w[i])) {
			rc = nomem(err);
			goto out;
		}

	drop_event_columns(d);
	if ((rc = outcome_counts(&c, r, err)))
		goto out;

	/* Values of the metrics this engine scans; the front derives the
	 * rest (ratios, formulas, manual metrics). */
	for (size_t k = 0; k < c.n_bm; k++) {
		mstate *ms = &w[0].ms[k];
		integrate(&c, ms->num, c.S + 1);
		integrate(&c, ms->den, c.S + 1);
		integrate(&c, ms->steps, c.bm[k].m->n_steps);
	}
	/* Every revenue measure from one walk of the revenue rows. */
	rev_m = malloc((c.n_bm + 1) * sizeof(*rev_m));
	rev_v = malloc((c.n_bm + 1) * sizeof(*rev_v));
	if (!rev_m || !rev_v) {
		rc = nomem(err);
		goto out;
	}
	for (size_t k = 0; k < c.n_bm; k++) {
		const bmetric *b = &c.bm[k];
		okra_values *mv = &r->values[k];
		switch (plan->items[k].scan) {
		case OKRA_SCAN_EVENTS:
			event_values(&c, b, &w[0].ms[k], mv);
			break;
		case OKRA_SCAN_ENTITIES:
			if (b->m->type != OKRA_METRIC_TIME_TO)
				entity_values(&c, b, &w[0].ms[k], mv);
			else if ((rc = time_to_values(&c, b, &w[0].ms[k], mv,
			                              err)))
				goto out;
			break;
		case OKRA_SCAN_REVENUE:
			rev_m[n_rev] = b->m;
			rev_v[n_rev++] = mv;
			break;
		default:
			continue;
		}
		mv->evaluated = true;
	}
	if (n_rev && (rc = okra__eval_revenue(d, rev_m, rev_v, n_rev,
	                                      plan->dates, plan->n_dates,
	                                      plan->n_pin ? c.acct_pass : NULL,
	                                      c.acct_seg, c.n_attrs, c.S, err)))
		goto out;
out:
	free(rev_m);
	free(rev_v);
	for (int i = 0; i < nw; i++)
		free_worker(&w[i], c.n_bm);
	free(c.bm);
	free(c.acct_seg);
	free(c.user_seg);
	free(c.none_seg);
	free(c.acct_pass);
	free(c.user_pass);
	okra__arena_free(&c.arena);
	return rc;
}
