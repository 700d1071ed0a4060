/*
 * cache.c - the columnar cache file .okra/cache/data.okc.
 *
 * One file of named, 64-byte aligned sections (typed arrays, dictionary
 * pools) behind a small header, mapped read-only on load so a command
 * touches only the columns it reads.  Written beside its final name,
 * fsync'd and renamed: a failed or interrupted ingest leaves the previous
 * cache intact.  The "sources" section fingerprints every data file (path,
 * size, mtime, crc32) and the data settings, so stale data is never read.
 * A writer holds a shared lock on cache/write.lock from creating its
 * temporary to renaming it; whoever gets the lock exclusively knows no
 * write is under way and removes the temporaries a killed writer left.
 */
#include "engine/cache.h"
#include "base/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define MAGIC          "OKRACAC1"
#define FORMAT_VERSION 6
#define ALIGN          64

typedef struct section {
	char name[48];
	uint64_t offset, len;
} section;

typedef struct header {
	char magic[8];
	uint32_t version;
	uint32_t n_sections;
	uint64_t table_offset;
	uint64_t file_len;
	char pad[32];
} header;

typedef struct meta {
	uint64_t n_events;
	uint32_t n_accounts, n_users, n_props, n_acct_attrs, n_user_attrs;
	uint32_t has_revenue;
	uint64_t n_revenue;
	int64_t min_ts, max_ts;
	int64_t ts_base;
} meta;

/* ---------------------------------------------------------------------
 * Fingerprints
 * --------------------------------------------------------------------- */

static okra_rc file_crc(const char *path, uint32_t *crc, okra_err *err)
{
	int fd = -1;
	struct stat st;
	okra_rc rc = okra__open_regular(path, path, &fd, &st, err);
	if (rc)
		return rc;
	static unsigned char buf[1 << 16];
	uLong c = crc32(0L, Z_NULL, 0);
	for (;;) {
		ssize_t k = read(fd, buf, sizeof(buf));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rc = okra__err_set(err, OKRA_ERR_IO, path, 0, 0,
			                   "read error");
			break;
		}
		if (k == 0)
			break;
		c = crc32(c, buf, (uInt)k);
	}
	close(fd);
	if (rc == OKRA_OK)
		*crc = (uint32_t)c;
	return rc;
}

static void table_settings(okra_buf *b, const char *name,
                           const okra_table_source *t)
{
	if (!t->is_set)
		return;
	okra__buf_printf(b, "table\t%s\t%s\t%d", name, t->path, t->is_periods);
	for (size_t i = 0; i < t->n_columns; i++)
		okra__buf_printf(b, "\t%s=%s", t->column_names[i],
		                 t->column_sources[i]);
	for (size_t i = 0; i < t->n_json_columns; i++)
		okra__buf_printf(b, "\tjson:%s", t->json_columns[i]);
	okra__buf_putc(b, '\n');
}

/*
 * The fingerprint text: format version, data settings, and one line per
 * data file ("file path size mtime", tab-separated), the tables in the
 * order the ingest reads them.  Written (d given): the files as the
 * ingest read them -- the bytes it read, the modification time at open
 * and the crc32 of those bytes, or "changed" for a file that changed
 * while it was read, which no later state matches.  Compared (d NULL):
 * the files as they are now, without crc.  So rows appended during an
 * ingest, or a file that appeared or went, make the next command ingest
 * again.
 */
static okra_rc fingerprint(const okra_workspace *ws, const okra_data *d,
                           okra_buf *out, okra_err *err)
{
	const okra_workspace_settings *s = &ws->settings;
	const okra_table_source *tables[] = {&s->accounts, &s->users,
	                                     &s->events, &s->revenue};
	static const char *const names[] = {"accounts", "users", "events",
	                                    "revenue"};
	okra__buf_printf(out, "okra-cache\t%d\n", FORMAT_VERSION);
	for (int t = 0; t < 4; t++)
		table_settings(out, names[t], tables[t]);
	if (d) {
		for (size_t i = 0; i < d->n_sums; i++) {
			const okra_file_sum *f = &d->sums[i];
			okra__buf_printf(out, "file\t%s\t%llu\t%lld.%09ld\t",
			                 f->path, (unsigned long long)f->size,
			                 (long long)f->mtime.tv_sec,
			                 f->mtime.tv_nsec);
			if (f->changed)
				okra__buf_puts(out, "changed\n");
			else
				okra__buf_printf(out, "%08x\n", f->crc);
		}
	}
	const char *root = okra_workspace_root(ws);
	size_t root_len = strlen(root) + 1;
	for (int t = 0; !d && t < 4; t++) {
		if (!tables[t]->is_set)
			continue;
		char pattern[4096];
		snprintf(pattern, sizeof(pattern), "%s/%s", root,
		         tables[t]->path);
		glob_t g;
		memset(&g, 0, sizeof(g));
		if (glob(pattern, 0, NULL, &g) != 0) {
			globfree(&g);
			okra__buf_printf(out, "missing\t%s\n", tables[t]->path);
			continue;
		}
		for (size_t i = 0; i < g.gl_pathc; i++) {
			struct stat st;
			if (stat(g.gl_pathv[i], &st) != 0) {
				okra__buf_printf(out, "gone\t%s\n",
				                 g.gl_pathv[i] + root_len);
				continue;
			}
			okra__buf_printf(
			    out, "file\t%s\t%lld\t%lld.%09ld\n",
			    g.gl_pathv[i] + root_len, (long long)st.st_size,
			    (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
		}
		globfree(&g);
	}
	(void)err;
	return out->failed ? okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
	                                   "out of memory")
	                   : OKRA_OK;
}

/* Splits a line at tabs into at most max fields; returns the count. */
static int split(const char *line, size_t len, const char **f, size_t *fl,
                 int max)
{
	int n = 0;
	const char *p = line, *end = line + len;
	while (n < max) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));
		f[n] = p;
		fl[n] = (size_t)((tab ? tab : end) - p);
		n++;
		if (!tab)
			break;
		p = tab + 1;
	}
	return n;
}

static bool field_eq(const char *a, size_t al, const char *b, size_t bl)
{
	return al == bl && memcmp(a, b, al) == 0;
}

/* Does one stored line describe the same thing as the line now?  File
 * lines ("file path size mtime [crc]") match when path and size match and
 * either the mtime matches or the content's crc32 does. */
static okra_rc same_line(const okra_workspace *ws, const char *a, size_t al,
                         const char *b, size_t bl, bool *same, okra_err *err)
{
	const char *fa[6], *fb[6];
	size_t la[6], lb[6];
	int na = split(a, al, fa, la, 6), nb = split(b, bl, fb, lb, 6);
	*same = false;
	if (!(na == 5 && nb == 4 && field_eq(fa[0], la[0], "file", 4))) {
		*same = field_eq(a, al, b, bl);
		return OKRA_OK;
	}
	for (int i = 0; i < 3; i++)
		if (!field_eq(fa[i], la[i], fb[i], lb[i]))
			return OKRA_OK;
	if (field_eq(fa[4], la[4], "changed", 7))
		return OKRA_OK; /* it changed while it was read */
	if (field_eq(fa[3], la[3], fb[3], lb[3])) {
		*same = true;
		return OKRA_OK;
	}
	char path[4200], hex[16];
	snprintf(path, sizeof(path), "%s/%.*s", okra_workspace_root(ws),
	         (int)la[1], fa[1]);
	uint32_t crc;
	okra_rc rc = file_crc(path, &crc, err);
	if (rc)
		return rc;
	snprintf(hex, sizeof(hex), "%08x", crc);
	*same = field_eq(fa[4], la[4], hex, 8);
	return OKRA_OK;
}

/* Compares the stored fingerprint with the data files now. */
static okra_rc is_fresh(const okra_workspace *ws, const char *stored,
                        size_t stored_len, bool *fresh, okra_err *err)
{
	okra_buf now = {0};
	okra_rc rc = fingerprint(ws, NULL, &now, err);
	*fresh = false;
	const char *a = stored, *a_end = stored + stored_len;
	const char *b = now.data ? now.data : "", *b_end = b + now.len;
	while (rc == OKRA_OK && a < a_end && b < b_end) {
		const char *an = memchr(a, '\n', (size_t)(a_end - a));
		const char *bn = memchr(b, '\n', (size_t)(b_end - b));
		if (!an || !bn)
			break;
		bool same;
		rc = same_line(ws, a, (size_t)(an - a), b, (size_t)(bn - b),
		               &same, err);
		if (rc || !same)
			break;
		a = an + 1;
		b = bn + 1;
	}
	if (rc == OKRA_OK)
		*fresh = a >= a_end && b >= b_end;
	okra__buf_free(&now);
	return rc;
}

/* ---------------------------------------------------------------------
 * Temporaries left by a killed writer
 * --------------------------------------------------------------------- */

#define TMP_INFIX ".tmp."

/* The folder of path (its text up to the last '/') into dir. */
static bool folder_of(const char *path, char *dir, size_t cap)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 1;
	if (n + 1 > cap)
		return false;
	memcpy(dir, slash ? path : ".", n);
	dir[n] = '\0';
	return true;
}

/* Opens (creating) the write lock beside path; -1 when it cannot (a
 * read-only folder: then nothing is written there either). */
static int open_lock(const char *path)
{
	char dir[4096], lock[4200];
	if (!folder_of(path, dir, sizeof(dir)))
		return -1;
	snprintf(lock, sizeof(lock), "%s/write.lock", dir);
	return open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
}

/* Removes the temporaries of path ("<name>.tmp.<pid>") that no writer is
 * writing: only under the exclusive lock, which a writer's shared lock
 * keeps from being taken for as long as its temporary exists.  Best
 * effort: a folder that cannot be locked or written is left alone. */
static void clean_stale(const char *path)
{
	char dir[4096];
	if (!folder_of(path, dir, sizeof(dir)))
		return;
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t base_len = strlen(base);
	DIR *d = opendir(dir);
	if (!d)
		return;
	int lock = -1;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, base, base_len) != 0 ||
		    strncmp(e->d_name + base_len, TMP_INFIX,
		            strlen(TMP_INFIX)) != 0)
			continue;
		if (lock < 0) {
			lock = open_lock(path);
			if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) != 0)
				break; /* a write is under way: not now */
		}
		char tmp[8300];
		snprintf(tmp, sizeof(tmp), "%s/%s", dir, e->d_name);
		unlink(tmp);
	}
	closedir(d);
	if (lock >= 0)
		close(lock); /* releases the lock */
}

/* ---------------------------------------------------------------------
 * Writing
 * --------------------------------------------------------------------- */

typedef struct writer {
	section *sections;
	const void **data;
	size_t n, cap;
	uint64_t offset;
	bool failed;
} writer;

static void add(writer *w, const char *name, const void *p, uint64_t len)
{
	if (w->failed)
		return;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		section *s = realloc(w->sections, cap * sizeof(*s));
		const void **d = s ? realloc(w->data, cap * sizeof(*d)) : NULL;
		if (!s || !d) {
			if (s)
				w->sections = s;
			w->failed = true;
			return;
		}
		w->sections = s;
		w->data = d;
		w->cap = cap;
	}
	section *s = &w->sections[w->n];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->offset = w->offset;
	s->len = len;
	w->data[w->n++] = p;
	w->offset += (len + ALIGN - 1) / ALIGN * ALIGN;
}

static void add_str(writer *w, const char *name, const char *s)
{
	add(w, name, s, strlen(s) + 1);
}

static void add_dict(writer *w, const char *prefix, const okra_dict *d)
{
	char name[48];
	snprintf(name, sizeof(name), "%s.off", prefix);
	add(w, name, d->off, ((uint64_t)d->n + 1) * sizeof(uint64_t));
	snprintf(name, sizeof(name), "%s.pool", prefix);
	add(w, name, d->pool, d->off[d->n]);
}

static void add_entity(writer *w, const char *prefix,
                       const okra_entity_table *t)
{
	char name[48];
	snprintf(name, sizeof(name), "%s.ids", prefix);
	add_dict(w, name, &t->ids);
	snprintf(name, sizeof(name), "%s.created", prefix);
	add(w, name, t->created, (uint64_t)t->n * sizeof(int64_t));
	snprintf(name, sizeof(name), "%s.known", prefix);
	add(w, name, t->known, t->n);
	snprintf(name, sizeof(name), "%s.account", prefix);
	add(w, name, t->account, (uint64_t)t->n * sizeof(uint32_t));
	for (uint32_t i = 0; i < t->n_attrs; i++) {
		const okra_attr *a = &t->attrs[i];
		snprintf(name, sizeof(name), "%s.attr%u.name", prefix, i);
		add_str(w, name, a->name);
		snprintf(name, sizeof(name), "%s.attr%u.code", prefix, i);
		add(w, name, a->code, (uint64_t)t->n * sizeof(uint32_t));
		snprintf(name, sizeof(name), "%s.attr%u.num", prefix, i);
		add(w, name, a->num, (uint64_t)t->n * sizeof(double));
		snprintf(name, sizeof(name), "%s.attr%u.dict", prefix, i);
		add_dict(w, name, &a->dict);
	}
}

static okra_rc write_all(int fd, const void *p, size_t len)
{
	const char *c = p;
	while (len) {
		ssize_t k = write(fd, c, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return OKRA_ERR_IO;
		c += k;
		len -= (size_t)k;
	}
	return OKRA_OK;
}

/*
 * Gives the pages wholly inside section i's memory back to the kernel, now
 * that they are written, unless a later section reads them too.  The page
 * cache takes the next section's pages from those just given back: they
 * are warm, where fresh memory is slow to fault in on a virtual machine
 * (a 10M-event cache wrote in 0.08 s instead of 0.4-0.6 s).
 */
static void give_back(const writer *w, size_t i)
{
	const uintptr_t page = 4096;
	uintptr_t p = (uintptr_t)w->data[i];
	uintptr_t a = (p + page - 1) & ~(page - 1);
	uintptr_t b = (p + w->sections[i].len) & ~(page - 1);
	if (b <= a)
		return;
	for (size_t j = i + 1; j < w->n; j++) {
		uintptr_t q = (uintptr_t)w->data[j];
		if (q < b && q + w->sections[j].len > a)
			return;
	}
	madvise((void *)a, b - a, MADV_DONTNEED);
}

okra_rc okra__cache_write(const okra_workspace *ws, okra_data *d,
                          const char *path, okra_err *err)
{
	okra_rc rc = OKRA_OK;
	okra_buf fp = {0};
	writer w = {0};
	int fd = -1, lock = -1;
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s" TMP_INFIX "%ld", path, (long)getpid());

	rc = fingerprint(ws, d, &fp, err);
	if (rc)
		goto out;
	meta m = {
	    .n_events = d->n_events,
	    .n_accounts = d->accounts.n,
	    .n_users = d->users.n,
	    .n_props = d->n_props,
	    .n_acct_attrs = d->accounts.n_attrs,
	    .n_user_attrs = d->users.n_attrs,
	    .has_revenue = d->has_revenue,
	    .n_revenue = d->revenue.n,
	    .min_ts = d->min_ts,
	    .max_ts = d->max_ts,
	    .ts_base = d->ts_base,
	};
	w.offset = sizeof(header);
	w.offset = (w.offset + ALIGN - 1) / ALIGN * ALIGN;
	add(&w, "meta", &m, sizeof(m));
	add(&w, "sources", fp.data ? fp.data : "", fp.len);
	uint64_t n = d->n_events;
	add(&w, "ev.ts_sec", d->ts_sec, n * sizeof(uint32_t));
	if (d->ts_us)
		add(&w, "ev.ts_us", d->ts_us, n * sizeof(uint32_t));
	add(&w, "ev.name", d->name, n * sizeof(uint16_t));
	add(&w, "ev.user", d->user, n * sizeof(uint32_t));
	add(&w, "ev.acct_off", d->acct_off,
	    ((uint64_t)d->accounts.n + 2) * sizeof(uint64_t));
	add(&w, "ev.user_rows", d->user_rows, n * sizeof(uint32_t));
	add(&w, "ev.user_off", d->user_off,
	    ((uint64_t)d->users.n + 2) * sizeof(uint64_t));
	add_dict(&w, "ev.names", &d->names);
	add_entity(&w, "acct", &d->accounts);
	add_entity(&w, "user", &d->users);
	for (uint32_t i = 0; i < d->n_props; i++) {
		const okra_prop *p = &d->props[i];
		char name[48];
		snprintf(name, sizeof(name), "prop%u.name", i);
		add_str(&w, name, p->name);
		snprintf(name, sizeof(name), "prop%u.row", i);
		add(&w, name, p->row, p->n * sizeof(uint32_t));
		snprintf(name, sizeof(name), "prop%u.num", i);
		add(&w, name, p->num, p->n * sizeof(double));
		if (p->str) {
			snprintf(name, sizeof(name), "prop%u.str", i);
			add(&w, name, p->str, p->n * sizeof(uint32_t));
		}
		snprintf(name, sizeof(name), "prop%u.dict", i);
		add_dict(&w, name, &p->dict);
	}
	add(&w, "rev.account", d->revenue.account,
	    d->revenue.n * sizeof(uint32_t));
	add(&w, "rev.month", d->revenue.month, d->revenue.n * sizeof(int32_t));
	add(&w, "rev.mrr", d->revenue.mrr, d->revenue.n * sizeof(double));
	add(&w, "rev.open", d->revenue.open, d->revenue.n);
	size_t na = (size_t)d->accounts.n + 1;
	add(&w, "rev.off", d->revenue.off, na * sizeof(uint64_t));
	add(&w, "rev.open_at", d->revenue.open_at, na * sizeof(uint64_t));
	add(&w, "rev.first_paid", d->revenue.first_paid, na * sizeof(int32_t));
	if (w.failed) {
		rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                   "out of memory");
		goto out;
	}
	header h = {.version = FORMAT_VERSION, .n_sections = (uint32_t)w.n};
	memcpy(h.magic, MAGIC, 8);
	h.table_offset = w.offset;
	h.file_len = w.offset + w.n * sizeof(section);

	clean_stale(path);
	lock = open_lock(path);
	if (lock >= 0 && flock(lock, LOCK_SH) != 0) {
		close(lock);
		lock = -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = okra__err_set(err, OKRA_ERR_IO, tmp, 0, 0,
		                   "cannot write: %s", strerror(errno));
		goto out;
	}
	static const char zeros[ALIGN];
	uint64_t at = 0;
	rc = write_all(fd, &h, sizeof(h));
	at = sizeof(h);
	for (size_t i = 0; rc == OKRA_OK && i < w.n; i++) {
		if (w.sections[i].offset > at)
			rc = write_all(fd, zeros,
			               (size_t)(w.sections[i].offset - at));
		at = w.sections[i].offset;
		if (rc == OKRA_OK && w.sections[i].len)
			rc =
			    write_all(fd, w.data[i], (size_t)w.sections[i].len);
		give_back(&w, i);
		at += w.sections[i].len;
	}
	if (rc == OKRA_OK && h.table_offset > at)
		rc = write_all(fd, zeros, (size_t)(h.table_offset - at));
	if (rc == OKRA_OK)
		rc = write_all(fd, w.sections, w.n * sizeof(section));
	/* No fsync: the cache is derived data.  A file torn by a crash fails
	 * the size check on load and is rebuilt from the data files. */
	if (close(fd) != 0 && rc == OKRA_OK)
		rc = OKRA_ERR_IO;
	fd = -1;
	if (rc == OKRA_OK && rename(tmp, path) != 0)
		rc = OKRA_ERR_IO;
	if (rc) {
		okra__err_set(err, OKRA_ERR_IO, path, 0, 0,
		              "cannot write the cache: %s", strerror(errno));
		unlink(tmp);
	}
out:
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	if (lock >= 0)
		close(lock); /* releases the shared lock */
	free(w.sections);
	free(w.data);
	okra__buf_free(&fp);
	return rc;
}

/* ---------------------------------------------------------------------
 * Loading
 * --------------------------------------------------------------------- */

typedef struct mapped {
	const char *base;
	size_t len;
	const section *sections;
	uint32_t n;
} mapped;

static const void *get(const mapped *m, const char *name, uint64_t *len)
{
	for (uint32_t i = 0; i < m->n; i++)
		if (strncmp(m->sections[i].name, name,
		            sizeof(m->sections[i].name)) == 0) {
			if (len)
				*len = m->sections[i].len;
			return m->base + m->sections[i].offset;
		}
	return NULL;
}

static bool get_dict(const mapped *m, const char *prefix, okra_dict *d)
{
	char name[48];
	uint64_t len;
	memset(d, 0, sizeof(*d));
	snprintf(name, sizeof(name), "%s.off", prefix);
	d->off = get(m, name, &len);
	if (!d->off || len < sizeof(uint64_t))
		return false;
	d->n = (uint32_t)(len / sizeof(uint64_t) - 1);
	snprintf(name, sizeof(name), "%s.pool", prefix);
	d->pool = get(m, name, &len);
	return d->pool && len == d->off[d->n];
}

static bool get_entity(const mapped *m, okra_data *d, const char *prefix,
                       okra_entity_table *t, uint32_t n, uint32_t n_attrs)
{
	char name[48];
	t->n = n;
	snprintf(name, sizeof(name), "%s.ids", prefix);
	if (!get_dict(m, name, &t->ids) || t->ids.n != n)
		return false;
	snprintf(name, sizeof(name), "%s.created", prefix);
	t->created = get(m, name, NULL);
	snprintf(name, sizeof(name), "%s.known", prefix);
	t->known = get(m, name, NULL);
	snprintf(name, sizeof(name), "%s.account", prefix);
	t->account = get(m, name, NULL);
	t->n_attrs = n_attrs;
	t->attrs =
	    okra__arena_alloc(&d->arena, (n_attrs + 1) * sizeof(*t->attrs));
	if (!t->created || !t->known || !t->account || !t->attrs)
		return false;
	for (uint32_t i = 0; i < n_attrs; i++) {
		okra_attr *a = &t->attrs[i];
		snprintf(name, sizeof(name), "%s.attr%u.name", prefix, i);
		a->name = get(m, name, NULL);
		snprintf(name, sizeof(name), "%s.attr%u.code", prefix, i);
		a->code = get(m, name, NULL);
		snprintf(name, sizeof(name), "%s.attr%u.num", prefix, i);
		a->num = get(m, name, NULL);
		snprintf(name, sizeof(name), "%s.attr%u.dict", prefix, i);
		if (!a->name || !a->code || !a->num ||
		    !get_dict(m, name, &a->dict))
			return false;
	}
	return true;
}

static bool bind(const mapped *m, okra_data *d)
{
	uint64_t len;
	const meta *mt = get(m, "meta", &len);
	if (!mt || len != sizeof(meta))
		return false;
	d->n_events = mt->n_events;
	d->ts_base = mt->ts_base;
	d->ts_sec = get(m, "ev.ts_sec", NULL);
	d->ts_us = get(m, "ev.ts_us", NULL);
	d->name = get(m, "ev.name", NULL);
	d->user = get(m, "ev.user", NULL);
	d->acct_off = get(m, "ev.acct_off", NULL);
	d->user_rows = get(m, "ev.user_rows", NULL);
	d->user_off = get(m, "ev.user_off", NULL);
	d->min_ts = mt->min_ts;
	d->max_ts = mt->max_ts;
	if (!d->ts_sec || !d->name || !d->user || !d->acct_off ||
	    !d->user_rows || !d->user_off ||
	    !get_dict(m, "ev.names", &d->names))
		return false;
	if (!get_entity(m, d, "acct", &d->accounts, mt->n_accounts,
	                mt->n_acct_attrs) ||
	    !get_entity(m, d, "user", &d->users, mt->n_users, mt->n_user_attrs))
		return false;
	d->n_props = mt->n_props;
	d->props =
	    okra__arena_alloc(&d->arena, (d->n_props + 1) * sizeof(*d->props));
	if (!d->props)
		return false;
	for (uint32_t i = 0; i < d->n_props; i++) {
		okra_prop *p = &d->props[i];
		char name[48];
		snprintf(name, sizeof(name), "prop%u.name", i);
		p->name = get(m, name, NULL);
		snprintf(name, sizeof(name), "prop%u.row", i);
		p->row = get(m, name, &len);
		p->n = len / sizeof(uint32_t);
		snprintf(name, sizeof(name), "prop%u.num", i);
		p->num = get(m, name, NULL);
		snprintf(name, sizeof(name), "prop%u.str", i);
		p->str = get(m, name, NULL);
		snprintf(name, sizeof(name), "prop%u.dict", i);
		if (!p->name || !p->row || !p->num ||
		    !get_dict(m, name, &p->dict))
			return false;
	}
	d->has_revenue = mt->has_revenue;
	d->revenue.n = mt->n_revenue;
	d->revenue.account = get(m, "rev.account", NULL);
	d->revenue.month = get(m, "rev.month", NULL);
	d->revenue.mrr = get(m, "rev.mrr", NULL);
	d->revenue.open = get(m, "rev.open", NULL);
	uint64_t na = (uint64_t)mt->n_accounts + 1, l1 = 0, l2 = 0, l3 = 0;
	d->revenue.off = get(m, "rev.off", &l1);
	d->revenue.open_at = get(m, "rev.open_at", &l2);
	d->revenue.first_paid = get(m, "rev.first_paid", &l3);
	return d->revenue.account && d->revenue.month && d->revenue.mrr &&
	       (d->revenue.open || d->revenue.n == 0) && d->revenue.off &&
	       l1 == na * sizeof(uint64_t) && d->revenue.open_at &&
	       l2 == na * sizeof(uint64_t) && d->revenue.first_paid &&
	       l3 == na * sizeof(int32_t) &&
	       d->revenue.off[na - 1] == d->revenue.n && !d->arena.failed;
}

okra_rc okra__cache_load(const okra_workspace *ws, const char *path,
                         bool check_fresh, okra_data *out, bool *fresh,
                         okra_err *err)
{
	okra_rc rc = OKRA_OK;
	memset(out, 0, sizeof(*out));
	*fresh = false;
	clean_stale(path);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return OKRA_OK; /* no cache (or no folder for one) */
		return okra__err_set(err, OKRA_ERR_IO, path, 0, 0,
		                     "cannot read: %s", strerror(errno));
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || (size_t)st.st_size < sizeof(header)) {
		close(fd);
		return OKRA_OK; /* unusable: rebuild */
	}
	void *base =
	    mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (base == MAP_FAILED)
		return okra__err_set(err, OKRA_ERR_IO, path, 0, 0,
		                     "cannot map: %s", strerror(errno));
	const header *h = base;
	mapped m = {.base = base, .len = (size_t)st.st_size};
	bool valid =
	    memcmp(h->magic, MAGIC, 8) == 0 && h->version == FORMAT_VERSION &&
	    h->file_len == (uint64_t)st.st_size &&
	    h->table_offset + (uint64_t)h->n_sections * sizeof(section) ==
	        h->file_len;
	if (valid) {
		m.sections = (const section *)(m.base + h->table_offset);
		m.n = h->n_sections;
		for (uint32_t i = 0; i < m.n && valid; i++)
			valid = m.sections[i].offset <= h->table_offset &&
			        m.sections[i].len <=
			            h->table_offset - m.sections[i].offset;
	}
	if (!valid) {
		munmap(base, (size_t)st.st_size);
		return OKRA_OK;
	}
	if (check_fresh) {
		uint64_t len;
		const char *src = get(&m, "sources", &len);
		bool ok = false;
		if (src)
			rc = is_fresh(ws, src, (size_t)len, &ok, err);
		if (rc || !ok) {
			munmap(base, (size_t)st.st_size);
			return rc;
		}
	}
	out->mapping = base;
	out->mapping_len = (size_t)st.st_size;
	out->sections = m.sections;
	out->n_sections = m.n;
	if (!bind(&m, out)) {
		okra__data_free(out);
		return OKRA_OK;
	}
	*fresh = true;
	return OKRA_OK;
}

void okra__data_free(okra_data *d)
{
	for (size_t i = 0; i < d->n_sums; i++)
		free(d->sums[i].path);
	free(d->sums);
	for (size_t i = 0; i < d->n_owned; i++)
		free(d->owned[i]);
	free(d->owned);
	if (d->mapping)
		munmap(d->mapping, d->mapping_len);
	okra__arena_free(&d->arena);
	memset(d, 0, sizeof(*d));
}

void okra__data_drop(const okra_data *d, const void *p, uint64_t len)
{
	uintptr_t lo = (uintptr_t)d->mapping, hi = lo + d->mapping_len,
	          a = (uintptr_t)p;
	if (!d->mapping || !p || len == 0 || a < lo || a >= hi)
		return;
	uintptr_t b = len < hi - a ? a + (uintptr_t)len : hi;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	a &= ~(page - 1);
	b = (b + page - 1) & ~(page - 1);
	/* Advice only: when it fails the pages stay, nothing else changes. */
	(void)madvise((void *)a, b - a, MADV_DONTNEED);
}

/* The process's resident bytes of [p, p + len) in whole pages, from
 * /proc/self/pagemap (bit 63: present); -1 when it cannot be read. */
static long long resident_bytes(int fd, const char *p, uint64_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	uintptr_t lo = (uintptr_t)p / (uintptr_t)page,
	          hi = ((uintptr_t)p + len + (uintptr_t)page - 1) /
	               (uintptr_t)page;
	long long n = 0;
	uint64_t e[512];
	for (uintptr_t at = lo; at < hi;) {
		size_t k = hi - at < 512 ? (size_t)(hi - at) : 512;
		ssize_t got =
		    pread(fd, e, k * sizeof(e[0]), (off_t)(at * sizeof(e[0])));
		if (got <= 0)
			return -1;
		size_t m = (size_t)got / sizeof(e[0]);
		for (size_t i = 0; i < m; i++)
			n += (e[i] >> 63) & 1;
		at += m;
	}
	return n * page;
}

void okra__cache_residency(const okra_data *d, FILE *out)
{
	/* Each section's resident pages (a page two sections share counts
	 * in both), largest first. */
	const section *secs = d->sections;
	int pm = secs ? open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC) : -1;
	if (pm >= 0) {
		long long *res = calloc(d->n_sections + 1, sizeof(*res));
		for (uint32_t i = 0; res && i < d->n_sections; i++)
			res[i] = resident_bytes(
			    pm, (const char *)d->mapping + secs[i].offset,
			    secs[i].len);
		for (;;) {
			uint32_t best = UINT32_MAX;
			for (uint32_t i = 0; res && i < d->n_sections; i++)
				if (res[i] > 0 &&
				    (best == UINT32_MAX || res[i] > res[best]))
					best = i;
			if (best == UINT32_MAX)
				break;
			fprintf(out, "resident: %-24.48s %8.1f MiB of %.1f\n",
			        secs[best].name, (double)res[best] / 1048576.0,
			        (double)secs[best].len / 1048576.0);
			res[best] = 0;
		}
		free(res);
		close(pm);
	}

	/* The process's own resident pages of the mapping (smaps), and of
	 * everything (VmHWM): page-cache pages other processes touched do
	 * not count, unlike mincore. */
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	unsigned long lo = 0, hi = 0;
	bool in_map = false;
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long a, b;
		long kb;
		if (sscanf(line, "%lx-%lx ", &a, &b) == 2 &&
		    strchr(line, ' ')) {
			lo = a;
			hi = b;
			in_map = (uintptr_t)d->mapping >= lo &&
			         (uintptr_t)d->mapping < hi;
		} else if (in_map && sscanf(line, "Rss: %ld kB", &kb) == 1) {
			fprintf(
			    out,
			    "resident: cache mapping %.1f MiB of %.1f MiB\n",
			    (double)kb / 1024.0,
			    (double)d->mapping_len / 1048576.0);
		}
	}
	if (f)
		fclose(f);
	f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0 ||
		    strncmp(line, "VmRSS:", 6) == 0)
			fprintf(out, "resident: %s", line);
	if (f)
		fclose(f);
}
