/*
 * fs.c - the little file-system layer: open a regular file (never a FIFO
 * or a device, which could block forever), read a file whole, list the
 * YAML files of a workspace, write a file atomically.
 *
 * Everything else stays free of directory walking and temp-file dance.
 * Paths handed out are relative to the root they were listed from.
 */
#include "okra_int.h"
#include "base/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *okra__file_kind(mode_t mode)
{
	return S_ISDIR(mode)    ? "a folder"
	       : S_ISFIFO(mode) ? "a FIFO"
	       : S_ISSOCK(mode) ? "a socket"
	       : S_ISCHR(mode)  ? "a character device"
	       : S_ISBLK(mode)  ? "a block device"
	                        : "not a regular file";
}

okra_rc okra__open_regular(const char *path, const char *display, int *fd_out,
                           struct stat *st, okra_err *err)
{
	/* O_NONBLOCK: opening a FIFO for reading would wait for a writer. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return okra__err_set(err, OKRA_ERR_IO, display, 0, 0,
		                     "cannot read: %s", strerror(errno));
	if (fstat(fd, st) != 0) {
		int e = errno;
		close(fd);
		return okra__err_set(err, OKRA_ERR_IO, display, 0, 0,
		                     "cannot read: %s", strerror(e));
	}
	if (!S_ISREG(st->st_mode)) {
		const char *kind = okra__file_kind(st->st_mode);
		close(fd);
		return okra__err_set(err, OKRA_ERR_IO, display, 0, 0,
		                     "%s%s; only regular files are read",
		                     strncmp(kind, "not ", 4) ? "is " : "",
		                     kind);
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	*fd_out = fd;
	return OKRA_OK;
}

okra_rc okra__read_file(okra_arena *a, const char *path, const char *display,
                        size_t max, char **out, size_t *len, okra_err *err)
{
	struct stat st;
	int fd = -1;
	okra_rc rc = okra__open_regular(path, display, &fd, &st, err);
	if (rc)
		return rc;
	if ((uint64_t)st.st_size > max) {
		rc = okra__err_set(err, OKRA_ERR_IO, display, 0, 0,
		                   "file is larger than %zu MiB (the limit "
		                   "for one file)",
		                   max >> 20);
		goto out;
	}
	char *buf = okra__arena_alloc(a, (size_t)st.st_size + 1);
	if (!buf) {
		rc = okra__err_set(err, OKRA_ERR_NOMEM, display, 0, 0,
		                   "out of memory");
		goto out;
	}
	/* The size seen at open is what is read: a file that grows
	 * meanwhile is read as it was then. */
	size_t n = 0;
	while (n < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + n, (size_t)st.st_size - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			rc = okra__err_set(err, OKRA_ERR_IO, display, 0, 0,
			                   "cannot read: %s", strerror(errno));
			goto out;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
out:
	close(fd);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef struct listing {
	okra_arena *a;
	const char **paths;
	size_t n, cap;
	bool failed;
} listing;

static void walk(listing *l, const char *root, const char *rel, int depth)
{
	if (depth > 32)
		return;
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s%s%s", root, rel[0] ? "/" : "", rel);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue; /* hidden: .okra, .git, editors' files */
		char sub[4096];
		int w = snprintf(sub, sizeof(sub), "%s%s%s", rel,
		                 rel[0] ? "/" : "", e->d_name);
		if (w < 0 || (size_t)w >= sizeof(sub))
			continue;
		char full[8192];
		snprintf(full, sizeof(full), "%s/%s", root, sub);
		struct stat st;
		if (stat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			/* A folder with its own okra.yaml is another workspace.
			 */
			char nested[8300];
			struct stat nst;
			snprintf(nested, sizeof(nested), "%s/okra.yaml", full);
			if (stat(nested, &nst) != 0)
				walk(l, root, sub, depth + 1);
			continue;
		}
		/* Any other *.yaml is listed, so reading a FIFO or a device
		 * named so is refused with an error, not skipped unseen. */
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
			continue;
		const char **p =
		    okra__grow(l->paths, &l->cap, l->n, sizeof(*p), 16);
		if (!p) {
			l->failed = true;
			break;
		}
		l->paths = p;
		l->paths[l->n++] = okra__arena_strdup(l->a, sub);
	}
	closedir(d);
}

okra_rc okra__list_yaml(okra_arena *a, const char *root, const char ***out,
                        size_t *n, okra_err *err)
{
	listing l = {.a = a};
	walk(&l, root, "", 0);
	if (l.failed || a->failed) {
		free(l.paths);
		return okra__nomem(err);
	}
	qsort(l.paths, l.n, sizeof(*l.paths), cmp_str);
	const char **paths = okra__arena_alloc(a, (l.n + 1) * sizeof(*paths));
	if (!paths) {
		free(l.paths);
		return okra__nomem(err);
	}
	if (l.n)
		memcpy(paths, l.paths, l.n * sizeof(*paths));
	free(l.paths);
	*out = paths;
	*n = l.n;
	return OKRA_OK;
}

okra_rc okra__write_file_atomic(const char *path, const char *data, size_t len,
                                okra_err *err)
{
	char tmp[4096];
	int w = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	if (w < 0 || (size_t)w >= sizeof(tmp))
		return okra__err_set(err, OKRA_ERR_IO, path, 0, 0,
		                     "path too long");
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return okra__err_set(err, OKRA_ERR_IO, path, 0, 0,
		                     "cannot write: %s", strerror(errno));
	size_t off = 0;
	while (off < len) {
		ssize_t k = write(fd, data + off, len - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			int e = errno;
			close(fd);
			unlink(tmp);
			return okra__err_set(err, OKRA_ERR_IO, path, 0, 0,
			                     "cannot write: %s", strerror(e));
		}
		off += (size_t)k;
	}
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		return okra__err_set(err, OKRA_ERR_IO, path, 0, 0,
		                     "cannot write: %s", strerror(e));
	}
	return OKRA_OK;
}

okra_rc okra__mkdir_p(const char *path, okra_err *err)
{
	char buf[4096];
	int w = snprintf(buf, sizeof(buf), "%s", path);
	if (w < 0 || (size_t)w >= sizeof(buf))
		return okra__err_set(err, OKRA_ERR_IO, path, 0, 0,
		                     "path too long");
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return okra__err_set(err, OKRA_ERR_IO, buf, 0, 0,
			                     "cannot create folder: %s",
			                     strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, 0755) != 0 && errno != EEXIST)
		return okra__err_set(err, OKRA_ERR_IO, buf, 0, 0,
		                     "cannot create folder: %s",
		                     strerror(errno));
	return OKRA_OK;
}

/* Does a .gitignore line ignore the folder .okra at the root? */
static bool ignores_state(const char *text)
{
	static const char *const forms[] = {".okra",   ".okra/",  "/.okra",
	                                    "/.okra/", ".okra/*", "/.okra/*"};
	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\r' ||
		               p[len - 1] == '\t'))
			len--;
		for (size_t i = 0; i < OKRA_ARRAY_LEN(forms); i++)
			if (len == strlen(forms[i]) &&
			    memcmp(p, forms[i], len) == 0)
				return true;
		p += strcspn(p, "\n");
		p += *p == '\n';
	}
	return false;
}

okra_rc okra__gitignore_state(const char *dir, const char *text, size_t len,
                              okra_err *err)
{
	char path[4200];
	okra_arena a = {0};
	okra_buf b = {0};
	char *old = NULL;
	size_t old_len = 0;
	struct stat st;
	okra_rc rc = OKRA_OK;
	snprintf(path, sizeof(path), "%s/.gitignore", dir);
	if (stat(path, &st) == 0) {
		rc = okra__read_file(&a, path, path, 1u << 20, &old, &old_len,
		                     err);
		if (rc || ignores_state(old))
			goto out;
		okra__buf_append(&b, old, old_len);
		okra__buf_puts(&b, old_len && old[old_len - 1] != '\n' ? "\n\n"
		                                                       : "\n");
	}
	okra__buf_append(&b, text, len);
	rc = b.failed ? okra__nomem(err)
	              : okra__write_file_atomic(path, b.data, b.len, err);
out:
	okra__buf_free(&b);
	okra__arena_free(&a);
	return rc;
}
