/*
 * workspace.c - finding and loading a workspace folder.
 *
 * okra.yaml first (it sets the fiscal calendar the other files' quarters
 * need), then every other *.yaml in path order.  A syntax error in one file
 * is reported and the others are still read, so one run shows everything.
 */
#include "yaml.h"
#include "base/fs.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

okra_rc okra__load_file(okra_workspace *ws, okra_findings *f,
                        const okra_source *src, const okra_ynode *root,
                        bool is_settings);

okra_rc okra_workspace_find(const char *start, char *root, size_t cap,
                            okra_err *err)
{
	char dir[PATH_MAX];
	if (!realpath(start, dir))
		return okra__err_set(err, OKRA_ERR_USAGE, start, 0, 0,
		                     "no such folder");
	for (;;) {
		char probe[PATH_MAX + 16];
		struct stat st;
		snprintf(probe, sizeof(probe), "%s/okra.yaml", dir);
		if (stat(probe, &st) == 0 && !S_ISDIR(st.st_mode)) {
			if (strlen(dir) + 1 > cap)
				return okra__err_set(err, OKRA_ERR_USAGE, NULL,
				                     0, 0,
				                     "workspace path too long");
			memcpy(root, dir, strlen(dir) + 1);
			return OKRA_OK;
		}
		char *slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			break;
		*slash = '\0';
	}
	return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
	                     "no okra.yaml in %s or any folder above it; run "
	                     "'okra init' to create a workspace",
	                     start);
}

static void default_settings(okra_workspace_settings *s)
{
	s->fiscal_start_month = 1;
	s->week_start = 0;
	s->yellow_gap = 0.10;
	s->red_gap = 0.25;
	s->north_star.index = -1;
}

/* Parses and maps every source of ws (okra.yaml first), then checks the
 * whole.  Syntax errors become findings so the other files still load. */
static okra_rc build(okra_workspace *ws, okra_findings *findings, okra_err *err)
{
	for (size_t i = 0; i < ws->n_sources; i++) {
		const okra_source *src = &ws->sources[i];
		okra_ynode *tree = NULL;
		okra_err perr = {0};
		okra_rc rc = okra__yaml_parse(&ws->arena, src->path, src->text,
		                              src->len, &tree, &perr);
		if (rc == OKRA_ERR_CONFIG) {
			okra_pos pos = {src->path, perr.line, perr.col};
			okra__finding_add(findings, ws, OKRA_ERROR,
			                  "yaml-syntax", pos, NULL, "%s",
			                  perr.msg);
			continue;
		}
		if (rc) {
			*err = perr;
			return rc;
		}
		rc = okra__load_file(ws, findings, src, tree, i == 0);
		if (rc)
			return okra__err_set(err, rc, NULL, 0, 0,
			                     "out of memory");
	}
	okra__workspace_check(ws, findings);
	if (ws->arena.failed)
		return okra__nomem(err);
	if (okra_findings_count_severity(findings, OKRA_ERROR) > 0)
		return okra__err_set(err, OKRA_ERR_CONFIG, NULL, 0, 0,
		                     "the workspace has errors");
	return OKRA_OK;
}

static okra_workspace *new_workspace(const char *root)
{
	okra_workspace *ws = calloc(1, sizeof(*ws));
	if (!ws)
		return NULL;
	default_settings(&ws->settings);
	ws->root = okra__arena_strdup(&ws->arena, root);
	return ws;
}

okra_rc okra__workspace_from_sources(const char *root, const okra_source *srcs,
                                     size_t n, okra_findings *findings,
                                     okra_workspace **out, okra_err *err)
{
	okra_rc rc;
	okra_workspace *ws = new_workspace(root);
	if (!ws)
		return okra__nomem(err);
	ws->sources =
	    okra__arena_alloc(&ws->arena, (n + 1) * sizeof(okra_source));
	if (!ws->sources) {
		rc = okra__nomem(err);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		okra_source *s = &ws->sources[i];
		s->path = okra__arena_strdup(&ws->arena, srcs[i].path);
		s->text =
		    okra__arena_strndup(&ws->arena, srcs[i].text, srcs[i].len);
		s->len = srcs[i].len;
	}
	ws->n_sources = n;
	rc = build(ws, findings, err);
	if (rc)
		goto out;
	*out = ws;
	return OKRA_OK;
out:
	okra_workspace_free(ws);
	return rc;
}

okra_rc okra_workspace_load(const char *root, okra_findings *findings,
                            okra_workspace **out, okra_err *err)
{
	okra_rc rc = OKRA_OK;
	okra_workspace *ws = new_workspace(root);
	if (!ws)
		return okra__nomem(err);

	const char **paths = NULL;
	size_t n_paths = 0;
	rc = okra__list_yaml(&ws->arena, root, &paths, &n_paths, err);
	if (rc)
		goto out;
	/* okra.yaml first, then the rest in path order. */
	bool has_settings = false;
	for (size_t i = 0; i < n_paths; i++)
		if (strcmp(paths[i], "okra.yaml") == 0) {
			memmove(paths + 1, paths, i * sizeof(*paths));
			paths[0] = "okra.yaml";
			has_settings = true;
			break;
		}
	if (!has_settings) {
		rc = okra__err_set(err, OKRA_ERR_USAGE, root, 0, 0,
		                   "no okra.yaml in this folder");
		goto out;
	}
	ws->sources =
	    okra__arena_alloc(&ws->arena, n_paths * sizeof(okra_source));
	if (!ws->sources) {
		rc = okra__nomem(err);
		goto out;
	}
	for (size_t i = 0; i < n_paths; i++) {
		char full[8192];
		snprintf(full, sizeof(full), "%s/%s", root, paths[i]);
		okra_source *src = &ws->sources[ws->n_sources];
		char *text;
		rc = okra__read_file(&ws->arena, full, paths[i],
		                     OKRA_MAX_YAML_FILE_BYTES, &text, &src->len,
		                     err);
		if (rc)
			goto out;
		src->path = paths[i];
		src->text = text;
		ws->n_sources++;
	}
	rc = build(ws, findings, err);
	if (rc)
		goto out;
	*out = ws;
	return OKRA_OK;
out:
	okra_workspace_free(ws);
	return rc;
}
