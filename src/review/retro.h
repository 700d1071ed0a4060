/*
 * retro.h - the quarterly retrospective of the OKR design (okra retro):
 * review/retro.c computes it from the review as of the quarter's last day
 * with data, the stored review snapshots, the experiments and their
 * recorded decisions; render/retro.c writes it as markdown or HTML and
 * computes nothing.  NaN is null.
 */
#ifndef OKRA_RETRO_H
#define OKRA_RETRO_H

#include "okr/experiment.h"
#include "review/review.h"

/* Did a key result's metric move over the quarter? */
typedef enum okra_retro_moved {
	OKRA_RETRO_MOVED_UNKNOWN = 0, /* no data, a milestone or a stay */
	OKRA_RETRO_MOVED,             /* at least half way to the target */
	OKRA_RETRO_FLAT,              /* less than a quarter of the way */
	OKRA_RETRO_SOME,              /* in between */
} okra_retro_moved;

/* Progress that counts as moved (at least) and as flat (below). */
#define OKRA_RETRO_MOVED_PROGRESS 0.5
#define OKRA_RETRO_FLAT_PROGRESS  0.25

typedef struct okra_retro_kr {
	const okra_kr_eval *k;
	bool calibrated; /* moves a metric to a target, with data: counts in
	                    the calibration */
	bool hit;        /* reached its target by the quarter's end */
	okra_retro_moved moved;
	size_t n_hypotheses, n_placeholders, n_tested; /* tested: an
	                                                  experiment started */
	size_t n_experiments, n_shipped; /* experiments on it that started;
	                                    shipped by the team's decision,
	                                    else okra's readout */
	/* One sentence when the metric and the experiments disagree (the
	 * metric moved while no experiment shipped, or the reverse); NULL. */
	const char *mismatch;
	/* The last stored review in the quarter: its score and light. */
	bool has_snapshot;
	double snap_score;
	const char *snap_status;
} okra_retro_kr;

typedef struct okra_retro_exp {
	const okra_experiment *x;
	const okra_retro_kr *kr;
	okra_exp_readout *r; /* NULL when it cannot be read out */
	const char *error;   /* why not, then */
	bool started;
	const char *decision; /* the team's recorded decision, else okra's
	                         ("keep_running", "ship", ...) */
	bool recorded;
} okra_retro_exp;

/* A rule a person switched off: okra.yaml lint.disable or an objective's
 * or key result's lint_ignore in the quarter. */
typedef struct okra_retro_waiver {
	const char *rule;
	const char *scope; /* "okra.yaml", "objective X", "key result Y" */
	okra_pos pos;
} okra_retro_waiver;

struct okra_retro {
	okra_review *review; /* owned: as of asof, lint included */
	okra_quarter q;
	int32_t asof;      /* min(the quarter's last day, the data's) */
	bool quarter_over; /* asof is the quarter's last day */
	const okra_obj_eval **objectives; /* of the quarter */
	size_t n_objectives;
	okra_retro_kr *krs; /* of those objectives, in order */
	size_t n_krs;
	/* Calibration: key results that hit their target among those that
	 * move a metric to a target; targets are set to be hit 7 times in
	 * 10.  p_below / p_above: the binomial chance of a hit count this
	 * low / this high if the chance were 0.7 (NaN without targets). */
	size_t n_calibrated, n_hit;
	double p_below, p_above;
	/* Stored reviews (okra review --save) dated in the quarter. */
	size_t n_reviews;
	int32_t first_review, last_review; /* -1 when none */
	okra_retro_exp *exps;
	size_t n_exps;
	size_t n_hypotheses, n_tested, n_placeholders;
	okra_retro_waiver *waivers;
	size_t n_waivers;
	size_t suppressed_disable, suppressed_ignore; /* findings waived */
	okra_arena arena;
};

/* Chance level under which a hit count is called off the 70% plan. */
#define OKRA_RETRO_CALIBRATION_P 0.1

/* render/retro.c */
void okra__retro_md(const struct okra_retro *t, okra_buf *b);
void okra__retro_html(const struct okra_retro *t, okra_buf *b);

#endif
