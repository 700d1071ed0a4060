/*
 * review_html.c - the weekly review (SPEC 6) as one self-contained page.
 *
 * Inline CSS and inline SVG only: no script, no font, image, stylesheet
 * or link that the browser would fetch, so the file can be mailed,
 * archived or opened offline and looks the same.  Reads the evaluated
 * review and computes nothing.  Every string from YAML or data goes
 * through okra__buf_html.  A light is never colour alone: each badge has
 * an icon of its own shape and the word.
 */
#include "base/html.h"
#include "render/svg.h"
#include "render/review.h"

#include <math.h>
#include <string.h>

/* ======================================================================
 * Pieces
 * ====================================================================== */

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
};

#define MINUS  "\xe2\x88\x92"
#define DASH   "\xe2\x80\x93"
#define MIDDOT " \xc2\xb7 "

static void esc(okra_buf *b, const char *s)
{
	okra__buf_html(b, s);
}

static void badge(okra_buf *b, okra_light l)
{
	if ((unsigned)l >= OKRA_LIGHT_COUNT)
		l = OKRA_LIGHT_NO_DATA;
	okra__buf_printf(b,
	                 "<span class=\"light light-%s\" title=\"%s\">"
	                 "<span class=\"icon\" aria-hidden=\"true\">%s</span>"
	                 "%s</span>",
	                 lights[l].css, lights[l].meaning, lights[l].icon,
	                 lights[l].word);
}

static void date(okra_buf *b, int32_t day)
{
	char s[11];
	okra__format_date(day, s);
	okra__buf_printf(b, "<time datetime=\"%s\">%s</time>", s, s);
}

static okra_unit unit_of(const okra_metric *m)
{
	return m ? m->unit : OKRA_UNIT_NONE;
}

static void value(okra_buf *b, const okra_metric *m, double v)
{
	okra__svg_format_value(b, unit_of(m), v);
}

/* A share of 1 as a whole percentage: "73%". */
static void share(okra_buf *b, double v)
{
	if (!isfinite(v))
		okra__buf_puts(b, DASH);
	else
		okra__buf_printf(b, "%.0f%%",
		                 round(v * 100) == 0 ? 0.0 : v * 100);
}

static void score(okra_buf *b, double v)
{
	if (!isfinite(v))
		okra__buf_puts(b, DASH);
	else
		okra__buf_printf(b, "%.2f", v);
}

/* A change: "+1.2 pts" for shares, "+1,234" or "−0.4 h" otherwise. */
static void delta(okra_buf *b, const okra_metric *m, double d)
{
	if (!isfinite(d)) {
		okra__buf_puts(b, DASH);
		return;
	}
	okra_unit u = unit_of(m);
	double shown = u == OKRA_UNIT_PERCENT ? round(fabs(d) * 1000) : fabs(d);
	if (shown == 0) {
		okra__buf_puts(b, "\xc2\xb1");
	} else {
		okra__buf_puts(b, d < 0 ? MINUS : "+");
	}
	if (u == OKRA_UNIT_PERCENT)
		okra__buf_printf(b, "%.1f pts", fabs(d) * 100);
	else
		okra__svg_format_value(b, u, fabs(d));
}

static const char *metric_name(const okra_metric *m)
{
	return m->title && *m->title ? m->title : m->id;
}

/* ======================================================================
 * Style: inline, so the page needs nothing else (one string per rule:
 * C caps a literal's length)
 * ====================================================================== */

static const char *const css[] = {
    ":root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;"
    "--accent:#1f4e99;--green:#1a7f37;--yellow:#8a5a00;--red:#c62828;"
    "--done:#0b5cad;--nodata:#59636e}\n",
    "*{box-sizing:border-box}\n",
    "html{-webkit-text-size-adjust:100%}\n",
    "body{margin:0;background:#eef1f4;color:var(--fg);"
    "font:14px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,"
    "'Helvetica Neue',Arial,sans-serif}\n",
    "main{max-width:1120px;margin:0 auto;padding:28px 24px 40px}\n",
    "h1,h2,h3,h4{line-height:1.25;margin:0}\n",
    "h1{font-size:28px;font-weight:700;letter-spacing:-.01em}\n",
    "h2{font-size:19px;margin:36px 0 14px;padding-bottom:6px;"
    "border-bottom:2px solid var(--fg)}\n",
    "h2 .n{color:var(--muted);margin-right:.4em}\n",
    "h3{font-size:17px}\n",
    "h4{font-size:15px}\n",
    "p{margin:0}\n",
    "code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,"
    "'DejaVu Sans Mono',monospace;background:var(--soft);padding:1px 4px;"
    "border-radius:4px;color:#393f46}\n",
    ".muted{color:var(--muted)}\n",
    ".num{font-variant-numeric:tabular-nums;text-align:right;"
    "white-space:nowrap}\n",
    ".card{background:#fff;border:1px solid var(--line);border-radius:8px;"
    "padding:16px 20px}\n",
    /* header */
    ".top{display:flex;flex-wrap:wrap;justify-content:space-between;"
    "align-items:flex-end;gap:12px 24px;margin-bottom:18px}\n",
    ".eyebrow{font-size:12px;font-weight:600;letter-spacing:.08em;"
    "text-transform:uppercase;color:var(--muted)}\n",
    ".meta{color:var(--muted);margin-top:4px}\n",
    ".key{display:flex;flex-wrap:wrap;gap:6px;font-size:12px}\n",
    /* summary */
    ".summary{display:grid;grid-template-columns:1.1fr 1fr 1.3fr;gap:14px}\n",
    ".summary h3{font-size:12px;font-weight:600;letter-spacing:.06em;"
    "text-transform:uppercase;color:var(--muted);margin-bottom:8px}\n",
    ".big{font-size:32px;font-weight:700;font-variant-numeric:tabular-nums;"
    "line-height:1.1}\n",
    ".ns-spark{margin:10px 0 4px}\n",
    ".ns-spark svg{display:block;width:100%;height:auto;max-width:320px}\n",
    ".counts{list-style:none;margin:0;padding:0}\n",
    ".counts li{display:flex;align-items:center;gap:12px;margin:0 0 6px}\n",
    ".counts .num{min-width:1.4em;font-size:18px;font-weight:700;"
    "text-align:left}\n",
    ".scores{width:100%;border-collapse:collapse}\n",
    ".scores td{padding:3px 0;vertical-align:middle}\n",
    ".scores td.num{width:3.5em;font-weight:600}\n",
    ".bar{display:block;height:6px;background:#e6e9ed;border-radius:3px;"
    "overflow:hidden;margin-top:3px}\n",
    ".bar span{display:block;height:100%;background:var(--accent)}\n",
    /* lights */
    ".light{display:inline-flex;align-items:center;gap:.35em;white-space:"
    "nowrap;font-weight:600;font-size:12.5px;line-height:1.5;padding:0 .6em;"
    "border-radius:999px;border:1px solid currentColor}\n",
    ".light .icon{font-size:.95em}\n",
    ".light-green{color:var(--green);background:#e6f6ea}\n",
    ".light-yellow{color:var(--yellow);background:#fff4d1}\n",
    ".light-red{color:var(--red);background:#fdecea}\n",
    ".light-done{color:var(--done);background:#e3f0fc}\n",
    ".light-nodata{color:var(--nodata);background:var(--soft);"
    "border-style:dashed}\n",
    /* objectives and key results */
    ".objective{margin-top:22px}\n",
    ".obj-head{display:flex;justify-content:space-between;align-items:"
    "baseline;gap:16px}\n",
    ".obj-score{white-space:nowrap;color:var(--muted)}\n",
    ".obj-score strong{color:var(--fg);font-size:17px;"
    "font-variant-numeric:tabular-nums}\n",
    ".obj-meta{color:var(--muted);font-size:13px;margin-top:2px}\n",
    ".why{margin:6px 0 10px;max-width:80ch}\n",
    ".kr{background:#fff;border:1px solid var(--line);border-left:4px solid "
    "var(--lc,var(--line));border-radius:8px;padding:14px 18px 12px;"
    "margin-top:12px}\n",
    ".kr.l-green{--lc:var(--green)}.kr.l-yellow{--lc:#d4a72c}"
    ".kr.l-red{--lc:var(--red)}.kr.l-done{--lc:var(--done)}\n",
    ".kr-head{display:flex;justify-content:space-between;align-items:"
    "flex-start;gap:16px}\n",
    ".kr-meta{color:var(--muted);font-size:12.5px;margin-top:3px}\n",
    ".kr-status{display:flex;flex-direction:column;align-items:flex-end;"
    "gap:4px;white-space:nowrap}\n",
    ".kr-score{font-size:13px;color:var(--muted)}\n",
    ".kr-score strong{color:var(--fg);font-size:16px;"
    "font-variant-numeric:tabular-nums}\n",
    ".kr-body{display:grid;grid-template-columns:minmax(250px,320px) 1fr;"
    "gap:18px;margin-top:10px;align-items:start}\n",
    ".facts{width:100%;border-collapse:collapse;font-size:13px}\n",
    ".facts th{text-align:left;font-weight:500;color:var(--muted);"
    "padding:3px 10px 3px 0;vertical-align:top;white-space:nowrap}\n",
    ".facts td{padding:3px 0;text-align:right;"
    "font-variant-numeric:tabular-nums}\n",
    ".facts tr+tr th,.facts tr+tr td{border-top:1px solid #eef0f2}\n",
    ".facts .main td{font-weight:700;font-size:15px}\n",
    ".facts .sub{display:block;color:var(--muted);font-size:12px;"
    "font-weight:400}\n",
    ".chart{margin:0;min-width:0}\n",
    ".chart svg{display:block;width:100%;height:auto}\n",
    ".hyp{margin-top:8px;font-size:13px}\n",
    ".hyp summary,.hyp h5{font-size:12px;font-weight:600;letter-spacing:.04em;"
    "text-transform:uppercase;color:var(--muted);margin:0 0 2px}\n",
    ".hyp ol{margin:0;padding-left:1.4em}\n",
    ".hyp li{margin:2px 0}\n",
    /* learnings, suggestions */
    ".learn{list-style:none;margin:8px 0 0;padding:0}\n",
    ".learn li{display:flex;justify-content:space-between;align-items:"
    "flex-start;gap:16px;padding:7px 0;border-top:1px solid #eef0f2}\n",
    ".learn li:first-child{border-top:0}\n",
    ".learn-kr+.learn-kr{margin-top:12px}\n",
    ".tag{display:inline-block;white-space:nowrap;font-size:12px;"
    "font-weight:600;border:1px solid var(--line);border-radius:4px;"
    "padding:0 6px;color:var(--muted);background:var(--soft)}\n",
    ".tag.exp{color:var(--accent);border-color:#b6c8e6;background:#eef3fb}\n",
    ".suggest{margin:0;padding:0;list-style:none}\n",
    ".suggest li{display:grid;grid-template-columns:11em 1fr;gap:12px;"
    "padding:8px 0;border-top:1px solid #eef0f2}\n",
    ".suggest code{overflow-wrap:anywhere}\n",
    ".suggest li:first-child{border-top:0}\n",
    /* tables */
    ".grid{width:100%;border-collapse:collapse;font-size:13px}\n",
    ".grid th{text-align:left;font-size:12px;font-weight:600;color:"
    "var(--muted);border-bottom:1px solid var(--line);padding:6px 10px 6px "
    "0}\n",
    ".grid td{padding:6px 10px 6px 0;border-bottom:1px solid #eef0f2;"
    "vertical-align:middle}\n",
    ".grid th.num{text-align:right}\n",
    ".grid tr:last-child td{border-bottom:0}\n",
    ".grid td:last-child,.grid th:last-child{padding-right:0}\n",
    ".grid .id{display:block;color:var(--muted);font-size:12px}\n",
    ".dash-t{table-layout:fixed}\n",
    ".dash-t th:nth-child(2){width:140px}.dash-t th:nth-child(3){width:120px}"
    ".dash-t th:nth-child(4){width:150px}.dash-t "
    "th:nth-child(5){width:120px}\n",
    ".spark{white-space:nowrap}\n",
    ".spark svg{display:block}\n",
    ".dash h3{margin:18px 0 6px;font-size:15px}\n",
    ".dash h3:first-child{margin-top:0}\n",
    ".sev{font-weight:600;white-space:nowrap}\n",
    ".sev-error{color:var(--red)}.sev-warning{color:var(--yellow)}\n",
    ".findings td{vertical-align:top}\n",
    ".nowrap{white-space:nowrap}\n",
    ".hint{display:block;color:var(--muted)}\n",
    "footer{margin-top:32px;color:var(--muted);font-size:12px}\n",
    "@media (max-width:820px){.summary{grid-template-columns:1fr}"
    ".kr-body{grid-template-columns:1fr}.suggest li{grid-template-columns:1fr;"
    "gap:2px}}\n",
    "@media print{\n",
    "@page{margin:14mm 12mm}\n",
    "body{background:#fff;font-size:10pt}\n",
    "main{max-width:none;padding:0}\n",
    ".card,.kr{border-color:#999;break-inside:avoid}\n",
    ".light,.bar span,.kr{-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}\n",
    "h2,h3,.obj-head{break-after:avoid}\n",
    ".learn li,.suggest li,.grid tr{break-inside:avoid}\n",
    ".summary{grid-template-columns:1fr 1fr 1.3fr}\n",
    /* on paper: the facts in two columns above a full-width chart */
    ".kr-body{grid-template-columns:1fr;gap:6px}\n",
    ".facts tbody{display:grid;grid-template-columns:1fr 1fr;"
    "column-gap:28px}\n",
    ".facts tr{display:flex;justify-content:space-between;gap:8px;"
    "border-top:1px solid #eef0f2}\n",
    ".facts tr+tr th,.facts tr+tr td{border-top:0}\n",
    ".chart svg{max-width:600px;margin:0 auto}\n",
    "}\n",
};

/* ======================================================================
 * Header and summary
 * ====================================================================== */

static void lights_key(okra_buf *b)
{
	okra__buf_puts(b, "<div class=\"key\" aria-label=\"Status lights\">");
	static const okra_light order[] = {OKRA_LIGHT_GREEN, OKRA_LIGHT_YELLOW,
	                                   OKRA_LIGHT_RED, OKRA_LIGHT_DONE,
	                                   OKRA_LIGHT_NO_DATA};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(order); i++) {
		okra__buf_puts(b, "<span>");
		badge(b, order[i]);
		okra__buf_printf(b, " <span class=\"muted\">%s</span></span>",
		                 lights[order[i]].meaning);
	}
	okra__buf_puts(b, "</div>\n");
}

static void page_header(const okra_review *r, okra_buf *b)
{
	const char *name = r->ws->settings.name ? r->ws->settings.name : "";
	okra__buf_puts(b, "<header class=\"top\">\n<div>\n"
	                  "<p class=\"eyebrow\">Weekly review</p>\n<h1>");
	esc(b, *name ? name : "okra workspace");
	okra__buf_puts(b, "</h1>\n<p class=\"meta\">As of ");
	date(b, r->asof);
	okra__buf_puts(b, MIDDOT);
	if (r->has_prev) {
		okra__buf_puts(b, "previous review ");
		date(b, r->prev_asof);
	} else {
		okra__buf_puts(b, "first review");
	}
	if (r->team) {
		okra__buf_puts(b, MIDDOT "team ");
		esc(b, r->team);
	}
	okra__buf_printf(
	    b, MIDDOT "%zu objective%s, %zu key result%s</p>\n</div>\n",
	    r->n_objectives, r->n_objectives == 1 ? "" : "s", r->n_krs,
	    r->n_krs == 1 ? "" : "s");
	lights_key(b);
	okra__buf_puts(b, "</header>\n");
}

static void summary(const okra_review *r, okra_buf *b)
{
	okra__buf_puts(b,
	               "<section class=\"summary\" aria-label=\"Summary\">\n");

	/* the north star */
	okra__buf_puts(b, "<div class=\"card\">\n<h3>North star</h3>\n");
	if (r->north_star) {
		okra__buf_puts(b, "<p>");
		esc(b, metric_name(r->north_star));
		okra__buf_puts(b, "</p>\n<p class=\"big\">");
		value(b, r->north_star, r->ns_current);
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

	/* the lights */
	size_t count[OKRA_LIGHT_COUNT] = {0};
	for (size_t i = 0; i < r->n_krs; i++)
		if ((unsigned)r->krs[i].light < OKRA_LIGHT_COUNT)
			count[r->krs[i].light]++;
	okra__buf_puts(b, "<div class=\"card\">\n<h3>Key results</h3>\n"
	                  "<ul class=\"counts\">\n");
	static const okra_light order[] = {OKRA_LIGHT_GREEN, OKRA_LIGHT_YELLOW,
	                                   OKRA_LIGHT_RED, OKRA_LIGHT_DONE,
	                                   OKRA_LIGHT_NO_DATA};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(order); i++) {
		okra__buf_printf(b, "<li><span class=\"num\">%zu</span>",
		                 count[order[i]]);
		badge(b, order[i]);
		okra__buf_puts(b, "</li>\n");
	}
	okra__buf_puts(b, "</ul>\n</div>\n");

	/* objective scores */
	okra__buf_puts(b, "<div class=\"card\">\n<h3>Objective scores</h3>\n");
	if (!r->n_objectives)
		okra__buf_puts(b, "<p class=\"muted\">No objectives.</p>\n");
	else
		okra__buf_puts(b, "<table class=\"scores\">\n");
	for (size_t i = 0; i < r->n_objectives; i++) {
		const okra_obj_eval *o = &r->objectives[i];
		okra__buf_puts(b, "<tr><td>");
		esc(b, o->obj->title.text ? o->obj->title.text : o->obj->id);
		double w = isfinite(o->score) ? fmin(fmax(o->score, 0), 1) : 0;
		okra__buf_printf(
		    b,
		    "<span class=\"bar\" aria-hidden=\"true\"><span "
		    "style=\"width:%.0f%%\"></span></span></td>"
		    "<td class=\"num\">",
		    w * 100);
		score(b, o->score);
		okra__buf_puts(b, "</td></tr>\n");
	}
	if (r->n_objectives)
		okra__buf_puts(b, "</table>\n");
	okra__buf_puts(b, "</div>\n</section>\n");
}

/* ======================================================================
 * 1. Where are we?
 * ====================================================================== */

static void fact(okra_buf *b, const char *cls, const char *name)
{
	okra__buf_printf(b, "<tr%s%s%s><th scope=\"row\">%s</th><td>",
	                 cls ? " class=\"" : "", cls ? cls : "",
	                 cls ? "\"" : "", name);
}

static void kr_chart(const okra_review *r, const okra_kr_eval *k, okra_buf *b)
{
	okra_chart c = {
	    .unit = unit_of(k->metric),
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
	if (r->asof >= k->q0 - 1 && r->asof <= k->q1) {
		c.has_asof = true;
		c.asof = r->asof;
	}
	if (k->q1 <= k->q0) { /* no quarter: the data's own range */
		c.x_min = c.x_max = 0;
	}
	okra_buf title = {0};
	okra__buf_puts(&title,
	               k->kr->title.text ? k->kr->title.text : k->kr->id);
	okra__buf_puts(&title, ": weekly values");
	if (c.has_trajectory)
		okra__buf_puts(&title, " against the trajectory");
	if (c.has_target)
		okra__buf_puts(&title, c.has_trajectory
		                           ? " and the target"
		                           : " against the target");
	c.title = title.data;
	okra__buf_puts(b, "<figure class=\"chart\">\n");
	okra__svg_chart(b, &c, 640, 250);
	okra__buf_puts(b, "</figure>\n");
	okra__buf_free(&title);
}

static void kr_facts(const okra_review *r, const okra_kr_eval *k, okra_buf *b)
{
	const okra_metric *m = k->metric;
	okra__buf_puts(b, "<table class=\"facts\">\n");
	fact(b, "main", "Current");
	value(b, m, k->current);
	okra__buf_puts(b, "</td></tr>\n");
	fact(b, NULL, "Baseline");
	value(b, m, k->baseline);
	if (k->baseline_auto) {
		okra__buf_puts(b, "<span class=\"sub\">auto: as of ");
		date(b, k->q0 - 1);
		okra__buf_puts(b, "</span>");
	}
	okra__buf_puts(b, "</td></tr>\n");
	fact(b, NULL, "Expected now");
	value(b, m, k->expected);
	if (isfinite(k->elapsed)) {
		okra__buf_puts(b, "<span class=\"sub\">");
		share(b, k->elapsed);
		okra__buf_puts(b, " of quarter gone</span>");
	}
	okra__buf_puts(b, "</td></tr>\n");
	fact(b, NULL, "Target");
	value(b, m, k->target);
	if (k->stretch_set) {
		okra__buf_puts(b, "<span class=\"sub\">stretch ");
		value(b, m, k->stretch);
		okra__buf_puts(b, "</span>");
	}
	okra__buf_puts(b, "</td></tr>\n");
	if (k->kr->kind == OKRA_KR_MOVE) {
		fact(b, NULL, "Progress");
		share(b, k->progress);
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
		date(b, k->prev_asof);
		okra__buf_puts(b, "</th><td>");
		delta(b, m, k->current - k->prev_value);
		okra__buf_puts(b, "<span class=\"sub\">score ");
		score(b, k->prev_score);
		okra__buf_puts(b, " \xe2\x86\x92 ");
		score(b, k->score);
		if (k->prev_light != k->light &&
		    (unsigned)k->prev_light < OKRA_LIGHT_COUNT)
			okra__buf_printf(b, ", was %s %s",
			                 lights[k->prev_light].icon,
			                 lights[k->prev_light].word);
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
				okra__buf_printf(
				    b, "%s%d", i > from ? " \xe2\x86\x92 " : "",
				    k->confidence_values[i]);
			okra__buf_puts(b, MIDDOT);
		}
		date(b, k->confidence_day);
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
		date(b, k->q1);
		okra__buf_puts(b, "</th><td>");
		value(b, m, f->value);
		okra__buf_puts(b, "<span class=\"sub\">80%: ");
		value(b, m, f->lo);
		okra__buf_puts(b, " " DASH " ");
		value(b, m, f->hi);
		okra__buf_puts(b, "</span></td></tr>\n");
		fact(b, NULL, "Chance of target");
		share(b, f->prob);
		okra__buf_puts(b, "</td></tr>\n");
	} else {
		fact(b, NULL, "Forecast");
		okra__buf_printf(b,
		                 "<span class=\"muted\">needs 3 weekly points "
		                 "(has %zu)</span></td></tr>\n",
		                 f->n_points);
	}
	okra__buf_puts(b, "</table>\n");
}

static void key_result(const okra_review *r, const okra_kr_eval *k, okra_buf *b)
{
	const okra_key_result *kr = k->kr;
	okra_light l = (unsigned)k->light < OKRA_LIGHT_COUNT
	                   ? k->light
	                   : OKRA_LIGHT_NO_DATA;
	okra__buf_printf(b, "<article class=\"kr l-%s\" data-kr=\"",
	                 lights[l].css);
	esc(b, kr->id);
	okra__buf_puts(b, "\">\n<div class=\"kr-head\">\n<div>\n<h4>");
	esc(b, kr->title.text ? kr->title.text : kr->id);
	okra__buf_puts(b, "</h4>\n<p class=\"kr-meta\"><code>");
	esc(b, kr->id);
	okra__buf_puts(b, "</code>");
	if (k->metric) {
		okra__buf_puts(b, MIDDOT);
		esc(b, metric_name(k->metric));
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
	badge(b, l);
	okra__buf_puts(b, "<span class=\"kr-score\">score <strong>");
	score(b, k->score);
	okra__buf_puts(
	    b, "</strong></span></div>\n</div>\n<div class=\"kr-body\">\n");
	kr_facts(r, k, b);
	kr_chart(r, k, b);
	okra__buf_puts(b, "</div>\n");
	if (kr->n_hypotheses) {
		okra__buf_puts(
		    b, "<div class=\"hyp\">\n<h5>Hypotheses</h5>\n<ol>\n");
		for (size_t i = 0; i < kr->n_hypotheses; i++) {
			okra__buf_puts(b, "<li>");
			esc(b, kr->hypotheses[i].text);
			okra__buf_puts(b, "</li>\n");
		}
		okra__buf_puts(b, "</ol>\n</div>\n");
	}
	okra__buf_puts(b, "</article>\n");
}

static void where_are_we(const okra_review *r, okra_buf *b)
{
	okra__buf_puts(b,
	               "<section id=\"where\">\n<h2><span class=\"n\">1</span>"
	               "Where are we?</h2>\n");
	if (!r->n_objectives)
		okra__buf_puts(
		    b, "<p class=\"muted\">No objectives to review.</p>\n");
	for (size_t i = 0; i < r->n_objectives; i++) {
		const okra_obj_eval *o = &r->objectives[i];
		const okra_objective *obj = o->obj;
		okra__buf_puts(b, "<section class=\"objective\">\n"
		                  "<div class=\"obj-head\"><h3>");
		esc(b, obj->title.text ? obj->title.text : obj->id);
		okra__buf_puts(b,
		               "</h3><span class=\"obj-score\">score <strong>");
		score(b, o->score);
		okra__buf_puts(
		    b, "</strong></span></div>\n<p class=\"obj-meta\"><code>");
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
		for (size_t j = 0; j < o->n_krs; j++)
			key_result(r, &o->krs[j], b);
		okra__buf_puts(b, "</section>\n");
	}
	okra__buf_puts(b, "</section>\n");
}

/* ======================================================================
 * 2. What did we learn?  3. What should we change?
 * ====================================================================== */

static void what_we_learned(const okra_review *r, okra_buf *b)
{
	okra__buf_puts(b,
	               "<section id=\"learn\">\n<h2><span class=\"n\">2</span>"
	               "What did we learn?</h2>\n<div class=\"card\">\n");
	if (!r->n_learnings)
		okra__buf_puts(b,
		               "<p class=\"muted\">No hypotheses recorded for "
		               "these key results.</p>\n");
	const okra_key_result *open = NULL;
	for (size_t i = 0; i < r->n_learnings; i++) {
		const okra_learning *l = &r->learnings[i];
		if (l->kr != open) {
			if (open)
				okra__buf_puts(b, "</ul>\n</div>\n");
			open = l->kr;
			okra__buf_puts(b, "<div class=\"learn-kr\">\n<h4>");
			esc(b, l->kr && l->kr->title.text ? l->kr->title.text
			       : l->kr                    ? l->kr->id
			                                  : "");
			okra__buf_puts(b, "</h4>\n<ul class=\"learn\">\n");
		}
		okra__buf_puts(b, "<li><span>");
		esc(b, l->hypothesis);
		okra__buf_puts(b, "</span>");
		if (l->experiment) {
			okra__buf_puts(
			    b, "<span class=\"tag exp\">experiment <code>");
			esc(b, l->experiment->id);
			okra__buf_puts(b, "</code>");
			if (l->experiment->start >= 0) {
				char s[11];
				okra__format_date(l->experiment->start, s);
				okra__buf_printf(b, " %s", s);
				if (l->experiment->end >= 0) {
					okra__format_date(l->experiment->end,
					                  s);
					okra__buf_printf(b, " " DASH " %s", s);
				}
			}
			okra__buf_puts(b, "</span>");
		} else {
			okra__buf_puts(
			    b, "<span class=\"tag\">no experiment yet</span>");
		}
		okra__buf_puts(b, "</li>\n");
	}
	if (open)
		okra__buf_puts(b, "</ul>\n</div>\n");
	okra__buf_puts(b, "</div>\n</section>\n");
}

static void what_to_change(const okra_review *r, okra_buf *b)
{
	static const char *const kinds[] = {
	    [OKRA_SUGGEST_RECOVER] = "Recover",
	    [OKRA_SUGGEST_AHEAD] = "Shift effort",
	    [OKRA_SUGGEST_INPUT_GAP] = "Input gap",
	    [OKRA_SUGGEST_STALE_TARGET] = "Stale target",
	    [OKRA_SUGGEST_LINT] = "Lint",
	};
	okra__buf_puts(b,
	               "<section id=\"change\">\n<h2><span class=\"n\">3</span>"
	               "What should we change?</h2>\n<div class=\"card\">\n");
	if (!r->n_suggestions)
		okra__buf_puts(b,
		               "<p class=\"muted\">No suggestions: nothing in "
		               "the data asks for a change.</p>\n");
	else
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
			okra__buf_puts(b, "<br><code>");
			esc(b, s->subject);
			okra__buf_puts(b, "</code>");
		}
		okra__buf_puts(b, "</span><span>");
		esc(b, s->text);
		okra__buf_puts(b, "</span></li>\n");
	}
	if (r->n_suggestions)
		okra__buf_puts(b, "</ol>\n");
	okra__buf_puts(b, "</div>\n</section>\n");
}

/* ======================================================================
 * Balanced dashboard and lint
 * ====================================================================== */

static void dash_table(okra_buf *b, const char *caption, const char *period,
                       const okra_dash_row *rows, size_t n)
{
	okra__buf_printf(b, "<h3>%s</h3>\n", caption);
	if (!n) {
		okra__buf_puts(b, "<p class=\"muted\">None.</p>\n");
		return;
	}
	okra__buf_printf(
	    b,
	    "<table class=\"grid dash-t\">\n<thead><tr><th scope=\"col\">"
	    "Metric</th><th scope=\"col\" class=\"num\">Current</th>"
	    "<th scope=\"col\" class=\"num\">Target</th>"
	    "<th scope=\"col\">Status</th><th scope=\"col\" "
	    "class=\"spark\">Last %zu %s</th></tr></thead>\n<tbody>\n",
	    (size_t)OKRA_SPARK_POINTS, period);
	for (size_t i = 0; i < n; i++) {
		const okra_dash_row *row = &rows[i];
		okra__buf_puts(b, "<tr><td>");
		esc(b, metric_name(row->metric));
		okra__buf_puts(b, "<span class=\"id\">");
		esc(b, row->metric->id);
		okra__buf_puts(b, "</span></td><td class=\"num\">");
		value(b, row->metric, row->current);
		okra__buf_puts(b, "</td><td class=\"num\">");
		value(b, row->metric, row->target);
		okra__buf_puts(b, "</td><td>");
		/* A metric without a key result has no light of its own. */
		if (row->light == OKRA_LIGHT_NO_DATA && isfinite(row->current))
			okra__buf_puts(
			    b, "<span class=\"muted\">no key result</span>");
		else
			badge(b, row->light);
		okra__buf_puts(b, "</td><td class=\"spark\">");
		okra__svg_sparkline(b, row->spark, row->n_spark, 96, 24);
		okra__buf_puts(b, "</td></tr>\n");
	}
	okra__buf_puts(b, "</tbody>\n</table>\n");
}

static void dashboard(const okra_review *r, okra_buf *b)
{
	okra__buf_puts(
	    b, "<section id=\"dashboard\">\n<h2>Balanced dashboard</h2>\n"
	       "<div class=\"card dash\">\n");
	dash_table(b, "Leading indicators (weekly)", "weeks", r->leading,
	           r->n_leading);
	dash_table(b, "Lagging indicators (monthly)", "months", r->lagging,
	           r->n_lagging);
	okra__buf_puts(b, "</div>\n</section>\n");
}

#define MAX_FINDINGS 60

static void lint(const okra_review *r, okra_buf *b)
{
	okra__buf_puts(
	    b, "<section id=\"lint\">\n<h2>Lint</h2>\n<div class=\"card\">\n");
	if (!r->findings) {
		okra__buf_puts(b,
		               "<p class=\"muted\">Lint was not run for this "
		               "review.</p>\n</div>\n</section>\n");
		return;
	}
	size_t n = okra_findings_count(r->findings);
	size_t ne = okra_findings_count_severity(r->findings, OKRA_ERROR);
	size_t nw = okra_findings_count_severity(r->findings, OKRA_WARNING);
	size_t ni = okra_findings_count_severity(r->findings, OKRA_INFO);
	okra__buf_printf(b,
	                 "<p><strong>%zu</strong> error%s" MIDDOT
	                 "<strong>%zu</strong> warning%s" MIDDOT
	                 "<strong>%zu</strong> note%s</p>\n",
	                 ne, ne == 1 ? "" : "s", nw, nw == 1 ? "" : "s", ni,
	                 ni == 1 ? "" : "s");
	if (!n) {
		okra__buf_puts(b, "</div>\n</section>\n");
		return;
	}
	static const char *const sev[] = {"note", "warning", "error"};
	okra__buf_puts(
	    b, "<table class=\"grid findings\">\n<thead><tr>"
	       "<th scope=\"col\">Severity</th><th scope=\"col\">Rule</th>"
	       "<th scope=\"col\">Where</th><th scope=\"col\">Finding</th>"
	       "</tr></thead>\n<tbody>\n");
	/* errors first, then warnings, then notes; each in list order */
	size_t shown = 0;
	for (int s = OKRA_ERROR; s >= OKRA_INFO; s--) {
		for (size_t i = 0; i < n && shown < MAX_FINDINGS; i++) {
			const okra_finding *f =
			    okra_findings_get(r->findings, i);
			if ((int)f->severity != s)
				continue;
			shown++;
			okra__buf_printf(
			    b,
			    "<tr><td><span class=\"sev sev-%s\">%s</span>"
			    "</td><td class=\"nowrap\"><code>",
			    sev[s], sev[s]);
			esc(b, f->rule);
			okra__buf_puts(b, "</code></td><td class=\"nowrap\">");
			if (f->file) {
				esc(b, f->file);
				if (f->line)
					okra__buf_printf(b, ":%d", f->line);
			}
			okra__buf_puts(b, "</td><td>");
			esc(b, f->message);
			if (f->hint) {
				okra__buf_puts(b, "<span class=\"hint\">");
				esc(b, f->hint);
				okra__buf_puts(b, "</span>");
			}
			okra__buf_puts(b, "</td></tr>\n");
		}
	}
	okra__buf_puts(b, "</tbody>\n</table>\n");
	if (shown < n)
		okra__buf_printf(b,
		                 "<p class=\"muted\">and %zu more: run "
		                 "<code>okra lint</code>.</p>\n",
		                 n - shown);
	okra__buf_puts(b, "</div>\n</section>\n");
}

/* ======================================================================
 * The page
 * ====================================================================== */

void okra__review_html(const okra_review *r, okra_buf *b)
{
	const char *name = r->ws->settings.name ? r->ws->settings.name : "";
	char asof[11];
	okra__format_date(r->asof, asof);
	okra__buf_puts(b,
	               "<!doctype html>\n<html lang=\"en\">\n<head>\n"
	               "<meta charset=\"utf-8\">\n"
	               "<meta name=\"viewport\" content=\"width=device-width, "
	               "initial-scale=1\">\n"
	               "<meta name=\"color-scheme\" content=\"light\">\n"
	               "<meta name=\"generator\" content=\"okra ");
	esc(b, okra_version());
	okra__buf_puts(b, "\">\n<title>Weekly review");
	if (*name) {
		okra__buf_puts(b, MIDDOT);
		esc(b, name);
	}
	okra__buf_printf(b, MIDDOT "%s</title>\n<style>\n", asof);
	for (size_t i = 0; i < OKRA_ARRAY_LEN(css); i++)
		okra__buf_puts(b, css[i]);
	okra__buf_puts(b, "</style>\n</head>\n<body>\n<main>\n");
	page_header(r, b);
	summary(r, b);
	where_are_we(r, b);
	what_we_learned(r, b);
	what_to_change(r, b);
	dashboard(r, b);
	lint(r, b);
	okra__buf_puts(b, "<footer>Generated by okra ");
	esc(b, okra_version());
	okra__buf_printf(b,
	                 " as of %s. This page is self-contained: it runs no "
	                 "script and loads nothing from the network.</footer>\n"
	                 "</main>\n</body>\n</html>\n",
	                 asof);
}
