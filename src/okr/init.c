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
#define TEAMS_DIR  "teams/"

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
	if (is_gitignore(path) ||
	    strncmp(path, TEAMS_DIR, strlen(TEAMS_DIR)) == 0)
		return NULL; /* team types: okra_init_team_type */
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
			return okra__err_set(
			    err, OKRA_ERR_USAGE, NULL, 0, 0,
			    "okra knows the exports of %s, not "
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

/* ---------------------------------------------------------------------
 * okra init --team-type TYPE: the metrics a team type calls for
 * --------------------------------------------------------------------- */

static const char *const team_types[] = {"activation", "core", "expansion",
                                         "platform"};

okra_rc okra_init_team_type(const char *dir, const char *type, const char *team,
                            size_t *n_added, char *owner, size_t owner_cap,
                            okra_err *err)
{
	okra_rc rc = OKRA_OK;
	okra_findings *findings = NULL;
	okra_workspace *ws = NULL;
	okra_buf text = {0};
	char path[4096], prefix[64];
	size_t k = 0;
	for (; k < OKRA_ARRAY_LEN(team_types); k++)
		if (strcmp(type, team_types[k]) == 0)
			break;
	if (k == OKRA_ARRAY_LEN(team_types))
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "the team types are activation, "
		                     "core, expansion and platform, not \"%s\"",
		                     type);
	struct stat st;
	snprintf(path, sizeof(path), "%s/okra.yaml", dir);
	if (stat(path, &st) != 0 && (rc = okra_init_from(dir, NULL, err)))
		return rc;
	snprintf(path, sizeof(path), "%s/metrics-%s.yaml", dir, type);
	if (stat(path, &st) == 0)
		return okra__err_set(err, OKRA_ERR_USAGE, path, 0, 0,
		                     "already exists; okra init never "
		                     "overwrites a file");
	findings = okra_findings_new();
	if (!findings) {
		rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                   "out of memory");
		goto out;
	}
	rc = okra_workspace_load(dir, findings, &ws, err);
	if (rc == OKRA_ERR_CONFIG)
		rc = okra__err_set(err, OKRA_ERR_CONFIG, NULL, 0, 0,
		                   "the workspace in %s has errors (okra lint "
		                   "lists them); fix them before adding a team "
		                   "type's metrics",
		                   dir);
	if (rc)
		goto out;
	/* The owner: the team named, or the first team of the type. */
	for (size_t i = 0; !team && i < ws->n_teams; i++)
		if (ws->teams[i].type == (okra_team_type)k)
			team = ws->teams[i].id;
	if (!team || okra__find_team(ws, team) < 0) {
		rc = okra__err_set(
		    err, OKRA_ERR_USAGE, NULL, 0, 0,
		    team ? "okra.yaml lists no team \"%s\"; add {id: %s, "
		           "type: %s} to teams: first"
		         : "okra.yaml lists no %s team; add one to teams: "
		           "(e.g. {id: %s, type: %s}) or name the team that "
		           "owns them",
		    team ? team : type, team ? team : type, type);
		goto out;
	}
	okra__buf_printf(&text,
	                 "# metrics-%s.yaml - the metrics a %s team is "
	                 "measured by, written by\n"
	                 "# okra init --team-type %s for team \"%s\" (the "
	                 "ones this workspace\n"
	                 "# did not define yet).  Adjust the events to your "
	                 "data, and pair each\n"
	                 "# with a guardrail.\n\nmetrics:\n",
	                 type, type, type, team);
	const subst subs[] = {{"{{TEAM}}", team, strlen(team)}};
	snprintf(prefix, sizeof(prefix), TEAMS_DIR "%s/", type);
	size_t added = 0;
	for (size_t i = 0; okra__init_files[i].path; i++) {
		const struct okra__embedded *e = &okra__init_files[i];
		if (strncmp(e->path, prefix, strlen(prefix)) != 0)
			continue;
		char id[128];
		snprintf(id, sizeof(id), "%s", e->path + strlen(prefix));
		char *dot = strstr(id, ".yaml");
		if (dot)
			*dot = '\0';
		if (okra__find_metric(ws, id) >= 0)
			continue;
		expand(e, subs, OKRA_ARRAY_LEN(subs), &text);
		added++;
	}
	if (text.failed) {
		rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                   "out of memory");
		goto out;
	}
	if (added)
		rc = okra__write_file_atomic(path, text.data, text.len, err);
	if (!rc) {
		*n_added = added;
		snprintf(owner, owner_cap, "%s", team);
	}
out:
	okra__buf_free(&text);
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return rc;
}
