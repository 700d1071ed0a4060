/*
 * html.h - the HTML components of the weekly review and the dashboard
 * (render/html.c): one design, written once, used by the static
 * review.html (render/review_html.c) and the pages of okra serve
 * (server/pages.c).
 *
 * They read the review that review/ built and compute nothing.  Every
 * text from YAML or data goes through okra__buf_html (base/html.c) or
 * okra__html_url.  None writes a style attribute or a script, so the
 * dashboard's Content-Security-Policy holds; the classes are those of
 * web/okra.css, which both outputs use (the static page inlines it).
 * A light is never colour alone: each badge has a glyph of its own shape
 * and its word.
 */
#ifndef OKRA_RENDER_HTML_H
#define OKRA_RENDER_HTML_H

#include "review/review.h"

/* Where the components are shown.  The static page has no links; the
 * dashboard links metrics to the explorer and objectives and key results
 * to their pages, keeping asof. */
struct okra_chart;
typedef struct okra_html_ctx {
	bool links;
	const char *asof; /* "YYYY-MM-DD" kept in links, or NULL */
	/* The dashboard marks anomaly days on each key result's chart:
	 * called with the chart before it is drawn; NULL (the static
	 * review): no marks. */
	void (*kr_marks)(void *arg, const okra_kr_eval *k,
	                 struct okra_chart *c);
	void *kr_marks_arg;
} okra_html_ctx;

/* ---- small pieces ---- */

/* s percent-encoded for a URL path segment or query value. */
void okra__html_url(okra_buf *b, const char *s);
/* A value by m's unit ("24.0%", "1,234"); "–" for NaN.  m may be NULL. */
void okra__html_value(okra_buf *b, const okra_metric *m, double v);
/* A score "0.73"; "–" for NaN. */
void okra__html_score(okra_buf *b, double v);
/* A share of 1 as a whole percentage "73%"; "–" for NaN. */
void okra__html_share(okra_buf *b, double v);
/* <time datetime="2026-03-10">2026-03-10</time> */
void okra__html_date(okra_buf *b, int32_t day);
/* The light as a badge: glyph and word ("● green"), its meaning as the
 * title. */
void okra__html_badge(okra_buf *b, okra_light l);
/* A score from 0 to 1 as a progress bar (inline SVG, no style). */
void okra__html_bar(okra_buf *b, double score);
/* A metric's title (its id without one), a link to the explorer under
 * ctx->links, pinned to pin when given. */
void okra__html_metric_name(okra_buf *b, const okra_html_ctx *ctx,
                            const okra_metric *m, const char *pin);
/* A table that scrolls inside its card on a narrow screen:
 * <div class="table-wrap"><table class="grid cls"> ... </table></div>. */
void okra__html_table_begin(okra_buf *b, const char *cls);
void okra__html_table_end(okra_buf *b);
/* The stylesheet web/okra.css, for a page that inlines it. */
void okra__html_stylesheet(okra_buf *b);

/* ---- components ---- */

/* The summary cards: the north star (value, sparkline), the count of
 * key results per light, the objective scores with bars. */
void okra__html_summary(okra_buf *b, const okra_html_ctx *ctx,
                        const okra_review *r);
/* An objective's heading at <h{level}>: title (a link under ctx->links
 * but on its own page, level 1) and score, the id, team, quarter and
 * parent, and why. */
void okra__html_objective_head(okra_buf *b, const okra_html_ctx *ctx,
                               const okra_obj_eval *o, int level);
/* A key result card: title, light and score, the facts (current,
 * baseline, expected, target, progress, since the last review,
 * confidence, forecast), the chart at the card's width, the measurement
 * and the hypotheses with their experiments.  _begin leaves the card
 * open so a page can add to it; _end closes it. */
void okra__html_kr_card_begin(okra_buf *b, const okra_html_ctx *ctx,
                              const okra_review *r, const okra_kr_eval *k);
void okra__html_kr_card_end(okra_buf *b);
/* The key results of an objective as one row each (the overview). */
void okra__html_kr_table(okra_buf *b, const okra_html_ctx *ctx,
                         const okra_obj_eval *o);
/* A metric table: metric, current, target, light (only where there is a
 * target), sparkline of the last periods. */
void okra__html_metric_table(okra_buf *b, const okra_html_ctx *ctx,
                             const char *caption, const char *period,
                             const okra_dash_row *rows, size_t n);
/* The north star's inputs: current, target and light as the balanced
 * dashboard has them, the benchmark, the weekly trend. */
void okra__html_inputs_table(okra_buf *b, const okra_html_ctx *ctx,
                             const okra_review *r);
/* "What did we learn": per key result the experiments that ran since the
 * last review, read out (decision, sentence, guardrails, the team's
 * decision when it differs, the forecast if the winner ships), and how
 * many hypotheses are not yet tested.  "What should we change": the
 * suggestions. */
void okra__html_learnings(okra_buf *b, const okra_review *r);
/* The same with links to the experiments' pages under ctx->links. */
void okra__html_learnings_ctx(okra_buf *b, const okra_html_ctx *ctx,
                              const okra_review *r);
/* An experiment's decision (okra_exp_decision) as a badge: glyph and
 * word. */
void okra__html_decision(okra_buf *b, int decision);
void okra__html_suggestions(okra_buf *b, const okra_review *r);
/* The same with each subject a link under ctx->links: a key result to
 * its card on its objective's page, a metric to the explorer, a lint
 * rule to its explanation on the lint page. */
void okra__html_suggestions_ctx(okra_buf *b, const okra_html_ctx *ctx,
                                const okra_review *r);
/* Experiments: one row each (status, decision, first variant's lift, p,
 * the recorded decision), linking to their pages under ctx->links. */
struct okra_exp_readout;
void okra__html_experiments_table(okra_buf *b, const okra_html_ctx *ctx,
                                  const struct okra_exp_readout *const *items,
                                  size_t n);
/* One readout: decision, SRM and power badges, the sentence and why, per
 * variant a bar with its 95% interval, the comparisons (raw and CUPED),
 * what was left out, the guardrails and the recorded decision. */
void okra__html_experiment(okra_buf *b, const okra_html_ctx *ctx,
                           const struct okra_exp_readout *r);
/* okra diagnose (render/diagnose.c): the bottleneck sentence, the
 * candidates as bars (gap and lift side by side, the lift's 95% interval
 * as a whisker) and as a table; metrics link to the explorer under
 * ctx->links. */
void okra__html_diagnosis(okra_buf *b, const okra_html_ctx *ctx,
                          const okra_diagnosis *d);
/* okra anomalies (render/anomalies.c): one row each (date and weekday,
 * metric, value, usual band, z, change, explaining segment), latest
 * first. */
void okra__html_anomalies(okra_buf *b, const okra_html_ctx *ctx,
                          const okra_anomalies *l);
/* Lint findings: "N errors · N warnings · N infos", then one row each
 * (errors first), at most max rows (0: all) and a line for the rest. */
void okra__html_findings(okra_buf *b, const okra_findings *f, size_t max);
/* The same with each rule a link to its explanation (/lint#rule-ID)
 * under ctx->links. */
void okra__html_findings_ctx(okra_buf *b, const okra_html_ctx *ctx,
                             const okra_findings *f, size_t max);

#endif
