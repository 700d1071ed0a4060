/*
 * diagnose.c - the diagnose and anomalies pages and API of okra serve:
 * /diagnose (the bottleneck, the candidates as bars and a table),
 * /anomalies (the anomalies of the chosen days, with a form for the
 * filters), /api/diagnose and /api/anomalies (the JSON of `okra diagnose
 * --format json` and `okra anomalies --format json`, byte for byte), and
 * the anomaly marks of the dashboard's series charts.
 *
 * The same library calls as the command line; nothing is computed here.
 * Runs with the model lock held; every text from YAML or data goes
 * through the escapers of html.c.
 */
#include "server/server.h"
#include "okr/anomalies.h"
#include "okr/diagnose.h"
#include "query/query.h"
#include "render/html.h"
#include "render/svg.h"
#include "review/review.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A parameter, NULL when absent or empty (a form's "any"). */
static const char *param(okra_req *req, const char *key)
{
	const char *v = okra__req_param(req, key);
	return v && v[0] ? v : NULL;
}

static okra_html_ctx links_of(okra_req *req)
{
	return (okra_html_ctx){.links = true,
	                       .asof = okra__req_param(req, "asof")};
}

/* Answers with what write produced into a memory stream, as JSON. */
typedef okra_rc (*json_writer)(const void *what, FILE *f, okra_err *err);

static void json_answer(okra_req *req, okra_resp *out, json_writer write,
                        const void *what)
{
	char *data = NULL;
	size_t len = 0;
	okra_err err = {0};
	FILE *f = open_memstream(&data, &len);
	bool ok = f && write(what, f, &err) == OKRA_OK;
	if (f && fclose(f) != 0)
		ok = false;
	if (ok) {
		okra__resp_json(out, 200);
		okra__buf_append(&out->body, data ? data : "", len);
	} else {
		okra__resp_error(req, out, 500, "cannot write the answer");
	}
	free(data);
}

/* ---- diagnose ------------------------------------------------------------ */

static okra_diagnosis *diagnose(okra_req *req, okra_model *m, okra_resp *out)
{
	okra_diagnosis *d = NULL;
	okra_err err = {0};
	if (okra_diagnose_run(m->engine, param(req, "asof"), &d, &err)) {
		okra__resp_from_err(req, out, &err);
		return NULL;
	}
	return d;
}

static okra_rc write_diagnosis(const void *d, FILE *f, okra_err *err)
{
	return okra_diagnose_write(d, OKRA_FORMAT_JSON, false, f, err);
}

void okra__api_diagnose(okra_req *req, okra_model *m, okra_resp *out)
{
	okra_diagnosis *d = diagnose(req, m, out);
	if (!d)
		return;
	json_answer(req, out, write_diagnosis, d);
	okra_diagnosis_free(d);
}

/* The as-of picker: a GET form. */
static void asof_picker(okra_buf *b, const char *action, int32_t asof)
{
	char day[11];
	okra__format_date(asof, day);
	okra__buf_printf(b,
	                 "<form class=\"asof\" method=\"get\" action=\"%s\">"
	                 "<label>As of <input type=\"date\" name=\"asof\" "
	                 "value=\"%s\" required></label> <button "
	                 "type=\"submit\">Show</button></form>\n",
	                 action, day);
}

void okra__page_diagnose(okra_req *req, okra_model *m, okra_resp *out)
{
	okra_diagnosis *d = diagnose(req, m, out);
	if (!d)
		return;
	okra_html_ctx ctx = links_of(req);
	okra_buf *b = &out->body;
	okra__resp_html(out, 200);
	okra__html_begin(b, req->srv, "Diagnose", "diagnose");
	okra__buf_puts(b, "<div class=\"page-head\"><div><p class=\"eyebrow\">"
	                  "Diagnose</p><h1>Where is the north star "
	                  "blocked?</h1>\n<p class=\"meta\">");
	if (d->north_star >= 0) {
		const okra_metric *ns = &m->ws->metrics[d->north_star];
		okra__html_metric_name(b, &ctx, ns, NULL);
		okra__buf_puts(b, " ");
		okra__html_value(b, ns, d->ns_value);
		okra__buf_puts(b, " · ");
	}
	okra__buf_puts(b, "as of ");
	okra__html_date(b, d->asof);
	okra__buf_puts(b, "</p></div>");
	asof_picker(b, "/diagnose", d->asof);
	okra__buf_puts(b, "</div>\n");
	okra__html_diagnosis(b, &ctx, d);
	okra__html_end(b);
	okra_diagnosis_free(d);
}

/* ---- anomalies ----------------------------------------------------------- */

/* The request's options; metric is a comma-separated list of ids. */
static okra_anomalies *anomalies(okra_req *req, okra_model *m, okra_resp *out)
{
	const char *list = param(req, "metric");
	const char *ids[OKRA_MAX_QUERY_VALUE / 2 + 1];
	size_t n = 0;
	if (list) {
		char *copy = okra__arena_strdup(&req->arena, list);
		for (char *p = copy; p && *p && n < OKRA_ARRAY_LEN(ids);) {
			char *comma = strchr(p, ',');
			if (comma)
				*comma = '\0';
			if (*p)
				ids[n++] = p;
			p = comma ? comma + 1 : NULL;
		}
	}
	okra_anomaly_request rq = {.asof = param(req, "asof"),
	                           .days = param(req, "days"),
	                           .k = param(req, "k"),
	                           .metrics = ids,
	                           .n_metrics = n,
	                           .by = param(req, "by"),
	                           .direction = param(req, "direction"),
	                           .min_change = param(req, "min_change")};
	okra_anomalies *l = NULL;
	okra_err err = {0};
	if (okra_anomalies_run(m->engine, &rq, &l, &err)) {
		okra__resp_from_err(req, out, &err);
		return NULL;
	}
	return l;
}

static okra_rc write_anomalies(const void *l, FILE *f, okra_err *err)
{
	return okra_anomalies_write(l, OKRA_FORMAT_JSON, false, f, err);
}

void okra__api_anomalies(okra_req *req, okra_model *m, okra_resp *out)
{
	okra_anomalies *l = anomalies(req, m, out);
	if (!l)
		return;
	json_answer(req, out, write_anomalies, l);
	okra_anomalies_free(l);
}

/* A GET form of the filters, holding the request's values. */
static void filters(okra_buf *b, okra_req *req, const okra_anomalies *l)
{
	char day[11];
	okra__format_date(l->asof, day);
	okra__buf_printf(
	    b,
	    "<form class=\"asof filters\" method=\"get\" "
	    "action=\"/anomalies\"><label>As of <input "
	    "type=\"date\" name=\"asof\" value=\"%s\" "
	    "required></label> <label>Days <input type=\"number\" "
	    "name=\"days\" min=\"1\" max=\"%d\" value=\"%d\">"
	    "</label> <label>Direction <select name=\"direction\">",
	    day, OKRA_MAX_ANOMALY_DAYS, l->days);
	static const char *const dirs[3][2] = {
	    {"", "up or down"}, {"up", "up"}, {"down", "down"}};
	for (int i = 0; i < 3; i++)
		okra__buf_printf(
		    b, "<option value=\"%s\"%s>%s</option>", dirs[i][0],
		    (i == 0 && !l->direction) || (i == 1 && l->direction > 0) ||
		            (i == 2 && l->direction < 0)
		        ? " selected"
		        : "",
		    dirs[i][1]);
	okra__buf_puts(b, "</select></label> <label>Minimum change <input "
	                  "type=\"text\" name=\"min_change\" size=\"5\" "
	                  "placeholder=\"30%\" value=\"");
	okra__html_esc(b, param(req, "min_change") ? param(req, "min_change")
	                                           : "");
	okra__buf_puts(b, "\"></label> <label>Metrics <input type=\"text\" "
	                  "name=\"metric\" placeholder=\"all; or ids, comma "
	                  "separated\" value=\"");
	okra__html_esc(b, param(req, "metric") ? param(req, "metric") : "");
	okra__buf_puts(b, "\"></label> <button type=\"submit\">Show</button>"
	                  "</form>\n");
}

void okra__page_anomalies(okra_req *req, okra_model *m, okra_resp *out)
{
	okra_anomalies *l = anomalies(req, m, out);
	if (!l)
		return;
	okra_html_ctx ctx = links_of(req);
	okra_buf *b = &out->body;
	okra__resp_html(out, 200);
	okra__html_begin(b, req->srv, "Anomalies", "anomalies");
	okra__buf_puts(b, "<div class=\"page-head\"><div><p class=\"eyebrow\">"
	                  "Anomalies</p><h1>What changed that should "
	                  "not have?</h1>\n<p class=\"meta\">Each day against "
	                  "the same weekday of the 8 weeks before it</p>"
	                  "</div></div>\n");
	filters(b, req, l);
	okra__html_anomalies(b, &ctx, l);
	okra__html_end(b);
	okra_anomalies_free(l);
}

/* ---- marks on the series charts ----------------------------------------- */

void okra__chart_anomalies(okra_req *req, okra_model *m,
                           const okra_metric *metric, const okra_where *pin,
                           size_t n_pin, int32_t from, int32_t to,
                           okra_chart *c)
{
	if (!m->engine || to < from ||
	    !okra__anomaly_checks(m->ws, metric, &req->arena, NULL))
		return;
	if (to - from + 1 > OKRA_MAX_ANOMALY_DAYS)
		from = to - OKRA_MAX_ANOMALY_DAYS + 1;
	const char *ids[1] = {metric->id};
	okra_anomaly_opts o = {.asof = to,
	                       .days = (int)(to - from + 1),
	                       .k = OKRA_ANOMALY_DEFAULT_K,
	                       .ids = ids,
	                       .n_ids = 1,
	                       .pin = pin,
	                       .n_pin = n_pin,
	                       .min_change = NAN};
	okra_anomalies *l = NULL;
	okra_err err = {0};
	/* The chart stands without its marks: a pin the data lacks is said
	 * by the chart's own evaluation. */
	if (okra__anomalies_eval(m->engine, &o, &l, &err) || !l->n_items) {
		okra_anomalies_free(l);
		return;
	}
	size_t n = l->n_items;
	int32_t *days = okra__arena_alloc(&req->arena, n * sizeof(*days));
	double *values = okra__arena_alloc(&req->arena, n * sizeof(*values));
	const char **titles =
	    okra__arena_alloc(&req->arena, n * sizeof(*titles));
	for (size_t i = 0; days && values && titles && i < n; i++) {
		const okra_anomaly *a = &l->items[i];
		okra_buf t = {0};
		char day[11];
		okra__format_date(a->date, day);
		okra__buf_printf(&t, "%s %s ", day, a->id);
		okra__anomaly_describe(&t, m->ws, a);
		days[i] = a->date;
		values[i] = a->value;
		titles[i] =
		    okra__arena_strdup(&req->arena, t.data ? t.data : "");
		okra__buf_free(&t);
	}
	if (days && values && titles && !req->arena.failed) {
		c->mark_days = days;
		c->mark_values = values;
		c->mark_titles = titles;
		c->n_marks = n;
	}
	okra_anomalies_free(l);
}

/* The pin of the explorer's where=ATTR=V, in the request's arena; false
 * when there is none (or it is not ATTR=V: the chart says why). */
bool okra__where_pin(okra_req *req, const char *where, okra_where *out)
{
	const char *eq = where ? strchr(where, '=') : NULL;
	if (!eq || eq == where || !eq[1])
		return false;
	okra_value *v = okra__arena_alloc(&req->arena, sizeof(*v));
	char *key =
	    okra__arena_strndup(&req->arena, where, (size_t)(eq - where));
	if (!v || !key)
		return false;
	char *end;
	v->text = eq + 1;
	v->number = strtod(v->text, &end);
	v->is_number = *v->text && !*end;
	*out = (okra_where){.key = key, .values = v, .n_values = 1};
	return true;
}

void okra__kr_marks(void *arg, const okra_kr_eval *k, okra_chart *c)
{
	const okra_marks_arg *x = arg;
	if (!k->metric || k->q0 < 0 || k->value_date < k->q0)
		return;
	okra__chart_anomalies(x->req, x->m, k->metric, k->kr->where,
	                      k->kr->n_where, k->q0, k->value_date, c);
}
