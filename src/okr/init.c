/*
 * init.c - okra init: writes the commented example workspace.
 *
 * The files come from templates/init, embedded at build time.  "{{QUARTER}}"
 * becomes the current calendar quarter, so a new workspace starts in the
 * quarter the user is in.  Every file is written beside its final name
 * first and renamed at the end: an interrupted init leaves no half files,
 * and no existing file is ever overwritten.  .gitignore is the exception
 * that proves it: an existing one (a repository's) gets the .okra/ line
 * appended instead of refusing the init.
 */
#include "okra_int.h"
#include "base/fs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct okra__embedded {
	const char *path;
	const unsigned char *data;
	size_t len;
};
extern const struct okra__embedded okra__init_files[];

/* The template text with {{QUARTER}} replaced. */
static void expand(const struct okra__embedded *e, const char *quarter,
                   okra_buf *out)
{
	static const char key[] = "{{QUARTER}}";
	const char *p = (const char *)e->data, *end = p + e->len;
	while (p < end) {
		const char *hit = NULL;
		for (const char *q = p; q + sizeof(key) - 1 <= end; q++)
			if (memcmp(q, key, sizeof(key) - 1) == 0) {
				hit = q;
				break;
			}
		if (!hit) {
			okra__buf_append(out, p, (size_t)(end - p));
			break;
		}
		okra__buf_append(out, p, (size_t)(hit - p));
		okra__buf_puts(out, quarter);
		p = hit + sizeof(key) - 1;
	}
}

/* .gitignore is merged into an existing one, not written over. */
static bool is_gitignore(const struct okra__embedded *e)
{
	return strcmp(e->path, ".gitignore") == 0;
}

static void tmp_name(const char *path, char *out, size_t cap)
{
	snprintf(out, cap, "%s.okra-init.%ld", path, (long)getpid());
}

okra_rc okra_init(const char *dir, okra_err *err)
{
	okra_rc rc = OKRA_OK;
	size_t n = 0, written = 0;
	while (okra__init_files[n].path)
		n++;
	char path[4096], tmp[4200];

	/* Refuse before writing anything. */
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir,
		         okra__init_files[i].path);
		if (!is_gitignore(&okra__init_files[i]) && stat(path, &st) == 0)
			return okra__err_set(err, OKRA_ERR_USAGE, path, 0, 0,
			                     "already exists; okra init never "
			                     "overwrites a file");
	}
	time_t now = time(NULL);
	int32_t today = (int32_t)(now / 86400);
	okra_quarter q = okra__quarter_of(today, 1);
	char quarter[16];
	snprintf(quarter, sizeof(quarter), "%04d-Q%d", q.year % 10000, q.q);

	for (; written < n; written++) {
		const struct okra__embedded *e = &okra__init_files[written];
		if (is_gitignore(e))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->path);
		char *slash = strrchr(path, '/');
		*slash = '\0';
		rc = okra__mkdir_p(path, err);
		*slash = '/';
		if (rc)
			goto out;
		okra_buf text = {0};
		expand(e, quarter, &text);
		if (text.failed) {
			okra__buf_free(&text);
			rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
			                   "out of memory");
			goto out;
		}
		tmp_name(path, tmp, sizeof(tmp));
		rc = okra__write_file_atomic(tmp, text.data ? text.data : "",
		                             text.len, err);
		okra__buf_free(&text);
		if (rc)
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (is_gitignore(&okra__init_files[i]))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir,
		         okra__init_files[i].path);
		tmp_name(path, tmp, sizeof(tmp));
		if (rename(tmp, path) != 0) {
			rc = okra__err_set(err, OKRA_ERR_IO, path, 0, 0,
			                   "cannot write: %s", strerror(errno));
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (is_gitignore(&okra__init_files[i]))
			return okra__gitignore_state(
			    dir, (const char *)okra__init_files[i].data,
			    okra__init_files[i].len, err);
	return OKRA_OK;
out:
	for (size_t i = 0; i < written; i++) {
		if (is_gitignore(&okra__init_files[i]))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir,
		         okra__init_files[i].path);
		tmp_name(path, tmp, sizeof(tmp));
		unlink(tmp);
	}
	return rc;
}
