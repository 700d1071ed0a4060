/*
 * cmd_sql.c - okra sql METRIC... [--asof D] [--by ATTR] [--where ATTR=V]:
 * the SQL the ClickHouse engine runs for the metrics.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cmd_sql(const cli *c)
{
	okra_query q = {0};
	const char **ids = calloc((size_t)c->argc + 1, sizeof(*ids));
	const char **where = calloc((size_t)c->argc + 1, sizeof(*where));
	size_t n_ids = 0, n_where = 0;
	int status = ids && where ? EXIT_OK : EXIT_ERROR;
	for (int i = 1; status == EXIT_OK && i < c->argc; i++) {
		const char *v;
		if (cli_opt(c, &i, "--asof", &v)) {
			if (!v)
				status =
				    cli_usage("sql", "--asof needs a date");
			q.asof = v;
		} else if (cli_opt(c, &i, "--by", &v)) {
			status =
			    v ? cli_by(&q, v, "sql")
			      : cli_usage("sql", "--by needs an attribute");
		} else if (cli_opt(c, &i, "--where", &v)) {
			if (!v)
				status = cli_usage("sql",
				                   "--where needs ATTR=VALUE");
			where[n_where++] = v;
		} else if (cli_opt(c, &i, "--dialect", &v)) {
			if (!v || strcmp(v, "clickhouse") != 0)
				status = cli_usage(
				    "sql", "the one SQL dialect is clickhouse");
		} else if (c->argv[i][0] == '-') {
			status =
			    cli_usage("sql", "unknown option '%s'", c->argv[i]);
		} else {
			ids[n_ids++] = c->argv[i];
		}
	}
	if (status == EXIT_OK && n_ids == 0)
		status = cli_usage("sql", "name the metric to compile");
	okra_findings *findings = NULL;
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	if (status)
		goto out;
	q.metrics = ids;
	q.n_metrics = n_ids;
	q.where = where;
	q.n_where = n_where;
	findings = okra_findings_new();
	if (!findings ||
	    (status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)))
		goto out;
	okra_err err = {0};
	if (cli_engine_choice == NULL &&
	    okra_workspace_set_engine(ws, "clickhouse", &err) != OKRA_OK) {
		status = cli_fail(&err);
		goto out;
	}
	if ((status = cli_engine(ws, &engine)))
		goto out;
	if (okra_sql_print(engine, &q, stdout, &err))
		status = cli_fail(&err);
out:
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	free(ids);
	free(where);
	return status;
}
