/*
 * test_tree.c - unit and property tests of the KPI tree arithmetic
 * (okr/tree.c) and of the formula evaluator it uses (model/formula.c).
 *
 * Golden cases state Shapley values computed by hand (a sum, products of
 * two and three factors, a ratio, two levels, a leaf on two paths, a null
 * input, a node that did not change while its inputs moved), so a wrong
 * weight or a wrong propagation fails with the number it got.  Property
 * tests draw random trees and values and check the identities: the
 * drivers add up to the root's change, segment contributions add up to a
 * driver's change, and the order of a formula's inputs changes nothing.
 */
/* cmocka.h needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "okr/tree.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- fixtures ---------------------------------------------------------- */

/* A workspace from the text of okra.yaml; fails the test on any error. */
static okra_workspace *load(const char *yaml)
{
	okra_source src = {"okra.yaml", yaml, strlen(yaml)};
	okra_findings *f = okra_findings_new();
	okra_workspace *ws = NULL;
	okra_err err = {0};
	okra_rc rc =
	    okra__workspace_from_sources("/nonexistent", &src, 1, f, &ws, &err);
	if (rc) {
		for (size_t i = 0; i < okra_findings_count(f); i++)
			fprintf(stderr, "%s\n",
			        okra_findings_get(f, i)->message);
		fprintf(stderr, "%s\n", err.msg);
	}
	assert_int_equal(rc, OKRA_OK);
	okra_findings_free(f);
	return ws;
}

/* The values of the leaves at both dates; formulas and ratios are
 * computed from their inputs, as the engine front does. */
typedef struct table {
	const okra_workspace *ws;
	const char *const *ids;
	const double *from, *to;
	size_t n;
	int when;
} table;

static double table_value(int metric, int when, void *ctx);

static double table_input(int metric, void *ctx)
{
	table *t = ctx;
	return table_value(metric, t->when, t);
}

static double table_value(int metric, int when, void *ctx)
{
	table *t = ctx;
	const okra_metric *m = &t->ws->metrics[metric];
	if (m->type == OKRA_METRIC_FORMULA || m->type == OKRA_METRIC_RATIO) {
		table sub = *t;
		sub.when = when;
		if (m->type == OKRA_METRIC_RATIO) {
			double x = table_input(m->numerator.index, &sub);
			double y = table_input(m->denominator.index, &sub);
			return y == 0 ? NAN : x / y;
		}
		double v = okra__expr_eval(m->expr, table_input, &sub);
		return isfinite(v) ? v : NAN;
	}
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->ids[i], m->id) == 0)
			return when ? t->to[i] : t->from[i];
	return NAN;
}

typedef struct evaluated {
	okra_workspace *ws;
	okra_arena arena;
	okra_tree_node *nodes;
	size_t n;
	okra_tree_driver *drivers;
	size_t n_drivers;
} evaluated;

static void attribute(evaluated *e, const char *tree, table *t)
{
	const okra_tree *tr = NULL;
	for (size_t i = 0; i < e->ws->n_trees; i++)
		if (strcmp(e->ws->trees[i].id, tree) == 0)
			tr = &e->ws->trees[i];
	assert_non_null(tr);
	okra_err err = {0};
	assert_int_equal(okra__tree_build(e->ws, tr, tr->root.index, &e->arena,
	                                  &e->nodes, &e->n, &err),
	                 OKRA_OK);
	okra_tree_words w = {"D1", "D2", NULL};
	t->ws = e->ws;
	okra__tree_attribute(e->ws, e->nodes, e->n, table_value, t, &w,
	                     &e->arena);
	assert_true(okra__tree_drivers(e->ws, e->nodes, e->n, &e->arena,
	                               &e->drivers, &e->n_drivers));
}

static void release(evaluated *e)
{
	okra__arena_free(&e->arena);
	okra_workspace_free(e->ws);
}

/* The node at path "root/child/..." (metric ids). */
static const okra_tree_node *node(const evaluated *e, const char *path)
{
	for (size_t i = 0; i < e->n; i++) {
		char buf[512] = "";
		int chain[64], k = 0;
		for (int p = (int)i; p >= 0; p = e->nodes[p].parent)
			chain[k++] = p;
		while (k-- > 0) {
			strcat(buf,
			       e->ws->metrics[e->nodes[chain[k]].metric].id);
			if (k)
				strcat(buf, "/");
		}
		if (strcmp(buf, path) == 0)
			return &e->nodes[i];
	}
	fail_msg("no node %s", path);
	return NULL;
}

static const okra_tree_driver *driver(const evaluated *e, const char *id)
{
	for (size_t k = 0; k < e->n_drivers; k++)
		if (strcmp(e->ws->metrics[e->drivers[k].metric].id, id) == 0)
			return &e->drivers[k];
	fail_msg("no driver %s", id);
	return NULL;
}

#define NEAR(x, want) assert_float_equal((x), (want), 1e-12)

#define HEAD                                                                   \
	"workspace: t\n"                                                       \
	"metrics:\n"                                                           \
	"  - {id: a, type: count, event: a}\n"                                 \
	"  - {id: b, type: count, event: b}\n"                                 \
	"  - {id: c, type: count, event: c}\n"                                 \
	"  - {id: x, type: count, event: x}\n"                                 \
	"  - {id: y, type: count, event: y}\n"

/* ---- the evaluator ----------------------------------------------------- */

static const double *eval_values;
static double eval_value(int metric, void *ctx)
{
	(void)ctx;
	return eval_values[metric];
}

/* text over metrics a, b, c, ... = values[0], [1], [2], ... */
static double eval(const char *text, const double *values)
{
	okra_arena a = {0};
	int off;
	char msg[128];
	okra_expr *e = okra__formula_parse(&a, text, &off, msg, sizeof(msg));
	assert_non_null(e);
	okra_expr *stack[64];
	size_t n = 0;
	stack[n++] = e;
	while (n) {
		okra_expr *x = stack[--n];
		if (x->kind == OKRA_EXPR_METRIC)
			x->metric = x->metric_id[0] - 'a';
		for (size_t i = 0; i < x->n_args; i++)
			stack[n++] = x->args[i];
	}
	eval_values = values;
	double v = okra__expr_eval(e, eval_value, NULL);
	okra__arena_free(&a);
	return v;
}

static void test_expr_eval(void **state)
{
	(void)state;
	double v[] = {2, 3, 0, NAN};
	NEAR(eval("a + b * 2", v), 8);
	NEAR(eval("-(a - b * 3) / 4", v), 1.75);
	NEAR(eval("min(a, b, 1)", v), 1);
	NEAR(eval("max(a - b, abs(a - b))", v), 1);
	assert_true(isnan(eval("a / c", v)));        /* division by 0 */
	assert_true(isnan(eval("a + d", v)));        /* a null input */
	assert_true(isnan(eval("max(a, d, 9)", v))); /* null in min/max */
}

/* ---- Shapley, by hand --------------------------------------------------- */

static void test_sum(void **state)
{
	(void)state;
	/* A sum: each input's contribution is its own change, with the sign
	 * it has in the formula. */
	evaluated e = {.ws = load(HEAD "  - {id: r, type: formula, expr: "
	                               "\"a + b - c\"}\n"
	                               "trees: [{id: t, root: r}]\n")};
	const char *ids[] = {"a", "b", "c"};
	double from[] = {10, 20, 5}, to[] = {13, 18, 9};
	table t = {.ids = ids, .from = from, .to = to, .n = 3};
	attribute(&e, "t", &t);
	NEAR(node(&e, "r")->change, 3 - 2 - 4);
	NEAR(node(&e, "r/a")->contribution, 3);
	NEAR(node(&e, "r/b")->contribution, -2);
	NEAR(node(&e, "r/c")->contribution, -4);
	assert_int_equal(e.n_drivers, 3);
	/* Ranked by |contribution|: c, a, b. */
	assert_string_equal(e.ws->metrics[e.drivers[0].metric].id, "c");
	assert_string_equal(e.ws->metrics[e.drivers[1].metric].id, "a");
	NEAR(driver(&e, "c")->share, -4.0 / -3.0);
	release(&e);
}

static void test_product_two(void **state)
{
	(void)state;
	/* a: 2 -> 3, b: 10 -> 20, f = a*b: 20 -> 60.
	 * phi_a = 1/2 [(3*10 - 2*10) + (3*20 - 2*20)] = 15
	 * phi_b = 1/2 [(2*20 - 2*10) + (3*20 - 3*10)] = 25 */
	evaluated e = {.ws = load(HEAD "  - {id: r, type: formula, expr: "
	                               "\"a * b\"}\n"
	                               "trees: [{id: t, root: r}]\n")};
	const char *ids[] = {"a", "b"};
	double from[] = {2, 10}, to[] = {3, 20};
	table t = {.ids = ids, .from = from, .to = to, .n = 2};
	attribute(&e, "t", &t);
	NEAR(node(&e, "r/a")->contribution, 15);
	NEAR(node(&e, "r/b")->contribution, 25);
	NEAR(driver(&e, "b")->share, 25.0 / 40.0);
	release(&e);
}

static void test_product_three(void **state)
{
	(void)state;
	/* a: 1 -> 2, b: 1 -> 3, c: 1 -> 4; f = abc: 1 -> 24.  Weights 1/3,
	 * 1/6, 1/6, 1/3 over the coalitions of the other two:
	 * phi_a = (1 + 3/2 + 4/2 + 12) / 3 = 5.5
	 * phi_b = (2 + 4/2 + 8/2 + 16) / 3 = 8
	 * phi_c = (3 + 6/2 + 9/2 + 18) / 3 = 9.5 */
	evaluated e = {.ws = load(HEAD "  - {id: r, type: formula, expr: "
	                               "\"a * b * c\"}\n"
	                               "trees: [{id: t, root: r}]\n")};
	const char *ids[] = {"a", "b", "c"};
	double from[] = {1, 1, 1}, to[] = {2, 3, 4};
	table t = {.ids = ids, .from = from, .to = to, .n = 3};
	attribute(&e, "t", &t);
	NEAR(node(&e, "r/a")->contribution, 5.5);
	NEAR(node(&e, "r/b")->contribution, 8);
	NEAR(node(&e, "r/c")->contribution, 9.5);
	release(&e);
}

static void test_ratio(void **state)
{
	(void)state;
	/* a: 10 -> 12 over b: 100 -> 80, 0.1 -> 0.15.
	 * phi_a = 1/2 [(12/100 - 10/100) + (12/80 - 10/80)] = 0.0225
	 * phi_b = 1/2 [(10/80 - 10/100) + (12/80 - 12/100)] = 0.0275 */
	evaluated e = {.ws = load(HEAD "  - {id: r, type: ratio, numerator: "
	                               "a, denominator: b}\n"
	                               "trees: [{id: t, root: r}]\n")};
	const char *ids[] = {"a", "b"};
	double from[] = {10, 100}, to[] = {12, 80};
	table t = {.ids = ids, .from = from, .to = to, .n = 2};
	attribute(&e, "t", &t);
	NEAR(node(&e, "r")->change, 0.05);
	NEAR(node(&e, "r/a")->contribution, 0.0225);
	NEAR(node(&e, "r/b")->contribution, 0.0275);
	release(&e);
}

static void test_two_levels(void **state)
{
	(void)state;
	/* r = x + y, y = a * b; x: 5 -> 7, a: 2 -> 3, b: 4 -> 6, so y: 8 ->
	 * 18 and r: 13 -> 25.  phi_x = 2, phi_y = 10; in y, phi_a = phi_b =
	 * 5; a and b get 10 * 5 / 10 = 5 each. */
	evaluated e = {.ws = load(HEAD "  - {id: y2, type: formula, expr: "
	                               "\"a * b\"}\n"
	                               "  - {id: r, type: formula, expr: "
	                               "\"x + y2\"}\n"
	                               "trees: [{id: t, root: r}]\n")};
	const char *ids[] = {"x", "a", "b"};
	double from[] = {5, 2, 4}, to[] = {7, 3, 6};
	table t = {.ids = ids, .from = from, .to = to, .n = 3};
	attribute(&e, "t", &t);
	NEAR(node(&e, "r/x")->contribution, 2);
	NEAR(node(&e, "r/y2")->contribution, 10);
	assert_true(node(&e, "r/y2")->split);
	NEAR(node(&e, "r/y2/a")->contribution, 5);
	NEAR(node(&e, "r/y2/b")->contribution, 5);
	/* y2 is split, so it is not a driver; x, a and b are. */
	assert_int_equal(e.n_drivers, 3);
	release(&e);
}

static void test_two_paths(void **state)
{
	(void)state;
	/* r = a + f, f = a * b; a: 1 -> 2, b: 3 -> 4: f 3 -> 8, r 4 -> 10.
	 * At r: phi_a = 1, phi_f = 5.  At f: phi_a = (3 + 4)/2 = 3.5, phi_b
	 * = (1 + 2)/2 = 1.5, so a gets 5 * 3.5 / 5 = 3.5 through f and 4.5
	 * in all, b 1.5: 6 together. */
	evaluated e = {.ws = load(HEAD "  - {id: f, type: formula, expr: "
	                               "\"a * b\"}\n"
	                               "  - {id: r, type: formula, expr: "
	                               "\"a + f\"}\n"
	                               "trees: [{id: t, root: r}]\n")};
	const char *ids[] = {"a", "b"};
	double from[] = {1, 3}, to[] = {2, 4};
	table t = {.ids = ids, .from = from, .to = to, .n = 2};
	attribute(&e, "t", &t);
	NEAR(node(&e, "r/a")->contribution, 1);
	NEAR(node(&e, "r/f/a")->contribution, 3.5);
	NEAR(driver(&e, "a")->contribution, 4.5);
	assert_int_equal(driver(&e, "a")->n_paths, 2);
	NEAR(driver(&e, "b")->contribution, 1.5);
	NEAR(driver(&e, "a")->share, 0.75);
	release(&e);
}

static void test_null_input(void **state)
{
	(void)state;
	/* b has no value at D1: r = a + g is null at D1, so nothing is
	 * attributed, and each node says why. */
	evaluated e = {.ws = load(HEAD "  - {id: g, type: formula, expr: "
	                               "\"b * c\"}\n"
	                               "  - {id: r, type: formula, expr: "
	                               "\"a + g\"}\n"
	                               "trees: [{id: t, root: r}]\n")};
	const char *ids[] = {"a", "b", "c"};
	double from[] = {1, NAN, 2}, to[] = {2, 3, 4};
	table t = {.ids = ids, .from = from, .to = to, .n = 3};
	attribute(&e, "t", &t);
	const okra_tree_node *r = node(&e, "r"), *g = node(&e, "r/g"),
	                     *b = node(&e, "r/g/b"), *a = node(&e, "r/a");
	assert_false(r->attributed);
	assert_true(isnan(r->contribution));
	assert_string_equal(r->reason, "r's input g has no value on D1");
	assert_string_equal(g->reason, "g's input b has no value on D1");
	assert_string_equal(b->reason, "b has no value on D1");
	assert_true(b->own_reason);
	assert_false(a->attributed);
	assert_string_equal(a->reason, "below r, which is not attributed: "
	                               "r's input g has no value on D1");
	assert_int_equal(e.n_drivers, 0);
	release(&e);
}

static void test_division_mixed(void **state)
{
	(void)state;
	/* f = a / (b - c) is defined at both dates (b - c = 1 and 2) but not
	 * with b at D2 and c at D1 (4 - 4): f's change cannot be split, yet
	 * its parent can attribute f itself, which becomes a driver. */
	evaluated e = {.ws = load(HEAD "  - {id: f, type: formula, expr: "
	                               "\"a / (b - c)\"}\n"
	                               "  - {id: r, type: formula, expr: "
	                               "\"x + f\"}\n"
	                               "trees: [{id: t, root: r}]\n")};
	const char *ids[] = {"a", "b", "c", "x"};
	double from[] = {6, 5, 4, 1}, to[] = {6, 4, 2, 2};
	table t = {.ids = ids, .from = from, .to = to, .n = 4};
	attribute(&e, "t", &t);
	const okra_tree_node *f = node(&e, "r/f");
	assert_true(f->attributed);
	assert_false(f->split);
	NEAR(f->contribution, 3 - 6);
	assert_string_equal(f->reason,
	                    "f divides by zero with b at D2 and a and c at "
	                    "D1, so its change cannot be split among its "
	                    "inputs");
	assert_false(node(&e, "r/f/a")->attributed);
	NEAR(driver(&e, "f")->contribution, -3);
	NEAR(driver(&e, "x")->contribution, 1);
	release(&e);
}

static void test_zero_change(void **state)
{
	(void)state;
	/* r = a + g, g = x - y with x and y both +2: g did not change, so
	 * x and y get 0 whatever they did. */
	evaluated e = {.ws =
	                   load(HEAD "  - {id: g, type: formula, expr: "
	                             "\"x - y\"}\n"
	                             "  - {id: r, type: formula, expr: "
	                             "\"a + g\"}\n"
	                             "  - {id: s, type: formula, expr: "
	                             "\"x + y\"}\n"
	                             "trees: [{id: t, root: r}, {id: u, root: "
	                             "s}]\n")};
	const char *ids[] = {"a", "x", "y"};
	double from[] = {1, 1, 1}, to[] = {2, 3, 3};
	table t = {.ids = ids, .from = from, .to = to, .n = 3};
	attribute(&e, "t", &t);
	NEAR(node(&e, "r/g")->change, 0);
	NEAR(node(&e, "r/g")->contribution, 0);
	NEAR(node(&e, "r/g/x")->contribution, 0);
	NEAR(node(&e, "r/g/y")->contribution, 0);
	NEAR(driver(&e, "a")->contribution, 1);
	release(&e);

	/* The root itself did not change: x +2 and y -2 still show, and
	 * their share is null. */
	evaluated u = {.ws = load(HEAD "  - {id: s, type: formula, expr: "
	                               "\"x + y\"}\n"
	                               "trees: [{id: u, root: s}]\n")};
	double f2[] = {0, 5, 5}, t2[] = {0, 7, 3};
	table tt = {.ids = ids, .from = f2, .to = t2, .n = 3};
	attribute(&u, "u", &tt);
	NEAR(node(&u, "s")->change, 0);
	NEAR(node(&u, "s/x")->contribution, 2);
	NEAR(node(&u, "s/y")->contribution, -2);
	assert_true(isnan(driver(&u, "x")->share));
	release(&u);
}

static void test_links(void **state)
{
	(void)state;
	/* children: links are shown with values, never attributed; a link
	 * back up the path is drawn once and not expanded. */
	evaluated e = {
	    .ws = load(HEAD "  - {id: r, type: formula, expr: \"a + b\"}\n"
	                    "trees:\n"
	                    "  - id: t\n"
	                    "    root: r\n"
	                    "    children: {a: [x, y], x: [a, r], b: [a]}\n")};
	const char *ids[] = {"a", "b", "x", "y"};
	double from[] = {1, 1, 1, 1}, to[] = {2, 4, 3, 5};
	table t = {.ids = ids, .from = from, .to = to, .n = 4};
	attribute(&e, "t", &t);
	const okra_tree_node *x = node(&e, "r/a/x");
	assert_true(x->is_link);
	assert_false(x->attributed);
	NEAR(x->change, 2);
	assert_true(node(&e, "r/a/x/a")->is_repeat);
	assert_true(node(&e, "r/a/x/r")->is_repeat);
	/* a is still a driver (its links are not inputs). */
	NEAR(driver(&e, "a")->contribution, 1);
	NEAR(driver(&e, "b")->contribution, 3);
	assert_int_equal(e.n_drivers, 2);
	release(&e);
}

static void test_too_many_inputs(void **state)
{
	(void)state;
	/* 13 distinct inputs: the tree refuses to split (2^13 coalitions).
	 * The formula is built by hand: the loader may refuse it first. */
	okra_arena a = {0};
	okra_expr *leaf[13], *sum = NULL;
	for (int i = 0; i < 13; i++) {
		leaf[i] = okra__arena_alloc(&a, sizeof(okra_expr));
		assert_non_null(leaf[i]);
		leaf[i]->kind = OKRA_EXPR_METRIC;
		leaf[i]->metric = i;
		if (!sum) {
			sum = leaf[i];
			continue;
		}
		okra_expr *add = okra__arena_alloc(&a, sizeof(okra_expr));
		add->args = okra__arena_alloc(&a, 2 * sizeof(okra_expr *));
		assert_non_null(add->args);
		add->kind = OKRA_EXPR_ADD;
		add->args[0] = sum;
		add->args[1] = leaf[i];
		add->n_args = 2;
		sum = add;
	}
	okra_metric m = {.id = "r",
	                 .type = OKRA_METRIC_FORMULA,
	                 .expr = sum,
	                 .expr_pos = {"okra.yaml", 16, 40}};
	int inputs[OKRA_MAX_TREE_INPUTS + 1];
	size_t n = 0;
	okra_err err = {0};
	assert_int_equal(okra__tree_inputs(&m, inputs, &n, &err),
	                 OKRA_ERR_CONFIG);
	assert_string_equal(err.msg,
	                    "formula metric \"r\" reads 13 distinct metrics; a "
	                    "KPI tree splits a change among at most 12 (split "
	                    "the formula into formula metrics)");
	assert_int_equal(err.line, 16);
	/* Twelve are fine. */
	m.expr = sum->args[0];
	assert_int_equal(okra__tree_inputs(&m, inputs, &n, &err), OKRA_OK);
	assert_int_equal(n, 12);
	okra__arena_free(&a);
}

/* ---- segments, by hand -------------------------------------------------- */

static void test_segment_additive(void **state)
{
	(void)state;
	double from[] = {10, 20, 0}, to[] = {15, 12, 3}, c[3];
	okra__segment_split(OKRA_CAP_ADDITIVE, 3, from, to, NULL, NULL, NULL,
	                    NULL, c);
	NEAR(c[0], 5);
	NEAR(c[1], -8);
	NEAR(c[2], 3);
}

static void test_segment_rate_mix(void **state)
{
	(void)state;
	/* Two segments: A 20 of 100 -> 30 of 100, B 30 of 50 -> 60 of 150.
	 * r: 50/150 -> 90/250, so r1 = 1/3, r2 = 0.36, mean 0.346667.
	 * w_A: 2/3 -> 0.4, r_A 0.2 -> 0.3; w_B: 1/3 -> 0.6, r_B 0.6 -> 0.4.
	 * A: (2/3 + 0.4)/2 * 0.1 + (0.4 - 2/3) * (0.25 - 0.346667)
	 * B: (1/3 + 0.6)/2 * -0.2 + (0.6 - 1/3) * (0.5 - 0.346667) */
	double nf[] = {20, 30}, df[] = {100, 50}, nt[] = {30, 60},
	       dt[] = {100, 150}, v0[] = {0.2, 0.6}, v1[] = {0.3, 0.4}, c[2];
	okra__segment_split(OKRA_CAP_SHARE, 2, v0, v1, nf, df, nt, dt, c);
	double rbar = (1.0 / 3 + 0.36) / 2;
	double a = (2.0 / 3 + 0.4) / 2 * 0.1 + (0.4 - 2.0 / 3) * (0.25 - rbar);
	double b = (1.0 / 3 + 0.6) / 2 * -0.2 + (0.6 - 1.0 / 3) * (0.5 - rbar);
	NEAR(c[0], a);
	NEAR(c[1], b);
	NEAR(c[0] + c[1], 0.36 - 1.0 / 3);
	/* By hand: A = 0.05333333 + 0.02577778, B = -0.09333333 +
	 * 0.04088889. */
	NEAR(c[0], 0.0791111111111111);
	NEAR(c[1], -0.0524444444444444);
	/* A segment empty at the first date: all of it is mix. */
	double nf2[] = {20, 0}, df2[] = {100, 0}, nt2[] = {20, 10},
	       dt2[] = {100, 100};
	okra__segment_split(OKRA_CAP_SHARE, 2, v0, v1, nf2, df2, nt2, dt2, c);
	NEAR(c[0] + c[1], 30.0 / 200 - 0.2);
	/* A quantile or mean: no contribution. */
	okra__segment_split(OKRA_CAP_QUANTILE, 2, v0, v1, nf, df, nt, dt, c);
	assert_true(isnan(c[0]) && isnan(c[1]));
}

/* ---- properties over random trees -------------------------------------- */

static unsigned long long rng = 88172645463325252ULL;
static double uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / 9007199254740992.0;
}
static int pick(int n)
{
	return (int)(uniform() * n);
}

/* A random expression over the leaves l0..l7 and the formulas below
 * index k (f0..f{k-1}); divisions only by a positive leaf plus one. */
static void random_expr(okra_buf *b, int k, int depth)
{
	int what = depth > 2 ? 0 : pick(5);
	if (what == 0) {
		if (k > 0 && pick(3) == 0)
			okra__buf_printf(b, "f%d", pick(k));
		else
			okra__buf_printf(b, "l%d", pick(8));
		return;
	}
	static const char *const ops[] = {" + ", " - ", " * ", " / "};
	const char *op = ops[what - 1];
	okra__buf_putc(b, '(');
	random_expr(b, k, depth + 1);
	okra__buf_puts(b, op);
	if (what == 4)
		okra__buf_printf(b, "(l%d + 1)", pick(8));
	else
		random_expr(b, k, depth + 1);
	okra__buf_putc(b, ')');
}

static void test_property_sum(void **state)
{
	(void)state;
	for (int round = 0; round < 300; round++) {
		okra_buf y = {0};
		okra__buf_puts(&y, "workspace: t\nmetrics:\n");
		for (int i = 0; i < 8; i++)
			okra__buf_printf(
			    &y, "  - {id: l%d, type: count, event: e}\n", i);
		int nf = 1 + pick(5);
		for (int k = 0; k < nf; k++) {
			okra__buf_printf(
			    &y, "  - {id: f%d, type: formula, expr: \"", k);
			random_expr(&y, k, 0);
			okra__buf_puts(&y, "\"}\n");
		}
		okra__buf_printf(&y, "trees: [{id: t, root: f%d}]\n", nf - 1);
		evaluated e = {.ws = load(y.data)};
		const char *ids[8] = {"l0", "l1", "l2", "l3",
		                      "l4", "l5", "l6", "l7"};
		double from[8], to[8];
		for (int i = 0; i < 8; i++) {
			from[i] = 1 + 99 * uniform();
			to[i] = pick(4) ? 1 + 99 * uniform() : from[i];
		}
		table t = {.ids = ids, .from = from, .to = to, .n = 8};
		attribute(&e, "t", &t);
		const okra_tree_node *root = &e.nodes[0];
		assert_true(root->attributed);
		double sum = 0, scale = fabs(root->from) + fabs(root->to);
		for (size_t k = 0; k < e.n_drivers; k++) {
			sum += e.drivers[k].contribution;
			scale += fabs(e.drivers[k].contribution);
		}
		if (fabs(sum - root->change) > 1e-9 * scale)
			fail_msg("round %d: drivers add up to %.17g, the root "
			         "changed by %.17g\n%s",
			         round, sum, root->change, y.data);
		/* At every split node the inputs add up to its change. */
		for (size_t i = 0; i < e.n; i++) {
			if (!e.nodes[i].split)
				continue;
			double s = 0,
			       sc = fabs(e.nodes[i].from) + fabs(e.nodes[i].to);
			for (size_t j = i + 1; j < e.n; j++)
				if (e.nodes[j].parent == (int)i) {
					s += e.nodes[j].phi;
					sc += fabs(e.nodes[j].phi);
				}
			assert_true(fabs(s - e.nodes[i].change) <= 1e-9 * sc);
		}
		okra__buf_free(&y);
		release(&e);
	}
}

static void test_property_segments(void **state)
{
	(void)state;
	for (int round = 0; round < 1000; round++) {
		size_t n = 1 + (size_t)pick(8);
		double nf[8], df[8], nt[8], dt[8], v0[8], v1[8], c[8];
		double sn1 = 0, sd1 = 0, sn2 = 0, sd2 = 0, s0 = 0, s1 = 0;
		for (size_t s = 0; s < n; s++) {
			df[s] = pick(5) ? pick(200) : 0;
			dt[s] = pick(5) ? pick(200) : 0;
			nf[s] = df[s] ? pick((int)df[s] + 1) : 0;
			nt[s] = dt[s] ? pick((int)dt[s] + 1) : 0;
			v0[s] = df[s] ? nf[s] / df[s] : NAN;
			v1[s] = dt[s] ? nt[s] / dt[s] : NAN;
			sn1 += nf[s], sd1 += df[s], sn2 += nt[s], sd2 += dt[s];
		}
		if (!sd1 || !sd2)
			continue;
		okra__segment_split(OKRA_CAP_SHARE, n, v0, v1, nf, df, nt, dt,
		                    c);
		double sum = 0;
		for (size_t s = 0; s < n; s++)
			sum += c[s];
		double want = sn2 / sd2 - sn1 / sd1;
		if (fabs(sum - want) > 1e-12)
			fail_msg("round %d: segments add up to %.17g, the rate "
			         "changed by %.17g",
			         round, sum, want);
		/* Additive: the segments' own changes. */
		for (size_t s = 0; s < n; s++) {
			v0[s] = nf[s];
			v1[s] = nt[s];
			s0 += nf[s];
			s1 += nt[s];
		}
		okra__segment_split(OKRA_CAP_ADDITIVE, n, v0, v1, NULL, NULL,
		                    NULL, NULL, c);
		sum = 0;
		for (size_t s = 0; s < n; s++)
			sum += c[s];
		NEAR(sum, s1 - s0);
	}
}

static void test_property_order(void **state)
{
	(void)state;
	/* The same formulas with their inputs in another order: every
	 * metric's contribution is the same. */
	static const char *const pairs[][2] = {
	    {"a * b + c", "c + b * a"},
	    {"(a - b) / (c + 1)", "(-b + a) / (1 + c)"},
	    {"max(a, b) * c - a", "-a + c * max(b, a)"},
	    {"a * b * c * x * y", "y * x * c * b * a"},
	};
	for (size_t p = 0; p < OKRA_ARRAY_LEN(pairs); p++)
		for (int round = 0; round < 50; round++) {
			const char *ids[] = {"a", "b", "c", "x", "y"};
			double from[5], to[5];
			for (int i = 0; i < 5; i++) {
				from[i] = 1 + 9 * uniform();
				to[i] = 1 + 9 * uniform();
			}
			double got[2][5];
			for (int k = 0; k < 2; k++) {
				char yaml[1024];
				snprintf(yaml, sizeof(yaml),
				         HEAD "  - {id: r, type: formula, "
				              "expr: \"%s\"}\n"
				              "trees: [{id: t, root: r}]\n",
				         pairs[p][k]);
				evaluated e = {.ws = load(yaml)};
				table t = {
				    .ids = ids, .from = from, .to = to, .n = 5};
				attribute(&e, "t", &t);
				for (int i = 0; i < 5; i++) {
					got[k][i] = 0;
					for (size_t d = 0; d < e.n_drivers; d++)
						if (strcmp(e.ws->metrics
						               [e.drivers[d]
						                    .metric]
						                   .id,
						           ids[i]) == 0)
							got[k][i] =
							    e.drivers[d]
							        .contribution;
				}
				release(&e);
			}
			for (int i = 0; i < 5; i++)
				assert_float_equal(got[0][i], got[1][i],
				                   1e-9 *
				                       (1 + fabs(got[0][i])));
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_expr_eval),
	    cmocka_unit_test(test_sum),
	    cmocka_unit_test(test_product_two),
	    cmocka_unit_test(test_product_three),
	    cmocka_unit_test(test_ratio),
	    cmocka_unit_test(test_two_levels),
	    cmocka_unit_test(test_two_paths),
	    cmocka_unit_test(test_null_input),
	    cmocka_unit_test(test_division_mixed),
	    cmocka_unit_test(test_zero_change),
	    cmocka_unit_test(test_links),
	    cmocka_unit_test(test_too_many_inputs),
	    cmocka_unit_test(test_segment_additive),
	    cmocka_unit_test(test_segment_rate_mix),
	    cmocka_unit_test(test_property_sum),
	    cmocka_unit_test(test_property_segments),
	    cmocka_unit_test(test_property_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
