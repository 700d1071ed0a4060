/*
 * reader_int.h - what reader.c, csv.c and jsonl.c share; internal to the
 * data readers (everything else includes engine/reader.h only).
 *
 * Invariants: the window buf[pos, end) holds decoded input not yet
 * parsed, followed by SLACK bytes of '\n'; vals is sized by the parsers
 * before a record so they never check bounds per byte; every buffer only
 * grows, geometrically, and is reused from row to row.  A range reader
 * (okra__reader_seek) never reads past range_end: when the record at pos
 * needs more, limit is set and the parsers stop there (okra__reader_stop).
 */
#ifndef OKRA_READER_INT_H
#define OKRA_READER_INT_H

#include "engine/reader.h"

#include <zlib.h>

#define MAX_RECORD  OKRA_MAX_RECORD_BYTES   /* longest record / line */
#define FIRST_BLOCK ((size_t)1 << 20)       /* initial window and read size */
#define MIN_BLOCK   ((size_t)4 << 10)       /* ... unless the file is smaller */
#define MAX_WINDOW  ((size_t)32 << 20)      /* holds MAX_RECORD + line end */
#define ZIN_SIZE    ((size_t)256 << 10)     /* compressed input block */
#define MAX_COLUMNS OKRA_READER_MAX_COLUMNS /* column index is a uint16_t */
#define MAX_KEYS    OKRA_READER_MAX_KEYS    /* JSON keys, objects included */
#define MAX_DEPTH   OKRA_MAX_JSON_DEPTH     /* JSON nesting */
#define SLACK       16                      /* bytes past the window and vals */

/* A distinct JSON key path ("properties.plan"), leaf or object. */
typedef struct key_entry {
	const char *name; /* in r->arena, NUL-terminated */
	uint32_t len;
	uint32_t hash;
	int32_t column; /* index into names, -1 while only an object */
	uint32_t seen;  /* r->gen of the last row that used the key */
} key_entry;

/* A key of an object inside a JSON array, for the duplicate check. */
typedef struct key_ref {
	const char *s;
	size_t len;
} key_ref;

struct okra_reader {
	okra_file_format format;
	char *display; /* name in messages (owned copy) */
	int fd;
	uint64_t file_size;    /* the size at open: never read past it */
	struct timespec mtime; /* the modification time at open */
	uint64_t n_read;       /* bytes read from the file so far */
	uint32_t read_crc;     /* crc32 of those bytes (streams) */
	char last_byte;        /* the last byte read from the file */
	bool rows_started;     /* past the header: a partial last line may be
	                          left for the next load */
	bool tail_dropped;     /* it was: the file grew while it was read */
	bool src_eof;          /* read() returned 0 */
	bool eof;              /* no decoded bytes will follow buf[end] */
	uint64_t buf_off;      /* file offset of buf[0] (plain files) */

	/* A byte range of a plain file, read with pread (okra__reader_seek) */
	bool is_range;
	bool limit;      /* range_end reached before the end of the file */
	uint64_t offset; /* file offset of the next pread */
	uint64_t range_end;
	uint64_t crc_from; /* crc32 of the bytes read from here on */
	uint32_t crc;

	okra_rc fatal;      /* sticky I/O error ... */
	okra_err fatal_err; /* ... and its message */

	/* gzip */
	bool is_gz, z_ready, member_done;
	z_stream zs;
	unsigned char *zin;
	size_t zin_cap;

	/* The window: decoded bytes [pos, end) of buf; SLACK bytes of '\n'
	 * follow end, so word-wise scans may read past it. */
	char *buf;
	size_t cap, pos, end;
	int64_t line; /* line of the next record */

	char *vals; /* the current row's values, NUL-separated */
	size_t vals_cap;
	okra_row row;
	okra_cell *cells;
	size_t cells_cap;

	okra_arena arena; /* column names */
	const char **names;
	size_t n_names, names_cap;

	/* CSV */
	size_t n_cols;
	uint8_t *json_col; /* per column: its text is a JSON object (NULL:
	                      none is), flattened as JSON Lines are */
	okra_cell *xcells; /* a row's cells with its JSON columns flattened */
	size_t xcells_cap;
	bool skip_record; /* drop the rest of an over-long record */
	bool skip_in_quote;
	int64_t blank_line; /* first of a run of empty lines, or 0 */
	int64_t n_blank;
	uint64_t blank_off; /* its file offset (ranges) */

	/* JSON Lines */
	bool skip_line; /* drop the rest of an over-long line */
	size_t scanned; /* bytes after pos known to hold no '\n' */
	key_entry *keys;
	size_t n_keys, keys_cap;
	uint32_t *slots; /* open addressing: key index + 1, 0 empty */
	size_t n_slots;
	uint32_t gen;      /* row counter for key_entry.seen */
	uint32_t *predict; /* key of the i-th key use in the last row */
	size_t n_predict, predict_cap;
	char *path; /* the dotted key being built */
	size_t path_cap;
	char *akeys; /* unescaped keys of objects in arrays */
	size_t akeys_cap;
	key_ref *krefs;
	size_t n_krefs, krefs_cap;
};

/* ---- reader.c: the window and shared helpers ------------------------- */

/* zlib's crc32 of n bytes after crc (0 to start), faster where the
 * processor allows: the same value. */
uint32_t okra__crc32(uint32_t crc, const void *p, size_t n);

/* Grows the array *pp (elements of size) to hold at least need. */
bool okra__reader_grow(void *pp, size_t *cap, size_t need, size_t size);
/* Keeps [pos, end), moved to the start of the window, and appends what
 * the input has next (sets eof at its end); grows the window when it is
 * full.  Pointers into buf and vals are invalid afterwards. */
okra_rc okra__reader_fill(okra_reader *r, okra_err *err);
okra_rc okra__reader_nomem(okra_reader *r, okra_err *err);
/* Hands back the malformed record raw (no cells) as *row with the reason
 * in err: OKRA_ERR_DATA. */
okra_rc okra__reader_bad_row(okra_reader *r, okra_row **row, okra_err *err,
                             int64_t line, const char *raw, size_t raw_len,
                             const char *fmt, ...) OKRA_PRINTF(7, 8);
/* A range reader at its limit: no row (*row = NULL); okra__reader_stop
 * tells where the next range must go on. */
static inline okra_rc okra__reader_at_limit(okra_row **row)
{
	*row = NULL;
	return OKRA_OK;
}
/* A key for a message: at most 60 bytes, control bytes as '?'. */
void okra__reader_key_for_msg(const char *k, size_t len, char out[64]);

/* ---- csv.c ----------------------------------------------------------- */

/* Reads the header row (at open). */
okra_rc okra__csv_header(okra_reader *r, okra_err *err);
okra_rc okra__csv_next(okra_reader *r, okra_row **row, okra_err *err);

/* ---- jsonl.c --------------------------------------------------------- */

okra_rc okra__jsonl_init(okra_reader *r, okra_err *err);
okra_rc okra__jsonl_next(okra_reader *r, okra_row **row, okra_err *err);

/* CSV with JSON columns: is_json[i] says whether column i holds a JSON
 * object; the header's names join the key table. */
okra_rc okra__csv_json_init(okra_reader *r, const bool *is_json, okra_err *err);
/* The current CSV row (r->cells) with each JSON column replaced by the
 * cells of its object's keys ("column.key", nested keys dotted), into
 * r->xcells and r->row.  OKRA_OK, DATA with the reason in why, or NOMEM.
 * Needs vals room for the record twice (csv_vals_room). */
okra_rc okra__csv_json_row(okra_reader *r, char *why, size_t why_cap);

#endif
