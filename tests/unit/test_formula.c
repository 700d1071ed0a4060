/*
 * test_formula.c - unit tests of okra__formula_parse (model/formula.c).
 *
 * The AST is printed as an S-expression, "(+ a (* b c))", so each test
 * states the exact tree it expects: kinds, metric ids and numbers.  Errors
 * must come back as NULL with the byte offset of the offending character.
 */
/* cmocka.h needs these first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include "okra_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void sexpr(const okra_expr *e, okra_buf *b)
{
	static const char *const ops[] = {
	    [OKRA_EXPR_NEG] = "neg", [OKRA_EXPR_ADD] = "+",
	    [OKRA_EXPR_SUB] = "-",   [OKRA_EXPR_MUL] = "*",
	    [OKRA_EXPR_DIV] = "/",   [OKRA_EXPR_MIN] = "min",
	    [OKRA_EXPR_MAX] = "max", [OKRA_EXPR_ABS] = "abs",
	};
	switch (e->kind) {
	case OKRA_EXPR_NUMBER:
		assert_int_equal(e->n_args, 0);
		okra__buf_printf(b, "%g", e->number);
		return;
	case OKRA_EXPR_METRIC:
		assert_int_equal(e->n_args, 0);
		assert_non_null(e->metric_id);
		assert_int_equal(e->metric, -1); /* resolved later by check.c */
		okra__buf_puts(b, e->metric_id);
		return;
	default:
		break;
	}
	assert_true((size_t)e->kind < OKRA_ARRAY_LEN(ops) && ops[e->kind]);
	okra__buf_printf(b, "(%s", ops[e->kind]);
	for (size_t i = 0; i < e->n_args; i++) {
		okra__buf_putc(b, ' ');
		sexpr(e->args[i], b);
	}
	okra__buf_putc(b, ')');
}

/* Parses text and compares its tree with want. */
static void expect_tree(const char *text, const char *want)
{
	okra_arena a = {0};
	int off = -1;
	char msg[256] = "";
	okra_expr *e = okra__formula_parse(&a, text, &off, msg, sizeof(msg));
	if (!e)
		fail_msg("\"%s\" failed at offset %d: %s", text, off, msg);
	okra_buf b = {0};
	sexpr(e, &b);
	if (strcmp(b.data, want) != 0)
		fail_msg("\"%s\" parsed as %s, expected %s", text, b.data,
		         want);
	okra__buf_free(&b);
	okra__arena_free(&a);
}

/* Parses text, which must fail at offset with a message containing part. */
static void expect_error(const char *text, int offset, const char *part)
{
	okra_arena a = {0};
	int off = -1;
	char msg[256] = "";
	okra_expr *e = okra__formula_parse(&a, text, &off, msg, sizeof(msg));
	if (e) {
		okra_buf b = {0};
		sexpr(e, &b);
		fail_msg("\"%s\" parsed as %s, expected an error", text,
		         b.data);
	}
	if (off != offset)
		fail_msg("\"%s\": error at offset %d (%s), expected %d", text,
		         off, msg, offset);
	if (!strstr(msg, part))
		fail_msg("\"%s\": message \"%s\" does not say \"%s\"", text,
		         msg, part);
	okra__arena_free(&a);
}

static okra_expr *parse(okra_arena *a, const char *text)
{
	int off = -1;
	char msg[256] = "";
	okra_expr *e = okra__formula_parse(a, text, &off, msg, sizeof(msg));
	if (!e)
		fail_msg("\"%s\" failed at offset %d: %s", text, off, msg);
	return e;
}

static void test_precedence(void **state)
{
	(void)state;
	expect_tree("a + b * c", "(+ a (* b c))");
	expect_tree("a * b + c", "(+ (* a b) c)");
	expect_tree("(a + b) * c", "(* (+ a b) c)");
	expect_tree("a * (b + c)", "(* a (+ b c))");
	expect_tree("-a * b", "(* (neg a) b)");
	expect_tree("a - -b", "(- a (neg b))");
	expect_tree("--a", "(neg (neg a))");
	expect_tree("-(a + b)", "(neg (+ a b))");
	expect_tree("a / b * c", "(* (/ a b) c)");
	expect_tree("a - b - c", "(- (- a b) c)"); /* left associative */
	expect_tree("a / b / c", "(/ (/ a b) c)");
	expect_tree("a - b + c", "(+ (- a b) c)");
	expect_tree("a + b / c - d", "(- (+ a (/ b c)) d)");
	expect_tree("new_mrr + expansion_mrr - churned_mrr",
	            "(- (+ new_mrr expansion_mrr) churned_mrr)");
	expect_tree("leads * conversion_rate", "(* leads conversion_rate)");
	expect_tree("existing_mrr * (1 - churn)",
	            "(* existing_mrr (- 1 churn))");
	expect_tree("((a))", "a");
}

static void test_whitespace(void **state)
{
	(void)state;
	expect_tree("a+b*c", "(+ a (* b c))");
	expect_tree("  a  +\tb\n* c  ", "(+ a (* b c))");
	expect_tree("\na\r\n", "a");
	expect_tree("min (a, b)", "(min a b)");
	expect_tree("max( a ,b )", "(max a b)");
}

static void test_functions(void **state)
{
	(void)state;
	expect_tree("min(a)", "(min a)");
	expect_tree("min(a, b)", "(min a b)");
	expect_tree("min(a, b, c)", "(min a b c)");
	expect_tree("max(a)", "(max a)");
	expect_tree("max(a, b)", "(max a b)");
	expect_tree("max(a, b, c)", "(max a b c)");
	expect_tree("abs(a)", "(abs a)");
	expect_tree("abs(a - b)", "(abs (- a b))");
	expect_tree("max(0, a - b) / abs(c)", "(/ (max 0 (- a b)) (abs c))");
	expect_tree("min(max(a, 1), 2)", "(min (max a 1) 2)");
	expect_tree("-abs(a)", "(neg (abs a))");
	/* A function name without a call is a metric id. */
	expect_tree("min + max", "(+ min max)");

	expect_error("abs(a, b)", 0, "abs takes one argument");
	expect_error("x + abs(a, b, c)", 4, "abs takes one argument");
	expect_error("abs()", 4, "expected");
	expect_error("min()", 4, "expected");
	expect_error("min(a,)", 6, "expected");
	expect_error("min(a b)", 6, "expected ',' or ')'");
	expect_error("min(a", 5, "expected ',' or ')'");
}

static void test_numbers(void **state)
{
	(void)state;
	expect_tree("1", "1");
	expect_tree("0.5", "0.5");
	expect_tree("1e3", "1000");
	expect_tree(".5", "0.5");
	expect_tree("2.", "2");
	expect_tree("1.5e-2", "0.015");
	expect_tree("12 * a", "(* 12 a)");
	expect_tree("a * 0.25 + 1E2", "(+ (* a 0.25) 100)");
	expect_tree("-1", "(neg 1)");

	okra_arena a = {0};
	okra_expr *e = parse(&a, "0.1");
	assert_int_equal(e->kind, OKRA_EXPR_NUMBER);
	assert_true(e->number == 0.1);
	e = parse(&a, "1e3");
	assert_true(e->number == 1000.0);
	e = parse(&a, "12");
	assert_true(e->number == 12.0);
	okra__arena_free(&a);

	expect_error("1x", 1, "invalid number");
	expect_error("0x10", 0, "invalid number");
	expect_error("1e", 1, "invalid number");
	expect_error("3_a", 1, "invalid number");
	expect_error("1e999", 0, "invalid number");
	expect_error(".", 0, "invalid number");
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("a +", 3, "unexpected end");
	expect_error("a b", 2, "expected an operator");
	expect_error("(a", 2, "expected ')'");
	expect_error("a)", 1, "unbalanced ')'");
	expect_error("(a))", 3, "unbalanced ')'");
	expect_error("foo(a)", 0, "unknown function");
	expect_error("a + sqrt(b)", 4, "unknown function");
	expect_error("", 0, "unexpected end");
	expect_error("  ", 2, "unexpected end");
	expect_error("a + * b", 4, "expected a metric id, a number or '('");
	expect_error("*a", 0, "expected a metric id");
	expect_error("a ^ b", 2, "expected an operator");
	expect_error("Signup", 0, "expected a metric id");
	expect_error("a + B", 4, "expected a metric id");
	expect_error("()", 1, "expected a metric id");
	expect_error("a,b", 1, "expected an operator");
	expect_error("(a + b) (c)", 8, "expected an operator");
	expect_error("a -", 3, "unexpected end");
	expect_error("-", 1, "unexpected end");
}

/* A message longer than the caller's buffer is cut, never overflowed. */
static void test_small_message_buffer(void **state)
{
	(void)state;
	okra_arena a = {0};
	int off = -1;
	char msg[8];
	memset(msg, 'x', sizeof(msg));
	assert_null(okra__formula_parse(&a, "foo(a)", &off, msg, 6));
	assert_int_equal(off, 0);
	assert_int_equal(strlen(msg), 5);
	assert_int_equal(msg[6], 'x');
	okra__arena_free(&a);
}

static char *repeat(const char *open, int n, const char *middle,
                    const char *close)
{
	size_t lo = strlen(open), lc = strlen(close), lm = strlen(middle);
	char *s = malloc((size_t)n * (lo + lc) + lm + 1);
	assert_non_null(s);
	char *p = s;
	for (int i = 0; i < n; i++, p += lo)
		memcpy(p, open, lo);
	memcpy(p, middle, lm);
	p += lm;
	for (int i = 0; i < n; i++, p += lc)
		memcpy(p, close, lc);
	*p = '\0';
	return s;
}

/* Deep nesting is user input: it must fail with a message, not overflow
 * the stack; moderate nesting must still parse. */
static void test_deep_nesting(void **state)
{
	(void)state;
	static const struct {
		const char *open, *middle, *close;
	} shapes[] = {
	    {"(", "a", ")"},    {"-", "a", ""},      {"min(", "a", ")"},
	    {"abs(", "a", ")"}, {"(a + ", "b", ")"}, {"max(1, ", "a", ")"},
	};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(shapes); i++) {
		static const int deep[] = {200, 10000};
		for (size_t k = 0; k < OKRA_ARRAY_LEN(deep); k++) {
			char *text = repeat(shapes[i].open, deep[k],
			                    shapes[i].middle, shapes[i].close);
			okra_arena a = {0};
			int off = -1;
			char msg[256] = "";
			okra_expr *e = okra__formula_parse(&a, text, &off, msg,
			                                   sizeof(msg));
			if (e)
				fail_msg("%d levels of \"%s\" parsed", deep[k],
				         shapes[i].open);
			assert_true(strstr(msg, "nested too deeply") != NULL);
			assert_in_range(off, 0, (int)strlen(text));
			okra__arena_free(&a);
			free(text);
		}
		char *text = repeat(shapes[i].open, 20, shapes[i].middle,
		                    shapes[i].close);
		okra_arena a = {0};
		assert_non_null(parse(&a, text));
		okra__arena_free(&a);
		free(text);
	}
	/* Long flat expressions are not nesting: as many terms as the
	 * limit allows parse, one more is an error at that term. */
	okra_buf b = {0};
	okra__buf_puts(&b, "a");
	for (int i = 1; i < OKRA_MAX_FORMULA_TERMS; i++)
		okra__buf_puts(&b, " + a");
	okra_arena a = {0};
	okra_expr *e = parse(&a, b.data);
	assert_int_equal(e->kind, OKRA_EXPR_ADD);
	okra__arena_free(&a);
	int at = (int)b.len + 3;
	okra__buf_puts(&b, " + 1");
	expect_error(b.data, at, "more than 256 terms");
	okra__buf_free(&b);
	/* Twelve distinct metrics are fine, a thirteenth is not. */
	expect_error("a+b+c+d+e+f+g+h+i+j+k+l+a*2+m", 28,
	             "more than 12 distinct metrics");
	okra_arena a2 = {0};
	assert_non_null(parse(&a2, "a+b+c+d+e+f+g+h+i+j+k+l+a*2"));
	okra__arena_free(&a2);
}

static void test_ast_shape(void **state)
{
	(void)state;
	okra_arena a = {0};
	okra_expr *e = parse(&a, "new_mrr + 2 * churn_d30");
	assert_int_equal(e->kind, OKRA_EXPR_ADD);
	assert_int_equal(e->n_args, 2);
	assert_int_equal(e->offset, 8);
	okra_expr *l = e->args[0], *r = e->args[1];
	assert_int_equal(l->kind, OKRA_EXPR_METRIC);
	assert_string_equal(l->metric_id, "new_mrr");
	assert_int_equal(l->metric, -1);
	assert_int_equal(l->offset, 0);
	assert_int_equal(r->kind, OKRA_EXPR_MUL);
	assert_int_equal(r->offset, 12);
	assert_int_equal(r->n_args, 2);
	assert_int_equal(r->args[0]->kind, OKRA_EXPR_NUMBER);
	assert_true(r->args[0]->number == 2.0);
	assert_int_equal(r->args[0]->offset, 10);
	assert_int_equal(r->args[1]->kind, OKRA_EXPR_METRIC);
	assert_string_equal(r->args[1]->metric_id, "churn_d30");
	assert_int_equal(r->args[1]->offset, 14);

	/* Offsets of functions and unary minus: where they start. */
	e = parse(&a, "  -max(a, 0.5)");
	assert_int_equal(e->kind, OKRA_EXPR_NEG);
	assert_int_equal(e->offset, 2);
	assert_int_equal(e->n_args, 1);
	okra_expr *m = e->args[0];
	assert_int_equal(m->kind, OKRA_EXPR_MAX);
	assert_int_equal(m->offset, 3);
	assert_int_equal(m->n_args, 2);
	assert_string_equal(m->args[0]->metric_id, "a");
	assert_int_equal(m->args[0]->offset, 7);
	assert_int_equal(m->args[1]->kind, OKRA_EXPR_NUMBER);
	assert_true(m->args[1]->number == 0.5);
	assert_int_equal(m->args[1]->offset, 10);

	/* Metric ids are copied: the text may go away. */
	char text[] = "signup_rate / visits";
	e = parse(&a, text);
	memset(text, '#', sizeof(text) - 1);
	assert_string_equal(e->args[0]->metric_id, "signup_rate");
	assert_string_equal(e->args[1]->metric_id, "visits");
	okra__arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_precedence),
	    cmocka_unit_test(test_whitespace),
	    cmocka_unit_test(test_functions),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_small_message_buffer),
	    cmocka_unit_test(test_deep_nesting),
	    cmocka_unit_test(test_ast_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
