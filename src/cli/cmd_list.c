/*
 * cmd_list.c - okra list metrics|objectives|key-results|trees|experiments|
 * teams [--format text|json] [--ids] [-o FILE]: what the workspace
 * defines, without computing anything.
 */
#include "cli.h"

#include <string.h>

static const cli_option options[] = {
    {"format", 0, "FORMAT", false, "text or json", "text json"},
    {"ids", 0, NULL, false, "one id a line, for scripts and completion", NULL},
    {"output", 'o', "FILE", false,
     "write FILE whole or not at all; - is standard output", "@file"},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_list = {
    options, 1, "metrics objectives key-results trees experiments teams"};

/* The kind named, with the nearest one suggested. */
static int kind_of(const char *name, okra_list_kind *out)
{
	const char *names[OKRA_LIST_KIND_COUNT];
	for (int k = 0; k < OKRA_LIST_KIND_COUNT; k++) {
		names[k] = okra_list_kind_name((okra_list_kind)k);
		if (strcmp(name, names[k]) == 0) {
			*out = (okra_list_kind)k;
			return EXIT_OK;
		}
	}
	const char *near = okra_suggest(name, names, OKRA_LIST_KIND_COUNT);
	if (near)
		return cli_usage("list",
		                 "nothing to list as '%s'; did you mean "
		                 "'%s'?",
		                 name, near);
	return cli_usage("list",
	                 "nothing to list as '%s' (metrics, objectives, "
	                 "key-results, trees, experiments or teams)",
	                 name);
}

static int run(const cli *c, okra_list_kind kind, okra_format format, bool ids,
               FILE *out)
{
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	int status = findings ? EXIT_OK : EXIT_ERROR;
	if (status || (status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)))
		goto out;
	okra_err err = {0};
	if (okra_list_write(ws, kind, format, ids, out, &err))
		status = cli_fail(&err);
out:
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

int cmd_list(const cli *c)
{
	if (!c->n_args)
		return cli_usage("list", "list what? okra list metrics, "
		                         "objectives, key-results, trees, "
		                         "experiments or teams");
	okra_list_kind kind = OKRA_LIST_METRICS;
	okra_format format = OKRA_FORMAT_TEXT;
	const char *f = cli_value(c, "format");
	bool ids = cli_flag(c, "ids");
	int status = kind_of(c->args[0], &kind);
	if (status == EXIT_OK && f)
		status =
		    cli_format(f, 1 << OKRA_FORMAT_TEXT | 1 << OKRA_FORMAT_JSON,
		               &format, "list");
	if (status == EXIT_OK && ids && f)
		status =
		    cli_usage("list", "--ids is one id a line: no --format");
	cli_output out = {0};
	if (status == EXIT_OK &&
	    (status = cli_output_open(cli_value(c, "output"), "list", &out)) ==
	        EXIT_OK)
		status =
		    cli_output_close(&out, run(c, kind, format, ids, out.f));
	return status;
}
