/*
 * svg.c - line charts and sparklines as inline SVG, and values by unit.
 *
 * Draws what it is given and computes nothing but geometry: scales, 1-2-5
 * ticks and date ticks.  Output is deterministic: coordinates are written
 * with one decimal by our own formatter, never with %g, so the same input
 * gives the same bytes.  A chart is as wide as its container: the plot's
 * x axis is stretched (strokes keep their width), while every text is
 * placed by percentage and drawn at 12 px, so it never shrinks on a
 * phone.  Colours are presentation attributes with a class each, which
 * the stylesheet may override (the dark scheme); no ids, no links.
 * Series differ by dash pattern as well as colour (grey print).
 */
#include "render/svg.h"

#include "base/html.h"
#include "model/format.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================
 * Numbers
 * ====================================================================== */

/* A coordinate with at most one decimal ("12", "12.5"; never "-0"). */
static void coord(okra_buf *b, double v)
{
	if (!isfinite(v))
		v = 0;
	long long t = llround(v * 10);
	if (t < 0) {
		okra__buf_putc(b, '-');
		t = -t;
	}
	okra__buf_printf(b, "%lld", t / 10);
	if (t % 10)
		okra__buf_printf(b, ".%lld", t % 10);
}

/* %.*f without a "-0" (a tiny negative rounding to zero). */
static void fixed(okra_buf *b, double v, int decimals)
{
	double scale = pow(10, decimals);
	if (round(v * scale) == 0)
		v = 0;
	okra__buf_printf(b, "%.*f", decimals, v);
}

void okra__svg_format_value(okra_buf *b, okra_unit unit, double v)
{
	if (!isfinite(v)) {
		okra__buf_puts(b, "\xe2\x80\x93"); /* en dash */
		return;
	}
	/* The command line's formatting, so every output agrees. */
	okra_metric m = {.unit = unit};
	okra__human(b, &m, false, v + 0.0);
}

/* A step of 1, 2 or 5 times a power of ten giving about n intervals. */
static double nice_step(double span, int n)
{
	double raw = span / n;
	double mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

/* Decimals that show every multiple of step exactly. */
static int step_decimals(double step)
{
	int d = -(int)floor(log10(step) + 1e-9);
	return d < 0 ? 0 : d > 6 ? 6 : d;
}

/* An axis label: short, with only the decimals the step needs. */
static void tick_label(okra_buf *b, okra_unit unit, double v, double step,
                       double max_abs)
{
	switch (unit) {
	case OKRA_UNIT_PERCENT:
		fixed(b, v * 100, step_decimals(step * 100));
		okra__buf_putc(b, '%');
		return;
	case OKRA_UNIT_HOURS:
		fixed(b, v, step_decimals(step));
		okra__buf_puts(b, " h");
		return;
	case OKRA_UNIT_COUNT:
	case OKRA_UNIT_CURRENCY:
	case OKRA_UNIT_NONE:
		if (max_abs >= 1e4) {
			double scale = max_abs >= 1e6 ? 1e6 : 1e3;
			fixed(b, v / scale, step_decimals(step / scale));
			okra__buf_putc(b, scale == 1e6 ? 'M' : 'k');
			return;
		}
		if (step >= 1) {
			okra__thousands(b, v);
			return;
		}
		break;
	default:
		break;
	}
	fixed(b, v, step_decimals(step));
}

/* ======================================================================
 * Dates
 * ====================================================================== */

static const char *const month_abbr[] = {"Jan", "Feb", "Mar", "Apr",
                                         "May", "Jun", "Jul", "Aug",
                                         "Sep", "Oct", "Nov", "Dec"};

/* "Mar 10" */
static void day_label(okra_buf *b, int32_t day)
{
	int y, m, d;
	okra__civil_from_days(day, &y, &m, &d);
	okra__buf_printf(b, "%s %d", month_abbr[m - 1], d);
}

/* Ticks for [x0, x1]: days, the 1st and 15th, months or years.  Writes at
 * most cap days into out and whether labels carry the day of the month. */
static size_t date_ticks(int32_t x0, int32_t x1, int32_t *out, size_t cap,
                         bool *with_day)
{
	int32_t span = x1 - x0;
	size_t n = 0;
	*with_day = true;
	if (span <= 16) {
		int32_t step = span <= 8 ? 1 : 2;
		for (int32_t d = x0; d <= x1 && n < cap; d += step)
			out[n++] = d;
		return n;
	}
	if (span <= 35) {
		for (int32_t d = x0; d <= x1 && n < cap; d++)
			if (okra__weekday(d) == 0)
				out[n++] = d;
		return n;
	}
	int y, m, dd;
	okra__civil_from_days(x0, &y, &m, &dd);
	if (span <= 110) {
		/* the 1st and the 15th of each month */
		for (;;) {
			int32_t a = okra__days_from_civil(y, m, 1);
			int32_t c = okra__days_from_civil(y, m, 15);
			if (a > x1 || n >= cap)
				break;
			if (a >= x0)
				out[n++] = a;
			if (c >= x0 && c <= x1 && n < cap)
				out[n++] = c;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
		return n;
	}
	*with_day = false;
	int months = (int)(span / 30);
	int step = months <= 8    ? 1
	           : months <= 16 ? 2
	           : months <= 30 ? 3
	           : months <= 60 ? 6
	                          : 12 * (months / 96 + 1);
	/* start at a month that is a multiple of step (from January) */
	m = ((m - 1 + step - 1) / step) * step + 1;
	while (m > 12) {
		m -= 12;
		y++;
	}
	for (;;) {
		int32_t a = okra__days_from_civil(y, m, 1);
		if (a > x1 || n >= cap)
			break;
		if (a >= x0)
			out[n++] = a;
		m += step;
		while (m > 12) {
			m -= 12;
			y++;
		}
	}
	return n;
}

/* ======================================================================
 * Chart
 * ====================================================================== */

#define FONT_STACK                                                             \
	"system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', "     \
	"Arial, sans-serif"

/* Colours: presentation attributes (a chart reads without a stylesheet)
 * and a class each, so the page's stylesheet can recolour them (the dark
 * scheme).  k-a actual, k-p plan, k-t target, k-ax axis, k-g grid, k-l
 * labels, k-h the halo behind labels, k-x0.. the extra series. */
#define COLOR_ACTUAL  "#1f4e99"
#define COLOR_PLAN    "#57606a"
#define COLOR_TARGET  "#8250df"
#define COLOR_AXIS    "#8c959f"
#define COLOR_GRID    "#e6e9ed"
#define COLOR_LABEL   "#57606a"
#define DASH_PLAN     "6 4"
#define DASH_TARGET   "2 3"
#define DASH_FORECAST "4 3"
#define COLOR_SHIP    "#1a7f37" /* the forecast if an experiment ships */
#define COLOR_MARK    "#cf222e" /* an anomaly's day */
#define DASH_SHIP     "1 3"

/* The extra series: no two colours of a chart share a hue (actual blue
 * 218 deg, target purple 263, the ship forecast green 135, these red 356,
 * orange 24, gold 46, olive 73, teal 170, cyan 193, magenta 322: at
 * least 20 degrees apart; the plan and axes are grey).  okra.css has the
 * same palette, and one for the dark scheme. */
static const char *const extra_colors[] = {"#cf222e", "#bc4c00", "#967400",
                                           "#5a7400", "#0a7d6b", "#0b7a99",
                                           "#b0277f"};
static const char *const extra_dashes[] = {"8 3",  "1 3", "8 3 1 3", "3 3",
                                           "12 3", "1 2", "6 2 2 2"};

size_t okra__svg_max_extra(void)
{
	return OKRA_ARRAY_LEN(extra_colors);
}

const char *okra__svg_color(size_t i)
{
	static const char *const fixed_colors[] = {COLOR_ACTUAL, COLOR_TARGET,
	                                           COLOR_SHIP};
	if (i < OKRA_ARRAY_LEN(fixed_colors))
		return fixed_colors[i];
	i -= OKRA_ARRAY_LEN(fixed_colors);
	return i < OKRA_ARRAY_LEN(extra_colors) ? extra_colors[i] : NULL;
}

/* The plot's own coordinates: x runs over PLOT_W units whatever the width
 * on screen (the plot stretches to its container), y in pixels. */
#define PLOT_W 1000.0
/* The narrowest plot the labels are placed for (a phone). */
#define MIN_PLOT_PX 240.0
#define FONT_PX     12

/* The chart's geometry: days and values to plot coordinates. */
typedef struct frame {
	double left, top, right, bottom; /* the plot area */
	int32_t x0, x1;
	double y0, y1;
} frame;

static double px(const frame *f, double day)
{
	return f->left +
	       (day - f->x0) / (double)(f->x1 - f->x0) * (f->right - f->left);
}

static double py(const frame *f, double v)
{
	return f->bottom - (v - f->y0) / (f->y1 - f->y0) * (f->bottom - f->top);
}

static void point(okra_buf *b, const frame *f, double day, double v)
{
	coord(b, px(f, day));
	okra__buf_putc(b, ',');
	coord(b, py(f, v));
}

/* A day's place across the plot as a percentage of its width. */
static void pct(okra_buf *b, const frame *f, double day)
{
	coord(b, (day - f->x0) / (double)(f->x1 - f->x0) * 100);
	okra__buf_putc(b, '%');
}

/* Path data for a series: NaN values break it into pieces (a piece of one
 * point draws nothing: callers dot the points they want seen).  Returns
 * the number of pieces. */
static size_t path_data(okra_buf *b, const frame *f, const int32_t *days,
                        const double *v, size_t n)
{
	size_t pieces = 0;
	bool open = false;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(v[i])) {
			open = false;
			continue;
		}
		okra__buf_puts(b, open ? " L" : (pieces ? " M" : "M"));
		if (!open)
			pieces++;
		open = true;
		point(b, f, days[i], v[i]);
	}
	return pieces;
}

static bool isolated(const double *v, size_t n, size_t i)
{
	return (i == 0 || !isfinite(v[i - 1])) &&
	       (i + 1 == n || !isfinite(v[i + 1]));
}

/* Strokes keep their width however the plot is stretched. */
#define FIXED_STROKE " vector-effect=\"non-scaling-stroke\""

static void line(okra_buf *b, const frame *f, const int32_t *days,
                 const double *v, size_t n, const char *cls, const char *color,
                 double width, const char *dash)
{
	okra_buf d = {0};
	size_t pieces = path_data(&d, f, days, v, n);
	if (pieces && !d.failed) {
		okra__buf_printf(b,
		                 "<path class=\"%s\" d=\"%s\" fill=\"none\" "
		                 "stroke=\"%s\" stroke-width=\"",
		                 cls, d.data, color);
		coord(b, width);
		okra__buf_puts(b, "\" stroke-linejoin=\"round\" "
		                  "stroke-linecap=\"round\"" FIXED_STROKE);
		if (dash && *dash)
			okra__buf_printf(b, " stroke-dasharray=\"%s\"", dash);
		okra__buf_puts(b, "/>\n");
	}
	okra__buf_free(&d);
}

/* Dots as zero-length strokes with round caps: they stay round however
 * the plot is stretched.  One path per series; only the points for which
 * want() is true. */
static void dots(okra_buf *b, const frame *f, const int32_t *days,
                 const double *v, size_t n, const bool *want, const char *cls,
                 const char *color, double diameter)
{
	okra_buf d = {0};
	for (size_t i = 0; i < n; i++) {
		if (!want[i])
			continue;
		okra__buf_puts(&d, d.len ? " M" : "M");
		point(&d, f, days[i], v[i]);
		okra__buf_puts(&d, " h0");
	}
	if (d.len && !d.failed) {
		okra__buf_printf(b,
		                 "<path class=\"%s\" d=\"%s\" stroke=\"%s\" "
		                 "stroke-width=\"",
		                 cls, d.data, color);
		coord(b, diameter);
		okra__buf_puts(b, "\" stroke-linecap=\"round\"" FIXED_STROKE
		                  "/>\n");
	}
	okra__buf_free(&d);
}

/* Hover targets: per point of a series, a transparent box around it
 * whose <title> the browser shows as a tooltip (no script): "label:
 * value on day".  A box reaches half way to the next point (at most 15
 * of the plot's 1000 units) and 8 px above and below; name_escaped is
 * already escaped. */
static void tips(okra_buf *b, const frame *f, const int32_t *days,
                 const double *v, size_t n, const char *name_escaped,
                 okra_unit unit)
{
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(v[i]) || days[i] < f->x0 || days[i] > f->x1)
			continue;
		double x = px(f, days[i]), left = 15, right = 15;
		if (i > 0 && (x - px(f, days[i - 1])) / 2 < left)
			left = (x - px(f, days[i - 1])) / 2;
		if (i + 1 < n && (px(f, days[i + 1]) - x) / 2 < right)
			right = (px(f, days[i + 1]) - x) / 2;
		char day[11];
		okra__format_date(days[i], day);
		okra__buf_puts(b, "<rect class=\"hit\" x=\"");
		coord(b, x - left);
		okra__buf_puts(b, "\" y=\"");
		coord(b, py(f, v[i]) - 8);
		okra__buf_puts(b, "\" width=\"");
		coord(b, left + right > 0.5 ? left + right : 0.5);
		okra__buf_puts(b,
		               "\" height=\"16\" fill=\"transparent\"><title>");
		okra__buf_puts(b, name_escaped);
		okra__buf_puts(b, ": ");
		okra__svg_format_value(b, unit, v[i]);
		okra__buf_printf(b, " on %s</title></rect>\n", day);
	}
}

/* A horizontal rule across the plot at y. */
static void hrule(okra_buf *b, const frame *f, double y, const char *cls,
                  const char *color, const char *width, const char *dash)
{
	okra__buf_printf(b, "<path class=\"%s\" d=\"M", cls);
	coord(b, f->left);
	okra__buf_putc(b, ',');
	coord(b, y);
	okra__buf_puts(b, " H");
	coord(b, f->right);
	okra__buf_printf(b, "\" stroke=\"%s\" stroke-width=\"%s\"", color,
	                 width);
	if (dash)
		okra__buf_printf(b, " stroke-dasharray=\"%s\"", dash);
	okra__buf_puts(b, FIXED_STROKE "/>\n");
}

/* Text with a halo so it reads over lines; x is a percentage of the plot
 * plus dx pixels. */
static void label(okra_buf *b, const frame *f, double day, double dx, double y,
                  const char *anchor, const char *cls, const char *color,
                  const char *text_escaped)
{
	okra__buf_puts(b, "<text x=\"");
	pct(b, f, day);
	okra__buf_puts(b, "\" dx=\"");
	coord(b, dx);
	okra__buf_puts(b, "\" y=\"");
	coord(b, y);
	okra__buf_printf(
	    b,
	    "\" text-anchor=\"%s\" class=\"%s k-h\" fill=\"%s\" "
	    "stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">"
	    "%s</text>\n",
	    anchor, cls, color, text_escaped);
}

/* Approximate width of text at FONT_PX in a sans-serif face. */
static double text_width(const char *s)
{
	return (double)okra__text_width(s) * 6.8;
}

static bool in_x(int32_t x0, int32_t x1, int32_t day)
{
	return day >= x0 && day <= x1;
}

/* The y extent of what is drawn within [x0, x1]: of the lines (lo, hi)
 * and of the forecast band (band_lo, band_hi) apart. */
static void extent(const okra_chart *c, int32_t x0, int32_t x1, double *lo,
                   double *hi, double *band_lo, double *band_hi,
                   bool *has_actual)
{
	double a = INFINITY, z = -INFINITY;
#define TAKE(v)                                                                \
	do {                                                                   \
		double t_ = (v);                                               \
		if (isfinite(t_)) {                                            \
			if (t_ < a)                                            \
				a = t_;                                        \
			if (t_ > z)                                            \
				z = t_;                                        \
		}                                                              \
	} while (0)
	*has_actual = false;
	for (size_t i = 0; i < c->n; i++)
		if (in_x(x0, x1, c->days[i]) && isfinite(c->values[i])) {
			TAKE(c->values[i]);
			*has_actual = true;
		}
	for (size_t i = 0; i < c->n_marks; i++)
		if (in_x(x0, x1, c->mark_days[i]))
			TAKE(c->mark_values[i]);
	for (size_t s = 0; s < c->n_extra; s++)
		for (size_t i = 0; i < c->extra[s].n; i++)
			if (in_x(x0, x1, c->extra[s].days[i]) &&
			    isfinite(c->extra[s].values[i])) {
				TAKE(c->extra[s].values[i]);
				*has_actual = true;
			}
	if (c->has_trajectory && c->traj_d1 != c->traj_d0) {
		double slope =
		    (c->traj_v1 - c->traj_v0) / (c->traj_d1 - c->traj_d0);
		int32_t d0 = c->traj_d0 > x0 ? c->traj_d0 : x0;
		int32_t d1 = c->traj_d1 < x1 ? c->traj_d1 : x1;
		if (d0 <= d1) {
			TAKE(c->traj_v0 + slope * (d0 - c->traj_d0));
			TAKE(c->traj_v0 + slope * (d1 - c->traj_d0));
		}
	} else if (c->has_trajectory) {
		TAKE(c->traj_v0);
		TAKE(c->traj_v1);
	}
	if (c->has_target)
		TAKE(c->target);
	*lo = a;
	*hi = z;
	a = INFINITY;
	z = -INFINITY;
	for (size_t i = 0; i < c->n_band; i++)
		if (in_x(x0, x1, c->band_days[i])) {
			TAKE(c->band_mid ? c->band_mid[i] : NAN);
			TAKE(c->band_lo ? c->band_lo[i] : NAN);
			TAKE(c->band_hi ? c->band_hi[i] : NAN);
		}
	for (size_t i = 0; i < c->n_band2; i++)
		if (in_x(x0, x1, c->band2_days[i])) {
			TAKE(c->band2_mid ? c->band2_mid[i] : NAN);
			TAKE(c->band2_lo ? c->band2_lo[i] : NAN);
			TAKE(c->band2_hi ? c->band2_hi[i] : NAN);
		}
#undef TAKE
	*band_lo = a;
	*band_hi = z;
}

/* The x range: given, or from every day drawn.  False when nothing says
 * which days the chart is about. */
static bool x_range(const okra_chart *c, int32_t *x0, int32_t *x1)
{
	int32_t a = INT32_MAX, z = INT32_MIN;
	if (c->x_min || c->x_max) {
		a = c->x_min;
		z = c->x_max;
	} else {
#define TAKE_DAY(d)                                                            \
	do {                                                                   \
		if ((d) < a)                                                   \
			a = (d);                                               \
		if ((d) > z)                                                   \
			z = (d);                                               \
	} while (0)
		for (size_t i = 0; i < c->n; i++)
			if (isfinite(c->values[i]))
				TAKE_DAY(c->days[i]);
		for (size_t s = 0; s < c->n_extra; s++)
			for (size_t i = 0; i < c->extra[s].n; i++)
				if (isfinite(c->extra[s].values[i]))
					TAKE_DAY(c->extra[s].days[i]);
		for (size_t i = 0; i < c->n_band; i++)
			TAKE_DAY(c->band_days[i]);
		if (c->has_trajectory) {
			TAKE_DAY(c->traj_d0);
			TAKE_DAY(c->traj_d1);
		}
		if (c->has_asof)
			TAKE_DAY(c->asof);
#undef TAKE_DAY
	}
	bool known = a <= z;
	if (!known) {
		a = 0;
		z = 0;
	}
	if (z - a < 2) { /* one day: centre it */
		a -= 3;
		z += 3;
	}
	*x0 = a;
	*x1 = z;
	return known;
}

/* The y range with 1-2-5 ticks; a constant series gets room around it.
 * A forecast band never pushes the axis below 0 or a share above 100%
 * when the lines stay within them: the band is clipped instead. */
static void y_range(const okra_chart *c, double lo, double hi, double band_lo,
                    double band_hi, int n_ticks, double *y0, double *y1,
                    double *step)
{
	bool lines = isfinite(lo) && isfinite(hi);
	bool unsigned_unit =
	    c->unit == OKRA_UNIT_PERCENT || c->unit == OKRA_UNIT_COUNT ||
	    c->unit == OKRA_UNIT_HOURS || c->unit == OKRA_UNIT_RATIO;
	bool floor0 = lines && lo >= 0 && unsigned_unit;
	bool share = c->unit == OKRA_UNIT_PERCENT && (!lines || hi <= 1);
	if (isfinite(band_lo) && isfinite(band_hi)) {
		lo = lines ? fmin(lo, band_lo) : band_lo;
		hi = lines ? fmax(hi, band_hi) : band_hi;
	}
	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = c->unit == OKRA_UNIT_PERCENT ? 1 : 10;
	}
	bool non_negative = lo >= 0 || floor0;
	double span = hi - lo;
	if (span <= fabs(hi) * 1e-9 || span == 0) {
		double pad = fabs(hi) * 0.1;
		if (pad == 0)
			pad = c->unit == OKRA_UNIT_PERCENT ? 0.05 : 1;
		lo -= pad;
		hi += pad;
	} else {
		lo -= span * 0.04;
		hi += span * 0.04;
	}
	if (non_negative && lo < 0)
		lo = 0;
	if (share && hi > 1)
		hi = 1;
	double s = nice_step(hi - lo, n_ticks);
	double a = floor(lo / s) * s, z = ceil(hi / s) * s;
	if (non_negative && a < 0)
		a = 0;
	if (share && z > 1)
		z = 1;
	*y0 = a;
	*y1 = z;
	*step = s;
}

/* The legend: an HTML list under the plot, so it wraps like text. */
typedef enum legend_kind {
	LEGEND_ACTUAL,
	LEGEND_PLAN,
	LEGEND_TARGET,
	LEGEND_BAND,
	LEGEND_EXTRA
} legend_kind;

static void legend_item(okra_buf *b, legend_kind kind, const char *cls,
                        const char *color, const char *dash,
                        const char *text_escaped)
{
	okra__buf_puts(b, "<li><svg width=\"22\" height=\"10\" "
	                  "viewBox=\"0 0 22 10\" aria-hidden=\"true\">");
	if (kind == LEGEND_BAND)
		okra__buf_puts(b,
		               "<rect class=\"k-af\" x=\"1\" y=\"0\" "
		               "width=\"20\" height=\"10\" fill=\"" COLOR_ACTUAL
		               "\" fill-opacity=\"0.16\"/>");
	okra__buf_printf(b,
	                 "<path class=\"%s\" d=\"M2,5 h18\" stroke=\"%s\" "
	                 "stroke-width=\"%s\"",
	                 cls, color, kind == LEGEND_ACTUAL ? "2.5" : "1.5");
	if (dash && *dash)
		okra__buf_printf(b, " stroke-dasharray=\"%s\"", dash);
	okra__buf_puts(b, "/>");
	if (kind == LEGEND_ACTUAL)
		okra__buf_puts(b,
		               "<path class=\"k-a\" d=\"M11,5 h0\" "
		               "stroke=\"" COLOR_ACTUAL "\" stroke-width=\"6\" "
		               "stroke-linecap=\"round\"/>");
	okra__buf_printf(b, "</svg>%s</li>", text_escaped);
}

/* <desc>: the numbers behind the picture, in words. */
static void describe(okra_buf *b, const okra_chart *c, bool has_actual,
                     int32_t x0, int32_t x1)
{
	okra_buf d = {0};
	size_t last = c->n;
	for (size_t i = c->n; i-- > 0;)
		if (isfinite(c->values[i])) {
			last = i;
			break;
		}
	if (last < c->n) {
		char day[11];
		okra__format_date(c->days[last], day);
		okra__buf_puts(&d,
		               c->actual_label ? c->actual_label : "Actual");
		okra__buf_puts(&d, " ");
		okra__svg_format_value(&d, c->unit, c->values[last]);
		okra__buf_printf(&d, " on %s", day);
	} else {
		okra__buf_puts(&d, has_actual ? "Lines" : "No data");
	}
	if (c->has_trajectory) {
		okra__buf_puts(&d, "; trajectory from ");
		okra__svg_format_value(&d, c->unit, c->traj_v0);
		okra__buf_puts(&d, " to ");
		okra__svg_format_value(&d, c->unit, c->traj_v1);
	}
	if (c->has_target) {
		okra__buf_puts(&d, "; target ");
		okra__svg_format_value(&d, c->unit, c->target);
	}
	if (c->n_band && c->band_mid && c->band_lo && c->band_hi) {
		size_t k = c->n_band - 1;
		char day[11];
		okra__format_date(c->band_days[k], day);
		okra__buf_puts(&d, "; forecast ");
		okra__svg_format_value(&d, c->unit, c->band_mid[k]);
		okra__buf_puts(&d, " (80% interval ");
		okra__svg_format_value(&d, c->unit, c->band_lo[k]);
		okra__buf_puts(&d, " to ");
		okra__svg_format_value(&d, c->unit, c->band_hi[k]);
		okra__buf_printf(&d, ") on %s", day);
	}
	size_t marks = 0;
	for (size_t i = 0; i < c->n_marks; i++)
		marks += isfinite(c->mark_values[i]) &&
		         in_x(x0, x1, c->mark_days[i]);
	if (marks)
		okra__buf_printf(&d, "; %zu anomal%s marked", marks,
		                 marks == 1 ? "y" : "ies");
	okra__buf_puts(&d, ".");
	okra__buf_puts(b, "<desc>");
	okra__buf_html(b, d.data);
	okra__buf_puts(b, "</desc>\n");
	okra__buf_free(&d);
}

static void band(okra_buf *b, const frame *f, size_t n, const int32_t *days,
                 const double *lo, const double *hi, const char *cls,
                 const char *color)
{
	if (!n || !lo || !hi)
		return;
	okra_buf d = {0};
	size_t pts = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(lo[i]) || !isfinite(hi[i]))
			continue;
		okra__buf_puts(&d, pts++ ? " L" : "M");
		point(&d, f, days[i], hi[i]);
	}
	for (size_t i = n; i-- > 0;) {
		if (!isfinite(lo[i]) || !isfinite(hi[i]))
			continue;
		okra__buf_puts(&d, " L");
		point(&d, f, days[i], lo[i]);
	}
	if (pts >= 2 && !d.failed)
		okra__buf_printf(b,
		                 "<path class=\"%s\" d=\"%s Z\" fill=\"%s\" "
		                 "fill-opacity=\"0.16\" stroke=\"none\"/>\n",
		                 cls, d.data, color);
	okra__buf_free(&d);
}

/* Opens a nested <svg> over the plot area that stretches the plot's x
 * units to the width on screen; clip: hide what leaves the plot area. */
static void viewport(okra_buf *b, const frame *f, double height, bool clip)
{
	okra__buf_puts(b, "<svg x=\"0\" y=\"0\" width=\"100%\" height=\"");
	coord(b, height);
	okra__buf_puts(b, "\" viewBox=\"0 0 ");
	coord(b, f->right);
	okra__buf_putc(b, ' ');
	coord(b, height);
	okra__buf_printf(b,
	                 "\" preserveAspectRatio=\"none\" overflow=\"%s\">\n",
	                 clip ? "hidden" : "visible");
}

void okra__svg_chart(okra_buf *b, const okra_chart *c, int height)
{
	if (height < 80)
		height = 80;
	int32_t x0, x1;
	bool x_known = x_range(c, &x0, &x1);
	double lo, hi, band_lo, band_hi;
	bool has_actual;
	extent(c, x0, x1, &lo, &hi, &band_lo, &band_hi, &has_actual);
	bool has_band = c->n_band && c->band_lo && c->band_hi;
	bool has_band2 = c->n_band2 && c->band2_lo && c->band2_hi;
	size_t n_extra = c->n_extra < OKRA_ARRAY_LEN(extra_colors)
	                     ? c->n_extra
	                     : OKRA_ARRAY_LEN(extra_colors);

	/* Geometry: the plot from 8 px to the date labels; about one y
	 * tick per 34 px. */
	double top = 8, bottom = height - 24.0;
	int n_ticks = (int)((bottom - top) / 34);
	n_ticks = n_ticks < 2 ? 2 : n_ticks > 6 ? 6 : n_ticks;
	double y0, y1, step;
	y_range(c, lo, hi, band_lo, band_hi, n_ticks, &y0, &y1, &step);
	double max_abs = fmax(fabs(y0), fabs(y1));
	okra_buf tick = {0};
	double label_w = 0;
	long k0 = lround(ceil(y0 / step - 1e-9));
	for (long k = k0; k * step <= y1 + step * 1e-9; k++) {
		tick.len = 0;
		tick_label(&tick, c->unit, (double)k * step, step, max_abs);
		if (tick.data && text_width(tick.data) > label_w)
			label_w = text_width(tick.data);
	}
	frame f = {.left = 0,
	           .right = PLOT_W,
	           .top = top,
	           .bottom = bottom,
	           .x0 = x0,
	           .x1 = x1,
	           .y0 = y0,
	           .y1 = y1};
	int axis_w = (int)ceil(label_w) + 10;

	/* The frame: the y axis's labels beside the plot, which takes the
	 * rest of the width. */
	okra__buf_printf(b,
	                 "<figure class=\"chart\">\n<div class=\"chart-box\">\n"
	                 "<svg class=\"okra-chart-y\" width=\"%d\" "
	                 "height=\"%d\" aria-hidden=\"true\" "
	                 "font-family=\"" FONT_STACK "\" font-size=\"%d\">\n",
	                 axis_w, height, FONT_PX);
	for (long k = k0; k * step <= y1 + step * 1e-9; k++) {
		tick.len = 0;
		tick_label(&tick, c->unit, (double)k * step, step, max_abs);
		okra__buf_printf(b, "<text x=\"%d\" y=\"", axis_w - 6);
		coord(b, py(&f, (double)k * step) + 4);
		okra__buf_printf(b,
		                 "\" text-anchor=\"end\" class=\"k-l\" "
		                 "fill=\"%s\">%s</text>\n",
		                 COLOR_LABEL, tick.data ? tick.data : "");
	}
	okra__buf_puts(b, "</svg>\n");

	/* The plot: its accessible name and description. */
	okra__buf_printf(b,
	                 "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	                 "class=\"okra-chart\" width=\"100%%\" height=\"%d\" "
	                 "role=\"img\" aria-label=\"",
	                 height);
	okra__buf_html(b, c->title ? c->title : "Chart");
	okra__buf_printf(b,
	                 "\" font-family=\"" FONT_STACK "\" font-size=\"%d\" "
	                 "overflow=\"visible\">\n<title>",
	                 FONT_PX);
	okra__buf_html(b, c->title ? c->title : "Chart");
	okra__buf_puts(b, "</title>\n");
	describe(b, c, has_actual, x0, x1);

	/* The band, clipped to the plot area. */
	if (has_band || has_band2) {
		viewport(b, &f, height, true);
		band(b, &f, c->n_band, c->band_days, c->band_lo, c->band_hi,
		     "k-af", COLOR_ACTUAL);
		band(b, &f, c->n_band2, c->band2_days, c->band2_lo, c->band2_hi,
		     "k-sf", COLOR_SHIP);
		okra__buf_puts(b, "</svg>\n");
	}
	viewport(b, &f, height, false);
	/* Grid, with the axis at the bottom tick. */
	for (long k = k0; k * step <= y1 + step * 1e-9; k++)
		hrule(b, &f, py(&f, (double)k * step), k == k0 ? "k-ax" : "k-g",
		      k == k0 ? COLOR_AXIS : COLOR_GRID, "1", NULL);
	okra__buf_free(&tick);

	/* x axis: tick marks (the labels come after the plot). */
	int32_t days[24];
	bool with_day;
	size_t n_days =
	    x_known ? date_ticks(x0, x1, days, OKRA_ARRAY_LEN(days), &with_day)
	            : 0;
	/* keep every k-th tick so that labels (about 48 px) never touch on
	 * a wide screen; a narrow one hides every other (the stylesheet) */
	size_t keep = 1;
	while (n_days > 1 && (n_days + keep - 1) / keep > 8)
		keep++;
	if (keep > 1) {
		size_t m = 0;
		for (size_t i = 0; i < n_days; i += keep)
			days[m++] = days[i];
		n_days = m;
	}
	if (n_days) {
		okra_buf d = {0};
		for (size_t i = 0; i < n_days; i++) {
			okra__buf_puts(&d, i ? " M" : "M");
			coord(&d, px(&f, days[i]));
			okra__buf_putc(&d, ',');
			coord(&d, f.bottom);
			okra__buf_puts(&d, " v4");
		}
		okra__buf_printf(b,
		                 "<path class=\"k-ax\" d=\"%s\" stroke=\"%s\" "
		                 "stroke-width=\"1\"" FIXED_STROKE "/>\n",
		                 d.data ? d.data : "", COLOR_AXIS);
		okra__buf_free(&d);
	}
	if (c->has_asof && c->asof >= x0 && c->asof <= x1) {
		okra__buf_puts(b, "<path class=\"k-ax\" d=\"M");
		coord(b, px(&f, c->asof));
		okra__buf_putc(b, ',');
		coord(b, f.top);
		okra__buf_puts(b, " V");
		coord(b, f.bottom);
		okra__buf_printf(
		    b,
		    "\" stroke=\"%s\" stroke-width=\"1\"" FIXED_STROKE "/>\n",
		    COLOR_AXIS);
	}
	if (c->has_target)
		hrule(b, &f, py(&f, c->target), "k-t", COLOR_TARGET, "1.5",
		      DASH_TARGET);
	if (c->has_trajectory) {
		int32_t td[2] = {c->traj_d0, c->traj_d1};
		double tv[2] = {c->traj_v0, c->traj_v1};
		line(b, &f, td, tv, 2, "k-p", COLOR_PLAN, 1.5, DASH_PLAN);
	}
	if (has_band && c->band_mid)
		line(b, &f, c->band_days, c->band_mid, c->n_band, "k-a",
		     COLOR_ACTUAL, 1.5, DASH_FORECAST);
	if (has_band2 && c->band2_mid)
		line(b, &f, c->band2_days, c->band2_mid, c->n_band2, "k-s",
		     COLOR_SHIP, 2, DASH_SHIP);
	size_t most = c->n;
	for (size_t s = 0; s < n_extra; s++)
		most = c->extra[s].n > most ? c->extra[s].n : most;
	bool *want = most ? calloc(most, sizeof(*want)) : NULL;
	char cls[8];
	for (size_t s = 0; s < n_extra; s++) {
		const okra_chart_series *e = &c->extra[s];
		snprintf(cls, sizeof(cls), "k-x%zu", s);
		line(b, &f, e->days, e->values, e->n, cls, extra_colors[s], 1.5,
		     extra_dashes[s]);
		for (size_t i = 0; want && i < e->n; i++)
			want[i] = isfinite(e->values[i]) &&
			          isolated(e->values, e->n, i);
		if (want)
			dots(b, &f, e->days, e->values, e->n, want, cls,
			     extra_colors[s], 5);
	}
	line(b, &f, c->days, c->values, c->n, "k-a", COLOR_ACTUAL, 2.5, NULL);
	/* Dots on every point of a short series (weekly values of a
	 * quarter); on long ones only where a point stands alone. */
	size_t last = c->n, n_shown = 0;
	for (size_t i = 0; i < c->n; i++)
		if (isfinite(c->values[i]) && in_x(x0, x1, c->days[i])) {
			last = i;
			n_shown++;
		}
	for (size_t i = 0; want && i < c->n; i++)
		want[i] =
		    isfinite(c->values[i]) && (n_shown <= 26 || i == last ||
		                               isolated(c->values, c->n, i));
	if (want)
		dots(b, &f, c->days, c->values, c->n, want, "k-a", COLOR_ACTUAL,
		     6);
	free(want);
	/* Tooltips, over everything drawn: the extra lines, then the
	 * actual one on top. */
	okra_buf name = {0};
	for (size_t s = 0; s < n_extra; s++) {
		name.len = 0;
		okra__buf_html(&name, c->extra[s].name ? c->extra[s].name : "");
		tips(b, &f, c->extra[s].days, c->extra[s].values, c->extra[s].n,
		     name.data ? name.data : "", c->unit);
	}
	name.len = 0;
	okra__buf_html(&name, c->actual_label ? c->actual_label : "Actual");
	tips(b, &f, c->days, c->values, c->n, name.data ? name.data : "",
	     c->unit);
	okra__buf_free(&name);
	/* Anomalies on top, each a dot of its own with its tooltip. */
	size_t n_marks = 0;
	for (size_t i = 0; i < c->n_marks; i++) {
		if (!isfinite(c->mark_values[i]) ||
		    !in_x(x0, x1, c->mark_days[i]))
			continue;
		n_marks++;
		okra__buf_puts(b, "<path class=\"k-m\" d=\"M");
		point(b, &f, c->mark_days[i], c->mark_values[i]);
		okra__buf_puts(
		    b, " h0\" stroke=\"" COLOR_MARK "\" stroke-width=\"10\" "
		       "stroke-linecap=\"round\"" FIXED_STROKE "><title>");
		okra__buf_html(b, c->mark_titles ? c->mark_titles[i] : "");
		okra__buf_puts(b, "</title></path>\n");
	}
	okra__buf_puts(b, "</svg>\n");

	/* Date labels, at their share of the width; the stylesheet hides
	 * the odd ones on a narrow screen. */
	int last_year = INT32_MIN;
	for (size_t i = 0; i < n_days; i++) {
		okra_buf t = {0};
		int yy, mm, dd;
		okra__civil_from_days(days[i], &yy, &mm, &dd);
		if (with_day)
			day_label(&t, days[i]);
		else if (yy != last_year)
			okra__buf_printf(&t, "%s %d", month_abbr[mm - 1], yy);
		else
			okra__buf_puts(&t, month_abbr[mm - 1]);
		last_year = yy;
		double share = (days[i] - x0) / (double)(x1 - x0);
		double half = text_width(t.data ? t.data : "") / 2;
		const char *anchor = share * MIN_PLOT_PX < half ? "start"
		                     : (1 - share) * MIN_PLOT_PX < half
		                         ? "end"
		                         : "middle";
		okra__buf_puts(b, "<text x=\"");
		pct(b, &f, days[i]);
		okra__buf_puts(b, "\" y=\"");
		coord(b, f.bottom + 17);
		okra__buf_printf(b,
		                 "\" text-anchor=\"%s\" class=\"k-l%s\" "
		                 "fill=\"%s\">%s</text>\n",
		                 anchor, n_days > 4 && i % 2 ? " tick-odd" : "",
		                 COLOR_LABEL, t.data ? t.data : "");
		okra__buf_free(&t);
	}

	/* Labels over the plot: the last actual value and the as-of day,
	 * placed for the narrowest plot. */
	if (last < c->n) {
		okra_buf t = {0};
		okra__svg_format_value(&t, c->unit, c->values[last]);
		double share = (c->days[last] - x0) / (double)(x1 - x0);
		double y = py(&f, c->values[last]);
		bool room_right = (1 - share) * MIN_PLOT_PX >=
		                  8 + text_width(t.data ? t.data : "");
		double ly = y + 4;
		if (!room_right)
			ly = y - 9 < f.top + 10 ? y + 18 : y - 9;
		label(b, &f, c->days[last], room_right ? 8 : -5, ly,
		      room_right ? "start" : "end", "k-af", COLOR_ACTUAL,
		      t.data ? t.data : "");
		okra__buf_free(&t);
	}
	if (c->has_asof && c->asof >= x0 && c->asof <= x1) {
		okra_buf t = {0};
		okra__buf_puts(&t, "as of ");
		day_label(&t, c->asof);
		double share = (c->asof - x0) / (double)(x1 - x0);
		bool room_right =
		    (1 - share) * MIN_PLOT_PX >= text_width(t.data) + 5;
		label(b, &f, c->asof, room_right ? 4 : -4, f.top + 10,
		      room_right ? "start" : "end", "k-l", COLOR_LABEL, t.data);
		okra__buf_free(&t);
	}
	if (!has_actual) {
		okra__buf_puts(b, "<text x=\"50%\" y=\"");
		coord(b, (f.top + f.bottom) / 2 + 5);
		okra__buf_puts(b, "\" text-anchor=\"middle\" font-size=\"14\" "
		                  "class=\"k-l k-h\" fill=\"" COLOR_LABEL
		                  "\" stroke=\"#ffffff\" stroke-width=\"4\" "
		                  "paint-order=\"stroke\">no data</text>\n");
	}
	okra__buf_puts(b, "</svg>\n</div>\n");

	/* The legend: what is drawn. */
	okra_buf t = {0};
	okra__buf_puts(b, "<ul class=\"legend\">");
	okra__buf_html(&t, c->actual_label ? c->actual_label : "Actual");
	legend_item(b, LEGEND_ACTUAL, "k-a", COLOR_ACTUAL, "",
	            t.data ? t.data : "");
	if (c->has_trajectory)
		legend_item(b, LEGEND_PLAN, "k-p", COLOR_PLAN, DASH_PLAN,
		            "Trajectory");
	if (c->has_target) {
		t.len = 0;
		okra__buf_puts(&t, "Target ");
		okra__svg_format_value(&t, c->unit, c->target);
		legend_item(b, LEGEND_TARGET, "k-t", COLOR_TARGET, DASH_TARGET,
		            t.data ? t.data : "");
	}
	if (has_band)
		legend_item(b, LEGEND_BAND, "k-a", COLOR_ACTUAL, DASH_FORECAST,
		            "Forecast, 80% band");
	if (has_band2) {
		t.len = 0;
		okra__buf_puts(&t, "");
		okra__buf_html(&t, c->band2_label ? c->band2_label
		                                  : "Second forecast");
		legend_item(b, LEGEND_BAND, "k-s", COLOR_SHIP, DASH_SHIP,
		            t.data ? t.data : "");
	}
	for (size_t s = 0; s < n_extra; s++) {
		t.len = 0;
		okra__buf_puts(&t, "");
		okra__buf_html(&t, c->extra[s].name ? c->extra[s].name : "");
		snprintf(cls, sizeof(cls), "k-x%zu", s);
		legend_item(b, LEGEND_EXTRA, cls, extra_colors[s],
		            extra_dashes[s], t.data ? t.data : "");
	}
	if (n_marks)
		okra__buf_printf(
		    b,
		    "<li><svg width=\"22\" height=\"10\" "
		    "viewBox=\"0 0 22 10\" aria-hidden=\"true\">"
		    "<path class=\"k-m\" d=\"M11,5 h0\" "
		    "stroke=\"" COLOR_MARK "\" stroke-width=\"9\" "
		    "stroke-linecap=\"round\"/></svg>Anomal%s (the "
		    "day's value; hover for why)</li>",
		    n_marks == 1 ? "y" : "ies");
	okra__buf_puts(b, "</ul>\n</figure>\n");
	okra__buf_free(&t);
}

/* ======================================================================
 * Sparkline
 * ====================================================================== */

void okra__svg_sparkline(okra_buf *b, const double *v, size_t n, int width,
                         int height)
{
	if (width < 8)
		width = 8;
	if (height < 6)
		height = 6;
	okra__buf_printf(
	    b,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "class=\"okra-spark\" viewBox=\"0 0 %d %d\" width=\"%d\" "
	    "height=\"%d\" aria-hidden=\"true\" focusable=\"false\">",
	    width, height, width, height);
	double lo = INFINITY, hi = -INFINITY;
	size_t last = n;
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i])) {
			lo = fmin(lo, v[i]);
			hi = fmax(hi, v[i]);
			last = i;
		}
	if (last == n) {
		/* no data: a faint dashed baseline keeps the cell's shape */
		okra__buf_printf(
		    b,
		    "<path class=\"k-ax\" d=\"M2,%d H%d\" stroke=\"%s\" "
		    "stroke-width=\"1\" stroke-dasharray=\"2 3\"/></svg>",
		    height / 2, width - 2, COLOR_AXIS);
		return;
	}
	/* The x axis spans n slots; a flat series sits in the middle. */
	frame f = {.left = 3,
	           .right = width - 4.0,
	           .top = 3,
	           .bottom = height - 3.0,
	           .x0 = 0,
	           .x1 = n > 1 ? (int32_t)(n - 1) : 1};
	if (hi - lo <= fabs(hi) * 1e-9) {
		f.y0 = lo - 1;
		f.y1 = hi + 1;
	} else {
		f.y0 = lo;
		f.y1 = hi;
	}
	okra_buf d = {0};
	bool open = false;
	for (size_t i = 0; i < n; i++) {
		if (!isfinite(v[i])) {
			open = false;
			continue;
		}
		okra__buf_puts(&d, open ? " L" : (d.len ? " M" : "M"));
		open = true;
		point(&d, &f, (double)i, v[i]);
	}
	okra__buf_printf(b,
	                 "<path class=\"k-a\" d=\"%s\" fill=\"none\" "
	                 "stroke=\"%s\" "
	                 "stroke-width=\"1.5\" stroke-linejoin=\"round\" "
	                 "stroke-linecap=\"round\"/>",
	                 d.data ? d.data : "", COLOR_ACTUAL);
	okra__buf_free(&d);
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]) && (i == last || isolated(v, n, i))) {
			okra__buf_puts(b, "<circle cx=\"");
			coord(b, px(&f, (double)i));
			okra__buf_puts(b, "\" cy=\"");
			coord(b, py(&f, v[i]));
			okra__buf_puts(
			    b, "\" r=\"2\" class=\"k-af\" fill=\"" COLOR_ACTUAL
			       "\"/>");
		}
	okra__buf_puts(b, "</svg>");
}
