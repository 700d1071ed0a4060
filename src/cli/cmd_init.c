/*
 * cmd_init.c - okra init [DIR] [--from TOOL]: scaffold a workspace, the
 * commented example or one that maps a tool's export.
 */
#include "cli.h"

static const cli_option init_options[] = {
    {"from", 0, "TOOL", false,
     "a workspace that maps this tool's export: posthog, segment, amplitude "
     "or mixpanel",
     "posthog segment amplitude mixpanel"},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_init = {init_options, 1, "@dir"};

int cmd_init(const cli *c)
{
	const char *dir = c->n_args ? c->args[0] : (c->dir ? c->dir : ".");
	const char *from = cli_value(c, "from");
	okra_err err = {0};
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
