/*
 * cmd_data.c - okra data [--format text|json] [-o FILE]: what the data
 * holds, as loaded (ingesting stale files first): the first thing to run
 * on a new export.
 */
#include "cli.h"

static const cli_option options[] = {
    {"format", 0, "FORMAT", false, "text or json", "text json"},
    {"output", 'o', "FILE", false,
     "write FILE whole or not at all; - is standard output", "@file"},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_data = {options, 0, NULL};

static int run(const cli *c, okra_format format, FILE *out)
{
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	okra_profile *profile = NULL;
	int status = findings ? EXIT_OK : EXIT_ERROR;
	if (status || (status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)) ||
	    (status = cli_engine(ws, &engine)))
		goto out;
	okra_err err = {0};
	okra_rc rc = okra_data_profile(engine, &profile, &err);
	if (rc == OKRA_OK)
		rc = okra_profile_print(profile, format, cli_color(out), out,
		                        &err);
	if (rc)
		status = cli_fail(&err);
out:
	okra_profile_free(profile);
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

int cmd_data(const cli *c)
{
	okra_format format = OKRA_FORMAT_TEXT;
	const char *f = cli_value(c, "format");
	int status =
	    f ? cli_format(f, 1 << OKRA_FORMAT_TEXT | 1 << OKRA_FORMAT_JSON,
	                   &format, "data")
	      : EXIT_OK;
	cli_output out = {0};
	if (status == EXIT_OK &&
	    (status = cli_output_open(cli_value(c, "output"), "data", &out)) ==
	        EXIT_OK)
		status = cli_output_close(&out, run(c, format, out.f));
	return status;
}
