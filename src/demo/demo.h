/*
 * demo.h - the synthetic SaaS company behind `okra demo` (internal to
 * src/demo).
 *
 * world.c draws the population (accounts, users, their fates) from the seed
 * and computes what the key results will read; generate.c streams the CSV
 * tables through output.c; workspace.c and metrics.c write the YAML;
 * demo.c puts the files in place.
 * Every random draw comes from a counter-based generator keyed by (seed,
 * purpose, entity, day), so any entity-day can be regenerated on demand and
 * the output never depends on the order of the work.
 */
#ifndef OKRA_DEMO_H
#define OKRA_DEMO_H

#include "okra_int.h"

#include <pthread.h>

/* ---- random numbers: splitmix64, keyed ------------------------------- */

typedef struct okra_demo_rng {
	uint64_t s;
} okra_demo_rng;

static inline uint64_t okra__demo_mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A stream for one (purpose, entity, day): independent of every other. */
static inline okra_demo_rng okra__demo_rng(uint64_t seed, uint64_t purpose,
                                           uint64_t entity, uint64_t day)
{
	uint64_t k =
	    okra__demo_mix(seed + 0x9e3779b97f4a7c15ull * (purpose + 1));
	k = okra__demo_mix(k ^ (entity * 0xd1b54a32d192ed03ull));
	k = okra__demo_mix(k ^ (day * 0x8cb92ba72f3d8dd7ull));
	return (okra_demo_rng){k};
}

static inline uint64_t okra__demo_next(okra_demo_rng *r)
{
	r->s += 0x9e3779b97f4a7c15ull;
	return okra__demo_mix(r->s);
}

/* Uniform in [0, 1). */
static inline double okra__demo_unit(okra_demo_rng *r)
{
	return (double)(okra__demo_next(r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n). */
static inline uint32_t okra__demo_below(okra_demo_rng *r, uint32_t n)
{
	return (uint32_t)(((okra__demo_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* ---- the population -------------------------------------------------- */

enum {
	OKRA_DEMO_TIER_NONE = 0,
	OKRA_DEMO_FREE,
	OKRA_DEMO_PRO,
	OKRA_DEMO_ENTERPRISE
};
enum { OKRA_DEMO_NA = 0, OKRA_DEMO_EU, OKRA_DEMO_APAC };
enum {
	OKRA_DEMO_OWNER = 0,
	OKRA_DEMO_ADMIN,
	OKRA_DEMO_MEMBER,
	OKRA_DEMO_VIEWER
};
/* Experiment variant of an account: not exposed, control, treatment, or
 * exposed to both (excluded by the readout). */
enum {
	OKRA_DEMO_UNEXPOSED = 0,
	OKRA_DEMO_CONTROL,
	OKRA_DEMO_TREATMENT,
	OKRA_DEMO_BOTH
};

/* The progress indicator makes each of onboarding steps 4 to 6 this much
 * likelier (the experiment's planted effect). */
#define OKRA_DEMO_TREATMENT_LIFT 0.08

/* The planted bottleneck: accounts that connect an integration within 14
 * days of signup use the product this many times as much (okra diagnose
 * must name integrations_connected_14d). */
#define OKRA_DEMO_INTEGRATION_BOOST 2.2

/* The outage: the EU region's activity drops to this share of the usual
 * on the outage day, the other regions' (a service they share) to the
 * second (okra anomalies must name region=eu). */
#define OKRA_DEMO_OUTAGE_EU    0.05
#define OKRA_DEMO_OUTAGE_OTHER 0.75

#define OKRA_DEMO_NEVER64     INT64_MAX
#define OKRA_DEMO_NEVER32     INT32_MAX
#define OKRA_DEMO_STEPS       6   /* onboarding_step_1 .. onboarding_step_6 */
#define OKRA_DEMO_DAYS        365 /* days of events, ending at the end date */
#define OKRA_DEMO_HOUR_WEIGHT 182 /* the sum of the hourly weights */

typedef struct okra_demo_account {
	int64_t created;      /* Unix seconds; the owner's signup */
	int64_t first_report; /* first report_created; NEVER64 when never */
	int64_t extra_invite; /* an invite nobody accepted; NEVER64 when none */
	int64_t integration;  /* integration_connected; NEVER64 when never */
	int32_t churn_day;    /* first day without activity; NEVER32 = never */
	int32_t react_day;    /* back from churn on this day; NEVER32 = never */
	uint32_t first_user;  /* users are contiguous, in signup order */
	uint32_t n_users;
	float eng; /* base daily activity probability of its users */
	uint8_t tier, region, seats, variant;
	uint8_t reached; /* onboarding steps reached, 0 .. 6 */
	uint8_t trial;   /* pays from the month after signup */
} okra_demo_account;

typedef struct okra_demo_user {
	int64_t created; /* Unix seconds of signup; may lie past the end */
	uint32_t account;
	uint32_t invite_delay; /* seconds from the invite to the signup */
	float factor;          /* multiplies the account's activity */
	uint8_t role;
} okra_demo_user;

typedef struct okra_demo_world {
	uint64_t seed;
	uint64_t events_wanted;
	bool wide;       /* the wide shape: many small accounts (okra.h) */
	double activity; /* multiplies every non-signup day's activity */
	int32_t first_day, last_day; /* of events, inclusive */
	int32_t outage_day;          /* the anomaly: the EU region is down */
	int32_t exp_start, exp_end;  /* progress_indicator experiment */
	int32_t templates_day;       /* report templates ship: activation up */
	okra_quarter quarter;        /* the fiscal quarter of the end date */
	okra_demo_account *accounts; /* sorted by created */
	size_t n_accounts;
	okra_demo_user *users;     /* grouped by account */
	size_t n_users;            /* planned; some sign up after the end */
	size_t n_users_written;    /* signed up by the end: users.csv rows */
	size_t n_deleted;          /* accounts in events, not in accounts.csv */
	float *day_factor;         /* weekday, per day of events */
	double viewed_per_session; /* report_viewed per session: fits N */
	double expected_events;
	uint64_t n_events;                         /* written */
	int account_width, user_width;             /* digits in ids */
	uint8_t hour_of[3][OKRA_DEMO_HOUR_WEIGHT]; /* UTC hour by region */
} okra_demo_world;

static inline int32_t okra__demo_day(int64_t t)
{
	return (int32_t)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}

static inline bool okra__demo_activated(const okra_demo_account *a)
{
	return a->first_report != OKRA_DEMO_NEVER64 &&
	       a->first_report - a->created < 14 * 86400;
}

/* Draws the population for about `events` events ending on end_day, in
 * the demo's shape or (wide) the wide one. */
okra_rc okra__demo_world_init(okra_demo_world *w, uint64_t events,
                              uint64_t seed, int32_t end_day, bool wide,
                              okra_err *err);
void okra__demo_world_free(okra_demo_world *w);

/* A second of the day in the business hours of region (UTC). */
uint32_t okra__demo_second_of_day(const okra_demo_world *w, okra_demo_rng *r,
                                  int region);
/* Probability that user u has a session on day (1 on its signup day). */
double okra__demo_p_active(const okra_demo_world *w, const okra_demo_account *a,
                           const okra_demo_user *u, int32_t day);
/* Does user j have sessions on day?  The draw generate.c makes; on true,
 * *r continues the user's stream for that day. */
bool okra__demo_session_day(const okra_demo_world *w, size_t j, int32_t day,
                            okra_demo_rng *r);
/* Probability of a support ticket on a day the user is active. */
double okra__demo_p_ticket(const okra_demo_world *w, const okra_demo_account *a,
                           int32_t day);
/* The onboarding_step_1..6 times of account i (NEVER64 when not reached),
 * in step order; a few are equal or out of order on purpose. */
void okra__demo_onboarding(const okra_demo_world *w, size_t i,
                           int64_t steps[OKRA_DEMO_STEPS]);

/* ---- what the key results will read (world.c) ------------------------- */

/* A metric value as of a day; is_null when its population is empty. */
typedef struct okra_demo_value {
	double value;
	bool is_null;
} okra_demo_value;

typedef enum okra_demo_kr_metric {
	OKRA_DEMO_M_ONBOARDING = 0,   /* onboarding_completion_rate (exact) */
	OKRA_DEMO_M_ACTIVATION,       /* activation_rate (exact) */
	OKRA_DEMO_M_TIME_TO_REPORT,   /* time_to_first_report, median (exact) */
	OKRA_DEMO_M_INVITES_PRO,      /* invite_rate_14d, tier pro (exact) */
	OKRA_DEMO_M_WEEK4_RETENTION,  /* retention_week_4 (exact) */
	OKRA_DEMO_M_COLLABORATING,    /* collaborating_accounts (exact) */
	OKRA_DEMO_M_HABITUAL,         /* habitual_accounts (exact) */
	OKRA_DEMO_M_TICKETS_PER_ACCT, /* support_tickets_per_account (expected)
	                               */
	OKRA_DEMO_M_ENGAGED,          /* weekly_engaged_accounts (days with
	                                 sessions only: a lower bound) */
	OKRA_DEMO_M_COUNT
} okra_demo_kr_metric;

/* Exact where the metric reads only fates fixed at signup or session days
 * (each is one keyed draw, replayed here); tickets are an expectation. */
okra_demo_value okra__demo_expect(const okra_demo_world *w,
                                  okra_demo_kr_metric m, int32_t day);

/* The experiment's exact readout as of its end: per arm (0 control, 1
 * treatment) the accounts whose 7-day window is over by the end and those
 * of them that complete onboarding; the accounts excluded for seeing both
 * arms and those left out as immature; and the planted effect, the mean
 * over the compared accounts of completing as treatment minus completing
 * as control (each account replayed in both arms). */
typedef struct okra_demo_readout {
	size_t n[2], completed[2];
	size_t n_both, immature;
	double planted;
} okra_demo_readout;
void okra__demo_experiment(const okra_demo_world *w, okra_demo_readout *out);

/* When an account exposed to both arms sees its second arm (Unix
 * seconds): 2 to 50 hours after signup. */
static inline int64_t okra__demo_second_exposure(const okra_demo_account *a,
                                                 size_t i)
{
	return a->created + 7200 + (int64_t)(i % 97) * 1800;
}

/* ---- output ---------------------------------------------------------- */

/* A file written beside its final name, through a buffer; the events
 * table hands full buffers to a writer thread (output.c). */
#define OKRA_DEMO_BUFFERS 4
typedef struct okra_demo_file {
	char path[4096]; /* final path */
	char tmp[4200];  /* temporary path, renamed at the end */
	int fd;          /* -1 when closed */
	char *buf;       /* the buffer being filled: bufs[current] */
	size_t len, cap;
	bool failed; /* sticky; error holds the errno */
	int error;
	uint64_t bytes; /* handed to write() so far */
	/* writer thread */
	bool threaded, stop;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	char *bufs[OKRA_DEMO_BUFFERS];
	size_t lens[OKRA_DEMO_BUFFERS];
	int current, queue[OKRA_DEMO_BUFFERS], head, n_queued;
	int free_list[OKRA_DEMO_BUFFERS], n_free;
	int werr; /* the writer's first errno */
} okra_demo_file;

/* Creates the temporary file (fd must be -1 and the rest zero before). */
okra_rc okra__demo_file_open(okra_demo_file *f, const char *dir,
                             const char *rel, size_t cap, bool threaded,
                             okra_err *err);
void okra__demo_put(okra_demo_file *f, const char *s, size_t len);
/* Hands the buffer to write(); f->buf may change. */
void okra__demo_flush(okra_demo_file *f);
/* Writes the rest, optionally fsyncs, closes; the name stays temporary. */
okra_rc okra__demo_file_close(okra_demo_file *f, bool sync, okra_err *err);
/* Releases everything (after an error); does not unlink. */
void okra__demo_file_free(okra_demo_file *f);

typedef struct okra_demo_progress {
	bool enabled;
	double started, last_draw; /* monotonic seconds */
} okra_demo_progress;

double okra__demo_now(void);

/* Stream the tables (generate.c). */
void okra__demo_write_accounts(const okra_demo_world *w, okra_demo_file *f);
void okra__demo_write_users(okra_demo_world *w, okra_demo_file *f);
void okra__demo_write_revenue(const okra_demo_world *w, okra_demo_file *f);
okra_rc okra__demo_write_events(okra_demo_world *w, okra_demo_file *f,
                                okra_demo_progress *progress, okra_err *err);

/* The YAML files (workspace.c): 0 okra.yaml, 1 metrics.yaml, 2 the
 * quarter's OKRs, 3 trees.yaml, 4 experiments.yaml.  out[i] receives the
 * text of file i; its path below the workspace comes from yaml_path. */
#define OKRA_DEMO_YAML_FILES 5
#define OKRA_DEMO_FILES      (OKRA_DEMO_YAML_FILES + 4) /* and the 4 tables */
void okra__demo_yaml_path(const okra_demo_world *w, int i, char *out,
                          size_t cap);
void okra__demo_workspace(const okra_demo_world *w,
                          okra_buf out[OKRA_DEMO_YAML_FILES]);
/* metrics.yaml (metrics.c). */
void okra__demo_metrics_yaml(const okra_demo_world *w, okra_buf *b);

#endif
