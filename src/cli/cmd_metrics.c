/*
 * cmd_metrics.c - okra metrics [ID...] [--asof D] [--by ATTR]
 * [--where ATTR=V] [--format text|json|csv]: every metric as of a day.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cmd_metrics(const cli *c)
{
	okra_query q = {0};
	okra_format format = OKRA_FORMAT_TEXT;
	const char **ids = calloc((size_t)c->argc + 1, sizeof(*ids));
	if (!ids)
		return EXIT_ERROR;
	int status = EXIT_OK;
	for (int i = 1; i < c->argc && status == EXIT_OK; i++) {
		const char *arg = c->argv[i], *v = NULL;
		if (cli_opt(c, &i, "--asof", &v))
			q.asof = v;
		else if (cli_opt(c, &i, "--by", &v))
			q.by = v;
		else if (cli_opt(c, &i, "--where", &v))
			q.where = v;
		else if (cli_opt(c, &i, "--format", &v))
			status = v ? cli_format(v, 7, &format, "metrics") : EXIT_OK;
		else if (arg[0] == '-') {
			status = cli_usage("metrics", "unknown option '%s'", arg);
			continue;
		} else {
			ids[q.n_metrics++] = arg;
			continue;
		}
		if (!v)
			status = cli_usage("metrics", "option '%s' needs a value", arg);
	}
	q.metrics = ids;
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	okra_result *result = NULL;
	if (status || !findings)
		goto out;
	if ((status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)) ||
	    (status = cli_engine(ws, &engine)))
		goto out;
	okra_err err = {0};
	okra_rc rc = okra_metrics_eval(engine, &q, &result, &err);
	if (rc == OKRA_OK)
		rc = okra_result_write(result, format, stdout, &err);
	if (rc)
		status = cli_fail(&err);
out:
	okra_result_free(result);
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	free(ids);
	return status;
}
