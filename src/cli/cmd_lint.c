/*
 * cmd_lint.c - okra lint [--format text|json] [--asof D] [--no-data]:
 * structural errors and OKR findings; with data in the workspace, also
 * the rules that read it (target-sandbagged, target-unreachable, auto
 * baselines without data).
 */
#include "cli.h"

#include <string.h>
#include <unistd.h>

int cmd_lint(const cli *c)
{
	okra_format format = OKRA_FORMAT_TEXT;
	const char *asof = NULL;
	bool data = true;
	for (int i = 1; i < c->argc; i++) {
		const char *arg = c->argv[i], *v = NULL;
		int status = EXIT_OK;
		if (strcmp(arg, "--no-data") == 0) {
			data = false;
			continue;
		}
		if (cli_opt(c, &i, "--format", &v))
			status =
			    v ? cli_format(v, 3, &format, "lint") : EXIT_OK;
		else if (cli_opt(c, &i, "--asof", &v))
			asof = v;
		else
			return cli_usage("lint", "unexpected argument '%s'",
			                 arg);
		if (status)
			return status;
		if (!v)
			return cli_usage("lint", "option '%s' needs a value",
			                 arg);
	}
	okra_findings *findings = okra_findings_new();
	if (!findings) {
		fputs("okra: out of memory\n", stderr);
		return EXIT_ERROR;
	}
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	int status = cli_load(c, &ws, findings, format);
	if (status)
		goto out;
	okra_err err = {0};
	okra_rc rc = okra_lint(ws, findings, &err);
	if (rc == OKRA_OK && data && okra_workspace_has_data(ws)) {
		/* Lint is about the definitions: data that cannot be read
		 * skips the rules that need it, with a note, and no more. */
		okra_load_options opt = {.progress = isatty(fileno(stderr))};
		okra_err derr = {0};
		if (okra_engine_open(ws, &opt, &engine, NULL, &derr) ==
		    OKRA_OK) {
			rc = okra_lint_data(engine, asof, findings, &err);
		} else if (format == OKRA_FORMAT_TEXT) {
			fflush(stdout);
			fprintf(stderr, "okra: note: skipped the lint rules "
			                "that read data (");
			if (derr.file[0] && derr.line)
				fprintf(stderr, "%s:%d:%d: ", derr.file,
				        derr.line, derr.col);
			else if (derr.file[0])
				fprintf(stderr, "%s: ", derr.file);
			fprintf(stderr, "%s)\n", derr.msg);
		}
	}
	if (rc) {
		status = cli_fail(&err);
		goto out;
	}
	okra_findings_sort(findings);
	okra_findings_write(findings, format, cli_color(stdout), stdout);
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
