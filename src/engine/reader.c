/*
 * reader.c - the data readers' input and entry points: a file, plain or
 * gzip, read in big blocks into one sliding window (engine/reader.h).
 *
 * Owns the window: a record that runs past it is parsed again from its
 * start after the refill, so csv.c and jsonl.c see whole records.  An I/O
 * or gzip error is sticky and surfaces only once the bytes decoded before
 * it are used up.  No allocation per row: buffers grow geometrically.
 */
#include "engine/reader_int.h"
#include "base/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <isa-l/crc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ======================================================================
 * Helpers
 * ====================================================================== */

static int clamp_line(int64_t line)
{
	return line > INT32_MAX ? INT32_MAX : (int)line;
}

/*
 * crc32 (zlib's: the reflected CRC-32 of polynomial 0x04C11DB7) of the
 * bytes read, for the cache's fingerprint of every file.  zlib computes it
 * a word at a time, 4-5% of an ingest's CPU; ISA-L's crc32_gzip_refl
 * computes the same value with the processor's carry-less multiply where
 * it has one (chosen at run time).  tests/unit/test_reader.c checks the
 * two agree.
 */
uint32_t okra__crc32(uint32_t crc, const void *p, size_t n)
{
	return crc32_gzip_refl(crc, p, (uint64_t)n);
}

/* Grows the array *pp (elements of size) to hold at least need,
 * geometrically.  pp is the address of any object pointer; the pointer is
 * copied with memcpy so no lvalue of the wrong type touches it. */
bool okra__reader_grow(void *pp, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap : 16;
	while (n < need)
		n *= 2;
	void *old, *q;
	memcpy(&old, pp, sizeof(old));
	q = realloc(old, n * size);
	if (!q)
		return false;
	memcpy(pp, &q, sizeof(q));
	*cap = n;
	return true;
}

okra_rc okra__reader_nomem(okra_reader *r, okra_err *err)
{
	return okra__err_set(err, OKRA_ERR_NOMEM, r->display, 0, 0,
	                     "out of memory");
}

/* Writes a key for a message: at most 60 bytes, control bytes as '?'. */
void okra__reader_key_for_msg(const char *k, size_t len, char out[64])
{
	size_t n = len > 60 ? 57 : len, i;
	for (i = 0; i < n; i++)
		out[i] = (unsigned char)k[i] < 0x20 ? '?' : k[i];
	if (n < len)
		for (; i < 60; i++)
			out[i] = '.';
	out[i] = '\0';
}

/* ======================================================================
 * Input: plain or gzip, into the sliding window
 * ====================================================================== */

static ssize_t read_some(int fd, void *p, size_t n)
{
	ssize_t got;
	do
		got = read(fd, p, n);
	while (got < 0 && errno == EINTR);
	return got;
}

/* Records an error after which the input cannot go on; fill() reports
 * it once the bytes decoded before it are used up. */
static okra_rc fail_fatal(okra_reader *r, okra_rc rc, const char *msg,
                          const char *detail)
{
	okra__err_set(&r->fatal_err, rc, r->display, 0, 0, "%s%s%s", msg,
	              detail ? ": " : "", detail ? detail : "");
	r->fatal = rc;
	return rc;
}

static ssize_t pread_some(int fd, void *p, size_t n, uint64_t offset)
{
	ssize_t got;
	do
		got = pread(fd, p, n, (off_t)offset);
	while (got < 0 && errno == EINTR);
	return got;
}

/* A last line without a newline in a file modified this recently may be
 * half written: the file must stay still this long before that line is
 * read as a row. */
#define SETTLE_MICROS 200000

/* Does r's file stay as it was at open for SETTLE_MICROS from its last
 * modification (polled)?  A file last modified longer ago is still. */
static bool file_settles(const okra_reader *r)
{
	for (;;) {
		if (okra__reader_changed(r))
			return false;
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		int64_t age =
		    (int64_t)(now.tv_sec - r->mtime.tv_sec) * 1000000 +
		    (now.tv_nsec - r->mtime.tv_nsec) / 1000;
		if (age >= SETTLE_MICROS || age < -SETTLE_MICROS)
			return true;
		struct timespec pause = {0, 10 * 1000 * 1000};
		nanosleep(&pause, NULL);
	}
}

/* The file's size at open is reached: its end, unless the last line has
 * no newline and the file changed since, or changes within a moment of
 * its last modification (a writer may be half way through that line):
 * then the reader stops before that line, as a range does at its limit,
 * and the next load reads it whole. */
static void snapshot_end(okra_reader *r)
{
	r->src_eof = true;
	if (r->rows_started && r->file_size > 0 && r->last_byte != '\n' &&
	    !file_settles(r)) {
		r->limit = true;
		r->tail_dropped = true;
	} else {
		r->eof = true;
	}
}

/* A range: pread up to range_end; there the range's limit (or the file's
 * end) is reached at once, without a read of nothing. */
static okra_rc fill_range(okra_reader *r)
{
	uint64_t left = r->range_end - r->offset;
	size_t want = r->cap - r->end;
	if (want > left)
		want = (size_t)left;
	ssize_t n =
	    want ? pread_some(r->fd, r->buf + r->end, want, r->offset) : 0;
	if (n < 0)
		return fail_fatal(r, OKRA_ERR_IO, "cannot read",
		                  strerror(errno));
	if (n > 0 && r->offset + (uint64_t)n > r->crc_from) {
		uint64_t skip =
		    r->crc_from > r->offset ? r->crc_from - r->offset : 0;
		r->crc = okra__crc32(r->crc, r->buf + r->end + skip,
		                     (size_t)((uint64_t)n - skip));
	}
	r->end += (size_t)n;
	r->n_read += (uint64_t)n;
	r->offset += (uint64_t)n;
	if (n > 0)
		r->last_byte = r->buf[r->end - 1];
	if (want && n == 0) /* the file shrank: its end is here */
		r->src_eof = r->eof = true;
	else if (r->offset == r->range_end) {
		r->src_eof = true;
		if (r->range_end >= r->file_size)
			snapshot_end(r);
		else
			r->limit = true;
	}
	return OKRA_OK;
}

/* Reads at most n bytes into p, never past the size at open; counts
 * them into n_read and the crc. */
static ssize_t read_file(okra_reader *r, void *p, size_t n)
{
	uint64_t left = r->file_size - r->n_read;
	if (n > left)
		n = (size_t)left;
	ssize_t got = n ? read_some(r->fd, p, n) : 0;
	if (got > 0) {
		r->read_crc = okra__crc32(r->read_crc, p, (size_t)got);
		r->n_read += (uint64_t)got;
		r->last_byte = ((const char *)p)[got - 1];
	}
	return got;
}

static okra_rc fill_plain(okra_reader *r)
{
	ssize_t n = read_file(r, r->buf + r->end, r->cap - r->end);
	if (n < 0)
		return fail_fatal(r, OKRA_ERR_IO, "cannot read",
		                  strerror(errno));
	r->end += (size_t)n;
	if (n == 0 || r->n_read == r->file_size)
		snapshot_end(r);
	return OKRA_OK;
}

/* Inflates until the window is full or the input ends.  Concatenated
 * gzip members are read in turn (as gzip -d does); anything else after a
 * member, a truncated stream or a corrupt one stops the reader. */
static okra_rc fill_gz(okra_reader *r)
{
	z_stream *z = &r->zs;
	while (r->end < r->cap) {
		if (z->avail_in == 0 && !r->src_eof) {
			ssize_t n = read_file(r, r->zin, r->zin_cap);
			if (n < 0)
				return fail_fatal(r, OKRA_ERR_IO, "cannot read",
				                  strerror(errno));
			if (n == 0 || r->n_read == r->file_size)
				r->src_eof = true;
			z->next_in = r->zin;
			z->avail_in = (uInt)n;
		}
		if (r->member_done) {
			if (z->avail_in == 0) {
				if (r->src_eof) {
					r->eof = true;
					break;
				}
				continue;
			}
			if (z->next_in[0] != 0x1f)
				return fail_fatal(
				    r, OKRA_ERR_IO,
				    "trailing garbage after the gzip data",
				    NULL);
			if (inflateReset(z) != Z_OK)
				return fail_fatal(r, OKRA_ERR_IO,
				                  "corrupt gzip data", NULL);
			r->member_done = false;
		}
		if (z->avail_in == 0 && r->src_eof)
			return fail_fatal(
			    r, OKRA_ERR_IO, "truncated gzip data",
			    okra__reader_changed(r)
			        ? "the file changed while it was read (is it "
			          "still being written?)"
			        : "unexpected end of file");
		z->next_out = (Bytef *)r->buf + r->end;
		z->avail_out = (uInt)(r->cap - r->end);
		int zr = inflate(z, Z_NO_FLUSH);
		size_t got = r->cap - r->end - z->avail_out;
		r->end += got;
		if (zr == Z_STREAM_END)
			r->member_done = true;
		else if (zr == Z_MEM_ERROR)
			return fail_fatal(r, OKRA_ERR_NOMEM, "out of memory",
			                  NULL);
		else if (zr != Z_OK && zr != Z_BUF_ERROR)
			return fail_fatal(r, OKRA_ERR_IO, "corrupt gzip data",
			                  z->msg ? z->msg : "invalid stream");
	}
	return OKRA_OK;
}

okra_rc okra__reader_fill(okra_reader *r, okra_err *err)
{
	if (r->fatal) {
		if (err)
			*err = r->fatal_err;
		return r->fatal;
	}
	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->end - r->pos);
		r->end -= r->pos;
		r->buf_off += r->pos;
		r->pos = 0;
	}
	if (r->end == r->cap) {
		/* Callers stop a record at MAX_RECORD, so this stays bounded.
		 */
		size_t cap = r->cap * 2 > MAX_WINDOW ? MAX_WINDOW : r->cap * 2;
		if (cap == r->cap) {
			fail_fatal(r, OKRA_ERR_IO,
			           "internal error: window full", NULL);
			if (err)
				*err = r->fatal_err;
			return r->fatal;
		}
		char *b = realloc(r->buf, cap + SLACK);
		if (!b)
			return okra__reader_nomem(r, err);
		r->buf = b;
		r->cap = cap;
	}
	size_t before = r->end;
	okra_rc rc = r->is_range ? fill_range(r)
	             : r->is_gz  ? fill_gz(r)
	                         : fill_plain(r);
	memset(r->buf + r->end, '\n', SLACK); /* sentinels, see csv_scan */
	if (rc && r->end == before) {
		if (err)
			*err = r->fatal_err;
		return rc;
	}
	return OKRA_OK; /* an error waits for the next fill */
}

okra_rc okra__reader_bad_row(okra_reader *r, okra_row **row, okra_err *err,
                             int64_t line, const char *raw, size_t raw_len,
                             const char *fmt, ...)
{
	r->row.cells = NULL;
	r->row.n_cells = 0;
	r->row.line = line;
	r->row.raw = raw;
	r->row.raw_len = raw_len;
	*row = &r->row;
	if (err) {
		char msg[sizeof(err->msg)];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		okra__err_set(err, OKRA_ERR_DATA, r->display, clamp_line(line),
		              0, "%s", msg);
	}
	return OKRA_ERR_DATA;
}

/* ======================================================================
 * The reader
 * ====================================================================== */

static bool has_suffix(const char *s, size_t *len, const char *suffix)
{
	size_t n = strlen(suffix);
	if (*len < n || strncasecmp(s + *len - n, suffix, n) != 0)
		return false;
	*len -= n;
	return true;
}

okra_rc okra__reader_open(const char *path, const char *display,
                          okra_reader **out, okra_err *err)
{
	okra_rc rc = OKRA_OK;
	okra_reader *r = NULL;
	size_t len = strlen(path);
	okra_file_format format;
	if (!display)
		display = path;
	has_suffix(path, &len, ".gz");
	if (has_suffix(path, &len, ".csv"))
		format = OKRA_FILE_CSV;
	else if (has_suffix(path, &len, ".jsonl") ||
	         has_suffix(path, &len, ".ndjson") ||
	         has_suffix(path, &len, ".json"))
		format = OKRA_FILE_JSONL;
	else
		return okra__err_set(err, OKRA_ERR_DATA, display, 0, 0,
		                     "unknown data file type (expected .csv, "
		                     ".jsonl, .ndjson or .json, optionally "
		                     ".gz)");

	r = calloc(1, sizeof(*r));
	if (!r)
		return okra__err_set(err, OKRA_ERR_NOMEM, display, 0, 0,
		                     "out of memory");
	r->fd = -1;
	r->format = format;
	r->line = 1;
	r->display = strdup(display);
	if (!r->display) {
		rc = okra__err_set(err, OKRA_ERR_NOMEM, display, 0, 0,
		                   "out of memory");
		goto out;
	}
	struct stat st;
	rc = okra__open_regular(path, display, &r->fd, &st, err);
	if (rc)
		goto out;
	r->file_size = (uint64_t)st.st_size;
	r->mtime = st.st_mtim;
	r->read_crc = (uint32_t)crc32(0L, Z_NULL, 0);

	/* Small files get small buffers (a window that grows when a record
	 * needs it); gzip text is assumed to expand about 8 times. */
	size_t want = r->file_size && r->file_size < FIRST_BLOCK
	                  ? (size_t)r->file_size + 1
	                  : FIRST_BLOCK;
	want = want < MIN_BLOCK ? MIN_BLOCK : want;
	r->cap = want;
	r->zin_cap = want < ZIN_SIZE ? want : ZIN_SIZE;
	r->buf = malloc(r->cap + SLACK);
	if (!r->buf) {
		rc = okra__reader_nomem(r, err);
		goto out;
	}

	/* Sniff the gzip magic from the first bytes (at least two); at most
	 * zin_cap of them, so they fit the inflate input if it is gzip. */
	while (r->end < 2 && !r->src_eof) {
		ssize_t n = read_file(r, r->buf + r->end, r->zin_cap - r->end);
		if (n < 0) {
			rc = okra__err_set(err, OKRA_ERR_IO, display, 0, 0,
			                   "cannot read: %s", strerror(errno));
			goto out;
		}
		r->src_eof = r->eof = n == 0 || r->n_read == r->file_size;
		r->end += (size_t)n;
	}
	if (r->end >= 2 && (unsigned char)r->buf[0] == 0x1f &&
	    (unsigned char)r->buf[1] == 0x8b) {
		r->is_gz = true;
		r->zin = malloc(r->zin_cap);
		size_t cap = want < FIRST_BLOCK / 8 ? want * 8 : FIRST_BLOCK;
		char *b = realloc(r->buf, cap + SLACK);
		if (b) {
			r->buf = b;
			r->cap = cap;
		}
		if (!r->zin || !b || inflateInit2(&r->zs, 15 + 16) != Z_OK) {
			rc = okra__err_set(err, OKRA_ERR_NOMEM, display, 0, 0,
			                   "out of memory");
			goto out;
		}
		r->z_ready = true;
		memcpy(r->zin, r->buf, r->end);
		r->zs.next_in = r->zin;
		r->zs.avail_in = (uInt)r->end;
		r->end = 0;
		r->eof = false;
	}
	memset(r->buf + r->end, '\n', SLACK);
	while (r->end - r->pos < 3 && !r->eof)
		if ((rc = okra__reader_fill(r, err)))
			goto out;
	if (r->end - r->pos >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
		r->pos += 3;
	rc = format == OKRA_FILE_CSV ? okra__csv_header(r, err)
	                             : okra__jsonl_init(r, err);
	r->rows_started = true;
out:
	if (rc)
		okra__reader_close(r);
	else
		*out = r;
	return rc;
}

okra_rc okra__reader_next(okra_reader *r, okra_row **row, okra_err *err)
{
	okra_rc rc = r->format == OKRA_FILE_CSV ? okra__csv_next(r, row, err)
	                                        : okra__jsonl_next(r, row, err);
	if (rc && rc != OKRA_ERR_DATA)
		*row = NULL;
	return rc;
}

size_t okra__reader_columns(const okra_reader *r, const char *const **names)
{
	*names = r->names;
	return r->n_names;
}

void okra__reader_progress(const okra_reader *r, uint64_t *done,
                           uint64_t *total)
{
	uint64_t pending = r->is_gz ? r->zs.avail_in : r->end - r->pos;
	*done = r->n_read - pending;
	*total = r->file_size > *done ? r->file_size : *done;
}

okra_file_format okra__reader_format(const okra_reader *r)
{
	return r->format;
}

void okra__reader_close(okra_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	if (r->z_ready)
		inflateEnd(&r->zs);
	free(r->zin);
	free(r->display);
	free(r->buf);
	free(r->vals);
	free(r->cells);
	free(r->names);
	free(r->keys);
	free(r->slots);
	free(r->predict);
	free(r->path);
	free(r->akeys);
	free(r->krefs);
	free(r->json_col);
	free(r->xcells);
	okra__arena_free(&r->arena);
	free(r);
}

bool okra__reader_is_json(const okra_reader *r, size_t column)
{
	return r->json_col && column < r->n_cols && r->json_col[column];
}

okra_rc okra__reader_set_json(okra_reader *r, const bool *is_json,
                              okra_err *err)
{
	bool any = false;
	for (size_t i = 0; r->format == OKRA_FILE_CSV && i < r->n_cols; i++)
		any |= is_json[i];
	if (!any || r->json_col)
		return OKRA_OK;
	return okra__csv_json_init(r, is_json, err);
}

/* ======================================================================
 * Byte ranges of a plain file
 * ====================================================================== */

bool okra__reader_splittable(const okra_reader *r, okra_read_state *first,
                             uint64_t *size)
{
	if (r->is_gz || r->is_range || r->file_size == 0)
		return false;
	*first =
	    (okra_read_state){.offset = r->buf_off + r->pos, .line = r->line};
	*size = r->file_size;
	return true;
}

okra_rc okra__reader_clone(const okra_reader *r, okra_reader **out,
                           okra_err *err)
{
	okra_rc rc = OKRA_OK;
	okra_reader *c = calloc(1, sizeof(*c));
	if (!c)
		return okra__err_set(err, OKRA_ERR_NOMEM, r->display, 0, 0,
		                     "out of memory");
	c->format = r->format;
	c->fd = dup(r->fd);
	c->file_size = r->file_size;
	c->mtime = r->mtime;
	c->rows_started = true;
	c->is_range = true;
	c->line = 1;
	c->display = strdup(r->display);
	c->cap =
	    r->file_size < FIRST_BLOCK ? (size_t)r->file_size + 1 : FIRST_BLOCK;
	c->cap = c->cap < MIN_BLOCK ? MIN_BLOCK : c->cap;
	c->buf = malloc(c->cap + SLACK);
	if (!c->display || !c->buf) {
		rc = okra__reader_nomem(c, err);
		goto out;
	}
	if (c->fd < 0) {
		rc = okra__err_set(err, OKRA_ERR_IO, r->display, 0, 0,
		                   "cannot open: %s", strerror(errno));
		goto out;
	}
	if (r->format == OKRA_FILE_JSONL) {
		rc = okra__jsonl_init(c, err);
		goto out;
	}
	/* CSV: the header's names, and cells that carry them. */
	size_t n = r->n_cols;
	c->names = malloc((n ? n : 1) * sizeof(*c->names));
	c->cells = calloc(n ? n : 1, sizeof(*c->cells));
	if (!c->names || !c->cells) {
		rc = okra__reader_nomem(c, err);
		goto out;
	}
	c->names_cap = c->cells_cap = n ? n : 1;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(r->names[i]);
		char *name = okra__arena_strndup(&c->arena, r->names[i], len);
		if (!name) {
			rc = okra__reader_nomem(c, err);
			goto out;
		}
		c->names[i] = name;
		c->cells[i].key = name;
		c->cells[i].key_len = (uint32_t)len;
		c->cells[i].column = (uint16_t)i;
	}
	c->n_names = c->n_cols = n;
	if (r->json_col) {
		bool *is_json = malloc(n ? n : 1);
		if (!is_json) {
			rc = okra__reader_nomem(c, err);
			goto out;
		}
		for (size_t i = 0; i < n; i++)
			is_json[i] = r->json_col[i];
		rc = okra__csv_json_init(c, is_json, err);
		free(is_json);
	}
out:
	if (rc)
		okra__reader_close(c);
	else
		*out = c;
	return rc;
}

okra_rc okra__reader_seek(okra_reader *r, const okra_read_state *from,
                          uint64_t end, okra_err *err)
{
	if (!r->is_range)
		return okra__err_set(err, OKRA_ERR_IO, r->display, 0, 0,
		                     "internal error: seek on a stream");
	r->pos = r->end = 0;
	r->buf_off = r->offset = from->offset;
	r->range_end = end < from->offset ? from->offset : end;
	r->src_eof = r->eof = r->limit = r->tail_dropped = false;
	r->fatal = OKRA_OK;
	r->line = from->line;
	r->skip_record = r->format == OKRA_FILE_CSV && from->skip_record;
	r->skip_in_quote = from->skip_in_quote;
	r->skip_line = r->format == OKRA_FILE_JSONL && from->skip_record;
	r->blank_line = r->n_blank = 0;
	r->scanned = 0;
	r->crc_from = from->offset;
	r->crc = (uint32_t)crc32(0L, Z_NULL, 0);
	memset(r->buf, '\n', SLACK);
	if (r->offset == r->range_end) { /* an empty range */
		r->src_eof = true;
		r->eof = r->range_end >= r->file_size;
		r->limit = !r->eof;
	}
	return OKRA_OK;
}

bool okra__reader_stop(const okra_reader *r, okra_read_state *next)
{
	bool skip = r->skip_record || r->skip_line;
	*next = (okra_read_state){.offset = r->buf_off + r->pos,
	                          .line = r->line,
	                          .skip_record = skip,
	                          .skip_in_quote = r->skip_in_quote};
	if (r->n_blank) {
		next->offset = r->blank_off;
		next->line = r->blank_line;
	}
	return r->pos == r->end && !skip && !r->n_blank;
}

okra_rc okra__reader_line_start(const okra_reader *r, uint64_t offset,
                                uint64_t *out, okra_err *err)
{
	char buf[16384];
	while (offset < r->file_size) {
		size_t want = sizeof(buf);
		if (want > r->file_size - offset)
			want = (size_t)(r->file_size - offset);
		ssize_t n = pread_some(r->fd, buf, want, offset);
		if (n < 0)
			return okra__err_set(err, OKRA_ERR_IO, r->display, 0, 0,
			                     "cannot read: %s",
			                     strerror(errno));
		if (n == 0)
			break;
		const char *nl = memchr(buf, '\n', (size_t)n);
		if (nl) {
			*out = offset + (uint64_t)(nl - buf) + 1;
			return OKRA_OK;
		}
		offset += (uint64_t)n;
	}
	*out = r->file_size;
	return OKRA_OK;
}

void okra__reader_keys(const okra_reader *r, size_t *n_columns, size_t *n_keys)
{
	*n_columns = r->n_names;
	*n_keys = r->format == OKRA_FILE_JSONL || r->json_col ? r->n_keys
	                                                      : r->n_names;
}

uint64_t okra__reader_line_bytes(const okra_reader *r)
{
	const char *p = r->buf + r->pos, *e = r->buf + r->end;
	uint64_t lines = 0, len = 0;
	for (const char *nl; (nl = memchr(p, '\n', (size_t)(e - p))) != NULL;
	     p = nl + 1) {
		lines++;
		len = (uint64_t)(nl + 1 - (r->buf + r->pos));
	}
	return lines && len >= lines ? len / lines : 64;
}

bool okra__reader_peek_field(const okra_reader *r, size_t column,
                             const char **val, size_t *len)
{
	if (r->format != OKRA_FILE_CSV || r->json_col)
		return false;
	const char *p = r->buf + r->pos, *e = r->buf + r->end;
	for (size_t k = 0;; k++) {
		const char *f = p;
		while (p < e && *p != ',' && *p != '\n' && *p != '"' &&
		       *p != '\r')
			p++;
		if (p == e || *p == '"' || *p == '\r' ||
		    (*p == '\n' && k < column))
			return false;
		if (k == column) {
			*val = f;
			*len = (size_t)(p - f);
			return true;
		}
		p++;
	}
}

void okra__reader_crc_from(okra_reader *r, uint64_t offset)
{
	r->crc_from = offset;
}

bool okra__reader_range_crc(const okra_reader *r, uint32_t *crc)
{
	if (!r->is_range || r->offset != r->range_end ||
	    r->crc_from > r->range_end)
		return false;
	*crc = r->crc;
	return true;
}

bool okra__reader_changed(const okra_reader *r)
{
	struct stat st;
	return fstat(r->fd, &st) != 0 || (uint64_t)st.st_size != r->file_size ||
	       st.st_mtim.tv_sec != r->mtime.tv_sec ||
	       st.st_mtim.tv_nsec != r->mtime.tv_nsec;
}

void okra__reader_sum(const okra_reader *r, okra_read_sum *sum)
{
	*sum = (okra_read_sum){.size = r->n_read,
	                       .mtime = r->mtime,
	                       .crc = r->read_crc,
	                       .changed = r->tail_dropped ||
	                                  r->n_read != r->file_size ||
	                                  okra__reader_changed(r)};
}

void okra__reader_stat(const okra_reader *r, uint64_t *size,
                       struct timespec *mtime)
{
	*size = r->file_size;
	*mtime = r->mtime;
}

bool okra__reader_pread(const okra_reader *r, void *buf, size_t n,
                        uint64_t offset)
{
	char *p = buf;
	while (n) {
		ssize_t got = pread_some(r->fd, p, n, offset);
		if (got <= 0)
			return false;
		p += got;
		n -= (size_t)got;
		offset += (uint64_t)got;
	}
	return true;
}
