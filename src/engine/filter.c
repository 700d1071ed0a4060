/*
 * filter.c - binds event filters (event names, where) to the dataset.
 *
 * Names become a lookup table over event-name codes; where clauses on
 * event properties become a row bitmask built from the sparse property
 * columns; clauses on account attributes a per-account table.  A key
 * that names both a property and an attribute means the property (SPEC
 * 3.1); a key that names neither matches nothing (absent values never
 * match).  A YAML string compares with the raw text, a number numerically.
 */
#include "engine/eval.h"
#include "engine/reader.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

uint32_t okra__row_account(const okra_data *d, uint32_t row)
{
	/* The last a with acct_off[a] <= row, if row is before the none block.
	 */
	uint32_t n = d->accounts.n;
	if (row >= d->acct_off[n])
		return OKRA_NONE;
	uint32_t lo = 0, hi = n;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (d->acct_off[mid] <= row)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static int find_prop(const okra_data *d, const char *name)
{
	for (uint32_t i = 0; i < d->n_props; i++)
		if (strcmp(d->props[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int find_attr(const okra_entity_table *t, const char *name)
{
	for (uint32_t i = 0; i < t->n_attrs; i++)
		if (strcmp(t->attrs[i].name, name) == 0)
			return (int)i;
	return -1;
}

static inline void set_bit(uint64_t *mask, uint32_t row)
{
	mask[row >> 6] |= 1ULL << (row & 63);
}

/* Rows of property p whose value equals one of w's values, in one pass
 * over the property.  A text value that is not a canonical number can
 * only equal a raw text (a dictionary code), so when every value is such
 * a text only the codes are read, never the numbers: the property's
 * number column stays unread (and unmapped). */
static bool prop_clause(okra_data *d, const okra_prop *p, const okra_where *w,
                        uint64_t *mask)
{
	uint8_t *want = NULL; /* per dictionary code: a text value */
	double *nums = malloc((w->n_values + 1) * sizeof(*nums));
	size_t n_nums = 0;
	bool any_text = false;
	if (!nums)
		return false;
	for (size_t k = 0; k < w->n_values; k++) {
		const okra_value *v = &w->values[k];
		if (v->is_number) {
			nums[n_nums++] = v->number;
			continue;
		}
		size_t len = strlen(v->text);
		/* canonical text sits in num instead of the dictionary */
		if (okra__is_canonical_number(v->text, len))
			nums[n_nums++] = strtod(v->text, NULL);
		uint32_t code = p->str
		                    ? okra__dict_find((okra_dict *)&p->dict,
		                                      &d->arena, v->text, len)
		                    : OKRA_NONE;
		if (code == OKRA_NONE)
			continue;
		if (!want) {
			want = calloc((size_t)p->dict.n + 1, 1);
			if (!want) {
				free(nums);
				return false;
			}
		}
		want[code] = 1;
		any_text = true;
	}
	if (n_nums == 0) {
		for (uint64_t i = 0; any_text && i < p->n; i++) {
			uint32_t s = p->str[i];
			if (s != OKRA_NONE && want[s])
				set_bit(mask, p->row[i]);
		}
	} else {
		/* A number value equals a row's number, whether its text was
		 * canonical or not (a YAML number compares numerically); a
		 * canonical text value only a row without raw text. */
		for (uint64_t i = 0; i < p->n; i++) {
			uint32_t s = p->str ? p->str[i] : OKRA_NONE;
			bool hit = s != OKRA_NONE && any_text && want[s];
			for (size_t k = 0; k < w->n_values && !hit; k++) {
				const okra_value *v = &w->values[k];
				if (v->is_number)
					hit = p->num[i] == v->number;
			}
			if (!hit && s == OKRA_NONE)
				for (size_t k = 0; k < n_nums && !hit; k++)
					hit = p->num[i] == nums[k];
			if (hit)
				set_bit(mask, p->row[i]);
		}
	}
	free(want);
	free(nums);
	return true;
}

okra_rc okra__filter_bind(okra_data *d, okra_arena *a, const okra_filter *f,
                          okra_bfilter *out, okra_err *err)
{
	uint64_t *rowmask = NULL, *clause = NULL;
	memset(out, 0, sizeof(*out));
	if (!f->is_set)
		return OKRA_OK;
	if (f->n_events) {
		uint8_t *names = okra__arena_alloc(a, d->names.n + 1);
		if (!names)
			goto nomem;
		bool any = false;
		for (size_t i = 0; i < f->n_events; i++) {
			uint32_t c =
			    okra__dict_find(&d->names, &d->arena, f->events[i],
			                    strlen(f->events[i]));
			if (c != OKRA_NONE) {
				names[c] = 1;
				any = true;
			}
		}
		out->names = names;
		if (!any)
			out->never = true;
	}
	size_t words = (size_t)(d->n_events / 64 + 1);
	for (size_t i = 0; i < f->n_where && !out->never; i++) {
		const okra_where *w = &f->where[i];
		int p = find_prop(d, w->key);
		if (p >= 0) {
			if (!rowmask) {
				rowmask = okra__arena_alloc(
				    a, words * sizeof(uint64_t));
				if (!rowmask)
					goto nomem;
				if (!prop_clause(d, &d->props[p], w, rowmask))
					goto nomem;
			} else {
				if (!clause)
					clause =
					    malloc(words * sizeof(uint64_t));
				if (!clause)
					goto nomem;
				memset(clause, 0, words * sizeof(uint64_t));
				if (!prop_clause(d, &d->props[p], w, clause))
					goto nomem;
				for (size_t k = 0; k < words; k++)
					rowmask[k] &= clause[k];
			}
			continue;
		}
		int at = find_attr(&d->accounts, w->key);
		if (at < 0) {
			out->never =
			    true; /* absent everywhere: nothing matches */
			break;
		}
		okra_attr *attr = &d->accounts.attrs[at];
		uint8_t *ok = (uint8_t *)out->acct_ok;
		if (!ok) {
			ok = okra__arena_alloc(a, d->accounts.n + 1);
			if (!ok)
				goto nomem;
			memset(ok, 1, d->accounts.n + 1);
			out->acct_ok = ok;
		}
		for (uint32_t acc = 0; acc < d->accounts.n; acc++) {
			bool hit = false;
			for (size_t k = 0; k < w->n_values && !hit; k++) {
				const okra_value *v = &w->values[k];
				if (v->is_number)
					hit = attr->num[acc] == v->number;
				else if (attr->code[acc] != OKRA_NONE)
					hit = strcmp(okra__dict_str(
					                 &attr->dict,
					                 attr->code[acc]),
					             v->text) == 0;
			}
			ok[acc] &= hit;
		}
	}
	free(clause);
	out->rowmask = rowmask;
	return OKRA_OK;
nomem:
	free(clause);
	return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
}
