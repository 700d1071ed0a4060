/*
 * cache.c - the response cache of okra serve: finished libmicrohttpd
 * responses keyed by (workspace version, canonical request), so a page
 * view or an API call that was answered before costs a lookup.
 *
 * Bounded in entries and bytes; the least recently used entry goes
 * first.  A response is reference-counted by libmicrohttpd, so evicting
 * one that a connection is still sending is safe.  One mutex, held only
 * for the scan (a few hundred 64-bit compares).
 */
#include "server/server.h"

#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
	uint64_t hash; /* of version and key; 0 = empty slot */
	uint64_t version;
	char *key;
	struct MHD_Response *resp; /* the cache's reference */
	unsigned status;
	size_t bytes;
	unsigned long long used; /* LRU clock */
} entry;

struct okra__rcache {
	pthread_mutex_t lock;
	entry *slots;
	size_t cap, n, bytes, max_bytes;
	unsigned long long clock, hits, misses;
};

/* FNV-1a over the version and the key; never 0 (0 marks a free slot). */
static uint64_t hash_key(uint64_t version, const char *key)
{
	uint64_t h = 1469598103934665603ull;
	for (int i = 0; i < 8; i++) {
		h ^= (version >> (i * 8)) & 0xff;
		h *= 1099511628211ull;
	}
	for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
		h ^= *p;
		h *= 1099511628211ull;
	}
	return h ? h : 1;
}

okra__rcache *okra__rcache_new(size_t max_entries, size_t max_bytes)
{
	okra__rcache *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->slots = calloc(max_entries, sizeof(*c->slots));
	if (!c->slots || pthread_mutex_init(&c->lock, NULL) != 0) {
		free(c->slots);
		free(c);
		return NULL;
	}
	c->cap = max_entries;
	c->max_bytes = max_bytes;
	return c;
}

static void drop(okra__rcache *c, entry *e)
{
	MHD_destroy_response(e->resp);
	free(e->key);
	c->n--;
	c->bytes -= e->bytes;
	memset(e, 0, sizeof(*e));
}

void okra__rcache_free(okra__rcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->cap; i++)
		if (c->slots[i].hash)
			drop(c, &c->slots[i]);
	pthread_mutex_destroy(&c->lock);
	free(c->slots);
	free(c);
}

static entry *find(okra__rcache *c, uint64_t h, uint64_t version,
                   const char *key)
{
	for (size_t i = 0; i < c->cap; i++) {
		entry *e = &c->slots[i];
		if (e->hash == h && e->version == version &&
		    strcmp(e->key, key) == 0)
			return e;
	}
	return NULL;
}

int okra__rcache_queue(okra__rcache *c, uint64_t version, const char *key,
                       struct MHD_Connection *conn, unsigned *status)
{
	uint64_t h = hash_key(version, key);
	int queued = -1;
	pthread_mutex_lock(&c->lock);
	entry *e = find(c, h, version, key);
	if (e) {
		e->used = ++c->clock;
		/* Queued under the lock: the connection takes its reference
		 * before an eviction can drop the cache's. */
		queued =
		    MHD_queue_response(conn, e->status, e->resp) == MHD_YES;
		*status = e->status;
		c->hits++;
	} else {
		c->misses++;
	}
	pthread_mutex_unlock(&c->lock);
	return queued;
}

static entry *lru(okra__rcache *c)
{
	entry *old = NULL;
	for (size_t i = 0; i < c->cap; i++)
		if (c->slots[i].hash && (!old || c->slots[i].used < old->used))
			old = &c->slots[i];
	return old;
}

void okra__rcache_put(okra__rcache *c, uint64_t version, const char *key,
                      unsigned status, struct MHD_Response *resp, size_t bytes)
{
	uint64_t h = hash_key(version, key);
	char *copy = bytes <= c->max_bytes / 4 ? strdup(key) : NULL;
	if (!copy) {
		/* Too big to keep (one answer may not crowd out the rest) or
		 * out of memory: the cache's reference goes now. */
		MHD_destroy_response(resp);
		return;
	}
	pthread_mutex_lock(&c->lock);
	entry *e = find(c, h, version, key);
	if (e)
		drop(c, e); /* computed twice by a race: keep the newer */
	while (c->n && (c->n == c->cap || c->bytes + bytes > c->max_bytes))
		drop(c, lru(c));
	for (size_t i = 0; i < c->cap; i++)
		if (!c->slots[i].hash) {
			e = &c->slots[i];
			break;
		}
	*e = (entry){.hash = h,
	             .version = version,
	             .key = copy,
	             .resp = resp,
	             .status = status,
	             .bytes = bytes,
	             .used = ++c->clock};
	c->n++;
	c->bytes += bytes;
	pthread_mutex_unlock(&c->lock);
}

void okra__rcache_retain(okra__rcache *c, uint64_t version)
{
	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->cap; i++)
		if (c->slots[i].hash && c->slots[i].version != version)
			drop(c, &c->slots[i]);
	pthread_mutex_unlock(&c->lock);
}

void okra__rcache_stats(okra__rcache *c, size_t *entries, size_t *bytes,
                        unsigned long long *hits, unsigned long long *misses)
{
	pthread_mutex_lock(&c->lock);
	*entries = c->n;
	*bytes = c->bytes;
	*hits = c->hits;
	*misses = c->misses;
	pthread_mutex_unlock(&c->lock);
}
