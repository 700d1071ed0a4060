/*
 * test_svg.c - unit tests of the HTML escape (base/html.c), the SVG charts
 * (render/svg.c) and the HTML review page (render/review_html.c).
 *
 * Reviews and charts are built by hand here, without the engine: the
 * renderers only read them.  The checks are about safety and robustness
 * (escaping, no script, no external request, NaN gaps, empty and constant
 * series) and determinism (same input, same bytes).
 */
/* cmocka.h needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "base/html.h"
#include "render/svg.h"
#include "render/review.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================
 * Helpers
 * ====================================================================== */

static char *escaped(const char *s)
{
	okra_buf b = {0};
	okra__buf_puts(&b, "");
	okra__buf_html(&b, s);
	assert_false(b.failed);
	return b.data;
}

static char *chart(const okra_chart *c)
{
	okra_buf b = {0};
	okra__svg_chart(&b, c, 240);
	assert_false(b.failed);
	assert_non_null(b.data);
	return b.data;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	for (const char *p = strstr(hay, needle); p;
	     p = strstr(p + len, needle))
		n++;
	return n;
}

static bool contains_ci(const char *hay, const char *needle)
{
	size_t len = strlen(needle);
	for (const char *p = hay; *p; p++) {
		size_t i = 0;
		while (i < len && p[i] &&
		       tolower((unsigned char)p[i]) ==
		           tolower((unsigned char)needle[i]))
			i++;
		if (i == len)
			return true;
	}
	return false;
}

/* Does any tag (text is escaped, so every '<' opens one) hold needle? */
static bool tag_has(const char *html, const char *needle)
{
	for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
		const char *end = strchr(p, '>');
		if (!end)
			return true; /* unterminated tag: fail loudly */
		char *tag = strndup(p, (size_t)(end - p));
		bool hit = contains_ci(tag, needle);
		free(tag);
		if (hit)
			return true;
	}
	return false;
}

/* No number went out as nan or inf, and elements are balanced. */
static void assert_sane_svg(const char *s)
{
	assert_null(strstr(s, "nan"));
	assert_null(strstr(s, "NaN"));
	assert_null(strstr(s, "inf"));
	assert_int_equal(count(s, "<svg"), count(s, "</svg>"));
	assert_int_equal(count(s, "<text"), count(s, "</text>"));
	assert_int_equal(count(s, "<figure"), count(s, "</figure>"));
	assert_true(strncmp(s, "<svg", 4) == 0 ||
	            strncmp(s, "<figure class=\"chart\">", 22) == 0);
}

/* The d attribute of the actual series' line (the 2.5 px blue path). */
static char *actual_path(const char *svg)
{
	const char *tail = strstr(svg, "\" fill=\"none\" stroke=\"#1f4e99\" "
	                               "stroke-width=\"2.5\"");
	if (!tail)
		return NULL;
	const char *head = tail;
	while (head > svg && strncmp(head, " d=\"", 4) != 0)
		head--;
	head += 4;
	return strndup(head, (size_t)(tail - head));
}

/* ======================================================================
 * Escaping
 * ====================================================================== */

static void test_escape(void **state)
{
	(void)state;
	char *s = escaped("<script>alert(\"x\" & 'y')</script>");
	assert_string_equal(s, "&lt;script&gt;alert(&quot;x&quot; &amp; "
	                       "&#39;y&#39;)&lt;/script&gt;");
	free(s);
	/* valid UTF-8 passes through */
	s = escaped("Caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x9a\x80 tab\tnl\n");
	assert_string_equal(
	    s, "Caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x9a\x80 tab\tnl\n");
	free(s);
	/* invalid bytes, overlongs, surrogates and controls do not */
	s = escaped("a\xff"
	            "b\xc0\xaf"
	            "c\xed\xa0\x80"
	            "d\x01"
	            "e\xe2\x82");
	assert_string_equal(s, "a\xef\xbf\xbd"
	                       "b\xef\xbf\xbd\xef\xbf\xbd"
	                       "c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	                       "d\xef\xbf\xbd"
	                       "e\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
	okra_buf b = {0};
	okra__buf_html(&b, NULL);
	assert_int_equal(b.len, 0);
	okra__buf_free(&b);
}

static void test_format_value(void **state)
{
	(void)state;
	struct {
		okra_unit unit;
		double v;
		const char *want;
	} cases[] = {
	    {OKRA_UNIT_PERCENT, 0.2404, "24.0%"},
	    {OKRA_UNIT_COUNT, 1234567, "1,234,567"},
	    {OKRA_UNIT_COUNT, 12.5, "12.50"},
	    {OKRA_UNIT_CURRENCY, 1234.5, "$1.23k"},
	    {OKRA_UNIT_CURRENCY, 950, "$950"},
	    {OKRA_UNIT_HOURS, 16.84, "16.8 h"},
	    {OKRA_UNIT_RATIO, 1.0456, "1.046"},
	    {OKRA_UNIT_PERCENT, NAN, "\xe2\x80\x93"},
	};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(cases); i++) {
		okra_buf b = {0};
		okra__svg_format_value(&b, cases[i].unit, cases[i].v);
		assert_string_equal(b.data, cases[i].want);
		okra__buf_free(&b);
	}
}

/* ======================================================================
 * Charts
 * ====================================================================== */

/* A quarter of weekly values with a forecast band, as a KR chart has. */
static const int32_t q0 = 20454, q1 = 20543; /* 2026-01-01 .. 2026-03-31 */
static int32_t week_days[10];
static double week_values[10];
static int32_t band_days[4];
static double band_mid[4], band_lo[4], band_hi[4];

static okra_chart kr_chart(void)
{
	for (int i = 0; i < 10; i++) {
		week_days[i] = q0 + 3 + 7 * i;
		week_values[i] = 0.15 + 0.01 * i;
	}
	for (int i = 0; i < 4; i++) {
		band_days[i] = week_days[9] + 7 * i;
		band_mid[i] = week_values[9] + 0.01 * i;
		band_lo[i] = band_mid[i] - 0.01 * i;
		band_hi[i] = band_mid[i] + 0.01 * i;
	}
	okra_chart c = {
	    .title = "Onboarding completion",
	    .unit = OKRA_UNIT_PERCENT,
	    .days = week_days,
	    .values = week_values,
	    .n = 10,
	    .has_trajectory = true,
	    .traj_d0 = q0 - 1,
	    .traj_d1 = q1,
	    .traj_v0 = 0.152,
	    .traj_v1 = 0.272,
	    .has_target = true,
	    .target = 0.272,
	    .n_band = 4,
	    .band_days = band_days,
	    .band_mid = band_mid,
	    .band_lo = band_lo,
	    .band_hi = band_hi,
	    .has_asof = true,
	    .asof = week_days[9],
	    .x_min = q0 - 1,
	    .x_max = q1,
	};
	return c;
}

static void test_chart_deterministic(void **state)
{
	(void)state;
	okra_chart c = kr_chart();
	char *a = chart(&c), *b = chart(&c);
	assert_string_equal(a, b);
	assert_sane_svg(a);
	assert_non_null(strstr(a, "role=\"img\""));
	assert_non_null(strstr(a, "<title>Onboarding completion</title>"));
	assert_non_null(strstr(a, "<desc>"));
	/* legend, target label, percent ticks and dates */
	assert_non_null(strstr(a, ">Actual</li>"));
	assert_non_null(strstr(a, ">Trajectory</li>"));
	assert_non_null(strstr(a, ">Target 27.2%</li>"));
	assert_non_null(strstr(a, ">Forecast, 80% band</li>"));
	assert_non_null(strstr(a, ">Jan 1</text>"));
	assert_non_null(strstr(a, ">Mar 15</text>"));
	assert_non_null(strstr(a, "%</text>"));
	assert_null(strstr(a, "no data"));
	/* as wide as its container: a stretched plot, strokes of a fixed
	 * width, texts at 12 px */
	assert_non_null(strstr(a, "class=\"okra-chart\" width=\"100%\""));
	assert_non_null(strstr(a, "preserveAspectRatio=\"none\""));
	assert_non_null(strstr(a, "vector-effect=\"non-scaling-stroke\""));
	assert_non_null(strstr(a, "font-size=\"12\""));
	assert_null(strstr(a, "font-size=\"11\""));
	assert_null(strstr(a, "style="));
	free(a);
	free(b);
}

static void test_chart_escapes(void **state)
{
	(void)state;
	okra_chart c = kr_chart();
	c.title = "<script>alert('t')</script> \"q\" & Caf\xc3\xa9";
	c.actual_label = "</text><script>";
	okra_chart_series seg = {.name = "tier=<b>&amp;",
	                         .days = week_days,
	                         .values = week_values,
	                         .n = 10};
	c.extra = &seg;
	c.n_extra = 1;
	char *s = chart(&c);
	assert_sane_svg(s);
	assert_false(contains_ci(s, "<script"));
	assert_null(strstr(s, "<b>"));
	assert_non_null(
	    strstr(s, "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; "
	              "&quot;q&quot; &amp; Caf\xc3\xa9"));
	assert_non_null(strstr(s, "tier=&lt;b&gt;&amp;amp;"));
	free(s);
}

static void test_chart_nan_gap(void **state)
{
	(void)state;
	int32_t days[6] = {100, 107, 114, 121, 128, 135};
	double v[6] = {1, 2, NAN, 4, 5, NAN};
	okra_chart c = {.title = "gap",
	                .unit = OKRA_UNIT_COUNT,
	                .days = days,
	                .values = v,
	                .n = 6};
	char *s = chart(&c);
	assert_sane_svg(s);
	char *d = actual_path(s);
	assert_non_null(d);
	assert_int_equal(count(d, "M"), 2); /* two pieces */
	assert_int_equal(count(d, "L"), 2); /* 1-2 and 4-5 */
	free(d);
	/* a point alone between gaps still shows: as a dot */
	double w[5] = {1, NAN, 3, NAN, 5};
	c.values = w;
	c.n = 5;
	char *t = chart(&c);
	assert_sane_svg(t);
	d = actual_path(t);
	assert_non_null(d);
	assert_int_equal(count(d, "L"), 0);
	free(d);
	assert_int_equal(count(t, " h0"), 3 + 1 /* legend */);
	assert_int_equal(count(t, "<rect class=\"hit\""), 3);
	free(s);
	free(t);
}

/* Every point has a hover target whose <title> names its series, value
 * and day; an escaped name stays escaped. */
static void test_chart_tooltips(void **state)
{
	(void)state;
	int32_t days[3] = {20514, 20521, 20528}; /* 2026-03-02 .. 03-16 */
	double v[3] = {0.25, NAN, 0.5};
	double seg[3] = {0.1, 0.2, 0.3};
	okra_chart_series extra[1] = {
	    {.name = "tier=<pro>", .days = days, .values = seg, .n = 3}};
	okra_chart c = {.title = "tips",
	                .unit = OKRA_UNIT_PERCENT,
	                .days = days,
	                .values = v,
	                .n = 3,
	                .actual_label = "All",
	                .extra = extra,
	                .n_extra = 1};
	char *s = chart(&c);
	assert_sane_svg(s);
	assert_int_equal(count(s, "class=\"hit\""), 2 + 3);
	assert_non_null(strstr(s, "<title>All: 25.0% on 2026-03-02</title>"));
	assert_non_null(strstr(s, "<title>All: 50.0% on 2026-03-16</title>"));
	assert_null(strstr(s, "on 2026-03-09</title><title>All"));
	assert_non_null(
	    strstr(s, "<title>tier=&lt;pro&gt;: 20.0% on 2026-03-09</title>"));
	free(s);
}

/* The hue of "#rrggbb" in degrees; -1 for a grey. */
static double hue(const char *hex)
{
	unsigned r, g, b;
	assert_int_equal(sscanf(hex, "#%2x%2x%2x", &r, &g, &b), 3);
	double R = r / 255.0, G = g / 255.0, B = b / 255.0;
	double mx = fmax(R, fmax(G, B)), mn = fmin(R, fmin(G, B)), d = mx - mn;
	if (d < 0.05)
		return -1;
	double h = mx == R   ? fmod((G - B) / d, 6)
	           : mx == G ? (B - R) / d + 2
	                     : (R - G) / d + 4;
	h *= 60;
	return h < 0 ? h + 360 : h;
}

/* No two series of a chart share a hue: at least 20 degrees apart, and
 * none is a grey (the plan and the axes are). */
static void test_palette_hues(void **state)
{
	(void)state;
	double h[16];
	size_t n = 0;
	for (const char *c; (c = okra__svg_color(n)) != NULL; n++) {
		assert_true(n < 16);
		h[n] = hue(c);
		assert_true(h[n] >= 0);
	}
	assert_int_equal(n, 3 + okra__svg_max_extra());
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			double d = fabs(h[i] - h[j]);
			d = d > 180 ? 360 - d : d;
			if (d < 20)
				fail_msg(
				    "colours %zu (%s) and %zu (%s) are %.1f "
				    "degrees apart",
				    i, okra__svg_color(i), j,
				    okra__svg_color(j), d);
		}
}

/* Anomaly marks: one dot each with its escaped tooltip, taken into the y
 * range (a value far below the line still shows), none outside the x
 * range, a legend item and the count in the description. */
static void test_chart_marks(void **state)
{
	(void)state;
	int32_t days[4] = {100, 107, 114, 121};
	double v[4] = {100, 110, 120, 130};
	int32_t mark_days[3] = {110, 50, 118};
	double mark_values[3] = {-40, 5, 125};
	const char *titles[3] = {"2026-11-18 dau 57 <z -9.8> & co", "outside",
	                         "second"};
	okra_chart c = {.title = "marks",
	                .unit = OKRA_UNIT_COUNT,
	                .days = days,
	                .values = v,
	                .n = 4,
	                .mark_days = mark_days,
	                .mark_values = mark_values,
	                .mark_titles = titles,
	                .n_marks = 3,
	                .x_min = 100,
	                .x_max = 121};
	char *s = chart(&c);
	assert_sane_svg(s);
	assert_int_equal(count(s, "<path class=\"k-m\" d=\"M"),
	                 2 + 1 /* legend */);
	assert_non_null(strstr(
	    s, "<title>2026-11-18 dau 57 &lt;z -9.8&gt; &amp; co</title>"));
	assert_null(strstr(s, "outside"));
	assert_non_null(strstr(s, "Anomalies (the day"));
	assert_non_null(strstr(s, "2 anomalies marked"));
	/* the y axis reaches down to the mark at -40: a tick at -50 */
	assert_non_null(strstr(s, ">-50<"));
	free(s);
	/* Without marks: no legend item. */
	c.n_marks = 0;
	s = chart(&c);
	assert_null(strstr(s, "k-m"));
	free(s);
}

static void test_chart_empty(void **state)
{
	(void)state;
	okra_chart c = {.title = "nothing", .unit = OKRA_UNIT_PERCENT};
	char *s = chart(&c);
	assert_sane_svg(s);
	assert_non_null(strstr(s, ">no data</text>"));
	free(s);
	int32_t days[3] = {10, 17, 24};
	double v[3] = {NAN, NAN, NAN};
	c.days = days;
	c.values = v;
	c.n = 3;
	c.has_target = true;
	c.target = 0.5;
	s = chart(&c);
	assert_sane_svg(s);
	assert_non_null(strstr(s, ">no data</text>"));
	assert_null(actual_path(s));
	free(s);
	/* with a quarter given but nothing else */
	okra_chart q = {.x_min = q0, .x_max = q1};
	s = chart(&q);
	assert_sane_svg(s);
	assert_non_null(strstr(s, ">no data</text>"));
	free(s);
}

static void test_chart_constant(void **state)
{
	(void)state;
	int32_t days[4] = {200, 207, 214, 221};
	double v[4] = {0.5, 0.5, 0.5, 0.5};
	double zero[4] = {0, 0, 0, 0};
	double big[4] = {2e6, 2e6, 2e6, 2e6};
	int32_t one_day[1] = {300};
	const struct {
		okra_unit unit;
		const double *v;
		const int32_t *days;
		size_t n;
	} cases[] = {
	    {OKRA_UNIT_PERCENT, v, days, 4},
	    {OKRA_UNIT_COUNT, zero, days, 4},
	    {OKRA_UNIT_CURRENCY, big, days, 4},
	    {OKRA_UNIT_HOURS, v, one_day, 1},
	};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(cases); i++) {
		okra_chart c = {.title = "flat",
		                .unit = cases[i].unit,
		                .days = cases[i].days,
		                .values = cases[i].v,
		                .n = cases[i].n};
		char *s = chart(&c);
		assert_sane_svg(s);
		assert_null(strstr(s, "no data"));
		assert_true(
		    count(
		        s,
		        "text-anchor=\"end\" class=\"k-l\" fill=\"#57606a\"") >=
		    2);
		free(s);
	}
}

static void test_sparkline(void **state)
{
	(void)state;
	double v[8] = {1, 2, NAN, 4, 5, 6, 7, 8};
	double flat[3] = {3, 3, 3};
	double none[2] = {NAN, NAN};
	const double *series[] = {v, flat, none, NULL};
	size_t n[] = {8, 3, 2, 0};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(series); i++) {
		okra_buf b = {0}, b2 = {0};
		okra__svg_sparkline(&b, series[i], n[i], 96, 24);
		okra__svg_sparkline(&b2, series[i], n[i], 96, 24);
		assert_false(b.failed);
		assert_string_equal(b.data, b2.data);
		assert_sane_svg(b.data);
		assert_non_null(strstr(b.data, "aria-hidden=\"true\""));
		okra__buf_free(&b);
		okra__buf_free(&b2);
	}
	okra_buf b = {0};
	okra__svg_sparkline(&b, v, 8, 96, 24);
	assert_int_equal(count(b.data, " M"), 1); /* the gap */
	okra__buf_free(&b);
}

/* ======================================================================
 * The HTML review
 * ====================================================================== */

#define EVIL "<script>alert(\"x\")</script> & 'quotes' \xe2\x80\x94 Caf\xc3\xa9"

typedef struct fixture {
	okra_workspace ws;
	okra_metric metrics[2];
	okra_objective objective;
	okra_key_result krs[3];
	okra_text hypotheses[2];
	okra_experiment experiment;
	okra_review review;
	okra_obj_eval obj_eval;
	okra_kr_eval kr_evals[3];
	okra_dash_row leading[1], lagging[1];
	okra_learning learnings[2];
	okra_suggestion suggestions[2];
} fixture;

static void build_review(fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->ws.settings.name = "Acme " EVIL;

	okra_metric *rate = &f->metrics[0], *mrr = &f->metrics[1];
	rate->id = "completion_rate";
	rate->title = "Completion " EVIL;
	rate->unit = OKRA_UNIT_PERCENT;
	rate->indicator = OKRA_INDICATOR_LEADING;
	mrr->id = "mrr";
	mrr->title = "MRR";
	mrr->unit = OKRA_UNIT_CURRENCY;
	mrr->indicator = OKRA_INDICATOR_LAGGING;

	f->objective.id = "fast_activation";
	f->objective.title.text = "Objective " EVIL;
	f->objective.why = "Why " EVIL;
	f->objective.team.id = "onboarding";
	f->objective.has_quarter = true;
	f->objective.quarter = (okra_quarter){2026, 1, q0, q1};
	f->objective.parent = "north_star";
	f->objective.parent_is_north_star = true;
	f->objective.n_krs = 3;

	f->hypotheses[0].text = "We believe " EVIL;
	f->hypotheses[1].text = "We also believe <img src=x onerror=alert(1)>";
	static const char *const titles[] = {"KR one " EVIL, "KR two",
	                                     "KR three"};
	static const char *const ids[] = {"kr_one", "kr_two", "kr_three"};
	for (int i = 0; i < 3; i++) {
		okra_key_result *kr = &f->krs[i];
		kr->id = ids[i];
		kr->title.text = titles[i];
		kr->kind = i == 2 ? OKRA_KR_STAY_BELOW : OKRA_KR_MOVE;
		kr->metric.id = rate->id;
		kr->hypotheses = f->hypotheses;
		kr->n_hypotheses = 2;
	}
	f->experiment.id = "progress_indicator";
	f->experiment.start = q0 + 13;
	f->experiment.end = q0 + 60;

	/* kr_one: green with a forecast, a previous review and confidence */
	okra_kr_eval *k = &f->kr_evals[0];
	static int conf_values[3] = {5, 6, 7};
	static int32_t conf_days[3];
	for (int i = 0; i < 3; i++)
		conf_days[i] = q0 + 20 + 14 * i;
	okra_chart c = kr_chart(); /* fills the weekly arrays and the band */
	(void)c;
	*k = (okra_kr_eval){
	    .kr = &f->krs[0],
	    .metric = rate,
	    .pin = "tier=<enterprise>",
	    .q0 = q0,
	    .q1 = q1,
	    .elapsed = 0.77,
	    .current = 0.24,
	    .baseline = 0.152,
	    .target = 0.272,
	    .expected = 0.244,
	    .progress = 0.73,
	    .gap = -0.04,
	    .score = 0.73,
	    .stretch_set = true,
	    .stretch = 0.312,
	    .light = OKRA_LIGHT_GREEN,
	    .n_weeks = 10,
	    .week_days = week_days,
	    .week_values = week_values,
	    .n_spark = 8,
	    .forecast = {.ok = true,
	                 .n_points = 10,
	                 .value = 0.27,
	                 .lo = 0.24,
	                 .hi = 0.30,
	                 .prob = 0.48,
	                 .n_band = 4,
	                 .band_days = band_days,
	                 .band_mid = band_mid,
	                 .band_lo = band_lo,
	                 .band_hi = band_hi},
	    .has_prev = true,
	    .prev_asof = q0 + 61,
	    .prev_value = 0.231,
	    .prev_score = 0.66,
	    .prev_light = OKRA_LIGHT_YELLOW,
	    .confidence = 7,
	    .confidence_day = conf_days[2],
	    .confidence_note = "note " EVIL,
	    .n_confidence = 3,
	    .confidence_days = conf_days,
	    .confidence_values = conf_values,
	};
	for (int i = 0; i < 8; i++)
		k->spark[i] = week_values[i + 2];
	/* kr_two: no data at all */
	f->kr_evals[1] = (okra_kr_eval){
	    .kr = &f->krs[1],
	    .metric = rate,
	    .q0 = q0,
	    .q1 = q1,
	    .elapsed = 0.77,
	    .current = NAN,
	    .baseline = NAN,
	    .target = 0.5,
	    .expected = NAN,
	    .progress = NAN,
	    .gap = NAN,
	    .score = NAN,
	    .light = OKRA_LIGHT_NO_DATA,
	    .confidence = -1,
	};
	/* kr_three: stay below, red, with a gap in its weeks */
	static double gappy[10];
	for (int i = 0; i < 10; i++)
		gappy[i] = i == 4 ? NAN : 0.09 + 0.004 * i;
	f->kr_evals[2] = (okra_kr_eval){
	    .kr = &f->krs[2],
	    .metric = rate,
	    .q0 = q0,
	    .q1 = q1,
	    .elapsed = 0.77,
	    .current = 0.126,
	    .baseline = NAN,
	    .target = 0.1,
	    .expected = 0.1,
	    .progress = NAN,
	    .gap = NAN,
	    .score = 0.4,
	    .light = OKRA_LIGHT_RED,
	    .decreasing = true,
	    .n_weeks = 10,
	    .week_days = week_days,
	    .week_values = gappy,
	    .confidence = -1,
	};

	f->obj_eval = (okra_obj_eval){.obj = &f->objective,
	                              .krs = f->kr_evals,
	                              .n_krs = 3,
	                              .score = 0.57};
	f->leading[0] = (okra_dash_row){.metric = rate,
	                                .current = 0.24,
	                                .target = 0.272,
	                                .light = OKRA_LIGHT_GREEN,
	                                .n_spark = 8};
	memcpy(f->leading[0].spark, k->spark, sizeof(k->spark));
	f->lagging[0] = (okra_dash_row){.metric = mrr,
	                                .current = 123456.5,
	                                .target = NAN,
	                                .light = OKRA_LIGHT_DONE,
	                                .n_spark = 3,
	                                .spark = {1, NAN, 3}};
	f->learnings[0] = (okra_learning){.kr = &f->krs[0],
	                                  .hypothesis = f->hypotheses[0].text,
	                                  .experiment = &f->experiment};
	f->learnings[1] = (okra_learning){.kr = &f->krs[0],
	                                  .hypothesis = f->hypotheses[1].text};
	f->suggestions[0] = (okra_suggestion){OKRA_SUGGEST_RECOVER, "kr_three",
	                                      "Recover " EVIL};
	f->suggestions[1] = (okra_suggestion){OKRA_SUGGEST_LINT, "kr-activity",
	                                      "Lint says <b>bold</b>"};

	okra_review *r = &f->review;
	r->ws = &f->ws;
	r->asof = q0 + 68;
	r->team = "team <x>";
	r->has_prev = true;
	r->prev_asof = q0 + 61;
	r->north_star = mrr;
	r->ns_current = 123456.5;
	r->ns_n_spark = 8;
	for (int i = 0; i < 8; i++)
		r->ns_spark[i] = 100000 + 3000 * i;
	r->objectives = &f->obj_eval;
	r->n_objectives = 1;
	r->krs = f->kr_evals;
	r->n_krs = 3;
	r->leading = f->leading;
	r->n_leading = 1;
	r->lagging = f->lagging;
	r->n_lagging = 1;
	r->learnings = f->learnings;
	r->n_learnings = 2;
	r->suggestions = f->suggestions;
	r->n_suggestions = 2;
	r->findings = okra_findings_new();
	assert_non_null(r->findings);
	okra_pos pos = {"okrs/q1.yaml", 12, 7};
	okra__finding_add(r->findings, NULL, OKRA_WARNING, "kr-lagging", pos,
	                  "hint " EVIL, "key result %s", EVIL);
	okra__finding_add(r->findings, NULL, OKRA_ERROR, "ref-unknown", pos,
	                  NULL, "unknown metric");
}

static char *review_html(const okra_review *r)
{
	okra_buf b = {0};
	okra__review_html(r, &b);
	assert_false(b.failed);
	assert_non_null(b.data);
	return b.data;
}

static void test_review_html(void **state)
{
	(void)state;
	fixture *f = malloc(sizeof(*f));
	assert_non_null(f);
	build_review(f);
	char *a = review_html(&f->review), *b = review_html(&f->review);
	assert_string_equal(a, b); /* deterministic */

	/* nothing from YAML or data becomes markup */
	assert_false(contains_ci(a, "<script"));
	assert_null(strstr(a, "<img"));
	assert_null(strstr(a, "<b>"));
	assert_null(strstr(a, "<enterprise>"));
	assert_null(strstr(a, "<x>"));
	assert_non_null(strstr(a, "Acme &lt;script&gt;alert(&quot;x&quot;)"
	                          "&lt;/script&gt; &amp; &#39;quotes&#39; "
	                          "\xe2\x80\x94 Caf\xc3\xa9"));
	assert_non_null(strstr(a, "&lt;img src=x onerror=alert(1)&gt;"));

	/* no script and nothing fetched: the only "http" is the SVG
	 * namespace, and there are no links, sources or imports */
	const char *ns = "xmlns=\"http://www.w3.org/2000/svg\"";
	size_t n_http = count(a, "http"), n_ns = count(a, ns);
	assert_true(n_ns > 0);
	assert_int_equal(n_http, n_ns);
	assert_false(contains_ci(a, "<link"));
	assert_false(contains_ci(a, "<iframe"));
	assert_false(contains_ci(a, "<object"));
	assert_false(tag_has(a, " src="));
	assert_false(tag_has(a, " href="));
	assert_false(tag_has(a, " onload="));
	assert_false(tag_has(a, " onerror="));
	assert_false(tag_has(a, " onclick="));
	assert_false(contains_ci(a, "url("));
	assert_false(contains_ci(a, "@import"));
	assert_false(contains_ci(a, "javascript:"));

	/* the parts of SPEC 6 and the page's furniture */
	assert_non_null(strstr(a, "<!doctype html>"));
	assert_non_null(strstr(a, "<meta charset=\"utf-8\">"));
	assert_non_null(strstr(a, "@media print"));
	assert_non_null(strstr(a, "Where are we?"));
	assert_non_null(strstr(a, "What did we learn?"));
	assert_non_null(strstr(a, "What should we change?"));
	assert_non_null(strstr(a, "Leading indicators (weekly)"));
	assert_non_null(strstr(a, "Lagging indicators (monthly)"));
	assert_non_null(strstr(a, "not yet tested"));
	assert_non_null(strstr(a, "progress_indicator"));
	assert_non_null(strstr(a, "24.0%"));
	assert_non_null(strstr(a, "$123k"));
	assert_non_null(strstr(a, "+0.9 pts"));
	assert_non_null(strstr(a, "48%"));
	assert_non_null(strstr(a, "previous review"));
	/* one wording with the text review and lint; no style attribute,
	 * so the same components pass the dashboard's CSP */
	assert_null(strstr(a, "no key result"));
	assert_null(strstr(a, "</strong> note"));
	assert_non_null(strstr(a, "</strong> info"));
	assert_false(tag_has(a, " style="));
	/* every light has its icon and its word, never colour alone */
	assert_non_null(strstr(a, "\xe2\x97\x8f</span>green</span>"));
	assert_non_null(strstr(a, "\xe2\x96\xb2</span>yellow</span>"));
	assert_non_null(strstr(a, "\xe2\x96\xa0</span>red</span>"));
	assert_non_null(strstr(a, "\xe2\x9c\x93</span>done</span>"));
	assert_non_null(strstr(a, "\xe2\x80\x93</span>no data</span>"));
	/* one chart per key result, each accessible; balanced markup */
	assert_int_equal(count(a, "<article class=\"kr"), 3);
	assert_int_equal(count(a, "role=\"img\""), 3);
	assert_int_equal(count(a, "<svg"), count(a, "</svg>"));
	assert_int_equal(count(a, "<table"), count(a, "</table>"));
	assert_int_equal(count(a, "<section"), count(a, "</section>"));
	assert_int_equal(count(a, "<article"), count(a, "</article>"));
	assert_null(strstr(a, "nan"));
	assert_null(strstr(a, "inf<"));

	/* the empty review still makes a page */
	okra_review empty = {.ws = &f->ws, .asof = q0};
	char *e = review_html(&empty);
	assert_non_null(strstr(e, "No objectives to review."));
	assert_non_null(strstr(e, "first review"));
	assert_non_null(strstr(e, "</html>"));

	free(a);
	free(b);
	free(e);
	okra_findings_free(f->review.findings);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_format_value),
	    cmocka_unit_test(test_chart_deterministic),
	    cmocka_unit_test(test_chart_escapes),
	    cmocka_unit_test(test_chart_nan_gap),
	    cmocka_unit_test(test_chart_tooltips),
	    cmocka_unit_test(test_palette_hues),
	    cmocka_unit_test(test_chart_marks),
	    cmocka_unit_test(test_chart_empty),
	    cmocka_unit_test(test_chart_constant),
	    cmocka_unit_test(test_sparkline),
	    cmocka_unit_test(test_review_html),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
