/*
 * cmd_retro.c - okra retro QUARTER [--format md|html] [-o FILE]: the
 * quarterly retrospective of the OKR design (final scores, calibration
 * of the targets, metrics that moved with or without the experiments,
 * hypotheses tested, lint rules waived).
 */
#include "cli.h"

static const cli_option options[] = {
    {"format", 0, "FORMAT", false, "md (default) or html", "md html"},
    {"output", 'o', "FILE", false,
     "write FILE whole or not at all; - is standard output", "@file"},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_retro = {options, 1, NULL};

static int run(const cli *c, const char *quarter, okra_format format, FILE *out)
{
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	okra_retro *t = NULL;
	int status = findings ? EXIT_OK : EXIT_ERROR;
	if (status || (status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)) ||
	    (status = cli_engine(ws, &engine)))
		goto out;
	okra_err err = {0};
	okra_rc rc = okra_retro_run(engine, quarter, &t, &err);
	if (rc == OKRA_OK)
		rc = okra_retro_write(t, format, out, &err);
	if (rc)
		status = cli_fail(&err);
out:
	okra_retro_free(t);
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

int cmd_retro(const cli *c)
{
	if (c->n_args == 0)
		return cli_usage("retro",
		                 "which quarter? e.g. okra retro 2026-Q4");
	okra_format format = OKRA_FORMAT_MD;
	const char *f = cli_value(c, "format");
	int status =
	    f ? cli_format(f, 1 << OKRA_FORMAT_MD | 1 << OKRA_FORMAT_HTML,
	                   &format, "retro")
	      : EXIT_OK;
	cli_output out = {0};
	if (status == EXIT_OK &&
	    (status = cli_output_open(cli_value(c, "output"), "retro", &out)) ==
	        EXIT_OK)
		status =
		    cli_output_close(&out, run(c, c->args[0], format, out.f));
	return status;
}
