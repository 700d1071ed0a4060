/*
 * ingest_order.c - puts the events read (ingest_par.c's parts, in file
 * order) into the dataset's order: by account then time, the user order
 * as a permutation, the properties by row.
 *
 * A stable counting sort by account scatters each part's rows straight to
 * their place, so the events are never copied in file order first; only
 * the accounts whose rows are not already in time order are sorted after.
 * The threads split the rows into contiguous halves: each counts its own
 * first, so each knows where its rows of every account go.  Properties
 * are placed by the rank of their row in a bitmap.  No allocation per
 * event; each part's columns are freed once placed.
 */
#include "engine/ingest_int.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THREADS 8
#define NO_TIME     UINT64_MAX

/* A row's time as one sortable number: seconds, then microseconds. */
static inline uint64_t time_key(uint32_t sec, uint32_t us)
{
	return (uint64_t)sec << 20 | us;
}

/* ======================================================================
 * A stable counting sort, split over threads
 * ====================================================================== */

/* One thread's share of a counting sort by key (n_keys + 1 buckets,
 * OKRA_NONE last): its count per key, then the next place of each key;
 * the first and last time of its rows of each key, and the keys whose
 * rows it met out of time order. */
typedef struct share {
	uint32_t *next;         /* count, then the next place */
	uint64_t *first, *last; /* set once the key counts a row */
	uint8_t *late;          /* 1: a row earlier than the one before */
} share;

/* first and last are left as they come: a key's are written with its
 * first row and read only when it has one, so a thread touches the pages
 * of its own keys, in its own count. */
static bool share_init(share *s, uint32_t n_keys)
{
	size_t n = (size_t)n_keys + 1;
	s->next = calloc(n, sizeof(*s->next));
	s->first = malloc(n * sizeof(*s->first));
	s->last = malloc(n * sizeof(*s->last));
	s->late = calloc(n, 1);
	return s->next && s->first && s->last && s->late;
}

static void share_free(share *s)
{
	free(s->next);
	free(s->first);
	free(s->last);
	free(s->late);
	*s = (share){0};
}

static inline void share_count(share *s, uint32_t key, uint64_t t)
{
	if (s->next[key]++ == 0)
		s->first[key] = t;
	else if (t < s->last[key])
		s->late[key] = 1;
	s->last[key] = t;
}

/*
 * The buckets' offsets (n_keys + 2 entries) from the shares' counts, in
 * share order, and the shares' next places.  unsorted[k] = 1 when bucket
 * k's rows are not in time order; returns how many are not.
 */
static uint64_t share_offsets(share *s, int n_shares, uint32_t n_keys,
                              uint64_t *off, uint8_t *unsorted)
{
	uint64_t at = 0, n_unsorted = 0;
	for (uint32_t k = 0; k <= n_keys; k++) {
		uint64_t last = NO_TIME;
		bool late = false;
		off[k] = at;
		for (int h = 0; h < n_shares; h++) {
			uint32_t c = s[h].next[k];
			s[h].next[k] = (uint32_t)at;
			at += c;
			if (!c)
				continue;
			late |= s[h].late[k] ||
			        (last != NO_TIME && s[h].first[k] < last);
			last = s[h].last[k];
		}
		unsorted[k] = late;
		n_unsorted += late;
	}
	off[n_keys + 1] = at;
	return n_unsorted;
}

/* (time, place) pairs of a bucket, sorted to put it in time order; the
 * place keeps equal times in their order. */
typedef struct time_place {
	uint64_t t;
	uint32_t place;
} time_place;

static int cmp_time_place(const void *pa, const void *pb)
{
	const time_place *a = pa, *b = pb;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->place < b->place ? -1 : a->place > b->place;
}

/* ======================================================================
 * The jobs
 * ====================================================================== */

typedef struct order {
	ingest *ig;
	okra_data *d;
	int n_threads;
	ev_part **parts;
	size_t n_parts;
	uint64_t n;
	uint32_t ts_base; /* seconds since 1970 of the first event */
	uint32_t n_accts, n_users;
	share acct[MAX_THREADS], user[MAX_THREADS];
	uint64_t *acct_off, *user_off;
	uint8_t *acct_unsorted, *user_unsorted;
	uint32_t *sec, *us, *user_col, *user_rows;
	uint16_t *name;
	uint32_t *rows;     /* unsorted accounts: place -> global row */
	atomic_size_t next; /* the next key to take */
	bool failed;        /* a job ran out of memory */
	/* properties, per global property */
	uint32_t **prop_row, **prop_str;
	double **prop_num;
	uint64_t *prop_n;
	uint32_t prop;  /* the one being placed */
	uint64_t words; /* of a bitmap of places */
	uint64_t *bits[MAX_THREADS];
	uint64_t marks[MAX_THREADS];
	uint32_t *rank;
} order;

typedef struct job {
	order *o;
	int id;
	size_t p0, p1;   /* parts [p0, p1) */
	uint64_t r0, r1; /* places [r0, r1) (user order) */
	uint64_t w0, w1; /* words of the bitmaps [w0, w1) */
} job;

/* Runs fn on every thread's job. */
static void run(order *o, void *(*fn)(void *), job *jobs)
{
	atomic_store(&o->next, 0);
	okra__ingest_run(o->n_threads, fn, jobs, sizeof(*jobs));
}

/* Bits set in x (without needing the popcnt instruction). */
static inline int popcount64(uint64_t x)
{
	x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
	x = (x & UINT64_C(0x3333333333333333)) +
	    ((x >> 2) & UINT64_C(0x3333333333333333));
	x = (x + (x >> 4)) & UINT64_C(0x0F0F0F0F0F0F0F0F);
	return (int)((x * UINT64_C(0x0101010101010101)) >> 56);
}

static uint32_t acct_key(const order *o, uint32_t a)
{
	return a == OKRA_NONE ? o->n_accts : a;
}

/* Counts the share's rows per account. */
static void *count_accounts(void *arg)
{
	job *j = arg;
	order *o = j->o;
	share *s = &o->acct[j->id];
	for (size_t k = j->p0; k < j->p1; k++) {
		const ev_part *p = o->parts[k];
		for (uint64_t i = 0; i < p->n; i++)
			share_count(s, acct_key(o, p->acct[i]),
			            time_key(p->sec[i], p->us ? p->us[i] : 0));
	}
	return NULL;
}

/*
 * The scatter goes one column at a time, each part's column given back
 * as soon as it is placed, so at most one ordered column is fresh memory
 * beside the parts' (not all of them at once).  First the timestamps,
 * which give each row its place (kept where sec was); the accounts go
 * with them.
 */
static void *scatter_times(void *arg)
{
	job *j = arg;
	order *o = j->o;
	uint32_t *next = o->acct[j->id].next;
	for (size_t k = j->p0; k < j->p1; k++) {
		ev_part *p = o->parts[k];
		for (uint64_t i = 0; i < p->n; i++) {
			uint32_t key = acct_key(o, p->acct[i]);
			uint32_t at = next[key]++;
			o->sec[at] = p->sec[i] - o->ts_base;
			if (o->us)
				o->us[at] = p->us ? p->us[i] : 0;
			p->sec[i] = at;
			if (o->rows && o->acct_unsorted[key])
				o->rows[at] = (uint32_t)(p->gbase + i);
		}
		p->place = p->sec;
		p->sec = NULL;
		okra__ingest_drop(p->cols, p->cols_len, p->acct,
		                  (size_t)p->n * 4);
		p->acct = NULL;
		okra__ingest_unmap(p->us, (size_t)p->cap * 4);
		p->us = NULL;
	}
	return NULL;
}

/* Then the users, by the places. */
static void *scatter_user_col(void *arg)
{
	job *j = arg;
	order *o = j->o;
	for (size_t k = j->p0; k < j->p1; k++) {
		ev_part *p = o->parts[k];
		for (uint64_t i = 0; i < p->n; i++)
			o->user_col[p->place[i]] = p->user[i];
		okra__ingest_drop(p->cols, p->cols_len, p->user,
		                  (size_t)p->n * 4);
		p->user = NULL;
	}
	return NULL;
}

/* Then the names; each part then keeps only its rows' places. */
static void *scatter_names(void *arg)
{
	job *j = arg;
	order *o = j->o;
	for (size_t k = j->p0; k < j->p1; k++) {
		ev_part *p = o->parts[k];
		for (uint64_t i = 0; i < p->n; i++)
			o->name[p->place[i]] = p->name[i];
		p->name = NULL;
		p->cols_len = okra__ingest_shrink(p->cols, p->cols_len,
		                                  (size_t)p->cap * 4);
	}
	return NULL;
}

/* The part holding global row g (parts are in row order). */
static ev_part *part_of(const order *o, uint64_t g)
{
	size_t lo = 0, hi = o->n_parts;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (o->parts[mid]->gbase <= g)
			lo = mid;
		else
			hi = mid;
	}
	return o->parts[lo];
}

/* Grows a thread's scratch to n pairs. */
static bool scratch_room(time_place **tp, uint64_t *cap, uint64_t n,
                         uint32_t **tmp)
{
	if (n <= *cap)
		return true;
	uint64_t c = *cap ? *cap : 1024;
	while (c < n)
		c *= 2;
	time_place *t = realloc(*tp, c * sizeof(*t));
	if (t)
		*tp = t;
	uint32_t *u = t ? realloc(*tmp, c * sizeof(*u)) : NULL;
	if (!u)
		return false;
	*tmp = u;
	*cap = c;
	return true;
}

/* Moves a block's column into the order of tp (pairs of old places). */
static void apply32(uint32_t *col, uint64_t lo, const time_place *tp,
                    uint64_t n, uint32_t *tmp)
{
	for (uint64_t i = 0; i < n; i++)
		tmp[i] = col[tp[i].place];
	memcpy(col + lo, tmp, n * sizeof(*tmp));
}

/* Sorts the rows of accounts out of time order, and fixes the places
 * the parts hold for them. */
static void *sort_accounts(void *arg)
{
	job *j = arg;
	order *o = j->o;
	time_place *tp = NULL;
	uint32_t *tmp = NULL;
	uint64_t cap = 0;
	for (;;) {
		size_t k = atomic_fetch_add(&o->next, 1);
		if (k > o->n_accts)
			break;
		if (!o->acct_unsorted[k])
			continue;
		uint64_t lo = o->acct_off[k], n = o->acct_off[k + 1] - lo;
		if (!scratch_room(&tp, &cap, n, &tmp)) {
			o->failed = true;
			break;
		}
		for (uint64_t i = 0; i < n; i++) {
			uint64_t at = lo + i;
			tp[i] = (time_place){
			    time_key(o->sec[at], o->us ? o->us[at] : 0),
			    (uint32_t)at};
		}
		qsort(tp, n, sizeof(*tp), cmp_time_place);
		apply32(o->sec, lo, tp, n, tmp);
		if (o->us)
			apply32(o->us, lo, tp, n, tmp);
		apply32(o->user_col, lo, tp, n, tmp);
		apply32(o->rows, lo, tp, n, tmp);
		uint16_t *names = (uint16_t *)tmp;
		for (uint64_t i = 0; i < n; i++)
			names[i] = o->name[tp[i].place];
		memcpy(o->name + lo, names, n * sizeof(*names));
		for (uint64_t i = 0; i < n; i++) {
			uint64_t g = o->rows[lo + i];
			ev_part *p = part_of(o, g);
			p->place[g - p->gbase] = (uint32_t)(lo + i);
		}
	}
	free(tp);
	free(tmp);
	return NULL;
}

static uint32_t user_key(const order *o, uint32_t u)
{
	return u == OKRA_NONE ? o->n_users : u;
}

/* Counts the share's places per user. */
static void *count_users(void *arg)
{
	job *j = arg;
	order *o = j->o;
	share *s = &o->user[j->id];
	for (uint64_t at = j->r0; at < j->r1; at++)
		share_count(s, user_key(o, o->user_col[at]),
		            time_key(o->sec[at], o->us ? o->us[at] : 0));
	return NULL;
}

static void *scatter_users(void *arg)
{
	job *j = arg;
	order *o = j->o;
	uint32_t *next = o->user[j->id].next;
	for (uint64_t at = j->r0; at < j->r1; at++)
		o->user_rows[next[user_key(o, o->user_col[at])]++] =
		    (uint32_t)at;
	return NULL;
}

/* Sorts the places of users out of time order. */
static void *sort_users(void *arg)
{
	job *j = arg;
	order *o = j->o;
	time_place *tp = NULL;
	uint32_t *tmp = NULL;
	uint64_t cap = 0;
	for (;;) {
		size_t k = atomic_fetch_add(&o->next, 1);
		if (k > o->n_users)
			break;
		if (!o->user_unsorted[k])
			continue;
		uint64_t lo = o->user_off[k], n = o->user_off[k + 1] - lo;
		if (!scratch_room(&tp, &cap, n, &tmp)) {
			o->failed = true;
			break;
		}
		for (uint64_t i = 0; i < n; i++) {
			uint32_t at = o->user_rows[lo + i];
			tp[i] = (time_place){
			    time_key(o->sec[at], o->us ? o->us[at] : 0), at};
		}
		qsort(tp, n, sizeof(*tp), cmp_time_place);
		for (uint64_t i = 0; i < n; i++)
			o->user_rows[lo + i] = tp[i].place;
	}
	free(tp);
	free(tmp);
	return NULL;
}

/*
 * The properties, one after the other, each by all the threads: a value's
 * row is its part's row's place; a bit per place marks the rows with a
 * value (each thread marks its parts' in its own bitmap, then they are
 * merged by ranges of words), and a value goes to the rank of its row
 * among them.  The parts' values are freed once placed.
 */
static void *mark_prop(void *arg)
{
	job *j = arg;
	order *o = j->o;
	uint64_t *bits = o->bits[j->id];
	memset(bits, 0, o->words * sizeof(*bits));
	for (size_t k = j->p0; k < j->p1; k++) {
		const ev_part *p = o->parts[k];
		for (uint32_t i = 0; i < p->n_props; i++) {
			const part_prop *lp = &p->props[i];
			if (lp->global != o->prop)
				continue;
			for (uint64_t v = 0; v < lp->n; v++) {
				uint32_t at = p->place[lp->v[v].row];
				bits[at >> 6] |= UINT64_C(1) << (at & 63);
			}
		}
	}
	return NULL;
}

/* Merges the bitmaps over the thread's words, and counts the marks. */
static void *merge_marks(void *arg)
{
	job *j = arg;
	order *o = j->o;
	uint64_t *bits = o->bits[0], sum = 0;
	for (uint64_t w = j->w0; w < j->w1; w++) {
		for (int t = 1; t < o->n_threads; t++)
			bits[w] |= o->bits[t][w];
		sum += (uint64_t)popcount64(bits[w]);
	}
	o->marks[j->id] = sum;
	return NULL;
}

/* Ranks: the marks before each word. */
static void *rank_marks(void *arg)
{
	job *j = arg;
	order *o = j->o;
	uint64_t at = 0;
	for (int t = 0; t < j->id; t++)
		at += o->marks[t];
	for (uint64_t w = j->w0; w < j->w1; w++) {
		o->rank[w] = (uint32_t)at;
		at += (uint64_t)popcount64(o->bits[0][w]);
	}
	return NULL;
}

static void *place_prop(void *arg)
{
	job *j = arg;
	order *o = j->o;
	const uint64_t *bits = o->bits[0];
	const uint32_t *rank = o->rank;
	uint32_t g = o->prop, *row = o->prop_row[g], *str = o->prop_str[g];
	double *num = o->prop_num[g];
	for (size_t k = j->p0; k < j->p1; k++) {
		ev_part *p = o->parts[k];
		for (uint32_t i = 0; i < p->n_props; i++) {
			part_prop *lp = &p->props[i];
			if (lp->global != g)
				continue;
			for (uint64_t v = 0; v < lp->n; v++) {
				const prop_val *pv = &lp->v[v];
				uint32_t at = p->place[pv->row];
				uint64_t below =
				    bits[at >> 6] &
				    ((UINT64_C(1) << (at & 63)) - 1);
				uint32_t x =
				    rank[at >> 6] + (uint32_t)popcount64(below);
				row[x] = at;
				num[x] = pv->num;
				if (str)
					str[x] = pv->str;
			}
			okra__ingest_unmap(lp->v, lp->cap * sizeof(prop_val));
			lp->v = NULL;
			lp->n = lp->cap = 0;
		}
	}
	return NULL;
}

static bool place_props(order *o, job *jobs)
{
	ingest *ig = o->ig;
	o->words = o->n / 64 + 1;
	for (int t = 0; t < o->n_threads; t++) {
		o->bits[t] = okra__ingest_alloc(o->words * sizeof(uint64_t));
		if (!o->bits[t])
			return false;
		jobs[t].w0 = o->words * (uint64_t)t / (uint64_t)o->n_threads;
		jobs[t].w1 =
		    o->words * (uint64_t)(t + 1) / (uint64_t)o->n_threads;
	}
	o->rank = okra__ingest_alloc(o->words * sizeof(*o->rank));
	if (!o->rank)
		return false;
	for (uint32_t g = 0; g < ig->n_props; g++) {
		o->prop = g;
		run(o, mark_prop, jobs);
		run(o, merge_marks, jobs);
		run(o, rank_marks, jobs);
		uint64_t total = 0;
		for (int t = 0; t < o->n_threads; t++)
			total += o->marks[t];
		o->prop_n[g] = total;
		o->prop_row[g] =
		    okra__ingest_alloc((total + 1) * sizeof(uint32_t));
		o->prop_num[g] =
		    okra__ingest_alloc((total + 1) * sizeof(double));
		if (ig->props[g].has_str)
			o->prop_str[g] =
			    okra__ingest_alloc((total + 1) * sizeof(uint32_t));
		if (!o->prop_row[g] || !o->prop_num[g] ||
		    (ig->props[g].has_str && !o->prop_str[g]))
			return false;
		run(o, place_prop, jobs);
	}
	return true;
}

/* ======================================================================
 * Entry point
 * ====================================================================== */

/* Splits the parts into the threads' shares of about equal rows. */
static void split(order *o, job *jobs)
{
	size_t k = 0;
	uint64_t at = 0;
	for (int t = 0; t < o->n_threads; t++) {
		uint64_t until =
		    o->n * (uint64_t)(t + 1) / (uint64_t)o->n_threads;
		jobs[t] = (job){.o = o, .id = t, .p0 = k};
		while (k < o->n_parts && (t == o->n_threads - 1 ||
		                          at + o->parts[k]->n / 2 < until))
			at += o->parts[k++]->n;
		jobs[t].p1 = k;
		jobs[t].r0 = o->n * (uint64_t)t / (uint64_t)o->n_threads;
		jobs[t].r1 = until;
	}
}

okra_rc okra__ingest_order(ingest *ig, okra_data *d)
{
	okra_rc rc = OKRA_OK;
	ev_set *ev = &ig->events;
	struct timespec tp;
	clock_gettime(CLOCK_MONOTONIC, &tp);
	order o = {.ig = ig,
	           .d = d,
	           .parts = ev->parts,
	           .n_parts = ev->n_parts,
	           .n = ev->n,
	           .n_accts = d->accounts.n,
	           .n_users = d->users.n};
	o.n_threads = ig->threads < 1             ? 1
	              : ig->threads > MAX_THREADS ? MAX_THREADS
	                                          : ig->threads;
	if (o.n < (uint64_t)o.n_threads * 65536)
		o.n_threads = 1;
	job jobs[MAX_THREADS];
	uint64_t n = o.n;
	d->n_events = n;
	d->min_ts = ev->min_ts;
	d->max_ts = ev->max_ts;
	d->ts_base = ev->min_ts / 1000000;
	o.ts_base = (uint32_t)d->ts_base;
	split(&o, jobs);

	/* Account order. */
	bool ok = true;
	for (int t = 0; t < o.n_threads; t++)
		ok &= share_init(&o.acct[t], o.n_accts);
	o.acct_off = okra__data_own(
	    d, malloc(((size_t)o.n_accts + 2) * sizeof(*o.acct_off)));
	o.user_off = okra__data_own(
	    d, malloc(((size_t)o.n_users + 2) * sizeof(*o.user_off)));
	o.acct_unsorted = malloc((size_t)o.n_accts + 1);
	o.user_unsorted = malloc((size_t)o.n_users + 1);
	o.sec = okra__data_own(d, okra__ingest_alloc(n * sizeof(*o.sec)));
	if (ev->fractions)
		o.us = okra__data_own(d, okra__ingest_alloc(n * sizeof(*o.us)));
	if (!ok || !o.acct_off || !o.user_off || !o.acct_unsorted ||
	    !o.user_unsorted || !o.sec || (ev->fractions && !o.us)) {
		rc = okra__ingest_nomem(ig->err);
		goto out;
	}
	run(&o, count_accounts, jobs);
	if (share_offsets(o.acct, o.n_threads, o.n_accts, o.acct_off,
	                  o.acct_unsorted)) {
		/* Only the pages of unsorted accounts' places are touched. */
		o.rows = malloc((n ? n : 1) * sizeof(*o.rows));
		if (!o.rows) {
			rc = okra__ingest_nomem(ig->err);
			goto out;
		}
	}
	run(&o, scatter_times, jobs);
	/* The shares are 21 bytes per account and thread: gone before the
	 * next columns come. */
	for (int t = 0; t < o.n_threads; t++)
		share_free(&o.acct[t]);
	o.user_col =
	    okra__data_own(d, okra__ingest_alloc(n * sizeof(*o.user_col)));
	if (!o.user_col) {
		rc = okra__ingest_nomem(ig->err);
		goto out;
	}
	run(&o, scatter_user_col, jobs);
	o.name = okra__data_own(d, okra__ingest_alloc(n * sizeof(*o.name)));
	if (!o.name) {
		rc = okra__ingest_nomem(ig->err);
		goto out;
	}
	run(&o, scatter_names, jobs);
	if (o.rows) {
		run(&o, sort_accounts, jobs);
		free(o.rows);
		o.rows = NULL;
	}
	d->acct_off = o.acct_off;
	d->ts_sec = o.sec;
	d->ts_us = o.us;
	d->name = o.name;
	d->user = o.user_col;
	okra__ingest_trace("ingest: account order", &tp);

	/* Properties, before the user order: the parts (their places and
	 * values) are gone before its permutation comes. */
	size_t np = ig->n_props + 1;
	o.prop_row = calloc(np, sizeof(*o.prop_row));
	o.prop_str = calloc(np, sizeof(*o.prop_str));
	o.prop_num = calloc(np, sizeof(*o.prop_num));
	o.prop_n = calloc(np, sizeof(*o.prop_n));
	d->n_props = ig->n_props;
	d->props = okra__arena_alloc(&d->arena, np * sizeof(*d->props));
	if (!o.prop_row || !o.prop_str || !o.prop_num || !o.prop_n ||
	    !d->props || o.failed) {
		rc = okra__ingest_nomem(ig->err);
		goto out;
	}
	if (!place_props(&o, jobs))
		o.failed = true;
	for (uint32_t g = 0; g < ig->n_props; g++) {
		okra_prop *out = &d->props[g];
		out->name = okra__arena_strdup(
		    &d->arena, ig->prop_names.pool + ig->prop_names.off[g]);
		out->n = o.prop_n[g];
		out->row = okra__data_own(d, o.prop_row[g]);
		out->num = okra__data_own(d, o.prop_num[g]);
		out->str =
		    o.prop_str[g] ? okra__data_own(d, o.prop_str[g]) : NULL;
		o.prop_row[g] = o.prop_str[g] = NULL;
		o.prop_num[g] = NULL;
		if (!out->name || !out->row || !out->num ||
		    (ig->props[g].has_str && !out->str) ||
		    !okra__data_take_dict(d, &out->dict, &ig->props[g].dict))
			o.failed = true;
	}
	if (o.failed) {
		rc = okra__ingest_nomem(ig->err);
		goto out;
	}
	okra__ingest_trace("ingest: properties", &tp);
	okra__ingest_events_free(ev);

	/* User order (its shares made only now: they are not small when
	 * there are many users). */
	for (int t = 0; t < o.n_threads; t++)
		ok &= share_init(&o.user[t], o.n_users);
	o.user_rows =
	    okra__data_own(d, okra__ingest_alloc(n * sizeof(*o.user_rows)));
	if (!ok || !o.user_rows) {
		rc = okra__ingest_nomem(ig->err);
		goto out;
	}
	run(&o, count_users, jobs);
	share_offsets(o.user, o.n_threads, o.n_users, o.user_off,
	              o.user_unsorted);
	run(&o, scatter_users, jobs);
	for (int t = 0; t < o.n_threads; t++)
		share_free(&o.user[t]);
	run(&o, sort_users, jobs);
	d->user_rows = o.user_rows;
	d->user_off = o.user_off;
	okra__ingest_trace("ingest: user order", &tp);

out:
	for (int t = 0; t < MAX_THREADS; t++) {
		share_free(&o.acct[t]);
		share_free(&o.user[t]);
	}
	for (uint32_t g = 0; g < ig->n_props; g++) {
		if (o.prop_row)
			free(o.prop_row[g]);
		if (o.prop_num)
			free(o.prop_num[g]);
		if (o.prop_str)
			free(o.prop_str[g]);
	}
	free(o.prop_row);
	free(o.prop_str);
	free(o.prop_num);
	free(o.prop_n);
	for (int t = 0; t < MAX_THREADS; t++)
		free(o.bits[t]);
	free(o.rank);
	free(o.acct_unsorted);
	free(o.user_unsorted);
	free(o.rows);
	okra__ingest_events_free(ev);
	return rc;
}
