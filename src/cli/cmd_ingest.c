/*
 * cmd_ingest.c - okra ingest [--skip-bad-rows]: data files into the cache.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_ingest(const cli *c)
{
	okra_load_options opt = {.progress = isatty(fileno(stderr))};
	for (int i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--skip-bad-rows") == 0)
			opt.skip_bad_rows = true;
		else
			return cli_usage("ingest", "unexpected argument '%s'",
			                 c->argv[i]);
	}
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	if (!findings)
		return EXIT_ERROR;
	int status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT);
	if (status == EXIT_OK) {
		okra_ingest_summary sum;
		okra_err err = {0};
		okra_rc rc = okra_ingest(ws, &opt, &sum, &err);
		if (rc)
			status = cli_fail(&err);
		else
			cli_ingest_summary(&sum,
			                   isatty(fileno(stdout)) ||
			                       getenv("OKRA_TIMING"),
			                   stdout);
	}
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}
