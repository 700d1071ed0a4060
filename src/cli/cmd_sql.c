/*
 * cmd_sql.c - okra sql METRIC... [--asof D] [--by ATTR] [--where ATTR=V]...
 * [-o FILE] | okra sql --diagnose [--asof D] [-o FILE]: the SQL the
 * ClickHouse engine runs for the metrics, or for okra diagnose.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const cli_option options[] = {
    {"asof", 0, "D", false,
     "the day to compute as of (default: the last day with events)", NULL},
    {"by", 0, "ATTR", false,
     "one value per value of an account attribute, or cohort", NULL},
    {"where", 0, "ATTR=V", true, "only this segment", NULL},
    {"diagnose", 0, NULL, false,
     "the SQL of okra diagnose instead (the candidates at 8 weekly days, "
     "the counts behind each lift)",
     NULL},
    {"dialect", 0, "clickhouse", false, "the SQL dialect (clickhouse)",
     "clickhouse"},
    {"output", 'o', "FILE", false,
     "write FILE whole or not at all; - is standard output", "@file"},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_sql = {options, -1, "@metric"};

static int run(const cli *c, const okra_query *q, FILE *out)
{
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	int status = findings ? EXIT_OK : EXIT_ERROR;
	if (status || (status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)))
		goto out;
	okra_err err = {0};
	if (cli_engine_choice == NULL &&
	    okra_workspace_set_engine(ws, "clickhouse", &err) != OKRA_OK) {
		status = cli_fail(&err);
		goto out;
	}
	if ((status = cli_engine(ws, &engine)))
		goto out;
	okra_rc rc = cli_flag(c, "diagnose")
	                 ? okra_diagnose_sql(engine, q->asof, out, &err)
	                 : okra_sql_print(engine, q, out, &err);
	if (rc)
		status = cli_fail(&err);
out:
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

int cmd_sql(const cli *c)
{
	const char *dialect = cli_value(c, "dialect");
	if (dialect && strcmp(dialect, "clickhouse") != 0)
		return cli_usage("sql",
		                 "the one SQL dialect is clickhouse, "
		                 "not '%s'",
		                 dialect);
	bool diagnose = cli_flag(c, "diagnose");
	if (diagnose &&
	    (c->n_args || cli_value(c, "by") || cli_value(c, "where")))
		return cli_usage("sql", "--diagnose prints the SQL of okra "
		                        "diagnose, which names its own metrics "
		                        "and has no --by or --where");
	if (!c->n_args && !diagnose)
		return cli_usage("sql",
		                 "which metric? okra sql METRIC... "
		                 "(okra list metrics lists them), or okra "
		                 "sql --diagnose");
	okra_query q = {.metrics = c->args,
	                .n_metrics = c->n_args,
	                .asof = cli_value(c, "asof"),
	                .by = cli_value(c, "by")};
	const char **where = calloc(c->n_given + 1, sizeof(*where));
	if (!where)
		return EXIT_ERROR;
	q.where = where;
	q.n_where = cli_values(c, "where", where);
	cli_output out = {0};
	int status = cli_output_open(cli_value(c, "output"), "sql", &out);
	if (status == EXIT_OK)
		status = cli_output_close(&out, run(c, &q, out.f));
	free(where);
	return status;
}
