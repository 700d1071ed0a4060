/*
 * server.h - the internals of okra serve (src/server/), shared by its files.
 *
 * server.c owns the daemon, the request life cycle, routing and the
 * workspace version; cache.c the response cache; api.c the JSON API;
 * pages.c the HTML pages; html.c escaping and the page frame; assets.c
 * the embedded CSS and JavaScript; token.c the bearer token.  Handlers
 * run with the model lock held and fill an okra_resp; they never touch
 * libmicrohttpd, so everything they write is plain buffers.
 */
#ifndef OKRA_SERVER_H
#define OKRA_SERVER_H

#include "okra_int.h"

#include <pthread.h>

#define OKRA_SRV_MAX_BODY   OKRA_MAX_REQUEST_BODY
#define OKRA_SRV_MAX_PARAMS OKRA_MAX_QUERY_PARAMS
#define OKRA_SRV_MAX_VALUE  OKRA_MAX_QUERY_VALUE

typedef struct okra_state okra_state;
typedef struct okra__rcache okra__rcache;

/* One query parameter; both strings borrowed from libmicrohttpd. */
typedef struct okra_srv_param {
	const char *key, *value;
} okra_srv_param;

/* What a handler answers.  body is owned by the response. */
typedef struct okra_resp {
	unsigned status;          /* 200, 201, 303, 4xx, 5xx */
	const char *content_type; /* static string */
	okra_buf body;
	char location[512]; /* 303: where to */
	bool no_cache;      /* never keep in the response cache */
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
	uint64_t model_version; /* YAML and data files */
	uint64_t version;       /* model_version and the database */
	long long checked_ms;   /* when the version was last checked */
	pthread_mutex_t log_lock;
	okra__rcache *cache;
	int in_flight; /* requests being answered (atomic) */
	int stopping;  /* atomic: shutting down */
};

/* One request: lives from the first call of the access handler to the
 * completion callback. */
typedef struct okra_req {
	okra_server *srv;
	struct MHD_Connection *conn;
	const char *method, *path;
	okra_srv_param params[OKRA_SRV_MAX_PARAMS];
	size_t n_params;
	okra_arena arena; /* per request */
	okra_buf body;    /* POST body, at most OKRA_SRV_MAX_BODY */
	bool body_too_big;
	bool is_post;
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
void okra__resp_json(okra_resp *out, unsigned status);
void okra__resp_html(okra_resp *out, unsigned status);

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
/* A metric id that is not in the workspace: 404 with "did you mean". */
/* 404: unknown <what> "id", with "did you mean" when near is set. */
void okra__resp_not_found(okra_req *req, okra_resp *out, const char *what,
                          const char *id, const char *near);
bool okra__api_check_metric(okra_req *req, okra_model *m, const char *id,
                            okra_resp *out);
/* A series of q stays under 2,000 points and from <= to; else a 400
 * answer and false. */
bool okra__series_size_ok(okra_req *req, const okra_query *q, okra_resp *out);
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

#endif
