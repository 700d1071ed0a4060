/*
 * transfer.c - the state as JSON Lines: okra export writes every row, one
 * object per line with a "table" key, in a fixed order; okra import reads
 * such a file back.  The only code that includes jansson.h.
 *
 * Import validates every line before it touches a database, then inserts
 * in one transaction.  Rows are keyed (uid; a review by as-of; a snapshot
 * by as-of and key result) and a stored key is never overwritten, so
 * importing an export twice changes nothing.  Format: docs/state.md.
 */
#include "state/state_int.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT_FORMAT 1
#define MAX_FIELDS    8

/* ---------------------------------------------------------------------
 * The tables as the file sees them
 * --------------------------------------------------------------------- */

typedef enum {
	F_UID,         /* 16 lowercase hex digits */
	F_ID,          /* an okra id */
	F_DAY,         /* YYYY-MM-DD */
	F_PAST_DAY,    /* YYYY-MM-DD, not after today */
	F_NUMBER,      /* finite */
	F_NUMBER_NULL, /* finite or null */
	F_CONFIDENCE,  /* integer 0..10 */
	F_NOTE,        /* string or null */
	F_STAMP,       /* YYYY-MM-DDTHH:MM:SS.ffffffZ */
	F_STATUS,
	F_DECISION,
	F_COMPUTED,  /* okra's decision or null; may be absent (older files) */
	F_MILESTONE, /* "done" or "open" */
	F_AUTHOR,    /* a check-in's author or null; may be absent (older) */
	F_UID_NULL,  /* a uid or null; may be absent (older files) */
} field_kind;

typedef struct field {
	const char *key;
	field_kind kind;
} field;

typedef struct table_spec {
	const char *name;
	field fields[MAX_FIELDS];
	size_t n_fields;
	const char *select_sql; /* the fields in order, in export order */
	const char *insert_sql; /* ?1.. = the fields; skips a stored key */
} table_spec;

static const table_spec tables[] = {
    {"checkin",
     {{"uid", F_UID},
      {"metric", F_ID},
      {"date", F_PAST_DAY},
      {"value", F_NUMBER},
      {"note", F_NOTE},
      {"created_at", F_STAMP},
      {"author", F_AUTHOR},
      {"supersedes", F_UID_NULL}},
     8,
     "SELECT uid, metric, day, value, note, created_at, author, supersedes "
     "FROM checkin ORDER BY metric, day, created_at, uid",
     "INSERT INTO checkin (uid, metric, day, value, note, created_at, "
     "author, supersedes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
     "ON CONFLICT (uid) DO NOTHING"},
    {"confidence",
     {{"uid", F_UID},
      {"key_result", F_ID},
      {"date", F_PAST_DAY},
      {"value", F_CONFIDENCE},
      {"note", F_NOTE},
      {"created_at", F_STAMP}},
     6,
     "SELECT uid, key_result, day, value, note, created_at FROM confidence "
     "ORDER BY key_result, day, created_at, uid",
     "INSERT INTO confidence (uid, key_result, day, value, note, created_at) "
     "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (uid) DO NOTHING"},
    {"review",
     {{"asof", F_DAY}, {"created_at", F_STAMP}},
     2,
     "SELECT asof, created_at FROM review ORDER BY asof",
     "INSERT INTO review (asof, created_at) VALUES (?1, ?2) "
     "ON CONFLICT (asof) DO NOTHING"},
    {"snapshot",
     {{"asof", F_DAY},
      {"key_result", F_ID},
      {"value", F_NUMBER_NULL},
      {"expected", F_NUMBER_NULL},
      {"score", F_NUMBER_NULL},
      {"status", F_STATUS}},
     6,
     "SELECT asof, key_result, value, expected, score, status FROM snapshot "
     "ORDER BY asof, key_result",
     "INSERT INTO snapshot (asof, key_result, value, expected, score, status) "
     "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (asof, key_result) DO "
     "NOTHING"},
    {"decision",
     {{"uid", F_UID},
      {"experiment", F_ID},
      {"date", F_PAST_DAY},
      {"decision", F_DECISION},
      {"note", F_NOTE},
      {"created_at", F_STAMP},
      {"computed", F_COMPUTED}},
     7,
     "SELECT uid, experiment, day, decision, note, created_at, computed "
     "FROM decision ORDER BY experiment, day, created_at, uid",
     "INSERT INTO decision (uid, experiment, day, decision, note, created_at, "
     "computed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
     "ON CONFLICT (uid) DO NOTHING"},
    {"milestone",
     {{"uid", F_UID},
      {"key_result", F_ID},
      {"date", F_PAST_DAY},
      {"state", F_MILESTONE},
      {"note", F_NOTE},
      {"created_at", F_STAMP}},
     6,
     "SELECT uid, key_result, day, state, note, created_at FROM milestone "
     "ORDER BY key_result, day, created_at, uid",
     "INSERT INTO milestone (uid, key_result, day, state, note, created_at) "
     "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (uid) DO NOTHING"},
};

#define N_TABLES OKRA_ARRAY_LEN(tables)

static const char *const statuses[] = {"green", "yellow",  "red",
                                       "done",  "no data", "open"};
static const char *const decisions[] = {"ship", "iterate", "stop",
                                        "keep running"};
static const char *const computed_decisions[] = {"keep_running", "ship", "stop",
                                                 "iterate", "invalid"};

static bool one_of(const char *s, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return true;
	return false;
}

/* ---------------------------------------------------------------------
 * Export
 * --------------------------------------------------------------------- */

static void write_cell(okra_buf *b, sqlite3_stmt *s, int i, field_kind kind)
{
	if (sqlite3_column_type(s, i) == SQLITE_NULL) {
		okra__buf_puts(b, "null");
		return;
	}
	switch (kind) {
	case F_NUMBER:
	case F_NUMBER_NULL:
		okra__state_format_number(b, sqlite3_column_double(s, i));
		break;
	case F_CONFIDENCE:
		okra__buf_printf(b, "%d", sqlite3_column_int(s, i));
		break;
	default:
		okra__buf_json_str(b, (const char *)sqlite3_column_text(s, i));
	}
}

okra_rc okra__state_export(okra_state *st, okra_buf *out, okra_err *err)
{
	okra__buf_printf(out, "{\"table\":\"okra\",\"format\":%d}\n",
	                 EXPORT_FORMAT);
	if (!st)
		return OKRA_OK;
	okra_rc rc = okra__state_begin(st, false, err);
	if (rc)
		return rc;
	for (size_t t = 0; t < N_TABLES && rc == OKRA_OK; t++) {
		const table_spec *spec = &tables[t];
		sqlite3_stmt *s = NULL;
		if ((rc = okra__state_prepare(st, spec->select_sql, &s, err)))
			break;
		int step;
		while ((step = sqlite3_step(s)) == SQLITE_ROW) {
			okra__buf_printf(out, "{\"table\":\"%s\"", spec->name);
			for (size_t f = 0; f < spec->n_fields; f++) {
				okra__buf_printf(
				    out, ",\"%s\":", spec->fields[f].key);
				write_cell(out, s, (int)f,
				           spec->fields[f].kind);
			}
			okra__buf_puts(out, "}\n");
		}
		if (step != SQLITE_DONE)
			rc = okra__state_fail(st, step, err);
		sqlite3_finalize(s);
	}
	okra__state_rollback(st); /* ends the read transaction */
	if (rc == OKRA_OK && out->failed)
		rc = okra__nomem(err);
	return rc;
}

/* ---------------------------------------------------------------------
 * Import: parse and validate
 * --------------------------------------------------------------------- */

typedef struct cell {
	const char *text; /* strings; NULL for null */
	double number;    /* numbers; NaN for null */
} cell;

typedef struct import_row {
	const table_spec *spec;
	int line;
	cell cells[MAX_FIELDS];
} import_row;

struct okra_import {
	const char *display;
	import_row *rows;
	size_t n;
};

typedef struct parser {
	okra_arena *a;
	const char *display;
	int line;
	okra_err *err;
} parser;

static okra_rc line_fail(parser *p, int col, const char *fmt, ...)
    OKRA_PRINTF(3, 4);

static okra_rc line_fail(parser *p, int col, const char *fmt, ...)
{
	char msg[sizeof(p->err->msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return okra__err_set(p->err, OKRA_ERR_DATA, p->display, p->line, col,
	                     "%s", msg);
}

static bool is_uid(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') ||
		      (s[n] >= 'a' && s[n] <= 'f')))
			return false;
	return n == 16;
}

/* Checks one value of a row and stores it into c. */
static okra_rc parse_cell(parser *p, const table_spec *spec, const field *f,
                          json_t *v, cell *c)
{
	const char *text = json_is_string(v) ? json_string_value(v) : NULL;
	int32_t day;
	c->text = NULL;
	c->number = NAN;
	switch (f->kind) {
	case F_NUMBER_NULL:
		if (json_is_null(v))
			return OKRA_OK;
		/* fall through */
	case F_NUMBER:
		if (!json_is_number(v) || !isfinite(json_number_value(v)))
			return line_fail(
			    p, 0, "%s: \"%s\" must be a number%s", spec->name,
			    f->key, f->kind == F_NUMBER_NULL ? " or null" : "");
		c->number = json_number_value(v);
		return OKRA_OK;
	case F_CONFIDENCE:
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 10)
			return line_fail(
			    p, 0,
			    "%s: \"%s\" must be a whole number from 0 to 10",
			    spec->name, f->key);
		c->number = (double)json_integer_value(v);
		return OKRA_OK;
	case F_NOTE:
		if (json_is_null(v))
			return OKRA_OK;
		if (!text)
			return line_fail(p, 0,
			                 "%s: \"%s\" must be a string or null",
			                 spec->name, f->key);
		break;
	case F_UID:
		if (!text || !is_uid(text))
			return line_fail(
			    p, 0, "%s: \"%s\" must be 16 lowercase hex digits",
			    spec->name, f->key);
		break;
	case F_ID:
		if (!text || !okra__is_id(text))
			return line_fail(
			    p, 0, "%s: \"%s\" must be an id ([a-z][a-z0-9_]*)",
			    spec->name, f->key);
		break;
	case F_DAY:
	case F_PAST_DAY:
		if (!text || !okra__parse_date(text, &day))
			return line_fail(p, 0,
			                 "%s: \"%s\" must be a date YYYY-MM-DD",
			                 spec->name, f->key);
		if (f->kind == F_PAST_DAY && day > okra__state_today())
			return line_fail(p, 0, "%s: \"%s\" %s is in the future",
			                 spec->name, f->key, text);
		break;
	case F_STAMP:
		if (!text || !okra__state_is_stamp(text))
			return line_fail(p, 0,
			                 "%s: \"%s\" must be a UTC time "
			                 "YYYY-MM-DDTHH:MM:SS.ffffffZ",
			                 spec->name, f->key);
		break;
	case F_STATUS:
		if (!text || !one_of(text, statuses, OKRA_ARRAY_LEN(statuses)))
			return line_fail(p, 0,
			                 "%s: \"%s\" must be green, yellow, "
			                 "red, done, no data or open",
			                 spec->name, f->key);
		break;
	case F_DECISION:
		if (!text ||
		    !one_of(text, decisions, OKRA_ARRAY_LEN(decisions)))
			return line_fail(p, 0,
			                 "%s: \"%s\" must be ship, iterate, "
			                 "stop or keep running",
			                 spec->name, f->key);
		break;
	case F_MILESTONE:
		if (!text ||
		    (strcmp(text, "done") != 0 && strcmp(text, "open") != 0))
			return line_fail(p, 0,
			                 "%s: \"%s\" must be done or open",
			                 spec->name, f->key);
		break;
	case F_AUTHOR:
		if (json_is_null(v))
			return OKRA_OK;
		if (!text || !text[0] || strlen(text) > OKRA_MAX_AUTHOR_BYTES ||
		    strlen(text) != json_string_length(v))
			return line_fail(p, 0,
			                 "%s: \"%s\" must be a name of 1 to %d "
			                 "bytes, or null",
			                 spec->name, f->key,
			                 OKRA_MAX_AUTHOR_BYTES);
		break;
	case F_UID_NULL:
		if (json_is_null(v))
			return OKRA_OK;
		if (!text || !is_uid(text))
			return line_fail(p, 0,
			                 "%s: \"%s\" must be 16 lowercase hex "
			                 "digits, or null",
			                 spec->name, f->key);
		break;
	case F_COMPUTED:
		if (json_is_null(v))
			return OKRA_OK;
		if (!text || !one_of(text, computed_decisions,
		                     OKRA_ARRAY_LEN(computed_decisions)))
			return line_fail(p, 0,
			                 "%s: \"%s\" must be keep_running, "
			                 "ship, stop, iterate, invalid or null",
			                 spec->name, f->key);
		break;
	}
	c->text = okra__arena_strdup(p->a, text);
	return c->text ? OKRA_OK : okra__nomem(p->err);
}

/* Parses one non-empty line: the header (first) or a row. */
static okra_rc parse_line(parser *p, const char *s, size_t len, bool header,
                          import_row *row)
{
	json_error_t jerr;
	json_t *obj = json_loadb(s, len, JSON_REJECT_DUPLICATES, &jerr);
	okra_rc rc = OKRA_OK;
	if (!obj)
		return line_fail(p, jerr.column > 0 ? jerr.column : 0,
		                 "invalid JSON: %s", jerr.text);
	if (!json_is_object(obj)) {
		rc = line_fail(p, 0, "a line must be one JSON object");
		goto out;
	}
	json_t *table = json_object_get(obj, "table");
	const char *name =
	    json_is_string(table) ? json_string_value(table) : NULL;
	if (header) {
		json_t *format = json_object_get(obj, "format");
		if (!name || strcmp(name, "okra") != 0 ||
		    !json_is_integer(format) || json_object_size(obj) != 2) {
			rc = line_fail(p, 0,
			               "the first line must be the header "
			               "{\"table\":\"okra\",\"format\":%d} of "
			               "an okra export",
			               EXPORT_FORMAT);
		} else if (json_integer_value(format) != EXPORT_FORMAT) {
			rc = line_fail(p, 0,
			               "export format %lld is not one this "
			               "okra reads (%d)",
			               (long long)json_integer_value(format),
			               EXPORT_FORMAT);
		}
		goto out;
	}
	if (!name) {
		rc = line_fail(p, 0, "a row needs a \"table\" string");
		goto out;
	}
	const table_spec *spec = NULL;
	for (size_t t = 0; t < N_TABLES && !spec; t++)
		if (strcmp(tables[t].name, name) == 0)
			spec = &tables[t];
	if (!spec) {
		rc = line_fail(p, 0,
		               "unknown table \"%s\" (checkin, confidence, "
		               "review, snapshot, decision, milestone)",
		               name);
		goto out;
	}
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		bool known = strcmp(key, "table") == 0;
		for (size_t f = 0; f < spec->n_fields && !known; f++)
			known = strcmp(key, spec->fields[f].key) == 0;
		if (!known) {
			rc = line_fail(p, 0, "%s: unknown key \"%s\"",
			               spec->name, key);
			goto out;
		}
	}
	row->spec = spec;
	row->line = p->line;
	for (size_t f = 0; f < spec->n_fields && rc == OKRA_OK; f++) {
		v = json_object_get(obj, spec->fields[f].key);
		if (!v && (spec->fields[f].kind == F_COMPUTED ||
		           spec->fields[f].kind == F_AUTHOR ||
		           spec->fields[f].kind == F_UID_NULL))
			row->cells[f] = (cell){NULL, NAN}; /* an older export */
		else if (!v)
			rc = line_fail(p, 0, "%s: missing key \"%s\"",
			               spec->name, spec->fields[f].key);
		else
			rc = parse_cell(p, spec, &spec->fields[f], v,
			                &row->cells[f]);
	}
out:
	json_decref(obj);
	return rc;
}

okra_rc okra__state_import_parse(const char *text, size_t len,
                                 const char *display, okra_arena *a,
                                 okra_import **out, okra_err *err)
{
	parser p = {.a = a, .display = display, .err = err};
	size_t n_lines = 1;
	for (size_t i = 0; i < len; i++)
		n_lines += text[i] == '\n';
	okra_import *im = okra__arena_alloc(a, sizeof(*im));
	import_row *rows = okra__arena_alloc(a, n_lines * sizeof(*rows));
	if (!im || !rows)
		return okra__nomem(err);
	size_t n = 0;
	bool header = true;
	for (size_t at = 0; at < len;) {
		const char *s = text + at;
		const char *nl = memchr(s, '\n', len - at);
		size_t line_len = nl ? (size_t)(nl - s) : len - at;
		at += line_len + (nl != NULL);
		p.line++;
		if (line_len && s[line_len - 1] == '\r')
			line_len--; /* a CRLF checkout */
		if (line_len == 0)
			continue;
		okra_rc rc = parse_line(&p, s, line_len, header, &rows[n]);
		if (rc)
			return rc;
		if (!header)
			n++;
		header = false;
	}
	if (header) {
		p.line = 1;
		return line_fail(
		    &p, 0,
		    "empty file: an okra export starts with the header "
		    "{\"table\":\"okra\",\"format\":%d}",
		    EXPORT_FORMAT);
	}
	im->display = okra__arena_strdup(a, display);
	im->rows = rows;
	im->n = n;
	if (a->failed)
		return okra__nomem(err);
	*out = im;
	return OKRA_OK;
}

/* ---------------------------------------------------------------------
 * Import: apply
 * --------------------------------------------------------------------- */

static void bind_cell(sqlite3_stmt *s, int i, field_kind kind, const cell *c)
{
	switch (kind) {
	case F_NUMBER:
	case F_NUMBER_NULL:
		if (isnan(c->number))
			sqlite3_bind_null(s, i);
		else
			sqlite3_bind_double(s, i, c->number);
		break;
	case F_CONFIDENCE:
		sqlite3_bind_int(s, i, (int)c->number);
		break;
	default:
		okra__state_bind_text(s, i, c->text);
	}
}

/* The line of the file that holds check-in uid (0: none). */
static int line_of_checkin(const okra_import *im, const char *uid)
{
	for (size_t i = 0; i < im->n; i++)
		if (strcmp(im->rows[i].spec->name, "checkin") == 0 &&
		    strcmp(im->rows[i].cells[0].text, uid) == 0)
			return im->rows[i].line;
	return 0;
}

/* Before the commit: every correction supersedes a check-in of its own
 * metric that the database holds (from the file or from before), so
 * the deferred key never fails without saying which row. */
static okra_rc check_corrections(okra_state *st, const okra_import *im,
                                 okra_err *err)
{
	sqlite3_stmt *s = NULL;
	okra_rc rc = okra__state_prepare(
	    st,
	    "SELECT c.uid, c.supersedes, o.metric, c.metric FROM checkin c "
	    "LEFT JOIN checkin o ON o.uid = c.supersedes WHERE c.supersedes "
	    "IS NOT NULL AND (o.uid IS NULL OR o.metric != c.metric) LIMIT 1",
	    &s, err);
	if (rc)
		return rc;
	int step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		const char *uid = (const char *)sqlite3_column_text(s, 0);
		const char *of = (const char *)sqlite3_column_text(s, 1);
		bool missing = sqlite3_column_type(s, 2) == SQLITE_NULL;
		rc = okra__err_set(
		    err, OKRA_ERR_DATA, im->display, line_of_checkin(im, uid),
		    0,
		    missing
		        ? "checkin: it corrects %s, which is neither in the "
		          "database nor in the file"
		        : "checkin: it corrects %s, a check-in of another "
		          "metric",
		    of);
	} else if (step != SQLITE_DONE) {
		rc = okra__state_fail(st, step, err);
	}
	sqlite3_finalize(s);
	return rc;
}

okra_rc okra__state_import_apply(okra_state *st, const okra_import *im,
                                 unsigned long long *added,
                                 unsigned long long *present, okra_err *err)
{
	okra_rc rc = okra__state_need_write(st, err);
	if (rc)
		return rc;
	sqlite3_stmt *insert[N_TABLES] = {0};
	unsigned long long n_added = 0, n_present = 0;
	if ((rc = okra__state_begin(st, true, err)))
		return rc;
	for (size_t t = 0; t < N_TABLES && rc == OKRA_OK; t++)
		rc = okra__state_prepare(st, tables[t].insert_sql, &insert[t],
		                         err);
	for (size_t i = 0; i < im->n && rc == OKRA_OK; i++) {
		const import_row *row = &im->rows[i];
		const table_spec *spec = row->spec;
		sqlite3_stmt *s = insert[spec - tables];
		sqlite3_reset(s);
		for (size_t f = 0; f < spec->n_fields; f++)
			bind_cell(s, (int)f + 1, spec->fields[f].kind,
			          &row->cells[f]);
		int step = sqlite3_step(s);
		if (step == SQLITE_DONE) {
			if (sqlite3_changes(st->db) > 0)
				n_added++;
			else
				n_present++;
		} else if (step == SQLITE_CONSTRAINT_FOREIGNKEY) {
			rc = okra__err_set(
			    err, OKRA_ERR_DATA, im->display, row->line, 0,
			    "snapshot: review %s is neither in the database "
			    "nor earlier in the file",
			    row->cells[0].text);
		} else {
			okra_err e = {0};
			okra__state_fail(st, step, &e);
			rc = okra__err_set(err, e.rc, im->display, row->line, 0,
			                   "%s: %s", spec->name, e.msg);
		}
	}
	for (size_t t = 0; t < N_TABLES; t++)
		sqlite3_finalize(insert[t]);
	if (rc == OKRA_OK)
		rc = check_corrections(st, im, err);
	if (rc == OKRA_OK)
		rc = okra__state_commit(st, err);
	else
		okra__state_rollback(st);
	if (rc == OKRA_OK) {
		*added = n_added;
		*present = n_present;
	}
	return rc;
}
