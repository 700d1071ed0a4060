/*
 * cmd_push.c - okra push [--skip-bad-rows]: the data files into the
 * workspace's ClickHouse tables.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_push(const cli *c)
{
	okra_load_options opt = {.progress = isatty(fileno(stderr))};
	for (int i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--skip-bad-rows") == 0)
			opt.skip_bad_rows = true;
		else
			return cli_usage("push", "unexpected argument '%s'",
			                 c->argv[i]);
	}
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	if (!findings)
		return EXIT_ERROR;
	int status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT);
	if (status == EXIT_OK) {
		okra_push_summary sum = {0};
		okra_err err = {0};
		okra_rc rc = okra_push(ws, &opt, &sum, &err);
		if (rc)
			status = cli_fail(&err);
		else if (isatty(fileno(stdout)) || getenv("OKRA_TIMING"))
			printf("pushed %llu events, %llu accounts, %llu users, "
			       "%llu revenue rows to ClickHouse %s; %.2f s\n",
			       sum.rows[0], sum.rows[1], sum.rows[2],
			       sum.rows[3], sum.version, sum.seconds);
		else
			printf("pushed %llu events, %llu accounts, %llu users, "
			       "%llu revenue rows to ClickHouse %s\n",
			       sum.rows[0], sum.rows[1], sum.rows[2],
			       sum.rows[3], sum.version);
	}
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}
