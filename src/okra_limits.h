/*
 * okra_limits.h - every limit okra enforces, by name (SQLite's SQLITE_MAX_*).
 *
 * Each limit is checked where its input is read (a workspace file, a data
 * row, a request) and exceeding it is an error that names the limit and
 * the value found: nothing is ever cut off silently.  docs/reliability.md
 * lists them with the tests that prove each.
 */
#ifndef OKRA_LIMITS_H
#define OKRA_LIMITS_H

/* Workspace files (yaml/, model/) */
#define OKRA_MAX_YAML_FILE_BYTES       (16u << 20) /* one workspace YAML file */
#define OKRA_MAX_YAML_DEPTH            64     /* nested mappings/sequences */
#define OKRA_MAX_YAML_KEYS             10000  /* keys of one mapping */
#define OKRA_MAX_YAML_NODES            500000 /* nodes of one YAML file */
#define OKRA_MAX_FORMULA_DEPTH         64     /* nested parentheses/calls */
#define OKRA_MAX_FORMULA_ARGS          64     /* arguments of min()/max() */
#define OKRA_MAX_FORMULA_TERMS         256 /* numbers and metric ids in a formula */
#define OKRA_MAX_FORMULA_INPUTS        12 /* distinct metrics in a formula */
#define OKRA_MAX_FUNNEL_STEPS          64 /* steps of a conversion */
#define OKRA_MAX_SEGMENT_ATTRS         16 /* segment attributes of one metric */
#define OKRA_MAX_CURRENCY_SYMBOL_BYTES 8  /* okra.yaml currency: {symbol} */

/* Experiments (okr/experiment.c, engine/experiment.c) */
#define OKRA_MAX_EXPERIMENT_VARIANTS 16 /* variants of one experiment */

/* Queries */
#define OKRA_MAX_SERIES_POINTS 100000 /* as-of days of one series */
#define OKRA_MAX_QUERY_ATTRS   64     /* attributes segmented in one query */

/* Anomalies (okr/anomalies.c) */
#define OKRA_MAX_ANOMALY_DAYS 366 /* days one okra anomalies checks */

/* KPI trees (okr/tree.c) */
#define OKRA_MAX_TREE_INPUTS 12  /* distinct inputs of an attributed formula */
#define OKRA_MAX_TREE_NODES  512 /* nodes of a tree, a metric once per path */

/* Data files (engine/) */
#define OKRA_MAX_RECORD_BYTES ((size_t)16 << 20) /* one CSV record / line */
#define OKRA_MAX_COLUMNS      65535              /* a column index: uint16 */
#define OKRA_MAX_JSON_KEYS    (4 * 65536)        /* distinct JSON key paths */
#define OKRA_MAX_JSON_DEPTH   32                 /* JSON nesting */

/* The server (server/) */
#define OKRA_MAX_REQUEST_BODY            (1u << 20) /* POST body bytes */
#define OKRA_MAX_QUERY_PARAMS            12   /* parameters of one request */
#define OKRA_MAX_QUERY_VALUE             256  /* bytes of one query value */
#define OKRA_MAX_FORM_FIELDS             16   /* fields of one form body */
#define OKRA_MAX_NOTE_BYTES              2000 /* a check-in or decision note */
#define OKRA_MAX_AUTHOR_BYTES            200  /* who wrote a check-in */
#define OKRA_MAX_API_SERIES_POINTS       2000 /* of one series the API computes */
#define OKRA_MAX_CONNECTIONS             512 /* open connections of okra serve */
#define OKRA_MAX_CONNECTIONS_PER_ADDRESS 64  /* of one client address */
#define OKRA_CONNECTION_RESERVE          64  /* kept free for new clients */
#define OKRA_SERVER_STATE_BUSY_MS        500 /* a write waits, then 503 */

/* The state database (state/) */
#define OKRA_STATE_BUSY_MS    10000        /* a command waits for a lock */
#define OKRA_MAX_IMPORT_BYTES (256u << 20) /* one `okra import` file */

#endif
