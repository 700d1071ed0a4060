/*
 * tree.c - writes a KPI tree's attribution: the tree drawn with
 * box-drawing characters (each node's values at both dates, its change
 * and its contribution to the root with a bar), the top drivers in one
 * sentence each and the reasons of what is not attributed; or the JSON
 * of docs/trees.md; or, for the dashboard, the tree as SVG cards.  No
 * computation: okr/tree.c did it.
 */
#include "okr/tree.h"
#include "base/html.h"
#include "model/format.h"
#include "render/html.h"
#include "render/svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BAR_CELLS   12 /* the longest contribution bar */
#define TOP_DRIVERS 5  /* sentences under the tree */

/* ---- text -------------------------------------------------------------- */

/* ANSI styles, empty without colour. */
typedef struct style {
	const char *good, *bad, *dim, *bold, *off;
} style;

static void human(okra_buf *b, const okra_metric *m, double v)
{
	okra__human(b, m, okra__metric_is_count(m) && v == floor(v), v);
}

/* The branch drawn before node i: "│  " for each open ancestor level,
 * then "├─ " or "└─ " ("├┄ " for a children: link). */
static void branch(const okra_attribution *at, size_t i, okra_buf *b)
{
	const okra_tree_node *nodes = at->nodes;
	int depth = nodes[i].depth;
	if (depth == 0)
		return;
	/* Is there a later sibling of the ancestor at each level? */
	int anc[OKRA_MAX_TREE_NODES + 1];
	int p = (int)i;
	for (int d = depth; d >= 1; d--) {
		anc[d] = p;
		p = nodes[p].parent;
	}
	for (int d = 1; d <= depth; d++) {
		int self = anc[d];
		bool more = false;
		for (size_t k = (size_t)self + 1; k < at->n_nodes && !more;
		     k++) {
			if (nodes[k].depth < d)
				break;
			more = nodes[k].depth == d &&
			       nodes[k].parent == nodes[self].parent;
		}
		if (d < depth)
			okra__buf_puts(b, more ? "│  " : "   ");
		else
			okra__buf_puts(
			    b, more ? (nodes[i].is_link ? "├┄ " : "├─ ")
			            : (nodes[i].is_link ? "└┄ " : "└─ "));
	}
}

/* A bar of |v| / max over BAR_CELLS cells, in eighths. */
static void bar(okra_buf *b, double v, double max)
{
	static const char *const eighths[] = {"",  "▏", "▎", "▍", "▌",
	                                      "▋", "▊", "▉", "█"};
	int units = isnan(v) || !(max > 0)
	                ? 0
	                : (int)lround(fabs(v) / max * BAR_CELLS * 8);
	if (units == 0 && !isnan(v) && v != 0)
		units = 1; /* a contribution never looks like none */
	int cells = 0;
	for (; units >= 8; units -= 8, cells++)
		okra__buf_puts(b, "█");
	if (units) {
		okra__buf_puts(b, eighths[units]);
		cells++;
	}
	for (; cells < BAR_CELLS; cells++)
		okra__buf_putc(b, ' ');
}

/* Does a change of v in metric m go its way (good), against it (bad)? */
static const char *tone(const style *st, const okra_metric *m, double v)
{
	if (isnan(v) || v == 0)
		return "";
	bool up = m->direction == OKRA_DIR_UP;
	return (v > 0) == up ? st->good : st->bad;
}

enum { COL_NAME, COL_FROM, COL_TO, COL_CHANGE, COL_CONTRIB, N_COLS };

static void text_tree(const okra_attribution *at, bool color, okra_buf *b)
{
	const okra_workspace *ws = at->ws;
	const okra_metric *root = &ws->metrics[at->root];
	style st = color ? (style){"\033[32m", "\033[31m", "\033[2m", "\033[1m",
	                           "\033[0m"}
	                 : (style){"", "", "", "", ""};
	char d1[11], d2[11];
	okra__format_date(at->from, d1);
	okra__format_date(at->to, d2);
	okra__buf_printf(b, "%s%s%s", st.bold, at->tree->id, st.off);
	if (at->tree->title)
		okra__buf_printf(b, ": %s", at->tree->title);
	okra__buf_printf(b, "\n%s from %s to %s", root->id, d1, d2);
	for (size_t i = 0; i < at->n_where; i++) {
		const okra_where *w = &at->where[i];
		okra__buf_printf(b, "%s%s=", i ? ", " : ", where ", w->key);
		for (size_t k = 0; k < w->n_values; k++)
			okra__buf_printf(b, "%s%s", k ? " or " : "",
			                 w->values[k].text);
	}
	okra__buf_puts(b, "\n\n");

	/* Every cell first, to size the columns. */
	size_t n = at->n_nodes;
	char **cells = calloc(n * N_COLS + 1, sizeof(*cells));
	if (!cells) {
		b->failed = true;
		return;
	}
	size_t width[N_COLS] = {6, 10, 10, 6, 12};
	double max = 0;
	bool any_link = false;
	for (size_t i = 0; i < n; i++) {
		const okra_tree_node *nd = &at->nodes[i];
		const okra_metric *m = &ws->metrics[nd->metric];
		okra_buf c[N_COLS] = {{0}};
		branch(at, i, &c[COL_NAME]);
		okra__buf_puts(&c[COL_NAME], m->id);
		human(&c[COL_FROM], m, nd->from);
		human(&c[COL_TO], m, nd->to);
		okra__tree_signed(&c[COL_CHANGE], m, nd->change);
		if (nd->attributed)
			okra__tree_signed(&c[COL_CONTRIB], root,
			                  nd->contribution);
		else
			okra__buf_puts(&c[COL_CONTRIB], "-");
		for (int k = 0; k < N_COLS; k++) {
			cells[i * N_COLS + k] = c[k].data;
			if (okra__text_width(c[k].data) > width[k])
				width[k] = okra__text_width(c[k].data);
		}
		if (nd->attributed && fabs(nd->contribution) > max)
			max = fabs(nd->contribution);
		any_link = any_link || nd->is_link;
	}
	okra__buf_pad(b, "metric", width[COL_NAME], false);
	okra__buf_puts(b, "  ");
	okra__buf_pad(b, d1, width[COL_FROM], true);
	okra__buf_puts(b, "  ");
	okra__buf_pad(b, d2, width[COL_TO], true);
	okra__buf_puts(b, "  ");
	okra__buf_pad(b, "change", width[COL_CHANGE], true);
	okra__buf_puts(b, "  ");
	okra__buf_pad(b, "contribution", width[COL_CONTRIB], true);
	okra__buf_puts(b, "\n");
	double total = n ? at->nodes[0].change : NAN;
	for (size_t i = 0; i < n; i++) {
		const okra_tree_node *nd = &at->nodes[i];
		const okra_metric *m = &ws->metrics[nd->metric];
		char **row = &cells[i * N_COLS];
		const char *dim = nd->attributed ? "" : st.dim;
		okra__buf_puts(b, dim);
		okra__buf_pad(b, row[COL_NAME], width[COL_NAME], false);
		okra__buf_puts(b, "  ");
		okra__buf_pad(b, row[COL_FROM], width[COL_FROM], true);
		okra__buf_puts(b, "  ");
		okra__buf_pad(b, row[COL_TO], width[COL_TO], true);
		okra__buf_printf(b, "  %s", tone(&st, m, nd->change));
		okra__buf_pad(b, row[COL_CHANGE], width[COL_CHANGE], true);
		okra__buf_printf(b, "%s%s  %s",
		                 *tone(&st, m, nd->change) ? st.off : "", dim,
		                 tone(&st, root, nd->contribution));
		okra__buf_pad(b, row[COL_CONTRIB], width[COL_CONTRIB], true);
		if (nd->attributed) {
			okra__buf_puts(b, "  ");
			bar(b, nd->contribution, max);
			if (total != 0 && !isnan(total))
				okra__buf_printf(
				    b, " %4.0f%%",
				    /* + 0.0: no "-0%" */
				    round(nd->contribution / total * 100) +
				        0.0);
		}
		okra__buf_printf(b, "%s\n", color ? st.off : "");
	}
	for (size_t i = 0; i < n * N_COLS; i++)
		free(cells[i]);
	free(cells);
	if (any_link)
		okra__buf_printf(b,
		                 "%s┄ a children: link: shown with its values, "
		                 "not attributed%s\n",
		                 st.dim, st.off);

	/* The drivers in words. */
	okra_arena a = {0};
	size_t shown = 0;
	for (size_t k = 0; k < at->n_drivers && shown < TOP_DRIVERS; k++) {
		const okra_tree_driver *d = &at->drivers[k];
		if (d->contribution == 0)
			continue;
		okra__buf_puts(b, shown++ ? "  " : "\nTop drivers\n  ");
		const char *s = okra__tree_driver_sentence(at, d, &a);
		okra__buf_printf(b, "%s\n", s ? s : "");
	}
	if (!shown && n && at->nodes[0].attributed)
		okra__buf_printf(b, "\n%s did not change%s.\n", root->id,
		                 at->nodes[0].split ? ", and no input moved"
		                                    : "");

	/* Why some nodes are not attributed: each reason once. */
	bool head = false;
	for (size_t i = 0; i < n; i++) {
		const okra_tree_node *nd = &at->nodes[i];
		if (!nd->own_reason)
			continue;
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = at->nodes[k].own_reason &&
			       strcmp(at->nodes[k].reason, nd->reason) == 0;
		if (seen)
			continue;
		okra__buf_puts(b, head ? "  " : "\nNot attributed\n  ");
		head = true;
		okra__buf_printf(b, "%s\n", nd->reason);
	}
	if (at->by)
		for (size_t k = 0; k < at->n_drivers && k < TOP_DRIVERS; k++)
			if (at->drivers[k].segments_note &&
			    at->drivers[k].contribution != 0)
				okra__buf_printf(b, "%s  (%s)\n", k ? "" : "\n",
				                 at->drivers[k].segments_note);
	okra__arena_free(&a);
}

/* ---- JSON -------------------------------------------------------------- */

static void json_num(okra_buf *b, double v)
{
	okra__json_number(b, false, v);
}

static void json_path(okra_buf *b, const okra_attribution *at, size_t i)
{
	int chain[OKRA_MAX_TREE_NODES + 1], n = 0;
	for (int p = (int)i; p >= 0; p = at->nodes[p].parent)
		chain[n++] = p;
	okra__buf_putc(b, '[');
	for (int k = n - 1; k >= 0; k--) {
		okra__buf_puts(b, k == n - 1 ? "" : ",");
		okra__buf_json_str(
		    b, at->ws->metrics[at->nodes[chain[k]].metric].id);
	}
	okra__buf_putc(b, ']');
}

static void json_tree(const okra_attribution *at, okra_buf *b)
{
	const okra_workspace *ws = at->ws;
	char d1[11], d2[11];
	okra__format_date(at->from, d1);
	okra__format_date(at->to, d2);
	okra__buf_puts(b, "{\"tree\":");
	okra__buf_json_str(b, at->tree->id);
	okra__buf_puts(b, ",\"title\":");
	if (at->tree->title)
		okra__buf_json_str(b, at->tree->title);
	else
		okra__buf_puts(b, "null");
	okra__buf_puts(b, ",\"root\":");
	okra__buf_json_str(b, ws->metrics[at->root].id);
	okra__buf_printf(b, ",\"from\":\"%s\",\"to\":\"%s\",\"where\":", d1,
	                 d2);
	if (!at->n_where)
		okra__buf_puts(b, "null");
	for (size_t i = 0; i < at->n_where; i++) {
		const okra_where *w = &at->where[i];
		okra__buf_puts(b, i ? "," : "{");
		okra__buf_json_str(b, w->key);
		okra__buf_putc(b, ':');
		if (w->n_values == 1)
			okra__buf_json_str(b, w->values[0].text);
		for (size_t k = 0; w->n_values > 1 && k < w->n_values; k++) {
			okra__buf_puts(b, k ? "," : "[");
			okra__buf_json_str(b, w->values[k].text);
		}
		okra__buf_puts(b, w->n_values > 1 ? "]" : "");
	}
	okra__buf_puts(b, at->n_where ? "}" : "");
	okra__buf_puts(b, ",\"by\":");
	if (at->by)
		okra__buf_json_str(b, at->by);
	else
		okra__buf_puts(b, "null");
	okra__buf_puts(b, ",\"nodes\":[");
	for (size_t i = 0; i < at->n_nodes; i++) {
		const okra_tree_node *nd = &at->nodes[i];
		okra__buf_puts(b, i ? ",\n {\"metric\":" : "\n {\"metric\":");
		okra__buf_json_str(b, ws->metrics[nd->metric].id);
		okra__buf_puts(b, ",\"path\":");
		json_path(b, at, i);
		okra__buf_puts(b, ",\"link\":");
		okra__buf_puts(b, nd->is_link ? "true" : "false");
		okra__buf_puts(b, ",\"from\":");
		json_num(b, nd->from);
		okra__buf_puts(b, ",\"to\":");
		json_num(b, nd->to);
		okra__buf_puts(b, ",\"change\":");
		json_num(b, nd->change);
		okra__buf_puts(b, ",\"contribution\":");
		json_num(b, nd->attributed ? nd->contribution : NAN);
		okra__buf_printf(b, ",\"attributed\":%s,\"reason\":",
		                 nd->attributed ? "true" : "false");
		if (nd->reason)
			okra__buf_json_str(b, nd->reason);
		else
			okra__buf_puts(b, "null");
		okra__buf_putc(b, '}');
	}
	okra__buf_puts(b, "\n],\"drivers\":[");
	for (size_t k = 0; k < at->n_drivers; k++) {
		const okra_tree_driver *d = &at->drivers[k];
		okra__buf_puts(b, k ? ",\n {\"metric\":" : "\n {\"metric\":");
		okra__buf_json_str(b, ws->metrics[d->metric].id);
		okra__buf_puts(b, ",\"contribution\":");
		json_num(b, d->contribution);
		okra__buf_puts(b, ",\"share\":");
		json_num(b, d->share);
		okra__buf_printf(b, ",\"paths\":%zu,\"segments\":[",
		                 d->n_paths);
		for (size_t s = 0; s < d->n_segments; s++) {
			const okra_tree_segment *g = &d->segments[s];
			okra__buf_puts(b, s ? ",{\"attr\":" : "{\"attr\":");
			okra__buf_json_str(b, g->attr);
			okra__buf_puts(b, ",\"value\":");
			okra__buf_json_str(b, g->value);
			okra__buf_puts(b, ",\"from\":");
			json_num(b, g->from);
			okra__buf_puts(b, ",\"to\":");
			json_num(b, g->to);
			okra__buf_puts(b, ",\"change\":");
			json_num(b, g->change);
			okra__buf_puts(b, ",\"contribution\":");
			json_num(b, g->contribution);
			if (!isnan(g->n_from) || !isnan(g->n_to)) {
				okra__buf_puts(b, ",\"n_from\":");
				okra__json_number(b, true, g->n_from);
				okra__buf_puts(b, ",\"n_to\":");
				okra__json_number(b, true, g->n_to);
			}
			okra__buf_putc(b, '}');
		}
		okra__buf_puts(b, "],\"note\":");
		if (d->segments_note)
			okra__buf_json_str(b, d->segments_note);
		else
			okra__buf_puts(b, "null");
		okra__buf_putc(b, '}');
	}
	okra__buf_puts(b, at->n_drivers ? "\n]}\n" : "]}\n");
}

/* ---- SVG ---------------------------------------------------------------- */

enum {
	PAD = 8,      /* around the drawing */
	CARD_W = 300, /* a node's card */
	CARD_H = 58,
	ROW = 70,    /* from one card's top to the next's */
	INDENT = 28, /* per level */
	BAR_X = 12,  /* the contribution bar inside a card */
	BAR_W = 110,
	NAME_MAX = 40 /* characters of an id before it is cut with ... */
};

static void num(okra_buf *b, int v)
{
	okra__buf_printf(b, "%d", v);
}

/* Text in m's unit (a change with its sign), escaped; "-" for null. */
static void svg_value(okra_buf *b, const okra_metric *m, double v, bool sign)
{
	okra_buf t = {0};
	if (sign)
		okra__tree_signed(&t, m, v);
	else
		human(&t, m, v);
	okra__buf_html(b, t.data ? t.data : "");
	okra__buf_free(&t);
}

void okra__tree_svg(okra_buf *b, const okra_attribution *at,
                    const char *asof_key)
{
	const okra_workspace *ws = at->ws;
	const okra_metric *root = &ws->metrics[at->root];
	size_t n = at->n_nodes;
	int depth = 0;
	double max = 0;
	for (size_t i = 0; i < n; i++) {
		if (at->nodes[i].depth > depth)
			depth = at->nodes[i].depth;
		if (at->nodes[i].attributed &&
		    fabs(at->nodes[i].contribution) > max)
			max = fabs(at->nodes[i].contribution);
	}
	int w = 2 * PAD + depth * INDENT + CARD_W;
	int h = 2 * PAD + (int)n * ROW - (ROW - CARD_H);
	double total = n ? at->nodes[0].change : NAN;
	okra__buf_puts(b, "<div class=\"tree-wrap\"><svg class=\"okra-tree\" "
	                  "xmlns=\"http://www.w3.org/2000/svg\" width=\"");
	num(b, w);
	okra__buf_puts(b, "\" height=\"");
	num(b, h);
	okra__buf_puts(b, "\" viewBox=\"0 0 ");
	num(b, w);
	okra__buf_putc(b, ' ');
	num(b, h);
	okra__buf_puts(b, "\" aria-label=\"");
	okra__buf_html(b, at->tree->title ? at->tree->title : at->tree->id);
	okra__buf_puts(b, "\">\n");
	/* Edges first, under the cards: down from the parent's left, then
	 * across to the child; links dashed. */
	for (size_t i = 1; i < n; i++) {
		const okra_tree_node *nd = &at->nodes[i];
		int px = PAD + at->nodes[nd->parent].depth * INDENT + 14;
		int py = PAD + nd->parent * ROW + CARD_H;
		int cx = PAD + nd->depth * INDENT;
		int cy = PAD + (int)i * ROW + CARD_H / 2;
		okra__buf_printf(b,
		                 "<path class=\"te%s\" d=\"M%d %dV%dH%d\"/>\n",
		                 nd->is_link ? " tl" : "", px, py, cy, cx);
	}
	for (size_t i = 0; i < n; i++) {
		const okra_tree_node *nd = &at->nodes[i];
		const okra_metric *m = &ws->metrics[nd->metric];
		int x = PAD + nd->depth * INDENT, y = PAD + (int)i * ROW;
		okra__buf_puts(b, "<a href=\"/metrics/");
		okra__html_url(b, m->id);
		if (asof_key) {
			okra__buf_puts(b, "?to=");
			okra__html_url(b, asof_key);
		}
		okra__buf_puts(b, "\"><title>");
		okra__buf_html(b, m->title ? m->title : m->id);
		if (nd->reason) {
			okra__buf_puts(b, ": ");
			okra__buf_html(b, nd->reason);
		}
		okra__buf_printf(
		    b,
		    "</title><rect class=\"tc%s\" x=\"%d\" y=\"%d\" "
		    "width=\"%d\" height=\"%d\" rx=\"6\"/>",
		    nd->attributed ? "" : " na", x, y, CARD_W, CARD_H);
		/* The id, cut when long (ids are ASCII). */
		okra__buf_printf(b, "<text class=\"tn\" x=\"%d\" y=\"%d\">",
		                 x + 12, y + 18);
		size_t len = strlen(m->id);
		if (len > NAME_MAX) {
			char cut[NAME_MAX + 1];
			memcpy(cut, m->id, NAME_MAX - 1);
			cut[NAME_MAX - 1] = '\0';
			okra__buf_html(b, cut);
			okra__buf_puts(b, "\xe2\x80\xa6");
		} else {
			okra__buf_html(b, m->id);
		}
		okra__buf_puts(b, "</text>");
		/* from -> to, then the change coloured by the direction: the
		 * numbers on the left, where a phone shows them first. */
		okra__buf_printf(b, "<text class=\"tm\" x=\"%d\" y=\"%d\">",
		                 x + 12, y + 35);
		svg_value(b, m, nd->from, false);
		okra__buf_puts(b, " \xe2\x86\x92 ");
		svg_value(b, m, nd->to, false);
		const char *tone =
		    isnan(nd->change) || nd->change == 0 ? ""
		    : (nd->change > 0) == (m->direction == OKRA_DIR_UP)
		        ? " class=\"tg\""
		        : " class=\"tb\"";
		okra__buf_printf(b, "  <tspan%s>", tone);
		svg_value(b, m, nd->change, true);
		okra__buf_puts(b, "</tspan></text>");
		/* The contribution to the root: a bar and its number. */
		if (nd->attributed) {
			int bw = max > 0 ? (int)lround(fabs(nd->contribution) /
			                               max * BAR_W)
			                 : 0;
			if (bw == 0 && nd->contribution != 0)
				bw = 1;
			bool good = (nd->contribution >= 0) ==
			            (root->direction == OKRA_DIR_UP);
			okra__buf_printf(b,
			                 "<rect class=\"bg\" x=\"%d\" y=\"%d\" "
			                 "width=\"%d\" height=\"6\" rx=\"3\"/>",
			                 x + BAR_X, y + 44, BAR_W);
			okra__buf_printf(b,
			                 "<rect class=\"%s\" x=\"%d\" y=\"%d\" "
			                 "width=\"%d\" height=\"6\" rx=\"3\"/>",
			                 good ? "bp" : "bn", x + BAR_X, y + 44,
			                 bw);
			okra__buf_printf(
			    b, "<text class=\"tv\" x=\"%d\" y=\"%d\">",
			    x + BAR_X + BAR_W + 8, y + 51);
			svg_value(b, root, nd->contribution, true);
			if (total != 0 && !isnan(total))
				okra__buf_printf(
				    b, " (%.0f%%)",
				    round(nd->contribution / total * 100) +
				        0.0);
			okra__buf_puts(b, "</text>");
		} else {
			okra__buf_printf(
			    b,
			    "<text class=\"tm\" x=\"%d\" y=\"%d\">%s"
			    "</text>",
			    x + 12, y + 51,
			    nd->is_link ? "linked: not attributed"
			                : "not attributed");
		}
		okra__buf_puts(b, "</a>\n");
	}
	okra__buf_puts(b, "</svg></div>\n");
}

okra_rc okra_tree_write(const okra_attribution *at, okra_format format,
                        bool color, FILE *out, okra_err *err)
{
	okra_buf b = {0};
	if (format == OKRA_FORMAT_JSON)
		json_tree(at, &b);
	else
		text_tree(at, color, &b);
	return okra__buf_write(&b, out, err);
}
