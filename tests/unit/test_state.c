/*
 * test_state.c - unit tests of src/state: the schema and its migrations,
 * refusing files that are not okra's (and leaving them byte for byte),
 * the as-of semantics of check-ins, confidence, review snapshots,
 * decisions, and export / import.
 *
 * Every test works in a fresh temporary workspace folder; the database is
 * inspected with SQLite directly, independently of the code under test.
 */
/* cmocka.h needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "state/state.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ======================================================================
 * Fixture: a workspace in a temporary folder
 * ====================================================================== */

static const char okra_yaml[] =
    "workspace: state test\n"
    "metrics:\n"
    "  - {id: nps, type: manual, unit: score}\n"
    "  - {id: csat, type: manual}\n"
    "  - {id: signups, type: count, event: signup}\n"
    "objectives:\n"
    "  - id: happy\n"
    "    title: Customers recommend us to their peers\n"
    "    quarter: 2026-Q4\n"
    "    key_results:\n"
    "      - {id: nps_up, title: Raise NPS from 30 to 45, metric: nps, "
    "baseline: 30, target: 45}\n"
    "      - {id: csat_up, title: Raise CSAT from 4.1 to 4.5, metric: csat, "
    "baseline: 4.1, target: 4.5}\n";

typedef struct fixture {
	char root[256];
	char db[300];
	okra_workspace *ws;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->root, sizeof(f->root), "/tmp/okra-test-state-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	snprintf(f->db, sizeof(f->db), "%s/.okra/okra.db", f->root);
	okra_source src = {"okra.yaml", okra_yaml, sizeof(okra_yaml) - 1};
	okra_findings *findings = okra_findings_new();
	okra_err err = {0};
	assert_int_equal(okra__workspace_from_sources(f->root, &src, 1,
	                                              findings, &f->ws, &err),
	                 OKRA_OK);
	okra_findings_free(findings);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	assert_int_equal(system(cmd), 0);
	okra_workspace_free(f->ws);
	free(f);
	return 0;
}

static int32_t day_of(const char *s)
{
	int32_t d = 0;
	assert_true(okra__parse_date(s, &d));
	return d;
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Runs SQL on the database with SQLite itself (not through okra). */
static void raw_sql(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	sqlite3_close(db);
}

static long long raw_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	long long v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static void write_bytes(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

static okra_state *open_write(fixture *f)
{
	okra_state *st = NULL;
	okra_err err = {0};
	okra_rc rc = okra__state_open(f->ws, true, &st, &err);
	if (rc)
		fail_msg("open: %s", err.msg);
	assert_non_null(st);
	return st;
}

/* A check-in without author or correction. */
static okra_rc state_checkin(okra_state *st, const okra_workspace *ws,
                             const char *metric, const char *value, int32_t day,
                             const char *note, okra_err *err)
{
	okra_checkin_req q = {
	    .metric = metric, .value = value, .day = day, .note = note};
	return okra__state_checkin(st, ws, &q, NULL, NULL, err);
}

static void checkin(okra_state *st, fixture *f, const char *metric,
                    const char *value, const char *day)
{
	okra_err err = {0};
	okra_rc rc =
	    state_checkin(st, f->ws, metric, value, day_of(day), NULL, &err);
	if (rc)
		fail_msg("checkin: %s", err.msg);
}

/* Opening the file must fail with OKRA_ERR_DATA and a message holding
 * want, for writing and for reading, and leave it byte for byte. */
static void assert_refused(fixture *f, const char *want)
{
	size_t len0, len1;
	char *before = slurp(f->db, &len0);
	for (int write = 0; write < 2; write++) {
		okra_state *st = (okra_state *)0x1;
		okra_err err = {0};
		assert_int_equal(okra__state_open(f->ws, write, &st, &err),
		                 OKRA_ERR_DATA);
		assert_ptr_equal(
		    st, (okra_state *)0x1); /* out untouched on error */
		if (!strstr(err.msg, want))
			fail_msg("message \"%s\" lacks \"%s\"", err.msg, want);
		assert_string_equal(err.file, f->db);
	}
	char *after = slurp(f->db, &len1);
	assert_int_equal(len0, len1);
	assert_memory_equal(before, after, len0);
	free(before);
	free(after);
}

/* ======================================================================
 * Opening, migrations, refusals
 * ====================================================================== */

static void test_migrate_from_empty(void **state)
{
	fixture *f = *state;
	okra_state *st = NULL;
	okra_err err = {0};
	/* A read of a workspace without state creates nothing. */
	assert_int_equal(okra__state_open(f->ws, false, &st, &err), OKRA_OK);
	assert_null(st);
	assert_false(exists(f->db));
	char okra_dir[300];
	snprintf(okra_dir, sizeof(okra_dir), "%s/.okra", f->root);
	assert_false(exists(okra_dir));

	st = open_write(f);
	okra__state_close(st);
	assert_true(exists(f->db));
	assert_int_equal(raw_int(f->db, "PRAGMA user_version"), 4);
	assert_int_equal(raw_int(f->db, "PRAGMA application_id"), 0x6f6b7261);
	assert_int_equal(
	    raw_int(f->db,
	            "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
	            "AND name IN ('checkin', 'confidence', 'review', "
	            "'snapshot', 'decision')"),
	    5);
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	sqlite3_close(db);

	/* An empty file (a crash before the first migration) is fresh state. */
	unlink(f->db);
	write_bytes(f->db, "", 0);
	assert_int_equal(okra__state_open(f->ws, false, &st, &err), OKRA_OK);
	assert_null(st);
	st = open_write(f);
	okra__state_close(st);
	assert_int_equal(raw_int(f->db, "PRAGMA user_version"), 4);

	/* An okra file at an older version (here 0) is upgraded, also by a
	 * read. */
	unlink(f->db);
	raw_sql(f->db, "PRAGMA application_id = 1869312609");
	assert_int_equal(okra__state_open(f->ws, false, &st, &err), OKRA_OK);
	assert_non_null(st);
	okra__state_close(st);
	assert_int_equal(raw_int(f->db, "PRAGMA user_version"), 4);
}

static void test_reopen_is_idempotent(void **state)
{
	fixture *f = *state;
	okra_state *st = open_write(f);
	checkin(st, f, "nps", "41", "2026-10-01");
	okra__state_close(st);
	for (int i = 0; i < 3; i++) {
		st = open_write(f);
		okra__state_close(st);
	}
	assert_int_equal(raw_int(f->db, "PRAGMA user_version"), 4);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM checkin"), 1);
	okra_err err = {0};
	assert_int_equal(okra__state_open(f->ws, false, &st, &err), OKRA_OK);
	assert_non_null(st);
	assert_int_equal(okra__state_verify(st, &err), OKRA_OK);
	/* A read-only handle refuses writes. */
	assert_int_equal(state_checkin(st, f->ws, "nps", "1",
	                               day_of("2026-10-02"), NULL, &err),
	                 OKRA_ERR_USAGE);
	okra__state_close(st);
	/* Reads leave no -wal or -shm behind (checked before raw_int, whose
	 * read-only connection would leave them). */
	char wal[320];
	snprintf(wal, sizeof(wal), "%s-wal", f->db);
	assert_false(exists(wal));
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM checkin"), 1);
}

static void test_newer_version_refused(void **state)
{
	fixture *f = *state;
	okra__state_close(open_write(f));
	raw_sql(f->db, "PRAGMA user_version = 99");
	assert_refused(f, "was written by a newer okra (schema version 99; "
	                  "this okra knows up to 4)");
}

static void test_foreign_refused(void **state)
{
	fixture *f = *state;
	char dir[300];
	snprintf(dir, sizeof(dir), "%s/.okra", f->root);
	assert_int_equal(mkdir(dir, 0755), 0);
	raw_sql(f->db,
	        "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL);"
	        "INSERT INTO invoices (total) VALUES (12.5)");
	assert_refused(f, "not an okra state database");
	/* Another application's id, even with no tables. */
	unlink(f->db);
	raw_sql(f->db, "PRAGMA application_id = 1234");
	assert_refused(f, "not an okra state database");
	/* okra's id with a version okra never writes. */
	unlink(f->db);
	raw_sql(f->db,
	        "PRAGMA application_id = 1869312609; PRAGMA user_version = -1");
	assert_refused(f, "not an okra state database");
	/* Its own user_version without tables is foreign too. */
	unlink(f->db);
	raw_sql(f->db, "PRAGMA user_version = 3");
	assert_refused(f, "not an okra state database");
}

static void test_corrupt_refused(void **state)
{
	fixture *f = *state;
	char dir[300];
	snprintf(dir, sizeof(dir), "%s/.okra", f->root);
	assert_int_equal(mkdir(dir, 0755), 0);
	/* Garbage: not even an SQLite header. */
	unsigned char junk[8192];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof(junk); i++) {
		x = x * 1103515245 + 12345;
		junk[i] = (unsigned char)(x >> 16);
	}
	write_bytes(f->db, junk, sizeof(junk));
	assert_refused(f, "corrupt or not a database");

	/* A real okra database whose table pages are overwritten: the header
	 * is fine, quick_check is not. */
	unlink(f->db);
	okra_state *st = open_write(f);
	for (int i = 0; i < 300; i++) {
		char v[16];
		snprintf(v, sizeof(v), "%d", i);
		checkin(st, f, "nps", v, "2026-10-01");
	}
	okra__state_close(st);
	size_t len;
	char *bytes = slurp(f->db, &len);
	assert_true(len > 4096 * 3);
	memset(bytes + 4096 * 2, 0x5a,
	       len - 4096 * 2); /* every page after the second */
	write_bytes(f->db, bytes, len);
	free(bytes);
	okra_err err = {0};
	st = NULL;
	assert_int_equal(okra__state_open(f->ws, true, &st, &err),
	                 OKRA_ERR_DATA);
	assert_null(st);
	assert_non_null(strstr(err.msg, "the state database is corrupt"));
	assert_null(strchr(err.msg, '\n')); /* one line */
}

/* ======================================================================
 * Check-ins
 * ====================================================================== */

static void test_checkin_values_as_of(void **state)
{
	fixture *f = *state;
	okra_err err = {0};
	double out[8];
	int32_t dates[8] = {day_of("2026-09-30"), day_of("2026-10-01"),
	                    day_of("2026-10-05"), day_of("2026-10-10"),
	                    day_of("2026-10-11"), day_of("2026-11-01"),
	                    day_of("2027-06-01"), day_of("2026-10-01")};
	/* No state: every value is null. */
	assert_int_equal(
	    okra__state_checkin_values(NULL, "nps", dates, 8, out, &err),
	    OKRA_OK);
	for (int i = 0; i < 8; i++)
		assert_true(isnan(out[i]));

	okra_state *st = open_write(f);
	checkin(st, f, "nps", "30", "2026-10-01");
	checkin(st, f, "nps", "35.5", "2026-10-10");
	checkin(st, f, "nps", "-2",
	        "2026-10-10"); /* same day: the last written wins */
	checkin(st, f, "nps", "40", "2026-10-10");
	checkin(st, f, "nps", "45", "2026-11-01");
	checkin(st, f, "csat", "4.2", "2026-09-01"); /* another metric */
	/* Written out of date order: the date decides, not the order. */
	checkin(st, f, "nps", "10", "2026-09-15");
	assert_int_equal(
	    okra__state_checkin_values(st, "nps", dates, 8, out, &err),
	    OKRA_OK);
	assert_true(out[0] == 10); /* before the first October check-in */
	assert_true(out[1] == 30); /* on its day */
	assert_true(out[2] == 30); /* between */
	assert_true(out[3] == 40); /* three on one day: the last */
	assert_true(out[4] == 40);
	assert_true(out[5] == 45);
	assert_true(out[6] == 45); /* long after */
	assert_true(out[7] == 30); /* dates in any order */
	int32_t early = day_of("2026-09-14");
	assert_int_equal(
	    okra__state_checkin_values(st, "nps", &early, 1, out, &err),
	    OKRA_OK);
	assert_true(isnan(out[0])); /* before the first check-in */
	assert_int_equal(
	    okra__state_checkin_values(st, "csat", dates, 1, out, &err),
	    OKRA_OK);
	assert_true(out[0] == 4.2);
	assert_int_equal(
	    okra__state_checkin_values(st, "signups", dates, 1, out, &err),
	    OKRA_OK);
	assert_true(isnan(out[0]));

	okra_arena a = {0};
	okra_checkin_row *rows = NULL;
	size_t n = 0;
	assert_int_equal(okra__state_checkins(st, "nps", &a, &rows, &n, &err),
	                 OKRA_OK);
	assert_int_equal(n, 6);
	assert_true(rows[0].value == 10 && rows[0].day == day_of("2026-09-15"));
	assert_true(rows[2].value == 35.5 && rows[3].value == -2 &&
	            rows[4].value == 40);
	assert_int_equal(okra__state_checkins(st, NULL, &a, &rows, &n, &err),
	                 OKRA_OK);
	assert_int_equal(n, 7);
	assert_string_equal(rows[0].metric, "csat");
	okra__arena_free(&a);
	okra__state_close(st);
}

static void expect_checkin_error(fixture *f, okra_state *st, const char *metric,
                                 const char *value, int32_t day,
                                 const char *note, const char *want)
{
	okra_err err = {0};
	assert_int_equal(
	    state_checkin(st, f->ws, metric, value, day, note, &err),
	    OKRA_ERR_USAGE);
	assert_string_equal(err.msg, want);
}

static void test_checkin_validation(void **state)
{
	fixture *f = *state;
	okra_state *st = open_write(f);
	int32_t day = day_of("2026-10-01");
	expect_checkin_error(f, st, "npz", "41", day, NULL,
	                     "unknown metric \"npz\"; did you mean \"nps\"?");
	expect_checkin_error(f, st, "zzzzzz", "41", day, NULL,
	                     "unknown metric \"zzzzzz\"");
	expect_checkin_error(f, st, "signups", "41", day, NULL,
	                     "metric \"signups\" is a count metric: its value "
	                     "comes from the data; "
	                     "only manual metrics take check-ins");
	const char *not_numbers[] = {"abc",   "",    "4 1",  "0x10",
	                             "nan",   "inf", "1e",   "--1",
	                             "1.2.3", " 4",  "1e999"};
	for (size_t i = 0; i < sizeof(not_numbers) / sizeof(*not_numbers);
	     i++) {
		char want[64];
		snprintf(want, sizeof(want), "value \"%s\" is not a number",
		         not_numbers[i]);
		expect_checkin_error(f, st, "nps", not_numbers[i], day, NULL,
		                     want);
	}
	char want[64], text[11];
	okra__format_date(okra__state_today() + 1, text);
	snprintf(want, sizeof(want), "date %s is in the future", text);
	expect_checkin_error(f, st, "nps", "41", okra__state_today() + 1, NULL,
	                     want);
	expect_checkin_error(f, st, "nps", "41", day, "caf\xc3",
	                     "the note is not valid UTF-8");
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM checkin"), 0);

	/* Accepted forms; day -1 = today. */
	okra_err err = {0};
	const char *numbers[] = {"41", "-3", "+2",  "0.5",
	                         ".5", "5.", "1e3", "-2.5E-2"};
	for (size_t i = 0; i < sizeof(numbers) / sizeof(*numbers); i++)
		assert_int_equal(state_checkin(st, f->ws, "nps", numbers[i], -1,
		                               "caf\xc3\xa9", &err),
		                 OKRA_OK);
	assert_int_equal(
	    raw_int(f->db,
	            "SELECT count(*) FROM checkin WHERE day = date('now')"),
	    8);
	okra__state_close(st);
}

/* ======================================================================
 * Confidence, reviews, decisions
 * ====================================================================== */

static void test_confidence(void **state)
{
	fixture *f = *state;
	okra_state *st = open_write(f);
	okra_err err = {0};
	assert_int_equal(okra__state_confidence(st, f->ws, "nps_up", "7",
	                                        day_of("2026-10-05"),
	                                        "on track", &err),
	                 OKRA_OK);
	assert_int_equal(okra__state_confidence(st, f->ws, "nps_up", "4",
	                                        day_of("2026-10-01"), NULL,
	                                        &err),
	                 OKRA_OK);
	assert_int_equal(okra__state_confidence(st, f->ws, "nps_up", "10",
	                                        day_of("2026-10-05"), NULL,
	                                        &err),
	                 OKRA_OK);
	assert_int_equal(
	    okra__state_confidence(st, f->ws, "nps_upp", "5", -1, NULL, &err),
	    OKRA_ERR_USAGE);
	assert_string_equal(
	    err.msg,
	    "unknown key result \"nps_upp\"; did you mean \"nps_up\"?");
	const char *bad[] = {"11", "-1", "7.5", "", "x", "007"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char want[96];
		snprintf(want, sizeof(want),
		         "confidence must be a whole number from 0 to 10, not "
		         "\"%s\"",
		         bad[i]);
		assert_int_equal(okra__state_confidence(st, f->ws, "nps_up",
		                                        bad[i], -1, NULL, &err),
		                 OKRA_ERR_USAGE);
		assert_string_equal(err.msg, want);
	}
	okra_arena a = {0};
	okra_confidence *c = NULL;
	size_t n = 0;
	assert_int_equal(
	    okra__state_confidences(st, "nps_up", &a, &c, &n, &err), OKRA_OK);
	assert_int_equal(n, 3);
	assert_int_equal(c[0].value, 4);
	assert_null(c[0].note);
	assert_int_equal(c[1].value, 7);
	assert_string_equal(c[1].note, "on track");
	assert_int_equal(c[2].value, 10);
	assert_int_equal(c[2].day, day_of("2026-10-05"));
	assert_int_equal(
	    okra__state_confidences(NULL, "nps_up", &a, &c, &n, &err), OKRA_OK);
	assert_int_equal(n, 0);
	okra__arena_free(&a);
	okra__state_close(st);
}

static void test_review_save_replace_prev(void **state)
{
	fixture *f = *state;
	okra_state *st = open_write(f);
	okra_err err = {0};
	okra_arena a = {0};
	okra_snapshot *s = NULL;
	size_t n = 9;
	int32_t prev = 0;
	int32_t d1 = day_of("2026-10-05"), d2 = day_of("2026-10-12"),
	        d3 = day_of("2026-10-19");

	assert_int_equal(
	    okra__state_review_prev(st, d2, &a, &prev, &s, &n, &err), OKRA_OK);
	assert_int_equal(prev, -1);
	assert_int_equal(n, 0);

	okra_snapshot first[] = {
	    {"nps_up", 31, 30.5, 0.07, "green"},
	    {"csat_up", NAN, 4.2, NAN, "no data"},
	};
	assert_int_equal(okra__state_review_save(st, d1, first, 2, &err),
	                 OKRA_OK);
	okra_snapshot second[] = {{"nps_up", 33, 32, 0.2, "yellow"}};
	assert_int_equal(okra__state_review_save(st, d2, second, 1, &err),
	                 OKRA_OK);

	assert_int_equal(
	    okra__state_review_prev(st, d2, &a, &prev, &s, &n, &err), OKRA_OK);
	assert_int_equal(prev, d1);
	assert_int_equal(n, 2);
	assert_string_equal(s[0].kr, "csat_up"); /* by key result id */
	assert_true(isnan(s[0].value) && s[0].expected == 4.2 &&
	            isnan(s[0].score));
	assert_string_equal(s[0].status, "no data");
	assert_string_equal(s[1].kr, "nps_up");
	assert_true(s[1].value == 31 && s[1].expected == 30.5 &&
	            s[1].score == 0.07);
	assert_string_equal(s[1].status, "green");

	assert_int_equal(
	    okra__state_review_prev(st, d1, &a, &prev, &s, &n, &err), OKRA_OK);
	assert_int_equal(prev, -1);
	assert_int_equal(n, 0);
	assert_int_equal(
	    okra__state_review_prev(st, d3, &a, &prev, &s, &n, &err), OKRA_OK);
	assert_int_equal(prev, d2);
	assert_int_equal(n, 1);

	/* The same as-of again replaces the review, snapshots and all. */
	okra_snapshot again[] = {{"nps_up", 40, 30.5, 0.67, "done"}};
	assert_int_equal(okra__state_review_save(st, d1, again, 1, &err),
	                 OKRA_OK);
	assert_int_equal(
	    okra__state_review_prev(st, d2, &a, &prev, &s, &n, &err), OKRA_OK);
	assert_int_equal(prev, d1);
	assert_int_equal(n, 1);
	assert_true(s[0].value == 40);
	assert_string_equal(s[0].status, "done");
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM snapshot"), 2);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM review"), 2);

	/* A bad status or a key result twice: nothing changes. */
	okra_snapshot bad[] = {{"nps_up", 1, 1, 1, "blue"}};
	assert_int_equal(okra__state_review_save(st, d3, bad, 1, &err),
	                 OKRA_ERR_USAGE);
	okra_snapshot twice[] = {{"nps_up", 1, 1, 1, "red"},
	                         {"nps_up", 2, 2, 2, "red"}};
	assert_int_equal(okra__state_review_save(st, d3, twice, 2, &err),
	                 OKRA_ERR_USAGE);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM review"), 2);
	/* No state: no previous review. */
	assert_int_equal(
	    okra__state_review_prev(NULL, d3, &a, &prev, &s, &n, &err),
	    OKRA_OK);
	assert_int_equal(prev, -1);
	okra__arena_free(&a);
	okra__state_close(st);
}

static void test_decisions(void **state)
{
	fixture *f = *state;
	okra_state *st = open_write(f);
	okra_err err = {0};
	assert_int_equal(
	    okra__state_decision_add(st, "progress_bar", "keep running",
	                             day_of("2026-10-12"), NULL, &err),
	    OKRA_OK);
	assert_int_equal(okra__state_decision_add(st, "progress_bar", "ship",
	                                          day_of("2026-10-26"),
	                                          "lift +4 pts", &err),
	                 OKRA_OK);
	assert_int_equal(okra__state_decision_add(st, "progress_bar", "maybe",
	                                          -1, NULL, &err),
	                 OKRA_ERR_USAGE);
	okra_arena a = {0};
	okra_decision *d = NULL;
	size_t n = 0;
	assert_int_equal(
	    okra__state_decisions(st, "progress_bar", &a, &d, &n, &err),
	    OKRA_OK);
	assert_int_equal(n, 2);
	assert_string_equal(d[0].decision, "keep running");
	assert_string_equal(d[1].decision, "ship");
	assert_string_equal(d[1].note, "lift +4 pts");
	assert_null(d[1].computed);
	/* With okra's computed decision beside the team's. */
	assert_int_equal(okra__state_decision_record(st, "progress_bar", "stop",
	                                             day_of("2026-10-27"), NULL,
	                                             "keep_running", &err),
	                 OKRA_OK);
	assert_int_equal(okra__state_decision_record(st, "progress_bar", "stop",
	                                             day_of("2026-10-27"), NULL,
	                                             "probably", &err),
	                 OKRA_ERR_USAGE);
	assert_int_equal(
	    okra__state_decisions(st, "progress_bar", &a, &d, &n, &err),
	    OKRA_OK);
	assert_int_equal(n, 3);
	assert_string_equal(d[2].decision, "stop");
	assert_string_equal(d[2].computed, "keep_running");
	okra__arena_free(&a);
	okra__state_close(st);
}

/* A database of schema version 1 (before decisions kept okra's computed
 * decision) is upgraded in place: its decisions stay, computed null. */
static void test_decisions_migrate_from_v1(void **state)
{
	fixture *f = *state;
	char dir[300];
	snprintf(dir, sizeof(dir), "%s/.okra", f->root);
	assert_int_equal(mkdir(dir, 0755), 0);
	raw_sql(f->db,
	        "CREATE TABLE decision (id INTEGER PRIMARY KEY, uid TEXT NOT "
	        "NULL UNIQUE DEFAULT (lower(hex(randomblob(8)))), experiment "
	        "TEXT NOT NULL, day TEXT NOT NULL, decision TEXT NOT NULL, "
	        "note TEXT, created_at TEXT NOT NULL);"
	        "CREATE TABLE checkin (id INTEGER PRIMARY KEY, uid TEXT NOT "
	        "NULL UNIQUE, metric TEXT NOT NULL, day TEXT NOT NULL, value "
	        "REAL NOT NULL, note TEXT, created_at TEXT NOT NULL);"
	        "CREATE TABLE review (asof TEXT PRIMARY KEY, created_at TEXT "
	        "NOT NULL);"
	        "CREATE TABLE snapshot (asof TEXT NOT NULL REFERENCES review "
	        "(asof) ON DELETE CASCADE, key_result TEXT NOT NULL, value "
	        "REAL, expected REAL, score REAL, status TEXT NOT NULL, "
	        "PRIMARY KEY (asof, key_result)) WITHOUT ROWID;"
	        "INSERT INTO decision (experiment, day, decision, created_at) "
	        "VALUES ('exp_a', '2026-10-03', 'ship', "
	        "'2026-10-03T10:00:00.000000Z');"
	        "PRAGMA application_id = 1869312609; PRAGMA user_version = 1");
	okra_state *st = NULL;
	okra_err err = {0};
	assert_int_equal(okra__state_open(f->ws, false, &st, &err), OKRA_OK);
	okra_arena a = {0};
	okra_decision *d = NULL;
	size_t n = 0;
	assert_int_equal(okra__state_decisions(st, "exp_a", &a, &d, &n, &err),
	                 OKRA_OK);
	assert_int_equal(n, 1);
	assert_string_equal(d[0].decision, "ship");
	assert_null(d[0].computed);
	okra__arena_free(&a);
	okra__state_close(st);
	assert_int_equal(raw_int(f->db, "PRAGMA user_version"), 4);
}

/* ======================================================================
 * Export and import
 * ====================================================================== */

static char *export_text(okra_state *st)
{
	okra_buf b = {0};
	okra_err err = {0};
	assert_int_equal(okra__state_export(st, &b, &err), OKRA_OK);
	return b.data;
}

static void test_export_import_round_trip(void **state)
{
	fixture *f = *state;
	okra_state *st = open_write(f);
	okra_err err = {0};
	checkin(st, f, "nps", "41", "2026-10-01");
	checkin(st, f, "nps", "0.1", "2026-10-01");
	assert_int_equal(
	    state_checkin(st, f->ws, "csat", "4.25", day_of("2026-09-01"),
	                  "tab\there \"quoted\" caf\xc3\xa9", &err),
	    OKRA_OK);
	assert_int_equal(okra__state_confidence(st, f->ws, "nps_up", "6",
	                                        day_of("2026-10-02"), NULL,
	                                        &err),
	                 OKRA_OK);
	okra_snapshot snaps[] = {{"nps_up", 41, 30.5, NAN, "green"}};
	assert_int_equal(
	    okra__state_review_save(st, day_of("2026-10-05"), snaps, 1, &err),
	    OKRA_OK);
	assert_int_equal(okra__state_decision_add(st, "exp_a", "stop",
	                                          day_of("2026-10-03"), NULL,
	                                          &err),
	                 OKRA_OK);
	char *first = export_text(st);
	okra__state_close(st);
	assert_non_null(strstr(
	    first,
	    "{\"table\":\"okra\",\"format\":1}\n{\"table\":\"checkin\""));
	assert_non_null(strstr(first, "\"value\":0.1,"));
	assert_non_null(strstr(
	    first, "\"note\":\"tab\\there \\\"quoted\\\" caf\xc3\xa9\""));
	assert_non_null(strstr(first, "\"decision\":\"stop\",\"note\":null,"));
	assert_non_null(strstr(first, ",\"computed\":null}"));
	assert_non_null(strstr(first, "\"value\":41,\"expected\":30.5,"
	                              "\"score\":null,\"status\":\"green\"}"));

	/* Into a fresh workspace: the same bytes come back out. */
	fixture g;
	snprintf(g.root, sizeof(g.root), "/tmp/okra-test-state-XXXXXX");
	assert_non_null(mkdtemp(g.root));
	snprintf(g.db, sizeof(g.db), "%s/.okra/okra.db", g.root);
	okra_source src = {"okra.yaml", okra_yaml, sizeof(okra_yaml) - 1};
	okra_findings *findings = okra_findings_new();
	assert_int_equal(okra__workspace_from_sources(g.root, &src, 1, findings,
	                                              &g.ws, &err),
	                 OKRA_OK);
	okra_findings_free(findings);
	okra_arena a = {0};
	okra_import *im = NULL;
	unsigned long long added = 0, present = 0;
	assert_int_equal(okra__state_import_parse(first, strlen(first),
	                                          "state.jsonl", &a, &im, &err),
	                 OKRA_OK);
	okra_state *st2 = open_write(&g);
	assert_int_equal(
	    okra__state_import_apply(st2, im, &added, &present, &err), OKRA_OK);
	assert_int_equal(added, 7);
	assert_int_equal(present, 0);
	char *second = export_text(st2);
	assert_string_equal(first, second);
	/* Again: nothing changes. */
	assert_int_equal(
	    okra__state_import_apply(st2, im, &added, &present, &err), OKRA_OK);
	assert_int_equal(added, 0);
	assert_int_equal(present, 7);
	char *third = export_text(st2);
	assert_string_equal(first, third);
	/* The as-of semantics survive: the later of the two same-day ones. */
	double v;
	int32_t d = day_of("2026-10-01");
	assert_int_equal(
	    okra__state_checkin_values(st2, "nps", &d, 1, &v, &err), OKRA_OK);
	assert_true(v == 0.1);
	okra__state_close(st2);
	okra__arena_free(&a);
	free(first);
	free(second);
	free(third);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g.root);
	assert_int_equal(system(cmd), 0);
	okra_workspace_free(g.ws);
}

/* Check-ins with an author, and corrections: a correction supersedes a
 * row, which stays as history and no longer counts; export and import
 * carry both fields, read older exports without them, and refuse a
 * correction of nothing or of another metric's check-in. */
static okra_rc correct(okra_state *st, fixture *f, const char *metric,
                       const char *value, const char *day, const char *author,
                       long long corrects, long long *id, okra_err *err)
{
	okra_checkin_req q = {.metric = metric,
	                      .value = value,
	                      .day = day ? day_of(day) : -1,
	                      .author = author,
	                      .corrects = corrects};
	return okra__state_checkin(st, f->ws, &q, id, NULL, err);
}

static void test_checkin_corrections(void **state)
{
	fixture *f = *state;
	okra_state *st = open_write(f);
	okra_err err = {0};
	long long id1 = 0, id2 = 0, id3 = 0;
	assert_int_equal(
	    correct(st, f, "nps", "41", "2026-10-01", "alice", 0, &id1, &err),
	    OKRA_OK);
	assert_int_equal(
	    correct(st, f, "nps", "45", NULL, "bob", id1, &id2, &err), OKRA_OK);
	assert_true(id2 > id1);
	/* The correction kept the day; the value as of it is the new one. */
	double v;
	int32_t d = day_of("2026-10-01");
	assert_int_equal(okra__state_checkin_values(st, "nps", &d, 1, &v, &err),
	                 OKRA_OK);
	assert_true(v == 45);
	/* A corrected row is corrected through its correction. */
	assert_int_equal(
	    correct(st, f, "nps", "1", NULL, NULL, id1, NULL, &err),
	    OKRA_ERR_USAGE);
	assert_non_null(strstr(err.msg, "was corrected already by"));
	assert_int_equal(
	    correct(st, f, "csat", "1", NULL, NULL, id2, NULL, &err),
	    OKRA_ERR_USAGE);
	assert_non_null(strstr(err.msg, "is of metric \"nps\""));
	assert_int_equal(
	    correct(st, f, "nps", "1", NULL, NULL, 999, NULL, &err),
	    OKRA_ERR_USAGE);
	assert_non_null(strstr(err.msg, "no check-in #999"));
	/* Authors: none, or 1..200 bytes of UTF-8 without control bytes. */
	assert_int_equal(correct(st, f, "nps", "1", NULL, "", 0, NULL, &err),
	                 OKRA_ERR_USAGE);
	assert_int_equal(
	    correct(st, f, "nps", "1", NULL, "a\nb", 0, NULL, &err),
	    OKRA_ERR_USAGE);
	assert_string_equal(err.msg, "the author has a control character");
	assert_int_equal(
	    correct(st, f, "nps", "1", NULL, "\xff", 0, NULL, &err),
	    OKRA_ERR_USAGE);
	char long_name[300];
	memset(long_name, 'x', 201);
	long_name[201] = '\0';
	assert_int_equal(
	    correct(st, f, "nps", "1", NULL, long_name, 0, NULL, &err),
	    OKRA_ERR_USAGE);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM checkin"), 2);
	/* Moved to an earlier day: exported before the row it corrects. */
	assert_int_equal(
	    correct(st, f, "nps", "44", "2026-09-30", "carol", id2, &id3, &err),
	    OKRA_OK);
	okra_arena a = {0};
	okra_checkin_row *rows = NULL;
	size_t n = 0;
	assert_int_equal(okra__state_checkins(st, "nps", &a, &rows, &n, &err),
	                 OKRA_OK);
	assert_int_equal(n, 3);
	assert_true(rows[0].id == id3 && rows[0].corrects == id2 &&
	            rows[0].corrected_by == 0);
	assert_string_equal(rows[0].author, "carol");
	assert_true(rows[1].id == id1 && rows[1].corrected_by == id2);
	assert_true(rows[2].id == id2 && rows[2].corrects == id1 &&
	            rows[2].corrected_by == id3);
	char *text = export_text(st);
	okra__state_close(st);
	assert_non_null(strstr(text, "\"author\":\"carol\",\"supersedes\":\""));
	assert_non_null(
	    strstr(text, "\"author\":\"alice\",\"supersedes\":null"));

	/* Into a fresh workspace: the same bytes, the same values. */
	fixture g;
	snprintf(g.root, sizeof(g.root), "/tmp/okra-test-state-XXXXXX");
	assert_non_null(mkdtemp(g.root));
	snprintf(g.db, sizeof(g.db), "%s/.okra/okra.db", g.root);
	okra_source src = {"okra.yaml", okra_yaml, sizeof(okra_yaml) - 1};
	okra_findings *findings = okra_findings_new();
	assert_int_equal(okra__workspace_from_sources(g.root, &src, 1, findings,
	                                              &g.ws, &err),
	                 OKRA_OK);
	okra_findings_free(findings);
	okra_import *im = NULL;
	unsigned long long added = 0, present = 0;
	assert_int_equal(okra__state_import_parse(text, strlen(text),
	                                          "state.jsonl", &a, &im, &err),
	                 OKRA_OK);
	okra_state *st2 = open_write(&g);
	assert_int_equal(
	    okra__state_import_apply(st2, im, &added, &present, &err), OKRA_OK);
	assert_int_equal(added, 3);
	char *again = export_text(st2);
	assert_string_equal(text, again);
	int32_t days[2] = {day_of("2026-09-29"), day_of("2026-10-01")};
	double vals[2];
	assert_int_equal(
	    okra__state_checkin_values(st2, "nps", days, 2, vals, &err),
	    OKRA_OK);
	assert_true(isnan(vals[0]) && vals[1] == 44);

	/* An older export (no author, no supersedes) still imports. */
	const char *old =
	    "{\"table\":\"okra\",\"format\":1}\n"
	    "{\"table\":\"checkin\",\"uid\":\"00000000000000aa\","
	    "\"metric\":\"csat\",\"date\":\"2026-09-01\",\"value\":"
	    "4,\"note\":null,\"created_at\":\"2026-09-01T09:00:"
	    "00.000000Z\"}\n";
	assert_int_equal(okra__state_import_parse(old, strlen(old), "old.jsonl",
	                                          &a, &im, &err),
	                 OKRA_OK);
	assert_int_equal(
	    okra__state_import_apply(st2, im, &added, &present, &err), OKRA_OK);
	assert_int_equal(added, 1);
	assert_int_equal(raw_int(g.db, "SELECT count(*) FROM checkin WHERE "
	                               "uid = '00000000000000aa' AND author "
	                               "IS NULL AND supersedes IS NULL"),
	                 1);
	/* A correction of nothing, or of another metric's check-in: refused
	 * with its line, nothing written. */
	const char *dangling =
	    "{\"table\":\"okra\",\"format\":1}\n"
	    "{\"table\":\"checkin\",\"uid\":\"00000000000000bb\",\"metric\":"
	    "\"nps\",\"date\":\"2026-09-02\",\"value\":4,\"note\":null,"
	    "\"created_at\":\"2026-09-02T09:00:00.000000Z\",\"author\":null,"
	    "\"supersedes\":\"00000000000000cc\"}\n";
	assert_int_equal(okra__state_import_parse(dangling, strlen(dangling),
	                                          "in.jsonl", &a, &im, &err),
	                 OKRA_OK);
	assert_int_equal(
	    okra__state_import_apply(st2, im, &added, &present, &err),
	    OKRA_ERR_DATA);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "neither in the database nor in the"));
	const char *cross =
	    "{\"table\":\"okra\",\"format\":1}\n"
	    "{\"table\":\"checkin\",\"uid\":\"00000000000000bb\",\"metric\":"
	    "\"nps\",\"date\":\"2026-09-02\",\"value\":4,\"note\":null,"
	    "\"created_at\":\"2026-09-02T09:00:00.000000Z\",\"author\":\"x\","
	    "\"supersedes\":\"00000000000000aa\"}\n";
	assert_int_equal(okra__state_import_parse(cross, strlen(cross),
	                                          "in.jsonl", &a, &im, &err),
	                 OKRA_OK);
	assert_int_equal(
	    okra__state_import_apply(st2, im, &added, &present, &err),
	    OKRA_ERR_DATA);
	assert_non_null(strstr(err.msg, "a check-in of another metric"));
	assert_int_equal(raw_int(g.db, "SELECT count(*) FROM checkin"), 4);
	okra__state_close(st2);
	okra__arena_free(&a);
	free(text);
	free(again);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g.root);
	assert_int_equal(system(cmd), 0);
	okra_workspace_free(g.ws);
}

static void expect_import_error(const char *text, const char *want_msg,
                                int want_line)
{
	okra_arena a = {0};
	okra_import *im = NULL;
	okra_err err = {0};
	assert_int_equal(okra__state_import_parse(text, strlen(text),
	                                          "in.jsonl", &a, &im, &err),
	                 OKRA_ERR_DATA);
	assert_string_equal(err.file, "in.jsonl");
	assert_int_equal(err.line, want_line);
	if (!strstr(err.msg, want_msg))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, want_msg);
	okra__arena_free(&a);
}

static void test_import_errors(void **state)
{
	fixture *f = *state;
	const char *head = "{\"table\":\"okra\",\"format\":1}\n";
	const char *good = "{\"table\":\"checkin\",\"uid\":"
	                   "\"0123456789abcdef\",\"metric\":\"nps\","
	                   "\"date\":\"2026-10-01\",\"value\":41,\"note\":null,"
	                   "\"created_at\":\"2026-10-01T09:00:00.000000Z\"}\n";
	char text[2048];
	expect_import_error("", "empty file", 1);
	expect_import_error("{\"table\":\"checkin\"}\n",
	                    "the first line must be the header", 1);
	expect_import_error("{\"table\":\"okra\",\"format\":2}\n",
	                    "export format 2", 1);
	snprintf(text, sizeof(text), "%s%s{\"table\":\"checkin\",", head, good);
	expect_import_error(text, "invalid JSON", 3);
	snprintf(text, sizeof(text), "%s\n\n%s[1]\n", head, good);
	expect_import_error(text, "a line must be one JSON object", 5);
	snprintf(text, sizeof(text), "%s{\"table\":\"metric\"}\n", head);
	expect_import_error(text, "unknown table \"metric\"", 2);
	snprintf(text, sizeof(text),
	         "%s{\"table\":\"review\",\"asof\":\"2026-10-05\"}\n", head);
	expect_import_error(text, "review: missing key \"created_at\"", 2);
	snprintf(
	    text, sizeof(text),
	    "%s{\"table\":\"review\",\"asof\":\"2026-10-05\",\"created_at\":"
	    "\"2026-10-05T00:00:00.000000Z\",\"who\":1}\n",
	    head);
	expect_import_error(text, "review: unknown key \"who\"", 2);
	snprintf(
	    text, sizeof(text),
	    "%s{\"table\":\"review\",\"asof\":\"2026-02-30\",\"created_at\":"
	    "\"2026-10-05T00:00:00.000000Z\"}\n",
	    head);
	expect_import_error(text, "review: \"asof\" must be a date YYYY-MM-DD",
	                    2);
	snprintf(text, sizeof(text),
	         "%s{\"table\":\"confidence\",\"uid\":\"0123456789abcdef\","
	         "\"key_result\":\"k\","
	         "\"date\":\"2026-10-01\",\"value\":11,\"note\":null,"
	         "\"created_at\":\"2026-10-01T09:00:00.000000Z\"}\n",
	         head);
	expect_import_error(
	    text, "confidence: \"value\" must be a whole number from 0 to 10",
	    2);
	snprintf(text, sizeof(text),
	         "%s{\"table\":\"checkin\",\"uid\":\"0123456789ABCDEF\","
	         "\"metric\":\"nps\","
	         "\"date\":\"2026-10-01\",\"value\":41,\"note\":null,"
	         "\"created_at\":\"2026-10-01T09:00:00.000000Z\"}\n",
	         head);
	expect_import_error(
	    text, "checkin: \"uid\" must be 16 lowercase hex digits", 2);
	snprintf(text, sizeof(text),
	         "%s{\"table\":\"checkin\",\"uid\":\"0123456789abcdef\","
	         "\"metric\":\"nps\","
	         "\"date\":\"2026-10-01\",\"value\":\"41\",\"note\":null,"
	         "\"created_at\":\"2026-10-01T09:00:00.000000Z\"}\n",
	         head);
	expect_import_error(text, "checkin: \"value\" must be a number", 2);
	snprintf(text, sizeof(text),
	         "%s{\"table\":\"checkin\",\"uid\":\"0123456789abcdef\","
	         "\"metric\":\"nps\","
	         "\"date\":\"2099-10-01\",\"value\":41,\"note\":null,"
	         "\"created_at\":\"2026-10-01T09:00:00.000000Z\"}\n",
	         head);
	expect_import_error(text,
	                    "checkin: \"date\" 2099-10-01 is in the future", 2);
	snprintf(text, sizeof(text),
	         "%s{\"table\":\"checkin\",\"uid\":\"0123456789abcdef\","
	         "\"metric\":\"nps\","
	         "\"date\":\"2026-10-01\",\"value\":41,\"note\":null,"
	         "\"created_at\":\"2026-10-01 09:00:00\"}\n",
	         head);
	expect_import_error(text, "checkin: \"created_at\" must be a UTC time",
	                    2);
	snprintf(text, sizeof(text),
	         "%s{\"table\":\"snapshot\",\"asof\":\"2026-10-05\",\"key_"
	         "result\":\"k\","
	         "\"value\":null,\"expected\":1,\"score\":0.5,\"status\":"
	         "\"blue\"}\n",
	         head);
	expect_import_error(text, "snapshot: \"status\" must be green", 2);
	snprintf(text, sizeof(text),
	         "%s{\"table\":\"checkin\",\"table\":\"checkin\"}\n", head);
	expect_import_error(text, "invalid JSON: duplicate object key", 2);

	/* A snapshot of a review that is nowhere: found when applied, and the
	 * whole import is rolled back. */
	snprintf(
	    text, sizeof(text),
	    "%s%s{\"table\":\"snapshot\",\"asof\":\"2026-10-05\",\"key_"
	    "result\":\"k\","
	    "\"value\":null,\"expected\":1,\"score\":0.5,\"status\":\"red\"}\n",
	    head, good);
	okra_arena a = {0};
	okra_import *im = NULL;
	okra_err err = {0};
	unsigned long long added = 0, present = 0;
	assert_int_equal(okra__state_import_parse(text, strlen(text),
	                                          "in.jsonl", &a, &im, &err),
	                 OKRA_OK);
	okra_state *st = open_write(f);
	assert_int_equal(
	    okra__state_import_apply(st, im, &added, &present, &err),
	    OKRA_ERR_DATA);
	assert_int_equal(err.line, 3);
	assert_string_equal(
	    err.msg, "snapshot: review 2026-10-05 is neither in the database "
	             "nor earlier in the file");
	okra__state_close(st);
	assert_int_equal(raw_int(f->db, "SELECT count(*) FROM checkin"), 0);
	okra__arena_free(&a);
}

/* ======================================================================
 * Helpers
 * ====================================================================== */

static void test_number_format(void **state)
{
	(void)state;
	const double values[] = {
	    41,   30,      100,           -500, 0.1,     -3.5,
	    1e21, 1.0 / 3, 123456789.125, -0.0, 0.00001, 99999999999999999.0};
	const char *const texts[] = {"41",
	                             "30",
	                             "100",
	                             "-500",
	                             "0.1",
	                             "-3.5",
	                             "1e+21",
	                             "0.3333333333333333",
	                             "123456789.125",
	                             "-0",
	                             "1e-05",
	                             "1e+17"};
	for (size_t i = 0; i < sizeof(values) / sizeof(*values); i++) {
		okra_buf b = {0};
		okra__state_format_number(&b, values[i]);
		assert_string_equal(b.data, texts[i]);
		double back = 0;
		assert_true(okra__state_parse_number(b.data, &back));
		assert_true(back == values[i]);
		okra__buf_free(&b);
	}
	assert_true(okra__state_is_utf8("plain"));
	assert_true(
	    okra__state_is_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8d\x8b"));
	assert_false(okra__state_is_utf8("\xc0\xaf"));     /* overlong */
	assert_false(okra__state_is_utf8("\xed\xa0\x80")); /* surrogate */
	assert_false(
	    okra__state_is_utf8("\xf4\x90\x80\x80"));  /* past U+10FFFF */
	assert_false(okra__state_is_utf8("\xe2\x82")); /* cut short */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_migrate_from_empty, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_reopen_is_idempotent, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_newer_version_refused, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_foreign_refused, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_corrupt_refused, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_checkin_values_as_of, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_checkin_validation, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_confidence, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_review_save_replace_prev,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_decisions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_decisions_migrate_from_v1,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_export_import_round_trip,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_checkin_corrections, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_import_errors, setup,
	                                    teardown),
	    cmocka_unit_test(test_number_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
