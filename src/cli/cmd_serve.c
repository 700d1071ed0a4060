/*
 * cmd_serve.c - okra serve [--port 8080] [--bind 127.0.0.1] [--timeout S]
 * [--quiet]: the dashboard and the JSON API until SIGINT or SIGTERM, then
 * a graceful stop (requests in flight finish, the database is closed).
 */
#include "cli.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

static bool parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v = s && *s ? strtol(s, &end, 10) : 0;
	if (!s || !*s || *end || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

int cmd_serve(const cli *c)
{
	okra_serve_options opt = {.port = 8080, .log = stderr};
	for (int i = 1; i < c->argc; i++) {
		const char *arg = c->argv[i], *v = NULL;
		if (cli_opt(c, &i, "--port", &v)) {
			if (!parse_int(v, 0, 65535, &opt.port))
				return cli_usage("serve",
				                 "--port takes 0..65535 (0: "
				                 "any free port), not '%s'",
				                 v ? v : "");
		} else if (cli_opt(c, &i, "--bind", &v)) {
			if (!v)
				return cli_usage(
				    "serve", "option '--bind' needs a value");
			opt.bind =
			    strcmp(v, "localhost") == 0 ? "127.0.0.1" : v;
		} else if (cli_opt(c, &i, "--timeout", &v)) {
			if (!parse_int(v, 1, 3600, &opt.timeout))
				return cli_usage(
				    "serve",
				    "--timeout takes seconds 1..3600, not '%s'",
				    v ? v : "");
		} else if (strcmp(arg, "--quiet") == 0 ||
		           strcmp(arg, "-q") == 0) {
			opt.log = NULL;
		} else {
			return cli_usage("serve", "unknown option '%s'", arg);
		}
	}
	const char *env = getenv("OKRA_TOKEN");
	opt.token = env && env[0] ? env : NULL;

	okra_err err = {0};
	char root[4096];
	okra_rc rc = okra_workspace_find(c->dir ? c->dir : ".", root,
	                                 sizeof(root), &err);
	if (rc)
		return cli_fail(&err);

	/* SIGINT and SIGTERM are taken by sigwait below: block them before
	 * the server's threads start, so they inherit the mask. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	okra_findings *findings = okra_findings_new();
	okra_server *srv = NULL;
	if (!findings) {
		fputs("okra: out of memory\n", stderr);
		return EXIT_ERROR;
	}
	rc = okra_server_start(root, &opt, findings, &srv, &err);
	if (rc == OKRA_ERR_CONFIG) {
		okra_findings_sort(findings);
		okra_findings_write(findings, OKRA_FORMAT_TEXT,
		                    cli_color(stderr), stderr);
		fputs("okra: the workspace has errors; nothing is served\n",
		      stderr);
		okra_findings_free(findings);
		return EXIT_ERROR;
	}
	okra_findings_free(findings);
	if (rc)
		return cli_fail(&err);

	const char *bind = opt.bind ? opt.bind : "127.0.0.1";
	bool v6 = strchr(bind, ':') != NULL;
	printf("okra: serving %s at http://%s%s%s:%d/ (Ctrl-C stops)\n", root,
	       v6 ? "[" : "", bind, v6 ? "]" : "", okra_server_port(srv));
	bool generated = false;
	const char *token = okra_server_token(srv, &generated);
	if (opt.token)
		printf("okra: check-ins need the token of OKRA_TOKEN\n");
	else if (generated)
		printf("okra: check-ins need this token (saved in .okra/token, "
		       "mode 0600): %s\n",
		       token);
	else
		printf("okra: check-ins need the token in .okra/token\n");
	if (strncmp(bind, "127.", 4) != 0 && strcmp(bind, "::1") != 0)
		fprintf(
		    stderr,
		    "okra: warning: bound to %s, so anyone who can reach this "
		    "host can read the dashboard (writes still need the "
		    "token)\n",
		    bind);
	fflush(stdout);

	int sig = 0;
	sigwait(&stop, &sig);
	fprintf(stderr, "okra: %s: finishing the requests in flight\n",
	        sig == SIGINT ? "interrupted" : "terminated");
	okra_server_stop(srv);
	fputs("okra: stopped\n", stderr);
	return EXIT_OK;
}
