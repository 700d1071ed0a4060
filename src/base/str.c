/*
 * str.c - small string helpers: ids and "did you mean" suggestions.
 */
#include "okra_int.h"

#include <string.h>

/* Edit distance with adjacent transpositions counting one edit ("teir"
 * is one edit from "tier"), the optimal string alignment variant of
 * Damerau-Levenshtein; capped at cap+1 (cheap early exit). */
int okra__edit_distance(const char *a, const char *b, int cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return strcmp(a, b) == 0 ? 0 : cap + 1;
	if ((int)(la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	int rows[3][65], *prev2 = rows[0], *prev = rows[1], *row = rows[2];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		int best = row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int v = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			if (prev[j] + 1 < v)
				v = prev[j] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			row[j] = v;
			if (v < best)
				best = v;
		}
		if (best > cap)
			return cap + 1;
		int *t = prev2;
		prev2 = prev;
		prev = row;
		row = t;
	}
	return prev[lb];
}

/* The nearest of n strings found every stride bytes from base. */
static const char *nearest(const char *s, const void *base, size_t n,
                           size_t stride)
{
	/* Allow about a third of the word to be wrong, at least one edit. */
	int cap = (int)strlen(s) / 3;
	if (cap < 1)
		cap = 1;
	if (cap > 4)
		cap = 4;
	const char *best = NULL;
	int best_d = cap + 1;
	for (size_t i = 0; i < n; i++) {
		const char *c =
		    *(const char *const *)((const char *)base + i * stride);
		if (!c)
			continue;
		int d = okra__edit_distance(s, c, cap);
		if (d < best_d) {
			best_d = d;
			best = c;
		}
	}
	return best;
}

const char *okra__nearest(const char *s, const char *const *candidates,
                          size_t n)
{
	return nearest(s, candidates, n, sizeof(*candidates));
}

const char *okra_suggest(const char *word, const char *const *candidates,
                         size_t n)
{
	return nearest(word, candidates, n, sizeof(*candidates));
}

const char *okra__nearest_id(const char *s, const void *items, size_t n,
                             size_t stride)
{
	return nearest(s, items, n, stride);
}

bool okra__is_id(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}
