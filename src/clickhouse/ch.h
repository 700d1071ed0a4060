/*
 * ch.h - the ClickHouse engine (internal): the HTTP transport, the
 * backend operations of plan/backend.h, and `okra push`.
 *
 * src/clickhouse/ is the only folder that includes curl.h.  A connection
 * speaks ClickHouse's HTTP interface: a query is POSTed, its answer read
 * whole as JSONCompact and checked strictly (a cut answer is an error,
 * never fewer rows).  The password comes from the environment variable
 * that okra.yaml names; it is never stored.
 */
#ifndef OKRA_CH_H
#define OKRA_CH_H

#include "plan/backend.h"
#include "sql/sql.h"

#include <jansson.h>
#include <stdio.h>

typedef struct okra_ch okra_ch;

/* Opens a connection to the workspace's ClickHouse (engine.clickhouse)
 * and asks its version: an unreachable server or refused credentials
 * are an error here.  sql_log (may be NULL) receives the SQL of a query
 * the server rejects. */
okra_rc okra__ch_connect(const okra_workspace *ws, FILE *sql_log, okra_ch **out,
                         okra_err *err);
/* The same to another server of the workspace's cluster (its url). */
okra_rc okra__ch_connect_url(const okra_workspace *ws, const char *url,
                             FILE *sql_log, okra_ch **out, okra_err *err);
void okra__ch_close(okra_ch *c);
/* The url the connection speaks to. */
const char *okra__ch_url(const okra_ch *c);

/* The server's version as it reports it ("18.16.1"), and its major and
 * minor numbers. */
const char *okra__ch_version(const okra_ch *c, int *major, int *minor);
/* The database and the cluster (NULL without one) of the workspace. */
const char *okra__ch_database(const okra_ch *c);
const char *okra__ch_cluster(const okra_ch *c);

/* Runs a SELECT and returns its rows: a JSON array (owned by the caller:
 * json_decref) of arrays of n_columns values each.  A wrong number of
 * rows or columns is an error. */
okra_rc okra__ch_select(okra_ch *c, const char *sql, size_t n_columns,
                        json_t **rows, okra_err *err);
/* Runs a statement that answers nothing (CREATE, DROP, RENAME). */
okra_rc okra__ch_exec(okra_ch *c, const char *sql, okra_err *err);

/* Streams the body of an INSERT (`sql` ends with FORMAT ...): read(ctx,
 * buf, cap) fills buf and returns the bytes written, 0 at the end, or
 * (size_t)-1 after setting *err (the insert is then abandoned). */
typedef size_t (*okra_ch_read_fn)(void *ctx, char *buf, size_t cap,
                                  okra_err *err);
okra_rc okra__ch_insert(okra_ch *c, const char *sql, okra_ch_read_fn read,
                        void *ctx, okra_err *err);

/* A value of a row as a number (a JSON number, or a quoted 64-bit
 * integer); NaN for null.  false when it is neither. */
bool okra__ch_number(const json_t *v, double *out);

/* The quoted name `db`.`table`, in a. */
const char *okra__ch_table(okra_ch *c, okra_arena *a, const char *table);

/* ---- backend.c ---------------------------------------------------------- */

struct okra_backend {
	const okra_workspace *ws;
	okra_ch *ch;
	okra_arena arena; /* schema, names */
	okra_sql_schema schema;
	okra_sql_column *user_attrs; /* the users table's attributes */
	size_t n_user_attrs;
	okra_coverage coverage;
};

extern const okra_backend_ops okra__clickhouse_backend;

/* Writes the SQL that evaluating r would run (one query per line), for
 * `okra sql`: the backend of an open ClickHouse engine, r resolved. */
okra_rc okra__ch_explain(okra_backend *b, okra_result *r, FILE *out,
                         okra_err *err);

/* ---- profile.c ---------------------------------------------------------- */

/* Profiles the tables for okra data (plan/backend.h, profile), by SQL
 * over the four tables; the files are not known (n_files = 0). */
okra_rc okra__ch_profile(okra_backend *b, okra_profile *out, okra_err *err);

#endif
