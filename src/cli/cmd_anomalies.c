/*
 * cmd_anomalies.c - okra anomalies [--asof D] [--days 28] [--k 3.5]
 * [--metric ID...] [--by ATTR] [--direction up|down] [--min-change 30%]
 * [--fail-on up|down|any] [--format text|json]: the robust seasonal
 * check of every event metric's daily series (SPEC 13).  With --fail-on
 * the exit status is 1 when an anomaly of that direction passes the
 * filters, so cron or CI can alert on it.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* Sets *slot from an option given once. */
static int once(const char **slot, const char *opt, const char *v)
{
	if (*slot && v)
		return cli_usage("anomalies",
		                 "%s is given twice ('%s' and '%s')", opt,
		                 *slot, v);
	*slot = v;
	return EXIT_OK;
}

int cmd_anomalies(const cli *c)
{
	okra_anomaly_request req = {0};
	okra_format format = OKRA_FORMAT_TEXT;
	const char *fail_on = NULL;
	const char **metrics = calloc((size_t)c->argc + 1, sizeof(*metrics));
	if (!metrics)
		return EXIT_ERROR;
	int status = EXIT_OK;
	for (int i = 1; i < c->argc && status == EXIT_OK; i++) {
		const char *arg = c->argv[i], *v = NULL;
		if (cli_opt(c, &i, "--asof", &v))
			status = once(&req.asof, "--asof", v);
		else if (cli_opt(c, &i, "--days", &v))
			status = once(&req.days, "--days", v);
		else if (cli_opt(c, &i, "--k", &v))
			status = once(&req.k, "--k", v);
		else if (cli_opt(c, &i, "--metric", &v)) {
			/* --metric ID, repeated, or --metric ID ID ... */
			if (v)
				metrics[req.n_metrics++] = v;
			while (v && i + 1 < c->argc && c->argv[i + 1][0] != '-')
				metrics[req.n_metrics++] = c->argv[++i];
		} else if (cli_opt(c, &i, "--by", &v))
			status = once(&req.by, "--by", v);
		else if (cli_opt(c, &i, "--direction", &v))
			status = once(&req.direction, "--direction", v);
		else if (cli_opt(c, &i, "--min-change", &v))
			status = once(&req.min_change, "--min-change", v);
		else if (cli_opt(c, &i, "--fail-on", &v)) {
			status = once(&fail_on, "--fail-on", v);
			if (status == EXIT_OK && v && strcmp(v, "up") != 0 &&
			    strcmp(v, "down") != 0 && strcmp(v, "any") != 0)
				status =
				    cli_usage("anomalies",
				              "--fail-on takes up, down or "
				              "any, not '%s'",
				              v);
		} else if (cli_opt(c, &i, "--format", &v))
			status = v ? cli_format(v, 3, &format, "anomalies")
			           : EXIT_OK;
		else if (arg[0] == '-') {
			status =
			    cli_usage("anomalies", "unknown option '%s'", arg);
			continue;
		} else {
			status = cli_usage("anomalies",
			                   "unexpected argument '%s' (name "
			                   "metrics with --metric ID)",
			                   arg);
			continue;
		}
		if (status == EXIT_OK && !v)
			status = cli_usage("anomalies",
			                   "option '%s' needs a value", arg);
	}
	req.metrics = metrics;
	okra_findings *findings = status ? NULL : okra_findings_new();
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	okra_anomalies *l = NULL;
	if (status)
		goto out;
	if (!findings ||
	    (status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)) ||
	    (status = cli_engine(ws, &engine))) {
		status = status ? status : EXIT_ERROR;
		goto out;
	}
	okra_err err = {0};
	okra_rc rc = okra_anomalies_run(engine, &req, &l, &err);
	if (rc == OKRA_OK)
		rc = okra_anomalies_write(l, format, cli_color(stdout), stdout,
		                          &err);
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
	free(metrics);
	return status;
}
