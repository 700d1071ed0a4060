/*
 * rollup.c - the roll-up page and API of okra serve: /rollup (each
 * company objective with the squads' objectives that trace to it, then
 * each team: its score weighted by key results with a bar, and its
 * lights counted) and /api/rollup (the JSON of `okra status --rollup
 * --format json`, byte for byte), both ?asof=&team=.  The monthly
 * leadership view of the quarter.
 *
 * The same library calls as the command line; nothing is computed here.
 * Runs with the model lock held; every text from YAML goes through the
 * escapers of html.c.
 */
#include "server/server.h"
#include "render/html.h"
#include "review/rollup.h"

/* The review and its roll-up; false when the answer is filled (an
 * error). */
static bool rollup(okra_req *req, okra_model *m, okra_review **r, okra_arena *a,
                   okra_rollup *u, okra_resp *out)
{
	*r = NULL;
	if (okra__srv_review(req, m, r, out))
		return false;
	okra_err err = {0};
	if (okra__rollup(*r, a, u, &err)) {
		okra__resp_from_err(req, out, &err);
		okra_review_free(*r);
		*r = NULL;
		return false;
	}
	return true;
}

void okra__api_rollup(okra_req *req, okra_model *m, okra_resp *out)
{
	okra_review *r;
	okra_arena a = {0};
	okra_rollup u;
	if (rollup(req, m, &r, &a, &u, out)) {
		okra__resp_json(out, 200);
		okra__rollup_json(r, &u, &out->body);
	}
	okra_review_free(r);
	okra__arena_free(&a);
}

static const okra_light light_order[] = {OKRA_LIGHT_GREEN, OKRA_LIGHT_YELLOW,
                                         OKRA_LIGHT_RED,   OKRA_LIGHT_DONE,
                                         OKRA_LIGHT_OPEN,  OKRA_LIGHT_NO_DATA};

static void row_cells(okra_buf *b, const okra_rollup_row *row)
{
	okra__buf_puts(b, "<td class=\"num\">");
	okra__html_score(b, row->score);
	okra__html_bar(b, row->score);
	okra__buf_printf(b,
	                 "</td><td class=\"num\">%zu</td><td class=\"num\">"
	                 "%zu</td><td>",
	                 row->n_objectives, row->n_krs);
	if (!row->n_krs)
		okra__buf_puts(b, "–");
	for (size_t i = 0; i < OKRA_ARRAY_LEN(light_order); i++) {
		size_t n = row->lights[light_order[i]];
		if (!n)
			continue;
		okra__buf_printf(b, "%zu ", n);
		okra__html_badge(b, light_order[i]);
		okra__buf_puts(b, " ");
	}
	okra__buf_puts(b, "</td></tr>\n");
}

static void table_head(okra_buf *b, const char *first)
{
	okra__html_table_begin(b, "rollup");
	okra__buf_printf(b,
	                 "<thead><tr><th>%s</th><th>Score</th><th>Objectives"
	                 "</th><th>Key results</th><th>Lights</th></tr>"
	                 "</thead>\n<tbody>\n",
	                 first);
}

static void asof_link(okra_buf *b, const okra_req *req)
{
	const char *asof = okra__req_param(req, "asof");
	if (asof && *asof) {
		okra__buf_puts(b, "?asof=");
		okra__url_esc(b, asof);
	}
}

void okra__page_rollup(okra_req *req, okra_model *m, okra_resp *out)
{
	okra_review *r;
	okra_arena a = {0};
	okra_rollup u;
	if (!rollup(req, m, &r, &a, &u, out)) {
		okra__arena_free(&a);
		return;
	}
	okra_buf *b = &out->body;
	okra_quarter q =
	    okra__quarter_of(r->asof, m->ws->settings.fiscal_start_month);
	okra__resp_html(out, 200);
	okra__html_begin(b, req->srv, "Roll-up", "rollup");
	okra__buf_printf(b,
	                 "<div class=\"page-head\"><div><p class=\"eyebrow\">"
	                 "Roll-up</p><h1>The objectives of %d-Q%d</h1>\n"
	                 "<p class=\"meta\">As of ",
	                 q.year, q.q);
	okra__html_date(b, r->asof);
	if (r->team) {
		okra__buf_puts(b, " · team ");
		okra__html_esc(b, r->team);
	}
	okra__buf_puts(b, " · scores weighted by key results, a key result "
	                  "without data as 0</p></div></div>\n");
	if (u.n_company) {
		okra__buf_puts(b, "<section class=\"rollup-company\"><h2>"
		                  "Company</h2>\n<div class=\"card\">\n");
		table_head(b, "Objective");
		for (size_t i = 0; i < u.n_company; i++) {
			const okra_rollup_row *row = &u.rows[i];
			okra__buf_puts(b, "<tr><td><a href=\"/objectives/");
			okra__url_esc(b, row->name);
			asof_link(b, req);
			okra__buf_puts(b, "\">");
			okra__html_esc(b, row->title ? row->title : row->name);
			okra__buf_printf(b,
			                 "</a><br><span class=\"muted\">%zu "
			                 "contributing objective%s</span></td>",
			                 row->n_contributions,
			                 row->n_contributions == 1 ? "" : "s");
			row_cells(b, row);
		}
		okra__buf_puts(b, "</tbody>\n");
		okra__html_table_end(b);
		okra__buf_puts(b, "</div>\n</section>\n");
	}
	okra__buf_puts(b, "<section class=\"rollup-teams\"><h2>Teams</h2>\n"
	                  "<div class=\"card\">\n");
	table_head(b, "Team");
	for (size_t i = u.n_company; i < u.n_rows; i++) {
		const okra_rollup_row *row = &u.rows[i];
		okra__buf_puts(b, "<tr><td>");
		if (row->is_no_team) {
			okra__buf_puts(b, "(no team)");
		} else {
			okra__buf_puts(b, "<a href=\"/?team=");
			okra__url_esc(b, row->name);
			const char *asof = okra__req_param(req, "asof");
			if (asof && *asof) {
				okra__buf_puts(b, "&amp;asof=");
				okra__url_esc(b, asof);
			}
			okra__buf_puts(b, "\">");
			okra__html_esc(b, row->name);
			okra__buf_puts(b, "</a>");
		}
		okra__buf_puts(b, "</td>");
		row_cells(b, row);
	}
	okra__buf_puts(b, "</tbody>\n");
	okra__html_table_end(b);
	okra__buf_puts(b, "</div>\n</section>\n");
	okra__html_end(b);
	okra_review_free(r);
	okra__arena_free(&a);
}
