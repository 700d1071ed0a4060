/*
 * tree.c - the arithmetic of KPI trees: the nodes of a tree, exact
 * Shapley values at each formula node, contributions to the root down
 * the levels, the drivers, and the split of a driver's change by segment.
 *
 * Pure functions over values a callback supplies: no engine, no I/O, no
 * printing (tree_eval.c feeds them from one evaluation; the property
 * tests from random numbers).  Invariant: where every node is attributed,
 * the drivers' contributions add up to the root's change, and a driver's
 * segment contributions to its own change, up to rounding.
 */
#include "okr/tree.h"

#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * Shapley values
 * --------------------------------------------------------------------- */

/* The number of inputs in a coalition. */
static size_t bits(unsigned mask)
{
	size_t n = 0;
	for (; mask; mask &= mask - 1)
		n++;
	return n;
}

bool okra__shapley(size_t n, okra_coalition_fn f, void *ctx, double *phi,
                   unsigned *bad)
{
	double value[1u << OKRA_MAX_TREE_INPUTS];
	double weight[OKRA_MAX_TREE_INPUTS + 1];
	unsigned all = (1u << n) - 1;
	for (unsigned mask = 0; mask <= all; mask++) {
		value[mask] = f(mask, ctx);
		if (!isfinite(value[mask])) {
			*bad = mask;
			return false;
		}
	}
	/* weight[s] = s! (n - s - 1)! / n!, the chance that a random order
	 * puts exactly a given s others before input i. */
	for (size_t s = 0; s < n; s++) {
		double w = 1.0 / (double)n;
		for (size_t k = 1; k <= s; k++)
			w *= (double)k / (double)(n - k);
		weight[s] = w;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned bit = 1u << i;
		double sum = 0, carry = 0; /* Kahan: 2^11 terms */
		for (unsigned mask = 0; mask <= all; mask++) {
			if (mask & bit)
				continue;
			double term = weight[bits(mask)] *
			                  (value[mask | bit] - value[mask]) -
			              carry;
			double t = sum + term;
			carry = (t - sum) - term;
			sum = t;
		}
		phi[i] = sum;
	}
	return true;
}

/* ---------------------------------------------------------------------
 * Building the nodes
 * --------------------------------------------------------------------- */

typedef struct input_list {
	int *out;
	size_t n, over;
} input_list;

static void collect_input(int input, void *ctx)
{
	input_list *l = ctx;
	for (size_t i = 0; i < l->n; i++)
		if (l->out[i] == input)
			return;
	if (l->n < OKRA_MAX_TREE_INPUTS + 1)
		l->out[l->n++] = input;
	else
		l->over++;
}

okra_rc okra__tree_inputs(const okra_metric *m, int *out, size_t *n,
                          okra_err *err)
{
	input_list l = {.out = out};
	okra__metric_inputs(m, collect_input, &l);
	if (l.n > OKRA_MAX_TREE_INPUTS) {
		okra_pos p =
		    m->type == OKRA_METRIC_FORMULA ? m->expr_pos : m->type_pos;
		return okra__err_set(
		    err, OKRA_ERR_CONFIG, p.file, p.line, p.col,
		    "formula metric \"%s\" reads %zu distinct metrics; a KPI "
		    "tree splits a change among at most %d (split the formula "
		    "into formula metrics)",
		    m->id, l.n + l.over, OKRA_MAX_TREE_INPUTS);
	}
	*n = l.n;
	return OKRA_OK;
}

typedef struct builder {
	const okra_workspace *ws;
	const okra_tree *t;
	okra_tree_node *nodes;
	size_t n;
	okra_err *err;
} builder;

static okra_rc add_node(builder *b, int metric, int parent, bool is_link)
{
	if (b->n == OKRA_MAX_TREE_NODES)
		return okra__err_set(
		    b->err, OKRA_ERR_CONFIG, b->t->id_pos.file,
		    b->t->id_pos.line, b->t->id_pos.col,
		    "tree \"%s\" has more than %d nodes (a metric counts once "
		    "on every path that reaches it); make it smaller",
		    b->t->id, OKRA_MAX_TREE_NODES);
	int self = (int)b->n++;
	okra_tree_node *nd = &b->nodes[self];
	*nd = (okra_tree_node){.metric = metric,
	                       .parent = parent,
	                       .depth =
	                           parent < 0 ? 0 : b->nodes[parent].depth + 1,
	                       .is_link = is_link,
	                       .from = NAN,
	                       .to = NAN,
	                       .change = NAN,
	                       .phi = NAN,
	                       .contribution = NAN};
	for (int p = parent; p >= 0; p = b->nodes[p].parent)
		if (b->nodes[p].metric == metric) {
			nd->is_repeat = true;
			return OKRA_OK;
		}
	int inputs[OKRA_MAX_TREE_INPUTS + 1];
	size_t n_inputs = 0;
	const okra_metric *m = &b->ws->metrics[metric];
	okra_rc rc = okra__tree_inputs(m, inputs, &n_inputs, b->err);
	nd->is_formula = n_inputs > 0;
	for (size_t i = 0; rc == OKRA_OK && i < n_inputs; i++)
		rc = add_node(b, inputs[i], self, false);
	for (size_t l = 0; rc == OKRA_OK && l < b->t->n_links; l++) {
		const okra_tree_link *link = &b->t->links[l];
		if (link->parent.index != metric)
			continue;
		for (size_t c = 0; rc == OKRA_OK && c < link->n_children; c++) {
			int child = link->children[c].index;
			bool seen = child < 0;
			for (size_t i = 0; i < n_inputs && !seen; i++)
				seen = inputs[i] == child;
			/* A metric linked twice is drawn once. */
			for (size_t k = (size_t)self + 1; k < b->n && !seen;
			     k++)
				seen = b->nodes[k].parent == self &&
				       b->nodes[k].metric == child;
			if (!seen)
				rc = add_node(b, child, self, true);
		}
	}
	return rc;
}

okra_rc okra__tree_build(const okra_workspace *ws, const okra_tree *t, int root,
                         okra_arena *a, okra_tree_node **out, size_t *n,
                         okra_err *err)
{
	builder b = {.ws = ws, .t = t, .err = err};
	b.nodes = okra__arena_alloc(a, OKRA_MAX_TREE_NODES * sizeof(*b.nodes));
	if (!b.nodes)
		return okra__nomem(err);
	okra_rc rc = add_node(&b, root, -1, false);
	if (rc)
		return rc;
	*out = b.nodes;
	*n = b.n;
	return OKRA_OK;
}

/* ---------------------------------------------------------------------
 * Attribution
 * --------------------------------------------------------------------- */

/* A formula node's inputs at their two values, for okra__shapley. */
typedef struct coalition {
	const okra_metric *m;
	const int *inputs;
	size_t n;
	const double *a, *b;
	unsigned mask;
} coalition;

static double coalition_input(int metric, void *ctx)
{
	const coalition *c = ctx;
	for (size_t i = 0; i < c->n; i++)
		if (c->inputs[i] == metric)
			return c->mask & (1u << i) ? c->b[i] : c->a[i];
	return NAN;
}

static double coalition_value(unsigned mask, void *ctx)
{
	coalition *c = ctx;
	c->mask = mask;
	if (c->m->type == OKRA_METRIC_RATIO) {
		double x = coalition_input(c->m->numerator.index, c);
		double y = coalition_input(c->m->denominator.index, c);
		return y == 0 ? NAN : x / y;
	}
	return okra__expr_eval(c->m->expr, coalition_input, c);
}

/* "a and b" / "a, b and c" of the inputs in mask. */
static const char *input_names(const okra_workspace *ws, const int *inputs,
                               size_t n, unsigned mask, okra_arena *a)
{
	okra_buf b = {0};
	size_t count = bits(mask), k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(mask & (1u << i)))
			continue;
		okra__buf_printf(&b, "%s%s",
		                 k == 0           ? ""
		                 : k + 1 == count ? " and "
		                                  : ", ",
		                 ws->metrics[inputs[i]].id);
		k++;
	}
	return okra__arena_take(a, &b);
}

/* Why a formula's change cannot be split at coalition mask. */
static const char *split_reason(const okra_workspace *ws,
                                const okra_tree_node *nd, const int *inputs,
                                size_t n, unsigned mask,
                                const okra_tree_words *w, okra_arena *a)
{
	const char *id = ws->metrics[nd->metric].id;
	unsigned all = (1u << n) - 1;
	if (mask == 0 || mask == all)
		return okra__arena_printf(a, "%s divides by zero on %s", id,
		                          mask == 0 ? w->from : w->to);
	return okra__arena_printf(
	    a,
	    "%s divides by zero with %s at %s and %s at %s, so its change "
	    "cannot be split among its inputs",
	    id, input_names(ws, inputs, n, mask, a), w->to,
	    input_names(ws, inputs, n, all & ~mask, a), w->from);
}

/* Why a metric that is not a formula has no value. */
static const char *value_reason(const okra_workspace *ws,
                                const okra_tree_node *nd,
                                const okra_tree_words *w, okra_arena *a)
{
	const okra_metric *m = &ws->metrics[nd->metric];
	const char *day = isnan(nd->from) ? w->from : w->to;
	if (m->type == OKRA_METRIC_MANUAL && w->pin)
		return okra__arena_printf(
		    a,
		    "%s is a manual metric: its check-ins have no segments, "
		    "so it has no value where %s",
		    m->id, w->pin);
	if (m->type == OKRA_METRIC_MANUAL)
		return okra__arena_printf(
		    a, "%s has no check-in on or before %s", m->id, day);
	return okra__arena_printf(a, "%s has no value on %s%s%s", m->id, day,
	                          w->pin ? " where " : "",
	                          w->pin ? w->pin : "");
}

/* Computes the Shapley values of formula node i over its input children,
 * or its reason for not splitting. */
static void split_node(const okra_workspace *ws, okra_tree_node *nodes,
                       size_t n, size_t i, const okra_tree_words *w,
                       okra_arena *a)
{
	okra_tree_node *nd = &nodes[i];
	int inputs[OKRA_MAX_TREE_INPUTS];
	double from[OKRA_MAX_TREE_INPUTS], to[OKRA_MAX_TREE_INPUTS];
	size_t child[OKRA_MAX_TREE_INPUTS], k = 0;
	for (size_t j = i + 1; j < n && k < OKRA_MAX_TREE_INPUTS; j++) {
		if (nodes[j].parent != (int)i || nodes[j].is_link)
			continue;
		inputs[k] = nodes[j].metric;
		from[k] = nodes[j].from;
		to[k] = nodes[j].to;
		child[k++] = j;
	}
	for (size_t j = 0; j < k; j++)
		if (isnan(from[j]) || isnan(to[j])) {
			nd->reason = okra__arena_printf(
			    a, "%s's input %s has no value on %s",
			    ws->metrics[nd->metric].id,
			    ws->metrics[inputs[j]].id,
			    isnan(from[j]) ? w->from : w->to);
			nd->own_reason = true;
			return;
		}
	coalition c = {.m = &ws->metrics[nd->metric],
	               .inputs = inputs,
	               .n = k,
	               .a = from,
	               .b = to};
	double phi[OKRA_MAX_TREE_INPUTS];
	unsigned bad = 0;
	if (!okra__shapley(k, coalition_value, &c, phi, &bad)) {
		nd->reason = split_reason(ws, nd, inputs, k, bad, w, a);
		nd->own_reason = true;
		return;
	}
	nd->split = true;
	for (size_t j = 0; j < k; j++)
		nodes[child[j]].phi = phi[j];
}

void okra__tree_attribute(const okra_workspace *ws, okra_tree_node *nodes,
                          size_t n, okra_tree_value_fn value, void *ctx,
                          const okra_tree_words *w, okra_arena *a)
{
	for (size_t i = 0; i < n; i++) {
		okra_tree_node *nd = &nodes[i];
		nd->from = value(nd->metric, 0, ctx);
		nd->to = value(nd->metric, 1, ctx);
		nd->change = nd->to - nd->from;
		nd->phi = nd->contribution = NAN;
		nd->attributed = nd->split = nd->own_reason = false;
		nd->reason = NULL;
	}
	for (size_t i = 0; i < n; i++) {
		okra_tree_node *nd = &nodes[i];
		if (nd->is_formula && !nd->is_repeat)
			split_node(ws, nodes, n, i, w, a);
		else if (isnan(nd->change)) {
			nd->reason = value_reason(ws, nd, w, a);
			nd->own_reason = true;
		}
	}
	for (size_t i = 0; i < n; i++) {
		okra_tree_node *nd = &nodes[i];
		if (nd->parent < 0) {
			nd->attributed = !isnan(nd->change);
			nd->contribution = nd->attributed ? nd->change : NAN;
			continue;
		}
		const okra_tree_node *p = &nodes[nd->parent];
		if (nd->is_link) {
			if (!nd->reason)
				nd->reason =
				    nd->is_repeat
				        ? "linked again below itself: not "
				          "expanded"
				        : "a children: link, shown but not "
				          "attributed";
			continue;
		}
		if (!p->attributed || !p->split) {
			/* Below the node that stops the attribution, every
			 * node names it once. */
			if (!nd->reason)
				nd->reason =
				    p->own_reason
				        ? okra__arena_printf(
				              a,
				              "below %s, which is not %s: %s",
				              ws->metrics[p->metric].id,
				              p->attributed ? "split"
				                            : "attributed",
				              p->reason)
				        : p->reason;
			continue;
		}
		nd->attributed = true;
		/* A child of the root gets its Shapley value; below, the
		 * parent's contribution in the proportion of the parent's
		 * change that this input explains. */
		nd->contribution = nd->parent == 0 ? nd->phi
		                   : p->change == 0
		                       ? 0
		                       : p->contribution * nd->phi / p->change;
	}
}

/* ---------------------------------------------------------------------
 * Drivers
 * --------------------------------------------------------------------- */

static int cmp_driver(const okra_tree_driver *x, const okra_tree_driver *y,
                      const okra_workspace *ws)
{
	double ax = fabs(x->contribution), ay = fabs(y->contribution);
	if (ax != ay)
		return ax > ay ? -1 : 1;
	return strcmp(ws->metrics[x->metric].id, ws->metrics[y->metric].id);
}

bool okra__tree_drivers(const okra_workspace *ws, const okra_tree_node *nodes,
                        size_t n, okra_arena *a, okra_tree_driver **out,
                        size_t *n_out)
{
	okra_tree_driver *d = okra__arena_alloc(a, (n + 1) * sizeof(*d));
	if (!d)
		return false;
	size_t k = 0;
	double root_change = n ? nodes[0].change : NAN;
	/* A root whose change is not split (not a formula, or one that
	 * cannot be split) is its own only driver. */
	for (size_t i = 0; i < n; i++) {
		const okra_tree_node *nd = &nodes[i];
		if (!nd->attributed || nd->split)
			continue;
		size_t j = 0;
		while (j < k && d[j].metric != nd->metric)
			j++;
		if (j == k)
			d[k++] = (okra_tree_driver){.metric = nd->metric,
			                            .from = nd->from,
			                            .to = nd->to,
			                            .change = nd->change};
		d[j].contribution += nd->contribution;
		d[j].n_paths++;
	}
	for (size_t j = 0; j < k; j++)
		d[j].share = root_change == 0 || isnan(root_change)
		                 ? NAN
		                 : d[j].contribution / root_change + 0.0;
	/* Insertion sort: a tree has few drivers. */
	for (size_t j = 1; j < k; j++) {
		okra_tree_driver x = d[j];
		size_t p = j;
		while (p > 0 && cmp_driver(&x, &d[p - 1], ws) < 0) {
			d[p] = d[p - 1];
			p--;
		}
		d[p] = x;
	}
	*out = d;
	*n_out = k;
	return true;
}

/* ---------------------------------------------------------------------
 * Segments
 * --------------------------------------------------------------------- */

void okra__segment_split(unsigned caps, size_t n, const double *from,
                         const double *to, const double *num_from,
                         const double *den_from, const double *num_to,
                         const double *den_to, double *contribution)
{
	for (size_t s = 0; s < n; s++)
		contribution[s] = NAN;
	if (caps & OKRA_CAP_ADDITIVE) {
		for (size_t s = 0; s < n; s++)
			contribution[s] = to[s] - from[s];
		return;
	}
	if (!(caps & OKRA_CAP_SHARE) || !num_from || !den_from || !num_to ||
	    !den_to)
		return;
	double n1 = 0, d1 = 0, n2 = 0, d2 = 0;
	for (size_t s = 0; s < n; s++) {
		n1 += num_from[s];
		d1 += den_from[s];
		n2 += num_to[s];
		d2 += den_to[s];
	}
	if (!(d1 > 0) || !(d2 > 0) || isnan(n1) || isnan(n2))
		return;
	double r_bar = (n1 / d1 + n2 / d2) / 2;
	for (size_t s = 0; s < n; s++) {
		double w1 = den_from[s] / d1, w2 = den_to[s] / d2;
		double r1 = den_from[s] > 0 ? num_from[s] / den_from[s] : NAN;
		double r2 = den_to[s] > 0 ? num_to[s] / den_to[s] : NAN;
		/* An empty segment's rate is undefined; any value gives the
		 * same sum, and its own rate at the other date puts the whole
		 * effect in the mix term. */
		if (isnan(r1))
			r1 = r2;
		if (isnan(r2))
			r2 = r1;
		if (isnan(r1)) {
			contribution[s] = 0; /* empty at both dates */
			continue;
		}
		contribution[s] = (w1 + w2) / 2 * (r2 - r1) +
		                  (w2 - w1) * ((r1 + r2) / 2 - r_bar);
	}
}
