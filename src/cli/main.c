/*
 * main.c - the okra command line: global options, command dispatch, and
 * the mapping of library results to exit status (0 ok, 1 findings, 2
 * usage, configuration or data error).  Uses only the public okra.h.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *cli_engine_choice;
bool cli_verbose;

int cli_exit_code(okra_rc rc)
{
	switch (rc) {
	case OKRA_OK:
		return EXIT_OK;
	case OKRA_FINDINGS:
		return EXIT_FINDINGS;
	default:
		return EXIT_ERROR;
	}
}

int cli_fail(const okra_err *err)
{
	fflush(
	    stdout); /* keep stdout and stderr in order when both are files */
	fputs("okra: ", stderr);
	okra_err_print(err, stderr);
	return cli_exit_code(err->rc);
}

int cli_usage(const char *command, const char *fmt, ...)
{
	va_list ap;
	fflush(stdout);
	fputs("okra: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nrun 'okra help%s%s' for usage\n", command ? " " : "",
	        command ? command : "");
	return EXIT_ERROR;
}

bool cli_color(FILE *f)
{
	const char *no = getenv("NO_COLOR");
	return isatty(fileno(f)) && !(no && no[0]);
}

int cli_load(const cli *c, okra_workspace **ws, okra_findings *findings,
             okra_format format)
{
	okra_err err = {0};
	char root[4096];
	okra_rc rc = okra_workspace_find(c->dir ? c->dir : ".", root,
	                                 sizeof(root), &err);
	if (rc)
		return cli_fail(&err);
	/* Paths in findings are relative to the root: print from there. */
	rc = okra_workspace_load(root, findings, ws, &err);
	if (rc == OKRA_ERR_CONFIG) {
		okra_findings_sort(findings);
		okra_findings_write(findings, format, cli_color(stdout),
		                    stdout);
		size_t n = okra_findings_count_severity(findings, OKRA_ERROR);
		fflush(stdout);
		if (format == OKRA_FORMAT_TEXT)
			fprintf(stderr,
			        "okra: %zu error%s in the workspace; nothing "
			        "was computed\n",
			        n, n == 1 ? "" : "s");
		return EXIT_ERROR;
	}
	if (rc)
		return cli_fail(&err);
	if (cli_engine_choice &&
	    (rc = okra_workspace_set_engine(*ws, cli_engine_choice, &err))) {
		okra_workspace_free(*ws);
		*ws = NULL;
		return cli_fail(&err);
	}
	if (cli_verbose)
		okra_workspace_set_sql_log(*ws, stderr);
	return EXIT_OK;
}

bool cli_opt(const cli *c, int *i, const char *name, const char **value)
{
	const char *arg = c->argv[*i];
	size_t len = strlen(name);
	if (strncmp(arg, name, len) != 0)
		return false;
	if (arg[len] == '=') {
		*value = arg + len + 1;
		return true;
	}
	if (arg[len] != '\0')
		return false;
	*value = *i + 1 < c->argc ? c->argv[++*i] : NULL;
	return true;
}

int cli_format(const char *value, unsigned allowed, okra_format *format,
               const char *command)
{
	static const char *const names[] = {"text", "json", "csv", "md",
	                                    "html"};
	for (unsigned f = 0; value && f < 5; f++)
		if ((allowed & (1u << f)) && strcmp(value, names[f]) == 0) {
			*format = (okra_format)f;
			return EXIT_OK;
		}
	return cli_usage(command, "unknown format '%s' (%s)",
	                 value ? value : "",
	                 allowed & 16  ? "text, md, html or json"
	                 : allowed & 4 ? "text, json or csv"
	                               : "text or json");
}

int cli_by(okra_query *q, const char *value, const char *command)
{
	if (value && q->by)
		return cli_usage(command,
		                 "--by takes one attribute; given twice ('%s' "
		                 "and '%s')",
		                 q->by, value);
	q->by = value;
	return EXIT_OK;
}

void cli_ingest_summary(const okra_ingest_summary *s, bool timing, FILE *out)
{
	unsigned long long rejected =
	    s->rejected[0] + s->rejected[1] + s->rejected[2] + s->rejected[3];
	unsigned long long rows =
	    s->rows[0] + s->rows[1] + s->rows[2] + s->rows[3];
	fprintf(out,
	        "ingested %llu events, %llu accounts, %llu users, %llu revenue "
	        "rows; %s .. %s",
	        s->rows[0], s->rows[1], s->rows[2], s->rows[3],
	        s->first_day[0] ? s->first_day : "-",
	        s->last_day[0] ? s->last_day : "-");
	if (timing)
		fprintf(out, "; %.2f s, %.0f rows/s", s->seconds,
		        s->seconds > 0 ? (double)rows / s->seconds : 0.0);
	if (rejected)
		fprintf(out,
		        "; %llu bad rows skipped (%.0f%% of %llu; see "
		        ".okra/rejected/)",
		        rejected,
		        100.0 * (double)rejected / (double)(rows + rejected),
		        rows + rejected);
	fputc('\n', out);
}

int cli_engine(const okra_workspace *ws, okra_engine **engine)
{
	okra_load_options opt = {.progress = isatty(fileno(stderr))};
	okra_ingest_summary sum;
	okra_err err = {0};
	char cache[4200];
	snprintf(cache, sizeof(cache), "%s/.okra/cache/data.okc",
	         okra_workspace_root(ws));
	bool had_cache = access(cache, F_OK) == 0;
	okra_rc rc = okra_engine_open(ws, &opt, engine, &sum, &err);
	if (rc)
		return cli_fail(&err);
	if (sum.ingested) {
		fflush(stdout);
		fputs(had_cache ? "okra: data changed since the last ingest; "
		                : "okra: first use of the data; ",
		      stderr);
		cli_ingest_summary(&sum, false, stderr);
	}
	if (sum.in_memory)
		fprintf(stderr,
		        "okra: warning: the cache cannot be written (%s); the "
		        "data were read into memory for this command only\n",
		        sum.not_cached);
	return EXIT_OK;
}

int cli_query(const cli *c, const okra_query *q, bool series,
              okra_format format)
{
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_engine *engine = NULL;
	okra_result *result = NULL;
	int status = findings ? EXIT_OK : EXIT_ERROR;
	if (status || (status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)) ||
	    (status = cli_engine(ws, &engine)))
		goto out;
	okra_err err = {0};
	okra_rc rc = series ? okra_series_eval(engine, q, &result, &err)
	                    : okra_metrics_eval(engine, q, &result, &err);
	if (rc == OKRA_OK)
		rc = okra_result_print(result, format, cli_color(stdout),
		                       stdout, &err);
	if (rc)
		status = cli_fail(&err);
out:
	okra_result_free(result);
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

static const struct command {
	const char *name;
	int (*run)(const cli *);
} commands[] = {
    {"init", cmd_init},
    {"demo", cmd_demo},
    {"lint", cmd_lint},
    {"ingest", cmd_ingest},
    {"data", cmd_data},
    {"push", cmd_push},
    {"sql", cmd_sql},
    {"metrics", cmd_metrics},
    {"series", cmd_series},
    {"tree", cmd_tree},
    {"diagnose", cmd_diagnose},
    {"anomalies", cmd_anomalies},
    {"status", cmd_status},
    {"review", cmd_review},
    {"checkin", cmd_checkin},
    {"checkins", cmd_checkins},
    {"confidence", cmd_confidence},
    {"milestone", cmd_milestone},
    {"export", cmd_export},
    {"import", cmd_import},
    {"experiment", cmd_experiment},
    {"experiments", cmd_experiments},
    {"serve", cmd_serve},
    {"help", cmd_help},
};

int main(int argc, char **argv)
{
	cli c = {0};
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--version") == 0 ||
		    strcmp(argv[i], "-V") == 0) {
			printf("okra %s\n", okra_version());
			return EXIT_OK;
		}
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return cli_print_help(NULL, stdout), EXIT_OK;
		if (strcmp(argv[i], "-C") == 0 && i + 1 < argc) {
			c.dir = argv[++i];
			continue;
		}
		if (strncmp(argv[i], "-C", 2) == 0 && argv[i][2]) {
			c.dir = argv[i] + 2;
			continue;
		}
		if (strcmp(argv[i], "-v") == 0 ||
		    strcmp(argv[i], "--verbose") == 0) {
			cli_verbose = true;
			continue;
		}
		if (strcmp(argv[i], "--engine") == 0 && i + 1 < argc) {
			cli_engine_choice = argv[++i];
			continue;
		}
		if (strncmp(argv[i], "--engine=", 9) == 0) {
			cli_engine_choice = argv[i] + 9;
			continue;
		}
		return cli_usage(NULL, "unknown option '%s'", argv[i]);
	}
	if (i == argc) {
		cli_print_help(NULL, stderr);
		return EXIT_ERROR;
	}
	c.argc = argc - i;
	c.argv = argv + i;
	/* --engine may also follow the command: take it out of the
	 * command's own arguments. */
	int kept = 1;
	for (int j = 1; j < c.argc; j++) {
		if (strcmp(c.argv[j], "--engine") == 0 && j + 1 < c.argc) {
			cli_engine_choice = c.argv[++j];
			continue;
		}
		if (strncmp(c.argv[j], "--engine=", 9) == 0) {
			cli_engine_choice = c.argv[j] + 9;
			continue;
		}
		c.argv[kept++] = c.argv[j];
	}
	c.argc = kept;
	const char *names[sizeof(commands) / sizeof(commands[0])];
	for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++) {
		names[k] = commands[k].name;
		if (strcmp(c.argv[0], commands[k].name) != 0)
			continue;
		/* -h / --help anywhere before "--": the command's help, never
		 * an argument (okra init --help must not create a folder). */
		for (int a = 1; a < c.argc && strcmp(c.argv[a], "--") != 0; a++)
			if (strcmp(c.argv[a], "-h") == 0 ||
			    strcmp(c.argv[a], "--help") == 0)
				return cli_print_help(commands[k].name, stdout),
				       EXIT_OK;
		return commands[k].run(&c);
	}
	const char *near =
	    okra_suggest(c.argv[0], names, sizeof(names) / sizeof(names[0]));
	if (near)
		return cli_usage(NULL,
		                 "unknown command '%s'; did you mean '%s'?",
		                 c.argv[0], near);
	return cli_usage(NULL, "unknown command '%s'", c.argv[0]);
}
