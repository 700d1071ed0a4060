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

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ======================================================================
 * Helpers
 * ====================================================================== */

static int clamp_line(int64_t line)
{
	return line > INT32_MAX ? INT32_MAX : (int)line;
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

static okra_rc fill_plain(okra_reader *r)
{
	ssize_t n = read_some(r->fd, r->buf + r->end, r->cap - r->end);
	if (n < 0)
		return fail_fatal(r, OKRA_ERR_IO, "cannot read",
		                  strerror(errno));
	if (n == 0)
		r->src_eof = r->eof = true;
	r->end += (size_t)n;
	r->n_read += (uint64_t)n;
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
			ssize_t n = read_some(r->fd, r->zin, r->zin_cap);
			if (n < 0)
				return fail_fatal(r, OKRA_ERR_IO, "cannot read",
				                  strerror(errno));
			if (n == 0)
				r->src_eof = true;
			r->n_read += (uint64_t)n;
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
			return fail_fatal(r, OKRA_ERR_IO, "truncated gzip data",
			                  "unexpected end of file");
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
	okra_rc rc = r->is_gz ? fill_gz(r) : fill_plain(r);
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
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		rc = okra__err_set(err, OKRA_ERR_IO, display, 0, 0,
		                   "cannot open: %s", strerror(errno));
		goto out;
	}
	struct stat st;
	if (fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode))
		r->file_size = (uint64_t)st.st_size;

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
		ssize_t n =
		    read_some(r->fd, r->buf + r->end, r->zin_cap - r->end);
		if (n < 0) {
			rc = okra__err_set(err, OKRA_ERR_IO, display, 0, 0,
			                   "cannot read: %s", strerror(errno));
			goto out;
		}
		r->src_eof = r->eof = n == 0;
		r->end += (size_t)n;
		r->n_read += (uint64_t)n;
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
	okra__arena_free(&r->arena);
	free(r);
}
