/*
 * cli.h - what the command files share: the parsed global options and
 * the helpers that map library results to exit status.  Uses only okra.h.
 */
#ifndef OKRA_CLI_H
#define OKRA_CLI_H

#include "okra.h"

typedef struct cli {
	const char *dir; /* -C DIR, or NULL for the current folder */
	int argc;        /* the command's own arguments ... */
	char **argv;     /* ... argv[0] is the command name */
} cli;

/* --engine embedded|clickhouse (global or after the command; NULL: the
 * workspace's) and -v (the SQL of a failed ClickHouse query on stderr).
 * cli_load applies both to the workspace it loads. */
extern const char *cli_engine_choice;
extern bool cli_verbose;

/* Exit statuses (SPEC 8). */
enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2 };

int cli_exit_code(okra_rc rc);
/* Prints err to stderr and returns its exit status. */
int cli_fail(const okra_err *err);
int cli_usage(const char *command, const char *fmt, ...);
/* Should output to f be coloured (a terminal, and NO_COLOR unset)? */
bool cli_color(FILE *f);
/* Finds and loads the workspace; on failure prints everything (findings
 * and the error) and returns the exit status, else 0 with *ws set. */
int cli_load(const cli *c, okra_workspace **ws, okra_findings *findings,
             okra_format format);

/* Matches argv[*i] against --name VALUE or --name=VALUE; on a match sets
 * *value, advances *i past a separate value, and returns true.  A missing
 * value sets *value to NULL (the caller reports it). */
bool cli_opt(const cli *c, int *i, const char *name, const char **value);
/* Sets q->by from --by VALUE; a second --by is a usage error (a query
 * segments by one attribute). */
int cli_by(okra_query *q, const char *value, const char *command);
/* Parses --format VALUE into *format (allowed: a mask of 1 << format). */
int cli_format(const char *value, unsigned allowed, okra_format *format,
               const char *command);
/* Opens the data (ingesting when stale), with a progress bar on a
 * terminal; prints an ingest summary line to stderr when it ingested. */
int cli_engine(const okra_workspace *ws, okra_engine **engine);
/* Loads the workspace and its data, evaluates q (a series or the metrics
 * as of one day) and writes the result; returns the exit status. */
int cli_query(const cli *c, const okra_query *q, bool series,
              okra_format format);
/* Loads the workspace and its data, runs the review of req and writes it
 * (the status lines when status_only) to stdout or whole to output. */
int cli_review(const cli *c, const okra_review_request *req, okra_format format,
               const char *output, bool status_only);
/* Writes the ingest summary line (with seconds and rows/s if timing). */
void cli_ingest_summary(const okra_ingest_summary *s, bool timing, FILE *out);

int cmd_demo(const cli *c);
int cmd_push(const cli *c);
int cmd_sql(const cli *c);
int cmd_ingest(const cli *c);
int cmd_data(const cli *c);
int cmd_metrics(const cli *c);
int cmd_series(const cli *c);
int cmd_tree(const cli *c);
int cmd_diagnose(const cli *c);
int cmd_anomalies(const cli *c);
int cmd_status(const cli *c);
int cmd_review(const cli *c);
int cmd_checkin(const cli *c);
int cmd_checkins(const cli *c);
int cmd_confidence(const cli *c);
int cmd_milestone(const cli *c);
int cmd_export(const cli *c);
int cmd_import(const cli *c);
int cmd_serve(const cli *c);
int cmd_experiment(const cli *c);
int cmd_experiments(const cli *c);
int cmd_init(const cli *c);
int cmd_lint(const cli *c);
int cmd_help(const cli *c);
int cli_print_help(const char *command, FILE *out);

#endif
