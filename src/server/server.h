/*
 * server.h - the internals of okra serve (src/server/), shared by its files.
 *
 * server.c owns the daemon, the request life cycle, the connections'
 * deadlines, routing and the workspace version; query.c the parsing of
 * request targets and form bodies; cache.c the response cache; api.c the
 * JSON API; pages.c the HTML pages; html.c escaping and the page frame;
 * assets.c the embedded CSS and JavaScript; token.c the bearer token.  Handlers
 * run with the model lock held and fill an okra_resp; they never touch
 * libmicrohttpd, so everything they write is plain buffers.
 */
#ifndef OKRA_SERVER_H
#define OKRA_SERVER_H

#include "okra_int.h"
#include "state/state.h"

#include <pthread.h>

#define OKRA_SRV_MAX_BODY   OKRA_MAX_REQUEST_BODY
#define OKRA_SRV_MAX_PARAMS OKRA_MAX_QUERY_PARAMS
#define OKRA_SRV_MAX_VALUE  OKRA_MAX_QUERY_VALUE
#define OKRA_SRV_MAX_FORM   OKRA_MAX_FORM_FIELDS

typedef struct okra__rcache okra__rcache;

/* One query parameter or form field, decoded; both strings in the
 * request's arena. */
typedef struct okra_srv_param {
	const char *key, *value;
} okra_srv_param;

/* What a handler answers.  body is owned by the response. */
typedef struct okra_resp {
	unsigned status;          /* 200, 201, 303, 4xx, 5xx */
	const char *content_type; /* static string */
	okra_buf body;
	char location[512];   /* 303: where to */
	unsigned retry_after; /* seconds, for a 503; 0: no Retry-After */
	bool no_cache;        /* never keep in the response cache */
} okra_resp;

/* The model the handlers read: replaced whole when the YAML or the data
 * changes.  Guarded by okra_server.lock. */
typedef struct okra_model {
	okra_workspace *ws;      /* NULL when the workspace failed to load */
	okra_engine *engine;     /* NULL when the data failed to load */
	okra_state *state;       /* NULL when the database cannot open */
	okra_findings *findings; /* load findings of a broken workspace */
	okra_err err;            /* why ws or engine is NULL */
	char state_err[1100];    /* why state is NULL */
} okra_model;

/* One open connection: the deadline of the request it awaits, and the
 * room kept for new clients (server.c).  Guarded by conn_lock. */
typedef struct okra_srv_conn {
	struct MHD_Connection *conn; /* NULL: a free slot */
	int fd;
	long long waiting_ms; /* since when a request is awaited; 0 while
	                         one is being answered */
	bool is_cut;          /* shut down by okra, closing */
} okra_srv_conn;

/* A message of libmicrohttpd's log, held back when it repeats. */
typedef struct okra_srv_mhd_log {
	const char *fmt;      /* the message's format: its identity */
	long long printed_ms; /* when it was last written */
	unsigned long held;   /* repeats since, not written */
	char last[256];       /* the last one held back */
} okra_srv_mhd_log;

struct okra_server {
	char root[4096];
	char bind[64];
	bool is_loopback; /* check Host against DNS rebinding */
	int port;
	int timeout;
	FILE *log;
	char token[129];
	size_t token_len;
	bool token_generated;

	struct MHD_Daemon *daemon;
	pthread_mutex_t lock; /* the model, state writes, evaluation */
	okra_model model;
	uint64_t model_version;       /* YAML and data files */
	uint64_t version;             /* model_version and the database */
	long long checked_ms;         /* when the version was last checked */
	pthread_mutex_t log_lock;     /* the log, mhd_logs */
	okra_srv_mhd_log mhd_logs[8]; /* libmicrohttpd's recent messages */
	okra__rcache *cache;
	int in_flight; /* requests being answered (atomic) */
	int stopping;  /* atomic: shutting down */

	pthread_mutex_t conn_lock; /* conns, n_conns, the counts below */
	okra_srv_conn conns[OKRA_MAX_CONNECTIONS];
	size_t n_conns;      /* open and not cut */
	size_t n_late;       /* cut: no whole request within the timeout */
	size_t n_evicted;    /* cut: room for a new client */
	long long logged_ms; /* when the cuts were last logged */
	pthread_t watchdog;  /* cuts late requests */
	pthread_cond_t wake; /* stops the watchdog */
	bool has_watchdog;   /* started */
	bool stop_watchdog;
};

/* One request: lives from its request line (the target callback) to the
 * completion callback. */
typedef struct okra_req {
	okra_server *srv;
	struct MHD_Connection *conn;
	okra_srv_conn *slot; /* NULL when the connection is not tracked */
	const char *method;
	const char *path; /* decoded; NULL when the target was refused */
	okra_srv_param params[OKRA_SRV_MAX_PARAMS];
	size_t n_params;
	char target_error[160]; /* why the target was refused: a 400 */
	okra_srv_param form[OKRA_SRV_MAX_FORM]; /* a form body, decoded */
	size_t n_form;
	okra_arena arena; /* per request */
	okra_buf body;    /* POST body, at most OKRA_SRV_MAX_BODY */
	bool body_too_big;
	bool is_post;
	bool is_started; /* the access handler has seen it */
	bool wants_html; /* a browser page: errors as HTML */
	bool answered;
	bool cached; /* answered from the response cache */
	long long started_ms;
	unsigned status; /* for the access log */
} okra_req;

/* The value of query parameter key, or NULL. */
const char *okra__req_param(const okra_req *req, const char *key);
/* The value of a request header, or NULL. */
const char *okra__req_header(const okra_req *req, const char *name);

/* Response helpers: a JSON error {"error": msg, "status": n} (or the HTML
 * error page when req->wants_html). */
void okra__resp_error(okra_req *req, okra_resp *out, unsigned status,
                      const char *fmt, ...) OKRA_PRINTF(4, 5);
/* The decoded value of key in an application/x-www-form-urlencoded body
 * (request arena), or NULL. */
const char *okra__form_value(okra_req *req, const char *key);
/* Maps a library error: USAGE 400, CONFIG/DATA 503, else 500. */
void okra__resp_from_err(okra_req *req, okra_resp *out, const okra_err *err);
/* Maps a failed write of the state database: busy 503 with Retry-After,
 * disk full 507, else as okra__resp_from_err. */
void okra__resp_state_error(okra_req *req, okra_resp *out,
                            okra_state_fault fault, const okra_err *err);
void okra__resp_json(okra_resp *out, unsigned status);
void okra__resp_html(okra_resp *out, unsigned status);

/* ---- query.c ----------------------------------------------------------- */

/* A request target as the client sent it, decoded. */
typedef struct okra_srv_target {
	const char *path; /* percent-decoded; '+' stays '+' */
	okra_srv_param params[OKRA_SRV_MAX_PARAMS];
	size_t n_params;
} okra_srv_target;

/* Parses target ("/path?query", as received) into out, the strings in
 * arena a.  false with the reason in why (for a 400) when it does not
 * start with '/', an escape is not '%' and two hex digits, an escape is
 * %00, or the query breaks a rule of okra__srv_parse_pairs. */
bool okra__srv_parse_target(const char *target, okra_arena *a,
                            okra_srv_target *out, char *why, size_t cap);
/* Parses key=value pairs joined by '&' (a query, a form body of len
 * bytes): '+' is a space, %XX a byte; empty pairs are skipped.  false
 * with the reason in why when there are more than cap pairs, a pair has
 * no '=' or no key, a key or value decodes to more than max_value bytes,
 * a key repeats, an escape is bad or %00, or a byte is NUL.  noun names
 * a pair in the reason ("query parameter", "form field"). */
bool okra__srv_parse_pairs(const char *text, size_t len, const char *noun,
                           size_t max_value, okra_arena *a,
                           okra_srv_param *params, size_t cap, size_t *n,
                           char *why, size_t why_cap);

/* ---- cache.c ----------------------------------------------------------- */

/* A bounded LRU of finished responses (struct MHD_Response *), keyed by
 * the workspace version and the canonical request. */
okra__rcache *okra__rcache_new(size_t max_entries, size_t max_bytes);
void okra__rcache_free(okra__rcache *c);
/* Queues the cached answer of key on conn: 1 queued, 0 queueing failed,
 * -1 not cached.  *status is the answer's status. */
struct MHD_Connection;
int okra__rcache_queue(okra__rcache *c, uint64_t version, const char *key,
                       struct MHD_Connection *conn, unsigned *status);
/* Keeps resp, taking over the caller's reference (also when it is not
 * kept); evicts the least recently used entries past the bounds. */
struct MHD_Response;
void okra__rcache_put(okra__rcache *c, uint64_t version, const char *key,
                      unsigned status, struct MHD_Response *resp, size_t bytes);
/* Drops every entry of another version. */
void okra__rcache_retain(okra__rcache *c, uint64_t version);
void okra__rcache_stats(okra__rcache *c, size_t *entries, size_t *bytes,
                        unsigned long long *hits, unsigned long long *misses);

/* ---- token.c ----------------------------------------------------------- */

/* The token: given (OKRA_TOKEN), else read from root/.okra/token, else
 * generated there (32 random bytes as hex, mode 0600). */
okra_rc okra__token_init(okra_server *s, const char *given, okra_err *err);
/* Constant-time comparison of given (len bytes) with the token. */
bool okra__token_equal(const okra_server *s, const char *given, size_t len);

/* ---- html.c ------------------------------------------------------------ */

/* Appends s with & < > " ' escaped: safe in text and quoted attributes. */
void okra__html_esc(okra_buf *b, const char *s);
/* Appends s percent-encoded for a URL path segment or query value. */
void okra__url_esc(okra_buf *b, const char *s);
/* The page frame: doctype, head, navigation ("overview", "metrics",
 * "lint" marks the current tab), and its end. */
void okra__html_begin(okra_buf *b, const okra_server *s, const char *title,
                      const char *tab);
void okra__html_end(okra_buf *b);

/* ---- assets.c ---------------------------------------------------------- */

typedef struct okra_asset {
	const char *path, *content_type, *data;
} okra_asset;

/* The static file at path, or NULL. */
const okra_asset *okra__asset_find(const char *path);

/* ---- api.c ------------------------------------------------------------- */

void okra__api_review(okra_req *req, okra_model *m, okra_resp *out);
void okra__api_metrics(okra_req *req, okra_model *m, okra_resp *out);
void okra__api_series(okra_req *req, okra_model *m, const char *metric,
                      okra_resp *out);
void okra__api_lint(okra_req *req, okra_model *m, okra_resp *out);
/* POST: the body is JSON (API) or a form (pages); the token is checked by
 * the caller. */
void okra__api_checkin(okra_req *req, okra_model *m, bool is_form,
                       okra_resp *out);
void okra__api_confidence(okra_req *req, okra_model *m, bool is_form,
                          okra_resp *out);
/* 404: unknown <what> "id", with "did you mean" when near is set. */
void okra__resp_not_found(okra_req *req, okra_resp *out, const char *what,
                          const char *id, const char *near);
/* A metric id that is not in the workspace: 404 with "did you mean". */
bool okra__api_check_metric(okra_req *req, okra_model *m, const char *id,
                            okra_resp *out);
/* "day", "week", "month", "quarter" (checked before); default week. */
okra_grain okra__grain_parse(const char *g);
/* Runs lint on the model as `okra lint` does (data-aware rules included)
 * into a new list (sorted); NULL on failure.  A broken workspace gives
 * its load findings. */
okra_findings *okra__api_findings(okra_server *s, okra_model *m);
/* The review of the request's asof and team as `okra review` builds it,
 * never saved; on failure the answer is filled.  Free with
 * okra_review_free. */
okra_rc okra__srv_review(okra_req *req, okra_model *m, okra_review **out,
                         okra_resp *resp);

/* ---- experiments.c ----------------------------------------------------- */

void okra__api_experiments(okra_req *req, okra_model *m, okra_resp *out);
void okra__api_experiment(okra_req *req, okra_model *m, const char *id,
                          okra_resp *out);
/* POST: arg is "ID/decision" (API) or NULL (the form names it); the token
 * is checked by the caller. */
void okra__api_decision(okra_req *req, okra_model *m, const char *arg,
                        bool is_form, okra_resp *out);
void okra__page_experiments(okra_req *req, okra_model *m, okra_resp *out);
void okra__page_experiment(okra_req *req, okra_model *m, const char *id,
                           okra_resp *out);

/* ---- pages.c ----------------------------------------------------------- */

void okra__page_overview(okra_req *req, okra_model *m, okra_resp *out);
void okra__page_objective(okra_req *req, okra_model *m, const char *id,
                          okra_resp *out);
void okra__page_metric(okra_req *req, okra_model *m, const char *id,
                       okra_resp *out);
void okra__page_lint(okra_req *req, okra_model *m, okra_resp *out);
/* The page of a workspace that does not load: the error and findings. */
void okra__page_broken(okra_req *req, okra_model *m, okra_resp *out);

/* ---- trees.c: the KPI tree pages and API ------------------------------- */

/* /trees (id NULL: the list) and /trees/{id}?from=&to=&where=&by=. */
void okra__page_tree(okra_req *req, okra_model *m, const char *id,
                     okra_resp *out);
/* /api/trees/{id}?from=&to=&where=&by=: okra tree ID --format json. */
void okra__api_tree(okra_req *req, okra_model *m, const char *id,
                    okra_resp *out);

/* ---- rollup.c: okra status --rollup ------------------------------------ */

/* /rollup?asof=&team= and /api/rollup?asof=&team= (the JSON of okra
 * status --rollup --format json). */
void okra__page_rollup(okra_req *req, okra_model *m, okra_resp *out);
void okra__api_rollup(okra_req *req, okra_model *m, okra_resp *out);

/* ---- diagnose.c: okra diagnose and okra anomalies -------------------- */

/* /diagnose?asof= and /api/diagnose?asof= (okra diagnose). */
void okra__page_diagnose(okra_req *req, okra_model *m, okra_resp *out);
void okra__api_diagnose(okra_req *req, okra_model *m, okra_resp *out);
/* /anomalies and /api/anomalies ?asof=&days=&k=&metric=ID,ID&by=
 * &direction=&min_change= (okra anomalies). */
void okra__page_anomalies(okra_req *req, okra_model *m, okra_resp *out);
void okra__api_anomalies(okra_req *req, okra_model *m, okra_resp *out);
/* Marks the anomalies of metric (with the pin, when n_pin) on the days
 * from .. to on chart c (arrays in the request's arena); nothing when the
 * metric has no daily series or the check cannot run. */
struct okra_chart;
void okra__chart_anomalies(okra_req *req, okra_model *m,
                           const okra_metric *metric, const okra_where *pin,
                           size_t n_pin, int32_t from, int32_t to,
                           struct okra_chart *c);
/* The pin of a where=ATTR=V parameter (request arena); false when none. */
bool okra__where_pin(okra_req *req, const char *where, okra_where *out);
/* For okra_html_ctx.kr_marks: arg is an okra_marks_arg. */
typedef struct okra_marks_arg {
	okra_req *req;
	okra_model *m;
} okra_marks_arg;
struct okra_kr_eval;
void okra__kr_marks(void *arg, const struct okra_kr_eval *k,
                    struct okra_chart *c);

#endif
