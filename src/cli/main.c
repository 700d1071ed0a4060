/*
 * main.c - the okra command line: okra's own options, the command table
 * and dispatch (each command's options parsed by args.c before it runs),
 * and the mapping of library results to exit status (0 ok, 1 findings, 2
 * usage, configuration or data error).  Uses only the public okra.h.
 */
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	fprintf(stderr, "okra%s%s: ", command ? " " : "",
	        command ? command : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nrun 'okra help%s%s' for usage\n", command ? " " : "",
	        command ? command : "");
	return EXIT_ERROR;
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

int cli_format(const char *value, unsigned allowed, okra_format *format,
               const char *command)
{
	static const char *const names[] = {"text", "json",  "csv",  "md",
	                                    "html", "slack", "sarif"};
	/* The order a person reads them in. */
	static const okra_format order[] = {OKRA_FORMAT_TEXT,  OKRA_FORMAT_MD,
	                                    OKRA_FORMAT_SLACK, OKRA_FORMAT_HTML,
	                                    OKRA_FORMAT_JSON,  OKRA_FORMAT_CSV,
	                                    OKRA_FORMAT_SARIF};
	for (unsigned f = 0; value && f < 7; f++)
		if ((allowed & (1u << f)) && strcmp(value, names[f]) == 0) {
			*format = (okra_format)f;
			return EXIT_OK;
		}
	char list[128] = "";
	size_t n = 0, k = 0;
	for (size_t i = 0; i < 7; i++)
		n += (allowed >> order[i]) & 1;
	for (size_t i = 0; i < 7; i++) {
		if (!((allowed >> order[i]) & 1))
			continue;
		size_t len = strlen(list);
		snprintf(list + len, sizeof(list) - len, "%s%s",
		         k == 0       ? ""
		         : k + 1 == n ? " or "
		                      : ", ",
		         names[order[i]]);
		k++;
	}
	return cli_usage(command, "unknown format '%s' (%s)",
	                 value ? value : "", list);
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
	return cli_query_to(c, q, series, format, stdout);
}

int cli_query_to(const cli *c, const okra_query *q, bool series,
                 okra_format format, FILE *out)
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
		rc = okra_result_print(result, format, cli_color(out), out,
		                       &err);
	if (rc)
		status = cli_fail(&err);
out:
	okra_result_free(result);
	okra_engine_free(engine);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

const char *cli_engine_choice;
bool cli_verbose;

/* The commands, in the order okra help lists them. */
static const cli_command commands[] = {
    {"init", cmd_init, &cli_spec_init},
    {"demo", cmd_demo, &cli_spec_demo},
    {"lint", cmd_lint, &cli_spec_lint},
    {"ingest", cmd_ingest, &cli_spec_ingest},
    {"data", cmd_data, &cli_spec_data},
    {"push", cmd_push, &cli_spec_push},
    {"sql", cmd_sql, &cli_spec_sql},
    {"list", cmd_list, &cli_spec_list},
    {"metrics", cmd_metrics, &cli_spec_metrics},
    {"series", cmd_series, &cli_spec_series},
    {"tree", cmd_tree, &cli_spec_tree},
    {"diagnose", cmd_diagnose, &cli_spec_diagnose},
    {"anomalies", cmd_anomalies, &cli_spec_anomalies},
    {"status", cmd_status, &cli_spec_status},
    {"review", cmd_review, &cli_spec_review},
    {"plan", cmd_plan, &cli_spec_plan},
    {"retro", cmd_retro, &cli_spec_retro},
    {"checkin", cmd_checkin, &cli_spec_checkin},
    {"checkins", cmd_checkins, &cli_spec_checkins},
    {"confidence", cmd_confidence, &cli_spec_confidence},
    {"milestone", cmd_milestone, &cli_spec_milestone},
    {"export", cmd_export, &cli_spec_export},
    {"import", cmd_import, &cli_spec_import},
    {"experiment", cmd_experiment, &cli_spec_experiment},
    {"experiments", cmd_experiments, &cli_spec_experiments},
    {"serve", cmd_serve, &cli_spec_serve},
    {"completion", cmd_completion, &cli_spec_completion},
    {"help", cmd_help, &cli_spec_help},
};

const cli_command *cli_commands(size_t *n)
{
	*n = sizeof(commands) / sizeof(commands[0]);
	return commands;
}

const cli_command *cli_command_find(const char *name)
{
	for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
		if (strcmp(name, commands[k].name) == 0)
			return &commands[k];
	return NULL;
}

/* Runs a command: its options parsed first. */
static int run(const cli_command *cmd, cli *c)
{
	bool done = false;
	int status = cli_parse(c, cmd->spec, &done);
	if (status == EXIT_OK && !done)
		status = cmd->run(c);
	cli_parse_free(c);
	/* One check for every command: output lost to a full disk or a
	 * closed pipe is an error, never a silent exit 0. */
	if (status == EXIT_OK && (fflush(stdout) != 0 || ferror(stdout))) {
		fputs("okra: error: cannot write the output\n", stderr);
		status = EXIT_ERROR;
	}
	return status;
}

/* okra's own options, before the command: -C DIR, --color[=WHEN],
 * --engine E, -v / --verbose,
 * -h / --help, -V / --version.  Returns -1 to go on with the command. */
static int global_options(int argc, char **argv, cli *c)
{
	static const struct option longs[] = {
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {"color", optional_argument, NULL, 'c'},
	    {"engine", required_argument, NULL, 'e'},
	    {"verbose", no_argument, NULL, 'v'},
	    {NULL, 0, NULL, 0},
	};
	static const char *const names[] = {"--help",   "--version", "--color",
	                                    "--engine", "--verbose", "-C"};
	opterr = 0;
	optind = 0;
	int ch;
	/* "+": stop at the command; ":": report a missing value. */
	while ((ch = getopt_long(argc, argv, "+:C:hVv", longs, NULL)) != -1) {
		switch (ch) {
		case 'C':
			c->dir = optarg;
			break;
		case 'e':
			cli_engine_choice = optarg;
			break;
		case 'v':
			cli_verbose = true;
			break;
		case 'h':
			cli_print_help(NULL, stdout);
			return EXIT_OK;
		case 'V':
			printf("okra %s\n", okra_version());
			return EXIT_OK;
		case 'c':
			if (cli_set_color(optarg, NULL))
				return EXIT_ERROR;
			break;
		case ':':
			return cli_usage(
			    NULL, "option '%s' needs a value (%s)",
			    argv[optind - 1],
			    optopt == 'C' ? "DIR" : "embedded or clickhouse");
		default: {
			char name[128];
			const char *arg = argv[optind - 1];
			if (optopt > 0 && optopt < 256)
				return cli_usage(NULL, "unknown option '-%c'",
				                 optopt);
			snprintf(name, sizeof(name), "%.*s",
			         (int)strcspn(arg, "="), arg);
			const char *near = okra_suggest(
			    name, names, sizeof(names) / sizeof(names[0]));
			if (near)
				return cli_usage(NULL,
				                 "unknown option '%s'; did you "
				                 "mean '%s'?",
				                 name, near);
			return cli_usage(NULL, "unknown option '%s'", name);
		}
		}
	}
	c->argc = argc - optind;
	c->argv = argv + optind;
	return -1;
}

int main(int argc, char **argv)
{
	cli c = {0};
	int status = global_options(argc, argv, &c);
	if (status >= 0)
		return status;
	if (c.argc == 0) {
		cli_print_help(NULL, stderr);
		return EXIT_ERROR;
	}
	/* --engine may also follow the command: take it out of the
	 * command's own arguments. */
	int kept = 1;
	bool ended = false; /* past "--": arguments, never options */
	for (int j = 1; j < c.argc; j++) {
		ended |= strcmp(c.argv[j], "--") == 0;
		if (!ended && strcmp(c.argv[j], "--engine") == 0 &&
		    j + 1 < c.argc) {
			cli_engine_choice = c.argv[++j];
			continue;
		}
		if (!ended && strncmp(c.argv[j], "--engine=", 9) == 0) {
			cli_engine_choice = c.argv[j] + 9;
			continue;
		}
		c.argv[kept++] = c.argv[j];
	}
	c.argc = kept;
	const cli_command *cmd = cli_command_find(c.argv[0]);
	if (cmd)
		return run(cmd, &c);
	const char *names[sizeof(commands) / sizeof(commands[0])];
	for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
		names[k] = commands[k].name;
	const char *near =
	    okra_suggest(c.argv[0], names, sizeof(names) / sizeof(names[0]));
	if (near)
		return cli_usage(NULL,
		                 "unknown command '%s'; did you mean '%s'?",
		                 c.argv[0], near);
	return cli_usage(NULL, "unknown command '%s'", c.argv[0]);
}
