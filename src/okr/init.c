/*
 * init.c - okra init: writes the commented example workspace, or with
 * --from a workspace set up for one analytics tool's export format.
 *
 * The files come from templates/init, embedded at build time: the example
 * workspace is everything outside presets/; a preset's workspace is the
 * files of presets/, with the tool's data: section (presets/<tool>.yaml)
 * in place of "{{DATA}}".  "{{QUARTER}}" becomes the current calendar
 * quarter, so a new workspace starts in the quarter the user is in.  Every file
 * is written beside its final name first and renamed at the end: an interrupted
 * init leaves no half files, and no existing file is ever overwritten.
 * .gitignore is the exception that proves it: every workspace gets the
 * .okra/ line, appended to an existing .gitignore (a repository's) instead
 * of refusing the init.
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

/* The export formats okra init --from knows: templates/init/presets/
 * holds each one's data: section (<name>.yaml) and the workspace they go
 * into. */
static const struct preset {
	const char *name, *title;
} presets[] = {
    {"posthog", "PostHog"},
    {"segment", "Segment"},
    {"amplitude", "Amplitude"},
    {"mixpanel", "Mixpanel"},
};

#define PRESET_DIR "presets/"

typedef struct subst {
	const char *key, *value;
	size_t value_len;
} subst;

/* The template text with each {{KEY}} of subs replaced by its value. */
static void expand(const struct okra__embedded *e, const subst *subs,
                   size_t n_subs, okra_buf *out)
{
	const char *p = (const char *)e->data, *end = p + e->len;
	while (p < end) {
		const char *hit = NULL;
		const subst *which = NULL;
		for (const char *q = p; !hit && q + 2 <= end; q++) {
			if (q[0] != '{' || q[1] != '{')
				continue;
			for (size_t k = 0; k < n_subs; k++) {
				size_t len = strlen(subs[k].key);
				if ((size_t)(end - q) >= len &&
				    memcmp(q, subs[k].key, len) == 0) {
					hit = q;
					which = &subs[k];
					break;
				}
			}
		}
		if (!hit) {
			okra__buf_append(out, p, (size_t)(end - p));
			break;
		}
		okra__buf_append(out, p, (size_t)(hit - p));
		okra__buf_append(out, which->value, which->value_len);
		p = hit + strlen(which->key);
	}
}

/* .gitignore is merged into an existing one, not written over. */
static bool is_gitignore(const char *path)
{
	return strcmp(path, ".gitignore") == 0;
}

/* The file an embedded template becomes in the workspace (NULL: not
 * written as such): the example workspace is every file outside presets/;
 * a preset's is the files of presets/ but the data: sections.  .gitignore
 * is merged in at the end by okra__gitignore_state. */
static const char *output_path(const char *path, const struct preset *preset)
{
	bool in_presets = strncmp(path, PRESET_DIR, strlen(PRESET_DIR)) == 0;
	if (is_gitignore(path))
		return NULL;
	if (!preset)
		return in_presets ? NULL : path;
	if (!in_presets)
		return NULL;
	const char *rest = path + strlen(PRESET_DIR);
	for (size_t i = 0; i < OKRA_ARRAY_LEN(presets); i++) {
		size_t len = strlen(presets[i].name);
		if (strncmp(rest, presets[i].name, len) == 0 &&
		    strcmp(rest + len, ".yaml") == 0)
			return NULL;
	}
	return rest;
}

static const struct okra__embedded *embedded(const char *path)
{
	for (size_t i = 0; okra__init_files[i].path; i++)
		if (strcmp(okra__init_files[i].path, path) == 0)
			return &okra__init_files[i];
	return NULL;
}

static void tmp_name(const char *path, char *out, size_t cap)
{
	snprintf(out, cap, "%s.okra-init.%ld", path, (long)getpid());
}

okra_rc okra_init_from(const char *dir, const char *from, okra_err *err)
{
	okra_rc rc = OKRA_OK;
	const struct preset *preset = NULL;
	const struct okra__embedded *data = NULL;
	if (from) {
		char list[128] = "";
		for (size_t i = 0; i < OKRA_ARRAY_LEN(presets); i++) {
			if (strcmp(from, presets[i].name) == 0)
				preset = &presets[i];
			snprintf(list + strlen(list),
			         sizeof(list) - strlen(list), "%s%s",
			         i ? ", " : "", presets[i].name);
		}
		char path[64];
		snprintf(path, sizeof(path), PRESET_DIR "%s.yaml",
		         preset ? preset->name : "");
		if (!preset || !(data = embedded(path)))
			return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
			                     "okra init --from knows %s, not "
			                     "\"%s\"",
			                     list, from);
	}
	size_t n = 0, written = 0;
	while (okra__init_files[n].path)
		n++;
	char path[4096], tmp[4200];

	/* Refuse before writing anything. */
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		const char *out = output_path(okra__init_files[i].path, preset);
		if (!out)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, out);
		if (stat(path, &st) == 0)
			return okra__err_set(err, OKRA_ERR_USAGE, path, 0, 0,
			                     "already exists; okra init never "
			                     "overwrites a file");
	}
	time_t now = time(NULL);
	int32_t today = (int32_t)(now / 86400);
	okra_quarter q = okra__quarter_of(today, 1);
	char quarter[16];
	snprintf(quarter, sizeof(quarter), "%04d-Q%d", q.year % 10000, q.q);
	/* The data: section ends without its last newline: the template's
	 * line break follows {{DATA}}. */
	size_t data_len = data ? data->len : 0;
	while (data_len && data->data[data_len - 1] == '\n')
		data_len--;
	const subst subs[] = {
	    {"{{QUARTER}}", quarter, strlen(quarter)},
	    {"{{TOOL}}", preset ? preset->title : "",
	     preset ? strlen(preset->title) : 0},
	    {"{{PRESET}}", preset ? preset->name : "",
	     preset ? strlen(preset->name) : 0},
	    {"{{DATA}}", data ? (const char *)data->data : "", data_len},
	};

	for (; written < n; written++) {
		const struct okra__embedded *e = &okra__init_files[written];
		const char *out = output_path(e->path, preset);
		if (!out)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, out);
		char *slash = strrchr(path, '/');
		*slash = '\0';
		rc = okra__mkdir_p(path, err);
		*slash = '/';
		if (rc)
			goto out;
		okra_buf text = {0};
		expand(e, subs, OKRA_ARRAY_LEN(subs), &text);
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
		const char *out = output_path(okra__init_files[i].path, preset);
		if (!out)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, out);
		tmp_name(path, tmp, sizeof(tmp));
		if (rename(tmp, path) != 0) {
			rc = okra__err_set(err, OKRA_ERR_IO, path, 0, 0,
			                   "cannot write: %s", strerror(errno));
			goto out;
		}
	}
	const struct okra__embedded *ignore = embedded(".gitignore");
	return ignore ? okra__gitignore_state(dir, (const char *)ignore->data,
	                                      ignore->len, err)
	              : OKRA_OK;
out:
	for (size_t i = 0; i < written; i++) {
		const char *out = output_path(okra__init_files[i].path, preset);
		if (!out)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, out);
		tmp_name(path, tmp, sizeof(tmp));
		unlink(tmp);
	}
	return rc;
}

okra_rc okra_init(const char *dir, okra_err *err)
{
	return okra_init_from(dir, NULL, err);
}
