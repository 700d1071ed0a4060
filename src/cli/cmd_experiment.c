/*
 * cmd_experiment.c - experiment readouts (SPEC 14):
 *   okra experiment ID [--asof D] [--format text|json]
 *   okra experiment ID --decide ship|stop|iterate [--note TEXT] [--date D]
 *   okra experiments [--asof D] [--format text|json]
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

typedef struct exp_args {
	const char *id, *asof, *decide, *note, *date;
	okra_format format;
} exp_args;

static int parse(const cli *c, bool one, exp_args *a)
{
	const char *command = c->argv[0];
	memset(a, 0, sizeof(*a));
	for (int i = 1; i < c->argc; i++) {
		const char *arg = c->argv[i], *v = NULL;
		const char **slot = NULL;
		bool is_format = false;
		if (arg[0] != '-') {
			if (!one || a->id)
				return cli_usage(
				    command, "unexpected argument '%s'", arg);
			a->id = arg;
			continue;
		}
		if (cli_opt(c, &i, "--asof", &v))
			slot = &a->asof;
		else if (cli_opt(c, &i, "--format", &v))
			is_format = true;
		else if (one && cli_opt(c, &i, "--decide", &v))
			slot = &a->decide;
		else if (one && cli_opt(c, &i, "--note", &v))
			slot = &a->note;
		else if (one && cli_opt(c, &i, "--date", &v))
			slot = &a->date;
		else
			return cli_usage(command, "unknown option '%s'", arg);
		if (!v)
			return cli_usage(command, "option '%s' needs a value",
			                 arg);
		if (is_format) {
			int status = cli_format(v, 3, &a->format, command);
			if (status)
				return status;
		} else {
			*slot = v;
		}
	}
	if (one && !a->id)
		return cli_usage(command,
		                 "which experiment? okra experiment ID "
		                 "(okra experiments lists them)");
	if (a->decide && (a->asof || a->format != OKRA_FORMAT_TEXT))
		return cli_usage(command, "--decide records a decision; it "
		                          "takes --note and --date, not --asof "
		                          "or --format");
	if (!a->decide && (a->note || a->date))
		return cli_usage(command, "--note and --date go with --decide "
		                          "ship|stop|iterate");
	return EXIT_OK;
}

static int run(const cli *c, const exp_args *a, bool one)
{
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	okra_experiment_readout *r = NULL;
	okra_experiment_list *l = NULL;
	okra_err err = {0};
	okra_rc rc = OKRA_OK;
	int status = findings ? EXIT_OK : EXIT_ERROR;
	if (status || (status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)) ||
	    (status = cli_engine(ws, &engine)))
		goto out;
	if (a->decide) {
		char day[11];
		rc = okra_experiment_decide(engine, a->id, a->decide, a->date,
		                            a->note, day, &err);
		if (rc == OKRA_OK)
			printf("recorded %s for %s on %s\n", a->decide, a->id,
			       day);
	} else if (one) {
		rc = okra_experiment_run(engine, a->id, a->asof, &r, &err);
		if (rc == OKRA_OK)
			rc = okra_experiment_write(r, a->format, stdout, &err);
	} else {
		rc = okra_experiments_run(engine, a->asof, &l, &err);
		if (rc == OKRA_OK)
			rc = okra_experiments_write(l, a->format, stdout, &err);
	}
	if (rc)
		status = cli_fail(&err);
out:
	okra_experiment_readout_free(r);
	okra_experiment_list_free(l);
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

int cmd_experiment(const cli *c)
{
	exp_args a;
	int status = parse(c, true, &a);
	return status ? status : run(c, &a, true);
}

int cmd_experiments(const cli *c)
{
	exp_args a;
	int status = parse(c, false, &a);
	return status ? status : run(c, &a, false);
}
