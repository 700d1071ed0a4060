/*
 * pages.c - the dashboard's HTML pages: overview, objective, metric
 * explorer and lint.  They compose the components of render/html.c, the
 * same the static review.html shows, from the same review and results as
 * the command line and the API, and work without JavaScript: pickers are
 * links, check-ins are plain forms.
 *
 * Runs with the model lock held.  Every text from YAML or data is written
 * through okra__html_esc or okra__url_esc (html.c); ids are also checked
 * against the workspace before they are used.  The engine's results are
 * read only through the few helpers under "results" below.
 */
#include "server/server.h"
#include "plan/result.h"
#include "model/format.h"
#include "render/html.h"
#include "render/svg.h"
#include "review/review.h"
#include "state/state.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHART_H 260

static const char *const grain_names[] = {"day", "week", "month", "quarter"};

/* ---- results: every read of an engine result ---------------------------- */

/* The dates of res (ascending); *n their count. */
static const int32_t *res_dates(const okra_result *res, size_t *n)
{
	*n = okra__result_n_dates(res);
	return res->plan.dates;
}

/* The values of metric mi over the dates: row 0 is everyone, row s + 1
 * segment s. */
static const double *res_series(const okra_result *res, int mi, size_t row)
{
	return okra__result_row(res, mi, row);
}

/* The value of metric mi in row at date index d. */
static double value_at(const okra_result *res, int mi, size_t row, size_t d)
{
	return okra__result_at(res, mi, row, d);
}

/* The segments of attribute by: their first row and count; false when
 * the result has none. */
static bool res_segments(const okra_result *res, const char *by, size_t *first,
                         size_t *n)
{
	for (size_t j = 0; by && j < res->seg.n_attrs; j++)
		if (strcmp(res->seg.attrs[j].name, by) == 0) {
			*first = res->seg.attrs[j].first;
			*n = res->seg.attrs[j].n;
			return true;
		}
	return false;
}

/* The name of segment s (0-based within all of res's segments). */
static const char *res_segment_name(const okra_result *res, size_t s)
{
	return okra__result_segment(res, s + 1);
}

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

/* A query parameter, NULL when absent or empty (a form's empty field). */
static const char *param(okra_req *req, const char *key)
{
	const char *v = okra__req_param(req, key);
	return v && v[0] ? v : NULL;
}

/* A hidden field that keeps a query parameter across a GET form. */
static void keep_field(okra_buf *b, okra_req *req, const char *key)
{
	const char *v = param(req, key);
	if (!v)
		return;
	okra__buf_printf(b, "<input type=\"hidden\" name=\"%s\" value=\"", key);
	okra__html_esc(b, v);
	okra__buf_puts(b, "\">");
}

/* The links of the components keep the request's asof. */
static okra_html_ctx links_of(okra_req *req)
{
	return (okra_html_ctx){.links = true,
	                       .asof = okra__req_param(req, "asof")};
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

/* The overview's pickers: the as-of day and the team, one GET form (no
 * JavaScript needed). */
static void overview_form(okra_buf *b, const okra_workspace *ws,
                          const okra_review *r)
{
	okra__buf_puts(b, "<form class=\"asof\" method=\"get\" action=\"/\">"
	                  "<label>As of <input type=\"date\" name=\"asof\" "
	                  "value=\"");
	date_text(b, r->asof);
	okra__buf_puts(b, "\" required></label>");
	if (ws->n_teams) {
		okra__buf_printf(b,
		                 "<label>Team <select name=\"team\">"
		                 "<option value=\"\"%s>All teams</option>",
		                 r->team ? "" : " selected");
		for (size_t i = 0; i < ws->n_teams; i++) {
			const char *id = ws->teams[i].id;
			okra__buf_puts(b, "<option value=\"");
			okra__html_esc(b, id);
			okra__buf_printf(b, "\"%s>",
			                 r->team && strcmp(r->team, id) == 0
			                     ? " selected"
			                     : "");
			okra__html_esc(b, id);
			okra__buf_puts(b, "</option>");
		}
		okra__buf_puts(b, "</select></label>");
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
	    okra_series_eval(m->engine, &q, &res, &err) != OKRA_OK) {
		okra__buf_puts(b, "<p class=\"error\">");
		okra__html_esc(b, err.msg[0] ? err.msg : "no data loaded");
		okra__buf_puts(b, "</p>\n");
		return;
	}
	int mi = okra__find_metric(m->ws, ns->id);
	size_t n = 0;
	const int32_t *dates = res_dates(res, &n);
	okra_chart c = {.title = ns->title ? ns->title : ns->id,
	                .unit = ns->unit,
	                .days = dates,
	                .values = res_series(res, mi, 0),
	                .n = n,
	                .has_asof = true,
	                .asof = r->asof};
	for (size_t i = 0; i < ns->n_targets; i++)
		if (r->asof >= ns->targets[i].period.first &&
		    r->asof <= ns->targets[i].period.last) {
			c.has_target = true;
			c.target = ns->targets[i].target;
		}
	if (n)
		okra__chart_anomalies(req, m, ns, NULL, 0, dates[0], r->asof,
		                      &c);
	okra__svg_chart(b, &c, CHART_H);
	okra_result_free(res);
}

/* "As of 2026-03-10 · previous review 2026-03-03" */
static void review_meta(okra_buf *b, const okra_review *r)
{
	okra__buf_puts(b, "<p class=\"meta\">As of ");
	okra__html_date(b, r->asof);
	if (r->has_prev) {
		okra__buf_puts(b, " · previous review ");
		okra__html_date(b, r->prev_asof);
	}
	if (r->team) {
		okra__buf_puts(b, " · team ");
		okra__html_esc(b, r->team);
	}
	if (r->data_last >= 0 && r->asof > r->data_last) {
		okra__buf_puts(b, " · the data ends on ");
		okra__html_date(b, r->data_last);
	}
	okra__buf_puts(b, "</p>\n");
}

void okra__page_overview(okra_req *req, okra_model *m, okra_resp *out)
{
	okra_review *r = NULL;
	if (okra__srv_review(req, m, &r, out))
		return;
	okra_html_ctx ctx = links_of(req);
	okra_buf *b = &out->body;
	okra__resp_html(out, 200);
	okra__html_begin(b, req->srv, "Overview", "overview");
	okra__buf_puts(b, "<div class=\"page-head\"><div>"
	                  "<p class=\"eyebrow\">Overview</p><h1>");
	const char *name = okra_workspace_name(m->ws);
	okra__html_esc(b, name && *name ? name : "okra workspace");
	okra__buf_puts(b, "</h1>\n");
	review_meta(b, r);
	okra__buf_puts(b, "</div>");
	overview_form(b, m->ws, r);
	okra__buf_puts(b, "</div>\n");
	okra__html_summary(b, &ctx, r);

	if (r->north_star) {
		okra__buf_puts(b, "<section class=\"northstar\">"
		                  "<h2>North star: ");
		okra__html_metric_name(b, &ctx, r->north_star, NULL);
		okra__buf_puts(b, "</h2>\n<div class=\"card\">\n"
		                  "<p class=\"big\">");
		okra__html_value(b, r->north_star, r->ns_current);
		okra__buf_puts(b, "</p>\n");
		north_star_chart(b, req, m, r);
		if (r->n_ns_inputs)
			okra__html_inputs_table(b, &ctx, r);
		okra__buf_puts(b, "</div>\n</section>\n");
	}

	okra__buf_puts(b,
	               "<section class=\"objectives\"><h2>Objectives</h2>\n");
	for (size_t i = 0; i < r->n_objectives; i++) {
		const okra_obj_eval *o = &r->objectives[i];
		okra__buf_puts(b, "<article class=\"objective card\" "
		                  "tabindex=\"-1\">\n");
		okra__html_objective_head(b, &ctx, o, 3);
		okra__html_kr_table(b, &ctx, o);
		okra__buf_puts(b, "</article>\n");
	}
	if (!r->n_objectives)
		okra__buf_puts(b, "<p class=\"muted\">No objectives.</p>\n");
	okra__buf_puts(b, "</section>\n<section class=\"dashboard\">"
	                  "<h2>Balanced dashboard</h2>\n"
	                  "<div class=\"card dash\">\n");
	okra__html_metric_table(b, &ctx, "Leading indicators (weekly)", "weeks",
	                        r->leading, r->n_leading);
	okra__html_metric_table(b, &ctx, "Lagging indicators (monthly)",
	                        "months", r->lagging, r->n_lagging);
	okra__buf_puts(b, "</div>\n</section>\n<section class=\"suggestions\">"
	                  "<h2>What should we change?</h2>\n"
	                  "<div class=\"card\">\n");
	okra__html_suggestions_ctx(b, &ctx, r);
	okra__buf_puts(b, "</div>\n</section>\n");
	okra__html_end(b);
	okra_review_free(r);
}

/* ---- objective --------------------------------------------------------- */

static void kr_confidence(okra_buf *b, okra_req *req, okra_model *m,
                          const okra_kr_eval *k, const char *obj_id)
{
	okra_confidence *rows = NULL;
	size_t n = 0;
	okra_err err = {0};
	okra__buf_puts(b, "<div class=\"kr-extra\"><h5>Confidence "
	                  "check-ins</h5>\n");
	if (m->state &&
	    okra__state_confidences(m->state, k->kr->id, &req->arena, &rows, &n,
	                            &err) == OKRA_OK &&
	    n) {
		okra__html_table_begin(b, "confidence");
		okra__buf_puts(b, "<thead><tr><th scope=\"col\">Date</th>"
		                  "<th scope=\"col\" class=\"num\">Confidence"
		                  "</th><th scope=\"col\">Note</th></tr>"
		                  "</thead><tbody>\n");
		for (size_t i = n; i-- > 0;) {
			okra__buf_puts(b, "<tr><td>");
			date_text(b, rows[i].day);
			okra__buf_printf(
			    b, "</td><td class=\"num\">%d/10</td><td>",
			    rows[i].value);
			okra__html_esc(b, rows[i].note);
			okra__buf_puts(b, "</td></tr>\n");
		}
		okra__buf_puts(b, "</tbody>");
		okra__html_table_end(b);
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
	okra__buf_puts(
	    b, " <button type=\"submit\">Add</button></form>\n</div>\n");
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
	okra_html_ctx ctx = links_of(req);
	okra_marks_arg marks = {req, m};
	ctx.kr_marks = okra__kr_marks; /* anomaly days on the charts */
	ctx.kr_marks_arg = &marks;
	okra_buf *b = &out->body;
	okra__resp_html(out, 200);
	okra__html_begin(b, req->srv,
	                 o->obj->title.text ? o->obj->title.text : id, NULL);
	okra__buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Breadcrumb\">"
	                  "<a href=\"/\">Overview</a> › <span "
	                  "aria-current=\"page\">");
	okra__html_esc(b, o->obj->title.text ? o->obj->title.text : id);
	okra__buf_puts(b, "</span></nav>\n<div class=\"page-head\"><div>");
	okra__html_objective_head(b, &ctx, o, 1);
	review_meta(b, r);
	okra__buf_puts(b, "</div>");
	okra_buf action = {0};
	okra__buf_puts(&action, "/objectives/");
	okra__url_esc(&action, id);
	asof_form(b, action.data ? action.data : "/", r->asof, NULL, NULL);
	okra__buf_free(&action);
	okra__buf_puts(b, "</div>\n");
	/* A table of contents: the KRs with their lights. */
	okra__buf_puts(b, "<nav class=\"toc\" aria-label=\"Key results\"><ul>");
	for (size_t i = 0; i < o->n_krs; i++) {
		const okra_kr_eval *k = &o->krs[i];
		okra__buf_puts(b, "<li>");
		okra__html_badge(b, k->light);
		okra__buf_puts(b, " <a href=\"#kr-");
		okra__url_esc(b, k->kr->id);
		okra__buf_puts(b, "\">");
		okra__html_esc(b, k->kr->title.text ? k->kr->title.text
		                                    : k->kr->id);
		okra__buf_puts(b, "</a></li>");
	}
	okra__buf_puts(b, "</ul></nav>\n");
	for (size_t i = 0; i < o->n_krs; i++) {
		okra__html_kr_card_begin(b, &ctx, r, &o->krs[i]);
		kr_confidence(b, req, m, &o->krs[i], id);
		okra__html_kr_card_end(b);
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
	static const char *const keys[] = {"asof",    "grain", "from",
	                                   "to",      "by",    "where",
	                                   "compare", "q",     "group"};
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

/* A link of the explorer's list: another metric, with the list's search
 * and grouping and the period kept (a segment or pin may not apply to
 * it, so they go). */
static void nav_link(okra_buf *b, okra_req *req, const char *metric)
{
	static const char *const keys[] = {"asof", "grain", "from",
	                                   "to",   "q",     "group"};
	okra__buf_puts(b, "/metrics/");
	okra__url_esc(b, metric);
	char sep = '?';
	for (size_t i = 0; i < OKRA_ARRAY_LEN(keys); i++) {
		const char *v = param(req, keys[i]);
		if (!v)
			continue;
		okra__buf_printf(b, "%c%s=", sep, keys[i]);
		okra__url_esc(b, v);
		sep = '&';
	}
}

/* Does metric m hold q (ASCII case folded) in its id, title or
 * description? */
static bool metric_matches(const okra_metric *m, const char *q)
{
	const char *fields[3] = {m->id, m->title, m->description};
	size_t len = strlen(q);
	for (int f = 0; f < 3; f++) {
		const char *s = fields[f];
		for (; s && *s; s++) {
			size_t i = 0;
			while (i < len && s[i] &&
			       tolower((unsigned char)s[i]) ==
			           tolower((unsigned char)q[i]))
				i++;
			if (i == len)
				return true;
		}
	}
	return false;
}

/* The explorer's list of metrics: titles, grouped by level (or owner),
 * with a search that filters it on the server (okra.js filters while
 * typing, from the same data-find text). */
static void metric_nav(okra_buf *b, okra_req *req, const okra_workspace *ws,
                       const okra_metric *current)
{
	static const char *const levels[] = {
	    "No level", "1 · North star", "2 · Outputs",
	    "3 · Leading indicators", "4 · Team inputs"};
	const char *q = param(req, "q");
	const char *group = param(req, "group");
	bool by_owner = group && strcmp(group, "owner") == 0;
	okra__buf_puts(b, "<nav class=\"metrics\" aria-label=\"Metrics\">"
	                  "<form class=\"find\" role=\"search\" "
	                  "method=\"get\" action=\"/metrics/");
	okra__url_esc(b, current->id);
	okra__buf_puts(b, "\"><label><span class=\"sr\">Find a metric</span>"
	                  "<input type=\"search\" name=\"q\" "
	                  "placeholder=\"Find a metric\" value=\"");
	okra__html_esc(b, q ? q : "");
	okra__buf_puts(b, "\"></label>");
	keep_field(b, req, "group");
	okra__buf_puts(b, "<button type=\"submit\">Find</button></form>\n"
	                  "<p class=\"group-by\">Group by ");
	for (int g = 0; g < 2; g++) {
		okra_buf href = {0};
		explorer_link(&href, req, current->id, "group",
		              g ? "owner" : "level");
		okra__buf_puts(b, g ? " · <a href=\"" : "<a href=\"");
		okra__html_esc(b, href.data);
		okra__buf_printf(b, "\"%s>%s</a>",
		                 (g == 1) == by_owner ? " aria-current=\"true\""
		                                      : "",
		                 g ? "owner" : "level");
		okra__buf_free(&href);
	}
	okra__buf_puts(b, "</p>\n");
	/* The groups, in order: levels 1..4 then none; the teams in
	 * okra.yaml's order then none. */
	size_t n_groups = by_owner ? ws->n_teams + 1 : 5, shown = 0;
	for (size_t g = 0; g < n_groups; g++) {
		size_t in_group = 0;
		for (size_t i = 0; i < ws->n_metrics; i++) {
			const okra_metric *mt = &ws->metrics[i];
			int team = mt->owner.id
			               ? okra__find_team(ws, mt->owner.id)
			               : -1;
			bool member =
			    by_owner
			        ? (g < ws->n_teams ? team == (int)g : team < 0)
			        : (g < 4 ? mt->level == (int)g + 1
			                 : mt->level < 1 || mt->level > 4);
			if (!member || (q && !metric_matches(mt, q)))
				continue;
			if (!in_group++) {
				okra__buf_puts(b, "<div class=\"nav-group\">"
				                  "<h3>");
				if (by_owner && g < ws->n_teams)
					okra__html_esc(b, ws->teams[g].id);
				else if (by_owner)
					okra__buf_puts(b, "No owner");
				else
					okra__buf_puts(
					    b, levels[g < 4 ? g + 1 : 0]);
				okra__buf_puts(b, "</h3><ul>");
			}
			shown++;
			okra__buf_puts(b, "<li data-find=\"");
			okra__html_esc(b, mt->id);
			okra__buf_putc(b, ' ');
			okra__html_esc(b, mt->title ? mt->title : "");
			okra__buf_putc(b, ' ');
			okra__html_esc(b,
			               mt->description ? mt->description : "");
			okra__buf_puts(b, "\"><a href=\"");
			okra_buf href = {0};
			nav_link(&href, req, mt->id);
			okra__html_esc(b, href.data);
			okra__buf_free(&href);
			okra__buf_printf(
			    b, "\"%s>",
			    mt == current ? " aria-current=\"page\"" : "");
			okra__html_esc(b, mt->title ? mt->title : mt->id);
			if (mt->title) {
				okra__buf_puts(b, " <code>");
				okra__html_esc(b, mt->id);
				okra__buf_puts(b, "</code>");
			}
			okra__buf_puts(b, "</a></li>");
		}
		if (in_group)
			okra__buf_puts(b, "</ul></div>\n");
	}
	if (!shown) {
		okra__buf_puts(b, "<p class=\"muted\">No metric matches "
		                  "&ldquo;");
		okra__html_esc(b, q ? q : "");
		okra__buf_puts(b, "&rdquo;.</p>\n");
	}
	okra__buf_puts(b, "<p class=\"muted none\" hidden>No metric "
	                  "matches.</p></nav>\n");
}

/* The explorer's comparison: "prev", "yoy" (or a date from the URL), NULL
 * when off. */
static const char *compare_of(okra_req *req)
{
	const char *c = okra__req_param(req, "compare");
	return c && c[0] ? c : NULL;
}

static const char *compare_label(const char *c)
{
	return strcmp(c, "prev") == 0  ? "One period earlier"
	       : strcmp(c, "yoy") == 0 ? "A year earlier"
	                               : "Compared";
}

/* The change of (mi, row, d) against the comparison: a cell with an
 * arrow, coloured by the metric's direction. */
static void change_cell(okra_buf *b, const okra_metric *metric, double now,
                        double then)
{
	double ch = now - then;
	okra__buf_puts(b, "<td class=\"num\">");
	if (isnan(ch)) {
		okra__html_value(b, NULL, NAN);
	} else {
		bool good = (ch > 0) == (metric->direction == OKRA_DIR_UP);
		okra__buf_printf(b, "<span class=\"%s\">%s",
		                 ch == 0 ? "muted"
		                 : good  ? "good"
		                         : "bad",
		                 ch > 0   ? "▲ +"
		                 : ch < 0 ? "▼ -"
		                          : "= ");
		if (metric->unit == OKRA_UNIT_PERCENT)
			okra__buf_printf(b, "%.1f pts", fabs(ch) * 100);
		else
			okra__html_value(b, metric, fabs(ch));
		okra__buf_puts(b, "</span>");
	}
	okra__buf_puts(b, "</td>");
}

/* The explorer's period: from and to, one GET form that keeps the other
 * choices (both required, so a submitted form always names a range). */
static void range_form(okra_buf *b, okra_req *req, const char *metric,
                       const char *from, const char *to)
{
	okra__buf_puts(b, "<form class=\"asof range\" method=\"get\" "
	                  "action=\"/metrics/");
	okra__url_esc(b, metric);
	okra__buf_puts(b, "\"><label>From <input type=\"date\" name=\"from\" "
	                  "value=\"");
	okra__html_esc(b, from ? from : "");
	okra__buf_puts(b, "\" required></label> <label>To <input type=\"date\" "
	                  "name=\"to\" value=\"");
	okra__html_esc(b, to ? to : "");
	okra__buf_puts(b, "\" required></label>");
	static const char *const kept[] = {"grain",   "by", "where",
	                                   "compare", "q",  "group"};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(kept); i++)
		keep_field(b, req, kept[i]);
	okra__buf_puts(b, " <button type=\"submit\">Show</button></form>\n");
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
	                .n_where = where[0] != NULL,
	                .max_points = OKRA_MAX_API_SERIES_POINTS,
	                .compare = compare_of(req)};
	if (!q.to)
		q.to = okra__req_param(req, "asof");
	okra_result *res = NULL;
	okra_err err = {0};
	if (okra_series_eval(m->engine, &q, &res, &err) != OKRA_OK) {
		if (err.rc != OKRA_ERR_USAGE) {
			okra__resp_from_err(req, out, &err);
			*ok = false;
			return;
		}
		/* A pin or segment the data does not have, or a range that
		 * is not one: say so on the page, with the nearest value,
		 * instead of an empty chart; the range stays editable. */
		range_form(b, req, metric->id, q.from, q.to);
		okra__buf_puts(b, "<p class=\"error\">");
		okra__html_esc(b, err.msg);
		okra__buf_puts(b, "</p>\n");
		return;
	}
	int mi = okra__find_metric(m->ws, metric->id);
	size_t n_dates = 0, first = 0, n_segs = 0;
	const int32_t *dates = res_dates(res, &n_dates);
	if (n_dates) {
		char from[11], to[11];
		okra__format_date(dates[0], from);
		okra__format_date(dates[n_dates - 1], to);
		range_form(b, req, metric->id, from, to);
	}
	/* One line per segment, as many as the chart has colours for (the
	 * comparison takes one); the breakdown below lists every one. */
	okra_chart_series extra[16];
	size_t max_extra = okra__svg_max_extra() < OKRA_ARRAY_LEN(extra)
	                       ? okra__svg_max_extra()
	                       : OKRA_ARRAY_LEN(extra);
	size_t n_extra = 0, not_drawn = 0;
	/* The comparison: the earlier values drawn at the dates they are
	 * compared with, so the two lines line up point by point. */
	double *then = NULL;
	if (q.compare && (then = okra__arena_alloc(
	                      &req->arena, (n_dates + 1) * sizeof(*then)))) {
		for (size_t i = 0; i < n_dates; i++) {
			int32_t day;
			if (!okra__result_compare(res, mi, 0, i, &day,
			                          &then[i]))
				then[i] = NAN;
		}
		extra[n_extra++] =
		    (okra_chart_series){.name = compare_label(q.compare),
		                        .days = dates,
		                        .values = then,
		                        .n = n_dates};
	}
	if (q.by && res_segments(res, q.by, &first, &n_segs))
		for (size_t s = 0; s < n_segs; s++) {
			if (n_extra == max_extra) {
				not_drawn = n_segs - s;
				break;
			}
			extra[n_extra++] = (okra_chart_series){
			    .name = res_segment_name(res, first + s),
			    .days = dates,
			    .values = res_series(res, mi, first + s + 1),
			    .n = n_dates};
		}
	okra_buf title = {0};
	okra__buf_printf(&title, "%s by %s",
	                 metric->title ? metric->title : metric->id,
	                 grain_names[q.grain]);
	if (where[0])
		okra__buf_printf(&title, ", %s", where[0]);
	okra_chart c = {.title = title.data,
	                .unit = metric->unit,
	                .days = dates,
	                .values = res_series(res, mi, 0),
	                .n = n_dates,
	                .actual_label = where[0] ? where[0] : "All",
	                .extra = extra,
	                .n_extra = n_extra};
	okra_where pin;
	bool pinned = okra__where_pin(req, where[0], &pin);
	if (n_dates && (pinned || !where[0]))
		okra__chart_anomalies(req, m, metric, pinned ? &pin : NULL,
		                      pinned, dates[0], dates[n_dates - 1], &c);
	okra__buf_puts(b, "<div class=\"card\">\n");
	okra__svg_chart(b, &c, CHART_H + 20);
	okra__buf_free(&title);
	if (not_drawn)
		okra__buf_printf(b,
		                 "<p class=\"meta\">%zu more segment%s than "
		                 "the chart has colours for: the table and the "
		                 "breakdown below have %s.</p>\n",
		                 not_drawn, not_drawn == 1 ? "" : "s",
		                 not_drawn == 1 ? "it" : "them");

	okra__buf_puts(b, "<details class=\"points\"><summary>The "
	                  "numbers</summary>");
	okra__html_table_begin(b, "series");
	okra__buf_puts(b, "<thead><tr><th scope=\"col\">Date</th>"
	                  "<th scope=\"col\" class=\"num\">");
	okra__html_esc(b, where[0] ? where[0] : "All");
	okra__buf_puts(b, "</th>");
	if (then)
		okra__buf_puts(b,
		               "<th scope=\"col\">Compared with</th>"
		               "<th scope=\"col\" class=\"num\">Then</th>"
		               "<th scope=\"col\" class=\"num\">Change</th>");
	for (size_t s = then ? 1 : 0; s < n_extra; s++) {
		okra__buf_puts(b, "<th scope=\"col\" class=\"num\">");
		okra__html_esc(b, extra[s].name);
		okra__buf_puts(b, "</th>");
	}
	okra__buf_puts(b, "</tr></thead><tbody>\n");
	for (size_t i = n_dates; i-- > 0;) {
		okra__buf_puts(b, "<tr><td>");
		date_text(b, dates[i]);
		okra__buf_puts(b, "</td>");
		value_cell(b, metric, value_at(res, mi, 0, i));
		int32_t day;
		double was;
		if (then && okra__result_compare(res, mi, 0, i, &day, &was)) {
			okra__buf_puts(b, "<td>");
			date_text(b, day);
			okra__buf_puts(b, "</td>");
			value_cell(b, metric, was);
			change_cell(b, metric, value_at(res, mi, 0, i), was);
		} else if (then) {
			okra__buf_puts(b, "<td></td><td></td><td></td>");
		}
		for (size_t s = then ? 1 : 0; s < n_extra; s++)
			value_cell(b, metric, extra[s].values[i]);
		okra__buf_puts(b, "</tr>\n");
	}
	okra__buf_puts(b, "</tbody>");
	okra__html_table_end(b);
	okra__buf_puts(b, "</details>\n</div>\n");
	okra_result_free(res);
}

/* A breakdown row's cells after its name: the value, n (the sample's
 * denominator, marked when small), and with a comparison the earlier
 * value and the change. */
static void breakdown_cells(okra_buf *b, const okra_result *res, int mi,
                            const okra_metric *metric, size_t row, bool has_n,
                            const char *compare, bool *small)
{
	value_cell(b, metric, value_at(res, mi, row, 0));
	double num, den;
	if (has_n) {
		bool got = okra__result_sample(res, mi, row, 0, &num, &den);
		bool is_small = got && den < OKRA_SMALL_SAMPLE;
		okra__buf_printf(b, "<td class=\"num seg-n%s\">",
		                 is_small ? " seg-small" : "");
		if (got)
			okra__buf_printf(b, "%.0f%s", den, is_small ? "*" : "");
		okra__buf_puts(b, "</td>");
		*small = *small || is_small;
	}
	if (compare) {
		int32_t day;
		double then = NAN;
		okra__result_compare(res, mi, row, 0, &day, &then);
		value_cell(b, metric, then);
		change_cell(b, metric, value_at(res, mi, row, 0), then);
	}
}

/* The segment breakdown as of the last day, within the pinned segment
 * (where) when there is one: one row per segment, each a link that pins
 * it. */
static void breakdown_part(okra_buf *b, okra_req *req, okra_model *m,
                           const okra_metric *metric, const char *by)
{
	const char *ids[1] = {metric->id};
	const char *where = okra__req_param(req, "where");
	okra_query q = {.metrics = ids,
	                .n_metrics = 1,
	                .asof = okra__req_param(req, "to")
	                            ? okra__req_param(req, "to")
	                            : okra__req_param(req, "asof"),
	                .by = by,
	                .where = &where,
	                .n_where = where != NULL,
	                .compare = compare_of(req)};
	okra_result *res = NULL;
	okra_err err = {0};
	okra__buf_puts(b, "<section class=\"segments\"><h2>Segments</h2>\n"
	                  "<div class=\"card\">\n");
	if (!m->engine ||
	    okra_metrics_eval(m->engine, &q, &res, &err) != OKRA_OK) {
		okra__buf_puts(b, "<p class=\"error\">");
		okra__html_esc(b, err.msg);
		okra__buf_puts(b, "</p>\n</div>\n</section>\n");
		return;
	}
	int mi = okra__find_metric(m->ws, metric->id);
	size_t n_dates = 0, first = 0, n_segs = 0;
	const int32_t *dates = res_dates(res, &n_dates);
	okra__buf_puts(b, "<p class=\"meta\"><code>");
	okra__html_esc(b, metric->id);
	okra__buf_puts(b, "</code> by ");
	okra__html_esc(b, by);
	if (where) {
		okra__buf_puts(b, ", only ");
		okra__html_esc(b, where);
	}
	okra__buf_puts(b, " as of ");
	date_text(b, dates[0]);
	okra__buf_puts(b, "</p>\n");
	okra__html_table_begin(b, "breakdown");
	double num, den;
	bool has_n = okra__result_sample(res, mi, 0, 0, &num, &den);
	bool small = false;
	okra__buf_puts(b, "<thead><tr><th scope=\"col\">Segment</th>"
	                  "<th scope=\"col\" class=\"num\">Value</th>");
	if (has_n)
		okra__buf_puts(b, "<th scope=\"col\" class=\"num\"><abbr "
		                  "title=\"the sample: the denominator of the "
		                  "share or mean\">n</abbr></th>");
	if (q.compare)
		okra__buf_printf(b,
		                 "<th scope=\"col\" class=\"num\">%s</th>"
		                 "<th scope=\"col\" class=\"num\">Change</th>",
		                 compare_label(q.compare));
	okra__buf_puts(b, "</tr></thead><tbody>\n<tr class=\"all\"><td>");
	okra__html_esc(b, where ? where : "All");
	okra__buf_puts(b, "</td>");
	breakdown_cells(b, res, mi, metric, 0, has_n, q.compare, &small);
	okra__buf_puts(b, "</tr>\n");
	if (res_segments(res, by, &first, &n_segs))
		for (size_t s = first; s < first + n_segs; s++) {
			okra_buf pin = {0}, href = {0};
			okra__buf_printf(&pin, "%s=%s", by,
			                 res_segment_name(res, s));
			explorer_link(&href, req, metric->id, "where",
			              pin.data);
			okra__buf_puts(b, "<tr><td><a href=\"");
			okra__html_esc(b, href.data);
			okra__buf_puts(b, "\">");
			okra__html_esc(b, res_segment_name(res, s));
			okra__buf_puts(b, "</a></td>");
			breakdown_cells(b, res, mi, metric, s + 1, has_n,
			                q.compare, &small);
			okra__buf_puts(b, "</tr>\n");
			okra__buf_free(&pin);
			okra__buf_free(&href);
		}
	okra__buf_puts(b, "</tbody>");
	okra__html_table_end(b);
	if (small)
		okra__buf_printf(
		    b,
		    "<p class=\"meta\">* a small sample: fewer than "
		    "%d in its denominator, so read its changes "
		    "with care.</p>\n",
		    OKRA_SMALL_SAMPLE);
	okra__buf_puts(b, "</div>\n</section>\n");
	okra_result_free(res);
}

/* The check-in of ?checkin=N just written (the form came back here):
 * what was recorded, so the writer sees it took. */
static void checkin_confirm(okra_buf *b, okra_req *req,
                            const okra_metric *metric,
                            const okra_checkin_row *rows, size_t n)
{
	const char *id = param(req, "checkin");
	char *end;
	long long want = id ? strtoll(id, &end, 10) : 0;
	if (!id || *end || want <= 0)
		return;
	for (size_t i = 0; i < n; i++) {
		const okra_checkin_row *r = &rows[i];
		if (r->id != want)
			continue;
		okra__buf_puts(b, "<p class=\"confirm\" role=\"status\">");
		if (r->corrects)
			okra__buf_printf(b, "Corrected #%lld: ", r->corrects);
		okra__buf_puts(b, "checked in ");
		okra__html_esc(b, metric->title ? metric->title : metric->id);
		okra__buf_puts(b, " = <strong>");
		okra__html_value(b, metric, r->value);
		okra__buf_puts(b, "</strong> on ");
		okra__html_date(b, r->day);
		if (r->author) {
			okra__buf_puts(b, " by ");
			okra__html_esc(b, r->author);
		}
		okra__buf_printf(b, " (#%lld).</p>\n", r->id);
		return;
	}
}

static void checkins_part(okra_buf *b, okra_req *req, okra_model *m,
                          const okra_metric *metric)
{
	okra_checkin_row *rows = NULL;
	size_t n = 0;
	okra_err err = {0};
	okra__buf_puts(b, "<section class=\"checkins\"><h2>Check-ins</h2>\n"
	                  "<div class=\"card\">\n");
	if (m->state && okra__state_checkins(m->state, metric->id, &req->arena,
	                                     &rows, &n, &err) != OKRA_OK)
		n = 0;
	checkin_confirm(b, req, metric, rows, n);
	if (n) {
		okra__html_table_begin(b, "checkins");
		okra__buf_puts(b, "<thead><tr><th scope=\"col\">#</th>"
		                  "<th scope=\"col\">Date</th>"
		                  "<th scope=\"col\" class=\"num\">Value</th>"
		                  "<th scope=\"col\">Author</th>"
		                  "<th scope=\"col\">Note</th>"
		                  "<th scope=\"col\">History</th></tr></thead>"
		                  "<tbody>\n");
		for (size_t i = n; i-- > 0;) {
			const okra_checkin_row *r = &rows[i];
			okra__buf_printf(
			    b,
			    "<tr id=\"checkin-%lld\"%s><td>%lld"
			    "</td><td>",
			    r->id,
			    r->corrected_by ? " class=\"superseded\"" : "",
			    r->id);
			date_text(b, r->day);
			okra__buf_puts(b, "</td>");
			value_cell(b, metric, r->value);
			okra__buf_puts(b, "<td>");
			okra__html_esc(b, r->author ? r->author : "–");
			okra__buf_puts(b, "</td><td>");
			okra__html_esc(b, r->note);
			okra__buf_puts(b, "</td><td>");
			if (r->corrects)
				okra__buf_printf(
				    b,
				    "corrects <a href=\"#checkin-%lld\">"
				    "#%lld</a>",
				    r->corrects, r->corrects);
			if (r->corrects && r->corrected_by)
				okra__buf_puts(b, "; ");
			if (r->corrected_by)
				okra__buf_printf(
				    b,
				    "corrected by <a href=\"#checkin-"
				    "%lld\">#%lld</a>",
				    r->corrected_by, r->corrected_by);
			okra__buf_puts(b, "</td></tr>\n");
		}
		okra__buf_puts(b, "</tbody>");
		okra__html_table_end(b);
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
	                  "</label> <label>Author <input type=\"text\" "
	                  "name=\"author\" class=\"author\" maxlength=\"200\" "
	                  "autocomplete=\"name\" size=\"12\"></label> "
	                  "<label>Note <input type=\"text\" "
	                  "name=\"note\" maxlength=\"500\">"
	                  "</label> ");
	/* A correction: a new row that supersedes one not corrected yet. */
	size_t open = 0;
	for (size_t i = 0; i < n; i++)
		open += !rows[i].corrected_by;
	if (open) {
		okra__buf_puts(b, "<label>Corrects <select name=\"corrects\">"
		                  "<option value=\"\" selected>nothing: a new "
		                  "check-in</option>");
		for (size_t i = n; i-- > 0;) {
			if (rows[i].corrected_by)
				continue;
			okra__buf_printf(b, "<option value=\"%lld\">#%lld, ",
			                 rows[i].id, rows[i].id);
			date_text(b, rows[i].day);
			okra__buf_puts(b, ", ");
			okra__html_value(b, metric, rows[i].value);
			okra__buf_puts(b, "</option>");
		}
		okra__buf_puts(b, "</select></label> ");
	}
	token_field(b);
	okra__buf_puts(b,
	               " <button type=\"submit\">Check in</button></form></div>"
	               "</section>\n");
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
	const char *group = param(req, "group"),
	           *checkin = param(req, "checkin");
	if (group && strcmp(group, "level") && strcmp(group, "owner")) {
		okra__resp_error(req, out, 400,
		                 "group must be level or owner, not \"%.64s\"",
		                 group);
		return;
	}
	if (checkin && strspn(checkin, "0123456789") != strlen(checkin)) {
		okra__resp_error(req, out, 400,
		                 "checkin must be a check-in's number, not "
		                 "\"%.64s\"",
		                 checkin);
		return;
	}
	const okra_metric *metric = &ws->metrics[okra__find_metric(ws, id)];
	okra_buf *b = &out->body;
	okra__resp_html(out, 200);
	okra__html_begin(b, req->srv, metric->title ? metric->title : id,
	                 "metrics");
	okra__buf_puts(b, "<nav class=\"crumbs\" aria-label=\"Breadcrumb\">"
	                  "<a href=\"/\">Overview</a> › <a href=\"/metrics\">"
	                  "Metrics</a> › <span aria-current=\"page\">");
	okra__html_esc(b, metric->title ? metric->title : id);
	okra__buf_puts(b, "</span></nav>\n<div class=\"explorer\">");
	metric_nav(b, req, ws, metric);
	okra__buf_puts(b, "<div class=\"explore\"><div class=\"page-head\">"
	                  "<div><p class=\"eyebrow\">Metric</p><h1>");
	okra__html_esc(b, metric->title ? metric->title : id);
	okra__buf_puts(b, "</h1>\n<p class=\"meta\"><code>");
	okra__html_esc(b, id);
	okra__buf_printf(b, "</code> · %s",
	                 okra__metric_types[metric->type].name);
	if (metric->description) {
		okra__buf_puts(b, " · ");
		okra__html_esc(b, metric->description);
	}
	okra__buf_puts(b, "</p></div></div>\n");

	const char *grain = okra__req_param(req, "grain");
	const char *by = okra__req_param(req, "by");
	const char *where = okra__req_param(req, "where");
	const char *segs[64];
	size_t n_segs = segmentations(ws, segs, OKRA_ARRAY_LEN(segs));
	picker(b, req, id, "grain", "Grain", grain_names, 4,
	       grain ? grain : "week", NULL);
	picker(b, req, id, "by", "Split by", segs, n_segs,
	       by && by[0] ? by : NULL, "none");
	static const char *const compares[] = {"prev", "yoy"};
	picker(b, req, id, "compare", "Compare", compares, 2, compare_of(req),
	       "off");
	if (where) {
		okra_buf href = {0};
		explorer_link(&href, req, id, "where", NULL);
		okra__buf_puts(b, "<p class=\"pin\">Only <code>");
		okra__html_esc(b, where);
		okra__buf_puts(b, "</code> · <a href=\"");
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

/* The rules of the findings, explained, each at #rule-ID (what the
 * finding rows and the suggestions link to), in catalogue order. */
static void rules_part(okra_buf *b, const okra_findings *f)
{
	static const char *const sev[] = {"info", "warning", "error"};
	size_t n = okra_findings_count(f), shown = 0;
	for (size_t r = 0; r < okra_rule_count(); r++) {
		const okra_rule *rule = okra_rule_at(r);
		bool used = false;
		for (size_t i = 0; i < n && !used; i++)
			used = strcmp(okra_findings_get(f, i)->rule,
			              rule->id) == 0;
		if (!used)
			continue;
		if (!shown++)
			okra__buf_puts(b,
			               "<section class=\"rules\"><h2>The "
			               "rules</h2>\n<div class=\"card\"><dl>");
		okra__buf_puts(b, "<dt id=\"rule-");
		okra__html_esc(b, rule->id);
		okra__buf_puts(b, "\"><code>");
		okra__html_esc(b, rule->id);
		okra__buf_printf(b,
		                 "</code> <span class=\"sev sev-%s\">%s</span>"
		                 "</dt><dd><p>",
		                 sev[rule->severity], sev[rule->severity]);
		okra__html_esc(b, rule->summary);
		okra__buf_puts(b, "</p>");
		if (rule->details) {
			okra__buf_puts(b, "<p>");
			okra__html_esc(b, rule->details);
			okra__buf_puts(b, "</p>");
		}
		if (rule->fix) {
			okra__buf_puts(b, "<p class=\"hint\">");
			okra__html_esc(b, rule->fix);
			okra__buf_puts(b, "</p>");
		}
		okra__buf_puts(b, "</dd>\n");
	}
	if (shown)
		okra__buf_puts(b, "</dl></div>\n</section>\n");
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
	okra__buf_puts(b, "<div class=\"page-head\"><div>"
	                  "<p class=\"eyebrow\">Lint</p><h1>Findings</h1>"
	                  "</div></div>\n");
	if (!m->ws) {
		okra__buf_puts(
		    b, "<p class=\"error\">The workspace does not load: ");
		okra__html_esc(b, m->err.msg);
		okra__buf_puts(b, "</p>\n");
	}
	okra__buf_puts(b, "<div class=\"card\">\n");
	okra_html_ctx ctx = {.links = true};
	okra__html_findings_ctx(b, &ctx, f, 0);
	okra__buf_puts(b, "</div>\n");
	rules_part(b, f);
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
	if (f) {
		okra__buf_puts(b, "<div class=\"card\">\n");
		okra__html_findings(b, f, 0);
		okra__buf_puts(b, "</div>\n");
	}
	okra__html_end(b);
	okra_findings_free(f);
}
