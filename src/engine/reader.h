/*
 * reader.h - row readers for the data files: CSV (RFC 4180) and JSON
 * Lines, plain or gzip-compressed (internal to src/engine).
 *
 * A reader yields one row at a time as (key, value) cells.  Values point
 * into the reader's buffers and stay valid until the next call.  A
 * malformed row is reported with its line and the reader can go on with
 * the next one (for --skip-bad-rows).  No per-row allocation.
 */
#ifndef OKRA_READER_H
#define OKRA_READER_H

#include "okra_int.h"

#include <time.h>

typedef enum okra_cell_type {
	OKRA_CELL_ABSENT = 0, /* empty CSV field, JSON null or "" */
	OKRA_CELL_STRING,     /* text (CSV fields are always strings) */
	OKRA_CELL_NUMBER,     /* a JSON number: val is its literal text */
	OKRA_CELL_BOOL,       /* a JSON true/false: val is "true"/"false" */
} okra_cell_type;

typedef struct okra_cell {
	const char *key;  /* column name; for JSON nested keys are dotted */
	uint32_t key_len; /* ("properties.plan") */
	const char *val;  /* unescaped value, NUL-terminated */
	uint32_t val_len;
	uint8_t type;    /* okra_cell_type */
	uint16_t column; /* CSV: the column's index (stable per file);
	                    JSON: the index of key in the reader's key table */
} okra_cell;

typedef struct okra_row {
	okra_cell *cells;
	size_t n_cells;
	int64_t line;    /* 1-based line where the record starts */
	const char *raw; /* the record's bytes as in the file (no final */
	size_t raw_len;  /* newline), for .okra/rejected/ */
} okra_row;

typedef struct okra_reader okra_reader;

typedef enum { OKRA_FILE_CSV = 0, OKRA_FILE_JSONL } okra_file_format;

/* Opens path, a regular file (a FIFO, a device or a folder is an
 * OKRA_ERR_IO error, without blocking); the format comes from the name
 * (.csv, .jsonl, .ndjson, .json; each optionally .gz, which is also
 * detected from the magic bytes).  display is the name used in messages (NULL:
 * path).  For CSV the header row is read here: an empty file, a missing header
 * or empty or duplicate column names are errors.  Free with okra__reader_close.
 */
okra_rc okra__reader_open(const char *path, const char *display,
                          okra_reader **out, okra_err *err);

/* The next row into *row (borrowed until the next call), or *row = NULL at
 * the end.  A malformed row returns OKRA_ERR_DATA with err = display:line
 * and the reason (wrong column count, unterminated quote, invalid JSON,
 * invalid UTF-8, a line over 16 MiB, ...); *row is then set to the bad
 * record (raw and line valid, no cells; raw is cut at 16 MiB, and is ""
 * for a run of empty CSV lines) and the next call continues after it.
 * I/O errors, and truncated or corrupt gzip data, return OKRA_ERR_IO once
 * the rows before them are read; *row is NULL and the reader cannot go on.
 * docs/data.md has the exact formats and every reason. */
okra_rc okra__reader_next(okra_reader *r, okra_row **row, okra_err *err);

/* CSV: the header's column names; JSON: the keys seen so far.  Column
 * indices in cells index this table.  Borrowed. */
size_t okra__reader_columns(const okra_reader *r, const char *const **names);

/* CSV: reads column i as a JSON object when is_json[i] (one flag per
 * header column): its keys become cells "column.key" (nested objects
 * dotted, arrays as compact JSON text, as JSON Lines are read), its own
 * cell goes, and text that is not an object is a malformed row.  An
 * empty value or null has no keys.  A no-op for JSON Lines.  Call before
 * reading rows or cloning. */
okra_rc okra__reader_set_json(okra_reader *r, const bool *is_json,
                              okra_err *err);
/* Is CSV column column read as a JSON object? */
bool okra__reader_is_json(const okra_reader *r, size_t column);

/* Bytes consumed of the (compressed) file so far, and its size, for a
 * progress bar. */
void okra__reader_progress(const okra_reader *r, uint64_t *done,
                           uint64_t *total);

okra_file_format okra__reader_format(const okra_reader *r);

/*
 * What a load read of a file, for the cache's fingerprint.  A reader reads
 * the file as big as it was at open, never past that size, so rows
 * appended meanwhile wait for the next load.  A last line without a
 * newline is a row when the file is still as it was at open; when the
 * file changed meanwhile it may be half written, and is left out.
 */
typedef struct okra_read_sum {
	uint64_t size;         /* bytes read: the file's first size bytes */
	struct timespec mtime; /* the file's modification time at open */
	uint32_t crc;          /* crc32 of those bytes as they were read */
	bool changed; /* the file changed while it was read (the next load
	                 reads it again) */
} okra_read_sum;

/* After okra__reader_next gave NULL (a stream read to its end): what was
 * read. */
void okra__reader_sum(const okra_reader *r, okra_read_sum *sum);

/* Is r's file no longer as it was at open (its size or modification
 * time)? */
bool okra__reader_changed(const okra_reader *r);
void okra__reader_close(okra_reader *r);

/* ---- byte ranges of a plain file (engine/ingest_par.c) ---------------- */

/* Where reading starts, or must go on: a record's start in a CSV file
 * (or the point where an over-long record's skipped rest goes on). */
typedef struct okra_read_state {
	uint64_t offset;    /* file offset */
	int64_t line;       /* the line there, as the reader counts lines */
	bool skip_record;   /* the rest of an over-long record is skipped */
	bool skip_in_quote; /* CSV: ... and that rest starts inside quotes */
} okra_read_state;

/* Can r's file be read in byte ranges (a plain regular file, not gzip)?
 * Then *first is where its first record starts (after the header and a
 * byte order mark) and *size the file's size. */
bool okra__reader_splittable(const okra_reader *r, okra_read_state *first,
                             uint64_t *size);

/* A reader of the same file (for another thread), sharing nothing with
 * r: the CSV header is copied.  Read nothing from it before
 * okra__reader_seek.  Free with okra__reader_close. */
okra_rc okra__reader_clone(const okra_reader *r, okra_reader **out,
                           okra_err *err);

/* Makes the clone read the records from state `from` on, up to byte
 * offset end.  okra__reader_next then gives the rows that are complete
 * before end, and *row = NULL where the next one needs bytes past end
 * (or at the end of the file). */
okra_rc okra__reader_seek(okra_reader *r, const okra_read_state *from,
                          uint64_t end, okra_err *err);

/* After *row = NULL: true when the reader stopped at a record boundary
 * with nothing pending (a range then ends where the next one starts);
 * *next is where reading goes on (on false: the incomplete record, the
 * first of a run of empty lines, or the rest of an over-long record). */
bool okra__reader_stop(const okra_reader *r, okra_read_state *next);

/* After okra__reader_seek: the crc32 counts the bytes read from offset
 * on (by default from the range's start). */
void okra__reader_crc_from(okra_reader *r, uint64_t offset);
/* Once the range was read to its end (okra__reader_next gave NULL):
 * *crc = crc32 of the range's bytes from the crc's start to its end. */
bool okra__reader_range_crc(const okra_reader *r, uint32_t *crc);
/* Reads n bytes at offset of r's file (false unless all of them). */
bool okra__reader_pread(const okra_reader *r, void *buf, size_t n,
                        uint64_t offset);
/* The file's size and modification time at open. */
void okra__reader_stat(const okra_reader *r, uint64_t *size,
                       struct timespec *mtime);

/* The file offset just past the first '\n' at or after offset (the file's
 * size when there is none): where a range may start. */
okra_rc okra__reader_line_start(const okra_reader *r, uint64_t offset,
                                uint64_t *out, okra_err *err);

/* CSV: the bytes of field column of the next record as far as r has read
 * ahead, when they are plain (no quote or carriage return before them)
 * and that far; false otherwise.  A hint, to prefetch with: the record
 * is not checked. */
bool okra__reader_peek_field(const okra_reader *r, size_t column,
                             const char **val, size_t *len);

/* The bytes per line of what r has read ahead of its position (to size
 * buffers), or 64 when it holds no whole line. */
uint64_t okra__reader_line_bytes(const okra_reader *r);

/* JSON Lines: the most distinct leaf keys and keys (objects included) a
 * file may have; more is a bad row. */
#define OKRA_READER_MAX_COLUMNS OKRA_MAX_COLUMNS
#define OKRA_READER_MAX_KEYS    OKRA_MAX_JSON_KEYS

/* JSON Lines: the distinct keys (leaves, and all) the reader has seen. */
void okra__reader_keys(const okra_reader *r, size_t *n_columns, size_t *n_keys);

/* ---- value parsing (engine/parse.c) ----------------------------------- */

/* A timestamp to microseconds since 1970-01-01T00:00:00Z.  Accepts
 * ISO 8601 "2026-10-05T13:04:11Z", "2026-10-05 13:04:11", with or without
 * a fraction (digits past microseconds are truncated) and an offset
 * (Z, +HH:MM, +HHMM, +HH), a date alone (midnight UTC), and integer Unix
 * time: seconds below 10^11, milliseconds below 10^14, microseconds
 * above.  False on anything else, including invalid calendar dates. */
bool okra__parse_timestamp(const char *s, size_t len, int64_t *micros);

/* A decimal number (as strtod, without hex, inf or nan, no surrounding
 * space).  False on anything else. */
bool okra__parse_double(const char *s, size_t len, double *out);

/* Is s a canonical decimal: -?(0|[1-9][0-9]*)(\.[0-9]*[1-9])? with at most
 * 15 significant digits (and not "-0")?  Its text is then recovered
 * exactly from its double, so such values are stored as numbers only. */
bool okra__is_canonical_number(const char *s, size_t len);

#endif
