/*
 * main.c - the okra command line: global options, command dispatch, and
 * the mapping of library results to exit status (0 ok, 1 findings, 2
 * usage, configuration or data error).  Uses only the public okra.h.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_exit_code(okra_rc rc)
{
	switch (rc) {
	case OKRA_OK: return EXIT_OK;
	case OKRA_FINDINGS: return EXIT_FINDINGS;
	default: return EXIT_ERROR;
	}
}

int cli_fail(const okra_err *err)
{
	fflush(stdout); /* keep stdout and stderr in order when both are files */
	fputs("okra: ", stderr);
	okra_err_print(err, stderr);
	return cli_exit_code(err->rc);
}

int cli_usage(const char *command, const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fputs("okra: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nrun 'okra help%s%s' for usage\n", command ? " " : "",
	        command ? command : "");
	return EXIT_ERROR;
}

bool cli_color(FILE *f)
{
	const char *no = getenv("NO_COLOR");
	return isatty(fileno(f)) && !(no && no[0]);
}

int cli_load(const cli *c, okra_workspace **ws, okra_findings *findings,
             okra_format format)
{
	okra_err err = {0};
	char root[4096];
	okra_rc rc = okra_workspace_find(c->dir ? c->dir : ".", root,
	                                 sizeof(root), &err);
	if (rc)
		return cli_fail(&err);
	/* Paths in findings are relative to the root: print from there. */
	rc = okra_workspace_load(root, findings, ws, &err);
	if (rc == OKRA_ERR_CONFIG) {
		okra_findings_sort(findings);
		okra_findings_write(findings, format, cli_color(stdout), stdout);
		size_t n = okra_findings_count_severity(findings, OKRA_ERROR);
		fflush(stdout);
		if (format == OKRA_FORMAT_TEXT)
			fprintf(stderr, "okra: %zu error%s in the workspace; nothing was computed\n",
			        n, n == 1 ? "" : "s");
		return EXIT_ERROR;
	}
	if (rc)
		return cli_fail(&err);
	return EXIT_OK;
}

static const struct command {
	const char *name;
	int (*run)(const cli *);
} commands[] = {
	{"init", cmd_init},
	{"lint", cmd_lint},
	{"help", cmd_help},
};

int main(int argc, char **argv)
{
	cli c = {0};
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--version") == 0 || strcmp(argv[i], "-V") == 0) {
			printf("okra %s\n", okra_version());
			return EXIT_OK;
		}
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return cli_print_help(NULL, stdout), EXIT_OK;
		if (strcmp(argv[i], "-C") == 0 && i + 1 < argc) {
			c.dir = argv[++i];
			continue;
		}
		if (strncmp(argv[i], "-C", 2) == 0 && argv[i][2]) {
			c.dir = argv[i] + 2;
			continue;
		}
		return cli_usage(NULL, "unknown option '%s'", argv[i]);
	}
	if (i == argc) {
		cli_print_help(NULL, stderr);
		return EXIT_ERROR;
	}
	c.argc = argc - i;
	c.argv = argv + i;
	for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
		if (strcmp(c.argv[0], commands[k].name) == 0)
			return commands[k].run(&c);
	return cli_usage(NULL, "unknown command '%s'", c.argv[0]);
}
