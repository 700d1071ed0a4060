/*
 * cmd_state.c - the commands of okra's state (SPEC 7):
 *   okra checkin METRIC VALUE [--date D] [--note TEXT] [--author A]
 *                [--correct N]
 *   okra checkins [METRIC] [--format text|json] [-o FILE]
 *   okra confidence KR [0..10 [--date D] [--note TEXT]] [--format text|json]
 *   okra milestone KR done|open [--date D] [--note TEXT]
 *   okra export [-o FILE]
 *   okra import [FILE|-]
 */
#include "cli.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DATE_OPTION                                                            \
	{                                                                      \
		"date", 0, "D", false,                                         \
		    "the day it is recorded for (default: today, UTC)", NULL   \
	}
#define NOTE_OPTION                                                            \
	{                                                                      \
		"note", 0, "TEXT", false, "a note kept beside it", NULL        \
	}
#define FORMAT_OPTION                                                          \
	{                                                                      \
		"format", 0, "FORMAT", false, "text or json", "text json"      \
	}
#define OUTPUT_OPTION                                                          \
	{                                                                      \
		"output", 'o', "FILE", false,                                  \
		    "write FILE whole or not at all; - is standard output",    \
		    "@file"                                                    \
	}
#define END_OPTIONS                                                            \
	{                                                                      \
		NULL, 0, NULL, false, NULL, NULL                               \
	}

static const cli_option checkin_options[] = {
    DATE_OPTION,
    NOTE_OPTION,
    {"author", 0, "NAME", false,
     "who checks in (default: $OKRA_AUTHOR, else the user logged in)", NULL},
    {"correct", 0, "N", false,
     "correct check-in #N (okra checkins shows the numbers): the new row "
     "supersedes it, the history stays",
     NULL},
    END_OPTIONS};
static const cli_option milestone_options[] = {DATE_OPTION, NOTE_OPTION,
                                               END_OPTIONS};
static const cli_option checkins_options[] = {FORMAT_OPTION, OUTPUT_OPTION,
                                              END_OPTIONS};
static const cli_option confidence_options[] = {DATE_OPTION, NOTE_OPTION,
                                                FORMAT_OPTION, END_OPTIONS};
static const cli_option export_options[] = {OUTPUT_OPTION, END_OPTIONS};

const cli_spec cli_spec_checkin = {checkin_options, 2, "@metric;"};
const cli_spec cli_spec_checkins = {checkins_options, 1, "@metric"};
const cli_spec cli_spec_confidence = {confidence_options, 2, "@key-result;"};
const cli_spec cli_spec_milestone = {milestone_options, 2,
                                     "@key-result;done open"};
const cli_spec cli_spec_export = {export_options, 0, NULL};
const cli_spec cli_spec_import = {NULL, 1, "@file"};

/* The parsed arguments the commands share. */
typedef struct args {
	const char *pos[2];
	size_t n_pos;
	const char *date, *note, *author, *correct;
	long long corrects; /* --correct N, parsed */
	okra_format format;
	FILE *out;
} args;

static int parse_args(const cli *c, args *a)
{
	memset(a, 0, sizeof(*a));
	for (size_t i = 0; i < c->n_args && i < 2; i++)
		a->pos[a->n_pos++] = c->args[i];
	a->date = cli_value(c, "date");
	a->note = cli_value(c, "note");
	a->author = cli_value(c, "author");
	a->correct = cli_value(c, "correct");
	a->out = stdout;
	const char *f = cli_value(c, "format");
	return f ? cli_format(f, 1 << OKRA_FORMAT_TEXT | 1 << OKRA_FORMAT_JSON,
	                      &a->format, c->argv[0])
	         : EXIT_OK;
}

/* Loads the workspace, runs fn, frees. */
typedef okra_rc (*state_fn)(const okra_workspace *ws, const args *a,
                            okra_err *err);

static int with_workspace(const cli *c, const args *a, state_fn fn)
{
	okra_findings *findings = okra_findings_new();
	okra_workspace *ws = NULL;
	int status = findings ? EXIT_OK : EXIT_ERROR;
	if (status || (status = cli_load(c, &ws, findings, OKRA_FORMAT_TEXT)))
		goto out;
	okra_err err = {0};
	if (fn(ws, a, &err))
		status = cli_fail(&err);
out:
	okra_workspace_free(ws);
	okra_findings_free(findings);
	return status;
}

/* ---- checkin ----------------------------------------------------------- */

/* Who checks in: --author, else $OKRA_AUTHOR, else the user logged in
 * (NULL when none is known). */
static const char *author_of(const args *a)
{
	if (a->author)
		return a->author;
	const char *env = getenv("OKRA_AUTHOR");
	if (env && env[0])
		return env;
	const struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name && pw->pw_name[0])
		return pw->pw_name;
	env = getenv("USER");
	return env && env[0] ? env : NULL;
}

static okra_rc run_checkin(const okra_workspace *ws, const args *a,
                           okra_err *err)
{
	char day[11];
	long long id = 0, corrects = a->corrects;
	okra_checkin_input in = {.metric = a->pos[0],
	                         .value = a->pos[1],
	                         .date = a->date,
	                         .note = a->note,
	                         .author = author_of(a),
	                         .corrects = corrects};
	okra_rc rc = okra_checkin_record(ws, &in, &id, day, err);
	if (rc)
		return rc;
	if (corrects)
		printf("corrected #%lld: ", corrects);
	printf("checked in %s = %s on %s", a->pos[0], a->pos[1], day);
	if (in.author)
		printf(" by %s", in.author);
	printf(" (#%lld)\n", id);
	return OKRA_OK;
}

int cmd_checkin(const cli *c)
{
	args a;
	int status = parse_args(c, &a);
	if (status)
		return status;
	if (a.n_pos < 2)
		return cli_usage("checkin",
		                 "%s okra checkin METRIC VALUE [--date D] "
		                 "[--note TEXT] [--author NAME] [--correct N]",
		                 a.n_pos ? "which value?"
		                         : "which metric and value?");
	if (a.correct) {
		const char *n = a.correct[0] == '#' ? a.correct + 1 : a.correct;
		char *end;
		errno = 0;
		a.corrects = strtoll(n, &end, 10);
		if (!n[0] || *end || errno || a.corrects <= 0)
			return cli_usage("checkin",
			                 "--correct takes the number of a "
			                 "check-in (okra checkins shows them), "
			                 "not '%s'",
			                 a.correct);
	}
	return with_workspace(c, &a, run_checkin);
}

/* ---- checkins ---------------------------------------------------------- */

static okra_rc run_checkins(const okra_workspace *ws, const args *a,
                            okra_err *err)
{
	return okra_checkins_write(ws, a->pos[0], a->format, a->out, err);
}

int cmd_checkins(const cli *c)
{
	args a;
	cli_output out = {0};
	int status = parse_args(c, &a);
	if (status || (status = cli_output_open(cli_value(c, "output"),
	                                        "checkins", &out)))
		return status;
	a.out = out.f;
	return cli_output_close(&out, with_workspace(c, &a, run_checkins));
}

/* ---- confidence -------------------------------------------------------- */

static okra_rc run_confidence(const okra_workspace *ws, const args *a,
                              okra_err *err)
{
	if (a->n_pos == 1)
		return okra_confidence_write(ws, a->pos[0], a->format, stdout,
		                             err);
	char day[11];
	okra_rc rc = okra_confidence_add(ws, a->pos[0], a->pos[1], a->date,
	                                 a->note, day, err);
	if (rc == OKRA_OK)
		printf("confidence in %s: %s/10 on %s\n", a->pos[0], a->pos[1],
		       day);
	return rc;
}

int cmd_confidence(const cli *c)
{
	args a;
	int status = parse_args(c, &a);
	if (status)
		return status;
	if (a.n_pos == 0)
		return cli_usage(
		    "confidence",
		    "which key result? okra confidence KR 0..10 [--note TEXT]");
	if (a.n_pos == 1 && (a.date || a.note))
		return cli_usage("confidence",
		                 "--date and --note go with a value: okra "
		                 "confidence KR 0..10");
	return with_workspace(c, &a, run_confidence);
}

/* ---- milestone --------------------------------------------------------- */

static okra_rc run_milestone(const okra_workspace *ws, const args *a,
                             okra_err *err)
{
	char day[11];
	okra_rc rc = okra_milestone_mark(ws, a->pos[0], a->pos[1], a->date,
	                                 a->note, day, err);
	if (rc == OKRA_OK)
		printf("milestone %s marked %s on %s\n", a->pos[0], a->pos[1],
		       day);
	return rc;
}

int cmd_milestone(const cli *c)
{
	args a;
	int status = parse_args(c, &a);
	if (status)
		return status;
	if (a.n_pos < 2)
		return cli_usage("milestone",
		                 "%s okra milestone KR done|open [--date D] "
		                 "[--note TEXT]",
		                 a.n_pos ? "done or open?"
		                         : "which key result, done or open?");
	return with_workspace(c, &a, run_milestone);
}

/* ---- export and import ------------------------------------------------- */

static okra_rc run_export(const okra_workspace *ws, const args *a,
                          okra_err *err)
{
	return okra_state_export(ws, NULL, a->out, err);
}

int cmd_export(const cli *c)
{
	args a;
	cli_output out = {0};
	int status = parse_args(c, &a);
	if (status ||
	    (status = cli_output_open(cli_value(c, "output"), "export", &out)))
		return status;
	a.out = out.f;
	return cli_output_close(&out, with_workspace(c, &a, run_export));
}

static okra_rc run_import(const okra_workspace *ws, const args *a,
                          okra_err *err)
{
	const char *path = a->pos[0];
	bool is_stdin = !path || strcmp(path, "-") == 0;
	FILE *in = is_stdin ? stdin : fopen(path, "rb");
	if (!in) {
		*err = (okra_err){.rc = OKRA_ERR_IO};
		snprintf(err->file, sizeof(err->file), "%s", path);
		snprintf(err->msg, sizeof(err->msg), "cannot read: %s",
		         strerror(errno));
		return err->rc;
	}
	okra_import_summary sum;
	okra_rc rc =
	    okra_state_import(ws, in, is_stdin ? "<stdin>" : path, &sum, err);
	if (!is_stdin)
		fclose(in);
	if (rc == OKRA_OK)
		printf("imported %llu row%s; %llu already present\n", sum.added,
		       sum.added == 1 ? "" : "s", sum.present);
	return rc;
}

int cmd_import(const cli *c)
{
	args a;
	int status = parse_args(c, &a);
	return status ? status : with_workspace(c, &a, run_import);
}
