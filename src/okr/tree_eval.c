/*
 * tree_eval.c - okra tree: evaluates every node of a KPI tree at both
 * dates, for the pinned segment and every segment of --by, in one engine
 * evaluation, then hands the values to the arithmetic of tree.c.
 *
 * Reads the engine only through query/query.h and the result accessors;
 * prints nothing.  The attribution owns copies of every string it keeps,
 * so it outlives the evaluation (not the workspace).
 */
#include "okr/tree.h"
#include "query/query.h"
#include "model/format.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static okra_rc nomem(okra_err *err)
{
	return okra__nomem(err);
}

static okra_rc parse_day(const char *s, const char *what, int32_t *day,
                         okra_err *err)
{
	if (okra__parse_date(s, day))
		return OKRA_OK;
	return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
	                     "%s must be a date YYYY-MM-DD, not \"%s\"", what,
	                     s);
}

static const okra_tree *find_tree(const okra_workspace *ws, const char *id,
                                  okra_err *err)
{
	for (size_t i = 0; i < ws->n_trees; i++)
		if (strcmp(ws->trees[i].id, id) == 0)
			return &ws->trees[i];
	if (!ws->n_trees) {
		okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		              "unknown tree \"%s\": the workspace defines no "
		              "tree (trees: in any workspace file)",
		              id);
		return NULL;
	}
	const char *near =
	    okra__nearest_id(id, ws->trees, ws->n_trees, sizeof(*ws->trees));
	okra_buf list = {0};
	for (size_t i = 0; i < ws->n_trees; i++)
		okra__buf_printf(&list, "%s%s", i ? ", " : "", ws->trees[i].id);
	okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
	              "unknown tree \"%s\"%s%s%s (the trees: %s)", id,
	              near ? "; did you mean \"" : "", near ? near : "",
	              near ? "\"?" : "", list.data ? list.data : "");
	okra__buf_free(&list);
	return NULL;
}

/* The pin as reasons and headings write it: "tier=pro or free, region=eu". */
static const char *pin_text(const okra_where *w, size_t n, okra_arena *a)
{
	if (!n)
		return NULL;
	okra_buf b = {0};
	for (size_t i = 0; i < n; i++) {
		okra__buf_printf(&b, "%s%s=", i ? ", " : "", w[i].key);
		for (size_t k = 0; k < w[i].n_values; k++)
			okra__buf_printf(&b, "%s%s", k ? " or " : "",
			                 w[i].values[k].text);
	}
	return okra__arena_take(a, &b);
}

/* A copy of the pin in a. */
static okra_where *copy_pin(const okra_where *w, size_t n, okra_arena *a)
{
	okra_where *c = okra__arena_alloc(a, (n + 1) * sizeof(*c));
	for (size_t i = 0; c && i < n; i++) {
		c[i] = w[i];
		c[i].key = okra__arena_strdup(a, w[i].key);
		okra_value *v =
		    okra__arena_alloc(a, (w[i].n_values + 1) * sizeof(*v));
		for (size_t k = 0; v && k < w[i].n_values; k++) {
			v[k] = w[i].values[k];
			v[k].text = okra__arena_strdup(a, w[i].values[k].text);
		}
		c[i].values = v;
	}
	return c;
}

static double value_at(int metric, int when, void *ctx)
{
	return okra__result_at(ctx, metric, 0, (size_t)when);
}

/* The change of each driver split by the segments of r's one attribute. */
static bool split_drivers(okra_attribution *at, const okra_result *r)
{
	const okra_workspace *ws = at->ws;
	const okra_segment_attr *sa = r->seg.n_attrs ? &r->seg.attrs[0] : NULL;
	size_t n = sa ? sa->n : 0;
	double *buf = calloc(7 * (n + 1), sizeof(double));
	if (!buf)
		return false;
	double *from = buf, *to = buf + (n + 1), *nf = buf + 2 * (n + 1),
	       *df = buf + 3 * (n + 1), *nt = buf + 4 * (n + 1),
	       *dt = buf + 5 * (n + 1), *contribution = buf + 6 * (n + 1);
	for (size_t k = 0; k < at->n_drivers; k++) {
		okra_tree_driver *d = &at->drivers[k];
		const okra_metric *m = &ws->metrics[d->metric];
		unsigned caps = okra__metric_caps(m);
		if (!(caps & OKRA_CAP_SEGMENTS)) {
			d->segments_note = okra__arena_printf(
			    &at->arena, "%s is a %s metric: it has no segments",
			    m->id, okra__metric_types[m->type].name);
			continue;
		}
		bool has_sample = true;
		for (size_t s = 0; s < n; s++) {
			size_t row = sa->first + s + 1;
			from[s] = okra__result_at(r, d->metric, row, 0);
			to[s] = okra__result_at(r, d->metric, row, 1);
			if (!okra__result_sample(r, d->metric, row, 0, &nf[s],
			                         &df[s]) ||
			    !okra__result_sample(r, d->metric, row, 1, &nt[s],
			                         &dt[s])) {
				has_sample = false;
				nf[s] = df[s] = nt[s] = dt[s] = NAN;
			}
		}
		okra__segment_split(caps, n, from, to, has_sample ? nf : NULL,
		                    has_sample ? df : NULL,
		                    has_sample ? nt : NULL,
		                    has_sample ? dt : NULL, contribution);
		d->segments = okra__arena_alloc(&at->arena,
		                                (n + 1) * sizeof(*d->segments));
		if (!d->segments)
			break;
		for (size_t s = 0; s < n; s++)
			d->segments[s] = (okra_tree_segment){
			    .attr = at->by,
			    .value = okra__arena_strdup(
			        &at->arena,
			        okra__result_segment(r, sa->first + s + 1)),
			    .from = from[s],
			    .to = to[s],
			    .change = to[s] - from[s],
			    .contribution = contribution[s],
			    .n_from = has_sample ? df[s] : NAN,
			    .n_to = has_sample ? dt[s] : NAN};
		d->n_segments = n;
		if (!(caps & (OKRA_CAP_ADDITIVE | OKRA_CAP_SHARE)))
			d->segments_note = okra__arena_printf(
			    &at->arena,
			    "%s is not a sum or a share of a population: each "
			    "segment's own change, no contribution",
			    m->id);
	}
	free(buf);
	return !at->arena.failed;
}

okra_rc okra__tree_eval_at(okra_engine *e, const okra_tree *t, int root,
                           int32_t from, int32_t to, const char *const *where,
                           size_t n_where, const okra_where *pin, size_t n_pin,
                           const char *by, okra_attribution **out,
                           okra_err *err)
{
	const okra_workspace *ws = okra__engine_workspace(e);
	okra_result *r = NULL;
	const char **ids = NULL;
	okra_attribution *at = calloc(1, sizeof(*at));
	okra_rc rc = OKRA_OK;
	if (!at) {
		rc = nomem(err);
		goto out;
	}
	*at = (okra_attribution){
	    .ws = ws, .tree = t, .root = root, .from = from, .to = to};
	if ((rc = okra__tree_build(ws, t, root, &at->arena, &at->nodes,
	                           &at->n_nodes, err)))
		goto out;
	/* Every node's metric, once: one evaluation at both dates. */
	ids = calloc(at->n_nodes + 1, sizeof(*ids));
	if (!ids) {
		rc = nomem(err);
		goto out;
	}
	size_t n_ids = 0;
	for (size_t i = 0; i < at->n_nodes; i++) {
		const char *id = ws->metrics[at->nodes[i].metric].id;
		size_t k = 0;
		while (k < n_ids && strcmp(ids[k], id) != 0)
			k++;
		if (k == n_ids)
			ids[n_ids++] = id;
	}
	int32_t dates[2] = {from, to};
	if (!(r = okra__result_new(e))) {
		rc = nomem(err);
		goto out;
	}
	if ((rc =
	         okra__plan_build(ws, ids, n_ids, dates, 2, by, &r->plan, err)))
		goto out;
	/* Segments only of --by, not of every node's `segments:`. */
	for (size_t k = 0; k < r->plan.n_items; k++)
		r->plan.items[k].requested = false;
	if (n_where)
		rc = okra__query_pins(e, r, where, n_where, err);
	else if (n_pin) {
		r->plan.pin = pin;
		r->plan.n_pin = n_pin;
		rc = okra__check_pins(e, r, false, err);
	}
	if (rc || (rc = okra__engine_evaluate(e, r, err)))
		goto out;

	at->n_where = r->plan.n_pin;
	at->where = copy_pin(r->plan.pin, r->plan.n_pin, &at->arena);
	at->by = by ? okra__arena_strdup(&at->arena, by) : NULL;
	char d1[11], d2[11];
	okra__format_date(from, d1);
	okra__format_date(to, d2);
	okra_tree_words words = {
	    .from = d1,
	    .to = d2,
	    .pin = pin_text(r->plan.pin, r->plan.n_pin, &at->arena)};
	okra__tree_attribute(ws, at->nodes, at->n_nodes, value_at, r, &words,
	                     &at->arena);
	if (!okra__tree_drivers(ws, at->nodes, at->n_nodes, &at->arena,
	                        &at->drivers, &at->n_drivers) ||
	    (by && !split_drivers(at, r)) || at->arena.failed) {
		rc = nomem(err);
		goto out;
	}
out:
	okra_result_free(r);
	free(ids);
	if (rc) {
		okra_tree_free(at);
		return rc;
	}
	*out = at;
	return OKRA_OK;
}

okra_rc okra_tree_eval(okra_engine *e, const okra_tree_request *req,
                       okra_attribution **out, okra_err *err)
{
	const okra_workspace *ws = okra__engine_workspace(e);
	if (!req->tree)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "which tree? name one of the workspace's "
		                     "trees");
	const okra_tree *t = find_tree(ws, req->tree, err);
	if (!t)
		return OKRA_ERR_USAGE;
	int32_t to = okra__engine_last_day(e), from;
	okra_rc rc;
	if (req->to && (rc = parse_day(req->to, "to", &to, err)))
		return rc;
	from = to - 7;
	if (req->from && (rc = parse_day(req->from, "from", &from, err)))
		return rc;
	if (from >= to) {
		char d1[11], d2[11];
		okra__format_date(from, d1);
		okra__format_date(to, d2);
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "the tree compares two dates: from (%s) "
		                     "must be before to (%s)",
		                     d1, d2);
	}
	return okra__tree_eval_at(e, t, t->root.index, from, to, req->where,
	                          req->n_where, NULL, 0, req->by, out, err);
}

/* ---------------------------------------------------------------------
 * Sentences
 * --------------------------------------------------------------------- */

void okra__tree_signed(okra_buf *b, const okra_metric *m, double v)
{
	if (isnan(v)) {
		okra__buf_puts(b, "-");
		return;
	}
	okra_buf mag = {0};
	if (m->unit == OKRA_UNIT_PERCENT)
		okra__buf_printf(&mag, "%.1f pts", fabs(v) * 100);
	else
		okra__human(&mag, m, okra__metric_is_count(m) && v == floor(v),
		            fabs(v));
	/* No sign on what reads as zero ("-0.0 pts" of a tiny change). */
	if (mag.data && strpbrk(mag.data, "123456789"))
		okra__buf_putc(b, v < 0 ? '-' : '+');
	okra__buf_puts(b, mag.data ? mag.data : "");
	if (mag.failed)
		b->failed = true;
	okra__buf_free(&mag);
}

/* A share as a whole percentage, never "-0". */
static double pct(double share)
{
	return round(share * 100) + 0.0;
}

const okra_tree_segment *okra__tree_top_segment(const okra_tree_driver *d)
{
	const okra_tree_segment *best = NULL;
	if (!(d->change != 0) || isnan(d->change))
		return NULL;
	for (size_t s = 0; s < d->n_segments; s++) {
		const okra_tree_segment *g = &d->segments[s];
		double share = g->contribution / d->change;
		if (share > 0 &&
		    (!best || share > best->contribution / d->change))
			best = g;
	}
	return best;
}

const char *okra__tree_driver_sentence(const okra_attribution *at,
                                       const okra_tree_driver *d, okra_arena *a)
{
	const okra_metric *root = &at->ws->metrics[at->root];
	const char *id = at->ws->metrics[d->metric].id;
	double change = at->n_nodes ? at->nodes[0].change : NAN;
	okra_buf b = {0}, c = {0}, t = {0};
	okra__tree_signed(&c, root, d->contribution);
	okra__tree_signed(&t, root, change);
	if (d->metric == at->root)
		okra__buf_printf(&b, "%s moved by %s", id, c.data);
	else if (d->contribution == 0)
		okra__buf_printf(&b, "%s did not move %s", id, root->id);
	else if (change == 0)
		okra__buf_printf(&b,
		                 "%s moved %s by %s, though %s did not change "
		                 "overall",
		                 id, root->id, c.data, root->id);
	else if ((d->contribution > 0) == (change > 0))
		okra__buf_printf(&b, "%s %s %s of the %s change in %s (%.0f%%)",
		                 id, change > 0 ? "added" : "accounts for",
		                 c.data, t.data, root->id, pct(d->share));
	else
		okra__buf_printf(&b,
		                 "%s offset the %s change in %s by %s (%.0f%%)",
		                 id, t.data, root->id, c.data, pct(d->share));
	const okra_tree_segment *g = okra__tree_top_segment(d);
	double share = g ? g->contribution / d->change : NAN;
	if (g && share <= 1) {
		okra__buf_printf(&b, "; %.0f%% of that came from %s=%s",
		                 pct(share), g->attr, g->value);
	} else if (g) {
		/* More than all of it: the other segments went the other
		 * way.  Say both, in the driver's unit. */
		const okra_metric *m = &at->ws->metrics[d->metric];
		okra_buf x = {0}, y = {0};
		okra__tree_signed(&x, m, g->contribution);
		okra__tree_signed(&y, m, d->change - g->contribution);
		okra__buf_printf(&b,
		                 "; %s=%s alone moved %s by %s, the other "
		                 "segments by %s",
		                 g->attr, g->value, id, x.data ? x.data : "",
		                 y.data ? y.data : "");
		okra__buf_free(&x);
		okra__buf_free(&y);
	}
	if (g) {
		double n = fmin(g->n_from, g->n_to);
		if (n < OKRA_SMALL_SAMPLE)
			okra__buf_printf(&b,
			                 " (a small sample: %.0f in its "
			                 "denominator)",
			                 n);
	}
	okra__buf_putc(&b, '.');
	const char *s = b.failed ? NULL : okra__arena_strdup(a, b.data);
	okra__buf_free(&b);
	okra__buf_free(&c);
	okra__buf_free(&t);
	return s;
}

/* ---------------------------------------------------------------------
 * The weekly review
 * --------------------------------------------------------------------- */

/* The first tree with a node of metric m, or NULL. */
static const okra_tree *tree_of(const okra_workspace *ws, int m)
{
	for (size_t t = 0; t < ws->n_trees; t++) {
		okra_arena a = {0};
		okra_tree_node *nodes = NULL;
		size_t n = 0;
		okra_err err = {0};
		bool found = false;
		if (okra__tree_build(ws, &ws->trees[t], ws->trees[t].root.index,
		                     &a, &nodes, &n, &err) == OKRA_OK)
			for (size_t i = 0; i < n && !found; i++)
				found = nodes[i].metric == m;
		okra__arena_free(&a);
		if (found)
			return &ws->trees[t];
	}
	return NULL;
}

/* The attribute to split the drivers by: the first of m's segments that
 * the data has and the pin does not fix; NULL when none. */
static const char *split_attr(okra_engine *e, const okra_metric *m,
                              const okra_where *pin, size_t n_pin,
                              okra_arena *a)
{
	const char **attrs = NULL;
	size_t n = 0;
	okra_err err = {0};
	if (okra__engine_attributes(e, a, &attrs, &n, &err) != OKRA_OK)
		return NULL;
	for (size_t i = 0; i < m->n_segments; i++) {
		const char *s = m->segments[i];
		bool known = strcmp(s, "cohort") == 0, pinned = false;
		for (size_t k = 0; k < n && !known; k++)
			known = strcmp(attrs[k], s) == 0;
		for (size_t k = 0; k < n_pin && !pinned; k++)
			pinned = strcmp(pin[k].key, s) == 0;
		if (known && !pinned)
			return s;
	}
	return NULL;
}

const char *okra__tree_kr_driver(okra_engine *e, const okra_metric *m,
                                 int32_t asof, const okra_where *pin,
                                 size_t n_pin, okra_arena *a)
{
	const okra_workspace *ws = okra__engine_workspace(e);
	int mi = (int)(m - ws->metrics);
	const okra_tree *t = tree_of(ws, mi);
	if (!t)
		return NULL;
	okra_attribution *at = NULL;
	okra_arena scratch = {0};
	okra_err err = {0};
	const char *by = split_attr(e, m, pin, n_pin, &scratch);
	const char *s = NULL;
	if (okra__tree_eval_at(e, t, mi, asof - 7, asof, NULL, 0, pin, n_pin,
	                       by, &at, &err) == OKRA_OK)
		for (size_t k = 0; k < at->n_drivers && !s; k++)
			if (at->drivers[k].contribution != 0 &&
			    !isnan(at->drivers[k].contribution))
				s = okra__tree_driver_sentence(
				    at, &at->drivers[k], a);
	okra_tree_free(at);
	okra__arena_free(&scratch);
	return s;
}

void okra_tree_free(okra_attribution *at)
{
	if (!at)
		return;
	okra__arena_free(&at->arena);
	free(at);
}
