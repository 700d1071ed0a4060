/*
 * cmd_plan.c - okra plan QUARTER [--team T] [--asof D] [--dry-run]:
 * drafts next quarter's OKRs per team from the data; okra plan
 * --explain KR: the numbers behind a calibrated target; okra plan
 * --check QUARTER [--threshold S]: the plan score per team (exit 1 below).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const cli_option options[] = {
    {"team", 0, "T", false, "only this team", "@team"},
    {"asof", 0, "D", false,
     "the day baselines are measured on (default: the last day with "
     "events)",
     NULL},
    {"dry-run", 0, NULL, false, "print the drafts instead of writing them",
     NULL},
    {"check", 0, NULL, false,
     "score the quarter's plan per team; exit 1 when a team is below the "
     "threshold",
     NULL},
    {"threshold", 0, "SHARE", false,
     "the plan score a team needs with --check (default 0.8)", NULL},
    {"explain", 0, "KR", false,
     "the numbers behind the calibrated target of key result KR",
     "@key-result"},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_plan = {options, 1, NULL};

static int explain(const cli *c, const char *kr)
{
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	int status = findings ? EXIT_OK : EXIT_ERROR;
	if (status || (status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)) ||
	    (status = cli_engine(ws, &engine)))
		goto out;
	okra_err err = {0};
	if (okra_plan_explain(engine, kr, cli_value(c, "asof"), stdout, &err))
		status = cli_fail(&err);
out:
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

static int draft(const cli *c, const char *quarter)
{
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	okra_quarter_plan *p = NULL;
	int status = findings ? EXIT_OK : EXIT_ERROR;
	if (status || (status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)) ||
	    (status = cli_engine(ws, &engine)))
		goto out;
	okra_err err = {0};
	okra_plan_request req = {
	    .quarter = quarter,
	    .team = cli_value(c, "team"),
	    .asof = cli_value(c, "asof"),
	};
	bool dry = cli_flag(c, "dry-run");
	okra_rc rc = okra_plan_run(engine, &req, &p, &err);
	if (rc == OKRA_OK && !dry)
		rc = okra_plan_save(p, stderr, &err);
	if (rc == OKRA_OK || rc == OKRA_ERR_IO) {
		okra_err werr = {0};
		if (p && okra_plan_write(p, dry, stdout, &werr))
			rc = OKRA_OK, err = werr, status = cli_fail(&werr);
	}
	if (rc)
		status = cli_exit_code(rc);
	if (rc && rc != OKRA_ERR_IO)
		status = cli_fail(&err);
out:
	okra_plan_free(p);
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

static int check(const cli *c, const char *quarter)
{
	double threshold = 0.8;
	const char *t = cli_value(c, "threshold");
	if (t) {
		char *end;
		threshold = strtod(t, &end);
		if (end == t || *end)
			return cli_usage(
			    "plan",
			    "--threshold takes a share from 0 to 1, "
			    "not '%s'",
			    t);
	}
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	int status = findings ? EXIT_OK : EXIT_ERROR;
	if (status || (status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)))
		goto out;
	okra_err err = {0};
	bool below = false;
	if (okra_plan_check(ws, quarter, threshold, stdout, &below, &err))
		status = cli_fail(&err);
	else if (below)
		status = EXIT_FINDINGS;
out:
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

int cmd_plan(const cli *c)
{
	const char *kr = cli_value(c, "explain");
	if (kr) {
		if (c->n_args)
			return cli_usage(
			    "plan",
			    "--explain takes the quarter from the key "
			    "result's objective; drop '%s'",
			    c->args[0]);
		return explain(c, kr);
	}
	if (c->n_args == 0)
		return cli_usage("plan",
		                 "which quarter? e.g. okra plan 2027-Q1");
	if (cli_flag(c, "check"))
		return check(c, c->args[0]);
	if (cli_value(c, "threshold"))
		return cli_usage("plan", "--threshold goes with --check");
	return draft(c, c->args[0]);
}
