/*
 * date.c - UTC calendar days and fiscal quarters.
 *
 * A day is an int32 count of days since 1970-01-01 (proleptic Gregorian),
 * converted with Howard Hinnant's civil-from-days algorithm.  Quarters are
 * fiscal: fiscal year Y ends in calendar year Y (see okra_int.h).
 */
#include "okra_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int32_t okra__days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void okra__civil_from_days(int32_t days, int *y, int *m, int *d)
{
	int z = days + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m)
{
	static const int len[] = {31, 28, 31, 30, 31, 30,
	                          31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : len[m - 1];
}

/* Reads exactly n digits. */
static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool okra__parse_date(const char *s, int32_t *day)
{
	int y, m, d;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    !digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
		return false;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return false;
	*day = okra__days_from_civil(y, m, d);
	return true;
}

void okra__format_date(int32_t day, char out[11])
{
	int y, m, d;
	okra__civil_from_days(day, &y, &m, &d);
	int v[3] = {y, m, d}, w[3] = {4, 2, 2};
	char *o = out;
	for (int i = 0; i < 3; i++) {
		int x = v[i] < 0 ? 0 : v[i];
		for (int k = w[i] - 1; k >= 0; k--, x /= 10)
			o[k] = (char)('0' + x % 10);
		o += w[i];
		if (i < 2)
			*o++ = '-';
	}
	*o = '\0';
}

int okra__weekday(int32_t day)
{
	/* 1970-01-01 was a Thursday (3 with Monday = 0). */
	int w = (day + 3) % 7;
	return w < 0 ? w + 7 : w;
}

/* First day of fiscal quarter q of fiscal year fy. */
static int32_t quarter_first(int fy, int q, int start)
{
	int y = start == 1 ? fy : fy - 1;
	int m = start + 3 * (q - 1);
	while (m > 12) {
		m -= 12;
		y++;
	}
	return okra__days_from_civil(y, m, 1);
}

static okra_quarter make_quarter(int fy, int q, int start)
{
	okra_quarter out = {.year = fy, .q = q};
	out.first = quarter_first(fy, q, start);
	out.last = (q == 4 ? quarter_first(fy + 1, 1, start)
	                   : quarter_first(fy, q + 1, start)) -
	           1;
	return out;
}

bool okra__parse_quarter(const char *s, int fiscal_start_month,
                         okra_quarter *out)
{
	int y;
	if (strlen(s) != 7 || !digits(s, 4, &y) || s[4] != '-' ||
	    (s[5] != 'Q' && s[5] != 'q') || s[6] < '1' || s[6] > '4' ||
	    y < 1971)
		return false;
	*out = make_quarter(y, s[6] - '0', fiscal_start_month);
	return true;
}

okra_quarter okra__quarter_of(int32_t day, int fiscal_start_month)
{
	int y, m, d;
	okra__civil_from_days(day, &y, &m, &d);
	int offset = (m - fiscal_start_month + 12) % 12; /* months into FY */
	int fy =
	    fiscal_start_month == 1 ? y : (m >= fiscal_start_month ? y + 1 : y);
	return make_quarter(fy, offset / 3 + 1, fiscal_start_month);
}
