/*
 * cli.h - what the command files share: the parsed global options and
 * the helpers that map library results to exit status.  Uses only okra.h.
 */
#ifndef OKRA_CLI_H
#define OKRA_CLI_H

#include "okra.h"

typedef struct cli {
	const char *dir;   /* -C DIR, or NULL for the current folder */
	int argc;          /* the command's own arguments ... */
	char **argv;       /* ... argv[0] is the command name */
} cli;

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

int cmd_init(const cli *c);
int cmd_lint(const cli *c);
int cmd_help(const cli *c);
int cli_print_help(const char *command, FILE *out);

#endif
