/*
 * parse.c - value parsing for the data readers: timestamps, decimal
 * numbers (UTF-8 validation is base/utf8.c).
 *
 * Pure functions over (pointer, length): they never read past len, never
 * allocate on the common path and do not depend on the locale.  Exact
 * first: timestamps truncate (never round) past microseconds, numbers are
 * correctly rounded (Clinger's fast path, else the C library's strtod).
 */
#include "engine/reader.h"

#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================
 * Timestamps
 * ====================================================================== */

#define MICROS_PER_SEC INT64_C(1000000)
#define MICROS_PER_DAY (INT64_C(86400) * MICROS_PER_SEC)

static bool is_digit(char c)
{
	return (unsigned)(c - '0') <= 9;
}

/* Exactly two digits. */
static bool two_digits(const char *s, int *out)
{
	if (!is_digit(s[0]) || !is_digit(s[1]))
		return false;
	*out = (s[0] - '0') * 10 + (s[1] - '0');
	return true;
}

static int month_days(int y, int m)
{
	static const int len[] = {31, 28, 31, 30, 31, 30,
	                          31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : len[m - 1];
}

/* An integer Unix time, -?[0-9]+, read by its size: below 10^11 it is
 * seconds (up to the year 5138), below 10^14 milliseconds (from March
 * 1973 on), else microseconds (from 1973 on as well).  The ranges never
 * meet in a plausible date, so exports in any of the three load as
 * they are. */
static bool parse_unix_time(const char *s, size_t len, int64_t *micros)
{
	size_t i = 0;
	bool neg = len > 0 && s[0] == '-';
	i += neg;
	if (i == len)
		return false;
	int64_t v = 0;
	for (; i < len; i++) {
		if (!is_digit(s[i]) || v > (INT64_MAX - (s[i] - '0')) / 10)
			return false;
		v = v * 10 + (s[i] - '0');
	}
	int64_t scale = v < INT64_C(100000000000)      ? MICROS_PER_SEC
	                : v < INT64_C(100000000000000) ? 1000
	                                               : 1;
	*micros = (neg ? -v : v) * scale;
	return true;
}

bool okra__parse_timestamp(const char *s, size_t len, int64_t *micros)
{
	if (len < 10 || s[4] != '-')
		return parse_unix_time(s, len, micros);

	int y = 0, mo, d;
	for (int k = 0; k < 4; k++) {
		if (!is_digit(s[k]))
			return false;
		y = y * 10 + (s[k] - '0');
	}
	if (!two_digits(s + 5, &mo) || s[7] != '-' || !two_digits(s + 8, &d))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo))
		return false;
	int64_t t = (int64_t)okra__days_from_civil(y, mo, d) * MICROS_PER_DAY;
	if (len == 10) {
		*micros = t;
		return true;
	}

	/* Time of day: [T t space] HH:MM[:SS[.fraction]] */
	int hh, mi, ss = 0;
	if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || len < 16 ||
	    !two_digits(s + 11, &hh) || s[13] != ':' ||
	    !two_digits(s + 14, &mi))
		return false;
	if (hh > 23 || mi > 59)
		return false;
	size_t i = 16;
	int64_t frac = 0;
	if (i < len && s[i] == ':') {
		if (len < 19 || !two_digits(s + 17, &ss) || ss > 59)
			return false;
		i = 19;
		if (i < len && s[i] == '.') {
			i++;
			size_t first = i;
			int64_t scale = 100000;
			for (; i < len && is_digit(s[i]); i++) {
				frac += (s[i] - '0') * scale; /* truncates: */
				scale /= 10; /* 7th+ digit adds 0 */
			}
			if (i == first)
				return false;
		}
	}
	t += ((int64_t)hh * 3600 + mi * 60 + ss) * MICROS_PER_SEC + frac;

	/* Offset: none (UTC), Z, +HH, +HHMM, +HH:MM (or -). */
	if (i == len) {
		*micros = t;
		return true;
	}
	if (s[i] == 'Z' || s[i] == 'z') {
		if (i + 1 != len)
			return false;
		*micros = t;
		return true;
	}
	if (s[i] != '+' && s[i] != '-')
		return false;
	int sign = s[i] == '-' ? -1 : 1, oh, om = 0;
	i++;
	if (len - i < 2 || !two_digits(s + i, &oh))
		return false;
	i += 2;
	if (i < len) {
		if (s[i] == ':')
			i++;
		if (len - i != 2 || !two_digits(s + i, &om))
			return false;
		i += 2;
	}
	if (oh > 23 || om > 59)
		return false;
	/* Local time = UTC + offset, so UTC = local - offset. */
	*micros = t - sign * ((int64_t)oh * 3600 + om * 60) * MICROS_PER_SEC;
	return true;
}

/* ======================================================================
 * Numbers
 * ====================================================================== */

/* Powers of ten that are exact doubles (10^22 < 2^53 * 2^22). */
static const double exact_pow10[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

bool okra__parse_double(const char *s, size_t len, double *out)
{
	/* Grammar: [+-]? (D+ (. D*)? | . D+) ([eE] [+-]? D+)? */
	size_t i = 0;
	bool neg = false;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	uint64_t mant = 0;
	int sig = 0;       /* significant digits in mant */
	int exp10 = 0;     /* decimal exponent of mant */
	bool exact = true; /* mant holds every significant digit */
	size_t n_int = 0, n_frac = 0;
	for (; i < len && is_digit(s[i]); i++, n_int++) {
		if (mant == 0 && s[i] == '0')
			continue;
		if (sig < 19) {
			mant = mant * 10 + (uint64_t)(s[i] - '0');
			sig++;
		} else {
			exp10++;
			exact &= s[i] == '0';
		}
	}
	if (i < len && s[i] == '.') {
		for (i++; i < len && is_digit(s[i]); i++, n_frac++) {
			if (mant == 0 && s[i] == '0') {
				exp10--;
				continue;
			}
			if (sig < 19) {
				mant = mant * 10 + (uint64_t)(s[i] - '0');
				sig++;
				exp10--;
			} else {
				exact &= s[i] == '0';
			}
		}
	}
	if (n_int + n_frac == 0)
		return false;
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		bool eneg = false;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		size_t first = i;
		int e = 0;
		for (; i < len && is_digit(s[i]); i++)
			if (e < 100000)
				e = e * 10 + (s[i] - '0');
		if (i == first)
			return false;
		exp10 += eneg ? -e : e;
	}
	if (i != len)
		return false;

#if FLT_EVAL_METHOD == 0
	/* Clinger's fast path: an exact integer below 2^53 times or divided
	 * by an exact power of ten is one correctly rounded operation. */
	if (exact && mant < (UINT64_C(1) << 53) && exp10 >= -22 &&
	    exp10 <= 22) {
		double v = (double)mant;
		v = exp10 < 0 ? v / exact_pow10[-exp10]
		              : v * exact_pow10[exp10];
		*out = neg ? -v : v;
		return true;
	}
#endif

	/* Slow path: strtod on a NUL-terminated copy, with '.' replaced by
	 * the locale's decimal point (strtod honours LC_NUMERIC). */
	char stack[128], *copy = stack;
	if (len >= sizeof(stack)) {
		copy = malloc(len + 1);
		if (!copy)
			return false;
	}
	const char *dp = localeconv()->decimal_point;
	char point = dp && dp[0] && !dp[1] ? dp[0] : '.';
	for (size_t k = 0; k < len; k++)
		copy[k] = s[k] == '.' ? point : s[k];
	copy[len] = '\0';
	errno = 0;
	char *end;
	double v = strtod(copy, &end);
	bool ok = end == copy + len && !(errno == ERANGE && isinf(v));
	if (copy != stack)
		free(copy);
	if (ok)
		*out = v;
	return ok;
}

bool okra__is_canonical_number(const char *s, size_t len)
{
	size_t i = 0, digits = 0;
	if (i < len && s[i] == '-')
		i++;
	if (i >= len)
		return false;
	if (s[i] == '0') {
		i++;
		if (i < len && s[i] >= '0' && s[i] <= '9')
			return false;
	} else {
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
		if (!digits)
			return false;
	}
	if (i < len && s[i] == '.') {
		size_t start = ++i;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
		if (i == start || s[i - 1] == '0')
			return false;
	}
	return i == len && digits <= 15 &&
	       !(len == 2 && s[0] == '-' && s[1] == '0');
}
