/*
 * state.h - okra's durable state in .okra/okra.db (SQLite): check-ins of
 * manual metrics, key result confidence, review snapshots and experiment
 * decisions.  src/state is the only folder that includes sqlite3.h (and
 * jansson.h, for import).  See docs/state.md for the schema and the
 * guarantees.
 *
 * Days are int32 days since 1970-01-01 (okra_int.h).  Every write is one
 * transaction; a read sees one consistent snapshot.
 */
#ifndef OKRA_STATE_H
#define OKRA_STATE_H

#include "okra_int.h"

typedef struct okra_state okra_state;

/* The kind of the last failure on a database, for a caller that answers
 * each differently (the server: 503 with Retry-After when busy, 507 when
 * the disk is full). */
typedef enum okra_state_fault {
	OKRA_STATE_FAULT_NONE,
	OKRA_STATE_FAULT_BUSY,  /* another process held the lock too long */
	OKRA_STATE_FAULT_FULL,  /* no space left on the disk */
	OKRA_STATE_FAULT_OTHER, /* corrupt, foreign, I/O, permissions... */
} okra_state_fault;

/* Opens <root>/.okra/okra.db.  write=true creates it (and .okra/) when
 * missing and applies migrations; write=false opens read-only and sets
 * *out = NULL with OKRA_OK when the file does not exist.  A corrupt file, a
 * database that is not okra's, or one written by a newer okra is an error
 * (OKRA_ERR_DATA) and is never written to. */
okra_rc okra__state_open(const okra_workspace *ws, bool write, okra_state **out,
                         okra_err *err);
/* okra__state_open waiting at most busy_ms (> 0) for another process's
 * lock, here and in every later call on *out (okra__state_open waits
 * OKRA_STATE_BUSY_MS); *fault (may be NULL) tells why an open failed. */
okra_rc okra__state_open_wait(const okra_workspace *ws, bool write, int busy_ms,
                              okra_state **out, okra_state_fault *fault,
                              okra_err *err);
/* Why the last failed call on st failed. */
okra_state_fault okra__state_fault(const okra_state *st);
void okra__state_close(okra_state *st); /* NULL ok */

/* PRAGMA integrity_check and foreign_key_check: OKRA_ERR_DATA with the
 * first problem when the database is inconsistent.  st NULL: OK. */
okra_rc okra__state_verify(okra_state *st, okra_err *err);

/* ---- check-ins of manual metrics ------------------------------------- */

/* For each dates[i]: the latest check-in of metric dated <= dates[i], NaN
 * when none; a corrected check-in no longer counts (its correction does).
 * Several on one day: the last written wins.  st may be NULL (all NaN). */
okra_rc okra__state_checkin_values(okra_state *st, const char *metric,
                                   const int32_t *dates, size_t n, double *out,
                                   okra_err *err);

/* A check-in to write.  Strings are borrowed. */
typedef struct okra_checkin_req {
	const char *metric;
	const char *value;  /* a decimal number */
	int32_t day;        /* -1: today, or the corrected check-in's day */
	const char *note;   /* NULL: none */
	const char *author; /* NULL: unknown */
	long long corrects; /* the id of the check-in it corrects; 0: none */
} okra_checkin_req;

/* One write, validated as the CLI does (same messages): metric a manual
 * metric of ws, value a decimal number, day not in the future, note and
 * author valid UTF-8 (the author 1 to OKRA_MAX_AUTHOR_BYTES bytes, no
 * control characters).  A correction supersedes check-in q->corrects,
 * which must be of the same metric and not corrected already; the old
 * row stays as history.  *id (may be NULL) gets the new check-in's
 * number, *day_out (may be NULL) its day. */
okra_rc okra__state_checkin(okra_state *st, const okra_workspace *ws,
                            const okra_checkin_req *q, long long *id,
                            int32_t *day_out, okra_err *err);

/* The checks of okra__state_checkin that need no database, so a caller
 * can refuse bad input before it opens (and creates) the database. */
okra_rc okra__state_checkin_check(const okra_workspace *ws,
                                  const okra_checkin_req *q, okra_err *err);
/* Is id a manual metric of ws?  Else OKRA_ERR_USAGE: unknown (with "did
 * you mean") or not manual. */
okra_rc okra__state_check_metric(const okra_workspace *ws, const char *id,
                                 okra_err *err);

typedef struct okra_checkin_row {
	long long id; /* its number in this database */
	const char *metric;
	int32_t day;
	double value;
	const char *note;       /* NULL when none */
	const char *author;     /* NULL when unknown */
	long long corrects;     /* the check-in it corrects, 0: none */
	long long corrected_by; /* the latest that corrects it, 0: none */
} okra_checkin_row;

/* Check-ins of metric (all when NULL), corrected ones included, by
 * metric, day, then order of writing; strings in a.  st NULL: none. */
okra_rc okra__state_checkins(okra_state *st, const char *metric, okra_arena *a,
                             okra_checkin_row **out, size_t *n, okra_err *err);

/* ---- key result confidence ------------------------------------------- */

typedef struct okra_confidence {
	int32_t day;
	int value;        /* 0 .. 10 */
	const char *note; /* NULL when none */
} okra_confidence;

/* Confidence check-ins of a KR, ascending by day then insertion; strings
 * in arena a.  st NULL: none. */
okra_rc okra__state_confidences(okra_state *st, const char *kr, okra_arena *a,
                                okra_confidence **out, size_t *n,
                                okra_err *err);
/* One write, validated as the CLI does: kr a key result of ws, value_text
 * a whole number 0..10, day not in the future; day -1 = today. */
okra_rc okra__state_confidence(okra_state *st, const okra_workspace *ws,
                               const char *kr, const char *value_text,
                               int32_t day, const char *note, okra_err *err);

okra_rc okra__state_confidence_check(const okra_workspace *ws, const char *kr,
                                     const char *value_text, int32_t day,
                                     const char *note, okra_err *err);
/* Is id a key result of ws?  Else OKRA_ERR_USAGE with "did you mean". */
okra_rc okra__state_check_key_result(const okra_workspace *ws, const char *id,
                                     okra_err *err);

/* ---- review snapshots ------------------------------------------------ */

typedef struct okra_snapshot {
	const char *kr;
	double value, expected, score; /* NaN = null */
	const char *status; /* "green","yellow","red","done","no data" */
} okra_snapshot;

/* Stores one review (as-of day) with a snapshot per KR, in one
 * transaction; a review with the same as-of replaces the old one. */
okra_rc okra__state_review_save(okra_state *st, int32_t asof,
                                const okra_snapshot *s, size_t n,
                                okra_err *err);
/* The latest stored review with as-of < asof: *prev_asof and its
 * snapshots by KR id (strings in a); *n = 0 and *prev_asof = -1 when none.
 * st NULL: none. */
okra_rc okra__state_review_prev(okra_state *st, int32_t asof, okra_arena *a,
                                int32_t *prev_asof, okra_snapshot **out,
                                size_t *n, okra_err *err);

/* ---- milestones ------------------------------------------------------ */

typedef struct okra_milestone {
	int32_t day;
	bool done;        /* marked done (else open again) */
	const char *note; /* NULL when none */
} okra_milestone;

/* Is kr a milestone key result of ws and state "done" or "open"?  Else
 * OKRA_ERR_USAGE (an unknown key result with "did you mean"). */
okra_rc okra__state_check_milestone(const okra_workspace *ws, const char *kr,
                                    const char *state, okra_err *err);
/* Marks a milestone done or open again on day (-1: today; not in the
 * future), one transaction. */
okra_rc okra__state_milestone(okra_state *st, const okra_workspace *ws,
                              const char *kr, const char *state, int32_t day,
                              const char *note, okra_err *err);
/* The marks of a milestone, ascending by day then writing; st NULL:
 * none. */
okra_rc okra__state_milestones(okra_state *st, const char *kr, okra_arena *a,
                               okra_milestone **out, size_t *n, okra_err *err);

/* ---- experiment decisions -------------------------------------------- */

typedef struct okra_decision {
	int32_t day;
	const char *decision; /* "ship", "iterate", "stop", "keep running" */
	const char *note;     /* NULL when none */
	const char *computed; /* okra's readout then ("keep_running", "ship",
	                         "stop", "iterate", "invalid"); NULL */
} okra_decision;

/* Records a decision on an experiment (an experiment id of the workspace
 * is not checked here: the caller knows its experiments).  day -1 = today. */
okra_rc okra__state_decision_add(okra_state *st, const char *experiment,
                                 const char *decision, int32_t day,
                                 const char *note, okra_err *err);
/* The same with the decision okra computed at the time (NULL: none). */
okra_rc okra__state_decision_record(okra_state *st, const char *experiment,
                                    const char *decision, int32_t day,
                                    const char *note, const char *computed,
                                    okra_err *err);
/* Decisions on an experiment, ascending by day then insertion. */
okra_rc okra__state_decisions(okra_state *st, const char *experiment,
                              okra_arena *a, okra_decision **out, size_t *n,
                              okra_err *err);

/* ---- export and import (transfer.c) ------------------------------------ */

/* Appends every row as JSON Lines (docs/state.md), in a deterministic
 * order, read in one transaction.  st NULL: the header line only. */
okra_rc okra__state_export(okra_state *st, okra_buf *out, okra_err *err);

/* A parsed, validated import: its rows live in the arena given to
 * okra__state_import_parse. */
typedef struct okra_import okra_import;
/* Parses and validates every line of text (display: the file name in
 * "file:line: reason"; the first bad line is the error).  Needs no
 * database, so a bad file never creates one. */
okra_rc okra__state_import_parse(const char *text, size_t len,
                                 const char *display, okra_arena *a,
                                 okra_import **out, okra_err *err);
/* Inserts the rows in one transaction: all or none.  A row whose key is
 * already stored is left as it is and counted in *present, so importing
 * the same export twice changes nothing. */
okra_rc okra__state_import_apply(okra_state *st, const okra_import *im,
                                 unsigned long long *added,
                                 unsigned long long *present, okra_err *err);

/* ---- shared helpers (state.c) ------------------------------------------ */

/* Today, UTC. */
int32_t okra__state_today(void);
/* Is s a decimal number ([+-]digits[.digits][e[+-]digits]), finite? */
bool okra__state_parse_number(const char *s, double *out);
/* Shortest text that reads back as v ("41", "0.1", "-3.25"). */
void okra__state_format_number(okra_buf *b, double v);
/* Is s valid UTF-8? */
bool okra__state_is_utf8(const char *s);

#endif
