/*
 * cmd_diagnose.c - okra diagnose [--asof D] [--format text|json]: where
 * the north star is blocked (SPEC 12): the candidates ranked by gap and
 * lift, and the bottleneck in one sentence.
 */
#include "cli.h"

int cmd_diagnose(const cli *c)
{
	const char *asof = NULL;
	okra_format format = OKRA_FORMAT_TEXT;
	for (int i = 1; i < c->argc; i++) {
		const char *arg = c->argv[i], *v = NULL;
		int status = EXIT_OK;
		if (cli_opt(c, &i, "--asof", &v))
			asof = v;
		else if (cli_opt(c, &i, "--format", &v))
			status =
			    v ? cli_format(v, 3, &format, "diagnose") : EXIT_OK;
		else if (arg[0] == '-')
			return cli_usage("diagnose", "unknown option '%s'",
			                 arg);
		else
			return cli_usage(
			    "diagnose",
			    "unexpected argument '%s' (okra "
			    "diagnose takes no metric: it looks at "
			    "every candidate)",
			    arg);
		if (status)
			return status;
		if (!v)
			return cli_usage("diagnose",
			                 "option '%s' needs a value", arg);
	}
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
		rc = okra_diagnose_write(d, format, cli_color(stdout), stdout,
		                         &err);
	if (rc)
		status = cli_fail(&err);
out:
	okra_diagnosis_free(d);
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}
