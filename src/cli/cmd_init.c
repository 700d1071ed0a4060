/*
 * cmd_init.c - okra init [DIR] [--from TOOL] [--team-type TYPE [--team T]]:
 * scaffold a workspace, the commented example or one that maps a tool's
 * export, and add the metrics a team type calls for.
 */
#include "cli.h"

static const cli_option init_options[] = {
    {"from", 0, "TOOL", false,
     "a workspace that maps this tool's export: posthog, segment, amplitude "
     "or mixpanel",
     "posthog segment amplitude mixpanel"},
    {"team-type", 0, "TYPE", false,
     "add the metrics a team type calls for: activation, core, expansion "
     "or platform",
     "activation core expansion platform"},
    {"team", 0, "T", false,
     "with --team-type: the team that owns them (default: the first "
     "team of the type)",
     "@team"},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_init = {init_options, 1, "@dir"};

int cmd_init(const cli *c)
{
	const char *dir = c->n_args ? c->args[0] : (c->dir ? c->dir : ".");
	const char *from = cli_value(c, "from");
	const char *type = cli_value(c, "team-type");
	const char *team = cli_value(c, "team");
	okra_err err = {0};
	if (team && !type)
		return cli_usage("init", "--team goes with --team-type");
	if (type && from)
		return cli_usage("init", "--team-type adds to a workspace; run "
		                         "okra init --from first, then "
		                         "--team-type");
	if (type) {
		size_t n = 0;
		char owner[256];
		if (okra_init_team_type(dir, type, team, &n, owner,
		                        sizeof(owner), &err))
			return cli_fail(&err);
		if (n == 0)
			printf(
			    "the workspace in %s defines every metric of the "
			    "%s type already\n",
			    dir, type);
		else
			printf("wrote %s/metrics-%s.yaml: %zu metric%s of the "
			       "%s type, owned by team %s\n",
			       dir, type, n, n == 1 ? "" : "s", type, owner);
		return EXIT_OK;
	}
	okra_rc rc = okra_init_from(dir, from, &err);
	if (rc)
		return cli_fail(&err);
	if (from)
		printf("created an okra workspace for %s exports in %s\n"
		       "next: put the export into %s/data/ (okra.yaml names "
		       "the files), then run 'okra -C %s data'\n",
		       from, dir, dir, dir);
	else
		printf("created an okra workspace in %s\n"
		       "next: edit okra.yaml and metrics.yaml, then run 'okra "
		       "-C %s lint'\n",
		       dir, dir);
	return EXIT_OK;
}
