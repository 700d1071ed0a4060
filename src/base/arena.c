/*
 * arena.c - bump allocator.
 *
 * One arena per workspace load: the model is built in it and freed with it
 * in one call.  Allocation failure is sticky (a->failed), so a phase checks
 * once at its end instead of after every call.  Memory is zeroed.
 */
#include "okra_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 65536
#define ARENA_ALIGN 16

struct okra__arena_block {
	okra__arena_block *next;
	size_t used, cap;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

void *okra__arena_alloc(okra_arena *a, size_t size)
{
	if (a->failed)
		return NULL;
	size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	okra__arena_block *b = a->head;
	if (!b || b->cap - b->used < size) {
		size_t cap = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
		b = malloc(sizeof(*b) + cap);
		if (!b) {
			a->failed = true;
			return NULL;
		}
		b->cap = cap;
		b->used = 0;
		/* A big dedicated block goes behind the head so the head's
		 * free space keeps serving small requests. */
		if (a->head && cap != ARENA_BLOCK) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	void *p = b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

char *okra__arena_strndup(okra_arena *a, const char *s, size_t len)
{
	char *p = okra__arena_alloc(a, len + 1);
	if (p)
		memcpy(p, s, len);
	return p;
}

char *okra__arena_strdup(okra_arena *a, const char *s)
{
	return s ? okra__arena_strndup(a, s, strlen(s)) : NULL;
}

char *okra__arena_printf(okra_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = okra__arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

char *okra__arena_take(okra_arena *a, okra_buf *b)
{
	char *s = NULL;
	if (b->failed)
		a->failed = true;
	else
		s = okra__arena_strndup(a, b->data ? b->data : "", b->len);
	okra__buf_free(b);
	return s;
}

void okra__arena_free(okra_arena *a)
{
	okra__arena_block *b = a->head;
	while (b) {
		okra__arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->failed = false;
}

/* The capacity after *cap, or 0 when n elements of size bytes would
 * overflow. */
static size_t next_cap(size_t cap, size_t size, size_t first)
{
	size_t c = cap ? cap * 2 : first;
	if (c < cap || c > SIZE_MAX / size)
		return 0;
	return c;
}

void *okra__grow(void *items, size_t *cap, size_t n, size_t size, size_t first)
{
	if (n < *cap)
		return items;
	size_t c = next_cap(*cap, size, first);
	void *p = c ? realloc(items, c * size) : NULL;
	if (!p)
		return NULL;
	memset((char *)p + *cap * size, 0, (c - *cap) * size);
	*cap = c;
	return p;
}

void *okra__arena_grow(okra_arena *a, void *items, size_t *cap, size_t n,
                       size_t size, size_t first)
{
	if (n < *cap)
		return items;
	size_t c = next_cap(*cap, size, first);
	void *p = c ? okra__arena_alloc(a, c * size) : NULL;
	if (!p) {
		a->failed = true;
		return NULL;
	}
	if (n)
		memcpy(p, items, n * size);
	*cap = c;
	return p;
}
