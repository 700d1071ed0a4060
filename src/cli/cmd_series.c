/*
 * cmd_series.c - okra series METRIC... | --all [--grain day|week|month|quarter]
 * [--from D] [--to D] [--by ATTR] [--where ATTR=V] [--format ...]:
 * metrics as of the last day of each period.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

int cmd_series(const cli *c)
{
	static const char *const grains[] = {"day", "week", "month", "quarter"};
	okra_query q = {.grain = OKRA_GRAIN_WEEK};
	okra_format format = OKRA_FORMAT_TEXT;
	const char **ids = calloc((size_t)c->argc + 1, sizeof(*ids));
	bool all = false;
	int status = ids ? EXIT_OK : EXIT_ERROR;
	for (int i = 1; i < c->argc && status == EXIT_OK; i++) {
		const char *arg = c->argv[i], *v = NULL;
		if (cli_opt(c, &i, "--grain", &v)) {
			bool known = false;
			for (int g = 0; v && g < 4 && !known; g++)
				if (strcmp(v, grains[g]) == 0) {
					q.grain = (okra_grain)g;
					known = true;
				}
			if (v && !known)
				status = cli_usage("series", "unknown grain '%s' (day, week, month or quarter)", v);
		} else if (cli_opt(c, &i, "--from", &v)) {
			q.from = v;
		} else if (cli_opt(c, &i, "--to", &v)) {
			q.to = v;
		} else if (cli_opt(c, &i, "--by", &v)) {
			q.by = v;
		} else if (cli_opt(c, &i, "--where", &v)) {
			q.where = v;
		} else if (cli_opt(c, &i, "--format", &v)) {
			status = v ? cli_format(v, 7, &format, "series") : EXIT_OK;
		} else if (strcmp(arg, "--all") == 0) {
			all = true;
			continue;
		} else if (arg[0] == '-') {
			status = cli_usage("series", "unknown option '%s'", arg);
			continue;
		} else {
			ids[q.n_metrics++] = arg;
			continue;
		}
		if (!v)
			status = cli_usage("series", "option '%s' needs a value", arg);
	}
	if (status == EXIT_OK && !q.n_metrics && !all)
		status = cli_usage("series", "which metric? okra series METRIC..., or --all");
	if (status == EXIT_OK && q.n_metrics && all)
		status = cli_usage("series", "name metrics or give --all, not both");
	q.metrics = ids;
	if (status) {
		free(ids);
		return status;
	}
	status = cli_query(c, &q, true, format);
	free(ids);
	return status;
}
