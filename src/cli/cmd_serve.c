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

static const cli_option options[] = {
    {"port", 0, "PORT", false, "the port (default 8080; 0: any free port)",
     NULL},
    {"bind", 0, "ADDRESS", false,
     "the address to listen on (default 127.0.0.1)", NULL},
    {"timeout", 0, "S", false,
     "close connections idle for S seconds (default 10)", NULL},
    {"quiet", 'q', NULL, false, "no request log on stderr", NULL},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_serve = {options, 0, NULL};

int cmd_serve(const cli *c)
{
	okra_serve_options opt = {.port = 8080, .log = stderr};
	const char *v;
	if ((v = cli_value(c, "port")) && !parse_int(v, 0, 65535, &opt.port))
		return cli_usage(
		    "serve",
		    "--port takes 0..65535 (0: any free port), not "
		    "'%s'",
		    v);
	if ((v = cli_value(c, "bind")))
		opt.bind = strcmp(v, "localhost") == 0 ? "127.0.0.1" : v;
	if ((v = cli_value(c, "timeout")) &&
	    !parse_int(v, 1, 3600, &opt.timeout))
		return cli_usage(
		    "serve", "--timeout takes seconds 1..3600, not '%s'", v);
	if (cli_flag(c, "quiet"))
		opt.log = NULL;
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
