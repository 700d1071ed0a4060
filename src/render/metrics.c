/*
 * metrics.c - writes metric and series results: an aligned text table
 * with units, the JSON shapes of SPEC 8, or CSV.  No computation here:
 * values arrive evaluated (NaN is null).
 */
#include "plan/result.h"
#include "render/format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const grain_names[] = {"day", "week", "month", "quarter"};

static void csv_number(okra_buf *b, bool is_count, double v)
{
	if (isnan(v) || isinf(v))
		return; /* empty field = null */
	okra__json_number(b, is_count, v);
}

static const char *unit_name(okra_unit u)
{
	static const char *const names[] = {
	    "", "percent", "count", "currency", "hours", "ratio", "score"};
	return names[u];
}

/* Does metric m show the segmentation at?  With --by every metric does;
 * otherwise a metric shows the attributes of its own `segments`. */
static bool shows(const okra_result *r, const okra_metric *m,
                  const okra_segment_attr *at)
{
	if (r->plan.by)
		return true;
	for (size_t i = 0; i < m->n_segments; i++)
		if (strcmp(m->segments[i], at->name) == 0)
			return true;
	return false;
}

/* ---- text -------------------------------------------------------------- */

/* ", where tier=pro or enterprise, region=eu" for a pinned result. */
static void write_pin(okra_buf *b, const okra_result *r)
{
	for (size_t i = 0; i < r->plan.n_pin; i++) {
		const okra_where *w = &r->plan.pin[i];
		okra__buf_printf(b, "%s%s=", i ? ", " : ", where ", w->key);
		for (size_t k = 0; k < w->n_values; k++)
			okra__buf_printf(b, "%s%s", k ? " or " : "",
			                 w->values[k].text);
	}
}

typedef struct cell_row {
	char label[160];
	char value[64];
	const char *unit;
} cell_row;

static void pad(okra_buf *b, const char *s, size_t width, bool right)
{
	size_t len = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		len += (*p & 0xc0) != 0x80; /* count UTF-8 characters */
	if (right)
		for (size_t i = len; i < width; i++)
			okra__buf_putc(b, ' ');
	okra__buf_puts(b, s);
	if (!right)
		for (size_t i = len; i < width; i++)
			okra__buf_putc(b, ' ');
}

static void write_table(okra_buf *b, cell_row *rows, size_t n, const char *h1,
                        const char *h2)
{
	size_t w1 = strlen(h1), w2 = strlen(h2);
	for (size_t i = 0; i < n; i++) {
		if (strlen(rows[i].label) > w1)
			w1 = strlen(rows[i].label);
		if (strlen(rows[i].value) > w2)
			w2 = strlen(rows[i].value);
	}
	pad(b, h1, w1, false);
	okra__buf_puts(b, "  ");
	pad(b, h2, w2, true);
	okra__buf_puts(b, "  unit\n");
	for (size_t i = 0; i < n; i++) {
		pad(b, rows[i].label, w1, false);
		okra__buf_puts(b, "  ");
		pad(b, rows[i].value, w2, true);
		if (rows[i].unit && rows[i].unit[0])
			okra__buf_printf(b, "  %s", rows[i].unit);
		okra__buf_putc(b, '\n');
	}
}

static bool push_row(cell_row **rows, size_t *n, size_t *cap)
{
	if (*n < *cap)
		return true;
	size_t c = *cap ? *cap * 2 : 64;
	cell_row *r = realloc(*rows, c * sizeof(*r));
	if (!r)
		return false;
	*rows = r;
	*cap = c;
	return true;
}

static void fill_value(cell_row *row, const okra_metric *m, bool is_count,
                       double v)
{
	okra_buf b = {0};
	okra__human(&b, m, is_count, v);
	snprintf(row->value, sizeof(row->value), "%s", b.data ? b.data : "");
	okra__buf_free(&b);
	row->unit = is_count ? "" : unit_name(m->unit);
	if (m->unit == OKRA_UNIT_PERCENT || m->unit == OKRA_UNIT_HOURS)
		row->unit = "";
}

/* The metrics whose value as of date i runs past the end of the data:
 * named in one note, so no 0 on days without data passes for a real
 * one. */
static void incomplete_note(const okra_result *r, size_t i, okra_buf *b)
{
	size_t n = 0;
	for (size_t k = 0; k < r->plan.n_items; k++) {
		const okra_plan_item *it = &r->plan.items[k];
		if (!it->requested || okra__result_complete(r, it->metric, i))
			continue;
		if (n++ == 0) {
			char day[11];
			okra__format_date(r->coverage.events_last, day);
			okra__buf_printf(
			    b,
			    "\nincomplete: the data ends on %s; "
			    "these values count no data after it:",
			    r->coverage.events_last >= 0 ? day : "(none)");
		}
		okra__buf_printf(b, " %s", it->m->id);
	}
	if (n)
		okra__buf_putc(b, '\n');
}

static bool text_metrics(const okra_result *r, okra_buf *b)
{
	const okra_workspace *ws = r->ws;
	char day[11];
	okra__format_date(okra__result_date(r, 0), day);
	okra__buf_printf(b, "as of %s", day);
	write_pin(b, r);
	okra__buf_puts(b, "\n\n");
	cell_row *rows = NULL;
	size_t n = 0, cap = 0;
	for (size_t k = 0; k < r->plan.n_items; k++) {
		const okra_plan_item *it = &r->plan.items[k];
		if (!it->requested)
			continue;
		int mi = it->metric;
		const okra_metric *m = &ws->metrics[mi];
		bool is_count = okra__result_is_count(r, mi);
		if (!push_row(&rows, &n, &cap))
			goto fail;
		snprintf(rows[n].label, sizeof(rows[n].label), "%s", m->id);
		fill_value(&rows[n++], m, is_count,
		           okra__result_at(r, mi, 0, 0));
		for (size_t s = 0; s < okra__result_n_steps(r, mi); s++) {
			if (!push_row(&rows, &n, &cap))
				goto fail;
			snprintf(rows[n].label, sizeof(rows[n].label),
			         "  step %zu %s", s + 1,
			         m->steps[s].n_events ? m->steps[s].events[0]
			                              : "");
			fill_value(&rows[n], m, false,
			           okra__result_step(r, mi, s, 0));
			rows[n++].unit = "";
		}
		for (size_t j = 0; j < r->seg.n_attrs; j++) {
			const okra_segment_attr *at = &r->seg.attrs[j];
			if (!shows(r, m, at))
				continue;
			for (size_t s = at->first + 1; s <= at->first + at->n;
			     s++) {
				if (!push_row(&rows, &n, &cap))
					goto fail;
				snprintf(rows[n].label, sizeof(rows[n].label),
				         "  %s=%s", at->name,
				         okra__result_segment(r, s));
				fill_value(&rows[n++], m, is_count,
				           okra__result_at(r, mi, s, 0));
			}
		}
	}
	write_table(b, rows, n, "metric", "value");
	incomplete_note(r, 0, b);
	free(rows);
	return true;
fail:
	free(rows);
	return false;
}

static bool text_series(const okra_result *r, int mi, okra_buf *b)
{
	const okra_metric *m = &r->ws->metrics[mi];
	bool is_count = okra__result_is_count(r, mi);
	size_t nd = okra__result_n_dates(r), S = okra__result_n_segments(r);
	okra__buf_printf(b, "%s by %s", m->id, grain_names[r->grain]);
	write_pin(b, r);
	okra__buf_puts(b, "\n\n");
	/* Columns: date, all, then one per segment shown ("tier=pro"). */
	size_t *row = malloc((S + 1) * sizeof(*row));
	size_t *width = calloc(S + 1, sizeof(*width));
	char **head = calloc(S + 1, sizeof(*head));
	if (!row || !width || !head) {
		free(row);
		free(width);
		free(head);
		return false;
	}
	size_t cols = 0;
	row[cols] = 0;
	head[cols++] = NULL;
	for (size_t j = 0; j < r->seg.n_attrs; j++) {
		const okra_segment_attr *at = &r->seg.attrs[j];
		if (!shows(r, m, at))
			continue;
		for (size_t s = at->first; s < at->first + at->n; s++) {
			row[cols] = s + 1;
			head[cols++] = okra__arena_printf(
			    (okra_arena *)&r->arena, "%s=%s", at->name,
			    okra__result_segment(r, s + 1));
		}
	}
	okra_buf cell = {0};
	for (size_t c = 0; c < cols; c++) {
		width[c] = c == 0 ? 5 : strlen(head[c] ? head[c] : "");
		for (size_t i = 0; i < nd; i++) {
			cell.len = 0;
			okra__human(&cell, m, is_count,
			            okra__result_at(r, mi, row[c], i));
			if (cell.len > width[c])
				width[c] = cell.len;
		}
	}
	okra__buf_puts(b, "date        ");
	for (size_t c = 0; c < cols; c++) {
		okra__buf_puts(b, c ? "  " : "");
		pad(b, c == 0 ? "value" : (head[c] ? head[c] : ""), width[c],
		    true);
	}
	okra__buf_putc(b, '\n');
	for (size_t i = 0; i < nd; i++) {
		char day[11];
		okra__format_date(okra__result_date(r, i), day);
		okra__buf_printf(b, "%s  ", day);
		for (size_t c = 0; c < cols; c++) {
			cell.len = 0;
			okra__human(&cell, m, is_count,
			            okra__result_at(r, mi, row[c], i));
			okra__buf_puts(b, c ? "  " : "");
			pad(b, cell.data ? cell.data : "", width[c], true);
		}
		okra__buf_putc(b, '\n');
	}
	okra__buf_free(&cell);
	free(row);
	free(width);
	free(head);
	return true;
}

/* ---- JSON -------------------------------------------------------------- */

/* Writes "name":{"seg":<value>,...} for each segmentation m shows,
 * comma-separated, with value(b, r, mi, row) writing one segment's value
 * (row >= 1).  Returns whether it wrote any. */
typedef void (*seg_value_fn)(okra_buf *b, const okra_result *r, int mi,
                             size_t row);

static bool json_attrs(okra_buf *b, const okra_result *r, int mi,
                       const char *open, seg_value_fn value)
{
	const okra_metric *m = &r->ws->metrics[mi];
	bool any = false;
	for (size_t j = 0; j < r->seg.n_attrs; j++) {
		const okra_segment_attr *at = &r->seg.attrs[j];
		if (!shows(r, m, at))
			continue;
		okra__buf_puts(b, any ? "," : open);
		any = true;
		okra__buf_json_str(b, at->name);
		okra__buf_puts(b, ":{");
		for (size_t s = at->first + 1; s <= at->first + at->n; s++) {
			okra__buf_puts(b, s > at->first + 1 ? "," : "");
			okra__buf_json_str(b, okra__result_segment(r, s));
			okra__buf_putc(b, ':');
			value(b, r, mi, s);
		}
		okra__buf_putc(b, '}');
	}
	return any;
}

static void seg_number(okra_buf *b, const okra_result *r, int mi, size_t row)
{
	okra__json_number(b, okra__result_is_count(r, mi),
	                  okra__result_at(r, mi, row, 0));
}

static void json_metrics(const okra_result *r, okra_buf *b)
{
	char day[11];
	okra__format_date(okra__result_date(r, 0), day);
	okra__buf_printf(b, "{\"asof\":\"%s\",\"metrics\":[", day);
	bool first = true;
	for (size_t k = 0; k < r->plan.n_items; k++) {
		if (!r->plan.items[k].requested)
			continue;
		int mi = r->plan.items[k].metric;
		const okra_metric *m = &r->ws->metrics[mi];
		okra__buf_puts(b, first ? "\n {\"id\":" : ",\n {\"id\":");
		first = false;
		okra__buf_json_str(b, m->id);
		okra__buf_puts(b, ",\"value\":");
		okra__json_number(b, okra__result_is_count(r, mi),
		                  okra__result_at(r, mi, 0, 0));
		okra__buf_puts(b, ",\"unit\":");
		okra__buf_json_str(b, unit_name(m->unit));
		if (!okra__result_complete(r, mi, 0))
			okra__buf_puts(b, ",\"complete\":false");
		okra__buf_puts(b, ",\"segments\":{");
		json_attrs(b, r, mi, "", seg_number);
		okra__buf_putc(b, '}');
		size_t n_steps = okra__result_n_steps(r, mi);
		if (n_steps) {
			okra__buf_puts(b, ",\"steps\":[");
			for (size_t s = 0; s < n_steps; s++) {
				okra__buf_puts(b, s ? ",{\"event\":"
				                    : "{\"event\":");
				okra__buf_json_str(b,
				                   m->steps[s].n_events
				                       ? m->steps[s].events[0]
				                       : "");
				okra__buf_puts(b, ",\"value\":");
				okra__json_number(
				    b, false, okra__result_step(r, mi, s, 0));
				okra__buf_putc(b, '}');
			}
			okra__buf_putc(b, ']');
		}
		okra__buf_putc(b, '}');
	}
	okra__buf_puts(b, "\n]}\n");
}

static void json_points(okra_buf *b, const okra_result *r, int mi, size_t seg)
{
	bool is_count = okra__result_is_count(r, mi);
	okra__buf_putc(b, '[');
	for (size_t i = 0; i < okra__result_n_dates(r); i++) {
		char day[11];
		okra__format_date(okra__result_date(r, i), day);
		okra__buf_printf(
		    b, "%s{\"date\":\"%s\",\"value\":", i ? "," : "", day);
		okra__json_number(b, is_count, okra__result_at(r, mi, seg, i));
		if (!okra__result_complete(r, mi, i))
			okra__buf_puts(b, ",\"complete\":false");
		okra__buf_putc(b, '}');
	}
	okra__buf_putc(b, ']');
}

static void json_series(const okra_result *r, int mi, okra_buf *b)
{
	const okra_metric *m = &r->ws->metrics[mi];
	okra__buf_puts(b, "{\"id\":");
	okra__buf_json_str(b, m->id);
	okra__buf_printf(b,
	                 ",\"grain\":\"%s\",\"unit\":", grain_names[r->grain]);
	okra__buf_json_str(b, unit_name(m->unit));
	okra__buf_puts(b, ",\"points\":");
	json_points(b, r, mi, 0);
	/* "segments" only when the metric is segmented: SPEC 8's series
	 * object is {id, grain, points}. */
	bool any = json_attrs(b, r, mi, ",\"segments\":{", json_points);
	okra__buf_puts(b, any ? "}}" : "}");
}

/* The requested metrics of r, in plan order. */
static size_t requested(const okra_result *r, int *out)
{
	size_t n = 0;
	for (size_t k = 0; k < r->plan.n_items; k++)
		if (r->plan.items[k].requested)
			out[n++] = r->plan.items[k].metric;
	return n;
}

/* One series is the object of SPEC 8; several are {"series": [...]}. */
static bool write_series(const okra_result *r, bool json, okra_buf *b)
{
	int *ids = malloc((r->plan.n_items + 1) * sizeof(*ids));
	if (!ids)
		return false;
	size_t n = requested(r, ids);
	bool ok = true;
	if (json && n != 1)
		okra__buf_puts(b, "{\"series\":[");
	for (size_t i = 0; i < n && ok; i++) {
		if (json) {
			okra__buf_puts(b, i ? ",\n" : (n != 1 ? "\n" : ""));
			json_series(r, ids[i], b);
		} else {
			okra__buf_puts(b, i ? "\n" : "");
			ok = text_series(r, ids[i], b);
		}
	}
	if (json)
		okra__buf_puts(b, n != 1 ? "\n]}\n" : "\n");
	free(ids);
	return ok;
}

/* ---- CSV --------------------------------------------------------------- */

static void csv_str(okra_buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		okra__buf_puts(b, s);
		return;
	}
	okra__buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			okra__buf_putc(b, '"');
		okra__buf_putc(b, *s);
	}
	okra__buf_putc(b, '"');
}

static void csv_result(const okra_result *r, okra_buf *b)
{
	okra__buf_puts(b, "metric,date,segment,value\n");
	for (size_t k = 0; k < r->plan.n_items; k++) {
		if (!r->plan.items[k].requested)
			continue;
		int mi = r->plan.items[k].metric;
		const okra_metric *m = &r->ws->metrics[mi];
		bool is_count = okra__result_is_count(r, mi);
		for (size_t s = 0; s <= okra__result_n_segments(r); s++) {
			const okra_segment_attr *at =
			    s ? okra__result_segment_attr(r, s) : NULL;
			if (s && !shows(r, m, at))
				continue;
			for (size_t i = 0; i < okra__result_n_dates(r); i++) {
				char day[11];
				okra__format_date(okra__result_date(r, i), day);
				csv_str(b, m->id);
				okra__buf_printf(b, ",%s,", day);
				if (s) {
					csv_str(b, at->name);
					okra__buf_putc(b, '=');
					csv_str(b, okra__result_segment(r, s));
				}
				okra__buf_putc(b, ',');
				csv_number(b, is_count,
				           okra__result_at(r, mi, s, i));
				okra__buf_putc(b, '\n');
			}
		}
	}
}

okra_rc okra_result_write(const okra_result *r, okra_format format, FILE *out,
                          okra_err *err)
{
	okra_buf b = {0};
	bool ok = true;
	switch (format) {
	case OKRA_FORMAT_JSON:
		if (r->is_series)
			ok = write_series(r, true, &b);
		else
			json_metrics(r, &b);
		break;
	case OKRA_FORMAT_CSV:
		csv_result(r, &b);
		break;
	default:
		ok = r->is_series ? write_series(r, false, &b)
		                  : text_metrics(r, &b);
	}
	if (!ok || b.failed) {
		okra__buf_free(&b);
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	}
	if (b.len && fwrite(b.data, 1, b.len, out) != b.len) {
		okra__buf_free(&b);
		return okra__err_set(err, OKRA_ERR_IO, NULL, 0, 0,
		                     "cannot write output");
	}
	okra__buf_free(&b);
	return OKRA_OK;
}

/* ---- MRR bridge -------------------------------------------------------- */

static const char *const bridge_columns[] = {
    "start",       "new",     "reactivation", "expansion",
    "contraction", "churned", "end",
};

static void bridge_row(const okra_bridge_month *bm, double v[7])
{
	v[0] = bm->start;
	v[1] = bm->new_mrr;
	v[2] = bm->reactivation;
	v[3] = bm->expansion;
	v[4] = bm->contraction;
	v[5] = bm->churned;
	v[6] = bm->end;
}

/* SPEC 3: mrr(M) = mrr(M-1) + new + reactivation + expansion -
 * contraction - churned, up to the rounding of the sums. */
static okra_rc bridge_check(const okra_bridge *b, okra_err *err)
{
	for (size_t i = 0; i < b->n_months; i++) {
		double v[7], scale = 1;
		bridge_row(&b->months[i], v);
		for (int k = 0; k < 7; k++)
			scale += fabs(v[k]);
		double sum = v[0] + v[1] + v[2] + v[3] - v[4] - v[5];
		if (!(fabs(sum - v[6]) <= 1e-9 * scale))
			return okra__err_set(
			    err, OKRA_ERR_DATA, NULL, 0, 0,
			    "the MRR bridge of %s does not add up: start %.17g "
			    "+ new %.17g"
			    " + reactivation %.17g + expansion %.17g - "
			    "contraction %.17g"
			    " - churned %.17g = %.17g, but end is %.17g",
			    b->months[i].month, v[0], v[1], v[2], v[3], v[4],
			    v[5], sum, v[6]);
	}
	return OKRA_OK;
}

static bool bridge_text(const okra_bridge *b, const okra_metric *m,
                        okra_buf *out)
{
	size_t width[7];
	okra_buf cell = {0};
	for (int k = 0; k < 7; k++) {
		width[k] = strlen(bridge_columns[k]);
		for (size_t i = 0; i < b->n_months; i++) {
			double v[7];
			bridge_row(&b->months[i], v);
			cell.len = 0;
			okra__human(&cell, m, false, v[k]);
			if (cell.len > width[k])
				width[k] = cell.len;
		}
	}
	okra__buf_printf(out, "%s bridge by month\n\nmonth  ", m->id);
	for (int k = 0; k < 7; k++) {
		okra__buf_puts(out, "  ");
		pad(out, bridge_columns[k], width[k], true);
	}
	okra__buf_putc(out, '\n');
	for (size_t i = 0; i < b->n_months; i++) {
		double v[7];
		bridge_row(&b->months[i], v);
		okra__buf_printf(out, "%s", b->months[i].month);
		for (int k = 0; k < 7; k++) {
			cell.len = 0;
			okra__human(&cell, m, false, v[k]);
			okra__buf_puts(out, "  ");
			pad(out, cell.data ? cell.data : "", width[k], true);
		}
		okra__buf_putc(out, '\n');
	}
	bool ok = !cell.failed;
	okra__buf_free(&cell);
	return ok;
}

static void bridge_json(const okra_bridge *b, const okra_metric *m,
                        okra_buf *out)
{
	okra__buf_puts(out, "{\"id\":");
	okra__buf_json_str(out, m->id);
	okra__buf_puts(out, ",\"grain\":\"month\",\"unit\":");
	okra__buf_json_str(out, unit_name(m->unit));
	okra__buf_puts(out, ",\"bridge\":[");
	for (size_t i = 0; i < b->n_months; i++) {
		double v[7];
		bridge_row(&b->months[i], v);
		okra__buf_printf(out, "%s{\"month\":\"%s\",\"date\":\"%s\"",
		                 i ? ",\n " : "\n ", b->months[i].month,
		                 b->months[i].asof);
		for (int k = 0; k < 7; k++) {
			okra__buf_printf(out, ",\"%s\":", bridge_columns[k]);
			okra__json_number(out, false, v[k]);
		}
		okra__buf_putc(out, '}');
	}
	okra__buf_puts(out, "\n]}\n");
}

static void bridge_csv(const okra_bridge *b, okra_buf *out)
{
	okra__buf_puts(out, "month,date");
	for (int k = 0; k < 7; k++)
		okra__buf_printf(out, ",%s", bridge_columns[k]);
	okra__buf_putc(out, '\n');
	for (size_t i = 0; i < b->n_months; i++) {
		double v[7];
		bridge_row(&b->months[i], v);
		okra__buf_printf(out, "%s,%s", b->months[i].month,
		                 b->months[i].asof);
		for (int k = 0; k < 7; k++) {
			okra__buf_putc(out, ',');
			csv_number(out, false, v[k]);
		}
		okra__buf_putc(out, '\n');
	}
}

okra_rc okra_bridge_write(const okra_bridge *b, okra_format format, FILE *out,
                          okra_err *err)
{
	int mi = okra__find_metric(b->ws, b->metric);
	if (mi < 0)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "unknown metric \"%s\"", b->metric);
	const okra_metric *m = &b->ws->metrics[mi];
	okra_rc rc = bridge_check(b, err);
	if (rc)
		return rc;
	okra_buf buf = {0};
	bool ok = true;
	if (format == OKRA_FORMAT_JSON)
		bridge_json(b, m, &buf);
	else if (format == OKRA_FORMAT_CSV)
		bridge_csv(b, &buf);
	else
		ok = bridge_text(b, m, &buf);
	if (!ok || buf.failed)
		rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                   "out of memory");
	else if (buf.len && fwrite(buf.data, 1, buf.len, out) != buf.len)
		rc = okra__err_set(err, OKRA_ERR_IO, NULL, 0, 0,
		                   "cannot write output");
	okra__buf_free(&buf);
	return rc;
}
