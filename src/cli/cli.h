/*
 * cli.h - what the command files share: the command table, the options
 * each command declares (parsed in one place, args.c, with getopt_long),
 * and the helpers that map library results to exit status.  Uses only
 * okra.h.
 */
#ifndef OKRA_CLI_H
#define OKRA_CLI_H

#include "okra.h"

/* One option a command takes: --name, --name VALUE or --name=VALUE, and
 * -L when letter is set.  Tables end with a NULL name. */
typedef struct cli_option {
	const char *name; /* the long name without dashes: "asof" */
	char letter;      /* the short form ('o' for -o), 0 for none */
	/* The value's name ("D", "FILE"); NULL: a flag, which takes none.
	 * A name in brackets ("[RULE]") is optional and only ever given as
	 * --name=VALUE. */
	const char *arg;
	bool repeats;    /* may be given more than once (--where) */
	const char *doc; /* one line for the help, the man page, completion */
	/* What the value completes to: words ("text json csv"), or one of
	 * @file @dir @metric @key-result @tree @experiment @team @rule
	 * @command; NULL for nothing. */
	const char *complete;
} cli_option;

/* What a command takes besides its options. */
typedef struct cli_spec {
	const cli_option *options; /* NULL-name terminated; may be NULL */
	int max_args;              /* positionals; -1 = any number */
	/* What the positionals complete to, as cli_option.complete, one
	 * position after another separated by ';' ("@key-result;done open");
	 * the last applies to every later position. */
	const char *args_complete;
} cli_spec;

/* An option as given on the command line, in order. */
typedef struct cli_given {
	const cli_option *option;
	const char *value; /* NULL for a flag (and [OPTIONAL] left out) */
} cli_given;

typedef struct cli {
	const char *dir; /* -C DIR, or NULL for the current folder */
	int argc;        /* the command's own arguments ... */
	char **argv;     /* ... argv[0] is the command name */
	/* Parsed by args.c for a command with a spec: */
	const cli_given *given;
	size_t n_given;
	const char *const *args; /* the positionals, in order */
	size_t n_args;
} cli;

typedef struct cli_command {
	const char *name;
	int (*run)(const cli *);
	const cli_spec *spec; /* its options and positionals */
} cli_command;

/* --engine embedded|clickhouse (before or after the command; NULL: the
 * workspace's) and -v (the SQL of a failed ClickHouse query on stderr).
 * cli_load applies both to the workspace it loads. */
extern const char *cli_engine_choice;
extern bool cli_verbose;

/* Exit statuses: 0 ok, 1 findings, 2 usage, configuration or data. */
enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2 };

/* The command table, in the order of okra help; NULL when unknown. */
const cli_command *cli_commands(size_t *n);
const cli_command *cli_command_find(const char *name);

/* ---- args.c: the one option parser ------------------------------------- */

/* Parses c->argv against spec with getopt_long: options in any order
 * among the positionals, "--" ends the options, a negative number
 * ("-3") is a positional, -h/--help prints the command's help and
 * --color=WHEN sets the colour.  Fills c->given and c->args (free with
 * cli_parse_free).  Returns EXIT_OK, or the exit status after printing
 * the help (*done set) or a usage error in one wording for every
 * command: an unknown option (with the nearest one), a missing value, a
 * value given to a flag, an option given twice, an unexpected argument. */
int cli_parse(cli *c, const cli_spec *spec, bool *done);
void cli_parse_free(cli *c);

/* The value of option name (the last one given), NULL when not given. */
const char *cli_value(const cli *c, const char *name);
/* Was option name given (a flag, or an option with its value)? */
bool cli_flag(const cli *c, const char *name);
/* Every value of a repeated option, in order, into out (room for
 * c->n_given); returns how many. */
size_t cli_values(const cli *c, const char *name, const char **out);

/* Colour: --color=auto|always|never on any command or before it. */
typedef enum {
	CLI_COLOR_AUTO = 0,
	CLI_COLOR_ALWAYS,
	CLI_COLOR_NEVER
} cli_color_mode;
/* Sets the mode from "auto", "always" or "never" (NULL: always, as a bare
 * --color); a usage error (exit status) for anything else. */
int cli_set_color(const char *value, const char *command);
/* Should output to f be coloured?  always / never, else a terminal with
 * NO_COLOR unset or empty. */
bool cli_color(FILE *f);

/* Output: standard output, or with -o FILE a file written whole or not
 * at all (beside FILE, renamed over it when the command succeeded).
 * path NULL or "-" is standard output. */
typedef struct cli_output {
	FILE *f;
	const char *path; /* NULL: standard output */
	char *tmp;
} cli_output;
int cli_output_open(const char *path, const char *command, cli_output *o);
/* Closes o: with status EXIT_OK renames the file into place (and says
 * so on stderr), else removes it.  Returns status, or the error status
 * when the file cannot be written. */
int cli_output_close(cli_output *o, int status);

/* ---- main.c ------------------------------------------------------------ */

int cli_exit_code(okra_rc rc);
/* Prints err to stderr and returns its exit status. */
int cli_fail(const okra_err *err);
/* "okra COMMAND: message" and the line that points at the help, on
 * stderr; returns EXIT_ERROR.  command NULL: okra's own options. */
int cli_usage(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Finds and loads the workspace; on failure prints everything (findings
 * and the error) and returns the exit status, else 0 with *ws set. */
int cli_load(const cli *c, okra_workspace **ws, okra_findings *findings,
             okra_format format);

/* Parses --format VALUE into *format; allowed is a mask of 1 << format.
 * The error lists the allowed formats. */
int cli_format(const char *value, unsigned allowed, okra_format *format,
               const char *command);
/* Opens the data (ingesting when stale), with a progress bar on a
 * terminal; prints an ingest summary line to stderr when it ingested. */
int cli_engine(const okra_workspace *ws, okra_engine **engine);
/* Loads the workspace and its data, evaluates q (a series or the metrics
 * as of one day) and writes the result to out; returns the exit status. */
int cli_query_to(const cli *c, const okra_query *q, bool series,
                 okra_format format, FILE *out);
/* cli_query_to standard output. */
int cli_query(const cli *c, const okra_query *q, bool series,
              okra_format format);
/* Loads the workspace and its data, runs the review of req and writes
 * part of it (the whole review, the status lines, or the summary) to
 * out; returns the exit status. */
int cli_review_to(const cli *c, const okra_review_request *req,
                  okra_format format, okra_review_part part, FILE *out);
/* The review (or with status_only the status) to standard output. */
int cli_review(const cli *c, const okra_review_request *req, okra_format format,
               const char *output, bool status_only);
/* Writes the ingest summary line (with seconds and rows/s if timing). */
void cli_ingest_summary(const okra_ingest_summary *s, bool timing, FILE *out);

/* ---- cmd_help.c --------------------------------------------------------- */

/* The usage line and text of a command (NULL: okra's own). */
int cli_print_help(const char *command, FILE *out);
/* The usage line of a command; NULL when it has none. */
const char *cli_usage_line(const char *command);
const char *cli_help_text(const char *command);

/* ---- the commands (cmd_*.c) --------------------------------------------- */

extern const cli_spec cli_spec_init, cli_spec_demo, cli_spec_lint,
    cli_spec_ingest, cli_spec_metrics, cli_spec_series, cli_spec_tree,
    cli_spec_status, cli_spec_review, cli_spec_checkin, cli_spec_checkins,
    cli_spec_confidence, cli_spec_milestone, cli_spec_export, cli_spec_import,
    cli_spec_experiment, cli_spec_experiments, cli_spec_serve, cli_spec_list,
    cli_spec_completion, cli_spec_help, cli_spec_data, cli_spec_push,
    cli_spec_sql, cli_spec_diagnose, cli_spec_anomalies, cli_spec_plan,
    cli_spec_retro;

int cmd_demo(const cli *c);
int cmd_ingest(const cli *c);
int cmd_metrics(const cli *c);
int cmd_series(const cli *c);
int cmd_tree(const cli *c);
int cmd_diagnose(const cli *c);
int cmd_plan(const cli *c);
int cmd_retro(const cli *c);
int cmd_anomalies(const cli *c);
int cmd_data(const cli *c);
int cmd_push(const cli *c);
int cmd_sql(const cli *c);
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
int cmd_list(const cli *c);
int cmd_completion(const cli *c);
int cmd_help(const cli *c);

#endif
