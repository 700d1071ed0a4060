/*
 * review.h - key results that evaluate themselves, and the weekly review
 * built from them (SPEC 4 and 6).
 *
 * okra__review_build evaluates every key result as of one day from the
 * engine (current value with the KR's segment pin, baseline, expected-now
 * on the linear trajectory, progress, gap, light, score, forecast), the
 * objective scores, the balanced dashboard and the suggestions.  The
 * renderers (text, markdown, JSON and HTML: render/review.h) only read
 * the result: they compute nothing, and review/ never calls them.
 *
 * Every double is NaN when the value is undefined (null in JSON).
 */
#ifndef OKRA_REVIEW_H
#define OKRA_REVIEW_H

#include "okra_int.h"

typedef enum okra_light {
	OKRA_LIGHT_NO_DATA = 0,
	OKRA_LIGHT_GREEN,
	OKRA_LIGHT_YELLOW,
	OKRA_LIGHT_RED,
	OKRA_LIGHT_DONE,
	OKRA_LIGHT_OPEN, /* a milestone not done and not overdue */
	OKRA_LIGHT_COUNT
} okra_light;

/* "no data", "green", "yellow", "red", "done", "open". */
extern const char *const okra__light_names[OKRA_LIGHT_COUNT];

/* Where the forecast says a key result ends, from P(hit): on track at
 * 0.7 or more, at risk from 0.3, off track below; none under 3 points. */
typedef enum okra_outlook {
	OKRA_OUTLOOK_NONE = 0,
	OKRA_OUTLOOK_ON_TRACK,
	OKRA_OUTLOOK_AT_RISK,
	OKRA_OUTLOOK_OFF_TRACK,
} okra_outlook;

/* NULL (none), "on_track", "at_risk", "off_track". */
extern const char *const okra__outlook_names[4];

/* The one trend of a key result (SPEC 4): least squares through the
 * weekly values since the quarter began when there are at least 3, else
 * through the last 13 weekly values before it; projected to the quarter's
 * last day.  The forecast, the outlook, the data-aware lint rules and the
 * suggestions all read this one line. */
typedef struct okra_forecast {
	bool ok;           /* at least 3 weekly points */
	bool from_history; /* fitted on the 13 weeks before the quarter */
	size_t n_points;
	double slope;  /* per day */
	double value;  /* the line at the quarter's last day */
	double lo, hi; /* 80% prediction interval there, clamped to the
	                  metric's domain (shares 0..1; counts, hours and
	                  currency >= 0) like value and the band */
	double prob;   /* P(reaching the target) under the interval's
	                  t distribution; for a decreasing KR, of
	                  ending at or below it */
	/* The band for charts: the line and its 80% interval at each week end
	 * from the last actual point to the quarter's last day. */
	size_t n_band;
	int32_t *band_days;
	double *band_mid, *band_lo, *band_hi;
} okra_forecast;

#define OKRA_SPARK_POINTS 8

typedef struct okra_kr_eval {
	const okra_key_result *kr;
	const okra_metric *metric; /* NULL: milestone or unbound */
	const char *pin;           /* "tier=enterprise" or NULL */
	int32_t q0, q1;            /* the objective's quarter */
	/* The day the key result is graded at: min(as-of, q1, the last day
	 * with data), never a day without data; provisional when the
	 * quarter is over but its data is not complete. */
	int32_t value_date;
	bool provisional;
	/* A milestone: its due date and the day it was marked done (-1 for
	 * none, or marked open again since). */
	int32_t due, done_on;
	double elapsed; /* e in [0, 1] */
	double current, baseline, target, expected, progress, gap, score;
	bool baseline_auto; /* baseline is the metric as of q0 - 1 */
	bool stretch_set;
	double stretch;
	okra_light light;
	bool decreasing; /* target < baseline (or stay_below) */
	/* Weekly values: the end of each week from q0 on, the last point being
	 * min(asof, q1) itself. */
	size_t n_weeks;
	int32_t *week_days;
	double *week_values;
	/* The last OKRA_SPARK_POINTS weekly values up to asof (may start before
	 * the quarter), oldest first. */
	size_t n_spark;
	int32_t spark_days[OKRA_SPARK_POINTS];
	double spark[OKRA_SPARK_POINTS];
	okra_forecast forecast;
	okra_outlook outlook;
	/* The light and the outlook disagree (green but off track, red but
	 * on track): the pace so far and the pace the trajectory needs, per
	 * week, say why. */
	bool disagrees;
	double pace, pace_needed;
	const char *why; /* the one line that says why, when they disagree */
	bool is_count;   /* the metric's values are counts */
	/* For the data-aware lint rules: the largest change between quarter
	 * ends before the quarter (NaN when unknown). */
	double max_quarter_change;
	size_t n_quarter_changes;
	/* The previous stored review (okra.db), when there is one. */
	bool has_prev;
	int32_t prev_asof;
	double prev_value, prev_score;
	okra_light prev_light;
	/* The latest confidence check-in (0..10), -1 when none. */
	int confidence;
	int32_t confidence_day;
	const char *confidence_note;
	/* The history of confidence check-ins, ascending. */
	size_t n_confidence;
	int32_t *confidence_days;
	int *confidence_values;
} okra_kr_eval;

typedef struct okra_obj_eval {
	const okra_objective *obj;
	okra_kr_eval *krs; /* into review->krs, contiguous */
	size_t n_krs;
	/* The mean of the KR scores, a KR without data counting 0 (a typo
	 * that empties a KR never raises the score); NaN: no KR. */
	double score;
	size_t n_no_data; /* KRs without data, counted as 0 */
} okra_obj_eval;

/* A row of the balanced dashboard. */
typedef struct okra_dash_row {
	const okra_metric *metric;
	bool is_count;
	double current;
	double target;    /* NaN when no KR or metric target */
	double benchmark; /* the metric's benchmark, NaN when none */
	okra_light light; /* of the KR on this metric, else none */
	size_t n_spark;
	double spark[OKRA_SPARK_POINTS]; /* weekly (leading) or monthly */
} okra_dash_row;

typedef enum okra_suggestion_kind {
	OKRA_SUGGEST_RECOVER = 0, /* a red KR: weeks left, needed per week */
	OKRA_SUGGEST_AHEAD,       /* far ahead: shift effort */
	OKRA_SUGGEST_INPUT_GAP,   /* the candidate furthest below its benchmark,
	                             when no lift makes it the bottleneck */
	OKRA_SUGGEST_STALE_TARGET, /* the metric moved past an unchanged target
	                            */
	OKRA_SUGGEST_LINT,         /* a lint finding (error or warning) */
	OKRA_SUGGEST_BOTTLENECK,   /* okra diagnose's bottleneck, its lift's
	                              interval above 1 */
	OKRA_SUGGEST_ANOMALY,      /* an anomaly of the week: the segment and
	                              the key results that use the metric */
} okra_suggestion_kind;

typedef struct okra_suggestion {
	okra_suggestion_kind kind;
	const char *subject; /* KR or metric id; rule for lint */
	const char *text;    /* one sentence naming its numbers */
} okra_suggestion;

/* "What did we learn": a KR's hypotheses and their experiments. */
typedef struct okra_learning {
	const okra_key_result *kr;
	const char *hypothesis;
	const okra_experiment *experiment; /* NULL: no experiment yet */
} okra_learning;

typedef struct okra_review {
	const okra_workspace *ws;
	int32_t asof;
	int32_t data_last; /* the last day with events, -1 none */
	const char *team;  /* --team filter or NULL */
	bool has_prev;     /* a previous review exists */
	int32_t prev_asof;
	/* The north star: its metric, value and 8-week sparkline. */
	const okra_metric *north_star;
	double ns_current;
	bool ns_is_count;
	size_t ns_n_spark;
	double ns_spark[OKRA_SPARK_POINTS];
	/* The north star's inputs (okra.yaml north_star.inputs) as of asof. */
	okra_dash_row *ns_inputs;
	size_t n_ns_inputs;
	/* Check-ins of manual metrics dated after the as-of day: not in this
	 * review (the latest one's day, to name the --asof that shows them). */
	size_t n_late_checkins;
	int32_t late_checkin_last;
	okra_obj_eval *objectives;
	size_t n_objectives;
	okra_kr_eval *krs;
	size_t n_krs;
	okra_dash_row *leading, *lagging;
	size_t n_leading, n_lagging;
	okra_learning *learnings;
	size_t n_learnings;
	/* The experiments on these key results that ran or ended since the
	 * last review, read out (okr/experiment.h). */
	struct okra_exp_learned *learned;
	size_t n_learned;
	okra_suggestion *suggestions;
	size_t n_suggestions;
	okra_findings *findings; /* lint, with the data-aware rules */
	okra_arena arena;        /* every array and string above */
} okra_review;

/* ---- Arithmetic (kr.c): pure functions, unit-tested on their own ---- */

typedef struct okra_kr_input {
	okra_kr_kind kind;
	double baseline, target, current; /* NaN = unknown */
	int32_t q0, q1, asof;             /* the quarter and the as-of day */
	double yellow_gap, red_gap;       /* okra.yaml thresholds */
	bool metric_down;                 /* the metric's direction is down */
	/* The weekly values since q0 (stay_above / stay_below scores). */
	const int32_t *days;
	const double *values;
	size_t n;
} okra_kr_input;

/* Fills elapsed, expected, progress, gap, light, score and decreasing of
 * out as SPEC 4 says; documented choices where it is silent:
 * - target = baseline: progress and gap are null; done when current is at
 *   or past the target in the metric's direction (score 1), else red (0);
 * - no baseline value (auto without data) or no current: no data;
 * - stay_above/below: expected = target, progress and gap null. */
void okra__kr_assess(const okra_kr_input *in, okra_kr_eval *out);

/* Least squares through (days, v) (NaN skipped; at least 3 points),
 * projected to q1 with its 80% prediction interval and the probability of
 * ending at or past target (at or below it when decreasing).  The band
 * arrays are allocated in a (no band when a is NULL).  False (and
 * out->ok false) with fewer than 3 points. */
bool okra__forecast(const int32_t *days, const double *v, size_t n, int32_t q1,
                    double target, bool decreasing, okra_arena *a,
                    okra_forecast *out);
/* Clamps the forecast's value, interval and band to [lo, hi]. */
void okra__forecast_clamp(okra_forecast *f, double lo, double hi);
/* The outlook of a forecast's probability. */
okra_outlook okra__outlook(const okra_forecast *f);

typedef struct okra_review_options {
	int32_t asof;     /* -1: the last day with events */
	const char *team; /* only this team's objectives; NULL all */
	bool lint;        /* run the data-free lint rules */
	bool lint_data;   /* run the data-aware lint rules */
} okra_review_options;

/* Evaluates every key result (of opt->team) as of opt->asof over the data
 * of e, reads the previous review and confidence check-ins from st (may be
 * NULL), and builds the review.  Free with okra__review_free. */
typedef struct okra_state okra_state;
okra_rc okra__review_build(okra_engine *e, okra_state *st,
                           const okra_review_options *opt, okra_review **out,
                           okra_err *err);
void okra__review_free(okra_review *r);

/* Stores the review's snapshot of every KR in st (one transaction). */
okra_rc okra__review_save(const okra_review *r, okra_state *st, okra_err *err);

#endif
