/*
 * csv.c - the CSV reader: RFC 4180 records into cells (engine/reader.h).
 *
 * A record is split in one pass that copies values into r->vals (quotes
 * removed, "" unescaped, NUL-terminated); plain runs go sixteen (SSE2) or
 * eight bytes at a time, and a record with no quote and no carriage
 * return is split sixteen bytes at a time, its separators found by
 * masks.  Strict: a malformed record ends at the end of the line holding
 * the error (an unterminated quote: at the end of the file) and the next
 * call resumes after it, with line numbers kept right.
 */
#include "engine/reader_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================================================================
 * Splitting a record into fields
 * ====================================================================== */

static size_t count_newlines(const char *p, const char *e)
{
	size_t n = 0;
	while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

/* Unquoted field bytes: 0 plain ASCII, 1 ends the field, 2 non-ASCII. */
#define C2X8  2, 2, 2, 2, 2, 2, 2, 2
#define C2X64 C2X8, C2X8, C2X8, C2X8, C2X8, C2X8, C2X8, C2X8
static const uint8_t csv_class[256] = {
    ['\n'] = 1, ['\r'] = 1, ['"'] = 1, [','] = 1, [128] = C2X64, C2X64,
};

/*
 * SCAN_WORDS copies plain bytes sixteen (SSE2) or eight (SWAR) at a time
 * up to the first one that ends an unquoted field or is not ASCII; the
 * byte loop after it handles that byte.  It may read 16 bytes from any
 * p <= end (SLACK) and writes as many at v (vals has SLACK too).  The
 * SWAR mask is exact for the lowest flagged byte, which is all we use.
 */
#if defined(__GNUC__) && defined(__SSE2__)
#include <emmintrin.h>
static inline unsigned csv_stops(__m128i w)
{
	__m128i m =
	    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(w, _mm_set1_epi8(',')),
	                              _mm_cmpeq_epi8(w, _mm_set1_epi8('"'))),
	                 _mm_or_si128(_mm_cmpeq_epi8(w, _mm_set1_epi8('\n')),
	                              _mm_cmpeq_epi8(w, _mm_set1_epi8('\r'))));
	/* The high bit of a byte: a stop, or not ASCII. */
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(m, w));
}
#define SCAN_WORDS(p, v)                                                       \
	for (;;) {                                                             \
		__m128i w_ =                                                   \
		    _mm_loadu_si128((const __m128i *)(const void *)(p));       \
		_mm_storeu_si128((__m128i *)(void *)(v), w_);                  \
		unsigned m_ = csv_stops(w_);                                   \
		if (m_ != 0) {                                                 \
			size_t k_ = (size_t)__builtin_ctz(m_);                 \
			(p) += k_;                                             \
			(v) += k_;                                             \
			break;                                                 \
		}                                                              \
		(p) += 16;                                                     \
		(v) += 16;                                                     \
	}
#elif defined(__GNUC__) && defined(__BYTE_ORDER__) &&                          \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ONES  UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
static inline uint64_t zero_bytes(uint64_t x)
{
	return (x - ONES) & ~x & HIGHS;
}
static inline uint64_t csv_stops(uint64_t w)
{
	return zero_bytes(w ^ (ONES * ',')) | zero_bytes(w ^ (ONES * '"')) |
	       zero_bytes(w ^ (ONES * '\n')) | zero_bytes(w ^ (ONES * '\r')) |
	       (w & HIGHS);
}
#define SCAN_WORDS(p, v)                                                       \
	for (;;) {                                                             \
		uint64_t w_, m_;                                               \
		memcpy(&w_, (p), 8);                                           \
		memcpy((v), &w_, 8);                                           \
		if ((m_ = csv_stops(w_)) != 0) {                               \
			size_t k_ = (size_t)__builtin_ctzll(m_) >> 3;          \
			(p) += k_;                                             \
			(v) += k_;                                             \
			break;                                                 \
		}                                                              \
		(p) += 8;                                                      \
		(v) += 8;                                                      \
	}
#else
#define SCAN_WORDS(p, v) ((void)0)
#endif

enum { SCAN_OK, SCAN_MORE, SCAN_BAD, SCAN_NOMEM };

static const char unterminated[] = "unterminated quoted field";

typedef struct csv_record {
	const char *end;  /* end of the record's bytes (no line end) */
	const char *next; /* start of the next record */
	size_t n_fields;
	int64_t n_lines; /* line ends inside quoted fields */
	bool has_high;   /* non-ASCII bytes: check UTF-8 */
	const char *why; /* SCAN_BAD */
} csv_record;

#if defined(__GNUC__) && defined(__SSE2__)
/*
 * The common record, split sixteen bytes at a time: no quote and no
 * carriage return up to its newline, which lies before e.  Its bytes are
 * copied to r->vals as they are and each comma and the newline become
 * the NUL after a value: the values as csv_scan lays them out.  False
 * (nothing kept) for any other record, which csv_scan then splits.
 */
static bool csv_scan_plain(okra_reader *r, const char *s, const char *e,
                           csv_record *out)
{
	char *v = r->vals;
	okra_cell *cells = r->cells;
	const size_t n_cols = r->n_cols;
	const char *field = s;
	size_t nf = 0;
	unsigned high = 0;
	/* buf[e] is '\n' (SLACK): a block holding e ends the loop. */
	for (const char *p = s;; p += 16) {
		__m128i w = _mm_loadu_si128((const __m128i *)(const void *)p);
		_mm_storeu_si128((__m128i *)(void *)(v + (p - s)), w);
		unsigned nl = (unsigned)_mm_movemask_epi8(
		    _mm_cmpeq_epi8(w, _mm_set1_epi8('\n')));
		/* The bytes up to the first newline, it included. */
		unsigned upto = nl ? (nl ^ (nl - 1)) : 0xffffu;
		unsigned odd = (unsigned)_mm_movemask_epi8(
		    _mm_or_si128(_mm_cmpeq_epi8(w, _mm_set1_epi8('"')),
		                 _mm_cmpeq_epi8(w, _mm_set1_epi8('\r'))));
		if (odd & upto)
			return false;
		high |= (unsigned)_mm_movemask_epi8(w) & upto;
		unsigned stops = ((unsigned)_mm_movemask_epi8(
		                      _mm_cmpeq_epi8(w, _mm_set1_epi8(','))) |
		                  nl) &
		                 upto;
		for (; stops; stops &= stops - 1) {
			const char *q = p + __builtin_ctz(stops);
			if (nf < n_cols) {
				okra_cell *cell = &cells[nf];
				cell->val = v + (field - s);
				cell->val_len = (uint32_t)(q - field);
				cell->type = q == field ? OKRA_CELL_ABSENT
				                        : OKRA_CELL_STRING;
			}
			v[q - s] = '\0';
			nf++;
			field = q + 1;
		}
		if (nl) {
			const char *q = p + __builtin_ctz(nl);
			if (q >= e)
				return false;
			out->end = q;
			out->next = q + 1;
			out->n_fields = nf;
			out->n_lines = 0;
			out->has_high = high != 0;
			return true;
		}
	}
}
#endif

/*
 * Splits the record at s into r->cells (values into r->vals).  With
 * header set, cells grow to any number of fields; otherwise fields past
 * n_cols are counted but not kept.  SCAN_MORE: the record runs past e and
 * more input may follow.  A malformed record ends at the end of the line
 * where the error is (an unterminated quote: at the end of the file).
 * Needs buf[e] == '\n' and vals room for (e - s) + kept fields.
 */
static int csv_scan(okra_reader *r, const char *s, const char *e, bool header,
                    csv_record *out)
{
	const bool eof = r->eof;
	const char *p = s, *rec_end, *next;
	char *v = r->vals;
	size_t nf = 0;
	int64_t nl = 0;
	bool high = false;
	for (;;) {
		char *vs = v;
		bool last = false;
		if (*p == '"') {     /* buf[e] is '\n', so p < e here */
			high = true; /* not scanned byte by byte: check later */
			p++;
			for (;;) {
				const char *q = memchr(p, '"', (size_t)(e - p));
				if (!q) {
					if (!eof)
						return SCAN_MORE;
					nl += (int64_t)count_newlines(p, e);
					out->why = unterminated;
					rec_end = next = e;
					goto bad_done;
				}
				memcpy(v, p, (size_t)(q - p));
				v += q - p;
				nl += (int64_t)count_newlines(p, q);
				p = q + 1;
				if (p == e && !eof)
					return SCAN_MORE;
				if (p < e && *p == '"') {
					*v++ = '"';
					p++;
					continue;
				}
				break;
			}
			if (p == e) {
				rec_end = next = e;
				last = true;
			} else if (*p == ',') {
				p++;
			} else if (*p == '\n') {
				rec_end = p;
				next = p + 1;
				last = true;
			} else if (*p == '\r' && p + 1 == e) {
				if (!eof)
					return SCAN_MORE;
				rec_end = p;
				next = e;
				last = true;
			} else if (*p == '\r' && p[1] == '\n') {
				rec_end = p;
				next = p + 2;
				last = true;
			} else {
				out->why = "unexpected character after a "
				           "closing quote";
				goto bad;
			}
		} else {
			unsigned char c;
			uint8_t k;
			for (;;) {
				SCAN_WORDS(p, v);
				while ((k = csv_class[c = (unsigned char)*p]) ==
				       0) {
					*v++ = (char)c;
					p++;
				}
				if (k != 2)
					break;
				high = true;
				*v++ = (char)c;
				p++;
			}
			if (p == e) {
				if (!eof)
					return SCAN_MORE;
				rec_end = next = e;
				last = true;
			} else if (c == ',') {
				p++;
			} else if (c == '\n') {
				rec_end = p;
				next = p + 1;
				last = true;
			} else if (c == '\r') {
				if (p + 1 == e) {
					if (!eof)
						return SCAN_MORE;
					rec_end = p;
					next = e;
					last = true;
				} else if (p[1] == '\n') {
					rec_end = p;
					next = p + 2;
					last = true;
				} else {
					out->why = "carriage return inside an "
					           "unquoted "
					           "field (quote the field)";
					goto bad;
				}
			} else {
				out->why = "quote inside an unquoted field";
				goto bad;
			}
		}
		/* The header keeps every field (up to the limit, which the
		 * caller reports); a row keeps n_cols and counts the rest. */
		bool keep = header ? nf <= MAX_COLUMNS : nf < r->n_cols;
		if (keep && header &&
		    !okra__reader_grow(&r->cells, &r->cells_cap, nf + 1,
		                       sizeof(okra_cell)))
			return SCAN_NOMEM;
		if (keep) {
			okra_cell *cell = &r->cells[nf];
			cell->val = vs;
			cell->val_len = (uint32_t)(v - vs);
			cell->type =
			    v == vs ? OKRA_CELL_ABSENT : OKRA_CELL_STRING;
			*v++ = '\0';
		} else {
			v = vs;
		}
		nf++;
		if (last)
			break;
	}
	out->end = rec_end;
	out->next = next;
	out->n_fields = nf;
	out->n_lines = nl;
	out->has_high = high;
	return SCAN_OK;

bad:
	/* Resynchronize at the end of this physical line. */
	{
		const char *q = memchr(p, '\n', (size_t)(e - p));
		if (!q) {
			if (!eof)
				return SCAN_MORE;
			rec_end = next = e;
		} else {
			rec_end = q > s && q[-1] == '\r' ? q - 1 : q;
			next = q + 1;
		}
	}
bad_done:
	out->end = rec_end;
	out->next = next;
	out->n_fields = nf;
	out->n_lines = nl;
	out->has_high = true;
	return SCAN_BAD;
}

/* ======================================================================
 * Rows
 * ====================================================================== */

/* Room in vals for one record of the window as csv_scan needs it. */
static bool csv_vals_room(okra_reader *r, bool header)
{
	size_t avail = r->end - r->pos;
	/* JSON columns write their values after the fields' (never longer
	 * than their text). */
	size_t need =
	    (header || r->json_col ? 2 * avail : avail) + r->n_cols + SLACK;
	return okra__reader_grow(&r->vals, &r->vals_cap, need, 1);
}

/* The record at pos is over MAX_RECORD and still incomplete: report it
 * (raw cut at MAX_RECORD) and skip the rest on the next call, tracking
 * quotes by parity, which matches the field scanner on well-formed
 * quoting. */
static okra_rc csv_too_long(okra_reader *r, okra_row **row, okra_err *err)
{
	const char *s = r->buf + r->pos, *e = r->buf + r->end;
	int64_t line = r->line;
	bool in_quote = false;
	for (const char *p = s; p < e; p++) {
		if (*p == '"')
			in_quote = !in_quote;
		else if (*p == '\n')
			r->line++;
	}
	r->skip_record = true;
	r->skip_in_quote = in_quote;
	r->pos = r->end;
	return okra__reader_bad_row(
	    r, row, err, line, s, MAX_RECORD, "record longer than 16 MiB%s",
	    in_quote ? " (an unterminated quoted field?)" : "");
}

static okra_rc csv_skip_rest(okra_reader *r, okra_err *err)
{
	bool in_quote = r->skip_in_quote;
	for (;;) {
		const char *p = r->buf + r->pos, *e = r->buf + r->end;
		for (; p < e; p++) {
			if (*p == '"') {
				in_quote = !in_quote;
			} else if (*p == '\n') {
				r->line++;
				if (!in_quote) {
					r->pos = (size_t)(p + 1 - r->buf);
					r->skip_record = false;
					return OKRA_OK;
				}
			}
		}
		r->pos = r->end;
		if (r->eof) {
			r->skip_record = false;
			return OKRA_OK;
		}
		if (r->limit) /* the next range goes on skipping */
			return OKRA_OK;
		okra_rc rc = okra__reader_fill(r, err);
		if (rc)
			return rc;
	}
}

/* Is the record at s an empty line?  *len gets its length with the line
 * end; -1 when more input is needed to tell. */
static int csv_blank(okra_reader *r, const char *s, const char *e, size_t *len)
{
	if (*s == '\n') {
		*len = 1;
		return 1;
	}
	if (*s != '\r')
		return 0;
	if (s + 1 == e) {
		if (!r->eof)
			return -1;
		*len = 1;
		return 1;
	}
	if (s[1] == '\n') {
		*len = 2;
		return 1;
	}
	return 0;
}

okra_rc okra__csv_next(okra_reader *r, okra_row **row, okra_err *err)
{
	okra_rc rc;
	if (r->skip_record && (rc = csv_skip_rest(r, err)))
		return rc;
	for (;;) {
		if (r->pos == r->end) {
			if (r->eof) {
				/* Empty lines at the very end are fine. */
				r->blank_line = r->n_blank = 0;
				*row = NULL;
				return OKRA_OK;
			}
			if (r->limit)
				return okra__reader_at_limit(row);
			if ((rc = okra__reader_fill(r, err)))
				return rc;
			continue;
		}
		const char *s = r->buf + r->pos, *e = r->buf + r->end;
		size_t blank_len;
		int blank = csv_blank(r, s, e, &blank_len);
		if (blank < 0) {
			if (r->limit)
				return okra__reader_at_limit(row);
			if ((rc = okra__reader_fill(r, err)))
				return rc;
			continue;
		}
		if (blank) {
			if (!r->n_blank++) {
				r->blank_line = r->line;
				r->blank_off = r->buf_off + r->pos;
			}
			r->line++;
			r->pos += blank_len;
			continue;
		}
		if (r->n_blank) {
			/* Empty lines before this record: one bad row. */
			int64_t n = r->n_blank, line = r->blank_line;
			r->blank_line = r->n_blank = 0;
			if (n == 1)
				return okra__reader_bad_row(
				    r, row, err, line, "", 0, "empty line");
			return okra__reader_bad_row(r, row, err, line, "", 0,
			                            "%lld empty lines",
			                            (long long)n);
		}
		if (!csv_vals_room(r, false))
			return okra__reader_nomem(r, err);
		csv_record rec;
#if defined(__GNUC__) && defined(__SSE2__)
		int sr = csv_scan_plain(r, s, e, &rec)
		             ? SCAN_OK
		             : csv_scan(r, s, e, false, &rec);
#else
		int sr = csv_scan(r, s, e, false, &rec);
#endif
		if (sr == SCAN_MORE) {
			if (r->end - r->pos > MAX_RECORD + 1)
				return csv_too_long(r, row, err);
			if (r->limit)
				return okra__reader_at_limit(row);
			if ((rc = okra__reader_fill(r, err)))
				return rc;
			continue;
		}
		int64_t line = r->line;
		size_t raw_len = (size_t)(rec.end - s);
		r->line += 1 + rec.n_lines;
		r->pos = (size_t)(rec.next - r->buf);
		/* Length first, so the reason does not depend on whether the
		 * window happened to hold the whole record (csv_too_long). */
		if (raw_len > MAX_RECORD)
			return okra__reader_bad_row(
			    r, row, err, line, s, MAX_RECORD,
			    "record longer than 16 MiB%s",
			    sr == SCAN_BAD && rec.why == unterminated
			        ? " (an unterminated quoted field?)"
			        : "");
		if (sr == SCAN_BAD)
			return okra__reader_bad_row(r, row, err, line, s,
			                            raw_len, "%s", rec.why);
		if (rec.has_high && !okra__utf8_valid(s, raw_len))
			return okra__reader_bad_row(r, row, err, line, s,
			                            raw_len, "invalid UTF-8");
		if (rec.n_fields != r->n_cols)
			return okra__reader_bad_row(
			    r, row, err, line, s, raw_len,
			    "expected %zu field%s, found %zu", r->n_cols,
			    r->n_cols == 1 ? "" : "s", rec.n_fields);
		r->row.cells = r->cells;
		r->row.n_cells = r->n_cols;
		if (r->json_col) {
			char why[sizeof(err->msg)];
			rc = okra__csv_json_row(r, why, sizeof(why));
			if (rc == OKRA_ERR_NOMEM)
				return okra__reader_nomem(r, err);
			if (rc)
				return okra__reader_bad_row(
				    r, row, err, line, s, raw_len, "%s", why);
		}
		r->row.line = line;
		r->row.raw = s;
		r->row.raw_len = raw_len;
		*row = &r->row;
		return OKRA_OK;
	}
}

/* ======================================================================
 * The header row
 * ====================================================================== */

typedef struct name_ref {
	const char *s;
	size_t len, index;
} name_ref;

static int cmp_name_ref(const void *a, const void *b)
{
	const name_ref *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->s, y->s, n);
	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* The header row: the column names, unique and non-empty. */
okra_rc okra__csv_header(okra_reader *r, okra_err *err)
{
	okra_rc rc;
	csv_record rec;
	for (;;) {
		if (r->pos == r->end && r->eof)
			return okra__err_set(err, OKRA_ERR_DATA, r->display, 0,
			                     0, "empty file (no header row)");
		const char *s = r->buf + r->pos, *e = r->buf + r->end;
		size_t blank_len;
		int blank =
		    r->pos == r->end ? -1 : csv_blank(r, s, e, &blank_len);
		if (blank > 0)
			return okra__err_set(err, OKRA_ERR_DATA, r->display, 1,
			                     0,
			                     "missing header row (line 1 is "
			                     "empty)");
		int sr = SCAN_MORE;
		if (blank == 0) {
			if (!csv_vals_room(r, true))
				return okra__reader_nomem(r, err);
			sr = csv_scan(r, s, e, true, &rec);
		}
		if (sr == SCAN_NOMEM)
			return okra__reader_nomem(r, err);
		if (sr == SCAN_BAD)
			return okra__err_set(err, OKRA_ERR_DATA, r->display, 1,
			                     0, "header row: %s", rec.why);
		if (sr == SCAN_OK)
			break;
		if (r->end - r->pos > MAX_RECORD + 1)
			return okra__err_set(err, OKRA_ERR_DATA, r->display, 1,
			                     0,
			                     "header row longer than 16 MiB");
		if ((rc = okra__reader_fill(r, err)))
			return rc;
	}
	const char *s = r->buf + r->pos;
	size_t raw_len = (size_t)(rec.end - s);
	if (raw_len > MAX_RECORD)
		return okra__err_set(err, OKRA_ERR_DATA, r->display, 1, 0,
		                     "header row longer than 16 MiB");
	if (rec.has_high && !okra__utf8_valid(s, raw_len))
		return okra__err_set(err, OKRA_ERR_DATA, r->display, 1, 0,
		                     "header row: invalid UTF-8");
	if (rec.n_fields > MAX_COLUMNS)
		return okra__err_set(err, OKRA_ERR_DATA, r->display, 1, 0,
		                     "more than %d columns", MAX_COLUMNS);
	size_t n = rec.n_fields;
	name_ref *refs = malloc(n * sizeof(*refs));
	r->names = malloc(n * sizeof(*r->names));
	if (!refs || !r->names) {
		free(refs);
		return okra__reader_nomem(r, err);
	}
	r->names_cap = n;
	rc = OKRA_OK;
	for (size_t i = 0; i < n && !rc; i++) {
		okra_cell *c = &r->cells[i];
		if (c->val_len == 0)
			rc = okra__err_set(err, OKRA_ERR_DATA, r->display, 1, 0,
			                   "empty column name (column %zu)",
			                   i + 1);
		else if (memchr(c->val, '\0', c->val_len))
			rc = okra__err_set(
			    err, OKRA_ERR_DATA, r->display, 1, 0,
			    "NUL byte in column name (column %zu)", i + 1);
		refs[i] = (name_ref){c->val, c->val_len, i};
	}
	if (!rc && n > 1) {
		qsort(refs, n, sizeof(*refs), cmp_name_ref);
		for (size_t i = 1; i < n && !rc; i++)
			if (refs[i].len == refs[i - 1].len &&
			    memcmp(refs[i].s, refs[i - 1].s, refs[i].len) ==
			        0) {
				char k[64];
				okra__reader_key_for_msg(refs[i].s, refs[i].len,
				                         k);
				rc = okra__err_set(
				    err, OKRA_ERR_DATA, r->display, 1, 0,
				    "duplicate column name \"%s\" (columns %zu "
				    "and %zu)",
				    k, refs[i - 1].index + 1,
				    refs[i].index + 1);
			}
	}
	free(refs);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		okra_cell *c = &r->cells[i];
		char *name = okra__arena_strndup(&r->arena, c->val, c->val_len);
		if (!name)
			return okra__reader_nomem(r, err);
		r->names[i] = name;
		c->key = name;
		c->key_len = c->val_len;
		c->column = (uint16_t)i;
	}
	r->n_names = r->n_cols = n;
	r->line += 1 + rec.n_lines;
	r->pos = (size_t)(rec.next - r->buf);
	return OKRA_OK;
}
