/*
 * cmd_review.c - okra status [--asof D] [--team T] [--format text|json]
 * and okra review [--asof D] [--team T] [--format text|md|html|json]
 * [-o FILE] [--save]: key results as of a day, one line each, or the
 * weekly review of SPEC 6 (reading it changes nothing; --save stores a
 * snapshot in .okra/okra.db, the baseline of the next review's "since
 * last").
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

typedef struct review_args {
	okra_review_request req;
	okra_format format;
	const char *output;
} review_args;

static int parse(const cli *c, const char *command, unsigned formats,
                 review_args *a)
{
	for (int i = 1; i < c->argc; i++) {
		const char *arg = c->argv[i], *v = NULL;
		int status = EXIT_OK;
		if (cli_opt(c, &i, "--asof", &v))
			a->req.asof = v;
		else if (cli_opt(c, &i, "--team", &v))
			a->req.team = v;
		else if (cli_opt(c, &i, "--format", &v))
			status = v ? cli_format(v, formats, &a->format, command)
			           : EXIT_OK;
		else if (formats & 16 && (cli_opt(c, &i, "-o", &v) ||
		                          cli_opt(c, &i, "--output", &v)))
			a->output = v && strcmp(v, "-") == 0 ? NULL : v;
		else if (formats & 16 && strcmp(arg, "--save") == 0) {
			a->req.save = true;
			continue;
		} else
			return cli_usage(command, "unknown %s '%s'",
			                 arg[0] == '-' ? "option" : "argument",
			                 arg);
		if (status)
			return status;
		if (!v)
			return cli_usage(command, "option '%s' needs a value",
			                 arg);
	}
	return EXIT_OK;
}

/* Writes the output file whole or not at all: beside it, then renamed. */
static int write_file(const char *path, const okra_review *r,
                      okra_format format)
{
	char *text = NULL;
	size_t len = 0;
	okra_err err = {0};
	okra_rc rc = okra_review_render(r, format, false, &text, &len, &err);
	if (rc)
		return cli_fail(&err);
	size_t n = strlen(path) + 16;
	char *tmp = malloc(n);
	FILE *f =
	    tmp ? (snprintf(tmp, n, "%s.tmp", path), fopen(tmp, "wb")) : NULL;
	bool ok = f && fwrite(text, 1, len, f) == len;
	ok = (f && fclose(f) == 0) && ok;
	ok = ok && rename(tmp, path) == 0;
	if (!ok) {
		if (tmp)
			remove(tmp);
		snprintf(err.msg, sizeof(err.msg), "cannot write %s", path);
		err.rc = OKRA_ERR_IO;
	}
	free(tmp);
	free(text);
	return ok ? EXIT_OK : cli_fail(&err);
}

int cli_review(const cli *c, const okra_review_request *req, okra_format format,
               const char *output, bool status_only)
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
	if (rc) {
		status = cli_fail(&err);
		goto out;
	}
	if (output) {
		status = write_file(output, r, format);
		goto out;
	}
	rc =
	    status_only
	        ? okra_status_write(r, format, cli_color(stdout), stdout, &err)
	        : okra_review_write(r, format, cli_color(stdout), stdout, &err);
	if (rc)
		status = cli_fail(&err);
out:
	okra_review_free(r);
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

int cmd_status(const cli *c)
{
	review_args a = {.format = OKRA_FORMAT_TEXT};
	int status = parse(c, "status", 1 | 2, &a);
	return status ? status
	              : cli_review(c, &a.req, a.format, a.output, true);
}

int cmd_review(const cli *c)
{
	review_args a = {.format = OKRA_FORMAT_TEXT, .req = {.lint = true}};
	int status = parse(c, "review", 1 | 2 | 8 | 16, &a);
	return status ? status
	              : cli_review(c, &a.req, a.format, a.output, false);
}
