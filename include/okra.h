/*
 * okra.h - the one public header of libokra, the OKR and KPI engine.
 *
 * The command line (src/cli) and the server use only this header.  Handles
 * are opaque; every function says who owns what it returns.  Fallible
 * functions return okra_rc and fill an okra_err with a one-line message;
 * out-parameters are set only on success.
 */
#ifndef OKRA_H
#define OKRA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Result codes.  The CLI maps them to exit status: OK 0, FINDINGS 1, else 2. */
typedef enum okra_rc {
	OKRA_OK = 0,
	OKRA_FINDINGS,   /* the operation ran and found errors (lint) */
	OKRA_ERR_USAGE,  /* bad arguments */
	OKRA_ERR_CONFIG, /* the workspace YAML is invalid */
	OKRA_ERR_DATA,   /* a data file is invalid */
	OKRA_ERR_IO,     /* a file could not be read or written */
	OKRA_ERR_NOMEM,  /* out of memory */
} okra_rc;

/* Error detail: one line, no trailing newline.  file is empty and line/col
 * are 0 when there is no position. */
typedef struct okra_err {
	okra_rc rc;
	char file[512];
	int line; /* 1-based, 0 = none */
	int col;  /* 1-based, 0 = none */
	char msg[1024];
} okra_err;

/* Prints "file:line:col: error: msg" (the parts that exist) and a newline. */
void okra_err_print(const okra_err *err, FILE *out);

/* The version string, e.g. "0.1.0". */
const char *okra_version(void);

/* The candidate nearest to word (a "did you mean" suggestion: a few edits
 * away, a swap of two letters counting one), or NULL when none is close.
 * Borrowed from candidates. */
const char *okra_suggest(const char *word, const char *const *candidates,
                         size_t n);

/* ---- Findings: the diagnostics of loading and linting ------------------ */

typedef enum okra_severity {
	OKRA_INFO = 0,
	OKRA_WARNING,
	OKRA_ERROR,
} okra_severity;

/* One finding.  All strings are owned by the okra_findings list. */
typedef struct okra_finding {
	okra_severity severity;
	const char *rule; /* stable rule id, e.g. "kr-activity" */
	const char *file; /* path relative to the workspace root */
	int line, col;    /* 1-based; 0 when the finding has no position */
	const char *message;
	const char *hint;        /* NULL when there is none */
	const char *source_line; /* the text of that line, NULL when unknown */
} okra_finding;

typedef struct okra_findings okra_findings;

/* A new empty list; NULL when out of memory.  Free with okra_findings_free. */
okra_findings *okra_findings_new(void);
void okra_findings_free(okra_findings *f);
size_t okra_findings_count(const okra_findings *f);
/* The i-th finding, in source order after okra_findings_sort; borrowed. */
const okra_finding *okra_findings_get(const okra_findings *f, size_t i);
/* Number of findings of a severity. */
size_t okra_findings_count_severity(const okra_findings *f, okra_severity s);
/* True when adding a finding ran out of memory: the list is incomplete and
 * must not be read as a result (okra_lint then returns OKRA_ERR_NOMEM). */
bool okra_findings_failed(const okra_findings *f);
/* Sorts by file, line, column, rule: the order every output uses. */
void okra_findings_sort(okra_findings *f);

typedef enum okra_format {
	OKRA_FORMAT_TEXT = 0,
	OKRA_FORMAT_JSON,
	OKRA_FORMAT_CSV,   /* metrics and series only */
	OKRA_FORMAT_MD,    /* the review and the status */
	OKRA_FORMAT_HTML,  /* the review only */
	OKRA_FORMAT_SLACK, /* the review and the status: Slack mrkdwn */
	OKRA_FORMAT_SARIF, /* findings only: SARIF 2.1.0 for code scanning */
} okra_format;

/* Findings that okra.yaml (lint: {disable: [rule]}) or an objective or
 * key result (lint_ignore: [rule]) suppress are not in the list; they are
 * counted, so a suppression is never silent. */
typedef enum okra_suppression {
	OKRA_SUPPRESSED_DISABLE = 0, /* by lint: {disable: [...]} */
	OKRA_SUPPRESSED_IGNORE,      /* by lint_ignore: [...] */
} okra_suppression;
/* How many findings were suppressed, by one or the other. */
size_t okra_findings_suppressed(const okra_findings *f, okra_suppression by);

/* The errors the text form shows by default; the rest are counted. */
#define OKRA_FINDINGS_SHOWN_ERRORS 50

/* Writes the findings as compiler-style text (with the source line, a caret
 * and the hint; ANSI colours when color is true), as a JSON array, or as
 * a SARIF 2.1.0 log (the rule catalogue as the tool's rules, each finding
 * a result with its location).  Text shows every warning and info but
 * only the first max_errors errors (0 = all), then one line "… and K more
 * errors", and the suppressed findings in one line; JSON and SARIF list
 * every finding. */
void okra_findings_write_max(const okra_findings *f, okra_format format,
                             bool color, size_t max_errors, FILE *out);
/* okra_findings_write_max with OKRA_FINDINGS_SHOWN_ERRORS. */
void okra_findings_write(const okra_findings *f, okra_format format, bool color,
                         FILE *out);

/* ---- Rules: the catalogue of every finding's rule id -------------------- */

/* One rule.  The catalogue is static: pointers are valid for ever. */
typedef struct okra_rule {
	const char *id;         /* stable, e.g. "kr-activity" */
	okra_severity severity; /* what it reports */
	unsigned severities;    /* every severity it can report: 1u << s */
	const char *group;   /* "key results", "objectives", ..., "structure" */
	const char *summary; /* one line: when it fires */
	const char *details; /* what it checks and why it matters */
	const char *fix;     /* how to fix it, with an example */
} okra_rule;

/* Number of rules; the i-th in catalogue order (NULL past the end). */
size_t okra_rule_count(void);
const okra_rule *okra_rule_at(size_t i);
/* The rule with this id, or NULL. */
const okra_rule *okra_rule_find(const char *id);
/* Writes the catalogue: text, one rule a line with its severity and
 * summary, by group; or a JSON array of every field. */
void okra_rules_write(okra_format format, FILE *out);
/* Writes one rule's id, severity, summary, details and fix (text or a JSON
 * object).  An unknown id is OKRA_ERR_USAGE, with the nearest id
 * suggested in err. */
okra_rc okra_rule_explain(const char *id, okra_format format, FILE *out,
                          okra_err *err);

/* ---- Workspace --------------------------------------------------------- */

typedef struct okra_workspace okra_workspace;

/* Finds the workspace root: the first folder from start upwards holding
 * okra.yaml.  Writes the path into root (cap bytes). */
okra_rc okra_workspace_find(const char *start, char *root, size_t cap,
                            okra_err *err);

/* Loads okra.yaml and every *.yaml below root (hidden folders skipped) into
 * the model and checks it: types, unknown keys, duplicate ids, references,
 * formula cycles.  Every problem found is appended to findings.  Returns
 * OKRA_OK and sets *out (free with okra_workspace_free), or OKRA_ERR_CONFIG
 * when any error finding was added, or another rc with err filled.  root is
 * copied. */
okra_rc okra_workspace_load(const char *root, okra_findings *findings,
                            okra_workspace **out, okra_err *err);
void okra_workspace_free(okra_workspace *ws);

/* The workspace's root folder and name (workspace: key); borrowed. */
const char *okra_workspace_root(const okra_workspace *ws);
const char *okra_workspace_name(const okra_workspace *ws);

/* ---- Lint -------------------------------------------------------------- */

/* Runs every lint rule that needs no data and appends the findings.
 * Returns OKRA_OK (findings may still hold errors), or OKRA_ERR_NOMEM when
 * the findings list ran out of memory (now or before: okra_findings_failed),
 * so an incomplete list never reads as a clean lint. */
okra_rc okra_lint(const okra_workspace *ws, okra_findings *findings,
                  okra_err *err);

/* Runs the lint rules that need data (target-sandbagged,
 * target-unreachable, kr-no-baseline for `baseline: auto` without data
 * before the quarter) as of asof (NULL = the last day with events) and
 * appends their findings. */
typedef struct okra_engine okra_engine;
okra_rc okra_lint_data(okra_engine *e, const char *asof,
                       okra_findings *findings, okra_err *err);

/* Does okra.yaml name an events table (data: events:)? */
bool okra_workspace_has_data(const okra_workspace *ws);

/* ---- Listing what a workspace defines (okra list) ---------------------- */

typedef enum okra_list_kind {
	OKRA_LIST_METRICS = 0,
	OKRA_LIST_OBJECTIVES,
	OKRA_LIST_KEY_RESULTS,
	OKRA_LIST_TREES,
	OKRA_LIST_EXPERIMENTS,
	OKRA_LIST_TEAMS,
	OKRA_LIST_KIND_COUNT
} okra_list_kind;

/* "metrics", "objectives", "key-results", "trees", "experiments",
 * "teams"; NULL past the end. */
const char *okra_list_kind_name(okra_list_kind kind);

/* Writes the definitions of one kind in workspace order, computing
 * nothing: an aligned table of ids, titles, types and owners (TEXT), a
 * JSON object {"<kind>": [...]}, or with ids_only one id a line. */
okra_rc okra_list_write(const okra_workspace *ws, okra_list_kind kind,
                        okra_format format, bool ids_only, FILE *out,
                        okra_err *err);

/* ---- Scaffolding ------------------------------------------------------- */

/* Writes the commented example workspace into dir (created if missing).
 * Refuses (OKRA_ERR_USAGE) when dir already holds okra.yaml; writes every
 * file beside its final name and renames, so nothing is half-written. */
okra_rc okra_init(const char *dir, okra_err *err);
/* The same with from naming an analytics tool (posthog, segment,
 * amplitude, mixpanel): okra.yaml maps that tool's export columns, and
 * the metrics and key results read its events alone.  from NULL is
 * okra_init; an unknown name is OKRA_ERR_USAGE listing the known ones. */
okra_rc okra_init_from(const char *dir, const char *from, okra_err *err);
/* Adds the metrics a team type calls for (activation, core, expansion,
 * platform) to the workspace in dir (the example workspace first when
 * dir holds none), as dir/metrics-<type>.yaml owned by team (NULL: the
 * first team of that type okra.yaml lists): only the ones the workspace
 * does not define yet, no file when it defines them all.  *n_added says
 * how many were written; owner (owner_cap bytes) names the team.  An
 * unknown type or team, an existing file or a workspace with errors is
 * refused. */
okra_rc okra_init_team_type(const char *dir, const char *type, const char *team,
                            size_t *n_added, char *owner, size_t owner_cap,
                            okra_err *err);

/* ---- Data and metrics (the embedded engine) ---------------------------- */

typedef struct okra_load_options {
	bool skip_bad_rows; /* bad rows go to .okra/rejected/<table>.csv */
	bool progress; /* progress bar on stderr (the caller checks isatty) */
} okra_load_options;

typedef struct okra_ingest_summary {
	unsigned long long rows[4]; /* events, accounts, users, revenue */
	unsigned long long rejected[4];
	unsigned long long accounts, users; /* distinct ids, known or not */
	char first_day[11], last_day[11];   /* of the events, YYYY-MM-DD */
	double seconds;
	bool ingested;         /* false: the cache was fresh */
	bool in_memory;        /* the cache could not be written (a read-only
	                          workspace, a full disk): the data were read into
	                          memory for this command only */
	char not_cached[1600]; /* why, when in_memory */
} okra_ingest_summary;

/* Reads every data file of ws into the columnar cache .okra/cache/, built
 * beside the old one and renamed over it: on any error (a bad row stops
 * the load unless skip_bad_rows) the previous cache is intact.  Rejected
 * rows, with their reason, go to .okra/rejected/<table>.csv. */
okra_rc okra_ingest(const okra_workspace *ws, const okra_load_options *opt,
                    okra_ingest_summary *summary, okra_err *err);

typedef struct okra_engine okra_engine;

/* Opens the workspace's data: maps the cache, ingesting first when it is
 * missing or any data file changed since (size, mtime, content hash).
 * When the cache cannot be written the data are read into memory instead
 * and summary->in_memory says so.
 * summary (may be NULL) says whether it ingested.  Free with
 * okra_engine_free; borrows ws. */
okra_rc okra_engine_open(const okra_workspace *ws, const okra_load_options *opt,
                         okra_engine **out, okra_ingest_summary *summary,
                         okra_err *err);
void okra_engine_free(okra_engine *e);
/* "embedded" or "clickhouse". */
const char *okra_engine_name(const okra_engine *e);

/* Overrides the engine okra.yaml names for this load (--engine):
 * "embedded", or "clickhouse", which needs engine: {clickhouse: ...} in
 * okra.yaml.  A usage error otherwise. */
okra_rc okra_workspace_set_engine(okra_workspace *ws, const char *engine,
                                  okra_err *err);
/* Where the ClickHouse engine writes the SQL of a query the server
 * rejects or cuts short (-v); NULL (the default): nowhere.  Borrowed. */
void okra_workspace_set_sql_log(okra_workspace *ws, FILE *log);

/* okra push: creates the tables events, accounts, users and revenue in
 * the workspace's ClickHouse database (with cluster: local tables on
 * every shard and Distributed tables over them, sharded by account) and
 * loads the rows the embedded engine reads from the data files into
 * them.  Each table is loaded into a staging table and renamed over the
 * old one, so a failed push leaves the previous tables whole.  summary
 * (may be NULL) counts the rows.  progress: a bar on stderr. */
typedef struct okra_push_summary {
	unsigned long long rows[4]; /* events, accounts, users, revenue */
	double seconds;
	char version[64]; /* the server's */
} okra_push_summary;
okra_rc okra_push(const okra_workspace *ws, const okra_load_options *opt,
                  okra_push_summary *summary, okra_err *err);

typedef enum okra_grain {
	OKRA_GRAIN_DAY = 0,
	OKRA_GRAIN_WEEK,
	OKRA_GRAIN_MONTH,
	OKRA_GRAIN_QUARTER
} okra_grain;

/* What to compute.  Strings are borrowed. */
typedef struct okra_query {
	const char *const *metrics; /* ids; NULL/0 = every metric */
	size_t n_metrics;
	const char *asof; /* YYYY-MM-DD; NULL = the last day with events */
	const char *by;   /* account attribute or "cohort"; NULL = none */
	/* Segment pins "ATTR=VALUE": clauses on different attributes combine
	 * with AND, several values of one attribute mean any of them.  An
	 * attribute or value that the data does not have is a usage error
	 * with the nearest one suggested. */
	const char *const *where;
	size_t n_where;
	okra_grain grain;      /* series */
	const char *from, *to; /* series range; NULL = 13 periods up to asof */
	size_t max_points;     /* series: more points is a usage error;
	                          0 = OKRA_MAX_SERIES_POINTS (100,000) */
	/* Period over period: "prev" (one period of each metric earlier: its
	 * trailing window, its cohort, or the same day of the previous
	 * calendar period), "yoy" (a year earlier) or a date YYYY-MM-DD
	 * before asof (a series: the series of as many points of its grain
	 * that ends on that date, point by point).  Each value then carries
	 * the earlier value and the change.  NULL = none. */
	const char *compare;
	/* Without by: also split each metric by its own `segments:` (false:
	 * the totals only). */
	bool segments;
} okra_query;

typedef struct okra_result okra_result;

/* Evaluates the metrics of q as of q->asof. */
okra_rc okra_metrics_eval(okra_engine *e, const okra_query *q,
                          okra_result **out, okra_err *err);
/* Evaluates the metrics of q (every metric when none is named) at the end
 * of each period from q->from to q->to. */
okra_rc okra_series_eval(okra_engine *e, const okra_query *q, okra_result **out,
                         okra_err *err);
/* Writes a result: an aligned table with units, JSON (SPEC 8) or CSV.
 * Shares and means carry their sample (numerator and denominator) in
 * JSON and CSV; the table marks values whose denominator is under 30. */
okra_rc okra_result_write(const okra_result *r, okra_format format, FILE *out,
                          okra_err *err);
/* The same, with ANSI colours in the table when color is true (changes
 * coloured good or bad by the metric's direction, small samples dim). */
/* Writes the SQL the ClickHouse engine runs to evaluate q as of one day
 * (okra sql), one statement per metric query, each after a comment line
 * naming its metric.  A usage error on the embedded engine. */
okra_rc okra_sql_print(okra_engine *e, const okra_query *q, FILE *out,
                       okra_err *err);
okra_rc okra_result_print(const okra_result *r, okra_format format, bool color,
                          FILE *out, okra_err *err);
void okra_result_free(okra_result *r);

/* ---- The data as loaded (okra data) ------------------------------------ */

typedef struct okra_profile okra_profile;

/* Profiles e's data: the files each table names, every table's rows and
 * days, the event names with their counts and first and last day, the
 * event properties and the account and user attributes with their kind,
 * fill rate and distinct values, the events without an account or a
 * user, and the accounts and users the events reference that their
 * tables lack.  Free with okra_profile_free. */
okra_rc okra_data_profile(okra_engine *e, okra_profile **out, okra_err *err);
/* Writes a profile: aligned text tables (ANSI colours when color) or
 * JSON (docs/data.md). */
okra_rc okra_profile_print(const okra_profile *p, okra_format format,
                           bool color, FILE *out, okra_err *err);
void okra_profile_free(okra_profile *p);

/* ---- KPI trees and driver attribution (okra tree) --------------------- */

/* What to attribute.  Strings are borrowed. */
typedef struct okra_tree_request {
	const char *tree; /* the tree's id */
	const char *from; /* YYYY-MM-DD; NULL = 7 days before to */
	const char *to;   /* YYYY-MM-DD; NULL = the last day with events */
	/* Segment pins "ATTR=VALUE", as in okra_query: every node is
	 * evaluated for that segment only. */
	const char *const *where;
	size_t n_where;
	const char *by; /* split each driver's change by this account
	                   attribute (or cohort); NULL = none */
} okra_tree_request;

typedef struct okra_attribution okra_attribution;

/* Evaluates every node of the tree at from and to (one pass over the
 * data) and attributes the root's change to its drivers: Shapley values
 * at each formula node, multiplied down the levels, summed over the paths
 * to each leaf; with by, each driver's change split by segment.  Nodes
 * that cannot be attributed carry the reason.  An unknown tree, a bad date
 * or from >= to is a usage error.  Free with okra_tree_free; borrows e's
 * workspace. */
okra_rc okra_tree_eval(okra_engine *e, const okra_tree_request *req,
                       okra_attribution **out, okra_err *err);
/* Writes an attribution: the tree drawn with box-drawing characters, each
 * node's values, change and contribution with a bar, then the top drivers
 * in one sentence each (TEXT; ANSI colours when color), or the JSON of
 * docs/trees.md. */
okra_rc okra_tree_write(const okra_attribution *a, okra_format format,
                        bool color, FILE *out, okra_err *err);
void okra_tree_free(okra_attribution *a);

/* ---- Diagnose: where the north star is blocked (SPEC 12) -------------- */

typedef struct okra_diagnosis okra_diagnosis;

/* Diagnoses the north star as of asof (YYYY-MM-DD; NULL = the last day
 * with events): every candidate (the north star's inputs, then every level
 * 3-4 metric with a benchmark) with its value, gap to the benchmark,
 * trend per week over the last 8 weekly values and, for conversion and
 * threshold metrics, the lift on the north star with its 95% interval and
 * the four counts behind it; ranked by score; the bottleneck and its
 * sentence.  One pass over the data.  A bad asof is a usage error.  Free
 * with okra_diagnosis_free; borrows e's workspace. */
okra_rc okra_diagnose_run(okra_engine *e, const char *asof,
                          okra_diagnosis **out, okra_err *err);
/* Writes a diagnosis: the candidates as a table and the bottleneck in one
 * sentence (TEXT; ANSI colours when color), or the JSON of
 * docs/diagnose.md. */
okra_rc okra_diagnose_write(const okra_diagnosis *d, okra_format format,
                            bool color, FILE *out, okra_err *err);
void okra_diagnosis_free(okra_diagnosis *d);
/* Writes the SQL the ClickHouse engine runs for okra_diagnose_run as of
 * asof (okra sql --diagnose): each candidate's and the north star's
 * queries at the 8 weekly days, then the outcome counts behind each lift,
 * each statement after a comment line naming its metric.  A usage error
 * on the embedded engine, or when there is nothing to diagnose. */
okra_rc okra_diagnose_sql(okra_engine *e, const char *asof, FILE *out,
                          okra_err *err);

/* ---- Plan: next quarter's OKRs drafted from the data ------------------ */

typedef struct okra_quarter_plan okra_quarter_plan;

typedef struct okra_plan_request {
	const char *quarter; /* YYYY-Qn: the quarter to draft (required) */
	const char *team;    /* only this team; NULL = every team */
	const char *asof;    /* the day baselines are measured on,
	                        YYYY-MM-DD; NULL = the last day with events */
} okra_plan_request;

/* Drafts the objective of each team (of req->team) for the quarter: the
 * metrics it owns that the bottleneck diagnostic ranks first, then its
 * other leading indicators (at most 3), each with its baseline measured
 * on the as-of day and a calibrated target beside the trend's value.  A
 * team with an objective for the quarter outside its draft file is left
 * as it is.  One diagnostic and one pass over the data.  A bad quarter,
 * team or day, or a quarter that ended, is a usage error.  Free with
 * okra_plan_free; borrows e's workspace. */
okra_rc okra_plan_run(okra_engine *e, const okra_plan_request *req,
                      okra_quarter_plan **out, okra_err *err);
/* Writes each draft as okrs/<quarter>-<team>.draft.yaml under the
 * workspace (whole or not at all), one line per file on log.  A file
 * okra did not write, or one edited since, is never overwritten: its
 * error (OKRA_ERR_IO) is returned after the other drafts are written. */
okra_rc okra_plan_save(const okra_quarter_plan *p, FILE *log, okra_err *err);
/* Writes the plan's summary (each team, its file, each key result's
 * baseline, target, trend and bet), or with drafts the draft files'
 * text itself. */
okra_rc okra_plan_write(const okra_quarter_plan *p, bool drafts, FILE *out,
                        okra_err *err);
/* Writes the numbers behind key result kr's calibrated target as of
 * asof (NULL: the last day with events): baseline, trend, the
 * distribution of 13-week changes, the calibrated target, the bet,
 * and where the key result's own target stands among them. */
okra_rc okra_plan_explain(okra_engine *e, const char *key_result,
                          const char *asof, FILE *out, okra_err *err);
void okra_plan_free(okra_quarter_plan *p);
/* Scores the plan of the quarter (YYYY-Qn) per team: the share of the
 * plan's gates its objectives pass (each key result bound to a metric,
 * with baseline and target, 3-5 hypotheses written out; each objective
 * traced to the north star or maintenance, one per team), with every
 * failed gate listed; a team without an objective scores 0.  *below is
 * set when a team scores under threshold (0..1).  Needs no data. */
okra_rc okra_plan_check(const okra_workspace *ws, const char *quarter,
                        double threshold, FILE *out, bool *below,
                        okra_err *err);

/* ---- The quarterly retrospective (okra retro) ------------------------- */

typedef struct okra_retro okra_retro;

/* The retrospective of the quarter's OKR design (YYYY-Qn), as of its last
 * day or the last day with data when that comes first: the final score of
 * every key result and objective of the quarter (and the last review
 * saved in it), the share of targets hit against the 70% calibrated
 * targets plan, the key results whose metric moved while no experiment
 * shipped (or stood still after one did), hypotheses tested, and the lint
 * rules waived.  A bad quarter or one that has not started in the data is
 * a usage error.  Borrows e.  Free with okra_retro_free. */
okra_rc okra_retro_run(okra_engine *e, const char *quarter, okra_retro **out,
                       okra_err *err);
/* Writes it as MD or HTML (one self-contained page). */
okra_rc okra_retro_write(const okra_retro *t, okra_format format, FILE *out,
                         okra_err *err);
void okra_retro_free(okra_retro *t);

/* ---- Anomalies: the robust seasonal check (SPEC 13) ------------------- */

/* What to check.  Every option is text as the user typed it (the command
 * line and the API parse the same way); NULL = the default.  Strings are
 * borrowed. */
typedef struct okra_anomaly_request {
	const char *asof;           /* YYYY-MM-DD; NULL = the last day with
	                               events */
	const char *days;           /* whole number 1..OKRA_MAX_ANOMALY_DAYS;
	                               NULL = 28 */
	const char *k;              /* a number above 0; NULL = 3.5 */
	const char *const *metrics; /* ids; NULL/0 = every event metric */
	size_t n_metrics;
	const char *by;         /* explain by this attribute; NULL = each
	                           metric's segments */
	const char *direction;  /* "up" or "down"; NULL = both */
	const char *min_change; /* "30%" or "0.3": at least this change
	                           relative to the usual value; NULL = any */
} okra_anomaly_request;

typedef struct okra_anomalies okra_anomalies;

/* Checks the daily series of every event metric (or req->metrics) for
 * the req->days days up to asof against the same weekday of the 8 weeks
 * before each day, and explains each anomaly by the segment that moved
 * most: one pass over the data.  Bad options, an unknown metric (with the
 * nearest id) or a revenue or manual metric are usage errors.  Free with
 * okra_anomalies_free; borrows e's workspace. */
okra_rc okra_anomalies_run(okra_engine *e, const okra_anomaly_request *req,
                           okra_anomalies **out, okra_err *err);
/* Writes the anomalies: one line each (TEXT; ANSI colours when color),
 * or the JSON of docs/anomalies.md. */
okra_rc okra_anomalies_write(const okra_anomalies *l, okra_format format,
                             bool color, FILE *out, okra_err *err);
/* How many anomalies went direction ("up", "down"; NULL = either). */
size_t okra_anomalies_count(const okra_anomalies *l, const char *direction);
void okra_anomalies_free(okra_anomalies *l);

/* ---- Status and the weekly review (SPEC 4 and 6) --------------------- */

typedef struct okra_review okra_review;

typedef struct okra_review_request {
	const char *asof; /* YYYY-MM-DD; NULL = the last day with events */
	const char *team; /* only this team's objectives; NULL = all */
	bool save;        /* store a snapshot per KR in .okra/okra.db */
	bool lint;        /* run lint, data-aware rules included */
} okra_review_request;

/* Evaluates every key result as of the day (current, baseline, expected,
 * progress, gap, light, score, forecast), the objective scores, the
 * balanced dashboard and the suggestions; reads the previous review and
 * confidence check-ins from .okra/okra.db, and with save stores this one
 * (one transaction).  Borrows e.  Free with okra_review_free. */
okra_rc okra_review_run(okra_engine *e, const okra_review_request *req,
                        okra_review **out, okra_err *err);
/* Writes the review: TEXT (sections of SPEC 6), MD, HTML (one
 * self-contained page) or JSON (SPEC 8). */
okra_rc okra_review_write(const okra_review *r, okra_format format, bool color,
                          FILE *out, okra_err *err);
/* Writes the status: one line per key result with its light (TEXT), or
 * the review's JSON. */
okra_rc okra_status_write(const okra_review *r, okra_format format, bool color,
                          FILE *out, okra_err *err);
/* Renders into a malloc'd string (*len bytes, NUL-terminated) instead of
 * a FILE: for the server and for writing a file atomically. */
okra_rc okra_review_render(const okra_review *r, okra_format format, bool color,
                           char **text, size_t *len, okra_err *err);

/* What of the review to write. */
typedef enum okra_review_part {
	OKRA_REVIEW_FULL = 0, /* the weekly review */
	OKRA_REVIEW_STATUS,   /* one line per key result */
	/* The red, yellow and at-risk key results and the three most
	 * important suggestions (lint findings only counted). */
	OKRA_REVIEW_SUMMARY,
	/* Per company objective (level: company, with the objectives that
	 * trace to it) and per team: score weighted by key results and the
	 * lights counted (TEXT or JSON). */
	OKRA_REVIEW_ROLLUP,
} okra_review_part;

/* Writes part of the review in format: the review as TEXT, MD, SLACK
 * (Slack mrkdwn: no tables or headings, emoji lights, key result
 * titles), HTML or JSON; the status and the summary as TEXT, MD, SLACK
 * or JSON (the status's JSON is the review's).  Other formats are usage
 * errors. */
okra_rc okra_review_write_part(const okra_review *r, okra_review_part part,
                               okra_format format, bool color, FILE *out,
                               okra_err *err);
void okra_review_free(okra_review *r);

/* ---- State: check-ins, confidence, export and import (SPEC 7) --------- */

/* okra's own records live in <root>/.okra/okra.db (SQLite; docs/state.md):
 * check-ins of manual metrics, key result confidence, review snapshots and
 * experiment decisions.  A write creates the file when missing and is one
 * transaction; a read never creates it (no file reads as empty).  A file
 * that is corrupt, not okra's, or written by a newer okra is an error
 * (OKRA_ERR_DATA, path in err->file) and is never written to. */

/* Records a check-in of a manual metric.  value is a decimal number as
 * text ("41", "-3.5", "2e3"); date is YYYY-MM-DD or NULL for today (UTC);
 * note is UTF-8 text or NULL.  The metric's value as of D is then its
 * latest check-in dated on or before D (on one day, the last written).
 * date_out (may be NULL) receives the day recorded.  Usage errors
 * (OKRA_ERR_USAGE, nothing written, no file created): an unknown metric
 * (with "did you mean"), a metric that is not `manual`, a value that is not
 * a number, an invalid date or one in the future. */
okra_rc okra_checkin(const okra_workspace *ws, const char *metric,
                     const char *value, const char *date, const char *note,
                     char date_out[11], okra_err *err);

/* A check-in with its author, or a correction.  Strings are borrowed. */
typedef struct okra_checkin_input {
	const char *metric;
	const char *value;  /* a decimal number as text */
	const char *date;   /* YYYY-MM-DD; NULL: today (a correction: the
	                       date of the check-in it corrects) */
	const char *note;   /* NULL: none */
	const char *author; /* who checks in; NULL: unknown */
	long long corrects; /* the number of the check-in this one corrects
	                       (okra checkins shows them); 0: none */
} okra_checkin_input;

/* Records a check-in as okra_checkin does, with its author.  A
 * correction is a new row that supersedes check-in `corrects` (of the
 * same metric, not corrected already): from then on the metric's value
 * reads the correction, and the corrected row stays as history.  *id
 * (may be NULL) receives the new check-in's number.  Usage errors as for
 * okra_checkin, and an author that is empty, longer than 200 bytes or
 * holds a control character, a check-in to correct that does not exist,
 * is of another metric or was corrected already. */
okra_rc okra_checkin_record(const okra_workspace *ws,
                            const okra_checkin_input *in, long long *id,
                            char date_out[11], okra_err *err);

/* Records the team's confidence, a whole number 0..10 as text, that a key
 * result will be reached; date, note and errors as for okra_checkin (an
 * unknown key result, a value outside 0..10). */
okra_rc okra_confidence_add(const okra_workspace *ws, const char *key_result,
                            const char *value, const char *date,
                            const char *note, char date_out[11], okra_err *err);

/* Marks a milestone key result (kind: milestone) done, or open again, on
 * date (YYYY-MM-DD, NULL = today; never in the future).  The review then
 * grades it done (score 1) from that day on; open and past its `due:` it
 * is red, else open (score 0).  date_out and errors as for okra_checkin
 * (an unknown key result, one that is not a milestone, a state other than
 * "done" or "open"). */
okra_rc okra_milestone_mark(const okra_workspace *ws, const char *key_result,
                            const char *state, const char *date,
                            const char *note, char date_out[11], okra_err *err);

/* Writes the check-ins of metric (every metric's when NULL) by metric,
 * date and order of writing, corrected ones included: an aligned table
 * (TEXT) or JSON {"checkins": [{"id", "metric", "date", "value", "note",
 * "author", "corrects", "corrected_by"}]}.  Checks the whole
 * database first (PRAGMA integrity_check): an inconsistent one is
 * OKRA_ERR_DATA. */
okra_rc okra_checkins_write(const okra_workspace *ws, const char *metric,
                            okra_format format, FILE *out, okra_err *err);

/* Writes the confidence check-ins of a key result, oldest first: a table
 * or JSON {"key_result", "confidence": [{"date", "value", "note"}]}. */
okra_rc okra_confidence_write(const okra_workspace *ws, const char *key_result,
                              okra_format format, FILE *out, okra_err *err);

/* Writes the whole state as JSON Lines (docs/state.md: a header line, then
 * one object per row with a "table" key, in a fixed order, so the same
 * state gives the same bytes).  path non-NULL: written beside path and
 * renamed over it; else to out.  Checks the database first, like
 * okra_checkins_write. */
okra_rc okra_state_export(const okra_workspace *ws, const char *path, FILE *out,
                          okra_err *err);

typedef struct okra_import_summary {
	unsigned long long added; /* rows written */
	unsigned long long
	    present; /* rows whose key was already stored: kept as they were */
} okra_import_summary;

/* Reads an export from in (name: the file's name in messages) and stores
 * it: every line is validated first (the first bad one is an
 * OKRA_ERR_DATA error "name:line: reason" and nothing is stored), then
 * every row goes in one transaction.  A row whose key (uid; a review's
 * as-of; a snapshot's as-of and key result) is already stored is left as
 * it is, so importing the same export twice changes nothing. */
okra_rc okra_state_import(const okra_workspace *ws, FILE *in, const char *name,
                          okra_import_summary *summary, okra_err *err);

/* ---- Experiments (SPEC 14) ------------------------------------------- */

/* An experiment's readout as of a day: per variant its units and value,
 * each variant against the control (absolute and relative lift with 95%
 * intervals, two-sided p, power for the minimum detectable effect), CUPED
 * beside the raw result, sample ratio mismatch, guardrails, the decision
 * (keep_running, ship, stop, iterate, invalid) and the team's latest
 * recorded decision.  docs/experiments.md has every formula. */
typedef struct okra_experiment_readout okra_experiment_readout;

/* Reads experiment id out as of asof (YYYY-MM-DD; NULL = the last day
 * with events): one pass over the data.  Errors: an unknown id (usage,
 * with the nearest id), a metric that cannot be measured per unit from an
 * exposure or a variant the split does not name (config, with the
 * position), more variants than OKRA_MAX_EXPERIMENT_VARIANTS (data).
 * Borrows e.  Free with okra_experiment_readout_free. */
okra_rc okra_experiment_run(okra_engine *e, const char *id, const char *asof,
                            okra_experiment_readout **out, okra_err *err);
/* Writes a readout: a variant table and one sentence ending in the
 * decision (TEXT), or the JSON object of SPEC 14. */
okra_rc okra_experiment_write(const okra_experiment_readout *r,
                              okra_format format, FILE *out, okra_err *err);
void okra_experiment_readout_free(okra_experiment_readout *r);

/* Every experiment of the workspace read out as of asof. */
typedef struct okra_experiment_list okra_experiment_list;
okra_rc okra_experiments_run(okra_engine *e, const char *asof,
                             okra_experiment_list **out, okra_err *err);
/* One line each (TEXT: status, days left, decision, the lift), or JSON
 * {"asof", "experiments": [...]}. */
okra_rc okra_experiments_write(const okra_experiment_list *l,
                               okra_format format, FILE *out, okra_err *err);
void okra_experiment_list_free(okra_experiment_list *l);

/* Records the team's decision on experiment id (ship, stop or iterate)
 * in .okra/okra.db, in one transaction, with the decision the readout
 * computes as of date beside it.  date: YYYY-MM-DD or NULL for today (the
 * readout is then as of the last day with events); never in the future.
 * note: UTF-8, at most OKRA_MAX_NOTE_BYTES, or NULL.  date_out (may be
 * NULL) receives the day recorded.  Bad arguments are usage errors and
 * write nothing. */
okra_rc okra_experiment_decide(okra_engine *e, const char *id,
                               const char *decision, const char *date,
                               const char *note, char date_out[11],
                               okra_err *err);

/* ---- MRR bridge (SPEC 3, revenue) -------------------------------------- */

/* One month of the bridge: start + new + reactivation + expansion -
 * contraction - churned = end. */
typedef struct okra_bridge_month {
	char month[8]; /* YYYY-MM */
	char asof[11]; /* the as-of day it was evaluated at */
	double start;  /* MRR of the month before */
	double new_mrr, reactivation, expansion, contraction, churned;
	double end; /* MRR of the month */
} okra_bridge_month;

typedef struct okra_bridge {
	const okra_workspace *ws;  /* borrowed */
	const char *metric;        /* the mrr metric's id, borrowed from ws */
	okra_bridge_month *months; /* oldest first; owned by the bridge */
	size_t n_months;
} okra_bridge;

/* The MRR bridge of q->metrics[0], a revenue metric with measure mrr, as
 * of the end of each month from q->from to q->to (the dates of
 * okra_series_eval with grain month; q->grain is ignored).  q->by and
 * q->where must be NULL.  Free with okra_bridge_free; borrows e's
 * workspace. */
okra_rc okra_bridge_eval(okra_engine *e, const okra_query *q, okra_bridge **out,
                         okra_err *err);
/* Writes the bridge: a table, JSON {"id", "grain", "unit", "bridge":
 * [{"month", "date", "start", "new", "reactivation", "expansion",
 * "contraction", "churned", "end"}]} or CSV.  Checks the identity of
 * every month first: OKRA_ERR_DATA when one does not add up. */
okra_rc okra_bridge_write(const okra_bridge *b, okra_format format, FILE *out,
                          okra_err *err);
void okra_bridge_free(okra_bridge *b);

/* ---- Demo -------------------------------------------------------------- */

typedef struct okra_demo_options {
	unsigned long long
	    events; /* approximate number of events (default 1e6) */
	unsigned long long seed; /* same seed, events and end: same bytes */
	const char *end; /* last day of data, YYYY-MM-DD; NULL = today */
	bool progress;   /* draw a progress bar on stderr */
	/* "demo" (NULL: the default: about 600 events per account and 150
	 * per user) or "wide" (many small accounts: about 25 events per
	 * account, 2.4 users per account, 3 revenue rows per account). */
	const char *shape;
} okra_demo_options;

/* Writes a deterministic synthetic B2B SaaS workspace into dir: okra.yaml,
 * metric and OKR definitions that lint clean, and data/ (events, accounts,
 * users, revenue as CSV).  Streams the events, so memory stays bounded for
 * any count.  Refuses (OKRA_ERR_USAGE) when dir already holds okra.yaml. */
okra_rc okra_demo(const char *dir, const okra_demo_options *opt, okra_err *err);

/* ---- Server (okra serve) ----------------------------------------------- */

typedef struct okra_server okra_server;

typedef struct okra_serve_options {
	const char *bind;  /* IPv4 or IPv6 address; NULL = "127.0.0.1" */
	int port;          /* 0 = a free port chosen by the system */
	int timeout;       /* seconds a connection may stay idle; 0 = 10 */
	const char *token; /* bearer token for writes (OKRA_TOKEN); NULL =
	                      read or generate root/.okra/token (mode 0600) */
	FILE *log;         /* one line per request; NULL = none */
} okra_serve_options;

/* Loads the workspace at root, opens its data (ingesting when stale) and
 * its state database, and serves the dashboard and the JSON API of SPEC 9
 * on two background threads until okra_server_stop.  A workspace with
 * structural errors fails with OKRA_ERR_CONFIG and its findings appended
 * to findings (may be NULL).  Free with okra_server_stop. */
okra_rc okra_server_start(const char *root, const okra_serve_options *opt,
                          okra_findings *findings, okra_server **out,
                          okra_err *err);
/* The port it listens on (the chosen one when opt->port was 0). */
int okra_server_port(const okra_server *s);
/* The bearer token (borrowed); *generated says whether it was written to
 * .okra/token by this start, so the caller prints it once. */
const char *okra_server_token(const okra_server *s, bool *generated);
/* Stops accepting connections, lets the requests in flight finish (up to
 * 10 s), closes the database and frees s.  NULL is a no-op. */
void okra_server_stop(okra_server *s);

#ifdef __cplusplus
}
#endif
#endif /* OKRA_H */
