/*
 * push.c - `okra push`: the workspace's data into ClickHouse.
 *
 * The rows are the ones the embedded engine reads: the data files go
 * through the same ingest (readers, column renames, the user->account
 * fill, revenue periods, the bad-row rules), and the dataset is streamed
 * table by table as CSVWithNames over HTTP.  Each table is loaded into a
 * staging table first; only when all four loaded are they renamed over
 * the old ones, so a failed push leaves the previous tables whole.  With
 * engine.clickhouse.cluster the tables are local MergeTree tables on every
 * shard of the cluster (each reached over HTTP at the address the server's
 * remote_servers gives and the url's port) with Distributed tables over
 * them on the url's server, sharded by account id so one account's events
 * stay on one shard.
 */
#include "clickhouse/ch.h"
#include "engine/ingest.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const tables[4] = {"events", "accounts", "users", "revenue"};
static const char *const order_by[4] = {"(account_id, ts)", "account_id",
                                        "user_id", "(account_id, month)"};

/* ---------------------------------------------------------------------
 * CSV of the dataset
 * --------------------------------------------------------------------- */

static void csv_string(okra_buf *b, const char *s)
{
	okra__buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			okra__buf_putc(b, '"');
		okra__buf_putc(b, *s);
	}
	okra__buf_putc(b, '"');
}

/* The shortest text that reads back as x. */
static void csv_double(okra_buf *b, double x)
{
	char buf[64];
	if (isnan(x)) {
		okra__buf_puts(b, "\\N");
		return;
	}
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(buf, sizeof(buf), "%.*g", digits, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	okra__buf_puts(b, buf);
}

/* The text of a value stored as a number only (a canonical decimal): the
 * fewest decimals that read back as it, as the data had it. */
static void number_text(okra_buf *b, double v)
{
	char buf[64];
	for (int decimals = 0; decimals <= 20; decimals++) {
		snprintf(buf, sizeof(buf), "%.*f", decimals, v);
		if (strtod(buf, NULL) == v) {
			csv_string(b, buf);
			return;
		}
	}
	snprintf(buf, sizeof(buf), "%.17g", v);
	csv_string(b, buf);
}

static void csv_attr(okra_buf *b, const okra_attr *at, uint32_t e)
{
	okra__buf_putc(b, ',');
	if (at->code[e] == OKRA_NONE)
		okra__buf_puts(b, "\\N");
	else
		csv_string(b, okra__dict_str(&at->dict, at->code[e]));
	okra__buf_putc(b, ',');
	csv_double(b, at->num[e]);
}

static void csv_created(okra_buf *b, int64_t created)
{
	if (created == INT64_MIN)
		okra__buf_puts(b, "\\N");
	else
		okra__buf_printf(b, "%lld", (long long)created);
}

/* Streams one table of the dataset as CSVWithNames, a buffer at a time. */
typedef struct feed {
	const okra_data *d;
	int table;
	uint64_t next, total; /* rows (or entities) */
	uint64_t sent;        /* data rows written */
	uint64_t acct;        /* events: the account block of next */
	uint64_t *cursor;     /* events: per property */
	bool header_done;
	okra_buf buf;
	size_t pos;
	bool progress;
	struct timespec t0;
} feed;

static void header(feed *f)
{
	const okra_data *d = f->d;
	okra_buf *b = &f->buf;
	switch (f->table) {
	case 0:
		okra__buf_puts(b, "ts,event,account_id,user_id");
		for (uint32_t p = 0; p < d->n_props; p++) {
			okra__buf_putc(b, ',');
			csv_string(b, d->props[p].name);
			okra__buf_puts(b, ",\"");
			okra__buf_puts(b, d->props[p].name);
			okra__buf_puts(b, "#num\"");
		}
		break;
	case 1:
		okra__buf_puts(b, "account_id,created_at");
		for (uint32_t i = 0; i < d->accounts.n_attrs; i++) {
			okra__buf_putc(b, ',');
			csv_string(b, d->accounts.attrs[i].name);
			okra__buf_puts(b, ",\"");
			okra__buf_puts(b, d->accounts.attrs[i].name);
			okra__buf_puts(b, "#num\"");
		}
		break;
	case 2:
		okra__buf_puts(b, "user_id,account_id,created_at");
		for (uint32_t i = 0; i < d->users.n_attrs; i++) {
			okra__buf_putc(b, ',');
			csv_string(b, d->users.attrs[i].name);
			okra__buf_puts(b, ",\"");
			okra__buf_puts(b, d->users.attrs[i].name);
			okra__buf_puts(b, "#num\"");
		}
		break;
	default:
		okra__buf_puts(b, "account_id,month,mrr,open");
	}
	okra__buf_putc(b, '\n');
}

static void event_row(feed *f, uint64_t r)
{
	const okra_data *d = f->d;
	okra_buf *b = &f->buf;
	while (f->acct < d->accounts.n && d->acct_off[f->acct + 1] <= r)
		f->acct++;
	okra__buf_printf(b, "%lld,", (long long)okra__ts(d, (uint32_t)r));
	csv_string(b, okra__dict_str(&d->names, d->name[r]));
	okra__buf_putc(b, ',');
	csv_string(b, f->acct < d->accounts.n && r >= d->acct_off[f->acct]
	                  ? okra__dict_str(&d->accounts.ids, (uint32_t)f->acct)
	                  : "");
	okra__buf_putc(b, ',');
	csv_string(b, d->user[r] != OKRA_NONE
	                  ? okra__dict_str(&d->users.ids, d->user[r])
	                  : "");
	for (uint32_t p = 0; p < d->n_props; p++) {
		const okra_prop *pr = &d->props[p];
		uint64_t i = f->cursor[p];
		while (i < pr->n && pr->row[i] < r)
			i++;
		f->cursor[p] = i;
		okra__buf_putc(b, ',');
		if (i < pr->n && pr->row[i] == r) {
			if (pr->str && pr->str[i] != OKRA_NONE)
				csv_string(
				    b, okra__dict_str(&pr->dict, pr->str[i]));
			else
				number_text(b, pr->num[i]);
			okra__buf_putc(b, ',');
			csv_double(b, pr->num[i]);
		} else {
			okra__buf_puts(b, "\\N,\\N");
		}
	}
	okra__buf_putc(b, '\n');
	f->sent++;
}

static void entity_row(feed *f, uint64_t e)
{
	const okra_data *d = f->d;
	okra_buf *b = &f->buf;
	const okra_entity_table *t = f->table == 1 ? &d->accounts : &d->users;
	if (!t->known[e])
		return;
	csv_string(b, okra__dict_str(&t->ids, (uint32_t)e));
	okra__buf_putc(b, ',');
	if (f->table == 2) {
		uint32_t a = t->account[e];
		csv_string(b, a != OKRA_NONE
		                  ? okra__dict_str(&d->accounts.ids, a)
		                  : "");
		okra__buf_putc(b, ',');
	}
	csv_created(b, t->created[e]);
	for (uint32_t i = 0; i < t->n_attrs; i++)
		csv_attr(b, &t->attrs[i], (uint32_t)e);
	okra__buf_putc(b, '\n');
	f->sent++;
}

static void revenue_row(feed *f, uint64_t i)
{
	const okra_revenue_table *rv = &f->d->revenue;
	okra_buf *b = &f->buf;
	int32_t m = rv->month[i];
	csv_string(b, okra__dict_str(&f->d->accounts.ids, rv->account[i]));
	okra__buf_printf(b, ",%04d-%02d-01,", (int)(m / 12 + 1970),
	                 (int)(m % 12 + 1));
	csv_double(b, rv->mrr[i]);
	okra__buf_printf(b, ",%d\n", rv->open && rv->open[i] ? 1 : 0);
	f->sent++;
}

static void progress(feed *f, bool done)
{
	if (!f->progress)
		return;
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double pct =
	    f->total ? 100.0 * (double)f->next / (double)f->total : 100;
	fprintf(stderr, "\rpush %-8s [%-30.*s] %5.1f%% %12llu rows %6.1fs%s",
	        tables[f->table], (int)(pct * 30 / 100),
	        "##############################", pct,
	        (unsigned long long)f->sent,
	        (double)(t1.tv_sec - f->t0.tv_sec) +
	            (double)(t1.tv_nsec - f->t0.tv_nsec) / 1e9,
	        done ? "\n" : "");
	fflush(stderr);
}

static size_t feed_read(void *ctx, char *out, size_t cap, okra_err *err)
{
	feed *f = ctx;
	while (f->pos == f->buf.len) {
		f->buf.len = 0;
		f->pos = 0;
		if (!f->header_done) {
			header(f);
			f->header_done = true;
		}
		for (int k = 0; k < 4096 && f->next < f->total; k++) {
			uint64_t i = f->next++;
			if (f->table == 0)
				event_row(f, i);
			else if (f->table == 3)
				revenue_row(f, i);
			else
				entity_row(f, i);
		}
		if (f->buf.failed) {
			okra__nomem(err);
			return (size_t)-1;
		}
		if ((f->next & 0xFFFFF) < 4096 || f->next == f->total)
			progress(f, false);
		if (f->buf.len == 0)
			return 0;
	}
	size_t n = f->buf.len - f->pos;
	if (n > cap)
		n = cap;
	memcpy(out, f->buf.data + f->pos, n);
	f->pos += n;
	return n;
}

/* ---------------------------------------------------------------------
 * Tables
 * --------------------------------------------------------------------- */

/* An entity table's attribute columns: the text and its number. */
static void attr_columns(okra_buf *b, const okra_entity_table *t)
{
	for (uint32_t i = 0; i < t->n_attrs; i++) {
		const char *name = t->attrs[i].name;
		okra__buf_puts(b, ", ");
		okra__sql_ident(b, name);
		okra__buf_puts(b, " Nullable(String), ");
		okra_buf twin = {0};
		okra__buf_printf(&twin, "%s#num", name);
		okra__sql_ident(b, twin.data ? twin.data : "");
		b->failed |= twin.failed;
		okra__buf_free(&twin);
		okra__buf_puts(b, " Nullable(Float64)");
	}
}

static void columns(okra_buf *b, const okra_data *d, int t)
{
	switch (t) {
	case 0:
		okra__buf_puts(b, "ts Int64, event String, account_id String, "
		                  "user_id String");
		for (uint32_t p = 0; p < d->n_props; p++) {
			okra__buf_puts(b, ", ");
			okra__sql_ident(b, d->props[p].name);
			okra__buf_puts(b, " Nullable(String), ");
			okra_buf twin = {0};
			okra__buf_printf(&twin, "%s#num", d->props[p].name);
			okra__sql_ident(b, twin.data ? twin.data : "");
			b->failed |= twin.failed;
			okra__buf_free(&twin);
			okra__buf_puts(b, " Nullable(Float64)");
		}
		break;
	case 1:
		okra__buf_puts(b,
		               "account_id String, created_at Nullable(Int64)");
		attr_columns(b, &d->accounts);
		break;
	case 2:
		okra__buf_puts(b, "user_id String, account_id String, "
		                  "created_at Nullable(Int64)");
		attr_columns(b, &d->users);
		break;
	default:
		okra__buf_puts(b, "account_id String, month Date, mrr Float64, "
		                  "open UInt8");
	}
}

typedef struct pusher {
	okra_ch *ch;      /* the url's server: the tables okra reads */
	okra_ch **shards; /* with a cluster: a connection to each shard */
	size_t n_shards;
	const char *db, *cluster;
	okra_buf q;
} pusher;

/* Runs p->q on ch (and empties it). */
static okra_rc exec_on(pusher *p, okra_ch *ch, okra_err *err)
{
	if (p->q.failed)
		return okra__nomem(err);
	okra_rc rc = okra__ch_exec(ch, p->q.data, err);
	p->q.len = 0;
	return rc;
}

/* Runs the statement built by fn(p, arg) on every shard. */
static okra_rc on_shards(pusher *p, void (*fn)(pusher *, const void *),
                         const void *arg, okra_err *err)
{
	for (size_t i = 0; i < p->n_shards; i++) {
		fn(p, arg);
		okra_rc rc = exec_on(p, p->shards[i], err);
		if (rc)
			return rc;
	}
	return OKRA_OK;
}

static void drop_sql(pusher *p, const void *name)
{
	okra__buf_printf(&p->q, "DROP TABLE IF EXISTS `%s`.`%s`", p->db,
	                 (const char *)name);
}

static void database_sql(pusher *p, const void *unused)
{
	(void)unused;
	okra__buf_printf(&p->q, "CREATE DATABASE IF NOT EXISTS `%s`", p->db);
}

typedef struct table_arg {
	const okra_data *d;
	int t;
	const char *name, *local; /* local: the Distributed table's shards */
} table_arg;

static void create_sql(pusher *p, const void *arg)
{
	const table_arg *a = arg;
	okra__buf_printf(&p->q, "CREATE TABLE `%s`.`%s` (", p->db, a->name);
	columns(&p->q, a->d, a->t);
	if (a->local)
		/* sharded by account id: one account's rows on one shard */
		okra__buf_printf(&p->q,
		                 ") ENGINE = Distributed(%s, %s, %s, "
		                 "cityHash64(account_id))",
		                 p->cluster, p->db, a->local);
	else
		okra__buf_printf(&p->q, ") ENGINE = MergeTree ORDER BY %s",
		                 order_by[a->t]);
}

static okra_rc exists_on(pusher *p, okra_ch *ch, const char *name, bool *out,
                         okra_err *err)
{
	json_t *rows = NULL;
	okra__buf_puts(&p->q, "SELECT toFloat64(count()) FROM system.tables "
	                      "WHERE database = ");
	okra__sql_string(&p->q, p->db);
	okra__buf_puts(&p->q, " AND name = ");
	okra__sql_string(&p->q, name);
	if (p->q.failed)
		return okra__nomem(err);
	okra_rc rc = okra__ch_select(ch, p->q.data, 1, &rows, err);
	p->q.len = 0;
	if (rc)
		return rc;
	double n = 0;
	okra__ch_number(json_array_get(json_array_get(rows, 0), 0), &n);
	json_decref(rows);
	*out = n > 0;
	return OKRA_OK;
}

/* Puts table `staging` in the place of `name` on ch: the old one (if
 * any) renamed away in the same statement, then dropped. */
static okra_rc swap_on(pusher *p, okra_ch *ch, const char *name,
                       const char *staging, okra_err *err)
{
	char old[128];
	bool had = false;
	snprintf(old, sizeof(old), "%s__okra_old", name);
	okra_rc rc;
	drop_sql(p, old);
	if ((rc = exec_on(p, ch, err)) ||
	    (rc = exists_on(p, ch, name, &had, err)))
		return rc;
	if (had)
		okra__buf_printf(
		    &p->q,
		    "RENAME TABLE `%s`.`%s` TO `%s`.`%s`, `%s`.`%s` "
		    "TO `%s`.`%s`",
		    p->db, name, p->db, old, p->db, staging, p->db, name);
	else
		okra__buf_printf(&p->q, "RENAME TABLE `%s`.`%s` TO `%s`.`%s`",
		                 p->db, staging, p->db, name);
	if ((rc = exec_on(p, ch, err)))
		return rc;
	drop_sql(p, old);
	return exec_on(p, ch, err);
}

/* The shards of the cluster, as the url's server lists them; each is
 * reached over HTTP at its address and the url's port. */
static okra_rc connect_shards(pusher *p, const okra_workspace *ws,
                              okra_err *err)
{
	json_t *rows = NULL;
	okra_buf url = {0};
	okra_rc rc = OKRA_OK;
	okra__buf_puts(&p->q, "SELECT DISTINCT host_address FROM "
	                      "system.clusters WHERE cluster = ");
	okra__sql_string(&p->q, p->cluster);
	if (p->q.failed)
		return okra__nomem(err);
	rc = okra__ch_select(p->ch, p->q.data, 1, &rows, err);
	p->q.len = 0;
	if (rc)
		return rc;
	size_t n = json_array_size(rows);
	if (n == 0) {
		rc = okra__err_set(err, OKRA_ERR_CONFIG,
		                   ws->settings.clickhouse_pos.file,
		                   ws->settings.clickhouse_pos.line,
		                   ws->settings.clickhouse_pos.col,
		                   "ClickHouse at %s has no cluster \"%s\" in "
		                   "its remote_servers",
		                   okra__ch_url(p->ch), p->cluster);
		goto out;
	}
	p->shards = calloc(n, sizeof(*p->shards));
	if (!p->shards) {
		rc = okra__nomem(err);
		goto out;
	}
	/* scheme://host[:port][/path]: the same but the host */
	const char *base = okra__ch_url(p->ch);
	const char *host = strstr(base, "://");
	host = host ? host + 3 : base;
	const char *rest = host + strcspn(host, ":/");
	if (*host == '[') /* an IPv6 literal */
		rest = strchr(host, ']') ? strchr(host, ']') + 1 : rest;
	for (size_t i = 0; i < n; i++) {
		const char *addr = json_string_value(
		    json_array_get(json_array_get(rows, i), 0));
		url.len = 0;
		okra__buf_append(&url, base, (size_t)(host - base));
		okra__buf_printf(
		    &url, strchr(addr ? addr : "", ':') ? "[%s]%s" : "%s%s",
		    addr ? addr : "", rest);
		if (url.failed) {
			rc = okra__nomem(err);
			goto out;
		}
		if ((rc = okra__ch_connect_url(ws, url.data,
		                               ws->settings.sql_log,
		                               &p->shards[i], err)))
			goto out;
		p->n_shards++;
	}
out:
	json_decref(rows);
	okra__buf_free(&url);
	return rc;
}

static okra_rc reserved(okra_err *err, const char *what, const char *name)
{
	return okra__err_set(err, OKRA_ERR_DATA, NULL, 0, 0,
	                     "the %s \"%s\" begins with okra_, which the "
	                     "ClickHouse engine keeps for its own SQL; rename "
	                     "it (columns: in okra.yaml)",
	                     what, name);
}

/* Property and attribute names beginning with okra_ are refused: the
 * engine's SQL names its own columns so. */
static okra_rc reserved_names(const okra_data *d, okra_err *err)
{
	const okra_entity_table *ents[2] = {&d->accounts, &d->users};
	for (uint32_t i = 0; i < d->n_props; i++)
		if (strncmp(d->props[i].name, "okra_", 5) == 0)
			return reserved(err, "event property",
			                d->props[i].name);
	for (int t = 0; t < 2; t++)
		for (uint32_t i = 0; i < ents[t]->n_attrs; i++)
			if (strncmp(ents[t]->attrs[i].name, "okra_", 5) == 0)
				return reserved(err,
				                t ? "user attribute"
				                  : "account attribute",
				                ents[t]->attrs[i].name);
	return OKRA_OK;
}

/* Creates the staging tables of table t: staging (what okra push
 * inserts into) and, with a cluster, staging_local on every shard. */
static okra_rc stage(pusher *p, const okra_data *d, int t, okra_err *err)
{
	char staging[128], local[128];
	okra_rc rc;
	snprintf(staging, sizeof(staging), "%s__okra_staging", tables[t]);
	snprintf(local, sizeof(local), "%s_local__okra_staging", tables[t]);
	if (p->cluster) {
		table_arg a = {d, t, local, NULL};
		if ((rc = on_shards(p, drop_sql, local, err)) ||
		    (rc = on_shards(p, create_sql, &a, err)))
			return rc;
	}
	table_arg a = {d, t, staging, p->cluster ? local : NULL};
	drop_sql(p, staging);
	if ((rc = exec_on(p, p->ch, err)))
		return rc;
	create_sql(p, &a);
	return exec_on(p, p->ch, err);
}

/* Puts the staged table t in place (on the shards first). */
static okra_rc swap(pusher *p, const okra_data *d, int t, okra_err *err)
{
	char staging[128], name[128], local[128], fresh[128];
	okra_rc rc;
	snprintf(staging, sizeof(staging), "%s__okra_staging", tables[t]);
	if (!p->cluster)
		return swap_on(p, p->ch, tables[t], staging, err);
	snprintf(local, sizeof(local), "%s_local__okra_staging", tables[t]);
	snprintf(name, sizeof(name), "%s_local", tables[t]);
	for (size_t i = 0; i < p->n_shards; i++)
		if ((rc = swap_on(p, p->shards[i], name, local, err)))
			return rc;
	/* a Distributed table with the new columns over the new tables */
	snprintf(fresh, sizeof(fresh), "%s__okra_new", tables[t]);
	table_arg a = {d, t, fresh, name};
	drop_sql(p, fresh);
	if ((rc = exec_on(p, p->ch, err)))
		return rc;
	create_sql(p, &a);
	if ((rc = exec_on(p, p->ch, err)) ||
	    (rc = swap_on(p, p->ch, tables[t], fresh, err)))
		return rc;
	drop_sql(p, staging);
	return exec_on(p, p->ch, err);
}

static void unstage(pusher *p, int t)
{
	char staging[128], local[128];
	okra_err ignored = {0};
	snprintf(staging, sizeof(staging), "%s__okra_staging", tables[t]);
	snprintf(local, sizeof(local), "%s_local__okra_staging", tables[t]);
	p->q.len = 0;
	p->q.failed = false;
	drop_sql(p, staging);
	exec_on(p, p->ch, &ignored);
	if (p->cluster)
		on_shards(p, drop_sql, local, &ignored);
}

okra_rc okra_push(const okra_workspace *ws, const okra_load_options *opt,
                  okra_push_summary *summary, okra_err *err)
{
	const okra_workspace_settings *s = &ws->settings;
	okra_ingest_result res;
	memset(&res, 0, sizeof(res));
	pusher p = {0};
	okra_rc rc = OKRA_OK;
	bool ingested = false, staged[4] = {0};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!s->has_clickhouse)
		return okra__err_set(
		    err, OKRA_ERR_USAGE, NULL, 0, 0,
		    "okra push loads the data into ClickHouse: "
		    "write engine: {clickhouse: {url: ..., "
		    "database: ...}} in okra.yaml");
	/* Reach the servers before reading the data. */
	if ((rc = okra__ch_connect(ws, s->sql_log, &p.ch, err)))
		goto out;
	p.db = okra__ch_database(p.ch);
	p.cluster = okra__ch_cluster(p.ch);
	if (p.cluster && (rc = connect_shards(&p, ws, err)))
		goto out;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	okra__ingest_opts io = {.skip_bad_rows = opt && opt->skip_bad_rows,
	                        .progress = opt && opt->progress,
	                        .now = (int64_t)now.tv_sec * 1000000 +
	                               now.tv_nsec / 1000};
	if ((rc = okra__ingest(ws, &io, &res, err)))
		goto out;
	ingested = true;
	if ((rc = reserved_names(&res.data, err)))
		goto out;
	database_sql(&p, NULL);
	if ((rc = exec_on(&p, p.ch, err)) ||
	    (p.cluster && (rc = on_shards(&p, database_sql, NULL, err))))
		goto out;
	const okra_data *d = &res.data;
	uint64_t totals[4] = {d->n_events, d->accounts.n, d->users.n,
	                      d->has_revenue ? d->revenue.n : 0};
	for (int t = 0; t < 4; t++) {
		char sql[256];
		staged[t] = true;
		if ((rc = stage(&p, d, t, err)))
			goto out;
		snprintf(sql, sizeof(sql),
		         "INSERT INTO `%s`.`%s__okra_staging` FORMAT "
		         "CSVWithNames",
		         p.db, tables[t]);
		feed f = {.d = d,
		          .table = t,
		          .total = totals[t],
		          .progress = opt && opt->progress};
		clock_gettime(CLOCK_MONOTONIC, &f.t0);
		f.cursor = calloc(d->n_props + 1, sizeof(*f.cursor));
		if (!f.cursor) {
			rc = okra__nomem(err);
			goto out;
		}
		rc = okra__ch_insert(p.ch, sql, feed_read, &f, err);
		progress(&f, true);
		free(f.cursor);
		okra__buf_free(&f.buf);
		if (rc)
			goto out;
		if (summary)
			summary->rows[t] = f.sent;
	}
	/* Every table loaded: swap them in. */
	for (int t = 0; t < 4; t++) {
		if ((rc = swap(&p, d, t, err)))
			goto out;
		staged[t] = false;
	}
	if (summary) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		summary->seconds = (double)(t1.tv_sec - t0.tv_sec) +
		                   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		snprintf(summary->version, sizeof(summary->version), "%s",
		         okra__ch_version(p.ch, NULL, NULL));
	}
out:
	/* A failed push leaves no staging table behind. */
	for (int t = 0; rc && p.ch && t < 4; t++)
		if (staged[t])
			unstage(&p, t);
	if (ingested) {
		okra__data_free(&res.data);
		for (int t = 0; t < 4; t++)
			okra__buf_free(&res.rejected[t]);
	}
	for (size_t i = 0; i < p.n_shards; i++)
		okra__ch_close(p.shards[i]);
	free(p.shards);
	okra__buf_free(&p.q);
	okra__ch_close(p.ch);
	return rc;
}
