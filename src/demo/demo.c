/*
 * demo.c - okra_demo(): writes the synthetic workspace and its data.
 *
 * Owns the file dance: refuse when okra.yaml exists, write every file
 * beside its final name, rename them all at the end (okra.yaml last, so a
 * workspace that loads is a complete one), and remove the temporary files
 * on any error.  The company itself lives in world.c, the bytes in
 * generate.c and workspace.c.  Last, the quarterly NPS survey goes into
 * the state database as check-ins, as a team would enter them.
 */
#include "demo/demo.h"
#include "base/fs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
	F_ACCOUNTS = 0,
	F_USERS,
	F_REVENUE,
	F_EVENTS,
	F_YAML,
	N_FILES = F_YAML + OKRA_DEMO_YAML_FILES
};

static okra_rc end_day(const okra_demo_options *o, int32_t *out, okra_err *err)
{
	int32_t day;
	if (o->end) {
		if (!okra__parse_date(o->end, &day))
			return okra__err_set(
			    err, OKRA_ERR_USAGE, NULL, 0, 0,
			    "invalid end date '%s' (YYYY-MM-DD)", o->end);
	} else {
		day = (int32_t)(time(NULL) / 86400);
	}
	/* A year of events and a year of revenue history before it. */
	if (day < okra__days_from_civil(1972, 1, 1) ||
	    day > okra__days_from_civil(9999, 12, 31))
		return okra__err_set(
		    err, OKRA_ERR_USAGE, NULL, 0, 0,
		    "the end date must lie between 1972 and 9999");
	*out = day;
	return OKRA_OK;
}

/* The quarterly NPS survey: a check-in of nps every 91 days, the last a
 * week before the end, so the product-health tree (a formula over nps)
 * has values all year.  None is dated in the future (okra_checkin refuses
 * those). */
static okra_rc nps_checkins(const char *dir, int32_t end, okra_err *err)
{
	static const char *const values[] = {"31", "33", "36", "38", "41"};
	okra_findings *f = okra_findings_new();
	okra_workspace *ws = NULL;
	if (!f)
		return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                     "out of memory");
	okra_rc rc = okra_workspace_load(dir, f, &ws, err);
	int32_t today = (int32_t)(time(NULL) / 86400);
	for (int k = 0; rc == OKRA_OK && k < 5; k++) {
		int32_t day = end - 7 - 91 * (4 - k);
		char date[11];
		if (day > today)
			continue;
		okra__format_date(day, date);
		rc = okra_checkin(ws, "nps", values[k], date,
		                  "quarterly in-app survey", NULL, err);
	}
	okra_workspace_free(ws);
	okra_findings_free(f);
	return rc;
}

okra_rc okra_demo(const char *dir, const okra_demo_options *opt, okra_err *err)
{
	okra_demo_options o = opt ? *opt : (okra_demo_options){0};
	okra_demo_world w = {0};
	okra_demo_file files[N_FILES];
	okra_buf yaml[OKRA_DEMO_YAML_FILES];
	okra_demo_progress progress = {.enabled = o.progress};
	size_t opened = 0;
	char path[4096];
	struct stat st;
	int32_t end = 0;
	okra_rc rc;

	memset(files, 0, sizeof(files));
	memset(yaml, 0, sizeof(yaml));
	for (size_t i = 0; i < N_FILES; i++)
		files[i].fd = -1;
	if (!o.events)
		o.events = 1000000;
	if (o.events < 1000 || o.events > 10000000000ull)
		return okra__err_set(
		    err, OKRA_ERR_USAGE, NULL, 0, 0,
		    "the number of events must lie between 1000 and 1e10");
	bool wide = o.shape && strcmp(o.shape, "wide") == 0;
	if (o.shape && !wide && strcmp(o.shape, "demo") != 0)
		return okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                     "unknown shape '%s' (demo or wide)",
		                     o.shape);
	rc = end_day(&o, &end, err);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s/okra.yaml", dir);
	if (stat(path, &st) == 0)
		return okra__err_set(
		    err, OKRA_ERR_USAGE, path, 0, 0,
		    "already exists; okra demo never overwrites a workspace");
	static const char *const folders[] = {"", "/data", "/okrs"};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(folders); i++) {
		snprintf(path, sizeof(path), "%s%s", dir, folders[i]);
		rc = okra__mkdir_p(path, err);
		if (rc)
			return rc;
	}
	rc = okra__demo_world_init(&w, o.events, o.seed, end, wide, err);
	if (rc)
		return rc;

	/* The tables, one after the other, each through its own buffer; the
	 * events through a writer thread. */
	static const char *const tables[] = {
	    "data/accounts.csv", "data/users.csv", "data/revenue.csv",
	    "data/events.csv"};
	for (size_t i = 0; i < F_YAML; i++) {
		okra_demo_file *f = &files[i];
		opened = i + 1; /* its temporary file may exist from here on */
		rc = okra__demo_file_open(f, dir, tables[i],
		                          i == F_EVENTS ? 4u << 20 : 256u << 10,
		                          i == F_EVENTS, err);
		if (rc)
			goto out;
		if (i == F_ACCOUNTS)
			okra__demo_write_accounts(&w, f);
		else if (i == F_USERS)
			okra__demo_write_users(&w, f);
		else if (i == F_REVENUE)
			okra__demo_write_revenue(&w, f);
		else
			rc = okra__demo_write_events(&w, f, &progress, err);
		if (!rc)
			rc = okra__demo_file_close(f, true, err);
		if (rc)
			goto out;
	}

	/* The YAML knows the counts, so it comes last. */
	okra__demo_workspace(&w, yaml);
	for (size_t i = 0; i < OKRA_DEMO_YAML_FILES; i++) {
		okra_demo_file *f = &files[F_YAML + i];
		char rel[64];
		if (yaml[i].failed) {
			rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
			                   "out of memory");
			goto out;
		}
		okra__demo_yaml_path(&w, (int)i, rel, sizeof(rel));
		opened = F_YAML + i + 1;
		rc = okra__demo_file_open(f, dir, rel, 64u << 10, false, err);
		if (rc)
			goto out;
		okra__demo_put(f, yaml[i].data ? yaml[i].data : "",
		               yaml[i].len);
		rc = okra__demo_file_close(f, true, err);
		if (rc)
			goto out;
	}

	/* Every file is complete: give them their names, okra.yaml last. */
	for (size_t i = 0; i < N_FILES; i++) {
		size_t k = i < F_YAML ? i : (i == N_FILES - 1 ? F_YAML : i + 1);
		if (rename(files[k].tmp, files[k].path) != 0) {
			rc =
			    okra__err_set(err, OKRA_ERR_IO, files[k].path, 0, 0,
			                  "cannot write: %s", strerror(errno));
			goto out;
		}
		files[k].tmp[0] = '\0';
	}
	static const char gitignore[] =
	    "# okra's own state (check-ins, the cache, rejected rows): per "
	    "machine;\n# share check-ins with okra export and okra import "
	    "(docs/cli.md).\n.okra/\n";
	rc = okra__gitignore_state(dir, gitignore, sizeof(gitignore) - 1, err);
	if (rc == OKRA_OK)
		rc = nps_checkins(dir, end, err);
out:
	for (size_t i = 0; i < N_FILES; i++) {
		okra__demo_file_free(&files[i]);
		if (rc && i < opened && files[i].tmp[0])
			unlink(files[i].tmp);
	}
	for (int i = 0; i < OKRA_DEMO_YAML_FILES; i++)
		okra__buf_free(&yaml[i]);
	okra__demo_world_free(&w);
	return rc;
}
