/*
 * cmd_lint.c - okra lint: structural errors and OKR findings.
 */
#include "cli.h"

#include <string.h>

int cmd_lint(const cli *c)
{
	okra_format format = OKRA_FORMAT_TEXT;
	for (int i = 1; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--format") == 0 && i + 1 < c->argc) {
			const char *f = c->argv[++i];
			if (strcmp(f, "json") == 0)
				format = OKRA_FORMAT_JSON;
			else if (strcmp(f, "text") != 0)
				return cli_usage("lint", "unknown format '%s' (text or json)", f);
		} else if (strncmp(c->argv[i], "--format=", 9) == 0) {
			const char *f = c->argv[i] + 9;
			if (strcmp(f, "json") == 0)
				format = OKRA_FORMAT_JSON;
			else if (strcmp(f, "text") != 0)
				return cli_usage("lint", "unknown format '%s' (text or json)", f);
		} else {
			return cli_usage("lint", "unexpected argument '%s'", c->argv[i]);
		}
	}
	okra_findings *findings = okra_findings_new();
	if (!findings) {
		fputs("okra: out of memory\n", stderr);
		return EXIT_ERROR;
	}
	okra_workspace *ws = NULL;
	int status = cli_load(c, &ws, findings, format);
	if (status)
		goto out;
	okra_err err = {0};
	okra_rc rc = okra_lint(ws, findings, &err);
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
		fprintf(stdout, "%zu error%s, %zu warning%s, %zu info%s\n", errors,
		        errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
		        infos, infos == 1 ? "" : "s");
	status = errors ? EXIT_FINDINGS : EXIT_OK;
out:
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}
