/*
 * ingest.c - reads the data files into the columnar dataset.
 *
 * Accounts and users first (they define the known ids and the user ->
 * account fill), then events (ingest_par.c, on worker threads), then
 * revenue; with two threads the users table is read beside the accounts
 * table and the revenue table after it, their account ids merged where
 * one thread would have met them.  Rows become columns with no per-row
 * allocation: ids and names are interned into dictionaries, properties go to
 * sparse columns. Finally the events are put in (account, time) order with the
 * (user, time) permutation (ingest_order.c).  A malformed row stops the load
 * (or, with skip_bad_rows, goes to the rejected list with its reason);
 * nothing is written here.
 */
#include "engine/ingest_int.h"

#include <glob.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

const char *const okra__ingest_tables[4] = {"events", "accounts", "users",
                                            "revenue"};

/* ---------------------------------------------------------------------
 * Helpers: tracing, memory, threads
 * --------------------------------------------------------------------- */

bool okra__ingest_tracing(void)
{
	static int on = -1;
	if (on < 0)
		on = getenv("OKRA_TRACE") != NULL;
	return on;
}

/* The process's resident and peak resident memory, in MiB (Linux). */
static void rss(long *now, long *peak)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	*now = *peak = 0;
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "VmRSS:", 6) == 0)
			*now = strtol(line + 6, NULL, 10) / 1024;
		else if (strncmp(line, "VmHWM:", 6) == 0)
			*peak = strtol(line + 6, NULL, 10) / 1024;
	}
	if (f)
		fclose(f);
}

/* OKRA_TRACE=1 prints the time of each phase to stderr (profiling), and
 * the memory resident after it. */
void okra__ingest_trace(const char *phase, struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (okra__ingest_tracing()) {
		long now, peak;
		rss(&now, &peak);
		fprintf(stderr,
		        "trace: %-24s %8.3f s  rss %6ld MiB, peak %6ld MiB\n",
		        phase,
		        (double)(t1.tv_sec - t0->tv_sec) +
		            (double)(t1.tv_nsec - t0->tv_nsec) / 1e9,
		        now, peak);
	}
	*t0 = t1;
}

double okra__ingest_thread_cpu(void)
{
	struct timespec t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

okra_rc okra__ingest_nomem(okra_err *err)
{
	return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

#define HUGE_PAGE ((size_t)2 << 20)

bool okra__ingest_grow(void **v, uint64_t *cap, uint64_t need, size_t size)
{
	if (need <= *cap)
		return true;
	uint64_t c = *cap ? *cap : 1024;
	while (c < need)
		c *= 2;
	void *p = realloc(*v, c * size);
	if (!p)
		return false;
	*v = okra__hugepages(p, c * size);
	*cap = c;
	return true;
}

/* Arrays of a megabyte or more are aligned to huge pages and rounded up
 * to them, so even a part's columns of 1-2 MiB get one. */
void *okra__ingest_alloc(size_t bytes)
{
	if (bytes < ((size_t)1 << 20))
		return malloc(bytes ? bytes : 1);
	size_t size = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	void *p = NULL;
	if (posix_memalign(&p, HUGE_PAGE, size) != 0)
		return NULL;
	madvise(p, size, MADV_HUGEPAGE);
	return p;
}

/* Part arrays of a megabyte or more are mappings of their own (aligned
 * huge pages): freed, they go back at once, where freed heap chunks
 * would linger between the parts' growing arrays. */
#define MAP_MIN ((size_t)1 << 20)

void *okra__ingest_map(size_t bytes)
{
	if (bytes < MAP_MIN)
		return calloc(1, bytes ? bytes : 1);
	size_t size = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	char *p = mmap(NULL, size + HUGE_PAGE, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	uintptr_t at =
	    ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	size_t head = at - (uintptr_t)p;
	if (head)
		munmap(p, head);
	if (HUGE_PAGE - head)
		munmap((char *)at + size, HUGE_PAGE - head);
	madvise((void *)at, size, MADV_HUGEPAGE);
	return (void *)at;
}

void okra__ingest_unmap(void *p, size_t bytes)
{
	if (!p)
		return;
	if (bytes < MAP_MIN)
		free(p);
	else
		munmap(p, (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1));
}

size_t okra__ingest_shrink(void *p, size_t old, size_t bytes)
{
	if (old < MAP_MIN || bytes < MAP_MIN)
		return old;
	size_t a = (old + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	size_t b = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	if (b < a)
		munmap((char *)p + b, a - b);
	return bytes;
}

size_t okra__ingest_mapped(size_t bytes)
{
	return bytes < MAP_MIN ? bytes
	                       : (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

void okra__ingest_drop(void *map, size_t map_len, void *p, size_t bytes)
{
	if (!map || map_len < MAP_MIN)
		return;
	uintptr_t lo = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
	uintptr_t hi = ((uintptr_t)p + bytes) & ~(uintptr_t)4095;
	if (hi > lo)
		madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

void *okra__ingest_remap(void *p, size_t old, size_t bytes)
{
	if (old < MAP_MIN && bytes < MAP_MIN) {
		char *q = realloc(p, bytes ? bytes : 1);
		if (q && bytes > old)
			memset(q + old, 0, bytes - old);
		return q;
	}
	void *q = okra__ingest_map(bytes);
	if (q && p)
		memcpy(q, p, old < bytes ? old : bytes);
	if (q)
		okra__ingest_unmap(p, old);
	return q;
}

void okra__ingest_run(int n, void *(*fn)(void *), void *args, size_t size)
{
	pthread_t threads[16];
	bool started[16] = {false};
	if (n > 16)
		n = 16;
	for (int i = 1; i < n; i++)
		started[i] =
		    pthread_create(&threads[i], NULL, fn,
		                   (char *)args + (size_t)i * size) == 0;
	fn(args);
	for (int i = 1; i < n; i++) {
		if (started[i])
			pthread_join(threads[i], NULL);
		else
			fn((char *)args + (size_t)i * size);
	}
}

/* The ingest threads: OKRA_THREADS, else the processors online (at most
 * 8); a load on any number of threads gives the same cache. */
static int ingest_threads(void)
{
	const char *env = getenv("OKRA_THREADS");
	long n = env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

/* ---------------------------------------------------------------------
 * Bad rows
 * --------------------------------------------------------------------- */

void okra__ingest_csv_field(okra_buf *b, const char *s, size_t len)
{
	okra__buf_putc(b, '"');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			okra__buf_putc(b, '"');
		okra__buf_putc(b, s[i]);
	}
	okra__buf_putc(b, '"');
}

void okra__ingest_rejected_header(okra_buf *b)
{
	if (b->len == 0)
		okra__buf_puts(b, "file,line,reason,record\n");
}

/* Handles a malformed row: stop (return the error) or record and go on. */
static okra_rc bad_row(ingest *ig, int table, const char *file,
                       const okra_row *row, const char *reason)
{
	if (!ig->opt.skip_bad_rows)
		return okra__err_set(ig->err, OKRA_ERR_DATA, file,
		                     row ? (int)row->line : 0, 0, "%s", reason);
	okra_buf *b = &ig->rejected[table];
	okra__ingest_rejected_header(b);
	okra__ingest_csv_field(b, file, strlen(file));
	okra__buf_printf(b, ",%lld,", row ? (long long)row->line : 0LL);
	okra__ingest_csv_field(b, reason, strlen(reason));
	okra__buf_putc(b, ',');
	if (row && row->raw)
		okra__ingest_csv_field(b, row->raw, row->raw_len);
	okra__buf_putc(b, '\n');
	ig->stats->rejected[table]++;
	return b->failed ? okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0,
	                                 "out of memory")
	                 : OKRA_OK;
}

/* ---------------------------------------------------------------------
 * Column roles: which canonical column each file column is
 * --------------------------------------------------------------------- */

static void role_map_init(role_map *m, const okra_table_source *t,
                          const char *const *names, const int *roles, size_t n)
{
	m->n = n;
	m->src = t;
	for (size_t i = 0; i < n; i++) {
		m->canonical[i] = names[i];
		m->roles[i] = roles[i];
		m->source[i] = names[i];
		m->mapped[i] = false;
		for (size_t j = 0; j < t->n_columns; j++)
			if (strcmp(t->column_names[j], names[i]) == 0) {
				m->source[i] = t->column_sources[j];
				m->mapped[i] = true;
			}
	}
}

int okra__ingest_role_of(const role_map *m, const char *key, size_t len)
{
	for (size_t i = 0; i < m->n; i++)
		if (strlen(m->source[i]) == len &&
		    memcmp(m->source[i], key, len) == 0)
			return m->roles[i];
	return ROLE_PROP;
}

/* Grows a per-column table of entries of size bytes (*cap of them) to
 * hold column; the new entries have every bit set: -1 or OKRA_NONE, the
 * tables' "not looked up yet". */
static bool column_table(void **table, size_t *cap, size_t column, size_t size)
{
	if (column < *cap)
		return true;
	size_t n = *cap ? *cap : 64;
	while (n <= column)
		n *= 2;
	char *t = realloc(*table, n * size);
	if (!t)
		return false;
	memset(t + *cap * size, 0xff, (n - *cap) * size);
	*table = t;
	*cap = n;
	return true;
}

/* The role of a cell's column, cached per file. */
static int cell_role_slow(ingest *ig, const role_map *m, const okra_cell *c)
{
	if (!column_table((void **)&ig->col_role, &ig->col_cap, c->column,
	                  sizeof(*ig->col_role)))
		return okra__ingest_role_of(m, c->key, c->key_len);
	if (ig->col_role[c->column] < 0)
		ig->col_role[c->column] =
		    okra__ingest_role_of(m, c->key, c->key_len);
	return ig->col_role[c->column];
}

/* The role of a cell's column, looked up once per file and column. */
static inline int cell_role(ingest *ig, const role_map *m, const okra_cell *c)
{
	if (c->column < ig->col_cap && ig->col_role[c->column] >= 0)
		return ig->col_role[c->column];
	return cell_role_slow(ig, m, c);
}

void okra__ingest_prop_name(const char *key, size_t len, const char **name,
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

prop_builder *okra__ingest_prop_for(ingest *ig, const char *name, size_t len)
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
		memset(p + ig->cap_props, 0,
		       (cap - ig->cap_props) * sizeof(*p));
		ig->props = p;
		ig->cap_props = cap;
	}
	if (code >= ig->n_props) {
		ig->n_props = code + 1;
		ig->props[code].name = code;
	}
	return &ig->props[code];
}

/* ---------------------------------------------------------------------
 * Accounts and users
 * --------------------------------------------------------------------- */

/* Attributes every account and user has without a column: a column of
 * the same name would be hidden behind them. */
static const char *const builtin_attrs[] = {"cohort"};

static bool is_builtin_attr(const char *name, size_t len)
{
	for (size_t i = 0; i < OKRA_ARRAY_LEN(builtin_attrs); i++)
		if (strlen(builtin_attrs[i]) == len &&
		    memcmp(builtin_attrs[i], name, len) == 0)
			return true;
	return false;
}

static okra_rc builtin_clash(okra_err *err, const char *file, int line,
                             const char *name)
{
	return okra__err_set(err, OKRA_ERR_DATA, file, line, 0,
	                     "column \"%s\" has the name of a built-in "
	                     "attribute (%s is the signup month), which would "
	                     "hide it; rename the column",
	                     name, name);
}

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
	bool ok =
	    okra__ingest_grow((void **)&e->created.v, &e->created.cap, n,
	                      sizeof(int64_t)) &&
	    okra__ingest_grow((void **)&e->known.v, &e->known.cap, n, 1) &&
	    okra__ingest_grow((void **)&e->account.v, &e->account.cap, n,
	                      sizeof(uint32_t));
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
		/* At once to the room the table's rows were given. */
		if (n > ab->code.cap &&
		    !okra__ingest_grow((void **)&ab->code.v, &ab->code.cap,
		                       n > e->created.cap ? n : e->created.cap,
		                       sizeof(uint32_t)))
			return false;
		for (; ab->code.n < n; ab->code.n++)
			ab->code.v[ab->code.n] = OKRA_NONE;
	}
	return true;
}

bool okra__ingest_timestamp_bad(const char *val, size_t len, const char *column,
                                int64_t now, int64_t *out, char *reason,
                                size_t size)
{
	if (!okra__parse_timestamp(val, len, out)) {
		snprintf(reason, size, "%s: unparseable timestamp \"%.40s\"",
		         column, val);
		return true;
	}
	if (*out < 0) {
		snprintf(reason, size, "%s: timestamp before 1970 \"%.40s\"",
		         column, val);
		return true;
	}
	if (*out > now + OKRA_MICROS_PER_DAY) {
		snprintf(
		    reason, size,
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
	*bad = okra__ingest_timestamp_bad(c->val, c->val_len, column, ig->now,
	                                  out, reason, sizeof(reason));
	return *bad ? bad_row(ig, table, file, row, reason) : OKRA_OK;
}

/* The code of an account id (added when new).  The rows of the users and
 * revenue tables usually come grouped by account: the last id is kept,
 * so a run of one account's rows looks it up once. */
static uint32_t account_code(ingest *ig, const char *s, size_t len)
{
	if (ig->last_acct != OKRA_NONE && len == ig->last_acct_len &&
	    memcmp(s, ig->last_acct_id, len) == 0)
		return ig->last_acct;
	uint32_t c = ig->known_accts ? okra__dictb_find(ig->known_accts, s, len)
	                             : OKRA_NONE;
	if (c == OKRA_NONE) {
		c = okra__dictb_intern(&ig->accounts.ids, s, len);
		if (c != OKRA_NONE && ig->known_accts)
			c = c < UINT32_MAX - 1 - ig->known_n ? c + ig->known_n
			                                     : OKRA_NONE;
	}
	if (c != OKRA_NONE && len <= sizeof(ig->last_acct_id)) {
		memcpy(ig->last_acct_id, s, len);
		ig->last_acct_len = len;
		ig->last_acct = c;
	}
	return c;
}

/* The attribute of a cell's column (an index in e->attrs), looked up
 * once per file: the first row that has the column checks its name. */
static okra_rc column_attr(ingest *ig, entity_builder *e, const char *file,
                           const okra_row *row, const okra_cell *c,
                           uint32_t *out)
{
	if (!column_table((void **)&ig->col_attr, &ig->attr_cap, c->column,
	                  sizeof(*ig->col_attr)))
		return okra__ingest_nomem(ig->err);
	if (ig->col_attr[c->column] == OKRA_NONE) {
		const char *name;
		size_t name_len;
		okra__ingest_prop_name(c->key, c->key_len, &name, &name_len);
		if (is_builtin_attr(name, name_len))
			return builtin_clash(ig->err, file, (int)row->line,
			                     name);
		struct attr_builder *ab = attr_for(ig, e, name, name_len);
		if (!ab)
			return okra__ingest_nomem(ig->err);
		ig->col_attr[c->column] = (uint32_t)(ab - e->attrs);
	}
	*out = ig->col_attr[c->column];
	return OKRA_OK;
}

/* One row of accounts or users.  The users' accounts are interned into
 * ig->accounts.ids (with the users table read beside the accounts table,
 * a dictionary of the users table's own, merged after). */
/* The code of an attribute's value, interned when new; a short one met
 * lately is found by its bytes (a few labels make most of a column). */
static uint32_t attr_value(struct attr_builder *ab, const char *s, size_t len)
{
	uint64_t w0, w1;
	struct value_memo *vm = NULL;
	if (len && len <= 16) {
		vm = &ab->memo[okra__short_key(s, len, &w0, &w1,
		                               VALUE_MEMO_BITS)];
		if (vm->len == len && vm->w0 == w0 && vm->w1 == w1)
			return vm->str;
	}
	uint32_t v = okra__dictb_intern(&ab->dict, s, len);
	if (vm && v != OKRA_NONE)
		*vm = (struct value_memo){w0, w1, NAN, (uint32_t)len, v};
	return v;
}

static okra_rc entity_row(ingest *ig, int table, const char *file,
                          const okra_row *row, const role_map *roles)
{
	entity_builder *e = table == T_ACCOUNTS ? &ig->accounts : &ig->users;
	const okra_cell *id = NULL, *created = NULL, *account = NULL;
	bool attrs = false;
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
		else if (role == ROLE_PROP)
			attrs = true;
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
		acct = account_code(ig, account->val, account->val_len);
		if (acct == OKRA_NONE)
			return okra__ingest_nomem(ig->err);
	}
	uint32_t before = e->ids.n;
	uint32_t code = okra__dictb_intern(&e->ids, id->val, id->val_len);
	if (code == OKRA_NONE)
		return okra__ingest_nomem(ig->err);
	if (code < before && e->known.v[code]) {
		snprintf(reason, sizeof(reason), "%s: duplicate id \"%.60s\"",
		         id_col, id->val);
		return bad_row(ig, table, file, row, reason);
	}
	/* Attributes: every other column. */
	for (size_t i = 0; attrs && i < row->n_cells; i++) {
		const okra_cell *c = &row->cells[i];
		uint32_t a;
		if (cell_role(ig, roles, c) == ROLE_PROP &&
		    (rc = column_attr(ig, e, file, row, c, &a)))
			return rc;
	}
	if (!entity_fill(e))
		return okra__ingest_nomem(ig->err);
	e->created.v[code] = ts;
	e->known.v[code] = 1;
	if (table == T_USERS)
		e->account.v[code] = acct;
	for (size_t i = 0; attrs && i < row->n_cells; i++) {
		const okra_cell *c = &row->cells[i];
		if (c->type == OKRA_CELL_ABSENT ||
		    cell_role(ig, roles, c) != ROLE_PROP)
			continue;
		struct attr_builder *ab = &e->attrs[ig->col_attr[c->column]];
		uint32_t v = attr_value(ab, c->val, c->val_len);
		if (v == OKRA_NONE)
			return okra__ingest_nomem(ig->err);
		if (v == ab->val_num.n) {
			/* A new value: its number, once. */
			double num;
			bool ok = true;
			VPUSH(ab->val_num,
			      okra__parse_double(c->val, c->val_len, &num)
			          ? num
			          : NAN,
			      ok);
			if (!ok)
				return okra__ingest_nomem(ig->err);
		}
		ab->code.v[code] = v;
	}
	return OKRA_OK;
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

/* A revenue month after the month following the load is malformed (as a
 * timestamp more than a day in the future is): such rows would give
 * nothing but zeros.  True (and the reason) when it is. */
static bool month_too_late(const ingest *ig, int32_t month, const char *column,
                           const char *val, char *reason, size_t size)
{
	if (month <= ig->last_month)
		return false;
	snprintf(reason, size,
	         "%s: \"%.40s\" is in the future (later than the month "
	         "after the load)",
	         column, val);
	return true;
}

/* One currency per workspace: the first row naming one sets it; a row in
 * another is malformed.  An empty currency is the workspace's. */
static okra_rc check_currency(ingest *ig, const char *file, const okra_row *row,
                              const okra_cell *c, const char *column, bool *bad)
{
	char reason[512];
	*bad = false;
	if (!c || c->type == OKRA_CELL_ABSENT)
		return OKRA_OK;
	char code[sizeof(ig->currency)];
	size_t n = c->val_len;
	if (n >= sizeof(code)) {
		snprintf(reason, sizeof(reason),
		         "%s: \"%.40s\" is not a currency code", column,
		         c->val);
		*bad = true;
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	for (size_t i = 0; i < n; i++)
		code[i] = c->val[i] >= 'a' && c->val[i] <= 'z'
		              ? (char)(c->val[i] - 'a' + 'A')
		              : c->val[i];
	code[n] = '\0';
	if (!ig->currency[0]) {
		memcpy(ig->currency, code, n + 1);
		snprintf(ig->currency_file, sizeof(ig->currency_file), "%s",
		         file);
		ig->currency_line = row->line;
		return OKRA_OK;
	}
	if (strcmp(code, ig->currency) == 0)
		return OKRA_OK;
	snprintf(reason, sizeof(reason),
	         "%s: %s, but the revenue before is in %s (from %s:%lld); "
	         "amounts in several currencies cannot be added: convert "
	         "them to one before loading",
	         column, code, ig->currency, ig->currency_file,
	         (long long)ig->currency_line);
	*bad = true;
	return bad_row(ig, T_REVENUE, file, row, reason);
}

/* A 64-bit finalizer (murmur3's fmix64): spreads a key over the slots. */
static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	return x ^ (x >> 33);
}

/* The first slot of a pair: the account's hash plus the month, so an
 * account's months (its rows mostly come together) share cache lines. */
static inline uint64_t rev_slot(uint64_t key, uint64_t mask)
{
	return (mix64(key >> 32) + (uint32_t)key) & mask;
}

/* Grows the pairs seen to hold n pairs under 3/4 full. */
static bool rev_keys_reserve(ingest *ig, uint64_t n)
{
	if (ig->rev_keys && n * 4 <= (ig->rev_keys_mask + 1) * 3)
		return true;
	uint64_t n_slots = ig->rev_keys ? (ig->rev_keys_mask + 1) * 2 : 4096;
	while (n * 4 > n_slots * 3)
		n_slots *= 2;
	uint64_t *slots = malloc(n_slots * sizeof(*slots));
	if (!slots)
		return false;
	memset(slots, 0xff, n_slots * sizeof(*slots));
	for (uint64_t i = 0; ig->rev_keys && i <= ig->rev_keys_mask; i++) {
		uint64_t k = ig->rev_keys[i];
		if (k == UINT64_MAX)
			continue;
		uint64_t at = rev_slot(k, n_slots - 1);
		while (slots[at] != UINT64_MAX)
			at = (at + 1) & (n_slots - 1);
		slots[at] = k;
	}
	free(ig->rev_keys);
	ig->rev_keys = slots;
	ig->rev_keys_mask = n_slots - 1;
	return true;
}

static inline uint64_t pair_key(uint32_t acct, int32_t month)
{
	return (uint64_t)acct << 32 | (uint32_t)month;
}

/* Adds (account, month) to the pairs seen; *seen when it was there.
 * While the rows come in increasing pairs (a table sorted by account
 * and month, as exports mostly are) none can be a second one, and the
 * pairs are only compared with the last row's; the first row out of
 * order puts the rows kept so far into a table of the pairs, and from
 * then on each row probes an 8-byte slot of it (random accesses: the
 * revenue table of the wide shape has 1.4M rows at 10M events). */
static bool rev_key_add(ingest *ig, uint32_t acct, int32_t month, bool *seen)
{
	uint64_t key = pair_key(acct, month), n = ig->rev_account.n;
	*seen = false;
	if (!ig->rev_keys) {
		if (n == 0 || key > pair_key(ig->rev_account.v[n - 1],
		                             ig->rev_month.v[n - 1]))
			return true;
		if (!rev_keys_reserve(ig, n + 1))
			return false;
		for (uint64_t i = 0; i < n; i++) {
			uint64_t k =
			    pair_key(ig->rev_account.v[i], ig->rev_month.v[i]);
			uint64_t at = rev_slot(k, ig->rev_keys_mask);
			while (ig->rev_keys[at] != UINT64_MAX)
				at = (at + 1) & ig->rev_keys_mask;
			ig->rev_keys[at] = k;
		}
		ig->rev_keys_n = n;
	}
	if (!rev_keys_reserve(ig, ig->rev_keys_n + 1))
		return false;
	uint64_t at = rev_slot(key, ig->rev_keys_mask);
	for (; ig->rev_keys[at] != UINT64_MAX;
	     at = (at + 1) & ig->rev_keys_mask)
		if (ig->rev_keys[at] == key) {
			*seen = true;
			return true;
		}
	ig->rev_keys[at] = key;
	ig->rev_keys_n++;
	return true;
}

static okra_rc revenue_row(ingest *ig, const char *file, const okra_row *row,
                           const role_map *roles)
{
	const okra_cell *acct_c = NULL, *month_c = NULL, *mrr_c = NULL,
	                *cur_c = NULL;
	for (size_t i = 0; i < row->n_cells; i++) {
		const okra_cell *c = &row->cells[i];
		switch (cell_role(ig, roles, c)) {
		case ROLE_ACCOUNT:
			acct_c = c;
			break;
		case ROLE_MONTH:
			month_c = c;
			break;
		case ROLE_MRR:
			mrr_c = c;
			break;
		case ROLE_CURRENCY:
			cur_c = c;
			break;
		default:
			break;
		}
	}
	char reason[256];
	if (!acct_c || acct_c->type == OKRA_CELL_ABSENT) {
		snprintf(reason, sizeof(reason), "%s: empty account id",
		         roles->source[0]);
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	int32_t month;
	if (!month_c || !parse_month(month_c->val, month_c->val_len, &month)) {
		snprintf(reason, sizeof(reason),
		         "%s: bad month \"%.40s\" (YYYY-MM)", roles->source[1],
		         month_c ? month_c->val : "");
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	if (month_too_late(ig, month, roles->source[1], month_c->val, reason,
	                   sizeof(reason)))
		return bad_row(ig, T_REVENUE, file, row, reason);
	double mrr;
	if (!mrr_c || !okra__parse_double(mrr_c->val, mrr_c->val_len, &mrr)) {
		snprintf(reason, sizeof(reason),
		         "%s: unparseable number \"%.40s\"", roles->source[2],
		         mrr_c ? mrr_c->val : "");
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	if (mrr < 0) {
		snprintf(reason, sizeof(reason), "%s: negative MRR %.40s",
		         roles->source[2], mrr_c->val);
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	bool bad;
	okra_rc rc =
	    check_currency(ig, file, row, cur_c, roles->source[3], &bad);
	if (rc || bad)
		return rc;
	uint32_t acct = account_code(ig, acct_c->val, acct_c->val_len);
	if (acct == OKRA_NONE)
		return okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	/* Two rows for one account and month are malformed (SPEC 3.1). */
	bool seen;
	if (!rev_key_add(ig, acct, month, &seen))
		return okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	if (seen) {
		snprintf(
		    reason, sizeof(reason),
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
		return okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	return OKRA_OK;
}

/* Expands subscription periods into monthly rows (SPEC 2): a period adds
 * its amount to every month whose first day lies in [start, end). */
static okra_rc period_row(ingest *ig, const char *file, const okra_row *row,
                          const role_map *roles)
{
	const okra_cell *acct_c = NULL, *start_c = NULL, *end_c = NULL,
	                *mrr_c = NULL, *cur_c = NULL;
	for (size_t i = 0; i < row->n_cells; i++) {
		const okra_cell *c = &row->cells[i];
		switch (cell_role(ig, roles, c)) {
		case ROLE_ACCOUNT:
			acct_c = c;
			break;
		case ROLE_START:
			start_c = c;
			break;
		case ROLE_END:
			end_c = c;
			break;
		case ROLE_MRR:
			mrr_c = c;
			break;
		case ROLE_CURRENCY:
			cur_c = c;
			break;
		default:
			break;
		}
	}
	char reason[256];
	int64_t start, end = INT64_MAX;
	if (!acct_c || acct_c->type == OKRA_CELL_ABSENT) {
		snprintf(reason, sizeof(reason), "%s: empty account id",
		         roles->source[0]);
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	if (!start_c ||
	    !okra__parse_timestamp(start_c->val, start_c->val_len, &start) ||
	    start < 0) {
		snprintf(reason, sizeof(reason),
		         "%s: unparseable date \"%.40s\"", roles->source[1],
		         start_c ? start_c->val : "");
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	if (end_c && end_c->type != OKRA_CELL_ABSENT &&
	    (!okra__parse_timestamp(end_c->val, end_c->val_len, &end) ||
	     end < start)) {
		snprintf(reason, sizeof(reason), "%s: bad end date \"%.40s\"",
		         roles->source[2], end_c->val);
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	double mrr;
	if (!mrr_c || !okra__parse_double(mrr_c->val, mrr_c->val_len, &mrr) ||
	    mrr < 0) {
		snprintf(reason, sizeof(reason), "%s: %s \"%.40s\"",
		         roles->source[3],
		         mrr_c && okra__parse_double(mrr_c->val, mrr_c->val_len,
		                                     &mrr)
		             ? "negative MRR"
		             : "unparseable number",
		         mrr_c ? mrr_c->val : "");
		return bad_row(ig, T_REVENUE, file, row, reason);
	}
	/* Months whose first day is in [start, end).  A running period (no
	 * end) is one open row: its amount holds from its first month on,
	 * whatever the as-of month, so values never depend on the load date.
	 * A period that ends after the latest month accepted is stored as
	 * running too: the same for every month up to that one, and a few
	 * rows where an end in year 9999 would expand into a hundred
	 * thousand. */
	int y, m, d;
	okra__civil_from_days(okra__day_of(start), &y, &m, &d);
	int32_t first =
	    (y - 1970) * 12 + (m - 1) + (d > 1 || start % OKRA_MICROS_PER_DAY);
	if (month_too_late(ig, first, roles->source[1], start_c->val, reason,
	                   sizeof(reason)))
		return bad_row(ig, T_REVENUE, file, row, reason);
	bool bad;
	okra_rc rc =
	    check_currency(ig, file, row, cur_c, roles->source[4], &bad);
	if (rc || bad)
		return rc;
	if (end != INT64_MAX) {
		okra__civil_from_days(okra__day_of(end - 1), &y, &m, &d);
		if ((y - 1970) * 12 + (m - 1) > ig->last_month)
			end = INT64_MAX;
	}
	uint32_t acct = account_code(ig, acct_c->val, acct_c->val_len);
	if (acct == OKRA_NONE)
		return okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
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
		return okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
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

void okra__ingest_progress(const ingest *ig, const char *table, uint64_t done,
                           uint64_t total, uint64_t rows,
                           const struct timespec *t0)
{
	if (!ig->opt.progress)
		return;
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double pct = total ? 100.0 * (double)done / (double)total : 0;
	if (pct > 100)
		pct = 100;
	fprintf(stderr, "\r%-8s [%-30.*s] %5.1f%% %12llu rows %6.1fs", table,
	        (int)(pct * 30 / 100), "##############################", pct,
	        (unsigned long long)rows,
	        (double)(t1.tv_sec - t0->tv_sec) +
	            (double)(t1.tv_nsec - t0->tv_nsec) / 1e9);
	fflush(stderr);
}

bool okra__ingest_add_sum(ingest *ig, const char *display,
                          const okra_read_sum *sum)
{
	if (ig->n_sums == ig->cap_sums) {
		size_t cap = ig->cap_sums ? ig->cap_sums * 2 : 8;
		okra_file_sum *s = realloc(ig->sums, cap * sizeof(*s));
		if (!s)
			return false;
		ig->sums = s;
		ig->cap_sums = cap;
	}
	char *path = strdup(display);
	if (!path)
		return false;
	ig->sums[ig->n_sums++] = (okra_file_sum){.path = path,
	                                         .size = sum->size,
	                                         .mtime = sum->mtime,
	                                         .crc = sum->crc,
	                                         .changed = sum->changed};
	return true;
}

okra_rc okra__ingest_glob(ingest *ig, int table, const okra_table_source *src,
                          char ***paths, size_t *n, okra_err *err)
{
	char pattern[4096];
	snprintf(pattern, sizeof(pattern), "%s/%s", okra_workspace_root(ig->ws),
	         src->path);
	glob_t g;
	memset(&g, 0, sizeof(g));
	if (glob(pattern, 0, NULL, &g) != 0) {
		globfree(&g);
		return okra__err_set(
		    err, OKRA_ERR_DATA, src->pos.file, src->pos.line,
		    src->pos.col, "data table \"%s\": no file matches \"%s\"",
		    okra__ingest_tables[table], src->path);
	}
	/* A file and its gzip copy side by side: reading both would count
	 * every row twice. */
	size_t root_len = strlen(okra_workspace_root(ig->ws)) + 1;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *gz = g.gl_pathv[i];
		size_t len = strlen(gz);
		if (len < 4 || strcmp(gz + len - 3, ".gz") != 0)
			continue;
		for (size_t j = 0; j < g.gl_pathc; j++) {
			const char *plain = g.gl_pathv[j];
			if (strlen(plain) != len - 3 ||
			    strncmp(plain, gz, len - 3) != 0)
				continue;
			okra_rc rc = okra__err_set(
			    err, OKRA_ERR_DATA, src->pos.file, src->pos.line,
			    src->pos.col,
			    "data table \"%s\": \"%s\" matches both %s and "
			    "%s, which would count every row twice; remove "
			    "one, or narrow the pattern",
			    okra__ingest_tables[table], src->path,
			    plain + root_len, gz + root_len);
			globfree(&g);
			return rc;
		}
	}
	char **out = calloc(g.gl_pathc + 1, sizeof(*out));
	bool ok = out != NULL;
	for (size_t i = 0; ok && i < g.gl_pathc; i++)
		ok = (out[i] = strdup(g.gl_pathv[i])) != NULL;
	size_t count = g.gl_pathc;
	globfree(&g);
	if (!ok) {
		for (size_t i = 0; out && i < count; i++)
			free(out[i]);
		free(out);
		return okra__ingest_nomem(err);
	}
	*paths = out;
	*n = count;
	return OKRA_OK;
}

/* Does column name col start the dotted path src ("properties" of
 * "properties.$group_0")? */
static bool path_in_column(const char *src, const char *col)
{
	size_t len = strlen(col);
	return strncmp(src, col, len) == 0 && src[len] == '.' && src[len + 1];
}

/* Which header columns are JSON objects: those of json_columns: (each
 * must be in the header), and those a mapped dotted path that is not
 * itself a column reaches into. */
static okra_rc json_columns(const role_map *roles, okra_reader *r,
                            const char *display, okra_err *err)
{
	const char *const *cols;
	size_t n = okra__reader_columns(r, &cols);
	const okra_table_source *t = roles->src;
	bool *is_json = calloc(n ? n : 1, sizeof(*is_json));
	okra_rc rc = OKRA_OK;
	if (!is_json)
		return okra__ingest_nomem(err);
	for (size_t i = 0; i < t->n_json_columns; i++) {
		size_t j = 0;
		while (j < n && strcmp(cols[j], t->json_columns[i]) != 0)
			j++;
		if (j == n) {
			const char *near =
			    okra__nearest(t->json_columns[i], cols, n);
			rc = okra__err_set(
			    err, OKRA_ERR_DATA, display, 1, 0,
			    "json_columns names \"%s\", which is not a column "
			    "of this file%s%s%s",
			    t->json_columns[i], near ? "; did you mean \"" : "",
			    near ? near : "", near ? "\"?" : "");
			goto out;
		}
		is_json[j] = true;
	}
	for (size_t k = 0; k < roles->n; k++) {
		if (!roles->mapped[k])
			continue;
		bool is_column = false;
		for (size_t j = 0; j < n && !is_column; j++)
			is_column = strcmp(cols[j], roles->source[k]) == 0;
		for (size_t j = 0; j < n && !is_column; j++)
			if (path_in_column(roles->source[k], cols[j]))
				is_json[j] = true;
	}
	rc = okra__reader_set_json(r, is_json, err);
out:
	free(is_json);
	return rc;
}

/* Is the column roles->source[k] in the header, or a path into one of
 * its JSON columns (json: per header column)? */
static bool header_has(const role_map *roles, size_t k, const char *const *cols,
                       size_t n, const bool *json)
{
	for (size_t j = 0; j < n; j++)
		if (strcmp(cols[j], roles->source[k]) == 0 ||
		    (json[j] && path_in_column(roles->source[k], cols[j])))
			return true;
	return false;
}

okra_rc okra__ingest_check_header(ingest *ig, int table, okra_reader *r,
                                  const char *display, const role_map *roles,
                                  okra_err *err)
{
	(void)ig;
	if (okra__reader_format(r) != OKRA_FILE_CSV)
		return OKRA_OK;
	okra_rc rc = json_columns(roles, r, display, err);
	if (rc)
		return rc;
	const char *const *cols;
	size_t n = okra__reader_columns(r, &cols);
	bool *is_json = calloc(n ? n : 1, sizeof(*is_json));
	if (!is_json)
		return okra__ingest_nomem(err);
	for (size_t j = 0; j < n; j++)
		is_json[j] = okra__reader_is_json(r, j);
	for (size_t k = 0; k < roles->n && !rc; k++) {
		bool optional =
		    roles->roles[k] == ROLE_CURRENCY ||
		    roles->roles[k] == ROLE_END ||
		    (table == T_EVENTS && (roles->roles[k] == ROLE_ACCOUNT ||
		                           roles->roles[k] == ROLE_USER));
		if (header_has(roles, k, cols, n, is_json))
			continue;
		if (roles->mapped[k]) {
			const char *near =
			    okra__nearest(roles->source[k], cols, n);
			rc =
			    okra__err_set(err, OKRA_ERR_DATA, display, 1, 0,
			                  "missing column \"%s\" (okra.yaml "
			                  "maps %s to it)%s%s%s",
			                  roles->source[k], roles->canonical[k],
			                  near ? "; did you mean \"" : "",
			                  near ? near : "", near ? "\"?" : "");
		} else if (!optional) {
			rc = okra__err_set(
			    err, OKRA_ERR_DATA, display, 1, 0,
			    "missing column \"%s\" (rename with columns: in "
			    "okra.yaml)",
			    roles->source[k]);
		}
	}
	if (!rc && (table == T_ACCOUNTS || table == T_USERS)) {
		for (size_t j = 0; j < n && !rc; j++) {
			const char *name;
			size_t name_len;
			okra__ingest_prop_name(cols[j], strlen(cols[j]), &name,
			                       &name_len);
			if (!is_json[j] &&
			    okra__ingest_role_of(
			        roles, cols[j], strlen(cols[j])) == ROLE_PROP &&
			    is_builtin_attr(name, name_len))
				rc = builtin_clash(err, display, 1, cols[j]);
		}
	}
	if (!rc && table == T_EVENTS &&
	    !header_has(roles, 2, cols, n, is_json) &&
	    !header_has(roles, 3, cols, n, is_json))
		rc = okra__err_set(
		    err, OKRA_ERR_DATA, display, 1, 0,
		    "missing column: events need \"%s\" or \"%s\"",
		    roles->source[2], roles->source[3]);
	free(is_json);
	return rc;
}

/* The names a file's rows had that are nearest to the path src: the
 * event properties, or the table's attributes. */
static const char *nearest_key(ingest *ig, int table, const char *src,
                               char *buf, size_t cap)
{
	const okra_dict_builder *d = table == T_EVENTS ? &ig->prop_names
	                             : table == T_ACCOUNTS
	                                 ? &ig->accounts.attr_names
	                             : table == T_USERS ? &ig->users.attr_names
	                                                : NULL;
	if (!d || d->n == 0)
		return NULL;
	const char **names = malloc(d->n * sizeof(*names));
	if (!names)
		return NULL;
	for (uint32_t i = 0; i < d->n; i++)
		names[i] = d->pool + d->off[i];
	const char *name;
	size_t len;
	okra__ingest_prop_name(src, strlen(src), &name, &len);
	const char *near = okra__nearest(name, names, d->n);
	if (near)
		snprintf(buf, cap, "%.*s%s", (int)(name - src), src, near);
	free(names);
	return near ? buf : NULL;
}

okra_rc okra__ingest_check_found(ingest *ig, int table, const char *display,
                                 const role_map *roles, uint64_t n_rows,
                                 const uint64_t *present, okra_err *err)
{
	if (n_rows == 0)
		return OKRA_OK;
	for (size_t k = 0; k < roles->n; k++) {
		if (!roles->mapped[k] || present[k])
			continue;
		char buf[300];
		const char *near =
		    nearest_key(ig, table, roles->source[k], buf, sizeof(buf));
		char rows[64];
		if (n_rows == 1)
			snprintf(rows, sizeof(rows), "the one row");
		else
			snprintf(rows, sizeof(rows), "none of the %llu rows",
			         (unsigned long long)n_rows);
		return okra__err_set(
		    err, OKRA_ERR_DATA, display, 0, 0,
		    "okra.yaml maps %s to \"%s\", which %s of this file "
		    "%s, so every %s would be empty%s%s%s",
		    roles->canonical[k], roles->source[k], rows,
		    n_rows == 1 ? "does not have" : "has", roles->canonical[k],
		    near ? "; did you mean \"" : "", near ? near : "",
		    near ? "\"?" : "");
	}
	return OKRA_OK;
}

/* Reads every file of a table other than events (a glob: matches in name
 * order), each row through fn. */
/* Reads the files of a table (from okra__ingest_glob) row by row. */
/*
 * Sizes the tables a file's rows fill for the rows it likely holds (its
 * size over the bytes per line of its first block; a compressed file's
 * size tells nothing): the ids of an entity table, its columns, and the
 * revenue's rows and pairs seen.  Growing them as the rows come rehashed
 * every id at each doubling, into fresh pages touched at random.  A
 * wrong guess costs only memory or a later growth; the codes are the
 * same.
 */
static bool reserve_rows(ingest *ig, int table, okra_reader *r)
{
	okra_read_state first;
	uint64_t size;
	if (table == T_EVENTS || !okra__reader_splittable(r, &first, &size) ||
	    size <= first.offset)
		return true;
	/* The longest of the lines sampled at the start, the middle and
	 * three quarters: the guess errs toward fewer rows (a file whose
	 * first lines are short would otherwise be given room for far more
	 * rows than it has, and a slot table filled at random is resident
	 * whole). */
	uint64_t line = okra__reader_line_bytes(r);
	uint64_t data = size - first.offset;
	for (int k = 2; k <= 3 && data > ((uint64_t)4 << 20); k++) {
		char buf[65536];
		uint64_t at = first.offset + data / 4 * (uint64_t)k;
		if (!okra__reader_pread(r, buf, sizeof(buf), at))
			break;
		const char *nl = memchr(buf, '\n', sizeof(buf)), *last = nl;
		uint64_t lines = 0;
		for (const char *q = nl; q;
		     q = memchr(q + 1, '\n',
		                (size_t)(buf + sizeof(buf) - q - 1))) {
			lines++;
			last = q;
		}
		uint64_t per = lines > 1 ? (uint64_t)(last - nl) / (lines - 1)
		                         : sizeof(buf);
		if (per > line)
			line = per;
	}
	uint64_t n = data / (line ? line : 64);
	n += n / 32;
	if (n > UINT32_MAX / 4)
		n = UINT32_MAX / 4;
	if (table == T_REVENUE) {
		uint64_t need = ig->rev_account.n + n;
		return okra__ingest_grow((void **)&ig->rev_account.v,
		                         &ig->rev_account.cap, need,
		                         sizeof(uint32_t)) &&
		       okra__ingest_grow((void **)&ig->rev_month.v,
		                         &ig->rev_month.cap, need,
		                         sizeof(int32_t)) &&
		       okra__ingest_grow((void **)&ig->rev_mrr.v,
		                         &ig->rev_mrr.cap, need,
		                         sizeof(double)) &&
		       okra__ingest_grow((void **)&ig->rev_open.v,
		                         &ig->rev_open.cap, need, 1) &&
		       (!ig->rev_keys ||
		        rev_keys_reserve(ig, ig->rev_keys_n + n));
	}
	entity_builder *e = table == T_ACCOUNTS ? &ig->accounts : &ig->users;
	uint64_t need = e->ids.n + n;
	/* The id is about a fifth of the line in the demo's tables; the
	 * pool grows by doubling past what is reserved. */
	return okra__dictb_reserve(&e->ids, n, n * (line / 4 + 1)) &&
	       okra__ingest_grow((void **)&e->created.v, &e->created.cap, need,
	                         sizeof(int64_t)) &&
	       okra__ingest_grow((void **)&e->known.v, &e->known.cap, need,
	                         1) &&
	       (table != T_USERS ||
	        okra__ingest_grow((void **)&e->account.v, &e->account.cap, need,
	                          sizeof(uint32_t)));
}

static okra_rc read_paths(ingest *ig, int table, char **paths, size_t n_paths,
                          const role_map *roles, row_fn fn)
{
	okra_rc rc = OKRA_OK;
	size_t root_len = strlen(okra_workspace_root(ig->ws)) + 1;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (size_t i = 0; rc == OKRA_OK && i < n_paths; i++) {
		const char *display = paths[i] + root_len;
		okra_reader *r = NULL;
		rc = okra__reader_open(paths[i], display, &r, ig->err);
		if (rc)
			break;
		if (ig->col_cap)
			memset(ig->col_role, 0xff,
			       ig->col_cap * sizeof(*ig->col_role));
		if (ig->attr_cap)
			memset(ig->col_attr, 0xff,
			       ig->attr_cap * sizeof(*ig->col_attr));
		rc = okra__ingest_check_header(ig, table, r, display, roles,
		                               ig->err);
		if (rc == OKRA_OK && !reserve_rows(ig, table, r))
			rc = okra__ingest_nomem(ig->err);
		uint64_t rows = 0, n_read = 0, present[8] = {0};
		/* The ids a row interns (the entity's own, and the account
		 * of a user or a revenue row), by role and dictionary; their
		 * columns once a row had them. */
		int pf_role[2] = {ROLE_ACCOUNT, -1};
		const okra_dict_builder *pf_dict[2] = {
		    ig->known_accts ? ig->known_accts : &ig->accounts.ids,
		    NULL};
		size_t pf_col[2] = {SIZE_MAX, SIZE_MAX};
		if (table == T_USERS) {
			pf_role[1] = ROLE_USER;
			pf_dict[1] = &ig->users.ids;
		}
		while (rc == OKRA_OK) {
			okra_row *row = NULL;
			rc = okra__reader_next(r, &row, ig->err);
			if (rc == OKRA_ERR_DATA && row) {
				/* The reader already wrote the reason into err.
				 */
				char reason[1024];
				snprintf(reason, sizeof(reason), "%s",
				         ig->err->msg);
				rc = bad_row(ig, table, display, row, reason);
				continue;
			}
			if (rc || !row)
				break;
			n_read++;
			for (size_t c = 0; c < row->n_cells; c++) {
				int role = cell_role(ig, roles, &row->cells[c]);
				for (size_t k = 0; k < roles->n; k++)
					present[k] += roles->roles[k] == role;
				for (int k = 0; k < 2; k++)
					if (role == pf_role[k] &&
					    pf_col[k] == SIZE_MAX)
						pf_col[k] =
						    row->cells[c].column;
			}
			/* The next row's ids: their slots prefetched while this
			 * row is read (each new id misses the caches). */
			for (int k = 0; k < 2; k++) {
				const char *next_id;
				size_t next_len;
				if (pf_col[k] != SIZE_MAX &&
				    okra__reader_peek_field(
				        r, pf_col[k], &next_id, &next_len))
					okra__dictb_prefetch(pf_dict[k],
					                     next_id, next_len);
			}
			uint64_t rejected = ig->stats->rejected[table];
			rc = fn(ig, table, display, row, roles);
			rows += ig->stats->rejected[table] == rejected;
			if ((rows & 0xfffff) == 0) {
				uint64_t done, total;
				okra__reader_progress(r, &done, &total);
				okra__ingest_progress(
				    ig, okra__ingest_tables[table], done, total,
				    rows, &t0);
			}
		}
		if (rc == OKRA_OK)
			rc = okra__ingest_check_found(ig, table, display, roles,
			                              n_read, present, ig->err);
		/* Count the rows kept, not the ones read. */
		ig->stats->rows[table] += rows;
		okra_read_sum sum;
		okra__reader_sum(r, &sum);
		if (rc == OKRA_OK && !okra__ingest_add_sum(ig, display, &sum))
			rc = okra__ingest_nomem(ig->err);
		okra__reader_close(r);
	}
	if (ig->opt.progress)
		fputs("\r\033[K", stderr);
	return rc;
}

static void free_paths(char **paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

/* ---------------------------------------------------------------------
 * Tables side by side
 * --------------------------------------------------------------------- */

static void free_entity(entity_builder *e);

/*
 * A table read on a thread of its own works on a side copy of the ingest
 * (as it is before any table is read) with its own error, files and
 * rejected rows, and an empty accounts builder of its own: the account
 * ids it meets are interned there, in the order met, and merged into
 * the accounts' when one thread would have read that table, so every
 * code is the one of a single thread reading the accounts, the users,
 * the events and the revenue in turn.
 */
typedef struct table_job {
	ingest *ig; /* ig itself, or a side copy */
	okra_err err;
	int table;
	role_map roles;
	row_fn fn;
	char **paths;
	size_t n_paths;
	bool set, done;
	okra_rc rc;
	struct table_job *then; /* run after this one, on its thread */
} table_job;

static void *table_job_main(void *arg)
{
	const table_job *prev = NULL;
	for (table_job *j = arg; j; prev = j, j = j->then) {
		if (!j->set || j->done)
			continue;
		/* The revenue on the side after the accounts: their ids are
		 * all read, and no other thread writes them until both are
		 * done (read_first). */
		if (j->table == T_REVENUE && prev &&
		    prev->table == T_ACCOUNTS && prev->set && prev->done &&
		    prev->rc == OKRA_OK && prev->ig != j->ig) {
			j->ig->known_accts = &prev->ig->accounts.ids;
			j->ig->known_n = prev->ig->accounts.ids.n;
		}
		if (j->rc == OKRA_OK)
			j->rc = read_paths(j->ig, j->table, j->paths,
			                   j->n_paths, &j->roles, j->fn);
		free_paths(j->paths, j->n_paths);
		j->paths = NULL;
		j->n_paths = 0;
		j->done = true;
		if (j->rc)
			break;
	}
	return NULL;
}

/* Sets up job for a table of okra.yaml: its side copy of ig (side) or ig
 * itself, its files. */
static okra_rc job_init(ingest *ig, table_job *j, int table, bool side,
                        const okra_table_source *src, const char *const *names,
                        const int *roles, size_t n_roles, row_fn fn)
{
	memset(j, 0, sizeof(*j));
	j->table = table;
	j->fn = fn;
	if (!src->is_set)
		return OKRA_OK;
	j->set = true;
	role_map_init(&j->roles, src, names, roles, n_roles);
	if (!side) {
		j->ig = ig;
	} else {
		ingest *c = malloc(sizeof(*c));
		if (!c)
			return okra__ingest_nomem(ig->err);
		*c = *ig;
		c->err = &j->err;
		memset(&c->accounts, 0, sizeof(c->accounts));
		memset(&c->users, 0, sizeof(c->users));
		c->col_role = NULL;
		c->col_cap = 0;
		c->col_attr = NULL;
		c->attr_cap = 0;
		c->sums = NULL;
		c->n_sums = c->cap_sums = 0;
		memset(c->rejected, 0, sizeof(c->rejected));
		memset(&c->rev_account, 0, sizeof(c->rev_account));
		memset(&c->rev_open, 0, sizeof(c->rev_open));
		memset(&c->rev_month, 0, sizeof(c->rev_month));
		memset(&c->rev_mrr, 0, sizeof(c->rev_mrr));
		c->rev_keys = NULL;
		c->rev_keys_n = c->rev_keys_mask = 0;
		c->last_acct = OKRA_NONE;
		c->last_acct_len = 0;
		c->known_accts = NULL;
		c->known_n = 0;
		j->ig = c;
	}
	j->rc = okra__ingest_glob(j->ig, table, src, &j->paths, &j->n_paths,
	                          j->ig->err);
	return OKRA_OK;
}

/* What a table job's own ingest holds (the side copy that reads the
 * users or revenue table shares the events, names and properties of the
 * main one): entity tables, revenue rows, rejected rows, file sums and
 * column roles. */
static void free_tables(ingest *x)
{
	free_entity(&x->accounts);
	free_entity(&x->users);
	for (int t = 0; t < 4; t++)
		okra__buf_free(&x->rejected[t]);
	for (size_t i = 0; i < x->n_sums; i++)
		free(x->sums[i].path);
	free(x->sums);
	free(x->col_role);
	free(x->col_attr);
	free(x->rev_account.v);
	free(x->rev_open.v);
	free(x->rev_month.v);
	free(x->rev_mrr.v);
	free(x->rev_keys);
}

static void job_free(ingest *ig, table_job *j)
{
	free_paths(j->paths, j->n_paths);
	ingest *c = j->ig;
	if (!c || c == ig)
		return;
	free_tables(c);
	free(c);
	j->ig = NULL;
}

/* The job's outcome: its error into ig's. */
static okra_rc job_rc(ingest *ig, table_job *j)
{
	if (j->rc && j->ig != ig)
		*ig->err = j->err;
	return j->rc;
}

/* The side copy's account ids into ig's accounts, in the order met:
 * remap[c] is the code of its id c (free() it). */
static okra_rc merge_accounts(ingest *ig, ingest *c, uint32_t **remap)
{
	okra_dict_builder *loc = &c->accounts.ids;
	*remap = malloc(((size_t)loc->n + 1) * sizeof(**remap));
	if (!*remap)
		return okra__ingest_nomem(ig->err);
	const okra_dict_builder *g = &ig->accounts.ids;
	uint32_t next = 0; /* the code after the last id's */
	for (uint32_t k = 0; k < loc->n; k++) {
		const char *s = loc->pool + loc->off[k];
		size_t len = (size_t)(loc->off[k + 1] - loc->off[k] - 1);
		/* The users and the revenue mostly come in the accounts
		 * table's order: the id after the last one's is tried first
		 * (its bytes are next to the last one's, where a lookup
		 * misses the caches up to three times). */
		uint32_t code = OKRA_NONE;
		if (next < g->n && g->off[next + 1] - g->off[next] - 1 == len &&
		    memcmp(g->pool + g->off[next], s, len) == 0)
			code = next;
		/* After the events the dictionary indexes only the ids they
		 * added: the others are in the frozen map. */
		if (code == OKRA_NONE)
			code = okra__id_map_get(&ig->acct_map, s, len);
		if (code == OKRA_NONE)
			code = okra__dictb_intern(&ig->accounts.ids, s, len);
		if (code == OKRA_NONE)
			return okra__ingest_nomem(ig->err);
		(*remap)[k] = code;
		next = code + 1;
	}
	return OKRA_OK;
}

/* The side copy's rejected rows and files into ig's, after ig's. */
static okra_rc merge_side(ingest *ig, ingest *c, int table)
{
	ig->rejected[table] = c->rejected[table];
	memset(&c->rejected[table], 0, sizeof(c->rejected[table]));
	for (size_t i = 0; i < c->n_sums; i++) {
		okra_file_sum *f = &c->sums[i];
		okra_read_sum sum = {.size = f->size,
		                     .mtime = f->mtime,
		                     .crc = f->crc,
		                     .changed = f->changed};
		if (!okra__ingest_add_sum(ig, f->path, &sum))
			return okra__ingest_nomem(ig->err);
	}
	return OKRA_OK;
}

/* The users table, read on the side, into ig. */
static okra_rc merge_users(ingest *ig, ingest *c)
{
	uint32_t *remap = NULL;
	okra_rc rc = merge_accounts(ig, c, &remap);
	if (rc)
		goto out;
	entity_builder *u = &c->users;
	for (uint64_t i = 0; i < u->account.n; i++)
		if (u->account.v[i] != OKRA_NONE)
			u->account.v[i] = remap[u->account.v[i]];
	ig->users = *u;
	memset(u, 0, sizeof(*u));
	rc = merge_side(ig, c, T_USERS);
out:
	free(remap);
	return rc;
}

/* The revenue table, read on the side, into ig (after the events). */
static okra_rc merge_revenue(ingest *ig, ingest *c)
{
	free(c->rev_keys);
	c->rev_keys = NULL;
	uint32_t *remap = NULL;
	okra_rc rc = merge_accounts(ig, c, &remap);
	if (rc)
		goto out;
	/* Codes below known_n are the accounts table's already. */
	uint32_t base = c->known_accts ? c->known_n : 0;
	for (uint64_t i = 0; i < c->rev_account.n; i++)
		if (c->rev_account.v[i] >= base)
			c->rev_account.v[i] = remap[c->rev_account.v[i] - base];
	c->known_accts = NULL;
#define MOVE(f)                                                                \
	do {                                                                   \
		ig->f = c->f;                                                  \
		memset(&c->f, 0, sizeof(c->f));                                \
	} while (0)
	MOVE(rev_account);
	MOVE(rev_open);
	MOVE(rev_month);
	MOVE(rev_mrr);
#undef MOVE
	rc = merge_side(ig, c, T_REVENUE);
out:
	free(remap);
	return rc;
}

/* Gives back the unused capacity of a revenue column. */
static void *fit(void *v, uint64_t n, uint64_t *cap, size_t size)
{
	if (!v || n == *cap)
		return v;
	void *p = realloc(v, (n ? n : 1) * size);
	if (!p)
		return v;
	*cap = n;
	return p;
}

/*
 * Reads the accounts and the users tables, with two threads side by
 * side, and the revenue table after the accounts on the same thread as
 * them (kept for after the events, its columns trimmed to their rows; it
 * looks its ids up in the accounts table's, which are all read by then:
 * known_accts; with one thread it is read after the events, as before).  The
 * errors reported are those of one thread: the accounts table's first, then the
 * users table's; the revenue's waits for the events' (okra__ingest).
 */
static okra_rc read_first(ingest *ig, const okra_workspace_settings *s,
                          table_job jobs[3])
{
	static const char *const acc_names[] = {"account_id", "created_at"};
	static const int acc_roles[] = {ROLE_ACCOUNT, ROLE_CREATED};
	static const char *const usr_names[] = {"user_id", "account_id",
	                                        "created_at"};
	static const int usr_roles[] = {ROLE_USER, ROLE_ACCOUNT, ROLE_CREATED};
	static const char *const rev_names[] = {"account_id", "month", "mrr",
	                                        "currency"};
	static const int rev_roles[] = {ROLE_ACCOUNT, ROLE_MONTH, ROLE_MRR,
	                                ROLE_CURRENCY};
	static const char *const per_names[] = {"account_id", "start", "end",
	                                        "mrr", "currency"};
	static const int per_roles[] = {ROLE_ACCOUNT, ROLE_START, ROLE_END,
	                                ROLE_MRR, ROLE_CURRENCY};
	okra_rc rc;
	if ((rc = job_init(ig, &jobs[0], T_ACCOUNTS, false, &s->accounts,
	                   acc_names, acc_roles, 2, do_entity)) ||
	    (rc = job_init(ig, &jobs[1], T_USERS, true, &s->users, usr_names,
	                   usr_roles, 3, do_entity)))
		return rc;
	if (s->revenue.is_periods)
		rc = job_init(ig, &jobs[2], T_REVENUE, true, &s->revenue,
		              per_names, per_roles, 5, do_period);
	else
		rc = job_init(ig, &jobs[2], T_REVENUE, true, &s->revenue,
		              rev_names, rev_roles, 4, do_revenue);
	if (rc)
		return rc;
	if (ig->threads > 1 && jobs[1].set && (jobs[0].set || jobs[2].set)) {
		/* accounts, then revenue | users; one progress line: the
		 * users table's. */
		jobs[0].then = &jobs[2];
		table_job pair[2];
		bool progress = ig->opt.progress;
		ig->opt.progress = false;
		if (jobs[2].ig)
			jobs[2].ig->opt.progress = false;
		/* okra__ingest_run wants an array: run the two heads. */
		pair[0] = (table_job){.set = false, .then = &jobs[0]};
		pair[1] = (table_job){.set = false, .then = &jobs[1]};
		okra__ingest_run(2, table_job_main, pair, sizeof(pair[0]));
		ig->opt.progress = progress;
		if (jobs[2].ig)
			jobs[2].ig->opt.progress = progress;
		jobs[0].then = NULL;
	} else {
		table_job_main(&jobs[0]);
		if (jobs[0].rc == OKRA_OK)
			table_job_main(&jobs[1]);
	}
	if ((rc = job_rc(ig, &jobs[0])) || (rc = job_rc(ig, &jobs[1])))
		return rc;
	if (jobs[1].set && (rc = merge_users(ig, jobs[1].ig)))
		return rc;
	job_free(ig, &jobs[1]);
	if (jobs[2].done && jobs[2].rc == OKRA_OK) {
		/* Kept through the events: their memory peaks there. */
		ingest *r = jobs[2].ig;
		free(r->rev_keys);
		r->rev_keys = NULL;
		uint64_t n = r->rev_account.n;
		r->rev_account.v = fit(r->rev_account.v, n, &r->rev_account.cap,
		                       sizeof(uint32_t));
		r->rev_open.v = fit(r->rev_open.v, n, &r->rev_open.cap, 1);
		r->rev_month.v =
		    fit(r->rev_month.v, n, &r->rev_month.cap, sizeof(int32_t));
		r->rev_mrr.v =
		    fit(r->rev_mrr.v, n, &r->rev_mrr.cap, sizeof(double));
		okra__dictb_shed(&r->accounts.ids);
	}
	return OKRA_OK;
}

/* ---------------------------------------------------------------------
 * Freeing the builders
 * --------------------------------------------------------------------- */

static void free_entity(entity_builder *e)
{
	okra__dictb_free(&e->ids);
	free(e->created.v);
	free(e->known.v);
	free(e->account.v);
	for (uint32_t i = 0; i < e->n_attrs; i++) {
		free(e->attrs[i].code.v);
		free(e->attrs[i].val_num.v);
		okra__dictb_free(&e->attrs[i].dict);
	}
	free(e->attrs);
	okra__dictb_free(&e->attr_names);
}

static void free_ingest(ingest *ig)
{
	free_tables(ig);
	okra__dictb_free(&ig->names);
	okra__dictb_free(&ig->prop_names);
	for (uint32_t i = 0; i < ig->n_props; i++)
		okra__dictb_free(&ig->props[i].dict);
	free(ig->props);
	okra__ingest_events_free(&ig->events);
	okra__id_map_free(&ig->acct_map);
}

/* ---------------------------------------------------------------------
 * Assembly: builders into the dataset
 * --------------------------------------------------------------------- */

void *okra__data_own(okra_data *d, void *p)
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

bool okra__data_take_dict(okra_data *d, okra_dict *out, okra_dict_builder *b)
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
	out->pool = okra__data_own(d, b->pool);
	out->off = okra__data_own(d, b->off);
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
	t->created = okra__data_own(d, e->created.v);
	t->known = okra__data_own(d, e->known.v);
	t->account = okra__data_own(d, e->account.v);
	e->created.v = NULL;
	e->known.v = NULL;
	e->account.v = NULL;
	if (t->n && (!t->created || !t->known || !t->account))
		return false;
	if (!okra__data_take_dict(d, &t->ids, &e->ids))
		return false;
	t->n_attrs = e->n_attrs;
	t->attrs =
	    okra__arena_alloc(&d->arena, (e->n_attrs + 1) * sizeof(*t->attrs));
	if (!t->attrs)
		return false;
	for (uint32_t i = 0; i < e->n_attrs; i++) {
		struct attr_builder *ab = &e->attrs[i];
		okra_attr *at = &t->attrs[i];
		at->name = okra__arena_strdup(
		    &d->arena, e->attr_names.pool + e->attr_names.off[i]);
		/* Each entity's number, from its value's (made here, not
		 * while the events are read: 8 bytes per entity and
		 * attribute less at the ingest's peak). */
		double *num = t->n ? malloc(t->n * sizeof(*num)) : NULL;
		for (uint64_t k = 0; num && k < t->n; k++)
			num[k] = ab->code.v[k] == OKRA_NONE
			             ? NAN
			             : ab->val_num.v[ab->code.v[k]];
		at->code = okra__data_own(d, ab->code.v);
		at->num = okra__data_own(d, num);
		ab->code.v = NULL;
		if (!at->name || (t->n && (!at->code || !at->num)) ||
		    !okra__data_take_dict(d, &at->dict, &ab->dict))
			return false;
	}
	return true;
}

/* A revenue row's place within its account: month rows before running
 * periods, by month, then in file order (a total order: the same bytes
 * for any number of threads). */
typedef struct rev_key {
	int32_t month;
	uint8_t open;
	uint64_t row;
} rev_key;

static int cmp_rev_key(const void *pa, const void *pb)
{
	const rev_key *a = pa, *b = pb;
	if (a->open != b->open)
		return a->open < b->open ? -1 : 1;
	if (a->month != b->month)
		return a->month < b->month ? -1 : 1;
	return a->row < b->row ? -1 : a->row > b->row;
}

static bool rev_key_less(const rev_key *a, const rev_key *b)
{
	return cmp_rev_key(a, b) < 0;
}

/* Sorts a few keys in place (an account's rows are mostly a handful). */
static void sort_rev_keys(rev_key *k, uint64_t n)
{
	if (n > 32) {
		qsort(k, n, sizeof(*k), cmp_rev_key);
		return;
	}
	for (uint64_t i = 1; i < n; i++) {
		rev_key x = k[i];
		uint64_t j = i;
		for (; j > 0 && rev_key_less(&x, &k[j - 1]); j--)
			k[j] = k[j - 1];
		k[j] = x;
	}
}

/* The first paid month of the rows [r0, r1) of one account (data.h):
 * month rows of one month add up first. */
static int32_t first_paid(const int32_t *month, const double *mrr,
                          const uint8_t *open, uint64_t r0, uint64_t r1)
{
	int32_t fp = INT32_MAX;
	uint64_t i = r0;
	while (i < r1 && !open[i]) {
		int32_t m = month[i];
		double v = mrr[i++];
		while (i < r1 && !open[i] && month[i] == m)
			v += mrr[i++];
		if (v > 0) {
			fp = m;
			break;
		}
	}
	while (i < r1 && !open[i])
		i++;
	for (; i < r1; i++)
		if (mrr[i] > 0 && month[i] < fp) {
			fp = month[i];
			break;
		}
	return fp;
}

/* Puts the revenue rows into (account, open, month) order with each
 * account's range, its first running period and its first paid month
 * (data.h): a counting sort by account, then each account's few rows.
 * Done once here, so no query sorts revenue rows. */
/* Are the revenue rows as read already in their order: by account,
 * then month rows before running periods, by month (equal keys keep the
 * file's order)?  The tables usually come so. */
static bool rows_in_order(const ingest *ig)
{
	const uint32_t *a = ig->rev_account.v;
	const int32_t *m = ig->rev_month.v;
	const uint8_t *o = ig->rev_open.v;
	for (uint64_t i = 1; i < ig->rev_account.n; i++)
		if (a[i] < a[i - 1] || (a[i] == a[i - 1] &&
		                        (o[i] < o[i - 1] || (o[i] == o[i - 1] &&
		                                             m[i] < m[i - 1]))))
			return false;
	return ig->rev_account.n > 0;
}

static bool revenue_order(okra_data *d, ingest *ig)
{
	bool ok = false;
	uint64_t n = ig->rev_account.n;
	size_t na = d->accounts.n;
	uint64_t *off = calloc(na + 2, sizeof(*off));
	uint64_t *open_at = calloc(na + 1, sizeof(*open_at));
	int32_t *fp = malloc((na + 1) * sizeof(*fp));
	rev_key *keys = malloc((n + 1) * sizeof(*keys));
	uint32_t *account = malloc((n + 1) * sizeof(*account));
	int32_t *month = malloc((n + 1) * sizeof(*month));
	double *mrr = malloc((n + 1) * sizeof(*mrr));
	uint8_t *open = malloc(n + 1);
	if (!off || !open_at || !fp || !keys || !account || !month || !mrr ||
	    !open)
		goto out;
	const uint32_t *ra = ig->rev_account.v;
	for (uint64_t i = 0; i < n; i++)
		off[ra[i] + 1]++;
	for (size_t a = 0; a < na; a++)
		off[a + 1] += off[a];
	if (rows_in_order(ig)) {
		/* The rows are their own order: kept as read (no copy of
		 * them beside them, 33 bytes a row, at the ingest's peak). */
		free(keys);
		free(account);
		free(month);
		free(mrr);
		free(open);
		keys = NULL;
		account = ig->rev_account.v;
		month = ig->rev_month.v;
		mrr = ig->rev_mrr.v;
		open = ig->rev_open.v;
		memset(&ig->rev_account, 0, sizeof(ig->rev_account));
		memset(&ig->rev_month, 0, sizeof(ig->rev_month));
		memset(&ig->rev_mrr, 0, sizeof(ig->rev_mrr));
		memset(&ig->rev_open, 0, sizeof(ig->rev_open));
		for (size_t a = 0; a < na; a++) {
			uint64_t r0 = off[a], r1 = off[a + 1];
			open_at[a] = r1;
			for (uint64_t i = r0; i < r1; i++)
				if (open[i]) {
					open_at[a] = i;
					break;
				}
			fp[a] = first_paid(month, mrr, open, r0, r1);
		}
		goto take;
	}
	/* open_at is the cursor of each account while placing. */
	memcpy(open_at, off, na * sizeof(*off));
	for (uint64_t i = 0; i < n; i++)
		keys[open_at[ra[i]]++] =
		    (rev_key){ig->rev_month.v[i], ig->rev_open.v[i], i};
	for (size_t a = 0; a < na; a++) {
		uint64_t r0 = off[a], r1 = off[a + 1];
		sort_rev_keys(keys + r0, r1 - r0);
		open_at[a] = r1;
		for (uint64_t i = r0; i < r1; i++) {
			uint64_t row = keys[i].row;
			account[i] = (uint32_t)a;
			month[i] = ig->rev_month.v[row];
			mrr[i] = ig->rev_mrr.v[row];
			open[i] = ig->rev_open.v[row];
			if (open[i] && open_at[a] == r1)
				open_at[a] = i;
		}
		fp[a] = first_paid(month, mrr, open, r0, r1);
	}
take:
	fp[na] = INT32_MAX; /* the cache writes accounts.n + 1 entries */
	d->revenue.n = n;
	d->revenue.account = okra__data_own(d, account);
	d->revenue.month = okra__data_own(d, month);
	d->revenue.mrr = okra__data_own(d, mrr);
	d->revenue.open = okra__data_own(d, open);
	d->revenue.off = okra__data_own(d, off);
	d->revenue.open_at = okra__data_own(d, open_at);
	d->revenue.first_paid = okra__data_own(d, fp);
	account = NULL;
	month = NULL;
	mrr = NULL;
	open = NULL;
	off = NULL;
	open_at = NULL;
	fp = NULL;
	ok = d->revenue.account && d->revenue.month && d->revenue.mrr &&
	     d->revenue.open && d->revenue.off && d->revenue.open_at &&
	     d->revenue.first_paid;
out:
	free(ig->rev_account.v);
	free(ig->rev_month.v);
	free(ig->rev_mrr.v);
	free(ig->rev_open.v);
	memset(&ig->rev_account, 0, sizeof(ig->rev_account));
	memset(&ig->rev_month, 0, sizeof(ig->rev_month));
	memset(&ig->rev_mrr, 0, sizeof(ig->rev_mrr));
	memset(&ig->rev_open, 0, sizeof(ig->rev_open));
	free(off);
	free(open_at);
	free(fp);
	free(keys);
	free(account);
	free(month);
	free(mrr);
	free(open);
	return ok;
}

/* Reads the next quoted CSV field of the rejected-rows text at *p into
 * out (cap bytes); false at its end. */
static bool rejected_field(const char **p, const char *end, char *out,
                           size_t cap)
{
	const char *s = *p;
	size_t n = 0;
	bool quoted = s < end && *s == '"';
	s += quoted;
	for (; s < end; s++) {
		if (quoted && *s == '"') {
			if (s + 1 < end && s[1] == '"') {
				s++;
			} else {
				s++;
				break;
			}
		} else if (!quoted && (*s == ',' || *s == '\n')) {
			break;
		}
		if (n + 1 < cap)
			out[n++] = *s;
	}
	out[n] = '\0';
	if (s < end && *s == ',')
		s++;
	*p = s;
	return true;
}

/* Every row of table t was rejected: the error, at the first of them. */
static okra_rc all_rejected(const ingest *ig, int t, okra_err *err)
{
	const okra_buf *b = &ig->rejected[t];
	const char *p = b->data ? b->data : "", *end = p + b->len;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	p = nl ? nl + 1 : end; /* past the header */
	char file[256] = "", line[32] = "", reason[300] = "";
	rejected_field(&p, end, file, sizeof(file));
	rejected_field(&p, end, line, sizeof(line));
	rejected_field(&p, end, reason, sizeof(reason));
	unsigned long long n = ig->stats->rejected[t];
	return okra__err_set(err, OKRA_ERR_DATA, file[0] ? file : NULL,
	                     (int)strtol(line, NULL, 10), 0,
	                     "every row of the %s table was rejected (%llu of "
	                     "%llu, 100%%), so nothing is left to compute "
	                     "from; the first: %s",
	                     okra__ingest_tables[t], n, n, reason);
}

/* ---------------------------------------------------------------------
 * Entry point
 * --------------------------------------------------------------------- */

okra_rc okra__ingest(const okra_workspace *ws, const okra__ingest_opts *opt,
                     okra_ingest_result *res, okra_err *err)
{
	okra_rc rc = OKRA_OK;
	table_job jobs[3];
	memset(jobs, 0, sizeof(jobs));
	ingest ig = {.ws = ws,
	             .opt = *opt,
	             .err = err,
	             .stats = &res->stats,
	             .last_acct = OKRA_NONE};
	memset(res, 0, sizeof(*res));
	ig.now = opt->now;
	ig.threads = ingest_threads();
	/* Arrays of a megabyte or more are mappings of their own, given
	 * back when freed: glibc's threshold would otherwise rise to the
	 * size of the last one freed, and what the ingest frees between its
	 * phases would stay resident in the heap. */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	{
		int y, m, d;
		okra__civil_from_days(okra__day_of(opt->now), &y, &m, &d);
		ig.last_month = (y - 1970) * 12 + (m - 1) + 1;
	}
	okra_data *d = &res->data;
	const okra_workspace_settings *s = &ws->settings;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);

	if (!s->events.is_set && !s->accounts.is_set && !s->users.is_set &&
	    !s->revenue.is_set) {
		rc = okra__err_set(
		    err, OKRA_ERR_CONFIG, "okra.yaml", 0, 0,
		    "no data: name the tables under data: in okra.yaml, e.g. "
		    "data: {events: data/events.csv}");
		goto out;
	}
	static const char *const ev_names[] = {"timestamp", "event",
	                                       "account_id", "user_id"};
	static const int ev_roles[] = {ROLE_TS, ROLE_EVENT, ROLE_ACCOUNT,
	                               ROLE_USER};
	role_map m;
	if ((rc = read_first(&ig, s, jobs)))
		goto out;
	/* Big and frozen but for the events' new ids: their hashes go. */
	okra__dictb_shed(&ig.accounts.ids);
	okra__dictb_shed(&ig.users.ids);
	/* The known users' accounts are read by the event threads. */
	if (!entity_fill(&ig.users) || !entity_fill(&ig.accounts)) {
		rc = okra__ingest_nomem(err);
		goto out;
	}
	struct timespec tp = t0;
	okra__ingest_trace("ingest: accounts, users", &tp);
	/* Events are optional: a revenue-only workspace has none. */
	role_map_init(&m, &s->events, ev_names, ev_roles, 4);
	if (s->events.is_set && (rc = okra__ingest_events(&ig, &s->events, &m)))
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &tp);
	if (jobs[2].set) {
		table_job_main(&jobs[2]); /* unless read beside the users */
		if ((rc = job_rc(&ig, &jobs[2])) ||
		    (rc = merge_revenue(&ig, jobs[2].ig)))
			goto out;
		job_free(&ig, &jobs[2]);
		d->has_revenue = true;
	}
	okra__id_map_free(&ig.acct_map);

	/* With skip_bad_rows, a table whose every row was rejected leaves
	 * nothing to compute from: that is an error, not an empty table. */
	for (int t = 0; t < 4; t++) {
		if (res->stats.rows[t] || !res->stats.rejected[t])
			continue;
		rc = all_rejected(&ig, t, err);
		goto out;
	}

	/* Entities, then the events in account order. */
	if (!take_entity(d, &d->users, &ig.users) ||
	    !take_entity(d, &d->accounts, &ig.accounts)) {
		rc = okra__ingest_nomem(err);
		goto out;
	}
	/* Revenue: sorted and indexed by account (data.h), its rows as read
	 * freed before the events are ordered. */
	if (!revenue_order(d, &ig)) {
		rc = okra__ingest_nomem(err);
		goto out;
	}
	okra__ingest_trace("ingest: revenue, entities", &tp);
	if ((rc = okra__ingest_order(&ig, d)))
		goto out;
	if (!okra__data_take_dict(d, &d->names, &ig.names) || d->arena.failed) {
		rc = okra__ingest_nomem(err);
		goto out;
	}
	for (int t = 0; t < 4; t++) {
		res->rejected[t] = ig.rejected[t];
		memset(&ig.rejected[t], 0, sizeof(ig.rejected[t]));
	}
	d->sums = ig.sums;
	d->n_sums = ig.n_sums;
	ig.sums = NULL;
	ig.n_sums = 0;
	res->stats.entities = d->accounts.n + d->users.n;
	res->stats.min_ts = d->min_ts;
	res->stats.max_ts = d->max_ts;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	res->stats.seconds = (double)(t1.tv_sec - t0.tv_sec) +
	                     (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
out:
	for (int k = 0; k < 3; k++)
		job_free(&ig, &jobs[k]);
	free_ingest(&ig);
	if (rc)
		okra__data_free(d);
	return rc;
}
