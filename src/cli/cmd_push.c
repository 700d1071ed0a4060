/*
 * cmd_push.c - okra push [--skip-bad-rows]: the data files into the
 * workspace's ClickHouse tables.
 */
#include "cli.h"

#include <stdlib.h>
#include <unistd.h>

static const cli_option options[] = {
    {"skip-bad-rows", 0, NULL, false,
     "skip malformed rows (counted and reported) instead of stopping", NULL},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_push = {options, 0, NULL};

int cmd_push(const cli *c)
{
	okra_load_options opt = {.progress = isatty(fileno(stderr)),
	                         .skip_bad_rows = cli_flag(c, "skip-bad-rows")};
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
