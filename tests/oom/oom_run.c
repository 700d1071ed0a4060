/*
 * oom_run.c - every out-of-memory path returns an error and leaks nothing.
 *
 * Linked with -Wl,--wrap for malloc, calloc, realloc, strdup and strndup,
 * so every allocation okra makes goes through fail_at: the Nth one and
 * all after it fail.  For N = 1, 2, ... the program loads a small
 * workspace, lints it, opens its data (ingesting the first time), computes
 * every metric by segment and the weekly review, and frees everything;
 * each run must either succeed or fail with an error message, never
 * crash, and (under ASan's leak checker, at exit) leak nothing.  The loop
 * ends at the first N past the last allocation of a whole run.
 *
 * Usage: oom_run [STRIDE]  (STRIDE > 1 tries every STRIDEth N: quicker)
 */
#include "okra.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

static unsigned long calls, fail_at; /* fail_at 0: never */

static bool fails(void)
{
	return fail_at && ++calls >= fail_at;
}

void *__wrap_malloc(size_t n)
{
	return fails() ? NULL : __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t size)
{
	return fails() ? NULL : __real_calloc(n, size);
}
void *__wrap_realloc(void *p, size_t n)
{
	return fails() ? NULL : __real_realloc(p, n);
}
char *__wrap_strdup(const char *s)
{
	return fails() ? NULL : __real_strdup(s);
}
char *__wrap_strndup(const char *s, size_t n)
{
	return fails() ? NULL : __real_strndup(s, n);
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
}

static const char okra_yaml[] =
    "workspace: out of memory\n"
    "data:\n"
    "  events: data/events.csv\n"
    "  accounts: data/accounts.csv\n"
    "  revenue: data/revenue.csv\n"
    "north_star: {metric: weekly_active, inputs: [activation]}\n"
    "teams: [{id: core, type: core}]\n"
    "metrics:\n"
    "  - {id: weekly_active, type: active, window: 7d, level: 1, indicator: "
    "leading, segments: [tier]}\n"
    "  - {id: reports, type: count, event: report, window: 7d, owner: core}\n"
    "  - {id: amount, type: sum, property: amount, window: 28d}\n"
    "  - {id: activation, type: conversion, anchor: created, steps: [signup, "
    "report], within: 7d, level: 3, benchmark: 0.6}\n"
    "  - {id: retained, type: retention, anchor: created, day: 7}\n"
    "  - {id: ttr, type: time_to, anchor: created, target: report, within: "
    "14d, stat: p75}\n"
    "  - {id: power, type: threshold, measure: active_days, at_least: 2}\n"
    "  - {id: per_active, type: ratio, numerator: reports, denominator: "
    "weekly_active}\n"
    "  - {id: health, type: formula, expr: 'reports * 2 + min(amount, 10)'}\n"
    "  - {id: mrr, type: revenue, measure: mrr}\n"
    "  - {id: nrr, type: revenue, measure: nrr, lookback: 1}\n"
    "objectives:\n"
    "  - id: grow\n"
    "    title: Grow weekly reporting among pro accounts in Europe\n"
    "    team: core\n"
    "    quarter: 2026-Q1\n"
    "    parent: north_star\n"
    "    key_results:\n"
    "      - {id: more_reports, title: Increase weekly reports from 1 to "
    "5, metric: reports, baseline: auto, target: 5}\n"
    "      - {id: pro_active, title: Increase weekly active pro accounts "
    "from 1 to 2, metric: weekly_active, where: {tier: pro}, baseline: 1, "
    "target: 2}\n";

static const char events_csv[] = "timestamp,event,account_id,amount\n"
                                 "2026-01-05T10:00:00Z,signup,a1,\n"
                                 "2026-01-05T11:00:00Z,report,a1,5\n"
                                 "2026-01-06T10:00:00Z,signup,a2,\n"
                                 "2026-01-12T10:00:00Z,report,a2,7\n"
                                 "2026-02-02T10:00:00Z,report,a1,3\n"
                                 "2026-02-03T10:00:00Z,report,a1,4\n"
                                 "2026-02-10T10:00:00Z,ping,a3,\n";

static const char accounts_csv[] = "account_id,created_at,tier\n"
                                   "a1,2026-01-05,pro\n"
                                   "a2,2026-01-06,free\n"
                                   "a3,2026-01-20,pro\n";

static const char revenue_csv[] = "account_id,month,mrr\n"
                                  "a1,2026-01,100\n"
                                  "a1,2026-02,120\n"
                                  "a2,2026-02,50\n";

/* One whole run; returns whether it succeeded. */
static bool run(const char *root, okra_err *err)
{
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_engine *e = NULL;
	okra_result *r = NULL;
	okra_review *review = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *null = fopen("/dev/null", "w");
	okra_rc rc = OKRA_ERR_NOMEM;
	if (!findings || !null) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		goto out;
	}
	if ((rc = okra_workspace_load(root, findings, &ws, err)) ||
	    (rc = okra_lint(ws, findings, err)))
		goto out;
	okra_load_options opt = {0};
	okra_ingest_summary sum;
	if ((rc = okra_engine_open(ws, &opt, &e, &sum, err)))
		goto out;
	okra_query q = {.asof = "2026-02-14", .by = "tier"};
	if ((rc = okra_metrics_eval(e, &q, &r, err)) ||
	    (rc = okra_result_write(r, OKRA_FORMAT_JSON, null, err)) ||
	    (rc = okra_result_write(r, OKRA_FORMAT_TEXT, null, err)) ||
	    (rc = okra_result_write(r, OKRA_FORMAT_CSV, null, err)))
		goto out;
	okra_review_request req = {.asof = "2026-02-14", .lint = true};
	if ((rc = okra_review_run(e, &req, &review, err)))
		goto out;
	static const okra_format formats[] = {OKRA_FORMAT_TEXT, OKRA_FORMAT_MD,
	                                      OKRA_FORMAT_SLACK,
	                                      OKRA_FORMAT_JSON};
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		free(text);
		text = NULL;
		if ((rc = okra_review_render(review, formats[i], false, &text,
		                             &len, err)))
			goto out;
		/* the status and the summary in every format they have */
		for (int part = OKRA_REVIEW_STATUS; part <= OKRA_REVIEW_SUMMARY;
		     part++)
			if ((rc = okra_review_write_part(
			         review, (okra_review_part)part, formats[i],
			         false, null, err)))
				goto out;
	}
	for (int kind = 0; kind < OKRA_LIST_KIND_COUNT; kind++)
		if ((rc =
		         okra_list_write(ws, (okra_list_kind)kind,
		                         OKRA_FORMAT_TEXT, false, null, err)) ||
		    (rc = okra_list_write(ws, (okra_list_kind)kind,
		                          OKRA_FORMAT_JSON, false, null, err)))
			goto out;
	if (okra_findings_failed(findings)) {
		rc = OKRA_ERR_NOMEM;
		snprintf(err->msg, sizeof(err->msg), "findings ran out");
	}
out:
	free(text);
	okra_review_free(review);
	okra_result_free(r);
	okra_engine_free(e);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	if (null)
		fclose(null);
	return rc == OKRA_OK;
}

int main(int argc, char **argv)
{
	unsigned long stride = argc > 1 ? strtoul(argv[1], NULL, 10) : 1;
	if (stride < 1)
		stride = 1;
	setenv("OKRA_THREADS", "1", 1); /* one order of allocations */
	char root[] = "/tmp/okra-oom-XXXXXX";
	if (!mkdtemp(root))
		return 2;
	char data[600];
	snprintf(data, sizeof(data), "%s/data", root);
	mkdir(data, 0755);
	write_file(root, "okra.yaml", okra_yaml);
	write_file(data, "events.csv", events_csv);
	write_file(data, "accounts.csv", accounts_csv);
	write_file(data, "revenue.csv", revenue_csv);

	okra_err err = {0};
	char cache[700];
	snprintf(cache, sizeof(cache), "rm -rf '%s/.okra'", root);
	int status = 0;
	/* Two phases: with the cache fresh (lint, queries, the review), then
	 * with it removed before every run (the ingest and the cache write
	 * too). */
	for (int phase = 0; phase < 2; phase++) {
		/* A clean run first: it must succeed, and it counts the calls.
		 */
		fail_at = 0;
		if ((phase && system(cache) != 0) || !run(root, &err)) {
			fprintf(stderr, "a run without failures failed: %s\n",
			        err.msg);
			return 1;
		}
		fail_at = ~0ul;
		calls = 0;
		if (phase && system(cache) != 0)
			return 2;
		run(root, &err); /* counts a run's allocations */
		unsigned long total = calls, failed_runs = 0;
		const char *from = getenv("OOM_FROM"); /* resume a search */
		for (unsigned long n = from ? strtoul(from, NULL, 10) : 1;
		     n <= total + 1; n += stride) {
			if (getenv("OOM_TRACE"))
				fprintf(
				    stderr,
				    "oom: phase %d, allocation %lu of %lu\n",
				    phase, n, total);
			if (phase && system(cache) != 0)
				return 2;
			calls = 0;
			fail_at = n;
			memset(&err, 0, sizeof(err));
			bool ok = run(root, &err);
			fail_at = 0;
			if (ok && n <= total) {
				fprintf(
				    stderr,
				    "allocation %lu of %lu failed, but the run "
				    "succeeded\n",
				    n, total);
				status = 1;
			}
			if (!ok) {
				failed_runs++;
				if (!err.msg[0]) {
					fprintf(
					    stderr,
					    "allocation %lu failed without a "
					    "message\n",
					    n);
					status = 1;
				}
			}
		}
		printf("%s: %lu allocations in a run; %lu runs with a failed "
		       "allocation, each an error with a message\n",
		       phase ? "ingesting" : "cache fresh", total, failed_runs);
	}
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		status = 1;
	return status;
}
