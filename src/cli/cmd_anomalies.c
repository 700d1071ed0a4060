/*
 * cmd_anomalies.c - okra anomalies [--asof D] [--days 28] [--k 3.5]
 * [--metric ID...] [--by ATTR] [--direction up|down] [--min-change 30%]
 * [--fail-on up|down|any] [--format text|json] [-o FILE]: the robust
 * seasonal check of every event metric's daily series.  With --fail-on
 * the exit status is 1 when an anomaly of that direction passes the
 * filters, so cron or CI can alert on it.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const cli_option options[] = {
    {"asof", 0, "D", false,
     "the last day to check (default: the last day with events)", NULL},
    {"days", 0, "N", false, "how many days to check (default 28)", NULL},
    {"k", 0, "K", false,
     "how many robust deviations make an anomaly (default 3.5)", NULL},
    {"metric", 0, "ID", true,
     "only these metrics (--metric a b, or --metric a --metric b)", "@metric"},
    {"by", 0, "ATTR", false, "explain by this attribute only", NULL},
    {"direction", 0, "up|down", false, "only rises or only drops", "up down"},
    {"min-change", 0, "PCT", false,
     "only changes at least this far from usual (30%)", NULL},
    {"fail-on", 0, "up|down|any", false,
     "exit 1 when an anomaly of this direction is listed", "up down any"},
    {"format", 0, "FORMAT", false, "text or json", "text json"},
    {"output", 'o', "FILE", false,
     "write FILE whole or not at all; - is standard output", "@file"},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_anomalies = {options, -1, "@metric"};

static int run(const cli *c, const okra_anomaly_request *req,
               const char *fail_on, okra_format format, FILE *out)
{
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	okra_anomalies *l = NULL;
	int status = findings ? EXIT_OK : EXIT_ERROR;
	if (status || (status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)) ||
	    (status = cli_engine(ws, &engine)))
		goto out;
	okra_err err = {0};
	okra_rc rc = okra_anomalies_run(engine, req, &l, &err);
	if (rc == OKRA_OK)
		rc = okra_anomalies_write(l, format, cli_color(out), out, &err);
	if (rc)
		status = cli_fail(&err);
	else if (fail_on && okra_anomalies_count(l, strcmp(fail_on, "any") == 0
	                                                ? NULL
	                                                : fail_on) > 0)
		status = EXIT_FINDINGS;
out:
	okra_anomalies_free(l);
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

int cmd_anomalies(const cli *c)
{
	okra_anomaly_request req = {.asof = cli_value(c, "asof"),
	                            .days = cli_value(c, "days"),
	                            .k = cli_value(c, "k"),
	                            .by = cli_value(c, "by"),
	                            .direction = cli_value(c, "direction"),
	                            .min_change = cli_value(c, "min-change")};
	const char *fail_on = cli_value(c, "fail-on");
	if (fail_on && strcmp(fail_on, "up") != 0 &&
	    strcmp(fail_on, "down") != 0 && strcmp(fail_on, "any") != 0)
		return cli_usage("anomalies",
		                 "--fail-on takes up, down or any, not '%s'",
		                 fail_on);
	okra_format format = OKRA_FORMAT_TEXT;
	const char *f = cli_value(c, "format");
	int status =
	    f ? cli_format(f, 1 << OKRA_FORMAT_TEXT | 1 << OKRA_FORMAT_JSON,
	                   &format, "anomalies")
	      : EXIT_OK;
	if (status)
		return status;
	/* --metric a b c: the words after --metric are metrics too; without
	 * --metric a word is a mistake. */
	const char **metrics =
	    calloc(c->n_given + c->n_args + 1, sizeof(*metrics));
	if (!metrics)
		return EXIT_ERROR;
	req.n_metrics = cli_values(c, "metric", metrics);
	if (c->n_args && !req.n_metrics) {
		free(metrics);
		return cli_usage("anomalies",
		                 "unexpected argument '%s' (name metrics with "
		                 "--metric ID)",
		                 c->args[0]);
	}
	for (size_t i = 0; i < c->n_args; i++)
		metrics[req.n_metrics++] = c->args[i];
	req.metrics = metrics;
	cli_output out = {0};
	if ((status = cli_output_open(cli_value(c, "output"), "anomalies",
	                              &out)) == EXIT_OK)
		status = cli_output_close(&out,
		                          run(c, &req, fail_on, format, out.f));
	free(metrics);
	return status;
}
