/*
 * ingest.h - reading the data files into a dataset (engine/ingest*.c; the
 * events on worker threads) and the on-disk columnar cache
 * (engine/cache.c).  Internal to src/engine.
 */
#ifndef OKRA_INGEST_H
#define OKRA_INGEST_H

#include "engine/data.h"

#include <time.h>

typedef struct okra__ingest_opts {
	bool skip_bad_rows; /* reject bad rows instead of stopping */
	bool progress;      /* progress bar on stderr */
	int64_t now;        /* load time (microseconds): the future check */
} okra__ingest_opts;

typedef struct okra_ingest_result {
	okra_data data;
	okra_buf rejected[4]; /* CSV of rejected rows per table, may be empty */
	okra_ingest_stats stats;
} okra_ingest_result;

/* OKRA_TRACE=1: prints the time since *t0 for phase and resets *t0. */
void okra__ingest_trace(const char *phase, struct timespec *t0);

/* Reads every data table of ws.  On success res owns a dataset in memory
 * (free with okra__data_free(&res->data)) and the rejected-row buffers. */
okra_rc okra__ingest(const okra_workspace *ws, const okra__ingest_opts *opt,
                     okra_ingest_result *res, okra_err *err);

#endif
