/*
 * server.c - okra serve: the libmicrohttpd daemon, the life of a request,
 * routing, the response cache lookups and the workspace version.
 *
 * Two polling threads (a thread pool of 2 on epoll) accept and answer.  A
 * request is checked (Host, path, method, parameters, token, body) before
 * anything is computed; a cached answer of the same version is queued
 * without taking the model lock; otherwise the handler runs under the
 * lock and its answer is cached.  The version hashes the YAML files, the
 * data files and the database (size, mtime, inode), checked at most once
 * a second; a change of YAML or data reloads the model.  Every error is a
 * 4xx/5xx JSON answer (HTML for a browser page) and never stops serving.
 */
#include "server/server.h"
#include "base/fs.h"
#include "state/state.h"

#include <arpa/inet.h>
#include <errno.h>
#include <glob.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CACHE_ENTRIES 512
#define CACHE_BYTES   (64u << 20)
#define CHECK_MS      1000  /* how often the version is checked */
#define GRACE_MS      10000 /* shutdown: how long requests may finish */

static const char csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* =====================================================================
 * The model and its version
 * ===================================================================== */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* Folds a file's identity (path, size, mtime, inode) into h. */
static uint64_t fold_file(uint64_t h, const char *path)
{
	struct stat st;
	h = fnv(h, path, strlen(path) + 1);
	if (stat(path, &st) != 0)
		return fnv(h, "-", 1);
	long long id[5] = {(long long)st.st_size, (long long)st.st_mtim.tv_sec,
	                   (long long)st.st_mtim.tv_nsec, (long long)st.st_ino,
	                   (long long)st.st_ctim.tv_nsec};
	return fnv(h, id, sizeof(id));
}

/* The YAML files (every *.yaml the loader would read) and the data files
 * of ws's tables. */
static uint64_t model_version(const okra_server *s, const okra_workspace *ws)
{
	uint64_t h = 1469598103934665603ull;
	okra_arena a = {0};
	const char **paths = NULL;
	size_t n = 0;
	okra_err err = {0};
	char path[8192];
	if (okra__list_yaml(&a, s->root, &paths, &n, &err) == OKRA_OK)
		for (size_t i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "%s/%s", s->root,
			         paths[i]);
			h = fold_file(h, path);
		}
	okra__arena_free(&a);
	if (!ws)
		return h;
	const okra_table_source *tables[] = {
	    &ws->settings.events, &ws->settings.accounts, &ws->settings.users,
	    &ws->settings.revenue};
	for (size_t t = 0; t < OKRA_ARRAY_LEN(tables); t++) {
		if (!tables[t]->is_set)
			continue;
		glob_t g;
		memset(&g, 0, sizeof(g));
		snprintf(path, sizeof(path), "%s/%s", s->root, tables[t]->path);
		if (glob(path, 0, NULL, &g) == 0)
			for (size_t i = 0; i < g.gl_pathc; i++)
				h = fold_file(h, g.gl_pathv[i]);
		else
			h = fnv(h, path, strlen(path));
		globfree(&g);
	}
	return h;
}

/* The database: check-ins written by `okra checkin` show up too. */
static uint64_t state_version(const okra_server *s, uint64_t h)
{
	char path[4300];
	snprintf(path, sizeof(path), "%s/.okra/okra.db", s->root);
	h = fold_file(h, path);
	snprintf(path, sizeof(path), "%s/.okra/okra.db-wal", s->root);
	return fold_file(h, path);
}

static void model_free(okra_model *m)
{
	okra__state_close(m->state);
	okra_engine_free(m->engine);
	okra_workspace_free(m->ws);
	okra_findings_free(m->findings);
	memset(m, 0, sizeof(*m));
}

/* Loads the workspace, its data and its state.  A workspace that does not
 * load leaves ws NULL with findings and err; the server then answers 503
 * until it is fixed. */
static okra_rc model_load(const okra_server *s, okra_model *m)
{
	memset(m, 0, sizeof(*m));
	m->findings = okra_findings_new();
	if (!m->findings)
		return okra__nomem(&m->err);
	okra_rc rc = okra_workspace_load(s->root, m->findings, &m->ws, &m->err);
	if (rc) {
		if (rc == OKRA_ERR_CONFIG)
			okra_findings_sort(m->findings);
		return rc;
	}
	/* The state first: check-ins need no data. */
	okra_err serr = {0};
	if (okra__state_open_wait(m->ws, true, OKRA_SERVER_STATE_BUSY_MS,
	                          &m->state, NULL, &serr) != OKRA_OK) {
		snprintf(m->state_err, sizeof(m->state_err), "%s", serr.msg);
		m->state = NULL;
	}
	okra_load_options lo = {0};
	return okra_engine_open(m->ws, &lo, &m->engine, NULL, &m->err);
}

static void log_line(okra_server *s, const char *fmt, ...) OKRA_PRINTF(2, 3);
static void log_line(okra_server *s, const char *fmt, ...)
{
	if (!s->log)
		return;
	va_list ap;
	va_start(ap, fmt);
	pthread_mutex_lock(&s->log_lock);
	vfprintf(s->log, fmt, ap);
	fputc('\n', s->log);
	fflush(s->log);
	pthread_mutex_unlock(&s->log_lock);
	va_end(ap);
}

/* Checks the version (at most once a second unless force) and reloads
 * the model when the YAML or data changed.  Takes the lock. */
static void refresh(okra_server *s, bool force)
{
	long long now = now_ms();
	if (!force &&
	    now - __atomic_load_n(&s->checked_ms, __ATOMIC_ACQUIRE) < CHECK_MS)
		return;
	pthread_mutex_lock(&s->lock);
	if (force || now - s->checked_ms >= CHECK_MS) {
		uint64_t mv = model_version(s, s->model.ws);
		if (mv != s->model_version) {
			okra_model fresh;
			okra_rc rc = model_load(s, &fresh);
			model_free(&s->model);
			s->model = fresh;
			/* The new YAML may name other data files. */
			mv = model_version(s, s->model.ws);
			s->model_version = mv;
			if (rc)
				log_line(s, "okra: reload: %s",
				         s->model.err.msg);
			else
				log_line(s, "okra: reloaded the workspace");
		}
		uint64_t v = state_version(s, mv);
		if (v != s->version) {
			__atomic_store_n(&s->version, v, __ATOMIC_RELEASE);
			okra__rcache_retain(s->cache, v);
		}
		__atomic_store_n(&s->checked_ms, now_ms(), __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&s->lock);
}

/* =====================================================================
 * Requests and responses
 * ===================================================================== */

const char *okra__req_param(const okra_req *req, const char *key)
{
	for (size_t i = 0; i < req->n_params; i++)
		if (strcmp(req->params[i].key, key) == 0)
			return req->params[i].value;
	return NULL;
}

const char *okra__req_header(const okra_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

void okra__resp_json(okra_resp *out, unsigned status)
{
	out->status = status;
	out->content_type = "application/json; charset=utf-8";
}

void okra__resp_html(okra_resp *out, unsigned status)
{
	out->status = status;
	out->content_type = "text/html; charset=utf-8";
}

static const char *reason(unsigned status)
{
	switch (status) {
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 411:
		return "Length Required";
	case 413:
		return "Content Too Large";
	case 415:
		return "Unsupported Media Type";
	case 421:
		return "Misdirected Request";
	case 500:
		return "Internal Server Error";
	case 503:
		return "Service Unavailable";
	case 507:
		return "Insufficient Storage";
	default:
		return "Error";
	}
}

/* Rewrites the workspace's absolute path in msg as a relative one
 * ("<root>/.okra/okra.db" as ".okra/okra.db", "<root>" alone as "."):
 * an answer never tells where the server keeps its files. */
static void redact_root(const okra_server *s, char *msg, size_t cap)
{
	size_t rlen = strlen(s->root);
	char *p = msg;
	while (rlen > 1 && (p = strstr(p, s->root)) != NULL) {
		char next = p[rlen];
		if (next && next != '/' && next != '"' && next != ' ' &&
		    next != ':' && next != ',' && next != ')') {
			p += rlen; /* "<root>x": another path */
			continue;
		}
		size_t skip = next == '/' ? rlen + 1 : rlen;
		const char *repl = next == '/' ? "" : ".";
		size_t tail = strlen(p + skip) + 1;
		if (strlen(repl) + tail > cap - (size_t)(p - msg))
			break;
		memmove(p + strlen(repl), p + skip, tail);
		memcpy(p, repl, strlen(repl));
		p += strlen(repl);
	}
}

void okra__resp_error(okra_req *req, okra_resp *out, unsigned status,
                      const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	redact_root(req->srv, msg, sizeof(msg));
	okra__buf_free(&out->body);
	out->no_cache = true;
	if (req->wants_html) {
		okra__resp_html(out, status);
		okra__html_begin(&out->body, req->srv, reason(status), NULL);
		okra__buf_printf(&out->body,
		                 "<h1>%u %s</h1>\n<p class=\"error\">", status,
		                 reason(status));
		okra__html_esc(&out->body, msg);
		okra__buf_puts(
		    &out->body,
		    "</p>\n<p><a href=\"/\">Back to the overview</a></p>\n");
		okra__html_end(&out->body);
		return;
	}
	okra__resp_json(out, status);
	okra__buf_puts(&out->body, "{\"error\":");
	okra__buf_json_str(&out->body, msg);
	okra__buf_printf(&out->body, ",\"status\":%u}\n", status);
}

void okra__resp_from_err(okra_req *req, okra_resp *out, const okra_err *err)
{
	unsigned status =
	    err->rc == OKRA_ERR_USAGE                                ? 400
	    : err->rc == OKRA_ERR_CONFIG || err->rc == OKRA_ERR_DATA ? 503
	                                                             : 500;
	if (err->file[0] && err->line)
		okra__resp_error(req, out, status, "%s:%d:%d: %s", err->file,
		                 err->line, err->col, err->msg);
	else if (err->file[0])
		okra__resp_error(req, out, status, "%s: %s", err->file,
		                 err->msg);
	else
		okra__resp_error(req, out, status, "%s", err->msg);
}

void okra__resp_state_error(okra_req *req, okra_resp *out,
                            okra_state_fault fault, const okra_err *err)
{
	if (err->rc != OKRA_ERR_IO) /* bad input, out of memory */
		fault = OKRA_STATE_FAULT_OTHER;
	if (fault == OKRA_STATE_FAULT_BUSY) {
		/* Another process (`okra checkin`, an import, a backup) holds
		 * the lock: the client may simply try again. */
		okra__resp_error(req, out, 503, "%s", err->msg);
		out->retry_after = 1;
	} else if (fault == OKRA_STATE_FAULT_FULL) {
		okra__resp_error(req, out, 507, "%s", err->msg);
	} else {
		okra__resp_from_err(req, out, err);
	}
}

/* A finished libmicrohttpd response with every header we send. */
static struct MHD_Response *make_response(okra_req *req, okra_resp *r,
                                          const char *allow)
{
	struct MHD_Response *resp;
	if (r->body.failed) {
		okra__buf_free(&r->body);
		r->status = 500;
		r->content_type = "application/json; charset=utf-8";
		r->no_cache = true;
		okra__buf_puts(
		    &r->body, "{\"error\":\"out of memory\",\"status\":500}\n");
	}
	if (r->body.len)
		resp = MHD_create_response_from_buffer(
		    r->body.len, r->body.data, MHD_RESPMEM_MUST_FREE);
	else
		resp = MHD_create_response_from_buffer(0, (void *)"",
		                                       MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return NULL;
	if (r->body.len)
		r->body = (okra_buf){0}; /* owned by resp now */
	MHD_add_response_header(resp, "Content-Type",
	                        r->content_type
	                            ? r->content_type
	                            : "application/json; charset=utf-8");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cache-Control", "no-cache");
	if (r->status == 303 && r->location[0])
		MHD_add_response_header(resp, "Location", r->location);
	if (r->status == 401)
		MHD_add_response_header(resp, "WWW-Authenticate",
		                        "Bearer realm=\"okra\"");
	if (r->retry_after) {
		char secs[16];
		snprintf(secs, sizeof(secs), "%u", r->retry_after);
		MHD_add_response_header(resp, "Retry-After", secs);
	}
	if (allow)
		MHD_add_response_header(resp, "Allow", allow);
	if (__atomic_load_n(&req->srv->stopping, __ATOMIC_ACQUIRE))
		MHD_add_response_header(resp, "Connection", "close");
	return resp;
}

/* Queues r (and caches it under key when it may be kept). */
static enum MHD_Result answer(okra_req *req, okra_resp *r, const char *allow,
                              const char *key, uint64_t version)
{
	size_t bytes = r->body.len;
	struct MHD_Response *resp = make_response(req, r, allow);
	okra__buf_free(&r->body);
	if (!resp)
		return MHD_NO;
	req->status = r->status;
	req->answered = true;
	enum MHD_Result ret = MHD_queue_response(req->conn, r->status, resp);
	if (key && r->status == 200 && !r->no_cache)
		okra__rcache_put(req->srv->cache, version, key, r->status, resp,
		                 bytes + strlen(key) + 256);
	else
		MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result fail(okra_req *req, unsigned status, const char *allow,
                            const char *fmt, ...) OKRA_PRINTF(4, 5);
static enum MHD_Result fail(okra_req *req, unsigned status, const char *allow,
                            const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	okra_resp r = {0};
	if (req->wants_html)
		pthread_mutex_lock(
		    &req->srv->lock); /* the frame reads the model */
	okra__resp_error(req, &r, status, "%s", msg);
	if (req->wants_html)
		pthread_mutex_unlock(&req->srv->lock);
	return answer(req, &r, allow, NULL, 0);
}

/* =====================================================================
 * Checks before routing
 * ===================================================================== */

/* With a loopback bind, Host must name the loopback: a page of another
 * site that rebinds its DNS name to 127.0.0.1 cannot read the dashboard. */
static bool host_ok(const okra_req *req)
{
	if (!req->srv->is_loopback)
		return true;
	const char *host = okra__req_header(req, "Host");
	if (!host)
		return false;
	size_t len = strlen(host);
	const char *colon = strrchr(host, ':');
	if (colon && !strchr(colon, ']')) {
		len = (size_t)(colon - host);
		char *end;
		long port = strtol(colon + 1, &end, 10);
		if (*end || port != req->srv->port)
			return false;
	}
	static const char *const names[] = {"127.0.0.1", "localhost", "[::1]"};
	for (size_t i = 0; i < OKRA_ARRAY_LEN(names); i++)
		if (len == strlen(names[i]) &&
		    strncasecmp(host, names[i], len) == 0)
			return true;
	return false;
}

/* The path after decoding: absolute, no dot segments, no backslash, no
 * empty segment, no control characters. */
static bool path_ok(const char *p)
{
	if (p[0] != '/')
		return false;
	for (const char *c = p; *c; c++) {
		if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == '\\')
			return false;
		if (c[0] == '/' && c[1] == '/')
			return false;
		if (c[0] == '/' && c[1] == '.' &&
		    (c[2] == '/' || c[2] == '\0' ||
		     (c[2] == '.' && (c[3] == '/' || c[3] == '\0'))))
			return false;
	}
	return true;
}

/* =====================================================================
 * Routes
 * ===================================================================== */

typedef enum route_id {
	R_GET, /* a GET route: its handler is get or get_id */
	R_API_CHECKINS,
	R_API_CONFIDENCE,
	R_FORM_CHECKIN,
	R_FORM_CONFIDENCE,
	R_API_DECISION,
	R_FORM_DECISION,
} route_id;

typedef struct route {
	const char *path; /* exact, or a prefix when has_arg */
	bool has_arg;     /* /prefix/{id} */
	bool is_post;
	bool is_page;       /* HTML: errors as HTML for browsers */
	bool without_model; /* answers when the workspace does not load */
	const char *params; /* allowed query parameters, in key order */
	route_id id;        /* what a POST route does */
	/* A GET route's handler: get, or get_id when it takes the {id}
	 * (NULL for a route without one). */
	void (*get)(okra_req *req, okra_model *m, okra_resp *out);
	void (*get_id)(okra_req *req, okra_model *m, const char *id,
	               okra_resp *out);
} route;

static const route routes[] = {
    {.path = "/",
     .is_page = true,
     .params = "asof,team",
     .get = okra__page_overview},
    {.path = "/objectives/",
     .has_arg = true,
     .is_page = true,
     .params = "asof",
     .get_id = okra__page_objective},
    {.path = "/metrics",
     .is_page = true,
     .params = "asof,grain,from,to,by,where,compare,q,group",
     .get_id = okra__page_metric},
    {.path = "/metrics/",
     .has_arg = true,
     .is_page = true,
     .params = "asof,grain,from,to,by,where,compare,q,group,checkin",
     .get_id = okra__page_metric},
    {.path = "/lint",
     .is_page = true,
     .without_model = true,
     .params = "",
     .get = okra__page_lint},
    {.path = "/trees",
     .is_page = true,
     .params = "",
     .get_id = okra__page_tree},
    {.path = "/trees/",
     .has_arg = true,
     .is_page = true,
     .params = "from,to,where,by",
     .get_id = okra__page_tree},
    {.path = "/api/trees/",
     .has_arg = true,
     .params = "from,to,where,by",
     .get_id = okra__api_tree},
    {.path = "/api/review", .params = "asof,team", .get = okra__api_review},
    {.path = "/api/metrics",
     .params = "asof,by,where,compare",
     .get = okra__api_metrics},
    {.path = "/api/series/",
     .has_arg = true,
     .params = "grain,from,to,by,where",
     .get_id = okra__api_series},
    {.path = "/api/lint",
     .without_model = true,
     .params = "",
     .get = okra__api_lint},
    {.path = "/api/checkins",
     .is_post = true,
     .params = "",
     .id = R_API_CHECKINS},
    {.path = "/api/confidence",
     .is_post = true,
     .params = "",
     .id = R_API_CONFIDENCE},
    {.path = "/forms/checkin",
     .is_post = true,
     .is_page = true,
     .params = "",
     .id = R_FORM_CHECKIN},
    {.path = "/forms/confidence",
     .is_post = true,
     .is_page = true,
     .params = "",
     .id = R_FORM_CONFIDENCE},
    {.path = "/experiments",
     .is_page = true,
     .params = "asof",
     .get = okra__page_experiments},
    {.path = "/experiments/",
     .has_arg = true,
     .is_page = true,
     .params = "asof",
     .get_id = okra__page_experiment},
    {.path = "/api/experiments",
     .params = "asof",
     .get = okra__api_experiments},
    {.path = "/api/experiments/",
     .has_arg = true,
     .params = "asof",
     .get_id = okra__api_experiment},
    {.path = "/forms/decision",
     .is_post = true,
     .is_page = true,
     .params = "",
     .id = R_FORM_DECISION},
    {.path = "/diagnose",
     .is_page = true,
     .params = "asof",
     .get = okra__page_diagnose},
    {.path = "/api/diagnose", .params = "asof", .get = okra__api_diagnose},
    {.path = "/rollup",
     .is_page = true,
     .params = "asof,team",
     .get = okra__page_rollup},
    {.path = "/api/rollup", .params = "asof,team", .get = okra__api_rollup},
    {.path = "/anomalies",
     .is_page = true,
     .params = "asof,by,days,direction,k,metric,min_change",
     .get = okra__page_anomalies},
    {.path = "/api/anomalies",
     .params = "asof,by,days,direction,k,metric,min_change",
     .get = okra__api_anomalies},
};

/* Routes with a part after their {id}: /prefix/{id}/suffix. */
static const struct {
	route r;
	const char *suffix;
} suffix_routes[] = {
    {{.path = "/api/experiments/",
      .has_arg = true,
      .is_post = true,
      .params = "",
      .id = R_API_DECISION},
     "/decision"},
};

/* The route of path and its {id}; NULL when none. */
static const route *match(const char *path, const char **arg)
{
	*arg = NULL;
	for (size_t i = 0; i < OKRA_ARRAY_LEN(routes); i++) {
		const route *r = &routes[i];
		size_t len = strlen(r->path);
		if (!r->has_arg) {
			if (strcmp(path, r->path) == 0)
				return r;
			continue;
		}
		if (strncmp(path, r->path, len) == 0 && path[len] &&
		    !strchr(path + len, '/')) {
			*arg = path + len;
			return r;
		}
	}
	for (size_t i = 0; i < OKRA_ARRAY_LEN(suffix_routes); i++) {
		const route *r = &suffix_routes[i].r;
		size_t len = strlen(r->path);
		if (strncmp(path, r->path, len) != 0)
			continue;
		const char *slash = strchr(path + len, '/');
		if (slash && slash > path + len &&
		    strcmp(slash, suffix_routes[i].suffix) == 0) {
			*arg = path + len; /* "ID/suffix" */
			return r;
		}
	}
	return NULL;
}

static bool allowed_param(const route *r, const char *key)
{
	size_t len = strlen(key);
	for (const char *p = r->params; *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == len && strncmp(p, key, n) == 0)
			return true;
		p += n + (end ? 1 : 0);
	}
	return false;
}

/* Parameters whose form can be checked without the model. */
static const char *check_params(const okra_req *req, const route *r, char *msg,
                                size_t cap)
{
	for (size_t i = 0; i < req->n_params; i++) {
		const okra_srv_param *p = &req->params[i];
		if (!allowed_param(r, p->key)) {
			snprintf(msg, cap,
			         "unknown query parameter \"%.64s\"%s%s",
			         p->key, r->params[0] ? " (known: " : "",
			         r->params[0] ? r->params : "");
			if (r->params[0])
				strncat(msg, ")", cap - strlen(msg) - 1);
			return msg;
		}
		int32_t day;
		if ((strcmp(p->key, "asof") == 0 ||
		     strcmp(p->key, "from") == 0 ||
		     strcmp(p->key, "to") == 0) &&
		    !okra__parse_date(p->value, &day)) {
			snprintf(msg, cap,
			         "%s must be a date YYYY-MM-DD, not \"%.64s\"",
			         p->key, p->value);
			return msg;
		}
		if (strcmp(p->key, "grain") == 0 && strcmp(p->value, "day") &&
		    strcmp(p->value, "week") && strcmp(p->value, "month") &&
		    strcmp(p->value, "quarter")) {
			snprintf(msg, cap,
			         "unknown grain \"%.64s\" (day, week, month or "
			         "quarter)",
			         p->value);
			return msg;
		}
		if ((strcmp(p->key, "by") == 0 ||
		     strcmp(p->key, "team") == 0) &&
		    !okra__is_id(p->value) && strcmp(p->value, "") != 0) {
			snprintf(msg, cap, "%s must be an id, not \"%.64s\"",
			         p->key, p->value);
			return msg;
		}
	}
	return NULL;
}

/* The cache key: the route, its {id} and the parameters in a fixed
 * order. */
static void cache_key(const okra_req *req, const route *r, const char *arg,
                      okra_buf *key)
{
	okra__buf_puts(key, r->path);
	if (arg)
		okra__buf_puts(key, arg);
	char name[32];
	for (const char *p = r->params; *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		const char *v = okra__req_param(req, name);
		if (v) {
			okra__buf_printf(key, "&%s=", name);
			okra__url_esc(key, v);
		}
		p += n + (end ? 1 : 0);
	}
}

/* Runs the handler of a GET route with the lock held. */
static void run_get(okra_req *req, const route *r, const char *arg,
                    okra_resp *out)
{
	okra_model *m = &req->srv->model;
	bool loaded = m->ws && m->engine;
	if (!loaded && !r->without_model) {
		if (r->is_page && req->wants_html)
			okra__page_broken(req, m, out);
		else
			okra__resp_from_err(req, out, &m->err);
		return;
	}
	if (r->get_id)
		r->get_id(req, m, arg, out);
	else
		r->get(req, m, out);
	if (!loaded) /* the answer changes once the workspace is fixed */
		out->no_cache = true;
}

/* Does the client ask for HTML (a browser)? */
static bool wants_html(const okra_req *req)
{
	const char *accept = okra__req_header(req, "Accept");
	return accept && strstr(accept, "text/html");
}

static enum MHD_Result serve_asset(okra_req *req, const okra_asset *a)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(
	    strlen(a->data), (void *)a->data, MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", a->content_type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "Cache-Control", "max-age=300");
	req->status = 200;
	req->answered = true;
	enum MHD_Result ret = MHD_queue_response(req->conn, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Checks common to every method; 0 when the request may go on. */
static enum MHD_Result precheck(okra_req *req, const route **r,
                                const char **arg, bool *done)
{
	okra_server *s = req->srv;
	*done = true;
	if (__atomic_load_n(&s->stopping, __ATOMIC_ACQUIRE))
		return fail(req, 503, NULL, "the server is shutting down");
	if (!host_ok(req))
		return fail(req, 421, NULL,
		            "the Host header must name this server "
		            "(127.0.0.1:%d or localhost:%d)",
		            s->port, s->port);
	if (req->target_error[0])
		return fail(req, 400, NULL, "%s", req->target_error);
	if (!path_ok(req->path))
		return fail(req, 400, NULL,
		            "bad path: dot segments, empty segments, "
		            "backslashes and control characters are refused");
	*r = match(req->path, arg);
	*done = false;
	return MHD_YES;
}

static enum MHD_Result handle_get(okra_req *req)
{
	okra_server *s = req->srv;
	const route *r;
	const char *arg;
	bool done;
	enum MHD_Result ret = precheck(req, &r, &arg, &done);
	if (done)
		return ret;
	bool is_get =
	    strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0;
	if (!r) {
		const okra_asset *a = okra__asset_find(req->path);
		req->wants_html =
		    strncmp(req->path, "/api/", 5) != 0 && wants_html(req);
		if (a && is_get && !req->n_params)
			return serve_asset(req, a);
		if (a)
			return fail(req, is_get ? 400 : 405, "GET, HEAD",
			            is_get ? "static files take no parameters"
			                   : "method %.16s is not allowed here",
			            req->method);
		return fail(req, 404, NULL, "no such page or API: %.200s",
		            req->path);
	}
	req->wants_html = r->is_page && wants_html(req);
	if (r->is_post || !is_get)
		return fail(req, 405, r->is_post ? "POST" : "GET, HEAD",
		            "method %.16s is not allowed here", req->method);
	char msg[512];
	const char *bad = check_params(req, r, msg, sizeof(msg));
	if (bad)
		return fail(req, 400, NULL, "%s", bad);

	refresh(s, false);
	okra_buf key = {0};
	cache_key(req, r, arg, &key);
	if (key.failed) {
		okra__buf_free(&key);
		return fail(req, 500, NULL, "out of memory");
	}
	uint64_t version = __atomic_load_n(&s->version, __ATOMIC_ACQUIRE);
	int hit = okra__rcache_queue(s->cache, version, key.data, req->conn,
	                             &req->status);
	if (hit >= 0) {
		req->answered = true;
		req->cached = true;
		okra__buf_free(&key);
		return hit ? MHD_YES : MHD_NO;
	}
	okra_resp out = {0};
	pthread_mutex_lock(&s->lock);
	/* Another thread may have answered the same request meanwhile. */
	version = s->version;
	hit = okra__rcache_queue(s->cache, version, key.data, req->conn,
	                         &req->status);
	if (hit < 0)
		run_get(req, r, arg, &out);
	pthread_mutex_unlock(&s->lock);
	if (hit >= 0) {
		req->answered = true;
		okra__buf_free(&key);
		return hit ? MHD_YES : MHD_NO;
	}
	if (!out.content_type)
		okra__resp_json(&out, out.status ? out.status : 200);
	ret = answer(req, &out, NULL, key.data, version);
	okra__buf_free(&key);
	return ret;
}

/* =====================================================================
 * POST
 * ===================================================================== */

static bool media_type(const char *value, const char *want)
{
	size_t n = strlen(want);
	return value && strncasecmp(value, want, n) == 0 &&
	       (value[n] == '\0' || value[n] == ';' || value[n] == ' ');
}

/* The first call of a POST: every check that needs no body. */
static enum MHD_Result begin_post(okra_req *req)
{
	const route *r;
	const char *arg;
	bool done;
	enum MHD_Result ret = precheck(req, &r, &arg, &done);
	if (done)
		return ret;
	if (!r) {
		if (okra__asset_find(req->path))
			return fail(req, 405, "GET, HEAD",
			            "method POST is not allowed here");
		return fail(req, 404, NULL, "no such page or API: %.200s",
		            req->path);
	}
	req->wants_html = r->is_page && wants_html(req);
	if (!r->is_post)
		return fail(req, 405, "GET, HEAD",
		            "method POST is not allowed here");
	if (req->n_params)
		return fail(req, 400, NULL, "%s takes no query parameters",
		            r->path);
	bool is_form = r->id == R_FORM_CHECKIN || r->id == R_FORM_CONFIDENCE ||
	               r->id == R_FORM_DECISION;
	if (!is_form) {
		const char *auth = okra__req_header(req, "Authorization");
		if (!auth || !auth[0])
			return fail(req, 401, NULL,
			            "missing token: send Authorization: Bearer "
			            "<token> (OKRA_TOKEN or .okra/token)");
		if (strncasecmp(auth, "Bearer ", 7) != 0)
			return fail(
			    req, 401, NULL,
			    "the Authorization header must be Bearer <token>");
		const char *t = auth + 7;
		if (!okra__token_equal(req->srv, t, strlen(t)))
			return fail(req, 401, NULL, "wrong token");
	}
	if (okra__req_header(req, "Transfer-Encoding"))
		return fail(req, 411, NULL,
		            "send the body with a Content-Length, not chunked");
	const char *length = okra__req_header(req, "Content-Length");
	char *end = NULL;
	unsigned long long n = length ? strtoull(length, &end, 10) : 0;
	if (!length || !*length || *end)
		return fail(req, 411, NULL, "a Content-Length is required");
	if (n > OKRA_SRV_MAX_BODY)
		return fail(req, 413, NULL,
		            "the body is %llu bytes; at most %u are accepted",
		            n, OKRA_SRV_MAX_BODY);
	const char *type = okra__req_header(req, "Content-Type");
	const char *want =
	    is_form ? "application/x-www-form-urlencoded" : "application/json";
	if (!media_type(type, want))
		return fail(req, 415, NULL, "the body must be %s", want);
	return MHD_YES;
}

/* The state database of a write: opened again when it was not available
 * (another process held its lock while the model loaded, the disk was
 * full); false with the answer filled when it still is not. */
static bool state_ready(okra_req *req, okra_model *m, okra_resp *out)
{
	if (m->state)
		return true;
	okra_state_fault fault = OKRA_STATE_FAULT_NONE;
	okra_err err = {0};
	if (okra__state_open_wait(m->ws, true, OKRA_SERVER_STATE_BUSY_MS,
	                          &m->state, &fault, &err) == OKRA_OK) {
		m->state_err[0] = '\0';
		return true;
	}
	m->state = NULL;
	snprintf(m->state_err, sizeof(m->state_err), "%s", err.msg);
	if (fault == OKRA_STATE_FAULT_BUSY || fault == OKRA_STATE_FAULT_FULL)
		okra__resp_state_error(req, out, fault, &err);
	else
		okra__resp_error(req, out, 503,
		                 "the state database is not available: %s%s%s",
		                 err.file, err.file[0] ? ": " : "", err.msg);
	return false;
}

static enum MHD_Result finish_post(okra_req *req)
{
	okra_server *s = req->srv;
	const char *arg;
	const route *r = match(req->path, &arg);
	bool is_form = r->id == R_FORM_CHECKIN || r->id == R_FORM_CONFIDENCE ||
	               r->id == R_FORM_DECISION;
	if (req->body_too_big)
		return fail(req, 413, NULL, "the body is larger than %u bytes",
		            OKRA_SRV_MAX_BODY);
	okra_resp out = {0};
	if (is_form) {
		char why[160];
		if (!okra__srv_parse_pairs(
		        req->body.data ? req->body.data : "", req->body.len,
		        "form field", OKRA_SRV_MAX_BODY, &req->arena, req->form,
		        OKRA_SRV_MAX_FORM, &req->n_form, why, sizeof(why)))
			return fail(req, 400, NULL, "%s", why);
		const char *t = okra__form_value(req, "token");
		if (!t || !okra__token_equal(s, t, strlen(t)))
			return fail(req, 401, NULL,
			            t && t[0] ? "wrong token"
			                      : "the form needs the token "
			                        "(OKRA_TOKEN or .okra/token)");
	}
	refresh(s, false);
	pthread_mutex_lock(&s->lock);
	okra_model *m = &s->model;
	if (!m->ws) /* writes need the YAML, not the data */
		okra__resp_from_err(req, &out, &m->err);
	else if (!state_ready(req, m, &out))
		; /* answered */
	else if (r->id == R_API_CHECKINS || r->id == R_FORM_CHECKIN)
		okra__api_checkin(req, m, is_form, &out);
	else if (r->id == R_API_DECISION || r->id == R_FORM_DECISION)
		okra__api_decision(req, m, is_form ? NULL : arg, is_form, &out);
	else
		okra__api_confidence(req, m, is_form, &out);
	pthread_mutex_unlock(&s->lock);
	if (out.status == 201 || out.status == 303)
		refresh(s, true); /* the new check-in shows on the next view */
	out.no_cache = true;
	if (!out.content_type)
		okra__resp_json(&out, out.status);
	return answer(req, &out, NULL, NULL, 0);
}

const char *okra__form_value(okra_req *req, const char *key)
{
	for (size_t i = 0; i < req->n_form; i++)
		if (strcmp(req->form[i].key, key) == 0)
			return req->form[i].value;
	return NULL;
}

/* =====================================================================
 * Connections: the deadline of a request and room for new clients
 *
 * libmicrohttpd's timeout counts from the last byte received, so a client
 * trickling a byte a second would hold its connection for ever.  Here a
 * request must arrive whole (headers and body) within the timeout of the
 * moment its connection starts waiting for it (opened, or the previous
 * answer sent), which is never later than its first byte; the watchdog
 * shuts down the connections that are late.  When the open connections
 * come near OKRA_MAX_CONNECTIONS, each new one shuts down the connection
 * that has waited longest for its request, so there is always room for a
 * new client.  A slot's fd is shut down (never closed) under conn_lock,
 * and libmicrohttpd closes the fd only after NOTIFY_CLOSED has freed the
 * slot under the same lock: a shutdown never reaches another socket.
 * ===================================================================== */

/* Shuts the connection of slot c down; libmicrohttpd then sees the end of
 * the stream and closes it.  conn_lock held. */
static void cut(okra_server *s, okra_srv_conn *c)
{
	shutdown(c->fd, SHUT_RDWR);
	c->is_cut = true;
	s->n_conns--;
}

/* Makes room for a new client: shuts down the connection that has waited
 * longest for its request (an idle or a trickling client).  conn_lock
 * held. */
static void make_room(okra_server *s, const okra_srv_conn *fresh)
{
	okra_srv_conn *oldest = NULL;
	for (size_t i = 0; i < OKRA_MAX_CONNECTIONS; i++) {
		okra_srv_conn *c = &s->conns[i];
		if (c->conn && !c->is_cut && c != fresh && c->waiting_ms &&
		    (!oldest || c->waiting_ms < oldest->waiting_ms))
			oldest = c;
	}
	if (oldest) {
		cut(s, oldest);
		s->n_evicted++;
	}
}

static void on_connection(void *cls, struct MHD_Connection *conn,
                          void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	okra_server *s = cls;
	okra_srv_conn *c = *socket_context;
	pthread_mutex_lock(&s->conn_lock);
	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (c) {
			if (!c->is_cut)
				s->n_conns--;
			memset(c, 0, sizeof(*c));
			*socket_context = NULL;
		}
		pthread_mutex_unlock(&s->conn_lock);
		return;
	}
	const union MHD_ConnectionInfo *info =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	for (size_t i = 0; info && !c && i < OKRA_MAX_CONNECTIONS; i++)
		if (!s->conns[i].conn)
			c = &s->conns[i];
	if (!c) {
		/* Not tracked, so it could not be cut when late: refused. */
		if (info)
			shutdown(info->connect_fd, SHUT_RDWR);
		s->n_evicted++;
	} else {
		c->conn = conn;
		c->fd = info->connect_fd;
		c->waiting_ms = now_ms();
		c->is_cut = false;
		s->n_conns++;
		*socket_context = c;
		if (s->n_conns > OKRA_MAX_CONNECTIONS - OKRA_CONNECTION_RESERVE)
			make_room(s, c);
	}
	pthread_mutex_unlock(&s->conn_lock);
}

/* The request of req has arrived whole (waiting false) or its answer is
 * sent and the connection may wait for the next one (waiting true). */
static void set_waiting(okra_req *req, bool waiting)
{
	okra_server *s = req->srv;
	if (!req->slot)
		return;
	pthread_mutex_lock(&s->conn_lock);
	req->slot->waiting_ms = waiting ? now_ms() : 0;
	pthread_mutex_unlock(&s->conn_lock);
}

/* Logs how many connections were cut, at most once every 5 s (a flood
 * would otherwise flood the log) unless force.  conn_lock held. */
static void log_cuts(okra_server *s, long long now, bool force)
{
	if ((!s->n_late && !s->n_evicted) ||
	    (!force && now - s->logged_ms < 5000))
		return;
	log_line(s,
	         "okra: closed %zu connection%s that sent no whole request "
	         "within %d s, and %zu to make room for new clients "
	         "(slow or idle clients)",
	         s->n_late, s->n_late == 1 ? "" : "s", s->timeout,
	         s->n_evicted);
	s->n_late = s->n_evicted = 0;
	s->logged_ms = now;
}

static void *watchdog_main(void *arg)
{
	okra_server *s = arg;
	long long limit = (long long)s->timeout * 1000;
	pthread_mutex_lock(&s->conn_lock);
	while (!s->stop_watchdog) {
		long long now = now_ms();
		for (size_t i = 0; i < OKRA_MAX_CONNECTIONS; i++) {
			okra_srv_conn *c = &s->conns[i];
			if (c->conn && !c->is_cut && c->waiting_ms &&
			    now - c->waiting_ms >= limit) {
				cut(s, c);
				s->n_late++;
			}
		}
		log_cuts(s, now, false);
		/* Ten checks a second: a late request is cut within 0.1 s
		 * of its deadline. */
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 100 * 1000000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&s->wake, &s->conn_lock, &until);
	}
	log_cuts(s, now_ms(), true);
	pthread_mutex_unlock(&s->conn_lock);
	return NULL;
}

/* =====================================================================
 * libmicrohttpd callbacks
 * ===================================================================== */

/* Called with the request target as received, before libmicrohttpd
 * decodes it: the request starts here, and its target is parsed by
 * query.c (a refused target is answered 400 once the headers are in). */
static void *on_target(void *cls, const char *target,
                       struct MHD_Connection *conn)
{
	okra_server *s = cls;
	okra_req *req = calloc(1, sizeof(*req));
	if (!req)
		return NULL;
	req->srv = s;
	req->conn = conn;
	req->started_ms = now_ms();
	const union MHD_ConnectionInfo *info =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	req->slot = info ? info->socket_context : NULL;
	okra_srv_target t;
	if (okra__srv_parse_target(target, &req->arena, &t, req->target_error,
	                           sizeof(req->target_error))) {
		req->path = t.path;
		req->n_params = t.n_params;
		memcpy(req->params, t.params, t.n_params * sizeof(t.params[0]));
	} else if (!req->target_error[0]) {
		snprintf(req->target_error, sizeof(req->target_error),
		         "bad request target");
	}
	__atomic_add_fetch(&s->in_flight, 1, __ATOMIC_ACQ_REL);
	return req;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
	okra_req *req = *con_cls;
	(void)cls;
	(void)conn;
	(void)url; /* decoded by libmicrohttpd: req->path is ours */
	(void)version;
	if (!req) /* on_target ran out of memory */
		return MHD_NO;
	if (!req->is_started) {
		req->is_started = true;
		req->method = method;
		req->is_post = strcmp(method, "POST") == 0;
		if (req->is_post)
			return begin_post(req);
		/* Answered on the next call, once libmicrohttpd has read the
		 * whole request: an answer queued on the first call closes the
		 * connection (it cannot know that no body follows). */
		return MHD_YES;
	}
	if (!req->is_post) {
		if (*upload_size) { /* a body on GET: ignored, not read */
			*upload_size = 0;
			return MHD_YES;
		}
		set_waiting(req, false);
		return req->answered ? MHD_YES : handle_get(req);
	}
	if (req->answered) { /* answered before the body: drop it */
		if (!*upload_size)
			set_waiting(req, false);
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		if (req->body.len + *upload_size > OKRA_SRV_MAX_BODY)
			req->body_too_big = true;
		else
			okra__buf_append(&req->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	set_waiting(req, false);
	if (req->body.failed)
		return fail(req, 500, NULL, "out of memory");
	return finish_post(req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	okra_server *s = cls;
	okra_req *req = *con_cls;
	(void)conn;
	if (!req)
		return;
	if (s->log && req->is_started) {
		/* The path as received may hold control characters (it was
		 * refused for them): never let it forge log lines. */
		char path[256];
		size_t n = 0;
		for (const char *p = req->path ? req->path : "(refused)";
		     *p && n < sizeof(path) - 1; p++)
			path[n++] =
			    (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
		path[n] = '\0';
		log_line(
		    s, "%s %s %u %lldms%s%s", req->method, path, req->status,
		    now_ms() - req->started_ms, req->cached ? " cached" : "",
		    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? ""
		                                               : " (aborted)");
	}
	/* A kept-alive connection now waits for its next request. */
	set_waiting(req, true);
	okra__buf_free(&req->body);
	okra__arena_free(&req->arena);
	free(req);
	*con_cls = NULL;
	__atomic_sub_fetch(&s->in_flight, 1, __ATOMIC_ACQ_REL);
}

/* libmicrohttpd logs a line for every refused or broken connection, so a
 * flood would flood the log: each of its messages (known by its format)
 * is written at most once every 5 s, with how many were held back. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	okra_server *s = cls;
	if (!s->log)
		return;
	long long now = now_ms();
	char text[sizeof(s->mhd_logs[0].last)];
	vsnprintf(text, sizeof(text), fmt, ap);
	size_t len = strlen(text);
	while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		text[--len] = '\0';
	for (char *p = text; *p; p++) /* never a forged log line */
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	pthread_mutex_lock(&s->log_lock);
	okra_srv_mhd_log *m = &s->mhd_logs[0];
	for (size_t i = 0; i < OKRA_ARRAY_LEN(s->mhd_logs); i++) {
		okra_srv_mhd_log *it = &s->mhd_logs[i];
		if (it->fmt == fmt) {
			m = it;
			break;
		}
		if (it->printed_ms < m->printed_ms)
			m = it; /* else the one written longest ago */
	}
	if (m->fmt == fmt && now - m->printed_ms < 5000) {
		m->held++;
		snprintf(m->last, sizeof(m->last), "%s", text);
	} else {
		if (m->fmt == fmt && m->held)
			fprintf(s->log, "okra: http: %s (and %lu more since)\n",
			        text, m->held);
		else
			fprintf(s->log, "okra: http: %s\n", text);
		fflush(s->log);
		m->fmt = fmt;
		m->printed_ms = now;
		m->held = 0;
	}
	pthread_mutex_unlock(&s->log_lock);
}

/* =====================================================================
 * Start and stop
 * ===================================================================== */

okra_rc okra_server_start(const char *root, const okra_serve_options *opt,
                          okra_findings *findings, okra_server **out,
                          okra_err *err)
{
	okra_serve_options o = opt ? *opt : (okra_serve_options){0};
	okra_server *s = calloc(1, sizeof(*s));
	if (!s)
		return okra__nomem(err);
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->log_lock, NULL);
	pthread_mutex_init(&s->conn_lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	snprintf(s->root, sizeof(s->root), "%s", root);
	snprintf(s->bind, sizeof(s->bind), "%s", o.bind ? o.bind : "127.0.0.1");
	s->timeout = o.timeout > 0 ? o.timeout : 10;
	s->log = o.log;
	okra_rc rc = OKRA_OK;

	struct sockaddr_in v4 = {0};
	struct sockaddr_in6 v6 = {0};
	struct sockaddr *addr;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	                 MHD_USE_ITC | MHD_USE_ERROR_LOG;
	if (o.port < 0 || o.port > 65535) {
		rc = okra__err_set(err, OKRA_ERR_USAGE, NULL, 0, 0,
		                   "the port must be 0..65535, not %d", o.port);
		goto out;
	}
	if (inet_pton(AF_INET, s->bind, &v4.sin_addr) == 1) {
		v4.sin_family = AF_INET;
		v4.sin_port = htons((uint16_t)o.port);
		addr = (struct sockaddr *)&v4;
		s->is_loopback = (ntohl(v4.sin_addr.s_addr) >> 24) == 127;
	} else if (inet_pton(AF_INET6, s->bind, &v6.sin6_addr) == 1) {
		v6.sin6_family = AF_INET6;
		v6.sin6_port = htons((uint16_t)o.port);
		addr = (struct sockaddr *)&v6;
		flags |= MHD_USE_IPv6;
		s->is_loopback = IN6_IS_ADDR_LOOPBACK(&v6.sin6_addr);
	} else {
		rc = okra__err_set(
		    err, OKRA_ERR_USAGE, NULL, 0, 0,
		    "the address to bind to must be an IPv4 or IPv6 "
		    "address, not \"%s\"",
		    s->bind);
		goto out;
	}
	if ((rc = okra__token_init(s, o.token, err)))
		goto out;
	s->cache = okra__rcache_new(CACHE_ENTRIES, CACHE_BYTES);
	if (!s->cache) {
		rc = okra__nomem(err);
		goto out;
	}
	rc = model_load(s, &s->model);
	if (rc && s->model.ws) {
		/* The YAML loads but the data does not: serve anyway, so the
		 * lint page and the error are there to see; data answers are
		 * 503 until the files are fixed (the version sees them). */
		if (s->log)
			fprintf(s->log, "okra: warning: %s%s%s\n",
			        s->model.err.file,
			        s->model.err.file[0] ? ": " : "",
			        s->model.err.msg);
		rc = OKRA_OK;
	}
	if (rc) {
		*err = s->model.err;
		if (rc == OKRA_ERR_CONFIG && findings)
			for (size_t i = 0;
			     i < okra_findings_count(s->model.findings); i++) {
				const okra_finding *f =
				    okra_findings_get(s->model.findings, i);
				okra__finding_add(
				    findings, NULL, f->severity, f->rule,
				    (okra_pos){f->file, f->line, f->col},
				    f->hint, "%s", f->message);
			}
		goto out;
	}
	s->model_version = model_version(s, s->model.ws);
	s->version = state_version(s, s->model_version);
	s->checked_ms = now_ms();

	s->daemon = MHD_start_daemon(
	    flags, (uint16_t)o.port, NULL, NULL, on_request, s,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, s, MHD_OPTION_SOCK_ADDR,
	    addr, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)2,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)OKRA_MAX_CONNECTIONS,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned)OKRA_MAX_CONNECTIONS_PER_ADDRESS,
	    MHD_OPTION_STRICT_FOR_CLIENT, (int)1, MHD_OPTION_URI_LOG_CALLBACK,
	    on_target, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_END);
	if (!s->daemon) {
		rc = okra__err_set(err, OKRA_ERR_IO, NULL, 0, 0,
		                   "cannot listen on %s port %d: %s", s->bind,
		                   o.port,
		                   errno ? strerror(errno) : "address in use?");
		goto out;
	}
	const union MHD_DaemonInfo *info =
	    MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : o.port;
	if (pthread_create(&s->watchdog, NULL, watchdog_main, s) != 0) {
		rc =
		    okra__err_set(err, OKRA_ERR_IO, NULL, 0, 0,
		                  "cannot start a thread: %s", strerror(errno));
		goto out;
	}
	s->has_watchdog = true;
out:
	if (rc) {
		okra_server_stop(s);
		return rc;
	}
	*out = s;
	return OKRA_OK;
}

int okra_server_port(const okra_server *s)
{
	return s->port;
}

const char *okra_server_token(const okra_server *s, bool *generated)
{
	if (generated)
		*generated = s->token_generated;
	return s->token;
}

void okra_server_stop(okra_server *s)
{
	if (!s)
		return;
	__atomic_store_n(&s->stopping, 1, __ATOMIC_RELEASE);
	if (s->daemon) {
		/* No new connections; the requests in flight finish (a
		 * keep-alive connection's next request gets 503 and close). */
		MHD_socket ls = MHD_quiesce_daemon(s->daemon);
		if (ls != MHD_INVALID_SOCKET)
			close(ls);
		long long until = now_ms() + GRACE_MS;
		while (__atomic_load_n(&s->in_flight, __ATOMIC_ACQUIRE) > 0 &&
		       now_ms() < until) {
			struct timespec ts = {0, 10 * 1000000};
			nanosleep(&ts, NULL);
		}
		MHD_stop_daemon(s->daemon);
	}
	if (s->has_watchdog) {
		pthread_mutex_lock(&s->conn_lock);
		s->stop_watchdog = true;
		pthread_cond_signal(&s->wake);
		pthread_mutex_unlock(&s->conn_lock);
		pthread_join(s->watchdog, NULL);
	}
	for (size_t i = 0; s->log && i < OKRA_ARRAY_LEN(s->mhd_logs); i++) {
		const okra_srv_mhd_log *m = &s->mhd_logs[i];
		if (m->held > 1)
			fprintf(s->log, "okra: http: %s (and %lu more since)\n",
			        m->last, m->held - 1);
		else if (m->held)
			fprintf(s->log, "okra: http: %s\n", m->last);
	}
	model_free(&s->model); /* closes the database */
	okra__rcache_free(s->cache);
	pthread_mutex_destroy(&s->lock);
	pthread_mutex_destroy(&s->log_lock);
	pthread_mutex_destroy(&s->conn_lock);
	pthread_cond_destroy(&s->wake);
	free(s);
}
