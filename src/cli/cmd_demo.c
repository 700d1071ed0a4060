/*
 * cmd_demo.c - okra demo [DIR] [--events N] [--seed S] [--end YYYY-MM-DD]
 * [--shape demo|wide] [--no-review]: write the synthetic SaaS workspace
 * and its data.
 *
 * Parses the arguments (N as 1000000, 1e6, 10M, 2.5k, 1G), draws the
 * progress bar only when stderr is a terminal, and prints a one-line
 * summary read back from the okra.yaml the library wrote.
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* "1000000", "1e6", "10M", "2.5k", "1G": a positive whole number. */
static bool parse_count(const char *s, unsigned long long *out)
{
	size_t n = strlen(s);
	double scale = 1;
	if (n > 0) {
		switch (s[n - 1]) {
		case 'k':
		case 'K':
			scale = 1e3;
			n--;
			break;
		case 'm':
		case 'M':
			scale = 1e6;
			n--;
			break;
		case 'g':
		case 'G':
			scale = 1e9;
			n--;
			break;
		default:
			break;
		}
	}
	if (n == 0 || n > 40 || strspn(s, "0123456789.eE+") < n ||
	    !(s[0] >= '0' && s[0] <= '9'))
		return false;
	char num[48];
	memcpy(num, s, n);
	num[n] = '\0';
	errno = 0;
	char *end;
	double v = strtod(num, &end) * scale;
	if (*end || errno || !isfinite(v) || v < 1 || v > 1e15 || v != floor(v))
		return false;
	*out = (unsigned long long)v;
	return true;
}

static bool parse_seed(const char *s, unsigned long long *out)
{
	if (!(s[0] >= '0' && s[0] <= '9'))
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || errno)
		return false;
	*out = v;
	return true;
}

/* 1234567 -> "1,234,567" */
static const char *grouped(unsigned long long v, char *out, size_t cap)
{
	char digits[32];
	int n = snprintf(digits, sizeof(digits), "%llu", v), k = 0;
	for (int i = 0; i < n && (size_t)k + 2 < cap; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[k++] = ',';
		out[k++] = digits[i];
	}
	out[k] = '\0';
	return out;
}

static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const cli_option options[] = {
    {"events", 0, "N", false,
     "about N events (default 1M; 1e6, 10M and 2.5k are accepted)", NULL},
    {"seed", 0, "S", false, "the random seed (default 1)", NULL},
    {"end", 0, "D", false, "the last day of data (default: today)", NULL},
    {"shape", 0, "S", false,
     "demo (about 600 events per account) or wide (many small accounts: "
     "about 25 events per account, 2.4 users each)",
     NULL},
    {"no-review", 0, NULL, false, "do not print the review afterwards", NULL},
    {NULL, 0, NULL, false, NULL, NULL},
};

const cli_spec cli_spec_demo = {options, 1, "@dir"};

int cmd_demo(const cli *c)
{
	okra_demo_options opt = {.events = 1000000, .seed = 1};
	const char *dir = c->n_args ? c->args[0] : NULL, *v;
	bool no_review = cli_flag(c, "no-review");
	if ((v = cli_value(c, "events")) && !parse_count(v, &opt.events))
		return cli_usage("demo",
		                 "invalid event count '%s' (e.g. 1000000, 1e6, "
		                 "10M)",
		                 v);
	if ((v = cli_value(c, "seed")) && !parse_seed(v, &opt.seed))
		return cli_usage("demo", "invalid seed '%s' (a whole number)",
		                 v);
	opt.end = cli_value(c, "end");
	opt.shape = cli_value(c, "shape");
	char path[4096];
	if (!dir) {
		snprintf(path, sizeof(path), "%s%sdemo", c->dir ? c->dir : "",
		         c->dir ? "/" : "");
		dir = path;
	}
	opt.progress = isatty(fileno(stderr));

	double started = seconds_now();
	okra_err err = {0};
	okra_rc rc = okra_demo(dir, &opt, &err);
	if (rc)
		return cli_fail(&err);
	double took = seconds_now() - started;

	/* The counts: okra.yaml's "# okra demo: ..." line. */
	unsigned long long files = 0, events = 0, accounts = 0, users = 0;
	char yaml[4200], line[512];
	snprintf(yaml, sizeof(yaml), "%s/okra.yaml", dir);
	FILE *f = fopen(yaml, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line,
		           "# okra demo: %llu files, %llu events, %llu "
		           "accounts, %llu users",
		           &files, &events, &accounts, &users) == 4)
			break;
	if (f)
		fclose(f);
	char a[32], u[32], e[32];
	printf("okra demo: wrote %llu files to %s: %s accounts, %s users, %s "
	       "events in %.1f s\n",
	       files, dir, grouped(accounts, a, sizeof(a)),
	       grouped(users, u, sizeof(u)), grouped(events, e, sizeof(e)),
	       took);
	if (no_review)
		return EXIT_OK;
	/* Then the weekly review of the new workspace (SPEC 8). */
	fflush(stdout);
	cli in_demo = {.dir = dir};
	okra_review_request req = {.lint = true};
	return cli_review(&in_demo, &req, OKRA_FORMAT_TEXT, NULL, false);
}
