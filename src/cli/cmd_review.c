/*
 * cmd_review.c - okra status and okra review: key results as of a day,
 * one line each, or the weekly review (where are we, what did we learn,
 * what should we change); --summary for either keeps what needs
 * attention.  Reading a review changes nothing; --save stores a snapshot
 * in .okra/okra.db, the baseline of the next review's "since last".
 *   okra status [--asof D] [--team T] [--format text|md|slack|json]
 *               [--summary | --rollup] [-o FILE]
 *   okra review [--asof D] [--team T] [--format text|md|slack|html|json]
 *               [--summary] [-o FILE] [--save]
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#define STATUS_OPTIONS                                                         \
	{"asof",                                                               \
	 0,                                                                    \
	 "D",                                                                  \
	 false,                                                                \
	 "grade as of the end of day D (default: the last day with events)",   \
	 NULL},                                                                \
	    {"team", 0, "T", false, "only this team's objectives", "@team"},   \
	    {"summary",                                                        \
	     0,                                                                \
	     NULL,                                                             \
	     false,                                                            \
	     "only the red, yellow and at-risk key results and the three "     \
	     "most important suggestions",                                     \
	     NULL},                                                            \
	{                                                                      \
		"output", 'o', "FILE", false,                                  \
		    "write FILE whole or not at all; - is standard output",    \
		    "@file"                                                    \
	}

static const cli_option status_options[] = {
    STATUS_OPTIONS,
    {"rollup", 0, NULL, false,
     "per company objective and per team: score weighted by key results, "
     "lights counted",
     NULL},
    {"format", 0, "FORMAT", false, "text, md, slack or json",
     "text md slack json"},
    {NULL, 0, NULL, false, NULL, NULL},
};

static const cli_option review_options[] = {
    STATUS_OPTIONS,
    {"format", 0, "FORMAT", false, "text, md, slack, html or json",
     "text md slack html json"},
    {"save", 0, NULL, false,
     "store a snapshot of every key result in .okra/okra.db", NULL},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_status = {status_options, 0, NULL};
const cli_spec cli_spec_review = {review_options, 0, NULL};

int cli_review_to(const cli *c, const okra_review_request *req,
                  okra_format format, okra_review_part part, FILE *out)
{
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	okra_review *r = NULL;
	int status = findings ? EXIT_OK : EXIT_ERROR;
	if (status || (status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)) ||
	    (status = cli_engine(ws, &engine)))
		goto out;
	okra_err err = {0};
	okra_rc rc = okra_review_run(engine, req, &r, &err);
	if (rc == OKRA_OK)
		rc = okra_review_write_part(r, part, format, cli_color(out),
		                            out, &err);
	if (rc)
		status = cli_fail(&err);
out:
	okra_review_free(r);
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

int cli_review(const cli *c, const okra_review_request *req, okra_format format,
               const char *output, bool status_only)
{
	cli_output out = {0};
	int status = cli_output_open(output, "review", &out);
	if (status)
		return status;
	return cli_output_close(
	    &out,
	    cli_review_to(c, req, format,
	                  status_only ? OKRA_REVIEW_STATUS : OKRA_REVIEW_FULL,
	                  out.f));
}

static int run(const cli *c, const char *command, okra_review_part part,
               unsigned formats, okra_review_request *req)
{
	okra_format format = OKRA_FORMAT_TEXT;
	const char *f = cli_value(c, "format");
	int status = f ? cli_format(f, formats, &format, command) : EXIT_OK;
	if (status)
		return status;
	req->asof = cli_value(c, "asof");
	req->team = cli_value(c, "team");
	if (cli_flag(c, "summary")) {
		if (format == OKRA_FORMAT_HTML)
			return cli_usage(command, "--summary is text, md, "
			                          "slack or json, not html");
		part = OKRA_REVIEW_SUMMARY;
		req->lint = true; /* the same summary from status and review */
	}
	if (cli_flag(c, "rollup")) {
		if (part == OKRA_REVIEW_SUMMARY ||
		    (format != OKRA_FORMAT_TEXT && format != OKRA_FORMAT_JSON))
			return cli_usage(command, "--rollup is text or json, "
			                          "without --summary");
		part = OKRA_REVIEW_ROLLUP;
	}
	cli_output out = {0};
	if ((status = cli_output_open(cli_value(c, "output"), command, &out)))
		return status;
	return cli_output_close(&out,
	                        cli_review_to(c, req, format, part, out.f));
}

int cmd_status(const cli *c)
{
	okra_review_request req = {0};
	return run(c, "status", OKRA_REVIEW_STATUS,
	           1 << OKRA_FORMAT_TEXT | 1 << OKRA_FORMAT_MD |
	               1 << OKRA_FORMAT_SLACK | 1 << OKRA_FORMAT_JSON,
	           &req);
}

int cmd_review(const cli *c)
{
	okra_review_request req = {.lint = true, .save = cli_flag(c, "save")};
	return run(c, "review", OKRA_REVIEW_FULL,
	           1 << OKRA_FORMAT_TEXT | 1 << OKRA_FORMAT_MD |
	               1 << OKRA_FORMAT_SLACK | 1 << OKRA_FORMAT_HTML |
	               1 << OKRA_FORMAT_JSON,
	           &req);
}
