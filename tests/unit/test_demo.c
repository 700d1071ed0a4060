/*
 * test_demo.c - okra_demo(): same inputs give the same bytes, the
 * workspace loads and lints without errors, the tables have their headers
 * and about the asked number of rows, nothing lies past the end date, the
 * built-in edge cases are present, and an existing workspace is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "okra_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define END "2026-03-10"

static const char *const files[] = {
    "okra.yaml",      "metrics.yaml",     "okrs/2026-Q1.yaml",
    "trees.yaml",     "experiments.yaml", "data/accounts.csv",
    "data/users.csv", "data/revenue.csv", "data/events.csv",
};

/* ---- helpers ---------------------------------------------------------- */

static void rm_rf(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && (e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			char sub[4096];
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			rm_rf(sub);
		}
		if (d)
			closedir(d);
		rmdir(path);
	} else {
		unlink(path);
	}
}

static char *make_tmpdir(void)
{
	char *dir = strdup("/tmp/okra-test-demo-XXXXXX");
	assert_non_null(dir);
	assert_non_null(mkdtemp(dir));
	return dir;
}

/* The whole file, NUL-terminated; *len its size. */
static char *slurp(const char *dir, const char *rel, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
	buf[size] = '\0';
	fclose(f);
	if (len)
		*len = (size_t)size;
	return buf;
}

static okra_rc run_demo(const char *dir, unsigned long long events,
                        unsigned long long seed, okra_err *err)
{
	okra_demo_options opt = {.events = events, .seed = seed, .end = END};
	return okra_demo(dir, &opt, err);
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Does any entry of dir (and data/, okrs/) end in ".tmp"? */
static bool has_temp_files(const char *dir)
{
	static const char *const sub[] = {"", "/data", "/okrs"};
	for (size_t i = 0; i < 3; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s%s", dir, sub[i]);
		char cmd[4200];
		snprintf(
		    cmd, sizeof(cmd),
		    "ls -a '%s' 2>/dev/null | grep -q 'okra-demo.*\\.tmp$'",
		    path);
		if (system(cmd) == 0)
			return true;
	}
	return false;
}

/* One shared small workspace for the read-only checks. */
static char *shared_dir;

static int setup_shared(void **state)
{
	(void)state;
	okra_err err = {0};
	shared_dir = make_tmpdir();
	okra_rc rc = run_demo(shared_dir, 20000, 1, &err);
	if (rc)
		fprintf(stderr, "okra_demo: %s\n", err.msg);
	return rc == OKRA_OK ? 0 : -1;
}

static int teardown_shared(void **state)
{
	(void)state;
	rm_rf(shared_dir);
	free(shared_dir);
	return 0;
}

/* ---- tests ------------------------------------------------------------ */

static void test_deterministic(void **state)
{
	(void)state;
	char *a = make_tmpdir(), *b = make_tmpdir(), *c = make_tmpdir();
	okra_err err = {0};
	assert_int_equal(run_demo(a, 20000, 42, &err), OKRA_OK);
	assert_int_equal(run_demo(b, 20000, 42, &err), OKRA_OK);
	assert_int_equal(run_demo(c, 20000, 43, &err), OKRA_OK);
	for (size_t i = 0; i < OKRA_ARRAY_LEN(files); i++) {
		size_t la, lb;
		char *x = slurp(a, files[i], &la), *y = slurp(b, files[i], &lb);
		if (la != lb || memcmp(x, y, la) != 0)
			fail_msg(
			    "%s differs between two runs with the same seed",
			    files[i]);
		free(x);
		free(y);
	}
	size_t la, lc;
	char *x = slurp(a, "data/events.csv", &la);
	char *y = slurp(c, "data/events.csv", &lc);
	assert_true(la != lc || memcmp(x, y, la) != 0);
	free(x);
	free(y);
	rm_rf(a);
	rm_rf(b);
	rm_rf(c);
	free(a);
	free(b);
	free(c);
}

static void test_loads_and_lints(void **state)
{
	(void)state;
	okra_err err = {0};
	okra_findings *f = okra_findings_new();
	assert_non_null(f);
	okra_workspace *ws = NULL;
	okra_rc rc = okra_workspace_load(shared_dir, f, &ws, &err);
	if (rc) {
		okra_findings_write(f, OKRA_FORMAT_TEXT, false, stderr);
		fail_msg("the demo workspace does not load: %s", err.msg);
	}
	assert_int_equal(okra_lint(ws, f, &err), OKRA_OK);
	if (okra_findings_count_severity(f, OKRA_ERROR) > 0)
		okra_findings_write(f, OKRA_FORMAT_TEXT, false, stderr);
	assert_int_equal(okra_findings_count_severity(f, OKRA_ERROR), 0);

	/* One metric of every type, every revenue measure, 3 objectives. */
	bool type_seen[OKRA_METRIC_TYPE_COUNT] = {0};
	bool measure_seen[OKRA_REV_MEASURE_COUNT] = {0};
	for (size_t i = 0; i < ws->n_metrics; i++) {
		type_seen[ws->metrics[i].type] = true;
		if (ws->metrics[i].type == OKRA_METRIC_REVENUE)
			measure_seen[ws->metrics[i].revenue_measure] = true;
	}
	for (int t = 0; t < OKRA_METRIC_TYPE_COUNT; t++)
		if (!type_seen[t])
			fail_msg("no metric of type %s",
			         okra__metric_types[t].name);
	for (int m = 0; m < OKRA_REV_MEASURE_COUNT; m++)
		if (!measure_seen[m])
			fail_msg("no revenue metric with measure %s",
			         okra__revenue_measures[m].name);
	assert_int_equal(ws->n_objectives, 3);
	assert_int_equal(ws->n_teams, 3);
	assert_true(ws->n_trees >= 1);
	assert_int_equal(ws->n_experiments, 1);
	for (size_t i = 0; i < ws->n_objectives; i++) {
		const okra_objective *o = &ws->objectives[i];
		assert_true(o->n_krs >= 2 && o->n_krs <= 4);
		assert_true(o->has_quarter);
		assert_int_equal(o->quarter.year, 2026);
		assert_int_equal(o->quarter.q, 1);
	}
	okra_workspace_free(ws);
	okra_findings_free(f);
}

static void test_headers(void **state)
{
	(void)state;
	static const struct {
		const char *file, *header;
	} tables[] = {
	    {"data/accounts.csv",
	     "account_id,created_at,tier,region,seats_limit\n"},
	    {"data/users.csv", "user_id,account_id,created_at,role\n"},
	    {"data/revenue.csv", "account_id,month,mrr\n"},
	    {"data/events.csv", "timestamp,event,account_id,user_id,duration_s,"
	                        "feature,experiment,variant,ticket_priority\n"},
	};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(tables); i++) {
		char *text = slurp(shared_dir, tables[i].file, NULL);
		size_t n = strlen(tables[i].header);
		if (strncmp(text, tables[i].header, n) != 0)
			fail_msg("%s starts with the wrong header",
			         tables[i].file);
		/* Every row has as many fields as the header. */
		size_t commas = 0;
		for (size_t k = 0; k < n; k++)
			commas += tables[i].header[k] == ',';
		size_t in_row = 0;
		for (const char *p = text + n; *p; p++) {
			if (*p == ',')
				in_row++;
			else if (*p == '\n') {
				assert_int_equal(in_row, commas);
				in_row = 0;
			}
		}
		free(text);
	}
}

static void test_row_counts(void **state)
{
	(void)state;
	char *text = slurp(shared_dir, "data/events.csv", NULL);
	size_t rows = count_lines(text) - 1;
	free(text);
	assert_true(rows > 16000 && rows < 24000);
	text = slurp(shared_dir, "data/accounts.csv", NULL);
	size_t accounts = count_lines(text) - 1;
	free(text);
	text = slurp(shared_dir, "data/users.csv", NULL);
	size_t users = count_lines(text) - 1;
	free(text);
	assert_true(accounts >= 12);
	assert_true(users >= accounts && users <= accounts * 25);
	/* The okra.yaml summary agrees with the files. */
	text = slurp(shared_dir, "okra.yaml", NULL);
	char *line = strstr(text, "# okra demo: ");
	assert_non_null(line);
	unsigned long long n_files, n_events, n_accounts, n_users;
	assert_int_equal(sscanf(line,
	                        "# okra demo: %llu files, %llu events, %llu "
	                        "accounts, %llu users",
	                        &n_files, &n_events, &n_accounts, &n_users),
	                 4);
	assert_int_equal(n_files, OKRA_ARRAY_LEN(files));
	assert_int_equal(n_events, rows);
	assert_int_equal(n_accounts, accounts);
	assert_int_equal(n_users, users);
	free(text);
}

/* Every timestamp and date is on or before the end date, and events are
 * in time order within the year before it. */
static void test_end_date(void **state)
{
	(void)state;
	char *text = slurp(shared_dir, "data/events.csv", NULL);
	char prev[21] = "";
	const char *p = strchr(text, '\n') + 1;
	for (; *p; p = strchr(p, '\n') + 1) {
		if (strncmp(p, END "T23:59:59Z", 20) > 0)
			fail_msg("event after the end date: %.40s", p);
		if (strncmp(p, "2025-03-11T00:00:00Z", 20) < 0)
			fail_msg("event before the first day: %.40s", p);
		if (strncmp(p, prev, 20) < 0)
			fail_msg("events out of time order at %.40s", p);
		memcpy(prev, p, 20);
	}
	free(text);
	static const char *const tables[] = {"data/accounts.csv",
	                                     "data/users.csv"};
	for (size_t i = 0; i < 2; i++) {
		text = slurp(shared_dir, tables[i], NULL);
		for (p = strchr(text, '\n') + 1; *p; p = strchr(p, '\n') + 1) {
			const char *at = strchr(p, ',') + 1;
			if (i == 1)
				at = strchr(at, ',') + 1;
			if (strncmp(at, END "T23:59:59Z", 20) > 0)
				fail_msg(
				    "%s: created after the end date: %.60s",
				    tables[i], p);
		}
		free(text);
	}
	text = slurp(shared_dir, "data/revenue.csv", NULL);
	for (p = strchr(text, '\n') + 1; *p; p = strchr(p, '\n') + 1)
		if (strncmp(strchr(p, ',') + 1, "2026-03", 7) > 0)
			fail_msg("revenue after the end month: %.40s", p);
	free(text);
}

static bool contains(const char *text, const char *needle)
{
	return strstr(text, needle) != NULL;
}

/* A larger run has every built-in edge case. */
static void test_edge_cases(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	okra_err err = {0};
	assert_int_equal(run_demo(dir, 300000, 5, &err), OKRA_OK);
	char *accounts = slurp(dir, "data/accounts.csv", NULL);
	assert_true(contains(accounts, ",,na,") ||
	            contains(accounts, ",,eu,") ||
	            contains(accounts, ",,apac,")); /* tier (none) */
	assert_true(contains(accounts, ",enterprise,"));
	free(accounts);

	char *events = slurp(dir, "data/events.csv", NULL);
	static const char *const names[] = {
	    ",signup,",
	    ",onboarding_step_1,",
	    ",onboarding_step_6,",
	    ",user_invited,",
	    ",integration_connected,",
	    ",report_created,",
	    ",report_viewed,",
	    ",session_start,",
	    ",feature_used,",
	    ",support_ticket,",
	    ",experiment_exposure,",
	    ",progress_indicator,control,",
	    ",progress_indicator,treatment,",
	    ",guest_",
	    "del_",
	    "Z,report_viewed,,u", /* empty account_id, known user */
	    ",,,,,urgent\n",
	};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(names); i++)
		if (!contains(events, names[i]))
			fail_msg("events.csv has no \"%s\"", names[i]);

	/* The outage of the EU region (Wednesday 2026-02-25; the other
	 * regions at three quarters) has far fewer events than the
	 * Wednesday before. */
	size_t outage = 0, before = 0;
	for (const char *p = events; (p = strchr(p, '\n')) != NULL;) {
		p++;
		outage += strncmp(p, "2026-02-25", 10) == 0;
		before += strncmp(p, "2026-02-18", 10) == 0;
	}
	assert_true(outage * 3 < before * 2);
	free(events);

	/* MRR: an explicit 0 row (churn) beside the rows that stop. */
	char *revenue = slurp(dir, "data/revenue.csv", NULL);
	assert_true(strstr(revenue, ",0\n") != NULL);
	free(revenue);
	rm_rf(dir);
	free(dir);
}

static void test_refuses_existing(void **state)
{
	(void)state;
	okra_err err = {0};
	size_t len1, len2;
	char *before = slurp(shared_dir, "okra.yaml", &len1);
	assert_int_equal(run_demo(shared_dir, 20000, 99, &err), OKRA_ERR_USAGE);
	assert_non_null(strstr(err.msg, "already exists"));
	char *after = slurp(shared_dir, "okra.yaml", &len2);
	assert_int_equal(len1, len2);
	assert_memory_equal(before, after, len1);
	assert_false(has_temp_files(shared_dir));
	free(before);
	free(after);
}

static void test_bad_options(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	okra_err err = {0};
	okra_demo_options opt = {.events = 5000, .end = "2026-02-30"};
	assert_int_equal(okra_demo(dir, &opt, &err), OKRA_ERR_USAGE);
	opt.end = "10 March";
	assert_int_equal(okra_demo(dir, &opt, &err), OKRA_ERR_USAGE);
	opt.end = END;
	opt.events = 10;
	assert_int_equal(okra_demo(dir, &opt, &err), OKRA_ERR_USAGE);
	opt.events = 5000;
	opt.shape = "tall";
	assert_int_equal(okra_demo(dir, &opt, &err), OKRA_ERR_USAGE);
	assert_non_null(strstr(err.msg, "unknown shape 'tall'"));
	struct stat st;
	char path[4200];
	snprintf(path, sizeof(path), "%s/okra.yaml", dir);
	assert_int_not_equal(stat(path, &st), 0);
	rm_rf(dir);
	free(dir);
}

/* The wide shape: many small accounts (about 25 events each), about 2.4
 * users per account, about 3.5 revenue rows per account, and the event
 * count still near the one asked for. */
static void test_wide_shape(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	okra_err err = {0};
	okra_demo_options opt = {
	    .events = 100000, .seed = 3, .end = END, .shape = "wide"};
	assert_int_equal(okra_demo(dir, &opt, &err), OKRA_OK);
	char *text = slurp(dir, "data/events.csv", NULL);
	double events = (double)(count_lines(text) - 1);
	free(text);
	text = slurp(dir, "data/accounts.csv", NULL);
	double accounts = (double)(count_lines(text) - 1);
	free(text);
	text = slurp(dir, "data/users.csv", NULL);
	double users = (double)(count_lines(text) - 1);
	free(text);
	text = slurp(dir, "data/revenue.csv", NULL);
	double revenue = (double)(count_lines(text) - 1);
	free(text);
	assert_true(events > 90000 && events < 110000);
	assert_true(accounts == 4000);
	assert_true(users / accounts > 2.0 && users / accounts < 2.8);
	assert_true(revenue / accounts > 2.5 && revenue / accounts < 4.5);
	rm_rf(dir);
	free(dir);
}

/* A write error midway leaves no temporary files and no okra.yaml. */
static void test_cleans_up_on_error(void **state)
{
	(void)state;
	char *dir = make_tmpdir();
	char path[4200];
	snprintf(path, sizeof(path), "%s/data", dir);
	FILE *f = fopen(path, "w"); /* a file where the data folder goes */
	assert_non_null(f);
	fclose(f);
	okra_err err = {0};
	assert_int_equal(run_demo(dir, 20000, 1, &err), OKRA_ERR_IO);
	assert_false(has_temp_files(dir));
	struct stat st;
	snprintf(path, sizeof(path), "%s/okra.yaml", dir);
	assert_int_not_equal(stat(path, &st), 0);
	rm_rf(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_loads_and_lints),
	    cmocka_unit_test(test_headers),
	    cmocka_unit_test(test_row_counts),
	    cmocka_unit_test(test_end_date),
	    cmocka_unit_test(test_edge_cases),
	    cmocka_unit_test(test_refuses_existing),
	    cmocka_unit_test(test_bad_options),
	    cmocka_unit_test(test_wide_shape),
	    cmocka_unit_test(test_cleans_up_on_error),
	};
	return cmocka_run_group_tests(tests, setup_shared, teardown_shared);
}
