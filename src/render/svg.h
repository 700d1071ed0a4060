/*
 * svg.h - charts as inline SVG (render/svg.c), shared by the HTML review
 * and the dashboard pages so both look the same without JavaScript.
 *
 * The output is deterministic (same input, same bytes), self-contained
 * (presentation attributes, with classes a stylesheet may use to recolour;
 * no ids, scripts or links) and readable in grey print: every series
 * differs by line style, not only by colour.  Every text is escaped.
 */
#ifndef OKRA_SVG_H
#define OKRA_SVG_H

#include "okra_int.h"

/* An extra line on a chart, e.g. one segment of a metric. */
typedef struct okra_chart_series {
	const char *name;     /* legend label; escaped */
	const int32_t *days;  /* ascending */
	const double *values; /* NaN = gap */
	size_t n;
} okra_chart_series;

/* A line chart over days.  Borrowed pointers, read during the call only.
 * Zero-initialise and fill what applies. */
typedef struct okra_chart {
	const char *title; /* <title> and aria-label; escaped */
	okra_unit unit;    /* how the y axis and the summary read */
	/* The actual series: solid line with dots.  NaN = gap. */
	const int32_t *days; /* ascending */
	const double *values;
	size_t n;
	const char *actual_label; /* legend; NULL: "Actual" */
	/* The plan: a dashed straight line from (d0, v0) to (d1, v1). */
	bool has_trajectory;
	int32_t traj_d0, traj_d1;
	double traj_v0, traj_v1;
	/* A dotted horizontal line at the target, labelled. */
	bool has_target;
	double target;
	/* The forecast: its line (mid) and an 80% band (lo..hi) per day. */
	size_t n_band;
	const int32_t *band_days;
	const double *band_mid, *band_lo, *band_hi;
	/* A second forecast band (e.g. if an experiment's winner ships):
	 * its line and band in another colour, labelled band2_label. */
	size_t n_band2;
	const int32_t *band2_days;
	const double *band2_mid, *band2_lo, *band2_hi;
	const char *band2_label; /* legend; escaped */
	/* More lines (segments, comparisons), each with its own dash style. */
	const okra_chart_series *extra;
	size_t n_extra;
	/* Marked days (anomalies): a red dot at (day, value) with its text as
	 * a tooltip (<title>), kept in the y range, named in the legend and
	 * the description.  Titles are escaped. */
	const int32_t *mark_days;
	const double *mark_values;
	const char *const *mark_titles;
	size_t n_marks;
	/* A vertical rule marking the as-of day. */
	bool has_asof;
	int32_t asof;
	int32_t x_min, x_max; /* x range (e.g. the quarter); 0,0: from
	                         the data */
} okra_chart;

/* Appends the chart as a <figure class="chart">: the y axis's labels, the
 * plot as one <svg class="okra-chart" role="img"> as wide as the figure
 * and height pixels high, with a <title>, a <desc> summing up the last
 * value and the target, 1-2-5 ticks and dates, then the legend of what is
 * drawn as a list.  Texts are 12 px at any width.  No actual value at all
 * draws the frame and "no data" (plus the plan, when given).  Every point
 * of the actual and extra series has a hover target whose <title> reads
 * "label: value on YYYY-MM-DD" (a tooltip without script). */
void okra__svg_chart(okra_buf *b, const okra_chart *c, int height);

/* The most extra series a chart draws (one colour each). */
size_t okra__svg_max_extra(void);
/* The colours of a chart's series, "#rrggbb": 0 actual, 1 target, 2 the
 * ship forecast, then the extra series; NULL past them. */
const char *okra__svg_color(size_t i);

/* Appends a sparkline of n values (NaN = gap, the last point dotted) as a
 * decorative <svg aria-hidden="true">: the caller shows the numbers. */
void okra__svg_sparkline(okra_buf *b, const double *v, size_t n, int width,
                         int height);

/* Appends v as the command line writes it for unit: "24.0%", "1,234",
 * "1,234.50", "16.8 h", "0.950"; "–" for NaN.  Plain text, no escaping
 * needed. */
void okra__svg_format_value(okra_buf *b, okra_unit unit, double v);

/* Appends the nodes of a KPI tree's attribution as cards (each with its
 * value at both dates, its change coloured by its metric's direction and
 * a bar of its contribution to the root; dimmed and dashed when not
 * attributed) joined by edges (dashed for children: links), one row per
 * node, inside <div class="tree-wrap"> that scrolls on a narrow screen.
 * Each card links to the metric explorer (with ?to=to when to is given).
 * Unlike the charts it holds links, and draws at its natural size. */
void okra__tree_svg(okra_buf *b, const okra_attribution *at, const char *to);

#endif
