/*
 * cmd_help.c - okra help [COMMAND]: the usage text of every command.
 */
#include "cli.h"

#include <string.h>

static const struct help {
	const char *name, *usage, *text;
} helps[] = {
	{"init", "okra init [DIR]",
	 "Writes a commented example workspace into DIR (default: the current\n"
	 "folder): okra.yaml with the north star and teams, a metric of every\n"
	 "type, and two objectives with key results and hypotheses. Refuses to\n"
	 "overwrite an existing okra.yaml. The result lints clean.\n"},
	{"lint", "okra lint [--format text|json]",
	 "Checks the workspace: YAML structure (unknown keys, wrong types,\n"
	 "duplicate ids, broken references) and the OKR rules of SPEC section 5\n"
	 "(activity key results, missing baselines, vague objectives, ...).\n"
	 "Prints one finding per problem as file:line:col: severity: message\n"
	 "[rule], the source line and a hint; --format json prints an array.\n"
	 "Exit status: 0 no errors, 1 lint errors, 2 the workspace cannot be\n"
	 "loaded (structural errors).\n"},
	{"demo", "okra demo [DIR] [--events N] [--seed S] [--end YYYY-MM-DD]",
	 "Writes a deterministic synthetic B2B SaaS workspace into DIR (default\n"
	 "demo): okra.yaml, metrics of every type, objectives with key results,\n"
	 "and data/ with accounts, users, about N events (default 1M; 10M and\n"
	 "1e8 are accepted) and monthly revenue ending on --end (default today).\n"
	 "The same N, S and end give the same bytes. See docs/demo.md.\n"},
	{"ingest", "okra ingest [--skip-bad-rows]",
	 "Reads the data files named in okra.yaml into the columnar cache\n"
	 ".okra/cache/. A malformed row stops the load with file:line: reason and\n"
	 "exit status 2, and the previous cache stays as it was; with\n"
	 "--skip-bad-rows bad rows go to .okra/rejected/<table>.csv with their\n"
	 "reason. Other commands ingest by themselves when a data file changed.\n"},
	{"metrics", "okra metrics [ID...] [--asof D] [--by ATTR] [--where ATTR=V] [--format text|json|csv]",
	 "Computes every metric (or the ones named) as of the end of day D\n"
	 "(default: the last day with events). --by adds one value per value of\n"
	 "an account attribute (or cohort, the signup month); without it, each\n"
	 "metric is split by its own segments. --where keeps one segment.\n"},
	{"series", "okra series METRIC... | --all [--grain day|week|month|quarter] [--from D] [--to D] [--by ATTR] [--where ATTR=V] [--format text|json|csv]",
	 "Computes metrics as of the last day of each period from --from to --to\n"
	 "(default: the 13 periods up to the last day with events; grain week).\n"
	 "The last point is --to itself when it falls inside a period.\n"},
	{"help", "okra help [COMMAND]", "Prints the usage of okra or of one command.\n"},
};

int cli_print_help(const char *command, FILE *out)
{
	if (command) {
		for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
			if (strcmp(helps[i].name, command) == 0) {
				fprintf(out, "usage: %s\n\n%s", helps[i].usage, helps[i].text);
				return EXIT_OK;
			}
		return cli_usage(NULL, "no help for unknown command '%s'", command);
	}
	fprintf(out,
	        "okra %s - OKRs and KPIs computed from your product data\n\n"
	        "usage: okra [-C DIR] COMMAND [ARGS]\n\ncommands:\n",
	        okra_version());
	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
		fprintf(out, "  %s\n", helps[i].usage);
	fputs("\noptions:\n"
	      "  -C DIR       run as if started in DIR\n"
	      "  --version    print the version\n\n"
	      "The workspace is the first folder from the current one upwards that\n"
	      "holds okra.yaml. Exit status: 0 ok, 1 findings, 2 error.\n"
	      "Run 'okra help COMMAND' for one command.\n",
	      out);
	return EXIT_OK;
}

int cmd_help(const cli *c)
{
	if (c->argc > 2)
		return cli_usage("help", "too many arguments");
	return cli_print_help(c->argc == 2 ? c->argv[1] : NULL, stdout);
}
