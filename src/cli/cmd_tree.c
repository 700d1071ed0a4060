/*
 * cmd_tree.c - okra tree ID [--from D1] [--to D2] [--where ATTR=V]...
 * [--by ATTR] [--format text|json] [-o FILE]: a KPI tree's values at two
 * dates and the attribution of the root's change to its drivers.
 */
#include "cli.h"

#include <stdlib.h>

static const cli_option options[] = {
    {"from", 0, "D1", false, "the earlier day (default: 7 days before D2)",
     NULL},
    {"to", 0, "D2", false, "the later day (default: the last day with events)",
     NULL},
    {"where", 0, "ATTR=V", true, "evaluate the whole tree for one segment",
     NULL},
    {"by", 0, "ATTR", false, "split each driver's change by segment", NULL},
    {"format", 0, "FORMAT", false, "text or json", "text json"},
    {"output", 'o', "FILE", false,
     "write FILE whole or not at all; - is standard output", "@file"},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_tree = {options, -1, "@tree"};

static int run(const cli *c, const okra_tree_request *req, okra_format format,
               FILE *out)
{
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	okra_attribution *at = NULL;
	int status = findings ? EXIT_OK : EXIT_ERROR;
	if (status || (status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)) ||
	    (status = cli_engine(ws, &engine)))
		goto out;
	okra_err err = {0};
	okra_rc rc = okra_tree_eval(engine, req, &at, &err);
	if (rc == OKRA_OK)
		rc = okra_tree_write(at, format, cli_color(out), out, &err);
	if (rc)
		status = cli_fail(&err);
out:
	okra_tree_free(at);
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

int cmd_tree(const cli *c)
{
	okra_tree_request req = {.tree = c->n_args ? c->args[0] : NULL,
	                         .from = cli_value(c, "from"),
	                         .to = cli_value(c, "to"),
	                         .by = cli_value(c, "by")};
	if (!req.tree)
		return cli_usage("tree", "which tree? okra tree ID (okra list "
		                         "trees lists them)");
	if (c->n_args > 1)
		return cli_usage("tree", "one tree at a time ('%s' and '%s')",
		                 c->args[0], c->args[1]);
	okra_format format = OKRA_FORMAT_TEXT;
	const char *f = cli_value(c, "format");
	int status =
	    f ? cli_format(f, 1 << OKRA_FORMAT_TEXT | 1 << OKRA_FORMAT_JSON,
	                   &format, "tree")
	      : EXIT_OK;
	const char **where = calloc(c->n_given + 1, sizeof(*where));
	if (!where)
		return EXIT_ERROR;
	req.where = where;
	req.n_where = cli_values(c, "where", where);
	cli_output out = {0};
	if (status == EXIT_OK &&
	    (status = cli_output_open(cli_value(c, "output"), "tree", &out)) ==
	        EXIT_OK)
		status = cli_output_close(&out, run(c, &req, format, out.f));
	free(where);
	return status;
}
