/*
 * profile.c - the embedded engine's profile of its data (okra data): the
 * files, the tables' rows and days, the event names, the properties and
 * attributes, the events without an account or user, and the ids the
 * events reference that their table lacks (plan/profile.h).
 *
 * Reads the dataset once per column it profiles; writes nothing and
 * prints nothing.  Everything it returns lives in the profile's arena.
 */
#include "engine/data.h"
#include "engine/profile.h"

#include <glob.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static okra_rc nomem(okra_err *err)
{
	return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* ---------------------------------------------------------------------
 * Files
 * --------------------------------------------------------------------- */

/* The files each table of okra.yaml names now (the cache matches them:
 * the engine re-ingested them when they changed), in reading order. */
static okra_rc files(const okra_workspace *ws, okra_profile *p, okra_err *err)
{
	const okra_workspace_settings *s = &ws->settings;
	const okra_table_source *tables[] = {&s->events, &s->accounts,
	                                     &s->users, &s->revenue};
	static const char *const names[] = {"events", "accounts", "users",
	                                    "revenue"};
	const char *root = okra_workspace_root(ws);
	size_t root_len = strlen(root) + 1, cap = 0;
	for (int t = 0; t < 4; t++) {
		if (!tables[t]->is_set)
			continue;
		char pattern[4096];
		snprintf(pattern, sizeof(pattern), "%s/%s", root,
		         tables[t]->path);
		glob_t g;
		memset(&g, 0, sizeof(g));
		if (glob(pattern, 0, NULL, &g) != 0) {
			globfree(&g);
			continue;
		}
		if (p->n_files + g.gl_pathc > cap) {
			size_t ncap = (p->n_files + g.gl_pathc) * 2;
			okra_profile_file *f =
			    okra__arena_alloc(&p->arena, ncap * sizeof(*f));
			if (f && p->n_files)
				memcpy(f, p->files, p->n_files * sizeof(*f));
			p->files = f;
			cap = ncap;
		}
		for (size_t i = 0; p->files && i < g.gl_pathc; i++) {
			struct stat st;
			okra_profile_file *f = &p->files[p->n_files++];
			f->table = names[t];
			f->path = okra__arena_strdup(&p->arena,
			                             g.gl_pathv[i] + root_len);
			f->bytes = stat(g.gl_pathv[i], &st) == 0
			               ? (uint64_t)st.st_size
			               : 0;
		}
		globfree(&g);
		if (!p->files)
			return nomem(err);
	}
	return OKRA_OK;
}

/* ---------------------------------------------------------------------
 * Values: an attribute or a property
 * --------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/*
 * The kind, distinct values, range and commonest value of n values: the
 * i-th has text code codes[i] into dict (OKRA_NONE: a number only, its
 * text recovered from nums[i]) and number nums[i] (NaN: not a number).
 * tally: dict->n counters (zeroed), nums_buf room for n doubles.
 */
static bool key_values(okra_profile *p, okra_profile_key *k,
                       const okra_dict *dict, const uint32_t *codes,
                       const double *nums, uint64_t n, uint64_t *tally,
                       double *nums_buf)
{
	uint64_t n_num = 0, n_text = 0, n_sorted = 0;
	k->min = INFINITY;
	k->max = -INFINITY;
	for (uint64_t i = 0; i < n; i++) {
		uint32_t code = codes ? codes[i] : OKRA_NONE;
		double x = nums ? nums[i] : NAN;
		if (!isnan(x)) {
			n_num++;
			if (x < k->min)
				k->min = x;
			if (x > k->max)
				k->max = x;
		} else {
			n_text++;
		}
		if (code != OKRA_NONE)
			tally[code]++;
		else if (!isnan(x))
			nums_buf[n_sorted++] = x;
	}
	k->kind = n == 0        ? OKRA_VALUES_NONE
	          : n_text == 0 ? OKRA_VALUES_NUMBER
	          : n_num == 0  ? OKRA_VALUES_TEXT
	                        : OKRA_VALUES_MIXED;
	if (n_num == 0)
		k->min = k->max = NAN;
	/* Distinct: the texts, and the numbers kept as numbers only. */
	k->distinct = 0;
	uint32_t top = OKRA_NONE;
	for (uint32_t c = 0; dict && c < dict->n; c++) {
		if (!tally[c])
			continue;
		k->distinct++;
		/* ties go to the text first in byte order, as any backend
		 * can tell (a dictionary's order is the order of reading) */
		if (top == OKRA_NONE || tally[c] > tally[top] ||
		    (tally[c] == tally[top] &&
		     strcmp(okra__dict_str(dict, c),
		            okra__dict_str(dict, top)) < 0))
			top = c;
	}
	qsort(nums_buf, n_sorted, sizeof(*nums_buf), cmp_double);
	double top_num = NAN;
	uint64_t run = 0, top_run = 0;
	for (uint64_t i = 0; i < n_sorted; i++) {
		if (i == 0 || nums_buf[i] != nums_buf[i - 1]) {
			k->distinct++;
			run = 0;
		}
		if (++run > top_run) {
			top_run = run;
			top_num = nums_buf[i];
		}
	}
	k->top = NULL;
	k->top_count = 0;
	if (top != OKRA_NONE && tally[top] >= top_run) {
		k->top =
		    okra__arena_strdup(&p->arena, okra__dict_str(dict, top));
		k->top_count = tally[top];
	} else if (top_run) {
		k->top = okra__arena_printf(&p->arena, "%.15g", top_num);
		k->top_count = top_run;
	}
	return !p->arena.failed;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(((const okra_profile_key *)a)->name,
	              ((const okra_profile_key *)b)->name);
}

/* Room for the counters and numbers of key_values. */
typedef struct scratch {
	uint64_t *tally;
	size_t tally_cap;
	double *nums;
	uint64_t nums_cap;
	uint32_t *codes;
	double *vals;
	uint64_t vals_cap;
} scratch;

static bool scratch_room(scratch *s, size_t n_codes, uint64_t n)
{
	if (n_codes + 1 > s->tally_cap) {
		free(s->tally);
		s->tally_cap = n_codes + 1;
		s->tally = malloc(s->tally_cap * sizeof(*s->tally));
		if (!s->tally)
			return false;
	}
	memset(s->tally, 0, s->tally_cap * sizeof(*s->tally));
	if (n + 1 > s->nums_cap) {
		free(s->nums);
		free(s->codes);
		free(s->vals);
		s->nums_cap = n + 1;
		s->nums = malloc(s->nums_cap * sizeof(*s->nums));
		s->codes = malloc(s->nums_cap * sizeof(*s->codes));
		s->vals = malloc(s->nums_cap * sizeof(*s->vals));
		if (!s->nums || !s->codes || !s->vals)
			return false;
	}
	return true;
}

static void scratch_free(scratch *s)
{
	free(s->tally);
	free(s->nums);
	free(s->codes);
	free(s->vals);
}

/* ---------------------------------------------------------------------
 * Tables
 * --------------------------------------------------------------------- */

/* Keeps the first OKRA_PROFILE_EXAMPLES ids by name (borrowed until
 * entities copies them). */
static void add_example(okra_profile_entities *out, const char *id)
{
	size_t n = out->n_examples;
	if (n == OKRA_PROFILE_EXAMPLES && strcmp(id, out->examples[n - 1]) >= 0)
		return;
	if (n < OKRA_PROFILE_EXAMPLES)
		out->n_examples++;
	else
		n--;
	while (n > 0 && strcmp(id, out->examples[n - 1]) < 0) {
		out->examples[n] = out->examples[n - 1];
		n--;
	}
	out->examples[n] = id;
}

static okra_rc entities(const okra_data *d, const okra_entity_table *t,
                        bool is_users, bool has_table, okra_profile *p,
                        okra_profile_entities *out, scratch *sc, okra_err *err)
{
	out->has_table = has_table;
	out->first = out->last = -1;
	out->examples = okra__arena_alloc(
	    &p->arena, OKRA_PROFILE_EXAMPLES * sizeof(*out->examples));
	if (!out->examples)
		return nomem(err);
	for (uint32_t e = 0; e < t->n; e++) {
		const uint64_t *off = is_users ? d->user_off : d->acct_off;
		bool in_events = off && off[e + 1] > off[e];
		out->in_events += in_events;
		if (t->known[e]) {
			out->rows++;
			if (t->created[e] != INT64_MIN) {
				int32_t day = okra__day_of(t->created[e]);
				if (out->first < 0 || day < out->first)
					out->first = day;
				if (day > out->last)
					out->last = day;
			}
		} else if (in_events && has_table) {
			add_example(out, okra__dict_str(&t->ids, e));
			out->missing++;
		}
	}
	for (size_t i = 0; i < out->n_examples; i++) {
		out->examples[i] =
		    okra__arena_strdup(&p->arena, out->examples[i]);
		if (!out->examples[i])
			return nomem(err);
	}
	out->n_attrs = t->n_attrs;
	out->attrs = okra__arena_alloc(&p->arena,
	                               (t->n_attrs + 1) * sizeof(*out->attrs));
	if (!out->attrs)
		return nomem(err);
	for (uint32_t a = 0; a < t->n_attrs; a++) {
		const okra_attr *at = &t->attrs[a];
		okra_profile_key *k = &out->attrs[a];
		if (!scratch_room(sc, at->dict.n, t->n))
			return nomem(err);
		uint64_t n = 0;
		for (uint32_t e = 0; e < t->n; e++) {
			if (!t->known[e] || at->code[e] == OKRA_NONE)
				continue;
			sc->codes[n] = at->code[e];
			sc->vals[n++] = at->num[e];
		}
		k->name = at->name;
		k->filled = n;
		if (!key_values(p, k, &at->dict, sc->codes, sc->vals, n,
		                sc->tally, sc->nums))
			return nomem(err);
	}
	qsort(out->attrs, out->n_attrs, sizeof(*out->attrs), cmp_key);
	return OKRA_OK;
}

static int cmp_event(const void *a, const void *b)
{
	const okra_profile_event *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

static okra_rc events(const okra_data *d, okra_profile *p, scratch *sc,
                      okra_err *err)
{
	p->n_events = d->n_events;
	p->first = p->last = -1;
	if (d->n_events) {
		p->first = okra__day_of(d->min_ts);
		p->last = okra__day_of(d->max_ts);
	}
	p->no_account = d->acct_off ? d->n_events - d->acct_off[d->accounts.n]
	                            : d->n_events;
	for (uint64_t r = 0; r < d->n_events; r++)
		p->no_user += d->user[r] == OKRA_NONE;

	p->n_names = d->names.n;
	p->names =
	    okra__arena_alloc(&p->arena, (d->names.n + 1) * sizeof(*p->names));
	if (!p->names)
		return nomem(err);
	for (uint32_t i = 0; i < d->names.n; i++)
		p->names[i] =
		    (okra_profile_event){.name = okra__dict_str(&d->names, i),
		                         .first = -1,
		                         .last = -1};
	for (uint64_t r = 0; r < d->n_events; r++) {
		okra_profile_event *e = &p->names[d->name[r]];
		int32_t day = okra__day(d, (uint32_t)r);
		if (e->count++ == 0 || day < e->first)
			e->first = day;
		if (day > e->last)
			e->last = day;
	}
	qsort(p->names, p->n_names, sizeof(*p->names), cmp_event);

	p->n_props = d->n_props;
	p->props =
	    okra__arena_alloc(&p->arena, (d->n_props + 1) * sizeof(*p->props));
	if (!p->props)
		return nomem(err);
	for (uint32_t i = 0; i < d->n_props; i++) {
		const okra_prop *pr = &d->props[i];
		okra_profile_key *k = &p->props[i];
		if (!scratch_room(sc, pr->dict.n, 0))
			return nomem(err);
		double *buf = malloc((pr->n + 1) * sizeof(*buf));
		if (!buf)
			return nomem(err);
		k->name = pr->name;
		k->filled = pr->n;
		bool ok = key_values(p, k, &pr->dict, pr->str, pr->num, pr->n,
		                     sc->tally, buf);
		free(buf);
		if (!ok)
			return nomem(err);
	}
	qsort(p->props, p->n_props, sizeof(*p->props), cmp_key);
	return OKRA_OK;
}

static okra_rc revenue(const okra_data *d, const okra_workspace *ws,
                       okra_profile *p, okra_err *err)
{
	const okra_revenue_table *rv = &d->revenue;
	p->has_revenue = ws->settings.revenue.is_set;
	p->revenue_rows = rv->n;
	p->revenue_first = p->revenue_last = -1;
	uint8_t *seen = calloc(d->accounts.n + 1, 1);
	if (!seen)
		return nomem(err);
	for (uint64_t i = 0; i < rv->n; i++) {
		int32_t m = rv->month[i];
		if (p->revenue_first < 0 || m < p->revenue_first)
			p->revenue_first = m;
		if (rv->open && rv->open[i])
			p->revenue_last = INT32_MAX;
		else if (m > p->revenue_last)
			p->revenue_last = m;
		if (rv->account[i] < d->accounts.n && !seen[rv->account[i]]) {
			seen[rv->account[i]] = 1;
			p->revenue_accounts++;
		}
	}
	free(seen);
	/* The MRR of the last month with rows (running periods count in
	 * every month from theirs on). */
	int32_t last = -1;
	for (uint64_t i = 0; i < rv->n; i++)
		if (rv->month[i] > last)
			last = rv->month[i];
	p->revenue_last_mrr = 0;
	for (uint64_t i = 0; i < rv->n; i++)
		if (rv->month[i] == last ||
		    (rv->open && rv->open[i] && rv->month[i] <= last))
			p->revenue_last_mrr += rv->mrr[i];
	return OKRA_OK;
}

okra_rc okra__profile(const okra_data *d, const okra_workspace *ws,
                      okra_profile *p, okra_err *err)
{
	scratch sc = {0};
	p->backend = "embedded";
	okra_rc rc = files(ws, p, err);
	if (rc == OKRA_OK)
		rc = events(d, p, &sc, err);
	if (rc == OKRA_OK)
		rc = entities(d, &d->accounts, false,
		              ws->settings.accounts.is_set, p, &p->accounts,
		              &sc, err);
	if (rc == OKRA_OK)
		rc = entities(d, &d->users, true, ws->settings.users.is_set, p,
		              &p->users, &sc, err);
	if (rc == OKRA_OK)
		rc = revenue(d, ws, p, err);
	scratch_free(&sc);
	if (rc == OKRA_OK && p->arena.failed)
		rc = nomem(err);
	return rc;
}
