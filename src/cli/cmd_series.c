/*
 * cmd_series.c - okra series METRIC... | --all [--grain day|week|month|
 * quarter] [--from D] [--to D] [--by ATTR] [--where ATTR=V]...
 * [--segments] [--compare ...] [--format ...] [-o FILE]: metrics as of
 * the last day of each period.  okra series MRR --bridge: the MRR bridge
 * month by month.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const cli_option options[] = {
    {"all", 0, NULL, false, "every metric of the workspace", NULL},
    {"grain", 0, "GRAIN", false, "day, week (default), month or quarter",
     "day week month quarter"},
    {"from", 0, "D", false, "the first day (default: 13 periods before --to)",
     NULL},
    {"to", 0, "D", false, "the last day (default: the last day with events)",
     NULL},
    {"by", 0, "ATTR", false,
     "one series per value of an account attribute, or cohort", NULL},
    {"where", 0, "ATTR=V", true,
     "only this segment: AND across attributes, any of the values of one",
     NULL},
    {"segments", 0, NULL, false,
     "also each metric by its own segments (without --by)", NULL},
    {"compare", 0, "prev|yoy|D2", false,
     "also the value at an earlier day for every point", "prev yoy"},
    {"bridge", 0, NULL, false,
     "the MRR bridge of a revenue metric with measure mrr, month by month",
     NULL},
    {"format", 0, "FORMAT", false, "text, json or csv", "text json csv"},
    {"output", 'o', "FILE", false,
     "write FILE whole or not at all; - is standard output", "@file"},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_series = {options, -1, "@metric"};

/* --bridge: the MRR bridge of a revenue metric with measure mrr, month by
 * month. */
static int bridge(const cli *c, const okra_query *q, okra_format format,
                  FILE *out)
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
		rc = okra_bridge_write(b, format, out, &err);
	if (rc)
		status = cli_fail(&err);
out:
	okra_bridge_free(b);
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

/* The checks of the arguments that no option table can say. */
static int check(const cli *c, const okra_query *q, bool grain_given)
{
	bool all = cli_flag(c, "all");
	if (!q->n_metrics && !all)
		return cli_usage(
		    "series", "which metric? okra series METRIC..., or --all");
	if (q->n_metrics && all)
		return cli_usage("series",
		                 "name metrics or give --all, not both");
	if (!cli_flag(c, "bridge"))
		return EXIT_OK;
	if (all || q->n_metrics != 1)
		return cli_usage(
		    "series",
		    "--bridge takes one revenue metric with measure mrr");
	if (grain_given && q->grain != OKRA_GRAIN_MONTH)
		return cli_usage("series", "the MRR bridge is monthly: --grain "
		                           "month, or leave --grain out");
	if (q->compare)
		return cli_usage("series", "the MRR bridge takes no --compare: "
		                           "each month already starts from "
		                           "the one before");
	if (q->by || q->n_where || q->segments)
		return cli_usage("series", "the MRR bridge is of the whole "
		                           "business: no --by, --where or "
		                           "--segments");
	return EXIT_OK;
}

int cmd_series(const cli *c)
{
	static const char *const grains[] = {"day", "week", "month", "quarter"};
	okra_query q = {.metrics = c->args,
	                .n_metrics = c->n_args,
	                .grain = OKRA_GRAIN_WEEK,
	                .from = cli_value(c, "from"),
	                .to = cli_value(c, "to"),
	                .by = cli_value(c, "by"),
	                .compare = cli_value(c, "compare"),
	                .segments = cli_flag(c, "segments")};
	const char *grain = cli_value(c, "grain");
	bool known = !grain;
	for (int g = 0; grain && g < 4 && !known; g++)
		if (strcmp(grain, grains[g]) == 0) {
			q.grain = (okra_grain)g;
			known = true;
		}
	if (!known)
		return cli_usage("series",
		                 "unknown grain '%s' (day, week, month or "
		                 "quarter)",
		                 grain);
	okra_format format = OKRA_FORMAT_TEXT;
	const char *f = cli_value(c, "format");
	int status =
	    f ? cli_format(f,
	                   1 << OKRA_FORMAT_TEXT | 1 << OKRA_FORMAT_JSON |
	                       1 << OKRA_FORMAT_CSV,
	                   &format, "series")
	      : EXIT_OK;
	const char **where = calloc(c->n_given + 1, sizeof(*where));
	if (!where)
		return EXIT_ERROR;
	q.where = where;
	q.n_where = cli_values(c, "where", where);
	cli_output out = {0};
	if (status == EXIT_OK)
		status = check(c, &q, grain != NULL);
	if (status == EXIT_OK &&
	    (status = cli_output_open(cli_value(c, "output"), "series",
	                              &out)) == EXIT_OK)
		status = cli_output_close(
		    &out, cli_flag(c, "bridge")
		              ? bridge(c, &q, format, out.f)
		              : cli_query_to(c, &q, true, format, out.f));
	free(where);
	return status;
}
