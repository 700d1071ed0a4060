/*
 * html.c - the HTML components shared by the static review and the
 * dashboard (render/html.h): badges, bars, the summary, objective heads,
 * key result cards, metric tables, learnings, suggestions and findings.
 *
 * Reads the review and computes nothing.  Every string from YAML or data
 * goes through esc() or okra__html_url; no style attribute, no script.
 */
#include "render/html.h"

#include "base/html.h"
#include "render/experiment.h"
#include "render/svg.h"

#include <math.h>
#include <string.h>

#define MINUS  "\xe2\x88\x92"
#define DASH   "\xe2\x80\x93"
#define MIDDOT " \xc2\xb7 "
#define ARROW  " \xe2\x86\x92 "

typedef struct light_style {
	const char *icon; /* distinct shapes read in grey print */
	const char *word; /* the light's name, as in every other output */
	const char *meaning;
	const char *css;
} light_style;

static const light_style lights[OKRA_LIGHT_COUNT] = {
    [OKRA_LIGHT_NO_DATA] = {"\xe2\x80\x93", "no data", "no value yet",
                            "nodata"},
    [OKRA_LIGHT_GREEN] = {"\xe2\x97\x8f", "green", "on track", "green"},
    [OKRA_LIGHT_YELLOW] = {"\xe2\x96\xb2", "yellow", "behind the trajectory",
                           "yellow"},
    [OKRA_LIGHT_RED] = {"\xe2\x96\xa0", "red", "off track", "red"},
    [OKRA_LIGHT_DONE] = {"\xe2\x9c\x93", "done", "target reached", "done"},
    [OKRA_LIGHT_OPEN] = {"\xe2\x97\x8b", "open", "not done, not yet due",
                         "nodata"},
};

static const okra_light light_order[] = {OKRA_LIGHT_GREEN,   OKRA_LIGHT_YELLOW,
                                         OKRA_LIGHT_RED,     OKRA_LIGHT_DONE,
                                         OKRA_LIGHT_NO_DATA, OKRA_LIGHT_OPEN};

static okra_light valid_light(okra_light l)
{
	return (unsigned)l < OKRA_LIGHT_COUNT ? l : OKRA_LIGHT_NO_DATA;
}

static void esc(okra_buf *b, const char *s)
{
	okra__buf_html(b, s);
}

static const char *metric_title(const okra_metric *m)
{
	return m->title && *m->title ? m->title : m->id;
}

static const char *kr_title(const okra_key_result *kr)
{
	return kr->title.text && *kr->title.text ? kr->title.text : kr->id;
}

/* ======================================================================
 * Small pieces
 * ====================================================================== */

void okra__html_url(okra_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.~", *p))
			okra__buf_putc(b, (char)*p);
		else
			okra__buf_printf(b, "%%%c%c", hex[*p >> 4],
			                 hex[*p & 15]);
	}
}

void okra__html_value(okra_buf *b, const okra_metric *m, double v)
{
	okra__svg_format_value(b, m ? m->unit : OKRA_UNIT_NONE, v);
}

void okra__html_score(okra_buf *b, double v)
{
	if (!isfinite(v))
		okra__buf_puts(b, DASH);
	else
		okra__buf_printf(b, "%.2f", v);
}

void okra__html_share(okra_buf *b, double v)
{
	if (!isfinite(v))
		okra__buf_puts(b, DASH);
	else
		okra__buf_printf(b, "%.0f%%",
		                 round(v * 100) == 0 ? 0.0 : v * 100);
}

void okra__html_date(okra_buf *b, int32_t day)
{
	char s[11];
	okra__format_date(day, s);
	okra__buf_printf(b, "<time datetime=\"%s\">%s</time>", s, s);
}

void okra__html_badge(okra_buf *b, okra_light l)
{
	l = valid_light(l);
	okra__buf_printf(b,
	                 "<span class=\"light light-%s\" title=\"%s\">"
	                 "<span class=\"icon\" aria-hidden=\"true\">%s</span>"
	                 "%s</span>",
	                 lights[l].css, lights[l].meaning, lights[l].icon,
	                 lights[l].word);
}

void okra__html_bar(okra_buf *b, double score)
{
	double w = isfinite(score) ? fmin(fmax(score, 0), 1) : 0;
	okra__buf_printf(b,
	                 "<svg class=\"bar\" viewBox=\"0 0 100 6\" "
	                 "preserveAspectRatio=\"none\" aria-hidden=\"true\">"
	                 "<rect class=\"bar-bg\" width=\"100\" height=\"6\" "
	                 "fill=\"#e6e9ed\"/><rect class=\"bar-fg\" "
	                 "width=\"%.0f\" height=\"6\" fill=\"#1f4e99\"/></svg>",
	                 w * 100);
}

static void asof_query(okra_buf *b, const okra_html_ctx *ctx, char sep)
{
	if (ctx->asof) {
		okra__buf_printf(b, "%casof=", sep);
		okra__html_url(b, ctx->asof);
	}
}

void okra__html_metric_name(okra_buf *b, const okra_html_ctx *ctx,
                            const okra_metric *m, const char *pin)
{
	if (!ctx->links) {
		esc(b, metric_title(m));
		return;
	}
	okra__buf_puts(b, "<a href=\"/metrics/");
	okra__html_url(b, m->id);
	char sep = '?';
	if (pin) {
		okra__buf_puts(b, "?where=");
		okra__html_url(b, pin);
		sep = '&';
	}
	if (ctx->asof) {
		okra__buf_printf(b, "%cto=", sep);
		okra__html_url(b, ctx->asof);
	}
	okra__buf_puts(b, "\">");
	esc(b, metric_title(m));
	okra__buf_puts(b, "</a>");
}

/* The link to an objective's page (and one of its key results). */
static void objective_href(okra_buf *b, const okra_html_ctx *ctx,
                           const char *obj, const char *kr)
{
	okra__buf_puts(b, "/objectives/");
	okra__html_url(b, obj);
	asof_query(b, ctx, '?');
	if (kr) {
		okra__buf_puts(b, "#kr-");
		okra__html_url(b, kr);
	}
}

void okra__html_table_begin(okra_buf *b, const char *cls)
{
	okra__buf_printf(b,
	                 "<div class=\"table-wrap\"><table class=\"grid%s%s\">",
	                 cls ? " " : "", cls ? cls : "");
}

void okra__html_table_end(okra_buf *b)
{
	okra__buf_puts(b, "</table></div>\n");
}

/* web/ as embedded by cmake/embed.cmake (each file ends with a NUL). */
struct okra__embedded {
	const char *path;
	const unsigned char *data;
	size_t len;
};
extern const struct okra__embedded okra__web_files[];

void okra__html_stylesheet(okra_buf *b)
{
	for (size_t i = 0; okra__web_files[i].path; i++)
		if (strcmp(okra__web_files[i].path, "okra.css") == 0)
			okra__buf_append(b,
			                 (const char *)okra__web_files[i].data,
			                 okra__web_files[i].len);
}

/* ======================================================================
 * Summary
 * ====================================================================== */

void okra__html_summary(okra_buf *b, const okra_html_ctx *ctx,
                        const okra_review *r)
{
	okra__buf_puts(b,
	               "<section class=\"summary\" aria-label=\"Summary\">\n");

	okra__buf_puts(b, "<div class=\"card\">\n<h3>North star</h3>\n");
	if (r->north_star) {
		okra__buf_puts(b, "<p>");
		okra__html_metric_name(b, ctx, r->north_star, NULL);
		okra__buf_puts(b, "</p>\n<p class=\"big\">");
		okra__html_value(b, r->north_star, r->ns_current);
		okra__buf_puts(b, "</p>\n<div class=\"ns-spark\">");
		okra__svg_sparkline(b, r->ns_spark, r->ns_n_spark, 320, 64);
		okra__buf_printf(
		    b,
		    "</div>\n<p class=\"muted\">last %zu weeks" MIDDOT "<code>",
		    r->ns_n_spark);
		esc(b, r->north_star->id);
		okra__buf_puts(b, "</code></p>\n");
	} else {
		okra__buf_puts(b, "<p class=\"muted\">No north star is set in "
		                  "okra.yaml.</p>\n");
	}
	okra__buf_puts(b, "</div>\n");

	size_t count[OKRA_LIGHT_COUNT] = {0};
	for (size_t i = 0; i < r->n_krs; i++)
		count[valid_light(r->krs[i].light)]++;
	okra__buf_puts(b, "<div class=\"card\">\n<h3>Key results</h3>\n"
	                  "<ul class=\"counts\">\n");
	for (size_t i = 0; i < OKRA_ARRAY_LEN(light_order); i++) {
		okra__buf_printf(b, "<li><span class=\"num\">%zu</span>",
		                 count[light_order[i]]);
		okra__html_badge(b, light_order[i]);
		okra__buf_printf(b, " <span class=\"muted\">%s</span></li>\n",
		                 lights[light_order[i]].meaning);
	}
	okra__buf_puts(b, "</ul>\n</div>\n");

	okra__buf_puts(b, "<div class=\"card\">\n<h3>Objective scores</h3>\n");
	if (!r->n_objectives)
		okra__buf_puts(b, "<p class=\"muted\">No objectives.</p>\n");
	else
		okra__buf_puts(b, "<table class=\"scores\">\n");
	for (size_t i = 0; i < r->n_objectives; i++) {
		const okra_obj_eval *o = &r->objectives[i];
		const char *title = o->obj->title.text && *o->obj->title.text
		                        ? o->obj->title.text
		                        : o->obj->id;
		okra__buf_puts(b, "<tr><td>");
		if (ctx->links) {
			okra__buf_puts(b, "<a href=\"");
			objective_href(b, ctx, o->obj->id, NULL);
			okra__buf_puts(b, "\">");
			esc(b, title);
			okra__buf_puts(b, "</a>");
		} else {
			esc(b, title);
		}
		okra__html_bar(b, o->score);
		okra__buf_puts(b, "</td><td class=\"num\">");
		okra__html_score(b, o->score);
		okra__buf_puts(b, "</td></tr>\n");
	}
	if (r->n_objectives)
		okra__buf_puts(b, "</table>\n");
	okra__buf_puts(b, "</div>\n</section>\n");
}

/* ======================================================================
 * Objectives and key results
 * ====================================================================== */

void okra__html_objective_head(okra_buf *b, const okra_html_ctx *ctx,
                               const okra_obj_eval *o, int level)
{
	const okra_objective *obj = o->obj;
	const char *title =
	    obj->title.text && *obj->title.text ? obj->title.text : obj->id;
	okra__buf_printf(b, "<div class=\"obj-head\"><h%d>", level);
	if (ctx->links && level > 1) {
		okra__buf_puts(b, "<a href=\"");
		objective_href(b, ctx, obj->id, NULL);
		okra__buf_puts(b, "\">");
		esc(b, title);
		okra__buf_puts(b, "</a>");
	} else {
		esc(b, title);
	}
	okra__buf_printf(b, "</h%d><span class=\"obj-score\">score <strong>",
	                 level);
	okra__html_score(b, o->score);
	okra__buf_puts(b,
	               "</strong></span></div>\n<p class=\"obj-meta\"><code>");
	esc(b, obj->id);
	okra__buf_puts(b, "</code>");
	if (obj->team.id) {
		okra__buf_puts(b, MIDDOT "team ");
		esc(b, obj->team.id);
	}
	if (obj->has_quarter)
		okra__buf_printf(b, MIDDOT "%d-Q%d", obj->quarter.year,
		                 obj->quarter.q);
	if (obj->parent_is_north_star) {
		okra__buf_puts(b, MIDDOT "supports the north star");
	} else if (obj->parent) {
		okra__buf_puts(b, MIDDOT "supports <code>");
		esc(b, obj->parent);
		okra__buf_puts(b, "</code>");
	}
	okra__buf_puts(b, "</p>\n");
	if (obj->why && *obj->why) {
		okra__buf_puts(b, "<p class=\"why\">");
		esc(b, obj->why);
		okra__buf_puts(b, "</p>\n");
	}
}

static void fact(okra_buf *b, const char *cls, const char *name)
{
	okra__buf_printf(b, "<tr%s%s%s><th scope=\"row\">%s</th><td>",
	                 cls ? " class=\"" : "", cls ? cls : "",
	                 cls ? "\"" : "", name);
}

/* A change: "+1.2 pts" for shares, "+1,234" or "−0.4 h" otherwise. */
static void delta(okra_buf *b, const okra_metric *m, double d)
{
	if (!isfinite(d)) {
		okra__buf_puts(b, DASH);
		return;
	}
	okra_unit u = m ? m->unit : OKRA_UNIT_NONE;
	double shown = u == OKRA_UNIT_PERCENT ? round(fabs(d) * 1000) : fabs(d);
	okra__buf_puts(b, shown == 0 ? "\xc2\xb1" : d < 0 ? MINUS : "+");
	if (u == OKRA_UNIT_PERCENT)
		okra__buf_printf(b, "%.1f pts", fabs(d) * 100);
	else
		okra__svg_format_value(b, u, fabs(d));
}

static void kr_facts(okra_buf *b, const okra_review *r, const okra_kr_eval *k)
{
	const okra_metric *m = k->metric;
	okra__buf_puts(b, "<table class=\"facts\">\n");
	fact(b, "main", "Current");
	okra__html_value(b, m, k->current);
	okra__buf_puts(b, "</td></tr>\n");
	fact(b, NULL, "Baseline");
	okra__html_value(b, m, k->baseline);
	if (k->baseline_auto) {
		okra__buf_puts(b, "<span class=\"sub\">auto: as of ");
		okra__html_date(b, k->q0 - 1);
		okra__buf_puts(b, "</span>");
	}
	okra__buf_puts(b, "</td></tr>\n");
	fact(b, NULL, "Expected now");
	okra__html_value(b, m, k->expected);
	if (isfinite(k->elapsed)) {
		okra__buf_puts(b, "<span class=\"sub\">");
		okra__html_share(b, k->elapsed);
		okra__buf_puts(b, " of quarter gone</span>");
	}
	okra__buf_puts(b, "</td></tr>\n");
	fact(b, NULL, "Target");
	okra__html_value(b, m, k->target);
	if (k->stretch_set) {
		okra__buf_puts(b, "<span class=\"sub\">stretch ");
		okra__html_value(b, m, k->stretch);
		okra__buf_puts(b, "</span>");
	}
	okra__buf_puts(b, "</td></tr>\n");
	if (k->kr->kind == OKRA_KR_MOVE) {
		fact(b, NULL, "Progress");
		okra__html_share(b, k->progress);
		if (isfinite(k->gap)) {
			okra__buf_puts(
			    b, "<span class=\"sub\" title=\"progress minus "
			       "the share of the quarter gone\">gap ");
			okra__buf_puts(b, k->gap < -0.0005 ? MINUS : "+");
			okra__buf_printf(b, "%.0f pts</span>",
			                 fabs(k->gap) * 100 < 0.5
			                     ? 0.0
			                     : fabs(k->gap) * 100);
		}
		okra__buf_puts(b, "</td></tr>\n");
	}

	if (k->has_prev) {
		okra__buf_puts(b, "<tr><th scope=\"row\">Since ");
		okra__html_date(b, k->prev_asof);
		okra__buf_puts(b, "</th><td>");
		delta(b, m, k->current - k->prev_value);
		okra__buf_puts(b, "<span class=\"sub\">score ");
		okra__html_score(b, k->prev_score);
		okra__buf_puts(b, ARROW);
		okra__html_score(b, k->score);
		if (k->prev_light != k->light)
			okra__buf_printf(
			    b, ", was %s %s",
			    lights[valid_light(k->prev_light)].icon,
			    lights[valid_light(k->prev_light)].word);
		okra__buf_puts(b, "</span></td></tr>\n");
	} else {
		fact(b, NULL, "Since last review");
		okra__buf_printf(
		    b, "<span class=\"muted\">%s</span></td></tr>\n",
		    r->has_prev ? "not in the last review" : "first review");
	}

	fact(b, NULL, "Confidence");
	if (k->confidence >= 0) {
		okra__buf_printf(b, "%d/10<span class=\"sub\">", k->confidence);
		if (k->n_confidence > 1) {
			size_t from =
			    k->n_confidence > 5 ? k->n_confidence - 5 : 0;
			for (size_t i = from; i < k->n_confidence; i++)
				okra__buf_printf(b, "%s%d",
				                 i > from ? ARROW : "",
				                 k->confidence_values[i]);
			okra__buf_puts(b, MIDDOT);
		}
		okra__html_date(b, k->confidence_day);
		if (k->confidence_note && *k->confidence_note) {
			okra__buf_puts(b, MIDDOT);
			esc(b, k->confidence_note);
		}
		okra__buf_puts(b, "</span>");
	} else {
		okra__buf_puts(b, "<span class=\"muted\">no check-in</span>");
	}
	okra__buf_puts(b, "</td></tr>\n");

	const okra_forecast *f = &k->forecast;
	if (f->ok) {
		okra__buf_puts(b, "<tr><th scope=\"row\">Forecast ");
		okra__html_date(b, k->q1);
		okra__buf_puts(b, "</th><td>");
		okra__html_value(b, m, f->value);
		okra__buf_puts(b, "<span class=\"sub\">80%: ");
		okra__html_value(b, m, f->lo);
		okra__buf_puts(b, " " DASH " ");
		okra__html_value(b, m, f->hi);
		okra__buf_puts(b, "</span></td></tr>\n");
		fact(b, NULL, "Chance of target");
		okra__html_share(b, f->prob);
		static const char *const words[] = {"", "on track", "at risk",
		                                    "off track"};
		if (k->outlook != OKRA_OUTLOOK_NONE)
			okra__buf_printf(b, "<span class=\"sub\">%s</span>",
			                 words[k->outlook]);
		okra__buf_puts(b, "</td></tr>\n");
		if (k->why) {
			fact(b, NULL, "Light and forecast");
			esc(b, k->why);
			okra__buf_puts(b, "</td></tr>\n");
		}
	} else {
		fact(b, NULL, "Forecast");
		okra__buf_printf(b,
		                 "<span class=\"muted\">needs 3 weekly points "
		                 "(has %zu)</span></td></tr>\n",
		                 f->n_points);
	}
	okra__buf_puts(b, "</table>\n");
}

#define CHART_H 250

static void kr_chart(okra_buf *b, const okra_html_ctx *ctx,
                     const okra_review *r, const okra_kr_eval *k)
{
	okra_chart c = {
	    .unit = k->metric ? k->metric->unit : OKRA_UNIT_NONE,
	    .days = k->week_days,
	    .values = k->week_values,
	    .n = k->n_weeks,
	    .has_target = isfinite(k->target),
	    .target = k->target,
	    .x_min = k->q0 - 1,
	    .x_max = k->q1,
	};
	if (k->kr->kind == OKRA_KR_MOVE && isfinite(k->baseline) &&
	    isfinite(k->target)) {
		c.has_trajectory = true;
		c.traj_d0 = k->q0 - 1; /* expected = baseline the day before */
		c.traj_d1 = k->q1;
		c.traj_v0 = k->baseline;
		c.traj_v1 = k->target;
	}
	if (k->forecast.ok && k->forecast.n_band) {
		c.n_band = k->forecast.n_band;
		c.band_days = k->forecast.band_days;
		c.band_mid = k->forecast.band_mid;
		c.band_lo = k->forecast.band_lo;
		c.band_hi = k->forecast.band_hi;
	}
	/* The forecast if an experiment's winning variant ships. */
	okra_buf ship_label = {0};
	for (size_t i = 0; i < r->n_learned && !c.n_band2; i++) {
		const okra_exp_learned *l = &r->learned[i];
		if (l->k != k || !l->has_ship)
			continue;
		c.n_band2 = l->n_band;
		c.band2_days = l->band_days;
		c.band2_mid = l->band_mid;
		c.band2_lo = l->band_lo;
		c.band2_hi = l->band_hi;
		okra__buf_printf(&ship_label, "If %s ships (%s)",
		                 l->r->variants[1].name, l->x->id);
		c.band2_label = ship_label.data;
	}
	if (r->asof >= k->q0 - 1 && r->asof <= k->q1) {
		c.has_asof = true;
		c.asof = r->asof;
	}
	if (k->q1 <= k->q0) /* no quarter: the data's own range */
		c.x_min = c.x_max = 0;
	okra_buf title = {0};
	okra__buf_puts(&title, kr_title(k->kr));
	okra__buf_puts(&title, ": weekly values");
	if (c.has_trajectory)
		okra__buf_puts(&title, " against the trajectory");
	if (c.has_target)
		okra__buf_puts(&title, c.has_trajectory
		                           ? " and the target"
		                           : " against the target");
	c.title = title.data;
	if (ctx && ctx->kr_marks)
		ctx->kr_marks(ctx->kr_marks_arg, k, &c);
	okra__svg_chart(b, &c, CHART_H);
	okra__buf_free(&title);
	okra__buf_free(&ship_label);
}

void okra__html_kr_card_begin(okra_buf *b, const okra_html_ctx *ctx,
                              const okra_review *r, const okra_kr_eval *k)
{
	const okra_key_result *kr = k->kr;
	okra_light l = valid_light(k->light);
	okra__buf_printf(b, "<article class=\"kr l-%s\" id=\"kr-",
	                 lights[l].css);
	esc(b, kr->id);
	okra__buf_puts(b, "\" data-kr=\"");
	esc(b, kr->id);
	okra__buf_puts(b, "\" tabindex=\"-1\">\n<div class=\"kr-head\">\n"
	                  "<div>\n<h4>");
	esc(b, kr_title(kr));
	okra__buf_puts(b, "</h4>\n<p class=\"kr-meta\"><code>");
	esc(b, kr->id);
	okra__buf_puts(b, "</code>");
	if (k->metric) {
		okra__buf_puts(b, MIDDOT);
		okra__html_metric_name(b, ctx, k->metric, k->pin);
	}
	if (k->pin) {
		okra__buf_puts(b, MIDDOT "pinned to <code>");
		esc(b, k->pin);
		okra__buf_puts(b, "</code>");
	}
	static const char *const kinds[] = {"", "stay above", "stay below",
	                                    "milestone"};
	if ((unsigned)kr->kind < OKRA_ARRAY_LEN(kinds) &&
	    kr->kind != OKRA_KR_MOVE)
		okra__buf_printf(b, MIDDOT "%s", kinds[kr->kind]);
	okra__buf_puts(b, "</p>\n</div>\n<div class=\"kr-status\">");
	okra__html_badge(b, l);
	okra__buf_puts(b, "<span class=\"kr-score\">score <strong>");
	okra__html_score(b, k->score);
	okra__buf_puts(
	    b, "</strong></span></div>\n</div>\n<div class=\"kr-body\">\n");
	kr_facts(b, r, k);
	kr_chart(b, ctx, r, k);
	okra__buf_puts(b, "</div>\n");
	if (kr->measurement && *kr->measurement) {
		okra__buf_puts(b, "<p class=\"measurement\">Measurement: ");
		esc(b, kr->measurement);
		okra__buf_puts(b, "</p>\n");
	}
	if (kr->n_hypotheses) {
		okra__buf_puts(b, "<div class=\"hyp\">\n<h5>Hypotheses</h5>\n"
		                  "<ol class=\"hypotheses\">\n");
		for (size_t i = 0; i < kr->n_hypotheses; i++) {
			okra__buf_puts(b, "<li>");
			esc(b, kr->hypotheses[i].text);
			for (size_t j = 0; j < r->n_learnings; j++) {
				const okra_learning *le = &r->learnings[j];
				if (le->kr != kr || !le->experiment ||
				    !le->hypothesis ||
				    strcmp(le->hypothesis,
				           kr->hypotheses[i].text) != 0)
					continue;
				okra__buf_puts(b, " <span class=\"tag exp\">"
				                  "experiment <code>");
				esc(b, le->experiment->id);
				okra__buf_puts(b, "</code></span>");
			}
			okra__buf_puts(b, "</li>\n");
		}
		okra__buf_puts(b, "</ol>\n</div>\n");
	}
}

void okra__html_kr_card_end(okra_buf *b)
{
	okra__buf_puts(b, "</article>\n");
}

static void spark_cell(okra_buf *b, const okra_metric *m, const double *v,
                       size_t n)
{
	/* The numbers as the title: the dashboard's script shows them as a
	 * tooltip, a screen reader reads them. */
	okra__buf_puts(b, "<td class=\"spark\"><span class=\"spark\" title=\"");
	for (size_t i = 0; i < n; i++) {
		okra__buf_puts(b, i ? ARROW : "");
		okra__html_value(b, m, v[i]);
	}
	okra__buf_puts(b, "\">");
	okra__svg_sparkline(b, v, n, 96, 24);
	okra__buf_puts(b, "</span></td>");
}

static void value_cell(okra_buf *b, const okra_metric *m, double v)
{
	okra__buf_puts(b, "<td class=\"num\">");
	okra__html_value(b, m, v);
	okra__buf_puts(b, "</td>");
}

void okra__html_kr_table(okra_buf *b, const okra_html_ctx *ctx,
                         const okra_obj_eval *o)
{
	okra__html_table_begin(b, "krs");
	okra__buf_puts(b, "<thead><tr><th scope=\"col\">Key result</th>"
	                  "<th scope=\"col\">Status</th>"
	                  "<th scope=\"col\" class=\"num\">Current</th>"
	                  "<th scope=\"col\" class=\"num\">Expected</th>"
	                  "<th scope=\"col\" class=\"num\">Target</th>"
	                  "<th scope=\"col\" class=\"num\">Score</th>"
	                  "<th scope=\"col\" class=\"num\">Confidence</th>"
	                  "<th scope=\"col\" class=\"spark\">Last 8 weeks</th>"
	                  "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < o->n_krs; i++) {
		const okra_kr_eval *k = &o->krs[i];
		okra__buf_puts(b, "<tr><td>");
		if (ctx->links) {
			okra__buf_puts(b, "<a href=\"");
			objective_href(b, ctx, o->obj->id, k->kr->id);
			okra__buf_puts(b, "\">");
			esc(b, kr_title(k->kr));
			okra__buf_puts(b, "</a>");
		} else {
			esc(b, kr_title(k->kr));
		}
		okra__buf_puts(b, "<span class=\"id\">");
		esc(b, k->kr->id);
		if (k->pin) {
			okra__buf_puts(b, " [");
			esc(b, k->pin);
			okra__buf_puts(b, "]");
		}
		okra__buf_puts(b, "</span></td><td>");
		okra__html_badge(b, k->light);
		okra__buf_puts(b, "</td>");
		value_cell(b, k->metric, k->current);
		value_cell(b, k->metric, k->expected);
		value_cell(b, k->metric, k->target);
		okra__buf_puts(b, "<td class=\"num\">");
		okra__html_score(b, k->score);
		okra__buf_puts(b, "</td><td class=\"num\">");
		if (k->confidence >= 0)
			okra__buf_printf(b, "%d/10", k->confidence);
		else
			okra__buf_puts(b, DASH);
		okra__buf_puts(b, "</td>");
		spark_cell(b, k->metric, k->spark, k->n_spark);
		okra__buf_puts(b, "</tr>\n");
	}
	okra__buf_puts(b, "</tbody>");
	okra__html_table_end(b);
}

/* A dashboard row's light: only where there is a target to be measured
 * against (as the text and JSON review have it). */
static void status_cell(okra_buf *b, const okra_dash_row *row)
{
	okra__buf_puts(b, "<td>");
	if (row && isfinite(row->target))
		okra__html_badge(b, row->light);
	else
		okra__buf_puts(b, "<span class=\"muted\" title=\"no target "
		                  "this quarter\">" DASH "</span>");
	okra__buf_puts(b, "</td>");
}

static void metric_cell(okra_buf *b, const okra_html_ctx *ctx,
                        const okra_metric *m)
{
	okra__buf_puts(b, "<td>");
	okra__html_metric_name(b, ctx, m, NULL);
	okra__buf_puts(b, "<span class=\"id\">");
	esc(b, m->id);
	okra__buf_puts(b, "</span></td>");
}

void okra__html_metric_table(okra_buf *b, const okra_html_ctx *ctx,
                             const char *caption, const char *period,
                             const okra_dash_row *rows, size_t n)
{
	okra__buf_printf(b, "<h3>%s</h3>\n", caption);
	if (!n) {
		okra__buf_puts(b, "<p class=\"muted\">None.</p>\n");
		return;
	}
	okra__html_table_begin(b, "dash");
	okra__buf_printf(
	    b,
	    "<thead><tr><th scope=\"col\">Metric</th>"
	    "<th scope=\"col\" class=\"num\">Current</th>"
	    "<th scope=\"col\" class=\"num\">Target</th>"
	    "<th scope=\"col\">Status</th><th scope=\"col\" "
	    "class=\"spark\">Last %zu %s</th></tr></thead>\n<tbody>\n",
	    (size_t)OKRA_SPARK_POINTS, period);
	for (size_t i = 0; i < n; i++) {
		const okra_dash_row *row = &rows[i];
		okra__buf_puts(b, "<tr>");
		metric_cell(b, ctx, row->metric);
		value_cell(b, row->metric, row->current);
		value_cell(b, row->metric, row->target);
		status_cell(b, row);
		spark_cell(b, row->metric, row->spark, row->n_spark);
		okra__buf_puts(b, "</tr>\n");
	}
	okra__buf_puts(b, "</tbody>");
	okra__html_table_end(b);
}

void okra__html_inputs_table(okra_buf *b, const okra_html_ctx *ctx,
                             const okra_review *r)
{
	okra__buf_puts(b, "<h3>Inputs</h3>\n");
	if (!r->n_ns_inputs) {
		okra__buf_puts(b, "<p class=\"muted\">None.</p>\n");
		return;
	}
	okra__html_table_begin(b, "dash inputs");
	okra__buf_printf(b,
	                 "<thead><tr><th scope=\"col\">Metric</th>"
	                 "<th scope=\"col\" class=\"num\">Current</th>"
	                 "<th scope=\"col\" class=\"num\">Target</th>"
	                 "<th scope=\"col\" class=\"num\">Benchmark</th>"
	                 "<th scope=\"col\">Status</th><th scope=\"col\" "
	                 "class=\"spark\">Trend</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < r->n_ns_inputs; i++) {
		const okra_dash_row *in = &r->ns_inputs[i];
		const okra_metric *m = in->metric;
		okra__buf_puts(b, "<tr>");
		metric_cell(b, ctx, m);
		value_cell(b, m, in->current);
		value_cell(b, m, in->target);
		value_cell(b, m, in->benchmark);
		status_cell(b, in);
		spark_cell(b, m, in->spark, in->n_spark);
		okra__buf_puts(b, "</tr>\n");
	}
	okra__buf_puts(b, "</tbody>");
	okra__html_table_end(b);
}

/* ======================================================================
 * Learnings, suggestions, findings
 * ====================================================================== */

/* The decision as a badge: a word with a glyph of its own shape. */
void okra__html_decision(okra_buf *b, int decision)
{
	static const char *const glyphs[OKRA_EXP_DECISION_COUNT] = {
	    [OKRA_EXP_KEEP_RUNNING] = "\xe2\x80\xa6", /* … */
	    [OKRA_EXP_SHIP] = "\xe2\x9c\x93",         /* ✓ */
	    [OKRA_EXP_STOP] = "\xe2\x96\xa0",         /* ■ */
	    [OKRA_EXP_ITERATE] = "\xe2\x86\xbb",      /* ↻ */
	    [OKRA_EXP_INVALID] = "!",
	};
	if ((unsigned)decision >= OKRA_EXP_DECISION_COUNT)
		decision = OKRA_EXP_KEEP_RUNNING;
	okra__buf_printf(b,
	                 "<span class=\"decision d-%s\"><span class=\"icon\" "
	                 "aria-hidden=\"true\">%s</span>%s</span>",
	                 okra__exp_decision_names[decision], glyphs[decision],
	                 okra__exp_decision_names[decision]);
}

/* One experiment of "what did we learn". */
static void learned_item(okra_buf *b, const okra_html_ctx *ctx,
                         const okra_exp_learned *l)
{
	okra__buf_puts(b, "<li class=\"exp-row\"><span>");
	if (ctx->links) {
		okra__buf_puts(b, "<a href=\"/experiments/");
		okra__html_url(b, l->x->id);
		asof_query(b, ctx, '?');
		okra__buf_puts(b, "\"><code>");
		esc(b, l->x->id);
		okra__buf_puts(b, "</code></a>");
	} else {
		okra__buf_puts(b, "<code>");
		esc(b, l->x->id);
		okra__buf_puts(b, "</code>");
	}
	if (!l->r) {
		okra__buf_puts(b,
		               " <span class=\"error\">cannot be read out: ");
		esc(b, l->error);
		okra__buf_puts(b, "</span></span></li>\n");
		return;
	}
	const okra_exp_readout *x = l->r;
	okra_buf t = {0};
	okra__buf_puts(b, " <span class=\"muted\">");
	okra__exp_status(x, &t);
	esc(b, t.data);
	okra__buf_puts(b, "</span> ");
	okra__html_decision(b, x->decision);
	okra__buf_puts(b, "</span><span>");
	t.len = 0;
	okra__exp_sentence(x, false, &t);
	esc(b, t.data);
	size_t worse = 0;
	for (size_t g = 0; g < x->n_guardrails; g++)
		worse += x->guardrails[g].worse;
	if (x->n_guardrails)
		okra__buf_printf(b, "<span class=\"sub\">guardrails: %s</span>",
		                 worse ? "a guardrail is worse" : "none worse");
	const char *rec = okra__exp_recorded_name(x);
	if (rec && strcmp(rec, okra__exp_decision_names[x->decision]) != 0) {
		okra__buf_puts(b, "<span class=\"sub\">the team decided ");
		esc(b, rec);
		okra__buf_puts(b, " on ");
		okra__html_date(b, x->recorded_day);
		okra__buf_puts(b, "</span>");
	}
	if (l->has_ship) {
		const okra_metric *m = l->k->metric;
		okra__buf_puts(b, "<span class=\"sub\">if it ships: forecast ");
		okra__html_value(b, m, l->ship_value);
		okra__buf_puts(b, " (");
		okra__html_value(b, m, l->ship_lo);
		okra__buf_puts(b, " " DASH " ");
		okra__html_value(b, m, l->ship_hi);
		okra__buf_puts(b, ") instead of ");
		okra__html_value(b, m, l->k->forecast.value);
		okra__buf_puts(b, "</span>");
	}
	okra__buf_free(&t);
	okra__buf_puts(b, "</span></li>\n");
}

void okra__html_learnings(okra_buf *b, const okra_review *r)
{
	okra__html_learnings_ctx(b, &(okra_html_ctx){0}, r);
}

void okra__html_learnings_ctx(okra_buf *b, const okra_html_ctx *ctx,
                              const okra_review *r)
{
	size_t hypotheses = 0, untested = 0;
	for (size_t i = 0; i < r->n_krs; i++) {
		const okra_kr_eval *k = &r->krs[i];
		size_t open = 0, n_exp = 0;
		for (size_t h = 0; h < r->n_learnings; h++)
			if (r->learnings[h].kr == k->kr) {
				hypotheses++;
				open += !r->learnings[h].experiment;
			}
		for (size_t j = 0; j < r->n_learned; j++)
			n_exp += r->learned[j].k == k;
		untested += open;
		if (!n_exp && !open)
			continue;
		okra__buf_puts(b, "<div class=\"learn-kr\">\n<h4>");
		esc(b, kr_title(k->kr));
		okra__buf_puts(b, "</h4>\n<ul class=\"learn\">\n");
		for (size_t j = 0; j < r->n_learned; j++)
			if (r->learned[j].k == k)
				learned_item(b, ctx, &r->learned[j]);
		if (open)
			okra__buf_printf(
			    b,
			    "<li><span class=\"tag\">%zu hypothes%s "
			    "not yet tested</span></li>\n",
			    open, open == 1 ? "is" : "es");
		okra__buf_puts(b, "</ul>\n</div>\n");
	}
	if (!hypotheses && !r->n_learned)
		okra__buf_puts(b, "<p class=\"muted\">No key result states a "
		                  "hypothesis.</p>\n");
	else
		okra__buf_printf(b,
		                 "<p class=\"muted\">%zu experiment%s read out "
		                 "since the last review; %zu of %zu hypotheses "
		                 "not yet tested.</p>\n",
		                 r->n_learned, r->n_learned == 1 ? "" : "s",
		                 untested, hypotheses);
}

/* The link of a suggestion's subject under ctx->links: its key result
 * on its objective's page, its metric in the explorer, its lint rule. */
static bool suggestion_href(okra_buf *b, const okra_html_ctx *ctx,
                            const okra_review *r, const okra_suggestion *s)
{
	if (!ctx || !ctx->links || !s->subject)
		return false;
	const okra_workspace *ws = r->ws;
	switch (s->kind) {
	case OKRA_SUGGEST_RECOVER:
	case OKRA_SUGGEST_AHEAD:
	case OKRA_SUGGEST_STALE_TARGET: {
		int k = okra__find_key_result(ws, s->subject);
		if (k < 0 || ws->key_results[k].objective < 0)
			return false;
		objective_href(b, ctx,
		               ws->objectives[ws->key_results[k].objective].id,
		               s->subject);
		return true;
	}
	case OKRA_SUGGEST_INPUT_GAP:
	case OKRA_SUGGEST_BOTTLENECK:
	case OKRA_SUGGEST_ANOMALY:
		if (okra__find_metric(ws, s->subject) < 0)
			return false;
		okra__buf_puts(b, "/metrics/");
		okra__html_url(b, s->subject);
		asof_query(b, ctx, '?');
		return true;
	case OKRA_SUGGEST_LINT:
		okra__buf_puts(b, "/lint#rule-");
		okra__html_url(b, s->subject);
		return true;
	}
	return false;
}

void okra__html_suggestions_ctx(okra_buf *b, const okra_html_ctx *ctx,
                                const okra_review *r)
{
	static const char *const kinds[] = {
	    [OKRA_SUGGEST_RECOVER] = "Recover",
	    [OKRA_SUGGEST_AHEAD] = "Shift effort",
	    [OKRA_SUGGEST_INPUT_GAP] = "Input gap",
	    [OKRA_SUGGEST_STALE_TARGET] = "Stale target",
	    [OKRA_SUGGEST_LINT] = "Lint",
	    [OKRA_SUGGEST_BOTTLENECK] = "Bottleneck",
	    [OKRA_SUGGEST_ANOMALY] = "Anomaly",
	};
	if (!r->n_suggestions) {
		okra__buf_puts(b,
		               "<p class=\"muted\">Nothing: every key result "
		               "is on track and lint is clean.</p>\n");
		return;
	}
	okra__buf_puts(b, "<ol class=\"suggest\">\n");
	for (size_t i = 0; i < r->n_suggestions; i++) {
		const okra_suggestion *s = &r->suggestions[i];
		const char *kind =
		    (unsigned)s->kind < OKRA_ARRAY_LEN(kinds) && kinds[s->kind]
		        ? kinds[s->kind]
		        : "Suggestion";
		okra__buf_printf(b, "<li><span><span class=\"tag\">%s</span>",
		                 kind);
		if (s->subject) {
			okra_buf href = {0};
			bool linked = suggestion_href(&href, ctx, r, s);
			okra__buf_puts(b, " ");
			if (linked) {
				okra__buf_puts(b, "<a href=\"");
				esc(b, href.data ? href.data : "");
				okra__buf_puts(b, "\">");
			}
			okra__buf_puts(b, "<code>");
			esc(b, s->subject);
			okra__buf_puts(b, linked ? "</code></a>" : "</code>");
			okra__buf_free(&href);
		}
		okra__buf_puts(b, "</span><span>");
		esc(b, s->text);
		okra__buf_puts(b, "</span></li>\n");
	}
	okra__buf_puts(b, "</ol>\n");
}

void okra__html_suggestions(okra_buf *b, const okra_review *r)
{
	okra__html_suggestions_ctx(b, NULL, r);
}

/* One finding: severity, rule, where, the message with its source line
 * and hint. */
static void finding_row(okra_buf *b, const okra_finding *f, bool links)
{
	static const char *const sev[] = {"info", "warning", "error"};
	const char *s = (unsigned)f->severity < OKRA_ARRAY_LEN(sev)
	                    ? sev[f->severity]
	                    : "info";
	okra__buf_printf(b,
	                 "<tr class=\"sev-%s\"><td><span class=\"sev sev-%s\">"
	                 "%s</span></td><td>",
	                 s, s, s);
	if (links) {
		/* The rule's explanation on the lint page. */
		okra__buf_puts(b, "<a href=\"/lint#rule-");
		okra__html_url(b, f->rule);
		okra__buf_puts(b, "\">");
	}
	okra__buf_puts(b, "<code>");
	esc(b, f->rule);
	okra__buf_puts(b, links ? "</code></a>" : "</code>");
	okra__buf_puts(b, "</td><td><code>");
	if (f->file) {
		esc(b, f->file);
		if (f->line)
			okra__buf_printf(b, ":%d:%d", f->line, f->col);
	}
	okra__buf_puts(b, "</code></td><td>");
	esc(b, f->message);
	if (f->source_line && *f->source_line) {
		okra__buf_puts(b, "<pre>");
		esc(b, f->source_line);
		okra__buf_puts(b, "</pre>");
	}
	if (f->hint) {
		okra__buf_puts(b, "<span class=\"hint\">");
		esc(b, f->hint);
		okra__buf_puts(b, "</span>");
	}
	okra__buf_puts(b, "</td></tr>\n");
}

void okra__html_findings(okra_buf *b, const okra_findings *f, size_t max)
{
	okra__html_findings_ctx(b, NULL, f, max);
}

void okra__html_findings_ctx(okra_buf *b, const okra_html_ctx *ctx,
                             const okra_findings *f, size_t max)
{
	size_t n = okra_findings_count(f);
	size_t ne = okra_findings_count_severity(f, OKRA_ERROR);
	size_t nw = okra_findings_count_severity(f, OKRA_WARNING);
	size_t ni = okra_findings_count_severity(f, OKRA_INFO);
	okra__buf_printf(b,
	                 "<p class=\"lint-summary\"><strong>%zu</strong> "
	                 "error%s" MIDDOT
	                 "<strong>%zu</strong> warning%s" MIDDOT
	                 "<strong>%zu</strong> info%s</p>\n",
	                 ne, ne == 1 ? "" : "s", nw, nw == 1 ? "" : "s", ni,
	                 ni == 1 ? "" : "s");
	if (!n)
		return;
	okra__html_table_begin(b, "findings");
	okra__buf_puts(b, "<thead><tr><th scope=\"col\">Severity</th>"
	                  "<th scope=\"col\">Rule</th>"
	                  "<th scope=\"col\">Where</th>"
	                  "<th scope=\"col\">Finding</th></tr></thead>\n"
	                  "<tbody>\n");
	/* errors first, then warnings, then infos; each in list order */
	size_t shown = 0;
	for (int s = OKRA_ERROR; s >= OKRA_INFO; s--)
		for (size_t i = 0; i < n && (!max || shown < max); i++) {
			const okra_finding *it = okra_findings_get(f, i);
			if ((int)it->severity != s)
				continue;
			shown++;
			finding_row(b, it, ctx && ctx->links);
		}
	okra__buf_puts(b, "</tbody>");
	okra__html_table_end(b);
	if (shown < n)
		okra__buf_printf(b,
		                 "<p class=\"muted\">and %zu more: run "
		                 "<code>okra lint</code>.</p>\n",
		                 n - shown);
}

/* ======================================================================
 * Experiments
 * ====================================================================== */

static void exp_link(okra_buf *b, const okra_html_ctx *ctx, const char *id)
{
	if (!ctx->links) {
		okra__buf_puts(b, "<code>");
		esc(b, id);
		okra__buf_puts(b, "</code>");
		return;
	}
	okra__buf_puts(b, "<a href=\"/experiments/");
	okra__html_url(b, id);
	asof_query(b, ctx, '?');
	okra__buf_puts(b, "\"><code>");
	esc(b, id);
	okra__buf_puts(b, "</code></a>");
}

static void exp_text(okra_buf *b,
                     void (*fn)(const okra_exp_readout *, okra_buf *),
                     const okra_exp_readout *r)
{
	okra_buf t = {0};
	fn(r, &t);
	esc(b, t.data ? t.data : "");
	okra__buf_free(&t);
}

static void status_text(const okra_exp_readout *r, okra_buf *t)
{
	okra__exp_status(r, t);
}

static void sentence_text(const okra_exp_readout *r, okra_buf *t)
{
	okra__exp_sentence(r, false, t);
}

static void lift_cell(okra_buf *b, const okra_metric *m, const okra_exp_cmp *c)
{
	okra_buf t = {0};
	okra__exp_lift(m, c, false, &t);
	okra__buf_puts(b, "<td class=\"num\">");
	esc(b, t.data ? t.data : "");
	okra__buf_puts(b, "</td>");
	okra__buf_free(&t);
}

static void p_cell(okra_buf *b, double p)
{
	okra_buf t = {0};
	okra__exp_p(p, &t);
	okra__buf_puts(b, "<td class=\"num\">");
	esc(b, t.data ? t.data : "");
	okra__buf_puts(b, "</td>");
	okra__buf_free(&t);
}

void okra__html_experiments_table(okra_buf *b, const okra_html_ctx *ctx,
                                  const okra_exp_readout *const *items,
                                  size_t n)
{
	if (!n) {
		okra__buf_puts(b, "<p class=\"muted\">The workspace defines no "
		                  "experiments.</p>\n");
		return;
	}
	okra__html_table_begin(b, "experiments");
	okra__buf_puts(b, "<thead><tr><th scope=\"col\">Experiment</th>"
	                  "<th scope=\"col\">Key result</th>"
	                  "<th scope=\"col\">Status</th>"
	                  "<th scope=\"col\">Decision</th>"
	                  "<th scope=\"col\" class=\"num\">First variant "
	                  "against the control</th>"
	                  "<th scope=\"col\" class=\"num\">p</th>"
	                  "<th scope=\"col\">Recorded</th></tr></thead>\n"
	                  "<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const okra_exp_readout *r = items[i];
		okra__buf_puts(b, "<tr><td>");
		exp_link(b, ctx, r->x->id);
		if (r->x->title && *r->x->title) {
			okra__buf_puts(b, "<span class=\"id\">");
			esc(b, r->x->title);
			okra__buf_puts(b, "</span>");
		}
		okra__buf_puts(b, "</td><td><code>");
		esc(b, r->kr ? r->kr->id : "");
		okra__buf_puts(b, "</code></td><td>");
		exp_text(b, status_text, r);
		okra__buf_puts(b, "</td><td>");
		okra__html_decision(b, r->decision);
		okra__buf_puts(b, "</td>");
		if (r->n_cmp) {
			lift_cell(b, r->metric, &r->cmp[0]);
			p_cell(b, r->cmp[0].p);
		} else {
			okra__buf_puts(b,
			               "<td class=\"num\">" DASH
			               "</td><td class=\"num\">" DASH "</td>");
		}
		okra__buf_puts(b, "<td>");
		esc(b, r->has_recorded ? okra__exp_recorded_name(r) : DASH);
		okra__buf_puts(b, "</td></tr>\n");
	}
	okra__buf_puts(b, "</tbody>");
	okra__html_table_end(b);
}

/* Per variant a bar to its value with its 95% interval drawn as a
 * whisker: inline SVG, presentation attributes only. */
static void variant_bars(okra_buf *b, const okra_exp_readout *r)
{
	double top = 0;
	for (size_t v = 0; v < r->n_variants; v++) {
		const okra_exp_variant *vr = &r->variants[v];
		double hi = isfinite(vr->high) ? vr->high : vr->value;
		if (isfinite(hi) && hi > top)
			top = hi;
	}
	if (r->kind == OKRA_EXP_PROPORTION && top < 1)
		top = fmin(1, top * 1.15 + 0.02);
	if (!(top > 0))
		top = 1;
	const int row = 34, label = 110, width = 560;
	int plot = width - label - 70, height = (int)r->n_variants * row + 8;
	okra__buf_printf(b,
	                 "<figure class=\"exp-bars\"><svg viewBox=\"0 0 %d "
	                 "%d\" width=\"100%%\" role=\"img\" aria-label=\"",
	                 width, height);
	esc(b, r->metric->title ? r->metric->title : r->metric->id);
	okra__buf_puts(b, " by variant, with 95% intervals\" font-size=\"12\" "
	                  "font-family=\"system-ui, sans-serif\">\n");
	for (size_t v = 0; v < r->n_variants; v++) {
		const okra_exp_variant *vr = &r->variants[v];
		double y = 4 + (double)v * row;
		double w = isfinite(vr->value) && vr->value > 0
		               ? vr->value / top * plot
		               : 0;
		okra__buf_printf(
		    b, "<text x=\"0\" y=\"%.1f\" fill=\"#24292f\">", y + 17);
		esc(b, vr->name);
		okra__buf_printf(
		    b,
		    "</text><rect class=\"%s\" x=\"%d\" y=\"%.1f\" "
		    "width=\"%.1f\" height=\"18\" fill=\"%s\"/>",
		    v ? "bar-t" : "bar-c", label, y + 4, w,
		    v ? "#1f4e99" : "#8c959f");
		if (isfinite(vr->low) && isfinite(vr->high)) {
			double x0 = label + fmax(vr->low, 0) / top * plot;
			double x1 = label + fmin(vr->high, top) / top * plot;
			okra__buf_printf(
			    b,
			    "<path class=\"whisker\" d=\"M%.1f,%.1f H%.1f "
			    "M%.1f,"
			    "%.1f v10 M%.1f,%.1f v10\" stroke=\"#24292f\" "
			    "stroke-width=\"1.5\" fill=\"none\"/>",
			    x0, y + 13, x1, x0, y + 8, x1, y + 8);
		}
		okra__buf_printf(b,
		                 "<text x=\"%d\" y=\"%.1f\" fill=\"#24292f\" "
		                 "text-anchor=\"end\">",
		                 width, y + 17);
		okra_buf t = {0};
		okra__html_value(&t, r->metric, vr->value);
		okra__buf_puts(b, t.data ? t.data : "");
		okra__buf_free(&t);
		okra__buf_puts(b, "</text>\n");
	}
	okra__buf_puts(b, "</svg><figcaption class=\"muted\">Bars: each "
	                  "variant's value; whiskers: its 95% "
	                  "interval.</figcaption></figure>\n");
}

void okra__html_experiment(okra_buf *b, const okra_html_ctx *ctx,
                           const okra_exp_readout *r)
{
	const okra_metric *m = r->metric;
	okra__buf_puts(b,
	               "<section class=\"card exp\">\n<p class=\"exp-head\">");
	okra__html_decision(b, r->decision);
	okra__buf_printf(
	    b, " <span class=\"badge %s\" title=\"sample ratio test\">",
	    r->srm_flagged ? "bad" : "ok");
	if (isnan(r->srm_p))
		okra__buf_puts(b, "SRM not tested");
	else
		okra__buf_printf(b, "SRM %s, p %.3g",
		                 r->srm_flagged ? "mismatch" : "ok", r->srm_p);
	okra__buf_puts(b, "</span> <span class=\"badge\" title=\"the chance to "
	                  "detect the minimum detectable effect\">");
	if (r->n_cmp && isfinite(r->cmp[0].power))
		okra__buf_printf(b, "power %.2f", r->cmp[0].power);
	else
		okra__buf_puts(b, "power unknown");
	okra__buf_puts(b, "</span></p>\n<p class=\"sentence\">");
	exp_text(b, sentence_text, r);
	okra__buf_puts(b, "</p>\n<p class=\"muted\">");
	esc(b, r->reason);
	okra__buf_puts(b, "</p>\n");
	variant_bars(b, r);

	okra__html_table_begin(b, "exp-variants");
	okra__buf_puts(b, "<thead><tr><th scope=\"col\">Variant</th>"
	                  "<th scope=\"col\" class=\"num\">Split</th>"
	                  "<th scope=\"col\" class=\"num\">Units</th>"
	                  "<th scope=\"col\" class=\"num\">Value</th>"
	                  "<th scope=\"col\" class=\"num\">Lift</th>"
	                  "<th scope=\"col\" class=\"num\">Relative</th>"
	                  "<th scope=\"col\" class=\"num\">p</th>"
	                  "<th scope=\"col\" class=\"num\">CUPED lift</th>"
	                  "</tr></thead>\n<tbody>\n");
	for (size_t v = 0; v < r->n_variants; v++) {
		const okra_exp_variant *vr = &r->variants[v];
		okra__buf_puts(b, "<tr><td>");
		esc(b, vr->name);
		okra__buf_printf(b,
		                 "%s</td><td class=\"num\">%.0f%%</td><td "
		                 "class=\"num\">%zu</td>",
		                 v ? ""
		                   : " <span class=\"muted\">control</span>",
		                 vr->weight * 100, vr->entities);
		value_cell(b, m, vr->value);
		if (!v) {
			okra__buf_puts(b, "<td></td><td></td><td></td><td></td>"
			                  "</tr>\n");
			continue;
		}
		const okra_exp_cmp *c = &r->cmp[v - 1];
		lift_cell(b, m, c);
		okra__buf_puts(b, "<td class=\"num\">");
		if (isfinite(c->lift_rel))
			okra__buf_printf(b, "%+.1f%%", c->lift_rel * 100);
		else
			okra__buf_puts(b, DASH);
		okra__buf_puts(b, "</td>");
		p_cell(b, c->p);
		if (r->has_cuped)
			lift_cell(b, m, &r->cuped[v - 1]);
		else
			okra__buf_puts(b, "<td class=\"num\">" DASH "</td>");
		okra__buf_puts(b, "</tr>\n");
	}
	okra__buf_puts(b, "</tbody>");
	okra__html_table_end(b);

	okra__buf_puts(b, "<p class=\"muted\">");
	if (r->has_cuped)
		okra__buf_printf(b,
		                 "CUPED: theta %.4g, variance reduced by "
		                 "%.1f%%. ",
		                 r->theta, r->variance_reduction * 100);
	else {
		okra__buf_puts(b, "CUPED: none (");
		esc(b, r->no_cuped);
		okra__buf_puts(b, "). ");
	}
	okra__buf_printf(b,
	                 "Left out: %zu exposed to more than one variant, %zu "
	                 "immature. %zu test%s, no correction for multiple "
	                 "tests.</p>\n",
	                 r->excluded_multi, r->immature, r->n_tests,
	                 r->n_tests == 1 ? "" : "s");

	okra__buf_puts(b, "<h3>Guardrails</h3>\n");
	if (!r->n_guardrails) {
		okra__buf_puts(b, "<p class=\"muted\">None.</p>\n");
	} else {
		okra__html_table_begin(b, "exp-guardrails");
		okra__buf_puts(b,
		               "<thead><tr><th scope=\"col\">Metric</th>"
		               "<th scope=\"col\">Variant</th>"
		               "<th scope=\"col\" class=\"num\">Control</th>"
		               "<th scope=\"col\" class=\"num\">Variant</th>"
		               "<th scope=\"col\" class=\"num\">Lift</th>"
		               "<th scope=\"col\" class=\"num\">p</th>"
		               "<th scope=\"col\">Verdict</th></tr></thead>\n"
		               "<tbody>\n");
		for (size_t i = 0; i < r->n_guardrails; i++) {
			const okra_exp_guardrail *g = &r->guardrails[i];
			okra__buf_puts(b, "<tr>");
			metric_cell(b, ctx, g->metric);
			okra__buf_puts(b, "<td>");
			esc(b, g->variant);
			okra__buf_puts(b, "</td>");
			value_cell(b, g->metric, g->control_value);
			value_cell(b, g->metric, g->value);
			lift_cell(b, g->metric, &g->cmp);
			p_cell(b, g->cmp.p);
			okra__buf_printf(
			    b,
			    "<td><span class=\"badge %s\">%s</span>"
			    "</td></tr>\n",
			    g->worse ? "bad" : "ok", g->worse ? "worse" : "ok");
		}
		okra__buf_puts(b, "</tbody>");
		okra__html_table_end(b);
	}
	if (r->has_recorded) {
		okra__buf_puts(b, "<p>Recorded: ");
		esc(b, okra__exp_recorded_name(r));
		okra__buf_puts(b, " on ");
		okra__html_date(b, r->recorded_day);
		if (r->recorded_note && *r->recorded_note) {
			okra__buf_puts(b, MIDDOT);
			esc(b, r->recorded_note);
		}
		if (r->recorded_computed) {
			okra__buf_puts(b, MIDDOT "the readout then said ");
			esc(b, r->recorded_computed);
		}
		okra__buf_puts(b, "</p>\n");
	}
	okra__buf_puts(b, "</section>\n");
}
