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

static okra_rc nomem(okra_err *err)
{
	return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

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

static okra_rc write_out(const okra_buf *b, FILE *out, okra_err *err)
{
	if (b->failed)
		return nomem(err);
	if (b->len && fwrite(b->data, 1, b->len, out) != b->len)
		return okra__err_set(err, OKRA_ERR_IO, NULL, 0, 0,
		                     "cannot write output");
	return OKRA_OK;
}

/* ---------------------------------------------------------------------
 * Writes
 * --------------------------------------------------------------------- */

okra_rc okra_checkin(const okra_workspace *ws, const char *metric,
                     const char *value, const char *date, const char *note,
                     char date_out[11], okra_err *err)
{
	okra_state *st = NULL;
	int32_t day;
	okra_rc rc;
	if ((rc = parse_date_arg(date, &day, err)) ||
	    (rc = okra__state_checkin_check(ws, metric, value, day, note,
	                                    err)) ||
	    (rc = okra__state_open(ws, true, &st, err)))
		return rc;
	rc = okra__state_checkin(st, ws, metric, value, day, note, err);
	okra__state_close(st);
	if (rc == OKRA_OK)
		recorded_day(day, date_out);
	return rc;
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

static void checkins_text(okra_buf *b, okra_arena *a,
                          const okra_checkin_row *rows, size_t n,
                          const char *metric)
{
	if (n == 0) {
		okra__buf_printf(b, "no check-ins%s%s\n", metric ? " of " : "",
		                 metric ? metric : "");
		return;
	}
	const char **values = okra__arena_alloc(a, n * sizeof(*values));
	size_t w_metric = strlen("metric"), w_value = strlen("value");
	for (size_t i = 0; values && i < n; i++) {
		okra_buf v = {0};
		okra__state_format_number(&v, rows[i].value);
		values[i] = okra__arena_take(a, &v);
		if (values[i] && width(values[i]) > w_value)
			w_value = width(values[i]);
		if (width(rows[i].metric) > w_metric)
			w_metric = width(rows[i].metric);
	}
	if (!values || a->failed) {
		b->failed = true;
		return;
	}
	pad(b, "metric", w_metric, false);
	okra__buf_puts(b, "  date        ");
	pad(b, "value", w_value, true);
	okra__buf_puts(b, "  note\n");
	for (size_t i = 0; i < n; i++) {
		char day[11];
		okra__format_date(rows[i].day, day);
		pad(b, rows[i].metric, w_metric, false);
		okra__buf_printf(b, "  %s  ", day);
		pad(b, values[i], w_value, true);
		if (rows[i].note)
			okra__buf_printf(b, "  %s", one_line(a, rows[i].note));
		okra__buf_putc(b, '\n');
	}
}

static void checkins_json(okra_buf *b, const okra_checkin_row *rows, size_t n)
{
	okra__buf_puts(b, "{\"checkins\":[");
	for (size_t i = 0; i < n; i++) {
		char day[11];
		okra__format_date(rows[i].day, day);
		okra__buf_puts(b, i ? ",\n {\"metric\":" : "\n {\"metric\":");
		okra__buf_json_str(b, rows[i].metric);
		okra__buf_printf(b, ",\"date\":\"%s\",\"value\":", day);
		okra__state_format_number(b, rows[i].value);
		okra__buf_puts(b, ",\"note\":");
		if (rows[i].note)
			okra__buf_json_str(b, rows[i].note);
		else
			okra__buf_puts(b, "null");
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
	rc = write_out(&b, out, err);
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
	rc = a.failed ? nomem(err) : write_out(&b, out, err);
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
		rc = nomem(err);
	else if (path)
		rc = okra__write_file_atomic(path, b.data, b.len, err);
	else
		rc = write_out(&b, out, err);
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
		rc = nomem(err);
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
