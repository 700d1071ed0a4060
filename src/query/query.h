/*
 * query.h - the engine front's internal entry points, for modules that
 * need more than the public okra_metrics_eval / okra_series_eval: any set
 * of as-of days and a multi-clause segment pin in one evaluation (a key
 * result's `where:`).  The result is read through plan/result.h.
 */
#ifndef OKRA_QUERY_H
#define OKRA_QUERY_H

#include "plan/backend.h"
#include "plan/experiment.h"

#include <stdio.h>

/* Evaluates the metrics named by ids (all when n_ids is 0) at dates (any
 * order, duplicates allowed), only for the entities passing pin (borrowed;
 * n_pin 0 = everyone).  One pass over the data. */
okra_rc okra__engine_eval(okra_engine *e, const char *const *ids, size_t n_ids,
                          const int32_t *dates, size_t n_dates,
                          const okra_where *pin, size_t n_pin,
                          okra_result **out, okra_err *err);

/* okra__engine_eval without pin or segments, that also counts at day
 * (one of dates) the entity outcomes of every conversion or threshold
 * metric among ids (those a lift is measured for) against north_star (a metric
 * that counts entities: active, threshold, conversion, retention; NULL: no
 * outcomes), in the same pass (plan.h: outcome_of; read with
 * okra__result_outcome). */
okra_rc okra__engine_eval_outcomes(okra_engine *e, const char *const *ids,
                                   size_t n_ids, const int32_t *dates,
                                   size_t n_dates, int32_t day,
                                   const okra_metric *north_star,
                                   okra_result **out, okra_err *err);

/* Writes the SQL of okra__engine_eval_outcomes on the ClickHouse engine
 * (okra sql --diagnose): each metric's queries, then the outcome counts
 * of each metric that has them.  A usage error on the embedded engine. */
okra_rc okra__engine_sql_outcomes(okra_engine *e, const char *const *ids,
                                  size_t n_ids, const int32_t *dates,
                                  size_t n_dates, int32_t day,
                                  const okra_metric *north_star, FILE *out,
                                  okra_err *err);

/* Measures an experiment through the backend (plan/experiment.h): one
 * pass over the entities; arrays and strings in a. */
okra_rc okra__engine_experiment(okra_engine *e, const okra_exp_query *q,
                                okra_arena *a, okra_exp_data *out,
                                okra_err *err);

const okra_workspace *okra__engine_workspace(const okra_engine *e);
/* Parses a day of a query (what: "asof", "from", "to" for messages): a
 * valid date YYYY-MM-DD no later than a year after today and the end of
 * the data (a day like 9999-01-01 would read nothing but zeros). */
okra_rc okra__engine_day(const okra_engine *e, const char *s, const char *what,
                         int32_t *day, okra_err *err);
/* The last day with events (today when there are none). */
int32_t okra__engine_last_day(const okra_engine *e);
/* The first day with events, -1 when there are none. */
int32_t okra__engine_first_day(const okra_engine *e);

/* ---- query/segments.c ------------------------------------------------- */

/* Checks r's pin against the data: every pinned attribute must exist
 * (or be "cohort"), and with values every pinned value must occur (the
 * command line's pins; a key result's pin that matches nothing is a lint
 * warning instead).  Usage errors name the nearest attribute or value. */
okra_rc okra__check_pins(okra_engine *e, okra_result *r, bool values,
                         okra_err *err);

/* Resolves r's segmentation against the data: the segmentation is by (an
 * attribute that must exist, or "cohort") or else every attribute the requested
 * metrics list in `segments` (one that the data lacks puts everyone in
 * "(none)"). Each attribute's segments are its values, sorted, then "(none)".
 */
okra_rc okra__resolve_segments(okra_engine *e, okra_result *r, okra_err *err);

/* ---- query/derive.c --------------------------------------------------- */

/* Fills the values that need no data scan, in plan order after the
 * engine's: manual metrics from the state database, then ratios and
 * formulas from their inputs' values, segment by segment. */
okra_rc okra__derive(okra_result *r, okra_err *err);

/* ---- query/query.c ---------------------------------------------------- */

/* A new empty result of e's workspace (NULL when out of memory); build
 * its plan (and pin), then okra__engine_evaluate fills it: segments, the
 * backend's values, the derived ones. */
okra_result *okra__result_new(okra_engine *e);
okra_rc okra__engine_evaluate(okra_engine *e, okra_result *r, okra_err *err);
/* Parses the command line's "ATTR=VALUE" pins into r's plan (built
 * first) and checks them against the data, as okra_metrics_eval does. */
okra_rc okra__query_pins(okra_engine *e, okra_result *r,
                         const char *const *where, size_t n, okra_err *err);

/* The backend's attribute values (for segments) and names (messages). */
okra_rc okra__engine_attr_values(okra_engine *e, const char *attr,
                                 okra_arena *a, const char ***out, size_t *n,
                                 okra_err *err);
okra_rc okra__engine_attributes(okra_engine *e, okra_arena *a,
                                const char ***out, size_t *n, okra_err *err);
/* The backend's profile of its data (okra data, plan/profile.h). */
okra_rc okra__engine_profile(okra_engine *e, okra_profile *out, okra_err *err);
/* What the data holds, for the data-aware lint rules (plan/backend.h). */
okra_rc okra__engine_event_names(okra_engine *e, okra_arena *a,
                                 const char ***names, uint64_t **counts,
                                 size_t *n, okra_err *err);
okra_rc okra__engine_properties(okra_engine *e, okra_arena *a,
                                const char ***out, size_t *n, okra_err *err);
okra_rc okra__engine_key_lookup(okra_engine *e, const char *key,
                                const okra_value *value, size_t cap,
                                okra_arena *a, okra_key_info *out,
                                okra_err *err);

/* ---- query/compare.c ---------------------------------------------------- */

/* --compare: prev (one period of each metric earlier), yoy (a year
 * earlier, Feb 29 -> Feb 28) or a date. */
typedef enum {
	OKRA_COMPARE_PREV = 0,
	OKRA_COMPARE_YOY,
	OKRA_COMPARE_DATE
} okra_compare_kind;

typedef struct okra_compare {
	okra_compare_kind kind;
	int32_t day; /* OKRA_COMPARE_DATE */
} okra_compare;

/* Parses "prev", "yoy" or YYYY-MM-DD; else a usage error. */
okra_rc okra__compare_parse(const char *text, okra_compare *out, okra_err *err);
/* The day metric m as of day is compared with (a date: that date). */
int32_t okra__compare_day(const okra_workspace *ws, const okra_metric *m,
                          const okra_compare *c, int32_t day);
/* Evaluates r's requested metrics again at the day each of r's dates is
 * compared with (same segments and pin) into r->compare. */
okra_rc okra__compare_eval(okra_engine *e, okra_result *r, const char *text,
                           okra_err *err);

#endif
