/*
 * anomalies.c - writes the anomalies of okra anomalies
 * (okr/anomalies.h): one line each as text ("2026-11-18 dau 850, usually
 * 1,150..1,300 on a Wednesday (z −9.8), down 31%; region=eu explains
 * 94%"), the JSON of SPEC 13, and the dashboard's table.  No
 * computation: okr/anomalies.c did it.
 */
#include "okr/anomalies.h"
#include "base/html.h"
#include "model/format.h"
#include "render/html.h"

#include <math.h>
#include <string.h>

#define DASH "\xe2\x80\x93"

/* What was checked: "the 28 days to 2026-11-30 (k = 3.5; 38 metrics
 * checked; only down, a change of at least 30%)". */
static void scope(okra_buf *b, const okra_anomalies *l)
{
	char day[11];
	okra__format_date(l->asof, day);
	okra__buf_printf(b, "the %d day%s to %s (k = %g; %zu metric%s checked",
	                 l->days, l->days == 1 ? "" : "s", day, l->k,
	                 l->n_metrics, l->n_metrics == 1 ? "" : "s");
	if (l->direction)
		okra__buf_printf(b, "; only %s",
		                 l->direction > 0 ? "up" : "down");
	if (!isnan(l->min_change))
		okra__buf_printf(b, "; a change of at least %g%%",
		                 l->min_change * 100);
	if (l->by)
		okra__buf_printf(b, "; explained by %s", l->by);
	if (l->data_last < l->asof) {
		/* Days without data are never checked: say so. */
		char last[11];
		okra__format_date(l->data_last, last);
		okra__buf_printf(b, "; %s%s: later days are not checked",
		                 l->data_last >= 0 ? "the data end on "
		                                   : "no data",
		                 l->data_last >= 0 ? last : "");
	}
	okra__buf_putc(b, ')');
}

/* ---- text -------------------------------------------------------------- */

static void text(const okra_anomalies *l, bool color, okra_buf *b)
{
	const char *up = color ? "\x1b[32m" : "",
	           *down = color ? "\x1b[31m" : "",
	           *off = color ? "\x1b[0m" : "";
	if (!l->n_items) {
		okra__buf_puts(b, "No anomalies in ");
		scope(b, l);
		okra__buf_puts(b, ".\n");
		return;
	}
	okra__buf_printf(b, "%zu anomal%s in ", l->n_items,
	                 l->n_items == 1 ? "y" : "ies");
	scope(b, l);
	okra__buf_puts(b, ":\n");
	for (size_t i = 0; i < l->n_items; i++) {
		const okra_anomaly *a = &l->items[i];
		const okra_metric *m = &l->ws->metrics[a->metric];
		/* Coloured by whether the move is good for the metric. */
		bool good = a->st.is_up == (m->direction == OKRA_DIR_UP);
		char day[11];
		okra__format_date(a->date, day);
		okra__buf_printf(b, "%s%s %s ", good ? up : down, day, a->id);
		okra__anomaly_describe(b, l->ws, a);
		okra__buf_printf(b, "%s\n", off);
	}
}

/* ---- JSON -------------------------------------------------------------- */

static void key_num(okra_buf *b, const char *key, bool is_count, double v)
{
	okra__buf_printf(b, ", \"%s\": ", key);
	okra__json_number(b, is_count, v);
}

static void json(const okra_anomalies *l, okra_buf *b)
{
	char day[11];
	okra__format_date(l->asof, day);
	okra__buf_printf(b, "{\"asof\": \"%s\", \"days\": %d, \"k\": ", day,
	                 l->days);
	okra__json_number(b, false, l->k);
	okra__buf_puts(b, ", \"by\": ");
	if (l->by)
		okra__buf_json_str(b, l->by);
	else
		okra__buf_puts(b, "null");
	okra__buf_printf(b, ", \"direction\": %s",
	                 l->direction > 0   ? "\"up\""
	                 : l->direction < 0 ? "\"down\""
	                                    : "null");
	key_num(b, "min_change", false, l->min_change);
	okra__buf_printf(
	    b, ", \"metrics_checked\": %zu, \"data_last\": ", l->n_metrics);
	if (l->data_last >= 0) {
		okra__format_date(l->data_last, day);
		okra__buf_printf(b, "\"%s\"", day);
	} else {
		okra__buf_puts(b, "null");
	}
	okra__buf_puts(b, ", \"anomalies\": [");
	for (size_t i = 0; i < l->n_items; i++) {
		const okra_anomaly *a = &l->items[i];
		const okra_metric *m = &l->ws->metrics[a->metric];
		okra__format_date(a->date, day);
		okra__buf_printf(b, "%s\n  {\"metric\": ", i ? "," : "");
		okra__buf_json_str(b, a->id);
		okra__buf_printf(b, ", \"date\": \"%s\", \"weekday\": \"%s\"",
		                 day, okra__weekday_name(a->date));
		key_num(b, "value",
		        okra__metric_is_count(m) && a->value == floor(a->value),
		        a->value);
		key_num(b, "baseline", false, a->st.median);
		key_num(b, "low", false, a->st.low);
		key_num(b, "high", false, a->st.high);
		key_num(b, "z", false, a->st.z);
		okra__buf_printf(b, ", \"direction\": \"%s\"",
		                 a->st.is_up ? "up" : "down");
		key_num(b, "change", false, a->st.change);
		okra__buf_puts(b, ", \"segment\": ");
		if (a->seg_attr) {
			okra__buf_puts(b, "{\"attr\": ");
			okra__buf_json_str(b, a->seg_attr);
			okra__buf_puts(b, ", \"value\": ");
			okra__buf_json_str(b, a->seg_value);
			key_num(b, "deviation", false, a->seg_deviation);
			key_num(b, "share", false, a->seg_share);
			key_num(b, "z", false, a->seg_z);
			okra__buf_putc(b, '}');
		} else {
			okra__buf_puts(b, "null");
		}
		okra__buf_putc(b, '}');
	}
	okra__buf_puts(b, l->n_items ? "\n]}\n" : "]}\n");
}

okra_rc okra_anomalies_write(const okra_anomalies *l, okra_format format,
                             bool color, FILE *out, okra_err *err)
{
	okra_buf b = {0};
	if (format == OKRA_FORMAT_JSON)
		json(l, &b);
	else
		text(l, color, &b);
	return okra__buf_write(&b, out, err);
}

/* ---- HTML -------------------------------------------------------------- */

static void esc(okra_buf *b, const char *s)
{
	okra__buf_html(b, s);
}

static void reset(okra_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void okra__html_anomalies(okra_buf *b, const okra_html_ctx *ctx,
                          const okra_anomalies *l)
{
	okra_buf s = {0};
	scope(&s, l);
	okra__buf_puts(b, "<section class=\"card anomalies\">\n<p>");
	if (l->n_items)
		okra__buf_printf(b, "<strong>%zu</strong> anomal%s in ",
		                 l->n_items, l->n_items == 1 ? "y" : "ies");
	else
		okra__buf_puts(b, "No anomalies in ");
	esc(b, s.data);
	okra__buf_puts(b, ".</p>\n");
	okra__buf_free(&s);
	if (!l->n_items) {
		okra__buf_puts(b, "</section>\n");
		return;
	}
	okra__html_table_begin(b, "anomalies");
	okra__buf_puts(b, "<thead><tr><th scope=\"col\">Date</th>"
	                  "<th scope=\"col\">Metric</th>"
	                  "<th scope=\"col\" class=\"num\">Value</th>"
	                  "<th scope=\"col\" class=\"num\">Usually</th>"
	                  "<th scope=\"col\" class=\"num\">z</th>"
	                  "<th scope=\"col\" class=\"num\">Change</th>"
	                  "<th scope=\"col\">Explained by</th>"
	                  "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < l->n_items; i++) {
		const okra_anomaly *a = &l->items[i];
		const okra_metric *m = &l->ws->metrics[a->metric];
		bool good = a->st.is_up == (m->direction == OKRA_DIR_UP);
		okra_buf t = {0};
		okra__buf_puts(b, "<tr><td>");
		okra__html_date(b, a->date);
		okra__buf_printf(b, " <span class=\"muted\">%s</span></td><td>",
		                 okra__weekday_name(a->date));
		okra__html_metric_name(b, ctx, m, NULL);
		okra__buf_puts(b, "</td><td class=\"num\">");
		okra_buf band = {0};
		okra__anomaly_value_band(&t, &band, m, a);
		esc(b, t.data);
		reset(&t);
		okra__buf_puts(b, "</td><td class=\"num\">");
		esc(b, band.data ? band.data : "");
		okra__buf_free(&band);
		okra__buf_puts(b, "</td><td class=\"num\">");
		if (isnan(a->st.z))
			okra__buf_puts(b, "flat");
		else
			okra__anomaly_z(b, a->st.z);
		okra__buf_printf(b,
		                 "</td><td class=\"num\"><span class=\"%s\">",
		                 good ? "good" : "bad");
		okra__buf_puts(b, a->st.is_up ? "▲ " : "▼ ");
		okra__anomaly_change(&t, &a->st);
		esc(b, t.data);
		okra__buf_puts(b, "</span></td><td>");
		if (a->seg_attr) {
			reset(&t);
			okra__anomaly_segment(&t, a);
			esc(b, t.data);
		} else {
			okra__buf_puts(b, DASH);
		}
		okra__buf_puts(b, "</td></tr>\n");
		okra__buf_free(&t);
	}
	okra__buf_puts(b, "</tbody>");
	okra__html_table_end(b);
	okra__buf_puts(b, "</section>\n");
}
