/*
 * ingest.c - reads the data files into the columnar dataset.
 *
 * Accounts and users first (they define the known ids and the user ->
 * account fill), then events, then revenue.  Rows become columns with no
 * per-row allocation: ids and names are interned into dictionaries,
 * properties go to sparse columns.  Finally events are ordered by
 * (account, time) with a counting sort, and by (user, time) as a
 * permutation.  A malformed row stops the load (or, with skip_bad_rows,
 * goes to the rejected list with its reason); nothing is written here.
 */
#include "engine/ingest.h"
#include "engine/reader.h"

#include <glob.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* OKRA_TRACE=1 prints the time of each phase to stderr (profiling). */
static void trace(const char *phase, struct timespec *t0)
{
	static int on = -1;
	if (on < 0)
		on = getenv("OKRA_TRACE") != NULL;
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (on)
		fprintf(stderr, "trace: %-24s %8.3f s\n", phase,
		        (double)(t1.tv_sec - t0->tv_sec) +
		            (double)(t1.tv_nsec - t0->tv_nsec) / 1e9);
	*t0 = t1;
}

/* The calling thread's CPU seconds (to trace the event threads). */
static double thread_cpu(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------------
 * Growable typed arrays
 * --------------------------------------------------------------------- */

#define VEC(T) struct { T *v; uint64_t n, cap; }

/* Asks for transparent huge pages on a big array: first touch of a
 * column then faults once per 2 MiB instead of once per 4 KiB, which on
 * a virtual machine is a large share of ingest time. */
static void *hugepages(void *p, size_t bytes)
{
	if (p && bytes >= ((size_t)4 << 20)) {
		uintptr_t lo = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
		uintptr_t hi = ((uintptr_t)p + bytes) & ~(uintptr_t)4095;
		if (hi > lo)
			madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
	}
	return p;
}

static bool vgrow(void **v, uint64_t *cap, uint64_t need, size_t size)
{
	if (need <= *cap)
		return true;
	uint64_t c = *cap ? *cap : 1024;
	while (c < need)
		c *= 2;
	void *p = realloc(*v, c * size);
	if (!p)
		return false;
	*v = hugepages(p, c * size);
	*cap = c;
	return true;
}

static void *big_malloc(size_t bytes)
{
	return hugepages(malloc(bytes ? bytes : 1), bytes);
}

static void *big_calloc(size_t n, size_t size)
{
	return hugepages(calloc(n ? n : 1, size), n * size);
}

#define VPUSH(vec, x, ok)                                                  \
	do {                                                                   \
		if ((vec).n < (vec).cap)                                           \
			(vec).v[(vec).n++] = (x);                                      \
		else if (!vgrow((void **)&(vec).v, &(vec).cap, (vec).n + 1,        \
		                sizeof(*(vec).v)))                                 \
			(ok) = false;                                                  \
		else                                                               \
			(vec).v[(vec).n++] = (x);                                      \
	} while (0)

/* ---------------------------------------------------------------------
 * Builders
 * --------------------------------------------------------------------- */

typedef struct prop_builder {
	uint32_t name;              /* code in ib->prop_names */
	VEC(uint32_t) row;
	VEC(double) num;
	VEC(uint32_t) str;          /* OKRA_NONE = canonical number */
	okra_dict_builder dict;
	bool has_str;
} prop_builder;

typedef struct entity_builder {
	okra_dict_builder ids;
	VEC(int64_t) created;
	VEC(uint8_t) known;
	VEC(uint32_t) account;      /* users: the user's account */
	uint32_t n_attrs;
	okra_dict_builder attr_names;
	struct attr_builder {
		VEC(uint32_t) code;
		VEC(double) num;
		okra_dict_builder dict;
	} *attrs;
	uint32_t cap_attrs;
} entity_builder;

typedef struct ingest {
	const okra_workspace *ws;
	okra__ingest_opts opt;
	okra_err *err;
	int64_t now;                /* load time, for the future check */

	entity_builder accounts, users;
	okra_dict_builder names, prop_names;
	prop_builder *props;
	uint32_t n_props, cap_props;

	VEC(int64_t) ts;
	VEC(uint16_t) name;
	VEC(uint32_t) acct;
	VEC(uint32_t) user;

	VEC(uint32_t) rev_account;
	VEC(uint8_t) rev_open;      /* 1: a running period, from its month on */
	VEC(int32_t) rev_month;
	VEC(double) rev_mrr;
	okra_dict_builder rev_keys;  /* (account, month) pairs seen */

	/* Per file column: its role and property, looked up once.  Column
	 * indices are stable within a file (CSV header, JSON key table). */
	int *col_role;              /* -1 = not looked up yet */
	uint32_t *col_prop;         /* OKRA_NONE = not looked up yet */
	size_t col_cap;

	okra_buf rejected[4];       /* CSV text per table */
	okra_ingest_stats *stats;
	bool nomem;
} ingest;

enum { T_EVENTS = 0, T_ACCOUNTS, T_USERS, T_REVENUE };
static const char *const table_names[] = {"events", "accounts", "users",
                                          "revenue"};

/* ---------------------------------------------------------------------
 * Values
 * --------------------------------------------------------------------- */

/* ---------------------------------------------------------------------
 * Bad rows
 * --------------------------------------------------------------------- */

static void csv_field(okra_buf *b, const char *s, size_t len)
{
	okra__buf_putc(b, '"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			okra__buf_putc(b, '"');
		okra__buf_putc(b, s[i]);
	}
	okra__buf_putc(b, '"');
}

/* Handles a malformed row: stop (return the error) or record and go on. */
static okra_rc bad_row(ingest *ig, int table, const char *file,
                       const okra_row *row, const char *reason)
{
	if (!ig->opt.skip_bad_rows)
		return okra__err_set(ig->err, OKRA_ERR_DATA, file,
		                     row ? (int)row->line : 0, 0, "%s", reason);
	okra_buf *b = &ig->rejected[table];
	if (b->len == 0)
		okra__buf_puts(b, "file,line,reason,record\n");
	csv_field(b, file, strlen(file));
	okra__buf_printf(b, ",%lld,", row ? (long long)row->line : 0LL);
	csv_field(b, reason, strlen(reason));
	okra__buf_putc(b, ',');
	if (row && row->raw)
		csv_field(b, row->raw, row->raw_len);
	okra__buf_putc(b, '\n');
	ig->stats->rejected[table]++;
	return b->failed ? okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0,
	                                 "out of memory")
	                 : OKRA_OK;
}

/* ---------------------------------------------------------------------
 * Column roles: which canonical column each file column is
 * --------------------------------------------------------------------- */

enum { ROLE_PROP = 0, ROLE_TS, ROLE_EVENT, ROLE_ACCOUNT, ROLE_USER,
       ROLE_CREATED, ROLE_MONTH, ROLE_MRR, ROLE_CURRENCY, ROLE_START,
       ROLE_END, ROLE_SKIP };

typedef struct role_map {
	const char *canonical[8];   /* canonical column names of the table */
	int roles[8];
	const char *source[8];      /* the file's name for each (renames) */
	size_t n;
} role_map;

static void role_map_init(role_map *m, const okra_table_source *t,
                          const char *const *names, const int *roles, size_t n)
{
	m->n = n;
	for (size_t i = 0; i < n; i++) {
		m->canonical[i] = names[i];
		m->roles[i] = roles[i];
		m->source[i] = names[i];
		for (size_t j = 0; j < t->n_columns; j++)
			if (strcmp(t->column_names[j], names[i]) == 0)
				m->source[i] = t->column_sources[j];
	}
}

/* The role of a file column; *canon_index is set for non-property roles. */
static int role_of(const role_map *m, const char *key, size_t len)
{
	for (size_t i = 0; i < m->n; i++)
		if (strlen(m->source[i]) == len && memcmp(m->source[i], key, len) == 0)
			return m->roles[i];
	return ROLE_PROP;
}

/* The role of a cell's column, cached per file. */
static int cell_role(ingest *ig, const role_map *m, const okra_cell *c)
{
	if (c->column >= ig->col_cap) {
		size_t cap = ig->col_cap ? ig->col_cap : 64;
		while (cap <= c->column)
			cap *= 2;
		int *roles = realloc(ig->col_role, cap * sizeof(*roles));
		uint32_t *props = roles ? realloc(ig->col_prop, cap * sizeof(*props)) : NULL;
		if (roles)
			ig->col_role = roles;
		if (!roles || !props)
			return role_of(m, c->key, c->key_len);
		ig->col_prop = props;
		for (size_t i = ig->col_cap; i < cap; i++) {
			ig->col_role[i] = -1;
			ig->col_prop[i] = OKRA_NONE;
		}
		ig->col_cap = cap;
	}
	if (ig->col_role[c->column] < 0)
		ig->col_role[c->column] = role_of(m, c->key, c->key_len);
	return ig->col_role[c->column];
}

/* A property's name: JSON keys under "properties." drop that prefix. */
static void prop_name(const char *key, size_t len, const char **name,
                      size_t *name_len)
{
	static const char prefix[] = "properties.";
	if (len > sizeof(prefix) - 1 &&
	    memcmp(key, prefix, sizeof(prefix) - 1) == 0) {
		key += sizeof(prefix) - 1;
		len -= sizeof(prefix) - 1;
	}
	*name = key;
	*name_len = len;
}

/* ---------------------------------------------------------------------
 * Accounts and users
 * --------------------------------------------------------------------- */

static struct attr_builder *attr_for(ingest *ig, entity_builder *e,
                                     const char *key, size_t len)
{
	uint32_t code = okra__dictb_intern(&e->attr_names, key, len);
	if (code == OKRA_NONE)
		return NULL;
	if (code >= e->cap_attrs) {
		uint32_t cap = e->cap_attrs ? e->cap_attrs * 2 : 8;
		while (cap <= code)
			cap *= 2;
		struct attr_builder *a = realloc(e->attrs, cap * sizeof(*a));
		if (!a)
			return NULL;
		memset(a + e->cap_attrs, 0, (cap - e->cap_attrs) * sizeof(*a));
		e->attrs = a;
		e->cap_attrs = cap;
	}
	if (code >= e->n_attrs)
		e->n_attrs = code + 1;
	(void)ig;
	return &e->attrs[code];
}

/* Makes every per-entity column as long as the id dictionary. */
static bool entity_fill(entity_builder *e)
{
	uint64_t n = e->ids.n;
	bool ok = vgrow((void **)&e->created.v, &e->created.cap, n, sizeof(int64_t)) &&
	          vgrow((void **)&e->known.v, &e->known.cap, n, 1) &&
	          vgrow((void **)&e->account.v, &e->account.cap, n, sizeof(uint32_t));
	if (!ok)
		return false;
	for (; e->created.n < n; e->created.n++)
		e->created.v[e->created.n] = INT64_MIN;
	for (; e->known.n < n; e->known.n++)
		e->known.v[e->known.n] = 0;
	for (; e->account.n < n; e->account.n++)
		e->account.v[e->account.n] = OKRA_NONE;
	for (uint32_t a = 0; a < e->n_attrs; a++) {
		struct attr_builder *ab = &e->attrs[a];
		if (!vgrow((void **)&ab->code.v, &ab->code.cap, n, sizeof(uint32_t)) ||
		    !vgrow((void **)&ab->num.v, &ab->num.cap, n, sizeof(double)))
			return false;
		for (; ab->code.n < n; ab->code.n++)
			ab->code.v[ab->code.n] = OKRA_NONE;
		for (; ab->num.n < n; ab->num.n++)
			ab->num.v[ab->num.n] = NAN;
	}
	return true;
}

/* Is a timestamp cell bad?  Sets *out, or the reason when it is bad. */
static bool timestamp_bad(const char *val, size_t len, const char *column,
                          int64_t now, int64_t *out, char *reason,
                          size_t size)
{
	if (!okra__parse_timestamp(val, len, out)) {
		snprintf(reason, size, "%s: unparseable timestamp \"%.40s\"", column,
		         val);
		return true;
	}
	if (*out < 0) {
		snprintf(reason, size, "%s: timestamp before 1970 \"%.40s\"", column,
		         val);
		return true;
	}
	if (*out > now + OKRA_MICROS_PER_DAY) {
		snprintf(reason, size,
		         "%s: timestamp more than a day in the future \"%.40s\"",
		         column, val);
		return true;
	}
	return false;
}

static okra_rc check_timestamp(ingest *ig, int table, const char *file,
                               const okra_row *row, const okra_cell *c,
                               const char *column, int64_t *out, bool *bad)
{
	char reason[256];
	*bad = timestamp_bad(c->val, c->val_len, column, ig->now, out, reason,
	                     sizeof(reason));
	return *bad ? bad_row(ig, table, file, row, reason) : OKRA_OK;
}

/* One row of accounts or users. */
static okra_rc entity_row(ingest *ig, int table, const char *file,
                          const okra_row *row, const role_map *roles)
{
	entity_builder *e = table == T_ACCOUNTS ? &ig->accounts : &ig->users;
	const okra_cell *id = NULL, *created = NULL, *account = NULL;
	for (size_t i = 0; i < row->n_cells; i++) {
		const okra_cell *c = &row->cells[i];
		int role = cell_role(ig, roles, c);
		if (role == ROLE_ACCOUNT && table == T_ACCOUNTS)
			id = c;
		else if (role == ROLE_USER)
			id = c;
		else if (role == ROLE_ACCOUNT)
			account = c;
		else if (role == ROLE_CREATED)
			created = c;
	}
	const char *id_col = roles->source[0];
	char reason[256];
	if (!id || id->type == OKRA_CELL_ABSENT) {
		snprintf(reason, sizeof(reason), "%s: empty id", id_col);
		return bad_row(ig, table, file, row, reason);
	}
	int64_t ts = INT64_MIN;
	if (!created || created->type == OKRA_CELL_ABSENT) {
		snprintf(reason, sizeof(reason), "%s: empty created_at",
		         roles->source[table == T_ACCOUNTS ? 1 : 2]);
		return bad_row(ig, table, file, row, reason);
	}
	bool bad;
	okra_rc rc = check_timestamp(ig, table, file, row, created,
	                             roles->source[table == T_ACCOUNTS ? 1 : 2],
	                             &ts, &bad);
	if (rc || bad)
		return rc;
	uint32_t acct = OKRA_NONE;
	if (table == T_USERS) {
		if (!account || account->type == OKRA_CELL_ABSENT) {
			snprintf(reason, sizeof(reason), "%s: empty account id",
			         roles->source[1]);
			return bad_row(ig, table, file, row, reason);
		}
		acct = okra__dictb_intern(&ig->accounts.ids, account->val,
		                          account->val_len);
	}
	uint32_t before = e->ids.n;
	uint32_t code = okra__dictb_intern(&e->ids, id->val, id->val_len);
	if (code == OKRA_NONE || acct == (uint32_t)-2)
		return okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
	if (code < before && e->known.v[code]) {
		snprintf(reason, sizeof(reason), "%s: duplicate id \"%.60s\"", id_col,
		         id->val);
		return bad_row(ig, table, file, row, reason);
	}
	/* Attributes: every other column. */
	for (size_t i = 0; i < row->n_cells; i++) {
		const okra_cell *c = &row->cells[i];
		if (cell_role(ig, roles, c) != ROLE_PROP)
			continue;
		const char *name;
		size_t name_len;
		prop_name(c->key, c->key_len, &name, &name_len);
		if (!attr_for(ig, e, name, name_len))
			return okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
	}
	if (!entity_fill(e) || !entity_fill(&ig->accounts))
		return okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
	e->created.v[code] = ts;
	e->known.v[code] = 1;
	if (table == T_USERS)
		e->account.v[code] = acct;
	for (size_t i = 0; i < row->n_cells; i++) {
		const okra_cell *c = &row->cells[i];
		if (c->type == OKRA_CELL_ABSENT ||
		    cell_role(ig, roles, c) != ROLE_PROP)
			continue;
		const char *name;
		size_t name_len;
		prop_name(c->key, c->key_len, &name, &name_len);
		struct attr_builder *ab = attr_for(ig, e, name, name_len);
		uint32_t v = ab ? okra__dictb_intern(&ab->dict, c->val, c->val_len)
		                : OKRA_NONE;
		if (v == OKRA_NONE)
			return okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
		ab->code.v[code] = v;
		double num;
		ab->num.v[code] = okra__parse_double(c->val, c->val_len, &num) ? num : NAN;
	}
	return OKRA_OK;
}

/* ---------------------------------------------------------------------
 * Events
 * --------------------------------------------------------------------- */

static prop_builder *prop_for(ingest *ig, const char *name, size_t len)
{
	uint32_t code = okra__dictb_intern(&ig->prop_names, name, len);
	if (code == OKRA_NONE)
		return NULL;
	if (code >= ig->cap_props) {
		uint32_t cap = ig->cap_props ? ig->cap_props * 2 : 16;
		while (cap <= code)
			cap *= 2;
		prop_builder *p = realloc(ig->props, cap * sizeof(*p));
		if (!p)
			return NULL;
		memset(p + ig->cap_props, 0, (cap - ig->cap_props) * sizeof(*p));
		ig->props = p;
		ig->cap_props = cap;
	}
	if (code >= ig->n_props) {
		ig->n_props = code + 1;
		ig->props[code].name = code;
	}
	return &ig->props[code];
}

static bool prop_add(prop_builder *p, uint32_t row, const okra_cell *c)
{
	bool ok = true;
	double num = NAN;
	bool numeric = okra__parse_double(c->val, c->val_len, &num);
	uint32_t str = OKRA_NONE;
	if (!numeric || !okra__is_canonical_number(c->val, c->val_len)) {
		str = okra__dictb_intern(&p->dict, c->val, c->val_len);
		if (str == OKRA_NONE)
			return false;
		p->has_str = true;
	}
	if (!numeric)
		num = NAN;
	VPUSH(p->row, row, ok);
	VPUSH(p->num, num, ok);
	VPUSH(p->str, str, ok);
	return ok;
}

/* (Event rows are read in parallel: see "Events, in parallel" below.) */

/* ---------------------------------------------------------------------
 * Events, in parallel
 *
 * The reader stays in this thread: it copies each row's cells into a
 * batch (64k rows, one string buffer, no per-row allocation) and hands
 * the batches round-robin to PAR_WORKERS threads.  A worker runs the
 * per-row checks and interning into its own columns and dictionaries:
 * ids already in the global dictionaries (from the accounts and users
 * tables, frozen while events are read) keep their global code, new ones
 * get n_global + a local code.  After the read the batches are merged in
 * file order: each batch's new strings are interned into the global
 * dictionaries in the order the sequential load would have seen them,
 * rejected rows and the first error come in file order, and the columns
 * are concatenated batch by batch with their codes remapped.
 * --------------------------------------------------------------------- */

typedef VEC(uint32_t) u32_vec;

#define PAR_WORKERS 2
#define PAR_SLOTS 2                 /* batches in flight per worker */
#define BATCH_ROWS 65536
#define BATCH_CHARS ((uint64_t)8 << 20)

typedef struct batch_cell {
	uint32_t off, len;          /* value in the batch's chars */
	uint32_t key;               /* properties: the column's key code */
	uint8_t type, role;
} batch_cell;

typedef struct batch_row {
	int64_t line;
	uint64_t cell0;
	uint32_t n_cells;
	uint32_t raw_off, raw_len;  /* with skip_bad_rows only */
	uint32_t reason;            /* reader's bad row: reason's offset */
} batch_row;

/* The outcome of one batch, kept until the merge. */
typedef struct batch_rec {
	const char *file;
	int worker;
	int64_t first_line;
	uint64_t lstart, kept;      /* rows in the worker's columns */
	uint64_t gbase;             /* first global row (merge) */
	uint64_t n_rejected;
	okra_buf rejected;
	okra_rc rc;
	okra_err err;
	/* Local dictionary sizes at the end of the batch. */
	uint32_t n_names, n_accts, n_users, n_props;
	uint64_t marks;             /* props' dictionary sizes in w->marks */
} batch_rec;

typedef struct ev_batch {
	batch_row *rows;
	uint32_t n_rows;
	VEC(batch_cell) cells;
	VEC(char) chars;
	const char *file;
	batch_rec *rec;
	int state;                  /* 0 free, 1 filled */
} ev_batch;

static okra_rc nomem(okra_err *err);

typedef struct local_prop {
	prop_builder pb;            /* local dictionary of values */
	uint32_t global;            /* index in ig->props (merge) */
	uint32_t merged;            /* values interned globally so far */
	u32_vec remap;        /* local value code -> global */
} local_prop;

typedef struct ev_worker {
	struct ev_par *par;
	int id;
	pthread_t thread;
	bool started;
	okra_dict_builder names, accts, users, prop_names;
	uint32_t ng_names, ng_accts, ng_users;
	VEC(int64_t) name_line;     /* per local name: line first seen */
	local_prop *props;
	uint32_t n_props, cap_props;
	VEC(uint32_t) key_prop;     /* key code -> local prop, OKRA_NONE */
	VEC(int64_t) ts;
	VEC(uint32_t) name;
	VEC(uint32_t) acct;
	VEC(uint32_t) user;
	VEC(uint32_t) marks;
	double cpu;                 /* the thread's CPU seconds (OKRA_TRACE) */
	/* merge */
	uint32_t merged_names, merged_accts, merged_users, merged_props;
	u32_vec remap_names;
	u32_vec remap_accts;
	u32_vec remap_users;
	okra_err err;
} ev_worker;

typedef struct ev_par {
	const ingest *ig;
	const role_map *roles;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_mutex_t keys_mu;
	okra_dict_builder keys;     /* property names by column key */
	ev_batch batch[PAR_WORKERS][PAR_SLOTS];
	ev_batch *cur;              /* being filled */
	uint64_t seq;               /* batches handed out */
	uint64_t n_rows;            /* rows handed out */
	uint64_t estimate;          /* rows expected in all (for presizing) */
	bool done;
	bool ended;                 /* the reader stopped at a bad row */
	atomic_bool stop;           /* a batch failed: read no further */
	ev_worker w[PAR_WORKERS];
	batch_rec **recs;
	size_t n_recs, cap_recs;
	VEC(char *) files;          /* copies of the files' names */
} ev_par;

/* A bad event row in a worker: the error, or into the batch's rejected
 * rows (the same text as bad_row). */
static okra_rc ev_bad(ev_worker *w, batch_rec *rec, const ev_batch *b,
                      const batch_row *row, const char *reason)
{
	if (!w->par->ig->opt.skip_bad_rows)
		return okra__err_set(&w->err, OKRA_ERR_DATA, b->file, (int)row->line,
		                     0, "%s", reason);
	okra_buf *buf = &rec->rejected;
	csv_field(buf, b->file, strlen(b->file));
	okra__buf_printf(buf, ",%lld,", (long long)row->line);
	csv_field(buf, reason, strlen(reason));
	okra__buf_putc(buf, ',');
	csv_field(buf, b->chars.v + row->raw_off, row->raw_len);
	okra__buf_putc(buf, '\n');
	rec->n_rejected++;
	return buf->failed ? okra__err_set(&w->err, OKRA_ERR_NOMEM, NULL, 0, 0,
	                                   "out of memory")
	                   : OKRA_OK;
}

/* The global code of s, else n_global + its local code. */
static uint32_t ev_code(const okra_dict_builder *global, uint32_t n_global,
                        okra_dict_builder *local, const char *s, size_t len)
{
	uint32_t c = n_global ? okra__dictb_find(global, s, len) : OKRA_NONE;
	if (c != OKRA_NONE)
		return c;
	c = okra__dictb_intern(local, s, len);
	return c == OKRA_NONE ? OKRA_NONE : n_global + c;
}

/* The worker's property for a column key. */
static local_prop *ev_prop(ev_worker *w, uint32_t key)
{
	bool ok = true;
	while (ok && w->key_prop.n <= key)
		VPUSH(w->key_prop, OKRA_NONE, ok);
	if (!ok)
		return NULL;
	if (w->key_prop.v[key] != OKRA_NONE)
		return &w->props[w->key_prop.v[key]];
	ev_par *par = w->par;
	pthread_mutex_lock(&par->keys_mu);
	const char *s = par->keys.pool + par->keys.off[key];
	size_t len = par->keys.off[key + 1] - par->keys.off[key] - 1;
	uint32_t code = okra__dictb_intern(&w->prop_names, s, len);
	pthread_mutex_unlock(&par->keys_mu);
	if (code == OKRA_NONE)
		return NULL;
	if (code >= w->cap_props) {
		uint32_t cap = w->cap_props ? w->cap_props * 2 : 16;
		while (cap <= code)
			cap *= 2;
		local_prop *p = realloc(w->props, cap * sizeof(*p));
		if (!p)
			return NULL;
		memset(p + w->cap_props, 0, (cap - w->cap_props) * sizeof(*p));
		w->props = p;
		w->cap_props = cap;
	}
	if (code >= w->n_props) {
		w->n_props = code + 1;
		w->props[code].pb.name = code;
	}
	w->key_prop.v[key] = code;
	return &w->props[code];
}

/* One event row in a worker: event_row's checks, in local state. */
static okra_rc ev_row(ev_worker *w, batch_rec *rec, const ev_batch *b,
                      const batch_row *row)
{
	const ingest *ig = w->par->ig;
	const role_map *roles = w->par->roles;
	if (row->reason != OKRA_NONE)
		return ev_bad(w, rec, b, row, b->chars.v + row->reason);
	const batch_cell *cells = b->cells.v + row->cell0;
	const batch_cell *ts_c = NULL, *ev_c = NULL, *acct_c = NULL, *user_c = NULL;
	for (uint32_t i = 0; i < row->n_cells; i++) {
		const batch_cell *c = &cells[i];
		switch (c->role) {
		case ROLE_TS: ts_c = c; break;
		case ROLE_EVENT: ev_c = c; break;
		case ROLE_ACCOUNT: acct_c = c; break;
		case ROLE_USER: user_c = c; break;
		default: break;
		}
	}
	const char *chars = b->chars.v;
	char reason[256];
	if (!ts_c || ts_c->type == OKRA_CELL_ABSENT) {
		snprintf(reason, sizeof(reason), "%s: empty timestamp", roles->source[0]);
		return ev_bad(w, rec, b, row, reason);
	}
	int64_t ts;
	if (timestamp_bad(chars + ts_c->off, ts_c->len, roles->source[0], ig->now,
	                  &ts, reason, sizeof(reason)))
		return ev_bad(w, rec, b, row, reason);
	if (!ev_c || ev_c->type == OKRA_CELL_ABSENT) {
		snprintf(reason, sizeof(reason), "%s: empty event name", roles->source[1]);
		return ev_bad(w, rec, b, row, reason);
	}
	bool has_acct = acct_c && acct_c->type != OKRA_CELL_ABSENT;
	bool has_user = user_c && user_c->type != OKRA_CELL_ABSENT;
	if (!has_acct && !has_user) {
		snprintf(reason, sizeof(reason), "empty id: an event needs %s or %s",
		         roles->source[2], roles->source[3]);
		return ev_bad(w, rec, b, row, reason);
	}
	bool ok = true;
	uint32_t before = w->names.n;
	uint32_t name = ev_code(&ig->names, w->ng_names, &w->names,
	                        chars + ev_c->off, ev_c->len);
	if (w->names.n > before)
		VPUSH(w->name_line, row->line, ok);
	uint32_t user = has_user ? ev_code(&ig->users.ids, w->ng_users, &w->users,
	                                   chars + user_c->off, user_c->len)
	                         : OKRA_NONE;
	uint32_t acct = has_acct ? ev_code(&ig->accounts.ids, w->ng_accts, &w->accts,
	                                   chars + acct_c->off, acct_c->len)
	                         : OKRA_NONE;
	if (!ok || name == OKRA_NONE || w->names.failed || w->users.failed ||
	    w->accts.failed)
		return okra__err_set(&w->err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
	/* An empty account takes the known user's account (SPEC 3.1); known
	 * users all come from the users table, so have global codes. */
	if (!has_acct && user < ig->users.known.n && ig->users.known.v[user])
		acct = ig->users.account.v[user];
	uint32_t r = (uint32_t)w->ts.n;
	VPUSH(w->ts, ts, ok);
	VPUSH(w->name, name, ok);
	VPUSH(w->acct, acct, ok);
	VPUSH(w->user, user, ok);
	for (uint32_t i = 0; ok && i < row->n_cells; i++) {
		const batch_cell *c = &cells[i];
		if (c->role != ROLE_PROP || c->type == OKRA_CELL_ABSENT)
			continue;
		local_prop *p = ev_prop(w, c->key);
		if (!p) {
			ok = false;
			break;
		}
		okra_cell cell = {.val = chars + c->off, .val_len = c->len,
		                  .type = c->type};
		ok = prop_add(&p->pb, r, &cell);
	}
	if (!ok)
		return okra__err_set(&w->err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
	return OKRA_OK;
}

static void ev_batch_run(ev_worker *w, ev_batch *b, uint64_t estimate)
{
	batch_rec *rec = b->rec;
	/* Sizes the columns once from the reader's estimate, so they do not
	 * grow by copying (see presize). */
	uint64_t want = estimate / PAR_WORKERS + BATCH_ROWS;
	if (want > w->ts.cap) {
		vgrow((void **)&w->ts.v, &w->ts.cap, want, sizeof(*w->ts.v));
		vgrow((void **)&w->name.v, &w->name.cap, want, sizeof(*w->name.v));
		vgrow((void **)&w->acct.v, &w->acct.cap, want, sizeof(*w->acct.v));
		vgrow((void **)&w->user.v, &w->user.cap, want, sizeof(*w->user.v));
	}
	rec->lstart = w->ts.n;
	for (uint32_t i = 0; i < b->n_rows; i++) {
		okra_rc rc = ev_row(w, rec, b, &b->rows[i]);
		if (rc) {
			rec->rc = rc;
			rec->err = w->err;
			atomic_store(&w->par->stop, true);
			break;
		}
	}
	rec->kept = w->ts.n - rec->lstart;
	rec->n_names = w->names.n;
	rec->n_accts = w->accts.n;
	rec->n_users = w->users.n;
	rec->n_props = w->n_props;
	rec->marks = w->marks.n;
	bool ok = true;
	for (uint32_t p = 0; ok && p < w->n_props; p++)
		VPUSH(w->marks, w->props[p].pb.dict.n, ok);
	if (!ok && !rec->rc) {
		rec->rc = okra__err_set(&rec->err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                        "out of memory");
		atomic_store(&w->par->stop, true);
	}
}

static void *ev_worker_main(void *arg)
{
	ev_worker *w = arg;
	ev_par *par = w->par;
	for (uint64_t k = 0;; k++) {
		ev_batch *b = &par->batch[w->id][k % PAR_SLOTS];
		pthread_mutex_lock(&par->mu);
		while (b->state != 1 && !par->done)
			pthread_cond_wait(&par->cv, &par->mu);
		bool have = b->state == 1;
		uint64_t estimate = par->estimate;
		pthread_mutex_unlock(&par->mu);
		if (!have)
			break;
		ev_batch_run(w, b, estimate);
		pthread_mutex_lock(&par->mu);
		b->state = 0;
		pthread_cond_broadcast(&par->cv);
		pthread_mutex_unlock(&par->mu);
	}
	w->cpu = thread_cpu();
	return NULL;
}

/* ---------------------------------------------------------------------
 * Revenue
 * --------------------------------------------------------------------- */

/* "YYYY-MM" or a date/timestamp (its month) into months since 1970-01. */
static bool parse_month(const char *s, size_t len, int32_t *out)
{
	if (len == 7 && s[4] == '-') {
		int y = 0, m = 0;
		for (int i = 0; i < 4; i++) {
			if (s[i] < '0' || s[i] > '9')
				return false;
			y = y * 10 + (s[i] - '0');
		}
		if (s[5] < '0' || s[5] > '9' || s[6] < '0' || s[6] > '9')
			return false;
		m = (s[5] - '0') * 10 + (s[6] - '0');
		if (m < 1 || m > 12 || y < 1970)
			return false;
		*out = (y - 1970) * 12 + (m - 1);
		return true;
	}
	int64_t ts;
	if (len < 10 || !okra__parse_timestamp(s, len, &ts) || ts < 0)
		return false;
	int y, m, d;
	okra__civil_from_days(okra__day_of(ts), &y, &m, &d);
	*out = (y - 1970) * 12 + (m - 1);
	return true;
}

static okra_rc revenue_row(ingest *ig, const char *file, const okra_row *row,
                           const role_map *roles)
{
	const okra_cell *acct_c = NULL, *month_c = NULL, *mrr_c = NULL;
	for (size_t i = 0; i < row->n_cells; i++) {
		const okra_cell *c = &row->cells[i];
		switch (cell_role(ig, roles, c)) {
		case ROLE_ACCOUNT: acct_c = c; break;
		case ROLE_MONTH: month_c = c; break;
		case ROLE_MRR: mrr_c = c; break;
		default: break;
		}
	}
	char reason[256];
	if (!acct_c || acct_c->type == OKRA_CELL_ABSENT) {
		snprintf(reason, sizeof(reason), "%s: empty account id", roles->source[0]);
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	int32_t month;
	if (!month_c || !parse_month(month_c->val, month_c->val_len, &month)) {
		snprintf(reason, sizeof(reason), "%s: bad month \"%.40s\" (YYYY-MM)",
		         roles->source[1], month_c ? month_c->val : "");
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	double mrr;
	if (!mrr_c || !okra__parse_double(mrr_c->val, mrr_c->val_len, &mrr)) {
		snprintf(reason, sizeof(reason), "%s: unparseable number \"%.40s\"",
		         roles->source[2], mrr_c ? mrr_c->val : "");
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	if (mrr < 0) {
		snprintf(reason, sizeof(reason), "%s: negative MRR %.40s",
		         roles->source[2], mrr_c->val);
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	uint32_t acct = okra__dictb_intern(&ig->accounts.ids, acct_c->val,
	                                   acct_c->val_len);
	if (acct == OKRA_NONE)
		return okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
	/* Two rows for one account and month are malformed (SPEC 3.1). */
	uint32_t key[2] = {acct, (uint32_t)month};
	uint32_t before = ig->rev_keys.n;
	uint32_t k = okra__dictb_intern(&ig->rev_keys, (const char *)key, sizeof(key));
	if (k == OKRA_NONE)
		return okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
	if (k < before) {
		snprintf(reason, sizeof(reason),
		         "a second row for account \"%.60s\" and month %04d-%02d",
		         acct_c->val, 1970 + month / 12, month % 12 + 1);
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	bool ok = true;
	VPUSH(ig->rev_account, acct, ok);
	VPUSH(ig->rev_month, month, ok);
	VPUSH(ig->rev_mrr, mrr, ok);
	VPUSH(ig->rev_open, 0, ok);
	if (!ok)
		return okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
	return OKRA_OK;
}

/* Expands subscription periods into monthly rows (SPEC 2): a period adds
 * its amount to every month whose first day lies in [start, end). */
static okra_rc period_row(ingest *ig, const char *file, const okra_row *row,
                          const role_map *roles)
{
	const okra_cell *acct_c = NULL, *start_c = NULL, *end_c = NULL,
	                *mrr_c = NULL;
	for (size_t i = 0; i < row->n_cells; i++) {
		const okra_cell *c = &row->cells[i];
		switch (cell_role(ig, roles, c)) {
		case ROLE_ACCOUNT: acct_c = c; break;
		case ROLE_START: start_c = c; break;
		case ROLE_END: end_c = c; break;
		case ROLE_MRR: mrr_c = c; break;
		default: break;
		}
	}
	char reason[256];
	int64_t start, end = INT64_MAX;
	if (!acct_c || acct_c->type == OKRA_CELL_ABSENT) {
		snprintf(reason, sizeof(reason), "%s: empty account id", roles->source[0]);
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	if (!start_c || !okra__parse_timestamp(start_c->val, start_c->val_len, &start) ||
	    start < 0) {
		snprintf(reason, sizeof(reason), "%s: unparseable date \"%.40s\"",
		         roles->source[1], start_c ? start_c->val : "");
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	if (end_c && end_c->type != OKRA_CELL_ABSENT &&
	    (!okra__parse_timestamp(end_c->val, end_c->val_len, &end) || end < start)) {
		snprintf(reason, sizeof(reason), "%s: bad end date \"%.40s\"",
		         roles->source[2], end_c->val);
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	double mrr;
	if (!mrr_c || !okra__parse_double(mrr_c->val, mrr_c->val_len, &mrr) || mrr < 0) {
		snprintf(reason, sizeof(reason), "%s: %s \"%.40s\"", roles->source[3],
		         mrr_c && okra__parse_double(mrr_c->val, mrr_c->val_len, &mrr)
		             ? "negative MRR" : "unparseable number",
		         mrr_c ? mrr_c->val : "");
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	uint32_t acct = okra__dictb_intern(&ig->accounts.ids, acct_c->val,
	                                   acct_c->val_len);
	if (acct == OKRA_NONE)
		return okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
	/* Months whose first day is in [start, end).  A running period (no
	 * end) is one open row: its amount holds from its first month on,
	 * whatever the as-of month, so values never depend on the load date. */
	int y, m, d;
	okra__civil_from_days(okra__day_of(start), &y, &m, &d);
	int32_t first = (y - 1970) * 12 + (m - 1) + (d > 1 || start % OKRA_MICROS_PER_DAY);
	bool ok = true;
	if (end == INT64_MAX) {
		VPUSH(ig->rev_account, acct, ok);
		VPUSH(ig->rev_month, first, ok);
		VPUSH(ig->rev_mrr, mrr, ok);
		VPUSH(ig->rev_open, 1, ok);
	} else {
		okra__civil_from_days(okra__day_of(end - 1), &y, &m, &d);
		int32_t last = (y - 1970) * 12 + (m - 1);
		for (int32_t mo = first; ok && mo <= last; mo++) {
			VPUSH(ig->rev_account, acct, ok);
			VPUSH(ig->rev_month, mo, ok);
			VPUSH(ig->rev_mrr, mrr, ok);
			VPUSH(ig->rev_open, 0, ok);
		}
	}
	if (!ok)
		return okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
	return OKRA_OK;
}

/* ---------------------------------------------------------------------
 * Files
 * --------------------------------------------------------------------- */

typedef okra_rc (*row_fn)(ingest *, int, const char *, const okra_row *,
                          const role_map *);

static okra_rc do_entity(ingest *ig, int t, const char *f, const okra_row *r,
                         const role_map *m)
{
	return entity_row(ig, t, f, r, m);
}

static okra_rc do_revenue(ingest *ig, int t, const char *f, const okra_row *r,
                          const role_map *m)
{
	(void)t;
	return revenue_row(ig, f, r, m);
}

static okra_rc do_period(ingest *ig, int t, const char *f, const okra_row *r,
                         const role_map *m)
{
	(void)t;
	return period_row(ig, f, r, m);
}

static void progress(const ingest *ig, const char *table, uint64_t done,
                     uint64_t total, uint64_t rows, double t0)
{
	if (!ig->opt.progress)
		return;
	double now = (double)clock() / CLOCKS_PER_SEC;
	double pct = total ? 100.0 * (double)done / (double)total : 0;
	fprintf(stderr, "\r%-8s [%-30.*s] %5.1f%% %12llu rows %6.1fs", table,
	        (int)(pct * 30 / 100),
	        "##############################", pct, (unsigned long long)rows,
	        now - t0);
	fflush(stderr);
}

/* Reads every file of a table (a glob: matches in name order). */
static okra_rc par_row(ev_par *par, ingest *ig, const char *file,
                       const okra_row *row, const char *reason);
static void par_submit(ev_par *par);
static const char *par_file(ev_par *par, const char *display);
static void par_estimate(ev_par *par, okra_reader *r, uint64_t rows);

/* Reads every file of a table (a glob: matches in name order).  With par
 * (events) the rows go to its batches instead of fn. */
static okra_rc read_table(ingest *ig, int table, const okra_table_source *src,
                          const role_map *roles, row_fn fn, ev_par *par)
{
	okra_rc rc = OKRA_OK;
	char pattern[4096];
	snprintf(pattern, sizeof(pattern), "%s/%s", okra_workspace_root(ig->ws),
	         src->path);
	glob_t g;
	memset(&g, 0, sizeof(g));
	int gr = glob(pattern, 0, NULL, &g);
	if (gr != 0) {
		globfree(&g);
		return okra__err_set(ig->err, OKRA_ERR_DATA, src->pos.file,
		                     src->pos.line, src->pos.col,
		                     "data table \"%s\": no file matches \"%s\"",
		                     table_names[table], src->path);
	}
	size_t root_len = strlen(okra_workspace_root(ig->ws)) + 1;
	double t0 = (double)clock() / CLOCKS_PER_SEC;
	for (size_t i = 0; rc == OKRA_OK && !(par && par->ended) && i < g.gl_pathc;
	     i++) {
		const char *display = g.gl_pathv[i] + root_len;
		okra_reader *r = NULL;
		rc = okra__reader_open(g.gl_pathv[i], display, &r, ig->err);
		if (rc)
			break;
		/* Batches outlive g: they name the file with a copy. */
		const char *pfile = par ? par_file(par, display) : display;
		if (!pfile) {
			okra__reader_close(r);
			rc = nomem(ig->err);
			break;
		}
		for (size_t k = 0; k < ig->col_cap; k++) {
			ig->col_role[k] = -1;
			ig->col_prop[k] = OKRA_NONE;
		}
		/* CSV: the required columns must be in the header. */
		if (okra__reader_format(r) == OKRA_FILE_CSV) {
			const char *const *cols;
			size_t n = okra__reader_columns(r, &cols);
			for (size_t k = 0; k < roles->n && rc == OKRA_OK; k++) {
				bool optional = roles->roles[k] == ROLE_CURRENCY ||
				                roles->roles[k] == ROLE_END ||
				                (table == T_EVENTS &&
				                 (roles->roles[k] == ROLE_ACCOUNT ||
				                  roles->roles[k] == ROLE_USER));
				bool found = false;
				for (size_t j = 0; j < n && !found; j++)
					found = strcmp(cols[j], roles->source[k]) == 0;
				if (!found && !optional)
					rc = okra__err_set(ig->err, OKRA_ERR_DATA, display, 1, 0,
					                   "missing column \"%s\"%s", roles->source[k],
					                   strcmp(roles->source[k], roles->canonical[k])
					                       ? "" : " (rename with columns: in okra.yaml)");
			}
			if (table == T_EVENTS && rc == OKRA_OK) {
				bool any = false;
				for (size_t j = 0; j < n; j++)
					any |= strcmp(cols[j], roles->source[2]) == 0 ||
					       strcmp(cols[j], roles->source[3]) == 0;
				if (!any)
					rc = okra__err_set(ig->err, OKRA_ERR_DATA, display, 1, 0,
					                   "missing column: events need \"%s\" or \"%s\"",
					                   roles->source[2], roles->source[3]);
			}
		}
		uint64_t rows = 0;
		while (rc == OKRA_OK) {
			okra_row *row = NULL;
			rc = okra__reader_next(r, &row, ig->err);
			if (rc == OKRA_ERR_DATA && row) {
				/* The reader already wrote the reason into err. */
				char reason[1024];
				snprintf(reason, sizeof(reason), "%s", ig->err->msg);
				if (!par) {
					rc = bad_row(ig, table, display, row, reason);
					continue;
				}
				/* In the batch, so it comes in file order; without
				 * skip_bad_rows it ends the load. */
				rc = par_row(par, ig, pfile, row, reason);
				if (!ig->opt.skip_bad_rows)
					par->ended = true;
				if (rc || par->ended)
					break;
				continue;
			}
			if (rc || !row)
				break;
			if (par) {
				if (rows == 8192)
					par_estimate(par, r, rows);
				rc = par_row(par, ig, pfile, row, NULL);
				rows++;
				if ((rows & 0xfffff) == 0) {
					uint64_t done, total;
					okra__reader_progress(r, &done, &total);
					progress(ig, table_names[table], done, total, rows, t0);
				}
				/* A batch failed: the rest cannot matter. */
				if (atomic_load_explicit(&par->stop, memory_order_relaxed)) {
					par->ended = true;
					break;
				}
				continue;
			}
			uint64_t rejected = ig->stats->rejected[table];
			rc = fn(ig, table, display, row, roles);
			rows += ig->stats->rejected[table] == rejected;
			if ((rows & 0xfffff) == 0) {
				uint64_t done, total;
				okra__reader_progress(r, &done, &total);
				progress(ig, table_names[table], done, total, rows, t0);
			}
		}
		if (par) {
			/* A batch holds rows of one file; rows are counted at the merge. */
			par_submit(par);
			rows = 0;
		}
		/* Count the rows kept, not the ones read. */
		ig->stats->rows[table] += rows;
		okra__reader_close(r);
	}
	if (ig->opt.progress)
		fputs("\r\033[K", stderr);
	globfree(&g);
	return rc;
}

/* ---------------------------------------------------------------------
 * Events, in parallel: the reader's side and the merge
 * --------------------------------------------------------------------- */

/* Estimates the rows of all files from the first rows' bytes per row
 * (CSV only), before the file's first batch goes to a worker. */
static void par_estimate(ev_par *par, okra_reader *r, uint64_t rows)
{
	uint64_t done, total;
	okra__reader_progress(r, &done, &total);
	if (!done || total <= done || okra__reader_format(r) != OKRA_FILE_CSV)
		return;
	/* Rows of the earlier files were handed out already. */
	uint64_t before = par->n_rows;
	pthread_mutex_lock(&par->mu);
	par->estimate = before + (uint64_t)((double)rows * (double)total /
	                                    (double)done * 1.05);
	pthread_mutex_unlock(&par->mu);
}

/* A copy of a file's name that lives as long as par. */
static const char *par_file(ev_par *par, const char *display)
{
	char *copy = strdup(display);
	bool ok = copy != NULL;
	if (ok)
		VPUSH(par->files, copy, ok);
	if (!ok) {
		free(copy);
		return NULL;
	}
	return copy;
}

/* Hands the batch being filled to its worker. */
static void par_submit(ev_par *par)
{
	if (!par->cur)
		return;
	pthread_mutex_lock(&par->mu);
	par->cur->state = 1;
	par->n_rows += par->cur->n_rows;
	pthread_cond_broadcast(&par->cv);
	pthread_mutex_unlock(&par->mu);
	par->cur = NULL;
	par->seq++;
}

/* The batch to fill (waits for its worker to free it). */
static ev_batch *par_batch(ev_par *par, const char *file)
{
	if (par->cur && (par->cur->n_rows == BATCH_ROWS ||
	                 par->cur->chars.n >= BATCH_CHARS || par->cur->file != file))
		par_submit(par);
	if (par->cur)
		return par->cur;
	int worker = (int)(par->seq % PAR_WORKERS);
	ev_batch *b = &par->batch[worker][(par->seq / PAR_WORKERS) % PAR_SLOTS];
	pthread_mutex_lock(&par->mu);
	while (b->state != 0)
		pthread_cond_wait(&par->cv, &par->mu);
	pthread_mutex_unlock(&par->mu);
	bool ok = true;
	if (!b->rows)
		b->rows = malloc(BATCH_ROWS * sizeof(*b->rows));
	batch_rec *rec = calloc(1, sizeof(*rec));
	if (!b->rows || !rec)
		ok = false;
	if (ok && par->n_recs + 1 > par->cap_recs) {
		size_t cap = par->cap_recs ? par->cap_recs * 2 : 1024;
		while (cap < par->n_recs + 1)
			cap *= 2;
		batch_rec **r = realloc(par->recs, cap * sizeof(*r));
		if (r) {
			par->recs = r;
			par->cap_recs = cap;
		} else {
			ok = false;
		}
	}
	if (!ok) {
		free(rec);
		return NULL;
	}
	par->recs[par->n_recs++] = rec;
	rec->file = file;
	rec->worker = worker;
	b->rec = rec;
	b->file = file;
	b->n_rows = 0;
	b->cells.n = 0;
	b->chars.n = 0;
	par->cur = b;
	return b;
}

/* Copies s (and a NUL) into the batch's chars; OKRA_NONE on failure. */
static uint32_t par_put(ev_batch *b, const char *s, size_t len)
{
	if (b->chars.n + len + 1 > b->chars.cap &&
	    (!vgrow((void **)&b->chars.v, &b->chars.cap, b->chars.n + len + 1, 1) ||
	     b->chars.n + len + 1 >= UINT32_MAX))
		return OKRA_NONE;
	uint32_t off = (uint32_t)b->chars.n;
	if (len)
		memcpy(b->chars.v + off, s, len);
	b->chars.v[off + len] = '\0';
	b->chars.n += len + 1;
	return off;
}

/* Adds a row (or, with reason, a row the reader found malformed) to the
 * current batch. */
static okra_rc par_row(ev_par *par, ingest *ig, const char *file,
                       const okra_row *row, const char *reason)
{
	ev_batch *b = par_batch(par, file);
	if (!b)
		return nomem(ig->err);
	batch_row *br = &b->rows[b->n_rows];
	br->line = row->line;
	br->cell0 = b->cells.n;
	br->n_cells = 0;
	br->reason = OKRA_NONE;
	br->raw_off = 0;
	br->raw_len = 0;
	bool ok = true;
	if (b->n_rows == 0)
		b->rec->first_line = row->line;
	if (reason)
		ok = (br->reason = par_put(b, reason, strlen(reason))) != OKRA_NONE;
	if (ok && ig->opt.skip_bad_rows) {
		br->raw_len = row->raw ? (uint32_t)row->raw_len : 0;
		ok = (br->raw_off = par_put(b, row->raw ? row->raw : "", br->raw_len)) !=
		     OKRA_NONE;
	}
	for (size_t i = 0; ok && !reason && i < row->n_cells; i++) {
		const okra_cell *c = &row->cells[i];
		int role = cell_role(ig, par->roles, c);
		uint32_t key = OKRA_NONE;
		if (role == ROLE_PROP) {
			if (c->type == OKRA_CELL_ABSENT)
				continue;
			if (c->column >= ig->col_cap) {
				ok = false;
				break;
			}
			key = ig->col_prop[c->column];
			if (key == OKRA_NONE) {
				const char *pname;
				size_t plen;
				prop_name(c->key, c->key_len, &pname, &plen);
				pthread_mutex_lock(&par->keys_mu);
				key = okra__dictb_intern(&par->keys, pname, plen);
				pthread_mutex_unlock(&par->keys_mu);
				if (key == OKRA_NONE) {
					ok = false;
					break;
				}
				ig->col_prop[c->column] = key;
			}
		} else if (role != ROLE_TS && role != ROLE_EVENT &&
		           role != ROLE_ACCOUNT && role != ROLE_USER) {
			continue;
		}
		uint32_t off = par_put(b, c->val, c->val_len);
		batch_cell bc = {.off = off, .len = c->val_len, .key = key,
		                 .type = c->type, .role = (uint8_t)role};
		if (off == OKRA_NONE)
			ok = false;
		else if (b->cells.n < b->cells.cap)
			b->cells.v[b->cells.n++] = bc;
		else
			VPUSH(b->cells, bc, ok);
		br->n_cells++;
	}
	if (!ok)
		return nomem(ig->err);
	b->n_rows++;
	return OKRA_OK;
}

/* Interns a worker's local strings [*merged, upto) into global, appending
 * their global codes to remap. */
static bool merge_dict(okra_dict_builder *global, const okra_dict_builder *local,
                       uint32_t *merged, uint32_t upto, u32_vec *remap)
{
	bool ok = true;
	for (; ok && *merged < upto; (*merged)++) {
		uint32_t j = *merged;
		const char *s = local->pool + local->off[j];
		size_t len = local->off[j + 1] - local->off[j] - 1;
		uint32_t c = okra__dictb_intern(global, s, len);
		if (c == OKRA_NONE)
			return false;
		VPUSH(*remap, c, ok);
	}
	return ok;
}

static inline uint32_t remap_code(uint32_t c, uint32_t n_global,
                                  const uint32_t *remap)
{
	return c == OKRA_NONE || c < n_global ? c : remap[c - n_global];
}

typedef struct merge_job {
	ev_par *par;
	ingest *ig;
} merge_job;

/* Appends each worker's property values to the global properties (sized
 * already), with global rows and codes.  The order of values within a
 * property does not matter to take_props. */
static void *merge_props(void *arg)
{
	const merge_job *job = arg;
	ev_par *par = job->par;
	for (int wi = 0; wi < PAR_WORKERS; wi++) {
		const ev_worker *w = &par->w[wi];
		for (uint32_t p = 0; p < w->n_props; p++) {
			const local_prop *lp = &w->props[p];
			prop_builder *g = &job->ig->props[lp->global];
			const uint32_t *remap = lp->remap.v;
			uint32_t *row = g->row.v + g->row.n;
			double *num = g->num.v + g->num.n;
			uint32_t *str = g->str.v + g->str.n;
			size_t k = 0;
			for (uint64_t i = 0; i < lp->pb.row.n; i++) {
				uint64_t r = lp->pb.row.v[i];
				while (par->recs[k]->worker != wi ||
				       r >= par->recs[k]->lstart + par->recs[k]->kept)
					k++;
				const batch_rec *rec = par->recs[k];
				uint32_t sc = lp->pb.str.v[i];
				row[i] = (uint32_t)(rec->gbase + (r - rec->lstart));
				num[i] = lp->pb.num.v[i];
				str[i] = sc == OKRA_NONE ? sc : remap[sc];
			}
			g->row.n += lp->pb.row.n;
			g->num.n += lp->pb.row.n;
			g->str.n += lp->pb.row.n;
			g->has_str |= lp->pb.has_str;
		}
	}
	return NULL;
}

/* Merges the batches in file order into ig (see above). */
static okra_rc par_merge(ev_par *par, ingest *ig)
{
	uint64_t n = 0;
	for (size_t k = 0; k < par->n_recs; k++) {
		batch_rec *rec = par->recs[k];
		ev_worker *w = &par->w[rec->worker];
		if (!merge_dict(&ig->names, &w->names, &w->merged_names, rec->n_names,
		                &w->remap_names) ||
		    !merge_dict(&ig->accounts.ids, &w->accts, &w->merged_accts,
		                rec->n_accts, &w->remap_accts) ||
		    !merge_dict(&ig->users.ids, &w->users, &w->merged_users,
		                rec->n_users, &w->remap_users))
			return nomem(ig->err);
		if (ig->names.n > (uint32_t)UINT16_MAX + 1) {
			/* The row of the 65537th name. */
			uint32_t j = 0;
			while (w->remap_names.v[j] <= UINT16_MAX)
				j++;
			return okra__err_set(ig->err, OKRA_ERR_DATA, rec->file,
			                     (int)w->name_line.v[j], 0,
			                     "more than 65536 distinct event names");
		}
		for (; w->merged_props < rec->n_props; w->merged_props++) {
			uint32_t p = w->merged_props;
			const okra_dict_builder *pn = &w->prop_names;
			prop_builder *g = prop_for(ig, pn->pool + pn->off[p],
			                           pn->off[p + 1] - pn->off[p] - 1);
			if (!g)
				return nomem(ig->err);
			w->props[p].global = (uint32_t)(g - ig->props);
		}
		for (uint32_t p = 0; p < rec->n_props; p++) {
			local_prop *lp = &w->props[p];
			if (!merge_dict(&ig->props[lp->global].dict, &lp->pb.dict,
			                &lp->merged, w->marks.v[rec->marks + p], &lp->remap))
				return nomem(ig->err);
		}
		if (rec->n_rejected) {
			okra_buf *b = &ig->rejected[T_EVENTS];
			if (b->len == 0)
				okra__buf_puts(b, "file,line,reason,record\n");
			okra__buf_append(b, rec->rejected.data, rec->rejected.len);
			ig->stats->rejected[T_EVENTS] += rec->n_rejected;
			if (b->failed)
				return nomem(ig->err);
		}
		if (rec->rc) {
			*ig->err = rec->err;
			return rec->rc;
		}
		if (n + rec->kept >= UINT32_MAX - 1)
			return okra__err_set(ig->err, OKRA_ERR_DATA, rec->file,
			                     (int)rec->first_line, 0,
			                     "more than 4 billion events");
		rec->gbase = n;
		n += rec->kept;
	}
	ig->stats->rows[T_EVENTS] += n;

	/* Properties (in a second thread) while the columns are merged. */
	uint64_t *need = calloc(ig->n_props + 1, sizeof(*need));
	if (!need)
		return nomem(ig->err);
	for (int wi = 0; wi < PAR_WORKERS; wi++)
		for (uint32_t p = 0; p < par->w[wi].n_props; p++)
			need[par->w[wi].props[p].global] += par->w[wi].props[p].pb.row.n;
	bool ok = true;
	for (uint32_t p = 0; ok && p < ig->n_props; p++) {
		prop_builder *g = &ig->props[p];
		uint64_t want = g->row.n + need[p];
		ok = vgrow((void **)&g->row.v, &g->row.cap, want, sizeof(uint32_t)) &&
		     vgrow((void **)&g->num.v, &g->num.cap, want, sizeof(double)) &&
		     vgrow((void **)&g->str.v, &g->str.cap, want, sizeof(uint32_t));
	}
	free(need);
	if (!ok)
		return nomem(ig->err);
	merge_job job = {par, ig};
	pthread_t props_thread;
	bool props_started =
		pthread_create(&props_thread, NULL, merge_props, &job) == 0;

	/* Columns, in batch order; each worker's column is freed once used. */
	ig->ts.v = big_malloc(n * sizeof(*ig->ts.v));
	ig->name.v = big_malloc(n * sizeof(*ig->name.v));
	ig->acct.v = big_malloc(n * sizeof(*ig->acct.v));
	ig->user.v = big_malloc(n * sizeof(*ig->user.v));
	if (!ig->ts.v || !ig->name.v || !ig->acct.v || !ig->user.v) {
		if (props_started)
			pthread_join(props_thread, NULL);
		return nomem(ig->err);
	}
	ig->ts.n = ig->ts.cap = ig->name.n = ig->name.cap = n;
	ig->acct.n = ig->acct.cap = ig->user.n = ig->user.cap = n;
	for (size_t k = 0; k < par->n_recs; k++) {
		const batch_rec *rec = par->recs[k];
		const ev_worker *w = &par->w[rec->worker];
		memcpy(ig->ts.v + rec->gbase, w->ts.v + rec->lstart,
		       rec->kept * sizeof(*ig->ts.v));
		for (uint64_t i = 0; i < rec->kept; i++)
			ig->name.v[rec->gbase + i] = (uint16_t)remap_code(
				w->name.v[rec->lstart + i], w->ng_names, w->remap_names.v);
	}
	for (int i = 0; i < PAR_WORKERS; i++) {
		free(par->w[i].ts.v);
		free(par->w[i].name.v);
		par->w[i].ts.v = NULL;
		par->w[i].name.v = NULL;
	}
	for (size_t k = 0; k < par->n_recs; k++) {
		const batch_rec *rec = par->recs[k];
		const ev_worker *w = &par->w[rec->worker];
		for (uint64_t i = 0; i < rec->kept; i++)
			ig->acct.v[rec->gbase + i] = remap_code(
				w->acct.v[rec->lstart + i], w->ng_accts, w->remap_accts.v);
		for (uint64_t i = 0; i < rec->kept; i++)
			ig->user.v[rec->gbase + i] = remap_code(
				w->user.v[rec->lstart + i], w->ng_users, w->remap_users.v);
	}

	if (props_started)
		pthread_join(props_thread, NULL);
	else
		merge_props(&job);
	return OKRA_OK;
}

static void par_free(ev_par *par)
{
	for (int i = 0; i < PAR_WORKERS; i++) {
		ev_worker *w = &par->w[i];
		okra__dictb_free(&w->names);
		okra__dictb_free(&w->accts);
		okra__dictb_free(&w->users);
		okra__dictb_free(&w->prop_names);
		for (uint32_t p = 0; p < w->n_props; p++) {
			free(w->props[p].pb.row.v);
			free(w->props[p].pb.num.v);
			free(w->props[p].pb.str.v);
			okra__dictb_free(&w->props[p].pb.dict);
			free(w->props[p].remap.v);
		}
		free(w->props);
		free(w->name_line.v);
		free(w->key_prop.v);
		free(w->ts.v);
		free(w->name.v);
		free(w->acct.v);
		free(w->user.v);
		free(w->marks.v);
		free(w->remap_names.v);
		free(w->remap_accts.v);
		free(w->remap_users.v);
		for (int s = 0; s < PAR_SLOTS; s++) {
			free(par->batch[i][s].rows);
			free(par->batch[i][s].cells.v);
			free(par->batch[i][s].chars.v);
		}
	}
	for (size_t k = 0; k < par->n_recs; k++) {
		okra__buf_free(&par->recs[k]->rejected);
		free(par->recs[k]);
	}
	free(par->recs);
	for (uint64_t i = 0; i < par->files.n; i++)
		free(par->files.v[i]);
	free(par->files.v);
	okra__dictb_free(&par->keys);
}

/* Reads the events table with the worker threads. */
static okra_rc read_events(ingest *ig, const okra_table_source *src,
                           const role_map *roles)
{
	ev_par *par = calloc(1, sizeof(*par));
	if (!par)
		return nomem(ig->err);
	par->ig = ig;
	par->roles = roles;
	atomic_init(&par->stop, false);
	pthread_mutex_init(&par->mu, NULL);
	pthread_cond_init(&par->cv, NULL);
	pthread_mutex_init(&par->keys_mu, NULL);
	okra_rc rc = OKRA_OK;
	for (int i = 0; i < PAR_WORKERS; i++) {
		ev_worker *w = &par->w[i];
		w->par = par;
		w->id = i;
		w->ng_names = ig->names.n;
		w->ng_accts = ig->accounts.ids.n;
		w->ng_users = ig->users.ids.n;
		if (pthread_create(&w->thread, NULL, ev_worker_main, w) != 0) {
			rc = okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0,
			                   "cannot start a thread");
			break;
		}
		w->started = true;
	}
	double cpu0 = thread_cpu();
	if (rc == OKRA_OK)
		rc = read_table(ig, T_EVENTS, src, roles, NULL, par);
	double reader_cpu = thread_cpu() - cpu0;
	par_submit(par);
	pthread_mutex_lock(&par->mu);
	par->done = true;
	pthread_cond_broadcast(&par->cv);
	pthread_mutex_unlock(&par->mu);
	for (int i = 0; i < PAR_WORKERS; i++)
		if (par->w[i].started)
			pthread_join(par->w[i].thread, NULL);
	/* A batch's error comes before the reader's (it is earlier in the
	 * file); without one, the reader's error stands. */
	okra_err reader_err = *ig->err;
	struct timespec tp;
	clock_gettime(CLOCK_MONOTONIC, &tp);
	okra_rc merged = par_merge(par, ig);
	trace("ingest: events merge", &tp);
	if (getenv("OKRA_TRACE"))
		fprintf(stderr, "trace: events cpu: reader %.3f s, workers %.3f s, "
		        "%.3f s\n", reader_cpu, par->w[0].cpu, par->w[1].cpu);
	if (merged == OKRA_OK && rc) {
		*ig->err = reader_err;
	} else {
		rc = merged;
	}
	par_free(par);
	pthread_mutex_destroy(&par->mu);
	pthread_cond_destroy(&par->cv);
	pthread_mutex_destroy(&par->keys_mu);
	free(par);
	return rc;
}

/* ---------------------------------------------------------------------
 * Ordering
 * --------------------------------------------------------------------- */

typedef struct ts_row {
	int64_t ts;
	uint32_t row;
} ts_row;

static int cmp_ts_row(const void *pa, const void *pb)
{
	const ts_row *a = pa, *b = pb;
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return a->row < b->row ? -1 : a->row > b->row;
}

/* Sorts rows[lo..hi) (row numbers) by (ts, row) unless already sorted. */
static bool sort_block(uint32_t *rows, uint64_t lo, uint64_t hi,
                       const int64_t *ts, ts_row **scratch, uint64_t *cap)
{
	bool sorted = true;
	for (uint64_t i = lo + 1; i < hi && sorted; i++)
		sorted = ts[rows[i - 1]] <= ts[rows[i]];
	if (sorted)
		return true;
	uint64_t n = hi - lo;
	if (!vgrow((void **)scratch, cap, n, sizeof(ts_row)))
		return false;
	for (uint64_t i = 0; i < n; i++)
		(*scratch)[i] = (ts_row){ts[rows[lo + i]], rows[lo + i]};
	qsort(*scratch, n, sizeof(ts_row), cmp_ts_row);
	for (uint64_t i = 0; i < n; i++)
		rows[lo + i] = (*scratch)[i].row;
	return true;
}

/* Counting sort of rows by key (n_keys + 1 buckets, OKRA_NONE last),
 * stable; then each bucket by time.  off gets n_keys + 2 entries. */
static bool order_by(const uint32_t *key, uint64_t n, uint32_t n_keys,
                     const int64_t *ts, uint32_t **rows_out, uint64_t **off_out)
{
	uint64_t *off = calloc((size_t)n_keys + 2, sizeof(*off));
	uint32_t *rows = big_malloc(n * sizeof(*rows));
	ts_row *scratch = NULL;
	uint64_t cap = 0;
	if (!off || !rows)
		goto fail;
	for (uint64_t i = 0; i < n; i++)
		off[(key[i] == OKRA_NONE ? n_keys : key[i]) + 1]++;
	for (uint32_t k = 0; k <= n_keys; k++)
		off[k + 1] += off[k];
	{
		uint64_t *pos = malloc(((size_t)n_keys + 1) * sizeof(*pos));
		if (!pos)
			goto fail;
		memcpy(pos, off, ((size_t)n_keys + 1) * sizeof(*pos));
		for (uint64_t i = 0; i < n; i++)
			rows[pos[key[i] == OKRA_NONE ? n_keys : key[i]]++] = (uint32_t)i;
		free(pos);
	}
	for (uint32_t k = 0; k <= n_keys; k++)
		if (!sort_block(rows, off[k], off[k + 1], ts, &scratch, &cap))
			goto fail;
	free(scratch);
	*rows_out = rows;
	*off_out = off;
	return true;
fail:
	free(scratch);
	free(off);
	free(rows);
	return false;
}

/* ---------------------------------------------------------------------
 * Entry point
 * --------------------------------------------------------------------- */

static void free_entity(entity_builder *e)
{
	okra__dictb_free(&e->ids);
	free(e->created.v);
	free(e->known.v);
	free(e->account.v);
	for (uint32_t i = 0; i < e->n_attrs; i++) {
		free(e->attrs[i].code.v);
		free(e->attrs[i].num.v);
		okra__dictb_free(&e->attrs[i].dict);
	}
	free(e->attrs);
	okra__dictb_free(&e->attr_names);
}

static void free_ingest(ingest *ig)
{
	free_entity(&ig->accounts);
	free_entity(&ig->users);
	okra__dictb_free(&ig->names);
	okra__dictb_free(&ig->prop_names);
	for (uint32_t i = 0; i < ig->n_props; i++) {
		free(ig->props[i].row.v);
		free(ig->props[i].num.v);
		free(ig->props[i].str.v);
		okra__dictb_free(&ig->props[i].dict);
	}
	free(ig->props);
	free(ig->ts.v);
	free(ig->name.v);
	free(ig->acct.v);
	free(ig->user.v);
	free(ig->rev_account.v);
	free(ig->rev_open.v);
	free(ig->rev_month.v);
	free(ig->rev_mrr.v);
	okra__dictb_free(&ig->rev_keys);
	for (int i = 0; i < 4; i++)
		okra__buf_free(&ig->rejected[i]);
	free(ig->col_role);
	free(ig->col_prop);
}

static okra_rc nomem(okra_err *err)
{
	return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* ---------------------------------------------------------------------
 * Assembly: builders into the dataset
 * --------------------------------------------------------------------- */

static void *own(okra_data *d, void *p)
{
	if (!p)
		return NULL;
	if (d->n_owned == d->cap_owned) {
		size_t cap = d->cap_owned ? d->cap_owned * 2 : 64;
		void **o = realloc(d->owned, cap * sizeof(*o));
		if (!o) {
			free(p);
			return NULL;
		}
		d->owned = o;
		d->cap_owned = cap;
	}
	d->owned[d->n_owned++] = p;
	return p;
}

/* Moves a builder's storage into a finished dictionary owned by d. */
static bool take_dict(okra_data *d, okra_dict *out, okra_dict_builder *b)
{
	memset(out, 0, sizeof(*out));
	out->n = b->n;
	if (b->n == 0) {
		static const uint64_t zero_off[1] = {0};
		out->off = zero_off;
		out->pool = "";
		okra__dictb_free(b);
		return true;
	}
	out->pool = own(d, b->pool);
	out->off = own(d, b->off);
	b->pool = NULL;
	b->off = NULL;
	okra__dictb_free(b);
	return out->pool && out->off;
}

static bool take_entity(okra_data *d, okra_entity_table *t, entity_builder *e)
{
	if (!entity_fill(e))
		return false;
	t->n = e->ids.n;
	t->created = own(d, e->created.v);
	t->known = own(d, e->known.v);
	t->account = own(d, e->account.v);
	e->created.v = NULL;
	e->known.v = NULL;
	e->account.v = NULL;
	if (t->n && (!t->created || !t->known || !t->account))
		return false;
	if (!take_dict(d, &t->ids, &e->ids))
		return false;
	t->n_attrs = e->n_attrs;
	t->attrs = okra__arena_alloc(&d->arena, (e->n_attrs + 1) * sizeof(*t->attrs));
	if (!t->attrs)
		return false;
	for (uint32_t i = 0; i < e->n_attrs; i++) {
		struct attr_builder *ab = &e->attrs[i];
		okra_attr *at = &t->attrs[i];
		at->name = okra__arena_strdup(&d->arena, e->attr_names.pool +
		                                             e->attr_names.off[i]);
		at->code = own(d, ab->code.v);
		at->num = own(d, ab->num.v);
		ab->code.v = NULL;
		ab->num.v = NULL;
		if (!at->name || (t->n && (!at->code || !at->num)) ||
		    !take_dict(d, &at->dict, &ab->dict))
			return false;
	}
	return true;
}

/* Puts column src (elements of size) into account order. */
static void *permute(okra_data *d, const void *src, size_t size,
                     const uint32_t *rows, uint64_t n)
{
	char *out = big_malloc(n * size);
	if (!out)
		return NULL;
	for (uint64_t i = 0; i < n; i++)
		memcpy(out + i * size, (const char *)src + (uint64_t)rows[i] * size, size);
	return own(d, out);
}

static bool take_props(ingest *ig, okra_data *d, const uint32_t *inv,
                       uint64_t n)
{
	d->n_props = ig->n_props;
	d->props = okra__arena_alloc(&d->arena, (ig->n_props + 1) * sizeof(*d->props));
	if (!d->props)
		return false;
	/* at[new_row] = index + 1 of the property's value on that row. */
	uint32_t *at = ig->n_props ? big_calloc(n, sizeof(*at)) : NULL;
	if (ig->n_props && !at)
		return false;
	bool ok = true;
	for (uint32_t p = 0; ok && p < ig->n_props; p++) {
		prop_builder *pb = &ig->props[p];
		okra_prop *out = &d->props[p];
		out->name = okra__arena_strdup(&d->arena, ig->prop_names.pool +
		                                              ig->prop_names.off[p]);
		out->n = pb->row.n;
		uint32_t *row = own(d, big_malloc((pb->row.n + 1) * sizeof(*row)));
		double *num = own(d, big_malloc((pb->row.n + 1) * sizeof(*num)));
		uint32_t *str = pb->has_str
			? own(d, big_malloc((pb->row.n + 1) * sizeof(*str))) : NULL;
		if (!out->name || !row || !num || (pb->has_str && !str)) {
			ok = false;
			break;
		}
		for (uint64_t i = 0; i < pb->row.n; i++)
			at[inv[pb->row.v[i]]] = (uint32_t)i + 1;
		uint64_t k = 0;
		for (uint64_t r = 0; r < n; r++) {
			if (!at[r])
				continue;
			uint32_t i = at[r] - 1;
			at[r] = 0;
			row[k] = (uint32_t)r;
			num[k] = pb->num.v[i];
			if (str)
				str[k] = pb->str.v[i];
			k++;
		}
		out->row = row;
		out->num = num;
		out->str = str;
		ok = take_dict(d, &out->dict, &pb->dict);
	}
	free(at);
	return ok;
}

okra_rc okra__ingest(const okra_workspace *ws, const okra__ingest_opts *opt,
                     okra_ingest_result *res, okra_err *err)
{
	okra_rc rc = OKRA_OK;
	ingest ig = {.ws = ws, .opt = *opt, .err = err, .stats = &res->stats};
	memset(res, 0, sizeof(*res));
	ig.now = opt->now;
	okra_data *d = &res->data;
	const okra_workspace_settings *s = &ws->settings;
	uint32_t *rows = NULL, *inv = NULL;
	uint64_t *off = NULL;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);

	if (!s->events.is_set && !s->accounts.is_set && !s->users.is_set &&
	    !s->revenue.is_set) {
		rc = okra__err_set(err, OKRA_ERR_CONFIG, "okra.yaml", 0, 0,
		                   "no data: name the tables under data: in okra.yaml, e.g. data: {events: data/events.csv}");
		goto out;
	}
	static const char *const acc_names[] = {"account_id", "created_at"};
	static const int acc_roles[] = {ROLE_ACCOUNT, ROLE_CREATED};
	static const char *const usr_names[] = {"user_id", "account_id", "created_at"};
	static const int usr_roles[] = {ROLE_USER, ROLE_ACCOUNT, ROLE_CREATED};
	static const char *const ev_names[] = {"timestamp", "event", "account_id", "user_id"};
	static const int ev_roles[] = {ROLE_TS, ROLE_EVENT, ROLE_ACCOUNT, ROLE_USER};
	static const char *const rev_names[] = {"account_id", "month", "mrr", "currency"};
	static const int rev_roles[] = {ROLE_ACCOUNT, ROLE_MONTH, ROLE_MRR, ROLE_CURRENCY};
	static const char *const per_names[] = {"account_id", "start", "end", "mrr"};
	static const int per_roles[] = {ROLE_ACCOUNT, ROLE_START, ROLE_END, ROLE_MRR};
	role_map m;
	if (s->accounts.is_set) {
		role_map_init(&m, &s->accounts, acc_names, acc_roles, 2);
		if ((rc = read_table(&ig, T_ACCOUNTS, &s->accounts, &m, do_entity, NULL)))
			goto out;
	}
	if (s->users.is_set) {
		role_map_init(&m, &s->users, usr_names, usr_roles, 3);
		if ((rc = read_table(&ig, T_USERS, &s->users, &m, do_entity, NULL)))
			goto out;
	}
	struct timespec tp = t0;
	trace("ingest: accounts, users", &tp);
	/* Events are optional: a revenue-only workspace has none. */
	role_map_init(&m, &s->events, ev_names, ev_roles, 4);
	if (s->events.is_set &&
	    (rc = read_events(&ig, &s->events, &m)))
		goto out;
	trace("ingest: events read", &tp);
	if (s->revenue.is_set) {
		if (s->revenue.is_periods) {
			role_map_init(&m, &s->revenue, per_names, per_roles, 4);
			rc = read_table(&ig, T_REVENUE, &s->revenue, &m, do_period, NULL);
		} else {
			role_map_init(&m, &s->revenue, rev_names, rev_roles, 4);
			rc = read_table(&ig, T_REVENUE, &s->revenue, &m, do_revenue, NULL);
		}
		if (rc)
			goto out;
		/* Overlapping periods add up: merge rows of one account-month. */
		d->has_revenue = true;
	}

	/* Entities. */
	if (!take_entity(d, &d->users, &ig.users) ||
	    !take_entity(d, &d->accounts, &ig.accounts)) {
		rc = nomem(err);
		goto out;
	}
	/* Events into account order, then the user permutation. */
	uint64_t n = ig.ts.n;
	d->n_events = n;
	if (!order_by(ig.acct.v, n, d->accounts.n, ig.ts.v, &rows, &off)) {
		rc = nomem(err);
		goto out;
	}
	d->acct_off = own(d, off);
	off = NULL;
	trace("ingest: account order", &tp);
	int64_t *ts = permute(d, ig.ts.v, sizeof(int64_t), rows, n);
	d->name = permute(d, ig.name.v, sizeof(uint16_t), rows, n);
	d->user = permute(d, ig.user.v, sizeof(uint32_t), rows, n);
	inv = big_malloc(n * sizeof(*inv));
	if (!d->acct_off || !ts || !d->name || !d->user || !inv) {
		rc = nomem(err);
		goto out;
	}
	for (uint64_t i = 0; i < n; i++)
		inv[rows[i]] = (uint32_t)i;
	free(rows);
	rows = NULL;
	uint32_t *urows;
	if (!order_by(d->user, n, d->users.n, ts, &urows, &off)) {
		rc = nomem(err);
		goto out;
	}
	d->user_rows = own(d, urows);
	d->user_off = own(d, off);
	off = NULL;
	trace("ingest: permute, user order", &tp);
	if (!d->user_rows || !d->user_off || !take_props(&ig, d, inv, n) ||
	    !take_dict(d, &d->names, &ig.names)) {
		rc = nomem(err);
		goto out;
	}
	trace("ingest: properties", &tp);
	/* Timestamps into seconds since the first one, plus microseconds
	 * only when some event has a fraction. */
	d->min_ts = d->max_ts = 0;
	for (uint64_t i = 0; i < n; i++) {
		if (i == 0 || ts[i] < d->min_ts)
			d->min_ts = ts[i];
		if (i == 0 || ts[i] > d->max_ts)
			d->max_ts = ts[i];
	}
	d->ts_base = d->min_ts / 1000000;
	uint32_t *sec = own(d, big_malloc(n * sizeof(*sec)));
	if (!sec) {
		rc = nomem(err);
		goto out;
	}
	bool fractions = false;
	for (uint64_t i = 0; i < n; i++) {
		sec[i] = (uint32_t)(ts[i] / 1000000 - d->ts_base);
		fractions |= ts[i] % 1000000 != 0;
	}
	d->ts_sec = sec;
	if (fractions) {
		uint32_t *us = own(d, big_malloc(n * sizeof(*us)));
		if (!us) {
			rc = nomem(err);
			goto out;
		}
		for (uint64_t i = 0; i < n; i++)
			us[i] = (uint32_t)(ts[i] % 1000000);
		d->ts_us = us;
	}

	/* Revenue: rows as read; periods of one account-month add up. */
	d->revenue.n = ig.rev_account.n;
	d->revenue.account = own(d, ig.rev_account.v);
	d->revenue.month = own(d, ig.rev_month.v);
	d->revenue.mrr = own(d, ig.rev_mrr.v);
	d->revenue.open = own(d, ig.rev_open.v);
	ig.rev_open.v = NULL;
	ig.rev_account.v = NULL;
	ig.rev_month.v = NULL;
	ig.rev_mrr.v = NULL;
	if (d->arena.failed) {
		rc = nomem(err);
		goto out;
	}
	for (int t = 0; t < 4; t++) {
		res->rejected[t] = ig.rejected[t];
		memset(&ig.rejected[t], 0, sizeof(ig.rejected[t]));
	}
	res->stats.entities = d->accounts.n + d->users.n;
	res->stats.min_ts = d->min_ts;
	res->stats.max_ts = d->max_ts;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->stats.seconds = (double)(t1.tv_sec - t0.tv_sec) +
	                     (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
out:
	free(rows);
	free(inv);
	free(off);
	free_ingest(&ig);
	if (rc)
		okra__data_free(d);
	return rc;
}
