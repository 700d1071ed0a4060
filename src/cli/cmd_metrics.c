/*
 * cmd_metrics.c - okra metrics [ID...] [--asof D] [--by ATTR]
 * [--where ATTR=V] [--compare prev|yoy|D2] [--format text|json|csv]:
 * every metric as of a day, and its change since an earlier one.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cmd_metrics(const cli *c)
{
	okra_query q = {0};
	okra_format format = OKRA_FORMAT_TEXT;
	const char **ids = calloc((size_t)c->argc + 1, sizeof(*ids));
	const char **where = calloc((size_t)c->argc + 1, sizeof(*where));
	if (!ids || !where) {
		free(ids);
		free(where);
		return EXIT_ERROR;
	}
	int status = EXIT_OK;
	for (int i = 1; i < c->argc && status == EXIT_OK; i++) {
		const char *arg = c->argv[i], *v = NULL;
		if (cli_opt(c, &i, "--asof", &v))
			q.asof = v;
		else if (cli_opt(c, &i, "--by", &v))
			status = cli_by(&q, v, "metrics");
		else if (cli_opt(c, &i, "--compare", &v))
			q.compare = v;
		else if (cli_opt(c, &i, "--where", &v))
			where[q.n_where] = v, q.n_where += v != NULL;
		else if (cli_opt(c, &i, "--format", &v))
			status =
			    v ? cli_format(v, 7, &format, "metrics") : EXIT_OK;
		else if (arg[0] == '-') {
			status =
			    cli_usage("metrics", "unknown option '%s'", arg);
			continue;
		} else {
			ids[q.n_metrics++] = arg;
			continue;
		}
		if (!v)
			status = cli_usage("metrics",
			                   "option '%s' needs a value", arg);
	}
	q.metrics = ids;
	q.where = where;
	if (status == EXIT_OK)
		status = cli_query(c, &q, false, format);
	free(ids);
	free(where);
	return status;
}
