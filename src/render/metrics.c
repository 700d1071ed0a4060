/*
 * metrics.c - writes metric and series results: an aligned text table
 * with units, the JSON shapes of SPEC 8, or CSV.  No computation here:
 * values arrive evaluated (NaN is null).
 */
#include "plan/result.h"
#include "model/format.h"

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

/* ---- samples and comparisons ------------------------------------------- */

/* The denominator behind a value; NaN when the metric has no sample. */
static double sample_n(const okra_result *r, int mi, size_t s, size_t i)
{
	double num, den;
	return okra__result_sample(r, mi, s, i, &num, &den) ? den : NAN;
}

/* Is the value at (s, i) - or the one it is compared with - a small
 * sample? */
static bool is_small(const okra_result *r, int mi, size_t s, size_t i)
{
	double num, den;
	if (sample_n(r, mi, s, i) < OKRA_SMALL_SAMPLE)
		return true;
	return okra__result_compare_sample(r, mi, s, i, &num, &den) &&
	       den < OKRA_SMALL_SAMPLE;
}

/* The change against the comparison; false without one. */
typedef struct change {
	int32_t day;
	double then, change, rel;
} change;

static bool change_at(const okra_result *r, int mi, size_t s, size_t i,
                      change *c)
{
	if (!okra__result_compare(r, mi, s, i, &c->day, &c->then))
		return false;
	double now = okra__result_at(r, mi, s, i);
	c->change = now - c->then;
	c->rel =
	    isnan(c->then) || c->then == 0 ? NAN : c->change / fabs(c->then);
	return true;
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

/* ", compared with 2026-03-03 (prev)" */
static void write_compare(okra_buf *b, const okra_result *r)
{
	if (!r->compare)
		return;
	okra__buf_printf(b, ", compared with %s", r->compare_text);
	if (strcmp(r->compare_text, "prev") == 0)
		okra__buf_puts(b, " (one period of each metric earlier)");
	else if (strcmp(r->compare_text, "yoy") == 0)
		okra__buf_puts(b, " (a year earlier)");
}

/* A table of text cells: the columns' headers and alignment, then rows,
 * each with a tone (ANSI codes around a cell, kept out of the widths). */
typedef struct tcell {
	char text[160];
	const char *tone; /* "" or an ANSI code */
} tcell;

typedef struct table {
	size_t n_cols;
	const char **head;
	bool *right;
	tcell *cells; /* n x n_cols */
	bool *dim;    /* per row */
	size_t n, cap;
	bool failed;
} table;

/* A table of n_cols columns (headers and alignment set by the caller). */
static bool table_init(table *t, size_t n_cols)
{
	memset(t, 0, sizeof(*t));
	t->n_cols = n_cols;
	t->head = calloc(n_cols + 1, sizeof(*t->head));
	t->right = calloc(n_cols + 1, sizeof(*t->right));
	t->failed = !t->head || !t->right;
	for (size_t k = 0; !t->failed && k < n_cols; k++)
		t->head[k] = "";
	return !t->failed;
}

static void table_free(table *t)
{
	free(t->head);
	free(t->right);
	free(t->cells);
	free(t->dim);
}

static tcell *table_row(table *t, bool dim)
{
	if (t->failed)
		return NULL;
	if (t->n == t->cap) {
		size_t c = t->cap ? t->cap * 2 : 64;
		tcell *cells =
		    realloc(t->cells, c * t->n_cols * sizeof(*cells));
		if (cells)
			t->cells = cells;
		bool *d = realloc(t->dim, c * sizeof(*d));
		if (d)
			t->dim = d;
		if (!cells || !d) {
			t->failed = true;
			return NULL;
		}
		t->cap = c;
	}
	tcell *row = &t->cells[t->n * t->n_cols];
	for (size_t k = 0; k < t->n_cols; k++)
		row[k] = (tcell){.tone = ""};
	t->dim[t->n++] = dim;
	return row;
}

static void table_write(okra_buf *b, const table *t, bool color)
{
	size_t *w = calloc(t->n_cols + 1, sizeof(*w));
	if (!w) {
		b->failed = true;
		return;
	}
	for (size_t k = 0; k < t->n_cols; k++) {
		w[k] = okra__text_width(t->head[k]);
		for (size_t i = 0; i < t->n; i++) {
			size_t len =
			    okra__text_width(t->cells[i * t->n_cols + k].text);
			if (len > w[k])
				w[k] = len;
		}
	}
	/* A last column on the left is not padded: no trailing blanks. */
	size_t last = t->n_cols - 1;
	while (last > 0 && !t->head[last][0])
		last--;
	for (size_t k = 0; k <= last; k++) {
		okra__buf_puts(b, k ? "  " : "");
		if (k == last && !t->right[k])
			okra__buf_puts(b, t->head[k]);
		else
			okra__buf_pad(b, t->head[k], w[k], t->right[k]);
	}
	okra__buf_putc(b, '\n');
	for (size_t i = 0; i < t->n; i++) {
		const tcell *row = &t->cells[i * t->n_cols];
		size_t end = t->n_cols;
		while (end > 1 && !row[end - 1].text[0])
			end--;
		bool dim = color && t->dim[i];
		okra__buf_puts(b, dim ? "\033[2m" : "");
		for (size_t k = 0; k < end; k++) {
			okra__buf_puts(b, k ? "  " : "");
			bool tone = color && row[k].tone[0];
			okra__buf_puts(b, tone ? row[k].tone : "");
			if (k == end - 1 && !t->right[k])
				okra__buf_puts(b, row[k].text);
			else
				okra__buf_pad(b, row[k].text, w[k],
				              t->right[k]);
			okra__buf_puts(
			    b,
			    tone ? (dim ? "\033[0m\033[2m" : "\033[0m") : "");
		}
		okra__buf_puts(b, dim ? "\033[0m\n" : "\n");
	}
	free(w);
}

static void human_cell(tcell *c, const okra_metric *m, bool is_count, double v)
{
	okra_buf b = {0};
	okra__human(&b, m, is_count, v);
	snprintf(c->text, sizeof(c->text), "%s", b.data ? b.data : "");
	okra__buf_free(&b);
}

/* The unit column of the table: empty where the value says it (42.0%,
 * 21.3 h, $802k, a whole count). */
static const char *unit_cell(const okra_metric *m, bool is_count)
{
	if (is_count || m->unit == OKRA_UNIT_PERCENT ||
	    m->unit == OKRA_UNIT_HOURS || m->unit == OKRA_UNIT_CURRENCY)
		return "";
	return unit_name(m->unit);
}

/* "▲ +3.2 pts (+8.4%)", coloured good or bad by the metric's direction. */
static void change_cell(tcell *c, const okra_metric *m, bool is_count,
                        const change *ch)
{
	okra_buf b = {0};
	if (isnan(ch->change)) {
		okra__buf_puts(&b, "-");
	} else {
		okra__buf_puts(&b, ch->change > 0   ? "▲ +"
		                   : ch->change < 0 ? "▼ -"
		                                    : "= ");
		if (m->unit == OKRA_UNIT_PERCENT)
			okra__buf_printf(&b, "%.1f pts",
			                 fabs(ch->change) * 100);
		else
			okra__human(&b, m,
			            is_count && ch->change == floor(ch->change),
			            fabs(ch->change));
		if (!isnan(ch->rel) && ch->change != 0)
			okra__buf_printf(&b, " (%+.1f%%)", ch->rel * 100);
		bool good = (ch->change > 0) == (m->direction == OKRA_DIR_UP);
		c->tone = ch->change == 0 ? "" : good ? "\033[32m" : "\033[31m";
	}
	snprintf(c->text, sizeof(c->text), "%s", b.data ? b.data : "");
	okra__buf_free(&b);
}

/* The columns after the metric: value, a small-sample mark when the
 * table has one, unit, and with a comparison: vs, then, change. */
typedef struct layout {
	bool marks, compare;
	size_t c_value, c_mark, c_unit, c_vs, c_then, c_change;
} layout;

static bool layout_columns(table *t, layout *l, const char *first)
{
	if (!table_init(t, 3 + l->marks + 3 * l->compare))
		return false;
	size_t k = 0;
	t->head[k] = first;
	t->right[k++] = false;
	l->c_value = k;
	t->head[k] = "value";
	t->right[k++] = true;
	if (l->marks) {
		l->c_mark = k;
		t->head[k] = "";
		t->right[k++] = false;
	}
	l->c_unit = k;
	t->head[k] = "unit";
	t->right[k++] = false;
	if (l->compare) {
		l->c_vs = k;
		t->head[k] = "vs";
		t->right[k++] = false;
		l->c_then = k;
		t->head[k] = "then";
		t->right[k++] = true;
		l->c_change = k;
		t->head[k] = "change";
		t->right[k++] = false;
	}
	return true;
}

/* One row of metric mi at segment row s and date i. */
static void value_row(table *t, const layout *l, const okra_result *r, int mi,
                      size_t s, size_t i, const char *label, bool show_vs)
{
	const okra_metric *m = &r->ws->metrics[mi];
	bool is_count = okra__result_is_count(r, mi);
	bool small = is_small(r, mi, s, i);
	tcell *row = table_row(t, small);
	if (!row)
		return;
	snprintf(row[0].text, sizeof(row[0].text), "%s", label);
	human_cell(&row[l->c_value], m, is_count, okra__result_at(r, mi, s, i));
	if (l->marks && small)
		snprintf(row[l->c_mark].text, sizeof(row[l->c_mark].text), "*");
	snprintf(row[l->c_unit].text, sizeof(row[l->c_unit].text), "%s",
	         unit_cell(m, is_count));
	change ch;
	if (l->compare && change_at(r, mi, s, i, &ch)) {
		if (show_vs)
			okra__format_date(ch.day, row[l->c_vs].text);
		human_cell(&row[l->c_then], m, is_count, ch.then);
		change_cell(&row[l->c_change], m, is_count, &ch);
	}
}

/* Does any value the text shows rest on a small sample? */
static bool any_small(const okra_result *r)
{
	for (size_t k = 0; k < r->plan.n_items; k++) {
		const okra_plan_item *it = &r->plan.items[k];
		if (!it->requested)
			continue;
		for (size_t s = 0; s <= okra__result_n_segments(r); s++)
			for (size_t i = 0; i < okra__result_n_dates(r); i++)
				if ((s == 0 ||
				     shows(r, it->m,
				           okra__result_segment_attr(r, s))) &&
				    is_small(r, it->metric, s, i))
					return true;
	}
	return false;
}

static void small_note(okra_buf *b, bool color)
{
	okra__buf_printf(b,
	                 "%s* a small sample: fewer than %d in its "
	                 "denominator, so read its changes with care%s\n",
	                 color ? "\033[2m" : "", OKRA_SMALL_SAMPLE,
	                 color ? "\033[0m" : "");
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

static bool text_metrics(const okra_result *r, bool color, okra_buf *b)
{
	const okra_workspace *ws = r->ws;
	char day[11];
	okra__format_date(okra__result_date(r, 0), day);
	okra__buf_printf(b, "as of %s", day);
	write_pin(b, r);
	write_compare(b, r);
	okra__buf_puts(b, "\n\n");
	table t;
	layout l = {.marks = any_small(r), .compare = r->compare != NULL};
	if (!layout_columns(&t, &l, "metric")) {
		table_free(&t);
		return false;
	}
	for (size_t k = 0; k < r->plan.n_items; k++) {
		const okra_plan_item *it = &r->plan.items[k];
		if (!it->requested)
			continue;
		int mi = it->metric;
		const okra_metric *m = &ws->metrics[mi];
		value_row(&t, &l, r, mi, 0, 0, m->id, true);
		for (size_t s = 0; s < okra__result_n_steps(r, mi); s++) {
			tcell *row = table_row(&t, false);
			if (!row)
				break;
			snprintf(row[0].text, sizeof(row[0].text),
			         "  step %zu %s", s + 1,
			         m->steps[s].n_events ? m->steps[s].events[0]
			                              : "");
			human_cell(&row[l.c_value], m, false,
			           okra__result_step(r, mi, s, 0));
		}
		for (size_t j = 0; j < r->seg.n_attrs; j++) {
			const okra_segment_attr *at = &r->seg.attrs[j];
			if (!shows(r, m, at))
				continue;
			for (size_t s = at->first + 1; s <= at->first + at->n;
			     s++) {
				char label[160];
				snprintf(label, sizeof(label), "  %s=%s",
				         at->name, okra__result_segment(r, s));
				value_row(&t, &l, r, mi, s, 0, label, false);
			}
		}
	}
	bool ok = !t.failed;
	if (ok)
		table_write(b, &t, color);
	if (ok && l.marks)
		small_note(b, color);
	if (ok)
		incomplete_note(r, 0, b);
	table_free(&t);
	return ok;
}

static bool text_series(const okra_result *r, int mi, bool color, okra_buf *b)
{
	const okra_metric *m = &r->ws->metrics[mi];
	bool is_count = okra__result_is_count(r, mi);
	size_t nd = okra__result_n_dates(r), S = okra__result_n_segments(r);
	okra__buf_printf(b, "%s by %s", m->id, grain_names[r->grain]);
	write_pin(b, r);
	write_compare(b, r);
	okra__buf_puts(b, "\n\n");
	/* Columns: date, all (a small-sample mark; with the comparison: vs,
	 * then, change), then one per segment shown ("tier=pro"). */
	bool marks = false;
	for (size_t i = 0; i < nd && !marks; i++)
		marks = is_small(r, mi, 0, i);
	size_t *rows = malloc((S + 1) * sizeof(*rows));
	char **heads = calloc(S + 1, sizeof(*heads));
	size_t n_seg = 0;
	for (size_t j = 0; rows && heads && j < r->seg.n_attrs; j++) {
		const okra_segment_attr *at = &r->seg.attrs[j];
		if (!shows(r, m, at))
			continue;
		for (size_t s = at->first; s < at->first + at->n; s++) {
			rows[n_seg] = s + 1;
			heads[n_seg++] = okra__arena_printf(
			    (okra_arena *)&r->arena, "%s=%s", at->name,
			    okra__result_segment(r, s + 1));
		}
	}
	table t;
	bool ok = rows && heads &&
	          table_init(&t, 2 + marks + 3 * (r->compare != NULL) + n_seg);
	size_t k = 0, c_mark = 0, c_vs = 0, c_seg = 0;
	if (ok) {
		t.head[k++] = "date";
		t.head[k] = "value";
		t.right[k++] = true;
		if (marks)
			c_mark = k++;
		if (r->compare) {
			c_vs = k;
			t.head[k++] = "vs";
			t.head[k] = "then";
			t.right[k++] = true;
			t.head[k++] = "change";
		}
		c_seg = k;
		for (size_t s = 0; s < n_seg; s++) {
			t.head[k] = heads[s] ? heads[s] : "";
			t.right[k++] = true;
		}
	}
	for (size_t i = 0; ok && i < nd; i++) {
		bool small = marks && is_small(r, mi, 0, i);
		tcell *row = table_row(&t, small);
		if (!row)
			break;
		okra__format_date(okra__result_date(r, i), row[0].text);
		human_cell(&row[1], m, is_count, okra__result_at(r, mi, 0, i));
		if (small)
			snprintf(row[c_mark].text, sizeof(row[c_mark].text),
			         "*");
		change ch;
		if (r->compare && change_at(r, mi, 0, i, &ch)) {
			okra__format_date(ch.day, row[c_vs].text);
			human_cell(&row[c_vs + 1], m, is_count, ch.then);
			change_cell(&row[c_vs + 2], m, is_count, &ch);
		}
		for (size_t s = 0; s < n_seg; s++)
			human_cell(&row[c_seg + s], m, is_count,
			           okra__result_at(r, mi, rows[s], i));
	}
	ok = ok && !t.failed;
	if (ok) {
		table_write(b, &t, color);
		if (marks)
			small_note(b, color);
	}
	if (rows && heads)
		table_free(&t);
	free(rows);
	free(heads);
	return ok;
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

/* {"num":n,"den":d} */
static void json_sample_of(okra_buf *b, double num, double den)
{
	okra__buf_puts(b, "{\"num\":");
	okra__json_number(b, true, num);
	okra__buf_puts(b, ",\"den\":");
	okra__json_number(b, true, den);
	okra__buf_putc(b, '}');
}

static void seg_sample(okra_buf *b, const okra_result *r, int mi, size_t row)
{
	double num = NAN, den = NAN;
	okra__result_sample(r, mi, row, 0, &num, &den);
	json_sample_of(b, num, den);
}

/* Opens "{"asof","value","change","change_rel"[,"sample"]" of (s, i) and
 * returns true (the caller closes it), or writes null. */
static bool json_compare_open(okra_buf *b, const okra_result *r, int mi,
                              size_t s, size_t i)
{
	change ch;
	if (!change_at(r, mi, s, i, &ch)) {
		okra__buf_puts(b, "null");
		return false;
	}
	bool is_count = okra__result_is_count(r, mi);
	char day[11];
	okra__format_date(ch.day, day);
	okra__buf_printf(b, "{\"asof\":\"%s\",\"value\":", day);
	okra__json_number(b, is_count, ch.then);
	okra__buf_puts(b, ",\"change\":");
	okra__json_number(b, is_count, ch.change);
	okra__buf_puts(b, ",\"change_rel\":");
	okra__json_number(b, false, ch.rel);
	double num, den;
	if (okra__result_compare_sample(r, mi, s, i, &num, &den)) {
		okra__buf_puts(b, ",\"sample\":");
		json_sample_of(b, num, den);
	}
	return true;
}

static void seg_compare(okra_buf *b, const okra_result *r, int mi, size_t row)
{
	if (json_compare_open(b, r, mi, row, 0))
		okra__buf_putc(b, '}');
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
		double num, den;
		if (okra__result_sample(r, mi, 0, 0, &num, &den)) {
			okra__buf_puts(b, ",\"sample\":");
			json_sample_of(b, num, den);
			if (json_attrs(b, r, mi, ",\"segment_samples\":{",
			               seg_sample))
				okra__buf_putc(b, '}');
		}
		okra__buf_puts(b, r->compare ? ",\"compare\":" : "");
		if (r->compare && json_compare_open(b, r, mi, 0, 0)) {
			okra__buf_puts(b, ",\"segments\":{");
			json_attrs(b, r, mi, "", seg_compare);
			okra__buf_puts(b, "}}");
		}
		okra__buf_putc(b, '}');
	}
	okra__buf_puts(b, "\n]}\n");
}

/* A point of a series: {"date","value"[,"sample"][,"compare"]}. */
static void json_point(okra_buf *b, const okra_result *r, int mi, size_t seg,
                       size_t i)
{
	char day[11];
	okra__format_date(okra__result_date(r, i), day);
	okra__buf_printf(b, "{\"date\":\"%s\",\"value\":", day);
	okra__json_number(b, okra__result_is_count(r, mi),
	                  okra__result_at(r, mi, seg, i));
	if (!okra__result_complete(r, mi, i))
		okra__buf_puts(b, ",\"complete\":false");
	double num, den;
	if (okra__result_sample(r, mi, seg, i, &num, &den)) {
		okra__buf_puts(b, ",\"sample\":");
		json_sample_of(b, num, den);
	}
	if (r->compare) {
		okra__buf_puts(b, ",\"compare\":");
		if (json_compare_open(b, r, mi, seg, i))
			okra__buf_putc(b, '}');
	}
	okra__buf_putc(b, '}');
}

static void json_points(okra_buf *b, const okra_result *r, int mi, size_t seg)
{
	okra__buf_putc(b, '[');
	for (size_t i = 0; i < okra__result_n_dates(r); i++) {
		okra__buf_puts(b, i ? "," : "");
		json_point(b, r, mi, seg, i);
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
	/* "segments" only when the metric is segmented: the series object
	 * is {id, grain, points}. */
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

/* JSON has one shape whatever the number of metrics: {"series": [...]}
 * with one {id, grain, unit, points[, segments]} per metric. */
static bool write_series(const okra_result *r, bool json, bool color,
                         okra_buf *b)
{
	int *ids = malloc((r->plan.n_items + 1) * sizeof(*ids));
	if (!ids)
		return false;
	size_t n = requested(r, ids);
	bool ok = true;
	if (json)
		okra__buf_puts(b, "{\"series\":[");
	for (size_t i = 0; i < n && ok; i++) {
		if (json) {
			okra__buf_puts(b, i ? ",\n" : "\n");
			json_series(r, ids[i], b);
		} else {
			okra__buf_puts(b, i ? "\n" : "");
			ok = text_series(r, ids[i], color, b);
		}
	}
	if (json)
		okra__buf_puts(b, "\n]}\n");
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

/* One row a metric, date and segment: a column per segmented attribute
 * (the segment's value in its own column, empty on the total), the
 * value, its unit and n, the sample size behind a share or mean (empty
 * without one); with a comparison, the earlier day, value and the
 * change. */
static void csv_result(const okra_result *r, okra_buf *b)
{
	okra__buf_puts(b, "metric,date");
	for (size_t j = 0; j < r->seg.n_attrs; j++) {
		okra__buf_putc(b, ',');
		csv_str(b, r->seg.attrs[j].name);
	}
	okra__buf_puts(b, ",value,unit,n");
	okra__buf_puts(b, r->compare ? ",compare_date,compare_value,change,"
	                               "change_rel\n"
	                             : "\n");
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
				okra__buf_printf(b, ",%s", day);
				for (size_t j = 0; j < r->seg.n_attrs; j++) {
					okra__buf_putc(b, ',');
					if (at == &r->seg.attrs[j])
						csv_str(b, okra__result_segment(
						               r, s));
				}
				okra__buf_putc(b, ',');
				csv_number(b, is_count,
				           okra__result_at(r, mi, s, i));
				okra__buf_putc(b, ',');
				csv_str(b, unit_name(m->unit));
				okra__buf_putc(b, ',');
				csv_number(b, true, sample_n(r, mi, s, i));
				change ch;
				if (r->compare && change_at(r, mi, s, i, &ch)) {
					okra__format_date(ch.day, day);
					okra__buf_printf(b, ",%s,", day);
					csv_number(b, is_count, ch.then);
					okra__buf_putc(b, ',');
					csv_number(b, is_count, ch.change);
					okra__buf_putc(b, ',');
					csv_number(b, false, ch.rel);
				} else if (r->compare) {
					okra__buf_puts(b, ",,,,");
				}
				okra__buf_putc(b, '\n');
			}
		}
	}
}

okra_rc okra_result_print(const okra_result *r, okra_format format, bool color,
                          FILE *out, okra_err *err)
{
	okra_buf b = {0};
	bool ok = true;
	switch (format) {
	case OKRA_FORMAT_JSON:
		if (r->is_series)
			ok = write_series(r, true, false, &b);
		else
			json_metrics(r, &b);
		break;
	case OKRA_FORMAT_CSV:
		csv_result(r, &b);
		break;
	default:
		ok = r->is_series ? write_series(r, false, color, &b)
		                  : text_metrics(r, color, &b);
	}
	b.failed |= !ok;
	return okra__buf_write(&b, out, err);
}

okra_rc okra_result_write(const okra_result *r, okra_format format, FILE *out,
                          okra_err *err)
{
	return okra_result_print(r, format, false, out, err);
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

/* Every cent, whatever the workspace's compact setting: a bridge is read
 * to check that each month adds up. */
static bool bridge_text(const okra_bridge *b, const okra_metric *metric,
                        okra_buf *out)
{
	okra_money full = {.symbol =
	                       metric->money ? metric->money->symbol : NULL,
	                   .full = true};
	okra_metric copy = *metric;
	copy.money = &full;
	const okra_metric *m = &copy;
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
		okra__buf_pad(out, bridge_columns[k], width[k], true);
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
			okra__buf_pad(out, cell.data ? cell.data : "", width[k],
			              true);
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
	buf.failed |= !ok;
	return okra__buf_write(&buf, out, err);
}
