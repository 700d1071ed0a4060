/*
 * data.h - the columnar dataset of the embedded engine (internal).
 *
 * Events are sorted by (account, timestamp): one account's events form a
 * contiguous block (acct_off), and a second ordering by (user, timestamp)
 * is kept as a permutation (user_rows, user_off) for user-entity metrics.
 * Strings are dictionary-encoded; ids are dense integers.  Properties are
 * sparse columns (only the rows that have the property).  Every array is
 * either malloc'd (while ingesting) or mapped read-only from the cache.
 */
#ifndef OKRA_DATA_H
#define OKRA_DATA_H

#include "okra_int.h"

#include <time.h>

#define OKRA_NONE           UINT32_MAX /* absent id / code */
#define OKRA_MICROS_PER_DAY 86400000000LL

/* A string dictionary: codes 0..n-1, strings NUL-terminated in one pool. */
typedef struct okra_dict {
	uint32_t n;
	const uint64_t *off; /* n+1 offsets into pool */
	const char *pool;
	/* hash index for lookups (built on demand, malloc'd) */
	uint32_t *slots;
	uint32_t n_slots;
} okra_dict;

/* A column of per-entity (account or user) attribute values. */
typedef struct okra_attr {
	const char *name;
	const uint32_t
	    *code;         /* per entity: code into dict, OKRA_NONE = absent */
	const double *num; /* per entity: the value as a number, NaN if not */
	okra_dict dict;    /* distinct values */
} okra_attr;

/* A sparse event property: the rows (ascending) that have it. */
typedef struct okra_prop {
	const char *name;
	uint64_t n;          /* rows with the property */
	const uint32_t *row; /* ascending row numbers in account order */
	const double *num;   /* value as a number, NaN when not numeric */
	/* Raw text for values that are not canonical numbers (a canonical
	 * number's text is recovered exactly from num); NULL when every value
	 * is canonical. OKRA_NONE = canonical. */
	const uint32_t *str;
	okra_dict dict;
} okra_prop;

/* The first index in lo..hi of p's rows at or after row (lo..hi ascend):
 * hi when none is. */
static inline uint64_t okra__prop_lower(const okra_prop *p, uint64_t lo,
                                        uint64_t hi, uint64_t row)
{
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (p->row[mid] < row)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

typedef struct okra_entity_table {
	uint32_t n;    /* entities (accounts or users) */
	okra_dict ids; /* external ids, code = dense id */
	const int64_t
	    *created;         /* created_at in microseconds; INT64_MIN = none */
	const uint8_t *known; /* 1 = row of the accounts/users table */
	uint32_t n_attrs;
	okra_attr *attrs;
	const uint32_t *account; /* users only: the user's account, OKRA_NONE */
} okra_entity_table;

/* Revenue rows, sorted at ingest by (account, open, month), in file order
 * among equal keys: account a's rows are off[a] .. off[a+1], its month
 * rows first (by month; one account-month may have several, which add
 * up), then from open_at[a] its running periods (by first month).  Every
 * revenue measure reads them in place, without sorting. */
typedef struct okra_revenue_table {
	uint64_t n;
	const uint32_t *account;
	const int32_t *month; /* months since 1970-01 */
	const double *mrr;
	const uint8_t *open;     /* 1: a running period, from month on */
	const uint64_t *off;     /* accounts.n + 1 entries */
	const uint64_t *open_at; /* per account: its first running period */
	/* per account: the first month whose rows add up to mrr > 0, or
	 * whose running period has mrr > 0; INT32_MAX = never paid */
	const int32_t *first_paid;
} okra_revenue_table;

/* A data file as the ingest read it: its crc32 is then not computed
 * again for the cache's fingerprint while its size and mtime hold. */
typedef struct okra_file_sum {
	char *path;    /* relative to the workspace root (owned) */
	uint64_t size; /* bytes read (the file's size at open, or less) */
	struct timespec mtime; /* at open */
	uint32_t crc;          /* of the bytes read */
	bool changed;          /* the file changed while it was read */
} okra_file_sum;

typedef struct okra_data {
	uint64_t n_events;
	/* Timestamps: seconds since ts_base (uint32 spans 136 years) plus,
	 * only when some event has a fraction, the microseconds (else NULL).
	 * Whole-second data costs 4 bytes a row; read with okra__ts/okra__day.
	 */
	int64_t ts_base; /* seconds since 1970 */
	const uint32_t *ts_sec;
	const uint32_t *ts_us;
	const uint16_t *name; /* event name code */
	const uint32_t *user; /* user id, OKRA_NONE = none */
	okra_dict names;      /* event names */

	/* Account order: rows of account a are acct_off[a] .. acct_off[a+1];
	 * rows without an account come last: acct_off[n] .. n_events. */
	const uint64_t *acct_off; /* accounts.n + 1 entries */
	/* User order: user_rows[user_off[u] .. user_off[u+1]] are u's rows in
	 * time order; rows without a user are not listed. */
	const uint32_t *user_rows;
	const uint64_t *user_off; /* users.n + 1 entries */

	okra_entity_table accounts, users;
	uint32_t n_props;
	okra_prop *props;
	okra_revenue_table revenue;
	bool has_revenue;

	int64_t min_ts, max_ts; /* over events; 0 when there are none */

	okra_file_sum *sums; /* after an ingest: every file read, in order */
	size_t n_sums;

	/* ownership */
	const void *sections; /* the cache's section table (cache.c) */
	uint32_t n_sections;
	void *mapping;
	size_t mapping_len;
	okra_arena arena; /* dictionaries' hash slots, attrs, props */
	void **owned;     /* malloc'd arrays to free */
	size_t n_owned, cap_owned;
} okra_data;

/* ---- dictionaries (engine/dict.c) ---------------------------------------- */

/* A growable dictionary while ingesting. */
typedef struct okra_dict_builder {
	char *pool;
	uint64_t pool_len, pool_cap;
	uint64_t *off; /* n+1 */
	uint32_t n, cap;
	uint64_t *slots; /* open addressing: hash bits | code+1 */
	uint32_t n_slots;
	uint32_t index_from; /* the slots hold codes from here on only */
	uint64_t *hashes;    /* per code, for rehashing (NULL once shed) */
	bool no_hashes;      /* shed: growing hashes the strings again */
	bool failed;
} okra_dict_builder;

/* Asks for transparent huge pages on p's bytes when they are many (4 MiB
 * or more): the first touch of a big array then faults once per 2 MiB
 * instead of once per 4 KiB, a large share of ingest time on a virtual
 * machine.  Returns p (NULL stays NULL). */
void *okra__hugepages(void *p, size_t bytes);

/* The code of s, adding it when new; OKRA_NONE on allocation failure. */
uint32_t okra__dictb_intern(okra_dict_builder *b, const char *s, size_t len);
/* Prefetches the slot where a lookup of s starts (a hint). */
void okra__dictb_prefetch(const okra_dict_builder *b, const char *s,
                          size_t len);
/* The code of s, or OKRA_NONE when absent. */
uint32_t okra__dictb_find(const okra_dict_builder *b, const char *s,
                          size_t len);
/* Makes room for n more strings of bytes bytes in all (NULs included),
 * so that interning them does not grow the tables; false when out of
 * memory (the dictionary is unchanged but for what it grew). */
bool okra__dictb_reserve(okra_dict_builder *b, uint64_t n, uint64_t bytes);
/* Frees the per-code hashes (8 bytes a string): the table then grows by
 * hashing the strings again.  For a big dictionary that grows little. */
void okra__dictb_shed(okra_dict_builder *b);
/* Frees the hash slots: from now on the codes below b->n are neither
 * found nor checked for by okra__dictb_find and okra__dictb_intern (the
 * caller looks their strings up elsewhere, e.g. in a frozen map, and
 * interns only strings it knows are not among them). */
void okra__dictb_unindex(okra_dict_builder *b);
void okra__dictb_free(okra_dict_builder *b);

/* Lookup in a finished dictionary (builds its hash index on first use,
 * in arena a). OKRA_NONE when absent. */
uint32_t okra__dict_find(okra_dict *d, okra_arena *a, const char *s,
                         size_t len);
static inline const char *okra__dict_str(const okra_dict *d, uint32_t code)
{
	return d->pool + d->off[code];
}

uint64_t okra__hash_bytes(const char *s, size_t len);

/* ---- ingest and cache (engine/ingest.c, engine/cache.c) --------------------
 */

typedef struct okra_ingest_stats {
	uint64_t rows[4]; /* events, accounts, users, revenue */
	uint64_t rejected[4];
	uint64_t entities; /* accounts + users seen */
	int64_t min_ts, max_ts;
	double seconds;
} okra_ingest_stats;

void okra__data_free(okra_data *d);

/* The instant of a row in microseconds since 1970. */
static inline int64_t okra__ts(const okra_data *d, uint32_t row)
{
	int64_t t = (d->ts_base + (int64_t)d->ts_sec[row]) * 1000000;
	return d->ts_us ? t + d->ts_us[row] : t;
}

/* The UTC day of a row (days since 1970; timestamps are never negative). */
static inline int32_t okra__day(const okra_data *d, uint32_t row)
{
	return (int32_t)((uint64_t)(d->ts_base + (int64_t)d->ts_sec[row]) /
	                 86400u);
}

/* Day of a timestamp (floor division). */
static inline int32_t okra__day_of(int64_t micros)
{
	int64_t d = micros / OKRA_MICROS_PER_DAY;
	if (micros % OKRA_MICROS_PER_DAY < 0)
		d--;
	return (int32_t)d;
}

#endif
