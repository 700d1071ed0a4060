/*
 * tree.h - KPI trees: every node's value at two dates and the exact
 * attribution of the root's change to the leaves (okr/tree.c).
 *
 * The arithmetic is pure functions over values that a callback supplies
 * (okra__shapley, okra__tree_build, okra__tree_attribute,
 * okra__tree_drivers, okra__segment_split), so the property tests call
 * them on random trees without data; okra_tree_eval feeds them from one
 * engine evaluation.  The renderers (render/tree.c) only read the
 * okra_attribution this builds.  NaN is null everywhere.
 */
#ifndef OKRA_TREE_H
#define OKRA_TREE_H

#include "okra_int.h"

/* One node: a metric at one place in the tree.  Nodes are in depth-first
 * order, children in the order of their parent's formula (then its
 * children: links), so a parent always comes before its children. */
typedef struct okra_tree_node {
	int metric;      /* index into ws->metrics */
	int parent;      /* node index; -1 for the root */
	int depth;       /* 0 for the root */
	bool is_link;    /* a children: link, not an input of the parent's
	                    formula: shown, never attributed */
	bool is_repeat;  /* its metric is already above it on its path (a
	                    cycle of links): not expanded */
	bool is_formula; /* a formula or ratio whose inputs are children */
	double from, to, change; /* change = to - from; NaN when either is */
	double phi;              /* its Shapley value in the parent's formula */
	double contribution;     /* to the root's change; NaN: not attributed */
	bool attributed;
	bool split; /* its change is split among its inputs */
	/* Why it has no value, or why its change is not split among its
	 * inputs (own_reason), or why it is not attributed (inherited from
	 * the node above, or a link); NULL when none applies. */
	const char *reason;
	bool own_reason;
} okra_tree_node;

/* A driver's change split by segment (--by). */
typedef struct okra_tree_segment {
	const char *attr, *value;
	double from, to, change;
	double contribution; /* to the driver's change; NaN: not additive
	                        and not a share (a quantile, a mean) */
	double n_from, n_to; /* the sample's denominator; NaN: none */
} okra_tree_segment;

/* A leaf of the attributed part of the tree, its paths summed. */
typedef struct okra_tree_driver {
	int metric;
	double contribution;     /* to the root's change, every path summed */
	double share;            /* contribution / root change; NaN when the
	                            root did not change */
	double from, to, change; /* the leaf's own values */
	size_t n_paths;
	okra_tree_segment *segments;
	size_t n_segments;
	const char *segments_note; /* why there is no split, or NULL */
} okra_tree_driver;

/* The public okra_attribution (okra.h). */
struct okra_attribution {
	const okra_workspace *ws;
	const okra_tree *tree;
	int root; /* metric */
	int32_t from, to;
	const okra_where *where; /* the pin, in arena */
	size_t n_where;
	const char *by; /* segment attribute of the drivers, or NULL */
	okra_tree_node *nodes;
	size_t n_nodes;
	okra_tree_driver *drivers; /* ranked by |contribution|, then id */
	size_t n_drivers;
	okra_arena arena;
};

/* ---- pure arithmetic -------------------------------------------------- */

/* The value of a formula node with the inputs in mask (bit i = input i)
 * at their second value and the others at their first. */
typedef double (*okra_coalition_fn)(unsigned mask, void *ctx);

/* Exact Shapley values of n inputs (n <= OKRA_MAX_TREE_INPUTS):
 * phi[i] = sum over S not holding i of |S|!(n-|S|-1)!/n! * (f(S+i) -
 * f(S)), which add up to f(all) - f(none).  False when f is null (NaN or
 * infinite) at some coalition: *bad is then the first such mask and phi
 * is untouched. */
bool okra__shapley(size_t n, okra_coalition_fn f, void *ctx, double *phi,
                   unsigned *bad);

/* The distinct metrics a formula or ratio reads, in the order of its
 * text; *n 0 for other types.  out holds OKRA_MAX_TREE_INPUTS + 1; more
 * distinct inputs than that are a config error naming the formula. */
okra_rc okra__tree_inputs(const okra_metric *m, int *out, size_t *n,
                          okra_err *err);

/* The nodes of tree t from metric root down (root is t's root, or a
 * metric inside it for the subtree below that metric): a formula's or
 * ratio's distinct inputs, recursively, then t's children: links of each
 * metric.  More than OKRA_MAX_TREE_NODES nodes is a config error.  The
 * nodes are allocated in a; values are NaN. */
okra_rc okra__tree_build(const okra_workspace *ws, const okra_tree *t, int root,
                         okra_arena *a, okra_tree_node **out, size_t *n,
                         okra_err *err);

/* A metric's value at the first (when = 0) or second (1) date. */
typedef double (*okra_tree_value_fn)(int metric, int when, void *ctx);

/* How reasons name the two dates and the pin ("2026-03-03",
 * "tier=enterprise" or NULL). */
typedef struct okra_tree_words {
	const char *from, *to;
	const char *pin;
} okra_tree_words;

/* Fills every node's values from value, then the Shapley values of each
 * formula node whose inputs all have values, the contributions to the
 * root (a child of the root gets its Shapley value; deeper, a node gets
 * its parent's contribution times its Shapley value over its parent's
 * change, 0 when that change is 0) and the reasons.  Strings in a. */
void okra__tree_attribute(const okra_workspace *ws, okra_tree_node *nodes,
                          size_t n, okra_tree_value_fn value, void *ctx,
                          const okra_tree_words *words, okra_arena *a);

/* The drivers: every attributed node whose change is not split further
 * (the root itself when its change is not split), one per metric with its
 * paths summed, ranked by |contribution| then id.  Allocated in a; false
 * when out of memory. */
bool okra__tree_drivers(const okra_workspace *ws, const okra_tree_node *nodes,
                        size_t n, okra_arena *a, okra_tree_driver **out,
                        size_t *n_out);

/* Splits a metric's change into its n segments (which partition its
 * population): for an additive metric (caps OKRA_CAP_ADDITIVE) each
 * segment's own change; for a share of a population (OKRA_CAP_SHARE,
 * num/den at each date) w_s = den_s / sum den, r_s = num_s / den_s and
 * contribution_s = mean(w_s) * change(r_s) + change(w_s) * (mean(r_s) -
 * mean(r)), which add up exactly to the change of r = sum num / sum den;
 * a segment empty at one date takes its rate at the other.  Anything
 * else, or a null input, gives NaN. */
void okra__segment_split(unsigned caps, size_t n, const double *from,
                         const double *to, const double *num_from,
                         const double *den_from, const double *num_to,
                         const double *den_to, double *contribution);

/* ---- evaluation (tree_eval.c) ---------------------------------------- */

/* Evaluates the subtree of tree t below metric root (t's root for the
 * whole tree) at from < to, for the command line's pins where (or, when
 * n_where is 0, the parsed pin, borrowed; a key result's where), with
 * each driver split by the segments of by (NULL: none), in one engine
 * evaluation.  Free with okra_tree_free. */
okra_rc okra__tree_eval_at(okra_engine *e, const okra_tree *t, int root,
                           int32_t from, int32_t to, const char *const *where,
                           size_t n_where, const okra_where *pin, size_t n_pin,
                           const char *by, okra_attribution **out,
                           okra_err *err);

/* The sentence of driver d as the text output and the weekly review
 * write it: "new_mrr added +12,300.00 of the +18,100.00 change in
 * net_new_mrr (68%); 71% of that came from tier=enterprise."  In a. */
const char *okra__tree_driver_sentence(const okra_attribution *at,
                                       const okra_tree_driver *d,
                                       okra_arena *a);

/* For the weekly review: the top driver of metric m's change over the
 * week to asof (the subtree below m in the first tree that holds m,
 * evaluated with a key result's pin), split by the first of m's segments
 * that the pin leaves free, in one sentence in a.  NULL when m is in no
 * tree, nothing moved, or the tree cannot be evaluated (the review goes
 * on without it). */
const char *okra__tree_kr_driver(okra_engine *e, const okra_metric *m,
                                 int32_t asof, const okra_where *pin,
                                 size_t n_pin, okra_arena *a);

/* A change in m's unit with its sign ("+12,300.00", "-3.2 pts"; no sign
 * when it reads as zero), as every tree output writes it. */
void okra__tree_signed(okra_buf *b, const okra_metric *m, double v);

/* The segment that explains most of driver d's change (the largest
 * contribution of the change's sign), or NULL. */
const okra_tree_segment *okra__tree_top_segment(const okra_tree_driver *d);

#endif
