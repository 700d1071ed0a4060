/*
 * ingest_part.c - one part of the events: the rows a thread reads into
 * its own columns and dictionaries (ingest_par.c hands out the parts),
 * and the merge of a part into the global dictionaries.
 *
 * A part's row runs the checks of an event row and interns its strings:
 * ids of the accounts and users tables are looked up in read-only maps
 * shared by the threads, new strings go to the part's own dictionaries.
 * Nothing here is shared for writing between threads; no allocation per
 * row (columns grow geometrically, properties start at the size the
 * worker's last part needed).
 */
#include "engine/ingest_int.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================
 * Frozen id maps: the ids of the accounts and users tables
 * ====================================================================== */

/*
 * While events are read the global id dictionaries do not change, so a
 * read-only table serves every thread.  Each slot keeps the first 16
 * bytes of its id, so a lookup of a short id touches one cache line, not
 * the dictionary's slots, offsets and pool.
 */
static inline uint64_t id_hash(const char *s, size_t len, uint64_t w[2])
{
	w[0] = okra__load_upto8(s, len);
	w[1] = len > 8 ? okra__load_upto8(s + 8, len - 8) : 0;
	if (len > 16)
		return okra__hash_bytes(s, len);
	uint64_t h = (w[0] ^ (uint64_t)len * UINT64_C(0x9E3779B97F4A7C15)) *
	             UINT64_C(0xBF58476D1CE4E5B9);
	h = (h ^ (h >> 31) ^ w[1]) * UINT64_C(0x94D049BB133111EB);
	return h ^ (h >> 29);
}

/* A slot's tag: bits of the hash that its index did not use, and the
 * length (a probe compares both before the bytes). */
static inline uint32_t id_tag(uint64_t h, size_t len)
{
	return (uint32_t)(h >> 48) << 16 |
	       (len < 0xffff ? (uint32_t)len : 0xffff);
}

/* The first slot of hash h: the low 32 bits scaled to the table, so its
 * size need not be a power of two. */
static inline uint32_t id_first(const id_map *m, uint64_t h)
{
	return (uint32_t)(((h & 0xffffffffu) * (uint64_t)m->n_slots) >> 32);
}

/* 24-byte slots at 4/3 per id: 32 bytes per id of the accounts and users
 * tables (the wide shape has 1.34M ids per 10M events), where 40-byte
 * slots in a power of two had up to 120. */
bool okra__id_map_build(id_map *m, const okra_dict_builder *d)
{
	m->dict = d;
	m->slots = NULL;
	m->n_slots = 0;
	if (d->n == 0)
		return true;
	uint64_t n_slots = (uint64_t)d->n + d->n / 3 + 16;
	if (n_slots > UINT32_MAX)
		return false;
	m->slots = okra__ingest_map(n_slots * sizeof(id_slot));
	if (!m->slots)
		return false;
	for (uint64_t i = 0; i < n_slots; i++)
		m->slots[i].code = OKRA_NONE;
	m->n_slots = (uint32_t)n_slots;
	/* In blocks: the ids' first slots are prefetched a block ahead of
	 * their inserts, in code order. */
	enum { BLOCK = 16 };
	uint64_t w[2 * BLOCK][2], h[2 * BLOCK];
	for (uint32_t c0 = 0; c0 < d->n + BLOCK; c0 += BLOCK) {
		for (uint32_t c = c0; c < c0 + BLOCK && c < d->n; c++) {
			const char *s = d->pool + d->off[c];
			size_t len = d->off[c + 1] - d->off[c] - 1;
			uint32_t j = c % (2 * BLOCK);
			h[j] = id_hash(s, len, w[j]);
			__builtin_prefetch(&m->slots[id_first(m, h[j])], 1);
		}
		for (uint32_t c = c0 < BLOCK ? d->n : c0 - BLOCK;
		     c < c0 && c < d->n; c++) {
			uint32_t j = c % (2 * BLOCK);
			size_t len = d->off[c + 1] - d->off[c] - 1;
			uint32_t i = id_first(m, h[j]);
			while (m->slots[i].code != OKRA_NONE)
				if (++i == m->n_slots)
					i = 0;
			m->slots[i] =
			    (id_slot){w[j][0], w[j][1], c, id_tag(h[j], len)};
		}
	}
	return true;
}

void okra__id_map_free(id_map *m)
{
	okra__ingest_unmap(m->slots, (size_t)m->n_slots * sizeof(id_slot));
	m->slots = NULL;
	m->n_slots = 0;
}

/* A lookup in two steps: the hash and a prefetch of its slot first
 * (id_start), the probe when other work of the row has hidden the memory
 * latency (the tables are far bigger than the caches). */
typedef struct id_probe {
	uint64_t w[2], hash;
} id_probe;

static inline uint32_t id_map_find(const id_map *m, const char *s, size_t len,
                                   const id_probe *pr)
{
	if (!m->slots)
		return OKRA_NONE;
	uint32_t tag = id_tag(pr->hash, len);
	const okra_dict_builder *d = m->dict;
	for (uint32_t i = id_first(m, pr->hash);;) {
		const id_slot *sl = &m->slots[i];
		if (sl->code == OKRA_NONE)
			return OKRA_NONE;
		if (sl->tag == tag && sl->w0 == pr->w[0] &&
		    sl->w1 == pr->w[1] &&
		    (len <= 16 ||
		     (d->off[sl->code + 1] - d->off[sl->code] - 1 == len &&
		      memcmp(d->pool + d->off[sl->code] + 16, s + 16,
		             len - 16) == 0)))
			return sl->code;
		if (++i == m->n_slots)
			i = 0;
	}
}

uint32_t okra__id_map_get(const id_map *m, const char *s, size_t len)
{
	id_probe pr;
	pr.hash = id_hash(s, len, pr.w);
	return id_map_find(m, s, len, &pr);
}

/* ======================================================================
 * Parts: columns, properties, bad rows
 * ====================================================================== */

/* The bytes of a part's column mapping for cap rows: sec, acct, user,
 * name, each 64-byte aligned. */
static size_t cols_bytes(uint64_t cap)
{
	size_t c4 = ((size_t)cap * 4 + 63) & ~(size_t)63;
	return 3 * c4 + (size_t)cap * 2;
}

/* Grows the part's columns to hold need rows: one mapping (so a part
 * wastes at most one huge page's tail), copied when it must grow. */
bool okra__part_reserve(ev_part *p, uint64_t need)
{
	if (need <= p->cap)
		return true;
	uint64_t cap = p->cap ? p->cap + p->cap / 2 : 1024;
	if (cap < need)
		cap = need;
	size_t c4 = ((size_t)cap * 4 + 63) & ~(size_t)63;
	char *cols = okra__ingest_map(cols_bytes(cap));
	uint32_t *us = p->us ? okra__ingest_map((size_t)cap * 4) : NULL;
	if (!cols || (p->us && !us)) {
		okra__ingest_unmap(cols, cols_bytes(cap));
		okra__ingest_unmap(us, (size_t)cap * 4);
		return false;
	}
	uint32_t *sec = (uint32_t *)cols, *acct = (uint32_t *)(cols + c4),
	         *user = (uint32_t *)(cols + 2 * c4);
	uint16_t *name = (uint16_t *)(cols + 3 * c4);
	if (p->n) {
		memcpy(sec, p->sec, p->n * 4);
		memcpy(acct, p->acct, p->n * 4);
		memcpy(user, p->user, p->n * 4);
		memcpy(name, p->name, p->n * 2);
	}
	if (us && p->n)
		memcpy(us, p->us, p->n * 4);
	okra__ingest_unmap(p->cols, p->cols_len);
	okra__ingest_unmap(p->us, (size_t)p->cap * 4);
	p->cols = cols;
	p->cols_len = cols_bytes(cap);
	p->sec = sec;
	p->acct = acct;
	p->user = user;
	p->name = name;
	p->us = us;
	p->cap = cap;
	return true;
}

void okra__part_clear(ev_part *p)
{
	okra__ingest_unmap(p->cols, p->cols_len);
	okra__ingest_unmap(p->us, (size_t)p->cap * 4);
	okra__dictb_free(&p->names);
	okra__dictb_free(&p->accts);
	okra__dictb_free(&p->users);
	okra__dictb_free(&p->prop_names);
	free(p->name_line.v);
	for (uint32_t i = 0; i < p->n_props; i++) {
		part_prop *lp = &p->props[i];
		okra__ingest_unmap(lp->v, lp->cap * sizeof(prop_val));
		okra__dictb_free(&lp->dict);
		free(lp->remap.v);
	}
	free(p->props);
	okra__buf_free(&p->rejected);
	free(p->remap_names.v);
	free(p->remap_accts.v);
	free(p->remap_users.v);
	ev_part keep = {.file = p->file,
	                .file_name = p->file_name,
	                .is_range = p->is_range,
	                .begin = p->begin,
	                .from = p->from,
	                .end = p->end,
	                .batch = p->batch};
	*p = keep;
}

void okra__part_free(ev_part *p)
{
	if (!p)
		return;
	okra__part_clear(p);
	free(p);
}

/* The part's property named name (added when new), or OKRA_NONE. */
uint32_t okra__part_prop(ev_part *p, const char *name, size_t len)
{
	uint32_t code = okra__dictb_intern(&p->prop_names, name, len);
	if (code == OKRA_NONE)
		return OKRA_NONE;
	if (code >= p->cap_props) {
		uint32_t cap = p->cap_props ? p->cap_props * 2 : 8;
		while (cap <= code)
			cap *= 2;
		part_prop *props = realloc(p->props, cap * sizeof(*props));
		if (!props)
			return OKRA_NONE;
		memset(props + p->cap_props, 0,
		       (cap - p->cap_props) * sizeof(*props));
		p->props = props;
		p->cap_props = cap;
	}
	if (code >= p->n_props)
		p->n_props = code + 1;
	return code;
}

/* Adds a property value of row (the part's last row).  A second value
 * for the same row and property (JSON "x" and "properties.x") replaces
 * the first, as it always did. */
bool okra__part_prop_add(ev_part *p, uint32_t prop, uint32_t row,
                         const char *val, size_t len)
{
	part_prop *lp = &p->props[prop];
	double num = NAN;
	uint32_t str = OKRA_NONE;
	/* A text value of up to 16 bytes met lately: its code and number
	 * as they were (a few labels make most of a text column). */
	struct value_memo *vm = NULL;
	uint64_t w0 = 0, w1 = 0;
	if (len && len <= 16) {
		vm = &lp->memo[okra__short_key(val, len, &w0, &w1,
		                               VALUE_MEMO_BITS)];
		if (vm->len == len && vm->w0 == w0 && vm->w1 == w1) {
			str = vm->str;
			num = vm->num;
			goto add;
		}
	}
	bool numeric = okra__parse_double(val, len, &num);
	if (!numeric || !okra__is_canonical_number(val, len)) {
		str = okra__dictb_intern(&lp->dict, val, len);
		if (str == OKRA_NONE)
			return false;
		lp->has_str = true;
	}
	if (!numeric)
		num = NAN;
	if (vm && str != OKRA_NONE)
		*vm = (struct value_memo){w0, w1, num, (uint32_t)len, str};
add:;
	uint64_t i = lp->n;
	if (i && lp->v[i - 1].row == row) {
		i--;
	} else if (i == lp->cap) {
		uint64_t cap = lp->cap           ? lp->cap * 2
		               : lp->hint > 1024 ? lp->hint
		                                 : 1024;
		prop_val *v = okra__ingest_remap(lp->v, lp->cap * sizeof(*v),
		                                 cap * sizeof(*v));
		if (!v)
			return false;
		lp->v = v;
		lp->cap = cap;
	}
	lp->v[i] = (prop_val){row, str, num};
	lp->n = i + 1;
	return true;
}

okra_rc okra__part_nomem(ev_part *p)
{
	p->err_line = 0;
	return p->rc = okra__ingest_nomem(&p->err);
}

/* A bad row: the part's error, or (skip_bad_rows) a rejected row kept as
 * line, reason and record until the merge knows the line's offset. */
okra_rc okra__part_bad(const part_ctx *ctx, ev_part *p, int64_t line,
                       const char *raw, size_t raw_len, const char *reason)
{
	if (!ctx->ig->opt.skip_bad_rows) {
		p->err_line = line;
		return p->rc = okra__err_set(&p->err, OKRA_ERR_DATA,
		                             p->file_name, 0, 0, "%s", reason);
	}
	uint32_t reason_len = (uint32_t)strlen(reason);
	uint32_t len = (uint32_t)raw_len;
	okra_buf *b = &p->rejected;
	okra__buf_append(b, (const char *)&line, sizeof(line));
	okra__buf_append(b, (const char *)&reason_len, sizeof(reason_len));
	okra__buf_append(b, reason, reason_len);
	okra__buf_append(b, (const char *)&len, sizeof(len));
	okra__buf_append(b, raw ? raw : "", len);
	p->n_rejected++;
	return b->failed ? okra__part_nomem(p) : OKRA_OK;
}

/*
 * A thread's memo of the ids it looked up last, by hash: a user's events
 * come in sessions, so most ids were met a few rows before, and the memo
 * (in the core's cache) spares the miss in the big table.  It holds the
 * global code, or OKRA_NONE for an id not in the tables; ids up to 16
 * bytes only (the slot holds the whole id).
 */
#define MEMO_SLOTS 4096

typedef struct memo_slot {
	uint64_t w0, w1, hash;
	uint32_t len, code; /* len 0: empty (ids are never empty) */
} memo_slot;

struct part_memo {
	memo_slot ids[2][MEMO_SLOTS]; /* users, accounts */
};

part_memo *okra__part_memo_new(void)
{
	return calloc(1, sizeof(part_memo));
}

/* Starts the lookup of an id: its hash, and its memo slot (*slot NULL
 * when the memo cannot hold it), prefetched: it is read once the row's
 * checks are done (id_now).  A long id's table slot is prefetched. */
static inline void id_start(const id_map *m, memo_slot *memo, const char *s,
                            size_t len, id_probe *pr, memo_slot **slot)
{
	pr->hash = id_hash(s, len, pr->w);
	*slot = NULL;
	if (memo && len <= 16) {
		*slot = &memo[pr->hash & (MEMO_SLOTS - 1)];
		__builtin_prefetch(*slot);
	} else if (m->slots) {
		__builtin_prefetch(&m->slots[id_first(m, pr->hash)]);
	}
}

/* Does the memo slot hold the id of pr? */
static inline bool memo_has(const memo_slot *e, const id_probe *pr, size_t len)
{
	return e && e->hash == pr->hash && e->len == len && e->w0 == pr->w[0] &&
	       e->w1 == pr->w[1];
}

/* The part's own code of a new id, plus n_global (OKRA_NONE: no memory). */
static inline uint32_t id_local(uint32_t n_global, okra_dict_builder *local,
                                const char *s, size_t len)
{
	uint32_t c = okra__dictb_intern(local, s, len);
	return c == OKRA_NONE ? OKRA_NONE : n_global + c;
}

/* The code of an id found in neither the memo nor yet the table: the
 * frozen table's, else the part's own; its memo slot is filled. */
static inline uint32_t id_lookup(const id_map *global, uint32_t n_global,
                                 okra_dict_builder *local, const char *s,
                                 size_t len, const id_probe *pr,
                                 memo_slot *slot)
{
	uint32_t c = id_map_find(global, s, len, pr);
	if (slot)
		*slot =
		    (memo_slot){pr->w[0], pr->w[1], pr->hash, (uint32_t)len, c};
	return c != OKRA_NONE ? c : id_local(n_global, local, s, len);
}

/* The known user's account (SPEC 3.1): known users all come from the
 * users table, so have global codes. */
static inline uint32_t user_account(const ingest *ig, uint32_t user)
{
	return user < ig->users.known.n && ig->users.known.v[user]
	           ? ig->users.account.v[user]
	           : OKRA_NONE;
}

/* Looks up the oldest id of kind k (0 users, 1 accounts) left pending
 * and writes it to its row's columns.  Pending ids go in row order, so
 * the part's new ids get their codes in file order. */
static okra_rc resolve_one(const part_ctx *ctx, ev_part *p, int k)
{
	struct id_pending *q = &p->pend[k][p->pend_first[k]];
	p->pend_first[k] = (p->pend_first[k] + 1) % PEND_DEPTH;
	p->pend_n[k]--;
	id_probe pr = {{q->w[0], q->w[1]}, q->hash};
	const char *s = (const char *)q->w;
	uint32_t c = k == 0 ? id_lookup(&ctx->users, ctx->ng_users, &p->users,
	                                s, q->len, &pr, q->memo_slot)
	                    : id_lookup(&ctx->accts, ctx->ng_accts, &p->accts,
	                                s, q->len, &pr, q->memo_slot);
	if (c == OKRA_NONE)
		return okra__part_nomem(p);
	if (k == 1) {
		p->acct[q->row] = c;
		return OKRA_OK;
	}
	p->user[q->row] = c;
	if (q->acct_of_user)
		p->acct[q->row] = user_account(ctx->ig, c);
	return OKRA_OK;
}

/* Looks up every pending id of kind k. */
static okra_rc resolve_all(const part_ctx *ctx, ev_part *p, int k)
{
	while (p->pend_n[k])
		if (resolve_one(ctx, p, k))
			return p->rc;
	return OKRA_OK;
}

okra_rc okra__part_flush(const part_ctx *ctx, ev_part *p)
{
	return resolve_all(ctx, p, 0) ? p->rc : resolve_all(ctx, p, 1);
}

/* The code of a row's id of kind k when it can be had now (a memo hit,
 * or an id longer than the memo holds: *later false), else leaves it for
 * later (*later true: the table's slot is prefetched).  An id looked up
 * now that is not in the tables is interned after the pending ones of
 * its kind.  OKRA_NONE with *later false: out of memory. */
static inline uint32_t id_now(const part_ctx *ctx, ev_part *p, int k,
                              const char *s, size_t len, const id_probe *pr,
                              memo_slot *slot, bool *later)
{
	const id_map *global = k == 0 ? &ctx->users : &ctx->accts;
	uint32_t n_global = k == 0 ? ctx->ng_users : ctx->ng_accts;
	okra_dict_builder *local = k == 0 ? &p->users : &p->accts;
	*later = false;
	if (memo_has(slot, pr, len)) {
		if (slot->code != OKRA_NONE)
			return slot->code;
		if (resolve_all(ctx, p, k))
			return OKRA_NONE;
		return id_local(n_global, local, s, len);
	}
	if (len <= 16) {
		if (global->slots) {
			const char *sl =
			    (const char *)&global
			        ->slots[id_first(global, pr->hash)];
			/* Its line and the next: a probe at 3/4 full goes on
			 * to the next slots about half the time. */
			__builtin_prefetch(sl);
			__builtin_prefetch(sl + 64);
		}
		*later = true;
		return OKRA_NONE;
	}
	if (resolve_all(ctx, p, k))
		return OKRA_NONE;
	return id_lookup(global, n_global, local, s, len, pr, slot);
}

/* Leaves a kept row's id of kind k for later, looking up the oldest
 * pending one when PEND_DEPTH wait. */
static inline okra_rc pend(const part_ctx *ctx, ev_part *p, int k,
                           const id_probe *pr, size_t len, uint64_t row,
                           memo_slot *slot, bool acct_of_user)
{
	if (p->pend_n[k] == PEND_DEPTH && resolve_one(ctx, p, k))
		return p->rc;
	uint32_t at = (p->pend_first[k] + p->pend_n[k]) % PEND_DEPTH;
	p->pend[k][at] =
	    (struct id_pending){{pr->w[0], pr->w[1]}, pr->hash,    row, slot,
	                        (uint32_t)len,        acct_of_user};
	p->pend_n[k]++;
	return OKRA_OK;
}

/* The seconds of the day of "YYYY-MM-DDTHH:MM:SSZ" (s holds 20 bytes),
 * or -1 when it is not that with an hour, minute and second in range. */
static inline int32_t ts_time_of_day(const char *s)
{
	if (s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	static const uint8_t at[6] = {11, 12, 14, 15, 17, 18};
	int d[6];
	for (int k = 0; k < 6; k++) {
		d[k] = s[at[k]] - '0';
		if (d[k] < 0 || d[k] > 9)
			return -1;
	}
	int h = d[0] * 10 + d[1], m = d[2] * 10 + d[3], sec = d[4] * 10 + d[5];
	if (h > 23 || m > 59 || sec > 59)
		return -1;
	return (h * 60 + m) * 60 + sec;
}

/* A timestamp "YYYY-MM-DDTHH:MM:SSZ" of the day of the part's last one
 * that the full parser read: the day's start plus the time of day (the
 * rows mostly come in time order, many a day). */
static inline bool ts_same_day(const ev_part *p, const char *s, size_t len,
                               int64_t *ts)
{
	if (len != 20 || !p->ts_day_set || memcmp(s, p->ts_day, 10) != 0)
		return false;
	int32_t tod = ts_time_of_day(s);
	if (tod < 0)
		return false;
	*ts = p->ts_day_start + (int64_t)tod * 1000000;
	return true;
}

/* After the full parser read ts from s: its day, when s has that form. */
static inline void ts_learn_day(ev_part *p, const char *s, size_t len,
                                int64_t ts)
{
	int32_t tod = len == 20 ? ts_time_of_day(s) : -1;
	if (tod < 0)
		return;
	memcpy(p->ts_day, s, 10);
	p->ts_day_start = ts - (int64_t)tod * 1000000;
	p->ts_day_set = true;
}

/* The memo slot of an event name: the first and last 8 bytes (all of a
 * name of up to 16) and the length pick it. */
static inline struct name_memo *name_memo_slot(ev_part *p, const char *s,
                                               size_t len, id_probe *pr)
{
	pr->w[0] = okra__load_upto8(s, len);
	pr->w[1] = len >= 8 ? okra__load_upto8(s + len - 8, 8) : 0;
	uint64_t h =
	    (pr->w[0] ^ pr->w[1] * UINT64_C(0x9E3779B97F4A7C15) ^ len) *
	    UINT64_C(0xBF58476D1CE4E5B9);
	return &p->name_memo[h >> (64 - NAME_MEMO_BITS)];
}

/* The code of an event name the memo has, else OKRA_NONE: the words and
 * length match, and a name over 16 bytes has the same middle too. */
static inline uint32_t name_memo_get(const part_ctx *ctx, const ev_part *p,
                                     const struct name_memo *nm,
                                     const id_probe *pr, const char *s,
                                     size_t len)
{
	if (nm->len != len || !len || nm->w0 != pr->w[0] || nm->w1 != pr->w[1])
		return OKRA_NONE;
	if (len > 16) {
		const okra_dict_builder *d =
		    nm->code < ctx->ng_names ? &ctx->ig->names : &p->names;
		uint32_t c = nm->code < ctx->ng_names
		                 ? nm->code
		                 : nm->code - ctx->ng_names;
		if (memcmp(d->pool + d->off[c] + 8, s + 8, len - 16) != 0)
			return OKRA_NONE;
	}
	return nm->code;
}

static inline bool absent(const okra_cell *c)
{
	return !c || c->type == OKRA_CELL_ABSENT;
}

/*
 * One event row (cells: timestamp, event, account, user, each possibly
 * NULL) into the part: the checks, then the columns.  *kept tells whether
 * it was (its properties then go to row p->n - 1).  Its ids are hashed
 * and their memo slots prefetched first; those the memo does not have
 * are looked up PEND_DEPTH kept rows later, in row order, their table
 * slots prefetched meanwhile.
 */
okra_rc okra__part_row(const part_ctx *ctx, part_memo *memo, ev_part *p,
                       int64_t line, const okra_cell *const cells[4],
                       const char *raw, size_t raw_len, bool *kept)
{
	const ingest *ig = ctx->ig;
	const role_map *roles = ctx->roles;
	const okra_cell *ts_c = cells[0], *ev_c = cells[1], *acct_c = cells[2],
	                *user_c = cells[3];
	char reason[256];
	int64_t ts;
	bool has_acct = !absent(acct_c), has_user = !absent(user_c);
	p->n_seen++;
	for (int k = 0; k < 4; k++)
		p->n_present[k] += cells[k] != NULL;
	id_probe user_pr, acct_pr, name_pr;
	memo_slot *user_slot = NULL, *acct_slot = NULL;
	if (has_user)
		id_start(&ctx->users, memo ? memo->ids[0] : NULL, user_c->val,
		         user_c->val_len, &user_pr, &user_slot);
	if (has_acct)
		id_start(&ctx->accts, memo ? memo->ids[1] : NULL, acct_c->val,
		         acct_c->val_len, &acct_pr, &acct_slot);
	*kept = false;
	if (absent(ts_c)) {
		snprintf(reason, sizeof(reason), "%s: empty timestamp",
		         roles->source[0]);
		return okra__part_bad(ctx, p, line, raw, raw_len, reason);
	}
	if (!ts_same_day(p, ts_c->val, ts_c->val_len, &ts) || ts < 0 ||
	    ts > ig->now + OKRA_MICROS_PER_DAY) {
		if (okra__ingest_timestamp_bad(ts_c->val, ts_c->val_len,
		                               roles->source[0], ig->now, &ts,
		                               reason, sizeof(reason)))
			return okra__part_bad(ctx, p, line, raw, raw_len,
			                      reason);
		ts_learn_day(p, ts_c->val, ts_c->val_len, ts);
	}
	if (ts / 1000000 > UINT32_MAX) {
		snprintf(reason, sizeof(reason),
		         "%s: timestamp after 2106 \"%.40s\"", roles->source[0],
		         ts_c->val);
		return okra__part_bad(ctx, p, line, raw, raw_len, reason);
	}
	if (absent(ev_c)) {
		snprintf(reason, sizeof(reason), "%s: empty event name",
		         roles->source[1]);
		return okra__part_bad(ctx, p, line, raw, raw_len, reason);
	}
	if (!has_acct && !has_user) {
		snprintf(reason, sizeof(reason),
		         "empty id: an event needs %s or %s", roles->source[2],
		         roles->source[3]);
		return okra__part_bad(ctx, p, line, raw, raw_len, reason);
	}
	uint32_t before = p->names.n, name;
	struct name_memo *nm =
	    name_memo_slot(p, ev_c->val, ev_c->val_len, &name_pr);
	name = name_memo_get(ctx, p, nm, &name_pr, ev_c->val, ev_c->val_len);
	if (name == OKRA_NONE) {
		name = ctx->ng_names ? okra__dictb_find(&ig->names, ev_c->val,
		                                        ev_c->val_len)
		                     : OKRA_NONE;
		if (name == OKRA_NONE) {
			name = okra__dictb_intern(&p->names, ev_c->val,
			                          ev_c->val_len);
			if (name != OKRA_NONE)
				name += ctx->ng_names;
		}
		if (name != OKRA_NONE)
			*nm = (struct name_memo){name_pr.w[0], name_pr.w[1],
			                         (uint32_t)ev_c->val_len, name};
	}
	bool ok = name != OKRA_NONE;
	if (ok && p->names.n > before)
		VPUSH(p->name_line, line, ok);
	bool user_later = false, acct_later = false;
	uint32_t user = has_user
	                    ? id_now(ctx, p, 0, user_c->val, user_c->val_len,
	                             &user_pr, user_slot, &user_later)
	                    : OKRA_NONE;
	uint32_t acct = has_acct
	                    ? id_now(ctx, p, 1, acct_c->val, acct_c->val_len,
	                             &acct_pr, acct_slot, &acct_later)
	                    : OKRA_NONE;
	if (!ok || (has_user && !user_later && user == OKRA_NONE) ||
	    (has_acct && !acct_later && acct == OKRA_NONE) ||
	    !okra__part_reserve(p, p->n + 1))
		return okra__part_nomem(p);
	if (name > UINT16_MAX) {
		/* The merge reports it, at the 65537th name of the file. */
		p->err_line = line;
		return p->rc = okra__err_set(&p->err, OKRA_ERR_DATA,
		                             p->file_name, 0, 0,
		                             "more than 65536 distinct event "
		                             "names");
	}
	uint64_t i = p->n;
	/* An empty account takes the known user's account (SPEC 3.1). */
	if (!has_acct && !user_later)
		acct = user_account(ig, user);
	if ((user_later && pend(ctx, p, 0, &user_pr, user_c->val_len, i,
	                        user_slot, !has_acct)) ||
	    (acct_later &&
	     pend(ctx, p, 1, &acct_pr, acct_c->val_len, i, acct_slot, false)))
		return p->rc;
	uint32_t us = (uint32_t)(ts % 1000000);
	if (us && !p->us) {
		p->us = okra__ingest_map((size_t)p->cap * sizeof(*p->us));
		if (!p->us)
			return okra__part_nomem(p);
	}
	if (p->us)
		p->us[i] = us;
	p->sec[i] = (uint32_t)(ts / 1000000);
	p->name[i] = (uint16_t)name;
	p->acct[i] = acct;
	p->user[i] = user;
	if (i == 0 || ts < p->min_ts)
		p->min_ts = ts;
	if (i == 0 || ts > p->max_ts)
		p->max_ts = ts;
	p->n = i + 1;
	*kept = true;
	return OKRA_OK;
}

/* ======================================================================
 * The merge of a part, in file order
 * ====================================================================== */

static int clamp_line(int64_t line)
{
	return line > INT32_MAX ? INT32_MAX : line < 0 ? 0 : (int)line;
}

/* Interns a part's strings into global, appending their codes to remap. */
static bool merge_dict(okra_dict_builder *global,
                       const okra_dict_builder *local, u32_vec *remap)
{
	bool ok = true;
	for (uint32_t j = 0; ok && j < local->n; j++) {
		const char *s = local->pool + local->off[j];
		size_t len = local->off[j + 1] - local->off[j] - 1;
		uint32_t c = okra__dictb_intern(global, s, len);
		if (c == OKRA_NONE)
			return false;
		VPUSH(*remap, c, ok);
	}
	return ok;
}

/* Appends a part's rejected rows to the table's, with the file's lines. */
static bool merge_rejected(ingest *ig, ev_part *p)
{
	okra_buf *b = &ig->rejected[T_EVENTS];
	const char *file = p->file_name;
	const char *at = p->rejected.data, *end = at + p->rejected.len;
	okra__ingest_rejected_header(b);
	while (at < end) {
		int64_t line;
		uint32_t len;
		memcpy(&line, at, sizeof(line));
		at += sizeof(line);
		memcpy(&len, at, sizeof(len));
		at += sizeof(len);
		okra__ingest_csv_field(b, file, strlen(file));
		okra__buf_printf(b, ",%lld,", (long long)(p->line_base + line));
		okra__ingest_csv_field(b, at, len);
		at += len;
		memcpy(&len, at, sizeof(len));
		at += sizeof(len);
		okra__buf_putc(b, ',');
		okra__ingest_csv_field(b, at, len);
		okra__buf_putc(b, '\n');
		at += len;
	}
	ig->stats->rejected[T_EVENTS] += p->n_rejected;
	okra__buf_free(&p->rejected);
	return !b->failed;
}

okra_rc okra__part_merge(ingest *ig, ev_part *p, uint64_t *n)
{
	if (!merge_dict(&ig->names, &p->names, &p->remap_names))
		return okra__ingest_nomem(ig->err);
	if (ig->names.n > (uint32_t)UINT16_MAX + 1) {
		/* The row of the 65537th name. */
		uint32_t j = 0;
		while (p->remap_names.v[j] <= UINT16_MAX)
			j++;
		return okra__err_set(
		    ig->err, OKRA_ERR_DATA, p->file_name,
		    clamp_line(p->line_base + p->name_line.v[j]), 0,
		    "more than 65536 distinct event names");
	}
	if (!merge_dict(&ig->accounts.ids, &p->accts, &p->remap_accts) ||
	    !merge_dict(&ig->users.ids, &p->users, &p->remap_users))
		return okra__ingest_nomem(ig->err);
	for (uint32_t i = 0; i < p->n_props; i++) {
		part_prop *lp = &p->props[i];
		const okra_dict_builder *pn = &p->prop_names;
		prop_builder *g = okra__ingest_prop_for(
		    ig, pn->pool + pn->off[i], pn->off[i + 1] - pn->off[i] - 1);
		if (!g || !merge_dict(&g->dict, &lp->dict, &lp->remap))
			return okra__ingest_nomem(ig->err);
		lp->global = (uint32_t)(g - ig->props);
		g->has_str |= lp->has_str;
		okra__dictb_free(&lp->dict);
	}
	okra__dictb_free(&p->names);
	okra__dictb_free(&p->accts);
	okra__dictb_free(&p->users);
	okra__dictb_free(&p->prop_names);
	if (p->n_rejected && !merge_rejected(ig, p))
		return okra__ingest_nomem(ig->err);
	if (p->rc) {
		*ig->err = p->err;
		if (p->err_line)
			ig->err->line = clamp_line(p->line_base + p->err_line);
		return p->rc;
	}
	if (*n + p->n >= UINT32_MAX - 1)
		return okra__err_set(ig->err, OKRA_ERR_DATA, p->file_name, 0, 0,
		                     "more than 4 billion events");
	p->gbase = *n;
	*n += p->n;
	return OKRA_OK;
}

typedef struct remap_job {
	const part_ctx *ctx;
	ev_part **parts;
	size_t n_parts;
	atomic_size_t *next;
} remap_job;

/* Makes every code of the parts global, in place. */
static void *remap_parts(void *arg)
{
	const remap_job *job = arg;
	const part_ctx *ctx = job->ctx;
	const uint32_t ngn = ctx->ng_names, nga = ctx->ng_accts,
	               ngu = ctx->ng_users;
	for (;;) {
		size_t k = atomic_fetch_add(job->next, 1);
		if (k >= job->n_parts)
			break;
		ev_part *p = job->parts[k];
		const uint32_t *rn = p->remap_names.v, *ra = p->remap_accts.v,
		               *ru = p->remap_users.v;
		for (uint64_t i = 0; i < p->n; i++) {
			uint32_t c = p->name[i], a = p->acct[i], u = p->user[i];
			if (c >= ngn)
				p->name[i] = (uint16_t)rn[c - ngn];
			if (a != OKRA_NONE && a >= nga)
				p->acct[i] = ra[a - nga];
			if (u != OKRA_NONE && u >= ngu)
				p->user[i] = ru[u - ngu];
		}
		for (uint32_t j = 0; j < p->n_props; j++) {
			part_prop *lp = &p->props[j];
			for (uint64_t i = 0; i < lp->n; i++)
				if (lp->v[i].str != OKRA_NONE)
					lp->v[i].str =
					    lp->remap.v[lp->v[i].str];
			free(lp->remap.v);
			lp->remap = (u32_vec){0};
		}
		free(p->remap_names.v);
		free(p->remap_accts.v);
		free(p->remap_users.v);
		free(p->name_line.v);
		p->remap_names = p->remap_accts = p->remap_users = (u32_vec){0};
		p->name_line.v = NULL;
		p->name_line.n = p->name_line.cap = 0;
	}
	return NULL;
}

void okra__parts_remap(const part_ctx *ctx, ev_part **parts, size_t n_parts,
                       int threads)
{
	atomic_size_t next;
	atomic_init(&next, 0);
	remap_job jobs[16];
	if (threads > 16)
		threads = 16;
	for (int i = 0; i < threads; i++)
		jobs[i] = (remap_job){ctx, parts, n_parts, &next};
	okra__ingest_run(threads, remap_parts, jobs, sizeof(*jobs));
}
