/*
 * cache.h - the columnar cache file (engine/cache.c).  Internal.
 */
#ifndef OKRA_CACHE_H
#define OKRA_CACHE_H

#include "engine/data.h"

/* Writes d to path atomically, with the fingerprint of ws's data files.
 * d is spent: its columns' memory is given back as they are written, and
 * only okra__data_free may follow (reading d's scalars stays fine). */
okra_rc okra__cache_write(const okra_workspace *ws, okra_data *d,
                          const char *path, okra_err *err);

/* Maps the cache at path into out.  *fresh is false (and out empty) when
 * there is no usable cache, or, with check_fresh, when a data file or the
 * data settings changed since it was written. */
okra_rc okra__cache_load(const okra_workspace *ws, const char *path,
                         bool check_fresh, okra_data *out, bool *fresh,
                         okra_err *err);

/* Gives back the process's pages of [p, p + len) (whole pages, so also
 * a neighbour's first or last page) when they lie in d's cache mapping:
 * they are clean pages of a read-only file mapping, so the next read maps
 * them again from the page cache, and until then they do not count in the
 * process's resident memory.  Arrays outside the mapping (an in-memory
 * ingest's) are left alone. */
void okra__data_drop(const okra_data *d, const void *p, uint64_t len);

/* With OKRA_TRACE set: prints how many bytes of each cache section are
 * resident (mincore), to see what a command really touched. */
void okra__cache_residency(const okra_data *d, FILE *out);

#endif
