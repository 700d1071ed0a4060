/*
 * cmd_tree.c - okra tree ID [--from D1] [--to D2] [--where ATTR=V]
 * [--by ATTR] [--format text|json]: a KPI tree's values at two dates and
 * the attribution of the root's change to its drivers.
 */
#include "cli.h"

#include <stdlib.h>

static int run(const cli *c, const okra_tree_request *req, okra_format format)
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
		rc = okra_tree_write(at, format, cli_color(stdout), stdout,
		                     &err);
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
	okra_tree_request req = {0};
	okra_format format = OKRA_FORMAT_TEXT;
	const char **where = calloc((size_t)c->argc + 1, sizeof(*where));
	if (!where)
		return EXIT_ERROR;
	int status = EXIT_OK;
	for (int i = 1; i < c->argc && status == EXIT_OK; i++) {
		const char *arg = c->argv[i], *v = NULL;
		if (cli_opt(c, &i, "--from", &v))
			req.from = v;
		else if (cli_opt(c, &i, "--to", &v))
			req.to = v;
		else if (cli_opt(c, &i, "--where", &v))
			where[req.n_where] = v, req.n_where += v != NULL;
		else if (cli_opt(c, &i, "--by", &v)) {
			if (v && req.by)
				status =
				    cli_usage("tree",
				              "--by takes one attribute; "
				              "given twice ('%s' and '%s')",
				              req.by, v);
			req.by = v;
		} else if (cli_opt(c, &i, "--format", &v))
			status =
			    v ? cli_format(v, 3, &format, "tree") : EXIT_OK;
		else if (arg[0] == '-') {
			status = cli_usage("tree", "unknown option '%s'", arg);
			continue;
		} else if (req.tree) {
			status = cli_usage("tree",
			                   "one tree at a time ('%s' and '%s')",
			                   req.tree, arg);
			continue;
		} else {
			req.tree = arg;
			continue;
		}
		if (!v)
			status =
			    cli_usage("tree", "option '%s' needs a value", arg);
	}
	if (status == EXIT_OK && !req.tree)
		status = cli_usage("tree", "which tree? okra tree ID");
	req.where = where;
	if (status == EXIT_OK)
		status = run(c, &req, format);
	free(where);
	return status;
}
