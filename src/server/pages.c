/*
 * pages.c - the dashboard's HTML pages: overview, objective, metric
 * explorer and lint.  They read the same review and results as the
 * command line and the API, draw charts with render/svg.c (the charts of
 * the HTML review), and work without JavaScript: pickers are links,
 * check-ins are plain forms.
 *
 * Runs with the model lock held.  Every text from YAML or data is written
 * through okra__html_esc or okra__url_esc (html.c); ids are also checked
 * against the workspace before they are used.
 */
#include "server/server.h"
#include "plan/result.h"
#include "render/svg.h"
#include "review/review.h"
#include "state/state.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHART_W   720
#define CHART_H   260
#define MAX_LINES 8 /* segment lines on one chart */

static const char *const grain_names[] = {"day", "week", "month", "quarter"};

/* ---- small pieces ------------------------------------------------------ */

static void date_text(okra_buf *b, int32_t day)
{
	char text[11];
	okra__format_date(day, text);
	okra__buf_puts(b, text);
}

static void value_cell(okra_buf *b, const okra_metric *m, double v)
{
	okra__buf_puts(b, "<td class=\"num\">");
	okra__html_value(b, m, v);
	okra__buf_puts(b, "</td>");
}

static void score_text(okra_buf *b, double v)
{
	if (isnan(v))
		okra__buf_puts(b, "–");
	else
		okra__buf_printf(b, "%.2f", v);
}

static void metric_link(okra_buf *b, const okra_metric *m, const char *pin)
{
	okra__buf_puts(b, "<a href=\"/metrics/");
	okra__url_esc(b, m->id);
	if (pin) {
		okra__buf_puts(b, "?where=");
		okra__url_esc(b, pin);
	}
	okra__buf_puts(b, "\">");
	okra__html_esc(b, m->title ? m->title : m->id);
	okra__buf_puts(b, "</a>");
}

/* A sparkline with its numbers as the tooltip (okra.js styles it). */
static void spark(okra_buf *b, const okra_metric *m, const double *v, size_t n)
{
	okra__buf_puts(b, "<span class=\"spark\" title=\"");
	for (size_t i = 0; i < n; i++) {
		okra__buf_puts(b, i ? " → " : "");
		okra__html_value(b, m, v[i]);
	}
	okra__buf_puts(b, "\">");
	okra__svg_sparkline(b, v, n, 96, 24);
	okra__buf_puts(b, "</span>");
}

static const char *light_name(okra_light l)
{
	return okra__light_names[l];
}

/* The as-of picker: a GET form (no JavaScript needed). */
static void asof_form(okra_buf *b, const char *action, int32_t asof,
                      const char *hidden_key, const char *hidden_value)
{
	okra__buf_puts(b, "<form class=\"asof\" method=\"get\" action=\"");
	okra__html_esc(b, action);
	okra__buf_puts(
	    b, "\"><label>As of <input type=\"date\" name=\"asof\" value=\"");
	date_text(b, asof);
	okra__buf_puts(b, "\" required></label>");
	if (hidden_key) {
		okra__buf_printf(b,
		                 "<input type=\"hidden\" name=\"%s\" value=\"",
		                 hidden_key);
		okra__html_esc(b, hidden_value);
		okra__buf_puts(b, "\">");
	}
	okra__buf_puts(b, " <button type=\"submit\">Show</button></form>\n");
}

/* The token field of every write form; okra.js remembers it for the tab. */
static void token_field(okra_buf *b)
{
	okra__buf_puts(b,
	               "<label>Token <input type=\"password\" name=\"token\" "
	               "autocomplete=\"off\" required class=\"token\" "
	               "placeholder=\"OKRA_TOKEN or .okra/token\"></label>");
}

/* ---- overview ---------------------------------------------------------- */

static void dash_table(okra_buf *b, const char *caption, okra_dash_row *rows,
                       size_t n)
{
	okra__buf_puts(b, "<table class=\"dash\"><caption>");
	okra__html_esc(b, caption);
	okra__buf_puts(b, "</caption><thead><tr><th>Metric</th><th>Current</th>"
	                  "<th>Target</th><th>Status</th><th>Trend</th></tr></"
	                  "thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const okra_dash_row *d = &rows[i];
		okra__buf_puts(b, "<tr><td>");
		metric_link(b, d->metric, NULL);
		okra__buf_puts(b, "</td>");
		value_cell(b, d->metric, d->current);
		value_cell(b, d->metric, d->target);
		okra__buf_puts(b, "<td>");
		okra__html_light(b, light_name(d->light));
		okra__buf_puts(b, "</td><td>");
		spark(b, d->metric, d->spark, d->n_spark);
		okra__buf_puts(b, "</td></tr>\n");
	}
	if (!n)
		okra__buf_puts(b, "<tr><td colspan=\"5\">none</td></tr>\n");
	okra__buf_puts(b, "</tbody></table>\n");
}

/* The north star's weekly trend over the 13 weeks up to asof. */
static void north_star_chart(okra_buf *b, okra_req *req, okra_model *m,
                             const okra_review *r)
{
	const okra_metric *ns = r->north_star;
	char to[11];
	okra__format_date(r->asof, to);
	const char *ids[1] = {ns->id};
	okra_query q = {
	    .metrics = ids, .n_metrics = 1, .grain = OKRA_GRAIN_WEEK, .to = to};
	okra_result *res = NULL;
	okra_err err = {0};
	if (!m->engine ||
	    okra_series_eval(m->engine, &q, &res, &err) != OKRA_OK)
		return;
	int mi = okra__find_metric(m->ws, ns->id);
	okra_chart c = {.title = ns->title ? ns->title : ns->id,
	                .unit = ns->unit,
	                .days = res->plan.dates,
	                .values = okra__result_row(res, mi, 0),
	                .n = okra__result_n_dates(res),
	                .has_asof = true,
	                .asof = r->asof};
	for (size_t i = 0; i < ns->n_targets; i++)
		if (r->asof >= ns->targets[i].period.first &&
		    r->asof <= ns->targets[i].period.last) {
			c.has_target = true;
			c.target = ns->targets[i].target;
		}
	okra__buf_puts(b, "<figure class=\"chart\">");
	okra__svg_chart(b, &c, CHART_W, CHART_H);
	okra__buf_puts(b, "</figure>\n");
	okra_result_free(res);
}

static void kr_row(okra_buf *b, const char *obj_id, const okra_kr_eval *k)
{
	okra__buf_puts(b, "<tr><td>");
	okra__html_light(b, light_name(k->light));
	okra__buf_puts(b, "</td><td><a href=\"/objectives/");
	okra__url_esc(b, obj_id);
	okra__buf_puts(b, "#kr-");
	okra__url_esc(b, k->kr->id);
	okra__buf_puts(b, "\">");
	okra__html_esc(b, k->kr->title.text ? k->kr->title.text : k->kr->id);
	okra__buf_puts(b, "</a></td>");
	value_cell(b, k->metric, k->current);
	value_cell(b, k->metric, k->expected);
	value_cell(b, k->metric, k->target);
	okra__buf_puts(b, "<td class=\"num\">");
	score_text(b, k->score);
	okra__buf_puts(b, "</td><td>");
	spark(b, k->metric, k->spark, k->n_spark);
	okra__buf_puts(b, "</td><td class=\"num\">");
	if (k->confidence >= 0)
		okra__buf_printf(b, "%d/10", k->confidence);
	else
		okra__buf_puts(b, "–");
	okra__buf_puts(b, "</td></tr>\n");
}

/* "team onboarding · 2026-Q4 · score 0.63" under an objective's title. */
static void objective_meta(okra_buf *b, const okra_obj_eval *o)
{
	okra__buf_puts(b, "<p class=\"meta\">");
	if (o->obj->team.id) {
		okra__buf_puts(b, "team ");
		okra__html_esc(b, o->obj->team.id);
		okra__buf_puts(b, " · ");
	}
	if (o->obj->has_quarter)
		okra__buf_printf(b, "%d-Q%d · ", o->obj->quarter.year,
		                 o->obj->quarter.q);
	okra__buf_puts(b, "score <strong>");
	score_text(b, o->score);
	okra__buf_puts(b, "</strong></p>\n");
}

void okra__page_overview(okra_req *req, okra_model *m, okra_resp *out)
{
	okra_review *r = NULL;
	if (okra__srv_review(req, m, &r, out))
		return;
	okra_buf *b = &out->body;
	okra__resp_html(out, 200);
	okra__html_begin(b, req->srv, "Overview", "overview");
	okra__buf_puts(b, "<div class=\"head\"><h1>Overview</h1>");
	asof_form(b, "/", r->asof, r->team ? "team" : NULL, r->team);
	okra__buf_puts(b, "</div>\n");

	if (r->north_star) {
		okra__buf_puts(b,
		               "<section class=\"northstar\"><h2>North star: ");
		metric_link(b, r->north_star, NULL);
		okra__buf_puts(b, "</h2><p class=\"big\">");
		okra__html_value(b, r->north_star, r->ns_current);
		okra__buf_puts(b, "</p>\n");
		north_star_chart(b, req, m, r);
		if (r->n_ns_inputs)
			dash_table(b, "Inputs", r->ns_inputs, r->n_ns_inputs);
		okra__buf_puts(b, "</section>\n");
	}

	okra__buf_puts(b,
	               "<section class=\"objectives\"><h2>Objectives</h2>\n");
	for (size_t i = 0; i < r->n_objectives; i++) {
		const okra_obj_eval *o = &r->objectives[i];
		okra__buf_puts(b, "<article class=\"objective\" "
		                  "tabindex=\"-1\"><h3><a href=\"/objectives/");
		okra__url_esc(b, o->obj->id);
		if (okra__req_param(req, "asof")) {
			okra__buf_puts(b, "?asof=");
			date_text(b, r->asof);
		}
		okra__buf_puts(b, "\">");
		okra__html_esc(b, o->obj->title.text ? o->obj->title.text
		                                     : o->obj->id);
		okra__buf_puts(b, "</a></h3>");
		objective_meta(b, o);
		okra__buf_puts(
		    b, "<table class=\"krs\"><thead><tr><th>Status</th>"
		       "<th>Key result</th><th>Current</th><th>Expected</th>"
		       "<th>Target</th><th>Score</th><th>8 weeks</th>"
		       "<th>Confidence</th></tr></thead><tbody>\n");
		for (size_t k = 0; k < o->n_krs; k++)
			kr_row(b, o->obj->id, &o->krs[k]);
		okra__buf_puts(b, "</tbody></table></article>\n");
	}
	if (!r->n_objectives)
		okra__buf_puts(b, "<p>No objectives.</p>\n");
	okra__buf_puts(b, "</section>\n<section "
	                  "class=\"dashboard\"><h2>Balanced dashboard</h2>\n");
	dash_table(b, "Leading indicators (weekly)", r->leading, r->n_leading);
	dash_table(b, "Lagging indicators (monthly)", r->lagging, r->n_lagging);
	okra__buf_puts(b, "</section>\n");
	if (r->n_suggestions) {
		okra__buf_puts(b, "<section class=\"suggestions\"><h2>What "
		                  "should we change?</h2><ul>\n");
		for (size_t i = 0; i < r->n_suggestions; i++) {
			okra__buf_puts(b, "<li>");
			okra__html_esc(b, r->suggestions[i].text);
			okra__buf_puts(b, "</li>\n");
		}
		okra__buf_puts(b, "</ul></section>\n");
	}
	okra__html_end(b);
	okra_review_free(r);
}

/* ---- objective --------------------------------------------------------- */

static void kr_numbers(okra_buf *b, const okra_kr_eval *k)
{
	const okra_metric *m = k->metric;
	okra__buf_puts(b, "<table class=\"numbers\"><tbody>");
	okra__buf_puts(b, "<tr><th>Baseline</th>");
	value_cell(b, m, k->baseline);
	okra__buf_printf(b, "<td>%s</td></tr>",
	                 k->baseline_auto ? "auto: the day before the quarter"
	                                  : "");
	okra__buf_puts(b, "<tr><th>Current</th>");
	value_cell(b, m, k->current);
	okra__buf_puts(b, "<td></td></tr><tr><th>Expected now</th>");
	value_cell(b, m, k->expected);
	okra__buf_printf(b, "<td>%.0f%% of the quarter gone</td></tr>",
	                 isnan(k->elapsed) ? 0.0 : k->elapsed * 100);
	okra__buf_puts(b, "<tr><th>Target</th>");
	value_cell(b, m, k->target);
	okra__buf_puts(b, "<td>");
	if (k->stretch_set) {
		okra__buf_puts(b, "stretch ");
		okra__html_value(b, m, k->stretch);
	}
	okra__buf_puts(b, "</td></tr><tr><th>Score</th><td class=\"num\">");
	score_text(b, k->score);
	okra__buf_puts(b, "</td><td></td></tr>");
	if (k->forecast.ok) {
		okra__buf_puts(b, "<tr><th>Forecast</th>");
		value_cell(b, m, k->forecast.value);
		okra__buf_puts(b, "<td>80% interval ");
		okra__html_value(b, m, k->forecast.lo);
		okra__buf_puts(b, " – ");
		okra__html_value(b, m, k->forecast.hi);
		if (!isnan(k->forecast.prob))
			okra__buf_printf(b,
			                 "; %.0f%% chance to reach the target",
			                 k->forecast.prob * 100);
		okra__buf_puts(b, "</td></tr>");
	}
	okra__buf_puts(b, "</tbody></table>\n");
}

static void kr_chart(okra_buf *b, const okra_kr_eval *k, int32_t asof)
{
	if (!k->metric)
		return;
	okra_chart c = {.title =
	                    k->kr->title.text ? k->kr->title.text : k->kr->id,
	                .unit = k->metric->unit,
	                .days = k->week_days,
	                .values = k->week_values,
	                .n = k->n_weeks,
	                .has_asof = asof >= k->q0 && asof <= k->q1,
	                .asof = asof,
	                .x_min = k->q0,
	                .x_max = k->q1};
	if (!isnan(k->baseline) && !isnan(k->target) &&
	    k->kr->kind == OKRA_KR_MOVE) {
		c.has_trajectory = true;
		c.traj_d0 = k->q0;
		c.traj_d1 = k->q1;
		c.traj_v0 = k->baseline;
		c.traj_v1 = k->target;
	}
	if (!isnan(k->target)) {
		c.has_target = true;
		c.target = k->target;
	}
	if (k->forecast.ok) {
		c.n_band = k->forecast.n_band;
		c.band_days = k->forecast.band_days;
		c.band_mid = k->forecast.band_mid;
		c.band_lo = k->forecast.band_lo;
		c.band_hi = k->forecast.band_hi;
	}
	okra__buf_puts(b, "<figure class=\"chart\">");
	okra__svg_chart(b, &c, CHART_W, CHART_H);
	okra__buf_puts(b, "</figure>\n");
}

static void kr_confidence(okra_buf *b, okra_req *req, okra_model *m,
                          const okra_kr_eval *k, const char *obj_id)
{
	okra_confidence *rows = NULL;
	size_t n = 0;
	okra_err err = {0};
	okra__buf_puts(b, "<h4>Confidence</h4>\n");
	if (m->state &&
	    okra__state_confidences(m->state, k->kr->id, &req->arena, &rows, &n,
	                            &err) == OKRA_OK &&
	    n) {
		okra__buf_puts(
		    b,
		    "<table class=\"confidence\"><thead><tr><th>Date</th>"
		    "<th>Confidence</th><th>Note</th></tr></thead><tbody>\n");
		for (size_t i = n; i-- > 0;) {
			okra__buf_puts(b, "<tr><td>");
			date_text(b, rows[i].day);
			okra__buf_printf(
			    b, "</td><td class=\"num\">%d/10</td><td>",
			    rows[i].value);
			okra__html_esc(b, rows[i].note);
			okra__buf_puts(b, "</td></tr>\n");
		}
		okra__buf_puts(b, "</tbody></table>\n");
	} else {
		okra__buf_puts(
		    b, "<p class=\"muted\">No confidence check-ins yet.</p>\n");
	}
	okra__buf_puts(b, "<form class=\"write\" method=\"post\" "
	                  "action=\"/forms/confidence\">"
	                  "<input type=\"hidden\" name=\"kr\" value=\"");
	okra__html_esc(b, k->kr->id);
	okra__buf_puts(
	    b, "\"><input type=\"hidden\" name=\"back\" value=\"/objectives/");
	okra__url_esc(b, obj_id);
	okra__buf_puts(b, "#kr-");
	okra__url_esc(b, k->kr->id);
	okra__buf_puts(b, "\"><label>Confidence <select name=\"value\">");
	for (int v = 0; v <= 10; v++)
		okra__buf_printf(b, "<option%s>%d</option>",
		                 v == 7 ? " selected" : "", v);
	okra__buf_puts(
	    b,
	    "</select></label> <label>Note <input type=\"text\" name=\"note\" "
	    "maxlength=\"500\"></label> ");
	token_field(b);
	okra__buf_puts(b, " <button type=\"submit\">Add</button></form>\n");
}

static void objective_not_found(okra_req *req, okra_model *m, const char *id,
                                okra_resp *out)
{
	const okra_workspace *ws = m->ws;
	const char *near = okra__nearest_id(
	    id, ws->objectives, ws->n_objectives, sizeof(*ws->objectives));
	okra__resp_not_found(req, out, "objective", id, near);
}

void okra__page_objective(okra_req *req, okra_model *m, const char *id,
                          okra_resp *out)
{
	if (okra__find_objective(m->ws, id) < 0) {
		objective_not_found(req, m, id, out);
		return;
	}
	okra_review *r = NULL;
	if (okra__srv_review(req, m, &r, out))
		return;
	const okra_obj_eval *o = NULL;
	for (size_t i = 0; i < r->n_objectives; i++)
		if (strcmp(r->objectives[i].obj->id, id) == 0)
			o = &r->objectives[i];
	if (!o) {
		okra_review_free(r);
		objective_not_found(req, m, id, out);
		return;
	}
	okra_buf *b = &out->body;
	okra__resp_html(out, 200);
	okra__html_begin(b, req->srv,
	                 o->obj->title.text ? o->obj->title.text : id, NULL);
	okra__buf_puts(b, "<p class=\"crumbs\"><a href=\"/\">Overview</a> › "
	                  "objective</p>\n<div class=\"head\"><h1>");
	okra__html_esc(b, o->obj->title.text ? o->obj->title.text : id);
	okra__buf_puts(b, "</h1>");
	okra_buf action = {0};
	okra__buf_puts(&action, "/objectives/");
	okra__url_esc(&action, id);
	asof_form(b, action.data ? action.data : "/", r->asof, NULL, NULL);
	okra__buf_free(&action);
	okra__buf_puts(b, "</div>\n");
	objective_meta(b, o);
	if (o->obj->why) {
		okra__buf_puts(b, "<p class=\"why\">");
		okra__html_esc(b, o->obj->why);
		okra__buf_puts(b, "</p>\n");
	}
	/* A table of contents: the KRs with their lights. */
	okra__buf_puts(b, "<nav class=\"toc\"><ul>");
	for (size_t i = 0; i < o->n_krs; i++) {
		const okra_kr_eval *k = &o->krs[i];
		okra__buf_puts(b, "<li>");
		okra__html_light(b, light_name(k->light));
		okra__buf_puts(b, " <a href=\"#kr-");
		okra__url_esc(b, k->kr->id);
		okra__buf_puts(b, "\">");
		okra__html_esc(b, k->kr->title.text ? k->kr->title.text
		                                    : k->kr->id);
		okra__buf_puts(b, "</a></li>");
	}
	okra__buf_puts(b, "</ul></nav>\n");

	for (size_t i = 0; i < o->n_krs; i++) {
		const okra_kr_eval *k = &o->krs[i];
		okra__buf_puts(
		    b, "<section class=\"kr\" tabindex=\"-1\" id=\"kr-");
		okra__html_esc(b, k->kr->id);
		okra__buf_puts(b, "\"><h2>");
		okra__html_light(b, light_name(k->light));
		okra__buf_puts(b, " ");
		okra__html_esc(b, k->kr->title.text ? k->kr->title.text
		                                    : k->kr->id);
		okra__buf_puts(b, "</h2>\n<p class=\"meta\">");
		okra__html_esc(b, k->kr->id);
		if (k->metric) {
			okra__buf_puts(b, " · metric ");
			metric_link(b, k->metric, k->pin);
		}
		if (k->pin) {
			okra__buf_puts(b, " · segment ");
			okra__html_esc(b, k->pin);
		}
		okra__buf_puts(b, "</p>\n<div class=\"kr-body\">");
		kr_chart(b, k, r->asof);
		kr_numbers(b, k);
		okra__buf_puts(b, "</div>\n");
		if (k->kr->measurement) {
			okra__buf_puts(
			    b, "<p class=\"measurement\">Measurement: ");
			okra__html_esc(b, k->kr->measurement);
			okra__buf_puts(b, "</p>\n");
		}
		okra__buf_puts(
		    b, "<h4>Hypotheses</h4>\n<ul class=\"hypotheses\">");
		for (size_t h = 0; h < k->kr->n_hypotheses; h++) {
			okra__buf_puts(b, "<li>");
			okra__html_esc(b, k->kr->hypotheses[h].text);
			for (size_t l = 0; l < r->n_learnings; l++) {
				const okra_learning *le = &r->learnings[l];
				if (le->kr == k->kr && le->experiment &&
				    le->hypothesis &&
				    strcmp(le->hypothesis,
				           k->kr->hypotheses[h].text) == 0) {
					okra__buf_puts(
					    b,
					    " <span class=\"tag\">experiment ");
					okra__html_esc(b, le->experiment->id);
					okra__buf_puts(b, "</span>");
				}
			}
			okra__buf_puts(b, "</li>");
		}
		if (!k->kr->n_hypotheses)
			okra__buf_puts(b, "<li class=\"muted\">none</li>");
		okra__buf_puts(b, "</ul>\n");
		kr_confidence(b, req, m, k, id);
		okra__buf_puts(b, "</section>\n");
	}
	okra__html_end(b);
	okra_review_free(r);
}

/* ---- metric explorer --------------------------------------------------- */

/* A link to the explorer of metric with the current parameters, one of
 * them replaced (value NULL: removed). */
static void explorer_link(okra_buf *b, okra_req *req, const char *metric,
                          const char *key, const char *value)
{
	static const char *const keys[] = {"asof", "grain", "from",
	                                   "to",   "by",    "where"};
	okra__buf_puts(b, "/metrics/");
	okra__url_esc(b, metric);
	char sep = '?';
	for (size_t i = 0; i < OKRA_ARRAY_LEN(keys); i++) {
		const char *v = strcmp(keys[i], key) == 0
		                    ? value
		                    : okra__req_param(req, keys[i]);
		if (!v || !v[0])
			continue;
		okra__buf_printf(b, "%c%s=", sep, keys[i]);
		okra__url_esc(b, v);
		sep = '&';
	}
}

static void picker(okra_buf *b, okra_req *req, const char *metric,
                   const char *key, const char *label,
                   const char *const *values, size_t n, const char *current,
                   const char *none)
{
	okra__buf_printf(b,
	                 "<div class=\"picker\" role=\"group\" "
	                 "aria-label=\"%s\"><span>%s</span>",
	                 label, label);
	if (none) {
		okra_buf href = {0};
		explorer_link(&href, req, metric, key, NULL);
		okra__buf_puts(b, "<a href=\"");
		okra__html_esc(b, href.data);
		okra__buf_printf(b, "\"%s>%s</a>",
		                 !current ? " aria-current=\"true\"" : "",
		                 none);
		okra__buf_free(&href);
	}
	for (size_t i = 0; i < n; i++) {
		okra_buf href = {0};
		explorer_link(&href, req, metric, key, values[i]);
		okra__buf_puts(b, "<a href=\"");
		okra__html_esc(b, href.data);
		okra__buf_printf(b, "\"%s>",
		                 current && strcmp(current, values[i]) == 0
		                     ? " aria-current=\"true\""
		                     : "");
		okra__html_esc(b, values[i]);
		okra__buf_puts(b, "</a>");
		okra__buf_free(&href);
	}
	okra__buf_puts(b, "</div>\n");
}

/* The segmentations offered: every `segments:` of the workspace's
 * metrics, and cohort. */
static size_t segmentations(const okra_workspace *ws, const char **out,
                            size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < ws->n_metrics; i++)
		for (size_t s = 0; s < ws->metrics[i].n_segments; s++) {
			const char *name = ws->metrics[i].segments[s];
			bool seen = false;
			for (size_t k = 0; k < n && !seen; k++)
				seen = strcmp(out[k], name) == 0;
			if (!seen && n < cap - 1)
				out[n++] = name;
		}
	bool has_cohort = false;
	for (size_t k = 0; k < n; k++)
		has_cohort = has_cohort || strcmp(out[k], "cohort") == 0;
	if (!has_cohort)
		out[n++] = "cohort";
	return n;
}

static void metric_nav(okra_buf *b, const okra_workspace *ws,
                       const okra_metric *current)
{
	okra__buf_puts(b, "<nav class=\"metrics\" aria-label=\"Metrics\"><ul>");
	for (size_t i = 0; i < ws->n_metrics; i++) {
		const okra_metric *m = &ws->metrics[i];
		okra__buf_puts(b, "<li><a href=\"/metrics/");
		okra__url_esc(b, m->id);
		okra__buf_printf(b, "\"%s>",
		                 m == current ? " aria-current=\"page\"" : "");
		okra__html_esc(b, m->id);
		okra__buf_puts(b, "</a></li>");
	}
	okra__buf_puts(b, "</ul></nav>\n");
}

/* The series chart (with one line per segment when by is given) and its
 * table. */
static void series_part(okra_buf *b, okra_req *req, okra_model *m,
                        const okra_metric *metric, okra_resp *out, bool *ok)
{
	const char *ids[1] = {metric->id};
	const char *where[1] = {okra__req_param(req, "where")};
	okra_query q = {.metrics = ids,
	                .n_metrics = 1,
	                .grain =
	                    okra__grain_parse(okra__req_param(req, "grain")),
	                .from = okra__req_param(req, "from"),
	                .to = okra__req_param(req, "to"),
	                .by = okra__req_param(req, "by"),
	                .where = where,
	                .n_where = where[0] != NULL};
	if (!q.to)
		q.to = okra__req_param(req, "asof");
	okra_result *res = NULL;
	okra_err err = {0};
	if (!okra__series_size_ok(req, &q, out)) {
		*ok = false;
		return;
	}
	if (okra_series_eval(m->engine, &q, &res, &err) != OKRA_OK) {
		if (err.rc != OKRA_ERR_USAGE) {
			okra__resp_from_err(req, out, &err);
			*ok = false;
			return;
		}
		/* A pin or segment the data does not have: say so on the
		 * page, with the nearest value, instead of an empty chart. */
		okra__buf_puts(b, "<p class=\"error\">");
		okra__html_esc(b, err.msg);
		okra__buf_puts(b, "</p>\n");
		return;
	}
	int mi = okra__find_metric(m->ws, metric->id);
	const int32_t *days = res->plan.dates;
	size_t nd = okra__result_n_dates(res);
	const double *all = okra__result_row(res, mi, 0);
	okra_chart_series extra[MAX_LINES];
	size_t n_extra = 0;
	const okra_segment_attr *at =
	    q.by && res->seg.n_attrs ? &res->seg.attrs[0] : NULL;
	for (size_t s = 0; at && s < at->n && n_extra < MAX_LINES; s++)
		extra[n_extra++] = (okra_chart_series){
		    .name = okra__result_segment(res, at->first + s + 1),
		    .days = days,
		    .values = okra__result_row(res, mi, at->first + s + 1),
		    .n = nd};
	okra_buf title = {0};
	okra__buf_printf(&title, "%s by %s",
	                 metric->title ? metric->title : metric->id,
	                 grain_names[q.grain]);
	if (where[0])
		okra__buf_printf(&title, ", %s", where[0]);
	okra_chart c = {.title = title.data,
	                .unit = metric->unit,
	                .days = days,
	                .values = all,
	                .n = nd,
	                .actual_label = where[0] ? where[0] : "All",
	                .extra = extra,
	                .n_extra = n_extra};
	okra__buf_puts(b, "<figure class=\"chart\">");
	okra__svg_chart(b, &c, CHART_W, CHART_H + 40);
	okra__buf_puts(b, "</figure>\n");
	okra__buf_free(&title);

	okra__buf_puts(b,
	               "<details class=\"points\"><summary>The "
	               "numbers</summary><table><thead><tr><th>Date</th><th>");
	okra__html_esc(b, where[0] ? where[0] : "All");
	okra__buf_puts(b, "</th>");
	for (size_t s = 0; s < n_extra; s++) {
		okra__buf_puts(b, "<th>");
		okra__html_esc(b, extra[s].name);
		okra__buf_puts(b, "</th>");
	}
	okra__buf_puts(b, "</tr></thead><tbody>\n");
	for (size_t i = nd; i-- > 0;) {
		okra__buf_puts(b, "<tr><td>");
		date_text(b, days[i]);
		okra__buf_puts(b, "</td>");
		value_cell(b, metric, all[i]);
		for (size_t s = 0; s < n_extra; s++)
			value_cell(b, metric, extra[s].values[i]);
		okra__buf_puts(b, "</tr>\n");
	}
	okra__buf_puts(b, "</tbody></table></details>\n");
	okra_result_free(res);
}

/* The segment breakdown as of the last day: one row per segment, each a
 * link that pins it. */
static void breakdown_part(okra_buf *b, okra_req *req, okra_model *m,
                           const okra_metric *metric, const char *by)
{
	const char *ids[1] = {metric->id};
	okra_query q = {.metrics = ids,
	                .n_metrics = 1,
	                .asof = okra__req_param(req, "to")
	                            ? okra__req_param(req, "to")
	                            : okra__req_param(req, "asof"),
	                .by = by};
	okra_result *res = NULL;
	okra_err err = {0};
	okra__buf_puts(b, "<h2>Segments</h2>\n");
	if (!m->engine ||
	    okra_metrics_eval(m->engine, &q, &res, &err) != OKRA_OK) {
		okra__buf_puts(b, "<p class=\"error\">");
		okra__html_esc(b, err.msg);
		okra__buf_puts(b, "</p>\n");
		return;
	}
	int mi = okra__find_metric(m->ws, metric->id);
	okra__buf_puts(b, "<table class=\"breakdown\"><caption>");
	okra__html_esc(b, metric->id);
	okra__buf_puts(b, " by ");
	okra__html_esc(b, by);
	okra__buf_puts(b, " as of ");
	date_text(b, okra__result_date(res, 0));
	okra__buf_puts(b, "</caption><thead><tr><th>Segment</th><th>Value</"
	                  "th></tr></thead><tbody>\n"
	                  "<tr class=\"all\"><td>All</td>");
	value_cell(b, metric, okra__result_at(res, mi, 0, 0));
	okra__buf_puts(b, "</tr>\n");
	for (size_t j = 0; j < res->seg.n_attrs; j++) {
		const okra_segment_attr *at = &res->seg.attrs[j];
		if (strcmp(at->name, by) != 0)
			continue;
		for (size_t s = at->first + 1; s <= at->first + at->n; s++) {
			const char *name = okra__result_segment(res, s);
			okra_buf pin = {0}, href = {0};
			okra__buf_printf(&pin, "%s=%s", at->name, name);
			explorer_link(&href, req, metric->id, "where",
			              pin.data);
			okra__buf_puts(b, "<tr><td><a href=\"");
			okra__html_esc(b, href.data);
			okra__buf_puts(b, "\">");
			okra__html_esc(b, name);
			okra__buf_puts(b, "</a></td>");
			value_cell(b, metric, okra__result_at(res, mi, s, 0));
			okra__buf_puts(b, "</tr>\n");
			okra__buf_free(&pin);
			okra__buf_free(&href);
		}
	}
	okra__buf_puts(b, "</tbody></table>\n");
	okra_result_free(res);
}

static void checkins_part(okra_buf *b, okra_req *req, okra_model *m,
                          const okra_metric *metric)
{
	okra_checkin_row *rows = NULL;
	size_t n = 0;
	okra_err err = {0};
	okra__buf_puts(b, "<section class=\"checkins\"><h2>Check-ins</h2>\n");
	if (m->state &&
	    okra__state_checkins(m->state, metric->id, &req->arena, &rows, &n,
	                         &err) == OKRA_OK &&
	    n) {
		okra__buf_puts(
		    b, "<table class=\"checkins\"><thead><tr><th>Date</th>"
		       "<th>Value</th><th>Note</th></tr></thead><tbody>\n");
		for (size_t i = n; i-- > 0;) {
			okra__buf_puts(b, "<tr><td>");
			date_text(b, rows[i].day);
			okra__buf_puts(b, "</td>");
			value_cell(b, metric, rows[i].value);
			okra__buf_puts(b, "<td>");
			okra__html_esc(b, rows[i].note);
			okra__buf_puts(b, "</td></tr>\n");
		}
		okra__buf_puts(b, "</tbody></table>\n");
	} else {
		okra__buf_puts(b, "<p class=\"muted\">No check-ins yet.</p>\n");
	}
	okra__buf_puts(
	    b,
	    "<form class=\"write\" method=\"post\" action=\"/forms/checkin\">"
	    "<input type=\"hidden\" name=\"metric\" value=\"");
	okra__html_esc(b, metric->id);
	okra__buf_puts(
	    b, "\"><input type=\"hidden\" name=\"back\" value=\"/metrics/");
	okra__url_esc(b, metric->id);
	okra__buf_puts(b, "\"><label>Value <input type=\"text\" name=\"value\" "
	                  "inputmode=\"decimal\" "
	                  "required size=\"8\"></label> <label>Date <input "
	                  "type=\"date\" name=\"date\">"
	                  "</label> <label>Note <input type=\"text\" "
	                  "name=\"note\" maxlength=\"500\">"
	                  "</label> ");
	token_field(b);
	okra__buf_puts(
	    b, " <button type=\"submit\">Check in</button></form></section>\n");
}

void okra__page_metric(okra_req *req, okra_model *m, const char *id,
                       okra_resp *out)
{
	const okra_workspace *ws = m->ws;
	if (!id) {
		if (ws->settings.north_star.id &&
		    okra__find_metric(ws, ws->settings.north_star.id) >= 0)
			id = ws->settings.north_star.id;
		else if (ws->n_metrics)
			id = ws->metrics[0].id;
	}
	if (!id) {
		okra__resp_error(req, out, 404,
		                 "the workspace defines no metric");
		return;
	}
	if (!okra__api_check_metric(req, m, id, out))
		return;
	const okra_metric *metric = &ws->metrics[okra__find_metric(ws, id)];
	okra_buf *b = &out->body;
	okra__resp_html(out, 200);
	okra__html_begin(b, req->srv, metric->title ? metric->title : id,
	                 "metrics");
	okra__buf_puts(b, "<div class=\"explorer\">");
	metric_nav(b, ws, metric);
	okra__buf_puts(b, "<div class=\"explore\"><h1>");
	okra__html_esc(b, metric->title ? metric->title : id);
	okra__buf_puts(b, "</h1>\n<p class=\"meta\"><code>");
	okra__html_esc(b, id);
	okra__buf_printf(b, "</code> · %s",
	                 okra__metric_types[metric->type].name);
	if (metric->description) {
		okra__buf_puts(b, " · ");
		okra__html_esc(b, metric->description);
	}
	okra__buf_puts(b, "</p>\n");

	const char *grain = okra__req_param(req, "grain");
	const char *by = okra__req_param(req, "by");
	const char *where = okra__req_param(req, "where");
	const char *segs[64];
	size_t n_segs = segmentations(ws, segs, OKRA_ARRAY_LEN(segs));
	picker(b, req, id, "grain", "Grain", grain_names, 4,
	       grain ? grain : "week", NULL);
	picker(b, req, id, "by", "Split by", segs, n_segs,
	       by && by[0] ? by : NULL, "none");
	if (where) {
		okra_buf href = {0};
		explorer_link(&href, req, id, "where", NULL);
		okra__buf_puts(b, "<p class=\"pin\">Only ");
		okra__html_esc(b, where);
		okra__buf_puts(b, " · <a href=\"");
		okra__html_esc(b, href.data);
		okra__buf_puts(b, "\">all segments</a></p>\n");
		okra__buf_free(&href);
	}
	bool ok = true;
	if (metric->type == OKRA_METRIC_MANUAL) {
		checkins_part(b, req, m, metric);
	} else {
		series_part(b, req, m, metric, out, &ok);
		if (!ok)
			return;
		const char *split = by && by[0]          ? by
		                    : metric->n_segments ? metric->segments[0]
		                    : n_segs             ? segs[0]
		                                         : NULL;
		if (split)
			breakdown_part(b, req, m, metric, split);
	}
	okra__buf_puts(b, "</div></div>\n");
	okra__html_end(b);
}

/* ---- lint -------------------------------------------------------------- */

static void findings_table(okra_buf *b, okra_findings *f)
{
	static const char *const sev[] = {"info", "warning", "error"};
	size_t n = okra_findings_count(f);
	okra__buf_printf(
	    b,
	    "<p class=\"summary\">%zu error%s, %zu warning%s, %zu info%s</p>\n",
	    okra_findings_count_severity(f, OKRA_ERROR),
	    okra_findings_count_severity(f, OKRA_ERROR) == 1 ? "" : "s",
	    okra_findings_count_severity(f, OKRA_WARNING),
	    okra_findings_count_severity(f, OKRA_WARNING) == 1 ? "" : "s",
	    okra_findings_count_severity(f, OKRA_INFO),
	    okra_findings_count_severity(f, OKRA_INFO) == 1 ? "" : "s");
	if (!n)
		return;
	okra__buf_puts(
	    b, "<table "
	       "class=\"findings\"><thead><tr><th>Severity</th><th>Where</th>"
	       "<th>Rule</th><th>Finding</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const okra_finding *it = okra_findings_get(f, i);
		okra__buf_printf(b,
		                 "<tr class=\"%s\"><td><span class=\"sev "
		                 "%s\">%s</span></td><td><code>",
		                 sev[it->severity], sev[it->severity],
		                 sev[it->severity]);
		okra__html_esc(b, it->file);
		if (it->line)
			okra__buf_printf(b, ":%d:%d", it->line, it->col);
		okra__buf_puts(b, "</code></td><td><code>");
		okra__html_esc(b, it->rule);
		okra__buf_puts(b, "</code></td><td>");
		okra__html_esc(b, it->message);
		if (it->source_line) {
			okra__buf_puts(b, "<pre>");
			okra__html_esc(b, it->source_line);
			okra__buf_puts(b, "</pre>");
		}
		if (it->hint) {
			okra__buf_puts(b, "<p class=\"hint\">");
			okra__html_esc(b, it->hint);
			okra__buf_puts(b, "</p>");
		}
		okra__buf_puts(b, "</td></tr>\n");
	}
	okra__buf_puts(b, "</tbody></table>\n");
}

void okra__page_lint(okra_req *req, okra_model *m, okra_resp *out)
{
	okra_findings *f = okra__api_findings(req->srv, m);
	if (!f) {
		okra__resp_error(req, out, 500, "lint failed");
		return;
	}
	okra_buf *b = &out->body;
	okra__resp_html(out, 200);
	okra__html_begin(b, req->srv, "Lint", "lint");
	okra__buf_puts(b, "<h1>Lint</h1>\n");
	if (!m->ws) {
		okra__buf_puts(
		    b, "<p class=\"error\">The workspace does not load: ");
		okra__html_esc(b, m->err.msg);
		okra__buf_puts(b, "</p>\n");
	}
	findings_table(b, f);
	okra__html_end(b);
	okra_findings_free(f);
}

void okra__page_broken(okra_req *req, okra_model *m, okra_resp *out)
{
	okra_findings *f = okra__api_findings(req->srv, m);
	okra_buf *b = &out->body;
	okra__resp_html(out, 503);
	out->no_cache = true;
	okra__html_begin(b, req->srv, "Workspace error", NULL);
	okra__buf_puts(
	    b, "<h1>The workspace does not load</h1>\n<p class=\"error\">");
	if (m->err.file[0]) {
		okra__html_esc(b, m->err.file);
		okra__buf_puts(b, ": ");
	}
	okra__html_esc(b, m->err.msg);
	okra__buf_puts(
	    b,
	    "</p>\n<p>Fix the files; this page reloads them by itself.</p>\n");
	if (f)
		findings_table(b, f);
	okra__html_end(b);
	okra_findings_free(f);
}
