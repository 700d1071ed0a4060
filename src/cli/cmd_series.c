/*
 * cmd_series.c - okra series METRIC... | --all [--grain day|week|month|quarter]
 * [--from D] [--to D] [--by ATTR] [--where ATTR=V] [--format ...]:
 * metrics as of the last day of each period.  okra series MRR --bridge:
 * the MRR bridge month by month.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

/* --bridge: the MRR bridge of a revenue metric with measure mrr, month by
 * month. */
static int bridge(const cli *c, const okra_query *q, okra_format format)
{
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	okra_bridge *b = NULL;
	int status = findings ? EXIT_OK : EXIT_ERROR;
	if (status || (status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)) ||
	    (status = cli_engine(ws, &engine)))
		goto out;
	okra_err err = {0};
	okra_rc rc = okra_bridge_eval(engine, q, &b, &err);
	if (rc == OKRA_OK)
		rc = okra_bridge_write(b, format, stdout, &err);
	if (rc)
		status = cli_fail(&err);
out:
	okra_bridge_free(b);
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

int cmd_series(const cli *c)
{
	static const char *const grains[] = {"day", "week", "month", "quarter"};
	okra_query q = {.grain = OKRA_GRAIN_WEEK};
	okra_format format = OKRA_FORMAT_TEXT;
	const char **ids = calloc((size_t)c->argc + 1, sizeof(*ids));
	const char **where = calloc((size_t)c->argc + 1, sizeof(*where));
	bool all = false, is_bridge = false, grain_given = false;
	int status = ids && where ? EXIT_OK : EXIT_ERROR;
	for (int i = 1; i < c->argc && status == EXIT_OK; i++) {
		const char *arg = c->argv[i], *v = NULL;
		if (cli_opt(c, &i, "--grain", &v)) {
			grain_given = true;
			bool known = false;
			for (int g = 0; v && g < 4 && !known; g++)
				if (strcmp(v, grains[g]) == 0) {
					q.grain = (okra_grain)g;
					known = true;
				}
			if (v && !known)
				status = cli_usage("series",
				                   "unknown grain '%s' (day, "
				                   "week, month or quarter)",
				                   v);
		} else if (cli_opt(c, &i, "--from", &v)) {
			q.from = v;
		} else if (cli_opt(c, &i, "--to", &v)) {
			q.to = v;
		} else if (cli_opt(c, &i, "--by", &v)) {
			status = cli_by(&q, v, "series");
		} else if (cli_opt(c, &i, "--compare", &v)) {
			q.compare = v;
		} else if (cli_opt(c, &i, "--where", &v)) {
			where[q.n_where] = v;
			q.n_where += v != NULL;
		} else if (cli_opt(c, &i, "--format", &v)) {
			status =
			    v ? cli_format(v, 7, &format, "series") : EXIT_OK;
		} else if (strcmp(arg, "--bridge") == 0) {
			is_bridge = true;
			continue;
		} else if (strcmp(arg, "--all") == 0) {
			all = true;
			continue;
		} else if (arg[0] == '-') {
			status =
			    cli_usage("series", "unknown option '%s'", arg);
			continue;
		} else {
			ids[q.n_metrics++] = arg;
			continue;
		}
		if (!v)
			status = cli_usage("series",
			                   "option '%s' needs a value", arg);
	}
	if (status == EXIT_OK && !q.n_metrics && !all)
		status = cli_usage(
		    "series", "which metric? okra series METRIC..., or --all");
	if (status == EXIT_OK && q.n_metrics && all)
		status =
		    cli_usage("series", "name metrics or give --all, not both");
	q.metrics = ids;
	q.where = where;
	if (status) {
		free(ids);
		free(where);
		return status;
	}
	if (is_bridge && (all || q.n_metrics != 1))
		status = cli_usage(
		    "series",
		    "--bridge takes one revenue metric with measure mrr");
	else if (is_bridge && grain_given && q.grain != OKRA_GRAIN_MONTH)
		status =
		    cli_usage("series", "the MRR bridge is monthly: --grain "
		                        "month, or leave --grain out");
	else if (is_bridge && q.compare)
		status =
		    cli_usage("series", "the MRR bridge takes no --compare: "
		                        "each month already starts from "
		                        "the one before");
	else if (is_bridge && (q.by || q.n_where))
		status = cli_usage("series", "the MRR bridge is of the whole "
		                             "business: no --by or --where");
	else
		status = is_bridge ? bridge(c, &q, format)
		                   : cli_query(c, &q, true, format);
	free(ids);
	free(where);
	return status;
}
