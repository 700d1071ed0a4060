/*
 * experiments.c - the dashboard's experiments (SPEC 14): the pages
 * /experiments and /experiments/{id}, the API GET /api/experiments and
 * /api/experiments/{id}, and the team's decision (POST
 * /api/experiments/{id}/decision with the bearer token, or the page's form
 * with the token field).
 *
 * The same readouts and writers as okra experiment and okra experiments,
 * so the API prints what --format json prints.  Runs with the model lock
 * held; ids are checked against the workspace before use, every text is
 * escaped by the components of render/html.c.
 */
#include "okr/experiment.h"
#include "query/query.h"
#include "render/experiment.h"
#include "render/html.h"
#include "server/server.h"
#include "state/state.h"

#include <jansson.h>
#include <string.h>

#define SUFFIX "/decision"

/* The as-of day of the request: ?asof= (checked by the router) or the
 * last day with data. */
static int32_t asof_of(okra_req *req, okra_model *m)
{
	int32_t day = -1;
	const char *asof = okra__req_param(req, "asof");
	if (!asof || !okra__parse_date(asof, &day))
		day = okra__engine_last_day(m->engine);
	return day;
}

/* The experiment named id, or a 404 with the nearest id. */
static const okra_experiment *find(okra_req *req, okra_model *m, const char *id,
                                   okra_resp *out)
{
	const okra_workspace *ws = m->ws;
	for (size_t i = 0; id && i < ws->n_experiments; i++)
		if (strcmp(ws->experiments[i].id, id) == 0)
			return &ws->experiments[i];
	const char *near =
	    okra__nearest_id(id ? id : "", ws->experiments, ws->n_experiments,
	                     sizeof(*ws->experiments));
	okra__resp_not_found(req, out, "experiment", id ? id : "", near);
	return NULL;
}

/* Every experiment's readout as of the request's day, in req's arena. */
static bool readouts(okra_req *req, okra_model *m, okra_exp_readout ***items,
                     okra_resp *out)
{
	const okra_workspace *ws = m->ws;
	okra_exp_readout **r = okra__arena_alloc(
	    &req->arena, (ws->n_experiments + 1) * sizeof(*r));
	if (!r) {
		okra__resp_error(req, out, 500, "out of memory");
		return false;
	}
	int32_t asof = asof_of(req, m);
	for (size_t i = 0; i < ws->n_experiments; i++) {
		okra_err err = {0};
		if (okra__exp_readout(m->engine, m->state, &ws->experiments[i],
		                      asof, &req->arena, &r[i], &err)) {
			okra__resp_from_err(req, out, &err);
			return false;
		}
	}
	*items = r;
	return true;
}

/* ---- API ----------------------------------------------------------------- */

void okra__api_experiments(okra_req *req, okra_model *m, okra_resp *out)
{
	okra_exp_readout **items;
	if (!readouts(req, m, &items, out))
		return;
	okra__resp_json(out, 200);
	okra__exp_list_json((const okra_exp_readout *const *)items,
	                    m->ws->n_experiments, asof_of(req, m), &out->body);
}

void okra__api_experiment(okra_req *req, okra_model *m, const char *id,
                          okra_resp *out)
{
	const okra_experiment *x = find(req, m, id, out);
	if (!x)
		return;
	okra_exp_readout *r;
	okra_err err = {0};
	if (okra__exp_readout(m->engine, m->state, x, asof_of(req, m),
	                      &req->arena, &r, &err)) {
		okra__resp_from_err(req, out, &err);
		return;
	}
	okra__resp_json(out, 200);
	okra__exp_json(r, &out->body);
	okra__buf_putc(&out->body, '\n');
}

/* The decision's fields from the JSON body: {"decision", "note",
 * "date"}; false with a 400 answer when anything is off. */
static bool decision_json(okra_req *req, const char **decision,
                          const char **note, const char **date, okra_resp *out)
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
	const char *key;
	json_t *v;
	if (!json_is_object(root)) {
		okra__resp_error(req, out, 400,
		                 "the body must be a JSON object");
		goto out;
	}
	json_object_foreach(root, key, v)
	{
		if (strcmp(key, "decision") && strcmp(key, "note") &&
		    strcmp(key, "date")) {
			okra__resp_error(req, out, 400,
			                 "unknown field \"%.64s\" (known: "
			                 "decision, note, date)",
			                 key);
			goto out;
		}
		if (!json_is_null(v) &&
		    (!json_is_string(v) ||
		     strlen(json_string_value(v)) != json_string_length(v))) {
			okra__resp_error(req, out, 400,
			                 "\"%.64s\" must be a string", key);
			goto out;
		}
	}
	const char **slots[3] = {decision, note, date};
	const char *keys[3] = {"decision", "note", "date"};
	for (int i = 0; i < 3; i++) {
		v = json_object_get(root, keys[i]);
		*slots[i] =
		    v && json_is_string(v)
		        ? okra__arena_strdup(&req->arena, json_string_value(v))
		        : NULL;
	}
	ok = !req->arena.failed;
	if (!ok)
		okra__resp_error(req, out, 500, "out of memory");
out:
	json_decref(root);
	return ok;
}

void okra__api_decision(okra_req *req, okra_model *m, const char *arg,
                        bool is_form, okra_resp *out)
{
	const char *id, *decision, *note, *date;
	if (is_form) {
		id = okra__form_value(req, "experiment");
		decision = okra__form_value(req, "decision");
		note = okra__form_value(req, "note");
		date = okra__form_value(req, "date");
		if (note && !note[0])
			note = NULL;
		if (date && !date[0])
			date = NULL;
	} else {
		/* arg is "ID/decision" (the router matched the suffix). */
		size_t len = strlen(arg) - strlen(SUFFIX);
		id = okra__arena_strndup(&req->arena, arg, len);
		if (!decision_json(req, &decision, &note, &date, out))
			return;
	}
	if (!m->engine) {
		okra__resp_from_err(req, out, &m->err);
		return;
	}
	const okra_experiment *x = find(req, m, id, out);
	if (!x)
		return;
	int32_t day = -1;
	if (date && !okra__parse_date(date, &day)) {
		okra__resp_error(req, out, 400,
		                 "\"date\" must be a date YYYY-MM-DD, not "
		                 "\"%.40s\"",
		                 date);
		return;
	}
	okra_err err = {0};
	const char *computed = NULL;
	if (okra__exp_record(m->engine, m->state, x, decision, day, note,
	                     &computed, &err)) {
		okra__resp_from_err(req, out, &err);
		return;
	}
	if (is_form) {
		out->status = 303;
		out->content_type = "text/html; charset=utf-8";
		okra_buf loc = {0};
		okra__buf_puts(&loc, "/experiments/");
		okra__url_esc(&loc, x->id);
		snprintf(out->location, sizeof(out->location), "%s",
		         loc.data ? loc.data : "/experiments");
		okra__buf_free(&loc);
		okra__buf_puts(&out->body, "<!doctype html><title>Saved</title>"
		                           "<p>Saved.</p>\n");
		return;
	}
	char text[11];
	okra__format_date(day >= 0 ? day : okra__state_today(), text);
	okra__resp_json(out, 201);
	okra__buf_puts(&out->body, "{\"ok\":true,\"experiment\":");
	okra__buf_json_str(&out->body, x->id);
	okra__buf_puts(&out->body, ",\"decision\":");
	okra__buf_json_str(&out->body, decision);
	okra__buf_printf(&out->body, ",\"date\":\"%s\",\"note\":", text);
	if (note)
		okra__buf_json_str(&out->body, note);
	else
		okra__buf_puts(&out->body, "null");
	okra__buf_printf(&out->body, ",\"computed\":\"%s\"}\n", computed);
}

/* ---- pages --------------------------------------------------------------- */

static okra_html_ctx links_of(okra_req *req)
{
	return (okra_html_ctx){.links = true,
	                       .asof = okra__req_param(req, "asof")};
}

void okra__page_experiments(okra_req *req, okra_model *m, okra_resp *out)
{
	okra_exp_readout **items;
	if (!readouts(req, m, &items, out))
		return;
	okra_html_ctx ctx = links_of(req);
	okra_buf *b = &out->body;
	okra__resp_html(out, 200);
	okra__html_begin(b, req->srv, "Experiments", "experiments");
	okra__buf_puts(b, "<div class=\"page-head\"><div><p class=\"eyebrow\">"
	                  "Experiments</p><h1>What did we learn?</h1>\n"
	                  "<p class=\"meta\">As of ");
	okra__html_date(b, asof_of(req, m));
	okra__buf_puts(b, "</p></div></div>\n");
	okra__html_experiments_table(b, &ctx,
	                             (const okra_exp_readout *const *)items,
	                             m->ws->n_experiments);
	okra__html_end(b);
}

void okra__page_experiment(okra_req *req, okra_model *m, const char *id,
                           okra_resp *out)
{
	const okra_experiment *x = find(req, m, id, out);
	if (!x)
		return;
	okra_exp_readout *r;
	okra_err err = {0};
	if (okra__exp_readout(m->engine, m->state, x, asof_of(req, m),
	                      &req->arena, &r, &err)) {
		okra__resp_from_err(req, out, &err);
		return;
	}
	okra_html_ctx ctx = links_of(req);
	okra_buf *b = &out->body;
	okra__resp_html(out, 200);
	okra__html_begin(b, req->srv, x->title ? x->title : x->id,
	                 "experiments");
	okra__buf_puts(b, "<div class=\"page-head\"><div><p class=\"eyebrow\">"
	                  "<a href=\"/experiments\">Experiments</a></p><h1>");
	okra__html_esc(b, x->title ? x->title : x->id);
	okra__buf_puts(b, "</h1>\n<p class=\"meta\"><code>");
	okra__html_esc(b, x->id);
	okra__buf_puts(b, "</code>");
	if (r->kr) {
		okra__buf_puts(b, " · key result <code>");
		okra__html_esc(b, r->kr->id);
		okra__buf_puts(b, "</code>");
	}
	okra__buf_puts(b, " · metric <code>");
	okra__html_esc(b, r->metric->id);
	okra__buf_puts(b, "</code> · ");
	okra_buf t = {0};
	okra__exp_status(r, &t);
	okra__html_esc(b, t.data ? t.data : "");
	okra__buf_free(&t);
	okra__buf_puts(b, " · as of ");
	okra__html_date(b, r->asof);
	okra__buf_puts(b, "</p>\n");
	if (x->hypothesis) {
		okra__buf_puts(b, "<p class=\"why\">");
		okra__html_esc(b, x->hypothesis);
		okra__buf_puts(b, "</p>\n");
	}
	okra__buf_puts(b, "</div></div>\n");
	okra__html_experiment(b, &ctx, r);

	/* The team's decision: a plain form with the token. */
	okra__buf_puts(b, "<h3>Record the team's decision</h3>\n"
	                  "<form class=\"write\" method=\"post\" "
	                  "action=\"/forms/decision\"><input type=\"hidden\" "
	                  "name=\"experiment\" value=\"");
	okra__html_esc(b, x->id);
	okra__buf_puts(b, "\"><label>Decision <select name=\"decision\">");
	static const char *const choices[] = {"ship", "stop", "iterate"};
	for (size_t i = 0; i < 3; i++)
		okra__buf_printf(
		    b, "<option%s>%s</option>",
		    r->decision == OKRA_EXP_SHIP && i == 0      ? " selected"
		    : r->decision == OKRA_EXP_STOP && i == 1    ? " selected"
		    : r->decision == OKRA_EXP_ITERATE && i == 2 ? " selected"
		                                                : "",
		    choices[i]);
	okra__buf_puts(b, "</select></label> <label>Note <input type=\"text\" "
	                  "name=\"note\" maxlength=\"500\"></label> ");
	okra__buf_puts(b,
	               "<label>Token <input type=\"password\" name=\"token\" "
	               "autocomplete=\"off\" required class=\"token\" "
	               "placeholder=\"OKRA_TOKEN or .okra/token\"></label>");
	okra__buf_puts(b, " <button type=\"submit\">Record</button></form>\n");
	okra__html_end(b);
}
