/*
 * format.c - numbers as people and JSON read them, shared by every
 * renderer (metrics tables, the review, the dashboard) and by the
 * sentences review/ and okr/ compose.  Below them all, so no module needs
 * render/ to say a number.
 */
#include "model/format.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Digits of an integer with thousands separators. */
void okra__thousands(okra_buf *b, double v)
{
	char digits[64];
	snprintf(digits, sizeof(digits), "%.0f", fabs(v));
	size_t n = strlen(digits);
	if (v < 0 && strcmp(digits, "0") != 0)
		okra__buf_putc(b, '-');
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			okra__buf_putc(b, ',');
		okra__buf_putc(b, digits[i]);
	}
}

/* Money as a person reads it: the symbol before the number and the sign
 * before the symbol; compact ($802k, $1.84M: three significant digits,
 * whole amounts under 1,000 without cents) unless the workspace asks
 * for every cent ($1,841,916.00). */
static void money(okra_buf *b, const okra_money *mo, double v)
{
	static const char *const suffixes[] = {"k", "M", "B", "T"};
	const char *symbol = mo && mo->symbol ? mo->symbol : "$";
	double a = fabs(v);
	if ((mo && mo->full) || a < 999.995) {
		double cents = round(a * 100);
		double whole = floor(cents / 100);
		int rest = (int)(cents - whole * 100);
		okra__buf_printf(b, "%s%s", v < 0 && cents > 0 ? "-" : "",
		                 symbol);
		okra__thousands(b, whole);
		if ((mo && mo->full) || rest)
			okra__buf_printf(b, ".%02d", rest);
		return;
	}
	double scaled = a / 1e3;
	size_t k = 0;
	while (scaled >= 999.5 && k + 1 < OKRA_ARRAY_LEN(suffixes)) {
		scaled /= 1e3;
		k++;
	}
	char digits[64];
	snprintf(digits, sizeof(digits), "%.*f",
	         scaled >= 99.95   ? 0
	         : scaled >= 9.995 ? 1
	                           : 2,
	         scaled);
	if (strchr(digits, '.')) { /* 1.50 -> 1.5, 2.00 -> 2 */
		size_t n = strlen(digits);
		while (digits[n - 1] == '0')
			digits[--n] = '\0';
		if (digits[n - 1] == '.')
			digits[--n] = '\0';
	}
	okra__buf_printf(b, "%s%s%s%s", v < 0 ? "-" : "", symbol, digits,
	                 suffixes[k]);
}

/* A value as a person reads it, by unit. */
void okra__human(okra_buf *b, const okra_metric *m, bool is_count, double v)
{
	if (isnan(v)) {
		okra__buf_puts(b, "-");
		return;
	}
	if (isinf(v)) { /* a sum past the largest double: say so */
		okra__buf_puts(b, "n/a (overflow)");
		return;
	}
	if (is_count) {
		okra__thousands(b, v);
		return;
	}
	switch (m->unit) {
	case OKRA_UNIT_PERCENT:
		okra__buf_printf(b, "%.1f%%", v * 100);
		break;
	case OKRA_UNIT_COUNT:
		if (v == floor(v) && fabs(v) < 1e15)
			okra__thousands(b, v);
		else
			okra__buf_printf(b, "%.2f", v);
		break;
	case OKRA_UNIT_CURRENCY:
		money(b, m->money, v);
		break;
	case OKRA_UNIT_HOURS:
		okra__buf_printf(b, "%.1f h", v);
		break;
	case OKRA_UNIT_RATIO:
		okra__buf_printf(b, "%.3f", v);
		break;
	case OKRA_UNIT_SCORE:
		okra__buf_printf(b, "%.1f", v);
		break;
	default:
		okra__buf_printf(b, "%.4g", v);
	}
}

/* The shortest of %.15g, %.16g and %.17g that reads back as v: 0.1, not
 * 0.10000000000000001.  17 significant digits always round-trip. */
void okra__shortest(char out[32], double v)
{
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(out, 32, "%.*g", digits, v);
		if (digits == 17 || strtod(out, NULL) == v)
			return;
	}
}

/* JSON: counts as integers, the rest the shortest text that reads back
 * as the same double, null for NaN. */
void okra__json_number(okra_buf *b, bool is_count, double v)
{
	char text[32];
	if (isnan(v) || isinf(v)) {
		okra__buf_puts(b, "null");
	} else if (is_count && v == floor(v) && fabs(v) < 9e15) {
		okra__buf_printf(b, "%.0f", v);
	} else {
		okra__shortest(text, v);
		okra__buf_puts(b, text);
	}
}

const char *okra__fmt(okra_arena *a, const okra_metric *m, bool is_count,
                      double v)
{
	okra_buf b = {0};
	/* A count's expected value or forecast can be fractional. */
	okra__human(&b, m, is_count && v == floor(v), v);
	return okra__arena_take(a, &b);
}

const char *okra__fmt_delta(okra_arena *a, const okra_metric *m, bool is_count,
                            double d)
{
	if (isnan(d))
		return "-";
	if (m->unit == OKRA_UNIT_PERCENT)
		return okra__arena_printf(a, "%+.1f pts", d * 100);
	const char *mag = okra__fmt(a, m, is_count && d == floor(d), fabs(d));
	return okra__arena_printf(a, "%s%s", d < 0 ? "-" : "+", mag);
}
