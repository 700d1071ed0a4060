/*
 * cmd_lint.c - okra lint [--format text|json] [--asof D] [--no-data]
 * [--max-errors N] [--explain [RULE]]: structural errors and OKR findings;
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
                okra_format format, size_t max_errors)
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
		okra_findings_write_max(findings, format, cli_color(stdout),
		                        max_errors, stdout);
		size_t n = okra_findings_count_severity(findings, OKRA_ERROR);
		fflush(stdout);
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

int cmd_lint(const cli *c)
{
	okra_format format = OKRA_FORMAT_TEXT;
	const char *asof = NULL, *rule = NULL;
	bool data = true, explain = false;
	size_t max_errors = OKRA_FINDINGS_SHOWN_ERRORS;
	for (int i = 1; i < c->argc; i++) {
		const char *arg = c->argv[i], *v = NULL;
		int status = EXIT_OK;
		if (strcmp(arg, "--no-data") == 0) {
			data = false;
			continue;
		}
		if (strcmp(arg, "--explain") == 0) {
			/* The rule is optional: alone, list them all. */
			explain = true;
			if (i + 1 < c->argc && c->argv[i + 1][0] != '-')
				rule = c->argv[++i];
			continue;
		}
		if (strncmp(arg, "--explain=", 10) == 0) {
			explain = true;
			rule = arg + 10;
			continue;
		}
		if (cli_opt(c, &i, "--format", &v))
			status =
			    v ? cli_format(v, 3, &format, "lint") : EXIT_OK;
		else if (cli_opt(c, &i, "--asof", &v))
			asof = v;
		else if (cli_opt(c, &i, "--max-errors", &v))
			status = v ? parse_max_errors(v, &max_errors) : EXIT_OK;
		else
			return cli_usage("lint", "unexpected argument '%s'",
			                 arg);
		if (status)
			return status;
		if (!v)
			return cli_usage("lint", "option '%s' needs a value",
			                 arg);
	}
	if (explain) {
		okra_err err = {0};
		if (!rule) {
			okra_rules_write(format, stdout);
			return EXIT_OK;
		}
		if (okra_rule_explain(rule, format, stdout, &err))
			return cli_fail(&err);
		return EXIT_OK;
	}

	okra_findings *findings = okra_findings_new();
	if (!findings) {
		fputs("okra: out of memory\n", stderr);
		return EXIT_ERROR;
	}
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	int status = load(c, &ws, findings, format, max_errors);
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
	okra_findings_write_max(findings, format, cli_color(stdout), max_errors,
	                        stdout);
	size_t errors = okra_findings_count_severity(findings, OKRA_ERROR);
	size_t warnings = okra_findings_count_severity(findings, OKRA_WARNING);
	size_t infos = okra_findings_count_severity(findings, OKRA_INFO);
	if (format == OKRA_FORMAT_TEXT)
		fprintf(stdout, "%zu error%s, %zu warning%s, %zu info%s\n",
		        errors, errors == 1 ? "" : "s", warnings,
		        warnings == 1 ? "" : "s", infos, infos == 1 ? "" : "s");
	status = errors ? EXIT_FINDINGS : EXIT_OK;
out:
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}
