/*
 * generate.c - streams the demo's CSV tables: accounts, users, revenue and
 * events.
 *
 * Events are produced one day at a time from the world's per-entity random
 * streams, sorted by second with a counting sort, and formatted by hand
 * into a large buffer (no printf per field).  Memory is one day of events
 * plus the world: O(accounts + users), never O(events).
 */
#include "demo/demo.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { P_DELETED = 101, P_REVENUE };

/* Room for one row of at most 512 bytes. */
static char *reserve(okra_demo_file *f)
{
	if (f->cap - f->len < 512)
		okra__demo_flush(f);
	return f->buf + f->len;
}

static const char digits2[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

/* v in exactly width digits (zero-padded; width >= the digits of v). */
static char *put_padded(char *p, uint64_t v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

static char *put_uint(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_str(char *p, const char *s, size_t len)
{
	memcpy(p, s, len);
	return p + len;
}

#define PUT_LIT(p, s) put_str((p), (s), sizeof(s) - 1)

/* "YYYY-MM-DDT" of a day. */
static void day_prefix(int32_t day, char out[12])
{
	okra__format_date(day, out);
	out[10] = 'T';
	out[11] = '\0';
}

/* "YYYY-MM-DDTHH:MM:SSZ" */
static char *put_timestamp(char *p, const char prefix[12], uint32_t sec)
{
	memcpy(p, prefix, 11);
	p += 11;
	uint32_t h = sec / 3600, m = sec / 60 % 60, s = sec % 60;
	memcpy(p, digits2 + 2 * h, 2);
	p[2] = ':';
	memcpy(p + 3, digits2 + 2 * m, 2);
	p[5] = ':';
	memcpy(p + 6, digits2 + 2 * s, 2);
	p[8] = 'Z';
	return p + 9;
}

static char *put_instant(char *p, int64_t t)
{
	char prefix[12];
	int32_t day = okra__demo_day(t);
	day_prefix(day, prefix);
	return put_timestamp(p, prefix, (uint32_t)(t - (int64_t)day * 86400));
}

/* ---------------------------------------------------------------------
 * accounts.csv, users.csv, revenue.csv
 * --------------------------------------------------------------------- */

static const char *const tier_names[4] = {"", "free", "pro", "enterprise"};
static const char *const region_names[3] = {"na", "eu", "apac"};
static const char *const role_names[4] = {"owner", "admin", "member", "viewer"};

static char *put_account(char *p, const okra_demo_world *w, size_t i)
{
	*p++ = 'a';
	return put_padded(p, i + 1, w->account_width);
}

static char *put_user(char *p, const okra_demo_world *w, size_t j)
{
	*p++ = 'u';
	return put_padded(p, j + 1, w->user_width);
}

void okra__demo_write_accounts(const okra_demo_world *w, okra_demo_file *f)
{
	static const char header[] =
	    "account_id,created_at,tier,region,seats_limit\n";
	okra__demo_put(f, header, sizeof(header) - 1);
	for (size_t i = 0; i < w->n_accounts; i++) {
		const okra_demo_account *a = &w->accounts[i];
		char *p = reserve(f), *start = p;
		p = put_account(p, w, i);
		*p++ = ',';
		p = put_instant(p, a->created);
		*p++ = ',';
		const char *tier = tier_names[a->tier];
		p = put_str(p, tier, strlen(tier));
		*p++ = ',';
		const char *region = region_names[a->region];
		p = put_str(p, region, strlen(region));
		*p++ = ',';
		if (a->seats)
			p = put_uint(p, a->seats);
		*p++ = '\n';
		f->len += (size_t)(p - start);
	}
}

void okra__demo_write_users(okra_demo_world *w, okra_demo_file *f)
{
	static const char header[] = "user_id,account_id,created_at,role\n";
	int64_t end = ((int64_t)w->last_day + 1) * 86400;
	okra__demo_put(f, header, sizeof(header) - 1);
	for (size_t j = 0; j < w->n_users; j++) {
		const okra_demo_user *u = &w->users[j];
		if (u->created >= end)
			continue; /* invited, not signed up yet */
		char *p = reserve(f), *start = p;
		p = put_user(p, w, j);
		*p++ = ',';
		p = put_account(p, w, u->account);
		*p++ = ',';
		p = put_instant(p, u->created);
		*p++ = ',';
		const char *role = role_names[u->role];
		p = put_str(p, role, strlen(role));
		*p++ = '\n';
		f->len += (size_t)(p - start);
	}
}

/* Month index: year * 12 + month - 1. */
static int month_of_day(int32_t day)
{
	int y, m, d;
	okra__civil_from_days(day, &y, &m, &d);
	return y * 12 + m - 1;
}

/* Paying accounts: new at signup (or after a month's trial), expansion and
 * contraction now and then, churn to 0 (an explicit 0 row the first month,
 * then no rows), reactivation when the account comes back. */
void okra__demo_write_revenue(const okra_demo_world *w, okra_demo_file *f)
{
	static const char header[] = "account_id,month,mrr\n";
	okra__demo_put(f, header, sizeof(header) - 1);
	int last = month_of_day(w->last_day);
	for (size_t i = 0; i < w->n_accounts; i++) {
		const okra_demo_account *a = &w->accounts[i];
		if (a->tier < OKRA_DEMO_PRO)
			continue;
		int first = month_of_day(okra__demo_day(a->created));
		okra_demo_rng r = okra__demo_rng(w->seed, P_REVENUE, i, 0);
		uint64_t mrr = a->tier == OKRA_DEMO_PRO
		                   ? 49u * (2 + okra__demo_below(&r, 9))
		                   : 1200u + 100u * okra__demo_below(&r, 49);
		bool paying = false, ever = false;
		for (int m = first + a->trial; m <= last; m++) {
			int32_t day1 =
			    okra__days_from_civil(m / 12, m % 12 + 1, 1);
			bool alive = m == first || !(day1 >= a->churn_day &&
			                             day1 < a->react_day);
			okra_demo_rng mr =
			    okra__demo_rng(w->seed, P_REVENUE, i, (uint64_t)m);
			double u = okra__demo_unit(&mr),
			       v = okra__demo_unit(&mr);
			if (alive && ever && !paying) {
				mrr = (uint64_t)((double)mrr * (0.7 + 0.3 * v) +
				                 0.5);
			} else if (alive && ever) {
				if (u < 0.06) /* more seats, a bigger plan */
					mrr = (uint64_t)((double)mrr *
					                     (1.1 + 0.4 * v) +
					                 0.5);
				else if (u < 0.075) /* fewer seats */
					mrr = (uint64_t)((double)mrr *
					                     (0.6 + 0.3 * v) +
					                 0.5);
			}
			if (mrr < 1)
				mrr = 1;
			if (!alive && !paying)
				continue;
			char *p = reserve(f), *start = p;
			p = put_account(p, w, i);
			*p++ = ',';
			p = put_padded(p, (uint64_t)(m / 12), 4);
			*p++ = '-';
			p = put_padded(p, (uint64_t)(m % 12 + 1), 2);
			*p++ = ',';
			p = put_uint(p, alive ? mrr : 0);
			*p++ = '\n';
			f->len += (size_t)(p - start);
			paying = alive;
			ever |= alive;
		}
	}
}

/* ---------------------------------------------------------------------
 * Events
 * --------------------------------------------------------------------- */

/* Names padded to 24 bytes, so rows copy them with one fixed-size move. */
typedef struct name {
	char text[24];
	size_t len;
} name;
#define NAME(s)                                                                \
	{                                                                      \
		s, sizeof(s) - 1                                               \
	}

/* Copies a name; writes 24 bytes (rows reserve room), advances by len. */
static inline char *put_name(char *p, const name *n)
{
	memcpy(p, n->text, sizeof(n->text));
	return p + n->len;
}

enum {
	E_SIGNUP = 0,
	E_STEP_1,
	E_STEP_2,
	E_STEP_3,
	E_STEP_4,
	E_STEP_5,
	E_STEP_6,
	E_EXPOSURE,
	E_INVITED,
	E_REPORT_CREATED,
	E_REPORT_VIEWED,
	E_SESSION,
	E_FEATURE,
	E_TICKET,
	E_INTEGRATION,
	E_COUNT
};

static const name event_names[E_COUNT] = {
    NAME("signup"),
    NAME("onboarding_step_1"),
    NAME("onboarding_step_2"),
    NAME("onboarding_step_3"),
    NAME("onboarding_step_4"),
    NAME("onboarding_step_5"),
    NAME("onboarding_step_6"),
    NAME("experiment_exposure"),
    NAME("user_invited"),
    NAME("report_created"),
    NAME("report_viewed"),
    NAME("session_start"),
    NAME("feature_used"),
    NAME("support_ticket"),
    NAME("integration_connected"),
};

/* Who an event belongs to. */
enum {
	WHO_USER = 0,    /* account and user */
	WHO_NO_ACCOUNT,  /* known user, empty account_id (filled from users) */
	WHO_GUEST,       /* a user not in users.csv, in a known account */
	WHO_GUEST_ALONE, /* a user not in users.csv, empty account_id */
	WHO_DELETED,     /* an account not in accounts.csv */
};

#define N_FEATURES 6
static const name feature_names[N_FEATURES] = {
    NAME("reports"), NAME("dashboards"),   NAME("alerts"),
    NAME("exports"), NAME("integrations"), NAME("api")};
static const name priority_names[4] = {NAME("low"), NAME("normal"),
                                       NAME("high"), NAME("urgent")};
static const name variant_names[2] = {NAME("control"), NAME("treatment")};

typedef struct event {
	uint32_t sec;     /* second of the day */
	uint32_t account; /* index into accounts (or deleted accounts) */
	uint32_t user;    /* index into users (or the guest number) */
	uint32_t value;   /* session_start: duration_s */
	uint8_t type, who, prop, pad;
} event;

typedef struct day_gen {
	okra_demo_world *w;
	int32_t day;
	event *ev;
	size_t n, cap;
	bool failed;
	uint32_t feature_cum[N_FEATURES]; /* cumulative weights, of 2^32 */
	uint32_t n_guests;
} day_gen;

static void emit(day_gen *g, uint32_t sec, int type, int who, uint32_t account,
                 uint32_t user, uint32_t value, int prop)
{
	if (g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 65536;
		event *p = realloc(g->ev, cap * sizeof(*p));
		if (!p) {
			g->failed = true;
			return;
		}
		g->ev = p;
		g->cap = cap;
	}
	g->ev[g->n++] = (event){sec > 86399 ? 86399 : sec,
	                        account,
	                        user,
	                        value,
	                        (uint8_t)type,
	                        (uint8_t)who,
	                        (uint8_t)prop,
	                        0};
}

/* An instant t on the current day, as seconds of the day; else -1. */
static int64_t on_day(const day_gen *g, int64_t t)
{
	int64_t s = t - (int64_t)g->day * 86400;
	return s >= 0 && s < 86400 ? s : -1;
}

static int pick_feature(const day_gen *g, okra_demo_rng *r)
{
	uint32_t x = (uint32_t)(okra__demo_next(r) >> 32);
	for (int k = 0; k < N_FEATURES - 1; k++)
		if (x < g->feature_cum[k])
			return k;
	return N_FEATURES - 1;
}

/* floor(2 * mean * u + u'): a count with exactly this mean. */
static uint32_t count_with_mean(okra_demo_rng *r, double mean)
{
	return (uint32_t)(2 * mean * okra__demo_unit(r) + okra__demo_unit(r));
}

/* The account's own events of the day: signup-time exposure, onboarding,
 * the first report, the invite nobody accepted, the integration. */
static void account_events(day_gen *g, size_t i)
{
	okra_demo_world *w = g->w;
	const okra_demo_account *a = &w->accounts[i];
	uint32_t owner = a->first_user, acc = (uint32_t)i;
	int32_t created_day = okra__demo_day(a->created);
	int64_t s;
	if (created_day >= w->first_day && g->day - created_day <= 13) {
		if (a->variant != OKRA_DEMO_UNEXPOSED) {
			/* Shown the checklist at signup; a few see the other
			 * arm later (a second device), which the readout
			 * excludes. */
			int first = a->variant == OKRA_DEMO_CONTROL ? 0 : 1;
			if (a->variant == OKRA_DEMO_BOTH)
				first = (int)(i & 1);
			if ((s = on_day(g, a->created)) >= 0)
				emit(g, (uint32_t)s, E_EXPOSURE, WHO_USER, acc,
				     owner, 0, first);
			if (a->variant == OKRA_DEMO_BOTH &&
			    (s = on_day(g, okra__demo_second_exposure(a, i))) >=
			        0)
				emit(g, (uint32_t)s, E_EXPOSURE, WHO_USER, acc,
				     owner, 0, !first);
		}
		int64_t steps[OKRA_DEMO_STEPS];
		okra__demo_onboarding(w, i, steps);
		for (int k = 0; k < OKRA_DEMO_STEPS; k++)
			if (steps[k] != OKRA_DEMO_NEVER64 &&
			    (s = on_day(g, steps[k])) >= 0)
				emit(g, (uint32_t)s, E_STEP_1 + k, WHO_USER,
				     acc, owner, 0, 0);
	}
	bool gone = g->day >= a->churn_day && g->day < a->react_day;
	if (a->first_report != OKRA_DEMO_NEVER64 && !gone &&
	    (s = on_day(g, a->first_report)) >= 0)
		emit(g, (uint32_t)s, E_REPORT_CREATED, WHO_USER, acc, owner, 0,
		     0);
	if (a->extra_invite != OKRA_DEMO_NEVER64 &&
	    (s = on_day(g, a->extra_invite)) >= 0)
		emit(g, (uint32_t)s, E_INVITED, WHO_USER, acc, owner, 0, 0);
	if (a->integration != OKRA_DEMO_NEVER64 && !gone &&
	    (s = on_day(g, a->integration)) >= 0)
		emit(g, (uint32_t)s, E_INTEGRATION, WHO_USER, acc, owner, 0, 0);
}

/* One user's day: signup, the invite that brought them, sessions. */
static void user_events(day_gen *g, size_t i, uint32_t j)
{
	okra_demo_world *w = g->w;
	const okra_demo_account *a = &w->accounts[i];
	const okra_demo_user *u = &w->users[j];
	uint32_t acc = (uint32_t)i;
	int64_t s;
	if (j != a->first_user &&
	    (s = on_day(g, u->created - u->invite_delay)) >= 0)
		emit(g, (uint32_t)s, E_INVITED, WHO_USER, acc, a->first_user, 0,
		     0);
	int64_t signup = on_day(g, u->created);
	if (signup >= 0)
		emit(g, (uint32_t)signup, E_SIGNUP, WHO_USER, acc, j, 0, 0);
	okra_demo_rng r;
	if (!okra__demo_session_day(w, j, g->day, &r))
		return;
	double u1 = okra__demo_unit(&r);
	int sessions = 1 + (u1 < 0.35) + (u1 < 0.12);
	int64_t day_start = (int64_t)g->day * 86400;
	uint32_t last_sec = 0;
	for (int k = 0; k < sessions; k++) {
		uint32_t t0 =
		    signup >= 0
		        ? (uint32_t)signup +
		              okra__demo_below(&r, 86400 - (uint32_t)signup)
		        : okra__demo_second_of_day(w, &r, a->region);
		double x = okra__demo_unit(&r), y = okra__demo_unit(&r);
		uint32_t dur =
		    30 + (uint32_t)(1800 * x * y * (0.5 + okra__demo_unit(&r)));
		emit(g, t0, E_SESSION, WHO_USER, acc, j, dur, 0);
		/* The session's events; a late session ends at midnight. */
		uint32_t span = (dur < 86399 - t0 ? dur : 86399 - t0) + 1;
		uint32_t n = count_with_mean(&r, 1.6);
		for (uint32_t f = 0; f < n; f++)
			emit(g, t0 + okra__demo_below(&r, span), E_FEATURE,
			     WHO_USER, acc, j, 0, pick_feature(g, &r));
		n = count_with_mean(&r, w->viewed_per_session);
		for (uint32_t v = 0; v < n; v++) {
			/* Mobile clients send no account_id (SPEC 3.1 fill
			 * rule). */
			int who = okra__demo_unit(&r) < 0.03 ? WHO_NO_ACCOUNT
			                                     : WHO_USER;
			emit(g, t0 + okra__demo_below(&r, span),
			     E_REPORT_VIEWED, who, acc, j, 0, 0);
		}
		uint32_t t = t0 + okra__demo_below(&r, span);
		if (okra__demo_unit(&r) < 0.10 &&
		    day_start + t >= a->first_report)
			emit(g, t, E_REPORT_CREATED, WHO_USER, acc, j, 0, 0);
		if (okra__demo_unit(&r) <
		    0.004) /* a shared link opened by a guest */
			emit(g, t0 + okra__demo_below(&r, span),
			     E_REPORT_VIEWED,
			     okra__demo_unit(&r) < 0.1 ? WHO_GUEST_ALONE
			                               : WHO_GUEST,
			     acc, okra__demo_below(&r, g->n_guests), 0, 0);
		if (t0 > last_sec)
			last_sec = t0;
	}
	if (okra__demo_unit(&r) < okra__demo_p_ticket(w, a, g->day)) {
		double x = okra__demo_unit(&r);
		int priority = x < 0.45 ? 0 : x < 0.80 ? 1 : x < 0.95 ? 2 : 3;
		uint32_t room =
		    86400 - last_sec < 1800 ? 86400 - last_sec : 1800;
		emit(g, last_sec + okra__demo_below(&r, room), E_TICKET,
		     WHO_USER, acc, j, 0, priority);
	}
}

/* Accounts deleted since: in events, not in accounts.csv. */
static void deleted_events(day_gen *g)
{
	okra_demo_world *w = g->w;
	for (size_t k = 0; k < w->n_deleted; k++) {
		int32_t until = w->first_day + 60 + (int32_t)(k * 97 % 250);
		if (g->day > until)
			continue;
		okra_demo_rng r =
		    okra__demo_rng(w->seed, P_DELETED, k, (uint64_t)g->day);
		if (okra__demo_unit(&r) >= 0.35)
			continue;
		uint32_t t0 = okra__demo_second_of_day(w, &r, OKRA_DEMO_EU);
		uint32_t dur = 60 + okra__demo_below(&r, 900);
		uint32_t span = dur < 86400 - t0 ? dur : 86400 - t0;
		emit(g, t0, E_SESSION, WHO_DELETED, (uint32_t)k, 0, dur, 0);
		uint32_t n = 1 + okra__demo_below(&r, 3);
		for (uint32_t v = 0; v < n; v++)
			emit(g, t0 + okra__demo_below(&r, span),
			     E_REPORT_VIEWED, WHO_DELETED, (uint32_t)k, 0, 0,
			     0);
	}
}

static void set_features(day_gen *g)
{
	double tau = (double)(g->day - g->w->first_day) / (OKRA_DEMO_DAYS - 1);
	/* Dashboards gain share over the year: the adoption trend. */
	double weight[N_FEATURES] = {0.30, 0.06 + 0.12 * tau, 0.12, 0.14, 0.10,
	                             0.10};
	double total = 0, cum = 0;
	for (int k = 0; k < N_FEATURES; k++)
		total += weight[k];
	for (int k = 0; k < N_FEATURES; k++) {
		cum += weight[k] / total;
		g->feature_cum[k] =
		    cum >= 1 ? UINT32_MAX : (uint32_t)(cum * 4294967296.0);
	}
}

/* Preformatted pieces of the rows: ids and times of day. */
typedef struct row_parts {
	char *accounts; /* n_accounts ids of account_stride bytes */
	char *users;    /* n_users ids of user_stride bytes */
	char *times;    /* 86400 x "HH:MM:SS" */
	size_t account_stride, user_stride;
} row_parts;

static bool parts_init(row_parts *rp, const okra_demo_world *w)
{
	rp->account_stride = (size_t)w->account_width + 1;
	rp->user_stride = (size_t)w->user_width + 1;
	rp->accounts = malloc(w->n_accounts * rp->account_stride + 16);
	rp->users = malloc(w->n_users * rp->user_stride + 16);
	rp->times = malloc(86400 * 8);
	if (!rp->accounts || !rp->users || !rp->times)
		return false;
	memset(rp->accounts + w->n_accounts * rp->account_stride, 0, 16);
	memset(rp->users + w->n_users * rp->user_stride, 0, 16);
	for (size_t i = 0; i < w->n_accounts; i++)
		put_account(rp->accounts + i * rp->account_stride, w, i);
	for (size_t j = 0; j < w->n_users; j++)
		put_user(rp->users + j * rp->user_stride, w, j);
	for (uint32_t s = 0; s < 86400; s++) {
		char *t = rp->times + s * 8;
		memcpy(t, digits2 + 2 * (s / 3600), 2);
		t[2] = ':';
		memcpy(t + 3, digits2 + 2 * (s / 60 % 60), 2);
		t[5] = ':';
		memcpy(t + 6, digits2 + 2 * (s % 60), 2);
	}
	return true;
}

static void parts_free(row_parts *rp)
{
	free(rp->accounts);
	free(rp->users);
	free(rp->times);
}

/* An id from the table: 16 bytes copied (ids are shorter), stride kept. */
static inline char *put_id(char *p, const char *table, size_t i, size_t stride)
{
	memcpy(p, table + i * stride, 16);
	return p + stride;
}

static char *format_event(char *p, const row_parts *rp, const char prefix[12],
                          const event *e)
{
	memcpy(p, prefix, 11);
	memcpy(p + 11, rp->times + e->sec * 8, 8);
	p[19] = 'Z';
	p[20] = ',';
	p = put_name(p + 21, &event_names[e->type]);
	*p++ = ',';
	switch (e->who) {
	case WHO_USER:
		p = put_id(p, rp->accounts, e->account, rp->account_stride);
		*p++ = ',';
		p = put_id(p, rp->users, e->user, rp->user_stride);
		break;
	case WHO_NO_ACCOUNT:
		*p++ = ',';
		p = put_id(p, rp->users, e->user, rp->user_stride);
		break;
	case WHO_GUEST:
		p = put_id(p, rp->accounts, e->account, rp->account_stride);
		/* fall through */
	case WHO_GUEST_ALONE:
		p = PUT_LIT(p, ",guest_");
		p = put_padded(p, e->user + 1, 6);
		break;
	default: /* WHO_DELETED */
		p = PUT_LIT(p, "del_");
		p = put_padded(p, e->account + 1, 5);
		p = PUT_LIT(p, ",del_");
		p = put_padded(p, e->account + 1, 5);
		p = PUT_LIT(p, "_u1");
		break;
	}
	switch (e->type) {
	case E_SESSION:
		*p++ = ',';
		p = put_uint(p, e->value);
		p = PUT_LIT(p, ",,,,\n");
		break;
	case E_FEATURE:
		p = PUT_LIT(p, ",,");
		p = put_name(p, &feature_names[e->prop]);
		p = PUT_LIT(p, ",,,\n");
		break;
	case E_EXPOSURE:
		p = PUT_LIT(p, ",,,progress_indicator,");
		p = put_name(p, &variant_names[e->prop]);
		p = PUT_LIT(p, ",\n");
		break;
	case E_TICKET:
		p = PUT_LIT(p, ",,,,,");
		p = put_name(p, &priority_names[e->prop]);
		*p++ = '\n';
		break;
	default:
		p = PUT_LIT(p, ",,,,,\n");
		break;
	}
	return p;
}

/* "okra demo: events [#####.....]  42%  5.3 M events/s", at most 10 times
 * a second; final clears the line for the summary that follows. */
static void progress_draw(okra_demo_progress *pr, uint64_t done,
                          double expected, bool final)
{
	if (!pr->enabled)
		return;
	if (final) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		return;
	}
	double now = okra__demo_now();
	if (now - pr->last_draw < 0.1)
		return;
	pr->last_draw = now;
	double frac = expected > 0 ? (double)done / expected : 1;
	if (frac > 0.99)
		frac = 0.99;
	double rate =
	    now > pr->started ? (double)done / (now - pr->started) : 0;
	char bar[31];
	int fill = (int)(frac * 30);
	for (int k = 0; k < 30; k++)
		bar[k] = k < fill ? '#' : '.';
	bar[30] = '\0';
	fprintf(stderr, "\rokra demo: events [%s] %3d%%  %.1f M events/s ", bar,
	        (int)(frac * 100), rate / 1e6);
	fflush(stderr);
}

double okra__demo_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

okra_rc okra__demo_write_events(okra_demo_world *w, okra_demo_file *f,
                                okra_demo_progress *progress, okra_err *err)
{
	static const char header[] =
	    "timestamp,event,account_id,user_id,duration_s,feature,experiment,"
	    "variant,ticket_priority\n";
	okra_rc rc = OKRA_OK;
	day_gen g = {.w = w};
	row_parts rp = {0};
	g.n_guests = (uint32_t)(w->n_accounts / 2 + 10);
	uint32_t *count = malloc(86401 * sizeof(uint32_t));
	event *sorted = NULL;
	size_t sorted_cap = 0, live = 0;
	if (!count || !parts_init(&rp, w)) {
		rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                   "out of memory");
		goto out;
	}
	okra__demo_put(f, header, sizeof(header) - 1);
	w->n_events = 0;
	progress->started = progress->last_draw = okra__demo_now();
	for (int32_t day = w->first_day; day <= w->last_day && !f->failed;
	     day++) {
		g.day = day;
		g.n = 0;
		set_features(&g);
		while (live < w->n_accounts &&
		       okra__demo_day(w->accounts[live].created) <= day)
			live++;
		for (size_t i = 0; i < live; i++) {
			const okra_demo_account *a = &w->accounts[i];
			uint32_t end = a->first_user + a->n_users;
			account_events(&g, i);
			/* Users are in signup order, and an invite comes at
			 * most a day before its signup. */
			for (uint32_t j = a->first_user; j < end; j++) {
				if (okra__demo_day(w->users[j].created) >
				    day + 1)
					break;
				user_events(&g, i, j);
			}
		}
		deleted_events(&g);
		if (g.failed) {
			rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
			                   "out of memory");
			goto out;
		}
		/* Counting sort by second into a second array (then the rows
		 * are formatted in memory order); ties keep generation order.
		 */
		if (g.n > sorted_cap) {
			event *p = realloc(sorted, g.cap * sizeof(event));
			if (!p) {
				rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0,
				                   0, "out of memory");
				goto out;
			}
			sorted = p;
			sorted_cap = g.cap;
		}
		memset(count, 0, 86401 * sizeof(uint32_t));
		for (size_t k = 0; k < g.n; k++)
			count[g.ev[k].sec + 1]++;
		for (int s = 0; s < 86400; s++)
			count[s + 1] += count[s];
		for (size_t k = 0; k < g.n; k++)
			sorted[count[g.ev[k].sec]++] = g.ev[k];
		char prefix[12];
		day_prefix(day, prefix);
		for (size_t k = 0; k < g.n; k++) {
			char *p = reserve(f);
			char *end = format_event(p, &rp, prefix, &sorted[k]);
			f->len += (size_t)(end - p);
		}
		w->n_events += g.n;
		progress_draw(progress, w->n_events, w->expected_events, false);
	}
	progress_draw(progress, w->n_events, w->expected_events, true);
out:
	parts_free(&rp);
	free(count);
	free(sorted);
	free(g.ev);
	return rc;
}
