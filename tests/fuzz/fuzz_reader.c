/*
 * fuzz_reader.c - fuzzes the data readers and value parsers (engine/).
 *
 * The input goes to one temporary file per process and is read to the end
 * as CSV and as JSON Lines, plain and (when small) gzipped, going on after
 * bad rows as --skip-bad-rows does; rows are checked against the reader's
 * promises.  Plain files are read again in byte ranges (as the parallel
 * ingest reads them) and must give the same rows.  A CSV is read once more
 * with every column a JSON column (PostHog's properties), whole and in
 * ranges alike.  The first line goes to
 * the parsers, checked against strtod and a UTF-8 decoder.  Without
 * libFuzzer, main() replays files.
 */
#include "okra_int.h"
#include "engine/reader.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
			        __LINE__, #c);                                 \
			abort();                                               \
		}                                                              \
	} while (0)

static char dir[64];
/* Read CSV files with every column a JSON column. */
static bool json_mode;

/* In json_mode, makes every column of a CSV reader a JSON column. */
static void set_json(okra_reader *r)
{
	const char *const *names;
	size_t n = okra__reader_columns(r, &names);
	if (!json_mode || okra__reader_format(r) != OKRA_FILE_CSV)
		return;
	bool *all = malloc(n ? n : 1);
	CHECK(all != NULL);
	for (size_t i = 0; i < n; i++)
		all[i] = true;
	okra_err err;
	CHECK(okra__reader_set_json(r, all, &err) == OKRA_OK);
	for (size_t i = 0; i < n; i++)
		CHECK(okra__reader_is_json(r, i));
	free(all);
}
static const char *const files[] = {"in.csv", "in.jsonl", "in.csv.gz",
                                    "in.jsonl.gz"};

/* Removes the files and the folder after each input, so nothing is left
 * behind however the process ends (libFuzzer may _Exit). */
static void remove_dir(void)
{
	char path[128];
	for (size_t i = 0; i < OKRA_ARRAY_LEN(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* A file in this process's temporary folder: the name is chosen once,
 * the folder made again for each input. */
static const char *path_of(const char *name)
{
	static char path[128];
	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "%s/okra-fuzz-reader-XXXXXX",
		         access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
		CHECK(mkdtemp(dir) != NULL);
	} else {
		CHECK(mkdir(dir, 0700) == 0 || errno == EEXIST);
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void write_plain(const char *path, const unsigned char *data,
                        size_t size)
{
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	CHECK(fwrite(data, 1, size, f) == size);
	CHECK(fclose(f) == 0);
}

static void write_gzip(const char *path, const unsigned char *data, size_t size)
{
	gzFile gz = gzopen(path, "wb1");
	CHECK(gz != NULL);
	CHECK(size == 0 || gzwrite(gz, data, (unsigned)size) == (int)size);
	CHECK(gzclose(gz) == Z_OK);
}

/* Adds a row (or a bad row's line and reason) to the digest. */
static uint64_t digest_row(uint64_t digest, const okra_row *row, int64_t line,
                           const char *bad)
{
	digest = (digest ^ (uint64_t)line) * 1099511628211u;
	for (const char *m = bad; m && *m; m++)
		digest = (digest ^ (unsigned char)*m) * 1099511628211u;
	for (size_t i = 0; !bad && i < row->n_cells; i++) {
		const okra_cell *c = &row->cells[i];
		for (size_t k = 0; k < c->val_len; k++)
			digest = (digest ^ (unsigned char)c->val[k]) *
			         1099511628211u;
		digest = (digest ^ c->column) * 1099511628211u;
	}
	return digest;
}

/* Reads one range with reader c (lines plus line_base) into the digest;
 * returns whether it stopped cleanly. */
static bool read_range(okra_reader *c, const okra_read_state *from,
                       uint64_t end, int64_t line_base, uint64_t *digest,
                       okra_read_state *next, size_t size)
{
	okra_err err;
	CHECK(okra__reader_seek(c, from, end, &err) == OKRA_OK);
	for (size_t guard = 0;; guard++) {
		CHECK(guard <= size + 2);
		okra_row *row = NULL;
		okra_rc rc = okra__reader_next(c, &row, &err);
		if (rc == OKRA_ERR_DATA) {
			CHECK(row != NULL);
			*digest = digest_row(*digest, row,
			                     row->line + line_base, err.msg);
			continue;
		}
		CHECK(rc == OKRA_OK);
		if (!row)
			break;
		*digest = digest_row(*digest, row, row->line + line_base, NULL);
	}
	return okra__reader_stop(c, next);
}

/* Reads a plain file in ranges cut after the first newline at or after
 * each cut (ascending), as ingest_par.c's merge does: a range after one
 * that stopped cleanly on its own, else again from where that stopped. */
static uint64_t read_cut(const char *path, const uint64_t *cuts, size_t n_cuts,
                         size_t size)
{
	okra_reader *r = NULL, *c = NULL;
	okra_err err;
	okra_read_state at, next;
	uint64_t file_size, digest = 1469598103934665603u;
	CHECK(okra__reader_open(path, "fuzz", &r, &err) == OKRA_OK);
	set_json(r);
	CHECK(okra__reader_splittable(r, &at, &file_size));
	CHECK(okra__reader_clone(r, &c, &err) == OKRA_OK);
	bool clean = true;
	for (size_t i = 0; i <= n_cuts; i++) {
		uint64_t end = file_size;
		if (i < n_cuts && cuts[i] > at.offset && cuts[i] < file_size)
			CHECK(okra__reader_line_start(r, cuts[i] - 1, &end,
			                              &err) == OKRA_OK);
		if (end < at.offset)
			end = at.offset;
		if (clean && i > 0) {
			okra_read_state spec = {.offset = at.offset, .line = 1};
			clean = read_range(c, &spec, end, at.line - 1, &digest,
			                   &next, size);
			next.line += at.line - 1;
		} else {
			clean =
			    read_range(c, &at, end, 0, &digest, &next, size);
		}
		CHECK(!clean || next.offset == end);
		at = next;
	}
	CHECK(clean);
	okra__reader_close(c);
	okra__reader_close(r);
	return digest;
}

/* Reads the file to the end and checks every row; returns a digest of
 * the rows so plain and gzip reads can be compared.  size bounds the
 * decoded text (unless the input is itself gzip: then 16 MiB does). */
static uint64_t read_all(const char *path, size_t size)
{
	okra_reader *r = NULL;
	okra_err err;
	uint64_t digest = 1469598103934665603u;
	if (okra__reader_open(path, "fuzz", &r, &err) != OKRA_OK) {
		CHECK(err.rc != OKRA_OK && err.msg[0]);
		return digest ^ err.rc;
	}
	set_json(r);
	bool csv = okra__reader_format(r) == OKRA_FILE_CSV && !json_mode;
	if (size >= 2 && size < ((size_t)16 << 20)) {
		unsigned char magic[2];
		FILE *f = fopen(path, "rb");
		CHECK(f && fread(magic, 1, 2, f) == 2);
		fclose(f);
		if (magic[0] == 0x1f && magic[1] == 0x8b)
			size = (size_t)16 << 20;
	}
	const char *const *names;
	size_t n_cols = okra__reader_columns(r, &names);
	int64_t last_line = 0;
	for (size_t guard = 0;; guard++) {
		CHECK(guard <= size + 2);
		okra_row *row = NULL;
		okra_rc rc = okra__reader_next(r, &row, &err);
		if (rc == OKRA_ERR_DATA) {
			CHECK(row != NULL && row->n_cells == 0);
			CHECK(row->line > last_line && err.line == row->line);
			CHECK(row->raw_len <= size);
			CHECK(strcmp(err.file, "fuzz") == 0 && err.msg[0]);
			last_line = row->line;
			digest = digest_row(digest, row, row->line, err.msg);
			continue;
		}
		if (rc) {
			CHECK(row == NULL);
			break;
		}
		if (!row)
			break;
		CHECK(row->line > last_line);
		CHECK(row->raw_len <= size);
		last_line = row->line;
		size_t n = okra__reader_columns(r, &names);
		if (csv)
			CHECK(n == n_cols && row->n_cells == n_cols);
		for (size_t i = 0; i < row->n_cells; i++) {
			const okra_cell *c = &row->cells[i];
			CHECK(c->column < n);
			CHECK(names[c->column] == c->key);
			CHECK(strlen(c->key) == c->key_len);
			CHECK(okra__utf8_valid(c->key, c->key_len));
			CHECK(c->val[c->val_len] == '\0');
			CHECK(okra__utf8_valid(c->val, c->val_len));
			CHECK(c->type <= OKRA_CELL_BOOL);
			/* Empty means absent, in both formats. */
			CHECK((c->type == OKRA_CELL_ABSENT) ==
			      (c->val_len == 0));
			if (c->type == OKRA_CELL_BOOL)
				CHECK(strcmp(c->val, "true") == 0 ||
				      strcmp(c->val, "false") == 0);
			if (c->type == OKRA_CELL_NUMBER) {
				double d;
				/* Only out of range numbers are refused. */
				CHECK(okra__parse_double(c->val, c->val_len,
				                         &d) ||
				      strpbrk(c->val, "eE") ||
				      c->val_len > 300);
			}
		}
		digest = digest_row(digest, row, row->line, NULL);
		uint64_t done, total;
		okra__reader_progress(r, &done, &total);
		CHECK(done <= total);
	}
	okra__reader_close(r);
	return digest;
}

/* UTF-8 by its definition: decode, then refuse overlongs, surrogates
 * and code points past U+10FFFF. */
static bool utf8_reference(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned c = s[i], n, cp;
		unsigned long min;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0)
			n = 2, cp = c & 0x1F, min = 0x80;
		else if ((c & 0xF0) == 0xE0)
			n = 3, cp = c & 0x0F, min = 0x800;
		else if ((c & 0xF8) == 0xF0)
			n = 4, cp = c & 0x07, min = 0x10000;
		else
			return false;
		if (len - i < n)
			return false;
		for (unsigned k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += n;
	}
	return true;
}

static void check_values(const char *s, size_t len)
{
	CHECK(okra__utf8_valid(s, len) ==
	      utf8_reference((const unsigned char *)s, len));

	/* 'T' and ' ' separate date and time alike. */
	int64_t t, t2;
	if (okra__parse_timestamp(s, len, &t) && len > 10 && s[10] == 'T') {
		char *copy = malloc(len);
		CHECK(copy != NULL);
		memcpy(copy, s, len);
		copy[10] = ' ';
		CHECK(okra__parse_timestamp(copy, len, &t2) && t2 == t);
		free(copy);
	}

	/* Whatever okra__parse_double accepts, strtod reads the same. */
	double d;
	if (okra__parse_double(s, len, &d)) {
		char *copy = malloc(len + 1), *end;
		CHECK(copy != NULL);
		memcpy(copy, s, len);
		copy[len] = '\0';
		double want = strtod(copy, &end);
		CHECK(end == copy + len);
		CHECK(memcmp(&d, &want, sizeof(d)) == 0 ||
		      (isnan(d) && isnan(want)));
		free(copy);
	}
}

/* The same rows in ranges: cut at thirds, and at points the input picks
 * (its first two bytes), one cut and two. */
static void check_ranges(const char *path, const unsigned char *data,
                         size_t size, uint64_t digest)
{
	bool magic = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
	okra_reader *r = NULL;
	okra_err err;
	okra_read_state first;
	uint64_t file_size;
	if (magic || okra__reader_open(path, "fuzz", &r, &err) != OKRA_OK)
		return;
	bool split = okra__reader_splittable(r, &first, &file_size);
	okra__reader_close(r);
	if (!split || file_size <= first.offset + 1)
		return;
	uint64_t span = file_size - first.offset - 1;
	uint64_t picks[2] = {size > 0 ? data[0] : 0, size > 1 ? data[1] : 0};
	uint64_t cuts[][2] = {
	    {first.offset + 1 + span / 3, first.offset + 1 + 2 * span / 3},
	    {first.offset + 1 + picks[0] % span,
	     first.offset + 1 + picks[1] % span},
	};
	for (size_t i = 0; i < 2; i++) {
		if (cuts[i][0] > cuts[i][1]) {
			uint64_t t = cuts[i][0];
			cuts[i][0] = cuts[i][1];
			cuts[i][1] = t;
		}
		CHECK(read_cut(path, cuts[i], 1, size) == digest);
		CHECK(read_cut(path, cuts[i] + 1, 1, size) == digest);
		CHECK(read_cut(path, cuts[i], 2, size) == digest);
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	write_plain(path_of(files[0]), data, size);
	uint64_t a = read_all(path_of(files[0]), size);
	check_ranges(path_of(files[0]), data, size, a);
	write_plain(path_of(files[1]), data, size);
	uint64_t b = read_all(path_of(files[1]), size);
	check_ranges(path_of(files[1]), data, size, b);

	/* The same bytes gzip-compressed give the same rows (unless they
	 * already start with the gzip magic: then they are read as gzip). */
	bool magic = size >= 2 && data[0] == 0x1f && data[1] == 0x8b;
	if (size < 4096 && !magic) {
		write_gzip(path_of(files[2]), data, size);
		CHECK(read_all(path_of(files[2]), size) == a);
		write_gzip(path_of(files[3]), data, size);
		CHECK(read_all(path_of(files[3]), size) == b);
	}

	/* The CSV again, every column a JSON object's text. */
	json_mode = true;
	uint64_t j = read_all(path_of(files[0]), size);
	check_ranges(path_of(files[0]), data, size, j);
	json_mode = false;

	remove_dir();

	const char *s = (const char *)data, *nl = memchr(s, '\n', size);
	check_values(s, nl ? (size_t)(nl - s) : size);
	return 0;
}

#if !defined(OKRA_LIBFUZZER)
/* Without libFuzzer: run each file named on the command line once. */
int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		if (!fp) {
			perror(argv[i]);
			return 1;
		}
		static unsigned char buf[1 << 20];
		size_t len = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		LLVMFuzzerTestOneInput(buf, len);
	}
	return 0;
}
#endif
