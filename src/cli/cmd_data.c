/*
 * cmd_data.c - okra data [--format text|json]: what the data holds, as
 * loaded (ingesting stale files first): the first thing to run on a new
 * export.
 */
#include "cli.h"

#include <string.h>

int cmd_data(const cli *c)
{
	okra_format format = OKRA_FORMAT_TEXT;
	for (int i = 1; i < c->argc; i++) {
		const char *v;
		if (cli_opt(c, &i, "--format", &v)) {
			if (!v)
				return cli_usage(
				    "data", "option '--format' needs a value");
			int status = cli_format(
			    v, 1u << OKRA_FORMAT_TEXT | 1u << OKRA_FORMAT_JSON,
			    &format, "data");
			if (status)
				return status;
		} else {
			return cli_usage("data", "unknown argument '%s'",
			                 c->argv[i]);
		}
	}
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	okra_profile *profile = NULL;
	int status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT);
	if (status == EXIT_OK)
		status = cli_engine(ws, &engine);
	if (status == EXIT_OK) {
		okra_err err = {0};
		okra_rc rc = okra_data_profile(engine, &profile, &err);
		if (rc == OKRA_OK)
			rc = okra_profile_print(
			    profile, format, cli_color(stdout), stdout, &err);
		if (rc)
			status = cli_fail(&err);
	}
	okra_profile_free(profile);
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}
