/*
 * okra_int.h - the shared internal header of libokra.
 *
 * Base utilities (arena, buffer, dates), the model of a workspace (plain
 * data, every node with its source position) and the internal entry points
 * that modules call across folders.  Nothing here is public API.
 */
#ifndef OKRA_INT_H
#define OKRA_INT_H

#include "okra.h"
#include "okra_limits.h"

#include <stdarg.h>
#include <stdint.h>

#define OKRA_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define OKRA_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define OKRA_PRINTF(f, a)
#endif

/* ======================================================================
 * base/arena.c - bump allocator; one per workspace load
 * ====================================================================== */

typedef struct okra__arena_block okra__arena_block;
typedef struct okra_arena {
	okra__arena_block *head;
	bool failed; /* sticky: set by the first failed allocation */
} okra_arena;

/* Zeroed memory aligned for any type; NULL (and a->failed) on failure. */
void *okra__arena_alloc(okra_arena *a, size_t size);
char *okra__arena_strndup(okra_arena *a, const char *s, size_t len);
char *okra__arena_strdup(okra_arena *a, const char *s);
char *okra__arena_printf(okra_arena *a, const char *fmt, ...) OKRA_PRINTF(2, 3);
void okra__arena_free(okra_arena *a);

/* Room for element n of a growable array of elements of size bytes with
 * capacity *cap: items itself while n < *cap, else the array doubled
 * (first elements when empty), its new tail zeroed and *cap updated;
 * NULL (items still valid, *cap unchanged) on overflow or out of memory.
 * okra__grow reallocs a malloc'd array; okra__arena_grow copies into a,
 * leaving the old copy to the arena. */
void *okra__grow(void *items, size_t *cap, size_t n, size_t size, size_t first);
void *okra__arena_grow(okra_arena *a, void *items, size_t *cap, size_t n,
                       size_t size, size_t first);

/* ======================================================================
 * base/buf.c - growable byte buffer (always NUL-terminated)
 * ====================================================================== */

typedef struct okra_buf {
	char *data;
	size_t len, cap;
	bool failed; /* sticky allocation failure */
} okra_buf;

void okra__buf_append(okra_buf *b, const char *s, size_t len);
void okra__buf_puts(okra_buf *b, const char *s);
void okra__buf_putc(okra_buf *b, char c);
void okra__buf_printf(okra_buf *b, const char *fmt, ...) OKRA_PRINTF(2, 3);
void okra__buf_vprintf(okra_buf *b, const char *fmt, va_list ap);
/* Appends s as a JSON string literal, quotes included. */
void okra__buf_json_str(okra_buf *b, const char *s);
void okra__buf_free(okra_buf *b);
/* Writes b to out and frees it: OKRA_ERR_NOMEM when b ran out of memory,
 * OKRA_ERR_IO when the write fails. */
okra_rc okra__buf_write(okra_buf *b, FILE *out, okra_err *err);
/* s (NULL reads as "") padded with blanks to width display characters,
 * on the left when right-aligned. */
void okra__buf_pad(okra_buf *b, const char *s, size_t width, bool right);

/* UTF-8 (base/utf8.c): the offset of the first byte of s[0..len) that is
 * not well-formed UTF-8 (Unicode table 3-7), len when there is none. */
size_t okra__utf8_invalid_at(const char *s, size_t len);
bool okra__utf8_valid(const char *s, size_t len);
/* Display width of s: UTF-8 characters, ANSI escapes not counted; NULL
 * is 0. */
size_t okra__text_width(const char *s);

/* Appends src to b and frees src; a failed src fails b (sticky). */
void okra__buf_cat(okra_buf *b, okra_buf *src);
/* The text of b copied into a, and b freed: the one way a built string
 * lands in an arena.  A failed b fails a (sticky) and gives NULL. */
char *okra__arena_take(okra_arena *a, okra_buf *b);

/* ======================================================================
 * base/err.c - okra_err helpers
 * ====================================================================== */

okra_rc okra__err_set(okra_err *err, okra_rc rc, const char *file, int line,
                      int col, const char *fmt, ...) OKRA_PRINTF(6, 7);
/* OKRA_ERR_NOMEM with the one message every allocation failure gives. */
okra_rc okra__nomem(okra_err *err);

/* ======================================================================
 * base/date.c - UTC calendar days, durations, quarters
 * ====================================================================== */

/* A day is an int32 count of days since 1970-01-01. */
int32_t okra__days_from_civil(int y, int m, int d);
void okra__civil_from_days(int32_t days, int *y, int *m, int *d);
/* Parses YYYY-MM-DD exactly (a valid calendar date). */
bool okra__parse_date(const char *s, int32_t *day);
/* Writes YYYY-MM-DD (11 bytes with NUL). */
void okra__format_date(int32_t day, char out[11]);
/* 0 = Monday .. 6 = Sunday. */
int okra__weekday(int32_t day);

/* A fiscal quarter "YYYY-Qn".  Fiscal year Y ends in calendar year Y: with
 * fiscal_year_start_month S > 1, FY Y starts on S/1 of Y-1 (the Apple,
 * Microsoft, Salesforce convention); with S = 1 it is the calendar year. */
typedef struct okra_quarter {
	int year, q;         /* as written */
	int32_t first, last; /* first and last day, inclusive */
} okra_quarter;

bool okra__parse_quarter(const char *s, int fiscal_start_month,
                         okra_quarter *out);
/* The fiscal quarter that contains day. */
okra_quarter okra__quarter_of(int32_t day, int fiscal_start_month);

/* ======================================================================
 * base/str.c - small string helpers
 * ====================================================================== */

/* Levenshtein distance, capped at cap+1 (cheap early exit). */
int okra__edit_distance(const char *a, const char *b, int cap);
/* The candidate nearest to s (NULL when none is close enough). */
const char *okra__nearest(const char *s, const char *const *candidates,
                          size_t n);
/* The same over n model structs of stride bytes whose first member is
 * `const char *id` (metrics, key results, objectives, teams). */
const char *okra__nearest_id(const char *s, const void *items, size_t n,
                             size_t stride);
bool okra__is_id(const char *s);

/* ======================================================================
 * Model - plain data, no I/O.  Strings live in the workspace arena.
 * ====================================================================== */

/* A source position: file relative to the workspace root, 1-based. */
typedef struct okra_pos {
	const char *file;
	int line, col;
} okra_pos;

/* A YAML scalar as a typed value: a number or a string. */
typedef struct okra_value {
	bool is_number;
	double number;
	const char *text; /* the raw text, also for numbers */
} okra_value;

/* where: {key: value or [values]} - equality or any-of. */
typedef struct okra_where {
	const char *key;
	okra_value *values;
	size_t n_values;
	okra_pos pos;
} okra_where;

/* An event filter: event names (any of; none = any event) and where. */
typedef struct okra_filter {
	const char **events;
	size_t n_events;
	okra_where *where;
	size_t n_where;
	okra_pos pos;
	bool is_set; /* written in the YAML (else the default: any event) */
} okra_filter;

typedef enum okra_window_kind {
	OKRA_WINDOW_DAYS = 0, /* trailing N days */
	OKRA_WINDOW_WEEK,     /* calendar periods up to and including D */
	OKRA_WINDOW_MONTH,
	OKRA_WINDOW_QUARTER,
	OKRA_WINDOW_ALL, /* all time: a cumulative total */
} okra_window_kind;

typedef struct okra_window {
	okra_window_kind kind;
	int days; /* OKRA_WINDOW_DAYS */
	okra_pos pos;
	bool is_set;
} okra_window;

typedef enum okra_metric_type {
	OKRA_METRIC_COUNT = 0,
	OKRA_METRIC_SUM,
	OKRA_METRIC_AVG,
	OKRA_METRIC_ACTIVE,
	OKRA_METRIC_CONVERSION,
	OKRA_METRIC_RETENTION,
	OKRA_METRIC_TIME_TO,
	OKRA_METRIC_THRESHOLD,
	OKRA_METRIC_RATIO,
	OKRA_METRIC_FORMULA,
	OKRA_METRIC_REVENUE,
	OKRA_METRIC_MANUAL,
	OKRA_METRIC_TYPE_COUNT
} okra_metric_type;

typedef enum { OKRA_ENTITY_ACCOUNT = 0, OKRA_ENTITY_USER } okra_entity;
typedef enum {
	OKRA_UNIT_NONE = 0,
	OKRA_UNIT_PERCENT,
	OKRA_UNIT_COUNT,
	OKRA_UNIT_CURRENCY,
	OKRA_UNIT_HOURS,
	OKRA_UNIT_RATIO,
	OKRA_UNIT_SCORE
} okra_unit;
typedef enum { OKRA_DIR_UP = 0, OKRA_DIR_DOWN } okra_direction;
typedef enum {
	OKRA_INDICATOR_NONE = 0,
	OKRA_INDICATOR_LEADING,
	OKRA_INDICATOR_LAGGING
} okra_indicator;

typedef enum {
	OKRA_MEASURE_COUNT = 0, /* {count: filter} */
	OKRA_MEASURE_DISTINCT_USERS,
	OKRA_MEASURE_ACTIVE_DAYS,
	OKRA_MEASURE_RATIO_TO, /* {ratio_to: attribute, of: distinct_users} */
} okra_measure_kind;

typedef enum {
	OKRA_REV_MRR = 0,
	OKRA_REV_ARR,
	OKRA_REV_PAYING_ACCOUNTS,
	OKRA_REV_ARPA,
	OKRA_REV_NEW,
	OKRA_REV_REACTIVATION,
	OKRA_REV_EXPANSION,
	OKRA_REV_CONTRACTION,
	OKRA_REV_CHURNED,
	OKRA_REV_NRR,
	OKRA_REV_GRR,
	OKRA_REV_LOGO_CHURN,
	OKRA_REV_REVENUE_CHURN,
	OKRA_REV_MEASURE_COUNT
} okra_revenue_measure;

/* Formula AST. */
typedef enum {
	OKRA_EXPR_NUMBER = 0,
	OKRA_EXPR_METRIC,
	OKRA_EXPR_NEG,
	OKRA_EXPR_ADD,
	OKRA_EXPR_SUB,
	OKRA_EXPR_MUL,
	OKRA_EXPR_DIV,
	OKRA_EXPR_MIN,
	OKRA_EXPR_MAX,
	OKRA_EXPR_ABS
} okra_expr_kind;

typedef struct okra_expr {
	okra_expr_kind kind;
	double number;           /* NUMBER */
	const char *metric_id;   /* METRIC */
	int metric;              /* METRIC: index into ws->metrics, resolved */
	struct okra_expr **args; /* operands / function arguments */
	size_t n_args;
	int offset; /* byte offset in the expression text */
} okra_expr;

/* Parses a formula; on error returns NULL and sets *err_offset and errmsg. */
okra_expr *okra__formula_parse(okra_arena *a, const char *text, int *err_offset,
                               char *errmsg, size_t cap);

/* The value of a resolved formula, with value(metric, ctx) giving each
 * metric's value (metric is an index into ws->metrics; NaN = null).  Null
 * (NaN) when an input is null or a division by 0 occurs; the result may
 * be infinite on overflow (callers that store it treat that as null). */
typedef double (*okra_expr_value_fn)(int metric, void *ctx);
double okra__expr_eval(const okra_expr *x, okra_expr_value_fn value, void *ctx);

typedef struct okra_target {
	okra_quarter period;
	double target;
	double stretch;
	bool has_stretch;
	okra_pos pos;
} okra_target;

/* A reference to another definition by id, resolved by the checker. */
typedef struct okra_ref {
	const char *id;
	int index; /* into the matching array; -1 until resolved */
	okra_pos pos;
} okra_ref;

/* How money reads where a person reads it (okra.yaml currency:); JSON and
 * CSV keep every digit. */
typedef struct okra_money {
	const char *symbol; /* before the number: "$" by default, "" none */
	bool full;          /* $1,841,916.00 instead of the compact $1.84M */
} okra_money;

typedef struct okra_metric {
	const char *id;
	okra_pos pos; /* of the list item */
	okra_pos id_pos;
	const char *title, *description;
	okra_metric_type type;
	okra_pos type_pos;
	okra_entity entity;
	okra_unit unit;
	okra_direction direction;
	okra_indicator indicator;
	int level;      /* 0 = not given, else 1..4 */
	okra_ref owner; /* team; id NULL when absent */
	const char **segments;
	okra_pos *segments_pos; /* of each attribute in the list */
	size_t n_segments;
	const char *calculation, *review; /* frequency */
	double benchmark;
	bool has_benchmark;
	okra_target *targets;
	size_t n_targets;
	okra_ref *related_leading, *related_lagging, *guardrails;
	size_t n_related_leading, n_related_lagging, n_guardrails;

	/* count, sum, avg, active: the event filter; retention and threshold:
	 * the activity filter. */
	okra_filter filter;
	okra_window window;       /* defaults resolved by the loader */
	const char *property;     /* sum, avg */
	bool per_active;          /* sum, avg: per: active */
	int min_events, min_days; /* active */

	/* conversion, retention, time_to */
	bool anchor_created; /* anchor: created */
	okra_filter anchor;  /* anchor: {event: x} */
	okra_filter target;  /* conversion (single), time_to */
	okra_filter *steps;  /* conversion funnel */
	size_t n_steps;
	int within_days;                   /* 0 = not given */
	int cohort_days;                   /* default 28 */
	int day_n, between_lo, between_hi; /* retention */
	bool has_between;
	double quantile; /* time_to: 0.5, 0.75, 0.9 */
	const char *stat;

	/* threshold */
	okra_measure_kind measure;
	okra_filter measure_filter; /* {count: filter} */
	const char *ratio_to;       /* attribute */
	double at_least;

	/* ratio, formula */
	okra_ref numerator, denominator;
	const char *expr_text;
	okra_expr *expr;
	okra_pos expr_pos; /* of the first character of the text */
	bool expr_inline;  /* on one line: expr_pos.col + offset works */

	/* revenue */
	okra_revenue_measure revenue_measure;
	int lookback; /* months, default 12 */

	/* The workspace's money format (NULL: the default, $ and compact). */
	const okra_money *money;
} okra_metric;

/* ======================================================================
 * model/metric_type.c - one row per metric type (and revenue measure)
 * ====================================================================== */

/* The pass of an engine that evaluates a metric (the plan's scan groups). */
typedef enum okra_scan {
	OKRA_SCAN_DERIVED = 0, /* ratio, formula: from other metrics' values */
	OKRA_SCAN_EVENTS,      /* count, sum, avg: the events of the window */
	OKRA_SCAN_ENTITIES,    /* active, conversion, retention, time_to,
	                          threshold: each entity's events in turn */
	OKRA_SCAN_REVENUE,     /* the monthly revenue rows */
	OKRA_SCAN_STATE,       /* manual: check-ins in the state database */
} okra_scan;

/* What a metric can do (okra__metric_caps). */
enum {
	OKRA_CAP_SEGMENTS = 1u << 0, /* evaluated per segment */
	OKRA_CAP_ADDITIVE = 1u << 1, /* segment values add up to the total */
	OKRA_CAP_SHARE = 1u << 2,    /* a share of a population (num / den) */
	OKRA_CAP_LIFT = 1u << 3,     /* a met / not met outcome per entity
	                              * whose lift on the north star okra
	                              * diagnose measures */
	OKRA_CAP_COHORT = 1u << 4,   /* a mature cohort chosen by anchor day */
	OKRA_CAP_QUANTILE = 1u << 5, /* a quantile of per-entity values */
	OKRA_CAP_MEAN = 1u << 6,     /* a mean of per-event values */
	OKRA_CAP_WINDOW = 1u << 7,   /* reads the events of a window */
};

typedef struct okra_metric_type_info {
	const char *name;
	const char *const *keys; /* the YAML keys it takes besides the
	                            common ones; NULL-terminated */
	okra_unit unit;          /* default unit (revenue: per measure) */
	int window_days;         /* default trailing window; 0 = none */
	okra_scan scan;
	unsigned caps;       /* OKRA_CAP_* before parameters */
	bool is_count;       /* values are whole numbers */
	const char *summary; /* one line, for help and docs */
} okra_metric_type_info;

extern const okra_metric_type_info okra__metric_types[OKRA_METRIC_TYPE_COUNT];

typedef struct okra_revenue_measure_info {
	const char *name;
	okra_unit unit;
	bool is_count;
	bool is_additive; /* segment values add up to the total */
} okra_revenue_measure_info;

extern const okra_revenue_measure_info
    okra__revenue_measures[OKRA_REV_MEASURE_COUNT];

/* The capabilities of m: its type's row adjusted by its parameters (a
 * `per: active` sum is a share; revenue measures differ in additivity). */
unsigned okra__metric_caps(const okra_metric *m);
/* The values m can take, as forecasts and targets are clamped: shares
 * 0..1; counts, hours and currency at least 0; else unbounded. */
void okra__metric_domain(const okra_metric *m, double *lo, double *hi);
okra_unit okra__metric_default_unit(const okra_metric *m);
/* Are m's values whole numbers (printed without decimals)? */
bool okra__metric_is_count(const okra_metric *m);

/* Calls fn(input, ctx) for each metric m reads directly: a ratio's
 * numerator and denominator, a formula's references in the order of its
 * text (repeats included).  input is an index into ws->metrics, -1 when
 * unresolved.  Other types read no metric. */
typedef void (*okra_input_fn)(int input, void *ctx);
void okra__metric_inputs(const okra_metric *m, okra_input_fn fn, void *ctx);

typedef enum {
	OKRA_KR_MOVE = 0,
	OKRA_KR_STAY_ABOVE,
	OKRA_KR_STAY_BELOW,
	OKRA_KR_MILESTONE
} okra_kr_kind;

typedef enum {
	OKRA_BASELINE_NONE = 0,
	OKRA_BASELINE_NUMBER,
	OKRA_BASELINE_AUTO
} okra_baseline_kind;

typedef struct okra_text {
	const char *text;
	okra_pos pos;
} okra_text;

typedef struct okra_key_result {
	const char *id;
	okra_pos pos, id_pos;
	okra_text title;
	okra_kr_kind kind;
	okra_ref metric;   /* id NULL when unbound */
	okra_where *where; /* segment pin */
	size_t n_where;
	okra_baseline_kind baseline_kind;
	double baseline;
	okra_pos baseline_pos;
	bool has_target, has_stretch;
	double target, stretch;
	okra_pos target_pos;
	const char *measurement;
	int32_t due; /* milestone; -1 when absent */
	okra_text *hypotheses;
	size_t n_hypotheses;
	okra_pos hypotheses_pos;
	int objective; /* index of the owning objective */
	/* lint_ignore: the rules whose findings inside this key result's
	 * definition (pos.line .. last_line of pos.file) are suppressed. */
	const char **lint_ignore;
	size_t n_lint_ignore;
	int last_line;
} okra_key_result;

/* Where an objective is in the quarter's design process (status:). */
typedef enum okra_plan_status {
	OKRA_STATUS_NONE = 0, /* not written: a running objective */
	OKRA_STATUS_DRAFT,    /* a draft: placeholders allowed */
	OKRA_STATUS_REVIEW,   /* up for review: the plan gates apply */
	OKRA_STATUS_FINAL     /* agreed: the plan gates apply */
} okra_plan_status;

typedef struct okra_objective {
	const char *id;
	okra_pos pos, id_pos;
	okra_text title;
	const char *why;
	okra_ref team;
	bool has_quarter;
	okra_quarter quarter;
	okra_pos quarter_pos;
	/* parent: "north_star" or a key result id */
	const char *parent;
	bool parent_is_north_star;
	int parent_kr; /* index into ws->key_results, or -1 */
	okra_pos parent_pos;
	int first_kr; /* key results are contiguous in ws */
	size_t n_krs;
	okra_plan_status status;
	okra_pos status_pos;
	bool is_maintenance; /* maintenance: true - keeps the lights on,
	                        needs no trace to the north star */
	bool is_company;     /* level: company (or team: company) */
	/* lint_ignore: as a key result's, over the whole objective. */
	const char **lint_ignore;
	size_t n_lint_ignore;
	int last_line;
} okra_objective;

typedef struct okra_tree_link {
	okra_ref parent;
	okra_ref *children;
	size_t n_children;
} okra_tree_link;

typedef struct okra_tree {
	const char *id;
	okra_pos pos, id_pos;
	const char *title; /* NULL when absent */
	okra_ref root;
	okra_tree_link *links;
	size_t n_links;
} okra_tree;

typedef struct okra_experiment {
	const char *id;
	okra_pos pos, id_pos;
	const char *title; /* NULL when absent */
	okra_ref key_result;
	const char *hypothesis;
	int32_t start, end; /* -1 when absent */
	okra_filter exposure;
	const char *variant_property;
	const char *control;
	okra_pos control_pos;
	/* split: {variant: weight}, in the order written; n_split 0 = equal
	 * over the control and the variants the data shows. */
	const char **split_names;
	double *split_weights;
	size_t n_split;
	okra_pos split_pos;
	okra_ref metric; /* default: the KR's metric */
	okra_ref *guardrails;
	size_t n_guardrails;
	double minimum_detectable_effect;
	bool has_mde;
} okra_experiment;

typedef enum {
	OKRA_TEAM_ACTIVATION = 0,
	OKRA_TEAM_CORE,
	OKRA_TEAM_EXPANSION,
	OKRA_TEAM_PLATFORM
} okra_team_type;

typedef struct okra_team {
	const char *id;
	okra_team_type type;
	okra_pos pos, id_pos;
} okra_team;

/* A data table of the embedded engine. */
typedef struct okra_table_source {
	bool is_set;
	const char *path;            /* relative to the root; may be a glob */
	const char **column_names;   /* canonical name ... */
	const char **column_sources; /* ... and where it comes from */
	size_t n_columns;
	const char **json_columns; /* CSV columns holding JSON objects */
	size_t n_json_columns;
	bool is_periods; /* revenue: periods: {...} */
	okra_pos pos;
} okra_table_source;

typedef struct okra_workspace_settings {
	const char *name;
	int fiscal_start_month; /* 1..12 */
	int week_start;         /* 0 = Monday .. 6 = Sunday */
	double yellow_gap, red_gap;
	okra_table_source events, accounts, users, revenue;
	bool engine_clickhouse;
	okra_pos engine_pos; /* of engine: {clickhouse: ...} */
	bool has_clickhouse; /* engine: {clickhouse: ...} is written */
	const char *clickhouse_url,
	    *clickhouse_database;            /* database: default */
	const char *clickhouse_user;         /* NULL: the server's default */
	const char *clickhouse_password_env; /* the variable holding it */
	const char *clickhouse_cluster;      /* Distributed tables over it */
	int clickhouse_timeout_s;            /* 0: 300 */
	okra_pos clickhouse_pos;             /* of the clickhouse: map */
	FILE *sql_log;       /* -v: the SQL of a query ClickHouse rejects */
	okra_ref north_star; /* id NULL when absent */
	okra_ref *ns_outputs, *ns_inputs;
	size_t n_ns_outputs, n_ns_inputs;
	okra_pos north_star_pos;
	/* lint: {disable: [rule, ...]}: rules whose findings are suppressed
	 * everywhere (and counted). */
	const char **lint_disable;
	size_t n_lint_disable;
	okra_money money; /* currency: {symbol, compact} */
} okra_workspace_settings;

/* A loaded YAML file, kept so findings can quote their line. */
typedef struct okra_source {
	const char *path; /* relative to the root */
	const char *text;
	size_t len;
} okra_source;

struct okra_workspace {
	okra_arena arena;
	const char *root;
	okra_workspace_settings settings;
	okra_source *sources;
	size_t n_sources;
	okra_team *teams;
	size_t n_teams;
	okra_metric *metrics;
	size_t n_metrics;
	okra_objective *objectives;
	size_t n_objectives;
	okra_key_result *key_results;
	size_t n_key_results;
	okra_tree *trees;
	size_t n_trees;
	okra_experiment *experiments;
	size_t n_experiments;
};

/* Builds a workspace from in-memory files (the first is okra.yaml), as
 * okra_workspace_load does from a folder.  For tests and fuzzing. */
okra_rc okra__workspace_from_sources(const char *root, const okra_source *srcs,
                                     size_t n, okra_findings *findings,
                                     okra_workspace **out, okra_err *err);

/* Lookups by id: index or -1. */
int okra__find_metric(const okra_workspace *ws, const char *id);
int okra__find_team(const okra_workspace *ws, const char *id);
int okra__find_key_result(const okra_workspace *ws, const char *id);
int okra__find_objective(const okra_workspace *ws, const char *id);

/* Leading: indicator: leading, or level 3-4 without one; lagging:
 * indicator: lagging, or level 1-2 (SPEC 5, kr-lagging). */
bool okra__metric_is_leading(const okra_metric *m);
bool okra__metric_is_lagging(const okra_metric *m);

/* The source line (borrowed, not NUL-terminated at line end: use len) */
const char *okra__source_line(const okra_workspace *ws, const char *file,
                              int line, size_t *len);

/* ======================================================================
 * Findings (base/findings.c) and the rule catalogue (base/rules.c)
 * ====================================================================== */

/* Appends a finding; every string is copied, source_line (source_len bytes,
 * may be NULL) too.  Never drops one: when memory runs out the list is
 * marked failed (okra_findings_failed) instead. */
void okra__findings_vadd(okra_findings *f, okra_severity sev, const char *rule,
                         okra_pos pos, const char *source_line,
                         size_t source_len, const char *hint, const char *fmt,
                         va_list ap) OKRA_PRINTF(8, 0);
/* Appends a copy of a finding of another list, source line included. */
void okra__findings_copy(okra_findings *f, const okra_finding *it);
/* Counts one suppressed finding (instead of adding it). */
void okra__findings_suppress(okra_findings *f, okra_suppression by);
/* Adds the suppressed counts of src to f (a list copied from another). */
void okra__findings_add_suppressed(okra_findings *f, const okra_findings *src);
/* The findings as the JSON array of `okra lint --format json`
 * (render/findings.c). */
void okra__findings_json(const okra_findings *f, okra_buf *b);

/* Every rule id, in catalogue order (the order of okra_rule_at). */
typedef enum okra_rule_id {
	OKRA_RULE_KR_ACTIVITY,
	OKRA_RULE_KR_UNMEASURABLE,
	OKRA_RULE_KR_NO_METRIC,
	OKRA_RULE_KR_NO_BASELINE,
	OKRA_RULE_KR_NO_TARGET,
	OKRA_RULE_KR_DIRECTION,
	OKRA_RULE_KR_LAGGING,
	OKRA_RULE_KR_WINDOW_TOO_LONG,
	OKRA_RULE_KR_FEW_HYPOTHESES,
	OKRA_RULE_KR_NOT_OWNED,
	OKRA_RULE_KR_MANUAL_METRIC,
	OKRA_RULE_OBJECTIVE_KR_COUNT,
	OKRA_RULE_OBJECTIVE_VAGUE,
	OKRA_RULE_OBJECTIVE_METRIC,
	OKRA_RULE_OBJECTIVE_NO_QUARTER,
	OKRA_RULE_OBJECTIVE_ORPHAN,
	OKRA_RULE_OBJECTIVE_NOT_READY,
	OKRA_RULE_TEAM_TOO_MANY_KPIS,
	OKRA_RULE_TEAM_LAGGING_ONLY,
	OKRA_RULE_TEAM_OBJECTIVES,
	OKRA_RULE_METRIC_VANITY,
	OKRA_RULE_METRIC_NO_GUARDRAIL,
	OKRA_RULE_TARGET_SANDBAGGED,
	OKRA_RULE_TARGET_UNREACHABLE,
	OKRA_RULE_DATA_UNKNOWN_EVENT,
	OKRA_RULE_DATA_UNKNOWN_VALUE,
	OKRA_RULE_YAML_SYNTAX,
	OKRA_RULE_KEY_UNKNOWN,
	OKRA_RULE_KEY_MISSING,
	OKRA_RULE_TYPE_MISMATCH,
	OKRA_RULE_ID_DUPLICATE,
	OKRA_RULE_REF_UNKNOWN,
	OKRA_RULE_REF_CYCLE,
	OKRA_RULE_COUNT
} okra_rule_id;

/* The catalogue row of id (never NULL). */
const okra_rule *okra__rule(okra_rule_id id);
/* The rule id nearest to id, for "did you mean"; NULL when none is close. */
const char *okra__rule_nearest(const char *id);

/* ======================================================================
 * model/finding.c - findings about the workspace, with their source line
 * ====================================================================== */

/* Appends a finding with the source line of pos looked up in ws (none when
 * ws is NULL); strings are copied.  hint may be NULL.  rule must be in the
 * catalogue (base/rules.c) with sev among its severities. */
void okra__finding_add(okra_findings *f, const okra_workspace *ws,
                       okra_severity sev, const char *rule, okra_pos pos,
                       const char *hint, const char *fmt, ...)
    OKRA_PRINTF(7, 8);
void okra__finding_vadd(okra_findings *f, const okra_workspace *ws,
                        okra_severity sev, const char *rule, okra_pos pos,
                        const char *hint, const char *fmt, va_list ap)
    OKRA_PRINTF(7, 0);
/* okra__finding_add with the rule's own severity (okra__rule(id)). */
void okra__finding_rule(okra_findings *f, const okra_workspace *ws,
                        okra_rule_id id, okra_pos pos, const char *hint,
                        const char *fmt, ...) OKRA_PRINTF(6, 7);

/* ======================================================================
 * model/check.c - references, duplicates, cycles (after loading)
 * ====================================================================== */

void okra__workspace_check(okra_workspace *ws, okra_findings *f);

/* ======================================================================
 * okr/text.c - wording rules for key results and objectives
 * ====================================================================== */

/* Does the text state a number (digits, "3x", "40%", "$1.2M", "NPS 50")? */
bool okra__text_has_number(const char *text);
/* kr-activity: the key result describes work done, not a change. */
bool okra__text_kr_is_activity(const char *title);
/* kr-direction: +1 when the title asks the metric to go up ("Increase",
 * "Grow", "Activation up 20%"), -1 for down ("Reduce", "Cut", "Churn down
 * from 4% to 2%"), 0 when its words say neither ("Improve", "Keep").  The
 * word that says so, lowercase, is written into word (cap bytes). */
int okra__text_kr_direction(const char *title, char *word, size_t cap);
/* kr-unmeasurable: no number and only vague outcome words. */
bool okra__text_kr_is_unmeasurable(const char *title);
/* objective-vague: generic, or no segment and no outcome direction. */
bool okra__text_objective_is_vague(const char *title);
/* objective-metric: the objective is itself a number target. */
bool okra__text_objective_is_metric(const char *title);
/* The noun phrase the activity works on ("the onboarding redesign" in "Ship
 * the onboarding redesign"), written into out; false when none is found. */
bool okra__text_activity_object(const char *title, char *out, size_t cap);

/* ======================================================================
 * okr/plan_gates.c - the gates of an objective at review and final
 * ====================================================================== */

/* Does the text hold a placeholder to fill in ("<a change>")? */
bool okra__text_is_placeholder(const char *text);
/* Does o's chain of parents reach the north star okra.yaml defines? */
bool okra__objective_traced(const okra_workspace *ws, const okra_objective *o);
/* Another objective of o's team in o's quarter, neither marked
 * maintenance nor company level (nor is o); NULL when none. */
const okra_objective *okra__objective_sibling(const okra_workspace *ws,
                                              const okra_objective *o);
/* Checks the plan gates of o, calling fn(ctx, pos, message) for each
 * that fails; returns how many gates were checked (3 per key result: a
 * metric, baseline and target, 3-5 hypotheses written out; 2 for the
 * objective: traced or maintenance, one per team). */
typedef void (*okra_gate_fn)(void *ctx, okra_pos pos, const char *msg);
size_t okra__plan_gates(const okra_workspace *ws, const okra_objective *o,
                        okra_gate_fn fn, void *ctx);

#endif /* OKRA_INT_H */
