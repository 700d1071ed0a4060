/*
 * findings.c - the list of diagnostics that loading and linting produce.
 *
 * Findings own copies of their strings (in the list's arena), so they
 * outlive the workspace they talk about; the caller hands over the source
 * line, this file knows nothing of the model.  Nothing is ever dropped: a
 * failed allocation marks the list failed (okra_findings_failed), and every
 * reader of a result checks that.  Order is made stable by
 * okra_findings_sort; printing lives in render/findings.c.
 */
#include "okra_int.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct okra_findings {
	okra_arena arena;
	okra_finding *items;
	size_t n, cap;
	bool failed; /* sticky: a finding could not be stored */
	/* Findings that lint: {disable: ...} or lint_ignore: kept out of
	 * the list, counted by okra_suppression. */
	size_t suppressed[2];
};

okra_findings *okra_findings_new(void)
{
	return calloc(1, sizeof(okra_findings));
}

void okra_findings_free(okra_findings *f)
{
	if (!f)
		return;
	okra__arena_free(&f->arena);
	free(f->items);
	free(f);
}

size_t okra_findings_count(const okra_findings *f)
{
	return f->n;
}

const okra_finding *okra_findings_get(const okra_findings *f, size_t i)
{
	return i < f->n ? &f->items[i] : NULL;
}

size_t okra_findings_count_severity(const okra_findings *f, okra_severity s)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += f->items[i].severity == s;
	return n;
}

size_t okra_findings_suppressed(const okra_findings *f, okra_suppression by)
{
	return (unsigned)by < 2 ? f->suppressed[by] : 0;
}

void okra__findings_suppress(okra_findings *f, okra_suppression by)
{
	if (f && (unsigned)by < 2)
		f->suppressed[by]++;
}

void okra__findings_add_suppressed(okra_findings *f, const okra_findings *src)
{
	if (!f || !src)
		return;
	f->suppressed[0] += src->suppressed[0];
	f->suppressed[1] += src->suppressed[1];
}

bool okra_findings_failed(const okra_findings *f)
{
	return f->failed;
}

static int cmp_finding(const void *pa, const void *pb)
{
	const okra_finding *a = pa, *b = pb;
	int c = strcmp(a->file ? a->file : "", b->file ? b->file : "");
	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->col != b->col)
		return a->col < b->col ? -1 : 1;
	c = strcmp(a->rule, b->rule);
	if (c)
		return c;
	return strcmp(a->message, b->message);
}

void okra_findings_sort(okra_findings *f)
{
	if (f->n > 1)
		qsort(f->items, f->n, sizeof(*f->items), cmp_finding);
}

#ifndef NDEBUG
/* Is rule in the catalogue, with sev among its severities?  A finding of
 * an unknown rule is a bug in okra, caught by the assert in debug builds
 * and by tests/unit/test_rules.c. */
static bool registered(const char *rule, okra_severity sev)
{
	const okra_rule *r = okra_rule_find(rule);
	return r && (r->severities & (1u << sev));
}
#endif

/* Appends a finding whose message msg already lives in f's arena (NULL
 * when formatting it failed). */
static void add_text(okra_findings *f, okra_severity sev, const char *rule,
                     okra_pos pos, const char *src, size_t src_len,
                     const char *hint, const char *msg)
{
	if (!msg)
		f->failed = true;
	if (f->failed)
		return;
	okra_finding *p = okra__grow(f->items, &f->cap, f->n, sizeof(*p), 32);
	if (!p) {
		f->failed = true;
		return;
	}
	f->items = p;
	okra_finding *it = &f->items[f->n];
	it->severity = sev;
	it->rule = okra__arena_strdup(&f->arena, rule);
	it->file = okra__arena_strdup(&f->arena, pos.file ? pos.file : "");
	it->line = pos.line;
	it->col = pos.col;
	it->message = msg;
	it->hint = hint ? okra__arena_strdup(&f->arena, hint) : NULL;
	it->source_line =
	    src ? okra__arena_strndup(&f->arena, src, src_len) : NULL;
	if (f->arena.failed) {
		f->failed = true;
		return;
	}
	f->n++;
}

/* The message, whole, in f's arena; NULL when out of memory. */
static const char *vformat(okra_findings *f, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	int len = vsnprintf(NULL, 0, fmt, ap);
	char *msg =
	    len >= 0 ? okra__arena_alloc(&f->arena, (size_t)len + 1) : NULL;
	if (msg)
		vsnprintf(msg, (size_t)len + 1, fmt, again);
	va_end(again);
	return msg;
}

void okra__findings_vadd(okra_findings *f, okra_severity sev, const char *rule,
                         okra_pos pos, const char *source_line,
                         size_t source_len, const char *hint, const char *fmt,
                         va_list ap)
{
	assert(registered(rule, sev));
	if (!f || f->failed)
		return;
	add_text(f, sev, rule, pos, source_line, source_len, hint,
	         vformat(f, fmt, ap));
}

void okra__findings_copy(okra_findings *f, const okra_finding *it)
{
	okra_pos pos = {.file = it->file, .line = it->line, .col = it->col};
	const char *src = it->source_line;
	assert(registered(it->rule, it->severity));
	if (!f || f->failed)
		return;
	add_text(f, it->severity, it->rule, pos, src, src ? strlen(src) : 0,
	         it->hint, okra__arena_strdup(&f->arena, it->message));
}
