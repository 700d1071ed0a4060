/*
 * okr_plan.h - okra plan: next quarter's OKRs drafted from the data.
 *
 * For each team, the metrics to move (the diagnostic's bottlenecks among
 * the metrics the team owns, then its other leading indicators), each
 * with its baseline measured on the as-of day and a calibrated target:
 * the trend's projection to the quarter's end plus the excess of the
 * metric's better quarters (see okra_calibration).  review/okr_plan.c
 * computes; render/okr_plan.c writes the drafts and the explanations.
 * NaN is null everywhere.
 */
#ifndef OKRA_OKR_PLAN_H
#define OKRA_OKR_PLAN_H

#include "okra_int.h"

#define OKRA_PLAN_TREND_WEEKS   13  /* weekly values behind the trend */
#define OKRA_PLAN_HISTORY_WEEKS 104 /* weeks of history read for changes */
#define OKRA_PLAN_MIN_CHANGES   4   /* changes needed to calibrate */
#define OKRA_PLAN_MAX_KRS       3   /* key results drafted per team */
#define OKRA_PLAN_WARMUP_DAYS   91  /* the first days of data left out */

/* The numbers behind a calibrated target.  "Favourable" changes are
 * signed so that positive is the metric's good direction. */
typedef struct okra_calibration {
	const okra_metric *metric;
	bool is_count;
	bool decreasing; /* the metric's direction is down */
	int32_t asof, q1;
	double baseline; /* the metric on the as-of day */
	/* The trend: least squares through the last weekly values up to the
	 * as-of day, projected to q1, with its 80% prediction interval. */
	size_t n_trend;
	double slope_week, trend, trend_lo, trend_hi;
	/* The rolling changes of the history over the draft's horizon (the
	 * whole weeks from the as-of day to q1, at least one),
	 * favourable-signed: the trend and the changes span the same time. */
	size_t horizon_weeks;
	size_t n_changes;
	double changes[OKRA_PLAN_HISTORY_WEEKS + 1]; /* sorted */
	int32_t history_first; /* the first day of the history read */
	double change_median, change_p65, change_max;
	/* trend + (65th percentile - median) of the changes: reached 7
	 * times in 10 when the quarter goes like the better half of the
	 * metric's past quarters; without enough history, the edge of the
	 * trend's 80% interval (is_calibrated false).  Rounded the way the
	 * draft writes it, never back toward the trend. */
	double target;
	bool is_calibrated;
	bool reverses_trend; /* the trend heads the wrong way: the target is
	                        the excess counted from the baseline */
	bool at_limit;       /* the model ran past the metric's domain (a
	                        share past 100%): the target is the limit,
	                        and no chance can be claimed for it */
	double bet;          /* baseline + the largest favourable change */
	double step;         /* the precision the draft writes values with */
} okra_calibration;

/* The chance, under the calibration's model, of reaching value: the
 * share of the better half of the changes (those at or above their
 * median) whose excess over the median carries the trend to it.  NaN
 * when not calibrated. */
double okra__calibration_chance(const okra_calibration *c, double value);

typedef struct okra_plan_kr {
	const char *id; /* <metric>_<year>q<n> */
	okra_calibration cal;
	/* From the diagnostic, when the metric is a candidate. */
	bool is_candidate, is_bottleneck;
	double benchmark, gap, lift, lift_low, lift_high, score;
} okra_plan_kr;

typedef struct okra_plan_team {
	const okra_team *team;
	const char *path;         /* okrs/<quarter>-<team>.draft.yaml */
	const char *objective_id; /* <team>_<year>_q<n> */
	/* An objective of the team for the quarter outside the draft: the
	 * team is planned already, and no draft is written. */
	const okra_objective *existing;
	okra_plan_kr *krs;
	size_t n_krs;
	/* The metrics the team's type calls for that the workspace lacks. */
	const char **missing;
	size_t n_missing;
	const char *text; /* the draft file (NULL when existing) */
} okra_plan_team;

struct okra_quarter_plan {
	const okra_workspace *ws;
	okra_quarter quarter;
	char quarter_text[16];
	int32_t asof;
	const char *bottleneck; /* the diagnostic's, NULL when none */
	const char *sentence;   /* its sentence */
	okra_plan_team *teams;
	size_t n_teams;
	okra_arena arena;
};

/* ---- team types -------------------------------------------------------- */

/* A metric a team type calls for. */
typedef struct okra_type_metric {
	const char *id;
	const char *title;
} okra_type_metric;

/* The metrics of type (NULL-id terminated). */
const okra_type_metric *okra__team_type_metrics(okra_team_type type);
extern const char *const okra__team_type_names[4];

/* ---- render/okr_plan.c ------------------------------------------------- */

/* The draft file of t (the text after the first line: the marker line
 * is added by the writer with the hash of this text). */
const char *okra__plan_draft(okra_arena *a, const okra_quarter_plan *p,
                             const okra_plan_team *t);
/* The numbers behind the calibrated target of key result kr, whose
 * target (NaN when none) is compared with them. */
void okra__plan_explain_text(okra_buf *b, const okra_key_result *kr,
                             const okra_calibration *c, double target);
/* The summary of a plan: one block per team. */
void okra__plan_summary(okra_buf *b, const okra_quarter_plan *p);

#endif
