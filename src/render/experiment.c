/*
 * experiment.c - experiment readouts as text and JSON, and the public
 * writers of okra.h (okra_experiment_write, okra_experiments_write).
 *
 * Reads okr/experiment.h's readout and computes nothing.  Numbers follow
 * the metric's unit: shares and their changes in points ("+4.8 pts"),
 * the rest as the metric's tables print them.  JSON numbers: counts as
 * integers, the rest %.17g, null for undefined.
 */
#include "render/experiment.h"

#include "model/format.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MINUS_U "\xe2\x88\x92"

/* ---------------------------------------------------------------------
 * Numbers
 * --------------------------------------------------------------------- */

static bool is_share(const okra_metric *m)
{
	return m->unit == OKRA_UNIT_PERCENT;
}

/* A value of m as its tables print it ("38.2%", "0.061", "2.35"). */
static void value(okra_buf *b, const okra_metric *m, double v)
{
	if (isnan(v)) {
		okra__buf_puts(b, "-");
		return;
	}
	if (m->unit == OKRA_UNIT_COUNT || m->unit == OKRA_UNIT_NONE) {
		if (fabs(v) >= 1000)
			okra__thousands(b, v);
		else
			okra__buf_printf(b, "%.3g", v);
		return;
	}
	okra__human(b, m, false, v);
}

static void sign(okra_buf *b, double d, bool ascii)
{
	okra__buf_puts(b, d < 0 ? (ascii ? "-" : MINUS_U) : "+");
}

/* A signed change; bare drops the unit word (" pts", " h"), as the bounds
 * of an interval do after the value that names it. */
static void delta(const okra_metric *m, double d, bool ascii, bool bare,
                  okra_buf *b)
{
	if (isnan(d)) {
		okra__buf_puts(b, "-");
		return;
	}
	/* Rounded to what is shown, so -0.04 pts reads +0.0. */
	double a = fabs(d);
	if (is_share(m)) {
		sign(b, round(a * 1000) == 0 ? 0 : d, ascii);
		okra__buf_printf(b, bare ? "%.1f" : "%.1f pts", a * 100);
		return;
	}
	switch (m->unit) {
	case OKRA_UNIT_CURRENCY:
		sign(b, round(a * 100) == 0 ? 0 : d, ascii);
		okra__human(b, m, false, a);
		break;
	case OKRA_UNIT_HOURS:
		sign(b, round(a * 10) == 0 ? 0 : d, ascii);
		okra__buf_printf(b, bare ? "%.1f" : "%.1f h", a);
		break;
	case OKRA_UNIT_RATIO:
		sign(b, round(a * 1000) == 0 ? 0 : d, ascii);
		okra__buf_printf(b, "%.3f", a);
		break;
	default:
		sign(b, a == 0 ? 0 : d, ascii);
		if (a >= 1000)
			okra__thousands(b, a);
		else
			okra__buf_printf(b, "%.3g", a);
	}
}

void okra__exp_delta(const okra_metric *m, double d, bool ascii, okra_buf *b)
{
	delta(m, d, ascii, false, b);
}

void okra__exp_lift(const okra_metric *m, const okra_exp_cmp *c, bool ascii,
                    okra_buf *b)
{
	delta(m, c->lift, ascii, false, b);
	if (isnan(c->lift_low))
		return;
	okra__buf_puts(b, " (");
	delta(m, c->lift_low, ascii, true, b);
	okra__buf_puts(b, " .. ");
	delta(m, c->lift_high, ascii, true, b);
	okra__buf_puts(b, ")");
}

static void rel(okra_buf *b, double v, bool ascii)
{
	if (isnan(v)) {
		okra__buf_puts(b, "-");
		return;
	}
	sign(b, round(fabs(v) * 1000) == 0 ? 0 : v, ascii);
	okra__buf_printf(b, "%.1f%%", fabs(v) * 100);
}

static void rel_lift(okra_buf *b, const okra_exp_cmp *c, bool ascii)
{
	rel(b, c->lift_rel, ascii);
	if (isnan(c->lift_rel_low))
		return;
	okra__buf_puts(b, " (");
	rel(b, c->lift_rel_low, ascii);
	okra__buf_puts(b, " .. ");
	rel(b, c->lift_rel_high, ascii);
	okra__buf_puts(b, ")");
}

void okra__exp_p(double p, okra_buf *b)
{
	if (isnan(p))
		okra__buf_puts(b, "p = -");
	else if (p < 0.001)
		okra__buf_puts(b, "p < 0.001");
	else
		okra__buf_printf(b, "p = %.3f", p);
}

static void date(okra_buf *b, int32_t day)
{
	char s[11];
	if (day < 0) {
		okra__buf_puts(b, "-");
		return;
	}
	okra__format_date(day, s);
	okra__buf_puts(b, s);
}

void okra__exp_status(const okra_exp_readout *r, okra_buf *b)
{
	switch (r->status) {
	case OKRA_EXP_NOT_STARTED:
		okra__buf_puts(b, "not started, starts ");
		date(b, r->x->start);
		break;
	case OKRA_EXP_RUNNING:
		okra__buf_puts(b, "running");
		if (r->days_left >= 0)
			okra__buf_printf(b, ", %d day%s left", r->days_left,
			                 r->days_left == 1 ? "" : "s");
		break;
	default:
		okra__buf_puts(b, "ended ");
		date(b, r->x->end);
	}
}

const char *okra__exp_recorded_name(const okra_exp_readout *r)
{
	if (!r->has_recorded)
		return NULL;
	return strcmp(r->recorded, "keep running") == 0 ? "keep_running"
	                                                : r->recorded;
}

static const char *entity_word(const okra_exp_readout *r, size_t n)
{
	if (r->entity == OKRA_ENTITY_USER)
		return n == 1 ? "user" : "users";
	return n == 1 ? "account" : "accounts";
}

/* What a unit that met a proportion metric's condition did. */
static const char *met_word(const okra_metric *m)
{
	switch (m->type) {
	case OKRA_METRIC_CONVERSION:
		return "converted";
	case OKRA_METRIC_RETENTION:
		return "retained";
	case OKRA_METRIC_ACTIVE:
		return "active";
	default:
		return "met";
	}
}

/* ---------------------------------------------------------------------
 * The sentence
 * --------------------------------------------------------------------- */

void okra__exp_sentence(const okra_exp_readout *r, bool ascii, okra_buf *b)
{
	okra_arena a = {0};
	const char *decision = okra__exp_decision_names[r->decision];
	if (!r->n_cmp || isnan(r->cmp[0].lift)) {
		okra__buf_printf(b, "%s: no comparison yet: %s",
		                 r->n_cmp ? r->variants[1].name : r->x->id,
		                 decision);
		return;
	}
	const okra_exp_cmp *c = &r->cmp[0];
	const char *phrase = okra__exp_metric_phrase(&a, r->metric);
	okra__buf_printf(b, "%s %s %s %s ", r->variants[1].name,
	                 c->lift > 0   ? "lifts"
	                 : c->lift < 0 ? "lowers"
	                               : "leaves",
	                 phrase, c->lift != 0 ? "by" : "unchanged:");
	okra__exp_lift(r->metric, c, ascii, b);
	okra__buf_puts(b, ", ");
	okra__exp_p(c->p, b);
	if (!isnan(c->power))
		okra__buf_printf(b, ", power %.2f", c->power);
	okra__buf_printf(b, ": %s", decision);
	okra__arena_free(&a);
}

/* ---------------------------------------------------------------------
 * Text
 * --------------------------------------------------------------------- */

#define COLS 8

typedef struct row {
	char *cell[COLS];
} row;

/* Aligned columns: the first left-aligned, the rest right, two spaces
 * between; rows are freed as printed. */
static void print_rows(okra_buf *b, row *rows, size_t n, size_t cols,
                       const char *indent)
{
	size_t w[COLS] = {0};
	for (size_t i = 0; i < n; i++)
		for (size_t c = 0; c < cols; c++) {
			size_t len = okra__text_width(rows[i].cell[c]);
			if (len > w[c])
				w[c] = len;
		}
	for (size_t i = 0; i < n; i++) {
		okra_buf line = {0};
		okra__buf_puts(&line, indent);
		for (size_t c = 0; c < cols; c++) {
			const char *s = rows[i].cell[c] ? rows[i].cell[c] : "";
			size_t len = okra__text_width(s);
			if (c)
				okra__buf_puts(&line, "  ");
			if (c)
				for (size_t k = len; k < w[c]; k++)
					okra__buf_putc(&line, ' ');
			okra__buf_puts(&line, s);
			if (!c)
				for (size_t k = len; k < w[c]; k++)
					okra__buf_putc(&line, ' ');
		}
		/* no trailing blanks */
		while (line.len && line.data[line.len - 1] == ' ')
			line.data[--line.len] = '\0';
		okra__buf_putc(&line, '\n');
		okra__buf_cat(b, &line);
	}
}

/* A cell: the text of a buffer (moved). */
static char *take(okra_buf *t)
{
	char *s = t->data;
	*t = (okra_buf){0};
	return s;
}

static void free_rows(row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t c = 0; c < COLS; c++)
			okra__buf_free(&(okra_buf){.data = rows[i].cell[c]});
}

static void variant_table(const okra_exp_readout *r, okra_buf *b)
{
	const okra_metric *m = r->metric;
	row rows[2 * OKRA_MAX_EXPERIMENT_VARIANTS + 2];
	size_t n = 0;
	memset(rows, 0, sizeof(rows));
	okra_buf t = {0};
	const char *head[COLS] = {"variant",
	                          "split",
	                          entity_word(r, 2),
	                          r->kind == OKRA_EXP_PROPORTION ? met_word(m)
	                          : r->kind == OKRA_EXP_MEAN     ? "sd"
	                                                         : "",
	                          r->kind == OKRA_EXP_PROPORTION ? "rate"
	                          : r->kind == OKRA_EXP_MEAN     ? "mean"
	                                                         : "value",
	                          "95% interval",
	                          "lift vs control",
	                          "p, power"};
	for (size_t c = 0; c < COLS; c++) {
		okra__buf_puts(&t, head[c]);
		rows[n].cell[c] = take(&t);
	}
	n++;
	for (size_t v = 0; v < r->n_variants; v++) {
		const okra_exp_variant *vr = &r->variants[v];
		row *rw = &rows[n++];
		okra__buf_puts(&t, vr->name);
		rw->cell[0] = take(&t);
		okra__buf_printf(&t, "%.0f%%", vr->weight * 100);
		rw->cell[1] = take(&t);
		okra__thousands(&t, (double)vr->entities);
		rw->cell[2] = take(&t);
		if (r->kind == OKRA_EXP_PROPORTION)
			okra__thousands(&t, vr->conversions);
		else if (r->kind == OKRA_EXP_MEAN)
			value(&t, m, vr->sd);
		rw->cell[3] = take(&t);
		value(&t, m, vr->value);
		rw->cell[4] = take(&t);
		if (!isnan(vr->low)) {
			value(&t, m, vr->low);
			okra__buf_puts(&t, " .. ");
			value(&t, m, vr->high);
		}
		rw->cell[5] = take(&t);
		if (v == 0)
			continue;
		const okra_exp_cmp *c = &r->cmp[v - 1];
		okra__exp_lift(m, c, true, &t);
		rw->cell[6] = take(&t);
		okra__exp_p(c->p, &t);
		if (!isnan(c->power))
			okra__buf_printf(&t, ", power %.2f", c->power);
		rw->cell[7] = take(&t);
		if (isnan(c->lift_rel))
			continue;
		row *rr = &rows[n++];
		okra__buf_puts(&t, "relative ");
		rel_lift(&t, c, true);
		rr->cell[6] = take(&t);
	}
	print_rows(b, rows, n, COLS, "  ");
	free_rows(rows, n);
}

static void guardrail_table(const okra_exp_readout *r, okra_buf *b)
{
	size_t n = 0, cap = r->n_guardrails + 1;
	row *rows = calloc(cap, sizeof(*rows));
	if (!rows) {
		b->failed = true;
		return;
	}
	okra_buf t = {0};
	for (size_t i = 0; i < r->n_guardrails; i++) {
		const okra_exp_guardrail *g = &r->guardrails[i];
		row *rw = &rows[n++];
		okra__buf_puts(&t, g->metric->id);
		rw->cell[0] = take(&t);
		okra__buf_puts(&t, g->variant);
		rw->cell[1] = take(&t);
		value(&t, g->metric, g->control_value);
		okra__buf_puts(&t, " -> ");
		value(&t, g->metric, g->value);
		rw->cell[2] = take(&t);
		okra__exp_lift(g->metric, &g->cmp, true, &t);
		rw->cell[3] = take(&t);
		okra__exp_p(g->cmp.p, &t);
		rw->cell[4] = take(&t);
		okra__buf_puts(&t, g->worse ? "WORSE" : "ok");
		rw->cell[5] = take(&t);
	}
	print_rows(b, rows, n, 6, "    ");
	free_rows(rows, n);
	free(rows);
}

void okra__exp_text(const okra_exp_readout *r, okra_buf *b)
{
	const okra_experiment *x = r->x;
	const okra_metric *m = r->metric;
	static const char *const kinds[] = {"a share", "a mean", "a ratio"};
	okra__buf_printf(b, "%s", x->id);
	if (x->title && *x->title)
		okra__buf_printf(b, ": %s", x->title);
	okra__buf_puts(b, "\n  ");
	if (r->kr)
		okra__buf_printf(b, "key result %s, ", r->kr->id);
	okra__buf_printf(b, "metric %s (%s, %s per %s)\n  ", m->id,
	                 okra__metric_types[m->type].name, kinds[r->kind],
	                 entity_word(r, 1));
	date(b, x->start);
	okra__buf_puts(b, " .. ");
	if (x->end >= 0)
		date(b, x->end);
	else
		okra__buf_puts(b, "open-ended");
	okra__buf_puts(b, ", ");
	okra__exp_status(r, b);
	okra__buf_puts(b, "; as of ");
	date(b, r->asof);
	if (r->last_day != r->asof) {
		okra__buf_puts(b, ", read out to ");
		date(b, r->last_day);
	}
	okra__buf_putc(b, '\n');
	if (x->hypothesis && *x->hypothesis)
		okra__buf_printf(b, "  hypothesis: %s\n", x->hypothesis);
	okra__buf_putc(b, '\n');
	variant_table(r, b);
	okra__buf_putc(b, '\n');

	if (r->has_cuped) {
		okra__buf_printf(b,
		                 "  CUPED: theta %.4g, variance reduced by "
		                 "%.1f%%",
		                 r->theta, r->variance_reduction * 100);
		for (size_t v = 1; v < r->n_variants; v++) {
			okra__buf_printf(b, "; %s ", r->variants[v].name);
			okra__exp_lift(m, &r->cuped[v - 1], true, b);
			okra__buf_puts(b, ", ");
			okra__exp_p(r->cuped[v - 1].p, b);
		}
		okra__buf_putc(b, '\n');
	} else {
		okra__buf_printf(b, "  CUPED: none (%s)\n", r->no_cuped);
	}
	okra__buf_puts(b, "  sample ratio: ");
	if (isnan(r->srm_p)) {
		okra__buf_puts(b, "not tested (fewer than two variants with "
		                  "units)\n");
	} else {
		okra__buf_printf(b, "chi2 %.2f, ", r->srm_chi2);
		okra__exp_p(r->srm_p, b);
		okra__buf_puts(b, r->srm_flagged
		                      ? ": MISMATCH, the assignment is broken "
		                        "(p < 0.001)\n"
		                      : ": fits the split\n");
	}
	okra__buf_printf(b,
	                 "  left out: %zu %s exposed to more than one "
	                 "variant; %zu immature (window not over by ",
	                 r->excluded_multi, entity_word(r, r->excluded_multi),
	                 r->immature);
	date(b, r->last_day);
	okra__buf_puts(b, ")");
	if (r->no_variant)
		okra__buf_printf(b, "; %zu with exposures that carry no \"%s\"",
		                 r->no_variant, x->variant_property);
	okra__buf_putc(b, '\n');
	if (r->n_guardrails) {
		okra__buf_puts(b, "  guardrails (worse: p < 0.05 against the "
		                  "metric's direction):\n");
		guardrail_table(r, b);
	}
	okra__buf_printf(b,
	                 "  %zu test%s (%zu comparison%s, %zu guardrail "
	                 "comparison%s); no correction for multiple tests\n\n",
	                 r->n_tests, r->n_tests == 1 ? "" : "s", r->n_cmp,
	                 r->n_cmp == 1 ? "" : "s", r->n_guardrails,
	                 r->n_guardrails == 1 ? "" : "s");
	okra__buf_puts(b, "  ");
	okra__exp_sentence(r, true, b);
	okra__buf_printf(b, "\n  why: %s\n", r->reason);
	if (r->has_recorded) {
		okra__buf_printf(b, "  recorded: %s on ",
		                 okra__exp_recorded_name(r));
		date(b, r->recorded_day);
		if (r->recorded_note && *r->recorded_note)
			okra__buf_printf(b, " (%s)", r->recorded_note);
		if (r->recorded_computed)
			okra__buf_printf(b, "; the readout then said %s",
			                 r->recorded_computed);
		okra__buf_putc(b, '\n');
	}
}

void okra__exp_list_text(const okra_exp_readout *const *items, size_t n,
                         okra_buf *b)
{
	if (!n) {
		okra__buf_puts(b, "no experiments in the workspace\n");
		return;
	}
	row *rows = calloc(n + 1, sizeof(*rows));
	if (!rows) {
		b->failed = true;
		return;
	}
	okra_buf t = {0};
	const char *head[] = {"experiment", "status", "decision", "recorded",
	                      "first variant against the control"};
	for (size_t c = 0; c < 5; c++) {
		okra__buf_puts(&t, head[c]);
		rows[0].cell[c] = take(&t);
	}
	for (size_t i = 0; i < n; i++) {
		const okra_exp_readout *r = items[i];
		row *rw = &rows[i + 1];
		okra__buf_puts(&t, r->x->id);
		rw->cell[0] = take(&t);
		okra__exp_status(r, &t);
		rw->cell[1] = take(&t);
		okra__buf_puts(&t, okra__exp_decision_names[r->decision]);
		rw->cell[2] = take(&t);
		okra__buf_puts(&t, r->has_recorded ? okra__exp_recorded_name(r)
		                                   : "-");
		rw->cell[3] = take(&t);
		if (r->n_cmp && !isnan(r->cmp[0].lift)) {
			okra__buf_printf(&t, "%s ", r->variants[1].name);
			okra__exp_lift(r->metric, &r->cmp[0], true, &t);
			okra__buf_puts(&t, ", ");
			okra__exp_p(r->cmp[0].p, &t);
		} else {
			okra__buf_puts(&t, "no comparison yet");
		}
		rw->cell[4] = take(&t);
	}
	/* Every column is text: left-aligned. */
	size_t w[5] = {0};
	for (size_t i = 0; i <= n; i++)
		for (size_t c = 0; c < 4; c++) {
			size_t len = strlen(rows[i].cell[c]);
			if (len > w[c])
				w[c] = len;
		}
	for (size_t i = 0; i <= n; i++) {
		okra_buf line = {0};
		for (size_t c = 0; c < 5; c++) {
			if (c < 4)
				okra__buf_printf(&line, "%-*s  ", (int)w[c],
				                 rows[i].cell[c]);
			else
				okra__buf_puts(&line, rows[i].cell[c]);
		}
		okra__buf_putc(&line, '\n');
		okra__buf_cat(b, &line);
	}
	free_rows(rows, n + 1);
	free(rows);
}

/* ---------------------------------------------------------------------
 * JSON
 * --------------------------------------------------------------------- */

static void jnum(okra_buf *b, double v)
{
	okra__json_number(b, false, v);
}

static void jcount(okra_buf *b, double v)
{
	okra__json_number(b, true, v);
}

static void jdate(okra_buf *b, int32_t day)
{
	if (day < 0) {
		okra__buf_puts(b, "null");
		return;
	}
	char s[11];
	okra__format_date(day, s);
	okra__buf_printf(b, "\"%s\"", s);
}

static void jstr(okra_buf *b, const char *s)
{
	if (s)
		okra__buf_json_str(b, s);
	else
		okra__buf_puts(b, "null");
}

static void jcmp(okra_buf *b, const char *variant, const okra_exp_cmp *c)
{
	okra__buf_puts(b, "{\"variant\":");
	jstr(b, variant);
	const struct {
		const char *key;
		double v;
	} f[] = {{"lift", c->lift},
	         {"lift_low", c->lift_low},
	         {"lift_high", c->lift_high},
	         {"lift_rel", c->lift_rel},
	         {"lift_rel_low", c->lift_rel_low},
	         {"lift_rel_high", c->lift_rel_high},
	         {"p", c->p},
	         {"power", c->power}};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(f); i++) {
		okra__buf_printf(b, ",\"%s\":", f[i].key);
		jnum(b, f[i].v);
	}
	okra__buf_putc(b, '}');
}

static const char *const status_names[] = {"not_started", "running", "ended"};
static const char *const kind_names[] = {"proportion", "mean", "ratio"};

static void jrecorded(okra_buf *b, const okra_exp_readout *r)
{
	if (!r->has_recorded) {
		okra__buf_puts(b, "null");
		return;
	}
	okra__buf_puts(b, "{\"date\":");
	jdate(b, r->recorded_day);
	okra__buf_puts(b, ",\"decision\":");
	jstr(b, okra__exp_recorded_name(r));
	okra__buf_puts(b, ",\"note\":");
	jstr(b, r->recorded_note);
	okra__buf_puts(b, ",\"computed\":");
	jstr(b, r->recorded_computed);
	okra__buf_putc(b, '}');
}

void okra__exp_json(const okra_exp_readout *r, okra_buf *b)
{
	static const char *const units[] = {
	    [OKRA_UNIT_NONE] = "none",   [OKRA_UNIT_PERCENT] = "percent",
	    [OKRA_UNIT_COUNT] = "count", [OKRA_UNIT_CURRENCY] = "currency",
	    [OKRA_UNIT_HOURS] = "hours", [OKRA_UNIT_RATIO] = "ratio",
	    [OKRA_UNIT_SCORE] = "score"};
	const okra_experiment *x = r->x;
	okra__buf_puts(b, "{\"id\":");
	jstr(b, x->id);
	okra__buf_puts(b, ",\"title\":");
	jstr(b, x->title);
	okra__buf_puts(b, ",\"key_result\":");
	jstr(b, r->kr ? r->kr->id : NULL);
	okra__buf_puts(b, ",\"asof\":");
	jdate(b, r->asof);
	okra__buf_puts(b, ",\"last_day\":");
	jdate(b, r->last_day);
	okra__buf_puts(b, ",\"metric\":");
	jstr(b, r->metric->id);
	okra__buf_printf(b,
	                 ",\"unit\":\"%s\",\"kind\":\"%s\",\"entity\":\"%s\"",
	                 units[r->metric->unit], kind_names[r->kind],
	                 r->entity == OKRA_ENTITY_USER ? "user" : "account");
	okra__buf_puts(b, ",\"start\":");
	jdate(b, x->start);
	okra__buf_puts(b, ",\"end\":");
	jdate(b, x->end);
	okra__buf_printf(
	    b, ",\"status\":\"%s\",\"days_left\":", status_names[r->status]);
	if (r->days_left >= 0)
		okra__buf_printf(b, "%d", r->days_left);
	else
		okra__buf_puts(b, "null");
	okra__buf_printf(b,
	                 ",\"excluded_multi\":%zu,\"immature\":%zu,"
	                 "\"no_variant\":%zu,\n \"variants\":[",
	                 r->excluded_multi, r->immature, r->no_variant);
	for (size_t v = 0; v < r->n_variants; v++) {
		const okra_exp_variant *vr = &r->variants[v];
		okra__buf_puts(b, v ? ",\n  {\"name\":" : "\n  {\"name\":");
		jstr(b, vr->name);
		okra__buf_puts(b, ",\"weight\":");
		jnum(b, vr->weight);
		okra__buf_printf(b, ",\"assigned\":%zu,\"entities\":%zu",
		                 vr->assigned, vr->entities);
		okra__buf_puts(b, ",\"conversions\":");
		jcount(b, vr->conversions);
		okra__buf_puts(b, ",\"value\":");
		jnum(b, vr->value);
		okra__buf_puts(b, ",\"sd\":");
		jnum(b, vr->sd);
		okra__buf_puts(b, ",\"low\":");
		jnum(b, vr->low);
		okra__buf_puts(b, ",\"high\":");
		jnum(b, vr->high);
		okra__buf_putc(b, '}');
	}
	okra__buf_puts(b, "],\n \"comparisons\":[");
	for (size_t v = 1; v < r->n_variants; v++) {
		okra__buf_puts(b, v > 1 ? ",\n  " : "\n  ");
		jcmp(b, r->variants[v].name, &r->cmp[v - 1]);
	}
	okra__buf_puts(b, "],\n \"cuped\":");
	if (r->has_cuped) {
		okra__buf_puts(b, "{\"theta\":");
		jnum(b, r->theta);
		okra__buf_puts(b, ",\"variance_reduction\":");
		jnum(b, r->variance_reduction);
		okra__buf_puts(b, ",\"comparisons\":[");
		for (size_t v = 1; v < r->n_variants; v++) {
			okra__buf_puts(b, v > 1 ? ",\n  " : "\n  ");
			jcmp(b, r->variants[v].name, &r->cuped[v - 1]);
		}
		okra__buf_puts(b, "]}");
	} else {
		okra__buf_puts(b, "null");
	}
	okra__buf_puts(b, ",\n \"srm\":{\"chi2\":");
	jnum(b, r->srm_chi2);
	okra__buf_puts(b, ",\"p\":");
	jnum(b, r->srm_p);
	okra__buf_printf(b, ",\"flagged\":%s},\n \"guardrails\":[",
	                 r->srm_flagged ? "true" : "false");
	for (size_t i = 0; i < r->n_guardrails; i++) {
		const okra_exp_guardrail *g = &r->guardrails[i];
		okra__buf_puts(b, i ? ",\n  {\"metric\":" : "\n  {\"metric\":");
		jstr(b, g->metric->id);
		okra__buf_puts(b, ",\"variant\":");
		jstr(b, g->variant);
		okra__buf_puts(b, ",\"control_value\":");
		jnum(b, g->control_value);
		okra__buf_puts(b, ",\"value\":");
		jnum(b, g->value);
		okra__buf_puts(b, ",\"lift\":");
		jnum(b, g->cmp.lift);
		okra__buf_puts(b, ",\"lift_low\":");
		jnum(b, g->cmp.lift_low);
		okra__buf_puts(b, ",\"lift_high\":");
		jnum(b, g->cmp.lift_high);
		okra__buf_puts(b, ",\"p\":");
		jnum(b, g->cmp.p);
		okra__buf_printf(b, ",\"worse\":%s}",
		                 g->worse ? "true" : "false");
	}
	okra__buf_printf(
	    b, "],\n \"tests\":%zu,\"decision\":\"%s\",\"reason\":", r->n_tests,
	    okra__exp_decision_names[r->decision]);
	jstr(b, r->reason);
	okra__buf_puts(b, ",\"recorded\":");
	jrecorded(b, r);
	okra__buf_puts(b, "}");
}

void okra__exp_summary_json(const okra_exp_readout *r, okra_buf *b)
{
	okra__buf_puts(b, "{\"id\":");
	jstr(b, r->x->id);
	okra__buf_puts(b, ",\"title\":");
	jstr(b, r->x->title);
	okra__buf_puts(b, ",\"key_result\":");
	jstr(b, r->kr ? r->kr->id : NULL);
	okra__buf_puts(b, ",\"metric\":");
	jstr(b, r->metric->id);
	okra__buf_puts(b, ",\"start\":");
	jdate(b, r->x->start);
	okra__buf_puts(b, ",\"end\":");
	jdate(b, r->x->end);
	okra__buf_printf(
	    b, ",\"status\":\"%s\",\"days_left\":", status_names[r->status]);
	if (r->days_left >= 0)
		okra__buf_printf(b, "%d", r->days_left);
	else
		okra__buf_puts(b, "null");
	okra__buf_printf(b, ",\"decision\":\"%s\",\"recorded\":",
	                 okra__exp_decision_names[r->decision]);
	jrecorded(b, r);
	okra__buf_puts(b, ",\"first\":");
	if (r->n_cmp)
		jcmp(b, r->variants[1].name, &r->cmp[0]);
	else
		okra__buf_puts(b, "null");
	okra__buf_printf(b, ",\"srm_flagged\":%s}",
	                 r->srm_flagged ? "true" : "false");
}

void okra__exp_list_json(const okra_exp_readout *const *items, size_t n,
                         int32_t asof, okra_buf *b)
{
	okra__buf_puts(b, "{\"asof\":");
	jdate(b, asof);
	okra__buf_puts(b, ",\"experiments\":[");
	for (size_t i = 0; i < n; i++) {
		okra__buf_puts(b, i ? ",\n " : "\n ");
		okra__exp_summary_json(items[i], b);
	}
	okra__buf_puts(b, "\n]}\n");
}

/* ---------------------------------------------------------------------
 * The public writers (okra.h)
 * --------------------------------------------------------------------- */

okra_rc okra_experiment_write(const okra_experiment_readout *r,
                              okra_format format, FILE *out, okra_err *err)
{
	okra_buf b = {0};
	if (format == OKRA_FORMAT_JSON) {
		okra__exp_json(r->r, &b);
		okra__buf_putc(&b, '\n');
	} else if (format == OKRA_FORMAT_TEXT) {
		okra__exp_text(r->r, &b);
	} else {
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "a readout is written as text or json");
	}
	return okra__buf_write(&b, out, err);
}

okra_rc okra_experiments_write(const okra_experiment_list *l,
                               okra_format format, FILE *out, okra_err *err)
{
	okra_buf b = {0};
	const okra_exp_readout *const *items =
	    (const okra_exp_readout *const *)l->items;
	if (format == OKRA_FORMAT_JSON)
		okra__exp_list_json(items, l->n, l->asof, &b);
	else if (format == OKRA_FORMAT_TEXT)
		okra__exp_list_text(items, l->n, &b);
	else
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "experiments are written as text or json");
	return okra__buf_write(&b, out, err);
}
