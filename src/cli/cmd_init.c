/*
 * cmd_init.c - okra init [DIR]: scaffold a workspace.
 */
#include "cli.h"

const cli_spec cli_spec_init = {NULL, 1, "@dir"};

int cmd_init(const cli *c)
{
	const char *dir = c->n_args ? c->args[0] : (c->dir ? c->dir : ".");
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
