/*
 * test_reader.c - unit tests of src/engine/reader.c and parse.c: the CSV
 * and JSON Lines readers (plain and gzip), timestamps, numbers, UTF-8;
 * the readers' crc32; and the dictionaries the ingest builds (dict.c).
 *
 * Reader tests are data: a file's text and the expected dump of every row
 * (see dump()), errors and resynchronization included.  Timestamp values
 * were computed independently (Python's datetime / `date -u -d`).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "okra_int.h"
#include "engine/data.h"
#include "engine/reader.h"
#include "engine/reader_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* ======================================================================
 * Fixtures: a temporary folder, files written into it
 * ====================================================================== */

static char tmp_dir[256];

static int setup_dir(void **state)
{
	snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/okra-test-reader-XXXXXX");
	return mkdtemp(tmp_dir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *tmp_path(const char *name)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmp_dir, name);
	return path;
}

static const char *write_file(const char *name, const char *text, size_t len)
{
	const char *path = tmp_path(name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
	return path;
}

/* Copies the literal s to text + *len and advances *len. */
static void put_text(char *text, size_t *len, const char *s)
{
	memcpy(text + *len, s, strlen(s));
	*len += strlen(s);
}

static const char *write_gz(const char *name, const char *text, size_t len)
{
	const char *path = tmp_path(name);
	gzFile gz = gzopen(path, "wb");
	assert_non_null(gz);
	assert_int_equal(gzwrite(gz, text, (unsigned)len), (int)len);
	assert_int_equal(gzclose(gz), Z_OK);
	return path;
}

/* ======================================================================
 * dump(): every row as one line of text
 *
 *   <line>: key=text key=#number key=?bool key=~      (absent)
 *   <line>! message {raw}
 *
 * Newlines, carriage returns and backslashes in values show as \n \r \\.
 * ====================================================================== */

static void put_escaped(okra_buf *b, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			okra__buf_puts(b, "\\n");
		else if (s[i] == '\r')
			okra__buf_puts(b, "\\r");
		else if (s[i] == '\\')
			okra__buf_puts(b, "\\\\");
		else if (s[i] == '\0')
			okra__buf_puts(b, "\\0");
		else
			okra__buf_putc(b, s[i]);
	}
}

static void dump_row_at(okra_buf *b, const okra_row *row,
                        const char *const *names, size_t n_names,
                        int64_t line_base)
{
	okra__buf_printf(b, "%lld:", (long long)(row->line + line_base));
	for (size_t i = 0; i < row->n_cells; i++) {
		const okra_cell *c = &row->cells[i];
		/* Invariants of every cell. */
		assert_true(c->column < n_names);
		assert_string_equal(names[c->column], c->key);
		assert_int_equal(strlen(c->key), c->key_len);
		assert_int_equal(c->val[c->val_len], '\0');
		okra__buf_putc(b, ' ');
		put_escaped(b, c->key, c->key_len);
		okra__buf_putc(b, '=');
		switch (c->type) {
		case OKRA_CELL_ABSENT:
			assert_int_equal(c->val_len, 0);
			okra__buf_putc(b, '~');
			continue;
		case OKRA_CELL_NUMBER:
			okra__buf_putc(b, '#');
			break;
		case OKRA_CELL_BOOL:
			okra__buf_putc(b, '?');
			break;
		default:
			break;
		}
		put_escaped(b, c->val, c->val_len);
	}
	okra__buf_putc(b, '\n');
}

static void dump_row(okra_buf *b, const okra_row *row, const char *const *names,
                     size_t n_names)
{
	dump_row_at(b, row, names, n_names, 0);
}

/* Reads the file at path to the end, resynchronizing after bad rows. */
static char *dump_path(const char *path)
{
	okra_buf b = {0};
	okra_reader *r = NULL;
	okra_err err = {0};
	okra_rc rc = okra__reader_open(path, "data.x", &r, &err);
	if (rc) {
		okra__buf_printf(&b, "open! %s:%d: %s\n", err.file, err.line,
		                 err.msg);
		return b.data;
	}
	for (int guard = 0; guard < 10000; guard++) {
		okra_row *row = (okra_row *)(uintptr_t)1;
		rc = okra__reader_next(r, &row, &err);
		if (rc == OKRA_ERR_DATA) {
			assert_non_null(row);
			assert_int_equal(row->n_cells, 0);
			assert_int_equal(err.line, row->line);
			assert_string_equal(err.file, "data.x");
			assert_int_equal(err.col, 0);
			okra__buf_printf(&b, "%lld! %s {", (long long)row->line,
			                 err.msg);
			put_escaped(&b, row->raw, row->raw_len);
			okra__buf_puts(&b, "}\n");
			continue;
		}
		if (rc) {
			assert_null(row);
			okra__buf_printf(&b, "fatal! %s\n", err.msg);
			break;
		}
		if (!row)
			break;
		const char *const *names;
		size_t n = okra__reader_columns(r, &names);
		dump_row(&b, row, names, n);
	}
	okra__reader_close(r);
	if (!b.data)
		okra__buf_puts(&b, "");
	return b.data;
}

/* ======================================================================
 * Ranges: the same rows read in byte ranges, as ingest reads them
 *
 * The file is cut just after the first newline at or after each cut
 * point.  A range after one that stopped cleanly is read on its own, its
 * lines counted from 1 (they get the lines before added); after one that
 * did not, it is read again from where that one stopped (ingest_par.c's
 * merge).  The rows must be the file's, whatever the cuts.
 * ====================================================================== */

/* Dumps the rows of one range (lines plus line_base) into b; the stop. */
static bool dump_range(okra_buf *b, okra_reader *c, const okra_read_state *from,
                       uint64_t end, int64_t line_base, okra_read_state *next)
{
	okra_err err = {0};
	assert_int_equal(okra__reader_seek(c, from, end, &err), OKRA_OK);
	for (int guard = 0; guard < 10000; guard++) {
		okra_row *row = NULL;
		okra_rc rc = okra__reader_next(c, &row, &err);
		if (rc == OKRA_ERR_DATA) {
			assert_non_null(row);
			assert_int_equal(err.line, row->line);
			okra__buf_printf(b, "%lld! %s {",
			                 (long long)(row->line + line_base),
			                 err.msg);
			put_escaped(b, row->raw, row->raw_len);
			okra__buf_puts(b, "}\n");
			continue;
		}
		assert_int_equal(rc, OKRA_OK);
		if (!row)
			break;
		const char *const *names;
		size_t n = okra__reader_columns(c, &names);
		dump_row_at(b, row, names, n, line_base);
	}
	return okra__reader_stop(c, next);
}

/* Reads the file in the ranges cut at cuts[0..n_cuts) (ascending). */
static char *dump_cut(const char *path, const uint64_t *cuts, size_t n_cuts)
{
	okra_buf b = {0};
	okra_reader *r = NULL, *c = NULL;
	okra_err err = {0};
	okra_read_state at, next;
	uint64_t size;
	assert_int_equal(okra__reader_open(path, "data.x", &r, &err), OKRA_OK);
	assert_true(okra__reader_splittable(r, &at, &size));
	assert_int_equal(okra__reader_clone(r, &c, &err), OKRA_OK);
	bool clean = true;
	for (size_t i = 0; i <= n_cuts; i++) {
		uint64_t end = size;
		if (i < n_cuts && cuts[i] < size)
			assert_int_equal(
			    okra__reader_line_start(r, cuts[i] - 1, &end, &err),
			    OKRA_OK);
		if (end < at.offset)
			end = at.offset;
		if (clean && i > 0) {
			/* Read on its own, as a worker would. */
			okra_read_state spec = {.offset = at.offset, .line = 1};
			clean =
			    dump_range(&b, c, &spec, end, at.line - 1, &next);
			next.line += at.line - 1;
		} else {
			clean = dump_range(&b, c, &at, end, 0, &next);
		}
		if (clean)
			assert_int_equal(next.offset, end);
		at = next;
	}
	assert_true(clean); /* the last range ends at the end of the file */
	okra__reader_close(c);
	okra__reader_close(r);
	if (!b.data)
		okra__buf_puts(&b, "");
	return b.data;
}

/* Every cut point, and (small files) every pair of them. */
static void check_ranges(const char *path, size_t len, const char *expected)
{
	okra_reader *r = NULL;
	okra_err err = {0};
	okra_read_state first;
	uint64_t size;
	if (okra__reader_open(path, "data.x", &r, &err) != OKRA_OK)
		return;
	bool split = okra__reader_splittable(r, &first, &size);
	okra__reader_close(r);
	if (!split)
		return;
	for (uint64_t a = first.offset + 1; a < len; a++) {
		char *got = dump_cut(path, &a, 1);
		if (strcmp(got, expected) != 0)
			fprintf(stderr,
			        "--- cut at %llu, got:\n%s--- expected:\n%s",
			        (unsigned long long)a, got, expected);
		assert_string_equal(got, expected);
		free(got);
		for (uint64_t z = a + 1; len <= 256 && z < len; z++) {
			uint64_t cuts[2] = {a, z};
			got = dump_cut(path, cuts, 2);
			if (strcmp(got, expected) != 0)
				fprintf(stderr,
				        "--- cuts at %llu, %llu, got:\n%s--- "
				        "expected:\n%s",
				        (unsigned long long)a,
				        (unsigned long long)z, got, expected);
			assert_string_equal(got, expected);
			free(got);
		}
	}
}

static void check_file(const char *name, const char *text, size_t len,
                       const char *expected)
{
	const char *path = write_file(name, text, len);
	char *got = dump_path(path);
	if (strcmp(got, expected) != 0)
		fprintf(stderr, "--- got:\n%s--- expected:\n%s", got, expected);
	assert_string_equal(got, expected);
	free(got);
	check_ranges(path, len, expected);
	/* The same bytes gzip-compressed give the same rows. */
	char gzname[128];
	snprintf(gzname, sizeof(gzname), "%s.gz", name);
	got = dump_path(write_gz(gzname, text, len));
	assert_string_equal(got, expected);
	free(got);
}

#define CSV(text, expected)                                                    \
	check_file("t.csv", text, sizeof(text) - 1, expected)
#define JSONL(text, expected)                                                  \
	check_file("t.jsonl", text, sizeof(text) - 1, expected)

/* ======================================================================
 * CSV
 * ====================================================================== */

static void test_csv_basic(void **state)
{
	CSV("timestamp,event,account_id,user_id,value,plan\n"
	    "2026-10-05T13:04:11Z,report_created,acc_123,usr_4567,12.5,pro\n"
	    "2026-10-05T13:05:00Z,login,,usr_1,,free\n",
	    "2: timestamp=2026-10-05T13:04:11Z event=report_created "
	    "account_id=acc_123 user_id=usr_4567 value=12.5 plan=pro\n"
	    "3: timestamp=2026-10-05T13:05:00Z event=login account_id=~ "
	    "user_id=usr_1 value=~ plan=free\n");
	/* Header only: no rows. */
	CSV("a,b\n", "");
	CSV("a,b", "");
	/* One column. */
	CSV("a\nx\ny\n", "2: a=x\n3: a=y\n");
}

static void test_csv_quoted(void **state)
{
	/* Embedded commas, "" escapes, an empty quoted field (absent). */
	CSV("a,b,c\n"
	    "\"x,y\",\"say \"\"hi\"\"\",\"\"\n"
	    "\"\"\"\",\"\",plain\n",
	    "2: a=x,y b=say \"hi\" c=~\n"
	    "3: a=\" b=~ c=plain\n");
	/* Quoted newlines: the NEXT records keep their true line numbers. */
	CSV("a,b\n"
	    "\"line1\nline2\nline3\",x\n"
	    "next,\"p\r\nq\"\n"
	    "last,row\n",
	    "2: a=line1\\nline2\\nline3 b=x\n"
	    "5: a=next b=p\\r\\nq\n"
	    "7: a=last b=row\n");
	/* Quoted header names. */
	CSV("\"the a\",\"b,c\"\n1,2\n", "2: the a=1 b,c=2\n");
	/* A quoted field may hold a bare CR. */
	CSV("a\n\"x\ry\"\n", "2: a=x\\ry\n");
}

static void test_csv_line_ends(void **state)
{
	/* CRLF. */
	CSV("a,b\r\n1,2\r\n3,\r\n", "2: a=1 b=2\n3: a=3 b=~\n");
	/* No final newline, plain and quoted. */
	CSV("a,b\n1,2", "2: a=1 b=2\n");
	CSV("a,b\n1,\"2\"", "2: a=1 b=2\n");
	CSV("a,b\n1,", "2: a=1 b=~\n");
	/* A final CR alone ends the record. */
	CSV("a,b\n1,2\r", "2: a=1 b=2\n");
	/* Blank lines at the very end are fine. */
	CSV("a,b\n1,2\n\n", "2: a=1 b=2\n");
	CSV("a,b\n1,2\r\n\r\n\r\n", "2: a=1 b=2\n");
	/* A UTF-8 byte order mark is skipped. */
	CSV("\xEF\xBB\xBF"
	    "a,b\n1,2\n",
	    "2: a=1 b=2\n");
	CSV("\xEF\xBB\xBF"
	    "\"a\",b\n1,2\n",
	    "2: a=1 b=2\n");
}

static void test_csv_blank_lines(void **state)
{
	/* Elsewhere an empty line is a bad row; a run of them is one. */
	CSV("a,b\n1,2\n\n3,4\n", "2: a=1 b=2\n3! empty line {}\n4: a=3 b=4\n");
	CSV("a,b\n1,2\n\r\n\n\n3,4\n",
	    "2: a=1 b=2\n3! 3 empty lines {}\n6: a=3 b=4\n");
	/* Also in a one-column file (write "" for an empty value). */
	CSV("a\nx\n\ny\n\"\"\n", "2: a=x\n3! empty line {}\n4: a=y\n5: a=~\n");
}

static void test_csv_errors(void **state)
{
	/* Wrong column counts, and the reader goes on with the next row. */
	CSV("a,b,c,d,e\n"
	    "1,2,3,4,5\n"
	    "1,2,3,4,5,6\n"
	    "1,2,3,4\n"
	    "6,7,8,9,10\n",
	    "2: a=1 b=2 c=3 d=4 e=5\n"
	    "3! expected 5 fields, found 6 {1,2,3,4,5,6}\n"
	    "4! expected 5 fields, found 4 {1,2,3,4}\n"
	    "5: a=6 b=7 c=8 d=9 e=10\n");
	CSV("a\nx,y\n", "2! expected 1 field, found 2 {x,y}\n");
	/* A quote inside an unquoted field: the record is the line. */
	CSV("a,b\nx\"y,1\nok,2\n",
	    "2! quote inside an unquoted field {x\"y,1}\n3: a=ok b=2\n");
	/* ... even when the stray quote would open a quoted run. */
	CSV("a,b\nab\"c,\"1\n2\",z\nok,3\n",
	    "2! quote inside an unquoted field {ab\"c,\"1}\n"
	    "3! quote inside an unquoted field {2\",z}\n"
	    "4: a=ok b=3\n");
	/* Text after a closing quote. */
	CSV("a,b\n\"x\"y,1\r\nok,2\n",
	    "2! unexpected character after a closing quote {\"x\"y,1}\n"
	    "3: a=ok b=2\n");
	CSV("a,b\n\"x\" ,1\nok,2\n",
	    "2! unexpected character after a closing quote {\"x\" ,1}\n"
	    "3: a=ok b=2\n");
	/* A bare CR in an unquoted field. */
	CSV("a,b\nx\ry,1\nok,2\n",
	    "2! carriage return inside an unquoted field (quote the field) "
	    "{x\\ry,1}\n3: a=ok b=2\n");
	/* An unterminated quote takes the rest of the file: one bad row. */
	CSV("a,b\n1,2\n\"open,3\n4,5\n",
	    "2: a=1 b=2\n"
	    "3! unterminated quoted field {\"open,3\\n4,5\\n}\n");
	/* A quoted field over several lines that is malformed: the line
	 * of the error ends the record, the line count stays right. */
	CSV("a,b\n\"x\ny\"z,1\nok,2\n",
	    "2! unexpected character after a closing quote {\"x\\ny\"z,1}\n"
	    "4: a=ok b=2\n");
}

/* Records split sixteen bytes at a time when they hold no quote and no
 * carriage return: what they hold past the first sixteen bytes counts the
 * same as in the first. */
static void test_csv_plain_blocks(void **state)
{
	CSV("a,b,c\n"
	    "0123456789abcdefghij,,klmnopqrstuvwxyz0123456789\n"
	    "0123456789abcdef,0123456789abcde,\n"
	    "0123456789abcdefghij,x,y,z\n"
	    "0123456789abcdefghij,x\n"
	    "0123456789abcdefghij,x\"y,z\n"
	    "0123456789abcdefghij,x\ry,z\n"
	    "0123456789abcdefghij,\xC3\x28,z\n"
	    "0123456789abcdefghij,\xC3\xA9,z\r\n"
	    "0123456789abcdefghij,\"q,1\",z\n"
	    ",,\n",
	    "2: a=0123456789abcdefghij b=~ c=klmnopqrstuvwxyz0123456789\n"
	    "3: a=0123456789abcdef b=0123456789abcde c=~\n"
	    "4! expected 3 fields, found 4 {0123456789abcdefghij,x,y,z}\n"
	    "5! expected 3 fields, found 2 {0123456789abcdefghij,x}\n"
	    "6! quote inside an unquoted field {0123456789abcdefghij,x\"y,z}\n"
	    "7! carriage return inside an unquoted field (quote the field) "
	    "{0123456789abcdefghij,x\\ry,z}\n"
	    "8! invalid UTF-8 {0123456789abcdefghij,\xC3\x28,z}\n"
	    "9: a=0123456789abcdefghij b=\xC3\xA9 c=z\n"
	    "10: a=0123456789abcdefghij b=q,1 c=z\n"
	    "11: a=~ b=~ c=~\n");
	/* The last record without its newline. */
	CSV("a,b\n0123456789abcdefghij,klmnopqrstuvwxyz",
	    "2: a=0123456789abcdefghij b=klmnopqrstuvwxyz\n");
}

static void test_csv_utf8(void **state)
{
	CSV("a,b\n\xC3\xA9t\xC3\xA9,\xF0\x9F\x98\x80\n"
	    "\xC3\x28,1\n"
	    "\"\xED\xA0\x80\",1\n"
	    "ok,\"\xE2\x82\xAC\"\n",
	    "2: a=\xC3\xA9t\xC3\xA9 b=\xF0\x9F\x98\x80\n"
	    "3! invalid UTF-8 {\xC3\x28,1}\n"
	    "4! invalid UTF-8 {\"\xED\xA0\x80\",1}\n"
	    "5: a=ok b=\xE2\x82\xAC\n");
	/* A sequence cut by the end of the file. */
	CSV("a\n\xE2\x82", "2! invalid UTF-8 {\xE2\x82}\n");
}

static void test_csv_header_errors(void **state)
{
	CSV("", "open! data.x:0: empty file (no header row)\n");
	CSV("\xEF\xBB\xBF", "open! data.x:0: empty file (no header row)\n");
	CSV("\na,b\n",
	    "open! data.x:1: missing header row (line 1 is empty)\n");
	CSV("a,,b\n", "open! data.x:1: empty column name (column 2)\n");
	CSV("a,b,\n", "open! data.x:1: empty column name (column 3)\n");
	CSV("a,b,a\n",
	    "open! data.x:1: duplicate column name \"a\" (columns 1 and 3)\n");
	CSV("\"a\"x,b\n", "open! data.x:1: header row: unexpected character "
	                  "after a closing quote\n");
	CSV("\"a,b\n1,2\n",
	    "open! data.x:1: header row: unterminated quoted field\n");
	CSV("a,\xFF\n", "open! data.x:1: header row: invalid UTF-8\n");
	/* Names are exact: no trimming, so these differ. */
	CSV("a, a\n1,2\n", "2: a=1  a=2\n");
	check_file("t.csv", "a,\0b\n", 5,
	           "open! data.x:1: NUL byte in column name (column 2)\n");
}

static void test_csv_nul_in_values(void **state)
{
	/* NUL is valid UTF-8: kept, with val_len telling the length. */
	check_file("t.csv", "a,b\nx\0y,1\n", 10, "2: a=x\\0y b=1\n");
}

/* Builds a CSV of n rows where every row is unique, for block spans. */
static char *make_csv(size_t n_rows, size_t *len)
{
	okra_buf b = {0};
	okra__buf_puts(&b, "id,text,n\n");
	for (size_t i = 0; i < n_rows; i++) {
		if (i % 7 == 3)
			okra__buf_printf(
			    &b, "%zu,\"multi\nline, \"\"%zu\"\"\",%zu\n", i, i,
			    i * 3);
		else
			okra__buf_printf(&b, "%zu,plain text %zu,%zu\r\n", i, i,
			                 i * 3);
	}
	*len = b.len;
	return b.data;
}

static void check_many(const char *path, size_t n_rows)
{
	okra_reader *r;
	okra_err err;
	assert_int_equal(okra__reader_open(path, "big", &r, &err), OKRA_OK);
	int64_t line = 2;
	uint64_t last_done = 0, done, total;
	for (size_t i = 0; i < n_rows; i++) {
		okra_row *row;
		assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
		assert_non_null(row);
		assert_int_equal(row->line, line);
		assert_int_equal(row->n_cells, 3);
		char want[64];
		snprintf(want, sizeof(want), "%zu", i);
		assert_string_equal(row->cells[0].val, want);
		if (i % 7 == 3) {
			snprintf(want, sizeof(want), "multi\nline, \"%zu\"", i);
			line += 2;
		} else {
			snprintf(want, sizeof(want), "plain text %zu", i);
			line += 1;
		}
		assert_string_equal(row->cells[1].val, want);
		snprintf(want, sizeof(want), "%zu", i * 3);
		assert_string_equal(row->cells[2].val, want);
		okra__reader_progress(r, &done, &total);
		assert_true(done >= last_done);
		assert_true(done <= total);
		last_done = done;
	}
	okra_row *row;
	assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
	assert_null(row);
	okra__reader_progress(r, &done, &total);
	assert_int_equal(done, total);
	okra__reader_close(r);
}

static void test_csv_spans_blocks(void **state)
{
	/* ~9 MiB: records cross the 1 MiB read blocks everywhere. */
	size_t len, n = 300000;
	char *text = make_csv(n, &len);
	check_many(write_file("big.csv", text, len), n);
	check_many(write_gz("big.csv.gz", text, len), n);
	free(text);
}

/* A CSV "a,b" with one record of a field of n bytes of 'x' (quoted,
 * holding a newline), then "ok,3". */
static const char *write_long_csv(const char *name, size_t n)
{
	size_t len = 0;
	char *text = malloc(n + 64);
	assert_non_null(text);
	put_text(text, &len, "a,b\n1,\"");
	memset(text + len, 'x', n);
	text[len + 10] = '\n';
	len += n;
	put_text(text, &len, "\",2\nok,3\n");
	const char *path = write_file(name, text, len);
	free(text);
	return path;
}

static void test_csv_long_record(void **state)
{
	okra_reader *r;
	okra_err err;
	okra_row *row;
	size_t len;
	/* 17 MiB: fits the window, reported with its first 16 MiB. */
	size_t n = (size_t)17 << 20;
	const char *path = write_long_csv("long.csv", n);
	assert_int_equal(okra__reader_open(path, "long.csv", &r, &err),
	                 OKRA_OK);
	assert_int_equal(okra__reader_next(r, &row, &err), OKRA_ERR_DATA);
	assert_int_equal(row->line, 2);
	assert_int_equal(row->raw_len, (size_t)16 << 20);
	assert_string_equal(err.msg, "record longer than 16 MiB");
	assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
	assert_non_null(row);
	assert_int_equal(row->line, 4);
	assert_string_equal(row->cells[0].val, "ok");
	assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
	assert_null(row);
	okra__reader_close(r);

	/* 40 MiB: reported when the window holds 16 MiB of it (raw cut
	 * there), and the rest skipped, lines still counted. */
	n = (size_t)40 << 20;
	path = write_long_csv("longer.csv", n);
	assert_int_equal(okra__reader_open(path, "long.csv", &r, &err),
	                 OKRA_OK);
	assert_int_equal(okra__reader_next(r, &row, &err), OKRA_ERR_DATA);
	assert_int_equal(row->line, 2);
	assert_int_equal(row->raw_len, (size_t)16 << 20);
	assert_string_equal(err.msg, "record longer than 16 MiB (an "
	                             "unterminated quoted field?)");
	assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
	assert_non_null(row);
	assert_int_equal(row->line, 4);
	assert_string_equal(row->cells[0].val, "ok");
	assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
	assert_null(row);
	okra__reader_close(r);

	/* In ranges cut inside such a record (a newline every MiB): before
	 * 16 MiB of it it is read again from its start, after them its rest
	 * is skipped on from the cut, inside the quotes. */
	n = (size_t)40 << 20;
	char *many = malloc(n + 64);
	assert_non_null(many);
	len = 0;
	put_text(many, &len, "a,b\n1,\"");
	memset(many + len, 'x', n);
	for (size_t at = (size_t)1 << 20; at < n; at += (size_t)1 << 20)
		many[len + at] = '\n';
	len += n;
	put_text(many, &len, "\",2\nok,3\n");
	path = write_file("lines.csv", many, len);
	free(many);
	char *whole = dump_path(path);
	assert_non_null(strstr(whole, "\n42: a=ok b=3\n"));
	uint64_t cuts[4] = {(uint64_t)5 << 20, (uint64_t)17 << 20,
	                    (uint64_t)25 << 20, (uint64_t)39 << 20};
	for (size_t k = 0; k < 4; k++) {
		char *got = dump_cut(path, &cuts[k], 1);
		assert_string_equal(got, whole);
		free(got);
	}
	char *all = dump_cut(path, cuts, 4);
	assert_string_equal(all, whole);
	free(all);
	free(whole);

	/* An unterminated quote 20 MiB before the end: the same report,
	 * whether the window ends first (plain) or the input does (gzip
	 * fills the whole window). */
	n = (size_t)20 << 20;
	char *open_text = malloc(n + 16);
	assert_non_null(open_text);
	memcpy(open_text, "a,b\n1,\"", 7);
	memset(open_text + 7, 'z', n);
	char paths[2][512];
	snprintf(paths[0], 512, "%s", write_file("open.csv", open_text, n + 7));
	snprintf(paths[1], 512, "%s", write_gz("o.csv.gz", open_text, n + 7));
	free(open_text);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(okra__reader_open(paths[k], "o", &r, &err), 0);
		assert_int_equal(okra__reader_next(r, &row, &err),
		                 OKRA_ERR_DATA);
		assert_int_equal(row->line, 2);
		assert_int_equal(row->raw_len, (size_t)16 << 20);
		assert_string_equal(err.msg, "record longer than 16 MiB (an "
		                             "unterminated quoted field?)");
		assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
		assert_null(row);
		okra__reader_close(r);
	}

	/* Exactly 16 MiB is fine. */
	size_t fits = ((size_t)16 << 20) - 2;
	char *text = malloc(fits + 64);
	assert_non_null(text);
	len = 0;
	put_text(text, &len, "a,b\n");
	memset(text + len, 'y', fits);
	len += fits;
	put_text(text, &len, ",1\nok,2\n");
	path = write_file("fits.csv", text, len);
	free(text);
	assert_int_equal(okra__reader_open(path, "fits.csv", &r, &err),
	                 OKRA_OK);
	assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
	assert_int_equal(row->raw_len, (size_t)16 << 20);
	assert_int_equal(row->cells[0].val_len, fits);
	assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
	assert_int_equal(row->line, 3);
	okra__reader_close(r);
}

static void test_open_errors(void **state)
{
	okra_reader *r = (okra_reader *)(uintptr_t)1;
	okra_err err;
	assert_int_equal(
	    okra__reader_open(tmp_path("missing.csv"), "m.csv", &r, &err),
	    OKRA_ERR_IO);
	assert_string_equal(err.file, "m.csv");
	assert_true(strstr(err.msg, "cannot read") != NULL);
	assert_ptr_equal(r, (okra_reader *)(uintptr_t)1);
	write_file("data.txt", "a\n", 2);
	assert_int_equal(
	    okra__reader_open(tmp_path("data.txt"), "data.txt", &r, &err),
	    OKRA_ERR_DATA);
	assert_true(strstr(err.msg, "unknown data file type") != NULL);

	/* Formats from the name, case-insensitively, .gz optional. */
	static const struct {
		const char *name;
		okra_file_format format;
	} names[] = {
	    {"x.csv", OKRA_FILE_CSV},        {"x.CSV", OKRA_FILE_CSV},
	    {"x.csv.gz", OKRA_FILE_CSV},     {"x.jsonl", OKRA_FILE_JSONL},
	    {"x.ndjson", OKRA_FILE_JSONL},   {"x.json", OKRA_FILE_JSONL},
	    {"x.jsonl.gz", OKRA_FILE_JSONL}, {"x.json.GZ", OKRA_FILE_JSONL},
	};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(names); i++) {
		const char *path = write_file(names[i].name, "a\n", 2);
		assert_int_equal(okra__reader_open(path, "x", &r, &err),
		                 OKRA_OK);
		assert_int_equal(okra__reader_format(r), names[i].format);
		okra__reader_close(r);
	}
}

/* ======================================================================
 * gzip
 * ====================================================================== */

static void test_gzip(void **state)
{
	/* check_file() reads every CSV and JSONL test through gzip too; here
	 * the gzip-specific cases. */
	const char *csv = "a,b\n1,2\n3,4\n";
	/* Compressed data in a file not named .gz is found by its magic. */
	const char *path = write_gz("magic.csv", csv, strlen(csv));
	char *got = dump_path(path);
	assert_string_equal(got, "2: a=1 b=2\n3: a=3 b=4\n");
	free(got);
	/* A .gz name on plain data reads it plainly. */
	got = dump_path(write_file("plain.csv.gz", csv, strlen(csv)));
	assert_string_equal(got, "2: a=1 b=2\n3: a=3 b=4\n");
	free(got);

	/* Concatenated members read as one stream (gzip -d does). */
	size_t n1, n2;
	FILE *f;
	char a[256], b[256];
	write_gz("m1.gz", "a,b\n1,", 6);
	write_gz("m2.gz", "2\n3,4\n", 6);
	f = fopen(tmp_path("m1.gz"), "rb");
	n1 = fread(a, 1, sizeof(a), f);
	fclose(f);
	f = fopen(tmp_path("m2.gz"), "rb");
	n2 = fread(b, 1, sizeof(b), f);
	fclose(f);
	char both[512];
	memcpy(both, a, n1);
	memcpy(both + n1, b, n2);
	got = dump_path(write_file("multi.csv.gz", both, n1 + n2));
	assert_string_equal(got, "2: a=1 b=2\n3: a=3 b=4\n");
	free(got);

	/* Truncated: the rows before the cut, then a fatal error. */
	got = dump_path(write_file("cut.csv.gz", both, n1 + n2 - 5));
	assert_string_equal(got, "2: a=1 b=2\n3: a=3 b=4\n"
	                         "fatal! truncated gzip data: unexpected end "
	                         "of file\n");
	free(got);
	/* Trailing garbage after the last member. */
	memcpy(both + n1 + n2, "junk", 4);
	got = dump_path(write_file("junk.csv.gz", both, n1 + n2 + 4));
	assert_string_equal(got,
	                    "2: a=1 b=2\n3: a=3 b=4\n"
	                    "fatal! trailing garbage after the gzip data\n");
	free(got);
	/* Corrupt deflate data. */
	memcpy(both, a, n1);
	both[12] ^= 0x55;
	both[13] ^= 0x55;
	got = dump_path(write_file("bad.csv.gz", both, n1));
	assert_true(strstr(got, "corrupt gzip data") != NULL ||
	            strstr(got, "truncated") != NULL);
	free(got);
}

static void test_progress(void **state)
{
	/* Progress counts bytes of the file itself: compressed for .gz. */
	size_t len;
	char *text = make_csv(200000, &len);
	char paths[2][512];
	snprintf(paths[0], 512, "%s", write_file("p.csv", text, len));
	snprintf(paths[1], 512, "%s", write_gz("p.csv.gz", text, len));
	free(text);
	for (int k = 0; k < 2; k++) {
		okra_reader *r;
		okra_err err;
		okra_row *row;
		uint64_t done, total, prev = 0;
		size_t steps = 0;
		assert_int_equal(okra__reader_open(paths[k], "p", &r, &err), 0);
		okra__reader_progress(r, &done, &total);
		FILE *f = fopen(paths[k], "rb");
		fseek(f, 0, SEEK_END);
		uint64_t size = (uint64_t)ftell(f);
		fclose(f);
		assert_int_equal(total, size);
		assert_true(done < total);
		while (okra__reader_next(r, &row, &err) == OKRA_OK && row) {
			okra__reader_progress(r, &done, &total);
			assert_true(done >= prev && done <= total);
			assert_int_equal(total, size);
			steps += done > prev;
			prev = done;
		}
		okra__reader_progress(r, &done, &total);
		assert_int_equal(done, size);
		assert_true(steps > 1); /* it moves while reading */
		okra__reader_close(r);
	}
}

/* ======================================================================
 * JSON Lines
 * ====================================================================== */

static void test_jsonl_basic(void **state)
{
	JSONL("{\"timestamp\":\"2026-10-05T13:04:11Z\",\"event\":\"login\","
	      "\"n\":12.5,\"ok\":true,\"no\":false,\"gone\":null}\n"
	      "{\"event\":\"x\",\"timestamp\":\"t\"}\r\n"
	      "\n"
	      "   \r\n"
	      "{}\n"
	      "  { \"event\" : \"y\" , \"n\" : -0 }  \n",
	      "1: timestamp=2026-10-05T13:04:11Z event=login n=#12.5 ok=?true "
	      "no=?false gone=~\n"
	      "2: event=x timestamp=t\n"
	      "5:\n"
	      "6: event=y n=#-0\n");
	/* An empty string is absent, like an empty CSV field. */
	JSONL("{\"a\":\"\",\"b\":\" \",\"c\":[\"\"]}\n",
	      "1: a=~ b=  c=[\"\"]\n");
	/* No final newline; a BOM at the start. */
	JSONL("\xEF\xBB\xBF{\"a\":1}\n{\"a\":2}", "1: a=#1\n2: a=#2\n");
}

static void test_jsonl_columns(void **state)
{
	const char *text = "{\"b\":1,\"a\":2}\n"
	                   "{\"a\":3,\"c\":{\"d\":4},\"c.e\":5}\n";
	const char *path = write_file("cols.jsonl", text, strlen(text));
	okra_reader *r;
	okra_err err;
	okra_row *row;
	const char *const *names;
	assert_int_equal(okra__reader_open(path, "c", &r, &err), OKRA_OK);
	assert_int_equal(okra__reader_columns(r, &names), 0);
	assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
	assert_int_equal(okra__reader_columns(r, &names), 2);
	assert_string_equal(names[0], "b");
	assert_string_equal(names[1], "a");
	assert_int_equal(row->cells[0].column, 0);
	assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
	assert_int_equal(okra__reader_columns(r, &names), 4);
	assert_string_equal(names[2], "c.d");
	assert_string_equal(names[3], "c.e");
	assert_int_equal(row->cells[0].column, 1); /* "a": stable index */
	assert_int_equal(row->cells[1].column, 2);
	okra__reader_close(r);
}

static void test_jsonl_nested(void **state)
{
	JSONL("{\"event\":\"e\",\"properties\":{\"plan\":\"pro\",\"seats\":3,"
	      "\"deep\":{\"x\":{\"y\":true}}},\"after\":1}\n"
	      "{\"properties\":{},\"z\":{\"\":1}}\n",
	      "1: event=e properties.plan=pro properties.seats=#3 "
	      "properties.deep.x.y=?true after=#1\n"
	      "2: z.=#1\n");
	/* Arrays: the compact JSON text, strings as written. */
	JSONL(
	    "{\"tags\":[ \"a\" , \"b\\u00e9\\n\" ],\"m\":[[1, 2],{ \"k\" : "
	    "[ ] , \"j\":{}},null,true,-1.5e3],\"e\":[]}\n",
	    "1: tags=[\"a\",\"b\\\\u00e9\\\\n\"] m=[[1,2],{\"k\":[],\"j\":{}},"
	    "null,true,-1.5e3] e=[]\n");
}

static void test_jsonl_strings(void **state)
{
	JSONL("{\"s\":\"q\\\"b\\\\s\\/f\\bf\\fn\\nr\\rt\\t\"}\n"
	      "{\"u\":\"\\u0041\\u00e9\\u20AC\\ud83d\\ude00\"}\n"
	      "{\"raw\":\"\xC3\xA9\xF0\x9F\x98\x80\"}\n"
	      "{\"nul\":\"a\\u0000b\"}\n"
	      "{\"k\\u00e9y\":1}\n",
	      "1: s=q\"b\\\\s/f\bf\fn\\nr\\rt\t\n"
	      "2: u=A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\n"
	      "3: raw=\xC3\xA9\xF0\x9F\x98\x80\n"
	      "4: nul=a\\0b\n"
	      "5: k\xC3\xA9y=#1\n");
}

static void test_jsonl_numbers(void **state)
{
	JSONL("{\"a\":0,\"b\":-1,\"c\":1.25,\"d\":1e9,\"e\":-2.5E-3,"
	      "\"f\":1E+2,\"g\":123456789012345678901234567890}\n",
	      "1: a=#0 b=#-1 c=#1.25 d=#1e9 e=#-2.5E-3 f=#1E+2 "
	      "g=#123456789012345678901234567890\n");
	JSONL("{\"a\":01}\n{\"a\":1.}\n{\"a\":.5}\n{\"a\":+1}\n{\"a\":1e}\n"
	      "{\"a\":-}\n{\"a\":0x10}\n{\"a\":NaN}\n{\"a\":1.5.2}\n",
	      "1! invalid JSON: invalid number (column 6) {{\"a\":01}}\n"
	      "2! invalid JSON: invalid number (column 6) {{\"a\":1.}}\n"
	      "3! invalid JSON: expected a value (column 6) {{\"a\":.5}}\n"
	      "4! invalid JSON: expected a value (column 6) {{\"a\":+1}}\n"
	      "5! invalid JSON: invalid number (column 6) {{\"a\":1e}}\n"
	      "6! invalid JSON: invalid number (column 6) {{\"a\":-}}\n"
	      "7! invalid JSON: invalid number (column 6) {{\"a\":0x10}}\n"
	      "8! invalid JSON: expected a value (column 6) {{\"a\":NaN}}\n"
	      "9! invalid JSON: invalid number (column 6) {{\"a\":1.5.2}}\n");
}

static void test_jsonl_errors(void **state)
{
	JSONL("[1,2]\n"
	      "\"s\"\n"
	      "42\n"
	      "true\n"
	      "null\n"
	      "nope\n"
	      "{\"a\":1} x\n"
	      "{\"a\":1}{}\n"
	      "{\"a\":1,}\n"
	      "{\"a\" 1}\n"
	      "{a:1}\n"
	      "{\"a\":1\n"
	      "{\"a\":\"x}\n"
	      "{\"a\":\"tab\tin\"}\n"
	      "{\"a\":\"\\x\"}\n"
	      "{\"a\":\"\\u12G4\"}\n"
	      "{\"a\":\"\\ud800\"}\n"
	      "{\"a\":\"\\udc00\\ud800\"}\n"
	      "{\"a\":\"\\ud800\\u0041\"}\n"
	      "{\"a\":[1,]}\n"
	      "{\"a\":[1 2]}\n"
	      "{\"a\":tru}\n"
	      "{\"a\":truex}\n"
	      "{\"ok\":1}\n",
	      "1! expected a JSON object, found an array {[1,2]}\n"
	      "2! expected a JSON object, found a string {\"s\"}\n"
	      "3! expected a JSON object, found a number {42}\n"
	      "4! expected a JSON object, found a boolean {true}\n"
	      "5! expected a JSON object, found null {null}\n"
	      "6! invalid JSON: expected an object (column 1) {nope}\n"
	      "7! trailing characters after the JSON object (column 9) "
	      "{{\"a\":1} x}\n"
	      "8! trailing characters after the JSON object (column 8) "
	      "{{\"a\":1}{}}\n"
	      "9! invalid JSON: expected a string key (column 8) {{\"a\":1,}}\n"
	      "10! invalid JSON: expected ':' after an object key (column 6) "
	      "{{\"a\" 1}}\n"
	      "11! invalid JSON: expected a string key (column 2) {{a:1}}\n"
	      "12! invalid JSON: expected ',' or '}' in an object (at the end "
	      "of the line) {{\"a\":1}\n"
	      "13! invalid JSON: unterminated string (at the end of the line) "
	      "{{\"a\":\"x}}\n"
	      "14! invalid JSON: control character in a string (escape it) "
	      "(column 10) {{\"a\":\"tab\tin\"}}\n"
	      "15! invalid JSON: invalid escape in a string (column 7) "
	      "{{\"a\":\"\\\\x\"}}\n"
	      "16! invalid JSON: invalid \\u escape (column 7) "
	      "{{\"a\":\"\\\\u12G4\"}}\n"
	      "17! invalid JSON: lone surrogate in a \\u escape (column 7) "
	      "{{\"a\":\"\\\\ud800\"}}\n"
	      "18! invalid JSON: lone surrogate in a \\u escape (column 7) "
	      "{{\"a\":\"\\\\udc00\\\\ud800\"}}\n"
	      "19! invalid JSON: lone surrogate in a \\u escape (column 7) "
	      "{{\"a\":\"\\\\ud800\\\\u0041\"}}\n"
	      "20! invalid JSON: expected a value (column 9) {{\"a\":[1,]}}\n"
	      "21! invalid JSON: expected ',' or ']' in an array (column 9) "
	      "{{\"a\":[1 2]}}\n"
	      "22! invalid JSON: invalid literal (true, false or null) "
	      "(column 6) {{\"a\":tru}}\n"
	      "23! invalid JSON: invalid literal (true, false or null) "
	      "(column 6) "
	      "{{\"a\":truex}}\n"
	      "24: ok=#1\n");
}

static void test_jsonl_duplicates(void **state)
{
	JSONL("{\"a\":1,\"a\":2}\n"
	      "{\"a\":{\"b\":1},\"a\":{\"c\":1}}\n"
	      "{\"a\":1,\"a\":{\"b\":1}}\n"
	      "{\"a\":{\"b\":1},\"a.b\":2}\n"
	      "{\"x\":[{\"k\":1,\"j\":2,\"k\":3}]}\n"
	      "{\"x\":[{\"k\":1},{\"k\":2}],\"y\":{\"k\":1},\"k\":1}\n"
	      "{\"\\u0061\":1,\"a\":2}\n"
	      "{\"x\":[{\"k\":{\"\\u006b\":1,\"k\":2}}]}\n"
	      "{\"a\\u0000\":1}\n",
	      "1! duplicate key \"a\" (column 8) {{\"a\":1,\"a\":2}}\n"
	      "2! duplicate key \"a\" (column 14) "
	      "{{\"a\":{\"b\":1},\"a\":{\"c\":1}}}\n"
	      "3! duplicate key \"a\" (column 8) {{\"a\":1,\"a\":{\"b\":1}}}\n"
	      "4! duplicate key \"a.b\" after flattening (column 14) "
	      "{{\"a\":{\"b\":1},\"a.b\":2}}\n"
	      "5! duplicate key \"k\" in an object inside an array "
	      "{{\"x\":[{\"k\":1,\"j\":2,\"k\":3}]}}\n"
	      "6: x=[{\"k\":1},{\"k\":2}] y.k=#1 k=#1\n"
	      "7! duplicate key \"a\" (column 13) {{\"\\\\u0061\":1,\"a\":2}}\n"
	      "8! duplicate key \"k\" in an object inside an array "
	      "{{\"x\":[{\"k\":{\"\\\\u006b\":1,\"k\":2}}]}}\n"
	      "9! invalid JSON: \\u0000 in an object key (column 2) "
	      "{{\"a\\\\u0000\":1}}\n");
}

/* The named limits of a data file: a CSV header of more than
 * OKRA_MAX_COLUMNS columns, JSON Lines with more than OKRA_MAX_JSON_KEYS
 * distinct key paths (objects count), each a clear error at its line. */
static void test_limits(void **state)
{
	(void)state;
	okra_buf b = {0};
	for (int i = 0; i <= OKRA_MAX_COLUMNS; i++)
		okra__buf_printf(&b, "%sc%d", i ? "," : "", i);
	okra__buf_putc(&b, '\n');
	const char *path = write_file("wide.csv", b.data, b.len);
	okra_reader *r = NULL;
	okra_err err;
	assert_int_equal(okra__reader_open(path, "wide.csv", &r, &err),
	                 OKRA_ERR_DATA);
	assert_int_equal(err.line, 1);
	assert_string_equal(err.msg, "more than 65535 columns");
	okra__buf_free(&b);

	/* Objects only (no leaf columns): 1,000 new keys a line. */
	int per_line = 1000, lines = OKRA_MAX_JSON_KEYS / per_line + 2;
	for (int l = 0; l < lines; l++) {
		okra__buf_puts(&b, "{\"e\":1");
		for (int k = 0; k < per_line; k++)
			okra__buf_printf(&b, ",\"o%d\":{}", l * per_line + k);
		okra__buf_puts(&b, "}\n");
	}
	path = write_file("keys.jsonl", b.data, b.len);
	assert_int_equal(okra__reader_open(path, "keys.jsonl", &r, &err),
	                 OKRA_OK);
	okra_row *row;
	okra_rc rc;
	int64_t bad_line = 0;
	while ((rc = okra__reader_next(r, &row, &err)) != OKRA_OK || row) {
		if (rc == OKRA_ERR_DATA) {
			bad_line = row->line;
			break;
		}
		assert_int_equal(rc, OKRA_OK);
	}
	/* The key past the limit is on this line (the "e" key counts). */
	assert_int_equal(bad_line, (OKRA_MAX_JSON_KEYS - 1) / per_line + 1);
	assert_non_null(strstr(err.msg, "more than 262144 distinct keys"));
	okra__reader_close(r);
	okra__buf_free(&b);
}

static void test_jsonl_depth(void **state)
{
	/* 32 levels of objects are fine, 33 are not; arrays count too. */
	okra_buf b = {0};
	for (int d = 31; d <= 33; d++) {
		for (int i = 0; i < d; i++)
			okra__buf_puts(&b, "{\"k\":");
		okra__buf_puts(&b, "1");
		for (int i = 0; i < d; i++)
			okra__buf_putc(&b, '}');
		okra__buf_putc(&b, '\n');
	}
	okra__buf_puts(&b, "{\"a\":");
	for (int i = 0; i < 31; i++)
		okra__buf_putc(&b, '[');
	for (int i = 0; i < 31; i++)
		okra__buf_putc(&b, ']');
	okra__buf_puts(&b, "}\n{\"a\":");
	for (int i = 0; i < 32; i++)
		okra__buf_putc(&b, '[');
	for (int i = 0; i < 32; i++)
		okra__buf_putc(&b, ']');
	okra__buf_puts(&b, "}\n");
	char *got = dump_path(write_file("deep.jsonl", b.data, b.len));
	char *l1 = got, *l2 = strchr(l1, '\n') + 1, *l3 = strchr(l2, '\n') + 1;
	char *l4 = strchr(l3, '\n') + 1, *l5 = strchr(l4, '\n') + 1;
	assert_true(strncmp(l1, "1: k.k.k", 8) == 0);
	assert_true(strncmp(l2, "2: k.k.k", 8) == 0);
	assert_true(strncmp(l3,
	                    "3! invalid JSON: nesting deeper than 32 levels",
	                    46) == 0);
	assert_true(strncmp(l4, "4: a=[[[", 8) == 0);
	assert_true(strncmp(l5,
	                    "5! invalid JSON: nesting deeper than 32 levels",
	                    46) == 0);
	free(got);
	okra__buf_free(&b);
}

static void test_jsonl_utf8(void **state)
{
	JSONL("{\"a\":\"\xC3\x28\"}\n"
	      "{\"a\":\"\xED\xA0\x80\"}\n"
	      "{\"a\":\"\xC0\xAF\"}\n"
	      "{\"a\":\"ok\"}\n",
	      "1! invalid UTF-8 {{\"a\":\"\xC3\x28\"}}\n"
	      "2! invalid UTF-8 {{\"a\":\"\xED\xA0\x80\"}}\n"
	      "3! invalid UTF-8 {{\"a\":\"\xC0\xAF\"}}\n"
	      "4: a=ok\n");
}

static void test_jsonl_long_line(void **state)
{
	/* Reported with its first 16 MiB, whether it fits the window (17
	 * MiB) or is skipped past it (40 MiB). */
	static const size_t sizes[] = {(size_t)17 << 20, (size_t)40 << 20};
	for (int k = 0; k < 2; k++) {
		size_t big = sizes[k], len;
		char *text = malloc(big + 64);
		assert_non_null(text);
		len = 0;
		put_text(text, &len, "{\"a\":1}\n{\"a\":\"");
		memset(text + len, 'x', big);
		len += big;
		put_text(text, &len, "\"}\n{\"a\":3}\n");
		const char *path = write_gz("long.jsonl.gz", text, len);
		free(text);
		okra_reader *r;
		okra_err err;
		okra_row *row;
		assert_int_equal(okra__reader_open(path, "long", &r, &err), 0);
		assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
		assert_int_equal(okra__reader_next(r, &row, &err),
		                 OKRA_ERR_DATA);
		assert_int_equal(row->line, 2);
		assert_int_equal(err.line, 2);
		assert_int_equal(row->raw_len, (size_t)16 << 20);
		assert_string_equal(err.msg, "line longer than 16 MiB");
		assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
		assert_int_equal(row->line, 3);
		assert_string_equal(row->cells[0].val, "3");
		assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
		assert_null(row);
		okra__reader_close(r);
	}
}

static void test_jsonl_many_keys(void **state)
{
	/* The key table grows (rehashing) and keeps indices stable. */
	okra_buf b = {0};
	for (int i = 0; i < 3000; i++)
		okra__buf_printf(
		    &b, "{\"k%d\":%d,\"n\":{\"k%d\":1},\"same\":0}\n", i, i, i);
	const char *path = write_file("keys.jsonl", b.data, b.len);
	okra__buf_free(&b);
	okra_reader *r;
	okra_err err;
	okra_row *row;
	const char *const *names;
	assert_int_equal(okra__reader_open(path, "k", &r, &err), OKRA_OK);
	for (int i = 0; i < 3000; i++) {
		assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
		assert_int_equal(row->n_cells, 3);
		assert_int_equal(row->cells[2].column, 2);
		assert_int_equal(row->cells[0].column, i == 0 ? 0 : 2 * i + 1);
	}
	assert_int_equal(okra__reader_columns(r, &names), 6001);
	assert_string_equal(names[1], "n.k0");
	assert_string_equal(names[2], "same");
	assert_string_equal(names[6000], "n.k2999");
	okra__reader_close(r);
}

/* ======================================================================
 * Timestamps
 * ====================================================================== */

static int64_t ts(const char *s)
{
	int64_t v = INT64_MIN;
	if (!okra__parse_timestamp(s, strlen(s), &v)) {
		print_error("rejected: %s\n", s);
		fail();
	}
	return v;
}

static bool ts_ok(const char *s)
{
	int64_t v = 42;
	bool ok = okra__parse_timestamp(s, strlen(s), &v);
	if (!ok)
		assert_int_equal(v, 42); /* untouched on failure */
	return ok;
}

#define S(x) ((int64_t)(x)*1000000)

static void test_timestamp_forms(void **state)
{
	/* 2026-10-05T13:04:11Z = 1791205451 (date -u -d ... +%s) */
	int64_t t = S(1791205451);
	assert_int_equal(ts("2026-10-05T13:04:11Z"), t);
	assert_int_equal(ts("2026-10-05T13:04:11z"), t);
	assert_int_equal(ts("2026-10-05t13:04:11"), t);
	assert_int_equal(ts("2026-10-05 13:04:11"), t);
	assert_int_equal(ts("2026-10-05T13:04:11"), t);
	assert_int_equal(ts("2026-10-05T13:04"), t - S(11));
	assert_int_equal(ts("2026-10-05T13:04Z"), t - S(11));
	assert_int_equal(ts("2026-10-05"), S(1791158400));
	assert_int_equal(ts("1791205451"), t);
	assert_int_equal(ts("0"), 0);
	assert_int_equal(ts("-1"), S(-1));
	assert_int_equal(ts("-86400"), S(-86400));
	assert_int_equal(ts("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(ts("1970-01-01"), 0);
	assert_int_equal(ts("1969-12-31T23:59:59Z"), S(-1));
	assert_int_equal(ts("1969-12-31T23:59:59.999999Z"), -1);
	assert_int_equal(ts("2000-01-01T00:00:00Z"), S(946684800));
	assert_int_equal(ts("9999-12-31T23:59:59Z"), S(253402300799));
	assert_int_equal(ts("0000-01-01T00:00:00Z"), S(-62167219200));
}

static void test_timestamp_fractions(void **state)
{
	int64_t t = S(1791205451);
	assert_int_equal(ts("2026-10-05T13:04:11.5Z"), t + 500000);
	assert_int_equal(ts("2026-10-05T13:04:11.12Z"), t + 120000);
	assert_int_equal(ts("2026-10-05T13:04:11.123"), t + 123000);
	assert_int_equal(ts("2026-10-05T13:04:11.1234Z"), t + 123400);
	assert_int_equal(ts("2026-10-05T13:04:11.12345Z"), t + 123450);
	assert_int_equal(ts("2026-10-05T13:04:11.123456Z"), t + 123456);
	/* Digits past microseconds are truncated, never rounded. */
	assert_int_equal(ts("2026-10-05T13:04:11.1234567Z"), t + 123456);
	assert_int_equal(ts("2026-10-05T13:04:11.12345678Z"), t + 123456);
	assert_int_equal(ts("2026-10-05T13:04:11.999999999Z"), t + 999999);
	assert_int_equal(ts("2026-10-05T13:04:11.000000999+00:00"), t);
	assert_int_equal(ts("2026-10-05 13:04:11.0000000000000000001"), t);
	/* Before 1970 truncation is toward the earlier instant's digits. */
	assert_int_equal(ts("1969-12-31T23:59:59.9999999Z"), -1);
	assert_false(ts_ok("2026-10-05T13:04:11.Z"));
	assert_false(ts_ok("2026-10-05T13:04:11."));
	assert_false(ts_ok("2026-10-05T13:04.5"));
	assert_false(ts_ok("2026-10-05T13:04:11,5"));
}

static void test_timestamp_offsets(void **state)
{
	int64_t t = S(1791205451); /* 13:04:11Z */
	assert_int_equal(ts("2026-10-05T15:04:11+02:00"), t);
	assert_int_equal(ts("2026-10-05T15:04:11+0200"), t);
	assert_int_equal(ts("2026-10-05T15:04:11+02"), t);
	assert_int_equal(ts("2026-10-05T08:04:11-05:00"), t);
	assert_int_equal(ts("2026-10-05T18:34:11+05:30"), t);
	assert_int_equal(ts("2026-10-05T13:04:11+00:00"), t);
	assert_int_equal(ts("2026-10-05T13:04:11-00:00"), t);
	assert_int_equal(ts("2026-10-05T15:04:11.25+02:00"), t + 250000);
	assert_int_equal(ts("2026-10-05T15:04+02:00"), t - S(11));
	/* Crossing midnight both ways, and the year. */
	assert_int_equal(ts("2026-10-06T01:00:00+02:00"),
	                 ts("2026-10-05T23:00:00Z"));
	assert_int_equal(ts("2026-10-04T22:00:00-03:00"),
	                 ts("2026-10-05T01:00:00Z"));
	assert_int_equal(ts("2027-01-01T00:30:00+01:00"),
	                 ts("2026-12-31T23:30:00Z"));
	assert_int_equal(ts("1969-12-31T20:00:00-04:00"), 0);
	assert_int_equal(ts("1970-01-01T01:00:00+01:00"), 0);
	assert_false(ts_ok("2026-10-05T13:04:11+2"));
	assert_false(ts_ok("2026-10-05T13:04:11+02:0"));
	assert_false(ts_ok("2026-10-05T13:04:11+02:"));
	assert_false(ts_ok("2026-10-05T13:04:11+020"));
	assert_false(ts_ok("2026-10-05T13:04:11+02:000"));
	assert_false(ts_ok("2026-10-05T13:04:11+24:00"));
	assert_false(ts_ok("2026-10-05T13:04:11+02:60"));
	assert_false(ts_ok("2026-10-05T13:04:11Z+02"));
	assert_false(ts_ok("2026-10-05T13:04:11ZZ"));
	assert_false(ts_ok("2026-10-05T13:04:11 Z"));
	assert_false(ts_ok("2026-10-05T13:04:11 +02:00"));
	assert_false(ts_ok("2026-10-05Z"));
	assert_false(ts_ok("2026-10-05+02:00"));
}

static void test_timestamp_calendar(void **state)
{
	assert_int_equal(ts("2024-02-29"), S(1709164800));
	assert_int_equal(ts("2000-02-29T12:00:00Z"), S(951825600));
	assert_false(ts_ok("2023-02-29"));
	assert_false(ts_ok("1900-02-29"));
	assert_false(ts_ok("2100-02-29T00:00:00Z"));
	assert_true(ts_ok("2026-04-30"));
	assert_false(ts_ok("2026-04-31"));
	assert_false(ts_ok("2026-06-31"));
	assert_false(ts_ok("2026-12-32"));
	assert_false(ts_ok("2026-00-10"));
	assert_false(ts_ok("2026-13-10"));
	assert_false(ts_ok("2026-10-00"));
	assert_true(ts_ok("2026-10-05T23:59:59Z"));
	assert_false(ts_ok("2026-10-05T24:00:00Z"));
	assert_false(ts_ok("2026-10-05T24:00"));
	assert_false(ts_ok("2026-10-05T23:60:00Z"));
	assert_false(ts_ok("2026-10-05T23:59:60Z"));
}

static void test_timestamp_malformed(void **state)
{
	static const char *const bad[] = {
	    "",
	    " ",
	    "-",
	    "+1",
	    "1.5",
	    "1e9",
	    "12a",
	    " 1",
	    "1 ",
	    "9223372036854775808",
	    "-9223372036854775808",
	    "99999999999999999999",
	    "2026-1-05",
	    "2026-10-5",
	    "26-10-05",
	    "2026/10/05",
	    "2026-10-05T",
	    "2026-10-05T1",
	    "2026-10-05T13",
	    "2026-10-05T13:",
	    "2026-10-05T13:4",
	    "2026-10-05T13:04:1",
	    "2026-10-05T13:04:11x",
	    "2026-10-05X13:04:11",
	    "2026-10-05T13-04-11",
	    "2026-10-05  13:04",
	    " 2026-10-05",
	    "2026-10-05 ",
	    "+2026-10-05",
	    "2026-10-05T1:04:11",
	    "２０２６-10-05",
	    "2026-10-05T13:04:11.123\n",
	};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(bad); i++)
		if (ts_ok(bad[i])) {
			print_error("accepted: \"%s\"\n", bad[i]);
			fail();
		}
	/* Unix time by its size: seconds, milliseconds, microseconds. */
	assert_int_equal(ts("99999999999"), S(INT64_C(99999999999)));
	assert_int_equal(ts("100000000000"), INT64_C(100000000000000));
	assert_int_equal(ts("1791205451000"), S(1791205451));
	assert_int_equal(ts("1791205451123"), S(1791205451) + 123000);
	assert_int_equal(ts("-1791205451123"), -S(1791205451) - 123000);
	assert_int_equal(ts("99999999999999"), INT64_C(99999999999999000));
	assert_int_equal(ts("100000000000000"), INT64_C(100000000000000));
	assert_int_equal(ts("1791205451123456"), S(1791205451) + 123456);
	assert_int_equal(ts("9223372036854775807"), INT64_MAX);
	/* Length is what counts, not a NUL. */
	int64_t v;
	assert_true(okra__parse_timestamp("2026-10-05T13:04:11Zjunk", 20, &v));
	assert_int_equal(v, S(1791205451));
	assert_true(okra__parse_timestamp("2026-10-05xx", 10, &v));
	assert_true(okra__parse_timestamp("123456", 3, &v));
	assert_int_equal(v, S(123));
}

/* ======================================================================
 * Numbers
 * ====================================================================== */

static double num(const char *s)
{
	double v = NAN;
	if (!okra__parse_double(s, strlen(s), &v)) {
		print_error("rejected: %s\n", s);
		fail();
	}
	return v;
}

static void test_double_valid(void **state)
{
	static const struct {
		const char *text;
	} ok[] = {
	    {"0"},
	    {"-0"},
	    {"+0"},
	    {"1"},
	    {"12.5"},
	    {"-12.5"},
	    {"+12.5"},
	    {"12."},
	    {".5"},
	    {"-.5"},
	    {"+.5"},
	    {"1e10"},
	    {"1E10"},
	    {"1e+10"},
	    {"1e-10"},
	    {"1.5e3"},
	    {"0.1"},
	    {"0.3"},
	    {"123456789012345678"},
	    {"9007199254740993"},
	    {"1.7976931348623157e308"},
	    {"2.2250738585072014e-308"},
	    {"4.9e-324"},
	    {"1e-400"},
	    {"0.000000000000000000000000000001"},
	    {"3.14159265358979323846264338327950288"},
	    {"1000000000000000000000000000000000000000000000000000000000000000"
	     "0000000000000000000000000000000000000000000000000000000000000000"
	     "0000000000000000000000000000000000000000000000000000000000000000"
	     ".5"},
	    {"007"},
	    {"1.000000000000000000000000001"},
	    {"0.1000000000000000055511151231257827021181583404541015625"},
	};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(ok); i++) {
		/* Exact: the same double as a correctly rounding strtod. */
		double want = strtod(ok[i].text, NULL), got = num(ok[i].text);
		if (memcmp(&want, &got, sizeof(got)) != 0) {
			print_error("%s: got %.17g want %.17g\n", ok[i].text,
			            got, want);
			fail();
		}
	}
	assert_true(signbit(num("-0")));
	assert_true(num("0.1") + num("0.2") != 0.3);
	assert_true(num("12.") == 12.0);
	assert_true(num(".5") == 0.5);
	/* Length is what counts. */
	double v;
	assert_true(okra__parse_double("12.5xyz", 4, &v));
	assert_true(v == 12.5);
}

static void test_double_invalid(void **state)
{
	static const char *const bad[] = {
	    "",       "+",    "-",     ".",   "+.",    "-.",       "e5",
	    ".e5",    "1e",   "1e+",   "1e-", "1.5.2", "1..2",     "--1",
	    "+-1",    "0x10", "0X1p3", "inf", "-inf",  "Infinity", "nan",
	    "NaN",    " 1",   "1 ",    "1,5", "1_000", "1e5.5",    "1e999",
	    "-1e999", "١",    "12a",   "\t1",
	};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(bad); i++) {
		double v = 42;
		if (okra__parse_double(bad[i], strlen(bad[i]), &v)) {
			print_error("accepted: \"%s\"\n", bad[i]);
			fail();
		}
		assert_true(v == 42);
	}
}

/* ======================================================================
 * UTF-8
 * ====================================================================== */

static bool u8(const char *s)
{
	return okra__utf8_valid(s, strlen(s));
}

static void test_utf8(void **state)
{
	assert_true(u8(""));
	assert_true(u8("plain ascii text, longer than eight bytes"));
	assert_true(u8("\xC2\x80"));         /* U+0080 */
	assert_true(u8("\xDF\xBF"));         /* U+07FF */
	assert_true(u8("\xE0\xA0\x80"));     /* U+0800 */
	assert_true(u8("\xED\x9F\xBF"));     /* U+D7FF */
	assert_true(u8("\xEE\x80\x80"));     /* U+E000 */
	assert_true(u8("\xEF\xBF\xBF"));     /* U+FFFF */
	assert_true(u8("\xF0\x90\x80\x80")); /* U+10000 */
	assert_true(u8("\xF4\x8F\xBF\xBF")); /* U+10FFFF */
	assert_true(u8("abcdefgh\xC3\xA9ijklmnop\xF0\x9F\x98\x80qrstuvwxyz"));
	assert_true(okra__utf8_valid("a\0b", 3));
	/* Overlongs. */
	assert_false(u8("\xC0\x80"));
	assert_false(u8("\xC1\xBF"));
	assert_false(u8("\xE0\x80\x80"));
	assert_false(u8("\xE0\x9F\xBF"));
	assert_false(u8("\xF0\x80\x80\x80"));
	assert_false(u8("\xF0\x8F\xBF\xBF"));
	/* Surrogates. */
	assert_false(u8("\xED\xA0\x80"));
	assert_false(u8("\xED\xBF\xBF"));
	/* Beyond U+10FFFF, and bytes never used. */
	assert_false(u8("\xF4\x90\x80\x80"));
	assert_false(u8("\xF5\x80\x80\x80"));
	assert_false(u8("\xF8\x88\x80\x80\x80"));
	assert_false(u8("\xFE"));
	assert_false(u8("\xFF"));
	/* Lone continuation bytes and truncated sequences. */
	assert_false(u8("\x80"));
	assert_false(u8("abc\xBF"));
	assert_false(u8("\xC3"));
	assert_false(u8("\xE2\x82"));
	assert_false(u8("\xF0\x9F\x98"));
	assert_false(u8("\xC3x"));
	assert_false(u8("\xE2\x82x"));
	assert_false(u8("\xF0\x9F\x98x"));
	assert_false(u8("abcdefghijklmnop\xE2\x82"));
	/* Length is what counts. */
	assert_true(okra__utf8_valid("\xC3\xA9\xFF", 2));
	assert_false(okra__utf8_valid("\xC3\xA9", 1));
}

/* The next record's field, peeked as a prefetch hint: plain fields only. */
static void test_csv_peek(void **state)
{
	(void)state;
	const char *text = "id,b,c\nx1,y1,z1\nx2,,z2\n\"x3\",y3,z3\nx4,y4";
	const char *path = write_file("peek.csv", text, strlen(text));
	okra_reader *r = NULL;
	okra_err err;
	const char *v;
	size_t len;
	assert_int_equal(okra__reader_open(path, "peek.csv", &r, &err),
	                 OKRA_OK);
	/* Before the first row: its fields. */
	assert_true(okra__reader_peek_field(r, 0, &v, &len));
	assert_int_equal(len, 2);
	assert_memory_equal(v, "x1", 2);
	okra_row *row;
	assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
	assert_true(okra__reader_peek_field(r, 2, &v, &len));
	assert_int_equal(len, 2);
	assert_memory_equal(v, "z2", 2);
	assert_true(okra__reader_peek_field(r, 1, &v, &len));
	assert_int_equal(len, 0);
	assert_false(okra__reader_peek_field(r, 3, &v, &len));
	assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
	/* A quote: no hint. */
	assert_false(okra__reader_peek_field(r, 0, &v, &len));
	assert_int_equal(okra__reader_next(r, &row, &err), OKRA_OK);
	assert_true(okra__reader_peek_field(r, 0, &v, &len));
	assert_memory_equal(v, "x4", 2);
	/* The last field runs to the end of what was read: no hint. */
	assert_false(okra__reader_peek_field(r, 1, &v, &len));
	okra__reader_close(r);
}

/* The readers' crc32 is zlib's, for every length, start and seed. */
static void test_crc32(void **state)
{
	(void)state;
	size_t n = 1 << 20;
	unsigned char *buf = malloc(n);
	assert_non_null(buf);
	uint64_t x = 88172645463325252ull;
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (unsigned char)x;
	}
	for (size_t len = 0; len <= 300; len++)
		for (size_t at = 0; at < 20; at += 7) {
			uint32_t seed =
			    len % 3 == 0 ? 0 : (uint32_t)(x >> len % 32);
			uLong want = crc32(seed, buf + at, (uInt)len);
			assert_int_equal(okra__crc32(seed, buf + at, len),
			                 (uint32_t)want);
		}
	assert_int_equal(okra__crc32(0, buf + 3, n - 3),
	                 (uint32_t)crc32(0, buf + 3, (uInt)(n - 3)));
	/* In pieces, as a range is read. */
	uint32_t c = 0;
	for (size_t at = 0; at < n; at += 65536 + 17)
		c = okra__crc32(c, buf + at,
		                n - at < 65536 + 17 ? n - at : 65536 + 17);
	assert_int_equal(c, (uint32_t)crc32(0, buf, (uInt)n));
	free(buf);
}

/* ======================================================================
 * Dictionaries (dict.c): codes in first-seen order, whatever the tables'
 * sizes; reserved room; an unindexed frozen range
 * ====================================================================== */

static void test_dict_reserve_unindex(void **state)
{
	(void)state;
	okra_dict_builder a = {0}, b = {0};
	char s[32];
	/* b reserves room for fewer strings than it gets, a for none. */
	assert_true(okra__dictb_reserve(&b, 1000, 1000 * 8));
	for (int i = 0; i < 5000; i++) {
		int len = snprintf(s, sizeof(s), "id%d", i * 7919 % 5000);
		assert_int_equal(okra__dictb_intern(&a, s, (size_t)len), i);
		assert_int_equal(okra__dictb_intern(&b, s, (size_t)len), i);
	}
	assert_true(okra__dictb_reserve(&b, 100000, 1));
	for (int i = 0; i < 5000; i++) {
		int len = snprintf(s, sizeof(s), "id%d", i * 7919 % 5000);
		assert_int_equal(okra__dictb_find(&b, s, (size_t)len), i);
		assert_int_equal(okra__dictb_intern(&b, s, (size_t)len), i);
	}
	assert_int_equal(b.n, 5000);
	/* Unindexed: the codes before go unfound, new strings continue the
	 * codes and are found. */
	okra__dictb_unindex(&b);
	assert_int_equal(okra__dictb_find(&b, "id0", 3), OKRA_NONE);
	for (int i = 0; i < 3000; i++) {
		int len = snprintf(s, sizeof(s), "new%d", i);
		assert_int_equal(okra__dictb_intern(&b, s, (size_t)len),
		                 5000 + i);
	}
	assert_int_equal(okra__dictb_find(&b, "new2999", 7), 7999);
	assert_int_equal(okra__dictb_intern(&b, "new17", 5), 5017);
	assert_int_equal(b.n, 8000);
	assert_string_equal(b.pool + b.off[4999], a.pool + a.off[4999]);
	assert_string_equal(b.pool + b.off[7999], "new2999");
	okra__dictb_free(&a);
	okra__dictb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_csv_basic),
	    cmocka_unit_test(test_csv_quoted),
	    cmocka_unit_test(test_csv_line_ends),
	    cmocka_unit_test(test_csv_blank_lines),
	    cmocka_unit_test(test_csv_errors),
	    cmocka_unit_test(test_csv_plain_blocks),
	    cmocka_unit_test(test_csv_utf8),
	    cmocka_unit_test(test_csv_header_errors),
	    cmocka_unit_test(test_csv_nul_in_values),
	    cmocka_unit_test(test_csv_spans_blocks),
	    cmocka_unit_test(test_csv_long_record),
	    cmocka_unit_test(test_open_errors),
	    cmocka_unit_test(test_gzip),
	    cmocka_unit_test(test_progress),
	    cmocka_unit_test(test_jsonl_basic),
	    cmocka_unit_test(test_jsonl_columns),
	    cmocka_unit_test(test_jsonl_nested),
	    cmocka_unit_test(test_jsonl_strings),
	    cmocka_unit_test(test_jsonl_numbers),
	    cmocka_unit_test(test_jsonl_errors),
	    cmocka_unit_test(test_jsonl_duplicates),
	    cmocka_unit_test(test_jsonl_depth),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_jsonl_utf8),
	    cmocka_unit_test(test_jsonl_long_line),
	    cmocka_unit_test(test_jsonl_many_keys),
	    cmocka_unit_test(test_timestamp_forms),
	    cmocka_unit_test(test_timestamp_fractions),
	    cmocka_unit_test(test_timestamp_offsets),
	    cmocka_unit_test(test_timestamp_calendar),
	    cmocka_unit_test(test_timestamp_malformed),
	    cmocka_unit_test(test_double_valid),
	    cmocka_unit_test(test_double_invalid),
	    cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_csv_peek),
	    cmocka_unit_test(test_crc32),
	    cmocka_unit_test(test_dict_reserve_unindex),
	};
	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
