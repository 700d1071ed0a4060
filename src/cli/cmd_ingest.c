/*
 * cmd_ingest.c - okra ingest [--skip-bad-rows]: data files into the cache.
 */
#include "cli.h"

#include <stdlib.h>
#include <unistd.h>

static const cli_option options[] = {
    {"skip-bad-rows", 0, NULL, false,
     "skip malformed rows into .okra/rejected/<table>.csv instead of "
     "stopping",
     NULL},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_ingest = {options, 0, NULL};

int cmd_ingest(const cli *c)
{
	okra_load_options opt = {.progress = isatty(fileno(stderr)),
	                         .skip_bad_rows = cli_flag(c, "skip-bad-rows")};
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
