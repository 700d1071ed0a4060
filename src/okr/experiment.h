/*
 * experiment.h - experiment readouts (SPEC 14): the statistics on summary
 * statistics (okr/exp_stats.c, pure functions, unit-tested on published
 * cases of GrowthBook's engine) and the readout of one experiment from
 * the data and the state database (okr/experiment.c).
 *
 * Every double is NaN when undefined (null in JSON).  Renderers
 * (render/experiment.c, render/html.c) read a readout and compute
 * nothing.
 */
#ifndef OKRA_OKR_EXPERIMENT_H
#define OKRA_OKR_EXPERIMENT_H

#include "okra_int.h"

/* ======================================================================
 * Statistics (exp_stats.c)
 * ====================================================================== */

/* The 97.5% quantile of the standard normal: intervals are 95%. */
#define OKRA_EXP_Z 1.959963984540054

/* One arm as sample moments (sample variances and covariances divide by
 * n - 1).  y is the outcome (a ratio metric's numerator), x the
 * pre-exposure covariate (CUPED), d a ratio metric's denominator. */
typedef struct okra_exp_arm {
	double n;
	double my, vy; /* mean and variance of y */
	double mx, vx, cxy;
	double md, vd, cyd;
} okra_exp_arm;

/* The moments of an arm from its sums (n, Σy, Σy², Σx, Σx², Σxy), as
 * GrowthBook's summary statistics give them. */
void okra__exp_arm_from_sums(double n, double sy, double syy, double sx,
                             double sxx, double sxy, okra_exp_arm *out);

/* A variant against the control. */
typedef struct okra_exp_cmp {
	double lift, lift_low, lift_high; /* absolute, 95% interval */
	double lift_rel, lift_rel_low, lift_rel_high;
	double p;     /* two-sided, of the absolute lift */
	double power; /* for the minimum detectable effect; NaN without */
	double se;    /* of the absolute lift */
	double df;    /* Welch-Satterthwaite; INFINITY: normal */
} okra_exp_cmp;

/* Proportions (my = conversions / n): normal interval and p, delta-method
 * relative interval.  mde: absolute, NaN when none. */
void okra__exp_proportions(const okra_exp_arm *c, const okra_exp_arm *t,
                           double mde, okra_exp_cmp *out);
/* Means: Welch's t test. */
void okra__exp_means(const okra_exp_arm *c, const okra_exp_arm *t, double mde,
                     okra_exp_cmp *out);
/* Ratios of means (my / md) by the delta method, normal. */
void okra__exp_ratios(const okra_exp_arm *c, const okra_exp_arm *t, double mde,
                      okra_exp_cmp *out);
/* theta = Cov(X, Y) / Var(X) over the pooled arms and the variance
 * reduction 1 - Var(Y') / Var(Y); false when Var(X) is 0 (or undefined). */
bool okra__exp_cuped_theta(const okra_exp_arm *arms, size_t n, double *theta,
                           double *variance_reduction);
/* Welch on Y' = Y - theta (X - mean X); the relative lift against the raw
 * control mean. */
void okra__exp_cuped(const okra_exp_arm *c, const okra_exp_arm *t, double theta,
                     double mde, okra_exp_cmp *out);
/* Sample ratio mismatch: chi-square of n[i] against weights w[i] (any
 * positive scale); NaN with fewer than 2 arms or no units. */
void okra__exp_srm(const double *n, const double *w, size_t k, double *chi2,
                   double *p);
/* Phi(|mde| / se - z): the chance to detect mde. */
double okra__exp_power(double mde, double se);

typedef enum okra_exp_kind {
	OKRA_EXP_PROPORTION = 0, /* a share of units: 0/1 per unit */
	OKRA_EXP_MEAN,           /* a number per unit: Welch */
	OKRA_EXP_RATIO,          /* a ratio of two sums: delta method */
} okra_exp_kind;

/* One arm's own value (rate, mean or ratio) with its 95% interval: normal
 * for proportions (clamped to 0 .. 1) and ratios (delta method), t with
 * n - 1 degrees of freedom for means; NaN with fewer than 2 units. */
void okra__exp_interval(okra_exp_kind kind, const okra_exp_arm *a, double *low,
                        double *high);

typedef enum okra_exp_decision {
	OKRA_EXP_KEEP_RUNNING = 0,
	OKRA_EXP_SHIP,
	OKRA_EXP_STOP,
	OKRA_EXP_ITERATE,
	OKRA_EXP_INVALID,
	OKRA_EXP_DECISION_COUNT
} okra_exp_decision;

/* "keep_running", "ship", "stop", "iterate", "invalid". */
extern const char *const okra__exp_decision_names[OKRA_EXP_DECISION_COUNT];

typedef struct okra_exp_decide_in {
	bool srm_flagged;
	bool is_final;    /* D is the experiment's end */
	double lift, p;   /* the raw comparison of the first variant */
	double power;     /* NaN: unknown */
	bool metric_down; /* the metric's direction is down */
	bool guardrail_worse;
} okra_exp_decide_in;

/* The decision of SPEC 14 and why, in a few words (a static string). */
okra_exp_decision okra__exp_decide(const okra_exp_decide_in *in,
                                   const char **reason);

/* ======================================================================
 * The readout (experiment.c)
 * ====================================================================== */

typedef enum okra_exp_status {
	OKRA_EXP_NOT_STARTED = 0,
	OKRA_EXP_RUNNING,
	OKRA_EXP_ENDED
} okra_exp_status;

typedef struct okra_exp_variant {
	const char *name;
	double weight;      /* its share of the split (sums to 1) */
	size_t assigned;    /* units exposed to it (for SRM) */
	size_t entities;    /* mature units in the comparison */
	double conversions; /* proportions: units that converted; else NaN */
	double value;       /* rate, mean or ratio */
	double sd;          /* means: sample standard deviation; else NaN */
	double low, high;   /* 95% interval of the value */
} okra_exp_variant;

typedef struct okra_exp_guardrail {
	const okra_metric *metric;
	const char *variant;
	double control_value, value;
	okra_exp_cmp cmp;
	bool worse; /* p < 0.05 against the metric's direction */
} okra_exp_guardrail;

typedef struct okra_exp_readout {
	const okra_experiment *x;
	const okra_metric *metric; /* the primary metric */
	const okra_key_result *kr; /* NULL when unresolved */
	okra_exp_kind kind;
	okra_entity entity;     /* what the units are */
	int32_t asof, last_day; /* D = min(asof, end) */
	okra_exp_status status;
	int days_left; /* running with an end; else -1 */
	size_t excluded_multi, immature, no_variant;
	okra_exp_variant *variants; /* the control first */
	size_t n_variants;
	okra_exp_cmp *cmp; /* per variant 1..: [v - 1] */
	size_t n_cmp;
	bool has_cuped;
	double theta, variance_reduction;
	okra_exp_cmp *cuped;  /* n_cmp, when has_cuped */
	const char *no_cuped; /* why not, when !has_cuped */
	double srm_chi2, srm_p;
	bool srm_flagged;
	okra_exp_guardrail *guardrails; /* by guardrail, then variant */
	size_t n_guardrails;
	size_t n_tests;
	okra_exp_decision decision;
	const char *reason;
	/* The team's latest decision recorded on or before asof (any date
	 * when asof is at or past the data's last day). */
	bool has_recorded;
	int32_t recorded_day;
	const char *recorded;          /* "ship", "stop", "iterate", ... */
	const char *recorded_note;     /* NULL when none */
	const char *recorded_computed; /* okra's decision then; NULL */
} okra_exp_readout;

typedef struct okra_state okra_state;

/* Reads experiment x out as of asof over the data of e, with the latest
 * decision recorded in st (may be NULL).  Everything in a.  Errors: a
 * metric that cannot be measured per unit from an exposure (CONFIG, at
 * its reference), variants the split does not name (CONFIG), more than
 * OKRA_MAX_EXPERIMENT_VARIANTS variants (DATA). */
okra_rc okra__exp_readout(okra_engine *e, okra_state *st,
                          const okra_experiment *x, int32_t asof, okra_arena *a,
                          okra_exp_readout **out, okra_err *err);

/* Records the team's decision (ship, stop or iterate) on x in st with the
 * decision the readout computes as of day (-1: today, read out as of the
 * last day with data) beside it; *computed (may be NULL) receives that
 * (a static string).  okra__exp_record_check: the argument checks alone,
 * usage errors. */
okra_rc okra__exp_record(okra_engine *e, okra_state *st,
                         const okra_experiment *x, const char *decision,
                         int32_t day, const char *note, const char **computed,
                         okra_err *err);
okra_rc okra__exp_record_check(const char *decision, int32_t day,
                               const char *note, okra_err *err);

/* The experiment of ws named id; a usage error with the nearest id. */
okra_rc okra__exp_find(const okra_workspace *ws, const char *id,
                       const okra_experiment **out, okra_err *err);

/* The phrase a sentence names the metric by: its title without a
 * trailing parenthesis, lowercased ("onboarding completion"). */
const char *okra__exp_metric_phrase(okra_arena *a, const okra_metric *m);

/* ---- the weekly review's "what did we learn" ---- */

/* An experiment on a reviewed key result that ran or ended since the last
 * review (every one that started, without a previous review). */
typedef struct okra_exp_learned {
	const okra_experiment *x;
	const struct okra_kr_eval *k; /* the key result in the review */
	okra_exp_readout *r;          /* NULL when it cannot be read out */
	const char *error;            /* why not, then */
	/* The key result's forecast if the first variant ships (decision
	 * ship, the experiment's metric is the key result's, no segment
	 * pin): the band moved by lift x the share of the population not
	 * yet treated at the quarter's end. */
	bool has_ship;
	double ship_shift, ship_share_untreated;
	double ship_value, ship_lo, ship_hi; /* at the quarter's end */
	size_t n_band;
	int32_t *band_days; /* the forecast's band days */
	double *band_mid, *band_lo, *band_hi;
} okra_exp_learned;

struct okra_review;
/* review/experiments.c: fills r->learned (in r's arena) as of r->asof:
 * the readouts of the experiments on r's key results that ran since the
 * previous review, with their ship bands.  An experiment that cannot be read
 * out keeps its error message; the review goes on. */
okra_rc okra__exp_review(okra_engine *e, okra_state *st, struct okra_review *r,
                         okra_err *err);

/* ---- the public handles (okra.h) ---- */

struct okra_experiment_readout {
	okra_arena arena;
	const okra_workspace *ws;
	okra_exp_readout *r;
};

struct okra_experiment_list {
	okra_arena arena;
	const okra_workspace *ws;
	int32_t asof;
	okra_exp_readout **items;
	size_t n;
};

#endif
