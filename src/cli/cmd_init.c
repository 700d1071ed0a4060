/*
 * cmd_init.c - okra init [DIR] [--from TOOL]: scaffold a workspace.
 */
#include "cli.h"

#include <string.h>

int cmd_init(const cli *c)
{
	const char *dir = NULL, *from = NULL;
	for (int i = 1; i < c->argc; i++) {
		const char *v;
		if (cli_opt(c, &i, "--from", &v)) {
			if (!v)
				return cli_usage("init",
				                 "--from needs a tool: "
				                 "posthog, segment, "
				                 "amplitude or mixpanel");
			from = v;
		} else if (c->argv[i][0] == '-' && c->argv[i][1]) {
			return cli_usage("init", "unknown option '%s'",
			                 c->argv[i]);
		} else if (dir) {
			return cli_usage("init", "too many arguments");
		} else {
			dir = c->argv[i];
		}
	}
	if (!dir)
		dir = c->dir ? c->dir : ".";
	okra_err err = {0};
	okra_rc rc = okra_init_from(dir, from, &err);
	if (rc)
		return cli_fail(&err);
	if (from)
		printf("created an okra workspace for %s exports in %s\n"
		       "next: put the export into %s/data/ (okra.yaml names "
		       "the files), then run 'okra -C %s data'\n",
		       from, dir, dir, dir);
	else
		printf("created an okra workspace in %s\n"
		       "next: edit okra.yaml and metrics.yaml, then run 'okra "
		       "-C %s lint'\n",
		       dir, dir);
	return EXIT_OK;
}
