/*
 * api.c - the public face of the state (okra.h, "State"): check-in and
 * confidence commands, their listings, export and import.
 *
 * Each call opens the database for as long as it needs it.  Input is
 * validated before the database is opened, so a refused command never
 * creates .okra/okra.db; read commands open it read-only.
 */
#include "state/state.h"
#include "base/fs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* NULL = today (-1); else a valid YYYY-MM-DD. */
static okra_rc parse_date_arg(const char *date, int32_t *day, okra_err *err)
{
	*day = -1;
	if (date && !okra__parse_date(date, day))
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "date \"%s\" is not a date YYYY-MM-DD",
		                     date);
	return OKRA_OK;
}

static void recorded_day(int32_t day, char date_out[11])
{
	if (date_out)
		okra__format_date(day == -1 ? okra__state_today() : day,
		                  date_out);
}

/* ---------------------------------------------------------------------
 * Writes
 * --------------------------------------------------------------------- */

okra_rc okra_checkin_record(const okra_workspace *ws,
                            const okra_checkin_input *in, long long *id,
                            char date_out[11], okra_err *err)
{
	okra_state *st = NULL;
	okra_checkin_req q = {.metric = in->metric,
	                      .value = in->value,
	                      .note = in->note,
	                      .author = in->author,
	                      .corrects = in->corrects};
	int32_t day = -1;
	okra_rc rc;
	if ((rc = parse_date_arg(in->date, &q.day, err)) ||
	    (rc = okra__state_checkin_check(ws, &q, err)) ||
	    (rc = okra__state_open(ws, true, &st, err)))
		return rc;
	rc = okra__state_checkin(st, ws, &q, id, &day, err);
	okra__state_close(st);
	if (rc == OKRA_OK)
		recorded_day(day, date_out);
	return rc;
}

okra_rc okra_checkin(const okra_workspace *ws, const char *metric,
                     const char *value, const char *date, const char *note,
                     char date_out[11], okra_err *err)
{
	okra_checkin_input in = {
	    .metric = metric, .value = value, .date = date, .note = note};
	return okra_checkin_record(ws, &in, NULL, date_out, err);
}

okra_rc okra_confidence_add(const okra_workspace *ws, const char *key_result,
                            const char *value, const char *date,
                            const char *note, char date_out[11], okra_err *err)
{
	okra_state *st = NULL;
	int32_t day;
	okra_rc rc;
	if ((rc = parse_date_arg(date, &day, err)) ||
	    (rc = okra__state_confidence_check(ws, key_result, value, day, note,
	                                       err)) ||
	    (rc = okra__state_open(ws, true, &st, err)))
		return rc;
	rc = okra__state_confidence(st, ws, key_result, value, day, note, err);
	okra__state_close(st);
	if (rc == OKRA_OK)
		recorded_day(day, date_out);
	return rc;
}

okra_rc okra_milestone_mark(const okra_workspace *ws, const char *key_result,
                            const char *state, const char *date,
                            const char *note, char date_out[11], okra_err *err)
{
	okra_state *st = NULL;
	int32_t day;
	okra_rc rc;
	if ((rc = parse_date_arg(date, &day, err)) ||
	    (rc = okra__state_check_milestone(ws, key_result, state, err)) ||
	    (rc = okra__state_open(ws, true, &st, err)))
		return rc;
	rc = okra__state_milestone(st, ws, key_result, state, day, note, err);
	okra__state_close(st);
	if (rc == OKRA_OK)
		recorded_day(day, date_out);
	return rc;
}

/* ---------------------------------------------------------------------
 * Listings
 * --------------------------------------------------------------------- */

/* A note on one table line: control characters become spaces. */
static const char *one_line(okra_arena *a, const char *note)
{
	char *s = okra__arena_strdup(a, note ? note : "");
	for (char *p = s; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return s ? s : "";
}

static size_t width(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p & 0xc0) != 0x80; /* UTF-8 characters */
	return n;
}

static void pad(okra_buf *b, const char *s, size_t w, bool right)
{
	for (size_t i = width(s); right && i < w; i++)
		okra__buf_putc(b, ' ');
	okra__buf_puts(b, s);
	for (size_t i = width(s); !right && i < w; i++)
		okra__buf_putc(b, ' ');
}

/* Opens read-only (NULL when there is no database) and checks it whole. */
static okra_rc open_verified(const okra_workspace *ws, okra_state **st,
                             okra_err *err)
{
	okra_rc rc = okra__state_open(ws, false, st, err);
	if (rc == OKRA_OK && (rc = okra__state_verify(*st, err))) {
		okra__state_close(*st);
		*st = NULL;
	}
	return rc;
}

/* "corrects #3", "corrected by #5", both, or "". */
static const char *history(okra_arena *a, const okra_checkin_row *r)
{
	if (r->corrects && r->corrected_by)
		return okra__arena_printf(a,
		                          "corrects #%lld, corrected by #%lld",
		                          r->corrects, r->corrected_by);
	if (r->corrects)
		return okra__arena_printf(a, "corrects #%lld", r->corrects);
	if (r->corrected_by)
		return okra__arena_printf(a, "corrected by #%lld",
		                          r->corrected_by);
	return "";
}

static void checkins_text(okra_buf *b, okra_arena *a,
                          const okra_checkin_row *rows, size_t n,
                          const char *metric)
{
	if (n == 0) {
		okra__buf_printf(b, "no check-ins%s%s\n", metric ? " of " : "",
		                 metric ? metric : "");
		return;
	}
	enum { C_ID, C_METRIC, C_DATE, C_VALUE, C_AUTHOR, C_NOTE, C_HISTORY };
	static const char *const head[] = {
	    "#", "metric", "date", "value", "author", "note", "history"};
	const char **cells = okra__arena_alloc(a, 7 * n * sizeof(*cells));
	size_t w[7];
	for (int c = 0; c < 7; c++)
		w[c] = width(head[c]);
	for (size_t i = 0; cells && i < n; i++) {
		const okra_checkin_row *r = &rows[i];
		const char **row = cells + 7 * i;
		okra_buf v = {0};
		okra__state_format_number(&v, r->value);
		char day[11];
		okra__format_date(r->day, day);
		row[C_ID] = okra__arena_printf(a, "%lld", r->id);
		row[C_METRIC] = r->metric;
		row[C_DATE] = okra__arena_strdup(a, day);
		row[C_VALUE] = okra__arena_take(a, &v);
		row[C_AUTHOR] = r->author ? one_line(a, r->author) : "-";
		row[C_NOTE] = r->note ? one_line(a, r->note) : "";
		row[C_HISTORY] = history(a, r);
		for (int c = 0; c < 7; c++)
			if (row[c] && width(row[c]) > w[c])
				w[c] = width(row[c]);
	}
	if (!cells || a->failed) {
		b->failed = true;
		return;
	}
	/* Columns no row fills (no notes, no corrections) are left out. */
	int shown = C_HISTORY;
	while (shown > C_AUTHOR && w[shown] == width(head[shown])) {
		bool any = false;
		for (size_t i = 0; i < n && !any; i++)
			any = cells[7 * i + shown][0] != '\0';
		if (any)
			break;
		shown--;
	}
	for (size_t i = 0; i <= n; i++) {
		const char *const *row = i ? cells + 7 * (i - 1) : head;
		/* The last column that has text ends the line. */
		int last = shown;
		while (last > C_AUTHOR && !row[last][0])
			last--;
		for (int c = 0; c <= last; c++) {
			if (c)
				okra__buf_puts(b, "  ");
			pad(b, row[c], c == last ? 0 : w[c],
			    c == C_ID || c == C_VALUE);
		}
		okra__buf_putc(b, '\n');
	}
}

static void json_str_or_null(okra_buf *b, const char *s)
{
	if (s)
		okra__buf_json_str(b, s);
	else
		okra__buf_puts(b, "null");
}

static void json_id_or_null(okra_buf *b, long long id)
{
	if (id)
		okra__buf_printf(b, "%lld", id);
	else
		okra__buf_puts(b, "null");
}

static void checkins_json(okra_buf *b, const okra_checkin_row *rows, size_t n)
{
	okra__buf_puts(b, "{\"checkins\":[");
	for (size_t i = 0; i < n; i++) {
		const okra_checkin_row *r = &rows[i];
		char day[11];
		okra__format_date(r->day, day);
		okra__buf_printf(
		    b, "%s{\"id\":%lld,\"metric\":", i ? ",\n " : "\n ", r->id);
		okra__buf_json_str(b, r->metric);
		okra__buf_printf(b, ",\"date\":\"%s\",\"value\":", day);
		okra__state_format_number(b, r->value);
		okra__buf_puts(b, ",\"note\":");
		json_str_or_null(b, r->note);
		okra__buf_puts(b, ",\"author\":");
		json_str_or_null(b, r->author);
		okra__buf_puts(b, ",\"corrects\":");
		json_id_or_null(b, r->corrects);
		okra__buf_puts(b, ",\"corrected_by\":");
		json_id_or_null(b, r->corrected_by);
		okra__buf_putc(b, '}');
	}
	okra__buf_puts(b, "\n]}\n");
}

okra_rc okra_checkins_write(const okra_workspace *ws, const char *metric,
                            okra_format format, FILE *out, okra_err *err)
{
	okra_state *st = NULL;
	okra_arena a = {0};
	okra_buf b = {0};
	okra_checkin_row *rows = NULL;
	size_t n = 0;
	okra_rc rc;
	if (metric && (rc = okra__state_check_metric(ws, metric, err)))
		return rc;
	if ((rc = open_verified(ws, &st, err)) ||
	    (rc = okra__state_checkins(st, metric, &a, &rows, &n, err)))
		goto out;
	if (format == OKRA_FORMAT_JSON)
		checkins_json(&b, rows, n);
	else
		checkins_text(&b, &a, rows, n, metric);
	rc = okra__buf_write(&b, out, err);
out:
	okra__state_close(st);
	okra__buf_free(&b);
	okra__arena_free(&a);
	return rc;
}

okra_rc okra_confidence_write(const okra_workspace *ws, const char *key_result,
                              okra_format format, FILE *out, okra_err *err)
{
	okra_state *st = NULL;
	okra_arena a = {0};
	okra_buf b = {0};
	okra_confidence *rows = NULL;
	size_t n = 0;
	okra_rc rc;
	if ((rc = okra__state_check_key_result(ws, key_result, err)))
		return rc;
	if ((rc = open_verified(ws, &st, err)) ||
	    (rc = okra__state_confidences(st, key_result, &a, &rows, &n, err)))
		goto out;
	if (format == OKRA_FORMAT_JSON) {
		okra__buf_puts(&b, "{\"key_result\":");
		okra__buf_json_str(&b, key_result);
		okra__buf_puts(&b, ",\"confidence\":[");
		for (size_t i = 0; i < n; i++) {
			char day[11];
			okra__format_date(rows[i].day, day);
			okra__buf_printf(
			    &b, "%s{\"date\":\"%s\",\"value\":%d,\"note\":",
			    i ? ",\n " : "\n ", day, rows[i].value);
			if (rows[i].note)
				okra__buf_json_str(&b, rows[i].note);
			else
				okra__buf_puts(&b, "null");
			okra__buf_putc(&b, '}');
		}
		okra__buf_puts(&b, "\n]}\n");
	} else if (n == 0) {
		okra__buf_printf(&b, "no confidence check-ins of %s\n",
		                 key_result);
	} else {
		okra__buf_puts(&b, "date        confidence  note\n");
		for (size_t i = 0; i < n; i++) {
			char day[11];
			okra__format_date(rows[i].day, day);
			okra__buf_printf(&b, "%s  %10d", day, rows[i].value);
			if (rows[i].note)
				okra__buf_printf(&b, "  %s",
				                 one_line(&a, rows[i].note));
			okra__buf_putc(&b, '\n');
		}
	}
	rc = a.failed ? okra__nomem(err) : okra__buf_write(&b, out, err);
out:
	okra__state_close(st);
	okra__buf_free(&b);
	okra__arena_free(&a);
	return rc;
}

/* ---------------------------------------------------------------------
 * Export and import
 * --------------------------------------------------------------------- */

okra_rc okra_state_export(const okra_workspace *ws, const char *path, FILE *out,
                          okra_err *err)
{
	okra_state *st = NULL;
	okra_buf b = {0};
	okra_rc rc;
	if ((rc = open_verified(ws, &st, err)) ||
	    (rc = okra__state_export(st, &b, err)))
		goto out;
	if (b.failed)
		rc = okra__nomem(err);
	else if (path)
		rc = okra__write_file_atomic(path, b.data, b.len, err);
	else
		rc = okra__buf_write(&b, out, err);
out:
	okra__state_close(st);
	okra__buf_free(&b);
	return rc;
}

okra_rc okra_state_import(const okra_workspace *ws, FILE *in, const char *name,
                          okra_import_summary *summary, okra_err *err)
{
	okra_buf text = {0};
	okra_arena a = {0};
	okra_state *st = NULL;
	okra_import *im = NULL;
	okra_rc rc = OKRA_OK;
	char chunk[1 << 16];
	size_t k;
	while ((k = fread(chunk, 1, sizeof(chunk), in)) > 0) {
		if (text.len + k > OKRA_MAX_IMPORT_BYTES) {
			rc = okra__err_set(err, OKRA_ERR_DATA, name, 0, 0,
			                   "the import is larger than %u MiB; "
			                   "split it into several files",
			                   OKRA_MAX_IMPORT_BYTES >> 20);
			goto out;
		}
		okra__buf_append(&text, chunk, k);
	}
	if (ferror(in)) {
		rc = okra__err_set(err, OKRA_ERR_IO, name, 0, 0, "read error");
		goto out;
	}
	if (text.failed) {
		rc = okra__nomem(err);
		goto out;
	}
	unsigned long long added = 0, present = 0;
	if ((rc = okra__state_import_parse(text.data ? text.data : "", text.len,
	                                   name, &a, &im, err)) ||
	    (rc = okra__state_open(ws, true, &st, err)) ||
	    (rc = okra__state_import_apply(st, im, &added, &present, err)))
		goto out;
	if (summary) {
		summary->added = added;
		summary->present = present;
	}
out:
	okra__state_close(st);
	okra__arena_free(&a);
	okra__buf_free(&text);
	return rc;
}
