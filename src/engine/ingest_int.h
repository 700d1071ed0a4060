/*
 * ingest_int.h - what the ingest files share (internal to ingest.c,
 * ingest_par.c, ingest_part.c and ingest_order.c; the rest of the engine
 * includes engine/ingest.h only).
 *
 * ingest.c reads the accounts, users and revenue tables and assembles the
 * dataset; ingest_par.c reads the events on worker threads into parts
 * (contiguous runs of rows, in file order) and walks them in file order
 * for the merge; ingest_part.c is one part's rows and its merge into the
 * global dictionaries; ingest_order.c puts the parts' rows into account
 * order.
 */
#ifndef OKRA_INGEST_INT_H
#define OKRA_INGEST_INT_H

#include "engine/ingest.h"
#include "engine/reader.h"

#include <string.h>
#include <time.h>

/* ---- growable typed arrays --------------------------------------------- */

#define VEC(T)                                                                 \
	struct {                                                               \
		T *v;                                                          \
		uint64_t n, cap;                                               \
	}

typedef VEC(uint32_t) u32_vec;

/* Grows *v to hold need elements of size (geometrically; big arrays get
 * huge pages).  False when out of memory (*v is unchanged). */
bool okra__ingest_grow(void **v, uint64_t *cap, uint64_t need, size_t size);
/* malloc for big columns: huge pages, so first touch faults once per
 * 2 MiB instead of once per 4 KiB (a large share of ingest time on a
 * virtual machine).  Free with free(). */
void *okra__ingest_alloc(size_t bytes);
/* Zeroed memory for a part's arrays, freed with okra__ingest_unmap and
 * the same size; okra__ingest_remap grows it (NULL, p kept, when out of
 * memory).  Big ones are mappings of their own, given back when freed. */
void *okra__ingest_map(size_t bytes);
void *okra__ingest_remap(void *p, size_t old, size_t bytes);
void okra__ingest_unmap(void *p, size_t bytes);
/* Gives back what p (old bytes) holds past bytes; returns the size to
 * unmap it with from now on. */
size_t okra__ingest_shrink(void *p, size_t old, size_t bytes);
/* Gives back the whole pages of [p, p + bytes), a part of the mapping
 * map (map_len bytes, from okra__ingest_map), which stays mapped: they
 * read as zeros after.  Nothing for a small (heap) one. */
void okra__ingest_drop(void *map, size_t map_len, void *p, size_t bytes);
/* The bytes a mapping of okra__ingest_map(bytes) spans. */
size_t okra__ingest_mapped(size_t bytes);
/* Runs fn(args + i * size) for i < n on n threads, this one included
 * (a thread that cannot start runs here, after the others). */
void okra__ingest_run(int n, void *(*fn)(void *), void *args, size_t size);

#define VPUSH(vec, x, ok)                                                      \
	do {                                                                   \
		if ((vec).n < (vec).cap)                                       \
			(vec).v[(vec).n++] = (x);                              \
		else if (!okra__ingest_grow((void **)&(vec).v, &(vec).cap,     \
		                            (vec).n + 1, sizeof(*(vec).v)))    \
			(ok) = false;                                          \
		else                                                           \
			(vec).v[(vec).n++] = (x);                              \
	} while (0)

/* Event names a part's memo holds: 2^NAME_MEMO_BITS (ingest_part.c). */
#define NAME_MEMO_BITS 6
/* Text values a part's property remembers: 2^VALUE_MEMO_BITS. */
#define VALUE_MEMO_BITS 4
/* Kept rows an id lookup waits for its prefetched slot (ingest_part.c). */
#define PEND_DEPTH 4

/* Bytes s[0, n) of n <= 8 as the low bytes of a little-endian word,
 * the rest zero, with loads of fixed sizes (a copy of n bytes read back
 * as a word waits for the copy's stores). */
static inline uint64_t okra__load_upto8(const char *s, size_t n)
{
	uint64_t x = 0;
	if (n >= 8) {
		memcpy(&x, s, 8);
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		x = a | (uint64_t)b << (8 * (n - 4));
	} else if (n) {
		x = (uint64_t)(unsigned char)s[0] |
		    (uint64_t)(unsigned char)s[n / 2] << (8 * (n / 2)) |
		    (uint64_t)(unsigned char)s[n - 1] << (8 * (n - 1));
	}
	return x;
}

/* The memo slot of a short text value (at most 16 bytes): its bytes as
 * two words, and a slot of 2^bits picked by them and the length. */
static inline uint32_t okra__short_key(const char *s, size_t len, uint64_t *w0,
                                       uint64_t *w1, int bits)
{
	*w0 = okra__load_upto8(s, len);
	*w1 = len > 8 ? okra__load_upto8(s + 8, len - 8) : 0;
	uint64_t h = (*w0 ^ *w1 * UINT64_C(0x9E3779B97F4A7C15) ^ len) *
	             UINT64_C(0xBF58476D1CE4E5B9);
	return (uint32_t)(h >> (64 - bits));
}

/* ---- builders ------------------------------------------------------------ */

/* A short text value met, with its code and number (len 0: empty). */
struct value_memo {
	uint64_t w0, w1;
	double num;
	uint32_t len, str;
};

typedef struct prop_builder {
	uint32_t name;          /* code in ig->prop_names */
	okra_dict_builder dict; /* its text values */
	bool has_str;           /* some value is not a canonical number */
} prop_builder;

typedef struct entity_builder {
	okra_dict_builder ids;
	VEC(int64_t) created;
	VEC(uint8_t) known;
	VEC(uint32_t) account; /* users: the user's account */
	uint32_t n_attrs;
	okra_dict_builder attr_names;
	struct attr_builder {
		VEC(uint32_t) code;
		okra_dict_builder dict;
		VEC(double) val_num; /* each value code's number, or NaN */
		/* Values of up to 16 bytes met, by their bytes and length. */
		struct value_memo memo[1 << VALUE_MEMO_BITS];
	} * attrs;
	uint32_t cap_attrs;
} entity_builder;

/* A property value of a part's row. */
typedef struct prop_val {
	uint32_t row; /* the part's row */
	uint32_t str; /* value code, OKRA_NONE = canonical number */
	double num;   /* the value as a number, NaN when not */
} prop_val;

/* One property's values in a part. */
typedef struct part_prop {
	uint32_t global; /* index in ig->props (merge) */
	prop_val *v;     /* by row, ascending (okra__ingest_map'd) */
	uint64_t n, cap;
	uint64_t hint;          /* the capacity to start with */
	okra_dict_builder dict; /* the part's text values */
	bool has_str;
	u32_vec remap; /* local value code -> global (merge) */
	/* Text values of up to 16 bytes met, by their bytes and length. */
	struct value_memo memo[1 << VALUE_MEMO_BITS];
} part_prop;

/*
 * A part: a contiguous run of event rows in file order, read by one
 * thread.  Codes below the global counts at the start of the events
 * (names, accounts, users) are global, the others the part's own plus
 * that count, until the merge makes every code global.
 */
typedef struct ev_part {
	/* What to read: a byte range of a plain file, or a batch of rows. */
	uint32_t file;         /* index in the events' files */
	const char *file_name; /* its name in messages */
	bool is_range;
	uint64_t begin;       /* range: [begin, end) is its share ... */
	okra_read_state from; /* ... but reading starts here */
	uint64_t end;
	struct ev_batch *batch; /* stream: the rows, or NULL */

	/* The rows kept: columns of cap elements in one mapping (cols), us
	 * in its own. */
	uint64_t n, cap;
	void *cols;
	size_t cols_len; /* bytes mapped at cols */
	uint32_t *sec;   /* timestamp: seconds since 1970 ... */
	uint32_t *us;    /* ... and microseconds (NULL: all 0) */
	uint16_t *name;  /* event name */
	uint32_t *acct;  /* OKRA_NONE = none */
	uint32_t *user;  /* OKRA_NONE = none */
	uint32_t *place; /* ingest_order: each row's place in
	                    account order (where sec was) */
	okra_dict_builder names, accts, users, prop_names;
	VEC(int64_t) name_line; /* the line of each of the part's names */
	part_prop *props;
	uint32_t n_props, cap_props;
	int64_t min_ts, max_ts; /* microseconds, over the rows kept */
	uint64_t n_seen;        /* rows checked (kept or not) ... */
	uint64_t n_present[4];  /* ... and of those, the rows that have a
	                           timestamp, event, account, user cell */

	/* The outcome. */
	int state;         /* PART_* (ingest_par.c) */
	okra_buf rejected; /* per rejected row: line, reason, record */
	uint64_t n_rejected;
	okra_rc rc;       /* stopped: a bad row, no memory, I/O */
	int64_t err_line; /* the bad row's line (0: none) */
	okra_err err;
	bool clean;   /* range: ended at end, nothing pending */
	bool has_crc; /* range: crc32 of [begin, end) */
	uint32_t crc;
	okra_read_state next; /* range: where reading goes on */
	int64_t line_base;    /* added to the lines above (merge) */
	uint64_t gbase;       /* global row of the first row (merge) */
	u32_vec remap_names, remap_accts, remap_users;
	/* The day of the last "YYYY-MM-DDTHH:MM:SSZ" timestamp parsed: the
	 * date's bytes and its first microsecond. */
	char ts_day[10];
	bool ts_day_set;
	int64_t ts_day_start;
	/* Event names met, by their first and last 8 bytes and length:
	 * most rows' name is found here, without hashing it. */
	struct name_memo {
		uint64_t w0, w1;
		uint32_t len, code; /* len 0: empty (names are never empty) */
	} name_memo[1 << NAME_MEMO_BITS];
	/* The user [0] and account [1] ids of the last kept rows that the
	 * memo did not have, oldest first: each is looked up PEND_DEPTH
	 * rows later (or at okra__part_flush), when the frozen map's slot,
	 * prefetched, has had the time to arrive. */
	struct id_pending {
		uint64_t w[2], hash; /* the id (at most 16 bytes) */
		uint64_t row;
		void *memo_slot; /* its memo slot to fill, or NULL */
		uint32_t len;
		bool acct_of_user; /* users: the row had no account */
	} pend[2][PEND_DEPTH];
	uint32_t pend_first[2], pend_n[2];
} ev_part;

/* The events as read (ingest_par.c): parts in file order whose codes are
 * global after the merge; ingest_order.c consumes and frees them. */
typedef struct ev_set {
	struct ev_part **parts;
	size_t n_parts;
	uint64_t n;             /* rows kept */
	int64_t min_ts, max_ts; /* microseconds; 0 when n == 0 */
	bool fractions;         /* some timestamp has microseconds */
} ev_set;

/* A frozen dictionary's strings, read-only, for lookups from threads
 * (ingest_part.c). */
typedef struct id_slot {
	uint64_t w0, w1; /* the id's first 16 bytes, zero-padded */
	uint32_t code;   /* OKRA_NONE = empty */
	uint32_t tag;    /* hash bits << 16 | length (0xffff: longer) */
} id_slot;

typedef struct id_map {
	id_slot *slots;
	uint32_t n_slots; /* any number: a hash picks one by multiplying */
	const okra_dict_builder *dict;
} id_map;

typedef struct ingest {
	const okra_workspace *ws;
	okra__ingest_opts opt;
	okra_err *err;
	int64_t now; /* load time, for the future check */
	int threads; /* ingest threads (OKRA_THREADS) */

	entity_builder accounts, users;
	okra_dict_builder names, prop_names;
	prop_builder *props;
	uint32_t n_props, cap_props;

	ev_set events;

	VEC(uint32_t) rev_account;
	VEC(uint8_t) rev_open; /* 1: a running period, from its month on */
	VEC(int32_t) rev_month;
	VEC(double) rev_mrr;
	/* (account, month) pairs seen: open addressing on account << 32 |
	 * month, UINT64_MAX empty; NULL while the rows kept come in
	 * increasing pairs (rev_key_add); freed once the table is read. */
	uint64_t *rev_keys;
	uint64_t rev_keys_n, rev_keys_mask;
	/* The account ids of the accounts and users tables, frozen for the
	 * events (ingest_par.c), whose dictionary then indexes only the ids
	 * added after them; freed once the revenue's ids are merged. */
	id_map acct_map;
	/* The last account id interned from the users or revenue table. */
	char last_acct_id[64];
	size_t last_acct_len;
	uint32_t last_acct;
	/* The revenue read on the side after the accounts table: that
	 * table's ids, complete and not written meanwhile, keep their codes
	 * (below known_n); an id it lacks is interned into this copy's own
	 * accounts and coded known_n + its code there (merge_revenue). */
	const okra_dict_builder *known_accts;
	uint32_t known_n;

	/* Per file column: its role, looked up once.  Column indices are
	 * stable within a file (CSV header, JSON key table). */
	int *col_role; /* -1 = not looked up yet */
	size_t col_cap;
	/* Accounts and users: the attribute of each file column (index in
	 * the entity's attributes), OKRA_NONE until its first row. */
	uint32_t *col_attr;
	size_t attr_cap;

	/* Revenue: one currency per workspace, the first row that named it */
	char currency[24];
	char currency_file[256];
	int64_t currency_line;
	int32_t last_month; /* the latest month accepted: the one after the
	                       load's (months since 1970-01) */

	okra_buf rejected[4]; /* CSV text per table */
	okra_ingest_stats *stats;
	okra_file_sum *sums; /* every file read, in the order read */
	size_t n_sums, cap_sums;
} ingest;

enum { T_EVENTS = 0, T_ACCOUNTS, T_USERS, T_REVENUE };

enum {
	ROLE_PROP = 0,
	ROLE_TS,
	ROLE_EVENT,
	ROLE_ACCOUNT,
	ROLE_USER,
	ROLE_CREATED,
	ROLE_MONTH,
	ROLE_MRR,
	ROLE_CURRENCY,
	ROLE_START,
	ROLE_END,
	ROLE_SKIP
};

typedef struct role_map {
	const char *canonical[8]; /* canonical column names of the table */
	int roles[8];
	const char *source[8]; /* the file's name for each (renames) */
	bool mapped[8];        /* named under columns: in okra.yaml */
	size_t n;
	const okra_table_source *src; /* the table in okra.yaml */
} role_map;

/* ---- ingest_part.c ---------------------------------------------------------
 */

/* What building a part reads: the same for every thread, read-only. */
typedef struct part_ctx {
	const ingest *ig;
	const role_map *roles;
	uint32_t ng_names, ng_accts, ng_users; /* global codes at the start */
	id_map accts, users;                   /* the global ids, frozen */
} part_ctx;

/* A thread's memo of recent id lookups (free with free()). */
typedef struct part_memo part_memo;
part_memo *okra__part_memo_new(void);
/* A read-only map of a frozen dictionary's strings (a mapping of its
 * own, given back at once by okra__id_map_free). */
bool okra__id_map_build(id_map *m, const okra_dict_builder *d);
void okra__id_map_free(id_map *m);
/* The code of s in a frozen map, or OKRA_NONE. */
uint32_t okra__id_map_get(const id_map *m, const char *s, size_t len);
/* One event row (cells: timestamp, event, account, user; each may be
 * NULL) into the part: the checks of an event row, then the columns
 * (memo: the calling thread's, or NULL).
 * *kept: the row was added (its properties then go to row p->n - 1);
 * else it was bad (rejected, or p->rc). */
okra_rc okra__part_row(const part_ctx *ctx, part_memo *memo, ev_part *p,
                       int64_t line, const okra_cell *const cells[4],
                       const char *raw, size_t raw_len, bool *kept);
/* Looks up the ids okra__part_row left pending: call once the part's
 * last row is in, before its columns are read. */
okra_rc okra__part_flush(const part_ctx *ctx, ev_part *p);
/* A bad row: the part's error, or (skip_bad_rows) a rejected row. */
okra_rc okra__part_bad(const part_ctx *ctx, ev_part *p, int64_t line,
                       const char *raw, size_t raw_len, const char *reason);
/* The part's property named name (added when new), or OKRA_NONE. */
uint32_t okra__part_prop(ev_part *p, const char *name, size_t len);
/* A value of property prop on row (the part's last row). */
bool okra__part_prop_add(ev_part *p, uint32_t prop, uint32_t row,
                         const char *val, size_t len);
/* Room for need rows. */
bool okra__part_reserve(ev_part *p, uint64_t need);
/* Out of memory: the part's error. */
okra_rc okra__part_nomem(ev_part *p);
/* Frees what the part read, keeping what to read. */
void okra__part_clear(ev_part *p);
void okra__part_free(ev_part *p);
/* Interns the part's new strings into ig's dictionaries (as one thread
 * reading the files in order would have met them), then adds its
 * rejected rows and returns its error, with the file's lines; the part
 * gets its first global row, *n counts the rows. */
okra_rc okra__part_merge(ingest *ig, ev_part *p, uint64_t *n);
/* Makes every code of the merged parts global, in place, on threads. */
void okra__parts_remap(const part_ctx *ctx, ev_part **parts, size_t n_parts,
                       int threads);

/* ---- ingest.c --------------------------------------------------------------
 */

extern const char *const okra__ingest_tables[4];

bool okra__ingest_tracing(void);
/* The calling thread's CPU seconds. */
double okra__ingest_thread_cpu(void);
okra_rc okra__ingest_nomem(okra_err *err);
/* Appends s as one quoted CSV field. */
void okra__ingest_csv_field(okra_buf *b, const char *s, size_t len);
/* The header of .okra/rejected/<table>.csv, when b is still empty. */
void okra__ingest_rejected_header(okra_buf *b);
/* The role of a file column named key. */
int okra__ingest_role_of(const role_map *m, const char *key, size_t len);
/* A property's name: JSON keys under "properties." drop that prefix. */
void okra__ingest_prop_name(const char *key, size_t len, const char **name,
                            size_t *name_len);
/* The global property named name, added when new; NULL on no memory. */
prop_builder *okra__ingest_prop_for(ingest *ig, const char *name, size_t len);
/* Is a timestamp bad?  Sets *out, or the reason when it is bad. */
bool okra__ingest_timestamp_bad(const char *val, size_t len, const char *column,
                                int64_t now, int64_t *out, char *reason,
                                size_t size);
/* Checks a CSV file's header for the table's required columns and the
 * columns okra.yaml maps, and tells the reader its JSON columns (those
 * of json_columns:, and those a mapped dotted path reaches into). */
okra_rc okra__ingest_check_header(ingest *ig, int table, okra_reader *r,
                                  const char *display, const role_map *roles,
                                  okra_err *err);
/* Once a whole file of a table was read (n_rows rows; present[k]: the
 * rows that had a cell for roles->source[k]): a column okra.yaml maps
 * that no row had - a JSON key path that matches nothing - is an error,
 * for it would read as empty everywhere and its metrics as zeros. */
okra_rc okra__ingest_check_found(ingest *ig, int table, const char *display,
                                 const role_map *roles, uint64_t n_rows,
                                 const uint64_t *present, okra_err *err);
void okra__ingest_progress(const ingest *ig, const char *table, uint64_t done,
                           uint64_t total, uint64_t rows,
                           const struct timespec *t0);
/* Records what was read of a file (display: its path in the workspace)
 * for the cache's fingerprint; false when out of memory. */
bool okra__ingest_add_sum(ingest *ig, const char *display,
                          const okra_read_sum *sum);
/* The files of a table, in name order; okra_err on no match, and when
 * a pattern matches a file and its gzip copy (every row would count
 * twice). */
okra_rc okra__ingest_glob(ingest *ig, int table, const okra_table_source *src,
                          char ***paths, size_t *n, okra_err *err);

/* ---- ingest_par.c ----------------------------------------------------------
 */

/* Reads the events table into ig->events (parts in file order, global
 * codes), ig->names, ig->props and the ids of new accounts and users;
 * bad rows go to ig->rejected[T_EVENTS] or stop the load. */
okra_rc okra__ingest_events(ingest *ig, const okra_table_source *src,
                            const role_map *roles);
void okra__ingest_events_free(ev_set *events);

/* ---- ingest_order.c --------------------------------------------------------
 */

/* Puts ig->events into account order, adds the user order and the
 * properties to d (whose entity tables are filled), and frees the
 * parts as they are used. */
okra_rc okra__ingest_order(ingest *ig, okra_data *d);

/* Adds a malloc'd array to what d frees; NULL (p freed) on failure. */
void *okra__data_own(okra_data *d, void *p);
/* Moves a builder's storage into a finished dictionary owned by d. */
bool okra__data_take_dict(okra_data *d, okra_dict *out, okra_dict_builder *b);

#endif
