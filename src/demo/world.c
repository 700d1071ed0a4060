/*
 * world.c - the population of the demo company and its behaviour model.
 *
 * Draws accounts, users and every fate fixed at signup (onboarding steps,
 * first report, engagement, churn, experiment variant) from the seed, and
 * owns the daily activity probabilities that generate.c samples.  Also
 * computes what the key results will read, so workspace.c can set their
 * baselines and targets.  Memory is O(accounts + users); no I/O.
 */
#include "demo/demo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Purposes of the random streams (any distinct numbers). */
enum {
	P_ACCOUNT = 1,
	P_FATE,
	P_VARIANT,
	P_ONBOARDING,
	P_USERS,
	P_DAY,
	P_INTEGRATION
};

/* Events per account: sets the number of accounts for a wanted total, so
 * that report_viewed (the one volume knob) stays near 1.3 per session. */
#define EVENTS_PER_ACCOUNT 600.0
/* The wide shape (okra.h): many small accounts, few users each, each
 * user active on a few days a year besides its signup day. */
#define EVENTS_PER_ACCOUNT_WIDE 25.0
/* report_viewed per session of the wide shape: its activity is scaled to
 * hit the wanted total with this many. */
#define WIDE_VIEWED_PER_SESSION 1.3

/* Signups by weekday (Monday first) and product use by weekday. */
static const double signup_weekday[7] = {1.0, 1.05, 1.05, 1.0, 0.85, 0.35, 0.3};
static const double use_weekday[7] = {1.0, 1.08, 1.06, 1.0, 0.84, 0.28, 0.22};

/* ---------------------------------------------------------------------
 * Activity
 * --------------------------------------------------------------------- */

double okra__demo_p_active(const okra_demo_world *w, const okra_demo_account *a,
                           const okra_demo_user *u, int32_t day)
{
	int32_t signup = okra__demo_day(u->created);
	if (day < w->first_day || day > w->last_day)
		return 0; /* no events outside the data */
	if (day < signup || (day >= a->churn_day && day < a->react_day))
		return 0;
	/* The outage: the EU region is down for the day, and a service the
	 * other regions share with it is slow. */
	double outage = day != w->outage_day        ? 1
	                : a->region == OKRA_DEMO_EU ? OKRA_DEMO_OUTAGE_EU
	                                            : OKRA_DEMO_OUTAGE_OTHER;
	if (day == signup)
		return outage; /* a new user looks around on signup day */
	double p = (double)a->eng * u->factor *
	           w->day_factor[day - w->first_day] * outage * w->activity;
	int32_t age = day - okra__demo_day(a->created);
	if (age < 14)
		p *= 1.5; /* exploring in the first two weeks */
	else if (!okra__demo_activated(a))
		p *= 0.5; /* never saw value: drifts away */
	return p > 0.92 ? 0.92 : p;
}

bool okra__demo_session_day(const okra_demo_world *w, size_t j, int32_t day,
                            okra_demo_rng *r)
{
	const okra_demo_user *u = &w->users[j];
	double p = okra__demo_p_active(w, &w->accounts[u->account], u, day);
	if (p <= 0)
		return false;
	*r = okra__demo_rng(w->seed, P_DAY, j, (uint64_t)day);
	return p >= 1 || okra__demo_unit(r) < p;
}

double okra__demo_p_ticket(const okra_demo_world *w, const okra_demo_account *a,
                           int32_t day)
{
	double p = 0.010;
	if (day - okra__demo_day(a->created) < 14)
		p *= 2.5; /* onboarding questions */
	if (day == w->outage_day + 1 && a->region == OKRA_DEMO_EU)
		p *= 4; /* the day after the EU outage */
	return p;
}

/* ---------------------------------------------------------------------
 * Onboarding: six steps with drop-off at each
 * --------------------------------------------------------------------- */

/* Share of the accounts at step i-1 that reach step i.  Steps 2 and 3 get
 * better over the year; the progress indicator (treatment) lifts 4-6. */
static double step_rate(int i, double tau, int variant)
{
	static const double base[OKRA_DEMO_STEPS] = {0.93, 0.86, 0.80,
	                                             0.74, 0.80, 0.84};
	double p = base[i];
	if (i == 1 || i == 2)
		p += 0.03 * tau;
	if (variant == OKRA_DEMO_TREATMENT && i >= 3)
		p += OKRA_DEMO_TREATMENT_LIFT;
	return p;
}

static double tau_of(const okra_demo_world *w, int32_t day)
{
	double t = (double)(day - w->first_day) / (OKRA_DEMO_DAYS - 1);
	return t < 0 ? 0 : t > 1 ? 1 : t;
}

/* The onboarding of account i as if it were in arm variant (control or
 * treatment): the same draws, so the two arms of one account differ only
 * by the treatment (the experiment's counterfactual). */
static void onboarding_as(const okra_demo_world *w, size_t i, int variant,
                          int64_t steps[OKRA_DEMO_STEPS])
{
	const okra_demo_account *a = &w->accounts[i];
	okra_demo_rng r = okra__demo_rng(w->seed, P_ONBOARDING, i, 0);
	double tau = tau_of(w, okra__demo_day(a->created));
	bool slow = okra__demo_unit(&r) < 0.10; /* one long pause */
	bool same = okra__demo_unit(&r) < 0.04; /* step 3 in step 2's second */
	bool skewed = okra__demo_unit(&r) < 0.02; /* step 5 logged before 4 */
	int pause = (int)okra__demo_below(&r, OKRA_DEMO_STEPS - 1) + 1;
	int64_t t = a->created, limit = a->created + 13 * 86400;
	for (int k = 0; k < OKRA_DEMO_STEPS; k++)
		steps[k] = OKRA_DEMO_NEVER64;
	for (int k = 0; k < OKRA_DEMO_STEPS; k++) {
		if (okra__demo_unit(&r) >= step_rate(k, tau, variant))
			break;
		double u = okra__demo_unit(&r);
		int64_t gap;
		if (k == 0)
			gap =
			    u < 0.08
			        ? 0
			        : 30 + (int64_t)(u * 870); /* 8%: same second */
		else if (u < 0.70)
			gap = 20 + (int64_t)(okra__demo_unit(&r) * 1780);
		else if (u < 0.95)
			gap = 3600 + (int64_t)(okra__demo_unit(&r) * 29 * 3600);
		else
			gap =
			    86400 + (int64_t)(okra__demo_unit(&r) * 2 * 86400);
		if (k == 2 && same)
			gap = 0;
		if (slow && k == pause)
			gap += 3 * 86400 +
			       (int64_t)(okra__demo_unit(&r) * 3 * 86400);
		t += gap;
		if (t > limit)
			t = limit;
		steps[k] = t;
	}
	if (skewed && steps[4] != OKRA_DEMO_NEVER64)
		steps[4] = steps[3] - 2; /* a client clock two seconds behind */
}

void okra__demo_onboarding(const okra_demo_world *w, size_t i,
                           int64_t steps[OKRA_DEMO_STEPS])
{
	const okra_demo_account *a = &w->accounts[i];
	onboarding_as(w, i,
	              a->variant == OKRA_DEMO_BOTH ? OKRA_DEMO_TREATMENT
	                                           : a->variant,
	              steps);
}

/* ---------------------------------------------------------------------
 * Drawing the population
 * --------------------------------------------------------------------- */

typedef struct signup {
	int64_t created;
	uint32_t k; /* draw order: breaks ties */
	uint8_t tier, region;
} signup;

static int cmp_signup(const void *pa, const void *pb)
{
	const signup *a = pa, *b = pb;
	if (a->created != b->created)
		return a->created < b->created ? -1 : 1;
	return a->k < b->k ? -1 : a->k > b->k;
}

/* Local business hours, as weights per hour of the day. */
static const uint8_t local_hours[24] = {1,  1,  1,  1,  1,  2,  4,  8,
                                        14, 16, 16, 14, 12, 14, 15, 14,
                                        12, 9,  7,  6,  5,  4,  3,  2};

/* hour_of[region][x] for x below the total weight: the UTC hour. */
static void hour_table(okra_demo_world *w)
{
	static const int utc_offset[3] = {-6, 1, 8}; /* na, eu, apac */
	for (int region = 0; region < 3; region++) {
		int x = 0;
		for (int h = 0; h < 24; h++)
			for (int k = 0; k < local_hours[h]; k++)
				w->hour_of[region][x++] =
				    (uint8_t)((h - utc_offset[region] + 24) %
				              24);
	}
}

uint32_t okra__demo_second_of_day(const okra_demo_world *w, okra_demo_rng *r,
                                  int region)
{
	uint32_t h =
	    w->hour_of[region][okra__demo_below(r, OKRA_DEMO_HOUR_WEIGHT)];
	return h * 3600 + okra__demo_below(r, 3600);
}

/* The day whose cumulative weight first exceeds x (binary search). */
static int32_t pick_day(const double *cum, int n, double x)
{
	int lo = 0, hi = n - 1;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static okra_rc draw_signups(okra_demo_world *w, size_t n, okra_err *err)
{
	okra_rc rc = OKRA_OK;
	size_t n_legacy = n / 4; /* customers from the year before the data */
	double *cum_new = malloc(OKRA_DEMO_DAYS * sizeof(double));
	double *cum_old = malloc(OKRA_DEMO_DAYS * sizeof(double));
	signup *s = malloc(n * sizeof(*s));
	if (!cum_new || !cum_old || !s) {
		rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                   "out of memory");
		goto out;
	}
	double sum_new = 0, sum_old = 0;
	for (int i = 0; i < OKRA_DEMO_DAYS; i++) {
		int32_t d = w->first_day + i, old = d - OKRA_DEMO_DAYS;
		double tau = (double)i / (OKRA_DEMO_DAYS - 1);
		/* Signups grow: the last day sees 2.2x the first. */
		sum_new += (1 + 1.2 * tau) * signup_weekday[okra__weekday(d)];
		sum_old +=
		    (0.7 + 0.3 * tau) * signup_weekday[okra__weekday(old)];
		cum_new[i] = sum_new;
		cum_old[i] = sum_old;
	}
	for (size_t k = 0; k < n; k++) {
		okra_demo_rng r = okra__demo_rng(w->seed, P_ACCOUNT, k, 0);
		bool legacy = k < n_legacy;
		size_t j = legacy ? k : k - n_legacy,
		       m = legacy ? n_legacy : n - n_legacy;
		/* Stratified: the k-th of m signups lands in the k-th slice. */
		double x = ((double)j + okra__demo_unit(&r)) / (double)m;
		int32_t day =
		    pick_day(legacy ? cum_old : cum_new, OKRA_DEMO_DAYS,
		             x * (legacy ? sum_old : sum_new));
		day += w->first_day - (legacy ? OKRA_DEMO_DAYS : 0);
		double u = okra__demo_unit(&r);
		s[k].region = u < 0.50   ? OKRA_DEMO_NA
		              : u < 0.83 ? OKRA_DEMO_EU
		                         : OKRA_DEMO_APAC;
		u = okra__demo_unit(&r);
		s[k].tier = u < 0.02   ? OKRA_DEMO_TIER_NONE
		            : u < 0.57 ? OKRA_DEMO_FREE
		            : u < 0.90 ? OKRA_DEMO_PRO
		                       : OKRA_DEMO_ENTERPRISE;
		s[k].created = (int64_t)day * 86400 +
		               okra__demo_second_of_day(w, &r, s[k].region);
		s[k].k = (uint32_t)k;
	}
	qsort(s, n, sizeof(*s), cmp_signup);
	for (size_t i = 0; i < n; i++) {
		okra_demo_account *a = &w->accounts[i];
		a->created = s[i].created;
		a->tier = s[i].tier;
		a->region = s[i].region;
	}
out:
	free(cum_new);
	free(cum_old);
	free(s);
	return rc;
}

/* Monthly churn hazard: free accounts that never saw value leave fastest. */
static double churn_hazard(int tier, bool activated)
{
	switch (tier) {
	case OKRA_DEMO_FREE:
		return activated ? 0.025 : 0.09;
	case OKRA_DEMO_PRO:
		return activated ? 0.010 : 0.04;
	case OKRA_DEMO_ENTERPRISE:
		return activated ? 0.004 : 0.02;
	default:
		return 0.05;
	}
}

/* Fates fixed at signup: variant, onboarding, first report, engagement,
 * churn, the invite nobody accepted. */
static void draw_fate(okra_demo_world *w, size_t i)
{
	okra_demo_account *a = &w->accounts[i];
	int32_t day = okra__demo_day(a->created);
	static const uint8_t seats[4] = {0, 3, 10, 25};
	a->seats = seats[a->tier];
	a->variant = OKRA_DEMO_UNEXPOSED;
	if (day >= w->exp_start && day <= w->exp_end) {
		okra_demo_rng v = okra__demo_rng(w->seed, P_VARIANT, i, 0);
		a->variant = okra__demo_unit(&v) < 0.5 ? OKRA_DEMO_CONTROL
		                                       : OKRA_DEMO_TREATMENT;
		if (okra__demo_unit(&v) < 0.01)
			a->variant = OKRA_DEMO_BOTH;
	}
	int64_t steps[OKRA_DEMO_STEPS];
	okra__demo_onboarding(w, i, steps);
	a->reached = 0;
	while (a->reached < OKRA_DEMO_STEPS &&
	       steps[a->reached] != OKRA_DEMO_NEVER64)
		a->reached++;
	bool completed = a->reached == OKRA_DEMO_STEPS;

	okra_demo_rng r = okra__demo_rng(w->seed, P_FATE, i, 0);
	double tau = tau_of(w, day);
	/* Report templates, shipped two weeks before the quarter, help the
	 * accounts that skip onboarding to a first report. */
	bool templates = day >= w->templates_day;
	double p_report =
	    completed ? 0.92 : 0.36 + 0.20 * tau + 0.15 * templates;
	if (okra__demo_unit(&r) < p_report) {
		/* Hours to the first report: exponential, truncated at 14 days;
		 * faster after onboarding and faster as the product improves.
		 */
		double theta = completed
		                   ? 22 - 10 * tau
		                   : (70 - 20 * tau) * (templates ? 0.7 : 1);
		double u = okra__demo_unit(&r);
		double h = -theta * log(1 - u * (1 - exp(-336 / theta)));
		int64_t s = (int64_t)(h * 3600);
		a->first_report = a->created + (s < 60 ? 60 : s);
	} else if (okra__demo_unit(&r) < 0.45) {
		a->first_report = a->created + 15 * 86400 +
		                  (int64_t)(okra__demo_unit(&r) * 75 * 86400);
	} else {
		a->first_report = OKRA_DEMO_NEVER64;
	}
	bool activated = okra__demo_activated(a);
	static const double tier_eng[4] = {0.9, 0.85, 1.0, 1.15};
	double u = okra__demo_unit(&r);
	double eng = activated ? 0.22 + 0.38 * u : 0.06 + 0.19 * u;
	/* The planted bottleneck: few accounts connect an integration in
	 * their first two weeks, and those that do use the product far
	 * more (its own stream, so the other fates keep their draws). */
	okra_demo_rng ri = okra__demo_rng(w->seed, P_INTEGRATION, i, 0);
	a->integration = OKRA_DEMO_NEVER64;
	double p_connect = 0.14 + 0.12 * activated;
	if (okra__demo_unit(&ri) < p_connect) {
		a->integration = a->created + 1800 +
		                 (int64_t)(okra__demo_unit(&ri) * 13 * 86400);
		eng *= OKRA_DEMO_INTEGRATION_BOOST;
	} else if (okra__demo_unit(&ri) < 0.10) {
		/* Later, after the first two weeks: too late to count. */
		a->integration = a->created + 15 * 86400 +
		                 (int64_t)(okra__demo_unit(&ri) * 45 * 86400);
	}
	a->eng = (float)(eng * tier_eng[a->tier] * (0.9 + 0.2 * tau));

	/* Churn after the first two weeks at a constant monthly hazard. */
	double months =
	    -log(1 - okra__demo_unit(&r)) / churn_hazard(a->tier, activated);
	double churn = day + 14 + months * 30;
	a->churn_day = churn > w->last_day ? OKRA_DEMO_NEVER32 : (int32_t)churn;
	a->react_day = OKRA_DEMO_NEVER32;
	u = okra__demo_unit(&r);
	if (a->churn_day != OKRA_DEMO_NEVER32 && a->tier >= OKRA_DEMO_PRO &&
	    u < 0.20) {
		int32_t back =
		    a->churn_day + 35 + (int32_t)okra__demo_below(&r, 126);
		if (back <= w->last_day)
			a->react_day = back;
	}
	a->trial = a->tier == OKRA_DEMO_PRO && okra__demo_unit(&r) < 0.25;
	a->extra_invite = OKRA_DEMO_NEVER64;
	if (okra__demo_unit(&r) < 0.07)
		a->extra_invite = a->created + 4320 +
		                  (int64_t)(okra__demo_unit(&r) * 13.4 * 86400);
}

static uint32_t planned_users(okra_demo_rng *r, int tier, bool wide)
{
	double u1 = okra__demo_unit(r), u2 = okra__demo_unit(r);
	if (wide)
		switch (tier) {
		case OKRA_DEMO_FREE:
			return 1 + (u1 < 0.4);
		case OKRA_DEMO_PRO:
			return 2 + (uint32_t)(u1 * 4); /* 2 .. 5 */
		case OKRA_DEMO_ENTERPRISE:
			return 5 + (uint32_t)(u1 * 7); /* 5 .. 11 */
		default:
			return 1 + (u2 < 0.4);
		}
	switch (tier) {
	case OKRA_DEMO_FREE:
		return 1 + (u1 < 0.6) + (u2 < 0.4);
	case OKRA_DEMO_PRO:
		return 2 + (uint32_t)(u1 * 11); /* 2 .. 12 */
	case OKRA_DEMO_ENTERPRISE:
		return 5 + (uint32_t)(u1 * 21); /* 5 .. 25 */
	default:
		return 1 + (u1 < 0.4);
	}
}

/* The users of account i: the owner at signup, one teammate invited early
 * by many accounts, the rest joining over the months after. */
static void draw_users(okra_demo_world *w, size_t i)
{
	okra_demo_account *a = &w->accounts[i];
	okra_demo_rng r = okra__demo_rng(w->seed, P_USERS, i, 0);
	static const double early[4] = {0.30, 0.45, 0.55, 0.65};
	uint32_t n = planned_users(&r, a->tier, w->wide);
	double offset[32];
	offset[0] = 0;
	for (uint32_t j = 1; j < n; j++) {
		if (j == 1)
			offset[j] = okra__demo_unit(&r) < early[a->tier]
			                ? 0.1 + 12.9 * okra__demo_unit(&r)
			                : 15 + 135 * okra__demo_unit(&r);
		else
			offset[j] = 1 + 199 * okra__demo_unit(&r);
	}
	for (uint32_t j = 2; j < n; j++) /* insertion sort: signup order */
		for (uint32_t k = j; k > 1 && offset[k] < offset[k - 1]; k--) {
			double t = offset[k];
			offset[k] = offset[k - 1];
			offset[k - 1] = t;
		}
	a->first_user = (uint32_t)w->n_users;
	a->n_users = 0;
	for (uint32_t j = 0; j < n; j++) {
		okra_demo_user *u = &w->users[w->n_users];
		u->created = a->created + (int64_t)(offset[j] * 86400);
		u->account = (uint32_t)i;
		int32_t d = okra__demo_day(u->created);
		double x = okra__demo_unit(&r), y = okra__demo_unit(&r);
		if (j > 0 && d >= a->churn_day && d < a->react_day)
			continue; /* nobody joins an account that has left */
		if (j == 0) {
			u->role = OKRA_DEMO_OWNER;
			u->factor = 1.0f;
			u->invite_delay = 0;
		} else {
			u->role = j == 1 && a->tier >= OKRA_DEMO_PRO
			              ? OKRA_DEMO_ADMIN
			          : x < 0.75 ? OKRA_DEMO_MEMBER
			                     : OKRA_DEMO_VIEWER;
			u->factor = u->role == OKRA_DEMO_ADMIN ? 0.9f
			            : u->role == OKRA_DEMO_MEMBER
			                ? (float)(0.35 + 0.65 * y)
			                : (float)(0.1 + 0.25 * y);
			double room = offset[j] * 86400 - 360;
			if (room > 86400 - 300)
				room = 86400 - 300;
			u->invite_delay =
			    300 + (uint32_t)(okra__demo_unit(&r) * room);
		}
		w->n_users++;
		a->n_users++;
	}
}

/* ---------------------------------------------------------------------
 * Calibration: report_viewed per session so the total is about N
 * --------------------------------------------------------------------- */

#define SESSIONS_PER_DAY     1.47 /* 1 + 0.35 + 0.12 */
#define FEATURES_PER_SESSION 1.6
#define REPORTS_PER_SESSION  0.10
#define GUESTS_PER_SESSION   0.004

/* The expected events at the world's activity: those of signup days and
 * the one-off events (fixed), and those of the other days, which grow
 * with the activity (up to the cap of p_active). */
typedef struct volume {
	double sessions, other;
} volume;

static void expected(const okra_demo_world *w, volume *fixed, volume *var)
{
	*fixed = (volume){0, 0};
	*var = (volume){0, 0};
	int64_t first = (int64_t)w->first_day * 86400;
	int64_t last = ((int64_t)w->last_day + 1) * 86400;
	for (size_t i = 0; i < w->n_accounts; i++) {
		const okra_demo_account *a = &w->accounts[i];
		int32_t report_day = a->first_report == OKRA_DEMO_NEVER64
		                         ? OKRA_DEMO_NEVER32
		                         : okra__demo_day(a->first_report);
		for (uint32_t j = 0; j < a->n_users; j++) {
			const okra_demo_user *u = &w->users[a->first_user + j];
			int64_t invite = u->created - u->invite_delay;
			fixed->other +=
			    u->created >= first && u->created < last;
			fixed->other +=
			    j > 0 && invite >= first && invite < last;
			int32_t join = okra__demo_day(u->created);
			int32_t d0 = join < w->first_day ? w->first_day : join;
			for (int32_t d = d0; d <= w->last_day; d++) {
				double p = okra__demo_p_active(w, a, u, d);
				if (p <= 0)
					continue;
				double rep =
				    d > report_day    ? REPORTS_PER_SESSION
				    : d == report_day ? REPORTS_PER_SESSION / 2
				                      : 0;
				/* one sum in the demo's shape, as it always was
				 */
				volume *v = !w->wide || d == join ? fixed : var;
				v->sessions += p * SESSIONS_PER_DAY;
				v->other +=
				    p * (SESSIONS_PER_DAY *
				             (1 + FEATURES_PER_SESSION + rep +
				              GUESTS_PER_SESSION) +
				         okra__demo_p_ticket(w, a, d));
			}
		}
		if (a->created >= first) {
			fixed->other += a->reached +
			                (a->variant != OKRA_DEMO_UNEXPOSED) +
			                (a->variant == OKRA_DEMO_BOTH);
			fixed->other += a->extra_invite < last;
		}
		fixed->other +=
		    a->first_report >= first && a->first_report < last;
		fixed->other +=
		    a->integration >= first && a->integration < last;
	}
	/* Deleted accounts: a session and about two views on 35% of days. */
	fixed->other += (double)w->n_deleted * 0.35 * 3 * 180;
}

/* report_viewed per session so the total is about N; the wide shape
 * first scales the activity of the days after signup so that about
 * WIDE_VIEWED_PER_SESSION views per session hit N. */
static void calibrate(okra_demo_world *w)
{
	double want = (double)w->events_wanted;
	volume f, v;
	w->activity = 1;
	if (w->wide) {
		expected(w, &f, &v);
		double fixed = f.other + f.sessions * WIDE_VIEWED_PER_SESSION;
		double var = v.other + v.sessions * WIDE_VIEWED_PER_SESSION;
		double x = var > 0 && want > fixed ? (want - fixed) / var : 0;
		w->activity = x > 1 ? 1 : x;
	}
	expected(w, &f, &v);
	double sessions = f.sessions + v.sessions, other = f.other + v.other;
	w->viewed_per_session =
	    sessions > 0 && want > other ? (want - other) / sessions : 0;
	w->expected_events = other + sessions * w->viewed_per_session;
}

okra_rc okra__demo_world_init(okra_demo_world *w, uint64_t events,
                              uint64_t seed, int32_t end_day, bool wide,
                              okra_err *err)
{
	okra_rc rc = OKRA_OK;
	memset(w, 0, sizeof(*w));
	w->seed = seed;
	w->wide = wide;
	w->activity = 1;
	w->events_wanted = events;
	w->last_day = end_day;
	w->first_day = end_day - (OKRA_DEMO_DAYS - 1);
	/* The outage of the EU region: the last Wednesday at least ten days
	 * before the end. */
	int32_t d = end_day - 10;
	w->outage_day = d - (okra__weekday(d) - 2 + 7) % 7;
	w->exp_start = end_day - 118;
	w->exp_end = end_day - 8;
	w->quarter = okra__quarter_of(end_day, 1);
	w->templates_day = w->quarter.first - 14;
	hour_table(w);

	double n = floor((double)events / (wide ? EVENTS_PER_ACCOUNT_WIDE
	                                        : EVENTS_PER_ACCOUNT) +
	                 0.5);
	w->n_accounts = n < 4 ? 4 : (size_t)n;
	w->n_deleted = w->n_accounts / 150 < 2 ? 2 : w->n_accounts / 150;
	w->day_factor = malloc(OKRA_DEMO_DAYS * sizeof(float));
	w->accounts = calloc(w->n_accounts, sizeof(*w->accounts));
	if (!w->day_factor || !w->accounts) {
		rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                   "out of memory");
		goto out;
	}
	for (int i = 0; i < OKRA_DEMO_DAYS; i++) {
		int32_t day = w->first_day + i;
		w->day_factor[i] = (float)use_weekday[okra__weekday(day)];
	}
	rc = draw_signups(w, w->n_accounts, err);
	if (rc)
		goto out;
	size_t planned = 0; /* the same first draws as draw_users */
	for (size_t i = 0; i < w->n_accounts; i++) {
		okra_demo_rng r = okra__demo_rng(seed, P_USERS, i, 0);
		planned += planned_users(&r, w->accounts[i].tier, w->wide);
	}
	w->users = calloc(planned, sizeof(*w->users));
	if (!w->users) {
		rc = okra__err_set(err, OKRA_ERR_NOMEM, NULL, 0, 0,
		                   "out of memory");
		goto out;
	}
	for (size_t i = 0; i < w->n_accounts; i++) {
		draw_fate(w, i);
		draw_users(w, i);
	}
	int64_t end = ((int64_t)w->last_day + 1) * 86400;
	for (size_t j = 0; j < w->n_users; j++)
		w->n_users_written += w->users[j].created < end;
	w->account_width = 6;
	for (size_t x = w->n_accounts; x >= 1000000; x /= 10)
		w->account_width++;
	w->user_width = 7;
	for (size_t x = w->n_users; x >= 10000000; x /= 10)
		w->user_width++;
	calibrate(w);
	return OKRA_OK;
out:
	okra__demo_world_free(w);
	return rc;
}

void okra__demo_world_free(okra_demo_world *w)
{
	free(w->day_factor);
	free(w->accounts);
	free(w->users);
	w->day_factor = NULL;
	w->accounts = NULL;
	w->users = NULL;
}

/* ---------------------------------------------------------------------
 * What the key results will read
 * --------------------------------------------------------------------- */

/* Accounts whose signup day lies in [lo, hi]: an index range. */
static void account_range(const okra_demo_world *w, int32_t lo, int32_t hi,
                          size_t *begin, size_t *end)
{
	size_t a = 0, b = w->n_accounts;
	while (a < b) { /* first with day >= lo */
		size_t m = (a + b) / 2;
		if (okra__demo_day(w->accounts[m].created) < lo)
			a = m + 1;
		else
			b = m;
	}
	*begin = a;
	b = w->n_accounts;
	while (a < b) { /* first with day > hi */
		size_t m = (a + b) / 2;
		if (okra__demo_day(w->accounts[m].created) <= hi)
			a = m + 1;
		else
			b = m;
	}
	*end = a;
}

static okra_demo_value share(double num, double den)
{
	return den > 0 ? (okra_demo_value){num / den, false}
	               : (okra_demo_value){0, true};
}

/* Greedy funnel within 7 days of signup, as SPEC 3.1 reads it. */
/* Every step in order within 7 days of signup, in arm variant. */
static bool completes_as(const okra_demo_world *w, size_t i, int variant)
{
	const okra_demo_account *a = &w->accounts[i];
	int64_t steps[OKRA_DEMO_STEPS], at = a->created;
	onboarding_as(w, i, variant, steps);
	for (int k = 0; k < OKRA_DEMO_STEPS; k++) {
		if (steps[k] == OKRA_DEMO_NEVER64 || steps[k] < at ||
		    steps[k] >= a->created + 7 * 86400)
			return false;
		at = steps[k];
	}
	return true;
}

static bool completes_onboarding(const okra_demo_world *w, size_t i)
{
	const okra_demo_account *a = &w->accounts[i];
	return completes_as(w, i,
	                    a->variant == OKRA_DEMO_BOTH ? OKRA_DEMO_TREATMENT
	                                                 : a->variant);
}

static bool invites_early(const okra_demo_world *w, const okra_demo_account *a)
{
	int64_t until = a->created + 14 * 86400;
	if (a->extra_invite < until)
		return true;
	for (uint32_t j = 1; j < a->n_users; j++) {
		const okra_demo_user *u = &w->users[a->first_user + j];
		if (u->created - u->invite_delay < until)
			return true;
	}
	return false;
}

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;
	return a < b ? -1 : a > b;
}

/* quantile_cont over hours, +inf for no first report within 14 days. */
static okra_demo_value median_hours(const okra_demo_world *w, size_t begin,
                                    size_t end)
{
	size_t n = end - begin;
	if (n == 0)
		return (okra_demo_value){0, true};
	double *h = malloc(n * sizeof(double));
	if (!h)
		return (okra_demo_value){0, true};
	for (size_t i = 0; i < n; i++) {
		const okra_demo_account *a = &w->accounts[begin + i];
		h[i] = okra__demo_activated(a)
		           ? (double)(a->first_report - a->created) / 3600
		           : INFINITY;
	}
	qsort(h, n, sizeof(double), cmp_double);
	double pos = (double)(n - 1) * 0.5, lo = floor(pos), frac = pos - lo;
	double a = h[(size_t)lo], b = frac > 0 ? h[(size_t)lo + 1] : 0;
	okra_demo_value v = {0, true};
	if (isfinite(a) && (frac == 0 || isfinite(b)))
		v = (okra_demo_value){a + (b - a) * frac, false};
	free(h);
	return v;
}

/* What the sessions of account a did in the window [day - len + 1, day]:
 * exact, by replaying the draws generate.c makes.  Tickets are drawn
 * later in a user's day, so they stay an expectation. */
typedef struct window_use {
	int users;      /* distinct users with a session */
	int days;       /* days with a session */
	double tickets; /* expected support tickets */
} window_use;

static window_use account_window(const okra_demo_world *w,
                                 const okra_demo_account *a, int32_t day,
                                 int len)
{
	bool seen[32] = {0};
	window_use out = {0};
	for (uint32_t k = 0; k < a->n_users; k++) {
		size_t j = a->first_user + k;
		bool any = false;
		for (int d = 0; d < len; d++) {
			int32_t at = day - len + 1 + d;
			okra_demo_rng r;
			if (!okra__demo_session_day(w, j, at, &r))
				continue;
			any = seen[d] = true;
			out.tickets += okra__demo_p_ticket(w, a, at);
		}
		out.users += any;
	}
	for (int d = 0; d < len; d++)
		out.days += seen[d];
	return out;
}

okra_demo_value okra__demo_expect(const okra_demo_world *w,
                                  okra_demo_kr_metric m, int32_t day)
{
	size_t begin, end;
	double num = 0, den = 0;
	switch (m) {
	case OKRA_DEMO_M_ONBOARDING: /* within 7d, cohort 28d */
		account_range(w, day - 34, day - 7, &begin, &end);
		for (size_t i = begin; i < end; i++) {
			num += completes_onboarding(w, i);
			den++;
		}
		return share(num, den);
	case OKRA_DEMO_M_ACTIVATION: /* within 14d, cohort 28d */
		account_range(w, day - 41, day - 14, &begin, &end);
		for (size_t i = begin; i < end; i++) {
			num += okra__demo_activated(&w->accounts[i]);
			den++;
		}
		return share(num, den);
	case OKRA_DEMO_M_TIME_TO_REPORT:
		account_range(w, day - 41, day - 14, &begin, &end);
		return median_hours(w, begin, end);
	case OKRA_DEMO_M_INVITES_PRO:
		account_range(w, day - 41, day - 14, &begin, &end);
		for (size_t i = begin; i < end; i++) {
			const okra_demo_account *a = &w->accounts[i];
			if (a->tier != OKRA_DEMO_PRO)
				continue;
			num += invites_early(w, a);
			den++;
		}
		return share(num, den);
	case OKRA_DEMO_M_WEEK4_RETENTION: /* users, between [21, 27], cohort 14d
	                                   */
		account_range(w, day - 240, day - 27, &begin, &end);
		for (size_t i = begin; i < end; i++) {
			const okra_demo_account *a = &w->accounts[i];
			for (uint32_t k = 0; k < a->n_users; k++) {
				size_t j = a->first_user + k;
				int32_t anchor =
				    okra__demo_day(w->users[j].created);
				if (anchor < day - 40 || anchor > day - 27 ||
				    anchor < w->first_day)
					continue;
				bool kept = false;
				okra_demo_rng r;
				for (int n = 21; n <= 27 && !kept; n++)
					kept = okra__demo_session_day(
					    w, j, anchor + n, &r);
				num += kept;
				den++;
			}
		}
		return share(num, den);
	case OKRA_DEMO_M_COLLABORATING:
	case OKRA_DEMO_M_HABITUAL:
	case OKRA_DEMO_M_TICKETS_PER_ACCT:
	case OKRA_DEMO_M_ENGAGED: {
		int len =
		    m == OKRA_DEMO_M_COLLABORATING || m == OKRA_DEMO_M_HABITUAL
		        ? 28
		        : 7;
		account_range(w, INT32_MIN / 2, day, &begin, &end);
		for (size_t i = begin; i < end; i++) {
			window_use u =
			    account_window(w, &w->accounts[i], day, len);
			den += u.users > 0;
			num += m == OKRA_DEMO_M_COLLABORATING ? u.users >= 2
			       : m == OKRA_DEMO_M_HABITUAL    ? u.days >= 8
			       : m == OKRA_DEMO_M_ENGAGED     ? u.days >= 3
			                                      : u.tickets;
		}
		if (m == OKRA_DEMO_M_ENGAGED)
			return (okra_demo_value){num, false};
		return share(num, den);
	}
	default:
		return (okra_demo_value){0, true};
	}
}

void okra__demo_experiment(const okra_demo_world *w, okra_demo_readout *out)
{
	memset(out, 0, sizeof(*out));
	/* The readout stops at the experiment's end: an exposure counts once
	 * its 7-day window is over by then. */
	int64_t end = ((int64_t)w->exp_end + 1) * 86400;
	double effect = 0;
	for (size_t i = 0; i < w->n_accounts; i++) {
		const okra_demo_account *a = &w->accounts[i];
		if (a->variant == OKRA_DEMO_UNEXPOSED)
			continue;
		bool mature = a->created + 7 * 86400 <= end;
		if (a->variant == OKRA_DEMO_BOTH) {
			/* Excluded when the second exposure is inside the
			 * experiment too; else a unit of its first arm. */
			if (okra__demo_day(okra__demo_second_exposure(a, i)) <=
			    w->exp_end)
				out->n_both++;
			else
				out->immature += !mature;
			continue;
		}
		if (!mature) {
			out->immature++;
			continue;
		}
		int k = a->variant == OKRA_DEMO_TREATMENT;
		out->n[k]++;
		out->completed[k] += completes_onboarding(w, i);
		effect += (double)completes_as(w, i, OKRA_DEMO_TREATMENT) -
		          (double)completes_as(w, i, OKRA_DEMO_CONTROL);
	}
	size_t units = out->n[0] + out->n[1];
	out->planted = units ? effect / (double)units : 0;
}
