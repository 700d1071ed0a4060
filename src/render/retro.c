/*
 * retro.c - writes the quarterly retrospective (review/retro.h) as
 * markdown, or as one self-contained HTML page from the components of
 * render/html.c with web/okra.css inlined; okra_retro_write (okra.h).
 * Reads the computed retrospective and computes nothing.
 */
#include "render/html.h"
#include "render/review.h"
#include "review/retro.h"

#include "base/html.h"

#include <math.h>

#define MIDDOT " \xc2\xb7 "

static const char *const moved_names[] = {"-", "moved", "flat", "some"};

/* ---- shared wording ---- */

static const char *score_str(okra_arena *a, double v)
{
	return isnan(v) ? "-" : okra__arena_printf(a, "%.2f", v);
}

static const char *share_str(okra_arena *a, size_t n, size_t of)
{
	return of ? okra__arena_printf(a, "%.0f%%",
	                               100.0 * (double)n / (double)of)
	          : "-";
}

static const char *chance(okra_arena *a, double p)
{
	return p < 0.01 ? "below 1%" : okra__arena_printf(a, "%.0f%%", 100 * p);
}

/* One sentence on the calibration: the share hit against 70%. */
static const char *calibration(okra_arena *a, const okra_retro *t)
{
	if (!t->n_calibrated)
		return "No key result moves a metric to a target with data, so "
		       "there is no calibration to judge.";
	const char *head = okra__arena_printf(
	    a,
	    "%zu of %zu key results that move a metric hit their target (%s); "
	    "calibrated targets are set to be hit about 7 times in 10.",
	    t->n_hit, t->n_calibrated, share_str(a, t->n_hit, t->n_calibrated));
	if (!t->quarter_over)
		return okra__arena_printf(
		    a,
		    "%s The quarter is not over: judge the "
		    "calibration at its end.",
		    head);
	if (t->p_below < OKRA_RETRO_CALIBRATION_P)
		return okra__arena_printf(
		    a,
		    "%s Fewer than planned: so few hits have a %s chance if "
		    "each target had a 70%% one, so the targets were bets more "
		    "than calibrated.",
		    head, chance(a, t->p_below));
	if (t->p_above < OKRA_RETRO_CALIBRATION_P)
		return okra__arena_printf(
		    a,
		    "%s More than planned: so many hits have a %s chance if "
		    "each target had a 70%% one, so the targets were too easy; "
		    "next quarter's can ask for more.",
		    head, chance(a, t->p_above));
	return okra__arena_printf(a,
	                          "%s In line with the plan: within chance "
	                          "of 7 in 10.",
	                          head);
}

static const char *asof_line(okra_arena *a, const okra_retro *t)
{
	char day[11], end[11];
	okra__format_date(t->asof, day);
	okra__format_date(t->q.last, end);
	return t->quarter_over
	           ? okra__arena_printf(a, "As of %s, the quarter's last day",
	                                day)
	           : okra__arena_printf(a,
	                                "As of %s, the last day with data; the "
	                                "quarter ends on %s, so this is "
	                                "provisional",
	                                day, end);
}

static const char *reviews_line(okra_arena *a, const okra_retro *t)
{
	if (!t->n_reviews)
		return "no review was saved in the quarter (okra review --save "
		       "stores one)";
	char first[11], last[11];
	okra__format_date(t->first_review, first);
	okra__format_date(t->last_review, last);
	return t->n_reviews == 1
	           ? okra__arena_printf(a, "1 review saved, on %s", first)
	           : okra__arena_printf(a, "%zu reviews saved, %s .. %s",
	                                t->n_reviews, first, last);
}

static const char *hypotheses_line(okra_arena *a, const okra_retro *t)
{
	return okra__arena_printf(
	    a,
	    "%zu of %zu hypotheses were tested (an experiment on them "
	    "started)%s",
	    t->n_tested, t->n_hypotheses,
	    t->n_placeholders
	        ? okra__arena_printf(a, "; %zu %s never written out",
	                             t->n_placeholders,
	                             t->n_placeholders == 1 ? "was" : "were")
	        : "");
}

static const char *waived_line(okra_arena *a, const okra_retro *t)
{
	size_t n = t->suppressed_disable + t->suppressed_ignore;
	return okra__arena_printf(
	    a,
	    "%zu lint finding%s waived in the whole workspace: %zu by "
	    "lint.disable, %zu by lint_ignore",
	    n, n == 1 ? "" : "s", t->suppressed_disable, t->suppressed_ignore);
}

static const char *exp_status(const okra_retro_exp *x)
{
	if (!x->r)
		return "cannot be read out";
	return x->r->status == OKRA_EXP_NOT_STARTED ? "not started"
	       : x->r->status == OKRA_EXP_RUNNING   ? "running"
	                                            : "ended";
}

/* ---- markdown ---- */

static void md_text(okra_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			okra__buf_puts(b, "\\|");
		else if (*s == '\n')
			okra__buf_putc(b, ' ');
		else
			okra__buf_putc(b, *s);
	}
}

static void md_objectives(okra_arena *a, const okra_retro *t, okra_buf *b)
{
	okra__buf_puts(b, "\n## Final scores\n");
	if (!t->n_objectives) {
		okra__buf_puts(b, "\nNo objective in the quarter.\n");
		return;
	}
	size_t k = 0;
	for (size_t i = 0; i < t->n_objectives; i++) {
		const okra_obj_eval *o = t->objectives[i];
		okra__buf_puts(b, "\n### ");
		md_text(b, o->obj->title.text);
		okra__buf_printf(b, "\n\n`%s`", o->obj->id);
		if (o->obj->team.id)
			okra__buf_printf(b, MIDDOT "team %s", o->obj->team.id);
		if (o->obj->is_company)
			okra__buf_puts(b, MIDDOT "company");
		okra__buf_printf(b, MIDDOT "score %s", score_str(a, o->score));
		if (o->n_no_data)
			okra__buf_printf(b,
			                 " (%zu key result%s without data "
			                 "counted as 0)",
			                 o->n_no_data,
			                 o->n_no_data == 1 ? "" : "s");
		okra__buf_puts(b, "\n");
		if (!o->n_krs)
			continue;
		okra__buf_puts(b,
		               "\n| Key result | Baseline | Final | Target | "
		               "Score | Light | Hit | Last review |\n"
		               "| --- | ---: | ---: | ---: | ---: | --- | --- "
		               "| --- |\n");
		for (size_t j = 0; j < o->n_krs; j++, k++) {
			const okra_retro_kr *r = &t->krs[k];
			const okra_kr_eval *e = r->k;
			okra__buf_printf(
			    b, "| `%s` | %s | %s | %s | %s | %s | %s | ",
			    e->kr->id, okra__kr_value(a, e, e->baseline),
			    okra__kr_value(a, e, e->current),
			    okra__kr_value(a, e, e->target),
			    score_str(a, e->score), okra__light_names[e->light],
			    !r->calibrated ? "-"
			    : r->hit       ? "yes"
			                   : "no");
			if (r->has_snapshot)
				okra__buf_printf(b, "%s, %s |\n",
				                 score_str(a, r->snap_score),
				                 r->snap_status);
			else
				okra__buf_puts(b, "- |\n");
		}
	}
}

static void md_moved(okra_arena *a, const okra_retro *t, okra_buf *b)
{
	okra__buf_puts(b, "\n## Did the metrics move with the experiments?\n");
	okra__buf_puts(
	    b, "\n| Key result | Progress | Metric | Experiments | Shipped |\n"
	       "| --- | ---: | --- | ---: | ---: |\n");
	size_t n_mismatch = 0;
	for (size_t i = 0; i < t->n_krs; i++) {
		const okra_retro_kr *r = &t->krs[i];
		n_mismatch += r->mismatch != NULL;
		okra__buf_printf(
		    b, "| `%s` | %s | %s | %zu | %zu |\n", r->k->kr->id,
		    isnan(r->k->progress)
		        ? "-"
		        : okra__arena_printf(a, "%.0f%%", 100 * r->k->progress),
		    moved_names[r->moved], r->n_experiments, r->n_shipped);
	}
	okra__buf_puts(b, "\n");
	if (!n_mismatch)
		okra__buf_puts(b, "No key result's metric moved without its "
		                  "experiments, or stood still after one "
		                  "shipped.\n");
	for (size_t i = 0; i < t->n_krs; i++)
		if (t->krs[i].mismatch)
			okra__buf_printf(b, "- `%s`: %s.\n",
			                 t->krs[i].k->kr->id,
			                 t->krs[i].mismatch);
}

static void md_hypotheses(okra_arena *a, const okra_retro *t, okra_buf *b)
{
	okra__buf_puts(b, "\n## Hypotheses and experiments\n\n");
	okra__buf_printf(b, "%s.\n", hypotheses_line(a, t));
	okra__buf_puts(b, "\n| Key result | Hypotheses | Tested | Not written "
	                  "out |\n| --- | ---: | ---: | ---: |\n");
	for (size_t i = 0; i < t->n_krs; i++) {
		const okra_retro_kr *r = &t->krs[i];
		okra__buf_printf(b, "| `%s` | %zu | %zu | %zu |\n",
		                 r->k->kr->id, r->n_hypotheses, r->n_tested,
		                 r->n_placeholders);
	}
	if (!t->n_exps) {
		okra__buf_puts(b, "\nNo experiment on the quarter's key "
		                  "results.\n");
		return;
	}
	okra__buf_puts(b, "\n| Experiment | Key result | Status | Decision |\n"
	                  "| --- | --- | --- | --- |\n");
	for (size_t i = 0; i < t->n_exps; i++) {
		const okra_retro_exp *x = &t->exps[i];
		okra__buf_printf(b, "| `%s` | `%s` | %s | ", x->x->id,
		                 x->kr->k->kr->id, exp_status(x));
		if (!x->r)
			md_text(b, x->error);
		else
			okra__buf_printf(b, "%s (%s)", x->decision,
			                 x->recorded ? "the team's" : "okra's");
		okra__buf_puts(b, " |\n");
	}
}

static void md_waivers(okra_arena *a, const okra_retro *t, okra_buf *b)
{
	okra__buf_puts(b, "\n## Waived lint rules\n\n");
	okra__buf_printf(b, "%s.\n", waived_line(a, t));
	if (!t->n_waivers)
		okra__buf_puts(b, "\nNo rule was switched off for the "
		                  "quarter.\n");
	else
		okra__buf_puts(b, "\n");
	for (size_t i = 0; i < t->n_waivers; i++) {
		const okra_retro_waiver *w = &t->waivers[i];
		okra__buf_printf(b, "- `%s` in %s", w->rule, w->scope);
		if (w->pos.line)
			okra__buf_printf(b, " (%s:%d)", w->pos.file,
			                 w->pos.line);
		okra__buf_puts(b, "\n");
	}
}

void okra__retro_md(const okra_retro *t, okra_buf *b)
{
	okra_arena a = {0};
	okra__buf_printf(b, "# Retrospective of %d-Q%d\n\n", t->q.year, t->q.q);
	okra__buf_printf(b, "%s" MIDDOT "%s.\n", asof_line(&a, t),
	                 reviews_line(&a, t));
	okra__buf_printf(b, "\n## Calibration\n\n%s\n", calibration(&a, t));
	md_objectives(&a, t, b);
	md_moved(&a, t, b);
	md_hypotheses(&a, t, b);
	md_waivers(&a, t, b);
	okra__arena_free(&a);
}

/* ---- HTML ---- */

static void esc(okra_buf *b, const char *s)
{
	okra__buf_html(b, s ? s : "");
}

static void html_objectives(okra_arena *a, const okra_retro *t, okra_buf *b)
{
	okra__buf_puts(b, "<section id=\"scores\">\n<h2>Final scores</h2>\n");
	if (!t->n_objectives)
		okra__buf_puts(b, "<p class=\"muted\">No objective in the "
		                  "quarter.</p>\n");
	const okra_html_ctx ctx = {.links = false};
	size_t k = 0;
	for (size_t i = 0; i < t->n_objectives; i++) {
		const okra_obj_eval *o = t->objectives[i];
		okra__buf_puts(b, "<section class=\"objective card\">\n");
		okra__html_objective_head(b, &ctx, o, 3);
		if (!o->n_krs) {
			okra__buf_puts(b, "</section>\n");
			continue;
		}
		okra__html_table_begin(b, "retro-krs");
		okra__buf_puts(b, "<thead><tr><th>Key result</th><th>Baseline"
		                  "</th><th>Final</th><th>Target</th><th>Score"
		                  "</th><th>Light</th><th>Hit</th><th>Last "
		                  "review</th></tr></thead>\n<tbody>\n");
		for (size_t j = 0; j < o->n_krs; j++, k++) {
			const okra_retro_kr *r = &t->krs[k];
			const okra_kr_eval *e = r->k;
			okra__buf_puts(b, "<tr><td>");
			esc(b,
			    e->kr->title.text ? e->kr->title.text : e->kr->id);
			okra__buf_puts(b, " <code>");
			esc(b, e->kr->id);
			okra__buf_puts(b, "</code></td><td class=\"num\">");
			okra__html_value(b, e->metric, e->baseline);
			okra__buf_puts(b, "</td><td class=\"num\">");
			okra__html_value(b, e->metric, e->current);
			okra__buf_puts(b, "</td><td class=\"num\">");
			okra__html_value(b, e->metric, e->target);
			okra__buf_puts(b, "</td><td class=\"num\">");
			okra__html_score(b, e->score);
			okra__buf_puts(b, "</td><td>");
			okra__html_badge(b, e->light);
			okra__buf_printf(b, "</td><td>%s</td><td>",
			                 !r->calibrated ? "–"
			                 : r->hit       ? "yes"
			                                : "no");
			if (r->has_snapshot) {
				okra__html_score(b, r->snap_score);
				okra__buf_puts(b, ", ");
				esc(b, r->snap_status);
			} else {
				okra__buf_puts(b, "–");
			}
			okra__buf_puts(b, "</td></tr>\n");
		}
		okra__buf_puts(b, "</tbody>\n");
		okra__html_table_end(b);
		okra__buf_puts(b, "</section>\n");
	}
	(void)a;
	okra__buf_puts(b, "</section>\n");
}

static void html_moved(okra_arena *a, const okra_retro *t, okra_buf *b)
{
	okra__buf_puts(b, "<section id=\"moved\">\n<h2>Did the metrics move "
	                  "with the experiments?</h2>\n<div class=\"card\">\n");
	okra__html_table_begin(b, "retro-moved");
	okra__buf_puts(b, "<thead><tr><th>Key result</th><th>Progress</th>"
	                  "<th>Metric</th><th>Experiments</th><th>Shipped</th>"
	                  "</tr></thead>\n<tbody>\n");
	size_t n_mismatch = 0;
	for (size_t i = 0; i < t->n_krs; i++) {
		const okra_retro_kr *r = &t->krs[i];
		n_mismatch += r->mismatch != NULL;
		okra__buf_puts(b, "<tr><td><code>");
		esc(b, r->k->kr->id);
		okra__buf_printf(
		    b,
		    "</code></td><td class=\"num\">%s</td><td>%s</td><td "
		    "class=\"num\">%zu</td><td class=\"num\">%zu</td></tr>\n",
		    isnan(r->k->progress)
		        ? "–"
		        : okra__arena_printf(a, "%.0f%%", 100 * r->k->progress),
		    moved_names[r->moved], r->n_experiments, r->n_shipped);
	}
	okra__buf_puts(b, "</tbody>\n");
	okra__html_table_end(b);
	if (!n_mismatch)
		okra__buf_puts(b,
		               "<p class=\"muted\">No key result's metric "
		               "moved without its experiments, or stood still "
		               "after one shipped.</p>\n");
	else
		okra__buf_puts(b, "<ul>\n");
	for (size_t i = 0; i < t->n_krs; i++) {
		if (!t->krs[i].mismatch)
			continue;
		okra__buf_puts(b, "<li><code>");
		esc(b, t->krs[i].k->kr->id);
		okra__buf_puts(b, "</code>: ");
		esc(b, t->krs[i].mismatch);
		okra__buf_puts(b, ".</li>\n");
	}
	if (n_mismatch)
		okra__buf_puts(b, "</ul>\n");
	okra__buf_puts(b, "</div>\n</section>\n");
}

static void html_hypotheses(okra_arena *a, const okra_retro *t, okra_buf *b)
{
	okra__buf_puts(b, "<section id=\"hypotheses\">\n<h2>Hypotheses and "
	                  "experiments</h2>\n<div class=\"card\">\n<p>");
	esc(b, hypotheses_line(a, t));
	okra__buf_puts(b, ".</p>\n");
	okra__html_table_begin(b, "retro-hypotheses");
	okra__buf_puts(b, "<thead><tr><th>Key result</th><th>Hypotheses</th>"
	                  "<th>Tested</th><th>Not written out</th></tr>"
	                  "</thead>\n<tbody>\n");
	for (size_t i = 0; i < t->n_krs; i++) {
		const okra_retro_kr *r = &t->krs[i];
		okra__buf_puts(b, "<tr><td><code>");
		esc(b, r->k->kr->id);
		okra__buf_printf(b,
		                 "</code></td><td class=\"num\">%zu</td><td "
		                 "class=\"num\">%zu</td><td class=\"num\">%zu"
		                 "</td></tr>\n",
		                 r->n_hypotheses, r->n_tested,
		                 r->n_placeholders);
	}
	okra__buf_puts(b, "</tbody>\n");
	okra__html_table_end(b);
	if (t->n_exps) {
		okra__html_table_begin(b, "retro-experiments");
		okra__buf_puts(b, "<thead><tr><th>Experiment</th><th>Key "
		                  "result</th><th>Status</th><th>Decision</th>"
		                  "</tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < t->n_exps; i++) {
			const okra_retro_exp *x = &t->exps[i];
			okra__buf_puts(b, "<tr><td><code>");
			esc(b, x->x->id);
			okra__buf_puts(b, "</code></td><td><code>");
			esc(b, x->kr->k->kr->id);
			okra__buf_printf(b, "</code></td><td>%s</td><td>",
			                 exp_status(x));
			if (!x->r) {
				esc(b, x->error);
			} else {
				esc(b, x->decision);
				okra__buf_puts(b, x->recorded ? " (the team's)"
				                              : " (okra's)");
			}
			okra__buf_puts(b, "</td></tr>\n");
		}
		okra__buf_puts(b, "</tbody>\n");
		okra__html_table_end(b);
	}
	okra__buf_puts(b, "</div>\n</section>\n");
}

static void html_waivers(okra_arena *a, const okra_retro *t, okra_buf *b)
{
	okra__buf_puts(b, "<section id=\"waived\">\n<h2>Waived lint rules</h2>"
	                  "\n<div class=\"card\">\n<p>");
	esc(b, waived_line(a, t));
	okra__buf_puts(b, ".</p>\n");
	if (!t->n_waivers)
		okra__buf_puts(b, "<p class=\"muted\">No rule was switched "
		                  "off for the quarter.</p>\n");
	else
		okra__buf_puts(b, "<ul>\n");
	for (size_t i = 0; i < t->n_waivers; i++) {
		const okra_retro_waiver *w = &t->waivers[i];
		okra__buf_puts(b, "<li><code>");
		esc(b, w->rule);
		okra__buf_puts(b, "</code> in ");
		esc(b, w->scope);
		if (w->pos.line) {
			okra__buf_puts(b, " (");
			esc(b, w->pos.file);
			okra__buf_printf(b, ":%d)", w->pos.line);
		}
		okra__buf_puts(b, "</li>\n");
	}
	if (t->n_waivers)
		okra__buf_puts(b, "</ul>\n");
	okra__buf_puts(b, "</div>\n</section>\n");
}

void okra__retro_html(const okra_retro *t, okra_buf *b)
{
	okra_arena a = {0};
	const okra_workspace *ws = t->review->ws;
	const char *name = ws->settings.name ? ws->settings.name : "";
	okra__buf_puts(b,
	               "<!doctype html>\n<html lang=\"en\">\n<head>\n"
	               "<meta charset=\"utf-8\">\n"
	               "<meta name=\"viewport\" content=\"width=device-width, "
	               "initial-scale=1\">\n"
	               "<meta name=\"color-scheme\" content=\"light dark\">\n"
	               "<meta name=\"generator\" content=\"okra ");
	esc(b, okra_version());
	okra__buf_printf(b, "\">\n<title>Retrospective of %d-Q%d", t->q.year,
	                 t->q.q);
	if (*name) {
		okra__buf_puts(b, MIDDOT);
		esc(b, name);
	}
	okra__buf_puts(b, "</title>\n<style>\n");
	okra__html_stylesheet(b);
	okra__buf_printf(b,
	                 "</style>\n</head>\n<body class=\"review\">\n<main>\n"
	                 "<header class=\"page-head\">\n<div>\n<p "
	                 "class=\"eyebrow\">Quarterly retrospective</p>\n<h1>"
	                 "%d-Q%d",
	                 t->q.year, t->q.q);
	if (*name) {
		okra__buf_puts(b, MIDDOT);
		esc(b, name);
	}
	okra__buf_puts(b, "</h1>\n<p class=\"meta\">");
	esc(b, asof_line(&a, t));
	okra__buf_puts(b, MIDDOT);
	esc(b, reviews_line(&a, t));
	okra__buf_puts(b,
	               "</p>\n</div>\n</header>\n<section id=\"calibration\">"
	               "\n<h2>Calibration</h2>\n<div class=\"card\">\n<p>");
	esc(b, calibration(&a, t));
	okra__buf_puts(b, "</p>\n</div>\n</section>\n");
	html_objectives(&a, t, b);
	html_moved(&a, t, b);
	html_hypotheses(&a, t, b);
	html_waivers(&a, t, b);
	okra__buf_puts(b, "<footer>Generated by okra ");
	esc(b, okra_version());
	okra__buf_puts(b, ". This page is self-contained: it runs no script "
	                  "and loads nothing from the network.</footer>\n"
	                  "</main>\n</body>\n</html>\n");
	okra__arena_free(&a);
}

okra_rc okra_retro_write(const okra_retro *t, okra_format format, FILE *out,
                         okra_err *err)
{
	okra_buf b = {0};
	if (format == OKRA_FORMAT_MD)
		okra__retro_md(t, &b);
	else if (format == OKRA_FORMAT_HTML)
		okra__retro_html(t, &b);
	else
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "the retrospective is written as md or "
		                     "html");
	return okra__buf_write(&b, out, err);
}
