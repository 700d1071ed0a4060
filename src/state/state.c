/*
 * state.c - the state database .okra/okra.db: opening it (creating,
 * migrating, refusing what is not okra's), and the reads and writes of
 * check-ins, confidence, review snapshots and experiment decisions.
 *
 * Invariants: a file that is corrupt, foreign or from a newer okra is
 * never written to (nothing but reads happen before it is recognised);
 * only regular files are opened (no FIFO, device or symbolic link as the
 * database or its companions); a new database appears whole (built
 * beside and linked into place); every write is one BEGIN IMMEDIATE
 * transaction; read-only opens never create the file.  Definitions live
 * in YAML, never only here.
 */
#include "state/state_int.h"
#include "base/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* PRAGMA application_id of every okra database: "okra" in ASCII. */
#define OKRA_APPLICATION_ID 0x6f6b7261

/* ---------------------------------------------------------------------
 * Schema: migrations keyed on PRAGMA user_version
 *
 * migrations[i] takes a database from version i to i + 1, in one
 * transaction that also bumps user_version.  Append only: a released
 * migration is never edited.  Dates are TEXT YYYY-MM-DD (checked with
 * date(), which also rejects 2026-02-30); created_at is the UTC write
 * time with microseconds; uid keys a row across export and import.
 * --------------------------------------------------------------------- */

#define DAY_CHECK(col) "CHECK (date(" col ") IS " col ")"

static const char *const migrations[] = {
    /* 1: check-ins, confidence, reviews with snapshots, decisions. */
    "CREATE TABLE checkin (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  uid TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(8)))),\n"
    "  metric TEXT NOT NULL,\n"
    "  day TEXT NOT NULL " DAY_CHECK(
        "day") ",\n"
               "  value REAL NOT NULL,\n"
               "  note TEXT,\n"
               "  created_at TEXT NOT NULL\n"
               ");\n"
               "CREATE INDEX checkin_by_metric ON checkin (metric, day, "
               "created_at);\n"
               "CREATE TABLE confidence (\n"
               "  id INTEGER PRIMARY KEY,\n"
               "  uid TEXT NOT NULL UNIQUE DEFAULT "
               "(lower(hex(randomblob(8)))),\n"
               "  key_result TEXT NOT NULL,\n"
               "  day TEXT NOT NULL " DAY_CHECK(
                   "day") ",\n"
                          "  value INTEGER NOT NULL CHECK (value BETWEEN 0 AND "
                          "10),\n"
                          "  note TEXT,\n"
                          "  created_at TEXT NOT NULL\n"
                          ");\n"
                          "CREATE INDEX confidence_by_kr ON confidence "
                          "(key_result, day, created_at);\n"
                          "CREATE TABLE review (\n"
                          "  asof TEXT PRIMARY KEY " DAY_CHECK(
                              "asof") ",\n"
                                      "  created_at TEXT NOT NULL\n"
                                      ");\n"
                                      "CREATE TABLE snapshot (\n"
                                      "  asof TEXT NOT NULL REFERENCES review "
                                      "(asof) ON DELETE CASCADE,\n"
                                      "  key_result TEXT NOT NULL,\n"
                                      "  value REAL,\n"
                                      "  expected REAL,\n"
                                      "  score REAL,\n"
                                      "  status TEXT NOT NULL CHECK (status IN "
                                      "('green', 'yellow', 'red', 'done', 'no "
                                      "data')),\n"
                                      "  PRIMARY KEY (asof, key_result)\n"
                                      ") WITHOUT ROWID;\n"
                                      "CREATE TABLE decision (\n"
                                      "  id INTEGER PRIMARY KEY,\n"
                                      "  uid TEXT NOT NULL UNIQUE DEFAULT "
                                      "(lower(hex(randomblob(8)))),\n"
                                      "  experiment TEXT NOT NULL,\n"
                                      "  day TEXT NOT NULL " DAY_CHECK(
                                          "day") ",\n"
                                                 "  decision TEXT NOT NULL "
                                                 "CHECK (decision IN ('ship', "
                                                 "'iterate', 'stop', 'keep "
                                                 "running')),\n"
                                                 "  note TEXT,\n"
                                                 "  created_at TEXT NOT NULL\n"
                                                 ");\n"
                                                 "CREATE INDEX "
                                                 "decision_by_experiment ON "
                                                 "decision (experiment, day, "
                                                 "created_at);\n",
    /* 2: a decision keeps what okra computed when the team decided. */
    "ALTER TABLE decision ADD COLUMN computed TEXT CHECK (computed IS NULL "
    "OR computed IN ('keep_running', 'ship', 'stop', 'iterate', "
    "'invalid'));\n",
    /* 3: milestones marked done or open again; a snapshot may be 'open'
     * (a milestone not done and not overdue). */
    "CREATE TABLE milestone (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  uid TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(8)))),\n"
    "  key_result TEXT NOT NULL,\n"
    "  day TEXT NOT NULL " DAY_CHECK(
        "day") ",\n"
               "  state TEXT NOT NULL CHECK (state IN ('done', 'open')),\n"
               "  note TEXT,\n"
               "  created_at TEXT NOT NULL\n"
               ");\n"
               "CREATE INDEX milestone_by_kr ON milestone (key_result, day, "
               "created_at);\n"
               "CREATE TABLE snapshot_3 (\n"
               "  asof TEXT NOT NULL REFERENCES review (asof) ON DELETE "
               "CASCADE,\n"
               "  key_result TEXT NOT NULL,\n"
               "  value REAL,\n"
               "  expected REAL,\n"
               "  score REAL,\n"
               "  status TEXT NOT NULL CHECK (status IN ('green', 'yellow', "
               "'red', "
               "'done', 'no data', 'open')),\n"
               "  PRIMARY KEY (asof, key_result)\n"
               ") WITHOUT ROWID;\n"
               "INSERT INTO snapshot_3 SELECT asof, key_result, value, "
               "expected, "
               "score, status FROM snapshot;\n"
               "DROP TABLE snapshot;\n"
               "ALTER TABLE snapshot_3 RENAME TO snapshot;\n",
    /* 4: a check-in has an author, and may correct an earlier one: the
     * new row supersedes it (its uid), which is kept as history. */
    "ALTER TABLE checkin ADD COLUMN author TEXT CHECK (author IS NULL OR "
    "length(author) > 0);\n"
    "ALTER TABLE checkin ADD COLUMN supersedes TEXT REFERENCES checkin "
    "(uid) DEFERRABLE INITIALLY DEFERRED;\n"
    "CREATE INDEX checkin_by_supersedes ON checkin (supersedes);\n",
};

#define SCHEMA_VERSION ((int)OKRA_ARRAY_LEN(migrations))

/* ---------------------------------------------------------------------
 * Small helpers
 * --------------------------------------------------------------------- */

int32_t okra__state_today(void)
{
	return (int32_t)(time(NULL) / 86400);
}

void okra__state_stamp(char out[OKRA_STAMP_LEN + 1])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int32_t day = (int32_t)(ts.tv_sec / 86400);
	long secs = (long)(ts.tv_sec % 86400);
	int y, m, d;
	char text[96];
	okra__civil_from_days(day, &y, &m, &d);
	snprintf(text, sizeof(text), "%04d-%02d-%02dT%02ld:%02ld:%02ld.%06ldZ",
	         y, m, d, secs / 3600, secs / 60 % 60, secs % 60,
	         (long)(ts.tv_nsec / 1000));
	memcpy(out, text, OKRA_STAMP_LEN);
	out[OKRA_STAMP_LEN] = '\0';
}

bool okra__state_is_stamp(const char *s)
{
	/* YYYY-MM-DDTHH:MM:SS.ffffffZ */
	static const char shape[] = "dddd-dd-ddTdd:dd:dd.ddddddZ";
	if (strlen(s) != OKRA_STAMP_LEN)
		return false;
	for (size_t i = 0; i < OKRA_STAMP_LEN; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9')
		                    : s[i] != shape[i])
			return false;
	char day[11];
	int32_t unused;
	memcpy(day, s, 10);
	day[10] = '\0';
	int hh = (s[11] - '0') * 10 + (s[12] - '0');
	int mm = (s[14] - '0') * 10 + (s[15] - '0');
	int ss = (s[17] - '0') * 10 + (s[18] - '0');
	return okra__parse_date(day, &unused) && hh < 24 && mm < 60 && ss < 60;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool okra__state_parse_number(const char *s, double *out)
{
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	size_t int_digits = 0, frac_digits = 0;
	while (is_digit(*p))
		p++, int_digits++;
	if (*p == '.') {
		p++;
		while (is_digit(*p))
			p++, frac_digits++;
	}
	if (int_digits + frac_digits == 0)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!is_digit(*p))
			return false;
		while (is_digit(*p))
			p++;
	}
	if (*p)
		return false;
	errno = 0;
	double v = strtod(s, NULL);
	if (!isfinite(v))
		return false;
	*out = v;
	return true;
}

void okra__state_format_number(okra_buf *b, double v)
{
	/* The fewest significant digits that read back as v, but at least the
	 * integer digits, so 30 is "30" and not "3e+01". */
	char text[32];
	int first = fabs(v) >= 1 ? (int)floor(log10(fabs(v))) + 1 : 1;
	for (int prec = first < 17 ? first : 17; prec <= 17; prec++) {
		snprintf(text, sizeof(text), "%.*g", prec, v);
		if (strtod(text, NULL) == v)
			break;
	}
	okra__buf_puts(b, text);
}

bool okra__state_is_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p;
		size_t n;
		uint32_t min;
		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, min = 0x80;
		else if ((c & 0xf0) == 0xe0)
			n = 2, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, min = 0x10000;
		else
			return false;
		uint32_t cp = c & (0x3fu >> n);
		for (size_t i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false; /* also stops at the terminating
				                 NUL */
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		p += n + 1;
	}
	return true;
}

/* ---------------------------------------------------------------------
 * SQL helpers
 * --------------------------------------------------------------------- */

/* Did the operating system say the disk is full?  SQLite reports a write
 * that hits ENOSPC as SQLITE_FULL, but a wal-index (-shm) it cannot grow
 * as SQLITE_IOERR_SHMSIZE, so the errno decides. */
static bool disk_full(okra_state *st, int code)
{
	if ((code & 0xff) == SQLITE_FULL)
		return true;
	if ((code & 0xff) != SQLITE_IOERR || !st->db)
		return false;
	int e = sqlite3_system_errno(st->db);
	return e == ENOSPC || e == EDQUOT;
}

okra_rc okra__state_fail(okra_state *st, int code, okra_err *err)
{
	st->fault = OKRA_STATE_FAULT_OTHER;
	if (code == SQLITE_READONLY_ROLLBACK)
		return okra__err_set(
		    err, OKRA_ERR_DATA, st->path, 0, 0,
		    "holds another program's unfinished transaction (a hot "
		    "journal), "
		    "so it is not okra's; okra leaves it as it is");
	if (code == SQLITE_IOERR_NOMEM)
		code = SQLITE_NOMEM;
	if (disk_full(st, code)) {
		st->fault = OKRA_STATE_FAULT_FULL;
		return okra__err_set(
		    err, OKRA_ERR_IO, st->path, 0, 0,
		    "disk full: the state database cannot be written; "
		    "nothing of this write was stored and what was stored "
		    "before is kept (free some space and try again)");
	}
	switch (code & 0xff) {
	case SQLITE_NOTADB:
	case SQLITE_CORRUPT:
		return okra__err_set(
		    err, OKRA_ERR_DATA, st->path, 0, 0,
		    "the state database is corrupt or not a database (%s); "
		    "okra leaves it as it is: move it away and restore it with "
		    "'okra import'",
		    sqlite3_errstr(code));
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		st->fault = OKRA_STATE_FAULT_BUSY;
		return okra__err_set(
		    err, OKRA_ERR_IO, st->path, 0, 0,
		    "the state database is busy: another process has held "
		    "its lock for more than %d %s",
		    st->busy_ms % 1000 ? st->busy_ms : st->busy_ms / 1000,
		    st->busy_ms % 1000 ? "ms" : "s");
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		return okra__err_set(
		    err, OKRA_ERR_IO, st->path, 0, 0,
		    "cannot open the state database for writing: %s",
		    st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(code));
	case SQLITE_NOMEM:
		return okra__nomem(err);
	default:
		return okra__err_set(err, OKRA_ERR_IO, st->path, 0, 0, "%s",
		                     st->db ? sqlite3_errmsg(st->db)
		                            : sqlite3_errstr(code));
	}
}

okra_state_fault okra__state_fault(const okra_state *st)
{
	return st ? st->fault : OKRA_STATE_FAULT_NONE;
}

okra_rc okra__state_exec(okra_state *st, const char *sql, okra_err *err)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? OKRA_OK : okra__state_fail(st, rc, err);
}

okra_rc okra__state_prepare(okra_state *st, const char *sql, sqlite3_stmt **out,
                            okra_err *err)
{
	int rc = sqlite3_prepare_v2(st->db, sql, -1, out, NULL);
	return rc == SQLITE_OK ? OKRA_OK : okra__state_fail(st, rc, err);
}

okra_rc okra__state_begin(okra_state *st, bool write, okra_err *err)
{
	st->fault = OKRA_STATE_FAULT_NONE;
	return okra__state_exec(st, write ? "BEGIN IMMEDIATE" : "BEGIN", err);
}

okra_rc okra__state_commit(okra_state *st, okra_err *err)
{
	okra_rc rc = okra__state_exec(st, "COMMIT", err);
	if (rc)
		okra__state_rollback(st);
	return rc;
}

void okra__state_rollback(okra_state *st)
{
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

okra_rc okra__state_need_write(okra_state *st, okra_err *err)
{
	if (st && st->writable)
		return OKRA_OK;
	return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
	                     "the state database is not open for writing");
}

int okra__state_bind_text(sqlite3_stmt *s, int i, const char *text)
{
	return text ? sqlite3_bind_text(s, i, text, -1, SQLITE_TRANSIENT)
	            : sqlite3_bind_null(s, i);
}

int okra__state_bind_day(sqlite3_stmt *s, int i, int32_t day)
{
	char text[11];
	okra__format_date(day, text);
	return sqlite3_bind_text(s, i, text, -1, SQLITE_TRANSIENT);
}

bool okra__state_column_day(sqlite3_stmt *s, int i, int32_t *day)
{
	const char *text = (const char *)sqlite3_column_text(s, i);
	return text && okra__parse_date(text, day);
}

/* Binds a double, NULL for NaN. */
static int bind_value(sqlite3_stmt *s, int i, double v)
{
	return isnan(v) ? sqlite3_bind_null(s, i)
	                : sqlite3_bind_double(s, i, v);
}

static double column_value(sqlite3_stmt *s, int i)
{
	return sqlite3_column_type(s, i) == SQLITE_NULL
	           ? NAN
	           : sqlite3_column_double(s, i);
}

static const char *column_str(sqlite3_stmt *s, int i, okra_arena *a)
{
	const char *text = (const char *)sqlite3_column_text(s, i);
	return text ? okra__arena_strdup(a, text) : NULL;
}

static okra_rc bad_row(okra_state *st, const char *table, okra_err *err)
{
	return okra__err_set(err, OKRA_ERR_DATA, st->path, 0, 0,
	                     "a %s row holds an invalid date; the database was "
	                     "changed outside okra",
	                     table);
}

/* Fills one row of a list from the current result row of s (its strings
 * copied into a); false when a date column does not hold a date. */
typedef bool (*row_fill)(sqlite3_stmt *s, okra_arena *a, void *row);

/* Steps s to the end, one row of size bytes per result row, in a. */
static okra_rc read_rows(okra_state *st, sqlite3_stmt *s, const char *table,
                         size_t size, row_fill fill, okra_arena *a, void **out,
                         size_t *n, okra_err *err)
{
	char *rows = NULL;
	size_t k = 0, cap = 0;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		char *p = okra__arena_grow(a, rows, &cap, k, size, 16);
		if (!p)
			return okra__nomem(err);
		rows = p;
		if (!fill(s, a, rows + k * size))
			return bad_row(st, table, err);
		k++;
	}
	if (step != SQLITE_DONE)
		return okra__state_fail(st, step, err);
	if (a->failed)
		return okra__nomem(err);
	*out = rows;
	*n = k;
	return OKRA_OK;
}

/* The rows of sql with ?1 bound to key (none without a database). */
static okra_rc list(okra_state *st, const char *sql, const char *key,
                    const char *table, size_t size, row_fill fill,
                    okra_arena *a, void **out, size_t *n, okra_err *err)
{
	*out = NULL;
	*n = 0;
	if (!st)
		return OKRA_OK;
	sqlite3_stmt *s = NULL;
	okra_rc rc = okra__state_prepare(st, sql, &s, err);
	if (rc)
		return rc;
	okra__state_bind_text(s, 1, key);
	rc = read_rows(st, s, table, size, fill, a, out, n, err);
	sqlite3_finalize(s);
	return rc;
}

/* ---------------------------------------------------------------------
 * Opening: recognise, migrate
 * --------------------------------------------------------------------- */

typedef enum { DB_EMPTY, DB_OKRA, DB_FOREIGN } db_kind;

static okra_rc pragma_int(okra_state *st, const char *sql, long long *out,
                          okra_err *err)
{
	sqlite3_stmt *s = NULL;
	okra_rc rc = okra__state_prepare(st, sql, &s, err);
	if (rc)
		return rc;
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	else
		rc = okra__state_fail(
		    st, step == SQLITE_DONE ? SQLITE_CORRUPT : step, err);
	sqlite3_finalize(s);
	return rc;
}

/* What the file is, by reads only: its application_id, user_version and
 * whether it holds any schema object. */
static okra_rc inspect(okra_state *st, db_kind *kind, int *version,
                       okra_err *err)
{
	long long app = 0, user_version = 0, objects = 0;
	okra_rc rc;
	if ((rc = pragma_int(st, "PRAGMA application_id", &app, err)) ||
	    (rc = pragma_int(st, "PRAGMA user_version", &user_version, err)) ||
	    (rc = pragma_int(st, "SELECT count(*) FROM sqlite_master", &objects,
	                     err)))
		return rc;
	*version = (int)user_version;
	if (app == OKRA_APPLICATION_ID && user_version >= 0)
		*kind = DB_OKRA;
	else if (app == 0 && objects == 0 && user_version == 0)
		*kind = DB_EMPTY;
	else
		*kind = DB_FOREIGN;
	return OKRA_OK;
}

static okra_rc refuse(okra_state *st, db_kind kind, int version, okra_err *err)
{
	if (kind == DB_FOREIGN)
		return okra__err_set(
		    err, OKRA_ERR_DATA, st->path, 0, 0,
		    "not an okra state database (another application's SQLite "
		    "file); "
		    "okra leaves it as it is: move it away to start afresh");
	if (kind == DB_OKRA && version > SCHEMA_VERSION)
		return okra__err_set(err, OKRA_ERR_DATA, st->path, 0, 0,
		                     "was written by a newer okra (schema "
		                     "version %d; this okra knows up to %d); "
		                     "upgrade okra",
		                     version, SCHEMA_VERSION);
	return OKRA_OK;
}

/* A finding of quick_check / integrity_check as one line: without the
 * "*** in database main ***" heading, newlines as "; ". */
static okra_rc corrupt(okra_state *st, const char *finding, okra_err *err)
{
	char line[512];
	const char *p = finding ? finding : "no result";
	const char *heading = "*** in database main ***";
	if (strncmp(p, heading, strlen(heading)) == 0)
		p += strlen(heading);
	size_t n = 0;
	for (; *p && n + 3 < sizeof(line); p++) {
		if (*p == '\n' || *p == '\r') {
			if (n && line[n - 1] != ' ')
				line[n++] = ';', line[n++] = ' ';
		} else if (*p != ' ' || (n && line[n - 1] != ' ')) {
			line[n++] = *p;
		}
	}
	while (n && (line[n - 1] == ' ' || line[n - 1] == ';'))
		n--;
	line[n] = '\0';
	return okra__err_set(
	    err, OKRA_ERR_DATA, st->path, 0, 0,
	    "the state database is corrupt (%s); okra leaves it as it is: "
	    "move it away and restore it with 'okra import'",
	    line);
}

static okra_rc quick_check(okra_state *st, okra_err *err)
{
	sqlite3_stmt *s = NULL;
	okra_rc rc = okra__state_prepare(st, "PRAGMA quick_check(1)", &s, err);
	if (rc)
		return rc;
	int step = sqlite3_step(s);
	if (step != SQLITE_ROW) {
		rc = okra__state_fail(st, step, err);
	} else {
		const char *res = (const char *)sqlite3_column_text(s, 0);
		if (!res || strcmp(res, "ok") != 0)
			rc = corrupt(st, res, err);
	}
	sqlite3_finalize(s);
	return rc;
}

/* Applies the next migration the file lacks, in one transaction that also
 * bumps user_version; *done when it lacks none.  The version is read
 * under the write lock: another process may have migrated meanwhile. */
static okra_rc migrate_step(okra_state *st, bool *done, okra_err *err)
{
	db_kind kind;
	int version;
	okra_rc rc = okra__state_begin(st, true, err);
	if (rc)
		return rc;
	if ((rc = inspect(st, &kind, &version, err)) ||
	    (rc = refuse(st, kind, version, err)))
		goto out;
	*done = version >= SCHEMA_VERSION;
	if (*done)
		goto out;
	char bump[96];
	snprintf(bump, sizeof(bump),
	         "PRAGMA application_id = %d; PRAGMA user_version = %d",
	         OKRA_APPLICATION_ID, version + 1);
	if ((rc = okra__state_exec(st, migrations[version], err)))
		goto out;
	rc = okra__state_exec(st, bump, err);
out:
	if (rc == OKRA_OK)
		return okra__state_commit(st, err);
	okra__state_rollback(st);
	return rc;
}

static okra_rc migrate(okra_state *st, okra_err *err)
{
	bool done = false;
	okra_rc rc = OKRA_OK;
	while (rc == OKRA_OK && !done)
		rc = migrate_step(st, &done, err);
	return rc;
}

/* WAL: readers never block the writer and a killed writer leaves the
 * last committed state.  Changing the journal mode needs a moment alone
 * with the file, so retry while another process is opening it too. */
static okra_rc set_wal(okra_state *st, okra_err *err)
{
	for (int attempt = 0;; attempt++) {
		sqlite3_stmt *s = NULL;
		okra_rc rc = okra__state_prepare(
		    st, "PRAGMA journal_mode = WAL", &s, err);
		if (rc)
			return rc;
		int step = sqlite3_step(s);
		bool wal =
		    step == SQLITE_ROW &&
		    sqlite3_stricmp((const char *)sqlite3_column_text(s, 0),
		                    "wal") == 0;
		sqlite3_finalize(s);
		if (wal)
			return OKRA_OK;
		if (step != SQLITE_ROW && (step & 0xff) != SQLITE_BUSY)
			return okra__state_fail(st, step, err);
		if (attempt * 10 >= st->busy_ms)
			return okra__state_fail(st, SQLITE_BUSY, err);
		sqlite3_sleep(10);
	}
}

/* Opens path (st->path, or the new file of create_whole) as st->db; the
 * messages name st->path. */
static okra_rc open_path(okra_state *st, const char *path, int flags,
                         okra_err *err)
{
	if (st->db) {
		sqlite3_close(st->db);
		st->db = NULL;
	}
	const char *vfs = NULL;
	okra_rc orc = okra__state_vfs(&vfs, err);
	if (orc)
		return orc;
	int rc = sqlite3_open_v2(path, &st->db, flags, vfs);
	if (rc != SQLITE_OK)
		return okra__state_fail(st, rc, err);
	st->writable = (flags & SQLITE_OPEN_READWRITE) != 0;
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, st->busy_ms);
	return okra__state_exec(st, "PRAGMA foreign_keys = ON", err);
}

static okra_rc open_file(okra_state *st, int flags, okra_err *err)
{
	return open_path(st, st->path, flags, err);
}

/* Recognises an existing file through a read-only connection, so nothing
 * (not even SQLite's recovery of another program's journal) writes to a
 * file that is not okra's: okra's and not newer, and quick_check passes. */
static okra_rc probe(okra_state *st, db_kind *kind, int *version, okra_err *err)
{
	okra_rc rc;
	if ((rc = open_file(st, SQLITE_OPEN_READONLY, err)))
		return rc;
	/* One read transaction: another process may commit its first
	 * migration between the pragmas and the schema count, and a mix of
	 * the two states would look like another application's file. */
	if ((rc = okra__state_exec(st, "BEGIN", err)))
		return rc;
	rc = inspect(st, kind, version, err);
	/* Ends the read transaction without touching err: when inspect
	 * failed, SQLite may have ended it already, and a COMMIT would
	 * replace the first error with "no transaction is active". */
	okra__state_rollback(st);
	if (rc || (rc = refuse(st, *kind, *version, err)))
		return rc;
	if (*kind == DB_OKRA)
		rc = quick_check(st, err);
	sqlite3_close(st->db);
	st->db = NULL;
	return rc;
}

/* ---------------------------------------------------------------------
 * Creating: a new database appears whole or not at all
 * --------------------------------------------------------------------- */

/* Removes path and its -wal, -shm and -journal. */
static void remove_db_files(const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	char name[4200];
	for (size_t i = 0; i < OKRA_ARRAY_LEN(suffixes); i++) {
		snprintf(name, sizeof(name), "%s%s", path, suffixes[i]);
		unlink(name);
	}
}

/* Removes what a creation killed half-way left (okra.db.new-PID of a
 * process that no longer runs). */
static void remove_stale(const char *path)
{
	char pattern[4200];
	glob_t g;
	snprintf(pattern, sizeof(pattern), "%s.new-*", path);
	if (glob(pattern, 0, NULL, &g) != 0)
		return;
	size_t prefix = strlen(path) + strlen(".new-");
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *name = g.gl_pathv[i];
		char *end;
		long pid = strtol(name + prefix, &end, 10);
		if (*end || pid <= 0)
			continue; /* a companion (-wal, ...) goes with its file
			           */
		if (kill((pid_t)pid, 0) != 0 && errno == ESRCH)
			remove_db_files(name);
	}
	globfree(&g);
}

static void sync_dir(const char *path)
{
	char dir[4200];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		return;
	*slash = '\0';
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Writes the WAL back into the file and empties it. */
static okra_rc checkpoint(okra_state *st, okra_err *err)
{
	long long busy = 0;
	okra_rc rc =
	    pragma_int(st, "PRAGMA wal_checkpoint(TRUNCATE)", &busy, err);
	if (rc == OKRA_OK && busy)
		rc = okra__state_fail(st, SQLITE_BUSY, err);
	return rc;
}

/* Builds a new database whole beside st->path (okra.db.new-PID: WAL,
 * migrated, checkpointed, closed) and links it into place.  A kill while
 * it is built leaves no okra.db at all, so the next run starts again,
 * never a half-made one whose rollback journal would look like another
 * program's.  When another process links its database first, this one is
 * dropped and theirs is used. */
static okra_rc create_whole(okra_state *st, okra_err *err)
{
	char fresh[sizeof(st->path) + 32];
	snprintf(fresh, sizeof(fresh), "%s.new-%ld", st->path, (long)getpid());
	remove_stale(st->path);
	remove_db_files(fresh);
	okra_rc rc;
	if ((rc = open_path(st, fresh,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err)) ||
	    (rc = set_wal(st, err)) ||
	    (rc = okra__state_exec(st, "PRAGMA synchronous = FULL", err)) ||
	    (rc = migrate(st, err)) || (rc = checkpoint(st, err)))
		goto out;
	int closed = sqlite3_close(st->db);
	st->db = NULL;
	if (closed != SQLITE_OK) {
		rc = okra__state_fail(st, closed, err);
		goto out;
	}
	if (link(fresh, st->path) != 0 && errno != EEXIST) {
		/* A file system without hard links: rename, unless another
		 * process has created the database meanwhile. */
		struct stat sb;
		int e = errno;
		if ((e != EPERM && e != ENOTSUP && e != EOPNOTSUPP) ||
		    (lstat(st->path, &sb) != 0 && errno == ENOENT &&
		     rename(fresh, st->path) != 0)) {
			rc = okra__err_set(err, OKRA_ERR_IO, st->path, 0, 0,
			                   "cannot create the state database: "
			                   "%s",
			                   strerror(e));
			goto out;
		}
	}
	sync_dir(st->path);
out:
	if (st->db) {
		sqlite3_close(st->db);
		st->db = NULL;
	}
	remove_db_files(fresh);
	return rc;
}

/* What a file that is not a regular one is, for the message. */
static const char *file_kind(mode_t mode)
{
	return S_ISLNK(mode)                    ? "a symbolic link"
	       : S_ISDIR(mode)                  ? "a directory"
	       : S_ISFIFO(mode)                 ? "a FIFO"
	       : S_ISSOCK(mode)                 ? "a socket"
	       : S_ISCHR(mode) || S_ISBLK(mode) ? "a device"
	                                        : "not a regular file";
}

/* The database and its companions (-wal, -shm, -journal) must be regular
 * files where they exist: a FIFO would block the open for ever, a device
 * or a directory is no database, and through a symbolic link SQLite would
 * create, write or truncate a file outside the workspace.  *exists: the
 * database itself is there. */
static okra_rc check_files(okra_state *st, bool *exists, okra_err *err)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	char path[sizeof(st->path) + 16];
	*exists = false;
	for (size_t i = 0; i < OKRA_ARRAY_LEN(suffixes); i++) {
		struct stat sb;
		snprintf(path, sizeof(path), "%s%s", st->path, suffixes[i]);
		if (lstat(path, &sb) != 0) {
			if (errno == ENOENT || errno == ENOTDIR)
				continue; /* no database (or no folder for one)
				           */
			st->fault = OKRA_STATE_FAULT_OTHER;
			return okra__err_set(err, OKRA_ERR_IO, path, 0, 0,
			                     "cannot read: %s",
			                     strerror(errno));
		}
		if (i == 0)
			*exists = true;
		if (S_ISREG(sb.st_mode))
			continue;
		st->fault = OKRA_STATE_FAULT_OTHER;
		return okra__err_set(
		    err, OKRA_ERR_DATA, path, 0, 0,
		    "is %s, not a regular file; okra opens only a regular "
		    "file there and leaves this one as it is (move it away)",
		    file_kind(sb.st_mode));
	}
	return OKRA_OK;
}

okra_rc okra__state_open(const okra_workspace *ws, bool write, okra_state **out,
                         okra_err *err)
{
	return okra__state_open_wait(ws, write, OKRA_STATE_BUSY_MS, out, NULL,
	                             err);
}

okra_rc okra__state_open_wait(const okra_workspace *ws, bool write, int busy_ms,
                              okra_state **out, okra_state_fault *fault,
                              okra_err *err)
{
	if (fault)
		*fault = OKRA_STATE_FAULT_NONE;
	okra_state *st = calloc(1, sizeof(*st));
	if (!st)
		return okra__nomem(err);
	st->busy_ms = busy_ms > 0 ? busy_ms : OKRA_STATE_BUSY_MS;
	okra_rc rc = OKRA_OK;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/.okra", okra_workspace_root(ws));
	int w = snprintf(st->path, sizeof(st->path), "%s/okra.db", dir);
	if (w < 0 || (size_t)w >= sizeof(st->path)) {
		rc =
		    okra__err_set(err, OKRA_ERR_IO, dir, 0, 0, "path too long");
		goto fail;
	}
	db_kind kind = DB_EMPTY;
	int version = 0;
	bool exists;
	if ((rc = check_files(st, &exists, err)))
		goto fail;
	if (!exists && write &&
	    ((rc = okra__mkdir_p(dir, err)) || (rc = create_whole(st, err)) ||
	     (rc = check_files(st, &exists, err))))
		goto fail;
	if (exists && (rc = probe(st, &kind, &version, err)))
		goto fail;
	if (!write && (!exists || kind == DB_EMPTY)) {
		okra__state_close(st); /* no state yet: every read is empty */
		*out = NULL;
		return OKRA_OK;
	}
	if (!write && version == SCHEMA_VERSION) {
		/* Read-write but query_only: the last connection to close
		 * checkpoints and removes the -wal and -shm files.  Read-only
		 * when the file cannot be written. */
		if (open_file(st, SQLITE_OPEN_READWRITE, err) != OKRA_OK &&
		    (rc = open_file(st, SQLITE_OPEN_READONLY, err)))
			goto fail;
		st->writable = false;
		if ((rc = okra__state_exec(st, "PRAGMA query_only = 1", err)))
			goto fail;
		*out = st;
		return OKRA_OK;
	}
	/* A write, or a read of an older okra's file: upgrade it. */
	if ((rc = okra__mkdir_p(dir, err)) ||
	    (rc = open_file(st, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	                    err)) ||
	    (rc = set_wal(st, err)) ||
	    /* FULL: a commit is on disk before okra says so (docs/state.md). */
	    (rc = okra__state_exec(st, "PRAGMA synchronous = FULL", err)) ||
	    (rc = migrate(st, err)))
		goto fail;
	st->writable = write;
	if (!write && (rc = okra__state_exec(st, "PRAGMA query_only = 1", err)))
		goto fail;
	*out = st;
	return OKRA_OK;
fail:
	if (fault)
		*fault = st->fault ? st->fault : OKRA_STATE_FAULT_OTHER;
	okra__state_close(st);
	return rc;
}

void okra__state_close(okra_state *st)
{
	if (!st)
		return;
	if (st->db)
		sqlite3_close(st->db);
	free(st);
}

okra_rc okra__state_verify(okra_state *st, okra_err *err)
{
	if (!st)
		return OKRA_OK;
	sqlite3_stmt *s = NULL;
	okra_rc rc =
	    okra__state_prepare(st, "PRAGMA integrity_check(1)", &s, err);
	if (rc)
		return rc;
	int step = sqlite3_step(s);
	const char *res =
	    step == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
	if (step != SQLITE_ROW)
		rc = okra__state_fail(st, step, err);
	else if (!res || strcmp(res, "ok") != 0)
		rc = corrupt(st, res, err);
	sqlite3_finalize(s);
	if (rc)
		return rc;
	if ((rc = okra__state_prepare(st, "PRAGMA foreign_key_check", &s, err)))
		return rc;
	step = sqlite3_step(s);
	if (step == SQLITE_ROW)
		rc = okra__err_set(err, OKRA_ERR_DATA, st->path, 0, 0,
		                   "the state database is inconsistent: a %s "
		                   "row refers to a missing %s row",
		                   sqlite3_column_text(s, 0),
		                   sqlite3_column_text(s, 2));
	else if (step != SQLITE_DONE)
		rc = okra__state_fail(st, step, err);
	sqlite3_finalize(s);
	return rc;
}

/* ---------------------------------------------------------------------
 * Validation shared by the CLI, the server and import
 * --------------------------------------------------------------------- */

static okra_rc unknown_id(const char *what, const char *id, const void *items,
                          size_t n, size_t stride, okra_err *err)
{
	const char *near = okra__nearest_id(id, items, n, stride);
	if (near)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "unknown %s \"%s\"; did you mean \"%s\"?",
		                     what, id, near);
	return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
	                     "unknown %s \"%s\"", what, id);
}

okra_rc okra__state_check_metric(const okra_workspace *ws, const char *id,
                                 okra_err *err)
{
	int m = okra__find_metric(ws, id);
	if (m < 0)
		return unknown_id("metric", id, ws->metrics, ws->n_metrics,
		                  sizeof(*ws->metrics), err);
	const okra_metric *me = &ws->metrics[m];
	if (me->type != OKRA_METRIC_MANUAL)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "metric \"%s\" is a %s metric: its value "
		                     "comes from the data; "
		                     "only manual metrics take check-ins",
		                     id, okra__metric_types[me->type].name);
	return OKRA_OK;
}

okra_rc okra__state_check_key_result(const okra_workspace *ws, const char *id,
                                     okra_err *err)
{
	if (okra__find_key_result(ws, id) >= 0)
		return OKRA_OK;
	return unknown_id("key result", id, ws->key_results, ws->n_key_results,
	                  sizeof(*ws->key_results), err);
}

/* day -1 = today; a day after today is an error. */
static okra_rc check_day(int32_t day, int32_t *out, okra_err *err)
{
	int32_t today = okra__state_today();
	if (day == -1)
		day = today;
	if (day > today) {
		char text[11];
		okra__format_date(day, text);
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "date %s is in the future", text);
	}
	*out = day;
	return OKRA_OK;
}

static okra_rc check_note(const char *note, okra_err *err)
{
	if (note && !okra__state_is_utf8(note))
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "the note is not valid UTF-8");
	return OKRA_OK;
}

/* ---------------------------------------------------------------------
 * Check-ins
 * --------------------------------------------------------------------- */

/* Writes one dated row, (subject, day, value, note, created_at), in one
 * transaction: value is text when text is set, else number. */
static okra_rc insert_dated(okra_state *st, const char *sql,
                            const char *subject, int32_t day, double number,
                            const char *text, const char *note, okra_err *err)
{
	char stamp[OKRA_STAMP_LEN + 1];
	sqlite3_stmt *s = NULL;
	okra_rc rc = okra__state_begin(st, true, err);
	if (rc)
		return rc;
	if ((rc = okra__state_prepare(st, sql, &s, err)))
		goto out;
	okra__state_stamp(stamp);
	okra__state_bind_text(s, 1, subject);
	okra__state_bind_day(s, 2, day);
	if (text)
		okra__state_bind_text(s, 3, text);
	else
		sqlite3_bind_double(s, 3, number);
	okra__state_bind_text(s, 4, note);
	okra__state_bind_text(s, 5, stamp);
	int step = sqlite3_step(s);
	if (step != SQLITE_DONE)
		rc = okra__state_fail(st, step, err);
out:
	sqlite3_finalize(s);
	if (rc == OKRA_OK)
		return okra__state_commit(st, err);
	okra__state_rollback(st);
	return rc;
}

static okra_rc check_author(const char *author, okra_err *err)
{
	if (!author)
		return OKRA_OK;
	size_t len = strlen(author);
	if (len == 0 || len > OKRA_MAX_AUTHOR_BYTES)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "the author must be 1 to %d bytes",
		                     OKRA_MAX_AUTHOR_BYTES);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)author[i] < 0x20 || author[i] == 0x7f)
			return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
			                     "the author has a control "
			                     "character");
	if (!okra__state_is_utf8(author))
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "the author is not valid UTF-8");
	return OKRA_OK;
}

/* The checks that need no database.  A correction without a date keeps
 * the corrected check-in's (day stays -1 for okra__state_checkin). */
static okra_rc checkin_args(const okra_workspace *ws, const okra_checkin_req *q,
                            int32_t *day, double *value, okra_err *err)
{
	okra_rc rc;
	if ((rc = okra__state_check_metric(ws, q->metric, err)))
		return rc;
	if (!okra__state_parse_number(q->value, value))
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "value \"%s\" is not a number", q->value);
	*day = q->day;
	if (q->corrects < 0)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "a check-in to correct is named by its "
		                     "number (okra checkins shows them)");
	if ((q->day != -1 || !q->corrects) &&
	    (rc = check_day(q->day, day, err)))
		return rc;
	if ((rc = check_note(q->note, err)))
		return rc;
	return check_author(q->author, err);
}

okra_rc okra__state_checkin_check(const okra_workspace *ws,
                                  const okra_checkin_req *q, okra_err *err)
{
	double value;
	int32_t day;
	return checkin_args(ws, q, &day, &value, err);
}

/* The check-in q corrects, in the write transaction: it must exist, be
 * of the same metric and not be corrected already (its correction is
 * the one to correct).  Sets *uid (in buf) and, when *day is -1, *day to
 * its day. */
static okra_rc corrected_row(okra_state *st, const okra_checkin_req *q,
                             int32_t *day, char uid[17], okra_err *err)
{
	sqlite3_stmt *s = NULL;
	okra_rc rc = okra__state_prepare(
	    st,
	    "SELECT c.uid, c.metric, c.day, (SELECT n.id FROM checkin n "
	    "WHERE n.supersedes = c.uid ORDER BY n.created_at DESC, n.id DESC "
	    "LIMIT 1) FROM checkin c WHERE c.id = ?1",
	    &s, err);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, q->corrects);
	int step = sqlite3_step(s);
	if (step == SQLITE_DONE) {
		rc = okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                   "there is no check-in #%lld to correct "
		                   "(okra checkins %s lists them)",
		                   q->corrects, q->metric);
	} else if (step != SQLITE_ROW) {
		rc = okra__state_fail(st, step, err);
	} else if (strcmp((const char *)sqlite3_column_text(s, 1), q->metric) !=
	           0) {
		rc = okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                   "check-in #%lld is of metric \"%s\", not "
		                   "\"%s\"",
		                   q->corrects, sqlite3_column_text(s, 1),
		                   q->metric);
	} else if (sqlite3_column_type(s, 3) != SQLITE_NULL) {
		rc = okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                   "check-in #%lld was corrected already by "
		                   "#%lld: correct that one",
		                   q->corrects,
		                   (long long)sqlite3_column_int64(s, 3));
	} else {
		snprintf(uid, 17, "%s", sqlite3_column_text(s, 0));
		if (*day == -1 && !okra__state_column_day(s, 2, day))
			rc = bad_row(st, "checkin", err);
	}
	sqlite3_finalize(s);
	return rc;
}

okra_rc okra__state_checkin(okra_state *st, const okra_workspace *ws,
                            const okra_checkin_req *q, long long *id,
                            int32_t *day_out, okra_err *err)
{
	if (st)
		st->fault = OKRA_STATE_FAULT_NONE;
	double value;
	int32_t day;
	char stamp[OKRA_STAMP_LEN + 1], uid[17] = "";
	sqlite3_stmt *s = NULL;
	okra_rc rc;
	if ((rc = checkin_args(ws, q, &day, &value, err)) ||
	    (rc = okra__state_need_write(st, err)))
		return rc;
	if ((rc = okra__state_begin(st, true, err)))
		return rc;
	if (q->corrects && (rc = corrected_row(st, q, &day, uid, err)))
		goto out;
	if ((rc = okra__state_prepare(
	         st,
	         "INSERT INTO checkin (metric, day, value, note, created_at, "
	         "author, supersedes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	         &s, err)))
		goto out;
	okra__state_stamp(stamp);
	okra__state_bind_text(s, 1, q->metric);
	okra__state_bind_day(s, 2, day);
	sqlite3_bind_double(s, 3, value);
	okra__state_bind_text(s, 4, q->note);
	okra__state_bind_text(s, 5, stamp);
	okra__state_bind_text(s, 6, q->author);
	okra__state_bind_text(s, 7, uid[0] ? uid : NULL);
	int step = sqlite3_step(s);
	if (step != SQLITE_DONE)
		rc = okra__state_fail(st, step, err);
out:
	sqlite3_finalize(s);
	if (rc == OKRA_OK) {
		long long row = sqlite3_last_insert_rowid(st->db);
		if ((rc = okra__state_commit(st, err)) == OKRA_OK) {
			if (id)
				*id = row;
			if (day_out)
				*day_out = day;
		}
		return rc;
	}
	okra__state_rollback(st);
	return rc;
}

okra_rc okra__state_checkin_values(okra_state *st, const char *metric,
                                   const int32_t *dates, size_t n, double *out,
                                   okra_err *err)
{
	for (size_t i = 0; i < n; i++)
		out[i] = NAN;
	if (!st)
		return OKRA_OK;
	sqlite3_stmt *s = NULL;
	okra_rc rc = okra__state_prepare(
	    st,
	    "SELECT day, value FROM checkin c WHERE metric = ?1 AND NOT "
	    "EXISTS (SELECT 1 FROM checkin n WHERE n.supersedes = c.uid) "
	    "ORDER BY day, created_at, id",
	    &s, err);
	if (rc)
		return rc;
	okra__state_bind_text(s, 1, metric);
	/* All of the metric's check-ins in as-of order, then for each date the
	 * last one on or before it: a binary search. */
	int32_t *days = NULL;
	double *values = NULL;
	size_t k = 0, cap_days = 0, cap_values = 0;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		int32_t *d = okra__grow(days, &cap_days, k, sizeof(*d), 16);
		if (d)
			days = d;
		double *v = okra__grow(values, &cap_values, k, sizeof(*v), 16);
		if (v)
			values = v;
		if (!d || !v) {
			rc = okra__nomem(err);
			goto out;
		}
		if (!okra__state_column_day(s, 0, &days[k])) {
			rc = bad_row(st, "checkin", err);
			goto out;
		}
		values[k++] = sqlite3_column_double(s, 1);
	}
	if (step != SQLITE_DONE) {
		rc = okra__state_fail(st, step, err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		size_t lo = 0, hi = k; /* first check-in after dates[i] */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (days[mid] <= dates[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0)
			out[i] = values[lo - 1];
	}
out:
	sqlite3_finalize(s);
	free(days);
	free(values);
	return rc;
}

static bool fill_checkin(sqlite3_stmt *s, okra_arena *a, void *row)
{
	okra_checkin_row *r = row;
	r->metric = column_str(s, 0, a);
	r->value = sqlite3_column_double(s, 2);
	r->note = column_str(s, 3, a);
	r->id = sqlite3_column_int64(s, 4);
	r->author = column_str(s, 5, a);
	r->corrects = sqlite3_column_int64(s, 6);
	r->corrected_by = sqlite3_column_int64(s, 7);
	return okra__state_column_day(s, 1, &r->day);
}

okra_rc okra__state_checkins(okra_state *st, const char *metric, okra_arena *a,
                             okra_checkin_row **out, size_t *n, okra_err *err)
{
	void *rows;
	okra_rc rc = list(st,
	                  "SELECT metric, day, value, note, id, author, "
	                  "(SELECT o.id FROM checkin o WHERE o.uid = "
	                  "c.supersedes), (SELECT n.id FROM checkin n "
	                  "WHERE n.supersedes = c.uid ORDER BY "
	                  "n.created_at DESC, n.id DESC LIMIT 1) "
	                  "FROM checkin c WHERE ?1 IS NULL OR metric = ?1 "
	                  "ORDER BY metric, day, created_at, id",
	                  metric, "checkin", sizeof(**out), fill_checkin, a,
	                  &rows, n, err);
	*out = rows;
	return rc;
}

/* ---------------------------------------------------------------------
 * Confidence
 * --------------------------------------------------------------------- */

static okra_rc confidence_args(const okra_workspace *ws, const char *kr,
                               const char *value_text, int32_t *day,
                               const char *note, int *value, okra_err *err)
{
	okra_rc rc;
	if ((rc = okra__state_check_key_result(ws, kr, err)))
		return rc;
	/* A whole number 0..10, written plainly ("7", not "7.0" or "+7"). */
	bool ok = value_text[0] && strlen(value_text) <= 2;
	for (const char *p = value_text; ok && *p; p++)
		ok = is_digit(*p);
	*value = ok ? (int)strtol(value_text, NULL, 10) : -1;
	if (!ok || *value > 10)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "confidence must be a whole number from 0 "
		                     "to 10, not \"%s\"",
		                     value_text);
	if ((rc = check_day(*day, day, err)))
		return rc;
	return check_note(note, err);
}

okra_rc okra__state_confidence_check(const okra_workspace *ws, const char *kr,
                                     const char *value_text, int32_t day,
                                     const char *note, okra_err *err)
{
	int value;
	return confidence_args(ws, kr, value_text, &day, note, &value, err);
}

okra_rc okra__state_confidence(okra_state *st, const okra_workspace *ws,
                               const char *kr, const char *value_text,
                               int32_t day, const char *note, okra_err *err)
{
	if (st)
		st->fault = OKRA_STATE_FAULT_NONE;
	int value;
	okra_rc rc;
	if ((rc = confidence_args(ws, kr, value_text, &day, note, &value,
	                          err)) ||
	    (rc = okra__state_need_write(st, err)))
		return rc;
	return insert_dated(
	    st,
	    "INSERT INTO confidence (key_result, day, value, note, created_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5)",
	    kr, day, value, NULL, note, err);
}

static bool fill_confidence(sqlite3_stmt *s, okra_arena *a, void *row)
{
	okra_confidence *c = row;
	c->value = sqlite3_column_int(s, 1);
	c->note = column_str(s, 2, a);
	return okra__state_column_day(s, 0, &c->day);
}

okra_rc okra__state_confidences(okra_state *st, const char *kr, okra_arena *a,
                                okra_confidence **out, size_t *n, okra_err *err)
{
	void *rows;
	okra_rc rc = list(st,
	                  "SELECT day, value, note FROM confidence "
	                  "WHERE key_result = ?1 ORDER BY day, created_at, id",
	                  kr, "confidence", sizeof(**out), fill_confidence, a,
	                  &rows, n, err);
	*out = rows;
	return rc;
}

/* ---------------------------------------------------------------------
 * Review snapshots
 * --------------------------------------------------------------------- */

static bool is_status(const char *s)
{
	static const char *const statuses[] = {"green", "yellow", "red", "done",
	                                       "no data"};
	for (size_t i = 0; s && i < OKRA_ARRAY_LEN(statuses); i++)
		if (strcmp(s, statuses[i]) == 0)
			return true;
	return false;
}

okra_rc okra__state_review_save(okra_state *st, int32_t asof,
                                const okra_snapshot *snaps, size_t n,
                                okra_err *err)
{
	okra_rc rc = okra__state_need_write(st, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (!snaps[i].kr || !is_status(snaps[i].status))
			return okra__err_set(
			    err, OKRA_ERR_USAGE, NULL, 0, 0,
			    "snapshot %zu: a key result id and a status "
			    "(green, yellow, red, done, no data) are required",
			    i + 1);
	char stamp[OKRA_STAMP_LEN + 1];
	sqlite3_stmt *del = NULL, *rev = NULL, *snap = NULL;
	int step = SQLITE_DONE;
	if ((rc = okra__state_begin(st, true, err)))
		return rc;
	if ((rc = okra__state_prepare(st, "DELETE FROM review WHERE asof = ?1",
	                              &del, err)) ||
	    (rc = okra__state_prepare(
	         st, "INSERT INTO review (asof, created_at) VALUES (?1, ?2)",
	         &rev, err)) ||
	    (rc = okra__state_prepare(st,
	                              "INSERT INTO snapshot (asof, key_result, "
	                              "value, expected, score, status) "
	                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	                              &snap, err)))
		goto out;
	/* Deleting the review deletes its snapshots (ON DELETE CASCADE). */
	okra__state_bind_day(del, 1, asof);
	if ((step = sqlite3_step(del)) != SQLITE_DONE)
		goto out;
	okra__state_stamp(stamp);
	okra__state_bind_day(rev, 1, asof);
	okra__state_bind_text(rev, 2, stamp);
	if ((step = sqlite3_step(rev)) != SQLITE_DONE)
		goto out;
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(snap);
		okra__state_bind_day(snap, 1, asof);
		okra__state_bind_text(snap, 2, snaps[i].kr);
		bind_value(snap, 3, snaps[i].value);
		bind_value(snap, 4, snaps[i].expected);
		bind_value(snap, 5, snaps[i].score);
		okra__state_bind_text(snap, 6, snaps[i].status);
		if ((step = sqlite3_step(snap)) != SQLITE_DONE)
			goto out;
	}
out:
	if (rc == OKRA_OK && step != SQLITE_DONE) {
		if (step == SQLITE_CONSTRAINT_PRIMARYKEY)
			rc = okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
			                   "a review has one snapshot per key "
			                   "result; one is given twice");
		else
			rc = okra__state_fail(st, step, err);
	}
	sqlite3_finalize(del);
	sqlite3_finalize(rev);
	sqlite3_finalize(snap);
	if (rc == OKRA_OK)
		return okra__state_commit(st, err);
	okra__state_rollback(st);
	return rc;
}

static bool fill_snapshot(sqlite3_stmt *s, okra_arena *a, void *row)
{
	okra_snapshot *r = row;
	r->kr = column_str(s, 0, a);
	r->value = column_value(s, 1);
	r->expected = column_value(s, 2);
	r->score = column_value(s, 3);
	r->status = column_str(s, 4, a);
	return true;
}

okra_rc okra__state_review_prev(okra_state *st, int32_t asof, okra_arena *a,
                                int32_t *prev_asof, okra_snapshot **out,
                                size_t *n, okra_err *err)
{
	*prev_asof = -1;
	*out = NULL;
	*n = 0;
	if (!st)
		return OKRA_OK;
	sqlite3_stmt *rev = NULL, *snap = NULL;
	int32_t prev = -1;
	okra_rc rc = okra__state_begin(st, false, err);
	if (rc)
		return rc;
	if ((rc = okra__state_prepare(st,
	                              "SELECT asof FROM review WHERE asof < ?1 "
	                              "ORDER BY asof DESC LIMIT 1",
	                              &rev, err)) ||
	    (rc = okra__state_prepare(
	         st,
	         "SELECT key_result, value, expected, score, status "
	         "FROM snapshot WHERE asof = ?1 ORDER BY key_result",
	         &snap, err)))
		goto out;
	okra__state_bind_day(rev, 1, asof);
	int step = sqlite3_step(rev);
	if (step == SQLITE_ROW && !okra__state_column_day(rev, 0, &prev)) {
		rc = bad_row(st, "review", err);
		goto out;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		rc = okra__state_fail(st, step, err);
		goto out;
	}
	if (step == SQLITE_ROW) {
		void *rows = NULL;
		okra__state_bind_day(snap, 1, prev);
		rc = read_rows(st, snap, "snapshot", sizeof(**out),
		               fill_snapshot, a, &rows, n, err);
		if (rc)
			goto out;
		*out = rows;
	}
	*prev_asof = prev;
out:
	sqlite3_finalize(rev);
	sqlite3_finalize(snap);
	okra__state_rollback(st); /* ends the read transaction */
	return rc;
}

/* ---------------------------------------------------------------------
 * Milestones
 * --------------------------------------------------------------------- */

okra_rc okra__state_check_milestone(const okra_workspace *ws, const char *kr,
                                    const char *state, okra_err *err)
{
	okra_rc rc = okra__state_check_key_result(ws, kr, err);
	if (rc)
		return rc;
	const okra_key_result *k =
	    &ws->key_results[okra__find_key_result(ws, kr)];
	if (k->kind != OKRA_KR_MILESTONE)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "key result \"%s\" is not a milestone "
		                     "(kind: milestone): its progress comes "
		                     "from its metric",
		                     kr);
	if (!state ||
	    (strcmp(state, "done") != 0 && strcmp(state, "open") != 0))
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "a milestone is marked done or open, not "
		                     "\"%s\"",
		                     state ? state : "");
	return OKRA_OK;
}

okra_rc okra__state_milestone(okra_state *st, const okra_workspace *ws,
                              const char *kr, const char *state, int32_t day,
                              const char *note, okra_err *err)
{
	okra_rc rc;
	if ((rc = okra__state_check_milestone(ws, kr, state, err)) ||
	    (rc = check_day(day, &day, err)) || (rc = check_note(note, err)) ||
	    (rc = okra__state_need_write(st, err)))
		return rc;
	return insert_dated(st,
	                    "INSERT INTO milestone (key_result, day, state, "
	                    "note, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	                    kr, day, 0, state, note, err);
}

static bool fill_milestone(sqlite3_stmt *s, okra_arena *a, void *row)
{
	okra_milestone *m = row;
	const char *state = (const char *)sqlite3_column_text(s, 1);
	m->done = state && strcmp(state, "done") == 0;
	m->note = column_str(s, 2, a);
	return okra__state_column_day(s, 0, &m->day);
}

okra_rc okra__state_milestones(okra_state *st, const char *kr, okra_arena *a,
                               okra_milestone **out, size_t *n, okra_err *err)
{
	void *rows;
	okra_rc rc = list(st,
	                  "SELECT day, state, note FROM milestone WHERE "
	                  "key_result = ?1 ORDER BY day, created_at, id",
	                  kr, "milestone", sizeof(**out), fill_milestone, a,
	                  &rows, n, err);
	*out = rows;
	return rc;
}

/* ---------------------------------------------------------------------
 * Experiment decisions
 * --------------------------------------------------------------------- */

okra_rc okra__state_decision_add(okra_state *st, const char *experiment,
                                 const char *decision, int32_t day,
                                 const char *note, okra_err *err)
{
	return okra__state_decision_record(st, experiment, decision, day, note,
	                                   NULL, err);
}

okra_rc okra__state_decision_record(okra_state *st, const char *experiment,
                                    const char *decision, int32_t day,
                                    const char *note, const char *computed,
                                    okra_err *err)
{
	static const char *const computed_names[] = {
	    "keep_running", "ship", "stop", "iterate", "invalid"};
	bool computed_ok = !computed;
	for (size_t i = 0; computed && i < OKRA_ARRAY_LEN(computed_names); i++)
		computed_ok |= strcmp(computed, computed_names[i]) == 0;
	if (!computed_ok)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "\"%s\" is not a computed decision",
		                     computed);
	static const char *const decisions[] = {"ship", "iterate", "stop",
	                                        "keep running"};
	bool known = false;
	for (size_t i = 0; decision && i < OKRA_ARRAY_LEN(decisions); i++)
		known |= strcmp(decision, decisions[i]) == 0;
	if (!known)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "a decision is ship, iterate, stop or "
		                     "keep running, not \"%s\"",
		                     decision ? decision : "");
	okra_rc rc;
	if (!experiment || !okra__is_id(experiment))
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "\"%s\" is not an experiment id",
		                     experiment ? experiment : "");
	if ((rc = check_day(day, &day, err)) || (rc = check_note(note, err)) ||
	    (rc = okra__state_need_write(st, err)))
		return rc;
	/* One transaction, as insert_dated writes the other dated rows, with
	 * okra's computed decision beside the team's. */
	char stamp[OKRA_STAMP_LEN + 1];
	sqlite3_stmt *s = NULL;
	if ((rc = okra__state_begin(st, true, err)))
		return rc;
	if ((rc = okra__state_prepare(
	         st,
	         "INSERT INTO decision (experiment, day, decision, note, "
	         "created_at, computed) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	         &s, err)))
		goto out;
	okra__state_stamp(stamp);
	okra__state_bind_text(s, 1, experiment);
	okra__state_bind_day(s, 2, day);
	okra__state_bind_text(s, 3, decision);
	okra__state_bind_text(s, 4, note);
	okra__state_bind_text(s, 5, stamp);
	okra__state_bind_text(s, 6, computed);
	int step = sqlite3_step(s);
	if (step != SQLITE_DONE)
		rc = okra__state_fail(st, step, err);
out:
	sqlite3_finalize(s);
	if (rc == OKRA_OK)
		return okra__state_commit(st, err);
	okra__state_rollback(st);
	return rc;
}

static bool fill_decision(sqlite3_stmt *s, okra_arena *a, void *row)
{
	okra_decision *d = row;
	d->decision = column_str(s, 1, a);
	d->note = column_str(s, 2, a);
	d->computed = column_str(s, 3, a);
	return okra__state_column_day(s, 0, &d->day);
}

okra_rc okra__state_decisions(okra_state *st, const char *experiment,
                              okra_arena *a, okra_decision **out, size_t *n,
                              okra_err *err)
{
	void *rows;
	okra_rc rc = list(st,
	                  "SELECT day, decision, note, computed FROM decision "
	                  "WHERE experiment = ?1 ORDER BY day, created_at, id",
	                  experiment, "decision", sizeof(**out), fill_decision,
	                  a, &rows, n, err);
	*out = rows;
	return rc;
}
