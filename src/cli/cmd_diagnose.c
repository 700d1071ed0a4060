/*
 * cmd_diagnose.c - okra diagnose [--asof D] [--format text|json] [-o FILE]:
 * where the north star is blocked: the candidates ranked by gap and lift,
 * and the bottleneck in one sentence.
 */
#include "cli.h"

static const cli_option options[] = {
    {"asof", 0, "D", false,
     "the day to diagnose as of (default: the last day with events)", NULL},
    {"format", 0, "FORMAT", false, "text or json", "text json"},
    {"output", 'o', "FILE", false,
     "write FILE whole or not at all; - is standard output", "@file"},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_diagnose = {options, -1, NULL};

static int run(const cli *c, const char *asof, okra_format format, FILE *out)
{
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	okra_diagnosis *d = NULL;
	int status = findings ? EXIT_OK : EXIT_ERROR;
	if (status || (status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)) ||
	    (status = cli_engine(ws, &engine)))
		goto out;
	okra_err err = {0};
	okra_rc rc = okra_diagnose_run(engine, asof, &d, &err);
	if (rc == OKRA_OK)
		rc = okra_diagnose_write(d, format, cli_color(out), out, &err);
	if (rc)
		status = cli_fail(&err);
out:
	okra_diagnosis_free(d);
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

int cmd_diagnose(const cli *c)
{
	if (c->n_args)
		return cli_usage(
		    "diagnose",
		    "unexpected argument '%s' (okra diagnose takes "
		    "no metric: it looks at every candidate)",
		    c->args[0]);
	okra_format format = OKRA_FORMAT_TEXT;
	const char *f = cli_value(c, "format");
	int status =
	    f ? cli_format(f, 1 << OKRA_FORMAT_TEXT | 1 << OKRA_FORMAT_JSON,
	                   &format, "diagnose")
	      : EXIT_OK;
	cli_output out = {0};
	if (status == EXIT_OK &&
	    (status = cli_output_open(cli_value(c, "output"), "diagnose",
	                              &out)) == EXIT_OK)
		status = cli_output_close(
		    &out, run(c, cli_value(c, "asof"), format, out.f));
	return status;
}
