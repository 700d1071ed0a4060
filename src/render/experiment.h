/*
 * experiment.h - experiment readouts as text and JSON (render/experiment.c),
 * and the pieces the review and the dashboard reuse: the one sentence of
 * a readout and a lift with its interval in the metric's unit.
 *
 * They read an okra_exp_readout (okr/experiment.h) and compute nothing.
 */
#ifndef OKRA_RENDER_EXPERIMENT_H
#define OKRA_RENDER_EXPERIMENT_H

#include "okr/experiment.h"

/* The readout as text: a head, the variant table, CUPED, SRM, what was
 * left out, the guardrails, the number of tests, the sentence and the
 * recorded decision. */
void okra__exp_text(const okra_exp_readout *r, okra_buf *b);
/* The readout as the JSON object of SPEC 14 (with a few more keys). */
void okra__exp_json(const okra_exp_readout *r, okra_buf *b);
/* Every experiment, one line each (status, days left, decision, lift). */
void okra__exp_list_text(const okra_exp_readout *const *items, size_t n,
                         okra_buf *b);
/* {"asof", "experiments": [summary objects]}. */
void okra__exp_list_json(const okra_exp_readout *const *items, size_t n,
                         int32_t asof, okra_buf *b);
/* One experiment of the list as a JSON object (the API's list too). */
void okra__exp_summary_json(const okra_exp_readout *r, okra_buf *b);

/* "treatment lifts onboarding completion by +4.8 pts (+1.9 .. +7.7), p =
 * 0.001, power 0.93: ship" (ASCII minus signs when ascii, else U+2212). */
void okra__exp_sentence(const okra_exp_readout *r, bool ascii, okra_buf *b);
/* A signed change of metric m ("+4.8 pts", "-0.012", "+3.5 h"). */
void okra__exp_delta(const okra_metric *m, double d, bool ascii, okra_buf *b);
/* "+4.8 pts (+1.9 .. +7.7)": a lift with its interval. */
void okra__exp_lift(const okra_metric *m, const okra_exp_cmp *c, bool ascii,
                    okra_buf *b);
/* "p = 0.012", "p < 0.001", "p = -" */
void okra__exp_p(double p, okra_buf *b);
/* "not started", "running, 12 days left", "running", "ended 2026-11-28" */
void okra__exp_status(const okra_exp_readout *r, okra_buf *b);
/* The team's recorded decision as okra names decisions ("keep running"
 * recorded by an older okra reads "keep_running"). */
const char *okra__exp_recorded_name(const okra_exp_readout *r);

#endif
