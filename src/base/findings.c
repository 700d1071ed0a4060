/*
 * findings.c - the list of diagnostics that loading and linting produce.
 *
 * Findings own copies of their strings (in the list's arena), so they
 * outlive the workspace they talk about.  Order is made stable by
 * okra_findings_sort; printing lives in render/findings.c.
 */
#include "okra_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct okra_findings {
	okra_arena arena;
	okra_finding *items;
	size_t n, cap;
	size_t n_errors; /* kept so the error cap costs nothing per add */
	bool failed;
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

static void add_v(okra_findings *f, okra_severity sev, const char *rule,
                  okra_pos pos, const char *src, size_t src_len,
                  const char *hint, const char *fmt, va_list ap)
{
	if (!f || f->failed)
		return;
	if (sev == OKRA_ERROR && f->n_errors >= OKRA_MAX_ERRORS)
		return;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 32;
		okra_finding *p = realloc(f->items, cap * sizeof(*p));
		if (!p) {
			f->failed = true;
			return;
		}
		f->items = p;
		f->cap = cap;
	}
	char msg[2048];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	okra_finding *it = &f->items[f->n];
	it->severity = sev;
	it->rule = okra__arena_strdup(&f->arena, rule);
	it->file = okra__arena_strdup(&f->arena, pos.file ? pos.file : "");
	it->line = pos.line;
	it->col = pos.col;
	it->message = okra__arena_strdup(&f->arena, msg);
	it->hint = hint ? okra__arena_strdup(&f->arena, hint) : NULL;
	it->source_line =
	    src ? okra__arena_strndup(&f->arena, src, src_len) : NULL;
	if (f->arena.failed) {
		f->failed = true;
		return;
	}
	f->n++;
	f->n_errors += sev == OKRA_ERROR;
}

void okra__finding_add(okra_findings *f, const okra_workspace *ws,
                       okra_severity sev, const char *rule, okra_pos pos,
                       const char *hint, const char *fmt, ...)
{
	size_t len = 0;
	const char *src = ws && pos.file
	                      ? okra__source_line(ws, pos.file, pos.line, &len)
	                      : NULL;
	va_list ap;
	va_start(ap, fmt);
	add_v(f, sev, rule, pos, src, len, hint, fmt, ap);
	va_end(ap);
}
