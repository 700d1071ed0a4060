/*
 * profile.h - what a backend's data holds, for okra data: plain data that
 * a backend fills (plan/backend.h, profile) and render/profile.c writes.
 *
 * Days are days since 1970-01-01 (-1: none), months since 1970-01 (-1:
 * none).  Every string and array lives in the profile's arena.
 */
#ifndef OKRA_PROFILE_H
#define OKRA_PROFILE_H

#include "okra_int.h"

/* The most examples of ids missing from their table a profile lists. */
#define OKRA_PROFILE_EXAMPLES 5

typedef enum okra_value_kind {
	OKRA_VALUES_NONE = 0, /* no value at all */
	OKRA_VALUES_NUMBER,   /* every value a number */
	OKRA_VALUES_TEXT,     /* no value a number */
	OKRA_VALUES_MIXED,    /* some of each */
} okra_value_kind;

/* An event property or an entity attribute. */
typedef struct okra_profile_key {
	const char *name;
	okra_value_kind kind;
	uint64_t filled;   /* rows (entities) that have a value */
	uint64_t distinct; /* distinct values */
	double min, max;   /* over the numbers (kind NUMBER or MIXED) */
	const char *top;   /* the commonest value's text, or NULL */
	uint64_t top_count;
} okra_profile_key;

typedef struct okra_profile_event {
	const char *name;
	uint64_t count;
	int32_t first, last; /* days */
} okra_profile_event;

/* Accounts or users. */
typedef struct okra_profile_entities {
	bool has_table;        /* okra.yaml names the table */
	uint64_t rows;         /* entities of the table */
	int32_t first, last;   /* their created_at days */
	uint64_t in_events;    /* distinct ids the events reference ... */
	uint64_t missing;      /* ... of which the table does not have */
	const char **examples; /* some of those (at most EXAMPLES) */
	size_t n_examples;
	okra_profile_key *attrs; /* attributes, by name */
	size_t n_attrs;
} okra_profile_entities;

typedef struct okra_profile_file {
	const char *table; /* events, accounts, users, revenue */
	const char *path;  /* relative to the workspace */
	uint64_t bytes;
} okra_profile_file;

struct okra_profile {
	okra_arena arena;
	const char *backend; /* "embedded" */
	okra_profile_file *files;
	size_t n_files;

	uint64_t n_events;
	int32_t first, last;          /* days with events */
	uint64_t no_account, no_user; /* events without one */
	okra_profile_event *names;    /* by count, then name */
	size_t n_names;
	okra_profile_key *props; /* event properties, by name */
	size_t n_props;

	okra_profile_entities accounts, users;

	bool has_revenue;          /* okra.yaml names a revenue table */
	uint64_t revenue_rows;     /* monthly rows (a running period: one) */
	int32_t revenue_first;     /* months */
	int32_t revenue_last;      /* months; INT32_MAX: a period still runs */
	uint64_t revenue_accounts; /* distinct accounts with revenue */
	double revenue_last_mrr;   /* MRR in the last month with rows */
};

#endif
