/*
 * state_int.h - what state.c, transfer.c and api.c share: the connection
 * and the small SQL helpers.  Private to src/state (the only folder that
 * includes sqlite3.h).
 */
#ifndef OKRA_STATE_INT_H
#define OKRA_STATE_INT_H

#include "state/state.h"

#include <sqlite3.h>

struct okra_state {
	sqlite3 *db;
	char path[4096]; /* <root>/.okra/okra.db, for messages */
	bool writable;
	int busy_ms;            /* how long to wait for another's lock */
	okra_state_fault fault; /* of the last failure */
};

/* The fault-injection VFS of fault.c when OKRA_FAULT_* asks for it, else
 * *name = NULL (SQLite's default); an error when such a variable is not
 * a number. */
okra_rc okra__state_vfs(const char **name, okra_err *err);

/* The created_at of a row written now: UTC with microseconds,
 * "2026-10-05T13:04:11.123456Z" (27 characters; sorts as it reads). */
#define OKRA_STAMP_LEN 27
void okra__state_stamp(char out[OKRA_STAMP_LEN + 1]);
bool okra__state_is_stamp(const char *s);

/* Turns an SQLite result code into okra_err: corrupt, locked, full, or
 * the connection's message.  Returns the okra_rc. */
okra_rc okra__state_fail(okra_state *st, int code, okra_err *err);
okra_rc okra__state_exec(okra_state *st, const char *sql, okra_err *err);
okra_rc okra__state_prepare(okra_state *st, const char *sql, sqlite3_stmt **out,
                            okra_err *err);
/* BEGIN IMMEDIATE (write: the write lock up front, waiting up to the busy
 * timeout) or BEGIN (a read snapshot). */
okra_rc okra__state_begin(okra_state *st, bool write, okra_err *err);
okra_rc okra__state_commit(okra_state *st, okra_err *err);
void okra__state_rollback(okra_state *st);
/* Fails with a clear message unless st was opened for writing. */
okra_rc okra__state_need_write(okra_state *st, okra_err *err);

/* Binds text or NULL. */
int okra__state_bind_text(sqlite3_stmt *s, int i, const char *text);
/* Binds a day as YYYY-MM-DD. */
int okra__state_bind_day(sqlite3_stmt *s, int i, int32_t day);
/* Reads column i as a day; false when it is not a valid date. */
bool okra__state_column_day(sqlite3_stmt *s, int i, int32_t *day);

#endif
