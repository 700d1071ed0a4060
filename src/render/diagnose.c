/*
 * diagnose.c - writes a diagnosis (okr/diagnose.h): the candidates as an
 * aligned table with the bottleneck sentence, the JSON of SPEC 12, and
 * the dashboard's component (the candidates as bars, gap and lift side
 * by side, the lift's interval drawn as a whisker).  No computation:
 * okr/diagnose.c did it.
 */
#include "okr/diagnose.h"
#include "base/html.h"
#include "okr/tree.h"
#include "model/format.h"
#include "render/html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DASH "\xe2\x80\x93"

/* ---- text -------------------------------------------------------------- */

/* The cells of one row, as text. */
enum {
	C_ID,
	C_VALUE,
	C_BENCH,
	C_GAP,
	C_TREND,
	C_LIFT,
	C_MET,
	C_NOT,
	C_SCORE,
	N_COLS
};

static const char *const heads[N_COLS] = {
    "candidate", "value",      "benchmark",      "gap",  "trend/week",
    "lift",      "active/met", "active/not met", "score"};
static const bool right[N_COLS] = {false, true, true, true, true,
                                   true,  true, true, true};

static void human(okra_buf *b, const okra_metric *m, double v)
{
	okra__human(b, m, okra__metric_is_count(m) && v == floor(v), v);
}

static void cells(const okra_diagnosis *d, const okra_diag_candidate *c,
                  okra_buf cell[N_COLS])
{
	const okra_metric *m = &d->ws->metrics[c->metric];
	okra__buf_puts(&cell[C_ID], c->id);
	human(&cell[C_VALUE], m, c->value);
	human(&cell[C_BENCH], m, c->benchmark);
	if (isnan(c->gap))
		okra__buf_puts(&cell[C_GAP], "-");
	else
		okra__buf_printf(&cell[C_GAP], "%.0f%%",
		                 round(c->gap * 100) + 0.0);
	okra__tree_signed(&cell[C_TREND], m, c->trend);
	if (isnan(c->lift))
		okra__buf_puts(&cell[C_LIFT], "-");
	else
		okra__buf_printf(&cell[C_LIFT], "%.2f× (%.2f..%.2f)", c->lift,
		                 c->lift_low, c->lift_high);
	if (isnan(c->met)) {
		okra__buf_puts(&cell[C_MET], "-");
		okra__buf_puts(&cell[C_NOT], "-");
	} else {
		okra__buf_printf(&cell[C_MET], "%.0f/%.0f", c->met_active,
		                 c->met);
		okra__buf_printf(&cell[C_NOT], "%.0f/%.0f", c->not_met_active,
		                 c->not_met);
	}
	okra__buf_printf(&cell[C_SCORE], "%.2f", c->score);
}

static void text(const okra_diagnosis *d, bool color, okra_buf *b)
{
	const okra_workspace *ws = d->ws;
	const char *bold = color ? "\x1b[1m" : "",
	           *off = color ? "\x1b[0m" : "";
	char day[11];
	okra__format_date(d->asof, day);
	if (d->north_star >= 0) {
		const okra_metric *ns = &ws->metrics[d->north_star];
		okra_buf v = {0};
		human(&v, ns, d->ns_value);
		okra__buf_printf(b,
		                 "%sWhat holds %s back? (as of %s: %s)%s\n\n",
		                 bold, ns->id, day, v.data ? v.data : "-", off);
		okra__buf_free(&v);
	} else {
		okra__buf_printf(b, "%sDiagnose as of %s%s\n\n", bold, day,
		                 off);
	}
	if (d->data_last < d->asof) {
		char last[11];
		okra__format_date(d->data_last, last);
		okra__buf_printf(
		    b,
		    "The data end on %s: values as of %s read days "
		    "without data.\n\n",
		    d->data_last >= 0 ? last : "(no data)", day);
	}
	if (!d->n_candidates) {
		okra__buf_puts(
		    b, "No candidates: name the north star's inputs in "
		       "okra.yaml (north_star: inputs:) or give level 3 or 4 "
		       "metrics a benchmark.\n");
		return;
	}
	size_t n = d->n_candidates;
	okra_buf(*rows)[N_COLS] = calloc(n, sizeof(*rows));
	if (!rows) {
		b->failed = true;
		return;
	}
	size_t w[N_COLS];
	for (int k = 0; k < N_COLS; k++)
		w[k] = okra__text_width(heads[k]);
	for (size_t i = 0; i < n; i++) {
		cells(d, &d->candidates[i], rows[i]);
		for (int k = 0; k < N_COLS; k++)
			if (okra__text_width(rows[i][k].data) > w[k])
				w[k] = okra__text_width(rows[i][k].data);
	}
	okra__buf_puts(b, "  ");
	for (int k = 0; k < N_COLS; k++) {
		okra__buf_pad(b, heads[k], w[k], right[k]);
		okra__buf_puts(b, k + 1 < N_COLS ? "  " : "\n");
	}
	for (size_t i = 0; i < n; i++) {
		bool top = (int)i == d->bottleneck;
		okra__buf_printf(b, "%s%s", top ? "▸ " : "  ", top ? bold : "");
		for (int k = 0; k < N_COLS; k++) {
			okra__buf_pad(b, rows[i][k].data, w[k], right[k]);
			if (k + 1 < N_COLS)
				okra__buf_puts(b, "  ");
			okra__buf_free(&rows[i][k]);
		}
		okra__buf_printf(b, "%s\n", top ? off : "");
	}
	free(rows);
	if (d->north_star >= 0)
		okra__buf_printf(
		    b,
		    "\n  gap: short of the benchmark; lift: how much "
		    "likelier the entities that met it are to count "
		    "in %s (95%% interval); active/met: of those "
		    "that met it, how many count in it.\n",
		    ws->metrics[d->north_star].id);
	/* Why some candidates have no lift. */
	bool by_type = false;
	for (size_t i = 0; i < n; i++) {
		const okra_diag_candidate *c = &d->candidates[i];
		const okra_metric *m = &ws->metrics[c->metric];
		if (!c->why_no_lift)
			continue;
		if (m->type != OKRA_METRIC_CONVERSION &&
		    m->type != OKRA_METRIC_THRESHOLD) {
			by_type = true;
			continue;
		}
		if (c->why_no_lift != d->note)
			okra__buf_printf(b, "  %s: no lift: %s.\n", c->id,
			                 c->why_no_lift);
	}
	if (by_type)
		okra__buf_puts(b, "  Lift is measured for conversion and "
		                  "threshold metrics; the others have none.\n");
	if (d->note)
		okra__buf_printf(b, "  No lift: %s.\n", d->note);
	okra__buf_putc(b, '\n');
	if (d->sentence)
		okra__buf_printf(b, "%sBottleneck:%s %s\n", bold, off,
		                 d->sentence);
	else
		okra__buf_printf(b,
		                 "No bottleneck: no candidate is both short of "
		                 "its benchmark and measured to go with %s "
		                 "(a lift above 1).\n",
		                 d->north_star >= 0
		                     ? ws->metrics[d->north_star].id
		                     : "a north star");
}

/* ---- JSON -------------------------------------------------------------- */

static void key_num(okra_buf *b, const char *key, bool is_count, double v)
{
	okra__buf_printf(b, ", \"%s\": ", key);
	okra__json_number(b, is_count, v);
}

static void json(const okra_diagnosis *d, okra_buf *b)
{
	const okra_workspace *ws = d->ws;
	char day[11];
	okra__format_date(d->asof, day);
	okra__buf_printf(b, "{\"asof\": \"%s\", \"north_star\": ", day);
	if (d->north_star >= 0) {
		const okra_metric *ns = &ws->metrics[d->north_star];
		okra__buf_json_str(b, ns->id);
		key_num(b, "north_star_value",
		        okra__metric_is_count(ns) &&
		            d->ns_value == floor(d->ns_value),
		        d->ns_value);
	} else {
		okra__buf_puts(b, "null, \"north_star_value\": null");
	}
	okra__buf_puts(b, ", \"data_last\": ");
	if (d->data_last >= 0) {
		char last[11];
		okra__format_date(d->data_last, last);
		okra__buf_printf(b, "\"%s\"", last);
	} else {
		okra__buf_puts(b, "null");
	}
	okra__buf_puts(b, ", \"candidates\": [");
	for (size_t i = 0; i < d->n_candidates; i++) {
		const okra_diag_candidate *c = &d->candidates[i];
		const okra_metric *m = &ws->metrics[c->metric];
		bool count = okra__metric_is_count(m);
		okra__buf_printf(b, "%s\n  {\"metric\": ", i ? "," : "");
		okra__buf_json_str(b, c->id);
		key_num(b, "value", count && c->value == floor(c->value),
		        c->value);
		key_num(b, "benchmark", false, c->benchmark);
		key_num(b, "gap", false, c->gap);
		key_num(b, "trend_per_week", false, c->trend);
		key_num(b, "lift", false, c->lift);
		key_num(b, "lift_low", false, c->lift_low);
		key_num(b, "lift_high", false, c->lift_high);
		key_num(b, "met", true, c->met);
		key_num(b, "met_active", true, c->met_active);
		key_num(b, "not_met", true, c->not_met);
		key_num(b, "not_met_active", true, c->not_met_active);
		key_num(b, "score", false, c->score);
		okra__buf_puts(b, ", \"why_no_lift\": ");
		if (c->why_no_lift)
			okra__buf_json_str(b, c->why_no_lift);
		else
			okra__buf_puts(b, "null");
		okra__buf_putc(b, '}');
	}
	okra__buf_puts(b, d->n_candidates ? "\n], " : "], ");
	okra__buf_puts(b, "\"bottleneck\": ");
	if (d->bottleneck >= 0)
		okra__buf_json_str(b, d->candidates[d->bottleneck].id);
	else
		okra__buf_puts(b, "null");
	okra__buf_puts(b, ", \"sentence\": ");
	if (d->sentence)
		okra__buf_json_str(b, d->sentence);
	else
		okra__buf_puts(b, "null");
	okra__buf_puts(b, ", \"note\": ");
	if (d->note)
		okra__buf_json_str(b, d->note);
	else
		okra__buf_puts(b, "null");
	okra__buf_puts(b, "}\n");
}

okra_rc okra_diagnose_write(const okra_diagnosis *d, okra_format format,
                            bool color, FILE *out, okra_err *err)
{
	okra_buf b = {0};
	if (format == OKRA_FORMAT_JSON)
		json(d, &b);
	else
		text(d, color, &b);
	return okra__buf_write(&b, out, err);
}

/* ---- HTML: the dashboard's page ---------------------------------------- */

static void esc(okra_buf *b, const char *s)
{
	okra__buf_html(b, s);
}

/* Per candidate two bars side by side: its gap to the benchmark (0 to
 * the largest gap) and its lift (0 to 1.5 times the largest lift, at
 * least 2x; a rule at 1x), the lift's 95% interval as a whisker, cut at
 * the edge with an arrow when it reaches past it. */
static void bars(okra_buf *b, const okra_diagnosis *d)
{
	double gap_top = 0.05, lift_top = 2;
	for (size_t i = 0; i < d->n_candidates; i++) {
		const okra_diag_candidate *c = &d->candidates[i];
		if (c->gap > gap_top)
			gap_top = c->gap;
		if (isfinite(c->lift) && 1.5 * c->lift > lift_top)
			lift_top = 1.5 * c->lift;
	}
	const int row = 30, label = 210, col = 250, gap_w = 200, width = 760;
	int lift_x = label + col, height = (int)d->n_candidates * row + 28;
	okra__buf_printf(b,
	                 "<figure class=\"diag-bars\"><svg viewBox=\"0 0 %d "
	                 "%d\" width=\"100%%\" role=\"img\" aria-label=\"The "
	                 "candidates' gap to their benchmark and lift on the "
	                 "north star, with 95%% intervals\" font-size=\"12\" "
	                 "font-family=\"system-ui, sans-serif\">\n",
	                 width, height);
	okra__buf_printf(b,
	                 "<text x=\"%d\" y=\"12\" fill=\"#57606a\">gap to "
	                 "the benchmark</text><text x=\"%d\" y=\"12\" "
	                 "fill=\"#57606a\">lift on the north star</text>\n",
	                 label, lift_x);
	double one = lift_x + 1 / lift_top * gap_w;
	okra__buf_printf(b,
	                 "<path class=\"rule\" d=\"M%.1f,18 V%d\" "
	                 "stroke=\"#8c959f\" stroke-dasharray=\"3 3\" "
	                 "fill=\"none\"/><text x=\"%.1f\" y=\"%d\" "
	                 "fill=\"#57606a\" text-anchor=\"middle\">1×</text>\n",
	                 one, height - 2, one, height);
	for (size_t i = 0; i < d->n_candidates; i++) {
		const okra_diag_candidate *c = &d->candidates[i];
		const okra_metric *m = &d->ws->metrics[c->metric];
		double y = 20 + (double)i * row;
		bool top = (int)i == d->bottleneck;
		okra__buf_printf(b,
		                 "<text x=\"0\" y=\"%.1f\" fill=\"#24292f\"%s>",
		                 y + 14, top ? " font-weight=\"bold\"" : "");
		esc(b, c->id);
		okra__buf_puts(b, "</text>");
		double gw = c->gap > 0 ? c->gap / gap_top * gap_w : 0;
		okra__buf_printf(b,
		                 "<rect class=\"bar-gap\" x=\"%d\" y=\"%.1f\" "
		                 "width=\"%.1f\" height=\"16\" "
		                 "fill=\"#bf8700\"><title>",
		                 label, y + 2, gw);
		esc(b, c->id);
		okra__buf_puts(b, ": ");
		okra_buf v = {0};
		human(&v, m, c->value);
		okra__buf_printf(&v, " against a benchmark of ");
		human(&v, m, c->benchmark);
		if (!isnan(c->gap))
			okra__buf_printf(&v, " (%.0f%% %s)", fabs(c->gap) * 100,
			                 c->gap > 0 ? "short" : "past it");
		esc(b, v.data);
		okra__buf_free(&v);
		okra__buf_printf(b,
		                 "</title></rect><text x=\"%.1f\" y=\"%.1f\" "
		                 "fill=\"#24292f\">",
		                 label + gw + 4, y + 14);
		if (isnan(c->gap))
			okra__buf_puts(b, DASH);
		else
			okra__buf_printf(b, "%.0f%%",
			                 round(c->gap * 100) + 0.0);
		okra__buf_puts(b, "</text>");
		if (isfinite(c->lift)) {
			double lw = c->lift / lift_top * gap_w;
			okra__buf_printf(
			    b,
			    "<rect class=\"bar-lift\" x=\"%d\" "
			    "y=\"%.1f\" width=\"%.1f\" height=\"16\" "
			    "fill=\"#1f4e99\"><title>",
			    lift_x, y + 2, lw);
			okra__buf_printf(
			    &v,
			    "%s: %.2f× (95%% interval %.2f× .. "
			    "%.2f×); %.0f of %.0f that met it and "
			    "%.0f of %.0f that did not count in the "
			    "north star",
			    c->id, c->lift, c->lift_low, c->lift_high,
			    c->met_active, c->met, c->not_met_active,
			    c->not_met);
			esc(b, v.data);
			okra__buf_free(&v);
			okra__buf_puts(b, "</title></rect>");
			double x0 = lift_x + c->lift_low / lift_top * gap_w;
			bool cut = c->lift_high > lift_top;
			double x1 = lift_x + fmin(c->lift_high, lift_top) /
			                         lift_top * gap_w;
			okra__buf_printf(
			    b,
			    "<path class=\"whisker\" d=\"M%.1f,%.1f H%.1f "
			    "M%.1f,%.1f v10 M%.1f,%.1f %s\" stroke=\"#24292f\" "
			    "stroke-width=\"1.5\" fill=\"none\"/>",
			    x0, y + 10, x1, x0, y + 5, x1, cut ? y + 6 : y + 5,
			    cut ? "l4,4 l-4,4" : "v10");
			okra__buf_printf(b,
			                 "<text x=\"%.1f\" y=\"%.1f\" "
			                 "fill=\"#24292f\">%.2f×</text>",
			                 fmax(x1, lift_x + lw) + 4, y + 14,
			                 c->lift);
		} else {
			okra__buf_printf(b,
			                 "<text x=\"%d\" y=\"%.1f\" "
			                 "fill=\"#57606a\">no lift</text>",
			                 lift_x, y + 14);
		}
		okra__buf_puts(b, "\n");
	}
	okra__buf_puts(b, "</svg><figcaption class=\"muted\">Left: how far "
	                  "each candidate is short of its benchmark. Right: "
	                  "how much likelier the entities that met it are to "
	                  "count in the north star; whiskers: the 95% "
	                  "interval, the dashed rule 1× (no "
	                  "difference).</figcaption></figure>\n");
}

void okra__html_diagnosis(okra_buf *b, const okra_html_ctx *ctx,
                          const okra_diagnosis *d)
{
	const okra_workspace *ws = d->ws;
	okra__buf_puts(b, "<section class=\"card diagnose\">\n");
	if (d->sentence) {
		okra__buf_printf(b, "<p class=\"sentence\"><span class=\"tag\">"
		                    "Bottleneck</span> ");
		esc(b, d->sentence);
		okra__buf_puts(b, "</p>\n");
	} else if (d->n_candidates) {
		okra__buf_puts(b, "<p class=\"sentence\">No bottleneck: no "
		                  "candidate is both short of its benchmark "
		                  "and measured to go with the north star (a "
		                  "lift above 1).</p>\n");
	}
	if (d->data_last < d->asof) {
		okra__buf_puts(b, "<p class=\"muted\">The data end on ");
		if (d->data_last >= 0)
			okra__html_date(b, d->data_last);
		else
			okra__buf_puts(b, "(no data)");
		okra__buf_puts(b, ": the values read days without data.</p>\n");
	}
	if (d->note) {
		okra__buf_puts(b, "<p class=\"muted\">No lift: ");
		esc(b, d->note);
		okra__buf_puts(b, ".</p>\n");
	}
	if (!d->n_candidates) {
		okra__buf_puts(b, "<p class=\"muted\">No candidates: name the "
		                  "north star's inputs in okra.yaml "
		                  "(north_star: inputs:) or give level 3 or 4 "
		                  "metrics a benchmark.</p>\n</section>\n");
		return;
	}
	bars(b, d);
	okra__html_table_begin(b, "diagnose");
	okra__buf_puts(b, "<thead><tr><th scope=\"col\">Candidate</th>"
	                  "<th scope=\"col\" class=\"num\">Value</th>"
	                  "<th scope=\"col\" class=\"num\">Benchmark</th>"
	                  "<th scope=\"col\" class=\"num\">Gap</th>"
	                  "<th scope=\"col\" class=\"num\">Trend / week</th>"
	                  "<th scope=\"col\" class=\"num\">Lift (95%)</th>"
	                  "<th scope=\"col\" class=\"num\">Met: active</th>"
	                  "<th scope=\"col\" class=\"num\">Not met: "
	                  "active</th>"
	                  "<th scope=\"col\" class=\"num\">Score</th>"
	                  "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < d->n_candidates; i++) {
		const okra_diag_candidate *c = &d->candidates[i];
		const okra_metric *m = &ws->metrics[c->metric];
		okra_buf row[N_COLS] = {{0}};
		cells(d, c, row);
		okra__buf_printf(b, "<tr%s><td>",
		                 (int)i == d->bottleneck ? " class=\"top\""
		                                         : "");
		okra__html_metric_name(b, ctx, m, NULL);
		okra__buf_puts(b, "</td>");
		for (int k = C_VALUE; k < N_COLS; k++) {
			okra__buf_puts(b, "<td class=\"num\">");
			if (k == C_LIFT && c->why_no_lift) {
				okra__buf_puts(b, "<span title=\"");
				esc(b, c->why_no_lift);
				okra__buf_puts(b, "\">" DASH "</span>");
			} else if (row[k].data &&
			           strcmp(row[k].data, "-") == 0) {
				okra__buf_puts(b, DASH);
			} else {
				esc(b, row[k].data);
			}
			okra__buf_puts(b, "</td>");
		}
		okra__buf_puts(b, "</tr>\n");
		for (int k = 0; k < N_COLS; k++)
			okra__buf_free(&row[k]);
	}
	okra__buf_puts(b, "</tbody>");
	okra__html_table_end(b);
	if (d->north_star >= 0) {
		okra__buf_puts(b, "<p class=\"muted\">Active: counts in ");
		esc(b, ws->metrics[d->north_star].id);
		okra__buf_puts(b, " as of ");
		okra__html_date(b, d->asof);
		okra__buf_puts(b, ". Score: the gap (when short) times the "
		                  "lift above 1.</p>\n");
	}
	okra__buf_puts(b, "</section>\n");
}
