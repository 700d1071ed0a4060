/*
 * tree.c - writes a KPI tree's attribution: the tree drawn with
 * box-drawing characters (each node's values at both dates, its change
 * and its contribution to the root with a bar), the top drivers in one
 * sentence each and the reasons of what is not attributed; or the JSON
 * of docs/trees.md.  No computation: okr/tree.c did it.
 */
#include "okr/tree.h"
#include "render/format.h"

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

static size_t width_of(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
		n += (*p & 0xc0) != 0x80; /* UTF-8 characters */
	return n;
}

static void pad_to(okra_buf *b, const char *s, size_t width, bool right)
{
	size_t len = width_of(s);
	for (size_t i = len; right && i < width; i++)
		okra__buf_putc(b, ' ');
	okra__buf_puts(b, s ? s : "");
	for (size_t i = len; !right && i < width; i++)
		okra__buf_putc(b, ' ');
}

static void human(okra_buf *b, const okra_metric *m, double v)
{
	okra__human(b, m, okra__metric_is_count(m) && v == floor(v), v);
}

/* A change with its sign, in m's unit ("+12,300.00", "-3.2 pts"). */
static void signed_human(okra_buf *b, const okra_metric *m, double v)
{
	if (isnan(v)) {
		okra__buf_puts(b, "-");
		return;
	}
	if (m->unit == OKRA_UNIT_PERCENT) {
		okra__buf_printf(b, "%+.1f pts", v * 100);
		return;
	}
	if (v != 0)
		okra__buf_putc(b, v < 0 ? '-' : '+');
	human(b, m, fabs(v));
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
		signed_human(&c[COL_CHANGE], m, nd->change);
		if (nd->attributed)
			signed_human(&c[COL_CONTRIB], root, nd->contribution);
		else
			okra__buf_puts(&c[COL_CONTRIB], "-");
		for (int k = 0; k < N_COLS; k++) {
			cells[i * N_COLS + k] = c[k].data;
			if (width_of(c[k].data) > width[k])
				width[k] = width_of(c[k].data);
		}
		if (nd->attributed && fabs(nd->contribution) > max)
			max = fabs(nd->contribution);
		any_link = any_link || nd->is_link;
	}
	pad_to(b, "metric", width[COL_NAME], false);
	okra__buf_puts(b, "  ");
	pad_to(b, d1, width[COL_FROM], true);
	okra__buf_puts(b, "  ");
	pad_to(b, d2, width[COL_TO], true);
	okra__buf_puts(b, "  ");
	pad_to(b, "change", width[COL_CHANGE], true);
	okra__buf_puts(b, "  ");
	pad_to(b, "contribution", width[COL_CONTRIB], true);
	okra__buf_puts(b, "\n");
	double total = n ? at->nodes[0].change : NAN;
	for (size_t i = 0; i < n; i++) {
		const okra_tree_node *nd = &at->nodes[i];
		const okra_metric *m = &ws->metrics[nd->metric];
		char **row = &cells[i * N_COLS];
		const char *dim = nd->attributed ? "" : st.dim;
		okra__buf_puts(b, dim);
		pad_to(b, row[COL_NAME], width[COL_NAME], false);
		okra__buf_puts(b, "  ");
		pad_to(b, row[COL_FROM], width[COL_FROM], true);
		okra__buf_puts(b, "  ");
		pad_to(b, row[COL_TO], width[COL_TO], true);
		okra__buf_printf(b, "  %s", tone(&st, m, nd->change));
		pad_to(b, row[COL_CHANGE], width[COL_CHANGE], true);
		okra__buf_printf(b, "%s%s  %s",
		                 *tone(&st, m, nd->change) ? st.off : "", dim,
		                 tone(&st, root, nd->contribution));
		pad_to(b, row[COL_CONTRIB], width[COL_CONTRIB], true);
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
	if (!shown && n && at->nodes[0].attributed && at->nodes[0].split)
		okra__buf_printf(
		    b, "\n%s did not change, and no input moved.\n", root->id);
	else if (!shown && n && at->nodes[0].attributed && !at->nodes[0].reason)
		okra__buf_printf(b,
		                 "\n%s is not a formula: its links are shown, "
		                 "not attributed.\n",
		                 root->id);

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

okra_rc okra_tree_write(const okra_attribution *at, okra_format format,
                        bool color, FILE *out, okra_err *err)
{
	okra_buf b = {0};
	if (format == OKRA_FORMAT_JSON)
		json_tree(at, &b);
	else
		text_tree(at, color, &b);
	okra_rc rc = OKRA_OK;
	if (b.failed)
		rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                   "out of memory");
	else if (b.len && fwrite(b.data, 1, b.len, out) != b.len)
		rc = okra__err_set(err, OKRA_ERR_IO, NULL, 0, 0,
		                   "cannot write output");
	okra__buf_free(&b);
	return rc;
}
