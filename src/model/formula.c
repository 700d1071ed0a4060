/*
 * formula.c - parses a formula metric's expr into a small AST.
 *
 *   expr  := term (('+' | '-') term)*
 *   term  := unary (('*' | '/') unary)*
 *   unary := '-' unary | atom
 *   atom  := number | metric_id | func '(' expr (',' expr)* ')' | '(' expr ')'
 *   func  := min | max (one or more arguments) | abs (one)
 *
 * Recursive descent, bounded (the input is user text): nesting, the
 * arguments of a call, the terms (numbers and metric ids) and the distinct
 * metrics of a formula have named limits (okra_limits.h), so the tree and
 * every walk over it stay small.  Metric ids are resolved later by
 * model/check.c; errors carry a byte offset.
 * okra__expr_eval is the one arithmetic of a formula, over values that a
 * callback supplies: the engine front derives formula metrics with it,
 * and the KPI trees evaluate a formula on mixed inputs (some at one date,
 * some at another) with it.
 */
#include "okra_int.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH  OKRA_MAX_FORMULA_DEPTH
#define MAX_ARGS   OKRA_MAX_FORMULA_ARGS
#define MAX_TERMS  OKRA_MAX_FORMULA_TERMS
#define MAX_INPUTS OKRA_MAX_FORMULA_INPUTS

typedef struct fparser {
	okra_arena *a;
	const char *text, *p;
	int depth;
	int n_terms;
	const char *inputs[MAX_INPUTS]; /* the distinct metric ids so far */
	size_t input_len[MAX_INPUTS];
	int n_inputs;
	char *errmsg;
	size_t cap;
	bool failed;
} fparser;

static okra_expr *fail(fparser *f, const char *fmt, const char *arg)
{
	if (!f->failed) {
		f->failed = true;
		snprintf(f->errmsg, f->cap, fmt, arg);
	}
	return NULL;
}

static void skip_space(fparser *f)
{
	while (*f->p == ' ' || *f->p == '\t' || *f->p == '\n' || *f->p == '\r')
		f->p++;
}

/* Counts a term (a number or a metric id starting at at, len bytes of
 * name for a metric) against the limits; NULL and the error when over. */
static bool count_term(fparser *f, const char *at, const char *name, size_t len)
{
	char msg[96];
	if (++f->n_terms > MAX_TERMS) {
		f->p = at;
		snprintf(msg, sizeof(msg),
		         "more than %d terms in one formula; split it into "
		         "formula metrics",
		         MAX_TERMS);
		fail(f, "%s", msg);
		return false;
	}
	if (!name)
		return true;
	for (int i = 0; i < f->n_inputs; i++)
		if (f->input_len[i] == len &&
		    memcmp(f->inputs[i], name, len) == 0)
			return true;
	if (f->n_inputs == MAX_INPUTS) {
		f->p = at;
		snprintf(msg, sizeof(msg),
		         "more than %d distinct metrics in one formula; split "
		         "it into formula metrics",
		         MAX_INPUTS);
		fail(f, "%s", msg);
		return false;
	}
	f->inputs[f->n_inputs] = name;
	f->input_len[f->n_inputs++] = len;
	return true;
}

static okra_expr *node(fparser *f, okra_expr_kind kind, const char *at)
{
	okra_expr *e = okra__arena_alloc(f->a, sizeof(*e));
	if (!e)
		return fail(f, "%s", "out of memory");
	e->kind = kind;
	e->metric = -1;
	e->offset = (int)(at - f->text);
	return e;
}

static okra_expr *binary(fparser *f, okra_expr_kind kind, const char *at,
                         okra_expr *l, okra_expr *r)
{
	okra_expr *e = node(f, kind, at);
	if (!e)
		return NULL;
	e->args = okra__arena_alloc(f->a, 2 * sizeof(*e->args));
	if (!e->args)
		return fail(f, "%s", "out of memory");
	e->args[0] = l;
	e->args[1] = r;
	e->n_args = 2;
	return e;
}

static okra_expr *parse_expr(fparser *f);

static okra_expr *parse_call(fparser *f, const char *name, size_t len,
                             const char *at)
{
	okra_expr_kind kind;
	if (len == 3 && memcmp(name, "min", 3) == 0)
		kind = OKRA_EXPR_MIN;
	else if (len == 3 && memcmp(name, "max", 3) == 0)
		kind = OKRA_EXPR_MAX;
	else if (len == 3 && memcmp(name, "abs", 3) == 0)
		kind = OKRA_EXPR_ABS;
	else {
		f->p = at;
		return fail(
		    f, "%s",
		    "unknown function; the functions are min, max and abs");
	}
	f->p++; /* '(' */
	okra_expr *args[MAX_ARGS];
	size_t n = 0;
	for (;;) {
		if (n == MAX_ARGS) {
			skip_space(f);
			char msg[64];
			snprintf(msg, sizeof(msg),
			         "more than %d arguments in one call",
			         MAX_ARGS);
			return fail(f, "%s", msg);
		}
		okra_expr *arg = parse_expr(f);
		if (!arg)
			return NULL;
		args[n++] = arg;
		skip_space(f);
		if (*f->p == ',') {
			f->p++;
			continue;
		}
		if (*f->p == ')') {
			f->p++;
			break;
		}
		return fail(f, "%s", "expected ',' or ')'");
	}
	if (kind == OKRA_EXPR_ABS && n != 1) {
		f->p = at;
		return fail(f, "%s", "abs takes one argument");
	}
	okra_expr *e = node(f, kind, at);
	if (!e)
		return NULL;
	e->args = okra__arena_alloc(f->a, n * sizeof(*e->args));
	if (!e->args)
		return fail(f, "%s", "out of memory");
	memcpy(e->args, args, n * sizeof(*args));
	e->n_args = n;
	return e;
}

static okra_expr *parse_atom(fparser *f)
{
	skip_space(f);
	const char *at = f->p;
	if (*f->p == '(') {
		f->p++;
		okra_expr *e = parse_expr(f);
		if (!e)
			return NULL;
		skip_space(f);
		if (*f->p != ')')
			return fail(f, "%s", "expected ')'");
		f->p++;
		return e;
	}
	if (isdigit((unsigned char)*f->p) || *f->p == '.') {
		char *end;
		double v = strtod(f->p, &end);
		if (end == f->p || !isfinite(v))
			return fail(f, "%s", "invalid number");
		/* Only plain decimals: no hex, no inf, no trailing letters. */
		for (const char *c = f->p; c < end; c++)
			if (!strchr("0123456789.eE+-", *c))
				return fail(f, "%s", "invalid number");
		f->p = end;
		if (isalpha((unsigned char)*f->p) || *f->p == '_')
			return fail(f, "%s", "invalid number");
		if (!count_term(f, at, NULL, 0))
			return NULL;
		okra_expr *e = node(f, OKRA_EXPR_NUMBER, at);
		if (e)
			e->number = v;
		return e;
	}
	if (*f->p >= 'a' && *f->p <= 'z') {
		const char *s = f->p;
		while ((*f->p >= 'a' && *f->p <= 'z') ||
		       (*f->p >= '0' && *f->p <= '9') || *f->p == '_')
			f->p++;
		size_t len = (size_t)(f->p - s);
		const char *after = f->p;
		skip_space(f);
		if (*f->p == '(')
			return parse_call(f, s, len, at);
		f->p = after;
		if (!count_term(f, at, s, len))
			return NULL;
		okra_expr *e = node(f, OKRA_EXPR_METRIC, at);
		if (!e)
			return NULL;
		e->metric_id = okra__arena_strndup(f->a, s, len);
		if (!e->metric_id)
			return fail(f, "%s", "out of memory");
		return e;
	}
	if (!*f->p)
		return fail(f, "%s", "unexpected end of formula");
	return fail(f, "%s", "expected a metric id, a number or '('");
}

static okra_expr *parse_unary(fparser *f)
{
	skip_space(f);
	if (*f->p == '-') {
		const char *at = f->p++;
		if (++f->depth > MAX_DEPTH)
			return fail(f, "%s", "formula nested too deeply");
		okra_expr *inner = parse_unary(f);
		f->depth--;
		if (!inner)
			return NULL;
		okra_expr *e = node(f, OKRA_EXPR_NEG, at);
		if (!e)
			return NULL;
		e->args = okra__arena_alloc(f->a, sizeof(*e->args));
		if (!e->args)
			return fail(f, "%s", "out of memory");
		e->args[0] = inner;
		e->n_args = 1;
		return e;
	}
	return parse_atom(f);
}

static okra_expr *parse_term(fparser *f)
{
	okra_expr *l = parse_unary(f);
	while (l) {
		skip_space(f);
		char op = *f->p;
		if (op != '*' && op != '/')
			break;
		const char *at = f->p++;
		okra_expr *r = parse_unary(f);
		if (!r)
			return NULL;
		l = binary(f, op == '*' ? OKRA_EXPR_MUL : OKRA_EXPR_DIV, at, l,
		           r);
	}
	return l;
}

static okra_expr *parse_expr(fparser *f)
{
	if (++f->depth > MAX_DEPTH)
		return fail(f, "%s", "formula nested too deeply");
	okra_expr *l = parse_term(f);
	while (l) {
		skip_space(f);
		char op = *f->p;
		if (op != '+' && op != '-')
			break;
		const char *at = f->p++;
		okra_expr *r = parse_term(f);
		if (!r)
			return NULL;
		l = binary(f, op == '+' ? OKRA_EXPR_ADD : OKRA_EXPR_SUB, at, l,
		           r);
	}
	f->depth--;
	return l;
}

okra_expr *okra__formula_parse(okra_arena *a, const char *text, int *err_offset,
                               char *errmsg, size_t cap)
{
	fparser f = {
	    .a = a, .text = text, .p = text, .errmsg = errmsg, .cap = cap};
	okra_expr *e = parse_expr(&f);
	if (e) {
		skip_space(&f);
		if (*f.p)
			e = fail(&f, "%s",
			         *f.p == ')' ? "unbalanced ')'"
			                     : "expected an operator");
	}
	if (!e)
		*err_offset = (int)(f.p - text);
	return e;
}

/* ---------------------------------------------------------------------
 * Evaluation
 * --------------------------------------------------------------------- */

double okra__expr_eval(const okra_expr *x, okra_expr_value_fn value, void *ctx)
{
	double a, b;
	switch (x->kind) {
	case OKRA_EXPR_NUMBER:
		return x->number;
	case OKRA_EXPR_METRIC:
		return value(x->metric, ctx);
	case OKRA_EXPR_NEG:
		return -okra__expr_eval(x->args[0], value, ctx);
	case OKRA_EXPR_ABS:
		return fabs(okra__expr_eval(x->args[0], value, ctx));
	case OKRA_EXPR_ADD:
	case OKRA_EXPR_SUB:
	case OKRA_EXPR_MUL:
	case OKRA_EXPR_DIV:
		a = okra__expr_eval(x->args[0], value, ctx);
		b = okra__expr_eval(x->args[1], value, ctx);
		if (x->kind == OKRA_EXPR_ADD)
			return a + b;
		if (x->kind == OKRA_EXPR_SUB)
			return a - b;
		if (x->kind == OKRA_EXPR_MUL)
			return a * b;
		return b == 0 ? NAN : a / b; /* division by 0 is null */
	case OKRA_EXPR_MIN:
	case OKRA_EXPR_MAX: {
		double v0 = okra__expr_eval(x->args[0], value, ctx);
		for (size_t i = 1; i < x->n_args; i++) {
			double v = okra__expr_eval(x->args[i], value, ctx);
			if (isnan(v) || isnan(v0))
				v0 = NAN;
			else if (x->kind == OKRA_EXPR_MIN ? v < v0 : v > v0)
				v0 = v;
		}
		return v0;
	}
	}
	return NAN;
}
