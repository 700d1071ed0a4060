/*
 * cmd_init.c - okra init [DIR]: scaffold a workspace.
 */
#include "cli.h"

int cmd_init(const cli *c)
{
	if (c->argc > 2)
		return cli_usage("init", "too many arguments");
	const char *dir = c->argc == 2 ? c->argv[1] : (c->dir ? c->dir : ".");
	okra_err err = {0};
	okra_rc rc = okra_init(dir, &err);
	if (rc)
		return cli_fail(&err);
	printf("created an okra workspace in %s\n"
	       "next: edit okra.yaml and metrics.yaml, then run 'okra -C %s "
	       "lint'\n",
	       dir, dir);
	return EXIT_OK;
}
