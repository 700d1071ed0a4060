/*
 * cmd_metrics.c - okra metrics [ID...] [--asof D] [--by ATTR]
 * [--where ATTR=V]... [--segments] [--compare prev|yoy|D2]
 * [--format text|json|csv] [-o FILE]: every metric as of a day, and its
 * change since an earlier one.
 */
#include "cli.h"

#include <stdlib.h>

static const cli_option options[] = {
    {"asof", 0, "D", false,
     "the day to compute as of (default: the last day with events)", NULL},
    {"by", 0, "ATTR", false,
     "one value per value of an account attribute, or cohort", NULL},
    {"where", 0, "ATTR=V", true,
     "only this segment: AND across attributes, any of the values of one",
     NULL},
    {"segments", 0, NULL, false,
     "also each metric by its own segments (without --by)", NULL},
    {"compare", 0, "prev|yoy|D2", false,
     "also the value at an earlier day, and the change", "prev yoy"},
    {"format", 0, "FORMAT", false, "text, json or csv", "text json csv"},
    {"output", 'o', "FILE", false,
     "write FILE whole or not at all; - is standard output", "@file"},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_metrics = {options, -1, "@metric"};

int cmd_metrics(const cli *c)
{
	okra_query q = {.metrics = c->args,
	                .n_metrics = c->n_args,
	                .asof = cli_value(c, "asof"),
	                .by = cli_value(c, "by"),
	                .compare = cli_value(c, "compare"),
	                .segments = cli_flag(c, "segments")};
	okra_format format = OKRA_FORMAT_TEXT;
	const char *f = cli_value(c, "format");
	int status =
	    f ? cli_format(f,
	                   1 << OKRA_FORMAT_TEXT | 1 << OKRA_FORMAT_JSON |
	                       1 << OKRA_FORMAT_CSV,
	                   &format, "metrics")
	      : EXIT_OK;
	const char **where = calloc(c->n_given + 1, sizeof(*where));
	if (!where)
		return EXIT_ERROR;
	q.where = where;
	q.n_where = cli_values(c, "where", where);
	cli_output out = {0};
	if (status == EXIT_OK &&
	    (status = cli_output_open(cli_value(c, "output"), "metrics",
	                              &out)) == EXIT_OK)
		status = cli_output_close(
		    &out, cli_query_to(c, &q, false, format, out.f));
	free(where);
	return status;
}
