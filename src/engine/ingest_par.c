/*
 * ingest_par.c - reads the events table on worker threads, into parts.
 *
 * A part is a contiguous run of rows in file order, read by one thread
 * into its own columns and dictionaries (ids already known from the
 * accounts and users tables keep their global code), so nothing is shared
 * while reading.  A plain file is cut into byte ranges just after a
 * newline and every worker parses whole ranges itself (a clone of the
 * file's reader, pread); gzip and other streams are parsed here into
 * batches of rows that the workers turn into parts.  The merge then walks
 * the parts in file order: a range is kept only if the range before it
 * ended cleanly where it starts (a CSV cut inside a quoted field is read
 * again from the incomplete record), lines get the count of the ranges
 * before, new strings are interned as one thread would have met them, and
 * rejected rows and the first error come in file order.
 */
#include "engine/ingest_int.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define MAX_WORKERS 8
#define BATCH_ROWS  65536
#define BATCH_CHARS ((uint64_t)8 << 20)
#define RANGE_MIN                                                              \
	((uint64_t)1 << 20) /* smallest range (OKRA_INGEST_MIN_RANGE) */
#define RANGE_MAX  ((uint64_t)64 << 20)
#define CHECK_ROWS 4096 /* rows between progress updates */

enum { PART_QUEUED = 0, PART_DONE, PART_SKIPPED };

/* ======================================================================
 * The readers' side: files, batches, workers
 * ====================================================================== */

typedef struct batch_cell {
	uint32_t off, len; /* value in the batch's chars */
	uint32_t key;      /* properties: the name's code in par->keys */
	uint8_t type, role;
} batch_cell;

typedef struct batch_row {
	int64_t line;
	uint64_t cell0;
	uint32_t n_cells;
	uint32_t raw_off, raw_len; /* with skip_bad_rows only */
	uint32_t reason;           /* a bad row: the reason's offset */
} batch_row;

/* Rows of a stream copied by the reading thread (no per-row malloc). */
typedef struct ev_batch {
	batch_row *rows;
	uint32_t n_rows;
	VEC(batch_cell) cells;
	VEC(char) chars;
	bool busy; /* filled, or being filled */
} ev_batch;

typedef struct ev_file {
	char *display;         /* the name in messages */
	okra_read_sum sum;     /* a stream: what was read of it */
	bool has_sum;          /* ... once read to its end */
	okra_reader *reader;   /* splittable: the reader clones come from */
	okra_read_state first; /* ... where its first record starts */
	uint64_t size;
	uint64_t row_bytes;       /* bytes per row, from a sample */
	size_t first_part;        /* its first range part */
	size_t n_columns, n_keys; /* JSON keys the clones saw, summed */
	bool sequential;          /* too many JSON keys: one range */
} ev_file;

typedef struct ev_worker {
	struct ev_par *par;
	pthread_t thread;
	bool started;
	okra_reader *clone; /* reads ranges of clone_file */
	uint32_t clone_file;
	int8_t *col_role;      /* per column of clone: role, -1 unknown */
	uint32_t *col_prop;    /* ... the part's property, OKRA_NONE */
	uint16_t *fixed_props; /* ... the property columns (col_cap) */
	size_t col_cap;
	/* A plain CSV range: each row's cells are the header's columns in
	 * order, so the roles' cells are known by column (fix_columns). */
	bool fixed, fixed_tried;
	size_t fixed_n;        /* cells per row */
	int32_t fixed_role[4]; /* timestamp, event, account, user: -1 none */
	size_t n_fixed_props;
	u32_vec key_prop;             /* stream parts: key -> part's property */
	okra_dict_builder hint_names; /* values per row of each property in */
	VEC(double) hint;             /* the worker's last range part */
	uint64_t reported;            /* bytes of clone counted for progress */
	part_memo *memo;              /* recent id lookups (NULL: none) */
	double row_bytes;             /* bytes per row of its last part */
	okra_err err;
	double cpu;
} ev_worker;

typedef struct ev_par {
	ingest *ig;
	const role_map *roles;
	part_ctx ctx; /* what building parts reads */
	int n_workers;
	uint64_t min_range;

	pthread_mutex_t mu; /* guards the queue, batches, files */
	pthread_cond_t cv;
	ev_part **parts; /* the queue, in file order */
	size_t n_parts, cap_parts;
	size_t next; /* the next part a worker takes */
	size_t n_finished;
	bool closed;               /* no more parts will come */
	atomic_size_t stop;        /* lowest range part with an error */
	atomic_bool stream_failed; /* a stream part failed: read no further */
	ev_file *files;
	size_t n_files, cap_files;

	/* Streams: this thread fills batches from a reader. */
	ev_batch batches[2 * MAX_WORKERS];
	int n_batches;
	ev_batch *cur;
	ev_part *cur_part;
	bool ended; /* the reader stopped at a bad row */
	pthread_mutex_t keys_mu;
	okra_dict_builder keys; /* property names by key code */
	int8_t *col_role;       /* this thread's per column caches */
	uint32_t *col_key;
	size_t col_cap;

	atomic_uint_fast64_t bytes_done, rows_done; /* ranges, for progress */
	uint64_t bytes_total;

	ev_worker w[MAX_WORKERS];
	ev_worker main; /* the merge's own reading */
} ev_par;

/* ======================================================================
 * Ranges: a worker parses a byte range of a plain file
 * ====================================================================== */

/* The worker's role of a clone's column, and the part's property. */
static bool worker_cols(ev_worker *w, size_t column)
{
	if (column < w->col_cap)
		return true;
	size_t cap = w->col_cap ? w->col_cap * 2 : 64;
	while (cap <= column)
		cap *= 2;
	int8_t *roles = realloc(w->col_role, cap * sizeof(*roles));
	if (roles)
		w->col_role = roles;
	uint32_t *props =
	    roles ? realloc(w->col_prop, cap * sizeof(*props)) : NULL;
	if (props)
		w->col_prop = props;
	uint16_t *fixed =
	    props ? realloc(w->fixed_props, cap * sizeof(*fixed)) : NULL;
	if (!fixed)
		return false;
	w->fixed_props = fixed;
	for (size_t i = w->col_cap; i < cap; i++) {
		w->col_role[i] = -1;
		w->col_prop[i] = OKRA_NONE;
	}
	w->col_cap = cap;
	return true;
}

/* A property cell of the part's row r. */
static okra_rc range_prop(ev_worker *w, ev_part *p, uint32_t r,
                          const okra_cell *c)
{
	uint32_t prop = w->col_prop[c->column];
	if (prop == OKRA_NONE) {
		const char *name;
		size_t len;
		okra__ingest_prop_name(c->key, c->key_len, &name, &len);
		prop = w->col_prop[c->column] = okra__part_prop(p, name, len);
		if (prop == OKRA_NONE)
			return okra__part_nomem(p);
		/* Sized as in the last part, so it does not grow by
		 * copying (each copy faults in fresh memory). */
		uint32_t h = okra__dictb_find(&w->hint_names, name, len);
		if (h != OKRA_NONE && !p->props[prop].cap)
			p->props[prop].hint =
			    (uint64_t)(w->hint.v[h] * (double)p->cap * 1.05) +
			    64;
	}
	if (!okra__part_prop_add(p, prop, r, c->val, c->val_len))
		return okra__part_nomem(p);
	return OKRA_OK;
}

/* After a range's first row: a plain CSV file's rows have the header's
 * cells in its order, so the cells of the four roles and the properties'
 * are found once, by column. */
static void fix_columns(ev_worker *w, const okra_row *row)
{
	w->fixed = false;
	w->n_fixed_props = 0;
	if (okra__reader_format(w->clone) != OKRA_FILE_CSV ||
	    row->n_cells > UINT16_MAX)
		return;
	for (int k = 0; k < 4; k++)
		w->fixed_role[k] = -1;
	for (size_t i = 0; i < row->n_cells; i++) {
		const okra_cell *c = &row->cells[i];
		if (c->column != i || okra__reader_is_json(w->clone, i))
			return;
		int role = w->col_role[i];
		if (role >= ROLE_TS && role <= ROLE_USER)
			w->fixed_role[role - ROLE_TS] = (int32_t)i;
		else if (role == ROLE_PROP)
			w->fixed_props[w->n_fixed_props++] = (uint16_t)i;
	}
	w->fixed_n = row->n_cells;
	w->fixed = true;
}

/* One row of a range into the part. */
static okra_rc range_row(ev_worker *w, ev_part *p, const okra_row *row)
{
	const ev_par *par = w->par;
	const okra_cell *cells[4] = {NULL, NULL, NULL, NULL};
	bool fixed = w->fixed && row->n_cells == w->fixed_n;
	if (fixed) {
		for (int k = 0; k < 4; k++)
			if (w->fixed_role[k] >= 0)
				cells[k] = &row->cells[w->fixed_role[k]];
	} else {
		for (size_t i = 0; i < row->n_cells; i++) {
			const okra_cell *c = &row->cells[i];
			if (!worker_cols(w, c->column))
				return okra__part_nomem(p);
			int role = w->col_role[c->column];
			if (role < 0)
				role = w->col_role[c->column] =
				    (int8_t)okra__ingest_role_of(
				        par->roles, c->key, c->key_len);
			if (role >= ROLE_TS && role <= ROLE_USER)
				cells[role - ROLE_TS] = c;
		}
		if (!w->fixed_tried) {
			w->fixed_tried = true;
			fix_columns(w, row);
		}
	}
	bool kept;
	okra_rc rc = okra__part_row(&par->ctx, w->memo, p, row->line, cells,
	                            row->raw, row->raw_len, &kept);
	if (rc || !kept)
		return rc;
	uint32_t r = (uint32_t)(p->n - 1);
	if (fixed) {
		for (size_t j = 0; j < w->n_fixed_props; j++) {
			const okra_cell *c = &row->cells[w->fixed_props[j]];
			if (c->type != OKRA_CELL_ABSENT &&
			    (rc = range_prop(w, p, r, c)))
				return rc;
		}
		return OKRA_OK;
	}
	for (size_t i = 0; i < row->n_cells; i++) {
		const okra_cell *c = &row->cells[i];
		if (w->col_role[c->column] == ROLE_PROP &&
		    c->type != OKRA_CELL_ABSENT &&
		    (rc = range_prop(w, p, r, c)))
			return rc;
	}
	return OKRA_OK;
}

static void worker_close_clone(ev_worker *w)
{
	if (!w->clone)
		return;
	size_t cols, keys;
	okra__reader_keys(w->clone, &cols, &keys);
	ev_par *par = w->par;
	pthread_mutex_lock(&par->mu);
	par->files[w->clone_file].n_columns += cols;
	par->files[w->clone_file].n_keys += keys;
	pthread_mutex_unlock(&par->mu);
	okra__reader_close(w->clone);
	w->clone = NULL;
}

/* Keeps the values per row of each property of a part read whole. */
static void remember_props(ev_worker *w, const ev_part *p)
{
	if (p->rc || !p->n)
		return;
	for (uint32_t i = 0; i < p->n_props; i++) {
		const okra_dict_builder *pn = &p->prop_names;
		uint32_t h =
		    okra__dictb_intern(&w->hint_names, pn->pool + pn->off[i],
		                       pn->off[i + 1] - pn->off[i] - 1);
		bool ok = h != OKRA_NONE;
		while (ok && w->hint.n <= h)
			VPUSH(w->hint, 0.0, ok);
		if (ok)
			w->hint.v[h] = (double)p->props[i].n / (double)p->n;
	}
}

/* Gives back the memory past the rows of a part read whole (its arrays
 * were sized with room to spare, and a huge page is resident whole once
 * touched): the parts wait for the others whole. */
static void trim_part(ev_part *p)
{
	okra__ingest_drop(p->cols, p->cols_len, p->sec + p->n,
	                  (size_t)(p->cap - p->n) * 4);
	okra__ingest_drop(p->cols, p->cols_len, p->acct + p->n,
	                  (size_t)(p->cap - p->n) * 4);
	okra__ingest_drop(p->cols, p->cols_len, p->user + p->n,
	                  (size_t)(p->cap - p->n) * 4);
	okra__ingest_drop(p->cols, p->cols_len, p->name + p->n,
	                  (size_t)(p->cap - p->n) * 2);
	if (p->us)
		okra__ingest_drop(p->us, (size_t)p->cap * 4, p->us + p->n,
		                  (size_t)(p->cap - p->n) * 4);
	for (uint32_t i = 0; i < p->n_props; i++) {
		part_prop *lp = &p->props[i];
		size_t bytes =
		    okra__ingest_shrink(lp->v, lp->cap * sizeof(prop_val),
		                        lp->n * sizeof(prop_val));
		lp->cap = bytes / sizeof(prop_val);
		size_t mapped = okra__ingest_mapped(bytes);
		okra__ingest_drop(lp->v, bytes, lp->v + lp->n,
		                  mapped - lp->n * sizeof(prop_val));
	}
}

/* Reads the part's range.  A worker gives up a part past a failed one
 * (it cannot matter, unless the merge finds that failure was read from
 * a wrong start: then the merge reads the part itself). */
static void run_range(ev_worker *w, ev_part *p, size_t k, bool is_main)
{
	ev_par *par = w->par;
	ev_file *f = &par->files[p->file];
	okra_rc rc = OKRA_OK;
	if (w->clone && w->clone_file != p->file)
		worker_close_clone(w);
	if (!w->clone) {
		pthread_mutex_lock(&par->mu);
		rc = okra__reader_clone(f->reader, &w->clone, &w->err);
		pthread_mutex_unlock(&par->mu);
		w->clone_file = p->file;
	}
	if (rc == OKRA_OK)
		rc = okra__reader_seek(w->clone, &p->from, p->end, &w->err);
	if (rc == OKRA_OK)
		okra__reader_crc_from(w->clone, p->begin);
	if (rc) {
		p->rc = rc;
		p->err = w->err;
		p->state = PART_DONE;
		return;
	}
	okra_reader *r = w->clone;
	for (size_t i = 0; i < w->col_cap; i++) {
		w->col_role[i] = -1;
		w->col_prop[i] = OKRA_NONE;
	}
	w->fixed = w->fixed_tried = false;
	/* Rows by the bytes per row of the worker's last part (else of the
	 * file's first rows), with room to spare: growing copies them. */
	uint64_t bytes = p->end - p->from.offset;
	double row_bytes = w->row_bytes > 0 ? w->row_bytes
	                   : f->row_bytes   ? (double)f->row_bytes
	                                    : 64.0;
	if (!okra__part_reserve(
	        p, (uint64_t)((double)bytes / row_bytes * 1.08) + 256)) {
		okra__part_nomem(p);
		p->state = PART_DONE;
		return;
	}
	uint64_t done, total;
	okra__reader_progress(r, &done, &total);
	w->reported = done;
	for (uint64_t n = 1;; n++) {
		if (n % CHECK_ROWS == 0 && !is_main) {
			okra__reader_progress(r, &done, &total);
			atomic_fetch_add(&par->bytes_done, done - w->reported);
			atomic_fetch_add(&par->rows_done, CHECK_ROWS);
			w->reported = done;
			if (k > atomic_load_explicit(&par->stop,
			                             memory_order_relaxed)) {
				p->state = PART_SKIPPED;
				return;
			}
		}
		okra_row *row = NULL;
		rc = okra__reader_next(r, &row, &w->err);
		if (rc == OKRA_ERR_DATA && row) {
			if (okra__part_bad(&par->ctx, p, row->line, row->raw,
			                   row->raw_len, w->err.msg))
				break;
			continue;
		}
		if (rc) {
			p->rc = rc;
			p->err = w->err;
			p->err_line = 0;
			break;
		}
		if (!row) {
			p->clean = okra__reader_stop(r, &p->next);
			p->has_crc = okra__reader_range_crc(r, &p->crc);
			break;
		}
		if (range_row(w, p, row))
			break;
	}
	if (!p->rc)
		okra__part_flush(&par->ctx, p);
	if (!is_main) {
		okra__reader_progress(r, &done, &total);
		atomic_fetch_add(&par->bytes_done, done - w->reported);
		w->reported = done;
		remember_props(w, p);
		trim_part(p);
		if (!p->rc && p->n > 1024)
			w->row_bytes =
			    (double)(p->end - p->from.offset) / (double)p->n;
	}
	if (p->rc && !is_main) {
		size_t stop = atomic_load(&par->stop);
		while (k < stop &&
		       !atomic_compare_exchange_weak(&par->stop, &stop, k))
			;
	}
	p->state = PART_DONE;
}

/* ======================================================================
 * Streams: batches of rows from this thread, parts in the workers
 * ====================================================================== */

/* One batch into its part (the rows' lines are the file's). */
static void run_batch(ev_worker *w, ev_part *p)
{
	ev_par *par = w->par;
	ev_batch *b = p->batch;
	w->key_prop.n = 0;
	if (!okra__part_reserve(p, b->n_rows))
		okra__part_nomem(p);
	for (uint32_t i = 0; i < b->n_rows && !p->rc; i++) {
		const batch_row *br = &b->rows[i];
		const char *chars = b->chars.v;
		if (br->reason != OKRA_NONE) {
			okra__part_bad(&par->ctx, p, br->line,
			               chars + br->raw_off, br->raw_len,
			               chars + br->reason);
			continue;
		}
		const batch_cell *bc = b->cells.v + br->cell0;
		okra_cell tmp[4];
		const okra_cell *cells[4] = {NULL, NULL, NULL, NULL};
		for (uint32_t j = 0; j < br->n_cells; j++) {
			int role = bc[j].role;
			if (role < ROLE_TS || role > ROLE_USER)
				continue;
			okra_cell *c = &tmp[role - ROLE_TS];
			c->val = chars + bc[j].off;
			c->val_len = bc[j].len;
			c->type = bc[j].type;
			cells[role - ROLE_TS] = c;
		}
		bool kept;
		if (okra__part_row(&par->ctx, w->memo, p, br->line, cells,
		                   chars + br->raw_off, br->raw_len, &kept) ||
		    !kept)
			continue;
		uint32_t r = (uint32_t)(p->n - 1);
		for (uint32_t j = 0; j < br->n_cells && !p->rc; j++) {
			if (bc[j].role != ROLE_PROP)
				continue;
			uint32_t key = bc[j].key;
			bool ok = true;
			while (ok && w->key_prop.n <= key)
				VPUSH(w->key_prop, OKRA_NONE, ok);
			if (!ok) {
				okra__part_nomem(p);
				break;
			}
			uint32_t prop = w->key_prop.v[key];
			if (prop == OKRA_NONE) {
				pthread_mutex_lock(&par->keys_mu);
				const okra_dict_builder *kd = &par->keys;
				prop = okra__part_prop(
				    p, kd->pool + kd->off[key],
				    kd->off[key + 1] - kd->off[key] - 1);
				pthread_mutex_unlock(&par->keys_mu);
				w->key_prop.v[key] = prop;
			}
			if (prop == OKRA_NONE ||
			    !okra__part_prop_add(p, prop, r, chars + bc[j].off,
			                         bc[j].len))
				okra__part_nomem(p);
		}
	}
	if (!p->rc)
		okra__part_flush(&par->ctx, p);
	if (p->rc)
		atomic_store(&par->stream_failed, true);
	p->state = PART_DONE;
	pthread_mutex_lock(&par->mu);
	b->busy = false;
	p->batch = NULL;
	pthread_cond_broadcast(&par->cv);
	pthread_mutex_unlock(&par->mu);
}

static void *worker_main(void *arg)
{
	ev_worker *w = arg;
	ev_par *par = w->par;
	w->memo = okra__part_memo_new(); /* NULL: lookups go without */
	for (;;) {
		pthread_mutex_lock(&par->mu);
		while (par->next == par->n_parts && !par->closed)
			pthread_cond_wait(&par->cv, &par->mu);
		if (par->next == par->n_parts) {
			pthread_mutex_unlock(&par->mu);
			break;
		}
		size_t k = par->next++;
		ev_part *p = par->parts[k];
		pthread_mutex_unlock(&par->mu);
		if (p->batch)
			run_batch(w, p);
		else if (p->state == PART_QUEUED && k > atomic_load(&par->stop))
			p->state = PART_SKIPPED;
		else if (p->state == PART_QUEUED)
			run_range(w, p, k, false);
		pthread_mutex_lock(&par->mu);
		par->n_finished++;
		pthread_cond_broadcast(&par->cv);
		pthread_mutex_unlock(&par->mu);
	}
	worker_close_clone(w);
	w->cpu = okra__ingest_thread_cpu();
	return NULL;
}

/* Appends a part to the queue. */
static bool queue_part(ev_par *par, ev_part *p)
{
	bool ok = true;
	pthread_mutex_lock(&par->mu);
	if (par->n_parts == par->cap_parts) {
		size_t cap = par->cap_parts ? par->cap_parts * 2 : 64;
		ev_part **parts = realloc(par->parts, cap * sizeof(*parts));
		if (parts) {
			par->parts = parts;
			par->cap_parts = cap;
		} else {
			ok = false;
		}
	}
	if (ok)
		par->parts[par->n_parts++] = p;
	pthread_cond_broadcast(&par->cv);
	pthread_mutex_unlock(&par->mu);
	return ok;
}

/* An error of this thread (a file that cannot be opened or read), as a
 * part, so it comes after the rows before it in file order. */
static okra_rc queue_error(ev_par *par, const okra_err *err)
{
	ev_part *p = calloc(1, sizeof(*p));
	if (p) {
		p->rc = err->rc ? err->rc : OKRA_ERR_IO;
		p->err = *err;
		p->state = PART_DONE;
	}
	if (!p || !queue_part(par, p)) {
		free(p);
		return okra__ingest_nomem(par->ig->err);
	}
	return OKRA_OK;
}

/* Hands the batch being filled to the workers (queues its part). */
static bool stream_submit(ev_par *par)
{
	if (!par->cur)
		return true;
	ev_part *p = par->cur_part;
	ev_batch *b = par->cur;
	par->cur = NULL;
	par->cur_part = NULL;
	if (queue_part(par, p))
		return true;
	pthread_mutex_lock(&par->mu);
	b->busy = false;
	pthread_mutex_unlock(&par->mu);
	okra__part_free(p);
	return false;
}

/* The batch to fill (waits for a free one); NULL on no memory. */
static ev_batch *stream_batch(ev_par *par, uint32_t file)
{
	if (par->cur &&
	    (par->cur->n_rows == BATCH_ROWS ||
	     par->cur->chars.n >= BATCH_CHARS || par->cur_part->file != file) &&
	    !stream_submit(par))
		return NULL;
	if (par->cur)
		return par->cur;
	ev_batch *b = NULL;
	pthread_mutex_lock(&par->mu);
	for (;;) {
		for (int i = 0; i < par->n_batches && !b; i++)
			if (!par->batches[i].busy)
				b = &par->batches[i];
		if (b)
			break;
		pthread_cond_wait(&par->cv, &par->mu);
	}
	b->busy = true;
	pthread_mutex_unlock(&par->mu);
	if (!b->rows)
		b->rows = malloc(BATCH_ROWS * sizeof(*b->rows));
	ev_part *p = calloc(1, sizeof(*p));
	if (!b->rows || !p) {
		free(p);
		pthread_mutex_lock(&par->mu);
		b->busy = false;
		pthread_mutex_unlock(&par->mu);
		return NULL;
	}
	b->n_rows = 0;
	b->cells.n = 0;
	b->chars.n = 0;
	p->file = file;
	p->file_name = par->files[file].display;
	p->batch = b;
	par->cur = b;
	par->cur_part = p;
	return b;
}

/* Copies s (and a NUL) into the batch's chars; OKRA_NONE on failure. */
static uint32_t batch_put(ev_batch *b, const char *s, size_t len)
{
	if (b->chars.n + len + 1 > b->chars.cap &&
	    (!okra__ingest_grow((void **)&b->chars.v, &b->chars.cap,
	                        b->chars.n + len + 1, 1) ||
	     b->chars.n + len + 1 >= UINT32_MAX))
		return OKRA_NONE;
	uint32_t off = (uint32_t)b->chars.n;
	if (len)
		memcpy(b->chars.v + off, s, len);
	b->chars.v[off + len] = '\0';
	b->chars.n += len + 1;
	return off;
}

/* This thread's role and property key of a stream's column. */
static bool stream_cols(ev_par *par, size_t column)
{
	if (column < par->col_cap)
		return true;
	size_t cap = par->col_cap ? par->col_cap * 2 : 64;
	while (cap <= column)
		cap *= 2;
	int8_t *roles = realloc(par->col_role, cap * sizeof(*roles));
	if (roles)
		par->col_role = roles;
	uint32_t *keys =
	    roles ? realloc(par->col_key, cap * sizeof(*keys)) : NULL;
	if (!keys)
		return false;
	par->col_key = keys;
	for (size_t i = par->col_cap; i < cap; i++) {
		par->col_role[i] = -1;
		par->col_key[i] = OKRA_NONE;
	}
	par->col_cap = cap;
	return true;
}

/* Adds a row (or, with reason, a row the reader found malformed) to the
 * current batch. */
static okra_rc stream_row(ev_par *par, uint32_t file, const okra_row *row,
                          const char *reason)
{
	ingest *ig = par->ig;
	ev_batch *b = stream_batch(par, file);
	if (!b)
		return okra__ingest_nomem(ig->err);
	batch_row *br = &b->rows[b->n_rows];
	br->line = row->line;
	br->cell0 = b->cells.n;
	br->n_cells = 0;
	br->reason = OKRA_NONE;
	br->raw_off = 0;
	br->raw_len = 0;
	bool ok = true;
	if (reason)
		ok = (br->reason = batch_put(b, reason, strlen(reason))) !=
		     OKRA_NONE;
	if (ok && ig->opt.skip_bad_rows) {
		br->raw_len = row->raw ? (uint32_t)row->raw_len : 0;
		ok = (br->raw_off = batch_put(b, row->raw ? row->raw : "",
		                              br->raw_len)) != OKRA_NONE;
	}
	for (size_t i = 0; ok && !reason && i < row->n_cells; i++) {
		const okra_cell *c = &row->cells[i];
		if (!stream_cols(par, c->column)) {
			ok = false;
			break;
		}
		int role = par->col_role[c->column];
		if (role < 0)
			role = par->col_role[c->column] =
			    (int8_t)okra__ingest_role_of(par->roles, c->key,
			                                 c->key_len);
		uint32_t key = OKRA_NONE;
		if (role == ROLE_PROP) {
			if (c->type == OKRA_CELL_ABSENT)
				continue;
			key = par->col_key[c->column];
			if (key == OKRA_NONE) {
				const char *pname;
				size_t plen;
				okra__ingest_prop_name(c->key, c->key_len,
				                       &pname, &plen);
				pthread_mutex_lock(&par->keys_mu);
				key =
				    okra__dictb_intern(&par->keys, pname, plen);
				pthread_mutex_unlock(&par->keys_mu);
				if (key == OKRA_NONE) {
					ok = false;
					break;
				}
				par->col_key[c->column] = key;
			}
		} else if (role < ROLE_TS || role > ROLE_USER) {
			continue;
		}
		uint32_t off = batch_put(b, c->val, c->val_len);
		batch_cell bc = {.off = off,
		                 .len = c->val_len,
		                 .key = key,
		                 .type = c->type,
		                 .role = (uint8_t)role};
		if (off == OKRA_NONE)
			ok = false;
		else
			VPUSH(b->cells, bc, ok);
		br->n_cells++;
	}
	if (!ok)
		return okra__ingest_nomem(ig->err);
	b->n_rows++;
	return OKRA_OK;
}

/* ======================================================================
 * This thread: the files in turn
 * ====================================================================== */

/* A file of the table (the array was sized for all of them, so workers
 * may read it while files are added). */
static bool add_file(ev_par *par, const char *display, uint32_t *index)
{
	char *copy = strdup(display);
	if (!copy || par->n_files == par->cap_files) {
		free(copy);
		return false;
	}
	pthread_mutex_lock(&par->mu);
	*index = (uint32_t)par->n_files;
	par->files[par->n_files++] = (ev_file){.display = copy};
	pthread_mutex_unlock(&par->mu);
	return true;
}

/* Reads a stream's rows into batches for the workers. */
static okra_rc read_stream(ev_par *par, okra_reader *r, uint32_t file)
{
	ingest *ig = par->ig;
	okra_rc rc = OKRA_OK;
	okra_err err;
	uint64_t rows = 0;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		okra_row *row = NULL;
		rc = okra__reader_next(r, &row, &err);
		if (rc == OKRA_ERR_DATA && row) {
			/* In the batch, so it comes in file order; without
			 * skip_bad_rows it ends the load. */
			rc = stream_row(par, file, row, err.msg);
			if (!ig->opt.skip_bad_rows)
				par->ended = true;
			if (rc || par->ended)
				break;
			continue;
		}
		if (rc) {
			/* After the rows read before it. */
			rc = stream_submit(par) ? queue_error(par, &err)
			                        : okra__ingest_nomem(ig->err);
			par->ended = true;
			break;
		}
		if (!row)
			break;
		if ((rc = stream_row(par, file, row, NULL)))
			break;
		if ((++rows & 0xfffff) == 0) {
			uint64_t done, total;
			okra__reader_progress(r, &done, &total);
			okra__ingest_progress(ig, "events", done, total, rows,
			                      &t0);
		}
		/* A batch failed: the rest cannot matter. */
		if (atomic_load_explicit(&par->stream_failed,
		                         memory_order_relaxed)) {
			par->ended = true;
			break;
		}
	}
	if (!stream_submit(par) && !rc)
		rc = okra__ingest_nomem(ig->err);
	return rc;
}

/* Cuts a plain file into ranges just after newlines and queues them. */
static okra_rc queue_ranges(ev_par *par, uint32_t file)
{
	ingest *ig = par->ig;
	ev_file *f = &par->files[file];
	uint64_t data = f->size - f->first.offset;
	/* At least 4 ranges a worker, of about RANGE_MAX bytes, and a
	 * number of them that the workers share evenly: 9 ranges on 2
	 * workers left one reading the last range alone.  The multiple of
	 * the workers nearest to data / RANGE_MAX: one range more costs the
	 * unused tail of its arrays' last huge pages until the merge. */
	uint64_t workers = (uint64_t)par->n_workers;
	uint64_t per = RANGE_MAX * workers;
	uint64_t n = (data + per / 2) / per * workers;
	if (n < workers * 4)
		n = workers * 4;
	uint64_t size = (data + n - 1) / n;
	if (size < par->min_range)
		size = par->min_range;
	f->row_bytes = okra__reader_line_bytes(f->reader); /* sizes parts */
	f->first_part = par->n_parts;
	par->bytes_total += data;
	okra_read_state from = f->first;
	from.line = 1; /* each range counts its own lines */
	while (from.offset < f->size) {
		uint64_t end = f->size, cut = from.offset + size;
		if (cut < f->size) {
			okra_rc rc = okra__reader_line_start(f->reader, cut - 1,
			                                     &end, ig->err);
			if (rc)
				return rc;
		}
		ev_part *p = calloc(1, sizeof(*p));
		if (p) {
			p->file = file;
			p->file_name = f->display;
			p->is_range = true;
			p->begin = from.offset;
			p->from = from;
			p->end = end;
		}
		if (!p || !queue_part(par, p)) {
			free(p);
			return okra__ingest_nomem(ig->err);
		}
		from.offset = end;
	}
	return OKRA_OK;
}

/* ======================================================================
 * The merge, in file order
 * ====================================================================== */

/* Reads part p again here, from at (lines as in the file) to end. */
static void reparse(ev_par *par, ev_part *p, const okra_read_state *at,
                    uint64_t end)
{
	okra__part_clear(p);
	p->from = *at;
	p->end = end;
	run_range(&par->main, p, 0, true);
	p->line_base = 0;
}

/* What was read of each file, for the cache's fingerprint, in file
 * order: a stream's sum as its reader counted it; for a file read in
 * ranges, the crc32 of its header and then of its ranges in turn, up to
 * where its last range stopped (short of a half-written last line). */
static okra_rc file_sums(ev_par *par)
{
	ingest *ig = par->ig;
	for (size_t i = 0; i < par->n_files; i++) {
		const ev_file *f = &par->files[i];
		okra_read_sum sum = f->sum;
		if (f->reader) {
			sum = (okra_read_sum){.size = f->size};
			uint64_t size;
			okra__reader_stat(f->reader, &size, &sum.mtime);
			sum.changed = okra__reader_changed(f->reader);
			unsigned char head[4096];
			uLong crc = crc32(0L, Z_NULL, 0);
			bool ok = true;
			for (uint64_t at = 0; ok && at < f->first.offset;) {
				size_t want = sizeof(head);
				if (want > f->first.offset - at)
					want = (size_t)(f->first.offset - at);
				ok = okra__reader_pread(f->reader, head, want,
				                        at);
				crc = crc32(crc, head, (uInt)want);
				at += want;
			}
			for (size_t k = 0; ok && k < par->n_parts; k++) {
				const ev_part *p = par->parts[k];
				if (!p->is_range || p->file != i ||
				    (f->sequential && k != f->first_part))
					continue;
				uint64_t end = f->sequential ? f->size : p->end;
				ok = p->has_crc;
				crc = crc32_combine(crc, p->crc,
				                    (z_off_t)(end - p->begin));
				if (end == f->size && !p->clean) {
					/* It stopped before a last line
					 * without its newline. */
					sum.size = p->next.offset;
					sum.changed = true;
				}
			}
			sum.crc = (uint32_t)crc;
			sum.changed |= !ok;
		} else if (!f->has_sum) {
			continue;
		}
		if (!okra__ingest_add_sum(ig, f->display, &sum))
			return okra__ingest_nomem(ig->err);
	}
	return OKRA_OK;
}

/* A file merged whole: a column okra.yaml maps that none of its rows
 * had is an error. */
static okra_rc file_found(ev_par *par, size_t file, uint64_t seen,
                          const uint64_t present[4])
{
	if (file == SIZE_MAX)
		return OKRA_OK;
	return okra__ingest_check_found(par->ig, T_EVENTS,
	                                par->files[file].display, par->roles,
	                                seen, present, par->ig->err);
}

/* Walks the parts in file order.  A range counts only if the range
 * before it ended cleanly where it starts; else (a CSV cut inside a
 * quoted field, or a part given up) it is read again from where the one
 * before stopped. */
static okra_rc merge(ev_par *par)
{
	ingest *ig = par->ig;
	ev_set *ev = &ig->events;
	uint64_t n = 0;
	/* The file being merged: what its rows had, checked once its last
	 * part is in (an error part, of a file that could not be read, has
	 * no name and comes after the rows before it). */
	size_t file = SIZE_MAX;
	uint64_t seen = 0, present[4] = {0};
	for (size_t k = 0; k < par->n_parts; k++) {
		ev_part *p = par->parts[k];
		if (p->file_name && p->file != file) {
			okra_rc rc = file_found(par, file, seen, present);
			if (rc)
				return rc;
			file = p->file;
			seen = present[0] = present[1] = present[2] =
			    present[3] = 0;
		}
		if (p->is_range) {
			const ev_file *f = &par->files[p->file];
			if (f->sequential) {
				if (k == f->first_part)
					reparse(par, p, &f->first, f->size);
				else
					okra__part_clear(p);
			} else if (k == f->first_part) {
				if (p->state == PART_DONE)
					p->line_base = f->first.line - 1;
				else
					reparse(par, p, &f->first, p->end);
			} else {
				const ev_part *q = par->parts[k - 1];
				okra_read_state at = q->next;
				at.line += q->line_base;
				if (q->clean && p->state == PART_DONE &&
				    at.offset == p->from.offset)
					p->line_base = at.line - 1;
				else
					reparse(par, p, &at, p->end);
			}
		}
		okra_rc rc = okra__part_merge(par->ig, p, &n);
		if (rc)
			return rc;
		seen += p->n_seen;
		for (int i = 0; i < 4; i++)
			present[i] += p->n_present[i];
		if (p->n && (ev->n == 0 || p->min_ts < ev->min_ts))
			ev->min_ts = p->min_ts;
		if (p->n && (ev->n == 0 || p->max_ts > ev->max_ts))
			ev->max_ts = p->max_ts;
		ev->fractions |= p->us != NULL;
		ev->n += p->n;
	}
	ig->stats->rows[T_EVENTS] += n;
	okra_rc rc = file_found(par, file, seen, present);
	return rc ? rc : file_sums(par);
}

/* ======================================================================
 * Entry point
 * ====================================================================== */

static void par_free(ev_par *par)
{
	for (int i = 0; i < MAX_WORKERS; i++) {
		ev_worker *w = &par->w[i];
		okra__reader_close(w->clone);
		free(w->col_role);
		free(w->col_prop);
		free(w->fixed_props);
		free(w->key_prop.v);
		okra__dictb_free(&w->hint_names);
		free(w->hint.v);
		free(w->memo);
	}
	okra__reader_close(par->main.clone);
	free(par->main.col_role);
	free(par->main.col_prop);
	free(par->main.fixed_props);
	free(par->main.key_prop.v);
	okra__dictb_free(&par->main.hint_names);
	free(par->main.hint.v);
	for (int i = 0; i < par->n_batches; i++) {
		free(par->batches[i].rows);
		free(par->batches[i].cells.v);
		free(par->batches[i].chars.v);
	}
	for (size_t i = 0; i < par->n_parts; i++)
		okra__part_free(par->parts[i]);
	okra__part_free(par->cur_part);
	free(par->parts);
	for (size_t i = 0; i < par->n_files; i++) {
		free(par->files[i].display);
		okra__reader_close(par->files[i].reader);
	}
	free(par->files);
	free(par->col_role);
	free(par->col_key);
	okra__dictb_free(&par->keys);
	okra__id_map_free(&par->ctx.accts);
	okra__id_map_free(&par->ctx.users);
	pthread_mutex_destroy(&par->mu);
	pthread_cond_destroy(&par->cv);
	pthread_mutex_destroy(&par->keys_mu);
	free(par);
}

void okra__ingest_events_free(ev_set *events)
{
	for (size_t i = 0; i < events->n_parts; i++)
		okra__part_free(events->parts[i]);
	free(events->parts);
	memset(events, 0, sizeof(*events));
}

/* The smallest range: OKRA_INGEST_MIN_RANGE bytes (for tests, so small
 * files are cut too), else RANGE_MIN. */
static uint64_t min_range(void)
{
	const char *env = getenv("OKRA_INGEST_MIN_RANGE");
	char *end;
	unsigned long long v = env ? strtoull(env, &end, 10) : 0;
	return env && *env && !*end && v > 0 ? (uint64_t)v : RANGE_MIN;
}

/* Waits for the workers to finish the queue, with the progress bar. */
static void wait_parts(ev_par *par)
{
	ingest *ig = par->ig;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_mutex_lock(&par->mu);
	par->closed = true;
	pthread_cond_broadcast(&par->cv);
	while (par->n_finished < par->n_parts) {
		if (!ig->opt.progress || !par->bytes_total) {
			pthread_cond_wait(&par->cv, &par->mu);
			continue;
		}
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 200000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&par->cv, &par->mu, &until);
		pthread_mutex_unlock(&par->mu);
		okra__ingest_progress(
		    ig, "events", atomic_load(&par->bytes_done),
		    par->bytes_total, atomic_load(&par->rows_done), &t0);
		pthread_mutex_lock(&par->mu);
	}
	pthread_mutex_unlock(&par->mu);
}

/* Reads every file of the table: ranges to the queue, streams here. */
static okra_rc read_files(ev_par *par, const okra_table_source *src)
{
	ingest *ig = par->ig;
	char **paths = NULL;
	size_t n_paths = 0;
	okra_rc rc =
	    okra__ingest_glob(ig, T_EVENTS, src, &paths, &n_paths, ig->err);
	if (rc)
		return rc;
	par->files = calloc(n_paths, sizeof(*par->files));
	par->cap_files = par->files ? n_paths : 0;
	size_t root_len = strlen(okra_workspace_root(ig->ws)) + 1;
	for (size_t i = 0; rc == OKRA_OK && !par->ended && i < n_paths; i++) {
		const char *display = paths[i] + root_len;
		okra_reader *r = NULL;
		okra_err err;
		uint32_t file;
		okra_read_state first;
		uint64_t size;
		if (!add_file(par, display, &file)) {
			rc = okra__ingest_nomem(ig->err);
			break;
		}
		if (okra__reader_open(paths[i], display, &r, &err) ||
		    okra__ingest_check_header(ig, T_EVENTS, r, display,
		                              par->roles, &err)) {
			okra__reader_close(r);
			rc = queue_error(par, &err);
			break;
		}
		for (size_t k = 0; k < par->col_cap; k++) {
			par->col_role[k] = -1;
			par->col_key[k] = OKRA_NONE;
		}
		if (okra__reader_splittable(r, &first, &size)) {
			ev_file *f = &par->files[file];
			f->reader = r;
			f->first = first;
			f->size = size;
			rc = queue_ranges(par, file);
		} else {
			rc = read_stream(par, r, file);
			if (rc == OKRA_OK && !par->ended) {
				okra__reader_sum(r, &par->files[file].sum);
				par->files[file].has_sum = true;
			}
			okra__reader_close(r);
		}
	}
	for (size_t i = 0; i < n_paths; i++)
		free(paths[i]);
	free(paths);
	return rc;
}

typedef struct map_job {
	id_map *map;
	const okra_dict_builder *ids;
	bool ok;
} map_job;

static void *build_map(void *arg)
{
	map_job *j = arg;
	j->ok = okra__id_map_build(j->map, j->ids);
	return NULL;
}

okra_rc okra__ingest_events(ingest *ig, const okra_table_source *src,
                            const role_map *roles)
{
	struct timespec tp;
	clock_gettime(CLOCK_MONOTONIC, &tp);
	ev_par *par = calloc(1, sizeof(*par));
	if (!par)
		return okra__ingest_nomem(ig->err);
	par->ig = ig;
	par->roles = roles;
	par->n_workers = ig->threads < 1             ? 1
	                 : ig->threads > MAX_WORKERS ? MAX_WORKERS
	                                             : ig->threads;
	par->n_batches = 2 * par->n_workers;
	par->min_range = min_range();
	par->ctx = (part_ctx){.ig = ig,
	                      .roles = roles,
	                      .ng_names = ig->names.n,
	                      .ng_accts = ig->accounts.ids.n,
	                      .ng_users = ig->users.ids.n};
	par->main.par = par;
	atomic_init(&par->stop, SIZE_MAX);
	atomic_init(&par->stream_failed, false);
	atomic_init(&par->bytes_done, 0);
	atomic_init(&par->rows_done, 0);
	pthread_mutex_init(&par->mu, NULL);
	pthread_cond_init(&par->cv, NULL);
	pthread_mutex_init(&par->keys_mu, NULL);
	okra_rc rc = OKRA_OK;
	/* The two maps at once (on the wide shape, 0.4M and 0.9M ids). */
	map_job maps[2] = {{&par->ctx.accts, &ig->accounts.ids, false},
	                   {&par->ctx.users, &ig->users.ids, false}};
	if (par->n_workers > 1) {
		okra__ingest_run(2, build_map, maps, sizeof(maps[0]));
	} else {
		build_map(&maps[0]);
		build_map(&maps[1]);
	}
	if (!maps[0].ok || !maps[1].ok) {
		rc = okra__ingest_nomem(ig->err);
	} else {
		/* The maps find those ids from now on: the dictionaries'
		 * own slots go (8 to 16 bytes an id, at the peak), and they
		 * index only the ids the merge adds. */
		okra__dictb_unindex(&ig->accounts.ids);
		okra__dictb_unindex(&ig->users.ids);
	}
	int started = 0;
	for (int i = 0; rc == OKRA_OK && i < par->n_workers; i++) {
		ev_worker *w = &par->w[i];
		w->par = par;
		w->started =
		    pthread_create(&w->thread, NULL, worker_main, w) == 0;
		started += w->started;
	}
	if (rc == OKRA_OK && !started)
		rc = okra__err_set(ig->err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                   "cannot start a thread");
	double cpu0 = okra__ingest_thread_cpu();
	if (rc == OKRA_OK)
		rc = read_files(par, src);
	double reader_cpu = okra__ingest_thread_cpu() - cpu0;
	wait_parts(par);
	for (int i = 0; i < par->n_workers; i++)
		if (par->w[i].started)
			pthread_join(par->w[i].thread, NULL);
	if (ig->opt.progress)
		fputs("\r\033[K", stderr);
	okra__ingest_trace("ingest: events read", &tp);
	if (okra__ingest_tracing()) {
		fprintf(stderr, "trace: events cpu: reader %.3f s, workers",
		        reader_cpu);
		for (int i = 0; i < par->n_workers; i++)
			fprintf(stderr, " %.3f", par->w[i].cpu);
		fprintf(stderr, " s, %zu parts\n", par->n_parts);
	}
	/* Too many JSON keys for the clones to agree with one reader: the
	 * file is read again as one range, so the limit hits the same row. */
	for (size_t i = 0; i < par->n_files; i++) {
		ev_file *f = &par->files[i];
		f->sequential =
		    f->reader && (f->n_columns >= OKRA_READER_MAX_COLUMNS ||
		                  f->n_keys >= OKRA_READER_MAX_KEYS);
	}
	if (rc == OKRA_OK)
		rc = merge(par);
	if (rc == OKRA_OK) {
		okra__parts_remap(&par->ctx, par->parts, par->n_parts,
		                  par->n_workers);
		ig->events.parts = par->parts;
		ig->events.n_parts = par->n_parts;
		par->parts = NULL;
		par->n_parts = 0;
	}
	okra__ingest_trace("ingest: events merge", &tp);
	/* The revenue's account ids are looked up in it (merge_revenue). */
	ig->acct_map = par->ctx.accts;
	par->ctx.accts = (id_map){0};
	par_free(par);
	return rc;
}
