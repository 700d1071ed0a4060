/*
 * api.c - the JSON API of okra serve (SPEC 9): the same library calls
 * and the same writers as the command line, so /api/metrics prints what
 * `okra metrics --format json` prints, byte for byte.
 *
 * Handlers run with the model lock held.  Writes (check-ins, confidence)
 * go through the state module, one transaction each; their bodies are
 * parsed with jansson and every field is checked before anything is
 * written.  Nothing here talks to libmicrohttpd.
 */
#include "server/server.h"
#include "review/review.h"
#include "state/state.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_POINTS OKRA_MAX_API_SERIES_POINTS
#define MAX_NOTE   OKRA_MAX_NOTE_BYTES

/* Copies what a FILE* writer (okra_result_write, okra_findings_write)
 * wrote into out's body. */
typedef struct memout {
	FILE *f;
	char *data;
	size_t len;
} memout;

static bool mem_open(memout *m)
{
	m->data = NULL;
	m->len = 0;
	m->f = open_memstream(&m->data, &m->len);
	return m->f != NULL;
}

static bool mem_close(memout *m, okra_resp *out)
{
	bool ok = fclose(m->f) == 0;
	if (ok)
		okra__buf_append(&out->body, m->data ? m->data : "", m->len);
	free(m->data);
	return ok && !out->body.failed;
}

void okra__resp_not_found(okra_req *req, okra_resp *out, const char *what,
                          const char *id, const char *near)
{
	if (near)
		okra__resp_error(req, out, 404,
		                 "unknown %s \"%.100s\"; did you mean \"%s\"?",
		                 what, id, near);
	else
		okra__resp_error(req, out, 404, "unknown %s \"%.100s\"", what,
		                 id);
}

bool okra__api_check_metric(okra_req *req, okra_model *m, const char *id,
                            okra_resp *out)
{
	const okra_workspace *ws = m->ws;
	if (okra__find_metric(ws, id) >= 0)
		return true;
	const char *near = okra__nearest_id(id, ws->metrics, ws->n_metrics,
	                                    sizeof(*ws->metrics));
	okra__resp_not_found(req, out, "metric", id, near);
	return false;
}

static bool check_kr(okra_req *req, okra_model *m, const char *id,
                     okra_resp *out)
{
	const okra_workspace *ws = m->ws;
	if (okra__find_key_result(ws, id) >= 0)
		return true;
	const char *near = okra__nearest_id(
	    id, ws->key_results, ws->n_key_results, sizeof(*ws->key_results));
	okra__resp_not_found(req, out, "key result", id, near);
	return false;
}

/* ---- GET --------------------------------------------------------------- */

/* The review as `okra review` builds it (lint included), never saved: a
 * GET stores nothing. */
okra_rc okra__srv_review(okra_req *req, okra_model *m, okra_review **out,
                         okra_resp *resp)
{
	okra_review_request rq = {.asof = okra__req_param(req, "asof"),
	                          .lint = true};
	const char *team = okra__req_param(req, "team");
	if (team && team[0]) {
		if (okra__find_team(m->ws, team) < 0) {
			okra__resp_error(req, resp, 404,
			                 "unknown team \"%.100s\"", team);
			return OKRA_ERR_USAGE;
		}
		rq.team = team;
	}
	okra_err err = {0};
	okra_rc rc = okra_review_run(m->engine, &rq, out, &err);
	if (rc)
		okra__resp_from_err(req, resp, &err);
	return rc;
}

void okra__api_review(okra_req *req, okra_model *m, okra_resp *out)
{
	okra_review *r = NULL;
	char *text = NULL;
	size_t len = 0;
	okra_err err = {0};
	if (okra__srv_review(req, m, &r, out))
		return;
	if (okra_review_render(r, OKRA_FORMAT_JSON, false, &text, &len, &err)) {
		okra__resp_from_err(req, out, &err);
	} else {
		okra__resp_json(out, 200);
		okra__buf_append(&out->body, text, len);
	}
	free(text);
	okra_review_free(r);
}

void okra__api_metrics(okra_req *req, okra_model *m, okra_resp *out)
{
	const char *where[1] = {okra__req_param(req, "where")};
	okra_query q = {.asof = okra__req_param(req, "asof"),
	                .by = okra__req_param(req, "by"),
	                .where = where,
	                .n_where = where[0] != NULL,
	                .compare = okra__req_param(req, "compare")};
	okra_result *r = NULL;
	okra_err err = {0};
	memout mo;
	if (okra_metrics_eval(m->engine, &q, &r, &err)) {
		okra__resp_from_err(req, out, &err);
		return;
	}
	okra__resp_json(out, 200);
	if (!mem_open(&mo) ||
	    okra_result_write(r, OKRA_FORMAT_JSON, mo.f, &err) ||
	    !mem_close(&mo, out))
		okra__resp_error(req, out, 500, "cannot write the result");
	okra_result_free(r);
}

/* Too many points would make one request cost minutes: refuse. */
okra_grain okra__grain_parse(const char *g)
{
	static const char *const names[] = {"day", "week", "month", "quarter"};
	for (int i = 0; g && i < 4; i++)
		if (strcmp(g, names[i]) == 0)
			return (okra_grain)i;
	return OKRA_GRAIN_WEEK;
}

void okra__api_series(okra_req *req, okra_model *m, const char *metric,
                      okra_resp *out)
{
	if (!okra__api_check_metric(req, m, metric, out))
		return;
	const char *ids[1] = {metric};
	const char *where[1] = {okra__req_param(req, "where")};
	okra_query q = {.metrics = ids,
	                .n_metrics = 1,
	                .grain =
	                    okra__grain_parse(okra__req_param(req, "grain")),
	                .from = okra__req_param(req, "from"),
	                .to = okra__req_param(req, "to"),
	                .by = okra__req_param(req, "by"),
	                .where = where,
	                .n_where = where[0] != NULL,
	                .max_points = MAX_POINTS};
	okra_result *r = NULL;
	okra_err err = {0};
	memout mo;
	if (okra_series_eval(m->engine, &q, &r, &err)) {
		okra__resp_from_err(req, out, &err);
		return;
	}
	okra__resp_json(out, 200);
	if (!mem_open(&mo) ||
	    okra_result_write(r, OKRA_FORMAT_JSON, mo.f, &err) ||
	    !mem_close(&mo, out))
		okra__resp_error(req, out, 500, "cannot write the result");
	okra_result_free(r);
}

okra_findings *okra__api_findings(okra_server *s, okra_model *m)
{
	okra_findings *f = okra_findings_new();
	if (!f)
		return NULL;
	okra_err err = {0};
	if (!m->ws) {
		/* The load findings: copy them, the model keeps its own. */
		for (size_t i = 0;
		     m->findings && i < okra_findings_count(m->findings); i++) {
			const okra_finding *it =
			    okra_findings_get(m->findings, i);
			okra__finding_add(
			    f, NULL, it->severity, it->rule,
			    (okra_pos){it->file, it->line, it->col}, it->hint,
			    "%s", it->message);
		}
	} else {
		/* As `okra lint` does: the data-free rules, then those that
		 * read the data. */
		okra_rc rc = okra_lint(m->ws, f, &err);
		if (rc == OKRA_OK && okra_workspace_has_data(m->ws)) {
			rc = m->engine
			         ? okra_lint_data(m->engine, NULL, f, &err)
			         : OKRA_OK;
		}
		if (rc) {
			okra_findings_free(f);
			return NULL;
		}
	}
	okra_findings_sort(f);
	return f;
}

void okra__api_lint(okra_req *req, okra_model *m, okra_resp *out)
{
	okra_findings *f = okra__api_findings(req->srv, m);
	memout mo;
	if (!f) {
		okra__resp_error(req, out, 500, "lint failed");
		return;
	}
	okra__resp_json(out, 200);
	if (!mem_open(&mo)) {
		okra__resp_error(req, out, 500, "out of memory");
	} else {
		okra_findings_write(f, OKRA_FORMAT_JSON, false, mo.f);
		if (!mem_close(&mo, out))
			okra__resp_error(req, out, 500, "out of memory");
	}
	okra_findings_free(f);
}

/* ---- POST -------------------------------------------------------------- */

/* A write's fields, from a JSON object or a form. */
typedef struct write_fields {
	const char *subject; /* metric or kr */
	const char *value;   /* as text */
	int32_t day;         /* -1: today */
	const char *note;    /* NULL: none */
	const char *back;    /* form: where to go after */
	const char *author;  /* check-ins: who; NULL: unknown */
	long long corrects;  /* check-ins: the one corrected; 0: none */
	long long id;        /* check-ins: the row written */
} write_fields;

/* A check-in's number to correct, from JSON or a form ("" or absent:
 * none); false when it is not a positive whole number. */
static bool parse_corrects(const char *s, long long *out)
{
	*out = 0;
	if (!s || !s[0])
		return true;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*end || errno || v <= 0)
		return false;
	*out = v;
	return true;
}

/* Reads {subject_key, value, date, note} from the JSON body; false with
 * a 400 answer when anything is off. */
static bool fields_json(okra_req *req, const char *subject_key, write_fields *w,
                        okra_resp *out)
{
	json_error_t je;
	json_t *root = json_loadb(req->body.data ? req->body.data : "",
	                          req->body.len, JSON_REJECT_DUPLICATES, &je);
	bool ok = false;
	if (!root) {
		okra__resp_error(req, out, 400,
		                 "malformed JSON body (line %d, column %d): %s",
		                 je.line, je.column, je.text);
		return false;
	}
	if (!json_is_object(root)) {
		okra__resp_error(req, out, 400,
		                 "the body must be a JSON object");
		goto out;
	}
	const char *key;
	json_t *v;
	bool checkin = strcmp(subject_key, "metric") == 0;
	json_object_foreach(root, key, v)
	{
		if (strcmp(key, subject_key) && strcmp(key, "value") &&
		    strcmp(key, "date") && strcmp(key, "note") &&
		    (!checkin ||
		     (strcmp(key, "author") && strcmp(key, "corrects")))) {
			okra__resp_error(req, out, 400,
			                 "unknown field \"%.64s\" (known: %s, "
			                 "value, date, note%s)",
			                 key, subject_key,
			                 checkin ? ", author, corrects" : "");
			goto out;
		}
	}
	json_t *author = json_object_get(root, "author");
	json_t *corrects = json_object_get(root, "corrects");
	if (author && !json_is_null(author)) {
		if (!json_is_string(author) ||
		    strlen(json_string_value(author)) !=
		        json_string_length(author)) {
			okra__resp_error(req, out, 400,
			                 "\"author\" must be a string or null");
			goto out;
		}
		w->author =
		    okra__arena_strdup(&req->arena, json_string_value(author));
	}
	if (corrects && !json_is_null(corrects)) {
		if (!json_is_integer(corrects) ||
		    json_integer_value(corrects) <= 0) {
			okra__resp_error(req, out, 400,
			                 "\"corrects\" must be the number of a "
			                 "check-in, or null");
			goto out;
		}
		w->corrects = (long long)json_integer_value(corrects);
	}
	json_t *subject = json_object_get(root, subject_key);
	json_t *value = json_object_get(root, "value");
	json_t *date = json_object_get(root, "date");
	json_t *note = json_object_get(root, "note");
	if (!json_is_string(subject) || !json_string_value(subject)[0]) {
		okra__resp_error(req, out, 400,
		                 "\"%s\" must be a non-empty string",
		                 subject_key);
		goto out;
	}
	w->subject =
	    okra__arena_strdup(&req->arena, json_string_value(subject));
	okra_buf text = {0};
	if (json_is_integer(value))
		okra__buf_printf(&text, "%lld",
		                 (long long)json_integer_value(value));
	else if (json_is_real(value))
		okra__state_format_number(&text, json_real_value(value));
	else if (json_is_string(value))
		okra__buf_puts(&text, json_string_value(value));
	else {
		okra__resp_error(req, out, 400, "\"value\" must be a number");
		goto out;
	}
	w->value = okra__arena_take(&req->arena, &text);
	w->day = -1;
	if (date && !json_is_null(date) &&
	    (!json_is_string(date) ||
	     !okra__parse_date(json_string_value(date), &w->day))) {
		okra__resp_error(req, out, 400,
		                 "\"date\" must be a date YYYY-MM-DD");
		goto out;
	}
	if (note && !json_is_null(note)) {
		if (!json_is_string(note) ||
		    json_string_length(note) > MAX_NOTE ||
		    strlen(json_string_value(note)) !=
		        json_string_length(note)) {
			okra__resp_error(
			    req, out, 400,
			    "\"note\" must be a string of at most %d bytes",
			    MAX_NOTE);
			goto out;
		}
		w->note =
		    okra__arena_strdup(&req->arena, json_string_value(note));
	}
	ok = !req->arena.failed;
	if (!ok)
		okra__resp_error(req, out, 500, "out of memory");
out:
	json_decref(root);
	return ok;
}

/* Is back (decoded) a path of this server, safe in a Location header?
 * A browser drops tabs and newlines from a URL and reads a backslash as
 * a slash, so "/\t/evil.example" would go to evil.example: only printable
 * ASCII without backslashes, starting with one '/' (never "//"). */
static bool local_path(const char *back)
{
	size_t len = strlen(back);
	if (len == 0 || len >= 400 || back[0] != '/' || back[1] == '/')
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)back[i] <= 0x20 ||
		    (unsigned char)back[i] >= 0x7f || back[i] == '\\')
			return false;
	return true;
}

/* The same fields from a form of the pages. */
static bool fields_form(okra_req *req, const char *subject_key, write_fields *w,
                        okra_resp *out)
{
	w->subject = okra__form_value(req, subject_key);
	w->value = okra__form_value(req, "value");
	const char *date = okra__form_value(req, "date");
	const char *note = okra__form_value(req, "note");
	const char *back = okra__form_value(req, "back");
	const char *author = okra__form_value(req, "author");
	w->day = -1;
	if (!parse_corrects(okra__form_value(req, "corrects"), &w->corrects)) {
		okra__resp_error(req, out, 400,
		                 "the check-in to correct must be a number");
		return false;
	}
	w->author = author && author[0] ? author : NULL;
	if (!w->subject || !w->subject[0]) {
		okra__resp_error(req, out, 400, "the form lacks \"%s\"",
		                 subject_key);
		return false;
	}
	if (!w->value || !w->value[0]) {
		okra__resp_error(req, out, 400, "enter a value");
		return false;
	}
	if (date && date[0] && !okra__parse_date(date, &w->day)) {
		okra__resp_error(req, out, 400,
		                 "the date must be YYYY-MM-DD, not \"%.40s\"",
		                 date);
		return false;
	}
	if (note && strlen(note) > MAX_NOTE) {
		okra__resp_error(req, out, 400,
		                 "the note is longer than %d bytes", MAX_NOTE);
		return false;
	}
	w->note = note && note[0] ? note : NULL;
	w->back = back && local_path(back) ? back : "/";
	return true;
}

static void written(okra_req *req, const char *subject_key, write_fields *w,
                    bool is_form, okra_resp *out)
{
	if (is_form) {
		out->status = 303;
		out->content_type = "text/html; charset=utf-8";
		/* A check-in goes back to a page that confirms it. */
		if (w->id)
			snprintf(out->location, sizeof(out->location),
			         "%s%ccheckin=%lld", w->back,
			         strchr(w->back, '?') ? '&' : '?', w->id);
		else
			snprintf(out->location, sizeof(out->location), "%s",
			         w->back);
		okra__buf_puts(
		    &out->body,
		    "<!doctype html><title>Saved</title><p>Saved.</p>\n");
		return;
	}
	char day[11];
	okra__format_date(w->day >= 0 ? w->day : okra__state_today(), day);
	okra__resp_json(out, 201);
	okra__buf_printf(&out->body, "{\"ok\":true,\"%s\":", subject_key);
	okra__buf_json_str(&out->body, w->subject);
	double v = 0;
	okra__state_parse_number(w->value, &v); /* the state module took it */
	okra__buf_puts(&out->body, ",\"value\":");
	okra__state_format_number(&out->body, v);
	okra__buf_printf(&out->body, ",\"date\":\"%s\",\"note\":", day);
	if (w->note)
		okra__buf_json_str(&out->body, w->note);
	else
		okra__buf_puts(&out->body, "null");
	if (w->id) {
		okra__buf_printf(&out->body, ",\"id\":%lld,\"author\":", w->id);
		if (w->author)
			okra__buf_json_str(&out->body, w->author);
		else
			okra__buf_puts(&out->body, "null");
		if (w->corrects)
			okra__buf_printf(&out->body, ",\"corrects\":%lld",
			                 w->corrects);
		else
			okra__buf_puts(&out->body, ",\"corrects\":null");
	}
	okra__buf_puts(&out->body, "}\n");
	(void)req;
}

void okra__api_checkin(okra_req *req, okra_model *m, bool is_form,
                       okra_resp *out)
{
	write_fields w = {0};
	okra_err err = {0};
	if (!(is_form ? fields_form(req, "metric", &w, out)
	              : fields_json(req, "metric", &w, out)))
		return;
	if (!okra__api_check_metric(req, m, w.subject, out))
		return;
	okra_checkin_req q = {.metric = w.subject,
	                      .value = w.value,
	                      .day = w.day,
	                      .note = w.note,
	                      .author = w.author,
	                      .corrects = w.corrects};
	int32_t day = -1;
	if (okra__state_checkin(m->state, m->ws, &q, &w.id, &day, &err)) {
		okra__resp_state_error(req, out, okra__state_fault(m->state),
		                       &err);
		return;
	}
	w.day = day; /* a correction keeps the corrected row's day */
	written(req, "metric", &w, is_form, out);
}

void okra__api_confidence(okra_req *req, okra_model *m, bool is_form,
                          okra_resp *out)
{
	write_fields w = {0};
	okra_err err = {0};
	if (!(is_form ? fields_form(req, "kr", &w, out)
	              : fields_json(req, "kr", &w, out)))
		return;
	if (!check_kr(req, m, w.subject, out))
		return;
	if (okra__state_confidence(m->state, m->ws, w.subject, w.value, w.day,
	                           w.note, &err)) {
		okra__resp_state_error(req, out, okra__state_fault(m->state),
		                       &err);
		return;
	}
	written(req, "kr", &w, is_form, out);
}
