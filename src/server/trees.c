/*
 * trees.c - the KPI tree pages and API of okra serve: /trees (the list),
 * /trees/{id} (the tree drawn by okra as SVG cards, with from/to/where/by
 * pickers, the drivers in words and what is not attributed) and
 * /api/trees/{id} (the JSON of `okra tree ID --format json`, byte for
 * byte).
 *
 * The same library calls as the command line (okra_tree_eval and its
 * writers); nothing is computed here.  Runs with the model lock held;
 * every text from YAML or data goes through the escapers of html.c.
 */
#include "server/server.h"
#include "okr/tree.h"
#include "query/query.h"
#include "render/svg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A parameter, NULL when absent or empty (a form's "none"). */
static const char *param(okra_req *req, const char *key)
{
	const char *v = okra__req_param(req, key);
	return v && v[0] ? v : NULL;
}

static const okra_tree *find_tree(okra_req *req, okra_model *m, const char *id,
                                  okra_resp *out)
{
	const okra_workspace *ws = m->ws;
	for (size_t i = 0; i < ws->n_trees; i++)
		if (strcmp(ws->trees[i].id, id) == 0)
			return &ws->trees[i];
	const char *near =
	    okra__nearest_id(id, ws->trees, ws->n_trees, sizeof(*ws->trees));
	okra__resp_not_found(req, out, "tree", id, near);
	return NULL;
}

/* Evaluates the tree of the request; on failure the answer is filled. */
static okra_attribution *evaluate(okra_req *req, okra_model *m, const char *id,
                                  okra_resp *out)
{
	const char *where[1] = {param(req, "where")};
	okra_tree_request rq = {.tree = id,
	                        .from = param(req, "from"),
	                        .to = param(req, "to"),
	                        .where = where,
	                        .n_where = where[0] != NULL,
	                        .by = param(req, "by")};
	okra_attribution *at = NULL;
	okra_err err = {0};
	if (okra_tree_eval(m->engine, &rq, &at, &err)) {
		okra__resp_from_err(req, out, &err);
		return NULL;
	}
	return at;
}

void okra__api_tree(okra_req *req, okra_model *m, const char *id,
                    okra_resp *out)
{
	if (!find_tree(req, m, id, out))
		return;
	okra_attribution *at = evaluate(req, m, id, out);
	if (!at)
		return;
	char *data = NULL;
	size_t len = 0;
	okra_err err = {0};
	FILE *f = open_memstream(&data, &len);
	bool ok = f && okra_tree_write(at, OKRA_FORMAT_JSON, false, f, &err) ==
	                   OKRA_OK;
	if (f && fclose(f) != 0)
		ok = false;
	if (ok) {
		okra__resp_json(out, 200);
		okra__buf_append(&out->body, data ? data : "", len);
	} else {
		okra__resp_error(req, out, 500, "cannot write the tree");
	}
	free(data);
	okra_tree_free(at);
}

/* ---- pages ------------------------------------------------------------- */

/* The attributes the dashboard offers: every metric's segments, then
 * cohort (as the metric explorer). */
static size_t attributes(const okra_workspace *ws, const char **out, size_t cap)
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
	bool cohort = false;
	for (size_t k = 0; k < n; k++)
		cohort = cohort || strcmp(out[k], "cohort") == 0;
	if (!cohort)
		out[n++] = "cohort";
	return n;
}

static void option(okra_buf *b, const char *value, const char *label,
                   const char *current)
{
	okra__buf_puts(b, "<option value=\"");
	okra__html_esc(b, value);
	okra__buf_printf(b, "\"%s>",
	                 current && strcmp(current, value) == 0 ? " selected"
	                                                        : "");
	okra__html_esc(b, label);
	okra__buf_puts(b, "</option>");
}

/* The pickers: a GET form, so they work without JavaScript. */
static void pickers(okra_buf *b, okra_req *req, okra_model *m,
                    const okra_attribution *at)
{
	const okra_workspace *ws = m->ws;
	const char *attrs[64];
	size_t n_attrs = attributes(ws, attrs, OKRA_ARRAY_LEN(attrs));
	char d1[11], d2[11];
	okra__format_date(at->from, d1);
	okra__format_date(at->to, d2);
	okra__buf_puts(b, "<form class=\"tree-pick\" method=\"get\" "
	                  "action=\"/trees/");
	okra__url_esc(b, at->tree->id);
	okra__buf_printf(b,
	                 "\"><label>From <input type=\"date\" name=\"from\" "
	                 "value=\"%s\" required></label><label>To <input "
	                 "type=\"date\" name=\"to\" value=\"%s\" required>"
	                 "</label><label>Segment <select name=\"where\">",
	                 d1, d2);
	const char *where = param(req, "where");
	option(b, "", "everyone", where ? NULL : "");
	for (size_t i = 0; i < n_attrs; i++) {
		const char **values = NULL;
		size_t n = 0;
		okra_err err = {0};
		if (okra__engine_attr_values(m->engine, attrs[i], &req->arena,
		                             &values, &n, &err) != OKRA_OK)
			continue;
		qsort(values, n, sizeof(*values), cmp_str);
		for (size_t k = 0; k < n; k++) {
			const char *v = okra__arena_printf(&req->arena, "%s=%s",
			                                   attrs[i], values[k]);
			if (v)
				option(b, v, v, where);
		}
	}
	okra__buf_puts(b, "</select></label><label>Split drivers by <select "
	                  "name=\"by\">");
	const char *by = param(req, "by");
	option(b, "", "none", by ? NULL : "");
	for (size_t i = 0; i < n_attrs; i++)
		option(b, attrs[i], attrs[i], by);
	okra__buf_puts(b, "</select></label> <button type=\"submit\">Show"
	                  "</button></form>\n");
}

static void tree_nav(okra_buf *b, const okra_workspace *ws,
                     const okra_tree *current)
{
	okra__buf_puts(b, "<div class=\"picker\" role=\"group\" "
	                  "aria-label=\"Trees\"><span>Trees</span>");
	for (size_t i = 0; i < ws->n_trees; i++) {
		okra__buf_puts(b, "<a href=\"/trees/");
		okra__url_esc(b, ws->trees[i].id);
		okra__buf_printf(
		    b, "\"%s>",
		    &ws->trees[i] == current ? " aria-current=\"true\"" : "");
		okra__html_esc(b, ws->trees[i].id);
		okra__buf_puts(b, "</a>");
	}
	okra__buf_puts(b, "</div>\n");
}

/* The drivers in words, and the reasons of what is not attributed. */
static void words(okra_buf *b, okra_req *req, const okra_attribution *at)
{
	const okra_workspace *ws = at->ws;
	size_t shown = 0;
	for (size_t k = 0; k < at->n_drivers && shown < 5; k++) {
		const okra_tree_driver *d = &at->drivers[k];
		if (d->contribution == 0)
			continue;
		okra__buf_puts(b, shown++ ? "<li>"
		                          : "<section><h2>Top drivers</h2>"
		                            "<div class=\"card\"><ol "
		                            "class=\"drivers\"><li>");
		const char *s = okra__tree_driver_sentence(at, d, &req->arena);
		okra__html_esc(b, s ? s : "");
		if (d->segments_note && at->by) {
			okra__buf_puts(b, " <span class=\"muted\">(");
			okra__html_esc(b, d->segments_note);
			okra__buf_puts(b, ")</span>");
		}
		okra__buf_puts(b, "</li>\n");
	}
	if (shown)
		okra__buf_puts(b, "</ol></div></section>\n");
	else if (at->n_nodes && at->nodes[0].attributed)
		okra__buf_printf(b, "<p class=\"meta\">%s</p>\n",
		                 at->nodes[0].split
		                     ? "Nothing moved between the two dates."
		                     : "The root did not change.");
	bool head = false;
	for (size_t i = 0; i < at->n_nodes; i++) {
		const okra_tree_node *nd = &at->nodes[i];
		if (!nd->own_reason)
			continue;
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = at->nodes[k].own_reason &&
			       strcmp(at->nodes[k].reason, nd->reason) == 0;
		if (seen)
			continue;
		okra__buf_puts(b, head ? "<li>"
		                       : "<section><h2>Not attributed</h2>"
		                         "<div class=\"card\"><ul><li>");
		head = true;
		okra__html_esc(b, nd->reason);
		okra__buf_puts(b, "</li>\n");
	}
	if (head)
		okra__buf_puts(b, "</ul></div></section>\n");
	(void)ws;
}

void okra__page_tree(okra_req *req, okra_model *m, const char *id,
                     okra_resp *out)
{
	const okra_workspace *ws = m->ws;
	if (!id) {
		okra_buf *b = &out->body;
		okra__resp_html(out, 200);
		okra__html_begin(b, req->srv, "KPI trees", "trees");
		okra__buf_puts(b,
		               "<div class=\"page-head\"><div><p "
		               "class=\"eyebrow\">KPI trees</p><h1>What moves "
		               "the numbers</h1></div></div>\n<div "
		               "class=\"card\">\n");
		if (!ws->n_trees)
			okra__buf_puts(b, "<p class=\"muted\">The workspace "
			                  "defines no tree (trees: in any "
			                  "workspace file).</p>\n");
		else
			okra__buf_puts(b, "<ul>");
		for (size_t i = 0; i < ws->n_trees; i++) {
			const okra_tree *t = &ws->trees[i];
			okra__buf_puts(b, "<li><a href=\"/trees/");
			okra__url_esc(b, t->id);
			okra__buf_puts(b, "\">");
			okra__html_esc(b, t->title ? t->title : t->id);
			okra__buf_puts(b, "</a> <span class=\"muted\"><code>");
			okra__html_esc(b, t->id);
			okra__buf_puts(b, "</code> · root <code>");
			okra__html_esc(b, t->root.id);
			okra__buf_puts(b, "</code></span></li>\n");
		}
		okra__buf_puts(b, ws->n_trees ? "</ul></div>\n" : "</div>\n");
		okra__html_end(b);
		return;
	}
	const okra_tree *t = find_tree(req, m, id, out);
	if (!t)
		return;
	okra_attribution *at = evaluate(req, m, id, out);
	if (!at)
		return;
	okra_buf *b = &out->body;
	okra__resp_html(out, 200);
	okra__html_begin(b, req->srv, t->title ? t->title : t->id, "trees");
	char d1[11], d2[11];
	okra__format_date(at->from, d1);
	okra__format_date(at->to, d2);
	okra__buf_puts(b, "<div class=\"page-head\"><div><p class=\"eyebrow\">"
	                  "KPI tree</p><h1>");
	okra__html_esc(b, t->title ? t->title : t->id);
	okra__buf_puts(b, "</h1>\n<p class=\"meta\"><code>");
	okra__html_esc(b, t->id);
	okra__buf_puts(b, "</code> · root <code>");
	okra__html_esc(b, ws->metrics[at->root].id);
	okra__buf_printf(b, "</code> · from %s to %s", d1, d2);
	const char *where = param(req, "where");
	if (where) {
		okra__buf_puts(b, " · only <code>");
		okra__html_esc(b, where);
		okra__buf_puts(b, "</code>");
	}
	okra__buf_puts(b, "</p></div></div>\n");
	tree_nav(b, ws, t);
	pickers(b, req, m, at);
	okra__buf_puts(b, "<div class=\"card\">\n");
	okra__tree_svg(b, at, d2);
	okra__buf_puts(b, "<p class=\"meta\">Each card: the value on both "
	                  "days, the change (green when it goes the metric's "
	                  "way), and the bar of its contribution to the "
	                  "root's change. Dashed: links of children:, shown "
	                  "but not attributed.</p></div>\n");
	words(b, req, at);
	okra__html_end(b);
	okra_tree_free(at);
}
