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
 * shard (ON CLUSTER) with Distributed tables over them, sharded by
 * account id so one entity's events stay on one shard.
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

static okra_rc nomem(okra_err *err)
{
	return okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

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
	for (uint32_t i = 0; f->table == 1 && i < t->n_attrs; i++)
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
			nomem(err);
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
		for (uint32_t i = 0; i < d->accounts.n_attrs; i++) {
			const char *name = d->accounts.attrs[i].name;
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
		break;
	case 2:
		okra__buf_puts(b, "user_id String, account_id String, "
		                  "created_at Nullable(Int64)");
		break;
	default:
		okra__buf_puts(b, "account_id String, month Date, mrr Float64, "
		                  "open UInt8");
	}
}

typedef struct pusher {
	okra_ch *ch;
	const char *db, *cluster;
	okra_buf q;
} pusher;

static okra_rc exec(pusher *p, okra_err *err)
{
	if (p->q.failed)
		return nomem(err);
	okra_rc rc = okra__ch_exec(p->ch, p->q.data, err);
	p->q.len = 0;
	return rc;
}

static void on_cluster(pusher *p)
{
	if (p->cluster)
		okra__buf_printf(&p->q, " ON CLUSTER %s", p->cluster);
}

/* Drops db.name (and, with a cluster, its local tables). */
static okra_rc drop(pusher *p, const char *name, okra_err *err)
{
	okra_rc rc;
	okra__buf_printf(&p->q, "DROP TABLE IF EXISTS `%s`.`%s`", p->db, name);
	on_cluster(p);
	if ((rc = exec(p, err)) || !p->cluster)
		return rc;
	okra__buf_printf(&p->q, "DROP TABLE IF EXISTS `%s`.`%s_local`", p->db,
	                 name);
	on_cluster(p);
	return exec(p, err);
}

/* Creates db.name for table t: a MergeTree table, or with a cluster a
 * local MergeTree table on every shard and a Distributed table over the
 * shards, sharded by account id. */
static okra_rc create(pusher *p, const okra_data *d, int t, const char *name,
                      okra_err *err)
{
	okra_rc rc;
	okra__buf_printf(&p->q, "CREATE TABLE `%s`.`%s%s`", p->db, name,
	                 p->cluster ? "_local" : "");
	on_cluster(p);
	okra__buf_puts(&p->q, " (");
	columns(&p->q, d, t);
	okra__buf_printf(&p->q, ") ENGINE = MergeTree ORDER BY %s",
	                 order_by[t]);
	if ((rc = exec(p, err)) || !p->cluster)
		return rc;
	okra__buf_printf(&p->q, "CREATE TABLE `%s`.`%s`", p->db, name);
	on_cluster(p);
	okra__buf_printf(&p->q,
	                 " AS `%s`.`%s_local` ENGINE = Distributed(%s, %s, "
	                 "%s_local, cityHash64(%s))",
	                 p->db, name, p->cluster, p->db, name,
	                 t == 2 ? "account_id" : "account_id");
	return exec(p, err);
}

static okra_rc exists(pusher *p, const char *name, bool *out, okra_err *err)
{
	json_t *rows = NULL;
	okra__buf_puts(&p->q, "SELECT toFloat64(count()) FROM system.tables "
	                      "WHERE database = ");
	okra__sql_string(&p->q, p->db);
	okra__buf_puts(&p->q, " AND name = ");
	okra__sql_string(&p->q, name);
	if (p->q.failed)
		return nomem(err);
	okra_rc rc = okra__ch_select(p->ch, p->q.data, 1, &rows, err);
	p->q.len = 0;
	if (rc)
		return rc;
	double n = 0;
	okra__ch_number(json_array_get(json_array_get(rows, 0), 0), &n);
	json_decref(rows);
	*out = n > 0;
	return OKRA_OK;
}

/* Renames a (and its local tables) to b. */
static okra_rc rename_to(pusher *p, const char *a, const char *b, okra_err *err)
{
	okra_rc rc;
	okra__buf_printf(&p->q, "RENAME TABLE `%s`.`%s` TO `%s`.`%s`", p->db, a,
	                 p->db, b);
	on_cluster(p);
	if ((rc = exec(p, err)) || !p->cluster)
		return rc;
	okra__buf_printf(&p->q,
	                 "RENAME TABLE `%s`.`%s_local` TO `%s`.`%s_local`",
	                 p->db, a, p->db, b);
	on_cluster(p);
	return exec(p, err);
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
	/* Reach the server before reading the data. */
	if ((rc = okra__ch_connect(ws, s->sql_log, &p.ch, err)))
		goto out;
	p.db = okra__ch_database(p.ch);
	p.cluster = okra__ch_cluster(p.ch);
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	okra__ingest_opts io = {.skip_bad_rows = opt && opt->skip_bad_rows,
	                        .progress = opt && opt->progress,
	                        .now = (int64_t)now.tv_sec * 1000000 +
	                               now.tv_nsec / 1000};
	if ((rc = okra__ingest(ws, &io, &res, err)))
		goto out;
	ingested = true;
	okra__buf_printf(&p.q, "CREATE DATABASE IF NOT EXISTS `%s`", p.db);
	on_cluster(&p);
	if ((rc = exec(&p, err)))
		goto out;
	const okra_data *d = &res.data;
	uint64_t totals[4] = {d->n_events, d->accounts.n, d->users.n,
	                      d->has_revenue ? d->revenue.n : 0};
	for (int t = 0; t < 4; t++) {
		char staging[64], sql[256];
		snprintf(staging, sizeof(staging), "%s__okra_staging",
		         tables[t]);
		if ((rc = drop(&p, staging, err)) ||
		    (rc = create(&p, d, t, staging, err)))
			goto out;
		staged[t] = true;
		snprintf(sql, sizeof(sql),
		         "INSERT INTO `%s`.`%s` FORMAT CSVWithNames", p.db,
		         staging);
		feed f = {.d = d,
		          .table = t,
		          .total = totals[t],
		          .progress = opt && opt->progress};
		clock_gettime(CLOCK_MONOTONIC, &f.t0);
		f.cursor = calloc(d->n_props + 1, sizeof(*f.cursor));
		if (!f.cursor) {
			rc = nomem(err);
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
		char staging[64], old[64];
		bool had = false;
		snprintf(staging, sizeof(staging), "%s__okra_staging",
		         tables[t]);
		snprintf(old, sizeof(old), "%s__okra_old", tables[t]);
		if ((rc = drop(&p, old, err)) ||
		    (rc = exists(&p, tables[t], &had, err)) ||
		    (had && (rc = rename_to(&p, tables[t], old, err))) ||
		    (rc = rename_to(&p, staging, tables[t], err)))
			goto out;
		staged[t] = false;
		if ((rc = drop(&p, old, err)))
			goto out;
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
		if (staged[t]) {
			char staging[64];
			okra_err ignored = {0};
			snprintf(staging, sizeof(staging), "%s__okra_staging",
			         tables[t]);
			p.q.len = 0;
			drop(&p, staging, &ignored);
		}
	if (ingested) {
		okra__data_free(&res.data);
		for (int t = 0; t < 4; t++)
			okra__buf_free(&res.rejected[t]);
	}
	okra__buf_free(&p.q);
	okra__ch_close(p.ch);
	return rc;
}
