/*
 * backend.h - the operations an engine backend provides.
 *
 * A backend is a table of operations (SQLite's sqlite3_vfs, curl's
 * Curl_handler): the embedded engine (engine/backend.c) is one, a
 * ClickHouse engine would be another.  The front above them
 * (query/query.c) resolves what is not backend-specific - the as-of days,
 * the segments and the pin, ratio and formula arithmetic, manual metrics
 * from the state database - and asks the backend only for what needs the
 * data: the days it covers, the attributes and their values, and the
 * values of the metrics that scan events, entities or revenue.
 */
#ifndef OKRA_BACKEND_H
#define OKRA_BACKEND_H

#include "plan/experiment.h"
#include "plan/profile.h"
#include "plan/result.h"

typedef struct okra_backend okra_backend; /* a backend's own state */

/* What a where key names in the data. */
typedef enum okra_key_source {
	OKRA_KEY_NONE = 0, /* neither: a filter on it keeps nothing */
	OKRA_KEY_PROPERTY,
	OKRA_KEY_ATTRIBUTE,
} okra_key_source;

typedef struct okra_key_info {
	okra_key_source source;
	bool found; /* the value occurs (when one was asked about) */
	const char **texts;
	size_t n_texts;
} okra_key_info;

typedef struct okra_backend_ops {
	const char *name; /* "embedded" */

	/* Opens the workspace's data (the embedded engine ingests stale
	 * files first; summary says whether it did).  Borrows ws. */
	okra_rc (*open)(const okra_workspace *ws, const okra_load_options *opt,
	                okra_backend **out, okra_ingest_summary *summary,
	                okra_err *err);
	void (*close)(okra_backend *b);

	/* The days the data covers (okra_coverage, result.h). */
	void (*coverage)(okra_backend *b, okra_coverage *out);

	/* The account attributes, in the data's order (strings borrowed from
	 * the backend, array in a). */
	okra_rc (*attributes)(okra_backend *b, okra_arena *a, const char ***out,
	                      size_t *n, okra_err *err);

	/* The distinct values of account attribute attr, any order; for
	 * "cohort" the signup months (YYYY-MM) of every account and user with
	 * a created_at.  Strings and array in a. */
	okra_rc (*attr_values)(okra_backend *b, const char *attr, okra_arena *a,
	                       const char ***out, size_t *n, okra_err *err);

	/* The event names the data holds and how many events each has
	 * (names borrowed from the backend, arrays in a). */
	okra_rc (*event_names)(okra_backend *b, okra_arena *a,
	                       const char ***names, uint64_t **counts,
	                       size_t *n, okra_err *err);

	/* The event properties (names borrowed, array in a). */
	okra_rc (*properties)(okra_backend *b, okra_arena *a, const char ***out,
	                      size_t *n, okra_err *err);

	/* What a where key names (an event property wins over an account
	 * attribute of the same name) and, when value is not NULL, whether
	 * some event or account has it as a filter compares it (a string
	 * with the raw text, a number numerically); texts are the key's
	 * distinct text values, for suggestions (at most cap, in a). */
	okra_rc (*key_lookup)(okra_backend *b, const char *key,
	                      const okra_value *value, size_t cap,
	                      okra_arena *a, okra_key_info *out, okra_err *err);

	/* Fills r->values of every item whose scan is OKRA_SCAN_EVENTS,
	 * OKRA_SCAN_ENTITIES or OKRA_SCAN_REVENUE, for r->plan's dates and
	 * pin and r->seg's segments (both resolved by the front: every
	 * attribute they name exists).  Values are allocated and null.
	 * When r->plan.outcome_of is set, also the four outcome counts of
	 * every item with `outcomes` (plan.h, result.h: okra_outcome), in
	 * the same pass; a backend that cannot leaves them NaN and the lift
	 * reads as not computed. */
	okra_rc (*evaluate)(okra_backend *b, okra_result *r, okra_err *err);

	/* Measures an experiment in one pass over the entities (SPEC 14):
	 * per entity its first exposure between q->x's start and
	 * q->last_day, its variant, and every outcome of q from that
	 * exposure and before it.  Arrays and strings in a. */
	okra_rc (*experiment)(okra_backend *b, const okra_exp_query *q,
	                      okra_arena *a, okra_exp_data *out, okra_err *err);

	/* Profiles the data (okra data, plan/profile.h): the files, the
	 * tables' rows and days, the event names with their counts and
	 * first and last day, the properties and attributes with their kind,
	 * fill and distinct values, the events without an account or user,
	 * the ids the events reference that their table lacks.  Fills out
	 * (zeroed, its arena set) in out->arena. */
	okra_rc (*profile)(okra_backend *b, okra_profile *out, okra_err *err);
} okra_backend_ops;

extern const okra_backend_ops okra__embedded_backend;
/* A workspace whose okra.yaml names no data table (query/nodata.c). */
extern const okra_backend_ops okra__nodata_backend;

#endif
