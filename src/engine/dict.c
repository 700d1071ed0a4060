/*
 * dict.c - string dictionaries: a growable builder for ingest and lookups
 * in finished (possibly memory-mapped) dictionaries.
 *
 * Open addressing on a power-of-two table of code+1 (0 = empty), with the
 * 64-bit hash of each string kept so the table can grow without rehashing
 * the strings.  Codes are dense and assigned in first-seen order.
 */
#include "engine/data.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

uint64_t okra__hash_bytes(const char *s, size_t len)
{
	/* FNV-1a over 8-byte words with a final avalanche (murmur3 fmix). */
	uint64_t h = 0xcbf29ce484222325ULL ^ (uint64_t)len;
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0x100000001b3ULL;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* A slot holds the hash's high 32 bits and code + 1 (0 = empty), so a
 * probe compares hashes without touching the strings or another array. */
#define SLOT(h, code) (((h) >> 32) << 32 | ((uint64_t)(code) + 1))
#define SLOT_CODE(s)  ((uint32_t)(s)-1)
#define SLOT_HASH(s)  ((s) >> 32)

void *okra__hugepages(void *p, size_t bytes)
{
	if (p && bytes >= ((size_t)4 << 20)) {
		uintptr_t lo = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
		uintptr_t hi = ((uintptr_t)p + bytes) & ~(uintptr_t)4095;
		if (hi > lo)
			madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
	}
	return p;
}

/* A table of n_slots zeroed slots.  A big one gets transparent huge
 * pages: its inserts touch it at random, and each 4 KiB page would
 * fault twice (read, then written). */
static uint64_t *new_slots(uint32_t n_slots)
{
	return okra__hugepages(calloc(n_slots, sizeof(uint64_t)),
	                       (size_t)n_slots * sizeof(uint64_t));
}

/* Rehashes the indexed codes into a table of n_slots (a power of two). */
static bool rehash(okra_dict_builder *b, uint32_t n_slots)
{
	uint64_t *slots = new_slots(n_slots);
	if (!slots)
		return false;
	for (uint32_t c = b->index_from; c < b->n; c++) {
		uint64_t h =
		    b->hashes ? b->hashes[c]
		              : okra__hash_bytes(b->pool + b->off[c],
		                                 b->off[c + 1] - b->off[c] - 1);
		uint32_t i = (uint32_t)h & (n_slots - 1);
		while (slots[i])
			i = (i + 1) & (n_slots - 1);
		slots[i] = SLOT(h, c);
	}
	free(b->slots);
	b->slots = slots;
	b->n_slots = n_slots;
	return true;
}

static bool grow_slots(okra_dict_builder *b)
{
	return rehash(b, b->n_slots ? b->n_slots * 2 : 1024);
}

/* Grows the code arrays to hold cap codes. */
static bool grow_codes(okra_dict_builder *b, uint32_t cap)
{
	uint64_t *off = realloc(b->off, (size_t)cap * sizeof(*off));
	if (!off)
		return false;
	b->off = off;
	if (!b->no_hashes) {
		uint64_t *hashes =
		    realloc(b->hashes, (size_t)cap * sizeof(*hashes));
		if (!hashes)
			return false;
		b->hashes = hashes;
	}
	b->cap = cap;
	if (b->n == 0)
		b->off[0] = 0;
	return true;
}

bool okra__dictb_reserve(okra_dict_builder *b, uint64_t n, uint64_t bytes)
{
	if (b->failed)
		return false;
	uint64_t want = (uint64_t)b->n - b->index_from + n;
	if (want * 2 > b->n_slots && want <= UINT32_MAX / 4) {
		uint32_t n_slots = b->n_slots ? b->n_slots : 1024;
		while ((uint64_t)n_slots < want * 2)
			n_slots *= 2;
		if (!rehash(b, n_slots))
			return false;
	}
	if ((uint64_t)b->n + n + 2 > b->cap &&
	    (uint64_t)b->n + n + 2 < UINT32_MAX &&
	    !grow_codes(b, (uint32_t)(b->n + n + 2)))
		return false;
	if (b->pool_len + bytes > b->pool_cap) {
		char *pool = realloc(b->pool, b->pool_len + bytes);
		if (!pool)
			return false;
		b->pool = pool;
		b->pool_cap = b->pool_len + bytes;
	}
	return true;
}

static uint32_t find(const okra_dict_builder *b, const char *s, size_t len,
                     uint64_t h, uint32_t *slot)
{
	if (!b->n_slots)
		return OKRA_NONE;
	uint32_t i = (uint32_t)h & (b->n_slots - 1);
	uint64_t want = h >> 32;
	while (b->slots[i]) {
		uint64_t sl = b->slots[i];
		if (SLOT_HASH(sl) == want) {
			uint32_t c = SLOT_CODE(sl);
			if (b->off[c + 1] - b->off[c] - 1 == len &&
			    memcmp(b->pool + b->off[c], s, len) == 0)
				return c;
		}
		i = (i + 1) & (b->n_slots - 1);
	}
	if (slot)
		*slot = i;
	return OKRA_NONE;
}

void okra__dictb_prefetch(const okra_dict_builder *b, const char *s, size_t len)
{
	if (b->n_slots)
		__builtin_prefetch(
		    &b->slots[(uint32_t)okra__hash_bytes(s, len) &
		              (b->n_slots - 1)]);
}

uint32_t okra__dictb_find(const okra_dict_builder *b, const char *s, size_t len)
{
	return find(b, s, len, okra__hash_bytes(s, len), NULL);
}

uint32_t okra__dictb_intern(okra_dict_builder *b, const char *s, size_t len)
{
	if (b->failed)
		return OKRA_NONE;
	uint64_t h = okra__hash_bytes(s, len);
	uint32_t slot = 0;
	uint32_t c = find(b, s, len, h, &slot);
	if (c != OKRA_NONE)
		return c;
	if (b->n == UINT32_MAX - 1)
		goto fail;
	/* Keep the load factor under 1/2. */
	if ((uint64_t)(b->n - b->index_from + 1) * 2 > b->n_slots) {
		if (!grow_slots(b))
			goto fail;
		find(b, s, len, h, &slot);
	}
	if (b->n + 2 > b->cap && !grow_codes(b, b->cap ? b->cap * 2 : 256))
		goto fail;
	if (b->pool_len + len + 1 > b->pool_cap) {
		uint64_t cap = b->pool_cap ? b->pool_cap : 4096;
		while (cap < b->pool_len + len + 1)
			cap *= 2;
		char *pool = realloc(b->pool, cap);
		if (!pool)
			goto fail;
		b->pool = pool;
		b->pool_cap = cap;
	}
	memcpy(b->pool + b->pool_len, s, len);
	b->pool[b->pool_len + len] = '\0';
	b->pool_len += len + 1;
	c = b->n++;
	b->off[c + 1] = b->pool_len;
	if (b->hashes)
		b->hashes[c] = h;
	b->slots[slot] = SLOT(h, c);
	return c;
fail:
	b->failed = true;
	return OKRA_NONE;
}

void okra__dictb_shed(okra_dict_builder *b)
{
	free(b->hashes);
	b->hashes = NULL;
	b->no_hashes = true;
}

void okra__dictb_unindex(okra_dict_builder *b)
{
	free(b->slots);
	b->slots = NULL;
	b->n_slots = 0;
	b->index_from = b->n;
}

void okra__dictb_free(okra_dict_builder *b)
{
	free(b->pool);
	free(b->off);
	free(b->slots);
	free(b->hashes);
	memset(b, 0, sizeof(*b));
}

uint32_t okra__dict_find(okra_dict *d, okra_arena *a, const char *s, size_t len)
{
	if (!d->n)
		return OKRA_NONE;
	if (!d->slots) {
		uint32_t n_slots = 16;
		while (n_slots < d->n * 2u)
			n_slots *= 2;
		uint32_t *slots =
		    okra__arena_alloc(a, (size_t)n_slots * sizeof(*slots));
		if (!slots)
			return OKRA_NONE;
		for (uint32_t c = 0; c < d->n; c++) {
			const char *str = d->pool + d->off[c];
			uint64_t h = okra__hash_bytes(str, d->off[c + 1] -
			                                       d->off[c] - 1);
			uint32_t i = (uint32_t)h & (n_slots - 1);
			while (slots[i])
				i = (i + 1) & (n_slots - 1);
			slots[i] = c + 1;
		}
		d->slots = slots;
		d->n_slots = n_slots;
	}
	uint64_t h = okra__hash_bytes(s, len);
	uint32_t i = (uint32_t)h & (d->n_slots - 1);
	while (d->slots[i]) {
		uint32_t c = d->slots[i] - 1;
		if (d->off[c + 1] - d->off[c] - 1 == len &&
		    memcmp(d->pool + d->off[c], s, len) == 0)
			return c;
		i = (i + 1) & (d->n_slots - 1);
	}
	return OKRA_NONE;
}
