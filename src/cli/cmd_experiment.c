/*
 * cmd_experiment.c - experiment readouts (SPEC 14):
 *   okra experiment ID [--asof D] [--format text|json] [-o FILE]
 *   okra experiment ID --decide ship|stop|iterate [--note TEXT] [--date D]
 *   okra experiments [--asof D] [--format text|json] [-o FILE]
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

typedef struct exp_args {
	const char *id, *asof, *decide, *note, *date;
	okra_format format;
	FILE *out;
} exp_args;

#define ASOF_OPTION                                                            \
	{                                                                      \
		"asof", 0, "D", false,                                         \
		    "read out as of day D (default: the last day with "        \
		    "events)",                                                 \
		    NULL                                                       \
	}
#define FORMAT_OPTION                                                          \
	{                                                                      \
		"format", 0, "FORMAT", false, "text or json", "text json"      \
	}
#define OUTPUT_OPTION                                                          \
	{                                                                      \
		"output", 'o', "FILE", false,                                  \
		    "write FILE whole or not at all; - is standard output",    \
		    "@file"                                                    \
	}

static const cli_option one_options[] = {
    ASOF_OPTION,
    FORMAT_OPTION,
    OUTPUT_OPTION,
    {"decide", 0, "DECISION", false,
     "record the team's decision: ship, stop or iterate", "ship stop iterate"},
    {"note", 0, "TEXT", false, "a note kept beside the decision", NULL},
    {"date", 0, "D", false, "the day of the decision (default: today)", NULL},
    {NULL, 0, NULL, false, NULL, NULL},
};

static const cli_option all_options[] = {
    ASOF_OPTION,
    FORMAT_OPTION,
    OUTPUT_OPTION,
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_experiment = {one_options, 1, "@experiment"};
const cli_spec cli_spec_experiments = {all_options, 0, NULL};

static int parse(const cli *c, bool one, exp_args *a)
{
	const char *command = c->argv[0];
	*a = (exp_args){.id = c->n_args ? c->args[0] : NULL,
	                .asof = cli_value(c, "asof"),
	                .decide = cli_value(c, "decide"),
	                .note = cli_value(c, "note"),
	                .date = cli_value(c, "date")};
	const char *f = cli_value(c, "format");
	int status =
	    f ? cli_format(f, 1 << OKRA_FORMAT_TEXT | 1 << OKRA_FORMAT_JSON,
	                   &a->format, command)
	      : EXIT_OK;
	if (status)
		return status;
	if (one && !a->id)
		return cli_usage(command,
		                 "which experiment? okra experiment ID "
		                 "(okra experiments lists them)");
	if (a->decide && (a->asof || f || cli_value(c, "output")))
		return cli_usage(command,
		                 "--decide records a decision; it "
		                 "takes --note and --date, not --asof, "
		                 "--format or -o");
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
			rc = okra_experiment_write(r, a->format, a->out, &err);
	} else {
		rc = okra_experiments_run(engine, a->asof, &l, &err);
		if (rc == OKRA_OK)
			rc = okra_experiments_write(l, a->format, a->out, &err);
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

/* Parses, then runs with the output open (-o FILE). */
static int command(const cli *c, bool one)
{
	exp_args a;
	cli_output out = {0};
	int status = parse(c, one, &a);
	if (status || (status = cli_output_open(cli_value(c, "output"),
	                                        c->argv[0], &out)))
		return status;
	a.out = out.f;
	return cli_output_close(&out, run(c, &a, one));
}

int cmd_experiment(const cli *c)
{
	return command(c, true);
}

int cmd_experiments(const cli *c)
{
	return command(c, false);
}
