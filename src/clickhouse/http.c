/*
 * http.c - ClickHouse's HTTP interface through libcurl.
 *
 * One curl handle per connection.  A query is POSTed to the url with
 * wait_end_of_query=1 (every table is named with its database; a long
 * series' dates make long queries, hence max_query_size), so an error
 * found while the server computes comes back as an HTTP error status, not
 * halfway through an answer; the answer (JSONCompact) is parsed whole and its
 * row count checked.  The user and password go as HTTP basic authentication;
 * the password is read from the environment variable okra.yaml names and only
 * kept in memory. Errors say what failed in the user's words: an unreachable
 * server, a refused login, a missing table or column, a query the server
 * rejects (its SQL written to the -v log).
 */
#include "clickhouse/ch.h"

#include <curl/curl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct okra_ch {
	CURL *curl;
	char *url;      /* base url with ?database=..&settings */
	char *password; /* from the environment, or NULL */
	char *base_url;
	const char *database, *user, *cluster, *password_env;
	long timeout_s;
	FILE *sql_log;
	okra_pos pos; /* of engine.clickhouse in okra.yaml */
	char version[64];
	int major, minor;
};

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
	okra_buf *b = ctx;
	okra__buf_append(b, data, size * n);
	return b->failed ? 0 : size * n;
}

/* The server's message from an error answer: what follows
 * "DB::Exception: " up to ", e.what()" (18.x) or " (version" (later),
 * on one line. */
static void server_message(const char *body, char *out, size_t cap)
{
	const char *s = body ? strstr(body, "DB::Exception: ") : NULL;
	s = s ? s + 15 : body ? body : "";
	size_t len = strcspn(s, "\r\n");
	const char *end = strstr(s, ", e.what()");
	if (end && (size_t)(end - s) < len)
		len = (size_t)(end - s);
	end = strstr(s, " (version ");
	if (end && (size_t)(end - s) < len)
		len = (size_t)(end - s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '.'))
		len--;
	if (len >= cap)
		len = cap - 1;
	memcpy(out, s, len);
	out[len] = '\0';
}

static void log_sql(okra_ch *c, const char *sql)
{
	if (c->sql_log && sql) {
		fprintf(c->sql_log, "okra: the query was:\n%s\n", sql);
		fflush(c->sql_log);
	}
}

/* POSTs body (a query, or an INSERT's data with the query in the URL) and
 * reads the answer into out.  Turns every failure into a clear error. */
static okra_rc post(okra_ch *c, const char *sql, bool sql_in_url,
                    okra_ch_read_fn read, void *ctx, okra_buf *out,
                    okra_err *err);

typedef struct upload {
	okra_ch_read_fn read;
	void *ctx;
	okra_err *err;
	bool failed;
} upload;

static size_t on_upload(char *buf, size_t size, size_t n, void *ctx)
{
	upload *u = ctx;
	size_t got = u->read(u->ctx, buf, size * n, u->err);
	if (got == (size_t)-1) {
		u->failed = true;
		return CURL_READFUNC_ABORT;
	}
	return got;
}

static okra_rc post(okra_ch *c, const char *sql, bool sql_in_url,
                    okra_ch_read_fn read, void *ctx, okra_buf *out,
                    okra_err *err)
{
	okra_rc rc = OKRA_OK;
	okra_buf url = {0};
	char curl_msg[CURL_ERROR_SIZE] = "";
	upload u = {.read = read, .ctx = ctx, .err = err};
	struct curl_slist *headers = NULL;
	CURL *h = c->curl;
	curl_easy_reset(h);
	okra__buf_puts(&url, c->url);
	if (sql_in_url) {
		char *q = curl_easy_escape(h, sql, 0);
		if (!q) {
			rc = okra__nomem(err);
			goto out;
		}
		/* an INSERT into a Distributed table returns once every
		 * shard has its rows */
		okra__buf_printf(&url, "&insert_distributed_sync=1&query=%s",
		                 q);
		curl_free(q);
	}
	if (url.failed) {
		rc = okra__nomem(err);
		goto out;
	}
	curl_easy_setopt(h, CURLOPT_URL, url.data);
	curl_easy_setopt(h, CURLOPT_POST, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_msg);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout_s);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, out);
	if (c->user) {
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD,
		                 c->password ? c->password : "");
	}
	headers = curl_slist_append(NULL, "Content-Type: text/plain");
	if (read) {
		headers =
		    curl_slist_append(headers, "Transfer-Encoding: chunked");
		curl_easy_setopt(h, CURLOPT_READFUNCTION, on_upload);
		curl_easy_setopt(h, CURLOPT_READDATA, &u);
	} else {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, sql);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
		                 (curl_off_t)strlen(sql));
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
	CURLcode cc = curl_easy_perform(h);
	long status = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	if (u.failed) {
		rc = err->rc ? err->rc : OKRA_ERR_IO;
		goto out;
	}
	if (out->failed) {
		rc = okra__nomem(err);
		goto out;
	}
	/* a timeout before the connection was made: unreachable */
	double connected = 0;
	curl_easy_getinfo(h, CURLINFO_CONNECT_TIME, &connected);
	if (cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST ||
	    (cc == CURLE_OPERATION_TIMEDOUT && connected <= 0)) {
		rc = okra__err_set(
		    err, OKRA_ERR_IO, c->pos.file, c->pos.line, c->pos.col,
		    "cannot reach ClickHouse at %s: %s (is the "
		    "server running, and is engine.clickhouse.url "
		    "its HTTP interface?)",
		    c->base_url, curl_easy_strerror(cc));
		goto out;
	}
	if (cc == CURLE_OPERATION_TIMEDOUT) {
		rc = okra__err_set(
		    err, OKRA_ERR_IO, NULL, 0, 0,
		    "ClickHouse at %s did not answer within %ld s "
		    "(engine.clickhouse.timeout_s)",
		    c->base_url, c->timeout_s);
		log_sql(c, sql);
		goto out;
	}
	if (cc != CURLE_OK) {
		rc = okra__err_set(
		    err, OKRA_ERR_IO, NULL, 0, 0,
		    "ClickHouse at %s stopped answering during a "
		    "query: %s",
		    c->base_url,
		    curl_msg[0] ? curl_msg : curl_easy_strerror(cc));
		log_sql(c, sql);
		goto out;
	}
	if (status != 200) {
		char msg[700];
		server_message(out->data, msg, sizeof(msg));
		if (status == 401 || status == 403 || strstr(msg, "password") ||
		    strstr(msg, "Authentication failed"))
			rc = okra__err_set(
			    err, OKRA_ERR_CONFIG, c->pos.file, c->pos.line,
			    c->pos.col,
			    "ClickHouse at %s refused the login of user "
			    "\"%s\": "
			    "%s (check engine.clickhouse.user and %s%s)",
			    c->base_url, c->user ? c->user : "default", msg,
			    c->password_env ? "the password in $"
			                    : "engine.clickhouse.password_env",
			    c->password_env ? c->password_env : "");
		else if (strstr(msg, "doesn't exist") &&
		         (strstr(msg, "Table ") || strstr(msg, "Database ")))
			rc = okra__err_set(err, OKRA_ERR_DATA, NULL, 0, 0,
			                   "ClickHouse: %s; run `okra push` to "
			                   "create and load the tables",
			                   msg);
		else
			rc = okra__err_set(err, OKRA_ERR_DATA, NULL, 0, 0,
			                   "ClickHouse rejected a query (HTTP "
			                   "%ld): %s%s",
			                   status, msg,
			                   c->sql_log ? ""
			                              : " (-v shows the SQL)");
		log_sql(c, sql);
		goto out;
	}
out:
	curl_slist_free_all(headers);
	okra__buf_free(&url);
	return rc;
}

okra_rc okra__ch_connect(const okra_workspace *ws, FILE *sql_log, okra_ch **out,
                         okra_err *err)
{
	return okra__ch_connect_url(ws, ws->settings.clickhouse_url, sql_log,
	                            out, err);
}

okra_rc okra__ch_connect_url(const okra_workspace *ws, const char *base_url,
                             FILE *sql_log, okra_ch **out, okra_err *err)
{
	static bool curl_ready;
	const okra_workspace_settings *s = &ws->settings;
	okra_rc rc = OKRA_OK;
	json_t *rows = NULL;
	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
			return okra__err_set(err, OKRA_ERR_IO, NULL, 0, 0,
			                     "libcurl cannot start");
		curl_ready = true;
	}
	okra_ch *c = calloc(1, sizeof(*c));
	if (!c)
		return okra__nomem(err);
	c->base_url = strdup(base_url);
	if (!c->base_url) {
		free(c);
		return okra__nomem(err);
	}
	c->database =
	    s->clickhouse_database ? s->clickhouse_database : "default";
	c->user = s->clickhouse_user;
	c->cluster = s->clickhouse_cluster;
	c->timeout_s =
	    s->clickhouse_timeout_s > 0 ? s->clickhouse_timeout_s : 300;
	c->sql_log = sql_log;
	c->pos = s->clickhouse_pos;
	c->password_env = s->clickhouse_password_env;
	if (s->clickhouse_password_env) {
		const char *pw = getenv(s->clickhouse_password_env);
		if (!pw) {
			rc = okra__err_set(
			    err, OKRA_ERR_CONFIG, s->clickhouse_pos.file,
			    s->clickhouse_pos.line, s->clickhouse_pos.col,
			    "engine.clickhouse.password_env names the variable "
			    "%s, which is not set",
			    s->clickhouse_password_env);
			goto out;
		}
		if (!(c->password = strdup(pw))) {
			rc = okra__nomem(err);
			goto out;
		}
		if (!c->user)
			c->user = "default";
	}
	okra_buf url = {0};
	const char *base = c->base_url;
	size_t len = strlen(base);
	okra__buf_puts(&url, base);
	if (len && base[len - 1] != '/')
		okra__buf_putc(&url, '/');
	/* Every table is named with its database, so the URL names none:
	 * the database may not exist yet (okra push creates it). */
	okra__buf_printf(&url,
	                 "?wait_end_of_query=1&output_format_json_quote_"
	                 "denormals=1&max_query_size=268435456&max_"
	                 "execution_time=%ld",
	                 c->timeout_s);
	c->url = url.data;
	c->curl = curl_easy_init();
	if (url.failed || !c->curl) {
		rc = okra__nomem(err);
		goto out;
	}
	if ((rc = okra__ch_select(c, "SELECT version()", 1, &rows, err)))
		goto out;
	const char *v =
	    json_string_value(json_array_get(json_array_get(rows, 0), 0));
	snprintf(c->version, sizeof(c->version), "%s", v ? v : "");
	if (sscanf(c->version, "%d.%d", &c->major, &c->minor) != 2) {
		rc = okra__err_set(
		    err, OKRA_ERR_IO, NULL, 0, 0,
		    "ClickHouse at %s reports the version \"%s\", "
		    "which okra cannot read",
		    c->base_url, c->version);
		goto out;
	}
	/* Servers after 18.x can finish the per-account GROUP BY of a
	 * Distributed query on each shard (every account's rows are on one
	 * shard): use it when the server has the setting. */
	if (c->cluster && c->major >= 20) {
		json_decref(rows);
		rows = NULL;
		if ((rc = okra__ch_select(
		         c,
		         "SELECT name FROM system.settings WHERE name = "
		         "'optimize_distributed_group_by_sharding_key'",
		         1, &rows, err)))
			goto out;
		if (json_array_size(rows) == 1) {
			okra_buf more = {0};
			okra__buf_printf(&more,
			                 "%s&optimize_distributed_group_by_"
			                 "sharding_key=1",
			                 c->url);
			if (more.failed) {
				okra__buf_free(&more);
				rc = okra__nomem(err);
				goto out;
			}
			free(c->url);
			c->url = more.data;
		}
	}
out:
	json_decref(rows);
	if (rc) {
		okra__ch_close(c);
		return rc;
	}
	*out = c;
	return OKRA_OK;
}

void okra__ch_close(okra_ch *c)
{
	if (!c)
		return;
	if (c->curl)
		curl_easy_cleanup(c->curl);
	if (c->password) {
		memset(c->password, 0, strlen(c->password));
		free(c->password);
	}
	free(c->url);
	free(c->base_url);
	free(c);
}

const char *okra__ch_url(const okra_ch *c)
{
	return c->base_url;
}

const char *okra__ch_version(const okra_ch *c, int *major, int *minor)
{
	if (major)
		*major = c->major;
	if (minor)
		*minor = c->minor;
	return c->version;
}

const char *okra__ch_database(const okra_ch *c)
{
	return c->database;
}

const char *okra__ch_cluster(const okra_ch *c)
{
	return c->cluster;
}

const char *okra__ch_table(okra_ch *c, okra_arena *a, const char *table)
{
	return okra__arena_printf(a, "`%s`.`%s`", c->database, table);
}

okra_rc okra__ch_select(okra_ch *c, const char *sql, size_t n_columns,
                        json_t **rows, okra_err *err)
{
	okra_buf q = {0}, body = {0};
	json_t *doc = NULL;
	okra_rc rc = OKRA_OK;
	okra__buf_printf(&q, "%s FORMAT JSONCompact", sql);
	if (q.failed) {
		rc = okra__nomem(err);
		goto out;
	}
	if ((rc = post(c, q.data, false, NULL, NULL, &body, err)))
		goto out;
	json_error_t je;
	doc = json_loadb(body.data ? body.data : "", body.len, 0, &je);
	json_t *data = doc ? json_object_get(doc, "data") : NULL;
	json_t *n = doc ? json_object_get(doc, "rows") : NULL;
	bool ok = data && json_is_array(data) && json_is_integer(n) &&
	          (size_t)json_integer_value(n) == json_array_size(data);
	for (size_t i = 0; ok && i < json_array_size(data); i++) {
		json_t *row = json_array_get(data, i);
		ok = json_is_array(row) && json_array_size(row) == n_columns;
	}
	if (!ok) {
		rc = okra__err_set(
		    err, OKRA_ERR_IO, NULL, 0, 0,
		    "ClickHouse at %s sent an answer okra cannot "
		    "read (%s)",
		    c->base_url,
		    doc ? "not the expected rows and columns" : je.text);
		log_sql(c, q.data);
		goto out;
	}
	*rows = json_incref(data);
out:
	json_decref(doc);
	okra__buf_free(&q);
	okra__buf_free(&body);
	return rc;
}

okra_rc okra__ch_exec(okra_ch *c, const char *sql, okra_err *err)
{
	okra_buf body = {0};
	okra_rc rc = post(c, sql, false, NULL, NULL, &body, err);
	okra__buf_free(&body);
	return rc;
}

okra_rc okra__ch_insert(okra_ch *c, const char *sql, okra_ch_read_fn read,
                        void *ctx, okra_err *err)
{
	okra_buf body = {0};
	okra_rc rc = post(c, sql, true, read, ctx, &body, err);
	okra__buf_free(&body);
	return rc;
}

bool okra__ch_number(const json_t *v, double *out)
{
	if (json_is_null(v)) {
		*out = NAN;
		return true;
	}
	if (json_is_number(v)) {
		*out = json_number_value(v);
		return true;
	}
	const char *s = json_string_value(v);
	if (!s || !*s)
		return false;
	char *end;
	*out = strtod(s, &end);
	return *end == '\0';
}
