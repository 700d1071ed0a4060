/*
 * review_text.c - the review as text (and the one-line-per-KR status) and
 * as markdown, and the summary of both (what needs attention).  Reads the
 * review that review/ built; computes nothing.
 *
 * Text and markdown share one table model: rows of cells, printed aligned
 * (text) or as pipe tables (markdown).  Lights always carry a symbol and
 * a word, so they read without colour.  Lint findings are a count and a
 * pointer to okra lint, never part of the narrative.
 */
#include "render/review.h"

#include "render/experiment.h"
#include "model/format.h"

#include <math.h>
#include <string.h>

static const char *const light_icons[OKRA_LIGHT_COUNT] = {
    "–", "●", "▲", "■", "✓", "○",
};
static const char *const light_colors[OKRA_LIGHT_COUNT] = {
    "\033[2m", "\033[32m", "\033[33m", "\033[31m", "\033[1;32m", "\033[2m",
};

#define COLOR_OFF "\033[0m"

/* ---------------------------------------------------------------------
 * Small pieces
 * --------------------------------------------------------------------- */

static const char *day_str(okra_arena *a, int32_t day)
{
	char s[11];
	if (day < 0)
		return "-";
	okra__format_date(day, s);
	return okra__arena_strdup(a, s);
}

static const char *light_str(okra_arena *a, okra_light l, bool color)
{
	if (color)
		return okra__arena_printf(a, "%s%s %s" COLOR_OFF,
		                          light_colors[l], light_icons[l],
		                          okra__light_names[l]);
	return okra__arena_printf(a, "%s %s", light_icons[l],
	                          okra__light_names[l]);
}

/* ▁▂▃▄▅▆▇█ scaled to the series' own range; a space for null. */
static const char *sparkline(okra_arena *a, const double *v, size_t n)
{
	static const char *const bars[] = {"▁", "▂", "▃", "▄",
	                                   "▅", "▆", "▇", "█"};
	double lo = INFINITY, hi = -INFINITY;
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i])) {
			lo = v[i] < lo ? v[i] : lo;
			hi = v[i] > hi ? v[i] : hi;
		}
	okra_buf b = {0};
	for (size_t i = 0; i < n; i++) {
		if (isnan(v[i]))
			okra__buf_putc(&b, ' ');
		else if (hi <= lo)
			okra__buf_puts(&b, bars[3]);
		else
			okra__buf_puts(
			    &b, bars[(int)lround((v[i] - lo) / (hi - lo) * 7)]);
	}
	return okra__arena_take(a, &b);
}

static const char *score_str(okra_arena *a, double s)
{
	return isnan(s) ? "-" : okra__arena_printf(a, "%.2f", s);
}

static const char *pct_str(okra_arena *a, double p)
{
	return isnan(p) ? "-" : okra__arena_printf(a, "%.0f%%", p * 100);
}

const char *okra__kr_value(okra_arena *a, const okra_kr_eval *k, double v)
{
	return k->metric ? okra__fmt(a, k->metric, k->is_count, v) : "-";
}

#define kr_value okra__kr_value

static const char *kr_name(okra_arena *a, const okra_kr_eval *k)
{
	return k->pin ? okra__arena_printf(a, "%s [%s]", k->kr->id, k->pin)
	              : k->kr->id;
}

static const char *forecast_str(okra_arena *a, const okra_kr_eval *k)
{
	if (!k->forecast.ok)
		return "-";
	return okra__arena_printf(
	    a, "%s (%s .. %s)", kr_value(a, k, k->forecast.value),
	    kr_value(a, k, k->forecast.lo), kr_value(a, k, k->forecast.hi));
}

static const char *change_str(okra_arena *a, const okra_kr_eval *k)
{
	if (!k->has_prev || !k->metric)
		return "new";
	const char *d = isnan(k->current) || isnan(k->prev_value)
	                    ? "-"
	                    : okra__fmt_delta(a, k->metric, k->is_count,
	                                      k->current - k->prev_value);
	if (k->prev_light != k->light)
		return okra__arena_printf(a, "%s, was %s", d,
		                          okra__light_names[k->prev_light]);
	return d;
}

/* "milestone, due 2026-11-30" or "milestone, done 2026-11-20". */
static const char *milestone_str(okra_arena *a, const okra_kr_eval *k)
{
	if (k->done_on >= 0)
		return okra__arena_printf(a, "milestone, done %s",
		                          day_str(a, k->done_on));
	if (k->due >= 0)
		return okra__arena_printf(a, "milestone, due %s",
		                          day_str(a, k->due));
	return "milestone";
}

/* "28%, off track": P(hit) and the outlook it gives. */
static const char *phit_str(okra_arena *a, const okra_kr_eval *k)
{
	if (k->outlook == OKRA_OUTLOOK_NONE)
		return pct_str(a, k->forecast.prob);
	static const char *const words[] = {"", "on track", "at risk",
	                                    "off track"};
	return okra__arena_printf(a, "%s, %s", pct_str(a, k->forecast.prob),
	                          words[k->outlook]);
}

/* The notes under a key result: graded on an earlier day than the
 * review's (the data ends), provisional, or a light and an outlook that
 * disagree, with why.  NULL when there is nothing to say. */
static const char *kr_note(okra_arena *a, const okra_review *r,
                           const okra_kr_eval *k)
{
	okra_buf b = {0};
	if (k->metric && k->value_date != r->asof &&
	    !(k->q1 >= 0 && k->value_date == k->q1 && r->asof > k->q1))
		okra__buf_printf(&b, "as of %s, the last day with data",
		                 day_str(a, k->value_date));
	if (k->provisional)
		okra__buf_printf(&b, "%sprovisional: the quarter ended on %s",
		                 b.len ? "; " : "", day_str(a, k->q1));
	if (k->why)
		okra__buf_printf(&b, "%s%s", b.len ? "; " : "", k->why);
	const char *s = b.len ? okra__arena_strdup(a, b.data) : NULL;
	okra__buf_free(&b);
	return s;
}

static const char *confidence_str(okra_arena *a, const okra_kr_eval *k)
{
	return k->confidence < 0
	           ? "-"
	           : okra__arena_printf(a, "%d/10", k->confidence);
}

/* ---------------------------------------------------------------------
 * Tables
 * --------------------------------------------------------------------- */

#define MAX_COLS 12

typedef struct table {
	size_t cols, rows, cap;
	const char **cells;   /* rows * cols, row 0 the header */
	bool right[MAX_COLS]; /* right-aligned (numbers) */
} table;

static void table_row(table *t, okra_arena *a, const char *const *cells)
{
	const char **c = okra__arena_grow(a, t->cells, &t->cap, t->rows,
	                                  t->cols * sizeof(*c), 16);
	if (!c)
		return;
	t->cells = c;
	for (size_t i = 0; i < t->cols; i++)
		t->cells[t->rows * t->cols + i] = cells[i] ? cells[i] : "";
	t->rows++;
}

static void pad(okra_buf *b, size_t n)
{
	while (n--)
		okra__buf_putc(b, ' ');
}

static void table_text(const table *t, const char *indent, okra_buf *b)
{
	size_t w[MAX_COLS] = {0};
	for (size_t r = 0; r < t->rows; r++)
		for (size_t c = 0; c < t->cols; c++) {
			size_t x = okra__text_width(t->cells[r * t->cols + c]);
			w[c] = x > w[c] ? x : w[c];
		}
	for (size_t r = 0; r < t->rows; r++) {
		okra_buf line = {0};
		okra__buf_puts(&line, indent);
		for (size_t c = 0; c < t->cols; c++) {
			const char *s = t->cells[r * t->cols + c];
			size_t gap = w[c] - okra__text_width(s);
			if (c)
				okra__buf_puts(&line, "  ");
			bool right =
			    t->right[c]; /* numbers and their heading */
			if (right)
				pad(&line, gap);
			okra__buf_puts(&line, s);
			if (!right && c + 1 < t->cols)
				pad(&line, gap);
		}
		while (line.len && line.data[line.len - 1] == ' ')
			line.data[--line.len] = '\0';
		okra__buf_putc(&line, '\n');
		okra__buf_cat(b, &line);
	}
}

static void md_cell(okra_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			okra__buf_puts(b, "\\|");
		else if (*s == '\n')
			okra__buf_putc(b, ' ');
		else
			okra__buf_putc(b, *s);
	}
}

static void table_md(const table *t, okra_buf *b)
{
	for (size_t r = 0; r < t->rows; r++) {
		okra__buf_puts(b, "|");
		for (size_t c = 0; c < t->cols; c++) {
			okra__buf_putc(b, ' ');
			md_cell(b, t->cells[r * t->cols + c]);
			okra__buf_puts(b, " |");
		}
		okra__buf_putc(b, '\n');
		if (r == 0) {
			okra__buf_puts(b, "|");
			for (size_t c = 0; c < t->cols; c++)
				okra__buf_puts(b, t->right[c] ? " ---: |"
				                              : " --- |");
			okra__buf_putc(b, '\n');
		}
	}
}

/* The key results of an objective: the "where are we" table.  The change
 * since the last review is a column of its own once there is one, beside
 * the confidence. */
static void kr_table(const okra_review *r, const okra_obj_eval *o,
                     okra_arena *a, bool color, table *t)
{
	*t = (table){.cols = r->has_prev ? 12 : 11};
	for (int c = 2; c <= 9; c++)
		t->right[c] = true;
	const char *head[MAX_COLS] = {
	    "key result", "status", "baseline",       "current", "expected",
	    "target",     "score",  "forecast (80%)", "P(hit)",  "confidence"};
	size_t c = 10;
	if (r->has_prev) {
		head[9] = "since last";
		head[c++] = "confidence";
		t->right[10] = true;
	}
	head[c] = "last 8 weeks";
	table_row(t, a, head);
	for (size_t j = 0; j < o->n_krs; j++) {
		const okra_kr_eval *k = &o->krs[j];
		const char *row[MAX_COLS] = {kr_name(a, k),
		                             light_str(a, k->light, color),
		                             kr_value(a, k, k->baseline),
		                             kr_value(a, k, k->current),
		                             kr_value(a, k, k->expected),
		                             kr_value(a, k, k->target),
		                             score_str(a, k->score),
		                             forecast_str(a, k),
		                             phit_str(a, k),
		                             confidence_str(a, k)};
		c = 10;
		if (r->has_prev) {
			row[9] = change_str(a, k);
			row[c++] = confidence_str(a, k);
		}
		row[c] = sparkline(a, k->spark, k->n_spark);
		table_row(t, a, row);
	}
}

static void dash_table(const okra_dash_row *rows, size_t n, okra_arena *a,
                       bool color, table *t)
{
	*t = (table){.cols = 5};
	t->right[1] = t->right[2] = true;
	table_row(
	    t, a,
	    (const char *[]){"metric", "current", "target", "status", "trend"});
	for (size_t i = 0; i < n; i++) {
		const okra_dash_row *d = &rows[i];
		table_row(
		    t, a,
		    (const char *[]){
		        d->metric->title ? d->metric->title : d->metric->id,
		        okra__fmt(a, d->metric, d->is_count, d->current),
		        okra__fmt(a, d->metric, d->is_count, d->target),
		        isnan(d->target) ? "-" : light_str(a, d->light, color),
		        sparkline(a, d->spark, d->n_spark)});
	}
}

/* "2026-Q4, day 54 of 92 (59%)" for the first objective's quarter. */
static const char *quarter_line(okra_arena *a, const okra_review *r)
{
	for (size_t i = 0; i < r->n_objectives; i++) {
		const okra_objective *o = r->objectives[i].obj;
		if (!o->has_quarter)
			continue;
		int32_t len = o->quarter.last - o->quarter.first + 1;
		int32_t day = r->asof - o->quarter.first + 1;
		day = day < 0 ? 0 : day > len ? len : day;
		return okra__arena_printf(a, "%d-Q%d, day %d of %d (%.0f%%)",
		                          o->quarter.year, o->quarter.q, day,
		                          len, 100.0 * day / len);
	}
	return NULL;
}

/* ---------------------------------------------------------------------
 * Shared by every format (render/review.h)
 * --------------------------------------------------------------------- */

const char *okra__kr_detail(okra_arena *a, const okra_kr_eval *k)
{
	const char *detail =
	    k->kr->kind == OKRA_KR_MOVE
	        ? okra__arena_printf(a, "expected %s, target %s",
	                             kr_value(a, k, k->expected),
	                             kr_value(a, k, k->target))
	    : k->kr->kind == OKRA_KR_MILESTONE
	        ? milestone_str(a, k)
	        : okra__arena_printf(a, "%s %s",
	                             k->kr->kind == OKRA_KR_STAY_ABOVE
	                                 ? "stay above"
	                                 : "stay below",
	                             kr_value(a, k, k->target));
	static const char *const words[] = {"", "", "at risk", "off track"};
	if (k->outlook >= OKRA_OUTLOOK_AT_RISK && k->light != OKRA_LIGHT_RED)
		return okra__arena_printf(a, "%s, %s", detail,
		                          words[k->outlook]);
	if (k->disagrees)
		return okra__arena_printf(a, "%s, on track", detail);
	return detail;
}

bool okra__kr_attention(const okra_kr_eval *k)
{
	switch (k->light) {
	case OKRA_LIGHT_RED:
	case OKRA_LIGHT_YELLOW:
	case OKRA_LIGHT_NO_DATA:
		return true;
	case OKRA_LIGHT_GREEN:
		return k->outlook >= OKRA_OUTLOOK_AT_RISK;
	default:
		return false;
	}
}

size_t okra__review_suggestions(const okra_review *r,
                                const okra_suggestion **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n_suggestions; i++)
		if (r->suggestions[i].kind != OKRA_SUGGEST_LINT) {
			if (n < max)
				out[n] = &r->suggestions[i];
			n++;
		}
	return n;
}

void okra__lint_counts(const okra_review *r, okra_buf *b)
{
	size_t e = okra_findings_count_severity(r->findings, OKRA_ERROR);
	size_t w = okra_findings_count_severity(r->findings, OKRA_WARNING);
	size_t i = okra_findings_count_severity(r->findings, OKRA_INFO);
	size_t s =
	    okra_findings_suppressed(r->findings, OKRA_SUPPRESSED_DISABLE) +
	    okra_findings_suppressed(r->findings, OKRA_SUPPRESSED_IGNORE);
	okra__buf_printf(b, "%zu error%s, %zu warning%s, %zu info%s", e,
	                 e == 1 ? "" : "s", w, w == 1 ? "" : "s", i,
	                 i == 1 ? "" : "s");
	if (s)
		okra__buf_printf(b, "; %zu suppressed", s);
}

const char *okra__quarter_line(okra_arena *a, const okra_review *r)
{
	return quarter_line(a, r);
}

/* ---------------------------------------------------------------------
 * Status: one line per key result
 * --------------------------------------------------------------------- */

void okra__status_text(const okra_review *r, bool color, okra_buf *b)
{
	okra_arena a = {0};
	const char *q = quarter_line(&a, r);
	okra__buf_printf(b, "as of %s%s%s\n", day_str(&a, r->asof),
	                 q ? ", " : "", q ? q : "");
	if (r->data_last >= 0 && r->asof > r->data_last)
		okra__buf_printf(b, "note: the data ends on %s\n",
		                 day_str(&a, r->data_last));
	size_t counts[OKRA_LIGHT_COUNT] = {0};
	for (size_t i = 0; i < r->n_objectives; i++) {
		const okra_obj_eval *o = &r->objectives[i];
		okra__buf_printf(
		    b, "\n%s%s%s  score %s  (%s)\n", color ? "\033[1m" : "",
		    o->obj->id, color ? COLOR_OFF : "", score_str(&a, o->score),
		    o->obj->team.id ? o->obj->team.id : "no team");
		table t = {.cols = 6};
		t.right[2] = t.right[4] = true;
		for (size_t j = 0; j < o->n_krs; j++) {
			const okra_kr_eval *k = &o->krs[j];
			counts[k->light]++;
			const char *detail = okra__kr_detail(&a, k);
			table_row(
			    &t, &a,
			    (const char *[]){
			        light_str(&a, k->light, color), kr_name(&a, k),
			        kr_value(&a, k, k->current), detail,
			        okra__arena_printf(&a, "score %s",
			                           score_str(&a, k->score)),
			        k->confidence >= 0
			            ? okra__arena_printf(&a, "confidence %d/10",
			                                 k->confidence)
			            : ""});
		}
		table_text(&t, "  ",
		           b); /* no heading: a list, like git status */
		for (size_t j = 0; j < o->n_krs; j++) {
			const char *note = kr_note(&a, r, &o->krs[j]);
			if (note)
				okra__buf_printf(b, "  %s: %s\n",
				                 o->krs[j].kr->id, note);
		}
		if (o->n_no_data)
			okra__buf_printf(
			    b, "  %zu key result%s without data counted as 0\n",
			    o->n_no_data, o->n_no_data == 1 ? "" : "s");
	}
	okra__buf_printf(b,
	                 "\n%zu key result%s: %zu green, %zu yellow, %zu red, "
	                 "%zu done, %zu no data",
	                 r->n_krs, r->n_krs == 1 ? "" : "s",
	                 counts[OKRA_LIGHT_GREEN], counts[OKRA_LIGHT_YELLOW],
	                 counts[OKRA_LIGHT_RED], counts[OKRA_LIGHT_DONE],
	                 counts[OKRA_LIGHT_NO_DATA]);
	if (counts[OKRA_LIGHT_OPEN])
		okra__buf_printf(b, ", %zu open", counts[OKRA_LIGHT_OPEN]);
	okra__buf_putc(b, '\n');
	if (a.failed)
		b->failed = true; /* a string ran out of memory */
	okra__arena_free(&a);
}

/* ---------------------------------------------------------------------
 * The review as text and markdown
 * --------------------------------------------------------------------- */

typedef struct out {
	okra_buf *b;
	okra_arena a;
	bool md, color;
} out;

/* A heading, after a blank line unless it opens the review. */
static void heading(out *o, int level, const char *text)
{
	const char *gap = o->b->len ? "\n" : "";
	if (o->md) {
		okra__buf_printf(o->b, "%s%.*s %s\n", gap, level, "###", text);
		return;
	}
	okra__buf_printf(o->b, "%s%s%s%s\n", gap, o->color ? "\033[1m" : "",
	                 text, o->color ? COLOR_OFF : "");
	if (level <= 2) {
		size_t w = okra__text_width(text);
		while (w--)
			okra__buf_putc(o->b, level == 1 ? '=' : '-');
		okra__buf_putc(o->b, '\n');
	}
}

static void table_out(out *o, const table *t)
{
	if (o->md)
		table_md(t, o->b);
	else
		table_text(t, "  ", o->b);
}

static void bullet(out *o, const char *text)
{
	okra__buf_printf(o->b, "%s%s\n", o->md ? "- " : "  - ", text);
}

static void where_are_we(out *o, const okra_review *r)
{
	heading(o, 2, "1. Where are we?");
	for (size_t i = 0; i < r->n_objectives; i++) {
		const okra_obj_eval *oe = &r->objectives[i];
		const okra_objective *obj = oe->obj;
		okra__buf_printf(o->b,
		                 o->md ? "\n### %s — %s\n\n" : "\n%s — %s\n",
		                 obj->id, obj->title.text);
		okra__buf_printf(
		    o->b, "%steam %s, %s, score %s\n\n", o->md ? "" : "  ",
		    obj->team.id ? obj->team.id : "none",
		    obj->has_quarter
		        ? okra__arena_printf(&o->a, "%d-Q%d", obj->quarter.year,
		                             obj->quarter.q)
		        : "no quarter",
		    score_str(&o->a, oe->score));
		table t;
		kr_table(r, oe, &o->a, o->color && !o->md, &t);
		table_out(o, &t);
		bool any = false;
		for (size_t j = 0; j < oe->n_krs; j++) {
			const char *note = kr_note(&o->a, r, &oe->krs[j]);
			if (!note)
				continue;
			if (!any && o->md)
				okra__buf_putc(o->b, '\n');
			any = true;
			bullet(o, okra__arena_printf(&o->a, "%s: %s",
			                             oe->krs[j].kr->id, note));
		}
		if (oe->n_no_data)
			okra__buf_printf(
			    o->b,
			    "%s%s%zu key result%s without data counted as 0 in "
			    "the score\n",
			    o->md && !any ? "\n" : "", o->md ? "" : "  ",
			    oe->n_no_data, oe->n_no_data == 1 ? "" : "s");
	}
}

/* One experiment of "what did we learn": its readout in one sentence,
 * the guardrails, the team's decision when it differs, and the forecast
 * if the winner ships. */
static void learned_lines(out *o, const okra_review *r,
                          const okra_exp_learned *l)
{
	okra_buf t = {0};
	okra__buf_printf(&t, "%s", l->x->id);
	if (!l->r) {
		okra__buf_printf(&t, ": cannot be read out: %s", l->error);
		bullet(o, t.data);
		okra__buf_free(&t);
		return;
	}
	const okra_exp_readout *x = l->r;
	okra__buf_puts(&t, " (");
	okra__exp_status(x, &t);
	okra__buf_puts(&t, "): ");
	okra__exp_sentence(x, true, &t);
	if (x->srm_flagged)
		okra__buf_puts(&t, "; sample ratio mismatch");
	size_t worse = 0;
	for (size_t g = 0; g < x->n_guardrails; g++)
		worse += x->guardrails[g].worse;
	if (x->n_guardrails) {
		okra__buf_printf(&t, "; guardrails: ");
		if (!worse)
			okra__buf_puts(&t, "none worse");
		for (size_t g = 0, k = 0; g < x->n_guardrails; g++)
			if (x->guardrails[g].worse)
				okra__buf_printf(&t, "%s%s worse (%s)",
				                 k++ ? ", " : "",
				                 x->guardrails[g].metric->id,
				                 x->guardrails[g].variant);
	}
	const char *rec = okra__exp_recorded_name(x);
	if (rec && strcmp(rec, okra__exp_decision_names[x->decision]) != 0) {
		char day[11];
		okra__format_date(x->recorded_day, day);
		okra__buf_printf(&t, "; the team decided %s on %s", rec, day);
	}
	bullet(o, t.data);
	if (l->has_ship) {
		t.len = 0;
		const okra_kr_eval *k = l->k;
		okra__buf_printf(&t,
		                 "%sif %s ships, the forecast for %s is %s (%s "
		                 ".. %s) instead of %s: ",
		                 o->md ? "  " : "    ", x->variants[1].name,
		                 day_str(&o->a, k->q1),
		                 kr_value(&o->a, k, l->ship_value),
		                 kr_value(&o->a, k, l->ship_lo),
		                 kr_value(&o->a, k, l->ship_hi),
		                 kr_value(&o->a, k, k->forecast.value));
		okra__exp_delta(k->metric, l->ship_shift, true, &t);
		okra__buf_printf(&t,
		                 ", the lift on the %.0f%% of the population "
		                 "not yet treated\n",
		                 l->ship_share_untreated * 100);
		okra__buf_puts(o->b, t.data);
	}
	okra__buf_free(&t);
}

static void what_did_we_learn(out *o, const okra_review *r)
{
	heading(o, 2, "2. What did we learn?");
	size_t hypotheses = 0, untested = 0, shown = 0;
	for (size_t i = 0; i < r->n_krs; i++) {
		const okra_kr_eval *k = &r->krs[i];
		size_t open = 0, n_hyp = 0, n_exp = 0;
		for (size_t h = 0; h < r->n_learnings; h++)
			if (r->learnings[h].kr == k->kr) {
				n_hyp++;
				open += !r->learnings[h].experiment;
			}
		for (size_t j = 0; j < r->n_learned; j++)
			n_exp += r->learned[j].k == k;
		hypotheses += n_hyp;
		untested += open;
		if (!n_exp && !open)
			continue;
		const char *untested_text =
		    open ? okra__arena_printf(&o->a,
		                              "%zu hypothes%s not yet tested",
		                              open, open == 1 ? "is" : "es")
		         : NULL;
		/* Nothing read out: one line for the key result. */
		if (!n_exp) {
			okra__buf_puts(o->b, shown++ ? "" : "\n");
			bullet(o, okra__arena_printf(
			              &o->a, "%s%s%s: %s", o->md ? "**" : "",
			              k->kr->id, o->md ? "**" : "",
			              untested_text));
			continue;
		}
		shown++;
		okra__buf_printf(o->b, "\n%s%s%s\n", o->md ? "**" : "  ",
		                 k->kr->id, o->md ? "**" : "");
		for (size_t j = 0; j < r->n_learned; j++)
			if (r->learned[j].k == k)
				learned_lines(o, r, &r->learned[j]);
		if (open)
			bullet(o, untested_text);
	}
	if (!hypotheses && !r->n_learned)
		okra__buf_printf(o->b,
		                 "\n%sNo key result states a hypothesis.\n",
		                 o->md ? "" : "  ");
	else
		okra__buf_printf(o->b,
		                 "\n%s%zu experiment%s read out since the last "
		                 "review; %zu of %zu hypotheses not yet "
		                 "tested.\n",
		                 o->md ? "" : "  ", r->n_learned,
		                 r->n_learned == 1 ? "" : "s", untested,
		                 hypotheses);
}

static void what_should_we_change(out *o, const okra_review *r)
{
	heading(o, 2, "3. What should we change?");
	okra__buf_putc(o->b, '\n');
	size_t shown = 0;
	for (size_t i = 0; i < r->n_suggestions; i++)
		if (r->suggestions[i].kind != OKRA_SUGGEST_LINT) {
			bullet(o, r->suggestions[i].text);
			shown++;
		}
	if (!shown)
		bullet(o, "Nothing: every key result is on track.");
}

static void dashboard(out *o, const okra_review *r)
{
	heading(o, 2, "Balanced dashboard");
	static const char *const names[] = {"Leading indicators (weekly)",
	                                    "Lagging indicators (monthly)"};
	const okra_dash_row *rows[] = {r->leading, r->lagging};
	size_t n[] = {r->n_leading, r->n_lagging};
	for (int i = 0; i < 2; i++) {
		okra__buf_printf(o->b, "\n%s%s\n\n", o->md ? "" : "  ",
		                 names[i]);
		if (!n[i]) {
			okra__buf_printf(o->b, "%snone\n", o->md ? "" : "  ");
			continue;
		}
		table t;
		dash_table(rows[i], n[i], &o->a, o->color && !o->md, &t);
		table_out(o, &t);
	}
}

/* "lint: 0 errors, 1 warning, 0 infos (okra lint for details)": the
 * findings are the linter's to show, not the review's. */
static void lint_line(okra_buf *b, const okra_review *r, bool md)
{
	okra__buf_puts(b, "\nlint: ");
	okra__lint_counts(r, b);
	bool any =
	    okra_findings_count(r->findings) ||
	    okra_findings_suppressed(r->findings, OKRA_SUPPRESSED_DISABLE) ||
	    okra_findings_suppressed(r->findings, OKRA_SUPPRESSED_IGNORE);
	okra__buf_puts(b, !any ? "\n"
	                  : md ? " (`okra lint` for details)\n"
	                       : " (okra lint for details)\n");
}

static void review_doc(const okra_review *r, bool md, bool color, okra_buf *b)
{
	out o = {.b = b, .md = md, .color = color};
	okra_arena *a = &o.a;
	const char *name = r->ws->settings.name ? r->ws->settings.name : "okra";
	const char *title = okra__arena_printf(a, "Weekly review: %s, as of %s",
	                                       name, day_str(a, r->asof));
	if (md)
		okra__buf_printf(b, "# %s\n", title);
	else
		heading(&o, 1, title);
	const char *q = quarter_line(a, r);
	okra__buf_printf(b, "\n%s%s%s", md ? "" : "", q ? q : "",
	                 r->team ? okra__arena_printf(a, "; team %s", r->team)
	                         : "");
	okra__buf_printf(b, "%sprevious review: %s\n", q || r->team ? "; " : "",
	                 r->has_prev ? day_str(a, r->prev_asof) : "none");
	if (r->data_last >= 0 && r->asof > r->data_last)
		okra__buf_printf(b,
		                 "%snote: the data ends on %s; key results are "
		                 "graded as of that day\n",
		                 md ? "\n" : "", day_str(a, r->data_last));
	if (r->n_late_checkins)
		okra__buf_printf(
		    b,
		    "%snote: %zu check-in%s after %s not included; "
		    "--asof %s shows %s\n",
		    md ? "\n" : "", r->n_late_checkins,
		    r->n_late_checkins == 1 ? "" : "s", day_str(a, r->asof),
		    day_str(a, r->late_checkin_last),
		    r->n_late_checkins == 1 ? "it" : "them");
	if (r->north_star) {
		const okra_metric *m = r->north_star;
		okra__buf_printf(b, "%snorth star: %s %s %s\n", md ? "\n" : "",
		                 m->title ? m->title : m->id,
		                 okra__fmt(a, m, r->ns_is_count, r->ns_current),
		                 sparkline(a, r->ns_spark, r->ns_n_spark));
	}
	where_are_we(&o, r);
	what_did_we_learn(&o, r);
	what_should_we_change(&o, r);
	dashboard(&o, r);
	lint_line(b, r, md);
	if (a->failed)
		b->failed = true; /* a string ran out of memory */
	okra__arena_free(a);
}

void okra__review_text(const okra_review *r, bool color, okra_buf *b)
{
	review_doc(r, false, color, b);
}

void okra__review_md(const okra_review *r, okra_buf *b)
{
	review_doc(r, true, false, b);
}

/* ---------------------------------------------------------------------
 * Status as markdown: a table per objective, to paste in a document
 * --------------------------------------------------------------------- */

/* "2 green, 1 yellow, 1 red, 0 done, 0 no data[, 1 open]" */
static void light_counts(okra_buf *b, const okra_review *r)
{
	size_t counts[OKRA_LIGHT_COUNT] = {0};
	for (size_t i = 0; i < r->n_krs; i++)
		counts[r->krs[i].light]++;
	okra__buf_printf(b,
	                 "%zu key result%s: %zu green, %zu yellow, %zu red, "
	                 "%zu done, %zu no data",
	                 r->n_krs, r->n_krs == 1 ? "" : "s",
	                 counts[OKRA_LIGHT_GREEN], counts[OKRA_LIGHT_YELLOW],
	                 counts[OKRA_LIGHT_RED], counts[OKRA_LIGHT_DONE],
	                 counts[OKRA_LIGHT_NO_DATA]);
	if (counts[OKRA_LIGHT_OPEN])
		okra__buf_printf(b, ", %zu open", counts[OKRA_LIGHT_OPEN]);
}

/* A key result as a person names it: its title, or its id. */
static const char *kr_title(const okra_kr_eval *k)
{
	return k->kr->title.text ? k->kr->title.text : k->kr->id;
}

void okra__status_md(const okra_review *r, okra_buf *b)
{
	okra_arena a = {0};
	const char *q = quarter_line(&a, r);
	okra__buf_printf(b, "**Status as of %s**%s%s\n", day_str(&a, r->asof),
	                 q ? ", " : "", q ? q : "");
	if (r->data_last >= 0 && r->asof > r->data_last)
		okra__buf_printf(b, "\nnote: the data ends on %s\n",
		                 day_str(&a, r->data_last));
	for (size_t i = 0; i < r->n_objectives; i++) {
		const okra_obj_eval *o = &r->objectives[i];
		okra__buf_printf(b, "\n**%s** — score %s (%s)\n\n",
		                 o->obj->title.text ? o->obj->title.text
		                                    : o->obj->id,
		                 score_str(&a, o->score),
		                 o->obj->team.id ? o->obj->team.id : "no team");
		table t = {.cols = 6};
		t.right[2] = t.right[4] = true;
		table_row(&t, &a,
		          (const char *[]){"status", "key result", "current",
		                           "expected, target", "score",
		                           "confidence"});
		for (size_t j = 0; j < o->n_krs; j++) {
			const okra_kr_eval *k = &o->krs[j];
			table_row(
			    &t, &a,
			    (const char *[]){
			        light_str(&a, k->light, false),
			        k->pin ? okra__arena_printf(&a, "%s (%s)",
			                                    kr_title(k), k->pin)
			               : kr_title(k),
			        kr_value(&a, k, k->current),
			        okra__kr_detail(&a, k), score_str(&a, k->score),
			        confidence_str(&a, k)});
		}
		table_md(&t, b);
		bool any = false;
		for (size_t j = 0; j < o->n_krs; j++) {
			const char *note = kr_note(&a, r, &o->krs[j]);
			if (note)
				okra__buf_printf(b, "%s- %s: %s\n",
				                 any ? "" : "\n",
				                 o->krs[j].kr->id, note);
			any |= note != NULL;
		}
		if (o->n_no_data)
			okra__buf_printf(
			    b, "\n%zu key result%s without data counted as 0\n",
			    o->n_no_data, o->n_no_data == 1 ? "" : "s");
	}
	okra__buf_putc(b, '\n');
	light_counts(b, r);
	okra__buf_putc(b, '\n');
	if (a.failed)
		b->failed = true;
	okra__arena_free(&a);
}

/* ---------------------------------------------------------------------
 * The summary: what needs attention, and the top suggestions
 * --------------------------------------------------------------------- */

#define TOP_SUGGESTIONS 3

static void summary_doc(const okra_review *r, bool md, bool color, okra_buf *b)
{
	okra_arena a = {0};
	const char *name = r->ws->settings.name ? r->ws->settings.name : "okra";
	const char *q = quarter_line(&a, r);
	okra__buf_printf(b, "%sSummary: %s, as of %s%s\n", md ? "## " : "",
	                 name, day_str(&a, r->asof),
	                 r->team ? okra__arena_printf(&a, ", team %s", r->team)
	                         : "");
	if (q)
		okra__buf_printf(b, "%s%s\n", md ? "\n" : "", q);
	if (r->data_last >= 0 && r->asof > r->data_last)
		okra__buf_printf(b,
		                 "%snote: the data ends on %s; key results are "
		                 "graded as of that day\n",
		                 md ? "\n" : "", day_str(&a, r->data_last));
	size_t n = 0;
	for (size_t i = 0; i < r->n_krs; i++)
		n += okra__kr_attention(&r->krs[i]);
	okra__buf_printf(b, "\n%sNeeds attention: %s of %zu key result%s\n%s",
	                 md ? "### " : "",
	                 n ? okra__arena_printf(&a, "%zu", n) : "none",
	                 r->n_krs, r->n_krs == 1 ? "" : "s", md ? "\n" : "");
	table t = {.cols = 5};
	t.right[2] = true;
	for (size_t i = 0; i < r->n_krs; i++) {
		const okra_kr_eval *k = &r->krs[i];
		if (!okra__kr_attention(k))
			continue;
		if (md) {
			okra__buf_printf(
			    b, "- %s · %s (`%s`%s%s): %s, %s\n",
			    light_str(&a, k->light, false), kr_title(k),
			    k->kr->id, k->pin ? ", " : "", k->pin ? k->pin : "",
			    kr_value(&a, k, k->current),
			    okra__kr_detail(&a, k));
			continue;
		}
		table_row(&t, &a,
		          (const char *[]){
		              light_str(&a, k->light, color), kr_name(&a, k),
		              kr_value(&a, k, k->current),
		              okra__kr_detail(&a, k),
		              okra__arena_printf(&a, "score %s",
		                                 score_str(&a, k->score))});
	}
	if (!md)
		table_text(&t, "  ", b);
	const okra_suggestion *top[TOP_SUGGESTIONS];
	size_t n_top = okra__review_suggestions(r, top, TOP_SUGGESTIONS);
	size_t shown = n_top < TOP_SUGGESTIONS ? n_top : TOP_SUGGESTIONS;
	okra__buf_printf(b, "\n%sTop suggestions%s\n%s", md ? "### " : "",
	                 shown ? "" : ": none", md && shown ? "\n" : "");
	for (size_t i = 0; i < shown; i++)
		okra__buf_printf(b, "%s%zu. %s\n", md ? "" : "  ", i + 1,
		                 top[i]->text);
	if (n_top > shown)
		okra__buf_printf(b, "%s%s%zu more in okra review\n",
		                 md ? "\n" : "", md ? "" : "  ", n_top - shown);
	lint_line(b, r, md);
	if (a.failed)
		b->failed = true;
	okra__arena_free(&a);
}

void okra__summary_text(const okra_review *r, bool color, okra_buf *b)
{
	summary_doc(r, false, color, b);
}

void okra__summary_md(const okra_review *r, okra_buf *b)
{
	summary_doc(r, true, false, b);
}
