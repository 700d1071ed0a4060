/*
 * cmd_lint.c - okra lint [--format text|json|sarif] [--asof D] [--no-data]
 * [--max-errors N] [-o FILE] [--explain [RULE]]: structural errors and OKR
 * findings;
 * with data in the workspace, also the rules that read it.  --explain
 * prints the rule catalogue instead of checking anything.
 *
 * Text shows the first N errors (default 50, 0 = all) and counts the rest;
 * JSON lists every finding.  An incomplete list (out of memory) is never
 * printed as a result.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Parses --max-errors: a whole number >= 0. */
static int parse_max_errors(const char *v, size_t *out)
{
	char *end = NULL;
	errno = 0;
	unsigned long long n =
	    v[0] >= '0' && v[0] <= '9' ? strtoull(v, &end, 10) : 0;
	if (!end || *end || errno || n > (size_t)-1)
		return cli_usage("lint",
		                 "--max-errors must be a whole number, 0 for "
		                 "all, not '%s'",
		                 v);
	*out = (size_t)n;
	return EXIT_OK;
}

/* cli_load, with lint's own limit on the errors the text shows. */
static int load(const cli *c, okra_workspace **ws, okra_findings *findings,
                okra_format format, size_t max_errors, FILE *out)
{
	okra_err err = {0};
	char root[4096];
	okra_rc rc = okra_workspace_find(c->dir ? c->dir : ".", root,
	                                 sizeof(root), &err);
	if (rc)
		return cli_fail(&err);
	rc = okra_workspace_load(root, findings, ws, &err);
	if (rc == OKRA_OK && okra_findings_failed(findings)) {
		okra_workspace_free(*ws);
		*ws = NULL;
		rc = OKRA_ERR_NOMEM;
	}
	if (rc == OKRA_ERR_CONFIG && !okra_findings_failed(findings)) {
		okra_findings_sort(findings);
		okra_findings_write_max(findings, format, cli_color(out),
		                        max_errors, out);
		size_t n = okra_findings_count_severity(findings, OKRA_ERROR);
		fflush(out);
		if (format == OKRA_FORMAT_TEXT)
			fprintf(stderr,
			        "okra: %zu error%s in the workspace; nothing "
			        "was computed\n",
			        n, n == 1 ? "" : "s");
		return EXIT_ERROR;
	}
	if (rc == OKRA_ERR_NOMEM || rc == OKRA_ERR_CONFIG) {
		fputs("okra: out of memory while collecting findings\n",
		      stderr);
		return EXIT_ERROR;
	}
	if (rc)
		return cli_fail(&err);
	return EXIT_OK;
}

/* The rules that read data; data that cannot be read skips them, with an
 * info line on stderr, and no more: lint is about the definitions. */
static okra_rc lint_data(okra_workspace *ws, const char *asof,
                         okra_format format, okra_engine **engine,
                         okra_findings *findings, okra_err *err)
{
	okra_load_options opt = {.progress = isatty(fileno(stderr))};
	okra_err derr = {0};
	if (okra_engine_open(ws, &opt, engine, NULL, &derr) == OKRA_OK)
		return okra_lint_data(*engine, asof, findings, err);
	if (format == OKRA_FORMAT_TEXT) {
		fflush(stdout);
		fprintf(stderr,
		        "okra: info: skipped the lint rules that read data (");
		if (derr.file[0] && derr.line)
			fprintf(stderr, "%s:%d:%d: ", derr.file, derr.line,
			        derr.col);
		else if (derr.file[0])
			fprintf(stderr, "%s: ", derr.file);
		fprintf(stderr, "%s)\n", derr.msg);
	}
	return OKRA_OK;
}

static const cli_option options[] = {
    {"format", 0, "FORMAT", false,
     "text, json, or sarif (SARIF 2.1.0, for code scanning)",
     "text json sarif"},
    {"max-errors", 0, "N", false,
     "show the first N errors in text (default 50, 0 = all)", NULL},
    {"asof", 0, "D", false,
     "run the rules that read data as of day D (default: the last day with "
     "events)",
     NULL},
    {"no-data", 0, NULL, false, "skip the rules that read data", NULL},
    {"explain", 0, "[RULE]", false,
     "list every rule, or explain one: what it checks and how to fix it",
     "@rule"},
    {"output", 'o', "FILE", false,
     "write FILE whole or not at all; - is standard output", "@file"},
    {NULL, 0, NULL, false, NULL, NULL},
};

/* The one argument is the rule of --explain RULE. */
const cli_spec cli_spec_lint = {options, 1, "@rule"};

/* okra lint --explain [RULE]: the catalogue, or one rule. */
static int explain(const char *rule, okra_format format, FILE *out)
{
	okra_err err = {0};
	if (format == OKRA_FORMAT_SARIF)
		return cli_usage("lint", "--explain is text or json");
	if (!rule) {
		okra_rules_write(format, out);
		return EXIT_OK;
	}
	if (okra_rule_explain(rule, format, out, &err))
		return cli_fail(&err);
	return EXIT_OK;
}

static int lint(const cli *c, okra_format format, const char *asof, bool data,
                size_t max_errors, FILE *out);

/* The lines under the findings: the counts (text), and what was
 * suppressed, in one line (on stderr beside JSON and SARIF, whose shapes
 * have no place for it: SARIF also counts it in the run's properties). */
static void summary_line(const okra_findings *findings, okra_format format,
                         FILE *out)
{
	size_t errors = okra_findings_count_severity(findings, OKRA_ERROR);
	size_t warnings = okra_findings_count_severity(findings, OKRA_WARNING);
	size_t infos = okra_findings_count_severity(findings, OKRA_INFO);
	if (format == OKRA_FORMAT_TEXT)
		fprintf(out, "%zu error%s, %zu warning%s, %zu info%s\n", errors,
		        errors == 1 ? "" : "s", warnings,
		        warnings == 1 ? "" : "s", infos, infos == 1 ? "" : "s");
	else
		out = stderr;
	size_t disabled =
	    okra_findings_suppressed(findings, OKRA_SUPPRESSED_DISABLE);
	size_t ignored =
	    okra_findings_suppressed(findings, OKRA_SUPPRESSED_IGNORE);
	if (disabled + ignored)
		fprintf(
		    out,
		    "%s%zu finding%s suppressed: %zu by lint.disable, %zu by "
		    "lint_ignore\n",
		    format == OKRA_FORMAT_TEXT ? "" : "okra: ",
		    disabled + ignored, disabled + ignored == 1 ? "" : "s",
		    disabled, ignored);
}

int cmd_lint(const cli *c)
{
	okra_format format = OKRA_FORMAT_TEXT;
	const char *asof = cli_value(c, "asof"), *v;
	bool data = !cli_flag(c, "no-data");
	size_t max_errors = OKRA_FINDINGS_SHOWN_ERRORS;
	int status = EXIT_OK;
	if ((v = cli_value(c, "format")) &&
	    (status = cli_format(v,
	                         1 << OKRA_FORMAT_TEXT | 1 << OKRA_FORMAT_JSON |
	                             1 << OKRA_FORMAT_SARIF,
	                         &format, "lint")))
		return status;
	if ((v = cli_value(c, "max-errors")) &&
	    (status = parse_max_errors(v, &max_errors)))
		return status;
	bool is_explain = cli_flag(c, "explain");
	const char *rule = cli_value(c, "explain");
	if (c->n_args && (!is_explain || rule))
		return cli_usage("lint", "unexpected argument '%s'",
		                 c->args[0]);
	if (c->n_args)
		rule = c->args[0];
	cli_output out = {0};
	if ((status = cli_output_open(cli_value(c, "output"), "lint", &out)))
		return status;
	if (is_explain)
		return cli_output_close(&out, explain(rule, format, out.f));
	status = cli_output_close(
	    &out, lint(c, format, asof, data, max_errors, out.f));
	return status;
}

/* Lints the workspace and writes the findings to out. */
static int lint(const cli *c, okra_format format, const char *asof, bool data,
                size_t max_errors, FILE *out)
{
	okra_findings *findings = okra_findings_new();
	if (!findings) {
		fputs("okra: out of memory\n", stderr);
		return EXIT_ERROR;
	}
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	int status = load(c, &ws, findings, format, max_errors, out);
	if (status)
		goto out;
	okra_err err = {0};
	okra_rc rc = okra_lint(ws, findings, &err);
	if (rc == OKRA_OK && data && okra_workspace_has_data(ws))
		rc = lint_data(ws, asof, format, &engine, findings, &err);
	if (rc == OKRA_OK && okra_findings_failed(findings)) {
		fputs("okra: out of memory while collecting findings\n",
		      stderr);
		status = EXIT_ERROR;
		goto out;
	}
	if (rc) {
		status = cli_fail(&err);
		goto out;
	}
	okra_findings_sort(findings);
	okra_findings_write_max(findings, format, cli_color(out), max_errors,
	                        out);
	fflush(out);
	summary_line(findings, format, out);
	status = okra_findings_count_severity(findings, OKRA_ERROR)
	             ? EXIT_FINDINGS
	             : EXIT_OK;
out:
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}
